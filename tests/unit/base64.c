/*
 * base64: the RFC 4648 vectors in both forms, the two alphabets, empty
 * input, the room limit, round trips across the module's chunk size,
 * and every non-canonical spelling that must be refused: bad or
 * foreign characters, whitespace, wrong length, wrong or misplaced
 * padding, and set bits after the last byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/base64.h"
#include "tap.h"

/* True when s decodes in form to exactly the len bytes want. */
static int
decodes(enum base64_form form, const char *s, const void *want, size_t len)
{
	unsigned char	buf[64];
	size_t		n = sizeof(buf);

	return base64_decode_buf(form, s, strlen(s), buf, &n) && n == len &&
	    memcmp(buf, want, len) == 0;
}

/* True when s is refused in form, with *outlen reset to 0. */
static int
refused(enum base64_form form, const char *s)
{
	unsigned char	buf[64];
	size_t		n = sizeof(buf);

	if (base64_decode_buf(form, s, strlen(s), buf, &n)) {
		printf("#   '%s' accepted\n", s);
		return 0;
	}
	return n == 0;
}

/* plain encodes to want in form, with its length, and decodes back. */
static void
known_answer(enum base64_form form, const char *label, const char *plain,
    const char *want)
{
	char	out[16], name[64];
	size_t	len = strlen(plain), n;

	n = base64_encode_buf(form, (const unsigned char *)plain, len, out);
	snprintf(name, sizeof(name), "%s encoding of '%s'", label, plain);
	is_str(out, want, name);
	is_int(n, strlen(want), "its length is returned");
	ok(decodes(form, want, plain, len), "and decodes back");
}

static void
test_vectors(void)
{
	static const struct {
		const char	*plain, *std, *url;
	} v[] = {
		{ "", "", "" },
		{ "f", "Zg==", "Zg" },
		{ "fo", "Zm8=", "Zm8" },
		{ "foo", "Zm9v", "Zm9v" },
		{ "foob", "Zm9vYg==", "Zm9vYg" },
		{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
	};
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		known_answer(BASE64_STD, "standard", v[i].plain, v[i].std);
		known_answer(BASE64_URL, "base64url", v[i].plain, v[i].url);
	}
}

static void
test_alphabets(void)
{
	static const unsigned char	 plus[] = { 0xfb, 0xef, 0xbe };
	static const unsigned char	 slash[] = { 0xff, 0xff, 0xff };
	static const unsigned char	 mixed[] = { 0xfb, 0xff };
	char				 out[8];

	base64_encode_buf(BASE64_STD, plus, 3, out);
	is_str(out, "++++", "62 is '+' in the standard alphabet");
	base64_encode_buf(BASE64_URL, plus, 3, out);
	is_str(out, "----", "62 is '-' in base64url");
	base64_encode_buf(BASE64_STD, slash, 3, out);
	is_str(out, "////", "63 is '/' in the standard alphabet");
	base64_encode_buf(BASE64_URL, slash, 3, out);
	is_str(out, "____", "63 is '_' in base64url");
	base64_encode_buf(BASE64_STD, mixed, 2, out);
	is_str(out, "+/8=", "standard pads");
	base64_encode_buf(BASE64_URL, mixed, 2, out);
	is_str(out, "-_8", "base64url does not");
	ok(decodes(BASE64_STD, "+/8=", mixed, 2), "'+/' decode as standard");
	ok(decodes(BASE64_URL, "-_8", mixed, 2), "'-_' decode as base64url");
	ok(refused(BASE64_STD, "-_8="), "'-_' are refused as standard");
	ok(refused(BASE64_URL, "+/8"), "'+/' are refused as base64url");
	ok(refused(BASE64_URL, "-_8="), "padding is refused in base64url");
}

static void
test_non_canonical(void)
{
	static const char	*std[] = {
		"Zm9", "Zm9vY", "Zm9vYg", "Zm9vYg=",	/* length */
		"Zg", "Zg=", "Zg===", "Z===", "====", "Zm8==",	/* padding */
		"=Zm9", "Zg==Zm9v", "Zm9v====", "Zm=v",	/* misplaced '=' */
		"Zh==", "Zm9=", "Zv==",		/* bits past the last byte */
		"Zm9!", "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9v",	/* characters */
		"\tZm9v", "Zm9v\r\n", "Zm9v-A==", "Zm9v_A==",
		NULL,
	};
	static const char	*url[] = {
		"Z", "Zm9vY",			/* a lone last character */
		"Zh", "Zm9", "Zv", "Zm-",	/* bits past the last byte */
		"Zg==", "Zm8=", "Zm9v=", "=Zm9",	/* any '=' */
		"Zm9v+A", "Zm9v/A", "Zm9!", " Zm9v", "Zm9v\n", "Zm 9",
		NULL,
	};
	size_t			 i, bad = 0;

	for (i = 0; std[i] != NULL; i++)
		if (!refused(BASE64_STD, std[i]))
			bad++;
	is_int(bad, 0, "no non-canonical standard text decodes");
	for (i = bad = 0; url[i] != NULL; i++)
		if (!refused(BASE64_URL, url[i]))
			bad++;
	is_int(bad, 0, "no non-canonical base64url text decodes");

	/* The only set bits that may follow the last byte are none. */
	ok(refused(BASE64_STD, "Zh=="), "a set bit under '==' is refused");
	ok(refused(BASE64_STD, "Zm9="), "a set bit under '=' is refused");
	ok(refused(BASE64_URL, "Zh"), "a set bit after 1 byte is refused");
	ok(refused(BASE64_URL, "Zm9"), "a set bit after 2 bytes is refused");
	ok(decodes(BASE64_URL, "Zg", "f", 1), "'Zg' is canonical for 'f'");
}

