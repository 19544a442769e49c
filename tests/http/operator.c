/*
 * The operator's view through the real web server: security headers on
 * every executable, GET /metrics (its format, counters that sum every
 * process of every executable, error counts, resource gauges equal to
 * the views), the audit trail end to end (one row per mutating request,
 * success or failure, carrying the response's request id, the caller,
 * source address, user agent, status and code), the admin views against
 * what the API answers, GET /api/v1/summary for a user and for an
 * administrator, and the request log's LOG_LEVEL (through a CGI run).
 *
 * Resources whose executables are not finished yet (instances, volumes,
 * EC2 Query actions that mutate) are probed first and their checks
 * skipped with a note, so the file runs at every stage of the project.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define UA		"cloudsim-operator-test/1.0"
#define CHILDREN	6
#define PER_CHILD	25

static const char *const services[] = {
	"auth", "instances", "vpcs", "volumes", "blockchains", "ec2", NULL
};

/* --- small helpers ------------------------------------------------ */

static const char *
sqlv(const char *sql, const char *p1, const char *p2)
{
	const char	*p[2] = { p1, p2 };

	return sql_value(sql, p2 ? 2 : p1 ? 1 : 0, p);
}

static long long
sqll(const char *sql, const char *p1, const char *p2)
{
	const char	*v = sqlv(sql, p1, p2);

	return v != NULL && *v != '\0' ? atoll(v) : -1;
}

static bool
relation_exists(const char *name)
{
	const char	*v = sqlv("SELECT to_regclass($1) IS NOT NULL", name,
			    NULL);

	return v != NULL && strcmp(v, "t") == 0;
}

/* A header list: the caller's bearer (may be NULL), a user agent. */
static const char **
hdrs(const char **buf, const struct test_account *a)
{
	int	n = 0;

	if (a != NULL)
		buf[n++] = a->bearer;
	buf[n++] = "User-Agent: " UA;
	buf[n] = NULL;
	return buf;
}

/*
 * The value of one sample of an exposition, by its exact series text
 * (name and labels as rendered); 0 when the series is absent.
 */
static double
sample(const char *text, const char *series)
{
	size_t		 len = strlen(series);
	const char	*p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, series, len) == 0 && p[len] == ' ')
			return strtod(p + len + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Sum of every sample whose series starts with prefix. */
static double
sample_sum(const char *text, const char *prefix, int *count)
{
	size_t		 len = strlen(prefix);
	const char	*p = text, *sp;
	double		 sum = 0;

	*count = 0;
	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, len) == 0 &&
		    (sp = strchr(p, ' ')) != NULL) {
			sum += strtod(sp + 1, NULL);
			(*count)++;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return sum;
}

static bool
name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':' ||
	    (!first && isdigit((unsigned char)c));
}

/*
 * The text exposition format 0.0.4, line by line: HELP and TYPE
 * comments; samples as name{label="value",…} number; a family's TYPE
 * once, before its samples.  Returns NULL or what is wrong.
 */
static const char *
exposition_error(const char *text, char *why, size_t len)
{
	char		 typed[256][96], name[96];
	size_t		 ntyped = 0, i, n;
	const char	*p = text, *eol, *q;
	char		*end;

	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			return "the text does not end with a newline";
		if (strncmp(p, "# HELP ", 7) == 0)
			continue;
		if (strncmp(p, "# TYPE ", 7) == 0) {
			q = p + 7;
			for (n = 0; q < eol && *q != ' ' && n < sizeof(name) - 1;
			    q++)
				name[n++] = *q;
			name[n] = '\0';
			if (strncmp(q, " counter\n", 9) != 0 &&
			    strncmp(q, " gauge\n", 7) != 0 &&
			    strncmp(q, " histogram\n", 11) != 0)
				return "a TYPE line with an unknown type";
			for (i = 0; i < ntyped; i++)
				if (strcmp(typed[i], name) == 0) {
					snprintf(why, len, "TYPE twice for %s",
					    name);
					return why;
				}
			if (ntyped < 256)
				snprintf(typed[ntyped++], 96, "%s", name);
			continue;
		}
		if (*p == '#')
			return "a comment that is neither HELP nor TYPE";
		for (q = p, n = 0; q < eol && name_char(*q, q == p) &&
		    n < sizeof(name) - 1; q++)
			name[n++] = *q;
		name[n] = '\0';
		if (n == 0) {
			snprintf(why, len, "a line without a metric name: %.60s",
			    p);
			return why;
		}
		if (*q == '{') {
			for (q++; *q != '}';) {
				if (!name_char(*q, true))
					return "a label without a name";
				while (name_char(*q, false))
					q++;
				if (q[0] != '=' || q[1] != '"')
					return "a label not followed by =\"";
				for (q += 2; *q != '"'; q++) {
					if (q >= eol)
						return "an unterminated label";
					if (*q == '\\')
						q++;
				}
				q++;
				if (*q == ',')
					q++;
				else if (*q != '}')
					return "labels not separated by commas";
			}
			q++;
		}
		if (*q != ' ')
			return "no space before a sample's value";
		if (strncmp(q + 1, "+Inf\n", 5) != 0) {
			strtod(q + 1, &end);
			if (end == q + 1 || end != eol) {
				snprintf(why, len, "a value that is not a "
				    "number: %.60s", p);
				return why;
			}
		}
		/* A histogram's samples are name_bucket, _sum, _count. */
		for (i = 0; i < ntyped; i++) {
			size_t tl = strlen(typed[i]);

			if (strcmp(typed[i], name) == 0 ||
			    (strncmp(typed[i], name, tl) == 0 &&
			    (strcmp(name + tl, "_bucket") == 0 ||
			    strcmp(name + tl, "_sum") == 0 ||
			    strcmp(name + tl, "_count") == 0)))
				break;
		}
		if (i == ntyped) {
			snprintf(why, len, "a sample before its TYPE: %s", name);
			return why;
		}
	}
	return NULL;
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/*
 * children processes each GET path each times at once, every one on its
 * own keep-alive connection, so the web server has to spread them over
 * its processes.  Returns how many requests did not answer 200.
 */
