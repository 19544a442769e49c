/*
 * Filling struct api_error.  Messages are truncated, never overflowed.
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static bool
error_vset(struct api_error *err, int status, const char *code,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return false;
	err->status = status;
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return false;
}

bool
api_error_set(struct api_error *err, int status, const char *code,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	error_vset(err, status, code, fmt, ap);
	va_end(ap);
	return false;
}

bool
api_error_invalid(struct api_error *err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	error_vset(err, 400, "InvalidParameterValue", fmt, ap);
	va_end(ap);
	return false;
}

bool
api_error_missing(struct api_error *err, const char *param)
{
	return api_error_set(err, 400, "MissingParameter",
	    "the request must contain the parameter '%s'", param);
}

bool
api_error_internal(struct api_error *err)
{
	return api_error_set(err, 500, "InternalError",
	    "an internal error has occurred");
}
