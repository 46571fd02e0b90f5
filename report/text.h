/*
 * text - the report as text for people (the default output), every count
 * on a line of its own with its label, so that it can also be grepped.
 * Values from the log are printed as relaywarden escaped them.
 *
 * One thread.
 */
#ifndef RW_REPORT_TEXT_H
#define RW_REPORT_TEXT_H

#include <stdio.h>

#include "tally.h"
#include "view.h"

/* Writes the report; false when out of memory. Write errors are left in
 * fp's error flag. */
bool	text_write(FILE *fp, struct tally *t, const struct view *v);

#endif
