/*
 * nutrition.c - protein and energy (REFERENCE §11). The protein row follows
 * the person's state now (what they report), first match wins; grams per day
 * use today's weight and are whole grams. About 25-30 g per main meal [tc];
 * when three such meals would pass the day's target, the day's range is
 * spread over three meals instead. Energy: 30 kcal/kg/day at 65 or older
 * (ESPEN 2019); not given below 65, where REFERENCE has no figure.
 */
#include <math.h>

#include "engine/result.h"
#include "plan/plan.h"

#define MEAL_LO  25.0 /* g per main meal [tc] REFERENCE §11 */
#define MEAL_HI  30.0
#define KCAL_KG  30.0 /* kcal/kg/day, older adults, ESPENGER */
#define N_MEALS  3.0

static int protein_row(const mt_result *r)
{
    const mt_input *in = &r->in;
    int exercising = mt_plan_row_met(r, PLAN_EXERCISING);

    if (mt_plan_row_met(r, PLAN_KIDNEY) && !MT_YES(in->hx.labs.on_dialysis))
        return PROTEIN_KIDNEY;
    if (mt_serious_illness(r))
        return PROTEIN_SEVERE_ILLNESS;
    if ((in->hx.conditions.known && in->hx.conditions.bits) || in->setting == MT_HOSPITAL ||
        r->found.glim == 1)
        return PROTEIN_DISEASE;
    if (mt_plan_row_met(r, PLAN_OLDER_ADULT))
        return exercising ? PROTEIN_OLDER_EXERCISING : PROTEIN_OLDER;
    return exercising ? PROTEIN_YOUNGER_EXERCISING : PROTEIN_YOUNGER;
}

void mt_plan_nutrition(mt_result *r)
{
    const mt_input *in = &r->in;
    const mt_protein_row *row;
    mt_nutrition *n = &r->plan.nutrition;

    n->row = protein_row(r);
    row = mt_protein_row_at(n->row);
    n->per_kg[0] = row->lo;
    n->per_kg[1] = row->hi;
    n->energy_kcal = NAN;
    n->per_day[0] = n->per_day[1] = NAN;
    n->per_meal[0] = n->per_meal[1] = NAN;
    if (MT_HAS(in->weight)) {
        n->has_day = 1;
        n->per_day[0] = isnan(row->lo) ? NAN : round(row->lo * in->weight.v);
        n->per_day[1] = round(row->hi * in->weight.v);
        if (N_MEALS * MEAL_LO > n->per_day[1]) {
            n->per_meal[0] = isnan(n->per_day[0]) ? NAN : round(n->per_day[0] / N_MEALS);
            n->per_meal[1] = round(n->per_day[1] / N_MEALS);
        } else {
            n->per_meal[0] = MEAL_LO;
            n->per_meal[1] = MEAL_HI;
        }
        if (mt_plan_row_met(r, PLAN_OLDER_ADULT))
            n->energy_kcal = round(KCAL_KG * in->weight.v);
    } else {
        mt_item_add(n->warnings, &n->n_warnings, 4, "weight_needed",
                    "Add your weight to get protein in grams a day.",
                    "The amount is worked out per kilogram of body weight.", "PROTAGE");
    }
    if (n->row == PROTEIN_KIDNEY)
        mt_item_add(n->warnings, &n->n_warnings, 4, "kidney_disease_protein",
                    "Do not eat more protein than 0.8 g per kg a day; ask your doctor or a "
                    "kidney (renal) dietitian.",
                    "Kidney function is low (eGFR below 30) and you are not on dialysis: more "
                    "protein can strain the kidneys.",
                    "PROTAGE");
}
