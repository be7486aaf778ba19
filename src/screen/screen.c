/*
 * screen.c - the cohort pipeline (screen.h).
 *
 * The main thread reads the file in blocks that end on a record boundary and
 * hands them to the workers through a ring of slots; each worker cuts its
 * block into records, fills a row (columns.c), lets the engine classify it
 * (mt_row_classify), counts it into its own tally and writes its per-row
 * results and rejects into the slot. The main thread writes the slots out in
 * input order, so the output is the same whatever the number of threads.
 * Memory is the ring (a few blocks per thread) and the tallies: constant,
 * whatever the file's size.
 */
#define _XOPEN_SOURCE 700 /* realpath (out_open) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "input/input.h"
#include "screen/columns.h"
#include "screen/csv.h"
#include "screen/screen.h"
#include "screen/summary.h"
#include "screen/tally.h"
#include "text.h"

#define BLOCK         (1u << 20)  /* bytes read at a time, at most */
#define BLOCK_MIN     (32u << 10) /* at least (next_block); the first blocks' size */
#define OUT_BUDGET    (1u << 20)  /* the results (rows, rejects) a block should make, at most */
#define MAX_RECORD    (64u << 20) /* a record longer than this is refused */
#define MAX_FIELDS    4096
#define REJECTS_SHOWN 20          /* on stderr without --rejects */

/* ---- output buffers ---------------------------------------------------- */

typedef struct obuf {
    char *p;
    size_t len, cap;
    int failed;
} obuf;

static void ob_grow(obuf *b, size_t more)
{
    size_t cap = b->cap ? b->cap : 4096;
    char *np;

    while (cap < b->len + more + 1)
        cap *= 2;
    if (!(np = realloc(b->p, cap))) {
        b->failed = 1;
        return;
    }
    b->p = np;
    b->cap = cap;
}

static inline void ob_put(obuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        ob_grow(b, n);
        if (b->failed)
            return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Emptied once written; a buffer a block of bigger results than the next
 * blocks' (next_block) made much larger is given back. */
static void ob_trim(obuf *b)
{
    b->len = 0;
    if (b->cap > 4 * (size_t)OUT_BUDGET) {
        free(b->p);
        b->p = NULL;
        b->cap = 0;
    }
}

static inline void ob_str(obuf *b, const char *s)
{
    ob_put(b, s, strlen(s));
}

static void ob_u64(obuf *b, unsigned long long v)
{
    char t[24];
    int i = 24;

    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ob_put(b, t + i, (size_t)(24 - i));
}

/* A CSV cell: quoted when it holds a comma, quote or line break. */
static void ob_csv(obuf *b, const char *s, size_t n)
{
    size_t i;

    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        ob_put(b, s, n);
        return;
    }
    ob_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            ob_put(b, "\"", 1);
        ob_put(b, s + i, 1);
    }
    ob_put(b, "\"", 1);
}

/* An id as a JSON string: printable ASCII and well-formed UTF-8 as they
 * are, '"' escaped, control bytes as \u00HH, any other byte (Latin-1's
 * "Jos\xe9") as the text \xHH and a backslash as the text \\, as in a
 * group's name: the text read back names one id only (Latin-1's "Jos\xe9"
 * is "Jos\xe9", the ASCII text "Jos\xe9" is "Jos\\xe9"; docs/screen.md). */
static void ob_json(obuf *b, const char *s, size_t n)
{
    size_t i = 0, k;

    ob_put(b, "\"", 1);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if ((k = mt_utf8_char((const unsigned char *)s + i, n - i)) != 0 && c != '"' && c != '\\') {
            ob_put(b, s + i, k);
            i += k;
            continue;
        }
        if (c == '"') {
            ob_put(b, "\\\"", 2);
        } else if (c == '\\') { /* the text \\, each backslash escaped for JSON */
            ob_put(b, "\\\\\\\\", 4);
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            ob_put(b, esc, 6);
        } else { /* \xHH, its backslash escaped for JSON */
            esc[0] = '\\';
            ob_put(b, esc, 1 + mt_hex_byte(esc + 1, c));
        }
        i++;
    }
    ob_put(b, "\"", 1);
}

/* ---- the run's shared state --------------------------------------------- */

enum { DIM_WORD, DIM_AGE, DIM_COLUMN };

typedef struct dim {
    int kind;
    int field;  /* DIM_WORD: the field */
    int col;    /* DIM_COLUMN; DIM_WORD: the field's one column, or -1 (row_groups) */
    char *name; /* "sex", "age", "RIDRETH3" */
} dim;

#define MAX_DIMS  4
#define MAX_BANDS 16

#define DIM_NAME_MAX    127 /* bytes of a --by name */
#define GROUP_VALUE_MAX 128 /* bytes of a --by column's value that name its group */
/* a group's name, name=value, its parts escaped (escape_part) */
#define GROUP_NAME_MAX (4 * DIM_NAME_MAX + 1 + 4 * GROUP_VALUE_MAX) /* escape_part's 4n */

enum { SLOT_FREE, SLOT_FILLED, SLOT_TAKEN, SLOT_DONE };

typedef struct slot {
    int state;
    unsigned long long seq;
    char *buf;
    size_t len, cap;
    struct region *rg; /* a mapped input: buf lies in this region, dropped once emitted */
    unsigned long long first_line; /* the line its first record starts on */
    int last;                      /* the input's last block: no line break needed at its end */
    obuf out, rej;
    unsigned long long rows, rejected, first_reject_line;
    size_t out_before_reject; /* out.len at the first rejected row: the rows before it */
    char first_reject[400];
} slot;

typedef struct run run;

/* A worker's own map of names it met to their shared index (keys_intern
 * locks; this does not): open addressing on the name's hash. */
#define CACHE_SLOTS 8192 /* > TALLY_MAX_PSUS, a power of two */

typedef struct cache_entry {
    unsigned long long hash;
    char *name;
    size_t len;
    int index;
} cache_entry;

typedef struct cache {
    cache_entry *e; /* CACHE_SLOTS */
    size_t n;
} cache;

typedef struct worker {
    run *r;
    pthread_t th;
    tally t;
    mt_row *row;
    csv_field *fields;
    cache groups, psus;
    struct short_entry *shorts; /* SHORT_SLOTS: the PSUs of short cells */
    size_t n_shorts;
    int word_group[MAX_DIMS][8];      /* DIM_WORD: group + 1 of each word, 0 unknown */
    uint64_t word_cell[MAX_DIMS][4];  /* DIM_WORD: cells met (pack_cell), 0 none */
    int word_k[MAX_DIMS][4];          /* their word (row_groups' k) */
    int band_group[MAX_DIMS][MAX_BANDS + 1];
    int failed; /* out of memory, or a tally limit */
    int oom;    /* the failure was memory */
    char why[200];
    csv_index ix; /* the block's separators (do_block) */
} worker;

/* A table of n zeroed elements of `size` bytes that is probed (read) before
 * it is written: its zeros written here, so that each page is the process's
 * own from the start. calloc's fresh pages are mapped to the shared zero
 * page at the first probe, and the first write after it replaces that
 * mapping, which interrupts the other workers' CPUs to flush it (perf: some
 * 90 such faults a worker on the bench's cohort). NULL out of memory. */
static void *zeroed_table(size_t n, size_t size)
{
    void *t = n && size > (size_t)-1 / n ? NULL : malloc(n * size);

    /* memset through a pointer the compiler cannot see through: gcc makes
     * calloc of malloc and memset's zeros, the very thing avoided here */
    static void *(*volatile const zero_fill)(void *, int, size_t) = memset;

    if (t)
        zero_fill(t, 0, n * size);
    return t;
}

