/*
 * causes.c - the differential: which cause of muscle loss the answers point
 * to, most likely first (REFERENCE §10).
 *
 * REFERENCE §10 is a table of features (time course, distribution,
 * fasciculations, sensory loss, reflexes, CK) against causes. Here each
 * feature is a row: the cause it speaks to, a weight (+ for, - against) and
 * the plain-language text shown. A cause is listed when at least one feature
 * speaks for it; its likelihood is read from the summed weights: 4 or more
 * high, 2-3 moderate, 1 or less low (an engine convention: REFERENCE gives
 * the features, not a scoring). A decisive feature weighs 4 (a cast or bed
 * rest, a definition met, onset in childhood), a strong one 3 (twitching,
 * ascending weakness), a supporting one 1-2. Results of the definitions (sarcopenia,
 * cachexia, malnutrition) and of the red-flag rows count as features.
 */
#include <string.h>

#include "differential/differential.h"
#include "engine/result.h"

enum {
    FT_IMMOBILIZED,
    FT_BED_REST,
    FT_ONSET_WEEKS,
    FT_LOCAL_AFTER_CAST,
    FT_NERVE_SIGNS_AGAINST_DISUSE,
    FT_YEARS_AGAINST_DISUSE,
    FT_DEFINITION_LOW,
    FT_ONSET_YEARS,
    FT_BOTH_SIDES,
    FT_FASCICULATIONS_AGAINST,
    FT_NUMBNESS_AGAINST,
    FT_ONE_SIDE_AGAINST,
    FT_FAST_ONSET_AGAINST,
    FT_CK_AGAINST,
    FT_CHILDHOOD_AGAINST,
    FT_FASCICULATIONS,
    FT_NUMBNESS,
    FT_REFLEXES_ABNORMAL,
    FT_REFLEXES_NORMAL,
    FT_ASCENDING,
    FT_ONE_SIDE_NO_CAUSE,
    FT_NEURO_CONDITION,
    FT_DIABETES,
    FT_PROXIMAL,
    FT_CK_RAISED,
    FT_CK_NORMAL,
    FT_MUSCLE_MEDICINE,
    FT_MUSCLE_PAIN,
    FT_DARK_URINE,
    FT_NERVE_SIGNS_AGAINST_MYOPATHY,
    FT_CACHEXIA_DEFINITION,
    FT_WEIGHT_LOSS,
    FT_CHRONIC_ILLNESS,
    FT_APPETITE,
    FT_WEIGHT_STABLE,
    FT_GLIM_MALNUTRITION,
    FT_LOW_INTAKE,
    FT_LOW_BMI,
    FT_GLIM_NONE,
    FT_CHILDHOOD_ONSET,
    FT_FAMILY_HISTORY,
    FT_N
};

