/*
 * Attach and detach.  Each locks the rows it decides on first (the
 * volume and the instance for an attach, the attachment for a detach)
 * and reads them in a later statement, so the read sees every change
 * that committed while it waited, and a termination, a delete or a
 * second detach arriving later waits for this one.  Two attaches of one
 * volume both pass their reads; the attachments' primary key then lets
 * one insert through and turns the other's into 409 VolumeInUse.
 *
 * Instances are 006_instances.sql's: cloudsim.v_instances gives an
 * instance's effective state, zone and root device name; its rows are
 * locked in cloudsim.instances.
 */
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "attachments.h"
#include "ebs.h"

#define DEVICE_HINT	"use /dev/sdf to /dev/sdp or /dev/xvdf to /dev/xvdp"

/* The attachment as both calls answer it (v_volume_attachments' shape). */
#define ATTACHMENT_JSON(state) \
    "json_build_object('volume_id', volume_id, 'instance_id', instance_id," \
    " 'device', device, 'state', " state ", 'attach_time'," \
    " to_char(attached_at AT TIME ZONE 'UTC'," \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')," \
    " 'delete_on_termination', delete_on_termination) AS json"

bool
volume_device_valid(const char *device)
{
	size_t	len = device != NULL ? strlen(device) : 0;

	/* /dev/sd[f-p] or /dev/xvd[f-p] */
	if (len == 8 && strncmp(device, "/dev/sd", 7) == 0)
		return device[7] >= 'f' && device[7] <= 'p';
	if (len == 9 && strncmp(device, "/dev/xvd", 8) == 0)
		return device[8] >= 'f' && device[8] <= 'p';
	return false;
}

static bool
device_check(const char *device, struct api_error *err)
{
	if (device == NULL)
		return api_error_missing(err, "device");
	if (strcmp(device, "/dev/sda1") == 0 || strcmp(device, "/dev/xvda") == 0)
		return api_error_invalid(err, "the device name '%s' is reserved "
		    "for root volumes; %s", device, DEVICE_HINT);
	if (!volume_device_valid(device))
		return api_error_invalid(err, "'device' value '%.64s' is not a "
		    "device name a volume can take; %s", device, DEVICE_HINT);
	return true;
}

/* --- attach -------------------------------------------------------- */

/*
 * Removes the rows of settled detaches that would stand in the way of
 * this volume or device, then locks the volume and the instance against
 * a delete, a modification or a termination until the attach commits.
 */
static struct db_stmt q_attach_lock = DB_STMT(
    "WITH purge AS (DELETE FROM cloudsim.volume_attachments a"
    "  WHERE (a.volume_id = $1 OR (a.instance_id = $4 AND a.device = $5))"
    "  AND cloudsim.ebs_settled(a.state, a.next_state, a.next_state_at)"
    "   = 'detached')"
    " SELECT v.id FROM cloudsim.volumes v JOIN cloudsim.instances i"
    "  ON i.id = $4 AND i.account_id = $2 AND i.region = $3"
    " WHERE v.id = $1 AND v.account_id = $2 AND v.region = $3"
    " FOR SHARE OF v, i");

static struct db_stmt q_attach_read = DB_STMT(
    "SELECT v.id AS volume_id, v.state AS volume_state,"
    " v.availability_zone AS volume_zone,"
    " (SELECT a.instance_id FROM cloudsim.v_volume_attachments a"
    "  WHERE a.volume_id = $1) AS attached_to,"
    " i.id AS instance_id, i.state AS instance_state,"
    " i.availability_zone AS instance_zone,"
    " (SELECT d.volume_id FROM cloudsim.v_volume_attachments d"
    "  WHERE d.instance_id = $4 AND d.device = $5) AS device_taken_by"
    " FROM (SELECT 1) one"
    " LEFT JOIN cloudsim.v_volumes v ON v.id = $1 AND v.account_id = $2"
    "  AND v.region = $3"
    " LEFT JOIN cloudsim.v_instances i ON i.id = $4 AND i.account_id = $2"
    "  AND i.region = $3");

static struct db_stmt q_attach_insert = DB_STMT(
    "INSERT INTO cloudsim.volume_attachments (volume_id, instance_id,"
    " device, state, next_state, next_state_at)"
    " VALUES ($1, $2, $3, 'attaching', 'attached',"
    " now() + make_interval(secs => $4::integer))"
    " RETURNING " ATTACHMENT_JSON("state"));

struct attach {
	const char	*volume_id;
	const struct volume_attach_params *in;
	const char	*params[5];	/* volume, account, region, instance, device */
	PGresult	*row;		/* out: the attachment */
};

