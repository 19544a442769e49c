/*
 * Internet gateways.  An attachment is the gateway row's vpc_id: the
 * UPDATE's own condition (vpc_id IS NULL) is re-checked against the
 * latest row when two requests race, and the unique key on vpc_id keeps
 * a VPC to one gateway, so neither needs a check in C.  Each mutation
 * is one statement that also reports why nothing changed.
 */
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "internet_gateways.h"
#include "resources.h"

/* Columns internet_gateway_render reads, from v_internet_gateways g. */
#define IGW_COLUMNS \
	"g.id, g.arn, g.account_id, g.region, g.attachments, " \
	DB_TIMESTAMP("g.created_at") " AS created_at, g.tags"

/* What a gateway statement reports besides its change. */
#define IGW_STATE(id, account, region) \
	" (SELECT g.vpc_id FROM cloudsim.internet_gateways g" \
	"  WHERE g.id = " id " AND g.account_id = " account \
	"  AND g.region = " region ") AS current_vpc," \
	" EXISTS (SELECT 1 FROM cloudsim.internet_gateways g" \
	"  WHERE g.id = " id " AND g.account_id = " account \
	"  AND g.region = " region ") AS found"

const char *const internet_gateway_filter_keys[] = {
	"internet_gateway_id", "vpc_id", NULL
};

static json_t *
internet_gateway_render(const PGresult *r, int row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o}",
	    "id", db_get(r, row, "id"),
	    "arn", db_get(r, row, "arn"),
	    "account_id", db_get(r, row, "account_id"),
	    "region", db_get(r, row, "region"),
	    "attachments", resource_json_column(r, row, "attachments"),
	    "created_at", db_get(r, row, "created_at"),
	    "tags", resource_json_column(r, row, "tags"));
}

static struct db_stmt q_igw_get = DB_STMT(
    "SELECT " IGW_COLUMNS " FROM cloudsim.v_internet_gateways g"
    " WHERE g.id = $1 AND ($2::text IS NULL OR g.account_id = $2)"
    " AND g.region = $3");

json_t *
internet_gateway_get(struct request *req, const char *id,
    struct api_error *err)
{
	struct scope	s;

	if (!resource_id_check(&kind_internet_gateway, id,
	    "internet_gateway_id", err) || !scope_read(req, &s, err))
		return NULL;
	return resource_get(req, &kind_internet_gateway, &q_igw_get, id, &s,
	    internet_gateway_render, err);
}

static struct db_stmt q_igw_list = DB_STMT(
    "WITH f AS (SELECT g.id, g.created_at FROM cloudsim.internet_gateways g"
    " WHERE ($1::text IS NULL OR g.account_id = $1) AND g.region = $2"
    " AND ($3::text[] IS NULL OR g.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR g.vpc_id = ANY ($4))"
    " AND ($5::jsonb IS NULL OR cloudsim.tags_match(g.tags, $5::jsonb)))"
    " SELECT t.total, p.* FROM (SELECT count(*) AS total FROM f) t"
    " LEFT JOIN LATERAL (SELECT k.created_at AS sort_at, " IGW_COLUMNS
    " FROM (SELECT id, created_at FROM f ORDER BY created_at, id"
    " LIMIT $6 OFFSET $7) k JOIN cloudsim.v_internet_gateways g"
    " ON g.id = k.id) p ON true ORDER BY p.sort_at, p.id");

json_t *
internet_gateway_describe(struct request *req,
    const struct listing_filters *f, const struct listing_page *page,
    struct api_error *err)
{
	struct scope	 s;
	const char	*p[7];

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	p[2] = listing_filter_param(req, f, "internet_gateway_id");
	p[3] = listing_filter_param(req, f, "vpc_id");
	p[4] = listing_tag_param(req, f);
	return resource_list(req, &q_igw_list, p, 7, page,
	    internet_gateway_render, err);
}

