/*
 * The seeded catalog, protocol-neutral: regions, availability zones,
 * AMIs and instance types, filtered as EC2 filters them.  Every filter
 * is a list of values OR-ed together, with EC2's wildcards (* and ?);
 * an empty list does not filter.  Regions carry their zones.  Results are JSON arrays (new
 * references, caller decrefs) in a stable order; the REST front and the
 * EC2 front render them.
 */
#ifndef CLOUDSIM_INSTANCES_CATALOG_H
#define CLOUDSIM_INSTANCES_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct request;
struct response;
struct api_error;

struct str_list {
	const char	**v;
	size_t		  n;
};

struct region_query {
	struct str_list	names;		/* exact; an unknown one is 400 */
	struct str_list	name_patterns, endpoints, opt_in_statuses; /* filters */
};

struct zone_query {
	const char	*region;
	struct str_list	names, ids;	/* exact; unknown ones are 400 */
	struct str_list	name_patterns, id_patterns, region_patterns,
			states, zone_types;		/* filters */
};

struct image_query {
	struct str_list	ids;		/* exact; unknown ones are 404 */
	struct str_list	owners;		/* owner id or alias (amazon, self) */
	struct str_list	names, architectures, platforms, states,
			root_device_types, virtualization_types,
			owner_aliases, descriptions;	/* filters */
};

struct type_query {
	struct str_list	names;		/* exact; unknown ones are 400 */
	struct str_list	architectures, burstable, free_tier,
			current_generation, vcpus, memory_mib,
			hypervisors;			/* filters */
};

json_t	*catalog_regions(struct request *, const struct region_query *,
	    struct api_error *);
json_t	*catalog_zones(struct request *, const struct zone_query *,
	    struct api_error *);
json_t	*catalog_images(struct request *, const struct image_query *,
	    struct api_error *);
json_t	*catalog_instance_types(struct request *, const struct type_query *,
	    struct api_error *);

/* GET /api/v1/regions, /api/v1/images, /api/v1/instance-types */
bool	 catalog_rest_regions(struct request *, struct response *,
	    struct api_error *);
bool	 catalog_rest_images(struct request *, struct response *,
	    struct api_error *);
bool	 catalog_rest_instance_types(struct request *, struct response *,
	    struct api_error *);

#endif
