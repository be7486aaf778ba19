/*
 * units.c - typed quantities to canonical units (mt_quantity_parse).
 *
 * A document may give a measurement as a string with a unit: "40 lb",
 * "5 ft 3 in", "5'3\"", "6 min 30 s", "6:30", "2.5 km/h". This file reads one
 * such string (at most 64 bytes, bounded by `len`, never by a NUL) and
 * converts it to the canonical unit the caller asks for (kg, cm, m, s, m/s,
 * ohm). The number is read by a small decimal parser of our own (no strtod, so
 * no locale, no exponent, no hex), kept as an integer mantissa and a power of
 * ten, and every unit factor is a rational num * 10^exp / den: while the
 * integers stay below 2^53 the result is one correctly rounded division, so
 * exact inputs give exact answers ("1.62 m" is 162 cm, "5 ft 3 in" is
 * 160.02 cm). Errors are one line naming the rule that was broken. No global
 * mutable state, no allocation, no printing; snprintf only on the error path.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "myotrack.h"

#define QTY_MAX_LEN   64                    /* longest accepted string, bytes */
#define QTY_MAX_SIG   15                    /* significant digits in a number */
#define QTY_MAX_INT   1000000000ULL         /* largest integer part */
#define EXACT_LIMIT   (1ULL << 53)          /* integers a double holds exactly */
#define QTY_MAX_PART  3                     /* h min s */
#define UNIT_MAX_NAME 16                    /* longest unit spelling, bytes */
#define UNIT_MASK(u)  (1u << (unsigned)(u)) /* a bit per mt_unit target */

/* The kind of quantity a unit measures. */
enum qty_kind { K_MASS, K_LENGTH, K_TIME, K_SPEED, K_IMPEDANCE };

/* The place of a unit in a compound ("5 ft 3 in", "1 h 2 min 3 s"). */
enum qty_role { R_NONE, R_INCH, R_FEET, R_SEC, R_MIN, R_HOUR };

/* One accepted spelling: factor to the kind's SI base (kg, m, s, m/s, ohm) is
 * num * 10^exp / den. */
typedef struct unit_def {
    const char *name; /* lower case; matched ASCII-case-insensitively */
    unsigned char len;
    unsigned char kind;
    unsigned char accept; /* UNIT_MASK of the targets that accept it */
    unsigned char role;
    uint32_t num;
    signed char exp;
    unsigned char den;
} unit_def;

#define A_KG  UNIT_MASK(MT_UNIT_KG)
#define A_CM  UNIT_MASK(MT_UNIT_CM)
#define A_M   UNIT_MASK(MT_UNIT_M)
#define A_S   UNIT_MASK(MT_UNIT_S)
#define A_MPS UNIT_MASK(MT_UNIT_MPS)
#define A_OHM UNIT_MASK(MT_UNIT_OHM)

#define UDEF(n, kind, acc, role, num, exp, den)                                                    \
    {                                                                                              \
        n, sizeof(n) - 1, kind, acc, role, num, exp, den                                           \
    }

