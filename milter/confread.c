/*
 * confread - the main file: physical lines, continuations, comments, the
 * settings in it, and the error list (FILE:LINE: message, in the file's
 * order). See confparse.h.
 *
 * A setting's value keeps a '\n' for each line break of its continuation
 * lines, so that a list entry's error names the entry's own line.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

#define LOGICAL_MAX	(1024 * 1024)	/* one setting, continuations included */

const char conf_blanks[] = " \t\r\n\f\v";

/* Appends "FILE:LINE: message" (or "FILE: message" when line is 0). */
void
conf_error_at(struct parser *ps, const char *file, unsigned line,
    const char *fmt, ...)
{
	struct conf_errors *e = ps->errs;
	char msg[CONF_ERR_MAX], *full, **grown, *shown;
	unsigned *order;
	size_t flen = strlen(file);
	va_list ap;
	int n = -1;

	if (e->n >= CONF_ERRORS_MAX) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Room for every byte as \xHH: the name is never cut. */
	if ((shown = malloc(4 * flen + 12)) != NULL) {
		escape_show(shown, 4 * flen + 12, file);
		if (line > 0)
			n = asprintf(&full, "%s:%u: %s", shown, line, msg);
		else
			n = asprintf(&full, "%s: %s", shown, msg);
		free(shown);
	}
	grown = n < 0 ? NULL : realloc(e->msg, (e->n + 1) * sizeof(*e->msg));
	order = grown == NULL ? NULL : realloc(ps->order,
	    (e->n + 1 - ps->first) * sizeof(*order));
	if (grown != NULL)
		e->msg = grown;
	if (order == NULL) {
		if (n >= 0)
			free(full);
		ps->oom = true;
		e->dropped++;
		return;
	}
	ps->order = order;
	order[e->n - ps->first] = ps->about != 0 ? ps->about : line;
	e->msg[e->n++] = full;
}

/* Puts this load's errors in line order; stable, so a line's errors (a
 * list file's among them) keep the order they were found in. At most
 * CONF_ERRORS_MAX of them: an insertion sort. */
void
conf_sort_errors(struct parser *ps)
{
	size_t n = ps->errs->n - ps->first, i, j;
	char **msg;

	if (n < 2)
		return;		/* and msg may be NULL: no offset on it */
	msg = ps->errs->msg + ps->first;
	for (i = 1; i < n; i++) {
		unsigned key = ps->order[i];
		char *m = msg[i];

		for (j = i; j > 0 && ps->order[j - 1] > key; j--) {
			ps->order[j] = ps->order[j - 1];
			msg[j] = msg[j - 1];
		}
		ps->order[j] = key;
		msg[j] = m;
	}
}

void
conf_errors_free(struct conf_errors *errs)
{
	size_t i;

	if (errs == NULL)
		return;
	for (i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	errs->msg = NULL;
	errs->n = 0;
	errs->dropped = 0;
}

/*
 * Reads one physical line (without its newline) into buf, which has
 * CONF_LINE_MAX + 2 bytes. Returns its length, -1 at end of file, -2 when
 * longer than CONF_LINE_MAX (the rest of the line is read and dropped:
 * memory stays bounded whatever the file holds), -3 when it holds a NUL
 * byte, -4 on a read error (never taken for the end of the file).
 */
long
conf_read_line(FILE *fp, char *buf, EVP_MD_CTX *sha)
{
	size_t n = 0;
	bool nul = false, over = false;
	int c;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (c == '\0')
			nul = true;
		if (n <= CONF_LINE_MAX)
			buf[n++] = (char)c;
		else
			over = true;
	}
	if (c == EOF && ferror(fp))
		return -4;
	if (c == EOF && n == 0)
		return -1;
	buf[n] = '\0';
	/* The digest is over the bytes as they are in the file, so that for a
	 * file without list files it equals sha256sum's. */
	if (sha != NULL) {
		EVP_DigestUpdate(sha, buf, n);
		if (c == '\n')
			EVP_DigestUpdate(sha, "\n", 1);
	}
	if (over || n > CONF_LINE_MAX)
		return -2;
	return nul ? -3 : (long)n;
}

bool
conf_blank_or_comment(const char *s)
{
	s += strspn(s, conf_blanks);
	return *s == '\0' || *s == '#';
}

