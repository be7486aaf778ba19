/*
 * cited.c - which sources a result cites: the definitions' own, every row
 * shown in their criteria, the screening rows and the norms and equations of
 * the tests that were computed. Both renderers list them.
 */
#include <math.h>
#include <string.h>

#include "engine/result.h"

static int add(const char **ids, int n, int max, const char *id)
{
    int i;

    for (i = 0; i < n; i++)
        if (ids[i] == id || (ids[i][0] == id[0] && strcmp(ids[i], id) == 0))
            return n;
    if (n < max)
        ids[n++] = id;
    return n;
}

static int add_items(const char **ids, int n, int max, const mt_item *it, int count)
{
    int i;

    for (i = 0; i < count; i++)
        n = add(ids, n, max, it[i].source);
    return n;
}

int mt_result_sources(const mt_result *r, const char **ids, int max)
{
    const mt_plan *p = &r->plan;
    size_t d;
    int c, n = 0;

    /* triage, likely cause and plan come first in every output */
    for (c = 0; c < r->triage.n; c++)
        n = add(ids, n, max, mt_reason(r->triage.reasons[c])->source);
    for (c = 0; c < mt_triage_rules.n_criteria; c++)
        if (r->triage.rows.crit[c].state)
            n = add(ids, n, max, r->triage.rows.crit[c].shown->source);
    if (r->differential.n)
        n = add(ids, n, max, "CAUSES");
    for (c = 0; c < p->exercise.n; c++)
        n = add(ids, n, max, p->exercise.ex[c].mv->source);
    if (p->exercise.load_progression)
        n = add(ids, n, max, "ACSM");
    n = add_items(ids, n, max, p->exercise.precautions, p->exercise.n_precautions);
    n = add(ids, n, max, mt_protein_row_at(p->nutrition.row)->source);
    if (!isnan(p->nutrition.energy_kcal))
        n = add(ids, n, max, "ESPENGER");
    n = add_items(ids, n, max, p->nutrition.warnings, p->nutrition.n_warnings);
    n = add_items(ids, n, max, p->referrals, p->n_referrals);
    n = add_items(ids, n, max, p->tests, p->n_tests);
    n = add(ids, n, max, p->follow_up.source);
    for (c = 0; c < mt_plan_rules.n_criteria; c++)
        if (r->plan_rows.crit[c].state)
            n = add(ids, n, max, r->plan_rows.crit[c].shown->source);

    for (d = 0; d < mt_n_definitions; d++) {
        n = add(ids, n, max, mt_definitions[d]->source);
        for (c = 0; c < mt_definitions[d]->n_criteria; c++)
            if (r->defs[d].crit[c].shown)
                n = add(ids, n, max, r->defs[d].crit[c].shown->source);
    }
    for (c = 0; c < mt_screening_rules.n_criteria; c++)
        if (r->screening.crit[c].shown && r->screening.crit[c].state)
            n = add(ids, n, max, r->screening.crit[c].shown->source);
    if (r->grip.known)
        n = add(ids, n, max, "DODDS");
    if (r->sppb.total >= 0)
        n = add(ids, n, max, "SPPB");
    if (r->six_mw.known)
        n = add(ids, n, max, "ENRIGHT");
    if (r->in.bia.given)
        n = add(ids, n, max, mt_bia_source(r->in.bia.equation));
    return n;
}
