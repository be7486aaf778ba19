/*
 * cited.c - which sources a result cites: the definitions' own, every row
 * shown in their criteria, the screening rows and the norms and equations of
 * the tests that were computed. Both renderers list them.
 */
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

int mt_result_sources(const mt_result *r, const char **ids, int max)
{
    size_t d;
    int c, n = 0;

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
