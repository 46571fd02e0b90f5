/*
 * postfix - what Postfix itself says, read with Postfix's own tools so
 * that the answer is exactly Postfix's: a parameter's value (postconf
 * -hx, with Postfix's computed default when it is not set), the keys of a
 * lookup table (postmap -s), the services of master.cf (postconf -M).
 *
 * Each tool runs without a shell (fork and execv), with its signals reset,
 * under a deadline (POSTFIX_TIMEOUT seconds, then SIGKILL), its output
 * bounded (POSTFIX_OUTPUT_MAX bytes) and the first line of its standard
 * error kept for the message. Called while a configuration loads (start,
 * reload, -n, -q), never from a milter callback. Thread-safe: a load
 * runs in one thread at a time.
 *
 * Ownership: *out is a NUL-terminated buffer the caller frees; on
 * failure it is NULL and err (errlen bytes) says what went wrong and what
 * to do, with the tool's own words.
 */
#ifndef RW_POSTFIX_H
#define RW_POSTFIX_H

#include <stdbool.h>
#include <stddef.h>

#define POSTFIX_TIMEOUT		10
#define POSTFIX_OUTPUT_MAX	(256 * 1024 * 1024)

/* The value of parameter name in the instance at confdir, "$name"
 * references expanded. An unknown parameter is an error. */
bool	postfix_param(const char *confdir, const char *name, char **out,
	    char *err, size_t errlen);

/* Every "key<TAB>value" line of a lookup table ("hash:/path"), sorted
 * bytewise (postmap's order can change from run to run). */
bool	postfix_table(const char *confdir, const char *table, char **out,
	    char *err, size_t errlen);

/* master.cf's services, one per line, as "postconf -M" prints them. */
bool	postfix_services(const char *confdir, char **out, char *err,
	    size_t errlen);

/*
 * Whether postmap can list a table of this type (the text before the
 * ':'): the indexed and text files it builds. The others (regexp, pcre,
 * cidr, proxy, SQL, LDAP, ...) can only be asked one key at a time.
 */
bool	postfix_can_list(const char *type, size_t len);

/* True when type (len bytes) names a Postfix lookup table type. */
bool	postfix_is_table_type(const char *type, size_t len);

#endif
