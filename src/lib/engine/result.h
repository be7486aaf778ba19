/*
 * result.h - the outcome of one assessment, as the renderers read it.
 *
 * Everything here is decided by the engine (engine/, measures/,
 * definitions/); the renderers (render/) only format it.
 */
#ifndef MT_RESULT_H
#define MT_RESULT_H

#include "definitions/definition.h"
#include "differential/differential.h"
#include "plan/plan.h"
#include "triage/triage.h"

#define MT_MAX_DEFS 10

enum { SRC_NONE = 0, SRC_MEASURED, SRC_WALK, SRC_SPPB };

/* Grip centile bands (REFERENCE §5). */
enum { BAND_BELOW_P10, BAND_P10_P25, BAND_P25_P50, BAND_P50_P75, BAND_P75_P90, BAND_ABOVE_P90 };

struct mt_result {
    mt_input in;            /* the normalised input, echoed in the output */
    mt_q m[M_N];            /* every measure the rules compare */
    int gait_source;        /* SRC_*: how tests.gait_speed was obtained */
    int chair_source;       /* SRC_MEASURED or SRC_SPPB */
    mt_q whole_body_muscle; /* janssen2000 only: never used as ASM */

    struct {
        int total, balance, gait, chair; /* -1 when not known */
    } sppb;

    struct {
        int known;
        double centiles[5]; /* P10, P25, P50, P75, P90 for age and sex */
        int band;
        double median_for_age, peak_median, percent_of_peak;
    } grip;

    struct {
        int known;
        double predicted, lower_limit;
        int has_percent; /* predicted > 0 */
        double percent_predicted;
        int below_lower_limit;
    } six_mw;

    int sarc_calf_points; /* 0 or 10, when SARC-CalF is known */

    mt_def_result screening;
    mt_def_result defs[MT_MAX_DEFS]; /* indexed like mt_definitions[] */

    /* What the definitions found, read once by triage, differential and plan
     * (engine/summary.c), so they compare no strings. */
    struct {
        int sarcopenia_found;        /* probable or worse by any sarcopenia definition */
        int strength_low_mass_unknown; /* EWGSOP2 probable / AWGS possible, mass not measured */
        int cachexia;                /* Fearon 2011 cachexia or refractory, or Evans 2008 */
        int pre_cachexia;            /* Fearon 2011 */
        int glim;                    /* 0 none, 1 moderate, 2 severe, -1 insufficient */
        int slow_chair, slow_gait;   /* EWGSOP2 criteria: 1, 0, -1 */
        int glim_low_bmi, glim_reduced_intake;
    } found;

    mt_triage triage;             /* REFERENCE §9 (triage/) */
    mt_differential differential; /* REFERENCE §10 (differential/) */
    mt_def_result plan_rows;      /* the plan's numeric rows (plan/rules.c) */
    mt_plan plan;                 /* REFERENCE §11 (plan/) */
};

/** One criterion of one definition by id, or NULL (engine/assess.c). */
const mt_crit *mt_result_find(const mt_result *r, const char *definition, const char *criterion);

/** The same for the definition at position d (DEF_*) of mt_definitions[]. */
const mt_crit *mt_result_crit(const mt_result *r, int d, const char *criterion);

#define MT_MAX_SOURCES 48

/** The source IDs this result cites, in first-cited order (render/cited.c). */
int mt_result_sources(const mt_result *r, const char **ids, int max);

/* measures/ */
void mt_measures_body(mt_result *r);
/** The SPPB, gait speed, chair stand, TUG, 400 m and six-minute walk;
 *  `report` 0 (a cohort row) leaves out the six-minute walk's prediction
 *  (r->six_mw), which only a report shows. */
void mt_measures_performance(mt_result *r, int report);
void mt_measures_grip(mt_result *r);
/** The screening scores and rows; `report` 0 (a cohort row) computes only
 *  what a definition reads (SARC-F and SARC-CalF's scores): no Ishii score,
 *  and res->screening is left as it was. */
void mt_measures_screening(mt_result *r, int report);
void mt_measures_history(mt_result *r);
void mt_result_summarize(mt_result *r); /* fills r->found (engine/summary.c) */

/* Percent of `before_kg` lost by `now_kg`, rounded to 4 decimals (measures/history.c). */
double mt_weight_loss_percent(double before_kg, double now_kg);

/* The SPPB item scores, exposed for the unit tests (measures/sppb.c). */
int mt_sppb_balance_points(double side_by_side, double semi_tandem, double tandem);
int mt_sppb_walk_points(double seconds, int course_m);
int mt_sppb_chair_points(double seconds);

/* 6-minute walk prediction (measures/six_minute_walk.c). */
double mt_six_mw_predicted(int sex, double height_cm, double weight_kg, double age);
double mt_six_mw_lower_limit_offset(int sex);

/* BIA equations (measures/body.c): ASM in kg, or whole-body muscle for janssen2000. */
double mt_bia_estimate(int equation, int sex, double height_cm, double weight_kg, double age,
                       double resistance, double reactance);

/* Source ID and status (ST_*) of a BIA equation (measures/body.c). */
const char *mt_bia_source(int equation);
int mt_bia_status(int equation);

/* Grip norms (measures/grip.c): the five centiles at `age` for `sex`. */
void mt_grip_centiles(int sex, double age, double out[5]);
const char *mt_grip_band_str(int band);

#endif
