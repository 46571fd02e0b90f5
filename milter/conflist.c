/*
 * conflist - list values, list files, lookup tables and Postfix's own
 * parameters. See confparse.h.
 *
 * A list is read as Postfix reads its lists (mynetworks, mydestination):
 * entries separated by commas and/or white space, each one of
 *   ENTRY          a domain, network or listener ("!" excludes)
 *   /file          a list file: every entry on each line counts, '#'
 *                  comment lines and blank lines are ignored; it may
 *                  name further list files
 *   type:table     the keys of a Postfix lookup table, listed by
 *                  "postmap -s" (hash:, texthash:, lmdb:, cdb:, btree:)
 *   postfix:NAME   the value of Postfix's parameter NAME ("postconf
 *                  -hx"), read again as a list
 * Sources nest at most SOURCE_DEPTH deep (a loop ends there with an
 * error). Every byte read goes into the digest, with where it was read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confparse.h"
#include "postfix.h"


const char conf_seps[] = " \t\r\n\f\v,";
#define seps conf_seps

static void entry(struct parser *ps, const char *s, const char *file,
    unsigned line, conf_entry_fn *each, unsigned depth);

FILE *
conf_open_file(const char *path, bool *irregular)
{
	struct stat st;
	FILE *fp = NULL;
	int fd, flags, e;

	*irregular = false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		*irregular = true;
		goto fail;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (fp = fdopen(fd, "r")) == NULL)
		goto fail;
	return fp;
fail:
	e = errno;
	close(fd);
	errno = e;
	return NULL;
}

void
conf_source(struct parser *ps, const char *path)
{
	char *copy = strdup(path), **grown;

	grown = copy == NULL ? NULL : realloc(ps->c->sources,
	    (ps->c->nsources + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		ps->oom = true;
		return;
	}
	ps->c->sources = grown;
	ps->c->sources[ps->c->nsources++] = copy;
}

/* An uppercase word: the value of a lookup table's source line. */
static bool
table_value(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < 'A' || *s > 'Z')
			return false;
	return true;
}

/* Every entry of text (a list, as Postfix writes one), each at
 * FILE:LINE: a list file's line, or for a source with no lines of its
 * own the line that named it. */
static void
each_of(struct parser *ps, char *text, const char *file, unsigned line,
    conf_entry_fn *each, unsigned depth)
{
	char *s;
	size_t len;

	for (s = text + strspn(text, seps); *s != '\0'; s += strspn(s, seps)) {
		len = strcspn(s, seps);
		if (s[len] != '\0')
			s[len++] = '\0';
		entry(ps, s, file, line, each, depth);
		s += len;
	}
}

/* One line of a list file (n: conf_read_line()'s answer). */
static void
list_line(struct parser *ps, char *buf, long n, const char *path,
    unsigned lineno, conf_entry_fn *each, unsigned depth)
{
	char *s, *second, shown[PATH_SHOWN_MAX];
	size_t len;

	if (n == -2) {
		conf_error_at(ps, path, lineno, "line longer than %d bytes",
		    CONF_LINE_MAX);
		return;
	}
	if (n == -3) {
		conf_error_at(ps, path, lineno, "NUL byte in line");
		return;
	}
	if (conf_blank_or_comment(buf))
		return;
	/* "example.org OK" is a lookup table's source line: as a list, its
	 * "OK" would be a domain of its own. */
	s = buf + strspn(buf, seps);
	second = s + strcspn(s, seps);
	second += strspn(second, seps);
	len = strcspn(second, seps);
	if (len > 0 && second[len + strspn(second + len, seps)] == '\0') {
		char word[64];

		snprintf(word, sizeof(word), "%.*s", (int)len, second);
		if (table_value(word)) {
			conf_error_at(ps, path, lineno, "\"%s\" is a lookup "
			    "table's source (KEY VALUE lines), not a list: "
			    "name it texthash:%s to read its keys", word,
			    escape_show(shown, sizeof(shown), path));
			return;
		}
	}
	each_of(ps, s, path, lineno, each, depth);
}

size_t
conf_shown_max(unsigned depth)
{
	return depth > 1 ? SHOWN_MAX : PATH_SHOWN_MAX;
}

