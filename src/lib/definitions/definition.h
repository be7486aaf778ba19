/*
 * definition.h - what a consensus definition is to the engine: a table of
 * rule rows (its criteria, thresholds and sources) and a function that turns
 * the evaluated criteria into a category, the list of what is missing, and
 * notes. One file per definition in this folder; registry.c lists them.
 */
#ifndef MT_DEFINITION_H
#define MT_DEFINITION_H

#include <stddef.h>

#include "evidence/rule.h"

#define MT_MAX_CRIT    12
#define MT_MAX_MISSING 6
#define MT_MAX_NOTES   4

typedef struct mt_def_result {
    const char *category;
    int n_missing;
    const char *missing[MT_MAX_MISSING]; /* "grip or chair_stand_5x": one entry per gap */
    int n_notes;
    const char *notes[MT_MAX_NOTES]; /* plain-language remarks, engine conventions named */
    mt_crit crit[MT_MAX_CRIT];       /* indexed like the definition's criteria[] */
} mt_def_result;

typedef struct mt_definition {
    const char *id;     /* JSON key: "ewgsop2" */
    const char *name;   /* short display name: "EWGSOP2" */
    const char *title;  /* what it is, one line */
    const char *source; /* source ID of the definition as a whole */
    const char *const *criteria;
    int n_criteria;
    const mt_rule *rules;
    size_t n_rules;
    const char *const *categories; /* every category it can give, NULL-terminated */
    void (*categorize)(const mt_input *in, const mt_q *measures, mt_def_result *r);
} mt_definition;

/* Rows, as the definition files write them:
 *   RULE(criterion, sex, measure, op, threshold, role, source, status)
 *   RULE_IF(criterion, sex, measure, cond, cond_value, cond_text, op, threshold, role, source,
 *           status)
 *   RULE_UNABLE(...)  as RULE, and "unable" / "not completed" meets it
 *   RULE_RANGE(criterion, sex, measure, low, high, role, source, status): low <= v < high */
#define RULE(c, sx, m, o, t, ro, src, st)                                                          \
    {                                                                                              \
        c, sx, m, COND_NONE, o, 0, t, t, ro, 0, st, src, ""                                        \
    }
#define RULE_IF(c, sx, m, cd, cv, ctext, o, t, ro, src, st)                                        \
    {                                                                                              \
        c, sx, m, cd, o, cv, t, t, ro, 0, st, src, ctext                                           \
    }
#define RULE_UNABLE(c, sx, m, o, t, ro, src, st)                                                   \
    {                                                                                              \
        c, sx, m, COND_NONE, o, 0, t, t, ro, RULE_UNABLE_MEETS, st, src, ""                        \
    }
#define RULE_RANGE(c, sx, m, lo, hi, ro, src, st)                                                  \
    {                                                                                              \
        c, sx, m, COND_NONE, OP_BETWEEN, 0, lo, hi, ro, 0, st, src, ""                             \
    }
#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* Positions in mt_definitions[] (registry.c keeps this order). */
enum {
    DEF_EWGSOP2,
    DEF_AWGS2019,
    DEF_FNIH,
    DEF_SDOC,
    DEF_EWGSOP1,
    DEF_FEARON2011,
    DEF_EVANS2008,
    DEF_GLIM,
    DEF_N
};

/* The sarcopenia definitions, in report order, and the screening rows. */
extern const mt_definition *const mt_definitions[];
extern const size_t mt_n_definitions;
extern const mt_definition mt_screening_rules;

/** Evaluate every row of `d` into r->crit (the interpreter, evidence/rule.c). */
void mt_definition_evaluate(const mt_definition *d, const mt_input *in, const mt_q *measures,
                            mt_def_result *r);

/** The `met` that mt_definition_evaluate(d, ...) gives criterion `crit`
 *  (1, 0, -1), evaluating that criterion's rows only. */
int mt_definition_criterion(const mt_definition *d, int crit, const mt_input *in, const mt_q *m);

/* The rows of each definition that fit each sex, criterion by criterion, in
 * table order: a cohort evaluates the same definitions on many people, so it
 * picks them once (mt_row_classify) instead of testing every row's sex and
 * criterion for every person. */
#define MT_PLAN_MAX_DEFS     16
#define MT_PLAN_MAX_PER_CRIT 8  /* more rows for one criterion: the interpreter evaluates it */
#define MT_PLAN_MAX_RULES    32 /* more rows in a table: the interpreter evaluates it */

