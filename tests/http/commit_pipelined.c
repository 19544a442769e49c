/*
 * A write that answers with what it made reads it back as its
 * transaction's last statement, and COMMIT goes in the same round trip
 * (src/core/db.c, db_commit_with_next: a launch, and every create,
 * attach, detach or route change that answers with the resource; a
 * volume's attachment and detachment send their audit row, their change
 * and COMMIT together).
 * These tests hold that to what committing first promised: when COMMIT
 * fails the request fails with COMMIT's error and nothing is kept, the
 * answer read before it notwithstanding; when COMMIT fails with a
 * serialization failure the whole transaction is tried again, once,
 * and answers as if it had worked the first time.
 *
 * COMMIT is made to fail from the outside: a deferred constraint
 * trigger, created here as the cluster owner and scoped to this test's
 * account, runs at COMMIT and raises, either a P0001 error whose hint
 * and detail the server maps to a 503 with the hint as its code, or a
 * serialization failure (40001) once in two calls, counted by a
 * sequence, which a rollback does not undo.
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
#define VOLUME	"{\"availability_zone\": \"" ZONE "\", \"size\": 1}"

static struct test_account	A;
static struct reply		r;
static char			fn[64];		/* trigger, function, sequence */

static long
count(const char *sql)
{
	const char	*p[1] = { A.account_id };
	const char	*v = sql_value(sql, 1, p);

	return v != NULL ? atol(v) : -1;
}

#define OF_ACCOUNT(table)	"SELECT count(*) FROM cloudsim." table \
				" WHERE account_id = $1"

/*
 * At COMMIT, refuse the transactions that made event (INSERT, UPDATE or
 * DELETE) on a row of cloudsim.<table> for which when holds: always
 * with a 503 <code> (code given), or with a serialization failure every
 * other time (code NULL).
 */
static bool
refuse_commit_when(const char *table, const char *event, const char *when,
    const char *code)
{
	char	sql[1024];

	if (code != NULL)
		snprintf(sql, sizeof(sql), "CREATE FUNCTION public.%s()"
		    " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
		    " RAISE EXCEPTION 'commit refused by the test'"
		    " USING ERRCODE = 'P0001', HINT = '%s', DETAIL = '503';"
		    " END $$", fn, code);
	else
		snprintf(sql, sizeof(sql), "CREATE FUNCTION public.%s()"
		    " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
		    " IF nextval('public.%s') %% 2 = 1 THEN"
		    " RAISE EXCEPTION 'serialization failure made by the test'"
		    " USING ERRCODE = '40001'; END IF; RETURN NULL;"
		    " END $$", fn, fn);
	if (sql_exec(sql, 0, NULL) < 0)
		return false;
	snprintf(sql, sizeof(sql), "CREATE CONSTRAINT TRIGGER %s AFTER %s"
	    " ON cloudsim.%s DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
	    " WHEN (%s) EXECUTE FUNCTION public.%s()", fn, event, table, when,
	    fn);
	return sql_exec(sql, 0, NULL) >= 0;
}

/* The same for the account's new rows of a table with an account_id. */
static bool
refuse_commit(const char *table, const char *code)
{
	char	when[128];

	snprintf(when, sizeof(when), "NEW.account_id = '%s'", A.account_id);
	return refuse_commit_when(table, "INSERT", when, code);
}

static bool
accept_commit(const char *table)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "DROP TRIGGER %s ON cloudsim.%s", fn,
	    table);
	if (sql_exec(sql, 0, NULL) < 0)
		return false;
	snprintf(sql, sizeof(sql), "DROP FUNCTION public.%s()", fn);
	return sql_exec(sql, 0, NULL) >= 0;
}

static void
refused(const char *name)
{
	const char	*code = http_json_str(&r, "error.code");

	if (!ok(r.status == 503 && code != NULL &&
	    strcmp(code, "CommitRefused") == 0, name))
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
}

