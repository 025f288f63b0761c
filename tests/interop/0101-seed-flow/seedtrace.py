"""seedtrace.py - read a ringwayd trace file for the seed-flow interop tests.

ringwayd's `trace = FILE` writes one tab-separated line per message:

    <ms> <in|out> <udp|tcp> <src> <dst> <start line> <CSeq> <Call-ID>

Every party of a test has its own loopback port, so the peer of a line (the
source of an `in`, the destination of an `out`) names the party.  Imported
by the `run` scripts of tests/interop/01xx-*; also a small command line:

    python3 seedtrace.py TRACE PORT=NAME...     prints the named events
"""
import sys


class Ev:
    __slots__ = ("i", "ms", "rel", "dir", "proto", "src", "dst", "peer", "line",
                 "cseq", "callid", "method", "code", "cseq_method")

    def __str__(self):
        arrow = "->" if self.dir == "out" else "<-"
        return "#%-3d %+7d ms %s %-8s %s [%s]" % (self.i, self.rel, arrow,
                                                 self.peer, self.line, self.cseq)


def port_of(addr):
    """'127.0.0.1:25101' or '[::1]:25101' -> '25101'."""
    return addr.rsplit(":", 1)[-1].strip()


def load(path, names):
    """Events of TRACE; names maps port (str) -> party name.  Raises
    ValueError on a line that is not in the documented format."""
    evs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.rstrip("\r\n")
            if not raw:
                continue
            p = raw.split("\t")
            if len(p) < 8 or p[1] not in ("in", "out"):
                raise ValueError("%s:%d: not a trace line: %r" % (path, n, raw))
            e = Ev()
            e.i = len(evs)
            e.ms = int(float(p[0]))
            e.dir, e.proto, e.src, e.dst = p[1], p[2], p[3], p[4]
            e.line, e.cseq, e.callid = p[5], p[6], p[7]
            peer = e.src if e.dir == "in" else e.dst
            e.peer = names.get(port_of(peer), peer)
            w = e.line.split()
            e.method = e.code = None
            if w and w[0].upper().startswith("SIP/"):
                e.code = int(w[1]) if len(w) > 1 and w[1].isdigit() else -1
            elif w:
                e.method = w[0]
            cw = e.cseq.split()
            e.cseq_method = cw[-1] if cw else ""
            e.rel = e.ms - evs[0].ms if evs else 0
            evs.append(e)
    return evs


def match(e, dir, peer, what, cseq=None):
    """what: a method name ('INVITE') or a status code (180)."""
    if e.dir != dir or e.peer != peer:
        return False
    if isinstance(what, int):
        if e.code != what:
            return False
    elif e.method != what:
        return False
    return cseq is None or e.cseq_method == cseq


def find(evs, start, dir, peer, what, cseq=None):
    """First event at index >= start matching; None if none."""
    for e in evs[start:]:
        if match(e, dir, peer, what, cseq):
            return e
    return None


def count(evs, dir, peer, what, cseq=None):
    return sum(1 for e in evs if match(e, dir, peer, what, cseq))


class Checker:
    """Collects failures instead of stopping at the first one."""

    def __init__(self, evs):
        self.evs = evs
        self.errors = []

    def step(self, label, after, dir, peer, what, cseq=None):
        """The first matching event after event `after` (an Ev or None for
        the beginning); records an error and returns None if missing."""
        if after is False:  # an earlier step was missing: skip silently
            return False
        start = 0 if after is None else after.i + 1
        e = find(self.evs, start, dir, peer, what, cseq)
        if e is None:
            where = "" if after is None else " after %s" % after
            self.errors.append("missing %s: %s %s %s%s" % (
                label, "to" if dir == "out" else "from", peer,
                what if cseq is None else "%s (%s)" % (what, cseq), where))
            return False
        print("  %-34s %s" % (label, e))
        return e

    def expect(self, cond, msg):
        if not cond:
            self.errors.append(msg)
        return cond

    def done(self):
        """Exit 1 with the errors and the whole trace, or 0."""
        if self.errors:
            print("trace check failed:")
            for m in self.errors:
                print("  - " + m)
            print("full trace:")
            for e in self.evs:
                print("  " + str(e))
            sys.exit(1)
        sys.exit(0)


def setup():
    """For the run scripts: argv is TRACE PORT=NAME...  Returns the events
    and a Checker over them."""
    names = dict(a.split("=", 1) for a in sys.argv[2:])
    evs = load(sys.argv[1], names)
    return evs, Checker(evs)


if __name__ == "__main__":
    names = dict(a.split("=", 1) for a in sys.argv[2:])
    for e in load(sys.argv[1], names):
        print(e)
