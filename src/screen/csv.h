/*
 * csv.h - RFC 4180 records, read from memory a block at a time.
 *
 * The reader (screen.c) cuts the input into blocks that end on a record
 * boundary (csv_boundary); any thread can then cut a block into records and
 * fields (csv_record) on its own. Quoted fields may hold commas, quotes ("")
 * and line breaks; CRLF and LF both end a record; a UTF-8 byte-order mark at
 * the start of the file is the reader's to skip. Fields are unquoted in place,
 * so a block is writable memory.
 */
#ifndef MT_SCREEN_CSV_H
#define MT_SCREEN_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/** One field: `len` bytes at `p`, not NUL-terminated. */
typedef struct csv_field {
    char *p;
    size_t len;
} csv_field;

/**
 * The end of the last complete record in buf[0, len): the offset just past its
 * line break, or 0 when the block holds no complete record. A block always
 * starts outside quotes (on a record boundary).
 */
size_t csv_boundary(const char *buf, size_t len);

/** Line breaks in buf[0, len) (those inside quoted fields too). */
size_t csv_count_lines(const char *buf, size_t len);

/** csv_count_lines without its AVX2 way (SSE2 lanes, or a byte loop), which
 *  csv_count_lines takes where the CPU has AVX2 (csv_wide_available); both
 *  are tested (test_csv). */
size_t csv_count_lines_narrow(const char *buf, size_t len);

/** 1 when this CPU runs csv_count_lines' AVX2 way. */
int csv_wide_available(void);

enum {
    CSV_OK = 0,
    CSV_TOO_MANY,      /* more fields than `max` */
    CSV_BAD_QUOTE,     /* text after a closing quote */
    CSV_OPEN_QUOTE     /* a quoted field still open at the end of the input */
};

/**
 * Cut one record from *pos (< end): up to `max` fields into `out`, their count
 * in *n. Advances *pos past the record's line break and adds the line breaks
 * it crossed to *lines. Quoted fields are unquoted in place. Returns CSV_OK or
 * a CSV_* problem (the record is still skipped whole; *n is then meaningless).
 */
static inline int csv_record(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                             size_t *lines);

/** csv_record without its fast way for plain records (no quote, no '\r'):
 *  the reference that fast way is fuzzed against (tests/fuzz/fuzz_csv.c). */
int csv_record_general(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                       size_t *lines);

#if defined(__SSE2__)
/* The usual record, whole in [*pos, end): no quote, no '\r', at most `max`
 * fields. Its separators are found sixteen bytes at a time as a bit mask and
 * taken lowest first, so one field does not wait on the bytes of the one
 * before. 1 when it applied (what csv_record_general would have returned as
 * CSV_OK, with the same fields), 0 to leave the record to the general way.
 * Inline, so a caller's loop over records keeps its constants in registers. */
static inline int csv_plain_record(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                                   size_t *lines)
{
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'),
                  quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    char *c = *pos, *start = c;
    csv_field *o = out, *room = out + (max > 16 ? max - 16 : 0); /* 16 more fit while o <= room */

    if (max < 16) /* not even one chunk's fields fit */
        return 0;
    for (; end - c >= 16; c += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)c), at_nl = _mm_cmpeq_epi8(x, nl);
        unsigned lf = (unsigned)_mm_movemask_epi8(at_nl);
        unsigned long long sep =
            (unsigned)_mm_movemask_epi8(_mm_or_si128(at_nl, _mm_cmpeq_epi8(x, comma)));
        unsigned odd = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, cr)));
        if (lf) { /* the record ends here: what follows its line break is the next one's */
            unsigned upto = lf ^ (lf - 1); /* up to the first line break, included */
            sep &= upto;
            odd &= upto;
        }
        if (odd || o > room) /* a chunk has at most 16 separators */
            return 0;
        for (; sep; sep &= sep - 1) { /* the line break, when there is one, the last */
            char *e = c + __builtin_ctzll(sep);
            o->p = start;
            o->len = (size_t)(e - start);
            o++;
            start = e + 1;
        }
        if (lf) {
            *n = (size_t)(o - out);
            *pos = start;
            ++*lines;
            return 1;
        }
    }
    return 0;
}
#endif

static inline int csv_record(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                             size_t *lines)
{
#if defined(__SSE2__)
    if (csv_plain_record(pos, end, out, max, n, lines))
        return CSV_OK;
#endif
    return csv_record_general(pos, end, out, max, n, lines);
}

