/*
 * Route tables, routes and associations.  Each mutation is one
 * statement that changes what it may and reports, from the same
 * snapshot, why it did not; the schema keeps one association per
 * subnet, one route per destination, and both ends of an association
 * in one VPC.
 */
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "cidr.h"
#include "resources.h"
#include "route_tables.h"

/* Columns route_table_render reads, from cloudsim.v_route_tables t. */
#define RTB_COLUMNS \
	"t.id, t.arn, t.account_id, t.region, t.vpc_id, t.main, t.routes," \
	" t.associations, " DB_TIMESTAMP("t.created_at") " AS created_at," \
	" t.tags"

const char *const route_table_filter_keys[] = {
	"route_table_id", "vpc_id", "main", "subnet_id", "association_id",
	"route_gateway_id", "route_destination_cidr_block", NULL
};

static const struct resource_kind kind_association = {
	"rtbassoc-", 17, "route table association",
	"InvalidAssociationID.Malformed", "InvalidAssociationID.NotFound",
	NULL, NULL
};

static json_t *
route_table_render(const PGresult *r, int row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:s, s:o}",
	    "id", db_get(r, row, "id"),
	    "arn", db_get(r, row, "arn"),
	    "account_id", db_get(r, row, "account_id"),
	    "region", db_get(r, row, "region"),
	    "vpc_id", db_get(r, row, "vpc_id"),
	    "main", db_get_bool(r, row, "main"),
	    "routes", resource_json_column(r, row, "routes"),
	    "associations", resource_json_column(r, row, "associations"),
	    "created_at", db_get(r, row, "created_at"),
	    "tags", resource_json_column(r, row, "tags"));
}

static struct db_stmt q_rtb_get = DB_STMT(
    "SELECT " RTB_COLUMNS " FROM cloudsim.v_route_tables t"
    " WHERE t.id = $1 AND ($2::text IS NULL OR t.account_id = $2)"
    " AND t.region = $3");

json_t *
route_table_get(struct request *req, const char *id, struct api_error *err)
{
	struct scope	s;

	if (!resource_id_check(&kind_route_table, id, "route_table_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return resource_get(req, &kind_route_table, &q_rtb_get, id, &s,
	    route_table_render, err);
}

static struct db_stmt q_rtb_list = DB_STMT(
    "WITH f AS (SELECT t.id, t.created_at FROM cloudsim.route_tables t"
    " WHERE ($1::text IS NULL OR t.account_id = $1) AND t.region = $2"
    " AND ($3::text[] IS NULL OR t.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR t.vpc_id = ANY ($4))"
    " AND ($5::text[] IS NULL OR t.main::text = ANY ($5))"
    " AND ($6::text[] IS NULL OR EXISTS (SELECT 1"
    "  FROM cloudsim.route_table_associations a"
    "  WHERE a.route_table_id = t.id AND a.subnet_id = ANY ($6)))"
    " AND ($7::text[] IS NULL OR t.main_association_id = ANY ($7)"
    "  OR EXISTS (SELECT 1 FROM cloudsim.route_table_associations a"
    "  WHERE a.route_table_id = t.id AND a.id = ANY ($7)))"
    " AND ($8::text[] IS NULL OR EXISTS (SELECT 1 FROM cloudsim.routes r"
    "  WHERE r.route_table_id = t.id AND r.gateway_id = ANY ($8)))"
    " AND ($9::text[] IS NULL OR EXISTS (SELECT 1 FROM cloudsim.routes r"
    "  WHERE r.route_table_id = t.id"
    "  AND r.destination_cidr_block::text = ANY ($9)))"
    " AND ($10::jsonb IS NULL OR cloudsim.tags_match(t.tags, $10::jsonb)))"
    " SELECT c.total, p.* FROM (SELECT count(*) AS total FROM f) c"
    " LEFT JOIN LATERAL (SELECT k.created_at AS sort_at, " RTB_COLUMNS
    " FROM (SELECT id, created_at FROM f ORDER BY created_at, id"
    " LIMIT $11 OFFSET $12) k JOIN cloudsim.v_route_tables t"
    " ON t.id = k.id) p ON true ORDER BY p.sort_at, p.id");

json_t *
route_table_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 s;
	const char	*p[12];

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	p[2] = listing_filter_param(req, f, "route_table_id");
	p[3] = listing_filter_param(req, f, "vpc_id");
	p[4] = listing_filter_param(req, f, "main");
	p[5] = listing_filter_param(req, f, "subnet_id");
	p[6] = listing_filter_param(req, f, "association_id");
	p[7] = listing_filter_param(req, f, "route_gateway_id");
	p[8] = listing_filter_param(req, f, "route_destination_cidr_block");
	p[9] = listing_tag_param(req, f);
	return resource_list(req, &q_rtb_list, p, 12, page, route_table_render,
	    err);
}

