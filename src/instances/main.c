/*
 * instances.fcgi: instances, the catalog and key pairs (API.md).  Every
 * /api/v1 route is authenticated by the core; a mutating route names
 * its EC2 action for the audit trail (failures are recorded under it by
 * the core, successes by the service in its transaction).  The literal
 * /key-pairs/import comes before /key-pairs/{id}, which takes a name or
 * an id.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "core/tag_change.h"
#include "catalog.h"
#include "instances.h"
#include "key_pairs.h"
#include "launch.h"
#include "lifecycle.h"
#include "rest.h"
#include "tenancy.h"

#define V1 "/api/v1"

static const struct route routes[] = {
	HEALTH_ROUTE("instances"),
	{ "GET", V1 "/regions", catalog_rest_regions, 0 },
	{ "GET", V1 "/images", catalog_rest_images, 0 },
	{ "GET", V1 "/instance-types", catalog_rest_instance_types, 0 },

	{ "POST", V1 "/instances", instance_rest_run, 0, INSTANCE_ACTION_RUN },
	{ "GET", V1 "/instances", instance_rest_list, 0, NULL },
	{ "GET", V1 "/instances/{id}", instance_rest_get, 0, NULL },
	{ "PATCH", V1 "/instances/{id}", instance_rest_modify, 0,
	  INSTANCE_ACTION_MODIFY },
	{ "DELETE", V1 "/instances/{id}", instance_rest_terminate, 0,
	  INSTANCE_ACTION_TERMINATE },
	{ "POST", V1 "/instances/{id}/start", instance_rest_start, 0,
	  INSTANCE_ACTION_START },
	{ "POST", V1 "/instances/{id}/stop", instance_rest_stop, 0,
	  INSTANCE_ACTION_STOP },
	{ "POST", V1 "/instances/{id}/reboot", instance_rest_reboot, 0,
	  INSTANCE_ACTION_REBOOT },
	{ "POST", V1 "/instances/{id}/terminate", instance_rest_terminate, 0,
	  INSTANCE_ACTION_TERMINATE },
	{ "GET", V1 "/instances/{id}/user-data", instance_rest_user_data, 0,
	  NULL },
	{ "PUT", V1 "/instances/{id}/tags", instance_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/instances/{id}/tags", instance_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },

	{ "POST", V1 "/key-pairs", key_pair_rest_create, 0,
	  KEY_PAIR_ACTION_CREATE },
	{ "POST", V1 "/key-pairs/import", key_pair_rest_import, 0,
	  KEY_PAIR_ACTION_IMPORT },
	{ "GET", V1 "/key-pairs", key_pair_rest_list, 0, NULL },
	{ "GET", V1 "/key-pairs/{id}", key_pair_rest_get, 0, NULL },
	{ "DELETE", V1 "/key-pairs/{id}", key_pair_rest_delete, 0,
	  KEY_PAIR_ACTION_DELETE },
	{ "PUT", V1 "/key-pairs/{id}/tags", key_pair_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/key-pairs/{id}/tags", key_pair_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "instances",
	.routes = routes,
	.init = tenancy_init,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
