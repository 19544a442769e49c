/*
 * Security groups and rules.  The group quota is counted under the
 * per-account-and-region advisory lock, the rule quota under the
 * group's row lock; duplicates and "in use" are the schema's unique
 * constraint and foreign key.  Rules are normalised as EC2 stores them
 * (all protocols: ports -1; ICMP: type and code, -1 for any) so that a
 * duplicate is a duplicate however it was written.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "cidr.h"
#include "resources.h"
#include "security_groups.h"

/* The group quota's advisory lock key space (scope.h lists them all). */
#define SG_QUOTA_LOCK	4002

/* Columns security_group_render reads, from cloudsim.v_security_groups g. */
#define SG_COLUMNS \
	"g.id, g.arn, g.account_id, g.region, g.vpc_id, g.name," \
	" g.description, g.is_default, g.ingress, g.egress, " \
	DB_TIMESTAMP("g.created_at") " AS created_at, g.tags"

const char *const security_group_filter_keys[] = {
	"group_id", "group_name", "vpc_id", NULL
};

static const struct resource_kind kind_rule = {
	"sgr-", 17, "security group rule", "InvalidSecurityGroupRuleId.Malformed",
	"InvalidSecurityGroupRuleId.NotFound", NULL, NULL
};

static json_t *
security_group_render(const PGresult *r, int row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o,"
	    " s:s, s:o}",
	    "id", db_get(r, row, "id"),
	    "arn", db_get(r, row, "arn"),
	    "account_id", db_get(r, row, "account_id"),
	    "region", db_get(r, row, "region"),
	    "vpc_id", db_get(r, row, "vpc_id"),
	    "name", db_get(r, row, "name"),
	    "description", db_get(r, row, "description"),
	    "is_default", db_get_bool(r, row, "is_default"),
	    "ingress", resource_json_column(r, row, "ingress"),
	    "egress", resource_json_column(r, row, "egress"),
	    "created_at", db_get(r, row, "created_at"),
	    "tags", resource_json_column(r, row, "tags"));
}

/*
 * AWS's characters for names and descriptions in a VPC: letters,
 * digits, spaces and ._-:/()#,@[]+=&;{}!$*, 1..255 of them.
 */
static bool
sg_text(const char *value, const char *field, struct api_error *err)
{
	static const char extra[] = " ._-:/()#,@[]+=&;{}!$*";
	const char	*p;
	size_t		 len = strlen(value);

	if (len == 0)
		return api_error_invalid(err, "'%s' must not be empty", field);
	for (p = value; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(extra, *p) != NULL))
			return api_error_invalid(err, "'%s' value '%.64s' has "
			    "a character AWS does not allow; use letters, "
			    "digits, spaces and ._-:/()#,@[]+=&;{}!$*", field,
			    value);
	/* Only ASCII is left, so bytes are characters. */
	if (len > SG_TEXT_MAX)
		return api_error_invalid(err, "'%s' is %zu characters long; "
		    "the limit is %d", field, len, SG_TEXT_MAX);
	return true;
}

static struct db_stmt q_sg_get = DB_STMT(
    "SELECT " SG_COLUMNS " FROM cloudsim.v_security_groups g"
    " WHERE g.id = $1 AND ($2::text IS NULL OR g.account_id = $2)"
    " AND g.region = $3");

json_t *
security_group_get(struct request *req, const char *id,
    struct api_error *err)
{
	struct scope	s;

	if (!resource_id_check(&kind_security_group, id, "group_id", err) ||
	    !scope_read(req, &s, err))
		return NULL;
	return resource_get(req, &kind_security_group, &q_sg_get, id, &s,
	    security_group_render, err);
}

static struct db_stmt q_sg_list = DB_STMT(
    "WITH f AS (SELECT g.id, g.created_at FROM cloudsim.security_groups g"
    " WHERE ($1::text IS NULL OR g.account_id = $1) AND g.region = $2"
    " AND ($3::text[] IS NULL OR g.id = ANY ($3))"
    " AND ($4::text[] IS NULL OR g.name = ANY ($4))"
    " AND ($5::text[] IS NULL OR g.vpc_id = ANY ($5))"
    " AND ($6::jsonb IS NULL OR cloudsim.tags_match(g.tags, $6::jsonb)))"
    " SELECT t.total, p.* FROM (SELECT count(*) AS total FROM f) t"
    " LEFT JOIN LATERAL (SELECT k.created_at AS sort_at, " SG_COLUMNS
    " FROM (SELECT id, created_at FROM f ORDER BY created_at, id"
    " LIMIT $7 OFFSET $8) k JOIN cloudsim.v_security_groups g"
    " ON g.id = k.id) p ON true ORDER BY p.sort_at, p.id");

