/*
 * The process's key material, read once from config: the JWT signing
 * keys and the master key that seals access-key secrets.  Loaded on
 * first use, valid until keyring_free() at exit.
 */
#ifndef CLOUDSIM_KEYRING_H
#define CLOUDSIM_KEYRING_H

#include <stdbool.h>

#include "secretbox.h"

struct api_error;
struct jwt_keys;

/* NULL with 500 when jwt_secret / jwt_rsa_private_key are unusable. */
const struct jwt_keys	*keyring_jwt(struct api_error *);
/* NULL with 500 when master_key is not 64 hex digits. */
const unsigned char	*keyring_master(struct api_error *);
void			 keyring_free(void);

#endif
