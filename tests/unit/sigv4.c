/*
 * sigv4: AWS's published test suite and two botocore-generated EC2
 * requests (tests/unit/data/sigv4/, see its README), checked step by
 * step: canonical request, string to sign, Authorization header and
 * verification.  Then the refusals: wrong date, region, service or
 * secret, a tampered body or query, clock skew, presigned expiry, and
 * malformed Authorization headers and query parameters.
 * Run from the repository root (the data paths are relative to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/hex.h"
#include "core/sigv4.h"
#include "tap.h"

#define DATA		"tests/unit/data/sigv4"
#define MAX_HEADERS	16

static const char suite_secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static const char boto_secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/* Seconds since the epoch of a YYYYMMDDTHHMMSSZ literal. */
static time_t
at(const char *s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	sscanf(s, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* The whole file, NUL-terminated; caller frees; NULL if unreadable. */
static char *
slurp(const char *name, const char *ext)
{
	char	 path[512], *buf;
	FILE	*f;
	long	 len;

	snprintf(path, sizeof(path), DATA "/%s/%s.%s", name, name, ext);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	} else
		buf[len] = '\0';
	fclose(f);
	return buf;
}

/* A request read from a .req file, cut up in place. */
struct vreq {
	char			*buf;
	struct sigv4_header	 h[MAX_HEADERS];
	struct sigv4_request	 req;
};

/*
 * Parse the .req format (see the data README) into v; a continuation
 * line stays part of its header's value, newline included, as a server
 * that keeps obsolete line folding would pass it on.
 */
static bool
vreq_parse(struct vreq *v, char *buf)
{
	char	*p, *e, *body, *sp, *q, *colon;

	memset(v, 0, sizeof(*v));
	v->buf = buf;
	v->req.headers = v->h;
	if ((body = strstr(buf, "\n\n")) != NULL) {
		*body = '\0';
		body += 2;
		v->req.body = body;
		v->req.body_len = strlen(body);
	}
	if ((e = strchr(buf, '\n')) != NULL)
		*e++ = '\0';
	else
		e = buf + strlen(buf);
	p = e;
	if ((sp = strchr(buf, ' ')) == NULL)
		return false;
	*sp = '\0';
	v->req.method = buf;
	v->req.path = sp + 1;
	if ((sp = strrchr(sp + 1, ' ')) == NULL)
		return false;
	*sp = '\0';
	if ((q = strchr(v->req.path, '?')) != NULL) {
		*q = '\0';
		v->req.query = q + 1;
	}
	while (*p != '\0' && v->req.nheaders < MAX_HEADERS) {
		for (e = p; (e = strchr(e, '\n')) != NULL; e++)
			if (e[1] != ' ' && e[1] != '\t')
				break;
		if (e == NULL)
			e = p + strlen(p);
		if ((colon = strchr(p, ':')) == NULL || colon > e)
			return false;
		*colon = '\0';
		v->h[v->req.nheaders].name = p;
		v->h[v->req.nheaders].value = colon + 1;
		v->req.nheaders++;
		p = *e != '\0' ? e + 1 : e;
		*e = '\0';
	}
	return true;
}

/* Run one vector case end to end; service, secret and time per case. */
static void
run_case(const char *name, const char *service, const char *secret,
    time_t now)
{
	struct api_error	 err;
	struct vreq		 v;
	struct sigv4_auth	 auth, other;
	unsigned char		 key[SIGV4_KEY_LEN];
	char			*reqtext, *authz, *want_creq;
	char			*want_sts, *got_creq = NULL, *got_sts = NULL;
	char			 sig[SIGV4_HEX_LEN + 1], label[160], *rebuilt;
	bool			 parsed;

	reqtext = slurp(name, "req");
	want_creq = slurp(name, "creq");
	want_sts = slurp(name, "sts");
	authz = slurp(name, "authz");
	snprintf(label, sizeof(label), "%s: data files read", name);
	if (!ok(reqtext && want_creq && want_sts && vreq_parse(&v, reqtext),
	    label))
		goto out;
	if (authz != NULL) {
		v.h[v.req.nheaders].name = "Authorization";
		v.h[v.req.nheaders++].value = authz;
	}

	memset(&err, 0, sizeof(err));
	parsed = sigv4_parse(&v.req, service, &auth, &err);
	snprintf(label, sizeof(label), "%s: parses", name);
	if (!ok(parsed, label)) {
		printf("#   %s\n", err.message);
		goto out;
	}
	got_creq = sigv4_canonical_request(&v.req, &auth, NULL, &err);
	snprintf(label, sizeof(label), "%s: canonical request", name);
	is_str(got_creq, want_creq, label);
	got_sts = got_creq ? sigv4_string_to_sign(&auth, got_creq) : NULL;
	snprintf(label, sizeof(label), "%s: string to sign", name);
	is_str(got_sts, want_sts, label);
	sigv4_signature(secret, &auth, want_sts, sig);
	snprintf(label, sizeof(label), "%s: signature", name);
	is_str(sig, auth.signature, label);
	if (authz != NULL) {
		if (asprintf(&rebuilt, SIGV4_ALGORITHM
		    " Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s,"
		    " Signature=%s",
		    auth.access_key_id, auth.date, auth.region, auth.service,
		    auth.signed_headers, sig) < 0)
			abort();
		snprintf(label, sizeof(label), "%s: Authorization", name);
		is_str(rebuilt, authz, label);
		free(rebuilt);
	}
	memset(&err, 0, sizeof(err));
	snprintf(label, sizeof(label), "%s: verifies", name);
	if (!ok(sigv4_verify(&v.req, &auth, secret, now, &err), label))
		printf("#   %s\n", err.message);
	memset(&err, 0, sizeof(err));
	snprintf(label, sizeof(label), "%s: verifies with its signing key",
	    name);
	if (!ok(sigv4_signing_key(secret, &auth, key) &&
	    sigv4_verify_key(&v.req, &auth, key, now, &err), label))
		printf("#   %s\n", err.message);
	/* The same key a day later signs something else. */
	other = auth;
	memcpy(other.date, "20150831", 8);
	snprintf(label, sizeof(label), "%s: another day's key refused", name);
	ok(sigv4_signing_key(secret, &other, key) &&
	    !sigv4_verify_key(&v.req, &auth, key, now, &err) &&
	    err.status == 401, label);
out:
	/* Frees the data files and what was computed from them. */
	free(got_creq);
	free(got_sts);
	free(reqtext);
	free(want_creq);
	free(want_sts);
	free(authz);
}

static void
test_vectors(void)
{
	static const char *suite[] = {
		"get-vanilla", "get-vanilla-query",
		"get-vanilla-query-order-key", "get-vanilla-query-order-value",
		"get-vanilla-query-order-key-case",
		"get-vanilla-query-order-encoded",
		"get-vanilla-query-unreserved", "get-vanilla-utf8-query",
		"get-vanilla-empty-query-key", "get-header-key-duplicate",
		"get-header-value-order", "get-header-value-trim",
		"get-header-value-multiline", "get-unreserved", "get-utf8",
		"get-space", "get-special-character", "get-slash",
		"get-slashes", "get-slash-dot-slash", "get-slash-pointless-dot",
		"get-relative", "get-relative-relative", "post-vanilla",
		"post-vanilla-query", "post-x-www-form-urlencoded",
		"post-x-www-form-urlencoded-parameters", "post-header-key-case",
		"post-header-key-sort", "post-header-value-case",
		"post-sts-header-before",
	};
	size_t	i;

	for (i = 0; i < sizeof(suite) / sizeof(suite[0]); i++)
		run_case(suite[i], "service", suite_secret,
		    at("20150830T123600Z"));
	run_case("botocore-ec2-describe-regions", "ec2", boto_secret,
	    at("20260131T120000Z"));
	run_case("botocore-ec2-presigned", "ec2", boto_secret,
	    at("20260131T120000Z") + 60);
}

/*
 * A request built field by field, for the refusals.  Defaults are the
 * botocore EC2 DescribeRegions request, whose signature is known good.
 */
struct tcase {
	const char	*method;
	const char	*path;
	const char	*query;
	const char	*authz;		/* NULL: no Authorization header */
	const char	*date;		/* X-Amz-Date; NULL: none */
	const char	*sha;		/* x-amz-content-sha256; NULL: none */
	const char	*xname;		/* one more header; NULL: none */
	const char	*xvalue;
	const char	*body;
};

#define EC2_DATE	"20260131T120000Z"
#define EC2_BODY	"Action=DescribeRegions&Version=2016-11-15"
#define EC2_BODY_SHA	\
	"903451d1f3cda66f6ac7101b5810af53eb3ce6b47c5162b0b2238ce9086b6a0d"
#define EC2_CRED	\
	"AKIAIOSFODNN7EXAMPLE/20260131/us-east-1/ec2/aws4_request"
#define EC2_SH		"content-type;host;x-amz-date"
#define EC2_SIG		\
	"4ed5fd66dd0b310b326ba02e600829592c557c1ffc1a4a61b45435120adf4146"
#define EC2_AUTHZ	"AWS4-HMAC-SHA256 Credential=" EC2_CRED \
	", SignedHeaders=" EC2_SH ", Signature=" EC2_SIG

static struct tcase
ec2(void)
{
	struct tcase	c = {
		.method = "POST", .path = "/", .query = NULL,
		.authz = EC2_AUTHZ, .date = EC2_DATE, .sha = NULL,
		.xname = NULL, .xvalue = NULL, .body = EC2_BODY,
	};

	return c;
}

static void
build(const struct tcase *c, struct sigv4_request *r,
    struct sigv4_header h[MAX_HEADERS])
{
	size_t	n = 0;

	h[n].name = "Host";
	h[n++].value = "127.0.0.1:5000";
	h[n].name = "Content-Type";
	h[n++].value = "application/x-www-form-urlencoded; charset=utf-8";
	h[n].name = "User-Agent";
	h[n++].value = "Botocore/1.43.11";
	if (c->date != NULL) {
		h[n].name = "X-Amz-Date";
		h[n++].value = c->date;
	}
	if (c->sha != NULL) {
		h[n].name = "X-Amz-Content-SHA256";
		h[n++].value = c->sha;
	}
	if (c->xname != NULL) {
		h[n].name = c->xname;
		h[n++].value = c->xvalue;
	}
	if (c->authz != NULL) {
		h[n].name = "Authorization";
		h[n++].value = c->authz;
	}
	memset(r, 0, sizeof(*r));
	r->method = c->method;
	r->path = c->path;
	r->query = c->query;
	r->headers = h;
	r->nheaders = n;
	r->body = c->body;
	r->body_len = c->body ? strlen(c->body) : 0;
}

/*
 * Parse, then (when parsing worked) verify c against secret at now.
 * Returns NULL on success, else the error message (static storage),
 * after checking the error is 401 AuthenticationFailure.
 */
static const char *
check(const struct tcase *c, const char *service, const char *secret,
    time_t now, struct sigv4_auth *out)
{
	static struct api_error	 err;
	struct sigv4_header	 h[MAX_HEADERS];
	struct sigv4_request	 r;
	struct sigv4_auth	 auth;

	build(c, &r, h);
	memset(&err, 0, sizeof(err));
	if (sigv4_parse(&r, service, &auth, &err) &&
	    sigv4_verify(&r, &auth, secret, now, &err)) {
		if (out != NULL)
			*out = auth;
		return NULL;
	}
	if (out != NULL)
		*out = auth;
	if (err.status != 401 || err.code == NULL ||
	    strcmp(err.code, "AuthenticationFailure") != 0)
		return "(wrong status or code)";
	return err.message;
}

/* ok() that c is refused with a message containing want. */
static void
refused(const struct tcase *c, const char *service, const char *secret,
    time_t now, const char *want, const char *name)
{
	const char	*msg = check(c, service, secret, now, NULL);

	if (!ok(msg != NULL && strstr(msg, want) != NULL, name))
		printf("#   got: %s\n#   want: ...%s...\n",
		    msg ? msg : "(accepted)", want);
}

static void
test_request_refusals(void)
{
	struct sigv4_auth	 auth;
	struct tcase		 c;
	time_t			 t = at(EC2_DATE);
	const char		*msg;

	c = ec2();
	msg = check(&c, "ec2", boto_secret, t, &auth);
	ok(msg == NULL, "the botocore EC2 request verifies");
	is_str(auth.access_key_id, "AKIAIOSFODNN7EXAMPLE",
	    "access key id is returned");
	is_str(auth.region, "us-east-1", "region is returned");
	is_str(auth.service, "ec2", "service is returned");
	ok(!auth.presigned, "header form is not presigned");
	ok(check(&c, "ec2", boto_secret, t + 900, NULL) == NULL,
	    "15 minutes late still verifies");
	ok(check(&c, "ec2", boto_secret, t - 900, NULL) == NULL,
	    "15 minutes early still verifies");
	refused(&c, "ec2", boto_secret, t + 901, "15 minutes",
	    "more than 15 minutes late is refused");
	refused(&c, "ec2", boto_secret, t - 901, "15 minutes",
	    "more than 15 minutes early is refused");
	refused(&c, "ec2", suite_secret, t, "does not match",
	    "wrong secret is refused");
	refused(&c, "ec2", NULL, t, "does not match", "no secret is refused");
	refused(&c, "sts", boto_secret, t, "service 'ec2'",
	    "credential for another service is refused");

	c = ec2();
	c.body = "Action=DescribeRegions&Version=2016-11-16";
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "tampered body is refused");
	c.body = "";
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "dropped body is refused");

	c = ec2();
	c.date = "20260131T120001Z";
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "X-Amz-Date changed by one second is refused");
	c.date = "20260201T120000Z";
	refused(&c, "ec2", boto_secret, at(c.date), "credential date",
	    "X-Amz-Date on another day than the scope is refused");
	c.date = NULL;
	refused(&c, "ec2", boto_secret, t, "no X-Amz-Date",
	    "missing X-Amz-Date is refused");
	c.date = "2026-01-31T12:00:00Z";
	refused(&c, "ec2", boto_secret, t, "YYYYMMDDTHHMMSSZ",
	    "ISO 8601 extended X-Amz-Date is refused");
	c.date = "20260230T120000Z";
	refused(&c, "ec2", boto_secret, t, "not a valid time",
	    "30 February is refused");
	c.date = EC2_DATE;
	c.xname = "x-amz-date";
	c.xvalue = EC2_DATE;
	refused(&c, "ec2", boto_secret, t, "more than one X-Amz-Date",
	    "two X-Amz-Date headers are refused");

	c = ec2();
	c.authz = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260131/"
	    "us-west-2/ec2/aws4_request, SignedHeaders=" EC2_SH
	    ", Signature=" EC2_SIG;
	msg = check(&c, "ec2", boto_secret, t, &auth);
	ok(msg != NULL && strstr(msg, "does not match") != NULL,
	    "scope region other than the signed one is refused");
	is_str(auth.region, "us-west-2", "the scope's region is what parse "
	    "returns");

	c = ec2();
	c.sha = EC2_BODY_SHA;
	ok(check(&c, "ec2", boto_secret, t, NULL) == NULL,
	    "a matching x-amz-content-sha256 verifies");
	c.sha = "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855";
	refused(&c, "ec2", boto_secret, t, "does not match the request body",
	    "x-amz-content-sha256 of another body is refused");
	c.sha = SIGV4_UNSIGNED_PAYLOAD;
	refused(&c, "ec2", boto_secret, t, "unsigned payload",
	    "UNSIGNED-PAYLOAD with a body is refused");
	c.sha = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
	refused(&c, "ec2", boto_secret, t, "not supported",
	    "streaming payloads are refused");

	c = ec2();
	c.authz = "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
	    "content-type;host;my-header;x-amz-date, Signature=" EC2_SIG;
	refused(&c, "ec2", boto_secret, t, "'my-header' is not in the request",
	    "a signed header absent from the request is refused");
	c.query = "X-Amz-Signature=" EC2_SIG;
	c.authz = EC2_AUTHZ;
	refused(&c, "ec2", boto_secret, t, "both",
	    "a header and a query signature together are refused");
	c = ec2();
	c.xname = "authorization";
	c.xvalue = EC2_AUTHZ;
	refused(&c, "ec2", boto_secret, t, "more than one Authorization",
	    "two Authorization headers are refused");
	c = ec2();
	c.authz = NULL;
	refused(&c, "ec2", boto_secret, t, "not signed",
	    "an unsigned request is refused");
}

