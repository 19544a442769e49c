/*
 * AES-256-GCM sealing of small secrets, see secretbox.h.  The nonce is
 * random per seal; with 96-bit nonces and a few secrets per account the
 * birthday bound is far away.  Decoding is strict: a sealed value that
 * is not exactly what secretbox_seal writes does not open.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base64.h"
#include "error.h"
#include "secretbox.h"

#define PREFIX		"v1:"
#define PREFIX_LEN	(sizeof(PREFIX) - 1)
#define NONCE_LEN	12
#define TAG_LEN		16
#define RAW_MAX		(NONCE_LEN + SECRETBOX_MAX_PLAIN + TAG_LEN)

/*
 * AES-256-GCM, fetched once per process: with EVP_aes_256_gcm() every
 * init would look the cipher up again, and a SigV4 request opens its
 * key's sealed secret each time.  NULL when OpenSSL cannot provide it,
 * which the init calls below then refuse.
 */
static const EVP_CIPHER *
gcm(void)
{
	static EVP_CIPHER	*cipher;

	if (cipher == NULL)
		cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	return cipher;
}

char *
secretbox_seal(const unsigned char key[SECRETBOX_KEY_LEN], const void *plain,
    size_t len, const char *aad, struct api_error *err)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*raw = NULL;
	char		*out = NULL, *res = NULL;
	size_t		 rawlen;
	int		 n, fin;

	if (len > SECRETBOX_MAX_PLAIN) {
		api_error_internal(err);
		goto out;
	}
	rawlen = NONCE_LEN + len + TAG_LEN;
	if ((raw = malloc(rawlen)) == NULL ||
	    (out = malloc(PREFIX_LEN + BASE64_LEN(rawlen) + 1)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL) {
		api_error_internal(err);
		goto out;
	}
	if (RAND_bytes(raw, NONCE_LEN) != 1 ||
	    EVP_EncryptInit_ex(ctx, gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, key, raw) != 1 ||
	    (aad != NULL && *aad != '\0' &&
	    EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1) ||
	    EVP_EncryptUpdate(ctx, raw + NONCE_LEN, &n, plain,
	    (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, raw + NONCE_LEN + n, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
	    raw + NONCE_LEN + len) != 1) {
		api_error_internal(err);
		goto out;
	}
	memcpy(out, PREFIX, PREFIX_LEN);
	base64_encode_buf(BASE64_STD, raw, rawlen, out + PREFIX_LEN);
	res = out;
	out = NULL;
out:
	/* Frees the cipher context and the intermediate buffers. */
	EVP_CIPHER_CTX_free(ctx);
	free(out);
	free(raw);
	return res;
}

unsigned char *
secretbox_open(const unsigned char key[SECRETBOX_KEY_LEN], const char *sealed,
    const char *aad, size_t *len, struct api_error *err)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*raw = NULL, *plain = NULL, *res = NULL;
	size_t		 rawlen = RAW_MAX, ctlen;
	int		 n, fin;

	if (sealed == NULL || strncmp(sealed, PREFIX, PREFIX_LEN) != 0) {
		api_error_internal(err);
		goto out;
	}
	/* The room, RAW_MAX, is the size limit: longer text is refused. */
	if ((raw = malloc(RAW_MAX)) == NULL ||
	    !base64_decode_buf(BASE64_STD, sealed + PREFIX_LEN,
	    strlen(sealed + PREFIX_LEN), raw, &rawlen) ||
	    rawlen < NONCE_LEN + TAG_LEN) {
		api_error_internal(err);
		goto out;
	}
	ctlen = rawlen - NONCE_LEN - TAG_LEN;
	if ((plain = malloc(ctlen + 1)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL) {
		api_error_internal(err);
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN,
	    NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, key, raw) != 1 ||
	    (aad != NULL && *aad != '\0' &&
	    EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) != 1) ||
	    EVP_DecryptUpdate(ctx, plain, &n, raw + NONCE_LEN,
	    (int)ctlen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    raw + NONCE_LEN + ctlen) != 1 ||
	    EVP_DecryptFinal_ex(ctx, plain + n, &fin) != 1) {
		/* The tag did not match: wipe whatever was decrypted. */
		OPENSSL_cleanse(plain, ctlen + 1);
		api_error_internal(err);
		goto out;
	}
	plain[ctlen] = '\0';
	if (len != NULL)
		*len = ctlen;
	res = plain;
	plain = NULL;
out:
	/* Frees the cipher context, the decoded input and a failed plain. */
	EVP_CIPHER_CTX_free(ctx);
	free(plain);
	free(raw);
	return res;
}
