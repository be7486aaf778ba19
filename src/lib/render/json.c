/*
 * json.c - the JSON rendering of a result: the output contract of
 * docs/output.md. Key names and nesting are public; later versions only add
 * keys. Values not measured are null, never 0. The writer is hand-rolled
 * (see buf.c for why) and emits 2-space-indented JSON in a fixed key order,
 * or with MT_JSON_COMPACT the same members with no whitespace at all (no
 * newline, indentation or space after ':'; no final newline): what the
 * server stores and answers, written directly rather than squeezed out of
 * the indented text afterwards.
 *
 * Speed: parse+assess+json must reach 50,000 documents/s on one core
 * (bench/), and a full result is about 37 KB, so the writer avoids per-byte
 * work and per-member calls:
 *  - each member is written in one reservation (member()): its lead-in
 *    (",\n" and the indentation) is one fixed-size copy from a run of spaces;
 *    a literal key, K("..."), is stored padded with the "\": " after it and
 *    written by one fixed-size copy; numbers are formatted in place;
 *  - engine text (every value string but the user's history.immobilized_part)
 *    needs no escaping, so it is copied by length; sanitizer builds check it
 *    (check_literal), the user's text is escaped (text());
 *  - the criteria's static members (measure to status, a third of the output)
 *    are rendered once per process and copied (see "the criteria's static
 *    text" below).
 * On the benchmark document this took the renderer from ~28 to ~9 us and
 * parse+assess+json from ~27k to ~66k documents/s.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"
#include "render/buf.h"

#include "definitions/screening.h"

typedef struct jw {
    mt_buf b;
    int depth;
    int first;   /* 1: no member written yet at this depth */
    int compact; /* 1: no newline, indentation or space after ':' (MT_JSON_COMPACT) */
} jw;

/* A member's key: its text and length. K("literal") is counted at compile
 * time and stored with the `": ` that follows it and padding to at least
 * KEY_COPY bytes, so that one fixed-size copy writes it (padded); keys known
 * only at run time (kv) are copied by length. */
typedef struct jkey {
    const char *s;
    unsigned n, padded;
} jkey;

#define KEY_COPY 32
#define KEY_PAD  "\":                             " /* "\": ", then padding */
_Static_assert(sizeof(KEY_PAD) >= KEY_COPY, "K(\"\") holds KEY_COPY bytes");
#define K(lit) ((jkey){"" lit KEY_PAD, sizeof(lit) - 1, 1})
#define NOKEY  ((jkey){NULL, 0, 0})

static jkey kv(const char *s)
{
    jkey k = {s, (unsigned)strlen(s), 0};
    return k;
}

/* Engine text - every value string but the user's own (history.
 * immobilized_part) - is known to need no escaping and is copied whole.
 * Sanitizer builds (and -DMT_CHECK_LITERALS) check each one, so the test
 * suites run under them fail on engine text that would need escaping. */
#if defined(MT_CHECK_LITERALS) || defined(__SANITIZE_ADDRESS__)
#define CHECK_LITERALS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHECK_LITERALS 1
#endif
#endif
#ifdef CHECK_LITERALS
#include <stdio.h>
static void check_literal(const char *s)
{
    if (!mt_json_plain(s)) {
        fprintf(stderr, "json.c: engine text needs escaping, write it with text(): %s\n", s);
        abort();
    }
}
#else
#define check_literal(s) ((void)0)
#endif

/* ",\n" and the deepest indentation: a member's lead-in is one fixed-size
 * copy from here (from lead + 1 for the first member: no comma), whatever
 * its depth; the bytes copied past the indentation are overwritten. */
#define INDENT_MAX 32 /* 16 levels; deeper members keep this indentation */
static const char lead[] = ",\n                                ";
_Static_assert(sizeof(lead) == 2 + INDENT_MAX + 1, "lead: comma, newline, INDENT_MAX spaces");

/* Room for a member's lead-in, its key ("\"key\": ") and `need` bytes of
 * value, all reserved at once; writes the lead-in and the key and returns
 * where the value goes (the caller sets b.len past it), or NULL once the
 * buffer has failed. Runs for every member and every closing bracket. */
static inline char *member(jw *w, jkey k, size_t need)
{
    size_t indent = 2 * (size_t)(w->depth < 16 ? w->depth : 16);
    char *o;

    if (!mt_buf_room(&w->b, 2 + INDENT_MAX + 1 + KEY_COPY + k.n + 3 + need))
        return NULL;
    o = w->b.p + w->b.len;
    memcpy(o, lead + w->first, 1 + 1 + INDENT_MAX);
    /* compact: the comma alone (or nothing for the first member) */
    o += w->compact ? (size_t)(1 - w->first) : (size_t)(2 - w->first) + indent;
    w->first = 0;
    if (k.s) {
        *o++ = '"';
        if (k.padded && k.n + 3 <= KEY_COPY) {
            memcpy(o, k.s, KEY_COPY); /* the key, "\": " and padding (overwritten) */
        } else {
            memcpy(o, k.s, k.n);
            memcpy(o + k.n, "\": ", 3);
        }
        o += k.n + 3 - (unsigned)w->compact; /* compact: no space after the colon */
    }
    return o;
}

