/*
 * The CIDR parser of vpcs.fcgi with hostile and borderline input.
 */
#include <string.h>

#include "core/error.h"
#include "vpcs/cidr.h"
#include "tap.h"

static struct api_error	err;

static int
good(const char *text, const char *canonical)
{
	struct cidr4	c;
	char		buf[CIDR4_TEXT_SIZE];

	if (!cidr4_parse(text, "cidr_block", &c, &err))
		return 0;
	cidr4_format(&c, buf);
	return strcmp(buf, canonical) == 0;
}

static int
bad(const char *text)
{
	struct cidr4	c;

	memset(&err, 0, sizeof(err));
	return !cidr4_parse(text, "cidr_block", &c, &err) && err.status == 400 &&
	    strcmp(err.code, "InvalidParameterValue") == 0 &&
	    strstr(err.message, "cidr_block") != NULL;
}

int
main(void)
{
	static const char *const rejects[] = {
		"", "abc", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
		"10.0.0.0/016", "300.0.0.0/16", "256.0.0.0/8", "10.0.0/16",
		"10.0.0.0.0/16", "010.0.0.0/16", "10.0.0.0/16 ", " 10.0.0.0/16",
		"10.0.0.0/16x", "10..0.0/16", "1e1.0.0.0/8", "0x0a.0.0.0/8",
		"+10.0.0.0/16", "10.0.0.0/+16", "10.0.0.0//16", "1000.0.0.0/8",
		"10.0.0.1/16", "192.168.1.1/24", "255.255.255.255/0", NULL
	};
	const char *const	*p;
	struct cidr4		 outer, inner;
	char			 name[128];

	ok(good("10.0.0.0/16", "10.0.0.0/16"), "10.0.0.0/16");
	ok(good("0.0.0.0/0", "0.0.0.0/0"), "0.0.0.0/0");
	ok(good("255.255.255.255/32", "255.255.255.255/32"), "a /32 host");
	ok(good("172.31.16.0/20", "172.31.16.0/20"), "172.31.16.0/20");
	ok(good("10.0.0.0/8", "10.0.0.0/8"), "parsing allows any prefix 0-32");
	for (p = rejects; *p != NULL; p++) {
		snprintf(name, sizeof(name), "'%s' is refused with a 400", *p);
		ok(bad(*p), name);
	}
	ok(bad("10.0.0.1/16") && strstr(err.message, "'10.0.0.0/16'") != NULL,
	    "host bits: the message offers the network address");
	ok(bad("2001:db8::/32") && strstr(err.message, "IPv6") != NULL,
	    "IPv6 is named as unsupported");
	ok(bad("10.0.0.0") && strstr(err.message, "prefix") != NULL,
	    "a missing prefix is named");

	cidr4_parse("10.0.0.0/16", "x", &outer, &err);
	cidr4_parse("10.0.255.240/28", "x", &inner, &err);
	ok(cidr4_contains(&outer, &inner), "a /28 at the end is inside");
	ok(cidr4_contains(&outer, &outer), "a block contains itself");
	ok(!cidr4_contains(&inner, &outer), "a smaller block does not contain");
	cidr4_parse("10.1.0.0/24", "x", &inner, &err);
	ok(!cidr4_contains(&outer, &inner), "a neighbour is outside");
	cidr4_parse("0.0.0.0/0", "x", &outer, &err);
	ok(cidr4_contains(&outer, &inner), "0.0.0.0/0 contains everything");
	return tap_done();
}
