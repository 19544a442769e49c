#!/usr/bin/env bash
# How an executable ends a FastCGI connection (src/core/fcgi_finish.h),
# talking FastCGI straight to vpcs.fcgi's socket under lighttpd:
# - once it has read all of a request's input, it closes the connection
#   at once (a write of ours then finds no reader), for a GET and for a
#   POST with a body;
# - input it refused unread (a body over max_body_bytes) is still
#   answered whole, with its 413 and the end of the request, and the
#   connection is closed libfcgi's careful way (the executable keeps
#   reading until the web server closes its side, for two seconds at
#   most): it is still open right after the answer.
# Run by make check (needs CLOUDSIM_PGHOST: lighttpd's sockets are there).
set -u
sock=$(ls "$CLOUDSIM_PGHOST"/vpcs.sock-* 2>/dev/null | head -1)
if [ -z "$sock" ]; then
	echo "not ok 1 - vpcs.fcgi's FastCGI socket is under $CLOUDSIM_PGHOST"
	echo "1..1"
	exit 0
fi
exec python3 - "$sock" <<'PY'
import errno, socket, struct, sys

path = sys.argv[1]
n = 0


def ok(cond, name, got=None):
    global n
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {name}")
    if not cond and got is not None:
        print(f"#   got {got!r}")


def record(kind, body=b"", rid=1):
    return struct.pack("!BBHHBB", 1, kind, rid, len(body), 0, 0) + body


def pair(k, v):
    k, v = k.encode(), v.encode()
    ln = lambda s: (struct.pack("!B", len(s)) if len(s) < 128
                    else struct.pack("!I", len(s) | 0x80000000))
    return ln(k) + ln(v) + k + v


def begin(method, uri, length, ctype=None):
    env = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": method,
           "REQUEST_URI": uri, "SCRIPT_NAME": "", "PATH_INFO": uri,
           "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
           "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(length)}
    if ctype:
        env["CONTENT_TYPE"] = ctype
    params = b"".join(pair(k, v) for k, v in env.items())
    return (record(1, struct.pack("!HB5x", 1, 0)) + record(4, params) +
            record(4))


def stdin_records(body):
    out = b""
    for i in range(0, len(body), 65535):
        out += record(5, body[i:i + 65535])
    return out


def answer(s):
    """Reads records to EOF: (stdout bytes, whether FCGI_END_REQUEST came)."""
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    out, ended, i = b"", False, 0
    while i + 8 <= len(data):
        _, kind, _, clen, plen, _ = struct.unpack("!BBHHBB", data[i:i + 8])
        if kind == 6:
            out += data[i + 8:i + 8 + clen]
        elif kind == 3:
            ended = True
        i += 8 + clen + plen
    return out, ended


def closed_by_peer(s):
    """True when the other end has closed the connection entirely."""
    try:
        s.send(b"x")
        s.send(b"x")
        return False
    except OSError as e:
        return e.errno in (errno.EPIPE, errno.ECONNRESET)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


# A GET: no body, the input ends with the empty stdin record.
s = connect()
s.sendall(begin("GET", "/health/vpcs", 0) + record(5))
out, ended = answer(s)
ok(out.startswith(b"Status: 200") and b'"healthy"' in out and ended,
   "GET /health/vpcs over FastCGI: 200, and the request's end", out[:80])
ok(closed_by_peer(s), "after a GET, the executable has closed the connection")
s.close()

# A POST whose body it reads (a JSON body to a route that takes none is
# still read: the body is read before routing).
body = b'{"name": "fastcgi close"}'
s = connect()
s.sendall(begin("POST", "/health/vpcs", len(body), "application/json") +
          stdin_records(body) + record(5))
out, ended = answer(s)
ok(out.startswith(b"Status: ") and ended,
   "POST with a body over FastCGI: an answer and the request's end", out[:80])
ok(closed_by_peer(s),
   "after a POST whose body it read, the executable has closed the connection")
s.close()

# A body over max_body_bytes (1 MiB) that it refuses unread: 1.5 MiB of
# input, more than the 64 KiB it reads before giving up.
big = 1536 * 1024
s = connect()
s.sendall(begin("POST", "/api/v1/vpcs", big, "application/json"))
try:
    s.sendall(stdin_records(b" " * big) + record(5))
except OSError as e:
    ok(False, "the oversized body can be sent", e)
out, ended = answer(s)
ok(out.startswith(b"Status: 413") and b"RequestEntityTooLarge" in out and ended,
   "a body over the limit is answered 413 in full, with the request's end",
   out[:120])
ok(not closed_by_peer(s), "input left unread keeps libfcgi's careful close: "
   "the executable still reads the connection after answering")
s.close()
print(f"1..{n}")
PY
