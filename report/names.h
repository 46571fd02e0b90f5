/*
 * names - a small table of the words relaywarden writes as values of its
 * own (decisions, reasons, listeners, events), each given an index for the
 * count arrays. Words are few; a log that holds more of them than the
 * table takes (forged lines) has the rest counted under index 0,
 * NAMES_OTHER, shown as "(other)".
 *
 * Caller-owned, no allocation; one thread.
 */
#ifndef RW_REPORT_NAMES_H
#define RW_REPORT_NAMES_H

#include <stddef.h>

#define NAMES_MAX	33	/* index 0 and 32 words */
#define NAMES_LEN	32	/* the longest word (logline.c's WORD_MAX) */
#define NAMES_OTHER	0

struct names {
	size_t	n;			/* index 0 included */
	size_t	cap;			/* at most NAMES_MAX */
	char	name[NAMES_MAX][NAMES_LEN + 1];
	unsigned char len[NAMES_MAX];
};

/* An empty table of at most cap - 1 words besides "(other)". */
void	names_init(struct names *t, size_t cap);

/* The index of the word (n bytes), added if new; NAMES_OTHER when the
 * table is full or the word too long. */
size_t	names_index(struct names *t, const char *p, size_t n);

/* The index of a word if it is in the table, else (size_t)-1. */
size_t	names_find(const struct names *t, const char *word);

#endif
