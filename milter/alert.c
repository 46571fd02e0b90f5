/*
 * alert - alert_command, run from a thread of its own. See alert.h.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "escape.h"
#include "log.h"

#define FIELDS	6
#define VALUE_MAX	320

static const char *const names[FIELDS] = {
	"RW_KEY", "RW_WINDOW", "RW_USED", "RW_ACTION", "RW_LISTENER",
	"RW_CLIENT"
};

/* The next run: one pending at most (later trips are counted). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool pending, started;
static char command[1100];
static char env[FIELDS + 2][VALUE_MAX + 16];
static unsigned long suppressed;

/* A printable copy of a field: a control byte would reach the
 * program's environment otherwise. */
static void
field(char *dst, const char *name, const char *value)
{
	char shown[VALUE_MAX];

	snprintf(dst, VALUE_MAX + 16, "%s=%s", name, escape_value(shown,
	    sizeof(shown), value != NULL ? value : ""));
}

/* Waits for the child at most ALERT_TIMEOUT seconds, then kills it. */
static int
reap(pid_t pid)
{
	const struct timespec tick = { 0, 50 * 1000 * 1000 };
	int status = 0, i;

	for (i = 0; i < ALERT_TIMEOUT * 20; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	(void)waitpid(pid, &status, 0);
	log_msg(LOG_WARNING, "alert_command: killed after %d s",
	    ALERT_TIMEOUT);
	return status;
}

static void
run(const char *cmd, char *const envp[])
{
	char *argv[] = { (char *)cmd, NULL }, shown[200];
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int e, status;

	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	e = posix_spawn(&pid, cmd, NULL, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	escape_show(shown, sizeof(shown), cmd);
	if (e != 0) {
		log_msg(LOG_WARNING, "alert_command \"%s\": cannot run: %s",
		    shown, strerror(e));
		return;
	}
	status = reap(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		log_msg(LOG_WARNING, "alert_command \"%s\": exit status %d",
		    shown, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void *
worker(void *arg)
{
	char cmd[sizeof(command)], e[FIELDS + 2][VALUE_MAX + 16];
	char *envp[FIELDS + 3];
	size_t i;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (!pending)
			pthread_cond_wait(&wake, &lock);
		memcpy(cmd, command, sizeof(cmd));
		memcpy(e, env, sizeof(e));
		snprintf(e[FIELDS], sizeof(e[FIELDS]), "RW_SUPPRESSED=%lu",
		    suppressed);
		snprintf(e[FIELDS + 1], sizeof(e[FIELDS + 1]),
		    "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
		suppressed = 0;
		pending = false;
		pthread_mutex_unlock(&lock);
		for (i = 0; i < FIELDS + 2; i++)
			envp[i] = e[i];
		envp[FIELDS + 2] = NULL;
		run(cmd, envp);
		sleep(ALERT_INTERVAL);
	}
	return NULL;
}

void
alert_send(const char *cmd, const char *key, const char *window,
    const char *used, const char *action, const char *listener,
    const char *client)
{
	const char *values[FIELDS] = { key, window, used, action, listener,
	    client };
	pthread_t t;
	sigset_t all, old;
	size_t i;

	if (cmd == NULL || *cmd == '\0')
		return;
	pthread_mutex_lock(&lock);
	if (!started) {
		/* The worker blocks every signal: libmilter's signal
		 * thread and the reload thread take theirs. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		started = pthread_create(&t, NULL, worker, NULL) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (started)
			pthread_detach(t);
		else
			log_msg(LOG_WARNING, "alert_command: no thread to run "
			    "it: %s", strerror(errno));
	}
	if (pending) {
		suppressed++;
	} else if (started) {
		snprintf(command, sizeof(command), "%s", cmd);
		for (i = 0; i < FIELDS; i++)
			field(env[i], names[i], values[i]);
		pending = true;
		pthread_cond_signal(&wake);
	}
	pthread_mutex_unlock(&lock);
}
