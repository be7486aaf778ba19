/*
 * test_rules.c - every criterion of every definition at, just below and just
 * above its cut-off, for every sex it applies to, plus the screening flags
 * and the rows of the two side tables (`triage`, `plan`).
 *
 * The table below is written by hand from /work/shared/clinical/REFERENCE.md
 * (§3 screening, §4 performance tests, §7 sarcopenia definitions, §8
 * cachexia and malnutrition, §9 triage, §11 the care plan's protein table),
 * never copied from the engine's rule tables. Where REFERENCE gives no number
 * the row tests the engine's convention (named in the definition's source),
 * marked "convention" next to the row here. Each row becomes its own cmocka test named
 * after the rule ("ewgsop2.low_grip.female < 16"); each test builds an
 * assessment document for the value at the threshold, threshold - delta and
 * threshold + delta, assesses it and checks `met` against the REFERENCE
 * operator:
 *
 *      operator   below  at  above
 *      <            met  no  no
 *      <=           met  met no
 *      >            no   no  met
 *      >=           no   met met
 *
 * Yes/no rows (operator "is", threshold 1: an illness, cancer, reduced
 * appetite, fatigue) are tested with the answer true (met), false (not met)
 * and absent (unknown: `met` is null).
 *
 * Deltas: 0.01 for kg / s / cm / BMI / % / mg/L / g/dL / eGFR / years of age,
 * 0.01 x ULN for CK (1 U/L with an upper limit of 100 U/L), 0.001 for m/s and
 * for the ratio indices (ASMI, ALM/BMI, grip/BMI), 1 for integer scores and
 * for exercise sessions a week.
 *
 * Index-type measures are reached through the body: height is always 200 cm,
 * so h^2 = 4 m^2, ASMI = asm / 4 and BMI = weight / 4; grip/BMI and ALM/BMI
 * rows use weight 100 kg (BMI 25), so grip = index * 25 and asm = index * 25.
 * Weight loss is reached through the history: the weight 6 (or 12) months
 * ago is 100 kg and person.weight is 100 - v, so the loss is exactly v %.
 *
 * The definitions' criteria are read through mt_result_criterion(); the side
 * tables' through the JSON output (`triage.criteria.<id>`,
 * `plan.criteria.<id>`, the same criterion objects as the definitions').
 *
 * The last test checks completeness: every row of the engine's tables
 * (mt_rule_count / mt_rule_at) must be covered by a row here with the same
 * operator and threshold (an "is" row by a yes/no test), so a new rule
 * without a boundary test fails. The `tracking` table is the exception: its
 * rows compare a person's history, so test_tracking.c holds their boundary
 * tests and the same completeness check.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "testjson.h"

/* ---- how the value under test enters the document ------------------------ */

enum {
    K_GRIP,         /* measurements.grip = v */
    K_GRIP_STRATUM, /* EWGSOP1: BMI fixed inside a stratum (weight = 4 * fixed), grip = v */
    K_BMI_EDGE,     /* EWGSOP1: grip fixed, BMI = v (weight = 4 * v) */
    K_CHAIR,        /* measurements.chair_stand_5x = v */
    K_ASM,          /* asm = v by DXA */
    K_ASMI_DXA,     /* asm = 4 * v by DXA: ASMI = v */
    K_ASMI_BIA,     /* asm = 4 * v, asm_method bia: ASMI = v */
    K_GAIT,         /* measurements.gait_speed = v */
    K_SPPB,         /* measurements.sppb.total = v */
    K_TUG,          /* measurements.tug = v */
    K_W400,         /* measurements.walk_400m = v */
    K_CALF,         /* measurements.calf = v */
    K_SARCF,        /* sarc_f.total = v */
    K_SARCCALF,     /* calf 30 cm (low for both sexes: +10) and sarc_f.total = v - 10 */
    K_GRIP_BMI,     /* weight 100 (BMI 25), grip = 25 * v */
    K_ALM_BMI,      /* weight 100 (BMI 25), asm = 25 * v by DXA */
    K_CHAIR_WORD,   /* chair_stand_5x = "unable" */
    K_W400_WORD,    /* walk_400m = "not_completed" */
    K_BMI,          /* BMI = v (weight = 4 * v), person.age = the row's age */
    K_AGE_EDGE,     /* BMI fixed (weight = 4 * fixed), person.age = v */
    K_WL6,          /* history.weight_6_months_ago 100, person.weight 100 - v: loss v % */
    K_WL12,         /* history.weight_12_months_ago 100, person.weight 100 - v: loss v % */
    K_CRP,          /* history.labs.crp = v */
    K_HB,           /* history.labs.hemoglobin = v */
    K_ALB,          /* history.labs.albumin = v */
    K_EGFR,         /* history.labs.egfr = v */
    K_CK_ULN,       /* history.labs.ck = 100 * v, ck_uln = 100: CK = v x ULN */
    K_INTAKE,       /* history.intake_percent_of_usual = v */
    K_SESSIONS,     /* history.exercise_sessions_per_week = v */
    K_AGE,          /* person.age = v */
    /* yes/no answers, v = 1 true, 0 false, -1 absent */
    K_YN_APPETITE, /* history.appetite_reduced */
    K_YN_FATIGUE,  /* symptoms.fatigue */
    K_YN_ILLNESS,  /* history.conditions ["copd"] / [] */
    K_YN_CANCER    /* history.conditions ["cancer"] / ["copd"] */
};

static int is_yes_no(int kind)
{
    return kind >= K_YN_APPETITE && kind <= K_YN_CANCER;
}

typedef struct rule_row {
    const char *def, *crit;
    const char *sex;     /* the person tested: "male" or "female" */
    const char *cov_sex; /* the engine row covered: "male", "female", "any"; NULL: none */
    const char *cond;    /* the engine row's condition text, "" when none */
    int kind;
    const char *op; /* REFERENCE operator: "<", "<=", ">", ">=", "between" */
    double t, t_high;
    double delta;
    int edge;                 /* "between": 0 probe the low edge, 1 the high edge */
    double fixed;             /* K_GRIP_STRATUM, K_AGE_EDGE: BMI; K_BMI_EDGE: grip */
    double thr_at, thr_above; /* K_BMI_EDGE: grip cut-off applied at/below, above the edge;
                                 K_AGE_EDGE: BMI cut-off applied below, at/above the edge */
    double age;               /* person.age; 0: 70 */
    char name[128];
} rule_row;

#define ROW(d, c, sx, cov, k, o, th, dl)                                                           \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = cov, .cond = "", .kind = k, .op = o, .t = th,   \
        .t_high = th, .delta = dl                                                                  \
    }
#define ROWC(d, c, sx, cond_, k, o, th, dl, fx)                                                    \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = sx, .cond = cond_, .kind = k, .op = o, .t = th, \
        .t_high = th, .delta = dl, .fixed = fx                                                     \
    }
#define BETWEEN(d, c, sx, lo, hi, dl, e)                                                           \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = sx, .cond = "", .kind = K_GRIP,                 \
        .op = "between", .t = lo, .t_high = hi, .delta = dl, .edge = e                             \
    }
/* EWGSOP1: BMI at / just below / just above a stratum edge, grip between the
 * two strata's cut-offs: met only above the edge (the more lenient stratum). */
#define BMI_EDGE(sx, bmi, grip, at, above)                                                         \
    {                                                                                              \
        .def = "ewgsop1", .crit = "low_grip", .sex = sx, .cov_sex = NULL, .cond = "",              \
        .kind = K_BMI_EDGE, .op = ">", .t = bmi, .t_high = bmi, .delta = 0.01, .fixed = grip,      \
        .thr_at = at, .thr_above = above                                                           \
    }
/* A BMI row that holds for one age group (condition "age<70" / "age>=70"),
 * probed with a person of age `ag` inside the group. */
