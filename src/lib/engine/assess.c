/*
 * assess.c - one assessment, start to end: derive the measures, run the
 * screening rows, evaluate every definition's rows, let each definition name
 * its category. Pure: reads the input, writes only the new result.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/result.h"
#include "error.h"

/* The measures and every definition: the first half of an assessment.
 * res->in is set; the rest is zero. (A cohort row goes its own way,
 * mt_row_classify below.) */
static void classify(mt_result *res)
{
    size_t d;

    mt_measures_body(res);
    mt_measures_performance(res, 1);
    mt_measures_grip(res);
    mt_measures_screening(res, 1);
    mt_measures_history(res);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        mt_definition_evaluate(def, &res->in, res->m, &res->defs[d]);
        def->categorize(&res->in, res->m, &res->defs[d]);
    }
}

int mt_assess(mt_result **out, const mt_input *in, mt_error *err)
{
    mt_result *res;

    if (out)
        *out = NULL;
    if (!out || !in)
        return mt_error_set(err, MT_EUSAGE, "", "mt_assess: out and in must not be NULL");
    res = calloc(1, sizeof(*res));
    if (!res)
        return mt_error_set(err, MT_ENOMEM, "", "out of memory");
    res->in = *in;
    classify(res);
    mt_result_summarize(res);
    mt_triage_assess(res);
    mt_differential_assess(res);
    mt_plan_assess(res);
    *out = res;
    return MT_OK;
}

/* ---- the memo of a cohort row's categories -------------------------------
 *
 * A cohort repeats itself: of a million rows, EWGSOP2 gives some 6,200
 * distinct outcomes (category and met of every criterion), SDOC 22. A row's
 * met of every criterion is computed directly (mt_definition_mets: the
 * planned evaluation's met and nothing else); its category is kept per row
 * object (one per thread: no lock), per definition, in a table of categories
 * by key (sets of MEMO_WAYS, a bounded size whatever the file); a row whose
 * key is in it takes the category from it; for any other categorize runs on
 * those met (categorize_row) and its category is stored.
 *
 * Why this is exact. The outcome of definition d is category and met[], and
 * nothing else leaves mt_row_classify.
 *   - met[c] is mt_definition_mets()'s, the very met that
 *     mt_definition_evaluate_planned gives (the same rows, order, condition
 *     and met_planned; test_rule_plan `mets_equal_interpreter`), and
 *     evaluate_row's out->met[d][c] (-1 where no row fits: shown is NULL
 *     exactly when the criterion has no row for the sex, and then met is -1);
 *   - the category is d's categorize's, which reads for it only the
 *     criteria's met (r->crit[c].met, directly and through mt_domain_of and
 *     mt_domains) and in->setting == MT_COMMUNITY (awgs2019): grep `in->` and
 *     `m[` in src/lib/definitions/; every other read (MT_HAS of in->asm_kg,
 *     height, weight, grip, in->bia.given through mt_missing_mass, evans2008
 *     and ewgsop1's missing_grip, m[M_BMI].state) is the argument of
 *     mt_add_missing or the condition of one, made after the category is set
 *     and never read back into it (no categorize reads r->missing, r->notes,
 *     nor a criterion's state, value, shown or applied row, so that
 *     categorize_row gives it the met alone); then the category's index in
 *     the definition's list of names, fixed.
 * So the key holds every met (2 bits each, mt_definition_mets' code), the
 * setting for awgs2019 (cat_read[d]) and the sex: two rows with the same key
 * get the same category for d, by construction; test_rule_plan's
 * `categorize_reads_only_met_and_setting` holds every categorize to this. A
 * definition the plan does not take (generic), with more than
 * MEMO_MAX_CATEGORIES categories, or a person of no known sex is not
 * memoized. The state and value each criterion shows (mt_crit) may differ
 * between two such rows, and the missing lists and notes: no cohort row
 * returns them, and res->defs is the row object's scratch, read by nobody
 * after this call.
 *
 * tests/unit/test_rule_plan.c (`memo_equals_full_evaluation`) compares the
 * memo with the full evaluation (mt_classify_memo = 0) and with the
 * interpreter the long way, for every definition, on rows at, just below and
 * just above every threshold, each followed by the same row with one field
 * changed (so that a key missing what decides an outcome fails it). Unlike
 * before the memo, met[d] past the definition's criteria is -1 too. */
