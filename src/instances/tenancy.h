/*
 * Who sees what in instances.fcgi: the caller's account and region for
 * a read or a write, the id formats of instances and key pairs with
 * their Malformed and NotFound errors, and the table that turns the
 * constraint names of sql/006_instances.sql into AWS's codes.  Every
 * statement of the instance and key pair services is scoped by the
 * tenancy, so another account's id reads exactly as an unknown one.
 */
#ifndef CLOUDSIM_INSTANCES_TENANCY_H
#define CLOUDSIM_INSTANCES_TENANCY_H

#include <stdbool.h>

struct request;
struct api_error;

/* The audited action names of tag changes, as EC2 names them. */
#define ACTION_CREATE_TAGS	"CreateTags"
#define ACTION_DELETE_TAGS	"DeleteTags"

/*
 * account is NULL when an admin reads (every account is visible); a
 * write always carries the caller's own account.  Both strings live as
 * long as the request.
 */
struct tenancy {
	const char	*account;
	const char	*region;
};

/*
 * The caller's tenancy, its region checked against the catalog (400
 * InvalidParameterValue for an unknown one, 401 without a principal).
 */
bool	tenancy_read(struct request *, struct tenancy *out, struct api_error *);
bool	tenancy_write(struct request *, struct tenancy *out, struct api_error *);

/*
 * In a transaction: serialise launches of one account and region (the
 * instance quota is counted under it) until the transaction ends.
 */
bool	tenancy_launch_lock(struct request *, const struct tenancy *,
	    struct api_error *);

/* 400 InvalidInstanceID.Malformed unless id is "i-" + 17 hex digits. */
bool	instance_id_check(const char *id, struct api_error *);
/* Fill 404 InvalidInstanceID.NotFound for id (a list when several). */
bool	instance_not_found(const char *ids, struct api_error *);

/* Fill 404 InvalidKeyPair.NotFound for a name or id. */
bool	key_pair_not_found(const char *name, struct api_error *);

/* Once per process: register the constraint names with db.h. */
bool	tenancy_init(void);

#endif
