/*
 * The reset is one SQL function (cloudsim.reset_account, sql/009): the
 * account row goes, every resource goes with it through ON DELETE
 * CASCADE, and the account comes back with its defaults — in one
 * transaction, so a concurrent request sees the old world or the new.
 */
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "sandbox.h"

static struct db_stmt q_reset = DB_STMT(
    "SELECT cloudsim.reset_account($1)");

static bool
reset_tx(struct request *req, void *arg, struct api_error *err)
{
	const char	*acct = arg, *params[1] = { acct };

	return db_exec(req, &q_reset, 1, params, err) != NULL &&
	    audit_write(req, "sandbox.reset", params, 1, 200, err);
}

bool
sandbox_reset(struct request *req, struct response *res,
    struct api_error *err)
{
	const char	*acct = config_get("sandbox_account_id");

	if (strcmp(config_get("auth_mode"), "sandbox") != 0)
		return api_error_set(err, 403, "UnauthorizedOperation",
		    "reset is only available in sandbox mode (auth_mode = "
		    "sandbox)");
	snprintf(req->principal.account_id, sizeof(req->principal.account_id),
	    "%s", acct);
	if (!db_transaction(req, reset_tx, (void *)acct, err))
		return false;
	response_json(req, res, 200, json_pack("{s:b, s:s}", "reset", 1,
	    "account_id", acct));
	return true;
}
