/*
 * The REST front of volumes.fcgi (API.md, docs/volumes.md): each
 * handler reads the path, query and JSON body into a service's
 * parameter struct, calls the service and answers with its result.
 * Creating answers 201 with the resource, deleting 200 {"return": true};
 * lists answer the list envelope.
 */
#ifndef CLOUDSIM_VOLUMES_REST_H
#define CLOUDSIM_VOLUMES_REST_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

#define VOLUMES_REST_HANDLER(name) \
	bool name(struct request *, struct response *, struct api_error *)

VOLUMES_REST_HANDLER(volume_rest_create);
VOLUMES_REST_HANDLER(volume_rest_list);
VOLUMES_REST_HANDLER(volume_rest_get);
VOLUMES_REST_HANDLER(volume_rest_modify);
VOLUMES_REST_HANDLER(volume_rest_delete);
VOLUMES_REST_HANDLER(volume_rest_attach);
VOLUMES_REST_HANDLER(volume_rest_detach);
VOLUMES_REST_HANDLER(volume_rest_tags_put);
VOLUMES_REST_HANDLER(volume_rest_tags_delete);

VOLUMES_REST_HANDLER(snapshot_rest_create);
VOLUMES_REST_HANDLER(snapshot_rest_list);
VOLUMES_REST_HANDLER(snapshot_rest_get);
VOLUMES_REST_HANDLER(snapshot_rest_delete);
VOLUMES_REST_HANDLER(snapshot_rest_tags_put);
VOLUMES_REST_HANDLER(snapshot_rest_tags_delete);

/* Once per process: the constraint names (ebs.h). */
bool	volumes_rest_init(void);

#endif
