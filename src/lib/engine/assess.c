/*
 * assess.c - one assessment, start to end: derive the measures, run the
 * screening rows, evaluate every definition's rows, let each definition name
 * its category. Pure: reads the input, writes only the new result.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"
#include "error.h"

/* The measures and the definitions in `which` (bit d for definition d, every
 * one for an assessment): all a cohort row needs (mt_row_classify), and the
 * first half of an assessment. res->in is set; the rest is zero. A row
 * (`plan` given) skips the grip centiles and the screening rows' second pass:
 * only the report shows them, no definition reads them; its definitions'
 * rows are picked by the plan. */
static void classify(mt_result *res, unsigned which, const mt_rule_plan *plan)
{
    size_t d;

    mt_measures_body(res);
    mt_measures_performance(res);
    if (!plan)
        mt_measures_grip(res);
    mt_measures_screening(res, !plan);
    mt_measures_history(res);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        if (!((which >> d) & 1u))
            continue;
        if (plan)
            mt_definition_evaluate_planned(plan, d, &res->in, res->m, &res->defs[d]);
        else
            mt_definition_evaluate(def, &res->in, res->m, &res->defs[d]);
        def->categorize(&res->in, res->m, &res->defs[d]);
    }
}

int mt_assess(mt_result **out, const mt_input *in, mt_error *err)
{
    mt_result *res;

    if (out)
        *out = NULL;
    if (!out || !in)
        return mt_error_set(err, MT_EUSAGE, "", "mt_assess: out and in must not be NULL");
    res = calloc(1, sizeof(*res));
    if (!res)
        return mt_error_set(err, MT_ENOMEM, "", "out of memory");
    res->in = *in;
    classify(res, ~0u, NULL);
    mt_result_summarize(res);
    mt_triage_assess(res);
    mt_differential_assess(res);
    mt_plan_assess(res);
    *out = res;
    return MT_OK;
}

int mt_row_classify(mt_row *row, unsigned definitions, mt_classification *out, mt_error *err)
{
    mt_result *res;
    size_t d;
    int c, rc;

    if (!row || !out)
        return mt_error_set(err, MT_EUSAGE, "", "mt_row_classify: row and out must not be NULL");
    if ((rc = mt_row_check(row, err)) != MT_OK)
        return rc;
    if (!row->plan) {
        if (!(row->plan = malloc(sizeof(*row->plan))))
            return mt_error_set(err, MT_ENOMEM, "", "out of memory");
        mt_rule_plan_init(row->plan);
    }
    /* The row's input is res->in itself (mt_row_new), which classify() only
     * reads, so nothing is copied. Only what classify() reads before writing
     * is cleared: the measures and what follows up to the screening rows; those
     * a cohort row never writes (mt_measures_screening with report 0), so they
     * keep mt_row_new's zeros; the chosen definitions' lists are reset below
     * (mt_definition_evaluate resets their criteria); the triage, cause and
     * plan are not computed. */
    res = row->res;
    memset((char *)res + offsetof(mt_result, m), 0,
           offsetof(mt_result, screening) - offsetof(mt_result, m));
    for (d = 0; d < mt_n_definitions; d++)
        if ((definitions ? definitions : ~0u) >> d & 1u) {
            res->defs[d].category = NULL;
            res->defs[d].n_missing = res->defs[d].n_notes = 0;
        }
    if (!definitions)
        definitions = ~0u;
    classify(res, definitions, row->plan);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        const mt_def_result *dr = &res->defs[d];
        out->category[d] = -1;
        if (!((definitions >> d) & 1u)) {
            memset(out->met[d], -1, sizeof(out->met[d]));
            continue;
        }
        for (c = 0; def->categories[c]; c++)
            if (def->categories[c] == dr->category ||
                (def->categories[c][0] == dr->category[0] &&
                 strcmp(def->categories[c], dr->category) == 0)) {
                out->category[d] = c;
                break;
            }
        for (c = 0; c < def->n_criteria; c++)
            out->met[d][c] = dr->crit[c].shown ? dr->crit[c].met : -1;
    }
    return MT_OK;
}

size_t mt_definition_count(void)
{
    return mt_n_definitions;
}

int mt_definition_at(size_t i, mt_definition_view *out)
{
    const mt_definition *def;

    if (!out || i >= mt_n_definitions)
        return MT_EINVAL;
    def = mt_definitions[i];
    out->id = def->id;
    out->name = def->name;
    out->title = def->title;
    out->source = def->source;
    out->n_criteria = (size_t)def->n_criteria;
    out->criteria = def->criteria;
    for (out->n_categories = 0; def->categories[out->n_categories]; out->n_categories++)
        ;
    out->categories = def->categories;
    return MT_OK;
}

void mt_result_free(mt_result *res)
{
    free(res);
}

static int find_def(const char *id)
{
    size_t d;

    if (!id)
        return -1;
    for (d = 0; d < mt_n_definitions; d++)
        if (strcmp(mt_definitions[d]->id, id) == 0)
            return (int)d;
    return -1;
}

const char *mt_result_category(const mt_result *res, const char *definition)
{
    int d = res ? find_def(definition) : -1;
    return d < 0 ? NULL : res->defs[d].category;
}

const mt_crit *mt_result_crit(const mt_result *res, int d, const char *criterion)
{
    const mt_definition *def = mt_definitions[d];
    int c;

    for (c = 0; c < def->n_criteria; c++)
        if (def->criteria[c][0] == criterion[0] && strcmp(def->criteria[c], criterion) == 0)
            return res->defs[d].crit[c].shown ? &res->defs[d].crit[c] : NULL;
    return NULL;
}

const mt_crit *mt_result_find(const mt_result *res, const char *definition, const char *criterion)
{
    int d = res ? find_def(definition) : -1;

    return d < 0 || !criterion ? NULL : mt_result_crit(res, d, criterion);
}

int mt_result_criterion(const mt_result *res, const char *definition, const char *criterion,
                        mt_criterion_view *out)
{
    const mt_crit *cr;

    if (!res || !out)
        return MT_EUSAGE;
    cr = mt_result_find(res, definition, criterion);
    if (!cr)
        return MT_EINVAL;
    out->met = cr->met;
    out->has_value = cr->state == MT_Q_VALUE;
    out->value = cr->value;
    out->op = mt_op_str(cr->shown->op);
    out->threshold = cr->rule ? cr->rule->threshold : NAN;
    out->threshold_high = cr->rule ? cr->rule->threshold_high : NAN;
    out->unit = mt_measure_unit(cr->shown->measure);
    out->source = cr->shown->source;
    out->status = mt_status_str(cr->shown->status);
    return MT_OK;
}

const char *mt_version(void)
{
    return MT_VERSION;
}

const char *mt_disclaimer(void)
{
    return "myotrack informs and does not diagnose: discuss these results with a clinician, and "
           "seek care at once for sudden weakness or trouble speaking, swallowing or breathing.";
}