static int
hammer(const char *path, int children, int each)
{
	pid_t	pids[16];
	int	c, st, bad = 0;

	fflush(stdout);
	for (c = 0; c < children && c < 16; c++) {
		if ((pids[c] = fork()) == 0) {
			CURL	*h = curl_easy_init();
			char	 url[1024];
			long	 code;
			int	 i, failed = 0;

			snprintf(url, sizeof(url), "%s%s", http_base(), path);
			curl_easy_setopt(h, CURLOPT_URL, url);
			curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
			curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
			for (i = 0; i < each; i++) {
				code = 0;
				if (curl_easy_perform(h) != CURLE_OK ||
				    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE,
				    &code) != CURLE_OK || code != 200)
					failed++;
			}
			curl_easy_cleanup(h);
			_exit(failed > 255 ? 255 : failed);
		}
	}
	for (c = 0; c < children && c < 16; c++)
		if (pids[c] > 0 && waitpid(pids[c], &st, 0) == pids[c])
			bad += WIFEXITED(st) ? WEXITSTATUS(st) : each;
	return bad;
}

/* GET /metrics into buf (a copy: the next http() frees the reply). */
static char *
scrape(void)
{
	struct reply	 r = { 0 };
	char		*text = NULL;

	if (http(&r, "GET", "/metrics", NULL, NULL) == 200)
		text = strdup(r.body);
	http_free(&r);
	return text != NULL ? text : strdup("");
}

/* --- security headers --------------------------------------------- */

static void
check_headers(struct reply *r, const char *what, bool authenticated)
{
	char		 name[256];
	const char	*ct = http_header(r, "Content-Type");

	snprintf(name, sizeof(name), "%s: X-Content-Type-Options nosniff",
	    what);
	is_str(http_header(r, "X-Content-Type-Options"), "nosniff", name);
	snprintf(name, sizeof(name), "%s: Referrer-Policy no-referrer", what);
	is_str(http_header(r, "Referrer-Policy"), "no-referrer", name);
	if (authenticated) {
		snprintf(name, sizeof(name), "%s: Cache-Control no-store",
		    what);
		is_str(http_header(r, "Cache-Control"), "no-store", name);
	}
	snprintf(name, sizeof(name), "%s: never HTML (%s)", what,
	    ct ? ct : "no body");
	ok(ct == NULL || strstr(ct, "html") == NULL, name);
	snprintf(name, sizeof(name), "%s: has an X-Request-Id", what);
	ok(http_header(r, "X-Request-Id") != NULL, name);
}

static void
headers(const struct test_account *a)
{
	struct reply		 r = { 0 };
	const char *const	*s;
	const char		*h[4];
	char			 path[128], what[160];

	for (s = services; *s != NULL; s++) {
		snprintf(path, sizeof(path), "/health/%s", *s);
		http(&r, "GET", path, NULL, NULL);
		snprintf(what, sizeof(what), "GET %s", path);
		check_headers(&r, what, false);
	}
	http(&r, "GET", "/api/v1/auth/me", NULL, hdrs(h, a));
	is_int(r.status, 200, "auth: GET /api/v1/auth/me");
	check_headers(&r, "auth (authenticated)", true);
	http(&r, "GET", "/api/v1/vpcs", NULL, hdrs(h, a));
	is_int(r.status, 200, "vpcs: GET /api/v1/vpcs");
	check_headers(&r, "vpcs (authenticated)", true);
	http(&r, "GET", "/api/v1/regions", NULL, hdrs(h, a));
	check_headers(&r, "instances (authenticated)", true);
	http(&r, "GET", "/api/v1/vpcs/vpc-00000000", NULL, hdrs(h, a));
	check_headers(&r, "vpcs (authenticated error)", true);
	http(&r, "GET", "/api/blockchains", NULL, NULL);
	check_headers(&r, "blockchains", false);
	http(&r, "GET", "/no/such/page.html", NULL, NULL);
	is_int(r.status, 404, "ec2: an unknown page is 404");
	is_str(http_header(&r, "Content-Type"),
	    "application/json; charset=utf-8", "ec2: ... answered in JSON");
	check_headers(&r, "ec2 (unknown page)", false);
	http(&r, "GET", "/metrics", NULL, NULL);
	check_headers(&r, "ec2 (/metrics)", false);
	http_free(&r);
}

/* --- metrics ------------------------------------------------------ */

