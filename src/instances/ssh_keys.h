/*
 * SSH key material for EC2 key pairs: generating a pair (RSA 2048 or
 * ED25519, through OpenSSL's EVP interface), reading an OpenSSH public
 * key line that a user imports, and the fingerprints EC2 shows:
 *
 *   created RSA    SHA-1 of the PKCS#8 DER private key, colon hex
 *   imported RSA   MD5 of the DER public key (SubjectPublicKeyInfo),
 *                  colon hex (what "openssl rsa -pubout -outform DER |
 *                  openssl md5 -c" prints, as AWS's guide says)
 *   ED25519        base64 of the SHA-256 of the OpenSSH public key blob,
 *                  with '=' padding and without ssh-keygen's "SHA256:"
 *
 * Every string lives in the request's arena.  The private key is handed
 * back once and kept nowhere.
 */
#ifndef CLOUDSIM_INSTANCES_SSH_KEYS_H
#define CLOUDSIM_INSTANCES_SSH_KEYS_H

#include <stdbool.h>

struct arena;
struct api_error;

#define SSH_RSA_BITS		2048	/* what CreateKeyPair makes */
#define SSH_RSA_MIN_BITS	1024	/* what ImportKeyPair accepts */
#define SSH_RSA_MAX_BITS	4096
#define SSH_PUBLIC_KEY_MAX	8192	/* characters of an imported line */

struct ssh_key {
	const char	*key_type;	/* "rsa" or "ed25519" */
	const char	*public_key;	/* "ssh-ed25519 AAAA… comment" */
	const char	*fingerprint;
	const char	*private_key;	/* PEM; NULL for an imported key */
	int		 bits;		/* 2048, 256 for ED25519 */
};

/*
 * A new pair of key_type ("rsa" or "ed25519"); comment ends the public
 * key line.  RSA private keys are PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"),
 * ED25519 ones the OpenSSH format ("BEGIN OPENSSH PRIVATE KEY"), as
 * EC2 hands them out.  False with 500 when OpenSSL fails.
 */
bool	ssh_key_generate(struct arena *, const char *key_type,
	    const char *comment, struct ssh_key *out, struct api_error *);

/*
 * An OpenSSH public key line ("ssh-rsa AAAA… [comment]" or
 * "ssh-ed25519 AAAA… [comment]"), decoded and checked: the blob's type
 * matches the line's, an RSA key has a positive odd exponent and a
 * modulus of SSH_RSA_MIN_BITS..SSH_RSA_MAX_BITS bits, an ED25519 key 32
 * bytes, nothing trails.  400 InvalidKey.Format otherwise.
 */
bool	ssh_key_parse_public(struct arena *, const char *line,
	    struct ssh_key *out, struct api_error *);

#endif
