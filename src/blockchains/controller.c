/*
 * The controller of a blockchain: checking the owner's names, deriving
 * controller_name from them and the licence count, and checking
 * controller_role.  The rules are in controller.h; the transliteration
 * table below is the whole of "simple": one plain spelling per Latin
 * letter, nothing that depends on the language of the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller.h"

/* Longest part of a client's value quoted back in a message, in bytes. */
#define CONTROLLER_QUOTE_SIZE	49

/*
 * Plain spellings of U+00C0..U+017F, sixteen to a row, "" for the signs
 * (multiplication, division) that are no letters.
 */
#define CONTROLLER_LATIN_FIRST	0xc0
#define CONTROLLER_LATIN_LAST	0x17f
static const char *const controller_latin[] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
		     "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", "",
		     "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
		     "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
		     "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
		     "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
		     "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
		     "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
		     "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
		     "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
		     "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
		     "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
		     "y", "z", "z", "z", "z", "z", "z", "s",
};

_Static_assert(sizeof(controller_latin) / sizeof(controller_latin[0]) ==
    CONTROLLER_LATIN_LAST - CONTROLLER_LATIN_FIRST + 1,
    "one spelling per code point");

/* Allowed roles, the default first; the message lists them in order. */
static const char *const controller_roles[] = {
	"manager", "owner", "operator", "auditor", "viewer",
};

#define CONTROLLER_NROLES \
	(sizeof(controller_roles) / sizeof(controller_roles[0]))

