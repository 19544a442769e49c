/*
 * jwt: HS256 and RS256 round trips, the JWKS document, and every token
 * that must be refused: alg none, algorithm confusion (HS256 keyed with
 * the RSA public key PEM), bad signatures, tampered claims, malformed
 * or over-long tokens, wrong iss/aud, expiry and the nbf/iat skew.
 * Hand-made tokens are built here with OpenSSL's HMAC and core/base64
 * (tested on its own).  The RSA keys are generated at run time into a
 * temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/base64.h"
#include "core/error.h"
#include "core/jwt.h"
#include "tap.h"

#define NOW	((time_t)1767225600)	/* 2026-01-01T00:00:00Z */
#define ISS	"https://cloudsim.test"
#define AUD	"cloudsim"

static const unsigned char secret[] = "0123456789abcdef0123456789abcdef-test";
#define SECRET_LEN	(sizeof(secret) - 1)

/* base64url without padding of len bytes; caller frees. */
static char *
b64url(const void *in, size_t len)
{
	char	*out = malloc(BASE64_LEN(len) + 1);

	base64_encode_buf(BASE64_URL, in, len, out);
	return out;
}

/*
 * A token from literal header and claims JSON, HMAC-SHA256-signed with
 * key (klen bytes), or with the literal signature sig when key is NULL.
 * Caller frees.
 */
static char *
make_token(const char *hdr, const char *claims, const void *key, size_t klen,
    const char *sig)
{
	unsigned char	 mac[32];
	unsigned int	 maclen = sizeof(mac);
	char		*h, *c, *s, *signing, *tok;

	h = b64url(hdr, strlen(hdr));
	c = b64url(claims, strlen(claims));
	if (asprintf(&signing, "%s.%s", h, c) < 0)
		abort();
	if (key != NULL) {
		HMAC(EVP_sha256(), key, (int)klen, (unsigned char *)signing,
		    strlen(signing), mac, &maclen);
		s = b64url(mac, maclen);
	} else
		s = strdup(sig);
	if (asprintf(&tok, "%s.%s", signing, s) < 0)
		abort();
	free(h);
	free(c);
	free(s);
	free(signing);
	return tok;
}

/*
 * The base64url character whose value differs from c's in the lowest
 * bit only: for a 32-byte HMAC, a bit past the last byte.
 */
static char
flip_low_bit(char c)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			 v = (size_t)(strchr(abc, c) - abc);

	return abc[v ^ 1];
}

/* Standard valid claims, with one member replaced or added by extra. */
static char *
claims_json(const char *extra)
{
	char	*s;

	if (asprintf(&s, "{\"sub\":\"user-1\",\"jti\":\"j-1\",\"iss\":\"" ISS
	    "\",\"aud\":\"" AUD "\",\"iat\":%lld,\"exp\":%lld%s%s}",
	    (long long)NOW, (long long)NOW + 900, extra ? "," : "",
	    extra ? extra : "") < 0)
		abort();
	return s;
}

/* The header of token, decoded; caller decrefs. */
static json_t *
token_header(const char *tok)
{
	const char	*dot = strchr(tok, '.');
	unsigned char	 raw[512];
	size_t		 n = sizeof(raw);

	if (dot == NULL || !base64_decode_buf(BASE64_URL, tok,
	    (size_t)(dot - tok), raw, &n))
		return NULL;
	return json_loadb((char *)raw, n, 0, NULL);
}

/*
 * True when verify refuses tok with 401 AuthenticationFailure; when
 * want is not NULL, the message must contain it.
 */
static int
refused(const struct jwt_keys *k, const char *tok, const char *iss,
    const char *aud, time_t now, const char *want)
{
	struct api_error	 err;
	json_t			*c;

	memset(&err, 0, sizeof(err));
	c = jwt_verify(k, tok, iss, aud, now, &err);
	if (c != NULL) {
		json_decref(c);
		printf("#   accepted\n");
		return 0;
	}
	if (err.status != 401 || err.code == NULL ||
	    strcmp(err.code, "AuthenticationFailure") != 0) {
		printf("#   status %d code %s\n", err.status,
		    err.code ? err.code : "(null)");
		return 0;
	}
	if (want != NULL && strstr(err.message, want) == NULL) {
		printf("#   message '%s'\n", err.message);
		return 0;
	}
	return 1;
}

