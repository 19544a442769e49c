/*
 * Key pairs, protocol-neutral: create (the private key is in the answer
 * once and stored nowhere), import a public key, describe with filters,
 * read one, delete, tag.  A pair is found by its name or its id
 * ("key-" + 17 hex digits), scoped to the caller's account and region.
 * Results are JSON (new references, caller decrefs):
 *	{"id", "arn", "account_id", "region", "name", "key_type",
 *	 "fingerprint", "public_key", "imported", "created_at", "tags"}
 * and, from key_pair_create only, "private_key" (PEM).
 */
#ifndef CLOUDSIM_INSTANCES_KEY_PAIRS_H
#define CLOUDSIM_INSTANCES_KEY_PAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/tags.h"

struct request;
struct api_error;
struct listing_filters;
struct listing_page;

#define KEY_PAIR_ACTION_CREATE	"CreateKeyPair"
#define KEY_PAIR_ACTION_IMPORT	"ImportKeyPair"
#define KEY_PAIR_ACTION_DELETE	"DeleteKeyPair"
#define KEY_PAIR_NAME_MAX	255

struct key_pair_create_params {
	const char	*name;		/* required: 1..255 printable ASCII */
	const char	*key_type;	/* "rsa" (NULL: rsa) or "ed25519" */
	struct tag_set	 tags;
};

struct key_pair_import_params {
	const char	*name;		/* required */
	const char	*public_key;	/* required: an OpenSSH public key line */
	struct tag_set	 tags;
};

/* Filter keys of key_pair_describe (NULL-terminated); tag:K also works. */
extern const char *const key_pair_filter_keys[];

/*
 * 201-worthy: a new RSA 2048 or ED25519 pair.  400 for a bad name or
 * type, 409 InvalidKeyPair.Duplicate when the name is taken (decided by
 * the schema's unique key, so racing creations cannot both win).
 */
json_t	*key_pair_create(struct request *, const struct key_pair_create_params *,
	    struct api_error *);

/*
 * Import a public key (ssh_keys.h says what is accepted); 400
 * InvalidKey.Format for anything else, 409 as above.
 */
json_t	*key_pair_import(struct request *, const struct key_pair_import_params *,
	    struct api_error *);

/* One page of the caller's key pairs, in the list envelope. */
json_t	*key_pair_describe(struct request *, const struct listing_filters *,
	    const struct listing_page *, struct api_error *);

/* One pair by name or id; 404 InvalidKeyPair.NotFound. */
json_t	*key_pair_get(struct request *, const char *name_or_id,
	    struct api_error *);

/*
 * Delete a pair by name or id; 404 InvalidKeyPair.NotFound when there
 * is none (EC2's DeleteKeyPair answers true then: the EC2 front may
 * treat that error as success).  Instances launched with the pair keep
 * its name.
 */
bool	 key_pair_delete(struct request *, const char *name_or_id,
	    struct api_error *);

/* Merge or remove tags; {"id", "tags"} (new reference) or NULL with err. */
json_t	*key_pair_tags_merge(struct request *, const char *name_or_id,
	    const struct tag_set *, struct api_error *);
json_t	*key_pair_tags_delete(struct request *, const char *name_or_id,
	    const char *const *keys, size_t nkeys, struct api_error *);

#endif
