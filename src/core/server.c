/*
 * The accept loop.  Per request: reset the arena, build the request from
 * the CGI variables, route, authenticate, call the handler, render its
 * result or error, write one log line.  Nothing survives a request but
 * the database connection, its prepared statements and the config.
 *
 * Stopping: SIGTERM or SIGINT interrupts accept() (FastCGI is set to fail
 * accept on EINTR) or lets the current request finish; the loop then
 * ends and the process exits normally, so LeakSanitizer runs.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "arena.h"
#include "audit.h"
#include "authn.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "fcgi_finish.h"
#include "ids.h"
#include "keyring.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "router.h"
#include "server.h"
#include "timestamp.h"
#include "utf8.h"

/* Where a request's bytes come from and go to: FastCGI or CGI stdio. */
struct io {
	FCGX_Request	*fcgi;		/* NULL in CGI mode */
};

/*
 * Past this many bytes of body, the heap is given back after the
 * request: an answer this big took several times its size in query
 * result, JSON and XML (a page of 100 instances: 130 KB of XML, ~1 MB).
 */
#define LARGE_RESPONSE	(64 * 1024)

/*
 * glibc's default mmap threshold (128 KiB), pinned.  Left dynamic, it
 * rises to the size of the largest mmap'd block ever freed: after one
 * password hash (argon2's 19 MiB) every later big block would come from
 * the heap and stay there, and auth.fcgi would keep ~20 MB after its
 * first login.  Pinned, big blocks are mapped and unmapped each time.
 */
#define MMAP_THRESHOLD	(128 * 1024)

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
install_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: accept() must return EINTR. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static size_t
io_read(struct io *io, char *buf, size_t n)
{
	size_t	got = 0;
	int	r;

	while (got < n) {
		if (io->fcgi != NULL)
			r = FCGX_GetStr(buf + got, (int)(n - got), io->fcgi->in);
		else
			r = (int)fread(buf + got, 1, n - got, stdin);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

static void
io_write(struct io *io, const char *buf, size_t n)
{
	if (io->fcgi != NULL)
		FCGX_PutStr(buf, (int)n, io->fcgi->out);
	else
		fwrite(buf, 1, n, stdout);
}

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Status";
	}
}

void
server_render_json_error(struct request *req, struct response *res,
    const struct api_error *err)
{
	json_t	*body;

	body = json_pack("{s:{s:s, s:s}, s:s}",
	    "error", "code", err->code,
	    "message", utf8_clean(req->arena, err->message),
	    "request_id", req->request_id);
	res->json = body;
	request_keep(req, body);
}

/* Is origin allowed by cors_allowed_origins ("*" or a comma list)? */
static bool
origin_allowed(const char *origin)
{
	const char	*list = config_get("cors_allowed_origins"), *p, *end;
	size_t		 len = strlen(origin);

	if (strcmp(list, "*") == 0)
		return true;
	for (p = list; *p != '\0'; p = *end ? end + 1 : end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		while (end > p && end[-1] == ' ')
			end--;
		if ((size_t)(end - p) == len && strncmp(p, origin, len) == 0)
			return true;
		end += strspn(end, " ");
	}
	return false;
}

/* A NUL-terminated piece of the response. */
static void
io_puts(struct io *io, const char *s)
{
	io_write(io, s, strlen(s));
}

/* A header line "name: value". */
static void
io_header(struct io *io, const char *name, const char *value)
{
	io_puts(io, name);
	io_write(io, ": ", 2);
	io_puts(io, value);
	io_write(io, "\r\n", 2);
}

/*
 * Send the response; returns the body's size.  The head goes out piece
 * by piece into the FastCGI stream's buffer: building it as one string
 * took a printf per header line, each copying the lines before it.
 */
static size_t
send_response(struct io *io, struct request *req, struct response *res)
{
	char		*body = NULL, line[96];
	const char	*ctype = res->content_type, *origin;
	size_t		 blen = 0, i;
	int		 n;

	if (res->json != NULL) {
		body = json_dumps(res->json, JSON_COMPACT);
		blen = body != NULL ? strlen(body) : 0;
		ctype = "application/json; charset=utf-8";
	} else if (res->body != NULL) {
		blen = res->body_len;
	}
	n = snprintf(line, sizeof(line), "Status: %d %s\r\n"
	    "Content-Length: %zu\r\n", res->status, status_text(res->status),
	    blen);
	io_write(io, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n :
	    strlen(line));
	io_header(io, "X-Request-Id", req->request_id);
	io_puts(io, "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n");
	for (i = 0; i < res->nheaders; i++)
		if (strcasecmp(res->headers[i].key, "Cache-Control") == 0)
			break;
	/* Answers are per caller and change: never cached, unless said. */
	if (i == res->nheaders)
		io_puts(io, "Cache-Control: no-store\r\n");
	if (ctype != NULL && (body != NULL || res->body != NULL))
		io_header(io, "Content-Type", ctype);
	origin = request_header(req, "Origin");
	if (origin != NULL && origin_allowed(origin)) {
		io_header(io, "Access-Control-Allow-Origin",
		    strcmp(config_get("cors_allowed_origins"), "*") == 0 ?
		    "*" : origin);
		io_puts(io, "Vary: Origin\r\n"
		    "Access-Control-Expose-Headers: X-Request-Id\r\n");
	}
	for (i = 0; i < res->nheaders; i++)
		io_header(io, res->headers[i].key, res->headers[i].value);
	io_write(io, "\r\n", 2);
	if (strcmp(req->method, "HEAD") != 0) {
		if (body != NULL)
			io_write(io, body, blen);
		else if (res->body != NULL)
			io_write(io, res->body, blen);
	}
	free(body);
	return blen;
}

