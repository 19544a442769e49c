/*
 * Standard base64 (RFC 4648, section 4, with '=' padding) for what EC2
 * carries in it: user data, OpenSSH key blobs, PEM bodies and SHA-256
 * fingerprints.  Decoding is strict: a value that would decode only by
 * guessing (bad characters, wrong padding, stray bits) is refused, so
 * what is stored re-encodes to itself.
 */
#ifndef CLOUDSIM_INSTANCES_BASE64_H
#define CLOUDSIM_INSTANCES_BASE64_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Characters base64_encode writes for len bytes, without the NUL. */
#define BASE64_LEN(len)	((((len) + 2) / 3) * 4)

/* len bytes as padded base64, NUL-terminated, in the arena. */
char	*base64_encode(struct arena *, const unsigned char *in, size_t len);

/*
 * Decode the len characters of s (whitespace not allowed: callers strip
 * what they accept).  On success *out (in the arena, with a NUL after
 * the data for convenience) and *outlen are set.  False when s is not
 * canonical padded base64; an empty s decodes to zero bytes.
 */
bool	 base64_decode(struct arena *, const char *s, size_t len,
	    unsigned char **out, size_t *outlen);

#endif
