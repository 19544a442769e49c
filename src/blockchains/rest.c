/*
 * CloudManager v1 over HTTP: each handler admits the caller, reads the
 * path, query and body, calls chains.c or ledger.c and answers 200 with
 * its result.  v1 clients (the My Chauffe Python client) take only 200
 * as success, so creating answers 200, not 201; and v1 knows errors as
 * 400, 404 and 500 only, so a body of the wrong content type is a 400
 * here rather than the 415 of the /api/v1 services.
 */
#include <stdio.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/request.h"
#include "core/timestamp.h"
#include "core/urlencoded.h"
#include "core/utf8.h"
#include "access.h"
#include "chains.h"
#include "ledger.h"
#include "params.h"
#include "rest.h"

#define CHAIN_API_VERSION	"1.0"

/*
 * Constraints a client could trip; the row lock makes the first
 * unreachable, but should it ever fire the client can simply retry.
 */
static const struct db_constraint chain_constraints[] = {
	{ "blocks_pkey", 409, "BlockchainConflict",
	  "another block was appended to the chain at the same time; "
	  "try again" },
	{ "blocks_previous_fkey", 409, "BlockchainConflict",
	  "the chain changed while the block was appended; try again" },
	{ NULL, 0, NULL, NULL }
};

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

bool
chain_rest_init(void)
{
	char	 msg[256];

	if (!chain_access_configured(msg, sizeof(msg))) {
		log_msg(LOG_ERROR, "%s", msg);
		return false;
	}
	db_register_constraints(chain_constraints);
	return true;
}

void
chain_rest_render_error(struct request *req, struct response *res,
    const struct api_error *err)
{
	json_t	*body;

	body = json_pack("{s:b, s:s, s:s}", "success", 0,
	    "error", utf8_clean(req->arena, err->message), "code", err->code);
	res->json = body;
	arena_defer(req->arena, json_decref_cb, body);
}

/* Answer 200 with result, or pass err on when there is none. */
static bool
chain_rest_answer(struct request *req, struct response *res, json_t *result)
{
	if (result == NULL)
		return false;
	response_json(req, res, 200, result);
	return true;
}

/* The body as a JSON object; a wrong content type is a v1 400. */
static bool
chain_rest_body(struct request *req, json_t **body, struct api_error *err)
{
	if (request_json(req, body, err))
		return true;
	if (err->status == 415)
		err->status = 400;
	return false;
}

bool
chain_rest_health(struct request *req, struct response *res,
    struct api_error *err)
{
	char	 ts[TIMESTAMP_LEN + 1];
	bool	 up;

	(void)err;
	up = db_ping(req);
	timestamp_now(ts);
	/* No "version" key: the web app checks any it finds. */
	response_json(req, res, up ? 200 : 503, up ?
	    json_pack("{s:b, s:s, s:s}", "success", 1, "status", "healthy",
	    "timestamp", ts) :
	    json_pack("{s:b, s:s, s:s, s:s}", "success", 0,
	    "status", "unhealthy", "timestamp", ts,
	    "error", "the database is unreachable"));
	return true;
}

bool
chain_rest_version(struct request *req, struct response *res,
    struct api_error *err)
{
	(void)err;
	response_json(req, res, 200, json_pack("{s:s, s:s, s:s}",
	    "version", CLOUDSIM_VERSION, "api_version", CHAIN_API_VERSION,
	    "build", CLOUDSIM_BUILD));
	return true;
}

bool
chain_rest_list(struct request *req, struct response *res,
    struct api_error *err)
{
	struct chain_page	 page;
	const char		*user = kvlist_get(&req->query, "user_uuid");
	char			 q[CHAIN_PARAM_QUOTE_SIZE];

	if (!chain_access_check(req, err) ||
	    !chain_param_page(req, &page, err))
		return false;
	if (user != NULL && !id_is_uuid(user)) {
		snprintf(q, sizeof(q), "%s", user);
		return api_error_invalid(err, "user_uuid must be a UUID in "
		    "8-4-4-4-12 hex form, got '%s'", q);
	}
	return chain_rest_answer(req, res, chain_list(req, user, &page, err));
}

bool
chain_rest_create(struct request *req, struct response *res,
    struct api_error *err)
{
	struct chain_spec	 spec;
	json_t			*body;

	if (!chain_access_check(req, err) ||
	    !chain_rest_body(req, &body, err) ||
	    !chain_spec_parse(req, body, &spec, err))
		return false;
	return chain_rest_answer(req, res, chain_create(req, &spec, err));
}

bool
chain_rest_get(struct request *req, struct response *res,
    struct api_error *err)
{
	if (!chain_access_check(req, err))
		return false;
	return chain_rest_answer(req, res,
	    chain_get(req, request_param(req, "id"), err));
}

bool
chain_rest_add_transaction(struct request *req, struct response *res,
    struct api_error *err)
{
	struct ledger_tx	 tx;
	json_t			*body;

	if (!chain_access_check(req, err) ||
	    !chain_rest_body(req, &body, err) ||
	    !ledger_tx_parse(req, body, &tx, err))
		return false;
	return chain_rest_answer(req, res, ledger_add_transaction(req,
	    request_param(req, "id"), &tx, err));
}

bool
chain_rest_mine(struct request *req, struct response *res,
    struct api_error *err)
{
	json_t	*body;

	/* The body carries nothing, but must not be garbage either. */
	if (!chain_access_check(req, err) ||
	    !chain_rest_body(req, &body, err))
		return false;
	return chain_rest_answer(req, res,
	    ledger_mine(req, request_param(req, "id"), err));
}

bool
chain_rest_blocks(struct request *req, struct response *res,
    struct api_error *err)
{
	struct chain_page	 page;

	if (!chain_access_check(req, err) ||
	    !chain_param_page(req, &page, err))
		return false;
	return chain_rest_answer(req, res,
	    ledger_blocks(req, request_param(req, "id"), &page, err));
}

bool
chain_rest_validate(struct request *req, struct response *res,
    struct api_error *err)
{
	if (!chain_access_check(req, err))
		return false;
	return chain_rest_answer(req, res,
	    ledger_validate(req, request_param(req, "id"), err));
}
