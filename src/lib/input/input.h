/*
 * input.h - the validated assessment document, in canonical units.
 *
 * The document parser (document.c) fills an mt_input; the engine reads it and
 * nothing else. Every quantity carries an explicit state, so "not measured"
 * is never confused with zero, and "unable" (chair stand) or "not completed"
 * (400 m walk) are kept apart from a timed value.
 *
 * Canonical units: kg, cm (height, calf), m (distances), s, m/s, ohm, years.
 * Every quantity is rounded to 4 decimal places of its canonical unit when it
 * is stored (mt_round4), so the value shown in a report is exactly the value
 * the rules compared.
 */
#ifndef MT_INPUT_H
#define MT_INPUT_H

#include <math.h>

#include "myotrack.h"

enum { MT_Q_ABSENT = 0, MT_Q_VALUE = 1, MT_Q_UNABLE = 2 };

/** One quantity: absent, a value, or "unable / not completed". */
typedef struct mt_q {
    unsigned char state;
    double v;
} mt_q;

#define MT_HAS(q) ((q).state == MT_Q_VALUE)

typedef enum { MT_FEMALE = 0, MT_MALE = 1 } mt_sex;
typedef enum { MT_COMMUNITY = 0, MT_HOSPITAL = 1 } mt_setting;
typedef enum { MT_ASM_NONE = 0, MT_ASM_DXA = 1, MT_ASM_BIA = 2 } mt_asm_method;
typedef enum {
    MT_BIA_SERGI2015 = 0,
    MT_BIA_KIM2014,
    MT_BIA_YOSHIDA2014,
    MT_BIA_JANSSEN2000,
    MT_BIA_N
} mt_bia_equation;
typedef enum { MT_SPPB_NONE = 0, MT_SPPB_ITEMS, MT_SPPB_TOTAL, MT_SPPB_TIMES } mt_sppb_form;
typedef enum { MT_SARCF_NONE = 0, MT_SARCF_ITEMS, MT_SARCF_TOTAL } mt_sarcf_form;

#define MT_MAX_GRIP_TRIALS 12
#define MT_SARCF_ITEMS_N   5

struct mt_input {
    int sex;
    mt_q age, height, weight;
    int setting;

    int sarc_f_form;
    int sarc_f[MT_SARCF_ITEMS_N]; /* strength, walking, chair, stairs, falls */
    int sarc_f_total;

    mt_q grip; /* the best reading: given, or the maximum of grip_trials */
    int n_grip_trials;
    double grip_trials[MT_MAX_GRIP_TRIALS];

    mt_q chair_stand_5x; /* UNABLE = "unable" */
    mt_q gait_speed;     /* as given */
    mt_q walk_distance;  /* walk {distance m, time s} */
    mt_q walk_time;
    mt_q tug;
    mt_q walk_400m; /* UNABLE = "not_completed" */
    mt_q six_minute_walk;
    mt_q calf;

    struct {
        int form;
        int balance, gait, chair, total;        /* ITEMS / TOTAL forms */
        mt_q side_by_side, semi_tandem, tandem; /* TIMES form, seconds held */
        mt_q walk;                              /* UNABLE = "unable" */
        int walk_course_m;                      /* 4 or 3 */
        mt_q chair_5x;                          /* UNABLE = "unable" */
    } sppb;

    mt_q asm_kg;
    int asm_method;
    struct {
        int given;
        mt_q resistance, reactance;
        int equation;
    } bia;
};

/** Round to 4 decimal places: the precision every stored value is kept at. */
static inline double mt_round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

/** Gait speed (m/s) of a timed walk, rounded like every stored value. */
static inline double mt_walk_speed(double distance_m, double time_s)
{
    return mt_round4(distance_m / time_s);
}

/** The id of a BIA equation ("sergi2015", ...). */
const char *mt_bia_equation_id(int eq);

#endif
