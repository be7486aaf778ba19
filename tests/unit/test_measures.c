/*
 * test_measures.c - every equation of the engine against a value computed by
 * hand from /work/shared/clinical/REFERENCE.md: body indices (§6), the BIA
 * equations (§6), the six-minute walk (§4), the SPPB item bands (§4), the
 * grip norms (§5) and the screening scores (§3).
 *
 * The engine keeps every stored or derived value at 4 decimals, so engine
 * values are compared with a tolerance of 0.0001. Values reached through a
 * document are read back from the JSON output (mt_result_render_json).
 */
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <jansson.h>

#include "testjson.h"

#include "engine/result.h"
#include "definitions/screening.h"

#define TOL 0.0001

/* ---- reading the JSON output of one document ------------------------------ */


#define MAX_PATHS 8

/* The values at `paths` in the JSON output of `doc`. Every allocation is
 * released before returning, so a failing assertion afterwards leaks nothing. */
typedef struct output {
    int ok;
    char why[400];
    jv v[MAX_PATHS];
} output;

static output read_output(const char *doc, const char *const *paths, int n)
{
    output o;
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    char *text = NULL;
    size_t len = 0;
    json_t *root;
    json_error_t je;
    int i, rc;

    memset(&o, 0, sizeof o);
    memset(&err, 0, sizeof err);
    rc = mt_input_parse_json(&in, doc, strlen(doc), &err);
    if (rc != MT_OK) {
        snprintf(o.why, sizeof o.why, "parse rc %d: %s", rc, err.message);
        return o;
    }
    rc = mt_assess(&res, in, &err);
    mt_input_free(in);
    if (rc != MT_OK) {
        snprintf(o.why, sizeof o.why, "assess rc %d", rc);
        return o;
    }
    rc = mt_result_render_json(res, &text, &len);
    mt_result_free(res);
    if (rc != MT_OK) {
        mt_free(text);
        snprintf(o.why, sizeof o.why, "render rc %d", rc);
        return o;
    }
    root = json_loadb(text, len, 0, &je);
    mt_free(text);
    if (!root) {
        snprintf(o.why, sizeof o.why, "output is not JSON: %s", je.text);
        return o;
    }
    for (i = 0; i < n && i < MAX_PATHS; i++)
        o.v[i] = json_at(root, paths[i]);
    json_decref(root);
    o.ok = 1;
    return o;
}

/* One expectation on the output: a number, a boolean, null or a string. */
enum { X_NUM, X_BOOL, X_NULL, X_STR };
typedef struct expect {
    const char *path;
    int kind;
    double num; /* X_NUM value, X_BOOL 1/0 */
    const char *str;
} expect;

#define NUM(p, v)                                                                                  \
    {                                                                                              \
        p, X_NUM, v, NULL                                                                          \
    }
#define BOOL(p, v)                                                                                 \
    {                                                                                              \
        p, X_BOOL, v, NULL                                                                         \
    }
#define NUL(p)                                                                                     \
    {                                                                                              \
        p, X_NULL, 0, NULL                                                                         \
    }
#define STR(p, s)                                                                                  \
    {                                                                                              \
        p, X_STR, 0, s                                                                             \
    }

static void check_doc(const char *doc, const expect *e, int n)
{
    const char *paths[MAX_PATHS];
    output o;
    int i;

    assert_true(n <= MAX_PATHS);
    for (i = 0; i < n; i++)
        paths[i] = e[i].path;
    o = read_output(doc, paths, n);
    if (!o.ok)
        fail_msg("%s\n  document: %s", o.why, doc);
    for (i = 0; i < n; i++) {
        const jv *v = &o.v[i];
        switch (e[i].kind) {
        case X_NUM:
            if (v->type != JV_NUM)
                fail_msg("%s: expected the number %.4f, got %s\n  document: %s", e[i].path,
                         e[i].num, v->type == JV_NULL ? "null" : "no number", doc);
            if (!(fabs(v->num - e[i].num) <= TOL))
                fail_msg("%s = %.6f, expected %.6f (tolerance %g)\n  document: %s", e[i].path,
                         v->num, e[i].num, TOL, doc);
            break;
        case X_BOOL:
            if (v->type != JV_BOOL || v->num != e[i].num)
                fail_msg("%s: expected %s, got %s\n  document: %s", e[i].path,
                         e[i].num ? "true" : "false",
                         v->type == JV_BOOL ? (v->num ? "true" : "false") : "no boolean", doc);
            break;
        case X_NULL:
            if (v->type != JV_NULL)
                fail_msg("%s: expected null\n  document: %s", e[i].path, doc);
            break;
        case X_STR:
            if (v->type != JV_STR || strcmp(v->str, e[i].str) != 0)
                fail_msg("%s: expected \"%s\", got \"%s\"\n  document: %s", e[i].path, e[i].str,
                         v->type == JV_STR ? v->str : "(not a string)", doc);
            break;
        }
    }
}

#define CHECK(doc, ...)                                                                            \
    do {                                                                                           \
        const expect e_[] = {__VA_ARGS__};                                                         \
        check_doc((doc), e_, (int)(sizeof e_ / sizeof e_[0]));                                     \
    } while (0)

/* ---- body indices (REFERENCE §6) ------------------------------------------- */

/* woman 160 cm, 64 kg: h^2 = 2.56 m^2; BMI = 64 / 2.56 = 25.0
 * ASMI = 15.36 / 2.56 = 6.0; ALM/BMI = 15.36 / 25 = 0.6144; grip/BMI = 20 / 25 = 0.8 */
#define WOMAN_160_64                                                                               \
    "{\"person\": {\"sex\": \"female\", \"age\": 70, \"height\": 160, \"weight\": 64}, "           \
    "\"measurements\": {\"grip\": 20, \"asm\": 15.36, \"asm_method\": \"dxa\"}}"

/* man 175 cm, 80 kg: h^2 = 3.0625 m^2; BMI = 80 / 3.0625 = 26.12245 -> 26.1224
 * ASMI = 21 / 3.0625 = 6.857143 -> 6.8571
 * ALM/BMI = 21 / 26.12245 = 0.803906 -> 0.8039; grip/BMI = 35 / 26.12245 = 1.339844 -> 1.3398 */
#define MAN_175_80                                                                                 \
    "{\"person\": {\"sex\": \"male\", \"age\": 70, \"height\": 175, \"weight\": 80}, "             \
    "\"measurements\": {\"grip\": 35, \"asm\": 21, \"asm_method\": \"dxa\"}}"

/* mt_round4's inline round() against libm's, bit for bit: random bit
 * patterns (every exponent, NaN, infinities, subnormals), values around the
 * halves of every scale, the 2^52 edge, signed zeros. */
static int round4_same(double x)
{
    double a = mt_round4(x), b = round(x * 10000.0) / 10000.0;
    unsigned long long ua, ub;

    memcpy(&ua, &a, sizeof(ua));
    memcpy(&ub, &b, sizeof(ub));
    if (ua != ub)
        fprintf(stderr, "mt_round4(%a) = %a, libm %a\n", x, a, b);
    return ua == ub;
}

