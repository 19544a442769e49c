/*
 * Describe actions over the seeded catalog: regions, zones, images,
 * instance types, account attributes.  Each maps EC2's parameters and
 * filters onto the catalog service and declares its response shape.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "instances/catalog.h"
#include "actions.h"
#include "query.h"
#include "xml.h"

/* Keep items valid until the request ends; NULL passes through. */
static json_t *
owned(struct ec2_call *c, json_t *items)
{
	return request_keep(c->req, items);
}

static const struct xml_field region_fields[] = {
	{ "regionName", "name", XF_STRING },
	{ "regionEndpoint", "endpoint", XF_STRING },
	{ "optInStatus", "opt_in_status", XF_STRING },
	{ NULL }
};

bool
ec2_describe_regions(struct ec2_call *c, struct api_error *err)
{
	struct region_query	 q = { 0 };
	json_t			*items;
	bool			 all;

	q.names = ec2_list(c, "RegionName");
	q.name_patterns = ec2_filter(c, "region-name");
	q.endpoints = ec2_filter(c, "endpoint");
	q.opt_in_statuses = ec2_filter(c, "opt-in-status");
	/* Every account is opted in everywhere: AllRegions adds nothing. */
	if (!ec2_bool(c, "AllRegions", false, &all, err) ||
	    !ec2_filters_done(c, err) ||
	    (items = owned(c, catalog_regions(c->req, &q, err))) == NULL)
		return false;
	xml_list(&c->xml, "regionInfo", items, region_fields);
	return true;
}

static const struct xml_field zone_fields[] = {
	{ "zoneName", "name", XF_STRING },
	{ "zoneState", "state", XF_STRING },
	{ "regionName", "region", XF_STRING },
	{ "zoneId", "zone_id", XF_STRING },
	{ "zoneType", "zone_type", XF_STRING },
	{ "groupName", "group_name", XF_STRING },
	{ "networkBorderGroup", "network_border_group", XF_STRING },
	{ "optInStatus", "opt_in_status", XF_STRING },
	{ NULL }
};

bool
ec2_describe_availability_zones(struct ec2_call *c, struct api_error *err)
{
	struct zone_query	 q = { 0 };
	json_t			*items;

	q.region = c->region;
	q.names = ec2_list(c, "ZoneName");
	q.ids = ec2_list(c, "ZoneId");
	q.name_patterns = ec2_filter(c, "zone-name");
	q.id_patterns = ec2_filter(c, "zone-id");
	/* Zones are per region: a region-name filter for another is empty. */
	q.region_patterns = ec2_filter(c, "region-name");
	q.states = ec2_filter(c, "state");
	q.zone_types = ec2_filter(c, "zone-type");
	if (!ec2_filters_done(c, err) ||
	    (items = owned(c, catalog_zones(c->req, &q, err))) == NULL)
		return false;
	xml_list(&c->xml, "availabilityZoneInfo", items, zone_fields);
	return true;
}

static const struct xml_field ebs_fields[] = {
	{ "volumeSize", "volume_size", XF_INT },
	{ "deleteOnTermination", "delete_on_termination", XF_BOOL },
	{ "volumeType", "volume_type", XF_STRING },
	{ "encrypted", "encrypted", XF_BOOL },
	{ NULL }
};

static const struct xml_field bdm_fields[] = {
	{ "deviceName", "device_name", XF_STRING },
	{ "ebs", "ebs", XF_OBJECT, ebs_fields },
	{ NULL }
};

static const struct xml_field image_fields[] = {
	{ "imageId", "id", XF_STRING },
	{ "imageLocation", "image_location", XF_STRING },
	{ "imageState", "state", XF_STRING },
	{ "imageOwnerId", "owner_id", XF_STRING },
	{ "creationDate", "creation_date", XF_STRING },
	{ "isPublic", "public", XF_BOOL },
	{ "architecture", "architecture", XF_STRING },
	{ "imageType", "image_type", XF_STRING },
	{ "platform", "platform", XF_STRING },
	{ "platformDetails", "platform_details", XF_STRING },
	{ "usageOperation", "usage_operation", XF_STRING },
	{ "imageOwnerAlias", "owner_alias", XF_STRING },
	{ "name", "name", XF_STRING },
	{ "description", "description", XF_STRING },
	{ "rootDeviceType", "root_device_type", XF_STRING },
	{ "rootDeviceName", "root_device_name", XF_STRING },
	{ "blockDeviceMapping", "block_device_mappings", XF_LIST, bdm_fields },
	{ "virtualizationType", "virtualization_type", XF_STRING },
	{ "hypervisor", "hypervisor", XF_STRING },
	{ "enaSupport", "ena_support", XF_BOOL },
	{ "bootMode", "boot_mode", XF_STRING },
	{ "imdsSupport", "imds_support", XF_STRING },
	{ NULL }
};

bool
ec2_describe_images(struct ec2_call *c, struct api_error *err)
{
	struct image_query	 q = { 0 };
	struct str_list		 more;
	json_t			*items;

	q.ids = ec2_list(c, "ImageId");
	if ((more = ec2_filter(c, "image-id")).n > 0)
		q.ids = more;
	q.owners = ec2_list(c, "Owner");
	if ((more = ec2_filter(c, "owner-id")).n > 0)
		q.owners = more;
	q.owner_aliases = ec2_filter(c, "owner-alias");
	q.names = ec2_filter(c, "name");
	q.architectures = ec2_filter(c, "architecture");
	q.platforms = ec2_filter(c, "platform");
	q.states = ec2_filter(c, "state");
	q.root_device_types = ec2_filter(c, "root-device-type");
	q.virtualization_types = ec2_filter(c, "virtualization-type");
	q.descriptions = ec2_filter(c, "description");
	(void)ec2_filter(c, "is-public");	/* every catalog image is */
	if (!ec2_filters_done(c, err) ||
	    (items = owned(c, catalog_images(c->req, &q, err))) == NULL)
		return false;
	xml_list(&c->xml, "imagesSet", items, image_fields);
	return true;
}

