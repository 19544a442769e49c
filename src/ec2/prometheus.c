/*
 * The exposition.  Families come out in a fixed order, each with its
 * HELP and TYPE lines and all its samples together, as the format
 * requires; series are sorted, so two scrapes of the same state are
 * byte-identical.  The route is public: Prometheus carries no cloudsim
 * credentials, and nothing here names an account or a resource — only
 * counts by executable, route template, code, region and state (see
 * docs/operations.md on restricting it in the web server).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/error.h"
#include "core/metrics.h"
#include "core/request.h"
#include "prometheus.h"

#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/*
 * One row per sample: metric is one of the names in gauges[] below,
 * region and state may be NULL.  The function skips the views that do
 * not exist (yet), so a scrape never fails on a missing resource.
 */
static struct db_stmt q_gauges = DB_STMT(
    "SELECT metric, region, state, value FROM cloudsim.metrics_gauges()"
    " ORDER BY metric, region NULLS FIRST, state NULLS FIRST");

/* The resource gauges: SQL's metric name, exposition name, help. */
static const struct {
	const char	*metric;
	const char	*name;
	const char	*state_label;	/* the state column's label name */
	const char	*help;
} gauges[] = {
	{ "accounts", "cloudsim_accounts", NULL,
	  "Registered accounts." },
	{ "blockchains", "cloudsim_blockchains", NULL,
	  "Blockchains (cloudsim.v_blockchains)." },
	{ "instances", "cloudsim_instances", "state",
	  "Instances by region and effective state (cloudsim.v_instances)." },
	{ "subnets", "cloudsim_subnets", NULL,
	  "Subnets by region (cloudsim.v_subnets)." },
	{ "volume_gib", "cloudsim_volume_size_gib", "volume_type",
	  "Provisioned GiB of volumes by region and type "
	  "(cloudsim.v_volumes)." },
	{ "volumes", "cloudsim_volumes", "state",
	  "Volumes by region and effective state (cloudsim.v_volumes)." },
	{ "vpcs", "cloudsim_vpcs", NULL, "VPCs by region (cloudsim.v_vpcs)." },
};
#define NGAUGES	(sizeof(gauges) / sizeof(gauges[0]))

