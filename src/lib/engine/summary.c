/*
 * summary.c - what the definitions found, as flags: the triage, the
 * differential and the plan read these instead of comparing category names.
 */
#include <string.h>

#include "engine/result.h"

/* Category names differ in their first letters, mostly: compare those first. */
static int is(const mt_def_result *dr, const char *category)
{
    return dr->category && dr->category[0] == category[0] && strcmp(dr->category, category) == 0;
}

static int met(const mt_result *r, int d, const char *criterion)
{
    const mt_crit *c = mt_result_crit(r, d, criterion);
    return c ? c->met : -1;
}

void mt_result_summarize(mt_result *r)
{
    const mt_def_result *ewgsop2 = &r->defs[DEF_EWGSOP2], *awgs = &r->defs[DEF_AWGS2019];
    const mt_def_result *fnih = &r->defs[DEF_FNIH], *sdoc = &r->defs[DEF_SDOC];
    const mt_def_result *ewgsop1 = &r->defs[DEF_EWGSOP1], *fearon = &r->defs[DEF_FEARON2011];
    const mt_def_result *evans = &r->defs[DEF_EVANS2008], *glim = &r->defs[DEF_GLIM];
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
    r->found.slow_chair = met(r, DEF_EWGSOP2, "slow_chair_stand");
    r->found.slow_gait = met(r, DEF_EWGSOP2, "slow_gait");
    r->found.glim_low_bmi = met(r, DEF_GLIM, "low_bmi");
    r->found.glim_reduced_intake = met(r, DEF_GLIM, "reduced_intake");
}
