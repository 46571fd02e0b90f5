/*
 * ratekeys - the embedded rate limit store with many keys (issue 20's
 * figure): N distinct keys (1M by default), one window each, taken once
 * from one thread; prints the heap bytes per key (mallinfo2, before and
 * after) and the ns per take, against the target of at most 200 bytes
 * per key.
 *
 *   ratekeys [N]
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ratestore.h"

#define TARGET_BYTES	200.0

static double
heap(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, i;
	double h0 = heap(), t0, t, per;
	struct rate_store *s = ratemem_new(n * 2);
	struct rate_result r;
	struct rate_cell c;
	size_t bytes, held;
	unsigned long refused = 0;

	if (s == NULL || n == 0)
		return 2;
	memset(&c, 0, sizeof(c));
	c.w.count = 100;
	c.w.period = 3600;
	c.cost = 1;
	t0 = cpu();
	for (i = 0; i < n; i++) {
		snprintf(c.key, sizeof(c.key), "client:10.%lu.%lu.%lu",
		    i >> 16 & 255, i >> 8 & 255, i & 255);
		if (i >= 16777216)
			snprintf(c.key, sizeof(c.key), "login:user%lu@example.org",
			    i);
		s->ops->take(s, &c, 1, &r);
		refused += r.answer != RATE_OK;
	}
	t = cpu() - t0;
	held = ratemem_count(s, &bytes);
	per = (heap() - h0) / (double)n;
	printf("== embedded rate limit store: %lu distinct keys, one window "
	    "each: %zu held, %lu refused\n", n, held, refused);
	printf("heap %.1f bytes per key (the table: %zu bytes, %.1f per key); "
	    "%.0f ns per take (one thread, keys growing)\n", per, bytes,
	    (double)bytes / (double)n, t * 1e9 / (double)n);
	printf("target  bytes per key at %lu keys <= %.0f: %.1f: %s\n", n,
	    TARGET_BYTES, per, per <= TARGET_BYTES ? "holds" : "MISSED");
	rate_store_free(s);
	return refused == 0 && held == n ? 0 : 1;
}
