/*
 * instances.fcgi's instances through the web server: a launch into the
 * default VPC checked member by member, min/max counts, filters and
 * pages, every state change EC2 allows (and the no-ops and 409s it
 * answers), the type change of a stopped instance, user data, tags,
 * block device mappings, idempotent client tokens, the quota, every
 * refused launch to its exact status and code with nothing written,
 * what termination does to the root volume and to the addresses
 * (available_ip_address_count back where it was), tenancy across two
 * accounts, an admin's reads, and the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

#define AMI_X86		"ami-008df4d2c9cb4c1db"	/* Amazon Linux 2023 x86_64 */
#define AMI_ARM		"ami-01ed9424d63bbafd0"	/* Amazon Linux 2023 arm64 */
#define ID_SIZE		64

static struct reply		 r;
static struct test_account	 a, b;
static char			 name[512];

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

static long
call(const struct test_account *t, const char *method, const char *path,
    const char *body)
{
	return http(&r, method, path, body, as(t, NULL));
}

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

static const char *
str(const char *key)
{
	const char	*v = http_json_str(&r, key);

	return v != NULL ? v : "";
}

static long long
total(void)
{
	return json_integer_value(json_object_get(r.json, "total"));
}

static json_t *
item(size_t i)
{
	return json_array_get(json_object_get(r.json, "items"), i);
}

static const char *
item_str(size_t i, const char *key)
{
	const char *v = json_string_value(json_object_get(item(i), key));

	return v != NULL ? v : "";
}

/* A string member of the first item's member obj ("state" → "name"). */
static const char *
item_sub(size_t i, const char *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(
	    item(i), obj), key));

	return v != NULL ? v : "";
}

/*
 * The body is compact JSON, byte for byte what jansson writes of its
 * value: the documents PostgreSQL builds go out unparsed
 * (src/core/json_text.c), and must read as every other answer does.
 */
static bool
compact(const struct reply *x)
{
	char	*again;
	bool	 same;

	if (x->json == NULL)
		return false;
	again = json_dumps(x->json, JSON_COMPACT | JSON_ENCODE_ANY);
	same = again != NULL && strcmp(again, x->body) == 0;
	if (!same)
		printf("#   body  %.300s\n#   again %.300s\n", x->body,
		    again != NULL ? again : "(null)");
	free(again);
	return same;
}

static void
copy(char *dst, const char *src)
{
	snprintf(dst, ID_SIZE, "%s", src != NULL ? src : "");
}

static const char *
q1(const char *sql, const char *p0)
{
	const char	*p[1] = { p0 };
	const char	*v = sql_value(sql, 1, p);

	return v != NULL ? v : "(error)";
}

/* Launch into the default subnet with extra JSON members; the status. */
static long
launch(const struct test_account *t, const char *extra)
{
	static char	body[40000];

	snprintf(body, sizeof(body), "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\"%s%s}", extra ? "," : "",
	    extra ? extra : "");
	return call(t, "POST", "/api/v1/instances", body);
}

/* POST /api/v1/instances/{id}/{action} with body; the status. */
static long
act(const struct test_account *t, const char *id, const char *action,
    const char *body)
{
	char	path[256];

	snprintf(path, sizeof(path), "/api/v1/instances/%s/%s", id, action);
	return call(t, "POST", path, body ? body : "");
}

/* The previous and current state names of a one-item state change. */
static void
change(const char *prev, const char *cur, const char *what)
{
	snprintf(name, sizeof(name), "%s: %s -> %s", what, prev, cur);
	if (!ok(r.status == 200 &&
	    strcmp(item_sub(0, "previous_state", "name"), prev) == 0 &&
	    strcmp(item_sub(0, "current_state", "name"), cur) == 0, name))
		printf("#   got %ld: %s\n", r.status, r.body);
}

/* available_ip_address_count of a subnet, read through vpcs.fcgi. */
static long long
free_addresses(const char *subnet)
{
	char	path[256];

	snprintf(path, sizeof(path), "/api/v1/subnets/%s", subnet);
	call(&a, "GET", path, NULL);
	return json_integer_value(json_object_get(r.json,
	    "available_ip_address_count"));
}

/* Rows of the account's resources: a launch refused writes none. */
static void
footprint(const char *account, char *out, size_t size)
{
	const char	*p[1] = { account };
	const char	*v = sql_value("SELECT (SELECT count(*) FROM"
	    " cloudsim.instances WHERE account_id = $1) || '/' || (SELECT"
	    " count(*) FROM cloudsim.volumes WHERE account_id = $1) || '/' ||"
	    " (SELECT count(*) FROM cloudsim.reservations WHERE account_id = $1)"
	    " || '/' || (SELECT count(*) FROM cloudsim.subnet_addresses sa JOIN"
	    " cloudsim.subnets s ON s.id = sa.subnet_id WHERE s.account_id = $1)",
	    1, p);

	snprintf(out, size, "%s", v ? v : "(error)");
}

/* --- one launch, member by member ------------------------------------ */

