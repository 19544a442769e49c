/*
 * A SigV4 request signed with an access key that a process has cached
 * (src/core/authn.c) is verified without a lookup, and the key's check
 * (sql/014, cloudsim.access_key_check) travels as a guard with the
 * request's first statement.  These tests hold the cache to what the
 * lookup promised: a deactivated or deleted key is refused exactly as
 * an unknown key is (status, code and message), by the EC2 front and by
 * a REST front, and nothing it asked for is written; a wrong signature
 * made with a cached key is refused as before and does not spoil the
 * entry; a key follows its user's role, a demotion at once (a process
 * refuses the entry it cached as an admin's, once, and forgets it);
 * last_used_at is still stamped.
 *
 * Requests go out in concurrent bursts, one connection each, because a
 * web server hands sequential requests to one process: a burst reaches
 * every process of the executable (lighttpd and spawn-fcgi run two), so
 * each has the key cached.  They are signed here with OpenSSL, not with
 * the server's sigv4.c, so that the two are checked against each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define REGION		"us-east-1"
#define BURST		4
#define CACHE_TTL	10	/* seconds: KEY_CACHE_TTL_MS in authn.c */
#define FORM		"Content-Type: application/x-www-form-urlencoded; " \
			"charset=utf-8"
#define V		"&Version=2016-11-15"

struct key {
	char	id[32];
	char	secret[64];
};

/* One request of a burst and its answer. */
struct call {
	const char	*method;
	const char	*path;		/* "/" is the EC2 Query API */
	const char	*body;		/* may be NULL */
	long		 status;
	char		 code[128];
	char		 message[512];
	struct http_buf	 raw;		/* the body */
};

static struct test_account	A, B, C;
static struct reply		r;
/* The region requests are signed for (their credential scope). */
static const char		*sign_region = REGION;

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
sha256_hex(const char *s, char out[2 * SHA256_DIGEST_LENGTH + 1])
{
	unsigned char	md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	hex(md, sizeof(md), out);
}

static void
hmac(const void *key, size_t klen, const char *msg,
    unsigned char out[SHA256_DIGEST_LENGTH])
{
	unsigned int	n = SHA256_DIGEST_LENGTH;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
	    strlen(msg), out, &n);
}

/*
 * The Authorization and X-Amz-Date headers of method path (no query)
 * with body, signed now with k for service ec2: the header form, host
 * and x-amz-date signed, the payload hashed.
 */
static void
sign(const struct key *k, const char *method, const char *path,
    const char *body, char *auth, size_t authlen, char *date, size_t datelen)
{
	unsigned char	 k1[32], k2[32], k3[32], k4[32], s[32];
	char		 amz[17], day[9], creq[4096], sts[512], kk[128];
	char		 bh[65], ch[65], sig[65];
	const char	*host = strstr(http_base(), "://");
	time_t		 now = time(NULL);
	struct tm	 tm;

	host = host != NULL ? host + 3 : http_base();
	gmtime_r(&now, &tm);
	strftime(amz, sizeof(amz), "%Y%m%dT%H%M%SZ", &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	sha256_hex(body != NULL ? body : "", bh);
	snprintf(creq, sizeof(creq), "%s\n%s\n\nhost:%s\nx-amz-date:%s\n\n"
	    "host;x-amz-date\n%s", method, path, host, amz, bh);
	sha256_hex(creq, ch);
	snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%s/%s"
	    "/ec2/aws4_request\n%s", amz, day, sign_region, ch);
	snprintf(kk, sizeof(kk), "AWS4%s", k->secret);
	hmac(kk, strlen(kk), day, k1);
	hmac(k1, sizeof(k1), sign_region, k2);
	hmac(k2, sizeof(k2), "ec2", k3);
	hmac(k3, sizeof(k3), "aws4_request", k4);
	hmac(k4, sizeof(k4), sts, s);
	hex(s, sizeof(s), sig);
	snprintf(auth, authlen, "Authorization: AWS4-HMAC-SHA256 "
	    "Credential=%s/%s/%s/ec2/aws4_request, "
	    "SignedHeaders=host;x-amz-date, Signature=%s", k->id, day,
	    sign_region, sig);
	snprintf(date, datelen, "X-Amz-Date: %s", amz);
}