/* One change: its inputs, and the row its statement returned. */
struct rtb_change {
	const struct scope	*scope;
	const char		*id;
	const char		*vpc_id;
	const char		*subnet_id;
	const char		*tags;
	const char		*destination;	/* canonical */
	const char		*gateway_id;
	PGresult		*row;
};

static struct db_stmt q_rtb_insert = DB_STMT(
    "INSERT INTO cloudsim.route_tables (vpc_id, account_id, region, tags)"
    " SELECT v.id, v.account_id, v.region, $4::jsonb FROM cloudsim.vpcs v"
    " WHERE v.id = $1 AND v.account_id = $2 AND v.region = $3"
    " RETURNING id");

static bool
rtb_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[4] = { c->vpc_id, c->scope->account,
				    c->scope->region, c->tags };

	if ((c->row = db_exec(req, &q_rtb_insert, 4, p, err)) == NULL)
		return false;
	if (PQntuples(c->row) == 0)
		return resource_not_found(&kind_vpc, c->vpc_id, err);
	c->id = db_get(c->row, 0, "id");
	return audit_write(req, RTB_ACTION_CREATE, &c->id, 1, 201, err);
}

json_t *
route_table_create(struct request *req,
    const struct route_table_create_params *in, struct api_error *err)
{
	struct scope		s;
	struct rtb_change	c;

	if (in->vpc_id == NULL) {
		api_error_missing(err, "vpc_id");
		return NULL;
	}
	if (!resource_id_check(&kind_vpc, in->vpc_id, "vpc_id", err) ||
	    !tags_validate(&in->tags, err) || !scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.vpc_id = in->vpc_id;
	c.tags = tags_param(req, &in->tags);
	return resource_write(req, rtb_create_tx, &c, &c.id, &kind_route_table,
	    &q_rtb_get, &s, route_table_render, err);
}

/* Locked, so no association can be added while the delete decides. */
static struct db_stmt q_rtb_lock = DB_STMT(
    "SELECT t.id, t.main, (SELECT count(*)"
    "  FROM cloudsim.route_table_associations a"
    "  WHERE a.route_table_id = t.id) AS associations"
    " FROM cloudsim.route_tables t WHERE t.id = $1 AND t.account_id = $2"
    " AND t.region = $3 FOR UPDATE OF t");

static struct db_stmt q_rtb_delete = DB_STMT(
    "DELETE FROM cloudsim.route_tables WHERE id = $1");

static bool
rtb_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[3] = { c->id, c->scope->account,
				    c->scope->region };
	long long		 n;

	if ((c->row = db_exec(req, &q_rtb_lock, 3, p, err)) == NULL)
		return false;
	if (PQntuples(c->row) == 0)
		return resource_not_found(&kind_route_table, c->id, err);
	if (db_get_bool(c->row, 0, "main"))
		return api_error_set(err, 409, "DependencyViolation", "the "
		    "route table '%s' is its VPC's main route table and is "
		    "deleted only with the VPC", c->id);
	if ((n = db_get_int(c->row, 0, "associations")) > 0)
		return api_error_set(err, 409, "DependencyViolation", "the "
		    "route table '%s' has %lld subnet association(s) and "
		    "cannot be deleted", c->id, n);
	if (db_exec(req, &q_rtb_delete, 1, p, err) == NULL)
		return false;
	return audit_write(req, RTB_ACTION_DELETE, &c->id, 1, 200, err);
}

