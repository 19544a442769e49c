/*
 * Writes a transaction defers (src/core/db.c, db_defer: the audit row,
 * a launch's root volumes and their attachments) go to PostgreSQL with
 * the transaction's next statement or its COMMIT.  These tests hold
 * them to what running them at once promised: when a deferred write
 * fails, the request fails with that write's error (not with the
 * statement it held back) and nothing of the request is kept; when it
 * succeeds, the statements after it see its rows.
 *
 * A deferred write is made to fail from the outside: a trigger on
 * cloudsim.audit_log (then on cloudsim.volumes), created here as the
 * cluster owner and scoped to this test's account, refuses the
 * account's rows with a P0001 error whose hint and detail the server
 * maps to a 503 with the hint as its code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define ZONE	"us-east-1a"
#define AMI_X86	"ami-008df4d2c9cb4c1db"
#define LAUNCH	"{\"image_id\":\"" AMI_X86 "\",\"instance_type\":\"t3.micro\"}"

static struct test_account	A;
static struct reply		r;
static char			refuse_fn[64];	/* the trigger and its function */

static long
count(const char *sql)
{
	const char	*p[1] = { A.account_id };
	const char	*v = sql_value(sql, 1, p);

	return v != NULL ? atol(v) : -1;
}

#define INSTANCES	"SELECT count(*) FROM cloudsim.instances" \
			" WHERE account_id = $1"
#define VOLUMES		"SELECT count(*) FROM cloudsim.volumes" \
			" WHERE account_id = $1"
#define ATTACHMENTS	"SELECT count(*) FROM cloudsim.volume_attachments a" \
			" JOIN cloudsim.volumes v ON v.id = a.volume_id" \
			" WHERE v.account_id = $1"
#define RESERVATIONS	"SELECT count(*) FROM cloudsim.reservations" \
			" WHERE account_id = $1"
#define AUDITED		"SELECT count(*) FROM cloudsim.audit_log" \
			" WHERE account_id = $1"

/*
 * Refuse (on) or accept again (off) the account's inserts into table
 * (cloudsim.<table>, which has an account_id), with code as the
 * error's code (503).
 */
static bool
refuse(const char *table, const char *code, bool on)
{
	char	sql[1024];

	if (!on) {
		snprintf(sql, sizeof(sql), "DROP TRIGGER %s ON cloudsim.%s",
		    refuse_fn, table);
		if (sql_exec(sql, 0, NULL) < 0)
			return false;
		snprintf(sql, sizeof(sql), "DROP FUNCTION public.%s()",
		    refuse_fn);
		return sql_exec(sql, 0, NULL) >= 0;
	}
	snprintf(sql, sizeof(sql),
	    "CREATE FUNCTION public.%s() RETURNS trigger LANGUAGE plpgsql AS $$"
	    " BEGIN RAISE EXCEPTION 'insert refused by the test'"
	    " USING ERRCODE = 'P0001', HINT = '%s',"
	    " DETAIL = '503'; END $$", refuse_fn, code);
	if (sql_exec(sql, 0, NULL) < 0)
		return false;
	snprintf(sql, sizeof(sql),
	    "CREATE TRIGGER %s BEFORE INSERT ON cloudsim.%s"
	    " FOR EACH ROW WHEN (NEW.account_id = '%s')"
	    " EXECUTE FUNCTION public.%s()",
	    refuse_fn, table, A.account_id, refuse_fn);
	return sql_exec(sql, 0, NULL) >= 0;
}

static void
refused_with(const char *want, const char *name)
{
	const char	*code = http_json_str(&r, "error.code");

	if (!ok(r.status == 503 && code != NULL && strcmp(code, want) == 0,
	    name))
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
}

static void
refused(const char *name)
{
	refused_with("AuditRefused", name);
}

/* The launch answer's first instance, or NULL. */
static json_t *
first_item(void)
{
	return json_array_get(json_object_get(r.json, "items"), 0);
}

/* A launch that works: its id into id[32]. */
static bool
launch(char id[32], const char *name)
{
	const char	*got;

	http(&r, "POST", "/api/v1/instances", LAUNCH, A.headers);
	got = json_string_value(json_object_get(first_item(), "id"));
	if (!ok(r.status == 201 && got != NULL, name)) {
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
		return false;
	}
	snprintf(id, 32, "%s", got);
	return true;
}

