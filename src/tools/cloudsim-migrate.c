/*
 * cloudsim-migrate: apply sql/NNN_name.sql files in order, each once,
 * each inside its own transaction, recording it in
 * cloudsim.schema_migrations.  An advisory lock makes concurrent runs
 * (two hosts starting at once) wait for each other instead of racing.
 *
 * usage: cloudsim-migrate [-d sql-dir] [-c conninfo]
 * Without -c the configured database is used (config "db", or the
 * private cluster), as the user running the tool; migrations need a
 * role that may create schemas, roles and extensions.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/db.h"

#define MIGRATION_LOCK	"7243001"	/* pg_advisory_lock key */

static const char setup_sql[] =
    "CREATE SCHEMA IF NOT EXISTS cloudsim;"
    "CREATE TABLE IF NOT EXISTS cloudsim.schema_migrations ("
    " version text PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now());"
    "COMMENT ON TABLE cloudsim.schema_migrations IS"
    " 'Migrations applied by cloudsim-migrate, one row per sql/ file';"
    "COMMENT ON COLUMN cloudsim.schema_migrations.version IS"
    " 'The three-digit number that orders the file';"
    "COMMENT ON COLUMN cloudsim.schema_migrations.name IS"
    " 'The file name';"
    "COMMENT ON COLUMN cloudsim.schema_migrations.applied_at IS"
    " 'When it was applied';";

static int
is_migration(const struct dirent *d)
{
	size_t	len = strlen(d->d_name);

	return len > 8 && isdigit((unsigned char)d->d_name[0]) &&
	    isdigit((unsigned char)d->d_name[1]) &&
	    isdigit((unsigned char)d->d_name[2]) && d->d_name[3] == '_' &&
	    strcmp(d->d_name + len - 4, ".sql") == 0;
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	long	 len;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1))) {
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else
			buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

static bool
run(PGconn *c, const char *sql, const char *what)
{
	PGresult	*r = PQexec(c, sql);
	ExecStatusType	 st = PQresultStatus(r);
	const char	*pos;
	bool		 ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok) {
		pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
		fprintf(stderr, "cloudsim-migrate: %s: %s%s%s\n", what,
		    PQresultErrorMessage(r), pos ? "  at character " : "",
		    pos ? pos : "");
	}
	PQclear(r);
	return ok;
}

static bool
applied(PGconn *c, const char *version)
{
	const char	*p[1] = { version };
	PGresult	*r;
	bool		 yes;

	r = PQexecParams(c, "SELECT 1 FROM cloudsim.schema_migrations "
	    "WHERE version = $1", 1, NULL, p, NULL, NULL, 0);
	yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	PQclear(r);
	return yes;
}

static bool
record(PGconn *c, const char *version, const char *name)
{
	const char	*p[2] = { version, name };
	PGresult	*r;
	bool		 ok;

	r = PQexecParams(c, "INSERT INTO cloudsim.schema_migrations "
	    "(version, name) VALUES ($1, $2)", 2, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "cloudsim-migrate: %s",
		    PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

static int
migrate(PGconn *c, const char *dir)
{
	struct dirent	**list = NULL;
	char		  path[4096], version[4], *sql;
	int		  n, i, done = 0, skipped = 0, rc = 1;

	if (!run(c, "SET client_min_messages = warning", "setup") ||
	    !run(c, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", "lock") ||
	    !run(c, setup_sql, "setup"))
		return 1;
	if ((n = scandir(dir, &list, is_migration, alphasort)) < 0) {
		perror(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		memcpy(version, list[i]->d_name, 3);
		version[3] = '\0';
		if (applied(c, version)) {
			skipped++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if ((sql = slurp(path)) == NULL) {
			perror(path);
			goto out;
		}
		if (!run(c, "BEGIN", path) || !run(c, sql, path) ||
		    !record(c, version, list[i]->d_name) ||
		    !run(c, "COMMIT", path)) {
			free(sql);
			run(c, "ROLLBACK", path);
			goto out;
		}
		free(sql);
		printf("applied %s\n", list[i]->d_name);
		done++;
	}
	printf("cloudsim-migrate: %d applied, %d already present\n", done,
	    skipped);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

int
main(int argc, char **argv)
{
	const char	*dir = "sql", *conninfo = NULL;
	PGconn		*c;
	int		 ch, rc;

	while ((ch = getopt(argc, argv, "d:c:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'c':
			conninfo = optarg;
			break;
		default:
			fprintf(stderr, "usage: cloudsim-migrate [-d sql-dir] "
			    "[-c conninfo]\n");
			return 2;
		}
	}
	if (conninfo == NULL) {
		if (!config_load())
			return 1;
		conninfo = db_conninfo();
	}
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cloudsim-migrate: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	rc = migrate(c, dir);
	PQfinish(c);
	db_close();
	config_free();
	return rc;
}
