/*
 * The foundation through the real web server: every executable's health
 * route, the error envelope, 404/405, request ids, security headers,
 * malformed queries and CORS.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "tap.h"

static const char *const services[] = {
	"auth", "instances", "vpcs", "volumes", "blockchains", "ec2", NULL
};

static int
is_uuid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' :
		    strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	return 1;
}

int
main(void)
{
	struct reply	 r = { 0 };
	char		 path[128], name[256];
	const char	*const *s, *rid;
	const char	*given[] = { "X-Request-Id: 0f0e0d0c-0b0a-4908-8706-050403020100", NULL };
	const char	*bad_rid[] = { "X-Request-Id: not-a-uuid\"<script>", NULL };
	const char	*origin[] = { "Origin: http://evil.example", NULL };

	for (s = services; *s != NULL; s++) {
		snprintf(path, sizeof(path), "/health/%s", *s);
		snprintf(name, sizeof(name), "GET %s is 200", path);
		is_int(http(&r, "GET", path, NULL, NULL), 200, name);
		snprintf(name, sizeof(name), "%s reports healthy", *s);
		is_str(http_json_str(&r, "status"), "healthy", name);
		snprintf(name, sizeof(name), "%s's database is healthy", *s);
		is_str(http_json_str(&r, "services.database"), "healthy", name);
		snprintf(name, sizeof(name), "%s answers from the right executable", *s);
		is_str(http_json_str(&r, "service"), *s, name);
		ok(http_json_str(&r, "version") != NULL, "health has a version");
		ok(http_json_str(&r, "timestamp") != NULL &&
		    strlen(http_json_str(&r, "timestamp")) == 24 &&
		    http_json_str(&r, "timestamp")[23] == 'Z',
		    "health timestamp is RFC 3339 with milliseconds");
		is_str(http_header(&r, "Content-Type"),
		    "application/json; charset=utf-8", "JSON content type");
	}

	/* Unknown routes: 404 UnknownOperation with the envelope. */
	is_int(http(&r, "GET", "/api/v1/nothing-here", NULL, NULL), 404,
	    "unknown route is 404");
	is_str(http_json_str(&r, "error.code"), "UnknownOperation",
	    "404 code is UnknownOperation");
	ok(http_json_str(&r, "error.message") != NULL, "404 has a message");
	rid = http_json_str(&r, "request_id");
	ok(is_uuid(rid), "error envelope carries a request id");
	is_str(http_header(&r, "X-Request-Id"), rid,
	    "X-Request-Id header equals the envelope's");
	is_int(http(&r, "GET", "/health/nosuch", NULL, NULL), 404,
	    "unknown health name is 404");

	/* Wrong method: 405 with Allow. */
	is_int(http(&r, "DELETE", "/health/vpcs", NULL, NULL), 405,
	    "DELETE on a GET route is 405");
	is_str(http_json_str(&r, "error.code"), "MethodNotAllowed",
	    "405 code");
	ok(http_header(&r, "Allow") != NULL &&
	    strstr(http_header(&r, "Allow"), "GET") != NULL, "405 has Allow: GET");

	/* Request ids: echoed when well-formed, replaced otherwise. */
	http(&r, "GET", "/health/auth", NULL, given);
	is_str(http_header(&r, "X-Request-Id"),
	    "0f0e0d0c-0b0a-4908-8706-050403020100", "a valid X-Request-Id is echoed");
	http(&r, "GET", "/health/auth", NULL, bad_rid);
	ok(is_uuid(http_header(&r, "X-Request-Id")),
	    "a malformed X-Request-Id is replaced by a fresh UUID");

	/* Security headers. */
	is_str(http_header(&r, "X-Content-Type-Options"), "nosniff", "nosniff");
	is_str(http_header(&r, "Cache-Control"), "no-store", "no-store");
	ok(http_header(&r, "Referrer-Policy") != NULL, "Referrer-Policy set");

	/*
	 * Hostile queries.  lighttpd repairs a bad escape like %zz into
	 * %25zz before we see it (the unit tests cover our own decoder),
	 * and refuses an encoded NUL itself; Apache passes it to us.
	 * Either way: a clean 400.
	 */
	is_int(http(&r, "GET", "/health/vpcs?a=%00", NULL, NULL), 400,
	    "encoded NUL is 400");
	is_int(http(&r, "GET", "/health/vpcs?a=1&&b=%41&c", NULL, NULL), 200,
	    "odd but valid query is fine");

	/* CORS: no header for an origin that is not allowed. */
	http(&r, "GET", "/health/vpcs", NULL, origin);
	ok(http_header(&r, "Access-Control-Allow-Origin") == NULL,
	    "a foreign origin gets no CORS header");
	is_int(http(&r, "OPTIONS", "/health/vpcs", NULL, NULL), 204,
	    "OPTIONS preflight on a known path is 204");
	ok(http_header(&r, "Access-Control-Allow-Methods") != NULL,
	    "preflight lists the methods");

	http_free(&r);
	return tap_done();
}
