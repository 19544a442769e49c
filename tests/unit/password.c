/*
 * password: Argon2id round trips, mismatches, malformed hashes and the
 * rehash policy.  Hashing uses tiny parameters so the test stays fast;
 * only one hash is made under the production defaults.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/password.h"
#include "tap.h"

#define UTF8_PW	"p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93"

static const struct password_params fast = {
	.t_cost = 1,
	.m_cost_kib = 64,
	.parallelism = 1,
};

static void
test_round_trip(void)
{
	struct api_error	 err;
	char			*h1, *h2;

	h1 = password_hash("correct horse battery staple", &fast, &err);
	ok(h1 != NULL, "hash succeeds");
	ok(h1 != NULL && strncmp(h1, "$argon2id$v=19$m=64,t=1,p=1$", 28) == 0,
	    "encoded string names argon2id, v=19 and the parameters");
	ok(password_verify(h1, "correct horse battery staple"),
	    "right password verifies");
	ok(!password_verify(h1, "correct horse battery stapler"),
	    "wrong password does not verify");
	ok(!password_verify(h1, ""), "empty password does not verify");
	ok(!password_verify(h1, NULL), "NULL password does not verify");

	h2 = password_hash("correct horse battery staple", &fast, &err);
	ok(h1 && h2 && strcmp(h1, h2) != 0, "two hashes differ (random salt)");
	ok(password_verify(h2, "correct horse battery staple"),
	    "second hash verifies too");
	free(h1);
	free(h2);

	h1 = password_hash("", &fast, &err);
	ok(h1 != NULL && password_verify(h1, ""), "empty password round trips");
	free(h1);
	h1 = password_hash(UTF8_PW, &fast, &err);
	ok(h1 != NULL && password_verify(h1, UTF8_PW),
	    "UTF-8 password round trips");
	free(h1);
}

static void
test_defaults(void)
{
	struct api_error	 err;
	char			*h;

	is_int(password_params_default.m_cost_kib, 19456,
	    "default m is 19 MiB");
	is_int(password_params_default.t_cost, 2, "default t is 2");
	is_int(password_params_default.parallelism, 1, "default p is 1");
	h = password_hash("a default-cost password", NULL, &err);
	ok(h != NULL && strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
	    "NULL params hash with the defaults");
	ok(password_verify(h, "a default-cost password"),
	    "default-cost hash verifies");
	ok(!password_needs_rehash(h, NULL), "default hash needs no rehash");
	free(h);
}

static void
test_malformed(void)
{
	struct api_error	 err;
	char			*h, *t, *big;

	h = password_hash("secret password", &fast, &err);
	ok(!password_verify(NULL, "secret password"), "NULL hash is no match");
	ok(!password_verify("", "secret password"), "empty hash is no match");
	ok(!password_verify("plaintext", "plaintext"),
	    "a stored plaintext is no match");
	ok(!password_verify("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
	    "secret password"), "argon2i hash is no match");
	ok(!password_verify("$argon2id$v=19$m=64,t=1,p=1$$",
	    "secret password"), "hash without salt and digest is no match");

	t = strdup(h);
	t[strlen(t) - 3] = t[strlen(t) - 3] == 'A' ? 'B' : 'A';
	ok(!password_verify(t, "secret password"),
	    "altered digest is no match");
	free(t);
	t = strdup(h);
	t[strlen(t) - 10] = '\0';
	ok(!password_verify(t, "secret password"),
	    "truncated digest is no match");
	free(t);
	free(h);

	big = malloc(PASSWORD_MAX_LEN + 2);
	memset(big, 'a', PASSWORD_MAX_LEN + 1);
	big[PASSWORD_MAX_LEN + 1] = '\0';
	memset(&err, 0, sizeof(err));
	h = password_hash(big, &fast, &err);
	ok(h == NULL && err.status == 400 &&
	    strcmp(err.code, "InvalidParameterValue") == 0,
	    "over-long password is refused with 400");
	free(h);
	memset(&err, 0, sizeof(err));
	h = password_hash(NULL, &fast, &err);
	ok(h == NULL && err.status == 400, "NULL password is refused with 400");
	free(h);
	free(big);
}

static void
test_rehash(void)
{
	struct password_params	 cur = { 2, 19456, 1 };

	ok(!password_needs_rehash(
	    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "same parameters: no rehash");
	ok(!password_needs_rehash(
	    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "stronger parameters: no rehash");
	ok(password_needs_rehash(
	    "$argon2id$v=19$m=4096,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "less memory: rehash");
	ok(password_needs_rehash(
	    "$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "fewer passes: rehash");
	ok(password_needs_rehash(
	    "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "old version: rehash");
	ok(password_needs_rehash(
	    "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
	    &cur), "argon2i: rehash");
	ok(password_needs_rehash("$argon2id$v=19$m=,t=2,p=1$x$y", &cur),
	    "unreadable parameters: rehash");
	ok(password_needs_rehash(
	    "$argon2id$v=19$m=99999999999,t=2,p=1$x$y", &cur),
	    "overflowing parameter: rehash");
	ok(password_needs_rehash(NULL, &cur), "NULL: rehash");
	ok(password_needs_rehash(
	    "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA", NULL),
	    "test parameters against the defaults: rehash");
}

int
main(void)
{
	test_round_trip();
	test_defaults();
	test_malformed();
	test_rehash();
	return tap_done();
}