int mt_classify_memo = 1;

/* 16,384 categories per definition: 64 KiB (touched only for the definitions
 * asked), 512 KiB per row object (with 4,096, a 1M-row cohort sent one row in
 * five to categorize again, for EWGSOP2 or AWGS 2019); a key's set: 2 entries
 * side by side, the newest first; category + 1 in an entry's low 5 bits */
#define MEMO_BITS           14
#define MEMO_WAYS           2
#define MEMO_MAX_CATEGORIES 30
#define MEMO_VALID          (1u << 26)

/* An entry: its key << 5 | (category + 1); the key is MEMO_VALID | male << 25
 * | setting << 24 | mt_definition_mets()'s code (24 bits), so 0 is no key. */
typedef unsigned memo_entry;

/* A definition of at most DIRECT_CRIT criteria keeps its categories in a
 * table indexed by its verdicts instead (one byte each, category + 1, 0 not
 * known yet): criterion c's verdict as the digit 3^c (0 not evaluated, 1
 * met, 2 not met), and for awgs2019 the setting past them (cat_read). No key
 * is compared and no verdicts miss for want of room, and the table is a
 * third of the memo's bytes or less, its common entries nearer together:
 * EWGSOP2's 3^9 verdicts are 19,683 bytes where its memo is 64 KiB, and a
 * cohort's rows keep more of it in cache (bench/README twelfth round). The
 * sex is not in the index: a categorize reads only the met and the setting
 * (test_rule_plan `categorize_reads_only_met_and_setting` varies the sex
 * too). Evans 2008 (11 criteria) and GLIM (10) keep the memo. */
#define DIRECT_CRIT 9
#define DIRECT_N    19683 /* 3^DIRECT_CRIT */

/* The row object's plan and memo, in one block: row->plan points to its start
 * and mt_row_free frees it. calloc'd: every entry 0, no MEMO_VALID. */
typedef struct row_state {
    mt_rule_plan plan;
    unsigned long hits; /* categories taken from the memo (mt_row_memo_hits) */
    unsigned defs;      /* the definitions history is for (0: none yet) */
    int history;        /* 1: one of them reads a measure of mt_measures_history */
    unsigned keyed[2];  /* [male]: bit d, d memoized for that sex (d < DEF_N) */
    mt_mets_flat flat[2]; /* [male]: the simple criteria of keyed[male] & defs */
    unsigned direct;    /* bit d: d's categories are in direct_cat[d] (d < DEF_N) */
    unsigned pow3[DEF_N]; /* 3^n_criteria of each direct one: the setting's digit */
    uint32_t b3[2][64];   /* the digits of 6 bits of a mask: [0] bits 0-5, [1] bits 6-11 */
    memo_entry memo[DEF_N][1u << MEMO_BITS];
    unsigned char direct_cat[DEF_N][2 * DIRECT_N]; /* [setting][verdicts]: category + 1 */
} row_state;

_Static_assert(offsetof(row_state, plan) == 0, "row->plan is the block");
_Static_assert(MT_MAX_CRIT <= MT_MAX_CRITERIA, "met[] fits the classification");
_Static_assert(2 * MT_MAX_CRIT <= 24, "the mets' code fits 24 bits");
_Static_assert(sizeof(memo_entry) * 8 >= 27 + 5, "key and category fit an entry");
_Static_assert(MEMO_WAYS == 2, "the lookup reads e[0] and e[1]");

/* What a categorize reads of the input for its category, as bits; cat_read[d],
 * the bits that can change definition d's category (see above): awgs2019's
 * setting alone. The others' reads only shape the lists of what is missing,
 * which the memo does not return. */
enum {
    CAT_COMMUNITY = 1u << 0, /* in->setting == MT_COMMUNITY */
};

static const unsigned cat_read[DEF_N] = {
    [DEF_AWGS2019] = CAT_COMMUNITY,
};

static unsigned cat_bits(const mt_input *in)
{
    return (unsigned)(in->setting == MT_COMMUNITY);
}

static inline size_t memo_slot(unsigned key)
{
    return (size_t)((key * 0x9E3779B1u) >> (32 - MEMO_BITS));
}

/* Which definitions are memoized for each sex; whether the asked ones need
 * the history's measures. */
