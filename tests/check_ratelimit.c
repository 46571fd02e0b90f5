/*
 * ratelimit: windows and GCRA (limit.c), the embedded store (ratemem.c)
 * and the decisions (ratelimit.c), with a clock of the test's own. Every
 * boundary is asserted exactly.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "testutil.h"

#define US	INT64_C(1000000)

static int64_t fake_now = 1000 * US;

static int64_t
clock_fake(void)
{
	return fake_now;
}

/* ---- windows ------------------------------------------------------ */

START_TEST(test_parse)
{
	static const struct { const char *in, *err; uint32_t count, period; } c[] = {
		{ "100/1m", NULL, 100, 60 }, { "5000/1d", NULL, 5000, 86400 },
		{ "1/h", NULL, 1, 3600 }, { "90/90s", NULL, 90, 90 },
		{ "2147483647/366d", NULL, 2147483647u, 366u * 86400 },
		{ "0/1m", "a count of 0 lets nothing through: remove the limit or "
		    "give a count of 1 or more", 0, 0 },
		{ "2147483648/1d", "the count is over 2^31 - 1", 0, 0 },
		{ "99999999999/1d", "write COUNT/PERIOD, e.g. 100/1m or 5000/1d",
		    0, 0 },
		{ "10/0m", "a period of 0 is no period", 0, 0 },
		{ "10/1", "the period needs a unit: s, m, h or d (e.g. 1m, 1h)",
		    0, 0 },
		{ "10/1w", "the period needs a unit: s, m, h or d (e.g. 1m, 1h)",
		    0, 0 },
		{ "10/367d", "the period is over a year", 0, 0 },
		{ "2000000/1s", "more than one per microsecond: use a longer "
		    "period", 0, 0 },
		{ "10", "write COUNT/PERIOD, e.g. 100/1m or 5000/1d", 0, 0 },
		{ "/1m", "write COUNT/PERIOD, e.g. 100/1m or 5000/1d", 0, 0 },
		{ "-1/1m", "write COUNT/PERIOD, e.g. 100/1m or 5000/1d", 0, 0 },
		{ "10/1m ", "the period needs a unit: s, m, h or d (e.g. 1m, 1h)",
		    0, 0 },
	};
	struct limit_window w;
	size_t i;
	const char *err;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		err = limit_parse(c[i].in, &w);
		ck_assert_msg((err == NULL) == (c[i].err == NULL) &&
		    (err == NULL || strcmp(err, c[i].err) == 0), "%s: %s",
		    c[i].in, TU_S(err));
		if (err == NULL)
			ck_assert_msg(w.count == c[i].count &&
			    w.period == c[i].period, "%s: %u/%u", c[i].in,
			    w.count, w.period);
	}
}
END_TEST

START_TEST(test_format)
{
	static const struct { uint32_t count, period; const char *want; } c[] = {
		{ 100, 60, "100/1m" }, { 5, 86400, "5/1d" }, { 7, 90, "7/90s" },
		{ 1, 7200, "1/2h" }, { 3, 172800, "3/2d" },
	};
	struct limit_window w;
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		w.count = c[i].count;
		w.period = c[i].period;
		ck_assert_str_eq(limit_format(&w, buf, sizeof(buf)), c[i].want);
	}
}
END_TEST

/* N pass at once, the N+1st does not, whatever PERIOD mod COUNT; then
 * one more every T; and a unit given back makes room for one. */
START_TEST(test_gcra_exact)
{
	static const struct limit_window ws[] = {
		{ 100, 60 }, { 30, 100 }, { 7, 86400 }, { 1, 1 }, { 999, 3600 },
	};
	const struct limit_window *w = &ws[_i];
	int64_t tat = 0, now = 5 * US, t = limit_interval(w), retry;
	uint32_t i;

	for (i = 0; i < w->count; i++)
		ck_assert_msg(limit_take(&tat, w, now, 1, true, NULL),
		    "%u/%u: unit %u refused", w->count, w->period, i + 1);
	ck_assert_msg(!limit_take(&tat, w, now, 1, true, &retry),
	    "%u/%u: unit %u passed", w->count, w->period, w->count + 1);
	ck_assert_int_eq(retry, t);
	ck_assert_uint_eq(limit_used(tat, w, now), w->count);
	ck_assert(!limit_take(&tat, w, now + t - 1, 1, true, NULL));
	ck_assert(limit_take(&tat, w, now + t, 1, true, NULL));
	ck_assert(!limit_take(&tat, w, now + t, 1, true, NULL));
	limit_give_back(&tat, w, 1);
	ck_assert(limit_take(&tat, w, now + t, 1, true, NULL));
	/* A cost of several: all or none. */
	ck_assert(!limit_take(&tat, w, now + 2 * t, 2, true, NULL));
	ck_assert(limit_take(&tat, w, now + 2 * t, 1, true, NULL));
	/* After a whole period, a whole burst again. */
	ck_assert_uint_eq(limit_used(tat, w, now + 3 * t + (int64_t)w->period *
	    US), 0);
}
END_TEST

