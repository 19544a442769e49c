/*
 * EBS snapshots, protocol-neutral: take one of a volume (pending, then
 * completed after snapshot_pending_delay, with progress "0%" … "100%"),
 * describe with filters, read one, delete, tags.  Results are JSON built
 * by SQL (cloudsim.snapshot_json: id, arn, volume_id, volume_size,
 * state, progress, start_time, description, encrypted, kms_key_id,
 * owner_id, tags; new references, caller decrefs).  A volume made from
 * a snapshot is volumes.h's volume_create with a snapshot_id.
 */
#ifndef CLOUDSIM_VOLUMES_SNAPSHOTS_H
#define CLOUDSIM_VOLUMES_SNAPSHOTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define SNAPSHOT_ACTION_CREATE	"CreateSnapshot"
#define SNAPSHOT_ACTION_DELETE	"DeleteSnapshot"
#define SNAPSHOT_DESCRIPTION_MAX 255

struct snapshot_create_params {
	const char	*description;	/* may be NULL (""), up to 255 */
	struct tag_set	 tags;
};

/* Filter keys of snapshot_describe (NULL-terminated); tag:K also works. */
extern const char *const snapshot_filter_keys[];

/*
 * Snapshot the caller's volume_id.  404 InvalidVolume.NotFound, 400
 * IncorrectState unless the volume is available or in use, 400
 * InvalidParameterValue for a description over 255 characters.
 */
json_t	*snapshot_create(struct request *, const char *volume_id,
	    const struct snapshot_create_params *, struct api_error *);

/* One page of the snapshots the caller sees, in the list envelope. */
json_t	*snapshot_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);

/* One snapshot; 400 InvalidSnapshotID.Malformed / 404 InvalidSnapshot.NotFound. */
json_t	*snapshot_get(struct request *, const char *id, struct api_error *);

/*
 * Delete a snapshot, pending or completed.  As in EC2, volumes created
 * from it keep working and keep its id in snapshot_id.
 */
bool	 snapshot_delete(struct request *, const char *id, struct api_error *);

json_t	*snapshot_tags_merge(struct request *, const char *id,
	    const struct tag_set *, struct api_error *);
json_t	*snapshot_tags_delete(struct request *, const char *id,
	    const char *const *keys, size_t nkeys, struct api_error *);

#endif
