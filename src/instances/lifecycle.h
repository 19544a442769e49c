/*
 * Instance state changes, protocol-neutral: start, stop (force),
 * reboot, terminate, as EC2 makes them (cloudsim.instance_transitions
 * holds the table).  Repeating an action on an instance already in, or
 * moving to, its target is a no-op answered with the current state; an
 * impossible one is 409 IncorrectInstanceState naming the current
 * state.  A change stores a transient state (pending, stopping,
 * shutting-down) that settles after its configured delay
 * (instance_pending_delay, instance_stopping_delay,
 * instance_shutting_down_delay; force skips the stopping delay); a
 * terminated instance stays listed for instance_terminated_retention.
 */
#ifndef CLOUDSIM_INSTANCES_LIFECYCLE_H
#define CLOUDSIM_INSTANCES_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct request;
struct api_error;

#define INSTANCE_ACTION_START		"StartInstances"
#define INSTANCE_ACTION_STOP		"StopInstances"
#define INSTANCE_ACTION_REBOOT		"RebootInstances"
#define INSTANCE_ACTION_TERMINATE	"TerminateInstances"
#define INSTANCE_IDS_MAX		1000

enum instance_action {
	INSTANCE_START,
	INSTANCE_STOP,
	INSTANCE_REBOOT,
	INSTANCE_TERMINATE
};

/*
 * Apply action to the caller's instances ids (1..INSTANCE_IDS_MAX; a
 * repeated id counts once), all or nothing, audited under the action's
 * EC2 name.  force matters to INSTANCE_STOP only.  Returns
 *	{"items": [{"id", "previous_state": {"code", "name"},
 *	            "current_state": {"code", "name"}}]}
 * in the order given (new reference): current_state is what the action
 * stored (stopping, shutting-down …) or, for a no-op, the state now.
 * 400 InvalidInstanceID.Malformed, 404 InvalidInstanceID.NotFound
 * listing every unknown id, 409 IncorrectInstanceState.
 */
json_t	*instance_change_state(struct request *, enum instance_action,
	    const char *const *ids, size_t n, bool force, struct api_error *);

#endif
