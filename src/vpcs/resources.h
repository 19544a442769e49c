/*
 * What the five resources of vpcs.fcgi share: the id format and error
 * codes of each kind, the list query runner, tags (PUT and DELETE
 * …/tags), and the table that maps the schema's constraint names to
 * AWS's codes.  The caller's scope is core/scope.h's.  The services
 * (vpcs.h, subnets.h, security_groups.h, internet_gateways.h,
 * route_tables.h) are protocol-neutral; rest.h and the EC2 front call
 * them alike.
 */
#ifndef CLOUDSIM_VPCS_RESOURCES_H
#define CLOUDSIM_VPCS_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/db.h"
#include "core/error.h"
#include "core/scope.h"

struct request;
struct listing_page;
struct tag_set;


/* A kind of resource: its id format, names, codes and tag statements. */
struct resource_kind {
	const char	*prefix;	/* "vpc-" */
	size_t		 nhex;		/* 8 or 17 */
	const char	*noun;		/* "VPC", for messages */
	const char	*malformed;	/* "InvalidVpcID.Malformed" */
	const char	*not_found;	/* "InvalidVpcID.NotFound" */
	struct db_stmt	*tags_merge;	/* $1 id, $2 account, $3 region, $4 jsonb */
	struct db_stmt	*tags_delete;	/* … $4 text[] of keys */
};

extern const struct resource_kind kind_vpc, kind_subnet, kind_security_group,
	    kind_internet_gateway, kind_route_table;

/* 400 <Kind>.Malformed unless id has the kind's format; field names it. */
bool	resource_id_check(const struct resource_kind *, const char *id,
	    const char *field, struct api_error *);
/* Fill the 404 of an unknown (or another account's) id; returns false. */
bool	resource_not_found(const struct resource_kind *, const char *id,
	    struct api_error *);

/*
 * Run a list statement: its parameters are params[0..n-1], ending with
 * the page's LIMIT and OFFSET (the caller leaves the last two slots for
 * them).  Every row carries "total"; rows of the page have a non-NULL
 * "id" and are rendered by render.  Returns the list envelope (new
 * reference) or NULL with err.
 */
json_t	*resource_list(struct request *, struct db_stmt *, const char **params,
	    int n, const struct listing_page *,
	    json_t *(*render)(const PGresult *, int row), struct api_error *);

/*
 * Run a statement that reads one resource by id ($1 id, $2 account or
 * NULL, $3 region) and render it; 404 of kind when there is no row.
 * New reference, or NULL with err.
 */
json_t	*resource_get(struct request *, const struct resource_kind *,
	    struct db_stmt *, const char *id, const struct scope *,
	    json_t *(*render)(const PGresult *, int row), struct api_error *);

/*
 * A write and its answer: fn(req, arg, err) in a transaction, then the
 * resource *id (fn may set it) read as resource_get reads it, as the
 * transaction's last statement, so that COMMIT goes in the same round
 * trip (db_commit_with_next).  New reference, or NULL with err: then
 * nothing was written, unless the answer failed to render after COMMIT.
 */
json_t	*resource_write(struct request *,
	    bool (*fn)(struct request *, void *, struct api_error *), void *arg,
	    const char *const *id, const struct resource_kind *,
	    struct db_stmt *, const struct scope *,
	    json_t *(*render)(const PGresult *, int row), struct api_error *);

/* A json/jsonb column as a value (new reference); JSON null when NULL. */
json_t	*resource_json_column(const PGresult *, int row, const char *col);

/*
 * Merge tags into, or remove keys from, the caller's resource id of
 * kind, audited as CreateTags / DeleteTags.  Returns {"id", "tags"}
 * with all tags after the change (new reference), or NULL with err:
 * 404 for an unknown id, 400 TagLimitExceeded past 50 tags.
 */
json_t	*resource_tags_merge(struct request *, const struct resource_kind *,
	    const char *id, const struct tag_set *, struct api_error *);
json_t	*resource_tags_delete(struct request *, const struct resource_kind *,
	    const char *id, const char *const *keys, size_t nkeys,
	    struct api_error *);

/* Once per process: register the constraint table with db.h. */
void	resources_init(void);

#endif
