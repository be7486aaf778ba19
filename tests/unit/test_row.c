/*
 * test_row.c - cohort rows (mt_row_*): the flat fields map onto the
 * document's own fields (names, paths, ranges, words); a row gives the same
 * categories and criteria as mt_assess on the same person; the whole-row
 * checks and the messages name the flat field; the definitions' views.
 * `myotrack screen` itself is tested end to end by tests/screen/run.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "input/input.h" /* mt_row_set_cold, mt_row_check_full, mt_row_same */

static const char *const names[MT_FIELD_COUNT] = {
    "sex",        "age",        "height",    "weight",          "grip",
    "chair_stand_5x", "gait_speed", "tug",   "walk_400m",       "six_minute_walk",
    "sppb_total", "calf",       "asm",       "asm_method",      "bia_resistance",
    "bia_reactance", "bia_equation", "sarc_f_total", "setting"};

static void field_names_paths_and_lookup(void **state)
{
    int f;

    (void)state;
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        assert_string_equal(mt_field_name(f), names[f]);
        assert_int_equal(mt_field_lookup(names[f], strlen(names[f])), f);
        assert_non_null(mt_field_path(f));
    }
    assert_string_equal(mt_field_path(MT_FIELD_SPPB_TOTAL), "measurements.sppb.total");
    assert_string_equal(mt_field_path(MT_FIELD_BIA_REACTANCE), "measurements.bia.reactance");
    assert_string_equal(mt_field_path(MT_FIELD_SARC_F_TOTAL), "sarc_f.total");
    assert_null(mt_field_name(MT_FIELD_COUNT));
    assert_null(mt_field_name(-1));
    assert_int_equal(mt_field_lookup("grip_trials", 11), -1);
    assert_int_equal(mt_field_lookup("gri", 3), -1);
}

/* Every flat field points at the document field of its path: the ranges and
 * words are that field's (REFERENCE section 2 limits, as document.c has them). */
static void field_ranges_and_words_are_the_documents(void **state)
{
    double lo, hi;
    const char *unit;
    const char *const *w;

    (void)state;
    assert_int_equal(mt_field_range(MT_FIELD_GRIP, &lo, &hi, &unit), MT_OK);
    assert_true(lo == 0 && hi == 100);
    assert_string_equal(unit, "kg");
    assert_int_equal(mt_field_range(MT_FIELD_GAIT_SPEED, &lo, &hi, &unit), MT_OK);
    assert_true(lo == 0.05 && hi == 3.0);
    assert_int_equal(mt_field_range(MT_FIELD_SPPB_TOTAL, &lo, &hi, &unit), MT_OK);
    assert_true(lo == 0 && hi == 12);
    assert_int_equal(mt_field_range(MT_FIELD_BIA_REACTANCE, &lo, &hi, &unit), MT_OK);
    assert_true(lo == 10 && hi == 150);
    assert_int_equal(mt_field_range(MT_FIELD_SARC_F_TOTAL, &lo, &hi, &unit), MT_OK);
    assert_true(lo == 0 && hi == 10);
    assert_int_equal(mt_field_range(MT_FIELD_SEX, &lo, &hi, &unit), MT_EINVAL);
    w = mt_field_words(MT_FIELD_SEX);
    assert_string_equal(w[0], "female");
    assert_string_equal(w[1], "male");
    assert_null(w[2]);
    w = mt_field_words(MT_FIELD_ASM_METHOD);
    assert_string_equal(w[0], "dxa");
    assert_string_equal(w[1], "bia");
    assert_string_equal(mt_field_words(MT_FIELD_CHAIR_STAND_5X)[0], "unable");
    assert_string_equal(mt_field_words(MT_FIELD_WALK_400M)[0], "not_completed");
    assert_string_equal(mt_field_words(MT_FIELD_BIA_EQUATION)[3], "janssen2000");
    assert_null(mt_field_words(MT_FIELD_GRIP));
}

static mt_row *row_of(const char *const *kv)
{
    mt_row *row = NULL;
    mt_error err;

    assert_int_equal(mt_row_new(&row), MT_OK);
    for (; kv[0]; kv += 2) {
        int f = mt_field_lookup(kv[0], strlen(kv[0]));
        assert_true(f >= 0);
        if (mt_row_set(row, f, kv[1], strlen(kv[1]), &err) != MT_OK)
            fail_msg("%s=%s: %s", kv[0], kv[1], err.message);
    }
    return row;
}

/* The row and the document of the same person agree on every category and
 * criterion of every definition. */