static unsigned long long hash_of(const char *s, size_t n)
{
    unsigned long long h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The shared index the worker's cache holds for key[0, n), or -1. */
static int cache_get(cache *c, const char *key, size_t n, cache_entry **slot_out)
{
    unsigned long long h = hash_of(key, n);
    size_t i;

    *slot_out = NULL;
    if (!c->e && !(c->e = zeroed_table(CACHE_SLOTS, sizeof(*c->e))))
        return -1;
    for (i = (size_t)h & (CACHE_SLOTS - 1);; i = (i + 1) & (CACHE_SLOTS - 1)) {
        cache_entry *e = &c->e[i];
        if (!e->name) {
            *slot_out = e;
            e->hash = h;
            return -1;
        }
        if (e->hash == h && e->len == n && memcmp(e->name, key, n) == 0)
            return e->index;
    }
}

/* Remember key -> index in the free slot cache_get found (if the cache has room). */
static void cache_put(cache *c, cache_entry *e, const char *key, size_t n, int index)
{
    if (!e || c->n >= CACHE_SLOTS / 2 || !(e->name = malloc(n + 1)))
        return;
    memcpy(e->name, key, n);
    e->name[n] = '\0';
    e->len = n;
    e->index = index;
    c->n++;
}

/* The shared index of name[0, n), through the worker's cache; -1 past the
 * shared table's limit or out of memory. */
static int cached(cache *c, keys *k, const char *name, size_t n, int aux)
{
    cache_entry *e;
    int at = cache_get(c, name, n, &e);

    if (at >= 0)
        return at;
    if ((at = keys_intern(k, name, n, aux)) >= 0)
        cache_put(c, e, name, n, at);
    return at;
}

static void cache_free(cache *c)
{
    size_t i;

    for (i = 0; c->e && i < CACHE_SLOTS; i++)
        free(c->e[i].name);
    free(c->e);
    c->e = NULL;
}

#define CAT_LEN_MAX 16

struct run {
    const screen_opts *o;
    columns cols;
    unsigned mask;
    int defs[MT_MAX_DEFINITIONS];
    size_t n_defs;
    mt_definition_view view[MT_MAX_DEFINITIONS];
    tally_spec spec;
    dim dims[MAX_DIMS];
    int n_dims;
    double bands[MAX_BANDS];
    int n_bands;
    keys groups, strata, psus;
    int out_jsonl;
    size_t csv_verdicts_max; /* the longest a CSV row's verdicts can be, its '\n' included */
    /* strlen of each category name (categories past CAT_LEN_MAX: 0, measured
     * when written), so a CSV row's category is copied without a strlen */
    unsigned char cat_len[MT_MAX_DEFINITIONS][CAT_LEN_MAX];
    /* the settings rows can have (MT_REACH_*), run_settings; where both (a
     * setting column), each row's is marked on its group (do_block):
     * summary.c's reach of a definition whose categories differ by setting
     * (AWGS 2019) */
    unsigned settings;
    int setting_from;  /* where the setting comes from (summary_in's), run_settings */

    pthread_mutex_t mu;
    pthread_cond_t filled, done;
    slot *slots;
    size_t n_slots;
    unsigned long long next_take; /* the seq the next free worker takes */
    int finished;                 /* no more blocks */
    int stop;                     /* --strict, or a failure: workers stop */
};

/* A note about the data or how it is read: on stderr now, and kept with the
 * columns' own (r->cols.notes) for the summary's "notes" (without them, the
 * notes may be lost where the summary is read). */
static void say_note(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_note(run *r, const char *fmt, ...)
{
    char line[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "myotrack: screen: note: %s\n", line);
    columns_add_note(&r->cols, line);
}

/* Each line of text (ending '\n'; NULL: none) as a note on stderr. */
static void say_lines(const char *text)
{
    const char *p, *nl;

    for (p = text; p && (nl = strchr(p, '\n')); p = nl + 1)
        fprintf(stderr, "myotrack: screen: note: %.*s\n", (int)(nl - p), p);
}

/* ---- one block --------------------------------------------------------- */

static void reject(slot *s, unsigned long long line, const char *why)
{
    if (!s->rejected) {
        s->first_reject_line = line;
        s->out_before_reject = s->out.len;
        snprintf(s->first_reject, sizeof(s->first_reject), "%s", why);
    }
    s->rejected++;
    ob_str(&s->rej, "line ");
    ob_u64(&s->rej, line);
    ob_str(&s->rej, ": ");
    ob_str(&s->rej, why);
    ob_put(&s->rej, "\n", 1);
}

/* The survey weights taken besides 0: every sum of them and of their squares
 * (the Kish effective n's) stays a normal double on any file, where 1e200 or
 * 1e-200 would overflow or vanish and leave a weighted percent null. */
#define WEIGHT_MIN 1e-100
#define WEIGHT_MAX 1e100

/* A survey weight: a plain number, 0 or in [WEIGHT_MIN, WEIGHT_MAX] (end: the
 * block's end, readable up to). */
static int weight_of(const char *p, size_t len, const char *end, double *w)
{
    columns_trim(&p, &len);
    if (csv_short_decimal(p, len, end, w)) /* 8 characters, digits and a point: 0 or in range */
        return 0;
    return columns_plain_number(p, len, w) == 0 &&
                   (*w == 0 || (*w >= WEIGHT_MIN && *w <= WEIGHT_MAX))
               ? 0
               : -1;
}

static int band_of(const run *r, double age)
{
    int i;

    for (i = 0; i < r->n_bands && age >= r->bands[i]; i++)
        ;
    return i;
}

static const char *band_name(const run *r, int i, char *buf, size_t n)
{
    if (i == 0)
        snprintf(buf, n, "<%g", r->bands[0]);
    else if (i == r->n_bands)
        snprintf(buf, n, "%g+", r->bands[i - 1]);
    else
        snprintf(buf, n, "%g-%g", r->bands[i - 1], r->bands[i] - 1);
    return buf;
}

/* s[0, n) into out with any byte that is not printable ASCII or part of a
 * well-formed UTF-8 character (a NUL, a control byte, Latin-1's "M\xe1laga")
 * written as \xHH, so that it is valid UTF-8 for the summary's JSON (which
 * dropped such groups, and the weights of such a column, before); with
 * `seps`, a backslash before each ',', '=' and '\\' too, so that a group's
 * name (name=value, a cross's parts joined by ',') is read one way only. The
 * bytes written; out has room for 4n. */
static size_t escape_part(char *out, const char *s, size_t n, int seps)
{
    size_t i = 0, o = 0, k;

    while (i < n) {
        k = mt_utf8_char((const unsigned char *)s + i, n - i);
        if (k == 0) {
            o += mt_hex_byte(out + o, (unsigned char)s[i++]);
            continue;
        }
        if (seps && k == 1 && (s[i] == ',' || s[i] == '=' || s[i] == '\\'))
            out[o++] = '\\';
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
    }
    return o;
}

/* The group named "dim=value" (escape_part), through the worker's cache. */
static int group_named(worker *w, const dim *dm, const char *v, size_t vl, char *why, size_t n)
{
    char one[GROUP_NAME_MAX];
    size_t len = escape_part(one, dm->name, strlen(dm->name), 1);
    int g;

    one[len++] = '=';
    len += escape_part(one + len, v, vl, 1);
    if ((g = cached(&w->groups, &w->r->groups, one, len, 0)) == TALLY_NOMEM) {
        snprintf(why, n, "out of memory");
        w->oom = 1;
    } else if (g < 0) {
        snprintf(why, n, "more than %d groups: is --by %s the right column?", TALLY_MAX_GROUPS,
                 dm->name);
    }
    return g;
}

static inline uint64_t pack_cell(const char *p, size_t n, const char *end);

/* The groups a row belongs to: all, one per dimension, and the cross (end:
 * the block's, readable up to).
 * A word field read from one column (sex) takes its word from the row
 * (mt_row_get) the first time a cell's bytes are met, then from a memo of
 * those bytes (up to 7, as they are in the file, and up to 4 cells a
 * field): columns_fill sets such a field from that cell's text alone, so the
 * word is a function of those bytes, and a row gets here only when it was
 * accepted. tests/screen (by_word_cells) holds it to the row's. */
static int row_groups(worker *w, const csv_field *f, int *groups, char *why, size_t n,
                      const char *end)
{
    run *r = w->r;
    char key[1300], band[32];
    size_t o = 0;
    int d, ng = 0;

    groups[ng++] = 0; /* "all", interned first */
    if (r->n_dims == 1 && r->dims[0].kind == DIM_WORD && r->dims[0].col >= 0) {
        /* the usual --by sex: the loop below's first way for a cell met
         * before in one of the memo's first two places (cells are put
         * there in order, so a cell is in one place only), without its
         * set-up; anything else (a new cell, a word without its group yet)
         * goes the loop's way */
        uint64_t cell = pack_cell(f[r->dims[0].col].p, f[r->dims[0].col].len, end);
        int m = cell == w->word_cell[0][1], g;
        if (cell && w->word_cell[0][m] == cell && (g = w->word_group[0][w->word_k[0][m]]) != 0) {
            groups[ng++] = g - 1;
            return ng;
        }
    }
    for (d = 0; d < r->n_dims; d++) {
        const dim *dm = &r->dims[d];
        const char *v = "NA";
        size_t vl = 2;
        double x;
        int g, k;
        if (dm->kind == DIM_WORD) {
            uint64_t cell = dm->col >= 0 ? pack_cell(f[dm->col].p, f[dm->col].len, end) : 0;
            int m = 0;
            if (cell)
                for (; m < 4 && w->word_cell[d][m] && w->word_cell[d][m] != cell; m++)
                    ;
            if (cell && m < 4 && w->word_cell[d][m] == cell) {
                k = w->word_k[d][m];
            } else {
                /* the word the row was classified with: a missing setting is
                 * community, as the assessment takes it */
                k = mt_row_get_used(w->row, dm->field, &x) == MT_OK ? (int)x + 1 : 0;
                if (k >= 8)
                    k = 0;
                if (cell && m < 4) {
                    w->word_cell[d][m] = cell;
                    w->word_k[d][m] = k;
                }
            }
            if (w->word_group[d][k] == 0) {
                if (k)
                    v = mt_field_words(dm->field)[k - 1], vl = strlen(v);
                if ((g = group_named(w, dm, v, vl, why, n)) < 0)
                    return -1;
                w->word_group[d][k] = g + 1;
            }
            g = w->word_group[d][k] - 1;
        } else if (dm->kind == DIM_AGE) {
            mt_row_get(w->row, MT_FIELD_AGE, &x); /* required: always there */
            k = band_of(r, x);
            if (w->band_group[d][k] == 0) {
                v = band_name(r, k, band, sizeof(band));
                if ((g = group_named(w, dm, v, strlen(v), why, n)) < 0)
                    return -1;
                w->band_group[d][k] = g + 1;
            }
            g = w->band_group[d][k] - 1;
        } else {
            const char *p = f[dm->col].p;
            size_t l = f[dm->col].len;
            columns_trim(&p, &l);
            if (!columns_missing(p, l)) {
                v = p;
                vl = l > GROUP_VALUE_MAX ? GROUP_VALUE_MAX : l;
            }
            if ((g = group_named(w, dm, v, vl, why, n)) < 0)
                return -1;
        }
        groups[ng++] = g;
        if (r->n_dims > 1) /* the cross is cached by its parts' indexes */
            o += (size_t)snprintf(key + o, sizeof(key) - o, "%s%d", o ? "," : "", g);
    }
    if (r->n_dims > 1) {
        cache_entry *e;
        int g = cache_get(&w->groups, key, o, &e);
        if (g < 0) { /* its name: the parts' names joined */
            char name[MAX_DIMS * (GROUP_NAME_MAX + 1)]; /* the parts, joined by ',' */
            size_t m = 0;
            pthread_mutex_lock(&r->groups.mu);
            for (d = 1; d < ng; d++)
                m += (size_t)snprintf(name + m, sizeof(name) - m, "%s%s", d > 1 ? "," : "",
                                      r->groups.name[groups[d]]);
            pthread_mutex_unlock(&r->groups.mu);
            if (m >= sizeof(name))
                m = sizeof(name) - 1;
            if ((g = keys_intern(&r->groups, name, m, 0)) == TALLY_NOMEM) {
                snprintf(why, n, "out of memory");
                w->oom = 1;
                return -1;
            }
            if (g < 0) {
                snprintf(why, n, "more than %d groups (the --by columns crossed)",
                         TALLY_MAX_GROUPS);
                return -1;
            }
            cache_put(&w->groups, e, key, o, g);
        }
        groups[ng++] = g;
    }
    return ng;
}

/* The row's line of the per-row output (do_block calls it only with -o). */
static void write_row(worker *w, slot *s, unsigned long long line, const csv_field *f,
                      const mt_classification *c)
{
    run *r = w->r;
    obuf *b = &s->out;
    size_t d, k;
    int idc = r->cols.extra[COL_ID];

    if (r->out_jsonl) {
        ob_str(b, "{\"line\":");
        ob_u64(b, line);
        if (idc >= 0) {
            ob_str(b, ",\"id\":");
            ob_json(b, f[idc].p, f[idc].len);
        }
        for (d = 0; d < r->n_defs; d++) {
            const mt_definition_view *v = &r->view[d];
            int def = r->defs[d];
            ob_str(b, ",\"");
            ob_str(b, v->id);
            ob_str(b, ".category\":\"");
            ob_str(b, v->categories[c->category[def]]);
            ob_put(b, "\"", 1);
            for (k = 0; k < v->n_criteria; k++) {
                ob_str(b, ",\"");
                ob_str(b, v->id);
                ob_put(b, ".", 1);
                ob_str(b, v->criteria[k]);
                ob_str(b, c->met[def][k] < 0 ? "\":null" : c->met[def][k] ? "\":1" : "\":0");
            }
        }
        ob_str(b, "}\n");
        return;
    }
    ob_u64(b, line);
    if (idc >= 0) {
        ob_put(b, ",", 1);
        ob_csv(b, f[idc].p, f[idc].len);
    }
    /* The verdicts, written in place once there is room for the longest
     * (csv_verdicts_max): the bytes ob_str would have put, without a length
     * and capacity check for each. */
    if (b->len + r->csv_verdicts_max + 1 > b->cap) {
        ob_grow(b, r->csv_verdicts_max);
        if (b->failed)
            return;
    }
    {
        char *o = b->p + b->len;
        for (d = 0; d < r->n_defs; d++) {
            const mt_definition_view *v = &r->view[d];
            int cat_i = c->category[r->defs[d]];
            const char *cat = v->categories[cat_i];
            const signed char *met = c->met[r->defs[d]];
            size_t n = cat_i < CAT_LEN_MAX ? r->cat_len[d][cat_i] : 0;
            if (!n)
                n = strlen(cat);
            *o++ = ',';
            memcpy(o, cat, n);
            o += n;
            for (k = 0; k < v->n_criteria; k++) {
                *o++ = ',';
                if (met[k] >= 0)
                    *o++ = met[k] ? '1' : '0';
            }
        }
        *o++ = '\n';
        b->len = (size_t)(o - b->p);
    }
}

/* ---- the PSU of a row --------------------------------------------------------
 *
 * A row's PSU is the shared index of the key "stratum\x1fPSU" (cells trimmed,
 * checked: no NUL, not missing, at most 140 bytes), found through the
 * worker's cache (cache_get: a hash of the key's bytes and a memcmp). The
 * usual design's cells are short ("9", "901"): a stratum and a PSU of at most
 * 7 bytes each as they are in the file (untrimmed) are packed, bytes and
 * length, into two words that are equal exactly when the cells' bytes are,
 * and looked up in a table of their own that remembers the index the slow
 * way gave them. Everything the slow way does with a pair (the trimming, the
 * checks, the key) is a function of those bytes, and the index never changes
 * once given (the shared keys only grow); only pairs that passed every check
 * are put in the table. So a pair found there is one the slow way would
 * accept, with that index, and its checks are skipped. tests/screen
 * (psu_short_keys) holds the two to each other, blanks around cells too. */
#define SHORT_SLOTS 8192 /* a power of two; filled at most half */

typedef struct short_key {
    uint64_t s, p; /* 0: not packed (a cell longer than 7 bytes) */
} short_key;

typedef struct short_entry {
    uint64_t s, p;
    int index;
} short_entry;

/* Does p[0, n) hold a NUL byte? (end: the block's, readable up to) */
static inline int has_nul(const char *p, size_t n, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n <= 8 && end - p >= 8) { /* one word: the bytes past n set, a zero byte is a NUL */
        const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
        uint64_t x;
        memcpy(&x, p, 8);
        if (n < 8)
            x |= ~0ull << (8 * n);
        return ((x - ones) & ~x & highs) != 0;
    }
#else
    (void)end;
#endif
    return n && memchr(p, 0, n) != NULL;
}

/* Bytes and length of a cell of at most 7 bytes (byte i at bits 8i, the
 * length + 1 in the top byte), read as one word on a little-endian machine
 * when the block has 8 bytes from p; 0 when longer. */
static inline uint64_t pack_cell(const char *p, size_t n, const char *end)
{
    uint64_t x = 0;
    size_t i;

    if (n > 7)
        return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (end - p >= 8) {
        memcpy(&x, p, 8);
        x &= (1ull << (8 * n)) - 1; /* little-endian: the first n bytes (n < 8) */
        return x | (uint64_t)(n + 1) << 56;
    }
#else
    (void)end;
#endif
    for (i = 0; i < n; i++) /* byte i at bits 8i, whatever the byte order */
        x |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return x | (uint64_t)(n + 1) << 56;
}

static inline size_t short_slot(const short_key *k)
{
    return (size_t)(((k->s * 0x9E3779B97F4A7C15ull) ^ (k->p * 0xC2B2AE3D27D4EB4Full)) >> 40) &
           (SHORT_SLOTS - 1);
}

/* The PSU of short cells from the table, or -1 (then k is the key to
 * short_put, its words 0 when the cells are not short). */
static int short_psu(worker *w, const char *sp, size_t sl, const char *pp, size_t pl,
                     const char *end, short_key *k)
{
    size_t i;

    k->s = pack_cell(sp, sl, end);
    k->p = pack_cell(pp, pl, end);
    if (!k->s || !k->p || !w->shorts)
        return -1;
    for (i = short_slot(k);; i = (i + 1) & (SHORT_SLOTS - 1)) {
        const short_entry *e = &w->shorts[i];
        if (e->s == k->s && e->p == k->p)
            return e->index;
        if (!e->s)
            return -1;
    }
}

static void short_put(worker *w, const short_key *k, int index)
{
    size_t i;

    if (!k->s || !k->p || w->n_shorts >= SHORT_SLOTS / 2)
        return;
    if (!w->shorts && !(w->shorts = zeroed_table(SHORT_SLOTS, sizeof(*w->shorts))))
        return;
    for (i = short_slot(k); w->shorts[i].s; i = (i + 1) & (SHORT_SLOTS - 1))
        if (w->shorts[i].s == k->s && w->shorts[i].p == k->p)
            return;
    w->shorts[i].s = k->s;
    w->shorts[i].p = k->p;
    w->shorts[i].index = index;
    w->n_shorts++;
}

/* row_psu's outcomes besides a PSU's index */
#define PSU_REJECT (-1) /* the row's stratum or PSU cell is not one (why says so) */
#define PSU_FATAL  (-2) /* too many PSUs: w->why says so, w->failed is set */

/* The index of the row's PSU in the design (r->psus, named by its stratum
 * and itself), interned at its first row. Why a row is refused goes to why
 * (n bytes; NULL with n 0: not wanted). */
static int row_psu(worker *w, const csv_field *f, const char *end, char *why, size_t n)
{
    run *r = w->r;
    const columns *cols = &r->cols;
    const csv_field *pf = &f[cols->extra[COL_PSU]];
    /* without strata (--psu alone) every PSU is in one stratum, named "": an
     * empty cell at the PSU's own place */
    const int strata = cols->extra[COL_STRATA] >= 0;
    const char *sp0 = strata ? f[cols->extra[COL_STRATA]].p : pf->p;
    size_t sl0 = strata ? f[cols->extra[COL_STRATA]].len : 0;
    short_key sk;
    int psu;

    /* the cells as they are in the file: a pair seen before passed the
     * checks below (functions of those bytes) and got its index */
    if ((psu = short_psu(w, sp0, sl0, pf->p, pf->len, end, &sk)) < 0) {
        const char *sp = sp0, *pp = pf->p;
        size_t sl = sl0, pl = pf->len;
        char key[300];
        cache_entry *e;
        columns_trim(&sp, &sl);
        columns_trim(&pp, &pl);
        if (has_nul(sp, sl, end) || has_nul(pp, pl, end)) {
            snprintf(why, n, "%s: a NUL byte", strata ? "stratum or PSU" : "PSU");
            return PSU_REJECT;
        }
        if (!strata && (columns_missing(pp, pl) || pl > 140)) {
            snprintf(why, n, "PSU (column %s): required with a survey design",
                     cols->extra_name[COL_PSU]);
            return PSU_REJECT;
        }
        if (strata &&
            (columns_missing(sp, sl) || columns_missing(pp, pl) || sl > 140 || pl > 140)) {
            snprintf(why, n,
                     "%s (columns %s, %s): the stratum and PSU are required with a survey design",
                     columns_missing(sp, sl) ? "stratum" : "PSU", cols->extra_name[COL_STRATA],
                     cols->extra_name[COL_PSU]);
            return PSU_REJECT;
        }
        memcpy(key, sp, sl);
        key[sl] = '\x1f';
        memcpy(key + sl + 1, pp, pl);
        psu = cache_get(&w->psus, key, sl + 1 + pl, &e);
        if (psu < 0) { /* a PSU is named by its stratum and itself */
            int st = keys_intern(&r->strata, sp, sl, 0);
            psu = st < 0 ? st : keys_intern(&r->psus, key, sl + 1 + pl, st);
            if (psu >= 0)
                cache_put(&w->psus, e, key, sl + 1 + pl, psu);
        }
        if (psu >= 0)
            short_put(w, &sk, psu);
    }
    if (psu == TALLY_NOMEM) {
        snprintf(w->why, sizeof(w->why), "out of memory");
        w->oom = w->failed = 1;
        return PSU_FATAL;
    }
    if (psu < 0) {
        snprintf(w->why, sizeof(w->why),
                 "more than %d PSUs or strata: are --strata and --psu the design's columns?",
                 TALLY_MAX_PSUS);
        w->failed = 1;
        return PSU_FATAL;
    }
    return psu;
}

/* A row rejected for its measurements whose survey weight, stratum and PSU
 * are valid keeps its PSU in the design, as a row outside every domain
 * (docs/statistics.md "Rejected rows"): R's subset() of the whole file's
 * design. Its PSU's index, PSU_REJECT (not kept) or PSU_FATAL. */
static int keep_in_design(worker *w, const char *end)
{
    const columns *cols = &w->r->cols;
    const csv_field *wf = &w->fields[cols->extra[COL_WEIGHT]];
    double wt;

    if (weight_of(wf->p, wf->len, end, &wt) != 0)
        return PSU_REJECT;
    return row_psu(w, w->fields, end, NULL, 0); /* the row is rejected already: no why */
}

/* The tally's memory limit reached (tally_add, tally_roll_up). */
#define OUTGREW                                                                                    \
    "the counts outgrew %u MiB (groups x PSUs x statistics, docs/screen.md): fewer --by "        \
    "groups, PSUs or definitions, please"

/* A record of empty cells only (",,,", as spreadsheets write below their
 * data; " , ,", a line of blanks: cells are trimmed of spaces and tabs): a
 * blank line, not a row. */
static int all_empty(const csv_field *f, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *p = f[i].p;
        size_t len = f[i].len;
        columns_trim(&p, &len);
        if (len)
            return 0;
    }
    return 1;
}

