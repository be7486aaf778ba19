/*
 * text.c - the report a clinician reads in twenty seconds.
 *
 * Order: disclaimer; who was assessed; one verdict line per definition (with
 * what is missing); screening; tests with their norms; then, per definition,
 * the table of measured value against threshold for every criterion; the
 * footnote marks for to_confirm rows and engine conventions; the sources.
 * Everything shown was decided by the engine; this file only lays it out.
 */
#include <math.h>
#include <string.h>

#include "engine/result.h"
#include "render/buf.h"

#include "definitions/screening.h"

typedef struct tw {
    mt_buf b;
    size_t line; /* offset where the current line starts */
    int color;
} tw;

static void put(tw *t, const char *s)
{
    mt_buf_puts(&t->b, s);
}

static void nl(tw *t)
{
    mt_buf_putc(&t->b, '\n');
    t->line = t->b.len;
}

static void col(tw *t, size_t c)
{
    mt_buf_pad_to(&t->b, t->line, c);
}

static void heading(tw *t, const char *s)
{
    nl(t);
    if (t->color)
        put(t, "\033[1m");
    put(t, s);
    if (t->color)
        put(t, "\033[0m");
    nl(t);
}

static void num_unit(tw *t, double v, const char *unit)
{
    mt_buf_num(&t->b, v);
    if (unit && unit[0]) {
        mt_buf_putc(&t->b, ' ');
        put(t, unit);
    }
}

static const char *category_label(const char *def, const char *c)
{
    if (strcmp(def, "glim") == 0 && strcmp(c, "moderate") == 0)
        return "moderate malnutrition (GLIM stage 1)";
    if (strcmp(def, "glim") == 0 && strcmp(c, "severe") == 0)
        return "severe malnutrition (GLIM stage 2)";
    static const struct {
        const char *id, *label;
    } labels[] = {
        {"no_sarcopenia", "no sarcopenia"},
        {"probable", "probable sarcopenia"},
        {"confirmed", "sarcopenia (confirmed)"},
        {"severe", "severe sarcopenia"},
        {"possible", "possible sarcopenia"},
        {"sarcopenia", "sarcopenia"},
        {"presarcopenia", "presarcopenia"},
        {"weakness_low_lean_mass", "weakness with low lean mass"},
        {"weakness_slowness_low_lean_mass", "weakness, slowness and low lean mass"},
        {"insufficient_data", "insufficient data"},
        {"no_cachexia", "no cachexia"},
        {"pre_cachexia", "pre-cachexia"},
        {"cachexia", "cachexia"},
        {"refractory", "refractory cachexia"},
        {"no_malnutrition", "no malnutrition"},
    };
    size_t i;

    for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i].id, c) == 0)
            return labels[i].label;
    return c;
}

static void status_mark(tw *t, int status)
{
    if (status == ST_TO_CONFIRM)
        put(t, " *");
    else if (status == ST_CONVENTION)
        put(t, " +");
}

static void missing_list(tw *t, const mt_def_result *dr)
{
    int i;

    for (i = 0; i < dr->n_missing; i++) {
        put(t, i ? "; " : "");
        put(t, dr->missing[i]);
    }
}

static void render_person(tw *t, const mt_result *r)
{
    const mt_input *in = &r->in;

    put(t, "Person   ");
    put(t, in->sex == MT_MALE ? "male" : "female");
    put(t, ", ");
    num_unit(t, in->age.v, "y");
    if (MT_HAS(in->height)) {
        put(t, ", ");
        num_unit(t, in->height.v, "cm");
    }
    if (MT_HAS(in->weight)) {
        put(t, ", ");
        num_unit(t, in->weight.v, "kg");
    }
    if (MT_HAS(r->m[M_BMI])) {
        put(t, " (BMI ");
        mt_buf_num(&t->b, r->m[M_BMI].v);
        put(t, ")");
    }
    put(t, "; setting: ");
    put(t, in->setting == MT_HOSPITAL ? "hospital" : "community");
    nl(t);
}

