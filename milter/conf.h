/*
 * conf - the configuration file: text in, a new config (the policy and
 * the daemon's settings) or a list of errors out. It never touches the
 * live config.
 *
 * Syntax (Postfix main.cf style): "name = value"; lines whose first
 * non-blank byte is '#' and blank lines are ignored; a line that starts
 * with white space continues the previous logical line. List values are
 * separated by commas and/or white space; a list entry that is an
 * absolute path is read as a file of entries, one per line, '#' comments,
 * first field only (so "domain OK" map source lines work as they are).
 *
 * Every key is described once, in the table in confkeys.c: its type,
 * default, whether a reload can change it, one line of help. conf_keys()
 * walks it for -n, the man page check and the tests.
 *
 * Ownership: a load returns a config the caller frees with config_free(),
 * or NULL with the errors appended to *errs, which the caller frees with
 * conf_errors_free(). A file is accepted whole or refused whole. Not
 * thread-safe with itself on one errs; it touches no global state.
 */
#ifndef RW_CONF_H
#define RW_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* Longest physical line in the config or a list file. */
#define CONF_LINE_MAX	65536
/* Errors kept per load; one more line says how many were left out. */
#define CONF_ERRORS_MAX	100

struct conf_errors {
	char	**msg;		/* "FILE:LINE: message" each */
	size_t	n;
	size_t	dropped;	/* errors past CONF_ERRORS_MAX */
};

enum conf_type {
	CONF_BOOL,		/* yes or no */
	CONF_ENUM,		/* one of words */
	CONF_MODE,		/* octal permissions, no access for others */
	CONF_LIST,		/* entries, and list files */
	CONF_PATH,		/* an absolute file path, or "" */
	CONF_SOCKET,		/* inet:PORT@HOST, inet6:..., unix:/PATH */
	CONF_ACCOUNT,		/* a user or group name, or "" */
	CONF_WORD,		/* one printable word */
	CONF_DIR,		/* an absolute directory path */
	CONF_NUMBER,		/* a whole number within the row's bounds */
};

struct conf_key {
	const char	*name;
	enum conf_type	type;
	const char	*def;	/* default, as it would be written in the file */
	const char *const *words;	/* CONF_BOOL, CONF_ENUM: the words */
	bool		restart;	/* a reload cannot change it */
	const char	*help;	/* one line */
};

/* The key table, terminated by an entry whose name is NULL. */
const struct conf_key *conf_keys(void);
/* "bool", "enum", "octal", "list", "path", "socket", "account", "word". */
const char *conf_type_name(enum conf_type type);

struct config *conf_load(const char *path, struct conf_errors *errs);

/*
 * conf_load() that lets the caller choose whose rights read the list
 * files. Once the main file is read and closed, and before any list file
 * is opened, as_user(user, arg, err, errlen) is called once with the
 * value of the user setting ("" when unset), and may take on that
 * user's rights. When it returns false, no list file is read, its
 * message is added as "FILE: message" and the load fails; a user value
 * that is not an account name reads no list file either (the load fails
 * on it). With as_user NULL, this is conf_load().
 */
typedef bool conf_user_fn(const char *user, void *arg, char *err,
	    size_t errlen);
struct config *conf_load_as(const char *path, struct conf_errors *errs,
	    conf_user_fn *as_user, void *arg);

/*
 * The main file's text (len bytes) instead of a file; errors name it
 * name. List files are opened with open_list(path, &irregular, arg):
 * NULL with errno set, or with *irregular set for a file that is not a
 * regular one (open_list NULL: the file system, regular files only).
 * With an open_list of its own, no Postfix tool is run: a lookup table
 * or a postfix: entry is an error. For tests and fuzzers.
 */
typedef FILE *conf_open_fn(const char *path, bool *irregular, void *arg);
struct config *conf_load_text(const char *name, const char *text, size_t len,
	    struct conf_errors *errs, conf_open_fn *open_list, void *arg);

/* How a load opens its files by default: to read, a regular file only (a
 * FIFO or a device could block or feed it forever); the open does not
 * block. NULL with errno set, or with *irregular set. */
FILE	*conf_open_file(const char *path, bool *irregular);

void	conf_errors_free(struct conf_errors *errs);

/*
 * Writes "name = value" for every key the file set (all: every key),
 * sorted by name, as "postconf -n" does: the effective value of a
 * bool, enum or mode in its canonical form, a list as the file wrote it
 * on one line. Bytes outside printable ASCII are shown as \xHH.
 */
void	conf_print(FILE *out, const struct config *c, bool all);

/*
 * A reload: the keys a reload cannot change keep the running config's
 * values in loaded, which then says what is in force. For each that the
 * file changed, changed(name, running, in_file, arg) is called first.
 * False when out of memory (loaded is then not to be published).
 */
typedef void conf_changed_fn(const char *name, const char *running,
	    const char *in_file, void *arg);
bool	conf_keep_start_keys(const struct config *running,
	    struct config *loaded, conf_changed_fn *changed, void *arg);

/* The path of a unix: or local: milter_socket value, NULL for another. */
const char *conf_unix_path(const char *socket);

#endif
