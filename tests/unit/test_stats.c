/*
 * test_stats.c - the statistics of `myotrack screen` (src/screen/stats.c):
 * Student's t quantile, the Wilson and Kish intervals, and the Taylor-
 * linearised ratio with its logit interval, domain degrees of freedom and
 * edge cases.
 *
 * Every expected value is worked out by hand in the comment beside it, from
 * the formulas of docs/statistics.md; the arithmetic was carried to 30 digits
 * with Python's mpmath as a calculator, never by running the C code. The t
 * quantiles are R's published values or were computed twice with mpmath 1.3.0
 * (mp.dps = 40), by two independent routes that agree to 35 digits or more:
 *   (a) solving 1/2 I_{df/(df+t^2)}(df/2, 1/2) = 1 - p with mp.betainc
 *       (the regularised incomplete beta) and mp.findroot;
 *   (b) solving 1/2 + integral_0^t f(x) dx = p, the density
 *       f(x) = Gamma((df+1)/2) / (sqrt(df pi) Gamma(df/2)) (1 + x^2/df)^(-(df+1)/2)
 *       integrated with mp.quad.
 * Closed forms (df = 1, 2, 4) are computed in the test itself.
 */
#include "testutil.h"

#include <pthread.h>

#include <stdio.h>

#include "screen/stats.h"

/* |a - b| <= rel * |b|, printing both to 17 digits on failure. */
#define assert_rel(a, b, rel)                                                                      \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (rel)*fabs(b_)))                                                    \
            fail_msg("%s = %.17g, expected %.17g (relative tolerance %g)", #a, a_, b_,             \
                     (double)(rel));                                                               \
    } while (0)

/* |a - b| <= tol, printing both to 17 digits on failure. */
#define assert_near(a, b, tol)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, a_, b_, (double)(tol));      \
    } while (0)

#define assert_nan(a)                                                                              \
    do {                                                                                           \
        double a_ = (a);                                                                           \
        if (!isnan(a_))                                                                            \
            fail_msg("%s = %.17g, expected NAN", #a, a_);                                          \
    } while (0)

/* Percents are checked to 1e-9 percentage points: far below anything printed,
 * far above the rounding of a dozen operations on numbers of order 100. */
#define PCT_TOL 1e-9

static const double PI_ = 3.14159265358979323846;

/* --- sv_t_quantile ------------------------------------------------------- */

static void t_quantile_matches_r(void **state)
{
    (void)state;
    /* R: qt(0.975, df) and qnorm(0.975), as printed to 15 significant digits. */
    assert_rel(sv_t_quantile(0.975, 1), 12.7062047361747, 1e-12);
    assert_rel(sv_t_quantile(0.975, 2), 4.30265272974946, 1e-12);
    assert_rel(sv_t_quantile(0.975, 15), 2.13144954555978, 1e-12);
    assert_rel(sv_t_quantile(0.975, 30), 2.04227245630124, 1e-12);
    assert_rel(sv_t_quantile(0.975, 1000), 1.96233908082641, 1e-12);
    assert_rel(sv_t_quantile(0.975, INFINITY), 1.95996398454005, 1e-12);
    /* SV_Z95 is the same normal quantile. */
    assert_rel(sv_t_quantile(0.975, INFINITY), SV_Z95, 1e-15);
}

static void t_quantile_closed_forms(void **state)
{
    static const double ps[] = {0.5000001, 0.6, 0.75, 0.9, 0.975, 0.99, 0.999999, 0.01, 1e-5};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double p = ps[i];
        double q = p < 0.5 ? p : 1 - p;
        /* df = 1 (Cauchy): t = tan(pi (p - 1/2)); towards p = 0 or 1, where
         * that argument nears pi/2 and tan loses digits, the same as
         * sign(p - 1/2) / tan(pi q) with q = min(p, 1 - p). */
        double t1 = q > 0.25 ? tan(PI_ * (p - 0.5)) : (p < 0.5 ? -1 : 1) / tan(PI_ * q);
        assert_rel(sv_t_quantile(p, 1), t1, 1e-12);
        /* df = 2: t = (2p - 1) / sqrt(2 p (1 - p)). */
        assert_rel(sv_t_quantile(p, 2), (2 * p - 1) / sqrt(2 * p * (1 - p)), 1e-12);
        /* df = 4: with a = 4p(1-p), theta = acos(sqrt(a)),
         * t = sign(p - 1/2) 2 sqrt(cos(theta/3) / sqrt(a) - 1). Its own
         * cancellation near p = 1/2 leaves that point out. */
        if (fabs(p - 0.5) > 1e-3) {
            double a = 4 * p * (1 - p), th = acos(sqrt(a));
            double t4 = 2 * sqrt(cos(th / 3) / sqrt(a) - 1);
            assert_rel(sv_t_quantile(p, 4), p > 0.5 ? t4 : -t4, 1e-10);
        }
    }
    /* Far tail of the Cauchy: tan(pi (p - 1/2)) = -cot(pi p) = -1/(pi p) to
     * within a relative (pi p)^2 / 3. */
    assert_rel(sv_t_quantile(1e-300, 1), -1.0 / (PI_ * 1e-300), 1e-12);
    assert_rel(sv_t_quantile(1e-20, 1), -1.0 / (PI_ * 1e-20), 1e-12);
}

