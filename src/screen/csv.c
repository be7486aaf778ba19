/*
 * csv.c - RFC 4180 records (csv.h). Written by hand: the record cutting has to
 * run on blocks from several threads at disk speed, and the Debian C CSV
 * libraries (libcsv) are callback-based and copy every field; this is small.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "screen/csv.h"

/* The bytes from s to the first ',' or '\n' in [s, end), or to end: eight
 * bytes at a time while eight remain (a byte equal to c is a zero byte of
 * x ^ c; the lowest byte flagged is always a true one), so a short field
 * costs no mispredicted loop exit; then byte by byte. */
static inline size_t field_len(const char *s, const char *end)
{
    const char *p = s;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

    while (end - p >= 8) {
        uint64_t x, a, b, hit;
        memcpy(&x, p, 8);
        a = x ^ (ones * ',');
        b = x ^ (ones * '\n');
        hit = ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
        if (hit)
            return (size_t)(p - s) + (size_t)(__builtin_ctzll(hit) >> 3);
        p += 8;
    }
#endif
    while (p < end && *p != ',' && *p != '\n')
        p++;
    return (size_t)(p - s);
}

/* The end of the record starting at s, as csv_record cuts it (with any number of fields),
 * or NULL when it does not end in buf. */
static const char *record_end(const char *s, const char *end)
{
    for (;;) {
        if (s < end && *s == '"') {
            s++;
            for (;;) { /* from quote to quote (memchr), "" taken as text */
                const char *q = memchr(s, '"', (size_t)(end - s));
                if (!q || q + 1 == end)
                    return NULL;
                if (q[1] == '"') {
                    s = q + 2;
                    continue;
                }
                s = q + 1;
                break;
            }
            if (s < end && *s == '\r' && (s + 1 < end && s[1] == '\n'))
                s++;
            if (s < end && *s != ',' && *s != '\n') { /* skip_record's way */
                int quoted = 0;
                for (; s < end; s++) {
                    if (*s == '"')
                        quoted = !quoted;
                    else if (*s == '\n' && !quoted)
                        return s + 1;
                }
                return NULL;
            }
        } else {
            s += field_len(s, end);
        }
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        return s < end ? s + 1 : NULL;
    }
}

#if defined(__SSE2__) && defined(__x86_64__)
/* The bits of the 64 bytes at p equal to c. */
static inline uint64_t mask64(const char *p, char c)
{
    const __m128i x = _mm_set1_epi8(c);
    uint64_t m = 0;
    int k;

    for (k = 0; k < 4; k++)
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(
                 _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k)), x))
             << (16 * k);
    return m;
}

/* csv_boundary for a block with quotes, 64 bytes at a time: a line break
 * ends a record when an even number of quotes comes before it in the block
 * (which starts a record), each bit of the running parity the prefix XOR of
 * the quotes' bits. That is the cutter's own reading (a doubled quote flips
 * twice; after a bad quote skip_record flips at every quote) as long as each
 * quote that opens a quoted stretch starts a field (follows the block's
 * start, a ',' or a line break) or follows a quote (a doubled one's
 * second): a quote inside an unquoted field (x"y) is text to the cutter, not
 * a flip, and a block with one that opens takes the exact walk (returns -1). */
static long boundary_by_parity(const char *buf, size_t len)
{
    uint64_t carry = 0, prev_start = 1, prev_quote = 0; /* carry: all ones while odd */
    long last = 0;
    size_t i;

    for (i = 0; i < len; i += 64) {
        char tail[64];
        const char *p = buf + i;
        uint64_t q, nl, sep, in, open, starts, x;
        if (len - i < 64) { /* the last bytes, padded with what flags nothing */
            memset(tail, 'a', sizeof(tail));
            memcpy(tail, p, len - i);
            p = tail;
        }
        q = mask64(p, '"');
        nl = mask64(p, '\n');
        sep = nl | mask64(p, ',');
        x = q;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        in = x ^ carry;     /* 1: inside quotes once this byte is read */
        open = q & in;      /* quotes that open a stretch */
        starts = sep << 1 | prev_start; /* bytes that start a field */
        if (open & ~starts & ~(q << 1 | prev_quote))
            return -1;
        if (nl & ~in)
            last = (long)(i + 64 - (size_t)__builtin_clzll(nl & ~in));
        carry = (uint64_t)((int64_t)in >> 63);
        prev_start = sep >> 63;
        prev_quote = q >> 63;
    }
    return last;
}
#endif