static void
metrics(const struct test_account *a)
{
	static const char vpcs_health[] = "cloudsim_http_requests_total"
	    "{executable=\"vpcs\",route=\"/health/vpcs\",method=\"GET\","
	    "status=\"200\"}";
	static const char vpcs_hist[] =
	    "cloudsim_http_request_duration_seconds_count"
	    "{executable=\"vpcs\",route=\"/health/vpcs\",method=\"GET\"}";
	static const char vpcs_inf[] =
	    "cloudsim_http_request_duration_seconds_bucket"
	    "{executable=\"vpcs\",route=\"/health/vpcs\",method=\"GET\","
	    "le=\"+Inf\"}";
	static const char inst_health[] = "cloudsim_http_requests_total"
	    "{executable=\"instances\",route=\"/health/instances\","
	    "method=\"GET\",status=\"200\"}";
	static const char not_found[] = "cloudsim_http_errors_total"
	    "{executable=\"vpcs\",code=\"InvalidVpcID.NotFound\"}";
	static const char unmatched[] = "cloudsim_http_requests_total"
	    "{executable=\"ec2\",route=\"(unmatched)\",method=\"GET\","
	    "status=\"404\"}";
	static const char slots[] =
	    "cloudsim_process_requests_total{executable=\"vpcs\",slot=\"";
	struct reply	 r = { 0 };
	char		*before, *after, why[160], series[256];
	const char	*h[4], *err, *server;
	double		 b_slot[8], a_slot[8], v;
	int		 i, bad, n, moved;
	bool		 lighttpd;

	is_int(http(&r, "GET", "/metrics", NULL, NULL), 200,
	    "GET /metrics is 200 without credentials");
	is_str(http_header(&r, "Content-Type"),
	    "text/plain; version=0.0.4; charset=utf-8",
	    "in the text exposition format 0.0.4");
	err = exposition_error(r.body, why, sizeof(why));
	ok(err == NULL, "the exposition parses: HELP/TYPE, names, labels, "
	    "values, TYPE before samples");
	if (err != NULL)
		printf("#   %s\n", err);
	ok(strstr(r.body, "# TYPE cloudsim_http_requests_total counter\n") &&
	    strstr(r.body, "# TYPE cloudsim_http_request_duration_seconds "
	    "histogram\n") &&
	    strstr(r.body, "# TYPE cloudsim_http_errors_total counter\n"),
	    "request counters, latency histograms and error counters");
	is_int((int)sample(r.body, "cloudsim_database_up"), 1,
	    "cloudsim_database_up 1");
	http(&r, "POST", "/metrics", "", NULL);
	is_int(r.status, 405, "POST /metrics is 405");

	/* Counters across processes of one executable, and across two. */
	http(&r, "GET", "/health/ec2", NULL, NULL);
	server = http_header(&r, "Server");
	/* lighttpd.conf's server.tag */
	lighttpd = server != NULL && strcmp(server, "cloudsim") == 0;
	before = scrape();
	for (i = 0; i < 8; i++) {
		snprintf(series, sizeof(series), "%s%d\"}", slots, i);
		b_slot[i] = sample(before, series);
	}
	bad = hammer("/health/vpcs", CHILDREN, PER_CHILD);
	bad += hammer("/health/instances", CHILDREN / 2, PER_CHILD);
	is_int(bad, 0, "every concurrent request answered 200");
	after = scrape();
	is_int((long long)(sample(after, vpcs_health) -
	    sample(before, vpcs_health)), CHILDREN * PER_CHILD,
	    "vpcs: the scraped count grew by exactly the requests sent");
	is_int((long long)(sample(after, inst_health) -
	    sample(before, inst_health)), CHILDREN / 2 * PER_CHILD,
	    "instances: so did another executable's");
	is_int((long long)(sample(after, vpcs_hist) - sample(before, vpcs_hist)),
	    CHILDREN * PER_CHILD, "the histogram's count grew the same");
	ok(sample(after, vpcs_inf) == sample(after, vpcs_hist),
	    "its +Inf bucket equals its count");
	for (i = 0, moved = 0; i < 8; i++) {
		snprintf(series, sizeof(series), "%s%d\"}", slots, i);
		a_slot[i] = sample(after, series);
		if (a_slot[i] > b_slot[i])
			moved++;
	}
	/*
	 * lighttpd keeps CLOUDSIM_PROCS (2) processes, each on its own
	 * socket, and spreads concurrent requests over them.  Apache's
	 * mod_fcgid spawns processes when it sees fit, and spawn-fcgi's
	 * children (behind nginx) share one socket, where one child may take
	 * every connection: there the sum above is the proof and this a note.
	 */
	if (lighttpd)
		ok(moved >= 2, "at least two vpcs processes served the load, "
		    "and the total is theirs summed");
	else
		printf("# %s: %d vpcs process slot(s) served the load\n",
		    server ? server : "web server", moved);
	v = sample_sum(after, slots, &n);
	ok(n >= 2 && v >= sample(after, vpcs_health),
	    "per-process counters are listed for each slot");
	free(before);
	free(after);

	/* Errors by code, unmatched routes. */
	before = scrape();
	for (i = 0; i < 3; i++)
		http(&r, "GET", "/api/v1/vpcs/vpc-0000000f", NULL, hdrs(h, a));
	is_int(r.status, 404, "an unknown VPC is 404");
	is_str(http_json_str(&r, "error.code"), "InvalidVpcID.NotFound",
	    "InvalidVpcID.NotFound");
	http(&r, "GET", "/operator/test/unmatched", NULL, NULL);
	http(&r, "GET", "/operator/test/unmatched/again", NULL, NULL);
	after = scrape();
	is_int((long long)(sample(after, not_found) - sample(before, not_found)),
	    3, "errors are counted by code");
	is_int((long long)(sample(after, unmatched) - sample(before, unmatched)),
	    2, "unmatched paths share one bounded series");
	free(before);
	free(after);

	/* Resource gauges equal what the views hold. */
	after = scrape();
	is_int((long long)sample(after, "cloudsim_vpcs{region=\"us-east-1\"}"),
	    sqll("SELECT count(*) FROM cloudsim.v_vpcs WHERE region = $1",
	    "us-east-1", NULL), "cloudsim_vpcs equals cloudsim.v_vpcs");
	is_int((long long)sample(after, "cloudsim_subnets{region=\"eu-west-1\"}"),
	    sqll("SELECT count(*) FROM cloudsim.v_subnets WHERE region = $1",
	    "eu-west-1", NULL), "cloudsim_subnets equals cloudsim.v_subnets");
	is_int((long long)sample(after, "cloudsim_blockchains"),
	    sqll("SELECT count(*) FROM cloudsim.v_blockchains", NULL, NULL),
	    "cloudsim_blockchains equals cloudsim.v_blockchains");
	is_int((long long)sample(after, "cloudsim_accounts"),
	    sqll("SELECT count(*) FROM cloudsim.accounts", NULL, NULL),
	    "cloudsim_accounts equals the accounts");
	if (relation_exists("cloudsim.v_volumes")) {
		v = sample_sum(after, "cloudsim_volumes{", &n);
		is_int((long long)v, sqll("SELECT count(*) FROM "
		    "cloudsim.v_volumes", NULL, NULL),
		    "cloudsim_volumes sums to cloudsim.v_volumes");
	} else
		tap_diag("no cloudsim.v_volumes yet: volume gauges not checked");
	if (relation_exists("cloudsim.v_instances")) {
		v = sample_sum(after, "cloudsim_instances{", &n);
		is_int((long long)v, sqll("SELECT count(*) FROM "
		    "cloudsim.v_instances", NULL, NULL),
		    "cloudsim_instances sums to cloudsim.v_instances");
	} else
		tap_diag("no cloudsim.v_instances yet: instance gauges not "
		    "checked");
	free(after);
	http_free(&r);
}

