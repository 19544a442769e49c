/*
 * Launches racing from forked processes, each with its own connection:
 * eight launches of two instances for the eleven usable addresses of a
 * /28 subnet (exactly five win, the others get a clean 400
 * InsufficientFreeAddressesInSubnet, no address is given twice, the
 * free count ends exact), eight launches of three instances for the
 * twenty slots of the instance quota (exactly six win, the others get
 * 400 InstanceLimitExceeded), and starts, stops and terminations racing
 * on the same instances (every answer a 200 or a 409, never a 5xx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define AMI_X86		"ami-008df4d2c9cb4c1db"
#define RACERS		8
#define ID_SIZE		64

static struct reply	r;

static size_t
keep(char *p, size_t size, size_t n, void *arg)
{
	char	*buf = arg;
	size_t	 len = strlen(buf), add = size * n;

	if (len + add < 4096) {
		memcpy(buf + len, p, add);
		buf[len + add] = '\0';
	}
	return size * n;
}

/* Outcomes a racer reports by its exit code. */
enum { WON, LOST_AS_EXPECTED, OTHER_4XX, CONFLICT, FAILED, NOUTCOMES };

/*
 * Child: wait on the start pipe, send method path body as t with its own
 * curl handle, and exit with the outcome: WON on 2xx, LOST_AS_EXPECTED
 * on a 400 carrying code, CONFLICT on a 409, OTHER_4XX, FAILED on a 5xx
 * or no answer.
 */
static void
racer(int start, const struct test_account *t, const char *method,
    const char *path, const char *body, const char *code)
{
	struct curl_slist	*h = NULL;
	char			 url[512], out[4096] = "", ch;
	long			 status = 0;
	CURL			*curl;
	int			 rc = FAILED;

	if (read(start, &ch, 1) < 0)
		_exit(FAILED);
	curl = curl_easy_init();
	snprintf(url, sizeof(url), "%s%s", http_base(), path);
	h = curl_slist_append(h, t->bearer);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300)
		rc = WON;
	else if (status == 400 && code != NULL && strstr(out, code))
		rc = LOST_AS_EXPECTED;
	else if (status == 409)
		rc = CONFLICT;
	else if (status >= 400 && status < 500)
		rc = OTHER_4XX;
	if (rc == FAILED || rc == OTHER_4XX)
		fprintf(stderr, "racer: %ld %s\n", status, out);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	_exit(rc);
}

/* Fork RACERS children (child i sends paths[i]), release them, tally. */
static void
race(const struct test_account *t, const char *method,
    const char *const *paths, const char *body, const char *code,
    int tally[NOUTCOMES])
{
	pid_t	pid[RACERS];
	int	fds[2], i, st;

	memset(tally, 0, NOUTCOMES * sizeof(int));
	if (pipe(fds) != 0)
		return;
	fflush(stdout);
	for (i = 0; i < RACERS; i++)
		if ((pid[i] = fork()) == 0) {
			close(fds[1]);
			racer(fds[0], t, method, paths[i], body, code);
		}
	close(fds[0]);
	close(fds[1]);		/* EOF releases every child at once */
	for (i = 0; i < RACERS; i++) {
		if (pid[i] < 0 || waitpid(pid[i], &st, 0) < 0 ||
		    !WIFEXITED(st) || WEXITSTATUS(st) >= NOUTCOMES)
			tally[FAILED]++;
		else
			tally[WEXITSTATUS(st)]++;
	}
}

static const char *
q1(const char *sql, const char *p0)
{
	const char	*p[1] = { p0 };
	const char	*v = sql_value(sql, 1, p);

	return v != NULL ? v : "(error)";
}