static void t_quantile_fractional_df_and_other_p(void **state)
{
    (void)state;
    /* mpmath, routes (a) and (b) of the header, 20 digits shown. */
    assert_rel(sv_t_quantile(0.975, 2.5), 3.5746548420036832185, 1e-12);
    assert_rel(sv_t_quantile(0.9, 7.3), 1.4089223177480419966, 1e-12);
    assert_rel(sv_t_quantile(0.6, 1.5), 0.300745392569795423, 1e-12);
    assert_rel(sv_t_quantile(0.995, 4), 4.6040948713499932254, 1e-12);
    assert_rel(sv_t_quantile(0.05, 10), -1.8124611228116764136, 1e-12);
    assert_rel(sv_t_quantile(0.999, 15), 3.7328344253109002666, 1e-12);
    assert_rel(sv_t_quantile(0.000001, 3), -103.29946778041934274, 1e-12);
    /* Either side of the switch to the Cornish-Fisher expansion (df = 1e4);
     * 1e5: route (a) only (mp.quad is slow there). */
    assert_rel(sv_t_quantile(0.975, 9999.99), 1.9602012401279100758, 1e-12);
    assert_rel(sv_t_quantile(0.975, 10000), 1.9602012398906262578, 1e-12);
    assert_rel(sv_t_quantile(0.975, 100000), 1.9599877075346096386, 1e-12);
}

static void t_quantile_limits_and_symmetry(void **state)
{
    static const double dfs[] = {1, 1.5, 2, 3, 7.3, 15, 30, 120, 5000, 20000, 1e9};
    size_t i;
    (void)state;
    assert_true(sv_t_quantile(0.5, 3) == 0.0);
    assert_true(isinf(sv_t_quantile(0.0, 3)) && sv_t_quantile(0.0, 3) < 0);
    assert_true(isinf(sv_t_quantile(1.0, 3)) && sv_t_quantile(1.0, 3) > 0);
    assert_true(isinf(sv_t_quantile(-0.5, 3)) && sv_t_quantile(-0.5, 3) < 0);
    assert_nan(sv_t_quantile(0.975, 0.999));
    assert_nan(sv_t_quantile(0.975, 0));
    assert_nan(sv_t_quantile(0.975, -3));
    assert_nan(sv_t_quantile(NAN, 3));
    assert_nan(sv_t_quantile(0.975, NAN));
    /* Beyond the largest double: the Cauchy quantile of 5e-324 is -6e322. */
    assert_true(isinf(sv_t_quantile(5e-324, 1)));
    for (i = 0; i < sizeof dfs / sizeof dfs[0]; i++) {
        double up = sv_t_quantile(0.975, dfs[i]);
        /* t(1 - p) = -t(p). */
        assert_rel(sv_t_quantile(0.025, dfs[i]), -up, 1e-13);
        /* Heavier tails than the normal, shrinking as df grows. */
        assert_true(up > SV_Z95);
        if (i > 0)
            assert_true(up < sv_t_quantile(0.975, dfs[i - 1]));
    }
}

