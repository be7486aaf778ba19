/*
 * triage.c - the red flags of REFERENCE §9, most urgent first, and the one
 * level they set.
 *
 * Each pattern is a row: its id, level, plain-language explanation and
 * source, and a test over the document. The numbers the patterns compare
 * (CK against the lab's upper limit, weight loss) are rule rows like every
 * threshold (mt_triage_rules, listed by `myotrack rules`). Conventions
 * (docs/conventions.md): everyone assessed has weakness or muscle loss, so
 * "X together with weakness" is X; a question not asked never raises a flag.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"
#include "error.h"
#include "triage/triage.h"

static const char *const criteria[TRI_N] = {"ck_5x_uln", "ck_raised", "weight_loss_6m"};

static const mt_rule rules[] = {
    RULE(TRI_CK_5X_ULN, SEX_ANY, M_CK_ULN, OP_GE, 5, ROLE_FLAG, "REDFLAGS", ST_TO_CONFIRM),
    /* "raised CK": above the measuring lab's own upper limit of normal */
    RULE(TRI_CK_RAISED, SEX_ANY, M_CK_ULN, OP_GT, 1, ROLE_FLAG, "REDFLAGS", ST_CONVENTION),
    RULE(TRI_WEIGHT_LOSS, SEX_ANY, M_WEIGHT_LOSS_6M, OP_GT, 5, ROLE_FLAG, "REDFLAGS",
         ST_TO_CONFIRM),
};

static const char *const no_categories[] = {NULL};

const mt_definition mt_triage_rules = {
    .id = "triage",
    .name = "Triage",
    .title = "Red flags: the numbers they compare (REFERENCE §9)",
    .source = "REDFLAGS",
    .criteria = criteria,
    .n_criteria = TRI_N,
    .rules = rules,
    .n_rules = N_ROWS(rules),
    .categories = no_categories,
    .categorize = NULL,
};

static const mt_reason_info reasons[RF_N] = {
    [RF_STROKE] = {"stroke_signs", LEVEL_EMERGENCY,
                   "Signs of a possible stroke: a drooping face, trouble speaking, sudden loss "
                   "of balance or sight, or sudden weakness on one side.",
                   "REDFLAGS"},
    [RF_BREATHING] = {"breathing_involvement", LEVEL_EMERGENCY,
                      "Trouble breathing together with weakness can mean the breathing muscles "
                      "are affected.",
                      "REDFLAGS"},
    [RF_BULBAR] = {"bulbar_involvement", LEVEL_EMERGENCY,
                   "New trouble swallowing or speaking together with weakness can mean the "
                   "throat muscles are affected.",
                   "REDFLAGS"},
    [RF_ASCENDING] = {"ascending_weakness", LEVEL_URGENT,
                      "Weakness spreading up from the legs over days, or with reflexes gone, "
                      "can be Guillain-Barre syndrome, which needs care the same day.",
                      "REDFLAGS"},
    [RF_SPINAL_CORD] = {"spinal_cord", LEVEL_URGENT,
                        "Numbness between the legs or new bladder or bowel trouble with leg "
                        "weakness can mean pressure on the spinal cord or its nerves.",
                        "REDFLAGS"},
    [RF_RHABDOMYOLYSIS] = {"rhabdomyolysis", LEVEL_URGENT,
                           "Dark (tea or cola coloured) urine or a very high CK can mean muscle "
                           "is breaking down fast, which can harm the kidneys.",
                           "REDFLAGS"},
    [RF_MOTOR_NEURON] = {"motor_neuron_pattern", LEVEL_PROMPT,
                         "Muscle twitching with muscle loss should be checked by a doctor for a "
                         "nerve cause.",
                         "REDFLAGS"},
    [RF_NEUROPATHY] = {"neuropathy_pattern", LEVEL_PROMPT,
                       "Numbness or tingling with weakness points to the nerves and should be "
                       "checked.",
                       "REDFLAGS"},
    [RF_MYOPATHY] = {"myopathy_pattern", LEVEL_PROMPT,
                     "Weakness of the hips and shoulders on both sides, muscle pain on a statin, "
                     "or a raised CK points to the muscle itself and should be checked.",
                     "REDFLAGS"},
    [RF_MYASTHENIC] = {"myasthenic_pattern", LEVEL_PROMPT,
                       "Weakness that gets worse with use, drooping eyelids or double vision "
                       "should be checked for myasthenia.",
                       "REDFLAGS"},
    [RF_UNEXPLAINED_LOSS] = {"unexplained_loss", LEVEL_PROMPT,
                             "Losing more than 5 % of body weight in 6 months needs a doctor to "
                             "look for the cause.",
                             "REDFLAGS"},
    [RF_WORSENING] = {"worsening_weakness", LEVEL_PROMPT,
                      "Weakness getting worse over weeks or months without a cast, bed rest or "
                      "other clear reason should be checked.",
                      "REDFLAGS"},
    [RF_SARCOPENIA_FOUND] = {"sarcopenia_found", LEVEL_ROUTINE,
                             "Low muscle strength or mass was found (see the definitions): worth "
                             "discussing at a regular appointment.",
                             "REDFLAGS"},
    [RF_DISUSE] = {"disuse_clear_cause", LEVEL_SELF_CARE,
                   "Muscle loss after a cast or bed rest, with no warning signs, usually comes "
                   "back with exercise.",
                   "REDFLAGS"},
    [RF_NONE] = {"no_warning_signs", LEVEL_SELF_CARE,
                 "None of the warning signs asked about were reported.", "REDFLAGS"},
};

