/*
 * snap: publish/acquire/release/shutdown reference counting. A snapshot
 * acquired before a publish (or a shutdown) stays whole until released;
 * the last release frees it (ASan and valgrind check the frees). A
 * threaded test reloads while readers acquire, for ASan/TSan; it asserts
 * only orderings that hold whatever the scheduling.
 *
 * snap keeps process-wide state: every test ends with snap_shutdown()
 * and every reference released, so that CK_FORK=no runs stay clean.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "snap.h"
#include "testutil.h"

/* A config tagged with a generation, in fields policy_eval() ignores;
 * the ident is a heap string, so a read after free is caught. */
static struct config *
tagged(int gen)
{
	struct config *p = config_new();

	ck_assert(p != NULL);
	p->syslog_facility = gen;
	ck_assert(asprintf(&p->syslog_ident, "gen-%d", gen) > 0);
	return p;
}

static void
assert_gen(const struct snap *s, int want, const char *what)
{
	const struct config *p;
	char ident[32];

	ck_assert_msg(s != NULL, "%s: got no snapshot, want gen %d", what, want);
	p = snap_config(s);
	snprintf(ident, sizeof(ident), "gen-%d", want);
	ck_assert_msg(p->syslog_facility == want &&
	    strcmp(p->syslog_ident, ident) == 0,
	    "%s: got gen %d (\"%s\"), want gen %d", what, p->syslog_facility,
	    p->syslog_ident, want);
}

START_TEST(test_none_published)
{
	ck_assert_msg(snap_acquire() == NULL,
	    "acquire before any publish: got a snapshot, want NULL");
	snap_release(NULL);
	snap_shutdown();	/* nothing to drop: a no-op */
	ck_assert_msg(snap_acquire() == NULL,
	    "acquire after an empty shutdown: got a snapshot, want NULL");
}
END_TEST

START_TEST(test_publish_acquire)
{
	struct config *p = tagged(1);
	struct snap *a, *b;

	ck_assert(snap_publish(p));
	a = snap_acquire();
	b = snap_acquire();
	ck_assert_msg(a != NULL && a == b,
	    "two acquires of one publish: got %p and %p, want the same",
	    (void *)a, (void *)b);
	ck_assert_msg(snap_config(a) == p && snap_policy(a) == p->policy,
	    "snap_config: got %p, want the published %p",
	    (const void *)snap_config(a), (void *)p);
	assert_gen(a, 1, "first acquire");
	snap_release(a);
	assert_gen(b, 1, "second acquire after the first release");
	snap_release(b);
	/* The current reference is still held: acquiring again works. */
	a = snap_acquire();
	assert_gen(a, 1, "acquire after all releases");
	snap_release(a);
	snap_shutdown();
}
END_TEST

START_TEST(test_old_stays_valid)
{
	struct snap *old, *old2, *cur;

	ck_assert(snap_publish(tagged(1)));
	old = snap_acquire();
	old2 = snap_acquire();
	ck_assert(snap_publish(tagged(2)));
	/* A connection that started on gen 1 still decides on gen 1. */
	assert_gen(old, 1, "held across a publish");
	cur = snap_acquire();
	assert_gen(cur, 2, "acquire after the publish");
	ck_assert_msg(cur != old, "acquire after a publish returned the old "
	    "snapshot");
	snap_release(old);
	assert_gen(old2, 1, "second holder after the first released");
	snap_release(old2);	/* the last reference: gen 1 is freed here */
	assert_gen(cur, 2, "gen 2 after gen 1 was freed");
	snap_release(cur);
	snap_shutdown();
}
END_TEST

/* A snapshot nobody holds is freed by the publish that replaces it
 * (valgrind/ASan report a leak otherwise). */
