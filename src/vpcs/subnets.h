/*
 * Subnets, protocol-neutral: create inside a VPC, describe with filters,
 * read one, delete.  available_ip_address_count is the block's size
 * less AWS's five reserved addresses less those taken
 * (cloudsim.subnet_addresses, which the instances service fills through
 * cloudsim.allocate_private_ip).  Results are new JSON references.
 */
#ifndef CLOUDSIM_VPCS_SUBNETS_H
#define CLOUDSIM_VPCS_SUBNETS_H

#include <stdbool.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define SUBNET_ACTION_CREATE	"CreateSubnet"
#define SUBNET_ACTION_DELETE	"DeleteSubnet"
#define SUBNET_PREFIX_MIN	16
#define SUBNET_PREFIX_MAX	28

struct subnet_create_params {
	const char	*vpc_id;		/* required */
	const char	*cidr_block;		/* required */
	const char	*availability_zone;	/* NULL: the least used zone */
	bool		 map_public_ip_on_launch;
	struct tag_set	 tags;
};

extern const char *const subnet_filter_keys[];

/*
 * Create a subnet.  400 InvalidSubnet.Range outside /16../28 or outside
 * the VPC, 400 InvalidParameterValue for a zone not in the region, 404
 * for an unknown VPC, 409 InvalidSubnet.Conflict when it overlaps a
 * sibling (decided by the schema, so racing requests cannot both win),
 * 400 SubnetLimitExceeded at quota_subnets_per_vpc.
 */
json_t	*subnet_create(struct request *, const struct subnet_create_params *,
	    struct api_error *);

json_t	*subnet_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);

json_t	*subnet_get(struct request *, const char *id, struct api_error *);

/* Delete a subnet (and its route table association); 409 while addresses are in use. */
bool	 subnet_delete(struct request *, const char *id, struct api_error *);

#endif
