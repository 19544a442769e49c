/*
 * Blocks: the canonical serialization and its hash against answers
 * computed independently (Python hashlib), mining at difficulty 1..4,
 * the chain check on each kind of tampering, and difficulty bounds.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "blockchains/block.h"

#define ZEROS	BLOCK_GENESIS_PREVIOUS_HASH
#define CHAIN_LEN	4
#define CHAIN_DIFFICULTY 3

/* A block with fixed fields, so that its hash is known in advance. */
static void
fixed_block(struct block *b, uint64_t index, const char *ts,
    const char *prev, uint64_t nonce, json_t *data)
{
	memset(b, 0, sizeof(*b));
	b->index = index;
	strcpy(b->timestamp, ts);
	strcpy(b->previous_hash, prev);
	b->nonce = nonce;
	b->data = data;
}

static void
test_known_answers(void)
{
	struct api_error	 err;
	struct block		 b;
	json_t			*data, *same;
	char			*s, hash[BLOCK_HASH_LEN + 1];
	char			 other[BLOCK_HASH_LEN + 1];

	data = json_loads("{\"c\": \"caf\\u00e9\", \"b\": [true, null], "
	    "\"a\": 1}", 0, NULL);
	fixed_block(&b, 0, "2026-01-31T12:00:00.000Z", ZEROS, 42, data);
	s = block_serialize(&b, &err);
	is_str(s, "0|2026-01-31T12:00:00.000Z|" ZEROS
	    "|{\"a\":1,\"b\":[true,null],\"c\":\"caf\xc3\xa9\"}|42",
	    "serialization: compact, sorted keys, UTF-8, nonce last");
	free(s);
	ok(block_hash(&b, hash, &err), "hash");
	is_str(hash, "6615e5d5f3f1f7dc5ed1b24faf6b205e"
	    "4c2de4df4ecb064b7a4ecdab9b99361f", "hash: known answer");

	/* The same members added in another order hash the same. */
	same = json_pack("{s:i, s:[b, n], s:s}", "a", 1, "b", 1,
	    "c", "caf\xc3\xa9");
	b.data = same;
	ok(block_hash(&b, other, &err), "hash of reordered data");
	is_str(other, hash, "key order does not change the hash");
	json_decref(same);
	json_decref(data);

	fixed_block(&b, 3, "2026-01-31T12:00:03.000Z",
	    "abababababababababababababababababababababababababababababababab",
	    UINT64_MAX, NULL);
	s = block_serialize(&b, &err);
	is_str(s, "3|2026-01-31T12:00:03.000Z|abababababababababababababab"
	    "abababababababababababababababababab|null|18446744073709551615",
	    "serialization: no data is null, largest nonce");
	free(s);
	ok(block_hash(&b, hash, &err), "hash with no data");
	is_str(hash, "0ca2e9a73688ded88d40abc7c395f6ea"
	    "664d426fd438c26292fecd017c763158", "hash: second known answer");
}