static void done(jw *w, char *o)
{
    w->b.len = (size_t)(o - w->b.p);
}

static void open_(jw *w, jkey k, char c)
{
    char *o = member(w, k, 1);

    if (!o)
        return;
    *o++ = c;
    done(w, o);
    w->depth++;
    w->first = 1;
}

static void close_(jw *w, char c)
{
    char *o;

    w->depth--;
    if (w->first || w->compact) { /* empty, or compact: the bracket right after */
        mt_buf_putc(&w->b, c);
    } else {
        w->first = 1; /* a bare newline and indent, no comma */
        o = member(w, NOKEY, 1);
        if (!o)
            return;
        *o++ = c;
        done(w, o);
    }
    w->first = 0;
}

#define obj(w, k)  open_(w, k, '{')
#define end_obj(w) close_(w, '}')
#define arr(w, k)  open_(w, k, '[')
#define end_arr(w) close_(w, ']')

static void num(jw *w, jkey k, double v)
{
    char *o = member(w, k, MT_NUM_MAX);

    if (o)
        done(w, mt_put_num(o, v));
}

static void integer(jw *w, jkey k, long long v)
{
    char *o = member(w, k, MT_NUM_MAX);

    if (o)
        done(w, mt_put_int(o, v));
}

/* A fixed word: true, false, null. */
static void word_(jw *w, jkey k, const char *s, size_t n)
{
    char *o = member(w, k, 5);

    if (!o)
        return;
    memcpy(o, s, 5); /* "true" and "null" copy their NUL too; overwritten later */
    done(w, o + n);
}

static void null(jw *w, jkey k)
{
    word_(w, k, "null", 4);
}

static void boolean(jw *w, jkey k, int v)
{
    if (v)
        word_(w, k, "true", 4);
    else
        word_(w, k, "false", 5);
}

/* Engine text as a string (null for NULL): copied whole, see check_literal. */
static void str(jw *w, jkey k, const char *s)
{
    size_t n;
    char *o;

    if (!s) {
        null(w, k);
        return;
    }
    check_literal(s);
    n = strlen(s);
    o = member(w, k, n + 2);
    if (!o)
        return;
    *o++ = '"';
    memcpy(o, s, n);
    o += n;
    *o++ = '"';
    done(w, o);
}

/* The user's own text: escaped. */
static void text(jw *w, jkey k, const char *s)
{
    char *o = member(w, k, 0);

    if (!o)
        return;
    done(w, o);
    mt_buf_json_str(&w->b, s);
}

/* met: 1 true, 0 false, -1 null */
static void tristate(jw *w, jkey k, int v)
{
    if (v < 0)
        null(w, k);
    else
        boolean(w, k, v);
}

static void qty(jw *w, jkey k, mt_q q)
{
    if (q.state == MT_Q_VALUE)
        num(w, k, q.v);
    else
        null(w, k);
}

/* A quantity that may be "unable"/"not_completed": the word, else a number or null. */
static void qty_word(jw *w, jkey k, mt_q q, const char *word)
{
    if (q.state == MT_Q_UNABLE)
        str(w, k, word);
    else
        qty(w, k, q);
}

static void opt_int(jw *w, jkey k, int v)
{
    if (v < 0)
        null(w, k);
    else
        integer(w, k, v);
}

/* ---- the normalised input ------------------------------------------------ */

static void flag(jw *w, jkey k, mt_flag f)
{
    if (f >= 0)
        boolean(w, k, f);
}

static void word(jw *w, jkey k, int v, const char *const *words)
{
    if (v >= 0)
        str(w, k, words[v]);
}

static void set(jw *w, jkey k, mt_set s, const char *const *words)
{
    int i;

    if (!s.known)
        return;
    arr(w, k);
    for (i = 0; words[i]; i++)
        if (s.bits & (1u << i))
            str(w, NOKEY, words[i]);
    end_arr(w);
}

static void opt_qty(jw *w, jkey k, mt_q q)
{
    if (q.state)
        qty(w, k, q);
}

