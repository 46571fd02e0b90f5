/*
 * rateredis - the rate limit store in Redis. See rateredis.h and
 * docs/ratelimit-redis.md.
 *
 * The state of a cell, in one Redis string: "S" or, while the cell is
 * held, "S H", where S is its TAT times 2 plus its "tripped" bit and H
 * the end of its hold, both in microseconds of Redis's clock (TIME).
 * Without a hold the value is an integer, which Redis keeps inside the
 * key's object (no allocation of its own: "memory per key" in
 * bench/redisbench.c). Lua's numbers are doubles: every value stays below
 * 2^53 (now is about 1.8e15; a TAT is at most a year, 3.2e13, ahead),
 * and every division is an integer one (idiv), so the script computes
 * what limit.c computes, to the microsecond. T is limit.c's own
 * limit_interval(), passed in: the script never divides a period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "decimal.h"
#include "escape.h"
#include "limit.h"
#include "rateredis.h"
#include "redisconn.h"

#define CELLS_MAX	RATE_CALL_MAX

struct rateredis {
	struct rate_store pub;
	struct redisconn *rc;
};

/* What every script starts with: Redis's clock, integer division,
 * reading and writing a cell. A cell whose value is not ours raises
 * "RWBADKEY <key> <why>". put() gives the key the expiry of the time its
 * cell is empty again (a tripped bit alone is kept one period). */
#define PRELUDE \
"#!lua\n" \
"local t = redis.call('TIME')\n" \
"local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n" \
"local function idiv(a, b)\n" \
"  local q = math.floor(a / b)\n" \
"  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end\n" \
"  return q\n" \
"end\n" \
"local function fmt(x) return string.format('%d', x) end\n" \
"local function bad(k, why) error({err = 'RWBADKEY ' .. k .. ' ' .. why}) end\n" \
"local function read(k)\n" \
"  local v = redis.pcall('GET', k)\n" \
"  if type(v) == 'table' then\n" \
"    bad(k, 'is not a relaywarden cell: ' .. tostring(v.err))\n" \
"  end\n" \
"  if not v then return 0, 0, 0, false end\n" \
"  local s, h = string.match(v, '^(%d+)$'), '0'\n" \
"  if not s then s, h = string.match(v, '^(%d+) (%d+)$') end\n" \
"  if not s or #s > 16 or #h > 16 or tonumber(s) >= 2^53 or\n" \
"      tonumber(h) >= 2^53 then\n" \
"    bad(k, 'holds a value that is not a relaywarden cell')\n" \
"  end\n" \
"  s = tonumber(s)\n" \
"  return idiv(s, 2), s % 2, tonumber(h), true\n" \
"end\n" \
"local function put(k, tat, tripped, hold, burst)\n" \
"  local ends = tat\n" \
"  if tat <= now then tat = 0 end\n" \
"  local v = fmt(tat * 2 + tripped)\n" \
"  if hold > now then\n" \
"    v = v .. ' ' .. fmt(hold)\n" \
"    if hold > ends then ends = hold end\n" \
"  end\n" \
"  if ends <= now then\n" \
"    if tripped == 0 then redis.call('DEL', k) return end\n" \
"    ends = now + burst\n" \
"  end\n" \
"  redis.call('SET', k, v, 'PXAT', fmt(idiv(ends + 999, 1000)))\n" \
"end\n" \
"local function arg(i)\n" \
"  return tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]),\n" \
"      tonumber(ARGV[3 * i])\n" \
"end\n"

/* KEYS: the cells; ARGV: T, count, cost of each. Every cell is checked
 * before any is taken (a key given twice is checked on its state before
 * the call and taken twice, as the embedded store does). Answers {1,
 * held} or {0, which (from 0), first, used, retry}. */
