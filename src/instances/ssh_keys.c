/*
 * SSH keys with OpenSSL 3.  The wire formats are SSH's own (RFC 4251
 * section 5: uint32 lengths, strings, mpints; RFC 4253 section 6.6 for
 * "ssh-rsa", RFC 8709 for "ssh-ed25519"; OpenSSH's PROTOCOL.key for the
 * "openssh-key-v1" private key container), built and read here byte by
 * byte, because OpenSSL knows none of them.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/arena.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/ids.h"
#include "ssh_keys.h"

#define ED25519_LEN	32
#define PEM_WIDTH	70	/* OpenSSH wraps its private keys at 70 */

/* A byte string growing in the arena. */
struct blob {
	struct arena	*arena;
	unsigned char	*p;
	size_t		 len, cap;
};

static void
put(struct blob *b, const void *data, size_t n)
{
	unsigned char	*grown;

	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		grown = arena_alloc(b->arena, b->cap);
		if (b->len > 0)
			memcpy(grown, b->p, b->len);
		b->p = grown;
	}
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void
put_u32(struct blob *b, uint32_t v)
{
	unsigned char	be[4] = { (unsigned char)(v >> 24),
			    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			    (unsigned char)v };

	put(b, be, 4);
}

static void
put_string(struct blob *b, const void *data, size_t n)
{
	put_u32(b, (uint32_t)n);
	put(b, data, n);
}

/* A positive bignum as an mpint: big-endian, a 0 byte before a high bit. */
static bool
put_mpint(struct blob *b, const BIGNUM *bn)
{
	size_t		 n = (size_t)BN_num_bytes(bn);
	unsigned char	*raw = arena_alloc(b->arena, n + 1);

	raw[0] = 0;
	if (BN_bn2bin(bn, raw + 1) != (int)n)
		return false;
	if (n > 0 && (raw[1] & 0x80))
		put_string(b, raw, n + 1);
	else
		put_string(b, raw + 1, n);
	return true;
}

/* Reading a blob: a cursor that refuses to run past the end. */
struct cursor {
	const unsigned char	*p;
	size_t			 left;
};

static bool
get_string(struct cursor *c, const unsigned char **data, size_t *n)
{
	uint32_t	len;

	if (c->left < 4)
		return false;
	len = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	if (len > c->left - 4)
		return false;
	*data = c->p + 4;
	*n = len;
	c->p += 4 + len;
	c->left -= 4 + len;
	return true;
}

/* A positive mpint in minimal form, as BIGNUM (caller frees). */
static BIGNUM *
get_mpint(struct cursor *c)
{
	const unsigned char	*d;
	size_t			 n;

	if (!get_string(c, &d, &n) || n == 0 || (d[0] & 0x80) ||
	    (d[0] == 0 && (n == 1 || !(d[1] & 0x80))))
		return NULL;
	return BN_bin2bn(d, (int)n, NULL);
}

/* Lower-case hex pairs joined by ':' (EC2's RSA fingerprints). */
static const char *
colon_hex(struct arena *a, const unsigned char *md, unsigned n)
{
	static const char hex[] = "0123456789abcdef";
	char		*s = arena_alloc(a, n * 3 + 1), *p = s;
	unsigned	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ':';
		*p++ = hex[md[i] >> 4];
		*p++ = hex[md[i] & 15];
	}
	*p = '\0';
	return s;
}

static const char *
digest_colon(struct arena *a, const EVP_MD *md, const unsigned char *data,
    size_t len)
{
	unsigned char	out[EVP_MAX_MD_SIZE];
	unsigned	n = 0;

	if (EVP_Digest(data, len, out, &n, md, NULL) != 1)
		return NULL;
	return colon_hex(a, out, n);
}

static const char *
digest_base64(struct arena *a, const unsigned char *data, size_t len)
{
	unsigned char	out[EVP_MAX_MD_SIZE];
	unsigned	n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1)
		return NULL;
	return base64_encode(a, out, n);
}

/* "type base64(blob)[ comment]" */
static const char *
public_line(struct arena *a, const char *type, const struct blob *b,
    const char *comment)
{
	return arena_printf(a, "%s %s%s%s", type,
	    base64_encode(a, b->p, b->len), comment && *comment ? " " : "",
	    comment ? comment : "");
}

/* The blob of an RSA public key: "ssh-rsa", e, n. */
static bool
rsa_blob(const BIGNUM *n, const BIGNUM *e, struct blob *b)
{
	put_string(b, "ssh-rsa", 7);
	return put_mpint(b, e) && put_mpint(b, n);
}

/* The text of a memory BIO, copied into the arena. */
static const char *
bio_text(struct arena *a, BIO *bio)
{
	char	*data;
	long	 n = BIO_get_mem_data(bio, &data);

	return n > 0 ? arena_strndup(a, data, (size_t)n) : NULL;
}