size_t csv_boundary(const char *buf, size_t len)
{
    const char *q = memchr(buf, '"', len), *s = buf, *e;
    size_t i;

    if (!q) { /* the usual block: no quotes, the last line break ends a record */
        for (i = len; i > 0; i--)
            if (buf[i - 1] == '\n')
                return i;
        return 0;
    }
#if defined(__SSE2__) && defined(__x86_64__)
    {
        long at = boundary_by_parity(buf, len);
        if (at >= 0)
            return (size_t)at;
    }
#endif
    while (s < buf + len && (e = record_end(s, buf + len)) != NULL)
        s = e;
    return (size_t)(s - buf);
}

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* csv_count_lines' rounds, 128 bytes at a time in the 32 byte lanes of an
 * AVX2 counter (at most 4 a round, summed every 63 rounds as in the SSE2
 * way); the bytes left (fewer than 128) to the caller: *done is how many
 * were counted. */
static __attribute__((noinline, target("avx2"))) size_t count_lines_avx2(const char *buf,
                                                                          size_t len,
                                                                          size_t *done)
{
    const __m256i nl = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
    size_t n = 0, i = 0;

    while (len - i >= 128) {
        __m256i acc = zero;
        int k;
        for (k = 0; k < 63 && len - i >= 128; k++, i += 128) {
            const __m256i *q = (const __m256i *)(const void *)(buf + i);
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(q), nl));
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(q + 1), nl));
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(q + 2), nl));
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(q + 3), nl));
        }
        acc = _mm256_sad_epu8(acc, zero);
        n += (size_t)_mm256_extract_epi64(acc, 0) + (size_t)_mm256_extract_epi64(acc, 1) +
             (size_t)_mm256_extract_epi64(acc, 2) + (size_t)_mm256_extract_epi64(acc, 3);
    }
    *done = i;
    return n;
}

int csv_wide_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}

int csv_index_available(void)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi") ||
        !__builtin_cpu_supports("popcnt"))
        return 0;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vbmi2")
               ? 2
               : 1;
}

/* The offsets of the set bits of m, lowest first, from off: sixteen written
 * whatever their number (the ones past it are written over next, or never
 * read: the arrays have room), the rest, if any, one by one. How many. */
static inline __attribute__((always_inline, target("avx2,bmi,popcnt"))) size_t
offsets_of(uint64_t m, uint32_t off, uint32_t *o)
{
    size_t cnt = (size_t)__builtin_popcountll(m), i;

#pragma GCC unroll 16
    for (i = 0; i < 16; i++) { /* _tzcnt_u64(0) is 64: a defined value, never read */
        o[i] = off + (uint32_t)_tzcnt_u64(m);
        m = _blsr_u64(m);
    }
    for (o += 16; m; m = _blsr_u64(m))
        *o++ = off + (uint32_t)_tzcnt_u64(m);
    return cnt;
}

/* The chunk at c, or the block's last bytes padded with what flags nothing
 * (the bytes past the block are the next one's, which another thread may
 * be writing: never read). */
static inline const char *chunk_at(const csv_index *ix, const char *c, char *tail)
{
    if (ix->end - c >= 64)
        return c;
    memset(tail, 'a', 64);
    memcpy(tail, c, (size_t)(ix->end - c));
    return tail;
}

/* csv_index_more's chunks from offset `at` until stop (or a chunk with a
 * quote or '\r': ix->dirty), their offsets appended at *ns and *nn; the
 * offset where it stopped (past the block's end after its last chunk).
 * AVX2: each chunk's masks, then its offsets bit by bit. */
