/*
 * AWS Signature Version 4 verification, see sigv4.h.  The canonical
 * request is rebuilt from the request exactly as a client built it
 * before sending, so every rule here mirrors the client side: the
 * path's dot segments and empty segments removed and its raw form
 * encoded again (a space sent as %20 is signed as %2520), the query
 * decoded and re-encoded, then sorted by key and value.
 *
 * Behind FastCGI a header that a client sent twice usually arrives
 * joined by the web server ("a, b"); it then signs as "a, b", not as
 * AWS's "a,b".  Real SDKs never repeat a signed header, so this only
 * matters for the test suite, which lists repeats one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "error.h"
#include "hex.h"
#include "sha256.h"
#include "sigv4.h"

#define TERMINATOR	"aws4_request"
#define AUTH_FAIL(err, ...) \
	api_error_set((err), 401, "AuthenticationFailure", __VA_ARGS__)

/* One query parameter: decoded (for lookups) and canonically encoded. */
struct qparam {
	char	*key;
	size_t	 keylen;
	char	*value;
	size_t	 valuelen;
	char	*ekey;
	char	*evalue;
};

struct query {
	struct qparam	*p;
	size_t		 n;
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static bool
is_lower_hex(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[len] == '\0';
}

static void
sha256_hex(const void *p, size_t len, char out[SIGV4_HEX_LEN + 1])
{
	unsigned char	md[SHA256_LEN];

	/* On failure no signature can match the empty hash: refused. */
	if (!sha256(p, len, md)) {
		out[0] = '\0';
		return;
	}
	hex_encode(md, sizeof(md), out);
}

/*
 * Percent-decode len bytes of s; a '%' not followed by two hex digits
 * stays itself, and '+' stays '+' (SDKs encode a space as %20).
 * Returns the bytes, NUL-terminated, caller frees; NULL: out of memory.
 */
static char *
pct_decode(const char *s, size_t len, size_t *outlen)
{
	char	*out;
	size_t	 i, n = 0;
	int	 hi, lo;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[n++] = s[i];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/*
 * URI-encode len bytes of s: RFC 3986 unreserved characters (and '/'
 * when keep_slash) as themselves, every other byte as %XX in upper
 * case.  Caller frees; NULL: out of memory.
 */
static char *
uri_encode(const char *s, size_t len, bool keep_slash)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out;
	size_t			 i, n = 0;
	unsigned char		 c;

	if ((out = malloc(3 * len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/'))
			out[n++] = (char)c;
		else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 0xf];
		}
	}
	out[n] = '\0';
	return out;
}

static void
query_free(struct query *q)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		free(q->p[i].key);
		free(q->p[i].value);
		free(q->p[i].ekey);
		free(q->p[i].evalue);
	}
	free(q->p);
	q->p = NULL;
	q->n = 0;
}

/*
 * Split raw query s ("a=1&b&c=3"; may be NULL) into q; empty pieces are
 * skipped, a piece without '=' has an empty value.  False only when out
 * of memory (q is then emptied).
 */
static bool
query_parse(const char *s, struct query *q)
{
	const char	*piece, *end, *eq;
	struct qparam	*p;
	size_t		 max = 1;

	q->p = NULL;
	q->n = 0;
	if (s == NULL || *s == '\0')
		return true;
	for (piece = s; *piece != '\0'; piece++)
		if (*piece == '&')
			max++;
	if ((q->p = calloc(max, sizeof(*q->p))) == NULL)
		return false;
	for (piece = s; *piece != '\0'; piece = *end ? end + 1 : end) {
		end = strchr(piece, '&');
		if (end == NULL)
			end = piece + strlen(piece);
		if (end == piece)
			continue;
		eq = memchr(piece, '=', (size_t)(end - piece));
		if (eq == NULL)
			eq = end;
		p = &q->p[q->n++];
		if ((p->key = pct_decode(piece, (size_t)(eq - piece),
		    &p->keylen)) == NULL ||
		    (p->value = pct_decode(eq == end ? eq : eq + 1,
		    (size_t)(end - (eq == end ? eq : eq + 1)),
		    &p->valuelen)) == NULL ||
		    (p->ekey = uri_encode(p->key, p->keylen, false)) == NULL ||
		    (p->evalue = uri_encode(p->value, p->valuelen,
		    false)) == NULL) {
			query_free(q);
			return false;
		}
	}
	return true;
}