static const struct {
    unsigned char cause;
    signed char weight;
    const char *text;
} features[FT_N] = {
    [FT_IMMOBILIZED] = {CAUSE_DISUSE, 4, "a cast, brace or splint kept the limb still"},
    [FT_BED_REST] = {CAUSE_DISUSE, 4, "a period of bed rest"},
    [FT_ONSET_WEEKS] = {CAUSE_DISUSE, 1, "the loss began over weeks"},
    [FT_LOCAL_AFTER_CAST] = {CAUSE_DISUSE, 1, "the loss is on one side, where the limb was kept "
                                              "still (a local cause)"},
    [FT_NERVE_SIGNS_AGAINST_DISUSE] = {CAUSE_DISUSE, -2, "twitching, numbness or changed "
                                                         "reflexes are not explained by disuse"},
    [FT_YEARS_AGAINST_DISUSE] = {CAUSE_DISUSE, -1, "a change over years is not the time course "
                                                   "of disuse"},
    [FT_DEFINITION_LOW] = {CAUSE_SARCOPENIA, 2, "a consensus definition found low strength or "
                                                "muscle mass"},
    [FT_ONSET_YEARS] = {CAUSE_SARCOPENIA, 2, "a gradual change over years"},
    [FT_BOTH_SIDES] = {CAUSE_SARCOPENIA, 1, "both sides are affected (generalised)"},
    [FT_FASCICULATIONS_AGAINST] = {CAUSE_SARCOPENIA, -2, "muscle twitching is not a feature of "
                                                         "age-related loss"},
    [FT_NUMBNESS_AGAINST] = {CAUSE_SARCOPENIA, -2, "numbness or tingling is not a feature of "
                                                   "age-related loss"},
    [FT_ONE_SIDE_AGAINST] = {CAUSE_SARCOPENIA, -2, "loss on one side points to a local cause; "
                                                   "age-related loss is generalised"},
    [FT_FAST_ONSET_AGAINST] = {CAUSE_SARCOPENIA, -1, "a start over days or suddenly is too fast "
                                                     "for age-related loss"},
    [FT_CK_AGAINST] = {CAUSE_SARCOPENIA, -1, "a raised CK is not a feature of age-related loss"},
    [FT_CHILDHOOD_AGAINST] = {CAUSE_SARCOPENIA, -2, "weakness since childhood is not "
                                                    "age-related"},
    [FT_FASCICULATIONS] = {CAUSE_NEUROGENIC, 3, "muscle twitching (fasciculations)"},
    [FT_NUMBNESS] = {CAUSE_NEUROGENIC, 2, "numbness or tingling (sensory loss)"},
    [FT_REFLEXES_ABNORMAL] = {CAUSE_NEUROGENIC, 2, "reflexes absent, reduced or brisk"},
    [FT_REFLEXES_NORMAL] = {CAUSE_NEUROGENIC, -1, "normal reflexes"},
    [FT_ASCENDING] = {CAUSE_NEUROGENIC, 3, "weakness spreading up from the legs"},
    [FT_ONE_SIDE_NO_CAUSE] = {CAUSE_NEUROGENIC, 1, "loss on one side without a cast or bed rest "
                                                   "to explain it"},
    [FT_NEURO_CONDITION] = {CAUSE_NEUROGENIC, 2, "a nerve or brain condition (multiple "
                                                 "sclerosis, stroke or Parkinson's)"},
    [FT_DIABETES] = {CAUSE_NEUROGENIC, 1, "diabetes, which can damage nerves"},
    [FT_PROXIMAL] = {CAUSE_MYOPATHY, 2, "weakness of the hips and shoulders on both sides "
                                        "(proximal)"},
    [FT_CK_RAISED] = {CAUSE_MYOPATHY, 2, "CK above the lab's upper limit"},
    [FT_CK_NORMAL] = {CAUSE_MYOPATHY, -1, "CK within the lab's limit"},
    [FT_MUSCLE_MEDICINE] = {CAUSE_MYOPATHY, 1, "a medicine that can affect muscle (a statin or "
                                               "a corticosteroid)"},
    [FT_MUSCLE_PAIN] = {CAUSE_MYOPATHY, 1, "muscle pain"},
    [FT_DARK_URINE] = {CAUSE_MYOPATHY, 2, "dark urine, a sign of muscle breakdown"},
    [FT_NERVE_SIGNS_AGAINST_MYOPATHY] = {CAUSE_MYOPATHY, -1, "twitching or numbness point to "
                                                             "the nerves rather than the muscle"},
    [FT_CACHEXIA_DEFINITION] = {CAUSE_CACHEXIA, 4, "a cachexia definition (Fearon 2011 or Evans "
                                                   "2008) is met"},
    [FT_WEIGHT_LOSS] = {CAUSE_CACHEXIA, 2, "more than 5 % of body weight lost in 6 months"},
    [FT_CHRONIC_ILLNESS] = {CAUSE_CACHEXIA, 1, "a long-term illness that wastes muscle (such as "
                                                "cancer, COPD, heart or kidney failure)"},
    [FT_APPETITE] = {CAUSE_CACHEXIA, 1, "a reduced appetite"},
    [FT_WEIGHT_STABLE] = {CAUSE_CACHEXIA, -1, "weight has not fallen by more than 5 % in 6 "
                                              "months"},
    [FT_GLIM_MALNUTRITION] = {CAUSE_MALNUTRITION, 4, "GLIM criteria for malnutrition are met"},
    [FT_LOW_INTAKE] = {CAUSE_MALNUTRITION, 2, "eating half the usual amount or less"},
    [FT_LOW_BMI] = {CAUSE_MALNUTRITION, 1, "a low BMI for age (GLIM)"},
    [FT_GLIM_NONE] = {CAUSE_MALNUTRITION, -2, "GLIM criteria for malnutrition are not met"},
    [FT_CHILDHOOD_ONSET] = {CAUSE_GENETIC, 4, "weakness since childhood"},
    [FT_FAMILY_HISTORY] = {CAUSE_GENETIC, 2, "a family history of a nerve or muscle disease"},
};

static const char *const cause_ids[CAUSE_N] = {"disuse",   "sarcopenia",   "neurogenic", "myopathy",
                                               "cachexia", "malnutrition", "genetic"};

