/*
 * A Bearer token's database check travels with the request's first
 * statement (src/core/db.c, db_guard).  These tests hold it to what the
 * old two-round-trip check promised: a revoked token, or one whose user
 * no longer has the claimed role, is answered 401 AuthenticationFailure
 * whatever the request — a read, a one-statement write, a transaction, a
 * request refused before any statement — and nothing it asked for is
 * read or written.  The refusal is audited without a principal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define ZONE	"us-east-1a"

static struct test_account	A;
static struct reply		r;

static void
refused(const char *name)
{
	const char	*code = http_json_str(&r, "error.code");

	if (!ok(r.status == 401 && code != NULL &&
	    strcmp(code, "AuthenticationFailure") == 0, name))
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
}

static void
answered(long status, const char *name)
{
	if (!ok(r.status == status, name))
		printf("#   got %ld %s, want %ld\n", r.status,
		    r.body ? r.body : "", status);
}

static long
count(const char *sql)
{
	const char	*p[1] = { A.account_id };

	return atol(sql_value(sql, 1, p));
}

#define VOLUMES	"SELECT count(*) FROM cloudsim.volumes WHERE account_id = $1"
#define VPCS	"SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1"
#define KEYS	"SELECT count(*) FROM cloudsim.access_keys k JOIN" \
		" cloudsim.users u ON u.id = k.user_id WHERE u.account_id = $1"
#define TAGS	"SELECT count(*) FROM cloudsim.volumes WHERE account_id = $1" \
		" AND tags ? 'guard'"

/* Every kind of request, each refused with nothing changed. */
static void
everything_refused(const char *why, const char *volume)
{
	char	path[128], name[160];
	long	volumes = count(VOLUMES), vpcs = count(VPCS);
	long	keys = count(KEYS);

	snprintf(path, sizeof(path), "/api/v1/volumes/%s", volume);
	http(&r, "GET", path, NULL, A.headers);
	snprintf(name, sizeof(name), "%s: a read is refused", why);
	refused(name);
	http(&r, "GET", "/api/v1/auth/me", NULL, A.headers);
	snprintf(name, sizeof(name), "%s: /auth/me is refused", why);
	refused(name);
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \"" ZONE
	    "\", \"size\": 1}", A.headers);
	snprintf(name, sizeof(name), "%s: a create is refused", why);
	refused(name);
	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.9.0.0/16\"}",
	    A.headers);
	snprintf(name, sizeof(name), "%s: a VPC create is refused", why);
	refused(name);
	http(&r, "POST", "/api/v1/auth/access-keys", "{}", A.headers);
	snprintf(name, sizeof(name), "%s: an access key create is refused",
	    why);
	refused(name);
	snprintf(path, sizeof(path), "/api/v1/volumes/%s/tags", volume);
	http(&r, "PUT", path, "{\"tags\": {\"guard\": \"x\"}}", A.headers);
	snprintf(name, sizeof(name), "%s: a tag write is refused", why);
	refused(name);
	snprintf(path, sizeof(path), "/api/v1/volumes/%s", volume);
	http(&r, "DELETE", path, NULL, A.headers);
	snprintf(name, sizeof(name), "%s: a delete is refused", why);
	refused(name);
	/* Refused by the handler before any statement: the 401 wins. */
	http(&r, "POST", "/api/v1/volumes", "{\"size\": ", A.headers);
	snprintf(name, sizeof(name), "%s: garbage JSON gets 401, not 400", why);
	refused(name);
	http(&r, "GET", "/api/v1/instances/not-an-id", NULL, A.headers);
	snprintf(name, sizeof(name), "%s: a malformed id gets 401, not 400",
	    why);
	refused(name);

	snprintf(name, sizeof(name), "%s: no volume was created or deleted",
	    why);
	is_int(count(VOLUMES), volumes, name);
	snprintf(name, sizeof(name), "%s: no VPC was created", why);
	is_int(count(VPCS), vpcs, name);
	snprintf(name, sizeof(name), "%s: no access key was created", why);
	is_int(count(KEYS), keys, name);
	snprintf(name, sizeof(name), "%s: no tag was written", why);
	is_int(count(TAGS), 0, name);
}

int
main(void)
{
	const char	*p[2];
	char		 volume[32], path[128];
	long		 audited;

	if (!account_new(&A)) {
		ok(0, "register an account");
		return tap_done();
	}

	/* A good token: reads and every kind of write go through. */
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \"" ZONE
	    "\", \"size\": 1}", A.headers);
	answered(201, "a good token creates a volume (a transaction)");
	snprintf(volume, sizeof(volume), "%s",
	    http_json_str(&r, "id") ? http_json_str(&r, "id") : "vol-none");
	snprintf(path, sizeof(path), "/api/v1/volumes/%s", volume);
	http(&r, "GET", path, NULL, A.headers);
	answered(200, "and reads it (one round trip with the check)");
	http(&r, "GET", "/api/v1/volumes/vol-00000000000000000", NULL,
	    A.headers);
	answered(404, "a good token's missing volume is 404, not 401");
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \"" ZONE
	    "\", \"size\": 0}", A.headers);
	answered(400, "a good token's bad size is 400, not 401");
	http(&r, "GET", "/api/v1/instances/not-an-id", NULL, A.headers);
	answered(400, "a good token's malformed id is 400 (no statement)");

	/* The role in the token must be the user's role now. */
	p[0] = A.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1", 1, p);
	everything_refused("role changed", volume);
	sql_exec("UPDATE cloudsim.users SET role = 'user' WHERE id = $1", 1, p);
	http(&r, "GET", path, NULL, A.headers);
	answered(200, "the role given back: the token is good again");

	/* The session ended (another process logged it out). */
	sql_exec("UPDATE cloudsim.sessions SET revoked_at = now()"
	    " WHERE user_id = $1", 1, p);
	everything_refused("session revoked", volume);

	/* The refusals are audited, without the token's user. */
	p[0] = A.account_id;
	audited = atol(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE status = 401 AND error_code = 'AuthenticationFailure'"
	    " AND action = 'CreateVolume' AND account_id IS NULL"
	    " AND at > now() - interval '5 minutes'", 0, NULL));
	ok(audited >= 2, "the refused creates are audited, with no principal");
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE account_id = $1 AND status = 401", 1, p), "0",
	    "no refusal is recorded under the token's account");

	/* The same user, logged in again, is served. */
	ok(account_login(&A), "logging in again gives a new session");
	http(&r, "GET", path, NULL, A.headers);
	answered(200, "the new token reads the volume");
	http(&r, "DELETE", path, NULL, A.headers);
	answered(200, "and deletes it");
	http_free(&r);
	return tap_done();
}
