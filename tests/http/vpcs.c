/*
 * vpcs.fcgi end to end through the web server: the default VPC that
 * registration creates (in us-east-1 and, by X-Region, eu-west-1), every
 * call of VPCs, subnets, security groups and rules, internet gateways
 * and route tables with every error checked to its status and code and
 * nothing written, tags, filters and pages, tenancy across two accounts,
 * an admin's reads, the audit trail, addresses taken by the instances
 * service's SQL function, and three races run from forked processes: 8
 * overlapping subnets (exactly one wins, the rest are 409), 8 VPCs
 * racing the quota (exactly the free slots win), and 8 connections
 * calling cloudsim.ensure_default_vpc for one new account at once (one
 * VPC, the same id for all).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define ID_SIZE	64
#define RACERS	8

static struct reply		 r;
static struct test_account	 a, b;
static char			 name[512];

/* Headers of account t, with X-Region when region is not NULL. */
static const char *const *
as(const struct test_account *t, const char *region)
{
	static char		 xr[128];
	static const char	*list[3];

	list[0] = t->bearer;
	list[1] = NULL;
	if (region != NULL) {
		snprintf(xr, sizeof(xr), "X-Region: %s", region);
		list[1] = xr;
	}
	list[2] = NULL;
	return list;
}

/* method path [body] as account t; the status. */
static long
call(const struct test_account *t, const char *method, const char *path,
    const char *body)
{
	return http(&r, method, path, body, as(t, NULL));
}

/* Check the last reply's status and error code under one name. */
static void
expect(long status, const char *code, const char *what)
{
	snprintf(name, sizeof(name), "%s: %ld", what, status);
	if (!ok(r.status == status, name))
		printf("#   got %ld: %s\n", r.status, r.body);
	if (code != NULL) {
		snprintf(name, sizeof(name), "%s: %s", what, code);
		is_str(http_json_str(&r, "error.code"), code, name);
	}
}

static void
copy(char *dst, const char *src)
{
	snprintf(dst, ID_SIZE, "%s", src != NULL ? src : "");
}

static json_t *
member(const char *key)
{
	return json_object_get(r.json, key);
}

static long long
int_member(const char *key)
{
	return json_integer_value(member(key));
}

/* The items of a list reply; their count; whether id is among them. */
static json_t *
items(void)
{
	return member("items");
}

static bool
listed(const char *id)
{
	size_t	 i;
	json_t	*it;

	json_array_foreach(items(), i, it)
		if (strcmp(json_string_value(json_object_get(it, "id")), id) == 0)
			return true;
	return false;
}

static const char *
count_sql(const char *sql, const char *param)
{
	const char	*p[1] = { param };

	return sql_value(sql, param != NULL ? 1 : 0, p);
}

/* --- the default VPC ---------------------------------------------- */

static void
default_vpc(const struct test_account *t, const char *region, int zones)
{
	char	 vpc[ID_SIZE], rtb[ID_SIZE], sg[ID_SIZE], path[256];
	json_t	*it, *routes, *rule;
	size_t	 i;
	int	 good = 0;

	http(&r, "GET", "/api/v1/vpcs?is_default=true", NULL, as(t, region));
	snprintf(name, sizeof(name), "%s: one default VPC", region);
	is_int(json_array_size(items()), 1, name);
	it = json_array_get(items(), 0);
	copy(vpc, json_string_value(json_object_get(it, "id")));
	copy(rtb, json_string_value(json_object_get(it, "main_route_table_id")));
	copy(sg, json_string_value(json_object_get(it,
	    "default_security_group_id")));
	snprintf(name, sizeof(name), "%s: default VPC is 172.31.0.0/16", region);
	is_str(json_string_value(json_object_get(it, "cidr_block")),
	    "172.31.0.0/16", name);
	snprintf(name, sizeof(name), "%s: its region and owner", region);
	ok(strcmp(json_string_value(json_object_get(it, "region")), region) == 0 &&
	    strcmp(json_string_value(json_object_get(it, "account_id")),
	    t->account_id) == 0, name);

	snprintf(path, sizeof(path), "/api/v1/subnets?vpc_id=%s", vpc);
	http(&r, "GET", path, NULL, as(t, region));
	snprintf(name, sizeof(name), "%s: one default subnet per zone", region);
	is_int(int_member("total"), zones, name);
	json_array_foreach(items(), i, it) {
		char		 want[32];
		const char	*az = json_string_value(json_object_get(it,
				    "availability_zone"));
		json_t		*other;
		size_t		 j;
		int		 rank = 0;

		/* The n-th zone by name has the n-th /20. */
		json_array_foreach(items(), j, other)
			if (strcmp(json_string_value(json_object_get(other,
			    "availability_zone")), az) < 0)
				rank++;
		snprintf(want, sizeof(want), "172.31.%d.0/20", 16 * rank);
		if (strcmp(json_string_value(json_object_get(it, "cidr_block")),
		    want) == 0 &&
		    json_integer_value(json_object_get(it,
		    "available_ip_address_count")) == 4091 &&
		    json_is_true(json_object_get(it, "map_public_ip_on_launch")) &&
		    json_is_true(json_object_get(it, "default_for_az")))
			good++;
	}
	snprintf(name, sizeof(name), "%s: /20s in zone order, 4091 free, "
	    "public, default for their zone", region);
	is_int(good, zones, name);

	snprintf(path, sizeof(path), "/api/v1/internet-gateways?vpc_id=%s", vpc);
	http(&r, "GET", path, NULL, as(t, region));
	snprintf(name, sizeof(name), "%s: an internet gateway attached", region);
	it = json_array_get(items(), 0);
	ok(json_array_size(items()) == 1 && strcmp(json_string_value(
	    json_object_get(json_array_get(json_object_get(it, "attachments"),
	    0), "vpc_id")), vpc) == 0, name);

	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", rtb);
	http(&r, "GET", path, NULL, as(t, region));
	routes = member("routes");
	snprintf(name, sizeof(name), "%s: main table routes local and "
	    "0.0.0.0/0 to the gateway, both active", region);
	ok(json_is_true(member("main")) && json_array_size(routes) == 2 &&
	    strcmp(json_string_value(json_object_get(json_array_get(routes, 0),
	    "gateway_id")), "local") == 0 &&
	    strcmp(json_string_value(json_object_get(json_array_get(routes, 1),
	    "destination_cidr_block")), "0.0.0.0/0") == 0 &&
	    strncmp(json_string_value(json_object_get(json_array_get(routes, 1),
	    "gateway_id")), "igw-", 4) == 0 &&
	    strcmp(json_string_value(json_object_get(json_array_get(routes, 1),
	    "state")), "active") == 0, name);

	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", sg);
	http(&r, "GET", path, NULL, as(t, region));
	rule = json_array_get(member("ingress"), 0);
	snprintf(name, sizeof(name), "%s: default group admits itself and "
	    "sends anywhere", region);
	ok(strcmp(http_json_str(&r, "name"), "default") == 0 &&
	    json_array_size(member("ingress")) == 1 &&
	    strcmp(json_string_value(json_object_get(rule, "source_group_id")),
	    sg) == 0 &&
	    strcmp(json_string_value(json_object_get(json_array_get(
	    member("egress"), 0), "cidr")), "0.0.0.0/0") == 0, name);
}