static void do_block(worker *w, slot *s)
{
    run *r = w->r;
    char *pos = s->buf, *end = s->buf + s->len;
    unsigned long long line = s->first_line;
    const columns *cols = &r->cols;
    mt_classification c;
    mt_error err;
    char why[400];

    csv_index_block(&w->ix, s->buf, end);
    while (pos < end && !r->stop) {
        size_t n = 0, lines = 0;
        unsigned long long at = line;
        int rc = csv_index_record(&w->ix, &pos, end, w->fields, MAX_FIELDS, &n, &lines,
                                  cols->n_header),
            groups[MAX_DIMS + 2],
            ng, psu = 0;
        double wt = 1;

        line += lines;
        /* a blank line, or a record of empty cells only (the first cell
         * asked first: a row's is seldom empty) */
        if (rc == CSV_OK && (w->fields[0].len == 0 || (unsigned char)w->fields[0].p[0] <= ' ') &&
            all_empty(w->fields, n))
            continue;
        s->rows++;
        if (rc != CSV_OK) {
            reject(s, at, csv_problem(rc));
            continue;
        }
        if (n != cols->n_header) {
            /* a carriage return alone inside the record: old Mac line ends */
            const char *cr = n ? memchr(w->fields[0].p, '\r',
                                        (size_t)(w->fields[n - 1].p + w->fields[n - 1].len -
                                                 w->fields[0].p))
                               : NULL;
            snprintf(why, sizeof(why), "%zu field%s, the header has %zu%s", n, n == 1 ? "" : "s",
                     cols->n_header,
                     cr ? " (a carriage return inside the record: convert old Mac line ends "
                          "to LF)"
                        : "");
            reject(s, at, why);
            continue;
        }
        mt_row_reset(w->row);
        /* classified in two parts: the row's weight, PSU and group are read
         * between them, while the measures' chains of divisions are under
         * way (bench/README twelfth round) */
        if (columns_fill(cols, w->row, w->fields, n, end, &err) != 0 ||
            mt_row_classify_start(w->row, r->mask, &err) != MT_OK) {
            reject(s, at, err.message);
            if (r->spec.design && keep_in_design(w, end) == PSU_FATAL)
                return;
            continue;
        }
        if (cols->extra[COL_WEIGHT] >= 0) {
            const csv_field *wf = &w->fields[cols->extra[COL_WEIGHT]];
            if (weight_of(wf->p, wf->len, end, &wt) != 0) {
                if (columns_missing(wf->p, wf->len))
                    snprintf(why, sizeof(why), "survey weight (column %s): missing",
                             cols->extra_name[COL_WEIGHT]);
                else {
                    char cell[56];
                    const char *cp = wf->p;
                    size_t cl = wf->len;
                    columns_trim(&cp, &cl);
                    snprintf(why, sizeof(why),
                             "survey weight (column %s): %s is not 0 or a number from %g to %g",
                             cols->extra_name[COL_WEIGHT],
                             columns_shown_cell(cp, cl, cell, sizeof(cell)), WEIGHT_MIN,
                             WEIGHT_MAX);
                }
                reject(s, at, why);
                continue;
            }
        }
        if (r->spec.design && (psu = row_psu(w, w->fields, end, why, sizeof(why))) < 0) {
            if (psu == PSU_FATAL)
                return;
            reject(s, at, why);
            continue;
        }
        if ((ng = row_groups(w, w->fields, groups, w->why, sizeof(w->why), end)) < 0) {
            w->failed = 1;
            return;
        }
        mt_row_classify_finish(w->row, r->mask, &c);
        if ((rc = tally_add(&w->t, groups, ng, psu, wt, &c)) != 0) {
            if (rc == TALLY_NOMEM)
                snprintf(w->why, sizeof(w->why), "out of memory");
            else
                snprintf(w->why, sizeof(w->why), OUTGREW, TALLY_MAX_BYTES >> 20);
            w->oom = rc == TALLY_NOMEM;
            w->failed = 1;
            return;
        }
        /* the setting the row was classified in, on its group, where rows
         * may have either: asked only while the group has not had both (an
         * OR that changes nothing else), and whatever the definitions (a
         * group's settings change the reach only of one whose categories
         * differ by setting; asking each definition at the start, every
         * combination of its verdicts in each setting, cost more than the
         * marks over a million rows) */
        {
            const unsigned both = MT_REACH_COMMUNITY | MT_REACH_HOSPITAL;
            tgroup *fine = w->t.group[groups[ng - 1]];
            double st;
            if (r->settings == both && fine->settings != both)
                fine->settings |= mt_row_get_used(w->row, MT_FIELD_SETTING, &st) == MT_OK &&
                                          st >= 0 && st < 2
                                      ? 1u << (int)st
                                      : both;
        }
        if (r->o->out)
            write_row(w, s, at, w->fields, &c);
    }
    if (s->out.failed || s->rej.failed) {
        snprintf(w->why, sizeof(w->why), "out of memory");
        w->failed = w->oom = 1;
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    run *r = w->r;

    for (;;) {
        slot *s;
        pthread_mutex_lock(&r->mu);
        for (;;) {
            s = &r->slots[r->next_take % r->n_slots];
            if (r->stop || (s->state == SLOT_FILLED && s->seq == r->next_take))
                break;
            if (r->finished && s->state != SLOT_FILLED) {
                s = NULL;
                break;
            }
            pthread_cond_wait(&r->filled, &r->mu);
        }
        if (r->stop || !s) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        s->state = SLOT_TAKEN;
        r->next_take++;
        pthread_mutex_unlock(&r->mu);
        do_block(w, s);
        pthread_mutex_lock(&r->mu);
        s->state = SLOT_DONE;
        if (w->failed)
            r->stop = 1;
        pthread_cond_broadcast(&r->done);
        pthread_cond_broadcast(&r->filled);
        pthread_mutex_unlock(&r->mu);
        if (w->failed)
            return NULL;
    }
}

/* ---- set-up --------------------------------------------------------------- */

#define ERR(code, ...)                                                                             \
    do {                                                                                           \
        fprintf(stderr, "myotrack: screen: ");                                                     \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        status = (code);                                                                           \
        goto out;                                                                                  \
    } while (0)

/* Is field f one of the muscle mass readings (asm, the BIA readings), which a
 * row may leave empty while its other cells are read? */
static int mass_field(int f)
{
    return f == MT_FIELD_ASM || f == MT_FIELD_ASM_METHOD || f == MT_FIELD_BIA_RESISTANCE ||
           f == MT_FIELD_BIA_REACTANCE || f == MT_FIELD_BIA_EQUATION;
}

/* Can the columns present ever give definition d a category other than
 * insufficient_data? The engine answers: people at both ends of every
 * accepted range, of both sexes, are classified, in `row` (the caller's, one
 * for every definition asked: a row's memos are exact, so what it held
 * before changes no answer, and each new row's tables cost ~0.1 ms); first
 * with every column present, then with the mass readings left empty, as a
 * row may have them (so asm without an asm_method column, whose filled cells
 * the engine refuses, still leaves the rows without it to be classified). */
static int informed(const columns *c, size_t d, mt_row *row)
{
    static const char *const sexes[] = {"female", "male"};
    mt_definition_view v;
    int sx, level, f, no_mass, passes = 1, yes = 0;

    if (!row || mt_definition_at(d, &v) != MT_OK)
        return 0;
    for (f = 0; f < MT_FIELD_COUNT; f++) /* no mass column: the second pass is the first */
        if (mass_field(f) && c->field[f].kind != SRC_NONE)
            passes = 2;
    for (no_mass = 0; no_mass < passes && !yes; no_mass++)
        for (sx = 0; sx < 2 && !yes; sx++)
            for (level = 0; level < 2 && !yes; level++) {
                mt_classification cl;
                mt_error err;
                int ok = 1;
                mt_row_reset(row);
                for (f = 0; f < MT_FIELD_COUNT && ok; f++) {
                    double lo, hi;
                    const char *w = NULL;
                    if ((c->field[f].kind == SRC_NONE && f != MT_FIELD_SEX) ||
                        (no_mass && mass_field(f)))
                        continue;
                    if ((f == MT_FIELD_BIA_RESISTANCE || f == MT_FIELD_BIA_REACTANCE ||
                         f == MT_FIELD_BIA_EQUATION) && c->field[MT_FIELD_ASM].kind != SRC_NONE)
                        continue;
                    if (f == MT_FIELD_SEX)
                        w = sexes[sx];
                    else if (f == MT_FIELD_SETTING)
                        w = level ? "hospital" : "community";
                    else if (f == MT_FIELD_ASM_METHOD)
                        w = c->field[MT_FIELD_ASM].kind != SRC_NONE ? "dxa" : NULL;
                    else if (f == MT_FIELD_BIA_EQUATION)
                        w = c->field[MT_FIELD_BIA_RESISTANCE].kind != SRC_NONE ? "sergi2015" : NULL;
                    if (w) {
                        ok = mt_row_set(row, f, w, strlen(w), &err) == MT_OK;
                    } else if (mt_field_range(f, &lo, &hi, NULL) == MT_OK) {
                        ok = mt_row_set_number(row, f, level ? hi : lo, &err) == MT_OK;
                    }
                }
                if (!no_mass && c->field[MT_FIELD_ASM].kind != SRC_NONE &&
                    c->field[MT_FIELD_ASM].method)
                    mt_row_set(row, MT_FIELD_ASM_METHOD, c->field[MT_FIELD_ASM].method,
                               strlen(c->field[MT_FIELD_ASM].method), &err);
                if (ok && mt_row_classify(row, 1u << d, &cl, &err) == MT_OK &&
                    strcmp(v.categories[cl.category[d]], "insufficient_data") != 0)
                    yes = 1;
            }
    return yes;
}

/* Does a list of names by commas hold an empty one ("", ",a", "a,", "a,,b")? */
static int empty_item(const char *list)
{
    for (;;) {
        size_t len = strcspn(list, ",");
        if (!len)
            return 1;
        if (!list[len])
            return 0;
        list += len + 1;
    }
}

/* The message for an option's list with an empty name (empty_item). */
static void empty_item_message(const char *opt, const char *list, const char *example,
                               char *msg, size_t n)
{
    if (!*list)
        snprintf(msg, n, "%s: empty; name one or more, such as %s", opt, example);
    else
        snprintf(msg, n, "%s: an empty name in '%.100s' (a comma too many); name them "
                         "separated by single commas, such as %s", opt, list, example);
}

static int choose_definitions(run *r, const char *list, char *msg, size_t n)
{
    size_t d, count = mt_definition_count();
    mt_row *probe = NULL;

    if (list && empty_item(list)) {
        empty_item_message("--definitions", list, "ewgsop2,awgs2019", msg, n);
        return -1;
    }
    if (mt_row_new(&probe) != MT_OK)
        probe = NULL; /* informed() then says no: as a failed mt_row_new did in it */
    r->n_defs = 0;
    if (!list) {
        for (d = 0; d < count && d < MT_MAX_DEFINITIONS; d++)
            if (informed(&r->cols, d, probe))
                r->defs[r->n_defs++] = (int)d;
        mt_row_free(probe);
        if (!r->n_defs) {
            snprintf(msg, n, "the columns inform no definition (each needs grip strength or "
                             "another of its measures; see --help)");
            return -2; /* the file's header, not the options: as a header without sex */
        }
    } else {
        const char *p = list;
        while (*p) {
            size_t len = strcspn(p, ",");
            int found = -1;
            for (d = 0; d < count; d++) {
                mt_definition_view v;
                mt_definition_at(d, &v);
                if (strlen(v.id) == len && strncmp(v.id, p, len) == 0)
                    found = (int)d;
            }
            if (found < 0) {
                char all[256] = "";
                for (d = 0; d < count; d++) {
                    mt_definition_view v;
                    mt_definition_at(d, &v);
                    strcat(all, d ? ", " : "");
                    strcat(all, v.id);
                }
                snprintf(msg, n, "--definitions: unknown definition \"%.*s\"; accepted: %s",
                         (int)len, p, all);
                mt_row_free(probe);
                return -1;
            }
            for (d = 0; d < r->n_defs; d++)
                if (r->defs[d] == found) {
                    snprintf(msg, n, "--definitions: %.*s is named twice", (int)len, p);
                    mt_row_free(probe);
                    return -1;
                }
            r->defs[r->n_defs++] = found;
            if (!informed(&r->cols, (size_t)found, probe)) {
                mt_definition_view v;
                mt_definition_at((size_t)found, &v);
                say_note(r, "the columns cannot inform %s: every row will be insufficient_data",
                         v.id);
            }
            p += len;
            if (*p == ',')
                p++;
        }
        mt_row_free(probe); /* (a name at least: empty_item) */
    }
    r->mask = 0;
    for (d = 0; d < r->n_defs; d++) {
        r->mask |= 1u << r->defs[d];
        mt_definition_at((size_t)r->defs[d], &r->view[d]);
    }
    r->csv_verdicts_max = 1;
    for (d = 0; d < r->n_defs; d++) {
        size_t c, longest = 0;
        for (c = 0; c < r->view[d].n_categories; c++) {
            size_t len = strlen(r->view[d].categories[c]);
            if (len > longest)
                longest = len;
            if (c < CAT_LEN_MAX)
                r->cat_len[d][c] = len < 256 ? (unsigned char)len : 0;
        }
        r->csv_verdicts_max += 1 + longest + 2 * r->view[d].n_criteria;
    }
    return 0;
}

/* The --by dimensions and --age-groups bands: 0, -1 on a bad option (its
 * form), -2 on a column the file does not have. */
static int choose_dims(run *r, const screen_opts *o, char *msg, size_t n)
{
    const char *p = o->by;
    int f0;

    if (p && empty_item(p)) {
        empty_item_message("--by", p, "sex,setting", msg, n);
        return -1;
    }

    if (o->age_groups) {
        const char *q = o->age_groups;
        char *e;
        while (*q) {
            double x = strtod(q, &e);
            /* digits only: not " 60", "+60", "60.0" nor "1e2" */
            if (e == q || e != q + strspn(q, "0123456789") || (*e && *e != ',') ||
                (*e == ',' && !e[1]) || !(x >= 18 && x <= 120) ||
                x != floor(x) ||
                (r->n_bands && x <= r->bands[r->n_bands - 1]) || r->n_bands == MAX_BANDS) {
                snprintf(msg, n, "--age-groups: expected rising whole ages 18 to 120, at most %d, "
                                 "such as 60,70,80",
                         MAX_BANDS);
                return -1;
            }
            r->bands[r->n_bands++] = x;
            q = *e ? e + 1 : e;
        }
        if (!r->n_bands) {
            snprintf(msg, n, "--age-groups: expected ages such as 60,70,80");
            return -1;
        }
    }
    while (p && *p) {
        size_t len = strcspn(p, ",");
        dim *d;
        int f;
        char name[DIM_NAME_MAX + 1];
        if (r->n_dims == MAX_DIMS) {
            snprintf(msg, n, "--by: at most %d columns", MAX_DIMS);
            return -1;
        }
        snprintf(name, sizeof(name), "%.*s", (int)len, p);
        d = &r->dims[r->n_dims];
        f = mt_field_lookup(p, len);
        if (f == MT_FIELD_AGE) {
            if (!r->n_bands) {
                snprintf(msg, n, "--by age needs --age-groups (such as 60,70,80)");
                return -1;
            }
            d->kind = DIM_AGE;
        } else if (f >= 0 && mt_field_range(f, NULL, NULL, NULL) != MT_OK) {
            d->kind = DIM_WORD;
            d->field = f;
            /* the word from a memo of the cell's bytes only where that cell
             * alone decides it (row_groups) */
            d->col = columns_cell_decides(&r->cols, f) ? r->cols.field[f].cols[0] : -1;
            if (f == MT_FIELD_BIA_EQUATION) /* missing: sergi2015 only beside BIA readings */
                d->col = -1;
        } else if (f >= 0) {
            snprintf(msg, n, "--by %s: a measurement cannot group rows (only age can, with "
                             "--age-groups)", name);
            return -1;
        } else if ((d->col = columns_find(&r->cols, name)) >= 0) {
            d->kind = DIM_COLUMN;
        } else if (d->col == -2) {
            char two[300];
            snprintf(msg, n, "--by %s%s", name, columns_twice(&r->cols, name, two, sizeof(two)));
            return -2;
        } else {
            char near[200];
            snprintf(msg, n, "--by %s: no such field or column%s", name,
                     columns_near_name(&r->cols, name, near, sizeof(near)));
            return -2; /* the file's header, not the option's form: as --id's */
        }
        for (f = 0; f < r->n_dims; f++)
            if (r->dims[f].kind == d->kind &&
                (d->kind == DIM_AGE || (d->kind == DIM_WORD && r->dims[f].field == d->field) ||
                 (d->kind == DIM_COLUMN && r->dims[f].col == d->col))) {
                snprintf(msg, n, "--by: %s is named twice (a column groups the rows once)", name);
                return -1;
            }
        if (!(d->name = malloc(strlen(name) + 1))) {
            snprintf(msg, n, "out of memory");
            return -1;
        }
        strcpy(d->name, name);
        r->n_dims++;
        p += len;
        if (*p == ',')
            p++;
    }
    for (f0 = 0; f0 < r->n_dims; f0++)
        if (r->dims[f0].kind == DIM_AGE)
            break;
    if (r->n_bands && f0 == r->n_dims && r->n_dims < MAX_DIMS) { /* --age-groups alone: group by them */
        dim *d = &r->dims[r->n_dims++];
        d->kind = DIM_AGE;
        d->name = malloc(4);
        if (!d->name) {
            snprintf(msg, n, "out of memory");
            return -1;
        }
        strcpy(d->name, "age");
    }
    return 0;
}

/* ---- reading -------------------------------------------------------------- */

/* A stretch of a mapped input (map_block), REGION bytes or a window's if
 * longer, that blocks are views of: one mmap and one munmap for eight 1 MiB
 * blocks. Unmapping a stretch interrupts the workers' CPUs to flush it
 * from their TLBs, so fewer, longer ones cost less (bench/README twelfth
 * round); two of them at most are resident at a time (the reader's and
 * the last blocks of the one before), so memory stays constant. Only the
 * main thread makes and drops them. */
#define REGION (8u << 20)

typedef struct region {
    char *map;
    size_t len;
    off_t off;     /* where map[0] is in the file (a page's start) */
    unsigned refs; /* the blocks that view it, and the reader while it maps from it */
} region;

static void region_drop(region *g)
{
    if (g && --g->refs == 0) {
        munmap(g->map, g->len);
        free(g);
    }
}

typedef struct reader {
    int fd;
    char *carry; /* bytes read past the last complete record */
    size_t carry_len, carry_cap;
    int eof;
    unsigned long long bytes;
    /* A regular file is mapped a block at a time instead (map_block): `size`
     * its size when opened (a file that grows meanwhile is screened to that
     * size, where read() would go on to its new end), `off` where the next
     * block starts. */
    int mapped;
    off_t size, off;
    region *rg; /* the region blocks are mapped from now */
    /* The next block's size (next_block): BLOCK_MIN until a block's results
     * are known, then BLOCK, or less where a row's results are many bytes
     * (ratio: the most result bytes an input byte has made in a block). */
    size_t block;
    double ratio;
} reader;

/* After a block of `in` input bytes made `made` bytes of results: the size of
 * the blocks read from now on. A block's results wait in its slot until it is
 * written, so the ring holds about n_slots blocks' results; a block is made
 * small enough that its results come to about OUT_BUDGET (1 MiB of rows
 * makes some 9 MiB of JSONL with four definitions, 29 MiB with all), so that
 * memory does not grow with what the rows are written as. Without -o the
 * results are the rejected rows' reasons alone: full blocks. */
static void next_block(reader *rd, size_t in, size_t made)
{
    double r = in ? (double)made / (double)in : 0;

    if (r > rd->ratio)
        rd->ratio = r;
    rd->block = rd->ratio * BLOCK <= OUT_BUDGET ? BLOCK
              : OUT_BUDGET / rd->ratio < BLOCK_MIN ? BLOCK_MIN
                                                    : (size_t)(OUT_BUDGET / rd->ratio);
}

static int read_block(reader *rd, slot *s);

/* The next window for a record that does not end in one of cap bytes: twice
 * as big, but never past the longest record and its line end, so that any
 * record longer than MAX_RECORD is refused (and none shorter) whatever the
 * window it started in. */
static size_t grown_window(size_t cap)
{
    return cap < MAX_RECORD / 2 ? 2 * cap : MAX_RECORD + 2;
}

/* read_block's block, mapped: the same bytes, cut at the same place (the
 * same window: rd->block and the bytes after the last cut, doubled while no
 * record ends in it), without copying them: a view of the reader's region,
 * or of a new one where the window does not lie in it. A region is mapped
 * private and writable: csv_record_general writes a quoted field's text in
 * place (a page written is copied). The process's resident pages are then
 * the mapped regions instead of the slots' buffers. */
static int map_block(reader *rd, slot *s)
{
    size_t cap = rd->block + rd->carry_len, page = (size_t)sysconf(_SC_PAGESIZE);

    s->last = 0;
    s->len = 0;
    if (rd->off >= rd->size)
        return 0;
    for (;;) {
        size_t avail = (size_t)(rd->size - rd->off), len = avail < cap ? avail : cap, cut;
        region *g = rd->rg;
        if (!g || rd->off < g->off || (size_t)(rd->off - g->off) + len > g->len) {
            size_t skip = (size_t)rd->off % page, want = skip + len < REGION ? REGION : skip + len;
            char *m = MAP_FAILED;
            if (want > skip + avail)
                want = skip + avail;
            if ((g = malloc(sizeof(*g))) != NULL)
                m = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE, rd->fd,
                         rd->off - (off_t)skip);
            if (m == MAP_FAILED) {
                /* a file that cannot be mapped is read from here on (the next
                 * block starts at off: no carry is kept in the reader) */
                free(g);
                region_drop(rd->rg); /* (its blocks keep theirs) */
                rd->rg = NULL;
                if (lseek(rd->fd, rd->off, SEEK_SET) != rd->off)
                    return -1;
                rd->mapped = 0;
                rd->carry_len = 0;
                return read_block(rd, s);
            }
            g->map = m;
            g->len = want;
            g->off = rd->off - (off_t)skip;
            g->refs = 1;
            region_drop(rd->rg);
            rd->rg = g;
        }
        s->buf = g->map + (rd->off - g->off);
        if (len == avail) {
            s->last = 1;
            cut = len;
        } else if (!(cut = csv_boundary(s->buf, len))) {
            s->buf = NULL; /* not a buffer to free */
            if (cap > MAX_RECORD)
                return -2;
            cap = grown_window(cap);
            continue;
        }
        s->rg = g;
        g->refs++;
        s->len = cut;
        rd->carry_len = len - cut;
        rd->off += (off_t)cut;
        rd->bytes += cut;
        return 1;
    }
}