/* symptoms, history and preferences: only what was given */
static void render_context(jw *w, const mt_input *in)
{
    obj(w, K("symptoms"));
    word(w, K("onset"), in->sym.onset, mt_onset_words);
    word(w, K("side"), in->sym.side, mt_side_words);
    word(w, K("reflexes"), in->sym.reflexes, mt_reflex_words);
#define ECHO_FLAG(name) flag(w, K(#name), in->sym.name);
    MT_SYMPTOM_FLAGS(ECHO_FLAG)
#undef ECHO_FLAG
    end_obj(w);
    obj(w, K("history"));
    opt_qty(w, K("immobilization_weeks"), in->hx.immobilization_weeks);
    if (in->hx.immobilized_part[0])
        text(w, K("immobilized_part"), in->hx.immobilized_part);
    opt_qty(w, K("bed_rest_days"), in->hx.bed_rest_days);
    set(w, K("conditions"), in->hx.conditions, mt_condition_words);
    set(w, K("medications"), in->hx.medications, mt_medication_words);
    opt_qty(w, K("weight_6_months_ago"), in->hx.weight_6m);
    opt_qty(w, K("weight_12_months_ago"), in->hx.weight_12m);
    flag(w, K("appetite_reduced"), in->hx.appetite_reduced);
    opt_qty(w, K("intake_percent_of_usual"), in->hx.intake_percent);
    flag(w, K("childhood_onset"), in->hx.childhood_onset);
    flag(w, K("family_history_neuromuscular"), in->hx.family_history_neuromuscular);
    if (in->hx.falls_past_year >= 0)
        integer(w, K("falls_past_year"), in->hx.falls_past_year);
    if (in->hx.exercise_sessions >= 0)
        integer(w, K("exercise_sessions_per_week"), in->hx.exercise_sessions);
    obj(w, K("labs"));
    opt_qty(w, K("ck"), in->hx.labs.ck);
    opt_qty(w, K("ck_uln"), in->hx.labs.ck_uln);
    opt_qty(w, K("egfr"), in->hx.labs.egfr);
    flag(w, K("on_dialysis"), in->hx.labs.on_dialysis);
    opt_qty(w, K("crp"), in->hx.labs.crp);
    opt_qty(w, K("hemoglobin"), in->hx.labs.hemoglobin);
    opt_qty(w, K("albumin"), in->hx.labs.albumin);
    opt_qty(w, K("vitamin_d"), in->hx.labs.vitamin_d);
    end_obj(w);
    end_obj(w);
    obj(w, K("preferences"));
    set(w, K("equipment"), in->pref.equipment, mt_equipment_words);
    word(w, K("location"), in->pref.location, mt_location_words);
    end_obj(w);
}

static void render_input(jw *w, const mt_input *in)
{
    static const char *const sarcf_items[] = {"strength", "walking", "chair", "stairs", "falls"};
    int i;

    obj(w, K("input"));
    obj(w, K("person"));
    str(w, K("sex"), in->sex == MT_MALE ? "male" : "female");
    qty(w, K("age"), in->age);
    qty(w, K("height"), in->height);
    qty(w, K("weight"), in->weight);
    end_obj(w);
    str(w, K("setting"), in->setting == MT_HOSPITAL ? "hospital" : "community");
    if (in->sarc_f_form == MT_SARCF_ITEMS) {
        obj(w, K("sarc_f"));
        for (i = 0; i < MT_SARCF_ITEMS_N; i++)
            integer(w, kv(sarcf_items[i]), in->sarc_f[i]);
        end_obj(w);
    } else if (in->sarc_f_form == MT_SARCF_TOTAL) {
        obj(w, K("sarc_f"));
        integer(w, K("total"), in->sarc_f_total);
        end_obj(w);
    }
    obj(w, K("measurements"));
    if (in->grip.state)
        qty(w, K("grip"), in->grip);
    if (in->n_grip_trials) {
        arr(w, K("grip_trials"));
        for (i = 0; i < in->n_grip_trials; i++)
            num(w, NOKEY, in->grip_trials[i]);
        end_arr(w);
    }
    if (in->chair_stand_5x.state)
        qty_word(w, K("chair_stand_5x"), in->chair_stand_5x, "unable");
    if (in->gait_speed.state)
        qty(w, K("gait_speed"), in->gait_speed);
    if (in->walk_distance.state) {
        obj(w, K("walk"));
        qty(w, K("distance"), in->walk_distance);
        qty(w, K("time"), in->walk_time);
        end_obj(w);
    }
    if (in->tug.state)
        qty(w, K("tug"), in->tug);
    if (in->walk_400m.state)
        qty_word(w, K("walk_400m"), in->walk_400m, "not_completed");
    if (in->six_minute_walk.state)
        qty(w, K("six_minute_walk"), in->six_minute_walk);
    switch (in->sppb.form) {
    case MT_SPPB_ITEMS:
        obj(w, K("sppb"));
        integer(w, K("balance"), in->sppb.balance);
        integer(w, K("gait"), in->sppb.gait);
        integer(w, K("chair"), in->sppb.chair);
        end_obj(w);
        break;
    case MT_SPPB_TOTAL:
        obj(w, K("sppb"));
        integer(w, K("total"), in->sppb.total);
        end_obj(w);
        break;
    case MT_SPPB_TIMES:
        obj(w, K("sppb"));
        qty(w, K("side_by_side"), in->sppb.side_by_side);
        if (in->sppb.semi_tandem.state)
            qty(w, K("semi_tandem"), in->sppb.semi_tandem);
        if (in->sppb.tandem.state)
            qty(w, K("tandem"), in->sppb.tandem);
        qty_word(w, in->sppb.walk_course_m == 3 ? K("walk_3m") : K("walk_4m"), in->sppb.walk,
                 "unable");
        qty_word(w, K("chair_5x"), in->sppb.chair_5x, "unable");
        end_obj(w);
        break;
    default:
        break;
    }
    if (in->calf.state)
        qty(w, K("calf"), in->calf);
    if (in->asm_kg.state) {
        qty(w, K("asm"), in->asm_kg);
        str(w, K("asm_method"), in->asm_method == MT_ASM_BIA ? "bia" : "dxa");
    }
    if (in->bia.given) {
        obj(w, K("bia"));
        qty(w, K("resistance"), in->bia.resistance);
        if (in->bia.reactance.state)
            qty(w, K("reactance"), in->bia.reactance);
        str(w, K("equation"), mt_bia_equation_id(in->bia.equation));
        end_obj(w);
    }
    end_obj(w);
    render_context(w, in);
    end_obj(w);
}