/* How many times the decoded key name occurs; *value is the last. */
static size_t
query_find(const struct query *q, const char *name, const char **value)
{
	size_t	i, n = 0, len = strlen(name);

	*value = NULL;
	for (i = 0; i < q->n; i++)
		if (q->p[i].keylen == len &&
		    memcmp(q->p[i].key, name, len) == 0) {
			*value = q->p[i].value;
			n++;
		}
	return n;
}

static int
qparam_cmp(const void *a, const void *b)
{
	const struct qparam	*x = *(const struct qparam *const *)a;
	const struct qparam	*y = *(const struct qparam *const *)b;
	int			 c;

	if ((c = strcmp(x->ekey, y->ekey)) != 0)
		return c;
	return strcmp(x->evalue, y->evalue);
}

/*
 * The canonical URI of a raw path: empty and "." segments dropped, ".."
 * removing the segment before it, a trailing '/' kept, then every byte
 * but unreserved characters and '/' encoded.  Caller frees.
 */
static char *
canonical_uri(const char *path)
{
	const char	**seg = NULL;
	size_t		 *seglen = NULL, len, nseg = 0, max = 1, i, start, n;
	char		 *norm = NULL, *res = NULL;

	if (path == NULL)
		path = "";
	len = strlen(path);
	for (i = 0; i < len; i++)
		if (path[i] == '/')
			max++;
	if ((seg = calloc(max, sizeof(*seg))) == NULL ||
	    (seglen = calloc(max, sizeof(*seglen))) == NULL ||
	    (norm = malloc(len + 2)) == NULL)
		goto out;
	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		n = i - start;
		if (n == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (nseg > 0)
				nseg--;
		} else if (n > 0 && !(n == 1 && path[start] == '.')) {
			seg[nseg] = path + start;
			seglen[nseg++] = n;
		}
		start = i + 1;
	}
	n = 0;
	norm[n++] = '/';
	for (i = 0; i < nseg; i++) {
		memcpy(norm + n, seg[i], seglen[i]);
		n += seglen[i];
		if (i + 1 < nseg || path[len - 1] == '/')
			norm[n++] = '/';
	}
	res = uri_encode(norm, n, true);
out:
	/* Frees the segment table and the normalised, unencoded path. */
	free(seg);
	free(seglen);
	free(norm);
	return res;
}

/* Write value with outer white space removed and inner runs as one ' '. */
static void
put_trimmed(FILE *f, const char *v)
{
	bool	space = false, any = false;

	for (; *v != '\0'; v++) {
		if (is_space(*v)) {
			space = true;
			continue;
		}
		if (space && any)
			putc(' ', f);
		putc(*v, f);
		space = false;
		any = true;
	}
}

char *
sigv4_canonical_request(const struct sigv4_request *req,
    const struct sigv4_auth *auth, const char *payload_hash,
    struct api_error *err)
{
	struct query		  q = { NULL, 0 };
	const struct qparam	**sorted = NULL;
	FILE			 *f = NULL;
	char			 *buf = NULL, *uri = NULL, *res = NULL;
	char			  name[SIGV4_SIGNED_MAX + 1];
	char			  body[SIGV4_HEX_LEN + 1];
	const char		 *s, *semi;
	size_t			  size, i, n, found;

	if ((f = open_memstream(&buf, &size)) == NULL ||
	    (uri = canonical_uri(req->path)) == NULL ||
	    !query_parse(req->query, &q) ||
	    (sorted = calloc(q.n + 1, sizeof(*sorted))) == NULL) {
		api_error_internal(err);
		goto out;
	}
	fprintf(f, "%s\n%s\n", req->method, uri);

