/*
 * Volumes.  Creating and modifying count the quotas under the volume
 * quota lock (ebs.h), taken before the count, so writers racing for the
 * last slot are serialised and exactly one wins.  A client token is
 * stored with the volume it created, with a hash of the normalized
 * parameters, under a unique key per account; the same lock makes a
 * retry racing its original find it.  Deleting locks the volume row
 * first and then decides on a fresh snapshot, so an attach that
 * committed meanwhile is seen, and one still to come waits and then
 * finds the volume gone.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/timestamp.h"
#include "ebs.h"
#include "volume_types.h"
#include "volumes.h"

#define KMS_KEY_MAX		2048
#define KMS_DEFAULT_ALIAS	"alias/aws/ebs"

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

const char *const volume_filter_keys[] = {
	"volume_id", "status", "state", "volume_type", "availability_zone",
	"snapshot_id", "encrypted", "size", "attachment_instance_id",
	"attachment_status", "attachment_device",
	"attachment_delete_on_termination", NULL
};

static struct db_stmt q_volume_get = DB_STMT(
    "SELECT cloudsim.volume_json(v) AS json FROM cloudsim.v_volumes v"
    " WHERE v.id = $1 AND ($2::text IS NULL OR v.account_id = $2)"
    " AND v.region = $3");

json_t *
volume_get(struct request *req, const char *id, struct api_error *err)
{
	struct scope		s;

	if (!ebs_id_check(&ebs_kind_volume, id, "volume_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return ebs_get(req, &ebs_kind_volume, &q_volume_get, id, &s, err);
}

/*
 * The filtered ids once (f), their count, and one page of them rendered
 * by SQL: one round trip, and the attachments are read for the page's
 * rows only.  Attachment filters match any live attachment, as EC2's.
 */
#define ATTACHMENT_FILTER(n, expr) \
    " AND ($" #n "::text[] IS NULL OR EXISTS (SELECT 1" \
    " FROM cloudsim.v_volume_attachments a WHERE a.volume_id = v.id" \
    " AND " expr " = ANY ($" #n ")))"

static struct db_stmt q_volume_list = DB_STMT(
    "WITH f AS (SELECT v.id, v.created_at FROM cloudsim.v_volumes v"
    " WHERE ($1::text IS NULL OR v.account_id = $1) AND v.region = $2"
    " AND ($3::text[] IS NULL OR v.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR v.state = ANY ($4))"
    " AND ($5::text[] IS NULL OR v.state = ANY ($5))"
    " AND ($6::text[] IS NULL OR v.volume_type = ANY ($6))"
    " AND ($7::text[] IS NULL OR v.availability_zone = ANY ($7))"
    " AND ($8::text[] IS NULL OR v.snapshot_id = ANY ($8))"
    " AND ($9::text[] IS NULL OR v.encrypted::text = ANY ($9))"
    " AND ($10::text[] IS NULL OR v.size::text = ANY ($10))"
    ATTACHMENT_FILTER(11, "a.instance_id")
    ATTACHMENT_FILTER(12, "a.state")
    ATTACHMENT_FILTER(13, "a.device")
    ATTACHMENT_FILTER(14, "a.delete_on_termination::text")
    " AND ($15::jsonb IS NULL OR cloudsim.tags_match(v.tags, $15::jsonb)))"
    " SELECT (SELECT count(*) FROM f) AS total,"
    " coalesce((SELECT json_agg(cloudsim.volume_json(v)"
    "  ORDER BY v.created_at, v.id)"
    "  FROM (SELECT id FROM f ORDER BY created_at, id LIMIT $16 OFFSET $17)"
    "  p JOIN cloudsim.v_volumes v ON v.id = p.id), '[]') AS items");

json_t *
volume_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope		 s;
	const char		*p[17];
	int			 i;

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	/* The filter keys in the statement's order, $3 to $14. */
	for (i = 0; volume_filter_keys[i] != NULL; i++)
		p[2 + i] = listing_filter_param(req, f, volume_filter_keys[i]);
	assert(i == 12);
	p[14] = listing_tag_param(req, f);
	return ebs_list(req, &q_volume_list, p, 17, page, err);
}

