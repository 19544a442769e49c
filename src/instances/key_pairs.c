/*
 * Key pairs.  The key material is made (or read) before the
 * transaction, which then holds one INSERT and the audit row; a name
 * already taken is the unique key's verdict (ON CONFLICT … DO NOTHING
 * returns no row), so two creations racing for one name cannot both
 * succeed.  JSON is built by SQL from the table's columns.
 */
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/scope.h"
#include "core/tag_change.h"
#include "core/tags.h"
#include "key_pairs.h"
#include "ssh_keys.h"
#include "tenancy.h"

/* A key pair as the API shows it, from a row k of cloudsim.key_pairs. */
#define KEY_PAIR_JSON(k) \
    "json_build_object('id', " k ".id, 'arn', 'arn:aws:ec2:' || " k ".region" \
    " || ':' || " k ".account_id || ':key-pair/' || " k ".id," \
    " 'account_id', " k ".account_id, 'region', " k ".region," \
    " 'name', " k ".name, 'key_type', " k ".key_type," \
    " 'fingerprint', " k ".fingerprint, 'public_key', " k ".public_key," \
    " 'imported', " k ".imported," \
    " 'created_at', " DB_TIMESTAMP(k ".created_at") ", 'tags', " k ".tags)"

/* The id of the caller's pair named (or with id) $1, in $2 / $3. */
#define KEY_PAIR_BY_NAME \
    "(SELECT x.id FROM cloudsim.key_pairs x WHERE x.account_id = $2" \
    " AND x.region = $3 AND (x.name = $1 OR x.id = $1)" \
    " ORDER BY x.id = $1 DESC LIMIT 1)"

const char *const key_pair_filter_keys[] = {
	"key_name", "key_pair_id", "key_type", "fingerprint", NULL
};

/* A JSON column's text as a value (new reference), or 500. */
static json_t *
json_column(const PGresult *r, int row, const char *col,
    struct api_error *err)
{
	const char	*text = db_get(r, row, col);
	json_t		*v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (v == NULL)
		api_error_internal(err);
	return v;
}

