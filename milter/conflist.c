/*
 * conflist - list values and list files. See confparse.h.
 *
 * A list value holds entries separated by commas and/or white space; an
 * entry that is an absolute path names a list file: one entry per line,
 * its first field only (so "domain OK" map source lines work as they
 * are), '#' comments and blank lines ignored. List files do not nest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confparse.h"

/*
 * Opens path to read it, a regular file only: a device or a FIFO could
 * feed us forever, and opening a FIFO with no writer would block "-n",
 * a reload, and the stop that waits on the reload. The open itself does
 * not block. NULL with errno set, or with *irregular set.
 */
FILE *
conf_open_file(const char *path, bool *irregular)
{
	struct stat st;
	FILE *fp = NULL;
	int fd, flags, e;

	*irregular = false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		*irregular = true;
		goto fail;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (fp = fdopen(fd, "r")) == NULL)
		goto fail;
	return fp;
fail:
	e = errno;
	close(fd);
	errno = e;
	return NULL;
}

/* One line of a list file (n: conf_read_line()'s answer). */
static void
list_line(struct parser *ps, char *buf, long n, const char *path,
    unsigned lineno, conf_entry_fn *each)
{
	char *s, nested[SHOWN_MAX];
	size_t len;

	if (n == -2) {
		conf_error_at(ps, path, lineno, "line longer than %d bytes",
		    CONF_LINE_MAX);
		return;
	}
	if (n == -3) {
		conf_error_at(ps, path, lineno, "NUL byte in line");
		return;
	}
	if (conf_blank_or_comment(buf))
		return;
	/* Only the first field counts: "example.org OK" works. */
	s = buf + strspn(buf, conf_blanks);
	len = strcspn(s, conf_blanks);
	s[len] = '\0';
	if (s[0] == '/') {
		conf_error_at(ps, path, lineno, "list files do not nest: "
		    "\"%s\" must be listed in the main file",
		    escape_show(nested, sizeof(nested), s));
		return;
	}
	each(ps, s, path, lineno);
}

static void
read_list_file(struct parser *ps, const char *path, const char *file,
    unsigned line, conf_entry_fn *each)
{
	char *buf, ebuf[128], spath[PATH_SHOWN_MAX];
	bool irregular;
	unsigned lineno = 0;
	long n;
	FILE *fp;

	if (ps->no_lists)
		return;		/* the load fails: see conf_load_as() */
	escape_show(spath, sizeof(spath), path);
	if ((buf = malloc(CONF_LINE_MAX + 2)) == NULL) {
		ps->oom = true;
		return;
	}
	fp = ps->open_list != NULL ? ps->open_list(path, &irregular,
	    ps->open_arg) : conf_open_file(path, &irregular);
	if (fp == NULL) {
		free(buf);
		if (irregular)
			conf_error_at(ps, file, line, "list file \"%s\" is not "
			    "a regular file", spath);
		else
			conf_error_at(ps, file, line, "cannot read list file "
			    "\"%s\": %s", spath, strerror_r(errno, ebuf,
			    sizeof(ebuf)));
		return;
	}
	/* The digest covers what was read from where. */
	EVP_DigestUpdate(ps->sha, path, strlen(path) + 1);
	while ((n = conf_read_line(fp, buf, ps->sha)) != -1 && n != -4)
		list_line(ps, buf, n, path, ++lineno, each);
	if (ferror(fp))
		conf_error_at(ps, file, line, "error reading list file \"%s\": "
		    "%s", spath, strerror_r(errno, ebuf, sizeof(ebuf)));
	free(buf);
	fclose(fp);
}

void
conf_each_entry(struct parser *ps, const char *value, const char *file,
    unsigned line, conf_entry_fn *each)
{
	static const char seps[] = " \t\r\n\f\v,";
	char *copy = strdup(value), *s;

	if (copy == NULL) {
		ps->oom = true;
		return;
	}
	/* A value from the main file holds a '\n' for each line break
	 * (see confread.c): an entry's line is its setting's plus those. */
	for (s = copy; ; ) {
		size_t len;
		char sep;

		for (; *s != '\0' && strchr(seps, *s) != NULL; s++)
			line += *s == '\n';
		if (*s == '\0')
			break;
		len = strcspn(s, seps);
		sep = s[len];
		s[len] = '\0';
		if (s[0] == '/')
			read_list_file(ps, s, file, line, each);
		else
			each(ps, s, file, line);
		s += len;
		if (sep != '\0') {
			line += sep == '\n';
			s++;
		}
	}
	free(copy);
}
