/*
 * parse.c - read and validate a tracking document (docs/tracking.md), or one
 * session or check-in, into records.
 *
 * Like the assessment parser (input/document.c), the schema is a set of
 * static field tables, one per kind of object, applied by one streaming yajl
 * pass: every field gets the same checks (type, range, duplicates, unknown
 * keys with "did you mean"), and every error is one line that starts with the
 * full path ("sessions[2].pain") and says what is accepted. The assessment
 * document inside each assessment, and a check-in's symptoms, are not read
 * here: their byte span is captured (yajl_get_bytes_consumed at their '{' and
 * '}') and handed, once complete, to the engine's own parser, whose error
 * path gets this document's path in front ("assessments[1].document.
 * measurements.grip"). So errors come in document order, syntax errors first.
 *
 * What ties records together is checked once the document is read: `today`
 * present, no date after it, ids unique in their list (and a check-in's id
 * not a session's: alert keys are made from them). Then each list is sorted
 * by date, keeping the document's order on the same day.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "error.h"
#include "text.h"
#include "input/suggest.h"
#include "tracking/tracking.h"

/* ---- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int days_from_civil(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tr_date_parse(const char *s, size_t len)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, i;

    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
        return -1;
    return days_from_civil(y, m, d);
}

void tr_date_str(int days, char out[11])
{
    int z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);

    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0; /* never from a parsed date */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* ---- the schema ------------------------------------------------------------ */

typedef enum {
    TF_DATE,     /* "YYYY-MM-DD": int days */
    TF_ID,       /* 1-32 of [A-Za-z0-9_-]: char[] */
    TF_INT,      /* a whole number min..max: int */
    TF_NUM,      /* a number min..max: double (NAN when null) */
    TF_BOOL,     /* int 0/1 */
    TF_TEXT,     /* free text up to max characters: not kept */
    TF_SEX,      /* "female" / "male": int */
    TF_MOVEMENT, /* an exercise id of the ladder: const mt_movement * */
    TF_LIST,     /* a list of objects of kind `child`, min..max items */
    TF_KEYS,     /* a list of alert keys (cleared), min..max items */
    TF_DOCUMENT, /* an assessment document: parsed by the engine */
    TF_SYMPTOMS  /* an assessment document's symptoms section: parsed and triaged */
} tf_type;

enum { O_TOP, O_ASSESSMENT, O_SESSION, O_EXERCISE, O_CHECKIN, O_N };

typedef struct tfield {
    const char *name;
    tf_type type;
    size_t off; /* offset of the value in the record */
    double min, max;
    const char *label; /* what the number counts, for messages */
    int child;         /* TF_LIST: O_* of the items */
    int required;
} tfield;

typedef struct tspec {
    const tfield *fields;
    size_t n;
} tspec;

#define F(nm, ty, st, mem, lo, hi, lab, req)                                                       \
    {                                                                                              \
        nm, ty, offsetof(st, mem), lo, hi, lab, 0, req                                             \
    }
#define LIST(nm, ty, child_, lo, hi, req)                                                          \
    {                                                                                              \
        nm, ty, 0, lo, hi, NULL, child_, req                                                       \
    }
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const tfield top_fields[] = {
    F("today", TF_DATE, tr_doc, today, 0, 0, NULL, 1),
    F("sex", TF_SEX, tr_doc, sex, 0, 0, NULL, 0),
    LIST("assessments", TF_LIST, O_ASSESSMENT, 0, TR_MAX_ASSESS, 0),
    LIST("sessions", TF_LIST, O_SESSION, 0, TR_MAX_RECORDS, 0),
    LIST("checkins", TF_LIST, O_CHECKIN, 0, TR_MAX_RECORDS, 0),
    LIST("cleared", TF_KEYS, 0, 0, TR_MAX_CLEARED, 0),
};

static const tfield assessment_fields[] = {
    F("id", TF_ID, tr_assessment, id, 1, TR_ID_MAX, NULL, 1),
    F("date", TF_DATE, tr_assessment, date, 0, 0, NULL, 1),
    F("document", TF_DOCUMENT, tr_assessment, in, 0, 0, NULL, 1),
};

/* Pain and effort are whole points of a 0-10 scale (the numeric rating scale
 * and the RPE scale are read in whole points): 7.5 is refused. */
static const tfield session_fields[] = {
    F("id", TF_ID, tr_session, id, 1, TR_ID_MAX, NULL, 1),
    F("date", TF_DATE, tr_session, date, 0, 0, NULL, 1),
    F("effort", TF_INT, tr_session, effort, 1, 10, "(effort out of 10)", 1),
    F("pain", TF_INT, tr_session, pain, 0, 10, "(pain out of 10)", 1),
    LIST("exercises", TF_LIST, O_EXERCISE, 1, TR_MAX_EX, 1),
    F("note", TF_TEXT, tr_session, id, 0, TR_NOTE_MAX, NULL, 0),
};

static const tfield exercise_fields[] = {
    F("id", TF_MOVEMENT, tr_exercise, mv, 0, 0, NULL, 1),
    F("level", TF_INT, tr_exercise, level, 1, 6, "(level of the exercise's ladder)", 1),
    F("sets", TF_INT, tr_exercise, sets, 1, 10, "sets", 1),
    F("reps", TF_INT, tr_exercise, reps, 0, 100, "repetitions (in the last set)", 0),
    F("load_kg", TF_NUM, tr_exercise, load_kg, 0, 300, "kg", 0),
    F("hold_seconds", TF_NUM, tr_exercise, hold_s, 0, 600, "s", 0),
};

