/*
 * loggen - a mail log for the relaywarden-report benchmark: N lines as
 * rsyslog writes /var/log/mail.log (classic stamps), on standard output.
 * About 60% are relaywarden's decision lines (accepts, refusals of every
 * reason, some in monitor mode), 38% Postfix's own lines, and a start or
 * reload line every 100,000 lines. Clients come from 50,000 addresses,
 * senders from 200,000, recipient domains from 20,000, so the report's
 * top tables fill up as on a busy server. Deterministic (a fixed seed).
 *
 *   loggen LINES
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: fast and good enough for a benchmark's mix. */
static uint64_t
rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static const char *const accepts[] = { "authenticated", "my_networks",
    "local_domain", "local_domain", "local_domain", "postmaster" };
static const char *const refusals[] = { "relay_denied", "relay_denied",
    "relay_denied", "routing_trick", "unqualified", "bad_address",
    "auth_required", "tls_required" };

int
main(int argc, char *argv[])
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	unsigned long long n, i;
	time_t t = 1795334400;	/* 2026-11-22 08:00:00 UTC */
	struct tm tm;
	char stamp[32];
	int last_sec = -1;

	if (argc != 2 || (n = strtoull(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: loggen LINES\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < n; i++) {
		uint64_t r = rnd();
		unsigned c = (unsigned)(r >> 8) % 50000, k = (unsigned)(r >> 24) % 100;
		const char *policy = (i / 100000) % 2 ? "9c01d4e53f2a" :
		    "3f2a9c01d4e5";

		if (i % 30 == 0)
			t++;
		if ((int)(t % 86400) != last_sec) {
			gmtime_r(&t, &tm);
			snprintf(stamp, sizeof(stamp), "%.3s %2d %02d:%02d:%02d",
			    months + 3 * tm.tm_mon, tm.tm_mday, tm.tm_hour,
			    tm.tm_min, tm.tm_sec);
			last_sec = (int)(t % 86400);
		}
		if (i % 100000 == 0) {
			printf("%s mx relaywarden[812]: %s: config=/etc/relaywarden/"
			    "relaywarden.conf sha256=%s%s local_domains=1200 "
			    "my_networks=4 mode=enforce\n", stamp, i == 0 ?
			    "starting" : "reloaded", policy,
			    "0000000000000000000000000000000000000000000000000000");
			continue;
		}
		if (k < 38) {
			printf("%s mx postfix/smtpd[%u]: connect from unknown"
			    "[10.%u.%u.%u]\n", stamp, 1000 + c % 500, c >> 16,
			    (c >> 8) & 255, c & 255);
			continue;
		}
		if (k < 75) {
			printf("%s mx relaywarden[812]: NOQUEUE: listener=smtp "
			    "port=25 client=198.51.%u.%u auth=- tls=TLSv1.3 "
			    "from=<user%u@sender%u.example> rcpt=<user%u@bluemind.loc> "
			    "decision=accept reason=%s code=- dsn=- policy=%s\n",
			    stamp, c >> 8, c & 255, (unsigned)(r >> 32) % 200000,
			    c % 977, (unsigned)(r >> 40) % 5000,
			    accepts[(r >> 48) % 6], policy);
			continue;
		}
		{
			const char *reason = refusals[(r >> 48) % 8];
			int sub = reason[0] == 'a' || reason[0] == 't';

			printf("%s mx relaywarden[812]: NOQUEUE: listener=%s "
			    "port=%s client=203.0.%u.%u auth=%s%s tls=- "
			    "from=<spam%u@sender%u.example> rcpt=%s%u%s%u%s "
			    "decision=%s reason=%s code=%s dsn=%s policy=%s\n",
			    stamp, sub ? "submission" : "smtp", sub ? "587" : "25",
			    c >> 8, c & 255, reason[0] == 't' ? "login" : "-",
			    reason[0] == 't' ? "@bluemind.loc" : "",
			    (unsigned)(r >> 32) % 200000, c % 977,
			    sub ? "-" : "<victim", (unsigned)(r >> 40) % 100,
			    sub ? "" : "@domain", (unsigned)(r >> 20) % 20000,
			    sub ? "" : ".example>", k < 95 ? "reject" :
			    "would_reject", reason, sub ? "530" : "554",
			    sub ? "5.7.0" : "5.7.1", policy);
		}
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
