/*
 * The caller's scope: whose resources a request sees and in which
 * region.  Every service that keeps resources per account and region
 * (vpcs, volumes, instances) scopes its statements by it, so another
 * account's id reads exactly as an unknown one.
 */
#ifndef CLOUDSIM_SCOPE_H
#define CLOUDSIM_SCOPE_H

#include <stdbool.h>

struct request;
struct api_error;

/*
 * account is NULL when an admin reads (every account is visible); a
 * write always carries the caller's own account.  Both strings live as
 * long as the request.
 */
struct scope {
	const char	*account;
	const char	*region;
};

/*
 * The caller's scope for a read or a write: 401 AuthenticationFailure
 * without a principal, 400 InvalidParameterValue for a region cloudsim
 * does not know (regions.h).
 */
bool	scope_read(struct request *, struct scope *out, struct api_error *);
bool	scope_write(struct request *, struct scope *out, struct api_error *);

/*
 * In a transaction: serialise whatever is counted under key (an
 * advisory lock key space) for the scope's account and region until the
 * transaction ends.  The key spaces in use: 4000 + n for vpcs.fcgi's
 * quotas, 6001 for launches, 6100 for the public address pool (SQL);
 * the volume quota has its own, cloudsim.volume_quota_lock().  The lock
 * is deferred (db_defer): it is taken in the round trip of the
 * transaction's next statement, before it.
 */
bool	scope_lock(struct request *, const struct scope *, int key,
	    struct api_error *);

#endif