	for (i = n = 0; i < q.n; i++)
		if (!(auth->presigned &&
		    strcmp(q.p[i].ekey, "X-Amz-Signature") == 0))
			sorted[n++] = &q.p[i];
	qsort(sorted, n, sizeof(*sorted), qparam_cmp);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s=%s", i ? "&" : "", sorted[i]->ekey,
		    sorted[i]->evalue);
	putc('\n', f);

	/* The list was checked by sigv4_parse: lower-case, sorted. */
	for (s = auth->signed_headers; *s != '\0';
	    s = *semi != '\0' ? semi + 1 : semi) {
		if ((semi = strchr(s, ';')) == NULL)
			semi = s + strlen(s);
		snprintf(name, sizeof(name), "%.*s", (int)(semi - s), s);
		fprintf(f, "%s:", name);
		for (i = found = 0; i < req->nheaders; i++) {
			if (strcasecmp(req->headers[i].name, name) != 0)
				continue;
			if (found++)
				putc(',', f);
			put_trimmed(f, req->headers[i].value);
		}
		if (found == 0) {
			AUTH_FAIL(err, "the signed header '%s' is not in the "
			    "request", name);
			goto out;
		}
		putc('\n', f);
	}

	if (payload_hash == NULL) {
		sha256_hex(req->body, req->body_len, body);
		payload_hash = body;
	}
	fprintf(f, "\n%s\n%s", auth->signed_headers, payload_hash);
	if (fflush(f) != 0 || ferror(f)) {
		api_error_internal(err);
		goto out;
	}
	fclose(f);
	f = NULL;
	res = buf;
	buf = NULL;
out:
	/* Frees the stream and its buffer unless returned, the query, URI. */
	if (f != NULL)
		fclose(f);
	free(buf);
	free(uri);
	free(sorted);
	query_free(&q);
	return res;
}

char *
sigv4_string_to_sign(const struct sigv4_auth *auth, const char *creq)
{
	char	hash[SIGV4_HEX_LEN + 1], *s;

	sha256_hex(creq, strlen(creq), hash);
	if (asprintf(&s, SIGV4_ALGORITHM "\n%s\n%s/%s/%s/" TERMINATOR "\n%s",
	    auth->amz_date, auth->date, auth->region, auth->service,
	    hash) < 0)
		return NULL;
	return s;
}

bool
sigv4_signing_key(const char *secret, const struct sigv4_auth *auth,
    unsigned char out[SIGV4_KEY_LEN])
{
	const char	*steps[4];
	char		*ksecret;
	bool		 ok;

	/* kDate, kRegion, kService, then kSigning. */
	steps[0] = auth->date;
	steps[1] = auth->region;
	steps[2] = auth->service;
	steps[3] = TERMINATOR;
	if (asprintf(&ksecret, "AWS4%s", secret) < 0)
		return false;
	ok = hmac_sha256_chain(ksecret, strlen(ksecret), steps, 4, out);
	/* Wipes and frees the secret's key (the chain wipes its own). */
	OPENSSL_cleanse(ksecret, strlen(ksecret));
	free(ksecret);
	return ok;
}

/* The hex signature of sts with a signing key, into out. */
static bool
signature_with_key(const unsigned char key[SIGV4_KEY_LEN], const char *sts,
    char out[SIGV4_HEX_LEN + 1])
{
	unsigned char	sig[SHA256_LEN];

	if (!hmac_sha256(key, SIGV4_KEY_LEN, sts, strlen(sts), sig))
		return false;
	hex_encode(sig, sizeof(sig), out);
	return true;
}

bool
sigv4_signature(const char *secret, const struct sigv4_auth *auth,
    const char *sts, char out[SIGV4_HEX_LEN + 1])
{
	unsigned char	key[SIGV4_KEY_LEN];
	bool		ok;

	ok = sigv4_signing_key(secret, auth, key) &&
	    signature_with_key(key, sts, out);
	OPENSSL_cleanse(key, sizeof(key));
	return ok;
}

