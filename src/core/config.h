/*
 * Configuration: every key cloudsim knows, with its default, in one table
 * (config.c), so that the documentation and the code cannot disagree.
 * Values come from, in increasing precedence: the defaults, the file
 * named by $CLOUDSIM_CONF (else etc/cloudsim.conf), the generated
 * $DATA_DIRECTORY/secrets.conf, and the environment (CLOUDSIM_<KEY> for
 * any key, plus the CloudManager names CLOUDSIM_DB, PORT, LOG_LEVEL and
 * DATA_DIRECTORY).  Loaded once per process; values live until exit.
 */
#ifndef CLOUDSIM_CONFIG_H
#define CLOUDSIM_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

struct config_key {
	const char	*name;
	const char	*def;		/* default, never NULL ("" = unset) */
	const char	*env;		/* extra environment name, or NULL */
	const char	*doc;
};

/* Load defaults, file(s) and environment; false with a message on stderr. */
bool		 config_load(void);
void		 config_free(void);

/* The value of a known key; unknown keys abort (a programming error). */
const char	*config_get(const char *name);
long		 config_int(const char *name);	/* strtol of config_get */
bool		 config_bool(const char *name);	/* true/yes/on/1 */

/* Override one key in memory (tests and tools). */
void		 config_set(const char *name, const char *value);

/* The table of known keys, terminated by a NULL name. */
const struct config_key *config_keys(void);

/* Parse one "key = value" file into the table; errors go to stderr. */
bool		 config_read_file(const char *path, bool must_exist);

#endif