static void
test_launch(char *id, char *subnet, char *vpc, char *sg)
{
	long long	before, after;
	json_t		*bdm;
	char		path[256];

	call(&a, "GET", "/api/v1/subnets?availability_zone=us-east-1a", NULL);
	copy(subnet, item_str(0, "id"));
	before = free_addresses(subnet);

	launch(&a, NULL);
	expect(201, NULL, "launch one instance into the default VPC");
	copy(id, item_str(0, "id"));
	ok(strncmp(id, "i-", 2) == 0 && strlen(id) == 19,
	    "the id is i- and 17 hex digits");
	ok(strncmp(str("reservation_id"), "r-", 2) == 0,
	    "the launch is a reservation");
	is_str(str("owner_id"), a.account_id, "owned by the caller");
	is_str(item_sub(0, "state", "name"), "pending",
	    "the launch answers pending, as EC2");
	is_int(json_integer_value(json_object_get(json_object_get(item(0),
	    "state"), "code")), 0, "pending's code is 0");
	is_str(item_sub(0, "state_reason", "code"), "pending",
	    "the state reason of a pending instance is pending");
	is_str(item_str(0, "image_id"), AMI_X86, "the AMI");
	is_str(item_str(0, "instance_type"), "t3.micro", "the type");
	is_str(item_str(0, "architecture"), "x86_64", "the architecture");
	is_str(item_str(0, "availability_zone"), "us-east-1a",
	    "the region's first zone");
	is_str(item_str(0, "subnet_id"), subnet, "its default subnet");
	copy(vpc, item_str(0, "vpc_id"));
	is_str(q1("SELECT is_default::text FROM cloudsim.vpcs WHERE id = $1",
	    vpc), "true", "in the default VPC");
	ok(strncmp(item_str(0, "private_ip"), "172.31.", 7) == 0,
	    "a private address of the default subnet");
	snprintf(name, sizeof(name), "ip-%s.ec2.internal",
	    item_str(0, "private_ip"));
	for (char *c = name; *c; c++)
		if (*c == '.' && c < strstr(name, ".ec2"))
			*c = '-';
	is_str(item_str(0, "private_dns_name"), name,
	    "the private DNS name of us-east-1");
	ok(strncmp(item_str(0, "public_ip"), "198.1", 5) == 0,
	    "a public address, because default subnets map them");
	ok(strstr(item_str(0, "public_dns_name"), ".compute-1.amazonaws.com")
	    != NULL, "and its public DNS name");
	copy(sg, json_string_value(json_array_get(json_object_get(item(0),
	    "security_group_ids"), 0)));
	ok(strncmp(sg, "sg-", 3) == 0 && strcmp(json_string_value(
	    json_object_get(json_array_get(json_object_get(item(0),
	    "security_groups"), 0), "name")), "default") == 0,
	    "the VPC's default security group");
	is_str(item_str(0, "root_device_name"), "/dev/xvda",
	    "the AMI's root device");
	bdm = json_array_get(json_object_get(item(0),
	    "block_device_mappings"), 0);
	ok(bdm != NULL && strcmp(json_string_value(json_object_get(bdm,
	    "volume_id")), item_str(0, "root_volume_id")) == 0 &&
	    json_is_true(json_object_get(bdm, "delete_on_termination")) &&
	    strcmp(json_string_value(json_object_get(bdm, "device_name")),
	    "/dev/xvda") == 0, "a root volume, deleted on termination");
	is_str(q1("SELECT size || ' ' || volume_type || ' ' || state FROM"
	    " cloudsim.v_volumes WHERE id = $1", item_str(0, "root_volume_id")),
	    "8 gp3 in-use", "the root volume is the AMI's 8 GiB gp3, in use");
	ok(strlen(item_str(0, "launch_time")) == 24 &&
	    item_str(0, "launch_time")[23] == 'Z', "launch_time is RFC 3339");
	ok(strstr(item_str(0, "arn"), ":instance/i-") != NULL, "the arn");
	ok(json_is_null(json_object_get(item(0), "key_name")) &&
	    json_is_null(json_object_get(item(0), "client_token")),
	    "no key, no client token");
	ok(json_object_get(item(0), "user_data") == NULL,
	    "user data is not part of an instance");

	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	call(&a, "GET", path, NULL);
	expect(200, NULL, "read it back");
	ok(compact(&r), "a read answers compact JSON");
	is_str(str("state.name"), "running",
	    "with no delay configured, the next read shows running");
	is_int(json_integer_value(json_object_get(json_object_get(r.json,
	    "state"), "code")), 16, "running's code is 16");
	ok(json_is_null(json_object_get(r.json, "state_reason")),
	    "a running instance has no state reason");
	is_str(q1("SELECT state FROM cloudsim.v_instances WHERE id = $1", id),
	    "running", "the admin view agrees");
	after = free_addresses(subnet);
	is_int(after, before - 1, "the subnet has one address fewer");
}

/* --- counts, filters and pages -------------------------------------- */

