/*
 * stats.c - the estimators of stats.h: the Wilson score interval, Kish's
 * effective-n interval, the Taylor-linearised ratio with its logit interval,
 * and Student's t quantile. docs/statistics.md derives every formula and
 * documents every edge case; tests/unit/test_stats.c checks hand-computed
 * values.
 *
 * The t quantile is written here by hand. Debian's C world has it only inside
 * large libraries (GSL's gsl_cdf_tdist_Pinv in libgsl-dev, qt in r-mathlib):
 * neither is made for the job in a small way, and about a hundred lines are
 * easier to read, test and keep than a new dependency of the application. It
 * inverts the t distribution function, computed from the regularised
 * incomplete beta function, by a safeguarded Newton iteration; for large df
 * (>= 1e4, more in the far tails) it uses the Cornish-Fisher expansion of t
 * about the normal quantile (Abramowitz & Stegun 26.7.5), exact to double
 * precision there. Checked against mpmath for p from 1e-9 to 1 - 1e-9 and df
 * from 1 to 1e9, and p down to 1e-200: relative error below 1e-12
 * (docs/statistics.md).
 */
#include "screen/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* Ours: M_PI is not in C11. */
static const double PI = 3.14159265358979323846;

/* p = met / n may exceed [0, 1] by this much through rounding in the caller's
 * sums (sum(w met) and sum(w) added in different orders); beyond it the input
 * is not a proportion and the answer is NANs. */
#define P_SLACK 1e-12

/* --- the normal and t quantiles --------------------------------------- */

/* Acklam's rational approximation to the normal quantile (relative error
 * below 1.2e-9) for 0 < q <= 0.5, then two Halley steps, which bring it to
 * double precision. Returns x <= 0 with Phi(x) = q. */
static double normal_lower_quantile(double q)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                3.754408661907416e+00};
    double x, r, s;
    int k;

    if (q < 0.02425) {
        s = sqrt(-2.0 * log(q));
        x = (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) /
            ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1.0);
    } else {
        s = q - 0.5;
        r = s * s;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    for (k = 0; k < 2; k++) {
        /* e = Phi(x) - q without cancellation: through erfc in the tail,
         * through erf and the exact 0.5 - q near the centre. */
        double e =
            q < 0.25 ? 0.5 * erfc(-x / sqrt(2.0)) - q : (0.5 - q) - 0.5 * erf(-x / sqrt(2.0));
        double u = e * sqrt(2.0 * PI) * exp(0.5 * x * x);
        x -= u / (1.0 + 0.5 * x * u);
    }
    return x;
}

#define LENTZ_TINY 1e-300

/* One term aa of the modified Lentz method: updates c and d, returns the
 * factor the fraction is multiplied by. */
static double lentz_step(double aa, double *c, double *d)
{
    *d = 1.0 + aa * *d;
    if (fabs(*d) < LENTZ_TINY)
        *d = LENTZ_TINY;
    *c = 1.0 + aa / *c;
    if (fabs(*c) < LENTZ_TINY)
        *c = LENTZ_TINY;
    *d = 1.0 / *d;
    return *d * *c;
}

/* The continued fraction of the regularised incomplete beta function
 * (Abramowitz & Stegun 26.5.8), I_x(a, b) = x^a y^b / (a B(a, b)) * cf, by the
 * modified Lentz method. Converges fast for x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;
    int m;

    if (fabs(d) < LENTZ_TINY)
        d = LENTZ_TINY;
    d = 1.0 / d;
    h = d;
    for (m = 1; m <= 10000; m++) {
        double del;
        /* even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
        h *= lentz_step(m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)), &c, &d);
        /* odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        del =
            lentz_step(-(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)), &c, &d);
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

/* log Gamma(a + 1/2) - log Gamma(a), for a > 0. Two lgamma calls would lose
 * digits once a is large (lgamma(5e4) is 5e5, with an ulp of 6e-11) and
 * lgamma writes the global signgam. From a = 20 on, the difference of
 * Stirling's series, whose first neglected term is below 1e-15:
 *   (1/2) log a + a log1p(1/(2a)) - 1/2 + S(a + 1/2) - S(a),
 *   S(z) = 1/(12z) - 1/(360z^3) + 1/(1260z^5) - 1/(1680z^7);
 * below 20, the recurrence Gamma(a + 3/2) / Gamma(a + 1) =
 * Gamma(a + 1/2) / Gamma(a) * (a + 1/2) / a climbs there first. */
