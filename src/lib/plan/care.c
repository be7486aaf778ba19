/*
 * care.c - who to see, which tests to ask for, and when to measure again
 * (REFERENCE §9-§13). Referrals follow the triage level and the likely
 * causes; the work-up of REFERENCE §10 is suggested when a red flag, a
 * definition or a cause other than plain disuse calls for it, leaving out
 * results the document already has; the re-measurement interval follows the
 * time training takes to show (8-12 weeks, REFERENCE §13): 8 weeks, or after
 * being seen when the triage is emergency or urgent.
 */
#include <string.h>

#include "differential/differential.h"
#include "engine/result.h"
#include "plan/plan.h"

#define RE_MEASURE_WEEKS 8 /* REFERENCE §13: gains show over 8-12+ weeks */

static void referral(mt_result *r, const char *id, const char *text, const char *reason,
                     const char *source)
{
    mt_item_add(r->plan.referrals, &r->plan.n_referrals, MT_MAX_ITEMS, id, text, reason, source);
}

static void test(mt_result *r, const char *id, const char *text, const char *reason,
                 const char *source)
{
    mt_item_add(r->plan.tests, &r->plan.n_tests, MT_MAX_ITEMS, id, text, reason, source);
}

static void referrals(mt_result *r)
{
    const mt_input *in = &r->in;

    /* the level's own referral; the reason is the most urgent red flag's */
    static const struct {
        const char *id, *text;
    } by_level[LEVEL_ROUTINE] = {
        [LEVEL_EMERGENCY] = {"emergency_services", "Call your emergency number now."},
        [LEVEL_URGENT] = {"same_day_care", "Go to an emergency department or get care today."},
        [LEVEL_PROMPT] = {"doctor_within_days", "See a doctor within the next few days."},
    };

    if (r->triage.level < LEVEL_ROUTINE)
        referral(r, by_level[r->triage.level].id, by_level[r->triage.level].text,
                 mt_reason(r->triage.reasons[0])->explanation, "REDFLAGS");
    else if (r->triage.level == LEVEL_ROUTINE)
        referral(r, "regular_appointment", "Book a regular appointment with your doctor.",
                 "Low muscle strength or mass was found; a clinician can confirm it and look for "
                 "causes.",
                 "ICFSR");
    if (mt_cause_at_least(r, CAUSE_NEUROGENIC, LIKELY_MODERATE)) {
        referral(r, "neurologist", "See a neurologist.",
                 "The answers point to a nerve cause, which needs nerve tests.", "CAUSES");
        referral(r, "physiotherapist", "See a physiotherapist.",
                 "Nerve-related weakness needs guided, assisted exercise.", "CAUSES");
    }
    if (mt_cause_at_least(r, CAUSE_GENETIC, LIKELY_MODERATE))
        referral(r, "neuromuscular_specialist", "See a neuromuscular specialist.",
                 "Weakness since childhood or in the family can be inherited.", "CAUSES");
    if (r->plan.exercise.seated)
        referral(r, "physiotherapist", "See a physiotherapist.",
                 "Standing exercise is not safe yet; a physiotherapist can build it up safely.",
                 "ICFSR");
    if (r->plan.exercise.status == EX_WITH_TEAM || mt_serious_illness(r))
        referral(r, "treating_team", "Talk to the team treating your illness.",
                 in->setting == MT_HOSPITAL ? "In hospital, the team plans exercise and food."
                                            : "Cachexia or serious illness is managed with the "
                                              "treating team.",
                 mt_serious_illness(r) ? "FEARON" : "ICFSR");
    if (r->plan.nutrition.row == PROTEIN_KIDNEY)
        referral(r, "renal_dietitian", "See your doctor or a kidney (renal) dietitian about "
                                       "protein.",
                 "With low kidney function, protein is set with the kidney team.", "PROTAGE");
    if (r->found.glim > 0 || mt_serious_illness(r))
        referral(r, "dietitian", "See a dietitian.",
                 "Malnutrition or cachexia needs a food plan made for you.", "GLIM");
}

static void tests(mt_result *r)
{
    const mt_input *in = &r->in;
    int workup = r->triage.level <= LEVEL_ROUTINE;
    int c;

    for (c = 0; c < r->differential.n; c++)
        if (r->differential.causes[c].cause != CAUSE_DISUSE &&
            r->differential.causes[c].likelihood <= LIKELY_MODERATE)
            workup = 1;
    if (workup) {
        if (!MT_HAS(in->hx.labs.ck))
            test(r, "ck", "CK (creatine kinase)", "A high CK points to muscle damage or disease.",
                 "CAUSES");
        if (!MT_HAS(in->hx.labs.hemoglobin))
            test(r, "blood_count", "Full blood count", "Anaemia can cause weakness and tiredness.",
                 "CAUSES");
        test(r, "tsh", "Thyroid test (TSH)", "Thyroid problems can weaken muscles.", "CAUSES");
        if (!MT_HAS(in->hx.labs.vitamin_d))
            test(r, "vitamin_d", "Vitamin D level",
                 "Check the level; supplements are not advised for sarcopenia alone.", "ICFSR");
        test(r, "glucose_hba1c", "Glucose and HbA1c", "Diabetes affects muscles and nerves.",
             "CAUSES");
        if (!MT_HAS(in->hx.labs.egfr))
            test(r, "kidney_function", "Kidney function (creatinine, eGFR)",
                 "Kidney disease causes muscle loss and changes the protein advice.", "CAUSES");
        test(r, "liver_function", "Liver function tests", "Liver disease causes muscle loss.",
             "CAUSES");
    }
    if (mt_cause_at_least(r, CAUSE_NEUROGENIC, LIKELY_MODERATE))
        test(r, "emg_nerve_conduction", "EMG and nerve conduction studies",
             "Nerve signs were reported; these tests show whether nerves are the cause.",
             "CAUSES");
    if (r->found.strength_low_mass_unknown)
        test(r, "muscle_mass", "Muscle mass measurement (DXA, or BIA)",
             "Low strength was found; muscle mass decides whether it is sarcopenia.", "EWGSOP2");
}

static void follow_up(mt_result *r)
{
    const mt_input *in = &r->in;
    mt_plan *p = &r->plan;

    if (r->triage.level <= LEVEL_URGENT) {
        p->follow_up.weeks = -1;
        p->follow_up.reason = "Measure again after you have been seen and your doctor agrees.";
        p->follow_up.source = "REDFLAGS";
    } else {
        p->follow_up.weeks = RE_MEASURE_WEEKS;
        p->follow_up.reason = "Strength training shows its gains over 8 to 12 weeks; measure "
                              "again then to see the change.";
        p->follow_up.source = "RATES";
    }
    /* the tracking measures (REFERENCE §12), and the others measured today */
    p->follow_up.measures[p->follow_up.n++] = "grip";
    p->follow_up.measures[p->follow_up.n++] = "chair_stand_5x";
    p->follow_up.measures[p->follow_up.n++] = "gait_speed";
    if (in->sppb.form)
        p->follow_up.measures[p->follow_up.n++] = "sppb";
    if (in->six_minute_walk.state)
        p->follow_up.measures[p->follow_up.n++] = "six_minute_walk";
    if (in->tug.state)
        p->follow_up.measures[p->follow_up.n++] = "tug";
    if (in->calf.state)
        p->follow_up.measures[p->follow_up.n++] = "calf";
    p->follow_up.measures[p->follow_up.n++] = "weight";
}

void mt_plan_care(mt_result *r)
{
    referrals(r);
    tests(r);
    follow_up(r);
}
