/*
 * dloid_params: the three accepted forms, their defaults and refusals to
 * the exact status, code and message, and decoding into dloid_info.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "blockchains/dloid.h"

/* Encode the JSON text in and expect the string want. */
static void
encode_ok(const char *in, const char *want, const char *name)
{
	struct api_error	 err;
	json_t			*v;
	char			 out[DLOID_LEN + 1];

	v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	memset(&err, 0, sizeof(err));
	if (!ok(v != NULL && dloid_encode(v, out, &err), name))
		tap_diag(err.message);
	else
		is_str(out, want, name);
	json_decref(v);
}

/* Encode the JSON text in and expect a 400 with code and message. */
static void
encode_err(const char *in, const char *code, const char *msg,
    const char *name)
{
	struct api_error	 err;
	json_t			*v;
	char			 out[DLOID_LEN + 1];

	v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	memset(&err, 0, sizeof(err));
	ok(v != NULL && !dloid_encode(v, out, &err), name);
	is_int(err.status, 400, name);
	is_str(err.code, code, name);
	is_str(err.message, msg, name);
	json_decref(v);
}

static void
test_documented_form(void)
{
	encode_ok("{\"chauffe_quantity\": 1000, \"partnership\": true, "
	    "\"collateralizable\": false, \"inheritance\": \"Y\", "
	    "\"convertibility\": \"2\", \"rating\": 25000, "
	    "\"share_eligible\": false, \"redeemability\": \"P\"}",
	    "000000100010Y20000250000P", "(a) documented example");
	encode_ok("{\"chauffe_quantity\": \"1000\", \"partnership\": true, "
	    "\"collateralizable\": false, \"inheritance\": \"Y\", "
	    "\"convertibility\": \"2\", \"rating\": \"000025000\", "
	    "\"share_eligible\": false, \"redeemability\": \"P\"}",
	    "000000100010Y20000250000P", "(a) quantities as digit strings");
	encode_ok("{}", "0000000000000000000000000", "(a) empty: defaults");
	encode_ok("{\"rating\": null, \"partnership\": null, \"other\": 5}",
	    "0000000000000000000000000", "(a) null and unknown keys ignored");
	encode_ok("{\"partnership\": \"L\", \"share_eligible\": \"7\"}",
	    "0000000000L0000000000007" "0", "(a) codes placed verbatim");
	encode_ok("{\"chauffe_quantity\": 9999999999, \"rating\": 999999999}",
	    "9999999999000099999999900", "(a) largest quantities");
	encode_ok("{\"chauffe_quantity\": \"0000000000\", \"rating\": 0}",
	    "0000000000000000000000000", "(a) zeros");

	encode_err("{\"rating\": 1234567890}", "InvalidParameterValue",
	    "dloid_params.rating must be at most 9 digits, got '1234567890'",
	    "(a) rating over 9 digits");
	encode_err("{\"rating\": \"0000000001\"}", "InvalidParameterValue",
	    "dloid_params.rating must be at most 9 digits, got '0000000001'",
	    "(a) rating over 9 digits with leading zeros");
	encode_err("{\"chauffe_quantity\": 10000000000}",
	    "InvalidParameterValue", "dloid_params.chauffe_quantity must be "
	    "at most 10 digits, got '10000000000'", "(a) quantity too big");
	encode_err("{\"chauffe_quantity\": -5}", "InvalidParameterValue",
	    "dloid_params.chauffe_quantity must not be negative, got '-5'",
	    "(a) negative quantity");
	encode_err("{\"chauffe_quantity\": \"-5\"}", "InvalidParameterValue",
	    "dloid_params.chauffe_quantity must be a non-negative integer or "
	    "a string of digits, got '-5'", "(a) negative quantity string");
	encode_err("{\"chauffe_quantity\": 1.5}", "InvalidParameterValue",
	    "dloid_params.chauffe_quantity must be a non-negative integer or "
	    "a string of digits, got '1.5'", "(a) real quantity");
	encode_err("{\"rating\": \"\"}", "InvalidParameterValue",
	    "dloid_params.rating must be a non-negative integer or a string "
	    "of digits, got ''", "(a) empty rating");
	encode_err("{\"rating\": \"12a\"}", "InvalidParameterValue",
	    "dloid_params.rating must be a non-negative integer or a string "
	    "of digits, got '12a'", "(a) rating with a letter");
	encode_err("{\"partnership\": 1}", "InvalidParameterValue",
	    "dloid_params.partnership must be true, false or one letter or "
	    "digit, got '1'", "(a) numeric flag");
	encode_err("{\"collateralizable\": {\"x\": 1}}",
	    "InvalidParameterValue", "dloid_params.collateralizable must be "
	    "true, false or one letter or digit, got '{\"x\":1}'",
	    "(a) object flag");
	encode_err("{\"inheritance\": \"YY\"}", "InvalidParameterValue",
	    "dloid_params.inheritance must be true, false or one letter or "
	    "digit, got 'YY'", "(a) two-character flag");
	encode_err("{\"redeemability\": \"#\"}", "InvalidParameterValue",
	    "dloid_params.redeemability must be true, false or one letter or "
	    "digit, got '#'", "(a) punctuation flag");
	encode_err("{\"redeemability\": \"\xc3\xa9\"}", "InvalidParameterValue",
	    "dloid_params.redeemability must be true, false or one letter or "
	    "digit, got '\xc3\xa9'", "(a) non-ASCII flag");
}