/* --- audit -------------------------------------------------------- */

/*
 * The one audit row of the response in r: service|action|account|user|
 * source|agent|status|code|ids, "" when there is none, "(n rows)" when
 * there are several.
 */
static const char *
audit_of(const struct reply *r)
{
	static char	 row[2048];
	const char	*rid = http_header(r, "X-Request-Id"), *v;
	char		 id[64];

	if (rid == NULL)
		return "(no request id)";
	snprintf(id, sizeof(id), "%s", rid);
	v = sqlv("SELECT count(*) FROM cloudsim.audit_log WHERE request_id = "
	    "$1::uuid", id, NULL);
	if (v == NULL || strcmp(v, "1") != 0) {
		snprintf(row, sizeof(row), "(%s rows)", v ? v : "?");
		return row;
	}
	v = sqlv("SELECT concat_ws('|', service, action,"
	    " coalesce(account_id, '-'), coalesce(user_id::text, '-'),"
	    " coalesce(host(source_ip), '-'), coalesce(user_agent, '-'), status,"
	    " coalesce(error_code, '-'), array_to_string(resource_ids, ','))"
	    " FROM cloudsim.audit_log WHERE request_id = $1::uuid", id, NULL);
	snprintf(row, sizeof(row), "%s", v ? v : "?");
	return row;
}

/* Do two '|'-separated rows agree?  "*" in want is any value but "-". */
static bool
row_matches(const char *got, const char *want)
{
	size_t	g, w;

	for (;;) {
		g = strcspn(got, "|");
		w = strcspn(want, "|");
		if (w == 1 && want[0] == '*') {
			if (g == 0 || (g == 1 && got[0] == '-'))
				return false;
		} else if (g != w || strncmp(got, want, w) != 0)
			return false;
		if (got[g] == '\0' || want[w] == '\0')
			return got[g] == want[w];
		got += g + 1;
		want += w + 1;
	}
}

/*
 * The response in r left exactly the audit row expected: its code is
 * code, or the response's error.code when code is NULL ("*": any).
 */
static void
expect_audit(const struct reply *r, const char *service, const char *action,
    const struct test_account *a, const char *id, const char *code,
    const char *name)
{
	char		 want[2048];
	const char	*got = audit_of(r);

	if (code == NULL)
		code = http_json_str(r, "error.code");
	snprintf(want, sizeof(want), "%s|%s|%s|%s|127.0.0.1|%s|%ld|%s|%s",
	    service, action, a ? a->account_id : "-", a ? a->user_id : "-",
	    UA, r->status, code ? code : "-", id ? id : "");
	if (!ok(row_matches(got, want), name))
		printf("#   got  '%s'\n#   want '%s'\n", got, want);
}