static json_t *
std_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "sub", "user-1",
	    "jti", "j-1", "iss", ISS, "aud", AUD, "iat", (json_int_t)NOW,
	    "exp", (json_int_t)NOW + 900);
}

/* Sign claims (stolen reference) with k; caller frees. */
static char *
sign(const struct jwt_keys *k, json_t *claims)
{
	struct api_error	 err;
	char			*t;

	t = jwt_sign(k, claims, &err);
	json_decref(claims);
	return t;
}

static void
test_keys(void)
{
	struct api_error	 err;
	struct jwt_keys		*k;

	memset(&err, 0, sizeof(err));
	k = jwt_keys_new(secret, 16, NULL, &err);
	ok(k == NULL && err.status == 500, "a 16-byte secret is refused");
	memset(&err, 0, sizeof(err));
	k = jwt_keys_new(NULL, 0, NULL, &err);
	ok(k == NULL && err.status == 500, "no key at all is refused");
	memset(&err, 0, sizeof(err));
	k = jwt_keys_new(secret, SECRET_LEN, "/nonexistent/jwt.pem", &err);
	ok(k == NULL && err.status == 500 &&
	    strstr(err.message, "/nonexistent/jwt.pem") != NULL,
	    "a missing RSA key file is refused, naming the file");
	jwt_keys_free(NULL);
	ok(1, "jwt_keys_free(NULL) is harmless");
}

static void
test_hs256(void)
{
	struct api_error	 err;
	struct jwt_keys		*k, *other;
	json_t			*c, *h;
	char			*tok, *t, *cj, *hdr;
	unsigned char		 secret2[SECRET_LEN];
	size_t			 n;

	k = jwt_keys_new(secret, SECRET_LEN, NULL, &err);
	ok(k != NULL, "HS256 keys load");
	tok = sign(k, std_claims());
	ok(tok != NULL, "HS256 token signed");
	h = token_header(tok);
	is_str(json_string_value(json_object_get(h, "alg")), "HS256",
	    "header alg is HS256");
	is_str(json_string_value(json_object_get(h, "typ")), "JWT",
	    "header typ is JWT");
	n = strlen(json_string_value(json_object_get(h, "kid")));
	is_int(n, 16, "header kid has 16 hex digits");

	c = jwt_verify(k, tok, ISS, AUD, NOW, &err);
	ok(c != NULL, "HS256 token verifies");
	is_str(json_string_value(json_object_get(c, "sub")), "user-1",
	    "claims come back");
	json_decref(c);
	c = jwt_verify(k, tok, NULL, NULL, NOW, &err);
	ok(c != NULL, "iss and aud checks can be skipped");
	json_decref(c);

	/* Same secret, new keys: same kid, still verifies. */
	other = jwt_keys_new(secret, SECRET_LEN, NULL, &err);
	c = jwt_verify(other, tok, ISS, AUD, NOW, &err);
	ok(c != NULL, "kid is stable across loads of the same secret");
	json_decref(c);
	jwt_keys_free(other);

	memcpy(secret2, secret, SECRET_LEN);
	secret2[0] ^= 1;
	other = jwt_keys_new(secret2, SECRET_LEN, NULL, &err);
	ok(refused(other, tok, ISS, AUD, NOW, "unknown key"),
	    "another secret does not know the kid");
	jwt_keys_free(other);

	/* Without a kid, the only key (HS256) is used. */
	json_object_del(h, "kid");
	hdr = json_dumps(h, JSON_COMPACT);
	cj = claims_json(NULL);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	c = jwt_verify(k, t, ISS, AUD, NOW, &err);
	ok(c != NULL, "a token without kid verifies with the HS256 key");
	json_decref(c);
	free(t);
	t = make_token(hdr, cj, secret2, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "signature is invalid"),
	    "a token signed with another secret is refused");
	free(t);
	free(hdr);
	free(cj);
	json_decref(h);

	free(tok);
	jwt_keys_free(k);
}

