/*
 * snap - the current configuration snapshot: publish, acquire, release.
 *
 * A published config (its policy and the daemon's settings) is
 * immutable. A connection acquires a reference at
 * connect and releases it at close, so it decides on one config
 * throughout; a reload publishes a new one and the old one is freed when
 * its last reference goes. The only lock is a short mutex around the
 * pointer swap and the reference count.
 *
 * Ownership: snap_publish() takes ownership of the config.
 */
#ifndef RW_SNAP_H
#define RW_SNAP_H

#include <stdbool.h>

#include "config.h"

struct snap;

/* False (and c freed, the old snapshot kept) when memory ran out. */
bool	snap_publish(struct config *c);
/* Returns the current snapshot with one more reference, or NULL if none
 * was published. */
struct snap *snap_acquire(void);
void	snap_release(struct snap *s);		/* NULL is a no-op */
const struct config *snap_config(const struct snap *s);
const struct policy *snap_policy(const struct snap *s);	/* its policy */
/* Drops the published snapshot (at exit, after the last connection). */
void	snap_shutdown(void);

#endif
