/*
 * JSON Web Tokens for access tokens: HS256 with a shared secret, or
 * RS256 when an RSA key pair is configured, signed with OpenSSL and
 * serialised with jansson.  Each key has a stable "kid" (the first 16
 * hex digits of the SHA-256 of the secret, or of the public key's DER),
 * which tokens carry in their header.
 *
 * Verification never trusts the header to choose the algorithm: the key
 * the kid names (or, without a kid, the configured key: RSA if any)
 * decides it, and the header must agree.  So "alg": "none" and the
 * HS256-signed-with-the-RSA-public-key confusion both fail.  Revocation
 * by jti is the caller's business (it needs the database).
 */
#ifndef CLOUDSIM_JWT_H
#define CLOUDSIM_JWT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct api_error;
struct jwt_keys;

#define JWT_MAX_LEN		8192	/* bytes; longer tokens are refused */
#define JWT_SKEW		60	/* seconds of leeway for nbf and iat */
#define JWT_HS_MIN_LEN		32	/* bytes of HS256 secret, at least */
#define JWT_RSA_MIN_BITS	2048

/*
 * Load the signing keys: hs_secret (hs_len bytes, copied; may be NULL
 * with hs_len 0 when an RSA key is given) and the RSA private key in the
 * unencrypted PEM file rsa_pem_path (may be NULL).  At least one key is
 * required.  Returns the keys, free with jwt_keys_free; NULL with 500
 * InternalError and a message for the log on a short secret, an
 * unreadable file, a key that is not RSA or is under JWT_RSA_MIN_BITS.
 */
struct jwt_keys	*jwt_keys_new(const unsigned char *hs_secret, size_t hs_len,
		    const char *rsa_pem_path, struct api_error *);
void		 jwt_keys_free(struct jwt_keys *);	/* NULL is fine */

/*
 * Sign claims (an object, not checked further) with RS256 if an RSA key
 * is configured, else HS256; the header carries alg, typ and kid.
 * Returns the compact token, caller frees; NULL with 500 InternalError.
 */
char		*jwt_sign(const struct jwt_keys *, const json_t *claims,
		    struct api_error *);

/*
 * Verify token at time now.  iss and aud, when not NULL, must match the
 * "iss" claim and the "aud" claim (a string, or an array holding aud).
 * The claims must hold a future "exp", non-empty "sub" and "jti"
 * strings, and "nbf"/"iat" no more than JWT_SKEW seconds ahead.
 * Returns the claims object, caller decrefs; NULL with 401
 * AuthenticationFailure and the reason.
 */
json_t		*jwt_verify(const struct jwt_keys *, const char *token,
		    const char *iss, const char *aud, time_t now,
		    struct api_error *);

/*
 * The JWKS document for /.well-known/jwks.json: {"keys": [...]} with the
 * RSA public key (kty, use "sig", alg "RS256", kid, n, e), or an empty
 * array when only an HS256 secret is configured (it is never published).
 * Returns a new reference, caller decrefs; NULL only when out of memory.
 */
json_t		*jwt_jwks(const struct jwt_keys *);

#endif
