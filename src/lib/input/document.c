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
 * JSON itself is parsed by jansson with duplicate keys rejected; the size
 * limit, empty input and top-level type are checked here first.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "input/input.h"
#include "input/suggest.h"

/* ---- field tables ----------------------------------------------------- */

typedef enum { F_QTY, F_INT, F_ENUM, F_OBJECT, F_TRIALS } field_type;

/* Pseudo-unit for quantities taken as plain JSON numbers only (age). */
#define UNIT_NUMBER_ONLY (-1)

typedef struct object_spec object_spec;

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
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sex_words[] = {"female", "male", NULL}; /* index = mt_sex */
static const char *const setting_words[] = {"community", "hospital", NULL};
static const char *const asm_method_words[] = {"", "dxa", "bia", NULL}; /* index = method */
static const char *const bia_eq_words[] = {"sergi2015", "kim2014", "yoshida2014", "janssen2000",
                                           NULL};

/* REFERENCE §2: plausibility limits. */
static const field person_fields[] = {
    ENUM("sex", sex, sex_words),
    QTY("age", age, UNIT_NUMBER_ONLY, 18, 120, "years", NULL),
    QTY("height", height, MT_UNIT_CM, 100, 230, "cm", NULL),
    QTY("weight", weight, MT_UNIT_KG, 25, 300, "kg", NULL),
};
static const object_spec person_spec = {"person", person_fields, N_OF(person_fields)};

static const field sarc_f_fields[] = {
    INT("strength", sarc_f[0], 0, 2), INT("walking", sarc_f[1], 0, 2),
    INT("chair", sarc_f[2], 0, 2),    INT("stairs", sarc_f[3], 0, 2),
    INT("falls", sarc_f[4], 0, 2),    INT("total", sarc_f_total, 0, 10),
};
static const object_spec sarc_f_spec = {"sarc_f", sarc_f_fields, N_OF(sarc_f_fields)};

static const field walk_fields[] = {
    QTY("distance", walk_distance, MT_UNIT_M, 1, 1000, "m", NULL),
    QTY("time", walk_time, MT_UNIT_S, 0.1, 3600, "s", NULL),
};
static const object_spec walk_spec = {"measurements.walk", walk_fields, N_OF(walk_fields)};

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
    QTY("walk_4m", sppb.walk, MT_UNIT_S, 4.0 / 3.0, 80, "s", "unable"),
    QTY("walk_3m", sppb.walk, MT_UNIT_S, 1, 60, "s", "unable"),
    QTY("chair_5x", sppb.chair_5x, MT_UNIT_S, 3, 120, "s", "unable"),
};
static const object_spec sppb_spec = {"measurements.sppb", sppb_fields, N_OF(sppb_fields)};

static const field bia_fields[] = {
    QTY("resistance", bia.resistance, MT_UNIT_OHM, 200, 1200, "ohm", NULL),
    QTY("reactance", bia.reactance, MT_UNIT_OHM, 10, 150, "ohm", NULL),
    ENUM("equation", bia.equation, bia_eq_words),
};
static const object_spec bia_spec = {"measurements.bia", bia_fields, N_OF(bia_fields)};

