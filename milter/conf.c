/*
 * conf - a load from start to end, -n's printout, what a reload cannot
 * change. See conf.h; the parts are named in confparse.h.
 *
 * A load reads in two passes: the main file is first split into settings
 * (name, value, where), then every key of the table is applied in table
 * order, from the file or from its default. The errors of both passes
 * are then put in the order of the lines they are about (a list file's
 * at the line that names it), as an admin reads the file.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

const char *
conf_type_name(enum conf_type type)
{
	static const char *const names[] = {
		[CONF_BOOL] = "bool", [CONF_ENUM] = "enum",
		[CONF_MODE] = "octal", [CONF_LIST] = "list",
		[CONF_PATH] = "path", [CONF_SOCKET] = "socket",
		[CONF_ACCOUNT] = "account", [CONF_WORD] = "word",
		[CONF_DIR] = "directory", [CONF_NUMBER] = "number",
	};

	return (size_t)type < sizeof(names) / sizeof(names[0]) ?
	    names[type] : "?";
}

static void
set_digest(struct config *c, EVP_MD_CTX *sha)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i;

	EVP_DigestFinal_ex(sha, md, &len);
	for (i = 0; i < len && 2 * i + 2 < sizeof(c->digest); i++) {
		c->digest[2 * i] = hex[md[i] >> 4];
		c->digest[2 * i + 1] = hex[md[i] & 0xf];
	}
	c->digest[2 * i] = '\0';
	memcpy(c->digest_short, c->digest, sizeof(c->digest_short) - 1);
	c->digest_short[sizeof(c->digest_short) - 1] = '\0';
}

/* The caller's say over the list files, before any is opened. */
static void
before_lists(struct parser *ps, conf_user_fn *as_user, void *arg)
{
	int k = conf_key_index("user");
	const char *user = ps->settings[k].line != 0 ? ps->settings[k].value :
	    conf_rows[k].pub.def;
	char why[CONF_ERR_MAX];

	if (!conf_is_account_name(user)) {
		ps->no_lists = true;	/* its setter reports it */
	} else if (!as_user(user, arg, why, sizeof(why))) {
		ps->no_lists = true;
		ps->about = UINT_MAX;
		conf_error_at(ps, ps->path, 0, "%s", why);
	}
}

/* Every key, from the file or from its default; the file's values are
 * kept for -n. */
static void
apply_all(struct parser *ps)
{
	size_t i;

	for (i = 0; i < conf_nrows; i++) {
		struct setting *s = &ps->settings[i];

		/* A default's errors go after every line. */
		ps->about = s->line != 0 ? s->line : UINT_MAX;
		conf_apply(ps, i, s->line != 0 ? s->value : conf_rows[i].pub.def,
		    ps->path, s->line);
		if (s->line != 0) {
			ps->c->text[i] = s->value;
			s->value = NULL;
		}
	}
	ps->about = UINT_MAX;
}

/* Where a load reads its main file from. */
struct source {
	const char	*path;		/* its name in errors */
	const char	*text;		/* NULL: read the file at path */
	size_t		len;
	conf_user_fn	*as_user;
	void		*user_arg;
	conf_open_fn	*open_list;
	void		*open_arg;
};

/* Opens the source's main file (or text); NULL after an error. */
static FILE *
open_main(struct parser *ps, const struct source *src)
{
	char ebuf[128];
	bool irregular;
	FILE *fp;

	if (src->text != NULL) {
		/* fmemopen() of 0 bytes fails: an empty file reads as one. */
		fp = src->len > 0 ? fmemopen((void *)src->text, src->len, "r") :
		    fopen("/dev/null", "r");
		if (fp == NULL)
			conf_error_at(ps, src->path, 0, "out of memory");
		return fp;
	}
	if ((fp = conf_open_file(src->path, &irregular)) == NULL) {
		if (irregular)
			conf_error_at(ps, src->path, 0, "not a regular file");
		else
			conf_error_at(ps, src->path, 0, "cannot open: %s",
			    strerror_r(errno, ebuf, sizeof(ebuf)));
	}
	return fp;
}

