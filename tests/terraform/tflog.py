"""The EC2 calls in a terraform debug log (TF_LOG=DEBUG, TF_LOG_PATH).

The AWS provider logs every request it sends and every answer it gets,
with the SDK's attempt counter (amz-sdk-request: attempt=N) and the id
of the terraform operation it serves (tf_req_id).  From them the test
tells whether cloudsim made the provider retry or poll again.
"""
import re
from datetime import datetime

_ENTRY = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+Z) \[(\w+)\]\s+(.*)$")


def _entries(path):
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            m = _ENTRY.match(line)
            if m:
                if cur:
                    yield cur
                cur = [m.group(1), m.group(3) + "\n"]
            elif cur is not None:
                cur[1] += line
    if cur:
        yield cur


def _attr(text, name):
    m = re.search(r"(?:^|\s)" + re.escape(name) + r'=("(?:[^"\\]|\\.)*"|\S+)',
                  text)
    if not m:
        return None
    v = m.group(1)
    return v[1:-1] if v.startswith('"') else v


def _body(text, name):
    m = re.search(re.escape(name) + r"=\n((?:  \| .*\n)+)", text)
    if not m:
        return ""
    return "".join(line[4:] + "\n" for line in m.group(1).splitlines())


class Call:
    """One request and, once seen, its answer."""

    def __init__(self, at, method, attempt, body, req_id):
        self.at, self.method, self.attempt = at, method, attempt
        self.body, self.req_id = body, req_id
        self.status, self.answer, self.code = None, "", None

    def __repr__(self):
        return "%s %s %s %s" % (self.at.strftime("%H:%M:%S.%f")[:-3],
                                self.method, self.status, self.code or "")


def calls(path):
    """Every EC2/STS call of the log in order, answers matched by
    operation and method (the provider runs operations in parallel)."""
    out, open_calls = [], []
    for ts, text in _entries(path):
        at = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ")
        if "HTTP Request Sent" in text:
            attempt = _attr(text, "http.request.header.amz_sdk_request") or ""
            m = re.search(r"attempt=(\d+)", attempt)
            c = Call(at, _attr(text, "rpc.method"),
                     int(m.group(1)) if m else 1,
                     _body(text, "http.request.body").strip(),
                     _attr(text, "tf_req_id"))
            out.append(c)
            open_calls.append(c)
        elif "HTTP Response Received" in text:
            method, req = _attr(text, "rpc.method"), _attr(text, "tf_req_id")
            for c in open_calls:
                if c.method == method and c.req_id == req:
                    open_calls.remove(c)
                    c.status = int(_attr(text, "http.status_code") or 0)
                    c.answer = _body(text, "http.response.body")
                    m = re.search(r"<Code>([^<]*)</Code>", c.answer)
                    c.code = m.group(1) if m else None
                    break
    return out


# What an EC2 resource says while it is still on its way somewhere.
_TRANSIENT = re.compile(
    r"<(state|status|name)>(pending|creating|attaching|detaching|deleting|"
    r"shutting-down|stopping|associating|disassociating)</")


def transient(all_calls):
    """Describe answers that show a resource still changing: a waiter
    that reads one has to look again."""
    return [c for c in all_calls if c.method and
            c.method.startswith("Describe") and _TRANSIENT.search(c.answer)]


def repolls(all_calls, low=2.5, high=9.5):
    """Calls that repeat an earlier identical call of the same operation
    after a waiter's pause between polls (3 s, doubling): the earlier
    answer was not yet what the waiter waited for.  (The provider's
    fixed 10 s wait before a waiter's first look is not such a pause.)"""
    seen, out = {}, []
    for c in all_calls:
        key = (c.req_id, c.method, c.body)
        prev = seen.get(key)
        if prev is not None and prev.status == 200 and \
                low <= (c.at - prev.at).total_seconds() < high:
            out.append((prev, c))
        seen[key] = c
    return out
