/*
 * blockchains.fcgi through the real web server: the CloudManager v1
 * contract as both My Chauffe clients use it (every call with their
 * exact payloads, checked field by field and by JSON type), the chain
 * routes (transactions, mine, blocks, validate, tampering found), racing
 * miners on one chain, every refusal to its exact status and message
 * with nothing written, and the authentication modes and CORS origins,
 * which need other configuration: for those the same executable is run
 * as plain CGI with CLOUDSIM_<KEY> in its environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

#define TEST_UUID	"12345678-1234-1234-1234-123456789abc"
#define RACERS		8

/* The web app's form object, exactly as the browser client posts it. */
static const char form_create[] =
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
    " \"user_uuid\": \"" TEST_UUID "\","
    " \"dloid_params\": {\"firstName\": \"Ada\", \"lastName\": \"Lovelace\","
    " \"priorDloidQty\": \"0\", \"chauffeQuantity\": \"0000100000\","
    " \"partnershipStatus\": \"L\", \"collateralizable\": \"N\","
    " \"inheritance\": \"Y\", \"convertibility\": \"2\","
    " \"rating\": \"000025000\", \"shareEligible\": \"N\","
    " \"redeemability\": \"P\"}}";

static const char *const meta_keys[] = {
	"user_uuid", "controller_name", "controller_role", "name",
	"created_at", "dloid_params", "genesis_dloid", "dloid_info", NULL
};
static const char *const create_keys[] = {
	"success", "blockchain_id", "controller_name", "dloid_params",
	"genesis_dloid", "metadata", NULL
};

/* A member of v by a dotted path ("metadata.dloid_info.rating"). */
static json_t *
jget(const json_t *v, const char *path)
{
	char		 key[128];
	const char	*p = path, *dot;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		v = json_object_get(v, key);
		p = dot ? dot + 1 : p + strlen(p);
	}
	return (json_t *)v;
}

static const char *
jstr(const struct reply *r, const char *path)
{
	return json_string_value(jget(r->json, path));
}

static long long
jint(const struct reply *r, const char *path)
{
	json_t	*v = jget(r->json, path);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -999;
}

/* s matches shape, where '9' is a digit, 'x' a lower-case hex digit. */
static int
shaped(const char *s, const char *shape)
{
	size_t	i;

	if (s == NULL || strlen(s) != strlen(shape))
		return 0;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == '9' && (s[i] < '0' || s[i] > '9'))
			return 0;
		if (shape[i] == 'x' && strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
		if (shape[i] != '9' && shape[i] != 'x' && s[i] != shape[i])
			return 0;
	}
	return 1;
}