static double stirling_tail(double z)
{
    double z2 = z * z;
    return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * z2)) / z2) / z2) / z;
}

static double lgamma_half_ratio(double a)
{
    double acc = 0.0;
    for (; a < 20.0; a += 1.0)
        acc -= log1p(0.5 / a);
    return acc + 0.5 * log(a) + a * log1p(0.5 / a) - 0.5 + stirling_tail(a + 0.5) -
           stirling_tail(a);
}

/* For t >= 0: *tail = P(T > t) and *centre = P(0 < T < t), which add to 1/2.
 * With u = t^2/df, x = 1/(1+u), y = u/(1+u):
 *   P(T > t) = I_x(df/2, 1/2) / 2,  P(0 < T < t) = I_y(1/2, df/2) / 2,
 * whichever is the side where the fraction converges computed directly (it
 * is then the smaller one and keeps its relative precision), the other as
 * its complement. The prefactor x^(df/2) y^(1/2) / B(df/2, 1/2) is taken in
 * logarithms from u, so that neither x nor y is rounded first. */
static void t_probs(double t, double df, double *tail, double *centre)
{
    const double log_sqrt_pi = 0.57236494292470008707; /* log Gamma(1/2) */
    double u = t * t / df, a = 0.5 * df, log_u, log1p_u, front;

    if (u == 0.0) {
        *tail = 0.5;
        *centre = 0.0;
        return;
    }
    if (isinf(t)) {
        *tail = 0.0;
        *centre = 0.5;
        return;
    }
    if (isinf(u)) { /* t^2 overflows (t > 1e154): then log(1 + u) = log(u) */
        log_u = 2.0 * log(t) - log(df);
        log1p_u = log_u;
    } else {
        log_u = log(u);
        log1p_u = log1p(u);
    }
    front = exp(lgamma_half_ratio(a) - log_sqrt_pi - a * log1p_u + 0.5 * (log_u - log1p_u));
    if (exp(-log1p_u) < (a + 1.0) / (a + 2.5)) {
        *tail = 0.5 * front * beta_cf(a, 0.5, exp(-log1p_u)) / a;
        *centre = 0.5 - *tail;
    } else {
        *centre = 0.5 * front * beta_cf(0.5, a, u / (1.0 + u)) / 0.5;
        *tail = 0.5 - *centre;
    }
}

static double t_density(double t, double df)
{
    return exp(lgamma_half_ratio(0.5 * df) - 0.5 * log(df * PI) -
               0.5 * (df + 1.0) * log1p(t * t / df));
}

/* The expansion below is used from df >= max(1e4, 300 z^2) on: its first
 * neglected term, 27 z^11 / (368640 df^5), is then a relative 1e-16 or less
 * (1e-17 at df = 1e4 for p = 1 - 1e-9, checked against mpmath); below, the
 * continued fraction converges in a few dozen steps. */
#define T_EXPANSION_DF 1e4

/* Cornish-Fisher expansion of the t quantile about the normal one, z >= 0
 * (Abramowitz & Stegun 26.7.5). 1 / df = 0 gives z. */
static double t_expansion(double z, double df)
{
    double z2 = z * z, v = 1.0 / df;
    double g1 = (z2 + 1.0) * z / 4.0;
    double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
}

/* Solve P(T > t) = q (or P(0 < T < t) = 1/2 - q, the better conditioned one
 * when q > 1/4) for t > 0, from the start t0. Both sides of the equation are
 * monotone in t; the root is bracketed in [lo, hi], then Newton steps (the
 * derivative is the density), bisecting - geometrically while the bracket
 * spans more than a factor of 4 - when a step would leave the bracket. */
static double t_solve(double q, double df, double t0)
{
    int centre_mode = q > 0.25;
    double target = centre_mode ? 0.5 - q : q; /* exact: Sterbenz */
    double lo = 0.0, hi = fmax(t0, 1.0), t;
    int i;

    /* g(t) > 0 while t is below the root. */
#define G(t_, g_)                                                                                  \
    do {                                                                                           \
        double tail_, centre_;                                                                     \
        t_probs((t_), df, &tail_, &centre_);                                                       \
        (g_) = centre_mode ? target - centre_ : tail_ - target;                                    \
    } while (0)

    for (i = 0; i < 2100; i++) {
        double g;
        G(hi, g);
        if (!(g > 0.0))
            break;
        lo = hi;
        hi *= 2.0;
    }
    if (isinf(hi))
        return INFINITY;
    t = t0 > lo && t0 < hi ? t0 : (lo > 0.0 ? sqrt(lo) * sqrt(hi) : 0.5 * hi);
    for (i = 0; i < 300; i++) {
        double g, next;
        G(t, g);
        if (g == 0.0)
            break;
        if (g > 0.0)
            lo = t;
        else
            hi = t;
        next = t + g / t_density(t, df);
        if (!(next > lo && next < hi))
            next = (lo > 0.0 && hi > 4.0 * lo) ? sqrt(lo) * sqrt(hi) : 0.5 * (lo + hi);
        if (fabs(next - t) <= 2.0 * DBL_EPSILON * next || hi - lo <= 2.0 * DBL_EPSILON * hi) {
            t = next;
            break;
        }
        t = next;
    }
#undef G
    return t;
}

