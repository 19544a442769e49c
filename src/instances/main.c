/*
 * instances.fcgi: instances, the catalog and key pairs (API.md).
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "catalog.h"

static const struct route routes[] = {
	HEALTH_ROUTE("instances"),
	{ "GET", "/api/v1/regions", catalog_rest_regions, 0 },
	{ "GET", "/api/v1/images", catalog_rest_images, 0 },
	{ "GET", "/api/v1/instance-types", catalog_rest_instance_types, 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "instances",
	.routes = routes,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