static void row_classifies_as_assess_does(void **state)
{
    static const char *const kv[] = {"sex", "female", "age", "78", "height", "158", "weight", "61",
                                     "grip", "15.9", "chair_stand_5x", "16.4", "gait_speed", "0.8",
                                     "tug", "14.2", "walk_400m", "410", "six_minute_walk", "320",
                                     "sppb_total", "8", "calf", "31.5", "asm", "14.9",
                                     "asm_method", "dxa", "sarc_f_total", "5", "setting",
                                     "hospital", NULL};
    static const char doc[] =
        "{\"person\":{\"sex\":\"female\",\"age\":78,\"height\":158,\"weight\":61},"
        "\"setting\":\"hospital\",\"sarc_f\":{\"total\":5},"
        "\"measurements\":{\"grip\":15.9,\"chair_stand_5x\":16.4,\"gait_speed\":0.8,"
        "\"tug\":14.2,\"walk_400m\":410,\"six_minute_walk\":320,\"sppb\":{\"total\":8},"
        "\"calf\":31.5,\"asm\":14.9,\"asm_method\":\"dxa\"}}";
    mt_row *row = row_of(kv);
    mt_classification c;
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    size_t d, k;

    (void)state;
    memset(&c, 0, sizeof(c)); /* entries past the definitions are not written */
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_OK);
    {
        /* classify reads the row's input in place (no copy) and clears only
         * what it reads before writing: a second classification of the same
         * row, and one after another person in the same row, are the same */
        static const char *const other[] = {"sex", "male", "age", "66", "grip", "40", "calf",
                                            "36", "sarc_f_total", "1", NULL};
        mt_classification c2;
        memset(&c2, 0, sizeof(c2));
        assert_int_equal(mt_row_classify(row, 0, &c2, &err), MT_OK);
        assert_memory_equal(&c, &c2, sizeof(c));
        mt_row_reset(row);
        for (k = 0; other[k]; k += 2)
            assert_int_equal(mt_row_set(row, mt_field_lookup(other[k], strlen(other[k])),
                                        other[k + 1], strlen(other[k + 1]), &err),
                             MT_OK);
        assert_int_equal(mt_row_classify(row, 0, &c2, &err), MT_OK);
        {
            mt_row *fresh = row_of(other);
            mt_classification c3;
            memset(&c3, 0, sizeof(c3));
            assert_int_equal(mt_row_classify(fresh, 0, &c3, &err), MT_OK);
            assert_memory_equal(&c2, &c3, sizeof(c3));
            mt_row_free(fresh);
        }
        mt_row_reset(row);
        for (k = 0; kv[k]; k += 2)
            assert_int_equal(mt_row_set(row, mt_field_lookup(kv[k], strlen(kv[k])), kv[k + 1],
                                        strlen(kv[k + 1]), &err),
                             MT_OK);
        assert_int_equal(mt_row_classify(row, 0, &c2, &err), MT_OK);
        assert_memory_equal(&c, &c2, sizeof(c));
    }
    assert_int_equal(mt_input_parse_json(&in, doc, strlen(doc), &err), MT_OK);
    assert_int_equal(mt_assess(&res, in, &err), MT_OK);
    for (d = 0; d < mt_definition_count(); d++) {
        mt_definition_view v;
        assert_int_equal(mt_definition_at(d, &v), MT_OK);
        assert_true(c.category[d] >= 0 && (size_t)c.category[d] < v.n_categories);
        assert_string_equal(v.categories[c.category[d]], mt_result_category(res, v.id));
        for (k = 0; k < v.n_criteria; k++) {
            mt_criterion_view cv;
            int met = mt_result_criterion(res, v.id, v.criteria[k], &cv) == MT_OK ? cv.met : -1;
            assert_int_equal(c.met[d][k], met);
        }
    }
    /* and it is sarcopenia by EWGSOP2 (grip 15.9 < 16 kg for a woman, EWGSOP2) */
    assert_string_equal(mt_result_category(res, "ewgsop2"), "severe");
    mt_result_free(res);
    mt_input_free(in);
    mt_row_free(row);
}

/* Only the definitions asked for are evaluated; the others are -1. */
static void classify_only_the_definitions_asked(void **state)
{
    static const char *const kv[] = {"sex", "male", "age", "80", "grip", "26.9", NULL};
    mt_row *row = row_of(kv);
    mt_classification c;
    mt_error err;
    mt_definition_view v;
    size_t k;

    (void)state;
    assert_int_equal(mt_row_classify(row, 1u << 0, &c, &err), MT_OK);
    mt_definition_at(0, &v);
    assert_string_equal(v.id, "ewgsop2");
    assert_string_equal(v.categories[c.category[0]], "probable"); /* 26.9 < 27 kg, EWGSOP2 */
    assert_int_equal(c.category[1], -1);
    mt_definition_at(1, &v);
    for (k = 0; k < v.n_criteria; k++)
        assert_int_equal(c.met[1][k], -1);
    mt_row_free(row);
}

/* Grip at, just below and just above the EWGSOP2 male cut-off (27 kg). */
static void grip_boundary_through_a_row(void **state)
{
    static const char *const grips[] = {"26.9999", "27", "27.0001"};
    static const int low[] = {1, 0, 0};
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        const char *kv[] = {"sex", "male", "age", "70", "grip", grips[i], NULL};
        mt_row *row = row_of(kv);
        mt_classification c;
        mt_error err;
        mt_definition_view v;
        size_t k;
        assert_int_equal(mt_row_classify(row, 1u, &c, &err), MT_OK);
        mt_definition_at(0, &v);
        for (k = 0; k < v.n_criteria; k++)
            if (strcmp(v.criteria[k], "low_grip") == 0)
                assert_int_equal(c.met[0][k], low[i]);
        mt_row_free(row);
    }
}

/* A number cell's text gives the value its number gives: the text of a plain
 * decimal (at most 4 decimals) is stored as read, others are rounded to 4
 * decimals like every stored value; both ways through mt_row_set and
 * mt_row_set_number must agree, for 0 to 6 decimals, signs, leading zeros
 * and exponents (strtod is exact here: at most 15 digits). */
