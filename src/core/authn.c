/*
 * Authenticating a request: a Bearer JWT, the sid cookie, or an AWS
 * SigV4 signature (Authorization header or presigned query) made with
 * an access key.  Each path ends in one database query that also checks
 * revocation, so a logout or a deactivated key takes effect at once on
 * every process.  Every failure is 401 AuthenticationFailure; the
 * message says which credential failed, never whether a user exists.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "arena.h"
#include "authn.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "hex.h"
#include "ids.h"
#include "jwt.h"
#include "keyring.h"
#include "request.h"
#include "secretbox.h"
#include "sigv4.h"

static bool
deny(struct api_error *err, const char *why)
{
	return api_error_set(err, 401, "AuthenticationFailure", "%s", why);
}

static void
set_principal(struct principal *p, const PGresult *r)
{
	snprintf(p->account_id, sizeof(p->account_id), "%s",
	    db_get(r, 0, "account_id"));
	snprintf(p->user_id, sizeof(p->user_id), "%s", db_get(r, 0, "user_id"));
	snprintf(p->role, sizeof(p->role), "%s", db_get(r, 0, "role"));
	p->authenticated = true;
}

/*
 * The database's half of a Bearer token's check (sql/013): raises 401
 * unless the user still has the claimed account and role and neither the
 * token nor its session is revoked.  It is a guard: it travels with the
 * request's first statement and keeps that statement from running.
 */
static struct db_stmt q_token_check = DB_STMT(
    "SELECT cloudsim.token_check($1::uuid, $2, $3, $4::uuid, $5::uuid)");

/* A claim as a string of at most max bytes, or NULL. */
static const char *
claim(json_t *claims, const char *name, size_t max)
{
	const char	*v = json_string_value(json_object_get(claims, name));

	return v != NULL && *v != '\0' && strlen(v) <= max ? v : NULL;
}

static bool
by_bearer(struct request *req, const char *token, struct api_error *err)
{
	struct principal	*p = &req->principal;
	const struct jwt_keys	*keys;
	json_t			*claims;
	const char		*sub, *acct, *role, *jti, *sid, *params[5];
	bool			 ok = false;

	if ((keys = keyring_jwt(err)) == NULL)
		return false;
	claims = jwt_verify(keys, token, config_get("jwt_issuer"),
	    config_get("jwt_audience"), time(NULL), err);
	if (claims == NULL)
		return false;
	sub = claim(claims, "sub", sizeof(p->user_id) - 1);
	acct = claim(claims, "acct", sizeof(p->account_id) - 1);
	role = claim(claims, "role", sizeof(p->role) - 1);
	jti = claim(claims, "jti", sizeof(p->jti) - 1);
	sid = json_string_value(json_object_get(claims, "sid"));
	if (!id_is_uuid(sub) || !id_is_uuid(jti) || acct == NULL ||
	    role == NULL || (sid != NULL && !id_is_uuid(sid))) {
		deny(err, "the access token's claims are malformed");
		goto out;
	}
	/* The signed claims, until the guard has the database agree. */
	snprintf(p->user_id, sizeof(p->user_id), "%s", sub);
	snprintf(p->account_id, sizeof(p->account_id), "%s", acct);
	snprintf(p->role, sizeof(p->role), "%s", role);
	snprintf(p->jti, sizeof(p->jti), "%s", jti);
	if (sid != NULL)
		snprintf(p->session_id, sizeof(p->session_id), "%s", sid);
	p->token_exp = json_integer_value(json_object_get(claims, "exp"));
	p->authenticated = true;
	/* db_guard keeps the pointers: they point into req->principal. */
	params[0] = p->user_id;
	params[1] = p->account_id;
	params[2] = p->role;
	params[3] = p->jti;
	params[4] = sid != NULL ? p->session_id : NULL;
	db_guard(&q_token_check, 5, params);
	ok = true;
out:
	/* Frees: the claims. */
	json_decref(claims);
	return ok;
}

static struct db_stmt q_sid_user = DB_STMT(
    "SELECT s.id AS session_id, u.id AS user_id, u.account_id, u.role"
    " FROM cloudsim.sessions s JOIN cloudsim.users u ON u.id = s.user_id"
    " WHERE s.sid_hash = $1::bytea AND s.revoked_at IS NULL"
    " AND s.expires_at > now()");

/* "\\x" + hex SHA-256 of s, the bytea literal sessions store. */
char *
authn_hash_hex(struct arena *a, const char *s)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0;
	char		*out;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	out = arena_alloc(a, 2 + 2 * n + 1);
	out[0] = '\\';
	out[1] = 'x';
	hex_encode(md, n, out + 2);
	return out;
}

static bool
by_cookie(struct request *req, const char *sid, struct api_error *err)
{
	const char	*params[1];
	PGresult	*r;

	if (strlen(sid) < 20 || strlen(sid) > 128)
		return deny(err, "the session cookie is malformed");
	params[0] = authn_hash_hex(req->arena, sid);
	if ((r = db_exec(req, &q_sid_user, 1, params, err)) == NULL)
		return false;
	if (PQntuples(r) != 1)
		return deny(err, "the session has ended; log in again");
	set_principal(&req->principal, r);
	snprintf(req->principal.session_id, sizeof(req->principal.session_id),
	    "%s", db_get(r, 0, "session_id"));
	return true;
}

