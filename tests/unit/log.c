/*
 * log_request writes, byte for byte, the line jansson dumps of the same
 * fields packed into an object (what it did before assembling the line
 * itself): for plain requests, for paths holding quotes, backslashes,
 * control characters, invalid UTF-8 and non-ASCII text, for missing
 * values (null), for durations of every size, and for a path too long
 * for the line's buffer.  Every line is one JSON object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/request.h"
#include "core/utf8.h"
#include "tap.h"

/* The line log_request writes for req, res and ms, without its newline. */
static char *
logged(const struct request *req, const struct response *res, double ms)
{
	char	*line = calloc(1, 65536);
	size_t	 len = 0;
	ssize_t	 n;
	int	 fds[2], saved = dup(STDERR_FILENO);

	/* A line is well under a pipe's capacity: no reader needed yet. */
	if (line == NULL || saved < 0 || pipe(fds) != 0)
		abort();
	dup2(fds[1], STDERR_FILENO);
	log_request(req, res, ms);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	while ((n = read(fds[0], line + len, 65535 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	if (len > 0 && line[len - 1] == '\n')
		line[len - 1] = '\0';
	return line;
}

/* What jansson dumps of the same fields, as log_request's object. */
static char *
packed(const struct request *req, const struct response *res, double ms)
{
	char	 ts[32];
	json_t	*o;
	char	*s;

	snprintf(ts, sizeof(ts), "TS");
	o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:s?,"
	    " s:s?, s:f}", "ts", ts, "level", "info", "service", "unit",
	    "request_id", req->request_id, "method", req->method,
	    "path", utf8_clean(req->arena, req->path), "route", req->route,
	    "status", res->status, "code", res->error_code,
	    "account", req->principal.authenticated ?
	    req->principal.account_id : NULL, "duration_ms", ms);
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4)) :
	    strdup("(nothing)");
	json_decref(o);
	return s;
}

/* The line, its timestamp replaced by "TS", equals jansson's dump. */
static void
same_line(struct request *req, struct response *res, double ms,
    const char *what)
{
	char	*mine = logged(req, res, ms), *theirs = packed(req, res, ms);
	char	*ts = strstr(mine, "\"ts\":\""), *end;
	json_t	*parsed = json_loads(mine, 0, NULL);

	/* The timestamp is the clock's: compare the rest. */
	if (ts != NULL && (end = strchr(ts + 6, '"')) != NULL)
		memmove(ts + 6, "TS", 2), memmove(ts + 8, end, strlen(end) + 1);
	if (!ok(parsed != NULL && json_is_object(parsed) &&
	    strcmp(mine, theirs) == 0, what))
		printf("#   got    %s\n#   wanted %s\n", mine, theirs);
	json_decref(parsed);
	free(mine);
	free(theirs);
}

int
main(void)
{
	struct request	 req;
	struct response	 res;
	struct arena	*a = arena_new();
	char		 longpath[3000];
	static const double ms[] = { 0.3109, 12.0, 0.0, 1234.5678,
	    98765.4321, 0.00001234 };
	size_t		 i;

	if (a == NULL)
		abort();
	log_init("unit");
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.arena = a;
	req.request_id = "3f78b013-bae4-43c9-af68-7862e72ff300";
	req.method = "POST";
	req.path = "/";
	req.route = "/?Action=DescribeVpcs";
	res.status = 200;
	req.principal.authenticated = true;
	snprintf(req.principal.account_id, sizeof(req.principal.account_id),
	    "639292797115");
	same_line(&req, &res, 0.3109, "a signed EC2 call");
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		char	what[64];

		snprintf(what, sizeof(what), "duration %g", ms[i]);
		same_line(&req, &res, ms[i], what);
	}

	req.principal.authenticated = false;
	req.route = NULL;
	req.method = "GET";
	req.path = "/api/v1/vpcs/\"quoted\"\\back\tslash\x01\x1f";
	res.status = 401;
	res.error_code = "AuthenticationFailure";
	same_line(&req, &res, 1.5, "a path of quotes, backslashes and "
	    "control characters, no route, no account");
	req.path = "/caf\xc3\xa9/\xe2\x82\xac/\xff\xfe/end";
	same_line(&req, &res, 1.5, "a path of UTF-8 and invalid bytes");
	req.request_id = NULL;
	req.method = "G\"ET";
	res.error_code = NULL;
	same_line(&req, &res, 1.5, "no request id, no code, a quote in the "
	    "method");

	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	req.path = longpath;
	same_line(&req, &res, 2.25, "a path longer than the line's buffer");

	arena_free(a);
	return tap_done();
}