static void number_text_reads_as_its_number(void **state)
{
    static const char *const fixed[] = {"27",    "26.9999", "27.0001", "0.5",    "-0",
                                        "0",     "1e1",     "12.34567", "99.99995", "150",
                                        "3.14159265", "7.0",     "7.00000", "007.5",  "00.0001",
                                        "-0.0",  "0.0000",  "-0.5",    "100",    "99.9999",
                                        "000000000000027.5"};
    unsigned long long seed = 7;
    mt_row *a, *b;
    char text[40];
    int i, grip = mt_field_lookup("grip", 4), checked = 0;

    (void)state;
    assert_int_equal(mt_row_new(&a), MT_OK);
    assert_int_equal(mt_row_new(&b), MT_OK);
    for (i = 0; i < 20000 + (int)(sizeof(fixed) / sizeof(fixed[0])); i++) {
        mt_error ea, eb;
        double x, va, vb;
        int ra, rb;
        if (i < (int)(sizeof(fixed) / sizeof(fixed[0]))) {
            snprintf(text, sizeof(text), "%s", fixed[i]);
        } else {
            int decimals;
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            decimals = (int)((seed >> 40) % 7);
            snprintf(text, sizeof(text), "%.*f", decimals,
                     (double)((seed >> 20) % 1000000) / 10000.0);
        }
        x = strtod(text, NULL);
        mt_row_reset(a);
        mt_row_reset(b);
        ra = mt_row_set(a, grip, text, strlen(text), &ea);
        rb = mt_row_set_number(b, grip, x, &eb);
        assert_int_equal(ra, rb);
        if (ra != MT_OK)
            continue;
        assert_int_equal(mt_row_get(a, grip, &va), MT_OK);
        assert_int_equal(mt_row_get(b, grip, &vb), MT_OK);
        if (va != vb)
            fail_msg("grip \"%s\": %.17g through the text, %.17g through the number", text, va,
                     vb);
        checked++;
    }
    assert_true(checked > 15000);
    mt_row_free(a);
    mt_row_free(b);
}

static void messages_name_the_flat_field(void **state)
{
    mt_row *row = NULL;
    mt_error err;
    mt_classification c;

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, "250", 3, &err), MT_EINVAL);
    assert_string_equal(err.message, "grip: 250 kg is outside the accepted range 0 to 100 kg");
    assert_int_equal(mt_row_set(row, MT_FIELD_SEX, "3", 1, &err), MT_EINVAL);
    assert_string_equal(err.message,
                        "sex: expected one of female, male, got 3 (a code: map the codes to "
                        "these words)");
    /* a cell is text: the message shows it, not a JSON type ("got a string") */
    assert_int_equal(mt_row_set(row, MT_FIELD_AGE, "70y", 3, &err), MT_EINVAL);
    assert_string_equal(err.message,
                        "age: expected a number of years, got \"70y\"; accepted: 18 to 120 years");
    assert_int_equal(mt_row_set(row, MT_FIELD_SPPB_TOTAL, "ten", 3, &err), MT_EINVAL);
    assert_string_equal(err.message, "sppb_total: expected a whole number 0 to 12, got \"ten\"");
    assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, "61 lb", 5, &err), MT_OK);
    assert_int_equal(mt_row_set(row, MT_FIELD_CHAIR_STAND_5X, "unable", 6, &err), MT_OK);
    assert_int_equal(mt_row_set(row, MT_FIELD_GAIT_SPEED, "1e999", 5, &err), MT_EINVAL);
    assert_non_null(strstr(err.message, "gait_speed: "));
    assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, "1e-400", 6, &err), MT_EINVAL);
    assert_string_equal(err.message, "grip: \"1e-400\" is too large, or too close to 0 without "
                                     "being 0, to be read (accepted range 0 to 100 kg)");
    assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, "0e-400", 6, &err), MT_OK); /* 0 is 0 */
    assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, "1e-300", 6, &err), MT_OK); /* a double */
    /* the whole-row checks: sex and age required, asm with its method */
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_EINVAL);
    assert_string_equal(err.field, "sex");
    assert_int_equal(mt_row_set(row, MT_FIELD_SEX, "female", 6, &err), MT_OK);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_EINVAL);
    assert_string_equal(err.field, "age");
    assert_int_equal(mt_row_set_number(row, MT_FIELD_AGE, 70, &err), MT_OK);
    assert_int_equal(mt_row_set_number(row, MT_FIELD_ASM, 15, &err), MT_OK);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_EINVAL);
    assert_string_equal(err.field, "asm_method");
    assert_non_null(strstr(err.message, "asm_method: required with asm"));
    /* reset forgets everything */
    mt_row_reset(row);
    assert_int_equal(mt_row_set(row, MT_FIELD_SEX, "male", 4, &err), MT_OK);
    assert_int_equal(mt_row_set(row, MT_FIELD_AGE, "70", 2, &err), MT_OK);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_OK);
    mt_row_free(row);
}

/* A word is read whatever its case, and only whole, and a whole number only
 * within its range: the quick way (row_quick_other, same_word) and the
 * parser's agree on these. */
