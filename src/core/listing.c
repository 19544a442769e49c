/*
 * Pages, envelopes and filters of lists.  Filters are kept in query
 * order, one entry per key with its values, in the request's arena; the
 * SQL side receives each key as one text[] (pgarray.h) and the tags as
 * one jsonb object, so the statement text never depends on the query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "listing.h"
#include "params.h"
#include "pgarray.h"
#include "request.h"
#include "urlencoded.h"
#include "utf8.h"

#define TAG_KEY_MAX	128

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

/* A positive decimal of at most 10 digits in [1, max], or 400. */
static bool
page_number(const struct request *req, const char *key, long long max,
    long long def, long long *out, struct api_error *err)
{
	const char	*v = kvlist_get(&req->query, key), *p;
	long long	 n = 0;

	*out = def;
	if (v == NULL)
		return true;
	if (kvlist_count(&req->query, key) > 1)
		return api_error_invalid(err, "'%s' is given more than once",
		    key);
	for (p = v; *p >= '0' && *p <= '9' && p - v < 10; p++)
		n = n * 10 + (*p - '0');
	if (*v == '\0' || *p != '\0' || n < 1 || n > max)
		return api_error_invalid(err, "'%s' must be a whole number "
		    "from 1 to %lld, got '%.32s'", key, max, v);
	*out = n;
	return true;
}

bool
listing_page_parse(const struct request *req, struct listing_page *out,
    struct api_error *err)
{
	return page_number(req, "page", LISTING_PAGE_MAX,
	    LISTING_PAGE_DEFAULT, &out->page, err) &&
	    page_number(req, "page_size", LISTING_PAGE_SIZE_MAX,
	    LISTING_PAGE_SIZE_DEFAULT, &out->page_size, err);
}

const char *
listing_offset(struct request *req, const struct listing_page *p)
{
	return arena_printf(req->arena, "%lld", (p->page - 1) * p->page_size);
}

const char *
listing_limit(struct request *req, const struct listing_page *p)
{
	return arena_printf(req->arena, "%lld", p->page_size);
}

/* ceil(total / page_size), 0 when total is 0. */
static long long
total_pages(long long total, const struct listing_page *p)
{
	return total == 0 ? 0 : (total + p->page_size - 1) / p->page_size;
}

json_t *
listing_envelope(json_t *items, long long total,
    const struct listing_page *p)
{
	long long	pages = total_pages(total, p);

	if (items == NULL)
		return NULL;
	/* "o" steals items, also when packing fails. */
	return json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", items,
	    "total", (json_int_t)total, "page", (json_int_t)p->page,
	    "page_size", (json_int_t)p->page_size,
	    "total_pages", (json_int_t)pages);
}

const char *
listing_envelope_text(struct request *req, const char *items,
    long long total, const struct listing_page *p)
{
	if (items == NULL)
		return NULL;
	return arena_printf(req->arena, "{\"items\":%s,\"total\":%lld,"
	    "\"page\":%lld,\"page_size\":%lld,\"total_pages\":%lld}",
	    items, total, p->page, p->page_size, total_pages(total, p));
}

static struct listing_filter *
filter_slot(struct arena *a, struct listing_filters *f, const char *key)
{
	struct listing_filter	*grown;
	size_t			 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].key, key) == 0)
			return &f->items[i];
	if (f->n == f->cap) {
		/* The arena frees the old array with the request. */
		f->cap = f->cap == 0 ? 4 : f->cap * 2;
		grown = arena_calloc(a, f->cap, sizeof(*grown));
		if (f->n > 0)
			memcpy(grown, f->items, f->n * sizeof(*grown));
		f->items = grown;
	}
	f->items[f->n].key = arena_strdup(a, key);
	f->items[f->n].values = NULL;
	f->items[f->n].n = 0;
	return &f->items[f->n++];
}

void
listing_filters_add(struct arena *a, struct listing_filters *f,
    const char *key, const char *value)
{
	struct listing_filter	*s = filter_slot(a, f, key);
	const char		**grown;

	/* Values are few; growing one at a time keeps this simple. */
	grown = arena_calloc(a, s->n + 1, sizeof(*grown));
	if (s->n > 0)
		memcpy(grown, s->values, s->n * sizeof(*grown));
	grown[s->n++] = arena_strdup(a, value);
	s->values = grown;
}

static bool
allowed_key(const char *const *allowed, const char *key)
{
	for (; allowed != NULL && *allowed != NULL; allowed++)
		if (strcmp(*allowed, key) == 0)
			return true;
	return false;
}

bool
listing_filters_parse(struct request *req, const char *const *allowed,
    bool tags, struct listing_filters *out, struct api_error *err)
{
	const struct kv	*q;
	const char	*tag;
	size_t		 i, len;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < req->query.n; i++) {
		q = &req->query.items[i];
		/* SQL text and JSON strings both need valid UTF-8. */
		if (!utf8_valid(q->key, strlen(q->key)) ||
		    !utf8_valid(q->value, strlen(q->value)))
			return api_error_invalid(err, "query parameters must "
			    "be UTF-8 text");
		if (strcmp(q->key, "page") == 0 ||
		    strcmp(q->key, "page_size") == 0)
			continue;
		if (tags && strncmp(q->key, LISTING_TAG_PREFIX,
		    strlen(LISTING_TAG_PREFIX)) == 0) {
			tag = q->key + strlen(LISTING_TAG_PREFIX);
			len = utf8_length(tag);
			if (len < 1 || len > TAG_KEY_MAX)
				return api_error_invalid(err, "the filter "
				    "'%.160s' must name a tag key of 1 to %d "
				    "characters", q->key, TAG_KEY_MAX);
		} else if (!allowed_key(allowed, q->key))
			return api_error_invalid(err, "'%.64s' is not a "
			    "filter of this list", q->key);
		listing_filters_add(req->arena, out, q->key, q->value);
	}
	return true;
}

static const struct listing_filter *
find(const struct listing_filters *f, const char *key)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].key, key) == 0)
			return &f->items[i];
	return NULL;
}

const char *
listing_filter_param(struct request *req, const struct listing_filters *f,
    const char *key)
{
	const struct listing_filter	*s = find(f, key);

	if (s == NULL)
		return NULL;
	return pgarray_text(req->arena, s->values, s->n, 1);
}

const char *
listing_filter_single(const struct listing_filters *f, const char *key)
{
	const struct listing_filter	*s = find(f, key);

	return s != NULL && s->n == 1 ? s->values[0] : NULL;
}

const char *
listing_tag_param(struct request *req, const struct listing_filters *f)
{
	const size_t	 plen = strlen(LISTING_TAG_PREFIX);
	json_t		*obj = NULL, *values;
	char		*text;
	const char	*out = NULL;
	size_t		 i, j;

	for (i = 0; i < f->n; i++) {
		if (strncmp(f->items[i].key, LISTING_TAG_PREFIX, plen) != 0)
			continue;
		if (obj == NULL) {
			obj = json_object();
			arena_defer(req->arena, json_decref_cb, obj);
		}
		values = json_array();
		for (j = 0; j < f->items[i].n; j++)
			json_array_append_new(values,
			    json_string(f->items[i].values[j]));
		json_object_set_new(obj, f->items[i].key + plen, values);
	}
	if (obj != NULL && (text = json_dumps(obj, JSON_COMPACT)) != NULL) {
		out = arena_strdup(req->arena, text);
		free(text);
	}
	return out;
}