static void
test_header_refusals(void)
{
	static const struct {
		const char	*authz;
		const char	*want;
		const char	*name;
	} bad[] = {
		{ "garbage", "unsupported algorithm 'garbage'",
		  "garbage Authorization" },
		{ "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "unsupported algorithm "
		  "'Bearer'", "a Bearer token" },
		{ "AWS4-HMAC-SHA1 Credential=" EC2_CRED, "unsupported",
		  "another algorithm" },
		{ "AWS4-HMAC-SHA256", "unsupported", "algorithm alone" },
		{ "AWS4-HMAC-SHA256 ", "malformed", "algorithm and a space" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  EC2_SH, "no Signature", "no Signature" },
		{ "AWS4-HMAC-SHA256 SignedHeaders=" EC2_SH ", Signature="
		  EC2_SIG, "no Credential", "no Credential" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", Signature="
		  EC2_SIG, "no SignedHeaders", "no SignedHeaders" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", Credential="
		  EC2_CRED ", SignedHeaders=" EC2_SH ", Signature=" EC2_SIG,
		  "repeats Credential", "a repeated component" },
		{ EC2_AUTHZ ", Foo=bar", "unknown component 'Foo'",
		  "an unknown component" },
		{ "AWS4-HMAC-SHA256 Credential=, SignedHeaders=" EC2_SH
		  ", Signature=" EC2_SIG, "empty", "an empty Credential" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED " SignedHeaders="
		  EC2_SH ", Signature=" EC2_SIG, "malformed",
		  "a missing comma" },
		{ "AWS4-HMAC-SHA256 Credential " EC2_CRED, "malformed",
		  "a component without '='" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260131/"
		  "us-east-1/ec2, SignedHeaders=" EC2_SH ", Signature="
		  EC2_SIG, "not of the form", "a four-part credential" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED "/x, SignedHeaders="
		  EC2_SH ", Signature=" EC2_SIG, "not of the form",
		  "a six-part credential" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260131/"
		  "us-east-1/ec2/aws4_requesT, SignedHeaders=" EC2_SH
		  ", Signature=" EC2_SIG, "not of the form",
		  "a wrong terminator" },
		{ "AWS4-HMAC-SHA256 Credential=AKIA-BAD/20260131/us-east-1/"
		  "ec2/aws4_request, SignedHeaders=" EC2_SH ", Signature="
		  EC2_SIG, "access key id 'AKIA-BAD'", "a malformed key id" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2026013/"
		  "us-east-1/ec2/aws4_request, SignedHeaders=" EC2_SH
		  ", Signature=" EC2_SIG, "YYYYMMDD", "a seven-digit date" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260131/"
		  "/ec2/aws4_request, SignedHeaders=" EC2_SH ", Signature="
		  EC2_SIG, "region ''", "an empty region" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260131/"
		  "US-EAST-1/ec2/aws4_request, SignedHeaders=" EC2_SH
		  ", Signature=" EC2_SIG, "region 'US-EAST-1'",
		  "an upper-case region" },
		{ "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260130/"
		  "us-east-1/ec2/aws4_request, SignedHeaders=" EC2_SH
		  ", Signature=" EC2_SIG, "credential date '20260130'",
		  "a scope date other than X-Amz-Date's" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "content-type;x-amz-date, Signature=" EC2_SIG,
		  "does not include host", "signed headers without host" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "content-type;host, Signature=" EC2_SIG,
		  "does not include x-amz-date",
		  "signed headers without x-amz-date" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "host;content-type;x-amz-date, Signature=" EC2_SIG,
		  "not sorted", "unsorted signed headers" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "content-type;host;host;x-amz-date, Signature=" EC2_SIG,
		  "not sorted", "a repeated signed header" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "content-type;Host;x-amz-date, Signature=" EC2_SIG,
		  "lower-case", "an upper-case signed header" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  "content-type;;host;x-amz-date, Signature=" EC2_SIG,
		  "lower-case", "an empty signed header name" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  EC2_SH ", Signature=4ED5FD66DD0B310B326BA02E600829592C557C1F"
		  "FC1A4A61B45435120ADF4146", "lower-case hex",
		  "an upper-case signature" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  EC2_SH ", Signature=4ed5fd66", "lower-case hex",
		  "a short signature" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  EC2_SH ", Signature=" EC2_SIG "00", "too long",
		  "a long signature" },
		{ "AWS4-HMAC-SHA256 Credential=" EC2_CRED ", SignedHeaders="
		  EC2_SH ", Signature=zzd5fd66dd0b310b326ba02e600829592c557c1f"
		  "fc1a4a61b45435120adf4146", "lower-case hex",
		  "a non-hex signature" },
	};
	struct tcase	c;
	size_t		i;
	char		name[128];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = ec2();
		c.authz = bad[i].authz;
		snprintf(name, sizeof(name), "Authorization with %s is refused",
		    bad[i].name);
		refused(&c, "ec2", boto_secret, at(EC2_DATE), bad[i].want,
		    name);
	}
	c = ec2();
	c.authz = "AWS4-HMAC-SHA256   Credential=" EC2_CRED ",SignedHeaders="
	    EC2_SH ",   Signature=" EC2_SIG;
	ok(check(&c, "ec2", boto_secret, at(EC2_DATE), NULL) == NULL,
	    "extra spaces around components are accepted");
	c.authz = "AWS4-HMAC-SHA256 Signature=" EC2_SIG ", Credential="
	    EC2_CRED ", SignedHeaders=" EC2_SH;
	ok(check(&c, "ec2", boto_secret, at(EC2_DATE), NULL) == NULL,
	    "components in another order are accepted");
}