static void render_verdicts(tw *t, const mt_result *r)
{
    size_t d;

    heading(t, "VERDICTS (each definition side by side)");
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_def_result *dr = &r->defs[d];
        put(t, "  ");
        put(t, mt_definitions[d]->name);
        col(t, 14);
        put(t, category_label(mt_definitions[d]->id, dr->category));
        if (strcmp(mt_definitions[d]->id, "awgs2019") == 0)
            put(t, r->in.setting == MT_HOSPITAL ? " (hospital pathway)" : " (community pathway)");
        if (dr->n_missing) {
            col(t, 52);
            put(t, "to complete: ");
            missing_list(t, dr);
        }
        nl(t);
    }
}

/* "  SARC-F       5        positive (>= 4)      SARCF" */
static void screen_line(tw *t, const char *name, mt_q score, const mt_crit *c, const char *yes,
                        const char *no, const char *needs)
{
    const mt_rule *rule = c ? (c->rule ? c->rule : c->shown) : NULL;

    put(t, "  ");
    put(t, name);
    col(t, 16);
    if (score.state != MT_Q_VALUE) {
        put(t, "not available (needs ");
        put(t, needs);
        put(t, ")");
        nl(t);
        return;
    }
    mt_buf_num(&t->b, score.v);
    col(t, 26);
    put(t, c && c->met == 1 ? yes : no);
    if (rule) {
        put(t, " (");
        put(t, c->met == 1 ? "" : "not ");
        put(t, mt_op_str(rule->op));
        put(t, " ");
        mt_buf_num(&t->b, rule->threshold);
        put(t, ")");
        col(t, 52);
        put(t, rule->source);
        status_mark(t, rule->status);
    }
    nl(t);
}

static void render_screening(tw *t, const mt_result *r)
{
    heading(t, "SCREENING");
    screen_line(t, "SARC-F", r->m[M_SARCF], &r->screening.crit[SCR_SARC_F], "positive", "negative",
                "sarc_f");
    screen_line(t, "SARC-CalF", r->m[M_SARCCALF], &r->screening.crit[SCR_SARC_CALF], "positive",
                "negative", "sarc_f and calf");
    screen_line(t, "Calf", r->in.calf, mt_result_find(r, "awgs2019", "low_calf"), "low", "not low",
                "calf");
    screen_line(t, "Ishii score", r->m[M_ISHII], &r->screening.crit[SCR_ISHII], "positive",
                "negative", "grip and calf");
}

static void test_name(tw *t, const char *name)
{
    put(t, "  ");
    put(t, name);
    col(t, 18);
}

