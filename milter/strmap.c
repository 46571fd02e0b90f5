/*
 * strmap - a hash table from strings to a few bytes each. See strmap.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitfilter.h"
#include "strmap.h"

struct sslot {
	uint32_t	hash;
	uint32_t	off;		/* 0: empty slot */
};

/*
 * Eight bytes per multiply, then splitmix64's finaliser over the whole,
 * so that similar names ("host1.example.org", "host2...") spread. The
 * slot keeps the low 32 bits (the table index comes from them); the
 * filter takes the top bits.
 */
static uint64_t
str_hash(const char *s, size_t len)
{
	uint64_t h = (uint64_t)len * UINT64_C(0x9e3779b97f4a7c15), w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ bitfilter_mix(w)) * UINT64_C(0xff51afd7ed558ccd);
	}
	w = 0;
	memcpy(&w, s, len);
	return bitfilter_mix(h ^ w ^ (uint64_t)len << 59);
}

/* The slot holding key, or the empty slot where it would go. */
static struct sslot *
probe(const struct strmap *m, const char *key, size_t len, uint32_t hash)
{
	struct sslot *slots = m->tab.slots;
	size_t i;

	for (i = hashtab_home(&m->tab, hash);; i = hashtab_next(&m->tab, i))
		if (slots[i].off == 0 || (slots[i].hash == hash &&
		    memcmp(m->arena + slots[i].off, key, len) == 0 &&
		    m->arena[slots[i].off + len] == '\0'))
			return &slots[i];
}

/* For hashtab's growth. The keys are hashed again from the arena: the
 * slots keep only 32 bits of the hash, and the filter takes the top. */
static bool
sslot_empty(const void *slot)
{
	return ((const struct sslot *)slot)->off == 0;
}

static uint64_t
sslot_hash(const void *slot, const void *map)
{
	const char *key = ((const struct strmap *)map)->arena +
	    ((const struct sslot *)slot)->off;

	return str_hash(key, strlen(key));
}

static const struct hashtab_ops sslot_ops = {
	sizeof(struct sslot), 64, sslot_empty, sslot_hash
};

/* Room for need more bytes in the arena (and its first, dummy byte);
 * offsets must fit 32 bits. */
static enum strmap_added
reserve_arena(struct strmap *m, size_t need)
{
	size_t base = m->alen == 0 ? 1 : m->alen, ncap;
	char *na;

	if (base + need <= m->acap)
		return STRMAP_ADDED;
	if (need > UINT32_MAX - base)
		return STRMAP_TOOBIG;
	ncap = m->acap == 0 ? 4096 : m->acap * 2;
	while (ncap < base + need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		ncap = UINT32_MAX;
	if ((na = realloc(m->arena, ncap)) == NULL)
		return STRMAP_NOMEM;
	na[0] = '\0';		/* offset 0 means "empty slot" */
	m->alen = base;
	m->arena = na;
	m->acap = ncap;
	return STRMAP_ADDED;
}

enum strmap_added
strmap_add(struct strmap *m, const char *key, size_t len,
    const void *payload, size_t plen)
{
	uint64_t hash = str_hash(key, len);
	enum strmap_added r;
	struct sslot *s;

	if (m->tab.cap != 0 && probe(m, key, len, (uint32_t)hash)->off != 0)
		return STRMAP_DUPLICATE;
	/* Both reservations come before any change, so a failure leaves
	 * the map as it was. */
	if (len > UINT32_MAX || plen > UINT32_MAX)
		return STRMAP_TOOBIG;
	if (!hashtab_reserve(&m->tab, &sslot_ops, m))
		return STRMAP_NOMEM;
	if ((r = reserve_arena(m, len + 2 + plen)) != STRMAP_ADDED)
		return r;
	s = probe(m, key, len, (uint32_t)hash);
	memcpy(m->arena + m->alen, key, len);
	m->arena[m->alen + len] = '\0';
	if (plen > 0)
		memcpy(m->arena + m->alen + len + 1, payload, plen);
	s->hash = (uint32_t)hash;
	s->off = (uint32_t)m->alen;
	hashtab_added(&m->tab, hash);
	m->alen += len + 1 + plen;
	return STRMAP_ADDED;
}

const void *
strmap_find(const struct strmap *m, const char *key, size_t len)
{
	uint64_t hash;
	const struct sslot *s;

	if (m->tab.used == 0)
		return NULL;
	hash = str_hash(key, len);
	if (!hashtab_maybe(&m->tab, hash))
		return NULL;
	if ((s = probe(m, key, len, (uint32_t)hash))->off == 0)
		return NULL;
	return m->arena + s->off + len + 1;
}

void
strmap_free(struct strmap *m)
{
	if (m == NULL)
		return;
	free(m->arena);
	hashtab_free(&m->tab);
	m->arena = NULL;
	m->alen = m->acap = 0;
}
