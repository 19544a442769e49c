/*
 * volumes.fcgi through the real web server: volumes of every type at
 * and past their limits, reads, filters and pages, tags, client-token
 * idempotency, modification, deletion, snapshots and volumes made from
 * them, attach and detach with EC2's rules, eight attaches racing for
 * one volume, what terminating an instance does to its volumes, tenancy
 * and admin reads, and the audit trail — every refusal checked to its
 * status and code with nothing written.
 *
 * Transition delays and quotas need other configuration than the shared
 * server's: for those the same executable runs as plain CGI with
 * CLOUDSIM_<KEY> in its environment ($CLOUDSIM_CGI names its
 * directory), against the same database, and the shared server reads
 * what it wrote.
 *
 * Instances come from POST /api/v1/instances (API.md's contract).  While
 * instances.fcgi does not route it yet, an instance is made the way
 * RunInstances stores one (sql/006_instances.sql: reservation, instance
 * in a default subnet, root volume attached with delete-on-termination);
 * without either, the tests that need instances are skipped and say so.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define ZONE		"us-east-1a"
#define OTHER_ZONE	"us-east-1b"
#define RACERS		8
#define POLL_SECONDS	30

static struct test_account	A, B;

/* --- small helpers ------------------------------------------------- */

static long
call(struct reply *r, const struct test_account *a, const char *method,
    const char *path, const char *body)
{
	return http(r, method, path, body, a != NULL ? a->headers : NULL);
}

static const char *
jstr(const struct reply *r, const char *path)
{
	return http_json_str(r, path);
}

/* A member of the body by a dotted path ("items.0.id" indexes arrays). */
static json_t *
jget(const struct reply *r, const char *path)
{
	char		 key[128];
	const char	*p = path, *dot;
	json_t		*v = r->json;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(key)) :
		    json_object_get(v, key);
		p = dot ? dot + 1 : p + strlen(p);
	}
	return v;
}

