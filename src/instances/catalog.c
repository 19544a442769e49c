/*
 * Catalog queries.  One static statement per resource takes every
 * filter as a text[] parameter (NULL = no filter) and builds the JSON
 * array in SQL, so a call is one round trip however it is filtered.
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

static struct db_stmt q_regions = DB_STMT(
    "SELECT COALESCE((SELECT json_agg(json_build_object("
    " 'name', name, 'endpoint', endpoint, 'opt_in_status', opt_in_status,"
    " 'zones', (SELECT json_agg(json_build_object('name', z.name,"
    "  'zone_id', z.zone_id, 'state', z.state) ORDER BY z.name)"
    "  FROM cloudsim.zones z WHERE z.region = r.name))"
    " ORDER BY name) FROM cloudsim.regions r"
    " WHERE ($1::text[] IS NULL OR name = ANY($1))"
    " AND ($2::text[] IS NULL OR endpoint LIKE ANY($2))"
    " AND ($3::text[] IS NULL OR opt_in_status LIKE ANY($3))"
    " AND ($4::text[] IS NULL OR name LIKE ANY($4))), '[]') AS items,"
    MISSING("name", "regions", "$1"));

json_t *
catalog_regions(struct request *req, const struct region_query *q,
    struct api_error *err)
{
	const char	*p[4] = { exact(req, &q->names),
			    pattern(req, &q->endpoints),
			    pattern(req, &q->opt_in_statuses),
			    pattern(req, &q->name_patterns) };

	return run(req, &q_regions, 4, p, 400, "InvalidParameterValue",
	    "unknown region name(s):", err);
}

static struct db_stmt q_zones = DB_STMT(
    "SELECT COALESCE((SELECT json_agg(json_build_object("
    " 'name', name, 'zone_id', zone_id, 'region', region, 'state', state,"
    " 'zone_type', 'availability-zone', 'group_name', region,"
    " 'network_border_group', region,"
    " 'opt_in_status', 'opt-in-not-required') ORDER BY name)"
    " FROM cloudsim.zones WHERE region = $1"
    " AND ($2::text[] IS NULL OR name = ANY($2))"
    " AND ($3::text[] IS NULL OR zone_id = ANY($3))"
    " AND ($4::text[] IS NULL OR state LIKE ANY($4))"
    " AND ($5::text[] IS NULL OR 'availability-zone' LIKE ANY($5))), '[]')"
    " AS items,"
    " (SELECT string_agg('''' || x || '''', ', ') FROM unnest($2::text[]"
    "  || $3::text[]) x WHERE NOT EXISTS (SELECT 1 FROM cloudsim.zones"
    "  WHERE region = $1 AND (name = x OR zone_id = x))) AS missing");

json_t *
catalog_zones(struct request *req, const struct zone_query *q,
    struct api_error *err)
{
	const char	*p[5] = { q->region, exact(req, &q->names),
			    exact(req, &q->ids), pattern(req, &q->states),
			    pattern(req, &q->zone_types) };

	return run(req, &q_zones, 5, p, 400, "InvalidParameterValue",
	    "unknown availability zone(s) in this region:", err);
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

static struct db_stmt q_region_names = DB_STMT(
    "SELECT name FROM cloudsim.regions");

/*
 * Regions are seeded data, fixed while the service runs: one query per
 * process, then a lookup in memory.  The list lives until exit.
 */
bool
catalog_region_exists(struct request *req, const char *region,
    struct api_error *err)
{
	static char	**names;
	static int	  n;
	PGresult	 *r;
	int		  i;

	if (names == NULL) {
		if ((r = db_exec(req, &q_region_names, 0, NULL, err)) == NULL)
			return false;
		if ((names = calloc((size_t)PQntuples(r) + 1,
		    sizeof(*names))) == NULL)
			return api_error_internal(err);
		for (n = 0; n < PQntuples(r); n++)
			names[n] = strdup(PQgetvalue(r, n, 0));
	}
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(names[i], region) == 0)
			return true;
	return api_error_invalid(err, "'%s' is not a region cloudsim knows "
	    "(GET /api/v1/regions lists them)", region);
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
