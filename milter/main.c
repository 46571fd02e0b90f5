/*
 * relaywarden - options, the first config load, the socket, signals,
 * and libmilter's main loop. No policy here.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "control.h"
#include "daemon.h"
#include "escape.h"
#include "glue.h"
#include "log.h"
#include "query.h"
#include "reload.h"
#include "snap.h"
#include "stats.h"
#include "statsd.h"
#include "verify.h"

#ifndef RW_CONF_DEFAULT
#define RW_CONF_DEFAULT "/etc/relaywarden/relaywarden.conf"
#endif

static const char *conf_path = RW_CONF_DEFAULT;

/* At stop, how long callbacks in progress get to give their answer. */
#define STOP_WAIT	10

static void
usage(void)
{
	fprintf(stderr,
	    "usage: relaywarden [-f] [-c file]      run the milter\n"
	    "       relaywarden -n [-a] [-c file]   check the configuration and\n"
	    "                                       print its settings (-a: all)\n"
	    "       relaywarden -q [-c file] facts  what would the policy say?\n"
	    "       relaywarden [-c file] limits show|reset KEY\n"
	    "                                       a rate limit key's counts\n"
	    "       relaywarden -V                  print the version\n"
	    "facts: port= name= client= auth= tls= from= rcpt= (rcpt repeats)\n"
	    "default file: %s\n", RW_CONF_DEFAULT);
	exit(EX_USAGE);
}

/* How the first load reads the list files (conf_load_as()). */
struct first_load {
	bool		for_good;	/* -n, -q: drop root for good */
	struct daemon_user saved;
};

static bool
lists_as_user(const char *user, void *arg, char *err, size_t errlen)
{
	struct first_load *fl = arg;

	return daemon_user_begin(user, fl->for_good, &fl->saved, err, errlen);
}

/*
 * The first load, printing every error to stderr; NULL on failure. The
 * main file is read as we are (it names user), the list files as user
 * reads them at a reload: -n and -q drop root for good first; the
 * daemon switches its effective ids around them and is root again for
 * the socket and the pid file (no thread runs yet: reloads come after
 * the drop and need nothing of this).
 */
static struct config *
load_or_print(bool for_good)
{
	struct conf_errors errs = { NULL, 0, 0 };
	struct first_load fl = { for_good, { false, 0, 0, NULL } };
	struct config *c = conf_load_as(conf_path, &errs, lists_as_user, &fl);
	char err[256];
	size_t i;

	if (!daemon_user_end(&fl.saved, err, sizeof(err))) {
		fprintf(stderr, "relaywarden: %s\n", err);
		config_free(c);
		c = NULL;
	}
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	if (errs.dropped > 0)
		fprintf(stderr, "%s: %zu more errors not shown\n", conf_path,
		    errs.dropped);
	conf_errors_free(&errs);
	return c;
}

/* conf_path made absolute; false (and a message) when that fails. */
static bool
absolute_conf_path(void)
{
	static char *abs;
	char *cwd = getcwd(NULL, 0);

	if (cwd == NULL || asprintf(&abs, "%s/%s", cwd, conf_path) < 0) {
		fprintf(stderr, "relaywarden: cannot tell the working directory "
		    "of %s: give the configuration's full path\n", conf_path);
		free(cwd);
		return false;
	}
	free(cwd);
	conf_path = abs;
	return true;
}

static bool
fail(const char *what)
{
	fprintf(stderr, "relaywarden: %s\n", what);
	log_msg(LOG_ERR, "%s", what);
	return false;
}

/* A unix socket, made by user with socket_mode; false with a message. */
static bool
open_unix(const struct config *c, const char *path,
    const struct daemon_ids *ids, char *err, size_t errlen)
{
	struct daemon_saved saved;
	char why[512];
	bool opened;

	if (!daemon_socket_begin(ids, c->socket_mode, &saved, err, errlen))
		return false;
	if (daemon_socket_in_use(path)) {
		daemon_socket_end(&saved);
		snprintf(err, errlen, "milter socket %s is in use: a milter "
		    "answers on it (stop it first)", path);
		return false;
	}
	opened = glue_open(c->milter_socket, why, sizeof(why));
	daemon_socket_end(&saved);
	if (!opened)
		snprintf(err, errlen, "%s; it is made by user, who must be able "
		    "to write to its directory", why);
	return opened;
}