bool
route_table_delete(struct request *req, const char *id,
    struct api_error *err)
{
	struct scope		s;
	struct rtb_change	c;

	if (!resource_id_check(&kind_route_table, id, "route_table_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	return db_transaction(req, rtb_delete_tx, &c, err);
}

/* --- routes -------------------------------------------------------- */

/*
 * The table (with its VPC's block), the gateway, and the insert, which
 * happens only when the gateway is attached to the table's VPC and the
 * destination is not inside that VPC (the local route covers it).
 */
static struct db_stmt q_route_insert = DB_STMT(
    "WITH t AS (SELECT t.id, t.vpc_id, v.cidr_block AS vpc_cidr"
    "  FROM cloudsim.route_tables t JOIN cloudsim.vpcs v ON v.id = t.vpc_id"
    "  WHERE t.id = $1 AND t.account_id = $2 AND t.region = $3),"
    " g AS (SELECT g.id, g.vpc_id FROM cloudsim.internet_gateways g"
    "  WHERE g.id = $5 AND g.account_id = $2 AND g.region = $3),"
    " ins AS (INSERT INTO cloudsim.routes (route_table_id,"
    "  destination_cidr_block, gateway_id, origin)"
    "  SELECT t.id, $4::cidr, g.id, 'CreateRoute' FROM t JOIN g"
    "  ON g.vpc_id = t.vpc_id WHERE NOT $4::cidr <<= t.vpc_cidr"
    "  RETURNING 1)"
    " SELECT (SELECT count(*) FROM t) AS table_found,"
    " (SELECT vpc_id FROM t) AS vpc_id,"
    " (SELECT vpc_cidr::text FROM t) AS vpc_cidr,"
    " (SELECT count(*) FROM g) AS gateway_found,"
    " (SELECT vpc_id FROM g) AS gateway_vpc,"
    " (SELECT count(*) FROM ins) AS inserted");

static bool
route_add_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[5] = { c->id, c->scope->account,
				    c->scope->region, c->destination,
				    c->gateway_id };
	const char		*ids[2] = { c->id, c->gateway_id };
	const char		*vpc, *gvpc;

	if ((c->row = db_exec(req, &q_route_insert, 5, p, err)) == NULL) {
		if (strcmp(err->code, "RouteAlreadyExists") == 0)
			api_error_set(err, 409, "RouteAlreadyExists", "the "
			    "route table '%s' already has a route to '%s'",
			    c->id, c->destination);
		return false;
	}
	if (db_get_int(c->row, 0, "table_found") == 0)
		return resource_not_found(&kind_route_table, c->id, err);
	if (db_get_int(c->row, 0, "gateway_found") == 0)
		return resource_not_found(&kind_internet_gateway,
		    c->gateway_id, err);
	vpc = db_get(c->row, 0, "vpc_id");
	gvpc = db_get(c->row, 0, "gateway_vpc");
	if (gvpc == NULL || strcmp(gvpc, vpc) != 0)
		return api_error_invalid(err, "the internet gateway '%s' is "
		    "not attached to VPC '%s' of route table '%s'",
		    c->gateway_id, vpc, c->id);
	if (db_get_int(c->row, 0, "inserted") == 0)
		return api_error_invalid(err, "the destination '%s' lies "
		    "inside the block '%s' of VPC '%s'; the local route "
		    "already covers it", c->destination,
		    db_get(c->row, 0, "vpc_cidr"), vpc);
	return audit_write(req, RTB_ACTION_ROUTE_CREATE, ids, 2, 201, err);
}

json_t *
route_table_route_add(struct request *req, const char *id,
    const struct route_params *in, struct api_error *err)
{
	struct scope		s;
	struct rtb_change	c;
	struct cidr4		dest;
	char			text[CIDR4_TEXT_SIZE];

	if (!resource_id_check(&kind_route_table, id, "route_table_id", err))
		return NULL;
	if (in->destination_cidr_block == NULL) {
		api_error_missing(err, "destination_cidr_block");
		return NULL;
	}
	if (in->gateway_id == NULL) {
		api_error_missing(err, "gateway_id");
		return NULL;
	}
	if (!cidr4_parse(in->destination_cidr_block,
	    "destination_cidr_block", &dest, err))
		return NULL;
	if (strncmp(in->gateway_id, "igw-", 4) != 0) {
		api_error_invalid(err, "'gateway_id' value '%.64s' is not an "
		    "internet gateway id; routes may only target internet "
		    "gateways (igw-...)", in->gateway_id);
		return NULL;
	}
	if (!resource_id_check(&kind_internet_gateway, in->gateway_id,
	    "gateway_id", err) || !scope_write(req, &s, err))
		return NULL;
	cidr4_format(&dest, text);
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.destination = text;
	c.gateway_id = in->gateway_id;
	return resource_write(req, route_add_tx, &c, &c.id, &kind_route_table,
	    &q_rtb_get, &s, route_table_render, err);
}

static struct db_stmt q_route_delete = DB_STMT(
    "WITH t AS (SELECT id FROM cloudsim.route_tables WHERE id = $1"
    "  AND account_id = $2 AND region = $3),"
    " r AS (SELECT r.gateway_id FROM cloudsim.routes r JOIN t"
    "  ON r.route_table_id = t.id WHERE r.destination_cidr_block = $4::cidr),"
    " d AS (DELETE FROM cloudsim.routes r USING t"
    "  WHERE r.route_table_id = t.id AND r.destination_cidr_block = $4::cidr"
    "  AND r.gateway_id <> 'local' RETURNING 1)"
    " SELECT (SELECT count(*) FROM t) AS table_found,"
    " (SELECT gateway_id FROM r) AS gateway_id,"
    " (SELECT count(*) FROM d) AS deleted");

static bool
route_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[4] = { c->id, c->scope->account,
				    c->scope->region, c->destination };
	const char		*gateway;

