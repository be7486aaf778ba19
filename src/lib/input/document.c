/*
 * document.c - parse and validate one assessment document (JSON) into an
 * mt_input in canonical units.
 *
 * The schema is a set of static field tables, one per JSON object: each row
 * names the field, its type, its canonical unit and its plausibility range
 * (REFERENCE §2). One generic walker applies the tables, so every field gets
 * the same treatment: unit strings converted once here, ranges checked, the
 * error naming the dotted path, the value and the accepted range, and unknown
 * keys answered with "did you mean". Rules that tie fields together (SPPB
 * forms, grip versus grip_trials, asm with asm_method) are the post-checks at
 * the end of the file.
 *
 * JSON is read in one streaming pass by yajl (no tree is built): its callbacks
 * apply the tables as values arrive. The size limit, empty input and the
 * top-level type are checked before it starts.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise (memo_table) */
#include <ctype.h>
#include <float.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include <yajl/yajl_parse.h>

#include "error.h"
#include "text.h"
#include "engine/result.h"
#include "input/input.h"
#include "input/suggest.h"
#include "measures/pick.h"

/* ---- field tables ----------------------------------------------------- */

typedef enum {
    F_QTY,
    F_INT,
    F_ENUM,
    F_OBJECT,
    F_TRIALS, /* grip_trials: a list of readings */
    F_BOOL,   /* mt_flag */
    F_SET,    /* a list of words from `words`: mt_set */
    F_TEXT    /* free text, at most MT_TEXT_MAX characters */
} field_type;

/* Pseudo-unit for quantities taken as plain JSON numbers only (age). */
#define UNIT_NUMBER_ONLY (-1)

typedef struct object_spec object_spec;

enum {
    S_TOP,
    S_PERSON,
    S_SARC_F,
    S_MEASUREMENTS,
    S_WALK,
    S_SPPB,
    S_BIA,
    S_SYMPTOMS,
    S_HISTORY,
    S_LABS,
    S_PREFERENCES,
    S_N
};

typedef struct field {
    const char *name;
    field_type type;
    size_t off;               /* offset in mt_input of the mt_q / int */
    int unit;                 /* mt_unit, or UNIT_NUMBER_ONLY */
    double min, max;          /* inclusive plausibility range, canonical unit */
    const char *label;        /* unit label for messages: "kg" */
    const char *word;         /* string meaning "unable" (MT_Q_UNABLE), or NULL */
    const char *const *words; /* F_ENUM: accepted values, NULL-terminated */
    const object_spec *child; /* F_OBJECT */
} field;

struct object_spec {
    int id;           /* index into the parser's per-object bookkeeping */
    const char *path; /* dotted path of this object, "" at the top */
    const field *fields;
    size_t n;
};

#define OFF(member) offsetof(struct mt_input, member)
#define QTY(nm, mem, u, lo, hi, lab, w)                                                            \
    {                                                                                              \
        nm, F_QTY, OFF(mem), u, lo, hi, lab, w, NULL, NULL                                         \
    }
#define INT(nm, mem, lo, hi)                                                                       \
    {                                                                                              \
        nm, F_INT, OFF(mem), 0, lo, hi, "points", NULL, NULL, NULL                                 \
    }
#define ENUM(nm, mem, list)                                                                        \
    {                                                                                              \
        nm, F_ENUM, OFF(mem), 0, 0, 0, NULL, NULL, list, NULL                                      \
    }
#define OBJ(nm, spec)                                                                              \
    {                                                                                              \
        nm, F_OBJECT, 0, 0, 0, 0, NULL, NULL, NULL, &spec                                          \
    }
#define BOOL(nm, mem)                                                                              \
    {                                                                                              \
        nm, F_BOOL, OFF(mem), 0, 0, 0, NULL, NULL, NULL, NULL                                      \
    }
#define SET(nm, mem, list)                                                                         \
    {                                                                                              \
        nm, F_SET, OFF(mem), 0, 0, 0, NULL, NULL, list, NULL                                       \
    }
#define COUNT(nm, mem, lo, hi, lab)                                                                \
    {                                                                                              \
        nm, F_INT, OFF(mem), 0, lo, hi, lab, NULL, NULL, NULL                                      \
    }
#define NUMBER(nm, mem, lo, hi, lab)                                                               \
    {                                                                                              \
        nm, F_QTY, OFF(mem), UNIT_NUMBER_ONLY, lo, hi, lab, NULL, NULL, NULL                       \
    }
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sex_words[] = {"female", "male", NULL}; /* index = mt_sex */
static const char *const setting_words[] = {"community", "hospital", NULL};
static const char *const asm_method_words[] = {"", "dxa", "bia", NULL}; /* index = method */
static const char *const bia_eq_words[] = {"sergi2015", "kim2014", "yoshida2014", "janssen2000",
                                           NULL};

/* The positions of the fields the whole-row checks ask about (given(),
 * check_person): the tables place them there ([SPPB_WALK_4M] = ...; an
 * overlap is a -Woverride-init error), so a field's bit is a constant rather
 * than a walk comparing names on every row; sanitizer builds (and
 * -DMT_CHECK_LITERALS) also check the name at each use. */
enum { TOP_PERSON = 0, MEAS_GRIP = 0, MEAS_GRIP_TRIALS = 1, SPPB_WALK_4M = 7, SPPB_WALK_3M = 8 };

/* REFERENCE §2: plausibility limits. */
static const field person_fields[] = {
    ENUM("sex", sex, sex_words),
    QTY("age", age, UNIT_NUMBER_ONLY, 18, 120, "years", NULL),
    QTY("height", height, MT_UNIT_CM, 100, 230, "cm", NULL),
    QTY("weight", weight, MT_UNIT_KG, 25, 300, "kg", NULL),
};
static const object_spec person_spec = {S_PERSON, "person", person_fields, N_OF(person_fields)};

static const field sarc_f_fields[] = {
    INT("strength", sarc_f[0], 0, 2), INT("walking", sarc_f[1], 0, 2),
    INT("chair", sarc_f[2], 0, 2),    INT("stairs", sarc_f[3], 0, 2),
    INT("falls", sarc_f[4], 0, 2),    INT("total", sarc_f_total, 0, 10),
};
static const object_spec sarc_f_spec = {S_SARC_F, "sarc_f", sarc_f_fields, N_OF(sarc_f_fields)};

static const field walk_fields[] = {
    QTY("distance", walk_distance, MT_UNIT_M, 1, 1000, "m", NULL),
    QTY("time", walk_time, MT_UNIT_S, 0.1, 3600, "s", NULL),
};
static const object_spec walk_spec = {S_WALK, "measurements.walk", walk_fields, N_OF(walk_fields)};

/* SPPB raw times: balance holds stop at 10 s; walk times span the gait-speed
 * limits (0.05-3.0 m/s) over the course; the chair time uses the chair-stand
 * limits. */
static const field sppb_fields[] = {
    INT("balance", sppb.balance, 0, 4),
    INT("gait", sppb.gait, 0, 4),
    INT("chair", sppb.chair, 0, 4),
    INT("total", sppb.total, 0, 12),
    QTY("side_by_side", sppb.side_by_side, MT_UNIT_S, 0, 10, "s", NULL),
    QTY("semi_tandem", sppb.semi_tandem, MT_UNIT_S, 0, 10, "s", NULL),
    QTY("tandem", sppb.tandem, MT_UNIT_S, 0, 10, "s", NULL),
    [SPPB_WALK_4M] =
        QTY("walk_4m", sppb.walk, MT_UNIT_S, 1.3333, 80, "s", "unable"), /* 4 m / 3.0 m/s */
    [SPPB_WALK_3M] = QTY("walk_3m", sppb.walk, MT_UNIT_S, 1, 60, "s", "unable"),
    QTY("chair_5x", sppb.chair_5x, MT_UNIT_S, 3, 120, "s", "unable"),
};
static const object_spec sppb_spec = {S_SPPB, "measurements.sppb", sppb_fields, N_OF(sppb_fields)};

static const field bia_fields[] = {
    QTY("resistance", bia.resistance, MT_UNIT_OHM, 200, 1200, "ohm", NULL),
    QTY("reactance", bia.reactance, MT_UNIT_OHM, 10, 150, "ohm", NULL),
    ENUM("equation", bia.equation, bia_eq_words),
};
static const object_spec bia_spec = {S_BIA, "measurements.bia", bia_fields, N_OF(bia_fields)};

static const field measurement_fields[] = {
    [MEAS_GRIP] = QTY("grip", grip, MT_UNIT_KG, 0, 100, "kg", NULL),
    [MEAS_GRIP_TRIALS] = {"grip_trials", F_TRIALS, OFF(grip), MT_UNIT_KG, 0, 100, "kg", NULL, NULL,
                          NULL},
    QTY("chair_stand_5x", chair_stand_5x, MT_UNIT_S, 3, 120, "s", "unable"),
    QTY("gait_speed", gait_speed, MT_UNIT_MPS, 0.05, 3.0, "m/s", NULL),
    OBJ("walk", walk_spec),
    QTY("tug", tug, MT_UNIT_S, 3, 300, "s", NULL),
    QTY("walk_400m", walk_400m, MT_UNIT_S, 120, 3600, "s", "not_completed"),
    QTY("six_minute_walk", six_minute_walk, MT_UNIT_M, 0, 1000, "m", NULL),
    OBJ("sppb", sppb_spec),
    QTY("calf", calf, MT_UNIT_CM, 15, 70, "cm", NULL),
    QTY("asm", asm_kg, MT_UNIT_KG, 3, 60, "kg", NULL),
    ENUM("asm_method", asm_method, asm_method_words),
    OBJ("bia", bia_spec),
};
static const object_spec measurements_spec = {S_MEASUREMENTS, "measurements", measurement_fields,
                                              N_OF(measurement_fields)};

/* Symptoms, history and preferences: the words' order is the enums' in input.h.
 * Ranges of the history's counts and labs are plausibility limits of our own
 * (docs/input.md), not clinical thresholds. */
#define FLAG_FIELD(name) BOOL(#name, sym.name),
static const field symptom_fields[] = {
    ENUM("onset", sym.onset, mt_onset_words),
    ENUM("side", sym.side, mt_side_words),
    ENUM("reflexes", sym.reflexes, mt_reflex_words),
    MT_SYMPTOM_FLAGS(FLAG_FIELD)
};
#undef FLAG_FIELD
static const object_spec symptoms_spec = {S_SYMPTOMS, "symptoms", symptom_fields,
                                          N_OF(symptom_fields)};