/* --- sv_wilson ------------------------------------------------------------ */

static void wilson_3_of_10(void **state)
{
    sv_est e;
    (void)state;
    /* z = 1.959963984540054, z^2 = 3.841458820694125; p = 0.3, n = 10.
     * z^2/n = 0.3841458820694125; denominator 1 + z^2/n = 1.3841458820694125.
     * centre = (0.3 + 0.19207294103470625) / 1.3841458820694125
     *        = 0.49207294103470625 / 1.3841458820694125 = 0.35550655997257784
     * half   = z / 1.3841458820694125 * sqrt(0.3*0.7/10 + 3.841458820694125/400)
     *        = 1.4160096922802283 * sqrt(0.021 + 0.0096036470517353)
     *        = 1.4160096922802283 * 0.17493898093831264 = 0.24771529256627681
     * lo = 0.10779126740630103, hi = 0.60322185253885465. */
    e = sv_wilson(3, 10);
    assert_near(e.percent, 30.0, PCT_TOL);
    assert_near(e.lo, 10.779126740630103392, PCT_TOL);
    assert_near(e.hi, 60.322185253885464789, PCT_TOL);
}

static void wilson_0_of_5(void **state)
{
    sv_est e;
    (void)state;
    /* p = 0: centre = (z^2/10) / (1 + z^2/5) and half = (z / (1 + z^2/5)) *
     * sqrt(z^2/100) = (z^2/10) / (1 + z^2/5): lo = centre - half = 0 and
     * hi = 2 centre = (z^2/5) / (1 + z^2/5) = z^2 / (5 + z^2)
     *    = 3.841458820694125 / 8.841458820694125 = 0.43448246478317476. */
    e = sv_wilson(0, 5);
    assert_true(e.percent == 0.0);
    assert_true(e.lo == 0.0);
    assert_near(e.hi, 43.448246478317476108, PCT_TOL);
}

static void wilson_5_of_5(void **state)
{
    sv_est e;
    (void)state;
    /* The mirror image of 0 of 5: hi = 1, lo = 5 / (5 + z^2)
     *    = 5 / 8.841458820694125 = 0.56551753521682524. */
    e = sv_wilson(5, 5);
    assert_true(e.percent == 100.0);
    assert_true(e.hi == 100.0);
    assert_near(e.lo, 56.551753521682523892, PCT_TOL);
}

static void wilson_refuses_what_is_no_proportion(void **state)
{
    sv_est e;
    (void)state;
    e = sv_wilson(0, 0); /* n = 0: nothing evaluated */
    assert_nan(e.percent);
    assert_nan(e.lo);
    assert_nan(e.hi);
    assert_nan(sv_wilson(1, -2).percent);
    assert_nan(sv_wilson(6, 5).percent);
    assert_nan(sv_wilson(-1, 5).percent);
    assert_nan(sv_wilson(NAN, 5).lo);
    assert_nan(sv_wilson(1, INFINITY).hi);
    /* met above n by rounding only (sums added in another order): 100 %. */
    e = sv_wilson(5.0 * (1 + 1e-15), 5);
    assert_true(e.percent == 100.0 && e.hi == 100.0);
    assert_near(e.lo, 56.551753521682523892, PCT_TOL);
}

/* --- sv_kish -------------------------------------------------------------- */

static void kish_five_weighted_rows(void **state)
{
    sv_est e;
    (void)state;
    /* Rows (w, met): (1, 1) (2, 0) (3, 1) (4, 0) (10, 1).
     * sum w = 20, sum w met = 1 + 3 + 10 = 14, sum w^2 = 1 + 4 + 9 + 16 + 100 = 130.
     * p = 14/20 = 0.7; n_eff = 20^2 / 130 = 40/13 = 3.0769230769230769.
     * z^2/n_eff = 3.841458820694125 * 13/40 = 1.2484741167255906;
     * denominator 2.2484741167255906.
     * centre = (0.7 + 0.6242370583627953) / 2.2484741167255906 = 0.58894921160633867
     * half   = z / 2.2484741167255906 * sqrt(0.21 / n_eff + z^2 / (4 n_eff^2))
     *        = 0.87168625600827980 * sqrt(0.06825 + 0.10143852198395424)
     *        = 0.87168625600827980 * 0.41193266680848976 = 0.35907604405779863
     * lo = 0.22987316754854005, hi = 0.94802525566413730. */
    e = sv_kish(14, 20, 130);
    assert_near(e.percent, 70.0, PCT_TOL);
    assert_near(e.lo, 22.987316754854004533, PCT_TOL);
    assert_near(e.hi, 94.802525566413729815, PCT_TOL);
}

