/*
 * Resource tags, AWS's rules: at most 50 per resource, keys of 1..128
 * characters that do not start with "aws:" (in any case), values of
 * 0..256 characters, all UTF-8.  The REST front reads them from a
 * "tags" object, the EC2 front from Tag.N.Key/Value; both validate here
 * and hand SQL one jsonb object.  The schema's cloudsim.tags domain
 * holds the same rules, so a merge that would pass 50 fails there.
 */
#ifndef CLOUDSIM_TAGS_H
#define CLOUDSIM_TAGS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct request;
struct api_error;

#define TAGS_MAX	50
#define TAG_KEY_MAX	128
#define TAG_VALUE_MAX	256

struct tag {
	const char	*key;
	const char	*value;
};

struct tag_set {
	const struct tag *items;	/* valid until the request ends */
	size_t		  n;
};

/*
 * The tags member v of a body: absent or null is the empty set, else an
 * object of string values, checked by tags_validate.  400 naming field
 * on a wrong type.  Strings are borrowed from v.
 */
bool		 tags_from_json(struct request *, const json_t *v,
		    const char *field, struct tag_set *out,
		    struct api_error *);

/*
 * AWS's rules: 400 InvalidParameterValue for a bad key or value (quoted),
 * 400 TagLimitExceeded for more than TAGS_MAX.
 */
bool		 tags_validate(const struct tag_set *, struct api_error *);

/* One key to remove, under the key rules; 400 when it breaks them. */
bool		 tags_validate_key(const char *key, struct api_error *);

/*
 * The set as a JSON object text {"k":"v",...} for a jsonb parameter
 * ("{}" when empty); a later duplicate key wins.  Valid until the
 * request ends.
 */
const char	*tags_param(struct request *, const struct tag_set *);

/*
 * A tags column (jsonb text, or NULL) as a JSON object for a response.
 * New reference; an empty object when text is NULL or does not parse.
 */
json_t		*tags_render(const char *text);

#endif
