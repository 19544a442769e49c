/*
 * The one error type of cloudsim.  A function that can fail fills a
 * struct api_error and returns false (or NULL); only the front (JSON or
 * EC2 XML) turns it into a response.  The message is for the client: it
 * starts lower-case, gives the reason and quotes the user's value, and
 * never names internal functions.  Internal detail goes to the log.
 */
#ifndef CLOUDSIM_ERROR_H
#define CLOUDSIM_ERROR_H

#include <stdbool.h>

#define API_ERROR_MESSAGE_MAX 512

struct api_error {
	int		 status;	/* HTTP status, 400..599 */
	const char	*code;		/* AWS-style code, static storage */
	char		 message[API_ERROR_MESSAGE_MAX];
};

/*
 * Fill err (which may be NULL) and return false, so that callers can
 * write "return api_error_set(err, 400, ...);".
 */
bool	api_error_set(struct api_error *err, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Shorthands for the common cases; all return false. */
bool	api_error_invalid(struct api_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));	/* 400 InvalidParameterValue */
bool	api_error_missing(struct api_error *err, const char *param);
						/* 400 MissingParameter */
bool	api_error_internal(struct api_error *err);	/* 500 InternalError */

#endif
