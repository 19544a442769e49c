/*
 * AWS Signature Version 4 (AWS4-HMAC-SHA256) verification, as pure
 * functions over a described request: no I/O, no database, no clock.
 * The flow is parse, look up, verify:
 *
 *	if (!sigv4_parse(&req, "ec2", &auth, &err))	   malformed: 401
 *		return false;
 *	secret = lookup(auth.access_key_id)		   caller: the DB
 *	if (!sigv4_verify(&req, &auth, secret, now, &err)) bad/stale: 401
 *		return false;
 *	region = auth.region				   caller checks it
 *
 * Both the Authorization header and presigned query parameters
 * (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders, X-Amz-Signature) are understood.  The canonical
 * request follows AWS's rules for services other than S3: the path is
 * normalised and its raw (already encoded) form encoded once more, the
 * query sorted and re-encoded with the RFC 3986 unreserved set, signed
 * header values trimmed with runs of white space collapsed.
 *
 * Every failure is 401 AuthenticationFailure with the reason; a front
 * that speaks AWS error codes may map it.
 */
#ifndef CLOUDSIM_SIGV4_H
#define CLOUDSIM_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct api_error;

#define SIGV4_ALGORITHM		"AWS4-HMAC-SHA256"
#define SIGV4_SKEW		900	/* seconds either side of X-Amz-Date */
#define SIGV4_EXPIRES_MAX	604800	/* presigned lifetime, 7 days */
#define SIGV4_AKID_MAX		128
#define SIGV4_REGION_MAX	32
#define SIGV4_SERVICE_MAX	32
#define SIGV4_SIGNED_MAX	1024	/* bytes of the SignedHeaders list */
#define SIGV4_HEX_LEN		64	/* a SHA-256 in hex */
#define SIGV4_KEY_LEN		32	/* a signing key, raw */
#define SIGV4_UNSIGNED_PAYLOAD	"UNSIGNED-PAYLOAD"

struct sigv4_header {
	const char	*name;		/* any case */
	const char	*value;		/* as received */
};

/*
 * The request as received.  path is the raw request path, still
 * percent-encoded: REQUEST_URI up to the '?', not the decoded
 * PATH_INFO.  query is the raw query string without the '?'.  Headers
 * that repeat are listed once per occurrence, in order (the web server
 * may already have joined them, see sigv4.c).  Nothing is copied; all
 * of it must outlive the calls.
 */
struct sigv4_request {
	const char			*method;	/* "GET", "POST"... */
	const char			*path;		/* see below */
	const char			*query;		/* may be NULL */
	const struct sigv4_header	*headers;
	size_t				 nheaders;
	const void			*body;		/* NULL if body_len 0 */
	size_t				 body_len;
};

/* What sigv4_parse found; plain values, nothing to free. */
struct sigv4_auth {
	bool	presigned;				/* query, not header */
	char	access_key_id[SIGV4_AKID_MAX + 1];
	char	date[9];				/* scope, YYYYMMDD */
	char	region[SIGV4_REGION_MAX + 1];		/* scope region */
	char	service[SIGV4_SERVICE_MAX + 1];		/* scope service */
	char	amz_date[17];				/* YYYYMMDDTHHMMSSZ */
	time_t	time;					/* amz_date, UTC */
	long	expires;				/* presigned only */
	char	signed_headers[SIGV4_SIGNED_MAX + 1];	/* "host;x-amz-date" */
	char	signature[SIGV4_HEX_LEN + 1];		/* lower-case hex */
};

/*
 * Read the signature parameters of req, from its Authorization header
 * or its presigned query, into out, and check their form: the
 * algorithm, the credential scope (its date equal to X-Amz-Date's, its
 * service equal to service, its terminator aws4_request), a signed
 * header list that is sorted, lower-case and names host (and
 * x-amz-date, for the header form), a 64-hex-digit signature, and a
 * presigned lifetime of 1..SIGV4_EXPIRES_MAX seconds.  The time must
 * come in X-Amz-Date (header or query); a Date header is not used.
 * Query parameter names match case-sensitively.  False with 401
 * AuthenticationFailure and the reason otherwise, including when the
 * request carries no SigV4 signature at all.
 */
bool	 sigv4_parse(const struct sigv4_request *req, const char *service,
	    struct sigv4_auth *out, struct api_error *);

/*
 * Check auth's time against now: within SIGV4_SKEW seconds for a signed
 * header; for a presigned request, not before its date (less the skew)
 * and not after its date plus its lifetime.  Cheap: call it before the
 * secret lookup.  False with 401 AuthenticationFailure.
 */
bool	 sigv4_check_time(const struct sigv4_auth *, time_t now,
	    struct api_error *);

/*
 * Verify req's signature with the access key's secret: the time (as
 * sigv4_check_time), then the signature, compared in constant time.
 * The payload hash is x-amz-content-sha256 when sent (a hex hash must
 * match the body; UNSIGNED-PAYLOAD only for an empty body), else the
 * body's SHA-256; a presigned request with an empty body may also have
 * been signed with UNSIGNED-PAYLOAD, as S3-style presigners do.
 * secret may be NULL (no such key): the same work is done, and fails.
 * False with 401 AuthenticationFailure.
 */
bool	 sigv4_verify(const struct sigv4_request *req,
	    const struct sigv4_auth *, const char *secret, time_t now,
	    struct api_error *);

/*
 * The same check with the signing key of auth's scope instead of the
 * secret (see sigv4_signing_key): the key is the secret's stand-in for
 * one day, region and service, so a caller that has verified a request
 * with it may keep it for the next requests of that scope and skip the
 * derivation (four HMACs).  key may be NULL (no such key).
 */
bool	 sigv4_verify_key(const struct sigv4_request *req,
	    const struct sigv4_auth *,
	    const unsigned char *key /* [SIGV4_KEY_LEN] */, time_t now,
	    struct api_error *);

/*
 * The steps, for tests and for signing requests (test clients).
 *
 * The canonical request of req under auth's signed headers, with
 * payload_hash as its last line (NULL: the hex SHA-256 of the body).
 * Returns it, caller frees; NULL with 401 AuthenticationFailure when a
 * signed header is missing from req, 500 when out of memory.
 */
char	*sigv4_canonical_request(const struct sigv4_request *req,
	    const struct sigv4_auth *, const char *payload_hash,
	    struct api_error *);

/* The string to sign for a canonical request; caller frees; NULL: OOM. */
char	*sigv4_string_to_sign(const struct sigv4_auth *,
	    const char *canonical_request);

/*
 * The hex signature of string_to_sign with the key derived from secret
 * and auth's scope (date, region, service), into out.  False only if
 * out of memory.
 */
bool	 sigv4_signature(const char *secret, const struct sigv4_auth *,
	    const char *string_to_sign, char out[SIGV4_HEX_LEN + 1]);

/*
 * kSigning: the key derived from secret for auth's scope (date, region,
 * service), into out.  False only if out of memory.
 */
bool	 sigv4_signing_key(const char *secret, const struct sigv4_auth *,
	    unsigned char out[SIGV4_KEY_LEN]);

#endif
