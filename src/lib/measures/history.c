/*
 * history.c - the measures the cachexia, malnutrition, triage and plan rows
 * compare that come from the history and the labs: age, weight loss over 6
 * and 12 months (computed here from the past weights and today's weight), CK
 * as a multiple of the lab's upper limit, the other labs as given, food
 * intake, exercise sessions, and the yes/no answers (value 1 or 0).
 * "chronic_illness" is one of the illnesses that waste muscle
 * (HX_WASTING_ILLNESSES: the underlying illness of Evans 2008 and GLIM's
 * disease burden); diabetes, neurological conditions and "other" are not.
 */
#include "engine/result.h"

static void set(mt_q *q, double v)
{
    q->state = MT_Q_VALUE;
    q->v = mt_round4(v);
}

static void flag(mt_q *q, int known, int yes)
{
    if (known)
        set(q, yes ? 1 : 0);
}

/* Percent of the earlier weight lost since: negative for a gain. */
double mt_weight_loss_percent(double before_kg, double now_kg)
{
    return mt_round4((before_kg - now_kg) / before_kg * 100.0);
}

void mt_measures_history(mt_result *r)
{
    const mt_input *in = &r->in;
    mt_q *m = r->m;

    m[M_AGE] = in->age;
    if (MT_HAS(in->weight) && MT_HAS(in->hx.weight_6m))
        set(&m[M_WEIGHT_LOSS_6M], mt_weight_loss_percent(in->hx.weight_6m.v, in->weight.v));
    if (MT_HAS(in->weight) && MT_HAS(in->hx.weight_12m))
        set(&m[M_WEIGHT_LOSS_12M], mt_weight_loss_percent(in->hx.weight_12m.v, in->weight.v));
    if (MT_HAS(in->hx.labs.ck) && MT_HAS(in->hx.labs.ck_uln))
        set(&m[M_CK_ULN], in->hx.labs.ck.v / in->hx.labs.ck_uln.v);
    m[M_CRP] = in->hx.labs.crp;
    m[M_HEMOGLOBIN] = in->hx.labs.hemoglobin;
    m[M_ALBUMIN] = in->hx.labs.albumin;
    m[M_EGFR] = in->hx.labs.egfr;
    m[M_INTAKE] = in->hx.intake_percent;
    if (in->hx.exercise_sessions >= 0)
        set(&m[M_SESSIONS], in->hx.exercise_sessions);
    flag(&m[M_ILLNESS], in->hx.conditions.known,
         (in->hx.conditions.bits & HX_WASTING_ILLNESSES) != 0);
    flag(&m[M_CANCER], in->hx.conditions.known, MT_SET_HAS(in->hx.conditions, HX_CANCER));
    flag(&m[M_ANOREXIA], in->hx.appetite_reduced >= 0, in->hx.appetite_reduced == 1);
    flag(&m[M_FATIGUE], in->sym.fatigue >= 0, in->sym.fatigue == 1);
}