static void round4_equals_libm(void **state)
{
    uint64_t s = 20261121u, bits;
    long n = 0, k;
    int e, j;
    double x;

    (void)state;
    for (k = 0; k < 2000000; k++) { /* random doubles: any pattern */
        bits = mt_test_xorshift(&s);
        memcpy(&x, &bits, sizeof(x));
        n += round4_same(x);
    }
    for (e = -30; e <= 60; e++) /* halves and their neighbours, at every scale */
        for (j = 0; j < 2000; j++) {
            double y = ldexp(1.0, e) * (double)(mt_test_xorshift(&s) % 1000000) / 1000000.0;
            double h = floor(y) + 0.5, t = h / 10000.0;
            int sg;
            for (sg = -1; sg <= 1; sg += 2) {
                n += round4_same(sg * t);
                n += round4_same(sg * nextafter(t, INFINITY));
                n += round4_same(sg * nextafter(t, 0));
                n += round4_same(sg * y / 10000.0);
                n += round4_same(sg * y);
            }
        }
    {
        const double edge[] = {0.0, -0.0, 0.5, -0.5, 0.49999999999999994, 1.5, 2.5, -2.5,
                               0.00005, -0.00005, 0.00004999999999999999, 4503599627370496.0,
                               4503599627370495.5, -4503599627370495.5, 9007199254740992.0,
                               4503599627370496.0 / 10000.0, 1e300, -1e300, 5e-324, -5e-324,
                               DBL_MAX, -DBL_MAX, INFINITY, -INFINITY, NAN, -NAN};
        for (j = 0; j < (int)(sizeof(edge) / sizeof(edge[0])); j++) {
            n += round4_same(edge[j]);
            n += round4_same(nextafter(edge[j], INFINITY));
            n += round4_same(nextafter(edge[j], -INFINITY));
        }
    }
    for (k = -51200000; k <= 51200000; k++) /* a fine grid around the usual values */
        n += round4_same((double)k / 51200.0);
    assert_int_equal(n, 2000000 + 91 * 2000 * 10 + 26 * 3 + 102400001);
}

static void bmi_woman_160cm_64kg_is_25(void **state)
{
    (void)state;
    CHECK(WOMAN_160_64, NUM("tests.bmi", 25.0));
}

static void bmi_man_175cm_80kg_is_26_1224(void **state)
{
    (void)state;
    CHECK(MAN_175_80, NUM("tests.bmi", 26.1224));
}

static void asmi_woman_is_asm_over_height_squared(void **state)
{
    (void)state;
    CHECK(WOMAN_160_64, NUM("tests.asmi", 6.0), NUM("tests.asm.value", 15.36),
          STR("tests.asm.method", "dxa"));
}

static void asmi_man_is_asm_over_height_squared(void **state)
{
    (void)state;
    CHECK(MAN_175_80, NUM("tests.asmi", 6.8571));
}

static void alm_bmi_woman_is_asm_over_bmi(void **state)
{
    (void)state;
    CHECK(WOMAN_160_64, NUM("tests.alm_bmi", 0.6144));
}

static void alm_bmi_man_is_asm_over_bmi(void **state)
{
    (void)state;
    CHECK(MAN_175_80, NUM("tests.alm_bmi", 0.8039));
}

static void grip_bmi_woman_is_grip_over_bmi(void **state)
{
    (void)state;
    CHECK(WOMAN_160_64, NUM("tests.grip_bmi", 0.8));
}

static void grip_bmi_man_is_grip_over_bmi(void **state)
{
    (void)state;
    CHECK(MAN_175_80, NUM("tests.grip_bmi", 1.3398));
}

/* Without weight there is no BMI, so no ALM/BMI or grip/BMI; ASMI needs only
 * height: 15.36 / 2.56 = 6.0. Not measured is null, never 0. */
static void indices_without_weight_are_null(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 70, \"height\": 160}, "
          "\"measurements\": {\"grip\": 20, \"asm\": 15.36, \"asm_method\": \"dxa\"}}",
          NUL("tests.bmi"), NUL("tests.alm_bmi"), NUL("tests.grip_bmi"), NUM("tests.asmi", 6.0));
}

/* Without height there is neither BMI nor ASMI. */
static void indices_without_height_are_null(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 70, \"weight\": 80}, "
          "\"measurements\": {\"grip\": 35, \"asm\": 21, \"asm_method\": \"dxa\"}}",
          NUL("tests.bmi"), NUL("tests.asmi"), NUL("tests.alm_bmi"), NUL("tests.grip_bmi"),
          NUM("tests.asm.value", 21));
}

/* ---- BIA equations (REFERENCE §6): h cm, R and Xc ohm, sex 1 men 0 women --- */

/* sergi2015 = -3.964 + 0.227 h^2/R + 0.095 w + 1.384 sex + 0.064 Xc
 * h 170, R 500: h^2/R = 28900 / 500 = 57.8; 0.227 * 57.8 = 13.1206
 * w 70: 6.65; Xc 50: 3.2
 * man:   -3.964 + 13.1206 + 6.65 + 1.384 + 3.2 = 20.3906
 * woman: -3.964 + 13.1206 + 6.65 + 0     + 3.2 = 19.0066 */
static void bia_sergi2015_man(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_SERGI2015, MT_MALE, 170, 70, 75, 500, 50), 20.3906, TOL);
}

static void bia_sergi2015_woman(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_SERGI2015, MT_FEMALE, 170, 70, 75, 500, 50), 19.0066, TOL);
}

/* sergi2015 does not use age: the same inputs at age 65 and 85 agree. */
static void bia_sergi2015_ignores_age(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_SERGI2015, MT_MALE, 170, 70, 65, 500, 50), 20.3906, TOL);
    assert_close(mt_bia_estimate(MT_BIA_SERGI2015, MT_MALE, 170, 70, 85, 500, 50), 20.3906, TOL);
}

/* kim2014 = 0.104 h^2/R - 0.050 age + 2.954 sex + 0.055 w + 5.663
 * h 165, R 550: h^2/R = 27225 / 550 = 49.5; 0.104 * 49.5 = 5.148
 * age 70: -3.5; w 65: 3.575
 * man:   5.148 - 3.5 + 2.954 + 3.575 + 5.663 = 13.84
 * woman: 5.148 - 3.5 + 0     + 3.575 + 5.663 = 10.886 */
static void bia_kim2014_man(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_KIM2014, MT_MALE, 165, 65, 70, 550, 60), 13.84, TOL);
}

static void bia_kim2014_woman(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_KIM2014, MT_FEMALE, 165, 65, 70, 550, 60), 10.886, TOL);
}

/* yoshida2014 men = 0.197 h^2/R + 0.179 w - 0.019
 * h 170, R 500: 57.8 * 0.197 = 11.3866; w 70: 12.53 -> 11.3866 + 12.53 - 0.019 = 23.8976 */
static void bia_yoshida2014_man(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_YOSHIDA2014, MT_MALE, 170, 70, 70, 500, 50), 23.8976, TOL);
}

/* yoshida2014 women = 0.221 h^2/R + 0.117 w + 0.881
 * h 160, R 640: 25600 / 640 = 40; 0.221 * 40 = 8.84; w 55: 6.435
 * -> 8.84 + 6.435 + 0.881 = 16.156 */
static void bia_yoshida2014_woman(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_YOSHIDA2014, MT_FEMALE, 160, 55, 70, 640, 50), 16.156, TOL);
}

/* yoshida2014 women, h 155, R 600: 24025 / 600 = 40.041667; 0.221 * that = 8.849208
 * + 6.435 + 0.881 = 16.165208 -> 16.1652 (4 decimals) */
static void bia_yoshida2014_woman_rounded_to_4_decimals(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_YOSHIDA2014, MT_FEMALE, 155, 55, 70, 600, 50), 16.1652,
                 TOL);
}

/* janssen2000 (whole-body SM) = 0.401 h^2/R + 3.825 sex - 0.071 age + 5.102
 * h 180, R 450: 32400 / 450 = 72; 0.401 * 72 = 28.872; age 60: -4.26
 * man:   28.872 + 3.825 - 4.26 + 5.102 = 33.539
 * woman: 28.872 + 0     - 4.26 + 5.102 = 29.714 */