static long long
jint(const struct reply *r, const char *path)
{
	json_t	*v = jget(r, path);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *
jpath_str(const struct reply *r, const char *path)
{
	json_t	*v = jget(r, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
code(const struct reply *r)
{
	return jstr(r, "error.code");
}

/* status and error code together, one TAP line. */
static void
refused(const struct reply *r, long status, const char *want,
    const char *name)
{
	const char	*got = code(r);

	if (!ok(r->status == status && got != NULL && strcmp(got, want) == 0,
	    name))
		printf("#   got %ld %s, want %ld %s\n", r->status,
		    r->body ? r->body : "", status, want);
}

static long
count(const char *sql, const char *arg)
{
	const char	*p[1] = { arg };
	const char	*v = sql_value(sql, arg ? 1 : 0, p);

	return v != NULL ? atol(v) : -1;
}

static long
volumes_of(const struct test_account *a)
{
	return count("SELECT count(*) FROM cloudsim.volumes"
	    " WHERE account_id = $1", a->account_id);
}

static long
snapshots_of(const struct test_account *a)
{
	return count("SELECT count(*) FROM cloudsim.snapshots"
	    " WHERE account_id = $1", a->account_id);
}

static long
attachments_of(const struct test_account *a)
{
	return count("SELECT count(*) FROM cloudsim.volume_attachments t"
	    " JOIN cloudsim.volumes v ON v.id = t.volume_id"
	    " WHERE v.account_id = $1", a->account_id);
}

/* Create a volume from body; its id (static storage) or "" on failure. */
static const char *
volume(const struct test_account *a, const char *body)
{
	static char	 id[8][32];
	static int	 slot;
	struct reply	 r = { 0 };
	char		*out = id[slot++ % 8];

	out[0] = '\0';
	if (call(&r, a, "POST", "/api/v1/volumes", body) == 201 &&
	    jstr(&r, "id") != NULL)
		snprintf(out, 32, "%s", jstr(&r, "id"));
	else
		printf("# volume %s: %ld %s\n", body, r.status, r.body);
	http_free(&r);
	return out;
}

static const char *
path(const char *fmt, const char *id)
{
	static char	 buf[4][256];
	static int	 slot;
	char		*p = buf[slot++ % 4];

	snprintf(p, 256, fmt, id);
	return p;
}

/* --- instances ------------------------------------------------------ */

struct instance {
	char	id[32];
	char	zone[32];
	char	root_volume_id[32];
};

static int	instances_api = -1;	/* unknown, 0 no, 1 yes */
static bool	have_instances;

/* The default subnet of zone in the account's default VPC. */
static const char *
default_subnet(const struct test_account *a, const char *zone)
{
	const char	*p[2] = { a->account_id, zone };

	return sql_value("SELECT id FROM cloudsim.subnets WHERE account_id = $1"
	    " AND availability_zone = $2 AND default_for_az", 2, p);
}

static const char *
image(void)
{
	return sql_value("SELECT id FROM cloudsim.images WHERE architecture ="
	    " 'x86_64' AND root_device_name = '/dev/xvda' AND public"
	    " ORDER BY id LIMIT 1", 0, NULL);
}

/* As RunInstances stores a running instance with its root volume. */
static bool
instance_sql(const struct test_account *a, const char *zone,
    struct instance *out)
{
	const char	*p[3] = { a->account_id, zone, image() };
	const char	*v;

	v = sql_value(
	    "WITH r AS (INSERT INTO cloudsim.reservations (id, account_id,"
	    "  region) VALUES ('r-' || cloudsim.random_hex(17), $1,"
	    "  'us-east-1') RETURNING id),"
	    " i AS (INSERT INTO cloudsim.instances (id, reservation_id,"
	    "  ami_launch_index, account_id, region, availability_zone, vpc_id,"
	    "  subnet_id, image_id, instance_type, state, associate_public_ip,"
	    "  root_device_name)"
	    "  SELECT 'i-' || cloudsim.random_hex(17), r.id, 0, $1,"
	    "  'us-east-1', s.availability_zone, s.vpc_id, s.id, $3,"
	    "  't3.micro', 'running', false, '/dev/xvda'"
	    "  FROM r, cloudsim.subnets s WHERE s.account_id = $1"
	    "  AND s.availability_zone = $2 AND s.default_for_az RETURNING id),"
	    " v AS (INSERT INTO cloudsim.volumes (account_id, region,"
	    "  availability_zone, size_gib, volume_type, state)"
	    "  VALUES ($1, 'us-east-1', $2, 8, 'gp3', 'in-use') RETURNING id),"
	    " t AS (INSERT INTO cloudsim.volume_attachments (volume_id,"
	    "  instance_id, device, state, delete_on_termination)"
	    "  SELECT v.id, i.id, '/dev/xvda', 'attached', true FROM v, i)"
	    " SELECT i.id || ' ' || v.id FROM i, v", 3, p);
	if (v == NULL || sscanf(v, "%31s %31s", out->id,
	    out->root_volume_id) != 2)
		return false;
	snprintf(out->zone, sizeof(out->zone), "%s", zone);
	return true;
}

/*
 * A running instance of a in zone, through the API when instances.fcgi
 * routes it, else as RunInstances stores one.  False when neither works.
 */
static bool
instance_new(const struct test_account *a, const char *zone,
    struct instance *out)
{
	struct reply	 r = { 0 };
	char		 body[256];
	const char	*v;
	bool		 done = false;

	memset(out, 0, sizeof(*out));
	if (instances_api != 0) {
		char ami[64], subnet[64];

		/* sql_value answers in one static buffer: copy each. */
		snprintf(ami, sizeof(ami), "%s", image() ? image() : "");
		snprintf(subnet, sizeof(subnet), "%s",
		    default_subnet(a, zone) ? default_subnet(a, zone) : "");
		snprintf(body, sizeof(body), "{\"image_id\": \"%s\","
		    " \"instance_type\": \"t3.micro\", \"subnet_id\": \"%s\"}",
		    ami, subnet);
		call(&r, a, "POST", "/api/v1/instances", body);
		if (r.status == 201 && (v = jpath_str(&r, "items.0.id")) !=
		    NULL) {
			instances_api = 1;
			snprintf(out->id, sizeof(out->id), "%s", v);
			v = jpath_str(&r, "items.0.availability_zone");
			snprintf(out->zone, sizeof(out->zone), "%s",
			    v ? v : zone);
			v = jpath_str(&r, "items.0.root_volume_id");
			snprintf(out->root_volume_id,
			    sizeof(out->root_volume_id), "%s", v ? v : "");
			done = true;
		} else if (r.status == 404 || r.status == 405)
			instances_api = 0;
		else
			printf("# POST /api/v1/instances: %ld %s\n", r.status,
			    r.body);
	}
	if (!done && instances_api == 0)
		done = instance_sql(a, zone, out);
	http_free(&r);
	return done;
}

/* POST /api/v1/instances/{id}/{action}, or its stored effect. */
static bool
instance_action(const struct test_account *a, const struct instance *i,
    const char *action)
{
	struct reply	 r = { 0 };
	char		 p[128];
	const char	*params[1] = { i->id };
	bool		 done;

	if (instances_api == 1) {
		snprintf(p, sizeof(p), "/api/v1/instances/%s/%s", i->id, action);
		done = call(&r, a, "POST", p, "{}") == 200;
		if (!done)
			printf("# %s: %ld %s\n", p, r.status, r.body);
		http_free(&r);
		return done;
	}
	if (strcmp(action, "stop") == 0)
		return sql_exec("UPDATE cloudsim.instances SET state = 'stopping',"
		    " next_state = 'stopped', next_state_at = now()"
		    " WHERE id = $1", 1, params) == 1;
	return sql_exec("UPDATE cloudsim.instances SET state = 'shutting-down',"
	    " next_state = 'terminated', next_state_at = now()"
	    " WHERE id = $1", 1, params) == 1;
}

/* Wait until a stored transition with next_state_at = now() has passed. */
static void
settle(void)
{
	usleep(20000);
}

/* --- plain CGI, for other configuration ----------------------------- */

struct cgi_reply {
	int	 status;	/* -1: no reply */
	char	 out[65536];
	char	*body;
	json_t	*json;
};

/*
 * Run volumes.fcgi as plain CGI for one request of account a (may be
 * NULL) with env (NULL-terminated "KEY=value") added to the test's.
 */
static void
cgi(struct cgi_reply *c, const struct test_account *a, const char *method,
    const char *uri, const char *body, const char *const *env)
{
	static const char *const keep[] = { "DATA_DIRECTORY", "CLOUDSIM_CONF",
		"CLOUDSIM_DB", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PATH", NULL };
	char		 exe[1024], *envp[48], *q;
	const char	*dir = getenv("CLOUDSIM_CGI"), *v;
	int		 in[2], out[2], n = 0, i, status;
	size_t		 got = 0;
	ssize_t		 k;
	pid_t		 pid;

	json_decref(c->json);
	memset(c, 0, sizeof(*c));
	c->status = -1;
	snprintf(exe, sizeof(exe), "%s/volumes.fcgi", dir ? dir : "cgi-bin");
	for (i = 0; keep[i] != NULL; i++)
		if ((v = getenv(keep[i])) != NULL) {
			envp[n] = malloc(strlen(keep[i]) + strlen(v) + 2);
			sprintf(envp[n++], "%s=%s", keep[i], v);
		}
	envp[n++] = strdup("LOG_LEVEL=error");
	envp[n++] = strdup("GATEWAY_INTERFACE=CGI/1.1");
	envp[n++] = strdup("REMOTE_ADDR=127.0.0.1");
	q = strchr(uri, '?');
	envp[n] = malloc(strlen(uri) + 32);
	sprintf(envp[n++], "REQUEST_URI=%s", uri);
	envp[n] = malloc(strlen(uri) + 32);
	sprintf(envp[n++], "QUERY_STRING=%s", q ? q + 1 : "");
	envp[n] = malloc(strlen(method) + 32);
	sprintf(envp[n++], "REQUEST_METHOD=%s", method);
	if (a != NULL) {
		envp[n] = malloc(strlen(a->token) + 64);
		sprintf(envp[n++], "HTTP_AUTHORIZATION=Bearer %s", a->token);
	}
	if (body != NULL) {
		envp[n] = malloc(64);
		sprintf(envp[n++], "CONTENT_LENGTH=%zu", strlen(body));
		envp[n++] = strdup("CONTENT_TYPE=application/json");
	}
	for (i = 0; env != NULL && env[i] != NULL && n < 46; i++)
		envp[n++] = strdup(env[i]);
	envp[n] = NULL;

	if (pipe(in) != 0 || pipe(out) != 0)
		goto out;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (null >= 0)
			dup2(null, 2);
		close(in[1]);
		close(out[0]);
		execve(exe, envp, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (body != NULL && write(in[1], body, strlen(body)) < 0)
		tap_diag("cgi: could not write the body");
	close(in[1]);
	while (got < sizeof(c->out) - 1 &&
	    (k = read(out[0], c->out + got, sizeof(c->out) - 1 - got)) > 0)
		got += (size_t)k;
	c->out[got] = '\0';
	close(out[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (strncmp(c->out, "Status: ", 8) == 0)
		c->status = atoi(c->out + 8);
	if ((c->body = strstr(c->out, "\r\n\r\n")) != NULL) {
		c->body += 4;
		c->json = json_loads(c->body, 0, NULL);
	}
out:
	for (i = 0; i < n; i++)
		free(envp[i]);
}

static const char *
cgi_str(const struct cgi_reply *c, const char *key)
{
	json_t	*v = json_object_get(c->json, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
cgi_code(const struct cgi_reply *c)
{
	json_t	*v = json_object_get(json_object_get(c->json, "error"), "code");

	return json_is_string(v) ? json_string_value(v) : "";
}

/*
 * Read path until member of the body (dotted, as jget) equals want, for
 * at most POLL_SECONDS: states are asserted, never how long they took.
 */
static bool
poll_until(const struct test_account *a, const char *p, const char *member,
    const char *want)
{
	struct reply	 r = { 0 };
	const char	*v;
	bool		 seen = false;
	int		 i;

	for (i = 0; i < POLL_SECONDS * 10 && !seen; i++) {
		if (call(&r, a, "GET", p, NULL) == 200 &&
		    (v = jpath_str(&r, member)) != NULL && strcmp(v, want) == 0)
			seen = true;
		else
			usleep(100000);
	}
	if (!seen)
		printf("# %s: %s never became '%s' (last: %s)\n", p, member,
		    want, r.body);
	http_free(&r);
	return seen;
}

/* --- authentication ------------------------------------------------- */

static void
test_auth(void)
{
	struct reply	r = { 0 };

	http(&r, "GET", "/api/v1/volumes", NULL, NULL);
	refused(&r, 401, "AuthenticationFailure", "list without credentials");
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": \"" ZONE
	    "\", \"size\": 1}", NULL);
	refused(&r, 401, "AuthenticationFailure", "create without credentials");
	http(&r, "GET", "/api/v1/snapshots", NULL, NULL);
	refused(&r, 401, "AuthenticationFailure",
	    "snapshots without credentials");
	http(&r, "GET", "/health/volumes", NULL, NULL);
	is_int(r.status, 200, "health needs no credentials");
	http_free(&r);
}

/* --- create: the shape and the defaults ----------------------------- */

static void
test_create_shape(void)
{
	struct reply	 r = { 0 };
	char		 arn[128], id[32];
	const char	*v;

	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10}");
	is_int(r.status, 201, "create: 201");
	v = jstr(&r, "id");
	ok(v != NULL && strlen(v) == 21 && strncmp(v, "vol-", 4) == 0 &&
	    strspn(v + 4, "0123456789abcdef") == 17,
	    "create: id is vol- and 17 lower-case hex digits");
	snprintf(id, sizeof(id), "%s", v ? v : "");
	snprintf(arn, sizeof(arn), "arn:aws:ec2:us-east-1:%s:volume/%s",
	    A.account_id, id);
	is_str(jstr(&r, "arn"), arn, "create: arn");
	is_str(jstr(&r, "account_id"), A.account_id, "create: account_id");
	is_str(jstr(&r, "region"), "us-east-1", "create: region");
	is_str(jstr(&r, "availability_zone"), ZONE, "create: zone");
	is_int(jint(&r, "size"), 10, "create: size");
	is_str(jstr(&r, "volume_type"), "gp2", "create: gp2 by default (EC2)");
	is_int(jint(&r, "iops"), 100, "create: gp2 of 10 GiB has 100 IOPS");
	ok(json_is_null(jget(&r, "throughput")), "create: gp2 has no throughput");
	ok(json_is_false(jget(&r, "encrypted")), "create: not encrypted");
	ok(json_is_null(jget(&r, "kms_key_id")), "create: no key");
	ok(json_is_null(jget(&r, "snapshot_id")), "create: no snapshot");
	is_str(jstr(&r, "state"), "available",
	    "create: available at once without a delay");
	v = jstr(&r, "create_time");
	ok(v != NULL && strlen(v) == 24 && v[10] == 'T' && v[23] == 'Z',
	    "create: create_time is RFC 3339 with milliseconds");
	ok(json_is_array(jget(&r, "attachments")) &&
	    json_array_size(jget(&r, "attachments")) == 0,
	    "create: no attachments");
	ok(json_is_false(jget(&r, "multi_attach_enabled")),
	    "create: multi_attach_enabled false");
	ok(json_is_object(jget(&r, "tags")) &&
	    json_object_size(jget(&r, "tags")) == 0, "create: no tags");
	ok(strstr(http_header(&r, "Content-Type") ?
	    http_header(&r, "Content-Type") : "", "application/json") != NULL,
	    "create: JSON");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'CreateVolume' AND status = 201 AND $1 = ANY (resource_ids)", id),
	    1, "create: audited as CreateVolume");

	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 2000, \"tags\": {\"Name\": \"data\"}}");
	is_int(jint(&r, "iops"), 6000, "gp2: 3 IOPS per GiB");
	is_str(jstr(&r, "tags.Name"), "data", "create: with tags");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 6000}");
	is_int(jint(&r, "iops"), 16000, "gp2: at most 16000 IOPS");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 1, \"volume_type\": \"gp3\"}");
	is_int(jint(&r, "iops"), 3000, "gp3: 3000 IOPS baseline at any size");
	is_int(jint(&r, "throughput"), 125, "gp3: 125 MiB/s baseline");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    OTHER_ZONE "\", \"size\": 8, \"volume_type\": \"gp3\","
	    " \"iops\": 4000, \"throughput\": 1000}");
	is_int(r.status, 201, "gp3: 4000 IOPS at 8 GiB (500 per GiB), 1000 MiB/s");
	is_int(jint(&r, "throughput"), 1000, "gp3: throughput stored");
	http_free(&r);
}

/* --- the limits of each type ---------------------------------------- */

struct limit_case {
	const char	*body;		/* without the zone */
	long		 status;
	const char	*code;		/* NULL: 201 */
	const char	*name;
};

static const struct limit_case limit_cases[] = {
	{ "\"size\": 0", 400, "InvalidParameterValue", "gp2: 0 GiB is too small" },
	{ "\"size\": 16385", 400, "InvalidParameterValue", "gp2: 16385 GiB is too large" },
	{ "\"size\": 16384", 201, NULL, "gp2: 16384 GiB is the maximum" },
	{ "\"size\": 10, \"iops\": 300", 400, "InvalidParameterCombination",
	  "gp2: iops cannot be set" },
	{ "\"size\": 10, \"throughput\": 200", 400, "InvalidParameterCombination",
	  "gp2: throughput cannot be set" },
	{ "\"size\": 16385, \"volume_type\": \"gp3\"", 400, "InvalidParameterValue",
	  "gp3: 16385 GiB is too large" },
	{ "\"size\": 10, \"volume_type\": \"gp3\", \"iops\": 2999", 400,
	  "InvalidParameterValue", "gp3: 2999 IOPS is below 3000" },
	{ "\"size\": 100, \"volume_type\": \"gp3\", \"iops\": 16001", 400,
	  "InvalidParameterValue", "gp3: 16001 IOPS is above 16000" },
	{ "\"size\": 7, \"volume_type\": \"gp3\", \"iops\": 3501", 400,
	  "InvalidParameterValue", "gp3: more than 500 IOPS per GiB" },
	{ "\"size\": 7, \"volume_type\": \"gp3\", \"iops\": 3500", 201, NULL,
	  "gp3: exactly 500 IOPS per GiB" },
	{ "\"size\": 10, \"volume_type\": \"gp3\", \"throughput\": 124", 400,
	  "InvalidParameterValue", "gp3: 124 MiB/s is below 125" },
	{ "\"size\": 100, \"volume_type\": \"gp3\", \"iops\": 16000,"
	  " \"throughput\": 1001", 400, "InvalidParameterValue",
	  "gp3: 1001 MiB/s is above 1000" },
	{ "\"size\": 10, \"volume_type\": \"gp3\", \"throughput\": 751", 400,
	  "InvalidParameterValue", "gp3: more than 0.25 MiB/s per IOPS" },
	{ "\"size\": 10, \"volume_type\": \"gp3\", \"throughput\": 750", 201,
	  NULL, "gp3: 750 MiB/s with 3000 IOPS" },
	{ "\"size\": 10, \"volume_type\": \"io1\"", 400,
	  "InvalidParameterCombination", "io1: iops must be given" },
	{ "\"size\": 3, \"volume_type\": \"io1\", \"iops\": 100", 400,
	  "InvalidParameterValue", "io1: 3 GiB is too small" },
	{ "\"size\": 16385, \"volume_type\": \"io1\", \"iops\": 100", 400,
	  "InvalidParameterValue", "io1: 16385 GiB is too large" },
	{ "\"size\": 4, \"volume_type\": \"io1\", \"iops\": 200", 201, NULL,
	  "io1: 50 IOPS per GiB" },
	{ "\"size\": 4, \"volume_type\": \"io1\", \"iops\": 201", 400,
	  "InvalidParameterValue", "io1: more than 50 IOPS per GiB" },
	{ "\"size\": 10, \"volume_type\": \"io1\", \"iops\": 99", 400,
	  "InvalidParameterValue", "io1: 99 IOPS is below 100" },
	{ "\"size\": 2000, \"volume_type\": \"io1\", \"iops\": 64001", 400,
	  "InvalidParameterValue", "io1: 64001 IOPS is above 64000" },
	{ "\"size\": 10, \"volume_type\": \"io1\", \"iops\": 100,"
	  " \"throughput\": 200", 400, "InvalidParameterCombination",
	  "io1: throughput cannot be set" },
	{ "\"size\": 10, \"volume_type\": \"io2\"", 400,
	  "InvalidParameterCombination", "io2: iops must be given" },
	{ "\"size\": 65537, \"volume_type\": \"io2\", \"iops\": 100", 400,
	  "InvalidParameterValue", "io2: 65537 GiB is too large" },
	{ "\"size\": 100, \"volume_type\": \"io2\", \"iops\": 100000", 201,
	  NULL, "io2 (Block Express): 1000 IOPS per GiB" },
	{ "\"size\": 100, \"volume_type\": \"io2\", \"iops\": 100001", 400,
	  "InvalidParameterValue", "io2: more than 1000 IOPS per GiB" },
	{ "\"size\": 300, \"volume_type\": \"io2\", \"iops\": 256001", 400,
	  "InvalidParameterValue", "io2: 256001 IOPS is above 256000" },
	{ "\"size\": 124, \"volume_type\": \"st1\"", 400, "InvalidParameterValue",
	  "st1: 124 GiB is too small" },
	{ "\"size\": 125, \"volume_type\": \"st1\"", 201, NULL,
	  "st1: 125 GiB is the minimum" },
	{ "\"size\": 500, \"volume_type\": \"st1\", \"iops\": 500", 400,
	  "InvalidParameterCombination", "st1: no iops" },
	{ "\"size\": 16385, \"volume_type\": \"sc1\"", 400,
	  "InvalidParameterValue", "sc1: 16385 GiB is too large" },
	{ "\"size\": 125, \"volume_type\": \"sc1\"", 201, NULL,
	  "sc1: 125 GiB" },
	{ "\"size\": 1024, \"volume_type\": \"standard\"", 201, NULL,
	  "standard: 1024 GiB is the maximum" },
	{ "\"size\": 1025, \"volume_type\": \"standard\"", 400,
	  "InvalidParameterValue", "standard: 1025 GiB is too large" },
	{ "\"size\": 10, \"volume_type\": \"standard\", \"throughput\": 200",
	  400, "InvalidParameterCombination", "standard: no throughput" },
	{ "\"size\": 10, \"volume_type\": \"gp9\"", 400, "InvalidParameterValue",
	  "an unknown type" },
	{ "\"size\": 10, \"volume_type\": \"GP2\"", 400, "InvalidParameterValue",
	  "types are lower-case, as EC2's" },
	{ "\"size\": \"10\"", 400, "InvalidParameterValue",
	  "size must be a JSON integer" },
	{ "\"size\": -1", 400, "InvalidParameterValue", "a negative size" },
	{ "\"size\": 10, \"iops\": 1.5", 400, "InvalidParameterValue",
	  "iops must be an integer" },
	{ "\"size\": 10, \"encrypted\": \"yes\"", 400, "InvalidParameterValue",
	  "encrypted must be a boolean" },
	{ "\"size\": 10, \"kms_key_id\": \"alias/aws/ebs\"", 400,
	  "InvalidParameterDependency", "a key needs encrypted" },
	{ "\"size\": 10, \"encrypted\": true, \"kms_key_id\": \"not a key\"", 400,
	  "InvalidParameterValue", "a key that is no id, alias or ARN" },
	{ "\"size\": 10, \"colour\": \"blue\"", 400, "UnknownParameter",
	  "an unknown member" },
	{ "\"size\": 10, \"tags\": {\"aws:x\": \"y\"}", 400,
	  "InvalidParameterValue", "an aws: tag" },
	{ "\"size\": 10, \"tags\": [\"x\"]", 400, "InvalidParameterValue",
	  "tags must be an object" },
	{ "\"size\": 10, \"snapshot_id\": \"snap-xyz\"", 400,
	  "InvalidSnapshotID.Malformed", "a malformed snapshot id" },
	{ "\"size\": 10, \"snapshot_id\": \"snap-0123456789abcdef0\"", 404,
	  "InvalidSnapshot.NotFound", "an unknown snapshot" },
	{ "\"volume_type\": \"gp3\"", 400, "MissingParameter",
	  "neither size nor snapshot" },
	{ "\"size\": 10, \"client_token\": "
	  "\"12345678901234567890123456789012345678901234567890123456789012345\"",
	  400, "InvalidParameterValue", "a client token of 65 characters" },
};

static void
test_limits(void)
{
	struct reply	 r = { 0 };
	char		 body[512], name[160];
	long		 before = volumes_of(&A), made = 0;
	size_t		 i;
	const struct limit_case *c;

	for (i = 0; i < sizeof(limit_cases) / sizeof(limit_cases[0]); i++) {
		c = &limit_cases[i];
		snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\", %s}",
		    ZONE, c->body);
		call(&r, &A, "POST", "/api/v1/volumes", body);
		if (c->code == NULL) {
			is_int(r.status, c->status, c->name);
			made++;
		} else
			refused(&r, c->status, c->code, c->name);
		if (c->code != NULL) {
			const char *m = jstr(&r, "error.message");
			snprintf(name, sizeof(name), "%s: the message starts "
			    "lower-case (or with a quoted name)", c->name);
			ok(m != NULL && ((m[0] >= 'a' && m[0] <= 'z') ||
			    m[0] == '\''), name);
		}
	}
	is_int(volumes_of(&A), before + made,
	    "limits: no refused request wrote a volume");

	call(&r, &A, "POST", "/api/v1/volumes", "{\"size\": 10}");
	refused(&r, 400, "MissingParameter", "no zone");
	ok(strstr(r.body, "availability_zone") != NULL,
	    "no zone: the message names the parameter");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\":"
	    " \"us-east-1z\", \"size\": 10}");
	refused(&r, 400, "InvalidZone.NotFound", "an unknown zone");
	ok(strstr(r.body, "'us-east-1z'") != NULL,
	    "an unknown zone: the message quotes it");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\":"
	    " \"eu-west-1a\", \"size\": 10}");
	refused(&r, 400, "InvalidZone.NotFound", "a zone of another region");
	http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\": ",
	    A.headers);
	refused(&r, 400, "MalformedJSON", "a body that is not JSON");
	is_int(volumes_of(&A), before + made, "zones: nothing written");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'CreateVolume' AND error_code = 'InvalidZone.NotFound'"
	    " AND account_id = $1", A.account_id), 2,
	    "refusals are audited with their code");
	http_free(&r);
}