/* EC2 attaches to instances in these states; others are 409. */
static bool
instance_state_check(const char *id, const char *state,
    struct api_error *err)
{
	static const char *const ok[] = { "pending", "running", "stopping",
	    "stopped", NULL };
	size_t	i;

	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(state, ok[i]) == 0)
			return true;
	return api_error_set(err, 409, "IncorrectInstanceState", "the "
	    "instance '%s' is '%s'; volumes attach to pending, running, "
	    "stopping or stopped instances", id, state);
}

/* The rules, on the rows as read after the locks. */
static bool
attach_rules(const struct attach *a, const PGresult *r,
    struct api_error *err)
{
	const char	*vol = a->volume_id, *inst = a->in->instance_id;
	const char	*v;

	if (db_get(r, 0, "volume_id") == NULL)
		return ebs_not_found(&ebs_kind_volume, vol, err);
	if (db_get(r, 0, "instance_id") == NULL)
		return ebs_not_found(&ebs_kind_instance, inst, err);
	if (!instance_state_check(inst, db_get(r, 0, "instance_state"), err))
		return false;
	if (strcmp(db_get(r, 0, "volume_zone"),
	    db_get(r, 0, "instance_zone")) != 0)
		return api_error_set(err, 400, "InvalidVolume.ZoneMismatch",
		    "the volume '%s' is in zone '%s' and the instance '%s' in "
		    "'%s'; a volume attaches to instances of its own zone", vol,
		    db_get(r, 0, "volume_zone"), inst,
		    db_get(r, 0, "instance_zone"));
	if ((v = db_get(r, 0, "attached_to")) != NULL)
		return api_error_set(err, 409, "VolumeInUse", "the volume '%s' "
		    "is already attached to instance '%s'", vol, v);
	if (strcmp((v = db_get(r, 0, "volume_state")), "available") != 0)
		return api_error_set(err, 400, "IncorrectState", "the volume "
		    "'%s' is '%s'; only an available volume can be attached",
		    vol, v);
	if ((v = db_get(r, 0, "device_taken_by")) != NULL)
		return api_error_invalid(err, "the device '%s' is already in "
		    "use on instance '%s' (by volume '%s')", a->in->device, inst,
		    v);
	return true;
}

static bool
attach_tx(struct request *req, void *arg, struct api_error *err)
{
	struct attach	*a = arg;
	const char	*p[4];
	const char	*ids[2] = { a->volume_id, a->in->instance_id };
	PGresult	*r;

	/* The lock's rows are not read: it goes with the read. */
	if (!db_defer(req, &q_attach_lock, 5, a->params, err) ||
	    (r = db_exec(req, &q_attach_read, 5, a->params, err)) == NULL ||
	    !attach_rules(a, r, err))
		return false;
	p[0] = a->volume_id;
	p[1] = a->in->instance_id;
	p[2] = a->in->device;
	p[3] = ebs_delay(req, "volume_attach_delay");
	/*
	 * Nothing can refuse the attachment after its insert: the audit
	 * row goes before it and COMMIT with it, in one round trip.
	 */
	if (!audit_write(req, VOLUME_ACTION_ATTACH, ids, 2, 200, err))
		return false;
	db_commit_with_next();
	a->row = db_exec(req, &q_attach_insert, 4, p, err);
	return a->row != NULL;
}

json_t *
volume_attach(struct request *req, const char *volume_id,
    const struct volume_attach_params *in, struct api_error *err)
{
	struct scope		s;
	struct attach		a;

	if (!ebs_id_check(&ebs_kind_volume, volume_id, "volume_id", err) ||
	    !ebs_id_check(&ebs_kind_instance, in->instance_id, "instance_id",
	    err) ||
	    !device_check(in->device, err) ||
	    !scope_write(req, &s, err))
		return NULL;
	memset(&a, 0, sizeof(a));
	a.volume_id = volume_id;
	a.in = in;
	a.params[0] = volume_id;
	a.params[1] = s.account;
	a.params[2] = s.region;
	a.params[3] = in->instance_id;
	a.params[4] = in->device;
	if (!db_transaction(req, attach_tx, &a, err))
		return NULL;
	return ebs_json_column(a.row, 0, "json", err);
}

/* --- detach -------------------------------------------------------- */

static struct db_stmt q_detach_lock = DB_STMT(
    "SELECT a.volume_id FROM cloudsim.volume_attachments a"
    " JOIN cloudsim.volumes v ON v.id = a.volume_id"
    " WHERE a.volume_id = $1 AND v.account_id = $2 AND v.region = $3"
    " FOR UPDATE OF a");

static struct db_stmt q_detach_read = DB_STMT(
    "SELECT v.id AS volume_id, v.state AS volume_state, a.instance_id,"
    " a.device, a.state AS attachment_state, i.state AS instance_state,"
    " i.root_device_name"
    " FROM (SELECT 1) one"
    " LEFT JOIN cloudsim.v_volumes v ON v.id = $1 AND v.account_id = $2"
    "  AND v.region = $3"
    " LEFT JOIN cloudsim.v_volume_attachments a ON a.volume_id = v.id"
    " LEFT JOIN cloudsim.v_instances i ON i.id = a.instance_id");

