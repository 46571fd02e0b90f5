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
void	conf_errors_free(struct conf_errors *errs);

/* The key table, terminated by an entry whose name is NULL. */
const struct conf_key *conf_keys(void);

#endif
