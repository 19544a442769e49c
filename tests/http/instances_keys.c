/*
 * Key pairs through the web server: creating RSA and ED25519 pairs
 * (the private key shown once, in the format EC2 hands out, and its
 * fingerprint checked against OpenSSL's and OpenSSH's own tools when
 * they are installed), importing OpenSSH public keys (fingerprints
 * checked against vectors computed with ssh-keygen and openssl), every
 * malformed key refused, names unique per account and region, lookups
 * by name and id, filters, tags, delete, tenancy across two accounts,
 * and the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "account.h"
#include "http.h"
#include "sql.h"
#include "tap.h"

static struct reply		 r;
static struct test_account	 a, b;
static char			 name[512];

/* Made with ssh-keygen -t rsa -b 2048; fingerprint as AWS's guide says:
 * ssh-keygen -e -m PKCS8 -f k.pub | openssl pkey -pubin -outform DER |
 * openssl md5 -c */
#define RSA_PUB \
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCQipTkYnlv2eEGVb26td92yhLmH37+" \
    "I4JrJUUxW4dcic9SFHTunXKwDRED5d6OAA04eBtv80+66yoPdUu/L/9g0/Je0CLy76uK" \
    "OAQfU8aKc2z6lUBR6qLNfWpXr93TBOnIkGK5adE4YWoQ8Jb2e+GvQrYSiD/P7waLTLQh" \
    "9ox4l/VF5Tgg3OoUGNjZxGCiNm1gcAFtYPNYLyMQUka+kr5c7SALiYbRWtO1Daq91CBa" \
    "lySrKcKdPJxZNuO2Hm1ZbuhMz0xWT7MBAtJhn/SxRVhztd/hMBTpPthqY7ioV6CiSMsz" \
    "vU/OFI2SCqmmak/eeLEbvH8KC9cruUJvGe7lYAXF alice@example"
#define RSA_FP	"df:82:dd:1f:0f:ee:c2:7e:a8:1e:37:8e:fd:8a:00:04"
/* ssh-keygen -t ed25519; ssh-keygen -l prints SHA256:<this, unpadded>. */
#define ED_BLOB	"AAAAC3NzaC1lZDI1NTE5AAAAIIeU6wI6IRV0+w6OZsi/XobHFKFAAFremqLk0h3b+grV"
#define ED_PUB	"ssh-ed25519 " ED_BLOB " bob@example"
#define ED_FP	"0dkCLJsqdqf3LyZeilm59QuuCPgNQgFFM7CTfmDT+90="
/* A 512-bit RSA key: too short for EC2. */
#define RSA_512 \
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAQQDpn/VgxRvnUvTl7UVIRw+odBLTKsJP" \
    "JcytATrnlP+S88euai+6SetIxTADkCehSkgnFRR/tYDpdcEspMdXkBYV small"

static const char *const *
as(const struct test_account *t, const char *region)
{
	static char		 xr[128];
	static const char	*list[3];

	list[0] = t->bearer;
	list[1] = NULL;
	if (region != NULL) {
		snprintf(xr, sizeof(xr), "X-Region: %s", region);
		list[1] = xr;
	}
	list[2] = NULL;
	return list;
}

static long
call(const struct test_account *t, const char *method, const char *path,
    const char *body)
{
	return http(&r, method, path, body, as(t, NULL));
}

static void
expect(long status, const char *code, const char *what)
{
	snprintf(name, sizeof(name), "%s: %ld", what, status);
	if (!ok(r.status == status, name))
		printf("#   got %ld: %s\n", r.status, r.body);
	if (code != NULL) {
		snprintf(name, sizeof(name), "%s: %s", what, code);
		is_str(http_json_str(&r, "error.code"), code, name);
	}
}

static const char *
str(const char *key)
{
	const char	*v = http_json_str(&r, key);

	return v != NULL ? v : "";
}

/* Import {name, public_key} as t and expect status / code. */
static void
import(const struct test_account *t, const char *key_name, const char *key,
    long status, const char *code, const char *what)
{
	json_t	*body = json_pack("{s:s, s:s}", "name", key_name,
		    "public_key", key);
	char	*text = json_dumps(body, JSON_COMPACT);

	call(t, "POST", "/api/v1/key-pairs/import", text);
	expect(status, code, what);
	free(text);
	json_decref(body);
}

