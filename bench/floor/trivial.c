/*
 * trivial.c — the FastCGI floor of the bench: a libfcgi responder that
 * answers every request with the same JSON document, touching nothing
 * else.  What it costs per request is what lighttpd + the FastCGI hop
 * cost, the least any cloudsim executable can cost.
 *
 * The body is FLOOR_BODY_BYTES long (default 512), so that it matches the
 * size of a typical cloudsim answer and the static-file floor.
 * Requests end as cloudsim's do (src/core/fcgi_finish.h), so that the
 * FastCGI hop costs both the same.
 * Built by bench/run.sh: cc -O2 -Isrc/core trivial.c -lfcgi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "fcgi_finish.h"

/* A JSON object of exactly n bytes (at least 16): {"pad":"xxxx…"}. */
static char *
fixed_body(size_t n)
{
	static const char	 head[] = "{\"floor\":\"", tail[] = "\"}\n";
	char			*b;

	if (n < sizeof(head) + sizeof(tail))
		n = sizeof(head) + sizeof(tail);
	if ((b = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(b, head, sizeof(head) - 1);
	memset(b + sizeof(head) - 1, 'x', n - (sizeof(head) - 1) -
	    (sizeof(tail) - 1));
	memcpy(b + n - (sizeof(tail) - 1), tail, sizeof(tail));
	return b;
}

int
main(void)
{
	FCGX_Request	 r;
	const char	*env;
	char		*body, head[128];
	size_t		 len;
	int		 hlen;

	env = getenv("FLOOR_BODY_BYTES");
	if ((body = fixed_body(env != NULL ? strtoul(env, NULL, 10) : 512))
	    == NULL)
		return 1;
	len = strlen(body);
	/* snprintf, not FCGX_FPrintF: libfcgi's own formatter lacks %zu. */
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n", len);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(head, hlen, r.out);
		FCGX_PutStr(body, (int)len, r.out);
		fcgi_finish(&r);
	}
	free(body);
	return 0;
}