double sv_t_quantile(double p, double df)
{
    double q, z, t;

    if (isnan(p) || isnan(df) || df < 1.0)
        return NAN;
    if (p <= 0.0)
        return -INFINITY;
    if (p >= 1.0)
        return INFINITY;
    if (p == 0.5)
        return 0.0;
    q = p < 0.5 ? p : 1.0 - p; /* P(T > |t|); 1 - p is exact for p >= 1/2 */
    z = -normal_lower_quantile(q);
    t = t_expansion(z, df);
    if (df < T_EXPANSION_DF || df < 300.0 * z * z)
        t = t_solve(q, df, t);
    return p < 0.5 ? -t : t;
}

/* --- Wilson and Kish ----------------------------------------------------- */

static sv_est nan_est(void)
{
    sv_est e = {NAN, NAN, NAN};
    return e;
}

/* A proportion from its two sums: in [0, 1] up to P_SLACK, clamped; -1 when
 * it is not one (the caller then answers NANs). */
static double proportion(double num, double den)
{
    double p = num / den;
    if (!(p >= -P_SLACK && p <= 1.0 + P_SLACK))
        return -1.0;
    return fmin(fmax(p, 0.0), 1.0);
}

/* Wilson's score interval for proportion p at size n with quantile k (z for
 * the Wilson interval proper, a t quantile for the fallback of sv_taylor_n):
 *   centre = (p + k^2/(2n)) / (1 + k^2/n)
 *   half   = k / (1 + k^2/n) * sqrt(p(1-p)/n + k^2/(4n^2))
 * Bounds clamped to [0, 1]; exactly 0 (1) at p = 0 (1). */
static sv_est wilson_at(double p, double n, double k)
{
    double k2n = k * k / n, denom = 1.0 + k2n;
    double centre = (p + 0.5 * k2n) / denom;
    double half = k / denom * sqrt(p * (1.0 - p) / n + 0.25 * k2n / n);
    double lo = p == 0.0 ? 0.0 : fmax(centre - half, 0.0);
    double hi = p == 1.0 ? 1.0 : fmin(centre + half, 1.0);
    sv_est e = {100.0 * p, 100.0 * lo, 100.0 * hi};
    return e;
}

sv_est sv_wilson(double met, double n)
{
    double p;
    if (!(n > 0.0) || !isfinite(n) || !isfinite(met))
        return nan_est();
    p = proportion(met, n);
    if (p < 0.0)
        return nan_est();
    return wilson_at(p, n, SV_Z95);
}

sv_est sv_kish(double sum_w_met, double sum_w, double sum_w2)
{
    double p, n_eff;
    if (sum_w == 0.0 || !isfinite(sum_w) || !isfinite(sum_w_met) || !(sum_w2 > 0.0) ||
        !isfinite(sum_w2))
        return nan_est();
    p = proportion(sum_w_met, sum_w);
    n_eff = sum_w * sum_w / sum_w2;
    if (p < 0.0 || !(n_eff > 0.0) || !isfinite(n_eff))
        return nan_est();
    return wilson_at(p, n_eff, SV_Z95);
}

/* --- Taylor linearisation -------------------------------------------------- */

/* Per stratum: PSUs in the design, PSUs in the domain, sum and centred sum of
 * squares of the linearised values z. */
typedef struct stratum_acc {
    size_t n, active;
    double zsum, ss;
} stratum_acc;

static int design_ok(const sv_design *d, const double *wx, const double *wy)
{
    size_t i;
    if (d == NULL || d->stratum == NULL || wx == NULL || wy == NULL || d->n_psu == 0 ||
        d->n_strata < 1)
        return 0;
    for (i = 0; i < d->n_psu; i++)
        if (d->stratum[i] < 0 || d->stratum[i] >= d->n_strata)
            return 0;
    return 1;
}

