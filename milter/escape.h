/*
 * escape - every byte that reaches a log line or an error message from a
 * client, the MTA or a file goes through here, so that none can split a
 * line, add a key or put a control byte into a terminal or syslog.
 *
 * Pure functions on caller-owned buffers: any thread may call them.
 */
#ifndef RW_ESCAPE_H
#define RW_ESCAPE_H

#include <stddef.h>

/*
 * A value for a key=value line: '"' and '\' become \" and \\, space and
 * bytes outside printable ASCII \xHH. Escapes src into dst (dstlen bytes,
 * NUL included; at least 8); NULL or "" becomes "-". A value too long to
 * fit whole ends in the marker "\..." (which escaping can never produce
 * otherwise). Returns dst.
 */
char	*escape_value(char *dst, size_t dstlen, const char *src);

/* escape_value() for a non-empty src, returning the length written. */
size_t	escape_into(char *dst, size_t dstlen, const char *src);

/*
 * Text for an error message (dst at least 12 bytes): bytes outside
 * printable ASCII, '"' and '\' become \xHH, so a message cannot be split
 * or carry a control byte; long text ends in "...". Unlike
 * escape_value(), a space stays a space: messages quote an entry the way
 * the admin wrote it. Returns dst.
 */
const char *escape_show(char *dst, size_t dstlen, const char *text);

/*
 * The dst size with which an error message quotes a value or an entry of
 * the configuration or of a list file: at most 64 octets of it, then
 * "...". With FILE:LINE that is enough to find and fix it, and it is
 * little of a file that should not have been named: the message reaches
 * a terminal or the journal whose readers may not read the file.
 */
#define ESCAPE_SHOW_MAX	72

#endif
