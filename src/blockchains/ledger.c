/*
 * Pending transactions, mining, blocks and validation (ledger.h).
 *
 * Mining in two steps keeps the row lock short: first, without any lock,
 * read the chain's tip and pending transactions in one statement (one
 * snapshot) and mine a block on them; then, in a transaction holding the
 * chain's row lock, check that the tip is still the one mined on and the
 * transactions are still pending, and append.  If another miner got
 * there first the work is redone under the lock, which is then the only
 * way to be sure of finishing.  Either way every append happens under the
 * lock, and the blocks' primary key would refuse a second block at one
 * index even if it did not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/request.h"
#include "access.h"
#include "chains.h"
#include "ledger.h"

/* Block columns as ledger_block_from_row() reads them. */
#define LEDGER_BLOCK_COLUMNS \
	"b.idx, b.\"timestamp\", b.previous_hash, b.nonce::text AS nonce, " \
	"b.data, b.hash"

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

static void
free_cb(void *p)
{
	free(p);
}

bool
ledger_tx_parse(struct request *req, const json_t *body,
    struct ledger_tx *out, struct api_error *err)
{
	const json_t	*amount = json_object_get(body, "amount");

	memset(out, 0, sizeof(*out));
	if (!chain_param_text(req, json_object_get(body, "sender"), "sender",
	    LEDGER_PARTY_CHARS_MAX, true, true, &out->sender, err) ||
	    !chain_param_text(req, json_object_get(body, "recipient"),
	    "recipient", LEDGER_PARTY_CHARS_MAX, true, true, &out->recipient,
	    err))
		return false;
	if (amount == NULL || json_is_null(amount))
		return api_error_missing(err, "amount");
	if (!chain_param_integer(amount, "amount", 0, LEDGER_AMOUNT_MAX, 0,
	    &out->amount, err))
		return false;
	out->data = json_object_get(body, "data");
	if (json_is_null(out->data))
		out->data = NULL;
	return true;
}

const char *
ledger_data_text(struct request *req, const json_t *data,
    struct api_error *err)
{
	char	*s;

	s = json_dumps(data != NULL ? data : json_null(),
	    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (s == NULL) {
		api_error_internal(err);
		return NULL;
	}
	arena_defer(req->arena, free_cb, s);
	return s;
}

static struct db_stmt q_block_insert = DB_STMT(
    "INSERT INTO cloudsim.blocks (blockchain_id, idx, \"timestamp\","
    " previous_hash, nonce, data, hash)"
    " VALUES ($1::uuid, $2::bigint, $3, $4, $5::numeric, $6, $7)");

bool
ledger_append_block(struct request *req, const char *chain_id,
    const struct block *b, const char *data_text, struct api_error *err)
{
	char		 idx[24], nonce[24];
	const char	*params[7];

	snprintf(idx, sizeof(idx), "%llu", (unsigned long long)b->index);
	snprintf(nonce, sizeof(nonce), "%llu", (unsigned long long)b->nonce);
	params[0] = chain_id;
	params[1] = idx;
	params[2] = b->timestamp;
	params[3] = b->previous_hash;
	params[4] = nonce;
	params[5] = data_text;
	params[6] = b->hash;
	return db_exec(req, &q_block_insert, 7, params, err) != NULL;
}

/*
 * The transaction object of ledger.h; data (may be NULL: left out) is
 * borrowed.  New reference, or NULL when memory runs out.
 */
static json_t *
ledger_tx_json(const char *id, const char *sender, const char *recipient,
    long long amount, const json_t *data, const char *timestamp)
{
	json_t	*tx;

	tx = json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", id,
	    "sender", sender, "recipient", recipient,
	    "amount", (json_int_t)amount, "timestamp", timestamp);
	if (tx != NULL && data != NULL &&
	    json_object_set(tx, "data", (json_t *)data) != 0) {
		json_decref(tx);
		tx = NULL;
	}
	return tx;
}

/* What adding a transaction writes, and what it read back. */
struct ledger_add {
	const char		*chain_id;
	const struct ledger_tx	*tx;
	const char		*tx_id;
	const char		*data_text;	/* NULL when no data */
	PGresult		*row;
};

/*
 * One statement inserts and tells "no such chain" (no row) apart; the
 * count in RETURNING runs on the snapshot before the insert, hence + 1.
 */
