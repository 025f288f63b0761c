/* main.c - the ringway daemon entry point.
 *
 * The SIP message layer exists; the transports, transaction layer and roles
 * (proxy, redirect, registrar) do not yet.  Until they do, this says so
 * plainly instead of pretending to serve.
 */
#include <stdio.h>
#include <string.h>

#include "sip/sip.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		puts("ringway 0.1.0 (message layer only)");
		return 0;
	}
	fputs("ringway: not a server yet.\n"
	      "  Built so far: the SIP message layer (src/sip): parser, typed\n"
	      "  header parsers, URI comparison, editor, response builder.\n"
	      "  Still to come: transports + transactions (issue 3), proxy\n"
	      "  (issue 4), registrar/redirect/location (issue 5).\n"
	      "  Nothing is listening; exiting.\n",
	      stderr);
	return 2;
}
