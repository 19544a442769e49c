/*
 * Blockchains as resources, CloudManager v1's view of them: creating one
 * (with its genesis block mined), listing and reading them, and finding
 * the chain a ledger operation works on.  Protocol-neutral: parsed
 * parameters in, the v1 JSON result out, or a typed error.
 *
 * A chain is visible to a request when chain_access_owner() is NULL or
 * the chain's account; any other id, and any id that is not a UUID,
 * answers 404 InvalidBlockchainID.NotFound exactly as an unknown one.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_CHAINS_H
#define CLOUDSIM_BLOCKCHAINS_CHAINS_H

#include <stdbool.h>

#include <jansson.h>

#include "core/error.h"
#include "controller.h"
#include "dloid.h"
#include "params.h"

struct request;

#define CHAIN_ACTION_CREATE	"blockchains.create"	/* audited */
#define CHAIN_NAME_CHARS_MAX	160

/* A create request, validated. */
struct chain_spec {
	struct controller_person person;
	const char	*name;		/* trimmed; arena */
	long long	 existing_licenses;
	const char	*role;		/* static, from controller_role() */
	int		 difficulty;
	char		 user_uuid[CHAIN_UUID_SIZE];	/* lower case, "" none */
	char		 dloid[DLOID_LEN + 1];
};

/* The chain a ledger operation works on. */
struct chain {
	char		 id[CHAIN_UUID_SIZE];
	int		 difficulty;
};

/*
 * Read a create body {name?, first_name, last_name, existing_licenses?,
 * user_uuid?, controller_role?, difficulty?, dloid_params?} into out,
 * with the defaults of API.md; name defaults to "<first_name>
 * <last_name>'s chain".  400 on any bad value.
 */
bool	 chain_spec_parse(struct request *req, const json_t *body,
	    struct chain_spec *out, struct api_error *err);

/*
 * Create the chain of spec, mine its genesis block and record both with
 * the audit row in one transaction.  Returns the v1 create result
 * {success, blockchain_id, controller_name, dloid_params, genesis_dloid,
 * metadata} as a new reference (caller owns), or NULL with err.
 */
json_t	*chain_create(struct request *req, const struct chain_spec *spec,
	    struct api_error *err);

/*
 * The v1 list {success, count, blockchains: {id: metadata}} in creation
 * order, of the chains of user_uuid (NULL: every user's) that the caller
 * may see (chain_access_owner: its account's in jwt mode, unless an
 * admin; all otherwise).  With page->given only
 * that page, plus total, page, page_size and total_pages.  New
 * reference, or NULL with err.
 */
json_t	*chain_list(struct request *req, const char *user_uuid,
	    const struct chain_page *page, struct api_error *err);

/*
 * The v1 {success, blockchain_id, chain_info: {length,
 * pending_transactions, difficulty}, metadata}.  New reference, or NULL
 * with err (404 for an unknown id).
 */
json_t	*chain_get(struct request *req, const char *id,
	    struct api_error *err);

/* Fill err with the 404 of chain id (any client text) and return false. */
bool	 chain_not_found(const char *id, struct api_error *err);

/*
 * Find chain id into out.  With lock, take the chain's row lock (SELECT
 * ... FOR NO KEY UPDATE) until the current transaction ends: the one
 * lock every block append holds.  404 for an unknown id.
 */
bool	 chain_find(struct request *req, const char *id, bool lock,
	    struct chain *out, struct api_error *err);

#endif
