/*
 * json.c - the JSON rendering of a result: the output contract of
 * docs/output.md. Key names and nesting are public; later versions only add
 * keys. Values not measured are null, never 0. The writer is hand-rolled
 * (see buf.c for why) and emits 2-space-indented JSON in a fixed key order.
 */
#include <math.h>
#include <string.h>

#include "engine/result.h"
#include "render/buf.h"

#include "definitions/screening.h"

typedef struct jw {
    mt_buf b;
    int depth;
    int first; /* no member written yet at this depth */
} jw;

/* ",\n<indent>\"key\": " in one reservation: this runs for every member, so
 * it copies in one pass with no strlen or memcpy call. Keys are the
 * contract's own identifiers (no escaping needed), all far below KEY_ROOM;
 * a longer one would still be written whole, a byte at a time. */
#define KEY_ROOM 64

static void key(jw *w, const char *k)
{
    size_t indent = 2 * (size_t)(w->depth < 16 ? w->depth : 16), i;
    const char *end;
    char *o;

    if (!mt_buf_room(&w->b, indent + KEY_ROOM + 6))
        return;
    o = w->b.p + w->b.len;
    if (!w->first)
        *o++ = ',';
    w->first = 0;
    *o++ = '\n';
    for (i = 0; i < indent; i++)
        *o++ = ' ';
    if (k) {
        *o++ = '"';
        for (end = k + KEY_ROOM; *k && k < end;)
            *o++ = *k++;
        if (*k) { /* longer than KEY_ROOM: finish byte by byte */
            w->b.len = (size_t)(o - w->b.p);
            while (*k)
                mt_buf_putc(&w->b, *k++);
            mt_buf_put(&w->b, "\": ", 3);
            return;
        }
        *o++ = '"';
        *o++ = ':';
        *o++ = ' ';
    }
    w->b.len = (size_t)(o - w->b.p);
}

static void open_(jw *w, const char *k, char c)
{
    key(w, k);
    mt_buf_putc(&w->b, c);
    w->depth++;
    w->first = 1;
}

static void close_(jw *w, char c)
{
    w->depth--;
    if (!w->first) {
        w->first = 1; /* a bare newline and indent, no comma */
        key(w, NULL);
    }
    mt_buf_putc(&w->b, c);
    w->first = 0;
}

#define obj(w, k)  open_(w, k, '{')
#define end_obj(w) close_(w, '}')
#define arr(w, k)  open_(w, k, '[')
#define end_arr(w) close_(w, ']')

static void num(jw *w, const char *k, double v)
{
    key(w, k);
    mt_buf_num(&w->b, v);
}

static void integer(jw *w, const char *k, long long v)
{
    key(w, k);
    mt_buf_int(&w->b, v);
}

static void str(jw *w, const char *k, const char *s)
{
    key(w, k);
    if (s)
        mt_buf_json_str(&w->b, s);
    else
        mt_buf_puts(&w->b, "null");
}

static void boolean(jw *w, const char *k, int v)
{
    key(w, k);
    mt_buf_puts(&w->b, v ? "true" : "false");
}

static void null(jw *w, const char *k)
{
    key(w, k);
    mt_buf_puts(&w->b, "null");
}

/* met: 1 true, 0 false, -1 null */
static void tristate(jw *w, const char *k, int v)
{
    if (v < 0)
        null(w, k);
    else
        boolean(w, k, v);
}

static void qty(jw *w, const char *k, mt_q q)
{
    if (q.state == MT_Q_VALUE)
        num(w, k, q.v);
    else
        null(w, k);
}

/* A quantity that may be "unable"/"not_completed": the word, else a number or null. */
static void qty_word(jw *w, const char *k, mt_q q, const char *word)
{
    if (q.state == MT_Q_UNABLE)
        str(w, k, word);
    else
        qty(w, k, q);
}

static void opt_int(jw *w, const char *k, int v)
{
    if (v < 0)
        null(w, k);
    else
        integer(w, k, v);
}

/* ---- the normalised input ------------------------------------------------ */

