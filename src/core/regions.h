/*
 * The region check every call of the account-and-region services makes
 * (the scope, the EC2 front).  The regions are seeded data, fixed while
 * a process runs; the catalog (src/instances/catalog.h) describes them.
 */
#ifndef CLOUDSIM_REGIONS_H
#define CLOUDSIM_REGIONS_H

#include <stdbool.h>

struct request;
struct api_error;

/*
 * True when region names a row of cloudsim.regions; otherwise false
 * with 400 InvalidParameterValue (or the database's error).  The names
 * are read once per process.
 */
bool	region_exists(struct request *, const char *region,
	    struct api_error *);

#endif
