/*
 * Region names, read once per process: every call checks its region,
 * and a round trip each time would be wasted on seeded data.  The
 * array lives until exit.
 */
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/db.h"
#include "core/error.h"
#include "core/regions.h"

static struct db_stmt q_region_names = DB_STMT(
    "SELECT COALESCE(json_agg(name ORDER BY name), '[]')"
    " FROM cloudsim.regions");

/* The cached names (a JSON array of strings), or NULL with err. */
static const json_t *
region_names(struct request *req, struct api_error *err)
{
	static json_t	*names;
	PGresult	*r;

	if (names != NULL)
		return names;
	if ((r = db_exec(req, &q_region_names, 0, NULL, err)) == NULL)
		return NULL;
	if ((names = json_loads(PQgetvalue(r, 0, 0), 0, NULL)) == NULL)
		api_error_internal(err);
	return names;
}

bool
region_exists(struct request *req, const char *region,
    struct api_error *err)
{
	const json_t	*names, *v;
	size_t		 i;

	if ((names = region_names(req, err)) == NULL)
		return false;
	json_array_foreach(names, i, v)
		if (strcmp(json_string_value(v), region) == 0)
			return true;
	return api_error_invalid(err, "'%s' is not a region cloudsim knows "
	    "(GET /api/v1/regions lists them)", region);
}