/* --- races from forked processes ----------------------------------- */

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

/*
 * Child: wait on the start pipe, POST body to path with its own curl
 * handle, and report by exit code: 0 created, 1 InvalidSubnet.Conflict,
 * 2 VpcLimitExceeded, 3 another 4xx, 4 a 5xx or no answer.
 */
static void
racer(int start, const char *path, const char *body)
{
	struct curl_slist	*h = NULL;
	char			 url[512], out[4096] = "", c;
	long			 status = 0;
	CURL			*curl;
	int			 rc = 4;

	if (read(start, &c, 1) < 0)
		_exit(4);
	curl = curl_easy_init();
	snprintf(url, sizeof(url), "%s%s", http_base(), path);
	h = curl_slist_append(h, a.bearer);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 201)
		rc = 0;
	else if (status == 409 && strstr(out, "InvalidSubnet.Conflict"))
		rc = 1;
	else if (status == 400 && strstr(out, "VpcLimitExceeded"))
		rc = 2;
	else if (status >= 400 && status < 500)
		rc = 3;
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	_exit(rc);
}

/* Fork RACERS children posting bodies[i], release them at once, tally. */
static void
race(const char *path, char bodies[RACERS][256], int tally[5])
{
	pid_t	pid[RACERS];
	int	fds[2], i, st;

	memset(tally, 0, 5 * sizeof(int));
	if (pipe(fds) != 0)
		return;
	fflush(stdout);
	for (i = 0; i < RACERS; i++) {
		if ((pid[i] = fork()) == 0) {
			close(fds[1]);
			racer(fds[0], path, bodies[i]);
		}
	}
	close(fds[0]);
	close(fds[1]);		/* EOF releases every child at once */
	for (i = 0; i < RACERS; i++) {
		if (pid[i] < 0 || waitpid(pid[i], &st, 0) < 0 ||
		    !WIFEXITED(st))
			tally[4]++;
		else
			tally[WEXITSTATUS(st) <= 4 ? WEXITSTATUS(st) : 4]++;
	}
}

/*
 * Child: wait on the start pipe, call ensure_default_vpc(account,
 * 'us-east-1') on a connection of its own, write the id (12 bytes, one
 * atomic write) to out.  Exit 0 on success.
 */
static void
ensurer(int start, int out, const char *account)
{
	const char	*host = getenv("CLOUDSIM_PGHOST"), *user =
			    getenv("CLOUDSIM_PGUSER"), *p[1] = { account };
	char		 ci[1024], c;
	PGconn		*conn;
	PGresult	*res;
	int		 rc = 1;

	snprintf(ci, sizeof(ci), "host=%s port=5432 dbname=cloudsim user=%s",
	    host ? host : "var/run", user ? user : "postgres");
	conn = PQconnectdb(ci);
	if (read(start, &c, 1) < 0 || PQstatus(conn) != CONNECTION_OK)
		_exit(1);
	res = PQexecParams(conn, "SELECT cloudsim.ensure_default_vpc($1, "
	    "'us-east-1')", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    strlen(PQgetvalue(res, 0, 0)) == 12 &&
	    write(out, PQgetvalue(res, 0, 0), 12) == 12)
		rc = 0;
	PQclear(res);
	PQfinish(conn);
	_exit(rc);
}

/* RACERS connections ensure one new account's default VPC at once. */
static void
ensure_race(void)
{
	char	 account[16], ids[RACERS][13];
	pid_t	 pid[RACERS];
	int	 start[2], out[2], i, st, fine = 0, same = 0;
	const char *p[1] = { account };

	snprintf(account, sizeof(account), "8%05d%06d", (int)getpid() % 100000,
	    rand() % 1000000);
	sql_exec("INSERT INTO cloudsim.accounts (id, name) VALUES ($1, "
	    "'ensure race')", 1, p);
	if (pipe(start) != 0 || pipe(out) != 0)
		return;
	fflush(stdout);
	for (i = 0; i < RACERS; i++)
		if ((pid[i] = fork()) == 0) {
			close(start[1]);
			close(out[0]);
			ensurer(start[0], out[1], account);
		}
	close(start[0]);
	close(out[1]);
	close(start[1]);
	for (i = 0; i < RACERS; i++)
		if (pid[i] > 0 && waitpid(pid[i], &st, 0) > 0 && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0)
			fine++;
	memset(ids, 0, sizeof(ids));
	for (i = 0; i < RACERS && read(out[0], ids[i], 12) == 12; i++)
		if (strcmp(ids[i], ids[0]) == 0)
			same++;
	close(out[0]);
	is_int(fine, RACERS, "8 concurrent ensure_default_vpc calls all succeed");
	is_int(same, RACERS, "and all return the same VPC");
	is_str(sql_value("SELECT count(*) FROM cloudsim.vpcs WHERE account_id ="
	    " $1", 1, p), "1", "exactly one default VPC exists");
	is_str(sql_value("SELECT count(*) FROM cloudsim.subnets WHERE account_id"
	    " = $1", 1, p), "6", "with its six subnets");
}