static const char take_lua[] = PRELUDE
"local cur, held = {}, 0\n"
"for i = 1, #KEYS do\n"
"  local k = KEYS[i]\n"
"  if not cur[k] then cur[k] = {read(k)} end\n"
"  local c, t, count, cost = cur[k], arg(i)\n"
"  if c[3] > now then held = 1 end\n"
"  local burst, nxt = t * count, math.max(c[1], now) + t * cost\n"
"  if nxt - now > burst then\n"
"    local used = 0\n"
"    if c[1] > now then used = math.min(idiv(c[1] - now + t - 1, t), count) end\n"
"    if c[2] == 0 then put(k, c[1], 1, c[3], burst) end\n"
"    return {0, i - 1, 1 - c[2], used, math.min(nxt - now - burst, 2^52)}\n"
"  end\n"
"end\n"
"for i = 1, #KEYS do\n"
"  local c, t, count, cost = cur[KEYS[i]], arg(i)\n"
"  c[1] = math.max(c[1], now) + t * cost\n"
"  c[2] = 0\n"
"  put(KEYS[i], c[1], 0, c[3], t * count)\n"
"end\n"
"return {1, held}\n";

/* KEYS, ARGV as take's; a cell that is gone stays gone. */
static const char give_lua[] = PRELUDE
"for i = 1, #KEYS do\n"
"  local tat, tripped, hold, found = read(KEYS[i])\n"
"  if found then\n"
"    local t, count, cost = arg(i)\n"
"    put(KEYS[i], tat - t * cost, tripped, hold, t * count)\n"
"  end\n"
"end\n"
"return 1\n";

/* KEYS[1]: the cell; ARGV: T, count, period in seconds. */
static const char hold_lua[] = PRELUDE
"local tat, tripped = read(KEYS[1])\n"
"local t, count, period = arg(1)\n"
"put(KEYS[1], tat, tripped, now + period * 1000000, t * count)\n"
"return 1\n";

/* KEYS: the cells. Answers {now, {tat, tripped, hold}...}. */
static const char show_lua[] = PRELUDE
"local out = {now}\n"
"for i = 1, #KEYS do\n"
"  local tat, tripped, hold = read(KEYS[i])\n"
"  out[i + 1] = {tat, tripped, hold}\n"
"end\n"
"return out\n";

enum { TAKE, GIVE, HOLD, SHOW, NSCRIPTS };
static const char *const scripts[NSCRIPTS] = {
	take_lua, give_lua, hold_lua, show_lua
};

/* The arguments of one call: keys, then three numbers per cell. */
struct call {
	const char	*argv[CELLS_MAX * 4];
	size_t		len[CELLS_MAX * 4];
	size_t		argc;
	char		keys[CELLS_MAX][RATEREDIS_KEY_MAX];
	char		nums[CELLS_MAX * 3][DECIMAL_MAX];
};

#define KEY_PREFIX	"relaywarden:v1:"

size_t
rateredis_key(const struct rate_cell *c, char *buf, size_t len)
{
	size_t klen = strnlen(c->key, sizeof(c->key)), o;
	char period[DECIMAL_MAX];
	size_t plen = decimal(period, c->w.period);

	/* Without snprintf(): per recipient, per cell (callgrind). */
	if (len < sizeof(KEY_PREFIX) + klen + 1 + plen) {
		int n = snprintf(buf, len, KEY_PREFIX "%s:%u", c->key,
		    c->w.period);

		return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
	}
	memcpy(buf, KEY_PREFIX, sizeof(KEY_PREFIX) - 1);
	o = sizeof(KEY_PREFIX) - 1;
	memcpy(buf + o, c->key, klen);
	o += klen;
	buf[o++] = ':';
	memcpy(buf + o, period, plen);
	o += plen;
	buf[o] = '\0';
	return o;
}

/* Keys, then T, count and cost (period: the period) of each cell. */
static void
prepare(struct call *a, const struct rate_cell *cells, size_t n, bool period)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		a->argv[i] = a->keys[i];
		a->len[i] = rateredis_key(&cells[i], a->keys[i],
		    sizeof(a->keys[i]));
	}
	for (i = 0; i < n; i++) {
		unsigned long long v[3] = {
			(unsigned long long)limit_interval(&cells[i].w),
			cells[i].w.count,
			period ? cells[i].w.period : cells[i].cost
		};

		for (j = 0; j < 3; j++) {
			a->argv[n + 3 * i + j] = a->nums[3 * i + j];
			a->len[n + 3 * i + j] = decimal(a->nums[3 * i + j],
			    v[j]);
		}
	}
	a->argc = 4 * n;
}