static void
test_counts_and_filters(const char *subnet, const char *vpc, char *three)
{
	char	path[512], rid[ID_SIZE], other[ID_SIZE], *one;

	launch(&a, "\"min_count\":2,\"max_count\":3,"
	    "\"tags\":{\"Name\":\"web\",\"tier\":\"front\"}");
	expect(201, NULL, "launch 2 to 3 instances");
	is_int(json_array_size(json_object_get(r.json, "items")), 3,
	    "three fit, so three are launched");
	ok(json_integer_value(json_object_get(item(2), "ami_launch_index")) ==
	    2 && strcmp(item_str(0, "reservation_id"),
	    item_str(2, "reservation_id")) == 0,
	    "in one reservation, indexed 0..2");
	copy(three, item_str(0, "id"));
	copy(rid, item_str(0, "reservation_id"));
	ok(strcmp(item_str(0, "private_ip"), item_str(1, "private_ip")) != 0,
	    "each instance has its own address");

	launch(&a, "\"max_count\":2");
	expect(201, NULL, "max_count alone");
	is_int(json_array_size(json_object_get(r.json, "items")), 2,
	    "launches max_count");

	call(&a, "GET", "/api/v1/instances", NULL);
	expect(200, NULL, "list");
	is_int(total(), 6, "six instances");
	ok(json_integer_value(json_object_get(r.json, "page_size")) == 20 &&
	    json_integer_value(json_object_get(r.json, "total_pages")) == 1,
	    "the envelope");
	ok(compact(&r), "a list answers compact JSON");
	one = json_dumps(item(5), JSON_COMPACT);
	snprintf(path, sizeof(path), "/api/v1/instances/%s", item_str(5, "id"));
	call(&a, "GET", path, NULL);
	is_str(r.body, one != NULL ? one : "",
	    "an item of a list is byte for byte the read of its instance");
	free(one);
	call(&a, "GET", "/api/v1/instances?tag:Name=web", NULL);
	is_int(total(), 3, "filter by tag");
	call(&a, "GET", "/api/v1/instances?tag:Name=web&tag:tier=back", NULL);
	is_int(total(), 0, "tag filters are AND-ed across keys");
	call(&a, "GET", "/api/v1/instances?state=running&state=stopped", NULL);
	is_int(total(), 6, "filter by state (OR-ed values)");
	call(&a, "GET", "/api/v1/instances?state=pending", NULL);
	is_int(total(), 0, "nothing is pending any more");
	call(&a, "GET", "/api/v1/instances?state_code=16", NULL);
	is_int(total(), 6, "filter by state code");
	call(&a, "GET", "/api/v1/instances?instance_type=t3.micro&image_id="
	    AMI_X86 "&availability_zone=us-east-1a", NULL);
	is_int(total(), 6, "filter by type, AMI and zone");
	snprintf(path, sizeof(path), "/api/v1/instances?vpc_id=%s&subnet_id=%s",
	    vpc, subnet);
	call(&a, "GET", path, NULL);
	is_int(total(), 6, "filter by VPC and subnet");
	snprintf(path, sizeof(path), "/api/v1/instances?reservation_id=%s", rid);
	call(&a, "GET", path, NULL);
	is_int(total(), 3, "filter by reservation");
	copy(other, strcmp(item_str(0, "id"), three) != 0 ?
	    item_str(0, "id") : item_str(1, "id"));
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s", three);
	call(&a, "GET", path, NULL);
	ok(total() == 1 && strcmp(item_str(0, "id"), three) == 0,
	    "filter by id");
	/* One id on the first page is a statement of its own. */
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s"
	    "&page_size=1&page=2", three);
	call(&a, "GET", path, NULL);
	ok(total() == 1 && json_array_size(json_object_get(r.json, "items"))
	    == 0, "one id: its second page is empty, the total still 1");
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s", three);
	http(&r, "GET", path, NULL, as(&a, "eu-west-1"));
	ok(r.status == 200 && total() == 0 && json_array_size(json_object_get(
	    r.json, "items")) == 0, "one id: not listed in another region");
	call(&a, "GET", "/api/v1/instances?instance_id=i-00000000000000000",
	    NULL);
	ok(r.status == 200 && total() == 0, "one unknown id: an empty list");
	/* Ids alone and ids with other filters are two statements. */
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s"
	    "&instance_id=i-00000000000000000&instance_id=%s"
	    "&page_size=1&page=2", three, other);
	call(&a, "GET", path, NULL);
	ok(total() == 2 && json_array_size(json_object_get(r.json, "items"))
	    == 1 && json_integer_value(json_object_get(r.json,
	    "total_pages")) == 2, "ids alone: the second page of one, an "
	    "unknown id not counted");
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s"
	    "&state_code=16", three);
	call(&a, "GET", path, NULL);
	ok(total() == 1 && strcmp(item_str(0, "id"), three) == 0,
	    "ids with a state filter that matches");
	snprintf(path, sizeof(path), "/api/v1/instances?instance_id=%s"
	    "&instance_type=m5.large", three);
	call(&a, "GET", path, NULL);
	is_int(total(), 0, "ids with a type filter that does not match");
	call(&a, "GET", "/api/v1/instances?instance_type=m5.large", NULL);
	is_int(total(), 0, "a filter matching nothing");
	call(&a, "GET", "/api/v1/instances?page_size=4&page=2", NULL);
	ok(json_array_size(json_object_get(r.json, "items")) == 2 &&
	    total() == 6 && json_integer_value(json_object_get(r.json,
	    "total_pages")) == 2, "the second page of four");
	call(&a, "GET", "/api/v1/instances?page_size=1001", NULL);
	expect(400, "InvalidParameterValue", "a page over 1000");
	call(&a, "GET", "/api/v1/instances?owner=me", NULL);
	expect(400, "InvalidParameterValue", "an unknown filter");
}

