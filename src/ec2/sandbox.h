/*
 * Sandbox administration, for test suites written against moto's server
 * mode: POST /api/v1/admin/reset and POST /moto-api/reset wipe the
 * sandbox account back to its defaults.  Only in auth_mode = sandbox; in
 * strict mode both answer 403.
 */
#ifndef CLOUDSIM_EC2_SANDBOX_H
#define CLOUDSIM_EC2_SANDBOX_H

#include <stdbool.h>

struct request;
struct response;
struct api_error;

bool	sandbox_reset(struct request *, struct response *, struct api_error *);

#endif
