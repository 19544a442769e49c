#!/usr/bin/env python3
"""The measurements of `make bench` (bench/run.sh starts and stops the
servers; see bench/README.md).

    bench.py setup     accounts, keys and the resources the reads need,
                       made before run.sh restarts lighttpd (so that the
                       measured executables then start cold)
    bench.py measure   every scenario, the floors, memory, cost growth and
                       start-up; prints the table and writes
                       bench/results/<date>.md

BENCH_ONLY=4g,4h,cost (scenario ids and "memory", "cost", "startup")
measures only those, with every floor, into bench/results/<date>-partial.md.

The scenarios are the SCENARIOS table below: one line each (id, name,
client, cloudsim target, moto equivalent, floor, how to run it).  A
scenario whose cloudsim endpoint does not answer yet is reported as
"n/a (not implemented yet)"; it starts to measure by itself the day the
endpoint lands.
"""
import json
import os
import re
import signal
import statistics
import sys
import time

import drivers as d
import report as rp
from report import M, Row

ENV = os.environ
T = ENV.get("BENCH_DIR", "")
CS = ENV.get("BENCH_URL", "")
FLOOR = ENV.get("BENCH_FLOOR_URL", "")
MOTO = ENV.get("BENCH_MOTO_URL", "")
QUICK = ENV.get("BENCH_QUICK", "0") == "1"
ONLY = {x.strip() for x in ENV.get("BENCH_ONLY", "").split(",") if x.strip()}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CGI = ENV.get("CLOUDSIM_CGI", os.path.join(ROOT, "cgi-bin"))
STATE = os.path.join(T, "state.json")
SERVICES = ("auth", "instances", "vpcs", "volumes", "blockchains", "ec2")

# Sizes of the run.  Quick mode is a smoke test of every code path.
DUR = 1 if QUICK else 5                 # seconds per wrk / loop point
CONCS = (1, 8, 32)                      # REST read concurrencies
MAX_CALLS = 200 if QUICK else 2000      # boto3 iterations per point, at most
SEED_BUDGET = 8 if QUICK else 60        # s to seed instances by RunInstances
SEED_BATCH = 20                         # instances per RunInstances
GROWTH = (2000, 10000) if QUICK else (20000, 100000)
COST_SIZES = (1000, 10000, 100000)
COST_DUR = 1 if QUICK else 3            # seconds per cost-growth point
STARTUP_RUNS = 5 if QUICK else 20
REGION = "eu-west-1"                    # sections 1 and 3 (not the REST
                                        # reads' us-east-1, whose 60
                                        # instances DescribeInstances would
                                        # list)
REGION2 = "us-west-2"                   # section 2 (its own, clean region)
MOTO_KEYS = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
INSTANCE_TYPE = "t3.micro"
SEED_SQL = os.path.join(ROOT, "bench", "seed", "instances.sql")
LIST_CHAINS = 1000                      # blockchains present for 4g's list
CREATE_NAME = "Bench create"            # 4h's chains, deleted after each point
CREATE_DIFFICULTY = 1                   # the lowest the API allows
PARTS = ("memory", "cost", "startup")   # what BENCH_ONLY may name, with ids


T0 = time.time()


def log(msg):
    t = int(time.time() - T0)
    print(f"bench: [{t // 60}:{t % 60:02d}] {msg}", file=sys.stderr, flush=True)


# --- setup phase ---------------------------------------------------------

def setup():
    """Creates what the measured reads need and writes state.json and
    body_bytes (the typical answer size the floors copy)."""
    st = {}
    email = f"bench.{os.getpid()}@example.com"
    password = "bench password 1234"
    s, b = d.request(CS, "POST", "/api/v1/auth/register",
                     {"email": email, "password": password, "name": "Bench"})
    must(s == 201, "register", s, b)
    s, b = d.request(CS, "POST", "/api/v1/auth/login",
                     {"email": email, "password": password})
    must(s == 200, "login", s, b)
    login = json.loads(b)
    st["token"], st["token_ttl"] = login["access_token"], login["expires_in"]
    auth = {"Authorization": f"Bearer {st['token']}"}
    s, b = d.request(CS, "POST", "/api/v1/auth/access-keys", {}, auth)
    must(s == 201, "access key", s, b)
    key = json.loads(b)
    st["akid"], st["secret"] = key["access_key_id"], key["secret_access_key"]
    s, b = d.request(CS, "GET", "/api/v1/auth/me", None, auth)
    must(s == 200, "me", s, b)
    st["account_id"] = json.loads(b)["account_id"]

    s, b = d.request(CS, "POST", "/api/blockchains",
                     {"first_name": "Ada", "last_name": "Bench",
                      "difficulty": 1})
    must(s == 200, "create blockchain", s, b)
    st["chain_id"] = json.loads(b)["blockchain_id"]
    # 4g lists a page of LIST_CHAINS chains; the seeded ones are older
    # than the one above, so page 1 is the same 50 seeded chains all run.
    have = int(d.psql("SELECT count(*) FROM cloudsim.blockchains;"))
    seed_chains(None, have, LIST_CHAINS)

    setup_instances(st, auth)
    setup_volumes(st, auth)

    sizes = []
    for path in (f"/api/blockchains/{st['chain_id']}", "/api/v1/auth/me",
                 "/health/vpcs"):
        s, b = d.request(CS, "GET", path, None, auth)
        must(s == 200, path, s, b)
        sizes.append(len(b))
    st["body_bytes"] = int(statistics.median(sizes))
    with open(STATE, "w") as f:
        json.dump(st, f)
    with open(os.path.join(T, "body_bytes"), "w") as f:
        f.write(str(st["body_bytes"]))
    if st["token_ttl"] != 3600:
        log(f"warning: expires_in is {st['token_ttl']}, not the 3600 of "
            "CLOUDSIM_ACCESS_TOKEN_TTL: the environment does not reach the "
            "executables, so neither do the raised quotas")
    log(f"setup done (typical answer: {st['body_bytes']} bytes)")


def must(ok, what, status, body):
    if not ok:
        raise SystemExit(f"bench: setup: {what} answered {status}: "
                         f"{body[:300].decode(errors='replace')}")


