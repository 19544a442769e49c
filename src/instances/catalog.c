/*
 * Catalog queries.  For images and instance types, one static statement
 * per resource takes every filter as a text[] parameter (NULL = no
 * filter) and builds the JSON array in SQL, so a call is one round trip
 * however it is filtered; regions and zones are read once per process.
 * Filter values may use EC2's wildcards, turned into LIKE patterns here;
 * exact lists (ids, names) also report which of them do not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/error.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "catalog.h"

/* EC2 wildcard (* any run, ? one character) to a LIKE pattern. */
static const char *
glob_to_like(struct arena *a, const char *g)
{
	char	*out = arena_alloc(a, strlen(g) * 2 + 1), *p = out;

	for (; *g != '\0'; g++) {
		if (*g == '*')
			*p++ = '%';
		else if (*g == '?')
			*p++ = '_';
		else {
			if (*g == '%' || *g == '_' || *g == '\\')
				*p++ = '\\';
			*p++ = *g;
		}
	}
	*p = '\0';
	return out;
}

static const char *
exact(struct request *req, const struct str_list *l)
{
	return pgarray_text(req->arena, (const char *const *)l->v, l->n, 1);
}

static const char *
pattern(struct request *req, const struct str_list *l)
{
	const char	**v;
	size_t		  i;

	if (l->n == 0)
		return NULL;
	v = arena_calloc(req->arena, l->n, sizeof(*v));
	for (i = 0; i < l->n; i++)
		v[i] = glob_to_like(req->arena, l->v[i]);
	return pgarray_text(req->arena, v, l->n, 1);
}

/* Run st and return its "items" array; err on "missing" exact values. */
static json_t *
run(struct request *req, struct db_stmt *st, int n, const char **params,
    int status, const char *code, const char *what, struct api_error *err)
{
	PGresult	*r;
	json_t		*items;
	const char	*missing;

	if ((r = db_exec(req, st, n, params, err)) == NULL)
		return NULL;
	if ((missing = db_get(r, 0, "missing")) != NULL) {
		api_error_set(err, status, code, "%s %s", what, missing);
		return NULL;
	}
	if ((items = json_loads(db_get(r, 0, "items"), 0, NULL)) == NULL)
		api_error_internal(err);
	return items;
}

#define MISSING(col, table, param) \
    " (SELECT string_agg('''' || x || '''', ', ') FROM unnest(" param \
    "::text[]) x WHERE NOT EXISTS (SELECT 1 FROM cloudsim." table \
    " WHERE " col " = x)) AS missing"

/*
 * Regions and zones are seeded data, fixed while the service runs: they
 * are read once per process and filtered in memory, so DescribeRegions
 * and DescribeAvailabilityZones cost no round trip.  The arrays live
 * until exit.  (The region check of every call, core/regions.h, keeps
 * its own cache of the names.)
 */
static struct db_stmt q_all_regions = DB_STMT(
    "SELECT COALESCE(json_agg(json_build_object("
    " 'name', name, 'endpoint', endpoint, 'opt_in_status', opt_in_status,"
    " 'zones', (SELECT COALESCE(json_agg(json_build_object('name', z.name,"
    "  'zone_id', z.zone_id, 'state', z.state) ORDER BY z.name), '[]')"
    "  FROM cloudsim.zones z WHERE z.region = r.name))"
    " ORDER BY name), '[]') FROM cloudsim.regions r");

static struct db_stmt q_all_zones = DB_STMT(
    "SELECT COALESCE(json_agg(json_build_object("
    " 'name', name, 'zone_id', zone_id, 'region', region, 'state', state,"
    " 'zone_type', 'availability-zone', 'group_name', region,"
    " 'network_border_group', region,"
    " 'opt_in_status', 'opt-in-not-required') ORDER BY name), '[]')"
    " FROM cloudsim.zones");

static json_t *
load(struct request *req, struct db_stmt *st, json_t **cache,
    struct api_error *err)
{
	PGresult	*r;

	if (*cache != NULL)
		return *cache;
	if ((r = db_exec(req, st, 0, NULL, err)) == NULL)
		return NULL;
	if ((*cache = json_loads(PQgetvalue(r, 0, 0), 0, NULL)) == NULL)
		api_error_internal(err);
	return *cache;
}