/* ---- the embedded store -------------------------------------------- */

static struct rate_cell
cell(const char *key, uint32_t count, uint32_t period)
{
	struct rate_cell c;

	memset(&c, 0, sizeof(c));
	snprintf(c.key, sizeof(c.key), "%s", key);
	c.w.count = count;
	c.w.period = period;
	c.cost = 1;
	return c;
}

START_TEST(test_store_boundary)
{
	struct rate_store *s = ratemem_new(1000);
	struct rate_cell c[2] = { cell("login:a", 3, 60), cell("client:x", 5, 60) };
	struct rate_result r;
	int i;

	ratemem_set_clock(s, clock_fake);
	for (i = 0; i < 3; i++) {
		s->ops->take(s, c, 2, &r);
		ck_assert_int_eq(r.answer, RATE_OK);
	}
	s->ops->take(s, c, 2, &r);
	ck_assert(r.answer == RATE_OVER && r.which == 0 && r.first &&
	    r.used == 3 && r.retry == 20 * US);
	s->ops->take(s, c, 2, &r);
	ck_assert(r.answer == RATE_OVER && !r.first);
	/* All or nothing: the client cell took nothing on the refusals. */
	s->ops->take(s, c + 1, 1, &r);
	ck_assert_int_eq(r.answer, RATE_OK);
	s->ops->take(s, c + 1, 1, &r);
	ck_assert_int_eq(r.answer, RATE_OK);
	s->ops->take(s, c + 1, 1, &r);
	ck_assert(r.answer == RATE_OVER && r.which == 0 && r.used == 5);
	/* Giving back makes room, and the next trip is a first again. */
	s->ops->give_back(s, c, 1);
	s->ops->take(s, c, 1, &r);
	ck_assert_int_eq(r.answer, RATE_OK);
	s->ops->take(s, c, 1, &r);
	ck_assert(r.answer == RATE_OVER && r.first);
	/* Time passes: one unit per 20 s. */
	fake_now += 20 * US;
	s->ops->take(s, c, 1, &r);
	ck_assert_int_eq(r.answer, RATE_OK);
	fake_now += 3600 * US;
	rate_store_free(s);
}
END_TEST

START_TEST(test_store_hold_show_reset)
{
	struct rate_store *s = ratemem_new(1000);
	struct rate_cell c = cell("login:b", 2, 60);
	struct rate_result r;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	ratemem_set_clock(s, clock_fake);
	s->ops->take(s, &c, 1, &r);
	ck_assert(r.answer == RATE_OK && !r.held);
	s->ops->hold(s, &c);
	s->ops->take(s, &c, 1, &r);
	ck_assert(r.answer == RATE_OK && r.held);
	fp = open_memstream(&out, &len);
	ck_assert(s->ops->show(s, &c, 1, fp));
	fclose(fp);
	ck_assert_str_eq(out, "login:b 2/1m: 2 used, held\n");
	free(out);
	ck_assert(s->ops->reset(s, &c, 1));
	s->ops->take(s, &c, 1, &r);
	ck_assert(r.answer == RATE_OK && !r.held);
	fake_now += 60 * US + 1;
	s->ops->take(s, &c, 1, &r);
	ck_assert(r.answer == RATE_OK && !r.held);
	fake_now += 3600 * US;
	rate_store_free(s);
}
END_TEST

/* Bounded: cells whose windows are empty take no room; past max_keys the
 * cell nearest to empty goes. */
