/*
 * summary.h - the prevalence table, from the merged tally: the JSON of
 * --summary (docs/screen.md) and the table printed on a terminal.
 */
#ifndef MT_SCREEN_SUMMARY_H
#define MT_SCREEN_SUMMARY_H

#include <stdio.h>

#include "screen/tally.h"

typedef struct summary_in {
    const tally_spec *spec;
    const tally *t;
    const keys *groups, *psus; /* psus->aux: each PSU's stratum */
    size_t n_strata;
    const mt_definition_view *view; /* the chosen definitions, in order */
    unsigned long long rows_read, rows_rejected;
    const char *weight_column;      /* NULL: unweighted */
    const char *notes;              /* the notes said about the data, one a line; NULL: none */
    unsigned settings; /* the settings rows can have (MT_REACH_*: a constant, or both) */
    int setting_from;  /* where the setting comes from: 0 nowhere (community), 1 a constant,
                          2 a column */
    unsigned no_source; /* bit f: no column or constant gives MT_FIELD_f (a not-assessable
                           reason then says which columns would give its criteria) */
} summary_in;

/** The summary as JSON text (malloc'd), or NULL out of memory. */
char *summary_json(const summary_in *s);

/** A one-line note on the survey design a reader must be told of, into buf:
 *  no degrees of freedom (so no weighted interval), or strata with a single
 *  PSU (certainty units). 1 with a note, 0 with none (buf ""). */
int summary_design_note(const summary_in *s, char *buf, size_t n);

/** The categories of group "all" that its data cannot reach (a criterion no
 *  row had evaluated, or the setting: mt_definition_reachable), one line
 *  per definition and reason ("EWGSOP2 not assessable: confirmed, severe:
 *  no row has low_asm or low_asmi evaluated"), into buf (lines ending
 *  '\n'). How many lines; 0 with buf "" (also when they do not fit). */
int summary_reach_notes(const summary_in *s, char *buf, size_t n);

/** The readable table (with that note under it). */
void summary_table(FILE *f, const summary_in *s);

#endif
