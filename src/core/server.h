/*
 * The request loop every executable runs: options, config, the FastCGI
 * accept loop (or one CGI request), routing, authentication, response
 * rendering and the log line.  A main.c hands it a const service.
 *
 * Usage of every executable:
 *	name.fcgi            under a FastCGI process manager (socket on fd 0),
 *	                     or as plain CGI when fd 0 is not a socket
 *	name.fcgi -s PATH    listen on a unix socket (spawn-fcgi, nginx)
 *	name.fcgi -p PORT    listen on 127.0.0.1:PORT
 */
#ifndef CLOUDSIM_SERVER_H
#define CLOUDSIM_SERVER_H

#include <stdbool.h>

struct request;
struct response;
struct route;
struct api_error;

struct service {
	const char		*name;		/* "vpcs" */
	const struct route	*routes;	/* NULL-method terminated */
	/* Optional: once per process after config, false = exit. */
	bool			(*init)(void);
	/* Optional: once per process before exit. */
	void			(*fini)(void);
	/* Optional: render err (default: API.md's JSON envelope). */
	void			(*render_error)(struct request *,
				    struct response *, const struct api_error *);
};

int	server_main(int argc, char **argv, const struct service *);

/* The JSON error envelope of API.md, for render_error implementations. */
void	server_render_json_error(struct request *, struct response *,
	    const struct api_error *);

#endif
