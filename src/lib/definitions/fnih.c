/*
 * fnih.c - FNIH Sarcopenia Project (Studenski 2014).
 *
 * Weakness by grip, then low lean mass by ALM/BMI, then slowness by gait
 * speed. The grip/BMI and absolute-ALM alternatives, and the intermediate grip
 * band, are reported as extra criteria; the category uses the primary
 * criteria only (engine convention, shown in the report). REFERENCE §7.
 */
#include "definitions/definition.h"

enum { WEAKNESS, INTERMEDIATE_GRIP, WEAKNESS_BMI, LOW_ALM_BMI, LOW_ALM, SLOWNESS, N_CRIT };

static const char *const criteria[N_CRIT] = {"weakness",    "intermediate_grip", "weakness_bmi",
                                             "low_alm_bmi", "low_alm",           "slowness"};

static const mt_rule rules[] = {
    RULE(WEAKNESS, MT_MALE, M_GRIP, OP_LT, 26, ROLE_STRENGTH, "FNIH", ST_CONFIRMED),
    RULE(WEAKNESS, MT_FEMALE, M_GRIP, OP_LT, 16, ROLE_STRENGTH, "FNIH", ST_CONFIRMED),
    /* Printed as 26-31.9 / 16-19.9 kg: implemented as 26 <= grip < 32 and
     * 16 <= grip < 20 so that no reading falls between bands. */
    RULE_RANGE(INTERMEDIATE_GRIP, MT_MALE, M_GRIP, 26, 32, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE_RANGE(INTERMEDIATE_GRIP, MT_FEMALE, M_GRIP, 16, 20, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE(WEAKNESS_BMI, MT_MALE, M_GRIP_BMI, OP_LT, 1.0, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE(WEAKNESS_BMI, MT_FEMALE, M_GRIP_BMI, OP_LT, 0.56, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE(LOW_ALM_BMI, MT_MALE, M_ALM_BMI, OP_LT, 0.789, ROLE_MASS, "FNIH", ST_CONFIRMED),
    RULE(LOW_ALM_BMI, MT_FEMALE, M_ALM_BMI, OP_LT, 0.512, ROLE_MASS, "FNIH", ST_CONFIRMED),
    RULE(LOW_ALM, MT_MALE, M_ASM, OP_LT, 19.75, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE(LOW_ALM, MT_FEMALE, M_ASM, OP_LT, 15.02, ROLE_EXTRA, "FNIH", ST_CONFIRMED),
    RULE(SLOWNESS, SEX_ANY, M_GAIT, OP_LT, 0.8, ROLE_PERFORMANCE, "FNIH", ST_CONFIRMED),
};

static const char *const categories[] = {"no_sarcopenia", "weakness_low_lean_mass",
                                         "weakness_slowness_low_lean_mass", "insufficient_data",
                                         NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_fnih = {
    .id = "fnih",
    .name = "FNIH",
    .title = "Foundation for the NIH Sarcopenia Project, 2014",
    .source = "FNIH",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int weak = r->crit[WEAKNESS].met;
    int lean = r->crit[LOW_ALM_BMI].met;
    int slow = r->crit[SLOWNESS].met;

    (void)m;
    mt_add_note(r, "Engine convention: the category uses the primary criteria (grip, ALM/BMI, "
                   "gait); grip/BMI and absolute ALM are shown as alternatives.");
    if (weak == D_UNKNOWN) {
        r->category = "insufficient_data";
        mt_add_missing(r, "grip");
        if (lean == D_UNKNOWN)
            mt_add_missing(r, mt_missing_mass(in, 1));
        if (slow == D_UNKNOWN)
            mt_add_missing(r, "gait_speed");
        return;
    }
    if (weak == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        return;
    }
    if (lean == D_UNKNOWN) {
        r->category = "insufficient_data";
        mt_add_missing(r, mt_missing_mass(in, 1));
        if (slow == D_UNKNOWN)
            mt_add_missing(r, "gait_speed");
        return;
    }
    if (lean == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        mt_add_note(r, "Weakness without low lean mass: not sarcopenia under FNIH; weakness "
                       "deserves its own evaluation.");
        return;
    }
    if (slow == D_LOW) {
        r->category = "weakness_slowness_low_lean_mass";
        return;
    }
    r->category = "weakness_low_lean_mass";
    if (slow == D_UNKNOWN)
        mt_add_missing(r, "gait_speed");
}