#define ROWAGE(d, c, sx, cond_, ag, o, th, dl)                                                     \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = "any", .cond = cond_, .kind = K_BMI, .op = o,   \
        .t = th, .t_high = th, .delta = dl, .age = ag                                              \
    }
/* GLIM: age at / just below / just above 70 with the BMI between the two
 * age groups' cut-offs: met from 70 on (REFERENCE: "< 70 y", ">= 70 y"). */
#define AGE_EDGE(d, c, sx, bmi, young, old)                                                        \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = NULL, .cond = "", .kind = K_AGE_EDGE,           \
        .op = "<", .t = 70, .t_high = 70, .delta = 0.01, .fixed = bmi, .thr_at = young,            \
        .thr_above = old                                                                           \
    }
/* A yes/no row: operator "is", threshold 1. */
#define YESNO(d, c, sx, k)                                                                         \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = "any", .cond = "", .kind = k, .op = "is",       \
        .t = 1, .t_high = 1                                                                        \
    }
#define WORD(d, c, sx, k)                                                                          \
    {                                                                                              \
        .def = d, .crit = c, .sex = sx, .cov_sex = NULL, .cond = "", .kind = k, .op = "word"       \
    }

/* REFERENCE §7 (and §3 for the AWGS case-finding rows), §8, §9 and §11. */
static rule_row rows[] = {
    /* EWGSOP2 */
    ROW("ewgsop2", "low_grip", "male", "male", K_GRIP, "<", 27, 0.01),
    ROW("ewgsop2", "low_grip", "female", "female", K_GRIP, "<", 16, 0.01),
    ROW("ewgsop2", "slow_chair_stand", "male", "any", K_CHAIR, ">", 15, 0.01),
    ROW("ewgsop2", "slow_chair_stand", "female", "any", K_CHAIR, ">", 15, 0.01),
    WORD("ewgsop2", "slow_chair_stand", "male", K_CHAIR_WORD),
    WORD("ewgsop2", "slow_chair_stand", "female", K_CHAIR_WORD),
    ROW("ewgsop2", "low_asm", "male", "male", K_ASM, "<", 20, 0.01),
    ROW("ewgsop2", "low_asm", "female", "female", K_ASM, "<", 15, 0.01),
    ROW("ewgsop2", "low_asmi", "male", "male", K_ASMI_DXA, "<", 7.0, 0.001),
    ROW("ewgsop2", "low_asmi", "female", "female", K_ASMI_DXA, "<", 5.5, 0.001),
    ROW("ewgsop2", "slow_gait", "male", "any", K_GAIT, "<=", 0.8, 0.001),
    ROW("ewgsop2", "slow_gait", "female", "any", K_GAIT, "<=", 0.8, 0.001),
    ROW("ewgsop2", "low_sppb", "male", "any", K_SPPB, "<=", 8, 1),
    ROW("ewgsop2", "low_sppb", "female", "any", K_SPPB, "<=", 8, 1),
    ROW("ewgsop2", "slow_tug", "male", "any", K_TUG, ">=", 20, 0.01),
    ROW("ewgsop2", "slow_tug", "female", "any", K_TUG, ">=", 20, 0.01),
    ROW("ewgsop2", "slow_400m", "male", "any", K_W400, ">=", 360, 0.01),
    ROW("ewgsop2", "slow_400m", "female", "any", K_W400, ">=", 360, 0.01),
    WORD("ewgsop2", "slow_400m", "male", K_W400_WORD),
    WORD("ewgsop2", "slow_400m", "female", K_W400_WORD),
    /* §3: calf < 31 cm as a last-resort proxy for mass [tc] */
    ROW("ewgsop2", "low_calf_proxy", "male", "any", K_CALF, "<", 31, 0.01),
    ROW("ewgsop2", "low_calf_proxy", "female", "any", K_CALF, "<", 31, 0.01),

    /* EWGSOP1: mass by the EWGSOP2 ASMI cut-offs (engine convention) */
    ROW("ewgsop1", "low_asmi", "male", "male", K_ASMI_DXA, "<", 7.0, 0.001),
    ROW("ewgsop1", "low_asmi", "female", "female", K_ASMI_DXA, "<", 5.5, 0.001),
    /* BMI-stratified grip, each stratum probed with a BMI inside it */
    ROWC("ewgsop1", "low_grip", "male", "bmi<=24", K_GRIP_STRATUM, "<=", 29, 0.01, 22),
    ROWC("ewgsop1", "low_grip", "male", "bmi<=28", K_GRIP_STRATUM, "<=", 30, 0.01, 26),
    ROWC("ewgsop1", "low_grip", "male", "bmi>28", K_GRIP_STRATUM, "<=", 32, 0.01, 30),
    ROWC("ewgsop1", "low_grip", "female", "bmi<=23", K_GRIP_STRATUM, "<=", 17, 0.01, 21),
    ROWC("ewgsop1", "low_grip", "female", "bmi<=26", K_GRIP_STRATUM, "<=", 17.3, 0.01, 24.5),
    ROWC("ewgsop1", "low_grip", "female", "bmi<=29", K_GRIP_STRATUM, "<=", 18, 0.01, 27.5),
    ROWC("ewgsop1", "low_grip", "female", "bmi>29", K_GRIP_STRATUM, "<=", 21, 0.01, 32),
    /* ... and every stratum edge probed with the BMI at, below and above it */
    BMI_EDGE("male", 24, 29.5, 29, 30),
    BMI_EDGE("male", 28, 31, 30, 32),
    BMI_EDGE("female", 23, 17.1, 17, 17.3),
    BMI_EDGE("female", 26, 17.5, 17.3, 18),
    BMI_EDGE("female", 29, 19, 18, 21),
    ROW("ewgsop1", "slow_gait", "male", "any", K_GAIT, "<=", 0.8, 0.001),
    ROW("ewgsop1", "slow_gait", "female", "any", K_GAIT, "<=", 0.8, 0.001),

    /* AWGS 2019 */
    ROW("awgs2019", "low_calf", "male", "male", K_CALF, "<", 34, 0.01),
    ROW("awgs2019", "low_calf", "female", "female", K_CALF, "<", 33, 0.01),
    ROW("awgs2019", "positive_sarc_f", "male", "any", K_SARCF, ">=", 4, 1),
    ROW("awgs2019", "positive_sarc_f", "female", "any", K_SARCF, ">=", 4, 1),
    ROW("awgs2019", "positive_sarc_calf", "male", "any", K_SARCCALF, ">=", 11, 1),
    ROW("awgs2019", "positive_sarc_calf", "female", "any", K_SARCCALF, ">=", 11, 1),
    ROW("awgs2019", "low_grip", "male", "male", K_GRIP, "<", 28, 0.01),
    ROW("awgs2019", "low_grip", "female", "female", K_GRIP, "<", 18, 0.01),
    ROW("awgs2019", "slow_chair_stand", "male", "any", K_CHAIR, ">=", 12, 0.01),
    ROW("awgs2019", "slow_chair_stand", "female", "any", K_CHAIR, ">=", 12, 0.01),
    WORD("awgs2019", "slow_chair_stand", "male", K_CHAIR_WORD),
    WORD("awgs2019", "slow_chair_stand", "female", K_CHAIR_WORD),
    ROW("awgs2019", "slow_gait", "male", "any", K_GAIT, "<", 1.0, 0.001),
    ROW("awgs2019", "slow_gait", "female", "any", K_GAIT, "<", 1.0, 0.001),
    ROW("awgs2019", "low_sppb", "male", "any", K_SPPB, "<=", 9, 1),
    ROW("awgs2019", "low_sppb", "female", "any", K_SPPB, "<=", 9, 1),
    ROWC("awgs2019", "low_asmi", "male", "asm_method=dxa", K_ASMI_DXA, "<", 7.0, 0.001, 0),
    ROWC("awgs2019", "low_asmi", "male", "asm_method=bia", K_ASMI_BIA, "<", 7.0, 0.001, 0),
    ROWC("awgs2019", "low_asmi", "female", "asm_method=dxa", K_ASMI_DXA, "<", 5.4, 0.001, 0),
    ROWC("awgs2019", "low_asmi", "female", "asm_method=bia", K_ASMI_BIA, "<", 5.7, 0.001, 0),

    /* FNIH */
    ROW("fnih", "weakness", "male", "male", K_GRIP, "<", 26, 0.01),
    ROW("fnih", "weakness", "female", "female", K_GRIP, "<", 16, 0.01),
    /* printed 26-31.9 / 16-19.9 kg: 26 <= g < 32, 16 <= g < 20 */
    BETWEEN("fnih", "intermediate_grip", "male", 26, 32, 0.01, 0),
    BETWEEN("fnih", "intermediate_grip", "male", 26, 32, 0.01, 1),
    BETWEEN("fnih", "intermediate_grip", "female", 16, 20, 0.01, 0),
    BETWEEN("fnih", "intermediate_grip", "female", 16, 20, 0.01, 1),
    ROW("fnih", "weakness_bmi", "male", "male", K_GRIP_BMI, "<", 1.0, 0.001),
    ROW("fnih", "weakness_bmi", "female", "female", K_GRIP_BMI, "<", 0.56, 0.001),
    ROW("fnih", "low_alm_bmi", "male", "male", K_ALM_BMI, "<", 0.789, 0.001),
    ROW("fnih", "low_alm_bmi", "female", "female", K_ALM_BMI, "<", 0.512, 0.001),
    ROW("fnih", "low_alm", "male", "male", K_ASM, "<", 19.75, 0.01),
    ROW("fnih", "low_alm", "female", "female", K_ASM, "<", 15.02, 0.01),
    ROW("fnih", "slowness", "male", "any", K_GAIT, "<", 0.8, 0.001),
    ROW("fnih", "slowness", "female", "any", K_GAIT, "<", 0.8, 0.001),

    /* SDOC */
    ROW("sdoc", "weakness", "male", "male", K_GRIP, "<", 35.5, 0.01),
    ROW("sdoc", "weakness", "female", "female", K_GRIP, "<", 20, 0.01),
    ROW("sdoc", "slowness", "male", "any", K_GAIT, "<", 0.8, 0.001),
    ROW("sdoc", "slowness", "female", "any", K_GAIT, "<", 0.8, 0.001),
    ROW("sdoc", "weakness_bmi", "male", "male", K_GRIP_BMI, "<=", 1.05, 0.001),
    /* §8 Fearon 2011 (cancer cachexia): weight loss > 5 % in 6 months; or BMI < 20
     * and weight loss > 2 %; or low ASMI (men < 7.26, women < 5.45 [tc]) and
     * weight loss > 2 %; pre-cachexia needs anorexia and metabolic change */
    ROW("fearon2011", "weight_loss_over_5", "male", "any", K_WL6, ">", 5, 0.01),
    ROW("fearon2011", "weight_loss_over_5", "female", "any", K_WL6, ">", 5, 0.01),
    ROW("fearon2011", "low_bmi", "male", "any", K_BMI, "<", 20, 0.01),
    ROW("fearon2011", "low_bmi", "female", "any", K_BMI, "<", 20, 0.01),
    ROW("fearon2011", "weight_loss_over_2", "male", "any", K_WL6, ">", 2, 0.01),
    ROW("fearon2011", "weight_loss_over_2", "female", "any", K_WL6, ">", 2, 0.01),
    ROW("fearon2011", "low_asmi", "male", "male", K_ASMI_DXA, "<", 7.26, 0.001),
    ROW("fearon2011", "low_asmi", "female", "female", K_ASMI_DXA, "<", 5.45, 0.001),
    YESNO("fearon2011", "anorexia", "male", K_YN_APPETITE),
    YESNO("fearon2011", "anorexia", "female", K_YN_APPETITE),
    /* metabolic change has no number in REFERENCE: CRP > 5 mg/L, Evans 2008's
     * abnormal biochemistry (engine convention) */
    ROW("fearon2011", "metabolic_change", "male", "any", K_CRP, ">", 5, 0.01),
    ROW("fearon2011", "metabolic_change", "female", "any", K_CRP, ">", 5, 0.01),
    YESNO("fearon2011", "cancer", "male", K_YN_CANCER),
    YESNO("fearon2011", "cancer", "female", K_YN_CANCER),

    /* §8 Evans 2008 (cachexia in chronic illness): illness and weight loss >= 5 %
     * in <= 12 months (or BMI < 20), plus 3 of: low strength, fatigue, anorexia,
     * low FFMI, CRP > 5 mg/L, Hb < 12 g/dL, albumin < 3.2 g/dL */
    YESNO("evans2008", "illness", "male", K_YN_ILLNESS),
    YESNO("evans2008", "illness", "female", K_YN_ILLNESS),
    ROW("evans2008", "weight_loss_12m", "male", "any", K_WL12, ">=", 5, 0.01),
    ROW("evans2008", "weight_loss_12m", "female", "any", K_WL12, ">=", 5, 0.01),
    ROW("evans2008", "weight_loss_6m", "male", "any", K_WL6, ">=", 5, 0.01),
    ROW("evans2008", "weight_loss_6m", "female", "any", K_WL6, ">=", 5, 0.01),
    ROW("evans2008", "low_bmi", "male", "any", K_BMI, "<", 20, 0.01),
    ROW("evans2008", "low_bmi", "female", "any", K_BMI, "<", 20, 0.01),
    /* low strength: REFERENCE gives no number; the EWGSOP2 grip cut-offs (convention) */
    ROW("evans2008", "low_strength", "male", "male", K_GRIP, "<", 27, 0.01),
    ROW("evans2008", "low_strength", "female", "female", K_GRIP, "<", 16, 0.01),
    YESNO("evans2008", "fatigue", "male", K_YN_FATIGUE),
    YESNO("evans2008", "fatigue", "female", K_YN_FATIGUE),
    YESNO("evans2008", "anorexia", "male", K_YN_APPETITE),
    YESNO("evans2008", "anorexia", "female", K_YN_APPETITE),
    /* low FFMI: REFERENCE gives no number; the Fearon 2011 ASMI cut-offs (convention) */
    ROW("evans2008", "low_ffmi", "male", "male", K_ASMI_DXA, "<", 7.26, 0.001),
    ROW("evans2008", "low_ffmi", "female", "female", K_ASMI_DXA, "<", 5.45, 0.001),
    ROW("evans2008", "high_crp", "male", "any", K_CRP, ">", 5, 0.01),
    ROW("evans2008", "high_crp", "female", "any", K_CRP, ">", 5, 0.01),
    ROW("evans2008", "low_hemoglobin", "male", "any", K_HB, "<", 12, 0.01),
    ROW("evans2008", "low_hemoglobin", "female", "any", K_HB, "<", 12, 0.01),
    ROW("evans2008", "low_albumin", "male", "any", K_ALB, "<", 3.2, 0.01),
    ROW("evans2008", "low_albumin", "female", "any", K_ALB, "<", 3.2, 0.01),

    /* §8 GLIM: phenotype weight loss > 5 % in 6 months or > 10 % beyond (the
     * 12-month weight, convention), BMI < 20 if < 70 y / < 22 if >= 70 y, reduced
     * muscle mass; etiology intake <= 50 %, disease burden / inflammation;
     * severe: loss > 10 % in 6 months or > 20 % beyond, BMI < 18.5 / < 20 */
    ROW("glim", "weight_loss_6m", "male", "any", K_WL6, ">", 5, 0.01),
    ROW("glim", "weight_loss_6m", "female", "any", K_WL6, ">", 5, 0.01),
    ROW("glim", "weight_loss_12m", "male", "any", K_WL12, ">", 10, 0.01),
    ROW("glim", "weight_loss_12m", "female", "any", K_WL12, ">", 10, 0.01),
    ROWAGE("glim", "low_bmi", "male", "age<70", 60, "<", 20, 0.01),
    ROWAGE("glim", "low_bmi", "female", "age<70", 60, "<", 20, 0.01),
    ROWAGE("glim", "low_bmi", "male", "age>=70", 75, "<", 22, 0.01),
    ROWAGE("glim", "low_bmi", "female", "age>=70", 75, "<", 22, 0.01),
    AGE_EDGE("glim", "low_bmi", "male", 21, 20, 22),
    AGE_EDGE("glim", "low_bmi", "female", 21, 20, 22),
    /* reduced muscle mass: REFERENCE gives no number; EWGSOP2 ASMI cut-offs (convention) */
    ROW("glim", "reduced_muscle_mass", "male", "male", K_ASMI_DXA, "<", 7.0, 0.001),
    ROW("glim", "reduced_muscle_mass", "female", "female", K_ASMI_DXA, "<", 5.5, 0.001),
    ROW("glim", "reduced_intake", "male", "any", K_INTAKE, "<=", 50, 0.01),
    ROW("glim", "reduced_intake", "female", "any", K_INTAKE, "<=", 50, 0.01),
    YESNO("glim", "disease_burden", "male", K_YN_ILLNESS),
    YESNO("glim", "disease_burden", "female", K_YN_ILLNESS),
    /* inflammation: CRP > 5 mg/L, Evans 2008's abnormal biochemistry (convention) */
    ROW("glim", "inflammation", "male", "any", K_CRP, ">", 5, 0.01),
    ROW("glim", "inflammation", "female", "any", K_CRP, ">", 5, 0.01),
    ROW("glim", "severe_weight_loss_6m", "male", "any", K_WL6, ">", 10, 0.01),
    ROW("glim", "severe_weight_loss_6m", "female", "any", K_WL6, ">", 10, 0.01),
    ROW("glim", "severe_weight_loss_12m", "male", "any", K_WL12, ">", 20, 0.01),
    ROW("glim", "severe_weight_loss_12m", "female", "any", K_WL12, ">", 20, 0.01),
    ROWAGE("glim", "severe_low_bmi", "male", "age<70", 60, "<", 18.5, 0.01),
    ROWAGE("glim", "severe_low_bmi", "female", "age<70", 60, "<", 18.5, 0.01),
    ROWAGE("glim", "severe_low_bmi", "male", "age>=70", 75, "<", 20, 0.01),
    ROWAGE("glim", "severe_low_bmi", "female", "age>=70", 75, "<", 20, 0.01),
    AGE_EDGE("glim", "severe_low_bmi", "male", 19, 18.5, 20),
    AGE_EDGE("glim", "severe_low_bmi", "female", 19, 18.5, 20),

    /* §9 triage: rhabdomyolysis CK >= 5x ULN [tc]; myopathy "raised CK", read as
     * above the lab's ULN (convention); unexplained loss: weight loss > 5 % in 6 months */
    ROW("triage", "ck_5x_uln", "male", "any", K_CK_ULN, ">=", 5, 0.01),
    ROW("triage", "ck_5x_uln", "female", "any", K_CK_ULN, ">=", 5, 0.01),
    ROW("triage", "ck_raised", "male", "any", K_CK_ULN, ">", 1, 0.01),
    ROW("triage", "ck_raised", "female", "any", K_CK_ULN, ">", 1, 0.01),
    ROW("triage", "weight_loss_6m", "male", "any", K_WL6, ">", 5, 0.01),
    ROW("triage", "weight_loss_6m", "female", "any", K_WL6, ">", 5, 0.01),

    /* §11 protein table: eGFR < 30, age >= 65, exercising now (>= 2 sessions a week) */
    ROW("plan", "kidney_protein_limit", "male", "any", K_EGFR, "<", 30, 0.01),
    ROW("plan", "kidney_protein_limit", "female", "any", K_EGFR, "<", 30, 0.01),
    ROW("plan", "older_adult", "male", "any", K_AGE, ">=", 65, 0.01),
    ROW("plan", "older_adult", "female", "any", K_AGE, ">=", 65, 0.01),
    ROW("plan", "exercising_now", "male", "any", K_SESSIONS, ">=", 2, 1),
    ROW("plan", "exercising_now", "female", "any", K_SESSIONS, ">=", 2, 1),
};
#define N_ROWS_ (sizeof(rows) / sizeof(rows[0]))