static void render_tests(tw *t, const mt_result *r)
{
    const mt_input *in = &r->in;
    const mt_crit *c;

    heading(t, "TESTS");
    if (r->grip.known) {
        test_name(t, "Grip (best)");
        num_unit(t, in->grip.v, "kg");
        col(t, 30);
        put(t, mt_grip_band_str(r->grip.band));
        put(t, " for age and sex (median ");
        num_unit(t, r->grip.median_for_age, "kg");
        put(t, "); ");
        mt_buf_fixed(&t->b, r->grip.percent_of_peak, 0);
        put(t, "% of peak (");
        num_unit(t, r->grip.peak_median, "kg");
        put(t, ")  DODDS");
        nl(t);
    }
    if (r->m[M_GAIT].state) {
        test_name(t, "Gait speed");
        num_unit(t, r->m[M_GAIT].v, "m/s");
        if (r->gait_source == SRC_WALK)
            put(t, "  (from the timed walk)");
        else if (r->gait_source == SRC_SPPB)
            put(t, "  (from the SPPB walk)");
        nl(t);
    }
    if (r->m[M_CHAIR5X].state) {
        test_name(t, "Chair stand x5");
        if (r->m[M_CHAIR5X].state == MT_Q_UNABLE)
            put(t, "unable");
        else
            num_unit(t, r->m[M_CHAIR5X].v, "s");
        if (r->chair_source == SRC_SPPB)
            put(t, "  (from the SPPB)");
        nl(t);
    }
    if (r->sppb.total >= 0) {
        test_name(t, "SPPB");
        mt_buf_int(&t->b, r->sppb.total);
        put(t, " / 12");
        if (r->sppb.balance >= 0) {
            col(t, 30);
            put(t, "balance ");
            mt_buf_int(&t->b, r->sppb.balance);
            put(t, ", gait ");
            mt_buf_int(&t->b, r->sppb.gait);
            put(t, ", chair ");
            mt_buf_int(&t->b, r->sppb.chair);
        }
        put(t, "  SPPB");
        nl(t);
    }
    if (MT_HAS(in->tug)) {
        c = &r->screening.crit[SCR_TUG_FALL_RISK];
        test_name(t, "Timed Up and Go");
        num_unit(t, in->tug.v, "s");
        col(t, 30);
        put(t, c->met == 1 ? "fall risk (>= 13.5 s)" : "below the fall-risk cut-off (13.5 s)");
        put(t, "  SHUMWAY");
        nl(t);
    }
    if (in->walk_400m.state) {
        test_name(t, "400 m walk");
        if (in->walk_400m.state == MT_Q_UNABLE)
            put(t, "not completed");
        else
            num_unit(t, in->walk_400m.v, "s");
        nl(t);
    }
    if (MT_HAS(in->six_minute_walk)) {
        test_name(t, "6-minute walk");
        num_unit(t, in->six_minute_walk.v, "m");
        col(t, 30);
        if (r->six_mw.known) {
            if (r->six_mw.has_percent) {
                mt_buf_fixed(&t->b, r->six_mw.percent_predicted, 0);
                put(t, "% of predicted ");
            } else {
                put(t, "predicted ");
            }
            num_unit(t, r->six_mw.predicted, "m");
            put(t, "; lower limit ");
            num_unit(t, r->six_mw.lower_limit, "m *");
            put(t, r->six_mw.below_lower_limit ? " (below)" : "");
            put(t, "  ENRIGHT");
        } else {
            put(t, "no prediction (needs height and weight)");
        }
        nl(t);
    }
    if (MT_HAS(r->m[M_ASM])) {
        test_name(t, "ASM");
        num_unit(t, r->m[M_ASM].v, "kg");
        if (MT_HAS(in->asm_kg)) {
            put(t, in->asm_method == MT_ASM_BIA ? " (BIA)" : " (DXA)");
        } else {
            put(t, " (BIA, ");
            put(t, mt_bia_equation_id(in->bia.equation));
            status_mark(t, mt_bia_status(in->bia.equation));
            put(t, ")");
        }
        col(t, 30);
        if (MT_HAS(r->m[M_ASMI])) {
            put(t, "ASMI ");
            num_unit(t, r->m[M_ASMI].v, "kg/m2");
        }
        if (MT_HAS(r->m[M_ALM_BMI])) {
            put(t, "; ALM/BMI ");
            mt_buf_num(&t->b, r->m[M_ALM_BMI].v);
        }
        nl(t);
    }
    if (MT_HAS(r->whole_body_muscle)) {
        test_name(t, "Whole-body muscle");
        num_unit(t, r->whole_body_muscle.v, "kg");
        put(t, " (BIA, janssen2000; not appendicular, not compared with ASM cut-offs)");
        nl(t);
    }
}

static void value_cell(tw *t, const mt_crit *c)
{
    if (c->state == MT_Q_VALUE && mt_measure_is_flag(c->shown->measure))
        put(t, c->value != 0 ? "yes" : "no");
    else if (c->state == MT_Q_VALUE)
        num_unit(t, c->value, mt_measure_unit(c->shown->measure));
    else if (c->state == MT_Q_UNABLE)
        put(t, c->shown->measure == M_W400 ? "not completed" : "unable");
    else
        put(t, "not measured");
}

