/*
 * The modifiable attributes of VPCs (DNS support and host names) and
 * subnets (public IPs on launch), protocol-neutral, for EC2's
 * ModifyVpcAttribute and ModifySubnetAttribute.
 */
#ifndef CLOUDSIM_VPCS_ATTRIBUTES_H
#define CLOUDSIM_VPCS_ATTRIBUTES_H

#include <stdbool.h>

struct request;
struct api_error;

enum vpc_attribute {
	VPC_ENABLE_DNS_SUPPORT,
	VPC_ENABLE_DNS_HOSTNAMES
};

/*
 * Set attr of the caller's VPC id.  404 for an unknown VPC, 400 when DNS
 * host names would be on while DNS support is off (as EC2 refuses).
 */
bool	vpc_set_attribute(struct request *, const char *id,
	    enum vpc_attribute attr, bool value, struct api_error *);

/* Set map_public_ip_on_launch of the caller's subnet id; 404 if unknown. */
bool	subnet_set_map_public_ip(struct request *, const char *id,
	    bool value, struct api_error *);

#endif
