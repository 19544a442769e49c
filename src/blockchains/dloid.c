/*
 * Building and reading dloid_params strings.  One table lists the eight
 * fields with their position, width and spelling in both object forms,
 * so that encoding, checking and decoding cannot disagree about where a
 * field lives.  The accepted forms and defaults are described in dloid.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dloid.h"

/* Longest part of a client's value quoted back in a message, in bytes. */
#define DLOID_QUOTE_SIZE	49

enum dloid_kind {
	DLOID_NUMBER,		/* zero-padded decimal digits */
	DLOID_CODE		/* one ASCII letter or digit */
};

struct dloid_field {
	const char	*name;	/* form (a) key and dloid_info name */
	const char	*camel;	/* form (b) key */
	size_t		 off;	/* first position in the string */
	size_t		 width;
	enum dloid_kind	 kind;
};

static const struct dloid_field dloid_fields[] = {
	{ "chauffe_quantity",	"chauffeQuantity",	0,  10,	DLOID_NUMBER },
	{ "partnership",	"partnershipStatus",	10, 1,	DLOID_CODE },
	{ "collateralizable",	"collateralizable",	11, 1,	DLOID_CODE },
	{ "inheritance",	"inheritance",		12, 1,	DLOID_CODE },
	{ "convertibility",	"convertibility",	13, 1,	DLOID_CODE },
	{ "rating",		"rating",		14, 9,	DLOID_NUMBER },
	{ "share_eligible",	"shareEligible",	23, 1,	DLOID_CODE },
	{ "redeemability",	"redeemability",	24, 1,	DLOID_CODE },
};

#define DLOID_NFIELDS	(sizeof(dloid_fields) / sizeof(dloid_fields[0]))

/* Keys only the web app's form sends that carry nothing for the string. */
static const char *const dloid_form_only[] = {
	"firstName", "lastName", "priorDloidQty",
};

static bool
dloid_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* isalnum(3) depends on the locale; the string is ASCII by contract. */
static bool
dloid_is_alnum(char c)
{
	return dloid_is_digit(c) || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/*
 * Copy s into buf (of size sz), cut on a UTF-8 character boundary, so
 * that a message quoting a long value stays short and valid UTF-8.
 */
static void
dloid_cut(char *buf, size_t sz, const char *s)
{
	size_t	 n;

	n = strlen(s);
	if (n >= sz) {
		n = sz - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Render v for a message: a string as itself, anything else as JSON. */
static void
dloid_quote(const json_t *v, char buf[DLOID_QUOTE_SIZE])
{
	char	*dump = NULL;

	if (json_is_string(v))
		dloid_cut(buf, DLOID_QUOTE_SIZE, json_string_value(v));
	else if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL)
		dloid_cut(buf, DLOID_QUOTE_SIZE, dump);
	else
		buf[0] = '\0';
	free(dump);
}

/*
 * Write the quantity v, a non-negative integer or a string of digits,
 * zero-padded into out[0 .. f->width).  key is the client's spelling.
 */
static bool
dloid_put_number(const json_t *v, const struct dloid_field *f,
    const char *key, char *out, struct api_error *err)
{
	char		 q[DLOID_QUOTE_SIZE], num[32];
	const char	*digits;
	size_t		 len;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0) {
			dloid_quote(v, q);
			return api_error_invalid(err,
			    "dloid_params.%s must not be negative, got '%s'",
			    key, q);
		}
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		digits = num;
		len = strlen(num);
	} else if (json_is_string(v)) {
		digits = json_string_value(v);
		len = json_string_length(v);
		if (len == 0 || strspn(digits, "0123456789") != len) {
			dloid_quote(v, q);
			return api_error_invalid(err, "dloid_params.%s must be "
			    "a non-negative integer or a string of digits, "
			    "got '%s'", key, q);
		}
	} else {
		dloid_quote(v, q);
		return api_error_invalid(err, "dloid_params.%s must be "
		    "a non-negative integer or a string of digits, got '%s'",
		    key, q);
	}

	if (len > f->width) {
		dloid_quote(v, q);
		return api_error_invalid(err,
		    "dloid_params.%s must be at most %zu digits, got '%s'",
		    key, f->width, q);
	}
	memset(out, '0', f->width - len);
	memcpy(out + f->width - len, digits, len);
	return true;
}

/*
 * Write the one-character field v into *out: true/false (when
 * allow_bool, form (a)) or a string of one ASCII letter or digit.
 */
static bool
dloid_put_code(const json_t *v, const char *key, bool allow_bool,
    char *out, struct api_error *err)
{
	char		 q[DLOID_QUOTE_SIZE];
	const char	*s;

	if (allow_bool && json_is_boolean(v)) {
		*out = json_is_true(v) ? '1' : '0';
		return true;
	}
	if (json_is_string(v) && json_string_length(v) == 1) {
		s = json_string_value(v);
		if (dloid_is_alnum(s[0])) {
			*out = s[0];
			return true;
		}
	}

	dloid_quote(v, q);
	if (allow_bool)
		return api_error_invalid(err, "dloid_params.%s must be true, "
		    "false or one letter or digit, got '%s'", key, q);
	return api_error_invalid(err,
	    "dloid_params.%s must be one letter or digit, got '%s'", key, q);
}

