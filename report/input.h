/*
 * input - the lines of one input: a file, plain or gzip-compressed
 * (zlib reads either, and several gzip members one after the other, as
 * logrotate's and cat's outputs are), or standard input ("-").
 *
 * Memory is bounded: one buffer of INPUT_BUF bytes. A line longer than
 * INPUT_LINE_MAX is not held: it is read through to its newline and
 * handed out as too long, so a line of any length costs no memory. The
 * last line may lack its newline (a log cut mid-line): it is handed out
 * as it is.
 *
 * One input per struct; one thread.
 */
#ifndef RW_REPORT_INPUT_H
#define RW_REPORT_INPUT_H

#include <stddef.h>

/* Longer than any line a syslog daemon keeps of relaywarden's (its lines
 * are at most 4096 bytes, slog.c sends at most 8192). */
#define INPUT_LINE_MAX	65536
#define INPUT_BUF	(1024 * 1024)

struct input;

enum input_status {
	INPUT_LINE,		/* *line, *len: a line, without its newline */
	INPUT_TOO_LONG,		/* a line over INPUT_LINE_MAX, skipped */
	INPUT_END,
	INPUT_ERROR		/* input_error() says what; no more lines */
};

/* Opens path ("-": standard input). NULL with errno set when it cannot be
 * opened. */
struct input *input_open(const char *path);

/* The next line: valid until the next call. */
enum input_status input_next(struct input *in, const char **line,
	    size_t *len);

/* After INPUT_ERROR: what went wrong, as zlib or the system says it. */
const char *input_error(const struct input *in);

void	input_close(struct input *in);

#endif
