/*
 * DescribeNetworkAcls.  cloudsim keeps no network ACLs of its own: each
 * VPC has exactly AWS's default ACL (allow all in and out, rule 100,
 * then the catch-all deny), associated with every subnet.  Its ids are
 * derived from the VPC's and subnets' ids, so they are stable across
 * calls and processes without a table.
 */
#include <string.h>

#include "core/db.h"
#include "core/error.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "actions.h"
#include "query.h"
#include "xml.h"

static struct db_stmt q_acls = DB_STMT(
    "SELECT COALESCE(json_agg(a ORDER BY a.vpc_id), '[]') AS items FROM ("
    " SELECT 'acl-' || substr(md5(v.id), 1, 17) AS id, v.id AS vpc_id,"
    "  v.account_id AS owner_id,"
    "  COALESCE((SELECT json_agg(json_build_object("
    "   'id', 'aclassoc-' || substr(md5(s.id), 1, 17),"
    "   'network_acl_id', 'acl-' || substr(md5(v.id), 1, 17),"
    "   'subnet_id', s.id) ORDER BY s.id)"
    "   FROM cloudsim.subnets s WHERE s.vpc_id = v.id), '[]') AS associations"
    " FROM cloudsim.vpcs v WHERE v.account_id = $1 AND v.region = $2"
    " AND ($3::text[] IS NULL OR v.id = ANY($3))"
    " AND ($4::text[] IS NULL OR 'acl-' || substr(md5(v.id), 1, 17) = ANY($4))"
    " AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM cloudsim.subnets s"
    "  WHERE s.vpc_id = v.id AND s.id = ANY($5)))"
    " AND ($6::text[] IS NULL OR 'true' = ANY($6))) a");

static const struct xml_field assoc_fields[] = {
	{ "networkAclAssociationId", "id", XF_STRING },
	{ "networkAclId", "network_acl_id", XF_STRING },
	{ "subnetId", "subnet_id", XF_STRING },
	{ NULL }
};
static const struct xml_field acl_fields[] = {
	{ "networkAclId", "id", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "ownerId", "owner_id", XF_STRING },
	{ "default", "true", XF_CONST },
	{ "associationSet", "associations", XF_LIST, assoc_fields },
	{ NULL }
};

/* AWS's default entries: allow everything (100), deny the rest (32767). */
static void
entries(struct ec2_call *c)
{
	static const char *const numbers[] = { "100", "32767" };
	int	 egress, i;

	xml_open(&c->xml, "entrySet");
	for (egress = 0; egress < 2; egress++)
		for (i = 0; i < 2; i++) {
			xml_open(&c->xml, "item");
			xml_text(&c->xml, "ruleNumber", numbers[i]);
			xml_text(&c->xml, "protocol", "-1");
			xml_text(&c->xml, "ruleAction", i == 0 ? "allow" : "deny");
			xml_bool(&c->xml, "egress", egress);
			xml_text(&c->xml, "cidrBlock", "0.0.0.0/0");
			xml_close(&c->xml);
		}
	xml_close(&c->xml);
}

bool
ec2_describe_network_acls(struct ec2_call *c, struct api_error *err)
{
	struct str_list	 ids = ec2_list(c, "NetworkAclId"), more, vpcs,
			 subnets, dflt;
	const char	*params[6];
	PGresult	*r;
	json_t		*items, *acl;
	size_t		 i;

	if ((more = ec2_filter(c, "network-acl-id")).n > 0)
		ids = more;
	vpcs = ec2_filter(c, "vpc-id");
	subnets = ec2_filter(c, "association.subnet-id");
	dflt = ec2_filter(c, "default");
	if (!ec2_filters_done(c, err))
		return false;
	params[0] = c->req->principal.account_id;
	params[1] = c->region;
	params[2] = pgarray_text(c->req->arena, vpcs.v, vpcs.n, 1);
	params[3] = pgarray_text(c->req->arena, ids.v, ids.n, 1);
	params[4] = pgarray_text(c->req->arena, subnets.v, subnets.n, 1);
	params[5] = pgarray_text(c->req->arena, dflt.v, dflt.n, 1);
	if ((r = db_exec(c->req, &q_acls, 6, params, err)) == NULL)
		return false;
	if ((items = request_keep(c->req, json_loads(db_get(r, 0, "items"), 0,
	    NULL))) == NULL)
		return api_error_internal(err);
	if (ids.n > 0 && json_array_size(items) < ids.n)
		return api_error_set(err, 400, "InvalidNetworkAclID.NotFound",
		    "a network ACL id does not exist");
	xml_open(&c->xml, "networkAclSet");
	json_array_foreach(items, i, acl) {
		xml_open(&c->xml, "item");
		xml_fields(&c->xml, acl, acl_fields);
		entries(c);
		xml_close(&c->xml);
	}
	xml_close(&c->xml);
	return true;
}
