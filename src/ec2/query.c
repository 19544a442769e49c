/*
 * Query parameter helpers.  Numbered parameters are found by scanning
 * the (short) parameter list; EC2 requests carry tens of parameters, not
 * thousands, so nothing is indexed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/hex.h"
#include "core/request.h"
#include "query.h"

const char *
ec2_param(const struct ec2_call *c, const char *name)
{
	return kvlist_get(&c->params, name);
}

/* If key is prefix + "." + number (+ rest), that number; else -1. */
static long
index_of(const char *key, const char *prefix, const char **rest)
{
	size_t	 len = strlen(prefix);
	char	*end;
	long	 n;

	if (strncmp(key, prefix, len) != 0 || key[len] != '.' ||
	    !isdigit((unsigned char)key[len + 1]))
		return -1;
	n = strtol(key + len + 1, &end, 10);
	if (n < 1 || n > 100000)
		return -1;
	*rest = end;
	return n;
}

struct numbered {
	long		 n;
	const char	*value;
};

static int
by_n(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;

	return (x->n > y->n) - (x->n < y->n);
}

struct str_list
ec2_list(struct ec2_call *c, const char *prefix)
{
	struct str_list	 l = { NULL, 0 };
	struct numbered	*tmp;
	const char	*rest;
	size_t		 i, n = 0;
	long		 k;

	tmp = arena_calloc(c->req->arena, c->params.n + 1, sizeof(*tmp));
	for (i = 0; i < c->params.n; i++) {
		k = index_of(c->params.items[i].key, prefix, &rest);
		if (k > 0 && *rest == '\0') {
			tmp[n].n = k;
			tmp[n].value = c->params.items[i].value;
			n++;
		}
	}
	qsort(tmp, n, sizeof(*tmp), by_n);
	l.v = arena_calloc(c->req->arena, n + 1, sizeof(*l.v));
	for (i = 0; i < n; i++)
		l.v[i] = tmp[i].value;
	l.n = n;
	return l;
}

bool
ec2_parse_filters(struct ec2_call *c, struct api_error *err)
{
	char		 prefix[32];
	const char	*rest;
	size_t		 i, j;
	long		 k, max = 0;

	for (i = 0; i < c->params.n; i++)
		if ((k = index_of(c->params.items[i].key, "Filter", &rest)) > max)
			max = k;
	if (max > 200)
		return api_error_invalid(err, "too many filters (at most 200)");
	c->filters = arena_calloc(c->req->arena, (size_t)max + 1,
	    sizeof(*c->filters));
	c->filter_used = arena_calloc(c->req->arena, (size_t)max + 1,
	    sizeof(bool));
	for (k = 1, j = 0; k <= max; k++) {
		snprintf(prefix, sizeof(prefix), "Filter.%ld.Name", k);
		if ((c->filters[j].name = ec2_param(c, prefix)) == NULL)
			continue;
		snprintf(prefix, sizeof(prefix), "Filter.%ld.Value", k);
		c->filters[j].values = ec2_list(c, prefix);
		if (c->filters[j].values.n == 0)
			return api_error_invalid(err, "the filter '%s' has no "
			    "values", c->filters[j].name);
		j++;
	}
	c->nfilters = j;
	return true;
}

struct str_list
ec2_filter(struct ec2_call *c, const char *name)
{
	struct str_list	 all = { NULL, 0 };
	size_t		 i, n = 0, total = 0;

	for (i = 0; i < c->nfilters; i++)
		if (strcmp(c->filters[i].name, name) == 0)
			total += c->filters[i].values.n;
	if (total == 0)
		return all;
	all.v = arena_calloc(c->req->arena, total, sizeof(*all.v));
	for (i = 0; i < c->nfilters; i++) {
		if (strcmp(c->filters[i].name, name) != 0)
			continue;
		c->filter_used[i] = true;
		memcpy(all.v + n, c->filters[i].values.v,
		    c->filters[i].values.n * sizeof(*all.v));
		n += c->filters[i].values.n;
	}
	all.n = n;
	return all;
}

bool
ec2_filters_done(struct ec2_call *c, struct api_error *err)
{
	size_t	i;

	for (i = 0; i < c->nfilters; i++)
		if (!c->filter_used[i])
			return api_error_invalid(err, "the filter '%s' is "
			    "invalid for %s", c->filters[i].name, c->action);
	return true;
}

/* Tokens are "o" + decimal offset, hex-encoded: opaque to clients. */
const char *
ec2_next_token(struct ec2_call *c, long offset)
{
	char	plain[32], *out;
	int	n;

	n = snprintf(plain, sizeof(plain), "o%ld", offset);
	out = arena_alloc(c->req->arena, 2 * (size_t)n + 1);
	hex_encode((const unsigned char *)plain, (size_t)n, out);
	return out;
}

static bool
token_offset(const char *t, long *offset)
{
	char	plain[32], *end;
	long	n;

	if ((n = hex_decode(t, (unsigned char *)plain, sizeof(plain) - 1)) < 2)
		return false;
	plain[n] = '\0';
	if (plain[0] != 'o' || !isdigit((unsigned char)plain[1]))
		return false;
	*offset = strtol(plain + 1, &end, 10);
	return *end == '\0' && *offset >= 0;
}

bool
ec2_paging(struct ec2_call *c, long min, long max, const char *ids_given,
    long *max_results, long *offset, struct api_error *err)
{
	const char	*m = ec2_param(c, "MaxResults");
	const char	*t = ec2_param(c, "NextToken");
	char		*end;

	*max_results = 0;
	*offset = 0;
	if (m != NULL) {
		if (ids_given != NULL)
			return api_error_set(err, 400,
			    "InvalidParameterCombination", "the parameter "
			    "MaxResults cannot be used with the parameter "
			    "%s", ids_given);
		*max_results = strtol(m, &end, 10);
		if (*end != '\0' || *m == '\0' || *max_results < min ||
		    *max_results > max)
			return api_error_invalid(err, "MaxResults must be "
			    "between %ld and %ld, got '%s'", min, max, m);
	}
	if (t != NULL && !token_offset(t, offset))
		return api_error_invalid(err, "the NextToken '%s' is invalid",
		    t);
	return true;
}

bool
ec2_bool(struct ec2_call *c, const char *name, bool def, bool *out,
    struct api_error *err)
{
	const char	*v = ec2_param(c, name);

	*out = def;
	if (v == NULL)
		return true;
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0)
		*out = false;
	else
		return api_error_invalid(err, "%s must be true or false, got "
		    "'%s'", name, v);
	return true;
}
