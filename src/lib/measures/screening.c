/*
 * screening.c - the screening scores (REFERENCE §3): SARC-F total, SARC-CalF
 * (SARC-F plus 10 points below the calf threshold) and the Ishii score. Their
 * positive/negative verdicts come from the rows in definitions/screening.c.
 */
#include "engine/result.h"
#include "measures/pick.h"

#include "definitions/screening.h"

/* ISHII [to_confirm coefficients]: score = a(age-64) - b(grip-g0) - c(calf-42). */
typedef struct {
    double age, grip, grip_ref, calf, calf_ref;
} ishii_coef;

static const ishii_coef ishii[2] = {
    [MT_MALE] = {0.62, 3.09, 50, 4.64, 42},
    [MT_FEMALE] = {0.80, 5.09, 34, 3.28, 42},
};

/* A cohort row's (report 0) measures are not cleared before this
 * (mt_row_classify): each it writes, it writes on every such call, a value
 * or absent (the zero mt_q). */
static const mt_q absent;

void mt_measures_screening(mt_result *res, int report)
{
    const mt_input *in = &res->in;
    mt_q *m = res->m;

    int has = in->sarc_f_form != MT_SARCF_NONE;

    /* The SARC-F total when it is given, else absent (v 0: absent's): by a
     * mask, not a jump (a cohort gives it or not at random, row by row);
     * m[M_SARCF] is written nowhere else, its padding calloc's zeros. */
    _Static_assert(MT_Q_ABSENT == 0 && MT_Q_VALUE == 1, "a state from a test");
    m[M_SARCF].state = (unsigned char)has;
    m[M_SARCF].v = (double)mt_pick_int(has, in->sarc_f_total, 0);
    if (!report) {
        /* A cohort row: no definition reads the Ishii score or the screening
         * verdicts (res->screening), only SARC-CalF's score, and that needs
         * nothing but the calf-points criterion (mt_definition_criterion
         * gives the interpreter's verdict on it). One jump, not two. */
        if (has & MT_HAS(in->calf)) {
            res->sarc_calf_points =
                mt_definition_criterion(&mt_screening_rules, SCR_SARC_CALF_CALF, in, m) == 1 ? 10
                                                                                            : 0;
            m[M_SARCCALF].state = MT_Q_VALUE;
            m[M_SARCCALF].v = m[M_SARCF].v + res->sarc_calf_points;
        } else {
            m[M_SARCCALF] = absent;
        }
        return;
    }
    if (MT_HAS(in->calf) && MT_HAS(in->grip)) {
        const ishii_coef *c = &ishii[in->sex == MT_MALE];
        m[M_ISHII].state = MT_Q_VALUE;
        m[M_ISHII].v = mt_round4(c->age * (in->age.v - 64) - c->grip * (in->grip.v - c->grip_ref) -
                                 c->calf * (in->calf.v - c->calf_ref));
    }
    /* SARC-CalF needs the calf-points row decided first. */
    mt_definition_evaluate(&mt_screening_rules, in, m, &res->screening);
    if (MT_HAS(m[M_SARCF]) && MT_HAS(in->calf)) {
        res->sarc_calf_points = res->screening.crit[SCR_SARC_CALF_CALF].met == 1 ? 10 : 0;
        m[M_SARCCALF].state = MT_Q_VALUE;
        m[M_SARCCALF].v = m[M_SARCF].v + res->sarc_calf_points;
        /* the SARC-CalF row itself */
        mt_definition_evaluate(&mt_screening_rules, in, m, &res->screening);
    }
}
