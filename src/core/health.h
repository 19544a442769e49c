/*
 * GET /health/<name>: every executable proves its routing and its
 * database with the same handler.
 */
#ifndef CLOUDSIM_HEALTH_H
#define CLOUDSIM_HEALTH_H

#include <stdbool.h>

#include "router.h"

struct request;
struct response;
struct api_error;

bool	health_handler(struct request *, struct response *, struct api_error *);

#define HEALTH_ROUTE(name) \
	{ "GET", "/health/" name, health_handler, ROUTE_PUBLIC }

#endif
