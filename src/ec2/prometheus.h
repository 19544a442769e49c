/*
 * GET /metrics: the Prometheus text exposition format 0.0.4.  Request
 * counters and latency histograms come from every process's metrics
 * file (core/metrics.h); resource gauges are counted by the database at
 * scrape time (cloudsim.metrics_gauges, sql/008_operator.sql).  Served
 * by ec2.fcgi, the web servers' catch-all, so one scrape target covers
 * every executable of the host.
 */
#ifndef CLOUDSIM_EC2_PROMETHEUS_H
#define CLOUDSIM_EC2_PROMETHEUS_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

/*
 * The exposition, 200 text/plain; version=0.0.4.  When the database is
 * down the counters are still answered, with cloudsim_database_up 0 and
 * no resource gauges.  500 only when the metrics directory cannot be
 * read.
 */
bool	prometheus_rest_metrics(struct request *, struct response *,
	    struct api_error *);

#endif
