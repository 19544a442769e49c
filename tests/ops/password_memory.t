#!/usr/bin/env bash
# A password hash does not stay in the process: argon2id takes 19 MiB
# for each registration or login, and glibc's dynamic mmap threshold
# once kept that block in the heap (auth.fcgi at ~29 MB of RSS after its
# first login).  server.c pins the threshold; after logins on every
# auth.fcgi process, each is back under 16 MB.
# Run by make check (needs CLOUDSIM_URL, CLOUDSIM_CGI).
set -u
. "$(dirname "$0")/lib/rss.sh"
n=0
ok() { n=$((n + 1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', want '$2'"; fi; }

email="memory.$$.$(date +%s)@example.com"
body="{\"email\":\"$email\",\"password\":\"memory password 1234\",\"name\":\"Memory\"}"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "$body" "$CLOUDSIM_URL/api/v1/auth/register")
ok "$code" 201 "a user registers"
pids=$(pgrep -f "$CLOUDSIM_CGI/auth.fcgi" | tr '\n' ' ')
procs=$(echo $pids | wc -w)
logins() {
	codes=
	for _ in $(seq $((procs * 3))); do
		codes="$codes $(curl -s -o /dev/null -w '%{http_code}' \
		    -H 'Content-Type: application/json' -d "$body" \
		    "$CLOUDSIM_URL/api/v1/auth/login")"
	done
	echo $codes | tr ' ' '\n' | sort -u | tr '\n' ' '
}
ok "$(logins)" "200 " "every login answers 200"
rss_over 16384 auth.fcgi $pids
if [ "${CLOUDSIM_SANITIZED:-0}" = 1 ]; then
	logins >/dev/null
	rss_grown auth.fcgi $pids
	ok "$rss_big" "" "under the sanitizer, the largest auth.fcgi process does not grow over a second round of logins"
else
	ok "$rss_big" "" "every auth.fcgi process gave the hash's memory back (RSS under 16 MB)"
fi
echo "1..$n"