START_TEST(test_store_bounded)
{
	struct rate_store *s = ratemem_new(64 * 4);
	struct rate_result r;
	struct rate_cell c;
	size_t i, n;
	char key[32];

	ratemem_set_clock(s, clock_fake);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "client:%zu", i);
		c = cell(key, 10, 60);
		s->ops->take(s, &c, 1, &r);
		ck_assert_int_eq(r.answer, RATE_OK);
	}
	n = ratemem_count(s, NULL);
	ck_assert_msg(n <= 64 * 4, "%zu cells held for a bound of 256", n);
	fake_now += 61 * US;
	c = cell("client:new", 10, 60);
	s->ops->take(s, &c, 1, &r);
	n = ratemem_count(s, NULL);
	ck_assert_msg(n <= 64 * 4, "%zu cells after they emptied", n);
	fake_now += 3600 * US;
	rate_store_free(s);
}
END_TEST

struct hammer {
	struct rate_store *s;
	unsigned	ok;
};

static void *
hammer(void *arg)
{
	struct hammer *h = arg;
	struct rate_cell c[2] = { cell("login:shared", 1000, 3600),
	    cell("network:x", 100000, 3600) };
	struct rate_result r;
	int i;

	for (i = 0; i < 2000; i++) {
		h->s->ops->take(h->s, c, 2, &r);
		h->ok += r.answer == RATE_OK;
	}
	return NULL;
}

/* Eight threads on one key: exactly its count passes, never more. */
START_TEST(test_store_threads)
{
	struct rate_store *s = ratemem_new(100000);
	struct hammer h[8];
	pthread_t t[8];
	unsigned total = 0;
	int i;

	for (i = 0; i < 8; i++) {
		h[i].s = s;
		h[i].ok = 0;
		ck_assert(pthread_create(&t[i], NULL, hammer, &h[i]) == 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		total += h[i].ok;
	}
	ck_assert_uint_eq(total, 1000);
	rate_store_free(s);
}
END_TEST

/* ---- decisions ------------------------------------------------------ */

static struct config *
conf(const char *extra)
{
	char text[2048];

	snprintf(text, sizeof(text), "local_domains = example.org\n"
	    "my_networks = 10.0.0.0/8\n%s", extra);
	return tu_config(text);
}

struct run {
	struct config	*c;
	struct rate_stores st;
	struct rate_txn	t;
	struct netaddr	client;
	struct rate_session s;
};

static void
run_start(struct run *r, const char *extra, const char *login,
    const char *client)
{
	char err[256];

	memset(r, 0, sizeof(*r));
	r->c = conf(extra);
	ck_assert_msg(ratelimit_stores_open(&r->c->rate, 1000, &r->st, err,
	    sizeof(err)), "%s", err);
	ratemem_set_clock(r->st.main, clock_fake);
	ck_assert(netaddr_parse(client, &r->client));
	r->s.login = login;
	r->s.sender = "<a@example.org>";
	r->s.client = &r->client;
	r->s.in_my_networks = netset_contains(r->c->policy->my_networks,
	    &r->client);
	r->s.listener = "submission";
	r->s.client_text = client;
	r->s.mode = r->c->policy->mode;
	r->s.policy = "0123456789ab";
	ratelimit_begin(&r->st, &r->t);
}

static void
run_end(struct run *r)
{
	ratelimit_abort(&r->st, &r->t);
	rate_store_free(r->st.main);
	config_free(r->c);
	fake_now += 100000 * US;	/* the next test starts afresh */
}

/* One recipient; returns "decision reason code text". */
static const char *
rcpt(struct run *r, const char *to, char *buf, size_t len)
{
	struct verdict v;

	memset(&v, 0, sizeof(v));
	v.decision = DECISION_ACCEPT;
	v.reason = REASON_AUTHENTICATED;
	ratelimit_rcpt(&r->c->rate, &r->st, &r->t, &r->s, to, &v);
	snprintf(buf, len, "%s %s %s %s", policy_decision_name(v.decision),
	    policy_reason_name(v.reason), v.code != NULL ? v.code : "-",
	    v.code != NULL ? v.text : "-");
	return buf;
}

#define OK	"accept authenticated - -"

START_TEST(test_login_tempfail)
{
	struct run r;
	char b[512];

	run_start(&r, "login_limits = 2/1h\n", "Alice+News@Example.org",
	    "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<z@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <z@remote.example>: rate limit exceeded "
	    "for alice@example.org, try later");
	/* Exempt: postmaster, any domain; any case. */
	ck_assert_str_eq(rcpt(&r, "<PostMaster@remote.example>", b, sizeof(b)),
	    OK);
	ck_assert(ratelimit_commit(&r.t) == false);
	/* The same user, another spelling: the same key, still full. */
	r.s.login = "alice@EXAMPLE.org";
	ratelimit_begin(&r.st, &r.t);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <x@remote.example>: rate limit exceeded "
	    "for alice@example.org, try later");
	run_end(&r);
}
END_TEST

