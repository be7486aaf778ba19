/*
 * sdoc.c - SDOC (Bhasin 2020): Sarcopenia Definitions and Outcomes Consortium.
 *
 * Sarcopenia = weakness (grip) AND slowness (gait speed); lean mass is
 * deliberately not used. The men's grip/BMI alternative is reported as an
 * extra criterion and does not change the category. REFERENCE §7.
 */
#include "definitions/definition.h"

enum { WEAKNESS, SLOWNESS, WEAKNESS_BMI, N_CRIT };

static const char *const criteria[N_CRIT] = {"weakness", "slowness", "weakness_bmi"};

static const mt_rule rules[] = {
    RULE(WEAKNESS, MT_MALE, M_GRIP, OP_LT, 35.5, ROLE_STRENGTH, "SDOC", ST_CONFIRMED),
    RULE(WEAKNESS, MT_FEMALE, M_GRIP, OP_LT, 20, ROLE_STRENGTH, "SDOC", ST_CONFIRMED),
    RULE(SLOWNESS, SEX_ANY, M_GAIT, OP_LT, 0.8, ROLE_PERFORMANCE, "SDOC", ST_CONFIRMED),
    /* Women's scaled alternatives are unconfirmed (grip/BMI) or need body fat:
     * left out, per REFERENCE §7. */
    RULE(WEAKNESS_BMI, MT_MALE, M_GRIP_BMI, OP_LE, 1.05, ROLE_EXTRA, "SDOC", ST_CONFIRMED),
};

static const char *const categories[] = {"no_sarcopenia", "sarcopenia", "insufficient_data", NULL};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r);

const mt_definition mt_sdoc = {
    .id = "sdoc",
    .name = "SDOC",
    .title = "Sarcopenia Definitions and Outcomes Consortium, 2020",
    .source = "SDOC",
    .criteria = criteria,
    .n_criteria = N_CRIT,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = categories,
    .categorize = categorize,
};

static void categorize(const mt_input *in, const mt_q *m, mt_def_result *r)
{
    int weak = r->crit[WEAKNESS].met;
    int slow = r->crit[SLOWNESS].met;

    (void)in;
    (void)m;
    if (weak == D_LOW && slow == D_LOW) {
        r->category = "sarcopenia";
        return;
    }
    if (weak == D_NOT_LOW || slow == D_NOT_LOW) {
        r->category = "no_sarcopenia";
        return;
    }
    r->category = "insufficient_data";
    if (weak == D_UNKNOWN)
        mt_add_missing(r, "grip");
    if (slow == D_UNKNOWN)
        mt_add_missing(r, "gait_speed");
}