/* --- create -------------------------------------------------------- */

/*
 * The KMS key as the ARN stored with the volume: a key id (UUID or a
 * multi-Region mrk- id) or an alias of the caller's account and region,
 * or a full key or alias ARN.  *out is NULL for the default key
 * (alias/aws/ebs), which SQL derives.
 */
static bool
kms_key_arn(struct request *req, const struct scope *s, const char *key,
    const char **out, struct api_error *err)
{
	size_t	len = key != NULL ? strlen(key) : 0;

	*out = NULL;
	if (key == NULL || strcmp(key, KMS_DEFAULT_ALIAS) == 0)
		return true;
	if (len > KMS_KEY_MAX)
		return api_error_invalid(err, "'kms_key_id' is %zu characters "
		    "long; the limit is %d", len, KMS_KEY_MAX);
	if (id_is_uuid(key) || id_valid(key, "mrk-", 32))
		*out = arena_printf(req->arena, "arn:aws:kms:%s:%s:key/%s",
		    s->region, s->account, key);
	else if (strncmp(key, "alias/", 6) == 0 && len > 6 &&
	    strspn(key + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789/_-") == len - 6)
		*out = arena_printf(req->arena, "arn:aws:kms:%s:%s:%s",
		    s->region, s->account, key);
	else if (strncmp(key, "arn:aws:kms:", 12) == 0 &&
	    (strstr(key, ":key/") != NULL || strstr(key, ":alias/") != NULL))
		*out = key;
	else
		return api_error_invalid(err, "'kms_key_id' value '%.128s' is "
		    "not a KMS key id, alias (alias/...) or ARN", key);
	return true;
}

/* The create transaction's input and output. */
struct volume_new {
	const struct scope	*scope;
	const struct volume_create_params *in;
	struct volume_spec	 spec;
	const char		*kms;		/* normalized, or NULL */
	const char		*request;	/* normalized JSON, for the hash */
	const char		*tags;
	const char		*id;		/* out */
};

/*
 * Everything create decides on, read after the quota lock: the zone,
 * the volume a client token already made (and whether with the same
 * parameters), the snapshot, and the counts the quotas compare, from
 * cloudsim.volume_usage (sql/016), which plans them for the account; the
 * rest keeps its generic plan (lookups by key).
 */
static struct db_stmt q_volume_prepare = DB_STMT_GENERIC(
    "SELECT EXISTS (SELECT 1 FROM cloudsim.zones z"
    "  WHERE z.name = $3 AND z.region = $2) AS zone_ok,"
    " t.id AS token_id,"
    " t.request_hash = encode(sha256(convert_to($7, 'UTF8')), 'hex')"
    "  AS token_same,"
    " s.id AS snapshot_id, s.state AS snapshot_state,"
    " s.volume_size AS snapshot_size, s.encrypted AS snapshot_encrypted,"
    " s.kms_key_id AS snapshot_kms,"
    " u.volumes, coalesce((u.gib_by_type ->> $5)::bigint, 0) AS type_gib"
    " FROM cloudsim.volume_usage($1, $2) u"
    " LEFT JOIN cloudsim.volumes t ON t.account_id = $1"
    "  AND t.client_token = $6"
    " LEFT JOIN cloudsim.v_snapshots s ON s.id = $4 AND s.account_id = $1"
    "  AND s.region = $2");

static struct db_stmt q_volume_insert = DB_STMT(
    "INSERT INTO cloudsim.volumes (account_id, region, availability_zone,"
    " size_gib, volume_type, iops, throughput, encrypted, kms_key_id,"
    " snapshot_id, state, next_state, next_state_at, client_token,"
    " request_hash, tags)"
    " VALUES ($1, $2, $3, $4::integer, $5, $6::integer, $7::integer,"
    " $8::boolean, CASE WHEN $8::boolean"
    "  THEN coalesce($9, cloudsim.ebs_default_kms_key($1, $2)) END,"
    " $10, 'creating', 'available',"
    " now() + make_interval(secs => $11::integer), $12,"
    " CASE WHEN $12::text IS NOT NULL"
    "  THEN encode(sha256(convert_to($13, 'UTF8')), 'hex') END,"
    " $14::jsonb)"
    " RETURNING id");

/* n as a parameter, or NULL (SQL NULL) when negative (not applicable). */
static const char *
int_param(struct request *req, long long n)
{
	return n < 0 ? NULL : arena_printf(req->arena, "%lld", n);
}

static bool
quota_check(const struct volume_new *n, long long volumes, long long gib,
    struct api_error *err)
{
	long	max_volumes = config_int("quota_volumes_per_region");
	long	max_gib = config_int("quota_volume_gib_per_type");

	if (volumes + 1 > max_volumes)
		return api_error_set(err, 400, "VolumeLimitExceeded", "the "
		    "account has reached its limit of %ld volumes in region "
		    "'%s'", max_volumes, n->scope->region);
	if (gib + n->spec.size > max_gib)
		return api_error_set(err, 400, "VolumeLimitExceeded", "a %lld "
		    "GiB %s volume would bring the account's %s storage in "
		    "region '%s' to %lld GiB; the limit is %ld GiB",
		    n->spec.size, n->spec.type, n->spec.type, n->scope->region,
		    gib + n->spec.size, max_gib);
	return true;
}

/* Size, encryption and key from the snapshot, once it is read. */
static bool
from_snapshot(struct volume_new *n, const PGresult *r, bool *encrypted,
    struct api_error *err)
{
	const struct volume_create_params *in = n->in;
	const char	*state = db_get(r, 0, "snapshot_state");
	long long	 size = db_get_int(r, 0, "snapshot_size");

	if (db_get(r, 0, "snapshot_id") == NULL)
		return ebs_not_found(&ebs_kind_snapshot, in->snapshot_id, err);
	if (strcmp(state, "completed") != 0)
		return api_error_set(err, 400, "IncorrectState", "the snapshot "
		    "'%s' is '%s'; a volume can be created from a completed "
		    "snapshot only", in->snapshot_id, state);
	if (!in->size.set)
		n->spec.size = size;
	else if (in->size.value < size)
		return api_error_invalid(err, "'size' %lld GiB is smaller than "
		    "the snapshot '%s' (%lld GiB); a volume from it must be at "
		    "least as large", in->size.value, in->snapshot_id, size);
	/* An encrypted snapshot makes encrypted volumes, with its key. */
	if (db_get_bool(r, 0, "snapshot_encrypted")) {
		*encrypted = true;
		if (n->kms == NULL && in->kms_key_id == NULL)
			n->kms = db_get(r, 0, "snapshot_kms");
	}
	return true;
}

static bool
volume_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct volume_new	*n = arg;
	const struct volume_create_params *in = n->in;
	const char		*p[14];
	bool			 encrypted = in->encrypted;
	PGresult		*r;

	if (!ebs_quota_lock(req, n->scope, err))
		return false;
	p[0] = n->scope->account;
	p[1] = n->scope->region;
	p[2] = in->availability_zone;
	p[3] = in->snapshot_id;
	p[4] = n->spec.type;
	p[5] = in->client_token;
	p[6] = n->request;
	if ((r = db_exec(req, &q_volume_prepare, 7, p, err)) == NULL)
		return false;
	if (db_get(r, 0, "token_id") != NULL) {
		if (!db_get_bool(r, 0, "token_same"))
			return api_error_set(err, 400,
			    "IdempotentParameterMismatch", "the client token "
			    "'%s' was already used with other parameters",
			    in->client_token);
		n->id = db_get(r, 0, "token_id");
		return audit_write(req, VOLUME_ACTION_CREATE, &n->id, 1, 201,
		    err);
	}
	if (!db_get_bool(r, 0, "zone_ok"))
		return api_error_set(err, 400, "InvalidZone.NotFound", "the "
		    "zone '%.64s' does not exist in region '%s'",
		    in->availability_zone, n->scope->region);
	if (in->snapshot_id != NULL && !from_snapshot(n, r, &encrypted, err))
		return false;
	if (!volume_spec_complete(&n->spec, err) ||
	    !quota_check(n, db_get_int(r, 0, "volumes"),
	    db_get_int(r, 0, "type_gib"), err))
		return false;
	p[3] = int_param(req, n->spec.size);
	p[4] = n->spec.type;
	p[5] = int_param(req, n->spec.iops);
	p[6] = int_param(req, n->spec.throughput);
	p[7] = encrypted ? "true" : "false";
	p[8] = n->kms;
	p[9] = in->snapshot_id;
	p[10] = ebs_delay(req, "volume_creating_delay");
	p[11] = in->client_token;
	p[12] = n->request;
	p[13] = n->tags;
	if ((r = db_exec(req, &q_volume_insert, 14, p, err)) == NULL)
		return false;
	n->id = db_get(r, 0, "id");
	return audit_write(req, VOLUME_ACTION_CREATE, &n->id, 1, 201, err);
}

/* An optional integer as JSON: its value, or null. */
static json_t *
opt_int(const struct volume_int *v)
{
	return v->set ? json_integer(v->value) : json_null();
}

/*
 * The parameters a client token is bound to, after defaults that need
 * no lookup, as canonical JSON: the same request always gives the same
 * text.  Valid until the request ends.
 */
static const char *
normalized_request(struct request *req, const struct volume_new *n)
{
	const struct volume_create_params *in = n->in;
	json_t		*obj;
	char		*text;
	const char	*out;

	obj = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:s?, s:b, s:s?, s:o}",
	    "region", n->scope->region,
	    "availability_zone", in->availability_zone,
	    "size", opt_int(&in->size),
	    "volume_type", n->spec.type,
	    "iops", opt_int(&in->iops),
	    "throughput", opt_int(&in->throughput),
	    "snapshot_id", in->snapshot_id,
	    "encrypted", in->encrypted,
	    "kms_key_id", n->kms,
	    "tags", json_loads(n->tags, 0, NULL));
	if (obj == NULL)
		return NULL;
	arena_defer(req->arena, json_decref_cb, obj);
	if ((text = json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT)) == NULL)
		return NULL;
	out = arena_strdup(req->arena, text);
	free(text);
	return out;
}