/* ---- screening and tests --------------------------------------------------- */

/* The verdict of one screening row: positive, threshold, operator, source, status. */
static void verdict(jw *w, const mt_crit *c, jkey positive_key)
{
    const mt_rule *r = c->rule ? c->rule : c->shown;

    tristate(w, positive_key, c->met);
    if (!r)
        return;
    str(w, K("operator"), mt_op_str(r->op));
    num(w, K("threshold"), r->threshold);
    str(w, K("source"), r->source);
    str(w, K("status"), mt_status_str(r->status));
}

static void render_screening(jw *w, const mt_result *r)
{
    const mt_crit *calf = mt_result_find(r, "awgs2019", "low_calf");

    obj(w, K("screening"));
    obj(w, K("sarc_f"));
    qty(w, K("score"), r->m[M_SARCF]);
    verdict(w, &r->screening.crit[SCR_SARC_F], K("positive"));
    end_obj(w);
    obj(w, K("sarc_calf"));
    qty(w, K("score"), r->m[M_SARCCALF]);
    if (MT_HAS(r->m[M_SARCCALF]))
        integer(w, K("calf_points"), r->sarc_calf_points);
    else
        null(w, K("calf_points"));
    verdict(w, &r->screening.crit[SCR_SARC_CALF], K("positive"));
    end_obj(w);
    obj(w, K("calf"));
    qty(w, K("value"), r->in.calf);
    if (calf)
        verdict(w, calf, K("low"));
    end_obj(w);
    obj(w, K("ishii"));
    qty(w, K("score"), r->m[M_ISHII]);
    verdict(w, &r->screening.crit[SCR_ISHII], K("positive"));
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

    obj(w, K("tests"));
    qty(w, K("bmi"), r->m[M_BMI]);

    obj(w, K("grip"));
    qty(w, K("value"), in->grip);
    if (r->grip.known) {
        static const char *const names[5] = {"p10", "p25", "p50", "p75", "p90"};
        str(w, K("centile_band"), mt_grip_band_str(r->grip.band));
        num(w, K("median_for_age"), r->grip.median_for_age);
        num(w, K("percent_of_peak"), r->grip.percent_of_peak);
        num(w, K("peak_median"), r->grip.peak_median);
        obj(w, K("centiles"));
        for (k = 0; k < 5; k++)
            num(w, kv(names[k]), r->grip.centiles[k]);
        end_obj(w);
    } else {
        null(w, K("centile_band"));
        null(w, K("median_for_age"));
        null(w, K("percent_of_peak"));
    }
    str(w, K("source"), "DODDS");
    end_obj(w);

    qty(w, K("gait_speed"), r->m[M_GAIT]);
    str(w, K("gait_speed_source"), source_name(r->gait_source));

    obj(w, K("chair_stand_5x"));
    qty_word(w, K("value"), r->m[M_CHAIR5X], "unable");
    str(w, K("source"), source_name(r->chair_source));
    end_obj(w);

    obj(w, K("sppb"));
    opt_int(w, K("total"), r->sppb.total);
    opt_int(w, K("balance"), r->sppb.balance);
    opt_int(w, K("gait"), r->sppb.gait);
    opt_int(w, K("chair"), r->sppb.chair);
    if (in->sppb.form == MT_SPPB_TIMES)
        integer(w, K("walk_course_m"), in->sppb.walk_course_m);
    str(w, K("source"), "SPPB");
    end_obj(w);

    obj(w, K("tug"));
    qty(w, K("value"), in->tug);
    verdict(w, &r->screening.crit[SCR_TUG_FALL_RISK], K("fall_risk"));
    end_obj(w);

    obj(w, K("walk_400m"));
    qty_word(w, K("value"), in->walk_400m, "not_completed");
    tristate(w, K("completed"),
             in->walk_400m.state == MT_Q_ABSENT ? -1 : in->walk_400m.state == MT_Q_VALUE);
    end_obj(w);

    obj(w, K("six_minute_walk"));
    qty(w, K("value"), in->six_minute_walk);
    if (r->six_mw.known) {
        num(w, K("predicted"), r->six_mw.predicted);
        if (r->six_mw.has_percent)
            num(w, K("percent_predicted"), r->six_mw.percent_predicted);
        else
            null(w, K("percent_predicted"));
        num(w, K("lower_limit"), r->six_mw.lower_limit);
        boolean(w, K("below_lower_limit"), r->six_mw.below_lower_limit);
    } else {
        null(w, K("predicted"));
        null(w, K("percent_predicted"));
        null(w, K("lower_limit"));
        null(w, K("below_lower_limit"));
    }
    str(w, K("source"), "ENRIGHT");
    str(w, K("lower_limit_status"), "to_confirm");
    obj(w, K("scwd_limited_mobility"));
    tristate(w, K("short_distance"), r->screening.crit[SCR_SCWD_6MW].met);
    tristate(w, K("slow_gait"), r->screening.crit[SCR_SCWD_GAIT].met);
    str(w, K("source"), "SCWD");
    end_obj(w);
    end_obj(w);

    obj(w, K("asm"));
    qty(w, K("value"), r->m[M_ASM]);
    if (MT_HAS(in->asm_kg)) {
        str(w, K("method"), in->asm_method == MT_ASM_BIA ? "bia" : "dxa");
        null(w, K("equation"));
    } else if (in->bia.given && MT_HAS(r->m[M_ASM])) {
        str(w, K("method"), "bia");
        str(w, K("equation"), mt_bia_equation_id(in->bia.equation));
        str(w, K("source"), mt_bia_source(in->bia.equation));
        str(w, K("status"), mt_status_str(mt_bia_status(in->bia.equation)));
    } else {
        null(w, K("method"));
        null(w, K("equation"));
    }
    end_obj(w);
    if (MT_HAS(r->whole_body_muscle)) {
        obj(w, K("whole_body_muscle"));
        num(w, K("value"), r->whole_body_muscle.v);
        str(w, K("equation"), "janssen2000");
        str(w, K("source"), mt_bia_source(MT_BIA_JANSSEN2000));
        str(w, K("status"), mt_status_str(mt_bia_status(MT_BIA_JANSSEN2000)));
        str(w, K("note"),
            "whole-body skeletal muscle; not appendicular, so not compared with ASM "
            "cut-offs");
        end_obj(w);
    }
    qty(w, K("asmi"), r->m[M_ASMI]);
    qty(w, K("alm_bmi"), r->m[M_ALM_BMI]);
    qty(w, K("grip_bmi"), r->m[M_GRIP_BMI]);
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

/* The members of a criterion that its rows alone decide, in output order:
 * measure and operator (the shown row's), the threshold (the applied row's;
 * null when no row applied), the unit, the applied row's condition, then
 * role, source and status. Written as pieces so that they can be cached. */
enum { P_MEASURE, P_THRESHOLD, P_UNIT, P_CONDITION, P_TAIL, N_PIECES };

static void crit_piece(jw *w, int piece, const mt_rule *s, const mt_rule *r)
{
    switch (piece) {
    case P_MEASURE:
        str(w, K("measure"), mt_measure_name(s->measure));
        str(w, K("operator"), mt_op_str(s->op));
        break;
    case P_THRESHOLD:
        if (r && mt_measure_is_flag(s->measure)) {
            boolean(w, K("threshold"), r->threshold != 0);
        } else if (r) {
            num(w, K("threshold"), r->threshold);
            if (r->op == OP_BETWEEN)
                num(w, K("threshold_high"), r->threshold_high);
        } else {
            null(w, K("threshold"));
        }
        break;
    case P_UNIT:
        if (mt_measure_is_flag(s->measure))
            null(w, K("unit"));
        else
            str(w, K("unit"), mt_measure_unit(s->measure));
        break;
    case P_CONDITION:
        if (r && r->cond_text[0])
            str(w, K("condition"), r->cond_text);
        break;
    default:
        str(w, K("role"), role_str(s->role));
        str(w, K("source"), s->source);
        str(w, K("status"), mt_status_str(s->status));
        break;
    }
}

/* ---- the criteria's static text, rendered once per indentation -------------
 *
 * A criterion's key and its row pieces are the same in every result: about
 * 60 criteria and 500 members of a full output, over a third of its bytes.
 * The first time criteria are written at an indentation, the opening of
 * every criterion and the pieces of every row of every table are rendered
 * (by open_ and crit_piece, the code that otherwise writes them) into one
 * text; from then on they are copied. The cache is built by whichever thread
 * needs it first and published with one compare-and-swap (a thread that
 * loses the race frees its copy); it never changes afterwards and lives until
 * exit. Callers see no state: only the time taken changes. */

typedef struct table_text {
    const mt_definition *def;
    unsigned *opening; /* [n_criteria + 1]: ",\n<indent>\"name\": {" is text[o[i], o[i + 1]) */
    /* [n_rules]: piece k of row i, applied, is text[row[i][k], row[i][k + 1]) */
    unsigned (*row)[N_PIECES + 1];
} table_text;

typedef struct crit_cache {
    char *text;
    unsigned null_threshold[2]; /* P_THRESHOLD when no row applied */
    size_t n_tables;
    table_text *tables;
} crit_cache;

/* Keyed by the depth of the criteria object: 0-16 (deeper ones are indented as
 * 16); compact text, the same at every depth, in one more slot. */
#define CACHED_DEPTHS 17
#define COMPACT_SLOT  CACHED_DEPTHS
static _Atomic(crit_cache *) crit_caches[CACHED_DEPTHS + 1];

static void crit_cache_free(crit_cache *c)
{
    size_t t;

    if (!c)
        return;
    for (t = 0; c->tables && t < c->n_tables; t++) {
        free(c->tables[t].opening);
        free(c->tables[t].row);
    }
    free(c->tables);
    free(c->text);
    free(c);
}

/* The criteria of `def` at `depth` into w: each one's opening, then the pieces of each row. */
static int table_text_build(jw *w, table_text *tt, const mt_definition *def, int depth)
{
    size_t i;
    int k;

    tt->def = def;
    tt->opening = malloc(((size_t)def->n_criteria + 1) * sizeof(*tt->opening));
    tt->row = malloc((def->n_rules ? def->n_rules : 1) * sizeof(*tt->row));
    if (!tt->opening || !tt->row)
        return 0;
    for (k = 0; k < def->n_criteria; k++) {
        tt->opening[k] = (unsigned)w->b.len;
        w->depth = depth;
        w->first = 0;
        obj(w, kv(def->criteria[k]));
    }
    tt->opening[def->n_criteria] = (unsigned)w->b.len;
    w->depth = depth + 1;
    w->first = 0;
    for (i = 0; i < def->n_rules; i++) {
        for (k = 0; k < N_PIECES; k++) {
            tt->row[i][k] = (unsigned)w->b.len;
            crit_piece(w, k, &def->rules[i], &def->rules[i]);
        }
        tt->row[i][N_PIECES] = (unsigned)w->b.len;
    }
    return 1;
}

static crit_cache *crit_cache_build(int depth, int compact)
{
    crit_cache *c = calloc(1, sizeof(*c));
    jw w;
    size_t t;

    if (!c)
        return NULL;
    c->n_tables = mt_n_definitions + 2;
    c->tables = calloc(c->n_tables, sizeof(*c->tables));
    if (!c->tables) {
        crit_cache_free(c);
        return NULL;
    }
    memset(&w, 0, sizeof(w));
    w.depth = depth + 1;
    w.compact = compact;
    c->null_threshold[0] = (unsigned)w.b.len;
    crit_piece(&w, P_THRESHOLD, NULL, NULL);
    c->null_threshold[1] = (unsigned)w.b.len;
    for (t = 0; t < c->n_tables; t++) {
        const mt_definition *def = t < mt_n_definitions    ? mt_definitions[t]
                                   : t == mt_n_definitions ? &mt_triage_rules
                                                           : &mt_plan_rules;
        if (!table_text_build(&w, &c->tables[t], def, depth)) {
            w.b.failed = 1;
            break;
        }
    }
    if (mt_buf_finish(&w.b, &c->text, NULL) != MT_OK) {
        crit_cache_free(c);
        return NULL;
    }
    return c;
}

/* The cache for criteria at `depth` (in compact text or not); NULL (write them
 * member by member) if it cannot be built. */
static const crit_cache *crit_cache_get(int depth, int compact)
{
    crit_cache *c, *expected = NULL;
    int slot;

    if (depth < 0)
        return NULL;
    depth = depth < CACHED_DEPTHS ? depth : CACHED_DEPTHS - 1;
    slot = compact ? COMPACT_SLOT : depth;
    c = atomic_load_explicit(&crit_caches[slot], memory_order_acquire);
    if (c)
        return c;
    c = crit_cache_build(depth, compact);
    if (!c)
        return NULL;
    if (atomic_compare_exchange_strong_explicit(&crit_caches[slot], &expected, c,
                                                memory_order_acq_rel, memory_order_acquire))
        return c;
    crit_cache_free(c); /* another thread published first: use its copy */
    return expected;
}

/* text[from, to) of the cache */
static void copy_text(jw *w, const crit_cache *cache, unsigned from, unsigned to)
{
    mt_buf_put(&w->b, cache->text + from, to - from);
}

/* Criterion i of def: its opening and pieces copied from the cache when it has
 * the table (tt), else written member by member. */
static void render_criterion(jw *w, const mt_definition *def, int i, const mt_crit *c,
                             const crit_cache *cache, const table_text *tt)
{
    const mt_rule *r = c->rule;
    const mt_rule *s = c->shown;
    /* shown and rule are rows of def (mt_definition_evaluate) */
    size_t at = tt ? (size_t)(s - def->rules) : 0;
    const unsigned *row = tt && at < def->n_rules ? tt->row[at] : NULL;
    int k;

    if (tt) {
        copy_text(w, cache, tt->opening[i] + (unsigned)w->first, tt->opening[i + 1]);
        w->depth++;
        w->first = 1;
    } else {
        obj(w, kv(def->criteria[i]));
    }
    tristate(w, K("met"), c->met);
    if (c->state == MT_Q_VALUE && mt_measure_is_flag(s->measure))
        boolean(w, K("value"), c->value != 0);
    else if (c->state == MT_Q_VALUE)
        num(w, K("value"), c->value);
    else
        null(w, K("value"));
    if (c->state == MT_Q_UNABLE)
        boolean(w, K("unable"), 1);
    if (row && r == s) { /* the row applied: its pieces, whole */
        copy_text(w, cache, row[0], row[N_PIECES]);
    } else if (row && !r) { /* none applied: no threshold, no condition */
        copy_text(w, cache, row[P_MEASURE], row[P_THRESHOLD]);
        copy_text(w, cache, cache->null_threshold[0], cache->null_threshold[1]);
        copy_text(w, cache, row[P_UNIT], row[P_CONDITION]);
        copy_text(w, cache, row[P_TAIL], row[N_PIECES]);
    } else {
        for (k = 0; k < N_PIECES; k++)
            crit_piece(w, k, s, r);
    }
    end_obj(w);
}

/* Every shown criterion of a table, as definitions.<id>.criteria. */
static void render_criteria(jw *w, const mt_definition *def, const mt_def_result *dr)
{
    const crit_cache *cache;
    const table_text *tt = NULL;
    size_t t;
    int i;

    obj(w, K("criteria"));
    cache = crit_cache_get(w->depth, w->compact);
    for (t = 0; cache && t < cache->n_tables; t++)
        if (cache->tables[t].def == def)
            tt = &cache->tables[t];
    for (i = 0; i < def->n_criteria; i++)
        if (dr->crit[i].shown)
            render_criterion(w, def, i, &dr->crit[i], cache, tt);
    end_obj(w);
}

static void render_definitions(jw *w, const mt_result *r)
{
    size_t d;
    int i;

    obj(w, K("definitions"));
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        const mt_def_result *dr = &r->defs[d];

        obj(w, kv(def->id));
        str(w, K("name"), def->name);
        str(w, K("category"), dr->category);
        if (strcmp(def->id, "awgs2019") == 0)
            str(w, K("setting"), r->in.setting == MT_HOSPITAL ? "hospital" : "community");
        arr(w, K("missing"));
        for (i = 0; i < dr->n_missing; i++)
            str(w, NOKEY, dr->missing[i]);
        end_arr(w);
        arr(w, K("notes"));
        for (i = 0; i < dr->n_notes; i++)
            str(w, NOKEY, dr->notes[i]);
        end_arr(w);
        render_criteria(w, def, dr);
        str(w, K("source"), def->source);
        end_obj(w);
    }
    end_obj(w);
}

