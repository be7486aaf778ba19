/*
 * stats.h - prevalence and its uncertainty, for `myotrack screen`.
 *
 * Percents are on a 0-100 scale; every interval is a two-sided 95% interval.
 * Three estimators, as docs/statistics.md derives them:
 *   - unweighted: met / evaluated, with the Wilson score interval;
 *   - weighted, no design: sum(w met) / sum(w evaluated), with a Wilson interval at
 *     Kish's effective sample size n_eff = (sum w)^2 / sum w^2;
 *   - weighted with strata and PSUs: the same ratio, its variance by Taylor
 *     linearisation (with-replacement PSUs within strata, as R's survey package
 *     and SUDAAN's default), the interval on the logit scale with Student's t at
 *     (PSUs - strata) degrees of freedom, as R's svyciprop(method = "logit");
 *     at 0 % or 100 %, where the logit has no interval, a Wilson interval with
 *     that t in place of z (sv_taylor_n).
 * No input is ever a clinical number: these are statistics only.
 */
#ifndef MT_SCREEN_STATS_H
#define MT_SCREEN_STATS_H

#include <stddef.h>

/** The standard normal quantile of 0.975. */
#define SV_Z95 1.959963984540054

/** An estimate: percent and interval, NAN when nothing was evaluated. */
typedef struct sv_est {
    double percent, lo, hi;
} sv_est;

/** Wilson score interval for `met` of `n` (n >= met >= 0; n may be fractional, as
 *  an effective size). n <= 0, a non-finite input or met outside [0, n] (beyond
 *  rounding) gives NANs. */
sv_est sv_wilson(double met, double n);

/** Weighted percent sum_met / sum_w with a Wilson interval at Kish's effective
 *  n = sum_w^2 / sum_w2. sum_w == 0, sum_w2 <= 0 or a ratio outside [0, 1]
 *  (negative weights) gives NANs. */
sv_est sv_kish(double sum_w_met, double sum_w, double sum_w2);

/** A stratified cluster design: n_psu PSUs, each in stratum stratum[i]
 *  (0 .. n_strata - 1). Degrees of freedom: n_psu - n_strata, counted over the
 *  PSUs and strata that hold some of the domain (see sv_taylor_df). */
typedef struct sv_design {
    size_t n_psu;
    const int *stratum;
    int n_strata;
} sv_design;

/** The ratio sum(wy) / sum(wx) over every PSU, where wx[i] and wy[i] are PSU i's
 *  totals of w * x (x = 1 when evaluated) and w * y (y = 1 when met), and its
 *  Taylor-linearised 95% interval (logit scale, t quantile at the design's
 *  degrees of freedom). PSUs of the design absent from a domain enter with
 *  zeros: that is domain estimation, not a subset design. A stratum with a
 *  single PSU adds nothing to the variance (documented in docs/statistics.md).
 *  *se_out, when not NULL, receives the standard error of the percent.
 *  Returns NANs when sum(wx) == 0 (or the design is malformed: a stratum out
 *  of range, no PSU); the percent with NAN bounds when the domain has no
 *  degrees of freedom. At 0 % or 100 % the logit interval does not exist and
 *  this function has no sample size to fall back on: the bounds are NAN; the
 *  screen calls sv_taylor_n, which has one. */
sv_est sv_taylor(const sv_design *d, const double *wx, const double *wy, double *se_out);

/** sv_taylor, except at 0 % or 100 %: there the interval is Wilson's at size
 *  n_bound with the t quantile (df as above) in place of z - a df-adjusted
 *  Wilson interval; pass Kish's effective n of the domain (sum_w^2 / sum_w2 of
 *  its evaluated rows), or its row count. n_bound <= 0 or NAN gives NAN bounds
 *  there, as sv_taylor. Elsewhere n_bound is not used. */
sv_est sv_taylor_n(const sv_design *d, const double *wx, const double *wy, double n_bound,
                   double *se_out);

/** The degrees of freedom sv_taylor uses, as R's degf() of a domain: PSUs with
 *  wx or wy != 0, minus the strata holding them. -1 for a malformed design. */
long sv_taylor_df(const sv_design *d, const double *wx, const double *wy);

/** Student's t quantile: P(T <= t) = p for `df` degrees of freedom (df >= 1;
 *  df may be fractional); the normal quantile when df is infinite. -INFINITY
 *  at p <= 0, INFINITY at p >= 1, NAN for df < 1 or a NAN argument. Relative
 *  error below 1e-12 (checked against mpmath, docs/statistics.md). */
double sv_t_quantile(double p, double df);

#endif
