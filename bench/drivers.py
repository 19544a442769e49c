"""How the bench measures: HTTP calls, wrk and pgbench runs, boto3 call
loops, the REST write-mix driver, SigV4-signed request files, psql, the
RSS of processes and the start-up time of an executable.

Every function here is bounded in time (wrk -d, pgbench -T, subprocess
timeouts, loops with a deadline) and raises RuntimeError when a tool
fails; deciding what a failure means for a scenario is bench.py's job.
"""
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "wrk", "bench.lua")
PGHOST = os.environ.get("BENCH_PGHOST", "")
SVC_USER = os.environ.get("BENCH_SVC_USER", "")

# What a cloudsim or EC2-compatible endpoint answers for an action or
# route it does not have yet (AWS says InvalidAction; cloudsim's router
# says UnknownOperation).
MISSING_CODES = {"InvalidAction", "UnknownOperation", "NotImplemented"}


# --- HTTP ----------------------------------------------------------------

def request(base, method, path, body=None, headers=None, timeout=60):
    """One HTTP request on a new connection: (status, body bytes)."""
    u = urllib.parse.urlsplit(base)
    h = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def error_code(body):
    """The error code in a JSON or EC2 XML error answer, or None."""
    try:
        e = json.loads(body).get("error")
        if isinstance(e, dict):
            return e.get("code")
        return None
    except (ValueError, AttributeError):
        m = re.search(rb"<Code>([^<]+)</Code>", body or b"")
        return m.group(1).decode() if m else None


def missing(status, body):
    """True when the answer says the route or action does not exist yet
    (a 404 without a resource's NotFound code counts as such)."""
    code = error_code(body)
    return code in MISSING_CODES or status == 501 or \
        (status == 404 and code is None)


# --- wrk, pgbench --------------------------------------------------------

def wrk(url, conns, seconds, headers=None, request_file=None, limit=None,
        timeout=10):
    """A wrk run; returns rps, counts, errors and latencies in ms.  With
    limit, one wrk thread stops after limit responses (bench.lua)."""
    threads = 1 if limit else min(conns, 2)
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s",
           "--timeout", f"{timeout}s", "-s", LUA]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    done = os.path.join(os.environ.get("BENCH_DIR", "/tmp"),
                        f"wrk-done.{os.getpid()}")
    env = dict(os.environ, BENCH_REQUEST=request_file or "",
               BENCH_LIMIT=str(limit) if limit else "", BENCH_DONE=done)
    if os.path.exists(done):
        os.unlink(done)
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as p:
        try:
            if limit:
                # Interrupt wrk once bench.lua says the count is reached.
                deadline = time.monotonic() + seconds + timeout + 30
                while p.poll() is None and time.monotonic() < deadline:
                    if os.path.exists(done):
                        p.send_signal(signal.SIGINT)
                        break
                    time.sleep(0.05)
            out, err = p.communicate(timeout=seconds + timeout + 30)
        except BaseException:
            p.kill()
            raise
        finally:
            if os.path.exists(done):
                os.unlink(done)
    m = re.search(r"^BENCH (\{.*\})$", out, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed: {err.strip() or out.strip()}")
    s = json.loads(m.group(1))
    secs = s["duration_us"] / 1e6
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    return {
        "rps": s["requests"] / secs if secs else 0.0,
        "requests": s["requests"],
        "seconds": secs,
        "errors": errors,
        "status_errors": s["status"],
        "lat_mean_ms": s["lat_mean"] / 1000,
        "lat_p50_ms": s["lat_p50"] / 1000,
        "lat_p99_ms": s["lat_p99"] / 1000,
        "lat_max_ms": s["lat_max"] / 1000,
        "bytes": s["bytes"],
    }


def svc_prefix():
    """Run a command as the service user (root) or as ourselves."""
    if os.getuid() == 0 and SVC_USER:
        return ["runuser", "-u", SVC_USER, "--"]
    return []


def pgbench(db, conns, seconds, mode="-S"):
    """pgbench -M prepared, mode "-S" (select only) or "-N" (simple
    update: one durable commit per transaction): tps and mean latency in
    ms."""
    pgbin = os.environ.get("PGBIN", "")
    exe = os.path.join(pgbin, "pgbench") if pgbin else "pgbench"
    cmd = svc_prefix() + [exe, "-n", mode, "-M", "prepared", "-c", str(conns),
                          "-j", str(min(conns, 2)), "-T", str(seconds),
                          "-h", PGHOST, "-p", "5432", "-U", SVC_USER, db]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       timeout=seconds + 60)
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)",
                    p.stdout)
    lat = re.search(r"latency average = ([0-9.]+) ms", p.stdout)
    if p.returncode != 0 or not tps:
        raise RuntimeError(f"pgbench failed: {p.stderr.strip()}")
    return {"rps": float(tps.group(1)),
            "lat_mean_ms": float(lat.group(1)) if lat else None}


