/*
 * summary.c - what the definitions found, as flags: the triage, the
 * differential and the plan read these instead of comparing category names.
 */
#include <string.h>

#include "engine/result.h"

static const mt_def_result *def(const mt_result *r, const char *id)
{
    size_t d;

    for (d = 0; d < mt_n_definitions; d++)
        if (strcmp(mt_definitions[d]->id, id) == 0)
            return &r->defs[d];
    return NULL;
}

static int is(const mt_def_result *dr, const char *category)
{
    return dr && dr->category && strcmp(dr->category, category) == 0;
}

static int met(const mt_result *r, const char *definition, const char *criterion)
{
    const mt_crit *c = mt_result_find(r, definition, criterion);
    return c ? c->met : -1;
}

void mt_result_summarize(mt_result *r)
{
    const mt_def_result *ewgsop2 = def(r, "ewgsop2"), *awgs = def(r, "awgs2019");
    const mt_def_result *fnih = def(r, "fnih"), *sdoc = def(r, "sdoc");
    const mt_def_result *ewgsop1 = def(r, "ewgsop1"), *fearon = def(r, "fearon2011");
    const mt_def_result *evans = def(r, "evans2008"), *glim = def(r, "glim");
    int mass_unknown = !MT_HAS(r->in.asm_kg) && !r->in.bia.given;

    r->found.sarcopenia_found =
        is(ewgsop2, "probable") || is(ewgsop2, "confirmed") || is(ewgsop2, "severe") ||
        is(awgs, "possible") || is(awgs, "sarcopenia") || is(awgs, "severe") ||
        is(fnih, "weakness_low_lean_mass") || is(fnih, "weakness_slowness_low_lean_mass") ||
        is(sdoc, "sarcopenia") || is(ewgsop1, "sarcopenia") || is(ewgsop1, "severe");
    r->found.strength_low_mass_unknown =
        mass_unknown && (is(ewgsop2, "probable") || is(awgs, "possible"));
    r->found.cachexia = is(fearon, "cachexia") || is(fearon, "refractory") || is(evans, "cachexia");
    r->found.pre_cachexia = is(fearon, "pre_cachexia");
    r->found.glim = is(glim, "severe")            ? 2
                    : is(glim, "moderate")        ? 1
                    : is(glim, "no_malnutrition") ? 0
                                                  : -1;
    r->found.slow_chair = met(r, "ewgsop2", "slow_chair_stand");
    r->found.slow_gait = met(r, "ewgsop2", "slow_gait");
    r->found.glim_low_bmi = met(r, "glim", "low_bmi");
    r->found.glim_reduced_intake = met(r, "glim", "reduced_intake");
}