static const tfield checkin_fields[] = {
    F("id", TF_ID, tr_checkin, id, 1, TR_ID_MAX, NULL, 1),
    F("date", TF_DATE, tr_checkin, date, 0, 0, NULL, 1),
    F("pain", TF_INT, tr_checkin, pain, 0, 10, "(pain out of 10)", 0),
    F("fall", TF_BOOL, tr_checkin, fall, 0, 0, NULL, 0),
    F("symptoms", TF_SYMPTOMS, tr_checkin, has_symptoms, 0, 0, NULL, 0),
    F("note", TF_TEXT, tr_checkin, id, 0, TR_NOTE_MAX, NULL, 0),
};

static const tspec specs[O_N] = {
    [O_TOP] = {top_fields, N_OF(top_fields)},
    [O_ASSESSMENT] = {assessment_fields, N_OF(assessment_fields)},
    [O_SESSION] = {session_fields, N_OF(session_fields)},
    [O_EXERCISE] = {exercise_fields, N_OF(exercise_fields)},
    [O_CHECKIN] = {checkin_fields, N_OF(checkin_fields)},
};

/* ---- the parser's state ----------------------------------------------------- */

/* One open container of the schema. */
typedef struct tframe {
    int kind;            /* O_* of an object; -1 for a list */
    const tfield *field; /* objects: the member being read; lists: the list's field */
    void *rec;           /* objects: the record filled */
    unsigned seen, given;
    int n_items; /* lists */
    size_t path_len;
} tframe;

#define MAX_FRAMES  6  /* top > sessions > [i] > exercises > [j]: this deep */
#define MAX_NESTING 72 /* an assessment document (64 levels) inside its three containers */

typedef struct tparser {
    tr_doc *doc;
    mt_error *err;
    yajl_handle h;
    const char *json; /* the text given to yajl, for the spans */
    int single;       /* parsing one session or check-in (no id, no list) */
    int today;        /* single: the caller's today, -1 none */
    void *single_rec;
    tframe stack[MAX_FRAMES];
    int depth;
    int nesting;
    int skipping; /* a content error is recorded: only syntax is checked on */
    int fatal;    /* nesting too deep or out of memory: stop now */
    int nomem;
    /* the span of a document or symptoms object being captured */
    int span_depth; /* open containers inside it; 0 when not in a span */
    size_t span_start;
    char path[160];
} tparser;

enum { GO_ON = 1, STOP = 0 };

/* ---- errors -------------------------------------------------------------------- */

static int fail(tparser *p, const char *path, const char *fmt, ...) MT_PRINTF(3, 4);

static int fail(tparser *p, const char *path, const char *fmt, ...)
{
    char body[sizeof(p->err->message)];
    va_list ap;

    p->skipping = 1;
    if (!p->err)
        return MT_EINVAL;
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    return mt_error_set(p->err, MT_EINVAL, path, "%s: %s", path[0] ? path : "input", body);
}

/* A number as a message shows it: every digit of the value, no exponent for
 * the usual ones. */
static void fmt_num(char *dst, size_t cap, double v)
{
    snprintf(dst, cap, "%.12g", v);
}

typedef enum { V_NULL, V_BOOL, V_NUMBER, V_STRING, V_OBJECT, V_LIST } vtype;
typedef struct tvalue {
    vtype type;
    double num;
    const char *s;
    size_t len;
} tvalue;

static const char *type_name(const tvalue *v)
{
    static const char *const names[] = {"null",     "false",     "a number",
                                        "a string", "an object", "a list"};
    return v->type == V_BOOL && v->num != 0 ? "true" : names[v->type];
}

/* What a field accepts, for "required" and type messages. */
static void accepted(char *dst, size_t cap, const tfield *f)
{
    switch (f->type) {
    case TF_DATE:
        snprintf(dst, cap, "a date YYYY-MM-DD");
        return;
    case TF_ID:
        snprintf(dst, cap, "1 to %d letters, digits, _ or -", TR_ID_MAX);
        return;
    case TF_INT:
        snprintf(dst, cap, "a whole number %g to %g %s", f->min, f->max, f->label);
        return;
    case TF_NUM:
        snprintf(dst, cap, "a number %g to %g %s, or null", f->min, f->max, f->label);
        return;
    case TF_BOOL:
        snprintf(dst, cap, "true or false");
        return;
    case TF_TEXT:
        snprintf(dst, cap, "text of up to %g characters", f->max);
        return;
    case TF_SEX:
        snprintf(dst, cap, "female, male");
        return;
    case TF_MOVEMENT: {
        char ids[512];
        mt_movement_ids(ids, sizeof(ids));
        snprintf(dst, cap, "one of %s", ids);
        return;
    }
    case TF_LIST:
        snprintf(dst, cap, "a list of %g to %g objects", f->min, f->max);
        return;
    case TF_KEYS:
        snprintf(dst, cap, "a list of alert keys (up to %d characters each)", TR_KEY_MAX);
        return;
    case TF_DOCUMENT:
        snprintf(dst, cap, "an assessment document (an object, docs/input.md)");
        return;
    case TF_SYMPTOMS:
        snprintf(dst, cap, "an object of symptoms, as in an assessment document");
        return;
    }
}

