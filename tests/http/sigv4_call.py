#!/usr/bin/python3
"""Send one request signed by botocore's SigV4 signer, as AWS SDKs do.

usage: sigv4_call.py METHOD URL ACCESS_KEY SECRET [BODY] [--tamper]
Prints the status code, a space, and the response body.  With --tamper
the body (or the path) is changed after signing, so the signature must
no longer match.
"""
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    args = [a for a in sys.argv[1:] if a != "--tamper"]
    tamper = "--tamper" in sys.argv
    method, url, akid, secret = args[:4]
    body = args[4].encode() if len(args) > 4 else b""
    headers = {"Content-Type": "application/json"} if body else {}
    req = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(Credentials(akid, secret), "ec2", "us-east-1").add_auth(req)
    if tamper:
        if body:
            body = body + b" "
        else:
            url = url + "?tampered=1"
    out = urllib.request.Request(url, data=body or None, method=method,
                                 headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(out, timeout=10) as r:
            print(r.status, r.read().decode())
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode())


if __name__ == "__main__":
    main()