#define PRE_Q(params, expires, sig) \
	params "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" \
	"AKIAIOSFODNN7EXAMPLE%2F20260131%2Fus-east-1%2Fec2%2Faws4_request" \
	"&X-Amz-Date=20260131T120000Z&X-Amz-Expires=" expires \
	"&X-Amz-SignedHeaders=host&X-Amz-Signature=" sig
#define PRE_PARAMS	"Action=DescribeRegions&Version=2016-11-15&" \
	"RegionName.1=us-east-1&RegionName.2=eu-west-1"
#define PRE_SIG	\
	"4ded37c9872f28ea703b751ef4531e699786c65336c59f09de3a1342b92ba5f0"

static struct tcase
presigned(const char *query)
{
	struct tcase	c = {
		.method = "GET", .path = "/", .query = query, .authz = NULL,
		.date = NULL, .sha = NULL, .xname = NULL, .xvalue = NULL,
		.body = NULL,
	};

	return c;
}

/*
 * Presign a GET / whose query ends in "X-Amz-Signature=" with
 * payload_hash, as a presigner would: returns the query with the
 * signature appended, caller frees.
 */
static char *
presign(const char *query_without_sig, const char *payload_hash)
{
	struct api_error	 err;
	struct sigv4_header	 h[MAX_HEADERS];
	struct sigv4_request	 r;
	struct sigv4_auth	 auth;
	struct tcase		 c;
	char			*creq, *sts, sig[SIGV4_HEX_LEN + 1], *q;

	memset(&auth, 0, sizeof(auth));
	auth.presigned = true;
	strcpy(auth.access_key_id, "AKIAIOSFODNN7EXAMPLE");
	strcpy(auth.date, "20260131");
	strcpy(auth.region, "us-east-1");
	strcpy(auth.service, "ec2");
	strcpy(auth.amz_date, EC2_DATE);
	strcpy(auth.signed_headers, "host");
	c = presigned(query_without_sig);
	build(&c, &r, h);
	creq = sigv4_canonical_request(&r, &auth, payload_hash, &err);
	sts = sigv4_string_to_sign(&auth, creq);
	sigv4_signature(boto_secret, &auth, sts, sig);
	if (asprintf(&q, "%s%s", query_without_sig, sig) < 0)
		abort();
	free(creq);
	free(sts);
	return q;
}