/* The statements after the deferred inserts read their rows. */
static void
test_rows_visible(char id[32])
{
	json_t		*bdm;
	const char	*root;
	const char	*p[1];

	if (!launch(id, "a launch answers 201"))
		return;
	bdm = json_object_get(first_item(), "block_device_mappings");
	root = json_string_value(json_object_get(first_item(),
	    "root_volume_id"));
	ok(json_array_size(bdm) == 1 && root != NULL,
	    "the answer shows the root volume inserted before it was read");
	p[0] = id;
	ok(strcmp(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE $1 = ANY (resource_ids)", 1, p), "1") == 0,
	    "the launch's audit row was written with its COMMIT");
	ok(strcmp(sql_value("SELECT count(*) FROM cloudsim.volume_attachments"
	    " WHERE instance_id = $1 AND state = 'attached'", 1, p), "1") == 0,
	    "the root volume is attached");
}

static void
test_refused(const char *running)
{
	long	instances = count(INSTANCES), volumes = count(VOLUMES);
	long	attachments = count(ATTACHMENTS);
	long	reservations = count(RESERVATIONS), audited = count(AUDITED);
	char	path[128];
	const char *p[1];

	if (!ok(refuse("audit_log", "AuditRefused", true), "a trigger "
	    "refuses the account's audit rows"))
		return;

	/* Root volume, attachment and audit row are all deferred. */
	http(&r, "POST", "/api/v1/instances", LAUNCH, A.headers);
	refused("a launch fails with the deferred audit row's error");
	is_int(count(INSTANCES), instances, "no instance is kept");
	is_int(count(VOLUMES), volumes, "no root volume is kept");
	is_int(count(ATTACHMENTS), attachments, "no attachment is kept");
	is_int(count(RESERVATIONS), reservations, "no reservation is kept");

	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \"" ZONE
	    "\", \"size\": 1}", A.headers);
	refused("a volume create fails with the audit row's error");
	is_int(count(VOLUMES), volumes, "no volume is kept");

	snprintf(path, sizeof(path), "/api/v1/instances/%s/terminate",
	    running);
	http(&r, "POST", path, "{}", A.headers);
	refused("a termination fails with the audit row's error");
	p[0] = running;
	is_str(sql_value("SELECT state FROM cloudsim.instances WHERE id = $1",
	    1, p), "running", "the instance is still running");
	is_int(count(ATTACHMENTS), attachments, "its root volume is still "
	    "attached");
	is_int(count(AUDITED), audited, "no audit row was written");

	/* A read writes no audit row: the trigger does not touch it. */
	snprintf(path, sizeof(path), "/api/v1/instances/%s", running);
	http(&r, "GET", path, NULL, A.headers);
	ok(r.status == 200, "a read still answers");

	ok(refuse("audit_log", NULL, false), "the trigger is dropped");
	snprintf(path, sizeof(path), "/api/v1/instances/%s/terminate",
	    running);
	http(&r, "POST", path, "{}", A.headers);
	ok(r.status == 200, "the same termination then answers 200");
	is_int(count(AUDITED), audited + 1, "and is audited");
}

/*
 * The first deferred write fails, others are queued behind it: the
 * request gets the first one's error, not the aborted ones'.
 */
static void
test_first_failure(void)
{
	long	instances = count(INSTANCES), volumes = count(VOLUMES);
	long	audited = count(AUDITED);

	if (!ok(refuse("volumes", "VolumeRefused", true), "a trigger "
	    "refuses the account's volumes"))
		return;
	http(&r, "POST", "/api/v1/instances", LAUNCH, A.headers);
	refused_with("VolumeRefused", "a launch fails with the root volume's "
	    "error, the first deferred write");
	is_int(count(INSTANCES), instances, "no instance is kept");
	is_int(count(VOLUMES), volumes, "no volume is kept");
	is_int(count(AUDITED), audited, "no audit row is kept");
	ok(refuse("volumes", NULL, false), "the trigger is dropped");
}

int
main(void)
{
	char	id[32] = "";

	if (!account_new(&A)) {
		ok(0, "account");
		return tap_done();
	}
	snprintf(refuse_fn, sizeof(refuse_fn), "refuse_insert_%s",
	    A.account_id);
	/* The instance's state must be running for the checks above. */
	test_rows_visible(id);
	sql_exec("UPDATE cloudsim.instances SET state = 'running',"
	    " next_state = NULL, next_state_at = NULL WHERE id = $1", 1,
	    (const char *const[]){ id });
	test_refused(id);
	test_first_failure();
	http_free(&r);
	return tap_done();
}
