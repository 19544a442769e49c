/*
 * Resource identifiers, as API.md fixes their formats: a prefix and
 * crypto-random lower-case hex (i-, vol-, vpc-, …), UUIDs for users and
 * request ids, AKIA… access key ids, and ARNs.
 */
#ifndef CLOUDSIM_IDS_H
#define CLOUDSIM_IDS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* prefix + nhex random hex digits, e.g. id_new(a, "vpc-", 8). */
char	*id_new(struct arena *, const char *prefix, size_t nhex);
/* True when s is exactly prefix followed by nhex lower-case hex digits. */
bool	 id_valid(const char *s, const char *prefix, size_t nhex);

/* A random (v4) UUID in lower-case 8-4-4-4-12 form. */
char	*id_uuid(struct arena *);
/* True for any 8-4-4-4-12 hex string (any version, either case). */
bool	 id_is_uuid(const char *);

/* "AKIA" + 16 upper-case letters and digits. */
char	*id_access_key(struct arena *);

/* arn:aws:ec2:<region>:<account>:<type>/<id> */
char	*id_arn(struct arena *, const char *region, const char *account,
	    const char *type, const char *id);

/* Fill buf with n crypto-random bytes; aborts if the CSPRNG fails. */
void	 id_random(void *buf, size_t n);

#endif
