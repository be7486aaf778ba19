/*
 * test_columns.c - screen's columns_fill (src/screen/columns.c): a row filled
 * by it again and again (the memo warm, its replays written inline with their
 * marks made later, the reset lazy) holds, after every record, exactly what a
 * new row filled from the same record holds (every text read the slow way:
 * a new row has no memo table), byte for byte, with the same error, the same
 * whole-row checks and the same mt_row_get values. Over the default layout
 * (with and without BIA columns, without a setting column and with screen's
 * --setting constant made after columns_resolve) and maps with codes, units,
 * max_of, an asm method and constant methods; cells drawn mostly from a few
 * hundred texts of each field (memo hits), with blanks, missing words,
 * other fields' texts, texts longer than a memo key and garbage.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "input/input.h" /* mt_row_check_full, mt_row_same */
#include "screen/columns.h"
#include "screen/csv.h"

#define COMMON 300 /* a field's usual texts */

static char common[MT_FIELD_COUNT][COMMON][24];

static void make_common(unsigned long long *seed)
{
    int f, k;

    for (f = 0; f < MT_FIELD_COUNT; f++) {
        const char *const *w = mt_field_words(f);
        double lo = 0, hi = 100;
        int nw = 0;
        while (w && w[nw])
            nw++;
        mt_field_range(f, &lo, &hi, NULL);
        for (k = 0; k < COMMON; k++) {
            double u = (double)(mt_test_lcg(seed) % 1000) / 999.0, x = lo + (hi - lo) * u;
            if (nw && (f == MT_FIELD_SEX || f == MT_FIELD_SETTING || f == MT_FIELD_ASM_METHOD ||
                       f == MT_FIELD_BIA_EQUATION || k % 20 == 0))
                snprintf(common[f][k], sizeof(common[f][k]), "%s", w[k % nw]);
            else if (k % 3 == 0 || f == MT_FIELD_SPPB_TOTAL || f == MT_FIELD_SARC_F_TOTAL)
                snprintf(common[f][k], sizeof(common[f][k]), "%.0f", x);
            else
                snprintf(common[f][k], sizeof(common[f][k]), "%.*f", 1 + (int)(k % 4), x);
        }
    }
}

static const char *const junk[] = {
    "",      "NA",       ".",        " ",        " 5 ",    "\t12.5",  "12.5 ", "abc",
    "1e999", "1e2",      "-0",       "Female",   " male",  "MALE",    "61 lb", "150 cm",
    "unable", "not_completed", "12345678901234567", "1234567890123.5", "150.000000000000001",
    "9",     "3",        "x",        "dxa",      "bia",    "kim2014", "hospital", "\xff",
    "000000000000027.5", "99.99995", "-1", " 5", "5 ", "N", "A", "NA ", " NA", "..", ". ",
    "\t.", "  ", "bia ", "12345678", "123456789012345", "1234567890123456"};

/* A cell of column `name`: a field's own texts mostly, sometimes another's or junk. */
static const char *cell(const char *name, unsigned long long *seed)
{
    static const char *const codes[] = {"1", "2", "9", "3", " 1", "NA"};
    int f, r = (int)(mt_test_lcg(seed) % 1000);

    if (r < 6)
        return junk[mt_test_lcg(seed) % (sizeof(junk) / sizeof(junk[0]))];
    if (r < 15)
        return common[mt_test_lcg(seed) % MT_FIELD_COUNT][mt_test_lcg(seed) % COMMON];
    if (strcmp(name, "sx") == 0)
        return codes[r % 100 < 96 ? (size_t)(r % 2) : (size_t)(mt_test_lcg(seed) % 6)];
    if (strcmp(name, "g1") == 0 || strcmp(name, "g2") == 0)
        name = "grip";
    for (f = 0; f < MT_FIELD_COUNT; f++)
        if (strcmp(name, mt_field_name(f)) == 0)
            return r < (f <= MT_FIELD_AGE || f == MT_FIELD_ASM_METHOD ? 20 : 100)
                       ? ""
                       : common[f][mt_test_lcg(seed) % COMMON];
    return "17";
}