static void
test_refused(void)
{
	long	volumes = count(OF_ACCOUNT("volumes"));
	long	vpcs = count(OF_ACCOUNT("vpcs"));
	long	instances = count(OF_ACCOUNT("instances"));
	long	reservations = count(OF_ACCOUNT("reservations"));
	long	audited = count(OF_ACCOUNT("audit_log"));

	if (!ok(refuse_commit("volumes", "CommitRefused"), "a trigger "
	    "refuses, at COMMIT, the account's new volumes"))
		return;
	http(&r, "POST", "/api/v1/volumes", VOLUME, A.headers);
	refused("a volume create fails with COMMIT's error, though its "
	    "answer was read before");
	is_int(count(OF_ACCOUNT("volumes")), volumes, "no volume is kept");
	is_int(count(OF_ACCOUNT("audit_log")), audited,
	    "no audit row is kept");

	/* A launch's root volume is refused in the same way. */
	http(&r, "POST", "/api/v1/instances", LAUNCH, A.headers);
	refused("a launch fails with COMMIT's error");
	is_int(count(OF_ACCOUNT("instances")), instances,
	    "no instance is kept");
	is_int(count(OF_ACCOUNT("reservations")), reservations,
	    "no reservation is kept");
	is_int(count(OF_ACCOUNT("volumes")), volumes,
	    "no root volume is kept");
	ok(accept_commit("volumes"), "the trigger is dropped");

	if (!ok(refuse_commit("vpcs", "CommitRefused"), "a trigger refuses, "
	    "at COMMIT, the account's new VPCs"))
		return;
	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.7.0.0/16\"}",
	    A.headers);
	refused("a VPC create fails with COMMIT's error");
	is_int(count(OF_ACCOUNT("vpcs")), vpcs, "no VPC is kept");
	is_int(count(OF_ACCOUNT("audit_log")), audited,
	    "still no audit row is kept");
	ok(accept_commit("vpcs"), "the trigger is dropped");

	/* The connection is left clean: the next write works. */
	http(&r, "POST", "/api/v1/volumes", VOLUME, A.headers);
	ok(r.status == 201, "the same volume create then answers 201");
	is_int(count(OF_ACCOUNT("volumes")), volumes + 1, "and keeps it");
	is_int(count(OF_ACCOUNT("audit_log")), audited + 1,
	    "audited once");
}

/*
 * An attachment and a detachment: the audit row, the change and COMMIT
 * go in one round trip, and a refused COMMIT keeps none of them.
 */
static void
test_attachments(void)
{
	const char	*iid, *zone, *vid, *v, *p[1];
	char		 instance[32], volume[32], body[256], path[128];
	char		 when[128], before[64];
	long		 audited;

	http(&r, "POST", "/api/v1/instances", LAUNCH, A.headers);
	iid = json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id"));
	zone = json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "availability_zone"));
	if (!ok(r.status == 201 && iid != NULL && zone != NULL,
	    "an instance to attach to"))
		return;
	snprintf(instance, sizeof(instance), "%s", iid);
	/* Running at once, as the attach rules want it. */
	p[0] = instance;
	sql_exec("UPDATE cloudsim.instances SET state = 'running',"
	    " next_state = NULL, next_state_at = NULL WHERE id = $1", 1, p);
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 1}", zone);
	http(&r, "POST", "/api/v1/volumes", body, A.headers);
	vid = http_json_str(&r, "id");
	if (!ok(r.status == 201 && vid != NULL, "a volume in its zone"))
		return;
	snprintf(volume, sizeof(volume), "%s", vid);
	snprintf(path, sizeof(path), "/api/v1/volumes/%s/attach", volume);
	snprintf(body, sizeof(body), "{\"instance_id\": \"%s\","
	    " \"device\": \"/dev/sdf\"}", instance);
	snprintf(when, sizeof(when), "NEW.instance_id = '%s'", instance);
	audited = count(OF_ACCOUNT("audit_log"));
	p[0] = volume;

	if (!ok(refuse_commit_when("volume_attachments", "INSERT", when,
	    "CommitRefused"), "a trigger refuses, at COMMIT, attachments to "
	    "the instance"))
		return;
	http(&r, "POST", path, body, A.headers);
	refused("an attach fails with COMMIT's error");
	is_str(sql_value("SELECT count(*) FROM cloudsim.volume_attachments"
	    " WHERE volume_id = $1", 1, p), "0", "no attachment is kept");
	is_int(count(OF_ACCOUNT("audit_log")), audited,
	    "no audit row is kept");
	ok(accept_commit("volume_attachments"), "the trigger is dropped");
	http(&r, "POST", path, body, A.headers);
	ok(r.status == 200, "the same attach then answers 200");
	is_str(sql_value("SELECT count(*) FROM cloudsim.volume_attachments"
	    " WHERE volume_id = $1", 1, p), "1", "and keeps the attachment");
	is_int(count(OF_ACCOUNT("audit_log")), audited + 1, "audited once");

	snprintf(path, sizeof(path), "/api/v1/volumes/%s/detach", volume);
	snprintf(when, sizeof(when), "OLD.instance_id = '%s'", instance);
	if (!ok(refuse_commit_when("volume_attachments", "DELETE OR UPDATE",
	    when, "CommitRefused"), "a trigger refuses, at COMMIT, changes to "
	    "the instance's attachments"))
		return;
	v = sql_value("SELECT state || ' ' || coalesce(next_state, '-')"
	    " FROM cloudsim.volume_attachments WHERE volume_id = $1", 1, p);
	snprintf(before, sizeof(before), "%s", v != NULL ? v : "");
	http(&r, "POST", path, "{\"force\": true}", A.headers);
	refused("a detach fails with COMMIT's error");
	is_str(sql_value("SELECT state || ' ' || coalesce(next_state, '-')"
	    " FROM cloudsim.volume_attachments WHERE volume_id = $1", 1, p),
	    before, "the attachment is kept as it was");
	is_int(count(OF_ACCOUNT("audit_log")), audited + 1,
	    "no audit row is added");
	ok(accept_commit("volume_attachments"), "the trigger is dropped");
	http(&r, "POST", path, "{\"force\": true}", A.headers);
	ok(r.status == 200, "the same detach then answers 200");
	is_str(sql_value("SELECT count(*) FROM cloudsim.volume_attachments"
	    " WHERE volume_id = $1", 1, p), "0", "and the attachment is gone");
	is_int(count(OF_ACCOUNT("audit_log")), audited + 2, "audited once");
}

