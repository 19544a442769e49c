/*
 * JSON over HTTP for the VPC family.  Handlers only translate: a body
 * member of the wrong JSON type, or one the call does not know, is a 400
 * here; every rule about values lives in the services, which the EC2
 * front shares.
 */
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/listing.h"
#include "core/params.h"
#include "core/request.h"
#include "core/rest_reply.h"
#include "core/tags.h"
#include "core/urlencoded.h"
#include "internet_gateways.h"
#include "resources.h"
#include "rest.h"
#include "route_tables.h"
#include "security_groups.h"
#include "subnets.h"
#include "vpcs.h"

/* Longest string member accepted before a service looks at it. */
#define REST_STRING_MAX	4096

bool
vpcs_rest_init(void)
{
	resources_init();
	return true;
}

/* A string member (absent or null: NULL); the service checks values. */
static bool
rest_string(const json_t *body, const char *name, const char **out,
    struct api_error *err)
{
	return param_string(body, name, false, 0, REST_STRING_MAX, out, err);
}

static bool
rest_tags_put(struct request *req, struct response *res,
    const struct resource_kind *kind, struct api_error *err)
{
	struct tag_set	tags;

	return rest_tags_body(req, &tags, err) &&
	    rest_answer(req, res, 200, resource_tags_merge(req, kind,
	    request_param(req, "id"), &tags, err));
}

static bool
rest_tags_delete(struct request *req, struct response *res,
    const struct resource_kind *kind, struct api_error *err)
{
	const char *const	*keys;
	size_t			 n;

	return rest_tag_keys(req, &keys, &n, err) &&
	    rest_answer(req, res, 200, resource_tags_delete(req, kind,
	    request_param(req, "id"), keys, n, err));
}

/* --- VPCs ---------------------------------------------------------- */

bool
vpc_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "cidr_block", "tags", NULL };
	struct vpc_create_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "cidr_block", &in.cidr_block, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, vpc_create(req, &in, err));
}

bool
vpc_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, vpc_filter_keys, vpc_describe, err);
}

bool
vpc_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_answer(req, res, 200,
	    vpc_get(req, request_param(req, "id"), err));
}

bool
vpc_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res,
	    vpc_delete(req, request_param(req, "id"), err));
}

bool
vpc_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, &kind_vpc, err);
}

bool
vpc_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, &kind_vpc, err);
}

/* --- subnets ------------------------------------------------------- */

bool
subnet_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "vpc_id", "cidr_block",
	    "availability_zone", "map_public_ip_on_launch", "tags", NULL };
	struct subnet_create_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "vpc_id", &in.vpc_id, err) ||
	    !rest_string(body, "cidr_block", &in.cidr_block, err) ||
	    !rest_string(body, "availability_zone", &in.availability_zone,
	    err) ||
	    !param_bool(body, "map_public_ip_on_launch", false, false,
	    &in.map_public_ip_on_launch, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, subnet_create(req, &in, err));
}

bool
subnet_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, subnet_filter_keys, subnet_describe, err);
}

bool
subnet_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_answer(req, res, 200,
	    subnet_get(req, request_param(req, "id"), err));
}

bool
subnet_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res,
	    subnet_delete(req, request_param(req, "id"), err));
}

bool
subnet_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, &kind_subnet, err);
}

bool
subnet_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, &kind_subnet, err);
}

/* --- security groups ----------------------------------------------- */

bool
sg_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "vpc_id", "name",
	    "description", "tags", NULL };
	struct security_group_create_params	 in;
	json_t					*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "vpc_id", &in.vpc_id, err) ||
	    !rest_string(body, "name", &in.name, err) ||
	    !rest_string(body, "description", &in.description, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, security_group_create(req, &in,
	    err));
}

bool
sg_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, security_group_filter_keys,
	    security_group_describe, err);
}

bool
sg_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_answer(req, res, 200,
	    security_group_get(req, request_param(req, "id"), err));
}

bool
sg_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res,
	    security_group_delete(req, request_param(req, "id"), err));
}

bool
sg_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, &kind_security_group, err);
}

bool
sg_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, &kind_security_group, err);
}

/* A port member: an integer, or absent (has is then false). */
static bool
rest_port(const json_t *body, const char *name, bool *has, long long *out,
    struct api_error *err)
{
	const json_t	*v = json_object_get(body, name);

	*has = v != NULL && !json_is_null(v);
	/* Wide bounds: the service says which range the protocol takes. */
	return param_int(body, name, false, -1000000, 1000000, 0, out, err);
}