static void
test_encryption(void)
{
	struct reply	 r = { 0 };
	char		 want[160];
	const char	*v;

	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10, \"encrypted\": true}");
	is_int(r.status, 201, "encrypted: 201");
	ok(json_is_true(jget(&r, "encrypted")), "encrypted: true");
	v = jstr(&r, "kms_key_id");
	snprintf(want, sizeof(want), "arn:aws:kms:us-east-1:%s:key/",
	    A.account_id);
	ok(v != NULL && strncmp(v, want, strlen(want)) == 0 &&
	    strlen(v) == strlen(want) + 36,
	    "encrypted: the default key (alias/aws/ebs) is a key ARN");
	snprintf(want, sizeof(want), "%s", v ? v : "");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10, \"encrypted\": true,"
	    " \"kms_key_id\": \"alias/aws/ebs\"}");
	is_str(jstr(&r, "kms_key_id"), want,
	    "encrypted: alias/aws/ebs is the same key every time");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10, \"encrypted\": true,"
	    " \"kms_key_id\": \"1234abcd-12ab-34cd-56ef-1234567890ab\"}");
	snprintf(want, sizeof(want), "arn:aws:kms:us-east-1:%s:key/"
	    "1234abcd-12ab-34cd-56ef-1234567890ab", A.account_id);
	is_str(jstr(&r, "kms_key_id"), want, "encrypted: a key id becomes its ARN");
	call(&r, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10, \"encrypted\": true,"
	    " \"kms_key_id\": \"alias/my-key\"}");
	snprintf(want, sizeof(want), "arn:aws:kms:us-east-1:%s:alias/my-key",
	    A.account_id);
	is_str(jstr(&r, "kms_key_id"), want, "encrypted: an alias becomes its ARN");
	http_free(&r);
}

/* --- reads, filters, pages ------------------------------------------ */

