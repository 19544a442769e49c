/*
 * Subnets.  Creating one locks its VPC's row first: the quota count
 * that follows is then exact, and concurrent creations in one VPC take
 * turns.  Overlap is still decided by the schema's exclusion
 * constraint, never by a check here, so it holds for any writer.
 */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "cidr.h"
#include "resources.h"
#include "subnets.h"

/* Columns subnet_render reads, from cloudsim.v_subnets s. */
#define SUBNET_COLUMNS \
	"s.id, s.arn, s.account_id, s.region, s.vpc_id, s.cidr_block," \
	" s.availability_zone, s.availability_zone_id," \
	" s.available_ip_address_count, s.map_public_ip_on_launch," \
	" s.default_for_az, s.state, " DB_TIMESTAMP("s.created_at") \
	" AS created_at, s.tags"

const char *const subnet_filter_keys[] = {
	"subnet_id", "vpc_id", "cidr_block", "availability_zone",
	"default_for_az", "state", NULL
};

static json_t *
subnet_render(const PGresult *r, int row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b,"
	    " s:b, s:s, s:s, s:o}",
	    "id", db_get(r, row, "id"),
	    "arn", db_get(r, row, "arn"),
	    "account_id", db_get(r, row, "account_id"),
	    "region", db_get(r, row, "region"),
	    "vpc_id", db_get(r, row, "vpc_id"),
	    "cidr_block", db_get(r, row, "cidr_block"),
	    "availability_zone", db_get(r, row, "availability_zone"),
	    "availability_zone_id", db_get(r, row, "availability_zone_id"),
	    "available_ip_address_count",
	    (json_int_t)db_get_int(r, row, "available_ip_address_count"),
	    "map_public_ip_on_launch",
	    db_get_bool(r, row, "map_public_ip_on_launch"),
	    "default_for_az", db_get_bool(r, row, "default_for_az"),
	    "state", db_get(r, row, "state"),
	    "created_at", db_get(r, row, "created_at"),
	    "tags", resource_json_column(r, row, "tags"));
}

static struct db_stmt q_subnet_get = DB_STMT(
    "SELECT " SUBNET_COLUMNS " FROM cloudsim.v_subnets s"
    " WHERE s.id = $1 AND ($2::text IS NULL OR s.account_id = $2)"
    " AND s.region = $3");

json_t *
subnet_get(struct request *req, const char *id, struct api_error *err)
{
	struct scope	s;

	if (!resource_id_check(&kind_subnet, id, "subnet_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return resource_get(req, &kind_subnet, &q_subnet_get, id, &s,
	    subnet_render, err);
}

static struct db_stmt q_subnet_list = DB_STMT(
    "WITH f AS (SELECT s.id, s.created_at FROM cloudsim.subnets s"
    " WHERE ($1::text IS NULL OR s.account_id = $1) AND s.region = $2"
    " AND ($3::text[] IS NULL OR s.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR s.vpc_id = ANY ($4))"
    " AND ($5::text[] IS NULL OR s.cidr_block::text = ANY ($5))"
    " AND ($6::text[] IS NULL OR s.availability_zone = ANY ($6))"
    " AND ($7::text[] IS NULL OR s.default_for_az::text = ANY ($7))"
    " AND ($8::text[] IS NULL OR s.state = ANY ($8))"
    " AND ($9::jsonb IS NULL OR cloudsim.tags_match(s.tags, $9::jsonb)))"
    " SELECT t.total, p.* FROM (SELECT count(*) AS total FROM f) t"
    " LEFT JOIN LATERAL (SELECT k.created_at AS sort_at, " SUBNET_COLUMNS
    " FROM (SELECT id, created_at FROM f ORDER BY created_at, id"
    " LIMIT $10 OFFSET $11) k JOIN cloudsim.v_subnets s ON s.id = k.id) p"
    " ON true ORDER BY p.sort_at, p.id");

json_t *
subnet_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 s;
	const char	*p[11];

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	p[2] = listing_filter_param(req, f, "subnet_id");
	p[3] = listing_filter_param(req, f, "vpc_id");
	p[4] = listing_filter_param(req, f, "cidr_block");
	p[5] = listing_filter_param(req, f, "availability_zone");
	p[6] = listing_filter_param(req, f, "default_for_az");
	p[7] = listing_filter_param(req, f, "state");
	p[8] = listing_tag_param(req, f);
	return resource_list(req, &q_subnet_list, p, 11, page, subnet_render,
	    err);
}

struct subnet_new {
	const struct subnet_create_params *in;
	const struct scope	*scope;
	struct cidr4		 block;
	const char		*cidr;
	const char		*id;		/* out */
};

/*
 * Locks the VPC and picks the zone: the one asked for if it is in the
 * VPC's region, else the zone with the fewest of the VPC's subnets.
 */
static struct db_stmt q_subnet_vpc = DB_STMT(
    "SELECT v.cidr_block::text AS vpc_cidr,"
    " (SELECT z.name FROM cloudsim.zones z"
    "  WHERE z.region = v.region AND ($4::text IS NULL OR z.name = $4)"
    "  ORDER BY (SELECT count(*) FROM cloudsim.subnets s"
    "   WHERE s.vpc_id = v.id AND s.availability_zone = z.name), z.name"
    "  LIMIT 1) AS zone"
    " FROM cloudsim.vpcs v WHERE v.id = $1 AND v.account_id = $2"
    " AND v.region = $3 FOR NO KEY UPDATE OF v");

static struct db_stmt q_subnet_insert = DB_STMT(
    "INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block,"
    " vpc_cidr_block, availability_zone, map_public_ip_on_launch, tags)"
    " SELECT $1, $2, $3, $4::cidr, $5::cidr, $6, $7::boolean, $8::jsonb"
    " WHERE (SELECT count(*) FROM cloudsim.subnets WHERE vpc_id = $1)"
    "  < $9::bigint"
    " RETURNING id");