static void bia_janssen2000_man(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_JANSSEN2000, MT_MALE, 180, 80, 60, 450, 50), 33.539, TOL);
}

static void bia_janssen2000_woman(void **state)
{
    (void)state;
    assert_close(mt_bia_estimate(MT_BIA_JANSSEN2000, MT_FEMALE, 180, 80, 60, 450, 50), 29.714, TOL);
}

/* Through a document: sergi2015 man as above gives ASM 20.3906 kg by BIA;
 * ASMI = 20.3906 / 1.7^2 = 20.3906 / 2.89 = 7.05557 -> 7.0556. */
static void bia_document_sergi2015_gives_asm_and_asmi(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 75, \"height\": 170, \"weight\": 70}, "
          "\"measurements\": {\"bia\": {\"resistance\": 500, \"reactance\": 50, "
          "\"equation\": \"sergi2015\"}}}",
          NUM("tests.asm.value", 20.3906), STR("tests.asm.method", "bia"),
          STR("tests.asm.equation", "sergi2015"), NUM("tests.asmi", 7.0556));
}

/* Through a document: kim2014 woman as above gives ASM 10.886 kg;
 * ASMI = 10.886 / 1.65^2 = 10.886 / 2.7225 = 3.998531 -> 3.9985. */
static void bia_document_kim2014_gives_asm_and_asmi(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 70, \"height\": 165, \"weight\": 65}, "
          "\"measurements\": {\"bia\": {\"resistance\": 550, \"equation\": \"kim2014\"}}}",
          NUM("tests.asm.value", 10.886), STR("tests.asm.equation", "kim2014"),
          NUM("tests.asmi", 3.9985));
}

/* janssen2000 estimates whole-body muscle: reported apart, never as ASM
 * (REFERENCE §6: never feed into ASM/ASMI cut-offs). */
static void bia_document_janssen2000_is_not_asm(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 60, \"height\": 180, \"weight\": 80}, "
          "\"measurements\": {\"bia\": {\"resistance\": 450, \"equation\": \"janssen2000\"}}}",
          NUM("tests.whole_body_muscle.value", 33.539), NUL("tests.asm.value"), NUL("tests.asmi"),
          NUL("tests.alm_bmi"), NUL("definitions.ewgsop2.criteria.low_asmi.met"));
}

/* ---- six-minute walk (REFERENCE §4, Enright & Sherrill) -------------------- */

/* men = 7.57 h - 5.02 age - 1.76 w - 309
 * 175 cm, 80 kg, 72 y: 1324.75 - 361.44 - 140.8 - 309 = 513.51 */
static void six_mw_predicted_man(void **state)
{
    (void)state;
    assert_close(mt_six_mw_predicted(MT_MALE, 175, 80, 72), 513.51, TOL);
}

/* women = 2.11 h - 2.29 w - 5.78 age + 667
 * 160 cm, 60 kg, 70 y: 337.6 - 137.4 - 404.6 + 667 = 462.6 */
static void six_mw_predicted_woman(void **state)
{
    (void)state;
    assert_close(mt_six_mw_predicted(MT_FEMALE, 160, 60, 70), 462.6, TOL);
}

/* men 180 cm, 90 kg, 65 y: 1362.6 - 326.3 - 158.4 - 309 = 568.9 */
static void six_mw_predicted_man_second_point(void **state)
{
    (void)state;
    assert_close(mt_six_mw_predicted(MT_MALE, 180, 90, 65), 568.9, TOL);
}

/* women 150 cm, 50 kg, 80 y: 316.5 - 114.5 - 462.4 + 667 = 406.6 */
static void six_mw_predicted_woman_second_point(void **state)
{
    (void)state;
    assert_close(mt_six_mw_predicted(MT_FEMALE, 150, 50, 80), 406.6, TOL);
}

static void six_mw_lower_limit_offsets(void **state)
{
    (void)state;
    assert_close(mt_six_mw_lower_limit_offset(MT_MALE), 153, 1e-9);
    assert_close(mt_six_mw_lower_limit_offset(MT_FEMALE), 139, 1e-9);
}

#define SIX_MW_MAN(d)                                                                              \
    "{\"person\": {\"sex\": \"male\", \"age\": 72, \"height\": 175, \"weight\": 80}, "             \
    "\"measurements\": {\"six_minute_walk\": " d "}}"
#define SIX_MW_WOMAN(d)                                                                            \
    "{\"person\": {\"sex\": \"female\", \"age\": 70, \"height\": 160, \"weight\": 60}, "           \
    "\"measurements\": {\"six_minute_walk\": " d "}}"

/* 420 / 513.51 = 0.817900 -> 81.7900 %; lower limit 513.51 - 153 = 360.51 */
static void six_mw_document_man_420m(void **state)
{
    (void)state;
    CHECK(SIX_MW_MAN("420"), NUM("tests.six_minute_walk.predicted", 513.51),
          NUM("tests.six_minute_walk.lower_limit", 360.51),
          NUM("tests.six_minute_walk.percent_predicted", 81.79),
          BOOL("tests.six_minute_walk.below_lower_limit", 0));
}

/* at the lower limit: 360.51 / 513.51 = 70.2051 %, not below */
static void six_mw_man_at_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_MAN("360.51"), NUM("tests.six_minute_walk.percent_predicted", 70.2051),
          BOOL("tests.six_minute_walk.below_lower_limit", 0));
}

/* just below: 360.50 / 513.51 = 70.2031 %, below */
static void six_mw_man_just_below_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_MAN("360.50"), NUM("tests.six_minute_walk.percent_predicted", 70.2031),
          BOOL("tests.six_minute_walk.below_lower_limit", 1));
}

/* just above: 360.52 / 513.51 = 70.2070 %, not below */
static void six_mw_man_just_above_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_MAN("360.52"), NUM("tests.six_minute_walk.percent_predicted", 70.207),
          BOOL("tests.six_minute_walk.below_lower_limit", 0));
}

/* woman: predicted 462.6, lower limit 462.6 - 139 = 323.6; 323.6 / 462.6 = 69.9524 % */
static void six_mw_woman_at_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_WOMAN("323.6"), NUM("tests.six_minute_walk.predicted", 462.6),
          NUM("tests.six_minute_walk.lower_limit", 323.6),
          NUM("tests.six_minute_walk.percent_predicted", 69.9524),
          BOOL("tests.six_minute_walk.below_lower_limit", 0));
}

/* 323.59 / 462.6 = 69.9503 %, below */
static void six_mw_woman_just_below_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_WOMAN("323.59"), NUM("tests.six_minute_walk.percent_predicted", 69.9503),
          BOOL("tests.six_minute_walk.below_lower_limit", 1));
}

/* 323.61 / 462.6 = 69.9546 %, not below */
static void six_mw_woman_just_above_lower_limit(void **state)
{
    (void)state;
    CHECK(SIX_MW_WOMAN("323.61"), NUM("tests.six_minute_walk.percent_predicted", 69.9546),
          BOOL("tests.six_minute_walk.below_lower_limit", 0));
}

/* Without height and weight there is no prediction: null, not 0. */
static void six_mw_without_body_size_has_no_prediction(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 72}, "
          "\"measurements\": {\"six_minute_walk\": 420}}",
          NUM("tests.six_minute_walk.value", 420), NUL("tests.six_minute_walk.predicted"),
          NUL("tests.six_minute_walk.percent_predicted"),
          NUL("tests.six_minute_walk.below_lower_limit"));
}

/* ---- SPPB item bands (REFERENCE §4), one named test per edge -------------- */

