/* utf8.c - UTF-8 validation: a whole text thirty-two bytes at a time where
 * the processor can, else eight ASCII bytes at a time. */
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define UTF8_AVX2 1
#else
#define UTF8_AVX2 0
#endif

#if UTF8_AVX2
/* The whole-text check of Keiser and Lemire ("Validating UTF-8 in less
 * than one instruction per byte", 2021): every byte is looked at with the
 * one before it through three tables indexed by nibbles, each bit of
 * which stands for one way a pair of bytes can be wrong; the bytes two
 * and three before say where a continuation is due. Thirty-two bytes a
 * step, where the loop below takes one letter of Cyrillic or Kazakh. */
enum {
    TOO_SHORT = 1 << 0,  /* a lead byte, then no continuation */
    TOO_LONG = 1 << 1,   /* ASCII, then a continuation */
    OVERLONG_3 = 1 << 2, /* E0 80..9F */
    TOO_LARGE = 1 << 3,  /* F4 90..BF, F5..FF and a continuation */
    SURROGATE = 1 << 4,  /* ED A0..BF */
    OVERLONG_2 = 1 << 5, /* C0 or C1 */
    TOO_LARGE_1000 = 1 << 6, /* F5..FF 80..8F */
    OVERLONG_4 = 1 << 6,     /* F0 80..8F */
    TWO_CONTS = 1 << 7,      /* two continuations: right only in a long sequence */
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

static const uint8_t first_high_table[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, /* ASCII */
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,                                     /* continuations */
    TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4};
static const uint8_t first_low_table[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY, CARRY | TOO_LARGE,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000};
static const uint8_t second_high_table[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, /* ASCII */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,          /* 80..8F */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,                             /* 90..9F */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                              /* A0..AF */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                              /* B0..BF */
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT};                                           /* leads */
/* A lead byte this near the end of a block goes on in the next. */
static const uint8_t last_complete_table[32] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,      255,      255,      255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1};

#define BOTH_LANES(table) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(table)))

/* The 32 bytes ending k bytes before in's first: the last k of prev,
 * then in's. */
#define BEFORE(in, prev, k) _mm256_alignr_epi8(in, _mm256_permute2x128_si256(prev, in, 0x21), 16 - (k))

__attribute__((target("avx2"))) static bool utf8_valid_avx2(const unsigned char *p, size_t n)
{
    const __m256i first_high = BOTH_LANES(first_high_table), first_low = BOTH_LANES(first_low_table);
    const __m256i second_high = BOTH_LANES(second_high_table);
    const __m256i last_complete = _mm256_loadu_si256((const __m256i *)last_complete_table);
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    const __m256i third = _mm256_set1_epi8((char)(0xE0 - 1)), fourth = _mm256_set1_epi8((char)(0xF0 - 1));
    __m256i prev = zero, error = zero, incomplete = zero;
    unsigned char tail[32];
    for (size_t i = 0; i < n; i += 32) {
        __m256i in;
        if (i + 32 <= n) {
            in = _mm256_loadu_si256((const __m256i *)(p + i));
        } else {
            memset(tail, 0, sizeof tail); /* NULs: whatever is left open ends too short */
            memcpy(tail, p + i, n - i);
            in = _mm256_loadu_si256((const __m256i *)tail);
        }
        if (!_mm256_movemask_epi8(in)) {
            error = _mm256_or_si256(error, incomplete);
            incomplete = zero;
            prev = in;
            continue;
        }
        __m256i prev1 = BEFORE(in, prev, 1);
        __m256i hi1 = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble);
        __m256i lo1 = _mm256_and_si256(prev1, nibble);
        __m256i hi2 = _mm256_and_si256(_mm256_srli_epi16(in, 4), nibble);
        __m256i special = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(first_high, hi1), _mm256_shuffle_epi8(first_low, lo1)),
            _mm256_shuffle_epi8(second_high, hi2));
        __m256i due = _mm256_or_si256(_mm256_subs_epu8(BEFORE(in, prev, 2), third),
                                      _mm256_subs_epu8(BEFORE(in, prev, 3), fourth));
        due = _mm256_and_si256(_mm256_cmpgt_epi8(due, zero), _mm256_set1_epi8((char)0x80));
        error = _mm256_or_si256(error, _mm256_xor_si256(due, special));
        incomplete = _mm256_subs_epu8(in, last_complete);
        prev = in;
    }
    error = _mm256_or_si256(error, incomplete);
    return _mm256_testz_si256(error, error);
}
#endif

/* Below this a text is checked byte by byte: the tables cost more. */
#define WHOLE_TEXT_MIN 64

size_t utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
#if UTF8_AVX2
    static int has_avx2 = -1; /* every thread finds the same */
    int avx2 = __atomic_load_n(&has_avx2, __ATOMIC_RELAXED);
    if (avx2 < 0) __atomic_store_n(&has_avx2, avx2 = __builtin_cpu_supports("avx2") != 0, __ATOMIC_RELAXED);
    /* A text that is not UTF-8 is rare: the loop below finds where. */
    if (avx2 && n >= WHOLE_TEXT_MIN && utf8_valid_avx2(p, n)) return n;
#endif
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned min;
        if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80;
        else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800;
        else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000;
        else return i;
        if (i + len > n) return i;
        unsigned cp = c & (0xff >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
        i += len;
    }
    return n;
}

void utf8_append_valid(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t ok = utf8_check(s + i, n - i);
        buf_add(out, s + i, ok);
        i += ok;
        if (i < n) {
            buf_put_utf8(out, 0xFFFD);
            i++;
        }
    }
}