/*
 * Checks for a running instance, opens the socket, detaches, writes the
 * pid file and drops root, in that order: the socket and the pid file
 * may need root, nothing after them does. *ready is for daemon_ready()
 * once the daemon is up (-1 in the foreground).
 */
static bool
start_daemon(const struct config *c, bool foreground, const char **unix_path,
    bool *pid_written, int *ready)
{
	struct daemon_ids ids;
	char err[640];

	*ready = -1;
	if (!daemon_ids(c->user, c->socket_group, c->run_as_root, &ids, err,
	    sizeof(err)))
		return fail(err);
	if (!daemon_check_running(c->pid_file, err, sizeof(err)))
		return fail(err);
	*unix_path = conf_unix_path(c->milter_socket);
	if (*unix_path != NULL && !daemon_parent_dir(*unix_path,
	    "a socket for Postfix belongs in its queue directory (postconf -h "
	    "queue_directory): install Postfix first, or set milter_socket to "
	    "another path", &ids, err, sizeof(err)))
		return fail(err);
	if (c->pid_file[0] != '\0' && !daemon_parent_dir(c->pid_file,
	    "create it, or set pid_file to another path", &ids, err,
	    sizeof(err)))
		return fail(err);
	if (*unix_path == NULL) {
		if (!glue_open(c->milter_socket, err, sizeof(err)))
			return fail(err);
	} else if (!open_unix(c, *unix_path, &ids, err, sizeof(err))) {
		return fail(err);
	} else if (!daemon_socket_group(*unix_path, &ids, err, sizeof(err))) {
		goto made;
	}
	if (!foreground && !daemon_detach(ready, err, sizeof(err)))
		goto made;
	if (c->pid_file[0] != '\0') {
		if (!daemon_pidfile(c->pid_file, err, sizeof(err)))
			goto made;
		*pid_written = true;
	}
	if (!daemon_drop(&ids, err, sizeof(err)))
		goto made;
	return true;
made:
	/* The socket made above goes with us: no one will answer on it. */
	if (*unix_path != NULL)
		(void)unlink(*unix_path);
	return fail(err);
}

/* What the command line asks for. */
struct options {
	enum { RUN, CHECK, QUERY, LIMITS } mode;
	bool	foreground;
	bool	all;		/* -n -a */
	int	argc;		/* -q's facts */
	char	**argv;
};

