/*
 * test_csv.c - the record cutter's helpers of `myotrack screen`
 * (src/screen/csv.h): csv_short_decimal, the survey weight's usual cell read
 * without a loop, must give what columns_plain_number gives (the general way,
 * strtod's value) for every cell it takes, bit for bit, and take the usual
 * ones. Cells: every string of up to 4 bytes over digits and a point, and
 * random ones of up to 9 bytes over an alphabet with the near misses ('/' and
 * ':' around the digits, '-', '+', 'e', blanks, a byte >= 0x80, NUL).
 * And csv_count_lines (counted in SSE2 lanes) against a byte loop, and the
 * block's cutter (csv_cut_record, 64 bytes of masks kept from one record to
 * the next) and the index's (csv_index_record) against csv_record_general,
 * record by record; quoted fields read from read-only pages.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "screen/columns.h"
#include "screen/csv.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static long taken;

/* s[0, len) inside a buffer with 8 readable bytes past it, or not. */
static void one(const char *s, size_t len)
{
    char buf[32];
    double a = 0, b = 0;
    int fast, slow;

    memset(buf, 'x', sizeof(buf));
    memcpy(buf, s, len);
    fast = csv_short_decimal(buf, len, buf + sizeof(buf), &a);
    slow = columns_plain_number(buf, len, &b) == 0;
    if (fast) {
        taken++;
        if (!slow || memcmp(&a, &b, sizeof(a)) != 0)
            fail_msg("\"%.*s\": %.17g, the general way %s %.17g", (int)len, s, a,
                     slow ? "reads" : "refuses", b);
    }
    /* the end of readable memory right after the cell: never read past */
    if (csv_short_decimal(buf, len, buf + len, &a) && len < 8)
        fail_msg("\"%.*s\" read with fewer than 8 bytes readable", (int)len, s);
}

static void short_decimal_equals_general(void **state)
{
    static const char digits[] = "0123456789.", near[] = "0123456789./:-+eE \x80\x01";
    char s[16];
    size_t len, i;
    long n, all;

    (void)state;
    for (len = 1; len <= 4; len++) { /* every string over digits and '.' */
        for (all = 1, i = 0; i < len; i++)
            all *= 11;
        for (n = 0; n < all; n++) {
            long x = n;
            for (i = 0; i < len; i++, x /= 11)
                s[i] = digits[x % 11];
            one(s, len);
        }
    }
    for (n = 0; n < 2000000; n++) {
        len = 1 + mt_test_xorshift(&rng) % 9;
        for (i = 0; i < len; i++) {
            uint64_t r = mt_test_xorshift(&rng);
            s[i] = r % 4 ? digits[r / 4 % 11] : near[r / 4 % (sizeof(near) - 1)];
        }
        if (mt_test_xorshift(&rng) % 50 == 0)
            s[mt_test_xorshift(&rng) % len] = '\0';
        one(s, len);
    }
    /* the usual weights are taken */
    assert_true(csv_short_decimal("1179.92,xxxxxxx", 7, "1179.92,xxxxxxx" + 15, &(double){0}));
    assert_true(taken > 500000);
}

/* csv_count_lines counts 64 bytes at a time in byte lanes: the same count as
 * a byte loop, for every length and offset around its rounds, and for runs
 * of line breaks long enough to fill a lane to its limit. */
static void count_lines_equals_loop(void **state)
{
    size_t size = 64 * 63 * 3 + 200, len, off, i, want;
    char *buf = malloc(size);
    int dense;

    (void)state;
    assert_non_null(buf);
    for (dense = 0; dense < 3; dense++) {
        for (i = 0; i < size; i++)
            buf[i] = dense == 2 ? '\n' : (mt_test_xorshift(&rng) % (dense ? 2 : 40) == 0 ? '\n' : 'a');
        for (off = 0; off < 17; off++)
            for (len = 0; off + len <= size; len += len < 300 ? 1 : 61) {
                for (want = 0, i = off; i < off + len; i++)
                    want += buf[i] == '\n';
                if (csv_count_lines(buf + off, len) != want)
                    fail_msg("offset %zu, %zu bytes: %zu line breaks, counted %zu", off, len, want,
                             csv_count_lines(buf + off, len));
                if (csv_count_lines_narrow(buf + off, len) != want) /* the AVX2 way's twin */
                    fail_msg("offset %zu, %zu bytes: %zu line breaks, counted %zu the narrow way",
                             off, len, want, csv_count_lines_narrow(buf + off, len));
            }
    }
    free(buf);
    print_message("csv_count_lines: AVX2 way %s\n", csv_wide_available() ? "tested too" : "not on this CPU");
}

