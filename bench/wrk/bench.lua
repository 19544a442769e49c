-- bench.lua: the wrk script behind every wrk point of the bench.
--
--   BENCH_REQUEST=FILE  replay the request in FILE instead of GET <url>:
--                       line 1 the method, line 2 the path, then
--                       "Name: value" header lines, an empty line and the
--                       body (bench.py writes it, e.g. a SigV4-signed EC2
--                       call; Host is left to wrk, which sends host:port).
--   BENCH_LIMIT=N       stop after N responses (the memory run counts
--   BENCH_DONE=FILE     requests, not seconds): run with -t 1.  wrk's main
--                       thread sleeps for the whole -d whatever its
--                       threads do, so the script creates FILE and the
--                       caller (drivers.py) then sends wrk SIGINT, after
--                       which wrk reports at once, as after Ctrl-C.
--
-- done() prints one line, "BENCH {json}", that bench.py parses: counts,
-- errors and the latency distribution in microseconds.

local reqfile = os.getenv("BENCH_REQUEST")
local limit = tonumber(os.getenv("BENCH_LIMIT") or "")

-- Sets wrk.method, path, headers and body: wrk then builds the request
-- once (a static request, as for a plain URL) after init() returns.
local function load_request(path)
	local f = assert(io.open(path, "rb"))
	local text = f:read("*a")
	f:close()
	local head_end = assert(text:find("\n\n", 1, true), "no empty line in " .. path)
	local head = text:sub(1, head_end - 1)
	local body = text:sub(head_end + 2)
	local n = 0
	for line in head:gmatch("[^\n]+") do
		n = n + 1
		if n == 1 then
			wrk.method = line
		elseif n == 2 then
			wrk.path = line
		else
			local k, v = line:match("^([^:]+):%s?(.*)$")
			wrk.headers[k] = v
		end
	end
	if body ~= "" then wrk.body = body end
end

function init(args)
	if reqfile and reqfile ~= "" then
		load_request(reqfile)
	end
end

if limit then
	local seen = 0
	function response(status, headers, body)
		seen = seen + 1
		if seen == limit then
			wrk.thread:stop()
			local f = io.open(os.getenv("BENCH_DONE") or "", "w")
			if f then f:close() end
		end
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"bytes":%d,' ..
		'"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
		'"lat_mean":%.1f,"lat_p50":%d,"lat_p99":%d,"lat_max":%d}\n',
		summary.requests, summary.duration, summary.bytes,
		e.connect, e.read, e.write, e.status, e.timeout,
		latency.mean, latency:percentile(50), latency:percentile(99),
		latency.max))
end