static void states_needed(row_state *st, unsigned definitions)
{
    size_t d, i;
    int sex, n;
    unsigned x, c;

    for (sex = 0; sex < 2; sex++) {
        st->keyed[sex] = 0;
        for (d = 0; d < mt_n_definitions && d < DEF_N && d < MT_PLAN_MAX_DEFS; d++) {
            for (n = 0; mt_definitions[d]->categories[n]; n++)
                ;
            if (!st->plan.generic[d][sex] && n <= MEMO_MAX_CATEGORIES)
                st->keyed[sex] |= 1u << d;
        }
    }
    /* mt_measures_history writes m[M_AGE] to m[M_FATIGUE] and nothing else;
     * in a cohort row only a rule on one of them or an age condition reads
     * them (no categorize does: grep `m[` in src/lib/definitions/) */
    st->history = 0;
    for (d = 0; d < mt_n_definitions; d++)
        for (i = 0; (definitions >> d) & 1u && i < mt_definitions[d]->n_rules; i++) {
            const mt_rule *r = &mt_definitions[d]->rules[i];
            if ((r->measure >= M_AGE && r->measure <= M_FATIGUE) || r->cond == COND_AGE_LT ||
                r->cond == COND_AGE_GE)
                st->history = 1;
        }
    st->defs = definitions;
    for (x = 0; x < 64; x++) { /* 3^c for each bit c of x; bits 6-11: 3^6 times as much */
        for (i = 0, st->b3[0][x] = 0, c = 1; i < 6; i++, c *= 3)
            st->b3[0][x] += (x >> i & 1u) * c;
        st->b3[1][x] = 729 * st->b3[0][x];
    }
    /* The memos and tables of the definitions asked, cleared by writing: a
     * memo is a cache (any entry may go), a table's entries are found again
     * (categorize), and the pages are then the process's own before the
     * first lookup reads them. calloc's were the shared zero page until
     * written, and that first write replaced the mapping, which interrupts
     * every other thread's CPU to flush it (some 80 such faults a thread on
     * a cohort, perf). */
    st->direct = 0;
    for (d = 0; d < DEF_N && d < mt_n_definitions; d++) {
        if (!((definitions >> d) & 1u))
            continue;
        if (mt_definitions[d]->n_criteria <= DIRECT_CRIT) {
            int k;
            st->direct |= 1u << d;
            for (k = 0, st->pow3[d] = 1; k < mt_definitions[d]->n_criteria; k++)
                st->pow3[d] *= 3;
            memset(st->direct_cat[d], 0, (cat_read[d] ? 2 : 1) * (size_t)st->pow3[d]);
        } else {
            memset(st->memo[d], 0, sizeof(st->memo[d]));
        }
    }
    for (sex = 0; sex < 2; sex++)
        mt_mets_flat_init(&st->plan, st->keyed[sex] & definitions, sex, &st->flat[sex]);
}

/* The index of dr's category among the definition's names (-1: none). */
static int category_index(const mt_definition *def, const mt_def_result *dr)
{
    int c;

    for (c = 0; def->categories[c]; c++)
        if (def->categories[c] == dr->category || (def->categories[c][0] == dr->category[0] &&
                                                   strcmp(def->categories[c], dr->category) == 0))
            return c;
    return -1;
}

/* Definition d on the row in full (the planned evaluation and categorize),
 * into out; the category found among the definition's names. */
static void evaluate_row(mt_result *res, const mt_rule_plan *plan, size_t d,
                         mt_classification *out)
{
    const mt_definition *def = mt_definitions[d];
    mt_def_result *dr = &res->defs[d];
    int c;

    dr->category = NULL;
    dr->n_missing = dr->n_notes = 0;
    mt_definition_evaluate_planned(plan, d, &res->in, res->m, dr);
    def->categorize(&res->in, res->m, dr);
    out->category[d] = category_index(def, dr);
    memset(out->met[d], -1, sizeof(out->met[d]));
    for (c = 0; c < def->n_criteria; c++)
        out->met[d][c] = dr->crit[c].shown ? dr->crit[c].met : -1;
}

/* Definition d's category from its criteria's met, out->met[d] (which
 * mt_definition_mets wrote): categorize reads for it nothing else of the
 * criteria (see above), so their rows, state and value are left as they are,
 * a previous row's. */
