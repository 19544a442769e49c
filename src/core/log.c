/*
 * JSON log lines built with jansson, so that any byte a client sends in
 * a path lands escaped, never as a forged log field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "log.h"
#include "request.h"
#include "timestamp.h"
#include "utf8.h"

static const char	*service_name = "cloudsim";
static enum log_level	 threshold = LOG_INFO;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

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

static void
emit(json_t *line)
{
	char	*s;

	if ((s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(4))) != NULL) {
		fprintf(stderr, "%s\n", s);
		fflush(stderr);
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

void
log_request(const struct request *req, const struct response *res,
    double duration_ms)
{
	char	 ts[TIMESTAMP_LEN + 1];
	json_t	*line;

	if (LOG_INFO > threshold)
		return;
	timestamp_now(ts);
	line = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:i,"
	    " s:s?, s:s?, s:f}",
	    "ts", ts, "level", "info", "service", service_name,
	    "request_id", req->request_id, "method", req->method,
	    "path", utf8_clean(req->arena, req->path), "route", req->route, "status", res->status,
	    "code", res->error_code,
	    "account", req->principal.authenticated ?
	    req->principal.account_id : NULL,
	    "duration_ms", duration_ms);
	if (line != NULL)
		emit(line);
}
