/*
 * DescribeNetworkInterfaces.  cloudsim keeps no network interfaces of
 * its own: every live instance has EC2's primary interface (device 0)
 * in its subnet, with its private and public address and its security
 * groups, and loses it at termination (when the instance gives its
 * private address back).  Ids are derived from the instance's, so they
 * are stable across calls and processes without a table.  Clients list
 * interfaces mostly to find what still uses a subnet or a group before
 * deleting it (terraform does, for "lingering" interfaces).
 */
#include <string.h>

#include "core/db.h"
#include "core/error.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "actions.h"
#include "query.h"
#include "xml.h"

/*
 * $3.. are the filters (NULL: not given).  $13 is whether the
 * description filter admits the empty description every primary
 * interface has.  The MAC address is derived as the ids are.
 */
static struct db_stmt q_enis = DB_STMT(
    "SELECT COALESCE(json_agg(n ORDER BY n.created_at, n.id), '[]') AS items"
    " FROM (SELECT 'eni-' || substr(i.id, 3) AS id, i.id AS instance_id,"
    "  'eni-attach-' || substr(i.id, 3) AS attachment_id,"
    "  i.subnet_id, i.vpc_id, i.availability_zone, i.account_id AS owner_id,"
    "  host(i.private_ip) AS private_ip, i.private_dns_name,"
    "  host(i.public_ip) AS public_ip, i.public_dns_name,"
    "  '0e:' || regexp_replace(substr(md5(i.id), 1, 10), '(..)(?!$)',"
    "  '\\1:', 'g') AS mac_address,"
    "  to_char(i.launch_time AT TIME ZONE 'UTC',"
    "  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS attach_time,"
    "  i.security_groups, i.created_at"
    "  FROM cloudsim.v_instances i"
    "  WHERE i.account_id = $1 AND i.region = $2 AND i.private_ip IS NOT NULL"
    "  AND ($3::text[] IS NULL OR 'eni-' || substr(i.id, 3) = ANY ($3))"
    "  AND ($4::text[] IS NULL OR i.subnet_id = ANY ($4))"
    "  AND ($5::text[] IS NULL OR i.vpc_id = ANY ($5))"
    "  AND ($6::text[] IS NULL OR EXISTS (SELECT 1"
    "   FROM cloudsim.instance_security_groups l"
    "   WHERE l.instance_id = i.id AND l.group_id = ANY ($6)))"
    "  AND ($7::text[] IS NULL OR i.id = ANY ($7))"
    "  AND ($8::text[] IS NULL OR i.availability_zone = ANY ($8))"
    "  AND ($9::text[] IS NULL OR host(i.private_ip) = ANY ($9))"
    "  AND ($10::text[] IS NULL OR 'in-use' = ANY ($10))"
    "  AND ($11::text[] IS NULL OR 'attached' = ANY ($11))"
    "  AND ($12::text[] IS NULL OR 'interface' = ANY ($12))"
    "  AND $13::boolean) n");

static const struct xml_field group_fields[] = {
	{ "groupId", "id", XF_STRING },
	{ "groupName", "name", XF_STRING },
	{ NULL }
};
static const struct xml_field attachment_fields[] = {
	{ "attachmentId", "attachment_id", XF_STRING },
	{ "instanceId", "instance_id", XF_STRING },
	{ "instanceOwnerId", "owner_id", XF_STRING },
	{ "deviceIndex", "0", XF_CONST },
	{ "networkCardIndex", "0", XF_CONST },
	{ "status", "attached", XF_CONST },
	{ "attachTime", "attach_time", XF_STRING },
	{ "deleteOnTermination", "true", XF_CONST },
	{ NULL }
};
static const struct xml_field association_fields[] = {
	{ "publicIp", "public_ip", XF_STRING },
	{ "publicDnsName", "public_dns_name", XF_STRING },
	{ "ipOwnerId", "amazon", XF_CONST },
	{ NULL }
};
static const struct xml_field address_fields[] = {
	{ "privateIpAddress", "private_ip", XF_STRING },
	{ "privateDnsName", "private_dns_name", XF_STRING },
	{ "primary", "true", XF_CONST },
	{ "association", "association", XF_OBJECT, association_fields },
	{ NULL }
};
static const struct xml_field eni_fields[] = {
	{ "networkInterfaceId", "id", XF_STRING },
	{ "subnetId", "subnet_id", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "availabilityZone", "availability_zone", XF_STRING },
	{ "description", "", XF_CONST },
	{ "ownerId", "owner_id", XF_STRING },
	{ "requesterManaged", "false", XF_CONST },
	{ "status", "in-use", XF_CONST },
	{ "macAddress", "mac_address", XF_STRING },
	{ "privateIpAddress", "private_ip", XF_STRING },
	{ "privateDnsName", "private_dns_name", XF_STRING },
	{ "sourceDestCheck", "true", XF_CONST },
	{ "groupSet", "security_groups", XF_LIST, group_fields },
	{ "attachment", NULL, XF_NEST, attachment_fields },
	{ "association", "association", XF_OBJECT, association_fields },
	{ "tagSet", "none", XF_LIST, NULL },
	{ "privateIpAddressesSet", "addresses", XF_LIST, address_fields },
	{ "ipv6AddressesSet", "none", XF_LIST, NULL },
	{ "interfaceType", "interface", XF_CONST },
	{ NULL }
};

