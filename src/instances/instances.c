/*
 * Reading and adjusting instances.  Every statement reads through
 * cloudsim.v_instances or resolves the state with
 * cloudsim.instance_effective_state, and hides terminated instances
 * past their retention (visible_until), so a list, a single read and an
 * administrator's SELECT agree.  JSON is built by SQL.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/scope.h"
#include "core/tag_change.h"
#include "instances.h"
#include "tenancy.h"

/*
 * Instances as the API shows them are built by SQL (sql/015): a single
 * read joins cloudsim.v_instance_documents, a list passes the ids of its
 * page to cloudsim.instance_documents, which answers their documents as
 * a JSON array in the order given.  The statements here choose and
 * scope the ids.
 */
/* Rows of cloudsim.instances a list or a change may see. */
#define INSTANCE_VISIBLE(i) \
    " (" i ".visible_until IS NULL OR " i ".visible_until > now())"
#define INSTANCE_STATE(i) \
    "cloudsim.instance_effective_state(" i ".state, " i ".next_state, " \
    i ".next_state_at)"

const char *const instance_filter_keys[] = {
	"instance_id", "state", "state_code", "instance_type", "vpc_id",
	"subnet_id", "availability_zone", "image_id", "key_name",
	"reservation_id", "private_ip", "public_ip", NULL
};

/* A JSON column's text as a value (new reference), or 500. */
static json_t *
json_column(const PGresult *r, int row, const char *col,
    struct api_error *err)
{
	const char	*text = db_get(r, row, col);
	json_t		*v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (v == NULL)
		api_error_internal(err);
	return v;
}

/*
 * The filtered ids (f, inlined into both uses: the page is a range of
 * instances_list_idx, only the count reads every match), their count,
 * and the documents of one page (k, computed once, whatever the join
 * order), as a JSON array.  A caller's list
 * and an admin's are two statements, so that the caller's keeps the
 * account in its index condition even under a generic plan; $1 is the
 * account (NULL for an admin).  A caller's list of given ids (what
 * DescribeInstances' waiters and terraform send) is a third: with
 * "$3 IS NULL OR" a generic plan cannot use the primary key and reads
 * every instance of the account in the region.  Its generic plan finds
 * the ids by the primary key; PostgreSQL, comparing estimates, would
 * still plan it for every call (~0.15 ms, as much as the work), hence
 * DB_STMT_GENERIC.  Being generic, it joins the documents' view itself
 * (the view is planned once with it): going through
 * cloudsim.instance_documents, which the custom-planned lists need,
 * starts a second executor in a PL/pgSQL call and cost PostgreSQL about
 * 0.2 ms of a DescribeInstances for one id.  Given ids and no other
 * filter, the most frequent call of all, is a fourth, without the
 * twelve "$n IS NULL OR" tests: PostgreSQL prepares every expression
 * of a statement each time it runs it, and those tests, twice over,
 * were a good part of its time for one instance.  No filter at all is a
 * fifth, whose total is not a count (INSTANCE_UNFILTERED_TOTAL).
 */
#define INSTANCE_PAGE_TOTAL(match, limit, offset, total, items) \
    "WITH f AS NOT MATERIALIZED (SELECT i.id, i.created_at" \
    " FROM cloudsim.instances i WHERE " match ")," \
    " k AS MATERIALIZED (SELECT id, created_at FROM f" \
    " ORDER BY created_at, id LIMIT " limit " OFFSET " offset ")" \
    " SELECT " total " AS total, " items " AS items"
#define INSTANCE_PAGE(match, limit, offset, items) \
    INSTANCE_PAGE_TOTAL(match, limit, offset, "(SELECT count(*) FROM f)", \
    items)

/*
 * The total of a list with no filter, without reading the list (sql/017):
 * the live instances of account $1 in region $2, counted as they come
 * and go, plus the terminated ones still listed, a range of their index.
 */
