/*
 * Sessions.  Login answers the same 401 for an unknown email and a wrong
 * password, and spends the same Argon2 work on both, so neither the
 * message nor the time tells which.  Failures are counted per email;
 * past login_max_failures within login_window the answer is 429 with
 * Retry-After, before any password is checked.
 *
 * Refresh tokens rotate: each use issues a new one and marks the old one
 * rotated.  A rotated token presented again means it was copied: the
 * whole session (the family) is revoked, and that revocation commits
 * even though the request itself fails.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/authn.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/params.h"
#include "core/password.h"
#include "core/request.h"
#include "accounts.h"
#include "sessions.h"
#include "tokens.h"

/* Verified against when the email is unknown, to spend the same time. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA"
    "$lC0Mv2a7hmR7y1C0mJkA2q3c9o0pGx4s3Z5b2vWl8fI";

static struct db_stmt q_failures = DB_STMT(
    "SELECT count(*) AS n, ceil(extract(epoch FROM"
    " min(at) + make_interval(secs => $2::int) - now()))::int AS retry"
    " FROM cloudsim.login_failures"
    " WHERE lower(email) = lower($1)"
    " AND at > now() - make_interval(secs => $2::int)");

static struct db_stmt q_failure_add = DB_STMT(
    "INSERT INTO cloudsim.login_failures (email) VALUES ($1)");

static struct db_stmt q_failures_clear = DB_STMT(
    "DELETE FROM cloudsim.login_failures WHERE lower(email) = lower($1)"
    " OR at < now() - make_interval(secs => $2::int)");

static struct db_stmt q_user_by_email = DB_STMT(
    "SELECT id, account_id, role, password_hash FROM cloudsim.users"
    " WHERE lower(email) = lower($1)");

static struct db_stmt q_rehash = DB_STMT(
    "UPDATE cloudsim.users SET password_hash = $2 WHERE id = $1::uuid");

struct login_args {
	const char		*email;
	const char		*new_hash;	/* rehash, or NULL */
	struct token_subject	 subject;
};

static bool
login_tx(struct request *req, void *arg, struct api_error *err)
{
	struct login_args	*a = arg;
	const char		*params[2], *ids[1] = { a->subject.user_id };
	char			 window[16];
	struct response		*res = req->scratch;

	snprintf(window, sizeof(window), "%ld", config_int("login_window"));
	params[0] = a->email;
	params[1] = window;
	if (db_exec(req, &q_failures_clear, 2, params, err) == NULL)
		return false;
	if (a->new_hash != NULL) {
		params[0] = a->subject.user_id;
		params[1] = a->new_hash;
		if (db_exec(req, &q_rehash, 2, params, err) == NULL)
			return false;
	}
	return tokens_new_session(req, res, &a->subject, err) &&
	    audit_write(req, "auth.login", ids, 1, 200, err);
}

bool
sessions_login(struct request *req, struct response *res,
    struct api_error *err)
{
	struct login_args	 a = { 0 };
	json_t			*body;
	const char		*password, *params[2], *hash;
	char			 window[16], *retry;
	PGresult		*r;
	bool			 known;
	struct password_params pp = {
		.t_cost = (uint32_t)config_int("argon2_t_cost"),
		.m_cost_kib = (uint32_t)config_int("argon2_m_cost_kib"),
		.parallelism = (uint32_t)config_int("argon2_parallelism"),
	};

	if (!request_json(req, &body, err) ||
	    !param_string(body, "email", true, 1, EMAIL_MAX, &a.email, err) ||
	    !param_string(body, "password", true, 1, PASSWORD_MAX, &password,
	    err))
		return false;
	snprintf(window, sizeof(window), "%ld", config_int("login_window"));
	params[0] = a.email;
	params[1] = window;
	if ((r = db_exec(req, &q_failures, 2, params, err)) == NULL)
		return false;
	if (db_get_int(r, 0, "n") >= config_int("login_max_failures")) {
		retry = arena_printf(req->arena, "%lld",
		    db_get_int(r, 0, "retry") > 0 ? db_get_int(r, 0, "retry") : 1);
		response_header(res, "Retry-After", retry);
		return api_error_set(err, 429, "RequestLimitExceeded",
		    "too many failed logins for this email; retry in %s "
		    "seconds", retry);
	}
	if ((r = db_exec(req, &q_user_by_email, 1, params, err)) == NULL)
		return false;
	known = PQntuples(r) == 1;
	hash = known ? db_get(r, 0, "password_hash") : dummy_hash;
	if (!password_verify(hash, password) || !known) {
		db_exec(req, &q_failure_add, 1, params, NULL);
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the email or the password is incorrect");
	}
	a.subject.user_id = arena_strdup(req->arena, db_get(r, 0, "id"));
	a.subject.account_id = arena_strdup(req->arena,
	    db_get(r, 0, "account_id"));
	a.subject.role = arena_strdup(req->arena, db_get(r, 0, "role"));
	if (password_needs_rehash(hash, &pp)) {
		char *h = password_hash(password, &pp, NULL);
		a.new_hash = h != NULL ? arena_strdup(req->arena, h) : NULL;
		free(h);
	}
	snprintf(req->principal.account_id, sizeof(req->principal.account_id),
	    "%s", a.subject.account_id);
	snprintf(req->principal.user_id, sizeof(req->principal.user_id), "%s",
	    a.subject.user_id);
	req->scratch = res;
	return db_transaction(req, login_tx, &a, err);
}

