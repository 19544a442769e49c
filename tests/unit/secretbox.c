/*
 * secretbox: round trips, and every way a sealed value must refuse to
 * open (altered text, wrong key, wrong associated data, garbage).
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/secretbox.h"
#include "tap.h"

static const unsigned char key[SECRETBOX_KEY_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

static const char secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/* True when sealed refuses to open with k and aad, with a 500. */
static int
refuses(const unsigned char *k, const char *sealed, const char *aad)
{
	struct api_error	 err;
	unsigned char		*p;

	memset(&err, 0, sizeof(err));
	p = secretbox_open(k, sealed, aad, NULL, &err);
	free(p);
	return p == NULL && err.status == 500 &&
	    strcmp(err.code, "InternalError") == 0;
}

static void
test_round_trip(void)
{
	struct api_error	 err;
	char			*s1, *s2, *empty;
	unsigned char		*p;
	size_t			 len = 0;

	s1 = secretbox_seal(key, secret, strlen(secret), "AKIAEXAMPLE", &err);
	ok(s1 != NULL, "seal succeeds");
	ok(s1 != NULL && strncmp(s1, "v1:", 3) == 0, "sealed text is v1:");
	/* 12 + 40 + 16 = 68 bytes → 92 base64 characters. */
	is_int(s1 ? strlen(s1) : 0, 3 + 92, "sealed text has the right length");
	p = secretbox_open(key, s1, "AKIAEXAMPLE", &len, &err);
	is_str((char *)p, secret, "open gives the plaintext back");
	is_int(len, strlen(secret), "open gives the length");
	free(p);

	s2 = secretbox_seal(key, secret, strlen(secret), "AKIAEXAMPLE", &err);
	ok(s1 && s2 && strcmp(s1, s2) != 0,
	    "two seals of one secret differ (random nonce)");

	empty = secretbox_seal(key, "", 0, NULL, &err);
	p = secretbox_open(key, empty, NULL, &len, &err);
	ok(p != NULL && len == 0 && p[0] == '\0',
	    "empty plaintext round trips");
	free(p);
	p = secretbox_open(key, empty, "", &len, &err);
	ok(p != NULL, "NULL and empty associated data are the same");
	free(p);

	free(s1);
	free(s2);
	free(empty);
}

static void
test_tamper(void)
{
	struct api_error	 err;
	char			*s, *t;
	size_t			 i, n, bad = 0;

	s = secretbox_seal(key, secret, strlen(secret), "AKIAEXAMPLE", &err);
	n = strlen(s);
	t = strdup(s);
	/*
	 * Change every character of the base64 text in turn, to another
	 * base64 character: not one change may still open.
	 */
	for (i = 3; i < n; i++) {
		if (t[i] == '=')
			continue;
		t[i] = t[i] == 'A' ? 'B' : 'A';
		if (!refuses(key, t, "AKIAEXAMPLE"))
			bad++;
		t[i] = s[i];
	}
	is_int(bad, 0, "no altered character opens");
	t[n - 1] = '\0';
	ok(refuses(key, t, "AKIAEXAMPLE"), "truncated text refuses");
	free(t);
	if (asprintf(&t, "%sAAAA", s) > 0) {
		ok(refuses(key, t, "AKIAEXAMPLE"), "extended text refuses");
		free(t);
	}
	free(s);
}

static void
test_wrong_key_aad(void)
{
	struct api_error	 err;
	unsigned char		 k2[SECRETBOX_KEY_LEN];
	char			*s;

	memcpy(k2, key, sizeof(k2));
	k2[31] ^= 0x01;
	s = secretbox_seal(key, secret, strlen(secret), "AKIAEXAMPLE", &err);
	ok(refuses(k2, s, "AKIAEXAMPLE"), "wrong key refuses");
	ok(refuses(key, s, "AKIAOTHER"), "wrong associated data refuses");
	ok(refuses(key, s, NULL), "missing associated data refuses");
	free(s);

	s = secretbox_seal(key, secret, strlen(secret), NULL, &err);
	ok(refuses(key, s, "AKIAEXAMPLE"),
	    "associated data where none was bound refuses");
	free(s);
}

static void
test_garbage(void)
{
	struct api_error	 err;
	unsigned char		*p;
	char			*big, *s;
	size_t			 n;

	ok(refuses(key, NULL, NULL), "NULL refuses");
	ok(refuses(key, "", NULL), "empty string refuses");
	ok(refuses(key, "v1:", NULL), "bare prefix refuses");
	ok(refuses(key, "v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL),
	    "unknown version refuses");
	ok(refuses(key, "v1:AAAA", NULL),
	    "too short for nonce and tag refuses");
	ok(refuses(key, "v1:not base64 at all!!", NULL), "non-base64 refuses");
	ok(refuses(key, "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL),
	    "length not a multiple of four refuses");
	ok(refuses(key, "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=AA", NULL),
	    "padding in the middle refuses");
	ok(refuses(key, "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL),
	    "well-formed random data refuses");

	big = calloc(1, SECRETBOX_MAX_PLAIN + 1);
	memset(&err, 0, sizeof(err));
	s = secretbox_seal(key, big, SECRETBOX_MAX_PLAIN + 1, NULL, &err);
	ok(s == NULL && err.status == 500, "oversized plaintext is refused");
	free(s);
	s = secretbox_seal(key, big, SECRETBOX_MAX_PLAIN, NULL, &err);
	ok(s != NULL, "plaintext at the limit seals");
	/* The longest text decodes into the whole room, not one past it. */
	p = s != NULL ? secretbox_open(key, s, NULL, NULL, &err) : NULL;
	ok(p != NULL, "and opens");
	free(p);
	/* One group more is past the limit, even as valid base64. */
	n = s != NULL ? strlen(s) - 3 + 4 : 0;
	free(big);
	if ((big = malloc(3 + n + 1)) != NULL) {
		memcpy(big, "v1:", 3);
		memset(big + 3, 'A', n);
		big[3 + n] = '\0';
		ok(refuses(key, big, NULL),
		    "sealed text past the limit refuses");
	}
	free(s);
	free(big);
}

int
main(void)
{
	test_round_trip();
	test_tamper();
	test_wrong_key_aad();
	test_garbage();
	return tap_done();
}