/* A reply that is an error, or not what the script answers: logged. */
static void
complain(struct rateredis *s, const char *what, const redisReply *r)
{
	char line[512], text[RATEREDIS_KEY_MAX + 200], show[sizeof(text)];
	const char *from, *end;
	size_t len;

	if (r->type == REDIS_REPLY_ERROR && r->str != NULL) {
		from = r->str;
		if (strncmp(from, "RWBADKEY ", 9) == 0)
			from += 9;
		/* Redis adds " script: SHA, on @user_script:LINE." */
		end = strstr(from, " script: ");
		len = end != NULL ? (size_t)(end - from) : strlen(from);
		len = len < sizeof(text) - 1 ? len : sizeof(text) - 1;
		memcpy(text, from, len);
		text[len] = '\0';
		snprintf(line, sizeof(line), "%s: %s (answered \"store down\")",
		    what, escape_show(show, sizeof(show), text));
	} else
		snprintf(line, sizeof(line), "%s: an answer that is not the "
		    "script's (answered \"store down\")", what);
	redisconn_complain(s->rc, LOG_ERR, line);
}

/* An array of n integers into v. */
static bool
integers(const redisReply *r, size_t n, long long *v)
{
	size_t i;

	if (r->type != REDIS_REPLY_ARRAY || r->elements != n)
		return false;
	for (i = 0; i < n; i++) {
		if (r->element[i]->type != REDIS_REPLY_INTEGER)
			return false;
		v[i] = r->element[i]->integer;
	}
	return true;
}

/* take's answer, checked, into res. */
static bool
read_take(const redisReply *r, const struct rate_cell *cells, size_t n,
    struct rate_result *res)
{
	long long v[5];

	if (integers(r, 2, v) && v[0] == 1 && (v[1] == 0 || v[1] == 1)) {
		res->answer = RATE_OK;
		res->held = v[1] == 1;
		return true;
	}
	if (!integers(r, 5, v) || v[0] != 0 || v[1] < 0 ||
	    (unsigned long long)v[1] >= n || (v[2] != 0 && v[2] != 1) ||
	    v[3] < 0 || v[3] > cells[v[1]].w.count || v[4] < 1)
		return false;
	res->answer = RATE_OVER;
	res->which = (size_t)v[1];
	res->first = v[2] == 1;
	res->used = (uint32_t)v[3];
	res->retry = v[4];
	return true;
}

static void
redis_take(struct rate_store *st, const struct rate_cell *cells, size_t n,
    struct rate_result *res)
{
	struct rateredis *s = (struct rateredis *)st;
	struct call a;
	redisReply *r;

	memset(res, 0, sizeof(*res));
	res->answer = n == 0 ? RATE_OK : RATE_DOWN;
	if (n == 0 || n > CELLS_MAX)
		return;
	prepare(&a, cells, n, false);
	if ((r = redisconn_call(s->rc, TAKE, n, a.argc, a.argv, a.len)) == NULL)
		return;
	if (!read_take(r, cells, n, res)) {
		memset(res, 0, sizeof(*res));
		res->answer = RATE_DOWN;
		complain(s, "take", r);
	}
	freeReplyObject(r);
}

/* Runs a script that answers 1; false (logged) when it did not. */
static bool
run_simple(struct rateredis *s, int script, const char *what,
    const struct rate_cell *cells, size_t n, bool period)
{
	struct call a;
	redisReply *r;
	bool ok;

	if (n == 0)
		return true;
	if (n > CELLS_MAX)
		return false;
	prepare(&a, cells, n, period);
	if ((r = redisconn_call(s->rc, script, n, a.argc, a.argv, a.len)) == NULL)
		return false;
	ok = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
	if (!ok)
		complain(s, what, r);
	freeReplyObject(r);
	return ok;
}