static const char *const steps_disuse[] = {
    "Start the exercise plan: muscle lost to disuse usually comes back with training.",
    "Measure the calf or thigh on both sides: a 2 cm difference is worth re-measuring, 3 cm at "
    "the thigh suggests wasting.",
    NULL};
static const char *const steps_sarcopenia[] = {
    "Strength training and enough protein (see the plan).",
    "Measure muscle mass (DXA or BIA) if it has not been measured.",
    "Blood tests: CK, blood count, TSH, vitamin D, glucose and HbA1c, kidney and liver "
    "function.",
    NULL};
static const char *const steps_neurogenic[] = {
    "Nerve tests: EMG and nerve conduction studies.", "See a neurologist.",
    "Physiotherapy for assisted range-of-motion exercise.", NULL};
static const char *const steps_myopathy[] = {
    "Blood tests: CK and thyroid (TSH).",
    "Review medicines that can affect muscle (statins, steroids) with the doctor.",
    "See a neurologist or rheumatologist if CK is raised.", NULL};
static const char *const steps_cachexia[] = {
    "Talk to the treating team about the underlying illness, nutrition and exercise.",
    "Weigh yourself every month and bring the numbers.", NULL};
static const char *const steps_malnutrition[] = {
    "See a dietitian.", "Blood tests: blood count, kidney and liver function.", NULL};
static const char *const steps_genetic[] = {
    "See a neuromuscular specialist; genetic testing may be offered.", NULL};

static const char *const *const steps[CAUSE_N] = {
    steps_disuse,   steps_sarcopenia,   steps_neurogenic, steps_myopathy,
    steps_cachexia, steps_malnutrition, steps_genetic};

const char *mt_cause_id(int cause)
{
    return cause >= 0 && cause < CAUSE_N ? cause_ids[cause] : "?";
}

const char *mt_likelihood_str(int likelihood)
{
    static const char *const s[] = {"high", "moderate", "low"};
    return likelihood >= 0 && likelihood <= LIKELY_LOW ? s[likelihood] : "?";
}

const char *mt_feature_text(int feature)
{
    return feature >= 0 && feature < FT_N ? features[feature].text : "";
}

const char *const *mt_cause_steps(int cause)
{
    return cause >= 0 && cause < CAUSE_N ? steps[cause] : NULL;
}

/* What several features share, worked out once per assessment. */
typedef struct context {
    int disuse, nerve_signs, ck, loss;
} context;