START_TEST(test_unheld_replaced)
{
	struct snap *s;
	int i;

	for (i = 1; i <= 5; i++)
		ck_assert(snap_publish(tagged(i)));
	s = snap_acquire();
	assert_gen(s, 5, "after five publishes");
	snap_release(s);
	snap_shutdown();
}
END_TEST

START_TEST(test_shutdown)
{
	struct snap *held, *after;

	ck_assert(snap_publish(tagged(7)));
	held = snap_acquire();
	snap_shutdown();
	after = snap_acquire();
	ck_assert_msg(after == NULL,
	    "acquire after shutdown: got a snapshot, want NULL");
	/* A connection still open at shutdown keeps its policy. */
	assert_gen(held, 7, "held across shutdown");
	snap_release(held);	/* freed here */

	/* Publishing again after a shutdown starts afresh. */
	ck_assert(snap_publish(tagged(8)));
	after = snap_acquire();
	assert_gen(after, 8, "publish after shutdown");
	snap_release(after);
	snap_shutdown();
	snap_shutdown();	/* twice: the second is a no-op */
}
END_TEST

/* Four readers acquire and release while a writer publishes 200 times. */
#define READERS		4
#define PUBLISHES	200

struct reader {
	pthread_t	thread;
	atomic_bool	*done;
	unsigned long	acquires;
	int		last;		/* last generation seen */
	char		error[160];	/* first problem seen, "" if none */
};

static void *
read_loop(void *arg)
{
	struct reader *r = arg;
	bool finished;

	do {
		struct snap *s;
		const struct config *p;
		char ident[32];

		/* Read done before acquiring: a snapshot acquired after the
		 * writer set it must be the last one. */
		finished = atomic_load(r->done);
		s = snap_acquire();
		if (s == NULL) {
			snprintf(r->error, sizeof(r->error),
			    "acquire %lu: got NULL", r->acquires);
			return NULL;
		}
		p = snap_config(s);
		snprintf(ident, sizeof(ident), "gen-%d", p->syslog_facility);
		if (strcmp(p->syslog_ident, ident) != 0 ||
		    p->syslog_facility < r->last ||
		    p->syslog_facility > PUBLISHES) {
			snprintf(r->error, sizeof(r->error),
			    "acquire %lu: got gen %d (\"%s\") after gen %d",
			    r->acquires, p->syslog_facility, p->syslog_ident,
			    r->last);
			snap_release(s);
			return NULL;
		}
		r->last = p->syslog_facility;
		r->acquires++;
		snap_release(s);
	} while (!finished);
	return NULL;
}

START_TEST(test_threads)
{
	struct reader readers[READERS];
	atomic_bool done = false;
	int i;

	ck_assert(snap_publish(tagged(1)));
	memset(readers, 0, sizeof(readers));
	for (i = 0; i < READERS; i++) {
		readers[i].done = &done;
		ck_assert(pthread_create(&readers[i].thread, NULL, read_loop,
		    &readers[i]) == 0);
	}
	for (i = 2; i <= PUBLISHES; i++)
		ck_assert(snap_publish(tagged(i)));
	atomic_store(&done, true);
	for (i = 0; i < READERS; i++)
		ck_assert(pthread_join(readers[i].thread, NULL) == 0);
	for (i = 0; i < READERS; i++) {
		ck_assert_msg(readers[i].error[0] == '\0', "reader %d: %s", i,
		    readers[i].error);
		ck_assert_msg(readers[i].last == PUBLISHES,
		    "reader %d: last gen seen %d, want %d", i,
		    readers[i].last, PUBLISHES);
	}
	snap_shutdown();
}
END_TEST

Suite *
snap_suite(void)
{
	Suite *s = suite_create("snap");
	TCase *tc = tcase_create("refcount");

	tcase_add_test(tc, test_none_published);
	tcase_add_test(tc, test_publish_acquire);
	tcase_add_test(tc, test_old_stays_valid);
	tcase_add_test(tc, test_unheld_replaced);
	tcase_add_test(tc, test_shutdown);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}
