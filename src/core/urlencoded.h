/*
 * application/x-www-form-urlencoded: query strings and EC2 Query bodies.
 * Keys may repeat (tag:Name=a&tag:Name=b); order is kept.  Malformed
 * percent-encoding and encoded NUL bytes are errors (400), never
 * silently repaired.
 */
#ifndef CLOUDSIM_URLENCODED_H
#define CLOUDSIM_URLENCODED_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct api_error;

struct kv {
	const char	*key;
	const char	*value;
};

struct kvlist {
	struct kv	*items;		/* valid until the request ends */
	size_t		 n;
};

/*
 * Decode len bytes of s; '+' means space when plus_is_space.  The result
 * is NUL-terminated in the arena.  False with 400 InvalidParameterValue
 * on a bad escape or an encoded NUL.
 */
bool		 percent_decode(struct arena *, const char *s, size_t len,
		    bool plus_is_space, char **out, struct api_error *);

/* Split "a=1&b=2&a=3" into out (empty pieces are skipped). */
bool		 urlencoded_parse(struct arena *, const char *s, size_t len,
		    struct kvlist *out, struct api_error *);

/* The first value for key, or NULL. */
const char	*kvlist_get(const struct kvlist *, const char *key);
/* How many times key occurs. */
size_t		 kvlist_count(const struct kvlist *, const char *key);

#endif
