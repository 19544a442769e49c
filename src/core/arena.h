/*
 * Request-scoped memory.  Everything a request allocates comes from its
 * arena or registers a cleanup on it, and arena_reset() once the answer
 * is sent gives it all back, so a process that serves
 * millions of requests does not grow.  Blocks are kept between requests
 * (up to a cap) to spare malloc on the hot path.
 */
#ifndef CLOUDSIM_ARENA_H
#define CLOUDSIM_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena	*arena_new(void);		/* NULL on ENOMEM */
void		 arena_free(struct arena *);	/* runs cleanups, frees all */
void		 arena_reset(struct arena *);	/* runs cleanups, keeps one block */

/* Valid until the next reset; abort()s on ENOMEM like xmalloc. */
void		*arena_alloc(struct arena *, size_t);
void		*arena_calloc(struct arena *, size_t, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		*arena_vprintf(struct arena *, const char *, va_list);

/*
 * Run fn(ptr) at the next reset, last registered first.  Used for
 * PGresult, json_t and xmlDoc, which have their own allocators.
 * A NULL ptr is ignored.
 */
void		 arena_defer(struct arena *, void (*fn)(void *), void *ptr);

#endif
