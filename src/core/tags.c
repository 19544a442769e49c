/*
 * Tag validation and the jsonb text handed to SQL.  Lengths count code
 * points, as AWS's limits do; text from a query string is checked for
 * UTF-8 first, because JSON and PostgreSQL both need it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "error.h"
#include "params.h"
#include "request.h"
#include "tags.h"
#include "utf8.h"

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

bool
tags_from_json(struct request *req, const json_t *v, const char *field,
    struct tag_set *out, struct api_error *err)
{
	struct tag	*items;
	const char	*key;
	json_t		*value;
	size_t		 n = 0;

	out->items = NULL;
	out->n = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_object(v))
		return api_error_invalid(err, "'%s' must be an object of "
		    "string values, e.g. {\"Name\": \"web\"}", field);
	items = arena_calloc(req->arena, json_object_size(v) + 1,
	    sizeof(*items));
	json_object_foreach((json_t *)v, key, value) {
		if (!json_is_string(value))
			return api_error_invalid(err, "the value of tag "
			    "'%.128s' must be a string", key);
		items[n].key = key;
		items[n].value = json_string_value(value);
		n++;
	}
	out->items = items;
	out->n = n;
	return tags_validate(out, err);
}

bool
tags_validate_key(const char *key, struct api_error *err)
{
	size_t	len;

	if (!utf8_valid(key, strlen(key)))
		return api_error_invalid(err, "a tag key must be UTF-8 text");
	len = utf8_length(key);
	if (len < 1 || len > TAG_KEY_MAX)
		return api_error_invalid(err, "the tag key '%.160s' is %zu "
		    "characters long; keys are 1 to %d characters", key, len,
		    TAG_KEY_MAX);
	if (strncasecmp(key, "aws:", 4) == 0)
		return api_error_invalid(err, "the tag key '%.160s' starts "
		    "with 'aws:', which AWS reserves for its own tags", key);
	return true;
}

bool
tags_validate(const struct tag_set *set, struct api_error *err)
{
	const struct tag	*t;
	size_t			 i, len;

	if (set->n > TAGS_MAX)
		return api_error_set(err, 400, "TagLimitExceeded",
		    "%zu tags are given; a resource may have at most %d",
		    set->n, TAGS_MAX);
	for (i = 0; i < set->n; i++) {
		t = &set->items[i];
		if (!tags_validate_key(t->key, err))
			return false;
		if (!utf8_valid(t->value, strlen(t->value)))
			return api_error_invalid(err, "the value of tag "
			    "'%.128s' must be UTF-8 text", t->key);
		if ((len = utf8_length(t->value)) > TAG_VALUE_MAX)
			return api_error_invalid(err, "the value of tag "
			    "'%.128s' is %zu characters long; the limit is %d",
			    t->key, len, TAG_VALUE_MAX);
	}
	return true;
}

const char *
tags_param(struct request *req, const struct tag_set *set)
{
	json_t		*obj = json_object();
	char		*text;
	const char	*out = "{}";
	size_t		 i;

	arena_defer(req->arena, json_decref_cb, obj);
	for (i = 0; i < set->n; i++)
		json_object_set_new(obj, set->items[i].key,
		    json_string(set->items[i].value));
	if ((text = json_dumps(obj, JSON_COMPACT)) != NULL) {
		out = arena_strdup(req->arena, text);
		free(text);
	}
	return out;
}

json_t *
tags_render(const char *text)
{
	json_t	*obj = NULL;

	if (text != NULL)
		obj = json_loads(text, 0, NULL);
	if (!json_is_object(obj)) {
		json_decref(obj);
		obj = json_object();
	}
	return obj;
}
