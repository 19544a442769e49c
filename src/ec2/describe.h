/*
 * The common shape of EC2's Describe actions over a REST service's list:
 * id lists (VpcId.N) and Filter.N turned into the service's filters,
 * MaxResults/NextToken turned into its pages (everything when no
 * MaxResults), unknown ids reported as EC2 does, and the items written
 * as <set><item>… with the resource's field table.
 */
#ifndef CLOUDSIM_EC2_DESCRIBE_H
#define CLOUDSIM_EC2_DESCRIBE_H

#include <stdbool.h>

#include <jansson.h>

#include "xml.h"

struct request;
struct api_error;
struct ec2_call;
struct listing_filters;
struct listing_page;
struct tag_set;

typedef json_t	*(*describe_fn)(struct request *, const struct listing_filters *,
		    const struct listing_page *, struct api_error *);

/* An EC2 filter name and the service's filter key it becomes. */
struct filter_map {
	const char	*ec2;
	const char	*key;
};

struct describe_spec {
	describe_fn		 fn;
	const char		*ids_param;	/* "VpcId" (…VpcId.N) */
	const char		*id_key;	/* service filter key: "vpc_id" */
	const char		*not_found;	/* "InvalidVpcID.NotFound" */
	const char		*what;		/* "VPC", for messages */
	const struct filter_map	*filters;	/* NULL-terminated */
	const char		*names_param;	/* "GroupName" (…Name.N), or NULL */
	const char		*names_key;	/* its filter key: "group_name" */
	long			 max_min, max_max;	/* MaxResults bounds */
	const char		*set;		/* "vpcSet" */
	const struct xml_field	*fields;
	/* Optional: reshape one item before rendering (arena-owned). */
	void			(*adapt)(struct ec2_call *, json_t *item);
};

bool	ec2_describe(struct ec2_call *, const struct describe_spec *,
	    struct api_error *);

/*
 * TagSpecification.N.Tag.M.Key/Value for resource_type (others are
 * ignored; EC2 refuses them, cloudsim is lenient), into out.
 */
bool	ec2_tag_specs(struct ec2_call *, const char *resource_type,
	    struct tag_set *out, struct api_error *);

/* A required parameter; 400 MissingParameter when absent. */
bool	ec2_required(struct ec2_call *, const char *name, const char **out,
	    struct api_error *);

/*
 * An optional parameter: NULL when absent or empty (the Go SDK sends
 * Placement.AvailabilityZone= for a pointer set to "", which EC2 reads
 * as not given).
 */
const char *ec2_optional(struct ec2_call *, const char *name);

/* Write <return>true</return>. */
void	ec2_return_true(struct ec2_call *);

#endif