static void kish_equal_weights_is_wilson(void **state)
{
    sv_est k, w;
    (void)state;
    /* Ten rows of weight 2.5, three met: sum w = 25, sum w met = 7.5,
     * sum w^2 = 62.5, n_eff = 625 / 62.5 = 10: Wilson's 3 of 10. */
    k = sv_kish(7.5, 25, 62.5);
    w = sv_wilson(3, 10);
    assert_near(k.percent, w.percent, PCT_TOL);
    assert_near(k.lo, w.lo, PCT_TOL);
    assert_near(k.hi, w.hi, PCT_TOL);
    assert_near(k.lo, 10.779126740630103392, PCT_TOL);
}

static void kish_without_weight_is_nan(void **state)
{
    sv_est e;
    (void)state;
    e = sv_kish(0, 0, 0); /* zero total weight */
    assert_nan(e.percent);
    assert_nan(e.lo);
    assert_nan(e.hi);
    assert_nan(sv_kish(1, 2, 0).percent);
    /* Negative weights (the CLI refuses them): a ratio outside [0, 1] is
     * refused, not an out-of-range interval. */
    assert_nan(sv_kish(3, -1, 10).percent);
    assert_nan(sv_kish(-3, 1, 10).percent);
    assert_nan(sv_kish(1, 2, NAN).percent);
}

/* --- sv_taylor ------------------------------------------------------------ */

/* 2 strata x 2 PSUs; (wx, wy) per PSU:
 *   stratum 0: A (10, 3), B (8, 5);  stratum 1: C (12, 2), D (10, 6). */
static const int s2x2[] = {0, 0, 1, 1};
static const double wx2x2[] = {10, 8, 12, 10};
static const double wy2x2[] = {3, 5, 2, 6};

static void taylor_two_strata_two_psus(void **state)
{
    sv_design d = {4, s2x2, 2};
    double se = 0;
    sv_est e;
    (void)state;
    /* X = sum wx = 40, Y = sum wy = 16, p = 0.4.
     * z = (wy - 0.4 wx) / 40:
     *   A (3 - 4)/40 = -0.025   B (5 - 3.2)/40 = 0.045
     *   C (2 - 4.8)/40 = -0.07  D (6 - 4)/40 = 0.05        (sum 0)
     * With two PSUs, n/(n-1) sum (z - zbar)^2 = 2 * 2 ((z1 - z2)/2)^2 = (z1 - z2)^2:
     *   stratum 0: (-0.025 - 0.045)^2 = 0.0049; stratum 1: (-0.07 - 0.05)^2 = 0.0144.
     * var = 0.0193, se = 0.13892443989449805 -> 13.892443989449805 %.
     * df = 4 PSUs - 2 strata = 2; t = qt(0.975, 2) = 0.95 / sqrt(0.04875) = 4.3026527297494639.
     * logit(0.4) = log(2/3) = -0.40546510810816438;
     * se of the logit = se / (0.4 * 0.6) = 0.13892443989449805 / 0.24 = 0.57885183289374185;
     * half width t * 0.57885183289374185 = 2.4905984189207389.
     * lo = expit(-2.8960635270289033) = 0.052348500396573435,
     * hi = expit(2.0851333108125745) = 0.88944979586402638. */
    e = sv_taylor(&d, wx2x2, wy2x2, &se);
    assert_near(e.percent, 40.0, PCT_TOL);
    assert_near(se, 13.892443989449804508, PCT_TOL);
    assert_near(e.lo, 5.2348500396573435382, PCT_TOL);
    assert_near(e.hi, 88.944979586402638187, PCT_TOL);
    assert_int_equal(sv_taylor_df(&d, wx2x2, wy2x2), 2);
    /* Away from 0 and 100 % sv_taylor_n is sv_taylor: n_bound is unused. */
    e = sv_taylor_n(&d, wx2x2, wy2x2, 7, NULL);
    assert_near(e.lo, 5.2348500396573435382, PCT_TOL);
    assert_near(e.hi, 88.944979586402638187, PCT_TOL);
}

