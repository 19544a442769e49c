/*
 * The dashboard call, protocol-neutral: per region, instances by state
 * and by type, volumes by state with their GiB, VPCs and subnets — for
 * the caller's account, or for every account when an administrator
 * asks.  Counted from the admin views (what the API shows, effective
 * states after delays) by one SQL statement that builds the JSON.
 */
#ifndef CLOUDSIM_EC2_SUMMARY_H
#define CLOUDSIM_EC2_SUMMARY_H

#include <stdbool.h>

#include <jansson.h>

struct request;
struct response;
struct api_error;

struct summary_params {
	/*
	 * NULL: the caller's own account, or every account for an admin.
	 * An account id: that account, for an admin (any id; an unknown
	 * one has nothing); a user may name only their own (else 403
	 * UnauthorizedOperation).  Must be 12 digits (else 400).
	 */
	const char	*account_id;
};

/*
 * The summary, a new reference (caller decrefs):
 *	{"scope": "account"|"all", "account_id": "…"|null,
 *	 "generated_at": "…Z",
 *	 "regions": [{"region": "us-east-1",
 *	   "instances": {"total": n, "by_state": {"running": n, …},
 *	                 "by_type": {"t3.micro": n, …}},
 *	   "volumes": {"total": n, "by_state": {"available": n, …},
 *	               "total_gib": n},
 *	   "vpcs": n, "subnets": n}, …]}
 * Regions are those where the scope has anything, by name; empty maps
 * are {}.  NULL with err (400, 401, 403, 503).
 */
json_t	*summary_get(struct request *, const struct summary_params *,
	    struct api_error *);

/* GET /api/v1/summary[?account_id=…] */
bool	 summary_rest(struct request *, struct response *, struct api_error *);

#endif
