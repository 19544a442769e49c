/*
 * Lists (core/listing.h) and tags (core/tags.h): pages, filters and the
 * parameters handed to SQL, tag validation and rendering.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/tags.h"
#include "core/urlencoded.h"
#include "tap.h"

static struct arena	*a;
static struct request	 req;
static struct api_error	 err;

static void
query(const char *q)
{
	memset(&req, 0, sizeof(req));
	req.arena = a;
	urlencoded_parse(a, q, strlen(q), &req.query, &err);
}

static int
page_fails(const char *q)
{
	struct listing_page	p;

	query(q);
	memset(&err, 0, sizeof(err));
	return !listing_page_parse(&req, &p, &err) && err.status == 400 &&
	    strcmp(err.code, "InvalidParameterValue") == 0;
}

int
main(void)
{
	static const char *const allowed[] = { "vpc_id", "state", NULL };
	static const char *const rejects[] = { "page=0", "page=-1",
	    "page=abc", "page=", "page=1.5", "page=+1", "page_size=0",
	    "page_size=1001", "page_size=99999999999", "page=1&page=2",
	    "page=1000000001", NULL };
	const char *const	*q;
	struct listing_page	 page;
	struct listing_filters	 f;
	struct tag_set		 tags;
	struct tag		 many[51];
	char			 keys[51][16], name[128], big[300];
	json_t			*obj, *env;
	int			 i;

	a = arena_new();

	/* Pages. */
	query("");
	ok(listing_page_parse(&req, &page, &err) && page.page == 1 &&
	    page.page_size == 20, "defaults: page 1, 20 a page");
	query("page=3&page_size=1000");
	ok(listing_page_parse(&req, &page, &err) && page.page == 3 &&
	    page.page_size == 1000, "page 3 of 1000");
	is_str(listing_offset(&req, &page), "2000", "offset (page-1)*size");
	is_str(listing_limit(&req, &page), "1000", "limit is the page size");
	for (q = rejects; *q != NULL; q++) {
		snprintf(name, sizeof(name), "'%s' is a 400", *q);
		ok(page_fails(*q), name);
	}
	page.page = 1;
	page.page_size = 20;
	env = listing_envelope(json_array(), 41, &page);
	ok(json_integer_value(json_object_get(env, "total_pages")) == 3 &&
	    json_integer_value(json_object_get(env, "total")) == 41 &&
	    json_is_array(json_object_get(env, "items")),
	    "envelope: 41 items are 3 pages");
	json_decref(env);
	env = listing_envelope(json_array(), 0, &page);
	is_int(json_integer_value(json_object_get(env, "total_pages")), 0,
	    "no items, no pages");
	json_decref(env);

	/* Filters. */
	query("vpc_id=vpc-1&page=2&vpc_id=vpc-\"2&tag:Name=web&tag:Name=db"
	    "&tag:env=prod");
	ok(listing_filters_parse(&req, allowed, true, &f, &err),
	    "allowed keys and tags parse");
	is_str(listing_filter_param(&req, &f, "vpc_id"),
	    "{\"vpc-1\",\"vpc-\\\"2\"}", "repeated values: one quoted text[]");
	ok(listing_filter_param(&req, &f, "state") == NULL,
	    "an absent key is SQL NULL");
	obj = json_loads(listing_tag_param(&req, &f), 0, NULL);
	ok(json_array_size(json_object_get(obj, "Name")) == 2 &&
	    strcmp(json_string_value(json_array_get(json_object_get(obj,
	    "env"), 0)), "prod") == 0, "tag filters: one jsonb object");
	json_decref(obj);
	query("state=x");
	listing_filters_parse(&req, allowed, true, &f, &err);
	ok(listing_tag_param(&req, &f) == NULL, "no tag filter is SQL NULL");
	query("colour=blue");
	ok(!listing_filters_parse(&req, allowed, true, &f, &err) &&
	    err.status == 400 && strstr(err.message, "colour") != NULL,
	    "an unknown key is a 400 naming it");
	query("tag:Name=web");
	ok(!listing_filters_parse(&req, allowed, false, &f, &err),
	    "tags refused where the list has none");
	query("tag:=web");
	ok(!listing_filters_parse(&req, allowed, true, &f, &err),
	    "an empty tag key is refused");
	query("vpc_id=%ff");
	ok(!listing_filters_parse(&req, allowed, true, &f, &err),
	    "a value that is not UTF-8 is refused");
	memset(&f, 0, sizeof(f));
	for (i = 0; i < 9; i++)
		listing_filters_add(a, &f, i % 2 ? "vpc_id" : "tag:k", "v");
	ok(f.n == 2 && f.items[0].n == 5 && f.items[1].n == 4,
	    "listing_filters_add groups values by key");

	/* Tags. */
	obj = json_pack("{s:s, s:s}", "Name", "web", "empty", "");
	ok(tags_from_json(&req, obj, "tags", &tags, &err) && tags.n == 2,
	    "an object of strings");
	env = json_loads(tags_param(&req, &tags), 0, NULL);
	ok(strcmp(json_string_value(json_object_get(env, "Name")), "web") == 0,
	    "tags_param is a JSON object");
	json_decref(env);
	json_decref(obj);
	ok(tags_from_json(&req, NULL, "tags", &tags, &err) && tags.n == 0,
	    "absent tags are an empty set");
	obj = json_pack("{s:i}", "n", 1);
	ok(!tags_from_json(&req, obj, "tags", &tags, &err) && err.status == 400,
	    "a number value is refused");
	json_decref(obj);
	obj = json_pack("[s]", "x");
	ok(!tags_from_json(&req, obj, "tags", &tags, &err), "an array is refused");
	json_decref(obj);
	ok(!tags_validate_key("aws:name", &err) &&
	    !tags_validate_key("AWS:name", &err), "aws: keys in any case");
	ok(!tags_validate_key("", &err), "an empty key");
	memset(big, 'k', 129);
	big[129] = '\0';
	ok(!tags_validate_key(big, &err), "a 129-character key");
	big[128] = '\0';
	ok(tags_validate_key(big, &err), "a 128-character key");
	for (i = 0; i < 51; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		many[i].key = keys[i];
		many[i].value = "v";
	}
	tags.items = many;
	tags.n = 51;
	ok(!tags_validate(&tags, &err) && strcmp(err.code, "TagLimitExceeded") == 0,
	    "51 tags: TagLimitExceeded");
	tags.n = 50;
	ok(tags_validate(&tags, &err), "50 tags are fine");
	memset(big, 'v', 257);
	big[257] = '\0';
	many[0].value = big;
	ok(!tags_validate(&tags, &err), "a 257-character value");
	many[0].value = "\xff";
	ok(!tags_validate(&tags, &err), "a value that is not UTF-8");
	obj = tags_render("{\"a\": \"b\"}");
	ok(json_is_object(obj) && json_object_size(obj) == 1, "render a column");
	json_decref(obj);
	obj = tags_render(NULL);
	ok(json_is_object(obj) && json_object_size(obj) == 0,
	    "render NULL as {}");
	json_decref(obj);

	arena_free(a);
	return tap_done();
}
