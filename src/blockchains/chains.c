/*
 * Creating, listing and reading blockchains.  Every answer's metadata is
 * built by one function from one list of columns, so the create, list
 * and get answers cannot drift apart.  The genesis block is mined before
 * the transaction opens: the chain does not exist yet, so no lock is
 * held while the proof of work runs.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/ids.h"
#include "core/request.h"
#include "access.h"
#include "block.h"
#include "chains.h"
#include "ledger.h"

/* The metadata columns, as chain_metadata() reads them. */
#define CHAIN_META_COLUMNS \
	"c.id, c.user_uuid, c.controller_name, c.controller_role, c.name, " \
	DB_TIMESTAMP("c.created_at") " AS created_at, c.dloid_params, " \
	"c.genesis_hash"

bool
chain_not_found(const char *id, struct api_error *err)
{
	return api_error_set(err, 404, "InvalidBlockchainID.NotFound",
	    "the blockchain '%.64s' does not exist", id);
}

/*
 * The v1 metadata of row: {user_uuid, controller_name, controller_role,
 * name, created_at, dloid_params, genesis_dloid, dloid_info}.  New
 * reference, or NULL when memory runs out (or a stored dloid_params is
 * malformed, which the schema's check rules out).
 */
static json_t *
chain_metadata(const PGresult *res, int row)
{
	const char	*uuid = db_get(res, row, "user_uuid");
	char		 dloid[2 + BLOCK_HASH_LEN + 1];	/* "0x" + hash */
	json_t		*info;

	if ((info = dloid_decode(db_get(res, row, "dloid_params"))) == NULL)
		return NULL;
	snprintf(dloid, sizeof(dloid), "0x%s",
	    db_get(res, row, "genesis_hash"));
	/* "o" steals info, also when packing fails. */
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "user_uuid", uuid != NULL ? json_string(uuid) : json_null(),
	    "controller_name", db_get(res, row, "controller_name"),
	    "controller_role", db_get(res, row, "controller_role"),
	    "name", db_get(res, row, "name"),
	    "created_at", db_get(res, row, "created_at"),
	    "dloid_params", db_get(res, row, "dloid_params"),
	    "genesis_dloid", dloid,
	    "dloid_info", info);
}

bool
chain_spec_parse(struct request *req, const json_t *body,
    struct chain_spec *out, struct api_error *err)
{
	long long	 difficulty;

	memset(out, 0, sizeof(*out));
	if (!controller_validate_person(json_object_get(body, "first_name"),
	    json_object_get(body, "last_name"), &out->person, err) ||
	    !controller_licenses(json_object_get(body, "existing_licenses"),
	    &out->existing_licenses, err) ||
	    !controller_role(json_object_get(body, "controller_role"),
	    &out->role, err) ||
	    !chain_param_integer(json_object_get(body, "difficulty"),
	    "difficulty", BLOCK_DIFFICULTY_MIN, BLOCK_DIFFICULTY_MAX,
	    BLOCK_DIFFICULTY_DEFAULT, &difficulty, err) ||
	    !chain_param_uuid(json_object_get(body, "user_uuid"), "user_uuid",
	    out->user_uuid, err) ||
	    !chain_param_text(req, json_object_get(body, "name"), "name",
	    CHAIN_NAME_CHARS_MAX, false, true, &out->name, err) ||
	    !dloid_encode(json_object_get(body, "dloid_params"), out->dloid,
	    err))
		return false;
	out->difficulty = (int)difficulty;
	/* Two names of at most 64 characters fit the 160 of a name. */
	if (out->name == NULL)
		out->name = arena_printf(req->arena, "%s %s's chain",
		    out->person.first_name, out->person.last_name);
	return true;
}

/* What the create transaction writes, and what it read back. */
struct chain_new {
	const struct chain_spec	*spec;
	const char		*id;
	const char		*controller_name;
	const struct block	*genesis;
	const char		*data_text;
	PGresult		*row;		/* the inserted chain */
};

static struct db_stmt q_chain_insert = DB_STMT(
    "INSERT INTO cloudsim.blockchains AS c (id, user_uuid, name, first_name,"
    " last_name, existing_licenses, controller_name, controller_role,"
    " difficulty, dloid_params, genesis_hash, account_id, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
    " $13::timestamptz)"
    " RETURNING " CHAIN_META_COLUMNS);

static bool
chain_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct chain_new	*n = arg;
	const struct chain_spec	*s = n->spec;
	char			 licenses[24], difficulty[8];
	const char		*params[13];

	snprintf(licenses, sizeof(licenses), "%lld", s->existing_licenses);
	snprintf(difficulty, sizeof(difficulty), "%d", s->difficulty);
	params[0] = n->id;
	params[1] = s->user_uuid[0] != '\0' ? s->user_uuid : NULL;
	params[2] = s->name;
	params[3] = s->person.first_name;
	params[4] = s->person.last_name;
	params[5] = licenses;
	params[6] = n->controller_name;
	params[7] = s->role;
	params[8] = difficulty;
	params[9] = s->dloid;
	params[10] = n->genesis->hash;
	params[11] = chain_access_creator(req);
	params[12] = n->genesis->timestamp;
	if ((n->row = db_exec(req, &q_chain_insert, 13, params, err)) == NULL)
		return false;
	return ledger_append_block(req, n->id, n->genesis, n->data_text,
	    err) &&
	    audit_write(req, CHAIN_ACTION_CREATE, &n->id, 1, 200, err);
}