static void
audit(const struct test_account *a)
{
	struct reply	 r = { 0 };
	const char	*h[4], *v;
	char		 id[64], body[512];

	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.42.0.0/16\"}",
	    hdrs(h, a));
	is_int(r.status, 201, "CreateVpc through REST is 201");
	snprintf(id, sizeof(id), "%s", (v = http_json_str(&r, "id")) ? v : "");
	expect_audit(&r, "vpcs", "CreateVpc", a, id, NULL,
	    "a created VPC leaves one audit row: request id, account, user, "
	    "source, agent, status, id");

	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.0.0.0/8\"}",
	    hdrs(h, a));
	ok(r.status == 400 && http_json_str(&r, "error.code") != NULL,
	    "a /8 VPC is refused with 400");
	expect_audit(&r, "vpcs", "CreateVpc", a, NULL, NULL,
	    "the refused create leaves one row with its status and code");
	ok(sqll("SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1"
	    " AND cidr_block = '10.0.0.0/8'", a->account_id, NULL) == 0,
	    "... and no VPC");

	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.43.0.0/16\"}",
	    hdrs(h, NULL));
	is_int(r.status, 401, "an unauthenticated create is 401");
	expect_audit(&r, "vpcs", "CreateVpc", NULL, NULL, NULL,
	    "it is audited too, with no account");

	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": 42}", hdrs(h, a));
	ok(r.status == 400, "a malformed body is 400");
	expect_audit(&r, "vpcs", "CreateVpc", a, NULL, NULL,
	    "a malformed request is audited under its action");

	snprintf(body, sizeof(body), "{\"vpc_id\": \"%s\", \"cidr_block\":"
	    " \"10.42.1.0/24\", \"availability_zone\": \"us-east-1a\"}", id);
	http(&r, "POST", "/api/v1/subnets", body, hdrs(h, a));
	is_int(r.status, 201, "CreateSubnet is 201");
	v = http_json_str(&r, "id");
	expect_audit(&r, "vpcs", "CreateSubnet", a, v ? v : "?", NULL,
	    "a created subnet is audited with its id");

	http(&r, "DELETE", "/api/v1/vpcs/vpc-0000000e", NULL, hdrs(h, a));
	is_int(r.status, 404, "deleting an unknown VPC is 404");
	expect_audit(&r, "vpcs", "DeleteVpc", a, "vpc-0000000e", NULL,
	    "a failed delete is audited with the id it named");

	http(&r, "POST", "/api/blockchains",
	    "{\"first_name\": \"Grace\", \"last_name\": \"Hopper\","
	    " \"difficulty\": 1}", hdrs(h, NULL));
	is_int(r.status, 200, "a blockchain is created (200, CloudManager v1)");
	v = r.json ? json_string_value(json_object_get(r.json,
	    "blockchain_id")) : NULL;
	expect_audit(&r, "blockchains", "blockchains.create", NULL,
	    v ? v : "?", NULL, "the blockchain create is audited with its id");
	http(&r, "POST", "/api/blockchains", "{\"first_name\": \"\"}",
	    hdrs(h, NULL));
	is_int(r.status, 400, "a bad blockchain create is 400");
	expect_audit(&r, "blockchains", "blockchains.create", NULL, NULL,
	    "*", "... and audited with a code");

	/* Reads are not audited. */
	http(&r, "GET", "/api/v1/vpcs", NULL, hdrs(h, a));
	is_str(audit_of(&r), "(0 rows)", "a read leaves no audit row");

	if (relation_exists("cloudsim.volumes") &&
	    http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\":"
	    " \"us-east-1a\", \"size\": 3}", hdrs(h, a)) != 404) {
		is_int(r.status, 201, "CreateVolume is 201");
		v = http_json_str(&r, "id");
		expect_audit(&r, "volumes", "CreateVolume", a, v ? v : "?", NULL,
		    "a created volume is audited with its id");
		http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\":"
		    " \"us-east-1a\", \"size\": 999999}", hdrs(h, a));
		is_int(r.status, 400, "an oversized volume is 400");
		expect_audit(&r, "volumes", "CreateVolume", a, NULL, NULL,
		    "... and audited");
	} else
		tap_diag("POST /api/v1/volumes is not served yet: its audit "
		    "is not checked");
	http_free(&r);
}

/*
 * One EC2 Query call, POST / with a form body, signed by botocore as the
 * AWS SDKs sign.  Fills the status, the answer's X-Request-Id and body.
 */
static const char ec2_signer[] =
    "import sys, urllib.request, urllib.error\n"
    "from botocore.auth import SigV4Auth\n"
    "from botocore.awsrequest import AWSRequest\n"
    "from botocore.credentials import Credentials\n"
    "url, akid, secret, form, ua = sys.argv[1:6]\n"
    "h = {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',"
    " 'User-Agent': ua}\n"
    "req = AWSRequest(method='POST', url=url, data=form.encode(), headers=h)\n"
    "SigV4Auth(Credentials(akid, secret), 'ec2', 'us-east-1').add_auth(req)\n"
    "r = urllib.request.Request(url, data=form.encode(), method='POST',"
    " headers=dict(req.headers.items()))\n"
    "try:\n"
    "    resp = urllib.request.urlopen(r, timeout=10)\n"
    "    st, hd, body = resp.status, resp.headers, resp.read()\n"
    "except urllib.error.HTTPError as e:\n"
    "    st, hd, body = e.code, e.headers, e.read()\n"
    "print(st, hd.get('X-Request-Id', '-'))\n"
    "print(body.decode().replace('\\n', ' '))\n";

static int
ec2_call(const char *akid, const char *secret, const char *form, char *rid,
    size_t ridlen, char *body, size_t bodylen)
{
	char	 cmd[8192], line[256];
	FILE	*p;
	int	 status = -1;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c \"$OPS_SIGNER\" "
	    "'%s/' '%s' '%s' '%s' '%s' 2>&1", http_base(), akid, secret, form,
	    UA);
	setenv("OPS_SIGNER", ec2_signer, 1);
	rid[0] = body[0] = '\0';
	fflush(stdout);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), p) != NULL &&
	    sscanf(line, "%d %63s", &status, rid) != 2)
		status = -1;
	if (fgets(body, (int)bodylen, p) == NULL)
		body[0] = '\0';
	pclose(p);
	(void)ridlen;
	return status;
}

/* The text of the first <tag> in xml, or "" (static storage). */
static const char *
xml_text(const char *xml, const char *tag)
{
	static char	 out[256];
	char		 open[64];
	const char	*b, *e;

	snprintf(open, sizeof(open), "<%s>", tag);
	out[0] = '\0';
	if ((b = strstr(xml, open)) != NULL && (e = strchr(b + strlen(open),
	    '<')) != NULL)
		snprintf(out, sizeof(out), "%.*s",
		    (int)(e - b - strlen(open)), b + strlen(open));
	return out;
}

