/*
 * RunInstances.  The parameters are checked for form first; then one
 * transaction takes the account's launch lock and the volumes' quota
 * lock (so the quota counts and a client token's first use are
 * serialised per account and region), resolves everything the call
 * names in one statement (token, AMI, type, key, subnet or the default
 * one, groups, the live count, the volumes, the free addresses), checks
 * it, and writes the reservation, the instances (the schema's trigger
 * takes their addresses) and their group links in one statement, then
 * for each mapped device (the root first, then the data volumes) the
 * volumes and their attachments in two more (005's attachment trigger
 * reads what the statements before wrote), with the audit row.  Any
 * failure rolls all of it back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "core/arena.h"
#include "core/audit.h"
#include "core/base64.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/hex.h"
#include "core/sha256.h"
#include "core/ids.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "core/scope.h"
#include "core/tags.h"
#include "volumes/volume_types.h"
#include "instances.h"
#include "launch.h"
#include "tenancy.h"

/*
 * Launches of one account and region are serialised under this advisory
 * lock key space, since the instance quota is counted under it
 * (scope.h lists the key spaces).
 */
#define LAUNCH_LOCK	6001

/* A volume each instance of the launch gets. */
struct launch_volume {
	const char		*device;	/* the root's is the AMI's */
	struct volume_spec	 spec;		/* completed: limits checked */
	bool			 delete_on_termination;
};

/* A launch being prepared: checked parameters and what was resolved. */
struct launch {
	const struct instance_run_params *in;
	struct scope	 t;
	long long	 min, max;
	const char	*user_data;	/* whitespace removed, or NULL */
	const char	*hash;		/* hex SHA-256, or NULL without a token */
	long		 quota, volume_quota, gib_quota;
	/* Once the AMI is known: the root volume, then the data volumes. */
	struct launch_volume	*vols;
	size_t			 nvols;
	/* Once the names are resolved: every group id, as a text[]. */
	const char	*groups;
	json_t		*result;	/* out */
};

/* --- the parameters' form -------------------------------------------- */

static bool
check_counts(const struct instance_run_params *in, struct launch *l,
    struct api_error *err)
{
	l->min = in->min_count ? in->min_count : 1;
	l->max = in->max_count ? in->max_count : 1;
	if (in->max_count == 0 && in->min_count > 1)
		l->max = l->min;
	if (l->min < 1 || l->max < 1)
		return api_error_invalid(err, "min_count and max_count must be "
		    "at least 1, got %lld and %lld", l->min, l->max);
	if (l->min > l->max)
		return api_error_invalid(err, "min_count (%lld) must not be "
		    "greater than max_count (%lld)", l->min, l->max);
	if (l->max > INSTANCE_COUNT_MAX)
		return api_error_invalid(err, "max_count must be at most %d, "
		    "got %lld", INSTANCE_COUNT_MAX, l->max);
	return true;
}

/* Base64 with line breaks allowed; at most INSTANCE_USER_DATA_MAX bytes. */
static bool
check_user_data(struct request *req, const char *s, struct launch *l,
    struct api_error *err)
{
	unsigned char	*raw;
	size_t		 i, n = 0, rawlen;
	char		*clean;

	l->user_data = NULL;
	if (s == NULL || *s == '\0')
		return true;
	clean = arena_alloc(req->arena, strlen(s) + 1);
	for (i = 0; s[i] != '\0'; i++)
		if (strchr(" \t\r\n", s[i]) == NULL)
			clean[n++] = s[i];
	clean[n] = '\0';
	if (!base64_decode(req->arena, clean, n, &raw, &rawlen))
		return api_error_invalid(err, "user_data must be base64-encoded; "
		    "the value given is not valid base64");
	if (rawlen > INSTANCE_USER_DATA_MAX)
		return api_error_invalid(err, "user_data is %zu bytes once "
		    "decoded; the limit is %d", rawlen, INSTANCE_USER_DATA_MAX);
	l->user_data = n > 0 ? clean : NULL;
	return true;
}

static bool
check_groups(const struct instance_run_params *in, struct api_error *err)
{
	size_t	i, j;

	if (in->nsecurity_groups + in->nsecurity_group_names >
	    INSTANCE_GROUPS_MAX)
		return api_error_invalid(err, "at most %d security groups may "
		    "be given, got %zu", INSTANCE_GROUPS_MAX,
		    in->nsecurity_groups + in->nsecurity_group_names);
	for (i = 0; i < in->nsecurity_group_names; i++) {
		if (in->security_group_names[i][0] == '\0' ||
		    strlen(in->security_group_names[i]) > 255)
			return api_error_invalid(err, "a security group name "
			    "is 1 to 255 characters long");
		for (j = 0; j < i; j++)
			if (strcmp(in->security_group_names[i],
			    in->security_group_names[j]) == 0)
				return api_error_invalid(err, "the security "
				    "group '%s' is given twice",
				    in->security_group_names[i]);
	}
	for (i = 0; i < in->nsecurity_groups; i++) {
		if (!id_valid(in->security_group_ids[i], "sg-", 17))
			return api_error_set(err, 400,
			    "InvalidGroupId.Malformed", "invalid security group "
			    "id '%.64s': expected 'sg-' and 17 lower-case hex "
			    "digits", in->security_group_ids[i]);
		for (j = 0; j < i; j++)
			if (strcmp(in->security_group_ids[i],
			    in->security_group_ids[j]) == 0)
				return api_error_invalid(err, "the security "
				    "group '%s' is given twice",
				    in->security_group_ids[i]);
	}
	return true;
}