enum { SP_BALANCE, SP_WALK4, SP_WALK3, SP_CHAIR };
typedef struct sppb_case {
    int item;
    double a, b, c; /* balance: side-by-side, semi-tandem, tandem; else a = seconds */
    int points;
    char name[96];
} sppb_case;

#define SP(i, x, y, z, p)                                                                          \
    {                                                                                              \
        .item = i, .a = x, .b = y, .c = z, .points = p                                             \
    }
static sppb_case sppb_cases[] = {
    /* balance: side-by-side < 10 -> 0; semi-tandem < 10 -> 1; tandem < 3 -> 2,
     * 3 to < 10 -> 3, 10 -> 4 */
    SP(SP_BALANCE, 9.99, 10, 10, 0),
    SP(SP_BALANCE, 0, 0, 0, 0),
    SP(SP_BALANCE, 10, 9.99, 10, 1),
    SP(SP_BALANCE, 10, 10, 0, 2),
    SP(SP_BALANCE, 10, 10, 2.99, 2),
    SP(SP_BALANCE, 10, 10, 3, 3),
    SP(SP_BALANCE, 10, 10, 9.99, 3),
    SP(SP_BALANCE, 10, 10, 10, 4),
    /* 4 m walk: < 4.82 -> 4; <= 6.20 -> 3; <= 8.70 -> 2; else 1 */
    SP(SP_WALK4, 4.81, 0, 0, 4),
    SP(SP_WALK4, 4.819, 0, 0, 4),
    SP(SP_WALK4, 4.82, 0, 0, 3),
    SP(SP_WALK4, 6.20, 0, 0, 3),
    SP(SP_WALK4, 6.205, 0, 0, 2),
    SP(SP_WALK4, 6.21, 0, 0, 2),
    SP(SP_WALK4, 8.70, 0, 0, 2),
    SP(SP_WALK4, 8.705, 0, 0, 1),
    SP(SP_WALK4, 8.71, 0, 0, 1),
    SP(SP_WALK4, 30, 0, 0, 1),
    /* 3 m walk: <= 3.62 -> 4; 3.63-4.65 -> 3; 4.66-6.52 -> 2; > 6.52 -> 1 */
    SP(SP_WALK3, 3.62, 0, 0, 4),
    SP(SP_WALK3, 3.625, 0, 0, 3),
    SP(SP_WALK3, 3.63, 0, 0, 3),
    SP(SP_WALK3, 4.65, 0, 0, 3),
    SP(SP_WALK3, 4.66, 0, 0, 2),
    SP(SP_WALK3, 6.52, 0, 0, 2),
    SP(SP_WALK3, 6.53, 0, 0, 1),
    /* chair: <= 11.19 -> 4; <= 13.69 -> 3; <= 16.69 -> 2; <= 60 -> 1; else 0 */
    SP(SP_CHAIR, 11.19, 0, 0, 4),
    SP(SP_CHAIR, 11.195, 0, 0, 3),
    SP(SP_CHAIR, 11.20, 0, 0, 3),
    SP(SP_CHAIR, 13.69, 0, 0, 3),
    SP(SP_CHAIR, 13.70, 0, 0, 2),
    SP(SP_CHAIR, 16.69, 0, 0, 2),
    SP(SP_CHAIR, 16.70, 0, 0, 1),
    SP(SP_CHAIR, 60, 0, 0, 1),
    SP(SP_CHAIR, 60.01, 0, 0, 0),
};
#define N_SPPB (sizeof(sppb_cases) / sizeof(sppb_cases[0]))

static void test_sppb_case(void **state)
{
    const sppb_case *s = *state;
    int got = -1;

    switch (s->item) {
    case SP_BALANCE:
        got = mt_sppb_balance_points(s->a, s->b, s->c);
        break;
    case SP_WALK4:
        got = mt_sppb_walk_points(s->a, 4);
        break;
    case SP_WALK3:
        got = mt_sppb_walk_points(s->a, 3);
        break;
    case SP_CHAIR:
        got = mt_sppb_chair_points(s->a);
        break;
    }
    if (got != s->points)
        fail_msg("%s: got %d points", s->name, got);
}

static void name_sppb(sppb_case *s)
{
    switch (s->item) {
    case SP_BALANCE:
        snprintf(s->name, sizeof s->name,
                 "sppb.balance side-by-side %g, semi-tandem %g, tandem %g s -> %d", s->a, s->b,
                 s->c, s->points);
        break;
    case SP_WALK4:
        snprintf(s->name, sizeof s->name, "sppb.walk_4m %g s -> %d", s->a, s->points);
        break;
    case SP_WALK3:
        snprintf(s->name, sizeof s->name, "sppb.walk_3m %g s -> %d", s->a, s->points);
        break;
    case SP_CHAIR:
        snprintf(s->name, sizeof s->name, "sppb.chair_5x %g s -> %d", s->a, s->points);
        break;
    }
}

/* SPPB totals through documents */
#define SPPB_DOC(sppb)                                                                             \
    "{\"person\": {\"sex\": \"female\", \"age\": 77, \"height\": 158, \"weight\": 61}, "           \
    "\"measurements\": {\"sppb\": " sppb "}}"

/* items 3 + 2 + 4 = 9 */
static void sppb_total_from_items(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"balance\": 3, \"gait\": 2, \"chair\": 4}"), NUM("tests.sppb.total", 9),
          NUM("tests.sppb.balance", 3), NUM("tests.sppb.gait", 2), NUM("tests.sppb.chair", 4));
}

/* a total alone: the items stay unknown (null) */
static void sppb_total_given(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"total\": 7}"), NUM("tests.sppb.total", 7), NUL("tests.sppb.balance"),
          NUL("tests.sppb.gait"), NUL("tests.sppb.chair"));
}

/* balance 10/10/6.5 -> 3; walk 5.0 s -> 3; chair 12.5 s -> 3; total 9.
 * Gait speed from the SPPB walk: 4 m / 5.0 s = 0.8 m/s. */
static void sppb_total_from_raw_times(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"side_by_side\": 10, \"semi_tandem\": 10, \"tandem\": 6.5, "
                   "\"walk_4m\": 5.0, \"chair_5x\": 12.5}"),
          NUM("tests.sppb.total", 9), NUM("tests.sppb.balance", 3), NUM("tests.sppb.gait", 3),
          NUM("tests.sppb.chair", 3), NUM("tests.sppb.walk_course_m", 4),
          NUM("tests.gait_speed", 0.8), STR("tests.gait_speed_source", "sppb"));
}

/* balance 4 + unable walk 0 + chair 10 s -> 4: total 8; no gait speed from an unable walk */
static void sppb_unable_walk_scores_zero(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"side_by_side\": 10, \"semi_tandem\": 10, \"tandem\": 10, "
                   "\"walk_4m\": \"unable\", \"chair_5x\": 10}"),
          NUM("tests.sppb.total", 8), NUM("tests.sppb.balance", 4), NUM("tests.sppb.gait", 0),
          NUM("tests.sppb.chair", 4), NUL("tests.gait_speed"));
}

/* balance 4 + walk 4.0 s -> 4 + unable chair 0 = 8 */
static void sppb_unable_chair_scores_zero(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"side_by_side\": 10, \"semi_tandem\": 10, \"tandem\": 10, "
                   "\"walk_4m\": 4.0, \"chair_5x\": \"unable\"}"),
          NUM("tests.sppb.total", 8), NUM("tests.sppb.gait", 4), NUM("tests.sppb.chair", 0),
          STR("tests.chair_stand_5x.value", "unable"));
}

/* side-by-side 5 s stops the balance test: 0; walk_3m 3.62 s -> 4; chair 16.7 s -> 1: 5.
 * Gait speed 3 m / 3.62 s = 0.828729 -> 0.8287 m/s. */