/* A row's operator and threshold(s) as the closed interval of the values
 * that meet it, [lo, hi]: v < t is v <= the double just below t (nextafter),
 * v > t is v >= the one just above, so one pair of comparisons answers every
 * operator, for every double v (NaN meets none, as with the operators). */
typedef struct mt_plan_rule {
    double lo, hi;
    /* the row and what the evaluation reads of it, next to its interval: no
     * index arithmetic into the table and no second look at the row */
    const mt_rule *r;
    unsigned char measure, cond;
    signed char unable; /* what "unable" gives: 1 (RULE_UNABLE_MEETS) or -1 */
} mt_plan_rule;

typedef struct mt_rule_plan {
    unsigned char generic[MT_PLAN_MAX_DEFS][2]; /* [definition][MT_MALE == sex]: interpreted */
    unsigned char n[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT];
    unsigned char row[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT][MT_PLAN_MAX_PER_CRIT];
    mt_plan_rule rule[MT_PLAN_MAX_DEFS][MT_PLAN_MAX_RULES]; /* [definition][row] */
    /* mt_definition_mets: the criteria with one row for the sex and no
     * condition ("simple"), in criterion order: their criterion, and their
     * measure, interval and whether "unable" meets them (-1 or 0) side by
     * side for SSE2, an odd count completed by a row no value meets; the
     * other criteria with a row (cond[]); s_ident: simple criterion i is
     * criterion i. */
    unsigned char nsimple[MT_PLAN_MAX_DEFS][2], ncond[MT_PLAN_MAX_DEFS][2];
    unsigned char s_ident[MT_PLAN_MAX_DEFS][2];
    unsigned char s_crit[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT];
    unsigned char s_measure[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT];
    unsigned char cond[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT];
    double s_lo[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT] __attribute__((aligned(16)));
    double s_hi[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT] __attribute__((aligned(16)));
    long long s_unable[MT_PLAN_MAX_DEFS][2][MT_MAX_CRIT] __attribute__((aligned(16)));
} mt_rule_plan;

void mt_rule_plan_init(mt_rule_plan *p);

/* The simple criteria (one row for the sex, no condition: nsimple/s_* of the
 * plan) of a set of definitions for one sex, in one flat list
 * (mt_mets_flat_init): entry k is bit k % 64 of word k / 64, each
 * definition's criteria contiguous within one word (from bit off[d] of word
 * word[d]), so a row's verdicts are two masks per word (h: met 1, l: met 0)
 * computed a few entries at a time, each definition's cut out by a shift.
 * The entry in slot k (blocks of 8 in the order 0 1 4 5 2 3 6 7: rule.c)
 * reads measure idx[k] / 2 (idx: the mt_q's index in 8-byte units, its
 * state's word; the value is the next) and meets [lo, hi], and "unable"
 * meets it where su[k] is -1. A word's entries are completed to a multiple
 * of 8 by entries whose bits nobody reads. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__SSE2__)
#define MT_METS_WIDE 1 /* an AVX2 way, taken where the CPU has it */
#else
#define MT_METS_WIDE 0
#endif
#define MT_FLAT_WORDS 4 /* MT_PLAN_MAX_DEFS definitions of <= MT_MAX_CRIT: 5 a word fit */
#define MT_FLAT_MAX   (64 * MT_FLAT_WORDS)
typedef struct mt_mets_flat {
    double lo[MT_FLAT_MAX] __attribute__((aligned(16))); /* 16: calloc'd in a row object */
    double hi[MT_FLAT_MAX] __attribute__((aligned(16)));
    long long su[MT_FLAT_MAX] __attribute__((aligned(16)));
    int idx[MT_FLAT_MAX] __attribute__((aligned(16)));
    int end[MT_FLAT_WORDS]; /* word w's slots: [64 w, end[w]), end % 8 == 0 */
    int nw, sex;
    int wide; /* the CPU has AVX2 (MT_METS_WIDE): 1, and AVX-512 BW and VL: 2; else 0 */
    unsigned defs;
    int nd; /* the definitions of defs in order: their entries, their other criteria */
    struct {
        unsigned mask; /* (1 << ns) - 1 */
        unsigned char d, word, off, ns, ident, co, nco; /* co[co] to co[co + nco - 1] */
    } def[MT_PLAN_MAX_DEFS];
    /* The criteria with a condition or more than one row. by_method: every
     * row's condition is none, DXA or BIA, so the row applied depends on the
     * ASM method alone: sel[mu], the first row (in p->rule[d]) whose
     * condition holds for method mu (0 none, 1 DXA, 2 BIA, 3 any other
     * value), -1 for none. */
    struct {
        unsigned char c, by_method;
        signed char sel[4];
    } co[MT_PLAN_MAX_DEFS * MT_MAX_CRIT];
} mt_mets_flat;