/* Write text to a private temporary file; its path, or NULL. */
static const char *
temp_file(const char *text)
{
	static char	 path[64];
	FILE		*f;
	int		 fd;

	snprintf(path, sizeof(path), "/tmp/cloudsim-key.XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

/* The first line a shell command prints (static storage), or "". */
static const char *
run(const char *cmd)
{
	static char	 line[1024];
	FILE		*p;

	line[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		return line;
	if (fgets(line, sizeof(line), p) == NULL)
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static bool
have(const char *tool)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static void
test_create(void)
{
	char		 cmd[512], fp[128], pub[1024];
	const char	*path, *out;

	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"deploy\"}");
	expect(201, NULL, "create an RSA pair (the default type)");
	is_str(str("name"), "deploy", "the pair has its name");
	is_str(str("key_type"), "rsa", "the pair is rsa");
	ok(strncmp(str("id"), "key-", 4) == 0 && strlen(str("id")) == 21,
	    "the id is key- and 17 hex digits");
	ok(strstr(str("arn"), ":key-pair/key-") != NULL, "the arn names it");
	ok(strncmp(str("private_key"), "-----BEGIN RSA PRIVATE KEY-----\n",
	    32) == 0, "the private key is PKCS#1 PEM, as EC2 hands it out");
	ok(strlen(str("fingerprint")) == 59 && str("fingerprint")[2] == ':',
	    "an RSA fingerprint is 20 colon-separated hex pairs");
	ok(strncmp(str("public_key"), "ssh-rsa AAAAB3NzaC1yc2E", 23) == 0,
	    "the public key is an OpenSSH ssh-rsa line");
	snprintf(fp, sizeof(fp), "%s", str("fingerprint"));
	snprintf(pub, sizeof(pub), "%s", str("public_key"));
	if (have("openssl") && (path = temp_file(str("private_key"))) != NULL) {
		snprintf(cmd, sizeof(cmd), "openssl pkcs8 -in %s -inform PEM "
		    "-outform DER -topk8 -nocrypt | openssl sha1 -c", path);
		out = run(cmd);
		ok(strstr(out, fp) != NULL, "the fingerprint is the SHA-1 of "
		    "the PKCS#8 private key (openssl agrees)");
		snprintf(cmd, sizeof(cmd), "ssh-keygen -y -f %s 2>/dev/null",
		    path);
		if (have("ssh-keygen"))
			ok(strncmp(run(cmd), pub, strlen(run(cmd))) == 0 &&
			    run(cmd)[0] != '\0', "ssh-keygen derives the same "
			    "public key from the private one");
		unlink(path);
	}

	call(&a, "GET", "/api/v1/key-pairs/deploy", NULL);
	expect(200, NULL, "read the pair by name");
	ok(http_json_str(&r, "private_key") == NULL,
	    "the private key is never shown again");
	is_str(str("fingerprint"), fp, "the stored fingerprint is the same");

	call(&a, "POST", "/api/v1/key-pairs",
	    "{\"name\":\"edge\",\"key_type\":\"ed25519\",\"tags\":{\"team\":\"ops\"}}");
	expect(201, NULL, "create an ED25519 pair");
	is_str(str("key_type"), "ed25519", "the pair is ed25519");
	is_str(str("tags.team"), "ops", "the pair carries its tags");
	ok(strncmp(str("private_key"), "-----BEGIN OPENSSH PRIVATE KEY-----\n",
	    36) == 0, "the private key is in OpenSSH's format");
	ok(strlen(str("fingerprint")) == 44 &&
	    str("fingerprint")[43] == '=', "an ED25519 fingerprint is padded "
	    "base64 of a SHA-256");
	snprintf(fp, sizeof(fp), "%s", str("fingerprint"));
	snprintf(pub, sizeof(pub), "%s", str("public_key"));
	if (have("ssh-keygen") &&
	    (path = temp_file(str("private_key"))) != NULL) {
		snprintf(cmd, sizeof(cmd), "ssh-keygen -y -f %s", path);
		out = run(cmd);
		ok(out[0] != '\0' && strncmp(pub, out, strlen(out)) == 0,
		    "ssh-keygen reads the private key and derives the same "
		    "public key");
		snprintf(cmd, sizeof(cmd), "ssh-keygen -l -f %s", path);
		out = run(cmd);
		fp[43] = '\0';
		ok(strstr(out, "SHA256:") && strstr(out, fp), "ssh-keygen "
		    "prints the same fingerprint (without the padding)");
		unlink(path);
	}
}

static void
test_create_errors(void)
{
	char	body[600];

	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"deploy\"}");
	expect(409, "InvalidKeyPair.Duplicate", "a taken name");
	ok(strstr(str("error.message"), "'deploy'") != NULL,
	    "the message quotes the name");
	call(&a, "POST", "/api/v1/key-pairs", "{}");
	expect(400, "MissingParameter", "no name");
	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"\"}");
	expect(400, "InvalidParameterValue", "an empty name");
	memset(body, 0, sizeof(body));
	snprintf(body, sizeof(body), "{\"name\":\"%0256d\"}", 0);
	call(&a, "POST", "/api/v1/key-pairs", body);
	expect(400, "InvalidParameterValue", "a name of 256 characters");
	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"caf\\u00e9\"}");
	expect(400, "InvalidParameterValue", "a name that is not ASCII");
	call(&a, "POST", "/api/v1/key-pairs",
	    "{\"name\":\"x\",\"key_type\":\"dsa\"}");
	expect(400, "InvalidParameterValue", "an unknown key type");
	call(&a, "POST", "/api/v1/key-pairs",
	    "{\"name\":\"x\",\"key_format\":\"ppk\"}");
	expect(400, "UnknownParameter", "an unknown member");
	call(&a, "POST", "/api/v1/key-pairs", "{\"name\":\"x\",\"tags\":"
	    "{\"aws:x\":\"y\"}}");
	expect(400, "InvalidParameterValue", "a reserved tag key");
	call(&a, "POST", "/api/v1/key-pairs", "[1]");
	expect(400, "MalformedJSON", "a body that is not an object");
}