/* Copy len bytes of s into dst (size dstsize); false if it won't fit. */
static bool
copy_part(char *dst, size_t dstsize, const char *s, size_t len)
{
	if (len >= dstsize)
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

/* Read AKID/YYYYMMDD/region/service/aws4_request into out. */
static bool
parse_credential(const char *cred, struct sigv4_auth *out,
    struct api_error *err)
{
	const char	*part[5], *end;
	size_t		 len[5], i, j;
	bool		 good = true;

	for (i = 0, end = cred; i < 5; i++) {
		part[i] = end;
		if ((end = strchr(part[i], '/')) == NULL)
			end = part[i] + strlen(part[i]);
		len[i] = (size_t)(end - part[i]);
		if (i < 4 && *end != '/') {
			good = false;
			break;
		}
		if (i < 4)
			end++;
	}
	if (!good || *end != '\0' || len[4] != strlen(TERMINATOR) ||
	    memcmp(part[4], TERMINATOR, len[4]) != 0)
		return AUTH_FAIL(err, "the credential '%.160s' is not of the "
		    "form <access key id>/<date>/<region>/<service>/"
		    TERMINATOR, cred);
	for (j = 0; j < len[0]; j++)
		if (!((part[0][j] >= 'A' && part[0][j] <= 'Z') ||
		    (part[0][j] >= 'a' && part[0][j] <= 'z') ||
		    (part[0][j] >= '0' && part[0][j] <= '9')))
			good = false;
	if (len[0] == 0 || !good ||
	    !copy_part(out->access_key_id, sizeof(out->access_key_id),
	    part[0], len[0]))
		return AUTH_FAIL(err, "the access key id '%.*s' is malformed",
		    (int)(len[0] > 64 ? 64 : len[0]), part[0]);
	for (j = 0; j < len[1]; j++)
		if (part[1][j] < '0' || part[1][j] > '9')
			good = false;
	if (len[1] != 8 || !good)
		return AUTH_FAIL(err, "the credential date '%.*s' is not "
		    "YYYYMMDD", (int)(len[1] > 16 ? 16 : len[1]), part[1]);
	copy_part(out->date, sizeof(out->date), part[1], len[1]);
	for (i = 2; i < 4; i++) {
		for (j = 0; j < len[i]; j++)
			if (!((part[i][j] >= 'a' && part[i][j] <= 'z') ||
			    (part[i][j] >= '0' && part[i][j] <= '9') ||
			    part[i][j] == '-'))
				good = false;
		if (len[i] == 0 || !good || !copy_part(i == 2 ? out->region :
		    out->service, i == 2 ? sizeof(out->region) :
		    sizeof(out->service), part[i], len[i]))
			return AUTH_FAIL(err, "the credential %s '%.*s' is "
			    "malformed", i == 2 ? "region" : "service",
			    (int)(len[i] > 64 ? 64 : len[i]), part[i]);
	}
	return true;
}

/* Read YYYYMMDDTHHMMSSZ into out->amz_date and out->time. */
static bool
parse_amz_date(const char *s, struct sigv4_auth *out, struct api_error *err)
{
	struct tm	tm, back;
	size_t		i;
	time_t		t;

	for (i = 0; i < 16; i++)
		if (i == 8 ? s[i] != 'T' : i == 15 ? s[i] != 'Z' :
		    (s[i] < '0' || s[i] > '9'))
			break;
	if (i != 16 || s[16] != '\0')
		return AUTH_FAIL(err, "the X-Amz-Date '%.32s' is not of the "
		    "form YYYYMMDDTHHMMSSZ", s);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[4] - '0') * 10 + (s[5] - '0') - 1;
	tm.tm_mday = (s[6] - '0') * 10 + (s[7] - '0');
	tm.tm_hour = (s[9] - '0') * 10 + (s[10] - '0');
	tm.tm_min = (s[11] - '0') * 10 + (s[12] - '0');
	tm.tm_sec = (s[13] - '0') * 10 + (s[14] - '0');
	back = tm;
	t = timegm(&tm);
	/* timegm normalises 30 February; a real date comes back unchanged. */
	if (t == (time_t)-1 || tm.tm_year != back.tm_year ||
	    tm.tm_mon != back.tm_mon || tm.tm_mday != back.tm_mday ||
	    tm.tm_hour != back.tm_hour || tm.tm_min != back.tm_min ||
	    tm.tm_sec != back.tm_sec)
		return AUTH_FAIL(err, "the X-Amz-Date '%s' is not a valid "
		    "time", s);
	memcpy(out->amz_date, s, 17);
	out->time = t;
	return true;
}

/*
 * SignedHeaders: lower-case names separated by ';', strictly ascending,
 * naming host (and x-amz-date when the date came in a header).
 */
