/*
 * Request metrics that cover every process of every executable: each
 * process counts into its own memory-mapped file under
 * <data_directory>/run/metrics/, and a scraper sums the files.
 *
 * A file is named <executable>.<n> and belongs to the process holding
 * an exclusive flock(2) on it; the lock goes when the process does, and
 * the next process of that executable takes the file over and counts
 * on from where it stood.  So no counter ever goes backwards, and the
 * number of files is the largest number of processes an executable
 * ever ran at once.  docs/operations.md explains the choice against an
 * UNLOGGED table.
 *
 * A file holds fixed-size slots keyed by (method, route template,
 * status, error code); only the owner writes, with plain (relaxed
 * atomic) increments, so recording costs no lock and no system call.
 */
#ifndef CLOUDSIM_METRICS_H
#define CLOUDSIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct request;
struct response;

/* Latency buckets: upper bounds in seconds; the last bucket is +Inf. */
#define METRICS_NBOUNDS		13
#define METRICS_NBUCKETS	(METRICS_NBOUNDS + 1)
extern const double metrics_bucket_bounds[METRICS_NBOUNDS];

/*
 * Count one answered request (req->service, req->method, req->route,
 * res->status, res->error_code) that took duration_ms.  Called by the
 * request loop once per request, after the response is written.  The
 * first call opens the process's file; when that fails (say a
 * read-only data directory) a warning is logged once and metrics stay
 * off for the process.  Never fails the request.
 */
void	metrics_record(const struct request *, const struct response *,
	    double duration_ms);

/*
 * Give the process's file back (unmap, unlock).  Optional: process exit
 * does the same.  The next metrics_record opens a file again.
 */
void	metrics_close(void);

/* One series: the counts of one key, summed over every file. */
struct metrics_series {
	const char		*executable;
	const char		*method;	/* GET, POST, …, or OTHER */
	const char		*route;		/* template, or "(unmatched)" */
	const char		*code;		/* "" when no error */
	int			 status;
	unsigned long long	 count;		/* the buckets' sum */
	unsigned long long	 sum_us;	/* total duration, µs */
	unsigned long long	 buckets[METRICS_NBUCKETS]; /* not cumulative */
};

/* One file, that is one process slot of an executable. */
struct metrics_file {
	const char		*executable;
	unsigned		 index;		/* the <n> of its name */
	bool			 live;		/* a process owns it now */
	unsigned long long	 requests;	/* all it ever counted */
};

struct metrics_totals {
	struct metrics_series	*series;	/* by executable, route, */
	size_t			 nseries;	/* method, status, code */
	struct metrics_file	*files;		/* by executable, index */
	size_t			 nfiles;
};

/*
 * Sum every file of the metrics directory.  Everything in out lives in
 * the arena (until its reset).  A missing directory is no traffic yet;
 * false (with a log line) only when the directory cannot be read.
 */
bool	metrics_collect(struct arena *, struct metrics_totals *out);

#endif