static int wrong_type(tparser *p, const tfield *f, const tvalue *v)
{
    char acc[640];

    accepted(acc, sizeof(acc), f);
    return fail(p, p->path, "expected %s, got %s", acc, type_name(v));
}

/* ---- paths ------------------------------------------------------------------------ */

static void path_key(tparser *p, const char *key, size_t len)
{
    size_t o = p->stack[p->depth - 1].path_len, i;

    p->path[o] = '\0';
    if (o && o < sizeof(p->path) - 1)
        p->path[o++] = '.';
    if (len > sizeof(p->path) - 1 - o)
        len = sizeof(p->path) - 1 - o;
    for (i = 0; i < len; i++) /* a control byte in a key must not break the line */
        p->path[o + i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
    p->path[o + len] = '\0';
}

/* The path of item i of the list on top of the stack. */
static void path_index(tparser *p, int i)
{
    size_t o = p->stack[p->depth - 1].path_len;

    snprintf(p->path + o, sizeof(p->path) - o, "[%d]", i);
}

/* ---- one value into one field ----------------------------------------------------- */

static int parse_int(tparser *p, const tfield *f, const tvalue *v, int *out)
{
    char shown[40];

    if (v->type != V_NUMBER)
        return wrong_type(p, f, v);
    fmt_num(shown, sizeof(shown), v->num);
    if (v->num != floor(v->num))
        return fail(p, p->path, "%s is not accepted; accepted: a whole number %g to %g %s", shown,
                    f->min, f->max, f->label);
    if (v->num < f->min || v->num > f->max)
        return fail(p, p->path, "%s is outside the accepted range %g to %g %s", shown, f->min,
                    f->max, f->label);
    *out = (int)v->num;
    return MT_OK;
}

static int parse_num(tparser *p, const tfield *f, const tvalue *v, double *out)
{
    char shown[40];
    double x;

    if (v->type != V_NUMBER)
        return wrong_type(p, f, v);
    x = mt_round4(v->num);
    if (!(x >= f->min && x <= f->max)) {
        fmt_num(shown, sizeof(shown), x);
        return fail(p, p->path, "%s %s is outside the accepted range %g to %g %s", shown, f->label,
                    f->min, f->max, f->label);
    }
    *out = x;
    return MT_OK;
}

static int parse_date(tparser *p, const tfield *f, const tvalue *v, int *out)
{
    char shown[48];
    int d;

    if (v->type != V_STRING)
        return wrong_type(p, f, v);
    d = tr_date_parse(v->s, v->len);
    if (d < 0) {
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        return fail(p, p->path, "%s is not a real date; accepted: a date YYYY-MM-DD from 1900 on",
                    shown);
    }
    *out = d;
    return MT_OK;
}

static int id_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-';
}

static int parse_id(tparser *p, const tfield *f, const tvalue *v, char *out)
{
    char shown[48];
    size_t i;

    if (v->type != V_STRING)
        return wrong_type(p, f, v);
    for (i = 0; i < v->len && id_char((unsigned char)v->s[i]); i++)
        ;
    if (v->len == 0 || v->len > TR_ID_MAX || i < v->len) {
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        return fail(p, p->path, "%s is not accepted; accepted: 1 to %d letters, digits, _ or -",
                    shown, TR_ID_MAX);
    }
    memcpy(out, v->s, v->len);
    out[v->len] = '\0';
    return MT_OK;
}

/* Free text (a note): at most f->max characters; control characters other
 * than newline, carriage return (CRLF line ends, as forms send them) and tab,
 * C1 controls and lone surrogates are refused. Not kept:
 * the engine never shows it. */
static int parse_text(tparser *p, const tfield *f, const tvalue *v)
{
    size_t i, chars = 0;

    if (v->type != V_STRING)
        return wrong_type(p, f, v);
    for (i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        unsigned char next = i + 1 < v->len ? (unsigned char)v->s[i + 1] : 0;
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f ||
            (c == 0xC2 && next >= 0x80 && next <= 0x9F) || (c == 0xED && next >= 0xA0))
            return fail(p, p->path,
                        "control or broken characters are not accepted; accepted: text of up "
                        "to %g characters",
                        f->max);
        chars += (c & 0xC0) != 0x80;
    }
    if (chars > (size_t)f->max)
        return fail(p, p->path, "%zu characters is too long; accepted: text of up to %g characters",
                    chars, f->max);
    return MT_OK;
}

static int parse_sex(tparser *p, const tfield *f, const tvalue *v, int *out)
{
    char shown[48];

    if (v->type != V_STRING)
        return wrong_type(p, f, v);
    if (v->len == 6 && memcmp(v->s, "female", 6) == 0)
        *out = MT_FEMALE;
    else if (v->len == 4 && memcmp(v->s, "male", 4) == 0)
        *out = MT_MALE;
    else {
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        return fail(p, p->path, "%s is not accepted; accepted: female, male", shown);
    }
    return MT_OK;
}

static int parse_movement(tparser *p, const tfield *f, const tvalue *v, const mt_movement **out)
{
    char shown[48], acc[640];

    if (v->type != V_STRING)
        return wrong_type(p, f, v);
    *out = mt_movement_find(v->s, v->len);
    if (!*out) {
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        accepted(acc, sizeof(acc), f);
        return fail(p, p->path, "%s is not an exercise of the plan; accepted: %s", shown, acc);
    }
    return MT_OK;
}