static void rule_cell(tw *t, const mt_crit *c)
{
    const mt_rule *r = c->rule;

    if (!r) {
        put(t, mt_op_str(c->shown->op));
        put(t, " ? (needs ");
        put(t, c->shown->cond == COND_BMI_MAX ? "BMI" : "ASM method");
        put(t, ")");
        return;
    }
    if (r->op == OP_IS) {
        put(t, "is ");
        put(t, r->threshold != 0 ? "yes" : "no");
    } else if (r->op == OP_BETWEEN) {
        mt_buf_num(&t->b, r->threshold);
        put(t, " to <");
        num_unit(t, r->threshold_high, mt_measure_unit(r->measure));
    } else {
        put(t, mt_op_str(r->op));
        put(t, " ");
        num_unit(t, r->threshold, mt_measure_unit(r->measure));
    }
    if (r->flags & RULE_UNABLE_MEETS)
        put(t, " or unable");
    if (r->cond_text[0]) {
        put(t, " if ");
        put(t, r->cond_text);
    }
}

/* One table of rows; `verdict` is "" for the side tables (triage, plan), which have no category. */
static void render_definition(tw *t, const mt_definition *def, const char *verdict,
                              const mt_def_result *dr)
{
    int i;

    nl(t);
    if (t->color)
        put(t, "\033[1m");
    put(t, def->name);
    if (verdict[0]) {
        put(t, ": ");
        put(t, category_label(def->id, dr->category));
    }
    if (t->color)
        put(t, "\033[0m");
    put(t, "   (");
    put(t, def->title);
    put(t, ")");
    nl(t);
    put(t, "  criterion");
    col(t, 30);
    put(t, "measured");
    col(t, 50);
    put(t, "rule");
    col(t, 82);
    put(t, "met");
    col(t, 88);
    put(t, "source");
    nl(t);
    for (i = 0; i < def->n_criteria; i++) {
        const mt_crit *c = &dr->crit[i];
        if (!c->shown)
            continue;
        put(t, "  ");
        put(t, def->criteria[i]);
        if (c->shown->role == ROLE_EXTRA || c->shown->role == ROLE_CASE_FINDING)
            put(t, c->shown->role == ROLE_EXTRA ? " (alt)" : " (find)");
        col(t, 30);
        value_cell(t, c);
        col(t, 50);
        rule_cell(t, c);
        col(t, 82);
        put(t, c->met == 1 ? "yes" : c->met == 0 ? "no" : "-");
        col(t, 88);
        put(t, c->shown->source);
        status_mark(t, c->shown->status);
        nl(t);
    }
    if (dr->n_missing) {
        put(t, "  To complete: ");
        missing_list(t, dr);
        nl(t);
    }
    for (i = 0; i < dr->n_notes; i++) {
        put(t, "  Note: ");
        put(t, dr->notes[i]);
        nl(t);
    }
}

/* ---- for the person: what to do now, the likely cause, the plan ---------- */

static const char *const level_titles[LEVEL_N] = {"EMERGENCY", "URGENT", "SEE A DOCTOR SOON",
                                                  "ROUTINE", "SELF-CARE"};

static void render_triage(tw *t, const mt_result *r)
{
    const mt_triage *tr = &r->triage;
    int i, alarm = tr->level <= LEVEL_URGENT;

    nl(t);
    if (t->color)
        put(t, alarm ? "\033[1;31m" : "\033[1m");
    put(t, alarm ? "!! " : "");
    put(t, level_titles[tr->level]);
    put(t, ": ");
    put(t, mt_level_action(tr->level));
    if (t->color)
        put(t, "\033[0m");
    nl(t);
    for (i = 0; i < tr->n; i++) {
        const mt_reason_info *ri = mt_reason(tr->reasons[i]);
        put(t, "  - ");
        put(t, ri->explanation);
        put(t, " [");
        put(t, mt_level_str(ri->level));
        put(t, "; ");
        put(t, ri->source);
        put(t, "]");
        nl(t);
    }
}