/**
 * A block's records one after another (do_block's loop): csv_cut_record
 * cuts each as csv_record does, the usual ones from masks of 64 bytes at a
 * time kept from one record to the next. Start it with csv_cut_init before
 * the block's first record; *pos may move only through csv_cut_record.
 */
typedef struct csv_cut {
    const char *w;           /* the 64 bytes the masks are of; NULL: none */
    uint64_t sep, nl, odd;   /* there: ',' or '\n', '\n', '"' or '\r'; bits of bytes taken cleared */
} csv_cut;

static inline void csv_cut_init(csv_cut *k)
{
    k->w = NULL;
    k->sep = k->nl = k->odd = 0;
}

#if defined(__SSE2__) && defined(__x86_64__)
/* The masks of the 64 bytes at p (readable). */
static inline __attribute__((always_inline)) void csv_masks64(const char *p, uint64_t *sep_out,
                                                             uint64_t *nl_out, uint64_t *odd_out)
{
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'),
                  quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    const __m128i *q = (const __m128i *)(const void *)p;
    __m128i x0 = _mm_loadu_si128(q), x1 = _mm_loadu_si128(q + 1), x2 = _mm_loadu_si128(q + 2),
            x3 = _mm_loadu_si128(q + 3);
    __m128i n0 = _mm_cmpeq_epi8(x0, nl), n1 = _mm_cmpeq_epi8(x1, nl),
            n2 = _mm_cmpeq_epi8(x2, nl), n3 = _mm_cmpeq_epi8(x3, nl);
    __m128i o0 = _mm_or_si128(_mm_cmpeq_epi8(x0, quote), _mm_cmpeq_epi8(x0, cr)),
            o1 = _mm_or_si128(_mm_cmpeq_epi8(x1, quote), _mm_cmpeq_epi8(x1, cr)),
            o2 = _mm_or_si128(_mm_cmpeq_epi8(x2, quote), _mm_cmpeq_epi8(x2, cr)),
            o3 = _mm_or_si128(_mm_cmpeq_epi8(x3, quote), _mm_cmpeq_epi8(x3, cr));

    *nl_out = (uint64_t)(unsigned)_mm_movemask_epi8(n0) |
            (uint64_t)(unsigned)_mm_movemask_epi8(n1) << 16 |
            (uint64_t)(unsigned)_mm_movemask_epi8(n2) << 32 |
            (uint64_t)(unsigned)_mm_movemask_epi8(n3) << 48;
    *sep_out = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(n0, _mm_cmpeq_epi8(x0, comma))) |
             (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(n1, _mm_cmpeq_epi8(x1, comma)))
                 << 16 |
             (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(n2, _mm_cmpeq_epi8(x2, comma)))
                 << 32 |
             (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(n3, _mm_cmpeq_epi8(x3, comma)))
                 << 48;
    *odd_out = 0;
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(o0, o1), _mm_or_si128(o2, o3))))
        *odd_out = (uint64_t)(unsigned)_mm_movemask_epi8(o0) |
                 (uint64_t)(unsigned)_mm_movemask_epi8(o1) << 16 |
                 (uint64_t)(unsigned)_mm_movemask_epi8(o2) << 32 |
                 (uint64_t)(unsigned)_mm_movemask_epi8(o3) << 48;
}

/* The lowest set bit's position in s (not 0), as a 64-bit value: bsf on
 * the whole register, without the sign extension and the zeroing gcc puts
 * around __builtin_ctzll's int (2 of the field loop's ~12 instructions). */
static inline __attribute__((always_inline)) uint64_t csv_low_bit(uint64_t s)
{
    uint64_t t;
    __asm__("bsfq %1, %0" : "=r"(t) : "rm"(s) : "cc");
    return t;
}

/* The usual record (no quote, no '\r', its words whole in the block, at
 * most max - 64 fields before its last word) from the masks: 1 as
 * csv_plain_record, 0 to leave it to csv_record (then the masks are
 * dropped). The masks are of the bytes from k->w: those before *pos were
 * taken by the records before (their bits cleared), so the record's fields
 * are the separators' bits, lowest first, up to its line break's. */
