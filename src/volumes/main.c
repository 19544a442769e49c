/*
 * volumes.fcgi: hands its route table to the core request loop.  Every
 * /api/v1 route is authenticated by the core; a mutating route names
 * its EC2 action for the audit trail (failures are recorded under it by
 * the core, successes by the service in its transaction).
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "core/tag_change.h"
#include "attachments.h"
#include "ebs.h"
#include "rest.h"
#include "snapshots.h"
#include "volumes.h"

#define V1 "/api/v1"

static const struct route routes[] = {
	HEALTH_ROUTE("volumes"),

	{ "POST", V1 "/volumes", volume_rest_create, 0, VOLUME_ACTION_CREATE },
	{ "GET", V1 "/volumes", volume_rest_list, 0, NULL },
	{ "GET", V1 "/volumes/{id}", volume_rest_get, 0, NULL },
	{ "PATCH", V1 "/volumes/{id}", volume_rest_modify, 0,
	  VOLUME_ACTION_MODIFY },
	{ "DELETE", V1 "/volumes/{id}", volume_rest_delete, 0,
	  VOLUME_ACTION_DELETE },
	{ "POST", V1 "/volumes/{id}/attach", volume_rest_attach, 0,
	  VOLUME_ACTION_ATTACH },
	{ "POST", V1 "/volumes/{id}/detach", volume_rest_detach, 0,
	  VOLUME_ACTION_DETACH },
	{ "PUT", V1 "/volumes/{id}/tags", volume_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/volumes/{id}/tags", volume_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },
	{ "POST", V1 "/volumes/{id}/snapshots", snapshot_rest_create, 0,
	  SNAPSHOT_ACTION_CREATE },

	{ "GET", V1 "/snapshots", snapshot_rest_list, 0, NULL },
	{ "GET", V1 "/snapshots/{id}", snapshot_rest_get, 0, NULL },
	{ "DELETE", V1 "/snapshots/{id}", snapshot_rest_delete, 0,
	  SNAPSHOT_ACTION_DELETE },
	{ "PUT", V1 "/snapshots/{id}/tags", snapshot_rest_tags_put, 0,
	  TAG_ACTION_CREATE },
	{ "DELETE", V1 "/snapshots/{id}/tags", snapshot_rest_tags_delete, 0,
	  TAG_ACTION_DELETE },

	{ NULL, NULL, NULL, 0, NULL }
};

static const struct service service = {
	.name = "volumes",
	.routes = routes,
	.init = volumes_rest_init,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
