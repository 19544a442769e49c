/*
 * auth.fcgi: accounts, sessions, tokens and access keys (API.md, auth).
 */
#include "core/health.h"
#include "core/router.h"
#include "core/server.h"
#include "access_keys.h"
#include "accounts.h"
#include "sessions.h"
#include "tokens.h"

static const struct route routes[] = {
	HEALTH_ROUTE("auth"),
	{ "POST", "/api/v1/auth/register", accounts_register, ROUTE_PUBLIC,
	  "auth.register" },
	{ "POST", "/api/v1/auth/login", sessions_login, ROUTE_PUBLIC,
	  "auth.login" },
	{ "POST", "/api/v1/auth/refresh", sessions_refresh, ROUTE_PUBLIC,
	  "auth.refresh" },
	{ "POST", "/api/v1/auth/logout", sessions_logout, 0, "auth.logout" },
	{ "GET", "/api/v1/auth/me", accounts_me, 0 },
	{ "POST", "/api/v1/auth/access-keys", access_keys_create, 0,
	  "auth.CreateAccessKey" },
	{ "GET", "/api/v1/auth/access-keys", access_keys_list, 0 },
	{ "PATCH", "/api/v1/auth/access-keys/{id}", access_keys_update, 0,
	  "auth.UpdateAccessKey" },
	{ "DELETE", "/api/v1/auth/access-keys/{id}", access_keys_delete, 0,
	  "auth.DeleteAccessKey" },
	{ "GET", "/.well-known/jwks.json", tokens_jwks, ROUTE_PUBLIC },
	{ NULL, NULL, NULL, 0 }
};

static const struct service service = {
	.name = "auth",
	.routes = routes,
};

int
main(int argc, char **argv)
{
	return server_main(argc, argv, &service);
}