static json_t *
all_regions(struct request *req, struct api_error *err)
{
	static json_t	*regions;

	return load(req, &q_all_regions, &regions, err);
}

static json_t *
all_zones(struct request *req, struct api_error *err)
{
	static json_t	*zones;

	return load(req, &q_all_zones, &zones, err);
}

/* EC2's wildcards: * matches any run of characters, ? any one. */
static bool
wildcard_match(const char *p, const char *s)
{
	const char	*star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++resume;
		} else
			return false;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* Does item's string member key pass l (exact or wildcard; empty: yes)? */
static bool
passes(const json_t *item, const char *key, const struct str_list *l,
    bool wildcards)
{
	const char	*v = json_string_value(json_object_get(item, key));
	size_t		 i;

	if (l->n == 0)
		return true;
	for (i = 0; i < l->n && v != NULL; i++)
		if (wildcards ? wildcard_match(l->v[i], v) :
		    strcmp(l->v[i], v) == 0)
			return true;
	return false;
}

/* Is value the key1 or key2 member of any item of the array? */
static bool
known(const json_t *all, const char *value, const char *key1,
    const char *key2)
{
	const json_t	*item;
	const char	*v;
	size_t		 i;

	json_array_foreach(all, i, item) {
		if ((v = json_string_value(json_object_get(item, key1))) !=
		    NULL && strcmp(v, value) == 0)
			return true;
		if (key2 != NULL && (v = json_string_value(
		    json_object_get(item, key2))) != NULL &&
		    strcmp(v, value) == 0)
			return true;
	}
	return false;
}

/* The 400 for exact values not in all: every unknown one, quoted. */
static bool
unknown(struct request *req, const json_t *all, const struct str_list *l,
    const char *key1, const char *key2, const char *what,
    struct api_error *err)
{
	size_t		 i, used = 0, cap = 1;
	char		*list;
	bool		 any = false;

	for (i = 0; i < l->n; i++)
		cap += strlen(l->v[i]) + 4;
	list = arena_alloc(req->arena, cap);
	list[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (known(all, l->v[i], key1, key2))
			continue;
		used += (size_t)snprintf(list + used, cap - used, "%s'%s'",
		    any ? ", " : "", l->v[i]);
		any = true;
	}
	if (any)
		api_error_set(err, 400, "InvalidParameterValue", "%s %s", what,
		    list);
	return any;
}

json_t *
catalog_regions(struct request *req, const struct region_query *q,
    struct api_error *err)
{
	const json_t	*all, *r;
	json_t		*items;
	size_t		 i;

	if ((all = all_regions(req, err)) == NULL ||
	    unknown(req, all, &q->names, "name", NULL,
	    "unknown region name(s):", err))
		return NULL;
	items = json_array();
	json_array_foreach(all, i, r)
		if (passes(r, "name", &q->names, false) &&
		    passes(r, "name", &q->name_patterns, true) &&
		    passes(r, "endpoint", &q->endpoints, true) &&
		    passes(r, "opt_in_status", &q->opt_in_statuses, true))
			json_array_append(items, (json_t *)r);
	return items;
}

json_t *
catalog_zones(struct request *req, const struct zone_query *q,
    struct api_error *err)
{
	const char		*region = q->region;
	const struct str_list	 here = { &region, 1 };
	const json_t		*all, *z;
	json_t			*items, *local;
	size_t			 i;

	if ((all = all_zones(req, err)) == NULL)
		return NULL;
	/* Unknown names and ids are reported among this region's zones. */
	local = json_array();
	json_array_foreach(all, i, z)
		if (passes(z, "region", &here, false))
			json_array_append(local, (json_t *)z);
	if (unknown(req, local, &q->names, "name", "zone_id",
	    "unknown availability zone(s) in this region:", err) ||
	    unknown(req, local, &q->ids, "name", "zone_id",
	    "unknown availability zone(s) in this region:", err)) {
		json_decref(local);
		return NULL;
	}
	items = json_array();
	json_array_foreach(local, i, z)
		if (passes(z, "name", &q->names, false) &&
		    passes(z, "zone_id", &q->ids, false) &&
		    passes(z, "name", &q->name_patterns, true) &&
		    passes(z, "zone_id", &q->id_patterns, true) &&
		    passes(z, "region", &q->region_patterns, true) &&
		    passes(z, "state", &q->states, true) &&
		    passes(z, "zone_type", &q->zone_types, true))
			json_array_append(items, (json_t *)z);
	json_decref(local);
	return items;
}