/* 3 strata; (wx, wy) per PSU:
 *   stratum 0: A (5, 1), B (4, 2), C (6, 0)
 *   stratum 1: D (6, 3), E (0, 0), F (4, 1)   E holds no one of the domain
 *   stratum 2: G (8, 4)                       a single PSU */
static const int s3[] = {0, 0, 0, 1, 1, 1, 2};
static const double wx3[] = {5, 4, 6, 6, 0, 4, 8};
static const double wy3[] = {1, 2, 0, 3, 0, 1, 4};

static void taylor_three_strata_domain_and_single_psu(void **state)
{
    sv_design d = {7, s3, 3};
    double se = 0;
    sv_est e;
    (void)state;
    /* X = 5+4+6+6+0+4+8 = 33, Y = 1+2+0+3+0+1+4 = 11, p = 1/3.
     * z = (wy - wx/3) / 33, in units of 1/99:
     *   A (1 - 5/3)/33 = -2   B (2 - 4/3)/33 = 2   C (0 - 2)/33 = -6
     *   D (3 - 2)/33 = 3      E 0                  F (1 - 4/3)/33 = -1
     *   G (4 - 8/3)/33 = 4                                        (sum 0)
     * stratum 0: mean -2, deviations 0, 4, -4, sum of squares 32, x 3/2 = 48;
     * stratum 1 (E enters with its zero, n_h = 3): mean 2/3, deviations
     *   7/3, -2/3, -5/3, sum of squares (49 + 4 + 25)/9 = 26/3, x 3/2 = 13;
     * stratum 2: one PSU, certainty: 0.
     * var = (48 + 13) / 99^2 = 61/9801, se = sqrt(61)/99 = 0.078891410867743984.
     * df: PSUs holding some of the domain (A B C D F G = 6) - their strata (3) = 3;
     * t = qt(0.975, 3) = 3.1824463052837096 (mpmath, routes (a) and (b)).
     * logit(1/3) = -log 2; se of the logit = (sqrt(61)/99) / (2/9) = sqrt(61)/22
     *   = 0.35501134890484793; half width 3.1824463052837096 * that = 1.1298045556560192.
     * lo = expit(-1.8229517362159645) = 0.13908006484229651,
     * hi = expit(0.43665737509607390) = 0.60746226255959403. */
    e = sv_taylor(&d, wx3, wy3, &se);
    assert_near(e.percent, 100.0 / 3.0, PCT_TOL);
    assert_near(se, 7.8891410867743983779, PCT_TOL);
    assert_near(e.lo, 13.908006484229651117, PCT_TOL);
    assert_near(e.hi, 60.746226255959403075, PCT_TOL);
    assert_int_equal(sv_taylor_df(&d, wx3, wy3), 3);
}

static void taylor_domain_is_not_a_subset_design(void **state)
{
    /* The design of the previous test without PSU E: stratum 1 is D, F only.
     * Stratum 1 then gives (3 - (-1))^2 = 16 (in 1/99^2) instead of 13, so
     * var = 64/9801 and se = 8/99 = 0.080808080808080808: dropping the
     * domain's empty PSUs changes the variance. */
    static const int s[] = {0, 0, 0, 1, 1, 2};
    static const double wx[] = {5, 4, 6, 6, 4, 8};
    static const double wy[] = {1, 2, 0, 3, 1, 4};
    sv_design d = {6, s, 3};
    double se = 0;
    (void)state;
    (void)sv_taylor(&d, wx, wy, &se);
    assert_near(se, 8.0808080808080808081, PCT_TOL);
}