static const char *const level_ids[LEVEL_N] = {"emergency", "urgent", "prompt", "routine",
                                               "self_care"};

static const char *const actions[LEVEL_N] = {
    "Call your emergency number now (for example 911, 112 or 999).",
    "Go to an emergency department or get medical care today.",
    "See a doctor within the next few days.",
    "Book a regular appointment to discuss these results.",
    "No warning signs: follow the plan and re-measure.",
};

const mt_reason_info *mt_reason(int rf)
{
    return rf >= 0 && rf < RF_N ? &reasons[rf] : NULL;
}

const char *mt_level_str(int level)
{
    return level >= 0 && level < LEVEL_N ? level_ids[level] : "?";
}

const char *mt_level_action(int level)
{
    return level >= 0 && level < LEVEL_N ? actions[level] : "";
}

int mt_has_disuse_cause(const mt_input *in)
{
    return (MT_HAS(in->hx.immobilization_weeks) && in->hx.immobilization_weeks.v > 0) ||
           (MT_HAS(in->hx.bed_rest_days) && in->hx.bed_rest_days.v > 0);
}

static int met(const mt_triage *t, int crit)
{
    return t->rows.crit[crit].met == 1;
}

/* Does pattern `rf` match? */
static int matches(const mt_result *r, const mt_triage *t, int rf, int with_definitions)
{
    const mt_input *in = &r->in;
    int sudden = in->sym.onset == ONSET_SUDDEN;

    switch (rf) {
    case RF_STROKE:
        return MT_YES(in->sym.face_droop) || MT_YES(in->sym.sudden_balance_loss) ||
               MT_YES(in->sym.speech_trouble) ||
               (sudden && (in->sym.side == SIDE_ONE || MT_YES(in->sym.vision_trouble) ||
                           MT_YES(in->sym.double_vision)));
    case RF_BREATHING:
        return MT_YES(in->sym.breathing_trouble);
    case RF_BULBAR:
        return MT_YES(in->sym.swallowing_trouble) || MT_YES(in->sym.speech_trouble);
    case RF_ASCENDING:
        return MT_YES(in->sym.ascending) ||
               (in->sym.onset == ONSET_DAYS &&
                (in->sym.reflexes == REFLEX_ABSENT || in->sym.reflexes == REFLEX_REDUCED));
    case RF_SPINAL_CORD:
        return MT_YES(in->sym.saddle_numbness) || MT_YES(in->sym.bladder_bowel_change);
    case RF_RHABDOMYOLYSIS:
        return MT_YES(in->sym.dark_urine) || met(t, TRI_CK_5X_ULN);
    case RF_MOTOR_NEURON:
        return MT_YES(in->sym.fasciculations);
    case RF_NEUROPATHY:
        return MT_YES(in->sym.numbness);
    case RF_MYOPATHY:
        return MT_YES(in->sym.proximal) || met(t, TRI_CK_RAISED) ||
               (MT_YES(in->sym.muscle_pain) && MT_SET_HAS(in->hx.medications, RX_STATIN));
    case RF_MYASTHENIC:
        return MT_YES(in->sym.fatigable) || MT_YES(in->sym.drooping_eyelids) ||
               (MT_YES(in->sym.double_vision) && !sudden);
    case RF_UNEXPLAINED_LOSS:
        return met(t, TRI_WEIGHT_LOSS);
    case RF_WORSENING:
        /* over years is not a warning sign; faster than weeks is kept (safer) */
        return MT_YES(in->sym.worsening) && in->sym.onset != ONSET_YEARS &&
               !mt_has_disuse_cause(in);
    case RF_SARCOPENIA_FOUND:
        return with_definitions && r->found.sarcopenia_found;
    case RF_DISUSE:
        return mt_has_disuse_cause(in);
    }
    return 0;
}

