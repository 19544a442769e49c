/*
 * The blockchains_auth modes of access.h.  The shared API key is
 * compared with CRYPTO_memcmp after a length check, so that the time a
 * wrong guess takes says nothing about how much of it was right (the
 * length itself is not secret enough to hide at the cost of hashing).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/authn.h"
#include "core/config.h"
#include "core/log.h"
#include "core/request.h"
#include "access.h"

enum chain_access_mode
chain_access_mode(const char *value)
{
	if (value == NULL)
		return CHAIN_ACCESS_INVALID;
	if (strcmp(value, "none") == 0)
		return CHAIN_ACCESS_NONE;
	if (strcmp(value, "api_key") == 0)
		return CHAIN_ACCESS_API_KEY;
	if (strcmp(value, "jwt") == 0)
		return CHAIN_ACCESS_JWT;
	return CHAIN_ACCESS_INVALID;
}

bool
chain_access_key_matches(const char *configured, const char *given)
{
	size_t	 len;

	if (configured == NULL || given == NULL || *configured == '\0')
		return false;
	len = strlen(configured);
	if (strlen(given) != len)
		return false;
	return CRYPTO_memcmp(configured, given, len) == 0;
}

bool
chain_access_configured(char *msg, size_t msglen)
{
	const char	*mode = config_get("blockchains_auth");

	switch (chain_access_mode(mode)) {
	case CHAIN_ACCESS_NONE:
	case CHAIN_ACCESS_JWT:
		return true;
	case CHAIN_ACCESS_API_KEY:
		if (*config_get("blockchains_api_key") != '\0')
			return true;
		snprintf(msg, msglen, "blockchains_auth is api_key but "
		    "blockchains_api_key is empty");
		return false;
	case CHAIN_ACCESS_INVALID:
		break;
	}
	snprintf(msg, msglen, "blockchains_auth must be none, api_key or "
	    "jwt, got '%s'", mode);
	return false;
}

bool
chain_access_check(struct request *req, struct api_error *err)
{
	const char	*given;

	switch (chain_access_mode(config_get("blockchains_auth"))) {
	case CHAIN_ACCESS_NONE:
		return true;
	case CHAIN_ACCESS_API_KEY:
		given = request_header(req, "X-API-Key");
		if (given == NULL)
			return api_error_set(err, 401, "AuthenticationFailure",
			    "the request must carry the X-API-Key header");
		if (!chain_access_key_matches(
		    config_get("blockchains_api_key"), given))
			return api_error_set(err, 401, "AuthenticationFailure",
			    "the X-API-Key header does not hold a valid key");
		return true;
	case CHAIN_ACCESS_JWT:
		return authn_authenticate(req, err);
	case CHAIN_ACCESS_INVALID:
		break;
	}
	/* init refuses to start so; fail closed should the value change. */
	log_msg(LOG_ERROR, "blockchains_auth has no valid mode");
	return api_error_internal(err);
}

const char *
chain_access_owner(const struct request *req)
{
	const struct principal	*p = &req->principal;

	if (chain_access_mode(config_get("blockchains_auth")) !=
	    CHAIN_ACCESS_JWT || !p->authenticated ||
	    strcmp(p->role, "admin") == 0)
		return NULL;
	return p->account_id;
}

const char *
chain_access_creator(const struct request *req)
{
	const struct principal	*p = &req->principal;

	return p->authenticated && p->account_id[0] != '\0' ?
	    p->account_id : NULL;
}
