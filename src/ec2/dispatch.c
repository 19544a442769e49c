/*
 * One EC2 Query request: read the parameters (form body or query
 * string), find the action, authenticate the SigV4 signature (strict:
 * verified against the access key; sandbox: parsed only, and mapped to
 * the sandbox account), take the region from the credential scope,
 * answer DryRun, run the action, and send its XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/authn.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/regions.h"
#include "core/request.h"
#include "core/server.h"
#include "core/sigv4.h"
#include "core/urlencoded.h"
#include "core/utf8.h"
#include "actions.h"
#include "dispatch.h"
#include "query.h"
#include "xml.h"

#define EC2_NS		"http://ec2.amazonaws.com/doc/2016-11-15/"
#define STS_NS		"https://sts.amazonaws.com/doc/2011-06-15/"

static int
by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ec2_action *)elem)->name);
}

static struct db_stmt q_sandbox = DB_STMT(
    "WITH a AS (INSERT INTO cloudsim.accounts (id, name)"
    " VALUES ($1, 'sandbox') ON CONFLICT (id) DO NOTHING RETURNING id)"
    " SELECT cloudsim.account_created(id) FROM a");

/*
 * Sandbox: any well-formed signature is the sandbox account, which is
 * created (with its defaults) the first time any process needs it.
 */
static bool
sandbox_principal(struct request *req, struct sigv4_auth *auth,
    struct api_error *err)
{
	static const char *const services[] = { "ec2", "sts", NULL };
	static bool	 ensured;
	struct sigv4_request sr;
	const char	*acct = config_get("sandbox_account_id");
	const char	*h, *params[1] = { acct };
	struct sigv4_header hdr[2];
	const char *const *s;
	bool		 parsed = false;

	memset(&sr, 0, sizeof(sr));
	sr.method = req->method;
	sr.path = req->path;
	sr.query = req->query_string;
	if ((h = request_header(req, "Authorization")) != NULL) {
		hdr[0].name = "authorization";
		hdr[0].value = h;
		sr.headers = hdr;
		sr.nheaders = 1;
		if ((h = request_header(req, "X-Amz-Date")) != NULL) {
			hdr[1].name = "x-amz-date";
			hdr[1].value = h;
			sr.nheaders = 2;
		}
	}
	for (s = services; *s != NULL && !parsed; s++)
		parsed = sigv4_parse(&sr, *s, auth, err);
	if (!parsed)
		return false;
	if (!ensured) {
		if (db_exec(req, &q_sandbox, 1, params, err) == NULL)
			return false;
		ensured = true;
	}
	snprintf(req->principal.account_id, sizeof(req->principal.account_id),
	    "%s", acct);
	snprintf(req->principal.role, sizeof(req->principal.role), "user");
	snprintf(req->principal.access_key_id,
	    sizeof(req->principal.access_key_id), "%.20s",
	    auth->access_key_id);
	req->principal.authenticated = true;
	return true;
}

static bool
authenticate(struct request *req, struct sigv4_auth *auth,
    struct api_error *err)
{
	static const char *const services[] = { "ec2", "sts", NULL };

	if (strcmp(config_get("auth_mode"), "sandbox") == 0)
		return sandbox_principal(req, auth, err);
	return authn_sigv4(req, services, auth, err);
}

static bool
read_params(struct request *req, struct kvlist *out, struct api_error *err)
{
	const char	*ct = req->content_type;

	if (req->body_len > 0) {
		if (ct == NULL || strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) != 0)
			return api_error_set(err, 415, "UnsupportedMediaType",
			    "the EC2 Query API takes "
			    "application/x-www-form-urlencoded bodies, got "
			    "'%s'", ct ? ct : "(none)");
		return urlencoded_parse(req->arena, req->body, req->body_len,
		    out, err);
	}
	*out = req->query;
	return true;
}

/*
 * EC2 answers every client error 400 except those its clients act on:
 * 401 AuthFailure, 403 UnauthorizedOperation, 412 DryRunOperation (and
 * 405 for a method the endpoint does not take).  The services' 404s and
 * 409s are 400 here; server errors keep their status (503 is retried).
 */
static int
answered_status(int status)
{
	if (status < 400 || status >= 500 || status == 401 ||
	    status == 403 || status == 405 || status == 412)
		return status;
	return 400;
}