/* An aborted transaction gives its recipients back: refused mail never
 * counts. */
START_TEST(test_abort_gives_back)
{
	struct run r;
	char b[512];

	run_start(&r, "login_limits = 2/1h\nlogin_message_limits = 1/1h\n",
	    "bob", "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)), OK);
	ratelimit_abort(&r.st, &r.t);
	ratelimit_begin(&r.st, &r.t);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	/* The message window is full now: one message an hour. */
	ratelimit_begin(&r.st, &r.t);
	fake_now += 3600 * US;		/* recipients free again */
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	ratelimit_begin(&r.st, &r.t);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <x@remote.example>: rate limit exceeded "
	    "for bob, try later");
	run_end(&r);
}
END_TEST

START_TEST(test_hold)
{
	struct run r;
	char b[512];

	run_start(&r, "login_limits = 2/1m\nratelimit_action = hold\n", "eve",
	    "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<z@remote.example>", b, sizeof(b)),
	    "hold rate_limit - -");
	ck_assert(ratelimit_commit(&r.t));
	ck_assert_str_eq(r.t.hold_why,
	    "relaywarden: rate limit exceeded for login:eve");
	/* 30 s on a unit is free, but the key stays held for the period
	 * (60 s from the trip): the next message is counted and held. */
	fake_now += 30 * US;
	ratelimit_begin(&r.st, &r.t);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)),
	    "hold rate_limit - -");
	ck_assert(ratelimit_commit(&r.t));
	/* After the period, and with room, nothing is held. */
	fake_now += 31 * US;
	ratelimit_begin(&r.st, &r.t);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	run_end(&r);
}
END_TEST

