/*
 * Instances, key pairs, volumes and snapshots on the EC2 Query API, over
 * the instances and volumes services.  EC2's shapes differ from the
 * services' JSON in nesting only (reservations, ebs blocks, placement):
 * the adapt functions add those members; no rule is checked here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/base64.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/tags.h"
#include "instances/instances.h"
#include "instances/key_pairs.h"
#include "instances/launch.h"
#include "instances/lifecycle.h"
#include "volumes/attachments.h"
#include "volumes/snapshots.h"
#include "volumes/volumes.h"
#include "actions.h"
#include "describe.h"
#include "query.h"
#include "xml.h"

/* --- instances -------------------------------------------------------- */

static const struct xml_field state_fields[] = {
	{ "code", "code", XF_INT },
	{ "name", "name", XF_STRING },
	{ NULL }
};
static const struct xml_field reason_fields[] = {
	{ "code", "code", XF_STRING },
	{ "message", "message", XF_STRING },
	{ NULL }
};
static const struct xml_field placement_fields[] = {
	{ "availabilityZone", "availability_zone", XF_STRING },
	{ "groupName", "", XF_CONST },
	{ "tenancy", "default", XF_CONST },
	{ NULL }
};
static const struct xml_field group_item_fields[] = {
	{ "groupId", "id", XF_STRING },
	{ "groupName", "name", XF_STRING },
	{ NULL }
};
static const struct xml_field ebs_block_fields[] = {
	{ "volumeId", "volume_id", XF_STRING },
	{ "status", "status", XF_STRING },
	{ "attachTime", "attach_time", XF_STRING },
	{ "deleteOnTermination", "delete_on_termination", XF_BOOL },
	{ NULL }
};
static const struct xml_field bdm_item_fields[] = {
	{ "deviceName", "device_name", XF_STRING },
	{ "ebs", NULL, XF_NEST, ebs_block_fields },
	{ NULL }
};
static const struct xml_field monitoring_fields[] = {
	{ "state", "disabled", XF_CONST },
	{ NULL }
};
static const struct xml_field instance_fields[] = {
	{ "instanceId", "id", XF_STRING },
	{ "imageId", "image_id", XF_STRING },
	{ "instanceState", "state", XF_OBJECT, state_fields },
	{ "privateDnsName", "private_dns_name", XF_STRING },
	{ "dnsName", "public_dns_name", XF_STRING },
	{ "reason", "state_transition_reason", XF_STRING },
	{ "keyName", "key_name", XF_STRING },
	{ "amiLaunchIndex", "ami_launch_index", XF_INT },
	{ "instanceType", "instance_type", XF_STRING },
	{ "launchTime", "launch_time", XF_STRING },
	{ "placement", NULL, XF_NEST, placement_fields },
	{ "platform", "platform", XF_STRING },
	{ "monitoring", NULL, XF_NEST, monitoring_fields },
	{ "subnetId", "subnet_id", XF_STRING },
	{ "vpcId", "vpc_id", XF_STRING },
	{ "privateIpAddress", "private_ip", XF_STRING },
	{ "ipAddress", "public_ip", XF_STRING },
	{ "sourceDestCheck", "true", XF_CONST },
	{ "groupSet", "security_groups", XF_LIST, group_item_fields },
	{ "stateReason", "state_reason", XF_OBJECT, reason_fields },
	{ "architecture", "architecture", XF_STRING },
	{ "rootDeviceType", "root_device_type", XF_STRING },
	{ "rootDeviceName", "root_device_name", XF_STRING },
	{ "blockDeviceMapping", "block_device_mappings", XF_LIST,
	  bdm_item_fields },
	{ "virtualizationType", "hvm", XF_CONST },
	{ "clientToken", "client_token", XF_STRING },
	{ "tagSet", "tags", XF_TAGS },
	{ "hypervisor", "xen", XF_CONST },
	{ "ebsOptimized", "false", XF_CONST },
	{ "enaSupport", "true", XF_CONST },
	{ NULL }
};

