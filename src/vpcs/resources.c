/*
 * The shared part of the VPC family: kinds, lists, single reads,
 * tags and constraint names.  Every statement scopes by account (NULL
 * for an admin's read) and region, so another account's id reads as an
 * unknown one.
 */
#include <string.h>

#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/tag_change.h"
#include "resources.h"

/*
 * Constraint names of sql/004_vpcs.sql as a client reads them.  The
 * services re-word the message with the values involved where they can;
 * these stand when a race is lost deep inside the database.
 */
static const struct db_constraint constraints[] = {
	{ "subnets_no_overlap", 409, "InvalidSubnet.Conflict",
	  "the CIDR block conflicts with another subnet of the VPC" },
	{ "subnets_inside_vpc", 400, "InvalidSubnet.Range",
	  "the CIDR block is not inside the VPC's block" },
	{ "vpcs_one_default", 409, "DefaultVpcAlreadyExists",
	  "a default VPC already exists for this account and region" },
	{ "internet_gateways_vpc_key", 409, "Resource.AlreadyAssociated",
	  "the VPC already has an internet gateway attached" },
	{ "route_table_associations_subnet_key", 409,
	  "Resource.AlreadyAssociated",
	  "the subnet is already associated with a route table" },
	{ "security_groups_name_key", 409, "InvalidGroup.Duplicate",
	  "a security group with this name already exists in the VPC" },
	{ "security_group_rules_unique", 409, "InvalidPermission.Duplicate",
	  "the same rule already exists in the security group" },
	{ "routes_pkey", 409, "RouteAlreadyExists",
	  "the route table already has a route to this destination" },
	{ "subnets_vpc_fkey", 409, "DependencyViolation",
	  "the VPC has subnets and cannot be deleted" },
	{ "subnets_vpc_cidr_fkey", 409, "DependencyViolation",
	  "the VPC has subnets and cannot be deleted" },
	{ "security_groups_vpc_fkey", 409, "DependencyViolation",
	  "the VPC has security groups other than its default one" },
	{ "route_tables_vpc_fkey", 409, "DependencyViolation",
	  "the VPC has route tables other than its main one" },
	{ "internet_gateways_vpc_fkey", 409, "DependencyViolation",
	  "the VPC has an internet gateway attached" },
	{ "subnet_addresses_subnet_fkey", 409, "DependencyViolation",
	  "the subnet has addresses in use" },
	{ "security_group_rules_source_fkey", 409, "DependencyViolation",
	  "the security group is referenced by another group's rule" },
	/* 006_instances: a group named by an instance's interface. */
	{ "instance_security_groups_group_fkey", 409, "DependencyViolation",
	  "the security group is in use by instances" },
	{ "route_table_associations_table_fkey", 409, "DependencyViolation",
	  "the route table has subnet associations" },
	{ "tags_count_check", 400, "TagLimitExceeded",
	  "a resource may have at most 50 tags" },
	{ "tags_valid_check", 400, "InvalidParameterValue",
	  "tags must be string keys of 1 to 128 characters (not aws:) "
	  "with values of up to 256" },
	{ NULL, 0, NULL, NULL }
};

void
resources_init(void)
{
	db_register_constraints(constraints);
}

bool
resource_id_check(const struct resource_kind *k, const char *id,
    const char *field, struct api_error *err)
{
	if (id_valid(id, k->prefix, k->nhex))
		return true;
	return api_error_set(err, 400, k->malformed, "'%s' value '%.64s' is "
	    "not a %s id: expected '%s' and %zu lower-case hex digits",
	    field, id, k->noun, k->prefix, k->nhex);
}

bool
resource_not_found(const struct resource_kind *k, const char *id,
    struct api_error *err)
{
	return api_error_set(err, 404, k->not_found, "the %s '%.64s' does "
	    "not exist", k->noun, id);
}

json_t *
resource_json_column(const PGresult *res, int row, const char *col)
{
	const char	*text = db_get(res, row, col);
	json_t		*v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v != NULL ? v : json_null();
}

json_t *
resource_list(struct request *req, struct db_stmt *st, const char **params,
    int n, const struct listing_page *page,
    json_t *(*render)(const PGresult *, int), struct api_error *err)
{
	PGresult	*r;
	json_t		*items, *item, *env;
	long long	 total = 0;
	int		 i;

	params[n - 2] = listing_limit(req, page);
	params[n - 1] = listing_offset(req, page);
	if ((r = db_exec(req, st, n, params, err)) == NULL)
		return NULL;
	if ((items = json_array()) == NULL)
		goto oom;
	for (i = 0; i < PQntuples(r); i++) {
		total = db_get_int(r, i, "total");
		if (db_get(r, i, "id") == NULL)
			continue;
		if ((item = render(r, i)) == NULL ||
		    json_array_append_new(items, item) != 0) {
			json_decref(items);
			goto oom;
		}
	}
	if ((env = listing_envelope(items, total, page)) != NULL)
		return env;
oom:
	api_error_internal(err);
	return NULL;
}

