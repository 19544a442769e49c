/*
 * vpcs.fcgi: hands its route table to the core request loop.  Every
 * /api/v1 route is authenticated by the core; a mutating route names
 * its EC2 action for the audit trail (failures are recorded under it by
 * the core, successes by the service in its transaction).  The rules
 * route serves both directions, so its failures are recorded under the
 * ingress names; a success records the exact one.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "core/tag_change.h"
#include "internet_gateways.h"
#include "resources.h"
#include "rest.h"
#include "route_tables.h"
#include "security_groups.h"
#include "subnets.h"
#include "vpcs.h"

#define V1 "/api/v1"

static const struct route routes[] = {
	HEALTH_ROUTE("vpcs"),

	{ "POST", V1 "/vpcs", vpc_rest_create, 0, VPC_ACTION_CREATE },
	{ "GET", V1 "/vpcs", vpc_rest_list, 0, NULL },
	{ "GET", V1 "/vpcs/{id}", vpc_rest_get, 0, NULL },
	{ "DELETE", V1 "/vpcs/{id}", vpc_rest_delete, 0, VPC_ACTION_DELETE },
	{ "PUT", V1 "/vpcs/{id}/tags", vpc_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/vpcs/{id}/tags", vpc_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },

	{ "POST", V1 "/subnets", subnet_rest_create, 0, SUBNET_ACTION_CREATE },
	{ "GET", V1 "/subnets", subnet_rest_list, 0, NULL },
	{ "GET", V1 "/subnets/{id}", subnet_rest_get, 0, NULL },
	{ "DELETE", V1 "/subnets/{id}", subnet_rest_delete, 0,
	  SUBNET_ACTION_DELETE },
	{ "PUT", V1 "/subnets/{id}/tags", subnet_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/subnets/{id}/tags", subnet_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },

	{ "POST", V1 "/security-groups", sg_rest_create, 0, SG_ACTION_CREATE },
	{ "GET", V1 "/security-groups", sg_rest_list, 0, NULL },
	{ "GET", V1 "/security-groups/{id}", sg_rest_get, 0, NULL },
	{ "DELETE", V1 "/security-groups/{id}", sg_rest_delete, 0,
	  SG_ACTION_DELETE },
	{ "PUT", V1 "/security-groups/{id}/tags", sg_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/security-groups/{id}/tags", sg_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },
	{ "POST", V1 "/security-groups/{id}/rules", sg_rest_rule_add, 0,
	  SG_ACTION_AUTHORIZE_INGRESS },
	{ "DELETE", V1 "/security-groups/{id}/rules/{rule_id}",
	  sg_rest_rule_delete, 0, SG_ACTION_REVOKE_INGRESS },

	{ "POST", V1 "/internet-gateways", igw_rest_create, 0,
	  IGW_ACTION_CREATE },
	{ "GET", V1 "/internet-gateways", igw_rest_list, 0, NULL },
	{ "GET", V1 "/internet-gateways/{id}", igw_rest_get, 0, NULL },
	{ "DELETE", V1 "/internet-gateways/{id}", igw_rest_delete, 0,
	  IGW_ACTION_DELETE },
	{ "PUT", V1 "/internet-gateways/{id}/tags", igw_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/internet-gateways/{id}/tags", igw_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },
	{ "POST", V1 "/internet-gateways/{id}/attach", igw_rest_attach, 0,
	  IGW_ACTION_ATTACH },
	{ "POST", V1 "/internet-gateways/{id}/detach", igw_rest_detach, 0,
	  IGW_ACTION_DETACH },

	{ "POST", V1 "/route-tables", rtb_rest_create, 0, RTB_ACTION_CREATE },
	{ "GET", V1 "/route-tables", rtb_rest_list, 0, NULL },
	{ "DELETE", V1 "/route-tables/associations/{assoc_id}",
	  rtb_rest_disassociate, 0, RTB_ACTION_DISASSOCIATE },
	{ "GET", V1 "/route-tables/{id}", rtb_rest_get, 0, NULL },
	{ "DELETE", V1 "/route-tables/{id}", rtb_rest_delete, 0,
	  RTB_ACTION_DELETE },
	{ "PUT", V1 "/route-tables/{id}/tags", rtb_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/route-tables/{id}/tags", rtb_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },
	{ "POST", V1 "/route-tables/{id}/routes", rtb_rest_route_add, 0,
	  RTB_ACTION_ROUTE_CREATE },
	{ "DELETE", V1 "/route-tables/{id}/routes", rtb_rest_route_delete, 0,
	  RTB_ACTION_ROUTE_DELETE },
	{ "POST", V1 "/route-tables/{id}/associations", rtb_rest_associate, 0,
	  RTB_ACTION_ASSOCIATE },

	{ NULL, NULL, NULL, 0, NULL }
};

static const struct service service = {
	.name = "vpcs",
	.routes = routes,
	.init = vpcs_rest_init,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
