/*
 * ec2.fcgi: the EC2 Query API (and STS GetCallerIdentity) at "/".
 * Its routes are public to the core: the front authenticates SigV4 itself,
 * because it must answer EC2's AuthFailure in EC2's XML.
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "dispatch.h"
#include "prometheus.h"
#include "sandbox.h"
#include "instances/tenancy.h"
#include "volumes/ebs.h"
#include "vpcs/resources.h"
#include "summary.h"

static const struct route routes[] = {
	HEALTH_ROUTE("ec2"),
	{ "POST", "/", ec2_dispatch, ROUTE_PUBLIC },
	{ "GET", "/", ec2_dispatch, ROUTE_PUBLIC },
	{ "GET", "/metrics", prometheus_rest_metrics, ROUTE_PUBLIC },
	{ "GET", "/api/v1/summary", summary_rest, 0 },
	/* Sandbox only; public because sandbox callers carry no identity. */
	{ "POST", "/api/v1/admin/reset", sandbox_reset, ROUTE_PUBLIC,
	  "sandbox.reset" },
	{ "POST", "/moto-api/reset", sandbox_reset, ROUTE_PUBLIC,
	  "sandbox.reset" },
	{ NULL, NULL, NULL, 0 }
};

/* The services' constraint names, so their violations read as EC2's. */
static bool
ec2_init(void)
{
	resources_init();
	ebs_init();
	return tenancy_init();
}

static const struct service service = {
	.name = "ec2",
	.init = ec2_init,
	.routes = routes,
	.render_error = ec2_render_error,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
