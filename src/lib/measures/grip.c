/*
 * grip.c - grip strength against life-course norms (Dodds 2014, Table 2):
 * centiles of maximum grip at exact ages, interpolated linearly between
 * ages and clamped outside 20-90 years; the band the reading falls in; the
 * median for age; and the percent of the sex-specific peak median (51 kg men,
 * 31 kg women). REFERENCE §5.
 */
#include "engine/result.h"

#define AGES      15
#define FIRST_AGE 20.0
#define AGE_STEP  5.0

/* DODDS [c via three agreeing reproductions]: P10, P25, P50, P75, P90 (kg). */
static const double norms[2][AGES][5] = {
    [MT_MALE] = {{30, 35, 40, 46, 52},
                 {36, 41, 48, 55, 61},
                 {38, 44, 51, 58, 64},
                 {39, 45, 51, 58, 64},
                 {38, 44, 50, 57, 63},
                 {36, 42, 49, 56, 61},
                 {35, 41, 48, 54, 60},
                 {34, 40, 47, 53, 59},
                 {33, 39, 45, 51, 56},
                 {31, 37, 43, 48, 53},
                 {29, 34, 39, 44, 49},
                 {26, 31, 35, 41, 45},
                 {23, 27, 32, 37, 42},
                 {19, 24, 29, 33, 38},
                 {16, 20, 25, 29, 33}},
    [MT_FEMALE] = {{21, 24, 28, 32, 36},
                   {23, 26, 30, 35, 38},
                   {24, 27, 31, 35, 39},
                   {23, 27, 31, 35, 39},
                   {23, 27, 31, 35, 39},
                   {22, 26, 30, 34, 38},
                   {21, 25, 29, 33, 37},
                   {19, 23, 28, 32, 35},
                   {18, 22, 27, 31, 34},
                   {17, 21, 25, 29, 33},
                   {16, 20, 24, 27, 31},
                   {14, 18, 21, 25, 28},
                   {13, 16, 19, 23, 26},
                   {11, 14, 17, 20, 23},
                   {9, 11, 14, 17, 20}},
};

/* DODDS [c]: peak medians, men ages 29-39, women 26-42. */
static const double peak_median[2] = {[MT_MALE] = 51, [MT_FEMALE] = 31};

void mt_grip_centiles(int sex, double age, double out[5])
{
    const double(*t)[5] = norms[sex == MT_MALE];
    double pos = (age - FIRST_AGE) / AGE_STEP, frac;
    int i, k;

    if (pos <= 0)
        pos = 0;
    if (pos >= AGES - 1)
        pos = AGES - 1;
    i = (int)pos;
    if (i >= AGES - 1)
        i = AGES - 2;
    frac = pos - i;
    for (k = 0; k < 5; k++)
        out[k] = mt_round4(t[i][k] + (t[i + 1][k] - t[i][k]) * frac);
}

/* The band of `grip`: below P10 when under P10; Pa-Pb when Pa <= grip < Pb;
 * P75-P90 up to and including P90; above P90 beyond it. */
static int band_of(double grip, const double c[5])
{
    if (grip < c[0])
        return BAND_BELOW_P10;
    if (grip < c[1])
        return BAND_P10_P25;
    if (grip < c[2])
        return BAND_P25_P50;
    if (grip < c[3])
        return BAND_P50_P75;
    if (grip <= c[4])
        return BAND_P75_P90;
    return BAND_ABOVE_P90;
}

const char *mt_grip_band_str(int band)
{
    static const char *const s[] = {"<P10", "P10-P25", "P25-P50", "P50-P75", "P75-P90", ">P90"};
    return band >= 0 && band <= BAND_ABOVE_P90 ? s[band] : "?";
}

void mt_measures_grip(mt_result *res)
{
    const mt_input *in = &res->in;

    if (!MT_HAS(in->grip))
        return;
    res->grip.known = 1;
    mt_grip_centiles(in->sex, in->age.v, res->grip.centiles);
    res->grip.band = band_of(in->grip.v, res->grip.centiles);
    res->grip.median_for_age = res->grip.centiles[2];
    res->grip.peak_median = peak_median[in->sex == MT_MALE];
    res->grip.percent_of_peak = mt_round4(in->grip.v / res->grip.peak_median * 100.0);
}
