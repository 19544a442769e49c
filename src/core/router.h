/*
 * Routing: a const table of {method, pattern, handler, flags} per
 * executable.  A pattern is a path whose "{name}" segments capture one
 * non-empty segment each, e.g. "/api/v1/vpcs/{id}".
 */
#ifndef CLOUDSIM_ROUTER_H
#define CLOUDSIM_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct request;
struct response;
struct api_error;

/* Fill res and return true, or fill err and return false. */
typedef bool	(*route_handler)(struct request *, struct response *,
		    struct api_error *);

#define ROUTE_PUBLIC	0x01	/* no authentication required */

struct route {
	const char	*method;	/* "GET", "POST", … */
	const char	*pattern;
	route_handler	 handler;
	unsigned	 flags;
	/*
	 * The audited action name of a mutating route ("CreateVpc"), or
	 * NULL.  When the handler fails, the server writes the audit row
	 * for the failure itself; on success the handler writes it inside
	 * its transaction (audit.h).
	 */
	const char	*action;
};

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,	/* no pattern matches the path */
	ROUTE_BAD_METHOD,	/* patterns match, methods do not */
	ROUTE_BAD_PATH		/* a captured segment is malformed */
};

/*
 * Match method and the raw path against routes (terminated by a NULL
 * method).  On ROUTE_FOUND, *found is the route and the request's
 * params hold the decoded captures.  On ROUTE_BAD_METHOD, allow holds
 * the comma-separated methods that would match (always with OPTIONS).
 * On ROUTE_BAD_PATH, err says why.
 */
enum route_result router_match(const struct route *routes, const char *method,
		    const char *path, struct request *req,
		    const struct route **found, char *allow, size_t allowlen,
		    struct api_error *err);

#endif