static void flag(jw *w, const char *k, mt_flag f)
{
    if (f >= 0)
        boolean(w, k, f);
}

static void word(jw *w, const char *k, int v, const char *const *words)
{
    if (v >= 0)
        str(w, k, words[v]);
}

static void set(jw *w, const char *k, mt_set s, const char *const *words)
{
    int i;

    if (!s.known)
        return;
    arr(w, k);
    for (i = 0; words[i]; i++)
        if (s.bits & (1u << i))
            str(w, NULL, words[i]);
    end_arr(w);
}

static void opt_qty(jw *w, const char *k, mt_q q)
{
    if (q.state)
        qty(w, k, q);
}

/* symptoms, history and preferences: only what was given */
static void render_context(jw *w, const mt_input *in)
{
    obj(w, "symptoms");
    word(w, "onset", in->sym.onset, mt_onset_words);
    word(w, "side", in->sym.side, mt_side_words);
    word(w, "reflexes", in->sym.reflexes, mt_reflex_words);
#define ECHO_FLAG(name) flag(w, #name, in->sym.name);
    MT_SYMPTOM_FLAGS(ECHO_FLAG)
#undef ECHO_FLAG
    end_obj(w);
    obj(w, "history");
    opt_qty(w, "immobilization_weeks", in->hx.immobilization_weeks);
    if (in->hx.immobilized_part[0])
        str(w, "immobilized_part", in->hx.immobilized_part);
    opt_qty(w, "bed_rest_days", in->hx.bed_rest_days);
    set(w, "conditions", in->hx.conditions, mt_condition_words);
    set(w, "medications", in->hx.medications, mt_medication_words);
    opt_qty(w, "weight_6_months_ago", in->hx.weight_6m);
    opt_qty(w, "weight_12_months_ago", in->hx.weight_12m);
    flag(w, "appetite_reduced", in->hx.appetite_reduced);
    opt_qty(w, "intake_percent_of_usual", in->hx.intake_percent);
    flag(w, "childhood_onset", in->hx.childhood_onset);
    flag(w, "family_history_neuromuscular", in->hx.family_history_neuromuscular);
    if (in->hx.falls_past_year >= 0)
        integer(w, "falls_past_year", in->hx.falls_past_year);
    if (in->hx.exercise_sessions >= 0)
        integer(w, "exercise_sessions_per_week", in->hx.exercise_sessions);
    obj(w, "labs");
    opt_qty(w, "ck", in->hx.labs.ck);
    opt_qty(w, "ck_uln", in->hx.labs.ck_uln);
    opt_qty(w, "egfr", in->hx.labs.egfr);
    flag(w, "on_dialysis", in->hx.labs.on_dialysis);
    opt_qty(w, "crp", in->hx.labs.crp);
    opt_qty(w, "hemoglobin", in->hx.labs.hemoglobin);
    opt_qty(w, "albumin", in->hx.labs.albumin);
    opt_qty(w, "vitamin_d", in->hx.labs.vitamin_d);
    end_obj(w);
    end_obj(w);
    obj(w, "preferences");
    set(w, "equipment", in->pref.equipment, mt_equipment_words);
    word(w, "location", in->pref.location, mt_location_words);
    end_obj(w);
}