static void words_whole_and_in_any_case(void **state)
{
    static const struct {
        int field;
        const char *text;
        int word; /* -1: rejected */
    } cases[] = {
        {MT_FIELD_SEX, "female", 0},       {MT_FIELD_SEX, "male", 1},
        {MT_FIELD_SEX, "Female", 0},       {MT_FIELD_SEX, "MALE", 1},
        {MT_FIELD_SEX, "fem", -1},         {MT_FIELD_SEX, "females", -1},
        {MT_FIELD_SEX, "mal", -1},         {MT_FIELD_SEX, "malee", -1},
        {MT_FIELD_SEX, "xale", -1},        {MT_FIELD_ASM_METHOD, "dxa", 0},
        {MT_FIELD_ASM_METHOD, "BiA", 1},   {MT_FIELD_ASM_METHOD, "dx", -1},
        {MT_FIELD_SETTING, "hospital", 1}, {MT_FIELD_SETTING, "Community", 0},
        {MT_FIELD_BIA_EQUATION, "janssen2000", 3}, {MT_FIELD_BIA_EQUATION, "KIM2014", 1},
        {MT_FIELD_BIA_EQUATION, "kim201", -1},
        /* whole numbers, read without the parser's set-up when accepted */
        {MT_FIELD_SPPB_TOTAL, "8", 8},     {MT_FIELD_SPPB_TOTAL, "0", 0},
        {MT_FIELD_SPPB_TOTAL, "12", 12},   {MT_FIELD_SPPB_TOTAL, "8.0", 8},
        {MT_FIELD_SPPB_TOTAL, "13", -1},   {MT_FIELD_SPPB_TOTAL, "-1", -1},
        {MT_FIELD_SPPB_TOTAL, "8.5", -1},  {MT_FIELD_SPPB_TOTAL, "eight", -1},
        {MT_FIELD_SARC_F_TOTAL, "10", 10}, {MT_FIELD_SARC_F_TOTAL, "11", -1},
        {MT_FIELD_SEX, "8", -1},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mt_row *row = NULL;
        mt_error err;
        double x = -1;
        int rc;
        assert_int_equal(mt_row_new(&row), MT_OK);
        rc = mt_row_set(row, cases[i].field, cases[i].text, strlen(cases[i].text), &err);
        if (cases[i].word < 0) {
            if (rc == MT_OK)
                fail_msg("%s was accepted", cases[i].text);
        } else {
            if (rc != MT_OK)
                fail_msg("%s: %s", cases[i].text, err.message);
            assert_int_equal(mt_row_get(row, cases[i].field, &x), MT_OK);
            assert_int_equal((int)x, cases[i].word);
        }
        mt_row_free(row);
    }
}

static void get_returns_values_and_words(void **state)
{
    static const char *const kv[] = {"sex", "Male", "age", "70", "grip", "61 lb",
                                     "asm", "20", "asm_method", "bia", NULL};
    mt_row *row = row_of(kv);
    double x;

    (void)state;
    assert_int_equal(mt_row_get(row, MT_FIELD_SEX, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_SEX)[(int)x], "male");
    assert_int_equal(mt_row_get(row, MT_FIELD_GRIP, &x), MT_OK);
    assert_true(fabs(x - 27.6691) < 1e-9); /* 61 lb, rounded to 4 decimals */
    assert_int_equal(mt_row_get(row, MT_FIELD_ASM_METHOD, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_ASM_METHOD)[(int)x], "bia");
    assert_int_equal(mt_row_get(row, MT_FIELD_CALF, &x), MT_EINVAL);
    assert_int_equal(mt_row_get(row, MT_FIELD_SETTING, &x), MT_EINVAL);
    mt_row_free(row);
}

/* mt_row_get_used: a field of words left out reads as the word the engine
 * took in its place (setting: community; bia_equation: sergi2015 beside BIA
 * readings), and as mt_row_get otherwise. */
static void get_used_gives_the_defaults_taken(void **state)
{
    static const char *const plain[] = {"sex", "male", "age", "70", "grip", "30", NULL};
    static const char *const bia[] = {"sex",    "male", "age",  "70",  "height",
                                      "170",    "weight", "70", "grip", "30",
                                      "bia_resistance", "500", "bia_reactance", "50", NULL};
    static const char *const kim[] = {"sex", "male", "age", "70", "height", "170", "weight", "70",
                                      "bia_resistance", "500", "bia_equation", "kim2014",
                                      "setting", "hospital", NULL};
    mt_row *row;
    mt_classification c;
    mt_error err;
    double x;

    (void)state;
    row = row_of(plain);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_OK);
    assert_int_equal(mt_row_get(row, MT_FIELD_SETTING, &x), MT_EINVAL);
    assert_int_equal(mt_row_get_used(row, MT_FIELD_SETTING, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_SETTING)[(int)x], "community");
    assert_int_equal(mt_row_get_used(row, MT_FIELD_BIA_EQUATION, &x), MT_EINVAL); /* no BIA */
    assert_int_equal(mt_row_get_used(row, MT_FIELD_ASM_METHOD, &x), MT_EINVAL);
    assert_int_equal(mt_row_get_used(row, MT_FIELD_CALF, &x), MT_EINVAL);
    assert_int_equal(mt_row_get_used(row, MT_FIELD_GRIP, &x), MT_OK);
    assert_true(x == 30);
    mt_row_free(row);
    row = row_of(bia);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_OK);
    assert_int_equal(mt_row_get(row, MT_FIELD_BIA_EQUATION, &x), MT_EINVAL);
    assert_int_equal(mt_row_get_used(row, MT_FIELD_BIA_EQUATION, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_BIA_EQUATION)[(int)x], "sergi2015");
    mt_row_free(row);
    row = row_of(kim);
    assert_int_equal(mt_row_classify(row, 0, &c, &err), MT_OK);
    assert_int_equal(mt_row_get_used(row, MT_FIELD_BIA_EQUATION, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_BIA_EQUATION)[(int)x], "kim2014");
    assert_int_equal(mt_row_get_used(row, MT_FIELD_SETTING, &x), MT_OK);
    assert_string_equal(mt_field_words(MT_FIELD_SETTING)[(int)x], "hospital");
    assert_int_equal(mt_row_get_used(NULL, MT_FIELD_SETTING, &x), MT_EINVAL);
    mt_row_free(row);
}