static const field lab_fields[] = {
    NUMBER("ck", hx.labs.ck, 0, 500000, "U/L"),
    NUMBER("ck_uln", hx.labs.ck_uln, 10, 5000, "U/L"),
    NUMBER("egfr", hx.labs.egfr, 0, 200, "mL/min/1.73 m2"),
    BOOL("on_dialysis", hx.labs.on_dialysis),
    NUMBER("crp", hx.labs.crp, 0, 1000, "mg/L"),
    NUMBER("hemoglobin", hx.labs.hemoglobin, 2, 25, "g/dL"),
    NUMBER("albumin", hx.labs.albumin, 0.5, 7, "g/dL"),
    NUMBER("vitamin_d", hx.labs.vitamin_d, 1, 250, "ng/mL"),
};
static const object_spec labs_spec = {S_LABS, "history.labs", lab_fields, N_OF(lab_fields)};

static const field history_fields[] = {
    NUMBER("immobilization_weeks", hx.immobilization_weeks, 0, 520, "weeks"),
    {"immobilized_part", F_TEXT, OFF(hx.immobilized_part), 0, 1, MT_TEXT_MAX, "characters", NULL,
     NULL, NULL},
    NUMBER("bed_rest_days", hx.bed_rest_days, 0, 3650, "days"),
    SET("conditions", hx.conditions, mt_condition_words),
    SET("medications", hx.medications, mt_medication_words),
    QTY("weight_6_months_ago", hx.weight_6m, MT_UNIT_KG, 25, 300, "kg", NULL),
    QTY("weight_12_months_ago", hx.weight_12m, MT_UNIT_KG, 25, 300, "kg", NULL),
    BOOL("appetite_reduced", hx.appetite_reduced),
    NUMBER("intake_percent_of_usual", hx.intake_percent, 0, 200, "%"),
    BOOL("childhood_onset", hx.childhood_onset),
    BOOL("family_history_neuromuscular", hx.family_history_neuromuscular),
    COUNT("falls_past_year", hx.falls_past_year, 0, 365, "falls"),
    COUNT("exercise_sessions_per_week", hx.exercise_sessions, 0, 21, "sessions"),
    OBJ("labs", labs_spec),
};
static const object_spec history_spec = {S_HISTORY, "history", history_fields,
                                         N_OF(history_fields)};

static const field preference_fields[] = {
    SET("equipment", pref.equipment, mt_equipment_words),
    ENUM("location", pref.location, mt_location_words),
};
static const object_spec preferences_spec = {S_PREFERENCES, "preferences", preference_fields,
                                             N_OF(preference_fields)};

static const field top_fields[] = {
    [TOP_PERSON] = OBJ("person", person_spec),
    ENUM("setting", setting, setting_words),
    OBJ("sarc_f", sarc_f_spec),
    OBJ("measurements", measurements_spec),
    OBJ("symptoms", symptoms_spec),
    OBJ("history", history_spec),
    OBJ("preferences", preferences_spec),
};
static const object_spec top_spec = {S_TOP, "", top_fields, N_OF(top_fields)};

static const object_spec *const all_specs[] = {
    &top_spec,  &person_spec,   &sarc_f_spec,  &measurements_spec, &walk_spec,       &sppb_spec,
    &bia_spec,  &symptoms_spec, &history_spec, &labs_spec,         &preferences_spec};

/* ---- the parser's state -------------------------------------------------- */

/* One open JSON container on the schema's path. */
typedef struct frame {
    const object_spec *spec; /* the object being filled; NULL for grip_trials' list */
    const field *field;      /* the member being read (set by its key); a list's field */
    size_t path_len;         /* p->path up to this container */
} frame;

#define MAX_SCHEMA_DEPTH 4 /* top > measurements > sppb, top > history > labs: this deep */
#define MAX_NESTING      64 /* any JSON deeper than this is refused outright */

struct parser {
    mt_input *in;
    mt_error *err;
    frame stack[MAX_SCHEMA_DEPTH];
    int depth;    /* open schema containers */
    int nesting;  /* open JSON containers, schema or not */
    int skipping; /* a semantic error was recorded: only syntax is checked on */
    int fatal;    /* a syntax-level error of our own (nesting): stop now */
    int n_items; /* items read so far in the open list */
    unsigned opened[S_N];  /* per object: 1 once its '{' was read */
    unsigned members[S_N]; /* per object: keys read */
    unsigned seen[S_N];    /* per object: bit i set once field i's key was read */
    unsigned given[S_N];   /* per object: bit i set when field i had a non-null value */
    int flat;              /* a cohort row (mt_row): messages name the flat fields */
    char got[80];          /* type_name's cell, in a flat row's message */
    const char *flat_path; /* the flat field being set (mt_row_set) */
    char path[128];
};

/* ---- errors ------------------------------------------------------------- */

/* A content error at `path`: the message starts with the path. */
static int fail(parser *p, const char *path, const char *fmt, ...) MT_PRINTF(3, 4);
static const char *flat_name_of(const char *path);

static int fail(parser *p, const char *path, const char *fmt, ...)
{
    char body[sizeof(p->err->message)];
    va_list ap;

    if (!p->err)
        return MT_EINVAL;
    if (p->flat)
        path = flat_name_of(path);
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    return mt_error_set(p->err, MT_EINVAL, path, "%s: %s", path[0] ? path : "input", body);
}

/* parent.name into dst, name being `ln` bytes, truncated to cap (called for
 * every key: no printf). */
static void join_path(char *dst, size_t cap, const char *parent, const char *name, size_t ln)
{
    size_t lp = strlen(parent), o = 0;

    if (lp && lp < cap - 1) {
        memcpy(dst, parent, lp);
        o = lp;
        dst[o++] = '.';
    }
    if (ln > cap - 1 - o)
        ln = cap - 1 - o;
    memcpy(dst + o, name, ln);
    dst[o + ln] = '\0';
    for (; ln; ln--, o++) /* a NUL or control byte in a key must not cut or break the path */
        if ((unsigned char)dst[o] < 0x20)
            dst[o] = '?';
}

/* A JSON value as the field parsers see it. */
typedef enum { V_NULL, V_BOOL, V_NUMBER, V_STRING, V_OBJECT, V_LIST } value_type;
typedef struct value {
    value_type type;
    double num;    /* V_NUMBER */
    const char *s; /* V_STRING: not NUL-terminated */
    size_t len;
} value;

/* Write `v` compactly for a message: 100, 0.05, 18.1437. */
static void fmt_num(char *dst, size_t cap, double v)
{
    snprintf(dst, cap, "%.12g", v); /* every digit of a 4-decimal value */
}

/* What a message says was given: a document's JSON type ("a string"); a
 * cohort row's cell itself ("70y"), as every cell is text there. */
static const char *type_name(parser *p, const value *v)
{
    static const char *const names[] = {"null",     "false",     "a number",
                                        "a string", "an object", "a list"};
    if (p->flat && v->type == V_STRING) {
        mt_text_shown(p->got, sizeof(p->got), v->s, v->len, 1);
        return p->got;
    }
    if (p->flat && v->type == V_NUMBER) {
        fmt_num(p->got, sizeof(p->got), v->num);
        return p->got;
    }
    return v->type == V_BOOL && v->num != 0 ? "true" : names[v->type];
}

static void fmt_range(char *dst, size_t cap, const field *f)
{
    char lo[32], hi[32];

    fmt_num(lo, sizeof(lo), f->min);
    fmt_num(hi, sizeof(hi), f->max);
    if (f->word)
        snprintf(dst, cap, "%s to %s %s, or \"%s\"", lo, hi, f->label, f->word);
    else
        snprintf(dst, cap, "%s to %s %s", lo, hi, f->label);
}