static void render_input(jw *w, const mt_input *in)
{
    static const char *const sarcf_items[] = {"strength", "walking", "chair", "stairs", "falls"};
    int i;

    obj(w, "input");
    obj(w, "person");
    str(w, "sex", in->sex == MT_MALE ? "male" : "female");
    qty(w, "age", in->age);
    qty(w, "height", in->height);
    qty(w, "weight", in->weight);
    end_obj(w);
    str(w, "setting", in->setting == MT_HOSPITAL ? "hospital" : "community");
    if (in->sarc_f_form == MT_SARCF_ITEMS) {
        obj(w, "sarc_f");
        for (i = 0; i < MT_SARCF_ITEMS_N; i++)
            integer(w, sarcf_items[i], in->sarc_f[i]);
        end_obj(w);
    } else if (in->sarc_f_form == MT_SARCF_TOTAL) {
        obj(w, "sarc_f");
        integer(w, "total", in->sarc_f_total);
        end_obj(w);
    }
    obj(w, "measurements");
    if (in->grip.state)
        qty(w, "grip", in->grip);
    if (in->n_grip_trials) {
        arr(w, "grip_trials");
        for (i = 0; i < in->n_grip_trials; i++)
            num(w, NULL, in->grip_trials[i]);
        end_arr(w);
    }
    if (in->chair_stand_5x.state)
        qty_word(w, "chair_stand_5x", in->chair_stand_5x, "unable");
    if (in->gait_speed.state)
        qty(w, "gait_speed", in->gait_speed);
    if (in->walk_distance.state) {
        obj(w, "walk");
        qty(w, "distance", in->walk_distance);
        qty(w, "time", in->walk_time);
        end_obj(w);
    }
    if (in->tug.state)
        qty(w, "tug", in->tug);
    if (in->walk_400m.state)
        qty_word(w, "walk_400m", in->walk_400m, "not_completed");
    if (in->six_minute_walk.state)
        qty(w, "six_minute_walk", in->six_minute_walk);
    switch (in->sppb.form) {
    case MT_SPPB_ITEMS:
        obj(w, "sppb");
        integer(w, "balance", in->sppb.balance);
        integer(w, "gait", in->sppb.gait);
        integer(w, "chair", in->sppb.chair);
        end_obj(w);
        break;
    case MT_SPPB_TOTAL:
        obj(w, "sppb");
        integer(w, "total", in->sppb.total);
        end_obj(w);
        break;
    case MT_SPPB_TIMES:
        obj(w, "sppb");
        qty(w, "side_by_side", in->sppb.side_by_side);
        if (in->sppb.semi_tandem.state)
            qty(w, "semi_tandem", in->sppb.semi_tandem);
        if (in->sppb.tandem.state)
            qty(w, "tandem", in->sppb.tandem);
        qty_word(w, in->sppb.walk_course_m == 3 ? "walk_3m" : "walk_4m", in->sppb.walk, "unable");
        qty_word(w, "chair_5x", in->sppb.chair_5x, "unable");
        end_obj(w);
        break;
    default:
        break;
    }
    if (in->calf.state)
        qty(w, "calf", in->calf);
    if (in->asm_kg.state) {
        qty(w, "asm", in->asm_kg);
        str(w, "asm_method", in->asm_method == MT_ASM_BIA ? "bia" : "dxa");
    }
    if (in->bia.given) {
        obj(w, "bia");
        qty(w, "resistance", in->bia.resistance);
        if (in->bia.reactance.state)
            qty(w, "reactance", in->bia.reactance);
        str(w, "equation", mt_bia_equation_id(in->bia.equation));
        end_obj(w);
    }
    end_obj(w);
    render_context(w, in);
    end_obj(w);
}

/* ---- screening and tests --------------------------------------------------- */

/* The verdict of one screening row: positive, threshold, operator, source, status. */
static void verdict(jw *w, const mt_crit *c, const char *positive_key)
{
    const mt_rule *r = c->rule ? c->rule : c->shown;

    tristate(w, positive_key, c->met);
    if (!r)
        return;
    str(w, "operator", mt_op_str(r->op));
    num(w, "threshold", r->threshold);
    str(w, "source", r->source);
    str(w, "status", mt_status_str(r->status));
}

static void render_screening(jw *w, const mt_result *r)
{
    const mt_crit *calf = mt_result_find(r, "awgs2019", "low_calf");

    obj(w, "screening");
    obj(w, "sarc_f");
    qty(w, "score", r->m[M_SARCF]);
    verdict(w, &r->screening.crit[SCR_SARC_F], "positive");
    end_obj(w);
    obj(w, "sarc_calf");
    qty(w, "score", r->m[M_SARCCALF]);
    if (MT_HAS(r->m[M_SARCCALF]))
        integer(w, "calf_points", r->sarc_calf_points);
    else
        null(w, "calf_points");
    verdict(w, &r->screening.crit[SCR_SARC_CALF], "positive");
    end_obj(w);
    obj(w, "calf");
    qty(w, "value", r->in.calf);
    if (calf)
        verdict(w, calf, "low");
    end_obj(w);
    obj(w, "ishii");
    qty(w, "score", r->m[M_ISHII]);
    verdict(w, &r->screening.crit[SCR_ISHII], "positive");
    end_obj(w);
    end_obj(w);
}

