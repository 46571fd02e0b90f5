/*
 * svg - the picture (-o FILE): the decisions per hour, stacked by reason,
 * and the most refused clients as bars, in one self-contained SVG file
 * (no script, no style sheet, no font or link outside it), written by
 * hand. Values from the log appear as text as relaywarden escaped them,
 * XML-quoted (quote.h).
 *
 * One thread.
 */
#ifndef RW_REPORT_SVG_H
#define RW_REPORT_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "tally.h"
#include "view.h"

/* Writes the picture; false when out of memory. Write errors are left in
 * fp's error flag. */
bool	svg_write(FILE *fp, const struct tally *t, const struct view *v);

#endif
