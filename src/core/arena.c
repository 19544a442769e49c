/*
 * A bump allocator over a chain of blocks plus a cleanup stack.  Large
 * requests get a block of their own; after a reset only the first block
 * survives, so a request that needed a lot does not pin it forever.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	16

struct block {
	struct block	*next;
	size_t		 size;		/* usable bytes after the header */
	size_t		 used;
	/* data follows, aligned */
};

struct cleanup {
	struct cleanup	*next;
	void		(*fn)(void *);
	void		*ptr;
};

struct arena {
	struct block	*head;		/* current block, first in chain */
	struct cleanup	*cleanups;
};

#define BLOCK_HDR	((sizeof(struct block) + ARENA_ALIGN - 1) & \
			    ~(size_t)(ARENA_ALIGN - 1))

static void
out_of_memory(void)
{
	fputs("cloudsim: out of memory\n", stderr);
	abort();
}

static struct block *
block_new(size_t size)
{
	struct block	*b;

	if ((b = malloc(BLOCK_HDR + size)) == NULL)
		out_of_memory();
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(void)
{
	struct arena	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->head = block_new(ARENA_BLOCK);
	return a;
}

static void
run_cleanups(struct arena *a)
{
	struct cleanup	*c;

	/* The cleanup records live in the arena itself: read next first. */
	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->ptr);
	}
}

void
arena_reset(struct arena *a)
{
	struct block	*b, *next, *keep = NULL;

	run_cleanups(a);
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && b->size == ARENA_BLOCK)
			keep = b;
		else
			free(b);
	}
	if (keep == NULL)
		keep = block_new(ARENA_BLOCK);
	keep->next = NULL;
	keep->used = 0;
	a->head = keep;
}

void
arena_free(struct arena *a)
{
	struct block	*b, *next;

	if (a == NULL)
		return;
	run_cleanups(a);
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b;
	size_t		 need;

	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		out_of_memory();
	b = a->head;
	if (b->size - b->used < need) {
		if (need > ARENA_BLOCK / 4) {
			/* Big: its own block, behind the current one. */
			b = block_new(need);
			b->next = a->head->next;
			a->head->next = b;
			b->used = need;
			return (char *)b + BLOCK_HDR;
		}
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	b->used += need;
	return (char *)b + BLOCK_HDR + b->used - need;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		out_of_memory();
	p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 copy;
	char	*p;
	int	 n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		out_of_memory();
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct cleanup	*c;

	if (ptr == NULL)
		return;
	c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
}
