/*
 * Who sees what in instances.fcgi: the id formats of instances and key
 * pairs with their Malformed and NotFound errors, and the table that
 * turns the constraint names of sql/006_instances.sql into AWS's codes.
 * Every statement of the instance and key pair services is scoped by
 * the caller's scope (core/scope.h), so another account's id reads
 * exactly as an unknown one.
 */
#ifndef CLOUDSIM_INSTANCES_TENANCY_H
#define CLOUDSIM_INSTANCES_TENANCY_H

#include <stdbool.h>

struct api_error;

/* The audited action names of tag changes, as EC2 names them. */

/* 400 InvalidInstanceID.Malformed unless id is "i-" + 17 hex digits. */
bool	instance_id_check(const char *id, struct api_error *);
/* Fill 404 InvalidInstanceID.NotFound for id (a list when several). */
bool	instance_not_found(const char *ids, struct api_error *);

/* Fill 404 InvalidKeyPair.NotFound for a name or id. */
bool	key_pair_not_found(const char *name, struct api_error *);

/* Once per process: register the constraint names with db.h. */
bool	tenancy_init(void);

#endif