static bool
generate_rsa(struct arena *a, const char *comment, struct ssh_key *out)
{
	EVP_PKEY		*pkey = NULL;
	PKCS8_PRIV_KEY_INFO	*p8 = NULL;
	BIGNUM			*n = NULL, *e = NULL;
	BIO			*bio = NULL;
	unsigned char		*der = NULL;
	struct blob		 b = { a, NULL, 0, 0 };
	int			 dlen;
	bool			 ok = false;

	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)SSH_RSA_BITS)) == NULL ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1 ||
	    !rsa_blob(n, e, &b))
		goto out;
	/* EC2's fingerprint of a key it made: SHA-1 of the PKCS#8 DER. */
	if ((p8 = EVP_PKEY2PKCS8(pkey)) == NULL ||
	    (dlen = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0 ||
	    (out->fingerprint = digest_colon(a, EVP_sha1(), der,
	    (size_t)dlen)) == NULL)
		goto out;
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0,
	    NULL, NULL) != 1 ||
	    (out->private_key = bio_text(a, bio)) == NULL)
		goto out;
	out->key_type = "rsa";
	out->bits = SSH_RSA_BITS;
	out->public_key = public_line(a, "ssh-rsa", &b, comment);
	ok = true;
out:
	/* Frees: the key, its PKCS#8 form and DER (cleansed), n, e, the BIO. */
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)dlen);
	PKCS8_PRIV_KEY_INFO_free(p8);
	BN_free(n);
	BN_free(e);
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return ok;
}

/*
 * The "openssh-key-v1" container of one unencrypted ED25519 key, as
 * ssh-keygen writes it: the two check words, the key, the comment, and
 * padding 1, 2, 3 … to the cipher block size (8 for "none").
 */
static const char *
openssh_private(struct arena *a, const struct blob *pub,
    const unsigned char *pk, const unsigned char *seed, const char *comment)
{
	static const char magic[] = "openssh-key-v1";	/* with its NUL */
	struct blob	 b = { a, NULL, 0, 0 }, priv = { a, NULL, 0, 0 };
	unsigned char	 both[2 * ED25519_LEN], pad;
	uint32_t	 check;
	const char	*text;
	char		*pem, *p;
	size_t		 i, len;

	id_random(&check, sizeof(check));
	put_u32(&priv, check);
	put_u32(&priv, check);
	put_string(&priv, "ssh-ed25519", 11);
	put_string(&priv, pk, ED25519_LEN);
	memcpy(both, seed, ED25519_LEN);
	memcpy(both + ED25519_LEN, pk, ED25519_LEN);
	put_string(&priv, both, sizeof(both));
	OPENSSL_cleanse(both, sizeof(both));
	put_string(&priv, comment, strlen(comment));
	for (pad = 1; priv.len % 8 != 0; pad++)
		put(&priv, &pad, 1);

	put(&b, magic, sizeof(magic));
	put_string(&b, "none", 4);
	put_string(&b, "none", 4);
	put_string(&b, "", 0);
	put_u32(&b, 1);
	put_string(&b, pub->p, pub->len);
	put_string(&b, priv.p, priv.len);
	OPENSSL_cleanse(priv.p, priv.len);

	text = base64_encode(a, b.p, b.len);
	OPENSSL_cleanse(b.p, b.len);
	len = strlen(text);
	p = pem = arena_alloc(a, len + len / PEM_WIDTH + 80);
	p += sprintf(p, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (i = 0; i < len; i += PEM_WIDTH)
		p += sprintf(p, "%.*s\n", PEM_WIDTH, text + i);
	sprintf(p, "-----END OPENSSH PRIVATE KEY-----\n");
	return pem;
}

static bool
generate_ed25519(struct arena *a, const char *comment, struct ssh_key *out)
{
	EVP_PKEY	*pkey = NULL;
	unsigned char	 pk[ED25519_LEN], seed[ED25519_LEN];
	size_t		 pklen = sizeof(pk), seedlen = sizeof(seed);
	struct blob	 b = { a, NULL, 0, 0 };
	bool		 ok = false;

	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL ||
	    EVP_PKEY_get_raw_public_key(pkey, pk, &pklen) != 1 ||
	    EVP_PKEY_get_raw_private_key(pkey, seed, &seedlen) != 1 ||
	    pklen != ED25519_LEN || seedlen != ED25519_LEN)
		goto out;
	put_string(&b, "ssh-ed25519", 11);
	put_string(&b, pk, ED25519_LEN);
	if ((out->fingerprint = digest_base64(a, b.p, b.len)) == NULL)
		goto out;
	out->private_key = openssh_private(a, &b, pk, seed, comment);
	out->public_key = public_line(a, "ssh-ed25519", &b, comment);
	out->key_type = "ed25519";
	out->bits = 256;
	ok = true;
out:
	/* Frees: the key; the seed is wiped. */
	OPENSSL_cleanse(seed, sizeof(seed));
	EVP_PKEY_free(pkey);
	return ok;
}

bool
ssh_key_generate(struct arena *a, const char *key_type, const char *comment,
    struct ssh_key *out, struct api_error *err)
{
	bool	ok;

	memset(out, 0, sizeof(*out));
	if (strcmp(key_type, "ed25519") == 0)
		ok = generate_ed25519(a, comment, out);
	else
		ok = generate_rsa(a, comment, out);
	return ok ? true : api_error_internal(err);
}

