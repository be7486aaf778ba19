/*
 * fearon2011.c - cancer cachexia (Fearon 2011), REFERENCE §8.
 *
 * Cachexia: weight loss > 5 % in 6 months; or BMI < 20 with weight loss
 * > 2 %; or low muscle mass (ASMI) with weight loss > 2 %. Pre-cachexia:
 * weight loss <= 5 % with anorexia and metabolic change. Refractory cachexia
 * needs a clinician's judgement (performance status, expected survival) that
 * the document does not hold: it is named in a note, never decided here.
 * Weight loss is computed from history.weight_6_months_ago and person.weight.
 */
#include "definitions/definition.h"

enum {
    WEIGHT_LOSS_OVER_5,
    LOW_BMI,
    WEIGHT_LOSS_OVER_2,
    LOW_ASMI,
    ANOREXIA,
    METABOLIC_CHANGE,
    CANCER,
    N_CRIT
};

static const char *const criteria[N_CRIT] = {
    "weight_loss_over_5", "low_bmi",          "weight_loss_over_2", "low_asmi",
    "anorexia",           "metabolic_change", "cancer",
};

static const mt_rule rules[] = {
    RULE(WEIGHT_LOSS_OVER_5, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GT, 5, ROLE_PHENOTYPE, "FEARON",
         ST_CONFIRMED),
    RULE(LOW_BMI, SEX_ANY, M_BMI, OP_LT, 20, ROLE_PHENOTYPE, "FEARON", ST_CONFIRMED),
    RULE(WEIGHT_LOSS_OVER_2, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GT, 2, ROLE_PHENOTYPE, "FEARON",
         ST_CONFIRMED),
    RULE(LOW_ASMI, MT_MALE, M_ASMI, OP_LT, 7.26, ROLE_MASS, "FEARON", ST_TO_CONFIRM),
    RULE(LOW_ASMI, MT_FEMALE, M_ASMI, OP_LT, 5.45, ROLE_MASS, "FEARON", ST_TO_CONFIRM),
    RULE(ANOREXIA, SEX_ANY, M_ANOREXIA, OP_IS, 1, ROLE_EXTRA, "FEARON", ST_CONFIRMED),
    /* Fearon names "metabolic change" without a number: read as CRP > 5 mg/L,
     * Evans 2008's abnormal biochemistry. */
    RULE(METABOLIC_CHANGE, SEX_ANY, M_CRP, OP_GT, 5, ROLE_EXTRA, "EVANS", ST_CONVENTION),
    RULE(CANCER, SEX_ANY, M_CANCER, OP_IS, 1, ROLE_EXTRA, "FEARON", ST_CONFIRMED),
};

static const char *const categories[] = {"no_cachexia", "pre_cachexia",      "cachexia",
                                         "refractory",  "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_fearon2011 = {
    .id = "fearon2011",
    .name = "Fearon 2011",
    .title = "Cancer cachexia, international consensus (Fearon 2011)",
    .source = "FEARON",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int wl5 = r->crit[WEIGHT_LOSS_OVER_5].met, wl2 = r->crit[WEIGHT_LOSS_OVER_2].met;
    int bmi = r->crit[LOW_BMI].met, asmi = r->crit[LOW_ASMI].met;
    int cancer = r->crit[CANCER].met;
    int with_bmi = mt_and3(bmi, wl2), with_asmi = mt_and3(asmi, wl2);
    int cachexia = mt_or3(wl5, mt_or3(with_bmi, with_asmi));

    (void)m;
    if (cancer == 0) {
        r->category = "no_cachexia";
        mt_add_note(r, "Fearon 2011 defines cachexia in cancer, and no cancer was reported; "
                       "Evans 2008 covers other illnesses.");
        return;
    }
    if (cachexia == 1) {
        if (cancer < 0) {
            r->category = "insufficient_data";
            mt_add_missing(r, "history.conditions");
            return;
        }
        r->category = "cachexia";
        mt_add_note(r, "Whether cachexia is refractory (no response to treatment, low "
                       "performance status, expected survival under 3 months) is for the "
                       "treating team to judge: the document does not hold it.");
        return;
    }
    if (cachexia < 0) {
        r->category = "insufficient_data";
        if (wl2 < 0)
            mt_add_missing(r, "history.weight_6_months_ago");
        else {
            if (bmi < 0)
                mt_add_missing(r, "person.height");
            if (asmi < 0)
                mt_add_missing(r, mt_missing_mass(in, 0));
        }
        return;
    }
    /* not cachexia: pre-cachexia is weight loss <= 5 % with anorexia and metabolic change */
    {
        int pre = mt_and3(r->crit[ANOREXIA].met, r->crit[METABOLIC_CHANGE].met);
        if (pre == 1 && cancer == 1) {
            r->category = "pre_cachexia";
            return;
        }
        if (pre == 0) {
            r->category = "no_cachexia";
            return;
        }
        r->category = "insufficient_data";
        if (pre == 1)
            mt_add_missing(r, "history.conditions");
        if (r->crit[ANOREXIA].met < 0)
            mt_add_missing(r, "history.appetite_reduced");
        if (r->crit[METABOLIC_CHANGE].met < 0)
            mt_add_missing(r, "history.labs.crp");
    }
}