/* The text of <tag>…</tag> in xml, into out ("" when absent). */
static void
xml_field(const char *xml, const char *tag, char *out, size_t len)
{
	char		 open[32], close[32];
	const char	*a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	out[0] = '\0';
	if (xml == NULL || (a = strstr(xml, open)) == NULL)
		return;
	a += strlen(open);
	if ((b = strstr(a, close)) != NULL)
		snprintf(out, len, "%.*s", (int)(b - a), a);
}

/* The error code and message of an answer, XML or JSON. */
static void
parse_error(struct call *c)
{
	json_t		*j, *e;
	const char	*s;

	c->code[0] = c->message[0] = '\0';
	if (strcmp(c->path, "/") == 0) {
		xml_field(c->raw.p, "Code", c->code, sizeof(c->code));
		xml_field(c->raw.p, "Message", c->message, sizeof(c->message));
		return;
	}
	if (c->raw.p == NULL ||
	    (j = json_loadb(c->raw.p, c->raw.len, 0, NULL)) == NULL)
		return;
	e = json_object_get(j, "error");
	if ((s = json_string_value(json_object_get(e, "code"))) != NULL)
		snprintf(c->code, sizeof(c->code), "%s", s);
	if ((s = json_string_value(json_object_get(e, "message"))) != NULL)
		snprintf(c->message, sizeof(c->message), "%s", s);
	json_decref(j);
}

/* Send the n calls at once, each on its own connection, signed with k. */
static void
burst(const struct key *k, struct call *calls, size_t n)
{
	CURLM			*m = curl_multi_init();
	CURL			*e[16];
	struct curl_slist	*hl[16];
	char			 auth[16][512], date[16][64], url[1024];
	size_t			 i;
	int			 running = 1;

	for (i = 0; i < n && i < 16; i++) {
		struct call *c = &calls[i];

		free(c->raw.p);
		c->raw.p = NULL;
		c->raw.len = 0;
		c->status = -1;
		sign(k, c->method, c->path, c->body, auth[i], sizeof(auth[i]),
		    date[i], sizeof(date[i]));
		hl[i] = curl_slist_append(NULL, auth[i]);
		hl[i] = curl_slist_append(hl[i], date[i]);
		hl[i] = curl_slist_append(hl[i], strcmp(c->path, "/") == 0 ?
		    FORM : "Content-Type: application/json");
		hl[i] = curl_slist_append(hl[i], "Expect:");
		e[i] = curl_easy_init();
		snprintf(url, sizeof(url), "%s%s", http_base(), c->path);
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_CUSTOMREQUEST, c->method);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, hl[i]);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, http_collect);
		curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &c->raw);
		if (c->body != NULL) {
			curl_easy_setopt(e[i], CURLOPT_POSTFIELDS, c->body);
			curl_easy_setopt(e[i], CURLOPT_POSTFIELDSIZE,
			    (long)strlen(c->body));
		}
		curl_multi_add_handle(m, e[i]);
	}
	while (running > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	for (i = 0; i < n && i < 16; i++) {
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE,
		    &calls[i].status);
		parse_error(&calls[i]);
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
		curl_slist_free_all(hl[i]);
	}
	curl_multi_cleanup(m);
}

/* BURST copies of one request, sent at once. */
static void
burst_of(const struct key *k, const char *method, const char *path,
    const char *body, struct call calls[BURST])
{
	size_t	i;

	for (i = 0; i < BURST; i++) {
		calls[i].method = method;
		calls[i].path = path;
		calls[i].body = body;
	}
	burst(k, calls, BURST);
}

/* Every answer of a burst had status; name says what was sent. */
static void
all_status(const struct call *calls, size_t n, long status,
    const char *name)
{
	size_t	i, bad = n;

	for (i = 0; i < n; i++)
		if (calls[i].status != status)
			bad = i;
	if (!ok(bad == n, name))
		printf("#   got %ld %s, want %ld\n", calls[bad].status,
		    calls[bad].raw.p ? calls[bad].raw.p : "", status);
}