static void
fail(const struct service *svc, struct request *req, struct response *res,
    const struct api_error *err)
{
	res->status = err->status;
	res->error_code = err->code;
	res->json = NULL;
	res->body = NULL;
	if (svc->render_error != NULL)
		svc->render_error(req, res, err);
	else
		server_render_json_error(req, res, err);
}

/* CORS preflight for a known path: 204 with what the route allows. */
static void
preflight(struct request *req, struct response *res, const char *allow)
{
	const char	*hdrs;

	res->status = 204;
	response_header(res, "Access-Control-Allow-Methods", allow);
	hdrs = request_header(req, "Access-Control-Request-Headers");
	response_header(res, "Access-Control-Allow-Headers",
	    hdrs != NULL ? arena_strdup(req->arena, hdrs) :
	    "Content-Type, Authorization, X-Request-Id, X-Region");
	response_header(res, "Access-Control-Max-Age", "600");
}

static bool
read_body(struct io *io, struct request *req, struct api_error *err)
{
	const char	*cl = request_env(req, "CONTENT_LENGTH");
	long		 max = config_int("max_body_bytes");
	char		*end, *buf;
	long long	 len;

	req->body = "";
	req->body_len = 0;
	if (cl == NULL || *cl == '\0')
		return true;
	errno = 0;
	len = strtoll(cl, &end, 10);
	if (errno != 0 || *end != '\0' || len < 0)
		return api_error_invalid(err, "invalid Content-Length '%s'",
		    cl);
	if (len > max)
		return api_error_set(err, 413, "RequestEntityTooLarge",
		    "the request body is %lld bytes; the limit is %ld",
		    len, max);
	buf = arena_alloc(req->arena, (size_t)len + 1);
	req->body_len = io_read(io, buf, (size_t)len);
	buf[req->body_len] = '\0';
	req->body = buf;
	return true;
}

static void
build_request(struct request *req, struct arena *a, char **envp,
    const char *service)
{
	const char	*uri, *q, *rid, *region;

	memset(req, 0, sizeof(*req));
	req->arena = a;
	req->envp = envp;
	req->service = service;
	req->method = request_env(req, "REQUEST_METHOD");
	if (req->method == NULL)
		req->method = "GET";
	uri = request_env(req, "REQUEST_URI");
	if (uri == NULL || *uri == '\0') {
		/* Plain CGI without REQUEST_URI: rebuild it. */
		uri = arena_printf(a, "%s%s",
		    request_env(req, "SCRIPT_NAME") ?
		    request_env(req, "SCRIPT_NAME") : "",
		    request_env(req, "PATH_INFO") ?
		    request_env(req, "PATH_INFO") : "");
	}
	q = strchr(uri, '?');
	req->path = q ? arena_strndup(a, uri, (size_t)(q - uri)) : uri;
	if (*req->path == '\0')
		req->path = "/";
	req->query_string = request_env(req, "QUERY_STRING");
	if (req->query_string == NULL)
		req->query_string = q ? q + 1 : "";
	req->content_type = request_env(req, "CONTENT_TYPE");
	if (req->content_type != NULL && *req->content_type == '\0')
		req->content_type = NULL;
	req->remote_addr = request_env(req, "REMOTE_ADDR");
	req->user_agent = request_header(req, "User-Agent");
	rid = request_header(req, "X-Request-Id");
	req->request_id = id_is_uuid(rid) ? arena_strdup(a, rid) : id_uuid(a);
	region = request_header(req, "X-Region");
	req->region = region != NULL && *region != '\0' ? region :
	    config_get("region");
}

/*
 * The credentials' check that authn left to travel with the handler's
 * first statement (db_guard): if it failed, or fails now because the
 * handler made no statement, err says so, the request was not
 * authenticated, and a cached access key is forgotten.
 */
static bool
settled(struct request *req, struct api_error *err)
{
	if (db_guard_settle(req, err))
		return true;
	authn_forget(req);
	memset(&req->principal, 0, sizeof(req->principal));
	return false;
}

/*
 * One request, answered from a's memory (empty: new, or given back by
 * release after the last answer); the bytes of the answer's body.  The
 * caller gives a back once the web server has the whole answer.
 */