/* ---- building and assessing one document ---------------------------------- */

#define DOC_CAP 1024

static void build_doc(char *buf, size_t cap, const rule_row *r, double v)
{
    char meas[256] = "", top[96] = "", hist[256] = "", labs[96] = "", sym[64] = "";
    char extra[448] = "", mpart[320] = "";
    double weight = 80; /* BMI 20 at 200 cm */
    double age = r->age > 0 ? r->age : 70;
    int yes = (int)lround(v); /* yes/no kinds: 1 true, 0 false, -1 absent */

    switch (r->kind) {
    case K_GRIP:
        snprintf(meas, sizeof meas, "\"grip\": %.4f", v);
        break;
    case K_GRIP_STRATUM:
        weight = 4 * r->fixed;
        snprintf(meas, sizeof meas, "\"grip\": %.4f", v);
        break;
    case K_BMI_EDGE:
        weight = 4 * v;
        snprintf(meas, sizeof meas, "\"grip\": %.4f", r->fixed);
        break;
    case K_CHAIR:
        snprintf(meas, sizeof meas, "\"chair_stand_5x\": %.4f", v);
        break;
    case K_ASM:
        snprintf(meas, sizeof meas, "\"asm\": %.4f, \"asm_method\": \"dxa\"", v);
        break;
    case K_ASMI_DXA:
        snprintf(meas, sizeof meas, "\"asm\": %.4f, \"asm_method\": \"dxa\"", 4 * v);
        break;
    case K_ASMI_BIA:
        snprintf(meas, sizeof meas, "\"asm\": %.4f, \"asm_method\": \"bia\"", 4 * v);
        break;
    case K_GAIT:
        snprintf(meas, sizeof meas, "\"gait_speed\": %.4f", v);
        break;
    case K_SPPB:
        snprintf(meas, sizeof meas, "\"sppb\": {\"total\": %d}", (int)lround(v));
        break;
    case K_TUG:
        snprintf(meas, sizeof meas, "\"tug\": %.4f", v);
        break;
    case K_W400:
        snprintf(meas, sizeof meas, "\"walk_400m\": %.4f", v);
        break;
    case K_CALF:
        snprintf(meas, sizeof meas, "\"calf\": %.4f", v);
        break;
    case K_SARCF:
        meas[0] = '\0';
        snprintf(top, sizeof top, ", \"sarc_f\": {\"total\": %d}", (int)lround(v));
        break;
    case K_SARCCALF:
        snprintf(meas, sizeof meas, "\"calf\": 30");
        snprintf(top, sizeof top, ", \"sarc_f\": {\"total\": %d}", (int)lround(v) - 10);
        break;
    case K_GRIP_BMI:
        weight = 100;
        snprintf(meas, sizeof meas, "\"grip\": %.4f", 25 * v);
        break;
    case K_ALM_BMI:
        weight = 100;
        snprintf(meas, sizeof meas, "\"asm\": %.4f, \"asm_method\": \"dxa\"", 25 * v);
        break;
    case K_CHAIR_WORD:
        snprintf(meas, sizeof meas, "\"chair_stand_5x\": \"unable\"");
        break;
    case K_W400_WORD:
        snprintf(meas, sizeof meas, "\"walk_400m\": \"not_completed\"");
        break;
    case K_BMI:
        weight = 4 * v;
        break;
    case K_AGE_EDGE:
        weight = 4 * r->fixed;
        age = v;
        break;
    case K_WL6:
        weight = 100 - v;
        snprintf(hist, sizeof hist, "\"weight_6_months_ago\": 100");
        break;
    case K_WL12:
        weight = 100 - v;
        snprintf(hist, sizeof hist, "\"weight_12_months_ago\": 100");
        break;
    case K_CRP:
        snprintf(labs, sizeof labs, "\"crp\": %.4f", v);
        break;
    case K_HB:
        snprintf(labs, sizeof labs, "\"hemoglobin\": %.4f", v);
        break;
    case K_ALB:
        snprintf(labs, sizeof labs, "\"albumin\": %.4f", v);
        break;
    case K_EGFR:
        snprintf(labs, sizeof labs, "\"egfr\": %.4f", v);
        break;
    case K_CK_ULN:
        snprintf(labs, sizeof labs, "\"ck\": %.4f, \"ck_uln\": 100", 100 * v);
        break;
    case K_INTAKE:
        snprintf(hist, sizeof hist, "\"intake_percent_of_usual\": %.4f", v);
        break;
    case K_SESSIONS:
        snprintf(hist, sizeof hist, "\"exercise_sessions_per_week\": %d", (int)lround(v));
        break;
    case K_AGE:
        age = v;
        break;
    case K_YN_APPETITE:
        if (yes >= 0)
            snprintf(hist, sizeof hist, "\"appetite_reduced\": %s", yes ? "true" : "false");
        break;
    case K_YN_FATIGUE:
        if (yes >= 0)
            snprintf(sym, sizeof sym, "\"fatigue\": %s", yes ? "true" : "false");
        break;
    case K_YN_ILLNESS: /* any long-term condition listed */
        if (yes >= 0)
            snprintf(hist, sizeof hist, "\"conditions\": [%s]", yes ? "\"copd\"" : "");
        break;
    case K_YN_CANCER: /* cancer among the conditions; another one alone is "no" */
        if (yes >= 0)
            snprintf(hist, sizeof hist, "\"conditions\": [%s]", yes ? "\"cancer\"" : "\"copd\"");
        break;
    default:
        break;
    }
    if (labs[0])
        snprintf(hist + strlen(hist), sizeof hist - strlen(hist), "%s\"labs\": {%s}",
                 hist[0] ? ", " : "", labs);
    if (hist[0])
        snprintf(extra, sizeof extra, ", \"history\": {%s}", hist);
    if (sym[0])
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), ", \"symptoms\": {%s}", sym);
    if (meas[0])
        snprintf(mpart, sizeof mpart, ", \"measurements\": {%s}", meas);
    snprintf(
        buf, cap,
        "{\"person\": {\"sex\": \"%s\", \"age\": %.4f, \"height\": 200, \"weight\": %.4f}%s%s%s}",
        r->sex, age, weight, top, extra, mpart);
}

