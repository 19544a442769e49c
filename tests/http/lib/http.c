/*
 * libcurl behind http.h.  One easy handle is reused for the whole test
 * program so connections are kept alive, as real clients do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http.h"

static CURL	*curl;

size_t
http_collect(char *data, size_t size, size_t n, void *arg)
{
	struct http_buf	*b = arg;
	char		*np;

	if ((np = realloc(b->p, b->len + size * n + 1)) == NULL)
		return 0;
	b->p = np;
	memcpy(b->p + b->len, data, size * n);
	b->len += size * n;
	b->p[b->len] = '\0';
	return size * n;
}

const char *
http_base(void)
{
	const char	*u = getenv("CLOUDSIM_URL");

	return u != NULL ? u : "http://127.0.0.1:5000";
}

static void
cleanup(void)
{
	curl_easy_cleanup(curl);
	curl_global_cleanup();
}

void
http_free(struct reply *r)
{
	free(r->headers);
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

long
http(struct reply *r, const char *method, const char *path, const char *body,
    const char *const *headers)
{
	struct curl_slist	*hl = NULL;
	struct http_buf	 hb = { NULL, 0 }, bb = { NULL, 0 };
	char			 url[8192];
	int			 has_ct = 0;

	http_free(r);
	if (curl == NULL) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl = curl_easy_init();
		atexit(cleanup);
	}
	curl_easy_reset(curl);
	snprintf(url, sizeof(url), "%s%s", http_base(), path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	for (; headers != NULL && *headers != NULL; headers++) {
		hl = curl_slist_append(hl, *headers);
		if (strncasecmp(*headers, "Content-Type:", 13) == 0)
			has_ct = 1;
	}
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		if (!has_ct)
			hl = curl_slist_append(hl,
			    "Content-Type: application/json");
	}
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_collect);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &hb);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bb);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	else
		r->status = -1;
	curl_slist_free_all(hl);
	r->headers = hb.p != NULL ? hb.p : strdup("");
	r->body = bb.p != NULL ? bb.p : strdup("");
	r->len = bb.len;
	r->json = json_loadb(r->body, r->len, 0, NULL);
	return r->status;
}

const char *
http_header(const struct reply *r, const char *name)
{
	static char	 value[4096];
	const char	*p = r->headers, *eol;
	size_t		 nlen = strlen(name), vlen;

	while (p != NULL && *p != '\0') {
		eol = strstr(p, "\r\n");
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			vlen = (size_t)(eol - p);
			if (vlen >= sizeof(value))
				vlen = sizeof(value) - 1;
			memcpy(value, p, vlen);
			value[vlen] = '\0';
			return value;
		}
		p = *eol ? eol + 2 : eol;
	}
	return NULL;
}

const char *
http_json_str(const struct reply *r, const char *path)
{
	char		 key[256];
	const char	*p = path, *dot;
	json_t		*v = r->json;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		v = json_object_get(v, key);
		p = dot ? dot + 1 : p + strlen(p);
	}
	return json_is_string(v) ? json_string_value(v) : NULL;
}