static void definition_views(void **state)
{
    mt_definition_view v;

    (void)state;
    assert_true(mt_definition_count() >= 8 && mt_definition_count() <= MT_MAX_DEFINITIONS);
    assert_int_equal(mt_definition_at(mt_definition_count(), &v), MT_EINVAL);
    assert_int_equal(mt_definition_at(2, &v), MT_OK);
    assert_string_equal(v.id, "fnih");
    assert_true(v.n_criteria <= MT_MAX_CRITERIA);
    assert_string_equal(v.categories[v.n_categories - 1], "insufficient_data");
    assert_null(v.categories[v.n_categories]);
}

/* ---- the memo, the lazy reset and the quick checks against the slow path ----
 *
 * A row that is reset and refilled many times (its memo warm, its tables full
 * of other texts, its reset lazy) and a new row filled the cold way
 * (mt_row_set_cold: no memo) must agree on every return code and message, on
 * every byte of the input and every given bit after each row, on the
 * whole-row checks (mt_row_check's shortcut against mt_row_check_full) and on
 * the classification. The texts: every field's range ends and their
 * neighbours in several spellings, the words in several cases, units, the
 * missing and the garbage, and random numbers in and around the ranges, more
 * distinct ones than a memo table holds. */

static void add_text(char ***pool, size_t *n, size_t *cap, const char *t, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *pool = realloc(*pool, *cap * sizeof(**pool));
        assert_non_null(*pool);
    }
    (*pool)[*n] = malloc(len + 2);
    assert_non_null((*pool)[*n]);
    (*pool)[*n][0] = (char)len; /* the length first: the texts may hold NUL bytes */
    memcpy((*pool)[*n] + 1, t, len);
    (*n)++;
}

static void add_str(char ***pool, size_t *n, size_t *cap, const char *t)
{
    add_text(pool, n, cap, t, strlen(t));
}

