/*
 * auth.fcgi end to end through the web server: register, login, me,
 * refresh rotation and reuse detection, logout, cookie sessions, access
 * keys with botocore-signed SigV4 requests, token rejections,
 * throttling, tenancy, and the audit trail — with every failure checked
 * to its status and code, and nothing written by a failed request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

static char	hdr[8][4300];

/* A one-header list for http(). */
static const char **
h1(const char *fmt, const char *v)
{
	static const char *list[2];

	snprintf(hdr[0], sizeof(hdr[0]), fmt, v);
	list[0] = hdr[0];
	list[1] = NULL;
	return list;
}

/* Run a botocore-signed request; the status, body into out. */
static int
sigv4(const char *method, const char *path, const char *akid,
    const char *secret, const char *body, int tamper, char *out, size_t len)
{
	char	 cmd[2048];
	FILE	*p;
	int	 status = -1;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/http/sigv4_call.py %s "
	    "'%s%s' '%s' '%s' %s%s%s %s", method, http_base(), path, akid,
	    secret, body ? "'" : "", body ? body : "", body ? "'" : "",
	    tamper ? "--tamper" : "");
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fscanf(p, "%d ", &status) != 1)
		status = -1;
	out[0] = '\0';
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	pclose(p);
	return status;
}

static const char *
count_users(const char *email)
{
	const char *p[1] = { email };

	return sql_value("SELECT count(*) FROM cloudsim.users "
	    "WHERE lower(email) = lower($1)", 1, p);
}

