/*
 * input - lines from a plain or gzip file. See input.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"

struct input {
	gzFile	gz;
	char	*buf;
	size_t	start, end;	/* unread bytes: buf[start .. end) */
	int	eof;
	char	err[256];
};

struct input *
input_open(const char *path)
{
	struct input *in = calloc(1, sizeof(*in));
	int fd, saved;

	if (in == NULL)
		return NULL;
	if ((in->buf = malloc(INPUT_BUF)) == NULL) {
		free(in);
		errno = ENOMEM;
		return NULL;
	}
	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) :
	    open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (in->gz = gzdopen(fd, "rb")) == NULL) {
		saved = fd < 0 ? errno : ENOMEM;
		if (fd >= 0)
			close(fd);
		free(in->buf);
		free(in);
		errno = saved;
		return NULL;
	}
	/* zlib's own buffer: large reads, fewer system calls. */
	(void)gzbuffer(in->gz, 256 * 1024);
	return in;
}

void
input_close(struct input *in)
{
	if (in == NULL)
		return;
	gzclose(in->gz);
	free(in->buf);
	free(in);
}

const char *
input_error(const struct input *in)
{
	return in->err;
}

/* Reads more after buf[end]; false at the end or on an error (in->eof). */
static bool
fill(struct input *in)
{
	int n, e;
	const char *msg;

	if (in->eof)
		return false;
	n = gzread(in->gz, in->buf + in->end, (unsigned)(INPUT_BUF - in->end));
	if (n > 0) {
		in->end += (size_t)n;
		return true;
	}
	msg = gzerror(in->gz, &e);
	if (n < 0 || (e != Z_OK && e != Z_STREAM_END)) {
		/* A gzip file cut short, or a read error. */
		/* zlib names the stream "<fd:N>: " before its message. */
		if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ") != NULL)
			msg = strstr(msg, ": ") + 2;
		snprintf(in->err, sizeof(in->err), "%s",
		    e == Z_ERRNO ? strerror(errno) : msg);
		in->eof = -1;
	} else
		in->eof = 1;
	return false;
}

/* Reads through the rest of a line too long to hold. */
static enum input_status
skip_line(struct input *in)
{
	char *nl;

	for (;;) {
		in->start = in->end = 0;
		if (!fill(in))
			return in->eof < 0 ? INPUT_ERROR : INPUT_TOO_LONG;
		if ((nl = memchr(in->buf, '\n', in->end)) != NULL) {
			in->start = (size_t)(nl - in->buf) + 1;
			return INPUT_TOO_LONG;
		}
	}
}

enum input_status
input_next(struct input *in, const char **line, size_t *len)
{
	size_t scanned = 0;	/* bytes after start known to hold no '\n' */
	char *nl;

	for (;;) {
		nl = memchr(in->buf + in->start + scanned, '\n',
		    in->end - in->start - scanned);
		if (nl != NULL) {
			*line = in->buf + in->start;
			*len = (size_t)(nl - *line);
			in->start = (size_t)(nl - in->buf) + 1;
			if (*len > INPUT_LINE_MAX)
				return INPUT_TOO_LONG;
			return INPUT_LINE;
		}
		scanned = in->end - in->start;
		if (scanned > INPUT_LINE_MAX)
			return skip_line(in);
		/* Keep the partial line, at the start of the buffer. */
		if (in->start > 0) {
			memmove(in->buf, in->buf + in->start, scanned);
			in->start = 0;
			in->end = scanned;
		}
		if (!fill(in)) {
			if (in->eof < 0)
				return INPUT_ERROR;
			if (scanned == 0)
				return INPUT_END;
			*line = in->buf;	/* the last line, cut */
			*len = scanned;
			in->start = in->end;
			return INPUT_LINE;
		}
	}
}
