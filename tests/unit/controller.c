/*
 * The controller: name checks and trimming, the licence count, the
 * controller_name rule with its folding of non-ASCII names, and roles,
 * with refusals checked to the exact status, code and message.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "blockchains/controller.h"

/* A JSON value from its text, or NULL for "absent". */
static json_t *
value(const char *text)
{
	return text == NULL ? NULL :
	    json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

/* Check first and last (JSON texts, NULL absent); expect success. */
static void
person_ok(const char *first, const char *last, const char *want_first,
    const char *want_last, const char *name)
{
	struct api_error	 err;
	struct controller_person p;
	json_t			*f = value(first), *l = value(last);

	memset(&err, 0, sizeof(err));
	if (!ok(controller_validate_person(f, l, &p, &err), name))
		tap_diag(err.message);
	else {
		is_str(p.first_name, want_first, name);
		is_str(p.last_name, want_last, name);
	}
	json_decref(f);
	json_decref(l);
}

static void
person_err(const char *first, const char *last, const char *code,
    const char *msg, const char *name)
{
	struct api_error	 err;
	struct controller_person p;
	json_t			*f = value(first), *l = value(last);

	memset(&err, 0, sizeof(err));
	ok(!controller_validate_person(f, l, &p, &err), name);
	is_int(err.status, 400, name);
	is_str(err.code, code, name);
	is_str(err.message, msg, name);
	json_decref(f);
	json_decref(l);
}

static void
test_person(void)
{
	char	 long_name[80], want[200], long_utf8[sizeof(want) + 2];
	size_t	 i;

	person_ok("\"Ada\"", "\"Lovelace\"", "Ada", "Lovelace", "plain names");
	person_ok("\"  Ada \\t\"", "\"\\n Lovelace \"", "Ada", "Lovelace",
	    "names trimmed");
	person_ok("\"Mary Jane\"", "\"van der Berg\"", "Mary Jane",
	    "van der Berg", "inner spaces kept");

	/* 64 two-byte characters are 128 bytes but 64 characters. */
	want[0] = '\0';
	for (i = 0; i < 64; i++)
		strcat(want, "\xc3\xa9");
	snprintf(long_utf8, sizeof(long_utf8), "\"%s\"", want);
	person_ok(long_utf8, "\"X\"", want, "X", "64 characters allowed");

	memset(long_name, 'a', 66);	/* 65 between the quotes */
	long_name[0] = '"';
	long_name[66] = '"';
	long_name[67] = '\0';
	person_err("\"Ada\"", long_name, "InvalidParameterValue",
	    "last_name must be at most 64 characters, got 65",
	    "65 characters refused");

	person_err(NULL, "\"Lovelace\"", "MissingParameter",
	    "the request must contain the parameter 'first_name'",
	    "absent first_name");
	person_err("\"Ada\"", "null", "MissingParameter",
	    "the request must contain the parameter 'last_name'",
	    "null last_name");
	person_err("5", "\"Lovelace\"", "InvalidParameterValue",
	    "first_name must be a string, got '5'", "numeric first_name");
	person_err("\"Ada\"", "[\"x\"]", "InvalidParameterValue",
	    "last_name must be a string, got '[\"x\"]'", "array last_name");
	person_err("\"   \"", "\"Lovelace\"", "InvalidParameterValue",
	    "first_name must not be blank", "blank first_name");
	person_err("\"\"", "\"Lovelace\"", "InvalidParameterValue",
	    "first_name must not be blank", "empty first_name");
	person_err("\"A\\tda\"", "\"Lovelace\"", "InvalidParameterValue",
	    "first_name must not contain control characters", "inner tab");
	person_err("\"Ada\"", "\"Love\\u0000lace\"", "InvalidParameterValue",
	    "last_name must not contain control characters", "inner NUL");
	person_err("\"Ada\"", "\"Love\\u0085lace\"", "InvalidParameterValue",
	    "last_name must not contain control characters", "C1 control");
}

static void
licenses_ok(const char *text, long long want, const char *name)
{
	struct api_error	 err;
	json_t			*v = value(text);
	long long		 n = -1;

	ok(controller_licenses(v, &n, &err), name);
	is_int(n, want, name);
	json_decref(v);
}

static void
licenses_err(const char *text, const char *quoted, const char *name)
{
	struct api_error	 err;
	json_t			*v = value(text);
	long long		 n;
	char			 msg[200];

	memset(&err, 0, sizeof(err));
	ok(!controller_licenses(v, &n, &err), name);
	is_int(err.status, 400, name);
	is_str(err.code, "InvalidParameterValue", name);
	snprintf(msg, sizeof(msg), "existing_licenses must be an integer "
	    "between 0 and 999999, got '%s'", quoted);
	is_str(err.message, msg, name);
	json_decref(v);
}

static void
test_licenses(void)
{
	licenses_ok(NULL, 0, "absent licences: 0");
	licenses_ok("null", 0, "null licences: 0");
	licenses_ok("3", 3, "integer licences");
	licenses_ok("\"12\"", 12, "digit string licences");
	licenses_ok("\"0000000000005\"", 5, "leading zeros");
	licenses_ok("999999", 999999, "largest count");
	licenses_err("-1", "-1", "negative count");
	licenses_err("1000000", "1000000", "count too big");
	licenses_err("\"99999999999999999999999\"", "99999999999999999999999",
	    "huge digit string");
	licenses_err("\"1a\"", "1a", "letters");
	licenses_err("\"\"", "", "empty string");
	licenses_err("1.5", "1.5", "real");
	licenses_err("true", "true", "boolean");
}

/* Derive a name from UTF-8 first and last names. */
static void
name_ok(const char *first, const char *last, long long n, const char *want,
    const char *name)
{
	struct api_error	 err;
	struct controller_person p;
	char			 out[CONTROLLER_NAME_SIZE];

	strcpy(p.first_name, first);
	strcpy(p.last_name, last);
	memset(&err, 0, sizeof(err));
	if (!ok(controller_name(&p, n, out, &err), name))
		tap_diag(err.message);
	else
		is_str(out, want, name);
}

static void
test_name(void)
{
	struct api_error	 err;
	struct controller_person p;
	char			 out[CONTROLLER_NAME_SIZE], last[65];

	name_ok("Ada", "Lovelace", 0, "alovelace-001", "Ada Lovelace");
	name_ok("Ada", "Lovelace", 41, "alovelace-042", "42nd licence");
	name_ok("Ada", "Lovelace", 999, "alovelace-1000", "1000th licence");
	name_ok("Ada", "Lovelace", 999999, "alovelace-1000000",
	    "largest count");
	name_ok("Jos\xc3\xa9", "N\xc3\xba\xc3\xb1" "ez-O'Brien", 2,
	    "jnunezobrien-003", "accents, hyphen, apostrophe");
	name_ok("Karl", "Wei\xc3\x9f", 0, "kweiss-001", "sharp s");
	name_ok("\xc5\x81ukasz", "Str\xc3\xb6m", 0, "lstrom-001",
	    "Latin Extended-A initial");
	name_ok("\xc3\x86thelred", "\xc3\x98stergaard", 0, "aostergaard-001",
	    "ligature initial cut to one letter");
	name_ok("\xc4\xb2sbrand", "\xc4\xb2zerman", 0, "iijzerman-001",
	    "ij ligature");
	name_ok("Mary Jane", "van der Berg", 0, "mvanderberg-001",
	    "spaces dropped");
	name_ok("'Oisin", "O'Neill", 0, "ooneill-001", "initial skips marks");
	name_ok("R2", "D2", 0, "rd2-001", "digits kept");
	name_ok("\xe6\x9d\x8e", "Smith", 0, "smith-001", "CJK first name");
	name_ok("Ada", "\xe6\x9d\x8e", 0, "a-001", "CJK last name");

	memset(last, 'z', 64);
	last[64] = '\0';
	name_ok("Ada", last, 0, "azzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-001",
	    "last name cut at 40");

	strcpy(p.first_name, "\xe6\x9d\x8e");
	strcpy(p.last_name, "\xe5\xb0\x8f\xe6\x98\x8e");
	memset(&err, 0, sizeof(err));
	ok(!controller_name(&p, 0, out, &err), "nothing left refused");
	is_int(err.status, 400, "nothing left: 400");
	is_str(err.code, "InvalidParameterValue", "nothing left: code");
	is_str(err.message, "first_name and last_name must hold at least one "
	    "Latin letter or digit, got '\xe6\x9d\x8e' and "
	    "'\xe5\xb0\x8f\xe6\x98\x8e'", "nothing left: message");

	strcpy(p.first_name, "Ada");
	strcpy(p.last_name, "Lovelace");
	ok(!controller_name(&p, -1, out, &err), "negative count refused");
	is_str(err.message, "existing_licenses must be an integer between 0 "
	    "and 999999, got '-1'", "negative count: message");
	ok(!controller_name(&p, 1000000, out, &err), "count too big refused");
}

static void
role_ok(const char *text, const char *want, const char *name)
{
	struct api_error	 err;
	json_t			*v = value(text);
	const char		*role = NULL;

	ok(controller_role(v, &role, &err), name);
	is_str(role, want, name);
	json_decref(v);
}

static void
role_err(const char *text, const char *quoted, const char *name)
{
	struct api_error	 err;
	json_t			*v = value(text);
	const char		*role = NULL;
	char			 msg[200];

	memset(&err, 0, sizeof(err));
	ok(!controller_role(v, &role, &err), name);
	is_int(err.status, 400, name);
	is_str(err.code, "InvalidParameterValue", name);
	snprintf(msg, sizeof(msg), "controller_role must be one of 'manager', "
	    "'owner', 'operator', 'auditor' or 'viewer', got '%s'", quoted);
	is_str(err.message, msg, name);
	json_decref(v);
}

static void
test_role(void)
{
	role_ok(NULL, "manager", "absent role: manager");
	role_ok("null", "manager", "null role: manager");
	role_ok("\"manager\"", "manager", "manager");
	role_ok("\"owner\"", "owner", "owner");
	role_ok("\"operator\"", "operator", "operator");
	role_ok("\"auditor\"", "auditor", "auditor");
	role_ok("\"viewer\"", "viewer", "viewer");
	role_ok("\"Operator\"", "operator", "case folded");
	role_ok("\"VIEWER\"", "viewer", "upper case folded");
	role_err("\"admin\"", "admin", "unknown role");
	role_err("\"\"", "", "empty role");
	role_err("\"manager \"", "manager ", "trailing space");
	role_err("\"managers\"", "managers", "longer word");
	role_err("5", "5", "numeric role");
	role_err("\"manager\\u0000x\"", "manager", "embedded NUL");
}

int
main(void)
{
	test_person();
	test_licenses();
	test_name();
	test_role();
	return tap_done();
}
