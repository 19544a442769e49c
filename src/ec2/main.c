/*
 * ec2.fcgi: hands its route table to the core request loop.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"

static const struct route routes[] = {
	HEALTH_ROUTE("ec2"),
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "ec2",
	.routes = routes,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