static void fmt_words(char *dst, size_t cap, const char *const *words)
{
    size_t o = 0;

    dst[0] = '\0';
    for (; *words; words++) {
        int n;
        if (!(*words)[0])
            continue;
        n = snprintf(dst + o, cap - o, "%s%s", o ? ", " : "", *words);
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

/* ---- one value into one field --------------------------------------------- */

/* The value as the person wrote it, for a message: 250 kg, or "551 lb" (249.93 kg);
 * `x` is the value in the canonical unit. */
static void fmt_shown(char *dst, size_t cap, const value *v, const field *f, double x)
{
    char num[32];
    size_t o;

    fmt_num(num, sizeof(num), x);
    if (v->type != V_STRING) {
        snprintf(dst, cap, "%s %s", num, f->label);
        return;
    }
    mt_text_shown(dst, cap, v->s, v->len, 1);
    o = strlen(dst);
    snprintf(dst + o, cap - o, " (%s %s)", num, f->label);
}

/* Messages are built only on failure: the success path formats nothing. */
static int parse_qty(parser *p, const char *path, const value *v, const field *f, mt_q *q)
{
    char range[96], shown[96];
    double x;

    if (v->type == V_NULL) {
        q->state = MT_Q_ABSENT;
        return MT_OK;
    }
    if (v->type == V_NUMBER) {
        x = v->num;
    } else if (v->type == V_STRING && f->unit != UNIT_NUMBER_ONLY) {
        mt_error ue;

        if (f->word && v->len == strlen(f->word) && strncasecmp(v->s, f->word, v->len) == 0) {
            q->state = MT_Q_UNABLE;
            q->v = 0;
            return MT_OK;
        }
        if (mt_quantity_parse(v->s, v->len, (mt_unit)f->unit, &x, &ue) != MT_OK) {
            fmt_range(range, sizeof(range), f);
            mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
            return fail(p, path, "%s: %s (accepted range %s)", shown, ue.message, range);
        }
    } else {
        fmt_range(range, sizeof(range), f);
        if (f->unit == UNIT_NUMBER_ONLY)
            return fail(p, path, "expected a number of %s, got %s; accepted: %s", f->label,
                        type_name(p, v), range);
        return fail(p, path,
                    "expected a number in %s or a string with a unit, got %s; accepted: %s",
                    f->label, type_name(p, v), range);
    }
    x = mt_round4(x);
    if (!(x >= f->min && x <= f->max)) {
        fmt_range(range, sizeof(range), f);
        fmt_shown(shown, sizeof(shown), v, f, x);
        return fail(p, path, "%s is outside the accepted range %s", shown, range);
    }
    q->state = MT_Q_VALUE;
    q->v = x;
    return MT_OK;
}

static int parse_int(parser *p, const char *path, const value *v, const field *f, int *out)
{
    if (v->type == V_NULL)
        return MT_OK; /* stays -1: not given */
    if (v->type != V_NUMBER)
        return fail(p, path, "expected a whole number %g to %g, got %s", f->min, f->max,
                    type_name(p, v));
    if (v->num != floor(v->num) || v->num < f->min || v->num > f->max) {
        char shown[32];
        fmt_num(shown, sizeof(shown), v->num);
        return fail(p, path, "%s is not accepted; expected a whole number %g to %g %s", shown,
                    f->min, f->max, f->label);
    }
    *out = (int)v->num;
    return MT_OK;
}

/* Is s[0, len) the word w, byte for byte? Then it is also the word under
 * strncasecmp, in any locale: parse_enum tries this first, the usual case
 * (words as the tables spell them), without a libc call. */
static int same_word(const char *w, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (w[i] == '\0' || w[i] != s[i])
            return 0;
    return w[len] == '\0';
}

/* The index of the word s[0, len) in f->words, whatever its case; -1. */
static int enum_index(const field *f, const char *s, size_t len)
{
    int i;

    for (i = 0; f->words[i]; i++)
        if (f->words[i][0] &&
            (same_word(f->words[i], s, len) ||
             (len == strlen(f->words[i]) && strncasecmp(s, f->words[i], len) == 0)))
            return i;
    return -1;
}

static int parse_enum(parser *p, const char *path, const value *v, const field *f, int *out)
{
    char accepted[256], shown[64];
    int i;

    if (v->type == V_NULL)
        return MT_OK;
    if (v->type == V_STRING) {
        if ((i = enum_index(f, v->s, v->len)) >= 0) {
            *out = i;
            return MT_OK;
        }
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        fmt_words(accepted, sizeof(accepted), f->words);
        return fail(p, path, "%s is not accepted; accepted: %s", shown, accepted);
    }
    fmt_words(accepted, sizeof(accepted), f->words);
    /* a cohort file's coded column (NHANES' RIAGENDR 1/2): say what it needs */
    return fail(p, path, "expected one of %s, got %s%s", accepted, type_name(p, v),
                p->flat && v->type == V_NUMBER ? " (a code: map the codes to these words)" : "");
}

/* One reading of grip_trials; the list's bounds are checked as it opens and closes. */
static int parse_trial(parser *p, const value *v, const field *f)
{
    mt_input *in = p->in;
    size_t o = strlen(p->path);
    mt_q q = {0, 0};
    int rc;

    snprintf(p->path + o, sizeof(p->path) - o, "[%d]", p->n_items);
    rc = parse_qty(p, p->path, v, f, &q);
    if (!rc && q.state != MT_Q_VALUE)
        rc = fail(p, p->path, "expected a reading in kg, got null");
    p->path[o] = '\0';
    if (rc) /* every item is checked, past the limit too: an object or list must stop here */
        return rc;
    if (p->n_items >= MT_MAX_GRIP_TRIALS) {
        p->n_items++; /* counted only, for the message when the list closes */
        return MT_OK;
    }
    in->grip_trials[p->n_items++] = q.v;
    if (!MT_HAS(in->grip) || q.v > in->grip.v) { /* Southampton: the maximum counts */
        in->grip.state = MT_Q_VALUE;
        in->grip.v = q.v;
    }
    return MT_OK;
}

static int parse_bool(parser *p, const char *path, const value *v, mt_flag *out)
{
    if (v->type == V_NULL)
        return MT_OK; /* stays -1: not asked */
    if (v->type != V_BOOL)
        return fail(p, path, "expected true or false, got %s", type_name(p, v));
    *out = v->num != 0;
    return MT_OK;
}

/* One word of a list such as history.conditions: a bit in the field's mt_set. */
static int parse_set_item(parser *p, const value *v, const field *f)
{
    mt_set *set = (mt_set *)(void *)((char *)p->in + f->off);
    size_t o = strlen(p->path);
    int bit = -1, rc = MT_OK;

    snprintf(p->path + o, sizeof(p->path) - o, "[%d]", p->n_items++);
    if (v->type == V_STRING || v->type == V_NULL) {
        field one = *f;
        one.type = F_ENUM;
        if (v->type == V_NULL) {
            char accepted[256];
            fmt_words(accepted, sizeof(accepted), f->words);
            rc = fail(p, p->path, "expected one of %s, got null", accepted);
        } else {
            rc = parse_enum(p, p->path, v, &one, &bit);
        }
    } else {
        char accepted[256];
        fmt_words(accepted, sizeof(accepted), f->words);
        rc = fail(p, p->path, "expected one of %s, got %s", accepted, type_name(p, v));
    }
    p->path[o] = '\0';
    if (!rc)
        set->bits |= 1u << bit;
    return rc;
}

/* Free text: 1 to f->max characters (UTF-8 checked by yajl), no control characters. */
static int parse_text(parser *p, const char *path, const value *v, const field *f, char *out)
{
    size_t i, chars = 0;

    if (v->type == V_NULL)
        return MT_OK;
    if (v->type != V_STRING)
        return fail(p, path, "expected text of 1 to %g characters, got %s", f->max,
                    type_name(p, v));
    for (i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        unsigned char next = i + 1 < v->len ? (unsigned char)v->s[i + 1] : 0;
        /* C0, DEL, C1 (U+0080-U+009F: C2 80-9F) and lone surrogates (ED A0-BF) */
        if (c < 0x20 || c == 0x7f || (c == 0xC2 && next >= 0x80 && next <= 0x9F) ||
            (c == 0xED && next >= 0xA0))
            return fail(p, path, "control or broken characters are not accepted; accepted: text of 1 to "
                                 "%g characters",
                        f->max);
        chars += (c & 0xC0) != 0x80;
    }
    if (chars == 0 || chars > (size_t)f->max)
        return fail(p, path, "%zu characters is not accepted; accepted: text of 1 to %g characters",
                    chars, f->max);
    memcpy(out, v->s, v->len);
    out[v->len] = '\0';
    return MT_OK;
}

/* "did you mean": a close name in this object, or the same name elsewhere. */
static int unknown_field(parser *p, const char *key, size_t len, const object_spec *spec)
{
    const char *names[32];
    char name[64];
    const char *best;
    size_t i, n = 0;

    join_path(name, sizeof(name), "", key, len);
    for (i = 0; i < spec->n && n < N_OF(names); i++)
        names[n++] = spec->fields[i].name;
    best = mt_suggest(name, names, n);
    for (i = 0; !best && len >= 4 && i < n; i++) /* "falls" -> falls_past_year */
        if (strncmp(names[i], name, len) == 0 && names[i][len] == '_')
            best = names[i];
    if (best)
        return fail(p, p->path, "unknown field; did you mean %s?", best);
    for (i = 0; i < N_OF(all_specs); i++) {
        size_t j;
        for (j = 0; j < all_specs[i]->n; j++) {
            if (all_specs[i] != spec && strcmp(all_specs[i]->fields[j].name, name) == 0 &&
                all_specs[i]->path[0])
                return fail(p, p->path, "unknown field here; %s belongs in %s", name,
                            all_specs[i]->path);
        }
    }
    {
        char list[256];
        size_t o = 0;
        list[0] = '\0';
        for (i = 0; i < n; i++) {
            int w = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", names[i]);
            if (w < 0 || (size_t)w >= sizeof(list) - o)
                break;
            o += (size_t)w;
        }
        return fail(p, p->path, "unknown field; accepted: %s", list);
    }
}

/* ---- the JSON stream (yajl callbacks) ---------------------------------------
 *
 * yajl reads the document once and calls these in order; the schema's frames
 * say what each value must be. The first problem with the content is kept and
 * the rest of the document is still read for syntax, so a syntax error anywhere
 * is reported first, as a JSON reader would. Callbacks return 0 only to stop at
 * once (nesting too deep).
 */

enum { GO_ON = 1, STOP = 0 };

/* Record a content error; later content is skipped. */
static int content_error(parser *p, int rc)
{
    if (rc)
        p->skipping = 1;
    return GO_ON;
}

/* A scalar (or the start of a container) arriving at the current position. */
static int on_value(parser *p, const value *v)
{
    frame *fr = &p->stack[p->depth - 1];
    const field *f = fr->field;
    const char *path = p->flat ? p->flat_path : p->path;
    void *slot;

    if (!fr->spec) /* inside a list: grip_trials or a list of words */
        return content_error(p, f->type == F_SET ? parse_set_item(p, v, f)
                                                 : parse_trial(p, v, f));
    if (v->type != V_NULL)
        p->given[fr->spec->id] |= 1u << (f - fr->spec->fields);
    slot = (char *)p->in + f->off;
    switch (f->type) {
    case F_QTY:
        return content_error(p, parse_qty(p, path, v, f, slot));
    case F_INT:
        return content_error(p, parse_int(p, path, v, f, slot));
    case F_ENUM:
        return content_error(p, parse_enum(p, path, v, f, slot));
    case F_BOOL:
        return content_error(p, parse_bool(p, path, v, slot));
    case F_TEXT:
        return content_error(p, parse_text(p, path, v, f, slot));
    case F_TRIALS:
        if (v->type == V_NULL)
            return GO_ON;
        return content_error(
            p, fail(p, path, "expected a list of readings in kg, got %s", type_name(p, v)));
    case F_SET:
        if (v->type == V_NULL)
            return GO_ON;
        {
            char accepted[256];
            fmt_words(accepted, sizeof(accepted), f->words);
            return content_error(p, fail(p, path, "expected a list of words (%s), got %s",
                                         accepted, type_name(p, v)));
        }
    case F_OBJECT:
        if (v->type == V_NULL)
            return GO_ON;
        return content_error(p, fail(p, path, "expected an object, got %s", type_name(p, v)));
    }
    return GO_ON;
}

static int open_container(parser *p, int is_object)
{
    frame *fr;

    if (++p->nesting > MAX_NESTING) {
        fail(p, "", "nested too deeply (more than %d levels)", MAX_NESTING);
        p->fatal = 1;
        return STOP;
    }
    if (p->skipping)
        return GO_ON;
    if (p->depth == 0) { /* the document itself (a '{': checked before parsing) */
        p->stack[0].spec = &top_spec;
        p->stack[0].field = NULL;
        p->stack[0].path_len = 0;
        p->opened[S_TOP] = 1;
        p->depth = 1;
        return GO_ON;
    }
    fr = &p->stack[p->depth - 1];
    if (fr->spec &&
        (is_object ? fr->field->type == F_OBJECT
                   : (fr->field->type == F_TRIALS || fr->field->type == F_SET)) &&
        p->depth < MAX_SCHEMA_DEPTH) {
        const object_spec *child = is_object ? fr->field->child : NULL;
        p->given[fr->spec->id] |= 1u << (fr->field - fr->spec->fields);
        p->stack[p->depth].spec = child;
        p->stack[p->depth].field = fr->field; /* grip_trials keeps its field */
        p->stack[p->depth].path_len = strlen(p->path);
        p->depth++;
        if (child) {
            p->opened[child->id] = 1;
        } else {
            p->n_items = 0;
            if (fr->field->type == F_SET) /* [] is known: "none" */
                ((mt_set *)(void *)((char *)p->in + fr->field->off))->known = 1;
        }
        return GO_ON;
    }
    {
        value v = {is_object ? V_OBJECT : V_LIST, 0, NULL, 0};
        return on_value(p, &v);
    }
}

static int close_container(parser *p)
{
    p->nesting--;
    if (p->skipping)
        return GO_ON;
    p->depth--;
    if (p->depth > 0 && !p->stack[p->depth].spec &&
        p->stack[p->depth].field->type == F_TRIALS) {
        if (p->n_items == 0 || p->n_items > MT_MAX_GRIP_TRIALS)
            return content_error(p, fail(p, p->path, "expected 1 to %d readings, got %d",
                                         MT_MAX_GRIP_TRIALS, p->n_items));
        p->in->n_grip_trials = p->n_items;
    }
    p->path[p->stack[p->depth].path_len] = '\0';
    return GO_ON;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, 1);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, 0);
}

