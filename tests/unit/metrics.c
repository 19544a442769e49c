/*
 * The metrics store: counts land in the process's own file, several
 * processes' files sum to one series, a dead process's file is taken
 * over by the next process (so totals never go backwards), keys are
 * bounded (methods, overflow), a foreign file is remade, and latencies
 * fall in the right buckets.  Child processes stand for the FastCGI
 * processes.  Last, the hook's cost is measured and printed (never
 * asserted).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/metrics.h"
#include "core/request.h"
#include "tap.h"

#define BENCH_CALLS	1000000

static void
record(const char *service, const char *method, const char *route,
    int status, const char *code, double ms)
{
	struct request	req;
	struct response	res;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.service = service;
	req.method = method;
	req.route = route;
	res.status = status;
	res.error_code = code;
	metrics_record(&req, &res, ms);
}

/* Run fn in a child that opens its own file, as a new process would. */
static void
in_child(void (*fn)(void))
{
	pid_t	pid;
	int	st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		metrics_close();	/* the parent's file is not ours */
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
}

static void
five_gets(void)
{
	int	i;

	for (i = 0; i < 5; i++)
		record("unit", "GET", "/api/v1/things/{id}", 200, NULL, 2.0);
}

static void
two_gets(void)
{
	record("unit", "GET", "/api/v1/things/{id}", 200, NULL, 2.0);
	record("unit", "GET", "/api/v1/things/{id}", 200, NULL, 2.0);
}

static void
many_routes(void)
{
	char	route[64];
	int	i;

	for (i = 0; i < 600; i++) {
		snprintf(route, sizeof(route), "/r/%d", i);
		record("flood", "GET", route, 200, NULL, 1.0);
	}
}

static void
foreign_file_owner(void)
{
	record("unit2", "POST", "/x", 201, NULL, 1.0);
}

static const struct metrics_series *
find(const struct metrics_totals *t, const char *exe, const char *method,
    const char *route, int status, const char *code)
{
	size_t	i;

	for (i = 0; i < t->nseries; i++)
		if (strcmp(t->series[i].executable, exe) == 0 &&
		    strcmp(t->series[i].method, method) == 0 &&
		    strcmp(t->series[i].route, route) == 0 &&
		    t->series[i].status == status &&
		    strcmp(t->series[i].code, code) == 0)
			return &t->series[i];
	return NULL;
}

static const struct metrics_file *
file_of(const struct metrics_totals *t, const char *exe, unsigned index)
{
	size_t	i;

	for (i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i].executable, exe) == 0 &&
		    t->files[i].index == index)
			return &t->files[i];
	return NULL;
}

static size_t
files_of(const struct metrics_totals *t, const char *exe)
{
	size_t	i, n = 0;

	for (i = 0; i < t->nfiles; i++)
		n += strcmp(t->files[i].executable, exe) == 0;
	return n;
}

static double
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Only the hook is timed: the requests are made beforehand. */
static void
bench(void)
{
	static const char *const routes[] = { "/api/v1/vpcs",
	    "/api/v1/vpcs/{id}", "/api/v1/subnets", "/api/v1/subnets/{id}",
	    "/api/v1/security-groups/{id}/rules", "/health/vpcs" };
	static const char *const codes[] = { NULL, NULL, NULL,
	    "InvalidVpcID.NotFound" };
	struct request	req[24];
	struct response	res[24];
	char		msg[160];
	double		t0, t1;
	int		i;

	memset(req, 0, sizeof(req));
	memset(res, 0, sizeof(res));
	for (i = 0; i < 24; i++) {
		req[i].service = "bench";
		req[i].method = i & 1 ? "GET" : "POST";
		req[i].route = routes[i % 6];
		res[i].error_code = codes[i & 3];
		res[i].status = codes[i & 3] ? 404 : 200;
	}
	t0 = now_ns();
	for (i = 0; i < BENCH_CALLS; i++)
		metrics_record(&req[i % 24], &res[i % 24], 1.5);
	t1 = now_ns();
	snprintf(msg, sizeof(msg), "metrics_record: %.1f ns per call "
	    "(%d calls over 24 keys)", (t1 - t0) / BENCH_CALLS, BENCH_CALLS);
	tap_diag(msg);
}