static bool
bad_format(struct api_error *err, const char *why)
{
	return api_error_set(err, 400, "InvalidKey.Format", "the key is not "
	    "in valid OpenSSH public key format: %s", why);
}

/* The MD5 of the DER SubjectPublicKeyInfo of the RSA key (n, e). */
static const char *
rsa_import_fingerprint(struct arena *a, const BIGNUM *n, const BIGNUM *e)
{
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pkey = NULL;
	unsigned char	*der = NULL;
	const char	*fp = NULL;
	int		 dlen;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1 ||
	    (dlen = i2d_PUBKEY(pkey, &der)) <= 0)
		goto out;
	fp = digest_colon(a, EVP_md5(), der, (size_t)dlen);
out:
	/* Frees: the builder, the parameters, the context, the key, the DER. */
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return fp;
}

static bool
parse_rsa(struct arena *a, struct cursor *c, struct ssh_key *out,
    struct api_error *err)
{
	BIGNUM	*e = NULL, *n = NULL;
	int	 bits;
	bool	 ok = false;

	if ((e = get_mpint(c)) == NULL || (n = get_mpint(c)) == NULL) {
		bad_format(err, "the RSA exponent or modulus is malformed");
		goto out;
	}
	if (c->left != 0) {
		bad_format(err, "bytes follow the RSA modulus");
		goto out;
	}
	if (!BN_is_odd(e) || BN_num_bits(e) < 2 || BN_num_bits(e) > 64) {
		bad_format(err, "the RSA public exponent is not usable");
		goto out;
	}
	bits = BN_num_bits(n);
	if (bits < SSH_RSA_MIN_BITS || bits > SSH_RSA_MAX_BITS ||
	    !BN_is_odd(n)) {
		api_error_set(err, 400, "InvalidKey.Format", "the RSA key has "
		    "a %d-bit modulus; keys of %d to %d bits are accepted",
		    bits, SSH_RSA_MIN_BITS, SSH_RSA_MAX_BITS);
		goto out;
	}
	if ((out->fingerprint = rsa_import_fingerprint(a, n, e)) == NULL) {
		api_error_internal(err);
		goto out;
	}
	out->key_type = "rsa";
	out->bits = bits;
	ok = true;
out:
	/* Frees: the exponent and the modulus. */
	BN_free(e);
	BN_free(n);
	return ok;
}

bool
ssh_key_parse_public(struct arena *a, const char *line, struct ssh_key *out,
    struct api_error *err)
{
	const char		*p, *eol, *type, *b64, *comment;
	const unsigned char	*t;
	unsigned char		*raw;
	size_t			 tlen, b64len, rawlen, tn, i;
	struct cursor		 c;
	unsigned char		 ch;

	memset(out, 0, sizeof(*out));
	for (i = 0; line[i] != '\0'; i++) {
		ch = (unsigned char)line[i];
		if (ch > 0x7e || (ch < 0x20 && strchr("\t\r\n", ch) == NULL))
			return bad_format(err, "it holds control or non-ASCII "
			    "characters");
	}
	if (i > SSH_PUBLIC_KEY_MAX)
		return bad_format(err, "it is too long");
	for (p = line; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
		;
	type = p;
	tlen = strcspn(p, " \t");
	p += tlen;
	p += strspn(p, " \t");
	b64 = p;
	b64len = strcspn(p, " \t\r\n");
	p += b64len;
	p += strspn(p, " \t");
	/* The comment runs to the end of the line, less trailing space. */
	eol = p + strcspn(p, "\r\n");
	if (eol[strspn(eol, "\r\n \t")] != '\0')
		return bad_format(err, "it is more than one line");
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t'))
		eol--;
	comment = arena_strndup(a, p, (size_t)(eol - p));
	if (!((tlen == 7 && strncmp(type, "ssh-rsa", 7) == 0) ||
	    (tlen == 11 && strncmp(type, "ssh-ed25519", 11) == 0)))
		return bad_format(err, "only ssh-rsa and ssh-ed25519 keys are "
		    "accepted");
	if (b64len == 0 || !base64_decode(a, b64, b64len, &raw, &rawlen))
		return bad_format(err, "the key data is not base64");
	c.p = raw;
	c.left = rawlen;
	if (!get_string(&c, &t, &tn) || tn != tlen ||
	    memcmp(t, type, tlen) != 0)
		return bad_format(err, "the key data does not hold a key of "
		    "the named type");
	if (tlen == 7) {
		if (!parse_rsa(a, &c, out, err))
			return false;
	} else {
		if (!get_string(&c, &t, &tn) || tn != ED25519_LEN ||
		    c.left != 0)
			return bad_format(err, "an ssh-ed25519 key is 32 bytes");
		if ((out->fingerprint = digest_base64(a, raw, rawlen)) == NULL)
			return api_error_internal(err);
		out->key_type = "ed25519";
		out->bits = 256;
	}
	out->public_key = arena_printf(a, "%.*s %.*s%s%s", (int)tlen, type,
	    (int)b64len, b64, *comment ? " " : "", comment);
	return true;
}