/* Checks that need no database, in the order EC2 reports them. */
static bool
create_params_check(const struct volume_create_params *in,
    struct volume_spec *spec, struct api_error *err)
{
	size_t	len;

	if (in->availability_zone == NULL)
		return api_error_missing(err, "availability_zone");
	if (!volume_type_check(in->volume_type, "volume_type", err))
		return false;
	spec->type = in->volume_type != NULL ? in->volume_type :
	    VOLUME_TYPE_DEFAULT;
	spec->size = in->size.set ? in->size.value : -1;
	spec->iops = in->iops.set ? in->iops.value : -1;
	spec->throughput = in->throughput.set ? in->throughput.value : -1;
	if (!in->size.set && in->snapshot_id == NULL)
		return api_error_set(err, 400, "MissingParameter", "the request "
		    "must give 'size' or 'snapshot_id'");
	if (in->snapshot_id != NULL && !ebs_id_check(&ebs_kind_snapshot,
	    in->snapshot_id, "snapshot_id", err))
		return false;
	if (in->kms_key_id != NULL && !in->encrypted)
		return api_error_set(err, 400, "InvalidParameterDependency",
		    "'kms_key_id' requires 'encrypted' to be true");
	if (in->client_token != NULL && ((len = strlen(in->client_token)) <
	    1 || len > VOLUME_CLIENT_TOKEN_MAX))
		return api_error_invalid(err, "'client_token' must be 1 to %d "
		    "characters long, got %zu", VOLUME_CLIENT_TOKEN_MAX, len);
	if (!tags_validate(&in->tags, err) || !volume_spec_params(spec, err))
		return false;
	/* Known size: the limits now; else once the snapshot is read. */
	if (in->size.set) {
		struct volume_spec copy = *spec;
		return volume_spec_complete(&copy, err);
	}
	return true;
}

