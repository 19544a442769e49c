/*
 * Access keys for SigV4: create (the secret shown once), list, change
 * status, delete.  A user manages only their own keys.
 */
#ifndef CLOUDSIM_AUTH_ACCESS_KEYS_H
#define CLOUDSIM_AUTH_ACCESS_KEYS_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

#define ACCESS_KEY_SECRET_LEN	40

bool	access_keys_create(struct request *, struct response *,
	    struct api_error *);
bool	access_keys_list(struct request *, struct response *,
	    struct api_error *);
bool	access_keys_update(struct request *, struct response *,
	    struct api_error *);
bool	access_keys_delete(struct request *, struct response *,
	    struct api_error *);

#endif
