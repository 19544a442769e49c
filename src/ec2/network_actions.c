/*
 * VPCs, subnets, security groups, internet gateways and route tables on
 * the EC2 Query API.  Each action reads EC2's parameters into the vpcs
 * services' structs and renders their JSON as EC2's XML; no rule is
 * checked here that the service does not already check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "core/tags.h"
#include "vpcs/attributes.h"
#include "vpcs/internet_gateways.h"
#include "vpcs/route_tables.h"
#include "vpcs/security_groups.h"
#include "vpcs/subnets.h"
#include "vpcs/vpcs.h"
#include "actions.h"
#include "describe.h"
#include "query.h"
#include "xml.h"

/* --- shapes ---------------------------------------------------------- */

static const struct xml_field cidr_state_fields[] = {
	{ "state", "associated", XF_CONST },
	{ NULL }
};
static const struct xml_field cidr_assoc_fields[] = {
	{ "cidrBlock", "cidr_block", XF_STRING },
	{ "associationId", "association_id", XF_STRING },
	{ "cidrBlockState", NULL, XF_NEST, cidr_state_fields },
	{ NULL }
};
static const struct xml_field vpc_fields[] = {
	{ "vpcId", "id", XF_STRING },
	{ "ownerId", "account_id", XF_STRING },
	{ "state", "state", XF_STRING },
	{ "cidrBlock", "cidr_block", XF_STRING },
	{ "cidrBlockAssociationSet", "cidr_associations", XF_LIST,
	  cidr_assoc_fields },
	{ "dhcpOptionsId", "default", XF_CONST },
	{ "instanceTenancy", "instance_tenancy", XF_STRING },
	{ "isDefault", "is_default", XF_BOOL },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

/* EC2 lists a VPC's blocks with association ids; ours has one block. */
static void
adapt_vpc(struct ec2_call *c, json_t *v)
{
	const char	*id = json_string_value(json_object_get(v, "id"));

	json_object_set_new(v, "cidr_associations", json_pack("[{s:O, s:s}]",
	    "cidr_block", json_object_get(v, "cidr_block"),
	    "association_id", arena_printf(c->req->arena,
	    "vpc-cidr-assoc-%s", id != NULL ? id + 4 : "")));
}

static const struct xml_field dns_options_fields[] = {
	{ "hostnameType", "ip-name", XF_CONST },
	{ "enableResourceNameDnsARecord", "false", XF_CONST },
	{ "enableResourceNameDnsAAAARecord", "false", XF_CONST },
	{ NULL }
};
static const struct xml_field subnet_fields[] = {
	{ "subnetId", "id", XF_STRING },
	{ "subnetArn", "arn", XF_STRING },
	{ "state", "state", XF_STRING },
	{ "ownerId", "account_id", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "cidrBlock", "cidr_block", XF_STRING },
	{ "availableIpAddressCount", "available_ip_address_count", XF_INT },
	{ "availabilityZone", "availability_zone", XF_STRING },
	{ "availabilityZoneId", "availability_zone_id", XF_STRING },
	{ "defaultForAz", "default_for_az", XF_BOOL },
	{ "mapPublicIpOnLaunch", "map_public_ip_on_launch", XF_BOOL },
	{ "mapCustomerOwnedIpOnLaunch", "false", XF_CONST },
	{ "assignIpv6AddressOnCreation", "false", XF_CONST },
	{ "enableDns64", "false", XF_CONST },
	{ "ipv6Native", "false", XF_CONST },
	{ "privateDnsNameOptionsOnLaunch", NULL, XF_NEST, dns_options_fields },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

static const struct xml_field range_fields[] = {
	{ "cidrIp", "cidr", XF_STRING },
	{ "description", "description", XF_STRING },
	{ NULL }
};
static const struct xml_field pair_fields[] = {
	{ "userId", "user_id", XF_STRING },
	{ "groupId", "group_id", XF_STRING },
	{ "description", "description", XF_STRING },
	{ NULL }
};
static const struct xml_field permission_fields[] = {
	{ "ipProtocol", "protocol", XF_STRING },
	{ "fromPort", "from_port", XF_INT },
	{ "toPort", "to_port", XF_INT },
	{ "groups", "groups", XF_LIST, pair_fields },
	{ "ipRanges", "ip_ranges", XF_LIST, range_fields },
	{ "ipv6Ranges", "none", XF_LIST, NULL },
	{ "prefixListIds", "none", XF_LIST, NULL },
	{ NULL }
};
static const struct xml_field group_fields[] = {
	{ "ownerId", "account_id", XF_STRING },
	{ "groupId", "id", XF_STRING },
	{ "groupName", "name", XF_STRING },
	{ "groupDescription", "description", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "securityGroupArn", "arn", XF_STRING },
	{ "ipPermissions", "ip_permissions", XF_LIST, permission_fields },
	{ "ipPermissionsEgress", "ip_permissions_egress", XF_LIST,
	  permission_fields },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

/* A service rule as an EC2 permission: one item per rule. */
static json_t *
permission(const json_t *rule, const char *account)
{
	json_t		*p = json_object();
	const char	*cidr, *src;

	json_object_set(p, "protocol", json_object_get(rule, "protocol"));
	if (json_object_get(rule, "from_port") != NULL &&
	    strcmp(json_string_value(json_object_get(rule, "protocol")) ?
	    json_string_value(json_object_get(rule, "protocol")) : "", "-1")) {
		json_object_set(p, "from_port", json_object_get(rule,
		    "from_port"));
		json_object_set(p, "to_port", json_object_get(rule, "to_port"));
	}
	cidr = json_string_value(json_object_get(rule, "cidr"));
	src = json_string_value(json_object_get(rule, "source_group_id"));
	json_object_set_new(p, "ip_ranges", cidr == NULL ? json_array() :
	    json_pack("[{s:s, s:O?}]", "cidr", cidr, "description",
	    json_object_get(rule, "description")));
	json_object_set_new(p, "groups", src == NULL ? json_array() :
	    json_pack("[{s:s, s:s, s:O?}]", "group_id", src, "user_id", account,
	    "description", json_object_get(rule, "description")));
	json_object_set_new(p, "none", json_array());
	return p;
}

static void
adapt_group(struct ec2_call *c, json_t *g)
{
	const char	*acct = json_string_value(json_object_get(g,
			    "account_id"));
	json_t		*in = json_array(), *out = json_array(), *r;
	size_t		 i;

	(void)c;
	json_array_foreach(json_object_get(g, "ingress"), i, r)
		json_array_append_new(in, permission(r, acct ? acct : ""));
	json_array_foreach(json_object_get(g, "egress"), i, r)
		json_array_append_new(out, permission(r, acct ? acct : ""));
	json_object_set_new(g, "ip_permissions", in);
	json_object_set_new(g, "ip_permissions_egress", out);
}

static const struct xml_field igw_attachment_fields[] = {
	{ "vpcId", "vpc_id", XF_STRING },
	{ "state", "state", XF_STRING },
	{ NULL }
};
static const struct xml_field igw_fields[] = {
	{ "internetGatewayId", "id", XF_STRING },
	{ "ownerId", "account_id", XF_STRING },
	{ "attachmentSet", "attachments", XF_LIST, igw_attachment_fields },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

static const struct xml_field route_fields[] = {
	{ "destinationCidrBlock", "destination_cidr_block", XF_STRING },
	{ "gatewayId", "gateway_id", XF_STRING },
	{ "state", "state", XF_STRING },
	{ "origin", "ec2_origin", XF_STRING },
	{ NULL }
};
static const struct xml_field assoc_state_fields[] = {
	{ "state", "associated", XF_CONST },
	{ NULL }
};
static const struct xml_field rtb_assoc_fields[] = {
	{ "routeTableAssociationId", "id", XF_STRING },
	{ "routeTableId", "route_table_id", XF_STRING },
	{ "subnetId", "subnet_id", XF_STRING },
	{ "main", "main", XF_BOOL },
	{ "associationState", NULL, XF_NEST, assoc_state_fields },
	{ NULL }
};
static const struct xml_field rtb_fields[] = {
	{ "routeTableId", "id", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "ownerId", "account_id", XF_STRING },
	{ "routeSet", "routes", XF_LIST, route_fields },
	{ "associationSet", "associations", XF_LIST, rtb_assoc_fields },
	{ "propagatingVgwSet", "none", XF_LIST, NULL },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

/* EC2 says how a route came to be: CreateRouteTable (local) or CreateRoute. */
static void
adapt_rtb(struct ec2_call *c, json_t *t)
{
	json_t	*r;
	size_t	 i;

	(void)c;
	json_array_foreach(json_object_get(t, "routes"), i, r) {
		const char *gw = json_string_value(json_object_get(r,
		    "gateway_id"));
		json_object_set_new(r, "ec2_origin", json_string(
		    gw != NULL && strcmp(gw, "local") == 0 ?
		    "CreateRouteTable" : "CreateRoute"));
	}
	json_object_set_new(t, "none", json_array());
}

/* Render one service result (a new reference) as <element>. */
static bool
one(struct ec2_call *c, const char *element, json_t *item,
    void (*adapt)(struct ec2_call *, json_t *),
    const struct xml_field *fields)
{
	if (item == NULL)
		return false;
	request_keep(c->req, item);
	if (adapt != NULL)
		adapt(c, item);
	xml_open(&c->xml, element);
	xml_fields(&c->xml, item, fields);
	xml_close(&c->xml);
	return true;
}

/* --- VPCs -------------------------------------------------------------- */

static const struct filter_map vpc_filters[] = {
	{ "vpc-id", "vpc_id" }, { "cidr", "cidr_block" },
	{ "cidr-block-association.cidr-block", "cidr_block" },
	{ "is-default", "is_default" }, { "state", "state" },
	{ "owner-id", NULL }, { NULL, NULL }
};

bool
ec2_describe_vpcs(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { vpc_describe, "VpcId",
	    "vpc_id", "InvalidVpcID.NotFound", "VPC", vpc_filters, NULL, NULL,
	    5, 1000, "vpcSet", vpc_fields, adapt_vpc };

	return ec2_describe(c, &spec, err);
}

bool
ec2_create_vpc(struct ec2_call *c, struct api_error *err)
{
	struct vpc_create_params p = { 0 };

	if (!ec2_required(c, "CidrBlock", &p.cidr_block, err) ||
	    !ec2_tag_specs(c, "vpc", &p.tags, err))
		return false;
	return one(c, "vpc", vpc_create(c->req, &p, err), adapt_vpc,
	    vpc_fields);
}

bool
ec2_delete_vpc(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "VpcId", &id, err) ||
	    !vpc_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

static struct db_stmt q_has_default = DB_STMT(
    "SELECT id FROM cloudsim.vpcs WHERE account_id = $1 AND region = $2"
    " AND is_default");
static struct db_stmt q_default_vpc = DB_STMT(
    "SELECT cloudsim.ensure_default_vpc($1, $2) AS id");

/* As EC2: an existing default VPC is an error, not a no-op. */
bool
ec2_create_default_vpc(struct ec2_call *c, struct api_error *err)
{
	const char	*params[2] = { c->req->principal.account_id, c->region };
	PGresult	*r;

	if ((r = db_exec(c->req, &q_has_default, 2, params, err)) == NULL)
		return false;
	if (PQntuples(r) > 0)
		return api_error_set(err, 400, "DefaultVpcAlreadyExists",
		    "a default VPC already exists for this account in this "
		    "region: '%s'", db_get(r, 0, "id"));
	if ((r = db_exec(c->req, &q_default_vpc, 2, params, err)) == NULL)
		return false;
	return one(c, "vpc", vpc_get(c->req, db_get(r, 0, "id"), err),
	    adapt_vpc, vpc_fields);
}

bool
ec2_describe_vpc_attribute(struct ec2_call *c, struct api_error *err)
{
	const char	*id, *attr, *member;
	json_t		*vpc;

	if (!ec2_required(c, "VpcId", &id, err) ||
	    !ec2_required(c, "Attribute", &attr, err))
		return false;
	if (strcmp(attr, "enableDnsSupport") == 0)
		member = "enable_dns_support";
	else if (strcmp(attr, "enableDnsHostnames") == 0)
		member = "enable_dns_hostnames";
	else if (strcmp(attr, "enableNetworkAddressUsageMetrics") == 0)
		member = NULL;
	else
		return api_error_invalid(err, "the attribute '%s' is not "
		    "supported", attr);
	if ((vpc = request_keep(c->req, vpc_get(c->req, id, err))) == NULL)
		return false;
	xml_text(&c->xml, "vpcId", id);
	xml_open(&c->xml, attr);
	xml_bool(&c->xml, "value", member != NULL &&
	    json_is_true(json_object_get(vpc, member)));
	xml_close(&c->xml);
	return true;
}

/* EnableDnsSupport.Value / EnableDnsHostnames.Value, one per call as EC2. */
bool
ec2_modify_vpc_attribute(struct ec2_call *c, struct api_error *err)
{
	const char	*id, *sup = ec2_param(c, "EnableDnsSupport.Value");
	const char	*host = ec2_param(c, "EnableDnsHostnames.Value");
	bool		 v;

	if (!ec2_required(c, "VpcId", &id, err))
		return false;
	if ((sup == NULL) == (host == NULL))
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "give exactly one of EnableDnsSupport and "
		    "EnableDnsHostnames");
	if (!ec2_bool(c, sup != NULL ? "EnableDnsSupport.Value" :
	    "EnableDnsHostnames.Value", false, &v, err) ||
	    !vpc_set_attribute(c->req, id, sup != NULL ?
	    VPC_ENABLE_DNS_SUPPORT : VPC_ENABLE_DNS_HOSTNAMES, v, err))
		return false;
	ec2_return_true(c);
	return true;
}

/* --- subnets ------------------------------------------------------------ */

bool
ec2_modify_subnet_attribute(struct ec2_call *c, struct api_error *err)
{
	const char	*id;
	bool		 v;

	if (!ec2_required(c, "SubnetId", &id, err))
		return false;
	if (ec2_param(c, "MapPublicIpOnLaunch.Value") == NULL)
		return api_error_invalid(err, "only MapPublicIpOnLaunch can be "
		    "modified in cloudsim");
	if (!ec2_bool(c, "MapPublicIpOnLaunch.Value", false, &v, err) ||
	    !subnet_set_map_public_ip(c->req, id, v, err))
		return false;
	ec2_return_true(c);
	return true;
}

static const struct filter_map subnet_filters[] = {
	{ "subnet-id", "subnet_id" }, { "vpc-id", "vpc_id" },
	{ "cidr-block", "cidr_block" }, { "cidr", "cidr_block" },
	{ "availability-zone", "availability_zone" },
	{ "default-for-az", "default_for_az" }, { "defaultForAz", "default_for_az" },
	{ "state", "state" }, { NULL, NULL }
};

bool
ec2_describe_subnets(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { subnet_describe, "SubnetId",
	    "subnet_id", "InvalidSubnetID.NotFound", "subnet", subnet_filters,
	    NULL, NULL, 5, 1000, "subnetSet", subnet_fields, NULL };

	return ec2_describe(c, &spec, err);
}

bool
ec2_create_subnet(struct ec2_call *c, struct api_error *err)
{
	struct subnet_create_params p = { 0 };

	if (!ec2_required(c, "VpcId", &p.vpc_id, err) ||
	    !ec2_required(c, "CidrBlock", &p.cidr_block, err) ||
	    !ec2_tag_specs(c, "subnet", &p.tags, err))
		return false;
	p.availability_zone = ec2_param(c, "AvailabilityZone");
	return one(c, "subnet", subnet_create(c->req, &p, err), NULL,
	    subnet_fields);
}

bool
ec2_delete_subnet(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "SubnetId", &id, err) ||
	    !subnet_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

/* --- security groups --------------------------------------------------------- */

static const struct filter_map group_filters[] = {
	{ "group-id", "group_id" }, { "group-name", "group_name" },
	{ "vpc-id", "vpc_id" }, { NULL, NULL }
};

bool
ec2_describe_security_groups(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { security_group_describe,
	    "GroupId", "group_id", "InvalidGroup.NotFound", "security group",
	    group_filters, "GroupName", "group_name", 5, 1000,
	    "securityGroupInfo", group_fields, adapt_group };

	return ec2_describe(c, &spec, err);
}

bool
ec2_create_security_group(struct ec2_call *c, struct api_error *err)
{
	struct security_group_create_params p = { 0 };
	json_t	*g;

	if (!ec2_required(c, "GroupName", &p.name, err) ||
	    !ec2_required(c, "GroupDescription", &p.description, err) ||
	    !ec2_tag_specs(c, "security-group", &p.tags, err))
		return false;
	p.vpc_id = ec2_param(c, "VpcId");
	if ((g = request_keep(c->req, security_group_create(c->req, &p,
	    err))) == NULL)
		return false;
	xml_text(&c->xml, "return", "true");
	xml_text(&c->xml, "groupId", json_string_value(json_object_get(g,
	    "id")));
	xml_fields(&c->xml, g, (const struct xml_field[]){
	    { "tagSet", "tags", XF_TAGS }, { NULL } });
	return true;
}

/* A group by GroupId, or by GroupName in the default VPC. */
static const char *
group_id(struct ec2_call *c, struct api_error *err)
{
	const char	*id = ec2_param(c, "GroupId");

	if (id == NULL && ec2_param(c, "GroupName") == NULL)
		api_error_missing(err, "GroupId");
	else if (id == NULL)
		api_error_invalid(err, "use GroupId: groups are found by id "
		    "in cloudsim, got GroupName '%s'",
		    ec2_param(c, "GroupName"));
	return id;
}

bool
ec2_delete_security_group(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if ((id = group_id(c, err)) == NULL ||
	    !security_group_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

/* --- security group rules ---------------------------------------------------- */

#define PERMS_MAX	50

/* A call's permissions as service rules, and what cloudsim cannot hold. */
struct perms {
	struct security_group_rule_params	 rules[PERMS_MAX];
	size_t					 n;
	const char	*unsupported;	/* first IPv6 range or prefix list */
};

/*
 * The largest N of any parameter prefix.N…, 0 when there is none; -1
 * past PERMS_MAX, which no call of EC2's limits reaches (and which
 * bounds the loops over N).
 */
static long
max_index(const struct ec2_call *c, const char *prefix)
{
	size_t	 len = strlen(prefix), i;
	long	 n, max = 0;
	char	*end;

	for (i = 0; i < c->params.n; i++) {
		const char *k = c->params.items[i].key;
		if (strncmp(k, prefix, len) != 0 || k[len] != '.' ||
		    k[len + 1] < '0' || k[len + 1] > '9')
			continue;
		n = strtol(k + len + 1, &end, 10);
		if ((*end == '.' || *end == '\0') && n > max)
			max = n;
	}
	return max > PERMS_MAX ? -1 : max;
}

/* Is there any parameter prefix.…? */
static bool
has_prefix(const struct ec2_call *c, const char *prefix)
{
	size_t	 len = strlen(prefix), i;

	for (i = 0; i < c->params.n; i++)
		if (strncmp(c->params.items[i].key, prefix, len) == 0 &&
		    c->params.items[i].key[len] == '.')
			return true;
	return false;
}

/* A port parameter: absent, or an integer (the service checks ranges). */
static bool
perm_port(const char *v, const char *name, bool *has, long long *out,
    struct api_error *err)
{
	char	*end;

	*has = v != NULL;
	*out = 0;
	if (v == NULL)
		return true;
	*out = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0')
		return api_error_invalid(err, "%s must be an integer, got "
		    "'%s'", name, v);
	return true;
}

/* One service rule: protocol and ports of a permission, one peer. */
static bool
perm_rule(struct perms *ps, const struct security_group_rule_params *base,
    const char *cidr, const char *group, const char *desc,
    struct api_error *err)
{
	struct security_group_rule_params *r;

	if (ps->n == PERMS_MAX)
		return api_error_invalid(err, "at most %d rules in one call",
		    PERMS_MAX);
	r = &ps->rules[ps->n++];
	*r = *base;
	r->cidr = cidr;
	r->source_group_id = group;
	r->description = desc;
	return true;
}

/*
 * IpPermissions.N: protocol, ports and its peers, each list numbered
 * on its own (IpRanges.M.CidrIp, Groups.M.GroupId, and the
 * Ipv6Ranges.M.CidrIpv6 / PrefixListIds.M.PrefixListId cloudsim has no
 * rules for).  One service rule per IPv4 range or group pair.
 */
static bool
perm_parse(struct ec2_call *c, long i, struct security_group_rule_params *base,
    struct perms *ps, struct api_error *err)
{
	static const char *const pairs[2] = { "Groups", "UserIdGroupPairs" };
	char		 pre[64], name[128];
	const char	*v;
	long		 j, max;
	int		 k;

#define P(...) (snprintf(name, sizeof(name), __VA_ARGS__), ec2_param(c, name))
	snprintf(pre, sizeof(pre), "IpPermissions.%ld", i);
	if ((base->protocol = P("%s.IpProtocol", pre)) == NULL) {
		if (!has_prefix(c, pre))
			return true;	/* a gap in the numbering */
		return api_error_missing(err, arena_printf(c->req->arena,
		    "%s.IpProtocol", pre));
	}
	if (!perm_port(P("%s.FromPort", pre), "FromPort", &base->has_from_port,
	    &base->from_port, err) || !perm_port(P("%s.ToPort", pre), "ToPort",
	    &base->has_to_port, &base->to_port, err))
		return false;
	max = max_index(c, arena_printf(c->req->arena, "%s.IpRanges", pre));
	if (max < 0)
		return api_error_invalid(err, "at most %d rules in one call",
		    PERMS_MAX);
	for (j = 1; j <= max; j++)
		if ((v = P("%s.IpRanges.%ld.CidrIp", pre, j)) != NULL &&
		    !perm_rule(ps, base, v, NULL, P("%s.IpRanges.%ld."
		    "Description", pre, j), err))
			return false;
	/* The SDKs name the pairs Groups (the model's locationName). */
	for (k = 0; k < 2; k++) {
		max = max_index(c, arena_printf(c->req->arena, "%s.%s", pre,
		    pairs[k]));
		if (max < 0)
			return api_error_invalid(err, "at most %d rules in one "
			    "call", PERMS_MAX);
		for (j = 1; j <= max; j++)
			if ((v = P("%s.%s.%ld.GroupId", pre, pairs[k], j)) !=
			    NULL && !perm_rule(ps, base, NULL, v, P("%s.%s.%ld."
			    "Description", pre, pairs[k], j), err))
				return false;
	}
	if (ps->unsupported == NULL &&
	    ((v = P("%s.Ipv6Ranges.1.CidrIpv6", pre)) != NULL ||
	    (v = P("%s.PrefixListIds.1.PrefixListId", pre)) != NULL))
		ps->unsupported = v;
#undef P
	return true;
}

/*
 * EC2's rule parameters: IpPermissions.N, or the legacy top-level
 * IpProtocol/FromPort/ToPort/CidrIp that aws-cli sends for
 * --protocol/--port/--cidr.  "all" is -1, as EC2 reads it.
 */
static bool
parse_perms(struct ec2_call *c, const char *direction, struct perms *ps,
    struct api_error *err)
{
	struct security_group_rule_params	 base;
	long					 i, max;
	size_t					 k;

	memset(ps, 0, sizeof(*ps));
	memset(&base, 0, sizeof(base));
	base.direction = direction;
	if ((base.protocol = ec2_param(c, "IpProtocol")) != NULL) {
		if (!perm_port(ec2_param(c, "FromPort"), "FromPort",
		    &base.has_from_port, &base.from_port, err) ||
		    !perm_port(ec2_param(c, "ToPort"), "ToPort",
		    &base.has_to_port, &base.to_port, err) ||
		    !perm_rule(ps, &base, ec2_param(c, "CidrIp"),
		    ec2_param(c, "SourceSecurityGroupId"), NULL, err))
			return false;
	} else if ((max = max_index(c, "IpPermissions")) < 0)
		return api_error_invalid(err, "at most %d IpPermissions in "
		    "one call", PERMS_MAX);
	else
		for (i = 1; i <= max; i++)
			if (!perm_parse(c, i, &base, ps, err))
				return false;
	for (k = 0; k < ps->n; k++)
		if (strcmp(ps->rules[k].protocol, "all") == 0)
			ps->rules[k].protocol = "-1";
	if (ps->n == 0 && ps->unsupported == NULL)
		return api_error_missing(err, "IpPermissions");
	return true;
}

static const struct xml_field rule_fields[] = {
	{ "securityGroupRuleId", "id", XF_STRING },
	{ "groupId", "group_id", XF_STRING },
	{ "groupOwnerId", "owner", XF_STRING },
	{ "isEgress", "is_egress", XF_BOOL },
	{ "ipProtocol", "protocol", XF_STRING },
	{ "fromPort", "from_port", XF_INT },
	{ "toPort", "to_port", XF_INT },
	{ "cidrIpv4", "cidr", XF_STRING },
	{ "referencedGroupInfo", "referenced", XF_OBJECT, pair_fields },
	{ "description", "description", XF_STRING },
	{ NULL }
};

/* A service rule as an EC2 SecurityGroupRule (members added in place). */
static void
adapt_rule(json_t *r, const char *owner)
{
	const char	*src = json_string_value(json_object_get(r,
			    "source_group_id"));

	json_object_set_new(r, "is_egress", json_boolean(strcmp(
	    json_string_value(json_object_get(r, "direction")) ?
	    json_string_value(json_object_get(r, "direction")) : "",
	    "egress") == 0));
	json_object_set_new(r, "owner", json_string(owner));
	if (src != NULL)
		json_object_set_new(r, "referenced", json_pack("{s:s, s:s}",
		    "group_id", src, "user_id", owner));
}

/* Authorize: every rule of the call or none (one transaction). */
static bool
authorize(struct ec2_call *c, const char *direction, struct api_error *err)
{
	struct perms	*ps = arena_calloc(c->req->arena, 1, sizeof(*ps));
	const char	*id;
	json_t		*added, *r;
	size_t		 i;

	if ((id = group_id(c, err)) == NULL ||
	    !parse_perms(c, direction, ps, err))
		return false;
	if (ps->unsupported != NULL)
		return api_error_invalid(err, "cloudsim's security group rules "
		    "take IPv4 ranges and groups only, got '%s'",
		    ps->unsupported);
	if ((added = request_keep(c->req, security_group_rules_add(c->req, id,
	    ps->rules, ps->n, err))) == NULL)
		return false;
	json_array_foreach(added, i, r)
		adapt_rule(r, c->req->principal.account_id);
	ec2_return_true(c);
	xml_list(&c->xml, "securityGroupRuleSet", added, rule_fields);
	return true;
}

bool
ec2_authorize_ingress(struct ec2_call *c, struct api_error *err)
{
	return authorize(c, "ingress", err);
}

bool
ec2_authorize_egress(struct ec2_call *c, struct api_error *err)
{
	return authorize(c, "egress", err);
}

/*
 * Revoke by SecurityGroupRuleId.N, or by properties: every rule or
 * none.  A rule cloudsim cannot hold (IPv6, prefix list) does not
 * exist, which is what EC2 answers for a VPC without an IPv6 block, and
 * what terraform expects when it drops the default IPv6 egress rule.
 */
static bool
revoke(struct ec2_call *c, const char *direction, struct api_error *err)
{
	struct perms	*ps;
	struct str_list	 ids = ec2_list(c, "SecurityGroupRuleId");
	const char	*id;
	size_t		 i;

	if ((id = group_id(c, err)) == NULL)
		return false;
	for (i = 0; i < ids.n; i++)
		if (!security_group_rule_delete(c->req, id, ids.v[i], err))
			return false;
	if (ids.n > 0) {
		ec2_return_true(c);
		return true;
	}
	ps = arena_calloc(c->req->arena, 1, sizeof(*ps));
	if (!parse_perms(c, direction, ps, err))
		return false;
	if (ps->unsupported != NULL) {
		/* Still an unknown group is InvalidGroup.NotFound. */
		if (request_keep(c->req, security_group_get(c->req, id,
		    err)) == NULL)
			return false;
		return api_error_set(err, 400, "InvalidPermission.NotFound",
		    "the specified rule does not exist in this security group "
		    "('%s')", ps->unsupported);
	}
	if (request_keep(c->req, security_group_rules_remove(c->req, id,
	    ps->rules, ps->n, err)) == NULL)
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_revoke_ingress(struct ec2_call *c, struct api_error *err)
{
	return revoke(c, "ingress", err);
}

bool
ec2_revoke_egress(struct ec2_call *c, struct api_error *err)
{
	return revoke(c, "egress", err);
}

bool
ec2_describe_security_group_rules(struct ec2_call *c, struct api_error *err)
{
	struct str_list	 groups = ec2_filter(c, "group-id");
	struct str_list	 want = ec2_list(c, "SecurityGroupRuleId");
	json_t		*out = request_keep(c->req, json_array()), *g, *r;
	size_t		 i, k, w;
	const char	*dirs[2] = { "ingress", "egress" };
	int		 d;

	if (!ec2_filters_done(c, err))
		return false;
	if (groups.n == 0)
		return api_error_invalid(err, "DescribeSecurityGroupRules "
		    "needs a group-id filter in cloudsim");
	for (i = 0; i < groups.n; i++) {
		if ((g = request_keep(c->req, security_group_get(c->req,
		    groups.v[i], err))) == NULL)
			return false;
		for (d = 0; d < 2; d++)
			json_array_foreach(json_object_get(g, dirs[d]), k, r) {
				const char *rid = json_string_value(
				    json_object_get(r, "id"));
				for (w = 0; w < want.n; w++)
					if (rid && strcmp(rid, want.v[w]) == 0)
						break;
				if (want.n > 0 && w == want.n)
					continue;
				adapt_rule(r, json_string_value(
				    json_object_get(g, "account_id")));
				json_array_append(out, r);
			}
	}
	xml_list(&c->xml, "securityGroupRuleSet", out, rule_fields);
	return true;
}

/* --- internet gateways ---------------------------------------------------------- */

static const struct filter_map igw_filters[] = {
	{ "internet-gateway-id", "internet_gateway_id" },
	{ "attachment.vpc-id", "vpc_id" }, { NULL, NULL }
};

bool
ec2_describe_internet_gateways(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { internet_gateway_describe,
	    "InternetGatewayId", "internet_gateway_id",
	    "InvalidInternetGatewayID.NotFound", "internet gateway",
	    igw_filters, NULL, NULL, 5, 1000, "internetGatewaySet",
	    igw_fields, NULL };

	return ec2_describe(c, &spec, err);
}

bool
ec2_create_internet_gateway(struct ec2_call *c, struct api_error *err)
{
	struct internet_gateway_create_params p = { 0 };

	if (!ec2_tag_specs(c, "internet-gateway", &p.tags, err))
		return false;
	return one(c, "internetGateway", internet_gateway_create(c->req, &p,
	    err), NULL, igw_fields);
}

static bool
igw_change(struct ec2_call *c, bool attach, struct api_error *err)
{
	const char	*id, *vpc;
	json_t		*g;

	if (!ec2_required(c, "InternetGatewayId", &id, err) ||
	    !ec2_required(c, "VpcId", &vpc, err))
		return false;
	g = attach ? internet_gateway_attach(c->req, id, vpc, err) :
	    internet_gateway_detach(c->req, id, vpc, err);
	if (request_keep(c->req, g) == NULL)
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_attach_internet_gateway(struct ec2_call *c, struct api_error *err)
{
	return igw_change(c, true, err);
}

bool
ec2_detach_internet_gateway(struct ec2_call *c, struct api_error *err)
{
	return igw_change(c, false, err);
}

bool
ec2_delete_internet_gateway(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "InternetGatewayId", &id, err) ||
	    !internet_gateway_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

/* --- route tables ------------------------------------------------------------ */

static const struct filter_map rtb_filters[] = {
	{ "route-table-id", "route_table_id" }, { "vpc-id", "vpc_id" },
	{ "association.main", "main" }, { "association.subnet-id", "subnet_id" },
	{ "association.route-table-association-id", "association_id" },
	{ "route.gateway-id", "route_gateway_id" },
	{ "route.destination-cidr-block", "route_destination_cidr_block" },
	{ NULL, NULL }
};

bool
ec2_describe_route_tables(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { route_table_describe,
	    "RouteTableId", "route_table_id", "InvalidRouteTableID.NotFound",
	    "route table", rtb_filters, NULL, NULL, 5, 100, "routeTableSet",
	    rtb_fields, adapt_rtb };

	return ec2_describe(c, &spec, err);
}

bool
ec2_create_route_table(struct ec2_call *c, struct api_error *err)
{
	struct route_table_create_params p = { 0 };

	if (!ec2_required(c, "VpcId", &p.vpc_id, err) ||
	    !ec2_tag_specs(c, "route-table", &p.tags, err))
		return false;
	return one(c, "routeTable", route_table_create(c->req, &p, err),
	    adapt_rtb, rtb_fields);
}

bool
ec2_delete_route_table(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "RouteTableId", &id, err) ||
	    !route_table_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_create_route(struct ec2_call *c, struct api_error *err)
{
	struct route_params	 p = { 0 };
	const char		*id;

	if (!ec2_required(c, "RouteTableId", &id, err) ||
	    !ec2_required(c, "DestinationCidrBlock", &p.destination_cidr_block,
	    err) || !ec2_required(c, "GatewayId", &p.gateway_id, err) ||
	    request_keep(c->req, route_table_route_add(c->req, id, &p,
	    err)) == NULL)
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_delete_route(struct ec2_call *c, struct api_error *err)
{
	const char	*id, *dest;

	if (!ec2_required(c, "RouteTableId", &id, err) ||
	    !ec2_required(c, "DestinationCidrBlock", &dest, err) ||
	    !route_table_route_delete(c->req, id, dest, err))
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_associate_route_table(struct ec2_call *c, struct api_error *err)
{
	const char	*id, *subnet;
	json_t		*a;

	if (!ec2_required(c, "RouteTableId", &id, err) ||
	    !ec2_required(c, "SubnetId", &subnet, err) ||
	    (a = request_keep(c->req, route_table_associate(c->req, id, subnet,
	    err))) == NULL)
		return false;
	xml_text(&c->xml, "associationId", json_string_value(
	    json_object_get(a, "id")));
	xml_open(&c->xml, "associationState");
	xml_text(&c->xml, "state", "associated");
	xml_close(&c->xml);
	return true;
}

bool
ec2_disassociate_route_table(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "AssociationId", &id, err) ||
	    !route_table_disassociate(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}
