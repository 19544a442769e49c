/*
 * pk_select.c — the FastCGI+PostgreSQL floor of the bench: per request,
 * one prepared primary-key SELECT with libpq (the query pgbench -S runs,
 * on a random row of pgbench_accounts), the row turned into JSON with
 * jansson, and the answer written.  It is what the simplest possible
 * cloudsim read would cost: one connection per process, one statement
 * prepared once, one round trip per request.
 *
 * Environment: FLOOR_PG (libpq connection string, required), FLOOR_ROWS
 * (rows in pgbench_accounts, default 100000), FLOOR_BODY_BYTES (pad the
 * JSON to this size, default: no padding).
 * Requests end as cloudsim's do (src/core/fcgi_finish.h).
 * Built by bench/run.sh with pkg-config's libpq and jansson, -Isrc/core
 * and -lfcgi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "account_row.h"
#include "fcgi_finish.h"

/*
 * The row of account aid as a JSON text padded to pad bytes, or NULL.
 * Caller frees.
 */
static char *
account_json(PGconn *c, long aid, size_t pad)
{
	PGresult	*r;
	json_t		*o = NULL;
	char		 id[24], *text = NULL;
	const char	*p[1] = { id };
	size_t		 n;

	snprintf(id, sizeof(id), "%ld", aid);
	r = PQexecPrepared(c, "account", 1, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		goto out;
	o = json_pack("{s:I, s:I, s:I, s:s}",
	    "aid", (json_int_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10),
	    "bid", (json_int_t)strtoll(PQgetvalue(r, 0, 1), NULL, 10),
	    "abalance", (json_int_t)strtoll(PQgetvalue(r, 0, 2), NULL, 10),
	    "filler", PQgetvalue(r, 0, 3));
	if (o == NULL)
		goto out;
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		goto out;
	n = strlen(text);
	if (pad > n + 12) {
		/* Re-dump with a "pad" member making up the difference. */
		size_t	 fill = pad - n - 10;	/* ,"pad":"" = 10 bytes */
		char	*x = malloc(fill + 1);

		if (x != NULL) {
			memset(x, 'x', fill);
			x[fill] = '\0';
			json_object_set_new(o, "pad", json_string(x));
			free(x);
			free(text);
			text = json_dumps(o, JSON_COMPACT);
		}
	}
out:
	/* Frees: the result and the object; text is the caller's. */
	json_decref(o);
	PQclear(r);
	return text;
}

int
main(void)
{
	FCGX_Request	 req;
	PGconn		*c;
	const char	*conninfo, *env;
	char		*body, head[128];
	long		 rows;
	size_t		 pad;

	if ((conninfo = getenv("FLOOR_PG")) == NULL)
		return 2;
	env = getenv("FLOOR_ROWS");
	rows = env != NULL ? strtol(env, NULL, 10) : 100000;
	env = getenv("FLOOR_BODY_BYTES");
	pad = env != NULL ? strtoul(env, NULL, 10) : 0;
	if ((c = account_row_connect(conninfo, "pk_select")) == NULL)
		return 1;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	srandom(12345);
	while (FCGX_Accept_r(&req) >= 0) {
		body = account_json(c, 1 + random() % rows, pad);
		if (body != NULL) {
			/* snprintf: libfcgi's own formatter lacks %zu. */
			snprintf(head, sizeof(head), "Status: 200 OK\r\n"
			    "Content-Type: application/json\r\n"
			    "Content-Length: %zu\r\n\r\n", strlen(body));
			FCGX_PutS(head, req.out);
			FCGX_PutS(body, req.out);
			free(body);
		} else {
			FCGX_FPrintF(req.out, "Status: 500 Internal Server Error\r\n"
			    "Content-Type: text/plain\r\n\r\n%s",
			    PQerrorMessage(c));
			if (PQstatus(c) == CONNECTION_BAD) {
				/* A new connection needs its statement again. */
				PQfinish(c);
				c = account_row_connect(conninfo, "pk_select");
				if (c == NULL)
					return 1;
			}
		}
		fcgi_finish(&req);
	}
	PQfinish(c);
	return 0;
}
