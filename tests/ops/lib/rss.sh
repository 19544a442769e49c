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

# rss_grown NAME PIDS…: under AddressSanitizer the quarantine keeps
# freed memory (256 MB by design), so a bound belongs to the release
# build; there the same work done again must add nothing.  Sets rss_big
# to " pid:was->nowKiB" for each process that grew by more than a tenth
# and 8 MiB since rss_over read it.
rss_grown() {
	name=$1 rss_big=
	shift
	for p in "$@"; do
		rss=$(rss_of "$p")
		eval "was=\$rss_first_$p"
		echo "# $name $p: RSS $rss KiB after as many again (was $was)"
		[ "${rss:-0}" -gt $((was + was / 10 + 8192)) ] &&
			rss_big="$rss_big $p:${was}->${rss}KiB"
	done
	return 0
}
