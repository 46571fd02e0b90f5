/*
 * hash - SipHash-1-3 (Aumasson and Bernstein; one compression round and
 * three finalisation rounds, as Rust's HashMap uses). See hash.h.
 */
#include <string.h>
#include <sys/random.h>

#include "hash.h"

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

uint64_t
hash_bytes(const uint64_t k[2], const void *p, size_t len)
{
	const unsigned char *in = p, *end = in + (len & ~(size_t)7);
	uint64_t v0 = k[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k[1] ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i;

	for (; in != end; in += 8) {
		memcpy(&m, in, 8);	/* host order: nothing keeps a hash */
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (i = 0; i < (len & 7); i++)
		b |= (uint64_t)in[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void
hash_seed(uint64_t k[2])
{
	if (getrandom(k, 2 * sizeof(k[0]), GRND_NONBLOCK) !=
	    (ssize_t)(2 * sizeof(k[0]))) {
		k[0] = 0x0123456789abcdefULL;
		k[1] = 0xfedcba9876543210ULL;
	}
}
