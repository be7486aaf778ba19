/*
 * registry.c - the list of definitions the engine evaluates, in report
 * order, and the public read-only view of every rule row (mt_rule_at), which
 * `myotrack rules` prints and docs/rules.md is checked against.
 */
#include <stdio.h>

#include "myotrack.h"
#include "definitions/definition.h"

extern const mt_definition mt_ewgsop2, mt_ewgsop1, mt_awgs2019, mt_fnih, mt_sdoc;
extern const mt_definition mt_fearon2011, mt_evans2008, mt_glim;

/* Sarcopenia first, then cachexia and malnutrition (REFERENCE §7, §8); the
 * positions are DEF_* of definition.h (test_api checks they agree). */
const mt_definition *const mt_definitions[] = {&mt_ewgsop2,    &mt_awgs2019,  &mt_fnih,
                                               &mt_sdoc,       &mt_ewgsop1,   &mt_fearon2011,
                                               &mt_evans2008,  &mt_glim};
const size_t mt_n_definitions = sizeof(mt_definitions) / sizeof(mt_definitions[0]);

/* The tables beside the definitions: screening, triage, plan and tracking rows. */
extern const mt_definition mt_triage_rules, mt_plan_rules, mt_tracking_rules;
static const mt_definition *const beside[] = {&mt_screening_rules, &mt_triage_rules,
                                              &mt_plan_rules, &mt_tracking_rules};
#define N_TABLES (mt_n_definitions + sizeof(beside) / sizeof(beside[0]))

static const mt_definition *table(size_t t)
{
    return t < mt_n_definitions ? mt_definitions[t] : beside[t - mt_n_definitions];
}

size_t mt_rule_count(void)
{
    size_t t, n = 0;

    for (t = 0; t < N_TABLES; t++)
        n += table(t)->n_rules;
    return n;
}

int mt_rule_at(size_t i, mt_rule_view *out)
{
    static const char *const sexes[] = {"female", "male", "any"};
    size_t t;

    if (!out)
        return MT_EUSAGE;
    for (t = 0; t < N_TABLES; t++) {
        const mt_definition *d = table(t);
        const mt_rule *r;
        if (i >= d->n_rules) {
            i -= d->n_rules;
            continue;
        }
        r = &d->rules[i];
        out->definition = d->id;
        out->criterion = d->criteria[r->crit];
        out->sex = sexes[r->sex];
        out->measure = mt_measure_name(r->measure);
        out->condition = r->cond_text;
        out->op = mt_op_str(r->op);
        out->threshold = r->threshold;
        out->threshold_high = r->threshold_high;
        out->unit = mt_measure_unit(r->measure);
        out->source = r->source;
        out->status = mt_status_str(r->status);
        return MT_OK;
    }
    return MT_EINVAL;
}
