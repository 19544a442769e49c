/*
 * Attaching volumes to instances and detaching them, protocol-neutral,
 * with EC2's rules: same zone, an instance that is not shutting down or
 * terminated, an available volume, a data device name free on the
 * instance; the root volume of an instance that is not stopped stays.
 * One attachment per volume and one volume per device are the schema's
 * keys, so of two attaches racing for a volume exactly one wins and the
 * other gets 409 VolumeInUse.  Both calls return the attachment
 * {volume_id, instance_id, device, state, attach_time,
 * delete_on_termination} (new reference) with state "attaching" or
 * "detaching", as EC2 answers; a read after volume_attach_delay shows
 * it attached, or gone.
 */
#ifndef CLOUDSIM_VOLUMES_ATTACHMENTS_H
#define CLOUDSIM_VOLUMES_ATTACHMENTS_H

#include <stdbool.h>

#include <jansson.h>

struct request;
struct api_error;

#define VOLUME_ACTION_ATTACH	"AttachVolume"
#define VOLUME_ACTION_DETACH	"DetachVolume"

struct volume_attach_params {
	const char	*instance_id;	/* required */
	const char	*device;	/* required: /dev/sd[f-p] or /dev/xvd[f-p] */
};

struct volume_detach_params {
	const char	*instance_id;	/* may be NULL; else must match */
	const char	*device;	/* may be NULL; else must match */
	bool		 force;		/* gone at once, also when detaching */
};

/*
 * Attach volume_id to an instance of the caller.  400 MissingParameter,
 * 400 Invalid{Volume,Instance}ID.Malformed, 400 InvalidParameterValue
 * for a device name that is malformed, reserved for root volumes
 * (/dev/sda1, /dev/xvda) or taken on the instance, 404
 * InvalidVolume.NotFound / InvalidInstanceID.NotFound, 409
 * IncorrectInstanceState for an instance shutting down or terminated,
 * 400 InvalidVolume.ZoneMismatch, 409 VolumeInUse when attached, 400
 * IncorrectState when not available (creating).
 */
json_t	*volume_attach(struct request *, const char *volume_id,
	    const struct volume_attach_params *, struct api_error *);

/*
 * Detach volume_id.  404 for an unknown volume, 400 IncorrectState when
 * it is not attached (or already detaching, unless force), 400
 * InvalidAttachment.NotFound when instance_id or device do not match,
 * 400 IncorrectState for the root volume of an instance that is not
 * stopped (force does not override it, as in EC2).
 */
json_t	*volume_detach(struct request *, const char *volume_id,
	    const struct volume_detach_params *, struct api_error *);

/* Is device a name a data volume may take?  (No reserved root names.) */
bool	 volume_device_valid(const char *device);

#endif
