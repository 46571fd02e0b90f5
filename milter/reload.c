/*
 * reload - the reload thread. See reload.h.
 *
 * It waits in poll(2) on a signalfd for SIGUSR1 and on the watcher's
 * inotify descriptor, with the next memory trim or the end of the
 * settle time as its timeout. It is stopped with "stopping" and a
 * SIGUSR1 of its own, never cancelled: a cancel could cut a reload in
 * half (and cancelling a thread inside a wait is what AddressSanitizer
 * trips on, google/sanitizers#1399).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "escape.h"
#include "log.h"
#include "reload.h"
#include "snap.h"
#include "stats.h"
#include "watch.h"

static const char *path;	/* the configuration file */
static atomic_bool stopping;
static pthread_t thread;

void
reload_log_config(const char *what, const char *conf_path,
    const struct config *c)
{
	const struct policy *p = c->policy;
	char shown[1024];

	log_msg(LOG_INFO, "%s: config=%s sha256=%s local_domains=%zu "
	    "my_networks=%zu mode=%s", what,
	    escape_show(shown, sizeof(shown), conf_path), c->digest,
	    domset_count(p->local_domains), netset_count(p->my_networks),
	    policy_mode_words[p->mode]);
}

/* A reload cannot change a key read only at the start: say which. */
static void
restart_key(const char *name, const char *running, const char *in_file,
    void *arg)
{
	char was[256], now[256];

	(void)arg;
	log_msg(LOG_WARNING, "reload: %s = %s in force until a restart (the "
	    "file says %s)", name, escape_show(was, sizeof(was), running),
	    escape_show(now, sizeof(now), in_file));
}

static void
complain(const char *msg, void *arg)
{
	(void)arg;
	log_msg(LOG_WARNING, "watch: %s", msg);
}

/* Watches the configuration file and every file the config in force
 * was read from. */
static void
follow(struct watch *w)
{
	struct snap *s = snap_acquire();
	const struct config *c = s != NULL ? snap_config(s) : NULL;
	const char **paths;
	size_t n = c != NULL ? c->nsources : 0, i;

	if ((paths = calloc(n + 1, sizeof(*paths))) != NULL) {
		paths[0] = path;
		for (i = 0; i < n; i++)
			paths[i + 1] = c->sources[i];
		watch_set(w, paths, n + 1, complain, NULL);
		free(paths);
	}
	snap_release(s);
}

/* One reload; true when a new config was published. */
static bool
reload(void)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct config *c = conf_load(path, &errs);
	struct snap *s;
	size_t i;

	if (c == NULL) {
		for (i = 0; i < errs.n; i++)
			log_msg(LOG_ERR, "reload refused: %s", errs.msg[i]);
		log_msg(LOG_ERR, "reload refused: %zu error(s); the previous "
		    "policy stays in force", errs.n + errs.dropped);
		conf_errors_free(&errs);
		return false;
	}
	reload_log_config("reloaded", path, c);
	/* Only this thread publishes after the start: the current
	 * snapshot holds the values in force. */
	if ((s = snap_acquire()) != NULL &&
	    !conf_keep_start_keys(snap_config(s), c, restart_key, NULL)) {
		config_free(c);
		c = NULL;
	}
	snap_release(s);
	if (c == NULL || !snap_publish(c)) {
		log_msg(LOG_ERR, "reload: out of memory; the previous policy "
		    "stays in force");
		return false;
	}
	return true;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds until the first of: the next trim, the end of the settle
 * time. */
static int
timeout(const struct watch *w, double t, double next_trim)
{
	double wait = next_trim - t, settle = w != NULL ? watch_wait(w, t) :
	    -1;

	if (settle >= 0 && settle < wait)
		wait = settle;
	return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

/* A SIGUSR1 or a settled change: reload, then follow what it read. */
static void
reload_and_follow(struct watch *w, const char *why)
{
	bool took;

	if (w != NULL)
		watch_done(w);
	if (why != NULL)
		log_msg(LOG_INFO, "%s: reloading", why);
	stats_reload(took = reload());
	if (took && w != NULL)
		follow(w);
}

static void *
run(void *arg)
{
	struct watch *w = arg;
	struct signalfd_siginfo si;
	struct pollfd p[2];
	double next_trim = now() + DAEMON_TRIM_SECONDS;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	p[0].fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	p[0].events = p[1].events = POLLIN;
	p[1].fd = w != NULL ? watch_fd(w) : -1;
	if (w != NULL)
		follow(w);
	for (;;) {
		double t = now();

		p[0].revents = p[1].revents = 0;
		if (poll(p, 2, timeout(w, t, next_trim)) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			while (read(p[0].fd, &si, sizeof(si)) == sizeof(si))
				;
			if (atomic_load(&stopping))
				break;
			reload_and_follow(w, NULL);
		}
		t = now();
		if (w != NULL && (p[1].revents & POLLIN))
			watch_read(w, t, complain, NULL);
		if (w != NULL && watch_wait(w, t) == 0)
			reload_and_follow(w, "change to the configuration's "
			    "files");
		if (t >= next_trim) {
			daemon_trim_memory();
			next_trim = t + DAEMON_TRIM_SECONDS;
		}
	}
	if (p[0].fd >= 0)
		close(p[0].fd);
	watch_free(w);
	return NULL;
}

bool
reload_start(const char *conf_path)
{
	struct watch *w;
	char err[256];

	path = conf_path;
	if ((w = watch_new(err, sizeof(err))) == NULL)
		log_msg(LOG_WARNING, "watch: %s: the configuration's files are "
		    "reloaded on SIGUSR1 only", err);
	if (pthread_create(&thread, NULL, run, w) != 0) {
		watch_free(w);
		log_msg(LOG_ERR, "cannot start the reload thread");
		return false;
	}
	return true;
}

void
reload_stop(void)
{
	atomic_store(&stopping, true);
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);
}
