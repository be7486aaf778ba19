/*
 * rule.c - the interpreter of the rule tables.
 *
 * For each criterion of a definition the first row that fits the person (sex)
 * and whose condition holds (ASM method, BMI stratum) is applied; the value,
 * operator, threshold, source and status it used are kept as the trace. A
 * condition that cannot be decided (no BMI for a BMI-stratified cut-off)
 * leaves the criterion unknown rather than guessing a stratum.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "definitions/definition.h"

/* Every operator's answer at once, then the row's: no jump on the operator,
 * which changes from row to row (bits in mt_op order). */
static inline int compare(const mt_rule *r, double v)
{
    double t = r->threshold;
    unsigned all = (unsigned)(v < t) << OP_LT | (unsigned)(v <= t) << OP_LE |
                   (unsigned)(v > t) << OP_GT | (unsigned)(v >= t) << OP_GE |
                   ((unsigned)(v >= t) & (unsigned)(v < r->threshold_high)) << OP_BETWEEN | /* half-open */
                   (unsigned)(v == t) << OP_IS;

    return r->op <= OP_IS ? (int)(all >> r->op & 1u) : 0;
}

int mt_rule_compare(const mt_rule *r, double v)
{
    return compare(r, v);
}

/* 1 the condition holds, 0 it does not, -1 it cannot be decided. */
static int condition(const mt_rule *r, const mt_input *in, const mt_q *m)
{
    int method;

    switch (r->cond) {
    case COND_NONE:
        return 1;
    case COND_DXA:
    case COND_BIA:
        method = in->asm_method != MT_ASM_NONE ? in->asm_method
                                               : (in->bia.given ? MT_ASM_BIA : MT_ASM_NONE);
        if (method == MT_ASM_NONE)
            return -1;
        return method == (r->cond == COND_DXA ? MT_ASM_DXA : MT_ASM_BIA);
    case COND_BMI_MAX:
        return m[M_BMI].state != MT_Q_VALUE ? -1 : m[M_BMI].v <= r->cond_value;
    case COND_AGE_LT:
        return m[M_AGE].state != MT_Q_VALUE ? -1 : m[M_AGE].v < r->cond_value;
    case COND_AGE_GE:
        return m[M_AGE].state != MT_Q_VALUE ? -1 : m[M_AGE].v >= r->cond_value;
    }
    return -1;
}

/* Row r, for a person it fits by sex, into its criterion (first fitting row
 * whose condition holds wins; the first fitting row is the one shown). */
static inline void evaluate_row(const mt_rule *r, const mt_input *in, const mt_q *m,
                                mt_def_result *res)
{
    mt_crit *cr = &res->crit[r->crit];
    const mt_q *q;

    if (cr->rule)
        return;
    q = &m[r->measure];
    if (!cr->shown) {
        cr->shown = r;
        cr->state = q->state;
        cr->value = q->v;
    }
    if (r->cond != COND_NONE && condition(r, in, m) != 1)
        return;
    cr->rule = r;
    cr->shown = r;
    /* a value is compared, "unable" meets the row or stays unknown, no value
     * stays unknown (-1): in arithmetic rather than branches, since the state
     * changes from person to person */
    {
        int value = compare(r, q->v), unable = (r->flags & RULE_UNABLE_MEETS) ? 1 : -1;
        int is_value = q->state == MT_Q_VALUE, is_unable = q->state == MT_Q_UNABLE;
        cr->met = (signed char)(is_value * value + is_unable * unable + (is_value | is_unable) - 1);
    }
}

static void reset(const mt_definition *d, mt_def_result *res)
{
    int c;

    for (c = 0; c < d->n_criteria; c++) {
        res->crit[c].rule = NULL;
        res->crit[c].shown = NULL;
        res->crit[c].met = -1;
    }
}

void mt_definition_evaluate(const mt_definition *d, const mt_input *in, const mt_q *m,
                            mt_def_result *res)
{
    const mt_rule *r = d->rules, *end = d->rules + d->n_rules;

    reset(d, res);
    for (; r < end; r++)
        if (r->sex == SEX_ANY || r->sex == in->sex)
            evaluate_row(r, in, m, res);
}

