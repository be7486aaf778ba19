/*
 * prescription.c - today's exercise (REFERENCE §11's progression rule, §12's
 * fall pause), from the latest assessment's plan and the sessions logged
 * since, written as the answer's "prescription" (docs/tracking.md).
 *
 * The status is the first that applies, safety first:
 *   no_plan            no assessment yet: nothing to adjust
 *   not_until_seen     the triage now is emergency or urgent: no exercise
 *   paused             a fall not cleared by a clinician: one level easier, no load increase
 *   assisted           the plan is assisted range of motion (neurogenic): never progressed
 *   with_treating_team the plan is agreed with the treating team: never progressed
 *   step_back          pain >= 7 in the latest session or a check-in since it, or a
 *                      red flag (prompt) not cleared since the latest assessment
 *   hold               fewer than 2 sessions logged in the 7 days ending today
 *   progress           at least one exercise is ready for more (below)
 *   keep               nothing to change
 * An exercise's current level is the level of the most recent session that
 * logs it (for a step back: the most recent up to the day of the fall, pain or
 * warning sign, so that sessions at the easier level do not step back again),
 * else the plan's. It is ready for more when, in the last two sessions that
 * log it, at the same level and load, the last set's repetitions were at
 * least the top of the target range + 1 at an effort of 7 or less (a balance
 * hold: 10 s). Then the load rises 2-10 % when one is used, else the next
 * harder level the equipment allows is taken.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/result.h"
#include "tracking/tracking.h"

enum {
    PS_NO_PLAN,
    PS_NOT_UNTIL_SEEN,
    PS_PAUSED,
    PS_ASSISTED,
    PS_WITH_TEAM,
    PS_STEP_BACK,
    PS_HOLD,
    PS_PROGRESS,
    PS_KEEP
};

static const struct {
    const char *id, *source;
} statuses[] = {
    [PS_NO_PLAN] = {"no_plan", "TRACKING"},
    [PS_NOT_UNTIL_SEEN] = {"not_until_seen", "REDFLAGS"},
    [PS_PAUSED] = {"paused", "TRACKING"},
    [PS_ASSISTED] = {"assisted", "CAUSES"},
    [PS_WITH_TEAM] = {"with_treating_team", "ICFSR"},
    [PS_STEP_BACK] = {"step_back", "ACSM"},
    [PS_HOLD] = {"hold", "ACSM"},
    [PS_PROGRESS] = {"progress", "ACSM"},
    [PS_KEEP] = {"keep", "ACSM"},
};

enum { CH_SAME, CH_MORE_LOAD, CH_NEXT_LEVEL, CH_STEP_BACK };
static const char *const change_ids[] = {"same", "more_load", "next_level", "step_back"};

typedef struct rx {
    const mt_prescribed *x;
    int level; /* 0-based: today's */
    int change;
    double load[2]; /* kg; NAN: no load given */
    char why[480];
} rx;

/* ---- the sessions --------------------------------------------------------------- */

static const tr_exercise *entry(const tr_session *s, const mt_movement *mv)
{
    int i;

    for (i = 0; i < s->n_ex; i++)
        if (s->ex[i].mv == mv)
            return &s->ex[i];
    return NULL;
}

/* The most recent session before index `below`, dated up to `until`, that logs mv; -1 none. */
static long last_with(const tr_doc *d, const mt_movement *mv, int until, long below)
{
    long i;

    for (i = below - 1; i >= 0; i--)
        if (d->s[i].date <= until && entry(&d->s[i], mv))
            return i;
    return -1;
}

static double load_of(const tr_exercise *e)
{
    return isfinite(e->load_kg) && e->load_kg > 0 ? e->load_kg : NAN;
}

static int same_load(const tr_exercise *a, const tr_exercise *b)
{
    double x = load_of(a), y = load_of(b);
    return (isnan(x) && isnan(y)) || x == y;
}

