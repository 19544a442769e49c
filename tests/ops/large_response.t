#!/usr/bin/env bash
# A huge answer does not stay in the process: after unpaged v1 lists of
# 30,000 blockchains (about 15 MB each), every blockchains.fcgi process
# is back under 30 MB of RSS, within moments of its answer (before the
# fix: 335 MB after 100,000).
# Run by make check (needs CLOUDSIM_URL, CLOUDSIM_PGHOST, CLOUDSIM_CGI).
set -u
. "$(dirname "$0")/../../scripts/common.sh"
. "$(dirname "$0")/lib/rss.sh"
n=0
ok() { n=$((n + 1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; echo "#   got '$1', want '$2'"; fi; }
psql_run() { psql_owner "$CLOUDSIM_PGHOST" cloudsim -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

psql_run -c "INSERT INTO cloudsim.blockchains (id, user_uuid, name, first_name,
    last_name, existing_licenses, controller_name, controller_role, difficulty,
    dloid_params, genesis_hash)
  SELECT gen_random_uuid(), NULL, 'large response ' || i, 'Large', 'Response',
    0, 'lresponse' || i || '-001', 'manager', 1, '0000100000LNY2000025000NP',
    '0' || substr(md5(i::text) || md5('g' || i::text), 1, 63)
  FROM generate_series(1, 30000) AS i" >/dev/null
ok "$?" 0 "30,000 blockchains seeded"
pids=$(pgrep -f "$CLOUDSIM_CGI/blockchains.fcgi" | tr '\n' ' ')
procs=$(echo $pids | wc -w)
lists() {
	for _ in $(seq $((procs * 2))); do
		size=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$CLOUDSIM_URL/api/blockchains")
	done
}
lists
ok "$(echo "$size" | awk '{print $1, ($2 > 10000000)}')" "200 1" \
    "the unpaged list answers 200 with over 10 MB"
if [ "${CLOUDSIM_SANITIZED:-0}" = 1 ]; then
	rss_over 30720 blockchains.fcgi $pids
	lists
	rss_grown blockchains.fcgi $pids
	ok "$rss_big" "" "under the sanitizer, the largest blockchains.fcgi process does not grow over a second round of lists"
else
	rss_settle 30720 $pids
	rss_over 30720 blockchains.fcgi $pids
	ok "$rss_big" "" "every blockchains.fcgi process gave the memory back (RSS under 30 MB)"
fi
psql_run -c "DELETE FROM cloudsim.blockchains WHERE name LIKE 'large response %'" >/dev/null
ok "$?" 0 "the seeded blockchains are removed"
echo "1..$n"
