/*
 * test_plan.c - the care plan (REFERENCE §11) as a contract: the protein
 * rows with grams a day worked out by hand, the first matching row, the
 * kidney exception, the older-adult and exercising boundaries, energy and
 * per-meal amounts; and the exercise plan: red flags stop it, a nerve cause
 * makes it assisted without load progression, cachexia puts it with the
 * treating team, equipment and location choose the variants, the chair stand
 * chooses the sit-to-stand level, beginners do more repetitions.
 *
 * Every expected number below is computed by hand from
 * /work/shared/clinical/REFERENCE.md §11 (and §7 for the chair-stand and gait
 * cut-offs), never copied from the engine's output. Where REFERENCE leaves a
 * choice open the test follows the convention documented in
 * docs/conventions.md (named next to the test), e.g. "about 25-30 g per main
 * meal, or the day's range over three meals when three such meals would pass
 * it", "energy 30 kcal/kg only at 65 or older", "the kidney row applies when
 * on_dialysis is not true".
 *
 * Grams a day are whole grams, rounded to the nearest; the weights are chosen
 * so that no product lands on a half gram. Output is read back through the
 * public API (mt_assess, mt_result_render_json) with jansson.
 */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "testassess.h"

/* want NAN: the value must be JSON null. */
static void expect_num_or_null(json_t *root, const char *path, double want)
{
    json_t *v = at(root, path);

    if (isnan(want)) {
        if (!json_is_null(v))
            fail_msg("%s = %s, expected null", path, dump(v));
    } else {
        expect_num(root, path, want);
    }
}

static void expect_range(json_t *root, const char *path, int lo, int hi)
{
    char p[200];

    snprintf(p, sizeof(p), "%s.0", path);
    expect_num(root, p, lo);
    snprintf(p, sizeof(p), "%s.1", path);
    expect_num(root, p, hi);
    if (json_array_size(at(root, path)) != 2)
        fail_msg("%s = %s, expected [%d, %d]", path, dump(at(root, path)), lo, hi);
}

static void must_not_have(json_t *root, const char *list, const char *id)
{
    char ids[1024];

    if (by_id(root, list, id)) {
        ids_of(root, list, ids, sizeof(ids));
        fail_msg("%s has \"%s\", expected none; it has [%s]", list, id, ids);
    }
}

static int get_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_number(v))
        fail_msg("%s = %s, expected a number", key, dump(v));
    return (int)json_number_value(v);
}

/* ---- protein: every row of REFERENCE §11 ------------------------------------ */

/*
 * One row: a document, the row it must choose, and the figures by hand.
 * NAN means null in the output (a ceiling-only row has no lower figure).
 */
typedef struct protein_case {
    const char *name;
    const char *doc;
    const char *row;
    double lo, hi;           /* g/kg/day */
    double day_lo, day_hi;   /* g/day = round(g/kg x weight) */
    double meal_lo, meal_hi; /* g per main meal */
    double kcal;             /* 30 x weight at >= 65, else null */
    const char *sources;     /* the sources REFERENCE names for the row, space-separated */
    const char *status;      /* "confirmed" or "to_confirm" (the row's [tc] mark) */
} protein_case;

static const protein_case protein_cases[] = {
    /* eGFR < 30, not on dialysis: at most 0.8. 70 kg: 0.8 x 70 = 56 g; 3 x 25 = 75 > 56,
     * so the day is spread over three meals: 56 / 3 = 18.67 -> 19. Energy 30 x 70 = 2100. */
    {"kidney row: eGFR 25, not on dialysis, 70 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":70,\"height\":175,\"weight\":70},"
     "\"history\":{\"labs\":{\"egfr\":25,\"on_dialysis\":false}}}",
     "kidney_no_dialysis", NAN, 0.8, NAN, 56, NAN, 19, 2100, "PROTAGE", "confirmed"},
    /* Fearon cachexia: cancer, 66 -> 61.3 kg = 7.12 % in 6 months (> 5).
     * 1.2-2.0 x 61.3 = 73.56 -> 74, 122.6 -> 123; meals 25-30 (75 <= 123); age 58: no kcal. */
    {"severe illness row: Fearon cachexia, 61.3 kg",
     "{\"person\":{\"sex\":\"female\",\"age\":58,\"height\":165,\"weight\":61.3},"
     "\"history\":{\"conditions\":[\"cancer\"],\"weight_6_months_ago\":66}}",
     "severe_illness", 1.2, 2.0, 74, 123, 25, 30, NAN, "PROTAGE ESPEN", "to_confirm"},
    /* GLIM stage 2 without cachexia: 72 y, BMI 62 / 1.8^2 = 19.14 (< 22 phenotype and < 20
     * severe at >= 70), intake 40 % (<= 50). 1.2-2.0 x 62 = 74.4 -> 74, 124; kcal 1860. */
    {"severe illness row: GLIM severe malnutrition, 62 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":72,\"height\":180,\"weight\":62},"
     "\"history\":{\"intake_percent_of_usual\":40,\"conditions\":[]}}",
     "severe_illness", 1.2, 2.0, 74, 124, 25, 30, 1860, "PROTAGE ESPEN", "to_confirm"},
    /* Evans cachexia: COPD, 84 -> 78 kg = 7.14 % in 12 months, grip 22 (< 27), fatigue,
     * anorexia: 3 of 5. 1.2-2.0 x 78 = 93.6 -> 94, 156; kcal 2340. */
    {"severe illness row: Evans cachexia (COPD), 78 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":66,\"height\":178,\"weight\":78},"
     "\"measurements\":{\"grip\":22},\"symptoms\":{\"fatigue\":true},"
     "\"history\":{\"conditions\":[\"copd\"],\"weight_12_months_ago\":84,"
     "\"appetite_reduced\":true}}",
     "severe_illness", 1.2, 2.0, 94, 156, 25, 30, 2340, "PROTAGE ESPEN", "to_confirm"},
    /* any listed condition: 1.2-1.5 x 58.7 = 70.44 -> 70, 88.05 -> 88; meals 25-30. */
    {"disease row: diabetes, 58.7 kg",
     "{\"person\":{\"sex\":\"female\",\"age\":50,\"height\":160,\"weight\":58.7},"
     "\"history\":{\"conditions\":[\"diabetes\"]}}",
     "disease", 1.2, 1.5, 70, 88, 25, 30, NAN, "PROTAGE ESPEN", "confirmed"},
    /* "other" is a listed condition too: 1.2-1.5 x 80 = 96, 120. */
    {"disease row: other condition, 80 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":40,\"weight\":80},"
     "\"history\":{\"conditions\":[\"other\"]}}",
     "disease", 1.2, 1.5, 96, 120, 25, 30, NAN, "PROTAGE ESPEN", "confirmed"},
    /* GLIM moderate (no condition given): 79 -> 74 kg = 6.33 % (> 5, not > 10), BMI 74 / 2.89
     * = 25.6, intake 40 %. 1.2-1.5 x 74 = 88.8 -> 89, 111. */
    {"disease row: GLIM moderate malnutrition, 74 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":60,\"height\":170,\"weight\":74},"
     "\"history\":{\"weight_6_months_ago\":79,\"intake_percent_of_usual\":40}}",
     "disease", 1.2, 1.5, 89, 111, 25, 30, NAN, "PROTAGE ESPEN", "confirmed"},
    /* hospital setting counts as acute disease (docs/conventions.md): 1.2-1.5 x 70 = 84, 105;
     * 70 y: 2100 kcal. */
    {"disease row: hospital setting, 70 kg",
     "{\"person\":{\"sex\":\"female\",\"age\":70,\"weight\":70},\"setting\":\"hospital\"}",
     "disease", 1.2, 1.5, 84, 105, 25, 30, 2100, "PROTAGE ESPEN", "confirmed"},
    /* >= 65 and 2 sessions: 1.2-1.5 x 81.7 = 98.04 -> 98, 122.55 -> 123; kcal 2451. */
    {"older exercising row: 72 y, 2 sessions, 81.7 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":72,\"weight\":81.7},"
     "\"history\":{\"exercise_sessions_per_week\":2}}",
     "older_exercising", 1.2, 1.5, 98, 123, 25, 30, 2451, "PROTAGE", "confirmed"},
    /* >= 65, 1 session: 1.0-1.2 x 54.3 = 54.3 -> 54, 65.16 -> 65; 75 > 65: meals 54 / 3 = 18,
     * 65 / 3 = 21.67 -> 22; kcal 30 x 54.3 = 1629. */
    {"older row: 65 y, 1 session, 54.3 kg",
     "{\"person\":{\"sex\":\"female\",\"age\":65,\"weight\":54.3},"
     "\"history\":{\"exercise_sessions_per_week\":1}}",
     "older", 1.0, 1.2, 54, 65, 18, 22, 1629, "PROTAGE", "confirmed"},
    /* < 65 and exercising: 1.2-1.6 x 90.4 = 108.48 -> 108, 144.64 -> 145. */
    {"younger exercising row: 40 y, 4 sessions, 90.4 kg",
     "{\"person\":{\"sex\":\"male\",\"age\":40,\"weight\":90.4},"
     "\"history\":{\"exercise_sessions_per_week\":4}}",
     "younger_exercising", 1.2, 1.6, 108, 145, 25, 30, NAN, "MORTON", "confirmed"},
    /* < 65: 0.8-1.0 x 67 = 53.6 -> 54, 67; 75 > 67: meals 54 / 3 = 18, 67 / 3 = 22.33 -> 22. */
    {"younger row: 30 y, 67 kg", "{\"person\":{\"sex\":\"female\",\"age\":30,\"weight\":67}}",
     "younger", 0.8, 1.0, 54, 67, 18, 22, NAN, "PROTAGE", "confirmed"},
    /* meals at the edge: 0.8-1.0 x 75 = 60, 75; three meals of 25 g (75) do not pass 75. */
    {"younger row: 75 kg, three 25 g meals exactly reach the day",
     "{\"person\":{\"sex\":\"male\",\"age\":30,\"weight\":75}}", "younger", 0.8, 1.0, 60, 75, 25,
     30, NAN, "PROTAGE", "confirmed"},
    /* 0.8-1.0 x 74.4 = 59.52 -> 60, 74.4 -> 74; 75 > 74: meals 60 / 3 = 20, 74 / 3 = 24.67 -> 25.
     */
    {"younger row: 74.4 kg, the day spread over three meals",
     "{\"person\":{\"sex\":\"male\",\"age\":30,\"weight\":74.4}}", "younger", 0.8, 1.0, 60, 74, 20,
     25, NAN, "PROTAGE", "confirmed"},
};
#define N_PROTEIN (sizeof(protein_cases) / sizeof(protein_cases[0]))