def setup_instances(st, auth):
    """60 instances for GET /api/v1/instances/{id} and a page of 50, when
    the REST instances endpoint exists."""
    s, b = d.request(CS, "GET", "/api/v1/instances?page_size=1", None, auth)
    if d.missing(s, b):
        st["instances"] = None
        return
    try:
        if s != 200:
            raise RuntimeError(f"GET /api/v1/instances: HTTP {s} {d.error_code(b)}")
        s, b = d.request(CS, "GET", "/api/v1/images?architecture=x86_64",
                         None, auth)
        if s != 200:
            raise RuntimeError(f"GET /api/v1/images: HTTP {s} {d.error_code(b)}")
        image = json.loads(b)["items"][0]["id"]
        s, b = d.request(CS, "POST", "/api/v1/instances",
                         {"image_id": image, "instance_type": INSTANCE_TYPE,
                          "min_count": 60, "max_count": 60}, auth)
        if s != 201:
            raise RuntimeError(f"POST /api/v1/instances: HTTP {s} {d.error_code(b)}")
        first = json.loads(b)["items"][0]
        st["instances"] = {"id": first["id"],
                           "zone": first.get("availability_zone")}
    except (RuntimeError, KeyError, IndexError, ValueError) as e:
        st["instances"] = {"error": str(e)}


def setup_volumes(st, auth):
    """Whether the REST volumes endpoint exists (the write mix)."""
    s, b = d.request(CS, "GET", "/api/v1/volumes?page_size=1", None, auth)
    if d.missing(s, b):
        st["volumes"] = None
    elif s != 200:
        st["volumes"] = {"error": f"GET /api/v1/volumes: HTTP {s} {d.error_code(b)}"}
    else:
        st["volumes"] = {}


# --- the measurement context ---------------------------------------------

class Ctx:
    """What the measure phase shares between scenarios."""

    def __init__(self):
        with open(STATE) as f:
            self.st = json.load(f)
        self.auth = {"Authorization": f"Bearer {self.st['token']}"}
        self.floors = {}        # floor name -> wrk-like result
        self.rows = []
        self.cold = {}          # executable -> (max ms of its first run, where)
        self.notes = []
        self.clients = {}
        self.clocks = {}
        self.images = {}
        self.ec2 = None         # cloudsim's EC2 endpoint answers DescribeRegions
        self.instance = {}      # target -> one instance id in REGION
        self.seeded = {}        # target -> section 2 seeding state
        self.extra = {}         # memory, cost growth, start-up results

    def base(self, target):
        return CS if target == "cloudsim" else MOTO

    def keys(self, target):
        if target == "cloudsim":
            return self.st["akid"], self.st["secret"]
        return MOTO_KEYS

    def client(self, target, region, fresh=False):
        """A boto3 EC2 client; fresh: a new one, whose pool holds no
        keep-alive connection that lighttpd may have closed while idle
        (the clients never retry, so a stale connection would fail)."""
        k = (target, region)
        if fresh or k not in self.clients:
            c = d.ec2_client(self.base(target), region, *self.keys(target))
            self.clients[k] = c
            self.clocks[k] = d.HttpClock(c)
        return self.clients[k]

    def ec2_available(self):
        """Whether cloudsim's EC2 Query endpoint exists (DescribeRegions)."""
        if self.ec2 is None:
            path = os.path.join(T, "probe.req")
            h, body = d.signed_request_file(path, CS, REGION,
                                            *self.keys("cloudsim"),
                                            {"Action": "DescribeRegions",
                                             "Version": "2016-11-15"})
            s, b = d.request(CS, "POST", "/", body, h)
            self.ec2 = not d.missing(s, b)
            if not self.ec2:
                log("cloudsim has no EC2 Query endpoint yet: EC2 scenarios are n/a")
        return self.ec2

    def image(self, target, client):
        """An x86_64 AMI of the target (t3.micro's architecture)."""
        if target not in self.images:
            x86 = [{"Name": "architecture", "Values": ["x86_64"]}]
            imgs = []
            for kw in ({"Owners": ["amazon"], "Filters": x86},
                       {"Filters": x86}, {}):
                try:
                    imgs = client.describe_images(**kw)["Images"]
                except Exception:  # an endpoint without that filter
                    continue
                if imgs:
                    break
            if not imgs:
                raise RuntimeError(f"{target} lists no image")
            self.images[target] = sorted(i["ImageId"] for i in imgs)[0]
        return self.images[target]


def wrk_m(r, unit="req/s"):
    """A wrk result as a figure: rate with p99, errors flagged."""
    err = f"{r['errors']} failed requests" if r["errors"] else None
    if unit == "ms":
        return M(r["lat_mean_ms"], "ms", error=err,
                 detail=f"p99 {rp.fmt(r['lat_p99_ms'])} ms")
    return M(r["rps"], "req/s", error=err,
             detail=f"p99 {rp.fmt(r['lat_p99_ms'])} ms")


def guarded(fn):
    """A figure, or the error that prevented it."""
    try:
        return fn()
    except Exception as e:  # one broken scenario must not stop the bench
        log(f"error: {e}")
        return M(error=str(e).splitlines()[0][:160])


# --- section 1: boto3, one client, N calls ---------------------------------

def op_run_terminate(ctx, target, c):
    image = ctx.image(target, c)

    def once():
        r = c.run_instances(ImageId=image, InstanceType=INSTANCE_TYPE,
                            MinCount=1, MaxCount=1)
        c.terminate_instances(InstanceIds=[r["Instances"][0]["InstanceId"]])
        return 2
    return once


def op_volume(ctx, target, c):
    def once():
        v = c.create_volume(AvailabilityZone=REGION + "a", Size=1,
                            VolumeType="gp3")
        c.delete_volume(VolumeId=v["VolumeId"])
        return 2
    return once


def op_vpc_subnet(ctx, target, c):
    def once():
        v = c.create_vpc(CidrBlock="10.0.0.0/16")
        c.create_subnet(VpcId=v["Vpc"]["VpcId"], CidrBlock="10.0.0.0/24")
        return 2
    return once