static void
test_reads(void)
{
	struct test_account	 C;
	struct reply		 r = { 0 };
	const char		*v1, *v2, *v3;
	char			 p[256], id1[32], id2[32], id3[32];

	if (!account_new(&C)) {
		ok(0, "reads: an account");
		return;
	}
	v1 = volume(&C, "{\"availability_zone\": \"" ZONE "\", \"size\": 5,"
	    " \"tags\": {\"Name\": \"web\", \"env\": \"prod\"}}");
	snprintf(id1, sizeof(id1), "%s", v1);
	v2 = volume(&C, "{\"availability_zone\": \"" OTHER_ZONE "\","
	    " \"size\": 6, \"volume_type\": \"gp3\","
	    " \"tags\": {\"Name\": \"db\"}}");
	snprintf(id2, sizeof(id2), "%s", v2);
	call(&r, &C, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 7, \"volume_type\": \"st1\"}");
	ok(id1[0] && id2[0] && r.status == 400, "reads: st1 of 7 GiB refused");
	v3 = volume(&C, "{\"availability_zone\": \"" ZONE "\", \"size\": 125,"
	    " \"volume_type\": \"st1\", \"encrypted\": true}");
	snprintf(id3, sizeof(id3), "%s", v3);

	call(&r, &C, "GET", path("/api/v1/volumes/%s", id2), NULL);
	is_int(r.status, 200, "get: 200");
	is_str(jstr(&r, "id"), id2, "get: the volume");
	is_str(jstr(&r, "volume_type"), "gp3", "get: its type");
	call(&r, &C, "GET", "/api/v1/volumes/vol-xyz", NULL);
	refused(&r, 400, "InvalidVolumeID.Malformed", "get: vol-xyz is malformed");
	ok(strstr(r.body, "'vol-xyz'") != NULL, "get: the message quotes it");
	call(&r, &C, "GET", "/api/v1/volumes/vol-0123456789abcdef0", NULL);
	refused(&r, 404, "InvalidVolume.NotFound", "get: unknown volume");
	call(&r, &C, "GET", "/api/v1/volumes/vol-0123456789ABCDEF0", NULL);
	refused(&r, 400, "InvalidVolumeID.Malformed", "get: upper-case hex");
	call(&r, &C, "GET", "/api/v1/volumes/vol-01234567", NULL);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "get: an 8-digit id (EC2's older form) is well formed");

	call(&r, &C, "GET", "/api/v1/volumes", NULL);
	is_int(r.status, 200, "list: 200");
	is_int(jint(&r, "total"), 3, "list: the account's three volumes");
	is_str(jpath_str(&r, "items.0.id"), id1, "list: creation order");
	is_str(jpath_str(&r, "items.2.id"), id3, "list: creation order, last");
	is_int(jint(&r, "page"), 1, "list: page 1");
	is_int(jint(&r, "page_size"), 20, "list: page_size 20 by default");
	is_int(jint(&r, "total_pages"), 1, "list: one page");
	call(&r, &C, "GET", "/api/v1/volumes?page_size=2&page=2", NULL);
	is_int(json_array_size(jget(&r, "items")), 1, "pages: the second of two");
	is_str(jpath_str(&r, "items.0.id"), id3, "pages: its volume");
	is_int(jint(&r, "total_pages"), 2, "pages: two");
	call(&r, &C, "GET", "/api/v1/volumes?page_size=0", NULL);
	refused(&r, 400, "InvalidParameterValue", "pages: page_size 0");
	call(&r, &C, "GET", "/api/v1/volumes?page_size=1001", NULL);
	refused(&r, 400, "InvalidParameterValue", "pages: page_size 1001");

	call(&r, &C, "GET", "/api/v1/volumes?volume_type=gp3", NULL);
	ok(jint(&r, "total") == 1 && jpath_str(&r, "items.0.id") &&
	    strcmp(jpath_str(&r, "items.0.id"), id2) == 0,
	    "filter: volume_type");
	call(&r, &C, "GET", "/api/v1/volumes?volume_type=gp3&volume_type=st1",
	    NULL);
	is_int(jint(&r, "total"), 2, "filter: repeated values are OR-ed");
	call(&r, &C, "GET", "/api/v1/volumes?availability_zone=" ZONE, NULL);
	is_int(jint(&r, "total"), 2, "filter: availability_zone");
	call(&r, &C, "GET", "/api/v1/volumes?availability_zone=" ZONE
	    "&volume_type=gp2", NULL);
	is_int(jint(&r, "total"), 1, "filter: keys are AND-ed");
	call(&r, &C, "GET", "/api/v1/volumes?status=available", NULL);
	is_int(jint(&r, "total"), 3, "filter: status");
	call(&r, &C, "GET", "/api/v1/volumes?status=in-use", NULL);
	is_int(jint(&r, "total"), 0, "filter: status in-use");
	call(&r, &C, "GET", "/api/v1/volumes?state=available", NULL);
	is_int(jint(&r, "total"), 3, "filter: state (the name API.md uses)");
	call(&r, &C, "GET", "/api/v1/volumes?encrypted=true", NULL);
	is_int(jint(&r, "total"), 1, "filter: encrypted");
	call(&r, &C, "GET", "/api/v1/volumes?size=6", NULL);
	is_int(jint(&r, "total"), 1, "filter: size");
	snprintf(p, sizeof(p), "/api/v1/volumes?volume_id=%s&volume_id=%s",
	    id1, id3);
	call(&r, &C, "GET", p, NULL);
	is_int(jint(&r, "total"), 2, "filter: volume_id");
	call(&r, &C, "GET", "/api/v1/volumes?tag:Name=web", NULL);
	ok(jint(&r, "total") == 1 && jpath_str(&r, "items.0.id") &&
	    strcmp(jpath_str(&r, "items.0.id"), id1) == 0, "filter: tag:Name");
	call(&r, &C, "GET", "/api/v1/volumes?tag:Name=web&tag:Name=db", NULL);
	is_int(jint(&r, "total"), 2, "filter: tag values OR-ed");
	call(&r, &C, "GET", "/api/v1/volumes?tag:Name=web&tag:env=dev", NULL);
	is_int(jint(&r, "total"), 0, "filter: tag keys AND-ed");
	call(&r, &C, "GET", "/api/v1/volumes?attachment_instance_id="
	    "i-0123456789abcdef0", NULL);
	is_int(jint(&r, "total"), 0, "filter: attachment_instance_id");
	call(&r, &C, "GET", "/api/v1/volumes?colour=blue", NULL);
	refused(&r, 400, "InvalidParameterValue", "filter: unknown key");

	http(&r, "GET", "/api/v1/volumes", NULL,
	    (const char *const[]){ C.bearer, "X-Region: eu-west-1", NULL });
	is_int(jint(&r, "total"), 0, "region: none in eu-west-1");
	http(&r, "GET", path("/api/v1/volumes/%s", id1), NULL,
	    (const char *const[]){ C.bearer, "X-Region: eu-west-1", NULL });
	refused(&r, 404, "InvalidVolume.NotFound",
	    "region: a volume is seen in its own region only");
	http(&r, "GET", "/api/v1/volumes", NULL,
	    (const char *const[]){ C.bearer, "X-Region: mars-north-1", NULL });
	refused(&r, 400, "InvalidParameterValue", "region: an unknown region");
	call(&r, &C, "PUT", "/api/v1/volumes", "{}");
	is_int(r.status, 405, "a wrong method is 405");
	http_free(&r);
}

/* --- idempotency ---------------------------------------------------- */

static void
test_idempotency(void)
{
	struct reply	 r = { 0 };
	char		 first[32], token[64], body[256];
	long		 before = volumes_of(&A);

	snprintf(token, sizeof(token), "tok-%ld-%d", (long)time(NULL),
	    (int)getpid());
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 12, \"volume_type\": \"gp3\", \"client_token\": \"%s\","
	    " \"tags\": {\"Name\": \"once\"}}", ZONE, token);
	call(&r, &A, "POST", "/api/v1/volumes", body);
	is_int(r.status, 201, "token: created");
	snprintf(first, sizeof(first), "%s", jstr(&r, "id") ? jstr(&r, "id") :
	    "");
	call(&r, &A, "POST", "/api/v1/volumes", body);
	is_int(r.status, 201, "token: a retry answers as the first call");
	is_str(jstr(&r, "id"), first, "token: with the same volume");
	is_int(volumes_of(&A), before + 1, "token: one volume only");
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 13, \"volume_type\": \"gp3\", \"client_token\": \"%s\","
	    " \"tags\": {\"Name\": \"once\"}}", ZONE, token);
	call(&r, &A, "POST", "/api/v1/volumes", body);
	refused(&r, 400, "IdempotentParameterMismatch",
	    "token: other parameters");
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 12, \"volume_type\": \"gp3\", \"client_token\": \"%s\"}",
	    ZONE, token);
	call(&r, &A, "POST", "/api/v1/volumes", body);
	refused(&r, 400, "IdempotentParameterMismatch",
	    "token: other tags are other parameters");
	is_int(volumes_of(&A), before + 1, "token: mismatches write nothing");
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 12, \"volume_type\": \"gp3\", \"client_token\": \"%s\","
	    " \"tags\": {\"Name\": \"once\"}}", ZONE, token);
	call(&r, &B, "POST", "/api/v1/volumes", body);
	ok(r.status == 201 && jstr(&r, "id") && strcmp(jstr(&r, "id"), first),
	    "token: another account's token is its own");
	http_free(&r);
}

/* --- tags ----------------------------------------------------------- */

static void
test_tags(void)
{
	struct reply	 r = { 0 };
	char		 id[32], body[4096];
	size_t		 len;
	int		 i;

	snprintf(id, sizeof(id), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 1, \"tags\": {\"a\": \"1\"}}"));
	call(&r, &A, "PUT", path("/api/v1/volumes/%s/tags", id),
	    "{\"tags\": {\"b\": \"2\", \"a\": \"one\"}}");
	is_int(r.status, 200, "tags: merged");
	ok(jstr(&r, "tags.a") && strcmp(jstr(&r, "tags.a"), "one") == 0 &&
	    jstr(&r, "tags.b") && strcmp(jstr(&r, "tags.b"), "2") == 0,
	    "tags: all tags after the merge");
	call(&r, &A, "DELETE", path("/api/v1/volumes/%s/tags?key=a", id), NULL);
	ok(r.status == 200 && jstr(&r, "tags.a") == NULL &&
	    jstr(&r, "tags.b") != NULL, "tags: one removed");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", id), NULL);
	ok(jstr(&r, "tags.a") == NULL && jstr(&r, "tags.b") != NULL,
	    "tags: the volume shows them");
	len = (size_t)snprintf(body, sizeof(body), "{\"tags\": {");
	for (i = 0; i < 50; i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
		    "%s\"k%d\": \"v\"", i ? ", " : "", i);
	snprintf(body + len, sizeof(body) - len, "}}");
	call(&r, &A, "PUT", path("/api/v1/volumes/%s/tags", id), body);
	refused(&r, 400, "TagLimitExceeded", "tags: 51 in all is too many");
	call(&r, &A, "PUT", path("/api/v1/volumes/%s/tags", id),
	    "{\"tags\": {\"AWS:x\": \"y\"}}");
	refused(&r, 400, "InvalidParameterValue", "tags: aws: keys are AWS's");
	call(&r, &A, "PUT", "/api/v1/volumes/vol-0123456789abcdef0/tags",
	    "{\"tags\": {\"x\": \"y\"}}");
	refused(&r, 404, "InvalidVolume.NotFound", "tags: unknown volume");
	call(&r, &B, "PUT", path("/api/v1/volumes/%s/tags", id),
	    "{\"tags\": {\"x\": \"y\"}}");
	refused(&r, 404, "InvalidVolume.NotFound",
	    "tags: another account's volume");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", id), NULL);
	is_int(json_object_size(jget(&r, "tags")), 1,
	    "tags: refusals changed nothing");
	http_free(&r);
}

/* --- modify and delete ---------------------------------------------- */

