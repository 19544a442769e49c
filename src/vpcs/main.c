/*
 * vpcs.fcgi: hands its route table to the core request loop.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"

static const struct route routes[] = {
	HEALTH_ROUTE("vpcs"),
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "vpcs",
	.routes = routes,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
