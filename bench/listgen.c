/*
 * listgen - generated lists for the benchmarks. See listgen.h.
 *
 * Proportions (percent of entries) are the tables below; they follow
 * what BlueMind installations list: mostly exact domains with a few
 * subdomain wildcards, and my_networks made of host addresses and small
 * subnets with a handful of large ones.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "listgen.h"

/* Miss domains use indexes from here: far beyond any list's size. */
#define MISS_BASE	UINT64_C(1000000000000)

uint64_t
lg_hash(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static const char *const syllables[32] = {
	"ka", "lo", "re", "mi", "to", "va", "ne", "si", "du", "po", "ra",
	"te", "bi", "gu", "fe", "zo", "an", "el", "or", "us", "ix", "om",
	"et", "al", "ber", "mar", "tin", "ston", "vil", "lux", "tech", "soft",
};

/* Twenty slots: com 40%, fr 15%, org 10%, net 10%, de 5%, co.uk 5%,
 * eu 5%, io 5%, ch 5%. */
static const char *const tlds[20] = {
	"com", "com", "com", "com", "com", "com", "com", "com",
	"fr", "fr", "fr", "org", "org", "net", "net", "de", "co.uk", "eu",
	"io", "ch",
};

/* "<2-4 syllables><index>.<tld>" */
static void
name_of(uint64_t i, char *buf, size_t len)
{
	uint64_t h = lg_hash(i);
	unsigned nsyl = 2 + (unsigned)(h % 3), k;
	size_t o = 0;

	buf[0] = '\0';
	h /= 3;
	for (k = 0; k < nsyl && o < len; k++) {
		o += (size_t)snprintf(buf + o, len - o, "%s", syllables[h & 31]);
		h >>= 5;
	}
	if (o < len)
		snprintf(buf + o, len - o, "%llu.%s", (unsigned long long)i,
		    tlds[h % 20]);
}

void
lg_domain(uint64_t i, char *buf, size_t len, bool *wild)
{
	/* Every 20th entry: 5%, and one among the first few already. */
	*wild = i % 20 == 3;
	if (*wild && len > 1) {
		buf[0] = '.';
		name_of(i, buf + 1, len - 1);
	} else {
		name_of(i, buf, len);
	}
}

void
lg_domain_miss(uint64_t k, char *buf, size_t len)
{
	name_of(MISS_BASE + k, buf, len);
}

/* Cumulative percent tables of prefix lengths. */
struct plen_share {
	unsigned	plen, upto;
};
static const struct plen_share v4_plens[] = {
	{ 32, 40 }, { 24, 72 }, { 28, 80 }, { 29, 86 }, { 30, 90 },
	{ 22, 96 }, { 16, 100 },
};
static const struct plen_share v6_plens[] = {
	{ 128, 30 }, { 64, 65 }, { 56, 77 }, { 48, 95 }, { 32, 100 },
};

static unsigned
pick_plen(const struct plen_share *t, size_t n, uint64_t h)
{
	unsigned r = (unsigned)(h % 100);
	size_t k;

	for (k = 0; k < n - 1 && r >= t[k].upto; k++)
		;
	return t[k].plen;
}

/* Zeroes the bits after plen. */
static void
mask(uint8_t b[16], unsigned plen, unsigned total)
{
	unsigned bit;

	for (bit = plen; bit < total; bit++)
		b[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
}

/* A random address where listed networks live. */
static void
listed_space(uint64_t h, int family, uint8_t b[16])
{
	uint64_t r = lg_hash(h);
	unsigned k;

	memset(b, 0, 16);
	if (family == AF_INET) {
		b[0] = (uint8_t)(1 + h % 126);	/* 1..126 */
		b[1] = (uint8_t)(r >> 8);
		b[2] = (uint8_t)(r >> 16);
		b[3] = (uint8_t)(r >> 24);
		return;
	}
	if (h % 10 < 7) {
		b[0] = 0x20;			/* 2001:xxxx::/32 */
		b[1] = 0x01;
	} else {
		b[0] = 0x2a;			/* 2a00::/12 */
		b[1] = (uint8_t)(r & 0x0f);
	}
	for (k = 2; k < 16; k++) {
		if (k % 8 == 0)
			r = lg_hash(r);
		b[k] = (uint8_t)(r >> (8 * (k % 8)));
	}
}

/* Entry i starts an exclusion pair ("!host", then its network). */
static bool
is_head(uint64_t i, uint64_t n)
{
	/* One pair in 34 entries: ~3% exclusions, the first at entry 4. */
	return i % 34 == 4 && i + 1 < n;
}

void
lg_network(uint64_t i, uint64_t n, struct lg_net *out)
{
	uint64_t h;

	memset(out, 0, sizeof(*out));
	if (i == 0) {			/* as BlueMind writes it */
		out->family = AF_INET;
		out->bytes[0] = 127;
		out->plen = 8;
		return;
	}
	if (i == 1) {
		out->family = AF_INET6;
		out->bytes[15] = 1;
		out->plen = 128;
		return;
	}
	if (is_head(i, n) || (i % 2 == 1 && is_head(i - 1, n))) {
		/* The pair shares one /24 or /64 and one host in it. */
		uint64_t head = i % 2 == 0 ? i : i - 1;

		h = lg_hash(head ^ UINT64_C(0xabcdef));
		out->family = h % 10 < 7 ? AF_INET : AF_INET6;
		listed_space(h, out->family, out->bytes);
		if (i == head) {
			out->exclude = true;
			out->plen = out->family == AF_INET ? 32 : 128;
		} else {
			out->plen = out->family == AF_INET ? 24 : 64;
			mask(out->bytes, out->plen, out->family == AF_INET ?
			    32 : 128);
		}
		return;
	}
	h = lg_hash(i);
	out->family = h % 10 < 7 ? AF_INET : AF_INET6;
	h = lg_hash(h);
	if (out->family == AF_INET) {
		out->plen = pick_plen(v4_plens, sizeof(v4_plens) /
		    sizeof(v4_plens[0]), h);
		listed_space(h / 100, AF_INET, out->bytes);
		mask(out->bytes, out->plen, 32);
	} else {
		out->plen = pick_plen(v6_plens, sizeof(v6_plens) /
		    sizeof(v6_plens[0]), h);
		listed_space(h / 100, AF_INET6, out->bytes);
		mask(out->bytes, out->plen, 128);
	}
}

void
lg_net_format(const struct lg_net *net, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	bool host = net->plen == (net->family == AF_INET ? 32u : 128u);

	if (inet_ntop(net->family, net->bytes, a, sizeof(a)) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	/* Hosts mostly bare, as admins write them; some with the prefix. */
	if (host && (net->exclude || lg_hash(net->bytes[3] ^
	    (uint64_t)net->bytes[15] << 8) % 2 == 0))
		snprintf(buf, len, "%s%s%s%s", net->exclude ? "!" : "",
		    net->family == AF_INET6 ? "[" : "", a,
		    net->family == AF_INET6 ? "]" : "");
	else
		snprintf(buf, len, "%s%s%s%s/%u", net->exclude ? "!" : "",
		    net->family == AF_INET6 ? "[" : "", a,
		    net->family == AF_INET6 ? "]" : "", net->plen);
}

void
lg_net_host(const struct lg_net *net, uint64_t salt, struct netaddr *out)
{
	unsigned total = net->family == AF_INET ? 32 : 128, bit;
	uint64_t r = lg_hash(salt);

	memset(out, 0, sizeof(*out));
	out->family = net->family;
	memcpy(out->bytes, net->bytes, total / 8);
	for (bit = net->plen; bit < total; bit++) {
		if (bit % 64 == 0)
			r = lg_hash(r);
		if ((r >> (bit % 64)) & 1)
			out->bytes[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
	}
}

void
lg_addr_miss(uint64_t k, bool v6, struct netaddr *out)
{
	uint64_t r = lg_hash(k ^ UINT64_C(0x3155)), s = lg_hash(r);
	unsigned j;

	memset(out, 0, sizeof(*out));
	if (!v6) {
		out->family = AF_INET;
		out->bytes[0] = (uint8_t)(128 + r % 64);	/* 128.0.0.0/2 */
		out->bytes[1] = (uint8_t)(r >> 8);
		out->bytes[2] = (uint8_t)(r >> 16);
		out->bytes[3] = (uint8_t)(r >> 24);
		return;
	}
	out->family = AF_INET6;
	out->bytes[0] = 0x2c;					/* 2c00::/8 */
	for (j = 1; j < 16; j++)
		out->bytes[j] = (uint8_t)((j < 8 ? r : s) >> (8 * (j % 8)));
}

static bool
close_ok(FILE *fp, bool ok)
{
	if (ferror(fp))
		ok = false;
	return fclose(fp) == 0 && ok;
}

bool
lg_write_domains(const char *path, uint64_t n)
{
	char name[LG_DOMAIN_MAX];
	uint64_t i;
	bool wild;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		return false;
	fprintf(fp, "# virtual_domains-flat, generated by bench/listgen: "
	    "%llu entries\n", (unsigned long long)n);
	for (i = 0; i < n; i++) {
		lg_domain(i, name, sizeof(name), &wild);
		fprintf(fp, "%s\n", name);
	}
	return close_ok(fp, true);
}

bool
lg_write_networks(const char *path, uint64_t n)
{
	char text[LG_NET_MAX];
	struct lg_net net;
	uint64_t i;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		return false;
	fprintf(fp, "# my_networks, generated by bench/listgen: %llu "
	    "entries\n", (unsigned long long)n);
	for (i = 0; i < n; i++) {
		lg_network(i, n, &net);
		lg_net_format(&net, text, sizeof(text));
		fprintf(fp, "%s\n", text);
	}
	return close_ok(fp, true);
}