/* The outputs' temporary files' names ("" until out_open makes them), for
 * the signal handlers below to remove (remove_temporaries). */
static const char *volatile tmp_names[3];

/* Only async-signal-safe calls: the handlers' own. */
static void remove_temporaries(void)
{
    int i;

    for (i = 0; i < 3; i++)
        if (tmp_names[i] && tmp_names[i][0])
            unlink(tmp_names[i]);
}

/* The signals that end a run (a kill, ^C, a closed terminal, a reader of
 * standard output gone: `| head`): the temporary files removed, then the
 * signal's own ending. */
#define N_ENDING 4
static const int ending_signals[N_ENDING] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

/* The signal mask back to *old, errno kept for the failure it may report. */
static void restore_mask(const sigset_t *old)
{
    int e = errno;

    pthread_sigmask(SIG_SETMASK, old, NULL);
    errno = e;
}

static void on_ending(int sig)
{
    remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A mapped input that shrinks while it is screened (another program
 * truncates it) makes the next read of a page past its new end a SIGBUS,
 * where read() would have read less: say so, remove the outputs' temporary
 * files (none is renamed before the workers end) and end as a read error,
 * rather than die and leave them. Only async-signal-safe calls. */
static void on_bus(int sig)
{
    static const char msg[] = "myotrack: screen: the input file shrank while it was read\n";

    (void)sig;
    remove_temporaries();
    if (write(2, msg, sizeof(msg) - 1) < 0) {
        /* nothing more to say it with */
    }
    _exit(EX_IOERR);
}

/* A mapped block's view, once no worker reads it (a read block keeps its buffer). */
static void unmap_block(slot *s)
{
    if (!s->rg)
        return;
    region_drop(s->rg);
    s->rg = NULL;
    s->buf = NULL;
}

/* Fill s->buf with the carry and more input, up to a record boundary.
 * 1 a block, 0 the end of the input, -1 a read error, -2 a record too long. */
static int read_block(reader *rd, slot *s)
{
    size_t cut, want = rd->block + rd->carry_len; /* the window (the buffer may be larger) */

    if (rd->mapped)
        return map_block(rd, s);
    if (s->cap < want) {
        char *nb = realloc(s->buf, want);
        if (!nb)
            return -3;
        s->buf = nb;
        s->cap = want;
    }
    if (rd->carry_len)
        memcpy(s->buf, rd->carry, rd->carry_len);
    s->len = rd->carry_len;
    rd->carry_len = 0;
    s->last = 0;
    for (;;) {
        while (!rd->eof && s->len < want) {
            ssize_t got = read(rd->fd, s->buf + s->len, want - s->len);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return -1;
            if (got == 0)
                rd->eof = 1;
            s->len += (size_t)got;
            rd->bytes += (unsigned long long)got;
        }
        if (rd->eof) {
            s->last = 1;
            return s->len ? 1 : 0;
        }
        cut = csv_boundary(s->buf, s->len);
        if (cut)
            break;
        if (want > MAX_RECORD)
            return -2;
        want = grown_window(want); /* one record longer than the window: grow it */
        if (s->cap < want) {
            char *nb = realloc(s->buf, want);
            if (!nb)
                return -3;
            s->buf = nb;
            s->cap = want;
        }
    }
    if (rd->carry_cap < s->len - cut) {
        char *nc = realloc(rd->carry, s->len - cut);
        if (!nc)
            return -3;
        rd->carry = nc;
        rd->carry_cap = s->len - cut;
    }
    rd->carry_len = s->len - cut;
    memcpy(rd->carry, s->buf + cut, rd->carry_len);
    s->len = cut;
    return 1;
}

/* ---- output files: written beside, renamed at the end ----------------------- */

typedef struct outfile {
    const char *path;   /* NULL: none; "-": stdout */
    const char *target; /* what is replaced: path, or where its symbolic links lead */
    char real[4096];    /* that place, when path is a symbolic link */
    char tmp[4096];
    FILE *f;
    int direct; /* a device, pipe or open descriptor, written in place (no temporary, no rename) */
} outfile;

/* The descriptor an output names, already open: 1 for "-" and /dev/stdout,
 * 2 for /dev/stderr, N for /dev/fd/N and /proc/self/fd/N (these spellings
 * only); -1 for a file's name. Such an output is written through a copy of
 * the descriptor (dup), so that it shares the shell's file and offset with
 * what else goes there (a note on stderr under `>log 2>&1`), and is never
 * replaced (as root, renaming over /dev/stdout put a regular file there). */
static int out_fd(const char *path)
{
    const char *d = NULL;
    char *e;
    long n;

    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        d = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        d = path + 14;
    if (!d || *d < '0' || *d > '9')
        return -1;
    errno = 0;
    n = strtol(d, &e, 10);
    return *e || errno || n > 1 << 30 ? -1 : (int)n;
}

/* A device or a pipe (/dev/null, a FIFO): an output written in place, since
 * renaming a file over it would replace it. */
static int in_place(const struct stat *st)
{
    return !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode);
}

