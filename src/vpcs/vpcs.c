/*
 * VPCs.  The quota is counted under an advisory lock per account and
 * region, taken before the count, so two creations racing for the last
 * slot are serialised and exactly one wins; the main route table, its
 * local route and the default security group come from the schema's
 * insert triggers.
 */
#include <stdio.h>
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
#include "vpcs.h"

/* The VPC quota's advisory lock key space (scope.h lists them all). */
#define VPC_QUOTA_LOCK	4001

/* Columns vpc_render reads, from cloudsim.v_vpcs v. */
#define VPC_COLUMNS \
	"v.id, v.arn, v.account_id, v.region, v.cidr_block, v.state," \
	" v.is_default, v.instance_tenancy, v.enable_dns_support," \
	" v.enable_dns_hostnames, v.main_route_table_id," \
	" v.default_security_group_id, " DB_TIMESTAMP("v.created_at") \
	" AS created_at, v.tags"

const char *const vpc_filter_keys[] = {
	"vpc_id", "cidr_block", "is_default", "state", NULL
};

static json_t *
vpc_render(const PGresult *r, int row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:b,"
	    " s:s?, s:s?, s:s, s:o}",
	    "id", db_get(r, row, "id"),
	    "arn", db_get(r, row, "arn"),
	    "account_id", db_get(r, row, "account_id"),
	    "region", db_get(r, row, "region"),
	    "cidr_block", db_get(r, row, "cidr_block"),
	    "state", db_get(r, row, "state"),
	    "is_default", db_get_bool(r, row, "is_default"),
	    "instance_tenancy", db_get(r, row, "instance_tenancy"),
	    "enable_dns_support", db_get_bool(r, row, "enable_dns_support"),
	    "enable_dns_hostnames", db_get_bool(r, row, "enable_dns_hostnames"),
	    "main_route_table_id", db_get(r, row, "main_route_table_id"),
	    "default_security_group_id",
	    db_get(r, row, "default_security_group_id"),
	    "created_at", db_get(r, row, "created_at"),
	    "tags", resource_json_column(r, row, "tags"));
}

static struct db_stmt q_vpc_get = DB_STMT(
    "SELECT " VPC_COLUMNS " FROM cloudsim.v_vpcs v"
    " WHERE v.id = $1 AND ($2::text IS NULL OR v.account_id = $2)"
    " AND v.region = $3");

json_t *
vpc_get(struct request *req, const char *id, struct api_error *err)
{
	struct scope	s;

	if (!resource_id_check(&kind_vpc, id, "vpc_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return resource_get(req, &kind_vpc, &q_vpc_get, id, &s, vpc_render,
	    err);
}

/*
 * The filtered ids once (f), their count, and one page of them joined
 * to the view: one round trip, and the view's subqueries run for the
 * page's rows only.
 */
static struct db_stmt q_vpc_list = DB_STMT(
    "WITH f AS (SELECT v.id, v.created_at FROM cloudsim.vpcs v"
    " WHERE ($1::text IS NULL OR v.account_id = $1) AND v.region = $2"
    " AND ($3::text[] IS NULL OR v.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR v.cidr_block::text = ANY ($4))"
    " AND ($5::text[] IS NULL OR v.is_default::text = ANY ($5))"
    " AND ($6::text[] IS NULL OR v.state = ANY ($6))"
    " AND ($7::jsonb IS NULL OR cloudsim.tags_match(v.tags, $7::jsonb)))"
    " SELECT t.total, p.* FROM (SELECT count(*) AS total FROM f) t"
    " LEFT JOIN LATERAL (SELECT k.created_at AS sort_at, " VPC_COLUMNS
    " FROM (SELECT id, created_at FROM f ORDER BY created_at, id"
    " LIMIT $8 OFFSET $9) k JOIN cloudsim.v_vpcs v ON v.id = k.id) p ON true"
    " ORDER BY p.sort_at, p.id");

json_t *
vpc_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 s;
	const char	*p[9];

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	p[2] = listing_filter_param(req, f, "vpc_id");
	p[3] = listing_filter_param(req, f, "cidr_block");
	p[4] = listing_filter_param(req, f, "is_default");
	p[5] = listing_filter_param(req, f, "state");
	p[6] = listing_tag_param(req, f);
	return resource_list(req, &q_vpc_list, p, 9, page, vpc_render, err);
}

/* The create transaction's input and output. */
struct vpc_new {
	const struct scope	*scope;
	const char		*cidr;
	const char		*tags;
	long			 quota;
	const char		*id;		/* out */
};

static struct db_stmt q_vpc_insert = DB_STMT(
    "INSERT INTO cloudsim.vpcs (account_id, region, cidr_block, tags)"
    " SELECT $1, $2, $3::cidr, $4::jsonb"
    " WHERE (SELECT count(*) FROM cloudsim.vpcs"
    "  WHERE account_id = $1 AND region = $2) < $5::bigint"
    " RETURNING id");