/* The current level (0-based) of x and its load, as of the day `until`. */
static int current(const tr_state *st, const mt_prescribed *x, int until, double *load)
{
    const tr_doc *d = st->d;
    long i = last_with(d, x->mv, until, (long)d->n_s);
    const tr_exercise *e;
    int lv;

    *load = NAN;
    if (i < 0)
        return x->level;
    e = entry(&d->s[i], x->mv);
    lv = e->level - 1;
    *load = load_of(e);
    return lv < x->mv->n_levels ? lv : x->mv->n_levels - 1;
}

/* 2-10 % more than `load`, in 0.1 kg steps inside that band (integer arithmetic
 * on 1/10000 kg, the precision loads are kept at); 0 when no step fits. */
static int more_load(double load, double out[2])
{
    long long l = llround(load * 10000.0);
    const mt_rule *lo = tr_rule(TR_LOAD_MIN), *hi = tr_rule(TR_LOAD_MAX);
    long long lo_pct = llround(lo->threshold), hi_pct = llround(hi->threshold);
    long long a = (l * (100 + lo_pct) + 100 * 1000 - 1) / (100 * 1000); /* tenths, up */
    long long b = (l * (100 + hi_pct)) / (100 * 1000);                  /* tenths, down */

    if (a > b)
        return 0;
    out[0] = (double)a / 10.0;
    out[1] = (double)b / 10.0;
    /* the band's edges, checked against the rows themselves */
    return mt_rule_compare(lo, mt_round4((out[0] / load - 1) * 100)) &&
           mt_rule_compare(hi, mt_round4((out[1] / load - 1) * 100));
}

/* ---- one exercise ---------------------------------------------------------------------- */

static void step_back(rx *e, const tr_state *st, int until, const char *because)
{
    double load;
    int lv = current(st, e->x, until, &load);

    if (lv > 0) {
        e->level = lv - 1;
        e->change = CH_STEP_BACK;
        snprintf(e->why, sizeof(e->why), "%s: one level easier, without added load.", because);
    } else {
        e->level = lv;
        e->change = CH_SAME;
        e->load[0] = e->load[1] = load;
        snprintf(e->why, sizeof(e->why),
                 "%s: this is already the easiest level, so keep it, with no more load.", because);
    }
}

static void keep(rx *e, const tr_state *st, const char *because)
{
    double load;

    e->level = current(st, e->x, st->d->today, &load);
    e->change = CH_SAME;
    e->load[0] = e->load[1] = load;
    snprintf(e->why, sizeof(e->why), "%s", because);
}

