/*
 * libraries.c — the memory floor of the bench: a program linked with the
 * libraries ec2.fcgi links (libpq, libcrypto, libxml2, jansson, libuuid,
 * libfcgi), which starts OpenSSL as src/core/server.c does and then
 * calls each library once, the way a request does: a connection and
 * SELECT 1, SHA-256, HMAC-SHA-256, AES-256-GCM, random bytes, an XML
 * document written with xmlTextWriter, a JSON text parsed and dumped, a
 * UUID.  It then prints its own VmRSS and private memory (KiB, one line
 * of JSON) and exits.
 *
 * What it prints is the least RSS a process using these libraries this
 * way can have on this machine: the pages of the libraries it maps and
 * touches (libxml2 brings ICU and libstdc++, libpq Kerberos, LDAP and
 * GnuTLS, OpenSSL builds its algorithm tables on the first fetch), with
 * almost nothing of its own.  Worker RSS is reported against it.
 *
 * Usage: libraries CONNINFO.  Built by bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <libxml/xmlwriter.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <uuid/uuid.h>

/* VmRSS from /proc/self/status, private from smaps_rollup (KiB). */
static long
status_kib(const char *path, const char *const *keys)
{
	char	 line[256];
	long	 sum = 0, v;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		for (const char *const *k = keys; *k != NULL; k++)
			if (strncmp(line, *k, strlen(*k)) == 0 &&
			    sscanf(line + strlen(*k), "%ld", &v) == 1)
				sum += v;
	fclose(f);
	return sum;
}

static int
use_crypto(void)
{
	static const unsigned char	 key[32], iv[12];
	unsigned char			 out[64];
	unsigned int			 n;
	size_t				 m;
	int				 k;
	EVP_MD				*md;
	EVP_MAC				*hmac;
	EVP_MAC_CTX			*mac;
	EVP_CIPHER			*gcm;
	EVP_CIPHER_CTX			*c;
	OSSL_PARAM			 p[2];
	int				 ok;

	md = EVP_MD_fetch(NULL, "SHA256", NULL);
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	mac = hmac != NULL ? EVP_MAC_CTX_new(hmac) : NULL;
	c = EVP_CIPHER_CTX_new();
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_end();
	ok = md != NULL && mac != NULL && gcm != NULL && c != NULL &&
	    EVP_Digest("x", 1, out, &n, md, NULL) == 1 &&
	    EVP_MAC_CTX_set_params(mac, p) == 1 &&
	    EVP_MAC_init(mac, key, sizeof(key), NULL) == 1 &&
	    EVP_MAC_update(mac, (const unsigned char *)"x", 1) == 1 &&
	    EVP_MAC_final(mac, out, &m, sizeof(out)) == 1 &&
	    EVP_EncryptInit_ex(c, gcm, NULL, key, iv) == 1 &&
	    EVP_EncryptUpdate(c, out, &k, (const unsigned char *)"x", 1) == 1 &&
	    EVP_EncryptFinal_ex(c, out + k, &k) == 1 &&
	    RAND_bytes(out, 16) == 1;
	EVP_CIPHER_CTX_free(c);
	EVP_MAC_CTX_free(mac);
	EVP_MAC_free(hmac);
	EVP_CIPHER_free(gcm);
	EVP_MD_free(md);
	return ok;
}

static int
use_xml(void)
{
	xmlBufferPtr		 b = xmlBufferCreate();
	xmlTextWriterPtr	 w = b != NULL ? xmlNewTextWriterMemory(b, 0) : NULL;
	int			 ok;

	ok = w != NULL &&
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "DescribeRegionsResponse") >= 0 &&
	    xmlTextWriterWriteElement(w, BAD_CAST "requestId",
	        BAD_CAST "\xc3\xa9t\xc3\xa9") >= 0 &&
	    xmlTextWriterEndDocument(w) >= 0;
	xmlFreeTextWriter(w);
	xmlBufferFree(b);
	return ok;
}

static int
use_json(void)
{
	json_t	*j = json_loads("{\"a\": [1, 2.5, \"x\", null]}", 0, NULL);
	char	*s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	int	 ok = s != NULL;

	free(s);
	json_decref(j);
	return ok;
}

int
main(int argc, char **argv)
{
	static const char *const	 rss[] = { "VmRSS:", NULL };
	static const char *const	 priv[] = { "Private_Clean:",
					    "Private_Dirty:", NULL };
	PGconn				*db;
	PGresult			*r;
	uuid_t				 u;
	char				 us[37];
	int				 ok;

	if (argc != 2) {
		fputs("usage: libraries CONNINFO\n", stderr);
		return 2;
	}
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
	    NULL);
	if (FCGX_Init() != 0)
		return 1;
	db = PQconnectdb(argv[1]);
	r = PQexec(db, "SELECT 1");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	ok = ok && use_crypto() && use_xml() && use_json();
	uuid_generate_random(u);
	uuid_unparse_lower(u, us);
	if (!ok) {
		fprintf(stderr, "libraries: a call failed: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		return 1;
	}
	printf("{\"rss_kib\": %ld, \"private_kib\": %ld}\n",
	    status_kib("/proc/self/status", rss),
	    status_kib("/proc/self/smaps_rollup", priv));
	PQfinish(db);
	return 0;
}
