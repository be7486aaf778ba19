/*
 * screening.c - the thresholds of the screening tools and of the flags that
 * sit beside the definitions (REFERENCE §3, §4). The engine's screening
 * step (measures/screening.c) reads its verdicts from these rows; the calf
 * screen is AWGS 2019's low_calf criterion, kept in awgs2019.c.
 */
#include "definitions/definition.h"

#include "definitions/screening.h"

static const char *const criteria[SCR_N] = {
    "sarc_f_positive", "sarc_calf_calf_points", "sarc_calf_positive", "ishii_positive",
    "tug_fall_risk",   "scwd_short_6mw",        "scwd_slow_gait",
};

static const mt_rule rules[] = {
    RULE(SCR_SARC_F, SEX_ANY, M_SARCF, OP_GE, 4, ROLE_SCREEN, "SARCF", ST_CONFIRMED),
    /* SARC-CalF adds 10 points below the calf threshold; strict '<' is the
     * engine's reading until the operator is confirmed. */
    RULE(SCR_SARC_CALF_CALF, MT_MALE, M_CALF, OP_LT, 34, ROLE_SCREEN, "SARCCALF", ST_TO_CONFIRM),
    RULE(SCR_SARC_CALF_CALF, MT_FEMALE, M_CALF, OP_LT, 33, ROLE_SCREEN, "SARCCALF", ST_TO_CONFIRM),
    /* The >= 11 cut-off is printed, but the score it reads includes the calf
     * points above, so the verdict as a whole is to_confirm (REFERENCE §3
     * tags SARC-CalF "[tc operator]"). */
    RULE(SCR_SARC_CALF, SEX_ANY, M_SARCCALF, OP_GE, 11, ROLE_SCREEN, "SARCCALF", ST_TO_CONFIRM),
    RULE(SCR_ISHII, MT_MALE, M_ISHII, OP_GE, 105, ROLE_SCREEN, "ISHII", ST_TO_CONFIRM),
    RULE(SCR_ISHII, MT_FEMALE, M_ISHII, OP_GE, 120, ROLE_SCREEN, "ISHII", ST_TO_CONFIRM),
    RULE(SCR_TUG_FALL_RISK, SEX_ANY, M_TUG, OP_GE, 13.5, ROLE_SCREEN, "SHUMWAY", ST_CONFIRMED),
    RULE(SCR_SCWD_6MW, SEX_ANY, M_SIX_MW, OP_LT, 400, ROLE_SCREEN, "SCWD", ST_CONFIRMED),
    RULE(SCR_SCWD_GAIT, SEX_ANY, M_GAIT, OP_LE, 1.0, ROLE_SCREEN, "SCWD", ST_CONFIRMED),
};

static const char *const categories[] = {NULL};

const mt_definition mt_screening_rules = {
    .id = "screening",
    .name = "Screening",
    .title = "Screening tools and flags reported beside the definitions",
    .source = "SARCF",
    .criteria = criteria,
    .n_criteria = SCR_N,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = NULL,
};