static int
is_uuid(const char *s)
{
	return shaped(s, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
}

static int
is_timestamp(const char *s)
{
	return shaped(s, "9999-99-99T99:99:99.999Z");
}

/* "0x" + 64 hex digits whose first difficulty are '0'. */
static int
is_dloid(const char *s, int difficulty)
{
	int	i;

	if (s == NULL || strncmp(s, "0x", 2) != 0 ||
	    !shaped(s + 2, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))
		return 0;
	for (i = 0; i < difficulty; i++)
		if (s[2 + i] != '0')
			return 0;
	return 1;
}

/* True when obj is an object with exactly the keys listed. */
static int
has_keys(const json_t *obj, const char *const *keys)
{
	size_t	n = 0;

	if (!json_is_object(obj))
		return 0;
	for (; keys[n] != NULL; n++)
		if (json_object_get(obj, keys[n]) == NULL) {
			printf("#   missing key '%s'\n", keys[n]);
			return 0;
		}
	return json_object_size(obj) == n;
}

static long
rows(const char *table)
{
	char		 q[128];
	const char	*v;

	snprintf(q, sizeof(q), "SELECT count(*) FROM cloudsim.%s", table);
	v = sql_value(q, 0, NULL);
	return v != NULL ? atol(v) : -1;
}

static long
rows_of(const char *sql, const char *param)
{
	const char	*v = sql_value(sql, 1, &param);

	return v != NULL ? atol(v) : -1;
}

static long
post(struct reply *r, const char *path, const char *body)
{
	return http(r, "POST", path, body, NULL);
}

/* The expected dloid_info of "0000100000LNY2000025000NP". */
static void
check_form_info(const json_t *info, const char *what)
{
	char	 name[256];

	snprintf(name, sizeof(name), "%s: chauffe_quantity is the integer "
	    "100000", what);
	ok(json_is_integer(json_object_get(info, "chauffe_quantity")) &&
	    json_integer_value(json_object_get(info, "chauffe_quantity")) ==
	    100000, name);
	snprintf(name, sizeof(name), "%s: rating is the integer 25000", what);
	ok(json_is_integer(json_object_get(info, "rating")) &&
	    json_integer_value(json_object_get(info, "rating")) == 25000, name);
	snprintf(name, sizeof(name), "%s: the codes decode by position", what);
	ok(json_is_string(json_object_get(info, "partnership")) &&
	    strcmp(json_string_value(json_object_get(info, "partnership")),
	    "L") == 0 &&
	    strcmp(json_string_value(json_object_get(info,
	    "collateralizable")), "N") == 0 &&
	    strcmp(json_string_value(json_object_get(info, "inheritance")),
	    "Y") == 0 &&
	    strcmp(json_string_value(json_object_get(info, "convertibility")),
	    "2") == 0 &&
	    strcmp(json_string_value(json_object_get(info, "share_eligible")),
	    "N") == 0 &&
	    strcmp(json_string_value(json_object_get(info, "redeemability")),
	    "P") == 0, name);
	snprintf(name, sizeof(name), "%s: dloid_info has the eight fields",
	    what);
	ok(json_object_size(info) == 8, name);
}

/*
 * The browser client: camelCase form codes, a non-v4 test UUID, default
 * difficulty (4) and role; it reads blockchain_id and controller_name
 * from the top level.  Returns the new id (static storage).
 */
static const char *
test_browser_create(struct reply *r)
{
	static char	 id[64];
	static json_t	*created;
	json_t		*meta;
	const char	*one;

	is_int(post(r, "/api/blockchains", form_create), 200,
	    "browser create answers 200, not 201");
	ok(json_is_true(jget(r->json, "success")), "success is boolean true");
	ok(has_keys(r->json, create_keys), "create has exactly the v1 keys");
	ok(is_uuid(jstr(r, "blockchain_id")), "blockchain_id is a UUID");
	snprintf(id, sizeof(id), "%s", jstr(r, "blockchain_id") ?
	    jstr(r, "blockchain_id") : "");
	is_str(jstr(r, "controller_name"), "alovelace-001",
	    "controller_name at the top level");
	is_str(jstr(r, "dloid_params"), "0000100000LNY2000025000NP",
	    "form codes are placed verbatim by position");
	ok(is_dloid(jstr(r, "genesis_dloid"), 4),
	    "genesis_dloid is 0x + 64 hex with 4 leading zeros");

	meta = jget(r->json, "metadata");
	ok(has_keys(meta, meta_keys), "metadata has exactly the v1 fields");
	is_str(jstr(r, "metadata.user_uuid"), TEST_UUID,
	    "the non-v4 test UUID is kept");
	is_str(jstr(r, "metadata.controller_name"), "alovelace-001",
	    "metadata.controller_name");
	is_str(jstr(r, "metadata.controller_role"), "manager",
	    "controller_role defaults to manager");
	is_str(jstr(r, "metadata.name"), "Ada Lovelace's chain",
	    "name defaults to <first> <last>'s chain");
	ok(is_timestamp(jstr(r, "metadata.created_at")),
	    "created_at is RFC 3339 UTC with milliseconds");
	is_str(jstr(r, "metadata.dloid_params"), "0000100000LNY2000025000NP",
	    "metadata.dloid_params");
	ok(strlen(jstr(r, "metadata.dloid_params") ?
	    jstr(r, "metadata.dloid_params") : "") == 25,
	    "dloid_params is 25 characters");
	is_str(jstr(r, "metadata.genesis_dloid"), jstr(r, "genesis_dloid"),
	    "metadata.genesis_dloid equals the top level's");
	check_form_info(jget(r->json, "metadata.dloid_info"), "browser");
	created = json_deep_copy(meta);

	/* The genesis block's hash is the genesis_dloid, at difficulty 4. */
	one = sql_value("SELECT '0x' || hash FROM cloudsim.blocks"
	    " WHERE blockchain_id = $1 AND idx = 0", 1,
	    (const char *[]){ id });
	is_str(one, jstr(r, "genesis_dloid"), "block 0 was mined and stored");
	is_int(rows_of("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE action = 'blockchains.create' AND status = 200"
	    " AND $1 = ANY (resource_ids)", id), 1,
	    "the create is audited once");

	/* GET one: chain_info and the same metadata. */
	{
		char	 path[128];

		snprintf(path, sizeof(path), "/api/blockchains/%s", id);
		is_int(http(r, "GET", path, NULL, NULL), 200, "get one is 200");
		ok(json_is_true(jget(r->json, "success")), "get: success");
		is_str(jstr(r, "blockchain_id"), id, "get: blockchain_id");
		ok(json_is_integer(jget(r->json, "chain_info.length")) &&
		    jint(r, "chain_info.length") == 1,
		    "get: length is the integer 1 (genesis)");
		ok(json_is_integer(jget(r->json,
		    "chain_info.pending_transactions")) &&
		    jint(r, "chain_info.pending_transactions") == 0,
		    "get: pending_transactions is the integer 0");
		ok(json_is_integer(jget(r->json, "chain_info.difficulty")) &&
		    jint(r, "chain_info.difficulty") == 4,
		    "get: difficulty defaults to 4");
		ok(json_equal(jget(r->json, "metadata"), created),
		    "get: metadata equals the create's");
		ok(json_object_size(r->json) == 4,
		    "get has exactly success, blockchain_id, chain_info, "
		    "metadata");
	}
	json_decref(created);
	return id;
}

/* The Python client: the documented snake_case object with booleans. */
static const char *
test_python_create(struct reply *r, const char *user)
{
	static char	 id[64];
	char		 body[1024];

	snprintf(body, sizeof(body),
	    "{\"name\": \"Fleet ledger\", \"first_name\": \" Jos\\u00e9 \","
	    " \"last_name\": \"N\\u00fa\\u00f1ez-O'Brien\","
	    " \"existing_licenses\": 2, \"user_uuid\": \"%s\","
	    " \"controller_role\": \"Owner\", \"difficulty\": 2,"
	    " \"dloid_params\": {\"chauffe_quantity\": 1000,"
	    " \"partnership\": true, \"collateralizable\": false,"
	    " \"inheritance\": \"Y\", \"convertibility\": \"2\","
	    " \"rating\": 25000, \"share_eligible\": false,"
	    " \"redeemability\": \"P\"}}", user);
	is_int(post(r, "/api/blockchains", body), 200,
	    "python create answers 200");
	ok(json_is_true(jget(r->json, "success")), "python: success");
	ok(has_keys(r->json, create_keys), "python: exactly the v1 keys");
	snprintf(id, sizeof(id), "%s", jstr(r, "blockchain_id") ?
	    jstr(r, "blockchain_id") : "");
	is_str(jstr(r, "controller_name"), "jnunezobrien-003",
	    "controller_name folds the names, licences + 1");
	is_str(jstr(r, "dloid_params"), "000000100010Y20000250000P",
	    "booleans encode as 1 and 0");
	ok(is_dloid(jstr(r, "genesis_dloid"), 2),
	    "genesis_dloid meets difficulty 2");
	is_str(jstr(r, "metadata.controller_role"), "owner",
	    "the role is matched without case and stored in lower case");
	is_str(jstr(r, "metadata.name"), "Fleet ledger", "the name as given");
	is_str(jstr(r, "metadata.user_uuid"), user, "python: user_uuid");
	ok(json_is_integer(jget(r->json, "metadata.dloid_info.chauffe_quantity"))
	    && jint(r, "metadata.dloid_info.chauffe_quantity") == 1000,
	    "python: chauffe_quantity decodes to 1000");
	is_str(jstr(r, "metadata.dloid_info.partnership"), "1",
	    "python: partnership true decodes to \"1\"");
	is_str(jstr(r, "metadata.dloid_info.share_eligible"), "0",
	    "python: share_eligible false decodes to \"0\"");
	is_str(sql_value("SELECT first_name || '|' || last_name FROM"
	    " cloudsim.blockchains WHERE id = $1", 1, (const char *[]){ id }),
	    "Jos\xc3\xa9|N\xc3\xba\xc3\xb1" "ez-O'Brien",
	    "names are stored trimmed, as given");
	return id;
}

/* A ready 25-character string, with the same user as the Python one. */
static const char *
test_string_create(struct reply *r, const char *user)
{
	static char	 id[64];
	char		 body[512];

	snprintf(body, sizeof(body), "{\"first_name\": \"Grace\","
	    " \"last_name\": \"Hopper\", \"user_uuid\": \"%s\","
	    " \"difficulty\": 1, \"dloid_params\": "
	    "\"1234567890ABCD123456789EF\"}", user);
	is_int(post(r, "/api/blockchains", body), 200,
	    "string create answers 200");
	snprintf(id, sizeof(id), "%s", jstr(r, "blockchain_id") ?
	    jstr(r, "blockchain_id") : "");
	is_str(jstr(r, "dloid_params"), "1234567890ABCD123456789EF",
	    "a ready string is kept");
	is_str(jstr(r, "metadata.dloid_info.convertibility"), "D",
	    "string: position 13 is convertibility");
	ok(jint(r, "metadata.dloid_info.rating") == 123456789,
	    "string: positions 14-22 are the rating");
	is_str(jstr(r, "controller_name"), "ghopper-001",
	    "string: controller_name");
	return id;
}

static void
test_list(struct reply *r, const char *browser, const char *python,
    const char *string, const char *user)
{
	char		 path[256];
	const char	*key;
	json_t		*v, *all;
	int		 same = 1;

	is_int(http(r, "GET", "/api/blockchains", NULL, NULL), 200,
	    "list is 200");
	ok(json_is_true(jget(r->json, "success")), "list: success");
	all = jget(r->json, "blockchains");
	ok(json_is_object(all), "list: blockchains is an object keyed by id");
	ok(json_is_integer(jget(r->json, "count")) &&
	    (size_t)jint(r, "count") == json_object_size(all),
	    "list: count is an integer, the number of chains");
	ok(json_object_get(all, browser) && json_object_get(all, python) &&
	    json_object_get(all, string), "list holds the three new chains");
	ok(has_keys(json_object_get(all, browser), meta_keys),
	    "list entries have exactly the metadata fields");
	ok(json_object_size(r->json) == 3,
	    "unpaged list is v1's success, count, blockchains");

	snprintf(path, sizeof(path), "/api/blockchains?user_uuid=%s", user);
	is_int(http(r, "GET", path, NULL, NULL), 200, "filtered list is 200");
	is_int(jint(r, "count"), 2, "user_uuid filter: exactly two chains");
	ok(json_object_get(jget(r->json, "blockchains"), python) &&
	    json_object_get(jget(r->json, "blockchains"), string),
	    "user_uuid filter: the user's chains");
	/* Listed in creation order: the Python chain came first. */
	key = json_object_iter_key(json_object_iter(jget(r->json,
	    "blockchains")));
	is_str(key, python, "the list is in creation order");

	is_int(http(r, "GET", "/api/blockchains?user_uuid="
	    "12345678-1234-1234-1234-123456789ABC", NULL, NULL), 200,
	    "filter by the test UUID in upper case");
	json_object_foreach(jget(r->json, "blockchains"), key, v)
		if (strcmp(json_string_value(json_object_get(v, "user_uuid")),
		    TEST_UUID) != 0)
			same = 0;
	ok(same && json_object_get(jget(r->json, "blockchains"), browser),
	    "every chain listed for the test UUID is its own");

	snprintf(path, sizeof(path),
	    "/api/blockchains?user_uuid=%s&page=2&page_size=1", user);
	is_int(http(r, "GET", path, NULL, NULL), 200, "a page of the list");
	is_int(jint(r, "count"), 1, "page: count is the page's");
	is_int(jint(r, "total"), 2, "page: total counts every match");
	is_int(jint(r, "page"), 2, "page: page");
	is_int(jint(r, "page_size"), 1, "page: page_size");
	is_int(jint(r, "total_pages"), 2, "page: total_pages");
	ok(json_object_get(jget(r->json, "blockchains"), string) != NULL,
	    "page 2 holds the second chain");
	snprintf(path, sizeof(path),
	    "/api/blockchains?user_uuid=%s&page=5", user);
	is_int(http(r, "GET", path, NULL, NULL), 200, "a page past the end");
	ok(jint(r, "count") == 0 && jint(r, "total") == 2 &&
	    json_object_size(jget(r->json, "blockchains")) == 0,
	    "past the end: empty, total still right");
}

static void
test_version_health(struct reply *r)
{
	const char	*v;

	is_int(http(r, "GET", "/api/version", NULL, NULL), 200, "version 200");
	v = jstr(r, "version");
	ok(v != NULL && strncmp(v, "1.", 2) == 0 &&
	    strchr(v + 2, '.') != NULL, "version is 1.x.y");
	is_str(jstr(r, "api_version"), "1.0", "api_version is 1.0");
	ok(jstr(r, "build") != NULL && *jstr(r, "build") != '\0',
	    "build is a non-empty string");
	ok(json_object_size(r->json) == 3, "version has exactly three keys");

	is_int(http(r, "GET", "/api/health", NULL, NULL), 200, "health 200");
	ok(json_is_true(jget(r->json, "success")), "health: success true");
	is_str(jstr(r, "status"), "healthy", "health: healthy");
	ok(is_timestamp(jstr(r, "timestamp")), "health: RFC 3339 timestamp");
	ok(jget(r->json, "version") == NULL, "health has no version key");
	is_str(http_header(r, "Content-Type"),
	    "application/json; charset=utf-8", "health is JSON");
}

/* Transactions, mine, blocks, validate, then tampering, on chain id. */
static void
test_chain(struct reply *r, const char *id)
{
	char		 path[256], hash1[80];
	const char	*genesis;
	json_t		*blocks;

	genesis = sql_value("SELECT hash FROM cloudsim.blocks"
	    " WHERE blockchain_id = $1 AND idx = 0", 1,
	    (const char *[]){ id });
	snprintf(hash1, sizeof(hash1), "%s", genesis ? genesis : "");

	snprintf(path, sizeof(path), "/api/blockchains/%s/transactions", id);
	is_int(post(r, path, "{\"sender\": \"alice\", \"recipient\": \"bob\","
	    " \"amount\": 5}"), 200, "add a transaction: 200");
	ok(json_is_true(jget(r->json, "success")), "transaction: success");
	ok(is_uuid(jstr(r, "transaction.id")), "transaction: id is a UUID");
	is_str(jstr(r, "transaction.sender"), "alice", "transaction: sender");
	is_str(jstr(r, "transaction.recipient"), "bob",
	    "transaction: recipient");
	ok(jint(r, "transaction.amount") == 5, "transaction: amount integer");
	ok(is_timestamp(jstr(r, "transaction.timestamp")),
	    "transaction: timestamp");
	ok(jget(r->json, "transaction.data") == NULL,
	    "transaction: no data when none was given");
	is_int(jint(r, "pending_transactions"), 1, "one pending");
	is_int(post(r, path, "{\"sender\": \"bob\", \"recipient\": \"carol\","
	    " \"amount\": 0, \"data\": {\"note\": \"caf\\u00e9\","
	    " \"x\": 1.5, \"a\": [1e2, null]}}"), 200,
	    "add a transaction with data");
	is_int(jint(r, "pending_transactions"), 2, "two pending");
	ok(json_is_object(jget(r->json, "transaction.data")),
	    "transaction: data echoed");

	snprintf(path, sizeof(path), "/api/blockchains/%s", id);
	http(r, "GET", path, NULL, NULL);
	is_int(jint(r, "chain_info.pending_transactions"), 2,
	    "chain_info counts the pending transactions");

	snprintf(path, sizeof(path), "/api/blockchains/%s/mine", id);
	is_int(post(r, path, "{}"), 200, "mine: 200");
	ok(json_is_true(jget(r->json, "success")), "mine: success");
	is_int(jint(r, "block.index"), 1, "mine: block 1");
	is_str(jstr(r, "block.previous_hash"), hash1,
	    "mine: linked to the genesis block");
	ok(jstr(r, "block.hash") != NULL &&
	    strncmp(jstr(r, "block.hash"), "00", 2) == 0,
	    "mine: hash meets difficulty 2");
	is_int(jint(r, "mined_transactions"), 2, "mine: both transactions");
	is_int(jint(r, "length"), 2, "mine: the chain is 2 long");
	ok(json_array_size(jget(r->json, "block.data.transactions")) == 2,
	    "mine: the block lists the transactions");
	is_int(rows_of("SELECT count(*) FROM cloudsim.pending_transactions"
	    " WHERE blockchain_id = $1", id), 0, "mine: nothing left pending");
	is_int(rows_of("SELECT count(*) FROM cloudsim.audit_log WHERE"
	    " action = 'blockchains.mine' AND status = 200"
	    " AND $1 = ANY (resource_ids)", id), 1, "mine: audited");

	is_int(post(r, path, "{}"), 400, "mine with nothing pending: 400");
	ok(json_is_false(jget(r->json, "success")), "mine 400: success false");
	ok(jstr(r, "error") && strstr(jstr(r, "error"),
	    "no pending transactions"), "mine 400: says why");
	is_int(rows_of("SELECT count(*) FROM cloudsim.blocks"
	    " WHERE blockchain_id = $1", id), 2, "mine 400: no block added");

	snprintf(path, sizeof(path), "/api/blockchains/%s/blocks", id);
	is_int(http(r, "GET", path, NULL, NULL), 200, "blocks: 200");
	blocks = jget(r->json, "blocks");
	ok(json_array_size(blocks) == 2 && jint(r, "total") == 2 &&
	    jint(r, "count") == 2 && jint(r, "page") == 1 &&
	    jint(r, "page_size") == 20 && jint(r, "total_pages") == 1,
	    "blocks: both, with the page envelope");
	ok(json_integer_value(json_object_get(json_array_get(blocks, 0),
	    "index")) == 0 && json_integer_value(json_object_get(
	    json_array_get(blocks, 1), "index")) == 1, "blocks: in index order");
	ok(json_is_integer(json_object_get(json_array_get(blocks, 1),
	    "nonce")) && json_is_string(json_object_get(json_array_get(blocks,
	    1), "hash")), "blocks: nonce integer, hash string");
	is_str(json_string_value(jget(json_array_get(blocks, 0),
	    "data.type")), "genesis", "blocks: block 0 is the genesis block");
	snprintf(path, sizeof(path),
	    "/api/blockchains/%s/blocks?page=2&page_size=1", id);
	is_int(http(r, "GET", path, NULL, NULL), 200, "blocks page 2");
	ok(json_array_size(jget(r->json, "blocks")) == 1 &&
	    json_integer_value(json_object_get(json_array_get(jget(r->json,
	    "blocks"), 0), "index")) == 1 && jint(r, "total_pages") == 2,
	    "blocks page 2 of size 1 is block 1");

	snprintf(path, sizeof(path), "/api/blockchains/%s/validate", id);
	is_int(http(r, "GET", path, NULL, NULL), 200, "validate: 200");
	ok(json_is_true(jget(r->json, "valid")), "validate: the chain is valid");
	is_int(jint(r, "length"), 2, "validate: length");
	ok(json_is_null(jget(r->json, "broken_block")) &&
	    json_is_null(jget(r->json, "reason")),
	    "validate: nothing broken");

	/* Tamper with block 1's data as an intruder with SQL access would. */
	is_int(sql_exec("UPDATE cloudsim.blocks SET data ="
	    " '{\"transactions\":[],\"type\":\"transactions\"}'"
	    " WHERE blockchain_id = $1 AND idx = 1", 1,
	    (const char *[]){ id }), 1, "tamper with block 1's data");
	is_int(http(r, "GET", path, NULL, NULL), 200, "validate tampered: 200");
	ok(json_is_false(jget(r->json, "valid")), "tampered: not valid");
	is_int(jint(r, "broken_block"), 1, "tampered: block 1 is reported");
	ok(jstr(r, "reason") != NULL && strstr(jstr(r, "reason"), "hash"),
	    "tampered: the hash no longer matches");
	sql_exec("UPDATE cloudsim.blocks SET data = 'not json'"
	    " WHERE blockchain_id = $1 AND idx = 1", 1,
	    (const char *[]){ id });
	http(r, "GET", path, NULL, NULL);
	ok(json_is_false(jget(r->json, "valid")) &&
	    jint(r, "broken_block") == 1 && jstr(r, "reason") &&
	    strstr(jstr(r, "reason"), "JSON"),
	    "data that is no JSON is reported too");
}

/*
 * A racer: forked before the parent's first HTTP call, so its client
 * is its own.  Waits for the chain id on fd, adds a transaction and
 * mines.  Exit status: 0 fine, 1 add failed, 2 mine answered neither
 * 200 nor 400, 3 no id.
 */
static void
racer(int fd, int n)
{
	struct reply	 r = { 0 };
	char		 id[64], path[128], body[128];
	ssize_t		 got;
	int		 rc = 0;

	got = read(fd, id, 36);
	close(fd);
	if (got != 36)
		_exit(3);
	id[36] = '\0';
	snprintf(path, sizeof(path), "/api/blockchains/%s/transactions", id);
	snprintf(body, sizeof(body), "{\"sender\": \"racer%d\","
	    " \"recipient\": \"pool\", \"amount\": %d}", n, n);
	if (http(&r, "POST", path, body, NULL) != 200)
		rc = 1;
	snprintf(path, sizeof(path), "/api/blockchains/%s/mine", id);
	if (rc == 0 && http(&r, "POST", path, "{}", NULL) != 200 &&
	    r.status != 400)
		rc = 2;
	if (rc != 0)
		fprintf(stderr, "racer %d: %ld %s\n", n, r.status, r.body);
	http_free(&r);
	exit(rc);
}

static void
start_racers(pid_t pids[RACERS], int fds[RACERS])
{
	int	 p[2], i, j;

	fflush(stdout);
	for (i = 0; i < RACERS; i++) {
		pids[i] = -1;
		fds[i] = -1;
		if (pipe(p) != 0)
			continue;
		if ((pids[i] = fork()) == 0) {
			/* Only the parent may hold a racer's write end. */
			for (j = 0; j < i; j++)
				close(fds[j]);
			close(p[1]);
			racer(p[0], i);
		}
		close(p[0]);
		fds[i] = p[1];
	}
}

static void
test_race(struct reply *r, pid_t pids[RACERS], int fds[RACERS])
{
	char		 id[64], path[128];
	const char	*one;
	int		 i, status, fine = 0;

	is_int(post(r, "/api/blockchains", "{\"first_name\": \"Race\","
	    " \"last_name\": \"Track\", \"difficulty\": 2}"), 200,
	    "race: a chain to mine on");
	snprintf(id, sizeof(id), "%s", jstr(r, "blockchain_id") ?
	    jstr(r, "blockchain_id") : "");
	/* Release them all at once. */
	for (i = 0; i < RACERS; i++) {
		if (fds[i] >= 0 && write(fds[i], id, 36) != 36)
			tap_diag("race: could not release a racer");
		close(fds[i]);
	}
	for (i = 0; i < RACERS; i++)
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			fine++;
	is_int(fine, RACERS, "race: every racer added and mined, no 500");

	is_str(sql_value("SELECT count(*) = count(DISTINCT idx) AND"
	    " max(idx) + 1 = count(*) FROM cloudsim.blocks"
	    " WHERE blockchain_id = $1", 1, (const char *[]){ id }), "t",
	    "race: block indexes are 0..k without duplicates");
	is_int(rows_of("SELECT count(*) FROM cloudsim.pending_transactions"
	    " WHERE blockchain_id = $1", id), 0,
	    "race: every transaction was mined");
	one = sql_value("SELECT sum(json_array_length((data::json)"
	    " -> 'transactions')) FROM cloudsim.blocks"
	    " WHERE blockchain_id = $1 AND idx > 0", 1,
	    (const char *[]){ id });
	is_str(one, "8", "race: the blocks hold the 8 transactions once each");
	snprintf(path, sizeof(path), "/api/blockchains/%s/validate", id);
	is_int(http(r, "GET", path, NULL, NULL), 200, "race: validate 200");
	ok(json_is_true(jget(r->json, "valid")), "race: the chain validates");
}

/* A refusal: status, success false, a message holding want. */
static void
refused(struct reply *r, long status, const char *want, const char *name)
{
	char	 n[256];

	snprintf(n, sizeof(n), "%s: %ld", name, status);
	is_int(r->status, status, n);
	snprintf(n, sizeof(n), "%s: v1 error body, says '%s'", name, want);
	if (!ok(json_is_false(jget(r->json, "success")) &&
	    jstr(r, "error") != NULL && strstr(jstr(r, "error"), want) != NULL,
	    n))
		printf("#   body: %s\n", r->body);
}

static void
bad_create(struct reply *r, const char *body, const char *want,
    const char *name)
{
	post(r, "/api/blockchains", body);
	refused(r, 400, want, name);
}

#define PERSON	"\"first_name\": \"Ada\", \"last_name\": \"Lovelace\""

static void
test_bad_input(struct reply *r, const char *id)
{
	const char	*ct_text[] = { "Content-Type: text/plain", NULL };
	char		 path[256];
	long		 chains = rows("blockchains"), blocks = rows("blocks");
	long		 pending = rows("pending_transactions");
	long		 failures = rows_of("SELECT count(*) FROM"
			    " cloudsim.audit_log WHERE action = $1"
			    " AND status = 400", "blockchains.create");

	bad_create(r, "{" PERSON ", \"user_uuid\": \"not-a-uuid\"}",
	    "user_uuid must be a UUID in 8-4-4-4-12 hex form, got 'not-a-uuid'",
	    "user_uuid not a UUID");
	bad_create(r, "{" PERSON ", \"user_uuid\":"
	    " \"12345678123412341234123456789abc\"}",
	    "user_uuid must be a UUID", "user_uuid without dashes");
	bad_create(r, "{" PERSON ", \"existing_licenses\": -1}",
	    "existing_licenses must be an integer between 0 and 999999, "
	    "got '-1'", "negative existing_licenses");
	bad_create(r, "{" PERSON ", \"existing_licenses\": 1.5}",
	    "existing_licenses must be an integer", "real existing_licenses");
	bad_create(r, "{" PERSON ", \"existing_licenses\": \"two\"}",
	    "existing_licenses must be an integer", "text existing_licenses");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"chauffe_quantity\":"
	    " 12345678901}}", "dloid_params.chauffe_quantity must be at most "
	    "10 digits, got '12345678901'", "quantity over 10 digits");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"chauffeQuantity\":"
	    " \"00001000000\"}}", "dloid_params.chauffeQuantity must be at "
	    "most 10 digits", "form quantity over 10 digits");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"rating\":"
	    " 1234567890}}", "dloid_params.rating must be at most 9 digits",
	    "rating over 9 digits");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"partnership\":"
	    " \"yes\"}}", "dloid_params.partnership must be true, false or "
	    "one letter or digit, got 'yes'", "non-boolean flag (text)");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"share_eligible\":"
	    " 1}}", "dloid_params.share_eligible must be true, false",
	    "non-boolean flag (number)");
	bad_create(r, "{" PERSON ", \"dloid_params\": {\"partnershipStatus\":"
	    " true}}", "dloid_params.partnershipStatus must be one letter or "
	    "digit", "boolean in the form object");
	bad_create(r, "{" PERSON ", \"dloid_params\": \"0000100000LNY2\"}",
	    "dloid_params must be 25 characters", "short dloid string");
	bad_create(r, "{" PERSON ", \"difficulty\": 0}",
	    "difficulty must be between 1 and 6, got '0'", "difficulty 0");
	bad_create(r, "{" PERSON ", \"difficulty\": 7}",
	    "difficulty must be between 1 and 6, got '7'", "difficulty 7");
	bad_create(r, "{" PERSON ", \"difficulty\": \"4\"}",
	    "difficulty must be an integer", "difficulty as text");
	bad_create(r, "{" PERSON ", \"controller_role\": \"emperor\"}",
	    "controller_role must be one of", "unknown role");
	bad_create(r, "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
	    " \"name\": 42}", "name must be a string", "name not a string");
	bad_create(r, "{\"last_name\": \"Lovelace\"}", "first_name",
	    "missing first_name");
	bad_create(r, "{\"first_name\": \"Ada\"}", "last_name",
	    "missing last_name");
	bad_create(r, "{\"first_name\": \"  \", \"last_name\": \"X\"}",
	    "first_name must not be blank", "blank first_name");
	bad_create(r, "{\"first_name\": \"Ada\", ", "not valid JSON",
	    "garbage JSON");
	bad_create(r, "[1, 2]", "must be a JSON object", "JSON not an object");
	http(r, "POST", "/api/blockchains", "{" PERSON "}", ct_text);
	refused(r, 400, "application/json", "wrong content type");

	is_int(rows("blockchains"), chains, "bad creates wrote no chain");
	is_int(rows("blocks"), blocks, "bad creates wrote no block");
	is_int(rows_of("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE action = $1 AND status = 400", "blockchains.create"),
	    failures + 23, "each refused create left a failure audit row");

	/* Unknown and malformed ids: 404 on every route. */
	http(r, "GET", "/api/blockchains/0f0e0d0c-0b0a-4908-8706-050403020100",
	    NULL, NULL);
	refused(r, 404, "the blockchain '0f0e0d0c-0b0a-4908-8706-050403020100'"
	    " does not exist", "unknown id");
	http(r, "GET", "/api/blockchains/not-an-id", NULL, NULL);
	refused(r, 404, "does not exist", "malformed id");
	post(r, "/api/blockchains/0f0e0d0c-0b0a-4908-8706-050403020100"
	    "/transactions", "{\"sender\": \"a\", \"recipient\": \"b\","
	    " \"amount\": 1}");
	refused(r, 404, "does not exist", "transaction on an unknown chain");
	post(r, "/api/blockchains/nope/mine", "{}");
	refused(r, 404, "does not exist", "mine an unknown chain");
	http(r, "GET", "/api/blockchains/nope/blocks", NULL, NULL);
	refused(r, 404, "does not exist", "blocks of an unknown chain");
	http(r, "GET", "/api/blockchains/0f0e0d0c-0b0a-4908-8706-050403020100"
	    "/validate", NULL, NULL);
	refused(r, 404, "does not exist", "validate an unknown chain");

	/* Transactions. */
	snprintf(path, sizeof(path), "/api/blockchains/%s/transactions", id);
	post(r, path, "{\"recipient\": \"b\", \"amount\": 1}");
	refused(r, 400, "sender", "transaction without sender");
	post(r, path, "{\"sender\": \"a\", \"amount\": 1}");
	refused(r, 400, "recipient", "transaction without recipient");
	post(r, path, "{\"sender\": \"a\", \"recipient\": \"b\"}");
	refused(r, 400, "amount", "transaction without amount");
	post(r, path, "{\"sender\": \"a\", \"recipient\": \"b\","
	    " \"amount\": -1}");
	refused(r, 400, "amount must be between 0 and 9007199254740991",
	    "negative amount");
	post(r, path, "{\"sender\": \"a\", \"recipient\": \"b\","
	    " \"amount\": \"5\"}");
	refused(r, 400, "amount must be an integer", "amount as text");
	post(r, path, "{\"sender\": \"a\", \"recipient\": \"b\","
	    " \"amount\": 9007199254740992}");
	refused(r, 400, "amount must be between", "amount over 2^53 - 1");
	post(r, path, "nope");
	refused(r, 400, "not valid JSON", "transaction garbage JSON");
	http(r, "POST", path, "{\"sender\": \"a\"}", ct_text);
	refused(r, 400, "application/json", "transaction wrong content type");
	snprintf(path, sizeof(path), "/api/blockchains/%s/mine", id);
	post(r, path, "{oops");
	refused(r, 400, "not valid JSON", "mine with a garbage body");

	/* Queries. */
	http(r, "GET", "/api/blockchains?user_uuid=xyz", NULL, NULL);
	refused(r, 400, "user_uuid must be a UUID", "list with a bad user_uuid");
	http(r, "GET", "/api/blockchains?page=0", NULL, NULL);
	refused(r, 400, "page must be an integer between 1 and", "page 0");
	http(r, "GET", "/api/blockchains?page_size=1001", NULL, NULL);
	refused(r, 400, "page_size must be an integer between 1 and 1000",
	    "page_size 1001");
	snprintf(path, sizeof(path), "/api/blockchains/%s/blocks?page=x", id);
	http(r, "GET", path, NULL, NULL);
	refused(r, 400, "page must be an integer", "blocks page x");

	/* Routes and methods. */
	http(r, "GET", "/api/blockchains/a/b/c", NULL, NULL);
	refused(r, 404, "no operation", "unknown route");
	http(r, "DELETE", "/api/blockchains", NULL, NULL);
	refused(r, 405, "not allowed", "DELETE on the collection");
	ok(http_header(r, "Allow") != NULL &&
	    strstr(http_header(r, "Allow"), "POST") != NULL,
	    "405 has Allow with POST");
	is_int(http(r, "OPTIONS", "/api/blockchains", NULL, NULL), 204,
	    "OPTIONS preflight on /api/blockchains is 204");
	ok(http_header(r, "Access-Control-Allow-Methods") != NULL &&
	    strstr(http_header(r, "Access-Control-Allow-Methods"), "POST"),
	    "preflight allows POST");

	is_int(rows("blockchains"), chains, "no refusal wrote a chain");
	is_int(rows("blocks"), blocks, "no refusal wrote a block");
	is_int(rows("pending_transactions"), pending,
	    "no refusal wrote a pending transaction");
}

