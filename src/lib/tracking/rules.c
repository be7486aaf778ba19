/*
 * rules.c - every number the tracking engine compares, as rule rows
 * (REFERENCE §11 progression, §12 tracking and alerts), so that `myotrack
 * rules` lists them with their sources and the code reads them from here
 * only (tr_rule + mt_rule_compare).
 *
 * The meaningful-change rows compare the size of a change in the direction
 * that matters (an improvement or a decline), always with ">=": Perera's and
 * Bohannon's values are the smallest change that is meaningful, so a change
 * of exactly that size counts (docs/conventions.md). Grip has one value: the
 * lower end of Bohannon's 5.0-6.5 kg, which flags a decline soonest
 * (convention). The alert numbers of §12 come from a pattern of digital rehab
 * programmes, not a paper: source TRACKING, to_confirm. Adherence and the
 * missed-session hold use the lower end of ACSM's 2-3 sessions a week
 * (convention).
 *
 * The table is read row by row (tr_rule), never run through
 * mt_definition_evaluate: its rows compare values of a history, not of one
 * assessment's input.
 */
#include "tracking/tracking.h"

static const char *const criteria[TR_N] = {
    [TR_GAIT_SMALL] = "gait_speed_small_change",
    [TR_GAIT_SUBSTANTIAL] = "gait_speed_substantial_change",
    [TR_SPPB_SMALL] = "sppb_small_change",
    [TR_SPPB_SUBSTANTIAL] = "sppb_substantial_change",
    [TR_SIX_MW_SMALL] = "six_minute_walk_small_change",
    [TR_SIX_MW_SUBSTANTIAL] = "six_minute_walk_substantial_change",
    [TR_GRIP_MEANINGFUL] = "grip_meaningful_change",
    [TR_FUNCTION_DROP] = "function_test_drop",
    [TR_PAIN_ALERT] = "pain_alert",
    [TR_PAIN_STEP_BACK] = "pain_step_back",
    [TR_ADHERING] = "adhering",
    [TR_MISSED_SESSION] = "missed_session_hold",
    [TR_REPS_OVER_TARGET] = "progress_reps_over_target",
    [TR_EFFORT] = "progress_effort",
    [TR_LOAD_MIN] = "load_increase_min",
    [TR_LOAD_MAX] = "load_increase_max",
    [TR_BALANCE_HOLD] = "progress_balance_hold",
};

/* Row i is criterion i: tr_rule() indexes by TR_*. */
static const mt_rule rules[TR_N] = {
    /* §12 meaningful change (older adults) */
    RULE(TR_GAIT_SMALL, SEX_ANY, M_GAIT, OP_GE, 0.05, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_GAIT_SUBSTANTIAL, SEX_ANY, M_GAIT, OP_GE, 0.10, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_SPPB_SMALL, SEX_ANY, M_SPPB, OP_GE, 0.5, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_SPPB_SUBSTANTIAL, SEX_ANY, M_SPPB, OP_GE, 1.0, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_SIX_MW_SMALL, SEX_ANY, M_SIX_MW, OP_GE, 20, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_SIX_MW_SUBSTANTIAL, SEX_ANY, M_SIX_MW, OP_GE, 50, ROLE_FLAG, "PERERA", ST_CONFIRMED),
    RULE(TR_GRIP_MEANINGFUL, SEX_ANY, M_GRIP, OP_GE, 5.0, ROLE_FLAG, "BOHANNON", ST_CONVENTION),
    /* §12 alerts */
    RULE(TR_FUNCTION_DROP, SEX_ANY, M_FUNCTION_DROP, OP_GE, 20, ROLE_FLAG, "TRACKING",
         ST_TO_CONFIRM),
    RULE(TR_PAIN_ALERT, SEX_ANY, M_PAIN, OP_GE, 7, ROLE_FLAG, "TRACKING", ST_TO_CONFIRM),
    /* §11 progression */
    RULE(TR_PAIN_STEP_BACK, SEX_ANY, M_PAIN, OP_GE, 7, ROLE_FLAG, "ACSM", ST_CONFIRMED),
    RULE(TR_ADHERING, SEX_ANY, M_SESSIONS, OP_GE, 2, ROLE_FLAG, "ACSM", ST_CONVENTION),
    RULE(TR_MISSED_SESSION, SEX_ANY, M_SESSIONS, OP_LT, 2, ROLE_FLAG, "ACSM", ST_CONVENTION),
    RULE(TR_REPS_OVER_TARGET, SEX_ANY, M_REPS_OVER_TARGET, OP_GE, 1, ROLE_FLAG, "ACSM",
         ST_CONFIRMED),
    RULE(TR_EFFORT, SEX_ANY, M_EFFORT, OP_LE, 7, ROLE_FLAG, "ACSM", ST_CONFIRMED),
    RULE(TR_LOAD_MIN, SEX_ANY, M_LOAD_INCREASE, OP_GE, 2, ROLE_FLAG, "ACSM", ST_CONFIRMED),
    RULE(TR_LOAD_MAX, SEX_ANY, M_LOAD_INCREASE, OP_LE, 10, ROLE_FLAG, "ACSM", ST_CONFIRMED),
    /* the balance exercise holds a stance "for up to 10 seconds, as in the balance test" */
    RULE(TR_BALANCE_HOLD, SEX_ANY, M_HOLD, OP_GE, 10, ROLE_FLAG, "SPPB", ST_CONVENTION),
};

static const char *const no_categories[] = {NULL};

const mt_definition mt_tracking_rules = {
    .id = "tracking",
    .name = "Tracking",
    .title = "Tracking: meaningful change, alerts and progression (REFERENCE §11, §12)",
    .source = "TRACKING",
    .criteria = criteria,
    .n_criteria = TR_N,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = no_categories,
    .categorize = NULL,
};

const mt_rule *tr_rule(int crit)
{
    return &rules[crit];
}