def op_describe_all(ctx, target, c):
    def once():
        c.describe_instances()
        return 1
    return once


def boto3_point(ctx, target, region, make_op, max_calls=MAX_CALLS):
    """ms per API call of one boto3 client looping over an operation, with
    the share of the time spent in HTTP round trips."""
    from botocore.exceptions import ClientError

    if target == "cloudsim" and not ctx.ec2_available():
        return rp.not_implemented()
    c = ctx.client(target, region, fresh=True)
    try:
        once = make_op(ctx, target, c)
        once()                                  # warm-up, and the probe
        ms, calls, share = d.call_loop(once, DUR, max_calls,
                                       clock=ctx.clocks[(target, region)])
    except ClientError as e:
        if d.boto_missing(e):
            return rp.not_implemented()
        return M(error=f"{e.response['Error'].get('Code')}: "
                       f"{e.response['Error'].get('Message', '')[:80]}")
    return M(ms, "ms/call", detail=f"{calls} calls, HTTP {share * 100:.0f} %",
             share=share)


def replay_floor(ctx, sid, region, make_op, max_calls=MAX_CALLS):
    """The boto3 floors of scenario sid: the same loop against
    bench/floor/replay.c, which answers each action with cloudsim's last
    answer to it (recorded by the cloudsim client's HttpClock), checking
    nothing.  What is left is boto3, lighttpd and the FastCGI hop: the
    least a call could cost this client whatever the server.  Then again
    under /floor/replay-pg, which first reads one row by primary key: the
    least it could cost against a server that reads its database once a
    call."""
    answers = ctx.clocks[("cloudsim", region)].answers
    if not answers:
        raise RuntimeError("cloudsim gave no answer to replay")
    for action, body in answers.items():
        path = os.path.join(T, "floor", "answers", f"{action}.xml")
        with open(path, "wb") as f:
            f.write(body)
        os.chmod(path, 0o644)
    for path, name in (("/floor/replay", "boto3 replay"),
                       ("/floor/replay-pg", "boto3 replay+PG")):
        log(f"floor {name} ({sid})")
        try:
            c = d.ec2_client(FLOOR + path, region, *ctx.keys("cloudsim"))
            once = make_op(ctx, "cloudsim", c)
            once()
            ms, calls, _ = d.call_loop(once, DUR, max_calls)
        except Exception as e:  # the row stands without this floor
            log(f"error: floor {name}: {e}")
            ctx.floors[f"{name} {sid}"] = {"error": str(e)}
            continue
        ctx.floors[f"{name} {sid}"] = {"rps": 1000 / ms, "lat_mean_ms": ms,
                                       "requests": calls}


def boto3_calls(make_op):
    def run(ctx, sc):
        c = guarded(lambda: boto3_point(ctx, "cloudsim", REGION, make_op))
        if c.ok:
            try:
                replay_floor(ctx, sc.sid, REGION, make_op)
            except Exception as e:  # the row stands without its floor
                log(f"error: boto3 replay floor: {e}")
                ctx.floors[f"boto3 replay {sc.sid}"] = {"error": str(e)}
        m = guarded(lambda: boto3_point(ctx, "moto", REGION, make_op))
        return [Row(sc.sid, sc.name, sc.client, c, m, sc.floor)]
    return run


# --- section 2: DescribeInstances at 1, 200 and 10,000 instances ---------

def seed_state(ctx, target):
    return ctx.seeded.setdefault(target, {"count": 0, "first": None,
                                          "how": "", "stopped": None,
                                          "seconds": 0.0})


def seed_instances(ctx, target, want):
    """At least want instances in REGION2: moto through boto3 RunInstances
    (reservations of SEED_BATCH, within SEED_BUDGET seconds); cloudsim
    through bench/seed/instances.sql when it exists (direct SQL), else
    through RunInstances like moto.  Returns the seeding state."""
    s = seed_state(ctx, target)
    if s["count"] >= want or s["stopped"]:
        return s
    c = ctx.client(target, REGION2)
    if target == "cloudsim" and os.path.exists(SEED_SQL):
        t = time.perf_counter()
        d.psql(open(SEED_SQL).read(), variables={
            "account_id": ctx.st["account_id"], "region": REGION2,
            "count": want})
        s["seconds"] += time.perf_counter() - t
        s["count"], s["how"] = want, "SQL (bench/seed/instances.sql)"
        if s["first"] is None:
            r = c.describe_instances(MaxResults=5)
            s["first"] = r["Reservations"][0]["Instances"][0]["InstanceId"]
        return s
    image = ctx.image(target, c)
    s["how"] = f"boto3 RunInstances × {SEED_BATCH}"
    while s["count"] < want:
        if s["seconds"] > SEED_BUDGET:
            s["stopped"] = s["count"]
            break
        t = time.perf_counter()
        r = c.run_instances(ImageId=image, InstanceType=INSTANCE_TYPE,
                            MinCount=SEED_BATCH, MaxCount=SEED_BATCH)
        s["seconds"] += time.perf_counter() - t
        s["count"] += len(r["Instances"])
        if s["first"] is None:
            s["first"] = r["Instances"][0]["InstanceId"]
    return s


