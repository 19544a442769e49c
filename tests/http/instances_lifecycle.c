/*
 * Timed transitions.  The shared web server runs with every delay at
 * 0 s, so the changes that take time are made by instances.fcgi run as
 * plain CGI with CLOUDSIM_INSTANCE_*_DELAY in its environment; the
 * web server's process (other configuration, same database) and the
 * admin view cloudsim.v_instances must then show the same transient
 * state, because the state is settled by the database, not by the
 * process that made the change.  Time is moved by setting a stored
 * next_state_at into the past (no test waits on a clock), except once:
 * a 1 s pending delay is watched settling by itself.  Also: what may be
 * done while pending, stopping and shutting-down, a forced stop,
 * terminated instances leaving the lists after their retention, and the
 * volume quotas counting root volumes.
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

#define AMI_X86		"ami-008df4d2c9cb4c1db"
#define LAUNCH		"{\"image_id\":\"" AMI_X86 "\",\"instance_type\":\"t3.micro\"}"
#define ID_SIZE		64

static struct reply		 r;
static struct test_account	 a;
static char			 name[512];

/* One CGI exchange: status and body of the reply. */
struct cgi_reply {
	int	 status;	/* -1: no reply */
	char	 out[65536];
	json_t	*json;
};

static struct cgi_reply	 c;

/*
 * Run instances.fcgi as plain CGI, as account a, with the test's
 * environment plus env (NULL-terminated "KEY=value") for one request.
 */
static void
cgi(const char *method, const char *uri, const char *body,
    const char *const *env)
{
	static const char *const keep[] = { "DATA_DIRECTORY", "CLOUDSIM_CONF",
		"CLOUDSIM_DB", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PATH", NULL };
	char		 exe[1024], *envp[48], *e, *q, *bodyp;
	const char	*dir = getenv("CLOUDSIM_CGI"), *v;
	int		 in[2], out[2], n = 0, i, st;
	size_t		 got = 0;
	ssize_t		 k;
	pid_t		 pid;

	json_decref(c.json);
	memset(&c, 0, sizeof(c));
	c.status = -1;
	snprintf(exe, sizeof(exe), "%s/instances.fcgi", dir ? dir : "cgi-bin");
	for (i = 0; keep[i] != NULL; i++)
		if ((v = getenv(keep[i])) != NULL) {
			e = malloc(strlen(keep[i]) + strlen(v) + 2);
			sprintf(e, "%s=%s", keep[i], v);
			envp[n++] = e;
		}
	envp[n++] = strdup("LOG_LEVEL=error");
	envp[n++] = strdup("GATEWAY_INTERFACE=CGI/1.1");
	envp[n++] = strdup("REMOTE_ADDR=127.0.0.1");
	e = malloc(strlen(a.token) + 64);
	sprintf(e, "HTTP_AUTHORIZATION=Bearer %s", a.token);
	envp[n++] = e;
	q = strchr(uri, '?');
	e = malloc(strlen(uri) + 32);
	sprintf(e, "REQUEST_URI=%s", uri);
	envp[n++] = e;
	e = malloc(strlen(uri) + 32);
	sprintf(e, "QUERY_STRING=%s", q ? q + 1 : "");
	envp[n++] = e;
	e = malloc(strlen(method) + 32);
	sprintf(e, "REQUEST_METHOD=%s", method);
	envp[n++] = e;
	bodyp = (char *)(body ? body : "");
	e = malloc(64);
	sprintf(e, "CONTENT_LENGTH=%zu", strlen(bodyp));
	envp[n++] = e;
	envp[n++] = strdup("CONTENT_TYPE=application/json");
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
		execve(exe, (char *const *)envp, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (write(in[1], bodyp, strlen(bodyp)) < 0)
		tap_diag("cgi: could not write the body");
	close(in[1]);
	while (got < sizeof(c.out) - 1 &&
	    (k = read(out[0], c.out + got, sizeof(c.out) - 1 - got)) > 0)
		got += (size_t)k;
	c.out[got] = '\0';
	close(out[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (strncmp(c.out, "Status: ", 8) == 0)
		c.status = atoi(c.out + 8);
	if ((q = strstr(c.out, "\r\n\r\n")) != NULL)
		c.json = json_loads(q + 4, 0, NULL);
out:
	for (i = 0; i < n; i++)
		free(envp[i]);
}

/* Delays of 30 s for every transition, as the CGI runs them. */
static const char *const slow[] = {
	"CLOUDSIM_INSTANCE_PENDING_DELAY=30",
	"CLOUDSIM_INSTANCE_STOPPING_DELAY=30",
	"CLOUDSIM_INSTANCE_SHUTTING_DOWN_DELAY=30", NULL
};

static const char *
cgi_state(const char *which)
{
	const char *v = json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(c.json, "items"), 0), which),
	    "name"));

	return v ? v : "";
}

