/* main.c - the ringway daemon entry point.
 *
 * The SIP message layer and the engine (transports, transactions, workers)
 * exist; the roles (proxy, redirect, registrar) do not yet.  Until they do,
 * this says so plainly instead of pretending to serve.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		puts("ringway 0.2.0 (message layer and engine; no roles yet)");
		return 0;
	}
	fputs("ringway: not a server yet.\n"
	      "  Built so far: the SIP message layer (src/sip) and the engine\n"
	      "  under the roles: event loops, batched UDP, TCP, the RFC 3261\n"
	      "  transaction layer and worker threads (src/ev, src/transport,\n"
	      "  src/txn, src/engine).  ringway-responder, a test UAS on that\n"
	      "  engine, is built beside this binary.\n"
	      "  Still to come: the proxy (issue 4), registrar, redirect server\n"
	      "  and location service (issue 5), the phone agent (issue 6).\n"
	      "  Nothing is listening; exiting.\n",
	      stderr);
	return 2;
}
