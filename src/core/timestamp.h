/*
 * RFC 3339 UTC timestamps with milliseconds, the only time format on the
 * wire: 2026-01-31T12:00:00.000Z.  Times read from PostgreSQL are
 * formatted by SQL (see db.h, DB_TIMESTAMP); this is for process time.
 */
#ifndef CLOUDSIM_TIMESTAMP_H
#define CLOUDSIM_TIMESTAMP_H

#include <time.h>

#define TIMESTAMP_LEN	24	/* without the NUL */

/* Format now (CLOCK_REALTIME) into buf, which holds TIMESTAMP_LEN + 1. */
void	timestamp_now(char buf[TIMESTAMP_LEN + 1]);
void	timestamp_format(const struct timespec *, char buf[TIMESTAMP_LEN + 1]);

/* Milliseconds on the monotonic clock, for durations. */
double	timestamp_monotonic_ms(void);

#endif
