/*
 * stats: the counters (exact counts, from one thread and from several at
 * once, and values past policy.h's that are never counted), the
 * Prometheus text they are written as (byte for byte), the SIGUSR2 log
 * lines, the file written whole (mode, no temporary file left, a missing
 * directory, a link planted at PATH.tmp), and the two keys' errors.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slog.h"
#include "stats.h"
#include "statsd.h"
#include "testutil.h"

#define D64 "3f2a9c01d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f"

/* 2026-11-22 08:53:16 UTC. */
#define T_START	((time_t)1795337596)

/* The figures of the tests below: a known mix. */
static void
known(struct stats_figures *f)
{
	memset(f, 0, sizeof(*f));
	f->start = T_START;
	f->sessions = 12;
	f->states_new = 10;
	f->states_freed = 7;
	f->messages = 4;
	f->internal_errors = 1;
	f->reloads = 2;
	f->reload_failures = 1;
	f->lines_lost = 7;
	f->write_failures = 2;
	f->decisions[LISTENER_SMTP][DECISION_ACCEPT][REASON_LOCAL_DOMAIN] = 5;
	f->decisions[LISTENER_SMTP][DECISION_REJECT][REASON_RELAY_DENIED] = 3;
	f->decisions[LISTENER_SUBMISSION][DECISION_ACCEPT][REASON_SENDER_OK] = 2;
	f->decisions[LISTENER_SUBMISSION][DECISION_WOULD_REJECT]
	    [REASON_AUTH_REQUIRED] = 1;
	memcpy(f->digest, D64, sizeof(D64));
	f->mode = "enforce";
}

static const char known_prom[] =
"# HELP relaywarden_start_time_seconds When the daemon started, in seconds "
"since the Unix epoch.\n"
"# TYPE relaywarden_start_time_seconds gauge\n"
"relaywarden_start_time_seconds 1795337596\n"
"# HELP relaywarden_policy_info The policy in force: its SHA-256 digest "
"(the log's policy= is its first 12 digits) and mode.\n"
"# TYPE relaywarden_policy_info gauge\n"
"relaywarden_policy_info{digest=\"" D64 "\",mode=\"enforce\"} 1\n"
"# HELP relaywarden_sessions_total Milter sessions the MTA opened (one per "
"SMTP session).\n"
"# TYPE relaywarden_sessions_total counter\n"
"relaywarden_sessions_total 12\n"
"# HELP relaywarden_sessions_open Milter sessions open now that have begun "
"a transaction (from their first MAIL FROM on).\n"
"# TYPE relaywarden_sessions_open gauge\n"
"relaywarden_sessions_open 3\n"
"# HELP relaywarden_messages_total Messages that reached their end (a "
"QUEUEID line each).\n"
"# TYPE relaywarden_messages_total counter\n"
"relaywarden_messages_total 4\n"
"# HELP relaywarden_decisions_total Answers to MAIL FROM and RCPT TO, by "
"listener, decision and reason.\n"
"# TYPE relaywarden_decisions_total counter\n"
"relaywarden_decisions_total{listener=\"smtp\",decision=\"accept\","
"reason=\"local_domain\"} 5\n"
"relaywarden_decisions_total{listener=\"smtp\",decision=\"reject\","
"reason=\"relay_denied\"} 3\n"
"relaywarden_decisions_total{listener=\"submission\",decision=\"accept\","
"reason=\"sender_ok\"} 2\n"
"relaywarden_decisions_total{listener=\"submission\","
"decision=\"would_reject\",reason=\"auth_required\"} 1\n"
"# HELP relaywarden_internal_errors_total Commands answered 451 with no "
"decision (no connection state, no policy, no transaction).\n"
"# TYPE relaywarden_internal_errors_total counter\n"
"relaywarden_internal_errors_total 1\n"
"# HELP relaywarden_reloads_total Reloads that put a new policy in force.\n"
"# TYPE relaywarden_reloads_total counter\n"
"relaywarden_reloads_total 2\n"
"# HELP relaywarden_reload_failures_total Reloads refused (a broken file, "
"or out of memory): the policy in force stayed.\n"
"# TYPE relaywarden_reload_failures_total counter\n"
"relaywarden_reload_failures_total 1\n"
"# HELP relaywarden_syslog_lines_lost_total Log lines lost while the "
"syslog socket could not be reached.\n"
"# TYPE relaywarden_syslog_lines_lost_total counter\n"
"relaywarden_syslog_lines_lost_total 7\n"
"# HELP relaywarden_stats_write_failures_total Writes of this file that "
"failed (said once in the log).\n"
"# TYPE relaywarden_stats_write_failures_total counter\n"
"relaywarden_stats_write_failures_total 2\n";

