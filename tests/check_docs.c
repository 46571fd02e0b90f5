/*
 * docs: README.md, docs/ (*.md), relaywarden.conf(5) and confkeys.c's key
 * table say the same things.
 *
 * - README's configuration table has one row per key, with the key's
 *   default, and no other row; each row's meaning starts with the key's
 *   help line.
 * - relaywarden.conf(5) has an entry per key, with its default; each
 *   entry's text starts with the key's help line.
 * - Every relative link of README.md and the docs/ files names a file that
 *   exists and, after a '#', a heading of that file.
 * - Every "$ milter/relaywarden -c conf/relaywarden.conf -q ..." example
 *   of README.md prints, through query_run(), the lines shown under it.
 * - relaywarden-report(8) has an entry per option of report/opts.c's
 *   table, whose text starts with the option's help line (as -h prints
 *   it), and no entry for an option that is not in the table.
 *
 * Runs from tests/ (make check does cd tests).
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "conf.h"
#include "opts.h"
#include "query.h"

#define TOP ".."
#define README TOP "/README.md"
#define MAN5 TOP "/conf/relaywarden.conf.5"
#define MAN8_REPORT TOP "/report/relaywarden-report.8"
#define DOCS TOP "/docs"

/* The table row for key, as README writes it: "| `key` | `default` |"
 * or "| `key` | (empty) |". */
