/*
 * config - one loaded configuration: the policy that decides, and the
 * settings of the daemon around it (socket, account, logging), with the
 * digest that names them all in the log.
 *
 * Ownership: conf_load() builds a config; config_free() frees it with
 * its policy (config_free(NULL) is a no-op). Once published (snap) it
 * is never modified, so any number of threads may read it at once.
 */
#ifndef RW_CONFIG_H
#define RW_CONFIG_H

#include <stdbool.h>

#include "policy.h"
#include "ratelimit.h"

struct config {
	struct policy	*policy;	/* all that policy_eval() reads */
	char		*postfix_dir;	/* the Postfix instance of postfix: */
	bool		allow_wide;	/* allow_wide_networks */
	char		*milter_socket;
	int		syslog_facility;	/* LOG_MAIL, ... */
	char		*syslog_ident;
	bool		log_accepts;
	char		*stats_file;	/* "" = none */
	unsigned	stats_interval;	/* seconds */
	char		*user;		/* "" = none */
	bool		run_as_root;
	char		*pid_file;	/* "" = none */
	char		*socket_group;	/* "" = the user's group */
	unsigned	socket_mode;
	struct rate_rules rate;		/* *_limits, ratelimit_*, ... */
	unsigned	rate_max_keys;	/* ratelimit_max_keys (embedded) */
	char		*control_socket;	/* "" = none */
	/* Per key, in conf_keys() order: the value as the file wrote it
	 * (a '\n' for each line break), NULL when the file did not set it
	 * (-n prints these). */
	char		**text;
	size_t		ntext;
	/* Every file the lists were read from (list files, Postfix's
	 * main.cf and tables), for the watcher; duplicates possible. */
	char		**sources;
	size_t		nsources;
	/* SHA-256 of the config and its list files, in hex; the log's
	 * policy= names it by its first 12 digits. */
	char		digest[65];
	char		digest_short[13];
};

/* An empty config (an empty policy, no strings); the loader applies
 * every key's default to it. NULL when out of memory. */
struct config *config_new(void);
void	config_free(struct config *c);

#endif
