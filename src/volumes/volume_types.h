/*
 * EBS volume types and their limits, as AWS documents them (the table
 * and its sources are in docs/volumes.md): size range, provisioned IOPS
 * range and ratio to size, gp3's throughput, and the defaults a request
 * may leave out.  Pure functions: CreateVolume, ModifyVolume and (for
 * block device mappings) RunInstances check a specification here and
 * get EC2's error codes with the reason; the schema's volumes_spec_check
 * holds the same limits for any writer.
 */
#ifndef CLOUDSIM_VOLUMES_VOLUME_TYPES_H
#define CLOUDSIM_VOLUMES_VOLUME_TYPES_H

#include <stdbool.h>

struct api_error;

#define VOLUME_TYPE_DEFAULT	"gp2"	/* EC2's CreateVolume default */

/*
 * A volume's performance specification.  iops and throughput are -1
 * when not given (or, after volume_spec_complete, not applicable: gp2's
 * IOPS are derived from its size, st1/sc1/standard have neither).
 */
struct volume_spec {
	const char	*type;		/* one of volume_type_names */
	long long	 size;		/* GiB */
	long long	 iops;
	long long	 throughput;	/* MiB/s */
};

/* "gp2, gp3, io1, io2, st1, sc1, standard", for messages. */
extern const char volume_type_names[];

/* Is name a volume type?  (Exact, lower-case, as EC2.) */
bool	volume_type_known(const char *name);

/*
 * 400 InvalidParameterValue naming field unless type is a known type
 * (NULL passes: the caller applies its default).
 */
bool	volume_type_check(const char *type, const char *field,
	    struct api_error *);

/*
 * Which parameters the type takes, before the size is known: 400
 * InvalidParameterCombination for iops on a type that has none (gp2,
 * st1, sc1, standard) or missing on io1/io2, and for throughput on any
 * type but gp3.
 */
bool	volume_spec_params(const struct volume_spec *, struct api_error *);

/*
 * Fill the defaults (gp3: 3000 IOPS, 125 MiB/s) and check every limit:
 * volume_spec_params, then size (InvalidParameterValue "too small/large
 * for the type"), IOPS range and IOPS per GiB, throughput range and
 * MiB/s per IOPS.  spec->type must be known.
 */
bool	volume_spec_complete(struct volume_spec *, struct api_error *);

/* The IOPS a volume of this specification delivers (gp2: derived). */
long long volume_spec_iops(const struct volume_spec *);

#endif