/* <instancesSet> grouped into <reservationSet> items, in list order. */
static void
reservations(struct ec2_call *c, const char *set, json_t *items)
{
	json_t		*it;
	const char	*cur = NULL, *rid;
	size_t		 i;

	xml_open(&c->xml, set);
	json_array_foreach(items, i, it) {
		rid = json_string_value(json_object_get(it, "reservation_id"));
		if (cur == NULL || rid == NULL || strcmp(cur, rid) != 0) {
			if (cur != NULL) {
				xml_close(&c->xml);	/* instancesSet */
				xml_close(&c->xml);	/* item */
			}
			cur = rid != NULL ? rid : "";
			xml_open(&c->xml, "item");
			xml_text(&c->xml, "reservationId", cur);
			xml_text(&c->xml, "ownerId", json_string_value(
			    json_object_get(it, "account_id")));
			xml_open(&c->xml, "groupSet");
			xml_close(&c->xml);
			xml_open(&c->xml, "instancesSet");
		}
		xml_open(&c->xml, "item");
		xml_fields(&c->xml, it, instance_fields);
		xml_close(&c->xml);
	}
	if (cur != NULL) {
		xml_close(&c->xml);
		xml_close(&c->xml);
	}
	xml_close(&c->xml);
}

static const struct filter_map instance_filters[] = {
	{ "instance-id", "instance_id" },
	{ "instance-state-name", "state" },
	{ "instance-state-code", "state_code" },
	{ "instance-type", "instance_type" }, { "vpc-id", "vpc_id" },
	{ "subnet-id", "subnet_id" }, { "availability-zone", "availability_zone" },
	{ "image-id", "image_id" }, { "key-name", "key_name" },
	{ "reservation-id", "reservation_id" },
	{ "private-ip-address", "private_ip" }, { "ip-address", "public_ip" },
	{ NULL, NULL }
};

/* Describe into a JSON array (all pages), via the generic describe. */
static json_t *instances_found;

static void
collect_instance(struct ec2_call *c, json_t *it)
{
	(void)c;
	json_array_append(instances_found, it);
}

static const struct describe_spec instance_spec = { instance_describe,
    "InstanceId", "instance_id", "InvalidInstanceID.NotFound", "instance",
    instance_filters, NULL, NULL, 5, 1000, NULL, NULL, collect_instance };

/*
 * Every instance the call's ids, filters and page select, into
 * instances_found (request-owned).  ec2_describe writes a flat set, but
 * instances are grouped (reservations) or reshaped (statuses, credits):
 * it writes into a scratch document, of which only the next token is
 * kept (into *next, arena-owned, or NULL).
 */
static bool
collect_instances(struct ec2_call *c, const char **next, struct api_error *err)
{
	struct xml_out	 saved = c->xml, scratch;
	const char	*text;
	size_t		 len;
	bool		 ok;

	*next = NULL;
	instances_found = request_keep(c->req, json_array());
	if (!xml_begin(&scratch, "scratch", NULL, NULL))
		return api_error_internal(err);
	c->xml = scratch;
	ok = ec2_describe(c, &instance_spec, err);
	scratch = c->xml;
	c->xml = saved;
	if (ok && (text = xml_end(&scratch, &len)) != NULL &&
	    (text = strstr(text, "<nextToken>")) != NULL)
		*next = arena_strndup(c->req->arena, text + 11,
		    strcspn(text + 11, "<"));
	xml_free(&scratch);
	return ok;
}

bool
ec2_describe_instances(struct ec2_call *c, struct api_error *err)
{
	const char	*next;

	if (!collect_instances(c, &next, err))
		return false;
	reservations(c, "reservationSet", instances_found);
	if (next != NULL)
		xml_text(&c->xml, "nextToken", next);
	return true;
}

/*
 * BlockDeviceMapping.N (DeviceName, Ebs.VolumeSize, Ebs.VolumeType,
 * Ebs.Iops, Ebs.DeleteOnTermination) as the launch service takes them:
 * the AMI's root device sets the root volume, any other device is a
 * new data volume.  NoDevice and VirtualName (instance store) map
 * nothing cloudsim has, and are skipped.
 */
static bool
block_devices(struct ec2_call *c, struct instance_run_params *p,
    struct api_error *err)
{
	struct instance_block_device	*b;
	char				 name[80];
	const char			*v;
	bool				 dot;
	int				 i, n = 0;

