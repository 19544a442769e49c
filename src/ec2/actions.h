/*
 * The EC2 Query actions: each takes the parsed call, validates its
 * parameters, calls the protocol-neutral services, and writes its part
 * of the response into call->xml (the dispatcher has opened
 * <ActionResponse xmlns=…><requestId>…; the action writes what follows).
 */
#ifndef CLOUDSIM_EC2_ACTIONS_H
#define CLOUDSIM_EC2_ACTIONS_H

#include <stdbool.h>

struct ec2_call;
struct api_error;

typedef bool	(*ec2_action_fn)(struct ec2_call *, struct api_error *);

#define EC2_MUTATES	0x01	/* audited; DryRun answers DryRunOperation */
#define EC2_STS		0x02	/* an STS action: STS envelope and errors */

struct ec2_action {
	const char	*name;
	ec2_action_fn	 fn;
	unsigned	 flags;
};

/* The table, sorted by name (dispatch.c searches it). */
extern const struct ec2_action ec2_actions[];
extern const unsigned long ec2_nactions;

/* catalog_actions.c */
bool	ec2_describe_regions(struct ec2_call *, struct api_error *);
bool	ec2_describe_availability_zones(struct ec2_call *, struct api_error *);
bool	ec2_describe_images(struct ec2_call *, struct api_error *);
bool	ec2_describe_instance_types(struct ec2_call *, struct api_error *);
bool	ec2_describe_account_attributes(struct ec2_call *, struct api_error *);

/* network_actions.c */
bool	ec2_describe_vpcs(struct ec2_call *, struct api_error *);
bool	ec2_create_vpc(struct ec2_call *, struct api_error *);
bool	ec2_delete_vpc(struct ec2_call *, struct api_error *);
bool	ec2_create_default_vpc(struct ec2_call *, struct api_error *);
bool	ec2_describe_vpc_attribute(struct ec2_call *, struct api_error *);
bool	ec2_modify_vpc_attribute(struct ec2_call *, struct api_error *);
bool	ec2_modify_subnet_attribute(struct ec2_call *, struct api_error *);
bool	ec2_describe_subnets(struct ec2_call *, struct api_error *);
bool	ec2_create_subnet(struct ec2_call *, struct api_error *);
bool	ec2_delete_subnet(struct ec2_call *, struct api_error *);
bool	ec2_describe_security_groups(struct ec2_call *, struct api_error *);
bool	ec2_create_security_group(struct ec2_call *, struct api_error *);
bool	ec2_delete_security_group(struct ec2_call *, struct api_error *);
bool	ec2_authorize_ingress(struct ec2_call *, struct api_error *);
bool	ec2_authorize_egress(struct ec2_call *, struct api_error *);
bool	ec2_revoke_ingress(struct ec2_call *, struct api_error *);
bool	ec2_revoke_egress(struct ec2_call *, struct api_error *);
bool	ec2_describe_security_group_rules(struct ec2_call *, struct api_error *);
bool	ec2_describe_internet_gateways(struct ec2_call *, struct api_error *);
bool	ec2_create_internet_gateway(struct ec2_call *, struct api_error *);
bool	ec2_attach_internet_gateway(struct ec2_call *, struct api_error *);
bool	ec2_detach_internet_gateway(struct ec2_call *, struct api_error *);
bool	ec2_delete_internet_gateway(struct ec2_call *, struct api_error *);
bool	ec2_describe_route_tables(struct ec2_call *, struct api_error *);
bool	ec2_create_route_table(struct ec2_call *, struct api_error *);
bool	ec2_delete_route_table(struct ec2_call *, struct api_error *);
bool	ec2_create_route(struct ec2_call *, struct api_error *);
bool	ec2_delete_route(struct ec2_call *, struct api_error *);
bool	ec2_associate_route_table(struct ec2_call *, struct api_error *);
bool	ec2_disassociate_route_table(struct ec2_call *, struct api_error *);

/* network_acls.c */
bool	ec2_describe_network_acls(struct ec2_call *, struct api_error *);

/* network_interfaces.c */
bool	ec2_describe_network_interfaces(struct ec2_call *, struct api_error *);

/* compute_actions.c */
bool	ec2_describe_instances(struct ec2_call *, struct api_error *);
bool	ec2_run_instances(struct ec2_call *, struct api_error *);
bool	ec2_start_instances(struct ec2_call *, struct api_error *);
bool	ec2_stop_instances(struct ec2_call *, struct api_error *);
bool	ec2_reboot_instances(struct ec2_call *, struct api_error *);
bool	ec2_terminate_instances(struct ec2_call *, struct api_error *);
bool	ec2_describe_instance_status(struct ec2_call *, struct api_error *);
bool	ec2_modify_instance_attribute(struct ec2_call *, struct api_error *);
bool	ec2_get_instance_uefi_data(struct ec2_call *, struct api_error *);
bool	ec2_describe_instance_attribute(struct ec2_call *, struct api_error *);
bool	ec2_describe_instance_credit_specifications(struct ec2_call *,
	    struct api_error *);
bool	ec2_create_key_pair(struct ec2_call *, struct api_error *);
bool	ec2_import_key_pair(struct ec2_call *, struct api_error *);
bool	ec2_describe_key_pairs(struct ec2_call *, struct api_error *);
bool	ec2_delete_key_pair(struct ec2_call *, struct api_error *);
bool	ec2_describe_volumes(struct ec2_call *, struct api_error *);
bool	ec2_create_volume(struct ec2_call *, struct api_error *);
bool	ec2_delete_volume(struct ec2_call *, struct api_error *);
bool	ec2_attach_volume(struct ec2_call *, struct api_error *);
bool	ec2_detach_volume(struct ec2_call *, struct api_error *);
bool	ec2_modify_volume(struct ec2_call *, struct api_error *);
bool	ec2_describe_snapshots(struct ec2_call *, struct api_error *);
bool	ec2_create_snapshot(struct ec2_call *, struct api_error *);
bool	ec2_delete_snapshot(struct ec2_call *, struct api_error *);

/* tag_actions.c */
bool	ec2_create_tags(struct ec2_call *, struct api_error *);
bool	ec2_delete_tags(struct ec2_call *, struct api_error *);
bool	ec2_describe_tags(struct ec2_call *, struct api_error *);

/* sts.c */
bool	sts_get_caller_identity(struct ec2_call *, struct api_error *);

#endif
