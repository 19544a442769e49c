/*
 * Authenticating a request: a Bearer JWT, the sid cookie, or an AWS
 * SigV4 signature (Authorization header or presigned query) made with
 * an access key.  Each path ends in one database check of revocation,
 * so a logout or a deactivated key takes effect at once on every
 * process.  A Bearer token, and an access key this process has verified
 * in the last few seconds, are verified here (from what the process
 * kept of them: the token's claims, the key's signing key) and their
 * check is a guard (db.c) that travels with the handler's first
 * statement: one round trip, not two.  Every failure is 401
 * AuthenticationFailure; the message says which credential failed,
 * never whether a user exists.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

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
#include "sha256.h"
#include "sigv4.h"
#include "timestamp.h"

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

/*
 * Bearer tokens this process has verified, so that the requests that
 * carry one in the next seconds skip the signature and the claims'
 * parse (base64url, two JSON parses and an HMAC or an RSA check: 45 %
 * of instances.fcgi's work for GET /api/v1/instances/{id}).  An entry
 * is the token's SHA-256, never the token, and the claims the principal
 * takes; a token that hashes the same is the same bytes, which verified
 * then.  Only time can change that verdict: "exp" is checked again at
 * each use, and "nbf" and "iat" only ever grow more true.  The guard
 * still checks revocation with the handler's first statement, and its
 * refusal drops the entry (authn_forget).  Entries last
 * KEY_CACHE_TTL_MS, like the access keys'; when full, the oldest entry
 * makes room.
 */
#define TOKEN_CACHE_SIZE	32
#define KEY_CACHE_TTL_MS	10000.0

struct cached_token {
	unsigned char	 hash[SHA256_LEN];
	struct principal who;		/* !authenticated: the slot is free */
	double		 exp;		/* the claim, as jwt_verify reads it */
	double		 fetched;	/* monotonic ms, when verified */
};

static struct cached_token token_cache[TOKEN_CACHE_SIZE];

/* The entry of a token whose SHA-256 is hash, if still trusted at now. */
static struct cached_token *
token_cache_find(const unsigned char hash[SHA256_LEN], double now)
{
	struct cached_token	*t;

	for (t = token_cache; t < token_cache + TOKEN_CACHE_SIZE; t++) {
		if (!t->who.authenticated ||
		    CRYPTO_memcmp(t->hash, hash, SHA256_LEN) != 0)
			continue;
		if (now - t->fetched < KEY_CACHE_TTL_MS &&
		    (double)time(NULL) < t->exp)
			return t;
		t->who.authenticated = false;
		break;
	}
	return NULL;
}

/* Remember the verified principal p of the token hashed to hash. */
static void
token_cache_put(const unsigned char hash[SHA256_LEN],
    const struct principal *p, double exp, double now)
{
	struct cached_token	*t, *slot = token_cache;

	for (t = token_cache; t < token_cache + TOKEN_CACHE_SIZE; t++) {
		/* A free slot, else the oldest entry. */
		if (slot->who.authenticated &&
		    (!t->who.authenticated || t->fetched < slot->fetched))
			slot = t;
	}
	memcpy(slot->hash, hash, SHA256_LEN);
	slot->who = *p;
	slot->exp = exp;
	slot->fetched = now;
}

/* The guard of a token's principal p (whose strings db_guard keeps). */
static void
token_guard(struct principal *p)
{
	const char	*params[5];

	p->authenticated = true;
	params[0] = p->user_id;
	params[1] = p->account_id;
	params[2] = p->role;
	params[3] = p->jti;
	params[4] = p->session_id[0] != '\0' ? p->session_id : NULL;
	db_guard(&q_token_check, 5, params);
}

