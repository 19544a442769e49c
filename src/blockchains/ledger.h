/*
 * The ledger of a blockchain: pending transactions, mining them into a
 * block, reading blocks back and validating the whole chain.  The
 * additive routes beyond CloudManager v1.  Protocol-neutral like
 * chains.h: parsed parameters in, JSON result (a new reference the
 * caller owns) out, or NULL with err.
 *
 * A transaction, as added and as recorded in a block:
 *	{"id": uuid, "sender": text, "recipient": text, "amount": integer,
 *	 "timestamp": RFC 3339, "data": any JSON (only when given)}
 * A mined block's data is {"type": "transactions", "transactions":
 * [transaction, ...]} in arrival order; the genesis block's is
 * {"type": "genesis", ...} (chains.c).
 *
 * Concurrency: a block is appended only while holding the chain's row
 * lock (chain_find with lock), and the schema's primary key (blockchain_id,
 * idx) refuses a second block at one index, so racing miners never fork
 * a chain.  Mining itself runs before the lock is taken; only when
 * another block landed meanwhile is the work redone under the lock.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_LEDGER_H
#define CLOUDSIM_BLOCKCHAINS_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"
#include "block.h"
#include "params.h"

struct request;

#define LEDGER_ACTION_ADD	"blockchains.add_transaction"	/* audited */
#define LEDGER_ACTION_MINE	"blockchains.mine"		/* audited */
#define LEDGER_PARTY_CHARS_MAX	256
#define LEDGER_AMOUNT_MAX	9007199254740991LL	/* 2^53 - 1 */
/*
 * Hashes one block may take: 16 times the mean at difficulty 6, so an
 * honest search gives up with probability e^-16; a bound keeps a process
 * from spinning forever on a bug.
 */
#define LEDGER_MINE_MAX_TRIES	((uint64_t)1 << 28)

/* A transaction body {sender, recipient, amount, data?}, validated. */
struct ledger_tx {
	const char	*sender;	/* arena */
	const char	*recipient;	/* arena */
	long long	 amount;	/* 0 .. 2^53 - 1 */
	const json_t	*data;		/* borrowed from the body; may be NULL */
};

/* Read a transaction body; 400 on a missing or bad field. */
bool	 ledger_tx_parse(struct request *req, const json_t *body,
	    struct ledger_tx *out, struct api_error *err);

/*
 * data as stored and hashed: compact JSON with sorted keys (block.h);
 * in the request's arena, or NULL with err 500.
 */
const char *ledger_data_text(struct request *req, const json_t *data,
	    struct api_error *err);

/*
 * Insert mined block b of chain_id, whose data renders as data_text.
 * Call inside a transaction holding the chain (or creating it).
 */
bool	 ledger_append_block(struct request *req, const char *chain_id,
	    const struct block *b, const char *data_text,
	    struct api_error *err);

/*
 * Add tx to chain id's pending transactions (audited).  Result:
 * {success, blockchain_id, transaction, pending_transactions}.
 */
json_t	*ledger_add_transaction(struct request *req, const char *id,
	    const struct ledger_tx *tx, struct api_error *err);

/*
 * Mine every pending transaction of chain id into one block (audited);
 * 400 when none is pending.  Result: {success, blockchain_id, block,
 * mined_transactions (how many), length}.
 */
json_t	*ledger_mine(struct request *req, const char *id,
	    struct api_error *err);

/*
 * One page of chain id's blocks in index order: {success,
 * blockchain_id, blocks, count, total, page, page_size, total_pages}.
 */
json_t	*ledger_blocks(struct request *req, const char *id,
	    const struct chain_page *page, struct api_error *err);

/*
 * Recompute every hash and link of chain id (block_chain_validate):
 * {success, blockchain_id, valid, length, difficulty, broken_block
 * (index or null), reason (or null)}.  A broken chain is still a 200:
 * the check itself succeeded.
 */
json_t	*ledger_validate(struct request *req, const char *id,
	    struct api_error *err);

#endif
