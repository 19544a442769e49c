/*
 * Segment-by-segment matching of a raw path against the route table.
 * Tables are a few dozen rows, so a linear scan beats any index.
 */
#include <string.h>

#include "arena.h"
#include "error.h"
#include "request.h"
#include "router.h"
#include "urlencoded.h"

/*
 * Does path match pattern?  Captures go to req when req is non-NULL.
 * Returns 1 on match, 0 on no match, -1 on a malformed capture.
 */
static int
match(const char *pattern, const char *path, struct request *req,
    struct api_error *err)
{
	const char	*p = pattern, *s = path, *pend, *send, *close;
	char		*value;
	size_t		 n = 0;

	for (;;) {
		if (*p == '\0' || *s == '\0')
			return *p == *s;
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pend = p + strcspn(p, "/");
		send = s + strcspn(s, "/");
		if (*p == '{' && (close = memchr(p, '}', (size_t)(pend - p)))) {
			if (send == s || n == REQUEST_MAX_PARAMS)
				return 0;
			if (req != NULL) {
				if (!percent_decode(req->arena, s,
				    (size_t)(send - s), false, &value, err))
					return -1;
				req->param_names[n] = arena_strndup(req->arena,
				    p + 1, (size_t)(close - p - 1));
				req->param_values[n] = value;
				req->nparams = ++n;
			}
		} else if (pend - p != send - s ||
		    strncmp(p, s, (size_t)(pend - p)) != 0)
			return 0;
		p = pend;
		s = send;
	}
}

enum route_result
router_match(const struct route *routes, const char *method,
    const char *path, struct request *req, const struct route **found,
    char *allow, size_t allowlen, struct api_error *err)
{
	const struct route	*r;
	bool			 any = false;
	int			 m;

	*found = NULL;
	if (allowlen > 0)
		allow[0] = '\0';
	for (r = routes; r->method != NULL; r++) {
		if (match(r->pattern, path, NULL, NULL) != 1)
			continue;
		if (strcmp(r->method, method) == 0) {
			req->nparams = 0;
			if ((m = match(r->pattern, path, req, err)) < 0)
				return ROUTE_BAD_PATH;
			*found = r;
			req->route = r->pattern;
			return ROUTE_FOUND;
		}
		if (!strstr(allow, r->method) &&
		    strlen(allow) + strlen(r->method) + 3 < allowlen) {
			if (any)
				strcat(allow, ", ");
			strcat(allow, r->method);
		}
		any = true;
	}
	if (!any)
		return ROUTE_NOT_FOUND;
	if (strlen(allow) + 10 < allowlen)
		strcat(allow, ", OPTIONS");
	return ROUTE_BAD_METHOD;
}
