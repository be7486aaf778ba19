/*
 * plan.h - the care plan (REFERENCE §11): exercise, protein, referrals,
 * tests to request and when to re-measure. Every item carries a one-line
 * reason in plain language and a source ID.
 */
#ifndef MT_PLAN_H
#define MT_PLAN_H

#include "definitions/definition.h"

/* What the exercise plan is, given triage and cause. */
enum {
    EX_ACTIVE,          /* progressive resistance training */
    EX_ASSISTED,        /* neurogenic: assisted range of motion, no load progression */
    EX_WITH_TEAM,       /* cachexia or serious illness: only with the treating team */
    EX_NOT_UNTIL_SEEN   /* emergency or urgent triage: no exercise until seen */
};

/* Equipment bits (EQ_* of input.h) a level needs: any one of them. */
#define NEEDS(e) (1u << (e))

typedef struct mt_level {
    const char *name;
    const char *how; /* one or two plain sentences */
    unsigned needs;  /* 0: nothing beyond a chair, wall or counter */
} mt_level;

typedef struct mt_movement {
    const char *id;
    const char *why;
    const char *source;
    int n_levels;
    const mt_level *levels; /* easiest first */
    int dose;               /* DOSE_*: what is counted */
} mt_movement;

/* How a movement is dosed: sets of repetitions, sets of holds, or neither
 * (assisted range of motion, guided by a physiotherapist). */
enum { DOSE_REPS, DOSE_HOLD, DOSE_NONE };

typedef struct mt_prescribed {
    const mt_movement *mv;
    int level;              /* index into mv->levels */
    int sets[2], reps[2];   /* ranges; 0 when not counted (range of motion) */
} mt_prescribed;

typedef struct mt_item {
    const char *id;
    const char *text;   /* what: "See a physiotherapist" */
    const char *reason; /* why, one plain line */
    const char *source;
} mt_item;

#define MT_MAX_EXERCISES 12
#define MT_MAX_ITEMS     10

typedef struct mt_nutrition {
    int row;            /* PROTEIN_* */
    double per_kg[2];   /* g/kg/day; [0] is NAN when only a ceiling applies */
    int has_day;        /* weight known */
    double per_day[2];  /* g/day, whole grams; [0] NAN with per_kg[0] */
    double per_meal[2]; /* g per main meal; [0] NAN with per_kg[0] */
    double energy_kcal; /* NAN when not given */
    int n_warnings;
    mt_item warnings[4];
} mt_nutrition;

typedef struct mt_plan {
    struct {
        int status; /* EX_* */
        int beginner;
        int seated; /* standing is unsafe: the seated set */
        int load_progression;
        int n;
        mt_prescribed ex[MT_MAX_EXERCISES];
        int n_precautions;
        mt_item precautions[MT_MAX_ITEMS];
    } exercise;
    mt_nutrition nutrition;
    int n_referrals;
    mt_item referrals[MT_MAX_ITEMS];
    int n_tests;
    mt_item tests[MT_MAX_ITEMS];
    struct {
        int weeks; /* -1: after being seen */
        int n;
        const char *measures[MT_MAX_ITEMS];
        const char *reason;
        const char *source;
    } follow_up;
} mt_plan;

/* The rows the plan compares (criterion indexes of mt_plan_rules). */
enum { PLAN_KIDNEY, PLAN_OLDER_ADULT, PLAN_EXERCISING, PLAN_N };
extern const mt_definition mt_plan_rules;

/* The protein rows of REFERENCE §11, first match wins. */
enum {
    PROTEIN_KIDNEY,
    PROTEIN_SEVERE_ILLNESS,
    PROTEIN_DISEASE,
    PROTEIN_OLDER_EXERCISING,
    PROTEIN_OLDER,
    PROTEIN_YOUNGER_EXERCISING,
    PROTEIN_YOUNGER,
    PROTEIN_N
};

typedef struct mt_protein_row {
    const char *id;
    double lo, hi; /* g/kg/day; lo NAN: "at most hi" */
    const char *reason;
    const char *source;
    int status; /* ST_*: of the upper value */
} mt_protein_row;

const mt_protein_row *mt_protein_row_at(int row);
const char *mt_exercise_status_str(int status);
extern const char *const mt_progression_rule;
extern const char *const mt_effort_text;

/** The movement of the ladder with this id (`len` bytes), or NULL (exercise.c). */
const mt_movement *mt_movement_find(const char *id, size_t len);
/** Every movement id, comma-separated, into dst (cap bytes), for messages. */
void mt_movement_ids(char *dst, size_t cap);
/** Does the person's equipment allow level `level` (0-based) of mv? */
int mt_level_usable(const mt_input *in, const mt_movement *mv, int level);

struct mt_result;
void mt_plan_assess(struct mt_result *r);
void mt_plan_exercise(struct mt_result *r);
void mt_plan_nutrition(struct mt_result *r);
void mt_plan_care(struct mt_result *r); /* referrals, tests, follow-up */

/* Helpers the plan files share (plan/rules.c). */
int mt_plan_row_met(const struct mt_result *r, int row);
int mt_serious_illness(const struct mt_result *r); /* cachexia or severe malnutrition */
int mt_neurogenic_plan(const struct mt_result *r);
void mt_item_add(mt_item *items, int *n, int max, const char *id, const char *text,
                 const char *reason, const char *source);

#endif