json_t *
chain_create(struct request *req, const struct chain_spec *spec,
    struct api_error *err)
{
	struct chain_new	 n;
	struct block		 genesis;
	char			 name[CONTROLLER_NAME_SIZE];
	json_t			*data = NULL, *meta, *result = NULL;

	memset(&n, 0, sizeof(n));
	if (!controller_name(&spec->person, spec->existing_licenses, name,
	    err))
		goto out;
	n.spec = spec;
	n.id = id_uuid(req->arena);
	n.controller_name = name;

	/* Block 0 names what the chain was created as, so its hash does. */
	data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "type", "genesis",
	    "blockchain_id", n.id,
	    "name", spec->name,
	    "controller_name", name,
	    "controller_role", spec->role,
	    "dloid_params", spec->dloid,
	    "user_uuid", spec->user_uuid[0] != '\0' ?
	    json_string(spec->user_uuid) : json_null());
	if (data == NULL) {
		api_error_internal(err);
		goto out;
	}
	block_init(&genesis, NULL, data);
	if (!block_mine(&genesis, spec->difficulty, LEDGER_MINE_MAX_TRIES,
	    err))
		goto out;
	if ((n.data_text = ledger_data_text(req, data, err)) == NULL)
		goto out;
	n.genesis = &genesis;
	if (!db_transaction(req, chain_create_tx, &n, err))
		goto out;

	if ((meta = chain_metadata(n.row, 0)) == NULL) {
		api_error_internal(err);
		goto out;
	}
	result = json_pack("{s:b, s:s, s:s, s:s, s:O, s:o}",
	    "success", 1,
	    "blockchain_id", db_get(n.row, 0, "id"),
	    "controller_name", db_get(n.row, 0, "controller_name"),
	    "dloid_params", db_get(n.row, 0, "dloid_params"),
	    "genesis_dloid", json_object_get(meta, "genesis_dloid"),
	    "metadata", meta);
	if (result == NULL)
		api_error_internal(err);
out:
	/* The genesis data; the result holds its own references. */
	json_decref(data);
	return result;
}

/*
 * A page of the chains that match, with the count of all that do: $1
 * limit (NULL: every chain), $2 offset, then the scope's values.  One
 * statement per scope, so that each keeps its scope in its index
 * condition: with "$n IS NULL OR" scopes a generic plan, which a process
 * may settle on after five calls, estimated three matching rows and
 * sorted the whole table on disk for every page (165 ms at 100,000
 * chains, against 12 ms planned per call).
 */
#define CHAIN_LIST(match) \
    "SELECT t.total, p.* FROM" \
    " (SELECT count(*) AS total FROM cloudsim.blockchains c" \
    "   WHERE " match ") t" \
    " LEFT JOIN LATERAL" \
    " (SELECT " CHAIN_META_COLUMNS "," \
    "   row_number() OVER (ORDER BY c.created_at, c.id) AS position" \
    "   FROM cloudsim.blockchains c WHERE " match \
    "   ORDER BY c.created_at, c.id LIMIT $1::bigint OFFSET $2::bigint) p" \
    " ON true ORDER BY p.position"

static struct db_stmt q_chain_list_all = DB_STMT(CHAIN_LIST("true"));
/* $3 the web app user. */
static struct db_stmt q_chain_list_user = DB_STMT(CHAIN_LIST(
    "c.user_uuid = $3::uuid"));
/* $3 the owning account. */
static struct db_stmt q_chain_list_owner = DB_STMT(CHAIN_LIST(
    "c.account_id = $3::text"));
/* $3 the web app user, $4 the owning account. */
static struct db_stmt q_chain_list_user_owner = DB_STMT(CHAIN_LIST(
    "c.user_uuid = $3::uuid AND c.account_id = $4::text"));

/*
 * The v1 blockchains object of res's rows, keyed by id, in row order.
 * New reference, or NULL when memory runs out.
 */
static json_t *
chain_list_entries(const PGresult *res)
{
	json_t	*chains, *meta;
	int	 i;

	if ((chains = json_object()) == NULL)
		return NULL;
	for (i = 0; i < PQntuples(res); i++) {
		/* The one row of an empty page has no chain in it. */
		if (db_get(res, i, "id") == NULL)
			continue;
		/* set_new takes meta, also when it fails. */
		if ((meta = chain_metadata(res, i)) == NULL ||
		    json_object_set_new(chains, db_get(res, i, "id"),
		    meta) != 0) {
			json_decref(chains);
			return NULL;
		}
	}
	return chains;
}