static void source_in(const char *got, const char *allowed, const char *what)
{
    char buf[128], *save = NULL, *tok;

    snprintf(buf, sizeof(buf), "%s", allowed);
    for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        if (strcmp(tok, got) == 0)
            return;
    fail_msg("%s: source %s, expected one of %s (REFERENCE §11)", what, got, allowed);
}

static void check_protein(json_t *r, const protein_case *c)
{
    expect_str(r, "plan.nutrition.protein_row", c->row);
    expect_num_or_null(r, "plan.nutrition.protein_g_per_kg.0", c->lo);
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", c->hi);
    expect_num_or_null(r, "plan.nutrition.protein_g_per_day.0", c->day_lo);
    expect_num(r, "plan.nutrition.protein_g_per_day.1", c->day_hi);
    expect_num_or_null(r, "plan.nutrition.per_meal_g.0", c->meal_lo);
    expect_num(r, "plan.nutrition.per_meal_g.1", c->meal_hi);
    expect_num_or_null(r, "plan.nutrition.energy_kcal_per_day", c->kcal);
    source_in(get_str(at(r, "plan.nutrition"), "source"), c->sources, c->name);
    expect_str(r, "plan.nutrition.status", c->status);
    if (strlen(get_str(at(r, "plan.nutrition"), "reason")) == 0)
        fail_msg("%s: empty reason", c->name);
}

static void protein_row(void **state)
{
    const protein_case *c = *state;
    json_t *r = assess(c->doc);

    check_protein(r, c);
    done(r);
}

/* ---- protein: first match wins -------------------------------------------- */

/* eGFR 25 with Fearon cachexia: the kidney row comes first. 0.8 x 61.3 = 49.04 -> 49. */
static void kidney_row_wins_over_cachexia(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":58,\"height\":165,\"weight\":61.3},"
                       "\"history\":{\"conditions\":[\"cancer\"],\"weight_6_months_ago\":66,"
                       "\"labs\":{\"egfr\":25}}}");

    (void)state;
    expect_str(r, "definitions.fearon2011.category", "cachexia"); /* the precondition */
    expect_str(r, "plan.nutrition.protein_row", "kidney_no_dialysis");
    expect_null(r, "plan.nutrition.protein_g_per_kg.0");
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", 0.8);
    expect_null(r, "plan.nutrition.protein_g_per_day.0");
    expect_num(r, "plan.nutrition.protein_g_per_day.1", 49);
    must_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
    must_have(r, "plan.referrals", "renal_dietitian");
    done(r);
}

/* On dialysis the kidney row does not apply: the next matching row is used. */
static void dialysis_skips_the_kidney_row(void **state)
{
    json_t *r;

    (void)state;
    /* with CKD listed: the disease row, 1.2-1.5 x 70 = 84, 105 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70,\"weight\":70},"
               "\"history\":{\"conditions\":[\"ckd\"],"
               "\"labs\":{\"egfr\":12,\"on_dialysis\":true}}}");
    expect_str(r, "plan.nutrition.protein_row", "disease");
    expect_num(r, "plan.nutrition.protein_g_per_kg.0", 1.2);
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", 1.5);
    expect_range(r, "plan.nutrition.protein_g_per_day", 84, 105);
    must_not_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
    must_not_have(r, "plan.referrals", "renal_dietitian");
    done(r);
    /* no condition listed: the next matching row is the older adult's, 1.0-1.2 x 70 = 70, 84 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70,\"weight\":70},"
               "\"history\":{\"labs\":{\"egfr\":25,\"on_dialysis\":true}}}");
    expect_str(r, "plan.nutrition.protein_row", "older");
    expect_range(r, "plan.nutrition.protein_g_per_day", 70, 84);
    must_not_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
    done(r);
}

/* Cachexia beats the disease and the older-exerciser rows: 1.2-2.0, not 1.2-1.5. */
static void severe_illness_wins_over_disease_and_exercise(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"male\",\"age\":70,\"height\":178,\"weight\":78},"
                       "\"measurements\":{\"grip\":22},\"symptoms\":{\"fatigue\":true},"
                       "\"history\":{\"conditions\":[\"copd\"],\"weight_12_months_ago\":84,"
                       "\"appetite_reduced\":true,\"exercise_sessions_per_week\":3}}");

    (void)state;
    expect_str(r, "definitions.evans2008.category", "cachexia");
    expect_str(r, "plan.nutrition.protein_row", "severe_illness");
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", 2.0);
    expect_range(r, "plan.nutrition.protein_g_per_day", 94, 156);
    done(r);
}

