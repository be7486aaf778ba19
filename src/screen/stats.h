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
 *     (PSUs - strata) degrees of freedom, as R's svyciprop(method = "logit").
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
 *  an effective size). n == 0 gives NANs. */
sv_est sv_wilson(double met, double n);

/** Weighted percent sum_met / sum_w with a Wilson interval at Kish's effective
 *  n = sum_w^2 / sum_w2. sum_w == 0 gives NANs. */
sv_est sv_kish(double sum_w_met, double sum_w, double sum_w2);

/** A stratified cluster design: n_psu PSUs, each in stratum stratum[i]
 *  (0 .. n_strata - 1). Degrees of freedom: n_psu - n_strata. */
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
 *  Returns NANs when sum(wx) == 0 or the design has no degrees of freedom. */
sv_est sv_taylor(const sv_design *d, const double *wx, const double *wy, double *se_out);

/** Student's t quantile: P(T <= t) = p for `df` degrees of freedom (df >= 1;
 *  df may be fractional); the normal quantile when df is infinite. */
double sv_t_quantile(double p, double df);

#endif