	if ((c->row = db_exec(req, &q_route_delete, 4, p, err)) == NULL)
		return false;
	if (db_get_int(c->row, 0, "table_found") == 0)
		return resource_not_found(&kind_route_table, c->id, err);
	if ((gateway = db_get(c->row, 0, "gateway_id")) == NULL)
		return api_error_set(err, 404, "InvalidRoute.NotFound", "the "
		    "route table '%s' has no route to '%s'", c->id,
		    c->destination);
	if (db_get_int(c->row, 0, "deleted") == 0)
		return api_error_invalid(err, "the local route '%s' of route "
		    "table '%s' cannot be deleted", c->destination, c->id);
	return audit_write(req, RTB_ACTION_ROUTE_DELETE, &c->id, 1, 200, err);
}

bool
route_table_route_delete(struct request *req, const char *id,
    const char *destination, struct api_error *err)
{
	struct scope		s;
	struct rtb_change	c;
	struct cidr4		dest;
	char			text[CIDR4_TEXT_SIZE];

	if (!resource_id_check(&kind_route_table, id, "route_table_id", err))
		return false;
	if (destination == NULL)
		return api_error_missing(err, "destination_cidr_block");
	if (!cidr4_parse(destination, "destination_cidr_block", &dest, err) ||
	    !scope_write(req, &s, err))
		return false;
	cidr4_format(&dest, text);
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.destination = text;
	return db_transaction(req, route_delete_tx, &c, err);
}

/* --- associations -------------------------------------------------- */

static struct db_stmt q_assoc_insert = DB_STMT(
    "WITH t AS (SELECT id, vpc_id FROM cloudsim.route_tables WHERE id = $1"
    "  AND account_id = $2 AND region = $3),"
    " s AS (SELECT id, vpc_id FROM cloudsim.subnets WHERE id = $4"
    "  AND account_id = $2 AND region = $3),"
    " ins AS (INSERT INTO cloudsim.route_table_associations"
    "  (route_table_id, vpc_id, subnet_id)"
    "  SELECT t.id, t.vpc_id, s.id FROM t JOIN s ON s.vpc_id = t.vpc_id"
    "  RETURNING id)"
    " SELECT (SELECT count(*) FROM t) AS table_found,"
    " (SELECT vpc_id FROM t) AS table_vpc,"
    " (SELECT count(*) FROM s) AS subnet_found,"
    " (SELECT vpc_id FROM s) AS subnet_vpc,"
    " (SELECT id FROM ins) AS id");