/* 1..255 printable ASCII characters, as EC2 takes key names. */
static bool
name_check(const char *name, struct api_error *err)
{
	size_t	i, len;

	if (name == NULL)
		return api_error_missing(err, "name");
	len = strlen(name);
	for (i = 0; i < len; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return api_error_invalid(err, "the key pair name must "
			    "be printable ASCII; '%.64s' is not", name);
	if (len < 1 || len > KEY_PAIR_NAME_MAX)
		return api_error_invalid(err, "the key pair name must be 1 to "
		    "%d characters long, got %zu", KEY_PAIR_NAME_MAX, len);
	return true;
}

/* The insert transaction's input and output. */
struct key_pair_new {
	const char	*params[8];
	const char	*name;
	const char	*action;
	PGresult	*row;		/* out */
};

static struct db_stmt q_key_pair_insert = DB_STMT(
    "WITH k AS (INSERT INTO cloudsim.key_pairs (account_id, region, name,"
    " key_type, public_key, fingerprint, imported, tags)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7::boolean, $8::jsonb)"
    " ON CONFLICT ON CONSTRAINT key_pairs_name_key DO NOTHING RETURNING *)"
    " SELECT k.id, " KEY_PAIR_JSON("k") " AS key_pair FROM k");

static bool
key_pair_insert_tx(struct request *req, void *arg, struct api_error *err)
{
	struct key_pair_new	*n = arg;
	const char		*id;

	if ((n->row = db_exec(req, &q_key_pair_insert, 8, n->params,
	    err)) == NULL)
		return false;
	if (PQntuples(n->row) == 0)
		return api_error_set(err, 409, "InvalidKeyPair.Duplicate",
		    "the key pair '%s' already exists", n->name);
	id = db_get(n->row, 0, "id");
	return audit_write(req, n->action, &id, 1, 201, err);
}

/* Insert key as the caller's pair name; the pair's JSON or NULL. */
static json_t *
key_pair_insert(struct request *req, const char *name,
    const struct ssh_key *key, const struct tag_set *tags,
    const char *action, struct api_error *err)
{
	struct scope		t;
	struct key_pair_new	n;

	if (!scope_write(req, &t, err))
		return NULL;
	memset(&n, 0, sizeof(n));
	n.params[0] = t.account;
	n.params[1] = t.region;
	n.params[2] = name;
	n.params[3] = key->key_type;
	n.params[4] = key->public_key;
	n.params[5] = key->fingerprint;
	n.params[6] = key->private_key == NULL ? "true" : "false";
	n.params[7] = tags_param(req, tags);
	n.name = name;
	n.action = action;
	if (!db_transaction(req, key_pair_insert_tx, &n, err))
		return NULL;
	return json_column(n.row, 0, "key_pair", err);
}

json_t *
key_pair_create(struct request *req, const struct key_pair_create_params *in,
    struct api_error *err)
{
	const char	*type = in->key_type ? in->key_type : "rsa";
	struct ssh_key	 key;
	json_t		*out;

	if (!name_check(in->name, err) || !tags_validate(&in->tags, err))
		return NULL;
	if (strcmp(type, "rsa") != 0 && strcmp(type, "ed25519") != 0) {
		api_error_invalid(err, "the key type '%.32s' is not supported; "
		    "use rsa or ed25519", type);
		return NULL;
	}
	if (!ssh_key_generate(req->arena, type, in->name, &key, err) ||
	    (out = key_pair_insert(req, in->name, &key, &in->tags,
	    KEY_PAIR_ACTION_CREATE, err)) == NULL)
		return NULL;
	/* Shown this once: the database never sees the private key. */
	json_object_set_new(out, "private_key", json_string(key.private_key));
	return out;
}

json_t *
key_pair_import(struct request *req, const struct key_pair_import_params *in,
    struct api_error *err)
{
	struct ssh_key	key;

	if (!name_check(in->name, err) || !tags_validate(&in->tags, err))
		return NULL;
	if (in->public_key == NULL) {
		api_error_missing(err, "public_key");
		return NULL;
	}
	if (!ssh_key_parse_public(req->arena, in->public_key, &key, err))
		return NULL;
	return key_pair_insert(req, in->name, &key, &in->tags,
	    KEY_PAIR_ACTION_IMPORT, err);
}

/*
 * The filtered pairs (f, inlined into both uses so that the page is an
 * index range), their count and one page as a JSON array; a caller's
 * and an admin's list are two statements, as for instances.
 */
#define KEY_PAIR_LIST(scope) \
    "WITH f AS NOT MATERIALIZED (SELECT k.* FROM cloudsim.key_pairs k" \
    " WHERE " scope " AND k.region = $2" \
    " AND ($3::text[] IS NULL OR k.name = ANY ($3))" \
    " AND ($4::text[] IS NULL OR k.id = ANY ($4))" \
    " AND ($5::text[] IS NULL OR k.key_type = ANY ($5))" \
    " AND ($6::text[] IS NULL OR k.fingerprint = ANY ($6))" \
    " AND ($7::jsonb IS NULL OR cloudsim.tags_match(k.tags, $7::jsonb)))" \
    " SELECT (SELECT count(*) FROM f) AS total," \
    " coalesce((SELECT json_agg(" KEY_PAIR_JSON("p") \
    " ORDER BY p.created_at, p.id) FROM (SELECT * FROM f" \
    " ORDER BY created_at, id LIMIT $8 OFFSET $9) p), '[]') AS items"

static struct db_stmt q_key_pair_list = DB_STMT(
    KEY_PAIR_LIST("k.account_id = $1"));
static struct db_stmt q_key_pair_list_all = DB_STMT(
    KEY_PAIR_LIST("$1::text IS NULL"));

json_t *
key_pair_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 t;
	const char	*p[9];
	PGresult	*r;
	json_t		*items;

	if (!scope_read(req, &t, err))
		return NULL;
	p[0] = t.account;
	p[1] = t.region;
	p[2] = listing_filter_param(req, f, "key_name");
	p[3] = listing_filter_param(req, f, "key_pair_id");
	p[4] = listing_filter_param(req, f, "key_type");
	p[5] = listing_filter_param(req, f, "fingerprint");
	p[6] = listing_tag_param(req, f);
	p[7] = listing_limit(req, page);
	p[8] = listing_offset(req, page);
	if ((r = db_exec(req, t.account ? &q_key_pair_list :
	    &q_key_pair_list_all, 9, p, err)) == NULL ||
	    (items = json_column(r, 0, "items", err)) == NULL)
		return NULL;
	return listing_envelope(items, db_get_int(r, 0, "total"), page);
}

