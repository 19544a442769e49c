/*
 * Login, refresh-token rotation and logout.
 */
#ifndef CLOUDSIM_AUTH_SESSIONS_H
#define CLOUDSIM_AUTH_SESSIONS_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

bool	sessions_login(struct request *, struct response *, struct api_error *);
bool	sessions_refresh(struct request *, struct response *,
	    struct api_error *);
bool	sessions_logout(struct request *, struct response *,
	    struct api_error *);

#endif
