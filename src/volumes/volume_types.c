/*
 * The limits table and its checks.  The numbers are the ones
 * docs/volumes.md cites; sql/005_volumes.sql's volume_spec_valid holds
 * the same, and tests/sql/volumes.sql checks the two agree at every
 * boundary the HTTP tests probe.
 */
#include <string.h>

#include "core/error.h"
#include "volume_types.h"

struct type_limits {
	const char	*name;
	long long	 size_min, size_max;	/* GiB */
	long long	 iops_min, iops_max;	/* 0: IOPS cannot be set */
	long long	 iops_per_gib;		/* 0: no ratio */
	long long	 iops_default;		/* 0: must be given */
	bool		 throughput;		/* gp3 only */
};

/* gp2 is special: its IOPS are 3 per GiB, 100 to 16000, never set. */
#define GP2_IOPS_PER_GIB	3
#define GP2_IOPS_MIN		100
#define GP2_IOPS_MAX		16000
/* gp3's baseline is free at any size; the ratio binds above it. */
#define GP3_IOPS_BASELINE	3000
#define GP3_THROUGHPUT_MIN	125
#define GP3_THROUGHPUT_MAX	1000
#define GP3_IOPS_PER_MIBPS	4	/* throughput <= 0.25 MiB/s per IOPS */

static const struct type_limits limits[] = {
	{ "gp2", 1, 16384, 0, 0, 0, 0, false },
	{ "gp3", 1, 16384, 3000, 16000, 500, GP3_IOPS_BASELINE, true },
	{ "io1", 4, 16384, 100, 64000, 50, 0, false },
	{ "io2", 4, 65536, 100, 256000, 1000, 0, false },
	{ "st1", 125, 16384, 0, 0, 0, 0, false },
	{ "sc1", 125, 16384, 0, 0, 0, 0, false },
	{ "standard", 1, 1024, 0, 0, 0, 0, false },
};

const char volume_type_names[] = "gp2, gp3, io1, io2, st1, sc1, standard";

static const struct type_limits *
find(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < sizeof(limits) / sizeof(limits[0]);
	    i++)
		if (strcmp(limits[i].name, name) == 0)
			return &limits[i];
	return NULL;
}

bool
volume_type_known(const char *name)
{
	return find(name) != NULL;
}

bool
volume_type_check(const char *type, const char *field,
    struct api_error *err)
{
	if (type == NULL || find(type) != NULL)
		return true;
	return api_error_invalid(err, "'%s' value '%.32s' is not a volume "
	    "type: use one of %s", field, type, volume_type_names);
}

bool
volume_spec_params(const struct volume_spec *s, struct api_error *err)
{
	const struct type_limits	*t = find(s->type);

	if (t == NULL)
		return volume_type_check(s->type, "volume_type", err);
	if (s->iops >= 0 && t->iops_max == 0)
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "the parameter iops is not supported for %s volumes%s",
		    t->name, strcmp(t->name, "gp2") == 0 ? " (their IOPS are "
		    "3 per GiB of size)" : "");
	if (s->iops < 0 && t->iops_max > 0 && t->iops_default == 0)
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "the parameter iops must be specified for %s volumes",
		    t->name);
	if (s->throughput >= 0 && !t->throughput)
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "the parameter throughput is supported for gp3 volumes "
		    "only, not for %s", t->name);
	return true;
}

bool
volume_spec_complete(struct volume_spec *s, struct api_error *err)
{
	const struct type_limits	*t = find(s->type);
	long long			 most;

	if (!volume_spec_params(s, err))
		return false;
	if (s->size < t->size_min)
		return api_error_invalid(err, "a volume of %lld GiB is too "
		    "small for type %s; the minimum is %lld GiB", s->size,
		    t->name, t->size_min);
	if (s->size > t->size_max)
		return api_error_invalid(err, "a volume of %lld GiB is too "
		    "large for type %s; the maximum is %lld GiB", s->size,
		    t->name, t->size_max);
	if (t->iops_max == 0)
		s->iops = -1;
	else {
		if (s->iops < 0)
			s->iops = t->iops_default;
		if (s->iops < t->iops_min || s->iops > t->iops_max)
			return api_error_invalid(err, "iops %lld is out of "
			    "range for type %s: %lld to %lld", s->iops, t->name,
			    t->iops_min, t->iops_max);
		most = t->iops_per_gib * s->size;
		if (t->iops_default > most)
			most = t->iops_default;
		if (s->iops > most)
			return api_error_invalid(err, "iops %lld is too high "
			    "for a %lld GiB %s volume: at most %lld IOPS per GiB "
			    "(%lld here)", s->iops, s->size, t->name,
			    t->iops_per_gib, most);
	}
	if (!t->throughput)
		s->throughput = -1;
	else {
		if (s->throughput < 0)
			s->throughput = GP3_THROUGHPUT_MIN;
		if (s->throughput < GP3_THROUGHPUT_MIN ||
		    s->throughput > GP3_THROUGHPUT_MAX)
			return api_error_invalid(err, "throughput %lld MiB/s is "
			    "out of range for type %s: %d to %d", s->throughput,
			    t->name, GP3_THROUGHPUT_MIN, GP3_THROUGHPUT_MAX);
		if (s->throughput * GP3_IOPS_PER_MIBPS > s->iops)
			return api_error_invalid(err, "throughput %lld MiB/s is "
			    "too high for %lld IOPS: gp3 allows at most 0.25 "
			    "MiB/s per IOPS (%lld here)", s->throughput, s->iops,
			    s->iops / GP3_IOPS_PER_MIBPS);
	}
	return true;
}

long long
volume_spec_iops(const struct volume_spec *s)
{
	long long	iops;

	if (strcmp(s->type, "gp2") != 0)
		return s->iops;
	iops = GP2_IOPS_PER_GIB * s->size;
	if (iops < GP2_IOPS_MIN)
		iops = GP2_IOPS_MIN;
	return iops > GP2_IOPS_MAX ? GP2_IOPS_MAX : iops;
}