/** The flat list of the simple criteria of the definitions in `defs` (those
 *  the plan takes for `sex`, MT_MALE == sex: bit d, d < MT_PLAN_MAX_DEFS,
 *  !p->generic[d][sex]). */
void mt_mets_flat_init(const mt_rule_plan *p, unsigned defs, int sex, mt_mets_flat *f);

/** mt_definition_mets for f's definitions and sex (in->sex must be f's),
 *  through f made once. */
void mt_definition_mets_flat(const mt_rule_plan *p, const mt_mets_flat *f, const mt_input *in,
                             const mt_q *m, signed char (*met)[MT_MAX_CRITERIA], unsigned *codes);

/** For each definition d in `defs` (bit d) the plan evaluates (d <
 *  MT_PLAN_MAX_DEFS, in->sex MT_MALE or MT_FEMALE, !p->generic[d][sex]):
 *  met[d][c] for each of its criteria, exactly the met
 *  mt_definition_evaluate_planned(p, d, in, m, ...) gives it (-1 where no row
 *  fits, and for every c past the criteria: all MT_MAX_CRITERIA of met[d]
 *  are written), and codes[d], which is the same exactly when every met is:
 *  bit c for met 1, bit 12 + c for met 0 (MT_MAX_CRIT criteria: 24 bits). */
void mt_definition_mets(const mt_rule_plan *p, unsigned defs, const mt_input *in, const mt_q *m,
                        signed char (*met)[MT_MAX_CRITERIA], unsigned *codes);

/** 0 (the default): mt_definition_mets takes its criteria four at a time in
 *  AVX2 where the CPU has it (their bytes written with AVX-512 where it has
 *  that too), else two at a time in SSE2 where the compiler has it; 1: one
 *  at a time, the way without SSE2; 2: SSE2 even where AVX2 is; 3: AVX2 even
 *  where AVX-512 is (test hooks, so that every way is tested on x86 too;
 *  written only while no thread classifies). */
extern int mt_mets_scalar;

/** 0 (the default): mt_mets_flat_init lays the entries from bit 0 of word
 *  0; a test hook (0 to 63) starts them further, so that definitions reach
 *  the next words. */
extern int mt_mets_flat_skew;

/** 1 (the default): mt_row_classify keeps each definition's outcome by its
 *  key (engine/assess.c); 0: every row is evaluated in full. A test hook:
 *  read by every thread, written only while none classifies. */
extern int mt_classify_memo;

/** How many definitions' outcomes the row object took from its memo (tests). */
unsigned long mt_row_memo_hits(const mt_row *row);

/** mt_definition_evaluate(mt_definitions[d], ...) through the plan: the same result. */
void mt_definition_evaluate_planned(const mt_rule_plan *p, size_t d, const mt_input *in,
                                    const mt_q *m, mt_def_result *res);

/* ---- helpers for categorize functions (definitions/domain.c) ----------- */

typedef enum { D_UNKNOWN = -1, D_NOT_LOW = 0, D_LOW = 1 } mt_domain_state;

/** OR over the criteria of `role` (REFERENCE §1): low if any measured is low,
 *  not low if at least one was measured and none is low, else unknown. */
int mt_domain(const mt_definition *d, const mt_def_result *r, int role);

#define MT_N_ROLES (ROLE_FLAG + 1)

/** mt_domain for every role at once, in one walk of the rows: state[role].
 *  For met in {1, 0, -1} the OR is the maximum (D_LOW 1 > D_NOT_LOW 0 >
 *  D_UNKNOWN -1), which needs no early return; test_rule_plan holds it to
 *  mt_domain. */
void mt_domains(const mt_definition *d, const mt_def_result *r, int state[MT_N_ROLES]);

/** The same OR over an explicit list of criterion indexes. */
int mt_domain_of(const mt_def_result *r, const int *crits, int n);

/* Three-valued logic over criteria (1 met, 0 not met, -1 unknown). */
static inline int mt_and3(int a, int b)
{
    return (a == 0 || b == 0) ? 0 : (a == 1 && b == 1) ? 1 : -1;
}

static inline int mt_or3(int a, int b)
{
    return (a == 1 || b == 1) ? 1 : (a == 0 && b == 0) ? 0 : -1;
}

void mt_add_missing(mt_def_result *r, const char *what);
void mt_add_note(mt_def_result *r, const char *note);

/** The "missing" entry for muscle mass, naming height when that is the gap. */
const char *mt_missing_mass(const mt_input *in, int needs_weight);

#endif
