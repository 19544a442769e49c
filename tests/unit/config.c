/*
 * The configuration table: every key has a default and documentation,
 * and the README documents every key, so the two cannot drift apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "tap.h"

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

int
main(void)
{
	const struct config_key	*k;
	char			*readme = slurp("README.md"), name[128], msg[256];

	ok(readme != NULL, "README.md readable (run from the repository root)");
	for (k = config_keys(); k->name != NULL; k++) {
		snprintf(name, sizeof(name), "`%s`", k->name);
		snprintf(msg, sizeof(msg), "README documents %s", k->name);
		ok(readme != NULL && strstr(readme, name) != NULL, msg);
		snprintf(msg, sizeof(msg), "%s has documentation", k->name);
		ok(k->doc != NULL && *k->doc != '\0' && k->def != NULL, msg);
	}
	setenv("CLOUDSIM_CONF", "/nonexistent/cloudsim.conf", 1);
	ok(!config_load(), "a named config file that is missing is an error");
	unsetenv("CLOUDSIM_CONF");
	setenv("PORT", "6001", 1);
	setenv("CLOUDSIM_REGION", "eu-west-1", 1);
	setenv("DATA_DIRECTORY", "/nonexistent-dir", 1);
	ok(config_load(), "defaults + environment load");
	is_str(config_get("port"), "6001", "PORT overrides port");
	is_str(config_get("region"), "eu-west-1", "CLOUDSIM_REGION overrides");
	is_str(config_get("max_body_bytes"), "1048576", "default kept");
	is_int(config_int("max_body_bytes"), 1048576, "as an integer");
	ok(!config_bool("cookie_secure"), "false is false");
	config_set("cookie_secure", "yes");
	ok(config_bool("cookie_secure"), "yes is true");
	ok(!config_read_file("/dev/null/x", true), "unreadable file");
	config_free();
	free(readme);
	return tap_done();
}