static struct db_stmt q_tx_insert = DB_STMT(
    "INSERT INTO cloudsim.pending_transactions AS t"
    " (id, blockchain_id, sender, recipient, amount, data)"
    " SELECT $1::uuid, c.id, $3, $4, $5::bigint, $6"
    " FROM cloudsim.blockchains c"
    " WHERE c.id = $2::uuid AND ($7::text IS NULL OR c.account_id = $7::text)"
    " RETURNING t.blockchain_id, "
    DB_TIMESTAMP("t.created_at") " AS created_at,"
    " (SELECT count(*) FROM cloudsim.pending_transactions p"
    "   WHERE p.blockchain_id = $2::uuid) + 1 AS pending");

static bool
ledger_add_tx(struct request *req, void *arg, struct api_error *err)
{
	struct ledger_add	*a = arg;
	const char		*params[7], *ids[2];
	char			 amount[24];

	snprintf(amount, sizeof(amount), "%lld", a->tx->amount);
	params[0] = a->tx_id;
	params[1] = a->chain_id;
	params[2] = a->tx->sender;
	params[3] = a->tx->recipient;
	params[4] = amount;
	params[5] = a->data_text;
	params[6] = chain_access_owner(req);
	if ((a->row = db_exec(req, &q_tx_insert, 7, params, err)) == NULL)
		return false;
	if (PQntuples(a->row) == 0)
		return chain_not_found(a->chain_id, err);
	/* The id as stored: the client may have spelled it in upper case. */
	a->chain_id = db_get(a->row, 0, "blockchain_id");
	ids[0] = a->chain_id;
	ids[1] = a->tx_id;
	return audit_write(req, LEDGER_ACTION_ADD, ids, 2, 200, err);
}

json_t *
ledger_add_transaction(struct request *req, const char *id,
    const struct ledger_tx *tx, struct api_error *err)
{
	struct ledger_add	 a;
	json_t			*txj, *result;

	if (!id_is_uuid(id)) {
		chain_not_found(id, err);
		return NULL;
	}
	memset(&a, 0, sizeof(a));
	a.chain_id = id;
	a.tx = tx;
	a.tx_id = id_uuid(req->arena);
	if (tx->data != NULL &&
	    (a.data_text = ledger_data_text(req, tx->data, err)) == NULL)
		return NULL;
	if (!db_transaction(req, ledger_add_tx, &a, err))
		return NULL;

	txj = ledger_tx_json(a.tx_id, tx->sender, tx->recipient, tx->amount,
	    tx->data, db_get(a.row, 0, "created_at"));
	/* "o" steals txj, also when packing fails. */
	result = json_pack("{s:b, s:s, s:o, s:I}", "success", 1,
	    "blockchain_id", a.chain_id, "transaction", txj,
	    "pending_transactions",
	    (json_int_t)db_get_int(a.row, 0, "pending"));
	if (result == NULL)
		api_error_internal(err);
	return result;
}

/* The block being mined, and what it consumes. */
struct ledger_work {
	struct chain	 chain;
	struct block	 block;		/* data owned by the arena */
	const char	*data_text;
	const char	*ids;		/* the transactions, as a uuid[] literal */
	size_t		 ntx;
};

/* One statement, one snapshot: the tip on every row, then each pending. */
static struct db_stmt q_mine_state = DB_STMT(
    "SELECT t.idx, t.hash, p.id, p.sender, p.recipient, p.amount, p.data,"
    " " DB_TIMESTAMP("p.created_at") " AS created_at"
    " FROM (SELECT b.idx, b.hash FROM cloudsim.blocks b"
    "   WHERE b.blockchain_id = $1::uuid ORDER BY b.idx DESC LIMIT 1) t"
    " LEFT JOIN cloudsim.pending_transactions p"
    "   ON p.blockchain_id = $1::uuid"
    " ORDER BY p.seq");

/*
 * The pending transactions of res (q_mine_state rows) as a JSON array
 * in arrival order, and their ids as a uuid[] literal "{a,b}" in *ids
 * (the arena's).  New reference, or NULL when memory runs out or stored
 * data is no JSON.
 */
