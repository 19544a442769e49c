/*
 * The process's one libpq connection.  Statement handles are named "s1",
 * "s2", … in the order first used and remember which connection
 * ("generation") they were prepared on, so that after a reconnect each
 * is prepared again on first use.
 *
 * Reconnection rule: before a request's first statement the idle
 * connection is probed (a backend that went away, as in a restart,
 * leaves its end of the socket readable at EOF) and re-opened if it is
 * gone.  A connection found broken on a request's first statement is
 * re-opened and the statement retried once, unless its pipeline
 * carried COMMIT: that transaction may have committed before the break.
 * A break later in a request fails it with 503, because whether its
 * writes committed is unknown.
 *
 * A guard (db_guard) is a check that must pass before the request's
 * statements run.  It travels in one pipeline with the next statement:
 * both are in the implicit transaction that ends at the pipeline's
 * Sync, so when the guard raises, PostgreSQL skips the statement and
 * nothing of it happens; when it passes, the request has paid one round
 * trip for both.  A guard that fails is remembered: every later
 * statement of the request is refused with its error until
 * db_guard_settle hands that error to the request loop.
 *
 * A transaction's BEGIN travels the same way, with the transaction's
 * first statement (after the guard, which it then takes into the
 * transaction): a write pays no round trip for BEGIN alone.  So do the
 * writes a transaction defers (db_defer: an audit row, rows nothing
 * reads back): they go with its next statement, at the latest its
 * COMMIT.  And COMMIT itself goes with the transaction's last statement
 * when the transaction says which one that is (db_commit_with_next: a
 * create reading back what it made), so that it pays no round trip of
 * its own either.
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "log.h"
#include "request.h"

#define MAX_CONSTRAINT_TABLES	16

static PGconn		*conn;
static unsigned long	 conn_gen;	/* bumped on every new connection */
static unsigned long	 next_stmt;
static int		 stmts_this_request;
static bool		 in_transaction;
static bool		 begin_pending;	/* BEGIN goes with the next statement */
static bool		 commit_pending; /* COMMIT goes with the next one */
static bool		 committed;	/* it went, and the transaction is over */
static char		 last_sqlstate[6];
static char		*conninfo;

#define GUARD_PARAMS_MAX	8

static struct {
	struct db_stmt	*st;		/* pending; NULL once it has run */
	int		 n;
	const char	*params[GUARD_PARAMS_MAX];
	bool		 failed;
	struct api_error err;		/* why, when failed */
} guard;

static struct db_stmt q_begin = DB_STMT("BEGIN");
static struct db_stmt q_commit = DB_STMT("COMMIT");

#define DEFER_MAX		8

/* Statements db_defer queued: they go before the next one. */
static struct {
	struct db_stmt		*st[DEFER_MAX];
	int			 n[DEFER_MAX];
	const char *const	*params[DEFER_MAX];
	int			 count;
} deferred;

static const struct db_constraint *constraint_tables[MAX_CONSTRAINT_TABLES];
static size_t		 nconstraint_tables;

void
db_register_constraints(const struct db_constraint *table)
{
	if (nconstraint_tables < MAX_CONSTRAINT_TABLES)
		constraint_tables[nconstraint_tables++] = table;
}

const char *
db_conninfo(void)
{
	const char	*cfg, *dir;
	char		 abs[PATH_MAX];
	size_t		 len;

	if (conninfo != NULL)
		return conninfo;
	cfg = config_get("db");
	if (*cfg != '\0') {
		conninfo = strdup(cfg);
	} else {
		dir = config_get("data_directory");
		if (realpath(dir, abs) == NULL)
			snprintf(abs, sizeof(abs), "%s", dir);
		len = strlen(abs) + 128;
		if ((conninfo = malloc(len)) != NULL)
			snprintf(conninfo, len, "host=%s/run dbname=cloudsim "
			    "user=cloudsim_app", abs);
	}
	if (conninfo == NULL)
		abort();
	return conninfo;
}

/*
 * Whether the idle connection still stands.  Nothing is due on it
 * between requests (results are all read, no NOTIFY is listened to), so
 * a readable socket means its backend spoke first, which in practice
 * means its last words: a terminated backend sends its FATAL and closes.
 * Then the connection is dropped; a new one costs nothing that matters
 * next to a restart.
 */
