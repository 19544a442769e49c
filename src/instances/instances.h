/*
 * Instances, protocol-neutral: describe with filters, read one, read a
 * reservation, change the type of a stopped one, read its user data,
 * tag.  Launching is launch.h, state changes are lifecycle.h.
 *
 * An instance as JSON (new references, caller decrefs), built by SQL
 * from cloudsim.v_instances, so every reader sees the effective state:
 *	{"id", "arn", "account_id", "region", "reservation_id",
 *	 "ami_launch_index", "image_id", "instance_type", "architecture",
 *	 "platform", "state": {"code", "name"},
 *	 "state_reason": null | {"code", "message"},
 *	 "state_transition_reason", "availability_zone", "vpc_id",
 *	 "subnet_id", "private_ip", "public_ip", "private_dns_name",
 *	 "public_dns_name", "security_group_ids": [...],
 *	 "security_groups": [{"id", "name"}], "key_name", "launch_time",
 *	 "root_device_name", "root_device_type", "root_volume_id",
 *	 "block_device_mappings": [{"device_name", "volume_id", "status",
 *	   "attach_time", "delete_on_termination"}],
 *	 "client_token", "tags": {"k": "v"}, "created_at"}
 * Absent values are JSON null (public_ip without a public address,
 * key_name without a key, private_ip once terminated).
 */
#ifndef CLOUDSIM_INSTANCES_INSTANCES_H
#define CLOUDSIM_INSTANCES_INSTANCES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define INSTANCE_ACTION_MODIFY	"ModifyInstanceAttribute"

/*
 * Filter keys of instance_describe (NULL-terminated), each OR-ed over
 * its values, AND-ed together; tag:K also works.  state takes names
 * (running), state_code EC2's codes (16).
 */
extern const char *const instance_filter_keys[];

/* One page of the instances the caller sees, in the list envelope. */
json_t	*instance_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);
/* The same page as JSON text, the documents as PostgreSQL wrote them. */
const char *instance_describe_text(struct request *,
	    const struct listing_filters *, const struct listing_page *,
	    struct api_error *);

/* One instance; 400 InvalidInstanceID.Malformed, 404 .NotFound. */
json_t	*instance_get(struct request *, const char *id, struct api_error *);

/*
 * The same, as the JSON text PostgreSQL wrote (valid until the request
 * ends), for the REST front, which passes it on unparsed.
 */
const char *instance_document(struct request *, const char *id,
	    struct api_error *);

/*
 * The instances of a reservation of account as
 * {"reservation_id", "owner_id", "items": [instance…]} in launch order.
 * account must not be NULL.  Reads inside the caller's transaction when
 * there is one (a launch shows its instances pending).
 */
json_t	*instance_reservation(struct request *, const char *reservation_id,
	    const char *account, struct api_error *);

struct instance_modify_params {
	const char	*instance_type;		/* required */
};

/*
 * Change the type of a stopped instance (audited as
 * ModifyInstanceAttribute); the instance after the change.  400
 * InvalidInstanceType for an unknown type, 400 InvalidParameterValue
 * when the type cannot run the AMI's architecture, 409
 * IncorrectInstanceState unless the instance is stopped.
 */
json_t	*instance_modify(struct request *, const char *id,
	    const struct instance_modify_params *, struct api_error *);

/* {"id", "user_data": base64 or null} (DescribeInstanceAttribute). */
json_t	*instance_user_data(struct request *, const char *id,
	    struct api_error *);

/* Merge or remove tags; {"id", "tags"} (new reference) or NULL with err. */
json_t	*instance_tags_merge(struct request *, const char *id,
	    const struct tag_set *, struct api_error *);
json_t	*instance_tags_delete(struct request *, const char *id,
	    const char *const *keys, size_t nkeys, struct api_error *);

#endif