static void memo_and_quick_checks_equal_the_slow_path(void **state)
{
    static const char *const fixed[] = {
        "female", "male", "Female", "MALE", "fem", "malee", "community", "hospital", "Community",
        "HOSPITAL", "hospitals", "dxa", "bia", "BIA", "Dxa", "dx", "sergi2015", "kim2014",
        "yoshida2014", "janssen2000", "JANSSEN2000", "Kim2014", "unable", "UNABLE", "Unable",
        "not_completed", "NOT_COMPLETED", "not_complete", "NA", ".", "-", "+5", "5.", ".5", "-0",
        "0", "-0.0", "00", "007", "007.5", "1e2", "1E-1", "1e999", "-1e999", "1e-999", "nan",
        "NaN", "inf", "-inf", "0x10", " 5", "5 ", "5 kg", "61 lb", "12 kg", "150 cm", "1.5 m",
        "1.6 m", "70 in", "300 s", "2 min", "4 lb", "abc", "x", "xy", "xyz", "12.34567",
        "99.99995", "3.14159265", "000000000000027.5", "123456789012345678", "150.000000000000001",
        "1.2.3", "--1", "1e", "e1", "1,5", "\xc3\xa9", "\xff\xfe", "1200.00001", "0.0001",
        "0.00005", "0.00004999", "18", "17.9999", "120", "120.0001", "2", "12", "13", "10", "11",
        "-1", "8.0", "8.5", "eight"};
    char **pool = NULL;
    size_t n = 0, cap = 0, k;
    unsigned long long seed = 12345;
    mt_row *warm = NULL;
    int f, iter, sets_ok = 0, sets_bad = 0, checks_ok = 0, checks_bad = 0;

    (void)state;
    for (k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
        add_str(&pool, &n, &cap, fixed[k]);
    add_text(&pool, &n, &cap, "1\0" "2", 3);
    add_text(&pool, &n, &cap, "male\0", 5);
    add_text(&pool, &n, &cap, "\0", 1);
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        double lo, hi, d[] = {0, 0.0001, -0.0001, 0.00005, -0.00005, 0.00004, 1, -1};
        char t[64];
        size_t j;
        if (mt_field_range(f, &lo, &hi, NULL) != MT_OK)
            continue;
        for (j = 0; j < sizeof(d) / sizeof(d[0]); j++) {
            snprintf(t, sizeof(t), "%.4f", lo + d[j]);
            add_str(&pool, &n, &cap, t);
            snprintf(t, sizeof(t), "%.6f", hi + d[j]);
            add_str(&pool, &n, &cap, t);
            snprintf(t, sizeof(t), "%g", lo + d[j]);
            add_str(&pool, &n, &cap, t);
            snprintf(t, sizeof(t), "%g", hi + d[j]);
            add_str(&pool, &n, &cap, t);
            snprintf(t, sizeof(t), "%.17g", hi + d[j]);
            add_str(&pool, &n, &cap, t);
        }
    }
    for (k = 0; k < 60000; k++) { /* random numbers and garbage */
        char t[32];
        unsigned long long r = mt_test_lcg(&seed);
        if (r % 10 == 0) {
            size_t len = 1 + mt_test_lcg(&seed) % 18, j;
            for (j = 0; j < len; j++)
                t[j] = (char)(mt_test_lcg(&seed) % 4 ? "0123456789.-eE+ akNA"[mt_test_lcg(&seed) % 20]
                                             : (int)(mt_test_lcg(&seed) & 0xff));
            add_text(&pool, &n, &cap, t, len);
        } else {
            snprintf(t, sizeof(t), "%.*f", (int)(mt_test_lcg(&seed) % 7),
                     (double)(mt_test_lcg(&seed) % 20000000) / 10000.0 - 10.0);
            add_str(&pool, &n, &cap, t);
        }
    }
    assert_int_equal(mt_row_new(&warm), MT_OK);
    for (iter = 0; iter < 40000; iter++) {
        mt_row *cold = NULL;
        mt_classification ca, cb;
        mt_error ea, eb;
        int ra, rb, sets = (int)(mt_test_lcg(&seed) % 14), s2;
        double ga, gb;
        /* the texts of this row: often the common ones (memo hits), sometimes any */
        size_t common = 200 + mt_test_lcg(&seed) % 2000;
        char age[16];
        mt_row_reset(warm);
        assert_int_equal(mt_row_new(&cold), MT_OK);
        for (f = 0; f < MT_FIELD_COUNT; f++) { /* a stale slot reads as a reset one */
            ra = mt_row_get(warm, f, &ga);
            rb = mt_row_get(cold, f, &gb);
            assert_int_equal(ra, rb);
            if (ra == MT_OK)
                assert_memory_equal(&ga, &gb, sizeof(ga));
        }
        if (iter % 3 == 0) /* sex and age first: a row that may pass the checks */
            sets += 2;
        for (s2 = 0; s2 < sets; s2++) {
            size_t pick = mt_test_lcg(&seed) % 4 ? mt_test_lcg(&seed) % (common < n ? common : n)
                                         : mt_test_lcg(&seed) % n;
            const char *t = pool[pick] + 1;
            size_t len = (size_t)(unsigned char)pool[pick][0];
            f = (int)(mt_test_lcg(&seed) % MT_FIELD_COUNT);
            if (iter % 3 == 0 && (f == MT_FIELD_ASM || f >= MT_FIELD_BIA_RESISTANCE) &&
                mt_test_lcg(&seed) % 4) /* these fail the checks alone: less often */
                f = MT_FIELD_GRIP;
            if (iter % 3 == 0 && s2 < 2) { /* sex and age first */
                f = s2 ? MT_FIELD_AGE : MT_FIELD_SEX;
                if (s2 == 0) {
                    t = mt_test_lcg(&seed) % 2 ? "male" : "female";
                    len = strlen(t);
                } else if (mt_test_lcg(&seed) % 8) {
                    snprintf(age, sizeof(age), "%d", 18 + (int)(mt_test_lcg(&seed) % 103));
                    t = age;
                    len = strlen(t);
                }
            }
            if (mt_test_lcg(&seed) % 16 == 0) { /* now and then a number */
                double x = (double)(mt_test_lcg(&seed) % 3000000) / 1000.0 - 5;
                ra = mt_row_set_number(warm, f, x, &ea);
                rb = mt_row_set_number(cold, f, x, &eb);
            } else {
                ra = mt_row_set(warm, f, t, len, &ea);
                rb = mt_row_set_cold(cold, f, t, len, &eb);
            }
            mt_test_same_error(ra, rb, &ea, &eb, mt_field_name(f));
            if (ra == MT_OK)
                sets_ok++;
            else
                sets_bad++;
        }
        if (!mt_row_same(warm, cold))
            fail_msg("row %d: the inputs differ after the sets", iter);
        ra = mt_row_check(warm, &ea);
        rb = mt_row_check_full(cold, &eb);
        mt_test_same_error(ra, rb, &ea, &eb, "the whole-row checks");
        if (!mt_row_same(warm, cold))
            fail_msg("row %d: the inputs differ after the checks", iter);
        if (ra == MT_OK) {
            checks_ok++;
            memset(&ca, 0, sizeof(ca));
            memset(&cb, 0, sizeof(cb));
            assert_int_equal(mt_row_classify(warm, 0, &ca, &ea), MT_OK);
            assert_int_equal(mt_row_classify(cold, 0, &cb, &eb), MT_OK);
            assert_memory_equal(&ca, &cb, sizeof(ca));
        } else {
            checks_bad++;
        }
        mt_row_free(cold);
    }
    /* both ways were taken, often */
    print_message("%d sets accepted, %d refused; %d rows passed the checks, %d did not\n", sets_ok,
                  sets_bad, checks_ok, checks_bad);
    assert_true(sets_ok > 50000 && sets_bad > 50000);
    assert_true(checks_ok > 5000 && checks_bad > 5000);
    mt_row_free(warm);
    for (k = 0; k < n; k++)
        free(pool[k]);
    free(pool);
}