int
main(void)
{
	char				 dir[] = "/tmp/cloudsim-metrics-XXXXXX";
	char				 path[256];
	struct arena			*a = arena_new();
	struct metrics_totals		 t;
	const struct metrics_series	*s;
	const struct metrics_file	*f;
	FILE				*junk;
	int				 i, saved, null = -1;

	if (mkdtemp(dir) == NULL)
		return 1;
	config_set("data_directory", dir);

	ok(metrics_collect(a, &t) && t.nseries == 0 && t.nfiles == 0,
	    "no directory yet: nothing counted, no error");

	for (i = 0; i < 3; i++)
		record("unit", "GET", "/api/v1/things/{id}", 200, NULL, 2.0);
	ok(metrics_collect(a, &t), "collect");
	s = find(&t, "unit", "GET", "/api/v1/things/{id}", 200, "");
	ok(s != NULL && s->count == 3, "three requests in this process");
	f = file_of(&t, "unit", 0);
	ok(f != NULL && f->live && f->requests == 3,
	    "the process owns unit.0, which is live");

	in_child(five_gets);
	arena_reset(a);
	metrics_collect(a, &t);
	s = find(&t, "unit", "GET", "/api/v1/things/{id}", 200, "");
	ok(s != NULL && s->count == 8, "a second process's counts are summed");
	f = file_of(&t, "unit", 1);
	ok(f != NULL && !f->live && f->requests == 5,
	    "it counted in unit.1, which outlives it");

	in_child(two_gets);
	arena_reset(a);
	metrics_collect(a, &t);
	s = find(&t, "unit", "GET", "/api/v1/things/{id}", 200, "");
	ok(s != NULL && s->count == 10, "a third process adds to the total");
	f = file_of(&t, "unit", 1);
	ok(files_of(&t, "unit") == 2 && f != NULL && f->requests == 7,
	    "it took over the dead process's file: no new file, no reset");
	ok(s != NULL && s->buckets[1] == 10 && s->sum_us == 20000,
	    "2 ms lands in the 2.5 ms bucket; the sum is exact");

	record("unit", "GET", "/api/v1/things/{id}", 404,
	    "InvalidThingID.NotFound", 0.2);
	record("unit", "BREW", NULL, 404, "UnknownOperation", 20000);
	record("unit", "DELETE", "/api/v1/things/{id}", 200, NULL, 0);
	arena_reset(a);
	metrics_collect(a, &t);
	s = find(&t, "unit", "GET", "/api/v1/things/{id}", 404,
	    "InvalidThingID.NotFound");
	ok(s != NULL && s->count == 1 && s->buckets[0] == 1,
	    "errors are their own series, by code");
	s = find(&t, "unit", "OTHER", "(unmatched)", 404, "UnknownOperation");
	ok(s != NULL, "an unmatched route and an unknown method are bounded "
	    "labels");
	ok(s != NULL && s->buckets[METRICS_NBUCKETS - 1] == 1,
	    "20 s lands in +Inf");
	s = find(&t, "unit", "GET", "/api/v1/things/{id}", 200, "");
	ok(s != NULL && s->count == 10 && (s = find(&t, "unit", "DELETE",
	    "/api/v1/things/{id}", 200, "")) != NULL && s->count == 1,
	    "methods are separate series");

	in_child(many_routes);
	arena_reset(a);
	metrics_collect(a, &t);
	s = find(&t, "flood", "OTHER", "(overflow)", 0, "");
	{
		unsigned long long	total = 0;
		size_t			n = 0, k;

		for (k = 0; k < t.nseries; k++)
			if (strcmp(t.series[k].executable, "flood") == 0) {
				total += t.series[k].count;
				n++;
			}
		ok(s != NULL && n < 512 && total == 600,
		    "a flood of keys is bounded and loses no count");
	}

	snprintf(path, sizeof(path), "%s/run/metrics/unit2.0", dir);
	if ((junk = fopen(path, "w")) != NULL) {
		fputs("not a metrics file", junk);
		fclose(junk);
	}
	in_child(foreign_file_owner);
	arena_reset(a);
	metrics_collect(a, &t);
	s = find(&t, "unit2", "POST", "/x", 201, "");
	ok(s != NULL && s->count == 1 && file_of(&t, "unit2", 0) != NULL,
	    "a file that is not a metrics file is remade by its taker");

	metrics_close();
	arena_reset(a);
	metrics_collect(a, &t);
	f = file_of(&t, "unit", 0);
	ok(f != NULL && !f->live && f->requests == 6,
	    "closed: the file stays, no longer live");

	bench();
	metrics_close();

	/* Their log lines are expected: keep them off the TAP stream. */
	fflush(stderr);
	saved = dup(2);
	if ((null = open("/dev/null", O_WRONLY)) >= 0)
		dup2(null, 2);
	config_set("data_directory", "/dev/null/nowhere");
	record("unit", "GET", "/", 200, NULL, 1);
	ok(1, "an unusable directory turns metrics off without failing");
	arena_reset(a);
	ok(!metrics_collect(a, &t), "and collect reports it");
	fflush(stderr);
	if (saved >= 0)
		dup2(saved, 2);
	if (null >= 0)
		close(null);
	if (saved >= 0)
		close(saved);

	arena_free(a);
	config_free();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		tap_diag("could not remove the temporary directory");
	return tap_done();
}