static void categorize_row(mt_result *res, size_t d, mt_classification *out)
{
    const mt_definition *def = mt_definitions[d];
    mt_def_result *dr = &res->defs[d];
    int c;

    dr->category = NULL;
    dr->n_missing = dr->n_notes = 0;
    for (c = 0; c < def->n_criteria; c++)
        dr->crit[c].met = out->met[d][c];
    def->categorize(&res->in, res->m, dr);
    out->category[d] = category_index(def, dr);
}

/* memset(p, -1, n) for n a multiple of 16, as 16-byte stores in line (gcc
 * made a call of the 256 bytes of met and `rep stos` of the categories) */
static inline void minus_ones(void *p, size_t n)
{
#if defined(__SSE2__)
    size_t i;

    for (i = 0; i < n; i += 16)
        _mm_storeu_si128((__m128i *)(void *)((char *)p + i), _mm_set1_epi8(-1));
#else
    memset(p, -1, n);
#endif
}

int mt_row_classify(mt_row *row, unsigned definitions, mt_classification *out, mt_error *err)
{
    int rc;

    if (!row || !out)
        return mt_error_set(err, MT_EUSAGE, "", "mt_row_classify: row and out must not be NULL");
    if ((rc = mt_row_classify_start(row, definitions, err)) != MT_OK)
        return rc;
    mt_row_classify_finish(row, definitions, out);
    return MT_OK;
}

int mt_row_classify_start(mt_row *row, unsigned definitions, mt_error *err)
{
    mt_result *res;
    row_state *st;
    int rc;

    if ((rc = mt_row_check(row, err)) != MT_OK)
        return rc;
    if (!row->plan) {
        if (!(st = calloc(1, sizeof(*st))))
            return mt_error_set(err, MT_ENOMEM, "", "out of memory");
        mt_rule_plan_init(&st->plan);
        row->plan = &st->plan;
    }
    st = (row_state *)row->plan;
    /* The row's input is res->in itself (mt_row_new), which is only read, so
     * nothing is copied. The measures are not cleared row by row: every
     * measure mt_measures_body, _performance and _screening (report 0) write
     * they write on every call (a value or the zero mt_q: see there), and
     * nothing else writes the row object's res->m but mt_measures_history
     * (M_AGE to M_FATIGUE, cleared before the others when it is called, as
     * a whole memset did), so that every other measure keeps calloc's zero;
     * when the definitions asked change, all of res->m is cleared once
     * (history's measures then stay zero while it is not called). The
     * measures' functions write the rest of the result in part: the SPPB's
     * points they set to -1 first, then read; what only a report reads (the
     * sources of gait and chair stand, the whole-body muscle, the SARC-CalF
     * points; the grip centiles, the six-minute walk's prediction and the
     * screening rows a cohort row never computes, so they keep
     * mt_row_new's zeros); a definition evaluated resets its lists
     * (evaluate_row) and its criteria (mt_definition_evaluate_planned); the
     * triage, cause and plan are not computed. A row skips the grip centiles,
     * the six-minute walk's prediction, the Ishii score and the screening
     * rows' second pass (report 0): only the report shows them, no definition
     * reads them. */
    res = row->res;
    if (!definitions)
        definitions = ~0u;
    if (st->defs != definitions) {
        states_needed(st, definitions);
        memset(res->m, 0, sizeof(res->m));
    }
    if (st->history)
        memset(&res->m[M_AGE], 0, sizeof(res->m[0]) * (M_FATIGUE + 1 - M_AGE));
    mt_measures_body(res);
    mt_measures_performance(res, 0);
    mt_measures_screening(res, 0);
    if (st->history)
        mt_measures_history(res);
    return MT_OK;
}

