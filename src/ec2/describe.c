/*
 * Describe over the services' pages.  Without MaxResults EC2 answers
 * every item, so the pages are walked here, 1000 at a time; with it,
 * the NextToken carries the offset of the next page.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/listing.h"
#include "core/request.h"
#include "core/tags.h"
#include "describe.h"
#include "query.h"

bool
ec2_required(struct ec2_call *c, const char *name, const char **out,
    struct api_error *err)
{
	if ((*out = ec2_param(c, name)) == NULL || **out == '\0')
		return api_error_missing(err, name);
	return true;
}

const char *
ec2_optional(struct ec2_call *c, const char *name)
{
	const char	*v = ec2_param(c, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
ec2_return_true(struct ec2_call *c)
{
	xml_text(&c->xml, "return", "true");
}

bool
ec2_tag_specs(struct ec2_call *c, const char *type, struct tag_set *out,
    struct api_error *err)
{
	struct tag	*tags;
	char		 name[64];
	const char	*t, *k, *v;
	size_t		 n = 0;
	int		 i, j;

	tags = arena_calloc(c->req->arena, TAGS_MAX + 1, sizeof(*tags));
	for (i = 1; i <= 20; i++) {
		snprintf(name, sizeof(name), "TagSpecification.%d.ResourceType", i);
		if ((t = ec2_param(c, name)) == NULL)
			continue;
		if (strcmp(t, type) != 0)
			continue;
		for (j = 1; j <= TAGS_MAX + 1; j++) {
			snprintf(name, sizeof(name),
			    "TagSpecification.%d.Tag.%d.Key", i, j);
			if ((k = ec2_param(c, name)) == NULL)
				continue;
			snprintf(name, sizeof(name),
			    "TagSpecification.%d.Tag.%d.Value", i, j);
			v = ec2_param(c, name);
			if (n == TAGS_MAX)
				return api_error_set(err, 400,
				    "TagLimitExceeded", "at most %d tags",
				    TAGS_MAX);
			tags[n].key = k;
			tags[n].value = v != NULL ? v : "";
			n++;
		}
	}
	out->items = tags;
	out->n = n;
	return tags_validate(out, err);
}

static void
json_decref_if(json_t *j)
{
	json_decref(j);
}

/* Which of the requested ids did items not return?  NULL: none. */
static const char *
missing_ids(const struct str_list *ids, const json_t *items)
{
	json_t		*it;
	const char	*id;
	size_t		 i, j;
	bool		 found;

	for (i = 0; i < ids->n; i++) {
		found = false;
		json_array_foreach(items, j, it)
			if ((id = json_string_value(json_object_get(it, "id"))) !=
			    NULL && strcmp(id, ids->v[i]) == 0)
				found = true;
		if (!found)
			return ids->v[i];
	}
	return NULL;
}

/*
 * An id the filters left out is not missing: EC2 answers an empty set
 * for VolumeId.1=v with a filter v does not match, and NotFound only
 * for an id that does not exist (terraform asks "is v attached to i?"
 * this way).  So the ids the filtered answer lacks are looked up alone.
 * NULL: every id exists; else the first that does not.
 */
static const char *
unknown_id(struct ec2_call *c, const struct describe_spec *d,
    const struct str_list *ids, const json_t *found, struct api_error *err,
    bool *failed)
{
	struct listing_filters	 f = { 0 };
	struct listing_page	 pg = { 1, LISTING_PAGE_SIZE_MAX };
	const char		*gone;
	json_t			*env;
	size_t			 i;

	*failed = false;
	if ((gone = missing_ids(ids, found)) == NULL || c->nfilters == 0)
		return gone;
	for (i = 0; i < ids->n; i++)
		listing_filters_add(c->req->arena, &f, d->id_key, ids->v[i]);
	if ((env = d->fn(c->req, &f, &pg, err)) == NULL) {
		*failed = true;
		return NULL;
	}
	gone = missing_ids(ids, json_object_get(env, "items"));
	json_decref(env);
	return gone;
}

bool
ec2_describe(struct ec2_call *c, const struct describe_spec *d,
    struct api_error *err)
{
	struct listing_filters	 f = { 0 };
	struct listing_page	 pg;
	const struct filter_map	*m;
	struct str_list		 ids, v;
	json_t			*all, *env, *items, *it;
	const char		*gone;
	long			 max, offset;
	size_t			 i, k;
	bool			 more, failed = false;

	ids = ec2_list(c, d->ids_param);
	for (i = 0; i < ids.n; i++)
		listing_filters_add(c->req->arena, &f, d->id_key, ids.v[i]);
	if (d->names_param != NULL) {
		v = ec2_list(c, d->names_param);
		for (i = 0; i < v.n; i++)
			listing_filters_add(c->req->arena, &f, d->names_key,
			    v.v[i]);
	}
	for (m = d->filters; m != NULL && m->ec2 != NULL; m++) {
		v = ec2_filter(c, m->ec2);
		if (m->key == NULL)
			continue;	/* accepted, always true here */
		for (i = 0; i < v.n; i++)
			listing_filters_add(c->req->arena, &f, m->key, v.v[i]);
	}
	for (i = 0; i < c->nfilters; i++) {
		if (strncmp(c->filters[i].name, "tag:", 4) != 0)
			continue;
		c->filter_used[i] = true;
		for (k = 0; k < c->filters[i].values.n; k++)
			listing_filters_add(c->req->arena, &f,
			    c->filters[i].name, c->filters[i].values.v[k]);
	}
	if (!ec2_filters_done(c, err) ||
	    !ec2_paging(c, d->max_min, d->max_max,
	    ids.n > 0 ? d->ids_param : NULL, &max, &offset, err))
		return false;
	all = request_keep(c->req, json_array());
	pg.page_size = max > 0 ? max : LISTING_PAGE_SIZE_MAX;
	if (offset % pg.page_size != 0)
		return api_error_invalid(err, "the NextToken does not match "
		    "MaxResults %ld", max);
	pg.page = offset / pg.page_size + 1;
	do {
		if ((env = d->fn(c->req, &f, &pg, err)) == NULL)
			return false;
		items = json_object_get(env, "items");
		json_array_foreach(items, i, it) {
			if (d->adapt != NULL)
				d->adapt(c, it);
			json_array_append(all, it);
		}
		more = pg.page < json_integer_value(json_object_get(env,
		    "total_pages"));
		json_decref_if(env);
		pg.page++;
	} while (more && max == 0);
	if (ids.n > 0 && (gone = unknown_id(c, d, &ids, all, err,
	    &failed)) != NULL)
		return api_error_set(err, 400, d->not_found, "the %s ID '%s' "
		    "does not exist", d->what, gone);
	if (failed)
		return false;
	xml_list(&c->xml, d->set, all, d->fields);
	if (max > 0 && more)
		xml_text(&c->xml, "nextToken",
		    ec2_next_token(c, (pg.page - 1) * pg.page_size));
	return true;
}