/* The memo keeps no text a trimming caller would change or skip (a blank at
 * either end, "NA", "."): screen's columns_fill looks cells up untrimmed and
 * relies on it (memo_may_keep in document.c). Each text set often enough for
 * the field's table to be made, then asked of the memo directly; a usual
 * text is found, so the table is there. */
static void memo_keeps_no_blank_or_missing_text(void **state)
{
    static const char *const never[] = {" 5", "5 ", "\t12.5", "12.5\t", " 70", "70 ", "NA",
                                        ".", " NA", "\t.", " unable", "unable "};
    mt_row *row = NULL;
    mt_error err;
    size_t k;
    int i;

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    for (i = 0; i < 40; i++) {
        char t[16];
        snprintf(t, sizeof(t), "%d.5", 20 + i);
        mt_row_reset(row);
        assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, t, strlen(t), &err), MT_OK);
        for (k = 0; k < sizeof(never) / sizeof(never[0]); k++) {
            mt_row_reset(row);
            (void)mt_row_set(row, MT_FIELD_GRIP, never[k], strlen(never[k]), &err);
        }
    }
    mt_row_reset(row);
    assert_true(mt_row_memo_replay(row, &row->memo->f[MT_FIELD_GRIP], "55.5", 4));
    for (k = 0; k < sizeof(never) / sizeof(never[0]); k++)
        if (mt_row_memo_replay(row, &row->memo->f[MT_FIELD_GRIP], never[k], strlen(never[k])))
            fail_msg("the memo kept \"%s\"", never[k]);
    mt_row_free(row);
}

/* The memo's key read in one load (mt_cell_key_wide, 16 bytes readable from
 * the text) is mt_cell_key's, whatever follows the text; and the key is one
 * to one: texts that differ (a byte, or only the length, as "7" and "7\0")
 * have different keys. Every length 0 to MT_MEMO_MAX_LEN, random bytes (NUL
 * and 0xff too) and random bytes after them. */
static void wide_key_equals_key(void **state)
{
    unsigned long long seed = 20261122;
    unsigned char buf[32], other[32];
    int i;

    (void)state;
    for (i = 0; i < 200000; i++) {
        size_t len = (size_t)(mt_test_lcg(&seed) % (MT_MEMO_MAX_LEN + 1)), k, len2;
        uint64_t a, b, wa, wb, a2, b2;
        for (k = 0; k < sizeof(buf); k++)
            buf[k] = (unsigned char)(mt_test_lcg(&seed) >> (k % 3 ? 8 : 40));
        mt_cell_key((const char *)buf, len, &a, &b);
        mt_cell_key_wide((const char *)buf, len, &wa, &wb);
        if (a != wa || b != wb)
            fail_msg("length %zu: the wide key differs", len);
        if (b == 0)
            fail_msg("length %zu: a key with b == 0 (an empty entry's)", len);
        /* another text: one byte changed, or another length */
        memcpy(other, buf, sizeof(other));
        len2 = len;
        if (len && i % 2)
            other[mt_test_lcg(&seed) % len] ^= (unsigned char)(1 + mt_test_lcg(&seed) % 255);
        else
            len2 = (len + 1 + mt_test_lcg(&seed) % MT_MEMO_MAX_LEN) % (MT_MEMO_MAX_LEN + 1);
        mt_cell_key((const char *)other, len2, &a2, &b2);
        if (a == a2 && b == b2)
            fail_msg("two texts (lengths %zu, %zu) with one key", len, len2);
    }
}

/* mt_row_memo_find_text (the key kept in a register, each entry's compared
 * whole) finds the entry mt_cell_key_wide and mt_row_memo_find find, or
 * none as they do: over a table of grip texts (many sets full), for those
 * texts, for each with one byte changed or one byte more or less, and for
 * random bytes of every length, read from a buffer whose following bytes are
 * noise (a cell's own end is its length, not a NUL). Before the table is made
 * (the static empty one) nothing is found. */
