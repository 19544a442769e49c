/*
 * The query/form decoder and the router with hostile input.
 */
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/request.h"
#include "core/router.h"
#include "core/urlencoded.h"
#include "core/utf8.h"
#include "tap.h"

static bool
h(struct request *req, struct response *res, struct api_error *err)
{
	(void)req; (void)res; (void)err;
	return true;
}

static const struct route routes[] = {
	{ "GET", "/api/v1/vpcs", h, 0 },
	{ "POST", "/api/v1/vpcs", h, 0 },
	{ "GET", "/api/v1/vpcs/{id}", h, 0 },
	{ "DELETE", "/api/v1/vpcs/{id}", h, 0 },
	{ "POST", "/api/v1/instances/{id}/start", h, 0 },
	{ NULL, NULL, NULL, 0 }
};

int
main(void)
{
	struct arena		*a = arena_new();
	struct api_error	 err;
	struct kvlist		 l;
	struct request		 req;
	const struct route	*found;
	char			*out, allow[128];
	const char		*s;

	ok(percent_decode(a, "a%20b+c", 7, true, &out, &err), "decode ok");
	is_str(out, "a b c", "%20 and + are spaces");
	ok(percent_decode(a, "a+b", 3, false, &out, &err), "path decode");
	is_str(out, "a+b", "+ stays in paths");
	ok(!percent_decode(a, "%zz", 3, true, &out, &err), "%zz rejected");
	is_int(err.status, 400, "bad escape is 400");
	is_str(err.code, "InvalidParameterValue", "bad escape code");
	ok(!percent_decode(a, "abc%4", 5, true, &out, &err), "truncated %4");
	ok(!percent_decode(a, "abc%", 4, true, &out, &err), "lone %");
	ok(!percent_decode(a, "%00", 3, true, &out, &err), "encoded NUL");
	ok(percent_decode(a, "%C3%A9", 6, true, &out, &err) &&
	    strcmp(out, "\xc3\xa9") == 0, "UTF-8 escape decodes");

	s = "a=1&b=&c&&a=%32&=x&tag%3AName=web";
	ok(urlencoded_parse(a, s, strlen(s), &l, &err), "parse query");
	is_int(l.n, 6, "six pieces (empty ones skipped)");
	is_str(kvlist_get(&l, "a"), "1", "first a");
	is_int(kvlist_count(&l, "a"), 2, "a repeats");
	is_str(l.items[3].value, "2", "second a decoded");
	is_str(kvlist_get(&l, "b"), "", "b is empty");
	is_str(kvlist_get(&l, "c"), "", "c without = is empty");
	is_str(kvlist_get(&l, ""), "x", "empty key kept");
	is_str(kvlist_get(&l, "tag:Name"), "web", "encoded key decoded");
	ok(urlencoded_parse(a, "", 0, &l, &err) && l.n == 0, "empty query");
	ok(!urlencoded_parse(a, "x=%G0", 5, &l, &err), "bad escape in value");

	memset(&req, 0, sizeof(req));
	req.arena = a;
	is_int(router_match(routes, "GET", "/api/v1/vpcs", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_FOUND, "list route");
	is_int(router_match(routes, "GET", "/api/v1/vpcs/vpc-12345678", &req,
	    &found, allow, sizeof(allow), &err), ROUTE_FOUND, "get route");
	is_str(request_param(&req, "id"), "vpc-12345678", "id captured");
	is_int(router_match(routes, "POST", "/api/v1/instances/i-1/start",
	    &req, &found, allow, sizeof(allow), &err), ROUTE_FOUND,
	    "nested route");
	is_str(request_param(&req, "id"), "i-1", "nested id");
	is_int(router_match(routes, "PUT", "/api/v1/vpcs/x", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_BAD_METHOD, "PUT is 405");
	is_str(allow, "GET, DELETE, OPTIONS", "Allow lists methods");
	is_int(router_match(routes, "GET", "/api/v1/vpcs/", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_NOT_FOUND, "empty id: 404");
	is_int(router_match(routes, "GET", "/api/v1/vpcs/a/b", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_NOT_FOUND, "extra segment");
	is_int(router_match(routes, "GET", "/api/v1/vpcsx", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_NOT_FOUND, "prefix only");
	is_int(router_match(routes, "GET", "/api/v1/vpcs/%zz", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_BAD_PATH, "bad escape in id");
	is_int(router_match(routes, "GET", "", &req, &found,
	    allow, sizeof(allow), &err), ROUTE_NOT_FOUND, "empty path");

	ok(utf8_valid("h\xc3\xa9llo", 6), "valid UTF-8");
	ok(!utf8_valid("\xff", 1), "0xff invalid");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate invalid");
	is_str(utf8_clean(a, "a\xffz"), "a?z", "cleaned");

	arena_free(a);
	return tap_done();
}
