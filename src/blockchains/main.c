/*
 * blockchains.fcgi: hands its route table to the core request loop.
 * Every route is ROUTE_PUBLIC for the core, because CloudManager v1
 * clients send no credentials; the handlers apply blockchains_auth
 * themselves (access.h).
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "chains.h"
#include "ledger.h"
#include "rest.h"

static const struct route routes[] = {
	HEALTH_ROUTE("blockchains"),
	{ "GET", "/api/health", chain_rest_health, ROUTE_PUBLIC, NULL },
	{ "GET", "/api/version", chain_rest_version, ROUTE_PUBLIC, NULL },
	{ "GET", "/api/blockchains", chain_rest_list, ROUTE_PUBLIC, NULL },
	{ "POST", "/api/blockchains", chain_rest_create, ROUTE_PUBLIC,
	  CHAIN_ACTION_CREATE },
	{ "GET", "/api/blockchains/{id}", chain_rest_get, ROUTE_PUBLIC, NULL },
	{ "POST", "/api/blockchains/{id}/transactions",
	  chain_rest_add_transaction, ROUTE_PUBLIC, LEDGER_ACTION_ADD },
	{ "POST", "/api/blockchains/{id}/mine", chain_rest_mine, ROUTE_PUBLIC,
	  LEDGER_ACTION_MINE },
	{ "GET", "/api/blockchains/{id}/blocks", chain_rest_blocks,
	  ROUTE_PUBLIC, NULL },
	{ "GET", "/api/blockchains/{id}/validate", chain_rest_validate,
	  ROUTE_PUBLIC, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};

static const struct service service = {
	.name = "blockchains",
	.routes = routes,
	.init = chain_rest_init,
	.render_error = chain_rest_render_error,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
