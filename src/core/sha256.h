/*
 * SHA-256 and HMAC-SHA-256 through OpenSSL, with the algorithms fetched
 * once per process.  OpenSSL 3's one-shot SHA256() and HMAC() look the
 * algorithm up by name on every call (EVP_Q_digest, EVP_Q_mac: a
 * provider query under a lock and a fresh context); a SigV4 check makes
 * six such calls and a Bearer token one, on every request.
 */
#ifndef CLOUDSIM_SHA256_H
#define CLOUDSIM_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN	32

/* out = SHA-256(msg); false only if OpenSSL fails (out of memory). */
bool	sha256(const void *msg, size_t len, unsigned char out[SHA256_LEN]);

/*
 * out = HMAC-SHA-256(key, msg).  out may be key (SigV4 chains its
 * derived keys that way).  Nothing derived from key stays in the
 * process after the call.  False only if OpenSSL fails.
 */
bool	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t len, unsigned char out[SHA256_LEN]);

/*
 * The chain k1 = HMAC-SHA-256(key, msgs[0]), k(i+1) = HMAC-SHA-256(ki,
 * msgs[i]), out = kn, for n NUL-terminated msgs (SigV4 derives its
 * signing key and signs that way).  The context is wiped once, at the
 * end, not after each link: each link rekeys it, and wiping costs as
 * much as keying.  Nothing derived from key stays in the process after
 * the call.  False if n is 0 or OpenSSL fails.
 */
bool	hmac_sha256_chain(const void *key, size_t keylen,
	    const char *const *msgs, size_t n, unsigned char out[SHA256_LEN]);

#endif
