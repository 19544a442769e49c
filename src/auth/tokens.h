/*
 * Issuing credentials: a login session (the sid cookie and a refresh
 * token family) and signed access tokens.  Random values come from the
 * CSPRNG; only their SHA-256 is stored.
 */
#ifndef CLOUDSIM_AUTH_TOKENS_H
#define CLOUDSIM_AUTH_TOKENS_H

#include <stdbool.h>

#include <jansson.h>

struct request;
struct response;
struct api_error;

/* The user a session belongs to. */
struct token_subject {
	const char	*user_id;
	const char	*account_id;
	const char	*role;
};

/* 32 random bytes as base64url (43 characters), in the arena. */
char	*tokens_random(struct request *);

/*
 * Create a session for subject (inside the caller's transaction) and
 * answer the login body {access_token, token_type, expires_in,
 * refresh_token} with the sid cookie.
 */
bool	tokens_new_session(struct request *, struct response *,
	    const struct token_subject *, struct api_error *);

/*
 * Issue a refresh token for session_id (inside the caller's transaction)
 * and an access token for subject; put the login body in res (no cookie).
 */
bool	tokens_issue(struct request *, struct response *,
	    const struct token_subject *, const char *session_id,
	    struct api_error *);

/* GET /.well-known/jwks.json */
bool	tokens_jwks(struct request *, struct response *, struct api_error *);

#endif