int
main(void)
{
	struct reply		 r = { 0 };
	struct test_account	 a, b;
	char			 body[8192], token[4096], refresh[256], out[4096];
	char			 cookie[256], akid[32], secret[64], akid2[32];
	const char		*v, *p[2];
	int			 i;

	/* --- register ------------------------------------------------ */
	ok(account_new(&a), "register and log in account A");
	ok(account_new(&b), "register and log in account B");
	ok(strlen(a.account_id) == 12, "account id has 12 digits");
	ok(strcmp(a.account_id, b.account_id) != 0, "accounts differ");

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"x\","
	    "\"name\":\"X\"}", "new1@example.com");
	is_int(http(&r, "POST", "/api/v1/auth/register", body, NULL), 400,
	    "short password is 400");
	is_str(http_json_str(&r, "error.code"), "InvalidParameterValue",
	    "short password code");
	is_str(count_users("new1@example.com"), "0", "nothing written");

	is_int(http(&r, "POST", "/api/v1/auth/register",
	    "{\"email\":\"not-an-email\",\"password\":\"long enough password\","
	    "\"name\":\"X\"}", NULL), 400, "invalid email is 400");
	is_int(http(&r, "POST", "/api/v1/auth/register",
	    "{\"email\":\"a@b.co\",\"name\":\"X\"}", NULL), 400,
	    "missing password is 400");
	is_str(http_json_str(&r, "error.code"), "MissingParameter",
	    "missing password code");
	is_int(http(&r, "POST", "/api/v1/auth/register",
	    "{\"email\":5,\"password\":\"long enough password\",\"name\":\"X\"}",
	    NULL), 400, "email of the wrong type is 400");
	memset(out, 'n', 200);
	out[200] = '\0';
	snprintf(body, sizeof(body), "{\"email\":\"new2@example.com\","
	    "\"password\":\"long enough password\",\"name\":\"%s\"}", out);
	is_int(http(&r, "POST", "/api/v1/auth/register", body, NULL), 400,
	    "name over 128 characters is 400");
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"long enough password\",\"name\":\"Dup\"}", a.email);
	for (i = 0; body[i] != '\0'; i++)	/* same email, other case */
		if (body[i] == 't' && i < 12)
			body[i] = 'T';
	is_int(http(&r, "POST", "/api/v1/auth/register", body, NULL), 409,
	    "duplicate email (any case) is 409");
	is_str(http_json_str(&r, "error.code"), "EmailAlreadyExists",
	    "duplicate email code");
	is_str(count_users(a.email), "1", "still one user with that email");

	/* --- body rules of API.md ------------------------------------ */
	is_int(http(&r, "POST", "/api/v1/auth/register", "{\"email\":", NULL),
	    400, "invalid JSON is 400");
	is_str(http_json_str(&r, "error.code"), "MalformedJSON",
	    "invalid JSON code");
	is_int(http(&r, "POST", "/api/v1/auth/register", "[1,2]", NULL), 400,
	    "a JSON array body is 400");
	is_int(http(&r, "POST", "/api/v1/auth/register", "email=x",
	    h1("Content-Type: %s", "application/x-www-form-urlencoded")), 415,
	    "wrong content type is 415");
	is_str(http_json_str(&r, "error.code"), "UnsupportedMediaType",
	    "415 code");
	{
		size_t	 n = 1100000;
		char	*big = malloc(n + 64);
		memset(big, ' ', n);
		memcpy(big, "{\"email\":\"", 10);
		memcpy(big + n, "\"}", 3);
		is_int(http(&r, "POST", "/api/v1/auth/register", big, NULL),
		    413, "a body over 1 MiB is 413");
		is_str(http_json_str(&r, "error.code"),
		    "RequestEntityTooLarge", "413 code");
		free(big);
	}
	is_int(http(&r, "GET", "/api/v1/auth/register", NULL, NULL), 405,
	    "GET on register is 405");

	/* --- login and me -------------------------------------------- */
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    a.email, a.password);
	is_int(http(&r, "POST", "/api/v1/auth/login", body, NULL), 200,
	    "login is 200");
	is_str(http_json_str(&r, "token_type"), "Bearer", "token_type");
	ok(json_integer_value(json_object_get(r.json, "expires_in")) == 900,
	    "expires_in is 900");
	v = http_header(&r, "Set-Cookie");
	ok(v != NULL && strstr(v, "HttpOnly") && strstr(v, "SameSite=Lax") &&
	    strncmp(v, "sid=", 4) == 0, "sid cookie is HttpOnly, SameSite=Lax");
	snprintf(cookie, sizeof(cookie), "Cookie: %.*s", (int)strcspn(v, ";"), v);
	snprintf(token, sizeof(token), "%s", http_json_str(&r, "access_token"));
	snprintf(refresh, sizeof(refresh), "%s",
	    http_json_str(&r, "refresh_token"));

	snprintf(hdr[1], sizeof(hdr[1]), "Authorization: Bearer %s", token);
	{
		const char *bh[2] = { hdr[1], NULL };
		is_int(http(&r, "GET", "/api/v1/auth/me", NULL, bh), 200,
		    "me with the Bearer token");
	}
	is_str(http_json_str(&r, "email"), a.email, "me: email");
	is_str(http_json_str(&r, "account_id"), a.account_id, "me: account");
	is_str(http_json_str(&r, "role"), "user", "me: role user");
	ok(http_json_str(&r, "arn") != NULL &&
	    strncmp(http_json_str(&r, "arn"), "arn:aws:iam::", 13) == 0,
	    "me: arn");
	ok(json_object_get(r.json, "password_hash") == NULL &&
	    strstr(r.body, "argon2") == NULL, "me never shows the hash");
	{
		const char *ch[2] = { cookie, NULL };
		is_int(http(&r, "GET", "/api/v1/auth/me", NULL, ch), 200,
		    "me with the sid cookie");
		is_str(http_json_str(&r, "email"), a.email, "cookie: same user");
	}

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"wrong password here\"}", a.email);
	is_int(http(&r, "POST", "/api/v1/auth/login", body, NULL), 401,
	    "wrong password is 401");
	snprintf(out, sizeof(out), "%s", http_json_str(&r, "error.message"));
	is_int(http(&r, "POST", "/api/v1/auth/login",
	    "{\"email\":\"nobody@example.com\",\"password\":\"whatever pass\"}",
	    NULL), 401, "unknown email is 401");
	is_str(http_json_str(&r, "error.message"), out,
	    "same message for unknown email and wrong password");
	is_str(http_json_str(&r, "error.code"), "AuthenticationFailure",
	    "401 code");

	/* --- rejected credentials ------------------------------------ */
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL, NULL), 401,
	    "no credentials is 401");
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Authorization: Bearer %s", "garbage")), 401, "garbage token");
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Authorization: Basic %s", "dXNlcjpwYXNz")), 401,
	    "Basic auth is 401");
	/* alg none: header {"alg":"none","typ":"JWT"} with A's claims. */
	snprintf(body, sizeof(body), "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%.*s.",
	    (int)(strrchr(token, '.') - strchr(token, '.') - 1),
	    strchr(token, '.') + 1);
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Authorization: Bearer %s", body)), 401, "alg none is 401");
	snprintf(body, sizeof(body), "%s", token);
	body[strlen(body) - 3] ^= 1;
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Authorization: Bearer %s", body)), 401, "bad signature is 401");
	snprintf(body, sizeof(body), "%.*s", (int)(strlen(token) - 10), token);
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Authorization: Bearer %s", body)), 401, "truncated token");
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL,
	    h1("Cookie: sid=%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
	    401, "unknown sid cookie is 401");

	/* --- refresh rotation and reuse ------------------------------ */
	snprintf(body, sizeof(body), "{\"refresh_token\":\"%s\"}", refresh);
	is_int(http(&r, "POST", "/api/v1/auth/refresh", body, NULL), 200,
	    "refresh is 200");
	ok(http_json_str(&r, "access_token") != NULL &&
	    strcmp(http_json_str(&r, "refresh_token"), refresh) != 0,
	    "refresh returns a new refresh token");
	snprintf(out, sizeof(out), "{\"refresh_token\":\"%s\"}",
	    http_json_str(&r, "refresh_token"));
	is_int(http(&r, "POST", "/api/v1/auth/refresh", body, NULL), 401,
	    "reusing the rotated refresh token is 401");
	is_int(http(&r, "POST", "/api/v1/auth/refresh", out, NULL), 401,
	    "reuse revoked the family: the newest token fails too");
	{
		const char *bh[2] = { hdr[1], NULL };
		is_int(http(&r, "GET", "/api/v1/auth/me", NULL, bh), 401,
		    "and the family's access token is refused");
	}
	is_int(http(&r, "POST", "/api/v1/auth/refresh",
	    "{\"refresh_token\":\"nope\"}", NULL), 401, "unknown refresh token");
	is_int(http(&r, "POST", "/api/v1/auth/refresh", "{}", NULL), 400,
	    "refresh without token is 400");

	/* --- logout -------------------------------------------------- */
	is_int(http(&r, "POST", "/api/v1/auth/logout", "{}", b.headers), 200,
	    "logout is 200");
	v = http_header(&r, "Set-Cookie");
	ok(v != NULL && strstr(v, "Max-Age=0") != NULL, "logout clears the cookie");
	is_int(http(&r, "GET", "/api/v1/auth/me", NULL, b.headers), 401,
	    "the token is refused after logout");
	snprintf(body, sizeof(body), "{\"refresh_token\":\"%s\"}", b.refresh);
	is_int(http(&r, "POST", "/api/v1/auth/refresh", body, NULL), 401,
	    "and so is its refresh token");
	ok(account_new(&b), "account B logs in again (new account)");

	/* --- access keys and SigV4 ----------------------------------- */
	ok(account_new(&a), "fresh account A for keys");
	is_int(http(&r, "POST", "/api/v1/auth/access-keys", "{}", a.headers),
	    201, "create an access key");
	snprintf(akid, sizeof(akid), "%s", http_json_str(&r, "access_key_id"));
	snprintf(secret, sizeof(secret), "%s",
	    http_json_str(&r, "secret_access_key"));
	ok(strlen(akid) == 20 && strncmp(akid, "AKIA", 4) == 0, "AKIA id");
	is_int(strlen(secret), 40, "40-character secret");
	is_str(http_json_str(&r, "status"), "Active", "status Active");
	p[0] = akid;
	p[1] = secret;
	is_str(sql_value("SELECT count(*) FROM cloudsim.access_keys WHERE id = $1"
	    " AND strpos(secret_sealed, $2) = 0", 2, p), "1",
	    "the secret is not stored in clear");
	is_int(http(&r, "GET", "/api/v1/auth/access-keys", NULL, a.headers),
	    200, "list keys");
	ok(strstr(r.body, akid) != NULL && strstr(r.body, secret) == NULL,
	    "the list never shows the secret");

	is_int(sigv4("GET", "/api/v1/auth/me", akid, secret, NULL, 0, out,
	    sizeof(out)), 200, "botocore-signed GET /me is 200");
	ok(strstr(out, a.account_id) != NULL, "signed request acts as A");
	is_int(sigv4("GET", "/api/v1/auth/me", akid, secret, NULL, 1, out,
	    sizeof(out)), 401, "tampered signed request is 401");
	is_int(sigv4("POST", "/api/v1/auth/access-keys", akid, secret, "{}", 1,
	    out, sizeof(out)), 401, "tampered signed body is 401");
	is_int(sigv4("GET", "/api/v1/auth/me", akid,
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL, 0, out,
	    sizeof(out)), 401, "wrong secret is 401");
	is_int(sigv4("GET", "/api/v1/auth/me", "AKIAAAAAAAAAAAAAAAAA", secret,
	    NULL, 0, out, sizeof(out)), 401, "unknown key id is 401");

	is_int(http(&r, "POST", "/api/v1/auth/access-keys", "{}", a.headers),
	    201, "second key");
	snprintf(akid2, sizeof(akid2), "%s", http_json_str(&r, "access_key_id"));
	is_int(http(&r, "POST", "/api/v1/auth/access-keys", "{}", a.headers),
	    409, "a third active key is 409");
	is_str(http_json_str(&r, "error.code"), "LimitExceeded",
	    "limit code");
	snprintf(body, sizeof(body), "/api/v1/auth/access-keys/%s", akid);
	is_int(http(&r, "PATCH", body, "{\"status\":\"Inactive\"}", a.headers),
	    200, "deactivate the first key");
	is_str(http_json_str(&r, "status"), "Inactive", "now Inactive");
	is_int(sigv4("GET", "/api/v1/auth/me", akid, secret, NULL, 0, out,
	    sizeof(out)), 401, "an inactive key is refused");
	is_int(http(&r, "PATCH", body, "{\"status\":\"Paused\"}", a.headers),
	    400, "unknown status is 400");
	is_int(http(&r, "PATCH", body, "{\"status\":\"Active\"}", b.headers),
	    404, "B cannot touch A's key");
	is_int(http(&r, "DELETE", body, NULL, b.headers), 404,
	    "B cannot delete A's key");
	is_int(http(&r, "DELETE", body, NULL, a.headers), 200, "delete key");
	is_int(http(&r, "DELETE", body, NULL, a.headers), 404,
	    "deleting again is 404");
	is_int(http(&r, "DELETE", "/api/v1/auth/access-keys/xyz", NULL,
	    a.headers), 400, "malformed key id is 400");
	is_int(http(&r, "GET", "/api/v1/auth/access-keys", NULL, b.headers),
	    200, "B lists keys");
	ok(strstr(r.body, akid2) == NULL, "B does not see A's keys");

	/* --- JWKS ---------------------------------------------------- */
	is_int(http(&r, "GET", "/.well-known/jwks.json", NULL, NULL), 200,
	    "JWKS is public");
	ok(json_is_array(json_object_get(r.json, "keys")), "JWKS has keys[]");

	/* --- throttling ---------------------------------------------- */
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":"
	    "\"wrong password here\"}", b.email);
	for (i = 0; i < 5; i++)
		http(&r, "POST", "/api/v1/auth/login", body, NULL);
	is_int(r.status, 401, "fifth failure is still 401");
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    b.email, b.password);
	is_int(http(&r, "POST", "/api/v1/auth/login", body, NULL), 429,
	    "sixth attempt is 429, even with the right password");
	is_str(http_json_str(&r, "error.code"), "RequestLimitExceeded",
	    "429 code");
	ok(http_header(&r, "Retry-After") != NULL &&
	    atoi(http_header(&r, "Retry-After")) > 0, "Retry-After is set");

	/* --- audit --------------------------------------------------- */
	p[0] = b.email;
	ok(atoi(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE "
	    "action = 'auth.login' AND status = 401", 0, NULL)) >= 5,
	    "failed logins are audited");
	p[0] = a.account_id;
	ok(atoi(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE "
	    "account_id = $1 AND action = 'auth.register'", 1, p)) == 1,
	    "registration is audited with its account");
	ok(atoi(sql_value("SELECT count(*) FROM cloudsim.audit_log WHERE "
	    "action = 'auth.CreateAccessKey' AND account_id = $1", 1, p)) >= 2,
	    "key creation is audited");
	p[0] = secret;
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log a WHERE "
	    "a::text LIKE '%' || $1 || '%'", 1, p), "0",
	    "no audit row holds a secret");

	/* --- nothing secret in the logs -------------------------------- */
	{
		const char	*path = getenv("CLOUDSIM_LOG");
		FILE		*f = path ? fopen(path, "r") : NULL;
		char		 line[8192];
		int		 leaks = 0, lines = 0;

		while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
			lines++;
			if (strstr(line, a.password) || strstr(line, b.password) ||
			    strstr(line, secret) || strstr(line, refresh) ||
			    strstr(line, token) || strstr(line, "argon2"))
				leaks++;
		}
		if (f != NULL)
			fclose(f);
		ok(path == NULL || lines > 0, "the request log was read");
		is_int(leaks, 0, "no password, secret or token in the logs");
	}

	http_free(&r);
	return tap_done();
}
