/*
 * Sessions, refresh tokens and access tokens.  An access token is a JWT
 * with sub, acct, role, sid (its session), jti, iat, exp, iss, aud; the
 * refresh token and the sid cookie are opaque random strings whose
 * SHA-256 is all the database keeps.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/authn.h"
#include "core/base64.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/jwt.h"
#include "core/keyring.h"
#include "core/request.h"
#include "tokens.h"

char *
tokens_random(struct request *req)
{
	unsigned char	 raw[32];
	char		*out;

	id_random(raw, sizeof(raw));
	/* base64url without padding: safe in cookies and JSON. */
	out = arena_alloc(req->arena, BASE64_LEN(sizeof(raw)) + 1);
	base64_encode_buf(BASE64_URL, raw, sizeof(raw), out);
	return out;
}

static struct db_stmt q_refresh_new = DB_STMT(
    "INSERT INTO cloudsim.refresh_tokens (token_hash, session_id)"
    " VALUES ($1::bytea, $2::uuid)");

bool
tokens_issue(struct request *req, struct response *res,
    const struct token_subject *s, const char *session_id,
    struct api_error *err)
{
	const struct jwt_keys	*keys;
	json_t			*claims;
	char			*jwt, *refresh;
	const char		*params[2];
	long long		 now = (long long)time(NULL);
	long			 ttl = config_int("access_token_ttl");
	bool			 ok;

	if ((keys = keyring_jwt(err)) == NULL)
		return false;
	refresh = tokens_random(req);
	params[0] = authn_hash_hex(req->arena, refresh);
	params[1] = session_id;
	if (db_exec(req, &q_refresh_new, 2, params, err) == NULL)
		return false;
	claims = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "sub", s->user_id, "acct", s->account_id, "role", s->role,
	    "sid", session_id, "jti", id_uuid(req->arena),
	    "iat", now, "exp", now + ttl,
	    "iss", config_get("jwt_issuer"), "aud", config_get("jwt_audience"));
	jwt = claims != NULL ? jwt_sign(keys, claims, err) : NULL;
	json_decref(claims);
	if ((ok = jwt != NULL)) {
		response_json(req, res, 200, json_pack(
		    "{s:s, s:s, s:i, s:s}", "access_token", jwt,
		    "token_type", "Bearer", "expires_in", (int)ttl,
		    "refresh_token", refresh));
		free(jwt);
	}
	return ok;
}

static struct db_stmt q_session_new = DB_STMT(
    "INSERT INTO cloudsim.sessions (id, user_id, sid_hash, expires_at)"
    " VALUES ($1::uuid, $2::uuid, $3::bytea,"
    " now() + make_interval(secs => $4::int))");

bool
tokens_new_session(struct request *req, struct response *res,
    const struct token_subject *s, struct api_error *err)
{
	const char	*params[4], *session_id = id_uuid(req->arena);
	char		*sid = tokens_random(req), ttl[24];

	snprintf(ttl, sizeof(ttl), "%ld", config_int("refresh_token_ttl"));
	params[0] = session_id;
	params[1] = s->user_id;
	params[2] = authn_hash_hex(req->arena, sid);
	params[3] = ttl;
	if (db_exec(req, &q_session_new, 4, params, err) == NULL ||
	    !tokens_issue(req, res, s, session_id, err))
		return false;
	response_header(res, "Set-Cookie", arena_printf(req->arena,
	    "sid=%s; Path=/; Max-Age=%s; HttpOnly; SameSite=Lax%s", sid, ttl,
	    config_bool("cookie_secure") ? "; Secure" : ""));
	return true;
}

bool
tokens_jwks(struct request *req, struct response *res, struct api_error *err)
{
	const struct jwt_keys	*keys;
	json_t			*doc;

	if ((keys = keyring_jwt(err)) == NULL ||
	    (doc = jwt_jwks(keys)) == NULL)
		return api_error_internal(err);
	response_json(req, res, 200, doc);
	response_header(res, "Cache-Control", "public, max-age=300");
	return true;
}