/* A login's control bytes reach neither the reply nor the log raw. */
START_TEST(test_hostile_login)
{
	struct run r;
	char b[512];

	run_start(&r, "login_limits = 1/1h\n", "ev\r\nil", "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <y@remote.example>: rate limit exceeded "
	    "for ev??il, try later");
	run_end(&r);
	run_start(&r, "login_limits = 1/1h\nratelimit_action = hold\n",
	    "ev\r\nil", "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    "hold rate_limit - -");
	ck_assert_str_eq(r.t.hold_why,
	    "relaywarden: rate limit exceeded for login:ev\\x0d\\x0ail");
	run_end(&r);
}
END_TEST

/* A login too long for a key keeps its start and ends in "~" and 16 hex
 * digits of the SHA-256 of the whole folded login (sha256sum's, of 290
 * "u", then "1" or "2", then "@example.org"): two logins with the same
 * start are two keys, "limits show" finds the key from the whole login,
 * and the domain's override still applies. */
START_TEST(test_long_login)
{
	static const char k1[] = "~c7f9c311cd92bf9d", k2[] = "~fbf38ac62d758279";
	struct tu_dir d;
	struct run r;
	struct rate_cell cells[8];
	char b[512], l1[400], l2[400], key[420], want[2][400], refused[1024];
	char *text, *out;
	size_t len = 0, i;
	FILE *fp;

	snprintf(l1, sizeof(l1), "%0290d1+Tag@Example.ORG", 0);
	memset(l1, 'U', 290);
	snprintf(l2, sizeof(l2), "%0290d2@example.org", 0);
	memset(l2, 'u', 290);
	for (i = 0; i < 2; i++) {
		memcpy(want[i], "login:", 6);
		memset(want[i] + 6, 'u', 266);
		snprintf(want[i] + 272, sizeof(want[i]) - 272, "%s",
		    i == 0 ? k1 : k2);
	}
	run_start(&r, "login_limits = 1/1h\n", l1, "192.0.2.1");
	fp = open_memstream(&out, &len);
	ratelimit_explain(&r.c->rate, &r.s, fp);
	fclose(fp);
	snprintf(b, sizeof(b), "limit %s 1/1h recipients\n", want[0]);
	ck_assert_str_eq(out, b);
	free(out);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	ratelimit_begin(&r.st, &r.t);
	r.s.login = l2;		/* the same first 290 bytes: a key of its own */
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	ratelimit_begin(&r.st, &r.t);
	r.s.login = l1;
	snprintf(refused, sizeof(refused), "tempfail rate_limit 451 "
	    "<y@remote.example>: rate limit exceeded for %s, try later",
	    want[0] + 6);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    refused);
	snprintf(key, sizeof(key), "login:%s", l1);
	ck_assert_uint_eq(ratelimit_key_cells(&r.c->rate, key, NULL, cells,
	    8), 1);
	ck_assert_str_eq(cells[0].key, want[0]);
	snprintf(key, sizeof(key), "login:%s", l2);
	ck_assert_uint_eq(ratelimit_key_cells(&r.c->rate, key, NULL, cells,
	    8), 1);
	ck_assert_str_eq(cells[0].key, want[1]);
	run_end(&r);

	tu_dir_make(&d);
	free(tu_write(&d, "over", "@example.org off\n"));
	text = tu_subst("login_limits = 1/1h\nlimit_overrides = @DIR@/over\n",
	    d.path);
	run_start(&r, text, l1, "192.0.2.1");
	fp = open_memstream(&out, &len);
	ratelimit_explain(&r.c->rate, &r.s, fp);
	fclose(fp);
	ck_assert_str_eq(out, "limits: none\n");
	free(out);
	run_end(&r);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

/* listener_limits: one key per listener, whoever the client; a network's
 * override leaves it alone; "limits show listener:25" finds it. */
START_TEST(test_listener)
{
	struct tu_dir d;
	struct run r;
	struct rate_cell cells[8];
	char b[512], *text, *out;
	size_t len = 0;
	FILE *fp;

	tu_dir_make(&d);
	free(tu_write(&d, "over", "192.0.2.0/24 off\n"));
	text = tu_subst("listener_limits = 2/1h\nclient_limits = 5/1h\n"
	    "limit_overrides = @DIR@/over\n", d.path);
	run_start(&r, text, "", "192.0.2.1");
	r.s.listener_key = "25";
	fp = open_memstream(&out, &len);
	ratelimit_explain(&r.c->rate, &r.s, fp);
	fclose(fp);
	/* The network's "off" takes the client's window, not the listener's. */
	ck_assert_str_eq(out, "limit listener:25 2/1h recipients\n");
	free(out);
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert(!ratelimit_commit(&r.t));
	ratelimit_begin(&r.st, &r.t);
	ck_assert(netaddr_parse("203.0.113.9", &r.client));
	r.s.client_text = "203.0.113.9";	/* another client, one count */
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <y@remote.example>: rate limit exceeded "
	    "for listener 25, try later");
	ck_assert(!ratelimit_commit(&r.t));
	ratelimit_begin(&r.st, &r.t);
	r.s.listener_key = "587";		/* a listener of its own */
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)), OK);
	ck_assert_uint_eq(ratelimit_key_cells(&r.c->rate, "listener:25", NULL,
	    cells, 8), 1);
	ck_assert_str_eq(cells[0].key, "listener:25");
	ck_assert_uint_eq(cells[0].w.count, 2);
	ck_assert_uint_eq(cells[0].w.period, 3600);
	run_end(&r);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_monitor)
{
	struct run r;
	char b[512];

	run_start(&r, "login_limits = 1/1h\nmode = monitor\n", "eve",
	    "192.0.2.1");
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    "would_tempfail rate_limit 451 <y@remote.example>: rate limit "
	    "exceeded for eve, try later");
	run_end(&r);
}
END_TEST