static __attribute__((noinline, target("avx2,bmi,popcnt"))) size_t
chunks_avx2(csv_index *ix, size_t at, size_t stop, size_t *ns, size_t *nn)
{
    const __m256i comma = _mm256_set1_epi8(','), nl = _mm256_set1_epi8('\n'),
                  quote = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r');

    for (; at < stop; at += 64) {
        char tail[64];
        const char *p = chunk_at(ix, ix->base + at, tail);
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)p),
                x1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32)),
                n0 = _mm256_cmpeq_epi8(x0, nl), n1 = _mm256_cmpeq_epi8(x1, nl),
                odd = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x0, quote),
                                                      _mm256_cmpeq_epi8(x0, cr)),
                                      _mm256_or_si256(_mm256_cmpeq_epi8(x1, quote),
                                                      _mm256_cmpeq_epi8(x1, cr)));
        uint32_t off = (uint32_t)at;
        if (!_mm256_testz_si256(odd, odd)) {
            ix->dirty = ix->base + at;
            break;
        }
        *ns += offsets_of((uint64_t)(uint32_t)_mm256_movemask_epi8(
                              _mm256_or_si256(n0, _mm256_cmpeq_epi8(x0, comma))) |
                              (uint64_t)(uint32_t)_mm256_movemask_epi8(
                                  _mm256_or_si256(n1, _mm256_cmpeq_epi8(x1, comma)))
                                  << 32,
                          off, ix->sep + *ns);
        {
            /* line breaks: one or two a chunk in a cohort's rows; two written whatever */
            uint64_t m = (uint64_t)(uint32_t)_mm256_movemask_epi8(n0) |
                         (uint64_t)(uint32_t)_mm256_movemask_epi8(n1) << 32;
            size_t cnt = (size_t)__builtin_popcountll(m);
            uint32_t *o = ix->nl + *nn;
            o[0] = off + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            o[1] = off + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            for (o += 2; m; m = _blsr_u64(m))
                *o++ = off + (uint32_t)_tzcnt_u64(m);
            *nn += cnt;
        }
    }
    return at;
}

/* The cnt positions packed at the front of pos (bytes), widened to 32 bits
 * and added to off, written at o sixteen at a time: the first `always`
 * sixteens whatever cnt is (no branch on it; the arrays have room), the
 * others while positions remain. How many (cnt). */
static inline __attribute__((always_inline, target("avx512f,avx512bw"))) size_t
put_offsets(uint32_t *o, __m512i pos, __m512i off, size_t always, size_t cnt)
{
#define PUT16(k)                                                                                   \
    _mm512_storeu_si512((void *)(o + 16 * (k)),                                                    \
                        _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, k)), \
                                         off))
    PUT16(0);
    if (always > 1 || cnt > 16)
        PUT16(1);
    if (always > 2 || cnt > 32)
        PUT16(2);
    if (always > 3 || cnt > 48)
        PUT16(3);
#undef PUT16
    return cnt;
}

/* The same with AVX-512 (VBMI2), where the CPU has it: a chunk's separators'
 * positions packed by one compress of the bytes 0 to 63, widened to 32 bits
 * sixteen at a time (put_offsets): 32 written whatever their number, the
 * line breaks' 16. */
static __attribute__((noinline, target("avx512f,avx512bw,avx512vbmi2,popcnt"))) size_t
chunks_avx512(csv_index *ix, size_t at, size_t stop, size_t *ns, size_t *nn)
{
    const __m512i comma = _mm512_set1_epi8(','), nl = _mm512_set1_epi8('\n'),
                  quote = _mm512_set1_epi8('"'), cr = _mm512_set1_epi8('\r'),
                  iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50,
                                         49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
                                         35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22,
                                         21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7,
                                         6, 5, 4, 3, 2, 1, 0);

    for (; at < stop; at += 64) {
        char tail[64];
        __m512i x = _mm512_loadu_si512((const void *)chunk_at(ix, ix->base + at, tail)), offv;
        __mmask64 n = _mm512_cmpeq_epi8_mask(x, nl),
                  sep = n | _mm512_cmpeq_epi8_mask(x, comma);
        if (_mm512_cmpeq_epi8_mask(x, quote) | _mm512_cmpeq_epi8_mask(x, cr)) {
            ix->dirty = ix->base + at;
            break;
        }
        offv = _mm512_set1_epi32((int)(uint32_t)at);
        *ns += put_offsets(ix->sep + *ns, _mm512_maskz_compress_epi8(sep, iota), offv, 2,
                           (size_t)__builtin_popcountll(sep));
        *nn += put_offsets(ix->nl + *nn, _mm512_maskz_compress_epi8(n, iota), offv, 1,
                           (size_t)__builtin_popcountll(n));
    }
    return at;
}

