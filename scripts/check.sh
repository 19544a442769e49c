#!/usr/bin/env bash
# make check: a throwaway cluster and lighttpd (then Apache, then nginx
# with spawn-fcgi) on free ports, every test through prove and pg_prove, then teardown.
# usage: check.sh BUILD_DIR CGI_DIR BIN_DIR
set -uo pipefail
. "$(dirname "$0")/common.sh"

BUILD=${1:-build/release}
CGI=$(cd "${2:-cgi-bin}" && pwd)
BIN=$(cd "${3:-bin}" && pwd)
cd "$ROOT"
check_reachable

T=$ROOT/var/check.$$
PORT=$(free_port)
APORT=$(free_port)
NPORT=$(free_port)
export DATA_DIRECTORY=$T CLOUDSIM_CGI=$CGI LOG_LEVEL=${LOG_LEVEL:-info}
export CLOUDSIM_CONF=$ROOT/etc/cloudsim.conf CLOUDSIM_DB=
sanitized=0
case "$BUILD" in *asan*) sanitized=1 ;; esac
# Tests whose bounds belong to one allocator read this.
export CLOUDSIM_SANITIZED=$sanitized
if [ $sanitized = 1 ]; then
	svc_dir "$T" "$T/asan"
	# The quarantine (freed memory ASan holds back to catch a late use)
	# is capped at 32 MB instead of 256: a request's memory is freed at
	# its end, so a late use comes within a few requests, and the memory
	# tests (tests/ops/lib/rss.sh) need a quarantine that one round of
	# their work fills, or RSS still climbs in the round they measure.
	export ASAN_OPTIONS="log_path=$T/asan/asan:detect_leaks=1:abort_on_error=0:quarantine_size_mb=32"
	export UBSAN_OPTIONS="log_path=$T/asan/ubsan:print_stacktrace=1"
fi

teardown() {
	[ -f "$T/run/apache.pid" ] && kill "$(cat "$T/run/apache.pid")" 2>/dev/null
	"$ROOT/scripts/nginx.sh" stop "$T/run-nginx" 2>/dev/null
	lighttpd_stop "$T/run"
	lighttpd_stop "$T/run-sandbox"
	sleep 0.5
	pg_stop "$T/pg"
}
trap teardown EXIT

svc_dir "$T" "$T/run"
secrets_init "$T"
pg_init "$T/pg"
pg_start "$T/pg" "$T/run"
db_create "$T/run" cloudsim
psql_owner "$T/run" cloudsim -c "CREATE EXTENSION IF NOT EXISTS pgtap" >/dev/null ||
	die "pgTAP is missing (apt-get install postgresql-15-pgtap)"
"$BIN/cloudsim-migrate" -d sql -c "host=$T/run port=5432 dbname=cloudsim user=$SVC_USER" >/dev/null ||
	die "migrations failed"
lighttpd_start "$T/run" "$PORT"

# A second web server in sandbox mode, for the tests of that mode.
SPORT=$(free_port)
# It also runs with transition delays, for the waiter tests.
( export CLOUDSIM_AUTH_MODE=sandbox CLOUDSIM_PROCS=1 \
    CLOUDSIM_INSTANCE_PENDING_DELAY=2 CLOUDSIM_VOLUME_CREATING_DELAY=1
  lighttpd_start "$T/run-sandbox" "$SPORT" )
export CLOUDSIM_SANDBOX_URL=http://127.0.0.1:$SPORT

export CLOUDSIM_URL=http://127.0.0.1:$PORT
export CLOUDSIM_PGHOST=$T/run CLOUDSIM_PGUSER=$SVC_USER CLOUDSIM_ROOT=$ROOT
export CLOUDSIM_LOG=$T/run/fcgi-stderr.log
failed=0

echo "== unit and HTTP tests (lighttpd on $PORT)"
tests=$(ls "$BUILD"/tests/unit/*.t "$BUILD"/tests/http/*.t 2>/dev/null)
prove -f -e '' $tests || failed=1

if ls tests/sql/*.sql >/dev/null 2>&1; then
	echo "== SQL tests (pgTAP)"
	as_svc pg_prove -h "$T/run" -p 5432 -U "$SVC_USER" -d cloudsim tests/sql/*.sql || failed=1
fi

echo "== operations: database restart"
CLOUDSIM_PGDATA=$T/pg prove -f -e bash tests/ops/*.t || failed=1

if ls tests/aws/*.t >/dev/null 2>&1; then
	echo "== AWS client tests"
	prove -f -e '' tests/aws/*.t || failed=1
fi

# terraform's AWS provider, offline from a filesystem mirror; the test
# skips itself when terraform or the mirror is missing.
if ls tests/terraform/*.t >/dev/null 2>&1; then
	echo "== terraform"
	prove -f -e '' tests/terraform/*.t || failed=1
fi

echo "== all HTTP tests again through Apache (httpd-example.conf on $APORT)"
svc_dir "$T/run/fcgid"
if PORT=$APORT CLOUDSIM_RUNDIR=$T/run CLOUDSIM_USER=$SVC_USER \
    /usr/sbin/apache2 -f "$ROOT/httpd-example.conf" -k start; then
	if wait_http "http://127.0.0.1:$APORT/health/ec2"; then
		CLOUDSIM_URL=http://127.0.0.1:$APORT prove -f -e '' "$BUILD"/tests/http/*.t || failed=1
	else
		echo "Apache did not answer"; failed=1
	fi
else
	cat "$T/run/apache-error.log" 2>/dev/null; failed=1
fi

echo "== all HTTP tests again through nginx + spawn-fcgi (etc/nginx.conf on $NPORT)"
if "$ROOT/scripts/nginx.sh" start "$T/run-nginx" "$NPORT" "$CGI"; then
	CLOUDSIM_URL=http://127.0.0.1:$NPORT prove -f -e '' "$BUILD"/tests/http/*.t || failed=1
	CLOUDSIM_URL=http://127.0.0.1:$NPORT prove -f -e '' tests/aws/network.t || failed=1
else
	failed=1
fi

if [ $sanitized = 0 ] && [ "${CLOUDSIM_SKIP_VALGRIND:-0}" != 1 ]; then
	"$ROOT/scripts/leakcheck.sh" auth || failed=1
fi

teardown
trap - EXIT
if [ $sanitized = 1 ]; then
	if ls "$T"/asan/* >/dev/null 2>&1; then
		echo "== sanitizer reports"
		cat "$T"/asan/*
		failed=1
	else
		echo "== sanitizers: no reports"
	fi
fi
if [ $failed = 0 ]; then
	rm -rf "$T"
	echo "make check: all tests passed"
else
	echo "make check: FAILED (logs kept in $T)"
fi
exit $failed