static int out_open(outfile *of, const char *path)
{
    struct stat st;
    int fd;

    of->path = of->target = path;
    if (!path)
        return 0;
    if (strcmp(path, "-") == 0) {
        of->f = stdout;
        return 0;
    }
    if ((fd = out_fd(path)) >= 0) {
        if ((fd = dup(fd)) < 0)
            return -1;
        if (!(of->f = fdopen(fd, "w"))) {
            close(fd);
            return -1;
        }
        of->direct = 1;
        return 0;
    }
    if (stat(path, &st) == 0 && in_place(&st)) {
        if (!(of->f = fopen(path, "w")))
            return -1;
        of->direct = 1;
        return 0;
    }
    /* a symbolic link: the file it leads to is replaced, the link kept */
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        if (!realpath(path, of->real)) {
            ssize_t k;
            /* ENOENT: a link to nothing, refused (as GNU cp refuses to write
             * through one): the message says where it leads; ELOOP... */
            if (errno == ENOENT && (k = readlink(path, of->real, sizeof(of->real) - 1)) > 0) {
                of->real[k] = '\0';
                of->target = of->real;
                errno = ENOENT;
            }
            return -1;
        }
        of->target = of->real;
    }
    if (snprintf(of->tmp, sizeof(of->tmp), "%s.tmp.XXXXXX", of->target) >= (int)sizeof(of->tmp)) {
        of->tmp[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = mkstemp(of->tmp)) < 0) {
        of->tmp[0] = '\0';
        return -1;
    }
    {
        /* A file replaced keeps its permission bits (never set-id or sticky
         * ones) when the new one has its owner and group (given, where the
         * user may); otherwise, and for a new file, mkstemp's 0600 widened to
         * what creating the file would give. */
        struct stat now;
        mode_t mask = umask(0), mode = 0666 & ~mask;
        umask(mask);
        if (stat(of->target, &st) == 0 && S_ISREG(st.st_mode)) {
            (void)!fchown(fd, st.st_uid, st.st_gid);
            if (fstat(fd, &now) == 0 && now.st_uid == st.st_uid && now.st_gid == st.st_gid)
                mode = st.st_mode & 0777;
        }
        (void)fchmod(fd, mode);
    }
    if (!(of->f = fdopen(fd, "w"))) {
        close(fd);
        unlink(of->tmp);
        of->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

/* The first half of a commit: everything written out and on disk (the
 * temporary closed, not yet renamed). 0, or -1 with errno. */
static int out_finish(outfile *of)
{
    int bad;

    if (!of->f)
        return 0;
    if (of->f == stdout) /* ferror: a failed write whose buffer is gone (fflush then says 0) */
        return fflush(stdout) || ferror(stdout) ? -1 : 0;
    bad = fflush(of->f) != 0 || ferror(of->f) || (!of->direct && fsync(fileno(of->f)) != 0);
    bad |= fclose(of->f) != 0;
    of->f = NULL;
    return bad ? -1 : 0;
}

/* The second half: the temporary renamed to its name. 0, or -1 with errno. */
static int out_rename(outfile *of)
{
    if (!of->tmp[0])
        return 0;
    if (rename(of->tmp, of->target) != 0)
        return -1;
    of->tmp[0] = '\0';
    return 0;
}

static void out_abandon(outfile *of)
{
    if (of->f && of->f != stdout)
        fclose(of->f);
    of->f = NULL;
    if (of->tmp[0])
        unlink(of->tmp);
    of->tmp[0] = '\0';
}

/* path's directory (its stat) and last part. 0, or -1 when the directory
 * cannot be reached (the file's creation then says why). */
static int out_place(const char *path, struct stat *dir, const char **last)
{
    const char *slash = strrchr(path, '/');
    char d[4096];

    *last = slash ? slash + 1 : path;
    if (snprintf(d, sizeof(d), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
                 slash ? path : ".") >= (int)sizeof(d))
        return -1;
    return stat(d, dir);
}

/* Do paths a and b, neither there yet, name the same place: the same
 * directory and the same last part? */
static int same_place(const char *a, const char *b)
{
    struct stat da, db;
    const char *la, *lb;

    return out_place(a, &da, &la) == 0 && out_place(b, &db, &lb) == 0 &&
           da.st_dev == db.st_dev && da.st_ino == db.st_ino && strcmp(la, lb) == 0;
}

/* The output (0 -o, 1 --summary, 2 --rejects) that writes to standard
 * output ("-", /dev/stdout...), or -1: then no table goes there. */
static int stdout_output(const screen_opts *o)
{
    const char *path[3] = {o->out, o->summary, o->rejects};
    int i;

    for (i = 0; i < 3; i++)
        if (path[i] && out_fd(path[i]) == STDOUT_FILENO)
            return i;
    return -1;
}

/* Does this process have CAP_FOWNER in effect (root's, or given to another
 * user), which lets it replace any file in a sticky directory? Linux's
 * /proc/self/status says; 1 when it cannot be read (the rename then tells). */
static int may_override_owner(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long caps;
    int yes = 1;

    if (!f)
        return 1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "CapEff: %llx", &caps) == 1) {
            yes = (caps >> 3 & 1) != 0; /* CAP_FOWNER is capability 3 */
            break;
        }
    fclose(f);
    return yes;
}