/* The progression rule for one exercise; 1 when it moves on. */
static int progress(rx *e, const tr_state *st)
{
    const tr_doc *d = st->d;
    const mt_prescribed *x = e->x;
    const mt_movement *mv = x->mv;
    const mt_rule *reps = tr_rule(TR_REPS_OVER_TARGET), *effort = tr_rule(TR_EFFORT);
    const mt_rule *hold = tr_rule(TR_BALANCE_HOLD);
    long i1 = last_with(d, mv, d->today, (long)d->n_s);
    long i0 = i1 >= 0 ? last_with(d, mv, d->today, i1) : -1;
    const tr_exercise *e0, *e1;
    const tr_session *s0, *s1;
    char d0[11], d1[11], n0[32], n1[32], aim[32], eff[32], done[200];
    double load;
    int ready;

    keep(e, st, "");
    load = e->load[0];
    if (mv->dose == DOSE_HOLD && strcmp(mv->id, "balance") != 0) {
        snprintf(e->why, sizeof(e->why),
                 "Holds such as this one have no numeric progression rule: keep the level until "
                 "a clinician or trainer moves you on.");
        return 0;
    }
    if (i0 < 0) {
        snprintf(e->why, sizeof(e->why),
                 "Logged in fewer than two sessions so far: keep this level until two sessions "
                 "in a row go above the target.");
        return 0;
    }
    s0 = &d->s[i0];
    s1 = &d->s[i1];
    e0 = entry(s0, mv);
    e1 = entry(s1, mv);
    if (e0->level != e1->level || !same_load(e0, e1)) {
        snprintf(e->why, sizeof(e->why),
                 "The last two sessions with it were not at the same level and load: keep them "
                 "for two sessions in a row first.");
        return 0;
    }
    tr_date_str(s0->date, d0);
    tr_date_str(s1->date, d1);
    tr_num(eff, effort->threshold);
    if (mv->dose == DOSE_HOLD) {
        ready = mt_rule_compare(hold, e0->hold_s) && mt_rule_compare(hold, e1->hold_s);
        tr_num(aim, hold->threshold);
        snprintf(done, sizeof(done), "held %s s and %s s at effort %d and %d (%s and %s)",
                 tr_num(n0, e0->hold_s), tr_num(n1, e1->hold_s), s0->effort, s1->effort, d0, d1);
        if (ready)
            ready = mt_rule_compare(effort, s0->effort) && mt_rule_compare(effort, s1->effort);
        if (!ready) {
            snprintf(e->why, sizeof(e->why),
                     "Last two sessions: %s; moving on needs %s s or more at effort %s or less "
                     "in both.",
                     done, aim, eff);
            return 0;
        }
    } else {
        ready = mt_rule_compare(reps, e0->reps - x->reps[1]) &&
                mt_rule_compare(reps, e1->reps - x->reps[1]) &&
                mt_rule_compare(effort, s0->effort) && mt_rule_compare(effort, s1->effort);
        tr_num(aim, x->reps[1] + reps->threshold);
        snprintf(done, sizeof(done),
                 "%d and %d repetitions on the last set at effort %d and %d (%s and %s)", e0->reps,
                 e1->reps, s0->effort, s1->effort, d0, d1);
        if (!ready) {
            snprintf(e->why, sizeof(e->why),
                     "Last two sessions: %s; moving on needs %s or more (the target's top, %d, "
                     "plus 1) at effort %s or less in both.",
                     done, aim, x->reps[1], eff);
            return 0;
        }
    }
    if (!isnan(load) && more_load(load, e->load)) {
        char l[32];
        e->change = CH_MORE_LOAD;
        snprintf(e->why, sizeof(e->why),
                 "%s, above the target two sessions in a row: add 2-10 %% to the %s kg load.", done,
                 tr_num(l, load));
        return 1;
    }
    if (e->level + 1 < mv->n_levels && mt_level_usable(&st->latest->in, mv, e->level + 1)) {
        e->level++;
        e->change = CH_NEXT_LEVEL;
        e->load[0] = e->load[1] = NAN;
        snprintf(e->why, sizeof(e->why),
                 "%s, above the target two sessions in a row: move to the next harder level.",
                 done);
        return 1;
    }
    snprintf(e->why, sizeof(e->why),
             "%s, above the target two sessions in a row, but this is the hardest level your "
             "equipment allows: keep it.",
             done);
    return 0;
}

/* ---- the status ------------------------------------------------------------------------- */

/* Pain >= 7 in the latest session, or in a check-in since it (since the
 * latest assessment when no session is logged): the record, else NULL. */
static int recent_pain(const tr_state *st, int *date, int *value)
{
    const tr_doc *d = st->d;
    const mt_rule *pain = tr_rule(TR_PAIN_STEP_BACK);
    int since = d->n_s ? d->s[d->n_s - 1].date : st->latest_a->date;
    size_t i;
    int found = 0;

    if (d->n_s && mt_rule_compare(pain, d->s[d->n_s - 1].pain)) {
        *date = d->s[d->n_s - 1].date;
        *value = d->s[d->n_s - 1].pain;
        found = 1;
    }
    for (i = 0; i < d->n_c; i++)
        if (d->c[i].date >= since && d->c[i].pain >= 0 && mt_rule_compare(pain, d->c[i].pain) &&
            (!found || d->c[i].date >= *date)) {
            *date = d->c[i].date;
            *value = d->c[i].pain;
            found = 1;
        }
    return found;
}