static struct db_stmt q_key = DB_STMT(
    "SELECT k.secret_sealed, u.id AS user_id, u.account_id, u.role,"
    " (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')"
    "  AS stale"
    " FROM cloudsim.access_keys k JOIN cloudsim.users u ON u.id = k.user_id"
    " WHERE k.id = $1 AND k.status = 'Active'");

static struct db_stmt q_key_used = DB_STMT(
    "UPDATE cloudsim.access_keys SET last_used_at = now() WHERE id = $1"
    " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')");

/* The request's headers in SigV4's form, rebuilt from CGI variables. */
static size_t
collect_headers(struct request *req, struct sigv4_header **out)
{
	struct sigv4_header	*h;
	size_t			 n = 0, cap = 0, i, len;
	char			**e, *name;
	const char		*eq;

	for (e = req->envp; e != NULL && *e != NULL; e++)
		cap++;
	h = arena_calloc(req->arena, cap + 1, sizeof(*h));
	for (e = req->envp; e != NULL && *e != NULL; e++) {
		const char *var = *e, *from;
		if ((eq = strchr(var, '=')) == NULL)
			continue;
		/*
		 * The body's type and length are CGI's CONTENT_TYPE and
		 * CONTENT_LENGTH; nginx also sends them as HTTP_ variables,
		 * which would give the signed header twice.
		 */
		if (strncmp(var, "HTTP_CONTENT_TYPE=", 18) == 0 ||
		    strncmp(var, "HTTP_CONTENT_LENGTH=", 20) == 0)
			continue;
		if (strncmp(var, "HTTP_", 5) == 0)
			from = var + 5;
		else if (strncmp(var, "CONTENT_TYPE=", 13) == 0 ||
		    strncmp(var, "CONTENT_LENGTH=", 15) == 0)
			from = var;
		else
			continue;
		len = (size_t)(eq - from);
		name = arena_alloc(req->arena, len + 1);
		for (i = 0; i < len; i++)
			name[i] = from[i] == '_' ? '-' :
			    (char)tolower((unsigned char)from[i]);
		name[len] = '\0';
		/* An empty Content-Length is the web server's, not the client's. */
		if (from == var && eq[1] == '\0')
			continue;
		h[n].name = name;
		h[n].value = eq + 1;
		n++;
	}
	*out = h;
	return n;
}

bool
authn_sigv4(struct request *req, const char *const *services,
    struct sigv4_auth *auth, struct api_error *err)
{
	struct sigv4_request	 sr;
	struct sigv4_header	*headers;
	const unsigned char	*master;
	unsigned char		*secret = NULL;
	const char		*params[1];
	PGresult		*r;
	size_t			 slen = 0;
	bool			 ok = false, parsed = false;

	memset(&sr, 0, sizeof(sr));
	sr.method = req->method;
	sr.path = req->path;
	sr.query = req->query_string;
	sr.nheaders = collect_headers(req, &headers);
	sr.headers = headers;
	sr.body = req->body_len > 0 ? req->body : NULL;
	sr.body_len = req->body_len;
	for (; *services != NULL && !parsed; services++)
		parsed = sigv4_parse(&sr, *services, auth, err);
	if (!parsed || !sigv4_check_time(auth, time(NULL), err))
		return false;
	if ((master = keyring_master(err)) == NULL)
		return false;
	params[0] = auth->access_key_id;
	if ((r = db_exec(req, &q_key, 1, params, err)) == NULL)
		return false;
	if (PQntuples(r) == 1)
		secret = secretbox_open(master, db_get(r, 0, "secret_sealed"),
		    auth->access_key_id, &slen, err);
	/* An unknown key does the same work as a wrong signature. */
	if (!sigv4_verify(&sr, auth, (const char *)secret, time(NULL), err))
		goto out;
	set_principal(&req->principal, r);
	snprintf(req->principal.access_key_id,
	    sizeof(req->principal.access_key_id), "%.20s", auth->access_key_id);
	/* last_used_at is kept to the minute: most requests write nothing. */
	if (strcmp(db_get(r, 0, "stale"), "t") == 0)
		db_exec(req, &q_key_used, 1, params, NULL);
	ok = true;
out:
	/* Frees: the opened secret, wiped first. */
	if (secret != NULL) {
		OPENSSL_cleanse(secret, slen);
		free(secret);
	}
	return ok;
}

bool
authn_authenticate(struct request *req, struct api_error *err)
{
	static const char *const services[] = { "ec2", "cloudsim", NULL };
	struct sigv4_auth	 auth;
	const char		*h = request_header(req, "Authorization");
	const char		*sid;

	if (h != NULL && strncmp(h, "Bearer ", 7) == 0)
		return by_bearer(req, h + 7, err);
	if ((h != NULL && strncmp(h, SIGV4_ALGORITHM, strlen(SIGV4_ALGORITHM)) == 0) ||
	    kvlist_get(&req->query, "X-Amz-Algorithm") != NULL)
		return authn_sigv4(req, services, &auth, err);
	if (h != NULL)
		return deny(err, "the Authorization header must be 'Bearer "
		    "<token>' or an AWS4-HMAC-SHA256 signature");
	if ((sid = request_cookie(req, "sid")) != NULL)
		return by_cookie(req, sid, err);
	return deny(err, "the request carries no credentials: send a Bearer "
	    "token, the sid cookie or an AWS SigV4 signature");
}
