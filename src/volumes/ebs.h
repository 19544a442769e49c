/*
 * What volumes, attachments and snapshots share: the id formats and
 * error codes of each kind, the list runner, tags (PUT and DELETE
 * …/tags), the quota lock, transition delays from the configuration,
 * and the table that maps sql/005_volumes.sql's constraint names to
 * EC2's codes.  The caller's scope is core/scope.h's.  The services
 * (volumes.h, attachments.h, snapshots.h) are protocol-neutral; rest.h
 * and the EC2 front call them alike.
 */
#ifndef CLOUDSIM_VOLUMES_EBS_H
#define CLOUDSIM_VOLUMES_EBS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/db.h"
#include "core/scope.h"

struct request;
struct api_error;
struct listing_page;
struct tag_set;


/* A kind of resource: its id format, names, codes and tag statements. */
struct ebs_kind {
	const char	*prefix;	/* "vol-" */
	const char	*noun;		/* "volume", for messages */
	const char	*malformed;	/* "InvalidVolumeID.Malformed" */
	const char	*not_found;	/* "InvalidVolume.NotFound" */
	struct db_stmt	*tags_merge;	/* $1 id, $2 account, $3 region, $4 jsonb */
	struct db_stmt	*tags_delete;	/* … $4 text[] of keys */
};

extern const struct ebs_kind ebs_kind_volume, ebs_kind_snapshot,
	    ebs_kind_instance;

/*
 * 400 <Kind>.Malformed unless id is the kind's prefix and 17 (or, as
 * EC2's older ids, 8) lower-case hex digits; field names the parameter.
 */
bool	ebs_id_check(const struct ebs_kind *, const char *id,
	    const char *field, struct api_error *);
/* Fill the 404 of an unknown (or another account's) id; returns false. */
bool	ebs_not_found(const struct ebs_kind *, const char *id,
	    struct api_error *);

/*
 * Run a list statement whose one row has "total" and "items" (a JSON
 * array built by SQL); params[0..n-1] end with the page's LIMIT and
 * OFFSET, which this fills.  The list envelope (new reference) or NULL
 * with err.
 */
json_t	*ebs_list(struct request *, struct db_stmt *, const char **params,
	    int n, const struct listing_page *, struct api_error *);

/*
 * Run a statement reading one resource's JSON (column "json") by $1 id,
 * $2 account (NULL: any), $3 region; 404 of kind when there is no row.
 * New reference, or NULL with err.
 */
json_t	*ebs_get(struct request *, const struct ebs_kind *, struct db_stmt *,
	    const char *id, const struct scope *, struct api_error *);

/*
 * A write and its answer: fn(req, arg, err) in a transaction, then *id
 * (fn may set it) read as ebs_get reads it, as the transaction's last
 * statement, so that COMMIT goes in the same round trip
 * (db_commit_with_next).  New reference, or NULL with err: then nothing
 * was written, unless the answer failed to parse after COMMIT.
 */
json_t	*ebs_write(struct request *,
	    bool (*fn)(struct request *, void *, struct api_error *), void *arg,
	    const char *const *id, const struct ebs_kind *, struct db_stmt *,
	    const struct scope *, struct api_error *);

/* A json column as a value (new reference); NULL (with err) if unparsable. */
json_t	*ebs_json_column(const PGresult *, int row, const char *col,
	    struct api_error *);

/*
 * Merge tags into, or remove keys from, the caller's resource id of
 * kind, audited as CreateTags / DeleteTags.  Returns {"id", "tags"} with
 * every tag after the change (new reference), or NULL with err: 404 for
 * an unknown id, 400 TagLimitExceeded past 50 tags.
 */
json_t	*ebs_tags_merge(struct request *, const struct ebs_kind *,
	    const char *id, const struct tag_set *, struct api_error *);
json_t	*ebs_tags_delete(struct request *, const struct ebs_kind *,
	    const char *id, const char *const *keys, size_t nkeys,
	    struct api_error *);

/*
 * In a transaction: serialise the volume quota's counting for the
 * scope's account and region until the transaction ends.  Creating,
 * modifying and (by 006) launching take it before they count.  Deferred
 * (db_defer): taken in the round trip of the next statement, before it.
 */
bool	ebs_quota_lock(struct request *, const struct scope *,
	    struct api_error *);

/* A delay key of the configuration as a seconds parameter (0 if bad). */
const char *ebs_delay(struct request *, const char *key);

/* Once per process: register the constraint table with db.h. */
void	ebs_init(void);

#endif
