/*
 * confmap - maps read as Postfix reads its lookup tables' sources, for
 * sender_login_maps (the owner map: Postfix's smtpd_sender_login_maps)
 * and limit_overrides. See confparse.h.
 *
 * The value is a list of sources, separated as a list's entries are:
 *   /file          a map's source text, as postmap reads it: "KEY OWNERS"
 *                  lines, '#' comment and blank lines ignored, a line
 *                  that starts with white space continues the one before
 *   type:table     every entry of a Postfix table (postmap -s): hash:,
 *                  texthash:, lmdb:, cdb:, btree:, dbm:
 *   postfix:NAME   the maps a Postfix parameter names (postconf -hx), e.g.
 *                  postfix:smtpd_sender_login_maps, each read as above
 * A key twice in one file is an error (Postfix would warn and use the
 * first); across sources the first source that has a key decides, as
 * Postfix's lookups do. Each map's own add() checks and keeps an entry.
 */
#include <stdlib.h>
#include <string.h>

#include "confparse.h"
#include "sender.h"

static void source_entry(struct parser *ps, const char *s, const char *file,
    unsigned line, unsigned depth);

/* The map being read: ps->map (a load reads one value at a time). */
#define MAP(ps)	((const struct conf_map *)(ps)->map)

/* One source file being read: its path and the keys seen in it, each
 * with its line. */
struct mapfile {
	const char	*path;
	struct strmap	seen;
};

/* One logical line "KEY OWNERS" of a map file. */
static void
take_line(struct parser *ps, char *text, unsigned line, void *arg)
{
	struct mapfile *mf = arg;
	char *key = text + strspn(text, " \t"), *owners, shown[SHOWN_MAX];
	char low[SENDER_KEY_MAX];
	size_t klen = strcspn(key, " \t\n"), i;
	const void *seen;
	unsigned first;

	owners = key + klen;
	owners += strspn(owners, " \t\n");
	if (klen > 0 && klen < SENDER_KEY_MAX) {
		/* Keys are looked up without case: "A@b" repeats "a@b". */
		for (i = 0; i < klen; i++)
			low[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ?
			    key[i] - 'A' + 'a' : key[i]);
		low[klen] = '\0';
		if ((seen = strmap_find(&mf->seen, low, klen)) != NULL) {
			memcpy(&first, seen, sizeof(first));	/* unaligned */
			conf_error_at(ps, mf->path, line, "%s: duplicate key "
			    "\"%s\" (first at line %u; Postfix would use the "
			    "first): remove one", MAP(ps)->what, escape_show(shown,
			    sizeof(shown), low), first);
			return;
		}
		if (strmap_add(&mf->seen, low, klen, &line, sizeof(line)) ==
		    STRMAP_NOMEM) {
			ps->oom = true;
			return;
		}
	}
	MAP(ps)->add(ps, key, klen, owners, mf->path, line);
}

static void
read_map_file(struct parser *ps, const char *path, const char *file,
    unsigned line, unsigned depth)
{
	struct mapfile mf = { path, { 0 } };
	const struct conf_logical how = {
		path, "map entry", "", take_line, &mf
	};
	FILE *fp;

	if (ps->no_lists)
		return;		/* the load fails: see conf_load_as() */
	if ((fp = conf_open_named(ps, path, "map file", file, line,
	    depth)) == NULL)
		return;
	conf_read_logical(ps, fp, &how);
	conf_close_named(ps, fp, path, "map file", file, line, depth);
	strmap_free(&mf.seen);
}

/* postmap -s's "key<TAB>value" lines, each at the line that named the
 * table. */
static void
table_entries(struct parser *ps, char *out, const char *file,
    unsigned line)
{
	char *s, *eol, *owners;
	size_t klen;

	for (s = out; *s != '\0'; s = eol) {
		eol = s + strcspn(s, "\n");
		if (*eol == '\n')
			*eol++ = '\0';
		klen = strcspn(s, " \t");
		owners = s + klen + strspn(s + klen, " \t");
		MAP(ps)->add(ps, s, klen, owners, file, line);
	}
}

static void
source_entry(struct parser *ps, const char *s, const char *file,
    unsigned line, unsigned depth)
{
	char shown[SHOWN_MAX], *out, *copy, *e;
	size_t tlen, len;
	bool param, is_table = conf_source_entry(ps, s, file, line, depth,
	    &tlen);

	if ((s[0] == '/' || is_table) && depth >= SOURCE_DEPTH)
		return;		/* said by conf_source_entry() */
	if (s[0] == '/') {
		read_map_file(ps, s, file, line, depth + 1);
		return;
	}
	if (!is_table) {
		conf_error_at(ps, file, line, "%s: \"%s\" is not a map: "
		    "write /path/to/file, type:table (e.g. hash:/etc/postfix/"
		    "%s) or postfix:NAME", MAP(ps)->what, escape_show(shown,
		    sizeof(shown), s), MAP(ps)->example);
		return;
	}
	if ((out = conf_ask_postfix(ps, s, tlen, file, line, depth + 1,
	    &param)) == NULL)
		return;
	if (!param) {
		table_entries(ps, out, file, line);
		free(out);
		return;
	}
	/* A parameter's value names maps: each is a source of its own. */
	for (copy = out; *(copy += strspn(copy, conf_seps)) != '\0';
	    copy += len) {
		len = strcspn(copy, conf_seps);
		e = copy;
		if (copy[len] != '\0')
			copy[len++] = '\0';
		source_entry(ps, e, file, line, depth + 1);
	}
	free(out);
}

static void
map_source(struct parser *ps, const char *entry, const char *file,
    unsigned line)
{
	source_entry(ps, entry, file, line, 0);
}

void
conf_each_map_entry(struct parser *ps, const char *value, const char *file,
    unsigned line, const struct conf_map *map)
{
	ps->map = map;
	conf_each_word(ps, value, file, line, map_source);
	ps->map = NULL;
}
