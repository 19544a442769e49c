/*
 * Snapshots.  Taking one copies the volume's size and encryption in one
 * statement that also reads the volume's state, so a volume deleted or
 * still creating is seen as such; the snapshot then stands alone (no
 * foreign key either way, as EC2 keeps snapshots of deleted volumes).
 */
#include <assert.h>
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/params.h"
#include "core/request.h"
#include "ebs.h"
#include "snapshots.h"

const char *const snapshot_filter_keys[] = {
	"snapshot_id", "volume_id", "status", "state", "encrypted",
	"owner_id", "volume_size", "description", NULL
};

static struct db_stmt q_snapshot_get = DB_STMT(
    "SELECT cloudsim.snapshot_json(s) AS json FROM cloudsim.v_snapshots s"
    " WHERE s.id = $1 AND ($2::text IS NULL OR s.account_id = $2)"
    " AND s.region = $3");

json_t *
snapshot_get(struct request *req, const char *id, struct api_error *err)
{
	struct scope		s;

	if (!ebs_id_check(&ebs_kind_snapshot, id, "snapshot_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return ebs_get(req, &ebs_kind_snapshot, &q_snapshot_get, id, &s, err);
}

static struct db_stmt q_snapshot_list = DB_STMT(
    "WITH f AS (SELECT s.id, s.created_at FROM cloudsim.v_snapshots s"
    " WHERE ($1::text IS NULL OR s.account_id = $1) AND s.region = $2"
    " AND ($3::text[] IS NULL OR s.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR s.volume_id = ANY ($4))"
    " AND ($5::text[] IS NULL OR s.state = ANY ($5))"
    " AND ($6::text[] IS NULL OR s.state = ANY ($6))"
    " AND ($7::text[] IS NULL OR s.encrypted::text = ANY ($7))"
    " AND ($8::text[] IS NULL OR s.owner_id = ANY ($8))"
    " AND ($9::text[] IS NULL OR s.volume_size::text = ANY ($9))"
    " AND ($10::text[] IS NULL OR s.description = ANY ($10))"
    " AND ($11::jsonb IS NULL OR cloudsim.tags_match(s.tags, $11::jsonb)))"
    " SELECT (SELECT count(*) FROM f) AS total,"
    " coalesce((SELECT json_agg(cloudsim.snapshot_json(s)"
    "  ORDER BY s.created_at, s.id)"
    "  FROM (SELECT id FROM f ORDER BY created_at, id LIMIT $12 OFFSET $13)"
    "  p JOIN cloudsim.v_snapshots s ON s.id = p.id), '[]') AS items");

json_t *
snapshot_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope		 s;
	const char		*p[13];
	int			 i;

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	/* The filter keys in the statement's order, $3 to $10. */
	for (i = 0; snapshot_filter_keys[i] != NULL; i++)
		p[2 + i] = listing_filter_param(req, f, snapshot_filter_keys[i]);
	assert(i == 8);
	p[10] = listing_tag_param(req, f);
	return ebs_list(req, &q_snapshot_list, p, 13, page, err);
}

/*
 * The volume as of now and, when it may be snapshotted, the new
 * snapshot: one statement, so the state read is the state used.
 */
static struct db_stmt q_snapshot_insert = DB_STMT(
    "WITH v AS (SELECT v.id, v.size, v.state, v.encrypted, v.kms_key_id"
    "  FROM cloudsim.v_volumes v WHERE v.id = $1 AND v.account_id = $2"
    "  AND v.region = $3),"
    " ins AS (INSERT INTO cloudsim.snapshots (account_id, region,"
    "  volume_id, volume_size, description, encrypted, kms_key_id, state,"
    "  next_state, next_state_at, tags)"
    "  SELECT $2, $3, v.id, v.size, $4, v.encrypted, v.kms_key_id,"
    "  'pending', 'completed', now() + make_interval(secs => $5::integer),"
    "  $6::jsonb FROM v WHERE v.state IN ('available', 'in-use')"
    "  RETURNING id)"
    " SELECT (SELECT state FROM v) AS volume_state,"
    " (SELECT id FROM ins) AS id");

struct snapshot_new {
	const char	*params[6];	/* volume, account, region, description,
					   delay, tags */
	const char	*id;		/* out */
};

static bool
snapshot_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct snapshot_new	*n = arg;
	const char		*state, *ids[2];
	PGresult		*r;

	if ((r = db_exec(req, &q_snapshot_insert, 6, n->params, err)) == NULL)
		return false;
	if ((state = db_get(r, 0, "volume_state")) == NULL)
		return ebs_not_found(&ebs_kind_volume, n->params[0], err);
	if ((n->id = db_get(r, 0, "id")) == NULL)
		return api_error_set(err, 400, "IncorrectState", "the volume "
		    "'%s' is '%s'; a snapshot can be taken of an available or "
		    "in-use volume", n->params[0], state);
	ids[0] = n->id;
	ids[1] = n->params[0];
	return audit_write(req, SNAPSHOT_ACTION_CREATE, ids, 2, 201, err);
}

json_t *
snapshot_create(struct request *req, const char *volume_id,
    const struct snapshot_create_params *in, struct api_error *err)
{
	struct scope		s;
	struct snapshot_new	n;
	size_t			len;

	if (!ebs_id_check(&ebs_kind_volume, volume_id, "volume_id", err))
		return NULL;
	if (in->description != NULL &&
	    (len = utf8_length(in->description)) > SNAPSHOT_DESCRIPTION_MAX) {
		api_error_invalid(err, "'description' is %zu characters long; "
		    "the limit is %d", len, SNAPSHOT_DESCRIPTION_MAX);
		return NULL;
	}
	if (!tags_validate(&in->tags, err) || !scope_write(req, &s, err))
		return NULL;
	memset(&n, 0, sizeof(n));
	n.params[0] = volume_id;
	n.params[1] = s.account;
	n.params[2] = s.region;
	n.params[3] = in->description != NULL ? in->description : "";
	n.params[4] = ebs_delay(req, "snapshot_pending_delay");
	n.params[5] = tags_param(req, &in->tags);
	return ebs_write(req, snapshot_create_tx, &n, &n.id, &ebs_kind_snapshot,
	    &q_snapshot_get, &s, err);
}

static struct db_stmt q_snapshot_delete = DB_STMT(
    "DELETE FROM cloudsim.snapshots WHERE id = $1 AND account_id = $2"
    " AND region = $3 RETURNING id");

struct snapshot_gone {
	const char	*params[3];
};

static bool
snapshot_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct snapshot_gone	*g = arg;
	PGresult		*r;

	if ((r = db_exec(req, &q_snapshot_delete, 3, g->params, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return ebs_not_found(&ebs_kind_snapshot, g->params[0], err);
	return audit_write(req, SNAPSHOT_ACTION_DELETE, &g->params[0], 1, 200,
	    err);
}

bool
snapshot_delete(struct request *req, const char *id, struct api_error *err)
{
	struct scope		s;
	struct snapshot_gone	g;

	if (!ebs_id_check(&ebs_kind_snapshot, id, "snapshot_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.params[0] = id;
	g.params[1] = s.account;
	g.params[2] = s.region;
	return db_transaction(req, snapshot_delete_tx, &g, err);
}

json_t *
snapshot_tags_merge(struct request *req, const char *id,
    const struct tag_set *tags, struct api_error *err)
{
	return ebs_tags_merge(req, &ebs_kind_snapshot, id, tags, err);
}

json_t *
snapshot_tags_delete(struct request *req, const char *id,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	return ebs_tags_delete(req, &ebs_kind_snapshot, id, keys, nkeys, err);
}