static void sppb_raw_times_3m_course(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"side_by_side\": 5, \"walk_3m\": 3.62, \"chair_5x\": 16.7}"),
          NUM("tests.sppb.total", 5), NUM("tests.sppb.balance", 0), NUM("tests.sppb.gait", 4),
          NUM("tests.sppb.chair", 1), NUM("tests.sppb.walk_course_m", 3),
          NUM("tests.gait_speed", 0.8287));
}

/* every item at its best: 4 + 4 + 4 = 12 */
static void sppb_raw_times_maximum_is_12(void **state)
{
    (void)state;
    CHECK(SPPB_DOC("{\"side_by_side\": 10, \"semi_tandem\": 10, \"tandem\": 10, "
                   "\"walk_4m\": 3.0, \"chair_5x\": 9.0}"),
          NUM("tests.sppb.total", 12));
}

/* ---- grip norms (REFERENCE §5, Dodds 2014) -------------------------------- */

static void expect_centiles(int sex, double age, double p10, double p25, double p50, double p75,
                            double p90)
{
    double c[5] = {-1, -1, -1, -1, -1};

    mt_grip_centiles(sex, age, c);
    assert_close(c[0], p10, TOL);
    assert_close(c[1], p25, TOL);
    assert_close(c[2], p50, TOL);
    assert_close(c[3], p75, TOL);
    assert_close(c[4], p90, TOL);
}

static void grip_centiles_men_70_exact_row(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 70, 29, 34, 39, 44, 49);
}

static void grip_centiles_women_70_exact_row(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 70, 16, 20, 24, 27, 31);
}

static void grip_centiles_men_30_exact_row(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 30, 38, 44, 51, 58, 64);
}

static void grip_centiles_women_55_exact_row(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 55, 19, 23, 28, 32, 35);
}

/* men 72: 0.4 of the way from 70 (29,34,39,44,49) to 75 (26,31,35,41,45):
 * 29-1.2 = 27.8; 34-1.2 = 32.8; 39-1.6 = 37.4; 44-1.2 = 42.8; 49-1.6 = 47.4 */
static void grip_centiles_men_72_interpolated(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 72, 27.8, 32.8, 37.4, 42.8, 47.4);
}

/* women 72: from 70 (16,20,24,27,31) to 75 (14,18,21,25,28), 0.4:
 * 16-0.8 = 15.2; 20-0.8 = 19.2; 24-1.2 = 22.8; 27-0.8 = 26.2; 31-1.2 = 29.8 */
static void grip_centiles_women_72_interpolated(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 72, 15.2, 19.2, 22.8, 26.2, 29.8);
}

/* men 87.5: halfway between 85 (19,24,29,33,38) and 90 (16,20,25,29,33) */
static void grip_centiles_men_87_5_interpolated(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 87.5, 17.5, 22, 27, 31, 35.5);
}

/* women 22.5: halfway between 20 (21,24,28,32,36) and 25 (23,26,30,35,38) */
static void grip_centiles_women_22_5_interpolated(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 22.5, 22, 25, 29, 33.5, 37);
}

/* men 73: 0.6 from 70 to 75: 29-1.8 = 27.2; 34-1.8 = 32.2; 39-2.4 = 36.6;
 * 44-1.8 = 42.2; 49-2.4 = 46.6 */
static void grip_centiles_men_73_interpolated(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 73, 27.2, 32.2, 36.6, 42.2, 46.6);
}

static void grip_centiles_men_95_clamped_to_90(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 95, 16, 20, 25, 29, 33);
}

static void grip_centiles_women_95_clamped_to_90(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 95, 9, 11, 14, 17, 20);
}

static void grip_centiles_men_90_last_row(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 90, 16, 20, 25, 29, 33);
}

static void grip_centiles_men_19_clamped_to_20(void **state)
{
    (void)state;
    expect_centiles(MT_MALE, 19, 30, 35, 40, 46, 52);
}

static void grip_centiles_women_18_clamped_to_20(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 18, 21, 24, 28, 32, 36);
}

static void grip_centiles_women_20_first_row(void **state)
{
    (void)state;
    expect_centiles(MT_FEMALE, 20, 21, 24, 28, 32, 36);
}

static void grip_band_names(void **state)
{
    (void)state;
    assert_string_equal(mt_grip_band_str(BAND_BELOW_P10), "<P10");
    assert_string_equal(mt_grip_band_str(BAND_P10_P25), "P10-P25");
    assert_string_equal(mt_grip_band_str(BAND_P25_P50), "P25-P50");
    assert_string_equal(mt_grip_band_str(BAND_P50_P75), "P50-P75");
    assert_string_equal(mt_grip_band_str(BAND_P75_P90), "P75-P90");
    assert_string_equal(mt_grip_band_str(BAND_ABOVE_P90), ">P90");
}

/* Bands through documents: one named test per boundary. A band runs from its
 * lower centile (inclusive) up to the next; P75-P90 includes P90 itself. */
typedef struct band_case {
    const char *sex;
    double age, grip;
    const char *band;
    char name[96];
} band_case;

#define BAND(sx, ag, g, bd)                                                                        \
    {                                                                                              \
        .sex = sx, .age = ag, .grip = g, .band = bd                                                \
    }
static band_case band_cases[] = {
    /* men 70: P10 29, P25 34, P50 39, P75 44, P90 49 */
    BAND("male", 70, 28.99, "<P10"),
    BAND("male", 70, 29, "P10-P25"),
    BAND("male", 70, 29.01, "P10-P25"),
    BAND("male", 70, 33.99, "P10-P25"),
    BAND("male", 70, 34, "P25-P50"),
    BAND("male", 70, 38.99, "P25-P50"),
    BAND("male", 70, 39, "P50-P75"),
    BAND("male", 70, 43.99, "P50-P75"),
    BAND("male", 70, 44, "P75-P90"),
    BAND("male", 70, 48.99, "P75-P90"),
    BAND("male", 70, 49, "P75-P90"),
    BAND("male", 70, 49.01, ">P90"),
    /* women 70: P10 16, P25 20, P50 24, P75 27, P90 31 */
    BAND("female", 70, 15.99, "<P10"),
    BAND("female", 70, 16, "P10-P25"),
    BAND("female", 70, 19.99, "P10-P25"),
    BAND("female", 70, 20, "P25-P50"),
    BAND("female", 70, 24, "P50-P75"),
    BAND("female", 70, 26.99, "P50-P75"),
    BAND("female", 70, 27, "P75-P90"),
    BAND("female", 70, 31, "P75-P90"),
    BAND("female", 70, 31.01, ">P90"),
    /* men 72, interpolated P50 37.4 */
    BAND("male", 72, 37.39, "P25-P50"),
    BAND("male", 72, 37.4, "P50-P75"),
};
#define N_BAND (sizeof(band_cases) / sizeof(band_cases[0]))

static void test_band_case(void **state)
{
    const band_case *b = *state;
    char doc[256];

    snprintf(doc, sizeof doc,
             "{\"person\": {\"sex\": \"%s\", \"age\": %g, \"height\": 170, \"weight\": 70}, "
             "\"measurements\": {\"grip\": %.4f}}",
             b->sex, b->age, b->grip);
    CHECK(doc, STR("tests.grip.centile_band", b->band));
}

static void name_band(band_case *b)
{
    snprintf(b->name, sizeof b->name, "grip.centile_band %s age %g grip %g -> %s", b->sex, b->age,
             b->grip, b->band);
}