static void
options(int argc, char *argv[], struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, "ac:fnqVh")) != -1) {
		switch (ch) {
		case 'a':
			o->all = true;
			break;
		case 'c':
			conf_path = optarg;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'n':
			o->mode = CHECK;
			break;
		case 'q':
			o->mode = QUERY;
			break;
		case 'V':
			printf("relaywarden %s\n", RW_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	if (o->mode == RUN && o->argc > 0 && strcmp(o->argv[0], "limits") == 0) {
		if (o->argc != 3 || o->foreground)
			usage();
		o->mode = LIMITS;
		return;
	}
	if ((o->mode != QUERY && o->argc > 0) ||
	    (o->mode == QUERY && o->argc == 0) || (o->all && o->mode != CHECK))
		usage();
}

/* -n: what the start would refuse too, then the settings, then which of
 * Postfix's listeners no list names. */
static int
check(struct config *c, bool all, bool as_root)
{
	char err[512], path[1024];

	if (!verify_start(c, as_root, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", escape_show(path, sizeof(path),
		    conf_path), err);
		config_free(c);
		return 1;
	}
	conf_print(stdout, c, all);
	verify_listeners(c, stderr);
	verify_sender(c, stderr);
	printf("%s: ok: %zu local domains, %zu networks, policy %s\n",
	    conf_path, domset_count(c->policy->local_domains),
	    netset_count(c->policy->my_networks), c->digest_short);
	config_free(c);
	return 0;
}

/* After the stop: the sessions left, the reload thread, the files. */
static void
stop(const char *unix_file, const char *pid_file)
{
	unsigned long open;
	unsigned busy;

	glue_drain(STOP_WAIT, &open, &busy);
	if (busy > 0)
		log_msg(LOG_WARNING, "stopping: %u answer(s) still pending after "
		    "%d s", busy, STOP_WAIT);
	log_msg(LOG_INFO, "stopping: %lu session(s) left open; the MTA applies "
	    "its milter_default_action to their next command", open);
	statsd_stop();
	reload_stop();
	snap_shutdown();
	/* libmilter leaves a unix socket behind in some builds; the files
	 * are ours to remove (their directory is ours after the drop). */
	if (unix_file != NULL && unlink(unix_file) != 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "cannot remove %s: %m", unix_file);
	if (pid_file != NULL && unlink(pid_file) != 0 && errno != ENOENT)
		log_msg(LOG_WARNING, "cannot remove %s: %m (put pid_file in a "
		    "directory of its own, which is then made for user)", pid_file);
}

/* The daemon, from the first config to the stop. */
static int
run(struct config *c, bool foreground)
{
	const char *unix_path = NULL;
	char *unix_file = NULL, *pid_file = NULL;
	bool pid_written = false;
	char why[512];
	int status, ready;

	/* -f copies each line to stderr, except into systemd's journal,
	 * which has them from syslog already. */
	log_open(c->syslog_ident, c->syslog_facility,
	    foreground && !daemon_stderr_is_journal());
	if (!start_daemon(c, foreground, &unix_path, &pid_written, &ready)) {
		config_free(c);
		return EX_CONFIG;
	}
	if (!glue_limits(c, why, sizeof(why)) ||
	    !control_start(c->control_socket, glue_rate_stores(), why,
	    sizeof(why))) {
		log_msg(LOG_ERR, "%s", why);
		config_free(c);
		return EX_CONFIG;
	}
	reload_log_config("starting", conf_path, c);
	log_msg(LOG_INFO, "listening on %s as uid %ld", c->milter_socket,
	    (long)geteuid());
	/* Our own copies: a reload frees the config they come from. */
	if ((pid_file = strdup(c->pid_file)) == NULL ||
	    (unix_path != NULL && (unix_file = strdup(unix_path)) == NULL) ||
	    !snap_publish(c)) {
		log_msg(LOG_ERR, "out of memory");
		return EX_OSERR;
	}
	if (!reload_start(conf_path) || !statsd_start())
		return EX_OSERR;
	daemon_ready(ready);
	status = glue_run();
	stop(unix_file, pid_written ? pid_file : NULL);
	free(unix_file);
	free(pid_file);
	log_close();
	return status;
}

int
main(int argc, char *argv[])
{
	struct options o;
	struct config *c;
	sigset_t stops;
	bool as_root = geteuid() == 0;
	int status;

	options(argc, argv, &o);
	/*
	 * The daemon's signals are blocked from the start, so that only
	 * a wait for them sees them: SIGUSR1 in the reload thread, SIGUSR2
	 * in the stats thread, the stop signals in libmilter's own signal
	 * thread. One sent while the
	 * first load runs (systemctl reload or stop just after start)
	 * waits for its thread instead of killing the daemon with the
	 * default action, and so does one sent to a thread started later.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGHUP);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGUSR1);
	sigaddset(&stops, SIGUSR2);
	if (o.mode == RUN) {
		pthread_sigmask(SIG_BLOCK, &stops, NULL);
		stats_init(time(NULL));
	}
	/* Reloads read the same file after the detach's chdir("/"). */
	if (o.mode == RUN && conf_path[0] != '/' && !absolute_conf_path())
		return EX_OSERR;
	daemon_memory_init();	/* before the first policy is built */
	if ((c = load_or_print(o.mode != RUN)) == NULL)
		return o.mode == RUN ? EX_CONFIG : 1;
	if (o.mode == CHECK)
		return check(c, o.all, as_root);
	if (o.mode == QUERY || o.mode == LIMITS) {
		status = o.mode == QUERY ? query_run(c, o.argc, o.argv, stdout,
		    stderr) : control_command(c, o.argv[1], o.argv[2], stdout,
		    stderr);
		config_free(c);
		return status;
	}
	return run(c, o.foreground);
}