void mt_row_classify_finish(mt_row *row, unsigned definitions, mt_classification *out)
{
    mt_result *res = row->res;
    row_state *st = (row_state *)row->plan;
    unsigned base, cat = 0, keyed = 0, all, rest, codes[DEF_N];
    size_t d;
    size_t n_defs = mt_n_definitions;
    int male;

    if (!definitions)
        definitions = ~0u;
    male = res->in.sex == MT_MALE;
    all = n_defs < 32 ? (1u << n_defs) - 1 : ~0u;
    /* Every category -1, and when a definition is not asked every met -1
     * (20 stores, where a loop over the ones not asked took ~45
     * instructions a row with four asked): each asked definition's are
     * written below, over these. */
    minus_ones(out->category, sizeof(out->category));
    if (all & ~definitions)
        minus_ones(out->met, sizeof(out->met));
    if (mt_classify_memo && (male || res->in.sex == MT_FEMALE)) {
        keyed = st->keyed[male] & definitions;
        cat = cat_bits(&res->in);
        /* writes every met[d][] of them, -1 past its criteria */
        mt_definition_mets_flat(&st->plan, &st->flat[male], &res->in, res->m, out->met, codes);
    }
    base = MEMO_VALID | (unsigned)male << 25;
    /* each definition once, whatever the order: they share nothing but the
     * measures, which none writes */
    for (rest = all & definitions & ~keyed; rest; rest &= rest - 1) /* not memoized */
        evaluate_row(res, &st->plan, (size_t)__builtin_ctz(rest), out);
    for (rest = keyed; rest; rest &= rest - 1) {
        memo_entry *e;
        unsigned key, w;
        d = (size_t)__builtin_ctz(rest);
        if ((st->direct >> d) & 1u) {
            /* the code's h (met) and l (not met) bits as digits 1 and 2 */
            unsigned h = codes[d] & 0xfffu, l = codes[d] >> 12;
            size_t at = st->b3[0][h & 63u] + st->b3[1][h >> 6] +
                        2 * (st->b3[0][l & 63u] + st->b3[1][l >> 6]) +
                        ((cat & cat_read[d]) ? st->pow3[d] : 0);
            unsigned char *t = &st->direct_cat[d][at];
            if (*t) {
                st->hits++;
                out->category[d] = (int)*t - 1;
                continue;
            }
            categorize_row(res, d, out);
            *t = (unsigned char)(out->category[d] + 1); /* (-1, none: asked again) */
            continue;
        }
        key = base | (cat & cat_read[d]) << 24 | codes[d];
        e = &st->memo[d][memo_slot(key) & ~(size_t)(MEMO_WAYS - 1)];
        /* The way that may hold the key, picked without a jump (which of the
         * two holds it is about as likely, row by row): e[0] if it does, else
         * e[1]; so e[w] holds it exactly when e[0] or e[1] does, and the one
         * jump left, hit or miss, is nearly always hit. (Written as
         * `e[0] == key || e[1] == key`, gcc keeps two jumps.) */
        w = (unsigned)(e[0] >> 5 != key);
        if (e[w] >> 5 == key) {
            st->hits++;
            out->category[d] = (int)(e[w] & 31u) - 1;
            continue;
        }
        /* the newest first, the oldest out */
        categorize_row(res, d, out);
        e[1] = e[0];
        e[0] = key << 5 | (unsigned)(out->category[d] + 1);
    }
}

unsigned long mt_row_memo_hits(const mt_row *row)
{
    return row && row->plan ? ((const row_state *)row->plan)->hits : 0;
}

size_t mt_definition_count(void)
{
    return mt_n_definitions;
}

/* The combinations of verdicts mt_definition_reachable tries at most (each
 * one categorize call, some tens of ns: ~0.1 s) */
#define REACH_MAX 2000000.0

static int words_of(int f)
{
    const char *const *w = mt_field_words(f);
    int n = 0;

    while (w && w[n])
        n++;
    return n;
}

/* A variant of the probe rows mt_definition_row_informed and
 * mt_definition_criterion_fields try: the index of its sex's and setting's
 * words, ASM with its method (bia 0) or BIA readings with their equation
 * (bia 1), the method's or equation's word, and the age (av 0 the youngest,
 * 1 the middle, 2 the oldest accepted). */
typedef struct {
    int sex, setting, bia, word, av;
} variant;

/* The first variant: av the youngest age, or with one_age the middle one. */
static variant variant_first(int one_age)
{
    variant v = {0, 0, 0, 0, one_age ? 1 : 0};

    return v;
}

/* The next variant after *v, each sex, setting, ASM method or BIA equation
 * in turn, and every age unless one_age: 0 past the last. */
static int variant_next(variant *v, int one_age)
{
    if (!one_age && ++v->av < 3)
        return 1;
    v->av = one_age ? 1 : 0;
    if (++v->word < words_of(v->bia ? MT_FIELD_BIA_EQUATION : MT_FIELD_ASM_METHOD))
        return 1;
    v->word = 0;
    if (++v->bia < 2)
        return 1;
    v->bia = 0;
    if (++v->setting < words_of(MT_FIELD_SETTING))
        return 1;
    v->setting = 0;
    return ++v->sex < words_of(MT_FIELD_SEX);
}

