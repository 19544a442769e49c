/*
 * JSON over HTTP for instances and key pairs.  Handlers only translate:
 * a body member of the wrong JSON type, or one the call does not know,
 * is a 400 here; every rule about values lives in the services, which
 * the EC2 front shares.
 */
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/params.h"
#include "core/request.h"
#include "core/rest_reply.h"
#include "core/tags.h"
#include "instances.h"
#include "key_pairs.h"
#include "launch.h"
#include "lifecycle.h"
#include "rest.h"

/* Longest string member accepted before a service looks at it. */
#define REST_STRING_MAX		(64 * 1024)

/* A string member (absent or null: NULL); the service checks values. */
static bool
rest_string(const json_t *body, const char *name, const char **out,
    struct api_error *err)
{
	return param_string(body, name, false, 0, REST_STRING_MAX, out, err);
}

/* An array of strings (absent or null: none), in the arena. */
static bool
rest_strings(struct request *req, const json_t *body, const char *name,
    const char *const **out, size_t *n, struct api_error *err)
{
	json_t		*v = json_object_get(body, name), *e;
	const char	**list;
	size_t		  i;

	*out = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_array(v))
		return api_error_invalid(err, "'%s' must be an array of strings",
		    name);
	list = arena_calloc(req->arena, json_array_size(v) + 1, sizeof(*list));
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return api_error_invalid(err, "'%s' must be an array of "
			    "strings", name);
		list[i] = json_string_value(e);
	}
	*out = list;
	*n = json_array_size(v);
	return true;
}

/* [{device_name, volume_size?, volume_type?, iops?, delete_on_termination?}] */
static bool
rest_block_devices(struct request *req, const json_t *body,
    struct instance_run_params *in, struct api_error *err)
{
	static const char *const allowed[] = { "device_name", "volume_size",
	    "volume_type", "iops", "delete_on_termination", NULL };
	json_t				*v, *e, *m;
	struct instance_block_device	*list;
	const char			*key;
	const char *const		*a;
	size_t				 i;
	bool				 dot;

	v = json_object_get(body, "block_device_mappings");
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_array(v))
		return api_error_invalid(err, "'block_device_mappings' must be "
		    "an array of objects");
	list = arena_calloc(req->arena, json_array_size(v) + 1, sizeof(*list));
	json_array_foreach(v, i, e) {
		if (!json_is_object(e))
			return api_error_invalid(err, "'block_device_mappings' "
			    "must be an array of objects");
		json_object_foreach(e, key, m) {
			for (a = allowed; *a != NULL && strcmp(*a, key) != 0;
			    a++)
				;
			if (*a == NULL)
				return api_error_set(err, 400,
				    "UnknownParameter", "'%.64s' is not a member "
				    "of a block device mapping", key);
		}
		if (!param_string(e, "device_name", true, 1, 64,
		    &list[i].device_name, err) ||
		    !param_int(e, "volume_size", false, 1, 65536, 0,
		    &list[i].volume_size, err) ||
		    !param_string(e, "volume_type", false, 1, 32,
		    &list[i].volume_type, err) ||
		    !param_int(e, "iops", false, 1, 1000000, 0, &list[i].iops,
		    err) ||
		    !param_bool(e, "delete_on_termination", false, true, &dot,
		    err))
			return false;
		list[i].delete_on_termination = dot;
	}
	in->block_devices = list;
	in->nblock_devices = json_array_size(v);
	return true;
}

/* --- instances ------------------------------------------------------- */

bool
instance_rest_run(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "image_id", "instance_type",
	    "min_count", "max_count", "subnet_id", "availability_zone",
	    "security_group_ids", "key_name", "user_data", "tags",
	    "client_token", "block_device_mappings", NULL };
	struct instance_run_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "image_id", &in.image_id, err) ||
	    !rest_string(body, "instance_type", &in.instance_type, err) ||
	    !param_int(body, "min_count", false, 1, 1000000, 0,
	    &in.min_count, err) ||
	    !param_int(body, "max_count", false, 1, 1000000, 0,
	    &in.max_count, err) ||
	    !rest_string(body, "subnet_id", &in.subnet_id, err) ||
	    !rest_string(body, "availability_zone", &in.availability_zone,
	    err) ||
	    !rest_strings(req, body, "security_group_ids",
	    &in.security_group_ids, &in.nsecurity_groups, err) ||
	    !rest_string(body, "key_name", &in.key_name, err) ||
	    !rest_string(body, "user_data", &in.user_data, err) ||
	    !rest_string(body, "client_token", &in.client_token, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err) ||
	    !rest_block_devices(req, body, &in, err))
		return false;
	return rest_answer(req, res, 201, instance_run(req, &in, err));
}