/* --- what a launch refuses ------------------------------------------ */

static void
test_refusals(const char *vpc)
{
	char	before[128], after[128], body[32768], path[256];
	char	other_vpc[ID_SIZE], other_sg[ID_SIZE], other_subnet[ID_SIZE];
	size_t	i, n;

	footprint(a.account_id, before, sizeof(before));

	call(&a, "POST", "/api/v1/instances", "{\"instance_type\":\"t3.micro\"}");
	expect(400, "MissingParameter", "no AMI");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\"}");
	expect(400, "MissingParameter", "no type");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":\"ami-xyz\","
	    "\"instance_type\":\"t3.micro\"}");
	expect(400, "InvalidAMIID.Malformed", "a malformed AMI id");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":"
	    "\"ami-0123456789abcdef0\",\"instance_type\":\"t3.micro\"}");
	expect(400, "InvalidAMIID.NotFound", "an unknown AMI");
	ok(strstr(str("error.message"), "ami-0123456789abcdef0") != NULL,
	    "the message quotes the AMI");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86
	    "\",\"instance_type\":\"t9.huge\"}");
	expect(400, "InvalidInstanceType", "an unknown type");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":\"" AMI_ARM
	    "\",\"instance_type\":\"t3.micro\"}");
	expect(400, "InvalidParameterValue", "an arm64 AMI on an x86 type");
	ok(strstr(str("error.message"), "architecture 'x86_64' of the "
	    "specified instance type does not match the architecture 'arm64'")
	    != NULL, "the message names both architectures, as EC2");
	launch(&a, "\"min_count\":0");
	expect(400, "InvalidParameterValue", "min_count 0");
	launch(&a, "\"min_count\":3,\"max_count\":2");
	expect(400, "InvalidParameterValue", "min_count over max_count");
	launch(&a, "\"max_count\":1001");
	expect(400, "InvalidParameterValue", "max_count over 1000");
	launch(&a, "\"min_count\":\"2\"");
	expect(400, "InvalidParameterValue", "a count that is a string");
	launch(&a, "\"user_data\":\"not base64!\"");
	expect(400, "InvalidParameterValue", "user data that is not base64");
	launch(&a, "\"user_data\":\"aGVsbG8\"");
	expect(400, "InvalidParameterValue", "base64 without its padding");
	/* 16388 bytes once decoded: 5463 groups of four characters. */
	n = (size_t)snprintf(body, sizeof(body), "\"user_data\":\"");
	for (i = 0; i < 5463; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "QUFB");
	snprintf(body + n, sizeof(body) - n, "\"");
	launch(&a, body);
	expect(400, "InvalidParameterValue", "user data over 16 KiB");
	launch(&a, "\"key_name\":\"nobody\"");
	expect(400, "InvalidKeyPair.NotFound", "an unknown key pair");
	launch(&a, "\"subnet_id\":\"subnet-xyz\"");
	expect(400, "InvalidSubnetID.Malformed", "a malformed subnet id");
	launch(&a, "\"subnet_id\":\"subnet-00000000\"");
	expect(400, "InvalidSubnetID.NotFound", "an unknown subnet");
	launch(&a, "\"availability_zone\":\"eu-west-1a\"");
	expect(400, "InvalidParameterValue", "a zone of another region");
	launch(&a, "\"security_group_ids\":[\"sg-1\"]");
	expect(400, "InvalidGroupId.Malformed", "a malformed group id");
	launch(&a, "\"security_group_ids\":[\"sg-0123456789abcdef0\"]");
	expect(400, "InvalidGroup.NotFound", "an unknown group");
	launch(&a, "\"security_group_ids\":\"sg-0123456789abcdef0\"");
	expect(400, "InvalidParameterValue", "groups not as an array");
	launch(&a, "\"security_group_ids\":[\"sg-00000000000000001\","
	    "\"sg-00000000000000002\",\"sg-00000000000000003\","
	    "\"sg-00000000000000004\",\"sg-00000000000000005\","
	    "\"sg-00000000000000006\"]");
	expect(400, "InvalidParameterValue", "six groups");
	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/sdb\"}]");
	expect(400, "InvalidBlockDeviceMapping", "a device that is not root");
	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/xvda\","
	    "\"volume_size\":4}]");
	expect(400, "InvalidBlockDeviceMapping", "a root under the AMI's size");
	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/xvda\","
	    "\"volume_type\":\"st1\",\"volume_size\":500}]");
	expect(400, "InvalidBlockDeviceMapping", "an st1 root");
	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/xvda\","
	    "\"volume_type\":\"io1\"}]");
	expect(400, "InvalidBlockDeviceMapping", "io1 without iops");
	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/xvda\","
	    "\"size\":9}]");
	expect(400, "UnknownParameter", "an unknown mapping member");
	launch(&a, "\"tags\":{\"aws:name\":\"x\"}");
	expect(400, "InvalidParameterValue", "a reserved tag key");
	launch(&a, "\"colour\":\"red\"");
	expect(400, "UnknownParameter", "an unknown member");
	launch(&a, "\"client_token\":\"\"");
	expect(400, "InvalidParameterValue", "an empty client token");
	call(&a, "POST", "/api/v1/instances", "{\"image_id\":");
	expect(400, "MalformedJSON", "a body that is not JSON");

	/* A VPC of A's own, to name a group of another network. */
	call(&a, "POST", "/api/v1/vpcs", "{\"cidr_block\":\"10.9.0.0/16\"}");
	expect(201, NULL, "(a second VPC)");
	copy(other_vpc, str("id"));
	copy(other_sg, str("default_security_group_id"));
	snprintf(body, sizeof(body), "\"security_group_ids\":[\"%s\"]",
	    other_sg);
	launch(&a, body);
	expect(400, "InvalidParameter", "a group of another VPC");
	ok(strstr(str("error.message"), "different networks") != NULL,
	    "they belong to different networks, as EC2 says");
	snprintf(body, sizeof(body), "{\"vpc_id\":\"%s\",\"cidr_block\":"
	    "\"10.9.1.0/24\",\"availability_zone\":\"us-east-1b\"}", other_vpc);
	call(&a, "POST", "/api/v1/subnets", body);
	expect(201, NULL, "(a subnet in it)");
	copy(other_subnet, str("id"));
	snprintf(body, sizeof(body), "\"subnet_id\":\"%s\","
	    "\"availability_zone\":\"us-east-1a\"", other_subnet);
	launch(&a, body);
	expect(400, "InvalidParameterValue", "a zone other than the subnet's");

	/* B's subnet reads as unknown to A. */
	call(&b, "GET", "/api/v1/subnets?availability_zone=us-east-1a", NULL);
	snprintf(body, sizeof(body), "\"subnet_id\":\"%s\"", item_str(0, "id"));
	launch(&a, body);
	expect(400, "InvalidSubnetID.NotFound", "another account's subnet");

	footprint(a.account_id, after, sizeof(after));
	is_str(after, before, "no refused launch left an instance, a volume, "
	    "a reservation or an address behind");

	/* A launch in the second VPC's subnet: no public address there. */
	snprintf(body, sizeof(body), "\"subnet_id\":\"%s\"", other_subnet);
	launch(&a, body);
	expect(201, NULL, "launch into a subnet of one's own VPC");
	ok(json_is_null(json_object_get(item(0), "public_ip")) &&
	    strcmp(item_str(0, "availability_zone"), "us-east-1b") == 0 &&
	    strcmp(item_str(0, "private_ip"), "10.9.1.4") == 0,
	    "the subnet's zone, its first usable address, no public address");
	copy(name, item_str(0, "id"));
	snprintf(path, sizeof(path), "/api/v1/instances/%s", name);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "(terminate it)");
	(void)vpc;
}