/* Every answer was the unknown key's answer ref: status, code, message. */
static void
all_like(const struct call *calls, size_t n, const struct call *ref,
    const char *name)
{
	size_t	i, bad = n;

	for (i = 0; i < n; i++)
		if (calls[i].status != ref->status ||
		    strcmp(calls[i].code, ref->code) != 0 ||
		    strcmp(calls[i].message, ref->message) != 0)
			bad = i;
	if (!ok(bad == n, name))
		printf("#   got %ld %s %s, want %ld %s %s\n",
		    calls[bad].status, calls[bad].code, calls[bad].message,
		    ref->status, ref->code, ref->message);
}

static void
calls_free(struct call *calls, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(calls[i].raw.p);
		calls[i].raw.p = NULL;
	}
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
count(const char *sql, const char *arg)
{
	const char	*p[1] = { arg };
	const char	*v = sql_value(sql, 1, p);

	return v != NULL ? atol(v) : -1;
}

#define VPCS		"SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1"
#define TAGGED		"SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1" \
			" AND tags ? 'guard'"
#define UNUSED		"SELECT count(*) FROM cloudsim.access_keys WHERE id = $1" \
			" AND last_used_at IS NULL"
#define RECENT		"SELECT count(*) FROM cloudsim.access_keys WHERE id = $1" \
			" AND last_used_at > now() - interval '1 minute'"

/*
 * Since last_used_at was cleared, k was served from the caches: no
 * lookup stamped it.  mod_fcgid starts processes on demand, and a new
 * one has nothing cached; entries fetched before t0 may expire: then
 * the probe says nothing.
 */
static void
from_caches(const struct key *k, bool fixed_pool, double t0,
    const char *what)
{
	char	label[200];

	if (fixed_pool && now_s() - t0 < CACHE_TTL / 2) {
		snprintf(label, sizeof(label), "%s: no lookup stamped "
		    "last_used_at", what);
		is_int(count(UNUSED, k->id), 1, label);
	} else {
		snprintf(label, sizeof(label), "%s # SKIP processes started "
		    "on demand, or too slow to tell", what);
		ok(1, label);
	}
}

/* A new access key of the account's user, through the REST API. */
static bool
new_key(struct test_account *a, struct key *k)
{
	const char	*id, *secret;

	http(&r, "POST", "/api/v1/auth/access-keys", "{}", a->headers);
	id = http_json_str(&r, "access_key_id");
	secret = http_json_str(&r, "secret_access_key");
	if (r.status != 201 || id == NULL || secret == NULL)
		return false;
	snprintf(k->id, sizeof(k->id), "%s", id);
	snprintf(k->secret, sizeof(k->secret), "%s", secret);
	return true;
}

static void
set_status(const struct key *k, const char *status)
{
	char	path[128], body[64];

	snprintf(path, sizeof(path), "/api/v1/auth/access-keys/%s", k->id);
	snprintf(body, sizeof(body), "{\"status\": \"%s\"}", status);
	http(&r, "PATCH", path, body, A.headers);
}

/* Reads through both fronts, in bursts, so every process caches k. */
static void
warm(const struct key *k, const char *name)
{
	struct call	calls[2 * BURST];
	char		label[160];
	int		i, good = 1;
	size_t		j;

	memset(calls, 0, sizeof(calls));
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 2 * BURST; j++) {
			calls[j].method = j % 2 ? "GET" : "POST";
			calls[j].path = j % 2 ? "/api/v1/vpcs" : "/";
			calls[j].body = j % 2 ? NULL : "Action=DescribeVpcs" V;
		}
		burst(k, calls, 2 * BURST);
		for (j = 0; j < 2 * BURST; j++)
			if (calls[j].status != 200)
				good = 0;
	}
	snprintf(label, sizeof(label), "%s: signed reads are served by both "
	    "fronts, in concurrent bursts", name);
	ok(good, label);
	calls_free(calls, 2 * BURST);
}

