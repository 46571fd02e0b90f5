/*
 * relaywarden-report - what relaywarden decided, from its syslog lines.
 *
 * main: options, the inputs one after the other into one tally, then the
 * report (text.h or json.h) on standard output and the picture (svg.h).
 * No policy and no parsing here: logline.h parses, tally.h counts.
 *
 * Exit: 0; 64 for a bad option; 66 when an input could not be opened or
 * read whole (the report covers the rest); 71 out of memory; 73 when the
 * picture cannot be written; 74 when standard output cannot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "json.h"
#include "opts.h"
#include "stamp.h"
#include "svg.h"
#include "tally.h"
#include "text.h"
#include "view.h"

static int
usage(const char *why)
{
	fprintf(stderr, "relaywarden-report: %s\n", why);
	opts_usage(stderr);
	return EX_USAGE;
}

/* A whole number in [min, max]. */
static bool
number(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *v >= min && *v <= max;
}

/*
 * -s and -e: "2026-11-22", "2026-11-22 08:00", "2026-11-22 08:00:00",
 * "2026-11-22T08:00:00+01:00" (any ISO form stamp.h reads), or a classic
 * "Nov 22 08:00:00" (dated as the log's classic stamps are).
 */
static bool
when(const char *arg, const struct stamp_year *y, time_t *t)
{
	char buf[64];
	size_t n = strlen(arg);
	struct stamp st;
	struct stamp_cache c = { 0 };

	if (n == 0 || n > 40)
		return false;
	memcpy(buf, arg, n + 1);
	if (n == 10 && buf[4] == '-') {
		memcpy(buf + 10, "T00:00:00", 10);
		n += 9;
	} else if (n >= 16 && buf[4] == '-' && buf[10] == ' ')
		buf[10] = 'T';
	if (n == 16 && buf[4] == '-') {
		memcpy(buf + 16, ":00", 4);
		n += 3;
	}
	buf[n++] = ' ';
	buf[n] = '\0';
	if (stamp_parse(buf, n, &st) != n)
		return false;
	return (*t = stamp_time(&st, y, &c)) != (time_t)-1;
}

/* Every line of one input into t; false when it was not read whole. */
static bool
read_input(struct tally *t, const char *path, bool *oom)
{
	struct input *in = input_open(path);
	const char *line;
	size_t len;
	enum input_status st;

	if (in == NULL) {
		fprintf(stderr, "relaywarden-report: %s: %s\n",
		    strcmp(path, "-") == 0 ? "standard input" : path,
		    strerror(errno));
		return false;
	}
	while ((st = input_next(in, &line, &len)) != INPUT_END) {
		if (st == INPUT_ERROR) {
			fprintf(stderr, "relaywarden-report: %s: %s; the rest "
			    "of it is not counted\n", strcmp(path, "-") == 0 ?
			    "standard input" : path, input_error(in));
			input_close(in);
			return false;
		}
		if (st == INPUT_TOO_LONG)
			tally_too_long(t);
		else if (!tally_line(t, line, len))
			*oom = true;
	}
	input_close(in);
	return true;
}

int
main(int argc, char *argv[])
{
	struct tally_opts o = { .ident = "relaywarden", .cap = OPTS_TOP_CAP,
	    .hours = OPTS_HOURS };
	struct view v = { .top_rows = OPTS_TOP_ROWS, .guesses = OPTS_GUESSES };
	const char *svg_path = NULL, *start = NULL, *end = NULL;
	char optstring[64];
	bool json = false, daily = true, oom = false, ok;
	long year = 0, n;
	struct tally *t;
	FILE *fp;
	int c, i, status = 0;

	while ((c = getopt(argc, argv, opts_getopt(optstring,
	    sizeof(optstring)))) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'o':
			svg_path = optarg;
			break;
		case 's':
			start = optarg;
			break;
		case 'e':
			end = optarg;
			break;
		case 'y':
			if (!number(optarg, 1970, 9999, &year))
				return usage("-y: a year from 1970 to 9999");
			break;
		case 'p':
			if (strcmp(optarg, "hour") != 0 &&
			    strcmp(optarg, "day") != 0)
				return usage("-p: hour or day");
			daily = strcmp(optarg, "day") == 0;
			break;
		case 'n':
			if (!number(optarg, 0, 100000, &n))
				return usage("-n: a number of rows, 0 to 100000");
			v.top_rows = (size_t)n;
			break;
		case 'g':
			if (!number(optarg, 1, 1000000000, &n))
				return usage("-g: a number of times, 1 or more");
			v.guesses = (uint64_t)n;
			break;
		case 'c':
			if (!number(optarg, 1, 100000000, &n))
				return usage("-c: a number of keys, 1 to 100000000");
			o.cap = (size_t)n;
			break;
		case 't':
			if (optarg[0] == '\0' || strlen(optarg) > 64)
				return usage("-t: a syslog tag of 1 to 64 bytes");
			o.ident = optarg;
			break;
		case 'h':
			opts_usage(stdout);
			return fflush(stdout) == 0 ? 0 : EX_IOERR;
		case 'V':
			printf("relaywarden-report %s\n", RW_VERSION);
			return fflush(stdout) == 0 ? 0 : EX_IOERR;
		default:
			return usage("unknown option");
		}
	}
	stamp_year_init(&o.year, (int)year, time(NULL));
	if (start != NULL && !(o.has_start = when(start, &o.year, &o.start)))
		return usage("-s: a time such as 2026-11-22, 2026-11-22 08:00, "
		    "2026-11-22T08:00:00+01:00 or \"Nov 22 08:00:00\"");
	if (end != NULL && !(o.has_end = when(end, &o.year, &o.end)))
		return usage("-e: a time such as 2026-11-23, 2026-11-22 18:00, "
		    "2026-11-22T18:00:00+01:00 or \"Nov 22 18:00:00\"");
	if ((t = tally_new(&o)) == NULL) {
		fprintf(stderr, "relaywarden-report: out of memory\n");
		return EX_OSERR;
	}
	v.inputs = optind < argc ? (size_t)(argc - optind) : 1;
	if (optind == argc)
		v.inputs_failed += !read_input(t, "-", &oom);
	for (i = optind; i < argc; i++)
		v.inputs_failed += !read_input(t, argv[i], &oom);
	if (oom || !view_make(&v, t, daily)) {
		fprintf(stderr, "relaywarden-report: out of memory\n");
		view_free(&v);
		tally_free(t);
		return EX_OSERR;
	}
	if (svg_path != NULL) {
		if ((fp = fopen(svg_path, "w")) == NULL) {
			fprintf(stderr, "relaywarden-report: %s: %s\n", svg_path,
			    strerror(errno));
			status = EX_CANTCREAT;
		} else {
			ok = svg_write(fp, t, &v);
			if (ferror(fp) | (fclose(fp) != 0)) {
				fprintf(stderr, "relaywarden-report: %s: cannot "
				    "write it\n", svg_path);
				status = EX_CANTCREAT;
			} else if (!ok)
				status = EX_OSERR;
		}
	}
	ok = json ? json_write(stdout, t, &v) : text_write(stdout, t, &v);
	if (!ok)
		status = EX_OSERR;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "relaywarden-report: cannot write the report\n");
		status = EX_IOERR;
	}
	if (status == 0 && v.inputs_failed > 0)
		status = EX_NOINPUT;
	view_free(&v);
	tally_free(t);
	return status;
}
