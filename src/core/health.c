/*
 * The health answer: 200 with the database healthy, 503 without it.
 */
#include <jansson.h>

#include "db.h"
#include "health.h"
#include "request.h"
#include "timestamp.h"

bool
health_handler(struct request *req, struct response *res,
    struct api_error *err)
{
	char	 ts[TIMESTAMP_LEN + 1];
	bool	 up;

	(void)err;
	up = db_ping(req);
	timestamp_now(ts);
	response_json(req, res, up ? 200 : 503,
	    json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}",
	    "status", up ? "healthy" : "unhealthy",
	    "service", req->service,
	    "version", CLOUDSIM_VERSION, "timestamp", ts,
	    "services", "database", up ? "healthy" : "unhealthy"));
	return true;
}
