/*
 * The configuration table and its loader.  A key not in the table is an
 * error in a file (a typo must not be silently ignored), and a lookup of
 * an unknown key aborts, so the table is the complete list.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

static const struct config_key keys[] = {
	{ "db", "", "CLOUDSIM_DB",
	  "libpq connection string; empty means the private cluster "
	  "under data_directory (host=<data_directory>/run dbname=cloudsim "
	  "user=cloudsim_app)" },
	{ "data_directory", "var", "DATA_DIRECTORY",
	  "where the private cluster, secrets and runtime files live" },
	{ "port", "5000", "PORT",
	  "TCP port of the web server started by make run (127.0.0.1)" },
	{ "log_level", "info", "LOG_LEVEL",
	  "error, warn, info (one line per request) or debug" },
	{ "region", "us-east-1", NULL,
	  "the region used when a request names none (X-Region header)" },
	{ "max_body_bytes", "1048576", NULL,
	  "largest accepted request body; larger gets 413" },
	{ "cors_allowed_origins", "", NULL,
	  "comma-separated origins allowed by CORS, or * for any; "
	  "empty sends no CORS headers" },
	{ "db_connect_timeout", "2", NULL,
	  "seconds to wait for the database before answering 503" },
	{ "jwt_secret", "", NULL,
	  "hex HMAC key for HS256 access tokens; generated on first run "
	  "into data_directory/secrets.conf" },
	{ "master_key", "", NULL,
	  "hex 256-bit AES-GCM key that encrypts access-key secrets at rest; "
	  "generated on first run into data_directory/secrets.conf" },
	{ "jwt_issuer", "cloudsim", NULL,
	  "iss claim of access tokens, checked on every request" },
	{ "jwt_audience", "cloudsim", NULL,
	  "aud claim of access tokens, checked on every request" },
	{ "jwt_rsa_private_key", "", NULL,
	  "path of a PEM RSA private key; when set tokens are RS256 and "
	  "/.well-known/jwks.json publishes the public key" },
	{ "access_token_ttl", "900", NULL,
	  "lifetime of an access token, seconds" },
	{ "refresh_token_ttl", "2592000", NULL,
	  "lifetime of a refresh token and of a sid session, seconds" },
	{ "cookie_secure", "false", NULL,
	  "add Secure to the sid cookie (set true behind HTTPS)" },
	{ "argon2_t_cost", "2", NULL, "Argon2id iterations (OWASP: 2)" },
	{ "argon2_m_cost_kib", "19456", NULL,
	  "Argon2id memory in KiB (OWASP: 19 MiB)" },
	{ "argon2_parallelism", "1", NULL, "Argon2id lanes (OWASP: 1)" },
	{ "login_max_failures", "5", NULL,
	  "failed logins for one email within login_window before 429" },
	{ "login_window", "900", NULL,
	  "seconds over which failed logins are counted" },
	{ "blockchains_auth", "none", NULL,
	  "authentication on /api/blockchains: none (CloudManager v1 "
	  "clients send no credentials), api_key (X-API-Key header equal "
	  "to blockchains_api_key) or jwt (the usual Bearer/cookie/SigV4)" },
	{ "blockchains_api_key", "", NULL,
	  "the shared key when blockchains_auth = api_key" },
	{ "quota_vpcs_per_region", "5", NULL,
	  "VPCs per account per region (VpcLimitExceeded)" },
	{ "quota_subnets_per_vpc", "200", NULL,
	  "subnets per VPC (SubnetLimitExceeded)" },
	{ "quota_security_groups_per_region", "2500", NULL,
	  "security groups per account per region "
	  "(SecurityGroupLimitExceeded)" },
	{ "quota_rules_per_group", "60", NULL,
	  "rules per security group per direction "
	  "(RulesPerSecurityGroupLimitExceeded)" },
	{ "quota_instances_per_region", "20", NULL,
	  "instances (not terminated) per account per region "
	  "(InstanceLimitExceeded)" },
	{ "quota_volumes_per_region", "5000", NULL,
	  "volumes per account per region (VolumeLimitExceeded)" },
	{ "quota_volume_gib_per_type", "51200", NULL,
	  "total GiB of volumes of one type per account per region "
	  "(VolumeLimitExceeded)" },
	{ "instance_pending_delay", "0", NULL,
	  "seconds an instance stays pending before running (0 = at once)" },
	{ "instance_stopping_delay", "0", NULL,
	  "seconds an instance stays stopping before stopped" },
	{ "instance_shutting_down_delay", "0", NULL,
	  "seconds an instance stays shutting-down before terminated" },
	{ "instance_terminated_retention", "3600", NULL,
	  "seconds a terminated instance stays listed" },
	{ "volume_creating_delay", "0", NULL,
	  "seconds a volume stays creating before available" },
	{ "volume_attach_delay", "0", NULL,
	  "seconds an attachment stays attaching (and detaching) before it "
	  "settles" },
	{ "snapshot_pending_delay", "0", NULL,
	  "seconds a snapshot stays pending before completed" },
	{ "auth_mode", "strict", NULL,
	  "EC2 Query API authentication: strict (every SigV4 signature "
	  "verified against an access key) or sandbox (any well-formed "
	  "signature is accepted and mapped to sandbox_account_id, as moto "
	  "and LocalStack do; POST /api/v1/admin/reset then works)" },
	{ "sandbox_account_id", "123456789012", NULL,
	  "the account every request uses in sandbox mode" },
	{ NULL, NULL, NULL, NULL }
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]) - 1)

static char	*values[NKEYS];

const struct config_key *
config_keys(void)
{
	return keys;
}

static int
key_index(const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
set_index(int i, const char *value)
{
	char	*copy;

	if ((copy = strdup(value)) == NULL) {
		fputs("cloudsim: out of memory\n", stderr);
		abort();
	}
	free(values[i]);
	values[i] = copy;
}

void
config_set(const char *name, const char *value)
{
	int	i;

	if ((i = key_index(name)) < 0) {
		fprintf(stderr, "cloudsim: unknown config key '%s'\n", name);
		abort();
	}
	set_index(i, value);
}

static char *
trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

bool
config_read_file(const char *path, bool must_exist)
{
	FILE	*f;
	char	 line[4096], *key, *val, *eq;
	int	 lineno = 0, i;
	bool	 ok = true;

	if ((f = fopen(path, "r")) == NULL) {
		if (!must_exist && errno == ENOENT)
			return true;
		fprintf(stderr, "cloudsim: %s: %s\n", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			fprintf(stderr, "cloudsim: %s:%d: expected key = value\n",
			    path, lineno);
			ok = false;
			continue;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		if ((i = key_index(key)) < 0) {
			fprintf(stderr, "cloudsim: %s:%d: unknown key '%s'\n",
			    path, lineno, key);
			ok = false;
			continue;
		}
		set_index(i, val);
	}
	fclose(f);
	return ok;
}

static void
read_environment(void)
{
	char	 name[128];
	const char *v;
	size_t	 i, j;

	for (i = 0; i < NKEYS; i++) {
		snprintf(name, sizeof(name), "CLOUDSIM_%s", keys[i].name);
		for (j = 0; name[j] != '\0'; j++)
			name[j] = (char)toupper((unsigned char)name[j]);
		if ((v = getenv(name)) != NULL)
			set_index((int)i, v);
		if (keys[i].env != NULL && (v = getenv(keys[i].env)) != NULL)
			set_index((int)i, v);
	}
}

bool
config_load(void)
{
	const char	*path;
	char		 secrets[4096];
	size_t		 i;
	bool		 ok;

	for (i = 0; i < NKEYS; i++)
		set_index((int)i, keys[i].def);
	/* The environment may move data_directory, which holds secrets. */
	read_environment();
	path = getenv("CLOUDSIM_CONF");
	ok = config_read_file(path != NULL ? path : "etc/cloudsim.conf",
	    path != NULL);
	read_environment();
	snprintf(secrets, sizeof(secrets), "%s/secrets.conf",
	    config_get("data_directory"));
	ok = config_read_file(secrets, false) && ok;
	read_environment();
	return ok;
}

void
config_free(void)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

const char *
config_get(const char *name)
{
	int	i;

	if ((i = key_index(name)) < 0) {
		fprintf(stderr, "cloudsim: unknown config key '%s'\n", name);
		abort();
	}
	return values[i] != NULL ? values[i] : keys[i].def;
}

long
config_int(const char *name)
{
	return strtol(config_get(name), NULL, 10);
}

bool
config_bool(const char *name)
{
	const char	*v = config_get(name);

	return strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0;
}
