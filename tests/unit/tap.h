/*
 * A tiny TAP producer for the C unit tests, read by prove(1).
 * Usage: ok(cond, "name"); is_int(got, want, "name"); is_str(...);
 * and end main with "return tap_done();", which prints the plan.
 */
#ifndef CLOUDSIM_TAP_H
#define CLOUDSIM_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *name)
{
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
	if (!cond)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), __FILE__, __LINE__, (name))

#define is_int(got, want, name) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!ok(g_ == w_, (name)))					\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (!ok(same_, (name)))						\
		printf("#   got '%s', want '%s'\n",			\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

static inline void
tap_diag(const char *msg)
{
	printf("# %s\n", msg);
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif
