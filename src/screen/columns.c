/*
 * columns.c - the map from a cohort file's columns to a person's fields
 * (columns.h; the format is in docs/screen.md).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "input/input.h"
#include "screen/columns.h"
#include "text.h"

/* NHANES names (2013-2014 and the cycles around it): DEMO (sex, age, the
 * examination weight and design), BMX (height, weight), MGX (the six grip
 * trials: the best counts), DXX (appendicular lean mass, grams, when the DXA
 * file is joined). Entries marked optional are left out when the file lacks
 * their columns. */
static const char nhanes_preset[] =
    "{\"id\": \"SEQN\", \"survey_weight\": \"WTMEC2YR\", \"strata\": \"SDMVSTRA\","
    " \"psu\": \"SDMVPSU\", \"fields\": {"
    " \"sex\": {\"column\": \"RIAGENDR\", \"codes\": {\"1\": \"male\", \"2\": \"female\"}},"
    " \"age\": \"RIDAGEYR\","
    " \"height\": \"BMXHT\","
    " \"weight\": \"BMXWT\","
    " \"grip\": {\"max_of\": [\"MGXH1T1\", \"MGXH1T2\", \"MGXH1T3\", \"MGXH2T1\", \"MGXH2T2\","
    " \"MGXH2T3\"]},"
    " \"asm\": {\"sum_of\": [\"DXDLALE\", \"DXDRALE\", \"DXDLLLE\", \"DXDRLLE\"], \"unit\": \"g\","
    " \"method\": \"dxa\", \"optional\": true}"
    "}}";

static const struct {
    const char *name, *map;
} presets[] = {{"nhanes", nhanes_preset}};

const char *columns_preset(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
        if (strcmp(presets[i].name, name) == 0)
            return presets[i].map;
    return NULL;
}

const char *columns_preset_names(void)
{
    return "nhanes";
}

/* A column name for a one-line message: control bytes as \xNN, long names cut. */
static const char *shown(const char *name, char *buf, size_t n)
{
    mt_text_shown(buf, n, name, strlen(name), 0);
    return buf;
}

static const char *const extra_keys[COL_N_EXTRA] = {"id", "survey_weight", "strata", "psu"};
static const char *const extra_options[COL_N_EXTRA] = {"--id", "--survey-weight", "--strata",
                                                       "--psu"};

static void free_source(col_source *s)
{
    size_t i;

    for (i = 0; i < s->n_cols; i++)
        free(s->names[i]);
    free(s->names);
    free(s->cols);
    free(s->unit);
    for (i = 0; i < s->n_codes; i++) {
        free(s->codes[i].from);
        free(s->codes[i].to);
    }
    free(s->codes);
    free(s->constant);
    free(s->method);
    memset(s, 0, sizeof(*s));
}

void columns_free(columns *c)
{
    size_t i;

    for (i = 0; i < MT_FIELD_COUNT; i++)
        free_source(&c->field[i]);
    for (i = 0; i < COL_N_EXTRA; i++)
        free(c->extra_name[i]);
    for (i = 0; i < c->n_header; i++)
        free(c->header[i]);
    free(c->header);
    free(c->notes);
    memset(c, 0, sizeof(*c));
}

int columns_set_extra(columns *c, int which, const char *name, char *msg, size_t n)
{
    free(c->extra_name[which]);
    c->extra_mapped[which] = 0;
    c->extra_name[which] = strdup(name);
    if (!c->extra_name[which]) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    return 0;
}

void columns_clear_extra(columns *c, int which)
{
    free(c->extra_name[which]);
    c->extra_name[which] = NULL;
    c->extra_mapped[which] = 0;
}

/* The canonical unit of a numeric field, or -1 (age and points take none). */
static int field_unit(int f)
{
    static const char *const labels[] = {"kg", "cm", "m", "s", "m/s", "ohm"};
    const char *label = NULL;
    size_t i;

    if (mt_field_range(f, NULL, NULL, &label) != MT_OK)
        return -1;
    for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i], label) == 0)
            return (int)i; /* mt_unit's order */
    return -1;
}

static int add_col(col_source *s, const char *name)
{
    char **names = realloc(s->names, (s->n_cols + 1) * sizeof(*names));

    if (!names)
        return -1;
    s->names = names;
    if (!(names[s->n_cols] = strdup(name)))
        return -1;
    s->n_cols++;
    return 0;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(msg, n, __VA_ARGS__);                                                             \
        return -1;                                                                                 \
    } while (0)

static int set_cell(mt_row *row, int f, const col_source *s, size_t col, const char *p,
                    size_t len, mt_error *err);

/* A code's value, read into `probe` (the table's) as fill_field reads it (a
 * number in the map's unit, else the text): 0, or -1 with the engine's
 * message in msg, so that a map whose code gives a value no row could take
 * is refused when it is read. */
static int code_check(mt_row *probe, const col_source *s, int f, const char *to, char *msg,
                      size_t n)
{
    mt_error err;
    int rc = set_cell(probe, f, s, 0, to, strlen(to), &err);

    if (rc != MT_OK)
        snprintf(msg, n, "%s", err.message);
    return rc == MT_OK ? 0 : -1;
}

/* A column's name in a map: a text, not empty (a header's empty name, as
 * pandas' index column has, is no column to read). */
static int is_name(const json_t *x)
{
    return json_is_string(x) && json_string_length(x) > 0;
}

/* with_unit: a cell that must take the map's unit but is too long to */
#define TOO_LONG ((size_t)-1)
static size_t with_unit(const col_source *s, const char *p, size_t len, char *buf, size_t n);

/* A map's constant as fill_field sets it: in the map's unit when it has one,
 * as a column's cell would be ("150" with "lb" is "150 lb"; with_unit), then
 * checked once by the engine. 0, or -1 with the reason in why. */
static int constant_check(col_source *s, int f, char *why, size_t n)
{
    char buf[96];
    size_t k = with_unit(s, s->constant, strlen(s->constant), buf, sizeof(buf));
    mt_row *probe = NULL;
    mt_error err;
    int rc;

    if (k == TOO_LONG) {
        snprintf(why, n, "is no number in the map's unit");
        return -1;
    }
    if (k) {
        char *c = malloc(k + 1);
        if (!c) {
            snprintf(why, n, "out of memory");
            return -1;
        }
        memcpy(c, buf, k);
        c[k] = '\0';
        free(s->constant);
        s->constant = c;
    }
    if (mt_row_new(&probe) != MT_OK) {
        snprintf(why, n, "out of memory");
        return -1;
    }
    rc = mt_row_set(probe, f, s->constant, strlen(s->constant), &err);
    if (rc != MT_OK)
        snprintf(why, n, "%s", err.message);
    mt_row_free(probe);
    return rc == MT_OK ? 0 : -1;
}

static int load_field(col_source *s, int f, json_t *v, const char *map, char *msg, size_t n)
{
    const char *fname = mt_field_name(f), *key;
    json_t *x, *cols;
    size_t i;
    int keys = 0;
    char shown_unit[80]; /* a unit or code from the map, for a one-line message */

    free_source(s);
    if (json_is_string(v) && !is_name(v))
        FAIL("%s: fields.%s: expected a column name (a non-empty text)", map, fname);
    if (json_is_string(v)) {
        s->kind = SRC_COLUMN;
        return add_col(s, json_string_value(v)) ? (snprintf(msg, n, "out of memory"), -1) : 0;
    }
    if (!json_is_object(v))
        FAIL("%s: fields.%s: expected a column name or an object with column, max_of, sum_of or "
             "constant",
             map, fname);
    json_object_foreach(v, key, x)
    {
        if (strcmp(key, "column") == 0 || strcmp(key, "max_of") == 0 ||
            strcmp(key, "sum_of") == 0 || strcmp(key, "constant") == 0) {
            keys++;
        } else if (strcmp(key, "unit") != 0 && strcmp(key, "codes") != 0 &&
                   strcmp(key, "method") != 0 && strcmp(key, "optional") != 0) {
            char nm[160];
            FAIL("%s: fields.%s: unknown key \"%s\"; accepted: column, max_of, sum_of, constant, "
                 "unit, codes, method, optional",
                 map, fname, shown(key, nm, sizeof(nm)));
        }
    }
    if (keys != 1)
        FAIL("%s: fields.%s: give exactly one of column, max_of, sum_of or constant", map, fname);
    if ((x = json_object_get(v, "column"))) {
        if (!is_name(x))
            FAIL("%s: fields.%s.column: expected a column name (a non-empty text)", map, fname);
        s->kind = SRC_COLUMN;
        if (add_col(s, json_string_value(x)))
            FAIL("out of memory");
    } else if ((x = json_object_get(v, "constant"))) {
        if (!json_is_string(x) && !json_is_number(x))
            FAIL("%s: fields.%s.constant: expected a value (text or number)", map, fname);
        s->kind = SRC_CONSTANT;
        if (json_is_string(x)) {
            s->constant = strdup(json_string_value(x));
        } else {
            char num[64];
            snprintf(num, sizeof(num), "%.17g", json_number_value(x));
            s->constant = strdup(num);
        }
        if (!s->constant)
            FAIL("out of memory"); /* read with its unit below (constant_check) */
    } else {
        int is_max = json_object_get(v, "max_of") != NULL;
        cols = json_object_get(v, is_max ? "max_of" : "sum_of");
        if (field_unit(f) < 0)
            FAIL("%s: fields.%s: %s needs a measured quantity (%s is not one)", map, fname,
                 is_max ? "max_of" : "sum_of", fname);
        if (!json_is_array(cols) || json_array_size(cols) == 0)
            FAIL("%s: fields.%s.%s: expected a list of column names", map, fname,
                 is_max ? "max_of" : "sum_of");
        s->kind = is_max ? SRC_MAX_OF : SRC_SUM_OF;
        json_array_foreach(cols, i, x)
        {
            if (!is_name(x))
                FAIL("%s: fields.%s: expected column names (non-empty texts) in the list", map,
                     fname);
            if (add_col(s, json_string_value(x)))
                FAIL("out of memory");
        }
    }
    if ((x = json_object_get(v, "unit"))) {
        mt_error err;
        char one[80];
        int u = field_unit(f);
        if (!json_is_string(x))
            FAIL("%s: fields.%s.unit: expected a unit such as \"lb\"", map, fname);
        if (u < 0)
            FAIL("%s: fields.%s.unit: %s takes no unit", map, fname, fname);
        if (strlen(json_string_value(x)) > 24) /* with_unit's room */
            FAIL("%s: fields.%s.unit: expected a unit such as \"lb\" (at most 24 characters)",
                 map, fname);
        double in_canonical;
        snprintf(one, sizeof(one), "1 %s", json_string_value(x)); /* a unit the reader knows */
        if (mt_quantity_parse(one, strlen(one), (mt_unit)u, &in_canonical, &err) != MT_OK)
            FAIL("%s: fields.%s.unit: \"%s\": %s", map, fname,
                 shown(json_string_value(x), shown_unit, sizeof(shown_unit)), err.message);
        if (!(s->unit = strdup(json_string_value(x))))
            FAIL("out of memory");
    }
    if ((x = json_object_get(v, "codes"))) {
        json_t *to;
        mt_row *probe = NULL; /* every code's value read into it (code_check) */
        char why[sizeof(((mt_error *)0)->message)];
        int ok = 1;
        if (!json_is_object(x) || s->kind != SRC_COLUMN)
            FAIL("%s: fields.%s.codes: expected an object {\"code\": \"value\"} on a column", map,
                 fname);
        s->codes = calloc(json_object_size(x) + 1, sizeof(*s->codes));
        if (!s->codes)
            FAIL("out of memory");
        json_object_foreach(x, key, to)
        {
            col_code *cc = &s->codes[s->n_codes++];
            if (!json_is_string(to) && !json_is_null(to))
                FAIL("%s: fields.%s.codes.%s: expected a string (\"male\", \"30\") or null "
                     "(missing)", map, fname, key);
            cc->from = strdup(key);
            cc->to = json_is_string(to) ? strdup(json_string_value(to)) : NULL;
            cc->is_number = columns_plain_number(key, strlen(key), &cc->value) == 0;
            if (!cc->from || (json_is_string(to) && !cc->to))
                FAIL("out of memory");
        }
        for (i = 0; i < s->n_codes; i++) { /* a cell matches a number code by value */
            size_t j;
            for (j = 0; j < i; j++)
                if (s->codes[i].is_number && s->codes[j].is_number &&
                    s->codes[i].value == s->codes[j].value) {
                    char a[48];
                    FAIL("%s: fields.%s.codes: \"%s\" and \"%s\" are the same number (a cell "
                         "matches a number code by its value): keep one",
                         map, fname, shown(s->codes[j].from, a, sizeof(a)),
                         shown(s->codes[i].from, shown_unit, sizeof(shown_unit)));
                }
        }
        if (mt_row_new(&probe) != MT_OK)
            FAIL("out of memory");
        for (i = 0; i < s->n_codes && ok; i++)
            ok = !s->codes[i].to || code_check(probe, s, f, s->codes[i].to, why, sizeof(why)) == 0;
        mt_row_free(probe);
        if (!ok)
            FAIL("%s: fields.%s.codes.%s: %s", map, fname,
                 shown(s->codes[i - 1].from, shown_unit, sizeof(shown_unit)), why);
    }
    if ((x = json_object_get(v, "method"))) {
        if (f != MT_FIELD_ASM)
            FAIL("%s: fields.%s.method: only asm takes a method (dxa or bia)", map, fname);
        if (!json_is_string(x) ||
            (strcmp(json_string_value(x), "dxa") && strcmp(json_string_value(x), "bia")))
            FAIL("%s: fields.%s.method: expected \"dxa\" or \"bia\"", map, fname);
        s->method = strdup(json_string_value(x));
    }
    if (s->kind == SRC_CONSTANT) {
        char why[sizeof(((mt_error *)0)->message)];
        if (constant_check(s, f, why, sizeof(why)) != 0)
            FAIL("%s: fields.%s.constant: %s", map, fname, why);
    }
    return 0;
}

int columns_load(columns *c, const char *json, size_t len, const char *map, char *msg, size_t n)
{
    json_error_t je;
    json_t *root, *fields, *v;
    const char *key;
    int i, rc = 0;

    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark (Notepad) */
        json += 3;
        len -= 3;
    }
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) { /* jansson quotes the map's bytes near the error: a line break among them
                  * would cut the one-line message (fuzz_columns) */
        char text[4 * JSON_ERROR_TEXT_LENGTH];
        FAIL("%s: line %d: %s", map, je.line, shown(je.text, text, sizeof(text)));
    }
    if (!json_is_object(root)) {
        json_decref(root);
        FAIL("%s: expected a JSON object {\"fields\": {...}}", map);
    }
    json_object_foreach(root, key, v)
    {
        int known = strcmp(key, "fields") == 0;
        for (i = 0; i < COL_N_EXTRA && !known; i++)
            if (strcmp(key, extra_keys[i]) == 0) {
                known = 1;
                if (!is_name(v)) {
                    snprintf(msg, n, "%s: %s: expected a column name (a non-empty text)", map,
                             key);
                    rc = -1;
                } else if (!c->extra_name[i]) { /* an option given already wins */
                    rc = columns_set_extra(c, i, json_string_value(v), msg, n);
                    c->extra_mapped[i] = 1;
                }
            }
        if (!known) {
            char nm[160];
            snprintf(msg, n,
                     "%s: unknown key \"%s\"; accepted: fields, id, survey_weight, strata, psu",
                     map, shown(key, nm, sizeof(nm)));
            rc = -1;
        }
        if (rc)
            break;
    }
    fields = json_object_get(root, "fields");
    if (!rc && fields && !json_is_object(fields)) {
        snprintf(msg, n, "%s: fields: expected an object {\"sex\": \"COLUMN\", ...}", map);
        rc = -1;
    }
    if (!rc && fields)
        json_object_foreach(fields, key, v)
        {
            int f = mt_field_lookup(key, strlen(key));
            if (f < 0) {
                char nm[160];
                snprintf(msg, n, "%s: fields: unknown field \"%s\" (the fields are listed by "
                                 "'myotrack screen --help')",
                         map, shown(key, nm, sizeof(nm)));
                rc = -1;
                break;
            }
            if ((rc = load_field(&c->field[f], f, v, map, msg, n)) != 0)
                break;
            json_t *opt = json_object_get(v, "optional");
            if (opt && !json_is_boolean(opt)) {
                snprintf(msg, n, "%s: fields.%s.optional: expected true or false", map, key);
                rc = -1;
                break;
            }
            c->field[f].optional = json_is_true(opt);
        }
    json_decref(root);
    return rc;
}

int columns_find(const columns *c, const char *name)
{
    size_t i;
    int at = -1;

    for (i = 0; i < c->n_header; i++)
        if (strcmp(c->header[i], name) == 0) {
            if (at >= 0)
                return -2;
            at = (int)i;
        }
    return at;
}

const char *columns_twice(const columns *c, const char *name, char *buf, size_t n)
{
    char nm[160];
    size_t i, k = 0, at[2] = {0, 0};

    for (i = 0; i < c->n_header && k < 2; i++)
        if (strcmp(c->header[i], name) == 0)
            at[k++] = i + 1;
    snprintf(buf, n, ": columns %zu and %zu are both named \"%s\"; rename one", at[0], at[1],
             shown(name, nm, sizeof(nm)));
    return buf;
}

/* The column named `name` whatever its case (ASCII letters), when there is
 * exactly one such column (-1: none; -2: several, two[] the first two). */
static int find_any_case(const columns *c, const char *name, int two[2])
{
    size_t i;
    int n = 0;

    for (i = 0; i < c->n_header && n < 2; i++)
        if (strcasecmp(c->header[i], name) == 0)
            two[n++] = (int)i;
    return n == 0 ? -1 : n == 1 ? two[0] : -2;
}

const char *columns_near_name(const columns *c, const char *name, char *buf, size_t n)
{
    char nm[160];
    int two[2], at = find_any_case(c, name, two);

    if (at < 0)
        return "";
    snprintf(buf, n, " (there is \"%s\": names are matched as they are written)",
             shown(c->header[at], nm, sizeof(nm)));
    return buf;
}

/* Does asm's source also write asm_method (its method: fill_field sets it
 * with asm)? Then asm_method is decided by two cells, not its own alone. */
static int asm_writes_method(const columns *c)
{
    return c->field[MT_FIELD_ASM].kind != SRC_NONE && c->field[MT_FIELD_ASM].method != NULL;
}

/* Why the column of field f's own name is not read as f, into buf: the map
 * has it for another field, or it is the survey weight.
 * NULL when it may be f's. (asm_method's own column is read beside a map's
 * asm method: a row's own method, when it has one, wins; docs/screen.md.) */
static const char *claimed(const columns *c, int f, const char *name, char *buf, size_t n)
{
    size_t i;
    int g;

    for (g = 0; g < MT_FIELD_COUNT; g++) {
        const col_source *s = &c->field[g];
        if (g == f || s->kind == SRC_NONE || s->kind == SRC_CONSTANT)
            continue;
        for (i = 0; i < s->n_cols; i++)
            if (strcmp(s->names[i], name) == 0) {
                snprintf(buf, n, "the map reads it as %s", mt_field_name(g));
                return buf;
            }
    }
    /* the survey weight only: a stratum, PSU or id column may also be a field
     * (--strata sex), read twice to no harm; a weight is never a body's */
    i = COL_WEIGHT;
    if (c->extra_name[i] && strcmp(c->extra_name[i], name) == 0) {
        snprintf(buf, n, "it is the survey weight (%s)",
                 c->extra_mapped[i] ? "the map's survey_weight" : "--survey-weight");
        return buf;
    }
    return NULL;
}

/* (columns.h) */
void columns_add_note(columns *c, const char *line)
{
    size_t len = c->notes ? strlen(c->notes) : 0, k = strlen(line);
    char *grown;

    if (!(grown = realloc(c->notes, len + k + 2)))
        return; /* a note lost, never the run */
    memcpy(grown + len, line, k);
    grown[len + k] = '\n';
    grown[len + k + 1] = '\0';
    c->notes = grown;
}

/* Field f's columns' places in the header; an optional field that lacks one
 * is left out, with a note. 0, or -1 with msg. */
static int source_columns(columns *c, int f, char *msg, size_t n)
{
    col_source *s = &c->field[f];
    char nm[160];
    size_t i;

    if (s->kind == SRC_CONSTANT)
        return 0;
    if (!(s->cols = calloc(s->n_cols, sizeof(*s->cols))))
        FAIL("out of memory");
    for (i = 0; i < s->n_cols; i++) {
        s->cols[i] = columns_find(c, s->names[i]);
        if (s->cols[i] == -2) {
            char two[300];
            FAIL("%s%s", mt_field_name(f), columns_twice(c, s->names[i], two, sizeof(two)));
        }
        if (s->cols[i] < 0 && s->optional) {
            char line[300];
            snprintf(line, sizeof(line), "%s is left out (optional): the file has no column "
                                         "\"%s\"", mt_field_name(f),
                     shown(s->names[i], nm, sizeof(nm)));
            columns_add_note(c, line);
            free_source(s);
            return 0;
        }
        if (s->cols[i] < 0) {
            char near[200];
            FAIL("%s: the file has no column \"%s\"%s", mt_field_name(f),
                 shown(s->names[i], nm, sizeof(nm)),
                 columns_near_name(c, s->names[i], near, sizeof(near)));
        }
    }
    return 0;
}

int columns_resolve(columns *c, const csv_field *h, size_t nh, char *msg, size_t n)
{
    char nm[160];
    unsigned char mapped[MT_FIELD_COUNT];
    size_t i, blanks = 0;
    int f;

    c->header = calloc(nh ? nh : 1, sizeof(*c->header));
    if (!c->header)
        FAIL("out of memory");
    for (i = 0; i < nh; i++) {
        const char *p = h[i].p;
        size_t len = h[i].len;
        columns_trim(&p, &len);
        if (!(c->header[i] = malloc(len + 1)))
            FAIL("out of memory");
        memcpy(c->header[i], p, len);
        c->header[i][len] = '\0';
        c->n_header = i + 1;
        if (len == 0 && nh == 1)
            FAIL("line 1 is blank: expected a header line naming the columns");
        if (memchr(p, '\0', len))
            FAIL("header: column %zu's name holds a NUL byte (is the file UTF-16? save it as "
                 "UTF-8)", i + 1);
        /* a name left empty or repeated is refused only where something
         * reads that column (columns_find) */
        blanks += len == 0;
    }
    if (blanks == nh)
        FAIL("header: no column has a name: expected a header line naming the columns");
    /* the map's fields first, so that what they read (an optional one left
     * out reads nothing) is known when the others look for their own names */
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        c->field[f].unit_kind = field_unit(f);
        mapped[f] = c->field[f].kind != SRC_NONE;
        if (mapped[f] && source_columns(c, f, msg, n))
            return -1;
    }
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        col_source *s = &c->field[f];
        int two[2], at;
        char why[200], nm2[160];
        if (mapped[f]) { /* a field the map names never comes from its own name: said */
            int read = 0;
            size_t k;
            at = find_any_case(c, mt_field_name(f), two);
            for (k = 0; at >= 0 && s->kind != SRC_CONSTANT && k < s->n_cols; k++)
                read |= s->cols && s->cols[k] == at;
            if (at >= 0 && !read && !claimed(c, f, c->header[at], why, sizeof(why))) {
                char line[480];
                if (s->kind == SRC_CONSTANT)
                    snprintf(line, sizeof(line), "column \"%s\" is not read: the map sets %s "
                             "to %s", shown(c->header[at], nm, sizeof(nm)), mt_field_name(f),
                             s->constant);
                else if (s->n_cols && s->names)
                    snprintf(line, sizeof(line), "column \"%s\" is not read: the map reads %s "
                             "from column \"%s\"%s", shown(c->header[at], nm, sizeof(nm)),
                             mt_field_name(f), shown(s->names[0], nm2, sizeof(nm2)),
                             s->n_cols > 1 ? " and others" : "");
                else /* an optional source left out (its note says so) */
                    snprintf(line, sizeof(line), "column \"%s\" is not read: the map names "
                             "where %s comes from", shown(c->header[at], nm, sizeof(nm)),
                             mt_field_name(f));
                columns_add_note(c, line);
            }
            continue;
        }
        /* the column of the field's own name, if any, whatever its case ("Sex");
         * two such columns are an error even when one is spelled exactly
         * ("sex" and "SEX"): either may be the one meant */
        at = find_any_case(c, mt_field_name(f), two);
        if (at == -2)
            FAIL("columns %d (\"%s\") and %d (\"%s\") both name the field %s: rename one",
                 two[0] + 1, shown(c->header[two[0]], nm, sizeof(nm)), two[1] + 1,
                 shown(c->header[two[1]], nm2, sizeof(nm2)), mt_field_name(f));
        if (at < 0)
            continue;
        if (claimed(c, f, c->header[at], why, sizeof(why))) {
            char line[480];
            snprintf(line, sizeof(line), "column \"%s\" is not read as the field %s: %s",
                     shown(c->header[at], nm, sizeof(nm)), mt_field_name(f), why);
            columns_add_note(c, line);
            continue;
        }
        s->kind = SRC_COLUMN;
        if (add_col(s, c->header[at]))
            FAIL("out of memory");
        if (source_columns(c, f, msg, n))
            return -1;
    }
    for (i = 0; i < COL_N_EXTRA; i++) {
        c->extra[i] = -1;
        char near[200];
        if (c->extra_name[i] && (c->extra[i] = columns_find(c, c->extra_name[i])) == -2) {
            char two[300];
            FAIL("%s%s%s", c->extra_mapped[i] ? "the map's " : "",
                 c->extra_mapped[i] ? extra_keys[i] : extra_options[i],
                 columns_twice(c, c->extra_name[i], two, sizeof(two)));
        }
        if (c->extra_name[i] && c->extra[i] < 0)
            FAIL("%s%s: the file has no column \"%s\"%s%s",
                 c->extra_mapped[i] ? "the map's " : "",
                 c->extra_mapped[i] ? extra_keys[i] : extra_options[i],
                 shown(c->extra_name[i], nm, sizeof(nm)),
                 columns_near_name(c, c->extra_name[i], near, sizeof(near)),
                 c->extra_mapped[i] && i != COL_ID
                     ? " (--unweighted leaves the map's weight, strata and PSU out)"
                     : "");
    }
    /* The fields with a source, in order, and setting, which may be given a
     * constant after this (screen's --setting; fill_field reads it then). A
     * field without one is never read: the row keeps it absent. asm and
     * bia_resistance are plain unless a method or a constant method or
     * equation depends on their being read (fill_field's asm_given and
     * bia_given): no map makes those constants after this. A plain field
     * is written by its own cell alone, a missing one included (fill_list
     * writes the pristine slot for it): asm_method is not plain when asm's
     * method writes it too (fill_field), as a missing cell of its own column
     * must then leave the method. */
    c->n_use = 0;
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        const col_source *s = &c->field[f];
        col_use *u = &c->use[c->n_use];
        if (s->kind == SRC_NONE && f != MT_FIELD_SETTING)
            continue;
        u->field = f;
        u->bit = 1u << f;
        u->slot = (size_t)f * sizeof(mt_row_field);
        u->col = s->kind == SRC_COLUMN ? s->cols[0] : -1;
        u->at = s->kind == SRC_COLUMN ? (size_t)u->col * sizeof(csv_field) : 0;
        u->plain = s->kind == SRC_COLUMN && !s->n_codes && !s->unit &&
                   !(f == MT_FIELD_ASM &&
                     (s->method || c->field[MT_FIELD_ASM_METHOD].kind == SRC_CONSTANT)) &&
                   !(f == MT_FIELD_BIA_RESISTANCE &&
                     c->field[MT_FIELD_BIA_EQUATION].kind == SRC_CONSTANT) &&
                   !(f == MT_FIELD_ASM_METHOD && asm_writes_method(c));
        c->n_use++;
    }
    c->all_plain = 1;
    for (i = 0; i < (size_t)c->n_use; i++)
        c->all_plain &= c->use[i].plain;
    if (c->field[MT_FIELD_SEX].kind == SRC_NONE)
        FAIL("no column for sex (name one \"sex\", or map it with --columns or --preset)%s",
             c->n_header == 1 && strpbrk(c->header[0], ";\t|")
                 ? "; the header is one column: are the columns separated by ';', tabs or '|'? "
                   "commas are read"
                 : "");
    if (c->field[MT_FIELD_AGE].kind == SRC_NONE)
        FAIL("no column for age (name one \"age\", or map it with --columns or --preset)");
    return 0;
}

/* (columns.h) The C locale's strtod: the command never sets another. A
 * number strtod cannot hold (ERANGE) is not one. */
int columns_plain_number(const char *p, size_t len, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                   1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    char buf[64], *e;
    size_t i, digits = 0, point = len;
    unsigned long long m = 0;

    /* The usual cell, digits with at most one point and 15 digits in all:
     * m / 10^k, both exact in a double, is the correctly rounded value that
     * strtod gives too, without its set-up. */
    for (i = 0; i < len; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            m = m * 10 + (unsigned)(p[i] - '0');
            digits++;
        } else if (p[i] == '.' && point == len) {
            point = i;
        } else {
            break;
        }
    }
    if (i == len && digits && digits <= 15 && (point == len || point + 1 < len)) {
        *out = (double)m / pow10[point == len ? 0 : len - point - 1];
        return 0;
    }
    if (len == 0 || len >= sizeof(buf))
        return -1;
    for (i = 0; i < len; i++)
        if (!strchr("0123456789.+-eE", p[i]) || p[i] == '\0')
            return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtod(buf, &e);
    /* ERANGE: too large, or not 0 but below a normal double (1e-400 is no
     * weight of 0), as the engine's numbers (mt_json_number) */
    return *e || e == buf || errno == ERANGE || !isfinite(*out) ? -1 : 0;
}

static int cell_error(mt_error *err, int f, const col_source *s, size_t i, const char *p,
                      size_t len, const char *what);

/* A cell of a column with a unit in the map, as the text a column would hold
 * in that unit ("19999.95" -> "19999.95 g"), so that it goes through the same
 * quantity reader as such a cell and as `assess` (one exact conversion of the
 * decimal: 19999.95 g is 19.99995 kg, where 19999.95 * 0.001 in doubles
 * rounds to 20.0000 at four decimals). A cell with a unit or word of its own
 * (a letter or ':': "61 lb", "6:30", "unable") is read as it is (0); any
 * other takes the map's unit, whatever the reader then makes of it (a number
 * padded with a no-break space, say), so that no number is ever read without
 * its unit; TOO_LONG when such a cell does not fit buf. A plain number of more
 * than 15 significant digits, as exports write doubles ("202.60481894790249"),
 * is written with the 15 a double keeps, the reader's limit (below 1e15, where
 * %.15g writes no exponent: a larger one is read as it is, and refused by its
 * range, not for an exponent the cell never had). */
static size_t with_unit(const col_source *s, const char *p, size_t len, char *buf, size_t n)
{
    double x;
    size_t i, digits = 0;
    int k, exponent = 0;

    if (!s->unit)
        return 0;
    for (i = 0; i < len; i++) {
        char ch = p[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == ':') {
            if ((ch != 'e' && ch != 'E') || columns_plain_number(p, len, &x) != 0)
                return 0; /* its own unit or word */
            exponent = 1;     /* a plain number's exponent: the reader refuses it */
        }
        digits += ch >= '0' && ch <= '9' && (digits || ch != '0');
    }
    if (digits > 15 && !exponent && columns_plain_number(p, len, &x) == 0 && fabs(x) < 1e15)
        k = snprintf(buf, n, "%.15g %s", x, s->unit);
    else
        k = snprintf(buf, n, "%.*s %s", (int)(len < n ? len : n), p, s->unit);
    return k > 0 && (size_t)k < n ? (size_t)k : TOO_LONG;
}

/* A cell into field f as the source reads it (with_unit): the engine's
 * mt_row_set, so its checks and messages are a column's. */
static int set_cell(mt_row *row, int f, const col_source *s, size_t col, const char *p,
                    size_t len, mt_error *err)
{
    char buf[96], nm[160], more[200];
    size_t k = with_unit(s, p, len, buf, sizeof(buf)), at, room;
    int rc;

    if (k == TOO_LONG) {
        cell_error(err, f, s, col, p, len, "is no number in the map's unit");
        return MT_EINVAL;
    }
    rc = k ? mt_row_set(row, f, buf, k, err) : mt_row_set(row, f, p, len, err);
    if (rc != MT_OK && s->kind == SRC_MAX_OF) {
        /* the engine's message, and which of the columns held the cell
         * (the message cut short, not the column's name, if both do not fit) */
        snprintf(more, sizeof(more), ", in column %s", shown(s->names[col], nm, sizeof(nm)));
        at = strlen(err->message);
        room = sizeof(err->message) - 1 - strlen(more);
        if (at > room) {
            memcpy(err->message + room - 3, "...", 3);
            at = room;
        }
        snprintf(err->message + at, sizeof(err->message) - at, "%s", more);
    }
    return rc;
}

/* Digits with at most one point between two of them: "5.", ".5" and "1e1"
 * are not (columns_plain_number reads them with strtod). */
static int plain_decimal(const char *p, size_t len)
{
    size_t i, point = 0;

    if (len == 0 || p[0] == '.' || p[len - 1] == '.')
        return 0;
    for (i = 0; i < len; i++)
        if (p[i] == '.' ? point++ : (p[i] < '0' || p[i] > '9'))
            return 0;
    return 1;
}

/* A sum_of's cell as a number, to add: 0, or -1 when it is none in the
 * engine's grammar (the map's unit or the field's), with what the cell is in
 * `what` ("is not a number: negative values are not accepted"). */
static int cell_number(const col_source *s, const char *p, size_t len, double *out, char *what,
                       size_t n)
{
    mt_error err = {0};
    char buf[96];
    size_t k = 0;
    int rc = MT_EINVAL;

    snprintf(what, n, "is not a number");
    if (len == 0 || (k = with_unit(s, p, len, buf, sizeof(buf))) == TOO_LONG)
        return -1;
    if (k)
        rc = mt_quantity_parse(buf, k, (mt_unit)s->unit_kind, out, &err);
    else if (plain_decimal(p, len) && columns_plain_number(p, len, out) == 0)
        return 0; /* the usual decimal; everything else through the quantity reader */
    else if (s->unit_kind >= 0)
        rc = mt_quantity_parse(p, len, (mt_unit)s->unit_kind, out, &err);
    if (rc == MT_OK && isfinite(*out))
        return 0;
    if (err.message[0] && strcmp(err.message, "not a number") != 0)
        snprintf(what, n, "is not a number: %.100s", err.message);
    return -1;
}

const char *columns_shown_cell(const char *p, size_t len, char *buf, size_t n)
{
    mt_text_shown(buf, n, p, len, 1);
    return buf;
}

static int cell_error(mt_error *err, int f, const col_source *s, size_t i, const char *p,
                      size_t len, const char *what)
{
    char cell[56], nm[160];

    if (err) {
        err->code = MT_EINVAL;
        snprintf(err->field, sizeof(err->field), "%s", mt_field_name(f));
        snprintf(err->message, sizeof(err->message), "%s: %s in column %s %s", mt_field_name(f),
                 columns_shown_cell(p, len, cell, sizeof(cell)),
                 shown(s->names[i], nm, sizeof(nm)), what);
    }
    return -1;
}

/* The code whose text is the number the cell is ("1.0" for the code "1",
 * as pandas writes the columns it read from SAS files as floats), or
 * s->n_codes: a cell and a code that are both plain numbers match by value. */
static size_t code_by_value(const col_source *s, const char *p, size_t len)
{
    double x;
    size_t i;

    if (columns_plain_number(p, len, &x) != 0)
        return s->n_codes;
    for (i = 0; i < s->n_codes; i++)
        if (s->codes[i].is_number && s->codes[i].value == x)
            return i;
    return s->n_codes;
}

/* "is not in its code table (1, 2)": the codes as the map has them, the
 * list cut with "..." where it would not fit buf. */
static const char *code_list(const col_source *s, char *buf, size_t n)
{
    size_t i, o = (size_t)snprintf(buf, n, "is not in its code table (");
    char nm[48];

    for (i = 0; i < s->n_codes; i++) {
        const char *c = shown(s->codes[i].from, nm, sizeof(nm));
        if (o + strlen(c) + 8 >= n) {
            o += (size_t)snprintf(buf + o, n - o, "%s...", i ? ", " : "");
            break;
        }
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", c);
    }
    snprintf(buf + o, n - o, ")");
    return buf;
}

/* The sum of a sum_of's cells written out exactly ("12034.5" for "9000.25" and
 * "3034.25"), when every one is a plain decimal (digits and at most one point,
 * 15 digits at most) and the sum has at most 18 digits; its length, or 0 (the
 * caller then sums the cells' values). Exact, so that a sum at a tie of the
 * fifth decimal rounds as a column holding it would. */
static size_t decimal_sum(const col_source *s, const csv_field *fl, char *buf, size_t n)
{
    static const unsigned long long p10[19] = {
        1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
        100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
        10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
        100000000000000000ull, 1000000000000000000ull};
    const unsigned long long limit = p10[18];
    unsigned long long total = 0;
    size_t i, k, scale = 0;
    int w;

    for (i = 0; i < s->n_cols; i++) {
        const char *p = fl[s->cols[i]].p;
        size_t len = fl[s->cols[i]].len, digits = 0, dec = 0, point = 0;
        unsigned long long m = 0;
        columns_trim(&p, &len);
        for (k = 0; k < len; k++) {
            if (p[k] >= '0' && p[k] <= '9') {
                m = m * 10 + (unsigned)(p[k] - '0');
                dec += point;
                if (++digits > 15)
                    return 0;
            } else if (p[k] == '.' && !point) {
                point = 1;
            } else {
                return 0;
            }
        }
        if (!digits)
            return 0;
        if (dec > scale) { /* the total to the finer scale */
            if (total > limit / p10[dec - scale])
                return 0;
            total *= p10[dec - scale];
            scale = dec;
        }
        if (scale - dec > 3) /* then m * 10^3 < 10^18: no overflow */
            return 0;
        m *= p10[scale - dec];
        if (m >= limit - total)
            return 0;
        total += m;
    }
    if (scale)
        w = snprintf(buf, n, "%llu.%0*llu", total / p10[scale], (int)scale, total % p10[scale]);
    else
        w = snprintf(buf, n, "%llu", total);
    return w > 0 && (size_t)w < n ? (size_t)w : 0;
}

/* Field f from its source, the general way (codes, units, several columns,
 * constants; asm and bia_resistance, which the constants after them depend
 * on): 0, or -1 with err. */
static int fill_field(const columns *c, int f, mt_row *row, const csv_field *fl, int *asm_given,
                      int *bia_given, mt_error *err)
{
    const col_source *s = &c->field[f];
    const char *p, *top = NULL;
    size_t len, i, top_len = 0, top_col = 0;
    double x, best = 0;
    int any = 0, rc;
    char sum[40], what[120];

    switch (s->kind) {
    case SRC_NONE:
        return 0;
    case SRC_CONSTANT:
        /* asm_method and bia_equation constants go with readings only */
        if ((f == MT_FIELD_ASM_METHOD && !*asm_given) ||
            (f == MT_FIELD_BIA_EQUATION && !*bia_given))
            return 0;
        if (mt_row_set(row, f, s->constant, strlen(s->constant), err) != MT_OK)
            return -1;
        break; /* an asm constant gives the row an asm, and the map's method (below) */
    case SRC_COLUMN:
        p = fl[s->cols[0]].p;
        len = fl[s->cols[0]].len;
        columns_trim(&p, &len);
        if (columns_missing_trimmed(p, len))
            return 0;
        if (s->n_codes) {
            for (i = 0; i < s->n_codes; i++)
                if (strlen(s->codes[i].from) == len && memcmp(s->codes[i].from, p, len) == 0)
                    break;
            if (i == s->n_codes)
                i = code_by_value(s, p, len);
            if (i == s->n_codes) {
                char codes[160];
                return cell_error(err, f, s, 0, p, len, code_list(s, codes, sizeof(codes)));
            }
            if (!s->codes[i].to)
                return 0;
            p = s->codes[i].to;
            len = strlen(p);
        }
        if (set_cell(row, f, s, 0, p, len, err) != MT_OK)
            return -1;
        break;
    case SRC_MAX_OF:
    case SRC_SUM_OF:
        for (i = 0; i < s->n_cols; i++) {
            p = fl[s->cols[i]].p;
            len = fl[s->cols[i]].len;
            columns_trim(&p, &len);
            if (columns_missing_trimmed(p, len)) {
                if (s->kind == SRC_SUM_OF) { /* a sum needs every part */
                    any = 0;
                    break;
                }
                continue;
            }
            if (s->kind == SRC_MAX_OF) {
                /* each cell read and checked as a column holding it would
                 * be, largest or not, and compared by the value the engine
                 * took from it; a word ("unable") is no number to compare
                 * (the row is rejected, as before); the largest is set last */
                if (set_cell(row, f, s, i, p, len, err) != MT_OK)
                    return -1;
                if (mt_row_holds_word(row, f) || mt_row_get(row, f, &x) != MT_OK)
                    return cell_error(err, f, s, i, p, len,
                                      "is not a number (a max_of compares numbers)");
            } else if (cell_number(s, p, len, &x, what, sizeof(what)) != 0) {
                return cell_error(err, f, s, i, p, len, what);
            }
            if (s->kind == SRC_SUM_OF) {
                best += x;
            } else if (!any || x > best) {
                best = x;
                top = p; /* the largest cell, read again below as a column's */
                top_len = len;
                top_col = i;
            }
            any = 1;
        }
        if (!any)
            return 0;
        /* the value a column holding the largest cell, or the sum written out
         * exactly, would give (set_cell); a sum that is not of plain decimals
         * (or is too long to write) as the sum of the cells' values */
        if (s->kind == SRC_MAX_OF)
            rc = set_cell(row, f, s, top_col, top, top_len, err);
        else if ((len = decimal_sum(s, fl, sum, sizeof(sum))))
            rc = set_cell(row, f, s, 0, sum, len, err);
        else
            rc = mt_row_set_number(row, f, best, err);
        if (rc != MT_OK)
            return -1;
        break;
    }
    if (f == MT_FIELD_ASM) {
        *asm_given = 1;
        if (s->method &&
            mt_row_set(row, MT_FIELD_ASM_METHOD, s->method, strlen(s->method), err) != MT_OK)
            return -1;
    }
    if (f == MT_FIELD_BIA_RESISTANCE)
        *bia_given = 1;
    return 0;
}

#if defined(__GNUC__)
#define FILL_INLINE inline __attribute__((always_inline))
#else
#define FILL_INLINE inline
#endif

/* columns_fill's walk; all_plain (a constant in each of its uses) when
 * every field of the list is a plain column, so the walk asks nothing else;
 * readable (a constant too) when every cell has 16 bytes readable from its
 * start, so no cell asks (the row's last cell does: columns_fill). */
static FILL_INLINE int fill_list(const columns *c, mt_row *row, const csv_field *fl,
                                 const char *end, mt_error *err, const int all_plain,
                                 const int readable)
{
    const col_use *u = c->use, *stop = c->use + c->n_use;
    const mt_row_field *rf = row->memo->f;
    unsigned done = 0; /* the fields replayed, not yet marked (mt_row_memo_write) */
    int asm_given = 0, bia_given = 0;
    /* a cell starting at or before `last` has 16 bytes readable from it */
    const uintptr_t last = end && (uintptr_t)end >= 16 ? (uintptr_t)end - 16 : 0;

    /* every field with a source in order (the first error is the first
     * field's); a plain column here, the others as their source says
     * (fill_field) */
    for (; u < stop; u++) {
        const char *p;
        size_t len;
        const mt_row_field *f;
        const mt_memo_entry *e;
        uint64_t a, b;
        if (!all_plain && !u->plain) {
            mt_row_memo_mark(row, done); /* before any other call on the row */
            done = 0;
            if (c->field[u->field].kind != SRC_NONE &&
                fill_field(c, u->field, row, fl, &asm_given, &bia_given, err) != 0)
                return -1;
            continue;
        }
        /* a column read as it is: fill_field's SRC_COLUMN without codes or a
         * unit (trimmed, missing skipped, then mt_row_set) */
        p = ((const csv_field *)(const void *)((const char *)fl + u->at))->p;
        len = ((const csv_field *)(const void *)((const char *)fl + u->at))->len;
        f = (const mt_row_field *)(const void *)((const char *)rf + u->slot);
        /* The usual cell, 0 to MT_MEMO_MAX_LEN bytes with 16 readable from
         * its start, looked up as it is in the file, without a branch on
         * what it holds (a cohort mixes numbers and missing cells at random,
         * so such a branch is often mispredicted). A memo holds texts with
         * no blank (no byte <= ' ') at either end and none missing
         * (memo_may_keep), so a cell found there is one that trimming leaves
         * alone and that is not missing; and the missing cells' own entries
         * (empty, NA, '.' as they are), which write the pristine slot and
         * no given bit: what skipping the cell leaves once the lazy reset
         * has restored the slot. Anything else (not found, blanks around
         * it, longer) goes the general way below. */
        if (len <= MT_MEMO_MAX_LEN && (readable || (uintptr_t)p <= last)) {
            if ((e = mt_row_memo_find_text(f, p, len))) {
                mt_row_memo_write(row, f, e);
                done |= u->bit;
                continue;
            }
        }
        columns_trim(&p, &len);
        if (columns_missing_trimmed(p, len))
            continue;
        /* mt_row_set's own first way, inline (the field known, the text 1 to
         * MT_MEMO_MAX_LEN bytes); the marks are made before any other call */
        if (len <= MT_MEMO_MAX_LEN) {
            mt_cell_key(p, len, &a, &b);
            if ((e = mt_row_memo_find(f, a, b))) {
                mt_row_memo_write(row, f, e);
                done |= u->bit;
                continue;
            }
        }
        mt_row_memo_mark(row, done);
        done = 0;
        if (mt_row_set(row, u->field, p, len, err) != MT_OK)
            return -1;
    }
    mt_row_memo_mark(row, done);
    return 0;
}

int columns_cell_decides(const columns *c, int f)
{
    if (f < 0 || f >= MT_FIELD_COUNT)
        return 0;
    if (f == MT_FIELD_ASM_METHOD && asm_writes_method(c))
        return 0;
    return c->field[f].kind == SRC_COLUMN && c->field[f].n_cols == 1;
}

int columns_fill(const columns *c, mt_row *row, const csv_field *fl, size_t n, const char *end,
                 mt_error *err)
{
    /* (the caller checked n == c->n_header) a record's cells lie in order,
     * so when its last has 16 bytes readable, every one has */
    int readable = n && end && (uintptr_t)end >= 16 &&
                   (uintptr_t)fl[n - 1].p <= (uintptr_t)end - 16;

    if (c->all_plain)
        return readable ? fill_list(c, row, fl, end, err, 1, 1)
                        : fill_list(c, row, fl, end, err, 1, 0);
    return readable ? fill_list(c, row, fl, end, err, 0, 1) : fill_list(c, row, fl, end, err, 0, 0);
}