/* One record as a cutter gave it (ra, its end pa, its line count la, its
 * fields f[0, na), all in block a) and as csv_record_general gave it in the
 * copy b: the same problem, end, line count and fields (offsets, lengths,
 * bytes); `what` says more of the cutter in a failure. */
static void same_cut(const char *what, int ra, const char *a, const char *pa, size_t la,
                     const csv_field *f, size_t na, int rb, const char *b, const char *pb,
                     size_t lb, const csv_field *g, size_t nb)
{
    size_t i;

    if (ra != rb || pa - a != pb - b || la != lb)
        fail_msg("record at %zu%s: %d %td %zu, general %d %td %zu", (size_t)(pb - b), what, ra,
                 pa - a, la, rb, pb - b, lb);
    if (ra != CSV_OK)
        return;
    if (na != nb)
        fail_msg("%zu fields, general %zu", na, nb);
    for (i = 0; i < na; i++)
        if (f[i].p - a != g[i].p - b || f[i].len != g[i].len ||
            memcmp(f[i].p, g[i].p, f[i].len) != 0)
            fail_msg("field %zu differs", i);
}

/* A block cut record by record with csv_cut_record, and a copy of it with
 * csv_record_general: the same problems, positions, line counts and fields
 * (offsets, lengths, bytes). Blocks of random records over an alphabet of
 * plain bytes, separators, quotes, '\r' and blanks, from plain ones (the
 * fast way's) to dense ones, records long and short around the 64 bytes of
 * the masks; `max` below, at and above 64. Returns the records the fast way
 * (csv_cut_plain) took. */
static long cut_block(const char *text, size_t size, size_t max)
{
    char *a = malloc(size + 1), *b = malloc(size + 1), *pa = a, *pb = b;
    csv_field *f = malloc((max + 1) * sizeof(*f)), *g = malloc((max + 1) * sizeof(*g));
    size_t la = 0, lb = 0, na = 0, nb = 0;
    long fast = 0;
    csv_cut k;

    assert_true(a && b && f && g);
    memcpy(a, text, size);
    memcpy(b, text, size);
    csv_cut_init(&k);
    while (pa < a + size) {
        int ra, rb;
#if defined(__SSE2__) && defined(__x86_64__)
        {
            char *q = pa;
            size_t lq = la;
            csv_cut k2 = k;
            if (csv_cut_plain(&k2, &q, a + size, f, max, &na, &lq))
                fast++;
        }
#endif
        ra = csv_cut_record(&k, &pa, a + size, f, max, &na, &la);
        rb = csv_record_general(&pb, b + size, g, max, &nb, &lb);
        same_cut("", ra, a, pa, la, f, na, rb, b, pb, lb, g, nb);
    }
    free(a);
    free(b);
    free(f);
    free(g);
    return fast;
}

static void cut_equals_general(void **state)
{
    static const char dense[] = "ab1,,,\n\n\"\r ";
    size_t size, i, kind, rep;
    char *buf = malloc(4096);
    long fast = 0;

    (void)state;
    assert_non_null(buf);
    for (kind = 0; kind < 4; kind++)
        for (rep = 0; rep < 400; rep++) {
            size = (size_t)(mt_test_xorshift(&rng) % 1500);
            for (i = 0; i < size; i++) {
                uint64_t x = mt_test_xorshift(&rng);
                if (kind == 3) { /* dense: every byte from the alphabet */
                    buf[i] = dense[x % (sizeof(dense) - 1)];
                } else { /* plain records of about 8, 40 or 120 bytes, a quote or '\r' now and then */
                    unsigned per = kind == 0 ? 8 : kind == 1 ? 40 : 120;
                    buf[i] = x % per == 0 ? '\n' : x % 4 == 0 ? ',' : (char)('a' + x % 26);
                    if (x % 3000 == 1)
                        buf[i] = '"';
                    else if (x % 3000 == 2)
                        buf[i] = '\r';
                }
            }
            fast += cut_block(buf, size, 4096);
            fast += cut_block(buf, size, 64);
            fast += cut_block(buf, size, 63);
            fast += cut_block(buf, size, 70);
            fast += cut_block(buf, size, 3);
        }
#if defined(__SSE2__) && defined(__x86_64__)
    assert_true(fast > 10000); /* the fast way was taken, and held to the general one */
#endif
    free(buf);
}

