/*
 * JWT signing and verification, see jwt.h.  The crypto is OpenSSL's
 * (HMAC, EVP_DigestSign/Verify); this file only frames it: base64url,
 * the header, the choice of key, and the claim checks, in that order,
 * so that nothing from an unverified token is believed beyond the kid
 * and alg needed to pick the key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "base64.h"
#include "error.h"
#include "jwt.h"
#include "sha256.h"

#define KID_LEN		16
#define HS256_LEN	32

enum jwt_alg {
	JWT_HS256,
	JWT_RS256,
};

struct jwt_keys {
	unsigned char	*hs;		/* HS256 secret, may be NULL */
	size_t		 hs_len;
	char		 hs_kid[KID_LEN + 1];
	EVP_PKEY	*rsa;		/* RSA key pair, may be NULL */
	char		 rsa_kid[KID_LEN + 1];
};

static bool
fail(struct api_error *err, const char *reason)
{
	return api_error_set(err, 401, "AuthenticationFailure", "%s", reason);
}

/* The first KID_LEN hex digits of SHA-256(buf), into kid. */
static void
make_kid(const unsigned char *buf, size_t len, char kid[KID_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[SHA256_DIGEST_LENGTH];
	size_t			 i;

	SHA256(buf, len, md);
	for (i = 0; i < KID_LEN / 2; i++) {
		kid[2 * i] = hex[md[i] >> 4];
		kid[2 * i + 1] = hex[md[i] & 0xf];
	}
	kid[KID_LEN] = '\0';
}

/*
 * The bytes of one token part, NUL-terminated, with their count in
 * *outlen; caller frees.  NULL when the part is empty or not canonical
 * unpadded base64url, so each token has exactly one spelling.
 */
static unsigned char *
b64url_decode(const char *s, size_t len, size_t *outlen)
{
	unsigned char	*out;

	*outlen = BASE64_DECODED_MAX(len);
	if (len == 0 || (out = malloc(*outlen + 1)) == NULL)
		return NULL;
	if (!base64_decode_buf(BASE64_URL, s, len, out, outlen)) {
		free(out);
		return NULL;
	}
	out[*outlen] = '\0';
	return out;
}

static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* Load and check the RSA key in path into k->rsa and k->rsa_kid. */
static bool
load_rsa(struct jwt_keys *k, const char *path, struct api_error *err)
{
	FILE		*f;
	unsigned char	*der = NULL;
	int		 derlen;
	bool		 rc = false;

	if ((f = fopen(path, "r")) == NULL) {
		api_error_set(err, 500, "InternalError",
		    "cannot open the JWT RSA key file '%s'", path);
		goto out;
	}
	k->rsa = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
	fclose(f);
	if (k->rsa == NULL) {
		api_error_set(err, 500, "InternalError", "the JWT RSA key file "
		    "'%s' holds no unencrypted PEM private key", path);
		goto out;
	}
	if (!EVP_PKEY_is_a(k->rsa, "RSA") ||
	    EVP_PKEY_get_bits(k->rsa) < JWT_RSA_MIN_BITS) {
		api_error_set(err, 500, "InternalError", "the JWT key in '%s' "
		    "is not an RSA key of at least %d bits", path,
		    JWT_RSA_MIN_BITS);
		goto out;
	}
	if ((derlen = i2d_PUBKEY(k->rsa, &der)) <= 0) {
		api_error_internal(err);
		goto out;
	}
	make_kid(der, (size_t)derlen, k->rsa_kid);
	rc = true;
out:
	/* Frees the DER copy; k->rsa is the caller's, freed with k. */
	OPENSSL_free(der);
	return rc;
}

struct jwt_keys *
jwt_keys_new(const unsigned char *hs_secret, size_t hs_len,
    const char *rsa_pem_path, struct api_error *err)
{
	struct jwt_keys	*k;

	if ((hs_secret == NULL || hs_len == 0) && rsa_pem_path == NULL) {
		api_error_set(err, 500, "InternalError",
		    "signing tokens needs a JWT secret or an RSA key");
		return NULL;
	}
	if (hs_secret != NULL && hs_len > 0 && hs_len < JWT_HS_MIN_LEN) {
		api_error_set(err, 500, "InternalError", "the JWT secret has "
		    "%zu bytes, at least %d are needed", hs_len,
		    JWT_HS_MIN_LEN);
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	if (hs_secret != NULL && hs_len > 0) {
		if ((k->hs = malloc(hs_len)) == NULL) {
			api_error_internal(err);
			goto fail;
		}
		memcpy(k->hs, hs_secret, hs_len);
		k->hs_len = hs_len;
		make_kid(hs_secret, hs_len, k->hs_kid);
	}
	if (rsa_pem_path != NULL && !load_rsa(k, rsa_pem_path, err))
		goto fail;
	return k;
fail:
	jwt_keys_free(k);
	return NULL;
}

void
jwt_keys_free(struct jwt_keys *k)
{
	if (k == NULL)
		return;
	if (k->hs != NULL) {
		OPENSSL_cleanse(k->hs, k->hs_len);
		free(k->hs);
	}
	EVP_PKEY_free(k->rsa);
	free(k);
}

/* HMAC-SHA256 of len bytes of msg under the HS secret into mac. */
static bool
hs256(const struct jwt_keys *k, const char *msg, size_t len,
    unsigned char mac[HS256_LEN])
{
	return hmac_sha256(k->hs, k->hs_len, msg, len, mac);
}

char *
jwt_sign(const struct jwt_keys *k, const json_t *claims, struct api_error *err)
{
	EVP_MD_CTX	*md = NULL;
	json_t		*hdr = NULL;
	char		*hjson = NULL, *cjson = NULL, *tok = NULL, *res = NULL;
	unsigned char	 mac[HS256_LEN], *sig = NULL;
	size_t		 hlen, clen, siglen, n;
	bool		 rs = k->rsa != NULL;

	if (!json_is_object(claims)) {
		api_error_internal(err);
		goto out;
	}
	hdr = json_pack("{s:s, s:s, s:s}", "alg", rs ? "RS256" : "HS256",
	    "typ", "JWT", "kid", rs ? k->rsa_kid : k->hs_kid);
	if (hdr == NULL ||
	    (hjson = json_dumps(hdr, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL ||
	    (cjson = json_dumps(claims, JSON_COMPACT)) == NULL) {
		api_error_internal(err);
		goto out;
	}
	hlen = strlen(hjson);
	clen = strlen(cjson);
	siglen = rs ? (size_t)EVP_PKEY_get_size(k->rsa) : HS256_LEN;
	tok = malloc(BASE64_LEN(hlen) + BASE64_LEN(clen) + BASE64_LEN(siglen) +
	    3);
	if (tok == NULL || (sig = malloc(siglen)) == NULL) {
		api_error_internal(err);
		goto out;
	}
	n = base64_encode_buf(BASE64_URL, (unsigned char *)hjson, hlen, tok);
	tok[n++] = '.';
	n += base64_encode_buf(BASE64_URL, (unsigned char *)cjson, clen,
	    tok + n);
	if (rs) {
		if ((md = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
		    k->rsa) != 1 ||
		    EVP_DigestSign(md, sig, &siglen, (unsigned char *)tok,
		    n) != 1) {
			api_error_internal(err);
			goto out;
		}
	} else {
		if (!hs256(k, tok, n, mac)) {
			api_error_internal(err);
			goto out;
		}
		memcpy(sig, mac, HS256_LEN);
	}
	tok[n++] = '.';
	base64_encode_buf(BASE64_URL, sig, siglen, tok + n);
	res = tok;
	tok = NULL;
out:
	/* Frees the header, the JSON texts, the signature, a failed token. */
	EVP_MD_CTX_free(md);
	json_decref(hdr);
	free(hjson);
	free(cjson);
	free(sig);
	free(tok);
	return res;
}

/*
 * Decode and parse one JSON part of a token; NULL with the reason if it
 * is not base64url of a JSON object.  Caller decrefs.
 */
static json_t *
decode_part(const char *s, size_t len, struct api_error *err)
{
	unsigned char	*raw;
	json_t		*j;
	size_t		 rawlen;

	if ((raw = b64url_decode(s, len, &rawlen)) == NULL) {
		fail(err, "the token is not valid base64url");
		return NULL;
	}
	j = json_loadb((char *)raw, rawlen, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		fail(err, "the token header or claims are not a JSON object");
		return NULL;
	}
	return j;
}

/*
 * Choose the algorithm from the key the header's kid names (or from the
 * configured keys), then require the header's alg to be exactly it.
 */
static bool
choose_alg(const struct jwt_keys *k, const json_t *hdr, enum jwt_alg *alg,
    struct api_error *err)
{
	const json_t	*jalg, *jkid;
	const char	*name, *kid, *want;

	jalg = json_object_get(hdr, "alg");
	if (!json_is_string(jalg))
		return fail(err, "the token header has no 'alg'");
	name = json_string_value(jalg);
	if (strcasecmp(name, "none") == 0)
		return fail(err,
		    "unsigned tokens (alg 'none') are not accepted");
	if (json_object_get(hdr, "crit") != NULL)
		return fail(err, "the token header has critical extensions");
	jkid = json_object_get(hdr, "kid");
	if (jkid != NULL && !json_is_string(jkid))
		return fail(err, "the token 'kid' is not a string");
	kid = json_string_value(jkid);
	if (kid == NULL)
		*alg = k->rsa != NULL ? JWT_RS256 : JWT_HS256;
	else if (k->rsa != NULL && strcmp(kid, k->rsa_kid) == 0)
		*alg = JWT_RS256;
	else if (k->hs != NULL && strcmp(kid, k->hs_kid) == 0)
		*alg = JWT_HS256;
	else
		return fail(err, "the token is signed with an unknown key");
	want = *alg == JWT_RS256 ? "RS256" : "HS256";
	if (strcmp(name, want) != 0)
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the token algorithm does not match its key (expected %s)",
		    want);
	return true;
}

/* Check the signature of the len bytes of signed text. */
static bool
check_signature(const struct jwt_keys *k, enum jwt_alg alg,
    const char *signed_text, size_t len, const char *sig64, size_t sig64len,
    struct api_error *err)
{
	EVP_MD_CTX	*md = NULL;
	unsigned char	*sig, mac[HS256_LEN];
	size_t		 siglen;
	bool		 rc = false;

	if ((sig = b64url_decode(sig64, sig64len, &siglen)) == NULL)
		return fail(err, "the token signature is not valid base64url");
	if (alg == JWT_HS256) {
		if (!hs256(k, signed_text, len, mac)) {
			api_error_internal(err);
			goto out;
		}
		rc = siglen == HS256_LEN &&
		    CRYPTO_memcmp(sig, mac, HS256_LEN) == 0;
	} else {
		if ((md = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
		    k->rsa) != 1) {
			api_error_internal(err);
			goto out;
		}
		rc = siglen == (size_t)EVP_PKEY_get_size(k->rsa) &&
		    EVP_DigestVerify(md, sig, siglen,
		    (const unsigned char *)signed_text, len) == 1;
	}
	if (!rc)
		fail(err, "the token signature is invalid");
out:
	/* Frees the digest context and the decoded signature. */
	EVP_MD_CTX_free(md);
	free(sig);
	return rc;
}

/* A claim that must be a non-empty string. */
static bool
need_string(const json_t *claims, const char *name, struct api_error *err)
{
	const json_t	*v = json_object_get(claims, name);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the token has no '%s' claim", name);
	return true;
}

static bool
aud_matches(const json_t *claim, const char *aud)
{
	size_t		 i;
	const json_t	*v;

	if (json_is_string(claim))
		return strcmp(json_string_value(claim), aud) == 0;
	if (!json_is_array(claim))
		return false;
	json_array_foreach(claim, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), aud) == 0)
			return true;
	return false;
}

static bool
check_claims(const json_t *c, const char *iss, const char *aud, time_t now,
    struct api_error *err)
{
	const json_t	*exp, *nbf, *iat, *v;
	double		 t = (double)now;

	exp = json_object_get(c, "exp");
	nbf = json_object_get(c, "nbf");
	iat = json_object_get(c, "iat");
	if (!json_is_number(exp))
		return fail(err, "the token has no numeric 'exp' claim");
	if (t >= json_number_value(exp))
		return fail(err, "the token has expired");
	if (nbf != NULL && !json_is_number(nbf))
		return fail(err, "the token 'nbf' claim is not a number");
	if (nbf != NULL && json_number_value(nbf) > t + JWT_SKEW)
		return fail(err, "the token is not valid yet");
	if (iat != NULL && !json_is_number(iat))
		return fail(err, "the token 'iat' claim is not a number");
	if (iat != NULL && json_number_value(iat) > t + JWT_SKEW)
		return fail(err, "the token is issued in the future");
	if (!need_string(c, "sub", err) || !need_string(c, "jti", err))
		return false;
	v = json_object_get(c, "iss");
	if (iss != NULL &&
	    (!json_is_string(v) || strcmp(json_string_value(v), iss) != 0))
		return fail(err, "the token issuer is not accepted");
	if (aud != NULL && !aud_matches(json_object_get(c, "aud"), aud))
		return fail(err, "the token audience is not accepted");
	return true;
}

json_t *
jwt_verify(const struct jwt_keys *k, const char *token, const char *iss,
    const char *aud, time_t now, struct api_error *err)
{
	json_t		*hdr = NULL, *claims = NULL, *res = NULL;
	const char	*dot1, *dot2;
	enum jwt_alg	 alg = JWT_HS256;	/* set by choose_alg */
	size_t		 len;

	if (token == NULL || (len = strlen(token)) == 0) {
		fail(err, "the token is empty");
		goto out;
	}
	if (len > JWT_MAX_LEN) {
		api_error_set(err, 401, "AuthenticationFailure",
		    "the token is longer than %d bytes", JWT_MAX_LEN);
		goto out;
	}
	if ((dot1 = strchr(token, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL) {
		fail(err, "the token does not have three parts");
		goto out;
	}
	if ((hdr = decode_part(token, (size_t)(dot1 - token), err)) == NULL ||
	    !choose_alg(k, hdr, &alg, err))
		goto out;
	if (dot2[1] == '\0') {
		fail(err, "the token has no signature");
		goto out;
	}
	if (!check_signature(k, alg, token, (size_t)(dot2 - token), dot2 + 1,
	    strlen(dot2 + 1), err))
		goto out;
	if ((claims = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1),
	    err)) == NULL ||
	    !check_claims(claims, iss, aud, now, err))
		goto out;
	res = claims;
	claims = NULL;
out:
	/* Frees the header and the claims unless they are returned. */
	json_decref(hdr);
	json_decref(claims);
	return res;
}

/* Set key name of jwk to the base64url of the RSA parameter param. */
static bool
jwk_bn(const struct jwt_keys *k, json_t *jwk, const char *name,
    const char *param)
{
	BIGNUM		*bn = NULL;
	unsigned char	*bin = NULL;
	char		*text = NULL;
	int		 n;
	bool		 rc = false;

	if (EVP_PKEY_get_bn_param(k->rsa, param, &bn) != 1)
		goto out;
	n = BN_num_bytes(bn);
	if ((bin = malloc((size_t)n + 1)) == NULL ||
	    (text = malloc(BASE64_LEN((size_t)n) + 1)) == NULL)
		goto out;
	BN_bn2bin(bn, bin);
	base64_encode_buf(BASE64_URL, bin, (size_t)n, text);
	rc = json_object_set_new(jwk, name, json_string(text)) == 0;
out:
	/* Frees the number and its two encodings. */
	BN_free(bn);
	free(bin);
	free(text);
	return rc;
}

json_t *
jwt_jwks(const struct jwt_keys *k)
{
	json_t	*keys, *jwk = NULL, *doc = NULL;

	if ((keys = json_array()) == NULL)
		goto out;
	if (k->rsa != NULL) {
		jwk = json_pack("{s:s, s:s, s:s, s:s}", "kty", "RSA",
		    "use", "sig", "alg", "RS256", "kid", k->rsa_kid);
		if (jwk == NULL ||
		    !jwk_bn(k, jwk, "n", OSSL_PKEY_PARAM_RSA_N) ||
		    !jwk_bn(k, jwk, "e", OSSL_PKEY_PARAM_RSA_E) ||
		    json_array_append(keys, jwk) != 0)
			goto out;
	}
	doc = json_pack("{s:O}", "keys", keys);
out:
	/* Drops our references; doc holds its own. */
	json_decref(jwk);
	json_decref(keys);
	return doc;
}
