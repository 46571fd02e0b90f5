/*
 * testutil - helpers shared by the suites: a temporary directory for
 * config and list files, a policy built from config text the way an
 * admin writes it, and the collected config errors as one string.
 *
 * Everything is static inline because the Makefile compiles only
 * tests/check_*.c. Helpers that fail call ck_abort_msg(), so they are
 * for use inside a test. Memory: every char * returned is malloc'd and
 * freed by the caller; tu_dir_remove() deletes the directory and all in it.
 */
#ifndef RW_TESTUTIL_H
#define RW_TESTUTIL_H

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "policy.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A printable, unambiguous form of a possibly-NULL string for messages. */
#define TU_S(s) ((s) != NULL ? (s) : "(null)")

/* text with bytes outside printable ASCII shown as \xHH, for failure
 * messages; returns buf. */
static inline const char *
tu_show(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	if (text == NULL)
		return "(null)";
	for (; *text != '\0' && o + 5 < len; text++) {
		unsigned char c = (unsigned char)*text;

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

struct tu_dir {
	char	path[64];
};

/*
 * A new directory, inside the run's own directory ($RW_CHECK_ROOT, made
 * and removed whole by check_main.c), so that a test that fails before
 * its tu_dir_remove() leaves nothing behind.
 */
static inline void
tu_dir_make(struct tu_dir *d)
{
	const char *root = getenv("RW_CHECK_ROOT");

	snprintf(d->path, sizeof(d->path), "%s/rw-check-XXXXXX",
	    root != NULL && strlen(root) < 32 ? root : "/tmp");
	ck_assert_msg(mkdtemp(d->path) != NULL, "mkdtemp failed");
}

static inline int
tu_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

static inline void
tu_dir_remove(struct tu_dir *d)
{
	if (d->path[0] != '\0')
		(void)nftw(d->path, tu_rm_one, 8, FTW_DEPTH | FTW_PHYS);
	d->path[0] = '\0';
}

/* text with every "@DIR@" replaced by dir. */
static inline char *
tu_subst(const char *text, const char *dir)
{
	static const char tag[] = "@DIR@";
	size_t n = 0, dlen = strlen(dir);
	const char *s, *hit;
	char *out, *o;

	for (s = text; (hit = strstr(s, tag)) != NULL; s = hit + sizeof(tag) - 1)
		n++;
	out = malloc(strlen(text) + n * dlen + 1);
	ck_assert(out != NULL);
	for (o = out, s = text; (hit = strstr(s, tag)) != NULL;
	    s = hit + sizeof(tag) - 1) {
		memcpy(o, s, (size_t)(hit - s));
		o += hit - s;
		memcpy(o, dir, dlen);
		o += dlen;
	}
	strcpy(o, s);
	return out;
}

/* Writes len bytes of text to dir/name (text may hold NUL bytes);
 * returns the path. */
static inline char *
tu_write_n(const struct tu_dir *d, const char *name, const char *text,
    size_t len)
{
	char *path;
	FILE *fp;

	ck_assert(asprintf(&path, "%s/%s", d->path, name) > 0);
	fp = fopen(path, "w");
	ck_assert_msg(fp != NULL, "cannot create %s", path);
	ck_assert(fwrite(text, 1, len, fp) == len);
	ck_assert(fclose(fp) == 0);
	return path;
}

/* Writes text, with "@DIR@" replaced by the directory, to dir/name. */
static inline char *
tu_write(const struct tu_dir *d, const char *name, const char *text)
{
	char *body = tu_subst(text, d->path), *path;

	path = tu_write_n(d, name, body, strlen(body));
	free(body);
	return path;
}

/* The errors of a load, one per line, "" when none, then
 * "(N dropped)" when some were dropped. */
static inline char *
tu_errors_join(const struct conf_errors *e)
{
	size_t i, len = 32;
	char *out;

	for (i = 0; i < e->n; i++)
		len += strlen(e->msg[i]) + 1;
	out = malloc(len);
	ck_assert(out != NULL);
	out[0] = '\0';
	for (i = 0; i < e->n; i++) {
		strcat(out, e->msg[i]);
		strcat(out, "\n");
	}
	if (e->dropped != 0)
		snprintf(out + strlen(out), 32, "(%zu dropped)\n", e->dropped);
	return out;
}

/* Builds a config from config text (conf_load_text()); the test fails
 * with the errors if the text is refused. Free it with config_free(). */
static inline struct config *
tu_config(const char *text)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct config *c;
	char *joined;

	c = conf_load_text("relaywarden.conf", text, strlen(text), &errs, NULL,
	    NULL);
	joined = tu_errors_join(&errs);
	conf_errors_free(&errs);
	ck_assert_msg(c != NULL && joined[0] == '\0',
	    "config refused:\n%s--- config:\n%s", joined, text);
	free(joined);
	return c;
}

#endif
