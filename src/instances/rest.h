/*
 * The REST front of instances.fcgi (API.md, docs/instances.md): each
 * handler reads the path, query and JSON body into a service's
 * parameter struct, calls the service (launch.h, instances.h,
 * lifecycle.h, key_pairs.h) and answers with its result.  Launching and
 * creating answer 201, state changes 200 {"items": [...]}, deleting a
 * key pair 200 {"return": true}; lists answer the list envelope.
 */
#ifndef CLOUDSIM_INSTANCES_REST_H
#define CLOUDSIM_INSTANCES_REST_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

#define INSTANCES_REST_HANDLER(name) \
	bool name(struct request *, struct response *, struct api_error *)

INSTANCES_REST_HANDLER(instance_rest_run);
INSTANCES_REST_HANDLER(instance_rest_list);
INSTANCES_REST_HANDLER(instance_rest_get);
INSTANCES_REST_HANDLER(instance_rest_modify);
INSTANCES_REST_HANDLER(instance_rest_start);
INSTANCES_REST_HANDLER(instance_rest_stop);
INSTANCES_REST_HANDLER(instance_rest_reboot);
INSTANCES_REST_HANDLER(instance_rest_terminate);
INSTANCES_REST_HANDLER(instance_rest_user_data);
INSTANCES_REST_HANDLER(instance_rest_tags_put);
INSTANCES_REST_HANDLER(instance_rest_tags_delete);

INSTANCES_REST_HANDLER(key_pair_rest_create);
INSTANCES_REST_HANDLER(key_pair_rest_import);
INSTANCES_REST_HANDLER(key_pair_rest_list);
INSTANCES_REST_HANDLER(key_pair_rest_get);
INSTANCES_REST_HANDLER(key_pair_rest_delete);
INSTANCES_REST_HANDLER(key_pair_rest_tags_put);
INSTANCES_REST_HANDLER(key_pair_rest_tags_delete);

#endif
