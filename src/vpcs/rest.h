/*
 * The REST front of vpcs.fcgi (API.md, docs/vpcs.md): each handler
 * reads the path, query and JSON body into a service's parameter
 * struct, calls the service and answers with its result.  Creating
 * answers 201 with the resource, deleting 200 {"return": true}; lists
 * answer the list envelope.
 */
#ifndef CLOUDSIM_VPCS_REST_H
#define CLOUDSIM_VPCS_REST_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

#define REST_HANDLER(name) \
	bool name(struct request *, struct response *, struct api_error *)

REST_HANDLER(vpc_rest_create);
REST_HANDLER(vpc_rest_list);
REST_HANDLER(vpc_rest_get);
REST_HANDLER(vpc_rest_delete);
REST_HANDLER(vpc_rest_tags_put);
REST_HANDLER(vpc_rest_tags_delete);

REST_HANDLER(subnet_rest_create);
REST_HANDLER(subnet_rest_list);
REST_HANDLER(subnet_rest_get);
REST_HANDLER(subnet_rest_delete);
REST_HANDLER(subnet_rest_tags_put);
REST_HANDLER(subnet_rest_tags_delete);

REST_HANDLER(sg_rest_create);
REST_HANDLER(sg_rest_list);
REST_HANDLER(sg_rest_get);
REST_HANDLER(sg_rest_delete);
REST_HANDLER(sg_rest_tags_put);
REST_HANDLER(sg_rest_tags_delete);
REST_HANDLER(sg_rest_rule_add);
REST_HANDLER(sg_rest_rule_delete);

REST_HANDLER(igw_rest_create);
REST_HANDLER(igw_rest_list);
REST_HANDLER(igw_rest_get);
REST_HANDLER(igw_rest_delete);
REST_HANDLER(igw_rest_tags_put);
REST_HANDLER(igw_rest_tags_delete);
REST_HANDLER(igw_rest_attach);
REST_HANDLER(igw_rest_detach);

REST_HANDLER(rtb_rest_create);
REST_HANDLER(rtb_rest_list);
REST_HANDLER(rtb_rest_get);
REST_HANDLER(rtb_rest_delete);
REST_HANDLER(rtb_rest_tags_put);
REST_HANDLER(rtb_rest_tags_delete);
REST_HANDLER(rtb_rest_route_add);
REST_HANDLER(rtb_rest_route_delete);
REST_HANDLER(rtb_rest_associate);
REST_HANDLER(rtb_rest_disassociate);

/* Once per process: the constraint names (resources.h). */
bool	vpcs_rest_init(void);

#endif