/* median for age = P50; percent of peak = grip / 51 (men) or / 31 (women) * 100 */
#define GRIP_DOC(sex, age, grip)                                                                   \
    "{\"person\": {\"sex\": \"" sex "\", \"age\": " age ", \"height\": 170, \"weight\": 70}, "     \
    "\"measurements\": {\"grip\": " grip "}}"

/* man 72, grip 40.8: median 37.4; 40.8 / 51 = 0.8 -> 80 % */
static void grip_median_and_percent_of_peak_man(void **state)
{
    (void)state;
    CHECK(GRIP_DOC("male", "72", "40.8"), NUM("tests.grip.median_for_age", 37.4),
          NUM("tests.grip.percent_of_peak", 80.0), NUM("tests.grip.peak_median", 51),
          NUM("tests.grip.centiles.p10", 27.8), NUM("tests.grip.centiles.p90", 47.4));
}

/* woman 72, grip 24.8: median 22.8; 24.8 / 31 = 0.8 -> 80 % */
static void grip_median_and_percent_of_peak_woman(void **state)
{
    (void)state;
    CHECK(GRIP_DOC("female", "72", "24.8"), NUM("tests.grip.median_for_age", 22.8),
          NUM("tests.grip.percent_of_peak", 80.0), NUM("tests.grip.peak_median", 31));
}

/* man 70, grip 30: 30 / 51 = 0.5882353 -> 58.8235 % */
static void grip_percent_of_peak_rounded(void **state)
{
    (void)state;
    CHECK(GRIP_DOC("male", "70", "30"), NUM("tests.grip.median_for_age", 39),
          NUM("tests.grip.percent_of_peak", 58.8235));
}

/* woman 95 (clamped to 90): median 14; grip 10 / 31 = 32.2581 % */
static void grip_median_clamped_woman_95(void **state)
{
    (void)state;
    CHECK(GRIP_DOC("female", "95", "10"), NUM("tests.grip.median_for_age", 14),
          NUM("tests.grip.percent_of_peak", 32.2581), STR("tests.grip.centile_band", "P10-P25"));
}

/* Southampton: the maximum of all tries counts: max(28, 31.5, 30) = 31.5;
 * man 70 -> P10-P25 (29 <= 31.5 < 34); 31.5 / 51 = 61.7647 % */
static void grip_trials_use_the_maximum(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 70, \"height\": 170, \"weight\": 70}, "
          "\"measurements\": {\"grip_trials\": [28, 31.5, 30]}}",
          NUM("tests.grip.value", 31.5), STR("tests.grip.centile_band", "P10-P25"),
          NUM("tests.grip.percent_of_peak", 61.7647));
}

static void grip_absent_has_no_norms(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 70}, \"measurements\": {}}",
          NUL("tests.grip.value"), NUL("tests.grip.centile_band"), NUL("tests.grip.median_for_age"),
          NUL("tests.grip.percent_of_peak"));
}

/* ---- screening scores (REFERENCE §3) ------------------------------------- */

#define SCREEN_DOC(sex, age, sarcf, meas)                                                          \
    "{\"person\": {\"sex\": \"" sex "\", \"age\": " age ", \"height\": 170, \"weight\": 70}, "     \
    "\"sarc_f\": " sarcf ", \"measurements\": {" meas "}}"
#define ITEMS(s, w, c, st, f)                                                                      \
    "{\"strength\": " #s ", \"walking\": " #w ", \"chair\": " #c ", \"stairs\": " #st              \
    ", \"falls\": " #f "}"

/* 1 + 2 + 0 + 1 + 0 = 4: positive (>= 4) */
static void sarc_f_total_from_items_4_positive(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("female", "70", ITEMS(1, 2, 0, 1, 0), ""), NUM("screening.sarc_f.score", 4),
          BOOL("screening.sarc_f.positive", 1));
}

/* 1 + 0 + 1 + 1 + 0 = 3: negative */
static void sarc_f_total_from_items_3_negative(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("male", "70", ITEMS(1, 0, 1, 1, 0), ""), NUM("screening.sarc_f.score", 3),
          BOOL("screening.sarc_f.positive", 0));
}

static void sarc_f_all_items_2_is_10(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("male", "70", ITEMS(2, 2, 2, 2, 2), ""), NUM("screening.sarc_f.score", 10),
          BOOL("screening.sarc_f.positive", 1));
}

static void sarc_f_all_items_0_is_0(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("female", "70", ITEMS(0, 0, 0, 0, 0), ""), NUM("screening.sarc_f.score", 0),
          BOOL("screening.sarc_f.positive", 0));
}

static void sarc_f_absent_is_null(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 70}, \"measurements\": {\"calf\": 30}}",
          NUL("screening.sarc_f.score"), NUL("screening.sarc_f.positive"),
          NUL("screening.sarc_calf.score"), NUL("screening.sarc_calf.positive"));
}

/* SARC-CalF = SARC-F + 10 when calf < 34 (men) / < 33 (women), else + 0 */

/* man, calf exactly 34: + 0; SARC-F 1+1+1+0+0 = 3 -> 3, negative */
static void sarc_calf_man_calf_34_adds_0(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("male", "70", ITEMS(1, 1, 1, 0, 0), "\"calf\": 34"),
          NUM("screening.sarc_calf.calf_points", 0), NUM("screening.sarc_calf.score", 3),
          BOOL("screening.sarc_calf.positive", 0));
}

/* man, calf 33.9: + 10 -> 13, positive (>= 11) */
static void sarc_calf_man_calf_33_9_adds_10(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("male", "70", ITEMS(1, 1, 1, 0, 0), "\"calf\": 33.9"),
          NUM("screening.sarc_calf.calf_points", 10), NUM("screening.sarc_calf.score", 13),
          BOOL("screening.sarc_calf.positive", 1));
}

/* woman, calf exactly 33: + 0; SARC-F 2+2+2+2+2 = 10 -> 10, negative (< 11) */
static void sarc_calf_woman_calf_33_adds_0(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("female", "70", ITEMS(2, 2, 2, 2, 2), "\"calf\": 33"),
          NUM("screening.sarc_calf.calf_points", 0), NUM("screening.sarc_calf.score", 10),
          BOOL("screening.sarc_calf.positive", 0));
}

/* woman, calf 33.5 (below the men's 34 but not the women's 33): + 0 */
static void sarc_calf_woman_uses_the_women_threshold(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("female", "70", ITEMS(0, 0, 1, 0, 0), "\"calf\": 33.5"),
          NUM("screening.sarc_calf.calf_points", 0), NUM("screening.sarc_calf.score", 1));
}

/* woman, calf 32.9: + 10; SARC-F 1 -> 11, positive */
static void sarc_calf_woman_calf_32_9_adds_10(void **state)
{
    (void)state;
    CHECK(SCREEN_DOC("female", "70", ITEMS(0, 0, 1, 0, 0), "\"calf\": 32.9"),
          NUM("screening.sarc_calf.calf_points", 10), NUM("screening.sarc_calf.score", 11),
          BOOL("screening.sarc_calf.positive", 1));
}

/* Ishii men = 0.62 (age-64) - 3.09 (grip-50) - 4.64 (calf-42)
 * age 75, grip 30, calf 33: 6.82 + 61.8 + 41.76 = 110.38, positive (>= 105) */
static void ishii_man_hand_computed(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 75}, "
          "\"measurements\": {\"grip\": 30, \"calf\": 33}}",
          NUM("screening.ishii.score", 110.38), BOOL("screening.ishii.positive", 1));
}

/* age 65, grip 45, calf 38: 0.62 + 15.45 + 18.56 = 34.63, negative */
static void ishii_man_negative(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"male\", \"age\": 65}, "
          "\"measurements\": {\"grip\": 45, \"calf\": 38}}",
          NUM("screening.ishii.score", 34.63), BOOL("screening.ishii.positive", 0));
}