bool
sg_rest_rule_add(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "direction", "protocol",
	    "from_port", "to_port", "cidr", "source_group_id", "description",
	    NULL };
	struct security_group_rule_params	 in;
	json_t					*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "direction", &in.direction, err) ||
	    !rest_string(body, "protocol", &in.protocol, err) ||
	    !rest_port(body, "from_port", &in.has_from_port, &in.from_port,
	    err) ||
	    !rest_port(body, "to_port", &in.has_to_port, &in.to_port, err) ||
	    !rest_string(body, "cidr", &in.cidr, err) ||
	    !rest_string(body, "source_group_id", &in.source_group_id, err) ||
	    !rest_string(body, "description", &in.description, err))
		return false;
	return rest_answer(req, res, 201, security_group_rule_add(req,
	    request_param(req, "id"), &in, err));
}

bool
sg_rest_rule_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res, security_group_rule_delete(req,
	    request_param(req, "id"), request_param(req, "rule_id"), err));
}

/* --- internet gateways --------------------------------------------- */

bool
igw_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "tags", NULL };
	struct internet_gateway_create_params	 in;
	json_t					*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, internet_gateway_create(req, &in,
	    err));
}

bool
igw_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, internet_gateway_filter_keys,
	    internet_gateway_describe, err);
}

bool
igw_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_answer(req, res, 200,
	    internet_gateway_get(req, request_param(req, "id"), err));
}

bool
igw_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res,
	    internet_gateway_delete(req, request_param(req, "id"), err));
}

bool
igw_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, &kind_internet_gateway, err);
}

bool
igw_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, &kind_internet_gateway, err);
}

static const char *const vpc_id_only[] = { "vpc_id", NULL };

bool
igw_rest_attach(struct request *req, struct response *res,
    struct api_error *err)
{
	const char	*vpc_id;
	json_t		*body;

	if (!request_json_only(req, vpc_id_only, &body, err) ||
	    !rest_string(body, "vpc_id", &vpc_id, err))
		return false;
	return rest_answer(req, res, 200, internet_gateway_attach(req,
	    request_param(req, "id"), vpc_id, err));
}

bool
igw_rest_detach(struct request *req, struct response *res,
    struct api_error *err)
{
	const char	*vpc_id;
	json_t		*body;

	if (!request_json_only(req, vpc_id_only, &body, err) ||
	    !rest_string(body, "vpc_id", &vpc_id, err))
		return false;
	return rest_answer(req, res, 200, internet_gateway_detach(req,
	    request_param(req, "id"), vpc_id, err));
}

/* --- route tables -------------------------------------------------- */

bool
rtb_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "vpc_id", "tags", NULL };
	struct route_table_create_params	 in;
	json_t					*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "vpc_id", &in.vpc_id, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, route_table_create(req, &in, err));
}

bool
rtb_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, route_table_filter_keys,
	    route_table_describe, err);
}

bool
rtb_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_answer(req, res, 200,
	    route_table_get(req, request_param(req, "id"), err));
}

bool
rtb_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res,
	    route_table_delete(req, request_param(req, "id"), err));
}

bool
rtb_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, &kind_route_table, err);
}

bool
rtb_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, &kind_route_table, err);
}

bool
rtb_rest_route_add(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "destination_cidr_block",
	    "gateway_id", NULL };
	struct route_params	 in;
	json_t			*body;

	memset(&in, 0, sizeof(in));
	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "destination_cidr_block",
	    &in.destination_cidr_block, err) ||
	    !rest_string(body, "gateway_id", &in.gateway_id, err))
		return false;
	return rest_answer(req, res, 201, route_table_route_add(req,
	    request_param(req, "id"), &in, err));
}

bool
rtb_rest_route_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "destination_cidr_block",
	    NULL };

	if (!rest_query(req, allowed, err))
		return false;
	if (kvlist_count(&req->query, "destination_cidr_block") > 1)
		return api_error_invalid(err, "'destination_cidr_block' is "
		    "given more than once");
	return rest_deleted(req, res, route_table_route_delete(req,
	    request_param(req, "id"),
	    kvlist_get(&req->query, "destination_cidr_block"), err));
}

bool
rtb_rest_associate(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "subnet_id", NULL };
	const char	*subnet_id;
	json_t		*body;

	if (!request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "subnet_id", &subnet_id, err))
		return false;
	return rest_answer(req, res, 201, route_table_associate(req,
	    request_param(req, "id"), subnet_id, err));
}

bool
rtb_rest_disassociate(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_deleted(req, res, route_table_disassociate(req,
	    request_param(req, "assoc_id"), err));
}