static bool
check_signed_headers(const struct sigv4_auth *a, struct api_error *err)
{
	const char	*s, *semi, *prev = NULL;
	size_t		 len, prevlen = 0, i;
	bool		 host = false, date = false;
	int		 c;

	for (s = a->signed_headers; ; s = semi + 1) {
		if ((semi = strchr(s, ';')) == NULL)
			semi = s + strlen(s);
		len = (size_t)(semi - s);
		for (i = 0; i < len; i++)
			if (s[i] <= ' ' || s[i] > '~' || s[i] == ':' ||
			    (s[i] >= 'A' && s[i] <= 'Z'))
				break;
		if (len == 0 || i < len)
			return AUTH_FAIL(err, "the SignedHeaders '%.200s' is "
			    "not a ';'-separated list of lower-case names",
			    a->signed_headers);
		if (prev != NULL) {
			c = memcmp(prev, s, prevlen < len ? prevlen : len);
			if (c > 0 || (c == 0 && prevlen >= len))
				return AUTH_FAIL(err, "the SignedHeaders "
				    "'%.200s' is not sorted, or repeats a name",
				    a->signed_headers);
		}
		host |= len == 4 && memcmp(s, "host", 4) == 0;
		date |= len == 10 && memcmp(s, "x-amz-date", 10) == 0;
		prev = s;
		prevlen = len;
		if (*semi == '\0')
			break;
	}
	if (!host)
		return AUTH_FAIL(err, "the SignedHeaders '%.200s' does not "
		    "include host", a->signed_headers);
	if (!a->presigned && !date)
		return AUTH_FAIL(err, "the SignedHeaders '%.200s' does not "
		    "include x-amz-date", a->signed_headers);
	return true;
}

/*
 * The Authorization header: the algorithm, then Credential=,
 * SignedHeaders= and Signature= once each, separated by commas.
 */
static bool
parse_header(const char *v, const struct sigv4_request *req, char *cred,
    size_t credsize, struct sigv4_auth *out, struct api_error *err)
{
	static const char	*names[] = { "Credential", "SignedHeaders",
				    "Signature" };
	const char		*name, *val, *date = NULL;
	size_t			 namelen, vallen, alglen, i, ndate = 0;
	bool			 seen[3] = { false, false, false };

	alglen = strlen(SIGV4_ALGORITHM);
	if (strncmp(v, SIGV4_ALGORITHM, alglen) != 0 || v[alglen] != ' ') {
		for (i = 0; v[i] != '\0' && v[i] != ' ' && i < 64; i++)
			continue;
		return AUTH_FAIL(err, "the Authorization header uses the "
		    "unsupported algorithm '%.*s'", (int)i, v);
	}
	v += alglen;
	for (;;) {
		while (*v == ' ')
			v++;
		name = v;
		while (*v != '=' && *v != ',' && *v != '\0' && !is_space(*v))
			v++;
		namelen = (size_t)(v - name);
		if (*v != '=' || namelen == 0)
			return AUTH_FAIL(err, "the Authorization header is "
			    "malformed near '%.32s'", name);
		val = ++v;
		while (*v != ',' && *v != '\0' && !is_space(*v))
			v++;
		vallen = (size_t)(v - val);
		for (i = 0; i < 3; i++)
			if (strlen(names[i]) == namelen &&
			    memcmp(names[i], name, namelen) == 0)
				break;
		if (i == 3)
			return AUTH_FAIL(err, "the Authorization header has "
			    "the unknown component '%.*s'",
			    (int)(namelen > 32 ? 32 : namelen), name);
		if (seen[i])
			return AUTH_FAIL(err, "the Authorization header "
			    "repeats %s", names[i]);
		seen[i] = true;
		if (!copy_part(i == 0 ? cred : i == 1 ? out->signed_headers :
		    out->signature, i == 0 ? credsize : i == 1 ?
		    sizeof(out->signed_headers) : sizeof(out->signature),
		    val, vallen) || vallen == 0)
			return AUTH_FAIL(err, "the Authorization header's %s "
			    "is empty or too long", names[i]);
		while (*v == ' ')
			v++;
		if (*v == '\0')
			break;
		if (*v++ != ',')
			return AUTH_FAIL(err, "the Authorization header is "
			    "malformed near '%.32s'", v - 1);
	}
	for (i = 0; i < 3; i++)
		if (!seen[i])
			return AUTH_FAIL(err, "the Authorization header has no "
			    "%s", names[i]);
	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, "x-amz-date") == 0) {
			date = req->headers[i].value;
			ndate++;
		}
	if (ndate != 1)
		return AUTH_FAIL(err, ndate == 0 ? "the request has no "
		    "X-Amz-Date header" : "the request has more than one "
		    "X-Amz-Date header");
	return parse_amz_date(date, out, err);
}

