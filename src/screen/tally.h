/*
 * tally.h - the counts behind the prevalence table: per group (all, sex=male,
 * ...) and per statistic (each category of each definition, each criterion),
 * how many rows were evaluated and met it, with their weights and, under a
 * survey design, their totals per PSU. Each thread keeps its own tally; they
 * are merged at the end (tally_merge), then summarised (summary.c).
 */
#ifndef MT_SCREEN_TALLY_H
#define MT_SCREEN_TALLY_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "myotrack.h"

#define TALLY_MAX_GROUPS 512
#define TALLY_MAX_PSUS   4096
#define TALLY_MAX_BYTES  (64u << 20) /* per thread: groups x PSUs x statistics (docs/screen.md) */

/* Names interned once for all threads: group keys, strata, PSUs. */
typedef struct keys {
    pthread_mutex_t mu;
    size_t n, cap, max;
    char **name;
    int *aux; /* PSUs: the stratum of each */
} keys;

int keys_init(keys *k, size_t max);
void keys_free(keys *k);
/* What the functions below return when they cannot count: a limit reached
 * (TALLY_MAX_*, a keys' max), or memory that could not be had. */
#define TALLY_OVER  (-1)
#define TALLY_NOMEM (-2)

/** The index of name[0, len), added if new (with aux); TALLY_OVER past the
 *  limit, TALLY_NOMEM out of memory. */
int keys_intern(keys *k, const char *name, size_t len, int aux);

/* What is counted: for each definition chosen, its rows (the evaluated side
 * of every category: each row has one), its categories (their met side) and
 * its criteria. The statistics are laid out with every definition's criteria
 * first (crit[d] the first of d's), then each definition's rows
 * (base[d]) and categories (base[d] + 1 + category). */
typedef struct tally_spec {
    size_t n_defs;
    int def[MT_MAX_DEFINITIONS];     /* positions for mt_definition_at */
    size_t base[MT_MAX_DEFINITIONS]; /* first statistic of each chosen definition */
    size_t n_cat[MT_MAX_DEFINITIONS], n_crit[MT_MAX_DEFINITIONS];
    size_t crit[MT_MAX_DEFINITIONS]; /* first criterion's statistic of each */
    size_t n_crits; /* the criteria of all: statistics [0, n_crits), each definition's from a
                       multiple of 4 (crit[d]; the ones up to the next are padding, never counted) */
    size_t n_stats;
    size_t stride; /* a row of sums: n_stats (a definition's quads end within its own
                      criteria and padding, tally.c) */
    int weighted, design;
    int wide; /* four criteria per AVX2 addition: tally_wide_available(); 0 for SSE2's two */
} tally_spec;

/* The AVX2 way is built on x86-64 with GCC or clang, and taken where the CPU has it. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__SSE2__)
#define TALLY_WIDE 1
#else
#define TALLY_WIDE 0
#endif

/** Does this CPU take the AVX2 way (tally_spec_init sets spec->wide to it)? */
int tally_wide_available(void);

void tally_spec_init(tally_spec *s, const int *defs, size_t n_defs, int weighted, int design);

/* A statistic's counts and, with weights, its sums of w over the rows
 * evaluated and met and of w * w over those evaluated; a category's
 * w2_eval is over its own rows (met), its evaluated side being its
 * definition's rows (tally.c). Under a design w_eval and w_met are 0: its
 * PSUs' sums (tally_psu) add up to them. */
typedef struct tcell {
    int64_t evaluated, met;
    double w_eval, w_met, w2_eval;
} tcell;

typedef struct tgroup {
    tcell *cells; /* [stat]; its sums and counts complete after tally_flush */
    double *psu;  /* [psu][2][stride]: sums of w over evaluated, over met (tally_psu) */
    size_t psu_cap;
    /* As rows come (tally.c): the weighted sums w_eval, w_met, w2_eval, each
     * [stride], and the criteria's counts of the last `pending` rows (< 255)
     * in bytes, 32 criteria's in 64 (evaluated, met: tally.c's pend_at). tally_flush
     * moves them into cells. */
    double *hot;
    unsigned char *pend;
    unsigned pending;
    /* The settings its rows were classified in (MT_REACH_* bits), where the
     * caller marks them (screen.c, when a column gives the setting): what
     * its categories can reach (summary.c); 0: not marked. Merged by OR. */
    unsigned settings;
} tgroup;

/** A PSU's sum of w over the rows that were evaluated (side 0) or met (1) `stat`. */
static inline double tally_psu(const tgroup *g, const tally_spec *s, size_t psu, size_t stat,
                               int side)
{
    return g->psu[(psu * 2 + (size_t)side) * s->stride + stat];
}

#define TALLY_MAX_PARENTS 7

/* A row is counted once, in the last (the finest) of its groups: "sex=male"
 * under --by sex, the cross of the --by columns under several; the coarser
 * groups it also belongs to ("all", each column's own) are its parents, and
 * get their counts as the sums of their finest groups' (tally_roll_up). */
typedef struct tally {
    const tally_spec *spec;
    tgroup *group[TALLY_MAX_GROUPS];
    signed char n_parents[TALLY_MAX_GROUPS]; /* -1: not a finest group (yet) */
    short parent[TALLY_MAX_GROUPS][TALLY_MAX_PARENTS];
    size_t bytes;
    int nomem; /* an allocation failed (the calls then return TALLY_NOMEM) */
} tally;

void tally_init(tally *t, const tally_spec *spec);

/** Count one row in `ng` groups (at most TALLY_MAX_PARENTS + 1), the finest
 *  last. 0, TALLY_OVER when the memory limit is reached, or TALLY_NOMEM. */
int tally_add(tally *t, const int *groups, int ng, int psu, double w, const mt_classification *c);

/** Move the sums and counts kept as rows come into cells (tally_merge and
 *  tally_roll_up call it; whoever reads the cells of a tally only
 *  tally_add-ed calls it first). After it, tally_add no longer may be. */
void tally_flush(tally *t);

/** Add each finest group's counts into its parents (once, after the merge).
 *  0, or TALLY_OVER or TALLY_NOMEM as tally_add. */
int tally_roll_up(tally *t);

/** Add src into dst (same spec). 0, or TALLY_OVER or TALLY_NOMEM as tally_add. */
int tally_merge(tally *dst, tally *src);

void tally_free(tally *t);

#endif
