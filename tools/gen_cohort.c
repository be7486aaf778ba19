/*
 * gen_cohort - a seeded synthetic cohort in the canonical CSV of `myotrack screen`.
 *
 *   gen_cohort --rows N [--seed S] [--missing-rate R] [--bad-rate R] [--bia]
 *              [--bad-list FILE] [-o FILE]
 *
 * Writes a header and N rows: id, sex, age, height, weight, grip, chair_stand_5x,
 * gait_speed, tug, walk_400m, six_minute_walk, sppb_total, calf, asm, asm_method,
 * [bia_resistance, bia_reactance, bia_equation,] sarc_f_total, setting,
 * survey_weight, strata, psu.
 *
 * THE DATA ARE SYNTHETIC. Every mean, SD, slope, loading, missing rate and weight
 * below is a plausible choice of ours for a test and benchmark input, not a
 * clinical figure: nothing here is a threshold, and nothing here may be quoted as
 * a norm (the clinical numbers live in ../shared/clinical/REFERENCE.md only). The
 * one exception is the SPPB banding used to derive sppb_total from the generated
 * gait and chair times (REFERENCE §4, SPPB), so that the three agree.
 *
 * The people: 10% aged 18-59, the rest 60-95 (more of them in their sixties and
 * seventies), 56% women, 12% or more recruited in hospital (more with age and
 * frailty). One latent "frailty" score per person, standard normal (+0.6 in
 * hospital), loads on every physical test, so grip, gait, chair stand, TUG, 400 m,
 * 6-minute walk, SPPB and SARC-F correlate with each other as well as with age
 * and sex; calf and ASM follow body size (BMI, height). Values are rounded the
 * way instruments report them: height, weight, grip, calf 0.1; gait 0.01 m/s;
 * chair stand 0.01 s; TUG 0.1 s; 400 m and 6-minute walk whole seconds and
 * metres; ASM 0.01 kg; weights 0.01; age whole years.
 *
 * Missing values: by column, at random (MCAR), with the rates of MISS_PATTERN
 * below (ASM measured in 30%, 400 m walk in 8%, ...), written as an empty field,
 * NA or "." (70/20/10). "unable" (chair stand) and "not_completed" (400 m) are
 * outcomes of the frailest, not gaps. --missing-rate R scales every column's rate
 * so that their mean is R (default 0.3958, the pattern itself; 0 = complete data;
 * rates are capped at 1, so a large R yields less than R). sex, age, setting and
 * the design columns are never missing.
 *
 * --bad-rate R makes each row invalid with probability R (default 0): one field
 * is replaced by a value outside the accepted range or a word that is not
 * accepted (see bad_kinds[]); the row is otherwise well formed. --bad-list FILE
 * writes "id,field,value" for each of those rows, for reject tests.
 *
 * --bia adds the three BIA columns: readings (sergi2015 mostly) for 10% of the
 * people with no ASM, height and weight measured. Off by default.
 *
 * Survey design: 15 strata of 2 PSUs each; the PSU labels are unique across
 * strata (101, 102, 201, ..., 1502), so nested or not, they name the same
 * clusters. Weights are positive, about 200 to 15,000: a stratum's base times
 * an oversampling factor by age (the oldest oversampled, so their weights are
 * smaller) and sex, times a non-response adjustment.
 *
 * Reproducible: xoshiro256** seeded per row through splitmix64 (three streams:
 * values, gaps, corruption), so a row depends only on the seed and its number,
 * and changing --missing-rate or --bad-rate changes the gaps but not the people.
 * Normal deviates are Irwin-Hall sums of eight 16-bit uniforms (bounded at about
 * +-4.9 SD, which suits clamped synthetic data), and every value is made with
 * IEEE +, -, *, / only and written from integers: no libm, no printf of floats,
 * no FMA contraction (gcc in -std=c11 mode does not contract; the pragma below
 * tells clang). The same seed gives byte-identical output on any machine whose
 * doubles are IEEE binary64 evaluated at their own precision (x86-64, aarch64;
 * not 32-bit x87, where a #warning says so). Memory is constant (a 1 MiB output buffer).
 *
 * Written by hand: a CSV of synthetic people with these correlations and this
 * design is a few hundred lines, and no Debian package makes one.
 */
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No fused multiply-add: gcc does not contract in -std=c11 mode; clang needs telling. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* Doubles evaluated in a wider type (x87: 2; unknown: -1; TS 18661's 64 and up)
 * would round differently. 0, 1 and 16 (half floats as float) leave double alone. */
#if defined(FLT_EVAL_METHOD) &&                                                                    \
    (FLT_EVAL_METHOD == 2 || FLT_EVAL_METHOD < 0 || FLT_EVAL_METHOD > 32)
#warning "doubles are evaluated in a wider type: the output may differ from other machines"
#endif

/* ---- random numbers ------------------------------------------------------ */

typedef struct {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t row, uint64_t stream)
{
    uint64_t x = seed ^ (row * 0xd1342543de82ef95ULL) ^ (stream * 0xa0761d6478bd642fULL);
    int i;

    (void)splitmix64(&x);
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static inline uint64_t next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static inline double unif(rng *r)
{
    return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Approximately standard normal: Irwin-Hall over eight 16-bit uniforms (the
 * four halves of two draws, summed in two 32-bit lanes). Mean 8 * 32767.5; SD
 * sqrt(8 * (65536^2 - 1) / 12) = 53510.8543. */
static inline double normal(rng *r)
{
    const uint64_t m = 0x0000ffff0000ffffULL;
    uint64_t a = next(r), b = next(r);
    uint64_t lanes = (a & m) + ((a >> 16) & m) + (b & m) + ((b >> 16) & m);
    uint32_t s = (uint32_t)(lanes & 0xffffffffu) + (uint32_t)(lanes >> 32);
    return ((double)s - 262140.0) * (1.0 / 53510.8543);
}

/* A right-skewed deviate, mean about 0 and SD about 1 (times, distances). */
static inline double skewed(rng *r)
{
    double z = normal(r);
    return (z + 0.15 * (z * z - 1.0)) * 0.978;
}

static inline double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* x in units of 1/scale, rounded half away from zero (x >= 0 here). */
static inline int64_t units(double x, double scale)
{
    double y = x * scale;
    return (int64_t)(y >= 0 ? y + 0.5 : y - 0.5);
}

/* ---- output -------------------------------------------------------------- */

#define OUT_SIZE (1u << 20)
#define ROW_MAX  1024 /* far more than the longest row */

static char out_buf[OUT_SIZE];
static size_t out_len;
static FILE *out_file;
static const char *out_name = "stdout";

static void die(const char *what, const char *path)
{
    fprintf(stderr, "gen_cohort: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void flush_out(void)
{
    if (out_len && fwrite(out_buf, 1, out_len, out_file) != out_len)
        die("cannot write", out_name);
    out_len = 0;
}

static inline char *w_str(char *o, const char *s)
{
    while (*s)
        *o++ = *s++;
    return o;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* A fixed-point value: v / 10^dec with exactly `dec` (0 to 2) decimals, at o.
 * The length is counted first, then digits are written two at a time from the
 * end (no copy: a copy loop would become a memcpy call per field). */
static inline char *w_fixed(char *o, int64_t v, int dec)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, t = 10;
    int ndig = 1;
    char *p;

    if (v < 0)
        *o++ = '-';
    while (ndig < 19 && u >= t) {
        ndig++;
        t *= 10;
    }
    if (ndig <= dec)
        ndig = dec + 1; /* 0.05 */
    o += ndig + (dec > 0);
    p = o;
    if (dec == 2) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * (u % 100), 2);
        u /= 100;
        *--p = '.';
    } else if (dec == 1) {
        *--p = (char)('0' + u % 10);
        u /= 10;
        *--p = '.';
    }
    while (u >= 100) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    return o;
}

/* Writing a row: `o` is the local write position in out_buf. */
#define PUT_STR(s)        ((void)(o = w_str(o, (s))))
#define PUT_FIXED(v, dec) ((void)(o = w_fixed(o, (v), (dec))))
#define PUT_CHAR(c)       ((void)(*o++ = (c)))

/* ---- the columns --------------------------------------------------------- */

enum {
    C_HEIGHT,
    C_WEIGHT,
    C_GRIP,
    C_CHAIR,
    C_GAIT,
    C_TUG,
    C_W400,
    C_SIXMW,
    C_SPPB,
    C_CALF,
    C_ASM,
    C_SARCF,
    C_BIA, /* the three BIA columns together (only with --bia) */
    C_N
};

/* Fraction missing per measurement column (synthetic, our choice). */
static const double MISS_PATTERN[C_BIA] = {
    [C_HEIGHT] = 0.03, [C_WEIGHT] = 0.03, [C_GRIP] = 0.07, [C_CHAIR] = 0.12,
    [C_GAIT] = 0.08,   [C_TUG] = 0.60,    [C_W400] = 0.92, [C_SIXMW] = 0.80,
    [C_SPPB] = 0.55,   [C_CALF] = 0.40,   [C_ASM] = 0.70,  [C_SARCF] = 0.45,
};

/* One person, values in integer instrument units. */
typedef struct {
    int male, age, hospital;
    int64_t height, weight, grip, chair, gait, tug, w400, sixmw, sppb, calf, asm_, sarcf;
    int chair_unable, w400_not_completed, asm_bia;
    int64_t bia_r, bia_xc;
    int bia_eq;
    int stratum, psu;
    int64_t weight_survey; /* hundredths */
} person;

static const char *const bia_equations[] = {"sergi2015", "kim2014", "yoshida2014"};

/* Base survey weight of each stratum (persons represented per sampled person). */
static const double stratum_base[15] = {1200, 2600, 900,  4100, 1800, 3300, 700, 2200,
                                        1500, 3900, 1000, 2800, 600,  1700, 3100};

/* SPPB item points from the 4 m walk time and the chair-stand time (REFERENCE §4,
 * SPPB), in hundredths of a second. */
static int sppb_gait_points(int64_t gait_cms)
{
    int64_t t = (40000 + gait_cms / 2) / gait_cms; /* 4 m / speed, in 0.01 s */
    return t < 482 ? 4 : t <= 620 ? 3 : t <= 870 ? 2 : 1;
}

static int sppb_chair_points(int64_t chair_cs, int unable)
{
    if (unable)
        return 0;
    return chair_cs <= 1119   ? 4
           : chair_cs <= 1369 ? 3
           : chair_cs <= 1669 ? 2
           : chair_cs <= 6000 ? 1
                              : 0;
}

static void make_person(person *p, rng *r)
{
    double u, age, a60, young, f, h, hm, bmi, sd, x, asmi;
    int k;

    p->male = unif(r) >= 0.56;
    u = unif(r);
    if (u < 0.10) {
        age = 18 + (int)(42 * unif(r));
    } else {
        double u1 = unif(r), u2 = unif(r), u3 = unif(r);
        age = 60 + (int)(36 * (0.6 * (u1 < u2 ? u1 : u2) + 0.4 * u3));
    }
    p->age = (int)age;
    a60 = age >= 60 ? age - 60 : 0;
    young = age < 60 ? 60 - age : 0;

    p->hospital = unif(r) < 0.10 + 0.004 * a60;
    f = normal(r) + (p->hospital ? 0.6 : 0);

    /* Body size. */
    if (p->male)
        h = 175.5 + 0.05 * young - 0.12 * a60 + 6.8 * normal(r);
    else
        h = 162.0 + 0.05 * young - 0.15 * a60 + 6.2 * normal(r);
    p->height = units(clamp(h, p->male ? 145 : 135, p->male ? 205 : 190), 10);
    h = (double)p->height / 10;
    hm = h / 100;
    x = normal(r);
    bmi = (p->male ? 27.2 : 27.0) - 0.06 * (age > 75 ? age - 75 : 0) - 0.4 * f +
          4.4 * (x + 0.12 * (x * x - 1));
    bmi = clamp(bmi, 16, 48);
    p->weight = units(clamp(bmi * hm * hm, 35, 200), 10);
    bmi = (double)p->weight / 10 / (hm * hm);

    /* Strength: grip falls with age, more in men; taller people grip harder. */
    if (p->male) {
        x = young ? 45 + 0.12 * young : 45 - 0.50 * a60 - 0.004 * a60 * a60;
        sd = 8.0 - 0.03 * a60;
        x += 0.25 * (h - 175.5);
    } else {
        x = young ? 26.5 + 0.08 * young : 26.5 - 0.30 * a60 - 0.002 * a60 * a60;
        sd = 5.5 - 0.02 * a60;
        x += 0.18 * (h - 162.0);
    }
    if (young && x > (p->male ? 52 : 32))
        x = p->male ? 52 : 32;
    x += sd * (-0.5 * f + 0.866 * normal(r));
    p->grip = units(clamp(x, 2, 80), 10);

    /* Usual gait speed, m/s. */
    x = young ? 1.30 + 0.002 * young : 1.28 - 0.0085 * a60 - 0.00015 * a60 * a60;
    x += (p->male ? 0.04 : 0) - (p->hospital ? 0.15 : 0);
    x += 0.20 * (-0.6 * f + 0.8 * normal(r));
    p->gait = units(clamp(x, 0.15, 2.2), 100);

    /* 5x chair stand, s; the frailest cannot do it. */
    x = young ? 9.5 : 10.8 + 0.12 * a60 + 0.004 * a60 * a60;
    sd = 2.8 + 0.05 * a60;
    x += sd * (0.55 * f + 0.835 * skewed(r));
    p->chair_unable = f > 2.0 || x > 40;
    p->chair = units(clamp(x, 4.5, 40), 100);

    /* Timed up and go, s. */
    x = young ? 7.0 : 8.0 + 0.08 * a60 + 0.004 * a60 * a60;
    sd = 2.0 + 0.06 * a60;
    x += sd * (0.6 * f + 0.8 * skewed(r));
    p->tug = units(clamp(x, 4, 120), 10);

    /* 400 m walk, s. */
    x = young ? 260 : 290 + 2.5 * a60 + 0.08 * a60 * a60;
    sd = 45 + 1.5 * a60;
    x += sd * (0.6 * f + 0.8 * skewed(r));
    p->w400_not_completed = f > 1.8 || x > 1500;
    p->w400 = units(clamp(x, 150, 1500), 1);

    /* 6-minute walk distance, m. */
    x = young ? 580 : 540 - 4.0 * a60 - 0.05 * a60 * a60;
    x += (p->male ? 30 : 0) + 75 * (-0.6 * f + 0.8 * normal(r));
    p->sixmw = units(clamp(x, 40, 850), 1);

    /* SPPB from the same walk and chair stand, plus a balance score. */
    x = 0.7 * f + 0.7 * normal(r) + 0.03 * a60;
    k = x < 0.4 ? 4 : x < 1.0 ? 3 : x < 1.6 ? 2 : x < 2.2 ? 1 : 0;
    p->sppb = k + sppb_gait_points(p->gait) + sppb_chair_points(p->chair, p->chair_unable);

    /* Calf circumference, cm: body size, a little age and frailty. */
    x = (p->male ? 37.5 - 0.07 * a60 : 36.0 - 0.06 * a60) + 0.45 * (bmi - 27) +
        2.4 * (-0.2 * f + 0.98 * normal(r));
    p->calf = units(clamp(x, 24, 55), 10);

    /* ASM, kg: ASMI by sex, BMI, age and frailty, times height squared. BIA reads
     * a little higher than DXA. */
    p->asm_bia = unif(r) < (p->hospital ? 0.6 : 0.4);
    if (p->male)
        asmi = 7.9 + 0.17 * (bmi - 27) - 0.022 * a60 + 0.75 * (-0.3 * f + 0.954 * normal(r));
    else
        asmi = 6.1 + 0.13 * (bmi - 27) - 0.012 * a60 + 0.65 * (-0.3 * f + 0.954 * normal(r));
    asmi += p->asm_bia ? 0.3 : 0;
    p->asm_ = units(clamp(asmi * hm * hm, 8, 45), 100);

    /* BIA readings (only written with --bia): resistance falls with body size. */
    x = (p->male ? 470 : 560) - 2.0 * (h - (p->male ? 175.5 : 162.0)) + 55 * normal(r);
    p->bia_r = units(clamp(x, 300, 900), 1);
    p->bia_xc = units(clamp(52 - 4 * f + 7 * normal(r), 20, 100), 1);
    u = unif(r);
    p->bia_eq = u < 0.8 ? 0 : u < 0.9 ? 1 : 2;

    /* SARC-F total. */
    x = 1.0 + 1.5 * f + 0.06 * a60 + (p->hospital ? 1.0 : 0) + normal(r);
    p->sarcf = units(clamp(x, 0, 10), 1);

    /* Design: stratum, PSU, weight. */
    p->stratum = (int)(15 * unif(r));
    p->psu = unif(r) < 0.5 ? 1 : 2;
    x = stratum_base[p->stratum] *
        (age < 60   ? 2.5
         : age < 75 ? 1.0
         : age < 85 ? 0.7
                    : 0.45) *
        (p->male ? 1.1 : 1.0) * (0.75 + 0.6 * unif(r));
    p->weight_survey = units(x, 100);
    p->stratum += 1;
}

/* ---- invalid rows ------------------------------------------------------- */

/* Each replaces one field with something the engine must reject. */
typedef struct {
    const char *field;
    const char *value;
} bad_kind;

static const bad_kind bad_kinds[] = {
    {"age", "17"},
    {"age", "121"},
    {"height", "95.0"},
    {"height", "231.5"},
    {"weight", "24.0"},
    {"weight", "320.0"},
    {"grip", "100.5"},
    {"grip", "-1.0"},
    {"grip", "abc"},
    {"chair_stand_5x", "2.50"},
    {"chair_stand_5x", "unabel"},
    {"gait_speed", "0.03"},
    {"gait_speed", "3.50"},
    {"tug", "2.0"},
    {"walk_400m", "4000"},
    {"walk_400m", "stopped"},
    {"six_minute_walk", "1200"},
    {"sppb_total", "13"},
    {"sppb_total", "7.5"},
    {"calf", "12.0"},
    {"asm", "65.00"},
    {"asm_method", "mri"},
    {"asm_method", ""}, /* ASM given without its method */
    {"sarc_f_total", "11"},
    {"sex", "x"},
    {"setting", "nursing_home"},
};
#define N_BAD (sizeof(bad_kinds) / sizeof(bad_kinds[0]))

/* ---- main ---------------------------------------------------------------- */

static const char *const miss_tokens[3] = {"", "NA", "."};

static double parse_double(const char *opt, const char *s, double lo, double hi)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        fprintf(stderr, "gen_cohort: %s takes a number from %g to %g, not '%s'\n", opt, lo, hi, s);
        exit(64);
    }
    return v;
}

static uint64_t parse_u64(const char *opt, const char *s)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-') {
        fprintf(stderr, "gen_cohort: %s takes a non-negative integer, not '%s'\n", opt, s);
        exit(64);
    }
    return (uint64_t)v;
}

