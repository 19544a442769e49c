/*
 * The tag change the vpcs, volumes and instances services share: checks
 * the input, then one statement and the audit row in one transaction.
 */
#include <libpq-fe.h>

#include "audit.h"
#include "db.h"
#include "error.h"
#include "pgarray.h"
#include "request.h"
#include "scope.h"
#include "tag_change.h"
#include "tags.h"

struct tag_run {
	const struct tag_target	*target;
	const char		*action;
	const char		*params[4];
	PGresult		*row;
};

static bool
tag_run_tx(struct request *req, void *arg, struct api_error *err)
{
	struct tag_run	*c = arg;
	const char	*id;

	if ((c->row = db_exec(req, c->target->st, 4, c->params, err)) == NULL)
		return false;
	if (PQntuples(c->row) == 0)
		return c->target->not_found(c->target->kind, c->params[0], err);
	/* The row's id: a key pair is named by its name or its id. */
	id = db_get(c->row, 0, "id");
	return audit_write(req, c->action, &id, 1, 200, err);
}

static json_t *
tag_run(struct request *req, const struct tag_target *t, const char *action,
    const char *change, struct api_error *err)
{
	struct tag_run	 c = { t, action, { t->id, NULL, NULL, change }, NULL };
	struct scope	 s;
	json_t		*out;

	if (!scope_write(req, &s, err))
		return NULL;
	c.params[1] = s.account;
	c.params[2] = s.region;
	if (!db_transaction(req, tag_run_tx, &c, err))
		return NULL;
	out = json_pack("{s:s, s:o}", "id", db_get(c.row, 0, "id"),
	    "tags", tags_render(db_get(c.row, 0, "tags")));
	if (out == NULL)
		api_error_internal(err);
	return out;
}

json_t *
tag_change_merge(struct request *req, const struct tag_target *t,
    const struct tag_set *tags, struct api_error *err)
{
	if (!tags_validate(tags, err))
		return NULL;
	if (tags->n == 0) {
		api_error_missing(err, "tags");
		return NULL;
	}
	return tag_run(req, t, TAG_ACTION_CREATE, tags_param(req, tags), err);
}

json_t *
tag_change_remove(struct request *req, const struct tag_target *t,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	size_t	i;

	if (nkeys == 0) {
		api_error_missing(err, "key");
		return NULL;
	}
	for (i = 0; i < nkeys; i++)
		if (!tags_validate_key(keys[i], err))
			return NULL;
	return tag_run(req, t, TAG_ACTION_DELETE,
	    pgarray_text(req->arena, keys, nkeys, 0), err);
}