json_t *
chain_list(struct request *req, const char *user_uuid,
    const struct chain_page *page, struct api_error *err)
{
	PGresult	*res;
	json_t		*chains, *result;
	struct db_stmt	*st;
	char		 limit[24], offset[24];
	const char	*params[4], *owner = chain_access_owner(req);
	long long	 total;
	int		 n;

	params[0] = NULL;	/* LIMIT NULL: v1 lists every chain */
	params[1] = "0";
	if (page->given) {
		snprintf(limit, sizeof(limit), "%lld", page->page_size);
		snprintf(offset, sizeof(offset), "%lld",
		    (page->page - 1) * page->page_size);
		params[0] = limit;
		params[1] = offset;
	}
	params[2] = user_uuid != NULL ? user_uuid : owner;
	params[3] = owner;
	if (user_uuid != NULL && owner != NULL)
		st = &q_chain_list_user_owner;
	else if (user_uuid != NULL)
		st = &q_chain_list_user;
	else if (owner != NULL)
		st = &q_chain_list_owner;
	else
		st = &q_chain_list_all;
	/* The statement's own parameters: 2, 3 or 4. */
	n = 2 + (user_uuid != NULL) + (owner != NULL);
	if ((res = db_exec(req, st, n, params, err)) == NULL)
		return NULL;
	total = PQntuples(res) > 0 ? db_get_int(res, 0, "total") : 0;

	chains = chain_list_entries(res);
	/* "o" steals chains, also when packing fails. */
	result = json_pack("{s:b, s:I, s:o}", "success", 1,
	    "count", (json_int_t)json_object_size(chains),
	    "blockchains", chains);
	if (result != NULL && page->given &&
	    json_object_update_new(result, json_pack("{s:I, s:I, s:I, s:I}",
	    "total", (json_int_t)total, "page", (json_int_t)page->page,
	    "page_size", (json_int_t)page->page_size,
	    "total_pages", (json_int_t)chain_page_count(total,
	    page->page_size))) != 0) {
		json_decref(result);
		result = NULL;
	}
	if (result == NULL)
		api_error_internal(err);
	return result;
}

static struct db_stmt q_chain_get = DB_STMT(
    "SELECT " CHAIN_META_COLUMNS ", c.difficulty,"
    /* Indexes run 0..n-1 by the blocks' foreign key: max + 1 is the count. */
    " (SELECT coalesce(max(b.idx) + 1, 0) FROM cloudsim.blocks b"
    "   WHERE b.blockchain_id = c.id) AS length,"
    " (SELECT count(*) FROM cloudsim.pending_transactions p"
    "   WHERE p.blockchain_id = c.id) AS pending"
    " FROM cloudsim.blockchains c"
    " WHERE c.id = $1::uuid AND ($2::text IS NULL OR c.account_id = $2::text)");

json_t *
chain_get(struct request *req, const char *id, struct api_error *err)
{
	PGresult	*res;
	json_t		*meta, *result;
	const char	*params[2];

	if (!id_is_uuid(id)) {
		chain_not_found(id, err);
		return NULL;
	}
	params[0] = id;
	params[1] = chain_access_owner(req);
	if ((res = db_exec(req, &q_chain_get, 2, params, err)) == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		chain_not_found(id, err);
		return NULL;
	}
	if ((meta = chain_metadata(res, 0)) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	/* "o" steals meta, also when packing fails. */
	result = json_pack("{s:b, s:s, s:{s:I, s:I, s:I}, s:o}",
	    "success", 1,
	    "blockchain_id", db_get(res, 0, "id"),
	    "chain_info",
	    "length", (json_int_t)db_get_int(res, 0, "length"),
	    "pending_transactions", (json_int_t)db_get_int(res, 0, "pending"),
	    "difficulty", (json_int_t)db_get_int(res, 0, "difficulty"),
	    "metadata", meta);
	if (result == NULL)
		api_error_internal(err);
	return result;
}

static struct db_stmt q_chain_find = DB_STMT(
    "SELECT c.id, c.difficulty FROM cloudsim.blockchains c"
    " WHERE c.id = $1::uuid AND ($2::text IS NULL OR c.account_id = $2::text)");

/*
 * NO KEY UPDATE: it conflicts with itself, not with the KEY SHARE lock
 * that adding a pending transaction's foreign key takes, so transactions
 * can still be added while a block is being appended.
 */
static struct db_stmt q_chain_lock = DB_STMT(
    "SELECT c.id, c.difficulty FROM cloudsim.blockchains c"
    " WHERE c.id = $1::uuid AND ($2::text IS NULL OR c.account_id = $2::text)"
    " FOR NO KEY UPDATE");

bool
chain_find(struct request *req, const char *id, bool lock,
    struct chain *out, struct api_error *err)
{
	PGresult	*res;
	const char	*params[2];

	if (!id_is_uuid(id))
		return chain_not_found(id, err);
	params[0] = id;
	params[1] = chain_access_owner(req);
	if ((res = db_exec(req, lock ? &q_chain_lock : &q_chain_find, 2,
	    params, err)) == NULL)
		return false;
	if (PQntuples(res) == 0)
		return chain_not_found(id, err);
	snprintf(out->id, sizeof(out->id), "%s", db_get(res, 0, "id"));
	out->difficulty = (int)db_get_int(res, 0, "difficulty");
	return true;
}