int csv_index_more(csv_index *ix)
{
    size_t at = (size_t)(ix->done - ix->base), len = (size_t)(ix->end - ix->base), ns, nn;

    if (!ix->on || at >= len || ix->done == ix->dirty) /* (no index without the CPU's way) */
        return 0;
    /* the offsets not taken yet (the current record's) to the front */
    if (ix->k) {
        memmove(ix->sep, ix->sep + ix->k, (ix->n_sep - ix->k) * sizeof(*ix->sep));
        ix->n_sep -= ix->k;
        ix->k = 0;
    }
    if (ix->j) {
        memmove(ix->nl, ix->nl + ix->j, (ix->n_nl - ix->j) * sizeof(*ix->nl));
        ix->n_nl -= ix->j;
        ix->j = 0;
    }
    ns = ix->n_sep;
    nn = ix->n_nl;
    if (ns + CSV_INDEX_WINDOW + 64 > CSV_INDEX_CAP) /* at most one offset a byte */
        return 0;
    {
        size_t stop = len - at > CSV_INDEX_WINDOW ? at + CSV_INDEX_WINDOW : len;
        at = ix->on == 2 ? chunks_avx512(ix, at, stop, &ns, &nn)
                         : chunks_avx2(ix, at, stop, &ns, &nn);
    }
    ix->done = ix->base + (at < len ? at : len);
    if (ns == ix->n_sep)
        return 0;
    ix->n_sep = ns;
    ix->n_nl = nn;
    return 1;
}

/* Four fields a round: their starts (one past the separator before each:
 * for the first, st - 1, the one before the record's start) and lengths
 * widened to 64 bits, added to base, interleaved into {p, len} pairs. The
 * first round's separators before its fields are its own shifted one lane
 * up, st - 1 put in the lane freed: each round reads only offsets the
 * index wrote long before. (Written to s[-1] and read back as part of one
 * 16-byte load, st - 1 could not be taken from the store in flight: the
 * load waited for the store to reach the cache, and that wait had 59% of
 * this function's samples: bench/README "sixteenth round".) */
__attribute__((target("avx2"))) void csv_index_fields(char *base, const uint32_t *s, uint32_t st,
                                                      size_t m, csv_field *out)
{
    const __m256i b = _mm256_set1_epi64x((long long)(uintptr_t)base);
    const __m128i one = _mm_set1_epi32(1);
    size_t i = 0;

    _Static_assert(sizeof(csv_field) == 16 && sizeof(char *) == 8, "{p, len}: two 64-bit words");
    for (; i + 4 <= m; i += 4) {
        __m128i e32 = _mm_loadu_si128((const __m128i *)(const void *)(s + i)),
                before = i ? _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1))
                           : _mm_or_si128(_mm_slli_si128(e32, 4), _mm_cvtsi32_si128((int)(st - 1)));
        /* (st - 1 wraps to 0xffffffff at offset 0; + 1 in 32 bits gives 0 back) */
        __m256i a = _mm256_cvtepu32_epi64(_mm_add_epi32(before, one)),
                e = _mm256_cvtepu32_epi64(e32);
        __m256i p = _mm256_add_epi64(a, b), len = _mm256_sub_epi64(e, a),
                lo = _mm256_unpacklo_epi64(p, len), hi = _mm256_unpackhi_epi64(p, len);
        _mm256_storeu_si256((__m256i *)(void *)(out + i), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(out + i + 2),
                            _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; i < m; i++) {
        uint32_t a = (i ? s[i - 1] : st - 1) + 1;
        out[i].p = base + a;
        out[i].len = s[i] - a;
    }
}

#else
int csv_wide_available(void)
{
    return 0;
}

int csv_index_available(void)
{
    return 0;
}

int csv_index_more(csv_index *ix)
{
    (void)ix;
    return 0;
}

void csv_index_fields(char *base, const uint32_t *s, uint32_t st, size_t m, csv_field *out)
{
    size_t i;

    for (i = 0; i < m; i++) {
        uint32_t a = (i ? s[i - 1] : st - 1) + 1;
        out[i].p = base + a;
        out[i].len = s[i] - a;
    }
}
#endif

int csv_index_init(csv_index *ix)
{
    /* room for the offsets a chunk writes past the last (up to 64:
     * csv_index_more leaves a window's and 64 more free) */
    uint32_t *s = malloc((CSV_INDEX_CAP + 64) * sizeof(*s)),
             *l = malloc((CSV_INDEX_CAP + 64) * sizeof(*l));

    memset(ix, 0, sizeof(*ix));
    if (!s || !l) {
        free(s);
        free(l);
        return -1;
    }
    ix->sep = s;
    ix->nl = l;
    ix->on = csv_index_available();
    return 0;
}