static struct db_stmt q_key_pair_get = DB_STMT(
    "SELECT " KEY_PAIR_JSON("k") " AS key_pair FROM cloudsim.key_pairs k"
    " WHERE ($2::text IS NULL OR k.account_id = $2) AND k.region = $3"
    " AND (k.name = $1 OR k.id = $1)"
    " ORDER BY k.id = $1 DESC, k.account_id LIMIT 1");

json_t *
key_pair_get(struct request *req, const char *name_or_id,
    struct api_error *err)
{
	struct scope	 t;
	const char	*p[3];
	PGresult	*r;

	if (!scope_read(req, &t, err))
		return NULL;
	p[0] = name_or_id;
	p[1] = t.account;
	p[2] = t.region;
	if ((r = db_exec(req, &q_key_pair_get, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		key_pair_not_found(name_or_id, err);
		return NULL;
	}
	return json_column(r, 0, "key_pair", err);
}

/* One change by name or id: the statement, its parameters, its row. */
struct key_pair_change {
	struct db_stmt	*st;
	const char	*action;
	const char	*params[3];
	PGresult	*row;
};

static bool
key_pair_change_tx(struct request *req, void *arg, struct api_error *err)
{
	struct key_pair_change	*c = arg;
	const char		*id;

	if ((c->row = db_exec(req, c->st, 3, c->params, err)) == NULL)
		return false;
	if (PQntuples(c->row) == 0)
		return key_pair_not_found(c->params[0], err);
	id = db_get(c->row, 0, "id");
	return audit_write(req, c->action, &id, 1, 200, err);
}

static bool
key_pair_change(struct request *req, struct key_pair_change *c,
    struct api_error *err)
{
	struct scope	t;

	if (c->params[0] == NULL)
		return api_error_missing(err, "name");
	if (!scope_write(req, &t, err))
		return false;
	c->params[1] = t.account;
	c->params[2] = t.region;
	return db_transaction(req, key_pair_change_tx, c, err);
}

static struct db_stmt q_key_pair_delete = DB_STMT(
    "DELETE FROM cloudsim.key_pairs WHERE id = " KEY_PAIR_BY_NAME
    " RETURNING id");

bool
key_pair_delete(struct request *req, const char *name_or_id,
    struct api_error *err)
{
	struct key_pair_change	c;

	memset(&c, 0, sizeof(c));
	c.st = &q_key_pair_delete;
	c.action = KEY_PAIR_ACTION_DELETE;
	c.params[0] = name_or_id;
	return key_pair_change(req, &c, err);
}

static struct db_stmt q_key_pair_tags_merge = DB_STMT(
    "UPDATE cloudsim.key_pairs SET tags = tags || $4::jsonb"
    " WHERE id = " KEY_PAIR_BY_NAME " RETURNING id, tags");
static struct db_stmt q_key_pair_tags_delete = DB_STMT(
    "UPDATE cloudsim.key_pairs SET tags = tags - $4::text[]"
    " WHERE id = " KEY_PAIR_BY_NAME " RETURNING id, tags");

static bool
tags_not_found(const void *unused, const char *name_or_id,
    struct api_error *err)
{
	(void)unused;
	return key_pair_not_found(name_or_id, err);
}

json_t *
key_pair_tags_merge(struct request *req, const char *name_or_id,
    const struct tag_set *tags, struct api_error *err)
{
	struct tag_target	t = { name_or_id, &q_key_pair_tags_merge,
				    tags_not_found, NULL };

	if (name_or_id == NULL) {
		api_error_missing(err, "name");
		return NULL;
	}
	return tag_change_merge(req, &t, tags, err);
}

json_t *
key_pair_tags_delete(struct request *req, const char *name_or_id,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	struct tag_target	t = { name_or_id, &q_key_pair_tags_delete,
				    tags_not_found, NULL };

	if (name_or_id == NULL) {
		api_error_missing(err, "name");
		return NULL;
	}
	return tag_change_remove(req, &t, keys, nkeys, err);
}