#define IMAGE_JSON \
    "json_build_object('id', id, 'name', name, 'description', description," \
    " 'architecture', architecture, 'platform', platform," \
    " 'platform_details', platform_details, 'usage_operation', usage_operation," \
    " 'root_device_name', root_device_name, 'root_device_type', root_device_type," \
    " 'root_volume_size', root_volume_size_gib, 'root_volume_type', root_volume_type," \
    " 'virtualization_type', virtualization_type, 'boot_mode', boot_mode," \
    " 'ena_support', ena_support, 'imds_support', imds_support," \
    " 'owner_id', owner_id, 'owner_alias', owner_alias," \
    " 'creation_date', " DB_TIMESTAMP("creation_date") "," \
    " 'state', state, 'public', public, 'image_location', image_location," \
    " 'image_type', 'machine', 'hypervisor', 'xen'," \
    " 'block_device_mappings', json_build_array(json_build_object(" \
    "  'device_name', root_device_name, 'ebs', json_build_object(" \
    "  'volume_size', root_volume_size_gib, 'volume_type', root_volume_type," \
    "  'delete_on_termination', true, 'encrypted', false))))"

static struct db_stmt q_images = DB_STMT(
    "SELECT COALESCE((SELECT json_agg(" IMAGE_JSON " ORDER BY name, id)"
    " FROM cloudsim.images WHERE ($1::text[] IS NULL OR id = ANY($1))"
    " AND ($2::text[] IS NULL OR owner_id = ANY($2) OR owner_alias = ANY($2))"
    " AND ($3::text[] IS NULL OR name LIKE ANY($3))"
    " AND ($4::text[] IS NULL OR architecture LIKE ANY($4))"
    " AND ($5::text[] IS NULL OR COALESCE(platform, '') LIKE ANY($5))"
    " AND ($6::text[] IS NULL OR state LIKE ANY($6))"
    " AND ($7::text[] IS NULL OR root_device_type LIKE ANY($7))"
    " AND ($8::text[] IS NULL OR virtualization_type LIKE ANY($8))"
    " AND ($9::text[] IS NULL OR owner_alias LIKE ANY($9))"
    " AND ($10::text[] IS NULL OR description LIKE ANY($10))), '[]') AS items,"
    MISSING("id", "images", "$1"));

json_t *
catalog_images(struct request *req, const struct image_query *q,
    struct api_error *err)
{
	const char	*p[10] = { exact(req, &q->ids), exact(req, &q->owners),
			    pattern(req, &q->names),
			    pattern(req, &q->architectures),
			    pattern(req, &q->platforms),
			    pattern(req, &q->states),
			    pattern(req, &q->root_device_types),
			    pattern(req, &q->virtualization_types),
			    pattern(req, &q->owner_aliases),
			    pattern(req, &q->descriptions) };

	return run(req, &q_images, 10, p, 400, "InvalidAMIID.NotFound",
	    "the image id(s) do not exist:", err);
}

#define TYPE_JSON \
    "json_build_object('name', name, 'family', family, 'vcpus', vcpus," \
    " 'memory_mib', memory_mib, 'architectures', architectures," \
    " 'burstable', burstable, 'default_cores', default_cores," \
    " 'default_threads_per_core', default_threads_per_core," \
    " 'network_performance', network_performance," \
    " 'ebs_optimized_support', ebs_optimized_support," \
    " 'hypervisor', hypervisor, 'current_generation', current_generation," \
    " 'free_tier_eligible', free_tier_eligible)"