/* One layout: header names, an optional map, an optional --setting constant. */
static void one_layout(const char *const *names, size_t n, const char *map, const char *setting,
                       int rows, unsigned long long *seed, int *ok, int *bad)
{
    columns c;
    csv_field hf[40], fl[40];
    char msg[256];
    mt_row *warm = NULL;
    size_t k;
    int r, f;

    memset(&c, 0, sizeof(c));
    assert_true(n <= 40);
    if (map && columns_load(&c, map, strlen(map), "map", msg, sizeof(msg)) != 0)
        fail_msg("map: %s", msg);
    for (k = 0; k < n; k++) {
        hf[k].p = (char *)names[k];
        hf[k].len = strlen(names[k]);
    }
    if (columns_resolve(&c, hf, n, msg, sizeof(msg)) != 0)
        fail_msg("resolve: %s", msg);
    if (setting && c.field[MT_FIELD_SETTING].kind == SRC_NONE) { /* as screen's --setting */
        c.field[MT_FIELD_SETTING].kind = SRC_CONSTANT;
        c.field[MT_FIELD_SETTING].constant = malloc(strlen(setting) + 1);
        assert_non_null(c.field[MT_FIELD_SETTING].constant);
        strcpy(c.field[MT_FIELD_SETTING].constant, setting);
    }
    assert_int_equal(mt_row_new(&warm), MT_OK);
    for (r = 0; r < rows; r++) {
        mt_row *cold = NULL;
        mt_error ea, eb;
        char *line, *end;
        size_t total = 0, slack = mt_test_lcg(seed) % 24;
        int ra, rb;
        const char *t[40];
        /* the record as a block holds it: its cells one after another, then
         * `slack` bytes readable (0 to 23: the last cells are near the end),
         * in memory of that size exactly, so that reading past it is an
         * error under the sanitizers; sometimes no end at all */
        for (k = 0; k < n; k++) {
            t[k] = cell(names[k], seed);
            total += strlen(t[k]) + 1;
        }
        line = malloc(total + slack);
        assert_non_null(line);
        end = line;
        for (k = 0; k < n; k++) {
            fl[k].p = end;
            fl[k].len = strlen(t[k]);
            memcpy(end, t[k], fl[k].len);
            end += fl[k].len;
            *end++ = k + 1 < n ? ',' : '\n';
        }
        memset(end, 'x', slack);
        end += slack;
        if (r % 5 == 4)
            end = NULL;
        mt_row_reset(warm);
        assert_int_equal(mt_row_new(&cold), MT_OK);
        memset(&ea, 0, sizeof(ea));
        memset(&eb, 0, sizeof(eb));
        ra = columns_fill(&c, warm, fl, n, end, &ea);
        rb = columns_fill(&c, cold, fl, n, end, &eb);
        mt_test_same_error(ra, rb, &ea, &eb, "columns_fill");
        if (ra == 0) {
            for (f = 0; f < MT_FIELD_COUNT; f++) { /* before the checks: stale slots too */
                double ga, gb;
                int qa = mt_row_get(warm, f, &ga), qb = mt_row_get(cold, f, &gb);
                assert_int_equal(qa, qb);
                if (qa == MT_OK)
                    assert_memory_equal(&ga, &gb, sizeof(ga));
            }
            if (!mt_row_same(warm, cold))
                fail_msg("record %d: the rows differ after columns_fill", r);
            ra = mt_row_check(warm, &ea);
            rb = mt_row_check_full(cold, &eb);
            mt_test_same_error(ra, rb, &ea, &eb, "the whole-row checks");
            if (!mt_row_same(warm, cold))
                fail_msg("record %d: the rows differ after the checks", r);
            if (ra == MT_OK)
                ++*ok;
            else
                ++*bad;
        } else {
            ++*bad;
        }
        mt_row_free(cold);
        free(line);
    }
    mt_row_free(warm);
    columns_free(&c);
}

static void fill_equals_the_slow_path(void **state)
{
    static const char *const plain[] = {
        "id",       "sex",      "age",        "height",       "weight",   "grip",
        "chair_stand_5x", "gait_speed", "tug", "walk_400m",  "six_minute_walk", "sppb_total",
        "calf",     "asm",      "asm_method", "sarc_f_total", "setting",  "survey_weight"};
    static const char *const all[] = {
        "sex", "age", "height", "weight", "grip", "chair_stand_5x", "gait_speed", "tug",
        "walk_400m", "six_minute_walk", "sppb_total", "calf", "asm", "asm_method",
        "bia_resistance", "bia_reactance", "bia_equation", "sarc_f_total", "setting", "id"};
    static const char *const few[] = {"age", "id", "grip", "sex", "asm", "gait_speed"};
    static const char *const mapped[] = {"id", "sx", "age", "height", "g1", "g2", "asm",
                                         "asm_method", "calf", "gait_speed", "setting"};
    static const char *const bia[] = {"sex", "age", "height", "weight", "grip", "asm",
                                      "bia_resistance", "bia_reactance", "calf"};
    static const char *const map1 =
        "{\"fields\": {\"sex\": {\"column\": \"sx\", \"codes\": {\"1\": \"male\", \"2\": "
        "\"female\", \"9\": null}}, \"height\": {\"column\": \"height\", \"unit\": \"in\"}, "
        "\"asm\": {\"column\": \"asm\", \"method\": \"dxa\"}, \"grip\": {\"max_of\": [\"g1\", "
        "\"g2\"]}, \"setting\": {\"constant\": \"hospital\"}}}";
    static const char *const map2 =
        "{\"fields\": {\"asm_method\": {\"constant\": \"bia\"}, \"bia_equation\": "
        "{\"constant\": \"kim2014\"}}}";
    unsigned long long seed = 20261121;
    int ok = 0, bad = 0;

    (void)state;
    make_common(&seed);
    one_layout(plain, sizeof(plain) / sizeof(plain[0]), NULL, NULL, 6000, &seed, &ok, &bad);
    one_layout(all, sizeof(all) / sizeof(all[0]), NULL, NULL, 4000, &seed, &ok, &bad);
    one_layout(few, sizeof(few) / sizeof(few[0]), NULL, "hospital", 4000, &seed, &ok, &bad);
    one_layout(few, sizeof(few) / sizeof(few[0]), NULL, NULL, 2000, &seed, &ok, &bad);
    one_layout(mapped, sizeof(mapped) / sizeof(mapped[0]), map1, NULL, 4000, &seed, &ok, &bad);
    one_layout(bia, sizeof(bia) / sizeof(bia[0]), map2, "community", 4000, &seed, &ok, &bad);
    print_message("%d records accepted, %d rejected\n", ok, bad);
    /* both ways taken often: rows that pass and rows that fail */
    if (ok < 2000 || bad < 2000)
        fail_msg("%d records accepted and %d rejected: too few of one", ok, bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fill_equals_the_slow_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