/* A probe row of variant v: the fields of `given` (bit f: MT_FIELD_f) set,
 * sex and age always, the numbers at the middle of their ranges (the age as
 * v says), the words those of v's indexes, and the ASM's fields or the BIA
 * readings' alone. MT_OK or the row's error. */
static int informed_row(mt_row *row, unsigned given, const variant *v, mt_error *err)
{
    int f, rc = MT_OK;

    given |= 1u << MT_FIELD_SEX | 1u << MT_FIELD_AGE;
    mt_row_reset(row);
    for (f = 0; f < MT_FIELD_COUNT && rc == MT_OK; f++) {
        const char *const *words = mt_field_words(f);
        const char *unit;
        double lo, hi;
        int pick = f == MT_FIELD_SEX       ? v->sex
                   : f == MT_FIELD_SETTING ? v->setting
                   : f == MT_FIELD_ASM_METHOD || f == MT_FIELD_BIA_EQUATION ? v->word
                                                                             : 0;
        if (!(given >> f & 1u) ||
            (v->bia ? f == MT_FIELD_ASM || f == MT_FIELD_ASM_METHOD
                    : f == MT_FIELD_BIA_RESISTANCE || f == MT_FIELD_BIA_REACTANCE ||
                          f == MT_FIELD_BIA_EQUATION))
            continue;
        if (mt_field_range(f, &lo, &hi, &unit) == MT_OK)
            rc = mt_row_set_number(row, f,
                                   f == MT_FIELD_AGE
                                       ? (v->av == 0 ? lo : v->av == 1 ? (lo + hi) / 2 : hi)
                                       : (lo + hi) / 2,
                                   err);
        else if (words && words[0])
            rc = mt_row_set(row, f, words[pick], strlen(words[pick]), err);
    }
    return rc;
}

#define ALL_FIELDS ((1u << MT_FIELD_COUNT) - 1)

int mt_definition_row_informed(size_t i, unsigned *informed)
{
    mt_row *row;
    mt_error err;
    mt_classification c;
    variant v = variant_first(0);
    int k;
    const mt_definition *def;

    if (!informed || i >= mt_n_definitions)
        return MT_EINVAL;
    def = mt_definitions[i];
    *informed = def->n_criteria >= 32 ? ~0u : (1u << def->n_criteria) - 1;
    if (mt_row_new(&row) != MT_OK)
        return MT_ENOMEM;
    *informed = 0;
    do
        if (informed_row(row, ALL_FIELDS, &v, &err) == MT_OK &&
            mt_row_classify(row, 1u << i, &c, &err) == MT_OK)
            for (k = 0; k < def->n_criteria && k < 32; k++)
                if (c.met[i][k] != -1)
                    *informed |= 1u << k;
    while (variant_next(&v, 0));
    mt_row_free(row);
    return MT_OK;
}

/* mt_definition_criterion_fields' probe: does a row of the fields `given`,
 * in variant v (the middle age), give criterion c of definition i a
 * verdict? */
typedef struct {
    mt_row *row;
    size_t i;
    int c;
    variant v;
} field_probe;

static int probe_evaluates(const field_probe *p, unsigned given)
{
    mt_error err;
    mt_classification out;

    return informed_row(p->row, given, &p->v, &err) == MT_OK &&
           mt_row_classify(p->row, 1u << p->i, &out, &err) == MT_OK && out.met[p->i][p->c] != -1;
}

/* The fields of m (which evaluate the criterion) less every one, two or
 * three of them it can do without, in turn until none is left to drop:
 * fields read together are dropped together (an ASM without its method, or
 * a method without the ASM, is a row's error, which evaluates nothing). */
static unsigned smallest(const field_probe *p, unsigned m)
{
    int f, g, h, dropped;

    do {
        dropped = 0;
        for (f = 0; f < MT_FIELD_COUNT; f++) /* one at a time first: the cheap tries */
            if ((m >> f & 1u) && probe_evaluates(p, m & ~(1u << f)))
                m &= ~(1u << f);
        for (f = 0; f < MT_FIELD_COUNT && !dropped; f++)
            for (g = f + 1; g < MT_FIELD_COUNT && !dropped; g++)
                for (h = g; h < MT_FIELD_COUNT && !dropped; h++) { /* h == g: the pair */
                    unsigned drop = 1u << f | 1u << g | 1u << h;
                    if ((m & drop) == drop && probe_evaluates(p, m & ~drop)) {
                        m &= ~drop;
                        dropped = 1;
                    }
                }
    } while (dropped);
    return m;
}

