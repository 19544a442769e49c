/*
 * Wall-clock and monotonic time.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timestamp.h"

void
timestamp_format(const struct timespec *ts, char buf[TIMESTAMP_LEN + 1])
{
	struct tm	tm;
	char		tmp[64];

	gmtime_r(&ts->tv_sec, &tm);
	/* tmp is large enough for any int; the format fits 24 for real dates. */
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, ts->tv_nsec / 1000000);
	memcpy(buf, tmp, TIMESTAMP_LEN);
	buf[TIMESTAMP_LEN] = '\0';
}

void
timestamp_now(char buf[TIMESTAMP_LEN + 1])
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	timestamp_format(&ts, buf);
}

double
timestamp_monotonic_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