static void
test_form_object(void)
{
	encode_ok("{\"firstName\": \"Ada\", \"lastName\": \"Lovelace\", "
	    "\"priorDloidQty\": \"3\", \"chauffeQuantity\": \"0000100000\", "
	    "\"partnershipStatus\": \"L\", \"collateralizable\": \"N\", "
	    "\"inheritance\": \"Y\", \"convertibility\": \"2\", "
	    "\"rating\": \"000025000\", \"shareEligible\": \"N\", "
	    "\"redeemability\": \"P\"}",
	    "0000100000LNY2000025000NP", "(b) web app example");
	encode_ok("{\"chauffeQuantity\": 100000, \"partnershipStatus\": \"L\", "
	    "\"rating\": \"25000\"}",
	    "0000100000L000000025000" "00", "(b) unpadded, defaults");
	encode_ok("{\"firstName\": \"Ada\", \"rating\": 5}",
	    "0000000000000000000000500", "(b) picked by firstName alone");
	encode_err("{\"partnershipStatus\": true}", "InvalidParameterValue",
	    "dloid_params.partnershipStatus must be one letter or digit, "
	    "got 'true'", "(b) boolean code refused");
	encode_err("{\"chauffeQuantity\": \"00001000000\"}",
	    "InvalidParameterValue", "dloid_params.chauffeQuantity must be "
	    "at most 10 digits, got '00001000000'", "(b) quantity too long");
	encode_err("{\"shareEligible\": \"\"}", "InvalidParameterValue",
	    "dloid_params.shareEligible must be one letter or digit, got ''",
	    "(b) empty code");
	encode_err("{\"chauffe_quantity\": 1, \"shareEligible\": \"N\"}",
	    "InvalidParameterCombination", "dloid_params mixes the field "
	    "'chauffe_quantity' with the form field 'shareEligible'; use one "
	    "spelling", "(a) and (b) keys mixed");
}