	b = arena_calloc(c->req->arena, INSTANCE_BLOCK_DEVICES_MAX + 1,
	    sizeof(*b));
#define BDM(field) (snprintf(name, sizeof(name), "BlockDeviceMapping.%d.%s", \
		    i, field), name)
	for (i = 1; i <= 100; i++) {
		if ((v = ec2_param(c, BDM("DeviceName"))) == NULL ||
		    ec2_param(c, BDM("NoDevice")) != NULL ||
		    ec2_param(c, BDM("VirtualName")) != NULL)
			continue;
		if (n == INSTANCE_BLOCK_DEVICES_MAX)
			return api_error_set(err, 400,
			    "InvalidBlockDeviceMapping", "at most %d block "
			    "device mappings", INSTANCE_BLOCK_DEVICES_MAX);
		b[n].device_name = v;
		b[n].delete_on_termination = -1;
		if ((v = ec2_param(c, BDM("Ebs.VolumeSize"))) != NULL)
			b[n].volume_size = strtoll(v, NULL, 10);
		b[n].volume_type = ec2_optional(c, BDM("Ebs.VolumeType"));
		if ((v = ec2_param(c, BDM("Ebs.Iops"))) != NULL)
			b[n].iops = strtoll(v, NULL, 10);
		if (ec2_param(c, BDM("Ebs.SnapshotId")) != NULL)
			return api_error_set(err, 400,
			    "InvalidBlockDeviceMapping", "cloudsim makes data "
			    "volumes empty: Ebs.SnapshotId is not supported at "
			    "launch (CreateVolume takes a snapshot)");
		if (ec2_param(c, BDM("Ebs.DeleteOnTermination")) != NULL) {
			if (!ec2_bool(c, name, true, &dot, err))
				return false;
			b[n].delete_on_termination = dot;
		}
		n++;
	}
#undef BDM
	p->block_devices = b;
	p->nblock_devices = (size_t)n;
	return true;
}

bool
ec2_run_instances(struct ec2_call *c, struct api_error *err)
{
	struct instance_run_params	 p = { 0 };
	struct str_list			 groups = ec2_list(c, "SecurityGroupId");
	struct str_list			 names = ec2_list(c, "SecurityGroup");
	const char			*v;
	json_t				*r;

	if (!ec2_required(c, "ImageId", &p.image_id, err) ||
	    !ec2_required(c, "InstanceType", &p.instance_type, err) ||
	    !ec2_tag_specs(c, "instance", &p.tags, err) ||
	    !block_devices(c, &p, err))
		return false;
	p.min_count = (v = ec2_param(c, "MinCount")) ? strtoll(v, NULL, 10) : 1;
	p.max_count = (v = ec2_param(c, "MaxCount")) ? strtoll(v, NULL, 10) : 1;
	p.subnet_id = ec2_optional(c, "SubnetId");
	p.availability_zone = ec2_optional(c, "Placement.AvailabilityZone");
	p.security_group_ids = (const char *const *)groups.v;
	p.nsecurity_groups = groups.n;
	p.security_group_names = (const char *const *)names.v;
	p.nsecurity_group_names = names.n;
	p.key_name = ec2_optional(c, "KeyName");
	p.user_data = ec2_optional(c, "UserData");
	p.client_token = ec2_optional(c, "ClientToken");
	if ((r = request_keep(c->req, instance_run(c->req, &p, err))) == NULL)
		return false;
	xml_text(&c->xml, "reservationId", json_string_value(
	    json_object_get(r, "reservation_id")));
	xml_text(&c->xml, "ownerId", json_string_value(
	    json_object_get(r, "owner_id")));
	xml_open(&c->xml, "groupSet");
	xml_close(&c->xml);
	xml_list(&c->xml, "instancesSet", json_object_get(r, "items"),
	    instance_fields);
	return true;
}

static const struct xml_field change_fields[] = {
	{ "instanceId", "id", XF_STRING },
	{ "currentState", "current_state", XF_OBJECT, state_fields },
	{ "previousState", "previous_state", XF_OBJECT, state_fields },
	{ NULL }
};

static bool
change(struct ec2_call *c, enum instance_action a, struct api_error *err)
{
	struct str_list	 ids = ec2_list(c, "InstanceId");
	json_t		*r;
	bool		 force;

	if (ids.n == 0)
		return api_error_missing(err, "InstanceId.1");
	if (!ec2_bool(c, "Force", false, &force, err) ||
	    (r = request_keep(c->req, instance_change_state(c->req, a,
	    ids.v, ids.n, force, err))) == NULL)
		return false;
	if (a == INSTANCE_REBOOT)
		ec2_return_true(c);
	else
		xml_list(&c->xml, "instancesSet", json_object_get(r, "items"),
		    change_fields);
	return true;
}

bool
ec2_start_instances(struct ec2_call *c, struct api_error *err)
{
	return change(c, INSTANCE_START, err);
}

