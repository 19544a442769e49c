/*
 * STS GetCallerIdentity on the EC2 endpoint: aws-cli and terraform ask
 * it first.  A user answers with their IAM-style ARN; the sandbox
 * account (no user) answers as the account root.
 */
#include <stdio.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/error.h"
#include "core/request.h"
#include "actions.h"
#include "query.h"
#include "xml.h"

static struct db_stmt q_user_name = DB_STMT(
    "SELECT name FROM cloudsim.users WHERE id = $1::uuid");

bool
sts_get_caller_identity(struct ec2_call *c, struct api_error *err)
{
	const struct principal	*p = &c->req->principal;
	const char		*params[1] = { p->user_id }, *arn, *uid;
	PGresult		*r;

	if (p->user_id[0] != '\0') {
		if ((r = db_exec(c->req, &q_user_name, 1, params, err)) == NULL)
			return false;
		if (PQntuples(r) != 1)
			return api_error_internal(err);
		arn = arena_printf(c->req->arena, "arn:aws:iam::%s:user/%s",
		    p->account_id, db_get(r, 0, "name"));
		uid = p->user_id;
	} else {
		arn = arena_printf(c->req->arena, "arn:aws:iam::%s:root",
		    p->account_id);
		uid = p->account_id;
	}
	xml_open(&c->xml, "GetCallerIdentityResult");
	xml_text(&c->xml, "Arn", arn);
	xml_text(&c->xml, "UserId", uid);
	xml_text(&c->xml, "Account", p->account_id);
	xml_close(&c->xml);
	xml_open(&c->xml, "ResponseMetadata");
	xml_text(&c->xml, "RequestId", c->req->request_id);
	xml_close(&c->xml);
	return true;
}