/* ---- triage, likely cause, plan -------------------------------------------- */

static void render_triage(jw *w, const mt_result *r)
{
    const mt_triage *t = &r->triage;
    int i;

    obj(w, K("triage"));
    str(w, K("level"), mt_level_str(t->level));
    str(w, K("action"), mt_level_action(t->level));
    boolean(w, K("results_secondary"), t->level <= LEVEL_URGENT);
    arr(w, K("reasons"));
    for (i = 0; i < t->n; i++) {
        const mt_reason_info *ri = mt_reason(t->reasons[i]);
        obj(w, NOKEY);
        str(w, K("id"), ri->id);
        str(w, K("level"), mt_level_str(ri->level));
        str(w, K("explanation"), ri->explanation);
        str(w, K("source"), ri->source);
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

    arr(w, K("differential"));
    for (i = 0; i < dx->n; i++) {
        const mt_cause *c = &dx->causes[i];
        const char *const *steps = mt_cause_steps(c->cause);
        obj(w, NOKEY);
        str(w, K("cause"), mt_cause_id(c->cause));
        str(w, K("likelihood"), mt_likelihood_str(c->likelihood));
        integer(w, K("score"), c->score);
        arr(w, K("supporting"));
        for (j = 0; j < c->n_for; j++)
            str(w, NOKEY, mt_feature_text(c->features_for[j]));
        end_arr(w);
        arr(w, K("against"));
        for (j = 0; j < c->n_against; j++)
            str(w, NOKEY, mt_feature_text(c->features_against[j]));
        end_arr(w);
        arr(w, K("next_steps"));
        for (j = 0; steps[j]; j++)
            str(w, NOKEY, steps[j]);
        end_arr(w);
        str(w, K("source"), "CAUSES");
        end_obj(w);
    }
    end_arr(w);
}

static void items(jw *w, jkey k, jkey what, const mt_item *it, int n)
{
    int i;

    arr(w, k);
    for (i = 0; i < n; i++) {
        obj(w, NOKEY);
        str(w, K("id"), it[i].id);
        str(w, what, it[i].text);
        str(w, K("reason"), it[i].reason);
        str(w, K("source"), it[i].source);
        end_obj(w);
    }
    end_arr(w);
}

/* A whole-number range [lo, hi]; null when hi is 0 (not counted). */
static void range(jw *w, jkey k, const int v[2])
{
    if (v[1] == 0) {
        null(w, k);
        return;
    }
    arr(w, k);
    integer(w, NOKEY, v[0]);
    integer(w, NOKEY, v[1]);
    end_arr(w);
}

static void range_d(jw *w, jkey k, const double v[2])
{
    if (isnan(v[1])) {
        null(w, k);
        return;
    }
    arr(w, k);
    if (isnan(v[0]))
        null(w, NOKEY);
    else
        num(w, NOKEY, v[0]);
    num(w, NOKEY, v[1]);
    end_arr(w);
}

static void render_exercise(jw *w, const mt_plan *p)
{
    int i, active = p->exercise.status != EX_NOT_UNTIL_SEEN;

    obj(w, K("exercise"));
    str(w, K("status"), mt_exercise_status_str(p->exercise.status));
    if (active && p->exercise.status != EX_ASSISTED) {
        static const int sessions[2] = {2, 3};
        range(w, K("sessions_per_week"), sessions);
        integer(w, K("rest_hours_between"), 48);
    } else {
        null(w, K("sessions_per_week"));
        null(w, K("rest_hours_between"));
    }
    boolean(w, K("load_progression"), p->exercise.load_progression);
    arr(w, K("exercises"));
    for (i = 0; i < p->exercise.n; i++) {
        const mt_prescribed *x = &p->exercise.ex[i];
        const mt_movement *mv = x->mv;
        obj(w, NOKEY);
        str(w, K("id"), mv->id);
        str(w, K("name"), mv->levels[x->level].name);
        integer(w, K("level"), x->level + 1);
        range(w, K("sets"), x->sets);
        range(w, K("reps"), x->reps);
        str(w, K("effort"), x->sets[1] ? mt_effort_text : NULL);
        str(w, K("how"), mv->levels[x->level].how);
        str(w, K("why"), mv->why);
        str(w, K("easier"), x->level > 0 ? mv->levels[x->level - 1].name : NULL);
        str(w, K("harder"), x->level + 1 < mv->n_levels ? mv->levels[x->level + 1].name : NULL);
        str(w, K("source"), mv->source);
        end_obj(w);
    }
    end_arr(w);
    str(w, K("progression_rule"), p->exercise.load_progression ? mt_progression_rule : NULL);
    items(w, K("precautions"), K("text"), p->exercise.precautions, p->exercise.n_precautions);
    str(w, K("source"), "ACSM");
    end_obj(w);
}

static void render_plan(jw *w, const mt_result *r)
{
    const mt_plan *p = &r->plan;
    const mt_nutrition *n = &p->nutrition;
    const mt_protein_row *row = mt_protein_row_at(n->row);
    int i;

    obj(w, K("plan"));
    render_exercise(w, p);
    obj(w, K("nutrition"));
    range_d(w, K("protein_g_per_kg"), n->per_kg);
    range_d(w, K("protein_g_per_day"), n->per_day);
    range_d(w, K("per_meal_g"), n->per_meal);
    if (isnan(n->energy_kcal))
        null(w, K("energy_kcal_per_day"));
    else
        num(w, K("energy_kcal_per_day"), n->energy_kcal);
    str(w, K("protein_row"), row->id);
    str(w, K("reason"), row->reason);
    str(w, K("source"), row->source);
    str(w, K("status"), mt_status_str(row->status));
    items(w, K("warnings"), K("text"), n->warnings, n->n_warnings);
    end_obj(w);
    items(w, K("referrals"), K("to"), p->referrals, p->n_referrals);
    items(w, K("tests_to_request"), K("test"), p->tests, p->n_tests);
    obj(w, K("follow_up"));
    if (p->follow_up.weeks < 0)
        null(w, K("re_measure_in_weeks"));
    else
        integer(w, K("re_measure_in_weeks"), p->follow_up.weeks);
    arr(w, K("measures"));
    for (i = 0; i < p->follow_up.n; i++)
        str(w, NOKEY, p->follow_up.measures[i]);
    end_arr(w);
    str(w, K("reason"), p->follow_up.reason);
    str(w, K("source"), p->follow_up.source);
    end_obj(w);
    render_criteria(w, &mt_plan_rules, &r->plan_rows);
    end_obj(w);
}

static void render_sources(jw *w, const mt_result *r)
{
    const char *ids[MT_MAX_SOURCES];
    int i, n = mt_result_sources(r, ids, MT_MAX_SOURCES);

    obj(w, K("sources"));
    for (i = 0; i < n; i++)
        str(w, kv(ids[i]), mt_source_lookup(ids[i]));
    end_obj(w);
}

int mt_result_render_json_flags(const mt_result *res, unsigned flags, char **out, size_t *len)
{
    jw w;

    if (!res || !out || (flags & ~(unsigned)MT_JSON_COMPACT))
        return MT_EUSAGE;
    memset(&w, 0, sizeof(w));
    w.first = 1;
    w.compact = (flags & MT_JSON_COMPACT) != 0;
    mt_buf_putc(&w.b, '{');
    w.depth = 1;
    render_triage(&w, res); /* red flags come first, always */
    obj(&w, K("engine"));
    str(&w, K("name"), "myotrack");
    str(&w, K("version"), mt_version());
    end_obj(&w);
    str(&w, K("disclaimer"), mt_disclaimer());
    render_differential(&w, res);
    render_plan(&w, res);
    render_screening(&w, res);
    render_tests(&w, res);
    render_definitions(&w, res);
    render_sources(&w, res);
    render_input(&w, &res->in);
    w.depth = 0;
    mt_buf_puts(&w.b, w.compact ? "}" : "\n}\n");
    return mt_buf_finish(&w.b, out, len);
}

int mt_result_render_json(const mt_result *res, char **out, size_t *len)
{
    return mt_result_render_json_flags(res, 0, out, len);
}