/* A condition at 70 with 3 sessions: the disease row (third) comes before the older
 * exerciser's (fourth); both are 1.2-1.5, the row named differs. */
static void disease_wins_over_older_exercising(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":70,\"weight\":60},"
                       "\"history\":{\"conditions\":[\"heart_failure\"],"
                       "\"exercise_sessions_per_week\":3}}");

    (void)state;
    expect_str(r, "plan.nutrition.protein_row", "disease");
    expect_range(r, "plan.nutrition.protein_g_per_day", 72, 90);
    done(r);
}

/* GLIM moderate at 70 and not exercising: the disease row (1.2-1.5), not the older (1.0-1.2).
 * 80 -> 74 kg = 7.5 % (> 5, not > 10), BMI 74 / 1.75^2 = 24.16 (not < 22), intake 50 %
 * (<= 50). 1.2-1.5 x 74 = 88.8 -> 89, 111. */
static void moderate_malnutrition_wins_over_older(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"male\",\"age\":70,\"height\":175,\"weight\":74},"
                       "\"history\":{\"weight_6_months_ago\":80,\"intake_percent_of_usual\":50}}");

    (void)state;
    expect_str(r, "definitions.glim.category", "moderate");
    expect_str(r, "plan.nutrition.protein_row", "disease");
    expect_range(r, "plan.nutrition.protein_g_per_day", 89, 111);
    done(r);
}

/* ---- protein: the kidney exception ---------------------------------------- */

/* eGFR at 29.9999 / 30 / 30.0001 (REFERENCE: eGFR < 30). 70 y, 80 kg, no condition. */
static void egfr_boundary(void **state)
{
    static const struct {
        const char *egfr;
        int kidney;
    } rows[] = {{"29.9999", 1}, {"30", 0}, {"30.0001", 0}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *r = assessf("{\"person\":{\"sex\":\"male\",\"age\":70,\"weight\":80},"
                            "\"history\":{\"labs\":{\"egfr\":%s,\"on_dialysis\":false}}}",
                            rows[i].egfr);
        if (rows[i].kidney) {
            /* at most 0.8 x 80 = 64 g; 64 / 3 = 21.33 -> 21 a meal */
            expect_str(r, "plan.nutrition.protein_row", "kidney_no_dialysis");
            expect_null(r, "plan.nutrition.protein_g_per_kg.0");
            expect_num(r, "plan.nutrition.protein_g_per_kg.1", 0.8);
            expect_null(r, "plan.nutrition.protein_g_per_day.0");
            expect_num(r, "plan.nutrition.protein_g_per_day.1", 64);
            expect_null(r, "plan.nutrition.per_meal_g.0");
            expect_num(r, "plan.nutrition.per_meal_g.1", 21);
            must_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
            expect_bool(r, "plan.criteria.kidney_protein_limit.met", 1);
        } else {
            /* the older row: 1.0-1.2 x 80 = 80, 96 */
            expect_str(r, "plan.nutrition.protein_row", "older");
            expect_range(r, "plan.nutrition.protein_g_per_day", 80, 96);
            must_not_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
            expect_bool(r, "plan.criteria.kidney_protein_limit.met", 0);
        }
        expect_num(r, "plan.nutrition.energy_kcal_per_day", 2400);
        done(r);
    }
}

/*
 * The warning is there exactly when eGFR < 30 and not on dialysis, and then no figure
 * passes 0.8 g/kg. The person would otherwise get 1.2-1.6 (45 y, 3 sessions, 60 kg):
 * capped at 0.8 x 60 = 48 g, 48 / 3 = 16 a meal. on_dialysis not asked (absent or null)
 * counts as "not on dialysis" (docs/conventions.md: the row applies when on_dialysis is not
 * true).
 */