static void
row_start(char *row, size_t len, const struct conf_key *k)
{
	if (k->def[0] != '\0')
		snprintf(row, len, "| `%s` | `%s` | ", k->name, k->def);
	else
		snprintf(row, len, "| `%s` | (empty) | ", k->name);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert(buf != NULL);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/*
 * Whether text starts with the help line: verbatim, except that the
 * first letter may be a capital (a man page entry is a sentence), and
 * followed by the end or by punctuation or a space, so that the help is
 * a whole phrase of the text, not the start of a longer word.
 */
static bool
starts_with_help(const char *text, const char *help)
{
	size_t n = strlen(help);

	if (n == 0 || text[0] == '\0' ||
	    toupper((unsigned char)text[0]) != toupper((unsigned char)help[0]) ||
	    strncmp(text + 1, help + 1, n - 1) != 0)
		return false;
	return text[n] == '\0' || strchr(" ;:,.)", text[n]) != NULL;
}

START_TEST(readme_lists_every_key)
{
	const struct conf_key *k;
	char *text = slurp(README), row[256];

	for (k = conf_keys(); k->name != NULL; k++) {
		row_start(row, sizeof(row), k);
		ck_assert_msg(strstr(text, row) != NULL,
		    "README.md has no row starting %s", row);
	}
	free(text);
}
END_TEST

/*
 * The meaning column of README's row for each key, with its backquotes
 * dropped (README writes values as `code`, the help line as plain text),
 * starts with the key's help line.
 */
START_TEST(readme_rows_start_with_help)
{
	const struct conf_key *k;
	char *text = slurp(README), row[256], *msg = NULL;
	size_t msglen = 0;
	FILE *bad = open_memstream(&msg, &msglen);

	ck_assert(bad != NULL);
	for (k = conf_keys(); k->name != NULL; k++) {
		const char *s, *end;
		char *plain, *o;

		row_start(row, sizeof(row), k);
		s = strstr(text, row);
		ck_assert_msg(s != NULL, "README.md has no row starting %s", row);
		s += strlen(row);
		end = strchr(s, '\n');
		ck_assert(end != NULL);
		plain = o = malloc((size_t)(end - s) + 1);
		ck_assert(plain != NULL);
		for (; s < end; s++)
			if (*s != '`')
				*o++ = *s;
		*o = '\0';
		if (!starts_with_help(plain, k->help))
			fprintf(bad, "\n%s:\n  help: %s\n  row:  %.*s", k->name,
			    k->help, (int)strlen(k->help) + 20, plain);
		free(plain);
	}
	fclose(bad);
	ck_assert_msg(msglen == 0, "README.md's rows should start with their "
	    "key's help line (confkeys.c), backquotes aside:%s", msg);
	free(msg);
	free(text);
}
END_TEST

/* relaywarden.conf(5) has a ".BR key \" (default: X)\"" entry per key. */
static const char *
man_entry(const char *text, const struct conf_key *k)
{
	char row[256];
	const char *s;

	snprintf(row, sizeof(row), ".BR %s \" (default: %s)\"\n", k->name,
	    k->def[0] != '\0' ? k->def : "empty");
	s = strstr(text, row);
	ck_assert_msg(s != NULL, "relaywarden.conf.5 has no line %.*s",
	    (int)strlen(row) - 1, row);
	return s + strlen(row);
}

START_TEST(man_page_lists_every_key)
{
	const struct conf_key *k;
	char *text = slurp(MAN5);

	for (k = conf_keys(); k->name != NULL; k++)
		(void)man_entry(text, k);
	free(text);
}
END_TEST

/*
 * Appends one roff text line to out, as man(1) shows it: "\fB", "\fI",
 * "\fR", "\fP" and "\&" vanish, "\-" is "-", "\e" is "\", "\(dq" is '"'.
 * Any other escape makes it fail, so that the comparison stays exact.
 */
static bool
roff_text(char *out, size_t len, const char *s, size_t n)
{
	size_t o = strlen(out);

	for (; n > 0; s++, n--) {
		char c = *s;

		if (c == '\\') {
			if (n >= 3 && s[1] == 'f' && strchr("BIRP", s[2]) != NULL) {
				s += 2, n -= 2;
				continue;
			}
			if (n >= 2 && s[1] == '&') {
				s++, n--;
				continue;
			}
			if (n >= 4 && strncmp(s, "\\(dq", 4) == 0)
				c = '"', s += 3, n -= 3;
			else if (n >= 2 && s[1] == '-')
				c = '-', s++, n--;
			else if (n >= 2 && s[1] == 'e')
				c = '\\', s++, n--;
			else
				return false;
		}
		if (o + 1 >= len)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

/*
 * The text of a man page entry's first paragraph: the lines after its
 * tag, up to the next .TP, .IP, .PP or .SH, joined with one space. The
 * font macros .B and .I show their arguments joined by spaces, .BR,
 * .BI, .IB, .IR, .RB and .RI joined by nothing (a "quoted argument" is
 * one). Any other request fails, as an escape roff_text() does not know.
 */
static bool
man_paragraph(const char *s, char *out, size_t len)
{
	out[0] = '\0';
	while (*s != '\0') {
		const char *end = strchr(s, '\n');
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);

		if (n >= 3 && s[0] == '.' && (strncmp(s, ".TP", 3) == 0 ||
		    strncmp(s, ".IP", 3) == 0 || strncmp(s, ".PP", 3) == 0 ||
		    strncmp(s, ".SH", 3) == 0))
			break;
		if (out[0] != '\0' && !roff_text(out, len, " ", 1))
			return false;
		if (s[0] == '.') {
			size_t m = strcspn(s, " \n");
			bool spaced;
			const char *a = s + m, *stop = s + n;

			if (m == 2 && (s[1] == 'B' || s[1] == 'I'))
				spaced = true;
			else if (m == 3 && strchr("BIR", s[1]) != NULL &&
			    strchr("BIR", s[2]) != NULL && s[1] != s[2])
				spaced = false;
			else
				return false;
			for (bool first = true; ; first = false) {
				const char *b;

				while (a < stop && *a == ' ')
					a++;
				if (a == stop)
					break;
				if (!first && spaced && !roff_text(out, len, " ", 1))
					return false;
				if (*a == '"') {
					b = memchr(a + 1, '"', (size_t)(stop - a - 1));
					if (b == NULL)
						return false;
					if (!roff_text(out, len, a + 1,
					    (size_t)(b - a - 1)))
						return false;
					a = b + 1;
				} else {
					b = a + strcspn(a, " \n");
					if (!roff_text(out, len, a, (size_t)(b - a)))
						return false;
					a = b;
				}
			}
		} else if (!roff_text(out, len, s, n))
			return false;
		s += n;
		if (*s == '\n')
			s++;
	}
	return true;
}

START_TEST(man_entries_start_with_help)
{
	const struct conf_key *k;
	char *text = slurp(MAN5), para[4096], *msg = NULL;
	size_t msglen = 0;
	FILE *bad = open_memstream(&msg, &msglen);

	ck_assert(bad != NULL);
	for (k = conf_keys(); k->name != NULL; k++) {
		ck_assert_msg(man_paragraph(man_entry(text, k), para,
		    sizeof(para)), "relaywarden.conf.5's entry for %s uses "
		    "roff that check_docs.c cannot read", k->name);
		if (!starts_with_help(para, k->help))
			fprintf(bad, "\n%s:\n  help:  %s\n  entry: %.*s",
			    k->name, k->help, (int)strlen(k->help) + 20, para);
	}
	fclose(bad);
	ck_assert_msg(msglen == 0, "relaywarden.conf.5's entries should start "
	    "with their key's help line (confkeys.c), roff aside:%s", msg);
	free(msg);
	free(text);
}
END_TEST

START_TEST(readme_lists_no_other_key)
{
	char *text = slurp(README), *s, *table, *end;
	const struct conf_key *k;
	size_t rows = 0, keys = 0;

	/* Every "| `name` |" row of the Configuration section is a key,
	 * and there is one row per key (so that no row is not a pass). */
	table = strstr(text, "## Configuration");
	ck_assert(table != NULL);
	end = strstr(table + 1, "\n## ");
	if (end != NULL)
		*end = '\0';
	for (s = strstr(table, "\n| `"); s != NULL; s = strstr(s + 1, "\n| `")) {
		char name[64];
		size_t n = strcspn(s + 4, "`");

		ck_assert(n < sizeof(name));
		memcpy(name, s + 4, n);
		name[n] = '\0';
		for (k = conf_keys(); k->name != NULL; k++)
			if (strcmp(k->name, name) == 0)
				break;
		ck_assert_msg(k->name != NULL,
		    "README.md documents \"%s\", which is no key", name);
		rows++;
	}
	for (k = conf_keys(); k->name != NULL; k++)
		keys++;
	ck_assert_msg(rows == keys, "README.md's configuration table has %zu "
	    "rows for %zu keys", rows, keys);
	free(text);
}
END_TEST

/* --- links ------------------------------------------------------------ */

/*
 * The anchor GitHub gives a heading: lower case, every byte but letters,
 * digits, '-', '_' and spaces dropped (bytes of UTF-8 kept), spaces made
 * '-'. A repeated heading would get "-1", "-2"; no file here has one, and
 * has_heading() fails on a repeat rather than guess.
 */
static void
slug(const char *heading, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (; n > 0 && o + 1 < len; heading++, n--) {
		unsigned char c = (unsigned char)*heading;

		if (c == ' ')
			out[o++] = '-';
		else if (isalnum(c) || c == '-' || c == '_' || c >= 0x80)
			out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

/* How many headings of the markdown text (outside ``` blocks) have the
 * anchor. */
static int
has_heading(const char *text, const char *anchor)
{
	const char *s = text;
	bool fenced = false;
	int found = 0;

	while (*s != '\0') {
		size_t n = strcspn(s, "\n");

		if (strncmp(s, "```", 3) == 0)
			fenced = !fenced;
		else if (!fenced && s[0] == '#') {
			size_t h = strspn(s, "#");
			char got[256];

			if (s[h] == ' ') {
				slug(s + h + 1, n - h - 1, got, sizeof(got));
				found += strcmp(got, anchor) == 0;
			}
		}
		s += n;
		if (*s == '\n')
			s++;
	}
	return found;
}

/*
 * Every "](target)" of the file at dir/name whose target is not a URL:
 * the file exists (relative to dir; empty: this file), and a "#anchor"
 * is exactly one heading of it.
 */
static int
check_links(const char *dir, const char *name)
{
	char path[512], *text, *s;
	int links = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = slurp(path);
	for (s = strstr(text, "]("); s != NULL; s = strstr(s + 1, "](")) {
		const char *t = s + 2, *hash;
		size_t n = strcspn(t, ")\n");
		char target[512], file[1100], *other;

		ck_assert_msg(t[n] == ')' && n < sizeof(target),
		    "%s: link not closed on its line: %.40s", path, t);
		memcpy(target, t, n);
		target[n] = '\0';
		if (strstr(target, "://") != NULL ||
		    strncmp(target, "mailto:", 7) == 0)
			continue;
		links++;
		hash = strchr(target, '#');
		if (hash == target)
			snprintf(file, sizeof(file), "%s", path);
		else
			snprintf(file, sizeof(file), "%s/%.*s", dir,
			    hash != NULL ? (int)(hash - target) : (int)n, target);
		{
			FILE *fp = fopen(file, "r");

			ck_assert_msg(fp != NULL, "%s: link to %s: no file %s",
			    path, target, file);
			fclose(fp);
		}
		if (hash == NULL)
			continue;
		other = slurp(file);
		ck_assert_msg(has_heading(other, hash + 1) == 1,
		    "%s: link to %s: %s has %d headings whose anchor is %s",
		    path, target, file, has_heading(other, hash + 1), hash + 1);
		free(other);
	}
	free(text);
	return links;
}

START_TEST(links_lead_somewhere)
{
	DIR *d = opendir(DOCS);
	struct dirent *e;
	int files = 0;

	ck_assert_msg(check_links(TOP, "README.md") > 0,
	    "README.md has no relative link: is the check reading it?");
	ck_assert_msg(d != NULL, "cannot open %s", DOCS);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) {
			(void)check_links(DOCS, e->d_name);
			files++;
		}
	}
	closedir(d);
	ck_assert_msg(files > 0, "no docs/*.md");
}
END_TEST

/* --- README's -q examples ------------------------------------------- */

#define QPROMPT "\n$ milter/relaywarden -c conf/relaywarden.conf -q "

/* The words of a command line as sh reads these: split at spaces, '...'
 * taken literally. Returns the count; the words point into line. */
static int
words(char *line, char *argv[], int max)
{
	int argc = 0;
	char *s = line, *o;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		ck_assert_msg(argc < max - 1, "too many words: %s", line);
		argv[argc++] = o = s;
		while (*s != '\0' && *s != ' ') {
			if (*s == '\'') {
				char *q = strchr(s + 1, '\'');

				ck_assert_msg(q != NULL, "unclosed quote: %s", line);
				memmove(o, s + 1, (size_t)(q - s - 1));
				o += q - s - 1;
				s = q + 1;
			} else
				*o++ = *s++;
		}
		if (*s == ' ')
			s++;
		*o = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

START_TEST(readme_queries_are_true)
{
	char *text = slurp(README), *s;
	struct conf_errors errs = { 0 };
	struct config *c = conf_load(TOP "/conf/relaywarden.conf", &errs);
	int examples = 0;

	ck_assert_msg(c != NULL, "conf/relaywarden.conf: %s",
	    errs.n > 0 ? errs.msg[0] : "?");
	for (s = strstr(text, QPROMPT); s != NULL; s = strstr(s + 1, QPROMPT)) {
		char *line, *want, *got = NULL, *argv[32];
		const char *eol = strchr(s + strlen(QPROMPT), '\n'), *fence;
		size_t gotlen = 0;
		FILE *out;
		int argc;

		ck_assert(eol != NULL);
		fence = strstr(eol, "\n```");
		ck_assert(fence != NULL);
		line = strndup(s + strlen(QPROMPT),
		    (size_t)(eol - s - strlen(QPROMPT)));
		want = strndup(eol + 1, (size_t)(fence - eol));
		ck_assert(line != NULL && want != NULL);
		argc = words(line, argv, 32);
		out = open_memstream(&got, &gotlen);
		ck_assert(out != NULL);
		ck_assert_int_eq(query_run(c, argc, argv, out, stderr),
		    0);
		fclose(out);
		ck_assert_msg(strcmp(got, want) == 0, "README.md's example%s"
		    "prints\n%swhere README shows\n%s", QPROMPT, got, want);
		free(got);
		free(want);
		free(line);
		examples++;
	}
	ck_assert_msg(examples > 0, "README.md has no -q example");
	conf_errors_free(&errs);
	config_free(c);
	free(text);
}
END_TEST

/* --- relaywarden-report(8) and its options --------------------------- */

/* The tag line of an option's entry: ".B \-j" or ".BI \-o \" file\"". */
static void
opt_tag(char *tag, size_t len, const struct opts_row *o)
{
	if (o->arg != NULL)
		snprintf(tag, len, ".TP\n.BI \\-%c \" %s\"\n", o->letter, o->arg);
	else
		snprintf(tag, len, ".TP\n.B \\-%c\n", o->letter);
}

START_TEST(report_man_lists_every_option)
{
	const struct opts_row *o;
	char *text = slurp(MAN8_REPORT), tag[128], para[4096], *msg = NULL;
	const char *s;
	size_t msglen = 0;
	FILE *bad = open_memstream(&msg, &msglen);

	ck_assert(bad != NULL);
	for (o = opts_table(); o->letter != 0; o++) {
		opt_tag(tag, sizeof(tag), o);
		s = strstr(text, tag);
		if (s == NULL) {
			fprintf(bad, "\n-%c: no entry %.*s", o->letter,
			    (int)strlen(tag) - 1, tag);
			continue;
		}
		ck_assert_msg(man_paragraph(s + strlen(tag), para, sizeof(para)),
		    "relaywarden-report.8's entry for -%c uses roff that "
		    "check_docs.c cannot read", o->letter);
		if (!starts_with_help(para, o->help))
			fprintf(bad, "\n-%c:\n  help:  %s\n  entry: %.*s",
			    o->letter, o->help, (int)strlen(o->help) + 20, para);
	}
	fclose(bad);
	ck_assert_msg(msglen == 0, "relaywarden-report.8's OPTIONS should have "
	    "an entry per option of report/opts.c, starting with its help "
	    "line, roff aside:%s", msg);
	free(msg);
	free(text);
}
END_TEST

/* Every ".TP" entry of OPTIONS is an option of the table. */
START_TEST(report_man_lists_no_other_option)
{
	char *text = slurp(MAN8_REPORT), *s, *end;
	const struct opts_row *o;
	int entries = 0, rows = 0;

	s = strstr(text, "\n.SH OPTIONS\n");
	ck_assert(s != NULL);
	end = strstr(s + 1, "\n.SH ");
	ck_assert(end != NULL);
	*end = '\0';
	for (s = strstr(s, "\n.TP\n"); s != NULL; s = strstr(s + 1, "\n.TP\n")) {
		char letter = 0;

		if (sscanf(s, "\n.TP\n.B \\-%c", &letter) != 1)
			(void)sscanf(s, "\n.TP\n.BI \\-%c", &letter);
		for (o = opts_table(); o->letter != 0; o++)
			if (o->letter == letter)
				break;
		ck_assert_msg(o->letter != 0, "relaywarden-report.8 documents "
		    "an option -%c that report/opts.c does not have (%.30s)",
		    letter != 0 ? letter : '?', s + 1);
		entries++;
	}
	for (o = opts_table(); o->letter != 0; o++)
		rows++;
	ck_assert_int_eq(entries, rows);
	free(text);
}
END_TEST

Suite *
docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("readme");

	tcase_add_test(tc, readme_lists_every_key);
	tcase_add_test(tc, readme_rows_start_with_help);
	tcase_add_test(tc, readme_lists_no_other_key);
	tcase_add_test(tc, man_page_lists_every_key);
	tcase_add_test(tc, man_entries_start_with_help);
	tcase_add_test(tc, links_lead_somewhere);
	tcase_add_test(tc, readme_queries_are_true);
	tcase_add_test(tc, report_man_lists_every_option);
	tcase_add_test(tc, report_man_lists_no_other_option);
	suite_add_tcase(s, tc);
	return s;
}