static void taylor_domain_degrees_of_freedom(void **state)
{
    /* The same design with E holding some of the domain: every PSU counts,
     * 7 PSUs - 3 strata = 4 (R's degf of the whole design). */
    static const double wx[] = {5, 4, 6, 6, 2, 4, 8};
    static const double wy[] = {1, 2, 0, 3, 0, 1, 4};
    sv_design d = {7, s3, 3};
    (void)state;
    assert_int_equal(sv_taylor_df(&d, wx, wy), 4);
    assert_int_equal(sv_taylor_df(&d, wx3, wy3), 3);
}

static void taylor_single_psu_strata_give_no_df(void **state)
{
    /* Two strata of one PSU each: 2 PSUs - 2 strata = 0 degrees of freedom,
     * and no variance (both strata are certainties). The percent is given,
     * the interval is not: (3 + 1) / (10 + 10) = 20 %. */
    static const int s[] = {0, 1};
    static const double wx[] = {10, 10};
    static const double wy[] = {3, 1};
    sv_design d = {2, s, 2};
    double se = -1;
    sv_est e;
    (void)state;
    e = sv_taylor(&d, wx, wy, &se);
    assert_near(e.percent, 20.0, PCT_TOL);
    assert_nan(e.lo);
    assert_nan(e.hi);
    assert_true(se == 0.0);
    assert_int_equal(sv_taylor_df(&d, wx, wy), 0);
}

static void taylor_domain_in_one_psu_per_stratum_has_no_df(void **state)
{
    /* The 2 x 2 design with the domain in A and C only: 2 PSUs - 2 strata. */
    static const double wx[] = {10, 0, 12, 0};
    static const double wy[] = {3, 0, 2, 0};
    sv_design d = {4, s2x2, 2};
    sv_est e;
    (void)state;
    e = sv_taylor(&d, wx, wy, NULL);
    /* (3 + 2) / (10 + 12) = 5/22 */
    assert_near(e.percent, 500.0 / 22.0, PCT_TOL);
    assert_nan(e.lo);
    assert_int_equal(sv_taylor_df(&d, wx, wy), 0);
}

static void taylor_zero_percent_falls_back_to_wilson_with_t(void **state)
{
    static const double none[] = {0, 0, 0, 0};
    sv_design d = {4, s2x2, 2};
    double se = -1;
    sv_est e;
    (void)state;
    /* Nobody met: p = 0, every z = 0, se = 0; the logit has no interval.
     * Wilson at n = 20 with t = qt(0.975, 2) in place of z:
     * t^2 = 0.9025 / 0.04875 = 722/39 = 18.512820512820513;
     * lo = 0, hi = t^2 / (20 + t^2) = 722 / (780 + 722) = 722/1502 = 0.48069241011984021. */
    e = sv_taylor_n(&d, wx2x2, none, 20, &se);
    assert_true(e.percent == 0.0);
    assert_true(e.lo == 0.0);
    assert_near(e.hi, 48.069241011984021305, PCT_TOL);
    assert_true(se == 0.0);
    /* Without a sample size (sv_taylor, or n_bound NAN or 0) there is no interval. */
    e = sv_taylor(&d, wx2x2, none, NULL);
    assert_true(e.percent == 0.0);
    assert_nan(e.lo);
    assert_nan(e.hi);
    assert_nan(sv_taylor_n(&d, wx2x2, none, NAN, NULL).hi);
    assert_nan(sv_taylor_n(&d, wx2x2, none, 0, NULL).hi);
}

static void taylor_hundred_percent_falls_back_to_wilson_with_t(void **state)
{
    sv_design d = {4, s2x2, 2};
    sv_est e;
    (void)state;
    /* Everyone met (wy = wx): p = 1; lo = 20 / (20 + t^2) = 780/1502
     * = 0.51930758988015979, hi = 1. */
    e = sv_taylor_n(&d, wx2x2, wx2x2, 20, NULL);
    assert_true(e.percent == 100.0);
    assert_true(e.hi == 100.0);
    assert_near(e.lo, 51.930758988015978695, PCT_TOL);
}

static void taylor_without_weight_is_nan(void **state)
{
    static const double none[] = {0, 0, 0, 0};
    sv_design d = {4, s2x2, 2};
    double se = 0;
    sv_est e;
    (void)state;
    e = sv_taylor(&d, none, none, &se);
    assert_nan(e.percent);
    assert_nan(e.lo);
    assert_nan(e.hi);
    assert_nan(se);
    assert_int_equal(sv_taylor_df(&d, none, none), 0);
}

