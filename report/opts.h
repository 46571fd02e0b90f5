/*
 * opts - relaywarden-report's options, described once: main.c's getopt
 * string and -h come from this table, and tests/check_docs.c checks that
 * relaywarden-report(8) has an entry for each that starts with its help.
 *
 * Static data; any thread.
 */
#ifndef RW_REPORT_OPTS_H
#define RW_REPORT_OPTS_H

#include <stdio.h>

struct opts_row {
	char	letter;
	const char *arg;	/* the argument's name, NULL: none */
	const char *help;	/* one line, lower case, no final stop */
};

/* The options, ended by a row whose letter is 0. */
const struct opts_row *opts_table(void);

/* "hjo:..." for getopt(3), into buf (64 bytes). */
const char *opts_getopt(char *buf, size_t len);

/* The usage line and one line per option. */
void	opts_usage(FILE *fp);

/* Defaults, and the cap of the period table (two years of hours). */
#define OPTS_TOP_ROWS	10
#define OPTS_TOP_CAP	10000
#define OPTS_GUESSES	5
#define OPTS_HOURS	(2 * 366 * 24)

#endif