/* --- state changes --------------------------------------------------- */

static void
test_lifecycle(const char *id, const char *subnet)
{
	char		path[256], public_ip[64], body[128];
	long long	before;

	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	call(&a, "GET", path, NULL);
	copy(public_ip, str("public_ip"));

	act(&a, id, "reboot", NULL);
	change("running", "running", "reboot a running instance");
	act(&a, id, "start", NULL);
	change("running", "running", "start a running instance: a no-op");
	act(&a, id, "stop", NULL);
	change("running", "stopping", "stop");
	is_int(json_integer_value(json_object_get(json_object_get(item(0),
	    "current_state"), "code")), 64, "stopping's code is 64");
	call(&a, "GET", path, NULL);
	is_str(str("state.name"), "stopped", "the next read shows stopped");
	ok(json_is_null(json_object_get(r.json, "public_ip")),
	    "a stopped instance gives its public address back, as EC2");
	ok(strncmp(str("private_ip"), "172.31.", 7) == 0,
	    "and keeps its private one");
	is_str(str("state_reason.code"), "Client.UserInitiatedShutdown",
	    "the state reason of a user's stop");
	ok(strncmp(str("state_transition_reason"), "User initiated (", 16) ==
	    0, "and its transition reason");
	act(&a, id, "stop", NULL);
	change("stopped", "stopped", "stop a stopped instance: a no-op");
	act(&a, id, "reboot", NULL);
	expect(409, "IncorrectInstanceState", "reboot a stopped instance");
	ok(strstr(str("error.message"), "'stopped'") != NULL,
	    "the message gives the current state");

	call(&a, "PATCH", path, "{\"instance_type\":\"t3.large\"}");
	expect(200, NULL, "change the type of a stopped instance");
	is_str(str("instance_type"), "t3.large", "the new type");
	call(&a, "PATCH", path, "{\"instance_type\":\"t4g.large\"}");
	expect(400, "InvalidParameterValue", "a type of another architecture");
	call(&a, "PATCH", path, "{\"instance_type\":\"t9.none\"}");
	expect(400, "InvalidInstanceType", "an unknown type");
	call(&a, "PATCH", path, "{}");
	expect(400, "MissingParameter", "no type");
	call(&a, "PATCH", path, "{\"instance_type\":\"t3.large\","
	    "\"user_data\":\"\"}");
	expect(400, "UnknownParameter", "another attribute");

	act(&a, id, "start", NULL);
	change("stopped", "pending", "start a stopped instance");
	call(&a, "GET", path, NULL);
	is_str(str("state.name"), "running", "running again");
	ok(str("public_ip")[0] != '\0', "with a new public address");
	call(&a, "PATCH", path, "{\"instance_type\":\"t3.micro\"}");
	expect(409, "IncorrectInstanceState", "change the type while running");
	ok(strstr(str("error.message"), "'running'") != NULL,
	    "the message gives the current state");
	act(&a, id, "stop", "{\"force\":true}");
	change("running", "stopping", "a forced stop");
	act(&a, id, "stop", "{\"force\":\"yes\"}");
	expect(400, "InvalidParameterValue", "force must be a boolean");
	act(&a, id, "start", "{\"force\":true}");
	expect(400, "UnknownParameter", "start takes no force");
	act(&a, id, "start", NULL);
	change("stopped", "pending", "start it again");
	(void)public_ip;

	/* Termination: the root volume goes, the addresses come back. */
	call(&a, "GET", path, NULL);
	copy(body, str("root_volume_id"));
	before = free_addresses(subnet);
	act(&a, id, "terminate", NULL);
	change("running", "shutting-down", "terminate");
	is_int(json_integer_value(json_object_get(json_object_get(item(0),
	    "current_state"), "code")), 32, "shutting-down's code is 32");
	call(&a, "GET", path, NULL);
	is_str(str("state.name"), "terminated", "the next read: terminated");
	is_int(json_integer_value(json_object_get(json_object_get(r.json,
	    "state"), "code")), 48, "terminated's code is 48");
	ok(json_is_null(json_object_get(r.json, "private_ip")) &&
	    json_is_null(json_object_get(r.json, "public_ip")) &&
	    json_array_size(json_object_get(r.json, "security_groups")) == 0 &&
	    json_array_size(json_object_get(r.json, "block_device_mappings"))
	    == 0 && json_is_null(json_object_get(r.json, "root_volume_id")),
	    "no address, group or volume is left on it");
	is_str(q1("SELECT count(*) FROM cloudsim.volumes WHERE id = $1", body),
	    "0", "its root volume was deleted (delete on termination)");
	is_str(q1("SELECT count(*) FROM cloudsim.subnet_addresses WHERE"
	    " owner = $1", id), "0", "its private address was released");
	is_int(free_addresses(subnet), before + 1,
	    "available_ip_address_count is back");
	act(&a, id, "terminate", NULL);
	change("terminated", "terminated", "terminate it again: a no-op");
	act(&a, id, "start", NULL);
	expect(409, "IncorrectInstanceState", "start a terminated instance");
	ok(strstr(str("error.message"), "'terminated'") != NULL,
	    "the message gives the current state");
	act(&a, id, "stop", NULL);
	expect(409, "IncorrectInstanceState", "stop a terminated instance");
	act(&a, id, "reboot", NULL);
	expect(409, "IncorrectInstanceState", "reboot a terminated instance");
	call(&a, "PATCH", path, "{\"instance_type\":\"t3.small\"}");
	expect(409, "IncorrectInstanceState", "change a terminated one's type");
	call(&a, "GET", "/api/v1/instances?state=terminated", NULL);
	is_int(total(), 2, "terminated instances stay listed for a while");

	/* Ids. */
	act(&a, "i-xyz", "stop", NULL);
	expect(400, "InvalidInstanceID.Malformed", "stop a malformed id");
	act(&a, "i-0123456789abcdef0", "start", NULL);
	expect(404, "InvalidInstanceID.NotFound", "start an unknown id");
	ok(strstr(str("error.message"), "'i-0123456789abcdef0'") != NULL,
	    "the message quotes the id");
	call(&a, "GET", "/api/v1/instances/i-0123456789ABCDEF0", NULL);
	expect(400, "InvalidInstanceID.Malformed", "upper-case hex");
	call(&a, "GET", "/api/v1/instances/i-0123456789abcdef0", NULL);
	expect(404, "InvalidInstanceID.NotFound", "read an unknown id");
	call(&a, "DELETE", "/api/v1/instances/i-0123456789abcdef0", NULL);
	expect(404, "InvalidInstanceID.NotFound", "delete an unknown id");
	call(&a, "PUT", "/api/v1/instances", "{}");
	expect(405, NULL, "PUT on the collection");
}

