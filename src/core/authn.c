/*
 * Authentication entry point.  Until credentials exist every protected
 * route answers 401; the auth module replaces this with the real checks.
 */
#include "authn.h"
#include "error.h"
#include "request.h"

bool
authn_authenticate(struct request *req, struct api_error *err)
{
	(void)req;
	return api_error_set(err, 401, "AuthenticationFailure",
	    "the request carries no valid credentials");
}
