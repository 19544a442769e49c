/*
 * Hex keys from config decoded once; errors are logged in detail and
 * reported to clients as a bare 500, since they are the operator's to fix.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "config.h"
#include "error.h"
#include "hex.h"
#include "jwt.h"
#include "keyring.h"
#include "log.h"

static struct jwt_keys	*jwt;
static unsigned char	 master[SECRETBOX_KEY_LEN];
static bool		 have_master;

const struct jwt_keys *
keyring_jwt(struct api_error *err)
{
	unsigned char	 secret[128];
	const char	*pem = config_get("jwt_rsa_private_key");
	long		 n;

	if (jwt != NULL)
		return jwt;
	n = hex_decode(config_get("jwt_secret"), secret, sizeof(secret));
	if (n < 32 && *pem == '\0') {
		log_msg(LOG_ERROR, "jwt_secret must be at least 64 hex digits "
		    "(make run generates one in data_directory/secrets.conf)");
		api_error_internal(err);
		return NULL;
	}
	jwt = jwt_keys_new(n >= 32 ? secret : NULL, n >= 32 ? (size_t)n : 0,
	    *pem != '\0' ? pem : NULL, err);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (jwt == NULL)
		log_msg(LOG_ERROR, "loading JWT keys: %s", err->message);
	return jwt;
}

const unsigned char *
keyring_master(struct api_error *err)
{
	if (have_master)
		return master;
	if (hex_decode(config_get("master_key"), master, sizeof(master)) !=
	    SECRETBOX_KEY_LEN) {
		log_msg(LOG_ERROR, "master_key must be 64 hex digits");
		api_error_internal(err);
		return NULL;
	}
	have_master = true;
	return master;
}

void
keyring_free(void)
{
	jwt_keys_free(jwt);
	jwt = NULL;
	OPENSSL_cleanse(master, sizeof(master));
	have_master = false;
}