static bool
parser_init(struct parser *ps, const struct source *src,
    struct conf_errors *errs)
{
	memset(ps, 0, sizeof(*ps));
	ps->path = src->path;
	ps->errs = errs;
	ps->first = errs->n;
	ps->open_list = src->open_list;
	ps->open_arg = src->open_arg;
	ps->c = config_new();
	ps->sha = EVP_MD_CTX_new();
	ps->settings = calloc(conf_nrows, sizeof(*ps->settings));
	if (ps->c != NULL && (ps->c->text = calloc(conf_nrows,
	    sizeof(*ps->c->text))) != NULL)
		ps->c->ntext = conf_nrows;
	if (ps->c == NULL || ps->c->text == NULL || ps->sha == NULL ||
	    ps->settings == NULL ||
	    EVP_DigestInit_ex(ps->sha, EVP_sha256(), NULL) != 1) {
		conf_error_at(ps, src->path, 0, "out of memory");
		return false;
	}
	return true;
}

static struct config *
load(const struct source *src, struct conf_errors *errs)
{
	struct parser ps;
	size_t before = errs->n + errs->dropped, i;
	FILE *fp;

	if (parser_init(&ps, src, errs) && (fp = open_main(&ps, src)) != NULL) {
		conf_read_main(&ps, fp);
		fclose(fp);
		if (src->as_user != NULL)
			before_lists(&ps, src->as_user, src->user_arg);
		apply_all(&ps);
		set_digest(ps.c, ps.sha);
		if (ps.oom)
			conf_error_at(&ps, src->path, 0, "out of memory");
	}
	conf_sort_errors(&ps);
	free(ps.order);
	for (i = 0; ps.settings != NULL && i < conf_nrows; i++)
		free(ps.settings[i].value);
	free(ps.settings);
	EVP_MD_CTX_free(ps.sha);
	/* Skipped list files always come with an error; never a config
	 * without them, even so. */
	if (errs->n + errs->dropped != before || ps.no_lists) {
		config_free(ps.c);
		return NULL;
	}
	return ps.c;
}

struct config *
conf_load(const char *path, struct conf_errors *errs)
{
	return conf_load_as(path, errs, NULL, NULL);
}

struct config *
conf_load_as(const char *path, struct conf_errors *errs,
    conf_user_fn *as_user, void *arg)
{
	struct source src = { path, NULL, 0, as_user, arg, NULL, NULL };

	return load(&src, errs);
}

struct config *
conf_load_text(const char *name, const char *text, size_t len,
    struct conf_errors *errs, conf_open_fn *open_list, void *arg)
{
	struct source src = { name, text, len, NULL, NULL, open_list, arg };

	return load(&src, errs);
}

/* --- -n and reloads ---------------------------------------------------- */

/* Row k's value on one line: a list's line breaks and runs of white
 * space become one space. */
static void
one_line(const struct config *c, size_t k, char *buf, size_t len)
{
	char *r, *w;

	conf_format(c, k, buf, len);
	for (r = w = buf; *r != '\0'; r++) {
		if (strchr(conf_blanks, *r) != NULL) {
			if (w > buf && w[-1] != ' ')
				*w++ = ' ';
			continue;
		}
		*w++ = *r;
	}
	while (w > buf && w[-1] == ' ')
		w--;
	*w = '\0';
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(conf_rows[*(const size_t *)a].pub.name,
	    conf_rows[*(const size_t *)b].pub.name);
}

void
conf_print(FILE *out, const struct config *c, bool all)
{
	size_t *order = malloc(conf_nrows * sizeof(*order)), i, n = 0;
	size_t cap = 1024 * 1024 + 1;	/* a setting's longest value */
	char *buf = malloc(cap), *shown = malloc(4 * cap + 12);

	for (i = 0; order != NULL && i < conf_nrows; i++)
		if (all || (c->text != NULL && c->text[i] != NULL))
			order[n++] = i;
	qsort(order, n, sizeof(order[0]), by_name);
	for (i = 0; buf != NULL && shown != NULL && i < n; i++) {
		one_line(c, order[i], buf, cap);
		fprintf(out, "%s = %s\n", conf_rows[order[i]].pub.name,
		    escape_show(shown, 4 * cap + 12, buf));
	}
	free(order);
	free(buf);
	free(shown);
}

bool
conf_keep_start_keys(const struct config *running, struct config *loaded,
    conf_changed_fn *changed, void *arg)
{
	char was[1024], now[1024];
	size_t i;

	for (i = 0; i < conf_nrows; i++) {
		if (!conf_rows[i].pub.restart)
			continue;
		one_line(running, i, was, sizeof(was));
		one_line(loaded, i, now, sizeof(now));
		if (strcmp(was, now) == 0)
			continue;
		changed(conf_rows[i].pub.name, was, now, arg);
		if (!conf_copy(running, loaded, i))
			return false;
	}
	return true;
}
