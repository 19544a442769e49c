/*
 * Ids and constraint names for instances and key pairs.
 */
#include <string.h>

#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "tenancy.h"

/*
 * How the schema's constraints read to a client when a race is lost in
 * the database; the services check the common cases first and word
 * them with the values involved.
 */
static const struct db_constraint constraints[] = {
	{ "key_pairs_name_key", 409, "InvalidKeyPair.Duplicate",
	  "a key pair with this name already exists" },
	{ "reservations_client_token_key", 400, "IdempotentParameterMismatch",
	  "the client token is already used by another request" },
	{ "instance_security_groups_group_fkey", 400, "InvalidParameter",
	  "a security group and the subnet belong to different networks" },
	{ "instances_public_ip_key", 503, "InsufficientAddressCapacity",
	  "no public IPv4 address could be taken; try again" },
	{ "instances_user_data_check", 400, "InvalidParameterValue",
	  "user data must be base64 of at most 16384 bytes" },
	{ "tags_count_check", 400, "TagLimitExceeded",
	  "a resource may have at most 50 tags" },
	{ "tags_valid_check", 400, "InvalidParameterValue",
	  "tags must be string keys of 1 to 128 characters (not aws:) "
	  "with values of up to 256" },
	{ NULL, 0, NULL, NULL }
};

bool
tenancy_init(void)
{
	db_register_constraints(constraints);
	return true;
}

bool
instance_id_check(const char *id, struct api_error *err)
{
	if (id_valid(id, "i-", 17))
		return true;
	return api_error_set(err, 400, "InvalidInstanceID.Malformed",
	    "invalid instance id '%.64s': expected 'i-' and 17 lower-case "
	    "hex digits", id ? id : "");
}

bool
instance_not_found(const char *ids, struct api_error *err)
{
	return api_error_set(err, 404, "InvalidInstanceID.NotFound",
	    strchr(ids, ',') ? "the instance ids %.400s do not exist" :
	    "the instance id %.400s does not exist", ids);
}

bool
key_pair_not_found(const char *name, struct api_error *err)
{
	return api_error_set(err, 404, "InvalidKeyPair.NotFound",
	    "the key pair '%.255s' does not exist", name);
}
