/*
 * ids: UUIDs are version 4 with RFC 9562's variant, lower-case 8-4-4-4-12
 * and not repeated; prefixed hex ids have their prefix and length; the
 * validators accept what the generators make and refuse near misses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/ids.h"
#include "tap.h"

#define UUIDS	2000

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lower-case hex and dashes in the 8-4-4-4-12 places only. */
static int
lower_form(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return 0;
	}
	return 1;
}

static void
uuids(struct arena *a)
{
	char	*u[UUIDS];
	int	 form = 1, version = 1, variant = 1, distinct = 1, i;
	int	 high_bits[4] = { 0, 0, 0, 0 };
	const char	*variants = "89ab", *v;

	for (i = 0; i < UUIDS; i++) {
		u[i] = id_uuid(a);
		form &= lower_form(u[i]) && id_is_uuid(u[i]);
		version &= u[i][14] == '4';
		if ((v = strchr(variants, u[i][19])) != NULL && *v != '\0')
			high_bits[v - variants]++;	/* random bits vary */
		else
			variant = 0;
	}
	ok(form, "id_uuid: lower-case 8-4-4-4-12, and id_is_uuid agrees");
	ok(version, "id_uuid: version nibble is 4");
	ok(variant, "id_uuid: variant is 10xx (8, 9, a or b)");
	ok(high_bits[0] > 0 && high_bits[1] > 0 && high_bits[2] > 0 &&
	    high_bits[3] > 0, "id_uuid: the variant's two random bits vary");
	qsort(u, UUIDS, sizeof(u[0]), cmp_str);
	for (i = 1; i < UUIDS; i++)
		distinct &= strcmp(u[i - 1], u[i]) != 0;
	ok(distinct, "id_uuid: 2000 in a row are all different");
}

static void
validators(struct arena *a)
{
	char	*id = id_new(a, "vpc-", 17);

	is_int((long long)strlen(id), 21, "id_new: prefix + 17 hex digits");
	ok(strncmp(id, "vpc-", 4) == 0, "id_new: keeps its prefix");
	ok(id_valid(id, "vpc-", 17), "id_valid accepts what id_new makes");
	ok(!id_valid(id, "vpc-", 8), "id_valid: wrong length refused");
	ok(!id_valid(id, "subnet-", 17), "id_valid: wrong prefix refused");
	ok(!id_valid("vpc-0123456789ABCDEF0", "vpc-", 17),
	    "id_valid: upper-case hex refused");
	ok(!id_valid(NULL, "vpc-", 17), "id_valid: NULL refused");
	ok(id_is_uuid("0E8B6B2C-1D4F-4A3B-9C2D-0123456789AB"),
	    "id_is_uuid: upper case accepted (a client's X-Request-Id)");
	ok(!id_is_uuid("0e8b6b2c-1d4f-4a3b-9c2d-0123456789a"),
	    "id_is_uuid: 35 characters refused");
	ok(!id_is_uuid("0e8b6b2c1d4f-4a3b-9c2d-0123456789abc"),
	    "id_is_uuid: misplaced dash refused");
	ok(!id_is_uuid("0e8b6b2c-1d4f-4a3b-9c2d-0123456789ag"),
	    "id_is_uuid: non-hex refused");
	ok(!id_is_uuid(NULL), "id_is_uuid: NULL refused");
}

int
main(void)
{
	struct arena	*a = arena_new();

	if (a == NULL)
		return 1;
	uuids(a);
	validators(a);
	arena_free(a);
	return tap_done();
}