/* Can the existing file at path (st: the file it leads to) be replaced by a
 * rename, as out_rename does at the end? Not another user's file in a sticky
 * directory of another user's (/tmp), without CAP_FOWNER: refused before any
 * work rather than after it. 1 when it can, or when it cannot be told (the
 * rename then says). */
static int replaceable(const char *path, const struct stat *st)
{
    char real[PATH_MAX], *slash;
    struct stat dir;
    uid_t me = geteuid();

    if (st->st_uid == me || !realpath(path, real) || !(slash = strrchr(real, '/')))
        return 1;
    slash[slash == real] = '\0'; /* its directory ("/" for a file at the root) */
    return stat(real, &dir) != 0 || !(dir.st_mode & S_ISVTX) || dir.st_uid == me ||
           may_override_owner();
}

/* Before any work: no output may be the input (in: its stat, NULL for
 * standard input) or the column map's file, another output, or a directory,
 * and standard output takes one of them only. An output naming a descriptor
 * ("-", /dev/stdout, /dev/fd/N) is what that descriptor is (a file, a pipe,
 * a terminal). 0, or a sysexits code with msg. */
static int check_outputs(const screen_opts *o, const struct stat *in, char *msg, size_t n)
{
    const char *path[3] = {o->out, o->summary, o->rejects};
    static const char *const opt[3] = {"-o", "--summary", "--rejects"};
    struct stat st[3], map;
    int there[3], fd[3], i, j, have_map = o->map_path && stat(o->map_path, &map) == 0;

    if (o->table > 0 && (i = stdout_output(o)) >= 0) {
        snprintf(msg, n, "--table and %s %s both write to standard output: give %s a file",
                 opt[i], path[i], opt[i]);
        return EX_USAGE;
    }
    for (i = 0; i < 3; i++) {
        fd[i] = path[i] ? out_fd(path[i]) : -1;
        there[i] = path[i] && (fd[i] >= 0 ? fstat(fd[i], &st[i]) : stat(path[i], &st[i])) == 0;
    }
    for (i = 0; i < 3; i++) {
        if (!path[i])
            continue;
        for (j = 0; j < i; j++) {
            int clash;
            if (!path[j])
                continue;
            if (fd[i] >= 0 && fd[i] == fd[j])
                clash = 1;
            else if (there[i] && there[j]) /* a device may take several; a pipe or file not */
                clash = !S_ISCHR(st[i].st_mode) && st[i].st_dev == st[j].st_dev &&
                        st[i].st_ino == st[j].st_ino;
            else
                clash = !there[i] && !there[j] && fd[i] < 0 && fd[j] < 0 &&
                        same_place(path[i], path[j]);
            if (clash) {
                snprintf(msg, n, "%s and %s both name %s: give each its own file", opt[j],
                         opt[i],
                         strcmp(path[i], "-") ? path[i]
                         : strcmp(path[j], "-") ? path[j]
                                                : "standard output (-)");
                return EX_USAGE;
            }
        }
        if (!there[i])
            continue;
        if (S_ISDIR(st[i].st_mode)) {
            snprintf(msg, n, "cannot create '%s' (%s): a directory", path[i], opt[i]);
            return EX_CANTCREAT;
        }
        if (in && st[i].st_dev == in->st_dev && st[i].st_ino == in->st_ino) {
            snprintf(msg, n, "%s '%s'%s is the input file: name another, the input would be lost",
                     opt[i], path[i], fd[i] >= 0 ? " (where it leads)" : "");
            return EX_USAGE;
        }
        if (have_map && !in_place(&map) && st[i].st_dev == map.st_dev &&
            st[i].st_ino == map.st_ino) {
            snprintf(msg, n,
                     "%s '%s'%s is the column map (--columns): name another, the map would be lost",
                     opt[i], path[i], fd[i] >= 0 ? " (where it leads)" : "");
            return EX_USAGE;
        }
        if (fd[i] < 0 && S_ISREG(st[i].st_mode) && !replaceable(path[i], &st[i])) {
            snprintf(msg, n, "cannot replace '%s' (%s): another user's file in a sticky "
                             "directory (such as /tmp); name a file of your own", path[i], opt[i]);
            return EX_CANTCREAT;
        }
    }
    return 0;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The bar: `done` bytes of the file's `size` are in rows counted (not merely
 * read: the reader runs a ring of blocks ahead of the workers). */
static void progress(unsigned long long done, unsigned long long rows, double t0, off_t size,
                     int final)
{
    double el = mono() - t0, rate = el > 0 ? (double)rows / el : 0;

    if (final) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    if (size > 0 && done > 0 && el > 0) {
        double frac = (double)done / (double)size;
        double eta = frac > 0 ? el / frac - el : 0;
        fprintf(stderr, "\r\033[K%5.1f%%  %llu rows  %.0f rows/s  ETA %.0f s", 100 * frac, rows,
                rate, eta > 0 ? eta : 0);
    } else {
        fprintf(stderr, "\r\033[K%llu rows  %.0f rows/s", rows, rate);
    }
}

/* Whether the per-row CSV has a column of this name besides the id's: `line`
 * or a definition's `<def>.category` or `<def>.<criterion>`. */
static int result_column(const run *r, const char *name)
{
    size_t d, k, n;

    if (strcmp(name, "line") == 0)
        return 1;
    for (d = 0; d < r->n_defs; d++) {
        n = strlen(r->view[d].id);
        if (strncmp(name, r->view[d].id, n) != 0 || name[n] != '.')
            continue;
        if (strcmp(name + n + 1, "category") == 0)
            return 1;
        for (k = 0; k < r->view[d].n_criteria; k++)
            if (strcmp(name + n + 1, r->view[d].criteria[k]) == 0)
                return 1;
    }
    return 0;
}

static void write_header(run *r, FILE *f)
{
    obuf b = {0};
    size_t d, k;

    if (r->out_jsonl)
        return;
    ob_str(&b, "line");
    if (r->cols.extra[COL_ID] >= 0) {
        const char *name = r->cols.extra_name[COL_ID];
        ob_put(&b, ",", 1);
        if (result_column(r, name)) /* two columns of one name: the id's is `id` */
            name = "id";
        ob_csv(&b, name, strlen(name));
    }
    for (d = 0; d < r->n_defs; d++) {
        ob_put(&b, ",", 1);
        ob_str(&b, r->view[d].id);
        ob_str(&b, ".category");
        for (k = 0; k < r->view[d].n_criteria; k++) {
            ob_put(&b, ",", 1);
            ob_str(&b, r->view[d].id);
            ob_put(&b, ".", 1);
            ob_str(&b, r->view[d].criteria[k]);
        }
    }
    ob_put(&b, "\n", 1);
    if (!b.failed)
        fwrite(b.p, 1, b.len, f);
    free(b.p);
}

/* Tell the workers the input is over (they finish the blocks they have) or,
 * with `stop`, to stop now; wait for them. */
static void join_workers(run *r, worker *w, int started, int stop)
{
    int i;

    pthread_mutex_lock(&r->mu);
    if (stop)
        r->stop = 1;
    else
        r->finished = 1;
    pthread_cond_broadcast(&r->filled);
    pthread_mutex_unlock(&r->mu);
    for (i = 0; i < started; i++)
        pthread_join(w[i].th, NULL);
}

/* Where the setting comes from (r->setting_from) and the settings rows can
 * have (r->settings): community's alone without a
 * source (the engine's default), a constant's own when it is one of the two
 * words as the engine reads them (case aside, blanks trimmed), else both;
 * where both, each row's is marked on its group (do_block). */
