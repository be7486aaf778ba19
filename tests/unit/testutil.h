/*
 * testutil.h - shared helpers for the cmocka unit tests.
 *
 * Every unit test binary includes this after <cmocka.h>'s prerequisites.
 */
#ifndef MT_TESTUTIL_H
#define MT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "myotrack.h"

/* Compare two doubles to `tol`, printing both on failure. */
#define assert_close(a, b, tol)                                                                    \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.6f, expected %.6f (tolerance %g)", #a, a_, b_, (double)(tol));        \
    } while (0)

/* Deterministic generators, the same cases on every run: a 64-bit LCG (its
 * top 31 bits returned) and xorshift64. */
static inline unsigned long long mt_test_lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

static inline uint64_t mt_test_xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A shortcut and its slow way gave the same status and, on an error, the
 * same code, field and message. */
static inline void mt_test_same_error(int ra, int rb, const mt_error *ea, const mt_error *eb,
                                      const char *what)
{
    if (ra != rb)
        fail_msg("%s: %d the quick way, %d the slow way", what, ra, rb);
    if (ra != MT_OK && (ea->code != eb->code || strcmp(ea->field, eb->field) != 0 ||
                        strcmp(ea->message, eb->message) != 0))
        fail_msg("%s: \"%s\" the quick way, \"%s\" the slow way", what, ea->message, eb->message);
}

#endif