/* One presigned query parameter, present exactly once. */
static bool
query_one(const struct query *q, const char *name, const char **value,
    struct api_error *err)
{
	size_t	n = query_find(q, name, value);

	if (n != 1)
		return AUTH_FAIL(err, "the presigned request %s the query "
		    "parameter %s", n == 0 ? "lacks" : "repeats", name);
	return true;
}

static bool
parse_presigned(const struct query *q, char *cred, size_t credsize,
    struct sigv4_auth *out, struct api_error *err)
{
	const char	*alg, *c, *date, *exp, *sh, *sig;
	size_t		 i;
	long		 e = 0;

	out->presigned = true;
	if (!query_one(q, "X-Amz-Algorithm", &alg, err) ||
	    !query_one(q, "X-Amz-Credential", &c, err) ||
	    !query_one(q, "X-Amz-Date", &date, err) ||
	    !query_one(q, "X-Amz-Expires", &exp, err) ||
	    !query_one(q, "X-Amz-SignedHeaders", &sh, err) ||
	    !query_one(q, "X-Amz-Signature", &sig, err))
		return false;
	if (strcmp(alg, SIGV4_ALGORITHM) != 0)
		return AUTH_FAIL(err, "the X-Amz-Algorithm '%.64s' is not "
		    SIGV4_ALGORITHM, alg);
	for (i = 0; exp[i] >= '0' && exp[i] <= '9' && i < 7; i++)
		e = e * 10 + (exp[i] - '0');
	if (i == 0 || exp[i] != '\0' || e < 1 || e > SIGV4_EXPIRES_MAX)
		return AUTH_FAIL(err, "the X-Amz-Expires '%.16s' is not "
		    "between 1 and %d seconds", exp, SIGV4_EXPIRES_MAX);
	out->expires = e;
	if (!copy_part(cred, credsize, c, strlen(c)))
		return AUTH_FAIL(err, "the X-Amz-Credential is too long");
	if (!copy_part(out->signed_headers, sizeof(out->signed_headers), sh,
	    strlen(sh)))
		return AUTH_FAIL(err, "the X-Amz-SignedHeaders is too long");
	if (!copy_part(out->signature, sizeof(out->signature), sig,
	    strlen(sig)))
		return AUTH_FAIL(err, "the X-Amz-Signature is not %d hex "
		    "digits", SIGV4_HEX_LEN);
	return parse_amz_date(date, out, err);
}

bool
sigv4_parse(const struct sigv4_request *req, const char *service,
    struct sigv4_auth *out, struct api_error *err)
{
	struct query	 q;
	const char	*authz = NULL, *v;
	char		 cred[SIGV4_AKID_MAX + SIGV4_REGION_MAX +
			    SIGV4_SERVICE_MAX + 32];
	size_t		 i, nauthz = 0, nalg, nsig;
	bool		 rc = false;

	memset(out, 0, sizeof(*out));
	if (!query_parse(req->query, &q))
		return api_error_internal(err);
	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, "authorization") == 0) {
			authz = req->headers[i].value;
			nauthz++;
		}
	nalg = query_find(&q, "X-Amz-Algorithm", &v);
	nsig = query_find(&q, "X-Amz-Signature", &v);
	if (nauthz > 1)
		AUTH_FAIL(err, "the request has more than one Authorization "
		    "header");
	else if (nauthz == 1 && (nalg > 0 || nsig > 0))
		AUTH_FAIL(err, "the request is signed both in a header and in "
		    "its query string");
	else if (nauthz == 1)
		rc = parse_header(authz, req, cred, sizeof(cred), out, err);
	else if (nalg > 0 || nsig > 0)
		rc = parse_presigned(&q, cred, sizeof(cred), out, err);
	else
		AUTH_FAIL(err, "the request is not signed with AWS Signature "
		    "Version 4");
	if (!rc)
		goto out;
	rc = false;
	if (!parse_credential(cred, out, err))
		goto out;
	if (strncmp(out->date, out->amz_date, 8) != 0) {
		AUTH_FAIL(err, "the credential date '%s' is not the date of "
		    "X-Amz-Date '%s'", out->date, out->amz_date);
		goto out;
	}
	if (strcmp(out->service, service) != 0) {
		AUTH_FAIL(err, "the credential names the service '%s', this "
		    "endpoint is '%s'", out->service, service);
		goto out;
	}
	if (!check_signed_headers(out, err))
		goto out;
	if (strlen(out->signature) != SIGV4_HEX_LEN ||
	    !is_lower_hex(out->signature, SIGV4_HEX_LEN)) {
		AUTH_FAIL(err, "the signature '%.70s' is not %d lower-case hex "
		    "digits", out->signature, SIGV4_HEX_LEN);
		goto out;
	}
	rc = true;
