/*
 * Reading typed members of a JSON request body, with the validation
 * every endpoint needs: presence, type, length or range.  Each returns
 * false with a 400 (MissingParameter or InvalidParameterValue) naming
 * the member, so handlers read straight down.
 */
#ifndef CLOUDSIM_PARAMS_H
#define CLOUDSIM_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct api_error;

/*
 * A string member of 1..max characters (UTF-8 code points; min may be
 * 0).  Absent or null: *out = NULL and true unless required.  The
 * string is borrowed from obj.
 */
bool	param_string(const json_t *obj, const char *name, bool required,
	    size_t min, size_t max, const char **out, struct api_error *);

/* An integer member in [min, max]; absent: *out = def unless required. */
bool	param_int(const json_t *obj, const char *name, bool required,
	    long long min, long long max, long long def, long long *out,
	    struct api_error *);

/* A boolean member; absent: *out = def unless required. */
bool	param_bool(const json_t *obj, const char *name, bool required,
	    bool def, bool *out, struct api_error *);

/* Number of UTF-8 code points in s (s must be valid UTF-8). */
size_t	utf8_length(const char *s);

#endif
