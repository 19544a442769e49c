/*
 * Route tables, protocol-neutral: create in a VPC (with its local
 * route), routes to internet gateways, subnet associations, describe,
 * read one, delete.  Every VPC's main table and every table's local
 * route come from the schema and cannot be removed here; a subnet
 * without an explicit association uses the main table.  Results are
 * new JSON references.
 */
#ifndef CLOUDSIM_VPCS_ROUTE_TABLES_H
#define CLOUDSIM_VPCS_ROUTE_TABLES_H

#include <stdbool.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define RTB_ACTION_CREATE		"CreateRouteTable"
#define RTB_ACTION_DELETE		"DeleteRouteTable"
#define RTB_ACTION_ROUTE_CREATE		"CreateRoute"
#define RTB_ACTION_ROUTE_DELETE		"DeleteRoute"
#define RTB_ACTION_ASSOCIATE		"AssociateRouteTable"
#define RTB_ACTION_DISASSOCIATE		"DisassociateRouteTable"

struct route_table_create_params {
	const char	*vpc_id;	/* required */
	struct tag_set	 tags;
};

struct route_params {
	const char	*destination_cidr_block;	/* required */
	const char	*gateway_id;			/* required, igw-… */
};

extern const char *const route_table_filter_keys[];

json_t	*route_table_create(struct request *,
	    const struct route_table_create_params *, struct api_error *);

json_t	*route_table_describe(struct request *,
	    const struct listing_filters *, const struct listing_page *,
	    struct api_error *);

json_t	*route_table_get(struct request *, const char *id,
	    struct api_error *);

/*
 * Delete a table.  409 DependencyViolation for a main table or one with
 * subnet associations.
 */
bool	 route_table_delete(struct request *, const char *id,
	    struct api_error *);

/*
 * Add a route to an internet gateway attached to the table's VPC;
 * returns the table.  400 when the gateway is not attached there or the
 * destination lies inside the VPC's block, 409 RouteAlreadyExists.
 */
json_t	*route_table_route_add(struct request *, const char *id,
	    const struct route_params *, struct api_error *);

/* Remove the route to destination; 400 for the local route, 404 InvalidRoute.NotFound. */
bool	 route_table_route_delete(struct request *, const char *id,
	    const char *destination, struct api_error *);

/*
 * Associate subnet_id with table id; returns the association {id,
 * route_table_id, subnet_id, main}.  400 across VPCs, 409
 * Resource.AlreadyAssociated when the subnet already has a table.
 */
json_t	*route_table_associate(struct request *, const char *id,
	    const char *subnet_id, struct api_error *);

/* Remove an association; 400 for a main association, 404 when unknown. */
bool	 route_table_disassociate(struct request *, const char *association_id,
	    struct api_error *);

#endif