/* A block cut record by record with the index's cutter (csv_index_record,
 * expecting `expect` fields), and a copy with csv_record_general: the same
 * as cut_block holds csv_cut_record to. The records the index took (it
 * leaves its offsets; the general way clears them). */
static long index_block(csv_index *ix, const char *text, size_t size, size_t max, size_t expect)
{
    char *a = malloc(size + 1), *b = malloc(size + 1), *pa = a, *pb = b, what[64];
    csv_field *f = malloc((max + 1) * sizeof(*f)), *g = malloc((max + 1) * sizeof(*g));
    size_t la = 0, lb = 0, na = 0, nb = 0;
    long fast = 0;

    assert_true(a && b && f && g);
    snprintf(what, sizeof(what), " (expecting %zu, at most %zu)", expect, max);
    memcpy(a, text, size);
    memcpy(b, text, size);
    csv_index_block(ix, a, a + size);
    while (pa < a + size) {
        int ra = csv_index_record(ix, &pa, a + size, f, max, &na, &la, expect),
            rb = csv_record_general(&pb, b + size, g, max, &nb, &lb);
        fast += ix->n_sep != 0;
        same_cut(what, ra, a, pa, la, f, na, rb, b, pb, lb, g, nb);
    }
    free(a);
    free(b);
    free(f);
    free(g);
    return fast;
}

/* Blocks of random records of n fields (some ragged: one more or fewer, a
 * blank line), plain or with a quote or '\r' now and then, or dense with
 * them, or dense with separators alone (more than 32 in a chunk); small and
 * past the index's windows (CSV_INDEX_WINDOW); one record longer than two
 * windows; expecting n, another count, or none; each way the CPU has. */
static void index_equals_cut(void **state)
{
    static const char dense[] = "ab1,,,\n\n\"\r ";
    enum { BIG = 3 * CSV_INDEX_WINDOW + 5000 };
    char *buf = malloc(BIG);
    size_t size, i, kind, rep;
    long fast = 0;
    int way;
    csv_index ix;

    (void)state;
    assert_non_null(buf);
    assert_int_equal(csv_index_init(&ix), 0);
    for (kind = 0; kind < 6; kind++)
        for (rep = 0; rep < (kind == 4 ? 4 : 120); rep++) {
            size_t n = 1 + (size_t)(mt_test_xorshift(&rng) % 24), field = 0;
            size = kind == 4 ? BIG : (size_t)(mt_test_xorshift(&rng) % (rep % 10 ? 3000 : BIG));
            for (i = 0; i < size; i++) {
                uint64_t x = mt_test_xorshift(&rng);
                if (kind == 3) {
                    buf[i] = dense[x % (sizeof(dense) - 1)];
                } else if (kind == 5) { /* separators dense, no quote: 33 to 64 in a chunk */
                    buf[i] = ",,,a,\n,,"[x % 8];
                } else if (kind == 4) { /* one record of 2 fields, two windows and more long */
                    buf[i] = i == size - 1 ? '\n' : i == 7 ? ',' : (char)('a' + x % 26);
                } else if (x % 5 == 0) { /* the field ends: a comma, or the record's break */
                    int ragged = x % 997 == 0 ? 1 : x % 991 == 0 ? -1 : 0;
                    buf[i] = ++field >= n + (size_t)ragged || x % 1999 == 0 ? '\n' : ',';
                    if (buf[i] == '\n')
                        field = 0;
                } else {
                    buf[i] = (char)('a' + x % 26);
                    if (kind == 1 && x % 4000 == 1)
                        buf[i] = '"';
                    else if (kind == 1 && x % 4000 == 2)
                        buf[i] = '\r';
                    else if (kind == 2 && x % 300 == 1)
                        buf[i] = '"';
                }
            }
            for (way = 1; way <= csv_index_available(); way++) { /* AVX2, then AVX-512 */
                ix.on = way;
                fast += index_block(&ix, buf, size, 4096, n);
                fast += index_block(&ix, buf, size, 4096, n + 1);
                fast += index_block(&ix, buf, size, 4096, 0);
                fast += index_block(&ix, buf, size, n > 2 ? n - 2 : 1, n);
            }
            ix.on = 0;
            index_block(&ix, buf, size, 4096, n); /* without: csv_cut_record's way alone */
        }
    if (csv_index_available())
        assert_true(fast > 10000 * csv_index_available()); /* the index was taken, and held to
                                                               the general way */
    print_message("csv_index: %s\n", csv_index_available() == 2 ? "AVX2 and AVX-512 ways tested"
                                      : csv_index_available()    ? "AVX2 way tested"
                                                                 : "not on this CPU");
    csv_index_free(&ix);
    free(buf);
}