static int cb_end(void *ctx)
{
    return close_container(ctx);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
    parser *p = ctx;
    frame *fr;
    size_t i;

    if (p->skipping)
        return GO_ON;
    fr = &p->stack[p->depth - 1];
    p->path[fr->path_len] = '\0';
    join_path(p->path, sizeof(p->path), fr->spec->path, (const char *)key, len);
    p->members[fr->spec->id]++;
    for (i = 0; i < fr->spec->n; i++) {
        const field *f = &fr->spec->fields[i];
        if (strlen(f->name) == len && memcmp(f->name, key, len) == 0) {
            unsigned bit = 1u << i;
            if (p->seen[fr->spec->id] & bit)
                return content_error(p, fail(p, p->path, "duplicate key"));
            p->seen[fr->spec->id] |= bit;
            fr->field = f;
            return GO_ON;
        }
    }
    return content_error(p, unknown_field(p, (const char *)key, len, fr->spec));
}

/* JSON number text (valid grammar, checked by yajl) to a double: exact for up to
 * 15 significant digits, since the digits and the power of ten are then exact
 * doubles and one division or multiplication rounds correctly. Locale-free;
 * the tracking parser uses it too (input.h). A number too large for a double
 * is an infinity; one too close to 0 to be a normal double, but not 0
 * (1e-400, 1e-310), is NaN, not the 0 or the imprecise tiny value it would
 * round to: a grip of 1e-400 kg must not be read as no grip at all.
 * MT_NUMBER_BEYOND says so for both. */
double mt_json_number(const char *s, size_t len)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *e = s + len;
    unsigned long long u = 0; /* the first 17 significant digits, exactly */
    double mant;
    int neg = 0, digits = 0, exp10 = 0, eneg = 0, ev = 0;

    if (s < e && *s == '-') {
        neg = 1;
        s++;
    }
    for (; s < e && *s >= '0' && *s <= '9'; s++) {
        if (digits < 17) {
            u = u * 10 + (unsigned)(*s - '0');
            if (u > 0)
                digits++;
        } else {
            exp10++;
        }
    }
    if (s < e && *s == '.') {
        for (s++; s < e && *s >= '0' && *s <= '9'; s++) {
            if (digits < 17) {
                u = u * 10 + (unsigned)(*s - '0');
                exp10--;
                if (u > 0)
                    digits++;
            }
        }
    }
    mant = (double)u;
    if (s < e && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < e && (*s == '+' || *s == '-'))
            eneg = *s++ == '-';
        for (; s < e && *s >= '0' && *s <= '9'; s++)
            if (ev < 100000)
                ev = ev * 10 + (*s - '0');
    }
    exp10 += eneg ? -ev : ev;
    if (mant == 0)
        return neg ? -0.0 : 0.0;
    if (exp10 < 0 && exp10 >= -22)
        mant /= pow10[-exp10];
    else if (exp10 > 0 && exp10 <= 22)
        mant *= pow10[exp10];
    else if (exp10 != 0)
        mant *= pow(10, exp10);
    if (mant < DBL_MIN) /* underflow: 0 or subnormal (mant > 0 here) */
        return NAN;
    return neg ? -mant : mant;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    parser *p = ctx;
    value v = {V_NUMBER, 0, NULL, 0};

    if (p->skipping)
        return GO_ON;
    v.num = mt_json_number(s, len);
    if (!isfinite(v.num)) {
        char shown[64];
        mt_text_shown(shown, sizeof(shown), s, len, 1);
        return content_error(p, fail(p, p->path, "%s " MT_NUMBER_BEYOND, shown));
    }
    return on_value(p, &v);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    parser *p = ctx;
    value v = {V_STRING, 0, (const char *)s, len};

    return p->skipping ? GO_ON : on_value(p, &v);
}

static int cb_boolean(void *ctx, int b)
{
    parser *p = ctx;
    value v = {V_BOOL, b, NULL, 0};

    return p->skipping ? GO_ON : on_value(p, &v);
}

static int cb_null(void *ctx)
{
    parser *p = ctx;
    value v = {V_NULL, 0, NULL, 0};

    return p->skipping ? GO_ON : on_value(p, &v);
}