/* stats_write_prom()'s text for f; the caller frees it. */
static char *
prom(const struct stats_figures *f)
{
	char *text = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&text, &n);

	ck_assert(fp != NULL);
	ck_assert(stats_write_prom(fp, f));
	ck_assert(fclose(fp) == 0);
	return text;
}

START_TEST(test_prom_exact)
{
	struct stats_figures f;
	char *got;

	known(&f);
	got = prom(&f);
	ck_assert_str_eq(got, known_prom);
	free(got);
}
END_TEST

/* Before any decision and with no policy: every HELP and TYPE, no
 * decision sample, no info sample; open sessions never below 0. */
START_TEST(test_prom_empty)
{
	struct stats_figures f;
	char *got;

	memset(&f, 0, sizeof(f));
	f.states_freed = 1;	/* a free read after its new */
	got = prom(&f);
	ck_assert_msg(strstr(got, "relaywarden_policy_info{") == NULL &&
	    strstr(got, "relaywarden_decisions_total{") == NULL, "%s", got);
	ck_assert(strstr(got, "# TYPE relaywarden_decisions_total counter\n"
	    "# HELP relaywarden_internal_errors_total") != NULL);
	ck_assert(strstr(got, "\nrelaywarden_sessions_open 0\n") != NULL);
	ck_assert(strstr(got, "\nrelaywarden_start_time_seconds 0\n") != NULL);
	free(got);
}
END_TEST

/* A counter past policy.h's words (a reason it maps to another's word)
 * is not written: two samples with one label set would spoil the file. */
START_TEST(test_prom_unknown_index)
{
	struct stats_figures f;
	char *got;

	known(&f);
	f.decisions[LISTENER_SMTP][DECISION_REJECT][STATS_REASONS - 1] = 9;
	f.decisions[LISTENER_SMTP][STATS_DECISIONS - 1][REASON_RELAY_DENIED] = 9;
	f.decisions[STATS_LISTENERS - 1][DECISION_REJECT][REASON_RELAY_DENIED] =
	    9;
	got = prom(&f);
	ck_assert_str_eq(got, known_prom);
	free(got);
}
END_TEST

START_TEST(test_counters)
{
	struct stats_figures f;
	int i;

	stats_init(T_START);
	for (i = 0; i < 3; i++) {
		stats_session();
		stats_state_new();
	}
	stats_state_free();
	stats_message();
	stats_internal_error();
	stats_reload(true);
	stats_reload(true);
	stats_reload(false);
	stats_write_failed();
	stats_decision(LISTENER_SMTP, DECISION_REJECT, REASON_RELAY_DENIED);
	stats_decision(LISTENER_SMTP, DECISION_REJECT, REASON_RELAY_DENIED);
	stats_decision(LISTENER_SUBMISSION, DECISION_TEMPFAIL,
	    REASON_UNKNOWN_LISTENER);
	/* Out of range: not counted, nothing written out of bounds. */
	stats_decision((enum listener)STATS_LISTENERS, DECISION_ACCEPT,
	    REASON_LOCAL_DOMAIN);
	stats_decision(LISTENER_SMTP, (enum decision)-1, REASON_LOCAL_DOMAIN);
	stats_decision(LISTENER_SMTP, DECISION_ACCEPT,
	    (enum reason)STATS_REASONS);
	stats_read(&f);
	ck_assert_int_eq(f.start, T_START);
	ck_assert_uint_eq(f.sessions, 3);
	ck_assert_uint_eq(f.states_new, 3);
	ck_assert_uint_eq(f.states_freed, 1);
	ck_assert_uint_eq(stats_states(), 2);
	ck_assert_uint_eq(f.messages, 1);
	ck_assert_uint_eq(f.internal_errors, 1);
	ck_assert_uint_eq(f.reloads, 2);
	ck_assert_uint_eq(f.reload_failures, 1);
	ck_assert_uint_eq(f.lines_lost, slog_lost());
	ck_assert_uint_eq(f.write_failures, 1);
	ck_assert_uint_eq(f.decisions[LISTENER_SMTP][DECISION_REJECT]
	    [REASON_RELAY_DENIED], 2);
	ck_assert_uint_eq(f.decisions[LISTENER_SUBMISSION][DECISION_TEMPFAIL]
	    [REASON_UNKNOWN_LISTENER], 1);
	ck_assert_uint_eq(f.decisions[LISTENER_SMTP][DECISION_ACCEPT]
	    [REASON_LOCAL_DOMAIN], 0);
	ck_assert(f.digest[0] == '\0' && f.mode == NULL);
	/* Counters are the process's: a new start clears them (tests). */
	stats_init(0);
	stats_read(&f);
	ck_assert_uint_eq(f.sessions, 0);
	ck_assert_uint_eq(f.decisions[LISTENER_SMTP][DECISION_REJECT]
	    [REASON_RELAY_DENIED], 0);
}
END_TEST

