/*
 * confparse - what the parts of the configuration reader share: the
 * parser's state, its error list and the key table. Not an interface for
 * the rest of the daemon (that is conf.h).
 *
 *   confread.c   the main file: lines, continuations, comments, errors
 *                as FILE:LINE in the file's order, the digest
 *   conflist.c   list values and list files
 *   confkeys.c   the key table and the setters
 *   conf.c       a load from start to end, -n's printout, reloads
 */
#ifndef RW_CONFPARSE_H
#define RW_CONFPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "conf.h"
#include "escape.h"

#define CONF_ERR_MAX	512
/* How deep list files, tables and postfix: entries may nest. */
#define SOURCE_DEPTH	8
/*
 * Every value an error message quotes goes through escape_show(): the
 * file's bytes must not put a control byte (a line break, a terminal
 * escape) or an 8-bit byte into the terminal of "relaywarden -n" or into
 * syslog. A value, and anything read from a list file, is shown up to 64
 * bytes, then "..." (ESCAPE_SHOW_MAX); a path named in the main file up
 * to ~290.
 */
#define SHOWN_MAX	ESCAPE_SHOW_MAX
#define PATH_SHOWN_MAX	300

struct setting {
	char		*value;
	unsigned	line;		/* 0: not in the file */
};

struct parser {
	const char	*path;		/* FILE of the main file's errors */
	struct conf_errors *errs;
	struct config	*c;
	EVP_MD_CTX	*sha;
	struct setting	*settings;	/* one per key, table order */
	bool		oom;
	/* Where each error of this load goes in the file's order: the
	 * main file's line it is about (UINT_MAX: after every line). */
	size_t		first;		/* errs->n when the load began */
	unsigned	*order;		/* one per error from errs->msg[first] */
	unsigned	about;		/* applying a setting: the line every
					 * error is about; 0: its own line */
	bool		no_lists;	/* conf_load_as(): read no list file */
	conf_open_fn	*open_list;	/* NULL: conf_open_file() */
	const void	*map;		/* the struct conf_map being read */
	void		*open_arg;
};

/* confread.c */
void	conf_error_at(struct parser *ps, const char *file, unsigned line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	conf_sort_errors(struct parser *ps);
long	conf_read_line(FILE *fp, char *buf, EVP_MD_CTX *sha);
bool	conf_blank_or_comment(const char *s);
void	conf_read_main(struct parser *ps, FILE *fp);
/* Logical lines as main.cf has them (a line that starts with white space
 * continues the one before; '#' comment and blank lines are skipped):
 * take(ps, text, first line, arg) for each, errors at file:line. */
struct conf_logical {
	const char	*file;
	const char	*what;		/* "setting", "map entry" */
	const char	*hint;		/* after "WHAT longer than N bytes" */
	void		(*take)(struct parser *, char *text, unsigned line,
			    void *arg);
	void		*arg;
};
void	conf_read_logical(struct parser *ps, FILE *fp,
	    const struct conf_logical *how);
extern const char conf_blanks[];

/* conflist.c: calls each(ps, entry, file, line) for every entry of a
 * list value, reading absolute paths as list files. */
typedef void conf_entry_fn(struct parser *, const char *entry,
	    const char *file, unsigned line);
void	conf_each_entry(struct parser *ps, const char *value, const char *file,
	    unsigned line, conf_entry_fn *each);
/* Every word of a value, each at its own line, with no list file or
 * table read (a map's sources: confmap.c). */
void	conf_each_word(struct parser *ps, const char *value, const char *file,
	    unsigned line, conf_entry_fn *each);
/* confmap.c: maps (KEY VALUE sources, as Postfix's tables); each
 * entry's key (klen bytes) and value go to add(), which checks it. */
struct conf_map {
	const char	*what;		/* the setting, for errors */
	const char	*example;	/* a hash: table's name, for errors */
	void		(*add)(struct parser *, const char *key, size_t klen,
			    char *value, const char *file, unsigned line);
};
void	conf_each_map_entry(struct parser *ps, const char *value,
	    const char *file, unsigned line, const struct conf_map *map);
/* confrate.c: the rate limit settings. */
void	conf_set_limits(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_overrides(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_store(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_exempt(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
/* conflisten.c: the listener lists. */
void	conf_set_smtp_ports(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_sub_ports(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
/* confsender.c: the sender check's settings. */
void	conf_set_login_maps(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_login_domains(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_login_domain(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
void	conf_set_delimiters(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
/* What a list and a map share (conflist.c): */
extern const char conf_seps[];		/* between entries */
/* Remembers a file the config was read from (for the watcher). */
void	conf_source(struct parser *ps, const char *path);
/* How much of a path or table an error quotes: one from a list file is
 * that file's bytes, quoted as little as its entries. */
size_t	conf_shown_max(unsigned depth);
/* True when s is a type:table or postfix:NAME entry (*tlen: the length
 * of its type); an error at file:line when a /file or such an entry
 * would nest deeper than SOURCE_DEPTH (then it must not be read). */
bool	conf_source_entry(struct parser *ps, const char *s, const char *file,
	    unsigned line, unsigned depth, size_t *tlen);
/* Opens a file that a value names, for the digest and the watcher;
 * NULL after an error ("cannot read WHAT \"path\": ...") at
 * file:line. conf_close_named() says a read error and closes it. */
FILE	*conf_open_named(struct parser *ps, const char *path,
	    const char *what, const char *file, unsigned line,
	    unsigned depth);
void	conf_close_named(struct parser *ps, FILE *fp, const char *path,
	    const char *what, const char *file, unsigned line,
	    unsigned depth);
/* postconf -hx NAME for "postfix:NAME" (*param set), postmap -s for
 * "type:table": the output (the caller frees it), into the digest and
 * the watcher's files; NULL after an error at file:line. */
char	*conf_ask_postfix(struct parser *ps, const char *s, size_t tlen,
	    const char *file, unsigned line, unsigned depth, bool *param);

/* confkeys.c */
typedef void conf_setter(struct parser *, size_t k, const char *value,
	    const char *file, unsigned line);
struct conf_row {
	struct conf_key	pub;
	conf_setter	*set;		/* NULL: the type's own */
	enum { IN_CONFIG, IN_POLICY } in;
	size_t		off;		/* the field, for the typed setters */
	const int	*values;	/* CONF_ENUM: the word's value; NULL:
					 * its index. CONF_UINT: { least,
					 * most } */
	const char	*expect;	/* CONF_ENUM: the words as an error
					 * lists them; NULL: all of them */
};
extern const struct conf_row conf_rows[];
extern const size_t conf_nrows;
int	conf_key_index(const char *name);
/* Stores a copy of value in row k's string field. */
void	conf_set_string(struct parser *ps, size_t k, const char *value);
void	conf_apply(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
bool	conf_is_account_name(const char *s);
/* Copies row k's value (its field and its text) from one config to
 * another; false when out of memory. */
bool	conf_copy(const struct config *from, struct config *to, size_t k);
/* Row k's effective value in c, as -n prints it (a list: as written). */
void	conf_format(const struct config *c, size_t k, char *buf, size_t len);

#endif
