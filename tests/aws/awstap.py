"""TAP for the AWS-client tests, and a fresh cloudsim identity to drive.

The tests run Debian's boto3 and aws-cli against ec2.fcgi through the
real web server at $CLOUDSIM_URL, as a user would: register, log in,
create an access key, then point the clients at the endpoint.
"""
import json
import os
import random
import subprocess
import sys
import time
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

URL = os.environ.get("CLOUDSIM_URL", "http://127.0.0.1:5000")
_n = 0
_failed = 0


def ok(cond, name, diag=None):
    global _n, _failed
    _n += 1
    if not cond:
        _failed += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (_n, name), flush=True)
    if not cond and diag is not None:
        for line in str(diag).splitlines():
            print("#   " + line)
    return cond


def eq(got, want, name):
    return ok(got == want, name, "got %r, want %r" % (got, want))


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)


def error_code(fn, *args, **kwargs):
    """The AWS error code fn raises, or None when it succeeds."""
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def _post(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(URL + path, data=json.dumps(body).encode(),
                                 headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


class Identity:
    """A registered user with an access key."""

    def __init__(self):
        email = "aws.%d.%d.%d@example.com" % (time.time(), os.getpid(),
                                             random.randrange(10 ** 6))
        password = "aws client tests pw"
        self.user = _post("/api/v1/auth/register",
                          {"email": email, "password": password,
                           "name": "aws-tests"})
        self.account_id = self.user["account_id"]
        self.token = _post("/api/v1/auth/login",
                           {"email": email, "password": password})["access_token"]
        key = _post("/api/v1/auth/access-keys", {}, self.token)
        self.access_key = key["access_key_id"]
        self.secret = key["secret_access_key"]

    def client(self, service="ec2", region="us-east-1"):
        return boto3.client(
            service, endpoint_url=URL, region_name=region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret,
            config=botocore.config.Config(retries={"max_attempts": 1}))

    def cli(self, *args, region="us-east-1"):
        """Run aws-cli; (exit code, parsed JSON or stderr text)."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.access_key,
                   AWS_SECRET_ACCESS_KEY=self.secret,
                   AWS_DEFAULT_REGION=region, AWS_PAGER="",
                   AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        p = subprocess.run(["/usr/bin/aws", "--endpoint-url", URL,
                            "--output", "json"] + list(args),
                           capture_output=True, text=True, env=env)
        if p.returncode == 0:
            return 0, json.loads(p.stdout) if p.stdout.strip() else {}
        return p.returncode, p.stderr
