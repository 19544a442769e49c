/*
 * One HTTP request as a handler sees it, built from the FastCGI (or CGI)
 * environment, and the response it fills.  Everything here lives in the
 * request's arena and is valid until the request ends.
 */
#ifndef CLOUDSIM_REQUEST_H
#define CLOUDSIM_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "urlencoded.h"

struct arena;
struct api_error;

#define REQUEST_MAX_PARAMS	4
#define RESPONSE_MAX_HEADERS	16

/* Who is calling, filled by authentication (authn.h). */
struct principal {
	bool		 authenticated;
	char		 account_id[13];	/* 12 digits */
	char		 user_id[37];		/* UUID */
	char		 role[8];		/* "user" or "admin" */
	char		 access_key_id[21];	/* when SigV4 was used */
	char		 session_id[37];	/* when a sid cookie was used */
	char		 jti[37];		/* when a JWT was used */
	long long	 token_exp;		/* its exp claim */
};

struct request {
	struct arena	*arena;
	char		**envp;
	const char	*service;	/* executable name: "vpcs" */
	const char	*request_id;	/* UUID */
	const char	*method;
	const char	*path;		/* raw (still percent-encoded) */
	const char	*query_string;	/* raw, "" when none */
	struct kvlist	 query;		/* decoded */
	const char	*content_type;	/* NULL when none */
	const char	*body;		/* NUL-terminated, may hold NULs */
	size_t		 body_len;
	const char	*remote_addr;
	const char	*user_agent;
	const char	*region;	/* X-Region or the configured one */
	const char	*route;		/* matched pattern, NULL if none */
	int		 success_status; /* a protocol's one success status
					    (EC2: 200), 0 for the handler's */
	const char	*param_names[REQUEST_MAX_PARAMS];
	const char	*param_values[REQUEST_MAX_PARAMS];	/* decoded */
	size_t		 nparams;
	struct principal principal;
	void		*scratch;	/* a handler's own, for callbacks */
};

struct response {
	int		 status;	/* 200 unless the handler says */
	json_t		*json;		/* body, or NULL; owned by the arena */
	const char	*body;		/* raw body when json is NULL */
	size_t		 body_len;
	const char	*content_type;	/* for body */
	const char	*error_code;	/* for the log line */
	struct kv	 headers[RESPONSE_MAX_HEADERS];
	size_t		 nheaders;
};

/* A request header by its HTTP name ("X-Request-Id"), or NULL. */
const char	*request_header(const struct request *, const char *name);
/* A CGI variable ("REMOTE_ADDR"), or NULL. */
const char	*request_env(const struct request *, const char *name);
/* A cookie value, or NULL. */
const char	*request_cookie(const struct request *, const char *name);
/* A path parameter ("{id}") by name, or NULL. */
const char	*request_param(const struct request *, const char *name);

/*
 * The body as a JSON object.  An empty body is an empty object.  Errors:
 * 415 UnsupportedMediaType when a body has another content type, 400
 * MalformedJSON when it does not parse or is not an object.  The object
 * is owned by the arena.
 */
bool		 request_json(struct request *, json_t **out, struct api_error *);

/*
 * request_json, and every member must be named in allowed (NULL
 * terminated): an unknown member is a client's typo, refused with 400
 * UnknownParameter rather than ignored.
 */
bool		 request_json_only(struct request *, const char *const *allowed,
		    json_t **out, struct api_error *);

/*
 * Hand json (a new reference, may be NULL) to the request: it is
 * released when the request ends.  Returns json, for chaining.
 */
json_t		*request_keep(struct request *, json_t *json);

/* Add a response header; name and value must outlive the request. */
void		 response_header(struct response *, const char *name,
		    const char *value);

/* Put obj (a new reference, stolen) as the JSON body with status. */
void		 response_json(struct request *, struct response *, int status,
		    json_t *obj);

/*
 * Put text, a JSON value PostgreSQL built (a json column), as the body
 * with status: copied into the request's memory and made compact
 * (json_text.h), never parsed.
 */
void		 response_json_text(struct request *, struct response *,
		    int status, const char *text);

#endif