/* What one assessment said about one criterion; no allocation survives it,
 * so a failing assertion afterwards (a longjmp) leaks nothing. */
typedef struct outcome {
    int ok;
    int met;
    char op[16];
    double threshold, threshold_high;
    char why[400];
} outcome;

static int read_output(const char *doc, const char *const *paths, int n, jv *out, char *why,
                       size_t cap);

/* The side tables (`triage`, `plan`) are not definitions: their criteria are
 * read from the JSON output, `<table>.criteria.<criterion>`. */
static int side_table(const char *def)
{
    return strcmp(def, "triage") == 0 || strcmp(def, "plan") == 0;
}

static outcome evaluate_json(const char *doc, const char *table, const char *crit)
{
    static const char *const leaf[4] = {"met", "operator", "threshold", "threshold_high"};
    outcome o;
    char p[4][128];
    const char *paths[4];
    jv v[4];
    int i;

    memset(&o, 0, sizeof o);
    for (i = 0; i < 4; i++) {
        snprintf(p[i], sizeof p[i], "%s.criteria.%s.%s", table, crit, leaf[i]);
        paths[i] = p[i];
    }
    if (read_output(doc, paths, 4, v, o.why, sizeof o.why) != 0)
        return o;
    if (v[0].type == JV_NULL) {
        o.met = -1;
    } else if (v[0].type == JV_BOOL) {
        o.met = (int)v[0].num;
    } else {
        snprintf(o.why, sizeof o.why, "%s is %s in the JSON output, expected true, false or null",
                 p[0], v[0].type == JV_MISSING ? "missing" : "not a boolean");
        return o;
    }
    if (v[1].type == JV_STR && strlen(v[1].str) < sizeof o.op)
        memcpy(o.op, v[1].str, strlen(v[1].str) + 1);
    else
        memcpy(o.op, "(missing)", sizeof "(missing)");
    o.threshold = v[2].type == JV_NUM ? v[2].num : NAN;
    /* the upper threshold is written only for "between" */
    o.threshold_high = v[3].type == JV_NUM ? v[3].num : o.threshold;
    o.ok = 1;
    return o;
}

