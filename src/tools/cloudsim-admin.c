/*
 * cloudsim-admin: what only an operator may do, never the API.
 *
 * usage: cloudsim-admin create-admin EMAIL [NAME]
 * Creates a site administrator (role admin) in a new account.  The
 * password comes from $CLOUDSIM_ADMIN_PASSWORD, or is generated and
 * printed once.  Connects like the executables (config db, or the
 * private cluster under data_directory); the creation is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth/accounts.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/keyring.h"
#include "core/log.h"
#include "core/request.h"

struct admin_args {
	const char	*email, *password, *name;
	json_t		*user;
};

static bool
create_tx(struct request *req, void *arg, struct api_error *err)
{
	struct admin_args	*a = arg;
	const char		*ids[2];

	if (!accounts_create(req, a->email, a->password, a->name, "admin",
	    &a->user, err))
		return false;
	ids[0] = json_string_value(json_object_get(a->user, "account_id"));
	ids[1] = json_string_value(json_object_get(a->user, "id"));
	return audit_write(req, "admin.create-admin", ids, 2, 201, err);
}

int
main(int argc, char **argv)
{
	static const char alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	struct admin_args	 a = { 0 };
	struct request		 req;
	struct api_error	 err;
	unsigned char		 rnd[20];
	char			 generated[21], *s;
	size_t			 i;
	int			 rc = 1;

	if (argc < 3 || strcmp(argv[1], "create-admin") != 0) {
		fprintf(stderr, "usage: cloudsim-admin create-admin EMAIL "
		    "[NAME]\n");
		return 2;
	}
	if (!config_load())
		return 1;
	log_init("admin");
	a.email = argv[2];
	a.name = argc > 3 ? argv[3] : "Administrator";
	if (!accounts_email_valid(a.email)) {
		fprintf(stderr, "cloudsim-admin: '%s' is not a valid email\n",
		    a.email);
		goto out;
	}
	if ((a.password = getenv("CLOUDSIM_ADMIN_PASSWORD")) == NULL) {
		id_random(rnd, sizeof(rnd));
		for (i = 0; i < sizeof(rnd); i++)
			generated[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
		generated[sizeof(rnd)] = '\0';
		a.password = generated;
	} else if (strlen(a.password) < PASSWORD_MIN) {
		fprintf(stderr, "cloudsim-admin: the password must be at least "
		    "%d characters\n", PASSWORD_MIN);
		goto out;
	}
	memset(&req, 0, sizeof(req));
	if ((req.arena = arena_new()) == NULL)
		goto out;
	req.service = "admin";
	req.method = "CLI";
	req.path = "cloudsim-admin";
	req.request_id = id_uuid(req.arena);
	if (!db_transaction(&req, create_tx, &a, &err)) {
		fprintf(stderr, "cloudsim-admin: %s (%s)\n", err.message,
		    err.code);
	} else {
		s = json_dumps(a.user, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		if (a.password == generated)
			printf("password (shown once): %s\n", generated);
		rc = 0;
	}
	json_decref(a.user);
	arena_free(req.arena);
out:
	/* Frees: the generated password (wiped), connection, config. */
	OPENSSL_cleanse(generated, sizeof(generated));
	keyring_free();
	db_close();
	config_free();
	return rc;
}
