/*
 * Test accounts: register a fresh account with a random email, log in,
 * and keep what a test needs to call the API as that account.
 */
#ifndef CLOUDSIM_TEST_ACCOUNT_H
#define CLOUDSIM_TEST_ACCOUNT_H

#include <stdbool.h>

struct test_account {
	char	email[128];
	char	password[64];
	char	account_id[16];
	char	user_id[40];
	char	token[4096];		/* access token (JWT) */
	char	refresh[256];
	char	bearer[4200];		/* "Authorization: Bearer <token>" */
	const char *headers[3];		/* { bearer, NULL }: pass to http() */
};

/* Register and log in; false (with a TAP comment) on any failure. */
bool	account_new(struct test_account *);

/*
 * Log in again: a new token and refresh token.  A token carries the
 * role it was issued with and is refused once the user's role differs,
 * so a test that promotes a user logs in again.
 */
bool	account_login(struct test_account *);

#endif
