/*
 * libpq behind sql.h; one connection for the test program's lifetime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "sql.h"

static PGconn	*conn;

static void
disconnect(void)
{
	PQfinish(conn);
}

static PGconn *
db(void)
{
	char		 ci[1024];
	const char	*host = getenv("CLOUDSIM_PGHOST");
	const char	*user = getenv("CLOUDSIM_PGUSER");

	if (conn != NULL)
		return conn;
	snprintf(ci, sizeof(ci), "host=%s port=5432 dbname=cloudsim user=%s",
	    host ? host : "var/run", user ? user : "postgres");
	conn = PQconnectdb(ci);
	if (PQstatus(conn) != CONNECTION_OK)
		printf("# sql: %s", PQerrorMessage(conn));
	atexit(disconnect);
	return conn;
}

static PGresult *
run(const char *sql, int n, const char *const *params)
{
	PGresult	*r = PQexecParams(db(), sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType	 st = PQresultStatus(r);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		printf("# sql: %s", PQresultErrorMessage(r));
		PQclear(r);
		return NULL;
	}
	return r;
}

const char *
sql_value(const char *sql, int n, const char *const *params)
{
	static char	 value[8192];
	PGresult	*r;

	if ((r = run(sql, n, params)) == NULL)
		return NULL;
	value[0] = '\0';
	if (PQntuples(r) > 0 && PQnfields(r) > 0)
		snprintf(value, sizeof(value), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return value;
}

long
sql_exec(const char *sql, int n, const char *const *params)
{
	PGresult	*r;
	long		 rows;

	if ((r = run(sql, n, params)) == NULL)
		return -1;
	rows = atol(PQcmdTuples(r));
	PQclear(r);
	return rows;
}
