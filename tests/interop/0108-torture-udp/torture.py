#!/usr/bin/env python3
"""torture.py - send every RFC 4475 torture message to a running proxy over
UDP and judge its answers from the proxy's trace file.

    torture.py DATA_DIR PROXY_HOST PROXY_PORT LOCAL_PORT TRACE T1_MS

Each tests/data/rfc4475/<name>.dat is sent byte-exact, one datagram, from
127.0.0.1:LOCAL_PORT, 300 ms apart.  Many of the messages share a Via
branch and sent-by (z9hG4bKkdjuw): to the proxy a second REGISTER with
cparam01's branch IS a retransmission of cparam01 (RFC 3261 §17.2.3), so
a message whose (branch, sent-by, method) was used less than 64*T1 + 1 s
ago waits: the others are sent first (run the proxy with a small T1).  The messages' Vias name hosts of their
own (example.com, 192.0.2.x), so the answers do not come back to us: what
the proxy sent is read from its trace (one line per message in or out).
A trace line belongs to a message if it carries one of the message's
Call-IDs, else to the message sent last before it.

Verdicts (RFC 4475's text; see tests/data/rfc4475/INDEX.md):
  status set   exactly these final statuses, nothing forwarded
  silence      nothing sent at all (responses to drop)
  liberal      400, or processed like a valid message; if it is forwarded,
               the forwarded start line must be clean (no <>, no doubled or
               trailing spaces, no escaped headers in the Request-URI)
  valid        must be accepted: neither 400 nor 505
  none         no expectation (test.dat); only the proxy must survive
Exit status 0 if every verdict holds.
"""
import os
import re
import socket
import sys
import time

EXPECT = {
    # 3.1.2 invalid messages: respond 400 (or an error)
    "badinv01": {400}, "clerr": {400}, "ncl": {400}, "scalar02": {400},
    "mismatch01": {400}, "multi01": {400}, "mcl01": {400}, "insuf": {400},
    "badvers": {505},
    "mismatch02": {501, 400},
    # 3.3 application layer
    "unkscm": {416}, "novelsc": {416, 404},
    "bext01": {420},
    # Max-Forwards 0, an OPTIONS for sip:user@example.com (not our domain):
    # not forwarded, 483 Too Many Hops.
    "zeromf": {483},
    # responses to drop
    "bigcode": "silence", "scalarlg": "silence", "unreason": "silence",
    "noreason": "silence", "bcast": "silence",
    # invalid, but an element may accept them liberally
    "ltgtruri": "liberal", "lwsruri": "liberal", "lwsstart": "liberal",
    "trws": "liberal", "escruri": "liberal", "baddate": "liberal",
    "regbadct": "liberal", "badaspec": "liberal", "baddn": "liberal",
    "quotbal": "liberal", "badbranch": "liberal", "inv2543": "liberal",
    # valid: must be accepted
    "wsinv": "valid", "intmeth": "valid", "esc01": "valid",
    "escnull": "valid", "esc02": "valid", "lwsdisp": "valid",
    "longreq": "valid", "dblreq": "valid", "semiuri": "valid",
    "transports": "valid", "mpart01": "valid", "unksm2": "valid",
    "invut": "valid", "regaut01": "valid", "cparam01": "valid",
    "cparam02": "valid", "regescrt": "valid", "sdp01": "valid",
    "test": "none",
}

GAP = 0.3  # seconds between messages


def call_ids(data):
    """Every Call-ID (or i:) value in the header section."""
    head = data.split(b"\r\n\r\n", 1)[0]
    out = set()
    for line in head.split(b"\r\n"):
        m = re.match(rb"(?i)(call-id|i)[ \t]*:[ \t]*(.*)", line)
        if m:
            out.add(m.group(2).strip().decode("utf-8", "replace"))
    return out


