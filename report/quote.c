/*
 * quote - JSON and XML quoting. See quote.h.
 */
#include "quote.h"

void
quote_json(FILE *fp, const char *p, size_t n)
{
	size_t i;

	putc('"', fp);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\') {
			putc('\\', fp);
			putc(c, fp);
		} else if (c < 0x20 || c > 0x7e)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
	putc('"', fp);
}

void
quote_xml(FILE *fp, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		switch (c) {
		case '&':	fputs("&amp;", fp); break;
		case '<':	fputs("&lt;", fp); break;
		case '>':	fputs("&gt;", fp); break;
		case '"':	fputs("&quot;", fp); break;
		case '\'':	fputs("&apos;", fp); break;
		default:
			if (c < 0x20 || c > 0x7e)
				fprintf(fp, "\\x%02x", c);
			else
				putc(c, fp);
		}
	}
}