static void
test_modify(void)
{
	struct reply	 r = { 0 };
	char		 id[32], mag[32];
	const char	*p;

	snprintf(id, sizeof(id), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10}"));
	p = path("/api/v1/volumes/%s", id);
	call(&r, &A, "PATCH", p, "{\"size\": 20}");
	is_int(r.status, 200, "modify: grow");
	is_int(jint(&r, "size"), 20, "modify: the new size at once");
	is_int(jint(&r, "iops"), 100, "modify: gp2 IOPS follow the size");
	is_str(jstr(&r, "modification.modification_state"), "completed",
	    "modify: the modification completed");
	is_int(jint(&r, "modification.original_size"), 10,
	    "modify: original_size");
	is_int(jint(&r, "modification.target_size"), 20, "modify: target_size");
	call(&r, &A, "PATCH", p, "{\"size\": 19}");
	refused(&r, 400, "InvalidParameterValue", "modify: shrinking");
	call(&r, &A, "PATCH", p, "{}");
	refused(&r, 400, "MissingParameter", "modify: nothing asked");
	call(&r, &A, "PATCH", p, "{\"iops\": 500}");
	refused(&r, 400, "InvalidParameterCombination",
	    "modify: gp2 takes no iops");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"gp3\"}");
	is_int(r.status, 200, "modify: gp2 to gp3");
	ok(jint(&r, "iops") == 3000 && jint(&r, "throughput") == 125,
	    "modify: gp3's baseline");
	is_str(jstr(&r, "modification.original_volume_type"), "gp2",
	    "modify: original type");
	is_int(jint(&r, "modification.original_iops"), 100,
	    "modify: original iops");
	call(&r, &A, "PATCH", p, "{\"iops\": 10001}");
	refused(&r, 400, "InvalidParameterValue",
	    "modify: gp3 20 GiB allows 10000 IOPS");
	call(&r, &A, "PATCH", p, "{\"iops\": 10000, \"throughput\": 500}");
	ok(r.status == 200 && jint(&r, "iops") == 10000 &&
	    jint(&r, "throughput") == 500, "modify: iops and throughput");
	call(&r, &A, "PATCH", p, "{\"size\": 30}");
	ok(r.status == 200 && jint(&r, "iops") == 10000 &&
	    jint(&r, "throughput") == 500, "modify: growing keeps them");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"io1\"}");
	refused(&r, 400, "InvalidParameterValue",
	    "modify: to io1 takes 3000 IOPS, more than 50 per GiB of 30");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"io1\", \"size\": 60}");
	ok(r.status == 200 && jint(&r, "iops") == 3000 &&
	    json_is_null(jget(&r, "throughput")),
	    "modify: to io1 with 3000 IOPS (EC2's default)");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"standard\"}");
	refused(&r, 400, "InvalidParameterValue", "modify: not to standard");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"sc1\"}");
	refused(&r, 400, "InvalidParameterValue", "modify: sc1 needs 125 GiB");
	call(&r, &A, "PATCH", p, "{\"volume_type\": \"nvme\"}");
	refused(&r, 400, "InvalidParameterValue", "modify: unknown type");
	call(&r, &A, "PATCH", p, "{\"size\": 10, \"colour\": 1}");
	refused(&r, 400, "UnknownParameter", "modify: unknown member");
	call(&r, &A, "GET", p, NULL);
	ok(jint(&r, "size") == 60 && jstr(&r, "volume_type") &&
	    strcmp(jstr(&r, "volume_type"), "io1") == 0 &&
	    jint(&r, "iops") == 3000, "modify: refusals changed nothing");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'ModifyVolume' AND status = 200 AND $1 = ANY (resource_ids)", id),
	    5, "modify: each change audited");

	snprintf(mag, sizeof(mag), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 10, \"volume_type\": \"standard\"}"));
	call(&r, &A, "PATCH", path("/api/v1/volumes/%s", mag), "{\"size\": 20}");
	refused(&r, 400, "InvalidParameterValue",
	    "modify: standard (magnetic) volumes are not modified");
	call(&r, &A, "PATCH", "/api/v1/volumes/vol-0123456789abcdef0",
	    "{\"size\": 20}");
	refused(&r, 404, "InvalidVolume.NotFound", "modify: unknown volume");
	call(&r, &B, "PATCH", p, "{\"size\": 100}");
	refused(&r, 404, "InvalidVolume.NotFound",
	    "modify: another account's volume");
	call(&r, &A, "PATCH", "/api/v1/volumes/vol-1", "{\"size\": 100}");
	refused(&r, 400, "InvalidVolumeID.Malformed", "modify: malformed id");
	http_free(&r);
}

static void
test_delete(void)
{
	struct reply	 r = { 0 };
	char		 id[32];
	const char	*p;

	snprintf(id, sizeof(id), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 1}"));
	p = path("/api/v1/volumes/%s", id);
	call(&r, &B, "DELETE", p, NULL);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "delete: another account's volume is unknown");
	call(&r, &A, "DELETE", p, NULL);
	ok(r.status == 200 && json_is_true(jget(&r, "return")),
	    "delete: 200 {\"return\": true}");
	call(&r, &A, "GET", p, NULL);
	refused(&r, 404, "InvalidVolume.NotFound", "delete: gone");
	call(&r, &A, "DELETE", p, NULL);
	refused(&r, 404, "InvalidVolume.NotFound", "delete: twice");
	call(&r, &A, "DELETE", "/api/v1/volumes/volume-1", NULL);
	refused(&r, 400, "InvalidVolumeID.Malformed", "delete: malformed id");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'DeleteVolume' AND $1 = ANY (resource_ids)", id), 3,
	    "delete: the success and both refusals audited");
	http_free(&r);
}

/* --- snapshots ------------------------------------------------------ */

static void
test_snapshots(void)
{
	struct reply	 r = { 0 };
	char		 vol[32], enc[32], snap[32], esnap[32], arn[400], big[300];
	const char	*v;
	long		 before;

	snprintf(vol, sizeof(vol), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 20, \"volume_type\": \"gp3\"}"));
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", vol),
	    "{\"description\": \"nightly\", \"tags\": {\"Name\": \"n1\"}}");
	is_int(r.status, 201, "snapshot: 201");
	v = jstr(&r, "id");
	ok(v != NULL && strlen(v) == 22 && strncmp(v, "snap-", 5) == 0,
	    "snapshot: id is snap- and 17 hex digits");
	snprintf(snap, sizeof(snap), "%s", v ? v : "");
	snprintf(arn, sizeof(arn), "arn:aws:ec2:us-east-1:%s:snapshot/%s",
	    A.account_id, snap);
	is_str(jstr(&r, "arn"), arn, "snapshot: arn");
	is_str(jstr(&r, "volume_id"), vol, "snapshot: volume_id");
	is_int(jint(&r, "volume_size"), 20, "snapshot: volume_size");
	is_str(jstr(&r, "state"), "completed",
	    "snapshot: completed at once without a delay");
	is_str(jstr(&r, "progress"), "100%", "snapshot: progress 100%");
	v = jstr(&r, "start_time");
	ok(v != NULL && strlen(v) == 24 && v[23] == 'Z', "snapshot: start_time");
	is_str(jstr(&r, "description"), "nightly", "snapshot: description");
	ok(json_is_false(jget(&r, "encrypted")), "snapshot: not encrypted");
	is_str(jstr(&r, "owner_id"), A.account_id, "snapshot: owner_id");
	is_str(jstr(&r, "tags.Name"), "n1", "snapshot: tags");

	call(&r, &A, "GET", path("/api/v1/snapshots/%s", snap), NULL);
	ok(r.status == 200 && jstr(&r, "id") && !strcmp(jstr(&r, "id"), snap),
	    "snapshot: get");
	call(&r, &A, "GET", path("/api/v1/snapshots?volume_id=%s", vol), NULL);
	ok(jint(&r, "total") == 1 && jpath_str(&r, "items.0.id") &&
	    !strcmp(jpath_str(&r, "items.0.id"), snap),
	    "snapshots: filter volume_id");
	call(&r, &A, "GET", "/api/v1/snapshots?status=pending&tag:Name=n1",
	    NULL);
	is_int(jint(&r, "total"), 0, "snapshots: filter status");
	call(&r, &A, "GET", "/api/v1/snapshots?tag:Name=n1", NULL);
	is_int(jint(&r, "total"), 1, "snapshots: filter tag");
	call(&r, &A, "GET", "/api/v1/snapshots?volume=1", NULL);
	refused(&r, 400, "InvalidParameterValue", "snapshots: unknown filter");
	call(&r, &A, "GET", "/api/v1/snapshots/snap-xyz", NULL);
	refused(&r, 400, "InvalidSnapshotID.Malformed",
	    "snapshot: malformed id");
	call(&r, &A, "GET", "/api/v1/snapshots/snap-0123456789abcdef0", NULL);
	refused(&r, 404, "InvalidSnapshot.NotFound", "snapshot: unknown");

	before = snapshots_of(&A);
	memset(big, 'x', 256);
	big[256] = '\0';
	snprintf(arn, sizeof(arn), "{\"description\": \"%s\"}", big);
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", vol), arn);
	refused(&r, 400, "InvalidParameterValue",
	    "snapshot: a description of 256 characters");
	call(&r, &A, "POST",
	    "/api/v1/volumes/vol-0123456789abcdef0/snapshots", "{}");
	refused(&r, 404, "InvalidVolume.NotFound", "snapshot: unknown volume");
	call(&r, &B, "POST", path("/api/v1/volumes/%s/snapshots", vol), "{}");
	refused(&r, 404, "InvalidVolume.NotFound",
	    "snapshot: another account's volume");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", vol),
	    "{\"name\": \"x\"}");
	refused(&r, 400, "UnknownParameter", "snapshot: unknown member");
	is_int(snapshots_of(&A), before, "snapshot: refusals wrote nothing");

	/* Volumes from it. */
	call(&r, &A, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" OTHER_ZONE "\", \"snapshot_id\": \"%s\"}", snap));
	ok(r.status == 201 && jint(&r, "size") == 20,
	    "from snapshot: its size by default, in any zone of the region");
	is_str(jstr(&r, "snapshot_id"), snap, "from snapshot: snapshot_id");
	is_str(jstr(&r, "volume_type"), "gp2", "from snapshot: its own type");
	call(&r, &A, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" ZONE "\", \"snapshot_id\": \"%s\", \"size\": 19}", snap));
	refused(&r, 400, "InvalidParameterValue",
	    "from snapshot: smaller than the snapshot");
	call(&r, &A, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" ZONE "\", \"snapshot_id\": \"%s\", \"size\": 50,"
	    " \"volume_type\": \"io1\", \"iops\": 1000}", snap));
	ok(r.status == 201 && jint(&r, "size") == 50 && jint(&r, "iops") == 1000,
	    "from snapshot: larger, of another type");
	call(&r, &B, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" ZONE "\", \"snapshot_id\": \"%s\"}", snap));
	refused(&r, 404, "InvalidSnapshot.NotFound",
	    "from snapshot: another account's snapshot");
	call(&r, &B, "GET", path("/api/v1/snapshots/%s", snap), NULL);
	refused(&r, 404, "InvalidSnapshot.NotFound",
	    "snapshot: another account cannot read it");
	call(&r, &B, "GET", "/api/v1/snapshots", NULL);
	is_int(jint(&r, "total"), 0, "snapshots: another account lists none");

	/* Encryption follows the snapshot. */
	snprintf(enc, sizeof(enc), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 5, \"encrypted\": true, \"kms_key_id\":"
	    " \"alias/secret\"}"));
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", enc), "{}");
	ok(r.status == 201 && json_is_true(jget(&r, "encrypted")) &&
	    jstr(&r, "kms_key_id") && strstr(jstr(&r, "kms_key_id"),
	    ":alias/secret"), "snapshot: of an encrypted volume, with its key");
	snprintf(esnap, sizeof(esnap), "%s", jstr(&r, "id") ? jstr(&r, "id") :
	    "");
	call(&r, &A, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" ZONE "\", \"snapshot_id\": \"%s\"}", esnap));
	ok(r.status == 201 && json_is_true(jget(&r, "encrypted")) &&
	    jstr(&r, "kms_key_id") && strstr(jstr(&r, "kms_key_id"),
	    ":alias/secret"), "from snapshot: encrypted with the snapshot's key");

	/* Deleting it leaves its volumes, as EC2. */
	call(&r, &B, "DELETE", path("/api/v1/snapshots/%s", snap), NULL);
	refused(&r, 404, "InvalidSnapshot.NotFound",
	    "delete snapshot: another account's");
	call(&r, &A, "DELETE", path("/api/v1/snapshots/%s", snap), NULL);
	ok(r.status == 200 && json_is_true(jget(&r, "return")),
	    "delete snapshot: while volumes made from it exist");
	call(&r, &A, "GET", path("/api/v1/volumes?snapshot_id=%s", snap), NULL);
	is_int(jint(&r, "total"), 2,
	    "delete snapshot: its volumes stay, with its id");
	call(&r, &A, "GET", path("/api/v1/snapshots/%s", snap), NULL);
	refused(&r, 404, "InvalidSnapshot.NotFound", "delete snapshot: gone");
	call(&r, &A, "POST", "/api/v1/volumes", path("{\"availability_zone\":"
	    " \"" ZONE "\", \"snapshot_id\": \"%s\"}", snap));
	refused(&r, 404, "InvalidSnapshot.NotFound",
	    "from snapshot: a deleted snapshot");
	call(&r, &A, "DELETE", path("/api/v1/volumes/%s", vol), NULL);
	is_int(r.status, 200, "a volume with snapshots can be deleted");
	call(&r, &A, "GET", path("/api/v1/snapshots/%s", esnap), NULL);
	is_int(r.status, 200, "a snapshot outlives its volume's deletion");
	call(&r, &A, "PUT", path("/api/v1/snapshots/%s/tags", esnap),
	    "{\"tags\": {\"keep\": \"yes\"}}");
	ok(r.status == 200 && jstr(&r, "tags.keep"), "snapshot tags: merged");
	call(&r, &A, "DELETE", path("/api/v1/snapshots/%s/tags?key=keep", esnap),
	    NULL);
	ok(r.status == 200 && jstr(&r, "tags.keep") == NULL,
	    "snapshot tags: removed");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'CreateSnapshot' AND status = 201 AND $1 = ANY (resource_ids)",
	    esnap), 1, "snapshot: audited as CreateSnapshot");
	http_free(&r);
}