/* Fill t from r's input and measures; definitions are read when computed. */
static void decide(const mt_result *r, mt_triage *t, int with_definitions)
{
    unsigned char hit[RF_N];
    int rf, level;

    memset(t, 0, sizeof(*t));
    mt_definition_evaluate(&mt_triage_rules, &r->in, r->m, &t->rows);
    for (rf = 0; rf < RF_NONE; rf++)
        hit[rf] = (unsigned char)matches(r, t, rf, with_definitions);
    t->level = LEVEL_SELF_CARE;
    /* most urgent first: emit by level, then in table order */
    for (level = LEVEL_EMERGENCY; level < LEVEL_N; level++)
        for (rf = 0; rf < RF_NONE; rf++)
            if (hit[rf] && reasons[rf].level == level) {
                if (t->n == 0)
                    t->level = level;
                t->reasons[t->n++] = (unsigned char)rf;
            }
    if (t->n == 0)
        t->reasons[t->n++] = RF_NONE;
}

void mt_triage_assess(mt_result *r)
{
    decide(r, &r->triage, 1);
}

static void view(const mt_triage *t, mt_triage_view *out)
{
    const mt_reason_info *top = &reasons[t->reasons[0]];

    out->level = level_ids[t->level];
    out->action = actions[t->level];
    out->reason = top->id;
    out->explanation = top->explanation;
    out->source = top->source;
    out->n_reasons = t->n;
}

int mt_result_triage(const mt_result *res, mt_triage_view *out)
{
    if (!res || !out)
        return MT_EUSAGE;
    view(&res->triage, out);
    return MT_OK;
}

int mt_triage_symptoms(const mt_input *in, mt_triage *t)
{
    mt_result *res = calloc(1, sizeof(*res));

    if (!res)
        return MT_ENOMEM;
    res->in = *in;
    mt_measures_history(res); /* the red flags' numbers: CK, weight loss */
    decide(res, t, 0);
    free(res);
    return MT_OK;
}

int mt_triage_check(const char *json, size_t len, mt_triage_view *out, mt_error *err)
{
    mt_input *in = NULL;
    mt_triage t;
    int rc;

    if (!out)
        return MT_EUSAGE;
    rc = mt_input_parse_partial(&in, json, len, err);
    if (rc != MT_OK)
        return rc;
    rc = mt_triage_symptoms(in, &t);
    mt_input_free(in);
    if (rc != MT_OK)
        return mt_error_set(err, rc, "", "out of memory");
    view(&t, out);
    return MT_OK;
}
