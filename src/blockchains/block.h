/*
 * Blocks of a blockchain: their canonical serialization, SHA-256 hash,
 * proof of work and the check of a whole chain.
 *
 * The hash of a block is the lower-case hex SHA-256 of this byte string,
 * the canonical serialization, with '|' between the fields:
 *
 *	<index>|<timestamp>|<previous_hash>|<data>|<nonce>
 *
 * index and nonce in decimal without leading zeros; timestamp exactly as
 * stored (RFC 3339 UTC with milliseconds, "2026-01-31T12:00:00.000Z");
 * previous_hash as its 64 lower-case hex digits (64 '0' for the genesis
 * block); data as jansson renders it with JSON_COMPACT | JSON_SORT_KEYS
 * | JSON_ENCODE_ANY (a missing data is "null").  For example
 *
 *	0|2026-01-31T12:00:00.000Z|000…000|{"a":1,"b":[true,null]}|42
 *
 * The first three fields have fixed shapes without '|' and the nonce is
 * what follows the last '|', so the string decodes one way only.  The
 * nonce comes last so that mining hashes the rest once and only the
 * nonce per try.  Because data is hashed as jansson renders it, a store
 * must give data back so that it renders the same: keep it as JSON text
 * (jsonb rewrites some numbers, e.g. 1e2 comes back as 100).
 *
 * Proof of work at difficulty d (1..6): the hash starts with d '0' hex
 * digits.  Difficulty 6 takes about 16.7 million tries on average.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_BLOCK_H
#define CLOUDSIM_BLOCKCHAINS_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"
#include "core/timestamp.h"

#define BLOCK_HASH_LEN			64	/* hex digits, no NUL */
#define BLOCK_DIFFICULTY_MIN		1
#define BLOCK_DIFFICULTY_MAX		6
#define BLOCK_DIFFICULTY_DEFAULT	4
#define BLOCK_REASON_SIZE		128

/* The previous_hash of a genesis block. */
#define BLOCK_GENESIS_PREVIOUS_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

struct block {
	uint64_t	 index;		/* 0 for the genesis block */
	char		 timestamp[TIMESTAMP_LEN + 1];
	char		 previous_hash[BLOCK_HASH_LEN + 1];
	uint64_t	 nonce;
	json_t		*data;		/* borrowed; NULL hashes as null */
	char		 hash[BLOCK_HASH_LEN + 1];	/* "" until mined */
};

/* The outcome of block_chain_validate(). */
struct block_verdict {
	long long	 broken;	/* first bad position, or -1 */
	char		 reason[BLOCK_REASON_SIZE];	/* "" when valid */
};

/*
 * True when difficulty is within 1..6; else false with err 400
 * InvalidParameterValue ("difficulty must be between 1 and 6, got '7'").
 * Takes a long long so that a JSON integer is checked before any cast.
 */
bool	 block_check_difficulty(long long difficulty,
	    struct api_error *err);

/*
 * Start b as the block after prev, or as the genesis block when prev is
 * NULL: index and previous_hash from prev, timestamp now, nonce 0, no
 * hash yet.  data is borrowed (may be NULL).
 */
void	 block_init(struct block *b, const struct block *prev, json_t *data);

/*
 * The canonical serialization of b, NUL-terminated; caller frees with
 * free(3).  NULL with err 500 when memory runs out or b's timestamp or
 * previous_hash is malformed (blocks are built by the server, so that
 * is a bug, not a client error).
 */
char	*block_serialize(const struct block *b, struct api_error *err);

/* Hash b into out (65 bytes); false with err as block_serialize(). */
bool	 block_hash(const struct block *b, char out[BLOCK_HASH_LEN + 1],
	    struct api_error *err);

/*
 * True when hash is 64 lower-case hex digits starting with difficulty
 * '0's and difficulty is within 1..6.
 */
bool	 block_meets_difficulty(const char *hash, int difficulty);

/*
 * Find the first nonce from 0 up whose hash meets difficulty, and set
 * b->nonce and b->hash.  Gives up after max_tries hashes (0: no limit)
 * with err 503 ServiceUnavailable; err 400 for a bad difficulty; 500 as
 * block_serialize().  b is unchanged on failure.
 */
bool	 block_mine(struct block *b, int difficulty, uint64_t max_tries,
	    struct api_error *err);

/*
 * Check chain[0 .. n), a whole chain from its genesis block in index
 * order, at difficulty.  Block i must have index i, previous_hash equal
 * to block i-1's hash (64 '0' for i = 0), a well-formed timestamp, and a
 * hash that is its own and meets difficulty; the checks run in that
 * order, so a tampered previous_hash or index is reported as such and a
 * tampered data or nonce as a hash mismatch.  Fills v with the position
 * of the first bad block and why, or -1 and "".  An empty chain is bad
 * at position 0 (it lacks a genesis block).  Returns false only with err
 * filled: 400 for a bad difficulty, 500 when memory runs out.
 */
bool	 block_chain_validate(const struct block *chain, size_t n,
	    int difficulty, struct block_verdict *v, struct api_error *err);

/*
 * b as {"index", "timestamp", "previous_hash", "nonce", "data", "hash"};
 * a new reference (caller decrefs) holding its own reference to data, or
 * NULL when memory runs out.
 */
json_t	*block_to_json(const struct block *b);

#endif
