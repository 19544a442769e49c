/*
 * State changes in one statement: lock the instances (in id order, so
 * two calls naming the same instances cannot deadlock), resolve their
 * effective states, look each up in cloudsim.instance_transitions, and
 * store the new states only when every instance may move.  The same
 * statement refuses an unknown id or an instance that may not move
 * (cloudsim.instance_change_check, sql/023), so that its audit row goes
 * before it and COMMIT after it, in one round trip; a refusal rolls all
 * of it back.  It reads back, per instance, the state before and after.
 * What a change implies (addresses, group links, volumes) is done by
 * the schema's triggers in the same transaction.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "core/scope.h"
#include "lifecycle.h"
#include "tenancy.h"

struct action_info {
	const char	*name;		/* instance_transitions.action */
	const char	*audit;		/* EC2's action name */
	const char	*verb;		/* for messages: "started" */
};

static const struct action_info actions[] = {
	[INSTANCE_START] = { "start", INSTANCE_ACTION_START, "started" },
	[INSTANCE_STOP] = { "stop", INSTANCE_ACTION_STOP, "stopped" },
	[INSTANCE_REBOOT] = { "reboot", INSTANCE_ACTION_REBOOT, "rebooted" },
	[INSTANCE_TERMINATE] = { "terminate", INSTANCE_ACTION_TERMINATE,
	    "terminated" },
};

/*
 * $1 ids, $2 account, $3 region, $4 action; delays in seconds: $5
 * pending, $6 stopping, $7 shutting-down, $8 the terminated retention;
 * $9 the action's verb, for a refusal's message.  The check is a
 * condition of the final SELECT that names no row (a one-time filter):
 * PostgreSQL evaluates it before any row, even when no id was found.
 * The reasons are EC2's words for a user's stop or termination.
 * Generic: its plan finds the ids by instances_vpc_key and updates
 * through the same index whatever the values, and PostgreSQL, left to
 * choose, planned it again on every call (0.5 ms, more than the work).
 */
static struct db_stmt q_change_state = DB_STMT_GENERIC(
    "WITH cur AS (SELECT i.id, cloudsim.instance_effective_state(i.state,"
    " i.next_state, i.next_state_at) AS prev FROM cloudsim.instances i"
    " WHERE i.id = ANY ($1::text[]) AND i.account_id = $2 AND i.region = $3"
    " AND (i.visible_until IS NULL OR i.visible_until > now())"
    " ORDER BY i.id FOR UPDATE),"
    " t AS (SELECT cur.id, cur.prev, tr.from_state IS NOT NULL AS allowed,"
    " tr.to_state FROM cur LEFT JOIN cloudsim.instance_transitions tr"
    " ON tr.action = $4 AND tr.from_state = cur.prev),"
    " u AS (UPDATE cloudsim.instances i SET state = t.to_state,"
    " next_state = cloudsim.instance_next_state(t.to_state),"
    " next_state_at = now() + (CASE t.to_state WHEN 'pending' THEN $5"
    "  WHEN 'stopping' THEN $6 ELSE $7 END)::double precision"
    "  * interval '1 second',"
    " state_reason_code = CASE WHEN t.to_state <> 'pending'"
    "  THEN 'Client.UserInitiatedShutdown' END,"
    " state_reason_message = CASE WHEN t.to_state <> 'pending'"
    "  THEN 'Client.UserInitiatedShutdown: User initiated shutdown' END,"
    " state_transition_reason = CASE WHEN t.to_state = 'pending' THEN ''"
    "  ELSE 'User initiated (' || to_char(now() AT TIME ZONE 'UTC',"
    "  'YYYY-MM-DD HH24:MI:SS') || ' GMT)' END,"
    " visible_until = CASE WHEN t.to_state = 'shutting-down' THEN now()"
    "  + ($7::double precision + $8::double precision) * interval '1 second'"
    "  END"
    " FROM t WHERE i.id = t.id AND t.to_state IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM t x WHERE NOT x.allowed)"
    " RETURNING i.id, i.state)"
    " SELECT t.id, t.prev, coalesce(u.state, t.prev) AS current,"
    " cloudsim.instance_state_code(t.prev) AS prev_code,"
    " cloudsim.instance_state_code(coalesce(u.state, t.prev)) AS current_code"
    " FROM t LEFT JOIN u ON u.id = t.id"
    " WHERE (SELECT cloudsim.instance_change_check($1::text[], $4, $9,"
    " array_agg(x.id), array_agg(x.prev), array_agg(x.allowed)) FROM t x)");

