/*
 * sha256: the process-wide SHA-256 and HMAC-SHA-256 of src/core/sha256.c
 * against published vectors (FIPS 180-2, RFC 4231), and the HMAC chain
 * SigV4 derives its keys with against OpenSSL's one-shot HMAC() applied
 * link by link.  Calls alternate between the three functions and between
 * keys, since all of them share one HMAC context that each call wipes.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/hex.h"
#include "core/sha256.h"
#include "tap.h"

/* The hex of a SHA256_LEN digest into out (65 bytes). */
static const char *
hex(const unsigned char d[SHA256_LEN], char out[2 * SHA256_LEN + 1])
{
	hex_encode(d, SHA256_LEN, out);
	return out;
}

static void
test_vectors(void)
{
	unsigned char	 d[SHA256_LEN], key[20];
	char		 h[2 * SHA256_LEN + 1];

	ok(sha256("abc", 3, d), "sha256 of \"abc\"");
	is_str(hex(d, h), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "FIPS 180-2 example");
	ok(sha256(NULL, 0, d), "sha256 of nothing");
	is_str(hex(d, h), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "empty message");

	ok(hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d),
	    "RFC 4231 case 2");
	is_str(hex(d, h), "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843", "RFC 4231 case 2 value");
	memset(key, 0x0b, sizeof(key));
	ok(hmac_sha256(key, sizeof(key), "Hi There", 8, d),
	    "RFC 4231 case 1, after another key");
	is_str(hex(d, h), "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7", "RFC 4231 case 1 value");
}

/* OpenSSL's HMAC(), one link at a time: what the chain must equal. */
static void
reference_chain(const char *key, const char *const *msgs, size_t n,
    unsigned char out[SHA256_LEN])
{
	unsigned char	k[SHA256_LEN];
	unsigned int	len = SHA256_LEN;
	size_t		i;

	HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msgs[0],
	    strlen(msgs[0]), k, &len);
	for (i = 1; i < n; i++)
		HMAC(EVP_sha256(), k, SHA256_LEN,
		    (const unsigned char *)msgs[i], strlen(msgs[i]), k, &len);
	memcpy(out, k, SHA256_LEN);
}

static void
test_chain(void)
{
	static const char *const steps[] = { "20150830", "us-east-1",
	    "iam", "aws4_request", "AWS4-HMAC-SHA256\n20150830T123600Z\n"
	    "20150830/us-east-1/iam/aws4_request\n"
	    "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59" };
	static const char	 key[] =
	    "AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	unsigned char		 got[SHA256_LEN], want[SHA256_LEN];
	char			 h1[2 * SHA256_LEN + 1], h2[2 * SHA256_LEN + 1];
	size_t			 n;

	for (n = 1; n <= 5; n++) {
		reference_chain(key, steps, n, want);
		ok(hmac_sha256_chain(key, strlen(key), steps, n, got),
		    "a chain of n links");
		is_str(hex(got, h1), hex(want, h2), "equals HMAC() link by link");
	}
	/* AWS's documented signing key for this date, region and service. */
	ok(hmac_sha256_chain(key, strlen(key), steps, 4, got), "signing key");
	is_str(hex(got, h1), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e"
	    "86da6ed3c154a4b9", "AWS's example signing key");
	ok(!hmac_sha256_chain(key, strlen(key), steps, 0, got),
	    "an empty chain is refused");
	/* The shared context still works after a chain. */
	ok(hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, got) &&
	    strcmp(hex(got, h1), "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843") == 0,
	    "a single HMAC after a chain");
}

int
main(void)
{
	test_vectors();
	test_chain();
	return tap_done();
}
