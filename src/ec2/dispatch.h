/*
 * The EC2 Query front: POST / (form body) and GET /?Action=….
 */
#ifndef CLOUDSIM_EC2_DISPATCH_H
#define CLOUDSIM_EC2_DISPATCH_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

bool	ec2_dispatch(struct request *, struct response *, struct api_error *);

/* Errors: EC2's XML envelope on "/", API.md's JSON elsewhere. */
void	ec2_render_error(struct request *, struct response *,
	    const struct api_error *);

#endif