/* One alert key of `cleared`: 1-80 printable ASCII characters without spaces. */
static int parse_key(tparser *p, const tvalue *v)
{
    tr_doc *d = p->doc;
    char shown[48];
    size_t i;

    path_index(p, p->stack[p->depth - 1].n_items);
    if (v->type != V_STRING)
        return fail(p, p->path, "expected an alert key (a string), got %s", type_name(v));
    for (i = 0; i < v->len && v->s[i] > 0x20 && v->s[i] < 0x7f; i++)
        ;
    if (v->len == 0 || v->len > TR_KEY_MAX || i < v->len) {
        mt_text_shown(shown, sizeof(shown), v->s, v->len, 1);
        return fail(p, p->path,
                    "%s is not accepted; accepted: an alert key of 1 to %d characters, such as "
                    "\"fall:c3\"",
                    shown, TR_KEY_MAX);
    }
    if (d->n_cleared == d->cap_cleared) {
        size_t cap = d->cap_cleared ? d->cap_cleared * 2 : 16;
        void *q = realloc(d->cleared, cap * sizeof(*d->cleared));
        if (!q) {
            p->nomem = p->fatal = 1;
            return MT_ENOMEM;
        }
        d->cleared = q;
        d->cap_cleared = cap;
    }
    memcpy(d->cleared[d->n_cleared], v->s, v->len);
    d->cleared[d->n_cleared][v->len] = '\0';
    d->n_cleared++;
    return MT_OK;
}

/* A scalar (or a container that no schema row takes) at the current position. */
static int on_value(tparser *p, const tvalue *v)
{
    tframe *fr = &p->stack[p->depth - 1];
    const tfield *f = fr->field;
    void *slot;

    if (fr->kind < 0) { /* an item of a list */
        if (f->type == TF_KEYS)
            parse_key(p, v);
        else {
            path_index(p, fr->n_items);
            fail(p, p->path, "expected an object, got %s", type_name(v));
        }
        fr->n_items++;
        return p->fatal ? STOP : GO_ON;
    }
    if (v->type == V_NULL) /* not given: "required" is said when the object closes */
        return GO_ON;
    fr->given |= 1u << (f - specs[fr->kind].fields);
    slot = (char *)fr->rec + f->off;
    switch (f->type) {
    case TF_DATE:
        parse_date(p, f, v, slot);
        break;
    case TF_ID:
        parse_id(p, f, v, slot);
        break;
    case TF_INT:
        parse_int(p, f, v, slot);
        break;
    case TF_NUM:
        parse_num(p, f, v, slot);
        break;
    case TF_BOOL:
        if (v->type != V_BOOL)
            wrong_type(p, f, v);
        else
            *(int *)slot = v->num != 0;
        break;
    case TF_TEXT:
        parse_text(p, f, v);
        break;
    case TF_SEX:
        parse_sex(p, f, v, slot);
        break;
    case TF_MOVEMENT:
        parse_movement(p, f, v, slot);
        break;
    case TF_LIST:
    case TF_KEYS:
    case TF_DOCUMENT:
    case TF_SYMPTOMS:
        wrong_type(p, f, v);
        break;
    }
    return GO_ON;
}

/* ---- records ------------------------------------------------------------------------ */

/* Grow a list by one zeroed record; NULL when out of memory. */
static void *append(void **arr, size_t *n, size_t *cap, size_t size)
{
    char *a;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *q = realloc(*arr, ncap * size);
        if (!q)
            return NULL;
        *arr = q;
        *cap = ncap;
    }
    a = (char *)*arr + *n * size;
    memset(a, 0, size);
    (*n)++;
    return a;
}

static void init_session(tr_session *s)
{
    s->date = s->effort = s->pain = -1;
}

static void init_exercise(tr_exercise *x)
{
    x->level = x->sets = x->reps = -1;
    x->load_kg = x->hold_s = NAN;
}

static void init_checkin(tr_checkin *c)
{
    c->date = c->pain = -1;
    c->level = LEVEL_SELF_CARE;
    c->n_reasons = 1;
    c->reasons[0] = RF_NONE;
}

/* The new record an item of list field `f` fills, or NULL (out of memory). */
static void *new_item(tparser *p, tframe *list, int i)
{
    tr_doc *d = p->doc;
    void *rec = NULL;

    switch (list->field->child) {
    case O_ASSESSMENT:
        rec = append((void **)&d->a, &d->n_a, &d->cap_a, sizeof(*d->a));
        if (rec) {
            ((tr_assessment *)rec)->order = i;
            ((tr_assessment *)rec)->date = -1;
        }
        break;
    case O_SESSION:
        rec = append((void **)&d->s, &d->n_s, &d->cap_s, sizeof(*d->s));
        if (rec) {
            init_session(rec);
            ((tr_session *)rec)->order = i;
        }
        break;
    case O_CHECKIN:
        rec = append((void **)&d->c, &d->n_c, &d->cap_c, sizeof(*d->c));
        if (rec) {
            init_checkin(rec);
            ((tr_checkin *)rec)->order = i;
        }
        break;
    case O_EXERCISE: { /* the stack: ... > session > exercises (the top) */
        tr_session *s = p->stack[p->depth - 2].rec;
        rec = &s->ex[s->n_ex++];
        init_exercise(rec);
        break;
    }
    }
    return rec;
}

/* ---- the spans: an assessment document, a check-in's symptoms ------------------------- */

/* Put `prefix` in front of an error of the engine's parser:
 * "measurements.grip: ..." -> "assessments[1].document.measurements.grip: ...". */