/*
 * Through the EC2 Query front: a mutating action's failure (written by
 * the dispatcher) and success (by the service) are audited like REST's,
 * with the access key.  Skipped while ec2.fcgi has no mutating action.
 */
static void
audit_ec2(const struct test_account *a)
{
	struct reply	 r = { 0 };
	const char	*h[4], *v;
	char		 akid[64], secret[128], rid[64], body[8192], want[512];
	char		 sql[512];
	int		 st;

	http(&r, "POST", "/api/v1/auth/access-keys", "{}", hdrs(h, a));
	snprintf(akid, sizeof(akid), "%s",
	    (v = http_json_str(&r, "access_key_id")) ? v : "");
	snprintf(secret, sizeof(secret), "%s",
	    (v = http_json_str(&r, "secret_access_key")) ? v : "");
	http_free(&r);
	st = ec2_call(akid, secret, "Action=CreateVpc&Version=2016-11-15"
	    "&CidrBlock=10.0.0.0/8", rid, sizeof(rid), body, sizeof(body));
	if (strstr(body, "InvalidAction") != NULL || st < 0) {
		tap_diag("ec2.fcgi has no CreateVpc yet: EC2 Query audit not "
		    "checked");
		return;
	}
	is_int(st, 400, "EC2 CreateVpc of a /8 is refused with 400");
	snprintf(sql, sizeof(sql), "SELECT concat_ws('|', service, action,"
	    " account_id, user_id, access_key_id, host(source_ip), user_agent,"
	    " status, error_code) FROM cloudsim.audit_log"
	    " WHERE request_id = $1::uuid");
	snprintf(want, sizeof(want), "ec2|CreateVpc|%s|%s|%s|127.0.0.1|%s|400|%s",
	    a->account_id, a->user_id, akid, UA, xml_text(body, "Code"));
	is_str(sqlv(sql, rid, NULL), want,
	    "the dispatcher audits the failed EC2 action with the access key");
	st = ec2_call(akid, secret, "Action=CreateVpc&Version=2016-11-15"
	    "&CidrBlock=10.56.0.0/16", rid, sizeof(rid), body, sizeof(body));
	is_int(st, 200, "EC2 CreateVpc of a /16 is 200");
	/* EC2 answers 200 where REST answers a creation 201. */
	snprintf(sql, sizeof(sql), "SELECT concat_ws('|', service, action,"
	    " account_id, user_id, access_key_id, host(source_ip), user_agent,"
	    " status, coalesce(error_code, '-'), resource_ids[1] ~ '^vpc-')"
	    " FROM cloudsim.audit_log WHERE request_id = $1::uuid");
	snprintf(want, sizeof(want), "ec2|CreateVpc|%s|%s|%s|127.0.0.1|%s|200|-|t",
	    a->account_id, a->user_id, akid, UA);
	is_str(sqlv(sql, rid, NULL), want,
	    "the service audits the EC2 success in its transaction, with the "
	    "VPC's id");
}

/* --- views against the API ------------------------------------------ */

/* Each field of the API's object equals the view's column as text. */
static void
compare(const struct reply *r, const char *view, const char *id,
    const char *const *fields, const char *what)
{
	char		 sql[512], name[256];
	const char	*got, *want;
	json_t		*v;
	size_t		 i;

	snprintf(sql, sizeof(sql), "SELECT CASE WHEN $2 IN ('created_at',"
	    " 'create_time') THEN to_char(v.created_at AT TIME ZONE 'UTC',"
	    " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') ELSE to_jsonb(v) ->> $2 END"
	    " FROM %s v WHERE v.id = $1", view);
	for (i = 0; fields[i] != NULL; i++) {
		v = json_object_get(r->json, fields[i]);
		want = sqlv(sql, id, fields[i]);
		if (json_is_string(v))
			got = json_string_value(v);
		else if (json_is_true(v))
			got = "true";
		else if (json_is_false(v))
			got = "false";
		else if (json_is_integer(v)) {
			static char num[32];

			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(v));
			got = num;
		} else
			got = v == NULL ? "(absent)" : "(other)";
		snprintf(name, sizeof(name), "%s: %s as the API shows it", what,
		    fields[i]);
		is_str(got, want, name);
	}
}

