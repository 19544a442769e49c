/*
 * CreateTags, DeleteTags and DescribeTags across every resource type:
 * one SQL function changes the tags of all named resources in one
 * transaction (so an unknown id changes nothing), and one view lists
 * them (sql/010_tags.sql).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/error.h"
#include "core/pgarray.h"
#include "core/request.h"
#include "core/tags.h"
#include "actions.h"
#include "describe.h"
#include "query.h"
#include "xml.h"

static struct db_stmt q_change = DB_STMT(
    "SELECT array_to_string(cloudsim.tags_change($1, $2, $3::text[],"
    " $4::jsonb, $5::text[]), ', ') AS missing");

struct change {
	struct ec2_call		*c;
	struct str_list		 ids;
	const char		*add;		/* jsonb object text */
	const char		*remove;	/* text[] literal */
};

static bool
change_tx(struct request *req, void *arg, struct api_error *err)
{
	struct change	*ch = arg;
	const char	*params[5], *missing;
	PGresult	*r;

	params[0] = req->principal.account_id;
	params[1] = ch->c->region;
	params[2] = pgarray_text(req->arena, ch->ids.v, ch->ids.n, 0);
	params[3] = ch->add;
	params[4] = ch->remove;
	if ((r = db_exec(req, &q_change, 5, params, err)) == NULL)
		return false;
	missing = db_get(r, 0, "missing");
	if (missing != NULL && *missing != '\0')
		return api_error_set(err, 400, "InvalidID", "the ID '%s' is "
		    "not valid or does not exist", missing);
	return audit_write(req, ch->c->action, ch->ids.v, ch->ids.n, 200,
	    err);
}

/* Tag.N.Key / Tag.N.Value (values may be absent). */
static bool
read_tags(struct ec2_call *c, struct tag_set *out, struct api_error *err)
{
	struct tag	*t;
	char		 name[32];
	size_t		 n = 0;
	int		 i;

	t = arena_calloc(c->req->arena, TAGS_MAX + 2, sizeof(*t));
	for (i = 1; i <= 1000 && n <= TAGS_MAX; i++) {
		snprintf(name, sizeof(name), "Tag.%d.Key", i);
		if ((t[n].key = ec2_param(c, name)) == NULL)
			continue;
		snprintf(name, sizeof(name), "Tag.%d.Value", i);
		t[n].value = ec2_param(c, name);
		n++;
	}
	if (n > TAGS_MAX)
		return api_error_set(err, 400, "TagLimitExceeded",
		    "at most %d tags in one call", TAGS_MAX);
	out->items = t;
	out->n = n;
	return true;
}

static bool
change(struct ec2_call *c, bool add, struct api_error *err)
{
	struct change	 ch = { c, ec2_list(c, "ResourceId"), "{}", "{}" };
	struct tag_set	 tags;
	const char	**keys;
	size_t		 i;

	if (ch.ids.n == 0)
		return api_error_missing(err, "ResourceId.1");
	if (!read_tags(c, &tags, err))
		return false;
	if (add) {
		for (i = 0; i < tags.n; i++)
			if (tags.items[i].value == NULL)
				((struct tag *)tags.items)[i].value = "";
		if (tags.n == 0)
			return api_error_missing(err, "Tag.1.Key");
		if (!tags_validate(&tags, err))
			return false;
		ch.add = tags_param(c->req, &tags);
	} else {
		keys = arena_calloc(c->req->arena, tags.n + 1, sizeof(*keys));
		for (i = 0; i < tags.n; i++) {
			if (!tags_validate_key(tags.items[i].key, err))
				return false;
			keys[i] = tags.items[i].key;
		}
		ch.remove = pgarray_text(c->req->arena, keys, tags.n, 0);
		/* DeleteTags without keys removes every tag. */
		if (tags.n == 0)
			ch.remove = NULL;
	}
	if (!db_transaction(c->req, change_tx, &ch, err))
		return false;
	ec2_return_true(c);
	return true;
}

bool
ec2_create_tags(struct ec2_call *c, struct api_error *err)
{
	return change(c, true, err);
}

bool
ec2_delete_tags(struct ec2_call *c, struct api_error *err)
{
	return change(c, false, err);
}

static struct db_stmt q_tags = DB_STMT(
    "SELECT COALESCE(json_agg(json_build_object('resource_id', resource_id,"
    " 'resource_type', resource_type, 'key', key, 'value', value)"
    " ORDER BY resource_id, key), '[]') AS items FROM ("
    " SELECT * FROM cloudsim.v_tags WHERE account_id = $1 AND region = $2"
    " AND ($3::text[] IS NULL OR resource_id = ANY($3))"
    " AND ($4::text[] IS NULL OR resource_type = ANY($4))"
    " AND ($5::text[] IS NULL OR key = ANY($5))"
    " AND ($6::text[] IS NULL OR value = ANY($6))"
    " ORDER BY resource_id, key OFFSET $7::bigint"
    " LIMIT CASE WHEN $8::bigint > 0 THEN $8::bigint + 1 END) t");

static const struct xml_field tag_fields[] = {
	{ "resourceId", "resource_id", XF_STRING },
	{ "resourceType", "resource_type", XF_STRING },
	{ "key", "key", XF_STRING },
	{ "value", "value", XF_STRING },
	{ NULL }
};

bool
ec2_describe_tags(struct ec2_call *c, struct api_error *err)
{
	struct str_list	 ids = ec2_filter(c, "resource-id"),
			 types = ec2_filter(c, "resource-type"),
			 keys = ec2_filter(c, "key"), values = ec2_filter(c, "value");
	const char	*params[8];
	char		 off[24], lim[24];
	PGresult	*r;
	json_t		*items;
	long		 max, offset;
	bool		 more;

	if (!ec2_filters_done(c, err) ||
	    !ec2_paging(c, 5, 1000, NULL, &max, &offset, err))
		return false;
	snprintf(off, sizeof(off), "%ld", offset);
	snprintf(lim, sizeof(lim), "%ld", max);
	params[0] = c->req->principal.account_id;
	params[1] = c->region;
	params[2] = pgarray_text(c->req->arena, ids.v, ids.n, 1);
	params[3] = pgarray_text(c->req->arena, types.v, types.n, 1);
	params[4] = pgarray_text(c->req->arena, keys.v, keys.n, 1);
	params[5] = pgarray_text(c->req->arena, values.v, values.n, 1);
	params[6] = off;
	params[7] = lim;
	if ((r = db_exec(c->req, &q_tags, 8, params, err)) == NULL)
		return false;
	if ((items = request_keep(c->req, json_loads(db_get(r, 0, "items"), 0,
	    NULL))) == NULL)
		return api_error_internal(err);
	/* One row past the page says whether there is a next one. */
	more = max > 0 && (long)json_array_size(items) > max;
	if (more)
		json_array_remove(items, (size_t)max);
	xml_list(&c->xml, "tagSet", items, tag_fields);
	if (more)
		xml_text(&c->xml, "nextToken", ec2_next_token(c, offset + max));
	return true;
}