static void
test_string_form(void)
{
	encode_ok("\"0000100000LNY2000025000NP\"", "0000100000LNY2000025000NP",
	    "(c) ready string");
	encode_ok("null", "0000000000000000000000000", "null: defaults");
	encode_err("\"abc\"", "InvalidParameterValue",
	    "dloid_params must be 25 characters, got 'abc'", "(c) too short");
	encode_err("\"0000100000LNY2000025000NPX\"", "InvalidParameterValue",
	    "dloid_params must be 25 characters, got "
	    "'0000100000LNY2000025000NPX'", "(c) too long");
	encode_err("\"00001X0000LNY2000025000NP\"", "InvalidParameterValue",
	    "dloid_params positions 0-9 (chauffe_quantity) must be digits, "
	    "got '00001X0000'", "(c) letter in the quantity");
	encode_err("\"0000100000L#Y2000025000NP\"", "InvalidParameterValue",
	    "dloid_params position 11 (collateralizable) must be a letter or "
	    "digit, got '#'", "(c) punctuation code");
	encode_err("\"0000100000LNY200002500ONP\"", "InvalidParameterValue",
	    "dloid_params positions 14-22 (rating) must be digits, got "
	    "'00002500O'", "(c) letter O in the rating");
	encode_err("\"0000100000LNY2000025000N\xc3\xa9\"",
	    "InvalidParameterValue", "dloid_params must be 25 characters, "
	    "got '0000100000LNY2000025000N\xc3\xa9'", "(c) 26 bytes");
	encode_err("\"0000100000LNY200002500\xc3\xa9P\"",
	    "InvalidParameterValue", "dloid_params must be ASCII letters and "
	    "digits, got '0000100000LNY200002500\xc3\xa9P'", "(c) non-ASCII");
	encode_err("\"0000100000LN\\u00002000025000NP\"",
	    "InvalidParameterValue", "dloid_params must be 25 characters, got "
	    "'0000100000LN'", "(c) embedded NUL");
	encode_err("5", "InvalidParameterValue", "dloid_params must be an "
	    "object or a 25-character string, got '5'", "number refused");
	encode_err("[\"0000100000LNY2000025000NP\"]", "InvalidParameterValue",
	    "dloid_params must be an object or a 25-character string, got "
	    "'[\"0000100000LNY2000025000NP\"]'", "array refused");
}

static void
test_absent_and_valid(void)
{
	struct api_error	 err;
	char			 out[DLOID_LEN + 1];

	ok(dloid_encode(NULL, out, &err), "absent params encode");
	is_str(out, "0000000000000000000000000", "absent params: defaults");

	ok(dloid_valid("0000100000LNY2000025000NP"), "valid string");
	ok(!dloid_valid(NULL), "NULL is not valid");
	ok(!dloid_valid(""), "empty is not valid");
	ok(!dloid_valid("0000100000LNY2000025000N"), "24 characters");
	ok(!dloid_valid("0000100000LNY2000025000N-"), "dash in last code");
}

static void
test_decode(void)
{
	struct api_error	 err;
	json_t			*info, *again;
	char			 out[DLOID_LEN + 1];

	info = dloid_decode("0000100000LNY2000025000NP");
	ok(info != NULL, "decode");
	is_int(json_object_size(info), 8, "decode: eight fields");
	is_int(json_integer_value(json_object_get(info, "chauffe_quantity")),
	    100000, "decode: chauffe_quantity");
	is_str(json_string_value(json_object_get(info, "partnership")), "L",
	    "decode: partnership");
	is_str(json_string_value(json_object_get(info, "collateralizable")),
	    "N", "decode: collateralizable");
	is_str(json_string_value(json_object_get(info, "inheritance")), "Y",
	    "decode: inheritance");
	is_str(json_string_value(json_object_get(info, "convertibility")), "2",
	    "decode: convertibility");
	is_int(json_integer_value(json_object_get(info, "rating")), 25000,
	    "decode: rating");
	is_str(json_string_value(json_object_get(info, "share_eligible")), "N",
	    "decode: share_eligible");
	is_str(json_string_value(json_object_get(info, "redeemability")), "P",
	    "decode: redeemability");

	/* dloid_info is itself a valid form (a) object. */
	ok(dloid_encode(info, out, &err), "dloid_info encodes as form (a)");
	is_str(out, "0000100000LNY2000025000NP", "round trip");
	json_decref(info);

	again = dloid_decode("9999999999000099999999900");
	is_int(json_integer_value(json_object_get(again, "chauffe_quantity")),
	    9999999999LL, "decode: largest quantity");
	is_int(json_integer_value(json_object_get(again, "rating")),
	    999999999, "decode: largest rating");
	json_decref(again);

	ok(dloid_decode("0000100000LNY2000025000N") == NULL,
	    "decode refuses a bad string");
	ok(dloid_decode(NULL) == NULL, "decode refuses NULL");
}

int
main(void)
{
	test_documented_form();
	test_form_object();
	test_string_form();
	test_absent_and_valid();
	test_decode();
	return tap_done();
}