def psql(sql, db="cloudsim", variables=None, timeout=600):
    """Run SQL as the cluster owner; unaligned, tuples-only output."""
    cmd = svc_prefix() + ["psql", "-X", "-q", "-A", "-t", "-v",
                          "ON_ERROR_STOP=1", "-h", PGHOST, "-p", "5432",
                          "-U", SVC_USER, "-d", db]
    for k, v in (variables or {}).items():
        cmd += ["-v", f"{k}={v}"]
    p = subprocess.run(cmd + ["-f", "-"], input=sql, capture_output=True,
                       text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"psql failed: {p.stderr.strip()}")
    return p.stdout


# --- SigV4 and boto3 -----------------------------------------------------

def signed_request_file(path, endpoint, region, akid, secret, params):
    """Sign one EC2 Query POST with botocore, as boto3 would send it, and
    write it in bench.lua's request format.  Returns (headers, body)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = urllib.parse.urlencode(params)
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type":
                              "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(akid, secret), "ec2", region).add_auth(req)
    headers = {k: v for k, v in req.headers.items() if k.lower() != "host"}
    with open(path, "w") as f:
        f.write("POST\n/\n")
        for k, v in headers.items():
            f.write(f"{k}: {v}\n")
        f.write("\n" + body)
    return headers, body.encode()


def ec2_client(endpoint, region, akid, secret):
    """A boto3 EC2 client that never retries (a failure shows at once)."""
    import boto3
    from botocore.config import Config

    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                 connect_timeout=5, read_timeout=300)
    return boto3.client("ec2", endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=akid, aws_secret_access_key=secret,
                        config=cfg)


def boto_missing(exc):
    """True when a botocore error says the action does not exist yet."""
    resp = getattr(exc, "response", None)
    if not resp:
        return False
    code = resp.get("Error", {}).get("Code")
    status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in MISSING_CODES or status == 501 or (
        status == 404 and not str(code).endswith("NotFound"))


class HttpClock:
    """Adds up the time a boto3 client spends in HTTP round trips (request
    sent to response body read), to tell the server's share of a call from
    the client's own (serialising, signing, parsing).  It also keeps the
    last successful answer to each EC2 action (answers: action -> body),
    which the replay floor (bench/floor/replay.c) serves back."""

    def __init__(self, client):
        self.seconds = 0.0
        self.answers = {}
        endpoint = client._endpoint
        send = endpoint._send

        def timed(req):
            t = time.perf_counter()
            r = send(req)
            r.content  # read the body inside the clock
            self.seconds += time.perf_counter() - t
            if r.status_code == 200:
                action = form_action(req.body)
                if action:
                    self.answers[action] = r.content
            return r
        endpoint._send = timed


def form_action(body):
    """The Action of an EC2 Query request body (bytes or str), or None."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return None
    for part in body.split("&"):
        if part.startswith("Action="):
            return part[len("Action="):] or None
    return None


def call_loop(one, seconds, max_iterations, min_iterations=1, clock=None):
    """Call one() (which returns how many API calls it made) until the
    deadline; returns (ms per call, calls, HTTP share or None)."""
    if clock:
        clock.seconds = 0.0
    calls = iterations = 0
    t0 = time.perf_counter()
    deadline = t0 + seconds
    while iterations < max_iterations and (
            iterations < min_iterations or time.perf_counter() < deadline):
        calls += one()
        iterations += 1
    wall = time.perf_counter() - t0
    share = clock.seconds / wall if clock and wall else None
    return wall * 1000 / calls, calls, share


# --- the REST write mix --------------------------------------------------