static bool
vpc_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct vpc_new	*n = arg;
	const char	*p[5];
	PGresult	*r;

	if (!scope_lock(req, n->scope, VPC_QUOTA_LOCK, err))
		return false;
	p[0] = n->scope->account;
	p[1] = n->scope->region;
	p[2] = n->cidr;
	p[3] = n->tags;
	p[4] = arena_printf(req->arena, "%ld", n->quota);
	if ((r = db_exec(req, &q_vpc_insert, 5, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return api_error_set(err, 400, "VpcLimitExceeded", "the account "
		    "has reached its limit of %ld VPCs in region '%s'",
		    n->quota, n->scope->region);
	n->id = db_get(r, 0, "id");
	return audit_write(req, VPC_ACTION_CREATE, &n->id, 1, 201, err);
}

json_t *
vpc_create(struct request *req, const struct vpc_create_params *in,
    struct api_error *err)
{
	struct scope	s;
	struct cidr4	block;
	struct vpc_new	n;
	char		text[CIDR4_TEXT_SIZE];

	if (in->cidr_block == NULL) {
		api_error_missing(err, "cidr_block");
		return NULL;
	}
	if (!cidr4_parse(in->cidr_block, "cidr_block", &block, err) ||
	    !tags_validate(&in->tags, err))
		return NULL;
	if (block.prefix < VPC_PREFIX_MIN || block.prefix > VPC_PREFIX_MAX) {
		api_error_set(err, 400, "InvalidVpc.Range", "the CIDR block "
		    "'%s' is a /%u; a VPC's block must be /%d to /%d",
		    in->cidr_block, block.prefix, VPC_PREFIX_MIN,
		    VPC_PREFIX_MAX);
		return NULL;
	}
	if (!scope_write(req, &s, err))
		return NULL;
	cidr4_format(&block, text);
	memset(&n, 0, sizeof(n));
	n.scope = &s;
	n.cidr = text;
	n.tags = tags_param(req, &in->tags);
	n.quota = config_int("quota_vpcs_per_region");
	return resource_write(req, vpc_create_tx, &n, &n.id, &kind_vpc,
	    &q_vpc_get, &s, vpc_render, err);
}

/*
 * Locks the VPC (which also holds off new children: their foreign key
 * checks wait for the lock) and counts what would keep it.  The counts
 * come from the statement's snapshot; should a child slip in while the
 * lock was awaited, the foreign keys still refuse the delete.
 */
static struct db_stmt q_vpc_lock = DB_STMT(
    "SELECT v.id,"
    " (SELECT count(*) FROM cloudsim.subnets s WHERE s.vpc_id = v.id)"
    "  AS subnets,"
    " (SELECT count(*) FROM cloudsim.security_groups g"
    "  WHERE g.vpc_id = v.id AND NOT g.is_default) AS groups,"
    " (SELECT count(*) FROM cloudsim.route_tables t"
    "  WHERE t.vpc_id = v.id AND NOT t.main) AS route_tables,"
    " (SELECT i.id FROM cloudsim.internet_gateways i WHERE i.vpc_id = v.id)"
    "  AS gateway"
    " FROM cloudsim.vpcs v WHERE v.id = $1 AND v.account_id = $2"
    " AND v.region = $3 FOR UPDATE OF v");

static struct db_stmt q_vpc_delete = DB_STMT(
    "DELETE FROM cloudsim.vpcs WHERE id = $1");

struct vpc_gone {
	const struct scope	*scope;
	const char		*id;
};

/* Append ", <n> <what>" to buf when n is not zero. */
static void
dependency(char *buf, size_t size, long long n, const char *what)
{
	size_t	len = strlen(buf);

	if (n > 0 && len < size)
		snprintf(buf + len, size - len, "%s%lld %s", len ? ", " : "",
		    n, what);
}

static bool
vpc_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct vpc_gone	*g = arg;
	const char	*p[3] = { g->id, g->scope->account, g->scope->region };
	const char	*gateway;
	PGresult	*r;
	char		 deps[256] = "";

	if ((r = db_exec(req, &q_vpc_lock, 3, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(&kind_vpc, g->id, err);
	dependency(deps, sizeof(deps), db_get_int(r, 0, "subnets"),
	    "subnet(s)");
	dependency(deps, sizeof(deps), db_get_int(r, 0, "groups"),
	    "non-default security group(s)");
	dependency(deps, sizeof(deps), db_get_int(r, 0, "route_tables"),
	    "non-main route table(s)");
	if ((gateway = db_get(r, 0, "gateway")) != NULL)
		snprintf(deps + strlen(deps), sizeof(deps) - strlen(deps),
		    "%sattached internet gateway '%s'", deps[0] ? ", " : "",
		    gateway);
	if (deps[0] != '\0')
		return api_error_set(err, 409, "DependencyViolation", "the VPC "
		    "'%s' has dependencies and cannot be deleted: %s", g->id,
		    deps);
	if (db_exec(req, &q_vpc_delete, 1, p, err) == NULL)
		return false;
	return audit_write(req, VPC_ACTION_DELETE, &g->id, 1, 200, err);
}

bool
vpc_delete(struct request *req, const char *id, struct api_error *err)
{
	struct scope	s;
	struct vpc_gone	g;

	if (!resource_id_check(&kind_vpc, id, "vpc_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.scope = &s;
	g.id = id;
	return db_transaction(req, vpc_delete_tx, &g, err);
}
