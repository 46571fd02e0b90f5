/*
 * watch - following the configuration's files. See watch.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "escape.h"
#include "watch.h"

/* A watched file: its directory's watch and its name there. */
struct file {
	int	wd;
	char	*name;
};

struct dir {
	int	wd;
	char	*path;
};

struct watch {
	int		fd;
	struct file	*files;
	size_t		nfiles;
	struct dir	*dirs;
	size_t		ndirs;
	double		first;		/* first change not yet reloaded; 0 */
	double		last;		/* latest such change */
};

/* Events that mean a file there may have changed or been replaced. */
#define EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
		 IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | \
		 IN_ONLYDIR)

struct watch *
watch_new(char *err, size_t errlen)
{
	struct watch *w = calloc(1, sizeof(*w));
	char ebuf[128];

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		snprintf(err, errlen, "inotify: %s", strerror_r(errno, ebuf,
		    sizeof(ebuf)));
		free(w);
		return NULL;
	}
	return w;
}

static void
clear(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->ndirs; i++) {
		(void)inotify_rm_watch(w->fd, w->dirs[i].wd);
		free(w->dirs[i].path);
	}
	for (i = 0; i < w->nfiles; i++)
		free(w->files[i].name);
	free(w->dirs);
	free(w->files);
	w->dirs = NULL;
	w->files = NULL;
	w->ndirs = w->nfiles = 0;
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	clear(w);
	close(w->fd);
	free(w);
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

/* The watch of dir, added when new; -1 after a complaint. */
static int
dir_watch(struct watch *w, const char *dir,
    void (*complain)(const char *msg, void *arg), void *arg)
{
	char msg[600], shown[400], ebuf[128];
	struct dir *grown;
	size_t i;
	int wd;

	for (i = 0; i < w->ndirs; i++)
		if (strcmp(w->dirs[i].path, dir) == 0)
			return w->dirs[i].wd;
	if ((wd = inotify_add_watch(w->fd, dir, EVENTS)) < 0) {
		snprintf(msg, sizeof(msg), "cannot follow changes in %s: %s; "
		    "its files are reloaded on SIGUSR1 only",
		    escape_show(shown, sizeof(shown), dir),
		    strerror_r(errno, ebuf, sizeof(ebuf)));
		complain(msg, arg);
		return -1;
	}
	grown = realloc(w->dirs, (w->ndirs + 1) * sizeof(*grown));
	if (grown == NULL || (grown[w->ndirs].path = strdup(dir)) == NULL) {
		if (grown != NULL)
			w->dirs = grown;
		(void)inotify_rm_watch(w->fd, wd);
		return -1;
	}
	w->dirs = grown;
	w->dirs[w->ndirs].wd = wd;
	w->ndirs++;
	return wd;
}

static void
add_file(struct watch *w, const char *path,
    void (*complain)(const char *msg, void *arg), void *arg)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct file *grown;
	int wd;

	if (slash == NULL || (size_t)(slash - path) >= sizeof(dir))
		return;
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if ((wd = dir_watch(w, dir, complain, arg)) < 0)
		return;
	grown = realloc(w->files, (w->nfiles + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	w->files = grown;
	if ((w->files[w->nfiles].name = strdup(slash + 1)) == NULL)
		return;
	w->files[w->nfiles++].wd = wd;
}

void
watch_set(struct watch *w, const char *const *paths, size_t n,
    void (*complain)(const char *msg, void *arg), void *arg)
{
	size_t i;

	clear(w);
	for (i = 0; i < n; i++)
		add_file(w, paths[i], complain, arg);
}

/* Whether an event is about one of the files. */
static bool
concerns(const struct watch *w, const struct inotify_event *ev)
{
	size_t i;

	if (ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF))
		return true;
	for (i = 0; i < w->nfiles; i++)
		if (w->files[i].wd == ev->wd && ev->len > 0 &&
		    strcmp(w->files[i].name, ev->name) == 0)
			return true;
	return false;
}

/* The directory of a watch that went away. */
static void
gone(struct watch *w, int wd, void (*complain)(const char *msg, void *arg),
    void *arg)
{
	char msg[600], shown[400];
	size_t i;

	for (i = 0; i < w->ndirs; i++) {
		if (w->dirs[i].wd != wd)
			continue;
		snprintf(msg, sizeof(msg), "%s was removed: changes there are "
		    "followed again after the next reload",
		    escape_show(shown, sizeof(shown), w->dirs[i].path));
		complain(msg, arg);
		w->dirs[i].wd = -1;
	}
}

void
watch_read(struct watch *w, double now,
    void (*complain)(const char *msg, void *arg), void *arg)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	ssize_t n;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		const char *p = buf;

		while (p < buf + n) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF))
				gone(w, ev->wd, complain, arg);
			if (concerns(w, ev)) {
				if (w->first == 0)
					w->first = now;
				w->last = now;
			}
			p += sizeof(*ev) + ev->len;
		}
	}
}

double
watch_wait(const struct watch *w, double now)
{
	double at;

	if (w->first == 0)
		return -1;
	at = w->last + WATCH_SETTLE;
	if (at > w->first + WATCH_SETTLE_MAX)
		at = w->first + WATCH_SETTLE_MAX;
	return at <= now ? 0 : at - now;
}

void
watch_done(struct watch *w)
{
	w->first = w->last = 0;
}