static const char *source_name(int src)
{
    switch (src) {
    case SRC_MEASURED:
        return "measured";
    case SRC_WALK:
        return "walk";
    case SRC_SPPB:
        return "sppb";
    }
    return NULL;
}

static void render_tests(jw *w, const mt_result *r)
{
    const mt_input *in = &r->in;
    int k;

    obj(w, "tests");
    qty(w, "bmi", r->m[M_BMI]);

    obj(w, "grip");
    qty(w, "value", in->grip);
    if (r->grip.known) {
        static const char *const names[5] = {"p10", "p25", "p50", "p75", "p90"};
        str(w, "centile_band", mt_grip_band_str(r->grip.band));
        num(w, "median_for_age", r->grip.median_for_age);
        num(w, "percent_of_peak", r->grip.percent_of_peak);
        num(w, "peak_median", r->grip.peak_median);
        obj(w, "centiles");
        for (k = 0; k < 5; k++)
            num(w, names[k], r->grip.centiles[k]);
        end_obj(w);
    } else {
        null(w, "centile_band");
        null(w, "median_for_age");
        null(w, "percent_of_peak");
    }
    str(w, "source", "DODDS");
    end_obj(w);

    qty(w, "gait_speed", r->m[M_GAIT]);
    str(w, "gait_speed_source", source_name(r->gait_source));

    obj(w, "chair_stand_5x");
    qty_word(w, "value", r->m[M_CHAIR5X], "unable");
    str(w, "source", source_name(r->chair_source));
    end_obj(w);

    obj(w, "sppb");
    opt_int(w, "total", r->sppb.total);
    opt_int(w, "balance", r->sppb.balance);
    opt_int(w, "gait", r->sppb.gait);
    opt_int(w, "chair", r->sppb.chair);
    if (in->sppb.form == MT_SPPB_TIMES)
        integer(w, "walk_course_m", in->sppb.walk_course_m);
    str(w, "source", "SPPB");
    end_obj(w);

    obj(w, "tug");
    qty(w, "value", in->tug);
    verdict(w, &r->screening.crit[SCR_TUG_FALL_RISK], "fall_risk");
    end_obj(w);

    obj(w, "walk_400m");
    qty_word(w, "value", in->walk_400m, "not_completed");
    tristate(w, "completed",
             in->walk_400m.state == MT_Q_ABSENT ? -1 : in->walk_400m.state == MT_Q_VALUE);
    end_obj(w);

    obj(w, "six_minute_walk");
    qty(w, "value", in->six_minute_walk);
    if (r->six_mw.known) {
        num(w, "predicted", r->six_mw.predicted);
        if (r->six_mw.has_percent)
            num(w, "percent_predicted", r->six_mw.percent_predicted);
        else
            null(w, "percent_predicted");
        num(w, "lower_limit", r->six_mw.lower_limit);
        boolean(w, "below_lower_limit", r->six_mw.below_lower_limit);
    } else {
        null(w, "predicted");
        null(w, "percent_predicted");
        null(w, "lower_limit");
        null(w, "below_lower_limit");
    }
    str(w, "source", "ENRIGHT");
    str(w, "lower_limit_status", "to_confirm");
    obj(w, "scwd_limited_mobility");
    tristate(w, "short_distance", r->screening.crit[SCR_SCWD_6MW].met);
    tristate(w, "slow_gait", r->screening.crit[SCR_SCWD_GAIT].met);
    str(w, "source", "SCWD");
    end_obj(w);
    end_obj(w);

    obj(w, "asm");
    qty(w, "value", r->m[M_ASM]);
    if (MT_HAS(in->asm_kg)) {
        str(w, "method", in->asm_method == MT_ASM_BIA ? "bia" : "dxa");
        null(w, "equation");
    } else if (in->bia.given && MT_HAS(r->m[M_ASM])) {
        str(w, "method", "bia");
        str(w, "equation", mt_bia_equation_id(in->bia.equation));
        str(w, "source", mt_bia_source(in->bia.equation));
        str(w, "status", mt_status_str(mt_bia_status(in->bia.equation)));
    } else {
        null(w, "method");
        null(w, "equation");
    }
    end_obj(w);
    if (MT_HAS(r->whole_body_muscle)) {
        obj(w, "whole_body_muscle");
        num(w, "value", r->whole_body_muscle.v);
        str(w, "equation", "janssen2000");
        str(w, "source", mt_bia_source(MT_BIA_JANSSEN2000));
        str(w, "status", mt_status_str(mt_bia_status(MT_BIA_JANSSEN2000)));
        str(w, "note",
            "whole-body skeletal muscle; not appendicular, so not compared with ASM "
            "cut-offs");
        end_obj(w);
    }
    qty(w, "asmi", r->m[M_ASMI]);
    qty(w, "alm_bmi", r->m[M_ALM_BMI]);
    qty(w, "grip_bmi", r->m[M_GRIP_BMI]);
    end_obj(w);
}

