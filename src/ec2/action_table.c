/*
 * Every EC2 Query action cloudsim answers, by name, in strcmp order so
 * dispatch can bsearch it.  Adding an action is adding a row here.
 */
#include "actions.h"

const struct ec2_action ec2_actions[] = {
	{ "DescribeAccountAttributes", ec2_describe_account_attributes, 0 },
	{ "DescribeAvailabilityZones", ec2_describe_availability_zones, 0 },
	{ "DescribeImages", ec2_describe_images, 0 },
	{ "DescribeInstanceTypes", ec2_describe_instance_types, 0 },
	{ "DescribeRegions", ec2_describe_regions, 0 },
	{ "GetCallerIdentity", sts_get_caller_identity, EC2_STS },
};

const unsigned long ec2_nactions = sizeof(ec2_actions) / sizeof(ec2_actions[0]);
