/*
 * awgs2019.c - AWGS 2019 (Chen 2020): the Asian Working Group consensus.
 *
 * Two pathways (REFERENCE §7). Community / primary care: case finding (calf,
 * SARC-F, SARC-CalF, reported beside) then grip or chair stand -> "possible
 * sarcopenia". Hospital / research: ASMI (DXA or BIA cut-offs) with grip and
 * performance (gait, chair stand, SPPB) -> sarcopenia or severe.
 */
#include "definitions/definition.h"

enum {
    LOW_CALF,
    POSITIVE_SARC_F,
    POSITIVE_SARC_CALF,
    LOW_GRIP,
    SLOW_CHAIR_STAND,
    SLOW_GAIT,
    LOW_SPPB,
    LOW_ASMI,
    N_CRIT
};

static const char *const criteria[N_CRIT] = {
    "low_calf",         "positive_sarc_f", "positive_sarc_calf", "low_grip",
    "slow_chair_stand", "slow_gait",       "low_sppb",           "low_asmi",
};

static const mt_rule rules[] = {
    RULE(LOW_CALF, MT_MALE, M_CALF, OP_LT, 34, ROLE_CASE_FINDING, "AWGS2019", ST_CONFIRMED),
    RULE(LOW_CALF, MT_FEMALE, M_CALF, OP_LT, 33, ROLE_CASE_FINDING, "AWGS2019", ST_CONFIRMED),
    RULE(POSITIVE_SARC_F, SEX_ANY, M_SARCF, OP_GE, 4, ROLE_CASE_FINDING, "AWGS2019", ST_CONFIRMED),
    RULE(POSITIVE_SARC_CALF, SEX_ANY, M_SARCCALF, OP_GE, 11, ROLE_CASE_FINDING, "AWGS2019",
         ST_CONFIRMED),
    RULE(LOW_GRIP, MT_MALE, M_GRIP, OP_LT, 28, ROLE_STRENGTH, "AWGS2019", ST_CONFIRMED),
    RULE(LOW_GRIP, MT_FEMALE, M_GRIP, OP_LT, 18, ROLE_STRENGTH, "AWGS2019", ST_CONFIRMED),
    /* Strength in the community pathway, performance in the hospital one. */
    RULE_UNABLE(SLOW_CHAIR_STAND, SEX_ANY, M_CHAIR5X, OP_GE, 12, ROLE_STRENGTH, "AWGS2019",
                ST_CONFIRMED),
    RULE(SLOW_GAIT, SEX_ANY, M_GAIT, OP_LT, 1.0, ROLE_PERFORMANCE, "AWGS2019", ST_CONFIRMED),
    RULE(LOW_SPPB, SEX_ANY, M_SPPB, OP_LE, 9, ROLE_PERFORMANCE, "AWGS2019", ST_CONFIRMED),
    RULE_IF(LOW_ASMI, MT_MALE, M_ASMI, COND_DXA, 0, "asm_method=dxa", OP_LT, 7.0, ROLE_MASS,
            "AWGS2019", ST_CONFIRMED),
    RULE_IF(LOW_ASMI, MT_MALE, M_ASMI, COND_BIA, 0, "asm_method=bia", OP_LT, 7.0, ROLE_MASS,
            "AWGS2019", ST_CONFIRMED),
    RULE_IF(LOW_ASMI, MT_FEMALE, M_ASMI, COND_DXA, 0, "asm_method=dxa", OP_LT, 5.4, ROLE_MASS,
            "AWGS2019", ST_CONFIRMED),
    RULE_IF(LOW_ASMI, MT_FEMALE, M_ASMI, COND_BIA, 0, "asm_method=bia", OP_LT, 5.7, ROLE_MASS,
            "AWGS2019", ST_CONFIRMED),
};

static const char *const categories[] = {"no_sarcopenia", "possible",          "sarcopenia",
                                         "severe",        "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_awgs2019 = {
    .id = "awgs2019",
    .name = "AWGS 2019",
    .title = "Asian Working Group for Sarcopenia, 2019 consensus update",
    .source = "AWGS2019",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

/* possible / no_sarcopenia / insufficient_data from the tests in `crits`. */
static void possible_pathway(mt_def_result *r, const int *crits, int n, const char *missing)
{
    int state = mt_domain_of(r, crits, n);

    if (state == D_LOW) {
        r->category = "possible";
    } else if (state == D_NOT_LOW) {
        r->category = "no_sarcopenia";
    } else {
        r->category = "insufficient_data";
        mt_add_missing(r, missing);
    }
}

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    static const int community[] = {LOW_GRIP, SLOW_CHAIR_STAND};
    static const int fallback[] = {LOW_GRIP, SLOW_CHAIR_STAND, SLOW_GAIT, LOW_SPPB};
    static const int performance[] = {SLOW_GAIT, SLOW_CHAIR_STAND, LOW_SPPB};
    int mass, grip, perf;

    (void)m;
    if (in->setting == MT_COMMUNITY) {
        possible_pathway(r, community, 2, "grip or chair_stand_5x");
        return;
    }
    mass = r->crit[LOW_ASMI].met;
    grip = r->crit[LOW_GRIP].met;
    perf = mt_domain_of(r, performance, 3);
    if (mass == D_UNKNOWN) {
        possible_pathway(r, fallback, 4, "grip or chair_stand_5x or gait_speed or sppb");
        mt_add_missing(r, mt_missing_mass(in, 0));
        mt_add_note(r, "Hospital pathway without ASMI: reported as in the community pathway "
                       "(possible sarcopenia or not) until muscle mass is measured.");
        return;
    }
    if (mass == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        if (grip == D_LOW || perf == D_LOW)
            mt_add_note(r, "Strength or physical performance is low but muscle mass is not: "
                           "not sarcopenia under AWGS 2019; the low result deserves its own "
                           "evaluation.");
        return;
    }
    if (grip == D_LOW && perf == D_LOW) {
        r->category = "severe";
    } else if (grip == D_LOW || perf == D_LOW) {
        r->category = "sarcopenia";
    } else if (grip == D_NOT_LOW && perf == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        return;
    } else {
        r->category = "insufficient_data";
    }
    if (grip == D_UNKNOWN)
        mt_add_missing(r, "grip");
    if (perf == D_UNKNOWN)
        mt_add_missing(r, "gait_speed or chair_stand_5x or sppb");
}
