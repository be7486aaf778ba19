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

#endif
