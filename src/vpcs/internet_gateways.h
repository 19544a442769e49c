/*
 * Internet gateways, protocol-neutral: create, attach to one VPC (a VPC
 * takes one gateway), detach, describe, read one, delete.  Detaching
 * follows AWS: it is allowed while routes point at the gateway, and
 * those routes then read "blackhole".  Results are new JSON references.
 */
#ifndef CLOUDSIM_VPCS_INTERNET_GATEWAYS_H
#define CLOUDSIM_VPCS_INTERNET_GATEWAYS_H

#include <stdbool.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define IGW_ACTION_CREATE	"CreateInternetGateway"
#define IGW_ACTION_DELETE	"DeleteInternetGateway"
#define IGW_ACTION_ATTACH	"AttachInternetGateway"
#define IGW_ACTION_DETACH	"DetachInternetGateway"

struct internet_gateway_create_params {
	struct tag_set	 tags;
};

extern const char *const internet_gateway_filter_keys[];

json_t	*internet_gateway_create(struct request *,
	    const struct internet_gateway_create_params *, struct api_error *);

json_t	*internet_gateway_describe(struct request *,
	    const struct listing_filters *, const struct listing_page *,
	    struct api_error *);

json_t	*internet_gateway_get(struct request *, const char *id,
	    struct api_error *);

/* Delete a detached gateway; 409 DependencyViolation while attached. */
bool	 internet_gateway_delete(struct request *, const char *id,
	    struct api_error *);

/*
 * Attach gateway id to vpc_id; returns the gateway.  404 for either
 * unknown, 409 Resource.AlreadyAssociated when the gateway is attached
 * or the VPC already has one.
 */
json_t	*internet_gateway_attach(struct request *, const char *id,
	    const char *vpc_id, struct api_error *);

/*
 * Detach gateway id (from vpc_id when not NULL); returns the gateway.
 * 409 Gateway.NotAttached when it is not attached (there).
 */
json_t	*internet_gateway_detach(struct request *, const char *id,
	    const char *vpc_id, struct api_error *);

#endif