static void
redis_give_back(struct rate_store *st, const struct rate_cell *cells,
    size_t n)
{
	(void)run_simple((struct rateredis *)st, GIVE, "give back", cells, n,
	    false);
}

static void
redis_hold(struct rate_store *st, const struct rate_cell *cell)
{
	(void)run_simple((struct rateredis *)st, HOLD, "hold", cell, 1, true);
}

/* show's answer: {now, {tat, tripped, hold}...}, checked. */
static bool
read_show(const redisReply *r, size_t n, long long (*v)[3], long long *now)
{
	size_t i;

	if (r->type != REDIS_REPLY_ARRAY || r->elements != n + 1 ||
	    r->element[0]->type != REDIS_REPLY_INTEGER)
		return false;
	*now = r->element[0]->integer;
	for (i = 0; i < n; i++)
		if (!integers(r->element[i + 1], 3, v[i]) || v[i][0] < 0 ||
		    (v[i][1] & ~1LL) != 0)
			return false;
	return true;
}

static bool
redis_show(struct rate_store *st, const struct rate_cell *cells, size_t n,
    FILE *out)
{
	struct rateredis *s = (struct rateredis *)st;
	long long v[CELLS_MAX][3], now;
	struct call a;
	redisReply *r;
	size_t i;
	char w[32];

	if (n > CELLS_MAX)
		return false;
	prepare(&a, cells, n, false);
	if ((r = redisconn_call(s->rc, SHOW, n, a.argc, a.argv, a.len)) == NULL)
		return false;
	if (!read_show(r, n, v, &now)) {
		complain(s, "show", r);
		freeReplyObject(r);
		return false;
	}
	freeReplyObject(r);
	/* Every window, those Redis has nothing for as empty ones (the
	 * embedded store writes only those it has, when it has any). */
	for (i = 0; i < n; i++)
		fprintf(out, "%s %s: %u used, %s%s\n", cells[i].key,
		    limit_format(&cells[i].w, w, sizeof(w)),
		    limit_used(v[i][0], &cells[i].w, now),
		    v[i][2] > now ? "held" : "not held",
		    v[i][1] == 1 ? ", refusing" : "");
	return true;
}

/* DEL of every cell's key: a plain command. */
static bool
redis_reset(struct rate_store *st, const struct rate_cell *cells, size_t n)
{
	struct rateredis *s = (struct rateredis *)st;
	struct call a;
	redisReply *r;
	bool ok;

	if (n == 0)
		return true;
	if (n > CELLS_MAX)
		return false;
	prepare(&a, cells, n, false);
	memmove(a.argv + 1, a.argv, n * sizeof(a.argv[0]));
	memmove(a.len + 1, a.len, n * sizeof(a.len[0]));
	a.argv[0] = "DEL";
	a.len[0] = 3;
	if ((r = redisconn_call(s->rc, -1, 0, n + 1, a.argv, a.len)) == NULL)
		return false;
	ok = r->type == REDIS_REPLY_INTEGER;
	if (!ok)
		complain(s, "reset", r);
	freeReplyObject(r);
	return ok;
}

static void
redis_free(struct rate_store *st)
{
	struct rateredis *s = (struct rateredis *)st;

	redisconn_free(s->rc);
	free(s);
}

static const struct rate_store_ops redis_ops = {
	redis_take, redis_give_back, redis_hold, redis_show, redis_reset,
	redis_free
};

struct rate_store *
rateredis_new(const char *spec, int timeout_ms, char *err, size_t errlen)
{
	struct rateredis *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->rc = redisconn_new(spec, timeout_ms, scripts, NSCRIPTS, err, errlen);
	if (s->rc == NULL) {
		free(s);
		return NULL;
	}
	s->pub.ops = &redis_ops;
	s->pub.name = "redis";
	return &s->pub;
}

unsigned long
rateredis_round_trips(const struct rate_store *st)
{
	return redisconn_round_trips(((const struct rateredis *)st)->rc);
}