static void
test_presigned(void)
{
	struct sigv4_auth	 auth;
	struct tcase		 c;
	time_t			 t = at(EC2_DATE);
	char			*q;

	c = presigned(PRE_Q(PRE_PARAMS, "300", PRE_SIG));
	ok(check(&c, "ec2", boto_secret, t, &auth) == NULL,
	    "botocore presigned URL verifies");
	ok(auth.presigned, "it is reported as presigned");
	is_int(auth.expires, 300, "its lifetime is returned");
	ok(check(&c, "ec2", boto_secret, t + 300, NULL) == NULL,
	    "it verifies at the end of its lifetime");
	refused(&c, "ec2", boto_secret, t + 301, "expired",
	    "it is refused after its lifetime");
	ok(check(&c, "ec2", boto_secret, t - 900, NULL) == NULL,
	    "it verifies 15 minutes before its date");
	refused(&c, "ec2", boto_secret, t - 901, "in the future",
	    "it is refused more than 15 minutes before its date");
	refused(&c, "ec2", suite_secret, t, "does not match",
	    "it is refused with the wrong secret");

	c.query = PRE_Q("Action=DescribeRegions&Version=2016-11-15&"
	    "RegionName.1=us-east-1&RegionName.2=eu-west-2", "300", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "a tampered presigned parameter is refused");
	c.query = PRE_Q(PRE_PARAMS, "301", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "a lengthened lifetime is refused");
	c.query = PRE_Q(PRE_PARAMS "&Extra=1", "300", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "an added parameter is refused");
	c.query = PRE_Q(PRE_PARAMS, "300", PRE_SIG);
	c.body = "Action=TerminateInstances";
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "a body added to a presigned GET is refused");

	c = presigned(PRE_Q(PRE_PARAMS, "0", PRE_SIG));
	refused(&c, "ec2", boto_secret, t, "X-Amz-Expires '0'",
	    "a zero lifetime is refused");
	c.query = PRE_Q(PRE_PARAMS, "604801", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "X-Amz-Expires '604801'",
	    "a lifetime over 7 days is refused");
	c.query = PRE_Q(PRE_PARAMS, "3e2", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "X-Amz-Expires '3e2'",
	    "a non-numeric lifetime is refused");
	c.query = PRE_Q(PRE_PARAMS, "", PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "X-Amz-Expires ''",
	    "an empty lifetime is refused");
	c.query = PRE_Q(PRE_PARAMS "&X-Amz-Date=20260131T120000Z", "300",
	    PRE_SIG);
	refused(&c, "ec2", boto_secret, t, "repeats the query parameter "
	    "X-Amz-Date", "a repeated X-Amz-Date is refused");
	c.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date="
	    "20260131T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&"
	    "X-Amz-Signature=" PRE_SIG;
	refused(&c, "ec2", boto_secret, t, "lacks the query parameter "
	    "X-Amz-Credential", "a missing X-Amz-Credential is refused");
	c.query = "X-Amz-Signature=" PRE_SIG;
	refused(&c, "ec2", boto_secret, t, "lacks the query parameter "
	    "X-Amz-Algorithm", "a lone X-Amz-Signature is refused");
	c.query = "Action=DescribeRegions&X-Amz-Algorithm=AWS4-HMAC-SHA1&"
	    "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260131%2Fus-east-1%2F"
	    "ec2%2Faws4_request&X-Amz-Date=20260131T120000Z&X-Amz-Expires="
	    "300&X-Amz-SignedHeaders=host&X-Amz-Signature=" PRE_SIG;
	refused(&c, "ec2", boto_secret, t, "X-Amz-Algorithm 'AWS4-HMAC-SHA1'",
	    "another presigned algorithm is refused");
	c.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20260131%2Fus-east-1%2Fec2%2Faws4_request"
	    "&X-Amz-Date=20260131T120000Z&X-Amz-Expires=300&"
	    "X-Amz-SignedHeaders=x-amz-date&X-Amz-Signature=" PRE_SIG;
	refused(&c, "ec2", boto_secret, t, "does not include host",
	    "presigned without host is refused");

	/* S3-style presigners sign UNSIGNED-PAYLOAD instead of the body. */
	q = presign(PRE_Q(PRE_PARAMS, "300", ""), SIGV4_UNSIGNED_PAYLOAD);
	c = presigned(q);
	ok(check(&c, "ec2", boto_secret, t, NULL) == NULL,
	    "presigned with UNSIGNED-PAYLOAD verifies");
	c.body = "Action=TerminateInstances";
	refused(&c, "ec2", boto_secret, t, "does not match",
	    "presigned with UNSIGNED-PAYLOAD and a body is refused");
	free(q);
}