static void kidney_warning_exactly_when_low_egfr_without_dialysis(void **state)
{
    static const struct {
        const char *labs;
        int warn;
    } rows[] = {
        {"\"egfr\":25,\"on_dialysis\":false", 1},
        {"\"egfr\":25", 1},
        {"\"egfr\":25,\"on_dialysis\":null", 1},
        {"\"egfr\":0,\"on_dialysis\":false", 1},
        {"\"egfr\":29.99,\"on_dialysis\":false", 1},
        {"\"egfr\":25,\"on_dialysis\":true", 0},
        {"\"egfr\":29.99,\"on_dialysis\":true", 0},
        {"\"egfr\":30,\"on_dialysis\":false", 0},
        {"\"egfr\":90,\"on_dialysis\":false", 0},
        {"\"egfr\":90", 0},
        {"\"on_dialysis\":true", 0},
        {"\"on_dialysis\":false", 0},
        {"\"crp\":2", 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *r = assessf("{\"person\":{\"sex\":\"female\",\"age\":45,\"weight\":60},"
                            "\"history\":{\"exercise_sessions_per_week\":3,\"labs\":{%s}}}",
                            rows[i].labs);
        json_t *w = by_id(r, "plan.nutrition.warnings", "kidney_disease_protein");
        if (!!w != rows[i].warn)
            fail_msg("labs {%s}: kidney_disease_protein warning %s, expected %s", rows[i].labs,
                     w ? "present" : "absent", rows[i].warn ? "present" : "absent");
        if (rows[i].warn) {
            json_t *v;
            size_t k;
            if (strlen(get_str(w, "text")) == 0 || strlen(get_str(w, "reason")) == 0)
                fail_msg("labs {%s}: the warning has no text or reason", rows[i].labs);
            json_array_foreach(at(r, "plan.nutrition.protein_g_per_kg"), k, v)
            {
                if (json_is_number(v) && json_number_value(v) > 0.8 + 1e-9)
                    fail_msg("labs {%s}: protein_g_per_kg %s above 0.8", rows[i].labs,
                             dump(at(r, "plan.nutrition.protein_g_per_kg")));
            }
            expect_null(r, "plan.nutrition.protein_g_per_kg.0");
            expect_num(r, "plan.nutrition.protein_g_per_kg.1", 0.8);
            expect_null(r, "plan.nutrition.protein_g_per_day.0");
            expect_num(r, "plan.nutrition.protein_g_per_day.1", 48);
            expect_null(r, "plan.nutrition.per_meal_g.0");
            expect_num(r, "plan.nutrition.per_meal_g.1", 16);
            must_have(r, "plan.referrals", "renal_dietitian");
        } else {
            /* < 65 and exercising: 1.2-1.6 x 60 = 72, 96 */
            expect_str(r, "plan.nutrition.protein_row", "younger_exercising");
            expect_range(r, "plan.nutrition.protein_g_per_day", 72, 96);
            must_not_have(r, "plan.referrals", "renal_dietitian");
        }
        done(r);
    }
}

/* ---- protein: age and exercise boundaries, energy, weight -------------------- */

/* age >= 65 (REFERENCE): 64.99 is younger, 65 older; with and without 2 sessions. 70 kg. */
static void older_adult_boundary(void **state)
{
    json_t *r;

    (void)state;
    /* 64.99, not exercising: 0.8-1.0 x 70 = 56, 70; no energy figure below 65 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":64.99,\"weight\":70}}");
    expect_str(r, "plan.nutrition.protein_row", "younger");
    expect_range(r, "plan.nutrition.protein_g_per_day", 56, 70);
    expect_null(r, "plan.nutrition.energy_kcal_per_day");
    expect_bool(r, "plan.criteria.older_adult.met", 0);
    done(r);
    /* 65: 1.0-1.2 x 70 = 70, 84; 30 x 70 = 2100 kcal */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":65,\"weight\":70}}");
    expect_str(r, "plan.nutrition.protein_row", "older");
    expect_range(r, "plan.nutrition.protein_g_per_day", 70, 84);
    expect_num(r, "plan.nutrition.energy_kcal_per_day", 2100);
    expect_bool(r, "plan.criteria.older_adult.met", 1);
    done(r);
    /* 64.99 with 2 sessions: 1.2-1.6 x 70 = 84, 112 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":64.99,\"weight\":70},"
               "\"history\":{\"exercise_sessions_per_week\":2}}");
    expect_str(r, "plan.nutrition.protein_row", "younger_exercising");
    expect_range(r, "plan.nutrition.protein_g_per_day", 84, 112);
    expect_null(r, "plan.nutrition.energy_kcal_per_day");
    done(r);
    /* 65 with 2 sessions: 1.2-1.5 x 70 = 84, 105 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":65,\"weight\":70},"
               "\"history\":{\"exercise_sessions_per_week\":2}}");
    expect_str(r, "plan.nutrition.protein_row", "older_exercising");
    expect_range(r, "plan.nutrition.protein_g_per_day", 84, 105);
    expect_num(r, "plan.nutrition.energy_kcal_per_day", 2100);
    done(r);
}

/*
 * Every exercise of an active plan: 1-3 sets; repetitions 10-15 for beginners (fewer than 2
 * sessions a week now) and 8-12 for others (REFERENCE §11: 1-3 sets of 8-12, 10-15 for
 * beginners); held exercises (plank, balance) have no repetitions (reps null).
 */
static int is_hold(const char *id)
{
    return strcmp(id, "plank") == 0 || strcmp(id, "balance") == 0;
}

static void check_doses(json_t *r, int reps_lo, int reps_hi, const char *what)
{
    json_t *list = at(r, "plan.exercise.exercises"), *e;
    size_t i;

    if (json_array_size(list) == 0)
        fail_msg("%s: no exercises", what);
    json_array_foreach(list, i, e)
    {
        const char *id = get_str(e, "id");
        json_t *sets = json_object_get(e, "sets"), *reps = json_object_get(e, "reps");
        if (json_array_size(sets) != 2 || json_number_value(json_array_get(sets, 0)) != 1 ||
            json_number_value(json_array_get(sets, 1)) != 3)
            fail_msg("%s: %s sets = %s, expected [1, 3]", what, id, dump(sets));
        if (is_hold(id)) {
            if (!json_is_null(reps))
                fail_msg("%s: %s is held, reps = %s, expected null", what, id, dump(reps));
        } else if (json_array_size(reps) != 2 ||
                   json_number_value(json_array_get(reps, 0)) != reps_lo ||
                   json_number_value(json_array_get(reps, 1)) != reps_hi) {
            fail_msg("%s: %s reps = %s, expected [%d, %d]", what, id, dump(reps), reps_lo, reps_hi);
        }
    }
}

/* exercising now = >= 2 sessions a week: not asked, 0 and 1 are not; 2 and 21 are. */
static void sessions_one_versus_two(void **state)
{
    static const struct {
        const char *history;
        const char *row;
        int day_lo, day_hi, reps_lo, reps_hi;
    } rows[] = {
        /* 75 y, 90 kg: 1.0-1.2 -> 90, 108; 1.2-1.5 -> 108, 135 */
        {"", "older", 90, 108, 10, 15},
        {",\"history\":{\"exercise_sessions_per_week\":0}", "older", 90, 108, 10, 15},
        {",\"history\":{\"exercise_sessions_per_week\":1}", "older", 90, 108, 10, 15},
        {",\"history\":{\"exercise_sessions_per_week\":2}", "older_exercising", 108, 135, 8, 12},
        {",\"history\":{\"exercise_sessions_per_week\":21}", "older_exercising", 108, 135, 8, 12},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char what[160];
        json_t *r = assessf("{\"person\":{\"sex\":\"female\",\"age\":75,\"weight\":90}%s}",
                            rows[i].history);
        snprintf(what, sizeof(what), "history {%s}", rows[i].history);
        expect_str(r, "plan.nutrition.protein_row", rows[i].row);
        expect_range(r, "plan.nutrition.protein_g_per_day", rows[i].day_lo, rows[i].day_hi);
        if (rows[i].history[0])
            expect_bool(r, "plan.criteria.exercising_now.met", rows[i].reps_lo == 8);
        else
            expect_null(r, "plan.criteria.exercising_now.met"); /* not asked: unknown */
        check_doses(r, rows[i].reps_lo, rows[i].reps_hi, what);
        done(r);
    }
}

/* Energy: 30 kcal/kg/day at >= 65 (ESPEN 2019), null below 65 (docs/conventions.md). */
static void energy_only_for_older_adults(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":90,\"weight\":47.3}}");
    expect_num(r, "plan.nutrition.energy_kcal_per_day", 1419); /* 30 x 47.3 */
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":65,\"weight\":\"176 lb\"}}");
    /* 176 lb = 79.8323 kg (4 decimals); 30 x 79.8323 = 2394.97 -> 2395;
     * protein 1.0-1.2 x 79.8323 = 79.83 -> 80, 95.80 -> 96 */
    expect_num(r, "plan.nutrition.energy_kcal_per_day", 2395);
    expect_range(r, "plan.nutrition.protein_g_per_day", 80, 96);
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":64,\"weight\":80}}");
    expect_null(r, "plan.nutrition.energy_kcal_per_day");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":18,\"weight\":80}}");
    expect_null(r, "plan.nutrition.energy_kcal_per_day");
    done(r);
}

/* Weight missing: g/kg is still given, grams a day are not, and a warning asks for the weight. */
static void weight_missing(void **state)
{
    json_t *r;
    json_t *w;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70}}");
    expect_str(r, "plan.nutrition.protein_row", "older");
    expect_num(r, "plan.nutrition.protein_g_per_kg.0", 1.0);
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", 1.2);
    expect_null(r, "plan.nutrition.protein_g_per_day");
    expect_null(r, "plan.nutrition.per_meal_g");
    expect_null(r, "plan.nutrition.energy_kcal_per_day");
    w = must_have(r, "plan.nutrition.warnings", "weight_needed");
    assert_true(strlen(get_str(w, "text")) > 0);
    assert_true(strlen(get_str(w, "reason")) > 0);
    done(r);
    /* with the kidney row too: both warnings */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},"
               "\"history\":{\"labs\":{\"egfr\":20,\"on_dialysis\":false}}}");
    expect_null(r, "plan.nutrition.protein_g_per_kg.0");
    expect_num(r, "plan.nutrition.protein_g_per_kg.1", 0.8);
    expect_null(r, "plan.nutrition.protein_g_per_day");
    must_have(r, "plan.nutrition.warnings", "weight_needed");
    must_have(r, "plan.nutrition.warnings", "kidney_disease_protein");
    done(r);
    /* weight given: no weight_needed warning */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70,\"weight\":70}}");
    must_not_have(r, "plan.nutrition.warnings", "weight_needed");
    done(r);
}