struct state_change {
	enum instance_action	 action;
	const char *const	*ids;		/* distinct, in the caller's order */
	size_t			 n;
	const char		*params[9];
	PGresult		*rows;		/* out */
};

/* The row of id in rows, or -1. */
static int
row_of(const PGresult *rows, const char *id)
{
	int	i;

	for (i = 0; i < PQntuples(rows); i++)
		if (strcmp(db_get(rows, i, "id"), id) == 0)
			return i;
	return -1;
}

static bool
change_state_tx(struct request *req, void *arg, struct api_error *err)
{
	struct state_change	*c = arg;

	/* The statement refuses what it must: audit and COMMIT go with it. */
	if (!audit_write(req, actions[c->action].audit, c->ids, c->n, 200,
	    err))
		return false;
	db_commit_with_next();
	c->rows = db_exec(req, &q_change_state, 9, c->params, err);
	return c->rows != NULL;
}

/* A configured delay in whole seconds, never negative. */
static const char *
delay(struct request *req, const char *key)
{
	long	v = config_int(key);

	return arena_printf(req->arena, "%ld", v > 0 ? v : 0);
}

static json_t *
state_json(const PGresult *r, int row, const char *name, const char *code)
{
	return json_pack("{s:I, s:s}", "code",
	    (json_int_t)db_get_int(r, row, code), "name", db_get(r, row, name));
}

json_t *
instance_change_state(struct request *req, enum instance_action action,
    const char *const *ids, size_t n, bool force, struct api_error *err)
{
	struct scope		 t;
	struct state_change	 c;
	const char		**distinct;
	json_t			*items, *item;
	size_t			 i, j, nd = 0;
	int			 row;

	if (n == 0) {
		api_error_missing(err, "instance_ids");
		return NULL;
	}
	if (n > INSTANCE_IDS_MAX) {
		api_error_invalid(err, "at most %d instance ids may be given, "
		    "got %zu", INSTANCE_IDS_MAX, n);
		return NULL;
	}
	distinct = arena_calloc(req->arena, n, sizeof(*distinct));
	for (i = 0; i < n; i++) {
		if (!instance_id_check(ids[i], err))
			return NULL;
		for (j = 0; j < nd && strcmp(distinct[j], ids[i]) != 0; j++)
			;
		if (j == nd)
			distinct[nd++] = ids[i];
	}
	if (!scope_write(req, &t, err))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.action = action;
	c.ids = distinct;
	c.n = nd;
	c.params[0] = pgarray_text(req->arena, distinct, nd, 0);
	c.params[1] = t.account;
	c.params[2] = t.region;
	c.params[3] = actions[action].name;
	c.params[4] = delay(req, "instance_pending_delay");
	c.params[5] = force ? "0" : delay(req, "instance_stopping_delay");
	c.params[6] = delay(req, "instance_shutting_down_delay");
	c.params[7] = delay(req, "instance_terminated_retention");
	c.params[8] = actions[action].verb;
	if (!db_transaction(req, change_state_tx, &c, err))
		return NULL;
	if ((items = json_array()) == NULL)
		goto oom;
	for (i = 0; i < nd; i++) {
		row = row_of(c.rows, distinct[i]);
		item = json_pack("{s:s, s:o, s:o}", "id", distinct[i],
		    "previous_state", state_json(c.rows, row, "prev",
		    "prev_code"), "current_state", state_json(c.rows, row,
		    "current", "current_code"));
		if (item == NULL || json_array_append_new(items, item) != 0) {
			json_decref(items);
			goto oom;
		}
	}
	return json_pack("{s:o}", "items", items);
oom:
	api_error_internal(err);
	return NULL;
}
