/*
 * Writing audit_log rows.  Resource ids travel as one text[] parameter,
 * so any number of ids costs one statement.  Nothing reads the row
 * back, so inside a transaction it is deferred (db_defer): it goes with
 * the transaction's next statement or its COMMIT, and a write request
 * pays no round trip of its own for its audit row.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "error.h"
#include "log.h"
#include "pgarray.h"
#include "request.h"

static struct db_stmt q_audit = DB_STMT(
    "INSERT INTO cloudsim.audit_log (request_id, service, account_id,"
    " user_id, access_key_id, action, resource_ids, source_ip,"
    " user_agent, status, error_code)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::inet, $9, $10, $11)");

static bool
write_row(struct request *req, const char *action, const char *const *ids,
    size_t nids, int status, const char *code, struct api_error *err)
{
	const struct principal *p = &req->principal;
	char		 st[8];
	const char	*params[11];

	snprintf(st, sizeof(st), "%d", status);
	params[0] = req->request_id;
	params[1] = req->service;
	params[2] = p->account_id[0] ? p->account_id : NULL;
	params[3] = p->user_id[0] ? p->user_id : NULL;
	params[4] = p->access_key_id[0] ? p->access_key_id : NULL;
	params[5] = action;
	params[6] = pgarray_text(req->arena, ids, nids, 0);
	params[7] = req->remote_addr;
	params[8] = req->user_agent;
	params[9] = st;
	params[10] = code;
	return db_defer(req, &q_audit, 11, params, err);
}

bool
audit_write(struct request *req, const char *action,
    const char *const *ids, size_t nids, int status, struct api_error *err)
{
	/* A creation is 201 over REST but 200 over EC2's Query API. */
	if (status < 300 && req->success_status != 0)
		status = req->success_status;
	return write_row(req, action, ids, nids, status, NULL, err);
}

void
audit_failure(struct request *req, const char *action,
    const char *const *ids, size_t nids, const struct api_error *failure)
{
	struct api_error	err;

	if (!write_row(req, action, ids, nids, failure->status,
	    failure->code, &err))
		log_msg(LOG_WARN, "audit row for failed %s not written: %s",
		    action, err.message);
}
