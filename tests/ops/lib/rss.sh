# Sourced by tests/ops/*.t that hold a process's memory to a bound.

# rss_of PID: its VmRSS in KiB (0 once it is gone).
rss_of() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# rss_over LIMIT_KIB NAME PIDS…: sets rss_big to " pid:rssKiB" for each
# process over the limit (empty when none is), after a "# NAME pid: RSS"
# line for each, and remembers each reading as rss_first_<pid>.
rss_over() {
	limit=$1 name=$2 rss_big=
	shift 2
	for p in "$@"; do
		rss=$(rss_of "$p")
		echo "# $name $p: RSS $rss KiB"
		eval "rss_first_$p=\${rss:-0}"
		[ "${rss:-0}" -gt "$limit" ] && rss_big="$rss_big $p:${rss}KiB"
	done
	return 0
}

# rss_settle LIMIT_KIB PIDS…: waits (up to 5 s) until every process is
# at or under the limit.  A process gives a request's memory back right
# after it has sent the answer (src/core/server.c, release), so the
# client may read its RSS a moment before it has.
rss_settle() {
	limit=$1
	shift
	for _ in $(seq 50); do
		over=
		for p in "$@"; do
			rss=$(rss_of "$p")
			[ "${rss:-0}" -gt "$limit" ] && over=1
		done
		[ -z "$over" ] && return 0
		sleep 0.1
	done
	return 0
}

# rss_grown NAME PIDS…: under AddressSanitizer the quarantine keeps
# freed memory (check.sh caps it at 32 MB, which the first round of a
# test's work fills), so a bound belongs to the release build; under the
# sanitizer the same work done again must add nothing.  The bound is
# on the largest RSS among the processes, not on each one's: which
# process takes a request is the web server's choice, and a process
# that lighttpd left idle in the first round may take its first big
# answer in the second, climbing to the plateau the busiest one had
# already reached.  Sets rss_big to " peak:was->nowKiB" when the largest
# grew by more than a tenth and 8 MiB since rss_over read them.
rss_grown() {
	name=$1 rss_big= was_max=0 now_max=0
	shift
	for p in "$@"; do
		rss=$(rss_of "$p")
		eval "was=\$rss_first_$p"
		echo "# $name $p: RSS $rss KiB after as many again (was $was)"
		[ "${was:-0}" -gt "$was_max" ] && was_max=${was:-0}
		[ "${rss:-0}" -gt "$now_max" ] && now_max=${rss:-0}
	done
	[ "$now_max" -gt $((was_max + was_max / 10 + 8192)) ] &&
		rss_big=" peak:${was_max}->${now_max}KiB"
	return 0
}