/* ---- exercise: red flags, nerve cause, cachexia ------------------------------ */

static void expect_no_exercise(json_t *r, const char *what)
{
    json_t *ex = at(r, "plan.exercise.exercises");

    if (!json_is_array(ex) || json_array_size(ex) != 0)
        fail_msg("%s: exercises = %s, expected []", what, dump(ex));
    expect_str(r, "plan.exercise.status", "not_until_seen");
    expect_bool(r, "plan.exercise.load_progression", 0);
    expect_null(r, "plan.exercise.sessions_per_week");
    expect_null(r, "plan.exercise.progression_rule");
    /* measure again only after being seen (docs/conventions.md) */
    expect_null(r, "plan.follow_up.re_measure_in_weeks");
}

/* Any emergency or urgent red flag (REFERENCE §9): no exercise until seen. */
static void red_flags_stop_exercise(void **state)
{
    static const struct {
        const char *extra;
        const char *level;
    } rows[] = {
        {"\"symptoms\":{\"breathing_trouble\":true}", "emergency"},
        {"\"symptoms\":{\"swallowing_trouble\":true}", "emergency"},
        {"\"symptoms\":{\"face_droop\":true}", "emergency"},
        {"\"symptoms\":{\"speech_trouble\":true}", "emergency"},
        {"\"symptoms\":{\"onset\":\"sudden\",\"side\":\"one\"}", "emergency"},
        {"\"symptoms\":{\"ascending\":true}", "urgent"},
        {"\"symptoms\":{\"onset\":\"days\",\"reflexes\":\"absent\"}", "urgent"},
        {"\"symptoms\":{\"saddle_numbness\":true}", "urgent"},
        {"\"symptoms\":{\"bladder_bowel_change\":true}", "urgent"},
        {"\"symptoms\":{\"dark_urine\":true}", "urgent"},
        /* CK 1000 with upper limit 200: exactly 5 x ULN (>= 5) */
        {"\"history\":{\"labs\":{\"ck\":1000,\"ck_uln\":200}}", "urgent"},
        /* a nerve cause does not lift the stop */
        {"\"symptoms\":{\"fasciculations\":true,\"reflexes\":\"reduced\","
         "\"breathing_trouble\":true}",
         "emergency"},
        /* nor does cachexia, nor being an experienced exerciser with weights */
        {"\"symptoms\":{\"dark_urine\":true},\"history\":{\"conditions\":[\"cancer\"],"
         "\"weight_6_months_ago\":80,\"exercise_sessions_per_week\":4},"
         "\"preferences\":{\"equipment\":[\"dumbbells\",\"bands\",\"pool\"]}",
         "urgent"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *r =
            assessf("{\"person\":{\"sex\":\"female\",\"age\":70,\"weight\":70},%s}", rows[i].extra);
        expect_str(r, "triage.level", rows[i].level);
        expect_no_exercise(r, rows[i].extra);
        must_have(r, "plan.exercise.precautions", "see_care_first");
        done(r);
    }
}

/* A prompt or lower triage keeps an exercise plan (the contrast to the test above). */
static void prompt_triage_keeps_exercise_at_the_easiest_level(void **state)
{
    /* proximal weakness: the myopathy row of §9, prompt */
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
                       "\"symptoms\":{\"proximal\":true}}");

    (void)state;
    expect_str(r, "triage.level", "prompt");
    expect_str(r, "plan.exercise.status", "active");
    assert_true(json_array_size(at(r, "plan.exercise.exercises")) > 0);
    must_have(r, "plan.exercise.precautions", "until_seen_easy");
    expect_num(r, "plan.follow_up.re_measure_in_weeks", 8);
    done(r);
}

static void check_assisted(json_t *r, const char *what)
{
    json_t *list = at(r, "plan.exercise.exercises"), *e;
    size_t i;

    expect_str(r, "plan.exercise.status", "assisted");
    expect_bool(r, "plan.exercise.load_progression", 0);
    expect_null(r, "plan.exercise.progression_rule");
    if (json_array_size(list) == 0)
        fail_msg("%s: no range-of-motion exercise", what);
    json_array_foreach(list, i, e)
    {
        const char *id = get_str(e, "id");
        if (strncmp(id, "range_of_motion", 15) != 0)
            fail_msg("%s: %s in an assisted plan; expected range of motion only", what, id);
    }
    must_have(r, "plan.exercise.precautions", "no_load_progression");
    must_have(r, "plan.referrals", "physiotherapist");
}

/*
 * Neurogenic pattern (REFERENCE §10, §11): twitching with reduced reflexes. Twitching is a
 * prompt red flag (motor neuron pattern), not urgent; no days-onset, so not Guillain-Barre.
 * The plan is assisted range of motion, never load progression, with a physiotherapist.
 */
static void neurogenic_plan_is_assisted(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":60,\"weight\":80},"
               "\"symptoms\":{\"fasciculations\":true,\"reflexes\":\"reduced\"}}");
    expect_str(r, "triage.level", "prompt");
    expect_str(r, "differential.0.cause", "neurogenic");
    check_assisted(r, "fasciculations + reduced reflexes");
    must_have(r, "plan.referrals", "neurologist");
    must_have(r, "plan.tests_to_request", "emg_nerve_conduction");
    done(r);
    /* an experienced exerciser with weights: still no load, no weighted exercise */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":60,\"weight\":80},"
               "\"measurements\":{\"chair_stand_5x\":9},"
               "\"symptoms\":{\"fasciculations\":true,\"reflexes\":\"reduced\"},"
               "\"history\":{\"exercise_sessions_per_week\":5},"
               "\"preferences\":{\"equipment\":[\"dumbbells\",\"bands\"],\"location\":\"gym\"}}");
    check_assisted(r, "neurogenic, experienced, with weights");
    done(r);
    /* twitching alone */
    r = assess(
        "{\"person\":{\"sex\":\"female\",\"age\":55},\"symptoms\":{\"fasciculations\":true}}");
    expect_str(r, "triage.level", "prompt");
    check_assisted(r, "fasciculations alone");
    done(r);
}

/* Cachexia (REFERENCE §11): exercise only with the treating team's agreement. */
static void cachexia_plan_is_with_the_treating_team(void **state)
{
    json_t *r;

    (void)state;
    /* Fearon: cancer, 66 -> 61.3 kg = 7.12 % */
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":58,\"height\":165,\"weight\":61.3},"
               "\"history\":{\"conditions\":[\"cancer\"],\"weight_6_months_ago\":66}}");
    expect_str(r, "definitions.fearon2011.category", "cachexia");
    expect_str(r, "plan.exercise.status", "with_treating_team");
    must_have(r, "plan.exercise.precautions", "treating_team");
    must_have(r, "plan.referrals", "treating_team");
    must_have(r, "plan.referrals", "dietitian");
    done(r);
    /* Evans: COPD, 7.14 % in 12 months, low grip, fatigue, anorexia */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":66,\"height\":178,\"weight\":78},"
               "\"measurements\":{\"grip\":22},\"symptoms\":{\"fatigue\":true},"
               "\"history\":{\"conditions\":[\"copd\"],\"weight_12_months_ago\":84,"
               "\"appetite_reduced\":true}}");
    expect_str(r, "definitions.evans2008.category", "cachexia");
    expect_str(r, "plan.exercise.status", "with_treating_team");
    must_have(r, "plan.exercise.precautions", "treating_team");
    done(r);
    /* pre-cachexia is not cachexia: active */
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":58,\"height\":165,\"weight\":65},"
               "\"history\":{\"conditions\":[\"cancer\"],\"weight_6_months_ago\":66,"
               "\"appetite_reduced\":true,\"labs\":{\"crp\":12}}}");
    expect_str(r, "definitions.fearon2011.category", "pre_cachexia");
    expect_str(r, "plan.exercise.status", "active");
    done(r);
}