json_t *
security_group_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 s;
	const char	*p[8];

	if (!scope_read(req, &s, err))
		return NULL;
	p[0] = s.account;
	p[1] = s.region;
	p[2] = listing_filter_param(req, f, "group_id");
	p[3] = listing_filter_param(req, f, "group_name");
	p[4] = listing_filter_param(req, f, "vpc_id");
	p[5] = listing_tag_param(req, f);
	return resource_list(req, &q_sg_list, p, 8, page,
	    security_group_render, err);
}

struct sg_new {
	const struct security_group_create_params *in;
	const struct scope	*scope;
	long			 quota;
	const char		*id;		/* out */
};

/* The VPC (given, or the default one), the region's count, the insert. */
static struct db_stmt q_sg_insert = DB_STMT(
    "WITH v AS (SELECT id FROM cloudsim.vpcs"
    "  WHERE account_id = $1 AND region = $2"
    "  AND (id = $3 OR ($3::text IS NULL AND is_default))),"
    " n AS (SELECT count(*) AS groups FROM cloudsim.security_groups"
    "  WHERE account_id = $1 AND region = $2),"
    " ins AS (INSERT INTO cloudsim.security_groups"
    "  (vpc_id, account_id, region, name, description, tags)"
    "  SELECT v.id, $1, $2, $4, $5, $6::jsonb FROM v, n"
    "  WHERE n.groups < $7::bigint RETURNING id, vpc_id)"
    " SELECT (SELECT id FROM v) AS vpc_id, (SELECT id FROM ins) AS id");

static bool
sg_create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct sg_new	*n = arg;
	const char	*p[7], *vpc;
	PGresult	*r;

	if (!scope_lock(req, n->scope, SG_QUOTA_LOCK, err))
		return false;
	p[0] = n->scope->account;
	p[1] = n->scope->region;
	p[2] = n->in->vpc_id;
	p[3] = n->in->name;
	p[4] = n->in->description;
	p[5] = tags_param(req, &n->in->tags);
	p[6] = arena_printf(req->arena, "%ld", n->quota);
	if ((r = db_exec(req, &q_sg_insert, 7, p, err)) == NULL) {
		if (strcmp(err->code, "InvalidGroup.Duplicate") == 0)
			api_error_set(err, 409, "InvalidGroup.Duplicate", "the "
			    "security group '%s' already exists in the VPC",
			    n->in->name);
		return false;
	}
	if ((vpc = db_get(r, 0, "vpc_id")) == NULL) {
		if (n->in->vpc_id != NULL)
			return resource_not_found(&kind_vpc, n->in->vpc_id,
			    err);
		return api_error_set(err, 400, "VPCIdNotSpecified", "region "
		    "'%s' has no default VPC; give 'vpc_id'",
		    n->scope->region);
	}
	if ((n->id = db_get(r, 0, "id")) == NULL)
		return api_error_set(err, 400, "SecurityGroupLimitExceeded",
		    "the account has reached its limit of %ld security groups "
		    "in region '%s'", n->quota, n->scope->region);
	return audit_write(req, SG_ACTION_CREATE, &n->id, 1, 201, err);
}

json_t *
security_group_create(struct request *req,
    const struct security_group_create_params *in, struct api_error *err)
{
	struct scope	s;
	struct sg_new	n;

	if (in->name == NULL) {
		api_error_missing(err, "name");
		return NULL;
	}
	if (in->description == NULL) {
		api_error_missing(err, "description");
		return NULL;
	}
	if (!sg_text(in->name, "name", err) ||
	    !sg_text(in->description, "description", err) ||
	    (in->vpc_id != NULL &&
	    !resource_id_check(&kind_vpc, in->vpc_id, "vpc_id", err)) ||
	    !tags_validate(&in->tags, err))
		return NULL;
	if (strncasecmp(in->name, "sg-", 3) == 0 ||
	    strcmp(in->name, "default") == 0) {
		api_error_invalid(err, "the name '%s' is reserved: names "
		    "must not start with 'sg-' or be 'default'", in->name);
		return NULL;
	}
	if (!scope_write(req, &s, err))
		return NULL;
	memset(&n, 0, sizeof(n));
	n.in = in;
	n.scope = &s;
	n.quota = config_int("quota_security_groups_per_region");
	return resource_write(req, sg_create_tx, &n, &n.id,
	    &kind_security_group, &q_sg_get, &s, security_group_render, err);
}

