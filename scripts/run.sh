#!/usr/bin/env bash
# make run: the private cluster (or $CLOUDSIM_DB), migrations, lighttpd
# on 127.0.0.1:$PORT with every executable; Ctrl-C stops it all.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PORT=${PORT:-5000}
DATA=${DATA_DIRECTORY:-$ROOT/var}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
export DATA_DIRECTORY=$DATA

check_reachable
svc_dir "$DATA" "$DATA/run"
secrets_init "$DATA"

stop() {
	trap - INT TERM EXIT
	echo
	echo "cloudsim: stopping"
	lighttpd_stop "$DATA/run"
	[ -z "${CLOUDSIM_DB:-}" ] && pg_stop "$DATA/pg"
	exit 0
}
trap stop INT TERM EXIT

if [ -z "${CLOUDSIM_DB:-}" ]; then
	pg_init "$DATA/pg"
	pg_start "$DATA/pg" "$DATA/run"
	db_create "$DATA/run" cloudsim
	"$ROOT/bin/cloudsim-migrate" -d "$ROOT/sql" \
	    -c "host=$DATA/run port=5432 dbname=cloudsim user=$SVC_USER"
else
	"$ROOT/bin/cloudsim-migrate" -d "$ROOT/sql" -c "$CLOUDSIM_DB"
fi

if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; then
	die "port $PORT is already in use; set PORT=… to choose another"
fi
lighttpd_start "$DATA/run" "$PORT"

cat <<MSG

cloudsim is running at http://127.0.0.1:$PORT/
  curl http://127.0.0.1:$PORT/health/vpcs
  logs: $DATA/run/lighttpd-error.log (one JSON line per request)
Press Ctrl-C to stop.
MSG
while :; do sleep 3600 & wait $! || true; done
