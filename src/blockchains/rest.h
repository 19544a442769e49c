/*
 * The REST front of blockchains.fcgi, CloudManager v1 compatible: the
 * route handlers main.c lists, the v1 error body, and the per-process
 * check of the service's configuration.  Paths and shapes are in
 * docs/blockchains.md.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_REST_H
#define CLOUDSIM_BLOCKCHAINS_REST_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

/* GET /api/health, GET /api/version: always open. */
bool	chain_rest_health(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_version(struct request *, struct response *,
	    struct api_error *);

/* /api/blockchains[/{id}]: GET list, POST create, GET one. */
bool	chain_rest_list(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_create(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_get(struct request *, struct response *,
	    struct api_error *);

/* /api/blockchains/{id}/transactions, /mine, /blocks, /validate. */
bool	chain_rest_add_transaction(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_mine(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_blocks(struct request *, struct response *,
	    struct api_error *);
bool	chain_rest_validate(struct request *, struct response *,
	    struct api_error *);

/* Every error as v1 renders it: {"success": false, "error", "code"}. */
void	chain_rest_render_error(struct request *, struct response *,
	    const struct api_error *);

/* Once per process: the auth configuration and the constraint table. */
bool	chain_rest_init(void);

#endif
