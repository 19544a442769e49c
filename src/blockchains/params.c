/*
 * Request values of blockchains.fcgi: free text, UUIDs, integers and
 * pagination.  The messages follow STYLE.md (lower case, the field as
 * the client spelled it, the value quoted) because the v1 error body
 * shows them to the web app's user as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/ids.h"
#include "core/request.h"
#include "core/urlencoded.h"
#include "params.h"

/* Copy s into buf, cut on a UTF-8 boundary so a message stays short. */
static void
params_cut(char buf[CHAIN_PARAM_QUOTE_SIZE], const char *s)
{
	size_t	 n;

	n = strlen(s);
	if (n >= CHAIN_PARAM_QUOTE_SIZE) {
		n = CHAIN_PARAM_QUOTE_SIZE - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

void
chain_param_quote(const json_t *v, char buf[CHAIN_PARAM_QUOTE_SIZE])
{
	char	*dump = NULL;

	if (json_is_string(v))
		params_cut(buf, json_string_value(v));
	else if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL)
		params_cut(buf, dump);
	else
		buf[0] = '\0';
	free(dump);
}

static bool
params_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

/*
 * The code point at *p (valid UTF-8: jansson refuses anything else),
 * stepping past it.
 */
static unsigned long
params_next(const unsigned char **p)
{
	const unsigned char	*s = *p;
	unsigned long		 cp;
	size_t			 n, i;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else {
		n = 4;
		cp = s[0] & 0x07;
	}
	for (i = 1; i < n && (s[i] & 0xc0) == 0x80; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	*p += i;
	return cp;
}

bool
chain_param_text(struct request *req, const json_t *v, const char *field,
    size_t max_chars, bool required, bool trim, const char **out,
    struct api_error *err)
{
	char			 q[CHAIN_PARAM_QUOTE_SIZE];
	const char		*start, *end;
	const unsigned char	*p;
	unsigned long		 cp;
	size_t			 chars = 0;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? api_error_missing(err, field) : true;
	if (!json_is_string(v)) {
		chain_param_quote(v, q);
		return api_error_invalid(err, "%s must be a string, got '%s'",
		    field, q);
	}
	start = json_string_value(v);
	/* An embedded NUL would cut the value short without a word. */
	if (strlen(start) != json_string_length(v))
		return api_error_invalid(err,
		    "%s must not contain control characters", field);
	end = start + strlen(start);
	if (trim) {
		while (start < end && params_is_space(*start))
			start++;
		while (end > start && params_is_space(end[-1]))
			end--;
	}
	if (start == end)
		return api_error_invalid(err, "%s must not be blank", field);
	for (p = (const unsigned char *)start;
	    p < (const unsigned char *)end; chars++) {
		cp = params_next(&p);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return api_error_invalid(err,
			    "%s must not contain control characters", field);
	}
	if (chars > max_chars)
		return api_error_invalid(err, "%s must be at most %zu "
		    "characters, got %zu", field, max_chars, chars);
	*out = arena_strndup(req->arena, start, (size_t)(end - start));
	return true;
}

bool
chain_param_uuid(const json_t *v, const char *field,
    char out[CHAIN_UUID_SIZE], struct api_error *err)
{
	char		 q[CHAIN_PARAM_QUOTE_SIZE];
	const char	*s;
	size_t		 i;

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return true;
	s = json_is_string(v) ? json_string_value(v) : NULL;
	if (s == NULL || !id_is_uuid(s)) {
		chain_param_quote(v, q);
		return api_error_invalid(err, "%s must be a UUID in "
		    "8-4-4-4-12 hex form, got '%s'", field, q);
	}
	for (i = 0; i < CHAIN_UUID_SIZE - 1; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'F' ? (char)(s[i] - 'A' + 'a') :
		    s[i];
	out[CHAIN_UUID_SIZE - 1] = '\0';
	return true;
}

bool
chain_param_integer(const json_t *v, const char *field, long long min,
    long long max, long long def, long long *out, struct api_error *err)
{
	char	 q[CHAIN_PARAM_QUOTE_SIZE];

	if (v == NULL || json_is_null(v)) {
		*out = def;
		return true;
	}
	if (!json_is_integer(v)) {
		chain_param_quote(v, q);
		return api_error_invalid(err, "%s must be an integer between "
		    "%lld and %lld, got '%s'", field, min, max, q);
	}
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return api_error_invalid(err, "%s must be between %lld and "
		    "%lld, got '%lld'", field, min, max,
		    (long long)json_integer_value(v));
	*out = json_integer_value(v);
	return true;
}

/* One query value of digits within 1..max, or def when absent. */
static bool
params_query_int(const struct request *req, const char *name, long long max,
    long long def, long long *out, bool *given, struct api_error *err)
{
	char		 q[CHAIN_PARAM_QUOTE_SIZE];
	const char	*s = kvlist_get(&req->query, name), *p;
	long long	 n = 0;

	*out = def;
	if (s == NULL)
		return true;
	*given = true;
	for (p = s; *p >= '0' && *p <= '9' && n <= max; p++)
		n = n * 10 + (*p - '0');
	if (p == s || *p != '\0' || n < 1 || n > max) {
		params_cut(q, s);
		return api_error_invalid(err, "%s must be an integer between "
		    "1 and %lld, got '%s'", name, max, q);
	}
	*out = n;
	return true;
}

bool
chain_param_page(const struct request *req, struct chain_page *out,
    struct api_error *err)
{
	out->given = false;
	return params_query_int(req, "page", CHAIN_PAGE_MAX, 1, &out->page,
	    &out->given, err) &&
	    params_query_int(req, "page_size", CHAIN_PAGE_SIZE_MAX,
	    CHAIN_PAGE_SIZE_DEFAULT, &out->page_size, &out->given, err);
}

long long
chain_page_count(long long total, long long page_size)
{
	return total == 0 ? 0 : (total + page_size - 1) / page_size;
}
