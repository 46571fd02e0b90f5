/*
 * svg - the SVG picture. See svg.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "svg.h"
#include "timefmt.h"

#define WIDTH	1000
#define LEFT	70	/* room for the y axis' labels */
#define RIGHT	220	/* room for the legend */
#define TOP	50
#define PLOT_H	300
#define BAR_H	20	/* a client's bar */

/* The colour of a reason: accepts in blues and greens, refusals in reds
 * and oranges, tempfails in browns; others from a grey ramp. */
static const char *
colour(const char *reason, size_t i)
{
	static const struct {
		const char *reason, *rgb;
	} known[] = {
		{ "authenticated", "#4e79a7" }, { "my_networks", "#76b7b2" },
		{ "local_domain", "#59a14f" }, { "postmaster", "#8cd17d" },
		{ "sender_ok", "#a0cbe8" }, { "relay_denied", "#e15759" },
		{ "routing_trick", "#ff9d9a" }, { "unqualified", "#f28e2b" },
		{ "bad_address", "#ffbe7d" }, { "auth_required", "#b07aa1" },
		{ "tls_required", "#d4a6c8" }, { "unknown_listener", "#9d7660" },
		{ "internal_error", "#d7b5a6" },
	};
	static const char *const greys[] = { "#bab0ac", "#79706e", "#d3d3d3",
	    "#5f5f5f" };
	size_t k;

	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (strcmp(reason, known[k].reason) == 0)
			return known[k].rgb;
	return greys[i % 4];
}

static void
text(FILE *fp, double x, double y, const char *anchor, const char *s)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y,
	    anchor);
	quote_xml(fp, s, strlen(s));
	fputs("</text>\n", fp);
}

static void
legend(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t i;
	char label[80];
	double x = WIDTH - RIGHT + 20, y = TOP;

	for (i = 0; i < v->nreason && i < 16; i++) {
		size_t r = v->reason[i];

		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/>\n", x, y - 10,
		    colour(t->reasons.name[r], r));
		snprintf(label, sizeof(label), "%s %" PRIu64,
		    t->reasons.name[r], v->reason_total[r]);
		text(fp, x + 18, y, "start", label);
		y += 18;
	}
}

/* The stacked bars, one per hour held, placed by time. */
static void
hours(FILE *fp, const struct tally *t, const struct view *v)
{
	double plot_w = WIDTH - LEFT - RIGHT, bw, x, y, h;
	int64_t h0, h1, hr;
	uint64_t max = 1, by_reason[NAMES_MAX];
	char when[TIMEFMT_LEN], label[160];
	size_t i, s, k;

	fputs("<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">Decisions per hour, "
	    "stacked by reason</text>\n", fp);
	if (v->nhours == 0) {
		text(fp, LEFT + plot_w / 2, TOP + PLOT_H / 2, "middle",
		    "no decision");
		return;
	}
	h0 = periods_hour(t->periods, v->hours[0]);
	h1 = periods_hour(t->periods, v->hours[v->nhours - 1]);
	bw = plot_w / (double)(h1 - h0 + 1);
	for (i = 0; i < v->nhours; i++) {
		const uint32_t *c = periods_counts(t->periods, v->hours[i]);
		uint64_t sum = 0;

		for (s = 0; s < t->npairs; s++)
			sum += c[s];
		if (sum > max)
			max = sum;
	}
	/* Axes and the y scale: 0, half, the highest hour. */
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#333\"/>\n", LEFT, TOP + PLOT_H, (int)(LEFT + plot_w),
	    TOP + PLOT_H);
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#333\"/>\n", LEFT, TOP, LEFT, TOP + PLOT_H);
	for (k = 0; k <= 2; k++) {
		uint64_t val = max * k / 2;

		y = TOP + PLOT_H - (double)PLOT_H * (double)val / (double)max;
		snprintf(label, sizeof(label), "%" PRIu64, val);
		text(fp, LEFT - 6, y + 4, "end", label);
	}
	for (i = 0; i < v->nhours; i++) {
		const uint32_t *c = periods_counts(t->periods, v->hours[i]);

		hr = periods_hour(t->periods, v->hours[i]);
		memset(by_reason, 0, sizeof(by_reason));
		for (s = 0; s < t->npairs; s++)
			by_reason[s == 0 ? NAMES_OTHER : t->pair_reason[s]] += c[s];
		x = LEFT + bw * (double)(hr - h0);
		y = TOP + PLOT_H;
		timefmt(when, (time_t)hr * 3600, TIMEFMT_HOUR);
		for (k = 0; k < v->nreason; k++) {
			size_t r = v->reason[k];

			if (by_reason[r] == 0)
				continue;
			h = (double)PLOT_H * (double)by_reason[r] / (double)max;
			y -= h;
			fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			    "height=\"%.2f\" fill=\"%s\"><title>", x, y,
			    bw > 1.5 ? bw - 0.5 : bw, h,
			    colour(t->reasons.name[r], r));
			snprintf(label, sizeof(label), "%s %s: %" PRIu64, when,
			    t->reasons.name[r], by_reason[r]);
			quote_xml(fp, label, strlen(label));
			fputs("</title></rect>\n", fp);
		}
	}
	text(fp, LEFT, TOP + PLOT_H + 18, "start",
	    timefmt(when, (time_t)h0 * 3600, TIMEFMT_HOUR));
	if (h1 != h0)
		text(fp, LEFT + plot_w, TOP + PLOT_H + 18, "end",
		    timefmt(when, (time_t)h1 * 3600, TIMEFMT_HOUR));
	legend(fp, t, v);
}