/*
 * With k refused (deactivated or deleted) while every process may
 * still have it cached: reads, writes and a tag write, through both
 * fronts, are refused as an unknown key is and write nothing.
 */
static void
refused_everywhere(const struct key *k, const struct call *ec2_ref,
    const struct call *rest_ref, const char *vpc, const char *why)
{
	struct call	calls[BURST];
	char		tags[256], name[200];
	long		vpcs = count(VPCS, A.account_id);
	const struct {
		const char	*method, *path, *body, *what;
		const struct call *ref;
	} asks[] = {
		{ "POST", "/", "Action=CreateVpc&CidrBlock=10.9.0.0%2F16" V,
		    "EC2 CreateVpc", ec2_ref },
		{ "POST", "/", tags, "EC2 CreateTags", ec2_ref },
		{ "POST", "/", "Action=DescribeInstances"
		    "&InstanceId.1=i-0123456789abcdef0" V,
		    "EC2 DescribeInstances by id", ec2_ref },
		{ "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.9.0.0/16\"}",
		    "REST POST /vpcs", rest_ref },
		{ "GET", "/api/v1/vpcs", NULL, "REST GET /vpcs", rest_ref },
	};
	size_t		i;

	memset(calls, 0, sizeof(calls));
	snprintf(tags, sizeof(tags), "Action=CreateTags&ResourceId.1=%s"
	    "&Tag.1.Key=guard&Tag.1.Value=x" V, vpc);
	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		burst_of(k, asks[i].method, asks[i].path, asks[i].body, calls);
		snprintf(name, sizeof(name), "%s: %s is refused as an unknown "
		    "key is", why, asks[i].what);
		all_like(calls, BURST, asks[i].ref, name);
	}
	snprintf(name, sizeof(name), "%s: no VPC was created", why);
	is_int(count(VPCS, A.account_id), vpcs, name);
	snprintf(name, sizeof(name), "%s: no tag was written", why);
	is_int(count(TAGGED, A.account_id), 0, name);
	calls_free(calls, BURST);
}

/*
 * The role phase: C is an admin whose key, cached as an admin's, reads
 * B's volume; C is demoted in SQL.  From then on no answer may be an
 * admin's: the guard refuses an entry cached as an admin's (at most
 * once per process: the process forgets the entry), and the key, looked
 * up again, answers as for a user.
 */
static void
role_follows(const struct key *k, const char *volume)
{
	struct call	 calls[BURST];
	char		 body[160];
	const char	*p[1] = { C.user_id };
	double		 t0;
	int		 refusals = 0, admins = 0, rounds = 0, done = 0;
	size_t		 i;

	memset(calls, 0, sizeof(calls));
	snprintf(body, sizeof(body), "Action=DescribeVolumes&VolumeId.1=%s" V,
	    volume);
	for (i = 0; i < 3; i++) {
		burst_of(k, "POST", "/", body, calls);
		all_status(calls, BURST, 200, i == 0 ? "an admin's key reads "
		    "another account's volume" : "and again (warming)");
	}
	p[0] = k->id;
	sql_exec("UPDATE cloudsim.access_keys SET last_used_at = now() -"
	    " interval '1 hour' WHERE id = $1", 1, p);
	p[0] = C.user_id;
	is_int(sql_exec("UPDATE cloudsim.users SET role = 'user'"
	    " WHERE id = $1", 1, p), 1, "demote the admin (SQL)");
	t0 = now_s();
	/* Until two bursts in a row answer as for a user. */
	while (done < 2 && now_s() - t0 < 2 * CACHE_TTL + 5) {
		burst_of(k, "POST", "/", body, calls);
		rounds++;
		for (i = 0; i < BURST; i++) {
			if (calls[i].status == 401)
				refusals++;
			if (calls[i].status == 200)
				admins++;
		}
		for (i = 0; i < BURST; i++)
			if (calls[i].status != 400 || strcmp(calls[i].code,
			    "InvalidVolume.NotFound") != 0)
				break;
		done = i == BURST ? done + 1 : 0;
	}
	is_int(admins, 0, "once demoted, no answer is an admin's, not even "
	    "from a process that cached the key as an admin's");
	ok(done == 2, "the key then answers as a user's everywhere: "
	    "InvalidVolume.NotFound");
	printf("# %d bursts, %d refusals (a process refuses its admin's "
	    "entry once, then forgets it), %.1f s\n", rounds, refusals,
	    now_s() - t0);
	ok(now_s() - t0 < CACHE_TTL, "without waiting for the cache to expire");
	is_int(count(RECENT, k->id), 1, "last_used_at was stamped when the "
	    "key was looked up again");
	calls_free(calls, BURST);
}