/* The group, whether it is a default one, and who names it in a rule. */
static struct db_stmt q_sg_lock = DB_STMT(
    "SELECT g.id, g.is_default,"
    " (SELECT string_agg(DISTINCT r.group_id, ', ')"
    "  FROM cloudsim.security_group_rules r"
    "  WHERE r.source_group_id = g.id AND r.group_id <> g.id) AS users"
    " FROM cloudsim.security_groups g WHERE g.id = $1"
    " AND g.account_id = $2 AND g.region = $3 FOR UPDATE OF g");

static struct db_stmt q_sg_delete = DB_STMT(
    "DELETE FROM cloudsim.security_groups WHERE id = $1");

struct sg_gone {
	const struct scope	*scope;
	const char		*id;
};

static bool
sg_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct sg_gone	*g = arg;
	const char	*p[3] = { g->id, g->scope->account, g->scope->region };
	const char	*users;
	PGresult	*r;

	if ((r = db_exec(req, &q_sg_lock, 3, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(&kind_security_group, g->id, err);
	if (db_get_bool(r, 0, "is_default"))
		return api_error_set(err, 400, "CannotDelete", "the security "
		    "group '%s' is its VPC's default group, which is deleted "
		    "only with the VPC", g->id);
	if ((users = db_get(r, 0, "users")) != NULL)
		return api_error_set(err, 409, "DependencyViolation", "the "
		    "security group '%s' is referenced by rules of %.300s and "
		    "cannot be deleted", g->id, users);
	if (db_exec(req, &q_sg_delete, 1, p, err) == NULL)
		return false;
	return audit_write(req, SG_ACTION_DELETE, &g->id, 1, 200, err);
}

bool
security_group_delete(struct request *req, const char *id,
    struct api_error *err)
{
	struct scope	s;
	struct sg_gone	g;

	if (!resource_id_check(&kind_security_group, id, "group_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.scope = &s;
	g.id = id;
	return db_transaction(req, sg_delete_tx, &g, err);
}

/* --- rules --------------------------------------------------------- */

/* One rule as the schema stores it: normalised ports, canonical peer. */
struct rule_norm {
	char		 from[24], to[24];
	char		 cidr[CIDR4_TEXT_SIZE];
};

/* A call on several rules of one group, done in one transaction. */
struct rules_change {
	const struct security_group_rule_params *in;	/* n of them */
	struct rule_norm	*norm;			/* n of them */
	size_t			 n;
	const struct scope	*scope;
	const char		*group_id;
	long			 quota;
	json_t			*done;		/* out: rules added or removed */
};

static bool
port(bool given, long long v, const char *field, long long lo, long long hi,
    long long def, long long *out, struct api_error *err)
{
	*out = def;
	if (!given)
		return true;
	if (v < lo || v > hi)
		return api_error_invalid(err, "'%s' must be between %lld and "
		    "%lld, got %lld", field, lo, hi, v);
	*out = v;
	return true;
}

static bool
rule_validate(const struct security_group_rule_params *in,
    struct rule_norm *n, struct api_error *err)
{
	struct cidr4	block;
	long long	from, to;

	if (in->direction == NULL)
		return api_error_missing(err, "direction");
	if (strcmp(in->direction, "ingress") != 0 &&
	    strcmp(in->direction, "egress") != 0)
		return api_error_invalid(err, "'direction' value '%.32s' is "
		    "neither 'ingress' nor 'egress'", in->direction);
	if (in->protocol == NULL)
		return api_error_missing(err, "protocol");
	if (strcmp(in->protocol, "tcp") == 0 ||
	    strcmp(in->protocol, "udp") == 0) {
		if (!in->has_from_port)
			return api_error_missing(err, "from_port");
		if (!in->has_to_port)
			return api_error_missing(err, "to_port");
		if (!port(true, in->from_port, "from_port", 0, 65535, 0, &from,
		    err) || !port(true, in->to_port, "to_port", 0, 65535, 0,
		    &to, err))
			return false;
		if (from > to)
			return api_error_invalid(err, "'from_port' %lld is "
			    "greater than 'to_port' %lld", from, to);
	} else if (strcmp(in->protocol, "icmp") == 0) {
		/* For ICMP the pair is type and code; -1 means any. */
		if (!port(in->has_from_port, in->from_port, "from_port", -1,
		    255, -1, &from, err) || !port(in->has_to_port, in->to_port,
		    "to_port", -1, 255, -1, &to, err))
			return false;
	} else if (strcmp(in->protocol, "-1") == 0) {
		/* All protocols: ports do not apply, as EC2 ignores them. */
		from = to = -1;
	} else
		return api_error_invalid(err, "'protocol' value '%.32s' is not "
		    "supported: use tcp, udp, icmp or -1 (all)", in->protocol);
	if (in->cidr == NULL && in->source_group_id == NULL)
		return api_error_missing(err, "cidr");
	if (in->cidr != NULL && in->source_group_id != NULL)
		return api_error_set(err, 400, "InvalidParameterCombination",
		    "give either 'cidr' or 'source_group_id', not both");
	if (in->cidr != NULL) {
		if (!cidr4_parse(in->cidr, "cidr", &block, err))
			return false;
		cidr4_format(&block, n->cidr);
	}
	if (in->source_group_id != NULL &&
	    !resource_id_check(&kind_security_group, in->source_group_id,
	    "source_group_id", err))
		return false;
	if (in->description != NULL && in->description[0] != '\0' &&
	    !sg_text(in->description, "description", err))
		return false;
	snprintf(n->from, sizeof(n->from), "%lld", from);
	snprintf(n->to, sizeof(n->to), "%lld", to);
	return true;
}

/* Every rule valid, before any transaction starts. */
static bool
rules_prepare(struct request *req, const char *group_id,
    const struct security_group_rule_params *in, size_t n,
    struct rules_change *c, struct scope *s, struct api_error *err)
{
	size_t	i;

	memset(c, 0, sizeof(*c));
	if (!resource_id_check(&kind_security_group, group_id, "group_id",
	    err))
		return false;
	if (n == 0)
		return api_error_missing(err, "rules");
	c->norm = arena_calloc(req->arena, n, sizeof(*c->norm));
	for (i = 0; i < n; i++)
		if (!rule_validate(&in[i], &c->norm[i], err))
			return false;
	if (!scope_write(req, s, err))
		return false;
	c->in = in;
	c->n = n;
	c->scope = s;
	c->group_id = group_id;
	return true;
}

/* The group, locked against concurrent rule changes and deletion. */
static struct db_stmt q_rule_group = DB_STMT(
    "SELECT g.vpc_id FROM cloudsim.security_groups g WHERE g.id = $1"
    " AND g.account_id = $2 AND g.region = $3 FOR NO KEY UPDATE OF g");

/* Lock the group; its VPC into *vpc (valid until the request ends). */
static bool
rules_group(struct request *req, const struct rules_change *c,
    const char **vpc, struct api_error *err)
{
	const char	*p[3] = { c->group_id, c->scope->account,
			    c->scope->region };
	PGresult	*r;

	if ((r = db_exec(req, &q_rule_group, 3, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return resource_not_found(&kind_security_group, c->group_id,
		    err);
	*vpc = db_get(r, 0, "vpc_id");
	return true;
}

/* The direction's count, the source group's presence, the insert. */
static struct db_stmt q_rule_insert = DB_STMT(
    "WITH n AS (SELECT count(*) AS rules FROM cloudsim.security_group_rules"
    "  WHERE group_id = $1 AND direction = $3),"
    " src AS (SELECT $8::text IS NULL OR EXISTS (SELECT 1"
    "  FROM cloudsim.security_groups g WHERE g.id = $8 AND g.vpc_id = $2)"
    "  AS ok),"
    " ins AS (INSERT INTO cloudsim.security_group_rules AS r (group_id,"
    "  vpc_id, direction, protocol, from_port, to_port, cidr,"
    "  source_group_id, description)"
    "  SELECT $1, $2, $3, $4, $5::int, $6::int, $7::cidr, $8, $9"
    "  FROM n, src WHERE n.rules < $10::bigint AND src.ok"
    "  RETURNING r.id, cloudsim.security_group_rule_json(r) AS rule)"
    " SELECT src.ok AS source_ok, (SELECT id FROM ins) AS id,"
    " (SELECT rule FROM ins) AS rule FROM src");

/* Insert rule i; its JSON is appended to c->done. */
static bool
rule_insert(struct request *req, struct rules_change *c, size_t i,
    const char *vpc, struct api_error *err)
{
	const struct security_group_rule_params *in = &c->in[i];
	const char	*p[10], *action, *ids[2];
	PGresult	*r;

	p[0] = c->group_id;
	p[1] = vpc;
	p[2] = in->direction;
	p[3] = in->protocol;
	p[4] = c->norm[i].from;
	p[5] = c->norm[i].to;
	p[6] = in->cidr != NULL ? c->norm[i].cidr : NULL;
	p[7] = in->source_group_id;
	p[8] = in->description != NULL && in->description[0] != '\0' ?
	    in->description : NULL;
	p[9] = arena_printf(req->arena, "%ld", c->quota);
	if ((r = db_exec(req, &q_rule_insert, 10, p, err)) == NULL) {
		if (strcmp(err->code, "InvalidPermission.Duplicate") == 0)
			api_error_set(err, 409, "InvalidPermission.Duplicate",
			    "the security group '%s' already has this %s rule",
			    c->group_id, in->direction);
		return false;
	}
	if (!db_get_bool(r, 0, "source_ok"))
		return api_error_set(err, 404, "InvalidGroup.NotFound", "the "
		    "security group '%s' does not exist in VPC '%s'",
		    in->source_group_id, vpc);
	if ((ids[1] = db_get(r, 0, "id")) == NULL)
		return api_error_set(err, 400,
		    "RulesPerSecurityGroupLimitExceeded", "the security group "
		    "'%s' has reached its limit of %ld %s rules", c->group_id,
		    c->quota, in->direction);
	if (json_array_append_new(c->done, json_loads(db_get(r, 0, "rule"), 0,
	    NULL)) != 0)
		return api_error_internal(err);
	action = strcmp(in->direction, "ingress") == 0 ?
	    SG_ACTION_AUTHORIZE_INGRESS : SG_ACTION_AUTHORIZE_EGRESS;
	ids[0] = c->group_id;
	return audit_write(req, action, ids, 2, 201, err);
}

static bool
rules_add_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rules_change	*c = arg;
	const char		*vpc;
	size_t			 i;

	json_array_clear(c->done);	/* a retried transaction starts over */
	if (!rules_group(req, c, &vpc, err))
		return false;
	for (i = 0; i < c->n; i++)
		if (!rule_insert(req, c, i, vpc, err))
			return false;
	return true;
}

json_t *
security_group_rules_add(struct request *req, const char *group_id,
    const struct security_group_rule_params *in, size_t n,
    struct api_error *err)
{
	struct scope		s;
	struct rules_change	c;

	if (!rules_prepare(req, group_id, in, n, &c, &s, err))
		return NULL;
	c.quota = config_int("quota_rules_per_group");
	if ((c.done = json_array()) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	if (!db_transaction(req, rules_add_tx, &c, err)) {
		json_decref(c.done);
		return NULL;
	}
	return c.done;
}

json_t *
security_group_rule_add(struct request *req, const char *group_id,
    const struct security_group_rule_params *in, struct api_error *err)
{
	json_t	*all, *rule;

	if ((all = security_group_rules_add(req, group_id, in, 1, err)) == NULL)
		return NULL;
	rule = json_incref(json_array_get(all, 0));
	json_decref(all);
	return rule;
}

/* The rule equal to the normalised one, whatever its description. */
static struct db_stmt q_rule_match_delete = DB_STMT(
    "DELETE FROM cloudsim.security_group_rules r WHERE r.group_id = $1"
    " AND r.direction = $2 AND r.protocol = $3 AND r.from_port = $4::int"
    " AND r.to_port = $5::int AND r.cidr IS NOT DISTINCT FROM $6::cidr"
    " AND r.source_group_id IS NOT DISTINCT FROM $7"
    " RETURNING r.id, cloudsim.security_group_rule_json(r) AS rule");

static bool
rule_match_delete(struct request *req, struct rules_change *c, size_t i,
    struct api_error *err)
{
	const struct security_group_rule_params *in = &c->in[i];
	const char	*p[7], *ids[2];
	PGresult	*r;

	p[0] = c->group_id;
	p[1] = in->direction;
	p[2] = in->protocol;
	p[3] = c->norm[i].from;
	p[4] = c->norm[i].to;
	p[5] = in->cidr != NULL ? c->norm[i].cidr : NULL;
	p[6] = in->source_group_id;
	if ((r = db_exec(req, &q_rule_match_delete, 7, p, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return api_error_set(err, 404, "InvalidPermission.NotFound",
		    "the specified rule does not exist in this security group "
		    "('%s', %s %s %s..%s %s)", c->group_id, in->direction,
		    in->protocol, c->norm[i].from, c->norm[i].to,
		    in->cidr != NULL ? c->norm[i].cidr : in->source_group_id);
	if (json_array_append_new(c->done, json_loads(db_get(r, 0, "rule"), 0,
	    NULL)) != 0)
		return api_error_internal(err);
	ids[0] = c->group_id;
	ids[1] = db_get(r, 0, "id");
	return audit_write(req, strcmp(in->direction, "ingress") == 0 ?
	    SG_ACTION_REVOKE_INGRESS : SG_ACTION_REVOKE_EGRESS, ids, 2, 200,
	    err);
}

static bool
rules_remove_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rules_change	*c = arg;
	const char		*vpc;
	size_t			 i;

	json_array_clear(c->done);
	if (!rules_group(req, c, &vpc, err))
		return false;
	for (i = 0; i < c->n; i++)
		if (!rule_match_delete(req, c, i, err))
			return false;
	return true;
}

json_t *
security_group_rules_remove(struct request *req, const char *group_id,
    const struct security_group_rule_params *in, size_t n,
    struct api_error *err)
{
	struct scope		s;
	struct rules_change	c;

	if (!rules_prepare(req, group_id, in, n, &c, &s, err))
		return NULL;
	if ((c.done = json_array()) == NULL) {
		api_error_internal(err);
		return NULL;
	}
	if (!db_transaction(req, rules_remove_tx, &c, err)) {
		json_decref(c.done);
		return NULL;
	}
	return c.done;
}

static struct db_stmt q_rule_delete = DB_STMT(
    "WITH g AS (SELECT id FROM cloudsim.security_groups WHERE id = $1"
    "  AND account_id = $2 AND region = $3),"
    " d AS (DELETE FROM cloudsim.security_group_rules r USING g"
    "  WHERE r.id = $4 AND r.group_id = g.id RETURNING r.direction)"
    " SELECT (SELECT count(*) FROM g) AS groups,"
    " (SELECT direction FROM d) AS direction");

struct rule_gone {
	const struct scope	*scope;
	const char		*group_id;
	const char		*rule_id;
};

static bool
rule_delete_tx(struct request *req, void *arg, struct api_error *err)
{
	struct rule_gone	*g = arg;
	const char		*p[4] = { g->group_id, g->scope->account,
				    g->scope->region, g->rule_id };
	const char		*ids[2] = { g->group_id, g->rule_id };
	const char		*direction;
	PGresult		*r;

	if ((r = db_exec(req, &q_rule_delete, 4, p, err)) == NULL)
		return false;
	if (db_get_int(r, 0, "groups") == 0)
		return resource_not_found(&kind_security_group, g->group_id,
		    err);
	if ((direction = db_get(r, 0, "direction")) == NULL)
		return api_error_set(err, 404, kind_rule.not_found, "the "
		    "security group rule '%s' does not exist in group '%s'",
		    g->rule_id, g->group_id);
	return audit_write(req, strcmp(direction, "ingress") == 0 ?
	    SG_ACTION_REVOKE_INGRESS : SG_ACTION_REVOKE_EGRESS, ids, 2, 200,
	    err);
}

bool
security_group_rule_delete(struct request *req, const char *group_id,
    const char *rule_id, struct api_error *err)
{
	struct scope		s;
	struct rule_gone	g;

	if (!resource_id_check(&kind_security_group, group_id, "group_id",
	    err) || !resource_id_check(&kind_rule, rule_id, "rule_id", err) ||
	    !scope_write(req, &s, err))
		return false;
	g.scope = &s;
	g.group_id = group_id;
	g.rule_id = rule_id;
	return db_transaction(req, rule_delete_tx, &g, err);
}
