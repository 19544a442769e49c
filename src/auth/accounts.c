/*
 * Registration: an account (12 random digits), its first user with an
 * Argon2id hash, and whatever the resource services create for a new
 * account (cloudsim.account_created: default VPCs), in one transaction.
 * The slow part, hashing, happens before the transaction opens.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/params.h"
#include "core/password.h"
#include "core/request.h"
#include "accounts.h"

static const struct db_constraint constraints[] = {
	{ "users_email_key", 409, "EmailAlreadyExists",
	  "this email cannot be used to register" },
	{ NULL, 0, NULL, NULL }
};

bool
accounts_email_valid(const char *e)
{
	const char	*at = strchr(e, '@'), *p;

	if (at == NULL || at == e || strchr(at + 1, '@') != NULL ||
	    strlen(e) > EMAIL_MAX)
		return false;
	for (p = e; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' ||
		    *p == '<' || *p == '>' || *p == '\\' || *p == ',')
			return false;
	p = strrchr(at + 1, '.');
	return p != NULL && p > at + 1 && p[1] != '\0';
}

/* The user as the API shows it; one statement for register and me. */
#define USER_JSON \
    "json_build_object('id', u.id, 'email', u.email, 'name', u.name," \
    " 'account_id', u.account_id," \
    " 'arn', 'arn:aws:iam::' || u.account_id || ':user/' || u.name," \
    " 'role', u.role, 'created_at', " DB_TIMESTAMP("u.created_at") ")"

static struct db_stmt q_account_new = DB_STMT(
    "INSERT INTO cloudsim.accounts (id, name) VALUES ($1, $2)"
    " ON CONFLICT (id) DO NOTHING RETURNING id");

static struct db_stmt q_user_new = DB_STMT(
    "WITH u AS (INSERT INTO cloudsim.users"
    " (id, account_id, email, name, role, password_hash)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6) RETURNING *)"
    " SELECT " USER_JSON " AS user, cloudsim.account_created($2) FROM u");

bool
accounts_create(struct request *req, const char *email, const char *password,
    const char *name, const char *role, json_t **out, struct api_error *err)
{
	uint64_t	 rnd;
	char		 account[24], *hash;
	const char	*params[6];
	PGresult	*r = NULL;
	int		 tries;
	bool		 ok = false;
	struct password_params pp = {
		.t_cost = (uint32_t)config_int("argon2_t_cost"),
		.m_cost_kib = (uint32_t)config_int("argon2_m_cost_kib"),
		.parallelism = (uint32_t)config_int("argon2_parallelism"),
	};

	db_register_constraints(constraints);
	if ((hash = password_hash(password, &pp, err)) == NULL)
		return false;
	/* 10^12 ids: a collision is rare; three tries make it negligible. */
	for (tries = 0; tries < 3 && r == NULL; tries++) {
		id_random(&rnd, sizeof(rnd));
		/* 12 digits, no leading zero; the modulo bias is < 1e-7. */
		snprintf(account, sizeof(account), "%llu",
		    (unsigned long long)(rnd % 900000000000ULL +
		    100000000000ULL));
		params[0] = account;
		params[1] = name;
		if ((r = db_exec(req, &q_account_new, 2, params, err)) == NULL)
			goto out;
		if (PQntuples(r) == 0)
			r = NULL;
	}
	if (r == NULL) {
		api_error_internal(err);
		goto out;
	}
	params[0] = id_uuid(req->arena);
	params[1] = account;
	params[2] = email;
	params[3] = name;
	params[4] = role;
	params[5] = hash;
	if ((r = db_exec(req, &q_user_new, 6, params, err)) == NULL)
		goto out;
	*out = json_loads(db_get(r, 0, "user"), 0, NULL);
	ok = *out != NULL;
	if (!ok)
		api_error_internal(err);
out:
	/* Frees: the hash (not secret on its own, but not needed). */
	free(hash);
	return ok;
}

struct register_args {
	const char	*email, *password, *name;
	json_t		*user;
};

static bool
register_tx(struct request *req, void *arg, struct api_error *err)
{
	struct register_args	*a = arg;
	const char		*ids[2];

	if (!accounts_create(req, a->email, a->password, a->name, "user",
	    &a->user, err))
		return false;
	request_keep(req, a->user);
	ids[0] = json_string_value(json_object_get(a->user, "account_id"));
	ids[1] = json_string_value(json_object_get(a->user, "id"));
	snprintf(req->principal.account_id, sizeof(req->principal.account_id),
	    "%s", ids[0]);
	snprintf(req->principal.user_id, sizeof(req->principal.user_id),
	    "%s", ids[1]);
	return audit_write(req, "auth.register", ids, 2, 201, err);
}

bool
accounts_register(struct request *req, struct response *res,
    struct api_error *err)
{
	struct register_args	 a = { 0 };
	json_t			*body;

	if (!request_json(req, &body, err) ||
	    !param_string(body, "email", true, 3, EMAIL_MAX, &a.email, err) ||
	    !param_string(body, "password", true, 0, PASSWORD_MAX,
	    &a.password, err) ||
	    !param_string(body, "name", true, 1, NAME_MAX_LEN, &a.name, err))
		return false;
	if (!accounts_email_valid(a.email))
		return api_error_invalid(err, "'%s' is not a valid email "
		    "address", a.email);
	if (utf8_length(a.password) < PASSWORD_MIN)
		return api_error_invalid(err, "the password must be at least "
		    "%d characters long", PASSWORD_MIN);
	if (!db_transaction(req, register_tx, &a, err))
		return false;
	response_json(req, res, 201, json_incref(a.user));
	return true;
}

static struct db_stmt q_me = DB_STMT(
    "SELECT " USER_JSON " AS user FROM cloudsim.users u WHERE u.id = $1::uuid");

bool
accounts_me(struct request *req, struct response *res, struct api_error *err)
{
	const char	*params[1] = { req->principal.user_id };
	PGresult	*r;
	json_t		*user;

	if ((r = db_exec(req, &q_me, 1, params, err)) == NULL)
		return false;
	if (PQntuples(r) != 1 ||
	    (user = json_loads(db_get(r, 0, "user"), 0, NULL)) == NULL)
		return api_error_internal(err);
	response_json(req, res, 200, user);
	return true;
}