/* ---- definitions ------------------------------------------------------------ */

static const char *role_str(int role)
{
    static const char *const s[] = {"strength", "mass",      "performance", "case_finding",
                                    "extra",    "screen",    "phenotype",   "etiology",
                                    "severity", "flag"};
    return role >= 0 && role <= ROLE_FLAG ? s[role] : "?";
}

static void render_criterion(jw *w, const char *name, const mt_crit *c)
{
    const mt_rule *r = c->rule;
    const mt_rule *s = c->shown;

    obj(w, name);
    tristate(w, "met", c->met);
    if (c->state == MT_Q_VALUE && mt_measure_is_flag(s->measure))
        boolean(w, "value", c->value != 0);
    else if (c->state == MT_Q_VALUE)
        num(w, "value", c->value);
    else
        null(w, "value");
    if (c->state == MT_Q_UNABLE)
        boolean(w, "unable", 1);
    str(w, "measure", mt_measure_name(s->measure));
    str(w, "operator", mt_op_str(s->op));
    if (r && mt_measure_is_flag(s->measure)) {
        boolean(w, "threshold", r->threshold != 0);
    } else if (r) {
        num(w, "threshold", r->threshold);
        if (r->op == OP_BETWEEN)
            num(w, "threshold_high", r->threshold_high);
    } else {
        null(w, "threshold");
    }
    if (mt_measure_is_flag(s->measure))
        null(w, "unit");
    else
        str(w, "unit", mt_measure_unit(s->measure));
    if (r && r->cond_text[0])
        str(w, "condition", r->cond_text);
    str(w, "role", role_str(s->role));
    str(w, "source", s->source);
    str(w, "status", mt_status_str(s->status));
    end_obj(w);
}

/* Every shown criterion of a table, as definitions.<id>.criteria. */
static void render_criteria(jw *w, const mt_definition *def, const mt_def_result *dr)
{
    int i;

    obj(w, "criteria");
    for (i = 0; i < def->n_criteria; i++)
        if (dr->crit[i].shown)
            render_criterion(w, def->criteria[i], &dr->crit[i]);
    end_obj(w);
}

static void render_definitions(jw *w, const mt_result *r)
{
    size_t d;
    int i;

    obj(w, "definitions");
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        const mt_def_result *dr = &r->defs[d];

        obj(w, def->id);
        str(w, "name", def->name);
        str(w, "category", dr->category);
        if (strcmp(def->id, "awgs2019") == 0)
            str(w, "setting", r->in.setting == MT_HOSPITAL ? "hospital" : "community");
        arr(w, "missing");
        for (i = 0; i < dr->n_missing; i++)
            str(w, NULL, dr->missing[i]);
        end_arr(w);
        arr(w, "notes");
        for (i = 0; i < dr->n_notes; i++)
            str(w, NULL, dr->notes[i]);
        end_arr(w);
        render_criteria(w, def, dr);
        str(w, "source", def->source);
        end_obj(w);
    }
    end_obj(w);
}

