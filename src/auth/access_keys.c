/*
 * Access keys.  The 40-character secret is generated here, returned in
 * the creating response only, and stored sealed with AES-256-GCM under
 * master_key with the key id as associated data, so a sealed secret
 * copied onto another key's row does not open.  The limit of two
 * active keys per user is a trigger in the schema (003_auth.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/keyring.h"
#include "core/params.h"
#include "core/request.h"
#include "core/secretbox.h"
#include "access_keys.h"

#define KEY_JSON \
    "json_build_object('access_key_id', id, 'status', status," \
    " 'created_at', " DB_TIMESTAMP("created_at") "," \
    " 'last_used_at', " DB_TIMESTAMP("last_used_at") ")"

static struct db_stmt q_key_new = DB_STMT(
    "INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed)"
    " VALUES ($1, $2::uuid, $3) RETURNING " KEY_JSON " AS key");

struct create_args {
	const char	*id, *sealed;
	json_t		*key;
};

static bool
create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct create_args	*a = arg;
	const char		*params[3] = { a->id, req->principal.user_id,
				    a->sealed };
	PGresult		*r;

	if ((r = db_exec(req, &q_key_new, 3, params, err)) == NULL)
		return false;
	if ((a->key = json_loads(db_get(r, 0, "key"), 0, NULL)) == NULL)
		return api_error_internal(err);
	request_keep(req, a->key);
	return audit_write(req, "auth.CreateAccessKey", &a->id, 1, 201, err);
}

/* 40 characters of the base64 alphabet, as AWS secrets look. */
static void
new_secret(char out[ACCESS_KEY_SECRET_LEN + 1])
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char	rnd[ACCESS_KEY_SECRET_LEN];
	size_t		i;

	id_random(rnd, sizeof(rnd));
	for (i = 0; i < ACCESS_KEY_SECRET_LEN; i++)
		out[i] = alphabet[rnd[i] & 63];
	out[ACCESS_KEY_SECRET_LEN] = '\0';
	OPENSSL_cleanse(rnd, sizeof(rnd));
}

bool
access_keys_create(struct request *req, struct response *res,
    struct api_error *err)
{
	struct create_args	 a = { 0 };
	const unsigned char	*master;
	char			 secret[ACCESS_KEY_SECRET_LEN + 1], *sealed;
	bool			 ok = false;

	if ((master = keyring_master(err)) == NULL)
		return false;
	a.id = id_access_key(req->arena);
	new_secret(secret);
	if ((sealed = secretbox_seal(master, secret, strlen(secret), a.id,
	    err)) == NULL)
		goto out;
	a.sealed = arena_strdup(req->arena, sealed);
	free(sealed);
	if (!db_transaction(req, create_tx, &a, err))
		goto out;
	json_object_set_new(a.key, "secret_access_key", json_string(secret));
	response_json(req, res, 201, json_incref(a.key));
	ok = true;
out:
	/* Frees: the clear secret, wiped (the response holds its copy). */
	OPENSSL_cleanse(secret, sizeof(secret));
	return ok;
}

static struct db_stmt q_keys = DB_STMT(
    "SELECT COALESCE(json_agg(" KEY_JSON " ORDER BY created_at, id), '[]')"
    " AS items FROM cloudsim.access_keys WHERE user_id = $1::uuid");

bool
access_keys_list(struct request *req, struct response *res,
    struct api_error *err)
{
	const char	*params[1] = { req->principal.user_id };
	PGresult	*r;
	json_t		*items;

	if ((r = db_exec(req, &q_keys, 1, params, err)) == NULL)
		return false;
	if ((items = json_loads(db_get(r, 0, "items"), 0, NULL)) == NULL)
		return api_error_internal(err);
	response_json(req, res, 200, json_pack("{s:o, s:I}", "items", items,
	    "total", (json_int_t)json_array_size(items)));
	return true;
}

static bool
key_id(struct request *req, const char **id, struct api_error *err)
{
	*id = request_param(req, "id");
	if (*id == NULL || strlen(*id) != 20 || strncmp(*id, "AKIA", 4) != 0)
		return api_error_set(err, 400, "InvalidAccessKeyId.Malformed",
		    "'%s' is not an access key id (AKIA + 16 characters)",
		    *id ? *id : "");
	return true;
}

static bool
not_found(const char *id, struct api_error *err)
{
	return api_error_set(err, 404, "InvalidAccessKeyId.NotFound",
	    "the access key '%s' does not exist", id);
}

static struct db_stmt q_key_status = DB_STMT(
    "UPDATE cloudsim.access_keys SET status = $3"
    " WHERE id = $1 AND user_id = $2::uuid RETURNING " KEY_JSON " AS key");

struct update_args {
	const char	*id, *status;
	json_t		*key;
};

static bool
update_tx(struct request *req, void *arg, struct api_error *err)
{
	struct update_args	*a = arg;
	const char		*params[3] = { a->id, req->principal.user_id,
				    a->status };
	PGresult		*r;

	if ((r = db_exec(req, &q_key_status, 3, params, err)) == NULL)
		return false;
	if (PQntuples(r) != 1)
		return not_found(a->id, err);
	if ((a->key = json_loads(db_get(r, 0, "key"), 0, NULL)) == NULL)
		return api_error_internal(err);
	request_keep(req, a->key);
	return audit_write(req, "auth.UpdateAccessKey", &a->id, 1, 200, err);
}

bool
access_keys_update(struct request *req, struct response *res,
    struct api_error *err)
{
	struct update_args	 a = { 0 };
	json_t			*body;

	if (!key_id(req, &a.id, err) || !request_json(req, &body, err) ||
	    !param_string(body, "status", true, 1, 16, &a.status, err))
		return false;
	if (strcmp(a.status, "Active") != 0 && strcmp(a.status, "Inactive") != 0)
		return api_error_invalid(err, "'status' must be 'Active' or "
		    "'Inactive', got '%s'", a.status);
	if (!db_transaction(req, update_tx, &a, err))
		return false;
	response_json(req, res, 200, json_incref(a.key));
	return true;
}

static struct db_stmt q_key_delete = DB_STMT(
    "DELETE FROM cloudsim.access_keys WHERE id = $1 AND user_id = $2::uuid");

static bool
delete_tx(struct request *req, void *arg, struct api_error *err)
{
	const char	*id = arg, *params[2] = { id, req->principal.user_id };
	PGresult	*r;

	if ((r = db_exec(req, &q_key_delete, 2, params, err)) == NULL)
		return false;
	if (strcmp(PQcmdTuples(r), "1") != 0)
		return not_found(id, err);
	return audit_write(req, "auth.DeleteAccessKey", &id, 1, 200, err);
}

bool
access_keys_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	const char	*id;

	if (!key_id(req, &id, err) ||
	    !db_transaction(req, delete_tx, (void *)id, err))
		return false;
	response_json(req, res, 200, json_pack("{s:s, s:b}",
	    "access_key_id", id, "deleted", 1));
	return true;
}