int
main(void)
{
	struct key	 k1, k2, kc, unknown, wrong;
	struct call	 ec2_ref, rest_ref, calls[BURST];
	char		 vpc[32], volume[32], path[128];
	const char	*p[1], *server, *v;
	double		 t0;
	long		 vpcs;
	bool		 fixed_pool;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(calls, 0, sizeof(calls));
	memset(&ec2_ref, 0, sizeof(ec2_ref));
	memset(&rest_ref, 0, sizeof(rest_ref));
	if (!account_new(&A) || !account_new(&B) || !account_new(&C) ||
	    !new_key(&A, &k1) || !new_key(&A, &k2)) {
		ok(0, "register accounts and create access keys");
		return tap_done();
	}
	p[0] = A.account_id;
	v = sql_value("SELECT id FROM cloudsim.vpcs WHERE account_id = $1"
	    " AND is_default ORDER BY id LIMIT 1", 1, p);
	snprintf(vpc, sizeof(vpc), "%s", v != NULL ? v : "vpc-none");
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    REGION "a\", \"size\": 1}", B.headers);
	snprintf(volume, sizeof(volume), "%s",
	    http_json_str(&r, "id") ? http_json_str(&r, "id") : "vol-none");
	ok(r.status == 201 && strncmp(vpc, "vpc-", 4) == 0,
	    "A has its default VPC, B a volume");

	/* What an unknown key gets: the refusals below must be the same. */
	snprintf(unknown.id, sizeof(unknown.id), "AKIAAAAAAAAAAAAAAAAA");
	snprintf(unknown.secret, sizeof(unknown.secret), "%s", k1.secret);
	ec2_ref.method = "POST";
	ec2_ref.path = "/";
	ec2_ref.body = "Action=DescribeVpcs" V;
	burst(&unknown, &ec2_ref, 1);
	ok(ec2_ref.status == 401 && strcmp(ec2_ref.code, "AuthFailure") == 0,
	    "an unknown key is 401 AuthFailure (EC2)");
	rest_ref.method = "GET";
	rest_ref.path = "/api/v1/vpcs";
	burst(&unknown, &rest_ref, 1);
	ok(rest_ref.status == 401 &&
	    strcmp(rest_ref.code, "AuthenticationFailure") == 0,
	    "an unknown key is 401 AuthenticationFailure (REST)");

	/* --- a cached key, deactivated -------------------------------- */
	t0 = now_s();
	warm(&k1, "key 1");
	/*
	 * Served from the caches: no lookup, so no stamp of last_used_at.
	 * mod_fcgid starts processes on demand, and a new one has nothing
	 * cached: there, the probe says nothing.
	 */
	http(&r, "GET", "/health/ec2", NULL, NULL);
	server = http_header(&r, "Server");
	fixed_pool = server == NULL || strncasecmp(server, "Apache", 6) != 0;
	p[0] = k1.id;
	sql_exec("UPDATE cloudsim.access_keys SET last_used_at = NULL"
	    " WHERE id = $1", 1, p);
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "a burst of warm EC2 reads");
	burst_of(&k1, "GET", "/api/v1/vpcs", NULL, calls);
	all_status(calls, BURST, 200, "a burst of warm REST reads");
	from_caches(&k1, fixed_pool, t0, "they were served from every "
	    "process's cache");

	/*
	 * Only the refusals below may not stamp: a process mod_fcgid
	 * started during the bursts looked the key up and stamped it then.
	 */
	sql_exec("UPDATE cloudsim.access_keys SET last_used_at = NULL"
	    " WHERE id = $1", 1, p);
	set_status(&k1, "Inactive");
	is_int(r.status, 200, "deactivate key 1 (REST)");
	refused_everywhere(&k1, &ec2_ref, &rest_ref, vpc, "deactivated");
	is_int(count(UNUSED, k1.id), 1, "the refused requests did not stamp "
	    "last_used_at");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " account_id = $1 AND status = 401", A.account_id), 0,
	    "no refusal is recorded under the key's account");

	set_status(&k1, "Active");
	is_int(r.status, 200, "reactivate key 1");
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "the key is served again at once");
	burst_of(&k1, "POST", "/", "Action=DescribeInstances"
	    "&InstanceId.1=i-0123456789abcdef0" V, calls);
	all_status(calls, BURST, 400, "a good key's missing instance is 400, "
	    "not 401");

	/* --- a wrong signature with a cached key ---------------------- */
	warm(&k1, "key 1 again");
	vpcs = count(VPCS, A.account_id);
	wrong = k1;
	wrong.secret[0] = wrong.secret[0] == 'A' ? 'B' : 'A';
	burst_of(&wrong, "POST", "/", "Action=CreateVpc"
	    "&CidrBlock=10.9.0.0%2F16" V, calls);
	all_like(calls, BURST, &ec2_ref, "a wrong secret with a cached key "
	    "is refused as an unknown key is (EC2)");
	burst_of(&wrong, "POST", "/api/v1/vpcs", "{\"cidr_block\": "
	    "\"10.9.0.0/16\"}", calls);
	all_like(calls, BURST, &rest_ref, "and through REST");
	is_int(count(VPCS, A.account_id), vpcs, "no VPC was created");
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "the right secret is served after it");

	/*
	 * --- a cached key signing for another region ------------------
	 * An entry keeps the signing key of one scope (day, region,
	 * service); another region's is derived from the entry's secret,
	 * without a lookup, and a wrong secret is still refused there.
	 */
	t0 = now_s();
	warm(&k1, "key 1, us-east-1");
	p[0] = k1.id;
	sql_exec("UPDATE cloudsim.access_keys SET last_used_at = NULL"
	    " WHERE id = $1", 1, p);
	sign_region = "us-west-2";
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "a cached key signing for us-west-2 is "
	    "served");
	sign_region = REGION;
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "and for us-east-1 again");
	from_caches(&k1, fixed_pool, t0, "both from the caches");
	sign_region = "us-west-2";
	burst_of(&wrong, "POST", "/", "Action=CreateVpc"
	    "&CidrBlock=10.9.0.0%2F16" V, calls);
	all_like(calls, BURST, &ec2_ref, "a wrong secret for us-west-2 with "
	    "a cached key is refused as an unknown key is");
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "the right one is served after it");
	sign_region = REGION;

	/* --- a cached key, deleted ------------------------------------ */
	warm(&k2, "key 2");
	snprintf(path, sizeof(path), "/api/v1/auth/access-keys/%s", k2.id);
	http(&r, "DELETE", path, NULL, A.headers);
	is_int(r.status, 200, "delete key 2 (REST)");
	refused_everywhere(&k2, &ec2_ref, &rest_ref, vpc, "deleted");
	burst_of(&k1, "POST", "/", "Action=DescribeVpcs" V, calls);
	all_status(calls, BURST, 200, "the user's other key is still served");

	/* --- the role: a key follows its user's -------------------------- */
	p[0] = C.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1", 1, p);
	if (!account_login(&C) || !new_key(&C, &kc))
		ok(0, "an admin's access key");
	else
		role_follows(&kc, volume);

	calls_free(calls, BURST);
	calls_free(&ec2_ref, 1);
	calls_free(&rest_ref, 1);
	http_free(&r);
	return tap_done();
}
