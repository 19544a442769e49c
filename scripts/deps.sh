#!/usr/bin/env bash
# Install (as root) or name (otherwise) the Debian packages cloudsim needs.
# usage: deps.sh [--list] [build|run|check|bench]
set -euo pipefail
list=0
[ "${1:-}" = --list ] && { list=1; shift; }
BUILD="build-essential pkg-config libfcgi-dev libjansson-dev libxml2-dev libpq-dev libcurl4-openssl-dev libssl-dev libargon2-dev uuid-dev"
RUN="$BUILD postgresql postgresql-contrib lighttpd curl openssl python3"
CHECK="$RUN python3-botocore python3-boto3 awscli postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl apache2 libapache2-mod-fcgid spawn-fcgi nginx valgrind"
BENCH="$RUN wrk"
case "${1:-run}" in
	build) want=$BUILD ;; run) want=$RUN ;; check) want=$CHECK ;; bench) want=$BENCH ;;
	*) echo "usage: $0 build|run|check|bench" >&2; exit 2 ;;
esac
[ $list = 1 ] && { echo $want; exit 0; }
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "cloudsim: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "cloudsim: missing Debian packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
