#!/usr/bin/env bash
# RS256 end to end: with jwt_rsa_private_key configured, auth.fcgi (run
# as plain CGI, as any web server may run it) signs RS256 tokens with a
# kid, publishes the public key at /.well-known/jwks.json, and accepts
# its own tokens; an HS256 token is still verified with the HS key.
# Needs CLOUDSIM_CGI, DATA_DIRECTORY (the test database's) and CLOUDSIM_URL.
set -u
n=0
ok() { n=$((n + 1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', want '$2'"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem" 2>/dev/null
chmod 644 "$tmp/key.pem"

# cgi METHOD URI [BODY]: run auth.fcgi as CGI; prints the body only.
cgi() {
	local body=${3:-}
	printf '%s' "$body" | env -i PATH="$PATH" DATA_DIRECTORY="$DATA_DIRECTORY" \
	    CLOUDSIM_CONF="$CLOUDSIM_CONF" LOG_LEVEL=error \
	    CLOUDSIM_JWT_RSA_PRIVATE_KEY="$tmp/key.pem" \
	    REQUEST_METHOD="$1" REQUEST_URI="$2" SCRIPT_NAME="$2" QUERY_STRING= \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} \
	    HTTP_AUTHORIZATION="${AUTHZ:-}" GATEWAY_INTERFACE=CGI/1.1 \
	    "$CLOUDSIM_CGI/auth.fcgi" | sed '1,/^\r\{0,1\}$/d'
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

jwks=$(cgi GET /.well-known/jwks.json)
ok "$(echo "$jwks" | json 'd["keys"][0]["kty"], d["keys"][0]["alg"], len(d["keys"][0]["n"]) > 300')" \
   "RSA RS256 True" "JWKS publishes the RSA public key"
email="rs256.$$.$RANDOM@example.com"
cgi POST /api/v1/auth/register "{\"email\":\"$email\",\"password\":\"rs256 test password\",\"name\":\"RS\"}" >/dev/null
login=$(cgi POST /api/v1/auth/login "{\"email\":\"$email\",\"password\":\"rs256 test password\"}")
token=$(echo "$login" | json 'd["access_token"]')
header=$(echo "$token" | cut -d. -f1 | tr '_-' '/+' | base64 -d 2>/dev/null)
kid=$(echo "$jwks" | json 'd["keys"][0]["kid"]')
ok "$(echo "$header" | json 'd["kid"]')" "$kid" "the token's kid names the published key"
ok "$(echo "$header" | json 'd["alg"]')" RS256 "tokens are RS256"
ok "$(AUTHZ="Bearer $token" cgi GET /api/v1/auth/me | json 'd["email"]')" "$email" "an RS256 token is accepted"
# The HS256 server (no RSA key) must refuse the RS256 token's signature…
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$CLOUDSIM_URL/api/v1/auth/me")
ok "$status" 401 "a server without the RSA key refuses it"
# …and the RS256 process must refuse HS256 tokens forged with its public key.
pub=$(openssl rsa -in "$tmp/key.pem" -pubout 2>/dev/null)
forged=$(python3 - "$token" "$pub" <<'PY'
import base64, hashlib, hmac, json, sys
tok, pub = sys.argv[1], sys.argv[2]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
h = json.loads(base64.urlsafe_b64decode(tok.split(".")[0] + "=="))
h["alg"] = "HS256"
head = b64(json.dumps(h).encode())
msg = (head + "." + tok.split(".")[1]).encode()
print(head + "." + tok.split(".")[1] + "." + b64(hmac.new(pub.encode() + b"\n", msg, hashlib.sha256).digest()))
PY
)
ok "$(AUTHZ="Bearer $forged" cgi GET /api/v1/auth/me | json 'd["error"]["code"]')" AuthenticationFailure \
   "an HS256 token keyed with the RSA public key is refused"
echo "1..$n"