/* With force, or without a delay: the attachment is gone at once. */
static struct db_stmt q_detach_now = DB_STMT(
    "DELETE FROM cloudsim.volume_attachments WHERE volume_id = $1"
    " RETURNING " ATTACHMENT_JSON("'detaching'"));

static struct db_stmt q_detach_later = DB_STMT(
    "UPDATE cloudsim.volume_attachments SET state = 'detaching',"
    " next_state = 'detached',"
    " next_state_at = now() + make_interval(secs => $2::integer)"
    " WHERE volume_id = $1"
    " RETURNING " ATTACHMENT_JSON("state"));

struct detach {
	const char	*volume_id;
	const struct volume_detach_params *in;
	const char	*params[3];	/* volume, account, region */
	const char	*instance_id;	/* out: for the audit row */
	PGresult	*row;		/* out: the attachment */
};

static bool
detach_rules(const struct detach *d, const PGresult *r,
    struct api_error *err)
{
	const char	*vol = d->volume_id, *inst, *dev, *root, *state;

	if (db_get(r, 0, "volume_id") == NULL)
		return ebs_not_found(&ebs_kind_volume, vol, err);
	if ((inst = db_get(r, 0, "instance_id")) == NULL)
		return api_error_set(err, 400, "IncorrectState", "the volume "
		    "'%s' is '%s'; it is not attached to any instance", vol,
		    db_get(r, 0, "volume_state"));
	dev = db_get(r, 0, "device");
	if (d->in->instance_id != NULL && strcmp(d->in->instance_id, inst) != 0)
		return api_error_set(err, 400, "InvalidAttachment.NotFound",
		    "the volume '%s' is not attached to instance '%.64s'", vol,
		    d->in->instance_id);
	if (d->in->device != NULL && strcmp(d->in->device, dev) != 0)
		return api_error_set(err, 400, "InvalidAttachment.NotFound",
		    "the volume '%s' is not attached as device '%.64s'", vol,
		    d->in->device);
	if (strcmp(db_get(r, 0, "attachment_state"), "detaching") == 0 &&
	    !d->in->force)
		return api_error_set(err, 400, "IncorrectState", "the volume "
		    "'%s' is already detaching from instance '%s'", vol, inst);
	root = db_get(r, 0, "root_device_name");
	state = db_get(r, 0, "instance_state");
	if (root != NULL && strcmp(root, dev) == 0 && state != NULL &&
	    strcmp(state, "stopped") != 0 && strcmp(state, "terminated") != 0)
		return api_error_set(err, 400, "IncorrectState", "unable to "
		    "detach the root volume '%s' from instance '%s', which is "
		    "'%s'; stop the instance first", vol, inst, state);
	return true;
}

static bool
detach_tx(struct request *req, void *arg, struct api_error *err)
{
	struct detach	*d = arg;
	const char	*delay = ebs_delay(req, "volume_attach_delay");
	const char	*p[2] = { d->volume_id, delay };
	const char	*ids[2];
	PGresult	*r;

	/* The lock's rows are not read: it goes with the read. */
	if (!db_defer(req, &q_detach_lock, 3, d->params, err) ||
	    (r = db_exec(req, &q_detach_read, 3, d->params, err)) == NULL ||
	    !detach_rules(d, r, err))
		return false;
	d->instance_id = db_get(r, 0, "instance_id");
	ids[0] = d->volume_id;
	ids[1] = d->instance_id;
	/* As for an attachment: audit row, change and COMMIT in one trip. */
	if (!audit_write(req, VOLUME_ACTION_DETACH, ids, 2, 200, err))
		return false;
	db_commit_with_next();
	if (d->in->force || strcmp(delay, "0") == 0)
		d->row = db_exec(req, &q_detach_now, 1, p, err);
	else
		d->row = db_exec(req, &q_detach_later, 2, p, err);
	return d->row != NULL;
}

json_t *
volume_detach(struct request *req, const char *volume_id,
    const struct volume_detach_params *in, struct api_error *err)
{
	struct scope		s;
	struct detach		d;

	if (!ebs_id_check(&ebs_kind_volume, volume_id, "volume_id", err) ||
	    (in->instance_id != NULL && !ebs_id_check(&ebs_kind_instance,
	    in->instance_id, "instance_id", err)) ||
	    !scope_write(req, &s, err))
		return NULL;
	memset(&d, 0, sizeof(d));
	d.volume_id = volume_id;
	d.in = in;
	d.params[0] = volume_id;
	d.params[1] = s.account;
	d.params[2] = s.region;
	if (!db_transaction(req, detach_tx, &d, err))
		return NULL;
	return ebs_json_column(d.row, 0, "json", err);
}