/* Device names of the form the attachments take, each once. */
static bool
check_devices(const struct instance_run_params *in, struct api_error *err)
{
	const char	*d;
	size_t		 i, j;

	if (in->nblock_devices > INSTANCE_BLOCK_DEVICES_MAX)
		return api_error_set(err, 400, "InvalidBlockDeviceMapping",
		    "at most %d block device mappings, got %zu",
		    INSTANCE_BLOCK_DEVICES_MAX, in->nblock_devices);
	for (i = 0; i < in->nblock_devices; i++) {
		if ((d = in->block_devices[i].device_name) == NULL)
			return api_error_missing(err,
			    "block_device_mappings.device_name");
		if (strncmp(d, "/dev/", 5) != 0 || strlen(d) > 5 + 16 ||
		    d[5] == '\0' || strspn(d + 5, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789") != strlen(d + 5))
			return api_error_set(err, 400,
			    "InvalidBlockDeviceMapping", "the device name "
			    "'%.64s' is not of the form /dev/sdf", d);
		for (j = 0; j < i; j++)
			if (strcmp(d, in->block_devices[j].device_name) == 0)
				return api_error_set(err, 400,
				    "InvalidBlockDeviceMapping", "the device "
				    "'%s' is mapped twice", d);
	}
	return true;
}

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static bool
check_form(struct request *req, const struct instance_run_params *in,
    struct launch *l, struct api_error *err)
{
	if (in->image_id == NULL)
		return api_error_missing(err, "image_id");
	if (in->instance_type == NULL)
		return api_error_missing(err, "instance_type");
	if (!id_valid(in->image_id, "ami-", 17))
		return api_error_set(err, 400, "InvalidAMIID.Malformed",
		    "invalid AMI id '%.64s': expected 'ami-' and 17 lower-case "
		    "hex digits", in->image_id);
	if (in->subnet_id != NULL && !id_valid(in->subnet_id, "subnet-", 8))
		return api_error_set(err, 400, "InvalidSubnetID.Malformed",
		    "invalid subnet id '%.64s': expected 'subnet-' and 8 "
		    "lower-case hex digits", in->subnet_id);
	if (in->key_name != NULL && (*in->key_name == '\0' ||
	    strlen(in->key_name) > 255))
		return api_error_invalid(err, "key_name must be 1 to 255 "
		    "characters long");
	if (in->client_token != NULL && (*in->client_token == '\0' ||
	    strlen(in->client_token) > INSTANCE_CLIENT_TOKEN_MAX ||
	    !printable(in->client_token)))
		return api_error_invalid(err, "client_token must be 1 to %d "
		    "printable ASCII characters", INSTANCE_CLIENT_TOKEN_MAX);
	return check_counts(in, l, err) && check_groups(in, err) &&
	    check_devices(in, err) &&
	    check_user_data(req, in->user_data, l, err) &&
	    tags_validate(&in->tags, err);
}

/*
 * The hex SHA-256 of the call's parameters, normalized (defaults
 * applied, user data without line breaks, JSON with sorted keys): the
 * fingerprint a retry with the same client token must match.
 */
static const char *
params_hash(struct request *req, const struct launch *l)
{
	const struct instance_run_params *in = l->in;
	json_t		*o, *groups, *names, *devices, *tags;
	char		*text, hex[2 * 32 + 1];
	unsigned char	 md[SHA256_LEN];
	const char	*out = NULL;
	size_t		 i;

	groups = json_array();
	for (i = 0; i < in->nsecurity_groups; i++)
		json_array_append_new(groups,
		    json_string(in->security_group_ids[i]));
	/* Absent when empty: hashes of earlier launches stay valid. */
	names = in->nsecurity_group_names > 0 ? json_array() : NULL;
	for (i = 0; i < in->nsecurity_group_names; i++)
		json_array_append_new(names,
		    json_string(in->security_group_names[i]));
	devices = json_array();
	for (i = 0; i < in->nblock_devices; i++) {
		const struct instance_block_device *b = &in->block_devices[i];
		json_array_append_new(devices, json_pack("{s:s, s:I, s:s?,"
		    " s:I, s:i}", "device_name", b->device_name,
		    "volume_size", (json_int_t)b->volume_size,
		    "volume_type", b->volume_type,
		    "iops", (json_int_t)b->iops,
		    "delete_on_termination", b->delete_on_termination != 0));
	}
	tags = json_loads(tags_param(req, &in->tags), 0, NULL);
	o = json_pack("{s:s, s:s, s:I, s:I, s:s?, s:s?, s:o, s:o*, s:s?, s:s?,"
	    " s:o, s:o*}", "image_id", in->image_id,
	    "instance_type", in->instance_type,
	    "min_count", (json_int_t)l->min, "max_count", (json_int_t)l->max,
	    "subnet_id", in->subnet_id,
	    "availability_zone", in->availability_zone,
	    "security_group_ids", groups, "security_group_names", names,
	    "key_name", in->key_name,
	    "user_data", l->user_data, "block_device_mappings", devices,
	    "tags", tags);
	if (o == NULL)
		return NULL;
	text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	if (text != NULL && sha256(text, strlen(text), md)) {
		hex_encode(md, sizeof(md), hex);
		out = arena_strdup(req->arena, hex);
	}
	free(text);
	return out;
}

/* --- resolving what the call names ----------------------------------- */

/*
 * $1 account, $2 region, $3 client token, $4 AMI, $5 type, $6 key name,
 * $7 subnet (NULL: the default VPC's default subnet in zone $8, or in
 * the region's first zone), $9 security group ids, $10 security group
 * names (looked up in the subnet's VPC; the caller refuses them unless
 * it is the default VPC).  The quotas' counts come from
 * cloudsim.instance_usage and cloudsim.volume_usage (sql/016), which plan
 * them for the account; the rest keeps its generic plan (checked with
 * EXPLAIN: the lookups go by key, or scan catalogs of a few rows).  One
 * row.
 */
static struct db_stmt q_launch_resolve = DB_STMT_GENERIC(
    "WITH d AS MATERIALIZED (SELECT CASE WHEN $7::text IS NULL"
    " THEN cloudsim.ensure_default_vpc($1, $2) END AS vpc_id),"
    " z AS (SELECT coalesce($8::text, (SELECT min(name) FROM cloudsim.zones"
    " WHERE region = $2)) AS zone),"
    " s AS (SELECT s.id, s.vpc_id, s.availability_zone,"
    " s.map_public_ip_on_launch, (1::bigint << (32 - masklen(s.cidr_block)))"
    " - 5 - (SELECT count(*) FROM cloudsim.subnet_addresses a"
    " WHERE a.subnet_id = s.id) AS free"
    " FROM cloudsim.subnets s CROSS JOIN d CROSS JOIN z"
    " WHERE s.account_id = $1 AND s.region = $2 AND CASE WHEN $7::text IS NOT"
    " NULL THEN s.id = $7 ELSE s.vpc_id = d.vpc_id AND s.default_for_az"
    " AND s.availability_zone = z.zone END),"
    " g AS (SELECT u.group_id, u.pos, sg.vpc_id"
    " FROM unnest($9::text[]) WITH ORDINALITY AS u(group_id, pos)"
    " LEFT JOIN cloudsim.security_groups sg ON sg.id = u.group_id"
    " AND sg.account_id = $1 AND sg.region = $2),"
    " gn AS (SELECT u.name, u.pos, sg.id"
    " FROM unnest($10::text[]) WITH ORDINALITY AS u(name, pos)"
    " LEFT JOIN cloudsim.security_groups sg ON sg.name = u.name"
    " AND sg.vpc_id = (SELECT vpc_id FROM s) AND sg.account_id = $1)"
    " SELECT r.id AS token_reservation, r.params_hash AS token_hash,"
    " cloudsim.instance_usage($1, $2) AS live,"
    " img.id AS image_id, img.state AS image_state, img.architecture,"
    " img.root_device_name, img.root_volume_size_gib, img.root_volume_type,"
    " it.name AS type_name,"
    " array_to_string(it.architectures, ', ') AS type_architectures,"
    " coalesce(img.architecture = ANY (it.architectures), false)"
    " AS architecture_ok,"
    " CASE WHEN $6::text IS NOT NULL THEN EXISTS (SELECT 1"
    " FROM cloudsim.key_pairs k WHERE k.account_id = $1 AND k.region = $2"
    " AND k.name = $6) END AS key_found,"
    " (SELECT zone FROM z) AS zone, EXISTS (SELECT 1 FROM cloudsim.zones"
    " WHERE name = (SELECT zone FROM z) AND region = $2) AS zone_ok,"
    " (SELECT vpc_id FROM d) AS default_vpc_id,"
    " s.id AS subnet_id, s.vpc_id, s.availability_zone AS subnet_zone,"
    " s.map_public_ip_on_launch, s.free,"
    " (SELECT v.is_default FROM cloudsim.vpcs v WHERE v.id = s.vpc_id)"
    " AS vpc_default,"
    " (SELECT json_agg(gn.id ORDER BY gn.pos) FROM gn) AS named_groups,"
    " (SELECT string_agg('''' || gn.name || '''', ', ' ORDER BY gn.pos)"
    " FROM gn WHERE gn.id IS NULL) AS names_missing,"
    " (SELECT sg.id FROM cloudsim.security_groups sg WHERE sg.vpc_id = s.vpc_id"
    " AND sg.is_default) AS default_group,"
    " (SELECT string_agg('''' || g.group_id || '''', ', ' ORDER BY g.pos)"
    " FROM g WHERE g.vpc_id IS NULL) AS groups_missing,"
    " (SELECT string_agg(g.group_id, ', ' ORDER BY g.pos) FROM g"
    " WHERE g.vpc_id IS NOT NULL AND g.vpc_id IS DISTINCT FROM s.vpc_id)"
    " AS groups_foreign,"
    " u.volumes, u.gib_by_type AS type_gib"
    " FROM cloudsim.volume_usage($1, $2) AS u"
    " LEFT JOIN cloudsim.reservations r ON r.account_id = $1"
    " AND r.region = $2 AND r.client_token = $3"
    " LEFT JOIN cloudsim.images img ON img.id = $4"
    " LEFT JOIN cloudsim.instance_types it ON it.name = $5"
    " LEFT JOIN s ON true");

/*
 * A mapping's volume specification, checked against the limits
 * volumes/volume_types.h holds every volume to; EC2 answers a bad
 * mapping with InvalidBlockDeviceMapping, naming the device.
 */
static bool
volume_spec(const struct instance_block_device *b, const char *device,
    struct launch_volume *v, struct api_error *err)
{
	struct api_error	e;

	v->device = device;
	v->spec.iops = b != NULL && b->iops != 0 ? b->iops : -1;
	v->spec.throughput = -1;
	v->delete_on_termination = b == NULL || b->delete_on_termination != 0;
	if (!volume_type_known(v->spec.type))
		return api_error_set(err, 400, "InvalidBlockDeviceMapping",
		    "the volume type '%.32s' of '%s' is not one of %s",
		    v->spec.type, device, volume_type_names);
	if (volume_spec_complete(&v->spec, &e))
		return true;
	return api_error_set(err, 400, "InvalidBlockDeviceMapping", "%s: %s",
	    device, e.message);
}

/*
 * The root volume (the AMI's, adjusted by a mapping of its root device)
 * and a data volume for every other mapping, into l->vols.
 */
static bool
check_volumes(struct request *req, const PGresult *r, struct launch *l,
    struct api_error *err)
{
	const struct instance_run_params *in = l->in;
	const struct instance_block_device *b, *root_map = NULL;
	const char	*root = db_get(r, 0, "root_device_name");
	long long	 ami_size = db_get_int(r, 0, "root_volume_size_gib");
	struct launch_volume *v;
	size_t		 i;

	l->vols = arena_calloc(req->arena, in->nblock_devices + 1,
	    sizeof(*l->vols));
	for (i = 0; i < in->nblock_devices; i++)
		if (strcmp(in->block_devices[i].device_name, root) == 0)
			root_map = &in->block_devices[i];
	v = &l->vols[0];
	v->spec.type = root_map != NULL && root_map->volume_type != NULL ?
	    root_map->volume_type : db_get(r, 0, "root_volume_type");
	v->spec.size = root_map != NULL && root_map->volume_size != 0 ?
	    root_map->volume_size : ami_size;
	if (strcmp(v->spec.type, "st1") == 0 || strcmp(v->spec.type, "sc1") == 0)
		return api_error_set(err, 400, "InvalidBlockDeviceMapping",
		    "a '%s' volume cannot be a root volume; use gp2, gp3, io1, "
		    "io2 or standard", v->spec.type);
	if (v->spec.size < ami_size)
		return api_error_set(err, 400, "InvalidBlockDeviceMapping",
		    "a root volume of %lld GiB is smaller than the AMI's "
		    "snapshot of %lld GiB", v->spec.size, ami_size);
	if (!volume_spec(root_map, root, v, err))
		return false;
	l->nvols = 1;
	for (i = 0; i < in->nblock_devices; i++) {
		b = &in->block_devices[i];
		if (b == root_map)
			continue;
		v = &l->vols[l->nvols++];
		if (b->volume_size == 0)
			return api_error_set(err, 400,
			    "InvalidBlockDeviceMapping", "the data volume at "
			    "'%s' needs a size (cloudsim makes data volumes "
			    "empty, not from a snapshot)", b->device_name);
		v->spec.type = b->volume_type != NULL ? b->volume_type :
		    VOLUME_TYPE_DEFAULT;
		v->spec.size = b->volume_size;
		if (!volume_spec(b, b->device_name, v, err))
			return false;
	}
	return true;
}

/*
 * How many instances the GiB-per-type quota leaves room for: each
 * instance needs its volumes' GiB of each type.  *type names the type
 * that binds (for the message), *used its GiB now.
 */
static long long
gib_room(const PGresult *r, const struct launch *l, const char **type,
    long long *used, struct api_error *err)
{
	json_t		*have;
	long long	 need, u, room, best = -1;
	size_t		 i, j;

	if ((have = json_loads(db_get(r, 0, "type_gib") ?
	    db_get(r, 0, "type_gib") : "{}", 0, NULL)) == NULL) {
		api_error_internal(err);
		return -1;
	}
	for (i = 0; i < l->nvols; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(l->vols[j].spec.type, l->vols[i].spec.type)
			    == 0)
				break;
		if (j < i)
			continue;	/* the type is counted already */
		for (need = 0, j = i; j < l->nvols; j++)
			if (strcmp(l->vols[j].spec.type, l->vols[i].spec.type)
			    == 0)
				need += l->vols[j].spec.size;
		u = json_integer_value(json_object_get(have,
		    l->vols[i].spec.type));
		room = l->gib_quota > u ? (l->gib_quota - u) / need : 0;
		if (best < 0 || room < best) {
			best = room;
			*type = l->vols[i].spec.type;
			*used = u;
		}
	}
	json_decref(have);
	return best;
}

/*
 * Every group id the instances get, as a text[]: the ids given, then
 * the names' groups; the VPC's default group when neither is given.
 * EC2 resolves names in the default VPC only.
 */
static bool
resolve_groups(struct request *req, const PGresult *r, struct launch *l,
    struct api_error *err)
{
	const struct instance_run_params *in = l->in;
	const char	**ids, *v;
	json_t		*named;
	size_t		 i, j, n = 0;

	ids = arena_calloc(req->arena, INSTANCE_GROUPS_MAX + 2, sizeof(*ids));
	for (i = 0; i < in->nsecurity_groups; i++)
		ids[n++] = in->security_group_ids[i];
	if (in->nsecurity_group_names > 0) {
		if (!db_get_bool(r, 0, "vpc_default"))
			return api_error_set(err, 400,
			    "InvalidParameterCombination", "the parameter "
			    "groupName cannot be used with the parameter "
			    "subnet: subnet '%s' is not in the default VPC; "
			    "name security groups by id",
			    db_get(r, 0, "subnet_id"));
		if ((v = db_get(r, 0, "names_missing")) != NULL)
			return api_error_set(err, 400, "InvalidGroup.NotFound",
			    "the security group %s does not exist in default "
			    "VPC '%s'", v, db_get(r, 0, "vpc_id"));
		v = db_get(r, 0, "named_groups");
		named = request_keep(req, json_loads(v != NULL ? v : "[]", 0,
		    NULL));
		for (i = 0; i < json_array_size(named); i++) {
			v = arena_strdup(req->arena, json_string_value(
			    json_array_get(named, i)));
			for (j = 0; j < n && strcmp(ids[j], v) != 0; j++)
				;
			if (j == n)
				ids[n++] = v;
		}
	}
	if (n == 0) {
		if ((ids[0] = db_get(r, 0, "default_group")) == NULL)
			return api_error_set(err, 400, "InvalidGroup.NotFound",
			    "the VPC '%s' has no default security group",
			    db_get(r, 0, "vpc_id"));
		n = 1;
	}
	l->groups = pgarray_text(req->arena, ids, n, 0);
	return true;
}

/* Turn the resolved row into the first error that applies, if any. */
static bool
check_resolved(struct request *req, const PGresult *r, struct launch *l,
    long long *count, struct api_error *err)
{
	const struct instance_run_params *in = l->in;
	const char	*v, *gib_type = NULL;
	long long	 live, left, free_ips, volumes, gib = 0, vol_left,
			 gib_left;

	if (db_get(r, 0, "image_id") == NULL)
		return api_error_set(err, 400, "InvalidAMIID.NotFound",
		    "the image id '[%s]' does not exist", in->image_id);
	if (strcmp(db_get(r, 0, "image_state"), "available") != 0)
		return api_error_set(err, 400, "InvalidAMIID.Unavailable",
		    "the image '%s' is '%s', not available", in->image_id,
		    db_get(r, 0, "image_state"));
	if (db_get(r, 0, "type_name") == NULL)
		return api_error_set(err, 400, "InvalidInstanceType",
		    "the instance type '%.64s' does not exist",
		    in->instance_type);
	if (!db_get_bool(r, 0, "architecture_ok"))
		return api_error_invalid(err, "the architecture '%s' of the "
		    "specified instance type does not match the architecture "
		    "'%s' of the specified AMI; specify an instance type and an "
		    "AMI that have matching architectures",
		    db_get(r, 0, "type_architectures"),
		    db_get(r, 0, "architecture"));
	if (!check_volumes(req, r, l, err))
		return false;
	if ((v = db_get(r, 0, "key_found")) != NULL && v[0] != 't')
		return api_error_set(err, 400, "InvalidKeyPair.NotFound",
		    "the key pair '%s' does not exist", in->key_name);
	if (in->availability_zone != NULL && !db_get_bool(r, 0, "zone_ok"))
		return api_error_invalid(err, "invalid availability zone "
		    "'%.64s' for region '%s'", in->availability_zone,
		    l->t.region);
	if (db_get(r, 0, "subnet_id") == NULL) {
		if (in->subnet_id != NULL)
			return api_error_set(err, 400,
			    "InvalidSubnetID.NotFound", "the subnet id '%s' "
			    "does not exist", in->subnet_id);
		return api_error_set(err, 400, "MissingInput", "the default "
		    "VPC '%s' has no default subnet in zone '%s'; specify a "
		    "subnet", db_get(r, 0, "default_vpc_id") ?
		    db_get(r, 0, "default_vpc_id") : "(none)",
		    db_get(r, 0, "zone"));
	}
	if (in->availability_zone != NULL && strcmp(in->availability_zone,
	    db_get(r, 0, "subnet_zone")) != 0)
		return api_error_invalid(err, "the subnet '%s' is in zone '%s', "
		    "not '%s'", db_get(r, 0, "subnet_id"),
		    db_get(r, 0, "subnet_zone"), in->availability_zone);
	if ((v = db_get(r, 0, "groups_missing")) != NULL)
		return api_error_set(err, 400, "InvalidGroup.NotFound",
		    "the security group(s) %s do not exist", v);
	if ((v = db_get(r, 0, "groups_foreign")) != NULL)
		return api_error_set(err, 400, "InvalidParameter", "security "
		    "group(s) %s and subnet '%s' belong to different networks",
		    v, db_get(r, 0, "subnet_id"));
	if (!resolve_groups(req, r, l, err))
		return false;

	/* As many as fit, at least min_count: else nothing. */
	live = db_get_int(r, 0, "live");
	left = l->quota > live ? l->quota - live : 0;
	free_ips = db_get_int(r, 0, "free");
	volumes = db_get_int(r, 0, "volumes");
	vol_left = l->volume_quota > volumes ?
	    (l->volume_quota - volumes) / (long long)l->nvols : 0;
	if ((gib_left = gib_room(r, l, &gib_type, &gib, err)) < 0)
		return false;
	if (left < l->min)
		return api_error_set(err, 400, "InstanceLimitExceeded", "you "
		    "have requested more instances (%lld) than your current "
		    "instance limit of %ld allows in region '%s' (%lld running "
		    "or stopped)", live + l->min, l->quota, l->t.region, live);
	if (vol_left < l->min)
		return api_error_set(err, 400, "VolumeLimitExceeded", "%lld "
		    "volume(s) (%zu per instance) would pass the account's "
		    "limit of %ld volumes in region '%s'",
		    l->min * (long long)l->nvols, l->nvols, l->volume_quota,
		    l->t.region);
	if (gib_left < l->min)
		return api_error_set(err, 400, "VolumeLimitExceeded", "the "
		    "volumes of %lld instance(s) would bring the account's %s "
		    "storage in region '%s' past its limit of %ld GiB (%lld "
		    "GiB now)", l->min, gib_type, l->t.region, l->gib_quota,
		    gib);
	if (free_ips < l->min)
		return api_error_set(err, 400,
		    "InsufficientFreeAddressesInSubnet", "the subnet '%s' has "
		    "%lld free private addresses; %lld instance(s) need as "
		    "many", db_get(r, 0, "subnet_id"), free_ips, l->min);
	*count = l->max;
	if (*count > left)
		*count = left;
	if (*count > vol_left)
		*count = vol_left;
	if (*count > gib_left)
		*count = gib_left;
	if (*count > free_ips)
		*count = free_ips;
	return true;
}

/* --- writing --------------------------------------------------------- */

/*
 * $1 account, $2 region, $3 count, $4 token, $5 hash, $6 zone, $7 VPC,
 * $8 subnet, $9 AMI, $10 type, $11 pending delay (s), $12 public IP,
 * $13 key, $14 root device, $15 user data, $16 tags, $17 group ids.
 * The instances' trigger takes their addresses; foreign keys are checked
 * at the statement's end, when every row is in.  One row per instance.
 * Generic: inserts whose plan no value changes, which PostgreSQL
 * otherwise planned again on every call (0.3 ms).
 */
static struct db_stmt q_launch = DB_STMT_GENERIC(
    "WITH n AS MATERIALIZED (SELECT 'i-' || cloudsim.random_hex(17) AS id,"
    " g - 1 AS launch_index FROM generate_series(1, $3::int) AS g),"
    " r AS (INSERT INTO cloudsim.reservations (id, account_id, region,"
    " client_token, params_hash) VALUES ('r-' || cloudsim.random_hex(17),"
    " $1, $2, $4, $5) RETURNING id),"
    " i AS (INSERT INTO cloudsim.instances (id, reservation_id,"
    " ami_launch_index, account_id, region, availability_zone, vpc_id,"
    " subnet_id, image_id, instance_type, state, next_state, next_state_at,"
    " associate_public_ip, key_name, root_device_name, user_data, tags)"
    " SELECT n.id, r.id, n.launch_index, $1, $2, $6, $7, $8, $9, $10,"
    " 'pending', 'running',"
    " now() + $11::double precision * interval '1 second', $12::boolean,"
    " $13, $14, $15, $16::jsonb FROM n CROSS JOIN r ORDER BY n.launch_index"
    " RETURNING id, ami_launch_index),"
    " s AS (INSERT INTO cloudsim.instance_security_groups (instance_id,"
    " vpc_id, group_id, position) SELECT n.id, $7, u.group_id, u.pos - 1"
    " FROM n CROSS JOIN unnest($17::text[]) WITH ORDINALITY AS u(group_id, pos)"
    " RETURNING instance_id)"
    " SELECT i.id, (SELECT id FROM r) AS reservation_id FROM i"
    " ORDER BY i.ami_launch_index");

/*
 * The root volumes, then their attachments: two statements, because
 * the attachments' trigger (005_volumes) reads the volume and the
 * instance, which a sibling in the same statement would not yet show.
 * $1 volume ids, $2 account, $3 region, $4 zone, $5 GiB, $6 type,
 * $7 iops, $8 throughput (NULL: the type's baseline).
 */
static struct db_stmt q_launch_volumes = DB_STMT(
    "INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone,"
    " size_gib, volume_type, iops, throughput, encrypted, state)"
    " SELECT u.id, $2, $3, $4, $5::int, $6, $7::int, $8::int, false, 'in-use'"
    " FROM unnest($1::text[]) AS u(id)");

/* $1 volume ids, $2 instance ids (pairwise), $3 device, $4 delete on term. */
static struct db_stmt q_launch_attachments = DB_STMT(
    "INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device,"
    " state, delete_on_termination, attached_at)"
    " SELECT u.volume_id, u.instance_id, $3, 'attached', $4::boolean, now()"
    " FROM unnest($1::text[], $2::text[]) AS u(volume_id, instance_id)");

/*
 * Under the launch lock, in one statement: the volumes service's quota
 * lock (005_volumes: root volumes count), and, before anything counts,
 * the deletion of the account's instances in the region whose retention
 * has passed (sql/018), so that what a launch and a list read stays
 * bounded.  Neither depends on the other.
 */
static struct db_stmt q_volume_quota_lock = DB_STMT(
    "SELECT cloudsim.volume_quota_lock($1, $2),"
    " cloudsim.instances_forget($1, $2)");

static const char *
num(struct request *req, long long v)
{
	return arena_printf(req->arena, "%lld", v);
}

/* NULL for a limit that does not apply (-1): the type's baseline. */
static const char *
num_or_null(struct request *req, long long v)
{
	return v < 0 ? NULL : num(req, v);
}

/* One volume of v's specification for each instance, attached at v's device. */
static bool
launch_volumes(struct request *req, const struct launch *l,
    const struct launch_volume *v, const char **ids, size_t n,
    const char *zone, struct api_error *err)
{
	const char	**vols, *p[8];
	size_t		  i;

	vols = arena_calloc(req->arena, n + 1, sizeof(*vols));
	for (i = 0; i < n; i++)
		vols[i] = id_new(req->arena, "vol-", 17);
	p[0] = pgarray_text(req->arena, vols, n, 0);
	p[1] = l->t.account;
	p[2] = l->t.region;
	p[3] = zone;
	p[4] = num(req, v->spec.size);
	p[5] = v->spec.type;
	p[6] = num_or_null(req, v->spec.iops);
	p[7] = num_or_null(req, v->spec.throughput);
	if (!db_defer(req, &q_launch_volumes, 8, p, err))
		return false;
	p[1] = pgarray_text(req->arena, ids, n, 0);
	p[2] = v->device;
	p[3] = v->delete_on_termination ? "true" : "false";
	return db_defer(req, &q_launch_attachments, 4, p, err);
}

/* Audit an idempotent retry under the ids its reservation holds. */
static bool
audit_reservation(struct request *req, const json_t *result,
    struct api_error *err)
{
	json_t		 *items = json_object_get(result, "items");
	const char	**ids;
	size_t		  i, n = json_array_size(items);

	ids = arena_calloc(req->arena, n + 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = json_string_value(json_object_get(json_array_get(items,
		    i), "id"));
	return audit_write(req, INSTANCE_ACTION_RUN, ids, n, 201, err);
}

static bool
launch_tx(struct request *req, void *arg, struct api_error *err)
{
	struct launch	*l = arg;
	const struct instance_run_params *in = l->in;
	const char	*p[17], *token_hash, *reservation, **ids,
			*lock[2] = { l->t.account, l->t.region };
	PGresult	*r, *w;
	long long	 count = 0;
	long		 pending;
	size_t		 i, nw;

	json_decref(l->result);		/* from a first, retried attempt */
	l->result = NULL;
	/* Both locks go with the resolution, in its round trip. */
	if (!scope_lock(req, &l->t, LAUNCH_LOCK, err) ||
	    !db_defer(req, &q_volume_quota_lock, 2, lock, err))
		return false;
	p[0] = l->t.account;
	p[1] = l->t.region;
	p[2] = in->client_token;
	p[3] = in->image_id;
	p[4] = in->instance_type;
	p[5] = in->key_name;
	p[6] = in->subnet_id;
	p[7] = in->availability_zone;
	p[8] = pgarray_text(req->arena, in->security_group_ids,
	    in->nsecurity_groups, 1);
	p[9] = pgarray_text(req->arena, in->security_group_names,
	    in->nsecurity_group_names, 1);
	if ((r = db_exec(req, &q_launch_resolve, 10, p, err)) == NULL)
		return false;

	if ((reservation = db_get(r, 0, "token_reservation")) != NULL) {
		token_hash = db_get(r, 0, "token_hash");
		if (strcmp(token_hash, l->hash) != 0)
			return api_error_set(err, 400,
			    "IdempotentParameterMismatch", "the client token "
			    "'%s' was used by an earlier launch with other "
			    "parameters", in->client_token);
		/* A retry: the first call's reservation, as it is now. */
		if ((l->result = instance_reservation(req, reservation,
		    l->t.account, err)) == NULL)
			return false;
		return audit_reservation(req, l->result, err);
	}
	if (!check_resolved(req, r, l, &count, err))
		return false;

	pending = config_int("instance_pending_delay");
	p[2] = num(req, count);
	p[3] = in->client_token;
	p[4] = in->client_token ? l->hash : NULL;
	p[5] = db_get(r, 0, "subnet_zone");
	p[6] = db_get(r, 0, "vpc_id");
	p[7] = db_get(r, 0, "subnet_id");
	p[8] = in->image_id;
	p[9] = in->instance_type;
	p[10] = num(req, pending > 0 ? pending : 0);
	p[11] = db_get_bool(r, 0, "map_public_ip_on_launch") ? "true" : "false";
	p[12] = in->key_name;
	p[13] = db_get(r, 0, "root_device_name");
	p[14] = l->user_data;
	p[15] = tags_param(req, &in->tags);
	p[16] = l->groups;
	if ((w = db_exec(req, &q_launch, 17, p, err)) == NULL)
		return false;
	nw = (size_t)PQntuples(w);
	ids = arena_calloc(req->arena, nw + 1, sizeof(*ids));
	for (i = 0; i < nw; i++)
		ids[i] = db_get(w, (int)i, "id");
	l->vols[0].device = p[13];
	for (i = 0; i < l->nvols; i++)
		if (!launch_volumes(req, l, &l->vols[i], ids, nw, p[5], err))
			return false;
	reservation = db_get(w, 0, "reservation_id");
	if (!audit_write(req, INSTANCE_ACTION_RUN, ids, nw, 201, err))
		return false;
	/* The answer is the last statement: COMMIT goes in its round trip. */
	db_commit_with_next();
	l->result = instance_reservation(req, reservation, l->t.account, err);
	return l->result != NULL;
}

json_t *
instance_run(struct request *req, const struct instance_run_params *in,
    struct api_error *err)
{
	struct launch	l;

	memset(&l, 0, sizeof(l));
	l.in = in;
	if (!check_form(req, in, &l, err) || !scope_write(req, &l.t, err))
		return NULL;
	if (in->client_token != NULL &&
	    (l.hash = params_hash(req, &l)) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	l.quota = config_int("quota_instances_per_region");
	l.volume_quota = config_int("quota_volumes_per_region");
	l.gib_quota = config_int("quota_volume_gib_per_type");
	if (!db_transaction(req, launch_tx, &l, err)) {
		json_decref(l.result);
		return NULL;
	}
	return l.result;
}
