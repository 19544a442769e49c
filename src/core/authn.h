/*
 * Authentication of a request to a protected route: a Bearer JWT, the
 * sid cookie, or an AWS SigV4 signature.  On success the request's
 * principal is filled; on failure 401 AuthenticationFailure.
 */
#ifndef CLOUDSIM_AUTHN_H
#define CLOUDSIM_AUTHN_H

#include <stdbool.h>

struct request;
struct api_error;

bool	authn_authenticate(struct request *, struct api_error *);

#endif