/* DELETE terminates; delete_on_termination false keeps the volume. */
static void
test_kept_volume(void)
{
	char	id[ID_SIZE], vol[ID_SIZE], path[256];

	launch(&a, "\"block_device_mappings\":[{\"device_name\":\"/dev/xvda\","
	    "\"volume_size\":20,\"volume_type\":\"gp2\","
	    "\"delete_on_termination\":false}]");
	expect(201, NULL, "launch with a 20 GiB gp2 root kept on termination");
	copy(id, item_str(0, "id"));
	copy(vol, item_str(0, "root_volume_id"));
	is_str(q1("SELECT size || ' ' || volume_type FROM cloudsim.v_volumes"
	    " WHERE id = $1", vol), "20 gp2", "the mapping sized the root volume");
	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	call(&a, "DELETE", path, NULL);
	change("running", "shutting-down", "DELETE terminates");
	is_str(q1("SELECT state || ' ' || attachments::text FROM"
	    " cloudsim.v_volumes WHERE id = $1", vol), "available []",
	    "the kept volume is detached and available");
}

/* --- user data, tags, client tokens, keys --------------------------- */

static void
test_attributes(void)
{
	char	id[ID_SIZE], path[256], again[ID_SIZE];

	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"ops\","
	    "\"key_type\":\"ed25519\"}");
	expect(201, NULL, "(a key pair)");
	launch(&a, "\"key_name\":\"ops\",\"user_data\":\"IyEvYmluL3NoCmVj"
	    "aG8gaGkK\\n\",\"client_token\":\"token-1\","
	    "\"tags\":{\"Name\":\"api\"}");
	expect(201, NULL, "launch with a key, user data, a token and tags");
	copy(id, item_str(0, "id"));
	is_str(item_str(0, "key_name"), "ops", "the key's name");
	is_str(item_str(0, "client_token"), "token-1", "the client token");
	is_str(json_string_value(json_object_get(json_object_get(item(0),
	    "tags"), "Name")), "api", "the tags");
	snprintf(path, sizeof(path), "/api/v1/instances/%s/user-data", id);
	call(&a, "GET", path, NULL);
	expect(200, NULL, "read the user data");
	is_str(str("user_data"), "IyEvYmluL3NoCmVjaG8gaGkK",
	    "stored as base64, the line break dropped");

	launch(&a, "\"key_name\":\"ops\",\"user_data\":\"IyEvYmluL3NoCmVj"
	    "aG8gaGkK\",\"client_token\":\"token-1\","
	    "\"tags\":{\"Name\":\"api\"}");
	expect(201, NULL, "retry with the same token and parameters");
	copy(again, item_str(0, "id"));
	is_str(again, id, "the retry returns the first launch's instance");
	is_str(q1("SELECT count(*) FROM cloudsim.reservations WHERE"
	    " client_token = 'token-1' AND account_id = $1", a.account_id), "1",
	    "and launches nothing");
	is_str(q1("SELECT count(*) FROM cloudsim.audit_log WHERE action ="
	    " 'RunInstances' AND status = 201 AND $1 = ANY (resource_ids)", id),
	    "2", "the retry is audited too, under the same instance");
	launch(&a, "\"key_name\":\"ops\",\"client_token\":\"token-1\"");
	expect(400, "IdempotentParameterMismatch",
	    "the same token with other parameters");
	launch(&b, "\"client_token\":\"token-1\"");
	expect(201, NULL, "another account may use the same token");

	snprintf(path, sizeof(path), "/api/v1/instances/%s/tags", id);
	call(&a, "PUT", path, "{\"tags\":{\"env\":\"prod\"}}");
	expect(200, NULL, "add a tag");
	ok(json_object_size(json_object_get(r.json, "tags")) == 2,
	    "tags are merged");
	call(&a, "GET", "/api/v1/instances?tag:env=prod", NULL);
	is_int(total(), 1, "the new tag filters");
	snprintf(path, sizeof(path), "/api/v1/instances/%s/tags?key=Name", id);
	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "remove a tag");
	is_str(str("tags.env"), "prod", "the other tag stays");
	ok(json_object_get(json_object_get(r.json, "tags"), "Name") == NULL,
	    "the removed one is gone");
	snprintf(path, sizeof(path), "/api/v1/instances/%s/tags", id);
	call(&a, "PUT", path, "{\"tags\":{}}");
	expect(400, "MissingParameter", "no tags to add");
	call(&a, "DELETE", path, NULL);
	expect(400, "MissingParameter", "no key to remove");
	call(&a, "PUT", "/api/v1/instances/i-0123456789abcdef0/tags",
	    "{\"tags\":{\"a\":\"b\"}}");
	expect(404, "InvalidInstanceID.NotFound", "tag an unknown instance");
}