/* Every spelling, sorted by the bytes of its name: find_unit() bisects. */
static const unit_def UNITS[] = {
    UDEF("\"", K_LENGTH, A_CM, R_INCH, 254, -4, 1),
    UDEF("'", K_LENGTH, A_CM, R_FEET, 3048, -4, 1),
    UDEF("''", K_LENGTH, A_CM, R_INCH, 254, -4, 1),
    UDEF("cm", K_LENGTH, A_CM | A_M, R_NONE, 1, -2, 1),
    UDEF("cm/s", K_SPEED, A_MPS, R_NONE, 1, -2, 1),
    UDEF("feet", K_LENGTH, A_CM | A_M, R_FEET, 3048, -4, 1),
    UDEF("foot", K_LENGTH, A_CM | A_M, R_FEET, 3048, -4, 1),
    UDEF("fps", K_SPEED, A_MPS, R_NONE, 3048, -4, 1),
    UDEF("ft", K_LENGTH, A_CM | A_M, R_FEET, 3048, -4, 1),
    UDEF("ft/s", K_SPEED, A_MPS, R_NONE, 3048, -4, 1),
    UDEF("g", K_MASS, A_KG, R_NONE, 1, -3, 1),
    UDEF("gram", K_MASS, A_KG, R_NONE, 1, -3, 1),
    UDEF("grams", K_MASS, A_KG, R_NONE, 1, -3, 1),
    UDEF("h", K_TIME, A_S, R_HOUR, 3600, 0, 1),
    UDEF("hour", K_TIME, A_S, R_HOUR, 3600, 0, 1),
    UDEF("hours", K_TIME, A_S, R_HOUR, 3600, 0, 1),
    UDEF("hr", K_TIME, A_S, R_HOUR, 3600, 0, 1),
    UDEF("hrs", K_TIME, A_S, R_HOUR, 3600, 0, 1),
    UDEF("in", K_LENGTH, A_CM, R_INCH, 254, -4, 1),
    UDEF("inch", K_LENGTH, A_CM, R_INCH, 254, -4, 1),
    UDEF("inches", K_LENGTH, A_CM, R_INCH, 254, -4, 1),
    UDEF("kg", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("kgs", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("kilo", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("kilogram", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("kilograms", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("kilos", K_MASS, A_KG, R_NONE, 1, 0, 1),
    UDEF("km", K_LENGTH, A_M, R_NONE, 1, 3, 1),
    UDEF("km/h", K_SPEED, A_MPS, R_NONE, 5, 0, 18),
    UDEF("km/hr", K_SPEED, A_MPS, R_NONE, 5, 0, 18),
    UDEF("kmh", K_SPEED, A_MPS, R_NONE, 5, 0, 18),
    UDEF("kph", K_SPEED, A_MPS, R_NONE, 5, 0, 18),
    UDEF("lb", K_MASS, A_KG, R_NONE, 45359237, -8, 1),
    UDEF("lbs", K_MASS, A_KG, R_NONE, 45359237, -8, 1),
    UDEF("m", K_LENGTH, A_CM | A_M, R_NONE, 1, 0, 1),
    UDEF("m/s", K_SPEED, A_MPS, R_NONE, 1, 0, 1),
    UDEF("meter", K_LENGTH, A_CM | A_M, R_NONE, 1, 0, 1),
    UDEF("meters", K_LENGTH, A_CM | A_M, R_NONE, 1, 0, 1),
    UDEF("metre", K_LENGTH, A_CM | A_M, R_NONE, 1, 0, 1),
    UDEF("metres", K_LENGTH, A_CM | A_M, R_NONE, 1, 0, 1),
    UDEF("mi", K_LENGTH, A_M, R_NONE, 1609344, -3, 1),
    UDEF("mi/h", K_SPEED, A_MPS, R_NONE, 44704, -5, 1),
    UDEF("mile", K_LENGTH, A_M, R_NONE, 1609344, -3, 1),
    UDEF("miles", K_LENGTH, A_M, R_NONE, 1609344, -3, 1),
    UDEF("min", K_TIME, A_S, R_MIN, 60, 0, 1),
    UDEF("mins", K_TIME, A_S, R_MIN, 60, 0, 1),
    UDEF("minute", K_TIME, A_S, R_MIN, 60, 0, 1),
    UDEF("minutes", K_TIME, A_S, R_MIN, 60, 0, 1),
    UDEF("mm", K_LENGTH, A_CM, R_NONE, 1, -3, 1),
    UDEF("mph", K_SPEED, A_MPS, R_NONE, 44704, -5, 1),
    UDEF("mps", K_SPEED, A_MPS, R_NONE, 1, 0, 1),
    UDEF("ms", K_TIME, A_S, R_NONE, 1, -3, 1),
    UDEF("ohm", K_IMPEDANCE, A_OHM, R_NONE, 1, 0, 1),
    UDEF("ohms", K_IMPEDANCE, A_OHM, R_NONE, 1, 0, 1),
    UDEF("pound", K_MASS, A_KG, R_NONE, 45359237, -8, 1),
    UDEF("pounds", K_MASS, A_KG, R_NONE, 45359237, -8, 1),
    UDEF("s", K_TIME, A_S, R_SEC, 1, 0, 1),
    UDEF("sec", K_TIME, A_S, R_SEC, 1, 0, 1),
    UDEF("second", K_TIME, A_S, R_SEC, 1, 0, 1),
    UDEF("seconds", K_TIME, A_S, R_SEC, 1, 0, 1),
    UDEF("secs", K_TIME, A_S, R_SEC, 1, 0, 1),
    UDEF("yard", K_LENGTH, A_M, R_NONE, 9144, -4, 1),
    UDEF("yards", K_LENGTH, A_M, R_NONE, 9144, -4, 1),
    UDEF("yd", K_LENGTH, A_M, R_NONE, 9144, -4, 1),
    UDEF("\xCE\xA9", K_IMPEDANCE, A_OHM, R_NONE, 1, 0, 1),     /* U+03A9 capital omega */
    UDEF("\xE2\x80\x99", K_LENGTH, A_CM, R_FEET, 3048, -4, 1), /* U+2019 right quote */
    UDEF("\xE2\x80\x9D", K_LENGTH, A_CM, R_INCH, 254, -4, 1),  /* U+201D right dquote */
    UDEF("\xE2\x80\xB2", K_LENGTH, A_CM, R_FEET, 3048, -4, 1), /* U+2032 prime */
    UDEF("\xE2\x80\xB3", K_LENGTH, A_CM, R_INCH, 254, -4, 1),  /* U+2033 double prime */
    UDEF("\xE2\x84\xA6", K_IMPEDANCE, A_OHM, R_NONE, 1, 0, 1), /* U+2126 ohm sign */
};

/* Compounds are summed in inches or seconds; a bare number is canonical. */
static const unit_def INCH = UDEF("in", K_LENGTH, A_CM, R_INCH, 254, -4, 1);
static const unit_def SECOND = UDEF("s", K_TIME, A_S, R_SEC, 1, 0, 1);
static const unit_def UNITY = UDEF("", K_MASS, 0, R_NONE, 1, 0, 1);

static const char *const KIND_NAME[] = {"a mass", "a length", "a time", "a speed", "an impedance"};

/* What each mt_unit target is: its kind, its power of ten from the SI base,
 * and the words of its error messages. */
typedef struct target_def {
    unsigned char kind;
    signed char shift; /* canonical = SI base * 10^shift (cm: +2) */
    const char *what;
    const char *expected;
    const char *accepted;
} target_def;

static const target_def TARGETS[] = {
    [MT_UNIT_KG] = {K_MASS, 0, "a mass", "a mass (kg or lb)", "kg, g, lb"},
    [MT_UNIT_CM] = {K_LENGTH, 2, "a body length", "a body length (cm, m, in or ft)",
                    "cm, mm, m, in, ft"},
    [MT_UNIT_M] = {K_LENGTH, 0, "a distance", "a distance (m, km, ft, yd or mi)",
                   "m, km, cm, ft, yd, mi"},
    [MT_UNIT_S] = {K_TIME, 0, "a time", "a time (s, min or h)", "s, ms, min, h"},
    [MT_UNIT_MPS] = {K_SPEED, 0, "a speed", "a speed (m/s, km/h or mph)",
                     "m/s, km/h, mph, ft/s, cm/s"},
    [MT_UNIT_OHM] = {K_IMPEDANCE, 0, "an impedance", "an impedance (ohm)", "ohm"},
};

static const uint64_t P10U[] = {1ULL,
                                10ULL,
                                100ULL,
                                1000ULL,
                                10000ULL,
                                100000ULL,
                                1000000ULL,
                                10000000ULL,
                                100000000ULL,
                                1000000000ULL,
                                10000000000ULL,
                                100000000000ULL,
                                1000000000000ULL,
                                10000000000000ULL,
                                100000000000000ULL,
                                1000000000000000ULL,
                                10000000000000000ULL};
#define P10U_MAX 16

/* A parsed decimal: n * 10^-e, with the integer part's digit count. */
typedef struct qty_num {
    uint64_t n;
    uint64_t int_val;
    int e;
    int int_digits;
    int has_frac;
} qty_num;

/* One part of a compound, counted in the compound's base unit. */
typedef struct qty_part {
    uint64_t n;
    int e;
    uint32_t mult;
} qty_part;

/* --- errors ------------------------------------------------------------ */

#define fail(err, ...) mt_error_set((err), MT_EINVAL, "", __VA_ARGS__)

/* Copy [b, e) for quoting in a message, control bytes made spaces. */
static const char *quote(char *buf, const char *b, const char *e)
{
    size_t n = (size_t)(e - b), i;
    if (n > QTY_MAX_LEN)
        n = QTY_MAX_LEN;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        buf[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    buf[n] = '\0';
    return buf;
}

static int fail_after(mt_error *err, const char *start, const char *last)
{
    char q[QTY_MAX_LEN + 1];
    return fail(err, "unexpected text after '%s'", quote(q, start, last));
}

/* --- lexing ------------------------------------------------------------ */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Bytes of whitespace at p: ASCII space/tab/CR/LF/VT/FF, U+00A0, U+202F. */
static size_t ws_len(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xC2 && end - p >= 2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (c == 0xE2 && end - p >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

static const char *skip_ws(const char *p, const char *end)
{
    size_t w;
    while (p < end && (w = ws_len(p, end)) != 0)
        p += w;
    return p;
}

/* Length of the unit token at p (a run of letters and '/', or one symbol). */
static size_t unit_len(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t avail = (size_t)(end - p);
    if (is_alpha(*p)) {
        size_t n = 1;
        while (n < avail && (is_alpha(p[n]) || p[n] == '/'))
            n++;
        return n;
    }
    if (*p == '\'')
        return (avail >= 2 && p[1] == '\'') ? 2 : 1;
    if (*p == '"')
        return 1;
    if (u[0] == 0xCE && avail >= 2 && u[1] == 0xA9)
        return 2;
    if (u[0] == 0xE2 && avail >= 3) {
        if (u[1] == 0x80 && (u[2] == 0xB2 || u[2] == 0xB3 || u[2] == 0x99 || u[2] == 0x9D))
            return 3;
        if (u[1] == 0x84 && u[2] == 0xA6)
            return 3;
    }
    return 0;
}

/* ASCII case-insensitive equality of p[0..n) and a lower-case name. */
static int word_is(const char *p, size_t n, const char *name, size_t name_len)
{
    size_t i;
    if (n != name_len)
        return 0;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return 0;
    }
    return 1;
}

/* The spelling [p, p+n), ASCII case folded, in UNITS; or NULL. */
static const unit_def *find_unit(const char *p, size_t n)
{
    char low[UNIT_MAX_NAME];
    size_t i, lo = 0, hi = sizeof UNITS / sizeof UNITS[0];
    if (n > sizeof low)
        return NULL;
    for (i = 0; i < n; i++)
        low[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unit_def *d = &UNITS[mid];
        int c = memcmp(low, d->name, n < d->len ? n : d->len);
        if (c == 0)
            c = (n > d->len) - (n < d->len);
        if (c == 0)
            return d;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The unit token [p, p+n) for `unit`, or NULL with err filled. */
static const unit_def *lookup(const char *p, size_t n, mt_unit unit, mt_error *err)
{
    const unit_def *d = find_unit(p, n);
    const target_def *t = &TARGETS[unit];
    char q[QTY_MAX_LEN + 1];
    if (d != NULL && (d->accept & UNIT_MASK(unit)))
        return d;
    quote(q, p, p + n);
    if (d == NULL)
        fail(err, "unknown unit '%s'; accepted: %s", q, t->accepted);
    else if (d->kind != t->kind)
        fail(err, "'%s' is %s unit; expected %s", q, KIND_NAME[d->kind], t->expected);
    else
        fail(err, "'%s' is not accepted for %s; accepted: %s", q, t->what, t->accepted);
    return NULL;
}

/* The role a unit plays in a compound for this target (none if compounds
 * of its kind are not accepted there). */
static int role_for(const unit_def *d, mt_unit unit)
{
    if ((d->role == R_INCH || d->role == R_FEET) && unit != MT_UNIT_CM)
        return R_NONE;
    return d->role;
}

static uint32_t role_mult(int role)
{
    switch (role) {
    case R_FEET:
        return 12;
    case R_MIN:
        return 60;
    case R_HOUR:
        return 3600;
    default:
        return 1;
    }
}

/* --- numbers ----------------------------------------------------------- */

/*
 * Read digits with an optional '.' fraction at *pp. Returns 1 and advances
 * *pp, 0 if there is no number there, -1 if it is too large (more than
 * QTY_MAX_SIG significant digits or an integer part above QTY_MAX_INT).
 * Trailing zeros of the fraction are dropped, so "1.50000000000000000" is fine.
 */
static int parse_num(const char **pp, const char *end, qty_num *out)
{
    const char *p = *pp;
    uint64_t n = 0;
    int sig = 0, e = 0, pending = 0, digits = 0;

    while (p < end && is_digit(*p)) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > QTY_MAX_INT)
            return -1;
        if (n != 0)
            sig++;
        digits++;
        p++;
    }
    out->int_val = n;
    out->int_digits = digits;
    out->has_frac = 0;
    if (end - p >= 2 && *p == '.' && is_digit(p[1])) {
        out->has_frac = 1;
        p++;
        while (p < end && is_digit(*p)) {
            int d = *p - '0';
            p++;
            if (d == 0) {
                if (n == 0)
                    e++; /* leading zero: no significant digit */
                else
                    pending++;
                continue;
            }
            if (sig + pending + 1 > QTY_MAX_SIG)
                return -1;
            n = n * P10U[pending + 1] + (uint64_t)d;
            sig += pending + 1;
            e += pending + 1;
            pending = 0;
        }
    } else if (digits == 0) {
        return 0;
    }
    if (sig > QTY_MAX_SIG)
        return -1;
    out->n = n;
    out->e = e;
    *pp = p;
    return 1;
}

/* 1 if an exponent ("1e3", "2E-1") follows a number at p. */
static int exponent_at(const char *p, const char *end)
{
    return end - p >= 2 && (*p == 'e' || *p == 'E') &&
           (is_digit(p[1]) || p[1] == '+' || p[1] == '-');
}

static double pow10d(int k)
{
    double v = 1.0;
    while (k >= P10U_MAX) {
        v *= 1e16;
        k -= P10U_MAX;
    }
    return v * (double)P10U[k];
}

static double num_value(uint64_t n, int e)
{
    return (double)n / pow10d(e);
}

/* v * 10^x, for the inexact fallbacks. */
static double apply_exp(double v, int x)
{
    return x >= 0 ? v * pow10d(x) : v / pow10d(-x);
}

/* *a *= b if the product stays at or below EXACT_LIMIT; else return 0. */
static int mul_ok(uint64_t *a, uint64_t b)
{
    if (b != 0 && *a > EXACT_LIMIT / b)
        return 0;
    *a *= b;
    return *a <= EXACT_LIMIT;
}

/* n * 10^-e units of `d`, in the target's canonical unit (10^shift of SI). */
static double scale(uint64_t n, int e, const unit_def *d, int shift)
{
    int x = d->exp + shift - e;
    uint64_t num = n, den = d->den;
    if (mul_ok(&num, d->num)) {
        if (x >= 0 && x < P10U_MAX && mul_ok(&num, P10U[x]))
            return (double)num / (double)den; /* both exact: one rounding */
        if (x < 0 && -x < P10U_MAX && mul_ok(&den, P10U[-x]))
            return (double)num / (double)den;
    }
    return apply_exp((double)n * (double)d->num / (double)d->den, x);
}

/* Sum of compound parts (in the base unit), scaled like scale(). */
static double scale_parts(const qty_part *pt, int np, const unit_def *base, int shift)
{
    uint64_t total = 0;
    int i, e = 0;
    double v = 0.0;
    for (i = 0; i < np; i++)
        if (pt[i].e > e)
            e = pt[i].e;
    for (i = 0; i < np; i++) {
        uint64_t t = pt[i].n;
        int k = e - pt[i].e;
        if (k >= P10U_MAX || !mul_ok(&t, pt[i].mult) || !mul_ok(&t, P10U[k]))
            break;
        total += t;
        if (total > EXACT_LIMIT)
            break;
    }
    if (i == np)
        return scale(total, e, base, shift);
    for (i = 0; i < np; i++)
        v += num_value(pt[i].n, pt[i].e) * (double)pt[i].mult;
    return apply_exp(v * (double)base->num / (double)base->den, base->exp + shift);
}

/* --- forms ------------------------------------------------------------- */

/* "m:ss", "h:mm:ss", fraction on the last part; p is at the first ':'. */
static int parse_clock(const char *start, const char *p, const char *end, const qty_num *first,
                       mt_unit unit, double *out, mt_error *err)
{
    static const char bad[] = "a clock time must be m:ss or h:mm:ss "
                              "(two-digit minutes and seconds below 60)";
    qty_num f[2];
    qty_part pt[QTY_MAX_PART];
    int nf = 0, i;
    const char *last;

    if (unit != MT_UNIT_S)
        return fail(err, "a clock time (m:ss) is a time; expected %s", TARGETS[unit].expected);
    if (first->has_frac)
        return fail(err, "%s", bad);
    while (p < end && *p == ':') {
        if (nf == 2)
            return fail(err, "%s", bad);
        p++;
        if (p == end || !is_digit(*p))
            return fail(err, "%s", bad);
        if (parse_num(&p, end, &f[nf]) != 1 || f[nf].int_digits != 2 || f[nf].int_val >= 60)
            return fail(err, "%s", bad);
        nf++;
        if (f[nf - 1].has_frac && p < end && *p == ':')
            return fail(err, "%s", bad);
    }
    last = p;
    if (skip_ws(p, end) != end)
        return fail_after(err, start, last);
    pt[0].n = first->n;
    pt[0].e = first->e;
    pt[0].mult = nf == 2 ? 3600 : 60;
    for (i = 0; i < nf; i++) {
        pt[i + 1].n = f[i].n;
        pt[i + 1].e = f[i].e;
        pt[i + 1].mult = (nf == 2 && i == 0) ? 60 : 1;
    }
    *out = scale_parts(pt, nf + 1, &SECOND, 0);
    return MT_OK;
}

int mt_quantity_parse(const char *s, size_t len, mt_unit unit, double *out, mt_error *err)
{
    const char *p, *end, *start, *last;
    const unit_def *d, *base;
    qty_num num;
    qty_part pt[QTY_MAX_PART];
    int np, role, r;
    size_t i, n;

    if ((s == NULL && len > 0) || out == NULL)
        return mt_error_set(err, MT_EUSAGE, "", "mt_quantity_parse: %s is NULL", out ? "s" : "out");
    if ((unsigned)unit > (unsigned)MT_UNIT_OHM)
        return mt_error_set(err, MT_EUSAGE, "", "mt_quantity_parse: unknown target unit %d",
                            (int)unit);
    if (len == 0)
        return fail(err, "empty value");
    if (len > QTY_MAX_LEN)
        return fail(err, "too long (%zu bytes; at most %d)", len, QTY_MAX_LEN);
    for (i = 0; i < len; i++) {
        if (s[i] == '\0')
            return fail(err, "contains a NUL byte");
        if (s[i] == ',')
            return fail(err, "use '.' as the decimal separator");
    }
    end = s + len;
    start = p = skip_ws(s, end);
    if (p == end)
        return fail(err, "empty value");

    /* nan, inf, infinity (signed or not) */
    {
        const char *w = (*p == '+' || *p == '-') ? p + 1 : p;
        n = 0;
        while (w + n < end && is_alpha(w[n]))
            n++;
        if (word_is(w, n, "nan", 3) || word_is(w, n, "inf", 3) || word_is(w, n, "infinity", 8))
            return fail(err, "not a number");
    }
    if (*p == '-')
        return fail(err, "negative values are not accepted");
    if (*p == '+')
        p++;
    r = parse_num(&p, end, &num);
    if (r == 0)
        return fail(err, "no number");
    if (r < 0)
        return fail(err, "number too large (at most 15 significant digits, at most 1e9)");
    if (exponent_at(p, end))
        return fail(err, "exponent notation is not accepted");
    if (p < end && *p == ':')
        return parse_clock(start, p, end, &num, unit, out, err);

    last = p;
    p = skip_ws(p, end);
    if (p == end) { /* a bare number: already canonical */
        *out = scale(num.n, num.e, &UNITY, 0);
        return MT_OK;
    }
    n = unit_len(p, end);
    if (n == 0)
        return fail_after(err, start, last);
    d = lookup(p, n, unit, err);
    if (d == NULL)
        return MT_EINVAL;
    last = p + n;
    p = skip_ws(last, end);
    role = role_for(d, unit);
    if (p == end || (role != R_FEET && role != R_MIN && role != R_HOUR)) {
        if (p != end)
            return fail_after(err, start, last);
        *out = scale(num.n, num.e, d, TARGETS[unit].shift);
        return MT_OK;
    }

    /* a compound: 5 ft 3 in, 5'3", 1 h 2 min 3 s, 6 min 30 */
    pt[0].n = num.n;
    pt[0].e = num.e;
    pt[0].mult = role_mult(role);
    base = role == R_FEET ? &INCH : &SECOND;
    np = 1;
    while (p < end && np < QTY_MAX_PART && (role == R_FEET || role == R_MIN || role == R_HOUR)) {
        const char *q = p;
        const unit_def *d2;
        int role2;
        if (!is_digit(*q) && *q != '.')
            break;
        r = parse_num(&q, end, &num);
        if (r == 0)
            break;
        if (r < 0)
            return fail(err, "number too large (at most 15 significant digits, at most 1e9)");
        if (exponent_at(q, end))
            return fail(err, "exponent notation is not accepted");
        p = skip_ws(q, end);
        n = p < end ? unit_len(p, end) : 0;
        if (n == 0) { /* a bare number: inches after feet, seconds after min */
            if (role != R_FEET && role != R_MIN)
                return fail_after(err, start, last);
            role2 = role == R_FEET ? R_INCH : R_SEC;
            last = q;
        } else {
            d2 = lookup(p, n, unit, err);
            if (d2 == NULL)
                return MT_EINVAL;
            role2 = role_for(d2, unit);
            if (role2 == R_NONE || role2 >= role || (role == R_FEET) != (role2 == R_INCH))
                return fail(err, "in a compound, units go from largest to smallest "
                                 "(ft then in; h, min then s)");
            last = p + n;
            p = skip_ws(last, end);
        }
        if (role2 == R_INCH && num_value(num.n, num.e) >= 12.0)
            return fail(err, "inches must be below 12 in feet+inches");
        if ((role2 == R_MIN || role2 == R_SEC) && num_value(num.n, num.e) >= 60.0)
            return fail(err, "%s must be below 60 in a compound time",
                        role2 == R_MIN ? "minutes" : "seconds");
        pt[np].n = num.n;
        pt[np].e = num.e;
        pt[np].mult = role_mult(role2);
        np++;
        role = role2;
    }
    if (p != end)
        return fail_after(err, start, last);
    *out = scale_parts(pt, np, base, TARGETS[unit].shift);
    return MT_OK;
}
