/*
 * snap - the current configuration snapshot. See snap.h.
 *
 * The mutex guards only the current pointer and the reference counts;
 * nothing slow ever runs under it (the new config is built beforehand,
 * the old one is freed after the lock is dropped).
 */
#include <pthread.h>
#include <stdlib.h>

#include "snap.h"

struct snap {
	struct config	*config;
	unsigned long	refs;		/* guarded by lock */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct snap *current;

static void
snap_free(struct snap *s)
{
	config_free(s->config);
	free(s);
}

/* Drops one reference; frees outside the lock when it was the last. */
static void
unref(struct snap *s)
{
	bool last;

	pthread_mutex_lock(&lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&lock);
	if (last)
		snap_free(s);
}

bool
snap_publish(struct config *c)
{
	struct snap *s = malloc(sizeof(*s)), *old;

	if (s == NULL) {
		/* Keeping the old config is the safe outcome. */
		config_free(c);
		return false;
	}
	s->config = c;
	s->refs = 1;		/* the "current" reference */
	pthread_mutex_lock(&lock);
	old = current;
	current = s;
	pthread_mutex_unlock(&lock);
	if (old != NULL)
		unref(old);
	return true;
}

struct snap *
snap_acquire(void)
{
	struct snap *s;

	pthread_mutex_lock(&lock);
	s = current;
	if (s != NULL)
		s->refs++;
	pthread_mutex_unlock(&lock);
	return s;
}

void
snap_release(struct snap *s)
{
	if (s != NULL)
		unref(s);
}

const struct config *
snap_config(const struct snap *s)
{
	return s->config;
}

const struct policy *
snap_policy(const struct snap *s)
{
	return s->config->policy;
}

void
snap_shutdown(void)
{
	struct snap *old;

	pthread_mutex_lock(&lock);
	old = current;
	current = NULL;
	pthread_mutex_unlock(&lock);
	if (old != NULL)
		unref(old);
}
