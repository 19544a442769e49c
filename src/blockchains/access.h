/*
 * Who may call /api/blockchains.  CloudManager v1 clients send no
 * credentials, so the routes are ROUTE_PUBLIC for the core and this
 * module applies config blockchains_auth itself:
 *
 *	none	 everyone (the default)
 *	api_key	 the X-API-Key header must equal blockchains_api_key
 *	jwt	 the core's authentication (Bearer JWT, sid cookie, SigV4);
 *		 a caller then sees only its own account's chains, an
 *		 admin sees all
 *
 * /api/health and /api/version stay open in every mode.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_ACCESS_H
#define CLOUDSIM_BLOCKCHAINS_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct request;

enum chain_access_mode {
	CHAIN_ACCESS_NONE,
	CHAIN_ACCESS_API_KEY,
	CHAIN_ACCESS_JWT,
	CHAIN_ACCESS_INVALID
};

/* The mode a blockchains_auth value names (exact, lower case). */
enum chain_access_mode chain_access_mode(const char *value);

/*
 * True when given (may be NULL: the header is absent) equals the
 * configured key; in time independent of where they differ.  An empty
 * configured key matches nothing.
 */
bool	 chain_access_key_matches(const char *configured, const char *given);

/*
 * Check the configuration once per process: false, with the reason in
 * msg, when blockchains_auth names no mode or api_key has no key.
 */
bool	 chain_access_configured(char *msg, size_t msglen);

/*
 * Admit req under the configured mode, or fill err (401
 * AuthenticationFailure) and return false.  Call first in every
 * /api/blockchains handler.
 */
bool	 chain_access_check(struct request *req, struct api_error *err);

/*
 * The account whose chains req may see and touch, or NULL for all of
 * them (modes none and api_key, and admins); valid until the request
 * ends.
 */
const char *chain_access_owner(const struct request *req);

/* The account a chain created by req belongs to, or NULL. */
const char *chain_access_creator(const struct request *req);

#endif
