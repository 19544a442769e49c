/*
 * JSON member readers.  jansson guarantees strings are valid UTF-8, so
 * lengths count code points, as AWS's limits do.
 */
#include <stdint.h>

#include "error.h"
#include "params.h"

size_t
utf8_length(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
param_string(const json_t *obj, const char *name, bool required,
    size_t min, size_t max, const char **out, struct api_error *err)
{
	json_t	*v = json_object_get(obj, name);
	size_t	 len;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? api_error_missing(err, name) : true;
	if (!json_is_string(v))
		return api_error_invalid(err, "'%s' must be a string", name);
	len = utf8_length(json_string_value(v));
	if (len < min || len > max) {
		if (min > 0 && len == 0)
			return api_error_invalid(err, "'%s' must not be empty",
			    name);
		return api_error_invalid(err,
		    "'%s' must be %zu to %zu characters long, got %zu",
		    name, min, max, len);
	}
	*out = json_string_value(v);
	return true;
}

bool
param_int(const json_t *obj, const char *name, bool required,
    long long min, long long max, long long def, long long *out,
    struct api_error *err)
{
	json_t		*v = json_object_get(obj, name);
	long long	 n;

	*out = def;
	if (v == NULL || json_is_null(v))
		return required ? api_error_missing(err, name) : true;
	if (!json_is_integer(v))
		return api_error_invalid(err, "'%s' must be an integer", name);
	n = json_integer_value(v);
	if (n < min || n > max)
		return api_error_invalid(err,
		    "'%s' must be between %lld and %lld, got %lld",
		    name, min, max, n);
	*out = n;
	return true;
}

bool
param_bool(const json_t *obj, const char *name, bool required, bool def,
    bool *out, struct api_error *err)
{
	json_t	*v = json_object_get(obj, name);

	*out = def;
	if (v == NULL || json_is_null(v))
		return required ? api_error_missing(err, name) : true;
	if (!json_is_boolean(v))
		return api_error_invalid(err, "'%s' must be true or false",
		    name);
	*out = json_is_true(v);
	return true;
}