/* GLIM severe and a hospital setting: with the treating team too (docs/conventions.md). */
static void severe_malnutrition_and_hospital_with_the_team(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":72,\"height\":180,\"weight\":62},"
               "\"history\":{\"intake_percent_of_usual\":40,\"conditions\":[]}}");
    expect_str(r, "definitions.glim.category", "severe");
    expect_str(r, "plan.exercise.status", "with_treating_team");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},\"setting\":\"hospital\"}");
    expect_str(r, "plan.exercise.status", "with_treating_team");
    done(r);
}

/* ---- exercise: the active plan's shape ---------------------------------------- */

/* REFERENCE §11: 2-3 days a week, >= 48 h between, moderate effort, progression rule. */
static void active_plan_shape(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":70}}");
    json_t *e;
    size_t i;

    (void)state;
    expect_str(r, "triage.level", "self_care");
    expect_str(r, "plan.exercise.status", "active");
    expect_range(r, "plan.exercise.sessions_per_week", 2, 3);
    expect_num(r, "plan.exercise.rest_hours_between", 48);
    expect_bool(r, "plan.exercise.load_progression", 1);
    assert_true(strlen(get_str(at(r, "plan.exercise"), "progression_rule")) > 0);
    expect_num(r, "plan.follow_up.re_measure_in_weeks", 8);
    json_array_foreach(at(r, "plan.exercise.exercises"), i, e)
    {
        assert_true(strlen(get_str(e, "name")) > 0);
        assert_true(strlen(get_str(e, "how")) > 0);
        assert_true(strlen(get_str(e, "why")) > 0);
        assert_true(strlen(get_str(e, "effort")) > 0);
        assert_true(get_int(e, "level") >= 1);
    }
    done(r);
}

/* Beginners and others: repetitions, and the holds (plank, balance) without repetitions. */
static void repetitions_by_experience(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"measurements\":{\"chair_stand_5x\":12,\"gait_speed\":1.1},"
               "\"preferences\":{\"equipment\":[\"bands\"]}}");
    check_doses(r, 10, 15, "beginner (not asked)");
    must_have(r, "plan.exercise.exercises", "plank");
    must_have(r, "plan.exercise.exercises", "balance");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"measurements\":{\"chair_stand_5x\":12,\"gait_speed\":1.1},"
               "\"history\":{\"exercise_sessions_per_week\":2},"
               "\"preferences\":{\"equipment\":[\"bands\"]}}");
    check_doses(r, 8, 12, "2 sessions a week");
    done(r);
}

/* ---- exercise: equipment and location ------------------------------------------ */

static json_t *exercise(json_t *r, const char *id)
{
    return must_have(r, "plan.exercise.exercises", id);
}

static void expect_level(json_t *r, const char *id, int level, const char *name)
{
    json_t *e = exercise(r, id);

    if (get_int(e, "level") != level || strcmp(get_str(e, "name"), name) != 0)
        fail_msg("%s: level %d \"%s\", expected level %d \"%s\"", id, get_int(e, "level"),
                 get_str(e, "name"), level, name);
}

/* Bands: the band row (the first rung of the row ladder); no pulling precaution. */
static void bands_give_a_band_row(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
                       "\"preferences\":{\"equipment\":[\"bands\"]}}");

    (void)state;
    expect_level(r, "row", 1, "Band row");
    assert_string_equal(get_str(exercise(r, "row"), "harder"), "Dumbbell row");
    must_not_have(r, "plan.exercise.precautions", "no_pulling_exercise");
    done(r);
}

/* No equipment (or none that pulls): no row, and the precaution suggests a band. */
static void no_equipment_no_row(void **state)
{
    static const char *const prefs[] = {
        "",
        ",\"preferences\":{\"equipment\":[\"none\"]}",
        ",\"preferences\":{\"equipment\":[]}",
        ",\"preferences\":{\"equipment\":[\"chair\"]}",
        ",\"preferences\":{\"equipment\":[\"chair\",\"pool\"],\"location\":\"home\"}",
        ",\"preferences\":{\"location\":\"clinic\"}",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(prefs) / sizeof(prefs[0]); i++) {
        json_t *r = assessf("{\"person\":{\"sex\":\"male\",\"age\":70}%s}", prefs[i]);
        json_t *p;
        if (by_id(r, "plan.exercise.exercises", "row"))
            fail_msg("preferences {%s}: a row exercise without bands or weights", prefs[i]);
        p = must_have(r, "plan.exercise.precautions", "no_pulling_exercise");
        assert_true(strlen(get_str(p, "text")) > 0);
        assert_true(strlen(get_str(p, "reason")) > 0);
        assert_string_equal(get_str(p, "source"), "ACSM");
        done(r);
    }
}

/*
 * Dumbbells and already exercising (>= 2 sessions), chair stand 10 s (not slow): one rung
 * up each ladder (REFERENCE §11 ladders; the choice is docs/conventions.md): sit to stand
 * from a lower chair (3rd rung, the not-slow beginner's 2nd plus one), counter push-up,
 * dumbbell row, deadlift with a light weight, plank on the knees.
 */
static void dumbbells_and_exercising_give_harder_variants(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},"
                       "\"measurements\":{\"chair_stand_5x\":10},"
                       "\"history\":{\"exercise_sessions_per_week\":3},"
                       "\"preferences\":{\"equipment\":[\"dumbbells\"]}}");

    (void)state;
    expect_level(r, "sit_to_stand", 3, "Sit to stand from a lower chair");
    expect_level(r, "push_up", 2, "Counter push-up");
    expect_level(r, "row", 2, "Dumbbell row");
    expect_level(r, "hip_hinge", 2, "Deadlift with a light weight");
    expect_level(r, "plank", 2, "Plank on your knees");
    check_doses(r, 8, 12, "dumbbells, 3 sessions");
    done(r);
    /* the same person as a beginner with bands: the first rungs (sit to stand without arms) */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},"
               "\"measurements\":{\"chair_stand_5x\":10},"
               "\"history\":{\"exercise_sessions_per_week\":0},"
               "\"preferences\":{\"equipment\":[\"bands\"]}}");
    expect_level(r, "sit_to_stand", 2, "Sit to stand without using your arms");
    expect_level(r, "push_up", 1, "Wall push-up");
    expect_level(r, "row", 1, "Band row");
    expect_level(r, "hip_hinge", 1, "Supported hip hinge");
    expect_level(r, "plank", 1, "Plank against a wall or counter");
    done(r);
}

/*
 * The no_pulling_exercise precaution says "Without a band or weights there is no safe
 * pulling exercise at home": it must not appear when the plan has a row, nor when the
 * person has weights (dumbbells or a gym).
 */