bool
ec2_stop_instances(struct ec2_call *c, struct api_error *err)
{
	return change(c, INSTANCE_STOP, err);
}

bool
ec2_reboot_instances(struct ec2_call *c, struct api_error *err)
{
	return change(c, INSTANCE_REBOOT, err);
}

bool
ec2_terminate_instances(struct ec2_call *c, struct api_error *err)
{
	return change(c, INSTANCE_TERMINATE, err);
}

static const struct xml_field check_fields[] = {
	{ "status", "status", XF_STRING },
	{ NULL }
};

bool
ec2_describe_instance_status(struct ec2_call *c, struct api_error *err)
{
	json_t		*it, *st;
	const char	*name, *next;
	size_t		 i;
	bool		 all;

	if (!ec2_bool(c, "IncludeAllInstances", false, &all, err) ||
	    !collect_instances(c, &next, err))
		return false;
	xml_open(&c->xml, "instanceStatusSet");
	json_array_foreach(instances_found, i, it) {
		name = json_string_value(json_object_get(json_object_get(it,
		    "state"), "name"));
		if (!all && (name == NULL || strcmp(name, "running") != 0))
			continue;
		/* Checks pass once running; before, EC2 says initializing. */
		st = json_pack("{s:s}", "status", name && !strcmp(name,
		    "running") ? "ok" : "not-applicable");
		xml_open(&c->xml, "item");
		xml_fields(&c->xml, it, (const struct xml_field[]){
		    { "instanceId", "id", XF_STRING },
		    { "availabilityZone", "availability_zone", XF_STRING },
		    { "instanceState", "state", XF_OBJECT, state_fields },
		    { NULL } });
		xml_open(&c->xml, "systemStatus");
		xml_fields(&c->xml, st, check_fields);
		xml_close(&c->xml);
		xml_open(&c->xml, "instanceStatus");
		xml_fields(&c->xml, st, check_fields);
		xml_close(&c->xml);
		xml_close(&c->xml);
		json_decref(st);
	}
	xml_close(&c->xml);
	if (next != NULL)
		xml_text(&c->xml, "nextToken", next);
	return true;
}

/*
 * The attributes cloudsim holds fixed, at the values it reports
 * (DescribeInstanceAttribute): setting one to that value changes
 * nothing and succeeds, as it would on EC2 (terraform turns termination
 * protection off before it terminates); another value is refused.
 */
static const struct fixed_attribute {
	const char	*param;		/* "DisableApiTermination" */
	const char	*value;		/* what cloudsim reports */
} fixed_attributes[] = {
	{ "DisableApiTermination", "false" },
	{ "DisableApiStop", "false" },
	{ "SourceDestCheck", "true" },
	{ "EbsOptimized", "false" },
	{ NULL, NULL }
};

/* Is a fixed attribute given (*given), and at its value?  400 if not. */
static bool
fixed_attribute(struct ec2_call *c, bool *given, struct api_error *err)
{
	const struct fixed_attribute	*f;
	const char			*attr = ec2_param(c, "Attribute");
	const char			*v;
	char				 name[64];

	*given = false;
	for (f = fixed_attributes; f->param != NULL; f++) {
		snprintf(name, sizeof(name), "%s.Value", f->param);
		if ((v = ec2_param(c, name)) == NULL && attr != NULL &&
		    strncasecmp(attr, f->param, 1) == 0 &&
		    strcmp(attr + 1, f->param + 1) == 0)
			v = ec2_param(c, "Value");
		if (v == NULL)
			continue;
		*given = true;
		if (strcasecmp(v, f->value) != 0)
			return api_error_invalid(err, "%s cannot be changed in "
			    "cloudsim (it is always %s), got '%s'", f->param,
			    f->value, v);
	}
	return true;
}

bool
ec2_modify_instance_attribute(struct ec2_call *c, struct api_error *err)
{
	struct instance_modify_params	 p = { 0 };
	const char			*id, *attr;
	bool				 fixed;

	if (!ec2_required(c, "InstanceId", &id, err) ||
	    !fixed_attribute(c, &fixed, err))
		return false;
	p.instance_type = ec2_param(c, "InstanceType.Value");
	attr = ec2_param(c, "Attribute");
	if (p.instance_type == NULL && attr != NULL &&
	    strcmp(attr, "instanceType") == 0)
		p.instance_type = ec2_param(c, "Value");
	if (p.instance_type == NULL && !fixed)
		return api_error_invalid(err, "only the instanceType "
		    "attribute can be modified in cloudsim");
	if (p.instance_type == NULL) {
		/* Still an unknown or malformed id is an error, as in EC2. */
		if (request_keep(c->req, instance_get(c->req, id, err)) == NULL)
			return false;
	} else if (request_keep(c->req, instance_modify(c->req, id, &p,
	    err)) == NULL)
		return false;
	ec2_return_true(c);
	return true;
}

