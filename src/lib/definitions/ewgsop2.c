/*
 * ewgsop2.c - EWGSOP2 (Cruz-Jentoft 2019): the European revised consensus.
 *
 * Find (SARC-F, reported beside) -> assess strength (grip or chair stand) ->
 * confirm with muscle mass (ASM or ASMI) -> severity by performance (gait,
 * SPPB, TUG or 400 m). REFERENCE §7.
 */
#include "definitions/definition.h"

enum {
    LOW_GRIP,
    SLOW_CHAIR_STAND,
    LOW_ASM,
    LOW_ASMI,
    SLOW_GAIT,
    LOW_SPPB,
    SLOW_TUG,
    SLOW_400M,
    LOW_CALF_PROXY,
    N_CRIT
};

static const char *const criteria[N_CRIT] = {
    "low_grip", "slow_chair_stand", "low_asm",   "low_asmi",       "slow_gait",
    "low_sppb", "slow_tug",         "slow_400m", "low_calf_proxy",
};

static const mt_rule rules[] = {
    RULE(LOW_GRIP, MT_MALE, M_GRIP, OP_LT, 27, ROLE_STRENGTH, "EWGSOP2", ST_CONFIRMED),
    RULE(LOW_GRIP, MT_FEMALE, M_GRIP, OP_LT, 16, ROLE_STRENGTH, "EWGSOP2", ST_CONFIRMED),
    RULE_UNABLE(SLOW_CHAIR_STAND, SEX_ANY, M_CHAIR5X, OP_GT, 15, ROLE_STRENGTH, "EWGSOP2",
                ST_CONFIRMED),
    RULE(LOW_ASM, MT_MALE, M_ASM, OP_LT, 20, ROLE_MASS, "EWGSOP2", ST_CONFIRMED),
    RULE(LOW_ASM, MT_FEMALE, M_ASM, OP_LT, 15, ROLE_MASS, "EWGSOP2", ST_CONFIRMED),
    RULE(LOW_ASMI, MT_MALE, M_ASMI, OP_LT, 7.0, ROLE_MASS, "EWGSOP2", ST_CONFIRMED),
    RULE(LOW_ASMI, MT_FEMALE, M_ASMI, OP_LT, 5.5, ROLE_MASS, "EWGSOP2", ST_CONFIRMED),
    RULE(SLOW_GAIT, SEX_ANY, M_GAIT, OP_LE, 0.8, ROLE_PERFORMANCE, "EWGSOP2", ST_CONFIRMED),
    RULE(LOW_SPPB, SEX_ANY, M_SPPB, OP_LE, 8, ROLE_PERFORMANCE, "EWGSOP2", ST_CONFIRMED),
    RULE(SLOW_TUG, SEX_ANY, M_TUG, OP_GE, 20, ROLE_PERFORMANCE, "EWGSOP2", ST_CONFIRMED),
    RULE_UNABLE(SLOW_400M, SEX_ANY, M_W400, OP_GE, 360, ROLE_PERFORMANCE, "EWGSOP2", ST_CONFIRMED),
    /* A last-resort proxy for mass: reported, never confirms sarcopenia. */
    RULE(LOW_CALF_PROXY, SEX_ANY, M_CALF, OP_LT, 31, ROLE_EXTRA, "EWGSOP2", ST_TO_CONFIRM),
};

static const char *const categories[] = {"no_sarcopenia", "probable",          "confirmed",
                                         "severe",        "insufficient_data", NULL};

#define MISSING_STRENGTH    "grip or chair_stand_5x"
#define MISSING_PERFORMANCE "gait_speed or sppb or tug or walk_400m"

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_ewgsop2 = {
    .id = "ewgsop2",
    .name = "EWGSOP2",
    .title = "European Working Group on Sarcopenia in Older People, 2019 revision",
    .source = "EWGSOP2",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int domain[MT_N_ROLES];
    int strength, mass, perf;

    mt_domains(&mt_ewgsop2, r, domain); /* one walk for the three roles */
    strength = domain[ROLE_STRENGTH];
    mass = domain[ROLE_MASS];
    perf = domain[ROLE_PERFORMANCE];

    (void)m;
    if (strength == D_UNKNOWN) {
        r->category = "insufficient_data";
        mt_add_missing(r, MISSING_STRENGTH);
        if (mass == D_UNKNOWN)
            mt_add_missing(r, mt_missing_mass(in, 0));
        if (perf == D_UNKNOWN)
            mt_add_missing(r, MISSING_PERFORMANCE);
        return;
    }
    if (strength == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        if (perf == D_LOW)
            mt_add_note(r, "Physical performance is low while strength is not: EWGSOP2 does not "
                           "call this sarcopenia; the slow performance deserves its own "
                           "evaluation.");
        return;
    }
    if (mass == D_NOT_LOW) {
        r->category = "probable";
        mt_add_note(r, "Low strength with muscle mass that is not low: sarcopenia stays "
                       "probable; EWGSOP2 advises looking for other causes of weakness.");
        return;
    }
    if (mass == D_UNKNOWN) {
        r->category = "probable";
        mt_add_missing(r, mt_missing_mass(in, 0));
        if (perf == D_UNKNOWN)
            mt_add_missing(r, MISSING_PERFORMANCE);
        return;
    }
    if (perf == D_LOW) {
        r->category = "severe";
        return;
    }
    r->category = "confirmed";
    if (perf == D_UNKNOWN)
        mt_add_missing(r, MISSING_PERFORMANCE);
}
