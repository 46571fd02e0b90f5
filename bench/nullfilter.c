/*
 * nullfilter - the libmilter floor: a filter that does nothing.
 *
 * It registers connect, helo, envfrom and envrcpt callbacks that answer
 * SMFIS_CONTINUE, and nothing for headers, end of headers, body or DATA,
 * so libmilter negotiates those steps away by itself (no negotiate
 * callback: libmilter sets SMFIP_NOHDRS, NOEOH, NOBODY, NODATA and
 * NOUNKNOWN from the missing callbacks). The end of message cannot be
 * negotiated away: libmilter answers it "continue" itself. Whatever
 * relaywarden costs above this is relaywarden's own.
 *
 * With -m it registers no connect and helo callbacks either, so that it
 * asks the MTA for the same events as relaywarden (MAIL FROM, RCPT TO,
 * end of message): 8 round trips for a one-message, five-recipient
 * session, not 10.
 *
 *   nullfilter [-m] unix:/path/to/socket | inet:PORT@127.0.0.1
 *
 * Runs until SIGTERM/SIGINT/SIGHUP (libmilter's own signal thread).
 * A stale unix socket is removed at start.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <libmilter/mfapi.h>

static sfsistat
nf_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	(void)ctx;
	(void)host;
	(void)addr;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_helo(SMFICTX *ctx, char *helo)
{
	(void)ctx;
	(void)helo;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_envfrom(SMFICTX *ctx, char **argv)
{
	(void)ctx;
	(void)argv;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_envrcpt(SMFICTX *ctx, char **argv)
{
	(void)ctx;
	(void)argv;
	return SMFIS_CONTINUE;
}

static struct smfiDesc filter = {
	.xxfi_name = "nullfilter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_NONE,
	.xxfi_connect = nf_connect,
	.xxfi_helo = nf_helo,
	.xxfi_envfrom = nf_envfrom,
	.xxfi_envrcpt = nf_envrcpt,
};

int
main(int argc, char *argv[])
{
	const char *conn;

	while (argc >= 3 && argv[1][0] == '-') {
		if (strcmp(argv[1], "-m") == 0) {
			filter.xxfi_connect = NULL;
			filter.xxfi_helo = NULL;
		} else
			break;
		argv++;
		argc--;
	}
	conn = argc == 2 ? argv[1] : "";
	if (strncmp(conn, "unix:", 5) != 0 && strncmp(conn, "inet:", 5) != 0) {
		fprintf(stderr, "usage: nullfilter [-m] unix:PATH | inet:PORT@HOST\n");
		return EX_USAGE;
	}
	if (smfi_setconn((char *)conn) != MI_SUCCESS ||
	    smfi_register(filter) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "nullfilter: cannot listen on %s\n", conn);
		return EX_UNAVAILABLE;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
