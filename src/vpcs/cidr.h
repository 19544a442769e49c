/*
 * IPv4 CIDR blocks as clients write them ("10.0.0.0/16"), parsed and
 * checked in C before any SQL sees them: a strict dotted quad (four
 * decimal octets 0..255, no leading zeros, nothing else), a prefix
 * 0..32, and canonical form (no host bits set), which AWS also demands.
 * IPv6 is recognised only to say it is not supported.
 */
#ifndef CLOUDSIM_VPCS_CIDR_H
#define CLOUDSIM_VPCS_CIDR_H

#include <stdbool.h>
#include <stdint.h>

struct api_error;

#define CIDR4_TEXT_SIZE	19	/* "255.255.255.255/32" and the NUL */

struct cidr4 {
	uint32_t	addr;		/* network address, host byte order */
	unsigned	prefix;		/* 0..32 */
};

/*
 * Parse text, the value of field, into out.  400 InvalidParameterValue
 * naming field and quoting text when it is not an IPv4 block, is IPv6,
 * or has host bits set (the message then offers the canonical block).
 */
bool	cidr4_parse(const char *text, const char *field, struct cidr4 *out,
	    struct api_error *err);

/* The canonical text of c into buf. */
void	cidr4_format(const struct cidr4 *c, char buf[CIDR4_TEXT_SIZE]);

/* Is inner inside outer (equal counts as inside)? */
bool	cidr4_contains(const struct cidr4 *outer, const struct cidr4 *inner);

#endif