/* Does feature f hold for this person? */
static int holds(const mt_result *r, const context *cx, int f)
{
    const mt_input *in = &r->in;
    int disuse = cx->disuse, nerve_signs = cx->nerve_signs, ck = cx->ck, loss = cx->loss;

    switch (f) {
    case FT_IMMOBILIZED:
        return MT_HAS(in->hx.immobilization_weeks) && in->hx.immobilization_weeks.v > 0;
    case FT_BED_REST:
        return MT_HAS(in->hx.bed_rest_days) && in->hx.bed_rest_days.v > 0;
    case FT_ONSET_WEEKS:
        return in->sym.onset == ONSET_WEEKS && disuse;
    case FT_LOCAL_AFTER_CAST:
        return in->sym.side == SIDE_ONE && disuse;
    case FT_NERVE_SIGNS_AGAINST_DISUSE:
        return nerve_signs && disuse;
    case FT_YEARS_AGAINST_DISUSE:
        return in->sym.onset == ONSET_YEARS && disuse;
    case FT_DEFINITION_LOW:
        return r->found.sarcopenia_found;
    case FT_ONSET_YEARS:
        return in->sym.onset == ONSET_YEARS;
    case FT_BOTH_SIDES:
        return in->sym.side == SIDE_BOTH;
    case FT_FASCICULATIONS_AGAINST:
    case FT_FASCICULATIONS:
        return MT_YES(in->sym.fasciculations);
    case FT_NUMBNESS_AGAINST:
    case FT_NUMBNESS:
        return MT_YES(in->sym.numbness);
    case FT_ONE_SIDE_AGAINST:
        return in->sym.side == SIDE_ONE;
    case FT_FAST_ONSET_AGAINST:
        return in->sym.onset == ONSET_SUDDEN || in->sym.onset == ONSET_DAYS;
    case FT_CK_AGAINST:
    case FT_CK_RAISED:
        return ck == 1;
    case FT_CHILDHOOD_AGAINST:
    case FT_CHILDHOOD_ONSET:
        return MT_YES(in->hx.childhood_onset);
    case FT_REFLEXES_ABNORMAL:
        return in->sym.reflexes >= 0 && in->sym.reflexes != REFLEX_NORMAL;
    case FT_REFLEXES_NORMAL:
        return in->sym.reflexes == REFLEX_NORMAL;
    case FT_ASCENDING:
        return MT_YES(in->sym.ascending);
    case FT_ONE_SIDE_NO_CAUSE:
        return in->sym.side == SIDE_ONE && !disuse;
    case FT_NEURO_CONDITION:
        return MT_SET_HAS(in->hx.conditions, HX_MULTIPLE_SCLEROSIS) ||
               MT_SET_HAS(in->hx.conditions, HX_STROKE) ||
               MT_SET_HAS(in->hx.conditions, HX_PARKINSONS);
    case FT_DIABETES:
        return MT_SET_HAS(in->hx.conditions, HX_DIABETES);
    case FT_PROXIMAL:
        return MT_YES(in->sym.proximal);
    case FT_CK_NORMAL:
        return ck == 0;
    case FT_MUSCLE_MEDICINE:
        return MT_SET_HAS(in->hx.medications, RX_STATIN) ||
               MT_SET_HAS(in->hx.medications, RX_CORTICOSTEROID);
    case FT_MUSCLE_PAIN:
        return MT_YES(in->sym.muscle_pain);
    case FT_DARK_URINE:
        return MT_YES(in->sym.dark_urine);
    case FT_NERVE_SIGNS_AGAINST_MYOPATHY:
        return MT_YES(in->sym.fasciculations) || MT_YES(in->sym.numbness);
    case FT_CACHEXIA_DEFINITION:
        return r->found.cachexia || r->found.pre_cachexia;
    case FT_WEIGHT_LOSS:
        return loss == 1;
    case FT_CHRONIC_ILLNESS:
        return r->m[M_ILLNESS].state == MT_Q_VALUE && r->m[M_ILLNESS].v == 1;
    case FT_APPETITE:
        return MT_YES(in->hx.appetite_reduced);
    case FT_WEIGHT_STABLE:
        return loss == 0;
    case FT_GLIM_MALNUTRITION:
        return r->found.glim > 0;
    case FT_LOW_INTAKE:
        return r->found.glim_reduced_intake == 1;
    case FT_LOW_BMI:
        return r->found.glim_low_bmi == 1;
    case FT_GLIM_NONE:
        return r->found.glim == 0;
    case FT_FAMILY_HISTORY:
        return MT_YES(in->hx.family_history_neuromuscular);
    }
    return 0;
}

void mt_differential_assess(mt_result *r)
{
    mt_differential *dx = &r->differential;
    mt_cause all[CAUSE_N];
    context cx;
    int f, c, i, j;

    cx.disuse = mt_has_disuse_cause(&r->in);
    cx.nerve_signs = MT_YES(r->in.sym.fasciculations) || MT_YES(r->in.sym.numbness) ||
                     (r->in.sym.reflexes >= 0 && r->in.sym.reflexes != REFLEX_NORMAL);
    cx.ck = r->triage.rows.crit[TRI_CK_RAISED].met;
    cx.loss = r->triage.rows.crit[TRI_WEIGHT_LOSS].met;
    memset(all, 0, sizeof(all));
    for (c = 0; c < CAUSE_N; c++)
        all[c].cause = c;
    for (f = 0; f < FT_N; f++) {
        mt_cause *k = &all[features[f].cause];
        if (!holds(r, &cx, f))
            continue;
        k->score += features[f].weight;
        if (features[f].weight > 0 && k->n_for < MT_MAX_FEATURES)
            k->features_for[k->n_for++] = (unsigned char)f;
        else if (features[f].weight < 0 && k->n_against < MT_MAX_FEATURES)
            k->features_against[k->n_against++] = (unsigned char)f;
    }
    dx->n = 0;
    for (c = 0; c < CAUSE_N; c++) {
        if (all[c].n_for == 0)
            continue;
        all[c].likelihood = all[c].score >= 4   ? LIKELY_HIGH
                            : all[c].score >= 2 ? LIKELY_MODERATE
                                                : LIKELY_LOW;
        /* insert by score, keeping table order among equals */
        for (i = dx->n; i > 0 && dx->causes[i - 1].score < all[c].score; i--)
            ;
        for (j = dx->n; j > i; j--)
            dx->causes[j] = dx->causes[j - 1];
        dx->causes[i] = all[c];
        dx->n++;
    }
}

int mt_cause_at_least(const mt_result *r, int cause, int likelihood)
{
    int i;

    for (i = 0; i < r->differential.n; i++)
        if (r->differential.causes[i].cause == cause)
            return r->differential.causes[i].likelihood <= likelihood;
    return 0;
}
