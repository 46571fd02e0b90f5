/*
 * watch - follows the files a configuration was read from (the file
 * itself, its list files, Postfix's main.cf and tables) with inotify, so
 * that a change is reloaded without a signal.
 *
 * The directories are watched, not the files: BlueMind and postmap
 * replace a file by renaming a new one over it, which a watch on the
 * old file would not see. An event counts when it names one of the
 * files. watch_ready() tells when the changes have settled: WATCH_SETTLE
 * seconds after the last one (at most WATCH_SETTLE_MAX after the first,
 * so that a file rewritten without end is still reloaded).
 *
 * Ownership: watch_new() returns a watcher the caller frees with
 * watch_free() (NULL is a no-op). Threads: one thread uses it.
 */
#ifndef RW_WATCH_H
#define RW_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#define WATCH_SETTLE		1.0
#define WATCH_SETTLE_MAX	10.0

struct watch;

/* NULL with a message when inotify is not available. */
struct watch *watch_new(char *err, size_t errlen);
void	watch_free(struct watch *w);

/*
 * Watches the directories of paths (n of them) instead of what it
 * watched before. A directory that cannot be watched (gone, no
 * permission) is left out, and its message (one per directory) is
 * passed to complain(msg, arg).
 */
void	watch_set(struct watch *w, const char *const *paths, size_t n,
	    void (*complain)(const char *msg, void *arg), void *arg);

/* The descriptor to poll for input. */
int	watch_fd(const struct watch *w);

/*
 * Reads the pending events; a removed watched directory is passed to
 * complain(). Call when watch_fd() is readable.
 */
void	watch_read(struct watch *w, double now,
	    void (*complain)(const char *msg, void *arg), void *arg);

/* Seconds until the changes have settled (0: reload now), or -1 when
 * nothing changed. */
double	watch_wait(const struct watch *w, double now);

/* The reload has started: changes from now on count anew. */
void	watch_done(struct watch *w);

#endif
