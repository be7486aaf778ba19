/*
 * track.c - one person over time (docs/tracking.md): from the parsed history
 * (parse.c), each measure's series with its change labelled against the
 * meaningful-change rows, the alerts of REFERENCE §12, the triage now (the
 * latest assessment's, re-triaged by the check-ins since), and today's
 * prescription (prescription.c); written as JSON.
 *
 * Nothing clinical is recomputed here: every assessment goes through
 * mt_assess(), and the values tracked are the engine's own (grip = the best
 * reading, gait speed from a timed walk or the SPPB's, chair-stand time also
 * from the SPPB, the SPPB total from its items or times); every number
 * compared is a row of the tracking table (rules.c) or of the definitions'.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"
#include "error.h"
#include "tracking/tracking.h"

/* ---- the JSON writer ------------------------------------------------------------ */

static void lead(tr_w *w, const char *key)
{
    int i;

    if (!w->first)
        mt_buf_putc(&w->b, ',');
    w->first = 0;
    mt_buf_putc(&w->b, '\n');
    for (i = 0; i < w->depth; i++)
        mt_buf_put(&w->b, "  ", 2);
    if (key) {
        mt_buf_json_str(&w->b, key);
        mt_buf_put(&w->b, ": ", 2);
    }
}

void tr_w_open(tr_w *w, const char *key, char bracket)
{
    lead(w, key);
    mt_buf_putc(&w->b, bracket);
    w->depth++;
    w->first = 1;
}

void tr_w_close(tr_w *w, char bracket)
{
    int i;

    w->depth--;
    if (!w->first) {
        mt_buf_putc(&w->b, '\n');
        for (i = 0; i < w->depth; i++)
            mt_buf_put(&w->b, "  ", 2);
    }
    w->first = 0;
    mt_buf_putc(&w->b, bracket);
}

void tr_w_str(tr_w *w, const char *key, const char *s)
{
    lead(w, key);
    if (s)
        mt_buf_json_str(&w->b, s);
    else
        mt_buf_puts(&w->b, "null");
}

void tr_w_num(tr_w *w, const char *key, double v)
{
    lead(w, key);
    if (isfinite(v))
        mt_buf_num(&w->b, v);
    else
        mt_buf_puts(&w->b, "null");
}

void tr_w_int(tr_w *w, const char *key, long long v)
{
    lead(w, key);
    mt_buf_int(&w->b, v);
}

void tr_w_bool(tr_w *w, const char *key, int v)
{
    lead(w, key);
    mt_buf_puts(&w->b, v ? "true" : "false");
}

void tr_w_null(tr_w *w, const char *key)
{
    lead(w, key);
    mt_buf_puts(&w->b, "null");
}

const char *tr_num(char buf[32], double v)
{
    char *e = mt_put_num(buf, v);
    *e = '\0';
    return buf;
}

/* ---- the measures tracked --------------------------------------------------------------- */

enum { MS_GRIP, MS_GAIT, MS_CHAIR, MS_SPPB, MS_SIX_MW, MS_WEIGHT, MS_N };

typedef struct measure_info {
    const char *id, *unit, *name;
    int better;     /* 1 higher is better, -1 lower is better, 0 neither (weight) */
    int measure;    /* M_* of the engine, -1: the weight of the document */
    int small, big; /* TR_* meaningful-change rows, -1 none; grip has one value */
    int function;   /* a function test: a drop of 20 % raises an alert */
} measure_info;

/* REFERENCE §12. Every test of muscle function (strength and performance)
 * counts for the 20 % drop; weight is not one, and has no meaningful-change
 * value (its loss is the triage's row, §9). */
static const measure_info measures[MS_N] = {
    [MS_GRIP] = {"grip", "kg", "grip strength", 1, M_GRIP, TR_GRIP_MEANINGFUL, -1, 1},
    [MS_GAIT] = {"gait_speed", "m/s", "gait speed", 1, M_GAIT, TR_GAIT_SMALL, TR_GAIT_SUBSTANTIAL,
                 1},
    [MS_CHAIR] = {"chair_stand_5x", "s", "5-times chair stand time", -1, M_CHAIR5X, -1, -1, 1},
    [MS_SPPB] = {"sppb_total", "points", "SPPB score", 1, M_SPPB, TR_SPPB_SMALL,
                 TR_SPPB_SUBSTANTIAL, 1},
    [MS_SIX_MW] = {"six_minute_walk", "m", "6-minute walk distance", 1, M_SIX_MW, TR_SIX_MW_SMALL,
                   TR_SIX_MW_SUBSTANTIAL, 1},
    [MS_WEIGHT] = {"weight", "kg", "weight", 0, -1, -1, -1, 0},
};

