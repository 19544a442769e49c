/*
 * Reading and adjusting instances.  Every statement reads through
 * cloudsim.v_instances or resolves the state with
 * cloudsim.instance_effective_state, and hides terminated instances
 * past their retention (visible_until), so a list, a single read and an
 * administrator's SELECT agree.  JSON is built by SQL.
 */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "core/tags.h"
#include "instances.h"
#include "tenancy.h"

/*
 * An instance as the API shows it, from a row v of cloudsim.v_instances.
 * The group ids come from the link table alone: deriving them from
 * v.security_groups would run that column's join a second time.
 */
#define INSTANCE_JSON \
    "json_build_object('id', v.id, 'arn', v.arn, 'account_id', v.account_id," \
    " 'region', v.region, 'reservation_id', v.reservation_id," \
    " 'ami_launch_index', v.ami_launch_index, 'image_id', v.image_id," \
    " 'instance_type', v.instance_type, 'architecture', v.architecture," \
    " 'platform', v.platform," \
    " 'state', json_build_object('code', v.state_code, 'name', v.state)," \
    " 'state_reason', CASE WHEN v.state_reason_code IS NOT NULL THEN" \
    "  json_build_object('code', v.state_reason_code," \
    "  'message', v.state_reason_message) END," \
    " 'state_transition_reason', v.state_transition_reason," \
    " 'availability_zone', v.availability_zone, 'vpc_id', v.vpc_id," \
    " 'subnet_id', v.subnet_id, 'private_ip', host(v.private_ip)," \
    " 'public_ip', host(v.public_ip), 'private_dns_name', v.private_dns_name," \
    " 'public_dns_name', v.public_dns_name," \
    " 'security_group_ids', (SELECT coalesce(json_agg(l.group_id" \
    "  ORDER BY l.position), '[]') FROM cloudsim.instance_security_groups l" \
    "  WHERE l.instance_id = v.id)," \
    " 'security_groups', v.security_groups, 'key_name', v.key_name," \
    " 'launch_time', " DB_TIMESTAMP("v.launch_time") "," \
    " 'root_device_name', v.root_device_name," \
    " 'root_device_type', v.root_device_type," \
    " 'root_volume_id', v.root_volume_id," \
    " 'block_device_mappings', v.block_device_mappings," \
    " 'client_token', v.client_token, 'tags', v.tags," \
    " 'created_at', " DB_TIMESTAMP("v.created_at") ")"

/* Rows of cloudsim.instances a list or a change may see. */
#define INSTANCE_VISIBLE(i) \
    " (" i ".visible_until IS NULL OR " i ".visible_until > now())"
#define INSTANCE_STATE(i) \
    "cloudsim.instance_effective_state(" i ".state, " i ".next_state, " \
    i ".next_state_at)"

const char *const instance_filter_keys[] = {
	"instance_id", "state", "state_code", "instance_type", "vpc_id",
	"subnet_id", "availability_zone", "image_id", "key_name",
	"reservation_id", "private_ip", "public_ip", NULL
};

/* A JSON column's text as a value (new reference), or 500. */
static json_t *
json_column(const PGresult *r, int row, const char *col,
    struct api_error *err)
{
	const char	*text = db_get(r, row, col);
	json_t		*v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (v == NULL)
		api_error_internal(err);
	return v;
}

/*
 * The filtered ids (f, inlined into both uses: the page is a range of
 * instances_list_idx, only the count reads every match), their count,
 * and one page (k, computed once, whatever the join order) joined to
 * the view, as a JSON array.  A caller's list
 * and an admin's are two statements, so that the caller's keeps the
 * account in its index condition even under a generic plan; $1 is the
 * account (NULL for an admin).
 */
#define INSTANCE_LIST(scope) \
    "WITH f AS NOT MATERIALIZED (SELECT i.id, i.created_at" \
    " FROM cloudsim.instances i WHERE " scope " AND i.region = $2" \
    " AND" INSTANCE_VISIBLE("i") \
    " AND ($3::text[] IS NULL OR i.id = ANY ($3))" \
    " AND ($4::text[] IS NULL OR " INSTANCE_STATE("i") " = ANY ($4))" \
    " AND ($5::text[] IS NULL OR cloudsim.instance_state_code(" \
    INSTANCE_STATE("i") ")::text = ANY ($5))" \
    " AND ($6::text[] IS NULL OR i.instance_type = ANY ($6))" \
    " AND ($7::text[] IS NULL OR i.vpc_id = ANY ($7))" \
    " AND ($8::text[] IS NULL OR i.subnet_id = ANY ($8))" \
    " AND ($9::text[] IS NULL OR i.availability_zone = ANY ($9))" \
    " AND ($10::text[] IS NULL OR i.image_id = ANY ($10))" \
    " AND ($11::text[] IS NULL OR i.key_name = ANY ($11))" \
    " AND ($12::text[] IS NULL OR i.reservation_id = ANY ($12))" \
    " AND ($13::text[] IS NULL OR host(i.private_ip) = ANY ($13))" \
    " AND ($14::text[] IS NULL OR host(i.public_ip) = ANY ($14))" \
    " AND ($15::jsonb IS NULL OR cloudsim.tags_match(i.tags, $15::jsonb)))," \
    " k AS MATERIALIZED (SELECT id, created_at FROM f" \
    " ORDER BY created_at, id LIMIT $16 OFFSET $17)" \
    " SELECT (SELECT count(*) FROM f) AS total," \
    " coalesce((SELECT json_agg(" INSTANCE_JSON " ORDER BY k.created_at, k.id)" \
    " FROM k JOIN cloudsim.v_instances v ON v.id = k.id), '[]') AS items"

