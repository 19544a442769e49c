/*
 * EBS volumes, protocol-neutral: create (empty or from a snapshot, with
 * quotas and client-token idempotency), describe with filters, read one,
 * modify (grow, change type or performance), delete, tags.  Results are
 * JSON built by SQL (cloudsim.volume_json, docs/volumes.md: new
 * references, caller decrefs) so that the REST front and the EC2 front
 * render the same object; failures fill err with EC2's codes.
 */
#ifndef CLOUDSIM_VOLUMES_VOLUMES_H
#define CLOUDSIM_VOLUMES_VOLUMES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define VOLUME_ACTION_CREATE	"CreateVolume"
#define VOLUME_ACTION_MODIFY	"ModifyVolume"
#define VOLUME_ACTION_DELETE	"DeleteVolume"

/* Longest client token, as EC2. */
#define VOLUME_CLIENT_TOKEN_MAX	64

/* An optional integer parameter. */
struct volume_int {
	bool		set;
	long long	value;
};

struct volume_create_params {
	const char	*availability_zone;	/* required */
	struct volume_int size;			/* GiB; default: the snapshot's */
	const char	*volume_type;		/* NULL: gp2 */
	struct volume_int iops;
	struct volume_int throughput;		/* MiB/s, gp3 only */
	const char	*snapshot_id;		/* may be NULL */
	bool		 encrypted;
	const char	*kms_key_id;		/* needs encrypted; NULL: alias/aws/ebs */
	struct tag_set	 tags;
	const char	*client_token;		/* may be NULL */
};

struct volume_modify_params {
	struct volume_int size;			/* only grows */
	const char	*volume_type;		/* NULL: unchanged */
	struct volume_int iops;
	struct volume_int throughput;
};

/* Filter keys of volume_describe (NULL-terminated); tag:K also works. */
extern const char *const volume_filter_keys[];

/*
 * Create a volume in the caller's account and region.  400
 * MissingParameter without a zone or without both size and snapshot,
 * InvalidZone.NotFound for a zone not in the region, the type limits'
 * codes (volume_types.h), InvalidParameterDependency for a KMS key
 * without encryption, 404 InvalidSnapshot.NotFound, 400 IncorrectState
 * for a snapshot still pending, 400 VolumeLimitExceeded at
 * quota_volumes_per_region or quota_volume_gib_per_type, 400
 * IdempotentParameterMismatch when client_token was used with other
 * parameters (with the same ones: the first volume, as it is now).
 */
json_t	*volume_create(struct request *, const struct volume_create_params *,
	    struct api_error *);

/* One page of the volumes the caller sees, in the list envelope. */
json_t	*volume_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);

/* One volume; 400 InvalidVolumeID.Malformed / 404 InvalidVolume.NotFound. */
json_t	*volume_get(struct request *, const char *id, struct api_error *);

/*
 * Modify a volume at once (EC2's ModifyVolume, whose optimizing phase
 * cloudsim skips): 400 MissingParameter when nothing is asked, 400
 * InvalidParameterValue to shrink or to change from or to standard, the
 * type limits on the result, 400 IncorrectState while creating, 400
 * VolumeLimitExceeded past quota_volume_gib_per_type.  Returns the
 * volume with a "modification" member (EC2's VolumeModification:
 * original_* and target_* values, modification_state "completed").
 */
json_t	*volume_modify(struct request *, const char *id,
	    const struct volume_modify_params *, struct api_error *);

/*
 * Delete an available volume (snapshots taken from it stay).  409
 * VolumeInUse while attached (attaching, attached or detaching), 400
 * IncorrectState while creating.
 */
bool	 volume_delete(struct request *, const char *id, struct api_error *);

/* Tags of a volume (ebs.h: ebs_tags_merge / ebs_tags_delete). */
json_t	*volume_tags_merge(struct request *, const char *id,
	    const struct tag_set *, struct api_error *);
json_t	*volume_tags_delete(struct request *, const char *id,
	    const char *const *keys, size_t nkeys, struct api_error *);

#endif