static void run_settings(run *r)
{
    const col_source *sets = &r->cols.field[MT_FIELD_SETTING];

    r->settings = MT_REACH_COMMUNITY | MT_REACH_HOSPITAL;
    r->setting_from = sets->kind == SRC_NONE ? 0 : sets->kind == SRC_CONSTANT ? 1 : 2;
    if (sets->kind == SRC_NONE) {
        r->settings = MT_REACH_COMMUNITY;
    } else if (sets->kind == SRC_CONSTANT && sets->constant) {
        const char *cp = sets->constant;
        size_t cl = strlen(cp);
        columns_trim(&cp, &cl);
        if (cl == 9 && strncasecmp(cp, "community", 9) == 0)
            r->settings = MT_REACH_COMMUNITY;
        else if (cl == 8 && strncasecmp(cp, "hospital", 8) == 0)
            r->settings = MT_REACH_HOSPITAL;
    }
}

int screen_run(const screen_opts *o)
{
    run R, *r = &R;
    reader rd = {.block = BLOCK_MIN};
    worker *w = NULL;
    outfile out = {0}, sum = {0}, rej = {0};
    slot head = {0};
    csv_field *hf = NULL;
    char msg[600];
    int have_st;
    int status = EX_OK, i, n_workers = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    unsigned long long seq = 0, emitted = 0, rows = 0, rejected = 0, shown = 0, first_next_line = 0,
                       done_bytes = 0;
    int started = 0, show_progress, rc, stopped_strict = 0, bus_set = 0;
    struct sigaction bus_old, ending_old[N_ENDING];
    int ending_set[N_ENDING] = {0};
    sigset_t ending_mask, old_mask;
    struct stat st;
    off_t size = 0;
    double t0 = mono(), last_tick = 0;
    size_t nh = 0, lines = 0;
    char *pos;
    summary_in si;
    char *weight_name = NULL;

    memset(r, 0, sizeof(*r));
    r->o = o;
    if (n_workers < 1)
        n_workers = 1;
    if (n_workers > 64)
        n_workers = 64;
    keys_init(&r->groups, TALLY_MAX_GROUPS);
    keys_init(&r->strata, TALLY_MAX_PSUS);
    keys_init(&r->psus, TALLY_MAX_PSUS);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->filled, NULL);
    pthread_cond_init(&r->done, NULL);
    keys_intern(&r->groups, "all", 3, 0);

    if (o->out && out_fd(o->out) < 0) { /* "-", /dev/stdout...: CSV */
        size_t l = strlen(o->out);
        if (l > 6 && strcasecmp(o->out + l - 6, ".jsonl") == 0)
            r->out_jsonl = 1;
        else if (!(l > 4 && strcasecmp(o->out + l - 4, ".csv") == 0))
            ERR(EX_USAGE, "-o %s: name the file .csv or .jsonl (the format follows the name)",
                o->out);
    }
    /* the options name the design columns before the map: they win */
    if ((o->id && columns_set_extra(&r->cols, COL_ID, o->id, msg, sizeof(msg))) ||
        (o->weight && columns_set_extra(&r->cols, COL_WEIGHT, o->weight, msg, sizeof(msg))) ||
        (o->strata && columns_set_extra(&r->cols, COL_STRATA, o->strata, msg, sizeof(msg))) ||
        (o->psu && columns_set_extra(&r->cols, COL_PSU, o->psu, msg, sizeof(msg))))
        ERR(EX_OSERR, "%s", msg);
    if (o->unweighted && (o->weight || o->strata || o->psu))
        ERR(EX_USAGE, "--unweighted and %s: give one (--unweighted leaves out the map's weight, "
                      "strata and PSU)",
            o->weight ? "--survey-weight" : o->strata ? "--strata" : "--psu");
    if (o->map_json &&
        columns_load(&r->cols, o->map_json, strlen(o->map_json), o->map_name, msg, sizeof(msg)))
        ERR(EX_DATAERR, "%s", msg);
    if (o->unweighted) /* an extract without the design's columns, or plain counts wanted */
        for (i = COL_WEIGHT; i <= COL_PSU; i++)
            columns_clear_extra(&r->cols, i);
    /* the design as the options and the map name it together (an option may
     * replace one of the map's columns); its weight is asked once the header
     * is read (a map's column may be optional) */
    if (r->cols.extra_name[COL_STRATA] && !r->cols.extra_name[COL_PSU])
        ERR(EX_USAGE, "--strata needs --psu: the design's PSUs (clusters) within its strata; "
                      "a design of one stratum takes --psu alone");
    if (o->setting) {
        mt_row *probe = NULL;
        mt_error err;
        if (mt_row_new(&probe) != MT_OK)
            ERR(EX_OSERR, "out of memory");
        rc = mt_row_set(probe, MT_FIELD_SETTING, o->setting, strlen(o->setting), &err);
        mt_row_free(probe);
        if (rc != MT_OK)
            ERR(EX_USAGE, "--%s", err.message); /* "setting: ..." */
    }

    if (strcmp(o->input, "-") == 0) {
        rd.fd = 0;
    } else if ((rd.fd = open(o->input, O_RDONLY)) < 0) {
        char to[256];
        ssize_t k;
        int e = errno;
        /* a dangling link: say where it points, which is what is missing */
        if (e == ENOENT && (k = readlink(o->input, to, sizeof(to) - 1)) > 0) {
            to[k] = '\0';
            ERR(EX_NOINPUT, "cannot open '%s': a dangling symbolic link (to '%s')",
                o->input, to);
        }
        ERR(EX_NOINPUT, "cannot open '%s': %s", o->input, strerror(e));
    }
    have_st = fstat(rd.fd, &st) == 0;
    if (have_st && S_ISREG(st.st_mode))
        size = st.st_size;
    else if (have_st && S_ISDIR(st.st_mode) && rd.fd != 0)
        ERR(EX_NOINPUT, "cannot read '%s': a directory", o->input);
    else if (have_st && S_ISDIR(st.st_mode)) /* `< dir`: as a named one, not a read error */
        ERR(EX_NOINPUT, "cannot read standard input: a directory");
    /* (standard input too, when it is a file: `< in.csv -o in.csv`) */
    rc = check_outputs(o, have_st && S_ISREG(st.st_mode) ? &st : NULL, msg, sizeof(msg));
    if (rc != 0)
        ERR(rc, "%s", msg);
    /* a named regular file is mapped (map_block); standard input and pipes are read */
    rd.mapped = rd.fd != 0 && size > 0;
    rd.size = size;
    sigemptyset(&ending_mask);
    for (i = 0; i < N_ENDING; i++)
        sigaddset(&ending_mask, ending_signals[i]);
    /* the temporary files' names, "" until out_open makes them, for the
     * handlers below (on_bus, on_ending) */
    tmp_names[0] = out.tmp;
    tmp_names[1] = sum.tmp;
    tmp_names[2] = rej.tmp;
    {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sigemptyset(&sa.sa_mask);
        sa.sa_handler = on_ending;
        for (i = 0; i < N_ENDING; i++) /* not one the caller ignores (nohup's SIGHUP) */
            ending_set[i] = sigaction(ending_signals[i], NULL, &ending_old[i]) == 0 &&
                            ending_old[i].sa_handler != SIG_IGN &&
                            sigaction(ending_signals[i], &sa, NULL) == 0;
        if (rd.mapped) {
            sa.sa_handler = on_bus;
            bus_set = sigaction(SIGBUS, &sa, &bus_old) == 0;
        }
    }

    /* the header: the first record */
    rc = read_block(&rd, &head);
    if (rc == -1)
        ERR(EX_IOERR, "cannot read '%s': %s", o->input, strerror(errno));
    if (rc == -2)
        ERR(EX_DATAERR, "line 1: the header is longer than %u MiB (are the line ends a "
                        "carriage return alone? convert them to LF or CRLF)", MAX_RECORD >> 20);
    if (rc < 0)
        ERR(EX_OSERR, "out of memory");
    if (rc == 0)
        ERR(EX_DATAERR, "'%s' is empty: expected a header line naming the columns", o->input);
    if (!(hf = malloc((MAX_FIELDS + 1) * sizeof(*hf))))
        ERR(EX_OSERR, "out of memory");
    pos = head.buf;
    if (head.len >= 3 && memcmp(pos, "\xEF\xBB\xBF", 3) == 0)
        pos += 3;
    { /* old Mac line ends: the whole file would read as a header of many columns */
        const char *nl = memchr(pos, '\n', (size_t)(head.buf + head.len - pos)),
                   *cr = memchr(pos, '\r', (size_t)((nl ? nl : head.buf + head.len) - pos));
        if (cr && cr + 1 != nl)
            ERR(EX_DATAERR, "line 1 (the header): a carriage return (CR) alone ends a line: "
                            "convert the file's line ends to LF or CRLF");
    }
    rc = csv_record(&pos, head.buf + head.len, hf, MAX_FIELDS, &nh, &lines);
    if (rc == CSV_TOO_MANY)
        ERR(EX_DATAERR, "line 1: more than %d columns", MAX_FIELDS);
    if (rc != CSV_OK)
        ERR(EX_DATAERR, "line 1 (the header): %s", csv_problem(rc));
    rc = columns_resolve(&r->cols, hf, nh, msg, sizeof(msg));
    /* columns not read as their names say, fields left out: said before an
     * error they may explain (and kept there for the summary, as say_note's) */
    say_lines(r->cols.notes);
    if (rc)
        ERR(EX_DATAERR, "%s", msg);
    if (o->setting && r->cols.field[MT_FIELD_SETTING].kind == SRC_NONE) {
        col_source *s = &r->cols.field[MT_FIELD_SETTING];
        s->kind = SRC_CONSTANT;
        if (!(s->constant = malloc(strlen(o->setting) + 1)))
            ERR(EX_OSERR, "out of memory");
        strcpy(s->constant, o->setting);
    } else if (o->setting && r->cols.field[MT_FIELD_SETTING].kind == SRC_CONSTANT) {
        /* the map's constant decides: said, not silently dropped */
        say_note(r, "--setting %s is not used: the map sets setting to %s for every row",
                 o->setting, r->cols.field[MT_FIELD_SETTING].constant);
    } else if (o->setting) { /* the file's own column decides: said, not silently dropped */
        say_note(r, "--setting %s is not used: the file's setting column is read, its missing "
                    "cells included",
                 o->setting);
    }
    if ((rc = choose_definitions(r, o->definitions, msg, sizeof(msg))) != 0)
        ERR(rc == -2 ? EX_DATAERR : EX_USAGE, "%s", msg);
    run_settings(r);
    if ((rc = choose_dims(r, o, msg, sizeof(msg))) != 0)
        ERR(rc == -2 ? EX_DATAERR : EX_USAGE, "%s", msg);
    tally_spec_init(&r->spec, r->defs, r->n_defs, r->cols.extra[COL_WEIGHT] >= 0,
                    r->cols.extra[COL_PSU] >= 0);
    if (r->cols.extra[COL_WEIGHT] < 0 && (r->cols.extra[COL_STRATA] >= 0 || r->cols.extra[COL_PSU] >= 0))
        ERR(EX_USAGE, "a survey design (strata, PSU) needs a survey weight column");

    /* the temporaries' names are made with the ending signals held, so that
     * on_ending never sees one half written (a prefix that names the output
     * itself); no worker runs yet */
    pthread_sigmask(SIG_BLOCK, &ending_mask, &old_mask);
    rc = out_open(&out, o->out) || out_open(&sum, o->summary) || out_open(&rej, o->rejects);
    restore_mask(&old_mask);
    if (rc) {
        const outfile *bad = out.path && !out.f ? &out : sum.path && !sum.f ? &sum : &rej;
        if (bad->target != bad->path && errno == ENOENT) /* a link to nothing */
            ERR(EX_CANTCREAT, "cannot create '%s': a dangling symbolic link (to '%s')",
                bad->path, bad->target);
        ERR(EX_CANTCREAT, "cannot create '%s': %s", bad->path, strerror(errno));
    }
    if (out.f)
        write_header(r, out.f);

    /* the ring: the header's block, past the header, is the first */
    r->n_slots = (size_t)n_workers * 2 + 2;
    if (!(r->slots = calloc(r->n_slots, sizeof(*r->slots))) ||
        !(w = calloc((size_t)n_workers, sizeof(*w))))
        ERR(EX_OSERR, "out of memory");
    for (i = 0; i < n_workers; i++) {
        w[i].r = r;
        tally_init(&w[i].t, &r->spec);
        if (mt_row_new(&w[i].row) != MT_OK ||
            !(w[i].fields = malloc((MAX_FIELDS + 1) * sizeof(csv_field))) ||
            csv_index_init(&w[i].ix) != 0)
            ERR(EX_OSERR, "out of memory");
    }
    {
        slot *s0 = &r->slots[0];
        size_t used = (size_t)(pos - head.buf);
        done_bytes = used; /* the header's (and BOM's): the progress bar's share of the file */
        s0->buf = head.buf;
        s0->cap = head.cap;
        s0->len = head.len;
        s0->rg = head.rg;
        head.rg = NULL;
        if (s0->rg) /* a view: start it past the header */
            s0->buf += used;
        else
            memmove(s0->buf, s0->buf + used, s0->len - used);
        s0->len -= used;
        s0->first_line = 1 + lines;
        s0->last = head.last;
        s0->seq = seq++;
        s0->state = SLOT_FILLED;
        head.buf = NULL;
    }
    first_next_line = r->slots[0].first_line + csv_count_lines(r->slots[0].buf, r->slots[0].len);
    show_progress = o->progress < 0 ? isatty(2) : o->progress;
    for (i = 0; i < n_workers; i++) {
        if (pthread_create(&w[i].th, NULL, work, &w[i]) != 0)
            ERR(EX_OSERR, "cannot start a thread");
        started = i + 1;
    }

    {
        unsigned long long next_line = first_next_line;
        int more = !r->slots[0].last;
        while (more || emitted < seq) {
            slot *s;
            pthread_mutex_lock(&r->mu);
            /* emit what is done, in order */
            for (;;) {
                s = &r->slots[emitted % r->n_slots];
                if (emitted < seq && s->state == SLOT_DONE && s->seq == emitted)
                    break;
                if (r->stop || (more && r->slots[seq % r->n_slots].state == SLOT_FREE &&
                                seq - emitted < r->n_slots)) {
                    s = NULL;
                    break;
                }
                pthread_cond_wait(&r->done, &r->mu);
            }
            pthread_mutex_unlock(&r->mu);
            if (r->stop && !s)
                break;
            if (s) {
                /* the block's rows; under --strict with a bad row, those before it
                 * (as the message says; a file is then discarded, standard output
                 * keeps them) */
                int stop_here = o->strict && s->rejected;
                size_t len = stop_here ? s->out_before_reject : s->out.len;
                if (out.f && len && fwrite(s->out.p, 1, len, out.f) != len)
                    ERR(EX_IOERR, "cannot write '%s': %s", o->out, strerror(errno));
                if (stop_here) {
                    fprintf(stderr, "myotrack: screen: line %llu: %s\n", s->first_reject_line,
                            s->first_reject);
                    stopped_strict = 1;
                    pthread_mutex_lock(&r->mu);
                    r->stop = 1;
                    pthread_cond_broadcast(&r->filled);
                    pthread_mutex_unlock(&r->mu);
                    break;
                }
                if (s->rejected) {
                    if (rej.f) {
                        if (fwrite(s->rej.p, 1, s->rej.len, rej.f) != s->rej.len)
                            ERR(EX_IOERR, "cannot write '%s': %s", o->rejects, strerror(errno));
                    } else {
                        const char *p = s->rej.p, *e = s->rej.p + s->rej.len;
                        while (p < e && shown < REJECTS_SHOWN) {
                            const char *nl = memchr(p, '\n', (size_t)(e - p));
                            if (show_progress)
                                fprintf(stderr, "\r\033[K");
                            fprintf(stderr, "myotrack: screen: %.*s\n", (int)(nl - p), p);
                            shown++;
                            p = nl + 1;
                        }
                    }
                }
                rows += s->rows;
                rejected += s->rejected;
                done_bytes += s->len;
                next_block(&rd, s->len, s->out.len + s->rej.len);
                ob_trim(&s->out);
                ob_trim(&s->rej);
                s->rows = s->rejected = 0;
                unmap_block(s); /* a worker no longer reads it */
                pthread_mutex_lock(&r->mu);
                s->state = SLOT_FREE;
                pthread_mutex_unlock(&r->mu);
                emitted++;
                if (show_progress && mono() - last_tick > 0.1) {
                    last_tick = mono();
                    progress(done_bytes, rows, t0, size, 0);
                }
                continue;
            }
            /* a free slot: read the next block into it */
            s = &r->slots[seq % r->n_slots];
            rc = read_block(&rd, s);
            if (rc == -1)
                ERR(EX_IOERR, "cannot read '%s': %s", o->input, strerror(errno));
            if (rc == -2)
                ERR(EX_DATAERR, "line %llu: a record longer than %u MiB", next_line,
                    MAX_RECORD >> 20);
            if (rc == -3)
                ERR(EX_OSERR, "out of memory");
            if (rc == 0) {
                more = 0;
            } else {
                s->first_line = next_line;
                next_line += csv_count_lines(s->buf, s->len);
                more = !s->last;
                pthread_mutex_lock(&r->mu);
                s->seq = seq++;
                s->state = SLOT_FILLED;
                pthread_cond_broadcast(&r->filled);
                pthread_mutex_unlock(&r->mu);
            }
        }
    }
    join_workers(r, w, started, 0);
    started = 0;
    if (show_progress)
        progress(done_bytes, rows, t0, size, 1);
    for (i = 0; i < n_workers; i++)
        if (w[i].failed)
            ERR(w[i].oom ? EX_OSERR : EX_DATAERR, "%s", w[i].why);
    if (stopped_strict && out.f == stdout)
        ERR(EX_DATAERR, "stopped at the first bad row (--strict); the results of the rows before "
                        "it were already written to standard output");
    if (stopped_strict)
        ERR(EX_DATAERR, "stopped at the first bad row (--strict); nothing was written");
    if (!rej.f && rejected > shown)
        fprintf(stderr, "myotrack: screen: ... and %llu more rejected rows (--rejects FILE lists "
                        "them all)\n",
                rejected - shown);
    /* counted, as any rejected rows (exit 0, docs/screen.md), but said: a
     * summary of nobody should not pass unnoticed */
    if (rows > 0 && rejected == rows)
        say_note(r, "every row (%llu) was rejected, for the reasons %s: nobody was screened",
                 rows, rej.f ? "in --rejects" : "on standard error");
    else if (rows == 0 && strcmp(o->input, "-") == 0)
        say_note(r, "standard input has a header and no rows: nobody was screened");
    else if (rows == 0)
        say_note(r, "'%s' has a header and no rows: nobody was screened", o->input);

    /* merge the tallies and write the summary */
    rc = 0;
    for (i = 1; i < n_workers; i++)
        if ((rc = tally_merge(&w[0].t, &w[i].t)) != 0)
            break;
    if (rc == 0)
        rc = tally_roll_up(&w[0].t);
    if (rc == TALLY_NOMEM)
        ERR(EX_OSERR, "out of memory adding up the counts");
    if (rc != 0)
        ERR(EX_DATAERR, OUTGREW, TALLY_MAX_BYTES >> 20);
    si.spec = &r->spec;
    si.t = &w[0].t;
    si.groups = &r->groups;
    si.psus = &r->psus;
    si.n_strata = r->strata.n;
    si.view = r->view;
    si.rows_read = rows;
    si.rows_rejected = rejected;
    si.notes = r->cols.notes;
    si.settings = r->settings;
    si.setting_from = r->setting_from;
    si.no_source = 0;
    for (i = 0; i < MT_FIELD_COUNT; i++)
        if (r->cols.field[i].kind == SRC_NONE)
            si.no_source |= 1u << i;
    if (r->cols.extra_name[COL_WEIGHT]) { /* as a group's name shows its bytes */
        const char *wn = r->cols.extra_name[COL_WEIGHT];
        if (!(weight_name = malloc(4 * strlen(wn) + 1)))
            ERR(EX_OSERR, "out of memory");
        weight_name[escape_part(weight_name, wn, strlen(wn), 0)] = '\0';
    }
    si.weight_column = weight_name;
    if (sum.f) {
        char *text = summary_json(&si);
        if (!text)
            ERR(EX_OSERR, "out of memory writing the summary");
        fputs(text, sum.f);
        fputc('\n', sum.f);
        free(text);
    }
    /* every output on disk before any takes its name, so that one that
     * cannot be written leaves none (out_abandon, below) */
    {
        outfile *all[3] = {&out, &rej, &sum};
        for (i = 0; i < 3; i++)
            if (out_finish(all[i]) != 0)
                ERR(EX_IOERR, "cannot write '%s': %s", all[i]->path, strerror(errno));
        /* all renamed, or none: the ending signals held meanwhile (the
         * workers are joined) */
        pthread_sigmask(SIG_BLOCK, &ending_mask, &old_mask);
        for (i = 0; i < 3 && out_rename(all[i]) == 0; i++)
            ;
        restore_mask(&old_mask);
        if (i < 3)
            ERR(EX_IOERR, "cannot write '%s': %s", all[i]->path, strerror(errno));
    }
    /* not after rows or a summary written to standard output (check_outputs) */
    if (o->table > 0 ||
        (o->table < 0 && stdout_output(o) < 0 && (isatty(1) || (!o->out && !o->summary)))) {
        errno = 0;
        summary_table(stdout, &si); /* with the design's note */
        if (fflush(stdout) != 0 || ferror(stdout))
            ERR(EX_IOERR, "cannot write the table to standard output: %s",
                strerror(errno ? errno : EIO));
    } else {
        char note[300];
        if (o->table < 0 && !o->out && !o->summary) /* --rejects - alone: no figures anywhere */
            fprintf(stderr, "myotrack: screen: note: no table: standard output has the rejected "
                            "rows (--rejects %s); give --summary FILE or --rejects FILE for the "
                            "figures\n",
                    o->rejects);
        if (summary_design_note(&si, note, sizeof(note)))
            fprintf(stderr, "myotrack: screen: note: %s\n", note);
        {
            char reach[16384];
            if (summary_reach_notes(&si, reach, sizeof(reach)))
                say_lines(reach);
        }
    }