static void
test_addresses(void)
{
	struct test_account	 t;
	const char		*paths[RACERS];
	char			 body[512], subnet[ID_SIZE], vpc[ID_SIZE];
	int			 tally[NOUTCOMES], i;

	if (!account_new(&t)) {
		ok(0, "register an account");
		return;
	}
	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.30.0.0/16\"}",
	    t.headers);
	snprintf(vpc, sizeof(vpc), "%s", http_json_str(&r, "id") ?
	    http_json_str(&r, "id") : "");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.30.0.0/28\",\"map_public_ip_on_launch\":true}", vpc);
	http(&r, "POST", "/api/v1/subnets", body, t.headers);
	snprintf(subnet, sizeof(subnet), "%s", http_json_str(&r, "id") ?
	    http_json_str(&r, "id") : "");
	is_int(json_integer_value(json_object_get(r.json,
	    "available_ip_address_count")), 11, "a /28 has 11 usable addresses");

	for (i = 0; i < RACERS; i++)
		paths[i] = "/api/v1/instances";
	snprintf(body, sizeof(body), "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"subnet_id\":\"%s\","
	    "\"min_count\":2,\"max_count\":2}", subnet);
	race(&t, "POST", paths, body, "InsufficientFreeAddressesInSubnet",
	    tally);
	is_int(tally[WON], 5, "8 launches of 2 race for 11 addresses: 5 win");
	is_int(tally[LOST_AS_EXPECTED], 3,
	    "3 get 400 InsufficientFreeAddressesInSubnet");
	is_int(tally[FAILED] + tally[OTHER_4XX] + tally[CONFLICT], 0,
	    "no other answer, never a 5xx");
	is_str(q1("SELECT count(*) FROM cloudsim.subnet_addresses"
	    " WHERE subnet_id = $1", subnet), "10", "10 addresses are taken");
	is_str(q1("SELECT count(DISTINCT private_ip) || '/' || count(*) ||"
	    " '/' || count(DISTINCT public_ip) FROM cloudsim.instances"
	    " WHERE subnet_id = $1", subnet), "10/10/10",
	    "by 10 instances, each with its own private and public address");
	is_str(q1("SELECT count(*) FROM cloudsim.volumes WHERE account_id = $1",
	    t.account_id), "10", "with 10 root volumes: losers left none");
	snprintf(body, sizeof(body), "/api/v1/subnets/%s", subnet);
	http(&r, "GET", body, NULL, t.headers);
	is_int(json_integer_value(json_object_get(r.json,
	    "available_ip_address_count")), 1, "one address is left, exactly");

	snprintf(body, sizeof(body), "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"subnet_id\":\"%s\","
	    "\"min_count\":1,\"max_count\":5}", subnet);
	http(&r, "POST", "/api/v1/instances", body, t.headers);
	ok(r.status == 201 && json_array_size(json_object_get(r.json,
	    "items")) == 1, "1 to 5 instances: the last address makes one");
	http(&r, "POST", "/api/v1/instances", body, t.headers);
	ok(r.status == 400 && strcmp(http_json_str(&r, "error.code"),
	    "InsufficientFreeAddressesInSubnet") == 0,
	    "a full subnet refuses the next launch");
}

static void
test_quota(void)
{
	struct test_account	 t;
	const char		*paths[RACERS];
	int			 tally[NOUTCOMES], i;

	if (!account_new(&t)) {
		ok(0, "register an account");
		return;
	}
	for (i = 0; i < RACERS; i++)
		paths[i] = "/api/v1/instances";
	race(&t, "POST", paths, "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"min_count\":3,\"max_count\":3}",
	    "InstanceLimitExceeded", tally);
	is_int(tally[WON], 6, "8 launches of 3 race for a quota of 20: 6 win");
	is_int(tally[LOST_AS_EXPECTED], 2, "2 get 400 InstanceLimitExceeded");
	is_int(tally[FAILED] + tally[OTHER_4XX] + tally[CONFLICT], 0,
	    "no other answer, never a 5xx");
	is_str(q1("SELECT count(*) FROM cloudsim.instances WHERE account_id = $1",
	    t.account_id), "18", "18 instances: the quota was never passed");
}

static void
test_state_changes(void)
{
	struct test_account	 t;
	char			 ids[2][ID_SIZE], p[RACERS][256];
	const char		*paths[RACERS];
	static const char *const actions[] = { "start", "stop", "reboot",
	    "terminate" };
	int			 tally[NOUTCOMES], round, i;
	bool			 clean = true;

	if (!account_new(&t)) {
		ok(0, "register an account");
		return;
	}
	http(&r, "POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\",\"max_count\":2}", t.headers);
	for (i = 0; i < 2; i++)
		snprintf(ids[i], ID_SIZE, "%s", json_string_value(
		    json_object_get(json_array_get(json_object_get(r.json,
		    "items"), (size_t)i), "id")));
	for (round = 0; round < 3; round++) {
		for (i = 0; i < RACERS; i++) {
			/* terminate only in the last round */
			snprintf(p[i], sizeof(p[i]), "/api/v1/instances/%s/%s",
			    ids[i % 2], actions[(i + round) %
			    (round == 2 ? 4 : 3)]);
			paths[i] = p[i];
		}
		race(&t, "POST", paths, "", NULL, tally);
		if (tally[WON] + tally[CONFLICT] != RACERS)
			clean = false;
	}
	ok(clean, "starts, stops, reboots and terminations racing on two "
	    "instances: every answer is a 200 or a 409");
	for (i = 0; i < RACERS; i++) {
		snprintf(p[i], sizeof(p[i]), "/api/v1/instances/%s/terminate",
		    ids[i % 2]);
		paths[i] = p[i];
	}
	race(&t, "POST", paths, "", NULL, tally);
	is_int(tally[WON], RACERS, "eight terminations racing: all answer 200");
	is_str(q1("SELECT count(*) FROM cloudsim.instances WHERE account_id = $1"
	    " AND cloudsim.instance_effective_state(state, next_state,"
	    " next_state_at) = 'terminated'", t.account_id), "2",
	    "both instances end terminated");
	is_str(q1("SELECT count(*) FROM cloudsim.subnet_addresses a JOIN"
	    " cloudsim.subnets s ON s.id = a.subnet_id WHERE s.account_id = $1",
	    t.account_id), "0", "with their addresses released");
}

int
main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	test_addresses();
	test_quota();
	test_state_changes();
	http_free(&r);
	return tap_done();
}