static void
test_claims(void)
{
	struct api_error	 err;
	struct jwt_keys		*k;
	json_t			*c;
	char			*t;

	k = jwt_keys_new(secret, SECRET_LEN, NULL, &err);

	t = sign(k, std_claims());
	ok(refused(k, t, "https://evil.test", AUD, NOW, "issuer"),
	    "wrong iss is refused");
	ok(refused(k, t, ISS, "other", NOW, "audience"),
	    "wrong aud is refused");
	ok(refused(k, t, ISS, AUD, NOW + 900, "expired"),
	    "token at exp is refused");
	ok(refused(k, t, ISS, AUD, NOW + 100000, "expired"),
	    "long-expired token is refused");
	c = jwt_verify(k, t, ISS, AUD, NOW + 899, &err);
	ok(c != NULL, "token one second before exp verifies");
	json_decref(c);
	free(t);

	c = std_claims();
	json_object_set_new(c, "aud", json_pack("[s, s]", "x", AUD));
	t = sign(k, c);
	c = jwt_verify(k, t, ISS, AUD, NOW, &err);
	ok(c != NULL, "aud array holding the audience verifies");
	json_decref(c);
	ok(refused(k, t, ISS, "y", NOW, "audience"),
	    "aud array without the audience is refused");
	free(t);

	c = std_claims();
	json_object_del(c, "aud");
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "audience"), "missing aud is refused");
	free(t);

	c = std_claims();
	json_object_del(c, "iss");
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "issuer"), "missing iss is refused");
	free(t);

	c = std_claims();
	json_object_del(c, "exp");
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "exp"), "missing exp is refused");
	free(t);

	c = std_claims();
	json_object_set_new(c, "exp", json_string("9999999999"));
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "exp"), "string exp is refused");
	free(t);

	c = std_claims();
	json_object_del(c, "jti");
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "'jti'"), "missing jti is refused");
	free(t);

	c = std_claims();
	json_object_del(c, "sub");
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "'sub'"), "missing sub is refused");
	free(t);

	c = std_claims();
	json_object_set_new(c, "sub", json_string(""));
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "'sub'"), "empty sub is refused");
	free(t);

	c = std_claims();
	json_object_set_new(c, "nbf", json_integer(NOW + 61));
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "not valid yet"),
	    "nbf beyond the skew is refused");
	free(t);

	c = std_claims();
	json_object_set_new(c, "nbf", json_integer(NOW + 60));
	t = sign(k, c);
	c = jwt_verify(k, t, ISS, AUD, NOW, &err);
	ok(c != NULL, "nbf within the skew verifies");
	json_decref(c);
	free(t);

	c = std_claims();
	json_object_set_new(c, "iat", json_integer(NOW + 61));
	t = sign(k, c);
	ok(refused(k, t, ISS, AUD, NOW, "future"),
	    "iat beyond the skew is refused");
	free(t);

	c = std_claims();
	json_object_set_new(c, "exp", json_real((double)NOW + 0.5));
	t = sign(k, c);
	c = jwt_verify(k, t, ISS, AUD, NOW, &err);
	ok(c != NULL, "fractional exp is accepted");
	json_decref(c);
	free(t);

	jwt_keys_free(k);
}

