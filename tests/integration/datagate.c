/*
 * datagate - a libmilter filter for tests/integration/afterdata: it
 * refuses the first DATA of each transaction with "451 4.7.1" and lets
 * everything else through, as a content filter that is busy, or an
 * smtpd_proxy_filter that is down, would. Postfix then keeps the
 * transaction open (smtpd.c, data_cmd()) and the client may add
 * recipients: the milters before this one must still judge them.
 *
 * After its refusal libmilter is back in its HELO state, so a RCPT TO
 * or second DATA of the same transaction that reaches this filter gets
 * no answer and the MTA applies its timeout and default action to it:
 * that is libmilter's behaviour, and part of what the suite shows.
 *
 *   datagate inet:PORT@127.0.0.1 | unix:/path
 *
 * Runs until SIGTERM/SIGINT/SIGHUP (libmilter's own signal thread).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include <libmilter/mfapi.h>

struct txn {
	bool	refused;	/* this transaction's DATA was refused */
};

static sfsistat
dg_envfrom(SMFICTX *ctx, char **argv)
{
	struct txn *t = smfi_getpriv(ctx);

	(void)argv;
	if (t == NULL) {
		if ((t = malloc(sizeof(*t))) == NULL ||
		    smfi_setpriv(ctx, t) != MI_SUCCESS) {
			free(t);
			return SMFIS_TEMPFAIL;
		}
	}
	t->refused = false;
	return SMFIS_CONTINUE;
}

static sfsistat
dg_data(SMFICTX *ctx)
{
	struct txn *t = smfi_getpriv(ctx);

	if (t == NULL || t->refused)
		return SMFIS_CONTINUE;
	t->refused = true;
	(void)smfi_setreply(ctx, "451", "4.7.1",
	    "datagate: first DATA of the transaction refused");
	return SMFIS_TEMPFAIL;
}

static sfsistat
dg_close(SMFICTX *ctx)
{
	free(smfi_getpriv(ctx));
	(void)smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static struct smfiDesc filter = {
	.xxfi_name = "datagate",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_NONE,
	.xxfi_envfrom = dg_envfrom,
	.xxfi_data = dg_data,
	.xxfi_close = dg_close,
};

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: datagate inet:PORT@127.0.0.1 | "
		    "unix:/path\n");
		return EX_USAGE;
	}
	if (smfi_setconn(argv[1]) != MI_SUCCESS ||
	    smfi_register(filter) != MI_SUCCESS ||
	    smfi_opensocket(true) != MI_SUCCESS) {
		fprintf(stderr, "datagate: cannot listen on %s\n", argv[1]);
		return EX_UNAVAILABLE;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