/* Change labels: the improvement or decline measured against the rows. */
enum {
    LB_NONE, /* the first point: nothing to compare */
    LB_NO_REFERENCE,
    LB_NO_CHANGE,
    LB_SMALL_UP,
    LB_BIG_UP,
    LB_SMALL_DOWN,
    LB_BIG_DOWN,
    LB_MEANINGFUL_UP,
    LB_MEANINGFUL_DOWN
};

static const char *const label_ids[] = {
    [LB_NONE] = NULL,
    [LB_NO_REFERENCE] = "no_reference",
    [LB_NO_CHANGE] = "no_meaningful_change",
    [LB_SMALL_UP] = "small_improvement",
    [LB_BIG_UP] = "substantial_improvement",
    [LB_SMALL_DOWN] = "small_decline",
    [LB_BIG_DOWN] = "substantial_decline",
    [LB_MEANINGFUL_UP] = "meaningful_improvement",
    [LB_MEANINGFUL_DOWN] = "meaningful_decline",
};

static int is_decline(int label)
{
    return label == LB_SMALL_DOWN || label == LB_BIG_DOWN || label == LB_MEANINGFUL_DOWN;
}

typedef struct point {
    size_t a;      /* index in d->a (sorted by date) */
    double v;      /* the value */
    double change; /* NAN for the first point */
    double pct;    /* NAN for the first point, or after a 0 */
    int label;
    int drop; /* -1 not a function test or the first point, 0 no, 1 a drop of 20 % or more */
} point;

/* The label of a change (REFERENCE §12): its size in the direction that
 * matters, against the rows with ">=" (a change of exactly the value counts). */
static int label_of(const measure_info *mi, double change)
{
    double gain, size;

    if (mi->small < 0)
        return LB_NO_REFERENCE;
    gain = mi->better > 0 ? change : -change;
    size = mt_round4(fabs(gain));
    if (mi->big >= 0 && mt_rule_compare(tr_rule(mi->big), size))
        return gain > 0 ? LB_BIG_UP : LB_BIG_DOWN;
    if (mt_rule_compare(tr_rule(mi->small), size)) {
        if (mi->big < 0)
            return gain > 0 ? LB_MEANINGFUL_UP : LB_MEANINGFUL_DOWN;
        return gain > 0 ? LB_SMALL_UP : LB_SMALL_DOWN;
    }
    return LB_NO_CHANGE;
}

/* ---- alerts ------------------------------------------------------------------------------- */

enum { AK_RED_FLAG, AK_FALL, AK_PAIN, AK_DECLINE_ADHERING, AK_DECLINE, AK_DROP, AK_N };

static const char *const kind_ids[AK_N] = {
    "red_flag", "fall", "pain", "decline_while_adhering", "decline", "drop_20_percent"};

typedef struct alert {
    int kind;
    int level; /* LEVEL_* for a red flag, else -1 ("review") */
    int date;
    const char *record;
    int measure; /* MS_*, -1 none */
    const char *source;
    int cleared;
    char key[TR_KEY_MAX + 1];
    char explanation[640];
} alert;

/* A reason of the answer's triage: from an assessment, a check-in, or a
 * decline while adhering. */
typedef struct treason {
    const char *id, *explanation, *source;
    int level;
    const char *record; /* NULL: no record (no assessment yet) */
    int date;
} treason;

typedef struct tracker {
    tr_doc *d;
    double (*val)[MS_N]; /* per assessment (sorted), NAN when not measured */
    point *pts[MS_N];
    size_t n_pts[MS_N];
    mt_result *latest;
    int sex;
    alert *al;
    size_t n_al, cap_al;
    treason *why;
    size_t n_why, cap_why;
    char adhering_text[640]; /* the triage reason's explanation for a decline while adhering */
} tracker;