static void
test_forgeries(void)
{
	struct api_error	 err;
	struct jwt_keys		*k;
	char			*tok, *t, *cj, *cj2, *p, *big, hdr[128];
	const char		*dot1, *dot2;
	json_t			*h;
	const char		*kid;

	k = jwt_keys_new(secret, SECRET_LEN, NULL, &err);
	tok = sign(k, std_claims());
	h = token_header(tok);
	kid = json_string_value(json_object_get(h, "kid"));
	cj = claims_json(NULL);

	t = make_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", cj, NULL, 0, "");
	ok(refused(k, t, ISS, AUD, NOW, "none"), "alg none is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"NoNe\",\"kid\":\"%s\"}", kid);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "none"),
	    "alg NoNe with a kid and a signature is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"HS512\",\"kid\":\"%s\"}", kid);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "does not match"),
	    "alg HS512 for an HS256 key is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"hs256\",\"kid\":\"%s\"}", kid);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "does not match"),
	    "alg in the wrong case is refused");
	free(t);
	t = make_token("{\"typ\":\"JWT\"}", cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "alg"), "missing alg is refused");
	free(t);
	snprintf(hdr, sizeof(hdr),
	    "{\"alg\":\"HS256\",\"kid\":\"%s\",\"crit\":[\"exp\"]}", kid);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "critical"), "crit header is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"HS256\",\"kid\":1}");
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "kid"), "numeric kid is refused");
	free(t);

	/* Tampered claims: swap in other claims, keep the signature. */
	cj2 = claims_json("\"role\":\"admin\"");
	p = b64url(cj2, strlen(cj2));
	dot1 = strchr(tok, '.');
	dot2 = strchr(dot1 + 1, '.');
	if (asprintf(&t, "%.*s.%s%s", (int)(dot1 - tok), tok, p, dot2) < 0)
		abort();
	ok(refused(k, t, ISS, AUD, NOW, "signature"),
	    "tampered claims are refused");
	free(t);
	free(p);
	free(cj2);

	/* Tampered signature: change its first character. */
	t = strdup(tok);
	p = strrchr(t, '.') + 1;
	*p = *p == 'A' ? 'B' : 'A';
	ok(refused(k, t, ISS, AUD, NOW, "signature"),
	    "tampered signature is refused");
	free(t);
	/* Truncated signature. */
	t = strdup(tok);
	t[strlen(t) - 4] = '\0';
	ok(refused(k, t, ISS, AUD, NOW, NULL),
	    "truncated signature is refused");
	free(t);
	/* Signature with set padding bits: same bytes, other spelling. */
	t = strdup(tok);
	p = t + strlen(t) - 1;
	*p = flip_low_bit(*p);
	ok(refused(k, t, ISS, AUD, NOW, NULL),
	    "non-canonical signature spelling is refused");
	free(t);
	t = strdup(tok);
	*strrchr(t, '.') = '\0';
	ok(refused(k, t, ISS, AUD, NOW, "three parts"),
	    "two-part token is refused");
	free(t);
	if (asprintf(&t, "%s.", tok) < 0)
		abort();
	ok(refused(k, t, ISS, AUD, NOW, "three parts"),
	    "four-part token is refused");
	free(t);
	if (asprintf(&t, "%.*s", (int)(strrchr(tok, '.') - tok + 1), tok) < 0)
		abort();
	ok(refused(k, t, ISS, AUD, NOW, "no signature"),
	    "empty signature is refused");
	free(t);

	ok(refused(k, "", ISS, AUD, NOW, "empty"), "empty token is refused");
	ok(refused(k, NULL, ISS, AUD, NOW, "empty"), "NULL token is refused");
	ok(refused(k, "a.b.c", ISS, AUD, NOW, NULL),
	    "garbage token is refused");
	ok(refused(k, "!!!!.e30.AAAA", ISS, AUD, NOW, "base64url"),
	    "bad base64url header is refused");
	ok(refused(k, "eyJhbGciOiJIUzI1NiJ9=.e30.AAAA", ISS, AUD, NOW,
	    "base64url"), "padded base64url is refused");
	t = make_token("not json", cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "JSON object"),
	    "non-JSON header is refused");
	free(t);
	t = make_token("[\"HS256\"]", cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "JSON object"),
	    "array header is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
	t = make_token(hdr, "[1,2,3]", secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "JSON object"),
	    "validly signed array claims are refused");
	free(t);
	t = make_token(hdr, "{\"sub\":\"a\",\"sub\":\"b\"}", secret, SECRET_LEN,
	    NULL);
	ok(refused(k, t, ISS, AUD, NOW, "JSON object"),
	    "duplicate claim names are refused");
	free(t);
	snprintf(hdr, sizeof(hdr),
	    "{\"alg\":\"HS256\",\"alg\":\"none\",\"kid\":\"%s\"}", kid);
	t = make_token(hdr, cj, secret, SECRET_LEN, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "JSON object"),
	    "duplicate header names are refused");
	free(t);

	big = malloc(JWT_MAX_LEN + 2);
	memset(big, 'A', JWT_MAX_LEN + 1);
	big[JWT_MAX_LEN + 1] = '\0';
	memcpy(big, tok, strlen(tok));
	ok(refused(k, big, ISS, AUD, NOW, "longer than"),
	    "token over 8 KiB is refused");
	free(big);

	free(cj);
	json_decref(h);
	free(tok);
	jwt_keys_free(k);
}