static void pulling_precaution_only_without_bands_or_weights(void **state)
{
    static const char *const prefs[] = {
        "\"equipment\":[\"bands\"]",
        "\"equipment\":[\"dumbbells\"]",
        "\"equipment\":[\"dumbbells\",\"chair\"]",
        "\"equipment\":[\"gym\"]",
        "\"location\":\"gym\"",
    };
    static const char *const sessions[] = {"0", "3"};
    char problems[2048] = "";
    size_t i, j, o = 0;

    (void)state;
    for (i = 0; i < sizeof(prefs) / sizeof(prefs[0]); i++)
        for (j = 0; j < 2; j++) {
            json_t *r = assessf("{\"person\":{\"sex\":\"male\",\"age\":70},"
                                "\"measurements\":{\"chair_stand_5x\":10},"
                                "\"history\":{\"exercise_sessions_per_week\":%s},"
                                "\"preferences\":{%s}}",
                                sessions[j], prefs[i]);
            if (by_id(r, "plan.exercise.precautions", "no_pulling_exercise") &&
                o < sizeof(problems)) {
                int w = snprintf(problems + o, sizeof(problems) - o,
                                 "\n  {%s}, %s sessions: row in plan: %s", prefs[i], sessions[j],
                                 by_id(r, "plan.exercise.exercises", "row") ? "yes" : "no");
                if (w > 0)
                    o += (size_t)w;
            }
            done(r);
        }
    if (o)
        fail_msg("no_pulling_exercise precaution although the person has a band or weights:%s",
                 problems);
}

/*
 * A beginner with dumbbells and no band: the row ladder is band row -> dumbbell row
 * (REFERENCE §11); the dumbbell row is the pulling exercise their equipment allows.
 */
static void beginner_with_dumbbells_gets_a_row(void **state)
{
    json_t *r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
                       "\"preferences\":{\"equipment\":[\"dumbbells\"]}}");

    (void)state;
    if (!by_id(r, "plan.exercise.exercises", "row"))
        fail_msg("beginner with dumbbells only: no row exercise in the plan (the dumbbell row "
                 "is usable with their equipment)");
    expect_level(r, "row", 2, "Dumbbell row");
    done(r);
}

/* Pool: water exercise (REFERENCE §11: an option when joints hurt). */
static void pool_gives_water_exercise(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"preferences\":{\"equipment\":[\"pool\"]}}");
    expect_level(r, "water", 1, "Water walking and exercise");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"preferences\":{\"equipment\":[\"bands\",\"dumbbells\",\"gym\"]}}");
    must_not_have(r, "plan.exercise.exercises", "water");
    done(r);
}

/* Location gym implies gym equipment (docs/conventions.md): rows and deadlifts. */
static void gym_location_implies_equipment(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"preferences\":{\"location\":\"gym\"}}");
    expect_level(r, "row", 1, "Band row");
    must_not_have(r, "plan.exercise.precautions", "no_pulling_exercise");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"history\":{\"exercise_sessions_per_week\":2},"
               "\"preferences\":{\"location\":\"gym\",\"equipment\":[\"none\"]}}");
    expect_level(r, "row", 2, "Dumbbell row");
    expect_level(r, "hip_hinge", 2, "Deadlift with a light weight");
    done(r);
    /* home and clinic imply nothing */
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},"
               "\"history\":{\"exercise_sessions_per_week\":2},"
               "\"preferences\":{\"location\":\"home\"}}");
    must_not_have(r, "plan.exercise.exercises", "row");
    expect_level(r, "hip_hinge", 1, "Supported hip hinge");
    done(r);
}

/* ---- exercise: the measurements choose the levels ------------------------------ */

static const char *const seated_set[] = {"seated_knee_extension", "seated_march",
                                         "seated_heel_toe_raise", "seated_arms", "sit_to_stand"};
static const char *const standing_only[] = {"push_up",    "row",     "hip_hinge", "plank",
                                            "heel_raise", "step_up", "balance"};

static void check_seated(json_t *r, const char *what)
{
    size_t i;

    for (i = 0; i < sizeof(seated_set) / sizeof(seated_set[0]); i++)
        if (!by_id(r, "plan.exercise.exercises", seated_set[i]))
            fail_msg("%s: no %s in the seated set", what, seated_set[i]);
    for (i = 0; i < sizeof(standing_only) / sizeof(standing_only[0]); i++)
        if (by_id(r, "plan.exercise.exercises", standing_only[i]))
            fail_msg("%s: standing exercise %s in the seated set", what, standing_only[i]);
    expect_level(r, "sit_to_stand", 1, "Sit to stand from a chair with arms");
    must_have(r, "plan.exercise.precautions", "seated");
    must_have(r, "plan.referrals", "physiotherapist");
}

/* Unable to rise from a chair (or an SPPB item 0): the seated set and a physiotherapist. */
static void chair_stand_unable_gives_the_seated_set(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":80},"
               "\"measurements\":{\"chair_stand_5x\":\"unable\"}}");
    expect_str(r, "plan.exercise.status", "active");
    check_seated(r, "chair stand unable");
    expect_level(r, "seated_arms", 1, "Seated arm raises");
    done(r);
    /* with bands the arm exercise is the seated band row */
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":80},"
               "\"measurements\":{\"chair_stand_5x\":\"unable\"},"
               "\"history\":{\"exercise_sessions_per_week\":3},"
               "\"preferences\":{\"equipment\":[\"bands\",\"dumbbells\"]}}");
    check_seated(r, "chair stand unable, bands, exercising");
    expect_level(r, "seated_arms", 2, "Seated band row");
    done(r);
    /* SPPB chair item 0 */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":80},"
               "\"measurements\":{\"sppb\":{\"balance\":2,\"gait\":2,\"chair\":0}}}");
    check_seated(r, "SPPB chair item 0");
    done(r);
    /* SPPB raw chair rises unable */
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":80},"
               "\"measurements\":{\"sppb\":{\"side_by_side\":10,\"semi_tandem\":10,"
               "\"tandem\":3,\"walk_4m\":5,\"chair_5x\":\"unable\"}}}");
    check_seated(r, "SPPB chair_5x unable");
    done(r);
    /* with cachexia: seated, with the team, and still the physiotherapist */
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":58,\"height\":165,\"weight\":61.3},"
               "\"measurements\":{\"chair_stand_5x\":\"unable\"},"
               "\"history\":{\"conditions\":[\"cancer\"],\"weight_6_months_ago\":66}}");
    expect_str(r, "plan.exercise.status", "with_treating_team");
    check_seated(r, "chair stand unable, cachexia");
    done(r);
}

/*
 * Chair stand > 15 s is slow (EWGSOP2, REFERENCE §7): sit to stand with arms (rung 1).
 * 15 s and faster: without arms (rung 2) for a beginner. Not measured: with arms
 * (docs/conventions.md).
 */
static void chair_stand_time_chooses_sit_to_stand(void **state)
{
    static const struct {
        const char *chair;
        int level;
    } rows[] = {{"15.01", 1}, {"20", 1}, {"15", 2}, {"14.99", 2}, {"8", 2}, {NULL, 1}};
    static const char *const names[] = {"", "Sit to stand from a chair with arms",
                                        "Sit to stand without using your arms"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *r;
        if (rows[i].chair)
            r = assessf("{\"person\":{\"sex\":\"male\",\"age\":70},"
                        "\"measurements\":{\"chair_stand_5x\":%s}}",
                        rows[i].chair);
        else
            r = assess("{\"person\":{\"sex\":\"male\",\"age\":70}}");
        expect_level(r, "sit_to_stand", rows[i].level, names[rows[i].level]);
        done(r);
    }
    /* slow and experienced: still with arms */
    {
        json_t *r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},"
                           "\"measurements\":{\"chair_stand_5x\":15.01},"
                           "\"history\":{\"exercise_sessions_per_week\":3}}");
        expect_level(r, "sit_to_stand", 1, names[1]);
        done(r);
    }
}