/*
 * cloudsim keeps no UEFI variable store: a known instance answers
 * without uefiData, an id that is not an instance's as EC2 would.
 * (terraform's aws_ami data source asks this of the AMI's id and
 * ignores the error.)
 */
bool
ec2_get_instance_uefi_data(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "InstanceId", &id, err) ||
	    request_keep(c->req, instance_get(c->req, id, err)) == NULL)
		return false;
	xml_text(&c->xml, "instanceId", id);
	return true;
}

bool
ec2_describe_instance_attribute(struct ec2_call *c, struct api_error *err)
{
	const char	*id, *attr, *v = NULL;
	json_t		*i;

	if (!ec2_required(c, "InstanceId", &id, err) ||
	    !ec2_required(c, "Attribute", &attr, err))
		return false;
	if (strcmp(attr, "userData") == 0) {
		if ((i = request_keep(c->req, instance_user_data(c->req, id,
		    err))) == NULL)
			return false;
		xml_text(&c->xml, "instanceId", id);
		xml_open(&c->xml, "userData");
		if ((v = json_string_value(json_object_get(i, "user_data"))))
			xml_text(&c->xml, "value", v);
		xml_close(&c->xml);
		return true;
	}
	if ((i = request_keep(c->req, instance_get(c->req, id, err))) == NULL)
		return false;
	xml_text(&c->xml, "instanceId", id);
	if (strcmp(attr, "instanceType") == 0)
		v = json_string_value(json_object_get(i, "instance_type"));
	else if (strcmp(attr, "rootDeviceName") == 0)
		v = json_string_value(json_object_get(i, "root_device_name"));
	else if (strcmp(attr, "disableApiTermination") == 0 ||
	    strcmp(attr, "disableApiStop") == 0 ||
	    strcmp(attr, "ebsOptimized") == 0)
		v = "false";
	else if (strcmp(attr, "instanceInitiatedShutdownBehavior") == 0)
		v = "stop";
	else if (strcmp(attr, "sourceDestCheck") == 0)
		v = "true";
	else if (strcmp(attr, "groupSet") == 0) {
		xml_list(&c->xml, "groupSet", json_object_get(i,
		    "security_groups"), group_item_fields);
		return true;
	} else if (strcmp(attr, "blockDeviceMapping") == 0) {
		xml_list(&c->xml, "blockDeviceMapping", json_object_get(i,
		    "block_device_mappings"), bdm_item_fields);
		return true;
	} else
		return api_error_invalid(err, "the attribute '%s' is not "
		    "supported", attr);
	xml_open(&c->xml, attr);
	xml_text(&c->xml, "value", v);
	xml_close(&c->xml);
	return true;
}

/* t2 credits are standard; the later burstable families default to unlimited. */
bool
ec2_describe_instance_credit_specifications(struct ec2_call *c,
    struct api_error *err)
{
	json_t		*it;
	const char	*type, *next;
	size_t		 i;

	if (!collect_instances(c, &next, err))
		return false;
	xml_open(&c->xml, "instanceCreditSpecificationSet");
	json_array_foreach(instances_found, i, it) {
		type = json_string_value(json_object_get(it, "instance_type"));
		if (type == NULL || type[0] != 't')
			continue;
		xml_open(&c->xml, "item");
		xml_text(&c->xml, "instanceId", json_string_value(
		    json_object_get(it, "id")));
		xml_text(&c->xml, "cpuCredits", strncmp(type, "t2.", 3) == 0 ?
		    "standard" : "unlimited");
		xml_close(&c->xml);
	}
	xml_close(&c->xml);
	if (next != NULL)
		xml_text(&c->xml, "nextToken", next);
	return true;
}

/* --- key pairs ------------------------------------------------------------ */