static const field measurement_fields[] = {
    QTY("grip", grip, MT_UNIT_KG, 0, 100, "kg", NULL),
    {"grip_trials", F_TRIALS, OFF(grip), MT_UNIT_KG, 0, 100, "kg", NULL, NULL, NULL},
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
static const object_spec measurements_spec = {"measurements", measurement_fields,
                                              N_OF(measurement_fields)};

static const field top_fields[] = {
    OBJ("person", person_spec),
    ENUM("setting", setting, setting_words),
    OBJ("sarc_f", sarc_f_spec),
    OBJ("measurements", measurements_spec),
};
static const object_spec top_spec = {"", top_fields, N_OF(top_fields)};

static const object_spec *const all_specs[] = {
    &top_spec, &person_spec, &sarc_f_spec, &measurements_spec, &walk_spec, &sppb_spec, &bia_spec};

/* ---- errors ----------------------------------------------------------- */

typedef struct parser {
    mt_input *in;
    mt_error *err;
} parser;

/* Keys and JSON error texts come from the document: keep the message one line
 * whatever they hold. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(parser *p, const char *path, const char *fmt, ...)
{
    mt_error *e = p->err;
    va_list ap;
    int n;

    if (!e)
        return MT_EINVAL;
    e->code = MT_EINVAL;
    snprintf(e->field, sizeof(e->field), "%s", path);
    n = snprintf(e->message, sizeof(e->message), "%s: ", path[0] ? path : "input");
    if (n < 0 || (size_t)n >= sizeof(e->message))
        return MT_EINVAL;
    va_start(ap, fmt);
    vsnprintf(e->message + n, sizeof(e->message) - (size_t)n, fmt, ap);
    va_end(ap);
    one_line(e->field);
    one_line(e->message);
    return MT_EINVAL;
}

static void join_path(char *dst, size_t cap, const char *parent, const char *name)
{
    if (parent[0])
        snprintf(dst, cap, "%s.%s", parent, name);
    else
        snprintf(dst, cap, "%s", name);
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

/* Write `v` compactly for a message: 100, 0.05, 18.1437. */
static void fmt_num(char *dst, size_t cap, double v)
{
    snprintf(dst, cap, "%.6g", v);
}

/* Quote a user string for a message, truncated and with control bytes hidden. */
static void fmt_quoted(char *dst, size_t cap, const char *s, size_t len)
{
    size_t o = 0, i;

    if (cap < 8)
        return;
    dst[o++] = '"';
    for (i = 0; i < len && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (i < len) {
        dst[o++] = '.';
        dst[o++] = '.';
        dst[o++] = '.';
    }
    dst[o++] = '"';
    dst[o] = '\0';
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

/* ---- the generic walker ----------------------------------------------- */

static int parse_object(parser *p, const json_t *obj, const object_spec *spec);

static int parse_qty(parser *p, const char *path, const json_t *v, const field *f, mt_q *q)
{
    char range[96], shown[96], conv[32];
    double x;

    if (json_is_null(v)) {
        q->state = MT_Q_ABSENT;
        return MT_OK;
    }
    fmt_range(range, sizeof(range), f);
    if (json_is_number(v)) {
        x = json_number_value(v);
        fmt_num(shown, sizeof(shown), x);
        snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), " %s", f->label);
    } else if (json_is_string(v) && f->unit != UNIT_NUMBER_ONLY) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        mt_error ue;

        if (f->word && len == strlen(f->word) && strncasecmp(s, f->word, len) == 0) {
            q->state = MT_Q_UNABLE;
            q->v = 0;
            return MT_OK;
        }
        fmt_quoted(shown, sizeof(shown), s, len);
        if (mt_quantity_parse(s, len, (mt_unit)f->unit, &x, &ue) != MT_OK)
            return fail(p, path, "%s: %s (accepted range %s)", shown, ue.message, range);
        fmt_num(conv, sizeof(conv), mt_round4(x));
        snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), " (%s %s)", conv, f->label);
    } else if (f->unit == UNIT_NUMBER_ONLY) {
        return fail(p, path, "expected a number of %s, got %s; accepted: %s", f->label,
                    json_type_name(v), range);
    } else {
        return fail(p, path,
                    "expected a number in %s or a string with a unit, got %s; accepted: %s",
                    f->label, json_type_name(v), range);
    }
    x = mt_round4(x);
    if (!(x >= f->min && x <= f->max))
        return fail(p, path, "%s is outside the accepted range %s", shown, range);
    q->state = MT_Q_VALUE;
    q->v = x;
    return MT_OK;
}

static int parse_int(parser *p, const char *path, const json_t *v, const field *f, int *out)
{
    double x;

    if (json_is_null(v))
        return MT_OK; /* stays -1: not given */
    if (!json_is_number(v))
        return fail(p, path, "expected a whole number %g to %g, got %s", f->min, f->max,
                    json_type_name(v));
    x = json_number_value(v);
    if (x != floor(x) || x < f->min || x > f->max) {
        char shown[32];
        fmt_num(shown, sizeof(shown), x);
        return fail(p, path, "%s is not accepted; expected a whole number %g to %g %s", shown,
                    f->min, f->max, f->label);
    }
    *out = (int)x;
    return MT_OK;
}

static int parse_enum(parser *p, const char *path, const json_t *v, const field *f, int *out)
{
    char accepted[128];
    size_t i;

    fmt_words(accepted, sizeof(accepted), f->words);
    if (json_is_null(v))
        return MT_OK;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        for (i = 0; f->words[i]; i++) {
            if (f->words[i][0] && len == strlen(f->words[i]) &&
                strncasecmp(s, f->words[i], len) == 0) {
                *out = (int)i;
                return MT_OK;
            }
        }
        {
            char shown[64];
            fmt_quoted(shown, sizeof(shown), s, len);
            return fail(p, path, "%s is not accepted; accepted: %s", shown, accepted);
        }
    }
    return fail(p, path, "expected one of %s, got %s", accepted, json_type_name(v));
}

