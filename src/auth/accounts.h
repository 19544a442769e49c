/*
 * Accounts and their users: registration and "who am I".
 */
#ifndef CLOUDSIM_AUTH_ACCOUNTS_H
#define CLOUDSIM_AUTH_ACCOUNTS_H

#include <stdbool.h>

#include <jansson.h>

struct request;
struct response;
struct api_error;

#define EMAIL_MAX	254
#define PASSWORD_MIN	12	/* characters */
#define PASSWORD_MAX	1024	/* characters */
#define NAME_MAX_LEN	128

bool	accounts_register(struct request *, struct response *,
	    struct api_error *);
bool	accounts_me(struct request *, struct response *, struct api_error *);

/*
 * Create an account and its first user with role ("user" or "admin");
 * the shared path of register and of cloudsim-admin.  Runs inside the
 * caller's transaction; the user's JSON goes to *out (arena-owned).
 */
bool	accounts_create(struct request *, const char *email,
	    const char *password, const char *name, const char *role,
	    json_t **out, struct api_error *);

/* True for a plausible address: local@domain.tld, no spaces or controls. */
bool	accounts_email_valid(const char *);

#endif