void csv_index_free(csv_index *ix)
{
    free(ix->sep);
    free(ix->nl);
    ix->sep = ix->nl = NULL;
}

void csv_index_block(csv_index *ix, char *buf, char *end)
{
    ix->base = ix->done = ix->general = buf;
    ix->end = end;
    ix->dirty = NULL;
    ix->n_sep = ix->k = ix->n_nl = ix->j = 0;
    ix->strikes = 0;
    csv_cut_init(&ix->cut);
}

size_t csv_count_lines(const char *buf, size_t len)
{
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
    if (len >= 128 && csv_wide_available()) {
        size_t done, n = count_lines_avx2(buf, len, &done);
        return n + csv_count_lines_narrow(buf + done, len - done);
    }
#endif
    return csv_count_lines_narrow(buf, len);
}

size_t csv_count_lines_narrow(const char *buf, size_t len)
{
    size_t n = 0, i = 0;

#if defined(__SSE2__) && defined(__x86_64__)
    /* 64 bytes at a time: each line break subtracts -1 from its byte lane of
     * a counter, at most 4 per round, summed (psadbw) every 63 rounds, before
     * a lane can pass 255 */
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (len - i >= 64) {
        __m128i acc = zero;
        int k;
        for (k = 0; k < 63 && len - i >= 64; k++, i += 64) {
            const __m128i *q = (const __m128i *)(const void *)(buf + i);
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(q), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(q + 1), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(q + 2), nl));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(q + 3), nl));
        }
        acc = _mm_sad_epu8(acc, zero);
        n += (size_t)_mm_cvtsi128_si64(acc) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
    }
#endif
    for (; i < len; i++)
        n += buf[i] == '\n';
    return n;
}

const char *csv_problem(int code)
{
    switch (code) {
    case CSV_TOO_MANY:
        return "more fields than the header has";
    case CSV_BAD_QUOTE:
        return "text after the closing quote of a quoted field (write a quote inside one as \"\")";
    case CSV_OPEN_QUOTE:
        return "a quoted field is not closed before the end of the file";
    }
    return "malformed record";
}

/* Skip the rest of a bad record: to the next line break outside quotes. */
static void skip_record(char **pos, char *end, int quoted, size_t *lines)
{
    char *s = *pos;

    for (; s < end; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == '\n') {
            ++*lines;
            if (!quoted) {
                s++;
                break;
            }
        }
    }
    *pos = s;
}

int csv_record_general(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                       size_t *lines)
{
    char *s = *pos;
    size_t k = 0;

    for (;;) {
        csv_field f;
        if (k == max) {
            skip_record(&s, end, 0, lines);
            *pos = s;
            return CSV_TOO_MANY;
        }
        if (s < end && *s == '"') { /* quoted: unquote in place */
            char *w = ++s, *start = s;
            for (;;) {
                /* the text up to the next quote, moved down only once a doubled
                 * quote has made room: a field without one is not written at
                 * all (a mapped page written is copied, and the copy's fault
                 * stops the other threads to flush their TLBs) */
                char *q = memchr(s, '"', (size_t)(end - s)), *t = q ? q : end, *nl = s;
                while ((nl = memchr(nl, '\n', (size_t)(t - nl))) != NULL) {
                    ++*lines;
                    nl++;
                }
                if (w != s)
                    memmove(w, s, (size_t)(t - s));
                w += t - s;
                s = t;
                if (s == end) {
                    *pos = end;
                    return CSV_OPEN_QUOTE;
                }
                if (s + 1 < end && s[1] == '"') {
                    if (w != s) /* else the byte there is that quote already */
                        *w = '"';
                    w++;
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            f.p = start;
            f.len = (size_t)(w - start);
            if (s < end && *s == '\r' && (s + 1 == end || s[1] == '\n'))
                s++;
            if (s < end && *s != ',' && *s != '\n') {
                skip_record(&s, end, 0, lines);
                *pos = s;
                return CSV_BAD_QUOTE;
            }
        } else {
            char *e = s + field_len(s, end);
            f.p = s;
            f.len = (size_t)(e - s);
            if (f.len && s[f.len - 1] == '\r' && (e == end || *e == '\n'))
                f.len--;
            s = e;
        }
        out[k++] = f;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end) { /* '\n' */
            s++;
            ++*lines;
        }
        break;
    }
    *n = k;
    *pos = s;
    return CSV_OK;
}