/* The canonical request's second and third lines for path and query. */
static void
canon_lines(const char *path, const char *query, char *uri, char *cq,
    size_t size)
{
	struct api_error	 err;
	struct sigv4_header	 h[1] = { { "Host", "h" } };
	struct sigv4_request	 r;
	struct sigv4_auth	 auth;
	char			*creq, *l1, *l2, *l3;

	memset(&r, 0, sizeof(r));
	memset(&auth, 0, sizeof(auth));
	r.method = "GET";
	r.path = path;
	r.query = query;
	r.headers = h;
	r.nheaders = 1;
	strcpy(auth.signed_headers, "host");
	uri[0] = cq[0] = '\0';
	if ((creq = sigv4_canonical_request(&r, &auth, NULL, &err)) == NULL)
		return;
	l1 = strchr(creq, '\n') + 1;
	l2 = strchr(l1, '\n') + 1;
	l3 = strchr(l2, '\n');
	snprintf(uri, size, "%.*s", (int)(l2 - l1 - 1), l1);
	snprintf(cq, size, "%.*s", (int)(l3 - l2), l2);
	free(creq);
}

static void
test_canonical_forms(void)
{
	static const struct {
		const char	*path, *query, *uri, *cq, *name;
	} t[] = {
		{ "/example%20space/", NULL, "/example%2520space/", "",
		  "an encoded path is encoded again" },
		{ "/a/b/../c/./d", NULL, "/a/c/d", "", "dot segments go" },
		{ "/a/b/..", NULL, "/a", "", "a final .. leaves no slash" },
		{ "/../..", NULL, "/", "", ".. above the root stays at /" },
		{ "", NULL, "/", "", "an empty path is /" },
		{ "/%2E%2E/x", NULL, "/%252E%252E/x", "",
		  "encoded dots are not dot segments" },
		{ "/", "b=2&a=1&&c", "/", "a=1&b=2&c=",
		  "empty pieces go, a bare key gets '='" },
		{ "/", "a=x+y&b=%7e&c=%2f&d=%zz", "/",
		  "a=x%2By&b=~&c=%2F&d=%25zz",
		  "query values are decoded then re-encoded" },
		{ "/", "k=%41&k=B&k=a", "/", "k=A&k=B&k=a",
		  "repeated keys sort by encoded value" },
		{ "/", "=v&a=1", "/", "=v&a=1", "an empty key sorts first" },
	};
	char	uri[256], cq[256], name[160];
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		canon_lines(t[i].path, t[i].query, uri, cq, sizeof(uri));
		snprintf(name, sizeof(name), "canonical URI: %s", t[i].name);
		is_str(uri, t[i].uri, name);
		snprintf(name, sizeof(name), "canonical query: %s", t[i].name);
		is_str(cq, t[i].cq, name);
	}
}

