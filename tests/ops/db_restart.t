#!/usr/bin/env bash
# The database goes away and comes back: requests get 503
# ServiceUnavailable meanwhile, the processes keep running, and they
# serve again once PostgreSQL is back — without a restart of their own.
# Run by make check (needs CLOUDSIM_URL, CLOUDSIM_PGDATA, CLOUDSIM_PGHOST).
set -u
. "$(dirname "$0")/../../scripts/common.sh"
n=0
ok() { n=$((n + 1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', want '$2'"; fi; }
status() { curl -s -o /tmp/cloudsim-dbr.$$ -w '%{http_code}' "$CLOUDSIM_URL$1" "${@:2}"; }
code() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("error",{}).get("code") or d.get("status"))' /tmp/cloudsim-dbr.$$ 2>/dev/null; }

ok "$(status /health/vpcs)" 200 "healthy before"
# Two volumes to delete once the database is back: a delete sends its
# lock, audit row, statement and COMMIT in one pipeline, which must not
# be replayed after a break, so its process must find its connection
# gone before sending, not after (src/core/db.c, conn_alive).
vols=$(python3 - "$CLOUDSIM_URL" <<'P'
import json, os, sys, urllib.request
url = sys.argv[1]
def call(method, path, body, token=None):
    req = urllib.request.Request(url + path, method=method,
        data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)
email = "dbrestart.%d@example.com" % os.getpid()
call("POST", "/api/v1/auth/register", {"email": email, "password": "db restart password", "name": "dbr"})
tok = call("POST", "/api/v1/auth/login", {"email": email, "password": "db restart password"})["access_token"]
ids = [call("POST", "/api/v1/volumes", {"availability_zone": "us-east-1a", "size": 1}, tok)["id"] for _ in range(2)]
print(tok, *ids)
P
)
read -r tok vol1 vol2 <<< "$vols"
pids_before=$(pgrep -f "$CLOUDSIM_CGI/" | sort | tr '\n' ' ')
pg_stop "$CLOUDSIM_PGDATA"
ok "$(status /health/vpcs)" 503 "health is 503 while the database is down"
ok "$(code)" unhealthy "and says the database is unhealthy"
ok "$(status /api/v1/auth/me -H 'Authorization: Bearer x.y.z')" 401 "a bad token is still refused without the database"
body=$(curl -s -XPOST "$CLOUDSIM_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"a@b.co","password":"some password here"}' -o /tmp/cloudsim-dbr.$$ -w '%{http_code}')
ok "$body" 503 "login is 503 ServiceUnavailable while the database is down"
ok "$(code)" ServiceUnavailable "with code ServiceUnavailable"
pg_start "$CLOUDSIM_PGDATA" "$CLOUDSIM_PGHOST"
ok "$(status /health/vpcs)" 200 "the first request after the restart succeeds"
ok "$(status /health/auth)" 200 "and every executable recovers"
ok "$(status /health/blockchains)" 200 "blockchains too"
ok "$(status /api/v1/volumes/$vol1 -XDELETE -H "Authorization: Bearer $tok")" 200 \
    "a delete (COMMIT in its first pipeline) succeeds as its process's first statement after the restart"
ok "$(status /api/v1/volumes/$vol2 -XDELETE -H "Authorization: Bearer $tok")" 200 "and another"
ok "$(status /api/v1/volumes/$vol1 -H "Authorization: Bearer $tok")" 404 "the first is gone"
pids_after=$(pgrep -f "$CLOUDSIM_CGI/" | sort | tr '\n' ' ')
ok "$pids_after" "$pids_before" "the same processes served throughout (none restarted)"
rm -f /tmp/cloudsim-dbr.$$
echo "1..$n"