/* --- tenancy and admins --------------------------------------------- */

static void
test_tenancy(void)
{
	struct test_account	 admin;
	struct reply		 r = { 0 };
	char			 id[32];
	const char		*p[1];

	snprintf(id, sizeof(id), "%s", volume(&A, "{\"availability_zone\": \""
	    ZONE "\", \"size\": 3}"));
	call(&r, &B, "GET", path("/api/v1/volumes/%s", id), NULL);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "tenancy: another account's volume reads as unknown");
	call(&r, &B, "GET", path("/api/v1/volumes?volume_id=%s", id), NULL);
	is_int(jint(&r, "total"), 0, "tenancy: and is not listed");
	call(&r, &B, "POST", path("/api/v1/volumes/%s/detach", id), "{}");
	refused(&r, 404, "InvalidVolume.NotFound", "tenancy: detach");

	if (!account_new(&admin)) {
		ok(0, "admin: an account");
		return;
	}
	p[0] = admin.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1::uuid",
	    1, p);
	ok(account_login(&admin), "admin: logged in again as admin");
	call(&r, &admin, "GET", path("/api/v1/volumes/%s", id), NULL);
	ok(r.status == 200 && jstr(&r, "account_id") &&
	    !strcmp(jstr(&r, "account_id"), A.account_id),
	    "admin: reads any account's volume");
	call(&r, &admin, "GET", path("/api/v1/volumes?volume_id=%s", id), NULL);
	is_int(jint(&r, "total"), 1, "admin: lists every account's");
	call(&r, &admin, "DELETE", path("/api/v1/volumes/%s", id), NULL);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "admin: writes only in its own account");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", id), NULL);
	is_int(r.status, 200, "admin: the volume is still there");
	http_free(&r);
}

/* --- attach and detach ---------------------------------------------- */

static void
attach_body(char *buf, size_t len, const char *instance, const char *device)
{
	snprintf(buf, len, "{\"instance_id\": \"%s\", \"device\": \"%s\"}",
	    instance, device);
}

static void
test_attach(void)
{
	struct instance	 i1, i2;
	struct reply	 r = { 0 };
	char		 v1[32], v2[32], far[32], body[256], vp[128];
	const char	*zone;
	long		 before;

	if (!instance_new(&A, ZONE, &i1) || !instance_new(&A, ZONE, &i2)) {
		ok(1, "# SKIP attach: no instances (POST /api/v1/instances)");
		return;
	}
	have_instances = true;
	zone = i1.zone;
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 4}", zone);
	snprintf(v1, sizeof(v1), "%s", volume(&A, body));
	snprintf(v2, sizeof(v2), "%s", volume(&A, body));
	snprintf(far, sizeof(far), "%s", volume(&A, strcmp(zone, OTHER_ZONE) ?
	    "{\"availability_zone\": \"" OTHER_ZONE "\", \"size\": 4}" :
	    "{\"availability_zone\": \"" ZONE "\", \"size\": 4}"));
	snprintf(vp, sizeof(vp), "/api/v1/volumes/%s/attach", v1);

	attach_body(body, sizeof(body), i1.id, "/dev/sdf");
	call(&r, &A, "POST", vp, body);
	is_int(r.status, 200, "attach: 200");
	is_str(jstr(&r, "volume_id"), v1, "attach: volume_id");
	is_str(jstr(&r, "instance_id"), i1.id, "attach: instance_id");
	is_str(jstr(&r, "device"), "/dev/sdf", "attach: device");
	is_str(jstr(&r, "state"), "attaching", "attach: attaching, as EC2 answers");
	ok(jstr(&r, "attach_time") && strlen(jstr(&r, "attach_time")) == 24,
	    "attach: attach_time");
	ok(json_is_false(jget(&r, "delete_on_termination")),
	    "attach: not deleted with the instance");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", v1), NULL);
	is_str(jstr(&r, "state"), "in-use", "attach: the volume is in-use");
	is_str(jpath_str(&r, "attachments.0.state"), "attached",
	    "attach: attached once the delay (0) passed");
	is_str(jpath_str(&r, "attachments.0.instance_id"), i1.id,
	    "attach: the attachment names the instance");
	/* Its delete refuses in its own statement (sql/024). */
	call(&r, &A, "DELETE", path("/api/v1/volumes/%s", v1), NULL);
	refused(&r, 409, "VolumeInUse", "delete: an attached volume: 409");
	ok(r.body != NULL && strstr(r.body, "is attached to instance") &&
	    strstr(r.body, i1.id), "delete: the message names the instance");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", v1), NULL);
	is_str(jstr(&r, "state"), "in-use", "delete: refused, the volume stays");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " $1 = ANY (resource_ids) AND action = 'DeleteVolume'"
	    " AND status = 200", v1), 0,
	    "delete: the refused delete wrote no success audit row");
	call(&r, &A, "GET", path("/api/v1/volumes?attachment_instance_id=%s",
	    i1.id), NULL);
	is_int(jint(&r, "total"), i1.root_volume_id[0] ? 2 : 1,
	    "filter: attachment_instance_id (with the root volume)");
	call(&r, &A, "GET", "/api/v1/volumes?attachment_device=/dev/sdf"
	    "&status=in-use", NULL);
	ok(jint(&r, "total") >= 1, "filter: attachment_device and status in-use");

	before = attachments_of(&A);
	attach_body(body, sizeof(body), i2.id, "/dev/sdg");
	call(&r, &A, "POST", vp, body);
	refused(&r, 409, "VolumeInUse", "attach: a volume already attached");
	attach_body(body, sizeof(body), i1.id, "/dev/sdf");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidParameterValue",
	    "attach: the device is taken on the instance");
	ok(strstr(r.body, "/dev/sdf") != NULL, "attach: the message names it");
	attach_body(body, sizeof(body), i1.id, "/dev/sdh");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", far), body);
	refused(&r, 400, "InvalidVolume.ZoneMismatch",
	    "attach: a volume of another zone");
	attach_body(body, sizeof(body), i1.id, "/dev/sda1");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidParameterValue",
	    "attach: /dev/sda1 is reserved for roots");
	attach_body(body, sizeof(body), i1.id, "/dev/xvda");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidParameterValue",
	    "attach: /dev/xvda is reserved for roots");
	attach_body(body, sizeof(body), i1.id, "/dev/xyz");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidParameterValue", "attach: /dev/xyz");
	attach_body(body, sizeof(body), i1.id, "/dev/sdq");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidParameterValue", "attach: /dev/sdq");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2),
	    "{\"device\": \"/dev/sdh\"}");
	refused(&r, 400, "MissingParameter", "attach: no instance_id");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2),
	    path("{\"instance_id\": \"%s\"}", i1.id));
	refused(&r, 400, "MissingParameter", "attach: no device");
	attach_body(body, sizeof(body), "i-xyz", "/dev/sdh");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 400, "InvalidInstanceID.Malformed", "attach: i-xyz");
	attach_body(body, sizeof(body), "i-0123456789abcdef0", "/dev/sdh");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 404, "InvalidInstanceID.NotFound",
	    "attach: an unknown instance");
	attach_body(body, sizeof(body), i1.id, "/dev/sdh");
	call(&r, &A, "POST", "/api/v1/volumes/vol-xyz/attach", body);
	refused(&r, 400, "InvalidVolumeID.Malformed", "attach: vol-xyz");
	call(&r, &A, "POST", "/api/v1/volumes/vol-0123456789abcdef0/attach",
	    body);
	refused(&r, 404, "InvalidVolume.NotFound", "attach: an unknown volume");
	call(&r, &B, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "attach: another account's volume");
	{
		char bv[32];
		snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
		    " \"size\": 4}", zone);
		snprintf(bv, sizeof(bv), "%s", volume(&B, body));
		attach_body(body, sizeof(body), i1.id, "/dev/sdh");
		call(&r, &B, "POST", path("/api/v1/volumes/%s/attach", bv), body);
		refused(&r, 404, "InvalidInstanceID.NotFound",
		    "attach: to another account's instance");
	}
	is_int(attachments_of(&A), before, "attach: refusals attached nothing");

	call(&r, &A, "DELETE", path("/api/v1/volumes/%s", v1), NULL);
	refused(&r, 409, "VolumeInUse", "delete: an attached volume");
	ok(strstr(r.body, i1.id) != NULL, "delete: the message names the instance");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", v1), "{}");
	is_int(r.status, 201, "snapshot: of an in-use volume");
	call(&r, &A, "PATCH", path("/api/v1/volumes/%s", v1), "{\"size\": 5}");
	is_int(r.status, 200, "modify: an in-use volume");

	/* Detach. */
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v2), "{}");
	refused(&r, 400, "IncorrectState", "detach: a volume not attached");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v1),
	    path("{\"instance_id\": \"%s\"}", i2.id));
	refused(&r, 400, "InvalidAttachment.NotFound",
	    "detach: another instance named");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v1),
	    "{\"device\": \"/dev/sdg\"}");
	refused(&r, 400, "InvalidAttachment.NotFound",
	    "detach: another device named");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v1),
	    "{\"force\": \"yes\"}");
	refused(&r, 400, "InvalidParameterValue", "detach: force is a boolean");
	call(&r, &B, "POST", path("/api/v1/volumes/%s/detach", v1), "{}");
	refused(&r, 404, "InvalidVolume.NotFound",
	    "detach: another account's volume");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v1),
	    path("{\"instance_id\": \"%s\", \"device\": \"/dev/sdf\"}", i1.id));
	is_int(r.status, 200, "detach: 200");
	is_str(jstr(&r, "state"), "detaching", "detach: detaching, as EC2 answers");
	is_str(jstr(&r, "instance_id"), i1.id, "detach: from the instance");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", v1), NULL);
	ok(jstr(&r, "state") && !strcmp(jstr(&r, "state"), "available") &&
	    json_array_size(jget(&r, "attachments")) == 0,
	    "detach: available again, no attachment");
	attach_body(body, sizeof(body), i1.id, "/dev/sdf");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v2), body);
	is_int(r.status, 200, "attach: the freed device again");
	attach_body(body, sizeof(body), i2.id, "/dev/sdf");
	call(&r, &A, "POST", vp, body);
	is_int(r.status, 200, "attach: the detached volume to another instance");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", v1),
	    "{\"force\": true}");
	is_int(r.status, 200, "detach: forced");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", v1), NULL);
	is_str(jstr(&r, "state"), "available", "detach: forced is gone at once");

	/* The root volume. */
	if (i1.root_volume_id[0] == '\0') {
		ok(0, "root: the instance reports its root volume");
	} else {
		call(&r, &A, "GET", path("/api/v1/volumes/%s",
		    i1.root_volume_id), NULL);
		ok(jstr(&r, "state") && !strcmp(jstr(&r, "state"), "in-use") &&
		    jpath_str(&r, "attachments.0.device") &&
		    json_is_true(jget(&r, "attachments.0.delete_on_termination")),
		    "root: in use at the root device, deleted with the instance");
		call(&r, &A, "POST", path("/api/v1/volumes/%s/detach",
		    i1.root_volume_id), "{}");
		refused(&r, 400, "IncorrectState",
		    "root: not detached from a running instance");
		call(&r, &A, "POST", path("/api/v1/volumes/%s/detach",
		    i1.root_volume_id), "{\"force\": true}");
		refused(&r, 400, "IncorrectState", "root: force does not change it");
		call(&r, &A, "DELETE", path("/api/v1/volumes/%s",
		    i1.root_volume_id), NULL);
		refused(&r, 409, "VolumeInUse", "root: not deleted while attached");
		ok(instance_action(&A, &i1, "stop"), "root: the instance stops");
		settle();
		if (instances_api == 1)
			poll_until(&A, path("/api/v1/instances/%s", i1.id),
			    "state.name", "stopped");
		call(&r, &A, "POST", path("/api/v1/volumes/%s/detach",
		    i1.root_volume_id), "{}");
		is_int(r.status, 200, "root: detached from a stopped instance");
	}

	/* A terminated instance takes no volume. */
	ok(instance_action(&A, &i2, "terminate"), "terminate: the instance");
	settle();
	attach_body(body, sizeof(body), i2.id, "/dev/sdj");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", v1), body);
	refused(&r, 409, "IncorrectInstanceState",
	    "attach: to a terminated instance");
	is_int(count("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'AttachVolume' AND status = 200 AND $1 = ANY (resource_ids)", v1),
	    2, "attach: audited with the volume (and the instance)");
	http_free(&r);
}