/* One gateway change: its statement's parameters and what came back. */
struct igw_change {
	const struct scope	*scope;
	const char		*id;
	const char		*vpc_id;
	const char		*tags;
	PGresult		*row;
};

static struct db_stmt q_igw_insert = DB_STMT(
    "INSERT INTO cloudsim.internet_gateways (account_id, region, tags)"
    " VALUES ($1, $2, $3::jsonb) RETURNING id");

static bool
igw_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct igw_change	*c = arg;
	const char		*p[3] = { c->scope->account, c->scope->region,
				    c->tags };

	if ((c->row = db_exec(req, &q_igw_insert, 3, p, err)) == NULL)
		return false;
	c->id = db_get(c->row, 0, "id");
	return audit_write(req, IGW_ACTION_CREATE, &c->id, 1, 201, err);
}

json_t *
internet_gateway_create(struct request *req,
    const struct internet_gateway_create_params *in, struct api_error *err)
{
	struct scope		s;
	struct igw_change	c;

	if (!tags_validate(&in->tags, err) || !scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.tags = tags_param(req, &in->tags);
	return resource_write(req, igw_create_tx, &c, &c.id,
	    &kind_internet_gateway, &q_igw_get, &s, internet_gateway_render,
	    err);
}

static struct db_stmt q_igw_delete = DB_STMT(
    "WITH d AS (DELETE FROM cloudsim.internet_gateways WHERE id = $1"
    "  AND account_id = $2 AND region = $3 AND vpc_id IS NULL RETURNING id)"
    " SELECT (SELECT count(*) FROM d) AS changed,"
    IGW_STATE("$1", "$2", "$3"));

static bool
igw_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct igw_change	*c = arg;
	const char		*p[3] = { c->id, c->scope->account,
				    c->scope->region };
	const char		*vpc;

	if ((c->row = db_exec(req, &q_igw_delete, 3, p, err)) == NULL)
		return false;
	if (db_get_int(c->row, 0, "changed") == 0) {
		if (!db_get_bool(c->row, 0, "found"))
			return resource_not_found(&kind_internet_gateway,
			    c->id, err);
		vpc = db_get(c->row, 0, "current_vpc");
		return api_error_set(err, 409, "DependencyViolation", "the "
		    "internet gateway '%s' is attached to VPC '%s' and cannot "
		    "be deleted; detach it first", c->id,
		    vpc != NULL ? vpc : "?");
	}
	return audit_write(req, IGW_ACTION_DELETE, &c->id, 1, 200, err);
}

bool
internet_gateway_delete(struct request *req, const char *id,
    struct api_error *err)
{
	struct scope		s;
	struct igw_change	c;

	if (!resource_id_check(&kind_internet_gateway, id,
	    "internet_gateway_id", err) || !scope_write(req, &s, err))
		return false;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	return db_transaction(req, igw_delete_tx, &c, err);
}

static struct db_stmt q_igw_attach = DB_STMT(
    "WITH v AS (SELECT id FROM cloudsim.vpcs WHERE id = $4"
    "  AND account_id = $2 AND region = $3),"
    " u AS (UPDATE cloudsim.internet_gateways i SET vpc_id = v.id FROM v"
    "  WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    "  AND i.vpc_id IS NULL RETURNING i.id)"
    " SELECT (SELECT count(*) FROM u) AS changed,"
    " (SELECT count(*) FROM v) AS vpc_found," IGW_STATE("$1", "$2", "$3"));

