/*
 * The summary: one statement aggregates each view once by (region,
 * state) or (region, type) and nests the groups into the answer, so its
 * cost grows with the rows in scope, not with rows times regions.  It
 * reads the admin views, not the tables, so that it agrees with every
 * list of the API (effective states after the configured delays,
 * terminated instances while they are still listed).
 */
#include <ctype.h>
#include <string.h>

#include <jansson.h>

#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "summary.h"

#define ACCOUNT_ID_LEN	12

static struct db_stmt q_summary = DB_STMT(
    "WITH i AS (SELECT region, state, instance_type FROM cloudsim.v_instances"
    "  WHERE $1::text IS NULL OR account_id = $1),"
    " inst_state AS (SELECT region, sum(n)::bigint AS total,"
    "  json_object_agg(state, n ORDER BY state) AS by_state"
    "  FROM (SELECT region, state, count(*) AS n FROM i GROUP BY 1, 2) x"
    "  GROUP BY region),"
    " inst_type AS (SELECT region,"
    "  json_object_agg(instance_type, n ORDER BY instance_type) AS by_type"
    "  FROM (SELECT region, instance_type, count(*) AS n FROM i"
    "   GROUP BY 1, 2) x GROUP BY region),"
    " vol AS (SELECT region, sum(n)::bigint AS total,"
    "  sum(gib)::bigint AS gib,"
    "  json_object_agg(state, n ORDER BY state) AS by_state"
    "  FROM (SELECT region, state, count(*) AS n, sum(size) AS gib"
    "   FROM cloudsim.v_volumes WHERE $1::text IS NULL OR account_id = $1"
    "   GROUP BY 1, 2) x GROUP BY region),"
    " net AS (SELECT region, count(*) AS vpcs FROM cloudsim.v_vpcs"
    "  WHERE $1::text IS NULL OR account_id = $1 GROUP BY region),"
    " sub AS (SELECT region, count(*) AS subnets FROM cloudsim.v_subnets"
    "  WHERE $1::text IS NULL OR account_id = $1 GROUP BY region),"
    " r AS (SELECT region FROM inst_state UNION SELECT region FROM vol"
    "  UNION SELECT region FROM net UNION SELECT region FROM sub)"
    " SELECT json_build_object("
    "  'scope', CASE WHEN $1::text IS NULL THEN 'all' ELSE 'account' END,"
    "  'account_id', $1::text,"
    "  'generated_at', " DB_TIMESTAMP("now()") ","
    "  'regions', coalesce((SELECT json_agg(json_build_object("
    "   'region', r.region,"
    "   'instances', json_build_object("
    "    'total', coalesce(inst_state.total, 0),"
    "    'by_state', coalesce(inst_state.by_state, '{}'::json),"
    "    'by_type', coalesce(inst_type.by_type, '{}'::json)),"
    "   'volumes', json_build_object("
    "    'total', coalesce(vol.total, 0),"
    "    'by_state', coalesce(vol.by_state, '{}'::json),"
    "    'total_gib', coalesce(vol.gib, 0)),"
    "   'vpcs', coalesce(net.vpcs, 0),"
    "   'subnets', coalesce(sub.subnets, 0)) ORDER BY r.region)"
    "   FROM r LEFT JOIN inst_state USING (region)"
    "   LEFT JOIN inst_type USING (region) LEFT JOIN vol USING (region)"
    "   LEFT JOIN net USING (region) LEFT JOIN sub USING (region)),"
    "   '[]'::json)) AS summary");

static bool
account_id_valid(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return i == ACCOUNT_ID_LEN;
}

json_t *
summary_get(struct request *req, const struct summary_params *in,
    struct api_error *err)
{
	const struct principal	*p = &req->principal;
	const char		*account = p->account_id, *text;
	json_error_t		 jerr;
	json_t			*out;
	PGresult		*r;
	bool			 admin = strcmp(p->role, "admin") == 0;

	if (!p->authenticated) {
		api_error_set(err, 401, "AuthenticationFailure",
		    "the summary needs an authenticated caller");
		return NULL;
	}
	if (in->account_id != NULL) {
		if (!account_id_valid(in->account_id)) {
			api_error_invalid(err, "the account id '%s' is not 12 "
			    "digits", in->account_id);
			return NULL;
		}
		if (!admin && strcmp(in->account_id, p->account_id) != 0) {
			api_error_set(err, 403, "UnauthorizedOperation",
			    "a caller may summarize its own account only, "
			    "not '%s'", in->account_id);
			return NULL;
		}
		account = in->account_id;
	} else if (admin) {
		account = NULL;
	}
	if ((r = db_exec(req, &q_summary, 1, &account, err)) == NULL)
		return NULL;
	text = db_get(r, 0, "summary");
	if ((out = json_loads(text, 0, &jerr)) == NULL)
		api_error_internal(err);
	return out;
}

bool
summary_rest(struct request *req, struct response *res,
    struct api_error *err)
{
	struct summary_params	 in;
	json_t			*out;
	size_t			 i;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < req->query.n; i++) {
		if (strcmp(req->query.items[i].key, "account_id") != 0)
			return api_error_invalid(err, "'%.64s' is not a query "
			    "parameter of this call; it takes account_id",
			    req->query.items[i].key);
		if (in.account_id != NULL)
			return api_error_invalid(err, "account_id is given "
			    "more than once");
		in.account_id = req->query.items[i].value;
	}
	if ((out = summary_get(req, &in, err)) == NULL)
		return false;
	response_json(req, res, 200, out);
	return true;
}
