/*
 * JSON over HTTP for volumes and snapshots.  Handlers only translate: a
 * body member of the wrong JSON type, or one the call does not know, is
 * a 400 here; every rule about values lives in the services, which the
 * EC2 front shares.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/listing.h"
#include "core/params.h"
#include "core/request.h"
#include "core/rest_reply.h"
#include "core/tags.h"
#include "attachments.h"
#include "ebs.h"
#include "rest.h"
#include "snapshots.h"
#include "volumes.h"

/* Longest string member accepted before a service looks at it. */
#define REST_STRING_MAX	4096

bool
volumes_rest_init(void)
{
	ebs_init();
	return true;
}

/* A string member (absent or null: NULL); the service checks values. */
static bool
rest_string(const json_t *body, const char *name, const char **out,
    struct api_error *err)
{
	return param_string(body, name, false, 0, REST_STRING_MAX, out, err);
}

/* A non-negative integer member, or absent; the service checks ranges. */
static bool
rest_int(const json_t *body, const char *name, struct volume_int *out,
    struct api_error *err)
{
	const json_t	*v = json_object_get(body, name);

	out->set = v != NULL && !json_is_null(v);
	return param_int(body, name, false, 0, INT32_MAX, 0, &out->value, err);
}

static bool
rest_tags_put(struct request *req, struct response *res,
    json_t *(*merge)(struct request *, const char *, const struct tag_set *,
    struct api_error *), struct api_error *err)
{
	struct tag_set	tags;

	return rest_tags_body(req, &tags, err) &&
	    rest_answer(req, res, 200, merge(req, request_param(req, "id"),
	    &tags, err));
}

static bool
rest_tags_delete(struct request *req, struct response *res,
    json_t *(*remove)(struct request *, const char *, const char *const *,
    size_t, struct api_error *), struct api_error *err)
{
	const char *const	*keys;
	size_t			 n;

	return rest_tag_keys(req, &keys, &n, err) &&
	    rest_answer(req, res, 200, remove(req, request_param(req, "id"),
	    keys, n, err));
}

/* --- volumes ------------------------------------------------------- */

bool
volume_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "availability_zone", "size",
	    "volume_type", "iops", "throughput", "snapshot_id", "encrypted",
	    "kms_key_id", "tags", "client_token", NULL };
	struct volume_create_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "availability_zone", &in.availability_zone,
	    err) ||
	    !rest_int(body, "size", &in.size, err) ||
	    !rest_string(body, "volume_type", &in.volume_type, err) ||
	    !rest_int(body, "iops", &in.iops, err) ||
	    !rest_int(body, "throughput", &in.throughput, err) ||
	    !rest_string(body, "snapshot_id", &in.snapshot_id, err) ||
	    !param_bool(body, "encrypted", false, false, &in.encrypted, err) ||
	    !rest_string(body, "kms_key_id", &in.kms_key_id, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err) ||
	    !rest_string(body, "client_token", &in.client_token, err))
		return false;
	return rest_answer(req, res, 201, volume_create(req, &in, err));
}

bool
volume_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, volume_filter_keys, volume_describe, err);
}

bool
volume_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) && rest_answer(req, res, 200,
	    volume_get(req, request_param(req, "id"), err));
}

bool
volume_rest_modify(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "size", "volume_type", "iops",
	    "throughput", NULL };
	struct volume_modify_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_int(body, "size", &in.size, err) ||
	    !rest_string(body, "volume_type", &in.volume_type, err) ||
	    !rest_int(body, "iops", &in.iops, err) ||
	    !rest_int(body, "throughput", &in.throughput, err))
		return false;
	return rest_answer(req, res, 200, volume_modify(req,
	    request_param(req, "id"), &in, err));
}

bool
volume_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) && rest_deleted(req, res,
	    volume_delete(req, request_param(req, "id"), err));
}

bool
volume_rest_attach(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "instance_id", "device", NULL };
	struct volume_attach_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "instance_id", &in.instance_id, err) ||
	    !rest_string(body, "device", &in.device, err))
		return false;
	return rest_answer(req, res, 200, volume_attach(req,
	    request_param(req, "id"), &in, err));
}

bool
volume_rest_detach(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "instance_id", "device",
	    "force", NULL };
	struct volume_detach_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "instance_id", &in.instance_id, err) ||
	    !rest_string(body, "device", &in.device, err) ||
	    !param_bool(body, "force", false, false, &in.force, err))
		return false;
	return rest_answer(req, res, 200, volume_detach(req,
	    request_param(req, "id"), &in, err));
}

bool
volume_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, volume_tags_merge, err);
}

bool
volume_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, volume_tags_delete, err);
}

/* --- snapshots ----------------------------------------------------- */

bool
snapshot_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "description", "tags", NULL };
	struct snapshot_create_params	 in;
	json_t				*body;

	memset(&in, 0, sizeof(in));
	if (!rest_query(req, rest_no_query, err) ||
	    !request_json_only(req, allowed, &body, err) ||
	    !rest_string(body, "description", &in.description, err) ||
	    !tags_from_json(req, json_object_get(body, "tags"), "tags",
	    &in.tags, err))
		return false;
	return rest_answer(req, res, 201, snapshot_create(req,
	    request_param(req, "id"), &in, err));
}

bool
snapshot_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_list(req, res, snapshot_filter_keys, snapshot_describe,
	    err);
}

bool
snapshot_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) && rest_answer(req, res, 200,
	    snapshot_get(req, request_param(req, "id"), err));
}

bool
snapshot_rest_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_query(req, rest_no_query, err) && rest_deleted(req, res,
	    snapshot_delete(req, request_param(req, "id"), err));
}

bool
snapshot_rest_tags_put(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_put(req, res, snapshot_tags_merge, err);
}

bool
snapshot_rest_tags_delete(struct request *req, struct response *res,
    struct api_error *err)
{
	return rest_tags_delete(req, res, snapshot_tags_delete, err);
}