static void
test_import(void)
{
	import(&a, "laptop", RSA_PUB, 201, NULL, "import an RSA public key");
	is_str(str("fingerprint"), RSA_FP, "the fingerprint is the MD5 of the "
	    "DER public key, as EC2 shows for imported keys");
	is_str(str("key_type"), "rsa", "the imported key is rsa");
	is_str(str("public_key"), RSA_PUB, "the public key is kept");
	ok(json_is_true(json_object_get(r.json, "imported")),
	    "the pair is marked imported");

	import(&a, "phone", "  " ED_PUB "  \n", 201, NULL,
	    "import an ED25519 public key (surrounding space is trimmed)");
	is_str(str("fingerprint"), ED_FP, "the fingerprint is base64 SHA-256, "
	    "ssh-keygen's with EC2's padding");
	is_str(str("public_key"), ED_PUB, "the line is kept without the space");
	is_str(str("key_type"), "ed25519", "the imported key is ed25519");

	import(&a, "laptop", ED_PUB, 409, "InvalidKeyPair.Duplicate",
	    "import under a taken name");
	import(&a, "bad1", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", 400,
	    "InvalidKey.Format", "a DSA key");
	import(&a, "bad2", "ssh-ed25519 not*base64", 400, "InvalidKey.Format",
	    "key data that is not base64");
	import(&a, "bad3", "ssh-rsa " ED_BLOB, 400, "InvalidKey.Format",
	    "an ed25519 blob labelled ssh-rsa");
	import(&a, "bad4", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIeU6wI6IRV0+"
	    "w6OZsi/XobHFKFAAFremqLk0h3b+go=", 400, "InvalidKey.Format",
	    "a truncated ed25519 key");
	import(&a, "bad5", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIeU6wI6IRV0+"
	    "w6OZsi/XobHFKFAAFremqLk0h3b+grVAA==", 400, "InvalidKey.Format",
	    "bytes after the key");
	import(&a, "bad6", RSA_512, 400, "InvalidKey.Format",
	    "a 512-bit RSA key");
	ok(strstr(str("error.message"), "512-bit") != NULL,
	    "the message gives the key's size");
	import(&a, "bad7", "", 400, "InvalidKey.Format", "an empty key");
	import(&a, "bad8", ED_PUB "\n" ED_PUB, 400, "InvalidKey.Format",
	    "two lines");
	import(&a, "bad9", "-----BEGIN PUBLIC KEY-----", 400,
	    "InvalidKey.Format", "a PEM public key");
	call(&a, "POST", "/api/v1/key-pairs/import", "{\"name\":\"x\"}");
	expect(400, "MissingParameter", "no public key");
	is_str(sql_value("SELECT count(*) FROM cloudsim.key_pairs"
	    " WHERE name LIKE 'bad%' OR name = 'x'", 0, NULL), "0",
	    "no refused key was stored");
}

