/*
 * Request accessors.  Headers are read from the CGI environment
 * (HTTP_X_REQUEST_ID), which both FastCGI and CGI provide; the linear
 * scan is cheaper than building a table for the few lookups a request
 * makes.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "error.h"
#include "json_text.h"
#include "request.h"

const char *
request_env(const struct request *req, const char *name)
{
	size_t	 len = strlen(name);
	char	**e;

	for (e = req->envp; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

const char *
request_header(const struct request *req, const char *name)
{
	char	 var[128];
	size_t	 i, off;

	if (strcasecmp(name, "Content-Type") == 0)
		return request_env(req, "CONTENT_TYPE");
	if (strcasecmp(name, "Content-Length") == 0)
		return request_env(req, "CONTENT_LENGTH");
	off = strlen("HTTP_");
	if (strlen(name) + off >= sizeof(var))
		return NULL;
	memcpy(var, "HTTP_", off);
	for (i = 0; name[i] != '\0'; i++)
		var[off + i] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	var[off + i] = '\0';
	return request_env(req, var);
}

const char *
request_cookie(const struct request *req, const char *name)
{
	const char	*h, *p, *end, *eq;
	size_t		 len = strlen(name);

	if ((h = request_header(req, "Cookie")) == NULL)
		return NULL;
	for (p = h; *p != '\0'; p = *end ? end + 1 : end) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == len &&
		    strncmp(p, name, len) == 0)
			return arena_strndup(req->arena, eq + 1,
			    (size_t)(end - eq - 1));
	}
	return NULL;
}

const char *
request_param(const struct request *req, const char *name)
{
	size_t	i;

	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

static void
json_decref_cb(void *p)
{
	json_decref(p);
}

json_t *
request_keep(struct request *req, json_t *json)
{
	arena_defer(req->arena, json_decref_cb, json);
	return json;
}

static bool
is_json_type(const char *ct)
{
	size_t	len = strlen("application/json");

	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, "application/json", len) == 0 &&
	    (ct[len] == '\0' || ct[len] == ';' || ct[len] == ' ');
}

bool
request_json(struct request *req, json_t **out, struct api_error *err)
{
	json_error_t	 jerr;
	json_t		*obj;

	*out = NULL;
	if (req->body_len == 0) {
		obj = json_object();
		arena_defer(req->arena, json_decref_cb, obj);
		*out = obj;
		return true;
	}
	if (req->content_type == NULL || !is_json_type(req->content_type))
		return api_error_set(err, 415, "UnsupportedMediaType",
		    "the body must be sent as application/json, got '%s'",
		    req->content_type ? req->content_type : "(none)");
	obj = json_loadb(req->body, req->body_len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL)
		return api_error_set(err, 400, "MalformedJSON",
		    "the body is not valid JSON: %s at line %d column %d",
		    jerr.text, jerr.line, jerr.column);
	arena_defer(req->arena, json_decref_cb, obj);
	if (!json_is_object(obj))
		return api_error_set(err, 400, "MalformedJSON",
		    "the body must be a JSON object");
	*out = obj;
	return true;
}

bool
request_json_only(struct request *req, const char *const *allowed,
    json_t **out, struct api_error *err)
{
	const char		*key;
	const char *const	*a;
	json_t			*v;

	if (!request_json(req, out, err))
		return false;
	json_object_foreach(*out, key, v) {
		for (a = allowed; *a != NULL && strcmp(*a, key) != 0; a++)
			;
		if (*a == NULL)
			return api_error_set(err, 400, "UnknownParameter",
			    "'%.64s' is not a parameter of this call", key);
	}
	return true;
}

void
response_header(struct response *res, const char *name, const char *value)
{
	if (res->nheaders == RESPONSE_MAX_HEADERS)
		return;
	res->headers[res->nheaders].key = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
}

void
response_json(struct request *req, struct response *res, int status,
    json_t *obj)
{
	arena_defer(req->arena, json_decref_cb, obj);
	res->status = status;
	res->json = obj;
}

void
response_json_text(struct request *req, struct response *res, int status,
    const char *text)
{
	char	*body = arena_strdup(req->arena, text);

	res->status = status;
	res->json = NULL;
	res->body = body;
	res->body_len = json_text_compact(body);
	res->content_type = "application/json; charset=utf-8";
}
