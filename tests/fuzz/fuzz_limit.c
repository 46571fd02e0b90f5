/*
 * fuzz_limit - the rate limit windows' parser, GCRA, and the keys a
 * session counts against.
 *
 * The input's first byte chooses the part:
 *  - the rest as a window ("100/1m"): limit_parse() either refuses it
 *    with a message or gives a window of count >= 1, period >= 1 s, an
 *    interval of 1 us or more, that limit_format() writes back as text
 *    which parses to the same window (P1);
 *  - a window and a sequence of takes, gives back and clock steps
 *    forward from the input: at no instant more than COUNT units have
 *    been taken within the burst (P2: limit_used() <= count, and a take
 *    that would pass it is refused); a unit given back is taken again at
 *    the same instant (P3);
 *  - a login and a client from the input: the keys ratelimit_explain()
 *    prints are each under RATE_KEY_MAX bytes; the login's key is the
 *    same for the login in upper case and with an extension (P4).
 */
#include <stdio.h>

#include "fuzz.h"
#include "ratelimit.h"

static void
windows(struct fz *f)
{
	char *s = fz_rest(f), back[32];
	struct limit_window w, w2;
	const char *err = limit_parse(s, &w);

	if (err != NULL) {
		FZ_CHECK(*err != '\0', "an empty message for \"%s\"", s);
		free(s);
		return;
	}
	FZ_CHECK(w.count >= 1 && w.period >= 1 && limit_interval(&w) >= 1,
	    "\"%s\" gave %u/%u", s, w.count, w.period);
	limit_format(&w, back, sizeof(back));
	FZ_CHECK(limit_parse(back, &w2) == NULL && w2.count == w.count &&
	    w2.period == w.period, "\"%s\" -> \"%s\" does not read back", s,
	    back);
	free(s);
}

static void
gcra(struct fz *f)
{
	struct limit_window w = { (uint32_t)(fz_u8(f) % 50) + 1,
	    (uint32_t)(fz_u8(f) % 120) + 1 };
	int64_t tat = 0, now = 1000000, before;
	uint32_t used, cost;
	int steps = 0;

	while (f->n > 0 && steps++ < 500) {
		uint8_t op = fz_u8(f);

		switch (op % 4) {
		case 0:
		case 1:
			cost = (uint32_t)(op >> 2) % 4 + 1;
			used = limit_used(tat, &w, now);
			before = tat;
			if (limit_take(&tat, &w, now, cost, true, NULL))
				FZ_CHECK(used + cost <= w.count, "took %u with %u "
				    "of %u used", cost, used, w.count);
			else
				FZ_CHECK(tat == before && used + cost > w.count,
				    "refused %u with %u of %u used", cost, used,
				    w.count);
			break;
		case 2:
			if (limit_take(&tat, &w, now, 1, true, NULL)) {
				limit_give_back(&tat, &w, 1);
				FZ_CHECK(limit_take(&tat, &w, now, 1, true, NULL),
				    "a unit given back was not there again");
			}
			break;
		default:
			now += (int64_t)fz_u16(f) * 1000;
			break;
		}
		FZ_CHECK(limit_used(tat, &w, now) <= w.count, "%u of %u used",
		    limit_used(tat, &w, now), w.count);
	}
}

/* The login key of ratelimit_explain()'s output ("" when none). */
static void
login_key(const struct rate_rules *r, const char *login, char *key,
    size_t len)
{
	struct rate_session s;
	char *out = NULL, *p;
	size_t n = 0;
	FILE *fp = open_memstream(&out, &n);

	if (fp == NULL)
		abort();
	memset(&s, 0, sizeof(s));
	s.login = login;
	s.listener_key = login;		/* any bytes, from the MTA */
	ratelimit_explain(r, &s, fp);
	fclose(fp);
	key[0] = '\0';
	for (p = out; p != NULL && *p != '\0'; p = strchr(p, '\n') + 1) {
		FZ_CHECK(strcspn(p, "\n") < RATE_KEY_MAX + 64, "a long line");
		if (strncmp(p, "limit login:", 12) == 0 && key[0] == '\0')
			snprintf(key, len, "%.*s", (int)strcspn(p + 6, " "),
			    p + 6);
		if (strchr(p, '\n') == NULL)
			break;
	}
	free(out);
}

static void
keys(struct fz *f)
{
	struct rate_rules r;
	/* Up to 400 bytes: past 283, a login's key ends in its hash. */
	char *login = fz_str(f, 400), upper[512], ext[520], k1[RATE_KEY_MAX],
	    k2[RATE_KEY_MAX], k3[RATE_KEY_MAX];
	const char *at;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.rcpt[RATE_LOGIN].n = 1;
	r.rcpt[RATE_LOGIN].w[0].count = 10;
	r.rcpt[RATE_LOGIN].w[0].period = 60;
	r.rcpt[RATE_LISTENER] = r.rcpt[RATE_LOGIN];
	if (login == NULL || *login == '\0' || strpbrk(login, " \n+") != NULL) {
		free(login);
		return;
	}
	for (i = 0; login[i] != '\0' && i < sizeof(upper) - 1; i++)
		upper[i] = (char)(login[i] >= 'a' && login[i] <= 'z' ?
		    login[i] - 'a' + 'A' : login[i]);
	upper[i] = '\0';
	at = strrchr(login, '@');
	snprintf(ext, sizeof(ext), "%.*s+tag%s", (int)(at != NULL ? at - login :
	    (long)strlen(login)), login, at != NULL ? at : "");
	login_key(&r, login, k1, sizeof(k1));
	login_key(&r, upper, k2, sizeof(k2));
	login_key(&r, ext, k3, sizeof(k3));
	FZ_CHECK(strlen(k1) < RATE_KEY_MAX, "a key of %zu bytes", strlen(k1));
	FZ_CHECK(strcmp(k1, k2) == 0 && strcmp(k1, k3) == 0, "\"%s\": keys "
	    "\"%s\", \"%s\" (upper case), \"%s\" (extension)", login, k1, k2,
	    k3);
	free(login);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };

	switch (fz_u8(&f) % 3) {
	case 0:
		windows(&f);
		break;
	case 1:
		gcra(&f);
		break;
	default:
		keys(&f);
		break;
	}
	return 0;
}