out:
	/* Frees the parsed query. */
	query_free(&q);
	return rc;
}

bool
sigv4_check_time(const struct sigv4_auth *auth, time_t now,
    struct api_error *err)
{
	long long	d = (long long)now - (long long)auth->time;

	if (!auth->presigned) {
		if (d > SIGV4_SKEW || d < -SIGV4_SKEW)
			return AUTH_FAIL(err, "the request time '%s' is more "
			    "than 15 minutes from the server time",
			    auth->amz_date);
		return true;
	}
	if (d < -SIGV4_SKEW)
		return AUTH_FAIL(err, "the presigned request is dated '%s', in "
		    "the future", auth->amz_date);
	if (d > auth->expires)
		return AUTH_FAIL(err, "the presigned request dated '%s' "
		    "expired after %ld seconds", auth->amz_date, auth->expires);
	return true;
}

bool
sigv4_verify_key(const struct sigv4_request *req,
    const struct sigv4_auth *auth, const unsigned char *key, time_t now,
    struct api_error *err)
{
	const char	*cand[2], *sent = NULL;
	char		 body[SIGV4_HEX_LEN + 1], sig[SIGV4_HEX_LEN + 1];
	char		*creq, *sts;
	size_t		 i, n = 0, nsent = 0;
	bool		 match = false;

	if (!sigv4_check_time(auth, now, err))
		return false;
	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name,
		    "x-amz-content-sha256") == 0) {
			sent = req->headers[i].value;
			nsent++;
		}
	sha256_hex(req->body, req->body_len, body);
	if (nsent > 1)
		return AUTH_FAIL(err, "the request has more than one "
		    "x-amz-content-sha256 header");
	if (sent != NULL) {
		if (strcmp(sent, SIGV4_UNSIGNED_PAYLOAD) == 0) {
			if (req->body_len > 0)
				return AUTH_FAIL(err, "an unsigned payload is "
				    "not accepted for a request with a body");
		} else if (strlen(sent) != SIGV4_HEX_LEN ||
		    !is_lower_hex(sent, SIGV4_HEX_LEN))
			return AUTH_FAIL(err, "the x-amz-content-sha256 "
			    "'%.70s' is not supported", sent);
		else if (strcmp(sent, body) != 0)
			return AUTH_FAIL(err, "the x-amz-content-sha256 does "
			    "not match the request body");
		cand[n++] = sent;
	} else {
		cand[n++] = body;
		if (auth->presigned && req->body_len == 0)
			cand[n++] = SIGV4_UNSIGNED_PAYLOAD;
	}
	for (i = 0; i < n; i++) {
		if ((creq = sigv4_canonical_request(req, auth, cand[i],
		    err)) == NULL)
			return false;
		sts = sigv4_string_to_sign(auth, creq);
		free(creq);
		if (sts == NULL)
			return api_error_internal(err);
		if (key != NULL && signature_with_key(key, sts, sig) &&
		    CRYPTO_memcmp(sig, auth->signature, SIGV4_HEX_LEN) == 0)
			match = true;
		free(sts);
	}
	if (!match)
		return AUTH_FAIL(err, "the request signature does not match "
		    "the one computed with the access key's secret; check "
		    "the secret and the signing method");
	return true;
}

bool
sigv4_verify(const struct sigv4_request *req, const struct sigv4_auth *auth,
    const char *secret, time_t now, struct api_error *err)
{
	unsigned char	key[SIGV4_KEY_LEN];
	bool		ok;

	if (secret == NULL)
		return sigv4_verify_key(req, auth, NULL, now, err);
	if (!sigv4_signing_key(secret, auth, key))
		return api_error_internal(err);
	ok = sigv4_verify_key(req, auth, key, now, err);
	OPENSSL_cleanse(key, sizeof(key));
	return ok;
}
