#!/usr/bin/env bash
# make bench: cloudsim, moto_server and the machine's floors side by side
# on loopback, every load bounded in time, one table printed and written
# to bench/results/<date>.md.  This script owns the processes (a
# throwaway cluster, cloudsim's lighttpd, a floors-only lighttpd,
# moto_server) and their cleanup; bench/bench.py owns the measurements.
# BENCH_QUICK=1: ~1 s per point, results in bench/results/<date>-quick.md.
# BENCH_ONLY=4g,4h,cost: only those scenarios/parts (bench.py reads it).
# See bench/README.md.
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"
cd "$ROOT"
check_reachable

T=$ROOT/var/bench.$$
PORT=$(free_port)
FPORT=$(free_port)
MPORT=$(free_port)
PGBENCH_SCALE=5			# pgbench_accounts: 500,000 rows, fits in shared_buffers
moto_pid=
driver_pid=

PY=$(python3 -c 'import sys; print(sys.executable)')
"$PY" -c 'import boto3, botocore, moto.server' 2>/dev/null ||
	die "make bench needs boto3 and moto in $PY (pip install 'moto[server]' boto3)"
command -v wrk >/dev/null || die "make bench needs wrk (apt-get install wrk)"

# Stops what this script started, by PID or pid file, and removes $T.
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$driver_pid" ]; then
		kill "$driver_pid" 2>/dev/null || true
		wait "$driver_pid" 2>/dev/null || true
	fi
	if [ -n "$moto_pid" ]; then
		kill "$moto_pid" 2>/dev/null || true
		wait "$moto_pid" 2>/dev/null || true
	fi
	lighttpd_stop "$T/floor"
	lighttpd_stop "$T/run"
	pg_stop "$T/pg"
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $T"
	else
		rm -rf "$T"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# cloudsim's environment: the bench's own data directory and cluster,
# and quotas raised through the configuration (CLOUDSIM_<KEY> overrides
# etc/cloudsim.conf), so that seeding and create/delete loops never hit
# a limit.  A longer token lifetime keeps one login valid for the run.
export DATA_DIRECTORY=$T CLOUDSIM_CONF=$ROOT/etc/cloudsim.conf CLOUDSIM_DB=
export CLOUDSIM_CGI=$ROOT/cgi-bin LOG_LEVEL=${LOG_LEVEL:-info}
export CLOUDSIM_QUOTA_INSTANCES_PER_REGION=200000
export CLOUDSIM_QUOTA_VPCS_PER_REGION=100000
export CLOUDSIM_QUOTA_SUBNETS_PER_VPC=10000
export CLOUDSIM_QUOTA_VOLUMES_PER_REGION=200000
export CLOUDSIM_QUOTA_VOLUME_GIB_PER_TYPE=100000000
export CLOUDSIM_ACCESS_TOKEN_TTL=3600

echo "== bench: setting up in $T"
svc_dir "$T" "$T/run" "$T/floor" "$T/floor/htdocs" "$T/floor/htdocs/static" \
    "$T/floor/answers"
secrets_init "$T"
pg_init "$T/pg"
pg_start "$T/pg" "$T/run"
db_create "$T/run" cloudsim
"$ROOT/bin/cloudsim-migrate" -d sql -c "host=$T/run port=5432 dbname=cloudsim user=$SVC_USER" >/dev/null ||
	die "migrations failed"
db_create "$T/run" bench_pgbench
as_svc "$PGBIN/pgbench" -i -q -s $PGBENCH_SCALE -h "$T/run" -p 5432 -U "$SVC_USER" \
    bench_pgbench >"$T/pgbench-init.log" 2>&1 ||
	{ cat "$T/pgbench-init.log" >&2; die "pgbench -i failed"; }

# The floors' FastCGI programs, built here so that they always match the
# installed libfcgi, libpq and jansson.
# They end each request as cloudsim does (src/core/fcgi_finish.h).
cc -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Isrc/core \
    -o "$T/floor/trivial" bench/floor/trivial.c -lfcgi
cc -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Isrc/core \
    $(pkg-config --cflags libpq jansson) -o "$T/floor/pk_select" \
    bench/floor/pk_select.c $(pkg-config --libs libpq jansson) -lfcgi
cc -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Isrc/core \
    $(pkg-config --cflags libpq) -o "$T/floor/replay" \
    bench/floor/replay.c $(pkg-config --libs libpq) -lfcgi
# The memory floor: ec2.fcgi's libraries, each called once (not a server).
cc -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
    $(pkg-config --cflags libpq jansson libxml-2.0 libcrypto uuid) \
    -o "$T/floor/libraries" bench/floor/libraries.c \
    $(pkg-config --libs libpq jansson libxml-2.0 libcrypto uuid) -lfcgi

lighttpd_start "$T/run" "$PORT"
"$PY" -m moto.server -H 127.0.0.1 -p "$MPORT" >"$T/moto.log" 2>&1 &
moto_pid=$!
wait_http "http://127.0.0.1:$MPORT/" || die "moto_server is not answering on $MPORT"

export BENCH_DIR=$T BENCH_URL=http://127.0.0.1:$PORT BENCH_FLOOR_URL=http://127.0.0.1:$FPORT
export BENCH_MOTO_URL=http://127.0.0.1:$MPORT BENCH_MOTO_PID=$moto_pid
export BENCH_PGHOST=$T/run BENCH_SVC_USER=$SVC_USER BENCH_PGBENCH_SCALE=$PGBENCH_SCALE
export BENCH_QUICK=${BENCH_QUICK:-0} PGBIN PYTHONDONTWRITEBYTECODE=1

# Accounts, keys and the resources the reads need, made before the
# restart below so that the measured executables start cold.
"$PY" bench/bench.py setup

# A fresh start: the first wrk run on each executable is its cold start.
lighttpd_stop "$T/run"
lighttpd_start "$T/run" "$PORT"
(
	export FLOOR_DIR=$T/floor PORT=$FPORT FLOOR_PROCS=$CLOUDSIM_PROCS
	export FLOOR_PG="host=$T/run port=5432 dbname=bench_pgbench user=$SVC_USER"
	export FLOOR_ROWS=$((PGBENCH_SCALE * 100000))
	export FLOOR_BODY_BYTES=$(cat "$T/body_bytes")
	as_svc /usr/sbin/lighttpd -f "$ROOT/bench/floor/lighttpd.conf"
) || die "the floors' lighttpd did not start"
wait_http "http://127.0.0.1:$FPORT/floor/trivial" || die "the floors' lighttpd is not answering"

# In the background, so that a signal reaches the trap at once.
"$PY" bench/bench.py measure &
driver_pid=$!
wait "$driver_pid"
driver_pid=