static const yajl_callbacks callbacks = {
    cb_null,      cb_boolean, NULL,   NULL,           cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

void mt_json_syntax_message(void *yajl, const char *json, size_t len, char *out, size_t n)
{
    yajl_handle h = yajl;
    size_t at = yajl_get_bytes_consumed(h), i;
    unsigned char *text = yajl_get_error(h, 0, NULL, 0);
    const char *msg = text ? (const char *)text : "invalid JSON";
    char why[128];
    int line = 1, col = 1, k;

    if (at > len)
        at = len;
    for (i = 0; i < at; i++) {
        if (json[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)json[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    if (strncmp(msg, "lexical error: ", 15) == 0)
        msg += 15;
    else if (strncmp(msg, "parse error: ", 13) == 0)
        msg += 13;
    k = snprintf(why, sizeof(why), "%s", msg);
    while (k > 0 && (why[k - 1] == '\n' || why[k - 1] == '.'))
        why[--k] = '\0';
    if (strcmp(why, "trailing garbage") == 0)
        snprintf(out, n, "invalid JSON at line %d, column %d: unexpected text after the document",
                 line, col);
    else if (strstr(why, "UTF8"))
        snprintf(out, n, "not valid UTF-8 at line %d, column %d", line, col);
    else
        snprintf(out, n, "invalid JSON at line %d, column %d: %s", line, col, why);
    if (text)
        yajl_free_error(h, text);
}

/* A syntax error from yajl, with its line and column. */
static int syntax_error(parser *p, yajl_handle h, const char *json, size_t len)
{
    char msg[200];

    mt_json_syntax_message(h, json, len, msg, sizeof(msg));
    fail(p, "", "%s", msg);
    return MT_EINVAL;
}

/* ---- post-checks: rules that tie fields together ----------------------- */

/* The bit of field `name` in an object's bookkeeping masks. */
#if defined(MT_CHECK_LITERALS) || defined(__SANITIZE_ADDRESS__)
#define CHECK_FIELD_AT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHECK_FIELD_AT 1
#endif
#endif

/* The bit of field `name`, at position i of spec's table. */
static unsigned bit_at(const object_spec *spec, size_t i, const char *name)
{
#ifdef CHECK_FIELD_AT
    if (i >= spec->n || strcmp(spec->fields[i].name, name) != 0) {
        fprintf(stderr, "document.c: %s is not field %zu of %s\n", name, i, spec->path);
        abort();
    }
#else
    (void)spec;
    (void)name;
#endif
    return 1u << i;
}

/* Was field `name` (at position i) of object `spec` given a non-null value? */
static int given(const parser *p, const object_spec *spec, size_t i, const char *name)
{
    return (p->given[spec->id] & bit_at(spec, i, name)) != 0;
}

/* An object written as {} (a mistake); {"total": null} is "not measured". */
static int empty_object(const parser *p, const object_spec *spec)
{
    return p->opened[spec->id] && p->members[spec->id] == 0;
}

static int check_person(parser *p)
{
    const mt_input *in = p->in;

    if (!(p->seen[S_TOP] & bit_at(&top_spec, TOP_PERSON, "person"))) /* null: "required" below */
        return fail(p, "person",
                    "required: an object with sex and age (height and weight "
                    "are needed for the mass indices)");
    if (in->sex < 0)
        return fail(p, "person.sex", "required; accepted: female, male");
    if (!MT_HAS(in->age))
        return fail(p, "person.age",
                    "required; accepted: 18 to 120 years (the definitions are "
                    "for adults)");
    return MT_OK;
}

static int check_sarc_f(parser *p)
{
    mt_input *in = p->in;
    static const char *const item[] = {"strength", "walking", "chair", "stairs", "falls"};
    int i, given = 0;

    for (i = 0; i < MT_SARCF_ITEMS_N; i++)
        given += in->sarc_f[i] >= 0;
    if (empty_object(p, &sarc_f_spec))
        return fail(p, "sarc_f",
                    "empty; give the five items (strength, walking, chair, stairs, "
                    "falls: 0 to 2 each) or total (0 to 10)");
    if (given && in->sarc_f_total >= 0)
        return fail(p, "sarc_f", "give the five items or total, not both");
    if (given && given < MT_SARCF_ITEMS_N) {
        char missing[64] = "", first[32] = "";
        size_t o = 0;
        for (i = 0; i < MT_SARCF_ITEMS_N; i++) {
            if (in->sarc_f[i] >= 0)
                continue;
            if (!first[0])
                snprintf(first, sizeof(first), "sarc_f.%s", item[i]);
            o += (size_t)snprintf(missing + o, sizeof(missing) - o, "%s%s", o ? ", " : "", item[i]);
        }
        return fail(p, first,
                    "required when any SARC-F item is given (missing: %s); accepted: whole "
                    "number 0 to 2 each",
                    missing);
    }
    if (given) {
        in->sarc_f_form = MT_SARCF_ITEMS;
        in->sarc_f_total = 0;
        for (i = 0; i < MT_SARCF_ITEMS_N; i++)
            in->sarc_f_total += in->sarc_f[i];
    } else if (in->sarc_f_total >= 0) {
        in->sarc_f_form = MT_SARCF_TOTAL;
    }
    return MT_OK;
}

static int check_sppb(parser *p)
{
    mt_input *in = p->in;
    int items = in->sppb.balance >= 0 || in->sppb.gait >= 0 || in->sppb.chair >= 0;
    int total = in->sppb.total >= 0;
    int times = in->sppb.side_by_side.state || in->sppb.semi_tandem.state ||
                in->sppb.tandem.state || in->sppb.walk.state || in->sppb.chair_5x.state;

    if (empty_object(p, &sppb_spec))
        return fail(p, "measurements.sppb",
                    "empty; give item scores {balance, gait, chair}, a total, or raw times");
    if (!items && !total && !times)
        return MT_OK; /* absent, or every member null: not measured */
    if (items + total + times > 1)
        return fail(p, "measurements.sppb",
                    "give item scores {balance, gait, chair}, a total, "
                    "or raw times, not a mix");
    if (given(p, &sppb_spec, SPPB_WALK_4M, "walk_4m") &&
        given(p, &sppb_spec, SPPB_WALK_3M, "walk_3m"))
        return fail(p, "measurements.sppb", "give walk_4m or walk_3m, not both");
    if (items) {
        if (in->sppb.balance < 0)
            return fail(p, "measurements.sppb.balance",
                        "required with the other items; "
                        "accepted: whole number 0 to 4");
        if (in->sppb.gait < 0)
            return fail(p, "measurements.sppb.gait",
                        "required with the other items; accepted: "
                        "whole number 0 to 4");
        if (in->sppb.chair < 0)
            return fail(p, "measurements.sppb.chair",
                        "required with the other items; "
                        "accepted: whole number 0 to 4");
        in->sppb.form = MT_SPPB_ITEMS;
    } else if (total) {
        in->sppb.form = MT_SPPB_TOTAL;
    } else if (times) {
        if (!MT_HAS(in->sppb.side_by_side))
            return fail(p, "measurements.sppb.side_by_side",
                        "required with raw times; "
                        "accepted: 0 to 10 s held");
        if (in->sppb.side_by_side.v >= 10 && !MT_HAS(in->sppb.semi_tandem))
            return fail(p, "measurements.sppb.semi_tandem",
                        "required when side_by_side reached 10 s; accepted: 0 to 10 s held");
        if (in->sppb.side_by_side.v >= 10 && in->sppb.semi_tandem.v >= 10 &&
            !MT_HAS(in->sppb.tandem))
            return fail(p, "measurements.sppb.tandem",
                        "required when semi_tandem reached 10 s; accepted: 0 to 10 s held");
        if (!in->sppb.walk.state)
            return fail(p, "measurements.sppb.walk_4m",
                        "required with raw times (or walk_3m); "
                        "accepted: seconds, or \"unable\"");
        if (!in->sppb.chair_5x.state)
            return fail(p, "measurements.sppb.chair_5x",
                        "required with raw times; accepted: 3 "
                        "to 120 s, or \"unable\"");
        in->sppb.walk_course_m = given(p, &sppb_spec, SPPB_WALK_3M, "walk_3m") ? 3 : 4;
        in->sppb.form = MT_SPPB_TIMES;
    }
    return MT_OK;
}

static int check_measurements(parser *p)
{
    mt_input *in = p->in;

    if (given(p, &measurements_spec, MEAS_GRIP, "grip") &&
        given(p, &measurements_spec, MEAS_GRIP_TRIALS, "grip_trials"))
        return fail(p, "measurements.grip_trials",
                    "give grip (the best reading) or "
                    "grip_trials (every reading), not both");
    if (in->gait_speed.state && (in->walk_distance.state || in->walk_time.state))
        return fail(p, "measurements.walk", "give gait_speed or walk {distance, time}, not both");
    if (empty_object(p, &walk_spec))
        return fail(p, "measurements.walk", "empty; give distance (m) and time (s)");
    if (in->walk_distance.state != in->walk_time.state)
        return fail(
            p, in->walk_distance.state ? "measurements.walk.time" : "measurements.walk.distance",
            "required: walk needs both distance (m) and time (s)");
    if (MT_HAS(in->walk_distance)) {
        double v = mt_walk_speed(in->walk_distance.v, in->walk_time.v);
        if (v < 0.05 || v > 3.0)
            return fail(p, "measurements.walk",
                        "%g m in %g s is %.4g m/s, outside the accepted "
                        "gait speed range 0.05 to 3 m/s",
                        in->walk_distance.v, in->walk_time.v, v);
    }
    if (in->asm_kg.state && in->asm_method <= MT_ASM_NONE)
        return fail(p, "measurements.asm_method", "required with asm; accepted: dxa, bia");
    if (!in->asm_kg.state && in->asm_method > MT_ASM_NONE)
        return fail(p, "measurements.asm", "required with asm_method; accepted: 3 to 60 kg");
    if (empty_object(p, &bia_spec) || p->given[S_BIA]) { /* all-null: not measured */
        if (in->asm_kg.state)
            return fail(p, "measurements.bia", "give asm or bia readings, not both");
        if (!MT_HAS(in->bia.resistance))
            return fail(p, "measurements.bia.resistance",
                        "required with bia; accepted: 200 to "
                        "1200 ohm");
        if (in->bia.equation == MT_BIA_SERGI2015 && !MT_HAS(in->bia.reactance))
            return fail(p, "measurements.bia.reactance",
                        "required by the sergi2015 equation; "
                        "accepted: 10 to 150 ohm");
        if (!MT_HAS(in->height))
            return fail(p, "person.height",
                        "required with bia readings; accepted: 100 to 230 "
                        "cm");
        if (!MT_HAS(in->weight) && in->bia.equation != MT_BIA_JANSSEN2000)
            return fail(p, "person.weight", "required with bia readings; accepted: 25 to 300 kg");
        in->bia.given = 1;
    }
    return check_sppb(p);
}

/* Symptoms, history and preferences: {} refused, values that need another. */
static int check_context(parser *p)
{
    mt_input *in = p->in;

    if (empty_object(p, &symptoms_spec))
        return fail(p, "symptoms", "empty; give the symptoms asked about, or leave symptoms out");
    if (empty_object(p, &history_spec))
        return fail(p, "history", "empty; give the history asked about, or leave history out");
    if (empty_object(p, &labs_spec))
        return fail(p, "history.labs", "empty; give the results known, or leave labs out");
    if (empty_object(p, &preferences_spec))
        return fail(p, "preferences", "empty; give equipment or location, or leave preferences out");
    if ((MT_HAS(in->hx.weight_6m) || MT_HAS(in->hx.weight_12m)) && !MT_HAS(in->weight))
        return fail(p, "person.weight",
                    "required with a past weight (weight loss is computed from it); accepted: 25 "
                    "to 300 kg");
    if (MT_HAS(in->hx.labs.ck) && !MT_HAS(in->hx.labs.ck_uln))
        return fail(p, "history.labs.ck_uln",
                    "required with ck: the upper limit of normal of the lab that measured it; "
                    "accepted: 10 to 5000 U/L");
    if (MT_HAS(in->hx.labs.ck_uln) && !MT_HAS(in->hx.labs.ck))
        return fail(p, "history.labs.ck", "required with ck_uln; accepted: 0 to 500000 U/L");
    if (MT_SET_HAS(in->pref.equipment, EQ_NONE) && (in->pref.equipment.bits & ~1u))
        return fail(p, "preferences.equipment",
                    "\"none\" cannot be combined with other equipment; accepted: none, or any of "
                    "chair, bands, dumbbells, gym, pool");
    return MT_OK;
}

/* ---- entry point ---------------------------------------------------------- */

static void init_input(mt_input *in)
{
    memset(in, 0, sizeof(*in));
    in->sex = -1;
    in->setting = MT_COMMUNITY;
    for (int i = 0; i < MT_SARCF_ITEMS_N; i++)
        in->sarc_f[i] = -1;
    in->sarc_f_total = -1;
    in->sppb.balance = in->sppb.gait = in->sppb.chair = in->sppb.total = -1;
    in->asm_method = MT_ASM_NONE;
    in->bia.equation = MT_BIA_SERGI2015;
    memset(&in->sym, 0xff, sizeof(in->sym)); /* every flag and choice -1: not asked */
    in->hx.appetite_reduced = in->hx.childhood_onset = -1;
    in->hx.family_history_neuromuscular = in->hx.labs.on_dialysis = -1;
    in->hx.falls_past_year = in->hx.exercise_sessions = -1;
    in->pref.location = -1;
}

static int parse(mt_input **out, const char *json, size_t len, int partial, mt_error *err)
{
    parser p;
    yajl_handle h = NULL;
    mt_input *in = NULL;
    size_t i;
    int rc = MT_OK;

    if (out)
        *out = NULL;
    if (!out || (!json && len))
        return mt_error_set(err, MT_EUSAGE, "",
                            "mt_input_parse_json: out must not be NULL, nor json when len > 0");
    memset(&p, 0, sizeof(p));
    p.err = err;
    if (len > MT_MAX_INPUT)
        return mt_error_set(err, MT_ETOOBIG, "",
                            "input: document is larger than the limit of 1 MiB (%u bytes)",
                            MT_MAX_INPUT);
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3; /* a UTF-8 byte-order mark, as some editors write */
        len -= 3;
    }
    for (i = 0; i < len && isspace((unsigned char)json[i]); i++)
        ;
    if (i == len)
        return fail(&p, "",
                    "empty document; expected a JSON object such as "
                    "{\"person\": {\"sex\": \"female\", \"age\": 70}}");
    if (json[i] != '{')
        return fail(&p, "", "expected a JSON object at the top level (starting with '{')");

    in = malloc(sizeof(*in));
    if (!in) {
        rc = MT_ENOMEM;
        goto done;
    }
    init_input(in);
    p.in = in;
    h = yajl_alloc(&callbacks, NULL, &p);
    if (!h) {
        rc = MT_ENOMEM;
        goto done;
    }
    /* One pass: yajl checks syntax and UTF-8; the callbacks check the content. */
    if (yajl_parse(h, (const unsigned char *)json, len) != yajl_status_ok ||
        yajl_complete_parse(h) != yajl_status_ok) {
        rc = p.fatal ? MT_EINVAL : syntax_error(&p, h, json, len);
        goto done;
    }
    if (p.skipping) { /* the first content error, recorded by a callback */
        rc = MT_EINVAL;
        goto done;
    }
    rc = partial ? MT_OK : check_person(&p);
    if (!rc)
        rc = check_sarc_f(&p);
    if (!rc)
        rc = check_measurements(&p);
    if (!rc)
        rc = check_context(&p);
    if (!rc) {
        *out = in;
        in = NULL;
    }
done:
    if (rc == MT_ENOMEM)
        mt_error_set(err, MT_ENOMEM, "", "out of memory");
    if (h)
        yajl_free(h);
    free(in);
    return rc;
}

int mt_input_parse_json(mt_input **out, const char *json, size_t len, mt_error *err)
{
    return parse(out, json, len, 0, err);
}

int mt_input_parse_partial(mt_input **out, const char *json, size_t len, mt_error *err)
{
    return parse(out, json, len, 1, err);
}

void mt_input_free(mt_input *in)
{
    free(in);
}

const char *mt_bia_equation_id(int eq)
{
    return (eq >= 0 && eq < MT_BIA_N) ? bia_eq_words[eq] : "";
}

/* ---- cohort rows: the same fields, flat (mt_row) ---------------------------
 *
 * A row sets the document's own fields through the same checks (on_value),
 * then runs the same whole-document checks, so a cohort file and a document
 * can never disagree on what is accepted. Messages name the flat field. */

typedef struct flat_field {
    const char *name;         /* the flat name: the column of a cohort file */
    const char *path;         /* the document's path */
    const object_spec *spec;  /* the object holding it */
    int index;                /* its position in spec->fields (checked by test_row) */
} flat_field;

static const flat_field flat_fields[MT_FIELD_COUNT] = {
    {"sex", "person.sex", &person_spec, 0},
    {"age", "person.age", &person_spec, 1},
    {"height", "person.height", &person_spec, 2},
    {"weight", "person.weight", &person_spec, 3},
    {"grip", "measurements.grip", &measurements_spec, 0},
    {"chair_stand_5x", "measurements.chair_stand_5x", &measurements_spec, 2},
    {"gait_speed", "measurements.gait_speed", &measurements_spec, 3},
    {"tug", "measurements.tug", &measurements_spec, 5},
    {"walk_400m", "measurements.walk_400m", &measurements_spec, 6},
    {"six_minute_walk", "measurements.six_minute_walk", &measurements_spec, 7},
    {"sppb_total", "measurements.sppb.total", &sppb_spec, 3},
    {"calf", "measurements.calf", &measurements_spec, 9},
    {"asm", "measurements.asm", &measurements_spec, 10},
    {"asm_method", "measurements.asm_method", &measurements_spec, 11},
    {"bia_resistance", "measurements.bia.resistance", &bia_spec, 0},
    {"bia_reactance", "measurements.bia.reactance", &bia_spec, 1},
    {"bia_equation", "measurements.bia.equation", &bia_spec, 2},
    {"sarc_f_total", "sarc_f.total", &sarc_f_spec, 5},
    {"setting", "setting", &top_spec, 1},
};

/* The flat name of a document path, or the path itself. The one check
 * about an object a flat row can fail, asm with BIA readings (path
 * "measurements.bia", which a flat row has no name for), names asm: the
 * row's other way of giving the muscle mass. */
static const char *flat_name_of(const char *path)
{
    int i;

    for (i = 0; i < MT_FIELD_COUNT; i++)
        if (strcmp(flat_fields[i].path, path) == 0)
            return flat_fields[i].name;
    if (strcmp(path, "measurements.bia") == 0)
        return "asm";
    return path;
}

const char *mt_field_name(int i)
{
    return i >= 0 && i < MT_FIELD_COUNT ? flat_fields[i].name : NULL;
}

const char *mt_field_path(int i)
{
    return i >= 0 && i < MT_FIELD_COUNT ? flat_fields[i].path : NULL;
}

int mt_field_lookup(const char *name, size_t len)
{
    int i;

    for (i = 0; name && i < MT_FIELD_COUNT; i++)
        if (strlen(flat_fields[i].name) == len && memcmp(flat_fields[i].name, name, len) == 0)
            return i;
    return -1;
}

static const field *flat_spec_field(int i)
{
    return &flat_fields[i].spec->fields[flat_fields[i].index];
}

int mt_field_range(int i, double *min, double *max, const char **unit)
{
    const field *f;

    if (i < 0 || i >= MT_FIELD_COUNT)
        return MT_EINVAL;
    f = flat_spec_field(i);
    if (f->type != F_QTY && f->type != F_INT)
        return MT_EINVAL;
    if (min)
        *min = f->min;
    if (max)
        *max = f->max;
    if (unit)
        *unit = f->label;
    return MT_OK;
}

const char *const *mt_field_words(int i)
{
    static const char *const unable[] = {"unable", NULL}, *const not_completed[] = {
                                                              "not_completed", NULL};
    const field *f;

    if (i < 0 || i >= MT_FIELD_COUNT)
        return NULL;
    f = flat_spec_field(i);
    if (f->type == F_ENUM)
        return f->words[0][0] ? f->words : f->words + 1; /* asm_method's "" is no word */
    if (f->word)
        return strcmp(f->word, "unable") == 0 ? unable : not_completed;
    return NULL;
}

/* ---- a row's memo of cells, and its reset ---------------------------------
 *
 * A cohort file repeats its cells: a column holds a few hundred to a few
 * thousand distinct texts. What mt_row_set does with a text is a function of
 * the field and the text alone: when it succeeds (the text not empty) it
 * writes the field's whole slot (an mt_q's state and value, or an int) and
 * sets the field's given bit, whatever the row held (parse_qty, parse_int,
 * parse_enum and the quick paths read nothing else; the parser's scratch
 * members it sets, err, skipping, depth, stack[0] and flat_path, are set again
 * before each use). So the effect of a text that succeeded once can be
 * replayed exactly: each field of a row keeps a table (sets of two entries,
 * the newest first) from the exact text (mt_cell_key: every byte and the length,
 * up to MEMO_MAX_LEN bytes) to the slot it wrote. A text found there is
 * written as the slow path wrote it; anything else (a miss, a longer text, an
 * error) goes the slow way, so every message is made by the same code as
 * before. Errors are never kept; nor are mt_row_set_number's numbers, nor
 * texts with a blank at either end or a missing word (memo_may_keep), so that
 * columns_fill may look a cell up before trimming it. An entry holds the
 * slot's bytes as the slow way left them, but for an mt_q's padding after
 * its state's first 4 bytes: the slow way writes state and v member by
 * member, so that padding is always the pristine's (init_input's memset;
 * restore_slot copies whole slots, and a replay writes the entry's first 4
 * bytes and v, not the padding between them).
 *
 * When a field's table is made it also gets an entry for each of a cohort
 * file's missing cells, the empty text, NA and '.' (memo_missing), of no
 * given bit, that writes the pristine slot: what skipping the cell leaves
 * once the lazy reset below has restored the slot. So columns_fill reads
 * every usual cell, missing or not, the same way, without a branch on which
 * (a cohort mixes them at random). They are never pushed out of their set
 * (memo_put), and mt_row_memo_replay, so mt_row_set, never takes them (an
 * entry of no given bit): for mt_row_set those texts are what they always
 * were. A field whose slot another field's source also writes (asm_method,
 * with asm's method) is not read that way (columns.c, `plain`).
 *
 * mt_row_reset restores only the slots written since the last reset (the
 * fields set, `touched`), and lazily: it marks them `stale`, and a stale slot
 * is restored from the row's pristine input (init_input's) before anything
 * reads it or writes it other than whole: a cold set of that field,
 * mt_row_check (which the engine calls before it reads the input),
 * mt_row_get (which reads the pristine slot) and mt_row_same. A replayed
 * text writes the whole slot, so it only clears the mark. Besides the slots
 * and the given bits, a row is written only by mt_row_check's forms, which
 * the reset restores too.
 *
 * The hit is written by inline functions of input.h (mt_row_memo_find,
 * mt_row_memo_write), which screen's columns_fill calls where it reads the
 * cell; it makes the marks (touched set, stale cleared) of the fields it
 * replayed once (mt_row_memo_mark), before any other call on the row and at
 * its end. In between only replays of other fields run, and a replay reads
 * no mark and writes only its field's whole slot and given bit, so the row
 * is the same as with each replay marked at once. The field's constants
 * (slot, given bit, table) are in one struct per field (mt_row_field), made
 * by mt_row_new from the flat field's spec.
 *
 * test_row's memo_and_quick_checks_equal_the_slow_path compares the row
 * with a new row set the cold way, byte for byte, over random and boundary
 * texts, and both ways of mt_row_check; test_columns's
 * fill_equals_the_slow_path does the same through columns_fill. */

#if defined(__GNUC__)
#define MT_NOINLINE __attribute__((noinline))
#else
#define MT_NOINLINE
#endif

#define MEMO_BITS    MT_MEMO_BITS
#define MEMO_MAX_LEN MT_MEMO_MAX_LEN
#define MEMO_AFTER   8 /* texts read the slow way before a field's table is made */

typedef mt_memo_entry memo_entry;

/* mt_cell_key_wide's masks by length n: bytes 0 to n-1 kept (0xff), and the
 * length + 1 in byte 15 */
#define KEEP(n)                                                                                    \
    {(0 < n) * 255, (1 < n) * 255, (2 < n) * 255, (3 < n) * 255, (4 < n) * 255, (5 < n) * 255,     \
     (6 < n) * 255, (7 < n) * 255, (8 < n) * 255, (9 < n) * 255, (10 < n) * 255, (11 < n) * 255,    \
     (12 < n) * 255, (13 < n) * 255, (14 < n) * 255, 0},                                            \
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n + 1}
_Alignas(16) const unsigned char mt_cell_key_masks[MEMO_MAX_LEN + 1][2][16] = {
    {KEEP(0)},  {KEEP(1)},  {KEEP(2)},  {KEEP(3)},  {KEEP(4)},  {KEEP(5)},
    {KEEP(6)},  {KEEP(7)},  {KEEP(8)},  {KEEP(9)},  {KEEP(10)}, {KEEP(11)},
    {KEEP(12)}, {KEEP(13)}, {KEEP(14)}, {KEEP(15)}};
#undef KEEP

/* A field's table until its own is made: b == 0 matches no key; never
 * written (memo_keep writes only a table of the row's own), and not const so
 * that its 256 KiB of zeros are in .bss, not in the file. */
static _Alignas(64) memo_entry memo_none[(size_t)1 << MEMO_BITS];

/* A row's tables, in one mapping made at the first: the system's pages, which
 * are zero (no memset), 2 MiB-aligned and marked for huge pages where the
 * system has them (madvise MADV_HUGEPAGE; else it stays 4 KiB pages, each
 * made at its first touch). A cohort file's row makes ~17 tables of 256 KiB:
 * each allocated and cleared apart, their ~1,100 page faults and memset were
 * ~3 ms of each screen worker's start, ~2.5% of the bench's 1M-row run
 * (bench/README "thirteenth round"). At most one table a field, so the
 * mapping is MT_FIELD_COUNT tables; NULL when it cannot be had. */
#define MEMO_TABLE_BYTES (((size_t)1 << MEMO_BITS) * sizeof(memo_entry))
#define ARENA_BYTES      (MT_FIELD_COUNT * MEMO_TABLE_BYTES)
#define HUGE_PAGE        ((size_t)2 << 20)

static memo_entry *memo_table(row_memo *m)
{
    if (!m->arena) {
        char *p, *at;
        if (m->no_arena)
            return NULL;
        p = mmap(NULL, ARENA_BYTES + HUGE_PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            m->no_arena = 1;
            return NULL;
        }
        /* the 2 MiB-aligned part kept, the pages before and after it given back */
        at = p + ((HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE);
        if (at > p)
            munmap(p, (size_t)(at - p));
        munmap(at + ARENA_BYTES, (size_t)(p + HUGE_PAGE - at));
#ifdef MADV_HUGEPAGE
        madvise(at, ARENA_BYTES, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
        m->arena = at;
    }
    if (m->made >= MT_FIELD_COUNT)
        return NULL;
    /* 64-aligned (each set of two in one cache line): the tables are 256 KiB apart */
    return (memo_entry *)(void *)(m->arena + MEMO_TABLE_BYTES * m->made++);
}

static void row_reset_full(mt_row *row)
{
    memset(row->p, 0, sizeof(*row->p));
    init_input(row->in);
    row->p->in = row->in;
    row->p->flat = 1;
    row->p->seen[S_TOP] = 1u << 0; /* person, top_spec's first field: "sex: required" */
    row->memo->touched = row->memo->stale = 0;
}

static inline void restore_slot(mt_row *row, int i)
{
    const mt_row_field *s = &row->memo->f[i];

    char *to = s->slot; /* (char *)row->in + s->off */
    const char *from = (const char *)&row->memo->pristine + s->off;

    if (s->is_q) /* two sizes, each copied without a call */
        memcpy(to, from, sizeof(mt_q));
    else
        memcpy(to, from, sizeof(int));
}

/* Every stale slot restored: the input is then what an eager reset gives. */
static inline void flush(mt_row *row)
{
    unsigned t = row->memo->stale;

    for (; t; t &= t - 1)
        restore_slot(row, __builtin_ctz(t));
    row->memo->stale = 0;
}

/* Field i is about to be written the slow way (perhaps not whole, or not at
 * all on an error): its slot restored first when stale. */
static inline void fresh_slot(mt_row *row, int i)
{
    row_memo *m = row->memo;

    if (m->stale >> i & 1u) {
        restore_slot(row, i);
        m->stale &= ~(1u << i);
    }
    m->touched |= 1u << i;
}

int mt_row_new(mt_row **out)
{
    mt_row *row;
    int i;

    if (!out)
        return MT_EUSAGE;
    *out = row = calloc(1, sizeof(*row));
    if (!row || !(row->p = calloc(1, sizeof(*row->p))) ||
        !(row->res = calloc(1, sizeof(*row->res))) ||
        !(row->memo = calloc(1, sizeof(*row->memo)))) {
        if (row) {
            free(row->p);
            free(row->res);
        }
        free(row);
        *out = NULL;
        return MT_ENOMEM;
    }
    row->in = &row->res->in;
    for (i = 0; i < MT_FIELD_COUNT; i++) {
        const field *f = flat_spec_field(i);
        mt_row_field *s = &row->memo->f[i];
        s->off = f->off;
        s->slot = (char *)row->in + f->off;
        s->is_q = f->type == F_QTY; /* else an int: F_INT, F_ENUM */
        s->high = s->is_q ? (char *)s->slot + offsetof(mt_q, v) : (void *)&row->memo->sink;
        s->is_enum = f->type == F_ENUM;
        s->shift = f->type == F_ENUM && !f->words[0][0]; /* asm_method's "" */
        s->given = &row->p->given[flat_fields[i].spec->id];
        s->bit = 1u << flat_fields[i].index;
        s->tab = memo_none;
        s->own = 0;
    }
    init_input(&row->memo->pristine);
    row_reset_full(row);
    return MT_OK;
}

void mt_row_free(mt_row *row)
{
    if (!row)
        return;
    if (row->memo->arena)
        munmap(row->memo->arena, ARENA_BYTES);
    free(row->memo);
    mt_result_free(row->res);
    free(row->plan);
    free(row->p);
    free(row);
}

void mt_row_reset(mt_row *row)
{
    row_memo *m;
    mt_input *in;

    if (!row)
        return;
    m = row->memo;
    in = row->in;
    m->stale |= m->touched;
    m->touched = 0;
    memset(row->p->given, 0, sizeof(row->p->given));
    /* mt_row_check's forms (mt_row_check_full marks sarc_f_total, its items' sum) */
    in->sarc_f_form = m->pristine.sarc_f_form;
    in->sppb.form = m->pristine.sppb.form;
    in->sppb.walk_course_m = m->pristine.sppb.walk_course_m;
    in->bia.given = m->pristine.bia.given;
}

/* One value into field i, as the document parser's callbacks give it. */
/* A word or whole-number cell that on_value would accept, as it does then
 * (the given bit, parse_enum's or parse_int's value in the slot), without the
 * parser's set-up; 0 leaves the cell to row_value, which words any message.
 * test_row's words and numbers go both ways. */
static int row_quick_other(mt_row *row, int i, const value *v)
{
    const flat_field *ff = &flat_fields[i];
    const field *f = &ff->spec->fields[ff->index];
    int *slot = (int *)(void *)((char *)row->in + f->off), k;

    if (f->type == F_INT && v->type == V_NUMBER) {
        if (!(v->num == floor(v->num) && v->num >= f->min && v->num <= f->max))
            return 0;
        *slot = (int)v->num;
    } else if (f->type == F_ENUM && v->type == V_STRING) {
        if ((k = enum_index(f, v->s, v->len)) < 0)
            return 0;
        *slot = k;
    } else
        return 0;
    row->p->given[ff->spec->id] |= 1u << ff->index;
    return 1;
}

static int row_value(mt_row *row, int i, const value *v, mt_error *err)
{
    parser *p = row->p;
    const flat_field *ff = &flat_fields[i];

    p->err = err;
    p->skipping = 0;
    p->depth = 1;
    p->stack[0].spec = ff->spec;
    p->stack[0].field = flat_spec_field(i);
    p->stack[0].path_len = 0;
    p->flat_path = ff->name;
    on_value(p, v);
    p->err = NULL;
    return p->skipping ? MT_EINVAL : MT_OK;
}

static inline int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The usual cell of a quantity field, a finite number within its range: what
 * row_value (on_value, parse_qty) does with it on success, without setting up
 * the parser; `rounded` when x is known to be at 4 decimals already. 1 when
 * done; 0 leaves it to row_value, which gives the same result or the error. */
static inline int row_quick_qty(mt_row *row, int i, double x, int rounded)
{
    const flat_field *ff = &flat_fields[i];
    const field *f = &ff->spec->fields[ff->index];
    mt_q *q;

    if (f->type != F_QTY || !isfinite(x))
        return 0;
    if (!rounded)
        x = mt_round4(x);
    if (!(x >= f->min && x <= f->max))
        return 0;
    row->p->given[ff->spec->id] |= 1u << ff->index;
    q = (mt_q *)(void *)((char *)row->in + f->off);
    q->state = MT_Q_VALUE;
    q->v = x;
    return 1;
}

/* Is s[0, len) a JSON number (what yajl would have called one)? *at_4dp is
 * set when it also has no exponent, at most 15 digits and at most 4
 * decimals: mt_json_number then computes m / 10^k with both exact in a
 * double, and under 10^9 that value is already at 4 decimals (round(x *
 * 10^4) is the integer m * 10^(4-k), < 2^51, and that over 10^4 is x again),
 * so mt_round4 would return it unchanged. In that case *x is set too, to
 * what mt_json_number returns: the same m (every digit, at most 15), the
 * same one division by the same power of ten, the same signed zero. */
static int is_json_number(const char *s, size_t len, int *at_4dp, double *x)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4};
    size_t i = 0, d, start, decimals = 0;
    unsigned long long u = 0;
    int neg = 0;

    *at_4dp = 0;

    if (i < len && s[i] == '-')
        i++, neg = 1;
    if (i == len || !is_digit(s[i]))
        return 0;
    start = i;
    if (s[i] == '0')
        i++;
    else
        for (; i < len && is_digit(s[i]); i++)
            u = u * 10 + (unsigned)(s[i] - '0'); /* wraps only past 19 digits: not used then */
    if (i < len && s[i] == '.') {
        for (d = ++i; i < len && is_digit(s[i]); i++)
            u = u * 10 + (unsigned)(s[i] - '0');
        if (i == d)
            return 0;
        decimals = i - d;
    }
    if (i == len) { /* no exponent */
        *at_4dp = i - start - (decimals > 0) <= 15 && decimals <= 4;
        if (*at_4dp) {
            double mant = (double)u;
            if (mant == 0)
                *x = neg ? -0.0 : 0.0;
            else {
                if (decimals)
                    mant /= pow10[decimals];
                *x = neg ? -mant : mant;
            }
        }
        return 1;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        for (d = i; i < len && is_digit(s[i]); i++)
            ;
        if (i == d)
            return 0;
    }
    return i == len;
}

/* mt_row_set's slow way (the arguments checked). */
static int row_set_text(mt_row *row, int i, const char *text, size_t len, mt_error *err)
{
    value v = {V_NULL, 0, NULL, 0};
    int at_4dp;

    if (len && is_json_number(text, len, &at_4dp, &v.num)) {
        v.type = V_NUMBER;
        if (!at_4dp)
            v.num = mt_json_number(text, len);
        if (row_quick_qty(row, i, v.num, at_4dp && fabs(v.num) < 1e9)) /* the usual cell */
            return MT_OK;
        if (!isfinite(v.num)) {
            char shown[64], range[96];
            const field *f = &flat_fields[i].spec->fields[flat_fields[i].index];
            row->p->err = err;
            mt_text_shown(shown, sizeof(shown), text, len, 1);
            if (f->type == F_QTY) {
                fmt_range(range, sizeof(range), f);
                fail(row->p, flat_fields[i].path, "%s " MT_NUMBER_BEYOND " (accepted range %s)",
                     shown, range);
            } else {
                fail(row->p, flat_fields[i].path, "%s " MT_NUMBER_BEYOND, shown);
            }
            row->p->err = NULL;
            return MT_EINVAL;
        }
    } else if (len) {
        v.type = V_STRING;
        v.s = text;
        v.len = len;
    }
    if (len && row_quick_other(row, i, &v)) /* the usual word or whole number */
        return MT_OK;
    return row_value(row, i, &v, err);
}

/* An entry of field s for the slot at `slot` (the row's, or the pristine's):
 * its first 4 bytes and an mt_q's v, every bit; `given` its given bits. */
static memo_entry memo_entry_of(const mt_row_field *s, const char *slot, unsigned given)
{
    memo_entry e;

    memset(&e, 0, sizeof(e));
    memcpy(&e.low, slot, 4); /* an int, or an mt_q's state and the padding after it */
    if (s->is_q)
        memcpy(&e.high, slot + offsetof(mt_q, v), 8);
    e.given = given;
    return e;
}

/* Put e (its key set) in field s's own table: first in its set, the one
 * before it second, unless that is a missing cell's entry, which stays
 * (the newcomer then takes the other place). */
static void memo_put(mt_row_field *s, const memo_entry *e)
{
    memo_entry *set = (memo_entry *)&s->tab[mt_memo_at(e->a, e->b)]; /* the row's own table */
    int kept0 = set[0].b && !set[0].given, kept1 = set[1].b && !set[1].given;

    if (kept0 && kept1) /* two missing cells' entries: no room */
        return;
    if (kept0) {
        set[1] = *e;
        return;
    }
    if (!kept1)
        set[1] = set[0];
    set[0] = *e;
}

/* The texts of a cohort file's missing cells: empty, NA and '.'. A cell
 * reader that skips them (screen's columns_fill) finds them in the table
 * (entries of no given bit that write the pristine slot: what skipping the
 * cell leaves once the lazy reset has restored the slot), so that a cell is
 * read without a branch on whether it is missing; mt_row_memo_replay (so
 * mt_row_set) never takes them. They are put when the table is made and
 * never pushed out (memo_put). */
static const char *const memo_missing[] = {"", "NA", "."};

/* Keep what the slow way wrote for a text of field i, when it set the given
 * bit and wrote the whole slot: an int, or an mt_q in the states that
 * parse_qty and row_quick_qty write with their value (a value; the word's
 * UNABLE with 0), every bit of both kept; a replay (mt_row_memo_write) writes
 * them again. */
static void memo_keep(mt_row *row, int i, uint64_t a, uint64_t b)
{
    row_memo *m = row->memo;
    mt_row_field *s = &m->f[i];
    const char *slot = (const char *)row->in + s->off;
    memo_entry e;
    size_t k;

    if (!(*s->given & s->bit))
        return;
    if (s->is_q) {
        const mt_q *q = (const mt_q *)(const void *)slot;
        if (q->state != MT_Q_VALUE && q->state != MT_Q_UNABLE)
            return;
    }
    if (!s->own) {
        memo_entry *t;
        if (++m->misses[i] < MEMO_AFTER ||
            !(t = memo_table(m)))
            return; /* a row set only a few times, or no memory: no table */
        s->tab = t;
        s->own = 1;
        for (k = 0; k < sizeof(memo_missing) / sizeof(memo_missing[0]); k++) {
            e = memo_entry_of(s, (const char *)&m->pristine + s->off, 0);
            mt_cell_key(memo_missing[k], strlen(memo_missing[k]), &e.a, &e.b);
            memo_put(s, &e);
        }
    }
    e = memo_entry_of(s, slot, s->bit);
    e.a = a;
    e.b = b;
    memo_put(s, &e);
}

int mt_row_set_cold(mt_row *row, int i, const char *text, size_t len, mt_error *err)
{
    if (!row || i < 0 || i >= MT_FIELD_COUNT || (!text && len))
        return mt_error_set(err, MT_EUSAGE, "", "mt_row_set: no row, or field out of range");
    fresh_slot(row, i);
    return row_set_text(row, i, text, len, err);
}

/* The texts a memo may keep: none with a byte <= ' ' (a blank) at either
 * end, and neither "NA" nor "." (a cohort file's missing words). A caller
 * that trims cells and skips the missing ones (screen's columns_fill) may
 * then look a cell up as it is in the file: a text found there is one its
 * trimming leaves alone and that is not missing. */
static int memo_may_keep(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;

    return u[0] > ' ' && u[len - 1] > ' ' && !(len == 2 && u[0] == 'N' && u[1] == 'A') &&
           !(len == 1 && u[0] == '.');
}

/* A text not in the memo (kept there when it succeeds); out of line, so that
 * mt_row_set's usual way needs few registers. */
static MT_NOINLINE int row_set_miss(mt_row *row, int i, const char *text, size_t len,
                                    mt_error *err)
{
    uint64_t a, b;
    int rc;

    fresh_slot(row, i);
    if ((rc = row_set_text(row, i, text, len, err)) == MT_OK && memo_may_keep(text, len)) {
        mt_cell_key(text, len, &a, &b);
        memo_keep(row, i, a, b);
    }
    return rc;
}

int mt_row_set(mt_row *row, int i, const char *text, size_t len, mt_error *err)
{
    if (!row || (unsigned)i >= MT_FIELD_COUNT)
        return mt_error_set(err, MT_EUSAGE, "", "mt_row_set: no row, or field out of range");
    if (len - 1 >= MEMO_MAX_LEN || !text) /* empty (wraps), longer than a key, or no text */
        return mt_row_set_cold(row, i, text, len, err);
    if (mt_row_memo_replay(row, &row->memo->f[i], text, len)) {
        mt_row_memo_mark(row, 1u << i);
        return MT_OK;
    }
    return row_set_miss(row, i, text, len, err);
}

int mt_row_set_number(mt_row *row, int i, double x, mt_error *err)
{
    value v = {V_NUMBER, 0, NULL, 0};

    if (!row || i < 0 || i >= MT_FIELD_COUNT)
        return mt_error_set(err, MT_EUSAGE, "", "mt_row_set_number: no row, or field out of range");
    fresh_slot(row, i);
    if (row_quick_qty(row, i, x, 0))
        return MT_OK;
    if (!isfinite(x)) {
        row->p->err = err;
        fail(row->p, flat_fields[i].path, "not a finite number");
        row->p->err = NULL;
        return MT_EINVAL;
    }
    v.num = x;
    return row_value(row, i, &v, err);
}

/* Field i's slot as the row holds it: the pristine's while a reset has not
 * restored it (stale), else the row's own. */
static const void *row_slot(const mt_row *row, int i)
{
    return (row->memo->stale >> i & 1u ? (const char *)&row->memo->pristine
                                       : (const char *)row->in) +
           row->memo->f[i].off;
}

/* The field's constants (mt_row_new: flat_spec_field's offset, type and
 * words, the given bit) in one place; the slot of a stale field is the
 * pristine one, what the eager reset would have put there. */
int mt_row_get(const mt_row *row, int i, double *out)
{
    const mt_row_field *s;
    const void *slot;
    int k;

    if (!row || !out || (unsigned)i >= MT_FIELD_COUNT)
        return MT_EINVAL;
    s = &row->memo->f[i];
    slot = row_slot(row, i);
    if (s->is_q) {
        const mt_q *q = slot;
        if (q->state == MT_Q_VALUE)
            *out = q->v;
        else if (q->state == MT_Q_UNABLE)
            *out = 0; /* the word: mt_field_words() lists it first */
        else
            return MT_EINVAL;
        return MT_OK;
    }
    memcpy(&k, slot, sizeof(int)); /* F_INT, F_ENUM */
    if (k < 0 || (s->is_enum && !(*s->given & s->bit)))
        return MT_EINVAL;
    *out = k - s->shift; /* asm_method's "" */
    return MT_OK;
}

int mt_row_get_used(const mt_row *row, int i, double *out)
{
    int rc = mt_row_get(row, i, out);

    if (rc != MT_EINVAL || !row || !out)
        return rc;
    /* the defaults init_input gives a document, where the engine reads them */
    if (i == MT_FIELD_SETTING) {
        *out = row->in->setting;
        return MT_OK;
    }
    if (i == MT_FIELD_BIA_EQUATION && row->in->bia.given) {
        *out = row->in->bia.equation;
        return MT_OK;
    }
    return rc;
}

int mt_row_holds_word(const mt_row *row, int i)
{
    if (!row || (unsigned)i >= MT_FIELD_COUNT || !row->memo->f[i].is_q)
        return 0;
    return ((const mt_q *)row_slot(row, i))->state == MT_Q_UNABLE;
}

int mt_row_check_full(mt_row *row, mt_error *err)
{
    parser *p = row->p;
    int rc;

    flush(row);
    p->err = err;
    rc = check_person(p);
    if (!rc)
        rc = check_sarc_f(p);
    if (!rc)
        rc = check_measurements(p);
    p->err = NULL;
    row->memo->touched |= 1u << MT_FIELD_SARC_F_TOTAL; /* check_sarc_f may sum the items there */
    return rc;
}

/* The three checks of a row, in a few tests. A row's input and parser are
 * written only by mt_row_set, mt_row_set_number (the flat fields' slots and
 * given bits), mt_row_check (the forms) and the reset, so everything else
 * keeps init_input's and mt_row_reset's values: person seen, no SARC-F item
 * (-1), no walk, no SPPB item (-1) or time, no grip_trials, no object opened.
 * With those, check_person, check_sarc_f and check_measurements (with
 * check_sppb) pass exactly when sex and age are given, asm and asm_method
 * come together, and no BIA field is given; and then they write only the two
 * forms below. Any other row takes the checks themselves, which word the
 * message. */
int mt_row_check(mt_row *row, mt_error *err)
{
    const parser *p = row->p;
    mt_input *in = row->in;
    unsigned quick;

    flush(row);
    /* The five tests as one (& not &&: each reads a field of the row, none
     * guards another's read), so one jump; and each form stored whatever the
     * row: MT_*_TOTAL when its total is given, else the form it had, by a
     * select without a jump (mt_pick_int): a cohort's cells are given or not
     * at random, row by row. (gcc makes jumps of a ?: here.) */
    quick = (p->seen[S_TOP] & 1u) & (unsigned)(in->sex >= 0) &
            (unsigned)(in->age.state == MT_Q_VALUE) &
            ((unsigned)(in->asm_kg.state != 0) ^ (unsigned)(in->asm_method <= MT_ASM_NONE)) &
            (unsigned)(p->given[S_BIA] == 0);
    if (quick) {
        in->sarc_f_form = mt_pick_int(in->sarc_f_total >= 0, MT_SARCF_TOTAL, in->sarc_f_form);
        in->sppb.form = mt_pick_int(in->sppb.total >= 0, MT_SPPB_TOTAL, in->sppb.form);
        return MT_OK;
    }
    return mt_row_check_full(row, err);
}

int mt_row_same(mt_row *a, mt_row *b)
{
    flush(a);
    flush(b);
    return memcmp(a->in, b->in, sizeof(*a->in)) == 0 &&
           memcmp(a->p->given, b->p->given, sizeof(a->p->given)) == 0 &&
           memcmp(a->p->seen, b->p->seen, sizeof(a->p->seen)) == 0 &&
           memcmp(a->p->opened, b->p->opened, sizeof(a->p->opened)) == 0 &&
           memcmp(a->p->members, b->p->members, sizeof(a->p->members)) == 0;
}