static struct db_stmt q_refresh_find = DB_STMT(
    "SELECT t.session_id, t.rotated_at IS NOT NULL AS rotated,"
    " s.revoked_at IS NOT NULL OR s.expires_at < now() AS dead,"
    " u.id AS user_id, u.account_id, u.role"
    " FROM cloudsim.refresh_tokens t"
    " JOIN cloudsim.sessions s ON s.id = t.session_id"
    " JOIN cloudsim.users u ON u.id = s.user_id"
    " WHERE t.token_hash = $1::bytea FOR UPDATE OF t, s");

static struct db_stmt q_refresh_rotate = DB_STMT(
    "UPDATE cloudsim.refresh_tokens SET rotated_at = now()"
    " WHERE token_hash = $1::bytea");

static struct db_stmt q_session_revoke = DB_STMT(
    "UPDATE cloudsim.sessions SET revoked_at = now(), revoked_why = $2"
    " WHERE id = $1::uuid AND revoked_at IS NULL");

struct refresh_args {
	const char	*hash;
	bool		 reused;	/* the family was revoked */
};

static bool
refresh_tx(struct request *req, void *arg, struct api_error *err)
{
	struct refresh_args	*a = arg;
	struct token_subject	 s;
	const char		*params[2], *session, *ids[1];
	PGresult		*r;

	params[0] = a->hash;
	if ((r = db_exec(req, &q_refresh_find, 1, params, err)) == NULL)
		return false;
	if (PQntuples(r) != 1 || db_get_bool(r, 0, "dead"))
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the refresh token is invalid or expired");
	session = arena_strdup(req->arena, db_get(r, 0, "session_id"));
	snprintf(req->principal.account_id, sizeof(req->principal.account_id),
	    "%s", db_get(r, 0, "account_id"));
	snprintf(req->principal.user_id, sizeof(req->principal.user_id), "%s",
	    db_get(r, 0, "user_id"));
	ids[0] = session;
	if (db_get_bool(r, 0, "rotated")) {
		/* Reuse: revoke the family, and commit that. */
		params[0] = session;
		params[1] = "refresh-reuse";
		a->reused = true;
		return db_exec(req, &q_session_revoke, 2, params, err) != NULL &&
		    audit_write(req, "auth.refresh-reuse", ids, 1, 401, err);
	}
	s.user_id = arena_strdup(req->arena, db_get(r, 0, "user_id"));
	s.account_id = arena_strdup(req->arena, db_get(r, 0, "account_id"));
	s.role = arena_strdup(req->arena, db_get(r, 0, "role"));
	return db_exec(req, &q_refresh_rotate, 1, params, err) != NULL &&
	    tokens_issue(req, req->scratch, &s, session, err) &&
	    audit_write(req, "auth.refresh", ids, 1, 200, err);
}

bool
sessions_refresh(struct request *req, struct response *res,
    struct api_error *err)
{
	struct refresh_args	 a = { 0 };
	json_t			*body;
	const char		*token;

	if (!request_json(req, &body, err) ||
	    !param_string(body, "refresh_token", true, 1, 256, &token, err))
		return false;
	a.hash = authn_hash_hex(req->arena, token);
	req->scratch = res;
	if (!db_transaction(req, refresh_tx, &a, err))
		return false;
	if (a.reused) {
		res->json = NULL;
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the refresh token was already used; its session has "
		    "been revoked");
	}
	return true;
}

static struct db_stmt q_jti_revoke = DB_STMT(
    "INSERT INTO cloudsim.revoked_tokens (jti, expires_at)"
    " VALUES ($1::uuid, to_timestamp($2::bigint)) ON CONFLICT DO NOTHING");

static struct db_stmt q_revoked_prune = DB_STMT(
    "DELETE FROM cloudsim.revoked_tokens WHERE expires_at < now()");

static bool
logout_tx(struct request *req, void *arg, struct api_error *err)
{
	const struct principal	*p = &req->principal;
	const char		*params[2], *ids[1];
	char			 exp[24];

	(void)arg;
	if (p->session_id[0] != '\0') {
		params[0] = p->session_id;
		params[1] = "logout";
		if (db_exec(req, &q_session_revoke, 2, params, err) == NULL)
			return false;
	}
	if (p->jti[0] != '\0') {
		snprintf(exp, sizeof(exp), "%lld", p->token_exp);
		params[0] = p->jti;
		params[1] = exp;
		if (db_exec(req, &q_jti_revoke, 2, params, err) == NULL ||
		    db_exec(req, &q_revoked_prune, 0, NULL, err) == NULL)
			return false;
	}
	ids[0] = p->session_id;
	return audit_write(req, "auth.logout", ids, p->session_id[0] ? 1 : 0,
	    200, err);
}

bool
sessions_logout(struct request *req, struct response *res,
    struct api_error *err)
{
	if (!db_transaction(req, logout_tx, NULL, err))
		return false;
	response_header(res, "Set-Cookie", arena_printf(req->arena,
	    "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
	    config_bool("cookie_secure") ? "; Secure" : ""));
	response_json(req, res, 200, json_pack("{s:b}", "logged_out", 1));
	return true;
}