/* Does any description pattern match ""?  Only one of stars does. */
static bool
empty_description(const struct str_list *l)
{
	size_t	i;

	if (l->n == 0)
		return true;
	for (i = 0; i < l->n; i++)
		if (strspn(l->v[i], "*") == strlen(l->v[i]))
			return true;
	return false;
}

/* The public address as EC2 nests it, and the one-address set. */
static void
adapt(json_t *eni)
{
	json_t	*assoc = NULL;

	if (json_is_string(json_object_get(eni, "public_ip")))
		assoc = json_pack("{s:O, s:O}",
		    "public_ip", json_object_get(eni, "public_ip"),
		    "public_dns_name", json_object_get(eni, "public_dns_name"));
	if (assoc != NULL)
		json_object_set_new(eni, "association", assoc);
	json_object_set_new(eni, "addresses", json_pack("[{s:O, s:O, s:O?}]",
	    "private_ip", json_object_get(eni, "private_ip"),
	    "private_dns_name", json_object_get(eni, "private_dns_name"),
	    "association", assoc));
	json_object_set_new(eni, "none", json_array());
}

/* Each filter's values as a text[] parameter (NULL: not given). */
static const char *
filter_param(struct ec2_call *c, const char *name)
{
	struct str_list	l = ec2_filter(c, name);

	return pgarray_text(c->req->arena, (const char *const *)l.v, l.n, 1);
}

bool
ec2_describe_network_interfaces(struct ec2_call *c, struct api_error *err)
{
	struct str_list	 ids = ec2_list(c, "NetworkInterfaceId"), more, desc;
	const char	*p[13], *id;
	PGresult	*r;
	json_t		*items, *eni;
	size_t		 i, k;

	/* The id filter narrows as the id list does, without NotFound. */
	if ((more = ec2_filter(c, "network-interface-id")).n > 0 && ids.n == 0)
		ids = more;
	p[0] = c->req->principal.account_id;
	p[1] = c->region;
	p[2] = pgarray_text(c->req->arena, (const char *const *)ids.v, ids.n,
	    1);
	p[3] = filter_param(c, "subnet-id");
	p[4] = filter_param(c, "vpc-id");
	p[5] = filter_param(c, "group-id");
	p[6] = filter_param(c, "attachment.instance-id");
	p[7] = filter_param(c, "availability-zone");
	p[8] = filter_param(c, "private-ip-address");
	p[9] = filter_param(c, "status");
	p[10] = filter_param(c, "attachment.status");
	p[11] = filter_param(c, "interface-type");
	desc = ec2_filter(c, "description");
	p[12] = empty_description(&desc) ? "true" : "false";
	if (!ec2_filters_done(c, err) ||
	    (r = db_exec(c->req, &q_enis, 13, p, err)) == NULL)
		return false;
	if ((items = request_keep(c->req, json_loads(db_get(r, 0, "items"), 0,
	    NULL))) == NULL)
		return api_error_internal(err);
	for (k = 0; k < ids.n; k++) {
		json_array_foreach(items, i, eni)
			if ((id = json_string_value(json_object_get(eni,
			    "id"))) != NULL && strcmp(id, ids.v[k]) == 0)
				break;
		if (i == json_array_size(items) && c->nfilters == 0)
			return api_error_set(err, 400,
			    "InvalidNetworkInterfaceID.NotFound", "the "
			    "networkInterface ID '%s' does not exist",
			    ids.v[k]);
	}
	json_array_foreach(items, i, eni)
		adapt(eni);
	xml_list(&c->xml, "networkInterfaceSet", items, eni_fields);
	return true;
}
