/*
 * The small steps every REST front of a resource service repeats: refuse
 * unknown query keys, read the input of a tag change, answer a service's
 * result (or pass its error on), answer a deletion, and run a list
 * through the service's describe.
 */
#ifndef CLOUDSIM_REST_REPLY_H
#define CLOUDSIM_REST_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct request;
struct response;
struct api_error;
struct listing_filters;
struct listing_page;
struct tag_set;

/* An allowed list that allows no query key. */
extern const char *const rest_no_query[];

/* 400 InvalidParameterValue for a query key not in allowed (NULL-ended). */
bool	rest_query(const struct request *, const char *const *allowed,
	    struct api_error *);

/*
 * PUT …/tags: the body's "tags" object (no query, no other member).
 * DELETE …/tags?key=K&key=…: the keys, in the request's memory.
 */
bool	rest_tags_body(struct request *, struct tag_set *, struct api_error *);
bool	rest_tag_keys(struct request *, const char *const **keys, size_t *n,
	    struct api_error *);

/* status with result (a new reference, stolen), or false when NULL. */
bool	rest_answer(struct request *, struct response *, int status,
	    json_t *result);

/* status with text, JSON PostgreSQL built (response_json_text), or false
 * when NULL. */
bool	rest_answer_text(struct request *, struct response *, int status,
	    const char *text);

/* 200 {"return": true} when ok, else false (the service filled err). */
bool	rest_deleted(struct request *, struct response *, bool ok);

/*
 * Page and filters from the query string, then 200 with describe's page:
 * a JSON value (rest_list) or JSON text PostgreSQL built (rest_list_text).
 */
bool	rest_list(struct request *, struct response *,
	    const char *const *filter_keys,
	    json_t *(*describe)(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *),
	    struct api_error *);
bool	rest_list_text(struct request *, struct response *,
	    const char *const *filter_keys,
	    const char *(*describe)(struct request *,
	    const struct listing_filters *, const struct listing_page *,
	    struct api_error *),
	    struct api_error *);

#endif