/*
 * RACERS processes attach one volume to as many devices at once: the
 * attachments' key lets exactly one through, the others get 409.  They
 * are forked before the parent's first HTTP call, so that each has a
 * client (and connection) of its own, and wait on a pipe for the work.
 */
struct race_work {
	char	path[128];	/* POST here */
	char	instance[32];
	char	bearer[4200];	/* empty: nothing to do */
};

static pid_t	racer_pids[RACERS];
static int	racer_fds[RACERS];

/* Exit status: 0 won (200), 1 lost (409), 2 no work, else 10 + status. */
static void
racer(int fd, int n)
{
	struct race_work	 w;
	struct reply		 r = { 0 };
	const char		*h[2];
	char			 body[128];
	size_t			 got = 0;
	ssize_t			 k;

	while (got < sizeof(w) && (k = read(fd, (char *)&w + got,
	    sizeof(w) - got)) > 0)
		got += (size_t)k;
	close(fd);
	if (got != sizeof(w) || w.bearer[0] == '\0')
		_exit(2);
	h[0] = w.bearer;
	h[1] = NULL;
	snprintf(body, sizeof(body), "{\"instance_id\": \"%s\","
	    " \"device\": \"/dev/sd%c\"}", w.instance, 'f' + n);
	http(&r, "POST", w.path, body, h);
	_exit(r.status == 200 ? 0 : r.status == 409 ? 1 :
	    10 + (int)(r.status % 100));
}

static void
start_racers(void)
{
	int	p[2], i, j;

	fflush(stdout);
	for (i = 0; i < RACERS; i++) {
		racer_pids[i] = -1;
		racer_fds[i] = -1;
		if (pipe(p) != 0)
			continue;
		if ((racer_pids[i] = fork()) == 0) {
			for (j = 0; j < i; j++)
				close(racer_fds[j]);
			close(p[1]);
			racer(p[0], i);
		}
		close(p[0]);
		racer_fds[i] = p[1];
	}
}

/* Hand every racer w (all at once), then count how they ended. */
static void
release_racers(const struct race_work *w, int *wins, int *losses,
    int *other)
{
	int	i, status;

	for (i = 0; i < RACERS; i++) {
		if (racer_fds[i] >= 0 &&
		    write(racer_fds[i], w, sizeof(*w)) != (ssize_t)sizeof(*w))
			tap_diag("race: could not release a racer");
		close(racer_fds[i]);
	}
	*wins = *losses = *other = 0;
	for (i = 0; i < RACERS; i++) {
		if (racer_pids[i] <= 0 ||
		    waitpid(racer_pids[i], &status, 0) != racer_pids[i] ||
		    !WIFEXITED(status)) {
			(*other)++;
			continue;
		}
		if (WEXITSTATUS(status) == 0)
			(*wins)++;
		else if (WEXITSTATUS(status) == 1)
			(*losses)++;
		else
			(*other)++;
	}
}

static void
test_race(void)
{
	struct race_work w;
	struct instance	 i;
	struct reply	 r = { 0 };
	char		 vol[32], body[256];
	int		 wins, losses, other;

	memset(&w, 0, sizeof(w));
	if (!have_instances || !instance_new(&A, ZONE, &i)) {
		release_racers(&w, &wins, &losses, &other);
		ok(1, "# SKIP race: no instances");
		return;
	}
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 1}", i.zone);
	snprintf(vol, sizeof(vol), "%s", volume(&A, body));
	snprintf(w.path, sizeof(w.path), "/api/v1/volumes/%s/attach", vol);
	snprintf(w.instance, sizeof(w.instance), "%s", i.id);
	snprintf(w.bearer, sizeof(w.bearer), "%s", A.bearer);
	release_racers(&w, &wins, &losses, &other);
	is_int(wins, 1, "race: exactly one attach wins");
	is_int(losses, RACERS - 1, "race: every other one is 409 VolumeInUse");
	is_int(other, 0, "race: no other answer (no 500)");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", vol), NULL);
	is_int(json_array_size(jget(&r, "attachments")), 1,
	    "race: the volume has one attachment");
	is_int(count("SELECT count(*) FROM cloudsim.volume_attachments"
	    " WHERE volume_id = $1", vol), 1, "race: one row in the schema");
	http_free(&r);
}

/* Termination deletes the root volume and frees the data volumes. */
static void
test_termination(void)
{
	struct instance	 i;
	struct reply	 r = { 0 };
	char		 data[32], body[256];

	if (!have_instances || !instance_new(&A, ZONE, &i)) {
		ok(1, "# SKIP termination: no instances");
		return;
	}
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"size\": 2}", i.zone);
	snprintf(data, sizeof(data), "%s", volume(&A, body));
	attach_body(body, sizeof(body), i.id, "/dev/sdk");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", data), body);
	is_int(r.status, 200, "termination: a data volume attached");
	ok(instance_action(&A, &i, "terminate"), "termination: terminated");
	settle();
	call(&r, &A, "GET", path("/api/v1/volumes/%s", i.root_volume_id), NULL);
	refused(&r, 404, "InvalidVolume.NotFound",
	    "termination: the delete-on-termination root volume is gone");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", data), NULL);
	ok(jstr(&r, "state") && !strcmp(jstr(&r, "state"), "available") &&
	    json_array_size(jget(&r, "attachments")) == 0,
	    "termination: the data volume is available again");
	call(&r, &A, "DELETE", path("/api/v1/volumes/%s", data), NULL);
	is_int(r.status, 200, "termination: and can be deleted");
	http_free(&r);
}

/* --- delays and quotas: the executable as plain CGI ----------------- */