#define THREADS	4
#define EACH	100000

static void *
count_many(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < EACH; i++) {
		stats_decision(LISTENER_SMTP, DECISION_ACCEPT,
		    REASON_MY_NETWORKS);
		stats_session();
	}
	return NULL;
}

/* Threads adding at once lose no count (ThreadSanitizer sees no race). */
START_TEST(test_counters_threads)
{
	pthread_t t[THREADS];
	struct stats_figures f;
	int i;

	stats_init(T_START);
	for (i = 0; i < THREADS; i++)
		ck_assert(pthread_create(&t[i], NULL, count_many, NULL) == 0);
	for (i = 0; i < THREADS; i++)
		ck_assert(pthread_join(t[i], NULL) == 0);
	stats_read(&f);
	ck_assert_uint_eq(f.decisions[LISTENER_SMTP][DECISION_ACCEPT]
	    [REASON_MY_NETWORKS], THREADS * EACH);
	ck_assert_uint_eq(f.sessions, THREADS * EACH);
}
END_TEST

struct lines {
	char	text[4096];
	int	n;
};

static void
collect(const char *line, void *arg)
{
	struct lines *l = arg;
	size_t o = strlen(l->text);

	snprintf(l->text + o, sizeof(l->text) - o, "%s\n", line);
	l->n++;
}

START_TEST(test_log_lines)
{
	struct stats_figures f;
	struct lines l = { "", 0 };

	known(&f);
	stats_log_lines(&f, collect, &l);
	ck_assert_int_eq(l.n, 3);
	ck_assert_str_eq(l.text, "stats: started=2026-11-22T08:53:16Z "
	    "sessions=12 open=3 messages=4 internal_errors=1 reloads=2 "
	    "reload_failures=1 lines_lost=7 stats_write_failures=2 "
	    "policy=3f2a9c01d4e5\n"
	    "stats: listener=smtp accept/local_domain=5 reject/relay_denied=3\n"
	    "stats: listener=submission accept/sender_ok=2 "
	    "would_reject/auth_required=1\n");
	/* Nothing decided, no policy: the totals alone. */
	memset(&f, 0, sizeof(f));
	l.text[0] = '\0';
	l.n = 0;
	stats_log_lines(&f, collect, &l);
	ck_assert_str_eq(l.text, "stats: started=- sessions=0 open=0 "
	    "messages=0 internal_errors=0 reloads=0 reload_failures=0 "
	    "lines_lost=0 stats_write_failures=0 policy=-\n");
}
END_TEST

/* The file: the same text, mode 0644 under umask 077, no PATH.tmp left,
 * written again over itself. */
