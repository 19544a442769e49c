/*
 * A resource's tags changed through its REST front: a set merged in, or
 * keys removed, by the service's own UPDATE (its table, and what counts
 * as a live row) in the caller's write scope, in one transaction with
 * its audit row (CreateTags or DeleteTags, for the id the row returns).
 * The answer is {"id", "tags"}.  Each service checks the id first and
 * words its own 404.
 */
#ifndef CLOUDSIM_TAG_CHANGE_H
#define CLOUDSIM_TAG_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* The audit rows' actions (the routes' failures use them too). */
#define TAG_ACTION_CREATE	"CreateTags"
#define TAG_ACTION_DELETE	"DeleteTags"

struct request;
struct api_error;
struct db_stmt;
struct tag_set;

struct tag_target {
	const char	*id;		/* or what else $1 names the row by */
	/* $1 id, $2 account, $3 region, $4 the tags (jsonb) or the keys
	 * (text[]); RETURNING id, tags of the live row, if any */
	struct db_stmt	*st;
	/* Fills err with the 404 for id and returns false. */
	bool		(*not_found)(const void *kind, const char *id,
			    struct api_error *);
	const void	*kind;
};

/* Merge tags (400 when they break AWS's rules, or when there is none). */
json_t	*tag_change_merge(struct request *, const struct tag_target *,
	    const struct tag_set *tags, struct api_error *);

/* Remove keys (400 when one breaks the key rules, or when there is none). */
json_t	*tag_change_remove(struct request *, const struct tag_target *,
	    const char *const *keys, size_t nkeys, struct api_error *);

#endif