static outcome evaluate(const char *doc, const char *def, const char *crit)
{
    outcome o;
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    mt_criterion_view view;
    int rc;

    if (side_table(def))
        return evaluate_json(doc, def, crit);
    memset(&o, 0, sizeof o);
    memset(&err, 0, sizeof err);
    rc = mt_input_parse_json(&in, doc, strlen(doc), &err);
    if (rc != MT_OK) {
        snprintf(o.why, sizeof o.why, "parse rc %d: %s", rc, err.message);
        return o;
    }
    rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        snprintf(o.why, sizeof o.why, "assess rc %d: %s", rc, err.message);
        mt_input_free(in);
        return o;
    }
    memset(&view, 0, sizeof view);
    rc = mt_result_criterion(res, def, crit, &view);
    if (rc != MT_OK) {
        snprintf(o.why, sizeof o.why, "mt_result_criterion(%s, %s) rc %d", def, crit, rc);
    } else {
        o.ok = 1;
        o.met = view.met;
        snprintf(o.op, sizeof o.op, "%s", view.op ? view.op : "(null)");
        o.threshold = view.threshold;
        o.threshold_high = view.threshold_high;
    }
    mt_result_free(res);
    mt_input_free(in);
    return o;
}

static const char *met_str(int met)
{
    return met == 1 ? "met" : met == 0 ? "not met" : "unknown";
}

/* Assess the row at `v`; fail unless `met` is `want` and the applied rule has
 * the REFERENCE operator and threshold `thr`. */
static void check_value(const rule_row *r, double v, int want, const char *op, double thr,
                        double thr_high)
{
    char doc[DOC_CAP], val[32];
    outcome o;

    if (is_yes_no(r->kind))
        snprintf(val, sizeof val, "answer %s", v > 0 ? "yes" : v == 0 ? "no" : "absent");
    else
        snprintf(val, sizeof val, "value %.4f", v);
    build_doc(doc, sizeof doc, r, v);
    o = evaluate(doc, r->def, r->crit);
    if (!o.ok)
        fail_msg("%s, %s: %s\n  document: %s", r->name, val, o.why, doc);
    if (o.met != want)
        fail_msg("%s: %s is %s, expected %s\n  document: %s", r->name, val, met_str(o.met),
                 met_str(want), doc);
    if (strcmp(o.op, op) != 0)
        fail_msg("%s: the engine applied operator \"%s\", REFERENCE says \"%s\"", r->name, o.op,
                 op);
    if (!(fabs(o.threshold - thr) <= 1e-9))
        fail_msg("%s: the engine applied threshold %g, REFERENCE says %g", r->name, o.threshold,
                 thr);
    if (!(fabs(o.threshold_high - thr_high) <= 1e-9))
        fail_msg("%s: the engine applied upper threshold %g, REFERENCE says %g", r->name,
                 o.threshold_high, thr_high);
}

