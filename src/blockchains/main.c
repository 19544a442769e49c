/*
 * blockchains.fcgi: hands its route table to the core request loop.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"

static const struct route routes[] = {
	HEALTH_ROUTE("blockchains"),
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "blockchains",
	.routes = routes,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
