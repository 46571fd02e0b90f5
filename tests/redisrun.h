/*
 * redisrun - a real redis-server for a test or a benchmark: on a unix
 * socket in a directory of the caller's, never on a TCP port (port 0),
 * nothing saved to disk. Stopped, paused, killed and restarted by its
 * own PID only; it dies with the thread that started it
 * (PR_SET_PDEATHSIG), so a test that fails half-way leaves none behind.
 *
 * Static inline, no Check: tests/check_rateredis.c and
 * bench/redisbench.c both use it. Not thread-safe: one thread drives it.
 */
#ifndef RW_REDISRUN_H
#define RW_REDISRUN_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis.h>

#define REDISRUN_BIN	"/usr/bin/redis-server"

struct redisrun {
	char	dir[128];
	char	sock[160];	/* DIR/redis.sock */
	char	spec[170];	/* "unix:DIR/redis.sock", for rateredis_new */
	pid_t	pid;		/* 0: not running */
};

static inline bool
redisrun_available(void)
{
	return access(REDISRUN_BIN, X_OK) == 0;
}

/* A new connection to it, or NULL; the caller frees it. */
static inline redisContext *
redisrun_connect(const struct redisrun *r)
{
	struct timeval tv = { 2, 0 };
	redisContext *c = redisConnectUnixWithTimeout(r->sock, tv);

	if (c != NULL && c->err != 0) {
		redisFree(c);
		return NULL;
	}
	if (c != NULL)
		(void)redisSetTimeout(c, tv);
	return c;
}

/* One command on a connection of its own; the reply or NULL. */
static inline redisReply *
redisrun_cmd(const struct redisrun *r, int argc, const char **argv)
{
	redisContext *c = redisrun_connect(r);
	redisReply *rep;

	if (c == NULL)
		return NULL;
	rep = redisCommandArgv(c, argc, argv, NULL);
	redisFree(c);
	return rep;
}

static inline bool
redisrun_ping(const struct redisrun *r)
{
	const char *argv[] = { "PING" };
	redisReply *rep = redisrun_cmd(r, 1, argv);
	bool ok = rep != NULL && rep->type == REDIS_REPLY_STATUS &&
	    strcmp(rep->str, "PONG") == 0;

	if (rep != NULL)
		freeReplyObject(rep);
	return ok;
}

/* Starts redis-server in dir (made by the caller); false when it cannot
 * be run or does not answer PING within 10 s. */
static inline bool
redisrun_start(struct redisrun *r, const char *dir)
{
	char logfile[200];
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int i;

	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	snprintf(r->sock, sizeof(r->sock), "%s/redis.sock", dir);
	snprintf(r->spec, sizeof(r->spec), "unix:%s", r->sock);
	snprintf(logfile, sizeof(logfile), "%s/redis.log", dir);
	if ((r->pid = fork()) < 0)
		return r->pid = 0, false;
	if (r->pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(REDISRUN_BIN, "redis-server", "--port", "0",
		    "--unixsocket", r->sock, "--unixsocketperm", "700",
		    "--save", "", "--appendonly", "no", "--dir", dir,
		    "--logfile", logfile, "--daemonize", "no", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		if (redisrun_ping(r))
			return true;
		if (waitpid(r->pid, NULL, WNOHANG) == r->pid)
			break;
		nanosleep(&pause, NULL);
	}
	if (waitpid(r->pid, NULL, WNOHANG) == 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	r->pid = 0;
	return false;
}

/* Ends it with sig (SIGTERM, SIGKILL) and reaps it. */
static inline void
redisrun_end(struct redisrun *r, int sig)
{
	if (r->pid > 0) {
		kill(r->pid, sig);
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	r->pid = 0;
}

/* SIGSTOP or SIGCONT: a server that hangs, then goes on. */
static inline void
redisrun_signal(const struct redisrun *r, int sig)
{
	if (r->pid > 0)
		kill(r->pid, sig);
}

#endif