static json_t *
ledger_pending(struct request *req, const PGresult *res, const char **ids)
{
	json_t		*txs, *tx, *txdata;
	const char	*text;
	char		*p;
	int		 i, n = PQntuples(res);

	/* 36 characters and a comma per id, the braces and the NUL. */
	p = arena_alloc(req->arena, (size_t)n * 37 + 3);
	*ids = p;
	*p++ = '{';
	if ((txs = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n && db_get(res, i, "id") != NULL; i++) {
		txdata = NULL;
		text = db_get(res, i, "data");
		if (text != NULL &&
		    (txdata = json_loads(text, JSON_DECODE_ANY, NULL)) == NULL)
			goto fail;
		tx = ledger_tx_json(db_get(res, i, "id"),
		    db_get(res, i, "sender"), db_get(res, i, "recipient"),
		    db_get_int(res, i, "amount"), txdata,
		    db_get(res, i, "created_at"));
		json_decref(txdata);
		/* append_new takes tx, also when it fails. */
		if (json_array_append_new(txs, tx) != 0)
			goto fail;
		p += sprintf(p, "%s%s", i > 0 ? "," : "", db_get(res, i, "id"));
	}
	*p++ = '}';
	*p = '\0';
	return txs;
fail:
	/* The array being built and the transactions in it. */
	json_decref(txs);
	return NULL;
}

/*
 * Read w->chain's tip and pending transactions and mine the block that
 * records them all into w.  400 when nothing is pending.
 */
static bool
ledger_prepare(struct request *req, struct ledger_work *w,
    struct api_error *err)
{
	PGresult	*res;
	struct block	 prev;
	json_t		*txs, *data;
	const char	*hash;

	if ((res = db_exec(req, &q_mine_state, 1,
	    (const char *[]){ w->chain.id }, err)) == NULL)
		return false;
	hash = PQntuples(res) > 0 ? db_get(res, 0, "hash") : NULL;
	if (hash == NULL || strlen(hash) != BLOCK_HASH_LEN) {
		log_msg(LOG_ERROR, "blockchain %s has no genesis block",
		    w->chain.id);
		return api_error_internal(err);
	}
	memset(&prev, 0, sizeof(prev));
	prev.index = strtoull(db_get(res, 0, "idx"), NULL, 10);
	memcpy(prev.hash, hash, BLOCK_HASH_LEN + 1);

	if ((txs = ledger_pending(req, res, &w->ids)) == NULL)
		return api_error_internal(err);
	if ((w->ntx = json_array_size(txs)) == 0) {
		json_decref(txs);
		return api_error_set(err, 400, "NoPendingTransactions",
		    "the blockchain '%s' has no pending transactions to mine",
		    w->chain.id);
	}
	/* "o" steals txs, also when packing fails. */
	data = json_pack("{s:s, s:o}", "type", "transactions",
	    "transactions", txs);
	if (data == NULL)
		return api_error_internal(err);
	arena_defer(req->arena, json_decref_cb, data);
	block_init(&w->block, &prev, data);
	return block_mine(&w->block, w->chain.difficulty,
	    LEDGER_MINE_MAX_TRIES, err) &&
	    (w->data_text = ledger_data_text(req, data, err)) != NULL;
}

static struct db_stmt q_mine_check = DB_STMT(
    "SELECT (SELECT b.hash FROM cloudsim.blocks b"
    "   WHERE b.blockchain_id = $1::uuid ORDER BY b.idx DESC LIMIT 1)"
    "   AS tip_hash,"
    " (SELECT count(*) FROM cloudsim.pending_transactions p"
    "   WHERE p.blockchain_id = $1::uuid AND p.id = ANY ($2::uuid[]))"
    "   AS present");

static struct db_stmt q_mine_consume = DB_STMT(
    "DELETE FROM cloudsim.pending_transactions"
    " WHERE blockchain_id = $1::uuid AND id = ANY ($2::uuid[])");

static struct db_stmt q_mine_mark = DB_STMT(
    "UPDATE cloudsim.blockchains SET last_mined_at = now()"
    " WHERE id = $1::uuid");

/* Under the chain's row lock: append w's block, or redo it first. */
static bool
ledger_mine_tx(struct request *req, void *arg, struct api_error *err)
{
	struct ledger_work	*w = arg;
	struct chain		 locked;
	PGresult		*res;
	const char		*tip, *params[2];

	if (!chain_find(req, w->chain.id, true, &locked, err))
		return false;
	params[0] = w->chain.id;
	params[1] = w->ids;
	if ((res = db_exec(req, &q_mine_check, 2, params, err)) == NULL)
		return false;
	tip = db_get(res, 0, "tip_hash");
	if (tip == NULL || strcmp(tip, w->block.previous_hash) != 0 ||
	    (size_t)db_get_int(res, 0, "present") != w->ntx) {
		/* Another block landed since: mine again, on the new tip. */
		log_msg(LOG_INFO, "blockchain %s: the tip moved while mining; "
		    "mining again under the row lock", w->chain.id);
		if (!ledger_prepare(req, w, err))
			return false;
		params[1] = w->ids;
	}
	if (!ledger_append_block(req, w->chain.id, &w->block, w->data_text,
	    err) ||
	    (res = db_exec(req, &q_mine_consume, 2, params, err)) == NULL)
		return false;
	if ((size_t)strtoull(PQcmdTuples(res), NULL, 10) != w->ntx) {
		log_msg(LOG_ERROR, "blockchain %s: pending transactions "
		    "vanished under the row lock", w->chain.id);
		return api_error_internal(err);
	}
	return db_exec(req, &q_mine_mark, 1, params, err) != NULL &&
	    audit_write(req, LEDGER_ACTION_MINE, params, 1, 200, err);
}

json_t *
ledger_mine(struct request *req, const char *id, struct api_error *err)
{
	struct ledger_work	 w;
	json_t			*block, *result;

	memset(&w, 0, sizeof(w));
	if (!chain_find(req, id, false, &w.chain, err) ||
	    !ledger_prepare(req, &w, err) ||
	    !db_transaction(req, ledger_mine_tx, &w, err))
		return NULL;

	block = block_to_json(&w.block);
	/* "o" steals block, also when packing fails. */
	result = json_pack("{s:b, s:s, s:o, s:I, s:I}", "success", 1,
	    "blockchain_id", w.chain.id, "block", block,
	    "mined_transactions", (json_int_t)w.ntx,
	    "length", (json_int_t)(w.block.index + 1));
	if (result == NULL)
		api_error_internal(err);
	return result;
}

/* Copy src into dst when it is exactly len bytes, else leave dst "". */
static void
ledger_copy_exact(char *dst, size_t len, const char *src)
{
	dst[0] = '\0';
	if (src != NULL && strlen(src) == len)
		memcpy(dst, src, len + 1);
}

/*
 * Fill b from row of res (LEDGER_BLOCK_COLUMNS).  A field of the wrong
 * size is left "" so that validation reports it; *data_ok is false when
 * the stored data is not JSON (b->data is then NULL).  The data belongs
 * to the arena.
 */
static void
ledger_block_from_row(struct request *req, const PGresult *res, int row,
    struct block *b, bool *data_ok)
{
	memset(b, 0, sizeof(*b));
	b->index = strtoull(db_get(res, row, "idx"), NULL, 10);
	b->nonce = strtoull(db_get(res, row, "nonce"), NULL, 10);
	ledger_copy_exact(b->timestamp, TIMESTAMP_LEN,
	    db_get(res, row, "timestamp"));
	ledger_copy_exact(b->previous_hash, BLOCK_HASH_LEN,
	    db_get(res, row, "previous_hash"));
	ledger_copy_exact(b->hash, BLOCK_HASH_LEN, db_get(res, row, "hash"));
	b->data = json_loads(db_get(res, row, "data"), JSON_DECODE_ANY, NULL);
	*data_ok = b->data != NULL;
	arena_defer(req->arena, json_decref_cb, b->data);
}

static struct db_stmt q_blocks_page = DB_STMT(
    "SELECT t.total, p.* FROM"
    " (SELECT count(*) AS total FROM cloudsim.blocks b"
    "   WHERE b.blockchain_id = $1::uuid) t"
    " LEFT JOIN LATERAL"
    " (SELECT " LEDGER_BLOCK_COLUMNS " FROM cloudsim.blocks b"
    "   WHERE b.blockchain_id = $1::uuid"
    "   ORDER BY b.idx LIMIT $2::bigint OFFSET $3::bigint) p"
    " ON true ORDER BY p.idx");

/*
 * The blocks of res's rows as JSON, in row order.  New reference, or
 * NULL when memory runs out.
 */
static json_t *
ledger_block_list(struct request *req, const PGresult *res)
{
	struct block	 b;
	json_t		*blocks, *j;
	bool		 data_ok;
	int		 i;

	if ((blocks = json_array()) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(res); i++) {
		/* The one row of an empty page has no block in it. */
		if (db_get(res, i, "idx") == NULL)
			continue;
		ledger_block_from_row(req, res, i, &b, &data_ok);
		j = block_to_json(&b);
		/* Tampered data that is no JSON is shown as the text it is. */
		if (j != NULL && !data_ok && json_object_set_new(j, "data",
		    json_string(db_get(res, i, "data"))) != 0) {
			json_decref(j);
			j = NULL;
		}
		/* append_new takes j, also when it fails. */
		if (j == NULL || json_array_append_new(blocks, j) != 0) {
			json_decref(blocks);
			return NULL;
		}
	}
	return blocks;
}

json_t *
ledger_blocks(struct request *req, const char *id,
    const struct chain_page *page, struct api_error *err)
{
	struct chain	 chain;
	PGresult	*res;
	json_t		*blocks, *result;
	char		 limit[24], offset[24];
	const char	*params[3];
	long long	 total;

	if (!chain_find(req, id, false, &chain, err))
		return NULL;
	snprintf(limit, sizeof(limit), "%lld", page->page_size);
	snprintf(offset, sizeof(offset), "%lld",
	    (page->page - 1) * page->page_size);
	params[0] = chain.id;
	params[1] = limit;
	params[2] = offset;
	if ((res = db_exec(req, &q_blocks_page, 3, params, err)) == NULL)
		return NULL;
	total = PQntuples(res) > 0 ? db_get_int(res, 0, "total") : 0;

	blocks = ledger_block_list(req, res);
	/* "o" steals blocks, also when packing fails. */
	result = json_pack("{s:b, s:s, s:I, s:o, s:I, s:I, s:I, s:I}",
	    "success", 1, "blockchain_id", chain.id,
	    "count", (json_int_t)json_array_size(blocks), "blocks", blocks,
	    "total", (json_int_t)total, "page", (json_int_t)page->page,
	    "page_size", (json_int_t)page->page_size,
	    "total_pages", (json_int_t)chain_page_count(total,
	    page->page_size));
	if (result == NULL)
		api_error_internal(err);
	return result;
}

static struct db_stmt q_blocks_all = DB_STMT(
    "SELECT " LEDGER_BLOCK_COLUMNS " FROM cloudsim.blocks b"
    " WHERE b.blockchain_id = $1::uuid ORDER BY b.idx");

json_t *
ledger_validate(struct request *req, const char *id, struct api_error *err)
{
	struct chain		 chain;
	struct block_verdict	 v;
	struct block		*chain_blocks;
	PGresult		*res;
	json_t			*result;
	size_t			 n, i, parsed;
	bool			 data_ok;

	if (!chain_find(req, id, false, &chain, err) ||
	    (res = db_exec(req, &q_blocks_all, 1,
	    (const char *[]){ chain.id }, err)) == NULL)
		return NULL;
	n = (size_t)PQntuples(res);
	chain_blocks = arena_calloc(req->arena, n > 0 ? n : 1,
	    sizeof(*chain_blocks));
	/* The chain is checked up to the first block whose data is no JSON. */
	parsed = n;
	for (i = 0; i < n; i++) {
		ledger_block_from_row(req, res, (int)i, &chain_blocks[i],
		    &data_ok);
		if (!data_ok && parsed == n)
			parsed = i;
	}

	v.broken = -1;
	v.reason[0] = '\0';
	if ((parsed > 0 || n == 0) && !block_chain_validate(chain_blocks,
	    parsed, chain.difficulty, &v, err))
		return NULL;
	if (v.broken < 0 && parsed < n) {
		v.broken = (long long)parsed;
		snprintf(v.reason, sizeof(v.reason),
		    "data is not valid JSON");
	}

	result = json_pack("{s:b, s:s, s:b, s:I, s:i, s:o, s:o}",
	    "success", 1, "blockchain_id", chain.id, "valid", v.broken < 0,
	    "length", (json_int_t)n, "difficulty", chain.difficulty,
	    "broken_block", v.broken < 0 ? json_null() :
	    json_integer(v.broken),
	    "reason", v.broken < 0 ? json_null() : json_string(v.reason));
	if (result == NULL)
		api_error_internal(err);
	return result;
}