static int sessions_last_week(const tr_doc *d)
{
    size_t i;
    int n = 0;

    for (i = d->n_s; i > 0 && d->s[i - 1].date > d->today - 7; i--)
        n++;
    return n;
}

void tr_prescription(tr_w *w, const tr_state *st)
{
    const tr_doc *d = st->d;
    const mt_plan *plan = st->latest ? &st->latest->plan : NULL;
    rx ex[MT_MAX_EXERCISES];
    char reason[480], date[11], because[200];
    int status, n = 0, i, until = d->today, pain_date = -1, pain = 0, ready = 0;
    int week = sessions_last_week(d);

    memset(ex, 0, sizeof(ex));
    if (!plan)
        status = PS_NO_PLAN;
    else if (st->level <= LEVEL_URGENT || plan->exercise.status == EX_NOT_UNTIL_SEEN)
        status = PS_NOT_UNTIL_SEEN;
    else if (st->fall)
        status = PS_PAUSED;
    else if (plan->exercise.status == EX_ASSISTED)
        status = PS_ASSISTED;
    else if (plan->exercise.status == EX_WITH_TEAM)
        status = PS_WITH_TEAM;
    else if (recent_pain(st, &pain_date, &pain) || st->red_flag)
        status = PS_STEP_BACK;
    else if (d->n_s && mt_rule_compare(tr_rule(TR_MISSED_SESSION), week))
        status = PS_HOLD;
    else
        status = PS_PROGRESS; /* or keep, once the exercises are seen */

    /* what makes an exercise step back, and from the level of which day */
    because[0] = '\0';
    if (status == PS_PAUSED) {
        until = st->fall->date;
        tr_date_str(until, date);
        snprintf(because, sizeof(because), "A fall on %s has not been reviewed by a clinician yet",
                 date);
    } else if (status == PS_WITH_TEAM || status == PS_STEP_BACK) {
        if (recent_pain(st, &pain_date, &pain)) {
            until = pain_date;
            tr_date_str(until, date);
            snprintf(because, sizeof(because), "Pain of %d out of 10 on %s", pain, date);
        } else if (st->red_flag) {
            until = st->red_flag->date;
            tr_date_str(until, date);
            snprintf(because, sizeof(because),
                     "A warning sign was reported on %s, to be checked by a doctor", date);
        }
    }

    for (i = 0; plan && status != PS_NOT_UNTIL_SEEN && i < plan->exercise.n; i++) {
        rx *e = &ex[n++];
        e->x = &plan->exercise.ex[i];
        e->load[0] = e->load[1] = NAN;
        if (because[0])
            step_back(e, st, until, because);
        else if (status == PS_ASSISTED)
            keep(e, st,
                 "Nerve-related weakness: keep to the movements a physiotherapist shows you; "
                 "the load is never raised automatically.");
        else if (status == PS_WITH_TEAM)
            keep(e, st,
                 "Exercise is agreed with your treating team: it is not raised "
                 "automatically.");
        else if (status == PS_HOLD)
            keep(e, st, "Fewer than 2 sessions in the last 7 days: keep the same level and load.");
        else
            ready += progress(e, st);
    }
    if (status == PS_PROGRESS && !ready)
        status = PS_KEEP;

    switch (status) {
    case PS_NO_PLAN:
        snprintf(reason, sizeof(reason),
                 "No assessment yet: an assessment gives the plan that tracking adjusts.");
        break;
    case PS_NOT_UNTIL_SEEN:
        snprintf(reason, sizeof(reason),
                 "A warning sign needs medical care before any exercise: %s",
                 mt_level_action(st->level));
        break;
    case PS_PAUSED:
        snprintf(reason, sizeof(reason),
                 "%s: progression is paused, one level easier and no added load, until a "
                 "clinician clears the fall.",
                 because);
        break;
    case PS_ASSISTED:
        snprintf(reason, sizeof(reason),
                 "Nerve-related weakness: assisted movements guided by a physiotherapist, never "
                 "progressed automatically.");
        break;
    case PS_WITH_TEAM:
        snprintf(reason, sizeof(reason),
                 "Exercise only as agreed with the treating team; it is "
                 "not progressed automatically%s%s.",
                 because[0] ? ". " : "", because);
        break;
    case PS_STEP_BACK:
        snprintf(reason, sizeof(reason), "%s: one level easier.", because);
        break;
    case PS_HOLD:
        snprintf(reason, sizeof(reason),
                 "%d session%s logged in the last 7 days (fewer than 2): keep the same level and "
                 "load.",
                 week, week == 1 ? "" : "s");
        break;
    case PS_PROGRESS:
        snprintf(reason, sizeof(reason),
                 "%d exercise%s ready for more: above the target two sessions in a row at a "
                 "moderate effort.",
                 ready, ready == 1 ? " is" : "s are");
        break;
    default:
        snprintf(reason, sizeof(reason),
                 d->n_s ? "Keep the current levels: nothing is ready for more yet."
                        : "No session logged yet: start at the plan's levels.");
        break;
    }

    tr_w_open(w, "prescription", '{');
    tr_w_str(w, "status", statuses[status].id);
    tr_w_str(w, "reason", reason);
    tr_w_str(w, "source", statuses[status].source);
    tr_w_str(w, "based_on", st->latest_a ? st->latest_a->id : NULL);
    if (status == PS_NO_PLAN || status == PS_NOT_UNTIL_SEEN || status == PS_ASSISTED) {
        tr_w_null(w, "sessions_per_week");
    } else {
        tr_w_open(w, "sessions_per_week", '[');
        tr_w_int(w, NULL, 2);
        tr_w_int(w, NULL, 3);
        tr_w_close(w, ']');
    }
    tr_w_bool(w, "load_progression",
              plan && plan->exercise.load_progression && status >= PS_STEP_BACK);
    tr_w_open(w, "exercises", '[');
    for (i = 0; i < n; i++) {
        const rx *e = &ex[i];
        const mt_movement *mv = e->x->mv;
        tr_w_open(w, NULL, '{');
        tr_w_str(w, "id", mv->id);
        tr_w_str(w, "name", mv->levels[e->level].name);
        tr_w_int(w, "level", e->level + 1);
        if (e->x->sets[1]) {
            tr_w_open(w, "sets", '[');
            tr_w_int(w, NULL, e->x->sets[0]);
            tr_w_int(w, NULL, e->x->sets[1]);
            tr_w_close(w, ']');
        } else {
            tr_w_null(w, "sets");
        }
        if (e->x->reps[1]) {
            tr_w_open(w, "reps", '[');
            tr_w_int(w, NULL, e->x->reps[0]);
            tr_w_int(w, NULL, e->x->reps[1]);
            tr_w_close(w, ']');
        } else {
            tr_w_null(w, "reps");
        }
        if (isnan(e->load[0])) {
            tr_w_null(w, "load_kg");
        } else {
            tr_w_open(w, "load_kg", '[');
            tr_w_num(w, NULL, e->load[0]);
            tr_w_num(w, NULL, e->load[1]);
            tr_w_close(w, ']');
        }
        tr_w_str(w, "change", change_ids[e->change]);
        tr_w_str(w, "why", e->why);
        tr_w_str(w, "how", mv->levels[e->level].how);
        tr_w_str(w, "purpose", mv->why);
        tr_w_str(w, "easier", e->level > 0 ? mv->levels[e->level - 1].name : NULL);
        tr_w_str(w, "harder", e->level + 1 < mv->n_levels ? mv->levels[e->level + 1].name : NULL);
        tr_w_str(w, "source", mv->source);
        tr_w_close(w, '}');
    }
    tr_w_close(w, ']');
    tr_w_close(w, '}');
}
