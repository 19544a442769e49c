/*
 * Identifiers from OpenSSL's CSPRNG: hex ids, access keys and UUIDs
 * (written out by libuuid).  A failing CSPRNG is fatal: handing out
 * guessable ids is worse than stopping.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <uuid/uuid.h>

#include "arena.h"
#include "ids.h"

void
id_random(void *buf, size_t n)
{
	if (RAND_bytes(buf, (int)n) != 1) {
		fputs("cloudsim: RAND_bytes failed\n", stderr);
		abort();
	}
}

char *
id_new(struct arena *a, const char *prefix, size_t nhex)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 rnd[32];
	size_t		 plen = strlen(prefix), i;
	char		*s;

	if (nhex > 2 * sizeof(rnd))
		abort();
	id_random(rnd, (nhex + 1) / 2);
	s = arena_alloc(a, plen + nhex + 1);
	memcpy(s, prefix, plen);
	for (i = 0; i < nhex; i++)
		s[plen + i] = hex[(rnd[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	s[plen + nhex] = '\0';
	return s;
}

bool
id_valid(const char *s, const char *prefix, size_t nhex)
{
	size_t	plen = strlen(prefix), i;

	if (s == NULL || strncmp(s, prefix, plen) != 0 ||
	    strlen(s) != plen + nhex)
		return false;
	for (i = plen; i < plen + nhex; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return false;
	return true;
}

char *
id_uuid(struct arena *a)
{
	uuid_t	 u;
	char	*s;

	/*
	 * The bytes come from OpenSSL's DRBG, not uuid_generate_random:
	 * libuuid makes six system calls per UUID (getrandom, then getpid,
	 * getuid, getppid and gettid to stir random(3)), and every request
	 * takes one for its id.  The version (4) and variant (10xx) bits
	 * are RFC 9562's; libuuid still writes the text.
	 */
	id_random(u, sizeof(u));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	s = arena_alloc(a, 37);
	uuid_unparse_lower(u, s);
	return s;
}

bool
id_is_uuid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

char *
id_access_key(struct arena *a)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char	 rnd[16];
	char		*s;
	size_t		 i;

	/* 32 symbols: a byte's low five bits pick one without bias. */
	id_random(rnd, sizeof(rnd));
	s = arena_alloc(a, 21);
	memcpy(s, "AKIA", 4);
	for (i = 0; i < 16; i++)
		s[4 + i] = alnum[rnd[i] & 31];
	s[20] = '\0';
	return s;
}

char *
id_arn(struct arena *a, const char *region, const char *account,
    const char *type, const char *id)
{
	return arena_printf(a, "arn:aws:ec2:%s:%s:%s/%s", region, account,
	    type, id);
}