static void
views(const struct test_account *a)
{
	static const char *const vpc_fields[] = { "id", "arn", "account_id",
	    "region", "cidr_block", "state", "is_default", "instance_tenancy",
	    "main_route_table_id", "default_security_group_id", "created_at",
	    NULL };
	static const char *const subnet_fields[] = { "id", "arn", "vpc_id",
	    "cidr_block", "availability_zone", "availability_zone_id",
	    "available_ip_address_count", "map_public_ip_on_launch",
	    "default_for_az", "state", "created_at", NULL };
	static const char *const volume_fields[] = { "id", "arn", "size",
	    "volume_type", "iops", "state", "availability_zone", "encrypted",
	    "create_time", NULL };
	struct reply	 r = { 0 };
	const char	*h[4], *v;
	char		 vpc[64], subnet[64], body[512];

	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\": \"10.77.0.0/16\"}",
	    hdrs(h, a));
	snprintf(vpc, sizeof(vpc), "%s", (v = http_json_str(&r, "id")) ? v : "");
	snprintf(body, sizeof(body), "/api/v1/vpcs/%s", vpc);
	is_int(http(&r, "GET", body, NULL, hdrs(h, a)), 200, "GET the new VPC");
	compare(&r, "cloudsim.v_vpcs", vpc, vpc_fields, "v_vpcs");

	snprintf(body, sizeof(body), "{\"vpc_id\": \"%s\", \"cidr_block\":"
	    " \"10.77.3.0/28\", \"availability_zone\": \"us-east-1b\"}", vpc);
	http(&r, "POST", "/api/v1/subnets", body, hdrs(h, a));
	snprintf(subnet, sizeof(subnet), "%s",
	    (v = http_json_str(&r, "id")) ? v : "");
	snprintf(body, sizeof(body), "/api/v1/subnets/%s", subnet);
	is_int(http(&r, "GET", body, NULL, hdrs(h, a)), 200,
	    "GET the new subnet");
	compare(&r, "cloudsim.v_subnets", subnet, subnet_fields, "v_subnets");
	is_int(json_integer_value(json_object_get(r.json,
	    "available_ip_address_count")), 11,
	    "a /28 offers 11 addresses, in the API and the view");

	if (relation_exists("cloudsim.v_volumes") &&
	    http(&r, "POST", "/api/v1/volumes", "{\"availability_zone\":"
	    " \"us-east-1b\", \"size\": 5, \"volume_type\": \"gp3\"}",
	    hdrs(h, a)) == 201) {
		snprintf(body, sizeof(body), "/api/v1/volumes/%s",
		    (v = http_json_str(&r, "id")) ? v : "");
		is_int(http(&r, "GET", body, NULL, hdrs(h, a)), 200,
		    "GET the new volume");
		compare(&r, "cloudsim.v_volumes", http_json_str(&r, "id"),
		    volume_fields, "v_volumes");
	} else
		tap_diag("volumes are not served yet: v_volumes not compared");
	http_free(&r);
}

/* --- summary ------------------------------------------------------ */

static json_t *
region_of(const struct reply *r, const char *region)
{
	json_t	*regions = json_object_get(r->json, "regions"), *e;
	size_t	 i;

	json_array_foreach(regions, i, e)
		if (strcmp(json_string_value(json_object_get(e, "region")),
		    region) == 0)
			return e;
	return NULL;
}

