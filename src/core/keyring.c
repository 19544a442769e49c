/*
 * Hex keys from config decoded once; errors are logged in detail and
 * reported to clients as a bare 500, since they are the operator's to fix.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "config.h"
#include "error.h"
#include "jwt.h"
#include "keyring.h"
#include "log.h"

static struct jwt_keys	*jwt;
static unsigned char	 master[SECRETBOX_KEY_LEN];
static bool		 have_master;

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into out (at most max bytes); the byte count, or -1. */
static long
unhex(const char *s, unsigned char *out, size_t max)
{
	size_t	len = strlen(s), i;
	int	hi, lo;

	if (len % 2 != 0 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		if ((hi = hexval(s[2 * i])) < 0 ||
		    (lo = hexval(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

const struct jwt_keys *
keyring_jwt(struct api_error *err)
{
	unsigned char	 secret[128];
	const char	*pem = config_get("jwt_rsa_private_key");
	long		 n;

	if (jwt != NULL)
		return jwt;
	n = unhex(config_get("jwt_secret"), secret, sizeof(secret));
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
	if (unhex(config_get("master_key"), master, sizeof(master)) !=
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
