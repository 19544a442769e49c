/*
 * A strict UTF-8 check (no overlongs, no surrogates, nothing past
 * U+10FFFF), as jansson and libxml2 apply it.
 */
#include <string.h>

#include "arena.h"
#include "utf8.h"

/* Length of the valid sequence at s (at most len bytes), or 0. */
static size_t
seq_len(const unsigned char *s, size_t len)
{
	unsigned int	cp;
	size_t		n, i;

	if (s[0] < 0x80)
		return s[0] == 0 ? 0 : 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (i < len) {
		if ((n = seq_len(p + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

const char *
utf8_clean(struct arena *a, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len, i = 0, n;
	char			*out;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (utf8_valid(s, len))
		return s;
	out = arena_strndup(a, s, len);
	while (i < len) {
		if ((n = seq_len(p + i, len - i)) == 0) {
			out[i] = '?';
			n = 1;
		}
		i += n;
	}
	return out;
}
