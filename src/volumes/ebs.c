/*
 * The shared part of volumes.fcgi: kinds, lists, single reads, tags,
 * the quota lock, delays and constraint names.  Every statement
 * scopes by account (NULL for an admin's read) and region, so another
 * account's id reads exactly as an unknown one.
 */
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/scope.h"
#include "core/tag_change.h"
#include "ebs.h"

/*
 * Constraint names of sql/005_volumes.sql as a client reads them.  The
 * services check first and word the message with the values involved;
 * these stand when a race is lost inside the database.
 */
static const struct db_constraint constraints[] = {
	{ "volume_attachments_pkey", 409, "VolumeInUse",
	  "the volume is already attached to an instance" },
	{ "volume_attachments_instance_device_key", 400,
	  "InvalidParameterValue",
	  "the device name is already in use on the instance" },
	{ "volume_attachments_volume_fkey", 404, "InvalidVolume.NotFound",
	  "the volume does not exist" },
	{ "volume_attachments_instance_fkey", 404,
	  "InvalidInstanceID.NotFound", "the instance does not exist" },
	{ "volumes_client_token_key", 400, "IdempotentParameterMismatch",
	  "the client token is already used by another request" },
	{ "volumes_spec_check", 400, "InvalidParameterValue",
	  "the size, iops or throughput is outside the volume type's limits" },
	{ "tags_count_check", 400, "TagLimitExceeded",
	  "a resource may have at most 50 tags" },
	{ "tags_valid_check", 400, "InvalidParameterValue",
	  "tags must be string keys of 1 to 128 characters (not aws:) "
	  "with values of up to 256" },
	{ NULL, 0, NULL, NULL }
};

void
ebs_init(void)
{
	db_register_constraints(constraints);
}

/*
 * Not scope_lock: the volume quota's key is cloudsim.volume_quota_lock's,
 * which a launch (src/instances/launch.c) takes too.
 */
static struct db_stmt q_quota_lock = DB_STMT(
    "SELECT cloudsim.volume_quota_lock($1, $2)");

bool
ebs_quota_lock(struct request *req, const struct scope *s,
    struct api_error *err)
{
	const char	*p[2] = { s->account, s->region };

	/* Nothing to read: the lock goes with the next statement. */
	return db_defer(req, &q_quota_lock, 2, p, err);
}

const char *
ebs_delay(struct request *req, const char *key)
{
	long	v = config_int(key);

	return arena_printf(req->arena, "%ld", v > 0 ? v : 0);
}

bool
ebs_id_check(const struct ebs_kind *k, const char *id, const char *field,
    struct api_error *err)
{
	if (id == NULL)
		return api_error_missing(err, field);
	if (id_valid(id, k->prefix, 17) || id_valid(id, k->prefix, 8))
		return true;
	return api_error_set(err, 400, k->malformed, "'%s' value '%.64s' is "
	    "not a %s id: expected '%s' and 17 lower-case hex digits",
	    field, id, k->noun, k->prefix);
}

bool
ebs_not_found(const struct ebs_kind *k, const char *id,
    struct api_error *err)
{
	return api_error_set(err, 404, k->not_found, "the %s '%.64s' does "
	    "not exist", k->noun, id);
}

json_t *
ebs_json_column(const PGresult *res, int row, const char *col,
    struct api_error *err)
{
	const char	*text = db_get(res, row, col);
	json_t		*v = NULL;

	if (text != NULL)
		v = json_loads(text, JSON_DECODE_ANY, NULL);
	if (v == NULL)
		api_error_internal(err);
	return v;
}

json_t *
ebs_list(struct request *req, struct db_stmt *st, const char **params,
    int n, const struct listing_page *page, struct api_error *err)
{
	PGresult	*r;
	json_t		*items, *env;

	params[n - 2] = listing_limit(req, page);
	params[n - 1] = listing_offset(req, page);
	if ((r = db_exec(req, st, n, params, err)) == NULL)
		return NULL;
	if ((items = ebs_json_column(r, 0, "items", err)) == NULL)
		return NULL;
	if ((env = listing_envelope(items, db_get_int(r, 0, "total"),
	    page)) == NULL)
		api_error_internal(err);
	return env;
}