static void render_causes(tw *t, const mt_result *r)
{
    const mt_differential *dx = &r->differential;
    int i, j;

    heading(t, "LIKELY CAUSE (most likely first)");
    if (dx->n == 0) {
        put(t, "  No cause stands out from the answers given.");
        nl(t);
        return;
    }
    for (i = 0; i < dx->n; i++) {
        const mt_cause *c = &dx->causes[i];
        const char *const *steps = mt_cause_steps(c->cause);
        put(t, "  ");
        put(t, mt_cause_id(c->cause));
        put(t, ": ");
        put(t, mt_likelihood_str(c->likelihood));
        nl(t);
        for (j = 0; j < c->n_for; j++) {
            put(t, "      for: ");
            put(t, mt_feature_text(c->features_for[j]));
            nl(t);
        }
        for (j = 0; j < c->n_against; j++) {
            put(t, "      against: ");
            put(t, mt_feature_text(c->features_against[j]));
            nl(t);
        }
        for (j = 0; c->likelihood != LIKELY_LOW && steps[j]; j++) {
            put(t, "      next: ");
            put(t, steps[j]);
            nl(t);
        }
    }
    put(t, "  (source: CAUSES)");
    nl(t);
}

static void int_range(tw *t, const int v[2])
{
    mt_buf_int(&t->b, v[0]);
    if (v[1] != v[0]) {
        put(t, "-");
        mt_buf_int(&t->b, v[1]);
    }
}

static void grams(tw *t, const double v[2], const char *unit)
{
    if (isnan(v[0])) {
        put(t, "at most ");
    } else {
        mt_buf_num(&t->b, v[0]);
        put(t, "-");
    }
    num_unit(t, v[1], unit);
}

static void item_lines(tw *t, const mt_item *it, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        size_t n_text = strlen(it[i].text);
        put(t, "  - ");
        put(t, it[i].text);
        put(t, n_text && it[i].text[n_text - 1] == '.' ? " " : ": ");
        put(t, it[i].reason);
        put(t, " [");
        put(t, it[i].source);
        put(t, "]");
        nl(t);
    }
}

static void render_plan(tw *t, const mt_result *r)
{
    const mt_plan *p = &r->plan;
    const mt_nutrition *n = &p->nutrition;
    const mt_protein_row *row = mt_protein_row_at(n->row);
    int i;

    heading(t, "YOUR PLAN FOR THIS WEEK");
    put(t, "Exercise");
    switch (p->exercise.status) {
    case EX_NOT_UNTIL_SEEN:
        put(t, ": none until you have been seen.");
        break;
    case EX_ASSISTED:
        put(t, ": gentle assisted movement, guided by a physiotherapist; no added load.");
        break;
    default:
        put(t, ": 2-3 days a week, with at least 48 hours between sessions");
        put(t, p->exercise.status == EX_WITH_TEAM ? ", agreed with your treating team." : ".");
        break;
    }
    put(t, " [ACSM, ICFSR]");
    nl(t);
    for (i = 0; i < p->exercise.n; i++) {
        const mt_prescribed *x = &p->exercise.ex[i];
        const mt_level *lv = &x->mv->levels[x->level];
        put(t, "  ");
        mt_buf_int(&t->b, i + 1);
        put(t, ". ");
        put(t, lv->name);
        if (x->sets[1]) {
            put(t, ": ");
            int_range(t, x->sets);
            put(t, " sets");
            if (x->reps[1]) {
                put(t, " of ");
                int_range(t, x->reps);
                put(t, " repetitions");
            } else {
                put(t, ", held");
            }
        }
        nl(t);
        put(t, "     ");
        put(t, lv->how);
        nl(t);
        put(t, "     Why: ");
        put(t, x->mv->why);
        if (x->level > 0) {
            put(t, " Easier: ");
            put(t, x->mv->levels[x->level - 1].name);
            put(t, ".");
        }
        if (x->level + 1 < x->mv->n_levels) {
            put(t, " Harder: ");
            put(t, x->mv->levels[x->level + 1].name);
            put(t, ".");
        }
        nl(t);
    }
    if (p->exercise.n && p->exercise.ex[0].sets[1]) {
        put(t, "  How hard: ");
        put(t, mt_effort_text);
        put(t, ".");
        nl(t);
    }
    if (p->exercise.load_progression) {
        put(t, "  Making it harder: ");
        put(t, mt_progression_rule);
        nl(t);
    }
    item_lines(t, p->exercise.precautions, p->exercise.n_precautions);

    nl(t);
    put(t, "Protein: ");
    grams(t, n->per_kg, "g per kg a day");
    if (n->has_day) {
        put(t, " = ");
        grams(t, n->per_day, "g a day");
        put(t, ", about ");
        grams(t, n->per_meal, "g at each main meal");
    }
    put(t, ". ");
    put(t, row->reason);
    put(t, " [");
    put(t, row->source);
    put(t, "]");
    status_mark(t, row->status);
    nl(t);
    if (!isnan(n->energy_kcal)) {
        put(t, "Energy: about ");
        num_unit(t, n->energy_kcal, "kcal a day [ESPENGER]");
        nl(t);
    }
    item_lines(t, n->warnings, n->n_warnings);
    if (p->n_referrals) {
        nl(t);
        put(t, "Who to see:");
        nl(t);
        item_lines(t, p->referrals, p->n_referrals);
    }
    if (p->n_tests) {
        nl(t);
        put(t, "Tests to ask about:");
        nl(t);
        item_lines(t, p->tests, p->n_tests);
    }
    nl(t);
    put(t, "Measure again: ");
    if (p->follow_up.weeks < 0) {
        put(t, "after you have been seen");
    } else {
        put(t, "in ");
        mt_buf_int(&t->b, p->follow_up.weeks);
        put(t, " weeks");
    }
    put(t, " (");
    for (i = 0; i < p->follow_up.n; i++) {
        put(t, i ? ", " : "");
        put(t, p->follow_up.measures[i]);
    }
    put(t, "). ");
    put(t, p->follow_up.reason);
    put(t, " [");
    put(t, p->follow_up.source);
    put(t, "]");
    nl(t);
}

