/*
 * triage.h - red flags and triage levels (REFERENCE §9).
 */
#ifndef MT_TRIAGE_H
#define MT_TRIAGE_H

#include "definitions/definition.h"

/* Levels, most urgent first: a smaller number is more urgent. */
enum { LEVEL_EMERGENCY, LEVEL_URGENT, LEVEL_PROMPT, LEVEL_ROUTINE, LEVEL_SELF_CARE, LEVEL_N };

/* The numeric rows the red flags compare (criterion indexes of mt_triage_rules). */
enum { TRI_CK_5X_ULN, TRI_CK_RAISED, TRI_WEIGHT_LOSS, TRI_N };

/* Reasons (the patterns of REFERENCE §9), in the order they are listed. */
enum {
    RF_STROKE,
    RF_BREATHING,
    RF_BULBAR,
    RF_ASCENDING,
    RF_SPINAL_CORD,
    RF_RHABDOMYOLYSIS,
    RF_MOTOR_NEURON,
    RF_NEUROPATHY,
    RF_MYOPATHY,
    RF_MYASTHENIC,
    RF_UNEXPLAINED_LOSS,
    RF_WORSENING,
    RF_SARCOPENIA_FOUND,
    RF_DISUSE,
    RF_NONE,
    RF_N
};

typedef struct mt_triage {
    int level;
    int n;
    unsigned char reasons[RF_N]; /* RF_*, most urgent first */
    mt_def_result rows;          /* the numeric rows, evaluated */
} mt_triage;

typedef struct mt_reason_info {
    const char *id;
    int level;
    const char *explanation; /* plain language, one line */
    const char *source;
} mt_reason_info;

extern const mt_definition mt_triage_rules;

const mt_reason_info *mt_reason(int rf);
const char *mt_level_str(int level);
const char *mt_level_action(int level);

struct mt_result;
/** Decide the triage of a result whose measures and definitions are computed. */
void mt_triage_assess(struct mt_result *r);

/** The red flags of a partial input, without definitions (a check-in's
 *  symptoms, tracking/): what mt_triage_check() decides, into `t`.
 *  @return MT_OK or MT_ENOMEM */
int mt_triage_symptoms(const mt_input *in, mt_triage *t);

/** A disuse cause is known: a cast/brace or bed rest in the history. */
int mt_has_disuse_cause(const mt_input *in);

#endif