/* One logical line "name = value" that started at line. */
static void
take_setting(struct parser *ps, char *text, unsigned line, void *arg)
{
	char *name = text + strspn(text, conf_blanks), *eq, *value, *end;
	size_t nlen = strcspn(name, " \t=");
	int k;

	(void)arg;
	eq = name + nlen + strspn(name + nlen, " \t");
	if (*eq != '=') {
		conf_error_at(ps, ps->path, line, "expected \"name = value\"");
		return;
	}
	name[nlen] = '\0';
	value = eq + 1 + strspn(eq + 1, conf_blanks);
	end = value + strlen(value);
	while (end > value && strchr(conf_blanks, end[-1]) != NULL)
		*--end = '\0';
	if ((k = conf_key_index(name)) < 0) {
		char shown[SHOWN_MAX];

		conf_error_at(ps, ps->path, line, "unknown setting \"%s\"",
		    escape_show(shown, sizeof(shown), name));
		return;
	}
	if (ps->settings[k].line != 0) {
		conf_error_at(ps, ps->path, line, "%s is set twice (first at "
		    "line %u)", name, ps->settings[k].line);
		return;
	}
	if ((ps->settings[k].value = strdup(value)) == NULL) {
		ps->oom = true;
		return;
	}
	/* Only a list counts its entries' lines; anything else reads its
	 * continuation lines' breaks as spaces. */
	if (conf_rows[k].pub.type != CONF_LIST)
		for (end = ps->settings[k].value; *end != '\0'; end++)
			if (*end == '\n')
				*end = ' ';
	ps->settings[k].line = line;
}

/* The logical line being gathered: a setting (or a map entry) and its
 * continuations. */
struct logical {
	const struct conf_logical *how;
	char		*text;
	size_t		len;
	unsigned	start;		/* its first line; 0: none */
	unsigned	last;		/* the last line taken into it */
	bool		skip;		/* already in error: dropped */
};

/* A continuation line (it starts with white space), as in main.cf.
 * False when out of memory. */
static bool
continuation(struct parser *ps, struct logical *lg, const char *buf, size_t n,
    unsigned lineno)
{
	size_t breaks;
	char *grown;

	if (lg->start == 0) {
		conf_error_at(ps, lg->how->file, lineno, "continuation line (it "
		    "starts with white space) with no %s before it",
		    lg->how->what);
		return true;
	}
	if (lg->skip)
		return true;
	/* One '\n' per line break since the last line taken, comments and
	 * blank lines included, so that an entry's error names its own
	 * line. */
	breaks = lineno - lg->last;
	if (lg->len + breaks + n > LOGICAL_MAX) {
		conf_error_at(ps, lg->how->file, lg->start, "%s longer than %d "
		    "bytes%s", lg->how->what, LOGICAL_MAX, lg->how->hint);
		lg->skip = true;
		return true;
	}
	if ((grown = realloc(lg->text, lg->len + breaks + n + 1)) == NULL)
		return false;
	lg->text = grown;
	memset(lg->text + lg->len, '\n', breaks);
	lg->len += breaks;
	memcpy(lg->text + lg->len, buf, n + 1);
	lg->len += n;
	lg->last = lineno;
	return true;
}

/* A line that starts a setting (n: conf_read_line()'s answer). False
 * when out of memory. */
static bool
first_line(struct parser *ps, struct logical *lg, const char *buf, long n,
    unsigned lineno)
{
	lg->start = lg->last = lineno;
	lg->skip = false;
	lg->len = 0;
	if (n == -2 || n == -3) {
		if (n == -2)
			conf_error_at(ps, lg->how->file, lineno, "line longer "
			    "than %d bytes", CONF_LINE_MAX);
		else
			conf_error_at(ps, lg->how->file, lineno,
			    "NUL byte in line");
		lg->skip = true;
		return true;
	}
	free(lg->text);
	if ((lg->text = strdup(buf)) == NULL)
		return false;
	lg->len = (size_t)n;
	return true;
}

void
conf_read_logical(struct parser *ps, FILE *fp, const struct conf_logical *how)
{
	char *buf = malloc(CONF_LINE_MAX + 2);
	struct logical lg = { how, NULL, 0, 0, 0, false };
	unsigned lineno = 0;
	bool ok = buf != NULL;
	long n;

	while (ok) {
		n = conf_read_line(fp, buf, ps->sha);
		if (n == -4)
			break;		/* reported below: ferror() */
		if (n != -1)
			lineno++;
		if (n >= 0 && conf_blank_or_comment(buf))
			continue;
		if (n >= 0 && (buf[0] == ' ' || buf[0] == '\t')) {
			ok = continuation(ps, &lg, buf, (size_t)n, lineno);
			continue;
		}
		/* Anything else ends the logical line before it. */
		if (lg.start != 0 && !lg.skip)
			how->take(ps, lg.text, lg.start, how->arg);
		lg.start = 0;
		if (n == -1)
			break;
		ok = first_line(ps, &lg, buf, n, lineno);
	}
	if (!ok)
		ps->oom = true;
	if (ferror(fp))
		conf_error_at(ps, how->file, 0, "read error");
	free(buf);
	free(lg.text);
}

void
conf_read_main(struct parser *ps, FILE *fp)
{
	const struct conf_logical how = {
		ps->path, "setting", ": put long lists in a file",
		take_setting, NULL
	};

	conf_read_logical(ps, fp, &how);
}