json_t *
volume_create(struct request *req, const struct volume_create_params *in,
    struct api_error *err)
{
	struct scope		s;
	struct volume_new	n;

	memset(&n, 0, sizeof(n));
	n.in = in;
	if (!create_params_check(in, &n.spec, err) ||
	    !scope_write(req, &s, err) ||
	    !kms_key_arn(req, &s, in->kms_key_id, &n.kms, err))
		return NULL;
	n.scope = &s;
	n.tags = tags_param(req, &in->tags);
	if ((n.request = normalized_request(req, &n)) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	return ebs_write(req, volume_create_tx, &n, &n.id, &ebs_kind_volume,
	    &q_volume_get, &s, err);
}

/* --- modify -------------------------------------------------------- */

/*
 * The volume locked for the change, its settled state, and the GiB of
 * the target type the account holds in the region besides it (read
 * after the quota lock, so no concurrent change is missed).
 */
static struct db_stmt q_volume_lock_modify = DB_STMT(
    "SELECT v.size_gib, v.volume_type, v.iops, v.throughput,"
    " cloudsim.ebs_settled(v.state, v.next_state, v.next_state_at) AS state,"
    " (SELECT coalesce(sum(o.size), 0) FROM cloudsim.v_volumes o"
    "  WHERE o.account_id = v.account_id AND o.region = v.region"
    "  AND o.volume_type = coalesce($4, v.volume_type) AND o.id <> v.id)"
    "  AS type_gib"
    " FROM cloudsim.volumes v WHERE v.id = $1 AND v.account_id = $2"
    " AND v.region = $3"
    " AND cloudsim.ebs_settled(v.state, v.next_state, v.next_state_at)"
    "  <> 'deleted'"
    " FOR UPDATE OF v");

static struct db_stmt q_volume_update = DB_STMT(
    "UPDATE cloudsim.volumes SET size_gib = $2::integer, volume_type = $3,"
    " iops = $4::integer, throughput = $5::integer WHERE id = $1");

struct volume_change {
	const struct scope	*scope;
	const char		*id;
	const struct volume_modify_params *in;
	struct volume_spec	 from, to;	/* out: before and after */
};

/* A stored value as a spec member: -1 for SQL NULL. */
static long long
stored_int(const PGresult *r, const char *col)
{
	return db_get(r, 0, col) == NULL ? -1 : db_get_int(r, 0, col);
}

/*
 * The target specification: what is asked, else what the volume has
 * when its type stays, else the new type's defaults (EC2: 3000 IOPS
 * when changing to gp3, io1 or io2).
 */
static bool
modify_target(struct volume_change *c, struct api_error *err)
{
	const struct volume_modify_params *in = c->in;
	bool	same = in->volume_type == NULL ||
		    strcmp(in->volume_type, c->from.type) == 0;

	c->to.type = same ? c->from.type : in->volume_type;
	if ((!same || strcmp(c->from.type, "standard") == 0) &&
	    (strcmp(c->from.type, "standard") == 0 ||
	    strcmp(c->to.type, "standard") == 0))
		return api_error_invalid(err, "the volume '%s' cannot be "
		    "modified %s type standard (magnetic): EC2 does not modify "
		    "previous-generation volumes", c->id,
		    strcmp(c->from.type, "standard") == 0 ? "from" : "to");
	c->to.size = in->size.set ? in->size.value : c->from.size;
	if (c->to.size < c->from.size)
		return api_error_invalid(err, "'size' %lld GiB is smaller than "
		    "the volume's %lld GiB; a volume can only grow", c->to.size,
		    c->from.size);
	c->to.iops = in->iops.set ? in->iops.value : same ? c->from.iops :
	    (strcmp(c->to.type, "io1") == 0 || strcmp(c->to.type, "io2") == 0)
	    ? 3000 : -1;
	c->to.throughput = in->throughput.set ? in->throughput.value :
	    same ? c->from.throughput : -1;
	return volume_spec_complete(&c->to, err);
}

static bool
volume_modify_tx(struct request *req, void *arg, struct api_error *err)
{
	struct volume_change	*c = arg;
	const char		*p[5];
	const char		*state;
	long long		 gib;
	long			 max_gib = config_int("quota_volume_gib_per_type");
	PGresult		*r;

	if (!ebs_quota_lock(req, c->scope, err))
		return false;
	p[0] = c->id;
	p[1] = c->scope->account;
	p[2] = c->scope->region;
	p[3] = c->in->volume_type;
	if ((r = db_exec(req, &q_volume_lock_modify, 4, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return ebs_not_found(&ebs_kind_volume, c->id, err);
	state = db_get(r, 0, "state");
	if (strcmp(state, "creating") == 0 || strcmp(state, "deleting") == 0 ||
	    strcmp(state, "error") == 0)
		return api_error_set(err, 400, "IncorrectState", "the volume "
		    "'%s' is '%s'; it can be modified when available or in use",
		    c->id, state);
	c->from.type = arena_strdup(req->arena, db_get(r, 0, "volume_type"));
	c->from.size = db_get_int(r, 0, "size_gib");
	c->from.iops = stored_int(r, "iops");
	c->from.throughput = stored_int(r, "throughput");
	if (!modify_target(c, err))
		return false;
	gib = db_get_int(r, 0, "type_gib");
	if (gib + c->to.size > max_gib)
		return api_error_set(err, 400, "VolumeLimitExceeded", "%lld GiB "
		    "of %s would bring the account's %s storage in region '%s' "
		    "to %lld GiB; the limit is %ld GiB", c->to.size, c->to.type,
		    c->to.type, c->scope->region, gib + c->to.size, max_gib);
	p[1] = int_param(req, c->to.size);
	p[2] = c->to.type;
	p[3] = int_param(req, c->to.iops);
	p[4] = int_param(req, c->to.throughput);
	if (db_exec(req, &q_volume_update, 5, p, err) == NULL)
		return false;
	return audit_write(req, VOLUME_ACTION_MODIFY, &c->id, 1, 200, err);
}

/* A spec's delivered IOPS and throughput as JSON (null: none). */
static json_t *
spec_iops(struct volume_spec *s)
{
	long long	iops;

	/* A stored NULL of gp3 is its baseline. */
	if (strcmp(s->type, "gp3") == 0 && s->iops < 0)
		s->iops = 3000;
	iops = volume_spec_iops(s);
	return iops < 0 ? json_null() : json_integer(iops);
}

static json_t *
spec_throughput(const struct volume_spec *s)
{
	if (strcmp(s->type, "gp3") != 0)
		return json_null();
	return json_integer(s->throughput < 0 ? 125 : s->throughput);
}

/* EC2's VolumeModification of a change that completed at once. */
static json_t *
modification(struct volume_change *c)
{
	char	now[TIMESTAMP_LEN + 1];

	timestamp_now(now);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:o, s:o,"
	    " s:I, s:s, s:o, s:o}",
	    "volume_id", c->id, "modification_state", "completed",
	    "progress", 100, "start_time", now, "end_time", now,
	    "original_size", (json_int_t)c->from.size,
	    "original_volume_type", c->from.type,
	    "original_iops", spec_iops(&c->from),
	    "original_throughput", spec_throughput(&c->from),
	    "target_size", (json_int_t)c->to.size,
	    "target_volume_type", c->to.type,
	    "target_iops", spec_iops(&c->to),
	    "target_throughput", spec_throughput(&c->to));
}

json_t *
volume_modify(struct request *req, const char *id,
    const struct volume_modify_params *in, struct api_error *err)
{
	struct scope		 s;
	struct volume_change	 c;
	json_t			*v, *m;

	if (!ebs_id_check(&ebs_kind_volume, id, "volume_id", err) ||
	    !volume_type_check(in->volume_type, "volume_type", err))
		return NULL;
	if (!in->size.set && in->volume_type == NULL && !in->iops.set &&
	    !in->throughput.set) {
		api_error_set(err, 400, "MissingParameter", "give at least one "
		    "of 'size', 'volume_type', 'iops' or 'throughput' to "
		    "modify");
		return NULL;
	}
	if (!scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.in = in;
	if ((v = ebs_write(req, volume_modify_tx, &c, &c.id, &ebs_kind_volume,
	    &q_volume_get, &s, err)) == NULL)
		return NULL;
	if ((m = modification(&c)) == NULL ||
	    json_object_set_new(v, "modification", m) != 0) {
		json_decref(v);
		api_error_internal(err);
		return NULL;
	}
	return v;
}

/* --- delete -------------------------------------------------------- */

/* Its rows are not read: it goes, deferred, with the delete. */
static struct db_stmt q_volume_lock_delete = DB_STMT(
    "SELECT v.id FROM cloudsim.volumes v WHERE v.id = $1"
    " AND v.account_id = $2 AND v.region = $3"
    " AND cloudsim.ebs_settled(v.state, v.next_state, v.next_state_at)"
    "  <> 'deleted'"
    " FOR UPDATE OF v");

/*
 * After the lock, in its pipeline: a fresh look at the state (a
 * statement of its own, so a new snapshot), the delete if it may, and
 * the refusal otherwise (sql/024), the condition of a row-less SELECT,
 * so evaluated before its one row.  A volume the delete did not find
 * after all (it cannot be, under the lock) is refused as unknown, so
 * that no success is committed without its delete.
 */
static struct db_stmt q_volume_delete = DB_STMT(
    "WITH v AS (SELECT v.state FROM cloudsim.v_volumes v WHERE v.id = $1"
    "  AND v.account_id = $2 AND v.region = $3),"
    " del AS (DELETE FROM cloudsim.volumes d WHERE d.id = $1"
    "  AND d.account_id = $2 AND d.region = $3"
    "  AND (SELECT state FROM v) = 'available' RETURNING d.id)"
    " SELECT CASE WHEN (SELECT count(*) FROM del) = 1 THEN true"
    "  ELSE cloudsim.volume_delete_check($1, NULL, NULL) END AS deleted"
    " WHERE cloudsim.volume_delete_check($1, (SELECT state FROM v),"
    " (SELECT a.instance_id FROM cloudsim.v_volume_attachments a"
    "  WHERE a.volume_id = $1))");

struct volume_gone {
	const struct scope	*scope;
	const char		*id;
};

/*
 * The lock, the audit row, the delete and COMMIT in one round trip:
 * the delete's statement refuses what it must, and a refusal rolls the
 * rest back.
 */
static bool
volume_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct volume_gone	*g = arg;
	const char		*p[3] = { g->id, g->scope->account,
				    g->scope->region };

	if (!db_defer(req, &q_volume_lock_delete, 3, p, err) ||
	    !audit_write(req, VOLUME_ACTION_DELETE, &g->id, 1, 200, err))
		return false;
	db_commit_with_next();
	return db_exec(req, &q_volume_delete, 3, p, err) != NULL;
}

bool
volume_delete(struct request *req, const char *id, struct api_error *err)
{
	struct scope		s;
	struct volume_gone	g;

	if (!ebs_id_check(&ebs_kind_volume, id, "volume_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.scope = &s;
	g.id = id;
	return db_transaction(req, volume_delete_tx, &g, err);
}

/* --- tags ---------------------------------------------------------- */

json_t *
volume_tags_merge(struct request *req, const char *id,
    const struct tag_set *tags, struct api_error *err)
{
	return ebs_tags_merge(req, &ebs_kind_volume, id, tags, err);
}

json_t *
volume_tags_delete(struct request *req, const char *id,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	return ebs_tags_delete(req, &ebs_kind_volume, id, keys, nkeys, err);
}
