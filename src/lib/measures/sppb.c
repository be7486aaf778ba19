/*
 * sppb.c - the Short Physical Performance Battery (Guralnik 1994; 4 m bands
 * of the NIA protocol), REFERENCE §4. Item scores from raw times; the total
 * from items, a given total, or times. The printed bands are to 0.01 s; they
 * are implemented as half-open intervals on their upper edges so that no time
 * falls between two bands.
 */
#include <math.h>

#include "engine/result.h"
#include "measures/pick.h"

typedef struct {
    double upper;  /* band's upper edge, seconds */
    int inclusive; /* 1: t <= upper, 0: t < upper */
    int points;
} band;

/* SPPB [c]: 4 m usual-pace walk, faster of two. */
static const band walk_4m[] = {{4.82, 0, 4}, {6.20, 1, 3}, {8.70, 1, 2}, {INFINITY, 1, 1}};
/* SPPB [c]: 3 m course. */
static const band walk_3m[] = {{3.62, 1, 4}, {4.65, 1, 3}, {6.52, 1, 2}, {INFINITY, 1, 1}};
/* SPPB [c; the 60 s cap is to_confirm]: 5x chair stand, arms folded. */
static const band chair_5x[] = {
    {11.19, 1, 4}, {13.69, 1, 3}, {16.69, 1, 2}, {60, 1, 1}, {INFINITY, 1, 0}};

/* Balance [c]: each stance held up to 10 s; tandem 3 s splits 2 from 3. */
#define BALANCE_FULL_HOLD 10.0
#define TANDEM_PARTIAL    3.0

static int score(const band *b, double t)
{
    for (;; b++)
        if (b->inclusive ? t <= b->upper : t < b->upper)
            return b->points;
}

int mt_sppb_walk_points(double seconds, int course_m)
{
    return score(course_m == 3 ? walk_3m : walk_4m, seconds);
}

int mt_sppb_chair_points(double seconds)
{
    return score(chair_5x, seconds);
}

int mt_sppb_balance_points(double side_by_side, double semi_tandem, double tandem)
{
    if (side_by_side < BALANCE_FULL_HOLD)
        return 0;
    if (semi_tandem < BALANCE_FULL_HOLD)
        return 1;
    if (tandem < TANDEM_PARTIAL)
        return 2;
    if (tandem < BALANCE_FULL_HOLD)
        return 3;
    return 4;
}

/* Every measure this writes it writes on every call, a value or absent (the
 * zero mt_q): a cohort row's measures (mt_row_classify) are not cleared
 * before, so nothing is left from the row before. */
static const mt_q absent;

/* The SPPB's form is TOTAL or none at random, row by row, in a cohort: the
 * total and M_SPPB from it are selects made without a jump (pick.h); a jump
 * is kept on the items and times, which a cohort row hardly ever has. (Gait
 * speed and the chair stand keep theirs: a cohort nearly always gives them,
 * and a select costs more than the rare mispredicted jump.) */
void mt_measures_performance(mt_result *res, int report)
{
    const mt_input *in = &res->in;
    mt_q *m = res->m;
    int form = in->sppb.form, has;

    _Static_assert(MT_Q_ABSENT == 0 && MT_Q_VALUE == 1, "a state from a test");
    res->sppb.balance = res->sppb.gait = res->sppb.chair = -1;
    res->sppb.total = mt_pick_int(form == MT_SPPB_TOTAL, in->sppb.total, -1);
    if (form == MT_SPPB_ITEMS || form == MT_SPPB_TIMES) {
        if (form == MT_SPPB_ITEMS) {
            res->sppb.balance = in->sppb.balance;
            res->sppb.gait = in->sppb.gait;
            res->sppb.chair = in->sppb.chair;
        } else {
            res->sppb.balance = mt_sppb_balance_points(in->sppb.side_by_side.v,
                                                       in->sppb.semi_tandem.v, in->sppb.tandem.v);
            res->sppb.gait = MT_HAS(in->sppb.walk)
                                 ? mt_sppb_walk_points(in->sppb.walk.v, in->sppb.walk_course_m)
                                 : 0;
            res->sppb.chair =
                MT_HAS(in->sppb.chair_5x) ? mt_sppb_chair_points(in->sppb.chair_5x.v) : 0;
        }
        if (res->sppb.balance >= 0)
            res->sppb.total = res->sppb.balance + res->sppb.gait + res->sppb.chair;
    }
    /* a value when the total is, else absent (state and v 0, absent's; the
     * padding is calloc's zeros either way: m[M_SPPB] is written only here) */
    has = res->sppb.total >= 0;
    m[M_SPPB].state = (unsigned char)has;
    m[M_SPPB].v = (double)mt_pick_int(has, res->sppb.total, 0);

    /* Gait speed: as measured, else from a timed walk, else from the SPPB walk. */
    if (in->gait_speed.state) {
        m[M_GAIT] = in->gait_speed;
        res->gait_source = SRC_MEASURED;
    } else if (MT_HAS(in->walk_distance)) {
        m[M_GAIT].state = MT_Q_VALUE;
        m[M_GAIT].v = mt_walk_speed(in->walk_distance.v, in->walk_time.v);
        res->gait_source = SRC_WALK;
    } else if (in->sppb.form == MT_SPPB_TIMES && MT_HAS(in->sppb.walk)) {
        m[M_GAIT].state = MT_Q_VALUE;
        m[M_GAIT].v = mt_walk_speed(in->sppb.walk_course_m, in->sppb.walk.v);
        res->gait_source = SRC_SPPB;
    } else {
        m[M_GAIT] = absent;
    }
    /* Chair stand: as measured, else the SPPB's timed chair stand. */
    if (in->chair_stand_5x.state) {
        m[M_CHAIR5X] = in->chair_stand_5x;
        res->chair_source = SRC_MEASURED;
    } else if (in->sppb.form == MT_SPPB_TIMES) {
        m[M_CHAIR5X] = in->sppb.chair_5x;
        res->chair_source = SRC_SPPB;
    } else {
        m[M_CHAIR5X] = absent;
    }
    m[M_TUG] = in->tug;
    m[M_W400] = in->walk_400m;
    m[M_SIX_MW] = in->six_minute_walk;

    /* Six-minute walk against Enright & Sherrill: only a report shows it (no
     * rule reads res->six_mw; M_SIX_MW is the distance itself). */
    if (report && MT_HAS(in->six_minute_walk) && MT_HAS(in->height) && MT_HAS(in->weight)) {
        double pred = mt_six_mw_predicted(in->sex, in->height.v, in->weight.v, in->age.v);
        res->six_mw.known = 1;
        res->six_mw.predicted = pred;
        res->six_mw.lower_limit = mt_round4(pred - mt_six_mw_lower_limit_offset(in->sex));
        res->six_mw.has_percent = pred > 0;
        res->six_mw.percent_predicted =
            pred > 0 ? mt_round4(in->six_minute_walk.v / pred * 100.0) : 0;
        res->six_mw.below_lower_limit = in->six_minute_walk.v < res->six_mw.lower_limit;
    }
}
