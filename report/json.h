/*
 * json - the report as one JSON object (-j), schema 1, documented in
 * relaywarden-report(8) under JSON OUTPUT. Values from the log are JSON
 * strings of the text relaywarden logged, still escaped (quote.h).
 *
 * One thread.
 */
#ifndef RW_REPORT_JSON_H
#define RW_REPORT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "tally.h"
#include "view.h"

#define JSON_SCHEMA	1

/* Writes the report and a newline; false when out of memory. Write errors
 * are left in fp's error flag. */
bool	json_write(FILE *fp, struct tally *t, const struct view *v);

#endif
