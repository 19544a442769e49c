/*
 * A small libcurl client for the HTTP tests: one call sends a request to
 * the web server under test ($CLOUDSIM_URL) and returns status, headers,
 * body and, when the body is JSON, the parsed value.
 */
#ifndef CLOUDSIM_TEST_HTTP_H
#define CLOUDSIM_TEST_HTTP_H

#include <stddef.h>

#include <jansson.h>

struct reply {
	long	 status;
	char	*headers;	/* raw header block */
	char	*body;		/* NUL-terminated */
	size_t	 len;
	json_t	*json;		/* NULL unless the body parsed as JSON */
};

/* The server under test, from $CLOUDSIM_URL (no trailing slash). */
const char	*http_base(void);

/*
 * Send method path (appended to http_base()) with an optional body and a
 * NULL-terminated list of extra "Name: value" headers.  A JSON body gets
 * Content-Type: application/json unless a header names another.  The
 * previous reply in r is freed first; r must start zeroed.
 */
long		 http(struct reply *r, const char *method, const char *path,
		    const char *body, const char *const *headers);

/* A response header's value (case-insensitive name), in static storage. */
const char	*http_header(const struct reply *r, const char *name);

/* A string member of the JSON body by a dotted path ("error.code"). */
const char	*http_json_str(const struct reply *r, const char *path);

void		 http_free(struct reply *r);

/* A body as curl delivers it, NUL-terminated; p is malloc'd. */
struct http_buf {
	char	*p;
	size_t	 len;
};
/* curl's write (or header) callback appending to the http_buf arg. */
size_t		 http_collect(char *data, size_t size, size_t n, void *arg);

#endif
