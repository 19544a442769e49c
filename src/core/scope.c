/*
 * The caller's scope, taken from the authenticated principal and the
 * request's region, and the advisory lock that serialises quota counts
 * per account and region.
 */
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/error.h"
#include "core/regions.h"
#include "core/request.h"
#include "core/scope.h"

static bool
scope_fill(struct request *req, bool write, struct scope *out,
    struct api_error *err)
{
	const struct principal	*p = &req->principal;

	out->account = NULL;
	out->region = NULL;
	if (!p->authenticated || p->account_id[0] == '\0')
		return api_error_set(err, 401, "AuthenticationFailure",
		    "the request carries no valid credentials");
	if (!region_exists(req, req->region, err))
		return false;
	out->region = req->region;
	out->account = !write && strcmp(p->role, "admin") == 0 ? NULL :
	    p->account_id;
	return true;
}

bool
scope_read(struct request *req, struct scope *out, struct api_error *err)
{
	return scope_fill(req, false, out, err);
}

bool
scope_write(struct request *req, struct scope *out, struct api_error *err)
{
	return scope_fill(req, true, out, err);
}

static struct db_stmt q_lock = DB_STMT(
    "SELECT pg_advisory_xact_lock($3::int, hashtext($1 || '/' || $2))");

bool
scope_lock(struct request *req, const struct scope *s, int key,
    struct api_error *err)
{
	const char	*p[3] = { s->account, s->region,
			    arena_printf(req->arena, "%d", key) };

	/* Nothing to read: the lock goes with the next statement. */
	return db_defer(req, &q_lock, 3, p, err);
}
