/*
 * PostgreSQL access: one persistent connection per process, statements
 * prepared once per connection, transactions retried once on
 * serialization failure or deadlock, and the one table that turns a
 * SQLSTATE (or a named constraint) into an API error.
 *
 * When the server is unreachable every call fails with 503
 * ServiceUnavailable and the next request tries to connect again, so a
 * process outlives a database restart.
 */
#ifndef CLOUDSIM_DB_H
#define CLOUDSIM_DB_H

#include <stdbool.h>

#include <libpq-fe.h>

struct request;
struct api_error;

/*
 * A statement: its SQL lives beside the function that runs it, as
 *	static struct db_stmt q_vpc_get = DB_STMT("SELECT … WHERE id = $1");
 * The handle is prepared lazily on first use on each connection.
 */
struct db_stmt {
	const char	*sql;
	char		 name[16];	/* "s<n>", assigned on first use */
	unsigned long	 conn_gen;	/* connection it is prepared on */
	bool		 generic;	/* always its generic plan */
};
#define DB_STMT(text)	{ (text), { 0 }, 0, false }

/*
 * A statement PostgreSQL must not plan again for each call's values.
 * Left to itself it compares the generic plan's estimated cost with
 * the custom plans' and may re-plan a large statement on every call
 * (over a millisecond for an instance list) although the generic plan
 * is as good; this one is bound with plan_cache_mode at
 * force_generic_plan, in the same round trip.  Only for statements whose
 * generic plan has been checked with EXPLAIN: an "$n IS NULL OR" scope
 * in an index condition is exactly what a generic plan cannot use.
 */
#define DB_STMT_GENERIC(text)	{ (text), { 0 }, 0, true }

/*
 * RFC 3339 UTC with milliseconds, formatted by the database:
 *	SELECT " DB_TIMESTAMP("created_at") " AS created_at …
 */
#define DB_TIMESTAMP(col) \
	"to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* How a violated constraint, by name, reads to a client. */
struct db_constraint {
	const char	*name;		/* constraint or index name */
	int		 status;
	const char	*code;
	const char	*message;
};

/* Add a table (terminated by a NULL name); kept by pointer. */
void		 db_register_constraints(const struct db_constraint *);

/* The connection string in use (config "db", or the private cluster). */
const char	*db_conninfo(void);

/*
 * Run st with n text parameters (NULL = SQL NULL).  The result belongs
 * to the request's arena.  NULL on failure, with err mapped from the
 * SQLSTATE.
 */
PGresult	*db_exec(struct request *, struct db_stmt *st, int n,
		    const char *const *params, struct api_error *);

/*
 * A check that must pass before any other statement of this request
 * runs: st (n <= 8 parameters, which must live until the request ends)
 * raises when it does not pass.  It is sent in one pipeline with the
 * request's next statement, which it keeps from running when it raises
 * (a transaction's BEGIN goes in between and takes it into the
 * transaction).  After a failed guard every statement is refused with
 * the guard's error.
 */
void		 db_guard(struct db_stmt *st, int n, const char *const *params);

/*
 * Run the guard if it is still pending (the request made no statement)
 * and tell its verdict: false, with its error, when it failed.  The
 * request loop calls it after the handler; once it has reported a
 * failure, statements run again (the loop's audit row).
 */
bool		 db_guard_settle(struct request *, struct api_error *);

/*
 * Inside a transaction, st (a write whose result nobody reads: an audit
 * row, rows the next statements only read back) is queued instead of
 * run: it goes in one pipeline with the transaction's next statement,
 * before it, at the latest with COMMIT.  If it fails, that statement
 * does not run and fails with st's error, so the transaction fails as
 * if st had failed at once.  The params are copied.  Outside a
 * transaction, or with DEFER_MAX already queued, st runs at once.
 * False only then, with err.
 */
bool		 db_defer(struct request *, struct db_stmt *st, int n,
		    const char *const *params, struct api_error *);

/*
 * Inside a transaction: the next statement is its last, and COMMIT goes
 * in one pipeline with it, after it (a create reading back what it
 * made: no round trip for COMMIT alone).  That statement's result is
 * returned only when COMMIT succeeded too; otherwise the error of the
 * first that failed (a deferred write, the statement, or COMMIT itself:
 * a serialization failure there is retried by db_transaction like any
 * other).  Once it has succeeded the transaction is over: fn must make
 * no other statement, and a failure fn reports afterwards (say, a
 * result it cannot render) no longer undoes what was written.  Outside
 * a transaction it does nothing.
 */
void		 db_commit_with_next(void);

/*
 * Run fn(req, arg, err) inside BEGIN … COMMIT.  If fn fails the
 * transaction is rolled back and fn's error returned; on serialization
 * failure or deadlock the whole transaction is tried once more.  BEGIN
 * is sent with fn's first statement, in the same round trip.
 */
bool		 db_transaction(struct request *,
		    bool (*fn)(struct request *, void *, struct api_error *),
		    void *arg, struct api_error *);

/* Column by name in row, or NULL when SQL NULL; aborts on a bad name. */
const char	*db_get(const PGresult *, int row, const char *col);
/* The same as a bool ("t") and as a long. */
bool		 db_get_bool(const PGresult *, int row, const char *col);
long long	 db_get_int(const PGresult *, int row, const char *col);

/* Called by the request loop: a new request starts / the process ends. */
void		 db_request_start(void);
void		 db_close(void);

/* A cheap liveness check (SELECT 1); false when the database is down. */
bool		 db_ping(struct request *);

#endif