/* POST …/{id}/{action} through the CGI with env; check the change. */
static void
cgi_act(const char *id, const char *action, const char *body,
    const char *const *env, const char *prev, const char *cur,
    const char *what)
{
	char	uri[256];

	snprintf(uri, sizeof(uri), "/api/v1/instances/%s/%s", id, action);
	cgi("POST", uri, body, env);
	snprintf(name, sizeof(name), "%s: %s -> %s", what, prev, cur);
	if (!ok(c.status == 200 && strcmp(cgi_state("previous_state"), prev)
	    == 0 && strcmp(cgi_state("current_state"), cur) == 0, name))
		printf("#   got %d: %s\n", c.status, c.out);
}

static void
cgi_refused(const char *id, const char *action, const char *state,
    const char *what)
{
	char		 uri[256];
	const char	*msg;

	snprintf(uri, sizeof(uri), "/api/v1/instances/%s/%s", id, action);
	cgi("POST", uri, "", slow);
	msg = json_string_value(json_object_get(json_object_get(c.json,
	    "error"), "message"));
	snprintf(name, sizeof(name), "%s: 409 naming '%s'", what, state);
	snprintf(uri, sizeof(uri), "'%s'", state);
	if (!ok(c.status == 409 && msg && strstr(msg, uri), name))
		printf("#   got %d: %s\n", c.status, c.out);
}

/* The state name as the web server's process reads it. */
static const char *
web_state(const char *id)
{
	static char	state[32];
	char		path[256];
	const char	*v;

	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	http(&r, "GET", path, NULL, a.headers);
	v = http_json_str(&r, "state.name");
	snprintf(state, sizeof(state), "%s", v ? v : "(none)");
	return state;
}

static const char *
view_state(const char *id)
{
	const char	*p[1] = { id };
	const char	*v = sql_value("SELECT state FROM cloudsim.v_instances"
			    " WHERE id = $1", 1, p);

	return v != NULL ? v : "(error)";
}

/* Every reader agrees on state. */
static void
agree(const char *id, const char *state, const char *what)
{
	snprintf(name, sizeof(name), "%s: the web server reads %s", what,
	    state);
	is_str(web_state(id), state, name);
	snprintf(name, sizeof(name), "%s: the admin view reads %s", what,
	    state);
	is_str(view_state(id), state, name);
}

/* Move the instance's pending transition into the past. */
static void
elapse(const char *id)
{
	const char	*p[1] = { id };

	sql_exec("UPDATE cloudsim.instances SET next_state_at = now()"
	    " - interval '1 millisecond' WHERE id = $1", 1, p);
}