/* Gait <= 0.8 m/s is slow (EWGSOP2): no step-ups (docs/conventions.md); 0.81 keeps them. */
static void slow_gait_drops_step_ups(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},\"measurements\":{\"gait_speed\":0.8}}");
    must_not_have(r, "plan.exercise.exercises", "step_up");
    expect_level(r, "heel_raise", 1, "Heel raises holding on");
    done(r);
    r = assess("{\"person\":{\"sex\":\"male\",\"age\":70},\"measurements\":{\"gait_speed\":0.81}}");
    must_have(r, "plan.exercise.exercises", "step_up");
    done(r);
}

/* Balance: the level follows the SPPB balance score (docs/conventions.md). */
static void balance_level_follows_sppb(void **state)
{
    static const struct {
        int score, level;
        const char *name;
    } rows[] = {{1, 1, "Standing with feet together"},
                {2, 2, "Semi-tandem stand"},
                {3, 3, "Tandem stand"},
                {4, 3, "Tandem stand"}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *r = assessf("{\"person\":{\"sex\":\"female\",\"age\":70},"
                            "\"measurements\":{\"sppb\":{\"balance\":%d,\"gait\":4,\"chair\":4}}}",
                            rows[i].score);
        expect_level(r, "balance", rows[i].level, rows[i].name);
        done(r);
    }
}

/*
 * REFERENCE §11 (ACSM 2009): "8-10 exercises for the major muscle groups". A standing plan
 * for someone with no warning sign should hold 8 to 10 exercises, whatever the equipment.
 */
static void active_standing_plan_has_eight_to_ten_exercises(void **state)
{
    static const char *const docs[] = {
        "{\"person\":{\"sex\":\"female\",\"age\":70},"
        "\"measurements\":{\"chair_stand_5x\":12,\"gait_speed\":1.1},"
        "\"preferences\":{\"equipment\":[\"bands\"]}}",
        "{\"person\":{\"sex\":\"female\",\"age\":70},"
        "\"measurements\":{\"chair_stand_5x\":12,\"gait_speed\":1.1}}",
        "{\"person\":{\"sex\":\"female\",\"age\":70}}",
    };
    char problems[3072] = "";
    size_t i, o = 0;

    (void)state;
    for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        json_t *r = assess(docs[i]);
        size_t n = json_array_size(at(r, "plan.exercise.exercises"));
        char ids[1024];
        ids_of(r, "plan.exercise.exercises", ids, sizeof(ids));
        if ((n < 8 || n > 10) && o < sizeof(problems)) {
            int w = snprintf(problems + o, sizeof(problems) - o, "\n  %s: %zu exercises [%s]",
                             docs[i], n, ids);
            if (w > 0)
                o += (size_t)w;
        }
        done(r);
    }
    if (o)
        fail_msg("REFERENCE §11 asks for 8-10 exercises:%s", problems);
}

/* A fall in the past year: hold on, with someone nearby (REFERENCE §12, Shumway-Cook). */
static void fall_adds_a_precaution(void **state)
{
    json_t *r;

    (void)state;
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},\"history\":{\"falls_past_year\":1}}");
    must_have(r, "plan.exercise.precautions", "fall_risk");
    done(r);
    r = assess("{\"person\":{\"sex\":\"female\",\"age\":70},\"history\":{\"falls_past_year\":0}}");
    must_not_have(r, "plan.exercise.precautions", "fall_risk");
    done(r);
}

/* ---- main --------------------------------------------------------------------------- */

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test_teardown(kidney_row_wins_over_cachexia, release_outputs),
        cmocka_unit_test_teardown(dialysis_skips_the_kidney_row, release_outputs),
        cmocka_unit_test_teardown(severe_illness_wins_over_disease_and_exercise, release_outputs),
        cmocka_unit_test_teardown(disease_wins_over_older_exercising, release_outputs),
        cmocka_unit_test_teardown(moderate_malnutrition_wins_over_older, release_outputs),
        cmocka_unit_test_teardown(egfr_boundary, release_outputs),
        cmocka_unit_test_teardown(kidney_warning_exactly_when_low_egfr_without_dialysis,
                                  release_outputs),
        cmocka_unit_test_teardown(older_adult_boundary, release_outputs),
        cmocka_unit_test_teardown(sessions_one_versus_two, release_outputs),
        cmocka_unit_test_teardown(energy_only_for_older_adults, release_outputs),
        cmocka_unit_test_teardown(weight_missing, release_outputs),
        cmocka_unit_test_teardown(red_flags_stop_exercise, release_outputs),
        cmocka_unit_test_teardown(prompt_triage_keeps_exercise_at_the_easiest_level,
                                  release_outputs),
        cmocka_unit_test_teardown(neurogenic_plan_is_assisted, release_outputs),
        cmocka_unit_test_teardown(cachexia_plan_is_with_the_treating_team, release_outputs),
        cmocka_unit_test_teardown(severe_malnutrition_and_hospital_with_the_team, release_outputs),
        cmocka_unit_test_teardown(active_plan_shape, release_outputs),
        cmocka_unit_test_teardown(repetitions_by_experience, release_outputs),
        cmocka_unit_test_teardown(bands_give_a_band_row, release_outputs),
        cmocka_unit_test_teardown(no_equipment_no_row, release_outputs),
        cmocka_unit_test_teardown(dumbbells_and_exercising_give_harder_variants, release_outputs),
        cmocka_unit_test_teardown(pulling_precaution_only_without_bands_or_weights,
                                  release_outputs),
        cmocka_unit_test_teardown(beginner_with_dumbbells_gets_a_row, release_outputs),
        cmocka_unit_test_teardown(pool_gives_water_exercise, release_outputs),
        cmocka_unit_test_teardown(gym_location_implies_equipment, release_outputs),
        cmocka_unit_test_teardown(chair_stand_unable_gives_the_seated_set, release_outputs),
        cmocka_unit_test_teardown(chair_stand_time_chooses_sit_to_stand, release_outputs),
        cmocka_unit_test_teardown(slow_gait_drops_step_ups, release_outputs),
        cmocka_unit_test_teardown(balance_level_follows_sppb, release_outputs),
        cmocka_unit_test_teardown(active_standing_plan_has_eight_to_ten_exercises, release_outputs),
        cmocka_unit_test_teardown(fall_adds_a_precaution, release_outputs),
    };
    enum { N_FIXED = sizeof(fixed) / sizeof(fixed[0]) };
    struct CMUnitTest tests[N_FIXED + N_PROTEIN];
    size_t i;

    for (i = 0; i < N_PROTEIN; i++) {
        memset(&tests[i], 0, sizeof(tests[i]));
        tests[i].name = protein_cases[i].name;
        tests[i].test_func = protein_row;
        tests[i].teardown_func = release_outputs;
        tests[i].initial_state = (void *)(uintptr_t)&protein_cases[i];
    }
    for (i = 0; i < N_FIXED; i++)
        tests[N_PROTEIN + i] = fixed[i];
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
