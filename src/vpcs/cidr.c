/*
 * The CIDR parser.  Written by hand rather than with inet_pton/inet_net_pton
 * because those accept forms AWS refuses (inet_net_pton takes "10/8" and
 * sets host bits silently) and give no reason to quote back.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "cidr.h"

static uint32_t
mask(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/*
 * A decimal of 1..max_digits digits without leading zeros, at most max;
 * *p is left after it.  False when there is none.
 */
static bool
decimal(const char **p, unsigned max_digits, unsigned max, unsigned *out)
{
	const char	*s = *p;
	unsigned	 n = 0, digits = 0;

	while (*s >= '0' && *s <= '9' && digits <= max_digits) {
		n = n * 10 + (unsigned)(*s - '0');
		s++;
		digits++;
	}
	if (digits == 0 || digits > max_digits || n > max ||
	    (digits > 1 && **p == '0'))
		return false;
	*p = s;
	*out = n;
	return true;
}

bool
cidr4_parse(const char *text, const char *field, struct cidr4 *out,
    struct api_error *err)
{
	const char	*p = text;
	unsigned	 octet, prefix, i;
	uint32_t	 addr = 0;
	struct cidr4	 canon;
	char		 buf[CIDR4_TEXT_SIZE];

	if (strchr(text, ':') != NULL)
		return api_error_invalid(err, "'%s' is an IPv6 block ('%.64s'); "
		    "only IPv4 blocks such as '10.0.0.0/16' are supported",
		    field, text);
	for (i = 0; i < 4; i++) {
		if ((i > 0 && *p++ != '.') || !decimal(&p, 3, 255, &octet))
			goto bad;
		addr = addr << 8 | octet;
	}
	if (*p == '\0')
		return api_error_invalid(err, "'%s' must give a prefix length, "
		    "e.g. '%.64s/16'", field, text);
	if (*p++ != '/' || !decimal(&p, 2, 32, &prefix) || *p != '\0')
		goto bad;
	if ((addr & ~mask(prefix)) != 0) {
		canon.addr = addr & mask(prefix);
		canon.prefix = prefix;
		cidr4_format(&canon, buf);
		return api_error_invalid(err, "'%s' value '%.64s' has host bits "
		    "set after the /%u prefix; AWS accepts only the network "
		    "address, here '%s'", field, text, prefix, buf);
	}
	out->addr = addr;
	out->prefix = prefix;
	return true;
bad:
	return api_error_invalid(err, "'%s' value '%.64s' is not an IPv4 CIDR "
	    "block: expected four octets 0-255 and a prefix length 0-32, "
	    "e.g. '10.0.0.0/16'", field, text);
}

void
cidr4_format(const struct cidr4 *c, char buf[CIDR4_TEXT_SIZE])
{
	snprintf(buf, CIDR4_TEXT_SIZE, "%u.%u.%u.%u/%u", c->addr >> 24,
	    (c->addr >> 16) & 0xff, (c->addr >> 8) & 0xff, c->addr & 0xff,
	    c->prefix);
}

bool
cidr4_contains(const struct cidr4 *outer, const struct cidr4 *inner)
{
	return inner->prefix >= outer->prefix &&
	    (inner->addr & mask(outer->prefix)) == outer->addr;
}
