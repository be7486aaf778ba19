/*
 * body.c - body size and muscle mass: BMI, ASM (measured by DXA, or
 * estimated from BIA readings by a published equation), ASMI, ALM/BMI and
 * grip/BMI (REFERENCE §6). Every derived value is rounded like an input
 * (mt_round4), so the value reported is the value the rules compare.
 */
#include "engine/result.h"

/* BIA equations, REFERENCE §6 (h in cm, R and Xc in ohm, sex 1 men 0 women).
 * Coefficients: {h2/R, weight, sex, age, Xc, constant}; yoshida2014 has one
 * row per sex (sex coefficient unused). */
typedef struct {
    double h2r, weight, sex, age, xc, constant;
} bia_coef;

static const bia_coef sergi2015 = {0.227, 0.095, 1.384, 0, 0.064, -3.964}; /* SERGI */
static const bia_coef kim2014 = {0.104, 0.055, 2.954, -0.050, 0, 5.663};   /* KIM */
static const bia_coef yoshida2014_men = {0.197, 0.179, 0, 0, 0, -0.019};   /* YOSHIDA */
static const bia_coef yoshida2014_women = {0.221, 0.117, 0, 0, 0, 0.881};  /* YOSHIDA */
static const bia_coef janssen2000 = {0.401, 0, 3.825, -0.071, 0, 5.102};   /* JANSSEN */

/* Source and status of each equation, indexed by mt_bia_equation (REFERENCE §6). */
static const struct {
    const char *source;
    int status;
} bia_evidence[MT_BIA_N] = {
    [MT_BIA_SERGI2015] = {"SERGI", ST_TO_CONFIRM},
    [MT_BIA_KIM2014] = {"KIM", ST_CONFIRMED},
    [MT_BIA_YOSHIDA2014] = {"YOSHIDA", ST_CONFIRMED},
    [MT_BIA_JANSSEN2000] = {"JANSSEN", ST_CONFIRMED},
};

const char *mt_bia_source(int equation)
{
    return bia_evidence[equation].source;
}

int mt_bia_status(int equation)
{
    return bia_evidence[equation].status;
}

double mt_bia_estimate(int equation, int sex, double h, double w, double age, double r, double xc)
{
    const bia_coef *c;

    switch (equation) {
    case MT_BIA_KIM2014:
        c = &kim2014;
        break;
    case MT_BIA_YOSHIDA2014:
        c = sex == MT_MALE ? &yoshida2014_men : &yoshida2014_women;
        break;
    case MT_BIA_JANSSEN2000:
        c = &janssen2000;
        break;
    default:
        c = &sergi2015;
    }
    return mt_round4(c->h2r * h * h / r + c->weight * w + c->sex * (sex == MT_MALE) + c->age * age +
                     c->xc * xc + c->constant);
}

static void set(mt_q *q, double v)
{
    q->state = MT_Q_VALUE;
    q->v = mt_round4(v);
}

/* Every measure this writes it writes on every call, a value or absent (the
 * zero mt_q): a cohort row's measures (mt_row_classify) are not cleared
 * before, so nothing is left from the row before. */
static const mt_q absent;

void mt_measures_body(mt_result *res)
{
    const mt_input *in = &res->in;
    mt_q *m = res->m;
    double h_m = MT_HAS(in->height) ? in->height.v / 100.0 : 0;

    if (MT_HAS(in->height) && MT_HAS(in->weight))
        set(&m[M_BMI], in->weight.v / (h_m * h_m));
    else
        m[M_BMI] = absent;
    if (MT_HAS(in->asm_kg)) {
        m[M_ASM] = in->asm_kg;
    } else {
        m[M_ASM] = absent;
        if (in->bia.given) {
            double v = mt_bia_estimate(in->bia.equation, in->sex, in->height.v, in->weight.v,
                                       in->age.v, in->bia.resistance.v, in->bia.reactance.v);
            if (in->bia.equation == MT_BIA_JANSSEN2000)
                set(&res->whole_body_muscle, v); /* whole-body: never fed to ASM cut-offs */
            else if (v > 0)
                set(&m[M_ASM], v);
        }
    }
    if (MT_HAS(m[M_ASM]) && MT_HAS(in->height))
        set(&m[M_ASMI], m[M_ASM].v / (h_m * h_m));
    else
        m[M_ASMI] = absent;
    if (MT_HAS(m[M_ASM]) && MT_HAS(m[M_BMI]))
        set(&m[M_ALM_BMI], m[M_ASM].v / m[M_BMI].v);
    else
        m[M_ALM_BMI] = absent;
    if (MT_HAS(in->grip) && MT_HAS(m[M_BMI]))
        set(&m[M_GRIP_BMI], in->grip.v / m[M_BMI].v);
    else
        m[M_GRIP_BMI] = absent;
    m[M_GRIP] = in->grip;
    m[M_CALF] = in->calf;
}
