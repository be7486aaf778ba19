/*
 * domain.c - the small helpers every definition's categorize function uses:
 * the OR rule over alternative tests of one domain (REFERENCE §1), and the
 * lists of what is missing and of notes.
 */
#include <string.h>

#include "definitions/definition.h"

int mt_domain_of(const mt_def_result *r, const int *crits, int n)
{
    int state = D_UNKNOWN, i;

    for (i = 0; i < n; i++) {
        int met = r->crit[crits[i]].met;
        if (met == 1)
            return D_LOW;
        if (met == 0)
            state = D_NOT_LOW;
    }
    return state;
}

int mt_domain(const mt_definition *d, const mt_def_result *r, int role)
{
    int state = D_UNKNOWN;
    size_t i;

    /* the same OR as mt_domain_of over the role's criteria, read off the rows:
     * a criterion with several rows is read more than once, which an OR allows */
    for (i = 0; i < d->n_rules; i++) {
        const mt_rule *row = &d->rules[i];
        int met;
        if (row->role != role)
            continue;
        met = r->crit[row->crit].met;
        if (met == 1)
            return D_LOW;
        if (met == 0)
            state = D_NOT_LOW;
    }
    return state;
}

void mt_domains(const mt_definition *d, const mt_def_result *r, int state[MT_N_ROLES])
{
    size_t i;

    for (i = 0; i < MT_N_ROLES; i++)
        state[i] = D_UNKNOWN;
    for (i = 0; i < d->n_rules; i++) {
        const mt_rule *row = &d->rules[i];
        int met = r->crit[row->crit].met, *s = &state[row->role];
        *s = met > *s ? met : *s;
    }
}

void mt_add_missing(mt_def_result *r, const char *what)
{
    int i;

    for (i = 0; i < r->n_missing; i++) /* one entry per gap */
        if (r->missing[i] == what || strcmp(r->missing[i], what) == 0)
            return;
    if (r->n_missing < MT_MAX_MISSING)
        r->missing[r->n_missing++] = what;
}

void mt_add_note(mt_def_result *r, const char *note)
{
    if (r->n_notes < MT_MAX_NOTES)
        r->notes[r->n_notes++] = note;
}

const char *mt_missing_mass(const mt_input *in, int needs_weight)
{
    if ((MT_HAS(in->asm_kg) || in->bia.given) && !MT_HAS(in->height))
        return "person.height";
    if ((MT_HAS(in->asm_kg) || in->bia.given) && needs_weight && !MT_HAS(in->weight))
        return "person.weight";
    return "asm or bia";
}
