/*
 * Argon2id password hashing, see password.h.  libargon2 does the work
 * and the constant-time comparison; this file picks the salt, sizes the
 * output and reads the parameters back out of an encoded hash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>
#include <openssl/rand.h>

#include "error.h"
#include "password.h"

#define SALT_LEN	16
#define HASH_LEN	32

const struct password_params password_params_default = {
	.t_cost = 2,
	.m_cost_kib = 19456,
	.parallelism = 1,
};

char *
password_hash(const char *password, const struct password_params *p,
    struct api_error *err)
{
	unsigned char	 salt[SALT_LEN];
	char		*enc;
	size_t		 pwlen, enclen;

	if (p == NULL)
		p = &password_params_default;
	if (password == NULL) {
		api_error_missing(err, "password");
		return NULL;
	}
	pwlen = strlen(password);
	if (pwlen > PASSWORD_MAX_LEN) {
		api_error_invalid(err, "the password is longer than %d bytes",
		    PASSWORD_MAX_LEN);
		return NULL;
	}
	enclen = argon2_encodedlen(p->t_cost, p->m_cost_kib, p->parallelism,
	    SALT_LEN, HASH_LEN, Argon2_id);
	if (RAND_bytes(salt, sizeof(salt)) != 1 ||
	    (enc = malloc(enclen)) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	if (argon2id_hash_encoded(p->t_cost, p->m_cost_kib, p->parallelism,
	    password, pwlen, salt, sizeof(salt), HASH_LEN, enc,
	    enclen) != ARGON2_OK) {
		free(enc);
		api_error_internal(err);
		return NULL;
	}
	return enc;
}

bool
password_verify(const char *encoded, const char *password)
{
	size_t	pwlen;

	if (encoded == NULL || password == NULL ||
	    strncmp(encoded, "$argon2id$", 10) != 0)
		return false;
	pwlen = strlen(password);
	if (pwlen > PASSWORD_MAX_LEN)
		return false;
	return argon2id_verify(encoded, password, pwlen) == ARGON2_OK;
}

/*
 * Read "<name>=<decimal>" followed by term at *s, advancing *s past
 * term.  False on anything else, including leading zeros and overflow.
 */
static bool
read_param(const char **s, const char *name, char term, uint32_t *out)
{
	size_t		 n = strlen(name);
	unsigned long	 v;
	char		*end;

	if (strncmp(*s, name, n) != 0 || (*s)[n] != '=')
		return false;
	*s += n + 1;
	if (**s < '0' || **s > '9' || (**s == '0' && (*s)[1] != term))
		return false;
	errno = 0;
	v = strtoul(*s, &end, 10);
	if (errno != 0 || *end != term || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	*s = end + 1;
	return true;
}

bool
password_needs_rehash(const char *encoded, const struct password_params *p)
{
	const char	*s = encoded;
	uint32_t	 m, t, par;

	if (p == NULL)
		p = &password_params_default;
	if (s == NULL || strncmp(s, "$argon2id$", 10) != 0)
		return true;
	s += 10;
	if (strncmp(s, "v=19$", 5) != 0)
		return true;
	s += 5;
	if (!read_param(&s, "m", ',', &m) || !read_param(&s, "t", ',', &t) ||
	    !read_param(&s, "p", '$', &par))
		return true;
	return m < p->m_cost_kib || t < p->t_cost;
}
