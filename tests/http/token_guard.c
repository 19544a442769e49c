/*
 * A Bearer token's database check travels with the request's first
 * statement (src/core/db.c, db_guard).  These tests hold it to what the
 * old two-round-trip check promised: a revoked token, or one whose user
 * no longer has the claimed role, is answered 401 AuthenticationFailure
 * whatever the request — a read, a one-statement write, a transaction, a
 * request refused before any statement — and nothing it asked for is
 * read or written.  The refusal is audited without a principal.
 *
 * A process keeps the tokens it has verified for a few seconds
 * (src/core/authn.c): a cached token is still refused once it expires,
 * which a token minted here with the server's key (make check's: HS256,
 * the default issuer and audience) and a five-second lifetime shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

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

/* base64url of n bytes, unpadded, into out (room for 4n/3 + 4). */
static void
b64url(const unsigned char *in, size_t n, char *out)
{
	int	len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (; *out != '\0'; out++)
		*out = *out == '+' ? '-' : *out == '/' ? '_' : *out;
}

/*
 * A token for a's user that expires at exp, signed HS256 with the
 * jwt_secret of $DATA_DIRECTORY/secrets.conf, as the server signs them
 * (no kid: the server's only key); false if the secret is not there.
 */
static bool
mint(const struct test_account *a, long long exp, char *out, size_t size)
{
	unsigned char	 key[128], mac[EVP_MAX_MD_SIZE];
	char		 path[512], line[512], claims[512], head[64];
	char		 p1[128], p2[800], sig[64], hex[300] = "";
	const char	*dir = getenv("DATA_DIRECTORY");
	unsigned int	 maclen = 0;
	size_t		 klen = 0;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/secrets.conf", dir ? dir : "var");
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "jwt_secret = ", 13) == 0)
			snprintf(hex, sizeof(hex), "%s", line + 13);
	fclose(f);
	for (; klen < sizeof(key) &&
	    sscanf(hex + 2 * klen, "%2hhx", &key[klen]) == 1; klen++)
		;
	if (klen < 32)
		return false;
	snprintf(head, sizeof(head), "{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
	snprintf(claims, sizeof(claims), "{\"iss\":\"cloudsim\",\"aud\":"
	    "\"cloudsim\",\"sub\":\"%s\",\"acct\":\"%s\",\"role\":"
	    "\"user\",\"jti\":\"%08x-0000-4000-8000-%012llx\",\"iat\":%lld,"
	    "\"exp\":%lld}", a->user_id, a->account_id, (unsigned)getpid(),
	    (long long)time(NULL), (long long)time(NULL), exp);
	b64url((const unsigned char *)head, strlen(head), p1);
	b64url((const unsigned char *)claims, strlen(claims), p2);
	snprintf(out, size, "%s.%s", p1, p2);
	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)out,
	    strlen(out), mac, &maclen);
	b64url(mac, maclen, sig);
	snprintf(out + strlen(out), size - strlen(out), ".%s", sig);
	return true;
}

/*
 * A token cached by the process that verified it is refused once it
 * expires: served twice (verified, then from the cache), then, after
 * its exp, 401 with the expiry as the reason.
 */
static void
expiry_while_cached(const char *path)
{
	char		 token[1024], bearer[1100];
	const char	*h[2] = { bearer, NULL }, *msg;
	long long	 exp = (long long)time(NULL) + 5;
	int		 i, served = 0;

	if (!ok(mint(&A, exp, token, sizeof(token)), "a token minted with "
	    "the server's key, valid for five seconds")) {
		ok(0, "the minted token is served");
		ok(0, "and refused once expired, though cached");
		return;
	}
	snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s", token);
	/* Each process of the pool verifies and caches it. */
	for (i = 0; i < 4; i++) {
		http(&r, "GET", path, NULL, h);
		served += r.status == 200;
	}
	is_int(served, 4, "the minted token is served (and cached)");
	while ((long long)time(NULL) <= exp)
		usleep(100000);
	for (i = 0; i < 4; i++) {
		http(&r, "GET", path, NULL, h);
		msg = http_json_str(&r, "error.message");
		if (r.status != 401 || msg == NULL ||
		    strstr(msg, "expired") == NULL)
			break;
	}
	if (!ok(i == 4, "and refused once expired, though cached"))
		printf("#   got %ld %s\n", r.status, r.body ? r.body : "");
}

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
	expiry_while_cached(path);

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