static long long
jint(json_t *obj, const char *a, const char *b)
{
	json_t	*v = json_object_get(obj, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static void
summary(const struct test_account *a, const struct test_account *admin)
{
	struct reply	 r = { 0 };
	const char	*h[4];
	char		 path[128];
	json_t		*use1;

	if (!relation_exists("cloudsim.v_instances") ||
	    !relation_exists("cloudsim.v_volumes")) {
		tap_diag("no cloudsim.v_instances or v_volumes yet: the summary "
		    "is not checked");
		return;
	}
	is_int(http(&r, "GET", "/api/v1/summary", NULL, hdrs(h, a)), 200,
	    "GET /api/v1/summary is 200");
	is_str(http_header(&r, "Content-Type"),
	    "application/json; charset=utf-8", "summary is JSON");
	is_str(http_header(&r, "Cache-Control"), "no-store",
	    "summary is never cached");
	is_str(http_json_str(&r, "scope"), "account", "a user's scope is "
	    "its account");
	is_str(http_json_str(&r, "account_id"), a->account_id,
	    "... its own account");
	is_int((long long)json_array_size(json_object_get(r.json, "regions")),
	    sqll("SELECT count(DISTINCT region) FROM cloudsim.v_vpcs"
	    " WHERE account_id = $1", a->account_id, NULL),
	    "one entry per region with resources (the default VPCs)");
	use1 = region_of(&r, "us-east-1");
	ok(use1 != NULL, "us-east-1 is summarized");
	is_int(jint(use1, "vpcs", NULL), sqll("SELECT count(*) FROM"
	    " cloudsim.v_vpcs WHERE account_id = $1 AND region = 'us-east-1'",
	    a->account_id, NULL), "VPCs as the view counts them");
	is_int(jint(use1, "subnets", NULL), sqll("SELECT count(*) FROM"
	    " cloudsim.v_subnets WHERE account_id = $1 AND region = 'us-east-1'",
	    a->account_id, NULL), "subnets as the view counts them");
	is_int(jint(use1, "volumes", "total"), sqll("SELECT count(*) FROM"
	    " cloudsim.v_volumes WHERE account_id = $1 AND region = 'us-east-1'",
	    a->account_id, NULL), "volumes as the view counts them");
	is_int(jint(use1, "volumes", "total_gib"), sqll("SELECT"
	    " coalesce(sum(size), 0) FROM cloudsim.v_volumes WHERE account_id ="
	    " $1 AND region = 'us-east-1'", a->account_id, NULL),
	    "volume GiB as the view sums them");
	is_int(jint(use1, "instances", "total"), sqll("SELECT count(*) FROM"
	    " cloudsim.v_instances WHERE account_id = $1 AND region ="
	    " 'us-east-1'", a->account_id, NULL),
	    "instances as the view counts them");
	ok(json_is_object(json_object_get(json_object_get(use1, "instances"),
	    "by_state")) && json_is_object(json_object_get(
	    json_object_get(use1, "instances"), "by_type")) &&
	    json_is_object(json_object_get(json_object_get(use1, "volumes"),
	    "by_state")), "by_state and by_type are objects");
	ok(json_object_get(region_of(&r, "eu-west-1"), "vpcs") != NULL &&
	    jint(region_of(&r, "eu-west-1"), "vpcs", NULL) == 1,
	    "another region has its default VPC only");

	snprintf(path, sizeof(path), "/api/v1/summary?account_id=%s",
	    admin->account_id);
	is_int(http(&r, "GET", path, NULL, hdrs(h, a)), 403,
	    "a user cannot summarize another account");
	is_str(http_json_str(&r, "error.code"), "UnauthorizedOperation",
	    "UnauthorizedOperation");
	is_int(http(&r, "GET", "/api/v1/summary?account_id=12", NULL,
	    hdrs(h, a)), 400, "a malformed account id is 400");
	is_int(http(&r, "GET", "/api/v1/summary?region=us-east-1", NULL,
	    hdrs(h, a)), 400, "an unknown query parameter is 400");
	is_int(http(&r, "GET", "/api/v1/summary", NULL, hdrs(h, NULL)), 401,
	    "the summary needs credentials");
	is_str(http_json_str(&r, "error.code"), "AuthenticationFailure",
	    "... AuthenticationFailure, in JSON");

	is_int(http(&r, "GET", "/api/v1/summary", NULL, hdrs(h, admin)), 200,
	    "an administrator's summary is 200");
	is_str(http_json_str(&r, "scope"), "all", "... over every account");
	ok(json_is_null(json_object_get(r.json, "account_id")),
	    "... with account_id null");
	is_int(jint(region_of(&r, "us-east-1"), "vpcs", NULL),
	    sqll("SELECT count(*) FROM cloudsim.v_vpcs WHERE region ="
	    " 'us-east-1'", NULL, NULL), "... counting every account's VPCs");
	snprintf(path, sizeof(path), "/api/v1/summary?account_id=%s",
	    a->account_id);
	is_int(http(&r, "GET", path, NULL, hdrs(h, admin)), 200,
	    "an administrator may summarize one account");
	is_str(http_json_str(&r, "account_id"), a->account_id,
	    "... that account");
	is_int(jint(region_of(&r, "us-east-1"), "vpcs", NULL),
	    sqll("SELECT count(*) FROM cloudsim.v_vpcs WHERE account_id = $1"
	    " AND region = 'us-east-1'", a->account_id, NULL),
	    "... with that account's counts");
	http_free(&r);
}

/* --- logs --------------------------------------------------------- */

/*
 * Run ec2.fcgi as plain CGI for GET uri with LOG_LEVEL=level; the
 * lines it logged to stderr go to err (NUL-terminated).
 */
static int
cgi_log(const char *uri, const char *level, char *err, size_t len)
{
	static const char *const keep[] = { "DATA_DIRECTORY", "CLOUDSIM_CONF",
		"CLOUDSIM_DB", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PATH", NULL };
	const char	*dir = getenv("CLOUDSIM_CGI"), *v;
	char		 exe[1024], *envp[16], buf[16][1024];
	int		 pipefd[2], n = 0, i, st = -1;
	size_t		 got = 0;
	ssize_t		 k;
	pid_t		 pid;

	snprintf(exe, sizeof(exe), "%s/ec2.fcgi", dir ? dir : "cgi-bin");
	for (i = 0; keep[i] != NULL; i++)
		if ((v = getenv(keep[i])) != NULL) {
			snprintf(buf[n], sizeof(buf[n]), "%s=%s", keep[i], v);
			envp[n] = buf[n];
			n++;
		}
	snprintf(buf[n], sizeof(buf[n]), "LOG_LEVEL=%s", level);
	envp[n] = buf[n];
	n++;
	snprintf(buf[n], sizeof(buf[n]), "REQUEST_URI=%s", uri);
	envp[n] = buf[n];
	n++;
	envp[n++] = "REQUEST_METHOD=GET";
	envp[n++] = "GATEWAY_INTERFACE=CGI/1.1";
	envp[n++] = "REMOTE_ADDR=127.0.0.1";
	envp[n] = NULL;
	err[0] = '\0';
	if (pipe(pipefd) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		int	null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execve(exe, (char *const *)envp, envp);
		_exit(127);
	}
	close(pipefd[1]);
	while (got < len - 1 &&
	    (k = read(pipefd[0], err + got, len - 1 - got)) > 0)
		got += (size_t)k;
	err[got] = '\0';
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return st;
}

static void
logs(void)
{
	char	err[8192];

	if (getenv("CLOUDSIM_CGI") == NULL) {
		tap_diag("CLOUDSIM_CGI is not set: LOG_LEVEL not tested");
		return;
	}
	cgi_log("/health/ec2", "info", err, sizeof(err));
	ok(strstr(err, "\"route\":\"/health/ec2\"") != NULL &&
	    strstr(err, "\"status\":200") != NULL &&
	    strstr(err, "\"request_id\":") != NULL,
	    "LOG_LEVEL=info: one JSON line per request with its route");
	cgi_log("/operator/no/such", "info", err, sizeof(err));
	ok(strstr(err, "\"code\":\"UnknownOperation\"") != NULL,
	    "... and its error code");
	cgi_log("/health/ec2", "warn", err, sizeof(err));
	ok(strstr(err, "\"request_id\"") == NULL,
	    "LOG_LEVEL=warn: no request lines");
	cgi_log("/health/ec2", "error", err, sizeof(err));
	ok(strstr(err, "\"request_id\"") == NULL,
	    "LOG_LEVEL=error: no request lines");
}

int
main(void)
{
	struct test_account	a, admin;

	if (!account_new(&a) || !account_new(&admin)) {
		ok(0, "register two accounts");
		return tap_done();
	}
	ok(sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1",
	    1, (const char *const[]){ admin.user_id }) == 1,
	    "the second caller is made a site administrator (as make admin "
	    "does)");
	ok(account_login(&admin), "and logs in again, as an administrator");

	headers(&a);
	metrics(&a);
	audit(&a);
	audit_ec2(&a);
	views(&a);
	summary(&a, &admin);
	logs();
	return tap_done();
}