/* Keep set s in sets[0, *n) unless it holds one already there; drop those
 * that hold it. */
static void keep_smallest(unsigned *sets, size_t *n, size_t max, unsigned s)
{
    size_t k, m = 0;

    for (k = 0; k < *n; k++)
        if ((sets[k] & s) == sets[k])
            return; /* (the same set, or one of its subsets) */
    for (k = 0; k < *n; k++)
        if ((sets[k] & s) != s)
            sets[m++] = sets[k];
    *n = m;
    if (m < max)
        sets[(*n)++] = s;
}

/* The fields a criterion's verdict can come from at most this many ways
 * apart, and fields left out together to find them. */
#define FIELD_SETS_MAX 16
#define LEFT_OUT_MAX   3

int mt_definition_criterion_fields(size_t i, int c, unsigned *sets, size_t max, size_t *n)
{
    const unsigned always = 1u << MT_FIELD_SEX | 1u << MT_FIELD_AGE;
    unsigned found[FIELD_SETS_MAX], queue[64];
    size_t nf = 0, k;
    field_probe p;

    if (!n || (max && !sets) || i >= mt_n_definitions || c < 0 ||
        c >= mt_definitions[i]->n_criteria)
        return MT_EINVAL;
    *n = 0;
    if (mt_row_new(&p.row) != MT_OK)
        return MT_ENOMEM;
    p.i = i;
    p.c = c;
    p.v = variant_first(1);
    do {
        /* fields left out (queue), each way found made smallest by leaving
         * out every field it can do without, then each of its fields left
         * out in turn to find the others */
        size_t head = 0, tail = 0;
        queue[tail++] = 0;
        while (head < tail) {
            unsigned out = queue[head++], m = ALL_FIELDS & ~out & ~always;
            int f;
            if (!probe_evaluates(&p, m))
                continue;
            m = smallest(&p, m);
            keep_smallest(found, &nf, FIELD_SETS_MAX, m);
            if (__builtin_popcount(out) >= LEFT_OUT_MAX)
                continue;
            for (f = 0; f < MT_FIELD_COUNT; f++) {
                unsigned next = out | 1u << f;
                size_t q;
                if (!(m >> f & 1u))
                    continue;
                for (q = 0; q < tail && queue[q] != next; q++)
                    ;
                if (q == tail && tail < sizeof(queue) / sizeof(queue[0]))
                    queue[tail++] = next;
            }
        }
    } while (variant_next(&p.v, 1));
    mt_row_free(p.row);
    /* the fewest fields first, then by the first field */
    for (k = 1; k < nf; k++) {
        unsigned s = found[k];
        size_t j = k;
        for (; j > 0 && (__builtin_popcount(found[j - 1]) > __builtin_popcount(s) ||
                         (__builtin_popcount(found[j - 1]) == __builtin_popcount(s) &&
                          (s >> __builtin_ctz(found[j - 1] ^ s) & 1u)));
             j--)
            found[j] = found[j - 1];
        found[j] = s;
    }
    for (k = 0; k < nf && k < max; k++)
        sets[k] = found[k];
    *n = nf < max ? nf : max;
    return MT_OK;
}

