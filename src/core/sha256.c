/*
 * One fetched SHA-256 and one keyed-per-call HMAC context for the life of
 * the process (see sha256.h for why).  The processes are single-threaded,
 * so the context is never shared between two calls at once.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sha256.h"

static EVP_MD		*md;
static EVP_MAC_CTX	*mac;

static bool
fetch(void)
{
	OSSL_PARAM	 params[2];
	EVP_MAC		*hmac;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return false;
	if (mac != NULL)
		return true;
	if ((hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return false;
	mac = EVP_MAC_CTX_new(hmac);
	EVP_MAC_free(hmac);		/* the context keeps its reference */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (mac != NULL && EVP_MAC_CTX_set_params(mac, params) != 1) {
		EVP_MAC_CTX_free(mac);
		mac = NULL;
	}
	return mac != NULL;
}

bool
sha256(const void *msg, size_t len, unsigned char out[SHA256_LEN])
{
	unsigned int	n = 0;

	return fetch() &&
	    EVP_Digest(len == 0 ? "" : msg, len, out, &n, md, NULL) == 1 &&
	    n == SHA256_LEN;
}

/* out = HMAC-SHA-256(key, msg), leaving the key in the context. */
static bool
mac_keyed(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[SHA256_LEN])
{
	static const unsigned char	 blank = 0;
	size_t				 n = 0;

	return EVP_MAC_init(mac, key, keylen, NULL) == 1 &&
	    EVP_MAC_update(mac, len == 0 ? &blank : msg, len) == 1 &&
	    EVP_MAC_final(mac, out, &n, SHA256_LEN) == 1 &&
	    n == SHA256_LEN;
}

/*
 * The context keeps a copy of the last key and its padded digests until
 * it is keyed again: key it with a constant so that no secret (an
 * access key's, the token key) outlives the call.  False, the context
 * freed (which wipes it), if even that fails.
 */
static bool
mac_wipe(void)
{
	static const unsigned char	 blank = 0;

	if (EVP_MAC_init(mac, &blank, sizeof(blank), NULL) == 1)
		return true;
	EVP_MAC_CTX_free(mac);
	mac = NULL;
	return false;
}

bool
hmac_sha256_chain(const void *key, size_t keylen, const char *const *msgs,
    size_t n, unsigned char out[SHA256_LEN])
{
	unsigned char	k[SHA256_LEN];
	size_t		i;
	bool		ok;

	if (n == 0 || !fetch())
		return false;
	ok = mac_keyed(key, keylen, msgs[0], strlen(msgs[0]), k);
	for (i = 1; ok && i < n; i++)
		ok = mac_keyed(k, sizeof(k), msgs[i], strlen(msgs[i]), k);
	ok = mac_wipe() && ok;
	if (ok)
		memcpy(out, k, SHA256_LEN);
	OPENSSL_cleanse(k, sizeof(k));
	return ok;
}

bool
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[SHA256_LEN])
{
	unsigned char	mac_out[SHA256_LEN];
	bool		ok;

	if (!fetch())
		return false;
	ok = mac_keyed(key, keylen, msg, len, mac_out);
	ok = mac_wipe() && ok;
	if (ok)
		memcpy(out, mac_out, SHA256_LEN);
	OPENSSL_cleanse(mac_out, sizeof(mac_out));
	return ok;
}