static struct db_stmt q_types = DB_STMT(
    "SELECT COALESCE((SELECT json_agg(" TYPE_JSON " ORDER BY name)"
    " FROM cloudsim.instance_types"
    " WHERE ($1::text[] IS NULL OR name = ANY($1))"
    " AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(architectures) a"
    "  WHERE a LIKE ANY($2)))"
    " AND ($3::text[] IS NULL OR burstable::text LIKE ANY($3))"
    " AND ($4::text[] IS NULL OR free_tier_eligible::text LIKE ANY($4))"
    " AND ($5::text[] IS NULL OR current_generation::text LIKE ANY($5))"
    " AND ($6::text[] IS NULL OR vcpus::text LIKE ANY($6))"
    " AND ($7::text[] IS NULL OR memory_mib::text LIKE ANY($7))"
    " AND ($8::text[] IS NULL OR hypervisor LIKE ANY($8))), '[]') AS items,"
    MISSING("name", "instance_types", "$1"));

json_t *
catalog_instance_types(struct request *req, const struct type_query *q,
    struct api_error *err)
{
	const char	*p[8] = { exact(req, &q->names),
			    pattern(req, &q->architectures),
			    pattern(req, &q->burstable),
			    pattern(req, &q->free_tier),
			    pattern(req, &q->current_generation),
			    pattern(req, &q->vcpus), pattern(req, &q->memory_mib),
			    pattern(req, &q->hypervisors) };

	return run(req, &q_types, 8, p, 400, "InvalidInstanceType",
	    "the instance type(s) do not exist:", err);
}

/* --- the REST front ------------------------------------------------ */

/* Every value of query key as a list. */
static struct str_list
query_list(struct request *req, const char *key)
{
	struct str_list	l = { NULL, 0 };
	size_t		i;

	l.v = arena_calloc(req->arena, req->query.n + 1, sizeof(*l.v));
	for (i = 0; i < req->query.n; i++)
		if (strcmp(req->query.items[i].key, key) == 0)
			l.v[l.n++] = req->query.items[i].value;
	return l;
}

/* Refuse query keys outside allowed (NULL-terminated). */
static bool
only(struct request *req, const char *const *allowed, struct api_error *err)
{
	const char *const	*a;
	size_t			 i;

	for (i = 0; i < req->query.n; i++) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(req->query.items[i].key, *a) == 0)
				break;
		if (*a == NULL)
			return api_error_invalid(err, "unknown filter '%s'",
			    req->query.items[i].key);
	}
	return true;
}

static bool
answer(struct request *req, struct response *res, json_t *items)
{
	if (items == NULL)
		return false;
	request_keep(req, items);
	response_json(req, res, 200, json_pack("{s:O, s:I}", "items", items,
	    "total", (json_int_t)json_array_size(items)));
	return true;
}

bool
catalog_rest_regions(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "name", "opt_in_status", NULL };
	struct region_query	 q = { 0 };
	json_t			*items;

	if (!only(req, allowed, err))
		return false;
	q.names = query_list(req, "name");
	q.opt_in_statuses = query_list(req, "opt_in_status");
	if ((items = catalog_regions(req, &q, err)) == NULL)
		return false;
	return answer(req, res, items);
}

bool
catalog_rest_images(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "image_id", "owner", "name",
	    "architecture", "platform", "state", NULL };
	struct image_query	q = { 0 };

	if (!only(req, allowed, err))
		return false;
	q.ids = query_list(req, "image_id");
	q.owners = query_list(req, "owner");
	q.names = query_list(req, "name");
	q.architectures = query_list(req, "architecture");
	q.platforms = query_list(req, "platform");
	q.states = query_list(req, "state");
	return answer(req, res, catalog_images(req, &q, err));
}

bool
catalog_rest_instance_types(struct request *req, struct response *res,
    struct api_error *err)
{
	static const char *const allowed[] = { "name", "architecture",
	    "burstable", "free_tier_eligible", "vcpus", NULL };
	struct type_query	q = { 0 };

	if (!only(req, allowed, err))
		return false;
	q.names = query_list(req, "name");
	q.architectures = query_list(req, "architecture");
	q.burstable = query_list(req, "burstable");
	q.free_tier = query_list(req, "free_tier_eligible");
	q.vcpus = query_list(req, "vcpus");
	return answer(req, res, catalog_instance_types(req, &q, err));
}
