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

/* sts.c */
bool	sts_get_caller_identity(struct ec2_call *, struct api_error *);

#endif
