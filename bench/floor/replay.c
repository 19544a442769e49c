/*
 * replay.c — the boto3 floor of the bench: a libfcgi responder that
 * answers an EC2 Query request with the answer cloudsim gave to the same
 * action earlier in the run, read from $FLOOR_REPLAY_DIR/<Action>.xml
 * (bench.py records them).  It checks no signature and touches no
 * database, so a boto3 client looping against it measures what the
 * client, lighttpd and the FastCGI hop cost a call: the least any server
 * behind this lighttpd could give that client.
 *
 * A request whose Action has no recorded answer gets a 400 with an EC2
 * error document, which boto3 raises.
 * Requests end as cloudsim's do (src/core/fcgi_finish.h).
 * Built by bench/run.sh: cc -O2 -Isrc/core replay.c -lfcgi.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "fcgi_finish.h"

#define MAX_BODY	(64 * 1024)
#define MAX_ANSWER	(1024 * 1024)

/* The value of the form's Action field into out (letters and digits). */
static int
form_action(const char *body, char *out, size_t outsz)
{
	const char	*p = body;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "Action=", 7) == 0) {
			p += 7;
			for (n = 0; n + 1 < outsz && ((p[n] >= 'A' && p[n] <= 'Z') ||
			    (p[n] >= 'a' && p[n] <= 'z') ||
			    (p[n] >= '0' && p[n] <= '9')); n++)
				out[n] = p[n];
			out[n] = '\0';
			return n > 0;
		}
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return 0;
}

/* The recorded answer to action into buf; its length, or -1. */
static long
recorded(const char *dir, const char *action, char *buf, size_t bufsz)
{
	char	 path[4096];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), "%s/%s.xml", dir, action);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, bufsz, f);
	fclose(f);
	return (long)n;
}

int
main(void)
{
	static char	 body[MAX_BODY + 1], answer[MAX_ANSWER];
	static const char missing[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Response><Errors><Error><Code>InvalidAction</Code><Message>no "
	    "recorded answer</Message></Error></Errors><RequestID>0</RequestID>"
	    "</Response>";
	FCGX_Request	 r;
	const char	*dir = getenv("FLOOR_REPLAY_DIR"), *cl;
	char		 action[65];
	size_t		 want;
	long		 len;
	int		 got;

	if (dir == NULL || FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		cl = FCGX_GetParam("CONTENT_LENGTH", r.envp);
		want = cl != NULL ? strtoul(cl, NULL, 10) : 0;
		if (want > MAX_BODY)
			want = MAX_BODY;
		got = FCGX_GetStr(body, (int)want, r.in);
		body[got > 0 ? got : 0] = '\0';
		len = form_action(body, action, sizeof(action)) ?
		    recorded(dir, action, answer, sizeof(answer)) : -1;
		if (len >= 0) {
			FCGX_FPrintF(r.out, "Status: 200 OK\r\n"
			    "Content-Type: text/xml;charset=UTF-8\r\n"
			    "Content-Length: %d\r\n\r\n", (int)len);
			FCGX_PutStr(answer, (int)len, r.out);
		} else {
			FCGX_FPrintF(r.out, "Status: 400 Bad Request\r\n"
			    "Content-Type: text/xml;charset=UTF-8\r\n"
			    "Content-Length: %d\r\n\r\n", (int)strlen(missing));
			FCGX_PutS(missing, r.out);
		}
		fcgi_finish(&r);
	}
	return 0;
}