/* Ishii women = 0.80 (age-64) - 5.09 (grip-34) - 3.28 (calf-42)
 * age 80, grip 18, calf 30: 12.8 + 81.44 + 39.36 = 133.6, positive (>= 120) */
static void ishii_woman_hand_computed(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 80}, "
          "\"measurements\": {\"grip\": 18, \"calf\": 30}}",
          NUM("screening.ishii.score", 133.6), BOOL("screening.ishii.positive", 1));
}

/* age 66, grip 28, calf 36: 1.6 + 30.54 + 19.68 = 51.82, negative */
static void ishii_woman_negative(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 66}, "
          "\"measurements\": {\"grip\": 28, \"calf\": 36}}",
          NUM("screening.ishii.score", 51.82), BOOL("screening.ishii.positive", 0));
}

/* Ishii needs grip and calf: without calf it is null. */
static void ishii_without_calf_is_null(void **state)
{
    (void)state;
    CHECK("{\"person\": {\"sex\": \"female\", \"age\": 80}, \"measurements\": {\"grip\": 18}}",
          NUL("screening.ishii.score"), NUL("screening.ishii.positive"));
}

/* ---- main: the explicit tests plus the generated edge tests --------------- */

/* ---- the branch-free measures against the branches they replace ----------
 *
 * mt_measures_performance and mt_measures_screening pick, without a jump, what
 * follows from a cell given or not at random in a cohort (measures/pick.h). The
 * chains of ifs they replaced are kept here, as they were, and run on the same
 * result as the functions (a random input, random measures and sources left
 * from "the row before"); every byte of the result must agree. What the
 * selects did not touch is not copied here: the reference runs the function
 * itself for it. The measures left from before have zero padding, as calloc
 * and every writer of m[] leave it. */

static const mt_q ref_absent;

/* mt_measures_performance, its SPPB total and M_SPPB written over by the
 * switch they replaced (nothing after them in the function reads them). */
static void ref_performance(mt_result *res, int report)
{
    const mt_input *in = &res->in;
    mt_q *m = res->m;

    mt_measures_performance(res, report);
    res->sppb.total = res->sppb.balance = res->sppb.gait = res->sppb.chair = -1;
    switch (in->sppb.form) {
    case MT_SPPB_ITEMS:
        res->sppb.balance = in->sppb.balance;
        res->sppb.gait = in->sppb.gait;
        res->sppb.chair = in->sppb.chair;
        break;
    case MT_SPPB_TOTAL:
        res->sppb.total = in->sppb.total;
        break;
    case MT_SPPB_TIMES:
        res->sppb.balance = mt_sppb_balance_points(in->sppb.side_by_side.v, in->sppb.semi_tandem.v,
                                                   in->sppb.tandem.v);
        res->sppb.gait = MT_HAS(in->sppb.walk)
                             ? mt_sppb_walk_points(in->sppb.walk.v, in->sppb.walk_course_m)
                             : 0;
        res->sppb.chair = MT_HAS(in->sppb.chair_5x) ? mt_sppb_chair_points(in->sppb.chair_5x.v) : 0;
        break;
    default:
        break;
    }
    if (res->sppb.balance >= 0)
        res->sppb.total = res->sppb.balance + res->sppb.gait + res->sppb.chair;
    if (res->sppb.total >= 0) {
        m[M_SPPB].state = MT_Q_VALUE;
        m[M_SPPB].v = res->sppb.total;
    } else {
        m[M_SPPB] = ref_absent;
    }
}

/* mt_measures_screening's cohort row (report 0) as it was: M_SARCF and
 * SARC-CalF by jumps. A report's way past M_SARCF is the function's own,
 * unchanged (its M_SARCF is the same select, checked by the cohort rows). */
static void ref_screening(mt_result *res, int report)
{
    const mt_input *in = &res->in;
    mt_q *m = res->m;

    if (report) {
        mt_measures_screening(res, report);
        return;
    }
    if (in->sarc_f_form != MT_SARCF_NONE) {
        m[M_SARCF].state = MT_Q_VALUE;
        m[M_SARCF].v = in->sarc_f_total;
    } else {
        m[M_SARCF] = ref_absent;
    }
    if (MT_HAS(m[M_SARCF]) && MT_HAS(in->calf)) {
        res->sarc_calf_points =
            mt_definition_criterion(&mt_screening_rules, SCR_SARC_CALF_CALF, in, m) == 1 ? 10 : 0;
        m[M_SARCCALF].state = MT_Q_VALUE;
        m[M_SARCCALF].v = m[M_SARCF].v + res->sarc_calf_points;
    } else {
        m[M_SARCCALF] = ref_absent;
    }
}

/* A quantity with zero padding: absent, a value in [lo, hi) to 2 decimals, or
 * "unable". */
static mt_q random_q(unsigned long long *s, double lo, double hi)
{
    mt_q q;
    unsigned r = (unsigned)(mt_test_lcg(s) % 8);

    memset(&q, 0, sizeof(q));
    if (r < 5) {
        q.state = MT_Q_VALUE;
        q.v = lo + (double)(mt_test_lcg(s) % 100000) / 100000.0 * (hi - lo);
        q.v = floor(q.v * 100 + 0.5) / 100;
    } else if (r == 5) {
        q.state = MT_Q_UNABLE;
    }
    return q;
}

static void measures_equal_the_branches(void **state)
{
    mt_result *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    unsigned long long s = 20261121;
    int k, i, report, differ = 0, value_sppb = 0, value_sarcf = 0;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    for (k = 0; k < 200000; k++) {
        mt_input *in = &a->in;
        report = (int)(mt_test_lcg(&s) % 2);
        /* what the row before left: measures, sources, the SARC-CalF points */
        for (i = 0; i < M_N; i++)
            a->m[i] = random_q(&s, -5, 400);
        a->gait_source = (int)(mt_test_lcg(&s) % 4);
        a->chair_source = (int)(mt_test_lcg(&s) % 4);
        a->sarc_calf_points = (int)(mt_test_lcg(&s) % 3) * 10 - 1;
        /* this row */
        in->sex = (int)(mt_test_lcg(&s) % 3) - (k % 7 == 0); /* female, male, 2, -1 */
        in->age = random_q(&s, 18, 100);
        in->height = random_q(&s, 140, 200);
        in->weight = random_q(&s, 35, 130);
        in->grip = random_q(&s, 5, 60);
        in->calf = random_q(&s, 25, 45);
        in->gait_speed = random_q(&s, 0.2, 2);
        in->walk_distance = random_q(&s, 3, 10);
        in->walk_time = random_q(&s, 1, 20);
        in->chair_stand_5x = random_q(&s, 5, 70);
        in->tug = random_q(&s, 4, 30);
        in->walk_400m = random_q(&s, 200, 900);
        in->six_minute_walk = random_q(&s, 50, 700);
        in->sppb.form = (int)(mt_test_lcg(&s) % 5); /* and 4, no form */
        in->sppb.total = (int)(mt_test_lcg(&s) % 14) - 1;
        in->sppb.balance = (int)(mt_test_lcg(&s) % 6) - 1;
        in->sppb.gait = (int)(mt_test_lcg(&s) % 5);
        in->sppb.chair = (int)(mt_test_lcg(&s) % 5);
        in->sppb.side_by_side = random_q(&s, 0, 12);
        in->sppb.semi_tandem = random_q(&s, 0, 12);
        in->sppb.tandem = random_q(&s, 0, 12);
        in->sppb.walk = random_q(&s, 2, 12);
        in->sppb.walk_course_m = mt_test_lcg(&s) % 2 ? 4 : 3;
        in->sppb.chair_5x = random_q(&s, 5, 70);
        in->sarc_f_form = (int)(mt_test_lcg(&s) % 4); /* and 3, no form */
        in->sarc_f_total = (int)(mt_test_lcg(&s) % 12) - 1;
        memcpy(b, a, sizeof(*a));
        mt_measures_performance(a, report);
        mt_measures_screening(a, report);
        ref_performance(b, report);
        ref_screening(b, report);
        differ += memcmp(a, b, sizeof(*a)) != 0;
        value_sppb += MT_HAS(a->m[M_SPPB]);
        value_sarcf += MT_HAS(a->m[M_SARCCALF]);
    }
    free(a);
    free(b);
    assert_int_equal(differ, 0);
    assert_true(value_sppb > 20000 && value_sppb < 180000); /* both ways, often */
    assert_true(value_sarcf > 20000 && value_sarcf < 180000);
}

