/*
 * Reading the request values of blockchains.fcgi that dloid.h and
 * controller.h do not cover: free text (names, transaction parties),
 * UUIDs, bounded integers and the page/page_size of the lists.  Each
 * reader fills its output, or fills err (400, naming the field and
 * quoting the value) and returns false.
 */
#ifndef CLOUDSIM_BLOCKCHAINS_PARAMS_H
#define CLOUDSIM_BLOCKCHAINS_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/error.h"

struct request;

#define CHAIN_PARAM_QUOTE_SIZE	49	/* bytes of a value quoted back */
#define CHAIN_UUID_SIZE		37	/* 8-4-4-4-12 and the NUL */
#define CHAIN_PAGE_MAX		1000000000LL
#define CHAIN_PAGE_SIZE_MAX	1000
#define CHAIN_PAGE_SIZE_DEFAULT	20

/* page/page_size of a list; given is false when the query named neither. */
struct chain_page {
	bool		 given;
	long long	 page;		/* 1.. */
	long long	 page_size;	/* 1..1000 */
};

/*
 * v rendered for a message into buf: a string as itself, anything else
 * as compact JSON, cut on a UTF-8 boundary.
 */
void	 chain_param_quote(const json_t *v, char buf[CHAIN_PARAM_QUOTE_SIZE]);

/*
 * A text value of 1..max_chars code points without control characters,
 * with surrounding ASCII white space trimmed when trim is set.  Absent or
 * null: *out = NULL when !required, else 400 MissingParameter.  *out is
 * in the request's arena.
 */
bool	 chain_param_text(struct request *req, const json_t *v,
	    const char *field, size_t max_chars, bool required, bool trim,
	    const char **out, struct api_error *err);

/*
 * A UUID in 8-4-4-4-12 hex form, any version, either case, copied in
 * lower case into out; absent or null gives "".
 */
bool	 chain_param_uuid(const json_t *v, const char *field,
	    char out[CHAIN_UUID_SIZE], struct api_error *err);

/*
 * A JSON integer within min..max; absent or null gives def.  Strings,
 * reals and booleans are refused.
 */
bool	 chain_param_integer(const json_t *v, const char *field,
	    long long min, long long max, long long def, long long *out,
	    struct api_error *err);

/*
 * page (1..1000000000, default 1) and page_size (1..1000, default 20)
 * from the query string, as decimal digits.
 */
bool	 chain_param_page(const struct request *req, struct chain_page *out,
	    struct api_error *err);

/* total_pages of a list of total items, for the page envelope. */
long long chain_page_count(long long total, long long page_size);

#endif
