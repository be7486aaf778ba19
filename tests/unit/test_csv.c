/*
 * test_csv.c - the record cutter's helpers of `myotrack screen`
 * (src/screen/csv.h): csv_short_decimal, the survey weight's usual cell read
 * without a loop, must give what columns_plain_number gives (the general way,
 * strtod's value) for every cell it takes, bit for bit, and take the usual
 * ones. Cells: every string of up to 4 bytes over digits and a point, and
 * random ones of up to 9 bytes over an alphabet with the near misses ('/' and
 * ':' around the digits, '-', '+', 'e', blanks, a byte >= 0x80, NUL).
 * And csv_count_lines (counted in SSE2 lanes) against a byte loop.
 */
#include "testutil.h"

#include <stdlib.h>

#include "screen/columns.h"
#include "screen/csv.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

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
        len = 1 + next() % 9;
        for (i = 0; i < len; i++) {
            uint64_t r = next();
            s[i] = r % 4 ? digits[r / 4 % 11] : near[r / 4 % (sizeof(near) - 1)];
        }
        if (next() % 50 == 0)
            s[next() % len] = '\0';
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
            buf[i] = dense == 2 ? '\n' : (next() % (dense ? 2 : 40) == 0 ? '\n' : 'a');
        for (off = 0; off < 17; off++)
            for (len = 0; off + len <= size; len += len < 300 ? 1 : 61) {
                for (want = 0, i = off; i < off + len; i++)
                    want += buf[i] == '\n';
                if (csv_count_lines(buf + off, len) != want)
                    fail_msg("offset %zu, %zu bytes: %zu line breaks, counted %zu", off, len, want,
                             csv_count_lines(buf + off, len));
            }
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_decimal_equals_general),
        cmocka_unit_test(count_lines_equals_loop),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