static bool
associate_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[4] = { c->id, c->scope->account,
				    c->scope->region, c->subnet_id };
	const char		*ids[3] = { NULL, c->id, c->subnet_id };

	if ((c->row = db_exec(req, &q_assoc_insert, 4, p, err)) == NULL) {
		if (strcmp(err->code, "Resource.AlreadyAssociated") == 0)
			api_error_set(err, 409, "Resource.AlreadyAssociated",
			    "the subnet '%s' is already associated with a "
			    "route table; remove that association first",
			    c->subnet_id);
		return false;
	}
	if (db_get_int(c->row, 0, "table_found") == 0)
		return resource_not_found(&kind_route_table, c->id, err);
	if (db_get_int(c->row, 0, "subnet_found") == 0)
		return resource_not_found(&kind_subnet, c->subnet_id, err);
	if ((ids[0] = db_get(c->row, 0, "id")) == NULL)
		return api_error_invalid(err, "the subnet '%s' (VPC '%s') and "
		    "the route table '%s' (VPC '%s') belong to different VPCs",
		    c->subnet_id, db_get(c->row, 0, "subnet_vpc"), c->id,
		    db_get(c->row, 0, "table_vpc"));
	return audit_write(req, RTB_ACTION_ASSOCIATE, ids, 3, 201, err);
}

json_t *
route_table_associate(struct request *req, const char *id,
    const char *subnet_id, struct api_error *err)
{
	struct scope		 s;
	struct rtb_change	 c;
	json_t			*out;

	if (!resource_id_check(&kind_route_table, id, "route_table_id", err))
		return NULL;
	if (subnet_id == NULL) {
		api_error_missing(err, "subnet_id");
		return NULL;
	}
	if (!resource_id_check(&kind_subnet, subnet_id, "subnet_id", err) ||
	    !scope_write(req, &s, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = id;
	c.subnet_id = subnet_id;
	if (!db_transaction(req, associate_tx, &c, err))
		return NULL;
	out = json_pack("{s:s, s:s, s:s, s:b}", "id", db_get(c.row, 0, "id"),
	    "route_table_id", id, "subnet_id", subnet_id, "main", 0);
	if (out == NULL)
		api_error_internal(err);
	return out;
}

static struct db_stmt q_assoc_delete = DB_STMT(
    "WITH d AS (DELETE FROM cloudsim.route_table_associations a"
    "  USING cloudsim.route_tables t WHERE a.id = $1"
    "  AND t.id = a.route_table_id AND t.account_id = $2"
    "  AND t.region = $3 RETURNING a.route_table_id)"
    " SELECT (SELECT route_table_id FROM d) AS route_table_id,"
    " EXISTS (SELECT 1 FROM cloudsim.route_tables t"
    "  WHERE t.main_association_id = $1 AND t.account_id = $2"
    "  AND t.region = $3) AS main");

static bool
disassociate_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rtb_change	*c = arg;
	const char		*p[3] = { c->id, c->scope->account,
				    c->scope->region };
	const char		*ids[2] = { c->id, NULL };

	if ((c->row = db_exec(req, &q_assoc_delete, 3, p, err)) == NULL)
		return false;
	if (db_get_bool(c->row, 0, "main"))
		return api_error_invalid(err, "the association '%s' is its "
		    "VPC's main route table association and cannot be "
		    "removed", c->id);
	if ((ids[1] = db_get(c->row, 0, "route_table_id")) == NULL)
		return resource_not_found(&kind_association, c->id, err);
	return audit_write(req, RTB_ACTION_DISASSOCIATE, ids, 2, 200, err);
}

bool
route_table_disassociate(struct request *req, const char *association_id,
    struct api_error *err)
{
	struct scope		s;
	struct rtb_change	c;

	if (!resource_id_check(&kind_association, association_id,
	    "association_id", err) || !scope_write(req, &s, err))
		return false;
	memset(&c, 0, sizeof(c));
	c.scope = &s;
	c.id = association_id;
	return db_transaction(req, disassociate_tx, &c, err);
}
