"""probe.py PORT LOCAL_PORT - ask the redirect server on 127.0.0.1:PORT
directly (from 127.0.0.1:LOCAL_PORT) and print one line per answer:

    INVITE 5550002 -> <status line> | <Contact header value>
    INVITE 5550009 -> ...
    OPTIONS 5550002 -> ...

ACKing every final response to an INVITE (§17.1.1.3) so that the server's
transactions end cleanly."""
import socket
import sys

port, lport = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", lport))
s.settimeout(3)


def ask(method, user, n):
    ruri = "sip:%s@ringway.test" % user
    branch = "z9hG4bKprobe%d" % n
    common = ("Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s\r\n"
              "Max-Forwards: 70\r\n"
              "From: <sip:probe@127.0.0.1>;tag=p%d\r\n" % (lport, branch, n))
    cid = "Call-ID: probe-%d@127.0.0.1\r\n" % n
    req = ("%s %s SIP/2.0\r\n%sTo: <%s>\r\n%sCSeq: 1 %s\r\n"
           "Content-Length: 0\r\n\r\n" % (method, ruri, common, ruri, cid,
                                          method))
    s.sendto(req.encode(), ("127.0.0.1", port))
    while True:
        data = s.recv(65535).decode(errors="replace")
        lines = data.split("\r\n")
        code = int(lines[0].split()[1])
        if code >= 200:
            break
    contact, to = "-", ""
    for h in lines[1:]:
        name, _, value = h.partition(":")
        if name.strip().lower() in ("contact", "m"):
            contact = value.strip()
        if name.strip().lower() in ("to", "t"):
            to = value.strip()
    if method == "INVITE":
        ack = ("ACK %s SIP/2.0\r\n%sTo: %s\r\n%sCSeq: 1 ACK\r\n"
               "Content-Length: 0\r\n\r\n" % (ruri, common, to, cid))
        s.sendto(ack.encode(), ("127.0.0.1", port))
    print("%s %s -> %s | %s" % (method, user, lines[0], contact))


ask("INVITE", "5550002", 1)
ask("INVITE", "5550009", 2)
ask("OPTIONS", "5550002", 3)
