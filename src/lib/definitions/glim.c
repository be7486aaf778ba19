/*
 * glim.c - GLIM malnutrition (Cederholm 2019), REFERENCE §8.
 *
 * At least one phenotypic criterion (weight loss > 5 % in 6 months or > 10 %
 * beyond; low BMI for age; reduced muscle mass) and one etiologic criterion
 * (intake <= 50 % of need; inflammation or disease burden). Severe (stage 2):
 * weight loss > 10 % in 6 months or > 20 % beyond, or BMI < 18.5 (< 70 y) /
 * < 20 (>= 70 y); otherwise moderate (stage 1). Each group of alternatives
 * is OR-ed as in REFERENCE §1. Conventions (docs/conventions.md): reduced
 * muscle mass uses the EWGSOP2 ASMI cut-offs; inflammation is CRP > 5 mg/L
 * (Evans 2008); the 12-month weight stands for "beyond 6 months"; the
 * intake's duration is not asked and is taken as lasting; the Asian BMI
 * cut-offs are not applied (the document has no population field).
 */
#include "definitions/definition.h"

enum {
    WEIGHT_LOSS_6M,
    WEIGHT_LOSS_12M,
    LOW_BMI,
    REDUCED_MUSCLE_MASS,
    REDUCED_INTAKE,
    DISEASE_BURDEN,
    INFLAMMATION,
    SEVERE_WEIGHT_LOSS_6M,
    SEVERE_WEIGHT_LOSS_12M,
    SEVERE_LOW_BMI,
    N_CRIT
};

static const char *const criteria[N_CRIT] = {
    "weight_loss_6m", "weight_loss_12m",       "low_bmi",
    "reduced_muscle_mass", "reduced_intake",   "disease_burden",
    "inflammation",   "severe_weight_loss_6m", "severe_weight_loss_12m",
    "severe_low_bmi",
};

static const mt_rule rules[] = {
    RULE(WEIGHT_LOSS_6M, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GT, 5, ROLE_PHENOTYPE, "GLIM",
         ST_CONFIRMED),
    /* "beyond 6 months" read from the weight 12 months ago: a convention */
    RULE(WEIGHT_LOSS_12M, SEX_ANY, M_WEIGHT_LOSS_12M, OP_GT, 10, ROLE_PHENOTYPE, "GLIM",
         ST_CONVENTION),
    RULE_IF(LOW_BMI, SEX_ANY, M_BMI, COND_AGE_LT, 70, "age<70", OP_LT, 20, ROLE_PHENOTYPE, "GLIM",
            ST_CONFIRMED),
    RULE_IF(LOW_BMI, SEX_ANY, M_BMI, COND_AGE_GE, 70, "age>=70", OP_LT, 22, ROLE_PHENOTYPE, "GLIM",
            ST_CONFIRMED),
    RULE(REDUCED_MUSCLE_MASS, MT_MALE, M_ASMI, OP_LT, 7.0, ROLE_PHENOTYPE, "EWGSOP2",
         ST_CONVENTION),
    RULE(REDUCED_MUSCLE_MASS, MT_FEMALE, M_ASMI, OP_LT, 5.5, ROLE_PHENOTYPE, "EWGSOP2",
         ST_CONVENTION),
    RULE(REDUCED_INTAKE, SEX_ANY, M_INTAKE, OP_LE, 50, ROLE_ETIOLOGY, "GLIM", ST_CONFIRMED),
    RULE(DISEASE_BURDEN, SEX_ANY, M_ILLNESS, OP_IS, 1, ROLE_ETIOLOGY, "GLIM", ST_CONFIRMED),
    RULE(INFLAMMATION, SEX_ANY, M_CRP, OP_GT, 5, ROLE_ETIOLOGY, "EVANS", ST_CONVENTION),
    RULE(SEVERE_WEIGHT_LOSS_6M, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GT, 10, ROLE_SEVERITY, "GLIM",
         ST_TO_CONFIRM),
    RULE(SEVERE_WEIGHT_LOSS_12M, SEX_ANY, M_WEIGHT_LOSS_12M, OP_GT, 20, ROLE_SEVERITY, "GLIM",
         ST_TO_CONFIRM),
    RULE_IF(SEVERE_LOW_BMI, SEX_ANY, M_BMI, COND_AGE_LT, 70, "age<70", OP_LT, 18.5, ROLE_SEVERITY,
            "GLIM", ST_TO_CONFIRM),
    RULE_IF(SEVERE_LOW_BMI, SEX_ANY, M_BMI, COND_AGE_GE, 70, "age>=70", OP_LT, 20, ROLE_SEVERITY,
            "GLIM", ST_TO_CONFIRM),
};

static const char *const categories[] = {"no_malnutrition", "moderate", "severe",
                                         "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_glim = {
    .id = "glim",
    .name = "GLIM",
    .title = "Global Leadership Initiative on Malnutrition (Cederholm 2019)",
    .source = "GLIM",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

#define MISSING_PHENOTYPE "history.weight_6_months_ago or person.height or asm or bia"
#define MISSING_ETIOLOGY  "history.intake_percent_of_usual or history.conditions or history.labs.crp"
#define MISSING_SEVERITY  "history.weight_6_months_ago or person.height"

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int domain[MT_N_ROLES];
    int phenotype, etiology, severity;

    mt_domains(&mt_glim, r, domain); /* one walk for the three roles */
    phenotype = domain[ROLE_PHENOTYPE];
    etiology = domain[ROLE_ETIOLOGY];
    severity = domain[ROLE_SEVERITY];

    (void)in;
    (void)m;
    if (phenotype == D_NOT_LOW || etiology == D_NOT_LOW) {
        r->category = "no_malnutrition";
        return;
    }
    if (phenotype == D_LOW && etiology == D_LOW) {
        if (severity == D_LOW) {
            r->category = "severe";
        } else if (severity == D_NOT_LOW) {
            r->category = "moderate";
        } else {
            r->category = "insufficient_data";
            mt_add_missing(r, MISSING_SEVERITY);
        }
        return;
    }
    r->category = "insufficient_data";
    if (phenotype == D_UNKNOWN)
        mt_add_missing(r, MISSING_PHENOTYPE);
    if (etiology == D_UNKNOWN)
        mt_add_missing(r, MISSING_ETIOLOGY);
}
