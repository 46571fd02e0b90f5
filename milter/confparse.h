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
	void		*open_arg;
};

/* confread.c */
void	conf_error_at(struct parser *ps, const char *file, unsigned line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	conf_sort_errors(struct parser *ps);
long	conf_read_line(FILE *fp, char *buf, EVP_MD_CTX *sha);
bool	conf_blank_or_comment(const char *s);
void	conf_read_main(struct parser *ps, FILE *fp);
extern const char conf_blanks[];

/* conflist.c: calls each(ps, entry, file, line) for every entry of a
 * list value, reading absolute paths as list files. */
typedef void conf_entry_fn(struct parser *, const char *entry,
	    const char *file, unsigned line);
void	conf_each_entry(struct parser *ps, const char *value, const char *file,
	    unsigned line, conf_entry_fn *each);

/* confkeys.c */
typedef void conf_setter(struct parser *, size_t k, const char *value,
	    const char *file, unsigned line);
struct conf_row {
	struct conf_key	pub;
	conf_setter	*set;		/* NULL: the type's own */
	enum { IN_CONFIG, IN_POLICY } in;
	size_t		off;		/* the field, for the typed setters */
	const int	*values;	/* CONF_ENUM: the word's value; NULL:
					 * its index */
	const char	*expect;	/* CONF_ENUM: the words as an error
					 * lists them; NULL: all of them */
};
extern const struct conf_row conf_rows[];
extern const size_t conf_nrows;
int	conf_key_index(const char *name);
void	conf_apply(struct parser *ps, size_t k, const char *value,
	    const char *file, unsigned line);
bool	conf_is_account_name(const char *s);
/* Copies row k's value (its field and its text) from one config to
 * another; false when out of memory. */
bool	conf_copy(const struct config *from, struct config *to, size_t k);
/* Row k's effective value in c, as -n prints it (a list: as written). */
void	conf_format(const struct config *c, size_t k, char *buf, size_t len);

#endif