out:
    if (started)
        join_workers(r, w, started, 1);
    if (bus_set) /* no worker reads the input now */
        sigaction(SIGBUS, &bus_old, NULL);
    out_abandon(&out);
    out_abandon(&sum);
    out_abandon(&rej);
    for (i = 0; i < N_ENDING; i++) /* no temporary file left to remove */
        if (ending_set[i])
            sigaction(ending_signals[i], &ending_old[i], NULL);
    if (rd.fd > 0)
        close(rd.fd);
    free(rd.carry);
    region_drop(rd.rg);
    if (head.rg)
        unmap_block(&head);
    else
        free(head.buf);
    free(hf);
    free(weight_name);
    for (i = 0; w && i < n_workers; i++) {
        tally_free(&w[i].t);
        cache_free(&w[i].groups);
        cache_free(&w[i].psus);
        free(w[i].shorts);
        mt_row_free(w[i].row);
        free(w[i].fields);
        csv_index_free(&w[i].ix);
    }
    free(w);
    for (i = 0; r->slots && (size_t)i < r->n_slots; i++) {
        if (r->slots[i].rg)
            unmap_block(&r->slots[i]);
        else
            free(r->slots[i].buf);
        free(r->slots[i].out.p);
        free(r->slots[i].rej.p);
    }
    free(r->slots);
    for (i = 0; i < r->n_dims; i++)
        free(r->dims[i].name);
    columns_free(&r->cols);
    keys_free(&r->groups);
    keys_free(&r->strata);
    keys_free(&r->psus);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->filled);
    pthread_cond_destroy(&r->done);
    return status;
}