/* The most refused clients, one bar each. */
static bool
clients(FILE *fp, const struct tally *t, const struct view *v, double top,
    size_t n)
{
	struct topn_row *rows = NULL;
	double bar_w = WIDTH - LEFT - RIGHT - 160, w, y;
	size_t i, got = 0;
	char label[32];

	fprintf(fp, "<text x=\"10\" y=\"%.1f\" font-size=\"15\" font-weight=\"bold\">Most refused "
	    "clients</text>\n", top);
	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL)
		return false;
	if (n > 0)
		got = topn_rows(t->top[TOP_CLIENTS], rows, n);
	if (got == 0)
		text(fp, LEFT, top + 24, "start", "no refusal");
	for (i = 0; i < got; i++) {
		y = top + 14 + (double)i * (BAR_H + 4);
		w = bar_w * (double)rows[i].count / (double)rows[0].count;
		fprintf(fp, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		    LEFT + 150, y + 15);
		quote_xml(fp, rows[i].key, rows[i].len);
		fprintf(fp, "</text>\n<rect x=\"%d\" y=\"%.1f\" width=\"%.2f\" "
		    "height=\"%d\" fill=\"#e15759\"><title>", LEFT + 156, y,
		    w < 1 ? 1 : w, BAR_H);
		quote_xml(fp, rows[i].key, rows[i].len);
		fprintf(fp, ": %" PRIu64 "</title></rect>\n", rows[i].count);
		snprintf(label, sizeof(label), "%" PRIu64, rows[i].count);
		text(fp, LEFT + 160 + (w < 1 ? 1 : w), y + 15, "start", label);
	}
	(void)v;
	free(rows);
	return true;
}

bool
svg_write(FILE *fp, const struct tally *t, const struct view *v)
{
	size_t n = v->top_rows;
	double top = TOP + PLOT_H + 60;
	int height = (int)(top + 30 + (double)(n > 0 ? n : 1) * (BAR_H + 4));
	bool ok;

	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n<title>relaywarden-report %s</title>\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
	    WIDTH, height, WIDTH, height, RW_VERSION);
	hours(fp, t, v);
	ok = clients(fp, t, v, top, n);
	fputs("</svg>\n", fp);
	return ok;
}
