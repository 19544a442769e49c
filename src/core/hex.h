/*
 * Lower-case hexadecimal, for hashes, keys and tokens.
 */
#ifndef CLOUDSIM_HEX_H
#define CLOUDSIM_HEX_H

#include <stddef.h>

/* 0..15 for a hex digit (either case), -1 for anything else. */
int	hex_value(char c);
/* 2 * len digits and a NUL into out. */
void	hex_encode(const unsigned char *in, size_t len, char *out);
/* Decode s (even length, at most 2 * max digits); byte count or -1. */
long	hex_decode(const char *s, unsigned char *out, size_t max);

#endif