def describe_point(ctx, target, want):
    """ms per DescribeInstances call: one id (want == 1) or a first page of
    100 instances with want instances present."""
    from botocore.exceptions import ClientError

    if target == "cloudsim" and not ctx.ec2_available():
        return rp.not_implemented()
    try:
        c = ctx.client(target, REGION2, fresh=True)
        c.describe_instances(MaxResults=5)      # the probe, before seeding
        s = seed_instances(ctx, target, max(want, SEED_BATCH))
        detail = ""
        if want == 1:
            def once():
                c.describe_instances(InstanceIds=[s["first"]])
                return 1
        else:
            # AWS pages by instance; moto by reservation.  Ask for 100,
            # and if a page holds more, ask for 100 / SEED_BATCH.
            r = c.describe_instances(MaxResults=100)
            n = sum(len(x["Instances"]) for x in r["Reservations"])
            page = 100 if n <= 100 else max(5, 100 // SEED_BATCH)
            if page != 100:
                r = c.describe_instances(MaxResults=page)
                n = sum(len(x["Instances"]) for x in r["Reservations"])
            detail = f"MaxResults={page} → {n} instances, "

            def once():
                c.describe_instances(MaxResults=page)
                return 1
        once()
        ms, calls, share = d.call_loop(once, DUR, MAX_CALLS,
                                       clock=ctx.clocks[(target, REGION2)])
    except ClientError as e:
        if d.boto_missing(e):
            return rp.not_implemented()
        return M(error=f"{e.response['Error'].get('Code')}")
    m = M(ms, "ms/call",
          detail=f"{detail}{calls} calls, HTTP {share * 100:.0f} %",
          share=share)
    if s["stopped"] is not None and s["count"] < want:
        m.partial = True
        m.detail = (f"only {s['count']:,} present: seeding {want:,} is too "
                    f"slow ({s['count']:,} in {s['seconds']:.0f} s); " +
                    m.detail)
    return m


def describe(want):
    def run(ctx, sc):
        c = guarded(lambda: describe_point(ctx, "cloudsim", want))
        m = guarded(lambda: describe_point(ctx, "moto", want))
        note = ""
        for target in ("cloudsim", "moto"):
            s = ctx.seeded.get(target)
            if s and s["count"] and want > 1:
                note += (f"{target} seeded by {s['how']}: {s['count']:,} in "
                         f"{s['seconds']:.1f} s. ")
        return [Row(sc.sid, sc.name, sc.client, c, m, sc.floor, note.strip())]
    return run


# --- section 3: one signed EC2 request replayed by wrk --------------------

def instance_in_region(ctx, target):
    """One running instance in REGION (made once), for DescribeInstances."""
    if target not in ctx.instance:
        c = ctx.client(target, REGION, fresh=True)
        r = c.run_instances(ImageId=ctx.image(target, c),
                            InstanceType=INSTANCE_TYPE, MinCount=1, MaxCount=1)
        ctx.instance[target] = r["Instances"][0]["InstanceId"]
    return ctx.instance[target]


def params_regions(ctx, target):
    return {"Action": "DescribeRegions", "Version": "2016-11-15"}


def params_one_instance(ctx, target):
    return {"Action": "DescribeInstances", "Version": "2016-11-15",
            "InstanceId.1": instance_in_region(ctx, target)}


def replay_point(ctx, sc, target, params_fn):
    from botocore.exceptions import ClientError

    if target == "cloudsim" and not ctx.ec2_available():
        return rp.not_implemented()
    try:
        params = params_fn(ctx, target)
    except ClientError as e:
        if d.boto_missing(e):
            return rp.not_implemented()
        raise
    base = ctx.base(target)
    path = os.path.join(T, f"{sc.sid}-{target}.req")
    h, body = d.signed_request_file(path, base, REGION, *ctx.keys(target),
                                    params)
    s, b = d.request(base, "POST", "/", body, h)
    if d.missing(s, b):
        return rp.not_implemented()
    if s != 200:
        return M(error=f"HTTP {s} {d.error_code(b)}")
    return wrk_m(d.wrk(base + "/", 8, DUR, request_file=path, timeout=30))


def ec2_replay(params_fn):
    def run(ctx, sc):
        c = guarded(lambda: replay_point(ctx, sc, "cloudsim", params_fn))
        m = guarded(lambda: replay_point(ctx, sc, "moto", params_fn))
        return [Row(sc.sid, sc.name, sc.client, c, m, sc.floor)]
    return run


# --- section 4: REST through wrk, and the write mix ----------------------

def path_instance(ctx):
    """The path, None (not implemented yet) or {"error": …}."""
    i = ctx.st.get("instances")
    if i is None or "error" in i:
        return i
    return f"/api/v1/instances/{i['id']}"


def path_instance_list(ctx):
    i = ctx.st.get("instances")
    if i is None or "error" in i:
        return i
    return "/api/v1/instances?page_size=50"


def path_chain(ctx):
    return f"/api/blockchains/{ctx.st['chain_id']}"


def path_chain_list(ctx):
    return "/api/blockchains?page=1&page_size=50"


def rest_read(path_fn, exe, floors=("FastCGI+PG",), note="", sized=False):
    """wrk at each of concs; the first run on exe after the restart is its
    cold start.  Each row is compared with floors at the same concurrency,
    the first named being the row's main floor; sized: the note says how
    big an answer is (the floors' answers are of the typical size)."""
    def run(ctx, sc, concs=CONCS):
        path = path_fn(ctx)
        rows = []
        for c in concs:
            size = ""
            if path is None:
                m = rp.not_implemented()
            elif isinstance(path, dict):
                m = M(error=path["error"])
            else:
                log(f"{sc.sid} {sc.name} c={c}")

                def point():
                    nonlocal size
                    r = d.wrk(CS + path, c, DUR, headers=ctx.auth)
                    ctx.cold.setdefault(exe, (r["lat_max_ms"], f"{sc.sid} c={c}"))
                    if sized and r["requests"]:
                        size = (f"; {r['bytes'] / r['requests']:,.0f} bytes"
                                " an answer with headers (the floors' body: "
                                f"{ctx.st['body_bytes']:,})")
                    return wrk_m(r)
                m = guarded(point)
            rows.append(Row(sc.sid, f"{sc.name}, c={c}", sc.client, m,
                            rp.no_equivalent(),
                            tuple(f"{f} c={c}" for f in floors), note + size))
        return rows
    return run


def create_body():
    """A valid create, as the My Chauffe web app sends it (its form
    object for dloid_params, a user UUID), at the lowest difficulty."""
    return {"first_name": "Ada", "last_name": "Bench", "name": CREATE_NAME,
            "user_uuid": "00000000-0000-0000-0000-00000000be7c",
            "difficulty": CREATE_DIFFICULTY,
            "dloid_params": {"firstName": "Ada", "lastName": "Bench",
                             "priorDloidQty": "0",
                             "chauffeQuantity": "0000100000",
                             "partnershipStatus": "L",
                             "collateralizable": "N", "inheritance": "Y",
                             "convertibility": "2", "rating": "000025000",
                             "shareEligible": "N", "redeemability": "P"}}


def create_statements(ctx, path):
    """What one create runs in PostgreSQL, from its statement log: (number
    of statements, number of COMMITs), once per run."""
    if "create_stmts" not in ctx.extra:
        with open(path) as f:
            body = f.read().split("\n\n", 1)[1].encode()
        stmts = statement_log(lambda: d.request(
            CS, "POST", "/api/blockchains", body,
            {"Content-Type": "application/json"}))
        ctx.extra["create_stmts"] = (
            len(stmts), sum(1 for q, _ in stmts
                            if q.strip().upper() == "COMMIT"))
    return ctx.extra["create_stmts"]


def delete_created():
    """Removes 4h's chains (their blocks go by cascade) so that the
    lists and the cost growth see the same rows as without 4h; returns
    how many there were."""
    n = d.psql(f"WITH x AS (DELETE FROM cloudsim.blockchains WHERE name = "
               f"'{CREATE_NAME}' RETURNING 1) SELECT count(*) FROM x;\n"
               "VACUUM ANALYZE cloudsim.blockchains, cloudsim.blocks;\n")
    return int(n.split()[0])


def write_floor(ctx, c):
    """pgbench -N at c sessions: the database alone paying one durable
    commit per transaction.  Measured right before the create it is the
    floor of, since commit latency is what moves most on a shared disk."""
    name = f"pgbench -N c={c}"
    log(f"floor {name} (-M prepared)")
    try:
        ctx.floors[name] = d.pgbench("bench_pgbench", c, DUR, "-N")
    except Exception as e:
        log(f"error: {e}")
        ctx.floors[name] = {"error": str(e)}


def chain_create(ctx, sc, concs=CONCS):
    """POST /api/blockchains with wrk (bench.lua replays a request file
    with the JSON body) at each of concs; compared with the static file
    and with pgbench -N (one durable commit per transaction, measured
    just before) at the same concurrency."""
    rows = []
    path = os.path.join(T, "4h.req")
    with open(path, "w") as f:
        f.write("POST\n/api/blockchains\nContent-Type: application/json\n\n"
                + json.dumps(create_body()))
    for c in concs:
        made = None

        def point():
            nonlocal made
            s, b = d.request(CS, "POST", "/api/blockchains", create_body())
            if d.missing(s, b):
                return rp.not_implemented()
            if s != 200:
                return M(error=f"HTTP {s} {d.error_code(b)}")
            create_statements(ctx, path)
            write_floor(ctx, c)
            log(f"{sc.sid} {sc.name} c={c}")
            try:
                r = d.wrk(CS + "/api/blockchains", c, DUR, request_file=path)
            finally:
                made = delete_created()
            return wrk_m(r)
        m = guarded(point)
        note = (f"difficulty {CREATE_DIFFICULTY} (the lowest allowed), so "
                "the proof of work is negligible")
        st = ctx.extra.get("create_stmts")
        if st:
            note += (f"; one create = {st[0]} statements in one transaction"
                     f", {st[1]} durable COMMIT (fsync on, synchronous_"
                     "commit on; PostgreSQL's statement log)")
        if made is not None:
            note += f"; {made:,} chains made, deleted afterwards"
        rows.append(Row(sc.sid, f"{sc.name}, c={c}", sc.client, m,
                        rp.no_equivalent(),
                        (f"static c={c}", f"pgbench -N c={c}"), note))
    return rows


def write_mix(ctx, sc):
    rows = []
    for c in (1, 8):
        v, i = ctx.st.get("volumes"), ctx.st.get("instances")
        if v is None or i is None:
            m = rp.not_implemented()
        elif v.get("error") or i.get("error"):
            m = M(error=v.get("error") or i.get("error"))
        else:
            log(f"{sc.sid} write mix c={c}")
            r = d.write_mix(CS, ctx.st["token"], i["id"],
                            i.get("zone") or "us-east-1a", c, DUR)
            m = M(r["rps"], "req/s",
                  detail=f"mean {rp.fmt(r['lat_mean_ms'])} ms",
                  error=f"{r['errors']} failed: {r['first_error']}"
                  if r["errors"] else None)
        rows.append(Row(sc.sid, f"{sc.name}, c={c}", sc.client, m,
                        rp.no_equivalent(), f"FastCGI+PG c={c}"))
    return rows


# --- the scenario table ---------------------------------------------------

class Scenario:
    def __init__(self, sid, name, client, cloudsim, moto, floor, run):
        self.sid, self.name, self.client = sid, name, client
        self.cloudsim, self.moto, self.floor, self.run = \
            cloudsim, moto, floor, run


BOTO = "boto3, 1 client"
WRK8 = "wrk, 8 conns"
WRKC = "wrk"
EC2 = "ec2.fcgi: POST / (SigV4)"
MOTO_SAME = "moto_server, same calls"

SCENARIOS = [
    Scenario("1a", "RunInstances(1) + TerminateInstances", BOTO, EC2,
             MOTO_SAME, "boto3 replay 1a", boto3_calls(op_run_terminate)),
    Scenario("1b", "CreateVolume + DeleteVolume", BOTO, EC2, MOTO_SAME,
             "boto3 replay 1b", boto3_calls(op_volume)),
    Scenario("1c", "CreateVpc + CreateSubnet", BOTO, EC2, MOTO_SAME,
             "boto3 replay 1c", boto3_calls(op_vpc_subnet)),
    Scenario("1d", "DescribeInstances (no filter, 1 instance)", BOTO, EC2,
             MOTO_SAME, "boto3 replay 1d", boto3_calls(op_describe_all)),
    Scenario("2a", "DescribeInstances, one id", BOTO, EC2, MOTO_SAME,
             "FastCGI+PG c=1", describe(1)),
    Scenario("2b", "DescribeInstances, page of 100, 200 present", BOTO, EC2,
             MOTO_SAME, "FastCGI+PG c=1", describe(200)),
    Scenario("2c", "DescribeInstances, page of 100, 10,000 present", BOTO,
             EC2, MOTO_SAME, "FastCGI+PG c=1", describe(10000)),
    Scenario("3a", "DescribeRegions, one signed request replayed", WRK8, EC2,
             "moto_server, same request", "FastCGI+PG c=8",
             ec2_replay(params_regions)),
    Scenario("3b", "DescribeInstances one id, one signed request replayed",
             WRK8, EC2, "moto_server, same request", "FastCGI+PG c=8",
             ec2_replay(params_one_instance)),
    Scenario("4a", "GET /api/v1/instances/{id}", WRKC, "instances.fcgi",
             "none", "FastCGI+PG", rest_read(path_instance, "instances.fcgi")),
    Scenario("4b", "GET /api/v1/instances?page_size=50", WRKC,
             "instances.fcgi", "none", "FastCGI+PG",
             rest_read(path_instance_list, "instances.fcgi")),
    Scenario("4c", "GET /api/blockchains/{id}", WRKC, "blockchains.fcgi",
             "none", "static; FastCGI+PG",
             rest_read(path_chain, "blockchains.fcgi",
                       ("static", "FastCGI+PG"))),
    Scenario("4g", "GET /api/blockchains?page=1&page_size=50", WRKC,
             "blockchains.fcgi", "none", "static; FastCGI+PG",
             rest_read(path_chain_list, "blockchains.fcgi",
                       ("static", "FastCGI+PG"),
                       f"{LIST_CHAINS:,} chains present (seeded by SQL in "
                       "setup); the same first 50 every time", sized=True)),
    Scenario("4h", f"POST /api/blockchains (difficulty {CREATE_DIFFICULTY})",
             "wrk, POST with a JSON body", "blockchains.fcgi", "none",
             "static; pgbench -N", chain_create),
    Scenario("4d", "GET /api/v1/auth/me (Bearer JWT)", WRKC, "auth.fcgi",
             "none", "FastCGI+PG",
             rest_read(lambda ctx: "/api/v1/auth/me", "auth.fcgi")),
    Scenario("4e", "GET /health/vpcs (SELECT 1)", WRKC, "vpcs.fcgi", "none",
             "FastCGI+PG", rest_read(lambda ctx: "/health/vpcs", "vpcs.fcgi")),
    Scenario("4f", "write mix: POST volume, attach, detach, DELETE",
             "Python driver, 1 conn per thread", "volumes.fcgi", "none",
             "FastCGI+PG", write_mix),
]

# "rest" is 4a–4e, 4g and 4h interleaved with the floors, one
# concurrency at a time (floors at c, then every one of them at c), so
# that a figure and its floor are measured minutes apart at most on a
# noisy machine.  It comes first: its first wrk run on each executable is
# that executable's cold start (4c's for blockchains.fcgi).  4h deletes
# what it made after each point, so the lists after it see the same rows.
# 1d before 1a: DescribeInstances sees the one instance 3b made, not the
# ones 1a terminates.
REST = ["4c", "4g", "4h", "4d", "4e", "4a", "4b"]
RUN_ORDER = ["rest", "4f", "3a", "3b", "1d", "1a", "1b", "1c", "2a", "2b",
             "2c"]


def selected(part):
    """Whether BENCH_ONLY (empty: everything) asks for this scenario id or
    part ("memory", "cost", "startup")."""
    return not ONLY or part in ONLY


# --- floors ---------------------------------------------------------------

def measure_floors(ctx, concs, extra=False):
    """The floors at each of concs (at 8 also the static file through the
    floors' lighttpd); with extra, pgbench -S.  pgbench -N, 4h's floor,
    is measured by 4h itself, right before each of its points."""
    size = ctx.st["body_bytes"]
    body = ('{"floor":"' + "x" * max(0, size - 13) + '"}\n').encode()
    for htdocs in (os.path.join(T, "run", "htdocs", "static"),
                   os.path.join(T, "floor", "htdocs", "static")):
        with open(os.path.join(htdocs, "body.json"), "wb") as f:
            f.write(body)
    points = []
    for c in concs:
        points.append((f"static c={c}", CS, "/static/body.json", c))
        if c == 8:      # right after it: the two lighttpds are alike
            points.append(("static, floors' lighttpd c=8", FLOOR,
                           "/static/body.json", 8))
        points += [(f"FastCGI c={c}", FLOOR, "/floor/trivial", c),
                   (f"FastCGI+PG c={c}", FLOOR, "/floor/pk", c)]
    for name, base, path, c in points:
        log(f"floor {name}")
        try:
            s, b = d.request(base, "GET", path)
            if s != 200:
                raise RuntimeError(f"the floor answers HTTP {s}: {b[:80]!r}")
            r = d.wrk(base + path, c, DUR)
            if r["errors"]:
                r["error"] = f"{r['errors']} failed requests"
            ctx.floors[name] = r
        except Exception as e:
            log(f"error: {e}")
            ctx.floors[name] = {"error": str(e)}
    if extra:
        log("floor pgbench -S -M prepared c=8")
        try:
            ctx.floors["pgbench -S c=8"] = d.pgbench("bench_pgbench", 8, DUR)
        except Exception as e:
            ctx.floors["pgbench -S c=8"] = {"error": str(e)}


# --- memory ---------------------------------------------------------------

def lighttpd_pid():
    with open(os.path.join(T, "run", "lighttpd.pid")) as f:
        return int(f.read().strip())


def memory_snapshot():
    snap = d.fcgi_memory(lighttpd_pid())
    moto = d.memory(int(ENV["BENCH_MOTO_PID"]))
    if moto:
        snap["moto_server"] = [(int(ENV["BENCH_MOTO_PID"]),) + moto]
    return snap


def memory_growth(ctx):
    """RSS of auth.fcgi's processes after GROWTH[0] and GROWTH[1] requests
    of GET /api/v1/auth/me (JWT verification + one query)."""
    warm, total = GROWTH
    log(f"memory: {total:,} requests of GET /api/v1/auth/me")
    bound = 60 if QUICK else 300
    url = CS + "/api/v1/auth/me"
    r1 = d.wrk(url, 8, bound, headers=ctx.auth, limit=warm)
    a = {p[0]: p[1] for p in d.fcgi_memory(lighttpd_pid()).get("auth.fcgi", [])}
    r2 = d.wrk(url, 8, bound, headers=ctx.auth, limit=total - warm)
    b = {p[0]: p[1] for p in d.fcgi_memory(lighttpd_pid()).get("auth.fcgi", [])}
    ctx.extra["growth"] = {
        "first": r1["requests"], "total": r1["requests"] + r2["requests"],
        "errors": r1["errors"] + r2["errors"],
        "procs": [(pid, a[pid], b.get(pid)) for pid in sorted(a)],
    }


# --- cost growth ----------------------------------------------------------

SEED_CHAINS = """
INSERT INTO cloudsim.blockchains (id, user_uuid, name, first_name, last_name,
    existing_licenses, controller_name, controller_role, difficulty,
    dloid_params, genesis_hash, created_at)
SELECT gen_random_uuid(),
       CASE WHEN i % 3 = 0 THEN gen_random_uuid() END,
       'Bench chain ' || i, 'Bench', 'Chain' || i, 0,
       'bchain' || i || '-001', 'manager', 1,
       '0000100000LNY2000025000NP',
       '0' || substr(md5(i::text) || md5('g' || i::text), 1, 63),
       timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
FROM generate_series(:lo, :hi) AS i;
INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
    nonce, data, hash)
SELECT c.id, 0,
       to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       repeat('0', 64), 0, '{"type":"genesis"}', c.genesis_hash
FROM cloudsim.blockchains c
WHERE c.name LIKE 'Bench chain %'
  AND NOT EXISTS (SELECT 1 FROM cloudsim.blocks b WHERE b.blockchain_id = c.id);
ANALYZE cloudsim.blockchains;
ANALYZE cloudsim.blocks;
SELECT count(*) FROM cloudsim.blockchains;
"""

def full_list_ms(path, seconds, headers):
    """Median ms of the unpaged v1 list (what v1 clients ask), and MB."""
    times, size = [], 0
    t0 = time.perf_counter()
    while len(times) < 5 and (not times or time.perf_counter() - t0 < seconds):
        t = time.perf_counter()
        s, b = d.request(CS, "GET", path, None, headers, timeout=300)
        times.append((time.perf_counter() - t) * 1000)
        if s != 200:
            raise RuntimeError(f"GET {path}: HTTP {s}")
        size = len(b)
    return statistics.median(times), size / 1e6


def statement_log(fn):
    """The statements the server executed while fn() ran, with their
    parameters, from PostgreSQL's own log: statement logging is switched
    on (ALTER SYSTEM + reload, which running sessions pick up) only around
    fn.  Returns [(sql, [literal…])]."""
    log_path = os.path.join(T, "pg.log")
    start = os.path.getsize(log_path)
    d.psql("ALTER SYSTEM SET log_min_duration_statement = 0;\n"
           "SELECT pg_reload_conf();\n")
    time.sleep(0.5)
    try:
        fn()
    finally:
        d.psql("ALTER SYSTEM RESET log_min_duration_statement;\n"
               "SELECT pg_reload_conf();\n")
    with open(log_path, errors="replace") as f:
        f.seek(start)
        lines = f.read().splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.search(r"LOG:  duration: [0-9.]+ ms  execute [^:]*: (.*)$", line)
        if not m:
            continue
        params = []
        if i + 1 < len(lines) and "DETAIL:  parameters:" in lines[i + 1]:
            params = re.findall(r"\$\d+ = (NULL|'(?:[^']|'')*')", lines[i + 1])
        out.append((m.group(1), params))
    return out


def capture_statements(requests, table):
    """The statements the server ran on table for requests ([(path,
    headers)]), with their parameters (statement_log)."""
    def run():
        for path, headers in requests:
            d.request(CS, "GET", path, None, headers, timeout=300)
    return [(q, p) for q, p in statement_log(run)
            if re.search(rf"FROM cloudsim\.(v_)?{table}\b", q)]


def explain(statements):
    """EXPLAIN (ANALYZE, BUFFERS) of each captured statement with its
    parameters; for the first one also with a generic plan."""
    text = []
    for n, (sql, params) in enumerate(statements):
        args = f"({', '.join(params)})" if params else ""
        modes = [("custom plan", "")]
        if n == 0:
            modes.append(("generic plan (what a long-lived process may "
                          "settle on after five executions)",
                          "SET plan_cache_mode = force_generic_plan;\n"))
        for label, mode in modes:
            text.append(f"-- parameters {args or '(none)'}, {label}")
            text.append(d.psql(
                f"PREPARE bench_q AS {sql};\n{mode}"
                f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_q{args};\n"
            ).rstrip())
    return "\n".join(text)


def seed_chains(ctx, have, n):
    """Blockchains numbered have+1 … n (direct SQL)."""
    if n > have:
        d.psql(SEED_CHAINS, variables={"lo": have + 1, "hi": n})


def seed_instances_sql(ctx, have, n):
    d.psql(open(SEED_SQL).read(), variables={
        "account_id": ctx.st["account_id"], "region": COST_REGION,
        "count": n})


class CostSubject:
    """A list whose latency is measured at COST_SIZES rows: its table, how
    to seed it, its path, whether it has a v1 unpaged form, its headers."""

    def __init__(self, name, seed, path, unpaged, headers):
        self.name, self.seed, self.path = name, seed, path
        self.unpaged, self.headers = unpaged, headers


COST_REGION = "us-east-2"           # instances' cost growth: its own region
COST_SUBJECTS = [
    CostSubject("blockchains", seed_chains, "/api/blockchains", True,
                lambda ctx: {}),
    CostSubject("instances", seed_instances_sql, "/api/v1/instances", False,
                lambda ctx: dict(ctx.auth, **{"X-Region": COST_REGION})),
]


def cost_available(ctx, sub):
    """None when measurable, else why not."""
    if sub.name != "instances":
        return None
    i = ctx.st.get("instances")
    if i is None:
        return rp.NA
    if "error" in i:
        return f"error: {i['error']}"
    if not os.path.exists(SEED_SQL):
        return "n/a (bench/seed/instances.sql not written yet)"
    return None


def di_first_page(ctx):
    """wrk at one connection replaying one signed DescribeInstances with
    no filter and MaxResults=50 in COST_REGION: the EC2 form of the
    first page, the same statement as the REST list's."""
    path = os.path.join(T, "cost-describe-instances.req")
    h, body = d.signed_request_file(path, CS, COST_REGION,
                                    *ctx.keys("cloudsim"),
                                    {"Action": "DescribeInstances",
                                     "Version": "2016-11-15",
                                     "MaxResults": "50"})
    s, b = d.request(CS, "POST", "/", body, h)
    if s != 200:
        raise RuntimeError(f"DescribeInstances: HTTP {s} {d.error_code(b)}")
    return d.wrk(CS + "/", 1, COST_DUR, request_file=path)


def cost_growth(ctx):
    out = {}
    for sub in COST_SUBJECTS:
        why = cost_available(ctx, sub)
        if why:
            out[sub.name] = {"na": why}
            continue
        res = out[sub.name] = {"points": [], "explain": ""}
        try:
            headers = sub.headers(ctx)
            have = 0
            if sub.name == "blockchains":
                have = int(d.psql("SELECT count(*) FROM cloudsim.blockchains;"))
            for n in COST_SIZES:
                log(f"cost growth: {n:,} {sub.name}")
                t = time.perf_counter()
                seed_s = None           # None: there already (setup, 4g)
                if have < n:
                    sub.seed(ctx, have, n)
                    have = n
                    seed_s = time.perf_counter() - t
                first = d.wrk(CS + f"{sub.path}?page=1&page_size=50", 1,
                              COST_DUR, headers=headers)
                last = d.wrk(CS + f"{sub.path}?page={n // 50}&page_size=50",
                             1, COST_DUR, headers=headers)
                p = {"n": n, "seed_s": seed_s, "first": first, "last": last}
                if sub.name == "instances" and ctx.ec2_available():
                    p["ec2_first"] = di_first_page(ctx)
                if sub.unpaged:
                    p["full_ms"], p["full_mb"] = full_list_ms(
                        sub.path, COST_DUR, headers)
                res["points"].append(p)
            wanted = [(f"{sub.path}?page=1&page_size=50", headers)]
            if sub.unpaged:
                wanted.append((sub.path, headers))
            res["explain"] = explain(capture_statements(wanted, sub.name))
        except Exception as e:
            log(f"error in cost growth of {sub.name}: {e}")
            res["error"] = str(e).splitlines()[0][:200]
    ctx.extra["cost"] = out


# --- start-up -------------------------------------------------------------

def startup(ctx):
    env = {k: v for k, v in ENV.items()
           if k in ("PATH", "DATA_DIRECTORY", "CLOUDSIM_CONF", "LOG_LEVEL",
                    "CLOUDSIM_DB") or k.startswith("CLOUDSIM_QUOTA")}
    out = {}
    for svc in SERVICES:
        log(f"start-up: {svc}.fcgi as CGI × {STARTUP_RUNS}")
        try:
            out[svc] = d.cgi_startup(os.path.join(CGI, f"{svc}.fcgi"), svc,
                                     env, STARTUP_RUNS)
        except Exception as e:
            out[svc] = str(e)
    ctx.extra["startup"] = out


# --- measure phase --------------------------------------------------------

def measure():
    ctx = Ctx()
    started = time.time()
    load0 = os.getloadavg()
    ctx.extra["idle"] = memory_snapshot()
    by_id = {s.sid: s for s in SCENARIOS}
    rows = {}

    def run(sc, **kw):
        log(f"{sc.sid} {sc.name}")
        try:
            return sc.run(ctx, sc, **kw)
        except Exception as e:  # a broken scenario is a line, not the end
            log(f"error: {e}")
            return [Row(sc.sid, sc.name, sc.client,
                        M(error=str(e).splitlines()[0][:160]),
                        M(error="not run"), sc.floor)]

    for sid in RUN_ORDER:
        if sid == "rest":
            # Every floor, even when BENCH_ONLY selects none of these:
            # the other scenarios and the cost growth refer to them.
            for c in CONCS:
                measure_floors(ctx, (c,))
                for rid in REST:
                    if selected(rid):
                        rows.setdefault(rid, []).extend(run(by_id[rid],
                                                            concs=(c,)))
            measure_floors(ctx, (), extra=True)
        elif selected(sid):
            rows[sid] = run(by_id[sid])
    ctx.rows = [r for s in SCENARIOS for r in rows.get(s.sid, [])]
    for part, fn in (("memory", memory_growth), ("cost", cost_growth),
                     ("startup", startup)):
        try:
            if selected(part):
                fn(ctx)
            else:
                ctx.notes.append(f"{fn.__name__}: not run (BENCH_ONLY="
                                 f"{','.join(sorted(ONLY))})")
        except Exception as e:
            log(f"error in {fn.__name__}: {e}")
            ctx.notes.append(f"{fn.__name__} failed: {e}")
        if fn is memory_growth:
            ctx.extra["after"] = memory_snapshot()
    ctx.extra["end"] = memory_snapshot()
    try:
        ctx.extra["library_floor"] = d.library_floor(
            os.path.join(T, "floor", "libraries"), "bench_pgbench")
    except Exception as e:
        ctx.extra["library_floor"] = {"error": str(e)}
    ctx.extra["elapsed"] = time.time() - started
    ctx.extra["load"] = (load0, os.getloadavg())
    import results
    results.write(ctx, SCENARIOS, DUR, QUICK, STARTUP_RUNS, sorted(ONLY))


def main():
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    phase = sys.argv[1] if len(sys.argv) > 1 else ""
    unknown = ONLY - {s.sid for s in SCENARIOS} - set(PARTS)
    if unknown:
        sys.exit(f"bench: BENCH_ONLY names {', '.join(sorted(unknown))}; "
                 "it takes scenario ids (" +
                 ", ".join(s.sid for s in SCENARIOS) + ") and " +
                 ", ".join(PARTS))
    if phase == "setup":
        setup()
    elif phase == "measure":
        measure()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