/* A serialization failure at COMMIT: tried again, answered once. */
static void
test_retried(void)
{
	long		 volumes = count(OF_ACCOUNT("volumes"));
	long		 audited = count(OF_ACCOUNT("audit_log"));
	char		 sql[256], grant[256], path[128];
	const char	*id, *p[1];
	json_t		*created;

	/* The trigger runs as the executables' role. */
	snprintf(sql, sizeof(sql), "CREATE SEQUENCE public.%s", fn);
	snprintf(grant, sizeof(grant), "GRANT USAGE ON SEQUENCE public.%s"
	    " TO PUBLIC", fn);
	if (!ok(sql_exec(sql, 0, NULL) >= 0 && sql_exec(grant, 0, NULL) >= 0 &&
	    refuse_commit("volumes", NULL),
	    "a trigger fails every other COMMIT of the account's new "
	    "volumes with a serialization failure"))
		return;
	http(&r, "POST", "/api/v1/volumes", VOLUME, A.headers);
	id = http_json_str(&r, "id");
	if (!ok(r.status == 201 && id != NULL, "a volume create answers 201 "
	    "after its first COMMIT failed"))
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
	snprintf(sql, sizeof(sql), "SELECT last_value FROM public.%s", fn);
	is_str(sql_value(sql, 0, NULL), "2",
	    "its transaction ran twice: COMMIT was tried again");
	is_int(count(OF_ACCOUNT("volumes")), volumes + 1,
	    "one volume is kept");
	is_int(count(OF_ACCOUNT("audit_log")), audited + 1,
	    "audited once");
	if (id != NULL) {
		p[0] = id;
		is_str(sql_value("SELECT count(*) FROM cloudsim.volumes"
		    " WHERE id = $1", 1, p), "1",
		    "the answer's id is the kept volume's");
		created = json_deep_copy(r.json);
		snprintf(path, sizeof(path), "/api/v1/volumes/%s", id);
		http(&r, "GET", path, NULL, A.headers);
		ok(r.status == 200 && json_equal(json_object_get(r.json,
		    "create_time"), json_object_get(created, "create_time")),
		    "and a read shows the volume the create answered");
		json_decref(created);
	}
	ok(accept_commit("volumes"), "the trigger is dropped");
	snprintf(sql, sizeof(sql), "DROP SEQUENCE public.%s", fn);
	sql_exec(sql, 0, NULL);
}

int
main(void)
{
	if (!account_new(&A)) {
		ok(0, "account");
		return tap_done();
	}
	snprintf(fn, sizeof(fn), "refuse_commit_%s", A.account_id);
	test_refused();
	test_attachments();
	test_retried();
	http_free(&r);
	return tap_done();
}