/* ---- triage, likely cause, plan -------------------------------------------- */

static void render_triage(jw *w, const mt_result *r)
{
    const mt_triage *t = &r->triage;
    int i;

    obj(w, "triage");
    str(w, "level", mt_level_str(t->level));
    str(w, "action", mt_level_action(t->level));
    boolean(w, "results_secondary", t->level <= LEVEL_URGENT);
    arr(w, "reasons");
    for (i = 0; i < t->n; i++) {
        const mt_reason_info *ri = mt_reason(t->reasons[i]);
        obj(w, NULL);
        str(w, "id", ri->id);
        str(w, "level", mt_level_str(ri->level));
        str(w, "explanation", ri->explanation);
        str(w, "source", ri->source);
        end_obj(w);
    }
    end_arr(w);
    render_criteria(w, &mt_triage_rules, &t->rows);
    end_obj(w);
}

static void render_differential(jw *w, const mt_result *r)
{
    const mt_differential *dx = &r->differential;
    int i, j;

    arr(w, "differential");
    for (i = 0; i < dx->n; i++) {
        const mt_cause *c = &dx->causes[i];
        const char *const *steps = mt_cause_steps(c->cause);
        obj(w, NULL);
        str(w, "cause", mt_cause_id(c->cause));
        str(w, "likelihood", mt_likelihood_str(c->likelihood));
        integer(w, "score", c->score);
        arr(w, "supporting");
        for (j = 0; j < c->n_for; j++)
            str(w, NULL, mt_feature_text(c->features_for[j]));
        end_arr(w);
        arr(w, "against");
        for (j = 0; j < c->n_against; j++)
            str(w, NULL, mt_feature_text(c->features_against[j]));
        end_arr(w);
        arr(w, "next_steps");
        for (j = 0; steps[j]; j++)
            str(w, NULL, steps[j]);
        end_arr(w);
        str(w, "source", "CAUSES");
        end_obj(w);
    }
    end_arr(w);
}

static void items(jw *w, const char *k, const char *what, const mt_item *it, int n)
{
    int i;

    arr(w, k);
    for (i = 0; i < n; i++) {
        obj(w, NULL);
        str(w, "id", it[i].id);
        str(w, what, it[i].text);
        str(w, "reason", it[i].reason);
        str(w, "source", it[i].source);
        end_obj(w);
    }
    end_arr(w);
}

/* A whole-number range [lo, hi]; null when hi is 0 (not counted). */
static void range(jw *w, const char *k, const int v[2])
{
    if (v[1] == 0) {
        null(w, k);
        return;
    }
    arr(w, k);
    integer(w, NULL, v[0]);
    integer(w, NULL, v[1]);
    end_arr(w);
}

static void range_d(jw *w, const char *k, const double v[2])
{
    if (isnan(v[1])) {
        null(w, k);
        return;
    }
    arr(w, k);
    if (isnan(v[0]))
        null(w, NULL);
    else
        num(w, NULL, v[0]);
    num(w, NULL, v[1]);
    end_arr(w);
}