/* Degrees of freedom: PSUs in the domain minus strata in the domain, i.e.
 * sum over strata of (active PSUs - 1) for strata with an active PSU. */
static long domain_df(const stratum_acc *s, int n_strata)
{
    long df = 0;
    int h;
    for (h = 0; h < n_strata; h++)
        if (s[h].active > 0)
            df += (long)s[h].active - 1;
    return df;
}

/* Per-stratum PSU counts (allocated), or NULL for a malformed design. */
static stratum_acc *count_strata(const sv_design *d, const double *wx, const double *wy)
{
    stratum_acc *acc;
    size_t i;
    if (!design_ok(d, wx, wy))
        return NULL;
    acc = calloc((size_t)d->n_strata, sizeof *acc);
    if (acc == NULL)
        return NULL;
    for (i = 0; i < d->n_psu; i++) {
        stratum_acc *s = &acc[d->stratum[i]];
        s->n++;
        if (wx[i] != 0.0 || wy[i] != 0.0)
            s->active++;
    }
    return acc;
}

long sv_taylor_df(const sv_design *d, const double *wx, const double *wy)
{
    stratum_acc *acc = count_strata(d, wx, wy);
    long df;
    if (acc == NULL)
        return -1;
    df = domain_df(acc, d->n_strata);
    free(acc);
    return df;
}

static double expit(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

sv_est sv_taylor_n(const sv_design *d, const double *wx, const double *wy, double n_bound,
                   double *se_out)
{
    stratum_acc *acc;
    double X = 0.0, Y = 0.0, p, var = 0.0, se, t;
    long df;
    size_t i;
    int h;
    sv_est e;

    if (se_out != NULL)
        *se_out = NAN;
    acc = count_strata(d, wx, wy);
    if (acc == NULL)
        return nan_est();
    for (i = 0; i < d->n_psu; i++) {
        X += wx[i];
        Y += wy[i];
    }
    p = X != 0.0 && isfinite(X) && isfinite(Y) ? proportion(Y, X) : -1.0;
    if (p < 0.0) {
        free(acc);
        return nan_est();
    }

    /* z_hi = (wy_hi - p wx_hi) / X, the PSU totals of the ratio's linearised
     * values; var = sum_h n_h/(n_h-1) sum_i (z_hi - zbar_h)^2, strata with a
     * single PSU adding nothing (certainty). Two passes: means, then squares. */
    for (i = 0; i < d->n_psu; i++)
        acc[d->stratum[i]].zsum += (wy[i] - p * wx[i]) / X;
    for (i = 0; i < d->n_psu; i++) {
        stratum_acc *s = &acc[d->stratum[i]];
        double dev = (wy[i] - p * wx[i]) / X - s->zsum / (double)s->n;
        s->ss += dev * dev;
    }
    for (h = 0; h < d->n_strata; h++)
        if (acc[h].n >= 2)
            var += (double)acc[h].n / (double)(acc[h].n - 1) * acc[h].ss;
    df = domain_df(acc, d->n_strata);
    free(acc);

    se = sqrt(var);
    if (se_out != NULL)
        *se_out = 100.0 * se;
    e.percent = 100.0 * p;
    e.lo = e.hi = NAN;
    if (df < 1)
        return e;
    {
        /* the same degrees of freedom for most statistics of a run (strata
         * with PSUs in the domain): the last quantile kept, per thread. A
         * pure function of df, so the value is the one computed again. */
        static _Thread_local double last_df = -1, last_t;
        if ((double)df != last_df) {
            last_t = sv_t_quantile(0.975, (double)df);
            last_df = (double)df;
        }
        t = last_t;
    }
    if (p == 0.0 || p == 1.0) {
        /* The logit is infinite and the linearised variance 0: Wilson's
         * interval at the caller's sample size, with t_df in place of z. */
        if (n_bound > 0.0 && isfinite(n_bound))
            return wilson_at(p, n_bound, t);
        return e;
    }
    {
        double logit = log(p / (1.0 - p)), half = t * se / (p * (1.0 - p));
        e.lo = 100.0 * expit(logit - half);
        e.hi = 100.0 * expit(logit + half);
    }
    return e;
}

sv_est sv_taylor(const sv_design *d, const double *wx, const double *wy, double *se_out)
{
    return sv_taylor_n(d, wx, wy, NAN, se_out);
}
