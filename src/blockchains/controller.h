/*
 * The controller of a blockchain: the owner's name as given, the
 * controller_name derived from it, and the controller_role.
 *
 * Names.  first_name and last_name are required strings; surrounding
 * ASCII white space is trimmed, and what remains must be 1 to 64
 * characters (code points) without control characters.
 *
 * controller_name.  "<initial><last>-<n>", where <initial> is the first
 * letter or digit of the folded first name, <last> is the folded last
 * name cut at 40 characters, and <n> is existing_licenses + 1 in decimal,
 * zero-padded to 3 digits ("007", "042", "1000").  Folding keeps ASCII
 * letters (lower-cased) and digits, transliterates the Latin letters of
 * U+00C0..U+017F to their plain base ("é" -> "e", "ß" -> "ss", "Ł" -> "l",
 * "Æ" -> "ae") and drops everything else (spaces, hyphens, apostrophes,
 * other scripts).  So Ada Lovelace with 0 licences is "alovelace-001",
 * and "José" "Núñez-O'Brien" with 2 is "jnunezobrien-003".  Either part
 * may fold to nothing ("李" "Smith" gives "smith-001") but not both.
 * existing_licenses is 0..999999 (default 0).
 *
 * Roles.  controller_role is one of "manager" (the default), "owner",
 * "operator", "auditor", "viewer"; matched without regard to ASCII case
 * and returned in lower case.
 *
 * Every refusal is a 400: MissingParameter for an absent name,
 * InvalidParameterValue otherwise, naming the field and quoting the value.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_CONTROLLER_H
#define CLOUDSIM_BLOCKCHAINS_CONTROLLER_H

#include <stdbool.h>

#include <jansson.h>

#include "core/error.h"

#define CONTROLLER_NAME_CHARS_MAX	64	/* code points per name */
#define CONTROLLER_NAME_FIELD_SIZE	(CONTROLLER_NAME_CHARS_MAX * 4 + 1)
#define CONTROLLER_LAST_MAX		40	/* folded last name, bytes */
#define CONTROLLER_LICENSES_MAX		999999LL
/* initial + last + '-' + up to 7 digits + NUL, rounded up */
#define CONTROLLER_NAME_SIZE		64
#define CONTROLLER_ROLE_DEFAULT		"manager"

/* The owner's names, trimmed, valid UTF-8, NUL-terminated. */
struct controller_person {
	char	first_name[CONTROLLER_NAME_FIELD_SIZE];
	char	last_name[CONTROLLER_NAME_FIELD_SIZE];
};

/*
 * Check the request's first_name and last_name values (each may be NULL
 * when absent) and fill out with their trimmed text.  A missing or null
 * value is 400 MissingParameter; a non-string, blank, too long or
 * control-character one is 400 InvalidParameterValue.
 */
bool	 controller_validate_person(const json_t *first_name,
	    const json_t *last_name, struct controller_person *out,
	    struct api_error *err);

/*
 * Read the request's existing_licenses value (may be NULL): absent or
 * null is 0; else a non-negative integer or string of digits of at most
 * 999999.  400 InvalidParameterValue otherwise.
 */
bool	 controller_licenses(const json_t *value, long long *out,
	    struct api_error *err);

/*
 * Derive the controller_name of p with existing_licenses licences into
 * out, by the rule above.  400 InvalidParameterValue when the names fold
 * to nothing or existing_licenses is out of range.
 */
bool	 controller_name(const struct controller_person *p,
	    long long existing_licenses, char out[CONTROLLER_NAME_SIZE],
	    struct api_error *err);

/*
 * Read the request's controller_role value (may be NULL; absent or null
 * gives "manager") into *role, a static string.  400
 * InvalidParameterValue listing the allowed roles otherwise.
 */
bool	 controller_role(const json_t *value, const char **role,
	    struct api_error *err);

#endif