/* A quoted field without a doubled quote is read where it lies, never
 * written: the block is a private mapping of the file, and a page written is
 * copied (a fault that stops the other threads to flush their TLBs: the
 * quoted files of R's write.csv ran 2x slower and did not scale). The
 * records are in pages made read-only, so a write would end the test; their
 * fields, line counts and results are the general way's on a writable copy. */
static void quoted_fields_read_in_place(void **state)
{
    static const char text[] = "\"id\",\"sex\",\"age\"\r\n"
                               "\"1\",\"male\",70\r\n"
                               "\"a\nb\",\"fe\nmale\",\"\"\r\n"
                               "\"x,y\",,\"\"z\n"
                               "\"z\",\"open";
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = sizeof(text) - 1, lines = 0, n = 0;
    char *m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *pos, *end, copy[sizeof(text)];
    csv_field f[8];
    static const char *const want[][3] = {
        {"id", "sex", "age"}, {"1", "male", "70"}, {"a\nb", "fe\nmale", ""}};

    (void)state;
    assert_true(m != MAP_FAILED);
    memcpy(m, text, len);
    memcpy(copy, text, len);
    assert_int_equal(mprotect(m, page, PROT_READ), 0);
    pos = m;
    end = m + len;
    for (size_t r = 0; r < 3; r++) {
        assert_int_equal(csv_record_general(&pos, end, f, 8, &n, &lines), CSV_OK);
        assert_int_equal(n, 3);
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(f[i].len, strlen(want[r][i]));
            assert_memory_equal(f[i].p, want[r][i], f[i].len);
        }
    }
    assert_int_equal(lines, 5); /* three records, two breaks inside quotes */
    /* a record that is not closed, or has text after its closing quote: the
     * same results as on a copy, and still nothing written */
    assert_int_equal(csv_record_general(&pos, end, f, 8, &n, &lines), CSV_BAD_QUOTE);
    assert_int_equal(csv_record_general(&pos, end, f, 8, &n, &lines), CSV_OPEN_QUOTE);
    assert_true(pos == end);
    assert_int_equal(lines, 6);
    assert_memory_equal(m, copy, len);
    /* and a doubled quote is unquoted (on the writable copy) */
    {
        char d[] = "\"say \"\"hi\"\"\",2\n";
        pos = d;
        assert_int_equal(csv_record_general(&pos, d + sizeof(d) - 1, f, 8, &n, &lines), CSV_OK);
        assert_int_equal(f[0].len, 8);
        assert_memory_equal(f[0].p, "say \"hi\"", 8);
    }
    munmap(m, page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_decimal_equals_general),
        cmocka_unit_test(count_lines_equals_loop),
        cmocka_unit_test(cut_equals_general),
        cmocka_unit_test(index_equals_cut),
        cmocka_unit_test(quoted_fields_read_in_place),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
