#!/usr/bin/env python3
"""Bad TCP peers against a ringway daemon on loopback, while a good one
keeps working: garbage, half a message that stalls, too many connections.
Prints one line per check; exits 1 on the first failure."""
import socket
import sys
import time

HOST, PORT, MAX_CONNS, MSG_MS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

OPTIONS = ("OPTIONS sip:r@{h}:{p} SIP/2.0\r\n"
           "Via: SIP/2.0/TCP {h}:{lp};branch=z9hG4bK{b}\r\n"
           "Max-Forwards: 70\r\nTo: <sip:r@{h}>\r\nFrom: <sip:a@{h}>;tag=1\r\n"
           "Call-ID: {b}@abuse\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")


def connect():
    s = socket.create_connection((HOST, PORT), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def options(s, tag):
    """One OPTIONS on s; True if a 200 comes back."""
    lp = s.getsockname()[1]
    s.sendall(OPTIONS.format(h=HOST, p=PORT, lp=lp, b=tag).encode())
    data = b""
    deadline = time.time() + 5
    while b"\r\n\r\n" not in data and time.time() < deadline:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.startswith(b"SIP/2.0 200 ")


def closed_within(s, seconds):
    """True if the peer closes s within seconds."""
    s.settimeout(seconds)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


good = connect()
check(options(good, "good1"), "a good client is answered")

g = connect()
g.sendall(b"HELLO WORLD\r\n\r\n")
check(closed_within(g, 3), "garbage closes that connection")
check(options(good, "good2"), "the good client is still answered after garbage")

n = connect()
n.sendall(b"INVITE sip:x@127.0.0.1 SIP/2.0\r\nContent-Length: -5\r\n\r\n")
check(closed_within(n, 3), "a negative Content-Length closes that connection")

h = connect()
h.sendall(b"OPTIONS sip:r@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1")
t0 = time.time()
check(closed_within(h, MSG_MS / 1000 * 3 + 2), "half a message that stalls is closed")
waited = time.time() - t0
check(waited >= MSG_MS / 1000 * 0.8, "... not before the message timer (%.2f s)" % waited)
check(options(good, "good3"), "the good client is still answered after the stall")

# Fill the table: the good one is open, so MAX_CONNS - 1 more fit.
extra = [connect() for _ in range(MAX_CONNS - 1)]
time.sleep(0.2)
over = [connect() for _ in range(2)]
check(all(closed_within(s, 3) for s in over), "connections over the limit are closed")
check(options(good, "good4"), "the good client is still answered at the limit")
check(options(extra[0], "extra0"), "a connection within the limit is answered")
for s in extra + [good]:
    s.close()
print("PASS", flush=True)
