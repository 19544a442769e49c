/*
 * Every EC2 Query action cloudsim answers, by name, in strcmp order so
 * dispatch can bsearch it.  Adding an action is adding a row here.
 */
#include "actions.h"

const struct ec2_action ec2_actions[] = {
	{ "AssociateRouteTable", ec2_associate_route_table, EC2_MUTATES },
	{ "AttachInternetGateway", ec2_attach_internet_gateway, EC2_MUTATES },
	{ "AuthorizeSecurityGroupEgress", ec2_authorize_egress, EC2_MUTATES },
	{ "AuthorizeSecurityGroupIngress", ec2_authorize_ingress, EC2_MUTATES },
	{ "CreateDefaultVpc", ec2_create_default_vpc, EC2_MUTATES },
	{ "CreateInternetGateway", ec2_create_internet_gateway, EC2_MUTATES },
	{ "CreateRoute", ec2_create_route, EC2_MUTATES },
	{ "CreateRouteTable", ec2_create_route_table, EC2_MUTATES },
	{ "CreateSecurityGroup", ec2_create_security_group, EC2_MUTATES },
	{ "CreateSubnet", ec2_create_subnet, EC2_MUTATES },
	{ "CreateTags", ec2_create_tags, EC2_MUTATES },
	{ "CreateVpc", ec2_create_vpc, EC2_MUTATES },
	{ "DeleteInternetGateway", ec2_delete_internet_gateway, EC2_MUTATES },
	{ "DeleteRoute", ec2_delete_route, EC2_MUTATES },
	{ "DeleteRouteTable", ec2_delete_route_table, EC2_MUTATES },
	{ "DeleteSecurityGroup", ec2_delete_security_group, EC2_MUTATES },
	{ "DeleteSubnet", ec2_delete_subnet, EC2_MUTATES },
	{ "DeleteTags", ec2_delete_tags, EC2_MUTATES },
	{ "DeleteVpc", ec2_delete_vpc, EC2_MUTATES },
	{ "DescribeAccountAttributes", ec2_describe_account_attributes, 0 },
	{ "DescribeAvailabilityZones", ec2_describe_availability_zones, 0 },
	{ "DescribeImages", ec2_describe_images, 0 },
	{ "DescribeInstanceTypes", ec2_describe_instance_types, 0 },
	{ "DescribeInternetGateways", ec2_describe_internet_gateways, 0 },
	{ "DescribeNetworkAcls", ec2_describe_network_acls, 0 },
	{ "DescribeRegions", ec2_describe_regions, 0 },
	{ "DescribeRouteTables", ec2_describe_route_tables, 0 },
	{ "DescribeSecurityGroupRules", ec2_describe_security_group_rules, 0 },
	{ "DescribeSecurityGroups", ec2_describe_security_groups, 0 },
	{ "DescribeSubnets", ec2_describe_subnets, 0 },
	{ "DescribeTags", ec2_describe_tags, 0 },
	{ "DescribeVpcAttribute", ec2_describe_vpc_attribute, 0 },
	{ "DescribeVpcs", ec2_describe_vpcs, 0 },
	{ "DetachInternetGateway", ec2_detach_internet_gateway, EC2_MUTATES },
	{ "DisassociateRouteTable", ec2_disassociate_route_table, EC2_MUTATES },
	{ "GetCallerIdentity", sts_get_caller_identity, EC2_STS },
	{ "RevokeSecurityGroupEgress", ec2_revoke_egress, EC2_MUTATES },
	{ "RevokeSecurityGroupIngress", ec2_revoke_ingress, EC2_MUTATES },
};

const unsigned long ec2_nactions = sizeof(ec2_actions) / sizeof(ec2_actions[0]);
