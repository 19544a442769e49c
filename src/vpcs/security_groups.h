/*
 * Security groups and their rules, protocol-neutral.  Every new group
 * gets AWS's allow-all egress rule; a VPC's default group (created with
 * the VPC) also admits all traffic from its own members and cannot be
 * deleted on its own.  Results are new JSON references.
 */
#ifndef CLOUDSIM_VPCS_SECURITY_GROUPS_H
#define CLOUDSIM_VPCS_SECURITY_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define SG_ACTION_CREATE		"CreateSecurityGroup"
#define SG_ACTION_DELETE		"DeleteSecurityGroup"
#define SG_ACTION_AUTHORIZE_INGRESS	"AuthorizeSecurityGroupIngress"
#define SG_ACTION_AUTHORIZE_EGRESS	"AuthorizeSecurityGroupEgress"
#define SG_ACTION_REVOKE_INGRESS	"RevokeSecurityGroupIngress"
#define SG_ACTION_REVOKE_EGRESS		"RevokeSecurityGroupEgress"
#define SG_TEXT_MAX			255	/* name, descriptions */

struct security_group_create_params {
	const char	*vpc_id;	/* NULL: the region's default VPC */
	const char	*name;		/* required */
	const char	*description;	/* required */
	struct tag_set	 tags;
};

/* A rule as given; the service validates and normalises it. */
struct security_group_rule_params {
	const char	*direction;	/* "ingress" or "egress" */
	const char	*protocol;	/* "tcp", "udp", "icmp", "-1" */
	bool		 has_from_port, has_to_port;
	long long	 from_port, to_port;
	const char	*cidr;		/* one of cidr ... */
	const char	*source_group_id; /* ... and source_group_id */
	const char	*description;	/* may be NULL */
};

extern const char *const security_group_filter_keys[];

/*
 * Create a group.  400 for a bad name or description, 404 for an
 * unknown VPC (400 VPCIdNotSpecified without vpc_id and default VPC),
 * 409 InvalidGroup.Duplicate for a name taken in the VPC, 400
 * SecurityGroupLimitExceeded at quota_security_groups_per_region.
 */
json_t	*security_group_create(struct request *,
	    const struct security_group_create_params *, struct api_error *);

json_t	*security_group_describe(struct request *,
	    const struct listing_filters *, const struct listing_page *,
	    struct api_error *);

json_t	*security_group_get(struct request *, const char *id,
	    struct api_error *);

/*
 * Delete a group.  400 CannotDelete for a default group, 409
 * DependencyViolation while another group's rule names it.
 */
bool	 security_group_delete(struct request *, const char *id,
	    struct api_error *);

/*
 * Add a rule to group_id; returns the rule.  400 for bad ports,
 * protocol, peer or description, 404 for an unknown group or source
 * group (which must be in the same VPC), 409
 * InvalidPermission.Duplicate, 400 RulesPerSecurityGroupLimitExceeded
 * at quota_rules_per_group rules of that direction.
 */
json_t	*security_group_rule_add(struct request *, const char *group_id,
	    const struct security_group_rule_params *, struct api_error *);

/*
 * Add n rules to group_id in one transaction, all or none (EC2's
 * AuthorizeSecurityGroupIngress/Egress with several permissions): the
 * first rule that fails, as security_group_rule_add would, leaves the
 * group as it was.  Returns the array of the rules added.
 */
json_t	*security_group_rules_add(struct request *, const char *group_id,
	    const struct security_group_rule_params *rules, size_t n,
	    struct api_error *);

/*
 * Remove, all or none, the rule equal to each of rules once normalised
 * as the schema stores them (descriptions are not compared): EC2's
 * RevokeSecurityGroupIngress/Egress by properties.  404
 * InvalidPermission.NotFound when one has no match.  Returns the array
 * of the rules removed.
 */
json_t	*security_group_rules_remove(struct request *, const char *group_id,
	    const struct security_group_rule_params *rules, size_t n,
	    struct api_error *);

/* Remove rule_id from group_id; 404 when either is unknown. */
bool	 security_group_rule_delete(struct request *, const char *group_id,
	    const char *rule_id, struct api_error *);

#endif
