/*
 * evans2008.c - cachexia in chronic illness (Evans 2008), REFERENCE §8.
 *
 * An underlying illness and weight loss >= 5 % in 12 months or less (or a
 * BMI < 20), plus at least 3 of 5: low strength, fatigue, anorexia, low
 * fat-free mass index, abnormal biochemistry (CRP > 5 mg/L, Hb < 12 g/dL or
 * albumin < 3.2 g/dL; IL-6 is not an input). Conventions (docs/conventions.md):
 * low strength uses the EWGSOP2 grip cut-offs, since REFERENCE gives Evans's
 * "lowest tertile" no number; the low fat-free mass index uses the ASMI
 * cut-offs REFERENCE gives for Fearon 2011, which Evans 2008 shares.
 */
#include "definitions/definition.h"

enum {
    ILLNESS,
    WEIGHT_LOSS_12M,
    WEIGHT_LOSS_6M,
    LOW_BMI,
    LOW_STRENGTH,
    FATIGUE,
    ANOREXIA,
    LOW_FFMI,
    HIGH_CRP,
    LOW_HEMOGLOBIN,
    LOW_ALBUMIN,
    N_CRIT
};

static const char *const criteria[N_CRIT] = {
    "illness",  "weight_loss_12m", "weight_loss_6m", "low_bmi",        "low_strength", "fatigue",
    "anorexia", "low_ffmi",        "high_crp",       "low_hemoglobin", "low_albumin",
};

static const mt_rule rules[] = {
    RULE(ILLNESS, SEX_ANY, M_ILLNESS, OP_IS, 1, ROLE_ETIOLOGY, "EVANS", ST_CONFIRMED),
    RULE(WEIGHT_LOSS_12M, SEX_ANY, M_WEIGHT_LOSS_12M, OP_GE, 5, ROLE_PHENOTYPE, "EVANS",
         ST_CONFIRMED),
    RULE(WEIGHT_LOSS_6M, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GE, 5, ROLE_PHENOTYPE, "EVANS",
         ST_CONFIRMED),
    RULE(LOW_BMI, SEX_ANY, M_BMI, OP_LT, 20, ROLE_PHENOTYPE, "EVANS", ST_CONFIRMED),
    RULE(LOW_STRENGTH, MT_MALE, M_GRIP, OP_LT, 27, ROLE_SEVERITY, "EWGSOP2", ST_CONVENTION),
    RULE(LOW_STRENGTH, MT_FEMALE, M_GRIP, OP_LT, 16, ROLE_SEVERITY, "EWGSOP2", ST_CONVENTION),
    RULE(FATIGUE, SEX_ANY, M_FATIGUE, OP_IS, 1, ROLE_SEVERITY, "EVANS", ST_CONFIRMED),
    RULE(ANOREXIA, SEX_ANY, M_ANOREXIA, OP_IS, 1, ROLE_SEVERITY, "EVANS", ST_CONFIRMED),
    RULE(LOW_FFMI, MT_MALE, M_ASMI, OP_LT, 7.26, ROLE_SEVERITY, "FEARON", ST_CONVENTION),
    RULE(LOW_FFMI, MT_FEMALE, M_ASMI, OP_LT, 5.45, ROLE_SEVERITY, "FEARON", ST_CONVENTION),
    RULE(HIGH_CRP, SEX_ANY, M_CRP, OP_GT, 5, ROLE_SEVERITY, "EVANS", ST_CONFIRMED),
    RULE(LOW_HEMOGLOBIN, SEX_ANY, M_HEMOGLOBIN, OP_LT, 12, ROLE_SEVERITY, "EVANS", ST_CONFIRMED),
    RULE(LOW_ALBUMIN, SEX_ANY, M_ALBUMIN, OP_LT, 3.2, ROLE_SEVERITY, "EVANS", ST_CONFIRMED),
};

static const char *const categories[] = {"no_cachexia", "cachexia", "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_evans2008 = {
    .id = "evans2008",
    .name = "Evans 2008",
    .title = "Cachexia in chronic illness, consensus definition (Evans 2008)",
    .source = "EVANS",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    static const int biochemistry[] = {HIGH_CRP, LOW_HEMOGLOBIN, LOW_ALBUMIN};
    static const char *const feature_missing[] = {"grip", "symptoms.fatigue",
                                                  "history.appetite_reduced", "asm or bia",
                                                  "history.labs.crp or hemoglobin or albumin"};
    int loss = mt_or3(r->crit[WEIGHT_LOSS_12M].met,
                      mt_or3(r->crit[WEIGHT_LOSS_6M].met, r->crit[LOW_BMI].met));
    int gate = mt_and3(r->crit[ILLNESS].met, loss);
    int features[5], met = 0, unknown = 0, i;

    (void)m;
    features[0] = r->crit[LOW_STRENGTH].met;
    features[1] = r->crit[FATIGUE].met;
    features[2] = r->crit[ANOREXIA].met;
    features[3] = r->crit[LOW_FFMI].met;
    features[4] = mt_domain_of(r, biochemistry, 3);
    for (i = 0; i < 5; i++) {
        met += features[i] == 1;
        unknown += features[i] < 0;
    }
    if (gate == 0 || met + unknown < 3) {
        r->category = "no_cachexia";
        return;
    }
    if (gate == 1 && met >= 3) {
        r->category = "cachexia";
        return;
    }
    r->category = "insufficient_data";
    if (r->crit[ILLNESS].met < 0)
        mt_add_missing(r, "history.conditions");
    if (loss < 0)
        mt_add_missing(r, r->crit[LOW_BMI].met < 0 && MT_HAS(in->weight)
                              ? "history.weight_12_months_ago or person.height"
                              : "history.weight_12_months_ago");
    if (met < 3)
        for (i = 0; i < 5; i++)
            if (features[i] < 0)
                mt_add_missing(r, feature_missing[i]);
}