def txn_key(data):
    """(branch, sent-by, method) of a request's top Via, None for a
    response or without a branch (RFC 2543 matching: Call-IDs differ)."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    if head[0].startswith(b"SIP/"):
        return None
    method = head[0].split(b" ")[0]
    if method == b"ACK":
        method = b"INVITE"
    for line in head[1:]:
        if re.match(rb"(?i)(via|v)[ \t]*:", line):
            b = re.search(rb"branch=([^;,\s]*)", line)
            if not b:
                return None
            v = re.sub(rb"\s", b"", line.split(b":", 1)[1]).lower()
            sent_by = v.split(b";", 1)[0].rsplit(b"/", 1)[-1]
            return (b.group(1), sent_by, method)
    return None


def read_trace(path):
    rows = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                if not raw.endswith("\n"):
                    break
                p = raw.rstrip("\n").split("\t")
                if len(p) >= 8:
                    rows.append(p)
    except FileNotFoundError:
        pass
    return rows


def is_response(start):
    return start.startswith("SIP/")


def status(start):
    w = start.split()
    return int(w[1]) if len(w) > 1 and w[1].isdigit() else -1


def main():
    data_dir, host, port, lport, trace, t1 = sys.argv[1:7]
    port, lport = int(port), int(lport)
    txn_life = 64 * int(t1) / 1000.0 + 1.0
    names = sorted(f[:-4] for f in os.listdir(data_dir) if f.endswith(".dat"))
    missing = set(EXPECT) - set(names)
    if missing:
        print("missing data files: %s" % sorted(missing))
        return 1
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", lport))
    s.setblocking(False)
    sent = []  # (name, epoch ms, call-ids)
    back = {}
    base = len(read_trace(trace))
    todo = list(names)
    busy = {}  # txn key -> time it may be used again
    while todo:
        now = time.time()
        pick = None
        for name in todo:
            data = open(os.path.join(data_dir, name + ".dat"), "rb").read()
            k = txn_key(data)
            if k is None or busy.get(k, 0) <= now:
                pick = name
                break
        if pick is None:
            time.sleep(0.05)
            continue
        todo.remove(pick)
        name = pick
        if k is not None:
            busy[k] = now + txn_life
        sent.append((name, int(time.time() * 1000), call_ids(data)))
        s.sendto(data, (host, port))
        end = time.time() + GAP
        while time.time() < end:
            try:
                pkt = s.recv(65536)
                back.setdefault(name, []).append(pkt.split(b"\r\n", 1)[0])
            except BlockingIOError:
                time.sleep(0.01)
    time.sleep(0.5)
    rows = read_trace(trace)[base:]

    by_id = {}
    for name, _, ids in sent:
        for i in ids:
            by_id.setdefault(i, set()).add(name)
    got = {name: [] for name, _, _ in sent}
    seen_in = set()
    for p in rows:
        ms, d, start, cid = int(float(p[0])), p[1], p[5], p[7].strip()
        owners = by_id.get(cid, set())
        if len(owners) == 1:
            owner = next(iter(owners))
        else:
            owner = None
            for name, t, _ in sent:
                if t <= ms + 1:
                    owner = name
            if owner is None:
                continue
        if d == "in":
            seen_in.add(owner)
        else:
            got[owner].append((p[2], p[4], start))

    bad = 0
    print("%-11s %-10s %-6s %s" % ("message", "expect", "verdict", "proxy sent"))
    for name, _, _ in sent:
        exp = EXPECT.get(name, "none")
        outs = got[name]
        codes = [status(st) for _, _, st in outs if is_response(st)]
        finals = [c for c in codes if c >= 200]
        fwd = [st for _, _, st in outs if not is_response(st)]
        why = ""
        if isinstance(exp, set):
            if not finals:
                why = "no final response"
            elif set(finals) - exp:
                why = "answered %s" % sorted(set(finals))
            elif fwd:
                why = "forwarded it"
        elif exp == "silence":
            if outs:
                why = "sent something"
        elif exp == "liberal":
            for st in fwd:
                w = st.split(" ")
                if len(w) != 3 or "<" in st or ">" in st or "?" in w[1]:
                    why = "forwarded a malformed start line %r" % st
        elif exp == "valid":
            if set(finals) & {400, 505}:
                why = "rejected a valid message (%s)" % sorted(set(finals))
        if name == "dblreq" and any(st.startswith("INVITE") for st in fwd):
            why = "forwarded the trailing INVITE octets"
        if name == "bcast" and any("255.255.255.255" in dst for _, dst, _ in outs):
            why = "sent to the broadcast address"
        verdict = "FAIL" if why else "ok"
        bad += bool(why)
        shown = "; ".join("%s %s -> %s" % (pr, st, dst) for pr, dst, st in outs) or "-"
        if name not in seen_in:
            shown = "(no 'in' line) " + shown
        if isinstance(exp, set):
            exp = "/".join(str(c) for c in sorted(exp))
        print("%-11s %-10s %-6s %s%s" % (name, exp, verdict, shown[:150],
                                          ("  <- " + why) if why else ""))
        if name in back:
            print("%-11s (came back to us: %s)" % ("", back[name]))
    print("%d of %d messages judged, %d failed" % (len(sent), len(sent), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