static void test_rule_row(void **state)
{
    const rule_row *r = *state;
    const double d = r->delta;
    char doc[DOC_CAP];
    outcome o;

    switch (r->kind) {
    case K_CHAIR_WORD:
    case K_W400_WORD:
        /* "unable" / "not completed" meets the criterion (REFERENCE §7) */
        build_doc(doc, sizeof doc, r, 0);
        o = evaluate(doc, r->def, r->crit);
        if (!o.ok)
            fail_msg("%s: %s\n  document: %s", r->name, o.why, doc);
        if (o.met != 1)
            fail_msg("%s: %s, expected met\n  document: %s", r->name, met_str(o.met), doc);
        return;
    case K_BMI_EDGE:
        /* Strata are half-open on their upper edge: BMI == edge is still the
         * lower stratum, whose grip cut-off is the stricter one. */
        check_value(r, r->t - d, 0, "<=", r->thr_at, r->thr_at);
        check_value(r, r->t, 0, "<=", r->thr_at, r->thr_at);
        check_value(r, r->t + d, 1, "<=", r->thr_above, r->thr_above);
        return;
    case K_AGE_EDGE:
        /* the younger group's cut-off below the edge, the older group's from it on */
        check_value(r, r->t - d, r->fixed < r->thr_at, "<", r->thr_at, r->thr_at);
        check_value(r, r->t, r->fixed < r->thr_above, "<", r->thr_above, r->thr_above);
        check_value(r, r->t + d, r->fixed < r->thr_above, "<", r->thr_above, r->thr_above);
        return;
    default:
        break;
    }
    if (is_yes_no(r->kind)) {
        if (strcmp(r->op, "is") != 0 || r->t != 1)
            fail_msg("%s: a yes/no row must be \"is 1\" in the test table", r->name);
        check_value(r, 1, 1, "is", 1, 1);   /* yes: met */
        check_value(r, 0, 0, "is", 1, 1);   /* no: not met */
        check_value(r, -1, -1, "is", 1, 1); /* not asked: unknown (null) */
        return;
    }
    if (strcmp(r->op, "between") == 0) {
        double e = r->edge ? r->t_high : r->t;
        int inside_below = r->edge ? 1 : 0; /* lo <= g < hi */
        check_value(r, e - d, inside_below, "between", r->t, r->t_high);
        check_value(r, e, !r->edge, "between", r->t, r->t_high);
        check_value(r, e + d, !r->edge, "between", r->t, r->t_high);
        return;
    }
    {
        int below, at, above;
        if (strcmp(r->op, "<") == 0) {
            below = 1, at = 0, above = 0;
        } else if (strcmp(r->op, "<=") == 0) {
            below = 1, at = 1, above = 0;
        } else if (strcmp(r->op, ">") == 0) {
            below = 0, at = 0, above = 1;
        } else if (strcmp(r->op, ">=") == 0) {
            below = 0, at = 1, above = 1;
        } else {
            fail_msg("%s: bad operator %s in the test table", r->name, r->op);
            return;
        }
        check_value(r, r->t - d, below, r->op, r->t, r->t);
        check_value(r, r->t, at, r->op, r->t, r->t);
        check_value(r, r->t + d, above, r->op, r->t, r->t);
    }
}

static void name_row(rule_row *r)
{
    const char *any = r->cov_sex && strcmp(r->cov_sex, "any") == 0 ? " (any sex)" : "";

    if (r->kind == K_CHAIR_WORD)
        snprintf(r->name, sizeof r->name, "%s.%s.%s \"unable\" -> met", r->def, r->crit, r->sex);
    else if (r->kind == K_W400_WORD)
        snprintf(r->name, sizeof r->name, "%s.%s.%s \"not_completed\" -> met", r->def, r->crit,
                 r->sex);
    else if (r->kind == K_BMI_EDGE)
        snprintf(r->name, sizeof r->name,
                 "%s.%s.%s BMI edge %g (grip %g: <= %g at/below, <= %g above)", r->def, r->crit,
                 r->sex, r->t, r->fixed, r->thr_at, r->thr_above);
    else if (strcmp(r->op, "between") == 0)
        snprintf(r->name, sizeof r->name, "%s.%s.%s %g <= g < %g (%s edge)", r->def, r->crit,
                 r->sex, r->t, r->t_high, r->edge ? "upper" : "lower");
    else if (r->kind == K_AGE_EDGE)
        snprintf(r->name, sizeof r->name,
                 "%s.%s.%s age edge %g (BMI %g: < %g below, < %g at/above)", r->def, r->crit,
                 r->sex, r->t, r->fixed, r->thr_at, r->thr_above);
    else if (is_yes_no(r->kind))
        snprintf(r->name, sizeof r->name, "%s.%s.%s is yes (yes/no/absent -> met/not met/null)",
                 r->def, r->crit, r->sex);
    else if (r->kind == K_GRIP_STRATUM)
        snprintf(r->name, sizeof r->name, "%s.%s.%s [%s, BMI %g] %s %g", r->def, r->crit, r->sex,
                 r->cond, r->fixed, r->op, r->t);
    else if (r->cond[0])
        snprintf(r->name, sizeof r->name, "%s.%s.%s [%s] %s %g", r->def, r->crit, r->sex, r->cond,
                 r->op, r->t);
    else
        snprintf(r->name, sizeof r->name, "%s.%s.%s %s %g%s", r->def, r->crit, r->sex, r->op, r->t,
                 any);
}

/* ---- screening rows, read from the JSON output ---------------------------- */

typedef struct scr_row scr_row;
struct scr_row {
    const char *crit;    /* engine criterion id in the `screening` table */
    const char *cov_sex; /* the engine row covered */
    const char *op;
    double t;
    const char *sex;         /* the person tested */
    const char *path;        /* dotted JSON path of the verdict */
    const char *verdict_obj; /* object holding operator/threshold, or NULL */
    const char *score_path;  /* the score compared, or NULL */
    void (*build)(const scr_row *, int i, char *buf, size_t cap);
    double score[3];  /* below, at, above */
    double expect[3]; /* true 1 / false 0, or a number (calf points) */
    char name[128];
};

static void doc_with(char *buf, size_t cap, const char *sex, double age, const char *top,
                     const char *meas)
{
    snprintf(buf, cap,
             "{\"person\": {\"sex\": \"%s\", \"age\": %.4f, \"height\": 170, \"weight\": 70}%s, "
             "\"measurements\": {%s}}",
             sex, age, top, meas);
}

static void build_sarcf(const scr_row *s, int i, char *buf, size_t cap)
{
    char top[64];
    snprintf(top, sizeof top, ", \"sarc_f\": {\"total\": %d}", (int)lround(s->score[i]));
    doc_with(buf, cap, s->sex, 70, top, "");
}

/* calf 30 cm is below both sexes' thresholds: SARC-CalF = SARC-F + 10 */
static void build_sarccalf(const scr_row *s, int i, char *buf, size_t cap)
{
    char top[64];
    snprintf(top, sizeof top, ", \"sarc_f\": {\"total\": %d}", (int)lround(s->score[i]) - 10);
    doc_with(buf, cap, s->sex, 70, top, "\"calf\": 30");
}

/* SARC-F 0 and the calf around the sex threshold: calf points 10 or 0. */
static void build_calf_points(const scr_row *s, int i, char *buf, size_t cap)
{
    char meas[64];
    snprintf(meas, sizeof meas, "\"calf\": %.4f", s->score[i]);
    doc_with(buf, cap, s->sex, 70, ", \"sarc_f\": {\"total\": 0}", meas);
}

/* Ishii (REFERENCE §3), inputs solved by hand for exact scores:
 *   men   0.62(age-64) - 3.09(grip-50) - 4.64(calf-42)
 *     age 75, grip 37, calf 29.5: 6.82 + 40.17 + 58    = 104.99
 *     age 80, grip 38, calf 29.5: 9.92 + 37.08 + 58    = 105.00
 *     age 85, grip 39, calf 29.5: 13.02 + 33.99 + 58   = 105.01
 *   women 0.80(age-64) - 5.09(grip-34) - 3.28(calf-42)
 *     age 70, grip 18.2, calf 31.4: 4.8 + 80.422 + 34.768 = 119.99
 *     age 70, grip 22,   calf 25.5: 4.8 + 61.08 + 54.12   = 120.00
 *     age 78, grip 21,   calf 29:   11.2 + 66.17 + 42.64  = 120.01 */