static bool
conn_alive(void)
{
	struct pollfd	p;

	p.fd = PQsocket(conn);
	p.events = POLLIN;
	p.revents = 0;
	return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

/*
 * The session's search_path is the one every SECURITY DEFINER function
 * pins (cloudsim, pg_temp; tests/sql/operator.sql holds them to it).
 * PostgreSQL plans a PL/pgSQL function's queries again whenever it runs
 * under another search_path than the one they were planned under, and
 * the triggers' functions run both ways: called by the app's statements
 * and by the functions that pin it.  With "cloudsim, public" each such
 * call re-planned (the check behind an instance document's rebuild:
 * 0.062 ms a call instead of 0.009), about 0.5 ms of PostgreSQL for a
 * RunInstances and its TerminateInstances.  Nothing the app reads is in
 * public; pg_temp last keeps temporary objects from shadowing ours.
 */
static bool
connect_db(void)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "fallback_application_name", "options", NULL };
	const char	*vals[] = { db_conninfo(), config_get("db_connect_timeout"),
			    "cloudsim", "-c search_path=cloudsim,pg_temp", NULL };

	if (conn != NULL)
		PQfinish(conn);
	/* expand_dbname: the first "dbname" may be a whole conninfo. */
	conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(conn) != CONNECTION_OK) {
		log_msg(LOG_ERROR, "database connection failed: %s",
		    PQerrorMessage(conn));
		PQfinish(conn);
		conn = NULL;
		return false;
	}
	conn_gen++;
	in_transaction = false;
	return true;
}

void
db_close(void)
{
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	free(conninfo);
	conninfo = NULL;
}

void
db_request_start(void)
{
	stmts_this_request = 0;
	in_transaction = false;
	begin_pending = false;
	commit_pending = false;
	committed = false;
	deferred.count = 0;
	guard.st = NULL;
	guard.failed = false;
}

static bool
unavailable(struct api_error *err)
{
	return api_error_set(err, 503, "ServiceUnavailable",
	    "the service is temporarily unavailable; try again");
}

/* Map a failed result to an API error: named constraints first. */
static bool
map_error(const PGresult *res, struct api_error *err)
{
	const char	*state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char	*cname = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	const char	*msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const struct db_constraint *c;
	size_t		 i;

	snprintf(last_sqlstate, sizeof(last_sqlstate), "%s",
	    state ? state : "");
	if (cname != NULL)
		for (i = 0; i < nconstraint_tables; i++)
			for (c = constraint_tables[i]; c->name != NULL; c++)
				if (strcmp(c->name, cname) == 0)
					return api_error_set(err, c->status,
					    c->code, "%s", c->message);
	if (state == NULL)
		return unavailable(err);
	/* Raised by our own SQL functions: the message is for the client. */
	if (strcmp(state, "P0001") == 0 && msg != NULL) {
		const char *hint = PQresultErrorField(res,
		    PG_DIAG_MESSAGE_HINT);
		const char *detail = PQresultErrorField(res,
		    PG_DIAG_MESSAGE_DETAIL);
		int status = detail != NULL ? atoi(detail) : 400;
		if (hint != NULL && status >= 400 && status < 600) {
			/* hint carries the code, detail the status */
			static char code[64];
			snprintf(code, sizeof(code), "%s", hint);
			return api_error_set(err, status, code, "%s", msg);
		}
	}
	log_msg(LOG_WARN, "sql error %s (%s): %s", state,
	    cname ? cname : "-", msg ? msg : "-");
	if (strcmp(state, "23505") == 0)
		return api_error_set(err, 409, "ResourceAlreadyExists",
		    "a resource with these values already exists");
	if (strcmp(state, "23P01") == 0)
		return api_error_set(err, 409, "ResourceConflict",
		    "the request conflicts with an existing resource");
	if (strcmp(state, "23503") == 0)
		return api_error_set(err, 409, "DependencyViolation",
		    "the resource has dependencies or depends on a missing one");
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 ||
	    strncmp(state, "22", 2) == 0)
		return api_error_invalid(err, "a parameter value is invalid");
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strcmp(state, "53300") == 0)
		return unavailable(err);
	return api_error_internal(err);
}