static const struct xml_field vcpu_fields[] = {
	{ "defaultVCpus", "vcpus", XF_INT },
	{ "defaultCores", "default_cores", XF_INT },
	{ "defaultThreadsPerCore", "default_threads_per_core", XF_INT },
	{ NULL }
};
static const struct xml_field processor_fields[] = {
	{ "supportedArchitectures", "architectures", XF_STRINGS },
	{ NULL }
};
static const struct xml_field memory_fields[] = {
	{ "sizeInMiB", "memory_mib", XF_INT },
	{ NULL }
};
static const struct xml_field ebs_info_fields[] = {
	{ "ebsOptimizedSupport", "ebs_optimized_support", XF_STRING },
	{ "encryptionSupport", "supported", XF_CONST },
	{ NULL }
};
static const struct xml_field network_fields[] = {
	{ "networkPerformance", "network_performance", XF_STRING },
	{ NULL }
};
static const struct xml_field type_fields[] = {
	{ "instanceType", "name", XF_STRING },
	{ "currentGeneration", "current_generation", XF_BOOL },
	{ "freeTierEligible", "free_tier_eligible", XF_BOOL },
	{ "bareMetal", "false", XF_CONST },
	{ "hypervisor", "hypervisor", XF_STRING },
	{ "processorInfo", NULL, XF_NEST, processor_fields },
	{ "vCpuInfo", NULL, XF_NEST, vcpu_fields },
	{ "memoryInfo", NULL, XF_NEST, memory_fields },
	{ "instanceStorageSupported", "false", XF_CONST },
	{ "ebsInfo", NULL, XF_NEST, ebs_info_fields },
	{ "networkInfo", NULL, XF_NEST, network_fields },
	{ "burstablePerformanceSupported", "burstable", XF_BOOL },
	{ NULL }
};

/* EC2's MaxResults page of items (a new array), and the next token. */
static json_t *
page(struct ec2_call *c, json_t *items, long max, long offset,
    const char **next)
{
	json_t	*out = json_array();
	long	 i, n = (long)json_array_size(items);

	*next = NULL;
	for (i = offset; i < n && (max == 0 || i < offset + max); i++)
		json_array_append(out, json_array_get(items, (size_t)i));
	if (max > 0 && offset + max < n)
		*next = ec2_next_token(c, offset + max);
	return owned(c, out);
}

bool
ec2_describe_instance_types(struct ec2_call *c, struct api_error *err)
{
	struct type_query	 q = { 0 };
	json_t			*items;
	const char		*next;
	long			 max, offset;

	q.names = ec2_list(c, "InstanceType");
	q.architectures = ec2_filter(c, "processor-info.supported-architecture");
	q.burstable = ec2_filter(c, "burstable-performance-supported");
	q.free_tier = ec2_filter(c, "free-tier-eligible");
	q.current_generation = ec2_filter(c, "current-generation");
	q.vcpus = ec2_filter(c, "vcpu-info.default-vcpus");
	q.memory_mib = ec2_filter(c, "memory-info.size-in-mib");
	q.hypervisors = ec2_filter(c, "hypervisor");
	if (!ec2_filters_done(c, err) ||
	    !ec2_paging(c, 5, 100, q.names.n > 0 ? "InstanceType" : NULL,
	    &max, &offset, err) ||
	    (items = owned(c, catalog_instance_types(c->req, &q, err))) == NULL)
		return false;
	xml_list(&c->xml, "instanceTypeSet", page(c, items, max, offset, &next),
	    type_fields);
	if (next != NULL)
		xml_text(&c->xml, "nextToken", next);
	return true;
}

static void
attribute(struct ec2_call *c, const struct str_list *want, const char *name,
    const char *value)
{
	size_t	i;

	for (i = 0; i < want->n; i++)
		if (strcmp(want->v[i], name) == 0)
			break;
	if (want->n > 0 && i == want->n)
		return;
	xml_open(&c->xml, "item");
	xml_text(&c->xml, "attributeName", name);
	xml_open(&c->xml, "attributeValueSet");
	xml_open(&c->xml, "item");
	xml_text(&c->xml, "attributeValue", value);
	xml_close(&c->xml);
	xml_close(&c->xml);
	xml_close(&c->xml);
}

static struct db_stmt q_default_vpc_id = DB_STMT(
    "SELECT id FROM cloudsim.vpcs WHERE account_id = $1 AND region = $2"
    " AND is_default");

bool
ec2_describe_account_attributes(struct ec2_call *c, struct api_error *err)
{
	struct str_list	 want = ec2_list(c, "AttributeName");
	const char	*params[2] = { c->req->principal.account_id, c->region };
	PGresult	*r;

	if (!ec2_filters_done(c, err) ||
	    (r = db_exec(c->req, &q_default_vpc_id, 2, params, err)) == NULL)
		return false;
	xml_open(&c->xml, "accountAttributeSet");
	attribute(c, &want, "supported-platforms", "VPC");
	attribute(c, &want, "default-vpc", PQntuples(r) > 0 ?
	    db_get(r, 0, "id") : "none");
	attribute(c, &want, "max-instances",
	    config_get("quota_instances_per_region"));
	attribute(c, &want, "vpc-max-security-groups-per-interface", "5");
	attribute(c, &want, "max-elastic-ips", "5");
	attribute(c, &want, "vpc-max-elastic-ips", "5");
	xml_close(&c->xml);
	return true;
}