bool
ec2_dispatch(struct request *req, struct response *res,
    struct api_error *err)
{
	struct ec2_call			*c;
	const struct ec2_action		*a;
	struct sigv4_auth		 auth;
	const char			*version, *text;
	char				 root[96];
	bool				 dry;
	size_t				 len;

	c = arena_calloc(req->arena, 1, sizeof(*c));
	c->req = req;
	req->scratch = c;
	if (!read_params(req, &c->params, err))
		return false;
	if ((c->action = ec2_param(c, "Action")) == NULL)
		return api_error_set(err, 400, "MissingAction",
		    "the request must contain the parameter Action");
	a = bsearch(c->action, ec2_actions, ec2_nactions, sizeof(*a), by_name);
	if (a == NULL)
		return api_error_set(err, 400, "InvalidAction",
		    "the action '%s' is not valid for this web service",
		    c->action);
	/*
	 * The action is the Query API's operation: it names the request in
	 * the log and the metrics (a bounded set: only known actions).
	 */
	req->route = arena_printf(req->arena, "/?Action=%s", a->name);
	req->success_status = 200;
	version = ec2_param(c, "Version");
	if (version != NULL && strcmp(version, (a->flags & EC2_STS) ?
	    "2011-06-15" : "2016-11-15") != 0)
		return api_error_set(err, 400, "InvalidParameterValue",
		    "the Version '%s' is not supported for %s", version,
		    c->action);
	if (!authenticate(req, &auth, err))
		return false;
	c->region = arena_strdup(req->arena, auth.region);
	req->region = c->region;
	if (!region_exists(req, c->region, err) ||
	    !ec2_parse_filters(c, err) ||
	    !ec2_bool(c, "DryRun", false, &dry, err))
		return false;
	if (dry)
		return api_error_set(err, 412, "DryRunOperation",
		    "Request would have succeeded, but DryRun flag is set.");
	snprintf(root, sizeof(root), "%sResponse", c->action);
	if (!xml_begin(&c->xml, root, (a->flags & EC2_STS) ? STS_NS : EC2_NS,
	    (a->flags & EC2_STS) ? NULL : req->request_id))
		return api_error_internal(err);
	if (!a->fn(c, err)) {
		xml_free(&c->xml);
		if ((a->flags & EC2_MUTATES) && err->status != 503) {
			struct api_error answered = *err;

			answered.status = answered_status(err->status);
			audit_failure(req, c->action, NULL, 0, &answered);
		}
		return false;
	}
	if ((text = xml_end(&c->xml, &len)) == NULL) {
		xml_free(&c->xml);
		return api_error_internal(err);
	}
	res->body = arena_strndup(req->arena, text, len);
	res->body_len = len;
	res->content_type = "text/xml;charset=UTF-8";
	xml_free(&c->xml);
	return true;
}

void
ec2_render_error(struct request *req, struct response *res,
    const struct api_error *e)
{
	struct ec2_call	*c = req->scratch;
	struct xml_out	 x;
	const char	*code = e->code, *text;
	bool		 sts;
	size_t		 len;

	if (strcmp(req->path, "/") != 0) {
		server_render_json_error(req, res, e);
		return;
	}
	if (strcmp(code, "AuthenticationFailure") == 0)
		code = "AuthFailure";
	res->status = answered_status(e->status);
	sts = c != NULL && c->action != NULL &&
	    strcmp(c->action, "GetCallerIdentity") == 0;
	if (!xml_begin(&x, sts ? "ErrorResponse" : "Response",
	    sts ? STS_NS : NULL, NULL)) {
		server_render_json_error(req, res, e);
		return;
	}
	if (sts) {
		xml_open(&x, "Error");
		xml_text(&x, "Type", e->status >= 500 ? "Receiver" : "Sender");
		xml_text(&x, "Code", code);
		xml_text(&x, "Message", utf8_clean(req->arena, e->message));
		xml_close(&x);
		xml_text(&x, "RequestId", req->request_id);
	} else {
		xml_open(&x, "Errors");
		xml_open(&x, "Error");
		xml_text(&x, "Code", code);
		xml_text(&x, "Message", utf8_clean(req->arena, e->message));
		xml_close(&x);
		xml_close(&x);
		xml_text(&x, "RequestID", req->request_id);
	}
	if ((text = xml_end(&x, &len)) != NULL) {
		res->body = arena_strndup(req->arena, text, len);
		res->body_len = len;
		res->content_type = "text/xml;charset=UTF-8";
	}
	res->error_code = code;
	xml_free(&x);
}