/* Copy s into buf, cut on a UTF-8 boundary so a message stays short. */
static void
controller_cut(char buf[CONTROLLER_QUOTE_SIZE], const char *s)
{
	size_t	 n;

	n = strlen(s);
	if (n >= CONTROLLER_QUOTE_SIZE) {
		n = CONTROLLER_QUOTE_SIZE - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Render v for a message: a string as itself, anything else as JSON. */
static void
controller_quote(const json_t *v, char buf[CONTROLLER_QUOTE_SIZE])
{
	char	*dump = NULL;

	if (json_is_string(v))
		controller_cut(buf, json_string_value(v));
	else if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL)
		controller_cut(buf, dump);
	else
		buf[0] = '\0';
	free(dump);
}

static bool
controller_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

/*
 * Decode the code point at *s and step past it.  Input is UTF-8 by the
 * contract of struct controller_person; a stray byte decodes as U+FFFD,
 * which folds to nothing, rather than being trusted.
 */
static unsigned long
controller_next(const char **s)
{
	const unsigned char	*p = (const unsigned char *)*s;
	unsigned long		 cp;
	size_t			 n, i;

	if (p[0] < 0x80) {
		n = 1;
		cp = p[0];
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		*s += 1;
		return 0xfffd;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += i;
			return 0xfffd;
		}
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*s += n;
	return cp;
}

/*
 * Check one name value and copy it trimmed into out (of
 * CONTROLLER_NAME_FIELD_SIZE bytes).  field is the request's key.
 */
static bool
controller_person_field(const json_t *v, const char *field, char *out,
    struct api_error *err)
{
	char		 q[CONTROLLER_QUOTE_SIZE];
	const char	*s, *start, *end, *p;
	unsigned long	 cp;
	size_t		 chars = 0;

	if (v == NULL || json_is_null(v))
		return api_error_missing(err, field);
	if (!json_is_string(v)) {
		controller_quote(v, q);
		return api_error_invalid(err, "%s must be a string, got '%s'",
		    field, q);
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return api_error_invalid(err,
		    "%s must not contain control characters", field);

	start = s;
	end = s + strlen(s);
	while (start < end && controller_is_space(*start))
		start++;
	while (end > start && controller_is_space(end[-1]))
		end--;
	if (start == end)
		return api_error_invalid(err, "%s must not be blank", field);

	for (p = start; p < end; chars++) {
		cp = controller_next(&p);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return api_error_invalid(err,
			    "%s must not contain control characters", field);
	}
	if (chars > CONTROLLER_NAME_CHARS_MAX)
		return api_error_invalid(err, "%s must be at most %d "
		    "characters, got %zu", field, CONTROLLER_NAME_CHARS_MAX,
		    chars);
	/* At most 4 bytes per code point, so this fits. */
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return true;
}

bool
controller_validate_person(const json_t *first_name, const json_t *last_name,
    struct controller_person *out, struct api_error *err)
{
	return controller_person_field(first_name, "first_name",
	    out->first_name, err) &&
	    controller_person_field(last_name, "last_name",
	    out->last_name, err);
}

bool
controller_licenses(const json_t *value, long long *out,
    struct api_error *err)
{
	char		 q[CONTROLLER_QUOTE_SIZE];
	const char	*s;
	long long	 n = 0;

	if (value == NULL || json_is_null(value)) {
		*out = 0;
		return true;
	}
	if (json_is_integer(value)) {
		n = json_integer_value(value);
		if (n < 0 || n > CONTROLLER_LICENSES_MAX)
			goto bad;
		*out = n;
		return true;
	}
	if (!json_is_string(value) || json_string_length(value) == 0)
		goto bad;
	for (s = json_string_value(value); *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		n = n * 10 + (*s - '0');
		if (n > CONTROLLER_LICENSES_MAX)
			goto bad;
	}
	if ((size_t)(s - json_string_value(value)) !=
	    json_string_length(value))
		goto bad;
	*out = n;
	return true;
bad:
	/* Nothing to free: one message for every way of being wrong. */
	controller_quote(value, q);
	return api_error_invalid(err, "existing_licenses must be an integer "
	    "between 0 and %lld, got '%s'", CONTROLLER_LICENSES_MAX, q);
}

/*
 * Append the folded form of s to out, which holds *len bytes and may
 * grow to max bytes (plus the NUL); stops when full.
 */
static void
controller_fold(const char *s, char *out, size_t *len, size_t max)
{
	const char	*plain;
	unsigned long	 cp;
	char		 one[2] = { '\0', '\0' };

	while (*s != '\0' && *len < max) {
		cp = controller_next(&s);
		if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)(cp - 'A' + 'a');
		else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			one[0] = (char)cp;
		else
			one[0] = '\0';
		if (one[0] != '\0')
			plain = one;
		else if (cp >= CONTROLLER_LATIN_FIRST &&
		    cp <= CONTROLLER_LATIN_LAST)
			plain = controller_latin[cp - CONTROLLER_LATIN_FIRST];
		else
			continue;
		for (; *plain != '\0' && *len < max; plain++)
			out[(*len)++] = *plain;
	}
	out[*len] = '\0';
}

bool
controller_name(const struct controller_person *p, long long existing_licenses,
    char out[CONTROLLER_NAME_SIZE], struct api_error *err)
{
	char	 base[1 + CONTROLLER_LAST_MAX + 1];
	char	 qfirst[CONTROLLER_QUOTE_SIZE], qlast[CONTROLLER_QUOTE_SIZE];
	size_t	 len = 0;

	if (existing_licenses < 0 ||
	    existing_licenses > CONTROLLER_LICENSES_MAX)
		return api_error_invalid(err, "existing_licenses must be an "
		    "integer between 0 and %lld, got '%lld'",
		    CONTROLLER_LICENSES_MAX, existing_licenses);

	controller_fold(p->first_name, base, &len, 1);
	controller_fold(p->last_name, base, &len, 1 + CONTROLLER_LAST_MAX);
	if (len == 0) {
		controller_cut(qfirst, p->first_name);
		controller_cut(qlast, p->last_name);
		return api_error_invalid(err, "first_name and last_name must "
		    "hold at least one Latin letter or digit, got '%s' and "
		    "'%s'", qfirst, qlast);
	}

	snprintf(out, CONTROLLER_NAME_SIZE, "%s-%03lld", base,
	    existing_licenses + 1);
	return true;
}

/* ASCII-only, so that no locale changes which roles match. */
static bool
controller_same_role(const char *a, const char *b)
{
	char	 ca, cb;

	for (;; a++, b++) {
		ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		if (ca != cb)
			return false;
		if (ca == '\0')
			return true;
	}
}

bool
controller_role(const json_t *value, const char **role,
    struct api_error *err)
{
	char	 q[CONTROLLER_QUOTE_SIZE];
	size_t	 i;

	if (value == NULL || json_is_null(value)) {
		*role = CONTROLLER_ROLE_DEFAULT;
		return true;
	}
	if (json_is_string(value) &&
	    strlen(json_string_value(value)) == json_string_length(value))
		for (i = 0; i < CONTROLLER_NROLES; i++)
			if (controller_same_role(json_string_value(value),
			    controller_roles[i])) {
				*role = controller_roles[i];
				return true;
			}

	controller_quote(value, q);
	return api_error_invalid(err, "controller_role must be one of "
	    "'manager', 'owner', 'operator', 'auditor' or 'viewer', got '%s'",
	    q);
}
