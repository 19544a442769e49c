/*
 * Base64 (RFC 4648) in the two forms cloudsim speaks: standard with '='
 * padding (section 4) for EC2 user data, OpenSSH key blobs, PEM bodies,
 * fingerprints and sealed secrets; base64url without padding (section
 * 5, as JWT requires, RFC 7515) for tokens and JWKS.  Decoding is
 * strict: a text decodes only if it is exactly what the encoder writes
 * for its bytes (no stray characters or whitespace, the right length
 * and padding, zero bits after the last byte), so every value has one
 * spelling and what is stored re-encodes to itself.
 */
#ifndef CLOUDSIM_BASE64_H
#define CLOUDSIM_BASE64_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum base64_form {
	BASE64_STD,	/* A-Z a-z 0-9 + /, padded with '=' */
	BASE64_URL,	/* A-Z a-z 0-9 - _, never padded */
};

/*
 * Room an encoding of len bytes needs, without the NUL: exact for
 * BASE64_STD, an upper bound for BASE64_URL.
 */
#define BASE64_LEN(len)		((((len) + 2) / 3) * 4)
/* Most bytes that n characters of either form can decode to. */
#define BASE64_DECODED_MAX(n)	((n) / 4 * 3 + 2)

/*
 * Encode len bytes into out, which has room for BASE64_LEN(len) + 1
 * bytes (whatever the form), and NUL-terminate it.  Returns the
 * characters written, without the NUL.
 */
size_t	 base64_encode_buf(enum base64_form, const unsigned char *in,
	    size_t len, char *out);

/*
 * Decode the len characters of s (no NUL needed; whitespace is refused,
 * callers strip what they accept) into out, which holds *outlen bytes;
 * on success *outlen is set to the bytes written (nothing is appended).
 * False, with *outlen 0, when s is not the canonical encoding in that
 * form or would decode to more than the room given: the room is the
 * size limit, and an over-long s is refused before any decoding.  An
 * empty s decodes to zero bytes; callers that need data check for it.
 */
bool	 base64_decode_buf(enum base64_form, const char *s, size_t len,
	    unsigned char *out, size_t *outlen);

/*
 * The arena pair, standard form: len bytes as padded base64,
 * NUL-terminated, valid until the request ends.
 */
char	*base64_encode(struct arena *, const unsigned char *in, size_t len);

/*
 * Standard form, as base64_decode_buf with room for any s: on success
 * *out (in the arena, with a NUL after the data for convenience) and
 * *outlen are set; false, with *out NULL, when s is not canonical.
 */
bool	 base64_decode(struct arena *, const char *s, size_t len,
	    unsigned char **out, size_t *outlen);

#endif
