/*
 * ewgsop1.c - EWGSOP1 (Cruz-Jentoft 2010): the original European consensus.
 *
 * Low muscle mass first; sarcopenia adds low strength or low performance;
 * severe has all three. Grip cut-offs are stratified by BMI (the table
 * EWGSOP1 took from Fried, as reproduced by Searle 2008). REFERENCE §7.
 */
#include "definitions/definition.h"

enum { LOW_ASMI, LOW_GRIP, SLOW_GAIT, N_CRIT };

static const char *const criteria[N_CRIT] = {"low_asmi", "low_grip", "slow_gait"};

/* BMI strata as half-open upper edges (first matching row wins), so that no
 * BMI falls between the printed bands: men <= 24, <= 28, above; women <= 23,
 * <= 26, <= 29, above. */
#define ABOVE 1e9
static const mt_rule rules[] = {
    /* Mass: EWGSOP1 gives no cut-offs of its own that we can source; the
     * EWGSOP2 ASMI cut-offs are used (engine convention, REFERENCE §7). */
    RULE(LOW_ASMI, MT_MALE, M_ASMI, OP_LT, 7.0, ROLE_MASS, "EWGSOP2", ST_CONVENTION),
    RULE(LOW_ASMI, MT_FEMALE, M_ASMI, OP_LT, 5.5, ROLE_MASS, "EWGSOP2", ST_CONVENTION),
    RULE_IF(LOW_GRIP, MT_MALE, M_GRIP, COND_BMI_MAX, 24, "bmi<=24", OP_LE, 29, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_MALE, M_GRIP, COND_BMI_MAX, 28, "bmi<=28", OP_LE, 30, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_MALE, M_GRIP, COND_BMI_MAX, ABOVE, "bmi>28", OP_LE, 32, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_FEMALE, M_GRIP, COND_BMI_MAX, 23, "bmi<=23", OP_LE, 17, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_FEMALE, M_GRIP, COND_BMI_MAX, 26, "bmi<=26", OP_LE, 17.3, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_FEMALE, M_GRIP, COND_BMI_MAX, 29, "bmi<=29", OP_LE, 18, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE_IF(LOW_GRIP, MT_FEMALE, M_GRIP, COND_BMI_MAX, ABOVE, "bmi>29", OP_LE, 21, ROLE_STRENGTH,
            "EWGSOP1", ST_CONFIRMED),
    RULE(SLOW_GAIT, SEX_ANY, M_GAIT, OP_LE, 0.8, ROLE_PERFORMANCE, "EWGSOP1", ST_CONFIRMED),
};

static const char *const categories[] = {"no_sarcopenia", "presarcopenia",     "sarcopenia",
                                         "severe",        "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_ewgsop1 = {
    .id = "ewgsop1",
    .name = "EWGSOP1",
    .title = "European Working Group on Sarcopenia in Older People, 2010",
    .source = "EWGSOP1",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void missing_grip(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    if (MT_HAS(in->grip) && m[M_BMI].state != MT_Q_VALUE)
        mt_add_missing(r, MT_HAS(in->height) ? "person.weight" : "person.height");
    else
        mt_add_missing(r, "grip");
}

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int domain[MT_N_ROLES];
    int mass, strength, perf;

    mt_domains(&mt_ewgsop1, r, domain); /* one walk for the three roles */
    mass = domain[ROLE_MASS];
    strength = domain[ROLE_STRENGTH];
    perf = domain[ROLE_PERFORMANCE];

    if (mass == D_UNKNOWN) {
        r->category = "insufficient_data";
        mt_add_missing(r, mt_missing_mass(in, 0));
        if (strength == D_UNKNOWN)
            missing_grip(in, m, r);
        if (perf == D_UNKNOWN)
            mt_add_missing(r, "gait_speed");
        return;
    }
    if (mass == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        return;
    }
    if (strength == D_LOW && perf == D_LOW) {
        r->category = "severe";
        return;
    }
    if (strength == D_LOW || perf == D_LOW) {
        r->category = "sarcopenia";
    } else {
        r->category = "presarcopenia";
        if (strength == D_UNKNOWN || perf == D_UNKNOWN)
            mt_add_note(r, "Engine convention: low mass with strength or performance not yet "
                           "measured is reported as presarcopenia until the missing test is "
                           "done.");
    }
    if (strength == D_UNKNOWN)
        missing_grip(in, m, r);
    if (perf == D_UNKNOWN)
        mt_add_missing(r, "gait_speed");
}
