/*
 * Shared REST reply steps (rest_reply.h).
 */
#include <string.h>

#include "arena.h"
#include "error.h"
#include "listing.h"
#include "request.h"
#include "rest_reply.h"
#include "tags.h"

const char *const rest_no_query[] = { NULL };

bool
rest_query(const struct request *req, const char *const *allowed,
    struct api_error *err)
{
	const char *const	*a;
	size_t			 i;

	for (i = 0; i < req->query.n; i++) {
		for (a = allowed; *a != NULL &&
		    strcmp(*a, req->query.items[i].key) != 0; a++)
			;
		if (*a == NULL)
			return api_error_invalid(err, "'%.64s' is not a query "
			    "parameter of this call", req->query.items[i].key);
	}
	return true;
}

bool
rest_answer(struct request *req, struct response *res, int status,
    json_t *result)
{
	if (result == NULL)
		return false;
	response_json(req, res, status, result);
	return true;
}

bool
rest_answer_text(struct request *req, struct response *res, int status,
    const char *text)
{
	if (text == NULL)
		return false;
	response_json_text(req, res, status, text);
	return true;
}

bool
rest_deleted(struct request *req, struct response *res, bool ok)
{
	if (!ok)
		return false;
	response_json(req, res, 200, json_pack("{s:b}", "return", 1));
	return true;
}

/* The page and the filters of a list's query string. */
static bool
list_query(struct request *req, const char *const *filter_keys,
    struct listing_page *page, struct listing_filters *filters,
    struct api_error *err)
{
	return listing_page_parse(req, page, err) &&
	    listing_filters_parse(req, filter_keys, true, filters, err);
}

bool
rest_list(struct request *req, struct response *res,
    const char *const *filter_keys,
    json_t *(*describe)(struct request *, const struct listing_filters *,
    const struct listing_page *, struct api_error *), struct api_error *err)
{
	struct listing_page	page;
	struct listing_filters	filters;

	return list_query(req, filter_keys, &page, &filters, err) &&
	    rest_answer(req, res, 200, describe(req, &filters, &page, err));
}

bool
rest_list_text(struct request *req, struct response *res,
    const char *const *filter_keys,
    const char *(*describe)(struct request *, const struct listing_filters *,
    const struct listing_page *, struct api_error *), struct api_error *err)
{
	struct listing_page	page;
	struct listing_filters	filters;

	return list_query(req, filter_keys, &page, &filters, err) &&
	    rest_answer_text(req, res, 200,
	    describe(req, &filters, &page, err));
}

bool
rest_tags_body(struct request *req, struct tag_set *tags,
    struct api_error *err)
{
	static const char *const allowed[] = { "tags", NULL };
	json_t	*body;

	return rest_query(req, rest_no_query, err) &&
	    request_json_only(req, allowed, &body, err) &&
	    tags_from_json(req, json_object_get(body, "tags"), "tags", tags,
	    err);
}

bool
rest_tag_keys(struct request *req, const char *const **keys, size_t *n,
    struct api_error *err)
{
	static const char *const allowed[] = { "key", NULL };
	const char	**list;
	size_t		  i;

	if (!rest_query(req, allowed, err))
		return false;
	list = arena_calloc(req->arena, req->query.n + 1, sizeof(*list));
	for (i = 0; i < req->query.n; i++)
		list[i] = req->query.items[i].value;
	*keys = list;
	*n = req->query.n;
	return true;
}