static const struct xml_field key_fields[] = {
	{ "keyPairId", "id", XF_STRING },
	{ "keyName", "name", XF_STRING },
	{ "keyFingerprint", "fingerprint", XF_STRING },
	{ "keyType", "key_type", XF_STRING },
	{ "publicKey", "public_key", XF_STRING },
	{ "createTime", "created_at", XF_STRING },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

bool
ec2_create_key_pair(struct ec2_call *c, struct api_error *err)
{
	struct key_pair_create_params	 p = { 0 };
	json_t				*k;

	if (!ec2_required(c, "KeyName", &p.name, err) ||
	    !ec2_tag_specs(c, "key-pair", &p.tags, err))
		return false;
	p.key_type = ec2_param(c, "KeyType");
	if ((k = request_keep(c->req, key_pair_create(c->req, &p, err))) == NULL)
		return false;
	xml_fields(&c->xml, k, (const struct xml_field[]){
	    { "keyName", "name", XF_STRING },
	    { "keyFingerprint", "fingerprint", XF_STRING },
	    { "keyMaterial", "private_key", XF_STRING },
	    { "keyPairId", "id", XF_STRING },
	    { "tagSet", "tags", XF_TAGS },
	    { NULL } });
	return true;
}

bool
ec2_import_key_pair(struct ec2_call *c, struct api_error *err)
{
	struct key_pair_import_params	 p = { 0 };
	const char			*b64;
	unsigned char			*raw;
	size_t				 len;
	json_t				*k;

	if (!ec2_required(c, "KeyName", &p.name, err) ||
	    !ec2_required(c, "PublicKeyMaterial", &b64, err) ||
	    !ec2_tag_specs(c, "key-pair", &p.tags, err))
		return false;
	/* The SDKs send the key line base64-encoded (it is a blob). */
	if (!base64_decode(c->req->arena, b64, strlen(b64), &raw, &len))
		return api_error_set(err, 400, "InvalidKey.Format",
		    "PublicKeyMaterial must be a base64-encoded OpenSSH "
		    "public key");
	p.public_key = (const char *)raw;
	if ((k = request_keep(c->req, key_pair_import(c->req, &p, err))) == NULL)
		return false;
	xml_fields(&c->xml, k, (const struct xml_field[]){
	    { "keyName", "name", XF_STRING },
	    { "keyFingerprint", "fingerprint", XF_STRING },
	    { "keyPairId", "id", XF_STRING },
	    { "tagSet", "tags", XF_TAGS },
	    { NULL } });
	return true;
}

static const struct filter_map key_filters[] = {
	{ "key-name", "key_name" }, { "key-pair-id", "key_pair_id" },
	{ "fingerprint", "fingerprint" }, { "key-type", "key_type" },
	{ NULL, NULL }
};

bool
ec2_describe_key_pairs(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { key_pair_describe,
	    "KeyPairId", "key_pair_id", "InvalidKeyPair.NotFound", "key pair",
	    key_filters, "KeyName", "key_name", 5, 1000, "keySet",
	    key_fields, NULL };
	struct str_list	names = ec2_list(c, "KeyName");
	size_t		i;
	json_t		*k;

	/* Unknown names are an error in EC2, as unknown ids are. */
	for (i = 0; i < names.n; i++)
		if (request_keep(c->req, key_pair_get(c->req, names.v[i],
		    err)) == NULL)
			return false;
	(void)k;
	return ec2_describe(c, &spec, err);
}

bool
ec2_delete_key_pair(struct ec2_call *c, struct api_error *err)
{
	const char	*name = ec2_param(c, "KeyPairId");
	struct api_error e;

	if (name == NULL && (name = ec2_param(c, "KeyName")) == NULL)
		return api_error_missing(err, "KeyName");
	/* EC2 answers true for a key that is already gone. */
	if (!key_pair_delete(c->req, name, &e) && e.status != 404) {
		*err = e;
		return false;
	}
	ec2_return_true(c);
	return true;
}

/* --- volumes and snapshots ----------------------------------------------------- */

static const struct xml_field attachment_fields[] = {
	{ "volumeId", "volume_id", XF_STRING },
	{ "instanceId", "instance_id", XF_STRING },
	{ "device", "device", XF_STRING },
	{ "status", "state", XF_STRING },
	{ "attachTime", "attach_time", XF_STRING },
	{ "deleteOnTermination", "delete_on_termination", XF_BOOL },
	{ NULL }
};
static const struct xml_field volume_fields[] = {
	{ "volumeId", "id", XF_STRING },
	{ "size", "size", XF_INT },
	{ "snapshotId", "snapshot_id", XF_STRING },
	{ "availabilityZone", "availability_zone", XF_STRING },
	{ "status", "state", XF_STRING },
	{ "createTime", "create_time", XF_STRING },
	{ "attachmentSet", "attachments", XF_LIST, attachment_fields },
	{ "volumeType", "volume_type", XF_STRING },
	{ "iops", "iops", XF_INT },
	{ "throughput", "throughput", XF_INT },
	{ "encrypted", "encrypted", XF_BOOL },
	{ "kmsKeyId", "kms_key_id", XF_STRING },
	{ "multiAttachEnabled", "multi_attach_enabled", XF_BOOL },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

static const struct filter_map volume_filters[] = {
	{ "volume-id", "volume_id" }, { "status", "status" },
	{ "volume-type", "volume_type" },
	{ "availability-zone", "availability_zone" },
	{ "snapshot-id", "snapshot_id" }, { "encrypted", "encrypted" },
	{ "size", "size" }, { "attachment.instance-id", "attachment_instance_id" },
	{ "attachment.status", "attachment_status" },
	{ "attachment.device", "attachment_device" },
	{ "attachment.delete-on-termination", "attachment_delete_on_termination" },
	{ NULL, NULL }
};

bool
ec2_describe_volumes(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { volume_describe, "VolumeId",
	    "volume_id", "InvalidVolume.NotFound", "volume", volume_filters,
	    NULL, NULL, 5, 500, "volumeSet", volume_fields, NULL };

	return ec2_describe(c, &spec, err);
}

/* An integer parameter into a struct volume_int. */
static void
vol_int(struct ec2_call *c, const char *name, struct volume_int *out)
{
	const char	*v = ec2_param(c, name);

	out->set = v != NULL;
	out->value = v != NULL ? strtoll(v, NULL, 10) : 0;
}

bool
ec2_create_volume(struct ec2_call *c, struct api_error *err)
{
	struct volume_create_params	 p = { 0 };
	json_t				*v;

	if (!ec2_required(c, "AvailabilityZone", &p.availability_zone, err) ||
	    !ec2_bool(c, "Encrypted", false, &p.encrypted, err) ||
	    !ec2_tag_specs(c, "volume", &p.tags, err))
		return false;
	vol_int(c, "Size", &p.size);
	vol_int(c, "Iops", &p.iops);
	vol_int(c, "Throughput", &p.throughput);
	p.volume_type = ec2_param(c, "VolumeType");
	p.snapshot_id = ec2_param(c, "SnapshotId");
	p.kms_key_id = ec2_param(c, "KmsKeyId");
	p.client_token = ec2_param(c, "ClientToken");
	if ((v = request_keep(c->req, volume_create(c->req, &p, err))) == NULL)
		return false;
	xml_fields(&c->xml, v, volume_fields);
	return true;
}

bool
ec2_delete_volume(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "VolumeId", &id, err) ||
	    !volume_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_attach_volume(struct ec2_call *c, struct api_error *err)
{
	struct volume_attach_params	 p = { 0 };
	const char			*id;
	json_t				*a;

	if (!ec2_required(c, "VolumeId", &id, err) ||
	    !ec2_required(c, "InstanceId", &p.instance_id, err) ||
	    !ec2_required(c, "Device", &p.device, err) ||
	    (a = request_keep(c->req, volume_attach(c->req, id, &p, err))) ==
	    NULL)
		return false;
	xml_fields(&c->xml, a, attachment_fields);
	return true;
}

bool
ec2_detach_volume(struct ec2_call *c, struct api_error *err)
{
	struct volume_detach_params	 p = { 0 };
	const char			*id;
	json_t				*a;

	if (!ec2_required(c, "VolumeId", &id, err) ||
	    !ec2_bool(c, "Force", false, &p.force, err))
		return false;
	p.instance_id = ec2_param(c, "InstanceId");
	p.device = ec2_param(c, "Device");
	if ((a = request_keep(c->req, volume_detach(c->req, id, &p, err))) ==
	    NULL)
		return false;
	xml_fields(&c->xml, a, attachment_fields);
	return true;
}

bool
ec2_modify_volume(struct ec2_call *c, struct api_error *err)
{
	struct volume_modify_params	 p = { 0 };
	const char			*id;
	json_t				*before, *after;
	char				 now[32];

	if (!ec2_required(c, "VolumeId", &id, err) ||
	    (before = request_keep(c->req, volume_get(c->req, id, err))) ==
	    NULL)
		return false;
	vol_int(c, "Size", &p.size);
	vol_int(c, "Iops", &p.iops);
	vol_int(c, "Throughput", &p.throughput);
	p.volume_type = ec2_param(c, "VolumeType");
	if ((after = request_keep(c->req, volume_modify(c->req, id, &p,
	    err))) == NULL)
		return false;
	snprintf(now, sizeof(now), "%s", json_string_value(json_object_get(
	    after, "create_time")) ? json_string_value(json_object_get(after,
	    "create_time")) : "");
	/* The change is immediate in cloudsim: the modification is complete. */
	xml_open(&c->xml, "volumeModification");
	xml_text(&c->xml, "volumeId", id);
	xml_text(&c->xml, "modificationState", "completed");
	xml_fields(&c->xml, after, (const struct xml_field[]){
	    { "targetSize", "size", XF_INT },
	    { "targetVolumeType", "volume_type", XF_STRING },
	    { "targetIops", "iops", XF_INT },
	    { "targetThroughput", "throughput", XF_INT },
	    { NULL } });
	xml_fields(&c->xml, before, (const struct xml_field[]){
	    { "originalSize", "size", XF_INT },
	    { "originalVolumeType", "volume_type", XF_STRING },
	    { "originalIops", "iops", XF_INT },
	    { "originalThroughput", "throughput", XF_INT },
	    { NULL } });
	xml_text(&c->xml, "progress", "100");
	xml_close(&c->xml);
	return true;
}

static const struct xml_field snapshot_fields[] = {
	{ "snapshotId", "id", XF_STRING },
	{ "volumeId", "volume_id", XF_STRING },
	{ "status", "state", XF_STRING },
	{ "startTime", "start_time", XF_STRING },
	{ "progress", "progress", XF_STRING },
	{ "ownerId", "owner_id", XF_STRING },
	{ "volumeSize", "volume_size", XF_INT },
	{ "description", "description", XF_STRING },
	{ "encrypted", "encrypted", XF_BOOL },
	{ "kmsKeyId", "kms_key_id", XF_STRING },
	{ "tagSet", "tags", XF_TAGS },
	{ NULL }
};

static const struct filter_map snapshot_filters[] = {
	{ "snapshot-id", "snapshot_id" }, { "volume-id", "volume_id" },
	{ "status", "status" }, { "encrypted", "encrypted" },
	{ "owner-id", "owner_id" }, { "volume-size", "volume_size" },
	{ "description", "description" }, { NULL, NULL }
};

bool
ec2_describe_snapshots(struct ec2_call *c, struct api_error *err)
{
	static const struct describe_spec spec = { snapshot_describe,
	    "SnapshotId", "snapshot_id", "InvalidSnapshot.NotFound",
	    "snapshot", snapshot_filters, "OwnerId", "owner_id", 5, 1000,
	    "snapshotSet", snapshot_fields, NULL };
	struct str_list	owners = ec2_list(c, "Owner");
	size_t		i;

	/* Owner.N=self is the caller's own: every snapshot it can see. */
	for (i = 0; i < owners.n; i++)
		if (strcmp(owners.v[i], "self") != 0 &&
		    strcmp(owners.v[i], c->req->principal.account_id) != 0)
			return api_error_invalid(err, "only Owner 'self' is "
			    "supported (snapshots are private), got '%s'",
			    owners.v[i]);
	return ec2_describe(c, &spec, err);
}

bool
ec2_create_snapshot(struct ec2_call *c, struct api_error *err)
{
	struct snapshot_create_params	 p = { 0 };
	const char			*vol;
	json_t				*s;

	if (!ec2_required(c, "VolumeId", &vol, err) ||
	    !ec2_tag_specs(c, "snapshot", &p.tags, err))
		return false;
	p.description = ec2_param(c, "Description");
	if ((s = request_keep(c->req, snapshot_create(c->req, vol, &p, err))) ==
	    NULL)
		return false;
	xml_fields(&c->xml, s, snapshot_fields);
	return true;
}

bool
ec2_delete_snapshot(struct ec2_call *c, struct api_error *err)
{
	const char	*id;

	if (!ec2_required(c, "SnapshotId", &id, err) ||
	    !snapshot_delete(c->req, id, err))
		return false;
	ec2_return_true(c);
	return true;
}
