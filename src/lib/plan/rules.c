/*
 * rules.c - the numbers the care plan compares (REFERENCE §11), as rule
 * rows, and the protein table with its sources; helpers the plan files share.
 */
#include <math.h>
#include <string.h>

#include "differential/differential.h"
#include "engine/result.h"
#include "plan/plan.h"

static const char *const criteria[PLAN_N] = {"kidney_protein_limit", "older_adult",
                                             "exercising_now"};

static const mt_rule rules[] = {
    RULE(PLAN_KIDNEY, SEX_ANY, M_EGFR, OP_LT, 30, ROLE_FLAG, "PROTAGE", ST_CONFIRMED),
    RULE(PLAN_OLDER_ADULT, SEX_ANY, M_AGE, OP_GE, 65, ROLE_FLAG, "PROTAGE", ST_CONFIRMED),
    RULE(PLAN_EXERCISING, SEX_ANY, M_SESSIONS, OP_GE, 2, ROLE_FLAG, "PROTAGE", ST_CONFIRMED),
};

static const char *const no_categories[] = {NULL};

const mt_definition mt_plan_rules = {
    .id = "plan",
    .name = "Plan",
    .title = "Care plan: the numbers that choose the protein row (REFERENCE §11)",
    .source = "PROTAGE",
    .criteria = criteria,
    .n_criteria = PLAN_N,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = no_categories,
    .categorize = NULL,
};

static const mt_protein_row protein[PROTEIN_N] = {
    [PROTEIN_KIDNEY] = {"kidney_no_dialysis", NAN, 0.8,
                        "Kidney function is low (eGFR below 30) without dialysis: protein is not "
                        "raised above 0.8 g per kg.",
                        "PROTAGE", ST_CONFIRMED},
    [PROTEIN_SEVERE_ILLNESS] = {"severe_illness", 1.2, 2.0,
                                "Cachexia or severe malnutrition needs more protein.",
                                "PROTAGE", ST_TO_CONFIRM},
    [PROTEIN_DISEASE] = {"disease", 1.2, 1.5,
                         "A long-term or acute illness, or malnutrition, raises protein needs.",
                         "ESPEN", ST_CONFIRMED},
    [PROTEIN_OLDER_EXERCISING] = {"older_exercising", 1.2, 1.5,
                                  "At 65 or older and exercising, muscles need more protein.",
                                  "PROTAGE", ST_CONFIRMED},
    [PROTEIN_OLDER] = {"older", 1.0, 1.2, "At 65 or older, muscles need more protein.",
                       "PROTAGE", ST_CONFIRMED},
    [PROTEIN_YOUNGER_EXERCISING] = {"younger_exercising", 1.2, 1.6,
                                    "Strength training builds more muscle with more protein, up "
                                    "to about 1.6 g per kg.",
                                    "MORTON", ST_CONFIRMED},
    [PROTEIN_YOUNGER] = {"younger", 0.8, 1.0,
                         "The usual adult amount (0.8 g per kg is the recommended minimum).",
                         "PROTAGE", ST_CONFIRMED},
};

const mt_protein_row *mt_protein_row_at(int row)
{
    return row >= 0 && row < PROTEIN_N ? &protein[row] : NULL;
}

const char *mt_exercise_status_str(int status)
{
    static const char *const s[] = {"active", "assisted", "with_treating_team",
                                    "not_until_seen"};
    return status >= 0 && status <= EX_NOT_UNTIL_SEEN ? s[status] : "?";
}

int mt_plan_row_met(const mt_result *r, int row)
{
    return r->plan_rows.crit[row].met == 1;
}

int mt_serious_illness(const mt_result *r)
{
    return r->found.cachexia || r->found.glim == 2;
}

int mt_neurogenic_plan(const mt_result *r)
{
    return mt_cause_at_least(r, CAUSE_NEUROGENIC, LIKELY_MODERATE);
}

void mt_item_add(mt_item *items, int *n, int max, const char *id, const char *text,
                 const char *reason, const char *source)
{
    int i;

    for (i = 0; i < *n; i++)
        if (items[i].id == id || (items[i].id[0] == id[0] && strcmp(items[i].id, id) == 0))
            return;
    if (*n >= max)
        return;
    items[*n].id = id;
    items[*n].text = text;
    items[*n].reason = reason;
    items[*n].source = source;
    (*n)++;
}

void mt_plan_assess(mt_result *r)
{
    mt_definition_evaluate(&mt_plan_rules, &r->in, r->m, &r->plan_rows);
    mt_plan_exercise(r);
    mt_plan_nutrition(r);
    mt_plan_care(r);
}