/* One CGI exchange: status, headers and body of the reply. */
struct cgi_reply {
	int	 status;	/* -1: no reply (the process refused to start) */
	int	 exit_status;
	char	 out[16384];
	char	*body;
	json_t	*json;
};

/*
 * Run blockchains.fcgi as plain CGI with the test's environment plus
 * env (NULL-terminated "KEY=value" strings) for one request.
 */
static void
cgi(struct cgi_reply *c, const char *method, const char *uri,
    const char *body, const char *const *env)
{
	static const char *const keep[] = { "DATA_DIRECTORY", "CLOUDSIM_CONF",
		"CLOUDSIM_DB", "ASAN_OPTIONS", "UBSAN_OPTIONS", "PATH", NULL };
	char		 exe[1024], *envp[48], clen[48], *q;
	const char	*dir = getenv("CLOUDSIM_CGI"), *v;
	int		 in[2], out[2], n = 0, i, status;
	size_t		 got = 0;
	ssize_t		 k;
	pid_t		 pid;

	json_decref(c->json);
	memset(c, 0, sizeof(*c));
	c->status = -1;
	snprintf(exe, sizeof(exe), "%s/blockchains.fcgi", dir ? dir : "cgi-bin");
	for (i = 0; keep[i] != NULL; i++)
		if ((v = getenv(keep[i])) != NULL) {
			char *e = malloc(strlen(keep[i]) + strlen(v) + 2);
			sprintf(e, "%s=%s", keep[i], v);
			envp[n++] = e;
		}
	envp[n++] = strdup("LOG_LEVEL=error");
	envp[n++] = strdup("GATEWAY_INTERFACE=CGI/1.1");
	envp[n++] = strdup("REMOTE_ADDR=127.0.0.1");
	q = strchr(uri, '?');
	{
		char *e = malloc(strlen(uri) + 32);
		sprintf(e, "REQUEST_URI=%s", uri);
		envp[n++] = e;
		e = malloc(strlen(uri) + 32);
		sprintf(e, "QUERY_STRING=%s", q ? q + 1 : "");
		envp[n++] = e;
		e = malloc(strlen(method) + 32);
		sprintf(e, "REQUEST_METHOD=%s", method);
		envp[n++] = e;
	}
	if (body != NULL) {
		snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
		envp[n++] = strdup(clen);
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
		execve(exe, (char *const *)envp, envp);
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
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		c->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
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

/* The value of header name in a CGI reply, or NULL (static storage). */
static const char *
cgi_header(const struct cgi_reply *c, const char *name)
{
	static char	 value[512];
	const char	*p = c->out, *eol;
	size_t		 len = strlen(name);

	while ((eol = strstr(p, "\r\n")) != NULL && eol != p) {
		if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
			snprintf(value, sizeof(value), "%.*s",
			    (int)(eol - p - len - 2), p + len + 2);
			return value;
		}
		p = eol + 2;
	}
	return NULL;
}

static void
test_auth_modes(void)
{
	struct cgi_reply c = { 0 };
	const char	*api_key[] = { "CLOUDSIM_BLOCKCHAINS_AUTH=api_key",
			    "CLOUDSIM_BLOCKCHAINS_API_KEY=k3y-0f-the-fleet",
			    NULL, NULL };
	const char	*jwt[] = { "CLOUDSIM_BLOCKCHAINS_AUTH=jwt", NULL };
	const char	*bogus[] = { "CLOUDSIM_BLOCKCHAINS_AUTH=basic", NULL };
	const char	*nokey[] = { "CLOUDSIM_BLOCKCHAINS_AUTH=api_key", NULL };
	const char	*cors[] = { "CLOUDSIM_CORS_ALLOWED_ORIGINS="
			    "https://app.mychauffe.example", "HTTP_ORIGIN="
			    "https://app.mychauffe.example", NULL };
	const char	*evil[] = { "CLOUDSIM_CORS_ALLOWED_ORIGINS="
			    "https://app.mychauffe.example", "HTTP_ORIGIN="
			    "https://evil.example", NULL };
	long		 chains = rows("blockchains");

	if (getenv("CLOUDSIM_CGI") == NULL) {
		tap_diag("CLOUDSIM_CGI is not set: auth modes not tested");
		return;
	}
	cgi(&c, "GET", "/api/blockchains", NULL, NULL);
	is_int(c.status, 200, "cgi: the executable answers as plain CGI");

	cgi(&c, "GET", "/api/blockchains?page_size=1", NULL, api_key);
	is_int(c.status, 401, "api_key: no X-API-Key is 401");
	ok(json_is_false(json_object_get(c.json, "success")) &&
	    strstr(c.body ? c.body : "", "X-API-Key") != NULL,
	    "api_key: the v1 error names the header");
	api_key[2] = "HTTP_X_API_KEY=k3y-0f-the-fleeT";
	cgi(&c, "GET", "/api/blockchains?page_size=1", NULL, api_key);
	is_int(c.status, 401, "api_key: a wrong key of the same length is 401");
	api_key[2] = "HTTP_X_API_KEY=k3y";
	cgi(&c, "GET", "/api/blockchains?page_size=1", NULL, api_key);
	is_int(c.status, 401, "api_key: a prefix of the key is 401");
	api_key[2] = "HTTP_X_API_KEY=k3y-0f-the-fleet";
	cgi(&c, "GET", "/api/blockchains?page_size=1", NULL, api_key);
	is_int(c.status, 200, "api_key: the right key is 200");
	api_key[2] = NULL;
	cgi(&c, "POST", "/api/blockchains", "{" PERSON ", \"difficulty\": 1}",
	    api_key);
	is_int(c.status, 401, "api_key: create without the key is 401");
	is_int(rows("blockchains"), chains, "api_key: and writes nothing");
	cgi(&c, "GET", "/api/health", NULL, api_key);
	is_int(c.status, 200, "api_key: /api/health stays open");
	cgi(&c, "GET", "/api/version", NULL, api_key);
	is_int(c.status, 200, "api_key: /api/version stays open");

	cgi(&c, "GET", "/api/blockchains", NULL, jwt);
	is_int(c.status, 401, "jwt: no credentials is 401");
	ok(json_is_false(json_object_get(c.json, "success")),
	    "jwt: the 401 has the v1 error body");

	cgi(&c, "GET", "/api/health", NULL, bogus);
	ok(c.status == -1 && c.exit_status != 0,
	    "an unknown blockchains_auth mode refuses to start");
	cgi(&c, "GET", "/api/health", NULL, nokey);
	ok(c.status == -1 && c.exit_status != 0,
	    "api_key without a key refuses to start");

	cgi(&c, "GET", "/api/health", NULL, cors);
	is_str(cgi_header(&c, "Access-Control-Allow-Origin"),
	    "https://app.mychauffe.example",
	    "CORS: the web app's origin is allowed");
	cgi(&c, "GET", "/api/health", NULL, evil);
	ok(cgi_header(&c, "Access-Control-Allow-Origin") == NULL,
	    "CORS: another origin gets no header");
	json_decref(c.json);
}

/* A JWT-mode request as a: env for cgi(), with the bearer token. */
static const char *const *
as_jwt(const struct test_account *a, char *auth, size_t size)
{
	static const char	*env[3];

	snprintf(auth, size, "HTTP_AUTHORIZATION=Bearer %s", a->token);
	env[0] = "CLOUDSIM_BLOCKCHAINS_AUTH=jwt";
	env[1] = auth;
	env[2] = NULL;
	return env;
}

/* The total a JWT-mode list as a answers for uri, or -1. */
static long
jwt_total(struct cgi_reply *c, const struct test_account *a, const char *uri)
{
	char	auth[4200];

	cgi(c, "GET", uri, NULL, as_jwt(a, auth, sizeof(auth)));
	if (c->status != 200)
		return -1;
	return (long)json_integer_value(json_object_get(c->json, "total"));
}

/*
 * In jwt mode a caller lists its own account's chains, alone or by
 * user_uuid, and an admin lists every account's.  Each scope is its own
 * statement (chains.c); each is checked here, paged and not.
 */
static void
test_jwt_scopes(void)
{
	struct cgi_reply	 c = { 0 };
	struct test_account	 a, b, admin;
	char			 auth[4200], user[64], uri[160], mine[2][40],
				 theirs[40], body[256], name[64];
	const char		*p[1], *id;
	json_t			*chains;
	int			 i;

	if (getenv("CLOUDSIM_CGI") == NULL) {
		tap_diag("CLOUDSIM_CGI is not set: jwt scopes not tested");
		return;
	}
	if (!account_new(&a) || !account_new(&b) || !account_new(&admin)) {
		ok(0, "jwt scopes: three accounts");
		return;
	}
	snprintf(user, sizeof(user), "%08lx-0000-1000-8000-%012lx",
	    (unsigned long)time(NULL) & 0xffffffffUL,
	    (unsigned long)getpid() + 1);
	/* a: one chain of the user, one of no user; b: one of the user. */
	for (i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{" PERSON ", \"difficulty\": 1%s%s%s}",
		    i == 1 ? "" : ", \"user_uuid\": \"", i == 1 ? "" : user,
		    i == 1 ? "" : "\"");
		cgi(&c, "POST", "/api/blockchains", body,
		    as_jwt(i < 2 ? &a : &b, auth, sizeof(auth)));
		snprintf(name, sizeof(name), "jwt scopes: chain %d made", i);
		is_int(c.status, 200, name);
		id = json_string_value(json_object_get(c.json, "blockchain_id"));
		if (c.status != 200 || id == NULL) {
			json_decref(c.json);
			return;
		}
		snprintf(i < 2 ? mine[i] : theirs, sizeof(theirs), "%s", id);
	}

	is_int(jwt_total(&c, &a, "/api/blockchains?page_size=50"), 2,
	    "jwt: a caller's list counts its account's chains only");
	chains = json_object_get(c.json, "blockchains");
	ok(json_object_size(chains) == 2 &&
	    json_object_get(chains, mine[0]) != NULL &&
	    json_object_get(chains, mine[1]) != NULL,
	    "jwt: and lists exactly those");
	cgi(&c, "GET", "/api/blockchains", NULL, as_jwt(&a, auth, sizeof(auth)));
	chains = json_object_get(c.json, "blockchains");
	ok(c.status == 200 && json_object_size(chains) == 2 &&
	    json_object_get(chains, theirs) == NULL,
	    "jwt: the unpaged list too");
	is_int(jwt_total(&c, &a, "/api/blockchains?page=2&page_size=1"), 2,
	    "jwt: a second page keeps the account's total");
	chains = json_object_get(c.json, "blockchains");
	ok(json_object_size(chains) == 1 &&
	    json_object_get(chains, mine[1]) != NULL &&
	    json_integer_value(json_object_get(c.json, "total_pages")) == 2,
	    "jwt: and holds the account's second chain");

	snprintf(uri, sizeof(uri), "/api/blockchains?user_uuid=%s&page=1", user);
	is_int(jwt_total(&c, &a, uri), 1,
	    "jwt: user_uuid within the account: the account's chain only");
	chains = json_object_get(c.json, "blockchains");
	ok(json_object_get(chains, mine[0]) != NULL,
	    "jwt: the account's chain of that user");
	is_int(jwt_total(&c, &b, uri), 1,
	    "jwt: the other account sees its own chain of the user");
	chains = json_object_get(c.json, "blockchains");
	ok(json_object_get(chains, theirs) != NULL &&
	    json_object_get(chains, mine[0]) == NULL,
	    "jwt: and not the first account's");
	snprintf(uri, sizeof(uri), "/api/blockchains/%s", mine[0]);
	cgi(&c, "GET", uri, NULL, as_jwt(&b, auth, sizeof(auth)));
	is_int(c.status, 404, "jwt: another account's chain is not found");

	p[0] = admin.user_id;
	sql_exec("UPDATE cloudsim.users SET role = 'admin' WHERE id = $1::uuid",
	    1, p);
	if (!account_login(&admin)) {
		ok(0, "jwt scopes: the admin logs in again");
		json_decref(c.json);
		return;
	}
	is_int(jwt_total(&c, &admin, "/api/blockchains?page_size=1"),
	    rows("blockchains"),
	    "jwt: an admin's list counts every account's chains");
	snprintf(uri, sizeof(uri), "/api/blockchains?user_uuid=%s&page=1", user);
	is_int(jwt_total(&c, &admin, uri), 2,
	    "jwt: an admin's user_uuid list spans the accounts");
	cgi(&c, "GET", uri, NULL, NULL);
	ok(c.status == 200 &&
	    json_integer_value(json_object_get(c.json, "total")) == 2,
	    "open mode: the user_uuid list spans the accounts");
	json_decref(c.json);
}

int
main(void)
{
	struct reply	 r = { 0 };
	pid_t		 pids[RACERS];
	int		 fds[RACERS];
	char		 user[64], browser[64], python[64], string[64], *p;

	/* Before any HTTP call, so that each racer's client is its own. */
	start_racers(pids, fds);

	snprintf(user, sizeof(user), "%08lx-0000-1000-8000-%012lx",
	    (unsigned long)time(NULL) & 0xffffffffUL,
	    (unsigned long)getpid());
	test_version_health(&r);
	snprintf(browser, sizeof(browser), "%s", test_browser_create(&r));
	snprintf(python, sizeof(python), "%s", test_python_create(&r, user));
	snprintf(string, sizeof(string), "%s", test_string_create(&r, user));
	test_list(&r, browser, python, string, user);
	test_chain(&r, python);
	test_race(&r, pids, fds);
	test_bad_input(&r, string);
	test_auth_modes();
	test_jwt_scopes();

	/* An upper-case id names the same chain. */
	{
		char	 path[128];

		snprintf(path, sizeof(path), "/api/blockchains/%s", string);
		for (p = path + strlen("/api/blockchains/"); *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 'a' + 'A');
		is_int(http(&r, "GET", path, NULL, NULL), 200,
		    "an upper-case id finds the chain");
		is_str(jstr(&r, "blockchain_id"), string,
		    "and answers with the id in lower case");
	}
	http_free(&r);
	return tap_done();
}