static void build_ishii(const scr_row *s, int i, char *buf, size_t cap)
{
    static const double men[3][3] = {{75, 37, 29.5}, {80, 38, 29.5}, {85, 39, 29.5}};
    static const double women[3][3] = {{70, 18.2, 31.4}, {70, 22, 25.5}, {78, 21, 29}};
    const double *p = strcmp(s->sex, "male") == 0 ? men[i] : women[i];
    char meas[96];

    snprintf(meas, sizeof meas, "\"grip\": %.4f, \"calf\": %.4f", p[1], p[2]);
    doc_with(buf, cap, s->sex, p[0], "", meas);
}

static void build_tug(const scr_row *s, int i, char *buf, size_t cap)
{
    char meas[64];
    snprintf(meas, sizeof meas, "\"tug\": %.4f", s->score[i]);
    doc_with(buf, cap, s->sex, 70, "", meas);
}

static void build_6mw(const scr_row *s, int i, char *buf, size_t cap)
{
    char meas[64];
    snprintf(meas, sizeof meas, "\"six_minute_walk\": %.4f", s->score[i]);
    doc_with(buf, cap, s->sex, 70, "", meas);
}

static void build_gait(const scr_row *s, int i, char *buf, size_t cap)
{
    char meas[64];
    snprintf(meas, sizeof meas, "\"gait_speed\": %.4f", s->score[i]);
    doc_with(buf, cap, s->sex, 70, "", meas);
}

#define SCR(c, cov, o, th, sx, p, vo, sp, b, s0, s1, s2, e0, e1, e2)                               \
    {                                                                                              \
        .crit = c, .cov_sex = cov, .op = o, .t = th, .sex = sx, .path = p, .verdict_obj = vo,      \
        .score_path = sp, .build = b, .score = {s0, s1, s2}, .expect = {                           \
            e0,                                                                                    \
            e1,                                                                                    \
            e2                                                                                     \
        }                                                                                          \
    }

/* REFERENCE §3 and §4: below, at, above the cut-off. */
static scr_row scr_rows[] = {
    /* SARC-F positive if >= 4 */
    SCR("sarc_f_positive", "any", ">=", 4, "male", "screening.sarc_f.positive", "screening.sarc_f",
        "screening.sarc_f.score", build_sarcf, 3, 4, 5, 0, 1, 1),
    SCR("sarc_f_positive", "any", ">=", 4, "female", "screening.sarc_f.positive",
        "screening.sarc_f", "screening.sarc_f.score", build_sarcf, 3, 4, 5, 0, 1, 1),
    /* SARC-CalF: +10 when calf < 34 men / < 33 women (strict, engine convention) */
    SCR("sarc_calf_calf_points", "male", "<", 34, "male", "screening.sarc_calf.calf_points", NULL,
        "screening.sarc_calf.score", build_calf_points, 33.99, 34, 34.01, 10, 0, 0),
    SCR("sarc_calf_calf_points", "female", "<", 33, "female", "screening.sarc_calf.calf_points",
        NULL, "screening.sarc_calf.score", build_calf_points, 32.99, 33, 33.01, 10, 0, 0),
    /* SARC-CalF positive if >= 11 */
    SCR("sarc_calf_positive", "any", ">=", 11, "male", "screening.sarc_calf.positive",
        "screening.sarc_calf", "screening.sarc_calf.score", build_sarccalf, 10, 11, 12, 0, 1, 1),
    SCR("sarc_calf_positive", "any", ">=", 11, "female", "screening.sarc_calf.positive",
        "screening.sarc_calf", "screening.sarc_calf.score", build_sarccalf, 10, 11, 12, 0, 1, 1),
    /* Ishii positive if >= 105 men, >= 120 women */
    SCR("ishii_positive", "male", ">=", 105, "male", "screening.ishii.positive", "screening.ishii",
        "screening.ishii.score", build_ishii, 104.99, 105, 105.01, 0, 1, 1),
    SCR("ishii_positive", "female", ">=", 120, "female", "screening.ishii.positive",
        "screening.ishii", "screening.ishii.score", build_ishii, 119.99, 120, 120.01, 0, 1, 1),
    /* TUG fall risk if >= 13.5 s (Shumway-Cook) */
    SCR("tug_fall_risk", "any", ">=", 13.5, "male", "tests.tug.fall_risk", "tests.tug",
        "tests.tug.value", build_tug, 13.49, 13.5, 13.51, 0, 1, 1),
    SCR("tug_fall_risk", "any", ">=", 13.5, "female", "tests.tug.fall_risk", "tests.tug",
        "tests.tug.value", build_tug, 13.49, 13.5, 13.51, 0, 1, 1),
    /* SCWD 2011 limited mobility: 6MWD < 400 m or gait <= 1.0 m/s */
    SCR("scwd_short_6mw", "any", "<", 400, "male",
        "tests.six_minute_walk.scwd_limited_mobility.short_distance", NULL,
        "tests.six_minute_walk.value", build_6mw, 399.99, 400, 400.01, 1, 0, 0),
    SCR("scwd_short_6mw", "any", "<", 400, "female",
        "tests.six_minute_walk.scwd_limited_mobility.short_distance", NULL,
        "tests.six_minute_walk.value", build_6mw, 399.99, 400, 400.01, 1, 0, 0),
    SCR("scwd_slow_gait", "any", "<=", 1.0, "male",
        "tests.six_minute_walk.scwd_limited_mobility.slow_gait", NULL, "tests.gait_speed",
        build_gait, 0.999, 1.0, 1.001, 1, 1, 0),
    SCR("scwd_slow_gait", "any", "<=", 1.0, "female",
        "tests.six_minute_walk.scwd_limited_mobility.slow_gait", NULL, "tests.gait_speed",
        build_gait, 0.999, 1.0, 1.001, 1, 1, 0),
};
#define N_SCR (sizeof(scr_rows) / sizeof(scr_rows[0]))

/* Assess `doc`, render it as JSON and read `n` paths; nothing allocated
 * survives the call. Returns 0, or -1 with `why` filled. */
static int read_output(const char *doc, const char *const *paths, int n, jv *out, char *why,
                       size_t cap)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    char *text = NULL;
    size_t len = 0;
    json_t *root;
    json_error_t je;
    int i, rc;

    memset(&err, 0, sizeof err);
    rc = mt_input_parse_json(&in, doc, strlen(doc), &err);
    if (rc != MT_OK) {
        snprintf(why, cap, "parse rc %d: %s", rc, err.message);
        return -1;
    }
    rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        snprintf(why, cap, "assess rc %d", rc);
        mt_input_free(in);
        return -1;
    }
    rc = mt_result_render_json(res, &text, &len);
    mt_result_free(res);
    mt_input_free(in);
    if (rc != MT_OK) {
        snprintf(why, cap, "render rc %d", rc);
        mt_free(text);
        return -1;
    }
    root = json_loadb(text, len, 0, &je);
    mt_free(text);
    if (!root) {
        snprintf(why, cap, "output is not JSON: %s", je.text);
        return -1;
    }
    for (i = 0; i < n; i++)
        out[i] = json_at(root, paths[i]);
    json_decref(root);
    return 0;
}

