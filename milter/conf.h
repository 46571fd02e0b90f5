/*
 * conf - the configuration file: text in, a new policy or a list of
 * errors out. It never touches the live policy.
 *
 * Syntax (Postfix main.cf style): "name = value"; lines whose first
 * non-blank byte is '#' and blank lines are ignored; a line that starts
 * with white space continues the previous logical line. List values are
 * separated by commas and/or white space; a list entry that is an
 * absolute path is read as a file of entries, one per line, '#' comments,
 * first field only (so "domain OK" map source lines work as they are).
 *
 * Every key is described once, in the table in conf.c; conf_keys() walks
 * it for -n, the man page check and the tests.
 *
 * Ownership: conf_load() returns a policy the caller frees with
 * policy_free(), or NULL with the errors appended to *errs, which the
 * caller frees with conf_errors_free(). A file is accepted whole or
 * refused whole. Not thread-safe with itself on one errs; it touches no
 * global state.
 */
#ifndef RW_CONF_H
#define RW_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* Longest physical line in the config or a list file. */
#define CONF_LINE_MAX	65536
/* Errors kept per load; one more line says how many were left out. */
#define CONF_ERRORS_MAX	100

struct conf_errors {
	char	**msg;		/* "FILE:LINE: message" each */
	size_t	n;
	size_t	dropped;	/* errors past CONF_ERRORS_MAX */
};

struct conf_key {
	const char *name;
	const char *type;	/* "list", "bool", "string", "enum", ... */
	const char *def;	/* default, as it would be written in the file */
	const char *help;	/* one line */
};

struct policy *conf_load(const char *path, struct conf_errors *errs);

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
struct policy *conf_load_as(const char *path, struct conf_errors *errs,
	    conf_user_fn *as_user, void *arg);
void	conf_errors_free(struct conf_errors *errs);

/* The key table, terminated by an entry whose name is NULL. */
const struct conf_key *conf_keys(void);

#endif