static void taylor_refuses_a_malformed_design(void **state)
{
    static const int bad[] = {0, 0, 2, 1};
    static const int neg[] = {0, -1, 1, 1};
    sv_design d = {4, bad, 2};
    double se = 0;
    (void)state;
    assert_nan(sv_taylor(&d, wx2x2, wy2x2, &se).percent);
    assert_nan(se);
    assert_int_equal(sv_taylor_df(&d, wx2x2, wy2x2), -1);
    d.stratum = neg;
    assert_nan(sv_taylor(&d, wx2x2, wy2x2, NULL).percent);
    d.stratum = s2x2;
    d.n_strata = 0;
    assert_nan(sv_taylor(&d, wx2x2, wy2x2, NULL).percent);
    d.n_strata = 2;
    d.n_psu = 0;
    assert_nan(sv_taylor(&d, wx2x2, wy2x2, NULL).percent);
    d.n_psu = 4;
    d.stratum = NULL;
    assert_nan(sv_taylor(&d, wx2x2, wy2x2, NULL).percent);
    assert_nan(sv_taylor(NULL, wx2x2, wy2x2, NULL).percent);
    d.stratum = s2x2;
    assert_nan(sv_taylor(&d, NULL, wy2x2, NULL).percent);
    assert_nan(sv_taylor(&d, wx2x2, NULL, NULL).percent);
    assert_int_equal(sv_taylor_df(NULL, wx2x2, wy2x2), -1);
}

static void taylor_negative_weights_do_not_crash(void **state)
{
    /* The CLI refuses them; here they must only not crash: a ratio outside
     * [0, 1] gives NANs, one inside an interval around it. */
    static const double wx_in[] = {10, -8, 12, 10}; /* 16 / 24 */
    static const double wx_out[] = {10, -8, 2, 1};  /* 16 / 5 */
    static const double wx_half[] = {10, 8, -2, 10};
    static const double wy_half[] = {3, 5, -1, 6}; /* 13 / 26 */
    sv_design d = {4, s2x2, 2};
    sv_est e;
    (void)state;
    e = sv_taylor(&d, wx_in, wy2x2, NULL);
    assert_near(e.percent, 200.0 / 3.0, PCT_TOL);
    assert_true(e.lo <= e.percent && e.percent <= e.hi);
    e = sv_taylor(&d, wx_out, wy2x2, NULL);
    assert_nan(e.percent);
    assert_nan(e.lo);
    e = sv_taylor(&d, wx_half, wy_half, NULL);
    assert_near(e.percent, 50.0, PCT_TOL);
    assert_true(e.lo <= 50.0 && 50.0 <= e.hi);
}

/* A small deterministic generator for the property tests below. */
static unsigned long lcg_state = 12345;
static double uniform(void)
{
    lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)((lcg_state >> 11) & ((1UL << 53) - 1)) / 9007199254740992.0;
}

static void taylor_is_nan_free_and_scale_free(void **state)
{
    enum { PSUS = 12 };
    int stratum[PSUS];
    double wx[PSUS], wy[PSUS], wx2[PSUS], wy2[PSUS];
    int round, i;
    (void)state;
    for (round = 0; round < 2000; round++) {
        int n_strata = 1 + (int)(uniform() * 5);
        sv_design d = {PSUS, stratum, n_strata};
        double se, se2;
        sv_est e, e2;
        for (i = 0; i < PSUS; i++) {
            stratum[i] = i % n_strata;
            wx[i] = uniform() < 0.2 ? 0.0 : 1.0 + 1000.0 * uniform();
            /* all, none or a part of each PSU's domain weight met */
            wy[i] = round % 7 == 0 ? 0.0 : round % 7 == 1 ? wx[i] : wx[i] * uniform();
            wx2[i] = 37.5 * wx[i];
            wy2[i] = 37.5 * wy[i];
        }
        e = sv_taylor_n(&d, wx, wy, 50, &se);
        e2 = sv_taylor_n(&d, wx2, wy2, 50, &se2);
        if (sv_taylor_df(&d, wx, wy) < 1)
            continue;
        if (!isfinite(e.percent) || !isfinite(e.lo) || !isfinite(e.hi) || !isfinite(se))
            fail_msg("round %d: %g (%g, %g) se %g", round, e.percent, e.lo, e.hi, se);
        assert_true(0.0 <= e.lo && e.lo <= e.percent && e.percent <= e.hi && e.hi <= 100.0);
        /* Multiplying every weight by 37.5 changes nothing. */
        assert_near(e2.percent, e.percent, 1e-9);
        assert_near(e2.lo, e.lo, 1e-9);
        assert_near(e2.hi, e.hi, 1e-9);
        assert_near(se2, se, 1e-9);
    }
}

