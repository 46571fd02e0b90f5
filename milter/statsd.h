/*
 * statsd - the thread that hands the counters (stats.h) out: to
 * stats_file every stats_interval seconds, and to the log on SIGUSR2.
 * It never runs in a milter callback: a slow disk cannot hold a decision.
 *
 * The file is written as node-exporter's textfile collector wants it,
 * whole or not at all: PATH.tmp in the same directory (a name the
 * collector skips: it reads *.prom only), fsync(2), then rename(2) over
 * PATH. Mode 0644 whatever the umask (the systemd unit's is 0077): the
 * collector runs as another user, and the figures hold nothing secret.
 *
 * A file that cannot be written (no such directory, no permission, a
 * full disk) is logged once when writing starts to fail and once when it
 * works again, not at every interval; decisions go on as before. A
 * reload may change stats_file and stats_interval: the thread reads the
 * config in force at each turn (at least once a second).
 *
 * Threads: statsd_start() once, from main() after the first publish,
 * with SIGUSR2 blocked in every thread; statsd_stop() from main() at the
 * stop (it writes the file a last time). statsd_write_file() from any
 * thread.
 */
#ifndef RW_STATSD_H
#define RW_STATSD_H

#include <stdbool.h>
#include <stddef.h>

#include "stats.h"

/* False with a message logged when the thread cannot start. */
bool	statsd_start(void);
void	statsd_stop(void);

/* Writes f to path as above; false with the reason in err. */
bool	statsd_write_file(const char *path, const struct stats_figures *f,
	    char *err, size_t errlen);

#endif