static void
test_transitions(void)
{
	char		 id[ID_SIZE], path[256];
	const char	*p[1];

	cgi("POST", "/api/v1/instances", LAUNCH, slow);
	if (!ok(c.status == 201, "launch through the CGI with a 30 s pending "
	    "delay"))
		printf("#   got %d: %s\n", c.status, c.out);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(c.json, "items"), 0), "id")));
	agree(id, "pending", "after the launch");
	p[0] = id;
	ok(atoi(sql_value("SELECT extract(epoch FROM next_state_at - now())"
	    "::int FROM cloudsim.instances WHERE id = $1", 1, p)) > 20,
	    "the transition is due 30 s after the launch");
	cgi_refused(id, "stop", "pending", "stop a pending instance");
	cgi_refused(id, "reboot", "pending", "reboot a pending instance");
	cgi_act(id, "start", "", slow, "pending", "pending",
	    "start a pending instance: a no-op");
	http(&r, "GET", "/api/v1/instances?state=pending", NULL, a.headers);
	is_int(json_integer_value(json_object_get(r.json, "total")), 1,
	    "the state filter sees it pending");
	elapse(id);
	agree(id, "running", "once the delay has passed");

	cgi_act(id, "stop", "", slow, "running", "stopping", "stop");
	agree(id, "stopping", "after the stop");
	cgi_act(id, "stop", "", slow, "stopping", "stopping",
	    "stop a stopping instance: a no-op");
	cgi_refused(id, "start", "stopping", "start a stopping instance");
	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	cgi("PATCH", path, "{\"instance_type\":\"t3.small\"}", slow);
	ok(c.status == 409, "change the type of a stopping instance: 409");
	elapse(id);
	agree(id, "stopped", "once the delay has passed");

	cgi_act(id, "start", "", slow, "stopped", "pending", "start");
	agree(id, "pending", "a start waits the pending delay too");
	elapse(id);
	agree(id, "running", "then runs");

	cgi_act(id, "stop", "{\"force\":true}", slow, "running", "stopping",
	    "a forced stop");
	agree(id, "stopped", "a forced stop skips the stopping delay");

	cgi_act(id, "start", "", slow, "stopped", "pending", "start again");
	elapse(id);
	cgi_act(id, "terminate", "", slow, "running", "shutting-down",
	    "terminate");
	agree(id, "shutting-down", "after the termination");
	is_str(sql_value("SELECT count(*) FROM cloudsim.subnet_addresses"
	    " WHERE owner = $1", 1, p), "0",
	    "the address is released with the termination");
	cgi_act(id, "terminate", "", slow, "shutting-down", "shutting-down",
	    "terminate a shutting-down instance: a no-op");
	cgi_refused(id, "start", "shutting-down",
	    "start a shutting-down instance");
	cgi_refused(id, "stop", "shutting-down",
	    "stop a shutting-down instance");
	elapse(id);
	agree(id, "terminated", "once the delay has passed");
}

/*
 * The unfiltered list's total (counted as instances come and go, not
 * by reading the list: sql/017) and how many items its one page holds.
 */
static long long
unfiltered_total(size_t *items)
{
	http(&r, "GET", "/api/v1/instances?page_size=1000", NULL, a.headers);
	*items = json_array_size(json_object_get(r.json, "items"));
	return json_integer_value(json_object_get(r.json, "total"));
}