/* Prepare st on this connection if it is not yet: NULL, or the failure. */
static PGresult *
prepare(struct db_stmt *st)
{
	PGresult	*res;

	if (st->conn_gen == conn_gen)
		return NULL;
	if (st->name[0] == '\0')
		snprintf(st->name, sizeof(st->name), "s%lu", ++next_stmt);
	res = PQprepare(conn, st->name, st->sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;
	PQclear(res);
	st->conn_gen = conn_gen;
	return NULL;
}

static PGresult *
exec_once(struct db_stmt *st, int n, const char *const *params)
{
	PGresult	*res;

	if ((res = prepare(st)) != NULL)
		return res;
	return PQexecPrepared(conn, st->name, n, params, NULL, NULL, 0);
}

/*
 * A generic statement (DB_STMT_GENERIC) runs between these two, in the
 * same pipeline: plan_cache_mode is read when a statement is bound, and
 * SET is undone with the transaction when anything in between fails.
 */
static struct db_stmt q_generic_on = DB_STMT(
    "SET plan_cache_mode = force_generic_plan");
static struct db_stmt q_generic_off = DB_STMT("RESET plan_cache_mode");

struct piped {
	struct db_stmt		*st;
	int			 n;
	const char *const	*params;
};

/* What went with a statement, when something did (NULL otherwise). */
struct piped_results {
	PGresult	*guard;		/* the pending guard's result */
	PGresult	*deferred;	/* the first deferred write that failed */
	PGresult	*commit;	/* COMMIT's, when it went after st */
};

static void
piped_clear(struct piped_results *pr)
{
	PQclear(pr->guard);
	PQclear(pr->deferred);
	PQclear(pr->commit);
	pr->guard = pr->deferred = pr->commit = NULL;
}

/*
 * st in one pipeline with what goes with it: the pending guard first
 * (pr->guard is its result), then a transaction's pending BEGIN, the
 * deferred statements (pr->deferred is the first that failed, if one
 * did), for a generic statement the plan mode switch around it, and
 * then a pending COMMIT (pr->commit).  BEGIN turns the pipeline's
 * implicit transaction into the explicit one, so the guard is checked
 * inside it and the transaction stays open after the Sync.  st's result
 * is returned (PGRES_PIPELINE_ABORTED when the guard or a deferred
 * statement failed, and then nothing after it ran; COMMIT does not run
 * when st fails).  When a statement cannot be prepared its failure is
 * returned and nothing has run: the guard (pr->guard NULL), BEGIN, the
 * deferred statements and COMMIT stay pending.  A pipeline that does
 * not end in its Sync leaves the connection closed, which the caller
 * treats as a broken connection.
 */
static PGresult *
exec_piped(struct db_stmt *st, int n, const char *const *params,
    struct piped_results *pr)
{
	struct piped	 q[6 + DEFER_MAX];
	PGresult	*res = NULL, *x;
	ExecStatusType	 rs;
	int		 nq = 0, at_guard = -1, at_defer, at_st, at_commit = -1,
			 done = 0, i;

	if (guard.st != NULL) {
		at_guard = nq;
		q[nq++] = (struct piped){ guard.st, guard.n, guard.params };
	}
	if (begin_pending)
		q[nq++] = (struct piped){ &q_begin, 0, NULL };
	at_defer = nq;
	for (i = 0; i < deferred.count; i++)
		q[nq++] = (struct piped){ deferred.st[i], deferred.n[i],
		    deferred.params[i] };
	if (st->generic)
		q[nq++] = (struct piped){ &q_generic_on, 0, NULL };
	at_st = nq;
	q[nq++] = (struct piped){ st, n, params };
	if (st->generic)
		q[nq++] = (struct piped){ &q_generic_off, 0, NULL };
	if (commit_pending) {
		at_commit = nq;
		q[nq++] = (struct piped){ &q_commit, 0, NULL };
	}
	for (i = 0; i < nq; i++)
		if ((res = prepare(q[i].st)) != NULL)
			return res;
	if (PQenterPipelineMode(conn) != 1)
		goto broken;
	for (i = 0; i < nq; i++)
		if (PQsendQueryPrepared(conn, q[i].st->name, q[i].n,
		    q[i].params, NULL, NULL, 0) != 1)
			goto broken;
	if (PQpipelineSync(conn) != 1)
		goto broken;
	for (;;) {
		if ((x = PQgetResult(conn)) == NULL) {
			/* Each query's results end with a NULL. */
			if (PQstatus(conn) == CONNECTION_BAD || ++done > nq)
				goto broken;
			continue;
		}
		rs = PQresultStatus(x);
		if (rs == PGRES_PIPELINE_SYNC) {
			PQclear(x);
			break;
		}
		if (done == at_guard && pr->guard == NULL)
			pr->guard = x;
		else if (done == at_st && res == NULL)
			res = x;
		else if (done == at_commit && pr->commit == NULL)
			pr->commit = x;
		else if (done >= at_defer && done < at_defer + deferred.count &&
		    pr->deferred == NULL && rs != PGRES_COMMAND_OK &&
		    rs != PGRES_TUPLES_OK && rs != PGRES_PIPELINE_ABORTED)
			pr->deferred = x;
		else
			PQclear(x);
	}
	if (done == nq && PQexitPipelineMode(conn) == 1) {
		begin_pending = false;
		deferred.count = 0;
		return res;
	}
broken:
	piped_clear(pr);
	PQclear(res);
	PQfinish(conn);
	conn = NULL;
	return NULL;
}

/* st alone, or in a pipeline with what goes with it (exec_piped). */
static PGresult *
run(struct db_stmt *st, int n, const char *const *params,
    struct piped_results *pr)
{
	*pr = (struct piped_results){ NULL, NULL, NULL };
	if (guard.st != NULL || begin_pending || deferred.count > 0 ||
	    commit_pending || st->generic)
		return exec_piped(st, n, params, pr);
	return exec_once(st, n, params);
}

static void
pqclear_cb(void *p)
{
	PQclear(p);
}

static void
copy_error(struct api_error *to, const struct api_error *from)
{
	if (to != NULL)
		*to = *from;
}

void
db_guard(struct db_stmt *st, int n, const char *const *params)
{
	int	i;

	if (n > GUARD_PARAMS_MAX)
		abort();
	guard.st = st;
	guard.n = n;
	for (i = 0; i < n; i++)
		guard.params[i] = params[i];
}

/* Run a pending guard by itself; false (guard.failed) when it fails. */
static bool
guard_alone(struct request *req)
{
	struct db_stmt	*st = guard.st;

	if (st != NULL) {
		guard.st = NULL;
		if (db_exec(req, st, guard.n, guard.params, &guard.err) == NULL)
			guard.failed = true;
	}
	return !guard.failed;
}

bool
db_guard_settle(struct request *req, struct api_error *err)
{
	if (guard_alone(req))
		return true;
	/* Handed over: the request loop's own statements may run now. */
	guard.failed = false;
	copy_error(err, &guard.err);
	return false;
}

PGresult *
db_exec(struct request *req, struct db_stmt *st, int n,
    const char *const *params, struct api_error *err)
{
	struct piped_results pr;
	PGresult	*res;
	ExecStatusType	 rs;
	bool		 first = stmts_this_request++ == 0;
	/* Nothing has run yet when this statement opens the transaction. */
	bool		 opens = begin_pending;
	/* ... unless COMMIT goes with it: then it may all have run. */
	bool		 commits = commit_pending;

	last_sqlstate[0] = '\0';
	if (guard.failed) {
		copy_error(err, &guard.err);
		return NULL;
	}
	if (first && conn != NULL && !conn_alive()) {
		PQfinish(conn);
		conn = NULL;
	}
	if (conn == NULL && !connect_db()) {
		unavailable(err);
		return NULL;
	}
	res = run(st, n, params, &pr);
	if (PQstatus(conn) == CONNECTION_BAD) {
		PQclear(res);
		piped_clear(&pr);
		res = NULL;
		if (first && !commits && (!in_transaction || opens) &&
		    connect_db())
			res = run(st, n, params, &pr);
		if (res == NULL || PQstatus(conn) == CONNECTION_BAD) {
			PQclear(res);
			piped_clear(&pr);
			if (conn != NULL) {
				PQfinish(conn);
				conn = NULL;
			}
			unavailable(err);
			return NULL;
		}
	}
	if (pr.guard != NULL) {
		/* The guard went with st: its verdict comes first. */
		guard.st = NULL;
		rs = PQresultStatus(pr.guard);
		if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
			map_error(pr.guard, &guard.err);
			guard.failed = true;
			piped_clear(&pr);
			PQclear(res);
			copy_error(err, &guard.err);
			return NULL;
		}
	}
	if (pr.deferred != NULL) {
		/* A deferred write failed: st did not run. */
		map_error(pr.deferred, err);
		piped_clear(&pr);
		PQclear(res);
		return NULL;
	}
	rs = PQresultStatus(res);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
		/* COMMIT, if it went too, did not run: the caller rolls back. */
		map_error(res, err);
		piped_clear(&pr);
		PQclear(res);
		return NULL;
	}
	if (pr.commit != NULL) {
		/* st ran; its answer counts only if the transaction holds. */
		commit_pending = false;
		if (PQresultStatus(pr.commit) != PGRES_COMMAND_OK) {
			map_error(pr.commit, err);
			piped_clear(&pr);
			PQclear(res);
			return NULL;
		}
		committed = true;
		in_transaction = false;
	}
	piped_clear(&pr);
	arena_defer(req->arena, pqclear_cb, res);
	return res;
}