static int parse_trials(parser *p, const char *path, const json_t *v, const field *f)
{
    mt_input *in = p->in;
    char item_path[sizeof(p->err->field) + 16];
    size_t i, n;
    double best = -1;

    if (json_is_null(v))
        return MT_OK;
    if (!json_is_array(v))
        return fail(p, path, "expected a list of readings in kg, got %s", json_type_name(v));
    n = json_array_size(v);
    if (n == 0 || n > MT_MAX_GRIP_TRIALS)
        return fail(p, path, "expected 1 to %d readings, got %zu", MT_MAX_GRIP_TRIALS, n);
    for (i = 0; i < n; i++) {
        mt_q q = {0, 0};
        int rc;
        snprintf(item_path, sizeof(item_path), "%s[%zu]", path, i);
        rc = parse_qty(p, item_path, json_array_get(v, i), f, &q);
        if (rc)
            return rc;
        if (q.state != MT_Q_VALUE)
            return fail(p, item_path, "expected a reading in kg, got null");
        in->grip_trials[i] = q.v;
        if (q.v > best)
            best = q.v;
    }
    in->n_grip_trials = (int)n;
    in->grip.state = MT_Q_VALUE; /* Southampton protocol: the maximum counts */
    in->grip.v = best;
    return MT_OK;
}