static void
test_retention(void)
{
	static const char *const gone[] = {
		"CLOUDSIM_INSTANCE_TERMINATED_RETENTION=0", NULL };
	char		 id[ID_SIZE], path[256];
	const char	*p[1];
	long long	 before, n;
	size_t		 items;

	/* test_transitions left one terminated, still listed. */
	before = unfiltered_total(&items);
	ok(before >= 1 && (size_t)before == items,
	    "the unfiltered total counts every listed instance, terminated "
	    "ones included");
	http(&r, "POST", "/api/v1/instances", LAUNCH, a.headers);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(r.json, "items"), 0), "id")));
	n = unfiltered_total(&items);
	ok(n == before + 1 && (size_t)n == items,
	    "a launch adds one to it");
	cgi_act(id, "terminate", "", gone, "running", "shutting-down",
	    "terminate with no retention");
	n = unfiltered_total(&items);
	ok(n == before && (size_t)n == items,
	    "a terminated instance past its retention leaves it");
	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	http(&r, "GET", path, NULL, a.headers);
	ok(r.status == 404, "the terminated instance has left: 404");
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s", id);
	http(&r, "GET", path, NULL, a.headers);
	is_int(json_integer_value(json_object_get(r.json, "total")), 0,
	    "and the list");
	p[0] = id;
	is_str(sql_value("SELECT count(*) FROM cloudsim.v_instances"
	    " WHERE id = $1", 1, p), "0", "and the admin view");
	is_str(sql_value("SELECT state FROM cloudsim.instances WHERE id = $1",
	    1, p), "shutting-down", "(its row is still in the table)");
	snprintf(path, sizeof(path), "/api/v1/instances/%s/terminate", id);
	cgi("POST", path, "", gone);
	ok(c.status == 404, "acting on it is a 404 too");

	/* The next launch in the region forgets it (sql/018). */
	http(&r, "POST", "/api/v1/instances", LAUNCH, a.headers);
	ok(r.status == 201, "another launch");
	snprintf(path, sizeof(path), "/api/v1/instances/%s",
	    json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id")));
	is_str(sql_value("SELECT count(*) FROM cloudsim.instances WHERE id = $1",
	    1, p), "0", "has deleted the expired instance's row");
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE $1 = ANY (resource_ids) AND status < 300", 1, p), "2",
	    "the audit log still holds its launch and termination");
	n = unfiltered_total(&items);
	ok(n == before + 1 && (size_t)n == items,
	    "and the total counts the new instance only");
	/* Its root volume would count against test_volume_quotas' quota. */
	http(&r, "DELETE", path, NULL, a.headers);
	ok(r.status == 200, "which is terminated again");
}

/* The volume quotas count root volumes (configured through the CGI). */
static void
test_volume_quotas(void)
{
	static const char *const gib[] = {
		"CLOUDSIM_QUOTA_VOLUME_GIB_PER_TYPE=20", NULL };
	static const char *const count[] = {
		"CLOUDSIM_QUOTA_VOLUMES_PER_REGION=2", NULL };
	const char	*code;

	cgi("POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"min_count\":3,"
	    "\"max_count\":3}", gib);
	code = json_string_value(json_object_get(json_object_get(c.json,
	    "error"), "code"));
	ok(c.status == 400 && code && strcmp(code, "VolumeLimitExceeded") == 0,
	    "three 8 GiB gp3 roots under a 20 GiB quota: 400 "
	    "VolumeLimitExceeded");
	cgi("POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"min_count\":1,"
	    "\"max_count\":5}", gib);
	ok(c.status == 201 && json_array_size(json_object_get(c.json,
	    "items")) == 2, "one to five: the two that fit in 20 GiB");
	cgi("POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\"}", count);
	code = json_string_value(json_object_get(json_object_get(c.json,
	    "error"), "code"));
	ok(c.status == 400 && code && strcmp(code, "VolumeLimitExceeded") == 0,
	    "a third root volume under a quota of 2 volumes: 400 "
	    "VolumeLimitExceeded");
}

static void
test_natural_delay(void)
{
	static const char *const one[] = {
		"CLOUDSIM_INSTANCE_PENDING_DELAY=1", NULL };
	struct timespec	 pause = { 0, 200 * 1000 * 1000 };
	char		 id[ID_SIZE];
	int		 i;

	cgi("POST", "/api/v1/instances", LAUNCH, one);
	ok(c.status == 201 && strcmp(json_string_value(json_object_get(
	    json_object_get(json_array_get(json_object_get(c.json, "items"),
	    0), "state"), "name")), "pending") == 0,
	    "launch with a 1 s pending delay: pending");
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(c.json, "items"), 0), "id")));
	for (i = 0; i < 100 && strcmp(web_state(id), "running") != 0; i++)
		nanosleep(&pause, NULL);
	is_str(web_state(id), "running",
	    "it settles into running by itself, with nobody writing");
}

int
main(void)
{
	if (getenv("CLOUDSIM_CGI") == NULL) {
		printf("1..0 # SKIP CLOUDSIM_CGI is not set\n");
		return 0;
	}
	if (!account_new(&a)) {
		printf("Bail out! cannot register a test account\n");
		return 1;
	}
	test_transitions();
	test_retention();
	test_volume_quotas();
	test_natural_delay();
	json_decref(c.json);
	http_free(&r);
	return tap_done();
}