/* A label value with \, " and newline escaped, as 0.0.4 asks. */
static void
put_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
put_label(FILE *f, bool *first, const char *name, const char *value)
{
	fprintf(f, "%s%s=\"", *first ? "{" : ",", name);
	put_value(f, value);
	fputc('"', f);
	*first = false;
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static bool
same_route(const struct metrics_series *a, const struct metrics_series *b)
{
	return strcmp(a->executable, b->executable) == 0 &&
	    strcmp(a->route, b->route) == 0 && strcmp(a->method, b->method) == 0;
}

/* The series are sorted: the rows of one status (several codes) adjoin. */
static void
requests(FILE *f, const struct metrics_totals *t)
{
	unsigned long long	 n;
	char			 status[16];
	bool			 first;
	size_t			 i, j;

	family(f, "cloudsim_http_requests_total", "counter",
	    "Requests answered, by executable, route template, method and "
	    "status.");
	for (i = 0; i < t->nseries; i = j) {
		for (j = i, n = 0; j < t->nseries &&
		    t->series[j].status == t->series[i].status &&
		    same_route(&t->series[i], &t->series[j]); j++)
			n += t->series[j].count;
		first = true;
		fputs("cloudsim_http_requests_total", f);
		put_label(f, &first, "executable", t->series[i].executable);
		put_label(f, &first, "route", t->series[i].route);
		put_label(f, &first, "method", t->series[i].method);
		snprintf(status, sizeof(status), "%d", t->series[i].status);
		put_label(f, &first, "status", status);
		fprintf(f, "} %llu\n", n);
	}
}

static void
histogram_labels(FILE *f, const struct metrics_series *s)
{
	bool	first = true;

	put_label(f, &first, "executable", s->executable);
	put_label(f, &first, "route", s->route);
	put_label(f, &first, "method", s->method);
}

static void
durations(FILE *f, const struct metrics_totals *t)
{
	unsigned long long	 buckets[METRICS_NBUCKETS], sum_us, count, cum;
	size_t			 i, j, b;
	char			 le[32];

	family(f, "cloudsim_http_request_duration_seconds", "histogram",
	    "Time from taking a request to having written its answer, by "
	    "executable, route template and method.");
	for (i = 0; i < t->nseries; i = j) {
		memset(buckets, 0, sizeof(buckets));
		sum_us = count = 0;
		for (j = i; j < t->nseries &&
		    same_route(&t->series[i], &t->series[j]); j++) {
			for (b = 0; b < METRICS_NBUCKETS; b++)
				buckets[b] += t->series[j].buckets[b];
			sum_us += t->series[j].sum_us;
			count += t->series[j].count;
		}
		for (b = 0, cum = 0; b < METRICS_NBUCKETS; b++) {
			cum += buckets[b];
			if (b < METRICS_NBOUNDS)
				snprintf(le, sizeof(le), "%g",
				    metrics_bucket_bounds[b]);
			else
				snprintf(le, sizeof(le), "+Inf");
			fputs("cloudsim_http_request_duration_seconds_bucket", f);
			histogram_labels(f, &t->series[i]);
			fprintf(f, ",le=\"%s\"} %llu\n", le, cum);
		}
		fputs("cloudsim_http_request_duration_seconds_sum", f);
		histogram_labels(f, &t->series[i]);
		fprintf(f, "} %llu.%06llu\n", sum_us / 1000000, sum_us % 1000000);
		fputs("cloudsim_http_request_duration_seconds_count", f);
		histogram_labels(f, &t->series[i]);
		fprintf(f, "} %llu\n", count);
	}
}

struct code_count {
	const char		*executable;
	const char		*code;
	unsigned long long	 n;
};

static int
code_cmp(const void *pa, const void *pb)
{
	const struct code_count *a = pa, *b = pb;
	int	c;

	if ((c = strcmp(a->executable, b->executable)) != 0)
		return c;
	return strcmp(a->code, b->code);
}

static void
errors(FILE *f, struct arena *a, const struct metrics_totals *t)
{
	struct code_count	*c;
	size_t			 i, k, n = 0;
	bool			 first;

	family(f, "cloudsim_http_errors_total", "counter",
	    "Error answers by executable and error code.");
	c = arena_calloc(a, t->nseries + 1, sizeof(*c));
	for (i = 0; i < t->nseries; i++) {
		if (t->series[i].code[0] == '\0')
			continue;
		for (k = 0; k < n && (strcmp(c[k].code, t->series[i].code) != 0 ||
		    strcmp(c[k].executable, t->series[i].executable) != 0); k++)
			;
		if (k == n) {
			c[n].executable = t->series[i].executable;
			c[n++].code = t->series[i].code;
		}
		c[k].n += t->series[i].count;
	}
	qsort(c, n, sizeof(*c), code_cmp);
	for (k = 0; k < n; k++) {
		first = true;
		fputs("cloudsim_http_errors_total", f);
		put_label(f, &first, "executable", c[k].executable);
		put_label(f, &first, "code", c[k].code);
		fprintf(f, "} %llu\n", c[k].n);
	}
}

static void
processes(FILE *f, const struct metrics_totals *t)
{
	char	slot[16];
	bool	first;
	size_t	i, j, live;

	family(f, "cloudsim_process_requests_total", "counter",
	    "Requests counted in each process slot of an executable (a slot "
	    "is one process at a time, taken over when it exits): how the "
	    "web server spreads the load.");
	for (i = 0; i < t->nfiles; i++) {
		first = true;
		fputs("cloudsim_process_requests_total", f);
		put_label(f, &first, "executable", t->files[i].executable);
		snprintf(slot, sizeof(slot), "%u", t->files[i].index);
		put_label(f, &first, "slot", slot);
		fprintf(f, "} %llu\n", t->files[i].requests);
	}
	family(f, "cloudsim_processes", "gauge",
	    "Processes of each executable running now.");
	for (i = 0; i < t->nfiles; i = j) {
		for (j = i, live = 0; j < t->nfiles &&
		    strcmp(t->files[j].executable, t->files[i].executable) == 0;
		    j++)
			live += t->files[j].live;
		first = true;
		fputs("cloudsim_processes", f);
		put_label(f, &first, "executable", t->files[i].executable);
		fprintf(f, "} %zu\n", live);
	}
}

/* The gauges' rows are ordered by metric, so each family is one run. */
static void
resources(FILE *f, const PGresult *r)
{
	const char	*metric, *region, *state, *prev = NULL;
	bool		 first;
	size_t		 g;
	int		 row;

	for (row = 0; row < PQntuples(r); row++) {
		metric = db_get(r, row, "metric");
		for (g = 0; g < NGAUGES && strcmp(gauges[g].metric, metric) != 0;
		    g++)
			;
		if (g == NGAUGES)
			continue;
		if (prev == NULL || strcmp(prev, metric) != 0)
			family(f, gauges[g].name, "gauge", gauges[g].help);
		prev = metric;
		region = db_get(r, row, "region");
		state = db_get(r, row, "state");
		first = true;
		fputs(gauges[g].name, f);
		if (region != NULL)
			put_label(f, &first, "region", region);
		if (state != NULL && gauges[g].state_label != NULL)
			put_label(f, &first, gauges[g].state_label, state);
		fprintf(f, "%s %s\n", first ? "" : "}", db_get(r, row, "value"));
	}
}

bool
prometheus_rest_metrics(struct request *req, struct response *res,
    struct api_error *err)
{
	struct metrics_totals	 t;
	struct api_error	 dberr;
	PGresult		*gauge_rows;
	FILE			*f;
	char			*text = NULL;
	size_t			 len = 0;

	if (!metrics_collect(req->arena, &t))
		return api_error_internal(err);
	gauge_rows = db_exec(req, &q_gauges, 0, NULL, &dberr);
	if ((f = open_memstream(&text, &len)) == NULL)
		return api_error_internal(err);
	family(f, "cloudsim_build_info", "gauge",
	    "The running build: version and git revision.");
	fprintf(f, "cloudsim_build_info{version=\"%s\",build=\"%s\"} 1\n",
	    CLOUDSIM_VERSION, CLOUDSIM_BUILD);
	requests(f, &t);
	durations(f, &t);
	errors(f, req->arena, &t);
	processes(f, &t);
	family(f, "cloudsim_database_up", "gauge",
	    "1 when this scrape could read the database, else 0 (and no "
	    "resource gauges follow).");
	fprintf(f, "cloudsim_database_up %d\n", gauge_rows != NULL);
	if (gauge_rows != NULL)
		resources(f, gauge_rows);
	if (fclose(f) != 0 || text == NULL) {
		free(text);
		return api_error_internal(err);
	}
	arena_defer(req->arena, free, text);
	res->status = 200;
	res->body = text;
	res->body_len = len;
	res->content_type = CONTENT_TYPE;
	return true;
}