static void test_screening_row(void **state)
{
    const scr_row *s = *state;
    int i;

    for (i = 0; i < 3; i++) {
        char doc[DOC_CAP], why[400], opath[160], tpath[160];
        const char *paths[4];
        jv v[4];
        int n = 1;

        s->build(s, i, doc, sizeof doc);
        paths[0] = s->path;
        paths[1] = s->score_path ? s->score_path : s->path;
        n = 2;
        if (s->verdict_obj) {
            snprintf(opath, sizeof opath, "%s.operator", s->verdict_obj);
            snprintf(tpath, sizeof tpath, "%s.threshold", s->verdict_obj);
            paths[2] = opath;
            paths[3] = tpath;
            n = 4;
        }
        if (read_output(doc, paths, n, v, why, sizeof why) != 0)
            fail_msg("%s: %s\n  document: %s", s->name, why, doc);
        if (v[0].type != JV_BOOL && v[0].type != JV_NUM)
            fail_msg("%s: %s is %s, expected a value\n  document: %s", s->name, s->path,
                     v[0].type == JV_NULL ? "null" : "missing", doc);
        if (v[0].num != s->expect[i])
            fail_msg("%s: at %.4f, %s = %g, expected %g\n  document: %s", s->name, s->score[i],
                     s->path, v[0].num, s->expect[i], doc);
        if (s->score_path) {
            if (v[1].type != JV_NUM)
                fail_msg("%s: %s is not a number\n  document: %s", s->name, s->score_path, doc);
            /* SARC-CalF score around the calf threshold: SARC-F 0 + calf points */
            assert_close(v[1].num, s->build == build_calf_points ? s->expect[i] : s->score[i],
                         0.0001);
        }
        if (s->verdict_obj) {
            if (v[2].type != JV_STR || strcmp(v[2].str, s->op) != 0)
                fail_msg("%s: %s is \"%s\", REFERENCE says \"%s\"", s->name, opath, v[2].str,
                         s->op);
            if (v[3].type != JV_NUM || fabs(v[3].num - s->t) > 1e-9)
                fail_msg("%s: %s is %g, REFERENCE says %g", s->name, tpath, v[3].num, s->t);
        }
    }
}

static void name_scr(scr_row *s)
{
    snprintf(s->name, sizeof s->name, "screening.%s.%s %s %g (%s at %g/%g/%g)", s->crit, s->sex,
             s->op, s->t, s->path, s->score[0], s->score[1], s->score[2]);
}

/* ---- completeness: every engine rule row has a boundary test here ---------- */

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-9;
}

static void test_every_engine_rule_is_covered(void **state)
{
    size_t n = mt_rule_count(), i, k;
    int problems = 0;

    (void)state;
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        mt_rule_view v;
        int found = 0;

        memset(&v, 0, sizeof v);
        assert_int_equal(mt_rule_at(i, &v), MT_OK);
        assert_non_null(v.definition);
        assert_non_null(v.criterion);
        assert_non_null(v.sex);
        assert_non_null(v.op);
        assert_non_null(v.condition);

        /* Every row cites a known source and carries a known status. */
        if (!v.source || !v.source[0]) {
            print_error("rule %zu %s.%s.%s: empty source\n", i, v.definition, v.criterion, v.sex);
            problems++;
        } else if (!mt_source_citation(v.source)) {
            print_error("rule %zu %s.%s.%s: source \"%s\" has no citation\n", i, v.definition,
                        v.criterion, v.sex, v.source);
            problems++;
        }
        if (!v.status ||
            (strcmp(v.status, "confirmed") != 0 && strcmp(v.status, "to_confirm") != 0 &&
             strcmp(v.status, "convention") != 0)) {
            print_error("rule %zu %s.%s.%s: status \"%s\"\n", i, v.definition, v.criterion, v.sex,
                        v.status ? v.status : "(null)");
            problems++;
        }

        /* The tracking table's rows compare a history (two assessments, the
         * sessions logged), not one document: test_tracking.c tests each at,
         * below and above its value, and checks this completeness for them. */
        if (strcmp(v.definition, "tracking") == 0)
            continue;
        if (strcmp(v.definition, "screening") == 0) {
            for (k = 0; k < N_SCR && !found; k++) {
                const scr_row *s = &scr_rows[k];
                if (strcmp(s->crit, v.criterion) != 0 || strcmp(s->cov_sex, v.sex) != 0)
                    continue;
                found = 1;
                if (strcmp(s->op, v.op) != 0 || !same(s->t, v.threshold)) {
                    print_error("rule %zu screening.%s.%s: engine %s %g, REFERENCE %s %g\n", i,
                                v.criterion, v.sex, v.op, v.threshold, s->op, s->t);
                    problems++;
                }
            }
        } else {
            for (k = 0; k < N_ROWS_ && !found; k++) {
                const rule_row *r = &rows[k];
                if (!r->cov_sex || strcmp(r->def, v.definition) != 0 ||
                    strcmp(r->crit, v.criterion) != 0 || strcmp(r->cov_sex, v.sex) != 0 ||
                    strcmp(r->cond, v.condition) != 0)
                    continue;
                found = 1;
                if (strcmp(v.op, "is") == 0 && !is_yes_no(r->kind)) {
                    print_error("rule %zu %s.%s.%s: a yes/no row needs a yes/no test\n", i,
                                v.definition, v.criterion, v.sex);
                    problems++;
                }
                if (strcmp(r->op, v.op) != 0 || !same(r->t, v.threshold) ||
                    !same(r->t_high, v.threshold_high)) {
                    print_error("rule %zu %s.%s.%s [%s]: engine %s %g..%g, REFERENCE %s "
                                "%g..%g\n",
                                i, v.definition, v.criterion, v.sex, v.condition, v.op, v.threshold,
                                v.threshold_high, r->op, r->t, r->t_high);
                    problems++;
                }
            }
        }
        if (!found) {
            print_error("rule %zu %s.%s.%s [%s] %s %g has no boundary test in test_rules.c\n", i,
                        v.definition, v.criterion, v.sex, v.condition, v.op, v.threshold);
            problems++;
        }
    }
    assert_int_equal(mt_rule_at(n, &(mt_rule_view){0}), MT_EINVAL);
    if (problems)
        fail_msg("%d problem(s) with the engine's rule rows (listed above)", problems);
}

/* The reverse direction: every row here names a criterion the engine has. */
static void test_every_table_row_exists_in_engine(void **state)
{
    size_t n = mt_rule_count(), i, k;
    int problems = 0;

    (void)state;
    for (k = 0; k < N_ROWS_; k++) {
        const rule_row *r = &rows[k];
        int found = 0;
        for (i = 0; i < n && !found; i++) {
            mt_rule_view v;
            assert_int_equal(mt_rule_at(i, &v), MT_OK);
            found = strcmp(v.definition, r->def) == 0 && strcmp(v.criterion, r->crit) == 0 &&
                    (strcmp(v.sex, r->sex) == 0 || strcmp(v.sex, "any") == 0);
        }
        if (!found) {
            print_error("%s: no such rule row in the engine\n", r->name);
            problems++;
        }
    }
    if (problems)
        fail_msg("%d table row(s) without an engine rule", problems);
}

int main(void)
{
    size_t n = N_ROWS_ + N_SCR + 2, i, t = 0;
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int failed;

    if (!tests)
        return 1;
    for (i = 0; i < N_ROWS_; i++) {
        name_row(&rows[i]);
        tests[t].name = rows[i].name;
        tests[t].test_func = test_rule_row;
        tests[t].initial_state = &rows[i];
        t++;
    }
    for (i = 0; i < N_SCR; i++) {
        name_scr(&scr_rows[i]);
        tests[t].name = scr_rows[i].name;
        tests[t].test_func = test_screening_row;
        tests[t].initial_state = &scr_rows[i];
        t++;
    }
    tests[t].name = "completeness: every engine rule row has a boundary test";
    tests[t].test_func = test_every_engine_rule_is_covered;
    t++;
    tests[t].name = "completeness: every tested rule exists in the engine";
    tests[t].test_func = test_every_table_row_exists_in_engine;
    t++;
    failed = _cmocka_run_group_tests("rules", tests, t, NULL, NULL);
    free(tests);
    return failed;
}