static alert *add_alert(tracker *t, int kind, int date, const char *record, int measure,
                        const char *source)
{
    alert *a;

    if (t->n_al == t->cap_al) {
        size_t cap = t->cap_al ? t->cap_al * 2 : 16;
        void *q = realloc(t->al, cap * sizeof(*t->al));
        if (!q)
            return NULL;
        t->al = q;
        t->cap_al = cap;
    }
    a = &t->al[t->n_al++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->level = -1;
    a->date = date;
    a->record = record;
    a->measure = measure;
    a->source = source;
    return a;
}

/* The key, then whether a clinician has cleared it. */
static void key_of(tracker *t, alert *a, const char *prefix, const char *mid)
{
    if (mid)
        snprintf(a->key, sizeof(a->key), "%s:%s:%s", prefix, mid, a->record);
    else
        snprintf(a->key, sizeof(a->key), "%s:%s", prefix, a->record);
    a->cleared = tr_cleared(t->d, a->key);
}

static treason *add_reason(tracker *t)
{
    treason *r;

    if (t->n_why == t->cap_why) {
        size_t cap = t->cap_why ? t->cap_why * 2 : 16;
        void *q = realloc(t->why, cap * sizeof(*t->why));
        if (!q)
            return NULL;
        t->why = q;
        t->cap_why = cap;
    }
    r = &t->why[t->n_why++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* Sessions dated from `from` (included) to `to` (excluded). */
static size_t sessions_between(const tr_doc *d, int from, int to)
{
    size_t lo = 0, hi = d->n_s, a, b;

    while (lo < hi) { /* first session on or after `from` */
        size_t mid = (lo + hi) / 2;
        if (d->s[mid].date < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    a = lo;
    hi = d->n_s;
    while (lo < hi) { /* first session on or after `to` */
        size_t mid = (lo + hi) / 2;
        if (d->s[mid].date < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    b = lo;
    return b > a ? b - a : 0;
}

/* ---- progress ------------------------------------------------------------------------------ */

/* Assess every assessment; keep the values tracked and the latest result. */
static int assess_all(tracker *t)
{
    tr_doc *d = t->d;
    size_t i;
    int m;

    t->val = calloc(d->n_a ? d->n_a : 1, sizeof(*t->val));
    for (m = 0; m < MS_N; m++)
        t->pts[m] = calloc(d->n_a ? d->n_a : 1, sizeof(point));
    if (!t->val)
        return MT_ENOMEM;
    for (m = 0; m < MS_N; m++)
        if (!t->pts[m])
            return MT_ENOMEM;
    for (i = 0; i < d->n_a; i++) {
        mt_result *r = NULL;
        int rc = mt_assess(&r, d->a[i].in, NULL);

        if (rc != MT_OK)
            return rc;
        for (m = 0; m < MS_N; m++) {
            const mt_q *q = measures[m].measure >= 0 ? &r->m[measures[m].measure] : &r->in.weight;
            t->val[i][m] = q->state == MT_Q_VALUE ? q->v : NAN;
        }
        if (i + 1 == d->n_a)
            t->latest = r;
        else
            mt_result_free(r);
    }
    t->sex = t->latest ? t->latest->in.sex : d->sex;
    return MT_OK;
}

static void measure_name_cap(char *dst, size_t cap, const char *name)
{
    snprintf(dst, cap, "%s", name);
    if (dst[0] >= 'a' && dst[0] <= 'z')
        dst[0] = (char)(dst[0] - 'a' + 'A');
}

/* The series of every measure, their labels, and the decline and drop alerts. */
static int build_series(tracker *t)
{
    tr_doc *d = t->d;
    int m;

    for (m = 0; m < MS_N; m++) {
        const measure_info *mi = &measures[m];
        size_t i;

        for (i = 0; i < d->n_a; i++) {
            point *p, *prev;
            double v = t->val[i][m];

            if (isnan(v))
                continue;
            p = &t->pts[m][t->n_pts[m]++];
            p->a = i;
            p->v = v;
            p->change = p->pct = NAN;
            p->label = LB_NONE;
            p->drop = -1;
            if (t->n_pts[m] == 1)
                continue;
            prev = p - 1;
            p->change = mt_round4(v - prev->v);
            if (prev->v != 0)
                p->pct = mt_round4((v - prev->v) / prev->v * 100.0);
            p->label = label_of(mi, p->change);
            if (mi->function && !isnan(p->pct)) {
                /* a drop is a fall of a higher-is-better test, a rise of the chair-stand time */
                double drop = mt_round4(mi->better > 0 ? -p->pct : p->pct);
                p->drop = mt_rule_compare(tr_rule(TR_FUNCTION_DROP), drop);
            }
            if (is_decline(p->label) || p->drop == 1) {
                const tr_assessment *a = &d->a[i], *pa = &d->a[prev->a];
                char from[11], to[11], v0[32], v1[32], ch[32], thr[32], name[64];
                alert *al;

                tr_date_str(pa->date, from);
                tr_date_str(a->date, to);
                measure_name_cap(name, sizeof(name), mi->name);
                if (is_decline(p->label)) {
                    const mt_rule *row = tr_rule(p->label == LB_BIG_DOWN ? mi->big : mi->small);
                    al = add_alert(t, AK_DECLINE, a->date, a->id, m, row->source);
                    if (!al)
                        return MT_ENOMEM;
                    key_of(t, al, "decline", mi->id);
                    snprintf(al->explanation, sizeof(al->explanation),
                             "%s went from %s to %s %s between %s and %s (a change of %s %s): a %s "
                             "decline, at least the %s %s that is %s.",
                             name, tr_num(v0, prev->v), tr_num(v1, v), mi->unit, from, to,
                             tr_num(ch, p->change), mi->unit,
                             p->label == LB_BIG_DOWN     ? "substantial"
                             : p->label == LB_SMALL_DOWN ? "small"
                                                         : "meaningful",
                             tr_num(thr, row->threshold), mi->unit,
                             p->label == LB_BIG_DOWN     ? "substantial"
                             : p->label == LB_SMALL_DOWN ? "a small meaningful change"
                                                         : "a meaningful change");
                }
                if (p->drop == 1) {
                    char pct[32];
                    al = add_alert(t, AK_DROP, a->date, a->id, m, "TRACKING");
                    if (!al)
                        return MT_ENOMEM;
                    key_of(t, al, "drop20", mi->id);
                    snprintf(al->explanation, sizeof(al->explanation),
                             "%s got %s %% worse between %s and %s (%s to %s %s): a drop of %s %% "
                             "or more in a function test needs a clinician's review.",
                             name, tr_num(pct, fabs(p->pct)), from, to, tr_num(v0, prev->v),
                             tr_num(v1, v), mi->unit,
                             tr_num(thr, tr_rule(TR_FUNCTION_DROP)->threshold));
                }
            }
        }
    }
    return MT_OK;
}

/* A decline (or a drop of 20 %) while adhering to the plan: sessions logged
 * from the earlier assessment's day to the day before the later one average at
 * least the adherence row (2 a week), over at least one week. One alert per
 * later assessment. */
static int decline_while_adhering(tracker *t)
{
    tr_doc *d = t->d;
    size_t i;

    for (i = 1; i < d->n_a; i++) {
        char names[256] = "", rate_s[32] = "", from_s[11] = "";
        size_t o = 0;
        int m, any = 0;

        for (m = 0; m < MS_N; m++) {
            size_t k;
            for (k = 1; k < t->n_pts[m]; k++) {
                const point *p = &t->pts[m][k];
                int from, to, days;
                double rate;
                if (p->a != i || !(is_decline(p->label) || p->drop == 1))
                    continue;
                from = d->a[t->pts[m][k - 1].a].date;
                to = d->a[i].date;
                days = to - from;
                if (days < 7)
                    continue;
                rate = mt_round4((double)sessions_between(d, from, to) * 7.0 / days);
                if (!mt_rule_compare(tr_rule(TR_ADHERING), rate))
                    continue;
                if (!any) {
                    tr_num(rate_s, rate);
                    tr_date_str(from, from_s);
                }
                o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s", any ? ", " : "",
                                      measures[m].name);
                if (o >= sizeof(names))
                    o = sizeof(names) - 1;
                any = 1;
            }
        }
        if (any) {
            char to_s[11], thr[32];
            alert *al = add_alert(t, AK_DECLINE_ADHERING, d->a[i].date, d->a[i].id, -1, "TRACKING");
            if (!al)
                return MT_ENOMEM;
            key_of(t, al, "decline_adhering", NULL);
            tr_date_str(d->a[i].date, to_s);
            snprintf(al->explanation, sizeof(al->explanation),
                     "%s declined between %s and %s while %s exercise sessions a week were logged "
                     "(%s or more is keeping to the plan): a decline despite training suggests a "
                     "cause other than disuse; see a doctor within days.",
                     names, from_s, to_s, rate_s, tr_num(thr, tr_rule(TR_ADHERING)->threshold));
            if (i + 1 == d->n_a && !al->cleared)
                snprintf(t->adhering_text, sizeof(t->adhering_text), "%s", al->explanation);
        }
    }
    return MT_OK;
}

/* Falls and pain in sessions and check-ins; red flags in check-ins. */
static int record_alerts(tracker *t)
{
    tr_doc *d = t->d;
    const mt_rule *pain = tr_rule(TR_PAIN_ALERT);
    size_t i;
    char date[11], thr[32];

    tr_num(thr, pain->threshold);
    for (i = 0; i < d->n_s; i++) {
        const tr_session *s = &d->s[i];
        alert *al;
        if (!mt_rule_compare(pain, s->pain))
            continue;
        al = add_alert(t, AK_PAIN, s->date, s->id, -1, "TRACKING");
        if (!al)
            return MT_ENOMEM;
        key_of(t, al, "pain", NULL);
        tr_date_str(s->date, date);
        snprintf(al->explanation, sizeof(al->explanation),
                 "Pain of %d out of 10 in the exercise session of %s (%s or more raises an "
                 "alert): the next session steps back one level.",
                 s->pain, date, thr);
    }
    for (i = 0; i < d->n_c; i++) {
        const tr_checkin *c = &d->c[i];
        alert *al;
        tr_date_str(c->date, date);
        if (c->level <= LEVEL_PROMPT) {
            const mt_reason_info *ri = mt_reason(c->reasons[0]);
            al = add_alert(t, AK_RED_FLAG, c->date, c->id, -1, ri->source);
            if (!al)
                return MT_ENOMEM;
            al->level = c->level;
            key_of(t, al, "red_flag", NULL);
            snprintf(al->explanation, sizeof(al->explanation),
                     "%s Reported in the check-in of %s: %s", ri->explanation, date,
                     mt_level_action(c->level));
        }
        if (c->fall) {
            al = add_alert(t, AK_FALL, c->date, c->id, -1, "TRACKING");
            if (!al)
                return MT_ENOMEM;
            key_of(t, al, "fall", NULL);
            snprintf(al->explanation, sizeof(al->explanation),
                     "A fall was reported in the check-in of %s: exercise progression is paused "
                     "(one level easier, no added load) until a clinician has reviewed it.",
                     date);
        }
        if (c->pain >= 0 && mt_rule_compare(pain, c->pain)) {
            al = add_alert(t, AK_PAIN, c->date, c->id, -1, "TRACKING");
            if (!al)
                return MT_ENOMEM;
            key_of(t, al, "pain", NULL);
            snprintf(al->explanation, sizeof(al->explanation),
                     "Pain of %d out of 10 in the check-in of %s (%s or more raises an alert): "
                     "the next session steps back one level.",
                     c->pain, date, thr);
        }
    }
    return MT_OK;
}

/* Red flags first (most urgent first), then newest first; kinds in table order. */
static int by_urgency(const void *x, const void *y)
{
    const alert *a = x, *b = y;
    int ra = a->kind == AK_RED_FLAG, rb = b->kind == AK_RED_FLAG;

    if (ra != rb)
        return rb - ra;
    if (ra && a->level != b->level)
        return a->level - b->level;
    if (a->date != b->date)
        return b->date - a->date;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    return strcmp(a->key, b->key);
}

/* ---- triage now --------------------------------------------------------------------------- */

static int by_level(const void *x, const void *y)
{
    const treason *a = x, *b = y;

    if (a->level != b->level)
        return a->level - b->level;
    return a->date - b->date;
}

/* The latest assessment's triage, then the red flags of the check-ins since it
 * (on or after its date; all of them without an assessment) and a decline
 * while adhering, each unless a clinician cleared its alert; the most urgent
 * wins. Fills the prescription's state too. */
static int triage_now(tracker *t, tr_state *st)
{
    tr_doc *d = t->d;
    int since = d->n_a ? d->a[d->n_a - 1].date : -1;
    size_t i;
    treason *r;

    if (t->latest) {
        const mt_triage *tt = &t->latest->triage;
        int k;
        for (k = 0; k < tt->n; k++) {
            const mt_reason_info *ri = mt_reason(tt->reasons[k]);
            if (!(r = add_reason(t)))
                return MT_ENOMEM;
            r->id = ri->id;
            r->explanation = ri->explanation;
            r->source = ri->source;
            r->level = ri->level;
            r->record = d->a[d->n_a - 1].id;
            r->date = since;
        }
    } else {
        if (!(r = add_reason(t)))
            return MT_ENOMEM;
        r->id = "no_assessment";
        r->explanation = "No assessment yet: the triage is of the check-ins only.";
        r->source = "TRACKING";
        r->level = LEVEL_SELF_CARE;
        r->date = -1;
    }
    for (i = 0; i < d->n_c; i++) {
        const tr_checkin *c = &d->c[i];
        char key[TR_KEY_MAX + 1];
        int k;

        if (c->fall) {
            snprintf(key, sizeof(key), "fall:%s", c->id);
            if (!tr_cleared(d, key))
                st->fall = c;
        }
        if (c->level > LEVEL_PROMPT || c->date < since)
            continue;
        snprintf(key, sizeof(key), "red_flag:%s", c->id);
        if (tr_cleared(d, key))
            continue;
        st->red_flag = c;
        for (k = 0; k < c->n_reasons; k++) {
            const mt_reason_info *ri = mt_reason(c->reasons[k]);
            if (ri->level > LEVEL_PROMPT)
                continue;
            if (!(r = add_reason(t)))
                return MT_ENOMEM;
            r->id = ri->id;
            r->explanation = ri->explanation;
            r->source = ri->source;
            r->level = ri->level;
            r->record = c->id;
            r->date = c->date;
        }
    }
    if (t->adhering_text[0]) {
        if (!(r = add_reason(t)))
            return MT_ENOMEM;
        r->id = "decline_while_adhering";
        r->explanation = t->adhering_text;
        r->source = "TRACKING";
        r->level = LEVEL_PROMPT;
        r->record = d->a[d->n_a - 1].id;
        r->date = since;
    }
    qsort(t->why, t->n_why, sizeof(*t->why), by_level);
    st->level = t->why[0].level;
    return MT_OK;
}

/* ---- writing the answer ---------------------------------------------------------------------- */

static void write_triage(tr_w *w, const tracker *t)
{
    size_t i;

    tr_w_open(w, "triage", '{');
    tr_w_str(w, "level", mt_level_str(t->why[0].level));
    tr_w_str(w, "action", mt_level_action(t->why[0].level));
    tr_w_open(w, "reasons", '[');
    for (i = 0; i < t->n_why; i++) {
        const treason *r = &t->why[i];
        tr_w_open(w, NULL, '{');
        tr_w_str(w, "id", r->id);
        tr_w_str(w, "level", mt_level_str(r->level));
        tr_w_str(w, "explanation", r->explanation);
        tr_w_str(w, "source", r->source);
        tr_w_str(w, "record", r->record);
        tr_w_close(w, '}');
    }
    tr_w_close(w, ']');
    tr_w_str(w, "since", t->why[0].record);
    tr_w_close(w, '}');
}

static void write_alerts(tr_w *w, const tracker *t)
{
    size_t i;
    char date[11];

    tr_w_open(w, "alerts", '[');
    for (i = 0; i < t->n_al; i++) {
        const alert *a = &t->al[i];
        tr_date_str(a->date, date);
        tr_w_open(w, NULL, '{');
        tr_w_str(w, "key", a->key);
        tr_w_str(w, "kind", kind_ids[a->kind]);
        tr_w_str(w, "level", a->level >= 0 ? mt_level_str(a->level) : "review");
        tr_w_str(w, "date", date);
        tr_w_str(w, "record", a->record);
        tr_w_str(w, "measure", a->measure >= 0 ? measures[a->measure].id : NULL);
        tr_w_str(w, "explanation", a->explanation);
        tr_w_str(w, "source", a->source);
        tr_w_bool(w, "cleared", a->cleared);
        tr_w_close(w, '}');
    }
    tr_w_close(w, ']');
}

/* The cut-offs of the definitions (and screening rows) for this measure and
 * sex, drawn as lines on the charts: rows without a condition and with one
 * threshold (EWGSOP1's BMI strata and the FNIH intermediate band are left out). */
static void write_thresholds(tr_w *w, const measure_info *mi, int sex)
{
    size_t t, i;

    tr_w_open(w, "thresholds", '[');
    for (t = 0; mi->measure >= 0 && t <= mt_n_definitions; t++) {
        const mt_definition *def = t < mt_n_definitions ? mt_definitions[t] : &mt_screening_rules;
        for (i = 0; i < def->n_rules; i++) {
            const mt_rule *r = &def->rules[i];
            if (r->measure != mi->measure || r->cond != COND_NONE || r->op == OP_BETWEEN ||
                (r->sex != SEX_ANY && r->sex != sex))
                continue;
            tr_w_open(w, NULL, '{');
            tr_w_str(w, "definition", def->id);
            tr_w_str(w, "criterion", def->criteria[r->crit]);
            tr_w_str(w, "op", mt_op_str(r->op));
            tr_w_num(w, "value", r->threshold);
            tr_w_str(w, "unit", mt_measure_unit(r->measure));
            tr_w_str(w, "source", r->source);
            tr_w_str(w, "status", mt_status_str(r->status));
            tr_w_close(w, '}');
        }
    }
    tr_w_close(w, ']');
}

static void write_progress(tr_w *w, const tracker *t)
{
    const tr_doc *d = t->d;
    char date[11];
    int m;
    size_t i;

    tr_w_open(w, "progress", '{');
    tr_w_str(w, "sex", t->sex == MT_MALE ? "male" : t->sex == MT_FEMALE ? "female" : NULL);
    tr_w_open(w, "measures", '[');
    for (m = 0; m < MS_N; m++) {
        const measure_info *mi = &measures[m];
        tr_w_open(w, NULL, '{');
        tr_w_str(w, "measure", mi->id);
        tr_w_str(w, "unit", mi->unit);
        tr_w_str(w, "better", mi->better > 0 ? "higher" : mi->better < 0 ? "lower" : NULL);
        if (mi->small >= 0) {
            const mt_rule *small = tr_rule(mi->small);
            tr_w_open(w, "meaningful_change", '{');
            tr_w_num(w, "small", small->threshold);
            tr_w_num(w, "substantial", mi->big >= 0 ? tr_rule(mi->big)->threshold : NAN);
            tr_w_str(w, "source", small->source);
            tr_w_str(w, "status", mt_status_str(small->status));
            tr_w_close(w, '}');
        } else {
            tr_w_null(w, "meaningful_change");
        }
        tr_w_open(w, "series", '[');
        for (i = 0; i < t->n_pts[m]; i++) {
            const point *p = &t->pts[m][i];
            tr_date_str(d->a[p->a].date, date);
            tr_w_open(w, NULL, '{');
            tr_w_str(w, "assessment", d->a[p->a].id);
            tr_w_str(w, "date", date);
            tr_w_num(w, "value", p->v);
            tr_w_num(w, "change", p->change);
            tr_w_num(w, "percent_change", p->pct);
            tr_w_str(w, "label", label_ids[p->label]);
            if (p->drop < 0)
                tr_w_null(w, "drop_20_percent");
            else
                tr_w_bool(w, "drop_20_percent", p->drop);
            tr_w_close(w, '}');
        }
        tr_w_close(w, ']');
        write_thresholds(w, mi, t->sex);
        tr_w_close(w, '}');
    }
    tr_w_close(w, ']');
    tr_w_close(w, '}');
}

/* Cut `{"name": value` written after `start` down to `value`: the answer of a
 * single section. */
static int bare_value(mt_buf *b, size_t start)
{
    char *p = b->p, *colon;
    size_t skip;

    if (!p || b->len <= start)
        return MT_ENOMEM;
    colon = memchr(p + start, ':', b->len - start);
    if (!colon)
        return MT_EINTERNAL;
    skip = (size_t)(colon + 1 - p);
    while (skip < b->len && (p[skip] == ' ' || p[skip] == '\n'))
        skip++;
    memmove(p, p + skip, b->len - skip);
    b->len -= skip;
    mt_buf_putc(b, '\n');
    return b->failed ? MT_ENOMEM : MT_OK;
}

/* ---- the public entry points --------------------------------------------------------------------
 */

int mt_track_json(const char *json, size_t len, char **out, size_t *out_len, mt_error *err)
{
    return mt_track_json_select(json, len, MT_TRACK_ALL, out, out_len, err);
}

int mt_track_json_select(const char *json, size_t len, unsigned parts, char **out, size_t *out_len,
                         mt_error *err)
{
    tr_doc d;
    tracker t;
    tr_state st;
    tr_w w;
    char today[11];
    int rc, m;

    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!out || (!json && len))
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_track_json: out must not be NULL, nor json when len > 0");
    if (!(parts & MT_TRACK_ALL) ||
        ((parts & MT_TRACK_BARE) && (parts & MT_TRACK_ALL) != MT_TRACK_PROGRESS &&
         (parts & MT_TRACK_ALL) != MT_TRACK_ALERTS &&
         (parts & MT_TRACK_ALL) != MT_TRACK_PRESCRIPTION))
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_track_json_select: parts must name a section (MT_TRACK_BARE: one "
                            "of progress, alerts or prescription)");
    memset(&d, 0, sizeof(d));
    memset(&t, 0, sizeof(t));
    memset(&st, 0, sizeof(st));
    memset(&w, 0, sizeof(w));
    rc = tr_parse(&d, json ? json : "", len, err);
    if (rc != MT_OK)
        goto done;
    t.d = &d;
    rc = assess_all(&t);
    if (!rc)
        rc = build_series(&t);
    if (!rc)
        rc = decline_while_adhering(&t);
    if (!rc)
        rc = record_alerts(&t);
    if (!rc)
        rc = triage_now(&t, &st);
    if (rc != MT_OK)
        goto done;
    if (t.n_al)
        qsort(t.al, t.n_al, sizeof(*t.al), by_urgency);
    st.d = &d;
    st.latest_a = d.n_a ? &d.a[d.n_a - 1] : NULL;
    st.latest = t.latest;

    w.first = 1;
    if (parts & MT_TRACK_BARE) { /* one section's value alone: written as a member of a
                                    wrapper object, then the wrapper is cut off */
        size_t start;
        mt_buf_putc(&w.b, '{');
        w.depth = 1;
        start = w.b.len;
        if (parts & MT_TRACK_PROGRESS)
            write_progress(&w, &t);
        else if (parts & MT_TRACK_ALERTS)
            write_alerts(&w, &t);
        else
            tr_prescription(&w, &st);
        rc = bare_value(&w.b, start);
    } else {
        mt_buf_putc(&w.b, '{');
        w.depth = 1;
        if (parts & MT_TRACK_TRIAGE) {
            write_triage(&w, &t); /* red flags come first, always */
            tr_w_open(&w, "engine", '{');
            tr_w_str(&w, "name", "myotrack");
            tr_w_str(&w, "version", mt_version());
            tr_w_close(&w, '}');
            tr_w_str(&w, "disclaimer", mt_disclaimer());
            tr_date_str(d.today, today);
            tr_w_str(&w, "today", today);
        }
        if (parts & MT_TRACK_ALERTS)
            write_alerts(&w, &t);
        if (parts & MT_TRACK_PROGRESS)
            write_progress(&w, &t);
        if (parts & MT_TRACK_PRESCRIPTION)
            tr_prescription(&w, &st);
        mt_buf_puts(&w.b, "\n}\n");
    }
    if (rc != MT_OK)
        goto done;
    rc = mt_buf_finish(&w.b, out, out_len);
    w.b.p = NULL;
done:
    if (rc == MT_ENOMEM)
        mt_error_set(err, MT_ENOMEM, "", "out of memory");
    free(w.b.p);
    free(t.val);
    for (m = 0; m < MS_N; m++)
        free(t.pts[m]);
    free(t.al);
    free(t.why);
    mt_result_free(t.latest);
    tr_doc_free(&d);
    return rc;
}

/* The caller's "today", or -1 when NULL; -2 when it is not a date. */
static int caller_today(const char *today)
{
    int d;

    if (!today)
        return -1;
    d = tr_date_parse(today, strnlen(today, 11));
    return d < 0 ? -2 : d;
}

int mt_session_check(const char *json, size_t len, const char *today, mt_error *err)
{
    tr_session s;
    int day = caller_today(today);

    if (!json && len)
        return mt_error_set(err, MT_EUSAGE, "", "mt_session_check: json is NULL with len > 0");
    if (day == -2)
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_session_check: today must be a date YYYY-MM-DD");
    return tr_parse_session(&s, json ? json : "", len, day, err);
}

int mt_checkin_check(const char *json, size_t len, const char *today, mt_triage_view *out,
                     mt_error *err)
{
    tr_checkin c;
    const mt_reason_info *ri;
    int day = caller_today(today), rc;

    if (!out || (!json && len))
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_checkin_check: out must not be NULL, nor json when len > 0");
    if (day == -2)
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_checkin_check: today must be a date YYYY-MM-DD");
    rc = tr_parse_checkin(&c, json ? json : "", len, day, err);
    if (rc != MT_OK)
        return rc;
    ri = mt_reason(c.reasons[0]);
    out->level = mt_level_str(c.level);
    out->action = mt_level_action(c.level);
    out->reason = ri->id;
    out->explanation = ri->explanation;
    out->source = ri->source;
    out->n_reasons = c.n_reasons;
    return MT_OK;
}
