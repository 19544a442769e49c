/*
 * Clients send arbitrary bytes; JSON and XML carry only valid UTF-8.
 * utf8_valid tells, utf8_clean replaces each invalid byte with '?'.
 */
#ifndef CLOUDSIM_UTF8_H
#define CLOUDSIM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

bool		 utf8_valid(const char *s, size_t len);
/* s itself when valid, else a cleaned copy in the arena. */
const char	*utf8_clean(struct arena *, const char *s);

#endif