/* --- quota ------------------------------------------------------------ */

static void
test_quota(void)
{
	struct test_account	q;
	char			id[ID_SIZE], before[128], after[128];

	if (!account_new(&q)) {
		ok(0, "register a quota account");
		return;
	}
	launch(&q, "\"min_count\":21,\"max_count\":21");
	expect(400, "InstanceLimitExceeded", "21 instances at once");
	launch(&q, "\"min_count\":1,\"max_count\":25");
	expect(201, NULL, "1 to 25 instances");
	is_int(json_array_size(json_object_get(r.json, "items")), 20,
	    "as many as the quota of 20 allows");
	copy(id, item_str(0, "id"));
	footprint(q.account_id, before, sizeof(before));
	launch(&q, NULL);
	expect(400, "InstanceLimitExceeded", "the 21st instance");
	ok(strstr(str("error.message"), "limit of 20") != NULL,
	    "the message gives the limit");
	footprint(q.account_id, after, sizeof(after));
	is_str(after, before, "the refused launch wrote nothing");
	act(&q, id, "terminate", NULL);
	launch(&q, NULL);
	expect(201, NULL, "a terminated instance frees its slot");
	http(&r, "POST", "/api/v1/instances", "{\"image_id\":\"" AMI_X86 "\","
	    "\"instance_type\":\"t3.micro\"}", as(&q, "eu-west-1"));
	expect(201, NULL, "the quota is per region");
	is_str(item_str(0, "availability_zone"), "eu-west-1a",
	    "the other region's first zone");
	ok(strstr(item_str(0, "private_dns_name"), ".eu-west-1.compute.internal")
	    != NULL, "and its private DNS name");
}

