/*
 * reload - the thread that keeps the published configuration in step
 * with its files: it reloads on SIGUSR1 and when a file the
 * configuration was read from changes (watch.h), and between the two it
 * gives malloc's free pages back every DAEMON_TRIM_SECONDS.
 *
 * A reload builds the new config with no lock held and publishes it
 * (snap.h); a broken file keeps the config in force and logs every
 * error; a key only the start reads keeps its value (conf.h).
 *
 * Threads: reload_start() once, from main() after the first publish,
 * with SIGUSR1 blocked in every thread; reload_stop() from main() at
 * the stop. log_config() from any thread.
 */
#ifndef RW_RELOAD_H
#define RW_RELOAD_H

#include <stdbool.h>

#include "config.h"

/* False with a message logged when the thread cannot start. */
bool	reload_start(const char *conf_path);
void	reload_stop(void);

/* Logs "WHAT: config=... sha256=... local_domains=N ..." for c. */
void	reload_log_config(const char *what, const char *conf_path,
	    const struct config *c);

#endif