#define INSTANCE_UNFILTERED_TOTAL \
    "(coalesce((SELECT c.live FROM cloudsim.instance_list_counts c" \
    " WHERE c.account_id = $1 AND c.region = $2), 0)" \
    " + (SELECT count(*) FROM cloudsim.instances t" \
    " WHERE t.account_id = $1 AND t.region = $2" \
    " AND t.visible_until > now()))"

/* $1 scope, $2 region, $3 ids, $4 … $15 the filters. */
#define INSTANCE_FILTERS(scope, ids) \
    scope " AND i.region = $2 AND" INSTANCE_VISIBLE("i") " AND " ids \
    " AND ($4::text[] IS NULL OR " INSTANCE_STATE("i") " = ANY ($4))" \
    " AND ($5::text[] IS NULL OR cloudsim.instance_state_code(" \
    INSTANCE_STATE("i") ")::text = ANY ($5))" \
    " AND ($6::text[] IS NULL OR i.instance_type = ANY ($6))" \
    " AND ($7::text[] IS NULL OR i.vpc_id = ANY ($7))" \
    " AND ($8::text[] IS NULL OR i.subnet_id = ANY ($8))" \
    " AND ($9::text[] IS NULL OR i.availability_zone = ANY ($9))" \
    " AND ($10::text[] IS NULL OR i.image_id = ANY ($10))" \
    " AND ($11::text[] IS NULL OR i.key_name = ANY ($11))" \
    " AND ($12::text[] IS NULL OR i.reservation_id = ANY ($12))" \
    " AND ($13::text[] IS NULL OR host(i.private_ip) = ANY ($13))" \
    " AND ($14::text[] IS NULL OR host(i.public_ip) = ANY ($14))" \
    " AND ($15::jsonb IS NULL OR cloudsim.tags_match(i.tags, $15::jsonb))"

/* The documents of k, in its order: planned with each call's filters. */
#define DOCUMENTS_BY_FUNCTION \
    "cloudsim.instance_documents(ARRAY(SELECT id FROM k" \
    " ORDER BY created_at, id))"
/* The same array from the view, for a statement whose plan is kept. */
#define DOCUMENTS_JOINED \
    "(SELECT coalesce(json_agg(d.document ORDER BY k.created_at, k.id)," \
    " '[]') FROM k JOIN cloudsim.v_instance_documents d ON d.id = k.id)"

#define ANY_ID		"($3::text[] IS NULL OR i.id = ANY ($3))"
#define GIVEN_IDS	"i.id = ANY ($3::text[])"

static struct db_stmt q_instance_list = DB_STMT(INSTANCE_PAGE(
    INSTANCE_FILTERS("i.account_id = $1", ANY_ID), "$16", "$17",
    DOCUMENTS_BY_FUNCTION));
static struct db_stmt q_instance_list_ids = DB_STMT_GENERIC(INSTANCE_PAGE(
    INSTANCE_FILTERS("i.account_id = $1", GIVEN_IDS), "$16", "$17",
    DOCUMENTS_JOINED));
static struct db_stmt q_instance_list_all = DB_STMT(INSTANCE_PAGE(
    INSTANCE_FILTERS("$1::text IS NULL", ANY_ID), "$16", "$17",
    DOCUMENTS_BY_FUNCTION));
/*
 * $1 account, $2 region, $3 limit, $4 offset: no filter at all, the
 * first call of most clients and what a console pages through.  Its
 * page is a range of instances_list_idx and its total is constant time,
 * whatever the account holds.  Planned per call like the other lists:
 * a generic plan knows neither the limit nor how many rows the account
 * has, and chose to hash-join the view's every instance to the page.
 */
static struct db_stmt q_instance_list_unfiltered = DB_STMT(
    INSTANCE_PAGE_TOTAL("i.account_id = $1 AND i.region = $2 AND"
    INSTANCE_VISIBLE("i"), "$3", "$4", INSTANCE_UNFILTERED_TOTAL,
    DOCUMENTS_BY_FUNCTION));
