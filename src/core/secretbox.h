/*
 * Sealing small secrets at rest (access-key secrets) with AES-256-GCM
 * under a 32-byte master key.  A sealed value is printable text,
 * "v1:" + base64(12-byte random nonce || ciphertext || 16-byte tag), so
 * it fits a TEXT column.  Associated data binds a sealed value to its
 * row (the access key id): the same ciphertext moved to another row no
 * longer opens.  Every failure to open is a 500 InternalError, because a
 * sealed value comes from our own database, never from a client.
 */
#ifndef CLOUDSIM_SECRETBOX_H
#define CLOUDSIM_SECRETBOX_H

#include <stdbool.h>
#include <stddef.h>

struct api_error;

#define SECRETBOX_KEY_LEN	32
#define SECRETBOX_MAX_PLAIN	4096	/* bytes; secrets are small */

/*
 * Seal len bytes of plain under key, bound to aad (a string, may be
 * NULL, which is the same as "").  Returns the sealed text, caller
 * frees; NULL with 500 InternalError if len exceeds SECRETBOX_MAX_PLAIN
 * or OpenSSL fails.
 */
char		*secretbox_seal(const unsigned char key[SECRETBOX_KEY_LEN],
		    const void *plain, size_t len, const char *aad,
		    struct api_error *);

/*
 * Open sealed text made by secretbox_seal with the same key and aad.
 * Returns the plaintext, NUL-terminated for convenience, its length in
 * *len (may be NULL); caller frees, preferably after OPENSSL_cleanse.
 * NULL with 500 InternalError on a bad format, wrong key, wrong aad or
 * any altered byte.
 */
unsigned char	*secretbox_open(const unsigned char key[SECRETBOX_KEY_LEN],
		    const char *sealed, const char *aad, size_t *len,
		    struct api_error *);

#endif
