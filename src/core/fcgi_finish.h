/*
 * fcgi_finish: end a FastCGI request without libfcgi's linger.
 *
 * libfcgi ends a connection by half-closing it and waiting (up to two
 * seconds) for the web server to close its side, so that the server
 * never has unread input of ours reset under its feet.  Each request
 * then costs the responder a wake-up and two more system calls, and
 * keeps it from accepting the next connection until the web server has
 * got round to closing this one: a quarter to a third of the rate of
 * DescribeRegions on two cores.  When the server has sent all of its
 * input and we have read it, nothing is left to reset; the request is
 * detached and closed at once.  Input we did not read (a body refused
 * for its size) is read here up to FCGI_DRAIN_LIMIT bytes; past that,
 * libfcgi's careful close stays.
 *
 * Header-only so that the bench's floor responders (bench/floor/,
 * built without the core library) end requests exactly as cloudsim does.
 */
#ifndef CLOUDSIM_FCGI_FINISH_H
#define CLOUDSIM_FCGI_FINISH_H

#include <stdio.h>

#include <fcgiapp.h>

#define FCGI_DRAIN_LIMIT	(64 * 1024)

static inline void
fcgi_finish(FCGX_Request *fr)
{
	char	buf[4096];
	int	n, total = 0;

	while (total <= FCGI_DRAIN_LIMIT &&
	    (n = FCGX_GetStr(buf, (int)sizeof(buf), fr->in)) > 0)
		total += n;
	if (total <= FCGI_DRAIN_LIMIT && FCGX_HasSeenEOF(fr->in) == EOF &&
	    FCGX_GetError(fr->in) == 0)
		FCGX_Detach(fr);
	FCGX_Finish_r(fr);
}

#endif
