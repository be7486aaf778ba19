/*
 * columns.h - which cells of a cohort file make each field of a person.
 *
 * By default a field is the column of its own name (sex, age, grip...). A map
 * (--columns MAP.json, or a preset such as --preset nhanes) names other
 * columns, with a unit, a code table, the maximum or sum of several columns,
 * or a constant; docs/screen.md documents the format.
 */
#ifndef MT_SCREEN_COLUMNS_H
#define MT_SCREEN_COLUMNS_H

#include <stddef.h>

#include "myotrack.h"
#include "screen/csv.h"

enum { SRC_NONE, SRC_COLUMN, SRC_MAX_OF, SRC_SUM_OF, SRC_CONSTANT };

typedef struct col_code {
    char *from, *to; /* to NULL: the code means "missing" */
    double value;    /* from's value, when is_number (a cell of that value matches) */
    int is_number;
} col_code;

typedef struct col_source {
    int kind; /* SRC_* */
    size_t n_cols;
    char **names;  /* the map's column names */
    int *cols;     /* their positions in the header */
    char *unit;    /* NULL: the field's canonical unit; else each plain number's, read as
                      "<cell> <unit>" by the engine's quantity reader (columns.c with_unit) */
    size_t n_codes;
    col_code *codes;
    char *constant;
    char *method;  /* asm: the asm_method it implies ("dxa", "bia") */
    int optional;  /* left out when the file lacks its columns */
    int unit_kind; /* mt_unit of the field, -1 for none */
} col_source;

/* The design and pass-through columns: -1 when not used. */
enum { COL_ID, COL_WEIGHT, COL_STRATA, COL_PSU, COL_N_EXTRA };

/* How columns_fill reads a field (made by columns_resolve: after it, only
 * setting's source may change, from none to a constant: screen's --setting). */
typedef struct col_use {
    int field;
    int col;   /* SRC_COLUMN: its position in the header */
    int plain; /* a column read as it is (no codes, no unit, no reading others depend on) */
    unsigned bit; /* 1u << field */
    size_t at;    /* plain: col * sizeof(csv_field) */
    size_t slot;  /* field * sizeof(mt_row_field): the row's constants of the field */
} col_use;

typedef struct columns {
    col_source field[MT_FIELD_COUNT];
    col_use use[MT_FIELD_COUNT]; /* the fields with a source, and setting, in order */
    int n_use;
    int all_plain; /* every field of use[] is plain */
    char *extra_name[COL_N_EXTRA];
    unsigned char extra_mapped[COL_N_EXTRA]; /* 1: named by the map, not by an option */
    int extra[COL_N_EXTRA];
    size_t n_header;
    char **header;
    char *notes; /* notes on how the file is read, one a line (NULL: none): columns_resolve's,
                    then screen's own (say_note), for stderr and the summary */
} columns;

/** Add a line to c->notes (a note lost for lack of memory, never the run). */
void columns_add_note(columns *c, const char *line);

/** Load a map (JSON text); the file's name goes in messages. 0, or -1 with msg. */
int columns_load(columns *c, const char *json, size_t len, const char *name, char *msg, size_t n);

/** The built-in preset called `name`'s map, or NULL. */
const char *columns_preset(const char *name);

/** The presets' names, for messages: "nhanes". */
const char *columns_preset_names(void);

/** Set a design or pass-through column by name (the options override the map). */
int columns_set_extra(columns *c, int which, const char *name, char *msg, size_t n);
/** No column for `which` (--unweighted: the map's design left out). */
void columns_clear_extra(columns *c, int which);

/** Match the map against the header's column names; 0, or -1 with msg. */
int columns_resolve(columns *c, const csv_field *header, size_t n, char *msg, size_t msg_n);

/**
 * 1 when field f's value is decided by the text of its one column alone (a
 * plain or coded column, and no other field's source writes f), so that a
 * memo keyed by that cell's bytes gives f's value; 0 otherwise. asm read
 * with a method also sets asm_method (columns_fill), so asm_method is then
 * decided by two cells.
 */
int columns_cell_decides(const columns *c, int f);

/** Position of a header column by name; -1 none; -2 two or more of that
 *  name (a header may repeat a name, or leave one empty, as pandas' and R's
 *  row names do, for columns nothing reads). */
int columns_find(const columns *c, const char *name);

/** Where columns_find gave -2: ": columns N and M are both named \"x\"; rename
 *  one", into buf. */
const char *columns_twice(const columns *c, const char *name, char *buf, size_t n);

/** For an error about a name the header lacks: " (there is \"Site\": names are
 *  matched as they are written)" when a column has it in another case, else "". */
const char *columns_near_name(const columns *c, const char *name, char *buf, size_t n);

/* A cell's text for a one-line message, into buf (n bytes, at least 8) and
 * returned: in double quotes, a quote and any byte that is not printable
 * ASCII as \xNN, cut with "..." when it does not fit. */
const char *columns_shown_cell(const char *p, size_t len, char *buf, size_t n);

/**
 * Fill `row` from one record's fields. `end`: the end of the memory readable
 * from the cells (a block's end), which lets a cell with 16 bytes readable
 * from its start be read in one load; NULL reads no byte past any cell. 0,
 * or -1 with err naming the field (and the column, when the cell's text is at
 * fault).
 */
int columns_fill(const columns *c, mt_row *row, const csv_field *f, size_t n, const char *end,
                 mt_error *err);

/** Trim blanks (spaces, tabs) around a cell. */
static inline void columns_trim(const char **p, size_t *len)
{
    const char *s = *p;
    size_t n = *len;

    /* ' ' and '\t' are both <= ' ': a cell whose end bytes are above it (the
     * usual one) has nothing to trim, found with two comparisons */
    if (!n || ((unsigned char)s[0] > ' ' && (unsigned char)s[n - 1] > ' '))
        return;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *p = s;
    *len = n;
}

/** Is a trimmed cell "missing": empty, NA or '.'? */
static inline int columns_missing_trimmed(const char *p, size_t len)
{
    return len == 0 || (len == 2 && p[0] == 'N' && p[1] == 'A') || (len == 1 && p[0] == '.');
}

/** Is the cell "missing": empty, NA or '.' (after trimming blanks)? */
static inline int columns_missing(const char *p, size_t len)
{
    columns_trim(&p, &len);
    return columns_missing_trimmed(p, len);
}

/** A cell that is a plain number ("12.5", "-3e2"; no unit, no blanks), read in
 *  the C locale (the command never sets another). 0, or -1 for anything else. */
int columns_plain_number(const char *p, size_t len, double *out);

void columns_free(columns *c);

#endif