static bool
by_bearer(struct request *req, const char *token, struct api_error *err)
{
	struct principal	*p = &req->principal;
	struct cached_token	*t;
	const struct jwt_keys	*keys;
	json_t			*claims;
	unsigned char		 hash[SHA256_LEN];
	const char		*sub, *acct, *role, *jti, *sid;
	double			 now = timestamp_monotonic_ms();
	bool			 ok = false, hashed;

	hashed = sha256(token, strlen(token), hash);
	if (hashed && (t = token_cache_find(hash, now)) != NULL) {
		*p = t->who;
		token_guard(p);
		return true;
	}
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
	token_guard(p);
	if (hashed)
		token_cache_put(hash, p,
		    json_number_value(json_object_get(claims, "exp")), now);
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
	unsigned char	 md[SHA256_LEN];
	size_t		 n = sha256(s, strlen(s), md) ? SHA256_LEN : 0;
	char		*out;

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

/*
 * The database's half of a cached key's check (sql/014): raises 401,
 * exactly as an unknown key is refused, unless the key is still Active
 * and the user's, the user still in the account and, for an entry
 * cached as an admin's, still an admin.  A guard, like q_token_check;
 * when it refuses, authn_forget drops the entry.
 */
static struct db_stmt q_key_check = DB_STMT(
    "SELECT cloudsim.access_key_check($1, $2::uuid, $3, $4)");

/*
 * Access keys this process has verified, so that the requests signed
 * with one in the next seconds need no lookup: the signature is
 * verified here and q_key_check travels with the handler's first
 * statement.  An entry is trusted for KEY_CACHE_TTL_MS: then the key is
 * looked up again (which stamps last_used_at when due), so a promotion
 * reaches every process within that time (a demotion at once: the guard
 * refuses an admin's entry), and a deleted key's entry does not linger.
 * The secret is kept as stored, sealed.  What is kept open is the
 * signing key of the last scope (day, region, service) the entry
 * verified a request for: SigV4 derives it from the secret for that
 * scope alone, with four HMACs and the secret opened each time, which
 * were a tenth of ec2.fcgi's work for a DescribeInstances.  It is wiped
 * when the entry goes.  Fixed size: when full, the oldest entry makes
 * room.
 */
#define KEY_CACHE_SIZE		32
#define KEY_SCOPE_LEN	(8 + 1 + SIGV4_REGION_MAX + 1 + SIGV4_SERVICE_MAX + 1)

struct cached_key {
	char	 id[21];		/* AKIA + 16; "" when the slot is free */
	char	 sealed[128];		/* secret_sealed as stored */
	char	 user_id[37];
	char	 account_id[13];
	char	 role[8];
	double	 fetched;		/* monotonic ms, before the lookup */
	char	 scope[KEY_SCOPE_LEN];	/* date/region/service; "": no key */
	unsigned char signing_key[SIGV4_KEY_LEN];
};

static struct cached_key key_cache[KEY_CACHE_SIZE];

/* Frees an entry's slot, its signing key wiped. */
static void
key_cache_drop(struct cached_key *k)
{
	OPENSSL_cleanse(k->signing_key, sizeof(k->signing_key));
	k->scope[0] = '\0';
	k->id[0] = '\0';
}

/* auth's credential scope, "date/region/service", into out. */
static void
scope_of(const struct sigv4_auth *auth, char out[KEY_SCOPE_LEN])
{
	snprintf(out, KEY_SCOPE_LEN, "%s/%s/%s", auth->date, auth->region,
	    auth->service);
}

/* Keeps key as k's signing key for auth's scope. */
static void
key_cache_keep(struct cached_key *k, const struct sigv4_auth *auth,
    const unsigned char key[SIGV4_KEY_LEN])
{
	memcpy(k->signing_key, key, SIGV4_KEY_LEN);
	scope_of(auth, k->scope);
}

/* The entry for id if it is still to be trusted, or NULL. */
static struct cached_key *
key_cache_find(const char *id, double now)
{
	struct cached_key	*k;

	for (k = key_cache; k < key_cache + KEY_CACHE_SIZE; k++) {
		if (k->id[0] == '\0' || strcmp(k->id, id) != 0)
			continue;
		if (now - k->fetched < KEY_CACHE_TTL_MS)
			return k;
		key_cache_drop(k);
		break;
	}
	return NULL;
}

/* Copy from into to[size]; false, copying nothing, when it does not fit. */
static bool
store(char *to, size_t size, const char *from)
{
	size_t	len;

	if (from == NULL || (len = strlen(from)) >= size)
		return false;
	memcpy(to, from, len + 1);
	return true;
}

/*
 * Remember the key q_key found (row 0 of r), fetched at now; its entry,
 * or NULL when a value does not fit.
 */
static struct cached_key *
key_cache_put(const char *id, const PGresult *r, double now)
{
	struct cached_key	*k, *slot = key_cache;

	for (k = key_cache; k < key_cache + KEY_CACHE_SIZE; k++) {
		if (strcmp(k->id, id) == 0) {
			slot = k;
			break;
		}
		/* A free slot, else the oldest entry. */
		if (slot->id[0] != '\0' &&
		    (k->id[0] == '\0' || k->fetched < slot->fetched))
			slot = k;
	}
	/* The id goes in last: a slot left half filled stays free. */
	key_cache_drop(slot);
	if (!store(slot->sealed, sizeof(slot->sealed),
	    db_get(r, 0, "secret_sealed")) ||
	    !store(slot->user_id, sizeof(slot->user_id),
	    db_get(r, 0, "user_id")) ||
	    !store(slot->account_id, sizeof(slot->account_id),
	    db_get(r, 0, "account_id")) ||
	    !store(slot->role, sizeof(slot->role), db_get(r, 0, "role")))
		return NULL;
	slot->fetched = now;
	return store(slot->id, sizeof(slot->id), id) ? slot : NULL;
}

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

/*
 * A request signed with a cached key: the signature verified here with
 * the entry's signing key (derived from the opened secret first when
 * the request's scope is not the one kept), the principal taken from
 * the entry, and the key's check left to travel with the handler's
 * first statement.  False when the entry does not verify the request,
 * with nothing set: the caller then looks the key up, so that an entry
 * can never refuse what the database would accept.
 */
static bool
by_cached_key(struct request *req, const struct sigv4_request *sr,
    const struct sigv4_auth *auth, const unsigned char *master,
    struct cached_key *k)
{
	struct principal	*p = &req->principal;
	struct api_error	 e;
	unsigned char		*secret, key[SIGV4_KEY_LEN];
	char			 scope[KEY_SCOPE_LEN];
	const char		*params[4];
	size_t			 slen = 0;
	bool			 ok;

	scope_of(auth, scope);
	if (strcmp(k->scope, scope) == 0)
		ok = sigv4_verify_key(sr, auth, k->signing_key, time(NULL), &e);
	else {
		secret = secretbox_open(master, k->sealed, k->id, &slen, &e);
		if (secret == NULL)
			return false;
		ok = sigv4_signing_key((const char *)secret, auth, key) &&
		    sigv4_verify_key(sr, auth, key, time(NULL), &e);
		if (ok)
			key_cache_keep(k, auth, key);
		OPENSSL_cleanse(key, sizeof(key));
		OPENSSL_cleanse(secret, slen);
		free(secret);
	}
	if (!ok)
		return false;
	snprintf(p->user_id, sizeof(p->user_id), "%s", k->user_id);
	snprintf(p->account_id, sizeof(p->account_id), "%s", k->account_id);
	snprintf(p->role, sizeof(p->role), "%s", k->role);
	snprintf(p->access_key_id, sizeof(p->access_key_id), "%.20s", k->id);
	p->authenticated = true;
	/* db_guard keeps the pointers: they point into req->principal. */
	params[0] = p->access_key_id;
	params[1] = p->user_id;
	params[2] = p->account_id;
	params[3] = p->role;
	db_guard(&q_key_check, 4, params);
	return true;
}

/*
 * The key looked up (q_key), its secret opened, the signature verified,
 * last_used_at stamped when due; the key is then cached, as fetched at
 * now, with the signing key of the request's scope.
 */
static bool
by_key_lookup(struct request *req, const struct sigv4_request *sr,
    const struct sigv4_auth *auth, const unsigned char *master, double now,
    struct api_error *err)
{
	struct cached_key	*k;
	unsigned char		*secret = NULL, key[SIGV4_KEY_LEN] = { 0 };
	const char		*params[1];
	PGresult		*r;
	size_t			 slen = 0;
	bool			 ok = false, keyed = false;

	params[0] = auth->access_key_id;
	if ((r = db_exec(req, &q_key, 1, params, err)) == NULL)
		return false;
	if (PQntuples(r) == 1 &&
	    (secret = secretbox_open(master, db_get(r, 0, "secret_sealed"),
	    auth->access_key_id, &slen, err)) != NULL &&
	    !(keyed = sigv4_signing_key((const char *)secret, auth, key))) {
		api_error_internal(err);
		goto out;
	}
	/* An unknown key is refused as a wrong signature is. */
	if (!sigv4_verify_key(sr, auth, keyed ? key : NULL, time(NULL), err))
		goto out;
	set_principal(&req->principal, r);
	snprintf(req->principal.access_key_id,
	    sizeof(req->principal.access_key_id), "%.20s", auth->access_key_id);
	/* last_used_at is kept to the minute: most requests write nothing. */
	if (strcmp(db_get(r, 0, "stale"), "t") == 0)
		db_exec(req, &q_key_used, 1, params, NULL);
	if ((k = key_cache_put(auth->access_key_id, r, now)) != NULL)
		key_cache_keep(k, auth, key);
	ok = true;
out:
	/* Frees: the opened secret and its signing key, wiped first. */
	OPENSSL_cleanse(key, sizeof(key));
	if (secret != NULL) {
		OPENSSL_cleanse(secret, slen);
		free(secret);
	}
	return ok;
}

bool
authn_sigv4(struct request *req, const char *const *services,
    struct sigv4_auth *auth, struct api_error *err)
{
	struct sigv4_request	 sr;
	struct sigv4_header	*headers;
	struct cached_key	*k;
	const unsigned char	*master;
	double			 now;
	bool			 parsed = false;

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
	now = timestamp_monotonic_ms();
	if ((k = key_cache_find(auth->access_key_id, now)) != NULL) {
		if (by_cached_key(req, &sr, auth, master, k))
			return true;
		/* A wrong signature, or a wrong entry: the database decides. */
		key_cache_drop(k);
	}
	return by_key_lookup(req, &sr, auth, master, now, err);
}

void
authn_forget(const struct request *req)
{
	struct cached_key	*k;
	struct cached_token	*t;
	const char		*id = req->principal.access_key_id;
	const char		*jti = req->principal.jti;

	for (k = key_cache; id[0] != '\0' && k < key_cache + KEY_CACHE_SIZE;
	    k++)
		if (strcmp(k->id, id) == 0)
			key_cache_drop(k);
	for (t = token_cache; jti[0] != '\0' &&
	    t < token_cache + TOKEN_CACHE_SIZE; t++)
		if (strcmp(t->who.jti, jti) == 0)
			t->who.authenticated = false;
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
