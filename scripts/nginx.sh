#!/usr/bin/env bash
# nginx + spawn-fcgi, the third way to host cloudsim (make check runs
# every HTTP test through it).
#   nginx.sh start RUNDIR PORT CGIDIR   a spawn-fcgi pool per executable
#                                       ($CLOUDSIM_PROCS processes, as the
#                                       service user) on RUNDIR/<exe>.sock,
#                                       then nginx from etc/nginx.conf
#   nginx.sh stop RUNDIR                stop nginx and the pools
# The executables get this script's environment (CLOUDSIM_CONF,
# DATA_DIRECTORY, CLOUDSIM_DB, LOG_LEVEL, …) and write their log lines
# to RUNDIR/nginx-fcgi-stderr.log.
set -euo pipefail
. "$(dirname "$0")/common.sh"

EXES="auth instances vpcs volumes blockchains ec2"

start() {
	local run=$1 port=$2 cgi=$3 e
	svc_dir "$run" "$run/nginx-tmp"
	# As etc/lighttpd.conf: GnuTLS (libpq → libldap) is never used.
	export GNUTLS_NO_IMPLICIT_INIT=1
	for e in $EXES; do
		rm -f "$run/$e.sock"
		if [ "$(id -u)" = 0 ]; then
			spawn-fcgi -s "$run/$e.sock" -M 0600 -u "$SVC_USER" \
			    -U "$SVC_USER" -F "${CLOUDSIM_PROCS:-2}" \
			    -P "$run/$e.spawn.pid" -- "$cgi/$e.fcgi"
		else
			spawn-fcgi -s "$run/$e.sock" -M 0600 \
			    -F "${CLOUDSIM_PROCS:-2}" -P "$run/$e.spawn.pid" \
			    -- "$cgi/$e.fcgi"
		fi >/dev/null 2>>"$run/nginx-fcgi-stderr.log"
	done
	sed -e "s|@PORT@|$port|g" -e "s|@RUNDIR@|$run|g" \
	    -e "s|@USER@|$SVC_USER|g" "$ROOT/etc/nginx.conf" >"$run/nginx.conf"
	/usr/sbin/nginx -c "$run/nginx.conf" -p "$run" -e "$run/nginx-error.log" \
	    2>>"$run/nginx-error.log" ||
	    { cat "$run/nginx-error.log" >&2; die "nginx did not start"; }
	wait_http "http://127.0.0.1:$port/health/ec2" ||
	    die "nginx is not answering on $port"
}

stop() {
	local run=$1 e pid
	if [ -s "$run/nginx.pid" ]; then
		kill -QUIT "$(cat "$run/nginx.pid")" 2>/dev/null || true
	fi
	for e in $EXES; do
		[ -s "$run/$e.spawn.pid" ] || continue
		for pid in $(cat "$run/$e.spawn.pid"); do
			kill -TERM "$pid" 2>/dev/null || true
		done
		rm -f "$run/$e.spawn.pid" "$run/$e.sock"
	done
}

case "${1:-}" in
	start) start "$2" "$3" "$4" ;;
	stop) stop "$2" ;;
	*) echo "usage: $0 start RUNDIR PORT CGIDIR | stop RUNDIR" >&2; exit 2 ;;
esac