bool
instance_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list_text(req, res, instance_filter_keys,
	    instance_describe_text, err);
}

bool
instance_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) &&
	    rest_answer_text(req, res, 200, instance_document(req,
	    request_param(req, "id"), err));
}

bool
instance_rest_modify(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "instance_type", NULL };
	struct instance_modify_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "instance_type", &in.instance_type, err))
		return false;
	return rest_answer(req, res, 200, instance_modify(req,
	    request_param(req, "id"), &in, err));
}

/* One instance's state change; only stop takes a member (force). */
static bool
rest_change(struct request *req, struct response *res,
    enum instance_action action, struct api_error *err)
{
	static const char *const none[] = { NULL };
	static const char *const stop[] = { "force", NULL };
	const char	*id = request_param(req, "id");
	json_t		*body;
	bool		 force = false;

	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, action == INSTANCE_STOP ? stop : none, &body,
	    err) ||
	    !param_bool(body, "force", false, false, &force, err))
		return false;
	return rest_answer(req, res, 200, instance_change_state(req, action,
	    &id, 1, force, err));
}

bool
instance_rest_start(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_change(req, res, INSTANCE_START, err);
}

bool
instance_rest_stop(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_change(req, res, INSTANCE_STOP, err);
}

bool
instance_rest_reboot(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_change(req, res, INSTANCE_REBOOT, err);
}

bool
instance_rest_terminate(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_change(req, res, INSTANCE_TERMINATE, err);
}

bool
instance_rest_user_data(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) &&
	    rest_answer(req, res, 200, instance_user_data(req,
	    request_param(req, "id"), err));
}

bool
instance_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	struct tag_set	tags;

	return rest_tags_body(req, &tags, err) &&
	    rest_answer(req, res, 200, instance_tags_merge(req,
	    request_param(req, "id"), &tags, err));
}

bool
instance_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	const char *const	*keys;
	size_t			 n;

	return rest_tag_keys(req, &keys, &n, err) &&
	    rest_answer(req, res, 200, instance_tags_delete(req,
	    request_param(req, "id"), keys, n, err));
}

/* --- key pairs ------------------------------------------------------- */

bool
key_pair_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "name", "key_type", "tags",
	    NULL };
	struct key_pair_create_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "name", &in.name, err) ||
	    !rest_string(body, "key_type", &in.key_type, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, key_pair_create(req, &in, err));
}

bool
key_pair_rest_import(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "name", "public_key", "tags",
	    NULL };
	struct key_pair_import_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "name", &in.name, err) ||
	    !rest_string(body, "public_key", &in.public_key, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, key_pair_import(req, &in, err));
}

bool
key_pair_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, key_pair_filter_keys, key_pair_describe,
	    err);
}

bool
key_pair_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) &&
	    rest_answer(req, res, 200, key_pair_get(req,
	    request_param(req, "id"), err));
}

bool
key_pair_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	if (!rest_query(req, rest_no_query, err) ||
	    !key_pair_delete(req, request_param(req, "id"), err))
		return false;
	response_json(req, res, 200, json_pack("{s:b}", "return", 1));
	return true;
}

bool
key_pair_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	struct tag_set	tags;

	return rest_tags_body(req, &tags, err) &&
	    rest_answer(req, res, 200, key_pair_tags_merge(req,
	    request_param(req, "id"), &tags, err));
}

bool
key_pair_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	const char *const	*keys;
	size_t			 n;

	return rest_tag_keys(req, &keys, &n, err) &&
	    rest_answer(req, res, 200, key_pair_tags_delete(req,
	    request_param(req, "id"), keys, n, err));
}