def write_mix(base, token, instance_id, zone, conns, seconds):
    """conns threads, each on one keep-alive connection, cycling through
    POST /api/v1/volumes, attach, detach, DELETE until the deadline.
    Returns HTTP calls per second, mean ms per call and the errors."""
    u = urllib.parse.urlsplit(base)
    auth = {"Authorization": f"Bearer {token}",
            "Content-Type": "application/json"}
    lock = threading.Lock()
    totals = {"calls": 0, "errors": 0, "latency": 0.0, "first_error": None}
    deadline = time.perf_counter() + seconds

    def call(c, method, path, body, stats):
        t = time.perf_counter()
        c.request(method, path, body=json.dumps(body) if body is not None
                  else None, headers=auth)
        r = c.getresponse()
        data = r.read()
        stats["latency"] += time.perf_counter() - t
        stats["calls"] += 1
        if r.status >= 300:
            stats["errors"] += 1
            stats["first_error"] = stats["first_error"] or \
                f"{method} {path.split('?')[0]}: HTTP {r.status} {error_code(data)}"
            return None
        return json.loads(data) if data else {}

    def worker(i):
        stats = {"calls": 0, "errors": 0, "latency": 0.0, "first_error": None}
        device = "/dev/sd" + "fghijklmnop"[i % 11]
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        try:
            while time.perf_counter() < deadline and stats["errors"] < 20:
                v = call(c, "POST", "/api/v1/volumes",
                         {"availability_zone": zone, "size": 1,
                          "volume_type": "gp3"}, stats)
                if not v:
                    continue
                vid = v.get("id") or (v.get("volume") or {}).get("id")
                call(c, "POST", f"/api/v1/volumes/{vid}/attach",
                     {"instance_id": instance_id, "device": device}, stats)
                call(c, "POST", f"/api/v1/volumes/{vid}/detach", {}, stats)
                call(c, "DELETE", f"/api/v1/volumes/{vid}", None, stats)
        finally:
            c.close()
            with lock:
                for k in ("calls", "errors", "latency"):
                    totals[k] += stats[k]
                totals["first_error"] = totals["first_error"] or \
                    stats["first_error"]

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - t0
    n = totals["calls"]
    return {"rps": n / wall if wall else 0.0,
            "lat_mean_ms": totals["latency"] * 1000 / n if n else None,
            "calls": n, "errors": totals["errors"],
            "first_error": totals["first_error"]}


# --- processes -----------------------------------------------------------

def children(ppid):
    """PIDs whose parent is ppid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == ppid:
            out.append(int(d))
    return sorted(out)


def memory(pid):
    """(RSS, private) of a process in KiB, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1))
        private = 0
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    private += int(line.split()[1])
        return rss, private
    except (OSError, AttributeError):
        return None


def library_floor(exe, db):
    """RSS and private KiB of bench/floor/libraries (ec2.fcgi's libraries,
    each called once), run as the service user against database db."""
    conninfo = f"host={PGHOST} port=5432 dbname={db} user={SVC_USER}"
    p = subprocess.run(svc_prefix() + [exe, conninfo], capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError((p.stderr or p.stdout).strip()[-300:])
    return json.loads(p.stdout)


def exe_name(pid):
    """The executable's file name; a binary rebuilt while its process runs
    reads "x.fcgi (deleted)", which is still x.fcgi."""
    try:
        name = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return "?"
    return name.removesuffix(" (deleted)")


def fcgi_memory(lighttpd_pid):
    """{executable: [(pid, rss KiB, private KiB), …]} of lighttpd's
    FastCGI children."""
    out = {}
    for pid in children(lighttpd_pid):
        m = memory(pid)
        if m:
            out.setdefault(exe_name(pid), []).append((pid,) + m)
    return out


def cgi_startup(exe, service, env, runs):
    """Median ms from spawning exe as plain CGI for GET /health/<service>
    to its exit, over runs runs (as the service user when root)."""
    cgi_env = dict(env, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                   REQUEST_URI=f"/health/{service}", SCRIPT_NAME="",
                   PATH_INFO=f"/health/{service}", QUERY_STRING="",
                   SERVER_PROTOCOL="HTTP/1.1", SERVER_NAME="127.0.0.1",
                   SERVER_PORT="80", REMOTE_ADDR="127.0.0.1")
    kw = {}
    if os.getuid() == 0 and SVC_USER:
        import pwd
        pw = pwd.getpwnam(SVC_USER)
        kw = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run([exe], env=cgi_env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30, **kw)
        times.append((time.perf_counter() - t) * 1000)
        if p.returncode != 0 or b'"healthy"' not in p.stdout:
            raise RuntimeError(f"{os.path.basename(exe)} as CGI: exit "
                               f"{p.returncode}, {p.stdout[:200]!r}")
    return statistics.median(times)
