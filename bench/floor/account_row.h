/*
 * account_row.h: the database read of the bench's FastCGI floors, the
 * query pgbench -S runs (one row of pgbench_accounts by primary key),
 * prepared once per connection as "account".  pk_select.c answers with
 * the row; replay.c under /floor/replay-pg only waits for it.
 *
 * Header-only, like src/core/fcgi_finish.h: each floor is one file
 * built by bench/run.sh.
 */
#ifndef BENCH_ACCOUNT_ROW_H
#define BENCH_ACCOUNT_ROW_H

#include <stdio.h>

#include <libpq-fe.h>

static const char account_row_sql[] =
    "SELECT aid, bid, abalance, filler FROM pgbench_accounts WHERE aid = $1";

/*
 * A connection to conninfo with "account" prepared, or NULL (the error
 * on stderr after who).
 */
static inline PGconn *
account_row_connect(const char *conninfo, const char *who)
{
	PGconn		*c = PQconnectdb(conninfo);
	PGresult	*r = NULL;

	if (PQstatus(c) == CONNECTION_OK) {
		r = PQprepare(c, "account", account_row_sql, 1, NULL);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			return c;
		}
	}
	fprintf(stderr, "%s: %s", who, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return NULL;
}

#endif