static int prefixed(tparser *p, const char *prefix, const mt_error *inner, int rc)
{
    const char *msg = inner->message;
    char field[sizeof(inner->field) + sizeof(p->path)];
    size_t n = strlen(inner->field);

    if (rc == MT_ENOMEM) {
        p->nomem = p->fatal = 1;
        return rc;
    }
    if (n && strncmp(msg, inner->field, n) == 0 && msg[n] == ':')
        msg += n + 2;
    else if (strncmp(msg, "input: ", 7) == 0)
        msg += 7;
    if (n)
        snprintf(field, sizeof(field), "%s%s%s", prefix, prefix[0] ? "." : "", inner->field);
    else
        snprintf(field, sizeof(field), "%s", p->path);
    return fail(p, field, "%s", msg);
}

static int close_document(tparser *p, tframe *fr, const char *span, size_t len)
{
    tr_assessment *a = fr->rec;
    mt_error inner = {0, "", ""};
    int rc = mt_input_parse_json(&a->in, span, len, &inner);

    return rc == MT_OK ? MT_OK : prefixed(p, p->path, &inner, rc == MT_ETOOBIG ? MT_EINVAL : rc);
}

/* The symptoms are read as the assessment document {"symptoms": ...} and
 * triaged like mt_triage_check() does. */
static int close_symptoms(tparser *p, tframe *fr, const char *span, size_t len)
{
    static const char head[] = "{\"symptoms\":";
    tr_checkin *c = fr->rec;
    mt_error inner = {0, "", ""};
    mt_input *in = NULL;
    mt_triage t;
    char *doc;
    int rc;

    doc = malloc(sizeof(head) + len + 1);
    if (!doc) {
        p->nomem = p->fatal = 1;
        return MT_ENOMEM;
    }
    memcpy(doc, head, sizeof(head) - 1);
    memcpy(doc + sizeof(head) - 1, span, len);
    doc[sizeof(head) - 1 + len] = '}';
    rc = mt_input_parse_partial(&in, doc, sizeof(head) + len, &inner);
    free(doc);
    if (rc != MT_OK) { /* the field starts with "symptoms": the check-in's path goes in front */
        char prefix[sizeof(p->path)];
        snprintf(prefix, sizeof(prefix), "%.*s", (int)fr->path_len, p->path);
        return prefixed(p, prefix, &inner, rc == MT_ETOOBIG ? MT_EINVAL : rc);
    }
    rc = mt_triage_symptoms(in, &t);
    mt_input_free(in);
    if (rc != MT_OK) {
        p->nomem = p->fatal = 1;
        return rc;
    }
    c->has_symptoms = 1;
    c->level = t.level;
    c->n_reasons = t.n;
    memcpy(c->reasons, t.reasons, sizeof(c->reasons));
    return MT_OK;
}

/* ---- required fields and the checks of one record -------------------------------------- */

static int check_object(tparser *p, tframe *fr)
{
    const tspec *sp = &specs[fr->kind];
    size_t i, base = fr->path_len;
    char acc[640];

    for (i = 0; i < sp->n; i++) {
        const tfield *f = &sp->fields[i];
        if (!f->required || (fr->given & (1u << i)) || (f->type == TF_ID && p->single))
            continue;
        if (fr->kind == O_TOP)
            continue; /* `today`: checked once the whole document is read */
        p->path[base] = '\0';
        path_key(p, f->name, strlen(f->name));
        accepted(acc, sizeof(acc), f);
        return fail(p, p->path, "required; accepted: %s", acc);
    }
    p->path[base] = '\0';
    if (fr->kind == O_EXERCISE) {
        tr_exercise *x = fr->rec;
        tr_session *s = p->stack[p->depth - 3].rec;
        const mt_movement *mv = x->mv;
        int k;

        if (x->level > mv->n_levels) {
            path_key(p, "level", 5);
            return fail(p, p->path, "%d is outside the accepted range 1 to %d (the levels of %s)",
                        x->level, mv->n_levels, mv->id);
        }
        if (mv->dose == DOSE_REPS && x->reps < 0) {
            path_key(p, "reps", 4);
            return fail(p, p->path,
                        "required for %s; accepted: a whole number 0 to 100 repetitions (in the "
                        "last set)",
                        mv->id);
        }
        if (mv->dose == DOSE_HOLD && isnan(x->hold_s)) {
            path_key(p, "hold_seconds", 12);
            return fail(p, p->path, "required for %s (a hold); accepted: a number 0 to 600 s",
                        mv->id);
        }
        for (k = 0; k < s->n_ex - 1; k++)
            if (s->ex[k].mv == mv) {
                path_key(p, "id", 2);
                return fail(p, p->path,
                            "\"%s\" is already logged in this session (exercises[%d]); log each "
                            "exercise once, with its last set",
                            mv->id, k);
            }
    }
    return MT_OK;
}

/* ---- the JSON stream (yajl callbacks) -------------------------------------------------- */

