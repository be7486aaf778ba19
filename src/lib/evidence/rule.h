/*
 * rule.h - clinical thresholds as data rows, and the one interpreter that
 * evaluates them and records the evidence trace.
 *
 * A row says: under definition D, criterion C for sex S is met when measure M
 * <op> threshold (optionally only under a condition such as "measured by DXA"
 * or "BMI <= 24"), per source X with status confirmed / to_confirm /
 * convention. Definitions (src/lib/definitions/) are tables of such rows plus
 * a short function that turns the criteria into a category.
 */
#ifndef MT_RULE_H
#define MT_RULE_H

#include "input/input.h"

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE, OP_BETWEEN, OP_IS } mt_op; /* OP_IS: yes/no equals */
typedef enum { ST_CONFIRMED, ST_TO_CONFIRM, ST_CONVENTION } mt_status;
enum { SEX_ANY = 2 }; /* beside MT_FEMALE, MT_MALE */

/* The measures rules compare. Values are computed once per assessment by the
 * engine (engine/assess.c) into an array indexed by these. */
typedef enum {
    M_GRIP,
    M_CHAIR5X,
    M_ASM,
    M_ASMI,
    M_GAIT,
    M_SPPB,
    M_TUG,
    M_W400,
    M_SIX_MW,
    M_CALF,
    M_SARCF,
    M_SARCCALF,
    M_ISHII,
    M_GRIP_BMI,
    M_ALM_BMI,
    M_BMI,
    /* history, labs and what the person reports (measures/history.c) */
    M_AGE,
    M_WEIGHT_LOSS_6M,  /* % of the weight 6 months ago */
    M_WEIGHT_LOSS_12M, /* % of the weight 12 months ago */
    M_CK_ULN,          /* CK as a multiple of the lab's upper limit of normal */
    M_CRP,
    M_HEMOGLOBIN,
    M_ALBUMIN,
    M_EGFR,
    M_INTAKE,   /* % of usual food intake */
    M_SESSIONS, /* exercise sessions a week */
    M_ILLNESS,  /* yes/no: a muscle-wasting chronic illness (HX_WASTING_ILLNESSES) */
    M_CANCER,   /* yes/no */
    M_ANOREXIA, /* yes/no: appetite reduced */
    M_FATIGUE,  /* yes/no */
    /* tracking (tracking/): what a follow-up compares; never computed by mt_assess */
    M_PAIN,             /* pain reported, 0-10 */
    M_EFFORT,           /* a session's rating of perceived exertion, 1-10 */
    M_REPS_OVER_TARGET, /* repetitions of the last set above the top of the target range */
    M_LOAD_INCREASE,    /* % added to the load */
    M_HOLD,             /* seconds a hold was kept */
    M_FUNCTION_DROP,    /* % a function test got worse between two assessments */
    M_N
} mt_measure;

/* Conditions a row may carry. */
typedef enum {
    COND_NONE,
    COND_DXA,     /* ASM measured by DXA */
    COND_BIA,     /* ASM estimated by BIA */
    COND_BMI_MAX, /* BMI <= cond_value (first matching row wins) */
    COND_AGE_LT,  /* age < cond_value */
    COND_AGE_GE,  /* age >= cond_value */
} mt_cond;

/* What a criterion counts towards in its definition. */
typedef enum {
    ROLE_STRENGTH,
    ROLE_MASS,
    ROLE_PERFORMANCE,
    ROLE_CASE_FINDING, /* reported beside; never changes the category */
    ROLE_EXTRA,        /* alternative or informative; never changes the category */
    ROLE_SCREEN,
    ROLE_PHENOTYPE, /* GLIM phenotypic criterion; Fearon/Evans weight criteria */
    ROLE_ETIOLOGY,  /* GLIM etiologic criterion */
    ROLE_SEVERITY,  /* GLIM severity; Evans's "3 of 5" features */
    ROLE_FLAG       /* triage and plan rows: decide a warning sign or a plan choice */
} mt_role;

#define RULE_UNABLE_MEETS 1u /* "unable" / "not completed" meets the criterion */

typedef struct mt_rule {
    int crit;          /* index of the criterion in its definition's name list */
    unsigned char sex; /* MT_FEMALE, MT_MALE or SEX_ANY */
    unsigned char measure;
    unsigned char cond;
    unsigned char op;
    double cond_value;
    double threshold, threshold_high;
    unsigned char role;
    unsigned char flags;
    unsigned char status;
    const char *source;
    const char *cond_text; /* the condition as shown: "asm_method=dxa", "bmi<=24" */
} mt_rule;

/* The outcome of one criterion: the trace every output shows. */
typedef struct mt_crit {
    const mt_rule *rule;  /* the row applied; NULL when no row's condition could be decided */
    const mt_rule *shown; /* the row whose operator and unit are shown (first for the sex) */
    signed char met;      /* 1, 0, -1 unknown */
    unsigned char state;  /* MT_Q_* of the value compared */
    double value;
} mt_crit;

/** Evaluate one comparison exactly as the row says. */
int mt_rule_compare(const mt_rule *r, double v);

/** Names used in views and outputs. */
const char *mt_op_str(int op);
const char *mt_status_str(int status);
const char *mt_measure_name(int measure);
const char *mt_measure_unit(int measure);
int mt_measure_is_flag(int measure); /* yes/no measures: value 1 or 0, operator "is" */

/** The full citation of a source ID, or NULL (evidence/sources.c). */
const char *mt_source_lookup(const char *id);

#endif
