/*
 * snap - the current policy snapshot: publish, acquire, release.
 *
 * A published policy is immutable. A connection acquires a reference at
 * connect and releases it at close, so it decides on one policy
 * throughout; a reload publishes a new one and the old one is freed when
 * its last reference goes. The only lock is a short mutex around the
 * pointer swap and the reference count.
 *
 * Ownership: snap_publish() takes ownership of the policy.
 */
#ifndef RW_SNAP_H
#define RW_SNAP_H

#include <stdbool.h>

#include "policy.h"

struct snap;

/* False (and p freed, the old snapshot kept) when memory ran out. */
bool	snap_publish(struct policy *p);
/* Returns the current snapshot with one more reference, or NULL if none
 * was published. */
struct snap *snap_acquire(void);
void	snap_release(struct snap *s);		/* NULL is a no-op */
const struct policy *snap_policy(const struct snap *s);
/* Drops the published snapshot (at exit, after the last connection). */
void	snap_shutdown(void);

#endif
