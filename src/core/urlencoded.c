/*
 * Percent-decoding and key/value splitting.  Two passes over the input:
 * count the pieces to size the array, then decode each one.
 */
#include <string.h>

#include "arena.h"
#include "error.h"
#include "hex.h"
#include "urlencoded.h"

bool
percent_decode(struct arena *a, const char *s, size_t len,
    bool plus_is_space, char **out, struct api_error *err)
{
	char	*d;
	size_t	 i, j = 0;
	int	 hi, lo;

	d = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3)
				return api_error_invalid(err,
				    "malformed percent-encoding: '%%' must be "
				    "followed by two hex digits");
			hi = hex_value(s[i + 1]);
			lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return api_error_invalid(err,
				    "malformed percent-encoding: '%%%c%c' is not "
				    "a hex escape", s[i + 1], s[i + 2]);
			if (hi == 0 && lo == 0)
				return api_error_invalid(err,
				    "malformed percent-encoding: '%%00' (NUL) is "
				    "not allowed");
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '\0') {
			return api_error_invalid(err,
			    "NUL bytes are not allowed in the query");
		} else if (s[i] == '+' && plus_is_space)
			d[j++] = ' ';
		else
			d[j++] = s[i];
	}
	d[j] = '\0';
	*out = d;
	return true;
}

bool
urlencoded_parse(struct arena *a, const char *s, size_t len,
    struct kvlist *out, struct api_error *err)
{
	const char	*p, *end = s + len, *amp, *eq;
	char		*key, *val;
	size_t		 n = 1, i;

	out->items = NULL;
	out->n = 0;
	if (s == NULL || len == 0)
		return true;
	for (i = 0; i < len; i++)
		if (s[i] == '&')
			n++;
	out->items = arena_calloc(a, n, sizeof(struct kv));
	for (p = s; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (!percent_decode(a, p, (size_t)(eq - p), true, &key, err))
			return false;
		if (eq == amp)
			val = arena_strdup(a, "");
		else if (!percent_decode(a, eq + 1, (size_t)(amp - eq - 1),
		    true, &val, err))
			return false;
		out->items[out->n].key = key;
		out->items[out->n].value = val;
		out->n++;
		if (amp == end)
			break;
	}
	return true;
}

const char *
kvlist_get(const struct kvlist *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

size_t
kvlist_count(const struct kvlist *l, const char *key)
{
	size_t	i, n = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			n++;
	return n;
}