FILE *
conf_open_named(struct parser *ps, const char *path, const char *what,
    const char *file, unsigned line, unsigned depth)
{
	char ebuf[128], spath[PATH_SHOWN_MAX];
	bool irregular;
	FILE *fp;

	escape_show(spath, conf_shown_max(depth), path);
	fp = ps->open_list != NULL ? ps->open_list(path, &irregular,
	    ps->open_arg) : conf_open_file(path, &irregular);
	if (fp == NULL) {
		if (irregular)
			conf_error_at(ps, file, line, "%s \"%s\" is not a "
			    "regular file", what, spath);
		else
			conf_error_at(ps, file, line, "cannot read %s \"%s\": "
			    "%s", what, spath, strerror_r(errno, ebuf,
			    sizeof(ebuf)));
		return NULL;
	}
	conf_source(ps, path);
	/* The digest covers what was read from where. */
	EVP_DigestUpdate(ps->sha, path, strlen(path) + 1);
	return fp;
}

void
conf_close_named(struct parser *ps, FILE *fp, const char *path,
    const char *what, const char *file, unsigned line, unsigned depth)
{
	char ebuf[128], spath[PATH_SHOWN_MAX];

	if (ferror(fp))
		conf_error_at(ps, file, line, "error reading %s \"%s\": %s",
		    what, escape_show(spath, conf_shown_max(depth), path),
		    strerror_r(errno, ebuf, sizeof(ebuf)));
	fclose(fp);
}

static void
read_list_file(struct parser *ps, const char *path, const char *file,
    unsigned line, conf_entry_fn *each, unsigned depth)
{
	char *buf;
	unsigned lineno = 0;
	long n;
	FILE *fp;

	if (ps->no_lists)
		return;		/* the load fails: see conf_load_as() */
	if ((buf = malloc(CONF_LINE_MAX + 2)) == NULL) {
		ps->oom = true;
		return;
	}
	if ((fp = conf_open_named(ps, path, "list file", file, line,
	    depth)) == NULL) {
		free(buf);
		return;
	}
	while ((n = conf_read_line(fp, buf, ps->sha)) != -1 && n != -4)
		list_line(ps, buf, n, path, ++lineno, each, depth);
	conf_close_named(ps, fp, path, "list file", file, line, depth);
	free(buf);
}

/* The keys of a table's "key<TAB>value" lines, as a list. */
static void
keys_of(char *out)
{
	char *r = out, *w = out;

	while (*r != '\0') {
		size_t key = strcspn(r, " \t\n");

		memmove(w, r, key);
		w += key;
		*w++ = ' ';
		r += strcspn(r, "\n");
		r += *r == '\n';
	}
	*w = '\0';
}

/* The files a table is read from, for the watcher. */
static void
table_sources(struct parser *ps, const char *type, size_t tlen,
    const char *path)
{
	static const struct { const char *type, *suffix; } files[] = {
		{ "hash", ".db" }, { "btree", ".db" }, { "lmdb", ".lmdb" },
		{ "cdb", ".cdb" }, { "dbm", ".pag" }, { "sdbm", ".pag" },
		{ "texthash", "" },
	};
	char name[4200];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strlen(files[i].type) == tlen &&
		    strncmp(files[i].type, type, tlen) == 0) {
			snprintf(name, sizeof(name), "%s%s", path,
			    files[i].suffix);
			conf_source(ps, name);
		}
}

