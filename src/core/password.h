/*
 * Password storage with Argon2id (libargon2).  A stored hash is the
 * standard encoded string, $argon2id$v=19$m=...,t=...,p=...$salt$hash,
 * so it carries its own parameters and survives a change of policy:
 * password_needs_rehash says when a login should store a fresh hash.
 */
#ifndef CLOUDSIM_PASSWORD_H
#define CLOUDSIM_PASSWORD_H

#include <stdbool.h>
#include <stdint.h>

struct api_error;

struct password_params {
	uint32_t	t_cost;		/* passes over memory */
	uint32_t	m_cost_kib;	/* memory, KiB */
	uint32_t	parallelism;	/* lanes */
};

/* OWASP's Argon2id minimum: m = 19456 KiB (19 MiB), t = 2, p = 1. */
extern const struct password_params password_params_default;

#define PASSWORD_MAX_LEN	4096	/* bytes; longer is refused */

/*
 * Hash password with a fresh 16-byte salt under params (NULL means
 * password_params_default).  Returns the encoded string, caller frees;
 * NULL with 400 InvalidParameterValue for a password over
 * PASSWORD_MAX_LEN, 500 InternalError if hashing fails.
 */
char	*password_hash(const char *password, const struct password_params *,
	    struct api_error *);

/*
 * True only if password matches encoded.  A malformed or non-Argon2id
 * encoded string is simply no match.  The comparison is constant-time
 * (libargon2's).
 */
bool	 password_verify(const char *encoded, const char *password);

/*
 * True if encoded should be replaced by a hash under params (NULL means
 * password_params_default): it is not Argon2id version 19, cannot be
 * read, or uses less memory or fewer passes.  Parallelism is not
 * compared: it does not change what a guess costs an attacker.
 */
bool	 password_needs_rehash(const char *encoded,
	    const struct password_params *);

#endif
