/*
 * screen.h - `myotrack screen`: every definition over a whole cohort file,
 * streamed, on several threads, into per-row results and a prevalence table
 * (docs/screen.md).
 */
#ifndef MT_SCREEN_SCREEN_H
#define MT_SCREEN_SCREEN_H

typedef struct screen_opts {
    const char *input;       /* a path, or "-" for standard input */
    const char *map_json;    /* the column map's text, or NULL */
    const char *map_name;    /* its name in messages: the file, or "preset nhanes" */
    const char *map_path;    /* the file the map was read from, or NULL (a preset) */
    const char *definitions; /* "ewgsop2,fnih", or NULL: all the columns can inform */
    const char *setting;     /* community | hospital, for rows without one */
    const char *id, *weight, *strata, *psu; /* column names, or NULL */
    const char *by;          /* "sex,age", or NULL */
    const char *age_groups;  /* "60,70,80", or NULL */
    const char *out;         /* per-row results: FILE.csv, FILE.jsonl or "-" (CSV) */
    const char *summary;     /* the summary as JSON: a file or "-" */
    const char *rejects;     /* every rejected row, or NULL: the first ones on stderr */
    int threads;             /* 0: one per core */
    int strict;              /* stop at the first bad row */
    int unweighted;          /* drop the map's survey weight, strata and PSU */
    int progress;            /* -1 auto (a terminal), 0 never, 1 always */
    int table;               /* -1 auto, 0 never, 1 always */
} screen_opts;

/** Run it; returns a sysexits code, after one-line messages on stderr. */
int screen_run(const screen_opts *o);

#endif
