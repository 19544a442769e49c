/*
 * Authentication of a request to a protected route: a Bearer JWT, the
 * sid cookie, or an AWS SigV4 signature.  On success the request's
 * principal is filled; on failure 401 AuthenticationFailure.
 */
#ifndef CLOUDSIM_AUTHN_H
#define CLOUDSIM_AUTHN_H

#include <stdbool.h>

struct arena;
struct request;
struct api_error;
struct sigv4_auth;

bool	authn_authenticate(struct request *, struct api_error *);

/*
 * SigV4 alone: the scope's service must be one of services (NULL
 * terminated); on success auth holds the scope (its region) and the
 * principal is filled.  For the EC2 Query front.
 */
bool	authn_sigv4(struct request *, const char *const *services,
	    struct sigv4_auth *auth, struct api_error *);

/* "\x" + hex SHA-256 of s: how session ids and refresh tokens are stored. */
char	*authn_hash_hex(struct arena *, const char *s);

/*
 * The database refused the request's credentials (a guard failed):
 * forget the access key or the Bearer token this process cached for
 * it, if any, so that the next request that carries it is verified
 * again.
 */
void	authn_forget(const struct request *);

#endif