static void
test_delays(void)
{
	const char *const creating[] = { "CLOUDSIM_VOLUME_CREATING_DELAY=3",
	    NULL };
	const char *const pending[] = { "CLOUDSIM_SNAPSHOT_PENDING_DELAY=3",
	    NULL };
	const char *const attaching[] = { "CLOUDSIM_VOLUME_ATTACH_DELAY=3",
	    NULL };
	struct cgi_reply c = { 0 };
	struct reply	 r = { 0 };
	struct instance	 i;
	char		 vol[32], snap[32], body[256], p[128];
	const char	*v;

	if (getenv("CLOUDSIM_CGI") == NULL) {
		ok(1, "# SKIP delays: CLOUDSIM_CGI is not set");
		return;
	}
	cgi(&c, &A, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 3}", creating);
	is_int(c.status, 201, "creating: created through CGI");
	is_str(cgi_str(&c, "state"), "creating", "creating: creating at first");
	snprintf(vol, sizeof(vol), "%s", cgi_str(&c, "id") ? cgi_str(&c, "id") :
	    "");
	call(&r, &A, "GET", path("/api/v1/volumes/%s", vol), NULL);
	is_str(jstr(&r, "state"), "creating",
	    "creating: the shared server reads the same state");
	call(&r, &A, "GET", "/api/v1/volumes?status=creating", NULL);
	ok(jint(&r, "total") >= 1, "creating: filter status=creating");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/snapshots", vol), "{}");
	refused(&r, 400, "IncorrectState", "creating: no snapshot yet");
	call(&r, &A, "PATCH", path("/api/v1/volumes/%s", vol), "{\"size\": 4}");
	refused(&r, 400, "IncorrectState", "creating: no modification yet");
	call(&r, &A, "DELETE", path("/api/v1/volumes/%s", vol), NULL);
	refused(&r, 400, "IncorrectState", "creating: no deletion yet");
	if (have_instances && instance_new(&A, ZONE, &i)) {
		attach_body(body, sizeof(body), i.id, "/dev/sdf");
		call(&r, &A, "POST", path("/api/v1/volumes/%s/attach", vol), body);
		refused(&r, 400, "IncorrectState", "creating: no attach yet");
	} else
		ok(1, "# SKIP creating: attach needs an instance");
	ok(poll_until(&A, path("/api/v1/volumes/%s", vol), "state",
	    "available"), "creating: available once the delay has passed");

	cgi(&c, &A, "POST", path("/api/v1/volumes/%s/snapshots", vol), "{}",
	    pending);
	is_int(c.status, 201, "pending: snapshot through CGI");
	is_str(cgi_str(&c, "state"), "pending", "pending: pending at first");
	v = cgi_str(&c, "progress");
	ok(v != NULL && v[strlen(v) - 1] == '%' && strcmp(v, "100%") != 0,
	    "pending: progress below 100%");
	snprintf(snap, sizeof(snap), "%s", cgi_str(&c, "id") ?
	    cgi_str(&c, "id") : "");
	snprintf(body, sizeof(body), "{\"availability_zone\": \"%s\","
	    " \"snapshot_id\": \"%s\"}", ZONE, snap);
	call(&r, &A, "POST", "/api/v1/volumes", body);
	refused(&r, 400, "IncorrectState", "pending: no volume from it yet");
	ok(poll_until(&A, path("/api/v1/snapshots/%s", snap), "state",
	    "completed"), "pending: completed once the delay has passed");
	call(&r, &A, "GET", path("/api/v1/snapshots/%s", snap), NULL);
	is_str(jstr(&r, "progress"), "100%", "pending: progress 100%");
	call(&r, &A, "POST", "/api/v1/volumes", body);
	is_int(r.status, 201, "pending: then a volume from it");

	if (!have_instances || !instance_new(&A, ZONE, &i)) {
		ok(1, "# SKIP attaching: no instances");
		goto out;
	}
	snprintf(p, sizeof(p), "/api/v1/volumes/%s", vol);
	attach_body(body, sizeof(body), i.id, "/dev/sdg");
	cgi(&c, &A, "POST", path("/api/v1/volumes/%s/attach", vol), body,
	    attaching);
	is_int(c.status, 200, "attaching: attached through CGI");
	call(&r, &A, "GET", p, NULL);
	ok(jstr(&r, "state") && !strcmp(jstr(&r, "state"), "in-use") &&
	    jpath_str(&r, "attachments.0.state") &&
	    !strcmp(jpath_str(&r, "attachments.0.state"), "attaching"),
	    "attaching: in-use, the attachment attaching");
	ok(poll_until(&A, p, "attachments.0.state", "attached"),
	    "attaching: attached once the delay has passed");
	cgi(&c, &A, "POST", path("/api/v1/volumes/%s/detach", vol), "{}",
	    attaching);
	ok(c.status == 200 && cgi_str(&c, "state") &&
	    !strcmp(cgi_str(&c, "state"), "detaching"),
	    "detaching: detached through CGI");
	call(&r, &A, "GET", p, NULL);
	ok(jstr(&r, "state") && !strcmp(jstr(&r, "state"), "in-use") &&
	    jpath_str(&r, "attachments.0.state") &&
	    !strcmp(jpath_str(&r, "attachments.0.state"), "detaching"),
	    "detaching: still in-use, the attachment detaching");
	call(&r, &A, "POST", path("/api/v1/volumes/%s/detach", vol), "{}");
	refused(&r, 400, "IncorrectState", "detaching: a second detach");
	call(&r, &A, "DELETE", p, NULL);
	refused(&r, 409, "VolumeInUse", "detaching: no deletion yet");
	ok(poll_until(&A, p, "state", "available"),
	    "detaching: available once the delay has passed");
	cgi(&c, &A, "POST", path("/api/v1/volumes/%s/attach", vol), body,
	    attaching);
	is_int(c.status, 200, "detaching: the device can be taken again");
	cgi(&c, &A, "POST", path("/api/v1/volumes/%s/detach", vol),
	    "{\"force\": true}", attaching);
	is_int(c.status, 200, "force: a forced detach");
	call(&r, &A, "GET", p, NULL);
	is_str(jstr(&r, "state"), "available",
	    "force: gone at once, whatever the delay");
out:
	json_decref(c.json);
	http_free(&r);
}

/* Fork n CGI creations at once; how many got 201 and 400 VolumeLimitExceeded. */
static void
create_racing(const struct test_account *a, const char *body,
    const char *const *env, int n, int *created, int *limited)
{
	pid_t	pids[16];
	int	i, status;

	*created = *limited = 0;
	fflush(stdout);
	for (i = 0; i < n; i++)
		if ((pids[i] = fork()) == 0) {
			struct cgi_reply c = { 0 };
			cgi(&c, a, "POST", "/api/v1/volumes", body, env);
			_exit(c.status == 201 ? 0 : c.status == 400 &&
			    !strcmp(cgi_code(&c), "VolumeLimitExceeded") ? 1 : 2);
		}
	for (i = 0; i < n; i++)
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i] &&
		    WIFEXITED(status)) {
			if (WEXITSTATUS(status) == 0)
				(*created)++;
			else if (WEXITSTATUS(status) == 1)
				(*limited)++;
		}
}

static void
test_quotas(void)
{
	const char *const three[] = { "CLOUDSIM_QUOTA_VOLUMES_PER_REGION=3",
	    NULL };
	const char *const gib[] = { "CLOUDSIM_QUOTA_VOLUME_GIB_PER_TYPE=100",
	    NULL };
	struct test_account	 Q, R;
	struct cgi_reply	 c = { 0 };
	char			 id[32];
	int			 created, limited;

	if (getenv("CLOUDSIM_CGI") == NULL) {
		ok(1, "# SKIP quotas: CLOUDSIM_CGI is not set");
		return;
	}
	if (!account_new(&Q) || !account_new(&R)) {
		ok(0, "quotas: accounts");
		return;
	}
	create_racing(&Q, "{\"availability_zone\": \"" ZONE "\", \"size\": 1}",
	    three, RACERS, &created, &limited);
	is_int(created, 3, "quota: of 8 racing creations, 3 fit the quota");
	is_int(limited, RACERS - 3, "quota: the others are VolumeLimitExceeded");
	is_int(volumes_of(&Q), 3, "quota: three volumes exist");
	cgi(&c, &Q, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 1}", three);
	ok(c.status == 400 && !strcmp(cgi_code(&c), "VolumeLimitExceeded"),
	    "quota: a fourth volume is refused");
	cgi(&c, &Q, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 1}", NULL);
	is_int(c.status, 201, "quota: the default quota is larger");

	cgi(&c, &R, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 60, \"volume_type\": \"gp3\"}", gib);
	is_int(c.status, 201, "GiB quota: 60 of 100 GiB of gp3");
	snprintf(id, sizeof(id), "%s", cgi_str(&c, "id") ? cgi_str(&c, "id") :
	    "");
	cgi(&c, &R, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 41, \"volume_type\": \"gp3\"}", gib);
	ok(c.status == 400 && !strcmp(cgi_code(&c), "VolumeLimitExceeded"),
	    "GiB quota: 41 more GiB of gp3 is refused");
	cgi(&c, &R, "POST", "/api/v1/volumes", "{\"availability_zone\": \""
	    ZONE "\", \"size\": 41, \"volume_type\": \"gp2\"}", gib);
	is_int(c.status, 201, "GiB quota: counted per type");
	cgi(&c, &R, "PATCH", path("/api/v1/volumes/%s", id), "{\"size\": 101}",
	    gib);
	ok(c.status == 400 && !strcmp(cgi_code(&c), "VolumeLimitExceeded"),
	    "GiB quota: growing past it is refused");
	cgi(&c, &R, "PATCH", path("/api/v1/volumes/%s", id), "{\"size\": 100}",
	    gib);
	is_int(c.status, 200, "GiB quota: growing up to it is fine");
	cgi(&c, &R, "PATCH", path("/api/v1/volumes/%s", id),
	    "{\"volume_type\": \"gp2\"}", gib);
	ok(c.status == 400 && !strcmp(cgi_code(&c), "VolumeLimitExceeded"),
	    "GiB quota: a type change counts against the new type");
	json_decref(c.json);
}

int
main(void)
{
	start_racers();
	if (!account_new(&A) || !account_new(&B)) {
		struct race_work w;
		int x, y, z;

		memset(&w, 0, sizeof(w));
		release_racers(&w, &x, &y, &z);
		ok(0, "two test accounts");
		return tap_done();
	}
	test_auth();
	test_create_shape();
	test_limits();
	test_encryption();
	test_reads();
	test_idempotency();
	test_tags();
	test_modify();
	test_delete();
	test_snapshots();
	test_tenancy();
	test_attach();
	test_race();
	test_termination();
	test_delays();
	test_quotas();
	return tap_done();
}
