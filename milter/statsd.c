/*
 * statsd - the stats thread. See statsd.h.
 *
 * It waits in poll(2) on a signalfd for SIGUSR2, at most a second at a
 * time, so that a reload's new stats_file or stats_interval is seen
 * soon. It is stopped as the reload thread is: "stopping" and a SIGUSR2
 * of its own, never cancelled.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "log.h"
#include "snap.h"
#include "statsd.h"

static atomic_bool stopping;
static pthread_t thread;

/* What the config in force says, copied: a reload may free it. */
struct target {
	char		path[PATH_MAX];		/* "" = no file */
	unsigned	interval;
	char		digest[65];
	const char	*mode;			/* a static word */
};

bool
statsd_write_file(const char *path, const struct stats_figures *f,
    char *err, size_t errlen)
{
	char tmp[PATH_MAX], shown[PATH_MAX + 64];
	const char *step = "write";
	FILE *fp = NULL;
	int fd, e = 0;

	escape_show(shown, sizeof(shown), path);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", shown);
		return false;
	}
	/* O_NOFOLLOW: a link planted at PATH.tmp is not written through. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0 || fchmod(fd, 0644) != 0 || (fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		step = fd < 0 ? "create" : "write";
		if (fd >= 0)
			close(fd);
	} else if (!stats_write_prom(fp, f) || fflush(fp) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
	}
	if (fp != NULL && fclose(fp) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0) {
		e = errno;
		step = "rename over";
	}
	if (e == 0)
		return true;
	if (fd >= 0)
		(void)unlink(tmp);
	snprintf(err, errlen, "cannot %s %s%s: %s", step, shown,
	    strcmp(step, "create") == 0 ? ".tmp" : "", strerror(e));
	return false;
}

/* The config in force, as far as this thread cares. */
static void
read_target(struct target *t)
{
	struct snap *s = snap_acquire();
	const struct config *c = s != NULL ? snap_config(s) : NULL;

	memset(t, 0, sizeof(*t));
	t->interval = 15;
	if (c != NULL) {
		snprintf(t->path, sizeof(t->path), "%s",
		    c->stats_file != NULL ? c->stats_file : "");
		t->interval = c->stats_interval > 0 ? c->stats_interval : 15;
		memcpy(t->digest, c->digest, sizeof(t->digest));
		t->mode = policy_mode_words[c->policy->mode];
	}
	snap_release(s);
}

static void
figures(const struct target *t, struct stats_figures *f)
{
	stats_read(f);
	memcpy(f->digest, t->digest, sizeof(f->digest));
	f->mode = t->mode;
}

/* Where writing stands: the file and interval last said, and whether
 * the last write to that file failed. */
struct state {
	char		path[PATH_MAX];
	unsigned	interval;
	bool		failing;
};

/* Writes the file, logging a change of file or interval, the first
 * failure and the first success after failures. */
static void
write_out(const struct target *t, struct state *st)
{
	static struct stats_figures f;	/* 12 kB: off the thread's stack */
	char err[PATH_MAX + 256], shown[PATH_MAX + 64];

	escape_show(shown, sizeof(shown), t->path);
	if (strcmp(st->path, t->path) != 0 || st->interval != t->interval) {
		if (strcmp(st->path, t->path) != 0)
			st->failing = false;
		snprintf(st->path, sizeof(st->path), "%s", t->path);
		st->interval = t->interval;
		log_msg(LOG_INFO, "stats: writing the counters to %s every %u s",
		    shown, t->interval);
	}
	figures(t, &f);
	if (statsd_write_file(t->path, &f, err, sizeof(err))) {
		if (st->failing)
			log_msg(LOG_INFO, "stats: %s written again", shown);
		st->failing = false;
	} else {
		stats_write_failed();
		if (!st->failing)
			log_msg(LOG_WARNING, "stats: %s; the directory must exist "
			    "and be writable by user (under systemd: in "
			    "ReadWritePaths=); the counters are kept, and said "
			    "once more when it works again", err);
		st->failing = true;
	}
}

static void
emit(const char *line, void *arg)
{
	(void)arg;
	log_msg(LOG_INFO, "%s", line);
}

/* SIGUSR2: the figures, to the log. */
static void
log_figures(void)
{
	static struct stats_figures f;
	struct target t;

	read_target(&t);
	figures(&t, &f);
	stats_log_lines(&f, emit, NULL);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One turn: the file when it is due (at once for a new file); returns
 * how long poll() may wait, in milliseconds. */
static int
turn(struct state *st, double *next)
{
	struct target t;
	double n = now(), wait;

	read_target(&t);
	if (t.path[0] == '\0') {
		st->path[0] = '\0';
		return 1000;
	}
	if (n >= *next || strcmp(t.path, st->path) != 0 ||
	    t.interval < st->interval) {
		write_out(&t, st);
		*next = n + t.interval;
	}
	wait = *next - n;
	return wait >= 1 ? 1000 : wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

static void *
run(void *arg)
{
	struct state st = { "", 0, false };
	struct signalfd_siginfo si;
	struct pollfd p;
	struct target t;
	double next = 0;
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	p.fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	p.events = POLLIN;
	for (;;) {
		p.revents = 0;
		/* Also seen here: without a signalfd, the stop's signal
		 * stays pending. */
		if (atomic_load(&stopping))
			break;
		if (poll(&p, 1, turn(&st, &next)) < 0 && errno != EINTR)
			break;
		if (!(p.revents & POLLIN))
			continue;
		while (read(p.fd, &si, sizeof(si)) == sizeof(si))
			;
		if (atomic_load(&stopping))
			break;
		log_figures();
	}
	read_target(&t);	/* the last figures, at the stop */
	if (t.path[0] != '\0')
		write_out(&t, &st);
	if (p.fd >= 0)
		close(p.fd);
	return NULL;
}

bool
statsd_start(void)
{
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		log_msg(LOG_ERR, "cannot start the stats thread");
		return false;
	}
	return true;
}

void
statsd_stop(void)
{
	atomic_store(&stopping, true);
	pthread_kill(thread, SIGUSR2);
	pthread_join(thread, NULL);
}