static inline int csv_cut_plain(csv_cut *k, char **pos, char *end, csv_field *out, size_t max,
                                size_t *n, size_t *lines)
{
    char *start = *pos;
    const char *w = k->w;
    csv_field *o = out, *room;
    uint64_t sep = k->sep, nl = k->nl, odd = k->odd;

    if (max < 64)
        return 0;
    room = out + (max - 64); /* 64 more fit while o <= room */
    /* k->w set: *pos is in [w, w + 64] (the record before ended there, its
     * line break's bit and those before it cleared); at w + 64 the loop
     * below finds no bit and moves on to the next 64 bytes */
    if (!w) { /* a new start: its own 64 bytes */
        if (end - start < 64)
            return 0;
        w = start;
        csv_masks64(w, &sep, &nl, &odd);
    }
    for (;;) {
        uint64_t upto = nl ^ (nl - 1); /* up to the first line break, included (all: none) */
        uint64_t s = sep & upto;
        if ((odd & upto) || o > room)
            break;
        for (; s; s &= s - 1) { /* the line break, when there is one, the last */
            char *e = (char *)(uintptr_t)w + csv_low_bit(s);
            o->p = start;
            o->len = (size_t)(e - start);
            o++;
            start = e + 1;
        }
        if (nl) {
            k->sep = sep & ~upto;
            k->nl = nl & (nl - 1);
            k->odd = odd; /* none of its bits up to the line break (odd & upto == 0) */
            k->w = w;
            *n = (size_t)(o - out);
            *pos = start;
            ++*lines;
            return 1;
        }
        w += 64; /* the next 64 bytes, whole in the block */
        if (end - w < 64)
            break;
        csv_masks64(w, &sep, &nl, &odd);
    }
    k->w = NULL;
    return 0;
}
#endif

/** One record from *pos, as csv_record cuts it (k: the block's, csv_cut_init). */
static inline int csv_cut_record(csv_cut *k, char **pos, char *end, csv_field *out, size_t max,
                                 size_t *n, size_t *lines)
{
#if defined(__SSE2__) && defined(__x86_64__)
    if (csv_cut_plain(k, pos, end, out, max, n, lines))
        return CSV_OK;
    k->w = NULL;
#else
    (void)k;
#endif
    return csv_record(pos, end, out, max, n, lines);
}

/**
 * A block's records from an index of its separators (do_block's loop):
 * where the CPU has AVX2, BMI1 and POPCNT (csv_index_available), the offsets
 * of the block's ',' and line breaks are written 16 KiB of input at a time
 * into two arrays (csv_index_more: a 64-byte chunk's masks, then its
 * separators' offsets as bits taken lowest first, sixteen of them without a
 * branch on how many there are; with AVX-512 VBMI2, packed by one compress
 * and widened sixteen at a time), and a record of `expect` fields (the
 * header's count) is the one whose expect-th separator from its start is
 * the next line break: its fields' starts and lengths are then written four
 * at a time from the offsets (csv_index_fields). A chunk with a quote or a
 * '\r' stops the index: the records that reach it, and those starting in it,
 * are cut by csv_cut_record, then the index starts again after them (and
 * after 16 such records without one of its own, not in that block); so a
 * record is cut as csv_record cuts it (test_csv `index_equals_cut`,
 * fuzz_csv). The offsets are 32-bit: a block is at most 4 GiB. Without those
 * instructions every record is csv_cut_record's.
 */
#define CSV_INDEX_WINDOW 16384 /* input bytes indexed at a time */
#define CSV_INDEX_CAP    (3 * CSV_INDEX_WINDOW) /* offsets kept, at most (each array) */

typedef struct csv_index {
    char *base, *end;  /* the block: offsets are from base */
    char *done;        /* indexed up to here */
    char *dirty;       /* the chunk with a quote or '\r' the index stopped at; NULL: none */
    char *general;     /* records starting before this are csv_cut_record's */
    uint32_t *sep, *nl; /* the offsets of ',' and line breaks, and of line breaks */
    size_t n_sep, k;   /* offsets in sep; the next record's first */
    size_t n_nl, j;    /* offsets in nl; the next record's line break */
    int on;            /* csv_index_available(): 0 none, 1 AVX2, 2 AVX-512 too */
    unsigned strikes;  /* records cut the general way at a quote or '\r' since the index's last */
    csv_cut cut;
} csv_index;

/** 1 when this CPU has what the index takes (AVX2, BMI1, POPCNT), 2 when it
 *  has AVX-512 (F, BW, VBMI2) too, else 0. */
int csv_index_available(void);

/** The arrays (0), or -1 out of memory. */
int csv_index_init(csv_index *ix);
void csv_index_free(csv_index *ix);

/** Start on the block [buf, end) (a record boundary at buf). */
void csv_index_block(csv_index *ix, char *buf, char *end);