int mt_definition_reachable(size_t i, unsigned never, unsigned settings, unsigned *reachable)
{
    const mt_definition *def;
    mt_result *res;
    mt_def_result *dr;
    int free_c[MT_MAX_CRIT], nf = 0, n_cat, c, k, s;
    signed char v[MT_MAX_CRIT];
    unsigned all, found = 0;
    double combos = 1;

    if (!reachable || i >= mt_n_definitions)
        return MT_EINVAL;
    def = mt_definitions[i];
    for (n_cat = 0; def->categories[n_cat]; n_cat++)
        ;
    all = n_cat >= 32 ? ~0u : (1u << n_cat) - 1;
    *reachable = all;
    settings &= MT_REACH_COMMUNITY | MT_REACH_HOSPITAL;
    if (!settings)
        settings = MT_REACH_COMMUNITY | MT_REACH_HOSPITAL;
    for (c = 0; c < def->n_criteria; c++)
        if (!(never >> c & 1u)) /* (n_criteria <= MT_MAX_CRIT, 12) */
            free_c[nf++] = c;
    for (k = 0; k < nf; k++)
        combos *= 3;
    if (combos * (settings == 3u ? 2 : 1) > REACH_MAX)
        return MT_OK;
    if (!(res = calloc(1, sizeof(*res))))
        return MT_ENOMEM;
    dr = &res->defs[i];
    for (s = 0; s < 2; s++) {
        if (!(settings >> s & 1u))
            continue;
        res->in.setting = s == 0 ? MT_COMMUNITY : MT_HOSPITAL;
        for (c = 0; c < def->n_criteria; c++)
            v[c] = -1; /* every criterion not evaluated, then each free one's three verdicts */
        for (;;) {
            dr->category = NULL;
            dr->n_missing = dr->n_notes = 0;
            for (c = 0; c < def->n_criteria; c++)
                dr->crit[c].met = v[c];
            def->categorize(&res->in, res->m, dr);
            if (dr->category && (c = category_index(def, dr)) >= 0 && c < 32)
                found |= 1u << c;
            if (found == all)
                goto done;
            for (k = 0; k < nf && v[free_c[k]] == 1; k++)
                v[free_c[k]] = -1; /* the next combination: -1, 0, 1 in each place */
            if (k == nf)
                break;
            v[free_c[k]]++;
        }
    }
done:
    free(res);
    *reachable = found;
    return MT_OK;
}

int mt_definition_at(size_t i, mt_definition_view *out)
{
    const mt_definition *def;

    if (!out || i >= mt_n_definitions)
        return MT_EINVAL;
    def = mt_definitions[i];
    out->id = def->id;
    out->name = def->name;
    out->title = def->title;
    out->source = def->source;
    out->n_criteria = (size_t)def->n_criteria;
    out->criteria = def->criteria;
    for (out->n_categories = 0; def->categories[out->n_categories]; out->n_categories++)
        ;
    out->categories = def->categories;
    return MT_OK;
}

void mt_result_free(mt_result *res)
{
    free(res);
}

static int find_def(const char *id)
{
    size_t d;

    if (!id)
        return -1;
    for (d = 0; d < mt_n_definitions; d++)
        if (strcmp(mt_definitions[d]->id, id) == 0)
            return (int)d;
    return -1;
}

const char *mt_result_category(const mt_result *res, const char *definition)
{
    int d = res ? find_def(definition) : -1;
    return d < 0 ? NULL : res->defs[d].category;
}

const mt_crit *mt_result_crit(const mt_result *res, int d, const char *criterion)
{
    const mt_definition *def = mt_definitions[d];
    int c;

    for (c = 0; c < def->n_criteria; c++)
        if (def->criteria[c][0] == criterion[0] && strcmp(def->criteria[c], criterion) == 0)
            return res->defs[d].crit[c].shown ? &res->defs[d].crit[c] : NULL;
    return NULL;
}

const mt_crit *mt_result_find(const mt_result *res, const char *definition, const char *criterion)
{
    int d = res ? find_def(definition) : -1;

    return d < 0 || !criterion ? NULL : mt_result_crit(res, d, criterion);
}

int mt_result_criterion(const mt_result *res, const char *definition, const char *criterion,
                        mt_criterion_view *out)
{
    const mt_crit *cr;

    if (!res || !out)
        return MT_EUSAGE;
    cr = mt_result_find(res, definition, criterion);
    if (!cr)
        return MT_EINVAL;
    out->met = cr->met;
    out->has_value = cr->state == MT_Q_VALUE;
    out->value = cr->value;
    out->op = mt_op_str(cr->shown->op);
    out->threshold = cr->rule ? cr->rule->threshold : NAN;
    out->threshold_high = cr->rule ? cr->rule->threshold_high : NAN;
    out->unit = mt_measure_unit(cr->shown->measure);
    out->source = cr->shown->source;
    out->status = mt_status_str(cr->shown->status);
    return MT_OK;
}

const char *mt_version(void)
{
    return MT_VERSION;
}

const char *mt_disclaimer(void)
{
    return "myotrack informs and does not diagnose: discuss these results with a clinician, and "
           "seek care at once for sudden weakness or trouble speaking, swallowing or breathing.";
}