json_t *
resource_get(struct request *req, const struct resource_kind *k,
    struct db_stmt *st, const char *id, const struct scope *s,
    json_t *(*render)(const PGresult *, int), struct api_error *err)
{
	const char	*p[3] = { id, s->account, s->region };
	PGresult	*r;
	json_t		*v;

	if ((r = db_exec(req, st, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		resource_not_found(k, id, err);
		return NULL;
	}
	if ((v = render(r, 0)) == NULL)
		api_error_internal(err);
	return v;
}

/* resource_write's transaction: the caller's, then the answer. */
struct write_read {
	bool			 (*fn)(struct request *, void *,
				    struct api_error *);
	void			*arg;
	const char *const	*id;
	const struct resource_kind *kind;
	struct db_stmt		*st;
	const struct scope	*scope;
	json_t			*(*render)(const PGresult *, int);
	json_t			*result;	/* out */
};

static bool
write_read_tx(struct request *req, void *arg, struct api_error *err)
{
	struct write_read	*w = arg;

	if (!w->fn(req, w->arg, err))
		return false;
	db_commit_with_next();
	w->result = resource_get(req, w->kind, w->st, *w->id, w->scope,
	    w->render, err);
	return w->result != NULL;
}

json_t *
resource_write(struct request *req,
    bool (*fn)(struct request *, void *, struct api_error *), void *arg,
    const char *const *id, const struct resource_kind *k, struct db_stmt *st,
    const struct scope *s, json_t *(*render)(const PGresult *, int),
    struct api_error *err)
{
	struct write_read	w = { fn, arg, id, k, st, s, render, NULL };

	if (!db_transaction(req, write_read_tx, &w, err)) {
		json_decref(w.result);
		return NULL;
	}
	return w.result;
}

/* --- tags ---------------------------------------------------------- */

#define TAGS_MERGE(table) \
    "UPDATE cloudsim." table " SET tags = tags || $4::jsonb" \
    " WHERE id = $1 AND account_id = $2 AND region = $3 RETURNING id, tags"
#define TAGS_DELETE(table) \
    "UPDATE cloudsim." table " SET tags = tags - $4::text[]" \
    " WHERE id = $1 AND account_id = $2 AND region = $3 RETURNING id, tags"

static struct db_stmt q_vpc_tags_merge = DB_STMT(TAGS_MERGE("vpcs"));
static struct db_stmt q_vpc_tags_delete = DB_STMT(TAGS_DELETE("vpcs"));
static struct db_stmt q_subnet_tags_merge = DB_STMT(TAGS_MERGE("subnets"));
static struct db_stmt q_subnet_tags_delete = DB_STMT(TAGS_DELETE("subnets"));
static struct db_stmt q_sg_tags_merge = DB_STMT(TAGS_MERGE("security_groups"));
static struct db_stmt q_sg_tags_delete = DB_STMT(TAGS_DELETE("security_groups"));
static struct db_stmt q_igw_tags_merge = DB_STMT(TAGS_MERGE("internet_gateways"));
static struct db_stmt q_igw_tags_delete = DB_STMT(TAGS_DELETE("internet_gateways"));
static struct db_stmt q_rtb_tags_merge = DB_STMT(TAGS_MERGE("route_tables"));
static struct db_stmt q_rtb_tags_delete = DB_STMT(TAGS_DELETE("route_tables"));

const struct resource_kind kind_vpc = {
	"vpc-", 8, "VPC", "InvalidVpcID.Malformed", "InvalidVpcID.NotFound",
	&q_vpc_tags_merge, &q_vpc_tags_delete
};
const struct resource_kind kind_subnet = {
	"subnet-", 8, "subnet", "InvalidSubnetID.Malformed",
	"InvalidSubnetID.NotFound", &q_subnet_tags_merge, &q_subnet_tags_delete
};
const struct resource_kind kind_security_group = {
	"sg-", 17, "security group", "InvalidGroupId.Malformed",
	"InvalidGroup.NotFound", &q_sg_tags_merge, &q_sg_tags_delete
};
const struct resource_kind kind_internet_gateway = {
	"igw-", 17, "internet gateway", "InvalidInternetGatewayId.Malformed",
	"InvalidInternetGatewayID.NotFound", &q_igw_tags_merge,
	&q_igw_tags_delete
};
const struct resource_kind kind_route_table = {
	"rtb-", 17, "route table", "InvalidRouteTableId.Malformed",
	"InvalidRouteTableID.NotFound", &q_rtb_tags_merge, &q_rtb_tags_delete
};

static bool
kind_not_found(const void *k, const char *id, struct api_error *err)
{
	return resource_not_found(k, id, err);
}

json_t *
resource_tags_merge(struct request *req, const struct resource_kind *k,
    const char *id, const struct tag_set *tags, struct api_error *err)
{
	struct tag_target	t = { id, k->tags_merge, kind_not_found, k };

	if (!resource_id_check(k, id, "id", err))
		return NULL;
	return tag_change_merge(req, &t, tags, err);
}

json_t *
resource_tags_delete(struct request *req, const struct resource_kind *k,
    const char *id, const char *const *keys, size_t nkeys,
    struct api_error *err)
{
	struct tag_target	t = { id, k->tags_delete, kind_not_found, k };

	if (!resource_id_check(k, id, "id", err))
		return NULL;
	return tag_change_remove(req, &t, keys, nkeys, err);
}