static bool
igw_attach_tx(struct request *req, void *arg, struct api_error *err)
{
	struct igw_change	*c = arg;
	const char		*p[4] = { c->id, c->scope->account,
				    c->scope->region, c->vpc_id };
	const char		*ids[2] = { c->id, c->vpc_id };
	const char		*vpc;

	if ((c->row = db_exec(req, &q_igw_attach, 4, p, err)) == NULL) {
		if (strcmp(err->code, "Resource.AlreadyAssociated") == 0)
			api_error_set(err, 409, "Resource.AlreadyAssociated",
			    "the VPC '%s' already has an internet gateway "
			    "attached", c->vpc_id);
		return false;
	}
	if (db_get_int(c->row, 0, "changed") == 0) {
		if (!db_get_bool(c->row, 0, "found"))
			return resource_not_found(&kind_internet_gateway,
			    c->id, err);
		if (db_get_int(c->row, 0, "vpc_found") == 0)
			return resource_not_found(&kind_vpc, c->vpc_id, err);
		vpc = db_get(c->row, 0, "current_vpc");
		return api_error_set(err, 409, "Resource.AlreadyAssociated",
		    "the internet gateway '%s' is already attached to VPC "
		    "'%s'", c->id, vpc != NULL ? vpc : "(another request's)");
	}
	return audit_write(req, IGW_ACTION_ATTACH, ids, 2, 200, err);
}

json_t *
internet_gateway_attach(struct request *req, const char *id,
    const char *vpc_id, struct api_error *err)
{
	struct scope		s;
	struct igw_change	c;

	if (!resource_id_check(&kind_internet_gateway, id,
	    "internet_gateway_id", err))
		return NULL;
	if (vpc_id == NULL) {
		api_error_missing(err, "vpc_id");
		return NULL;
	}
	if (!resource_id_check(&kind_vpc, vpc_id, "vpc_id", err) ||
	    !scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.vpc_id = vpc_id;
	return resource_write(req, igw_attach_tx, &c, &c.id,
	    &kind_internet_gateway, &q_igw_get, &s, internet_gateway_render,
	    err);
}

static struct db_stmt q_igw_detach = DB_STMT(
    "WITH u AS (UPDATE cloudsim.internet_gateways i SET vpc_id = NULL"
    "  WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    "  AND i.vpc_id IS NOT NULL AND ($4::text IS NULL OR i.vpc_id = $4)"
    "  RETURNING i.id)"
    " SELECT (SELECT count(*) FROM u) AS changed,"
    IGW_STATE("$1", "$2", "$3"));

static bool
igw_detach_tx(struct request *req, void *arg, struct api_error *err)
{
	struct igw_change	*c = arg;
	const char		*p[4] = { c->id, c->scope->account,
				    c->scope->region, c->vpc_id };
	const char		*ids[2] = { c->id, NULL };

	if ((c->row = db_exec(req, &q_igw_detach, 4, p, err)) == NULL)
		return false;
	if (!db_get_bool(c->row, 0, "found"))
		return resource_not_found(&kind_internet_gateway, c->id, err);
	ids[1] = db_get(c->row, 0, "current_vpc");
	if (db_get_int(c->row, 0, "changed") == 0) {
		if (c->vpc_id != NULL)
			return api_error_set(err, 409, "Gateway.NotAttached",
			    "the internet gateway '%s' is not attached to VPC "
			    "'%s'", c->id, c->vpc_id);
		return api_error_set(err, 409, "Gateway.NotAttached", "the "
		    "internet gateway '%s' is not attached to any VPC", c->id);
	}
	return audit_write(req, IGW_ACTION_DETACH, ids, ids[1] ? 2 : 1, 200,
	    err);
}

json_t *
internet_gateway_detach(struct request *req, const char *id,
    const char *vpc_id, struct api_error *err)
{
	struct scope		s;
	struct igw_change	c;

	if (!resource_id_check(&kind_internet_gateway, id,
	    "internet_gateway_id", err) ||
	    (vpc_id != NULL &&
	    !resource_id_check(&kind_vpc, vpc_id, "vpc_id", err)) ||
	    !scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.vpc_id = vpc_id;
	return resource_write(req, igw_detach_tx, &c, &c.id,
	    &kind_internet_gateway, &q_igw_get, &s, internet_gateway_render,
	    err);
}