START_TEST(test_keys_and_override)
{
	struct tu_dir d;
	struct run r;
	char b[512], *text, *out = NULL;
	size_t len = 0;
	FILE *fp;

	tu_dir_make(&d);
	free(tu_write(&d, "over", "alice@example.org 1/1h\n@bulk.example off\n"));
	text = tu_subst("login_limits = 100/1h, 1000/1d\nclient_limits = 50/1h\n"
	    "network_limits = 200/1h\nmynetworks_limits = 30/1h\n"
	    "mynetworks_message_limits = 10/1h\nlimit_overrides = @DIR@/over\n",
	    d.path);
	run_start(&r, text, "", "10.1.2.3");
	fp = open_memstream(&out, &len);
	ratelimit_explain(&r.c->rate, &r.s, fp);
	r.s.login = "Alice@Example.org";
	ratelimit_explain(&r.c->rate, &r.s, fp);
	r.s.login = "x@bulk.example";
	r.client.bytes[0] = 203;	/* 203.1.2.3: no my_networks */
	r.s.client_text = "203.1.2.3";
	r.s.in_my_networks = false;
	ratelimit_explain(&r.c->rate, &r.s, fp);
	fclose(fp);
	ck_assert_str_eq(out,
	    "limit client:10.1.2.3 50/1h recipients\n"
	    "limit network:10.1.2.0/24 200/1h recipients\n"
	    "limit mynetworks:10.1.2.3 30/1h recipients\n"
	    "limit mynetworks:10.1.2.3 10/1h messages\n"
	    "limit login:alice@example.org 1/1h recipients\n"
	    "limit client:10.1.2.3 50/1h recipients\n"
	    "limit network:10.1.2.0/24 200/1h recipients\n"
	    "limit client:203.1.2.3 50/1h recipients\n"
	    "limit network:203.1.2.0/24 200/1h recipients\n");
	free(out);
	r.s.login = "alice@example.org";
	ck_assert_str_eq(rcpt(&r, "<x@remote.example>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@remote.example>", b, sizeof(b)),
	    "tempfail rate_limit 451 <y@remote.example>: rate limit exceeded "
	    "for alice@example.org, try later");
	run_end(&r);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

/* Network overrides: the longest prefix decides the client kinds'
 * windows; "off" counts nothing; logins keep theirs. */
START_TEST(test_net_override)
{
	struct tu_dir d;
	struct run r;
	char *text, *out = NULL;
	size_t len = 0;
	FILE *fp;

	tu_dir_make(&d);
	free(tu_write(&d, "over", "10.1.0.0/16 7/1h\n10.1.2.3 off\n"
	    "[2001:db8::]/32 1/1m\n"));
	text = tu_subst("login_limits = 100/1h\nclient_limits = 50/1h\n"
	    "network_limits = 200/1h\nlimit_overrides = @DIR@/over\n", d.path);
	run_start(&r, text, "bob", "10.1.9.9");
	fp = open_memstream(&out, &len);
	ratelimit_explain(&r.c->rate, &r.s, fp);
	ck_assert(netaddr_parse("10.1.2.3", &r.client));
	r.s.client_text = "10.1.2.3";
	ratelimit_explain(&r.c->rate, &r.s, fp);
	ck_assert(netaddr_parse("10.2.0.1", &r.client));
	r.s.client_text = "10.2.0.1";
	ratelimit_explain(&r.c->rate, &r.s, fp);
	fclose(fp);
	ck_assert_str_eq(out,
	    "limit login:bob 100/1h recipients\n"
	    "limit client:10.1.9.9 7/1h recipients\n"
	    "limit network:10.1.9.0/24 7/1h recipients\n"
	    "limit login:bob 100/1h recipients\n"
	    "limit login:bob 100/1h recipients\n"
	    "limit client:10.2.0.1 50/1h recipients\n"
	    "limit network:10.2.0.0/24 200/1h recipients\n");
	free(out);
	run_end(&r);
	free(text);
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_override_errors)
{
	struct tu_dir d;
	struct conf_errors errs = { NULL, 0, 0 };
	char *conf, *got, *want;
	struct config *c;

	tu_dir_make(&d);
	free(tu_write(&d, "over", "10.0.0.1/8 5/1h\nnowhere 5/1h\n"
	    "10.0.0.0/33 off\n@ 5/1h\na@b 0/1h\n"));
	conf = tu_write(&d, "rw.conf", "limit_overrides = @DIR@/over\n");
	c = conf_load(conf, &errs);
	got = tu_errors_join(&errs);
	want = tu_subst("@DIR@/over:1: limit_overrides: \"10.0.0.1/8\": host "
	    "bits set under the prefix length\n"
	    "@DIR@/over:2: limit_overrides: \"nowhere\": not a network: write "
	    "192.0.2.0/24, [2001:db8::]/48 or an address\n"
	    "@DIR@/over:3: limit_overrides: \"10.0.0.0/33\": a bad prefix "
	    "length\n"
	    "@DIR@/over:4: limit_overrides: \"@\": a key is a login "
	    "(alice@example.org), a login domain (@example.org) or a network "
	    "(192.0.2.0/24)\n"
	    "@DIR@/over:5: limit_overrides: \"0/1h\": a count of 0 lets "
	    "nothing through: remove the limit or give a count of 1 or more\n",
	    d.path);
	ck_assert(c == NULL);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	free(conf);
	conf_errors_free(&errs);
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_ipv6_network_and_null_sender)
{
	struct run r;
	char b[512];

	run_start(&r, "network_limits = 1/1h\n", "", "2001:db8:1:2:3:4:5:6");
	ck_assert_str_eq(rcpt(&r, "<x@example.org>", b, sizeof(b)), OK);
	ck_assert_str_eq(rcpt(&r, "<y@example.org>", b, sizeof(b)),
	    "tempfail rate_limit 451 <y@example.org>: rate limit exceeded for "
	    "network 2001:db8:1:2::/64, try later");
	r.s.sender = "<>";	/* exempt by default */
	ck_assert_str_eq(rcpt(&r, "<z@example.org>", b, sizeof(b)), OK);
	run_end(&r);
}
END_TEST

START_TEST(test_config_errors)
{
	struct conf_errors errs = { NULL, 0, 0 };
	static const char text[] =
	    "login_limits = 100/1m 0/1h 5/1w\n"
	    "client_limits = 1/1s 2/1s 3/1s 4/1s 5/1s\n"
	    "limit_exempt = postmaster admins\n"
	    "ratelimit_store = redis:nowhere\n"
	    "ratelimit_store_timeout = 0\n"
	    "ratelimit_action = drop\n";
	struct config *c = conf_load_text("rw.conf", text, sizeof(text) - 1,
	    &errs, NULL, NULL);
	char *got = tu_errors_join(&errs);

	ck_assert(c == NULL);
	ck_assert_str_eq(got,
	    "rw.conf:1: login_limits: \"0/1h\": a count of 0 lets nothing "
	    "through: remove the limit or give a count of 1 or more\n"
	    "rw.conf:1: login_limits: \"5/1w\": the period needs a unit: s, m, "
	    "h or d (e.g. 1m, 1h)\n"
	    "rw.conf:2: client_limits: \"5/1s\": at most 4 windows\n"
	    "rw.conf:3: limit_exempt: \"admins\": the exemptions are postmaster "
	    "and null_sender\n"
	    "rw.conf:4: ratelimit_store \"redis:nowhere\": write embedded, "
	    "redis:unix:/PATH or redis:HOST:PORT\n"
	    "rw.conf:5: ratelimit_store_timeout must be a whole number from 1 "
	    "to 10000, not \"0\"\n"
	    "rw.conf:6: ratelimit_action must be tempfail or hold, not "
	    "\"drop\"\n");
	free(got);
	conf_errors_free(&errs);
}
END_TEST

Suite *
ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("limits");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_format);
	tcase_add_loop_test(tc, test_gcra_exact, 0, 5);
	tcase_add_test(tc, test_store_boundary);
	tcase_add_test(tc, test_store_hold_show_reset);
	tcase_add_test(tc, test_store_bounded);
	tcase_add_test(tc, test_store_threads);
	tcase_add_test(tc, test_login_tempfail);
	tcase_add_test(tc, test_abort_gives_back);
	tcase_add_test(tc, test_hold);
	tcase_add_test(tc, test_monitor);
	tcase_add_test(tc, test_hostile_login);
	tcase_add_test(tc, test_long_login);
	tcase_add_test(tc, test_listener);
	tcase_add_test(tc, test_net_override);
	tcase_add_test(tc, test_override_errors);
	tcase_add_test(tc, test_keys_and_override);
	tcase_add_test(tc, test_ipv6_network_and_null_sender);
	tcase_add_test(tc, test_config_errors);
	suite_add_tcase(s, tc);
	return s;
}