void mt_rule_plan_init(mt_rule_plan *p)
{
    size_t d, i;
    int sex;

    memset(p, 0, sizeof(*p));
    for (d = 0; d < mt_n_definitions && d < MT_PLAN_MAX_DEFS; d++) {
        const mt_definition *def = mt_definitions[d];
        for (sex = 0; sex < 2; sex++) {
            size_t n = 0;
            for (i = 0; i < def->n_rules; i++)
                if (def->rules[i].sex == SEX_ANY || def->rules[i].sex == sex) {
                    if (n == MT_PLAN_MAX_RULES)
                        break;
                    p->idx[d][sex][n++] = (unsigned char)i;
                }
            /* a table too long for the plan is evaluated by mt_definition_evaluate */
            p->n[d][sex] = (unsigned char)(i == def->n_rules ? n : MT_PLAN_GENERIC);
        }
    }
}

void mt_definition_evaluate_planned(const mt_rule_plan *p, size_t d, const mt_input *in,
                                    const mt_q *m, mt_def_result *res)
{
    const mt_definition *def = mt_definitions[d];
    const unsigned char *idx;
    size_t i, n;
    int sex = in->sex == MT_MALE;

    if (d >= MT_PLAN_MAX_DEFS || (in->sex != MT_MALE && in->sex != MT_FEMALE) ||
        p->n[d][sex] == MT_PLAN_GENERIC) {
        mt_definition_evaluate(def, in, m, res);
        return;
    }
    reset(def, res);
    idx = p->idx[d][sex];
    n = p->n[d][sex];
    for (i = 0; i < n; i++)
        evaluate_row(&def->rules[idx[i]], in, m, res);
}

const char *mt_op_str(int op)
{
    static const char *const s[] = {"<", "<=", ">", ">=", "between", "is"};
    return op >= 0 && op <= OP_IS ? s[op] : "?";
}

const char *mt_status_str(int status)
{
    static const char *const s[] = {"confirmed", "to_confirm", "convention"};
    return status >= 0 && status <= ST_CONVENTION ? s[status] : "?";
}

static const struct {
    const char *name, *unit;
} measures[M_N] = {
    [M_GRIP] = {"grip", "kg"},
    [M_CHAIR5X] = {"chair_stand_5x", "s"},
    [M_ASM] = {"asm", "kg"},
    [M_ASMI] = {"asmi", "kg/m2"},
    [M_GAIT] = {"gait_speed", "m/s"},
    [M_SPPB] = {"sppb", "points"},
    [M_TUG] = {"tug", "s"},
    [M_W400] = {"walk_400m", "s"},
    [M_SIX_MW] = {"six_minute_walk", "m"},
    [M_CALF] = {"calf", "cm"},
    [M_SARCF] = {"sarc_f", "points"},
    [M_SARCCALF] = {"sarc_calf", "points"},
    [M_ISHII] = {"ishii", "points"},
    [M_GRIP_BMI] = {"grip_bmi", "kg/(kg/m2)"},
    [M_ALM_BMI] = {"alm_bmi", "kg/(kg/m2)"},
    [M_BMI] = {"bmi", "kg/m2"},
    [M_AGE] = {"age", "years"},
    [M_WEIGHT_LOSS_6M] = {"weight_loss_6_months", "%"},
    [M_WEIGHT_LOSS_12M] = {"weight_loss_12_months", "%"},
    [M_CK_ULN] = {"ck_times_uln", "x ULN"},
    [M_CRP] = {"crp", "mg/L"},
    [M_HEMOGLOBIN] = {"hemoglobin", "g/dL"},
    [M_ALBUMIN] = {"albumin", "g/dL"},
    [M_EGFR] = {"egfr", "mL/min/1.73 m2"},
    [M_INTAKE] = {"intake_percent_of_usual", "%"},
    [M_SESSIONS] = {"exercise_sessions_per_week", "sessions/week"},
    [M_ILLNESS] = {"chronic_illness", "yes/no"},
    [M_CANCER] = {"cancer", "yes/no"},
    [M_ANOREXIA] = {"appetite_reduced", "yes/no"},
    [M_FATIGUE] = {"fatigue", "yes/no"},
    [M_PAIN] = {"pain", "of 10"},
    [M_EFFORT] = {"effort", "of 10"},
    [M_REPS_OVER_TARGET] = {"reps_over_target", "repetitions"},
    [M_LOAD_INCREASE] = {"load_increase", "%"},
    [M_HOLD] = {"hold_seconds", "s"},
    [M_FUNCTION_DROP] = {"function_test_drop", "%"},
};

int mt_measure_is_flag(int m)
{
    return m >= M_ILLNESS && m <= M_FATIGUE;
}

const char *mt_measure_name(int m)
{
    return m >= 0 && m < M_N ? measures[m].name : "?";
}

const char *mt_measure_unit(int m)
{
    return m >= 0 && m < M_N ? measures[m].unit : "?";
}
