/*
 * Base64 by table.  OpenSSL's EVP_DecodeBlock would accept and pad
 * input this module must refuse, so decoding is written out; four
 * characters make three bytes, and the last group's padding says how
 * many of them are real.
 */
#include <string.h>

#include "core/arena.h"
#include "base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
base64_encode(struct arena *a, const unsigned char *in, size_t len)
{
	char		*out = arena_alloc(a, BASE64_LEN(len) + 1), *p = out;
	unsigned long	 v;
	size_t		 i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = alphabet[v >> 6 & 63];
		*p++ = alphabet[v & 63];
	}
	if (i < len) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)in[i + 1] << 8;
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

/* 0..63 for an alphabet character, -1 for anything else. */
static int
value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool
base64_decode(struct arena *a, const char *s, size_t len,
    unsigned char **out, size_t *outlen)
{
	unsigned char	*buf, *p;
	unsigned long	 v;
	size_t		 i, j, pad = 0;
	int		 d;

	*out = NULL;
	*outlen = 0;
	if (len % 4 != 0)
		return false;
	if (len > 0 && s[len - 1] == '=')
		pad = len > 1 && s[len - 2] == '=' ? 2 : 1;
	p = buf = arena_alloc(a, len / 4 * 3 + 1);
	for (i = 0; i < len; i += 4) {
		v = 0;
		for (j = 0; j < 4; j++) {
			if (i + j >= len - pad) {
				v <<= 6;	/* padding */
				continue;
			}
			if ((d = value(s[i + j])) < 0)
				return false;
			v = v << 6 | (unsigned long)d;
		}
		*p++ = (unsigned char)(v >> 16);
		if (i + 4 < len || pad < 2)
			*p++ = (unsigned char)(v >> 8);
		if (i + 4 < len || pad < 1)
			*p++ = (unsigned char)v;
		/* The bits under the padding must be zero (canonical form). */
		if (i + 4 == len && ((pad == 1 && (v & 0xff) != 0) ||
		    (pad == 2 && (v & 0xffff) != 0)))
			return false;
	}
	*p = '\0';
	*out = buf;
	*outlen = (size_t)(p - buf);
	return true;
}