int
main(void)
{
	struct test_account	 c, admin;
	char			 vpc[ID_SIZE], vpc2[ID_SIZE], subnet[ID_SIZE];
	char			 subnet2[ID_SIZE], sg[ID_SIZE], sg2[ID_SIZE];
	char			 rule[ID_SIZE], igw[ID_SIZE], igw2[ID_SIZE];
	char			 rtb[ID_SIZE], main_rtb[ID_SIZE], assoc[ID_SIZE];
	char			 main_assoc[ID_SIZE], def_sg[ID_SIZE], ip[64];
	char			 path[512], body[8192], bodies[RACERS][256];
	const char		*p[2];
	int			 tally[5], i;
	json_t			*v;

	if (!account_new(&a) || !account_new(&b)) {
		printf("Bail out! cannot register test accounts\n");
		return 1;
	}

	/* --- authentication and region ----------------------------------- */
	is_int(http(&r, "GET", "/api/v1/vpcs", NULL, NULL), 401,
	    "no credentials: 401");
	is_str(http_json_str(&r, "error.code"), "AuthenticationFailure",
	    "no credentials: AuthenticationFailure");
	http(&r, "GET", "/api/v1/vpcs", NULL, as(&a, "xx-nowhere-1"));
	expect(400, "InvalidParameterValue", "unknown X-Region");
	http(&r, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0.0/16\"}",
	    as(&a, "xx-nowhere-1"));
	expect(400, "InvalidParameterValue", "create in an unknown region");

	/* --- default VPCs from registration -------------------------------- */
	default_vpc(&a, "us-east-1", 6);
	default_vpc(&a, "eu-west-1", 3);
	default_vpc(&b, "ap-northeast-1", 3);
	is_str(count_sql("SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1"
	    " AND is_default", a.account_id),
	    count_sql("SELECT count(*) FROM cloudsim.regions", NULL),
	    "registration made a default VPC in every region");
	call(&a, "GET", "/api/v1/vpcs?is_default=true", NULL);
	v = json_array_get(items(), 0);
	copy(vpc2, json_string_value(json_object_get(v, "id")));
	copy(def_sg, json_string_value(json_object_get(v,
	    "default_security_group_id")));

	/* --- VPCs ------------------------------------------------------------ */
	call(&a, "POST", "/api/v1/vpcs",
	    "{\"cidr_block\":\"10.0.0.0/16\",\"tags\":{\"Name\":\"main\"}}");
	expect(201, NULL, "create a VPC");
	copy(vpc, http_json_str(&r, "id"));
	ok(strlen(vpc) == 12 && strncmp(vpc, "vpc-", 4) == 0,
	    "VPC id is vpc- and 8 hex digits");
	snprintf(body, sizeof(body), "arn:aws:ec2:us-east-1:%s:vpc/%s",
	    a.account_id, vpc);
	is_str(http_json_str(&r, "arn"), body, "VPC arn");
	is_str(http_json_str(&r, "cidr_block"), "10.0.0.0/16", "VPC block");
	is_str(http_json_str(&r, "state"), "available", "VPC state");
	is_str(http_json_str(&r, "instance_tenancy"), "default", "VPC tenancy");
	ok(json_is_false(member("is_default")), "VPC is not default");
	ok(json_is_true(member("enable_dns_support")) &&
	    json_is_false(member("enable_dns_hostnames")), "VPC DNS flags");
	is_str(http_json_str(&r, "tags.Name"), "main", "VPC tags");
	copy(main_rtb, http_json_str(&r, "main_route_table_id"));
	ok(strncmp(main_rtb, "rtb-", 4) == 0 && strlen(main_rtb) == 21,
	    "VPC has a main route table");
	ok(strncmp(http_json_str(&r, "default_security_group_id"), "sg-", 3) == 0,
	    "VPC has a default security group");
	ok(strlen(http_json_str(&r, "created_at")) == 24, "VPC created_at");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s", vpc);
	call(&a, "GET", path, NULL);
	expect(200, NULL, "get the VPC");
	is_str(http_json_str(&r, "id"), vpc, "get returns it");
	ok(atoi(count_sql("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " action = 'CreateVpc' AND status = 201 AND $1 = ANY (resource_ids)",
	    vpc)) == 1, "CreateVpc is audited with the id");

	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0.1/16\"}");
	expect(400, "InvalidParameterValue", "non-canonical 10.0.0.1/16");
	ok(strstr(http_json_str(&r, "error.message"), "'10.0.0.0/16'") != NULL,
	    "the message offers the canonical block");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0.0/33\"}");
	expect(400, "InvalidParameterValue", "prefix /33");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"300.0.0.0/16\"}");
	expect(400, "InvalidParameterValue", "octet 300");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"abc\"}");
	expect(400, "InvalidParameterValue", "cidr 'abc'");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0/16\"}");
	expect(400, "InvalidParameterValue", "three octets");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"010.0.0.0/16\"}");
	expect(400, "InvalidParameterValue", "leading zero");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"2001:db8::/56\"}");
	expect(400, "InvalidParameterValue", "IPv6");
	ok(strstr(http_json_str(&r, "error.message"), "IPv6") != NULL,
	    "the message says IPv6 is not supported");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0.0/8\"}");
	expect(400, "InvalidVpc.Range", "VPC /8");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.0.0.0/29\"}");
	expect(400, "InvalidVpc.Range", "VPC /29");
	call(&a, "POST", "/api/v1/vpcs", "{}");
	expect(400, "MissingParameter", "VPC without cidr_block");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":16}");
	expect(400, "InvalidParameterValue", "cidr_block as a number");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.1.0.0/16\","
	    "\"tenancy\":\"x\"}");
	expect(400, "UnknownParameter", "unknown member");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":");
	expect(400, "MalformedJSON", "broken JSON");
	http(&r, "POST", "/api/v1/vpcs", "cidr_block=10.1.0.0/16",
	    (const char *[]){ a.bearer, "Content-Type: text/plain", NULL });
	expect(415, "UnsupportedMediaType", "text/plain body");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.1.0.0/16\","
	    "\"tags\":[\"x\"]}");
	expect(400, "InvalidParameterValue", "tags as an array");
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.1.0.0/16\","
	    "\"tags\":{\"aws:x\":\"1\"}}");
	expect(400, "InvalidParameterValue", "an aws: tag key");
	call(&a, "GET", "/api/v1/vpcs/vpc-xyz", NULL);
	expect(400, "InvalidVpcID.Malformed", "GET vpc-xyz");
	call(&a, "DELETE", "/api/v1/vpcs/vpc-12345678abc", NULL);
	expect(400, "InvalidVpcID.Malformed", "DELETE a too-long id");
	call(&a, "GET", "/api/v1/vpcs/vpc-00000000", NULL);
	expect(404, "InvalidVpcID.NotFound", "GET an unknown VPC");
	is_str(count_sql("SELECT count(*) FROM cloudsim.vpcs WHERE account_id = $1"
	    " AND NOT is_default", a.account_id), "1",
	    "no failed create wrote a VPC");

	/* --- subnets --------------------------------------------------------- */
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.1.0/24\",\"availability_zone\":\"us-east-1b\","
	    "\"tags\":{\"Name\":\"web\"}}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(201, NULL, "create a subnet");
	copy(subnet, http_json_str(&r, "id"));
	ok(strlen(subnet) == 15 && strncmp(subnet, "subnet-", 7) == 0,
	    "subnet id is subnet- and 8 hex digits");
	is_int(int_member("available_ip_address_count"), 251,
	    "a /24 has 251 available addresses");
	is_str(http_json_str(&r, "availability_zone"), "us-east-1b",
	    "subnet zone");
	is_str(http_json_str(&r, "availability_zone_id"), "use1-az2",
	    "subnet zone id");
	is_str(http_json_str(&r, "vpc_id"), vpc, "subnet VPC");
	ok(json_is_false(member("map_public_ip_on_launch")) &&
	    json_is_false(member("default_for_az")), "subnet flags");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.2.0/28\",\"map_public_ip_on_launch\":true}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(201, NULL, "create a /28 in the least used zone");
	copy(subnet2, http_json_str(&r, "id"));
	is_str(http_json_str(&r, "availability_zone"), "us-east-1a",
	    "the least used zone is picked");
	is_int(int_member("available_ip_address_count"), 11, "a /28 has 11");
	ok(json_is_true(member("map_public_ip_on_launch")),
	    "map_public_ip_on_launch is kept");

	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.1.128/25\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(409, "InvalidSubnet.Conflict", "overlapping subnet");
	ok(strstr(http_json_str(&r, "error.message"), "10.0.1.128/25") != NULL,
	    "the conflict message quotes the block");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.0.0/16\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(409, "InvalidSubnet.Conflict", "subnet covering a sibling");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.9.0.0/24\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "InvalidSubnet.Range", "subnet outside its VPC");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.3.0/29\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "InvalidSubnet.Range", "subnet /29");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.3.0/24\",\"availability_zone\":\"us-east-1z\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "InvalidParameterValue", "unknown zone");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.3.0/24\",\"availability_zone\":\"eu-west-1a\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "InvalidParameterValue", "zone of another region");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.3.0/24\",\"map_public_ip_on_launch\":\"yes\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "InvalidParameterValue", "a string for a boolean");
	call(&a, "POST", "/api/v1/subnets", "{\"cidr_block\":\"10.0.3.0/24\"}");
	expect(400, "MissingParameter", "subnet without vpc_id");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\"}", vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(400, "MissingParameter", "subnet without cidr_block");
	call(&a, "POST", "/api/v1/subnets",
	    "{\"vpc_id\":\"vpc-zz\",\"cidr_block\":\"10.0.3.0/24\"}");
	expect(400, "InvalidVpcID.Malformed", "subnet in a malformed VPC id");
	call(&a, "POST", "/api/v1/subnets",
	    "{\"vpc_id\":\"vpc-00000000\",\"cidr_block\":\"10.0.3.0/24\"}");
	expect(404, "InvalidVpcID.NotFound", "subnet in an unknown VPC");
	snprintf(path, sizeof(path), "/api/v1/subnets?vpc_id=%s", vpc);
	call(&a, "GET", path, NULL);
	is_int(int_member("total"), 2, "no failed create wrote a subnet");
	snprintf(path, sizeof(path), "/api/v1/subnets?vpc_id=%s"
	    "&availability_zone=us-east-1b", vpc);
	call(&a, "GET", path, NULL);
	ok(int_member("total") == 1 && listed(subnet),
	    "filter by VPC and zone");
	call(&a, "GET", "/api/v1/subnets/subnet-1", NULL);
	expect(400, "InvalidSubnetID.Malformed", "GET subnet-1");

	/* Addresses taken by the instances service show in the count. */
	p[0] = subnet2;
	copy(ip, sql_value("SELECT host(cloudsim.allocate_private_ip($1, "
	    "'i-0123456789abcdef0'))", 1, p));
	is_str(ip, "10.0.2.4", "allocate_private_ip takes the first usable");
	snprintf(path, sizeof(path), "/api/v1/subnets/%s", subnet2);
	call(&a, "GET", path, NULL);
	is_int(int_member("available_ip_address_count"), 10,
	    "available_ip_address_count tracks the allocation");
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete a subnet with an instance");
	p[1] = ip;
	is_str(sql_value("SELECT cloudsim.release_private_ip($1, $2::inet)", 2,
	    p), "t", "release_private_ip");
	call(&a, "GET", path, NULL);
	is_int(int_member("available_ip_address_count"), 11,
	    "released: 11 again");

	/* --- security groups ------------------------------------------------- */
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"web\","
	    "\"description\":\"web servers\",\"tags\":{\"tier\":\"web\"}}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(201, NULL, "create a security group");
	copy(sg, http_json_str(&r, "id"));
	ok(strlen(sg) == 20, "group id is sg- and 17 hex digits");
	is_str(http_json_str(&r, "name"), "web", "group name");
	ok(json_array_size(member("ingress")) == 0 &&
	    json_array_size(member("egress")) == 1, "a new group: no ingress, "
	    "the allow-all egress");
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(409, "InvalidGroup.Duplicate", "same name in the VPC");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"db\","
	    "\"description\":\"databases\"}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(201, NULL, "a second group");
	copy(sg2, http_json_str(&r, "id"));
	call(&a, "POST", "/api/v1/security-groups",
	    "{\"name\":\"in-default\",\"description\":\"no vpc_id\"}");
	expect(201, NULL, "a group without vpc_id goes to the default VPC");
	is_str(http_json_str(&r, "vpc_id"), vpc2, "the default VPC");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"%0300d\","
	    "\"description\":\"x\"}", vpc, 0);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(400, "InvalidParameterValue", "a name of 300 characters");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"default\","
	    "\"description\":\"x\"}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(400, "InvalidParameterValue", "the name 'default'");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"sg-1\","
	    "\"description\":\"x\"}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(400, "InvalidParameterValue", "a name starting with sg-");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"x\"}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(400, "MissingParameter", "group without description");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"name\":\"caf\xc3\xa9\","
	    "\"description\":\"x\"}", vpc);
	call(&a, "POST", "/api/v1/security-groups", body);
	expect(400, "InvalidParameterValue", "a character AWS refuses");

	snprintf(path, sizeof(path), "/api/v1/security-groups/%s/rules", sg);
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"from_port\":443,\"to_port\":443,\"cidr\":\"0.0.0.0/0\","
	    "\"description\":\"https\"}");
	expect(201, NULL, "add an ingress rule");
	copy(rule, http_json_str(&r, "id"));
	ok(strncmp(rule, "sgr-", 4) == 0 && strlen(rule) == 21,
	    "rule id is sgr- and 17 hex digits");
	is_int(int_member("from_port"), 443, "rule from_port");
	is_str(http_json_str(&r, "cidr"), "0.0.0.0/0", "rule cidr");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"from_port\":443,\"to_port\":443,\"cidr\":\"0.0.0.0/0\"}");
	expect(409, "InvalidPermission.Duplicate", "the same rule again");
	snprintf(body, sizeof(body), "{\"direction\":\"ingress\",\"protocol\":"
	    "\"tcp\",\"from_port\":5432,\"to_port\":5432,\"source_group_id\":"
	    "\"%s\"}", sg);
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s/rules", sg2);
	call(&a, "POST", path, body);
	expect(201, NULL, "a rule naming another group");
	is_str(http_json_str(&r, "source_group_id"), sg, "rule source group");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"icmp\","
	    "\"cidr\":\"10.0.0.0/8\"}");
	expect(201, NULL, "ICMP without ports means any type and code");
	ok(int_member("from_port") == -1 && int_member("to_port") == -1,
	    "stored as -1/-1");
	call(&a, "POST", path, "{\"direction\":\"egress\",\"protocol\":\"-1\","
	    "\"from_port\":1,\"to_port\":2,\"cidr\":\"0.0.0.0/0\"}");
	expect(409, "InvalidPermission.Duplicate",
	    "all protocols ignore ports: the default egress again");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"from_port\":0,\"to_port\":65536,\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "port 65536");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"from_port\":-1,\"to_port\":80,\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "port -1 for tcp");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"udp\","
	    "\"from_port\":90,\"to_port\":80,\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "from_port above to_port");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"gre\","
	    "\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "unknown protocol");
	call(&a, "POST", path, "{\"direction\":\"sideways\",\"protocol\":\"-1\","
	    "\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "unknown direction");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"to_port\":80,\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "MissingParameter", "tcp without from_port");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
	    "\"from_port\":\"80\",\"to_port\":80,\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidParameterValue", "a port as a string");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"-1\"}");
	expect(400, "MissingParameter", "no peer");
	snprintf(body, sizeof(body), "{\"direction\":\"ingress\",\"protocol\":"
	    "\"-1\",\"cidr\":\"0.0.0.0/0\",\"source_group_id\":\"%s\"}", sg);
	call(&a, "POST", path, body);
	expect(400, "InvalidParameterCombination", "both peers");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"-1\","
	    "\"cidr\":\"10.0.0.1/8\"}");
	expect(400, "InvalidParameterValue", "non-canonical rule block");
	call(&a, "POST", path, "{\"direction\":\"ingress\",\"protocol\":\"-1\","
	    "\"source_group_id\":\"sg-00000000000000000\"}");
	expect(404, "InvalidGroup.NotFound", "unknown source group");
	snprintf(body, sizeof(body), "{\"direction\":\"ingress\",\"protocol\":"
	    "\"-1\",\"source_group_id\":\"%s\"}", def_sg);
	call(&a, "POST", path, body);
	expect(404, "InvalidGroup.NotFound", "a source group of another VPC");
	call(&a, "POST", "/api/v1/security-groups/sg-00000000000000000/rules",
	    "{\"direction\":\"ingress\",\"protocol\":\"-1\",\"cidr\":\"0.0.0.0/0\"}");
	expect(404, "InvalidGroup.NotFound", "rule of an unknown group");
	call(&a, "POST", "/api/v1/security-groups/sg-1/rules",
	    "{\"direction\":\"ingress\",\"protocol\":\"-1\",\"cidr\":\"0.0.0.0/0\"}");
	expect(400, "InvalidGroupId.Malformed", "rule of a malformed group id");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", sg2);
	call(&a, "GET", path, NULL);
	ok(json_array_size(member("ingress")) == 2, "no failed rule was written");

	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", sg);
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete a group another rule names");
	ok(strstr(http_json_str(&r, "error.message"), sg2) != NULL,
	    "the message names the group using it");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", def_sg);
	call(&a, "DELETE", path, NULL);
	expect(400, "CannotDelete", "delete a default group");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s/rules/%s", sg,
	    rule);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "revoke a rule");
	ok(json_is_true(member("return")), "revoke answers return: true");
	call(&a, "DELETE", path, NULL);
	expect(404, "InvalidSecurityGroupRuleId.NotFound", "revoke it again");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s/rules/sgr-1", sg);
	call(&a, "DELETE", path, NULL);
	expect(400, "InvalidSecurityGroupRuleId.Malformed", "malformed rule id");
	ok(atoi(count_sql("SELECT count(*) FROM cloudsim.audit_log WHERE action"
	    " = 'RevokeSecurityGroupIngress' AND status = 200 AND $1 = ANY"
	    " (resource_ids)", rule)) == 1, "the revoke is audited");
	snprintf(path, sizeof(path), "/api/v1/security-groups?vpc_id=%s"
	    "&group_name=web&group_name=db", vpc);
	call(&a, "GET", path, NULL);
	ok(int_member("total") == 2 && listed(sg) && listed(sg2),
	    "filter groups by VPC and names (OR)");

	/* --- internet gateways ----------------------------------------------- */
	call(&a, "POST", "/api/v1/internet-gateways", "{}");
	expect(201, NULL, "create an internet gateway");
	copy(igw, http_json_str(&r, "id"));
	ok(strlen(igw) == 21 && json_array_size(member("attachments")) == 0,
	    "igw- id, no attachment");
	call(&a, "POST", "/api/v1/internet-gateways", "{}");
	copy(igw2, http_json_str(&r, "id"));
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s/attach", igw);
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\"}", vpc);
	call(&a, "POST", path, body);
	expect(200, NULL, "attach it");
	v = json_array_get(member("attachments"), 0);
	ok(v != NULL && strcmp(json_string_value(json_object_get(v, "vpc_id")),
	    vpc) == 0 && strcmp(json_string_value(json_object_get(v, "state")),
	    "available") == 0, "attached to the VPC, available");
	call(&a, "POST", path, body);
	expect(409, "Resource.AlreadyAssociated", "attach it again");
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s/attach", igw2);
	call(&a, "POST", path, body);
	expect(409, "Resource.AlreadyAssociated", "a second gateway on the VPC");
	call(&a, "POST", path, "{\"vpc_id\":\"vpc-00000000\"}");
	expect(404, "InvalidVpcID.NotFound", "attach to an unknown VPC");
	call(&a, "POST", path, "{}");
	expect(400, "MissingParameter", "attach without vpc_id");
	call(&a, "POST", "/api/v1/internet-gateways/igw-00000000000000000/attach",
	    body);
	expect(404, "InvalidInternetGatewayID.NotFound", "attach unknown gateway");
	call(&a, "GET", "/api/v1/internet-gateways/igw-1", NULL);
	expect(400, "InvalidInternetGatewayId.Malformed", "malformed igw id");
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s", igw);
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete an attached gateway");

	/* --- route tables ---------------------------------------------------- */
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\"}", vpc);
	call(&a, "POST", "/api/v1/route-tables", body);
	expect(201, NULL, "create a route table");
	copy(rtb, http_json_str(&r, "id"));
	v = json_array_get(member("routes"), 0);
	ok(json_is_false(member("main")) && json_array_size(member("routes")) == 1 &&
	    strcmp(json_string_value(json_object_get(v, "gateway_id")),
	    "local") == 0 && strcmp(json_string_value(json_object_get(v,
	    "destination_cidr_block")), "10.0.0.0/16") == 0,
	    "a new table has the local route only");
	call(&a, "POST", "/api/v1/route-tables", "{\"vpc_id\":\"vpc-00000000\"}");
	expect(404, "InvalidVpcID.NotFound", "table in an unknown VPC");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/routes", rtb);
	snprintf(body, sizeof(body), "{\"destination_cidr_block\":\"0.0.0.0/0\","
	    "\"gateway_id\":\"%s\"}", igw2);
	call(&a, "POST", path, body);
	expect(400, "InvalidParameterValue", "route to a detached gateway");
	snprintf(body, sizeof(body), "{\"destination_cidr_block\":\"0.0.0.0/0\","
	    "\"gateway_id\":\"%s\"}", igw);
	call(&a, "POST", path, body);
	expect(201, NULL, "route 0.0.0.0/0 to the attached gateway");
	v = json_array_get(member("routes"), 1);
	ok(v != NULL && strcmp(json_string_value(json_object_get(v, "state")),
	    "active") == 0 && strcmp(json_string_value(json_object_get(v,
	    "origin")), "CreateRoute") == 0, "the route is active");
	call(&a, "POST", path, body);
	expect(409, "RouteAlreadyExists", "the same destination again");
	snprintf(body, sizeof(body), "{\"destination_cidr_block\":\"10.0.5.0/24\","
	    "\"gateway_id\":\"%s\"}", igw);
	call(&a, "POST", path, body);
	expect(400, "InvalidParameterValue", "a destination inside the VPC");
	call(&a, "POST", path, "{\"destination_cidr_block\":\"1.0.0.0/8\","
	    "\"gateway_id\":\"local\"}");
	expect(400, "InvalidParameterValue", "gateway 'local'");
	call(&a, "POST", path, "{\"destination_cidr_block\":\"1.0.0.0/8\","
	    "\"gateway_id\":\"igw-00000000000000000\"}");
	expect(404, "InvalidInternetGatewayID.NotFound", "unknown gateway");
	call(&a, "POST", path, "{\"gateway_id\":\"igw-00000000000000000\"}");
	expect(400, "MissingParameter", "route without destination");

	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/associations", rtb);
	snprintf(body, sizeof(body), "{\"subnet_id\":\"%s\"}", subnet);
	call(&a, "POST", path, body);
	expect(201, NULL, "associate a subnet");
	copy(assoc, http_json_str(&r, "id"));
	ok(strncmp(assoc, "rtbassoc-", 9) == 0 && strlen(assoc) == 26 &&
	    json_is_false(member("main")), "rtbassoc- id, not main");
	call(&a, "POST", path, body);
	expect(409, "Resource.AlreadyAssociated", "associate it again");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/associations",
	    main_rtb);
	call(&a, "POST", path, body);
	expect(409, "Resource.AlreadyAssociated",
	    "a subnet is in at most one table");
	snprintf(path, sizeof(path), "/api/v1/route-tables?subnet_id=%s", subnet);
	call(&a, "GET", path, NULL);
	ok(int_member("total") == 1 && listed(rtb), "filter tables by subnet");
	call(&a, "GET", "/api/v1/subnets?is_default=true", NULL);
	expect(400, "InvalidParameterValue", "a filter subnets do not have");

	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", rtb);
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete a table with associations");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", main_rtb);
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete a main table");
	call(&a, "GET", path, NULL);
	v = json_array_get(member("associations"), 0);
	copy(main_assoc, json_string_value(json_object_get(v, "id")));
	ok(json_is_true(json_object_get(v, "main")), "the main association");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/routes"
	    "?destination_cidr_block=10.0.0.0/16", rtb);
	call(&a, "DELETE", path, NULL);
	expect(400, "InvalidParameterValue", "delete the local route");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/routes"
	    "?destination_cidr_block=8.8.8.0/24", rtb);
	call(&a, "DELETE", path, NULL);
	expect(404, "InvalidRoute.NotFound", "delete an unknown route");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/routes", rtb);
	call(&a, "DELETE", path, NULL);
	expect(400, "MissingParameter", "delete a route without destination");

	/* Detaching follows AWS: allowed, the route turns into a blackhole. */
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s/detach", igw);
	call(&a, "POST", path, "{\"vpc_id\":\"vpc-00000000\"}");
	expect(409, "Gateway.NotAttached", "detach from the wrong VPC");
	call(&a, "POST", path, "{}");
	expect(200, NULL, "detach a gateway that routes point to");
	ok(json_array_size(member("attachments")) == 0, "no attachment left");
	call(&a, "POST", path, "{}");
	expect(409, "Gateway.NotAttached", "detach it again");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", rtb);
	call(&a, "GET", path, NULL);
	v = json_array_get(member("routes"), 1);
	is_str(json_string_value(json_object_get(v, "state")), "blackhole",
	    "its route is now a blackhole");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/routes"
	    "?destination_cidr_block=0.0.0.0/0", rtb);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete the blackhole route");
	snprintf(path, sizeof(path), "/api/v1/route-tables/associations/%s",
	    main_assoc);
	call(&a, "DELETE", path, NULL);
	expect(400, "InvalidParameterValue", "remove the main association");
	snprintf(path, sizeof(path), "/api/v1/route-tables/associations/%s", assoc);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "disassociate the subnet");
	call(&a, "DELETE", path, NULL);
	expect(404, "InvalidAssociationID.NotFound", "disassociate it again");
	call(&a, "DELETE", "/api/v1/route-tables/associations/rtbassoc-1", NULL);
	expect(400, "InvalidAssociationID.Malformed", "malformed association id");

	/* --- tags, filters and pages ----------------------------------------- */
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s/tags", vpc);
	call(&a, "PUT", path, "{\"tags\":{\"env\":\"prod\",\"Name\":\"core\"}}");
	expect(200, NULL, "merge tags");
	ok(strcmp(http_json_str(&r, "tags.Name"), "core") == 0 &&
	    strcmp(http_json_str(&r, "tags.env"), "prod") == 0,
	    "tags merged, Name replaced");
	call(&a, "GET", "/api/v1/vpcs?tag:env=prod&tag:Name=core&tag:Name=x",
	    NULL);
	ok(int_member("total") == 1 && listed(vpc),
	    "tag filters: AND across keys, OR across values");
	call(&a, "GET", "/api/v1/vpcs?tag:env=dev", NULL);
	is_int(int_member("total"), 0, "a tag filter that matches nothing");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s/tags?key=env&key=none", vpc);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "remove tags");
	ok(http_json_str(&r, "tags.env") == NULL &&
	    http_json_str(&r, "tags.Name") != NULL, "env removed, Name kept");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s/tags", vpc);
	call(&a, "DELETE", path, NULL);
	expect(400, "MissingParameter", "remove tags without key");
	strcpy(body, "{\"tags\":{");
	for (i = 0; i < 50; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "%s\"k%d\":\"v\"", i ? "," : "", i);
	strcat(body, "}}");
	call(&a, "PUT", path, body);
	expect(400, "TagLimitExceeded", "merging past 50 tags");
	call(&a, "PUT", path, "{\"tags\":{\"k\":5}}");
	expect(400, "InvalidParameterValue", "a tag value that is a number");
	snprintf(path, sizeof(path), "/api/v1/subnets/%s/tags", subnet);
	call(&a, "PUT", path, "{\"tags\":{\"zone\":\"b\"}}");
	expect(200, NULL, "tag a subnet");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s/tags", sg);
	call(&a, "PUT", path, "{\"tags\":{\"x\":\"\"}}");
	expect(200, NULL, "tag a group with an empty value");
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s/tags", igw);
	call(&a, "PUT", path, "{\"tags\":{\"x\":\"1\"}}");
	expect(200, NULL, "tag a gateway");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s/tags", rtb);
	call(&a, "PUT", path, "{\"tags\":{\"x\":\"1\"}}");
	expect(200, NULL, "tag a route table");
	call(&a, "PUT", "/api/v1/route-tables/rtb-00000000000000000/tags",
	    "{\"tags\":{\"x\":\"1\"}}");
	expect(404, "InvalidRouteTableID.NotFound", "tag an unknown table");

	for (i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
		    "\"10.0.%d.0/24\",\"tags\":{\"page\":\"yes\"}}", vpc, 10 + i);
		call(&a, "POST", "/api/v1/subnets", body);
	}
	call(&a, "GET", "/api/v1/subnets?tag:page=yes&page_size=2", NULL);
	ok(int_member("total") == 3 && int_member("total_pages") == 2 &&
	    int_member("page") == 1 && int_member("page_size") == 2 &&
	    json_array_size(items()) == 2, "page 1 of 2");
	call(&a, "GET", "/api/v1/subnets?tag:page=yes&page_size=2&page=2", NULL);
	ok(json_array_size(items()) == 1 && int_member("page") == 2,
	    "page 2 holds the rest");
	call(&a, "GET", "/api/v1/subnets?tag:page=yes&page=9", NULL);
	ok(json_array_size(items()) == 0 && int_member("total") == 3,
	    "a page past the end is empty, total still counted");
	call(&a, "GET", "/api/v1/subnets?page_size=0", NULL);
	expect(400, "InvalidParameterValue", "page_size 0");
	call(&a, "GET", "/api/v1/subnets?page_size=1001", NULL);
	expect(400, "InvalidParameterValue", "page_size 1001");
	call(&a, "GET", "/api/v1/subnets?page=abc", NULL);
	expect(400, "InvalidParameterValue", "page abc");
	call(&a, "GET", "/api/v1/vpcs?colour=blue", NULL);
	expect(400, "InvalidParameterValue", "an unknown filter");
	ok(strstr(http_json_str(&r, "error.message"), "colour") != NULL,
	    "the message names the filter");
	call(&a, "GET", "/api/v1/subnets?default_for_az=true&page_size=1000", NULL);
	is_int(int_member("total"), 6, "filter default subnets");

	/* --- tenancy ---------------------------------------------------------- */
	{
		const char *ids[][2] = {
			{ "/api/v1/vpcs/", vpc }, { "/api/v1/subnets/", subnet },
			{ "/api/v1/security-groups/", sg },
			{ "/api/v1/internet-gateways/", igw },
			{ "/api/v1/route-tables/", rtb } };
		const char *codes[] = { "InvalidVpcID.NotFound",
			"InvalidSubnetID.NotFound", "InvalidGroup.NotFound",
			"InvalidInternetGatewayID.NotFound",
			"InvalidRouteTableID.NotFound" };
		for (i = 0; i < 5; i++) {
			snprintf(path, sizeof(path), "%s%s", ids[i][0], ids[i][1]);
			call(&b, "GET", path, NULL);
			snprintf(body, sizeof(body), "B reads A's %s", ids[i][1]);
			expect(404, codes[i], body);
			call(&b, "DELETE", path, NULL);
			snprintf(body, sizeof(body), "B deletes A's %s", ids[i][1]);
			expect(404, codes[i], body);
			snprintf(path, sizeof(path), "%s%s/tags", ids[i][0],
			    ids[i][1]);
			call(&b, "PUT", path, "{\"tags\":{\"x\":\"y\"}}");
			snprintf(body, sizeof(body), "B tags A's %s", ids[i][1]);
			expect(404, codes[i], body);
		}
	}
	call(&b, "GET", "/api/v1/vpcs?page_size=1000", NULL);
	ok(int_member("total") == 1 && !listed(vpc) && !listed(vpc2),
	    "B lists only its own default VPC");
	call(&b, "GET", "/api/v1/subnets?page_size=1000", NULL);
	ok(int_member("total") == 6 && !listed(subnet), "B lists only its subnets");
	call(&b, "GET", "/api/v1/security-groups?page_size=1000", NULL);
	ok(int_member("total") == 1 && !listed(sg), "B lists only its groups");
	snprintf(path, sizeof(path), "/api/v1/internet-gateways?internet_gateway_id=%s",
	    igw);
	call(&b, "GET", path, NULL);
	is_int(int_member("total"), 0, "B cannot find A's gateway by filter");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.0.50.0/24\"}", vpc);
	call(&b, "POST", "/api/v1/subnets", body);
	expect(404, "InvalidVpcID.NotFound", "B cannot create a subnet in A's VPC");
	call(&b, "GET", "/api/v1/vpcs?is_default=true", NULL);
	copy(body, json_string_value(json_object_get(json_array_get(items(), 0),
	    "id")));
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s/attach", igw);
	snprintf(name, sizeof(name), "{\"vpc_id\":\"%s\"}", body);
	call(&b, "POST", path, name);
	expect(404, "InvalidInternetGatewayID.NotFound",
	    "B cannot attach A's gateway");

	/* An admin reads every account's resources but changes none. */
	admin = b;
	p[0] = b.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1", 1, p);
	ok(account_login(&admin), "B logs in again, as an admin");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s", vpc);
	call(&admin, "GET", path, NULL);
	expect(200, NULL, "an admin reads A's VPC");
	snprintf(path, sizeof(path), "/api/v1/vpcs?vpc_id=%s&vpc_id=%s", vpc, vpc2);
	call(&admin, "GET", path, NULL);
	is_int(int_member("total"), 2, "an admin lists A's VPCs");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s", vpc);
	call(&admin, "DELETE", path, NULL);
	expect(404, "InvalidVpcID.NotFound", "an admin does not delete A's VPC");

	/* --- deleting ------------------------------------------------------- */
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s", vpc);
	call(&a, "DELETE", path, NULL);
	expect(409, "DependencyViolation", "delete a VPC with dependencies");
	ok(strstr(http_json_str(&r, "error.message"), "subnet") != NULL,
	    "the message lists what depends on it");
	call(&a, "GET", "/api/v1/subnets?tag:page=yes", NULL);
	for (i = 0; i < 3; i++) {
		v = json_array_get(items(), 0);
		snprintf(path, sizeof(path), "/api/v1/subnets/%s",
		    json_string_value(json_object_get(v, "id")));
		call(&a, "DELETE", path, NULL);
		call(&a, "GET", "/api/v1/subnets?tag:page=yes", NULL);
	}
	is_int(int_member("total"), 0, "delete subnets");
	snprintf(path, sizeof(path), "/api/v1/subnets/%s", subnet);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete a subnet");
	call(&a, "DELETE", path, NULL);
	expect(404, "InvalidSubnetID.NotFound", "delete it again");
	snprintf(path, sizeof(path), "/api/v1/subnets/%s", subnet2);
	call(&a, "DELETE", path, NULL);
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", sg2);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete the group using the other");
	snprintf(path, sizeof(path), "/api/v1/security-groups/%s", sg);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "now the other group goes too");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", rtb);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete the route table");
	snprintf(path, sizeof(path), "/api/v1/vpcs/%s", vpc);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete the VPC");
	ok(json_is_true(member("return")), "delete answers return: true");
	call(&a, "GET", path, NULL);
	expect(404, "InvalidVpcID.NotFound", "the VPC is gone");
	snprintf(path, sizeof(path), "/api/v1/route-tables/%s", main_rtb);
	call(&a, "GET", path, NULL);
	expect(404, "InvalidRouteTableID.NotFound", "its main table went with it");
	snprintf(path, sizeof(path), "/api/v1/internet-gateways/%s", igw);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete the detached gateway");
	ok(atoi(count_sql("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " action = 'DeleteVpc' AND status = 409 AND error_code ="
	    " 'DependencyViolation' AND $1 = ANY (resource_ids)", vpc)) >= 1,
	    "the failed delete is audited with its code");

	/* --- races ----------------------------------------------------------- */
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.20.0.0/16\"}");
	copy(vpc, http_json_str(&r, "id"));
	for (i = 0; i < RACERS; i++)
		snprintf(bodies[i], sizeof(bodies[i]), "{\"vpc_id\":\"%s\","
		    "\"cidr_block\":\"10.20.0.0/%d\"}", vpc, 20 + i);
	race("/api/v1/subnets", bodies, tally);
	is_int(tally[0], 1, "8 overlapping subnets at once: exactly one wins");
	is_int(tally[1], RACERS - 1, "the others get 409 InvalidSubnet.Conflict");
	is_int(tally[3] + tally[4], 0, "no other answer, no 5xx");
	snprintf(path, sizeof(path), "/api/v1/subnets?vpc_id=%s", vpc);
	call(&a, "GET", path, NULL);
	is_int(int_member("total"), 1, "one subnet exists");

	if (!account_new(&c)) {
		printf("Bail out! cannot register account C\n");
		return 1;
	}
	a = c;		/* the racers post as a */
	for (i = 0; i < RACERS; i++)
		snprintf(bodies[i], sizeof(bodies[i]),
		    "{\"cidr_block\":\"10.%d.0.0/16\"}", 100 + i);
	race("/api/v1/vpcs", bodies, tally);
	is_int(tally[0], 4, "8 VPCs racing a quota of 5 (1 default): 4 win");
	is_int(tally[2], 4, "the others get 400 VpcLimitExceeded");
	is_int(tally[3] + tally[4], 0, "no other answer, no 5xx");
	call(&c, "GET", "/api/v1/vpcs", NULL);
	is_int(int_member("total"), 5, "the account holds exactly 5 VPCs");

	ensure_race();

	http_free(&r);
	return tap_done();
}
