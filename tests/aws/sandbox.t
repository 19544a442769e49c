#!/usr/bin/python3
"""Sandbox mode (auth_mode = sandbox), against the second server make
check starts at $CLOUDSIM_SANDBOX_URL; and reset refused in strict mode."""
import json
import os
import sys
import urllib.error
import urllib.request

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import URL, done, eq, error_code, ok  # noqa: E402

SANDBOX = os.environ.get("CLOUDSIM_SANDBOX_URL")


def client(service="ec2", key="AKIAANYTHINGATALL123", secret="anything", url=SANDBOX):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def post(url):
    req = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


if not SANDBOX:
    print("1..0 # SKIP no sandbox server (run through make check)")
    sys.exit(0)

who = client("sts").get_caller_identity()
eq(who["Account"], "123456789012", "any key maps to the sandbox account")
eq(client("sts", key="AKIADIFFERENTKEY0000", secret="x").get_caller_identity()["Account"],
   "123456789012", "a different made-up key too")
ok(len(client().describe_regions()["Regions"]) > 20, "EC2 calls work with made-up credentials")

req = urllib.request.Request(SANDBOX + "/", data=b"Action=DescribeRegions&Version=2016-11-15",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
try:
    urllib.request.urlopen(req, timeout=10)
    status, body = 200, ""
except urllib.error.HTTPError as e:
    status, body = e.code, e.read().decode()
eq(status, 401, "an unsigned request is still refused in sandbox mode")
ok("<Code>AuthFailure</Code>" in body, "with EC2's AuthFailure", body)

status, body = post(SANDBOX + "/api/v1/admin/reset")
eq(status, 200, "POST /api/v1/admin/reset answers 200 in sandbox mode")
eq(body.get("account_id"), "123456789012", "and names the account")
status, body = post(SANDBOX + "/moto-api/reset")
eq(status, 200, "moto's /moto-api/reset works too")
eq(client("sts").get_caller_identity()["Account"], "123456789012", "the account is back after reset")

status, body = post(URL + "/api/v1/admin/reset")
eq(status, 403, "reset is 403 on the strict server")
eq(body["error"]["code"], "UnauthorizedOperation", "with UnauthorizedOperation")
status, body = post(URL + "/moto-api/reset")
eq(status, 403, "so is /moto-api/reset")
eq(error_code(client(url=URL).describe_regions), "AuthFailure",
   "made-up credentials fail on the strict server")
done()