/* sv_taylor_n keeps the last t quantile it computed (per thread, by the
 * degrees of freedom): the intervals must be those of a thread that computes
 * each afresh. Two designs of different df (2 and 3), each first in a new
 * thread (nothing kept), then alternated in this one, bit for bit. */
static const int s1x4[] = {0, 0, 0, 0};

typedef struct fresh_arg {
    int one_stratum;
    sv_est e;
} fresh_arg;

static void *fresh(void *arg)
{
    fresh_arg *a = arg;
    sv_design d = {4, a->one_stratum ? s1x4 : s2x2, a->one_stratum ? 1 : 2};
    a->e = sv_taylor_n(&d, wx2x2, wy2x2, 7, NULL);
    return NULL;
}

static int same_est(sv_est a, sv_est b)
{
    return memcmp(&a.percent, &b.percent, sizeof(double)) == 0 &&
           memcmp(&a.lo, &b.lo, sizeof(double)) == 0 && memcmp(&a.hi, &b.hi, sizeof(double)) == 0;
}

static void taylor_kept_quantile_equals_fresh(void **state)
{
    fresh_arg a[2] = {{0, {0, 0, 0}}, {1, {0, 0, 0}}};
    pthread_t th;
    int i, k;

    (void)state;
    for (k = 0; k < 2; k++) {
        assert_int_equal(pthread_create(&th, NULL, fresh, &a[k]), 0);
        assert_int_equal(pthread_join(th, NULL), 0);
    }
    assert_false(same_est(a[0].e, a[1].e)); /* different t: a stale one would show */
    for (i = 0; i < 6; i++) {
        fresh_arg b = {i % 2, {0, 0, 0}};
        fresh(&b);
        assert_true(same_est(b.e, a[i % 2].e));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_quantile_matches_r),
        cmocka_unit_test(t_quantile_closed_forms),
        cmocka_unit_test(t_quantile_fractional_df_and_other_p),
        cmocka_unit_test(t_quantile_limits_and_symmetry),
        cmocka_unit_test(wilson_3_of_10),
        cmocka_unit_test(wilson_0_of_5),
        cmocka_unit_test(wilson_5_of_5),
        cmocka_unit_test(wilson_refuses_what_is_no_proportion),
        cmocka_unit_test(kish_five_weighted_rows),
        cmocka_unit_test(kish_equal_weights_is_wilson),
        cmocka_unit_test(kish_without_weight_is_nan),
        cmocka_unit_test(taylor_two_strata_two_psus),
        cmocka_unit_test(taylor_three_strata_domain_and_single_psu),
        cmocka_unit_test(taylor_domain_is_not_a_subset_design),
        cmocka_unit_test(taylor_domain_degrees_of_freedom),
        cmocka_unit_test(taylor_single_psu_strata_give_no_df),
        cmocka_unit_test(taylor_domain_in_one_psu_per_stratum_has_no_df),
        cmocka_unit_test(taylor_zero_percent_falls_back_to_wilson_with_t),
        cmocka_unit_test(taylor_hundred_percent_falls_back_to_wilson_with_t),
        cmocka_unit_test(taylor_without_weight_is_nan),
        cmocka_unit_test(taylor_refuses_a_malformed_design),
        cmocka_unit_test(taylor_negative_weights_do_not_crash),
        cmocka_unit_test(taylor_is_nan_free_and_scale_free),
        cmocka_unit_test(taylor_kept_quantile_equals_fresh),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