void
db_commit_with_next(void)
{
	if (in_transaction && !committed)
		commit_pending = true;
}

bool
db_defer(struct request *req, struct db_stmt *st, int n,
    const char *const *params, struct api_error *err)
{
	const char	**copy;
	int		  i;

	if (!in_transaction || guard.failed || deferred.count == DEFER_MAX)
		return db_exec(req, st, n, params, err) != NULL;
	copy = arena_calloc(req->arena, (size_t)n + 1, sizeof(*copy));
	for (i = 0; i < n; i++)
		copy[i] = params[i] != NULL ?
		    arena_strdup(req->arena, params[i]) : NULL;
	deferred.st[deferred.count] = st;
	deferred.n[deferred.count] = n;
	deferred.params[deferred.count] = copy;
	deferred.count++;
	return true;
}

static struct db_stmt q_rollback = DB_STMT("ROLLBACK");

static bool
retryable(void)
{
	return strcmp(last_sqlstate, "40001") == 0 ||
	    strcmp(last_sqlstate, "40P01") == 0;
}

bool
db_transaction(struct request *req,
    bool (*fn)(struct request *, void *, struct api_error *),
    void *arg, struct api_error *err)
{
	int	attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		/*
		 * BEGIN is not sent alone: it goes in one round trip with the
		 * transaction's first statement (and the guard, if pending),
		 * and the deferred writes go with COMMIT at the latest.
		 */
		begin_pending = true;
		in_transaction = true;
		commit_pending = committed = false;
		deferred.count = 0;
		if (fn(req, arg, err) && (committed ||
		    (begin_pending && deferred.count == 0) ||
		    db_exec(req, &q_commit, 0, NULL, err) != NULL)) {
			/* A transaction that made no statement never began. */
			begin_pending = false;
			in_transaction = false;
			commit_pending = committed = false;
			return true;
		}
		begin_pending = false;
		commit_pending = false;
		deferred.count = 0;
		if (conn != NULL && PQtransactionStatus(conn) != PQTRANS_IDLE)
			db_exec(req, &q_rollback, 0, NULL, NULL);
		in_transaction = false;
		/* fn failed after its last statement: what it wrote stays. */
		if (committed) {
			committed = false;
			return false;
		}
		if (!retryable())
			return false;
		log_msg(LOG_INFO, "retrying transaction after %s",
		    last_sqlstate);
	}
	return false;
}

const char *
db_get(const PGresult *res, int row, const char *col)
{
	int	c;

	if ((c = PQfnumber(res, col)) < 0) {
		log_msg(LOG_ERROR, "no column '%s' in result", col);
		abort();
	}
	if (PQgetisnull(res, row, c))
		return NULL;
	return PQgetvalue(res, row, c);
}

bool
db_get_bool(const PGresult *res, int row, const char *col)
{
	const char	*v = db_get(res, row, col);

	return v != NULL && v[0] == 't';
}

long long
db_get_int(const PGresult *res, int row, const char *col)
{
	const char	*v = db_get(res, row, col);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static struct db_stmt q_ping = DB_STMT("SELECT 1");

bool
db_ping(struct request *req)
{
	return db_exec(req, &q_ping, 0, NULL, NULL) != NULL;
}