/* Forms (a) and (b): pick the form by its keys, then fill every field. */
static bool
dloid_encode_object(const json_t *params, char out[DLOID_LEN + 1],
    struct api_error *err)
{
	const struct dloid_field	*f;
	const char			*snake_key = NULL, *camel_key = NULL;
	const char			*key;
	const json_t			*v;
	bool				 camel;
	size_t				 i;

	for (i = 0; i < DLOID_NFIELDS; i++) {
		f = &dloid_fields[i];
		if (strcmp(f->name, f->camel) == 0)
			continue;
		if (json_object_get(params, f->name) != NULL)
			snake_key = f->name;
		if (json_object_get(params, f->camel) != NULL)
			camel_key = f->camel;
	}
	for (i = 0; i < sizeof(dloid_form_only) / sizeof(dloid_form_only[0]);
	    i++)
		if (json_object_get(params, dloid_form_only[i]) != NULL)
			camel_key = dloid_form_only[i];
	if (snake_key != NULL && camel_key != NULL)
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "dloid_params mixes the field '%s' with the form field "
		    "'%s'; use one spelling", snake_key, camel_key);
	camel = camel_key != NULL;

	for (i = 0; i < DLOID_NFIELDS; i++) {
		f = &dloid_fields[i];
		key = camel ? f->camel : f->name;
		v = json_object_get(params, key);
		if (v == NULL || json_is_null(v)) {
			memset(out + f->off, '0', f->width);
			continue;
		}
		if (f->kind == DLOID_NUMBER) {
			if (!dloid_put_number(v, f, key, out + f->off, err))
				return false;
		} else if (!dloid_put_code(v, key, !camel, out + f->off, err))
			return false;
	}
	out[DLOID_LEN] = '\0';
	return true;
}

/*
 * Form (c): s, of len bytes (it may hold a NUL), checked position by
 * position.  Also the body of dloid_valid(), with err NULL.
 */
static bool
dloid_check_string(const char *s, size_t len, struct api_error *err)
{
	const struct dloid_field	*f;
	char				 q[DLOID_QUOTE_SIZE];
	size_t				 i, j;

	if (len != DLOID_LEN || strlen(s) != len) {
		dloid_cut(q, sizeof(q), s);
		return api_error_invalid(err,
		    "dloid_params must be %d characters, got '%s'",
		    DLOID_LEN, q);
	}
	/* Checked first so that a field's slice is whole characters. */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return api_error_invalid(err, "dloid_params must be "
			    "ASCII letters and digits, got '%s'", s);

	for (i = 0; i < DLOID_NFIELDS; i++) {
		f = &dloid_fields[i];
		for (j = f->off; j < f->off + f->width; j++) {
			if (f->kind == DLOID_NUMBER && !dloid_is_digit(s[j]))
				return api_error_invalid(err, "dloid_params "
				    "positions %zu-%zu (%s) must be digits, "
				    "got '%.*s'", f->off, f->off + f->width - 1,
				    f->name, (int)f->width, s + f->off);
			if (f->kind == DLOID_CODE && !dloid_is_alnum(s[j]))
				return api_error_invalid(err, "dloid_params "
				    "position %zu (%s) must be a letter or "
				    "digit, got '%c'", f->off, f->name, s[j]);
		}
	}
	return true;
}

bool
dloid_encode(const json_t *params, char out[DLOID_LEN + 1],
    struct api_error *err)
{
	char	 q[DLOID_QUOTE_SIZE];

	if (params == NULL || json_is_null(params)) {
		memset(out, '0', DLOID_LEN);
		out[DLOID_LEN] = '\0';
		return true;
	}
	if (json_is_object(params))
		return dloid_encode_object(params, out, err);
	if (json_is_string(params)) {
		if (!dloid_check_string(json_string_value(params),
		    json_string_length(params), err))
			return false;
		memcpy(out, json_string_value(params), DLOID_LEN + 1);
		return true;
	}
	dloid_quote(params, q);
	return api_error_invalid(err, "dloid_params must be an object or a "
	    "%d-character string, got '%s'", DLOID_LEN, q);
}

bool
dloid_valid(const char *s)
{
	return s != NULL && dloid_check_string(s, strlen(s), NULL);
}

json_t *
dloid_decode(const char *s)
{
	const struct dloid_field	*f;
	json_t				*info = NULL, *v;
	json_int_t			 n;
	size_t				 i, j;

	if (!dloid_valid(s))
		return NULL;
	if ((info = json_object()) == NULL)
		return NULL;
	for (i = 0; i < DLOID_NFIELDS; i++) {
		f = &dloid_fields[i];
		if (f->kind == DLOID_NUMBER) {
			n = 0;
			for (j = f->off; j < f->off + f->width; j++)
				n = n * 10 + (s[j] - '0');
			v = json_integer(n);
		} else
			v = json_stringn(s + f->off, 1);
		/* Steals v, and fails cleanly when v is NULL. */
		if (json_object_set_new(info, f->name, v) == -1)
			goto fail;
	}
	return info;
fail:
	/* The partly built object and the fields it holds. */
	json_decref(info);
	return NULL;
}
