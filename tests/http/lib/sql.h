/*
 * Direct SQL for the HTTP tests, to check what the API stored or to
 * tamper with it: connects as the cluster owner to the database under
 * test ($CLOUDSIM_PGHOST, $CLOUDSIM_PGUSER, database cloudsim).
 */
#ifndef CLOUDSIM_TEST_SQL_H
#define CLOUDSIM_TEST_SQL_H

/*
 * Run sql with n text parameters; return the first column of the first
 * row in static storage ("" when no row, NULL on error, which is printed
 * as a TAP comment).
 */
const char	*sql_value(const char *sql, int n, const char *const *params);

/* Run a statement; the number of rows it touched, or -1 on error. */
long		 sql_exec(const char *sql, int n, const char *const *params);

#endif