static size_t
handle(struct io *io, const struct service *svc, struct arena *a,
    char **envp)
{
	struct request		 req;
	struct response		 res;
	struct api_error	 err;
	const struct route	*route;
	char			 allow[128];
	double			 t0 = timestamp_monotonic_ms();
	enum route_result	 rr;
	size_t			 sent;
	bool			 ok;

	db_request_start();
	build_request(&req, a, envp, svc->name);
	memset(&res, 0, sizeof(res));
	res.status = 200;

	rr = router_match(svc->routes, req.method, req.path, &req, &route,
	    allow, sizeof(allow), &err);
	if (rr == ROUTE_BAD_METHOD && strcmp(req.method, "OPTIONS") == 0) {
		preflight(&req, &res, allow);
		goto out;
	}
	if (rr == ROUTE_NOT_FOUND) {
		api_error_set(&err, 404, "UnknownOperation",
		    "no operation is found at %s %s", req.method,
		    req.path);
		fail(svc, &req, &res, &err);
		goto out;
	}
	if (rr == ROUTE_BAD_METHOD) {
		api_error_set(&err, 405, "MethodNotAllowed",
		    "%s is not allowed on %s; allowed: %s", req.method,
		    req.path, allow);
		fail(svc, &req, &res, &err);
		response_header(&res, "Allow", arena_strdup(a, allow));
		goto out;
	}
	ok = rr == ROUTE_FOUND &&
	    urlencoded_parse(a, req.query_string, strlen(req.query_string),
	    &req.query, &err) &&
	    read_body(io, &req, &err) &&
	    ((route->flags & ROUTE_PUBLIC) || authn_authenticate(&req, &err)) &&
	    route->handler(&req, &res, &err);
	/* A failed token check outranks whatever the handler said. */
	if (!settled(&req, &err))
		ok = false;
	if (!ok) {
		fail(svc, &req, &res, &err);
		if (rr == ROUTE_FOUND && route->action != NULL &&
		    err.status != 503) {
			const char *id = request_param(&req, "id");
			audit_failure(&req, route->action, &id, id ? 1 : 0,
			    &err);
		}
		goto out;
	}
out:
	sent = send_response(io, &req, &res);
	log_request(&req, &res, timestamp_monotonic_ms() - t0);
	metrics_record(&req, &res, timestamp_monotonic_ms() - t0);
	return sent;
}

/*
 * After an answer: the request's memory goes back now, while nobody
 * waits, rather than when the next request arrives, so that an idle
 * process holds no request's results and the next request does not pay
 * for freeing this one's.  Freed, a big request's memory stays in
 * glibc's heap, free but fragmented, which a long-lived process would
 * keep (a page of 100 instances left ec2.fcgi 1 MB larger): after a
 * large answer the heap is given back to the system too.  Not after
 * every answer: once a heap is fragmented, malloc_trim finds free pages
 * to give back each time (eight madvise calls), and the next request
 * faults them in again.
 */
static void
release(struct arena *a, size_t sent)
{
	arena_reset(a);
	if (sent > LARGE_RESPONSE)
		malloc_trim(0);
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s socket-path | -p port]\n", prog);
}

int
server_main(int argc, char **argv, const struct service *svc)
{
	FCGX_Request	 fr;
	struct io	 io;
	struct arena	*a = NULL;
	const char	*sock = NULL, *port = NULL;
	char		 addr[64];
	size_t		 sent;
	int		 ch, fd = 0, rc = 1;

	while ((ch = getopt(argc, argv, "s:p:h")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		default:
			usage(argv[0]);
			return ch == 'h' ? 0 : 2;
		}
	}
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
	/*
	 * OpenSSL, before anything (libpq included) starts it: no
	 * openssl.cnf (we configure nothing there), no error strings (we
	 * print none), no legacy name tables (we fetch algorithms).  Each
	 * process then touches ~0.5 MB less of libcrypto.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
	    NULL);
	if (!config_load())
		return 1;
	log_init(svc->name);
	if (svc->init != NULL && !svc->init())
		goto out;
	if ((a = arena_new()) == NULL)
		goto out;
	install_signals();
	if (FCGX_Init() != 0)
		goto out;
	if (sock == NULL && port == NULL && FCGX_IsCGI()) {
		/* Plain CGI: one request on stdin/stdout. */
		extern char **environ;
		io.fcgi = NULL;
		handle(&io, svc, a, environ);
		fflush(stdout);
		rc = 0;
		goto out;
	}
	if (sock != NULL || port != NULL) {
		if (port != NULL)
			snprintf(addr, sizeof(addr), "127.0.0.1:%s", port);
		fd = FCGX_OpenSocket(sock != NULL ? sock : addr, 128);
		if (fd < 0) {
			log_msg(LOG_ERROR, "cannot listen on %s",
			    sock != NULL ? sock : addr);
			goto out;
		}
	}
	if (FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		goto out;
	io.fcgi = &fr;
	log_msg(LOG_INFO, "started, pid %ld", (long)getpid());
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		sent = handle(&io, svc, a, fr.envp);
		fcgi_finish(&fr);
		release(a, sent);
	}
	FCGX_Free(&fr, 1);
	log_msg(LOG_INFO, "stopping");
	rc = 0;
out:
	/* Frees: the arena, the connection, the config, the service's own. */
	if (svc->fini != NULL)
		svc->fini();
	arena_free(a);
	keyring_free();
	db_close();
	config_free();
	return rc;
}