static void
test_malformed(void)
{
	struct api_error	 err;
	struct block		 b;
	char			 hash[BLOCK_HASH_LEN + 1];

	fixed_block(&b, 0, "2026-01-31 12:00:00.000Z", ZEROS, 0, NULL);
	memset(&err, 0, sizeof(err));
	ok(block_serialize(&b, &err) == NULL, "malformed timestamp refused");
	is_int(err.status, 500, "malformed timestamp: 500");
	is_str(err.code, "InternalError", "malformed timestamp: code");

	fixed_block(&b, 0, "2026-01-31T12:00:00.000Z",
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0", 0, NULL);
	ok(!block_hash(&b, hash, &err), "65-digit previous_hash refused");
	fixed_block(&b, 0, "2026-01-31T12:00:00.000Z",
	    "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
	    0, NULL);
	ok(!block_hash(&b, hash, &err), "upper-case previous_hash refused");
}

static void
test_difficulty(void)
{
	struct api_error	 err;
	struct block		 b, copy;

	ok(block_check_difficulty(1, &err), "difficulty 1");
	ok(block_check_difficulty(6, &err), "difficulty 6");
	memset(&err, 0, sizeof(err));
	ok(!block_check_difficulty(7, &err), "difficulty 7 refused");
	is_int(err.status, 400, "difficulty 7: 400");
	is_str(err.code, "InvalidParameterValue", "difficulty 7: code");
	is_str(err.message, "difficulty must be between 1 and 6, got '7'",
	    "difficulty 7: message");
	ok(!block_check_difficulty(0, &err), "difficulty 0 refused");
	is_str(err.message, "difficulty must be between 1 and 6, got '0'",
	    "difficulty 0: message");
	ok(!block_check_difficulty(LLONG_MAX, &err), "huge difficulty refused");
	ok(!block_check_difficulty(-4294967292LL, &err),
	    "difficulty that would wrap to 4 as an int refused");

	ok(block_meets_difficulty("000a" "000000000000000000000000000000"
	    "000000000000000000000000000000", 3), "3 zeros meet 3");
	ok(!block_meets_difficulty("000a" "0000000000000000000000000000"
	    "00000000000000000000000000000000", 4), "3 zeros miss 4");
	ok(block_meets_difficulty(ZEROS, 6), "all zeros meet 6");
	ok(!block_meets_difficulty(ZEROS, 7), "difficulty 7 never met");
	ok(!block_meets_difficulty(ZEROS, 0), "difficulty 0 never met");
	ok(!block_meets_difficulty("0000", 1), "short hash");
	ok(!block_meets_difficulty("0000000000000000000000000000000000000000"
	    "00000000000000000000000A", 1), "upper-case hex");
	ok(!block_meets_difficulty(NULL, 1), "NULL hash");

	fixed_block(&b, 0, "2026-01-31T12:00:00.000Z", ZEROS, 0, NULL);
	copy = b;
	memset(&err, 0, sizeof(err));
	ok(!block_mine(&b, 7, 0, &err), "mining at 7 refused");
	is_int(err.status, 400, "mining at 7: 400");
	ok(memcmp(&b, &copy, sizeof(b)) == 0, "mining at 7: block unchanged");

	/* Nonce 0 of this block does not meet difficulty 6. */
	memset(&err, 0, sizeof(err));
	ok(!block_mine(&b, 6, 1, &err), "one try is not enough at 6");
	is_int(err.status, 503, "out of tries: 503");
	is_str(err.code, "ServiceUnavailable", "out of tries: code");
	is_str(err.message, "no proof of work found within 1 tries at "
	    "difficulty 6", "out of tries: message");
	ok(memcmp(&b, &copy, sizeof(b)) == 0, "out of tries: block unchanged");
}

static void
test_mining(void)
{
	struct api_error	 err;
	struct block		 b;
	json_t			*data;
	char			 hash[BLOCK_HASH_LEN + 1], name[64];
	int			 d;

	data = json_pack("{s:s}", "dloid_params", "0000100000LNY2000025000NP");
	for (d = 1; d <= 4; d++) {
		fixed_block(&b, 0, "2026-01-31T12:00:00.000Z", ZEROS, 0, data);
		snprintf(name, sizeof(name), "mine at difficulty %d", d);
		ok(block_mine(&b, d, 0, &err), name);
		snprintf(name, sizeof(name), "difficulty %d met", d);
		ok(block_meets_difficulty(b.hash, d), name);
		/* Rehashing with the nonce formatted afresh checks the
		 * in-place decimal counter across 9 -> 10, 99 -> 100, ... */
		snprintf(name, sizeof(name),
		    "difficulty %d hash is the block's", d);
		ok(block_hash(&b, hash, &err) && strcmp(hash, b.hash) == 0,
		    name);
	}
	ok(b.nonce > 1000, "difficulty 4 took more than 1000 tries");
	json_decref(data);
}

/* Mine a chain of CHAIN_LEN blocks with fixed timestamps. */
static void
make_chain(struct block chain[CHAIN_LEN], json_t *data[CHAIN_LEN])
{
	struct api_error	 err;
	size_t			 i;
	int			 mined = 1;

	for (i = 0; i < CHAIN_LEN; i++) {
		block_init(&chain[i], i == 0 ? NULL : &chain[i - 1], data[i]);
		snprintf(chain[i].timestamp, sizeof(chain[i].timestamp),
		    "2026-01-31T12:00:0%zu.000Z", i);
		mined &= block_mine(&chain[i], CHAIN_DIFFICULTY, 0, &err);
	}
	ok(mined, "chain mined");
}

static void
expect_broken(const struct block *chain, long long at, const char *reason,
    const char *name)
{
	struct api_error	 err;
	struct block_verdict	 v;

	ok(block_chain_validate(chain, CHAIN_LEN, CHAIN_DIFFICULTY, &v, &err),
	    name);
	is_int(v.broken, at, name);
	is_str(v.reason, reason, name);
}

static void
test_chain(void)
{
	struct api_error	 err;
	struct block_verdict	 v;
	struct block		 chain[CHAIN_LEN], t[CHAIN_LEN];
	json_t			*data[CHAIN_LEN], *forged;
	size_t			 i;

	for (i = 0; i < CHAIN_LEN; i++)
		data[i] = json_pack("{s:I}", "amount", (json_int_t)(i * 10));
	forged = json_pack("{s:I}", "amount", (json_int_t)1000000);

	/* block_init links each block to the one before. */
	block_init(&t[0], NULL, NULL);
	ok(t[0].index == 0 && strcmp(t[0].previous_hash, ZEROS) == 0 &&
	    t[0].nonce == 0 && t[0].hash[0] == '\0', "block_init: genesis");
	ok(strlen(t[0].timestamp) == TIMESTAMP_LEN &&
	    t[0].timestamp[TIMESTAMP_LEN - 1] == 'Z', "block_init: timestamp");

	make_chain(chain, data);
	ok(chain[3].index == 3 &&
	    strcmp(chain[3].previous_hash, chain[2].hash) == 0,
	    "block_init: next block");
	expect_broken(chain, -1, "", "untouched chain is valid");

	memcpy(t, chain, sizeof(t));
	t[2].data = forged;
	expect_broken(t, 2, "hash does not match the block's contents",
	    "tampered data");

	memcpy(t, chain, sizeof(t));
	t[1].nonce++;
	expect_broken(t, 1, "hash does not match the block's contents",
	    "tampered nonce");

	memcpy(t, chain, sizeof(t));
	t[3].previous_hash[10] = t[3].previous_hash[10] == 'a' ? 'b' : 'a';
	expect_broken(t, 3, "previous_hash does not match the hash of block 2",
	    "tampered previous_hash");

	memcpy(t, chain, sizeof(t));
	t[0].previous_hash[63] = '1';
	expect_broken(t, 0, "previous_hash of the genesis block is not 64 "
	    "zeros", "tampered genesis previous_hash");

	memcpy(t, chain, sizeof(t));
	t[2].index = 7;
	expect_broken(t, 2, "index is 7, expected 2", "tampered index");

	memcpy(t, chain, sizeof(t));
	t[1].timestamp[10] = ' ';
	expect_broken(t, 1, "timestamp is not RFC 3339 UTC with milliseconds",
	    "malformed timestamp");

	/* A forger who rehashes without mining misses the difficulty. */
	memcpy(t, chain, sizeof(t));
	t[2].data = forged;
	ok(block_hash(&t[2], t[2].hash, &err), "rehash forged block");
	expect_broken(t, 2, "hash does not start with 3 zeros (difficulty)",
	    "rehashed without proof of work");

	/* Mining the forged block again breaks the next link instead. */
	ok(block_mine(&t[2], CHAIN_DIFFICULTY, 0, &err), "remine forged");
	expect_broken(t, 3, "previous_hash does not match the hash of block 2",
	    "remined block breaks the next link");

	ok(block_chain_validate(chain, 0, CHAIN_DIFFICULTY, &v, &err),
	    "empty chain checked");
	is_int(v.broken, 0, "empty chain is broken at 0");
	is_str(v.reason, "the chain has no genesis block",
	    "empty chain reason");

	ok(block_chain_validate(chain, 1, CHAIN_DIFFICULTY, &v, &err) &&
	    v.broken == -1, "genesis alone is valid");

	memset(&err, 0, sizeof(err));
	ok(!block_chain_validate(chain, CHAIN_LEN, 9, &v, &err),
	    "validate at difficulty 9 refused");
	is_int(err.status, 400, "validate at 9: 400");

	for (i = 0; i < CHAIN_LEN; i++)
		json_decref(data[i]);
	json_decref(forged);
}

static void
test_to_json(void)
{
	struct block	 b;
	json_t		*data, *j;
	char		*s;

	data = json_pack("{s:i}", "x", 1);
	fixed_block(&b, 5, "2026-01-31T12:00:05.000Z", ZEROS, 77, data);
	strcpy(b.hash, ZEROS);
	j = block_to_json(&b);
	json_decref(data);	/* j holds its own reference */
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	is_str(s, "{\"data\":{\"x\":1},\"hash\":\"" ZEROS "\",\"index\":5,"
	    "\"nonce\":77,\"previous_hash\":\"" ZEROS "\",\"timestamp\":"
	    "\"2026-01-31T12:00:05.000Z\"}", "block_to_json");
	free(s);
	json_decref(j);

	b.data = NULL;
	j = block_to_json(&b);
	ok(json_is_null(json_object_get(j, "data")), "no data renders null");
	json_decref(j);
}

int
main(void)
{
	test_known_answers();
	test_malformed();
	test_difficulty();
	test_mining();
	test_chain();
	test_to_json();
	return tap_done();
}