/* $1 account, $2 region, $3 ids, $4 limit, $5 offset. */
static struct db_stmt q_instance_list_only_ids = DB_STMT_GENERIC(INSTANCE_PAGE(
    "i.account_id = $1 AND i.region = $2 AND" INSTANCE_VISIBLE("i")
    " AND " GIVEN_IDS, "$4", "$5", DOCUMENTS_JOINED));

/*
 * $1 account, $2 region, $3 one id: one id and nothing else, what
 * DescribeInstances' waiters and terraform send after every change.
 * The list of given ids (q_instance_list_only_ids) would answer the
 * same, but it is planned as a page (a CTE, a count and an ordered
 * aggregate) and needs plan_cache_mode set and reset around it; this
 * one is an index probe whose plan PostgreSQL keeps by itself.
 */
static struct db_stmt q_instance_list_one = DB_STMT(
    "SELECT count(*) AS total, coalesce(json_agg(d.document), '[]')"
    " AS items FROM cloudsim.v_instance_documents d"
    " WHERE d.id = $3 AND d.account_id = $1 AND d.region = $2");

/* Whether the filters $4 … $15 of an INSTANCE_FILTERS list are all unset. */
static bool
filters_unset(const char *const *p)
{
	int	i;

	for (i = 3; i < 15; i++)
		if (p[i] != NULL)
			return false;
	return true;
}

/* The row of one page: "total" and "items" (a JSON array), or NULL. */
static PGresult *
instance_page(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	struct scope	 t;
	struct db_stmt	*st;
	const char	*p[17], *one;
	size_t		 i;

	if (!scope_read(req, &t, err))
		return NULL;
	p[0] = t.account;
	p[1] = t.region;
	/* $3 … $14 are the filters, in instance_filter_keys' order. */
	for (i = 0; instance_filter_keys[i] != NULL; i++)
		p[2 + i] = listing_filter_param(req, f, instance_filter_keys[i]);
	p[14] = listing_tag_param(req, f);
	p[15] = listing_limit(req, page);
	p[16] = listing_offset(req, page);
	if (t.account == NULL)
		st = &q_instance_list_all;
	else if (p[2] == NULL && filters_unset(p)) {
		p[2] = p[15];
		p[3] = p[16];
		return db_exec(req, &q_instance_list_unfiltered, 4, p, err);
	} else if (p[2] == NULL)
		st = &q_instance_list;
	else if (filters_unset(p)) {
		/* The first page of one id is that id's instance, if any. */
		if (strcmp(p[16], "0") == 0 &&
		    (one = listing_filter_single(f, "instance_id")) != NULL) {
			p[2] = one;
			return db_exec(req, &q_instance_list_one, 3, p, err);
		}
		p[3] = p[15];
		p[4] = p[16];
		return db_exec(req, &q_instance_list_only_ids, 5, p, err);
	} else
		st = &q_instance_list_ids;
	return db_exec(req, st, 17, p, err);
}

json_t *
instance_describe(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	PGresult	*r;
	json_t		*items;

	if ((r = instance_page(req, f, page, err)) == NULL ||
	    (items = json_column(r, 0, "items", err)) == NULL)
		return NULL;
	return listing_envelope(items, db_get_int(r, 0, "total"), page);
}

const char *
instance_describe_text(struct request *req, const struct listing_filters *f,
    const struct listing_page *page, struct api_error *err)
{
	PGresult	*r;

	if ((r = instance_page(req, f, page, err)) == NULL)
		return NULL;
	return listing_envelope_text(req, db_get(r, 0, "items"),
	    db_get_int(r, 0, "total"), page);
}

static struct db_stmt q_instance_get = DB_STMT(
    "SELECT d.document AS instance FROM cloudsim.v_instance_documents d"
    " WHERE d.id = $1 AND ($2::text IS NULL OR d.account_id = $2)"
    " AND d.region = $3");

