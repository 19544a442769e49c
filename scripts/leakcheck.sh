#!/usr/bin/env bash
# The memory proof: one executable serves 10,000 requests under valgrind
# (no leak, no invalid access), then 20,000 more without it while its
# RSS is sampled (no growth after warm-up).  Run by make check.
# usage: leakcheck.sh [SERVICE]   (auth by default: its routes are used)
# Expects the environment check.sh sets (CLOUDSIM_URL, DATA_DIRECTORY,
# CLOUDSIM_CONF, CLOUDSIM_CGI).
set -uo pipefail
. "$(dirname "$0")/common.sh"

svc=${1:-auth}
T=$DATA_DIRECTORY/leak
svc_dir "$T"
port=$(free_port)
fport=$(free_port)

# A lighttpd in front of one externally started FastCGI process.
cat >"$T/lighttpd.conf" <<CONF
server.modules = ( "mod_fastcgi" )
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T"
server.pid-file = "$T/lighttpd.pid"
server.errorlog = "$T/lighttpd-error.log"
fastcgi.server = ( "/" => (( "host" => "127.0.0.1", "port" => $fport, "check-local" => "disable" )) )
CONF

# A logged-in caller, made through the main server (same database and
# secrets), so the traffic below exercises JWT verification too.
email="leak.$$.$RANDOM@example.com"
curl -s -o /dev/null -XPOST "$CLOUDSIM_URL/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"leakcheck password\",\"name\":\"Leak\"}"
token=$(curl -s -XPOST "$CLOUDSIM_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"leakcheck password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
[ -n "$token" ] || die "leakcheck: could not log in"

# Traffic, n requests: authenticated reads (JWT + database), health
# (a database round trip), 401s, 404s and a malformed query.
traffic() {
	local q=$(($1 / 5))
	curl -s -H "Authorization: Bearer $token" \
	    "http://127.0.0.1:$port/api/v1/auth/me?[1-$q]" \
	    "http://127.0.0.1:$port/api/v1/auth/access-keys?[1-$q]" >/dev/null
	curl -s "http://127.0.0.1:$port/health/$svc?[1-$q]" \
	    "http://127.0.0.1:$port/api/v1/auth/me?[1-$q]" \
	    "http://127.0.0.1:$port/api/v1/none/[1-$q]" >/dev/null
}

# lighttpd answers (503) before the backend is up: wait for a real 200.
wait_ok() {
	for _ in $(seq 300); do
		curl -sf -o /dev/null --max-time 2 "$1" && return 0
		sleep 0.2
	done
	return 1
}

as_svc /usr/sbin/lighttpd -f "$T/lighttpd.conf" || die "leakcheck: lighttpd did not start"
fail=0

echo "== valgrind: $svc.fcgi serving 10,000 requests"
as_svc env LOG_LEVEL=error valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --log-file="$T/valgrind.log" "$CLOUDSIM_CGI/$svc.fcgi" -p "$fport" &
vpid=$!
wait_ok "http://127.0.0.1:$port/health/$svc" || echo "# $svc.fcgi under valgrind did not answer"
traffic 10000
# Signal the program itself, not runuser (which would report 143).
pkill -TERM -f "^[^ ]*valgrind[^ ]* .*$svc.fcgi -p $fport"
wait $vpid; rc=$?
if [ "$rc" != 0 ] || [ -s "$T/valgrind.log" ]; then
	echo "not ok - valgrind found problems (exit $rc):"; cat "$T/valgrind.log"; fail=1
else
	echo "ok - no leak and no memory error over 10,000 requests"
fi

echo "== RSS: $svc.fcgi over 80,000 requests"
as_svc env LOG_LEVEL=error "$CLOUDSIM_CGI/$svc.fcgi" -p "$fport" &
spid=$!
wait_ok "http://127.0.0.1:$port/health/$svc" || echo "# $svc.fcgi did not answer"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$(pgrep -f "^$CLOUDSIM_CGI/$svc.fcgi -p $fport")/status"; }
# Warm up, then sample after each further 10,000 requests: the last
# samples must not exceed the first one (allocator pools settle early).
traffic 10000
r1=$(rss)
samples=$r1
for _ in 1 2 3 4 5 6 7; do traffic 10000; samples="$samples $(rss)"; done
# Judge the second half: after 40,000 requests nothing may grow.
r1=$(echo $samples | awk '{print $4}')
r2=$(rss)
pkill -TERM -f "^$CLOUDSIM_CGI/$svc.fcgi -p $fport"; wait $spid 2>/dev/null
echo "# RSS (KiB) after 10,000 requests and each further 10,000: $samples"
if [ "$r2" -gt "$r1" ]; then
	echo "not ok - RSS grew by $((r2 - r1)) KiB between 40,000 and 80,000 requests"; fail=1
else
	echo "ok - RSS flat from 40,000 to 80,000 requests (${r1} -> ${r2} KiB)"
fi
kill "$(cat "$T/lighttpd.pid")" 2>/dev/null
exit $fail