char *
conf_ask_postfix(struct parser *ps, const char *s, size_t tlen,
    const char *file, unsigned line, unsigned depth, bool *param)
{
	char shown[PATH_SHOWN_MAX], why[CONF_ERR_MAX], main_cf[4200], *out;
	bool ok;

	*param = tlen == 7 && strncmp(s, "postfix", 7) == 0;
	escape_show(shown, conf_shown_max(depth), s);
	/* A name goes to postconf as an argument: one that is not a
	 * parameter's name could be taken for an option. */
	if (*param && (s[8] == '\0' || s[8 + strspn(s + 8,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")]
	    != '\0')) {
		conf_error_at(ps, file, line, "\"%s\": not a Postfix parameter "
		    "name (letters, digits, '_')", shown);
		return NULL;
	}
	if (!*param && !postfix_can_list(s, tlen)) {
		conf_error_at(ps, file, line, "lookup table \"%s\" cannot be "
		    "listed (Postfix can only ask it one key at a time): write "
		    "its entries in a file, or use a hash:, texthash:, "
		    "lmdb: or cdb: table", shown);
		return NULL;
	}
	if (ps->open_list != NULL) {
		conf_error_at(ps, file, line, "\"%s\": Postfix's tools are not "
		    "run in this load", shown);
		return NULL;
	}
	if (*param) {
		ok = postfix_param(ps->c->postfix_dir, s + 8, &out, why,
		    sizeof(why));
		snprintf(main_cf, sizeof(main_cf), "%s/main.cf",
		    ps->c->postfix_dir);
		conf_source(ps, main_cf);
	} else {
		ok = postfix_table(ps->c->postfix_dir, s, &out, why,
		    sizeof(why));
		table_sources(ps, s, tlen, s + tlen + 1);
	}
	if (!ok) {
		conf_error_at(ps, file, line, "\"%s\": %s", shown, why);
		return NULL;
	}
	EVP_DigestUpdate(ps->sha, s, strlen(s) + 1);
	EVP_DigestUpdate(ps->sha, out, strlen(out));
	return out;
}

/* A "type:table" entry, or "postfix:NAME". */
static void
table(struct parser *ps, const char *s, size_t tlen, const char *file,
    unsigned line, conf_entry_fn *each, unsigned depth)
{
	bool param;
	char *out = conf_ask_postfix(ps, s, tlen, file, line, depth, &param);

	if (out == NULL)
		return;
	if (!param)
		keys_of(out);
	each_of(ps, out, file, line, each, depth);
	free(out);
}

bool
conf_source_entry(struct parser *ps, const char *s, const char *file,
    unsigned line, unsigned depth, size_t *tlen)
{
	char shown[SHOWN_MAX];
	bool is_table;

	*tlen = strcspn(s, ":");
	is_table = s[*tlen] == ':' && (postfix_is_table_type(s, *tlen) ||
	    (*tlen == 7 && strncmp(s, "postfix", 7) == 0));
	if ((s[0] == '/' || is_table) && depth >= SOURCE_DEPTH) {
		conf_error_at(ps, file, line, "\"%s\": lists nest deeper than "
		    "%d levels (a loop?)", escape_show(shown, sizeof(shown), s),
		    SOURCE_DEPTH);
		return false;
	}
	return is_table;
}

static void
entry(struct parser *ps, const char *s, const char *file, unsigned line,
    conf_entry_fn *each, unsigned depth)
{
	size_t tlen;
	bool is_table = conf_source_entry(ps, s, file, line, depth, &tlen);

	if ((s[0] == '/' || is_table) && depth >= SOURCE_DEPTH)
		return;		/* said by conf_source_entry() */
	if (s[0] == '/')
		read_list_file(ps, s, file, line, each, depth + 1);
	else if (is_table)
		table(ps, s, tlen, file, line, each, depth + 1);
	else
		each(ps, s, file, line);
}

/* Every word of value, read as list entries (dispatch: files, tables)
 * or as they are. */
static void
split_value(struct parser *ps, const char *value, const char *file,
    unsigned line, conf_entry_fn *each, bool dispatch)
{
	char *copy = strdup(value), *s;

	if (copy == NULL) {
		ps->oom = true;
		return;
	}
	/* A value from the main file holds a '\n' for each line break
	 * (see confread.c): an entry's line is its setting's plus those. */
	for (s = copy; ; ) {
		size_t len;
		char sep;

		for (; *s != '\0' && strchr(seps, *s) != NULL; s++)
			line += *s == '\n';
		if (*s == '\0')
			break;
		len = strcspn(s, seps);
		sep = s[len];
		s[len] = '\0';
		if (dispatch)
			entry(ps, s, file, line, each, 0);
		else
			each(ps, s, file, line);
		s += len;
		if (sep != '\0') {
			line += sep == '\n';
			s++;
		}
	}
	free(copy);
}

void
conf_each_entry(struct parser *ps, const char *value, const char *file,
    unsigned line, conf_entry_fn *each)
{
	split_value(ps, value, file, line, each, true);
}

void
conf_each_word(struct parser *ps, const char *value, const char *file,
    unsigned line, conf_entry_fn *each)
{
	split_value(ps, value, file, line, each, false);
}