static bool
subnet_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct subnet_new	*n = arg;
	const char		*p[9], *vpc_cidr, *zone;
	struct cidr4		 vpc_block;
	long			 quota = config_int("quota_subnets_per_vpc");
	PGresult		*r;

	p[0] = n->in->vpc_id;
	p[1] = n->scope->account;
	p[2] = n->scope->region;
	p[3] = n->in->availability_zone;
	if ((r = db_exec(req, &q_subnet_vpc, 4, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(&kind_vpc, n->in->vpc_id, err);
	vpc_cidr = db_get(r, 0, "vpc_cidr");
	if ((zone = db_get(r, 0, "zone")) == NULL)
		return api_error_invalid(err, "'availability_zone' value "
		    "'%.64s' is not a zone of region '%s'",
		    n->in->availability_zone, n->scope->region);
	if (!cidr4_parse(vpc_cidr, "vpc", &vpc_block, err))
		return api_error_internal(err);
	if (!cidr4_contains(&vpc_block, &n->block))
		return api_error_set(err, 400, "InvalidSubnet.Range", "the CIDR "
		    "block '%s' is not inside the block '%s' of VPC '%s'",
		    n->cidr, vpc_cidr, n->in->vpc_id);

	p[3] = n->cidr;
	p[4] = vpc_cidr;
	p[5] = zone;
	p[6] = n->in->map_public_ip_on_launch ? "true" : "false";
	p[7] = tags_param(req, &n->in->tags);
	p[8] = arena_printf(req->arena, "%ld", quota);
	if ((r = db_exec(req, &q_subnet_insert, 9, p, err)) == NULL) {
		if (strcmp(err->code, "InvalidSubnet.Conflict") == 0)
			api_error_set(err, 409, "InvalidSubnet.Conflict", "the "
			    "CIDR block '%s' conflicts with another subnet of "
			    "VPC '%s'", n->cidr, n->in->vpc_id);
		return false;
	}
	if (PQntuples(r) == 0)
		return api_error_set(err, 400, "SubnetLimitExceeded", "the VPC "
		    "'%s' has reached its limit of %ld subnets",
		    n->in->vpc_id, quota);
	n->id = db_get(r, 0, "id");
	return audit_write(req, SUBNET_ACTION_CREATE, &n->id, 1, 201, err);
}

json_t *
subnet_create(struct request *req, const struct subnet_create_params *in,
    struct api_error *err)
{
	struct scope		s;
	struct subnet_new	n;
	char			text[CIDR4_TEXT_SIZE];

	memset(&n, 0, sizeof(n));
	if (in->vpc_id == NULL) {
		api_error_missing(err, "vpc_id");
		return NULL;
	}
	if (in->cidr_block == NULL) {
		api_error_missing(err, "cidr_block");
		return NULL;
	}
	if (!resource_id_check(&kind_vpc, in->vpc_id, "vpc_id", err) ||
	    !cidr4_parse(in->cidr_block, "cidr_block", &n.block, err) ||
	    !tags_validate(&in->tags, err))
		return NULL;
	if (n.block.prefix < SUBNET_PREFIX_MIN ||
	    n.block.prefix > SUBNET_PREFIX_MAX) {
		api_error_set(err, 400, "InvalidSubnet.Range", "the CIDR block "
		    "'%s' is a /%u; a subnet's block must be /%d to /%d",
		    in->cidr_block, n.block.prefix, SUBNET_PREFIX_MIN,
		    SUBNET_PREFIX_MAX);
		return NULL;
	}
	if (!scope_write(req, &s, err))
		return NULL;
	cidr4_format(&n.block, text);
	n.in = in;
	n.scope = &s;
	n.cidr = text;
	return resource_write(req, subnet_create_tx, &n, &n.id, &kind_subnet,
	    &q_subnet_get, &s, subnet_render, err);
}

static struct db_stmt q_subnet_lock = DB_STMT(
    "SELECT s.id, (SELECT count(*) FROM cloudsim.subnet_addresses a"
    "  WHERE a.subnet_id = s.id) AS addresses"
    " FROM cloudsim.subnets s WHERE s.id = $1 AND s.account_id = $2"
    " AND s.region = $3 FOR UPDATE OF s");

static struct db_stmt q_subnet_delete = DB_STMT(
    "DELETE FROM cloudsim.subnets WHERE id = $1");

struct subnet_gone {
	const struct scope	*scope;
	const char		*id;
};

static bool
subnet_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct subnet_gone	*g = arg;
	const char		*p[3] = { g->id, g->scope->account,
				    g->scope->region };
	PGresult		*r;
	long long		 used;

	if ((r = db_exec(req, &q_subnet_lock, 3, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(&kind_subnet, g->id, err);
	if ((used = db_get_int(r, 0, "addresses")) > 0)
		return api_error_set(err, 409, "DependencyViolation", "the "
		    "subnet '%s' has %lld address(es) in use by instances or "
		    "interfaces and cannot be deleted", g->id, used);
	if (db_exec(req, &q_subnet_delete, 1, p, err) == NULL)
		return false;
	return audit_write(req, SUBNET_ACTION_DELETE, &g->id, 1, 200, err);
}

bool
subnet_delete(struct request *req, const char *id, struct api_error *err)
{
	struct scope		s;
	struct subnet_gone	g;

	if (!resource_id_check(&kind_subnet, id, "subnet_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.scope = &s;
	g.id = id;
	return db_transaction(req, subnet_delete_tx, &g, err);
}
