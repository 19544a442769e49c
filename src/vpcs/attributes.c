/*
 * Attribute changes: one UPDATE each, scoped by account and region,
 * audited in the same transaction.  The rule "host names need DNS
 * support" is the schema's (vpcs_dns_hostnames_need_support, 011).
 */
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "attributes.h"
#include "resources.h"

static const struct db_constraint constraints[] = {
	{ "vpcs_dns_hostnames_need_support", 400, "InvalidParameterCombination",
	  "DNS host names need DNS support: enable enableDnsSupport first, "
	  "or disable enableDnsHostnames" },
	{ NULL, 0, NULL, NULL }
};

static struct db_stmt q_dns_support = DB_STMT(
    "UPDATE cloudsim.vpcs SET enable_dns_support = $4::boolean"
    " WHERE id = $1 AND account_id = $2 AND region = $3 RETURNING id");
static struct db_stmt q_dns_hostnames = DB_STMT(
    "UPDATE cloudsim.vpcs SET enable_dns_hostnames = $4::boolean"
    " WHERE id = $1 AND account_id = $2 AND region = $3 RETURNING id");
static struct db_stmt q_map_public = DB_STMT(
    "UPDATE cloudsim.subnets SET map_public_ip_on_launch = $4::boolean"
    " WHERE id = $1 AND account_id = $2 AND region = $3 RETURNING id");

struct change {
	struct db_stmt			*st;
	const struct resource_kind	*kind;
	const char			*id, *action, *value;
	struct scope			 scope;
};

static bool
change_tx(struct request *req, void *arg, struct api_error *err)
{
	struct change	*c = arg;
	const char	*p[4] = { c->id, c->scope.account, c->scope.region,
			    c->value };
	PGresult	*r;

	if ((r = db_exec(req, c->st, 4, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(c->kind, c->id, err);
	return audit_write(req, c->action, &c->id, 1, 200, err);
}

static bool
change(struct request *req, struct change *c, const char *field,
    struct api_error *err)
{
	db_register_constraints(constraints);
	if (!resource_id_check(c->kind, c->id, field, err) ||
	    !scope_write(req, &c->scope, err))
		return false;
	return db_transaction(req, change_tx, c, err);
}

bool
vpc_set_attribute(struct request *req, const char *id,
    enum vpc_attribute attr, bool value, struct api_error *err)
{
	struct change	c = { attr == VPC_ENABLE_DNS_SUPPORT ? &q_dns_support :
			    &q_dns_hostnames, &kind_vpc, id,
			    "ModifyVpcAttribute", value ? "true" : "false",
			    { NULL, NULL } };

	return change(req, &c, "vpc_id", err);
}

bool
subnet_set_map_public_ip(struct request *req, const char *id, bool value,
    struct api_error *err)
{
	struct change	c = { &q_map_public, &kind_subnet, id,
			    "ModifySubnetAttribute", value ? "true" : "false",
			    { NULL, NULL } };

	return change(req, &c, "subnet_id", err);
}