int mt_result_render_text(const mt_result *res, unsigned flags, char **out, size_t *len)
{
    const char *ids[MT_MAX_SOURCES];
    tw t;
    size_t d;
    int i, n;

    if (!res || !out)
        return MT_EUSAGE;
    memset(&t, 0, sizeof(t));
    t.color = (flags & MT_TEXT_COLOR) != 0;
    put(&t, "myotrack ");
    put(&t, mt_version());
    put(&t, " - muscle assessment report");
    nl(&t);
    render_triage(&t, res); /* red flags first, always */
    nl(&t);
    render_person(&t, res);
    render_causes(&t, res);
    render_plan(&t, res);
    if (res->triage.level <= LEVEL_URGENT) {
        nl(&t);
        put(&t, "The results below are secondary: get the care above first.");
        nl(&t);
    }
    render_verdicts(&t, res);
    render_screening(&t, res);
    render_tests(&t, res);
    heading(&t, "EVIDENCE (measured value against each threshold)");
    for (d = 0; d < mt_n_definitions; d++)
        render_definition(&t, mt_definitions[d], mt_definitions[d]->id, &res->defs[d]);
    render_definition(&t, &mt_triage_rules, "", &res->triage.rows);
    render_definition(&t, &mt_plan_rules, "", &res->plan_rows);
    nl(&t);
    put(&t, "(find) case-finding step, reported beside; (alt) alternative or informative "
            "criterion; neither changes the category.");
    nl(&t);
    put(&t, "* to_confirm: the best value available, pending confirmation against the primary "
            "paper.");
    nl(&t);
    put(&t, "+ convention: an engine convention where the guideline is silent.");
    nl(&t);
    heading(&t, "SOURCES");
    n = mt_result_sources(res, ids, MT_MAX_SOURCES);
    for (i = 0; i < n; i++) {
        put(&t, "  ");
        put(&t, ids[i]);
        col(&t, 15);
        put(&t, mt_source_lookup(ids[i]));
        nl(&t);
    }
    nl(&t);
    put(&t, mt_disclaimer());
    nl(&t);
    return mt_buf_finish(&t.b, out, len);
}
