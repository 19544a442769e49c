/*
 * replay.c — the boto3 floors of the bench: a libfcgi responder that
 * answers an EC2 Query request with the answer cloudsim gave to the same
 * action earlier in the run, read from $FLOOR_REPLAY_DIR/<Action>.xml
 * (bench.py records them).  It checks no signature, so a boto3 client
 * looping against it measures what the client, lighttpd and the FastCGI
 * hop cost a call: the least any server behind this lighttpd could give
 * that client.
 *
 * Under /floor/replay-pg it first runs one prepared primary-key SELECT
 * on $FLOOR_PG (account_row.h, pk_select.c's; its row unused): the least a server that
 * reads its database once a call could give.  On this kind of machine
 * the database's hop costs a boto3 client far more than wrk shows,
 * because between two calls every process of the server goes idle and
 * each wake-up is slow (bench/README.md).
 *
 * A request whose Action has no recorded answer gets a 400 with an EC2
 * error document, which boto3 raises; a failed SELECT, a 500.
 * Requests end as cloudsim's do (src/core/fcgi_finish.h).
 * Built by bench/run.sh: cc -O2 -Isrc/core replay.c -lpq -lfcgi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#include "account_row.h"
#include "fcgi_finish.h"

#define MAX_BODY	(64 * 1024)
#define MAX_ANSWER	(1024 * 1024)

/* The value of the form's Action field into out (letters and digits). */
static int
form_action(const char *body, char *out, size_t outsz)
{
	const char	*p = body;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "Action=", 7) == 0) {
			p += 7;
			for (n = 0; n + 1 < outsz && ((p[n] >= 'A' && p[n] <= 'Z') ||
			    (p[n] >= 'a' && p[n] <= 'z') ||
			    (p[n] >= '0' && p[n] <= '9')); n++)
				out[n] = p[n];
			out[n] = '\0';
			return n > 0;
		}
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return 0;
}

/*
 * One prepared primary-key SELECT on *c, connected (and the statement
 * prepared) on first use and again after a lost connection; false when
 * it fails.
 */
static int
database_read(PGconn **c, long rows)
{
	const char	*conninfo = getenv("FLOOR_PG");
	PGresult	*r;
	char		 id[24];
	const char	*p[1] = { id };
	int		 ok;

	if (*c != NULL && PQstatus(*c) == CONNECTION_BAD) {
		PQfinish(*c);
		*c = NULL;
	}
	if (*c == NULL && (conninfo == NULL ||
	    (*c = account_row_connect(conninfo, "replay")) == NULL))
		return 0;
	snprintf(id, sizeof(id), "%ld", 1 + random() % rows);
	r = PQexecPrepared(*c, "account", 1, p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (!ok)
		fprintf(stderr, "replay: %s", PQerrorMessage(*c));
	PQclear(r);
	return ok;
}

/* The recorded answer to action into buf; its length, or -1. */
static long
recorded(const char *dir, const char *action, char *buf, size_t bufsz)
{
	char	 path[4096];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), "%s/%s.xml", dir, action);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, bufsz, f);
	fclose(f);
	return (long)n;
}

int
main(void)
{
	static char	 body[MAX_BODY + 1], answer[MAX_ANSWER];
	static const char missing[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Response><Errors><Error><Code>InvalidAction</Code><Message>no "
	    "recorded answer</Message></Error></Errors><RequestID>0</RequestID>"
	    "</Response>";
	FCGX_Request	 r;
	PGconn		*c = NULL;
	const char	*dir = getenv("FLOOR_REPLAY_DIR"), *cl, *uri;
	const char	*env = getenv("FLOOR_ROWS");
	char		 action[65];
	size_t		 want;
	long		 len, rows = env != NULL ? strtol(env, NULL, 10) : 100000;
	int		 got;

	if (dir == NULL || rows < 1 || FCGX_Init() != 0 ||
	    FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	srandom(12345);
	while (FCGX_Accept_r(&r) >= 0) {
		uri = FCGX_GetParam("REQUEST_URI", r.envp);
		if (uri != NULL && strncmp(uri, "/floor/replay-pg", 16) == 0 &&
		    !database_read(&c, rows)) {
			FCGX_FPrintF(r.out, "Status: 500 Internal Server Error\r\n"
			    "Content-Type: text/plain\r\n\r\nno database\n");
			fcgi_finish(&r);
			continue;
		}
		cl = FCGX_GetParam("CONTENT_LENGTH", r.envp);
		want = cl != NULL ? strtoul(cl, NULL, 10) : 0;
		if (want > MAX_BODY)
			want = MAX_BODY;
		got = FCGX_GetStr(body, (int)want, r.in);
		body[got > 0 ? got : 0] = '\0';
		len = form_action(body, action, sizeof(action)) ?
		    recorded(dir, action, answer, sizeof(answer)) : -1;
		if (len >= 0) {
			FCGX_FPrintF(r.out, "Status: 200 OK\r\n"
			    "Content-Type: text/xml;charset=UTF-8\r\n"
			    "Content-Length: %d\r\n\r\n", (int)len);
			FCGX_PutStr(answer, (int)len, r.out);
		} else {
			FCGX_FPrintF(r.out, "Status: 400 Bad Request\r\n"
			    "Content-Type: text/xml;charset=UTF-8\r\n"
			    "Content-Length: %d\r\n\r\n", (int)strlen(missing));
			FCGX_PutS(missing, r.out);
		}
		fcgi_finish(&r);
	}
	PQfinish(c);
	return 0;
}