static struct db_stmt q_instance_list = DB_STMT(
    INSTANCE_LIST("i.account_id = $1"));
static struct db_stmt q_instance_list_all = DB_STMT(
    INSTANCE_LIST("$1::text IS NULL"));

json_t *
instance_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct tenancy	 t;
	const char	*p[17];
	PGresult	*r;
	json_t		*items;
	size_t		 i;

	if (!tenancy_read(req, &t, err))
		return NULL;
	p[0] = t.account;
	p[1] = t.region;
	/* $3 … $14 are the filters, in instance_filter_keys' order. */
	for (i = 0; instance_filter_keys[i] != NULL; i++)
		p[2 + i] = listing_filter_param(req, f, instance_filter_keys[i]);
	p[14] = listing_tag_param(req, f);
	p[15] = listing_limit(req, page);
	p[16] = listing_offset(req, page);
	if ((r = db_exec(req, t.account ? &q_instance_list :
	    &q_instance_list_all, 17, p, err)) == NULL ||
	    (items = json_column(r, 0, "items", err)) == NULL)
		return NULL;
	return listing_envelope(items, db_get_int(r, 0, "total"), page);
}

static struct db_stmt q_instance_get = DB_STMT(
    "SELECT " INSTANCE_JSON " AS instance FROM cloudsim.v_instances v"
    " WHERE v.id = $1 AND ($2::text IS NULL OR v.account_id = $2)"
    " AND v.region = $3");