static int open_container(tparser *p, int is_object)
{
    tframe *fr, *nf;
    void *rec;

    if (++p->nesting > MAX_NESTING) {
        fail(p, "", "nested too deeply (more than %d levels)", MAX_NESTING);
        p->fatal = 1;
        return STOP;
    }
    if (p->skipping)
        return GO_ON;
    if (p->span_depth) {
        p->span_depth++;
        return GO_ON;
    }
    if (p->depth == 0) { /* the document itself (a '{': checked before parsing) */
        nf = &p->stack[0];
        memset(nf, 0, sizeof(*nf));
        if (p->single) {
            nf->kind = p->single;
            nf->rec = p->single_rec;
        } else {
            nf->kind = O_TOP;
            nf->rec = p->doc;
        }
        p->depth = 1;
        return GO_ON;
    }
    fr = &p->stack[p->depth - 1];
    if (fr->kind >= 0) { /* a member's value */
        const tfield *f = fr->field;
        tvalue v = {is_object ? V_OBJECT : V_LIST, 0, NULL, 0};
        if (is_object && (f->type == TF_DOCUMENT || f->type == TF_SYMPTOMS)) {
            fr->given |= 1u << (f - specs[fr->kind].fields);
            p->span_depth = 1;
            p->span_start = yajl_get_bytes_consumed(p->h) - 1;
            return GO_ON;
        }
        if (!is_object && (f->type == TF_LIST || f->type == TF_KEYS)) {
            fr->given |= 1u << (f - specs[fr->kind].fields);
            nf = &p->stack[p->depth++];
            memset(nf, 0, sizeof(*nf));
            nf->kind = -1;
            nf->field = f;
            nf->path_len = strlen(p->path);
            return GO_ON;
        }
        on_value(p, &v);
        return GO_ON;
    }
    /* an item of a list */
    if (!is_object || fr->field->type != TF_LIST) {
        tvalue v = {is_object ? V_OBJECT : V_LIST, 0, NULL, 0};
        on_value(p, &v);
        return GO_ON;
    }
    path_index(p, fr->n_items);
    if (fr->n_items >= (int)fr->field->max) {
        fail(p, p->path, "too many items; accepted: %g to %g", fr->field->min, fr->field->max);
        return GO_ON;
    }
    rec = new_item(p, fr, fr->n_items); /* before the push: new_item reads the stack */
    if (!rec) {
        p->nomem = p->fatal = 1;
        return STOP;
    }
    fr->n_items++;
    nf = &p->stack[p->depth++];
    memset(nf, 0, sizeof(*nf));
    nf->kind = fr->field->child;
    nf->rec = rec;
    nf->path_len = strlen(p->path);
    return GO_ON;
}

static int close_container(tparser *p)
{
    tframe *fr;

    p->nesting--;
    if (p->skipping)
        return GO_ON;
    fr = &p->stack[p->depth - 1];
    if (p->span_depth) {
        if (--p->span_depth == 0) {
            size_t end = yajl_get_bytes_consumed(p->h);
            const char *span = p->json + p->span_start;
            size_t len = end - p->span_start;
            if (fr->field->type == TF_DOCUMENT)
                close_document(p, fr, span, len);
            else
                close_symptoms(p, fr, span, len);
        }
        return p->fatal ? STOP : GO_ON;
    }
    if (fr->kind >= 0)
        check_object(p, fr);
    else if (fr->n_items < (int)fr->field->min) {
        p->path[fr->path_len] = '\0';
        fail(p, p->path, "%d items; accepted: %g to %g", fr->n_items, fr->field->min,
             fr->field->max);
    }
    p->depth--;
    if (p->depth > 0)
        p->path[p->stack[p->depth - 1].path_len] = '\0';
    return GO_ON;
}

/* "did you mean", or the list of the object's fields. */
static int unknown_key(tparser *p, const tspec *sp, const char *key, size_t len)
{
    const char *names[8] = {NULL};
    char name[64], list[256];
    const char *best;
    size_t i, o = 0, n = 0;

    if (len >= sizeof(name))
        len = sizeof(name) - 1;
    memcpy(name, key, len);
    name[len] = '\0';
    for (i = 0; i < sp->n && n < N_OF(names); i++)
        names[n++] = sp->fields[i].name;
    best = memchr(name, '\0', len) ? NULL : mt_suggest(name, names, n);
    if (best)
        return fail(p, p->path, "unknown field; did you mean %s?", best);
    list[0] = '\0';
    for (i = 0; i < n; i++) {
        int w;
        if (p->single && strcmp(names[i], "id") == 0)
            continue;
        w = snprintf(list + o, sizeof(list) - o, "%s%s", o ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof(list) - o)
            break;
        o += (size_t)w;
    }
    return fail(p, p->path, "unknown field; accepted: %s", list);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
    tparser *p = ctx;
    tframe *fr;
    const tspec *sp;
    size_t i;

    if (p->skipping || p->span_depth)
        return GO_ON;
    fr = &p->stack[p->depth - 1];
    sp = &specs[fr->kind];
    path_key(p, (const char *)key, len);
    for (i = 0; i < sp->n; i++) {
        const tfield *f = &sp->fields[i];
        if (strlen(f->name) != len || memcmp(f->name, key, len) != 0)
            continue;
        if (fr->seen & (1u << i)) {
            fail(p, p->path, "duplicate key");
            return GO_ON;
        }
        if (p->single && p->depth == 1 && f->type == TF_ID) {
            fail(p, p->path, "not accepted here: a record's id is given when it is stored");
            return GO_ON;
        }
        fr->seen |= 1u << i;
        fr->field = f;
        return GO_ON;
    }
    unknown_key(p, sp, (const char *)key, len);
    return GO_ON;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    tparser *p = ctx;
    tvalue v = {V_NUMBER, 0, NULL, 0};

    if (p->skipping || p->span_depth)
        return GO_ON;
    v.num = mt_json_number(s, len);
    if (!isfinite(v.num)) {
        char shown[48];
        mt_text_shown(shown, sizeof(shown), s, len, 1);
        fail(p, p->path, "%s " MT_NUMBER_BEYOND, shown);
        return GO_ON;
    }
    return on_value(p, &v);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    tparser *p = ctx;
    tvalue v = {V_STRING, 0, (const char *)s, len};

    return p->skipping || p->span_depth ? GO_ON : on_value(p, &v);
}

