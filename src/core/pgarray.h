/*
 * PostgreSQL array literals for text[] parameters: one parameter can
 * carry any number of ids or filter values, so one static statement
 * serves every list length.
 */
#ifndef CLOUDSIM_PGARRAY_H
#define CLOUDSIM_PGARRAY_H

#include <stddef.h>

struct arena;

/* {"a","b\"c"}; NULL when n is 0 and null_if_empty, else "{}". */
const char	*pgarray_text(struct arena *, const char *const *values,
		    size_t n, int null_if_empty);

#endif
