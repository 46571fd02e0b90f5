/*
 * fuzz_query - the "relaywarden -q" facts parser (query.c), against the
 * shipped policy (bluemind.loc; 127.0.0.0/8 and ::1; 25 smtp, 465 and
 * 587 submission).
 *
 * Input: the command line's arguments, separated by NUL bytes (at most
 * 16). Properties: the exit status is 0 or EX_USAGE; with 0, one line per
 * rcpt= word (one line when there is none), each "accept reason=KEY" or
 * "DECISION CODE XCODE TEXT reason=KEY" with the code's class matching
 * the decision; with EX_USAGE, one message line on the error stream and
 * nothing on the output.
 */
#include <sysexits.h>

#include "config.h"
#include "fuzz.h"
#include "policy.h"
#include "query.h"

#define MAXARGS 16

static struct config *
shipped(void)
{
	static struct listener_entry l[] = {
		{ LISTENER_SMTP, 25, NULL },
		{ LISTENER_SUBMISSION, 465, NULL },
		{ LISTENER_SUBMISSION, 587, NULL },
	};
	struct config *c = config_new();
	struct policy *p = c != NULL ? c->policy : NULL;

	if (p == NULL || !domset_add(p->local_domains, "bluemind.loc", NULL, 0) ||
	    !netset_add(p->my_networks, "127.0.0.0/8", NULL, 0) ||
	    !netset_add(p->my_networks, "[::1]/128", NULL, 0) ||
	    (p->listeners = malloc(sizeof(l))) == NULL)
		abort();
	memcpy(p->listeners, l, sizeof(l));
	p->nlisteners = 3;
	return c;
}

/* Counts the rcpt= words as query.c splits them. */
static size_t
count_rcpt(char *const argv[], int argc)
{
	static const char blanks[] = " \t\r\n";
	size_t n = 0;
	int i;

	for (i = 0; i < argc; i++) {
		const char *s = argv[i] + strspn(argv[i], blanks);

		while (*s != '\0') {
			size_t len = strcspn(s, blanks);

			n += len >= 5 && strncmp(s, "rcpt=", 5) == 0;
			s += len;
			s += strspn(s, blanks);
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config *p;
	char *text, *argv[MAXARGS], *outbuf = NULL, *errbuf = NULL, *line;
	size_t outlen = 0, errlen = 0, lines = 0, nrcpt;
	int argc = 0, status;
	FILE *out, *err;
	const char *s;

	if (p == NULL)
		p = shipped();
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (s = text; argc < MAXARGS && s <= text + size; s += strlen(s) + 1)
		argv[argc++] = (char *)s;
	nrcpt = count_rcpt(argv, argc);

	if ((out = open_memstream(&outbuf, &outlen)) == NULL ||
	    (err = open_memstream(&errbuf, &errlen)) == NULL)
		abort();
	status = query_run(p, argc, argv, out, err);
	fclose(out);
	fclose(err);

	FZ_CHECK(status == 0 || status == EX_USAGE, "status %d", status);
	if (status == EX_USAGE) {
		FZ_CHECK(outlen == 0 && errlen > 0 &&
		    strncmp(errbuf, "relaywarden: -q: ", 17) == 0 &&
		    strchr(errbuf, '\n') == errbuf + errlen - 1,
		    "usage error with output \"%s\" and message \"%s\"", outbuf,
		    errbuf);
	} else {
		FZ_CHECK(errlen == 0, "status 0 with message \"%s\"", errbuf);
		for (line = outbuf; *line != '\0'; lines++) {
			char *nl = strchr(line, '\n'), *r;

			FZ_CHECK(nl != NULL, "unterminated line \"%s\"", line);
			*nl = '\0';
			FZ_CHECK(strncmp(line, "accept reason=", 14) == 0 ||
			    strncmp(line, "reject 5", 8) == 0 ||
			    strncmp(line, "tempfail 4", 10) == 0,
			    "line \"%s\"", line);
			r = strstr(line, " reason=");
			FZ_CHECK(r != NULL && strchr(r + 8, ' ') == NULL,
			    "line \"%s\" does not end in reason=KEY", line);
			line = nl + 1;
		}
		FZ_CHECK(lines == (nrcpt == 0 ? 1 : nrcpt), "%zu lines for %zu "
		    "rcpt= words", lines, nrcpt);
	}
	free(outbuf);
	free(errbuf);
	free(text);
	return 0;
}
