/*
 * The 25-character dloid_params string of a CloudManager v1 blockchain,
 * and the dloid_info object that names its parts.  Positions, 0-based:
 *
 *	 0-9	chauffe_quantity	10 digits, zero-padded, 0..9999999999
 *	10	partnership		one ASCII letter or digit
 *	11	collateralizable	one ASCII letter or digit
 *	12	inheritance		one ASCII letter or digit
 *	13	convertibility		one ASCII letter or digit
 *	14-22	rating			9 digits, zero-padded, 0..999999999
 *	23	share_eligible		one ASCII letter or digit
 *	24	redeemability		one ASCII letter or digit
 *
 * dloid_encode() accepts the three forms of API.md:
 *
 * (a) the documented object, snake_case:
 *	{"chauffe_quantity": 1000, "partnership": true, "collateralizable":
 *	 false, "inheritance": "Y", "convertibility": "2", "rating": 25000,
 *	 "share_eligible": false, "redeemability": "P"}
 *     A quantity is a non-negative integer or a string of digits (at most
 *     10 digits for chauffe_quantity, 9 for rating; leading zeros count
 *     towards that).  A one-character field is true ('1'), false ('0'),
 *     or a string of exactly one ASCII letter or digit, placed verbatim.
 *     Numbers, longer strings and other types are refused.
 *
 * (b) the web app's camelCase form object:
 *	{"firstName", "lastName", "priorDloidQty", "chauffeQuantity":
 *	 "0000100000", "partnershipStatus": "L", "collateralizable": "N",
 *	 "inheritance": "Y", "convertibility": "2", "rating": "000025000",
 *	 "shareEligible": "N", "redeemability": "P"}
 *     Quantities as in (a).  A one-character field must be a string of
 *     exactly one ASCII letter or digit (no booleans: the form sends
 *     codes).  firstName, lastName and priorDloidQty are ignored.
 *
 * (c) a ready 25-character string, checked position by position.
 *
 * An object is form (b) when it holds any key only form (b) uses
 * (chauffeQuantity, partnershipStatus, shareEligible, firstName,
 * lastName, priorDloidQty), else form (a).  The keys both forms share
 * (collateralizable, inheritance, convertibility, rating, redeemability)
 * decide nothing.  An object holding keys only (a) uses (chauffe_quantity,
 * partnership, share_eligible) together with keys only (b) uses is refused
 * with 400 InvalidParameterCombination, since one of the two spellings
 * would silently be lost.  Other keys are ignored in both forms, as
 * CloudManager v1 ignores them.  A missing or null field takes its
 * default: quantity and rating 0, one-character fields '0'.  A missing
 * or null dloid_params as a whole is the all-default string
 * "0000000000000000000000000".
 *
 * Every refusal is 400 InvalidParameterValue (but the one above) naming
 * the field as the client spelled it and quoting its value, e.g.
 * "dloid_params.rating must be at most 9 digits, got '1234567890'".
 */
#ifndef CLOUDSIM_BLOCKCHAINS_DLOID_H
#define CLOUDSIM_BLOCKCHAINS_DLOID_H

#include <stdbool.h>

#include <jansson.h>

#include "core/error.h"

#define DLOID_LEN	25	/* without the NUL */

/*
 * Encode params (may be NULL) into out, NUL-terminated.  Returns false
 * with err filled (400) when params is not one of the forms above; out is
 * then unspecified.
 */
bool	 dloid_encode(const json_t *params, char out[DLOID_LEN + 1],
	    struct api_error *err);

/* True when s is a well-formed 25-character string (form (c)). */
bool	 dloid_valid(const char *s);

/*
 * The dloid_info object of s: {"chauffe_quantity": integer,
 * "partnership", "collateralizable", "inheritance", "convertibility":
 * one-character strings, "rating": integer, "share_eligible",
 * "redeemability": one-character strings}, named as in form (a).
 * Returns a new reference (caller decrefs), or NULL when s is not
 * dloid_valid() or memory runs out.
 */
json_t	*dloid_decode(const char *s);

#endif