static const struct CMUnitTest fixed_tests[] = {
    cmocka_unit_test(round4_equals_libm),
    cmocka_unit_test(measures_equal_the_branches),
    cmocka_unit_test(bmi_woman_160cm_64kg_is_25),
    cmocka_unit_test(bmi_man_175cm_80kg_is_26_1224),
    cmocka_unit_test(asmi_woman_is_asm_over_height_squared),
    cmocka_unit_test(asmi_man_is_asm_over_height_squared),
    cmocka_unit_test(alm_bmi_woman_is_asm_over_bmi),
    cmocka_unit_test(alm_bmi_man_is_asm_over_bmi),
    cmocka_unit_test(grip_bmi_woman_is_grip_over_bmi),
    cmocka_unit_test(grip_bmi_man_is_grip_over_bmi),
    cmocka_unit_test(indices_without_weight_are_null),
    cmocka_unit_test(indices_without_height_are_null),
    cmocka_unit_test(bia_sergi2015_man),
    cmocka_unit_test(bia_sergi2015_woman),
    cmocka_unit_test(bia_sergi2015_ignores_age),
    cmocka_unit_test(bia_kim2014_man),
    cmocka_unit_test(bia_kim2014_woman),
    cmocka_unit_test(bia_yoshida2014_man),
    cmocka_unit_test(bia_yoshida2014_woman),
    cmocka_unit_test(bia_yoshida2014_woman_rounded_to_4_decimals),
    cmocka_unit_test(bia_janssen2000_man),
    cmocka_unit_test(bia_janssen2000_woman),
    cmocka_unit_test(bia_document_sergi2015_gives_asm_and_asmi),
    cmocka_unit_test(bia_document_kim2014_gives_asm_and_asmi),
    cmocka_unit_test(bia_document_janssen2000_is_not_asm),
    cmocka_unit_test(six_mw_predicted_man),
    cmocka_unit_test(six_mw_predicted_woman),
    cmocka_unit_test(six_mw_predicted_man_second_point),
    cmocka_unit_test(six_mw_predicted_woman_second_point),
    cmocka_unit_test(six_mw_lower_limit_offsets),
    cmocka_unit_test(six_mw_document_man_420m),
    cmocka_unit_test(six_mw_man_at_lower_limit),
    cmocka_unit_test(six_mw_man_just_below_lower_limit),
    cmocka_unit_test(six_mw_man_just_above_lower_limit),
    cmocka_unit_test(six_mw_woman_at_lower_limit),
    cmocka_unit_test(six_mw_woman_just_below_lower_limit),
    cmocka_unit_test(six_mw_woman_just_above_lower_limit),
    cmocka_unit_test(six_mw_without_body_size_has_no_prediction),
    cmocka_unit_test(sppb_total_from_items),
    cmocka_unit_test(sppb_total_given),
    cmocka_unit_test(sppb_total_from_raw_times),
    cmocka_unit_test(sppb_unable_walk_scores_zero),
    cmocka_unit_test(sppb_unable_chair_scores_zero),
    cmocka_unit_test(sppb_raw_times_3m_course),
    cmocka_unit_test(sppb_raw_times_maximum_is_12),
    cmocka_unit_test(grip_centiles_men_70_exact_row),
    cmocka_unit_test(grip_centiles_women_70_exact_row),
    cmocka_unit_test(grip_centiles_men_30_exact_row),
    cmocka_unit_test(grip_centiles_women_55_exact_row),
    cmocka_unit_test(grip_centiles_men_72_interpolated),
    cmocka_unit_test(grip_centiles_women_72_interpolated),
    cmocka_unit_test(grip_centiles_men_87_5_interpolated),
    cmocka_unit_test(grip_centiles_women_22_5_interpolated),
    cmocka_unit_test(grip_centiles_men_73_interpolated),
    cmocka_unit_test(grip_centiles_men_95_clamped_to_90),
    cmocka_unit_test(grip_centiles_women_95_clamped_to_90),
    cmocka_unit_test(grip_centiles_men_90_last_row),
    cmocka_unit_test(grip_centiles_men_19_clamped_to_20),
    cmocka_unit_test(grip_centiles_women_18_clamped_to_20),
    cmocka_unit_test(grip_centiles_women_20_first_row),
    cmocka_unit_test(grip_band_names),
    cmocka_unit_test(grip_median_and_percent_of_peak_man),
    cmocka_unit_test(grip_median_and_percent_of_peak_woman),
    cmocka_unit_test(grip_percent_of_peak_rounded),
    cmocka_unit_test(grip_median_clamped_woman_95),
    cmocka_unit_test(grip_trials_use_the_maximum),
    cmocka_unit_test(grip_absent_has_no_norms),
    cmocka_unit_test(sarc_f_total_from_items_4_positive),
    cmocka_unit_test(sarc_f_total_from_items_3_negative),
    cmocka_unit_test(sarc_f_all_items_2_is_10),
    cmocka_unit_test(sarc_f_all_items_0_is_0),
    cmocka_unit_test(sarc_f_absent_is_null),
    cmocka_unit_test(sarc_calf_man_calf_34_adds_0),
    cmocka_unit_test(sarc_calf_man_calf_33_9_adds_10),
    cmocka_unit_test(sarc_calf_woman_calf_33_adds_0),
    cmocka_unit_test(sarc_calf_woman_uses_the_women_threshold),
    cmocka_unit_test(sarc_calf_woman_calf_32_9_adds_10),
    cmocka_unit_test(ishii_man_hand_computed),
    cmocka_unit_test(ishii_man_negative),
    cmocka_unit_test(ishii_woman_hand_computed),
    cmocka_unit_test(ishii_woman_negative),
    cmocka_unit_test(ishii_without_calf_is_null),
};
#define N_FIXED (sizeof(fixed_tests) / sizeof(fixed_tests[0]))

int main(void)
{
    size_t n = N_FIXED + N_SPPB + N_BAND, i, t = 0;
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int failed;

    if (!tests)
        return 1;
    for (i = 0; i < N_FIXED; i++)
        tests[t++] = fixed_tests[i];
    for (i = 0; i < N_SPPB; i++) {
        name_sppb(&sppb_cases[i]);
        tests[t].name = sppb_cases[i].name;
        tests[t].test_func = test_sppb_case;
        tests[t].initial_state = &sppb_cases[i];
        t++;
    }
    for (i = 0; i < N_BAND; i++) {
        name_band(&band_cases[i]);
        tests[t].name = band_cases[i].name;
        tests[t].test_func = test_band_case;
        tests[t].initial_state = &band_cases[i];
        t++;
    }
    failed = _cmocka_run_group_tests("measures", tests, t, NULL, NULL);
    free(tests);
    return failed;
}
