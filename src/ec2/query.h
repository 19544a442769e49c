/*
 * The EC2 Query protocol's parameters: Action=…&Version=…, numbered
 * lists (InstanceId.1, InstanceId.2 …), filters (Filter.N.Name,
 * Filter.N.Value.M), MaxResults/NextToken, DryRun.  One call's state.
 */
#ifndef CLOUDSIM_EC2_QUERY_H
#define CLOUDSIM_EC2_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/urlencoded.h"
#include "instances/catalog.h"
#include "xml.h"

struct request;
struct api_error;

struct ec2_filter {
	const char	*name;
	struct str_list	 values;
};

struct ec2_call {
	struct request		*req;
	struct kvlist		 params;	/* decoded form or query */
	const char		*action;
	const char		*region;	/* from the SigV4 scope */
	struct xml_out		 xml;		/* the response being built */
	struct ec2_filter	*filters;
	size_t			 nfilters;
	bool			*filter_used;	/* per filter: consumed */
};

/* The first value of name, or NULL. */
const char	*ec2_param(const struct ec2_call *, const char *name);

/* Values of prefix.1, prefix.2 … in numeric order (gaps allowed). */
struct str_list	 ec2_list(struct ec2_call *, const char *prefix);

/* Parse Filter.N.Name / Filter.N.Value.M into the call. */
bool		 ec2_parse_filters(struct ec2_call *, struct api_error *);

/*
 * The values of filter name (consumed), or an empty list.  After taking
 * the filters it knows, an action calls ec2_filters_done, which refuses
 * any filter left over: 400 InvalidParameterValue naming it.
 */
struct str_list	 ec2_filter(struct ec2_call *, const char *name);
bool		 ec2_filters_done(struct ec2_call *, struct api_error *);

/*
 * MaxResults (min..max, absent: 0 = everything) and NextToken (an
 * opaque offset) for a Describe action.  EC2 refuses MaxResults together
 * with an id list: pass the id parameter's name when ids were given
 * (else NULL) to get 400 InvalidParameterCombination.
 */
bool		 ec2_paging(struct ec2_call *, long min, long max,
		    const char *ids_given, long *max_results, long *offset,
		    struct api_error *);
/* The token for the page after offset + count, in the arena. */
const char	*ec2_next_token(struct ec2_call *, long offset);

/* A boolean parameter ("true"/"false"); 400 on anything else. */
bool		 ec2_bool(struct ec2_call *, const char *name, bool def,
		    bool *out, struct api_error *);

#endif
