/*
 * The audit trail: one cloudsim.audit_log row per mutating request.  A
 * handler that changes state calls audit_write inside its transaction,
 * so the row commits or rolls back with the change; a request that
 * fails is recorded afterwards by audit_failure, on its own, so a
 * failure leaves a row and no change.  Never pass secrets.
 */
#ifndef CLOUDSIM_AUDIT_H
#define CLOUDSIM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

struct request;
struct api_error;

/* Record a successful action on ids (may be NULL when nids is 0). */
bool	audit_write(struct request *, const char *action,
	    const char *const *ids, size_t nids, int status,
	    struct api_error *);

/* Record a failed action; errors writing the row are only logged. */
void	audit_failure(struct request *, const char *action,
	    const char *const *ids, size_t nids, const struct api_error *);

#endif