static void
test_read_delete(void)
{
	char	path[256], id[64];

	call(&a, "GET", "/api/v1/key-pairs", NULL);
	expect(200, NULL, "list the pairs");
	is_int(json_integer_value(json_object_get(r.json, "total")), 4,
	    "four pairs: deploy, edge, laptop, phone");
	call(&a, "GET", "/api/v1/key-pairs?key_type=ed25519", NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 2,
	    "filter by type");
	call(&a, "GET", "/api/v1/key-pairs?key_name=laptop&key_name=phone",
	    NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 2,
	    "filter by names (OR-ed)");
	call(&a, "GET", "/api/v1/key-pairs?fingerprint=" RSA_FP, NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 1,
	    "filter by fingerprint");
	call(&a, "GET", "/api/v1/key-pairs?tag:team=ops", NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 1,
	    "filter by tag");
	call(&a, "GET", "/api/v1/key-pairs?page_size=3&page=2", NULL);
	ok(json_array_size(json_object_get(r.json, "items")) == 1 &&
	    json_integer_value(json_object_get(r.json, "total_pages")) == 2,
	    "the second page of three holds the fourth pair");
	call(&a, "GET", "/api/v1/key-pairs?colour=red", NULL);
	expect(400, "InvalidParameterValue", "an unknown filter");

	call(&a, "GET", "/api/v1/key-pairs/laptop", NULL);
	snprintf(id, sizeof(id), "%s", str("id"));
	snprintf(path, sizeof(path), "/api/v1/key-pairs/%s", id);
	call(&a, "GET", path, NULL);
	expect(200, NULL, "read a pair by id");
	is_str(str("name"), "laptop", "the id finds the same pair");
	call(&a, "GET", "/api/v1/key-pairs?key_pair_id=nope", NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 0,
	    "filter by an unknown id");

	call(&a, "PUT", "/api/v1/key-pairs/laptop/tags",
	    "{\"tags\":{\"owner\":\"alice\"}}");
	expect(200, NULL, "tag a pair by name");
	is_str(str("tags.owner"), "alice", "the tag is set");
	call(&a, "DELETE", "/api/v1/key-pairs/laptop/tags?key=owner", NULL);
	expect(200, NULL, "untag a pair");
	ok(json_object_size(json_object_get(r.json, "tags")) == 0,
	    "the tag is gone");
	call(&a, "PUT", "/api/v1/key-pairs/nope/tags",
	    "{\"tags\":{\"a\":\"b\"}}");
	expect(404, "InvalidKeyPair.NotFound", "tag an unknown pair");

	call(&a, "DELETE", path, NULL);
	expect(200, NULL, "delete a pair by id");
	ok(json_is_true(json_object_get(r.json, "return")), "answers true");
	call(&a, "GET", "/api/v1/key-pairs/laptop", NULL);
	expect(404, "InvalidKeyPair.NotFound", "the deleted pair is gone");
	call(&a, "DELETE", "/api/v1/key-pairs/laptop", NULL);
	expect(404, "InvalidKeyPair.NotFound", "delete it again");
	call(&a, "DELETE", "/api/v1/key-pairs/phone", NULL);
	expect(200, NULL, "delete a pair by name");
	import(&a, "laptop", RSA_PUB, 201, NULL,
	    "a deleted pair's name can be used again");
}

static void
test_tenancy(void)
{
	call(&b, "GET", "/api/v1/key-pairs/deploy", NULL);
	expect(404, "InvalidKeyPair.NotFound", "B cannot read A's pair");
	call(&b, "GET", "/api/v1/key-pairs", NULL);
	is_int(json_integer_value(json_object_get(r.json, "total")), 0,
	    "B lists none of A's pairs");
	call(&b, "DELETE", "/api/v1/key-pairs/deploy", NULL);
	expect(404, "InvalidKeyPair.NotFound", "B cannot delete A's pair");
	call(&b, "POST", "/api/v1/key-pairs", "{\"name\":\"deploy\"}");
	expect(201, NULL, "B may use a name A uses");
	http(&r, "POST", "/api/v1/key-pairs", "{\"name\":\"deploy\"}",
	    as(&a, "eu-west-1"));
	expect(201, NULL, "A may use the name again in another region");
	http(&r, "GET", "/api/v1/key-pairs", NULL, as(&a, "eu-west-1"));
	is_int(json_integer_value(json_object_get(r.json, "total")), 1,
	    "pairs are regional");
	http(&r, "GET", "/api/v1/key-pairs", NULL, as(&a, "xx-nowhere-1"));
	expect(400, "InvalidParameterValue", "an unknown region");
	http(&r, "GET", "/api/v1/key-pairs", NULL, NULL);
	expect(401, "AuthenticationFailure", "no credentials");
}

static void
test_audit(void)
{
	const char	*p[1] = { a.account_id };

	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE account_id = $1 AND action = 'CreateKeyPair'"
	    " AND status = 201", 1, p), "3",
	    "each creation is audited under CreateKeyPair");
	ok(atoi(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE account_id = $1 AND action = 'ImportKeyPair'"
	    " AND error_code = 'InvalidKey.Format'", 1, p)) >= 9,
	    "refused imports are audited with their code");
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE account_id = $1 AND action = 'DeleteKeyPair'"
	    " AND status = 200", 1, p), "2", "deletions are audited");
	is_str(sql_value("SELECT count(*) FROM cloudsim.audit_log"
	    " WHERE account_id = $1 AND user_agent LIKE '%PRIVATE KEY%'",
	    1, p), "0", "no private key reaches the audit trail");
}

int
main(void)
{
	if (!account_new(&a) || !account_new(&b)) {
		printf("Bail out! cannot register test accounts\n");
		return 1;
	}
	test_create();
	test_create_errors();
	test_import();
	test_read_delete();
	test_tenancy();
	test_audit();
	http_free(&r);
	return tap_done();
}
