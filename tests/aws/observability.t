#!/usr/bin/python3
"""What an operator sees of EC2 Query calls: the audit trail records the
status the client got (200 for every EC2 success, even a creation the
REST front answers 201), and the log line and the Prometheus metrics
name the action (route "/?Action=<Action>")."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import URL, Identity, done, eq, ok  # noqa: E402

PGHOST = os.environ.get("CLOUDSIM_PGHOST")
PGUSER = os.environ.get("CLOUDSIM_PGUSER")
LOG = os.environ.get("CLOUDSIM_LOG")


def sql(query, *args):
    """One value from the cluster make check runs, as its owner."""
    cmd = ["psql", "-X", "-A", "-t", "-h", PGHOST, "-p", "5432", "-U",
           PGUSER, "-d", "cloudsim"]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", PGUSER, "--"] + cmd
    for i, a in enumerate(args, 1):
        cmd += ["-v", "p%d=%s" % (i, a)]
    p = subprocess.run(cmd, input=query, capture_output=True, text=True,
                       timeout=30)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return p.stdout.strip()


if not PGHOST or not PGUSER:
    print("1..0 # SKIP needs the cluster of make check (CLOUDSIM_PGHOST)")
    sys.exit(0)

me = Identity()
ec2 = me.client()
vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)
request_id = vol["ResponseMetadata"]["RequestId"]
eq(vol["ResponseMetadata"]["HTTPStatusCode"], 200, "CreateVolume answers 200")
row = sql("SELECT action || ' ' || status || ' ' || array_to_string(resource_ids, ',')"
          " FROM cloudsim.audit_log WHERE request_id = :'p1'", request_id)
eq(row, "CreateVolume 200 " + vol["VolumeId"],
   "its audit row records the creation with the status the client got")
ec2.delete_volume(VolumeId=vol["VolumeId"])
eq(sql("SELECT count(*) FROM cloudsim.audit_log WHERE account_id = :'p1'"
       " AND service = 'ec2' AND status <> 200 AND error_code IS NULL",
       me.account_id), "0", "no successful EC2 call of the account is audited as non-200")

status = None
try:
    ec2.delete_volume(VolumeId=vol["VolumeId"])
except Exception as e:
    status = e.response["ResponseMetadata"]["HTTPStatusCode"]
eq(status, 400, "EC2 answers a NotFound error 400, as EC2 does (REST says 404)")
eq(sql("SELECT status || ' ' || error_code FROM cloudsim.audit_log"
       " WHERE account_id = :'p1' AND action = 'DeleteVolume' AND error_code IS NOT NULL",
       me.account_id), "400 InvalidVolume.NotFound",
   "a failed call is audited with EC2's status and code")

if LOG and os.path.exists(LOG):
    line = ""
    for _ in range(50):
        with open(LOG, errors="replace") as f:
            line = next((l for l in f if request_id in l), "")
        if line:
            break
        time.sleep(0.1)
    ok('"route":"/?Action=CreateVolume"' in line,
       "the log line of the call names its action", line)
else:
    ok(True, "# SKIP no log file to read (CLOUDSIM_LOG)")

ec2.describe_regions()
try:
    urllib.request.urlopen(urllib.request.Request(
        URL + "/", data=b"Action=NoSuchThing&Version=2016-11-15",
        headers={"Content-Type": "application/x-www-form-urlencoded"}), timeout=10)
except urllib.error.HTTPError as e:
    eq(e.code, 400, "an unknown action is 400 InvalidAction")
with urllib.request.urlopen(URL + "/metrics", timeout=10) as r:
    metrics = r.read().decode()
ok('route="/?Action=DescribeRegions"' in metrics,
   "the metrics count EC2 calls by action")
ok('route="/?Action=CreateVolume"' in metrics and 'status="200"' in metrics,
   "creations included, with status 200")
ok('route="/?Action=NoSuchThing"' not in metrics,
   "unknown actions are not labels (bounded cardinality)")
done()