json_t *
instance_get(struct request *req, const char *id, struct api_error *err)
{
	struct tenancy	 t;
	const char	*p[3];
	PGresult	*r;

	if (!instance_id_check(id, err) || !tenancy_read(req, &t, err))
		return NULL;
	p[0] = id;
	p[1] = t.account;
	p[2] = t.region;
	if ((r = db_exec(req, &q_instance_get, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		instance_not_found(arena_printf(req->arena, "'%s'", id), err);
		return NULL;
	}
	return json_column(r, 0, "instance", err);
}

static struct db_stmt q_instance_reservation = DB_STMT(
    "SELECT coalesce(json_agg(" INSTANCE_JSON " ORDER BY v.ami_launch_index),"
    " '[]') AS items FROM cloudsim.v_instances v"
    " WHERE v.reservation_id = $1 AND v.account_id = $2");

json_t *
instance_reservation(struct request *req, const char *reservation_id,
    const char *account, struct api_error *err)
{
	const char	*p[2] = { reservation_id, account };
	PGresult	*r;
	json_t		*items;

	if ((r = db_exec(req, &q_instance_reservation, 2, p, err)) == NULL ||
	    (items = json_column(r, 0, "items", err)) == NULL)
		return NULL;
	return json_pack("{s:s, s:s, s:o}", "reservation_id", reservation_id,
	    "owner_id", account, "items", items);
}

/*
 * Locks the instance and reads what the change depends on; the update
 * happens only when all holds, and the caller turns the reasons into
 * errors (rolling back).
 */
static struct db_stmt q_instance_modify = DB_STMT(
    "WITH cur AS (SELECT i.id, " INSTANCE_STATE("i") " AS state,"
    " img.architecture, t.name AS type_name,"
    " coalesce(img.architecture = ANY (t.architectures), false)"
    "  AS architecture_ok,"
    " array_to_string(t.architectures, ', ') AS type_architectures"
    " FROM cloudsim.instances i JOIN cloudsim.images img ON img.id = i.image_id"
    " LEFT JOIN cloudsim.instance_types t ON t.name = $4"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " FOR UPDATE OF i),"
    " u AS (UPDATE cloudsim.instances i SET instance_type = $4 FROM cur"
    " WHERE i.id = cur.id AND cur.state = 'stopped' AND cur.architecture_ok"
    " AND i.instance_type <> $4 RETURNING i.id)"
    " SELECT cur.*, (SELECT count(*) FROM u) AS updated FROM cur");

struct instance_change {
	const char	*params[4];
};

static bool
instance_modify_tx(struct request *req, void *arg, struct api_error *err)
{
	struct instance_change	*c = arg;
	const char		*state, *type = c->params[3];
	PGresult		*r;

	if ((r = db_exec(req, &q_instance_modify, 4, c->params, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return instance_not_found(arena_printf(req->arena, "'%s'",
		    c->params[0]), err);
	if (db_get(r, 0, "type_name") == NULL)
		return api_error_set(err, 400, "InvalidInstanceType",
		    "the instance type '%.64s' does not exist", type);
	if (!db_get_bool(r, 0, "architecture_ok"))
		return api_error_invalid(err, "the architecture '%s' of the "
		    "instance type '%.64s' does not match the architecture "
		    "'%s' of the instance's AMI", db_get(r, 0,
		    "type_architectures"), type, db_get(r, 0, "architecture"));
	state = db_get(r, 0, "state");
	if (strcmp(state, "stopped") != 0)
		return api_error_set(err, 409, "IncorrectInstanceState",
		    "the instance '%s' is '%s'; its type can be changed only "
		    "while it is 'stopped'", c->params[0], state);
	return audit_write(req, INSTANCE_ACTION_MODIFY, &c->params[0], 1, 200,
	    err);
}

json_t *
instance_modify(struct request *req, const char *id,
    const struct instance_modify_params *in, struct api_error *err)
{
	struct tenancy		t;
	struct instance_change	c;

	if (!instance_id_check(id, err))
		return NULL;
	if (in->instance_type == NULL) {
		api_error_missing(err, "instance_type");
		return NULL;
	}
	if (!tenancy_write(req, &t, err))
		return NULL;
	c.params[0] = id;
	c.params[1] = t.account;
	c.params[2] = t.region;
	c.params[3] = in->instance_type;
	if (!db_transaction(req, instance_modify_tx, &c, err))
		return NULL;
	return instance_get(req, id, err);
}

static struct db_stmt q_instance_user_data = DB_STMT(
    "SELECT i.id, i.user_data FROM cloudsim.instances i"
    " WHERE i.id = $1 AND ($2::text IS NULL OR i.account_id = $2)"
    " AND i.region = $3 AND" INSTANCE_VISIBLE("i"));

json_t *
instance_user_data(struct request *req, const char *id, struct api_error *err)
{
	struct tenancy	 t;
	const char	*p[3];
	PGresult	*r;
	json_t		*out;

	if (!instance_id_check(id, err) || !tenancy_read(req, &t, err))
		return NULL;
	p[0] = id;
	p[1] = t.account;
	p[2] = t.region;
	if ((r = db_exec(req, &q_instance_user_data, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		instance_not_found(arena_printf(req->arena, "'%s'", id), err);
		return NULL;
	}
	if ((out = json_pack("{s:s, s:s?}", "id", id, "user_data",
	    db_get(r, 0, "user_data"))) == NULL)
		api_error_internal(err);
	return out;
}

/* --- tags ---------------------------------------------------------- */

static struct db_stmt q_instance_tags_merge = DB_STMT(
    "UPDATE cloudsim.instances i SET tags = tags || $4::jsonb"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " RETURNING i.id, i.tags");
static struct db_stmt q_instance_tags_delete = DB_STMT(
    "UPDATE cloudsim.instances i SET tags = tags - $4::text[]"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " RETURNING i.id, i.tags");

struct tags_change {
	struct db_stmt	*st;
	const char	*action;
	const char	*params[4];
	PGresult	*row;
};

static bool
tags_change_tx(struct request *req, void *arg, struct api_error *err)
{
	struct tags_change	*c = arg;

	if ((c->row = db_exec(req, c->st, 4, c->params, err)) == NULL)
		return false;
	if (PQntuples(c->row) == 0)
		return instance_not_found(arena_printf(req->arena, "'%s'",
		    c->params[0]), err);
	return audit_write(req, c->action, &c->params[0], 1, 200, err);
}

static json_t *
tags_change(struct request *req, struct tags_change *c,
    struct api_error *err)
{
	struct tenancy	 t;
	json_t		*out;

	if (!instance_id_check(c->params[0], err) ||
	    !tenancy_write(req, &t, err))
		return NULL;
	c->params[1] = t.account;
	c->params[2] = t.region;
	if (!db_transaction(req, tags_change_tx, c, err))
		return NULL;
	if ((out = json_pack("{s:s, s:o}", "id", db_get(c->row, 0, "id"),
	    "tags", tags_render(db_get(c->row, 0, "tags")))) == NULL)
		api_error_internal(err);
	return out;
}

json_t *
instance_tags_merge(struct request *req, const char *id,
    const struct tag_set *tags, struct api_error *err)
{
	struct tags_change	c;

	if (!tags_validate(tags, err))
		return NULL;
	if (tags->n == 0) {
		api_error_missing(err, "tags");
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.st = &q_instance_tags_merge;
	c.action = ACTION_CREATE_TAGS;
	c.params[0] = id;
	c.params[3] = tags_param(req, tags);
	return tags_change(req, &c, err);
}

json_t *
instance_tags_delete(struct request *req, const char *id,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	struct tags_change	c;
	size_t			i;

	if (nkeys == 0) {
		api_error_missing(err, "key");
		return NULL;
	}
	for (i = 0; i < nkeys; i++)
		if (!tags_validate_key(keys[i], err))
			return NULL;
	memset(&c, 0, sizeof(c));
	c.st = &q_instance_tags_delete;
	c.action = ACTION_DELETE_TAGS;
	c.params[0] = id;
	c.params[3] = pgarray_text(req->arena, keys, nkeys, 0);
	return tags_change(req, &c, err);
}