/** More of the block indexed (the offsets before k dropped): 1 when some
 *  were added, 0 at the block's end, at a chunk with a quote or '\r', or
 *  with the arrays full (a record longer than two windows). */
int csv_index_more(csv_index *ix);

/** The m fields of a record from the offsets s[0, m) of its separators (its
 *  line break's the last) and its start at offset `st`. */
void csv_index_fields(char *base, const uint32_t *s, uint32_t st, size_t m, csv_field *out);

/** One record from *pos, as csv_record cuts it (ix: the block's,
 *  csv_index_block; *pos may move only through this). */
static inline int csv_index_record(csv_index *ix, char **pos, char *end, csv_field *out,
                                   size_t max, size_t *n, size_t *lines, size_t expect)
{
    int rc;

    if (*pos >= ix->general) {
        for (;;) {
            if (ix->j < ix->n_nl) {
                uint32_t at = ix->nl[ix->j], st = (uint32_t)(*pos - ix->base);
                uint32_t *s = ix->sep + ix->k;
                size_t last = ix->k + expect - 1, m;
                if (expect && last < ix->n_sep && ix->sep[last] == at) {
                    m = expect; /* the usual record: its expect-th separator its line break */
                } else {
                    /* the line break is among the offsets, after the record's
                     * commas: count them */
                    for (m = 0; s[m] != at; m++)
                        ;
                    m++;
                }
                if (m > max)
                    break;
                csv_index_fields(ix->base, s, st, m, out);
                *n = m;
                *pos = ix->base + at + 1;
                ix->k += m;
                ix->j++;
                ix->strikes = 0;
                ++*lines;
                return CSV_OK;
            }
            if (!ix->on || !csv_index_more(ix))
                break;
        }
    }
    csv_cut_init(&ix->cut); /* its masks' bytes may have been taken since */
    rc = csv_cut_record(&ix->cut, pos, end, out, max, n, lines);
    /* the index again from here, once past the chunk that stopped it */
    ix->done = *pos;
    ix->n_sep = ix->k = ix->n_nl = ix->j = 0;
    if (ix->dirty && ++ix->strikes > 16) {
        ix->general = ix->end; /* quoted records one after another (R's write.csv): the
                                  block's rest is the general way's */
    } else if (ix->dirty && *pos - ix->dirty < 64) {
        ix->general = ix->end - ix->dirty > 64 ? ix->dirty + 64 : ix->end;
    } else {
        ix->general = ix->base;
        ix->dirty = NULL;
    }
    return rc;
}

/**
 * The usual plain number cell, read without a loop: 1 to 8 bytes of digits
 * with at most one point, a digit after it (such as "1179.92"), and 8 bytes
 * readable from p (end: the end of the readable memory). Its value is
 * m / 10^k, m the digits as a whole number and k the digits after the point,
 * both exact in a double: the correctly rounded value, the one strtod and
 * columns_plain_number give (test_csv holds them to it). 1 with *out, or 0
 * for any other cell (the caller reads it the general way).
 */
static inline int csv_short_decimal(const char *p, size_t len, const char *end, double *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const double pow10[8] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t t, mask, pt, at, bad, v, low;
    size_t i = len, k = 0;

    if (len == 0 || len > 8 || end - p < 8)
        return 0;
    memcpy(&t, p, 8);
    mask = len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
    t &= mask;
    if (t & highs)
        return 0;
    pt = t ^ (ones * '.');
    at = (pt - ones) & ~pt & highs & mask; /* the point's byte flagged (its lowest is a true one) */
    if (at) {
        i = (size_t)__builtin_ctzll(at) >> 3;
        if (at & (at - 1) || i + 1 >= len) /* a second point (or a borrow), or none after it */
            return 0;
        k = len - i - 1;
        low = (1ull << (8 * i)) - 1; /* i < 7 here */
        t = (t & low) | ((t >> 8) & ~low); /* the point taken out */
        len--;
        mask >>= 8;
    }
    /* every byte a digit: at most '9' (+ 0x46 stays below 0x80) and at least '0' */
    bad = ((t + ones * 0x46) | ~((t | highs) - ones * '0')) & highs & mask;
    if (bad)
        return 0;
    v = (t - ones * '0') & mask;
    v <<= 8 * (8 - len); /* len digits, the first in byte 8 - len: leading zeros */
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
         (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
    *out = (double)v / pow10[k];
    return 1;
#else
    (void)p, (void)len, (void)end, (void)out;
    return 0;
#endif
}

/** A one-line description of a CSV_* problem. */
const char *csv_problem(int code);

#endif
