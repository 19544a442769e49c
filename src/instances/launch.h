/*
 * Launching instances (RunInstances), protocol-neutral.  One call makes
 * one reservation of min_count..max_count instances, all or nothing:
 * as many as the quotas (quota_instances_per_region live instances per
 * account and region; the root volumes count toward the volume quotas,
 * under the volumes service's lock) and the subnet's free addresses
 * allow, up to max_count, or none at all when fewer than min_count fit.  Each
 * instance gets a private address of its subnet, a public one when the
 * subnet maps them, a root EBS volume from its AMI (size and type as
 * the AMI says unless block_devices says more), the data volumes
 * block_devices asks for, created and attached in the same transaction,
 * and its security groups, by id or (as EC2, in the default VPC only)
 * by name; the VPC's default group when none is named.  A client_token
 * makes a retry return the first call's reservation.
 */
#ifndef CLOUDSIM_INSTANCES_LAUNCH_H
#define CLOUDSIM_INSTANCES_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;

#define INSTANCE_ACTION_RUN		"RunInstances"
#define INSTANCE_COUNT_MAX		1000	/* per call, before the quota */
#define INSTANCE_GROUPS_MAX		5	/* security groups, as EC2 */
#define INSTANCE_USER_DATA_MAX		16384	/* bytes, decoded */
#define INSTANCE_CLIENT_TOKEN_MAX	64

#define INSTANCE_BLOCK_DEVICES_MAX	16	/* mappings per launch */

/*
 * A block device mapping.  The AMI's root device sets the root volume
 * (gp2 gp3 io1 io2 standard, never smaller than the AMI's); any other
 * device is a new, empty data volume (any type, volume_size required)
 * that each instance of the launch gets attached there.
 */
struct instance_block_device {
	const char	*device_name;	/* required, /dev/… */
	long long	 volume_size;	/* GiB, 0: the AMI's (root only) */
	const char	*volume_type;	/* NULL: the AMI's (root), else gp2 */
	long long	 iops;		/* 0: the type's default; io1/io2 need it */
	int		 delete_on_termination;	/* -1: true, as EC2 at launch */
};

struct instance_run_params {
	const char		*image_id;		/* required */
	const char		*instance_type;		/* required */
	long long		 min_count, max_count;	/* 0: 1 */
	const char		*subnet_id;		/* NULL: default subnet */
	const char		*availability_zone;	/* NULL: subnet's, or the
							   region's first */
	const char *const	*security_group_ids;	/* none at all: the */
	size_t			 nsecurity_groups;	/* VPC's default group */
	const char *const	*security_group_names;	/* default VPC only */
	size_t			 nsecurity_group_names;
	const char		*key_name;		/* NULL: none */
	const char		*user_data;		/* base64, NULL: none */
	const char		*client_token;		/* NULL: none */
	struct tag_set		 tags;
	const struct instance_block_device *block_devices;
	size_t			 nblock_devices;
};

/*
 * Launch; {"reservation_id", "owner_id", "items": [instance…]} (new
 * reference; instances.h shows an instance), the instances pending.
 * Errors, all 400 unless said: MissingParameter; InvalidAMIID.Malformed
 * / .NotFound; InvalidInstanceType; InvalidParameterValue (counts,
 * architecture mismatch, user data, zone); InvalidBlockDeviceMapping;
 * InvalidSubnetID.Malformed / .NotFound; MissingInput (no default
 * subnet); InvalidGroupId.Malformed; InvalidGroup.NotFound (an id, or
 * a name the default VPC does not have); InvalidParameterCombination
 * (group names with a subnet of another VPC); InvalidParameter (a
 * group of another VPC); InvalidKeyPair.NotFound;
 * InstanceLimitExceeded; VolumeLimitExceeded;
 * InsufficientFreeAddressesInSubnet;
 * IdempotentParameterMismatch.  Nothing is left behind by a failure.
 */
json_t	*instance_run(struct request *, const struct instance_run_params *,
	    struct api_error *);

#endif