/*
 * The signing key of AWS's documentation example (IAM, us-east-1,
 * 2015-08-30, the suite's example secret), and a key of no scope.
 */
static void
test_signing_key(void)
{
	struct sigv4_auth	 auth;
	static const struct sigv4_header headers[] = {
		{ "Host", "iam.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
	};
	struct sigv4_request	 req;
	struct api_error	 err;
	unsigned char		 key[SIGV4_KEY_LEN];
	char			 hex[2 * SIGV4_KEY_LEN + 1];

	memset(&auth, 0, sizeof(auth));
	strcpy(auth.date, "20150830");
	strcpy(auth.region, "us-east-1");
	strcpy(auth.service, "iam");
	ok(sigv4_signing_key(suite_secret, &auth, key), "signing key derived");
	hex_encode(key, sizeof(key), hex);
	is_str(hex, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3"
	    "c154a4b9", "signing key: AWS's documented example");
	/* No key (an unknown access key) is refused, as with no secret. */
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.headers = headers;
	req.nheaders = 2;
	strcpy(auth.amz_date, "20150830T123600Z");
	auth.time = 1440938160;
	strcpy(auth.signed_headers, "host;x-amz-date");
	memset(auth.signature, 'a', SIGV4_HEX_LEN);
	memset(&err, 0, sizeof(err));
	ok(!sigv4_verify_key(&req, &auth, NULL, auth.time, &err) &&
	    err.status == 401 && strstr(err.message, "signature does not "
	    "match") != NULL, "no signing key: 401, the signature refused");
}

int
main(void)
{
	test_vectors();
	test_signing_key();
	test_request_refusals();
	test_header_refusals();
	test_presigned();
	test_canonical_forms();
	return tap_done();
}