json_t *
ebs_get(struct request *req, const struct ebs_kind *k, struct db_stmt *st,
    const char *id, const struct scope *s, struct api_error *err)
{
	const char	*p[3] = { id, s->account, s->region };
	PGresult	*r;

	if ((r = db_exec(req, st, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		ebs_not_found(k, id, err);
		return NULL;
	}
	return ebs_json_column(r, 0, "json", err);
}

/* ebs_write's transaction: the caller's, then the answer. */
struct write_read {
	bool			 (*fn)(struct request *, void *,
				    struct api_error *);
	void			*arg;
	const char *const	*id;
	const struct ebs_kind	*kind;
	struct db_stmt		*st;
	const struct scope	*scope;
	json_t			*result;	/* out */
};

static bool
write_read_tx(struct request *req, void *arg, struct api_error *err)
{
	struct write_read	*w = arg;

	if (!w->fn(req, w->arg, err))
		return false;
	db_commit_with_next();
	w->result = ebs_get(req, w->kind, w->st, *w->id, w->scope, err);
	return w->result != NULL;
}

json_t *
ebs_write(struct request *req,
    bool (*fn)(struct request *, void *, struct api_error *), void *arg,
    const char *const *id, const struct ebs_kind *k, struct db_stmt *st,
    const struct scope *s, struct api_error *err)
{
	struct write_read	w = { fn, arg, id, k, st, s, NULL };

	if (!db_transaction(req, write_read_tx, &w, err)) {
		json_decref(w.result);
		return NULL;
	}
	return w.result;
}

/* --- kinds and tags ------------------------------------------------ */

#define TAGS_MERGE(table, live) \
    "UPDATE cloudsim." table " SET tags = tags || $4::jsonb" \
    " WHERE id = $1 AND account_id = $2 AND region = $3" live \
    " RETURNING id, tags"
#define TAGS_DELETE(table, live) \
    "UPDATE cloudsim." table " SET tags = tags - $4::text[]" \
    " WHERE id = $1 AND account_id = $2 AND region = $3" live \
    " RETURNING id, tags"
/* A volume marked deleted is gone, as in v_volumes. */
#define VOLUME_LIVE \
    " AND cloudsim.ebs_settled(state, next_state, next_state_at) <> 'deleted'"

static struct db_stmt q_volume_tags_merge = DB_STMT(
    TAGS_MERGE("volumes", VOLUME_LIVE));
static struct db_stmt q_volume_tags_delete = DB_STMT(
    TAGS_DELETE("volumes", VOLUME_LIVE));
static struct db_stmt q_snapshot_tags_merge = DB_STMT(
    TAGS_MERGE("snapshots", ""));
static struct db_stmt q_snapshot_tags_delete = DB_STMT(
    TAGS_DELETE("snapshots", ""));

const struct ebs_kind ebs_kind_volume = {
	"vol-", "volume", "InvalidVolumeID.Malformed",
	"InvalidVolume.NotFound", &q_volume_tags_merge, &q_volume_tags_delete
};
const struct ebs_kind ebs_kind_snapshot = {
	"snap-", "snapshot", "InvalidSnapshotID.Malformed",
	"InvalidSnapshot.NotFound", &q_snapshot_tags_merge,
	&q_snapshot_tags_delete
};
/* Instances are only referred to here: no tags of theirs. */
const struct ebs_kind ebs_kind_instance = {
	"i-", "instance", "InvalidInstanceID.Malformed",
	"InvalidInstanceID.NotFound", NULL, NULL
};

static bool
kind_not_found(const void *k, const char *id, struct api_error *err)
{
	return ebs_not_found(k, id, err);
}

json_t *
ebs_tags_merge(struct request *req, const struct ebs_kind *k,
    const char *id, const struct tag_set *tags, struct api_error *err)
{
	struct tag_target	t = { id, k->tags_merge, kind_not_found, k };

	if (!ebs_id_check(k, id, "id", err))
		return NULL;
	return tag_change_merge(req, &t, tags, err);
}

json_t *
ebs_tags_delete(struct request *req, const struct ebs_kind *k,
    const char *id, const char *const *keys, size_t nkeys,
    struct api_error *err)
{
	struct tag_target	t = { id, k->tags_delete, kind_not_found, k };

	if (!ebs_id_check(k, id, "id", err))
		return NULL;
	return tag_change_remove(req, &t, keys, nkeys, err);
}
