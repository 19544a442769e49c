/*
 * Quoting for array literals: every element double-quoted, with '"' and
 * '\' escaped, so no value can end the element or the array early.
 */
#include <string.h>

#include "arena.h"
#include "pgarray.h"

const char *
pgarray_text(struct arena *a, const char *const *v, size_t n,
    int null_if_empty)
{
	size_t		 i, len = 3;
	const char	*c;
	char		*s, *p;

	if (n == 0)
		return null_if_empty ? NULL : "{}";
	for (i = 0; i < n; i++)
		len += strlen(v[i]) * 2 + 3;
	p = s = arena_alloc(a, len);
	*p++ = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		for (c = v[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return s;
}
