/*
 * escape - escaping for log lines and messages. See escape.h.
 */
#include <string.h>

#include "escape.h"

static const char hex[] = "0123456789abcdef";

/* How long each byte's escaped form is: 1 (itself), 2 (a backslash
 * before '\' or '"'), or 4 (\xHH for space, control and 8-bit bytes). A
 * table: this runs for every byte of every value of every decision line. */
static const unsigned char esc_len[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

#define MARKER		"\\..."
#define MARKER_LEN	(sizeof(MARKER) - 1)

/* Writes the escaped form of c (esc_len[c] bytes) at dst. */
static inline void
escape_byte(unsigned char c, char *dst)
{
	switch (esc_len[c]) {
	case 1:
		dst[0] = (char)c;
		break;
	case 2:
		dst[0] = '\\';
		dst[1] = (char)c;
		break;
	default:
		dst[0] = '\\';
		dst[1] = 'x';
		dst[2] = hex[c >> 4];
		dst[3] = hex[c & 0xf];
		break;
	}
}

/*
 * escape_value()'s work in one pass: writes the escaped form of s at dst
 * (dstlen bytes, NUL included, at least 8) and returns its length. It
 * writes whole escapes while they leave room for the marker; at the
 * first one that does not, it looks (a few bytes at most) whether the
 * rest fits whole, and writes either the rest or the marker. It reads no further than dstlen bytes
 * of s: a longer value cannot fit.
 */
size_t
escape_into(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t len = strnlen((const char *)s, dstlen), i = 0, o = 0, j, rest;
	size_t lim = dstlen - 1 - MARKER_LEN;

	for (; i < len && o + esc_len[s[i]] <= lim; i++) {
		escape_byte(s[i], dst + o);
		o += esc_len[s[i]];
	}
	if (i < len) {
		for (rest = 0, j = i; j < len && o + rest < dstlen; j++)
			rest += esc_len[s[j]];
		if (len < dstlen && j == len && o + rest <= dstlen - 1) {
			for (; i < len; i++) {
				escape_byte(s[i], dst + o);
				o += esc_len[s[i]];
			}
		} else {
			memcpy(dst + o, MARKER, MARKER_LEN);
			o += MARKER_LEN;
		}
	}
	dst[o] = '\0';
	return o;
}

char *
escape_value(char *dst, size_t dstlen, const char *src)
{
	if (src == NULL || *src == '\0') {
		memcpy(dst, "-", 2);
		return dst;
	}
	escape_into(dst, dstlen, src);
	return dst;
}

const char *
escape_show(char *dst, size_t dstlen, const char *text)
{
	size_t o = 0;

	for (; *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;

		if (o + 5 + 4 > dstlen) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return dst;
}