static void render_exercise(jw *w, const mt_plan *p)
{
    int i, active = p->exercise.status != EX_NOT_UNTIL_SEEN;

    obj(w, "exercise");
    str(w, "status", mt_exercise_status_str(p->exercise.status));
    if (active && p->exercise.status != EX_ASSISTED) {
        static const int sessions[2] = {2, 3};
        range(w, "sessions_per_week", sessions);
        integer(w, "rest_hours_between", 48);
    } else {
        null(w, "sessions_per_week");
        null(w, "rest_hours_between");
    }
    boolean(w, "load_progression", p->exercise.load_progression);
    arr(w, "exercises");
    for (i = 0; i < p->exercise.n; i++) {
        const mt_prescribed *x = &p->exercise.ex[i];
        const mt_movement *mv = x->mv;
        obj(w, NULL);
        str(w, "id", mv->id);
        str(w, "name", mv->levels[x->level].name);
        integer(w, "level", x->level + 1);
        range(w, "sets", x->sets);
        range(w, "reps", x->reps);
        str(w, "effort", x->sets[1] ? mt_effort_text : NULL);
        str(w, "how", mv->levels[x->level].how);
        str(w, "why", mv->why);
        str(w, "easier", x->level > 0 ? mv->levels[x->level - 1].name : NULL);
        str(w, "harder", x->level + 1 < mv->n_levels ? mv->levels[x->level + 1].name : NULL);
        str(w, "source", mv->source);
        end_obj(w);
    }
    end_arr(w);
    str(w, "progression_rule", p->exercise.load_progression ? mt_progression_rule : NULL);
    items(w, "precautions", "text", p->exercise.precautions, p->exercise.n_precautions);
    str(w, "source", "ACSM");
    end_obj(w);
}

static void render_plan(jw *w, const mt_result *r)
{
    const mt_plan *p = &r->plan;
    const mt_nutrition *n = &p->nutrition;
    const mt_protein_row *row = mt_protein_row_at(n->row);
    int i;

    obj(w, "plan");
    render_exercise(w, p);
    obj(w, "nutrition");
    range_d(w, "protein_g_per_kg", n->per_kg);
    range_d(w, "protein_g_per_day", n->per_day);
    range_d(w, "per_meal_g", n->per_meal);
    if (isnan(n->energy_kcal))
        null(w, "energy_kcal_per_day");
    else
        num(w, "energy_kcal_per_day", n->energy_kcal);
    str(w, "protein_row", row->id);
    str(w, "reason", row->reason);
    str(w, "source", row->source);
    str(w, "status", mt_status_str(row->status));
    items(w, "warnings", "text", n->warnings, n->n_warnings);
    end_obj(w);
    items(w, "referrals", "to", p->referrals, p->n_referrals);
    items(w, "tests_to_request", "test", p->tests, p->n_tests);
    obj(w, "follow_up");
    if (p->follow_up.weeks < 0)
        null(w, "re_measure_in_weeks");
    else
        integer(w, "re_measure_in_weeks", p->follow_up.weeks);
    arr(w, "measures");
    for (i = 0; i < p->follow_up.n; i++)
        str(w, NULL, p->follow_up.measures[i]);
    end_arr(w);
    str(w, "reason", p->follow_up.reason);
    str(w, "source", p->follow_up.source);
    end_obj(w);
    render_criteria(w, &mt_plan_rules, &r->plan_rows);
    end_obj(w);
}

static void render_sources(jw *w, const mt_result *r)
{
    const char *ids[MT_MAX_SOURCES];
    int i, n = mt_result_sources(r, ids, MT_MAX_SOURCES);

    obj(w, "sources");
    for (i = 0; i < n; i++)
        str(w, ids[i], mt_source_lookup(ids[i]));
    end_obj(w);
}

int mt_result_render_json(const mt_result *res, char **out, size_t *len)
{
    jw w;

    if (!res || !out)
        return MT_EUSAGE;
    memset(&w, 0, sizeof(w));
    w.first = 1;
    mt_buf_putc(&w.b, '{');
    w.depth = 1;
    render_triage(&w, res); /* red flags come first, always */
    obj(&w, "engine");
    str(&w, "name", "myotrack");
    str(&w, "version", mt_version());
    end_obj(&w);
    str(&w, "disclaimer", mt_disclaimer());
    render_differential(&w, res);
    render_plan(&w, res);
    render_screening(&w, res);
    render_tests(&w, res);
    render_definitions(&w, res);
    render_sources(&w, res);
    render_input(&w, &res->in);
    w.depth = 0;
    mt_buf_puts(&w.b, "\n}\n");
    return mt_buf_finish(&w.b, out, len);
}
