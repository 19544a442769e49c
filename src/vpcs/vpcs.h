/*
 * VPCs, protocol-neutral: create (with its main route table and default
 * security group, which the schema adds), describe with filters, read
 * one, delete.  Results are JSON (new references, caller decrefs) in
 * the shape docs/vpcs.md gives; failures fill err with AWS's codes.
 */
#ifndef CLOUDSIM_VPCS_VPCS_H
#define CLOUDSIM_VPCS_VPCS_H

#include <stdbool.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define VPC_ACTION_CREATE	"CreateVpc"
#define VPC_ACTION_DELETE	"DeleteVpc"
#define VPC_PREFIX_MIN		16
#define VPC_PREFIX_MAX		28

struct vpc_create_params {
	const char	*cidr_block;	/* required */
	struct tag_set	 tags;
};

/* Filter keys of vpc_describe (NULL-terminated); tag:K also works. */
extern const char *const vpc_filter_keys[];

/*
 * Create a VPC in the caller's account and region.  400 for a missing
 * or bad block (InvalidVpc.Range outside /16../28), 400
 * VpcLimitExceeded at quota_vpcs_per_region (the default VPC counts,
 * as in AWS).
 */
json_t	*vpc_create(struct request *, const struct vpc_create_params *,
	    struct api_error *);

/* One page of the VPCs the caller sees, in the list envelope. */
json_t	*vpc_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);

/* One VPC; 400 Malformed / 404 NotFound. */
json_t	*vpc_get(struct request *, const char *id, struct api_error *);

/*
 * Delete a VPC with its main route table and default group.  409
 * DependencyViolation while subnets, other groups or route tables, or
 * an attached gateway remain.
 */
bool	 vpc_delete(struct request *, const char *id, struct api_error *);

#endif