START_TEST(test_write_file)
{
	struct stats_figures f;
	struct tu_dir d;
	char path[256], tmp[300], err[512], got[8192];
	struct stat st;
	mode_t old = umask(077);
	FILE *fp;
	size_t n;
	int i;

	tu_dir_make(&d);
	snprintf(path, sizeof(path), "%s/relaywarden.prom", d.path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	known(&f);
	for (i = 0; i < 2; i++)
		ck_assert_msg(statsd_write_file(path, &f, err, sizeof(err)),
		    "%s", err);
	umask(old);
	ck_assert(stat(path, &st) == 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert(access(tmp, F_OK) != 0 && errno == ENOENT);
	ck_assert((fp = fopen(path, "r")) != NULL);
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	ck_assert_str_eq(got, known_prom);
	tu_dir_remove(&d);
}
END_TEST

START_TEST(test_write_file_fails)
{
	struct stats_figures f;
	struct tu_dir d;
	char path[256], tmp[300], target[300], err[512], want[700];

	tu_dir_make(&d);
	known(&f);
	/* No such directory: said, nothing made. */
	snprintf(path, sizeof(path), "%s/missing/relaywarden.prom", d.path);
	ck_assert(!statsd_write_file(path, &f, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot create %s.tmp: No such file or "
	    "directory", path);
	ck_assert_str_eq(err, want);
	/* A link planted at PATH.tmp is not written through. */
	snprintf(path, sizeof(path), "%s/relaywarden.prom", d.path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(target, sizeof(target), "%s/target", d.path);
	ck_assert(symlink(target, tmp) == 0);
	ck_assert(!statsd_write_file(path, &f, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot create %s.tmp: Too many levels "
	    "of symbolic links", path);
	ck_assert_str_eq(err, want);
	ck_assert(access(target, F_OK) != 0 && access(path, F_OK) != 0);
	/* A directory where the file goes: the rename fails, no PATH.tmp
	 * is left behind. */
	ck_assert(unlink(tmp) == 0 && mkdir(path, 0755) == 0);
	ck_assert(!statsd_write_file(path, &f, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot rename over %s: Is a directory",
	    path);
	ck_assert_str_eq(err, want);
	ck_assert(access(tmp, F_OK) != 0);
	tu_dir_remove(&d);
}
END_TEST

/* The two keys: defaults, a good value, and every error text. */
static const struct {
	const char *text;
	const char *want;	/* the errors, or "file interval" */
} key_cases[] = {
	{ "", "- 15" },
	{ "stats_file = /var/lib/x.prom\nstats_interval = 3600\n",
	    "/var/lib/x.prom 3600" },
	{ "stats_interval = 1\n", "- 1" },
	{ "stats_interval = 0\n", "main.conf:1: stats_interval must be a "
	    "whole number from 1 to 3600, not \"0\"" },
	{ "stats_interval = 3601\n", "main.conf:1: stats_interval must be a "
	    "whole number from 1 to 3600, not \"3601\"" },
	{ "stats_interval = 15s\n", "main.conf:1: stats_interval must be a "
	    "whole number from 1 to 3600, not \"15s\"" },
	{ "stats_interval = -1\n", "main.conf:1: stats_interval must be a "
	    "whole number from 1 to 3600, not \"-1\"" },
	{ "stats_interval = 99999999999\n", "main.conf:1: stats_interval must "
	    "be a whole number from 1 to 3600, not \"99999999999\"" },
	{ "stats_interval =\n", "main.conf:1: stats_interval must be a whole "
	    "number from 1 to 3600, not \"\"" },
	{ "stats_file = x.prom\n", "main.conf:1: stats_file must be an "
	    "absolute file path without spaces or control bytes, not "
	    "\"x.prom\"" },
};

START_TEST(test_keys)
{
	struct conf_errors errs = { NULL, 0, 0 };
	const char *text = key_cases[_i].text;
	struct config *c = conf_load_text("main.conf", text, strlen(text),
	    &errs, NULL, NULL);
	char got[1024] = "";
	size_t i, o = 0;

	if (c != NULL)
		snprintf(got, sizeof(got), "%s %u", c->stats_file[0] != '\0' ?
		    c->stats_file : "-", c->stats_interval);
	for (i = 0; i < errs.n; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s",
		    i > 0 ? "\n" : "", errs.msg[i]);
	ck_assert_msg(strcmp(got, key_cases[_i].want) == 0,
	    "%s\n got  %s\n want %s", text, got, key_cases[_i].want);
	conf_errors_free(&errs);
	config_free(c);
}
END_TEST

Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, test_prom_exact);
	tcase_add_test(tc, test_prom_empty);
	tcase_add_test(tc, test_prom_unknown_index);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_counters_threads);
	tcase_add_test(tc, test_log_lines);
	tcase_add_test(tc, test_write_file);
	tcase_add_test(tc, test_write_file_fails);
	tcase_add_loop_test(tc, test_keys, 0, NCASES(key_cases));
	suite_add_tcase(s, tc);
	return s;
}
