/*
 * Base64 on OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock, see base64.h.
 * EVP_DecodeBlock alone is lenient (it trims whitespace, takes '=' for
 * zero anywhere and ignores bits past the last byte), so strictness is
 * had by re-encoding what it decoded and requiring the very same text.
 * Both directions work through fixed chunks of whole groups (three
 * bytes, four characters): the decoder's scratch stays on the stack,
 * EVP's int lengths never overflow, and the encoding of a whole-group
 * chunk is the matching slice of the whole encoding.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "arena.h"
#include "base64.h"

#define CHUNK_BYTES	768			/* a multiple of 3 */
#define CHUNK_CHARS	(CHUNK_BYTES / 3 * 4)

size_t
base64_encode_buf(enum base64_form form, const unsigned char *in, size_t len,
    char *out)
{
	size_t	n = 0, i, step;

	for (i = 0; i < len; i += step) {
		step = len - i < CHUNK_BYTES ? len - i : CHUNK_BYTES;
		n += (size_t)EVP_EncodeBlock((unsigned char *)out + n, in + i,
		    (int)step);
	}
	if (form == BASE64_URL) {
		while (n > 0 && out[n - 1] == '=')
			n--;
		for (i = 0; i < n; i++)
			if (out[i] == '+')
				out[i] = '-';
			else if (out[i] == '/')
				out[i] = '_';
	}
	out[n] = '\0';
	return n;
}

bool
base64_decode_buf(enum base64_form form, const char *s, size_t len,
    unsigned char *out, size_t *outlen)
{
	char		 std[CHUNK_CHARS], again[CHUNK_CHARS + 1];
	unsigned char	 bin[CHUNK_BYTES];
	size_t		 room = *outlen, done = 0, i, j, step, n, pad;
	int		 got;
	bool		 rc = false;

	*outlen = 0;
	/* Unpadded base64url never leaves a single character over. */
	if (form == BASE64_STD ? len % 4 != 0 : len % 4 == 1)
		return false;
	/* Cannot fit, whatever it holds (len / 4 groups, room / 3 + 1). */
	if (len / 4 > room / 3 + 1)
		return false;
	for (i = 0; i < len; i += step) {
		step = len - i < CHUNK_CHARS ? len - i : CHUNK_CHARS;
		memcpy(std, s + i, step);
		n = step;
		if (form == BASE64_URL) {
			for (j = 0; j < step; j++)
				if (std[j] == '-')
					std[j] = '+';
				else if (std[j] == '_')
					std[j] = '/';
			/* Only a short last chunk is not whole groups. */
			while (n % 4 != 0)
				std[n++] = '=';
		}
		/*
		 * Padding counts only at the very end; '=' anywhere else
		 * decodes as zero bits and fails the comparison below.
		 */
		pad = 0;
		if (i + step == len)
			while (pad < 2 && pad < n && std[n - 1 - pad] == '=')
				pad++;
		got = EVP_DecodeBlock(bin, (const unsigned char *)std, (int)n);
		if (got < 0 || (size_t)got < pad ||
		    (size_t)got - pad > room - done)
			goto out;
		got -= (int)pad;
		if (base64_encode_buf(form, bin, (size_t)got, again) != step ||
		    memcmp(again, s + i, step) != 0)
			goto out;
		memcpy(out + done, bin, (size_t)got);
		done += (size_t)got;
	}
	*outlen = done;
	rc = true;
out:
	/* Callers decode secrets too: leave no copy on the stack. */
	OPENSSL_cleanse(std, sizeof(std));
	OPENSSL_cleanse(again, sizeof(again));
	OPENSSL_cleanse(bin, sizeof(bin));
	return rc;
}

char *
base64_encode(struct arena *a, const unsigned char *in, size_t len)
{
	char	*out = arena_alloc(a, BASE64_LEN(len) + 1);

	base64_encode_buf(BASE64_STD, in, len, out);
	return out;
}

bool
base64_decode(struct arena *a, const char *s, size_t len,
    unsigned char **out, size_t *outlen)
{
	size_t		 n = BASE64_DECODED_MAX(len);
	unsigned char	*buf = arena_alloc(a, n + 1);

	*out = NULL;
	*outlen = 0;
	if (!base64_decode_buf(BASE64_STD, s, len, buf, &n))
		return false;
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return true;
}
