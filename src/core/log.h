/*
 * Logging: one JSON object per line on stderr, which lighttpd, Apache and
 * spawn-fcgi all collect.  Secrets are never passed here.
 */
#ifndef CLOUDSIM_LOG_H
#define CLOUDSIM_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct request;
struct response;

/* Set the executable's name and the level from config. */
void	log_init(const char *service);
void	log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The per-request line (level info): id, method, path, route, status… */
void	log_request(const struct request *, const struct response *,
	    double duration_ms);

#endif
