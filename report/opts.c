/*
 * opts - the option table. See opts.h.
 */
#include <string.h>

#include "opts.h"

static const struct opts_row rows[] = {
	{ 'j', NULL, "write the report as JSON instead of text" },
	{ 'o', "file", "also draw the decisions per hour, stacked by reason, "
	    "and the most refused clients into file, an SVG picture" },
	{ 's', "start", "count only lines at or after start" },
	{ 'e', "end", "count only lines before end" },
	{ 'y', "year", "date classic syslog stamps, which have no year, in "
	    "year" },
	{ 'p', "unit", "count the table of periods by hour or by day "
	    "(default: day)" },
	{ 'n', "rows", "show that many rows in each top table (default: 10)" },
	{ 'g', "times", "list under \"worth a look\" every login or client "
	    "refused that many times or more for want of TLS or "
	    "authentication, or for senders it does not own (default: 5)" },
	{ 'c', "keys", "hold at most that many keys in each top table "
	    "(default: 10000)" },
	{ 't', "ident", "read the lines of this syslog tag (default: "
	    "relaywarden)" },
	{ 'h', NULL, "print this help and exit" },
	{ 'V', NULL, "print the version and exit" },
	{ 0, NULL, NULL }
};

const struct opts_row *
opts_table(void)
{
	return rows;
}

const char *
opts_getopt(char *buf, size_t len)
{
	const struct opts_row *r;
	size_t o = 0;

	for (r = rows; r->letter != 0 && o + 3 < len; r++) {
		buf[o++] = r->letter;
		if (r->arg != NULL)
			buf[o++] = ':';
	}
	buf[o] = '\0';
	return buf;
}

void
opts_usage(FILE *fp)
{
	const struct opts_row *r;

	fprintf(fp, "usage: relaywarden-report [-jhV] [-o file] [-s start] "
	    "[-e end] [-y year] [-p hour|day]\n"
	    "           [-n rows] [-g times] [-c keys] [-t ident] "
	    "[file ...]\n"
	    "Reads relaywarden's syslog lines from each file (plain or .gz; "
	    "\"-\" or none:\nstandard input) and prints what it decided.\n");
	for (r = rows; r->letter != 0; r++)
		fprintf(fp, "  -%c %-6s %s\n", r->letter,
		    r->arg != NULL ? r->arg : "", r->help);
	fprintf(fp, "start and end: 2026-11-22, 2026-11-22 08:00[:00], "
	    "2026-11-22T08:00:00+01:00,\nor Nov 22 08:00:00.\n");
}