/* Generate an RSA key of bits into a new temporary PEM file. */
static char *
write_rsa(int bits, EVP_PKEY **pkey)
{
	char	*path = strdup("/tmp/cloudsim-jwt-test-XXXXXX");
	int	 fd = mkstemp(path);
	FILE	*f = fdopen(fd, "w");

	*pkey = EVP_RSA_gen((unsigned int)bits);
	PEM_write_PrivateKey(f, *pkey, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	return path;
}

static void
test_rs256(void)
{
	struct api_error	 err;
	struct jwt_keys		*k, *rsonly, *hsonly;
	EVP_PKEY		*pkey, *small, *ec;
	BIO			*bio;
	BIGNUM			*bn = NULL;
	json_t			*c, *h, *jwks, *jwk;
	char			*path, *spath, *epath, *tok, *hstok, *t, *cj;
	char			*pem, hdr[128], *n64;
	const char		*rsa_kid;
	char			 hs_kid[32];
	unsigned char		 nbin[512];
	long			 pemlen;
	int			 nlen, fd;
	FILE			*f;

	path = write_rsa(2048, &pkey);
	k = jwt_keys_new(secret, SECRET_LEN, path, &err);
	ok(k != NULL, "HS256 secret and RSA key load together");
	rsonly = jwt_keys_new(NULL, 0, path, &err);
	ok(rsonly != NULL, "an RSA key loads alone");
	hsonly = jwt_keys_new(secret, SECRET_LEN, NULL, &err);

	tok = sign(k, std_claims());
	h = token_header(tok);
	is_str(json_string_value(json_object_get(h, "alg")), "RS256",
	    "with an RSA key, tokens are RS256");
	rsa_kid = json_string_value(json_object_get(h, "kid"));
	c = jwt_verify(k, tok, ISS, AUD, NOW, &err);
	ok(c != NULL, "RS256 token verifies");
	json_decref(c);
	c = jwt_verify(rsonly, tok, ISS, AUD, NOW, &err);
	ok(c != NULL, "RS256 token verifies with the RSA-only keys");
	json_decref(c);
	ok(refused(hsonly, tok, ISS, AUD, NOW, "unknown key"),
	    "RS256 token is unknown to HS256-only keys");

	/* An HS256 token from before the RSA key still verifies. */
	hstok = sign(hsonly, std_claims());
	c = jwt_verify(k, hstok, ISS, AUD, NOW, &err);
	ok(c != NULL, "HS256 token verifies when both keys are configured");
	json_decref(c);
	ok(refused(rsonly, hstok, ISS, AUD, NOW, "unknown key"),
	    "HS256 token is refused by RSA-only keys");
	{
		json_t	*hh = token_header(hstok);

		snprintf(hs_kid, sizeof(hs_kid), "%s",
		    json_string_value(json_object_get(hh, "kid")));
		ok(strcmp(hs_kid, rsa_kid) != 0, "the two kids differ");
		/* RS256 named with the HS kid. */
		snprintf(hdr, sizeof(hdr), "{\"alg\":\"RS256\",\"kid\":\"%s\"}",
		    hs_kid);
		json_decref(hh);
	}
	cj = claims_json(NULL);
	t = make_token(hdr, cj, NULL, 0, strrchr(tok, '.') + 1);
	ok(refused(k, t, ISS, AUD, NOW, "does not match"),
	    "RS256 header with the HS256 kid is refused");
	free(t);

	/* Algorithm confusion: HS256 keyed with the public key PEM. */
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(bio, pkey);
	pemlen = BIO_get_mem_data(bio, &pem);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"HS256\",\"typ\":\"JWT\","
	    "\"kid\":\"%s\"}", rsa_kid);
	t = make_token(hdr, cj, pem, (size_t)pemlen, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "does not match"),
	    "HS256 keyed with the RSA public key PEM, RSA kid, is refused");
	ok(refused(rsonly, t, ISS, AUD, NOW, "does not match"),
	    "the same with RSA-only keys is refused");
	free(t);
	t = make_token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", cj, pem,
	    (size_t)pemlen, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "does not match"),
	    "HS256 keyed with the public key PEM, no kid, is refused");
	ok(refused(rsonly, t, ISS, AUD, NOW, "does not match"),
	    "the same with RSA-only keys is refused");
	free(t);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"HS256\",\"kid\":\"%s\"}",
	    hs_kid);
	t = make_token(hdr, cj, pem, (size_t)pemlen, NULL);
	ok(refused(k, t, ISS, AUD, NOW, "signature is invalid"),
	    "HS256 keyed with the public key PEM, HS kid, is refused");
	free(t);
	BIO_free(bio);

	/* Tampered RS256 claims and signature. */
	{
		char		*cj2 = claims_json("\"role\":\"admin\"");
		char		*p = b64url(cj2, strlen(cj2));
		const char	*d1 = strchr(tok, '.');
		const char	*d2 = strchr(d1 + 1, '.');

		if (asprintf(&t, "%.*s.%s%s", (int)(d1 - tok), tok, p, d2) < 0)
			abort();
		ok(refused(k, t, ISS, AUD, NOW, "signature is invalid"),
		    "tampered RS256 claims are refused");
		free(t);
		free(p);
		free(cj2);
		t = strdup(tok);
		p = strrchr(t, '.') + 10;
		*p = *p == 'A' ? 'B' : 'A';
		ok(refused(k, t, ISS, AUD, NOW, "signature is invalid"),
		    "tampered RS256 signature is refused");
		free(t);
	}
	ok(refused(k, tok, ISS, AUD, NOW + 900, "expired"),
	    "expired RS256 token is refused");

	/* JWKS. */
	jwks = jwt_jwks(k);
	is_int(json_array_size(json_object_get(jwks, "keys")), 1,
	    "JWKS holds one key");
	jwk = json_array_get(json_object_get(jwks, "keys"), 0);
	is_str(json_string_value(json_object_get(jwk, "kty")), "RSA",
	    "JWK kty RSA");
	is_str(json_string_value(json_object_get(jwk, "use")), "sig",
	    "JWK use sig");
	is_str(json_string_value(json_object_get(jwk, "alg")), "RS256",
	    "JWK alg RS256");
	is_str(json_string_value(json_object_get(jwk, "kid")), rsa_kid,
	    "JWK kid is the tokens' kid");
	is_str(json_string_value(json_object_get(jwk, "e")), "AQAB",
	    "JWK e is 65537");
	EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &bn);
	nlen = BN_bn2bin(bn, nbin);
	n64 = b64url(nbin, (size_t)nlen);
	is_str(json_string_value(json_object_get(jwk, "n")), n64,
	    "JWK n is the modulus");
	ok(json_object_get(jwk, "d") == NULL, "JWK has no private part");
	free(n64);
	BN_free(bn);
	json_decref(jwks);
	jwks = jwt_jwks(hsonly);
	ok(json_is_array(json_object_get(jwks, "keys")) &&
	    json_array_size(json_object_get(jwks, "keys")) == 0,
	    "JWKS without RSA key has an empty keys array");
	json_decref(jwks);

	/* Keys that must not load. */
	spath = write_rsa(1024, &small);
	memset(&err, 0, sizeof(err));
	ok(jwt_keys_new(secret, SECRET_LEN, spath, &err) == NULL &&
	    err.status == 500, "a 1024-bit RSA key is refused");
	unlink(spath);
	free(spath);
	EVP_PKEY_free(small);
	epath = strdup("/tmp/cloudsim-jwt-test-XXXXXX");
	fd = mkstemp(epath);
	f = fdopen(fd, "w");
	ec = EVP_EC_gen("P-256");
	PEM_write_PrivateKey(f, ec, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	memset(&err, 0, sizeof(err));
	ok(jwt_keys_new(secret, SECRET_LEN, epath, &err) == NULL &&
	    err.status == 500, "an EC key is refused");
	EVP_PKEY_free(ec);
	f = fopen(epath, "w");
	fputs("-----BEGIN PRIVATE KEY-----\nnot a key\n", f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	ok(jwt_keys_new(secret, SECRET_LEN, epath, &err) == NULL &&
	    err.status == 500, "a garbage PEM file is refused");
	unlink(epath);
	free(epath);

	free(cj);
	json_decref(h);
	free(tok);
	free(hstok);
	jwt_keys_free(k);
	jwt_keys_free(rsonly);
	jwt_keys_free(hsonly);
	EVP_PKEY_free(pkey);
	unlink(path);
	free(path);
}

int
main(void)
{
	test_keys();
	test_hs256();
	test_claims();
	test_forgeries();
	test_rs256();
	return tap_done();
}