static void
test_empty_and_room(void)
{
	unsigned char	buf[8];
	char		out[4] = "xyz";
	size_t		n;

	is_int(base64_encode_buf(BASE64_STD, NULL, 0, out), 0,
	    "nothing encodes to nothing");
	is_str(out, "", "and is NUL-terminated");
	n = sizeof(buf);
	ok(base64_decode_buf(BASE64_STD, "", 0, buf, &n) && n == 0,
	    "empty standard text decodes to zero bytes");
	n = sizeof(buf);
	ok(base64_decode_buf(BASE64_URL, "", 0, buf, &n) && n == 0,
	    "empty base64url text decodes to zero bytes");

	n = 6;
	ok(base64_decode_buf(BASE64_STD, "Zm9vYmFy", 8, buf, &n) && n == 6,
	    "six bytes fit a room of six");
	n = 5;
	ok(!base64_decode_buf(BASE64_STD, "Zm9vYmFy", 8, buf, &n) && n == 0,
	    "six bytes do not fit a room of five");
	n = 5;
	ok(base64_decode_buf(BASE64_URL, "Zm9vYmE", 7, buf, &n) && n == 5,
	    "five bytes fit a room of five");
	n = 4;
	ok(!base64_decode_buf(BASE64_URL, "Zm9vYmE", 7, buf, &n),
	    "five bytes do not fit a room of four");
	n = 0;
	ok(!base64_decode_buf(BASE64_STD, "AAAAAAAAAAAAAAAA", 16, buf, &n),
	    "far too long for the room is refused");
	n = 0;
	ok(base64_decode_buf(BASE64_STD, "", 0, buf, &n),
	    "nothing fits a room of zero");
}

/*
 * Round trips of every length across two chunks (768 bytes, 1024
 * characters each), and texts whose only flaw sits at a chunk edge.
 */
static void
test_round_trip(void)
{
	enum { MAX = 2 * 768 + 10 };
	unsigned char	*in, *back;
	char		*text;
	size_t		 len, n, m, bad = 0;
	int		 f;

	in = malloc(MAX);
	back = malloc(MAX);
	text = malloc(BASE64_LEN(MAX) + 1);
	for (len = 0; len < MAX; len++)
		in[len] = (unsigned char)(len * 131 + 7);
	for (f = BASE64_STD; f <= BASE64_URL; f++)
		for (len = 0; len <= MAX; len++) {
			n = base64_encode_buf(f, in, len, text);
			m = len;
			if (n != strlen(text) || (f == BASE64_STD &&
			    n != BASE64_LEN(len)) ||
			    !base64_decode_buf(f, text, n, back, &m) ||
			    m != len || memcmp(in, back, len) != 0)
				bad++;
		}
	is_int(bad, 0, "every length round trips in both forms");

	/* 768 bytes are exactly one chunk; one more byte starts a second. */
	n = base64_encode_buf(BASE64_STD, in, 769, text);
	text[1025] = 'B';	/* the second chunk "xy==": a bit past y */
	m = MAX;
	ok(!base64_decode_buf(BASE64_STD, text, n, back, &m),
	    "a stray bit in the second chunk is refused");
	n = base64_encode_buf(BASE64_STD, in, 766, text);	/* ends "==" */
	memcpy(text + n, "AAAA", 5);
	m = MAX;
	ok(!base64_decode_buf(BASE64_STD, text, n + 4, back, &m),
	    "padding at the end of the first chunk is refused");
	n = base64_encode_buf(BASE64_URL, in, 1000, text);
	text[n - 1] = text[n - 1] == 'A' ? 'B' : 'A';
	m = MAX;
	ok(!base64_decode_buf(BASE64_URL, text, n, back, &m) ||
	    memcmp(in, back, 1000) != 0,
	    "an altered last character never gives the same bytes");
	n = base64_encode_buf(BASE64_STD, in, 1000, text);
	text[500] = ' ';
	m = MAX;
	ok(!base64_decode_buf(BASE64_STD, text, n, back, &m),
	    "a space inside a long text is refused");
	free(in);
	free(back);
	free(text);
}

static void
test_arena(void)
{
	struct arena	*a = arena_new();
	unsigned char	*raw = (unsigned char *)"x";
	size_t		 len = 1;
	char		*s;

	s = base64_encode(a, (const unsigned char *)"foobar", 6);
	is_str(s, "Zm9vYmFy", "arena encode is standard");
	s = base64_encode(a, (const unsigned char *)"", 0);
	is_str(s, "", "arena encode of nothing is empty");
	ok(base64_decode(a, "Zm9vYg==", 8, &raw, &len) && len == 4 &&
	    strcmp((char *)raw, "foob") == 0,
	    "arena decode NUL-terminates the bytes");
	ok(base64_decode(a, "", 0, &raw, &len) && len == 0 && raw != NULL &&
	    raw[0] == '\0', "arena decode of nothing gives zero bytes");
	ok(!base64_decode(a, "Zm9vYg", 6, &raw, &len) && raw == NULL &&
	    len == 0, "arena decode is standard form, padded");
	ok(!base64_decode(a, "Zm9v\n", 5, &raw, &len) && raw == NULL,
	    "arena decode refuses whitespace");
	arena_free(a);
}

int
main(void)
{
	test_vectors();
	test_alphabets();
	test_non_canonical();
	test_empty_and_room();
	test_round_trip();
	test_arena();
	return tap_done();
}
