/*
 * Lists, as API.md fixes them for every collection: the page a client
 * asks for (?page=1&page_size=20), the envelope every list answers with
 * ({"items", "total", "page", "page_size", "total_pages"}), and the
 * filters of the query string.  A filter key may repeat (values OR-ed;
 * keys AND-ed); tag:K filters are gathered into one jsonb parameter
 * ({"K": ["v1", "v2"]}) so that one static statement serves any tag
 * filter.  The EC2 front fills the same structs from Filter.N.Name.
 */
#ifndef CLOUDSIM_LISTING_H
#define CLOUDSIM_LISTING_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct arena;
struct request;
struct api_error;

#define LISTING_PAGE_DEFAULT		1
#define LISTING_PAGE_MAX		1000000000LL
#define LISTING_PAGE_SIZE_DEFAULT	20
#define LISTING_PAGE_SIZE_MAX		1000
#define LISTING_TAG_PREFIX		"tag:"

struct listing_page {
	long long	 page;		/* 1..LISTING_PAGE_MAX */
	long long	 page_size;	/* 1..LISTING_PAGE_SIZE_MAX */
};

/* One filter key and its values (OR-ed); strings live in the arena. */
struct listing_filter {
	const char	 *key;		/* "vpc_id", "tag:Name" */
	const char	**values;
	size_t		  n;
};

struct listing_filters {
	struct listing_filter	*items;
	size_t			 n;
	size_t			 cap;
};

/*
 * page and page_size from the query string, as decimal digits; absent
 * ones take the defaults.  400 InvalidParameterValue for anything else
 * (signs, zero, page_size over 1000, a key given twice).
 */
bool		 listing_page_parse(const struct request *,
		    struct listing_page *out, struct api_error *);

/* Rows to skip for page (page - 1) * page_size, as a decimal string. */
const char	*listing_offset(struct request *, const struct listing_page *);
/* page_size as a decimal string, for a LIMIT parameter. */
const char	*listing_limit(struct request *, const struct listing_page *);

/*
 * The list envelope around items (a JSON array, stolen, also on
 * failure).  total_pages is ceil(total / page_size), 0 when total is 0.
 * New reference, or NULL when memory runs out.
 */
json_t		*listing_envelope(json_t *items, long long total,
		    const struct listing_page *);

/*
 * The same envelope as JSON text around items, the text of a JSON array
 * (PostgreSQL's json_agg), in the request's memory; NULL when items is.
 */
const char	*listing_envelope_text(struct request *, const char *items,
		    long long total, const struct listing_page *);

/*
 * Every query key but page and page_size as a filter.  Keys must be in
 * allowed (NULL-terminated), or tag:K with K 1..128 characters when
 * tags is set; any other key is 400 InvalidParameterValue naming it.
 * out lives in the request's arena.
 */
bool		 listing_filters_parse(struct request *,
		    const char *const *allowed, bool tags,
		    struct listing_filters *out, struct api_error *);

/* Add value under key (copied into the arena); for fronts other than REST. */
void		 listing_filters_add(struct arena *, struct listing_filters *,
		    const char *key, const char *value);

/*
 * The values of key as a PostgreSQL text[] literal for a parameter, or
 * NULL (SQL NULL: no filter) when no value was given.  Valid until the
 * request ends.
 */
const char	*listing_filter_param(struct request *,
		    const struct listing_filters *, const char *key);

/* The value of key when exactly one was given, else NULL. */
const char	*listing_filter_single(const struct listing_filters *,
		    const char *key);

/*
 * The tag:K filters as one jsonb object {"K": ["v", ...]}, or NULL when
 * there are none.  Valid until the request ends.
 */
const char	*listing_tag_param(struct request *,
		    const struct listing_filters *);

#endif