/* The caller's instance id as one row of q_instance_get, or NULL. */
static PGresult *
instance_read(struct request *req, const char *id, struct api_error *err)
{
	struct scope	 t;
	const char	*p[3];
	PGresult	*r;

	if (!instance_id_check(id, err) || !scope_read(req, &t, err))
		return NULL;
	p[0] = id;
	p[1] = t.account;
	p[2] = t.region;
	if ((r = db_exec(req, &q_instance_get, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		instance_not_found(arena_printf(req->arena, "'%s'", id), err);
		return NULL;
	}
	return r;
}

json_t *
instance_get(struct request *req, const char *id, struct api_error *err)
{
	PGresult	*r = instance_read(req, id, err);

	return r != NULL ? json_column(r, 0, "instance", err) : NULL;
}

const char *
instance_document(struct request *req, const char *id,
    struct api_error *err)
{
	PGresult	*r = instance_read(req, id, err);

	return r != NULL ? db_get(r, 0, "instance") : NULL;
}

/* Generic: found by instances_reservation_idx whatever the values. */
static struct db_stmt q_instance_reservation = DB_STMT_GENERIC(
    "SELECT coalesce(json_agg(d.document ORDER BY d.ami_launch_index), '[]')"
    " AS items FROM cloudsim.v_instance_documents d"
    " WHERE d.reservation_id = $1 AND d.account_id = $2");

json_t *
instance_reservation(struct request *req, const char *reservation_id,
    const char *account, struct api_error *err)
{
	const char	*p[2] = { reservation_id, account };
	PGresult	*r;
	json_t		*items;

	if ((r = db_exec(req, &q_instance_reservation, 2, p, err)) == NULL ||
	    (items = json_column(r, 0, "items", err)) == NULL)
		return NULL;
	return json_pack("{s:s, s:s, s:o}", "reservation_id", reservation_id,
	    "owner_id", account, "items", items);
}

/*
 * Locks the instance and reads what the change depends on; the update
 * happens only when all holds, and the caller turns the reasons into
 * errors (rolling back).
 */
static struct db_stmt q_instance_modify = DB_STMT(
    "WITH cur AS (SELECT i.id, " INSTANCE_STATE("i") " AS state,"
    " img.architecture, t.name AS type_name,"
    " coalesce(img.architecture = ANY (t.architectures), false)"
    "  AS architecture_ok,"
    " array_to_string(t.architectures, ', ') AS type_architectures"
    " FROM cloudsim.instances i JOIN cloudsim.images img ON img.id = i.image_id"
    " LEFT JOIN cloudsim.instance_types t ON t.name = $4"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " FOR UPDATE OF i),"
    " u AS (UPDATE cloudsim.instances i SET instance_type = $4 FROM cur"
    " WHERE i.id = cur.id AND cur.state = 'stopped' AND cur.architecture_ok"
    " AND i.instance_type <> $4 RETURNING i.id)"
    " SELECT cur.*, (SELECT count(*) FROM u) AS updated FROM cur");

struct instance_change {
	const char	*params[4];
};

static bool
instance_modify_tx(struct request *req, void *arg, struct api_error *err)
{
	struct instance_change	*c = arg;
	const char		*state, *type = c->params[3];
	PGresult		*r;

	if ((r = db_exec(req, &q_instance_modify, 4, c->params, err)) == NULL)
		return false;
	if (PQntuples(r) == 0)
		return instance_not_found(arena_printf(req->arena, "'%s'",
		    c->params[0]), err);
	if (db_get(r, 0, "type_name") == NULL)
		return api_error_set(err, 400, "InvalidInstanceType",
		    "the instance type '%.64s' does not exist", type);
	if (!db_get_bool(r, 0, "architecture_ok"))
		return api_error_invalid(err, "the architecture '%s' of the "
		    "instance type '%.64s' does not match the architecture "
		    "'%s' of the instance's AMI", db_get(r, 0,
		    "type_architectures"), type, db_get(r, 0, "architecture"));
	state = db_get(r, 0, "state");
	if (strcmp(state, "stopped") != 0)
		return api_error_set(err, 409, "IncorrectInstanceState",
		    "the instance '%s' is '%s'; its type can be changed only "
		    "while it is 'stopped'", c->params[0], state);
	return audit_write(req, INSTANCE_ACTION_MODIFY, &c->params[0], 1, 200,
	    err);
}

json_t *
instance_modify(struct request *req, const char *id,
    const struct instance_modify_params *in, struct api_error *err)
{
	struct scope		t;
	struct instance_change	c;

	if (!instance_id_check(id, err))
		return NULL;
	if (in->instance_type == NULL) {
		api_error_missing(err, "instance_type");
		return NULL;
	}
	if (!scope_write(req, &t, err))
		return NULL;
	c.params[0] = id;
	c.params[1] = t.account;
	c.params[2] = t.region;
	c.params[3] = in->instance_type;
	if (!db_transaction(req, instance_modify_tx, &c, err))
		return NULL;
	return instance_get(req, id, err);
}

static struct db_stmt q_instance_user_data = DB_STMT(
    "SELECT i.id, i.user_data FROM cloudsim.instances i"
    " WHERE i.id = $1 AND ($2::text IS NULL OR i.account_id = $2)"
    " AND i.region = $3 AND" INSTANCE_VISIBLE("i"));

json_t *
instance_user_data(struct request *req, const char *id, struct api_error *err)
{
	struct scope	 t;
	const char	*p[3];
	PGresult	*r;
	json_t		*out;

	if (!instance_id_check(id, err) || !scope_read(req, &t, err))
		return NULL;
	p[0] = id;
	p[1] = t.account;
	p[2] = t.region;
	if ((r = db_exec(req, &q_instance_user_data, 3, p, err)) == NULL)
		return NULL;
	if (PQntuples(r) == 0) {
		instance_not_found(arena_printf(req->arena, "'%s'", id), err);
		return NULL;
	}
	if ((out = json_pack("{s:s, s:s?}", "id", id, "user_data",
	    db_get(r, 0, "user_data"))) == NULL)
		api_error_internal(err);
	return out;
}

/* --- tags ---------------------------------------------------------- */

static struct db_stmt q_instance_tags_merge = DB_STMT(
    "UPDATE cloudsim.instances i SET tags = tags || $4::jsonb"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " RETURNING i.id, i.tags");
static struct db_stmt q_instance_tags_delete = DB_STMT(
    "UPDATE cloudsim.instances i SET tags = tags - $4::text[]"
    " WHERE i.id = $1 AND i.account_id = $2 AND i.region = $3"
    " AND" INSTANCE_VISIBLE("i") " RETURNING i.id, i.tags");

static bool
tags_not_found(const void *unused, const char *id, struct api_error *err)
{
	char	quoted[80];

	(void)unused;
	snprintf(quoted, sizeof(quoted), "'%s'", id);
	return instance_not_found(quoted, err);
}

json_t *
instance_tags_merge(struct request *req, const char *id,
    const struct tag_set *tags, struct api_error *err)
{
	struct tag_target	t = { id, &q_instance_tags_merge,
				    tags_not_found, NULL };

	if (!instance_id_check(id, err))
		return NULL;
	return tag_change_merge(req, &t, tags, err);
}

json_t *
instance_tags_delete(struct request *req, const char *id,
    const char *const *keys, size_t nkeys, struct api_error *err)
{
	struct tag_target	t = { id, &q_instance_tags_delete,
				    tags_not_found, NULL };

	if (!instance_id_check(id, err))
		return NULL;
	return tag_change_remove(req, &t, keys, nkeys, err);
}