static void find_text_equals_find(void **state)
{
    unsigned long long seed = 20261123;
    mt_row *row = NULL;
    mt_error err;
    const mt_row_field *rf;
    int i, found = 0;

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    rf = &row->memo->f[MT_FIELD_GRIP];
    assert_null(mt_row_memo_find_text(rf, "33.3                ", 4));
    for (i = 0; i < 20000; i++) { /* texts of 7 bytes, and of 11 (a key's both words) */
        char t[16];
        snprintf(t, sizeof(t), i % 2 ? "%d.%04d" : "%d.%04d0000", 10 + i % 50, i / 50);
        mt_row_reset(row);
        assert_int_equal(mt_row_set(row, MT_FIELD_GRIP, t, strlen(t), &err), MT_OK);
    }
    assert_int_equal(rf->own, 1);
    for (i = 0; i < 300000; i++) {
        char buf[40];
        size_t len, k;
        uint64_t a, b;
        const mt_memo_entry *want, *got;
        for (k = 0; k < sizeof(buf); k++)
            buf[k] = (char)(mt_test_lcg(&seed) >> 24);
        if (i % 3 == 0) { /* a text the table holds, perhaps changed */
            int j = (int)(mt_test_lcg(&seed) % 20000);
            len = (size_t)snprintf(buf, 16, j % 2 ? "%d.%04d" : "%d.%04d0000", 10 + j % 50,
                                   j / 50);
            buf[len] = (char)(mt_test_lcg(&seed) >> 24); /* noise after it, not a NUL */
            if (i % 2)
                buf[mt_test_lcg(&seed) % len] ^= (char)(1 + mt_test_lcg(&seed) % 255);
            else if (i % 5 == 0)
                len += (size_t)(mt_test_lcg(&seed) % 3) - 1;
        } else {
            len = (size_t)(mt_test_lcg(&seed) % (MT_MEMO_MAX_LEN + 1));
        }
        mt_cell_key_wide(buf, len, &a, &b);
        want = mt_row_memo_find(rf, a, b);
        got = mt_row_memo_find_text(rf, buf, len);
        if (want != got)
            fail_msg("text %d (length %zu): %p, the word compare's %p", i, len, (const void *)got,
                     (const void *)want);
        found += got != NULL;
    }
    print_message("%d of 300000 found\n", found);
    assert_true(found > 5000); /* hits and misses both: the test is not vacuous */
    assert_true(found < 200000);
    mt_row_free(row);
}

/* A cohort file's missing cells (empty, NA, '.') have entries of their own in
 * a field's table once it is made: found by their keys, of no given bit,
 * writing the pristine slot; never pushed out by the texts kept after them
 * (thousands, many sets full), and never taken by mt_row_set. */
static void missing_cells_keep_their_entries(void **state)
{
    static const char *const missing[] = {"", "NA", "."};
    const int fields[] = {MT_FIELD_GRIP, MT_FIELD_SEX, MT_FIELD_ASM_METHOD, MT_FIELD_SPPB_TOTAL};
    static const char *const value[] = {"33.3", "male", "dxa", "7"};
    mt_row *row = NULL, *fresh = NULL;
    mt_error err;
    size_t k, j;
    int i, n;

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    assert_int_equal(mt_row_new(&fresh), MT_OK);
    for (j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
        const int f = fields[j];
        const mt_row_field *rf = &row->memo->f[f];
        const char *const *w = mt_field_words(f);
        int nw = 0;
        while (w && w[nw])
            nw++;
        for (i = 0, n = 0; i < 20000; i++) { /* grip: 20,000 texts, several a set */
            char t[16];
            if (f == MT_FIELD_GRIP)
                snprintf(t, sizeof(t), "%d.%04d", 10 + i % 50, i / 50);
            else if (nw && w[i % nw][0])
                snprintf(t, sizeof(t), "%s", w[i % nw]);
            else
                snprintf(t, sizeof(t), "%d", i % 13);
            mt_row_reset(row);
            n += mt_row_set(row, f, t, strlen(t), &err) == MT_OK;
        }
        assert_true(n >= (f == MT_FIELD_GRIP ? 20000 : 1)); /* grip: every text kept */
        assert_int_equal(rf->own, 1); /* the table was made */
        for (k = 0; k < sizeof(missing) / sizeof(missing[0]); k++) {
            const mt_memo_entry *e;
            uint64_t a, b;
            mt_cell_key(missing[k], strlen(missing[k]), &a, &b);
            e = mt_row_memo_find(rf, a, b);
            if (!e)
                fail_msg("field %s: no entry for \"%s\"", mt_field_name(f), missing[k]);
            assert_int_equal(e->given, 0);
            /* written on a row that held a value, it leaves what a new row holds */
            mt_row_reset(row);
            assert_int_equal(mt_row_set(row, f, value[j], strlen(value[j]), &err), MT_OK);
            mt_row_reset(row);
            mt_row_memo_write(row, rf, e);
            mt_row_memo_mark(row, 1u << f);
            if (!mt_row_same(row, fresh))
                fail_msg("field %s: \"%s\" does not leave the pristine row", mt_field_name(f),
                         missing[k]);
            if (k && mt_row_memo_replay(row, rf, missing[k], strlen(missing[k])))
                fail_msg("field %s: mt_row_set would take \"%s\"", mt_field_name(f), missing[k]);
        }
    }
    mt_row_free(fresh);
    mt_row_free(row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(field_names_paths_and_lookup),
        cmocka_unit_test(field_ranges_and_words_are_the_documents),
        cmocka_unit_test(row_classifies_as_assess_does),
        cmocka_unit_test(classify_only_the_definitions_asked),
        cmocka_unit_test(grip_boundary_through_a_row),
        cmocka_unit_test(number_text_reads_as_its_number),
        cmocka_unit_test(messages_name_the_flat_field),
        cmocka_unit_test(get_returns_values_and_words),
        cmocka_unit_test(get_used_gives_the_defaults_taken),
        cmocka_unit_test(words_whole_and_in_any_case),
        cmocka_unit_test(definition_views),
        cmocka_unit_test(memo_and_quick_checks_equal_the_slow_path),
        cmocka_unit_test(memo_keeps_no_blank_or_missing_text),
        cmocka_unit_test(wide_key_equals_key),
        cmocka_unit_test(find_text_equals_find),
        cmocka_unit_test(missing_cells_keep_their_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