/* --- tenancy, admin, audit ------------------------------------------- */

static void
test_tenancy(const char *id)
{
	struct test_account	 admin;
	char			 path[256], body[512];
	const char		*p[1];

	snprintf(path, sizeof(path), "/api/v1/instances/%s", id);
	call(&b, "GET", path, NULL);
	expect(404, "InvalidInstanceID.NotFound", "B cannot read A's instance");
	act(&b, id, "stop", NULL);
	expect(404, "InvalidInstanceID.NotFound", "B cannot stop it");
	call(&b, "DELETE", path, NULL);
	expect(404, "InvalidInstanceID.NotFound", "B cannot terminate it");
	call(&b, "PATCH", path, "{\"instance_type\":\"t3.small\"}");
	expect(404, "InvalidInstanceID.NotFound", "B cannot modify it");
	snprintf(body, sizeof(body), "%s/user-data", path);
	call(&b, "GET", body, NULL);
	expect(404, "InvalidInstanceID.NotFound", "B cannot read its user data");
	snprintf(body, sizeof(body), "%s/tags", path);
	call(&b, "PUT", body, "{\"tags\":{\"x\":\"y\"}}");
	expect(404, "InvalidInstanceID.NotFound", "B cannot tag it");
	snprintf(body, sizeof(body), "/api/v1/instances?instance_id=%s", id);
	call(&b, "GET", body, NULL);
	is_int(total(), 0, "B's list does not show it");
	http(&r, "GET", path, NULL, as(&a, "eu-west-1"));
	expect(404, "InvalidInstanceID.NotFound",
	    "A's instance is not in another region");
	http(&r, "GET", path, NULL, NULL);
	expect(401, "AuthenticationFailure", "no credentials");

	/* An admin reads every account's instances but changes none. */
	admin = b;
	p[0] = b.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1", 1, p);
	call(&b, "GET", path, NULL);
	expect(401, "AuthenticationFailure",
	    "B's token, issued to a user, is refused once B is an admin");
	ok(account_login(&admin), "B logs in again, as an admin");
	call(&admin, "GET", path, NULL);
	expect(200, NULL, "an admin reads A's instance");
	snprintf(body, sizeof(body), "/api/v1/instances?instance_id=%s", id);
	call(&admin, "GET", body, NULL);
	is_int(total(), 1, "an admin lists it");
	act(&admin, id, "reboot", NULL);
	expect(404, "InvalidInstanceID.NotFound", "an admin does not act on it");

	/* The role taken back: the admin's token goes, B's first one is good. */
	sql_exec("UPDATE cloudsim.users SET role = 'user' WHERE id = $1", 1, p);
	call(&admin, "GET", path, NULL);
	expect(401, "AuthenticationFailure",
	    "the admin token is refused once B is a user again");
	call(&b, "GET", "/api/v1/instances", NULL);
	expect(200, NULL, "and B's token, issued to a user, is accepted again");
}

static void
test_audit(const char *id)
{
	const char	*p[2] = { a.account_id, id };

	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " account_id = $1 AND action = 'RunInstances' AND status = 201"
	    " AND $2 = ANY (resource_ids)", 2, p), "1",
	    "the launch is audited with the instance's id");
	is_str(sql_value("SELECT string_agg(DISTINCT action, ',' ORDER BY"
	    " action) FROM cloudsim.audit_log WHERE account_id = $1 AND"
	    " $2 = ANY (resource_ids) AND status = 200", 2, p),
	    "ModifyInstanceAttribute,RebootInstances,StartInstances,"
	    "StopInstances,TerminateInstances",
	    "every change is audited under EC2's action name");
	ok(atoi(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " account_id = $1 AND action = 'RunInstances' AND error_code ="
	    " 'InvalidAMIID.NotFound'", 1, p)) >= 1,
	    "a refused launch is audited with its code");
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " action = 'StartInstances' AND error_code ="
	    " 'IncorrectInstanceState' AND $2 = ANY (resource_ids)"
	    " AND account_id = $1", 2, p), "1",
	    "a refused change is audited with its code");
}

int
main(void)
{
	char	id[ID_SIZE], subnet[ID_SIZE], vpc[ID_SIZE], sg[ID_SIZE];
	char	three[ID_SIZE];

	if (!account_new(&a) || !account_new(&b)) {
		printf("Bail out! cannot register test accounts\n");
		return 1;
	}
	test_launch(id, subnet, vpc, sg);
	test_counts_and_filters(subnet, vpc, three);
	test_refusals(vpc);
	test_tenancy(three);
	test_lifecycle(id, subnet);
	test_kept_volume();
	test_attributes();
	test_quota();
	test_audit(id);
	http_free(&r);
	return tap_done();
}
