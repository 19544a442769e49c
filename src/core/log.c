/*
 * JSON log lines built with jansson, so that any byte a client sends in
 * a path lands escaped, never as a forged log field.
 */
#include <sys/uio.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "config.h"
#include "log.h"
#include "request.h"
#include "timestamp.h"
#include "utf8.h"

static const char	*service_name = "cloudsim";
static enum log_level	 threshold = LOG_INFO;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

#define LOG_JSON_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(4))

void
log_init(const char *service)
{
	const char	*lvl = config_get("log_level");
	int		 i;

	service_name = service;
	for (i = LOG_ERROR; i <= LOG_DEBUG; i++)
		if (strcmp(lvl, level_names[i]) == 0)
			threshold = (enum log_level)i;
}

/*
 * The line and its newline in one writev, as one write of the whole
 * line, as before, but without stdio: stderr is unbuffered, and
 * fprintf copied each line through a temporary buffer a byte at a time.
 */
static void
write_line(const char *s, size_t n)
{
	struct iovec	 iov[2];
	ssize_t		 w;

	iov[0].iov_base = (void *)s;
	iov[0].iov_len = n;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	while (iov[1].iov_len > 0) {
		if ((w = writev(STDERR_FILENO, iov, 2)) < 0) {
			if (errno == EINTR)
				continue;
			return;		/* nowhere left to say so */
		}
		if ((size_t)w >= iov[0].iov_len) {
			w -= (ssize_t)iov[0].iov_len;
			iov[0].iov_len = 0;
			iov[1].iov_len -= (size_t)w;
		} else {
			iov[0].iov_base = (char *)iov[0].iov_base + w;
			iov[0].iov_len -= (size_t)w;
		}
	}
}

/*
 * A request's line fits the stack buffer; a longer one (a long path) is
 * dumped again into the heap.
 */
static void
emit(json_t *line)
{
	char	 buf[2048], *s;
	size_t	 n;

	if (line == NULL)
		return;
	n = json_dumpb(line, buf, sizeof(buf), LOG_JSON_FLAGS);
	if (n > 0 && n <= sizeof(buf))
		write_line(buf, n);
	else if (n > sizeof(buf) &&
	    (s = json_dumps(line, LOG_JSON_FLAGS)) != NULL) {
		write_line(s, strlen(s));
		free(s);
	}
	json_decref(line);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char	 ts[TIMESTAMP_LEN + 1], msg[1024];
	va_list	 ap;

	if (level > threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	timestamp_now(ts);
	emit(json_pack("{s:s, s:s, s:s, s:s}", "ts", ts,
	    "level", level_names[level], "service", service_name,
	    "msg", msg));
}

/*
 * A request's line is assembled here rather than packed into a jansson
 * object and dumped: that was a fifth of the work of a small read
 * (GET /api/v1/instances/{id}: 48,000 of 244,000 instructions).  Every
 * value that a client can influence (the method, the path, the error
 * code) and the duration are still written by jansson; the rest is
 * ours and needs no escaping: the timestamp, the level, the service
 * name, the request id (a UUID, checked when a client sends it), the
 * route (a router pattern or an action of the table), the status and
 * the account (digits).  The bytes are those json_dumpb wrote.  A line
 * past the stack buffer (a long path) continues in the request's arena.
 */
struct line {
	char		 stack[2048];	/* a request's line fits, but a long path */
	char		*buf;		/* stack, or a larger copy in the arena */
	size_t		 cap;
	size_t		 len;
	struct arena	*arena;
};

/* Room for n more bytes and a NUL: a line past the stack moves. */
static void
reserve(struct line *l, size_t n)
{
	char	*b;

	if (l->len + n < l->cap)
		return;
	l->cap = 2 * (l->len + n) + 1;
	b = arena_alloc(l->arena, l->cap);
	memcpy(b, l->buf, l->len);
	l->buf = b;
}

static void
put(struct line *l, const char *s)
{
	size_t	n = strlen(s);

	reserve(l, n);
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* key and one of ours, which needs no escaping, quoted; or null. */
static void
put_ours(struct line *l, const char *key, const char *s)
{
	put(l, key);
	put(l, s != NULL ? "\"" : "null");
	if (s != NULL) {
		put(l, s);
		put(l, "\"");
	}
}

/* A JSON value written by jansson (JSON_ENCODE_ANY); consumes v. */
static void
put_value(struct line *l, json_t *v)
{
	const size_t	 flags = LOG_JSON_FLAGS | JSON_ENCODE_ANY;
	size_t		 n = 0;

	if (v != NULL &&
	    (n = json_dumpb(v, l->buf + l->len, l->cap - l->len, flags)) >=
	    l->cap - l->len) {
		reserve(l, n);
		n = json_dumpb(v, l->buf + l->len, l->cap - l->len, flags);
	}
	json_decref(v);
	if (n == 0)
		put(l, "null");
	else
		l->len += n;
}

/* key and s as a JSON string (escaped by jansson), or null. */
static void
put_string(struct line *l, const char *key, const char *s)
{
	put(l, key);
	put_value(l, s != NULL ? json_string(s) : NULL);
}

void
log_request(const struct request *req, const struct response *res,
    double duration_ms)
{
	char		 ts[TIMESTAMP_LEN + 1], status[16];
	struct line	 l;

	if (LOG_INFO > threshold)
		return;
	timestamp_now(ts);
	snprintf(status, sizeof(status), "%d", res->status);
	l.buf = l.stack;
	l.cap = sizeof(l.stack);
	l.len = 0;
	l.arena = req->arena;
	put_ours(&l, "{\"ts\":", ts);
	put(&l, ",\"level\":\"info\"");
	put_ours(&l, ",\"service\":", service_name);
	put_ours(&l, ",\"request_id\":", req->request_id);
	put_string(&l, ",\"method\":", req->method);
	put_string(&l, ",\"path\":", utf8_clean(req->arena, req->path));
	put_ours(&l, ",\"route\":", req->route);
	put(&l, ",\"status\":");
	put(&l, status);
	put_string(&l, ",\"code\":", res->error_code);
	put_ours(&l, ",\"account\":", req->principal.authenticated ?
	    req->principal.account_id : NULL);
	put(&l, ",\"duration_ms\":");
	put_value(&l, json_real(duration_ms));
	put(&l, "}");
	write_line(l.buf, l.len);
}