static void usage(FILE *f)
{
    fputs("usage: gen_cohort --rows N [--seed S] [--missing-rate R] [--bad-rate R] [--bia]\n"
          "                  [--bad-list FILE] [-o FILE]\n"
          "Writes a synthetic cohort (header + N rows) in the canonical CSV of\n"
          "`myotrack screen`. --seed (default 1) fixes the output byte for byte;\n"
          "--missing-rate is the mean fraction of missing measurement cells\n"
          "(default 0.3958, the built-in per-column pattern; 0 = complete);\n"
          "--bad-rate is the fraction of rows made invalid (default 0), listed\n"
          "with --bad-list as id,field,value; --bia adds BIA reading columns.\n",
          f);
}

int main(int argc, char **argv)
{
    uint64_t rows = 0, seed = 1, i;
    int have_rows = 0, bia = 0, c;
    double missing_rate = -1, bad_rate = 0, scale, pattern_mean = 0;
    uint64_t miss_below[C_N]; /* a gap when 32 random bits are below this */
    const char *out_path = NULL, *bad_path = NULL;
    char *o = out_buf;
    FILE *bad_file = NULL;

    for (c = 1; c < argc; c++) {
        const char *a = argv[c];
        const char *v = c + 1 < argc ? argv[c + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--bia") == 0) {
            bia = 1;
            continue;
        }
        if (!v) {
            usage(stderr);
            return 64;
        }
        if (strcmp(a, "--rows") == 0) {
            rows = parse_u64(a, v);
            have_rows = 1;
        } else if (strcmp(a, "--seed") == 0) {
            seed = parse_u64(a, v);
        } else if (strcmp(a, "--missing-rate") == 0) {
            missing_rate = parse_double(a, v, 0, 1);
        } else if (strcmp(a, "--bad-rate") == 0) {
            bad_rate = parse_double(a, v, 0, 1);
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            out_path = v;
        } else if (strcmp(a, "--bad-list") == 0) {
            bad_path = v;
        } else {
            fprintf(stderr, "gen_cohort: unknown option '%s'\n", a);
            usage(stderr);
            return 64;
        }
        c++;
    }
    if (!have_rows) {
        usage(stderr);
        return 64;
    }

    for (c = 0; c < C_BIA; c++)
        pattern_mean += MISS_PATTERN[c];
    pattern_mean /= C_BIA;
    scale = missing_rate < 0 ? 1.0 : missing_rate / pattern_mean;
    for (c = 0; c < C_BIA; c++)
        miss_below[c] = (uint64_t)(clamp(MISS_PATTERN[c] * scale, 0, 1) * 4294967296.0);

    out_file = stdout;
    if (out_path && strcmp(out_path, "-") != 0) {
        out_name = out_path;
        out_file = fopen(out_path, "wb");
        if (!out_file)
            die("cannot open for writing", out_path);
    }
    setvbuf(out_file, NULL, _IONBF, 0); /* out_buf is the buffer: no second copy */
    if (bad_path) {
        bad_file = fopen(bad_path, "w");
        if (!bad_file)
            die("cannot open for writing", bad_path);
        fputs("id,field,value\n", bad_file);
    }

    PUT_STR("id,sex,age,height,weight,grip,chair_stand_5x,gait_speed,tug,walk_400m,"
            "six_minute_walk,sppb_total,calf,asm,asm_method,");
    if (bia)
        PUT_STR("bia_resistance,bia_reactance,bia_equation,");
    PUT_STR("sarc_f_total,setting,survey_weight,strata,psu\n");

    for (i = 1; i <= rows; i++) {
        rng rv, rm, rb;
        person p;
        int gap[C_N], tok[C_N], use_bia = 0;
        const bad_kind *bad = NULL;

        rng_seed(&rv, seed, i, 1);
        rng_seed(&rm, seed, i, 2);
        make_person(&p, &rv);
        for (c = 0; c < C_BIA; c++) {
            uint64_t d = next(&rm);
            uint32_t t = (uint32_t)(((d >> 32) * 10) >> 32); /* 0-9 */
            gap[c] = (d & 0xffffffffu) < miss_below[c];
            tok[c] = t < 7 ? 0 : t < 9 ? 1 : 2;
        }
        if (bia && gap[C_ASM] && !gap[C_HEIGHT] && !gap[C_WEIGHT])
            use_bia = unif(&rm) < 0.10;
        gap[C_BIA] = !use_bia;
        tok[C_BIA] = 0;
        if (bad_rate > 0) {
            rng_seed(&rb, seed, i, 3);
            if (unif(&rb) < bad_rate) {
                bad = &bad_kinds[(size_t)(unif(&rb) * (double)N_BAD)];
                if (strcmp(bad->field, "asm") == 0 || strcmp(bad->field, "asm_method") == 0) {
                    gap[C_ASM] = 0;
                    gap[C_BIA] = 1; /* the fault is the ASM, not a clash with BIA */
                }
                if (bad_file)
                    fprintf(bad_file, "%llu,%s,%s\n", (unsigned long long)i, bad->field,
                            bad->value);
            }
        }

/* A measurement cell: the bad value, a gap token, or what `emit` writes. */
#define CELL(name, col, emit)                                                                      \
    do {                                                                                           \
        if (bad && strcmp(bad->field, name) == 0)                                                  \
            PUT_STR(bad->value);                                                                   \
        else if (gap[col])                                                                         \
            PUT_STR(miss_tokens[tok[col]]);                                                        \
        else {                                                                                     \
            emit;                                                                                  \
        }                                                                                          \
        PUT_CHAR(',');                                                                             \
    } while (0)

        PUT_FIXED((int64_t)i, 0);
        PUT_CHAR(',');
        PUT_STR(bad && strcmp(bad->field, "sex") == 0 ? bad->value : p.male ? "male" : "female");
        PUT_CHAR(',');
        if (bad && strcmp(bad->field, "age") == 0)
            PUT_STR(bad->value);
        else
            PUT_FIXED(p.age, 0);
        PUT_CHAR(',');
        CELL("height", C_HEIGHT, PUT_FIXED(p.height, 1));
        CELL("weight", C_WEIGHT, PUT_FIXED(p.weight, 1));
        CELL("grip", C_GRIP, PUT_FIXED(p.grip, 1));
        CELL("chair_stand_5x", C_CHAIR, p.chair_unable ? PUT_STR("unable") : PUT_FIXED(p.chair, 2));
        CELL("gait_speed", C_GAIT, PUT_FIXED(p.gait, 2));
        CELL("tug", C_TUG, PUT_FIXED(p.tug, 1));
        CELL("walk_400m", C_W400,
             p.w400_not_completed ? PUT_STR("not_completed") : PUT_FIXED(p.w400, 0));
        CELL("six_minute_walk", C_SIXMW, PUT_FIXED(p.sixmw, 0));
        CELL("sppb_total", C_SPPB, PUT_FIXED(p.sppb, 0));
        CELL("calf", C_CALF, PUT_FIXED(p.calf, 1));
        CELL("asm", C_ASM, PUT_FIXED(p.asm_, 2));
        if (bad && strcmp(bad->field, "asm_method") == 0)
            PUT_STR(bad->value);
        else if (!gap[C_ASM])
            PUT_STR(p.asm_bia ? "bia" : "dxa");
        PUT_CHAR(',');
        if (bia) {
            if (!gap[C_BIA]) {
                PUT_FIXED(p.bia_r, 0);
                PUT_CHAR(',');
                PUT_FIXED(p.bia_xc, 0);
                PUT_CHAR(',');
                PUT_STR(bia_equations[p.bia_eq]);
                PUT_CHAR(',');
            } else {
                PUT_STR(",,,");
            }
        }
        CELL("sarc_f_total", C_SARCF, PUT_FIXED(p.sarcf, 0));
        PUT_STR(bad && strcmp(bad->field, "setting") == 0 ? bad->value
                : p.hospital                              ? "hospital"
                                                          : "community");
        PUT_CHAR(',');
        PUT_FIXED(p.weight_survey, 2);
        PUT_CHAR(',');
        PUT_FIXED(p.stratum, 0);
        PUT_CHAR(',');
        PUT_FIXED(p.stratum * 100 + p.psu, 0);
        PUT_CHAR('\n');
#undef CELL
        if (o > out_buf + OUT_SIZE - ROW_MAX) {
            out_len = (size_t)(o - out_buf);
            flush_out();
            o = out_buf;
        }
    }
    out_len = (size_t)(o - out_buf);
    flush_out();
    if (fflush(out_file) != 0 || (out_file != stdout && fclose(out_file) != 0))
        die("cannot write", out_name);
    if (bad_file && fclose(bad_file) != 0)
        die("cannot write", bad_path);
    return 0;
}