static int cb_boolean(void *ctx, int b)
{
    tparser *p = ctx;
    tvalue v = {V_BOOL, b, NULL, 0};

    return p->skipping || p->span_depth ? GO_ON : on_value(p, &v);
}

static int cb_null(void *ctx)
{
    tparser *p = ctx;
    tvalue v = {V_NULL, 0, NULL, 0};

    return p->skipping || p->span_depth ? GO_ON : on_value(p, &v);
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

static const yajl_callbacks callbacks = {
    cb_null,      cb_boolean, NULL,   NULL,           cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

/* A syntax error from yajl, with its line and column (worded as input/document.c words it). */
static int syntax_error(tparser *p, const char *json, size_t len)
{
    char msg[200];

    mt_json_syntax_message(p->h, json, len, msg, sizeof(msg));
    fail(p, "", "%s", msg);
    return MT_EINVAL;
}

/* One pass of yajl over `json` with the schema of `p`. */
static int run(tparser *p, const char *json, size_t len, size_t max, const char *example)
{
    size_t i;
    int rc = MT_OK;

    if (len > max)
        return mt_error_set(p->err, MT_ETOOBIG, "",
                            "input: document is larger than the limit of %zu bytes", max);
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3; /* a UTF-8 byte-order mark, as some editors write */
        len -= 3;
    }
    for (i = 0; i < len && isspace((unsigned char)json[i]); i++)
        ;
    if (i == len)
        return fail(p, "", "empty document; expected a JSON object such as %s", example);
    if (json[i] != '{')
        return fail(p, "", "expected a JSON object at the top level (starting with '{')");
    p->json = json;
    p->h = yajl_alloc(&callbacks, NULL, p);
    if (!p->h)
        return mt_error_set(p->err, MT_ENOMEM, "", "out of memory");
    if (yajl_parse(p->h, (const unsigned char *)json, len) != yajl_status_ok ||
        yajl_complete_parse(p->h) != yajl_status_ok)
        rc = p->nomem ? MT_ENOMEM : p->fatal ? MT_EINVAL : syntax_error(p, json, len);
    else if (p->skipping)
        rc = MT_EINVAL;
    if (rc == MT_ENOMEM)
        mt_error_set(p->err, MT_ENOMEM, "", "out of memory");
    yajl_free(p->h);
    p->h = NULL;
    return rc;
}

/* ---- checks across records, then the order by date ------------------------------------- */

static int after_today(tparser *p, const char *list, int i, int date, int today)
{
    char d[11], t[11], path[64];

    tr_date_str(date, d);
    tr_date_str(today, t);
    if (list[0])
        snprintf(path, sizeof(path), "%s[%d].date", list, i);
    else
        snprintf(path, sizeof(path), "date");
    return fail(p, path, "%s is after today (%s); accepted: a date up to today", d, t);
}

typedef struct idref {
    const char *id;
    int order;
} idref;

static int by_id(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The first record (in document order) whose id an earlier one already has; -1 none. */
static int first_duplicate(idref *ids, size_t n)
{
    size_t i;
    int first = -1;

    qsort(ids, n, sizeof(*ids), by_id);
    for (i = 1; i < n; i++)
        if (strcmp(ids[i].id, ids[i - 1].id) == 0 && (first < 0 || ids[i].order < first))
            first = ids[i].order;
    return first;
}

#define COLLECT(arr, n, out)                                                                       \
    do {                                                                                           \
        size_t k_;                                                                                 \
        for (k_ = 0; k_ < (n); k_++) {                                                             \
            (out)[k_].id = (arr)[k_].id;                                                           \
            (out)[k_].order = (arr)[k_].order;                                                     \
        }                                                                                          \
    } while (0)

static int check_ids(tparser *p)
{
    tr_doc *d = p->doc;
    size_t n = d->n_a > d->n_s ? d->n_a : d->n_s, i;
    idref *ids;
    int dup, rc = MT_OK;

    if (d->n_c > n)
        n = d->n_c;
    ids = malloc((n ? n : 1) * sizeof(*ids));
    if (!ids)
        return mt_error_set(p->err, MT_ENOMEM, "", "out of memory");
    COLLECT(d->a, d->n_a, ids);
    if ((dup = first_duplicate(ids, d->n_a)) >= 0) {
        char path[48];
        snprintf(path, sizeof(path), "assessments[%d].id", dup);
        rc = fail(p, path,
                  "\"%s\" is already the id of another assessment; ids are unique in "
                  "their list (alert keys are made from them)",
                  d->a[dup].id);
        goto done;
    }
    COLLECT(d->s, d->n_s, ids);
    if ((dup = first_duplicate(ids, d->n_s)) >= 0) {
        char path[48];
        snprintf(path, sizeof(path), "sessions[%d].id", dup);
        rc = fail(p, path,
                  "\"%s\" is already the id of another session; ids are unique in "
                  "their list (alert keys are made from them)",
                  d->s[dup].id);
        goto done;
    }
    /* ids[] now holds the sessions' ids sorted: a check-in may not reuse one */
    for (i = 0; i < d->n_c; i++) {
        size_t lo = 0, hi = d->n_s;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(ids[mid].id, d->c[i].id) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < d->n_s && strcmp(ids[lo].id, d->c[i].id) == 0) {
            char path[48];
            snprintf(path, sizeof(path), "checkins[%zu].id", i);
            rc = fail(p, path,
                      "\"%s\" is already the id of a session; the ids of sessions and check-ins "
                      "must differ (alert keys such as pain:<id> are made from them)",
                      d->c[i].id);
            goto done;
        }
    }
    COLLECT(d->c, d->n_c, ids);
    if ((dup = first_duplicate(ids, d->n_c)) >= 0) {
        char path[48];
        snprintf(path, sizeof(path), "checkins[%d].id", dup);
        rc = fail(p, path,
                  "\"%s\" is already the id of another check-in; ids are unique in "
                  "their list (alert keys are made from them)",
                  d->c[dup].id);
    }
done:
    free(ids);
    return rc;
}

static int by_date_a(const void *x, const void *y)
{
    const tr_assessment *a = x, *b = y;
    return a->date != b->date ? (a->date > b->date) - (a->date < b->date)
                              : (a->order > b->order) - (a->order < b->order);
}

static int by_date_s(const void *x, const void *y)
{
    const tr_session *a = x, *b = y;
    return a->date != b->date ? (a->date > b->date) - (a->date < b->date)
                              : (a->order > b->order) - (a->order < b->order);
}

static int by_date_c(const void *x, const void *y)
{
    const tr_checkin *a = x, *b = y;
    return a->date != b->date ? (a->date > b->date) - (a->date < b->date)
                              : (a->order > b->order) - (a->order < b->order);
}

static int by_key(const void *x, const void *y)
{
    return strcmp(x, y);
}

static int check_document(tparser *p)
{
    tr_doc *d = p->doc;
    size_t i;
    int rc;

    if (d->today < 0)
        return fail(p, "today", "required; accepted: a date YYYY-MM-DD (the day of the answer)");
    for (i = 0; i < d->n_a; i++)
        if (d->a[i].date > d->today)
            return after_today(p, "assessments", (int)i, d->a[i].date, d->today);
    for (i = 0; i < d->n_s; i++)
        if (d->s[i].date > d->today)
            return after_today(p, "sessions", (int)i, d->s[i].date, d->today);
    for (i = 0; i < d->n_c; i++)
        if (d->c[i].date > d->today)
            return after_today(p, "checkins", (int)i, d->c[i].date, d->today);
    rc = check_ids(p);
    if (rc)
        return rc;
    /* records are in document order until here: their order field is their index */
    if (d->n_a) /* qsort's array may not be NULL, even empty */
        qsort(d->a, d->n_a, sizeof(*d->a), by_date_a);
    if (d->n_s)
        qsort(d->s, d->n_s, sizeof(*d->s), by_date_s);
    if (d->n_c)
        qsort(d->c, d->n_c, sizeof(*d->c), by_date_c);
    if (d->n_cleared) /* for tr_cleared's binary search */
        qsort(d->cleared, d->n_cleared, sizeof(*d->cleared), by_key);
    return MT_OK;
}

/* ---- entry points ------------------------------------------------------------------------ */

int tr_parse(tr_doc *d, const char *json, size_t len, mt_error *err)
{
    tparser p;
    int rc;

    memset(&p, 0, sizeof(p));
    p.doc = d;
    p.err = err;
    d->today = -1;
    d->sex = -1;
    rc = run(&p, json, len, MT_MAX_TRACK,
             "{\"today\": \"2026-11-21\", \"assessments\": [], \"sessions\": []}");
    if (rc == MT_OK)
        rc = check_document(&p);
    return rc;
}

static int parse_one(int kind, void *rec, const char *json, size_t len, int today, mt_error *err)
{
    tr_doc none;
    tparser p;
    int rc, date;

    memset(&p, 0, sizeof(p));
    memset(&none, 0, sizeof(none));
    p.doc = &none;
    p.err = err;
    p.single = kind;
    p.single_rec = rec;
    rc = run(&p, json, len, MT_MAX_INPUT, "{\"date\": \"2026-11-21\", ...}");
    date = kind == O_SESSION ? ((tr_session *)rec)->date : ((tr_checkin *)rec)->date;
    if (rc == MT_OK && today >= 0 && date > today)
        rc = after_today(&p, "", 0, date, today);
    return rc;
}

int tr_parse_session(tr_session *s, const char *json, size_t len, int today, mt_error *err)
{
    memset(s, 0, sizeof(*s));
    init_session(s);
    return parse_one(O_SESSION, s, json, len, today, err);
}

int tr_parse_checkin(tr_checkin *c, const char *json, size_t len, int today, mt_error *err)
{
    memset(c, 0, sizeof(*c));
    init_checkin(c);
    return parse_one(O_CHECKIN, c, json, len, today, err);
}

void tr_doc_free(tr_doc *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->n_a; i++)
        mt_input_free(d->a[i].in);
    free(d->a);
    free(d->s);
    free(d->c);
    free(d->cleared);
    memset(d, 0, sizeof(*d));
}

int tr_cleared(const tr_doc *d, const char *key)
{
    return d->n_cleared && bsearch(key, d->cleared, d->n_cleared, sizeof(*d->cleared), by_key);
}