/* "did you mean": a close name in this object, or the same name elsewhere. */
static int unknown_field(parser *p, const char *path, const char *key, const object_spec *spec)
{
    const char *names[32];
    const char *best;
    size_t i, n = 0;

    for (i = 0; i < spec->n && n < N_OF(names); i++)
        names[n++] = spec->fields[i].name;
    best = mt_suggest(key, names, n);
    if (best)
        return fail(p, path, "unknown field; did you mean %s?", best);
    for (i = 0; i < N_OF(all_specs); i++) {
        size_t j;
        for (j = 0; j < all_specs[i]->n; j++) {
            if (all_specs[i] != spec && strcmp(all_specs[i]->fields[j].name, key) == 0 &&
                all_specs[i]->path[0])
                return fail(p, path, "unknown field here; %s belongs in %s", key,
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
        return fail(p, path, "unknown field; accepted: %s", list);
    }
}

static int parse_object(parser *p, const json_t *obj, const object_spec *spec)
{
    const char *key;
    json_t *v;
    char path[sizeof(p->err->field)];

    json_object_foreach((json_t *)obj, key, v)
    {
        const field *f = NULL;
        size_t i;
        int rc = MT_OK;

        join_path(path, sizeof(path), spec->path, key);
        for (i = 0; i < spec->n; i++) {
            if (strcmp(spec->fields[i].name, key) == 0) {
                f = &spec->fields[i];
                break;
            }
        }
        if (!f)
            return unknown_field(p, path, key, spec);
        switch (f->type) {
        case F_QTY:
            rc = parse_qty(p, path, v, f, (mt_q *)((char *)p->in + f->off));
            break;
        case F_INT:
            rc = parse_int(p, path, v, f, (int *)((char *)p->in + f->off));
            break;
        case F_ENUM:
            rc = parse_enum(p, path, v, f, (int *)((char *)p->in + f->off));
            break;
        case F_TRIALS:
            rc = parse_trials(p, path, v, f);
            break;
        case F_OBJECT:
            if (json_is_null(v))
                break;
            if (!json_is_object(v))
                return fail(p, path, "expected an object, got %s", json_type_name(v));
            rc = parse_object(p, v, f->child);
            break;
        }
        if (rc)
            return rc;
    }
    return MT_OK;
}

/* ---- post-checks: rules that tie fields together ----------------------- */

static int check_person(parser *p, const json_t *root)
{
    const mt_input *in = p->in;

    if (!json_object_get(root, "person"))
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

static int present(const json_t *obj, const char *key)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    return v && !json_is_null(v);
}

static int check_sarc_f(parser *p, const json_t *root)
{
    mt_input *in = p->in;
    static const char *const item[] = {"strength", "walking", "chair", "stairs", "falls"};
    int i, given = 0;

    for (i = 0; i < MT_SARCF_ITEMS_N; i++)
        given += in->sarc_f[i] >= 0;
    if (present(root, "sarc_f") && !given && in->sarc_f_total < 0)
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
            o += (size_t)snprintf(missing + o, sizeof(missing) - o, "%s%s", o ? ", " : "",
                                  item[i]);
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

static int check_sppb(parser *p, const json_t *sppb)
{
    mt_input *in = p->in;
    int items = in->sppb.balance >= 0 || in->sppb.gait >= 0 || in->sppb.chair >= 0;
    int total = in->sppb.total >= 0;
    int times = in->sppb.side_by_side.state || in->sppb.semi_tandem.state ||
                in->sppb.tandem.state || in->sppb.walk.state || in->sppb.chair_5x.state;

    if (!sppb || json_is_null(sppb))
        return MT_OK;
    if (items + total + times > 1)
        return fail(p, "measurements.sppb",
                    "give item scores {balance, gait, chair}, a total, "
                    "or raw times, not a mix");
    if (json_object_get(sppb, "walk_4m") && json_object_get(sppb, "walk_3m"))
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
        in->sppb.walk_course_m = json_object_get(sppb, "walk_3m") ? 3 : 4;
        in->sppb.form = MT_SPPB_TIMES;
    } else {
        return fail(p, "measurements.sppb",
                    "empty; give item scores {balance, gait, chair}, a "
                    "total, or raw times");
    }
    return MT_OK;
}

static int check_measurements(parser *p, const json_t *m)
{
    mt_input *in = p->in;

    if (!m || json_is_null(m))
        return MT_OK;
    if (json_object_get(m, "grip") && json_object_get(m, "grip_trials") &&
        !json_is_null(json_object_get(m, "grip")) &&
        !json_is_null(json_object_get(m, "grip_trials")))
        return fail(p, "measurements.grip_trials",
                    "give grip (the best reading) or "
                    "grip_trials (every reading), not both");
    if (in->gait_speed.state && (in->walk_distance.state || in->walk_time.state))
        return fail(p, "measurements.walk", "give gait_speed or walk {distance, time}, not both");
    if (present(m, "walk") && !in->walk_distance.state && !in->walk_time.state)
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
    if (present(m, "bia")) {
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
    return check_sppb(p, json_object_get(m, "sppb"));
}

/* ---- entry point ------------------------------------------------------ */

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
}

static int json_failure(parser *p, const json_error_t *je)
{
    switch (json_error_code(je)) {
    case json_error_invalid_utf8:
        return fail(p, "", "not valid UTF-8 (byte %d): %s", je->position, je->text);
    case json_error_stack_overflow:
        return fail(p, "", "nested too deeply (more than %d levels)", JSON_PARSER_MAX_DEPTH);
    case json_error_out_of_memory:
        if (p->err)
            p->err->code = MT_ENOMEM;
        return MT_ENOMEM;
    default:
        return fail(p, "", "invalid JSON at line %d, column %d: %s", je->line, je->column,
                    je->text);
    }
}

int mt_input_parse_json(mt_input **out, const char *json, size_t len, mt_error *err)
{
    parser p;
    mt_input *in = NULL;
    json_t *root = NULL;
    json_error_t je;
    size_t i;
    int rc;

    if (!out || (!json && len))
        return MT_EUSAGE;
    *out = NULL;
    p.err = err;
    p.in = NULL;
    if (len > MT_MAX_INPUT) {
        fail(&p, "", "document is larger than the limit of 1 MiB (%u bytes)",
             MT_MAX_INPUT);
        if (err)
            err->code = MT_ETOOBIG;
        return MT_ETOOBIG;
    }
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

    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return json_failure(&p, &je);

    in = malloc(sizeof(*in));
    if (!in) {
        rc = MT_ENOMEM;
        goto done;
    }
    init_input(in);
    p.in = in;
    rc = parse_object(&p, root, &top_spec);
    if (!rc)
        rc = check_person(&p, root);
    if (!rc)
        rc = check_sarc_f(&p, root);
    if (!rc)
        rc = check_measurements(&p, json_object_get(root, "measurements"));
    if (!rc) {
        *out = in;
        in = NULL;
    }
done:
    if (rc == MT_ENOMEM && err) {
        err->code = MT_ENOMEM;
        err->field[0] = '\0';
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
    free(in);
    json_decref(root);
    return rc;
}

void mt_input_free(mt_input *in)
{
    free(in);
}

const char *mt_bia_equation_id(int eq)
{
    return (eq >= 0 && eq < MT_BIA_N) ? bia_eq_words[eq] : "";
}
