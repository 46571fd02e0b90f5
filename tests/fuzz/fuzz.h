/*
 * fuzz - what the libFuzzer targets in tests/fuzz/ share: a reader that
 * takes structured values from the fuzzer's bytes, and the check that
 * turns a broken property into a crash libFuzzer records.
 *
 * Everything is static inline: each target is one .c file linked with
 * the core objects, and uses only part of this.
 *
 * Memory: fz_str() and fz_rest() return malloc'd strings the caller
 * frees. Single-threaded, as libFuzzer runs a target.
 */
#ifndef RW_FUZZ_H
#define RW_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property that must hold: on violation, print what and abort, so
 * that libFuzzer saves the input as a crash file.
 */
#define FZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "PROPERTY VIOLATED at %s:%d: %s\n  ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* The fuzzer's bytes, consumed from the front. Past the end every
 * reader returns zeros or empty strings, so any input is a valid one. */
struct fz {
	const uint8_t	*p;
	size_t		n;
};

static inline uint8_t
fz_u8(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint16_t
fz_u16(struct fz *f)
{
	uint16_t hi = fz_u8(f);

	return (uint16_t)(hi << 8 | fz_u8(f));
}

static inline void
fz_bytes(struct fz *f, uint8_t *out, size_t len)
{
	size_t n = len < f->n ? len : f->n;

	memcpy(out, f->p, n);
	memset(out + n, 0, len - n);
	f->p += n;
	f->n -= n;
}

/* A string whose length is the next byte (at most max); the bytes may
 * be anything but NUL, which ends the string early. */
static inline char *
fz_str(struct fz *f, size_t max)
{
	size_t len = fz_u8(f), i;
	char *s;

	if (len > max)
		len = max;
	if (len > f->n)
		len = f->n;
	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, f->p, len);
	s[len] = '\0';
	for (i = 0; i < len && s[i] != '\0'; i++)
		;
	s[i] = '\0';
	f->p += len;
	f->n -= len;
	return s;
}

/* The rest of the input as a NUL-terminated string (cut at a NUL). */
static inline char *
fz_rest(struct fz *f)
{
	char *s = malloc(f->n + 1);

	if (s == NULL)
		abort();
	memcpy(s, f->p, f->n);
	s[f->n] = '\0';
	f->p += f->n;
	f->n = 0;
	return s;
}

/* Splits text in place at '\n'; returns the number of lines stored in
 * lines[] (at most max; the rest stays in the last one). */
static inline size_t
fz_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *s = text, *nl;

	while (n < max) {
		lines[n++] = s;
		if (n == max || (nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	return n;
}

/* True when every byte of s is printable ASCII (no control, no 8-bit):
 * what may go into a log line or a config error message. */
static inline bool
fz_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

#endif
