/*
 * rule.c - the interpreter of the rule tables.
 *
 * For each criterion of a definition the first row that fits the person (sex)
 * and whose condition holds (ASM method, BMI stratum) is applied; the value,
 * operator, threshold, source and status it used are kept as the trace. A
 * condition that cannot be decided (no BMI for a BMI-stratified cut-off)
 * leaves the criterion unknown rather than guessing a stratum.
 */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "definitions/definition.h"
#if MT_METS_WIDE
#include <immintrin.h>
#endif

/* Every operator's answer at once, then the row's: no jump on the operator,
 * which changes from row to row (bits in mt_op order). */
static inline int compare(const mt_rule *r, double v)
{
    double t = r->threshold;
    unsigned all = (unsigned)(v < t) << OP_LT | (unsigned)(v <= t) << OP_LE |
                   (unsigned)(v > t) << OP_GT | (unsigned)(v >= t) << OP_GE |
                   ((unsigned)(v >= t) & (unsigned)(v < r->threshold_high))
                       << OP_BETWEEN | /* half-open */
                   (unsigned)(v == t) << OP_IS;

    return r->op <= OP_IS ? (int)(all >> r->op & 1u) : 0;
}

int mt_rule_compare(const mt_rule *r, double v)
{
    return compare(r, v);
}

/* How the ASM was measured: as given, else BIA when its readings are. In
 * arithmetic (MT_ASM_NONE is 0: the given method, or'd with BIA only when
 * there is none), not a jump: the method is given or not row by row. */
static inline int asm_method(const mt_input *in)
{
    _Static_assert(MT_ASM_NONE == 0, "no method is 0");
    return in->asm_method |
           (int)((unsigned)(in->asm_method == MT_ASM_NONE) & (unsigned)(in->bia.given != 0)) *
               MT_ASM_BIA;
}

/* 1 the condition holds, 0 it does not, -1 it cannot be decided. */
static int condition(const mt_rule *r, const mt_input *in, const mt_q *m)
{
    int method;

    switch (r->cond) {
    case COND_NONE:
        return 1;
    case COND_DXA:
    case COND_BIA:
        method = asm_method(in);
        if (method == MT_ASM_NONE)
            return -1;
        return method == (r->cond == COND_DXA ? MT_ASM_DXA : MT_ASM_BIA);
    case COND_BMI_MAX:
        return m[M_BMI].state != MT_Q_VALUE ? -1 : m[M_BMI].v <= r->cond_value;
    case COND_AGE_LT:
        return m[M_AGE].state != MT_Q_VALUE ? -1 : m[M_AGE].v < r->cond_value;
    case COND_AGE_GE:
        return m[M_AGE].state != MT_Q_VALUE ? -1 : m[M_AGE].v >= r->cond_value;
    }
    return -1;
}

/* The applied row r on its measure q: a value is compared, "unable" meets
 * the row or stays unknown, no value stays unknown (-1). In arithmetic rather
 * than branches: the state changes from person to person. */
/* A criterion's met from its measure's state: `value` (the comparison) for a
 * value, `unable` for "unable", -1 otherwise; by arithmetic, no branch. */
static inline signed char verdict(int value, int unable, const mt_q *q)
{
    int is_value = q->state == MT_Q_VALUE, is_unable = q->state == MT_Q_UNABLE;

    return (signed char)(is_value * value + is_unable * unable + (is_value | is_unable) - 1);
}

static inline signed char met_of(const mt_rule *r, const mt_q *q)
{
    return verdict(compare(r, q->v), (r->flags & RULE_UNABLE_MEETS) ? 1 : -1, q);
}

/* Row r applies to a person of sex `sex`. */
static inline int fits(const mt_rule *r, int sex)
{
    return r->sex == SEX_ANY || r->sex == sex;
}

/* Row r, for a person it fits by sex, into its criterion (first fitting row
 * whose condition holds wins; the first fitting row is the one shown). */
static inline void evaluate_row(const mt_rule *r, const mt_input *in, const mt_q *m,
                                mt_def_result *res)
{
    mt_crit *cr = &res->crit[r->crit];
    const mt_q *q;

    if (cr->rule)
        return;
    q = &m[r->measure];
    if (!cr->shown) {
        cr->shown = r;
        cr->state = q->state;
        cr->value = q->v;
    }
    if (r->cond != COND_NONE && condition(r, in, m) != 1)
        return;
    cr->rule = r;
    cr->shown = r;
    cr->met = met_of(r, q);
}

static void reset(const mt_definition *d, mt_def_result *res)
{
    int c;

    for (c = 0; c < d->n_criteria; c++) {
        res->crit[c].rule = NULL;
        res->crit[c].shown = NULL;
        res->crit[c].met = -1;
    }
}

void mt_definition_evaluate(const mt_definition *d, const mt_input *in, const mt_q *m,
                            mt_def_result *res)
{
    const mt_rule *r = d->rules, *end = d->rules + d->n_rules;

    reset(d, res);
    for (; r < end; r++)
        if (fits(r, in->sex))
            evaluate_row(r, in, m, res);
}

int mt_definition_criterion(const mt_definition *d, int crit, const mt_input *in, const mt_q *m)
{
    const mt_rule *r = d->rules, *end = d->rules + d->n_rules;

    /* The interpreter's outcome for this criterion alone: rows of one
     * criterion never touch another's, and the first fitting row whose
     * condition holds is applied (met stays -1 when none is). */
    for (; r < end; r++)
        if (r->crit == crit && fits(r, in->sex) &&
            (r->cond == COND_NONE || condition(r, in, m) == 1))
            return met_of(r, &m[r->measure]);
    return -1;
}

/* Row r as the interval of the values that meet it (mt_plan_rule); 0 when
 * it has none that is exact (a threshold that is not finite, an unknown
 * operator): the interpreter then takes the table. */
static int plan_rule(const mt_rule *r, mt_plan_rule *out)
{
    double t = r->threshold;

    if (!isfinite(t) || (r->op == OP_BETWEEN && !isfinite(r->threshold_high)))
        return 0;
    switch (r->op) {
    case OP_LT:
        out->lo = -INFINITY, out->hi = nextafter(t, -INFINITY);
        return 1;
    case OP_LE:
        out->lo = -INFINITY, out->hi = t;
        return 1;
    case OP_GT:
        out->lo = nextafter(t, INFINITY), out->hi = INFINITY;
        return 1;
    case OP_GE:
        out->lo = t, out->hi = INFINITY;
        return 1;
    case OP_BETWEEN: /* half-open, t <= v < high */
        out->lo = t, out->hi = nextafter(r->threshold_high, -INFINITY);
        return 1;
    case OP_IS:
        out->lo = t, out->hi = t;
        return 1;
    }
    return 0;
}

void mt_rule_plan_init(mt_rule_plan *p)
{
    size_t d, i;
    int sex;

    memset(p, 0, sizeof(*p));
    for (d = 0; d < MT_PLAN_MAX_DEFS; d++) {
        const mt_definition *def = d < mt_n_definitions ? mt_definitions[d] : NULL;
        int exact = def && def->n_rules <= MT_PLAN_MAX_RULES;
        for (i = 0; exact && i < def->n_rules; i++) {
            const mt_rule *r = &def->rules[i];
            mt_plan_rule *pr = &p->rule[d][i];
            exact = plan_rule(r, pr);
            pr->r = r;
            pr->measure = r->measure;
            pr->cond = r->cond;
            pr->unable = (r->flags & RULE_UNABLE_MEETS) ? 1 : -1;
        }
        for (sex = 0; sex < 2; sex++) {
            p->generic[d][sex] = !exact || def->n_criteria > MT_MAX_CRIT;
            for (i = 0; def && !p->generic[d][sex] && i < def->n_rules; i++) {
                const mt_rule *r = &def->rules[i];
                unsigned char *n = &p->n[d][sex][r->crit];
                if (r->sex != SEX_ANY && r->sex != sex)
                    continue;
                if (*n == MT_PLAN_MAX_PER_CRIT) /* the interpreter takes it */
                    p->generic[d][sex] = 1;
                else
                    p->row[d][sex][r->crit][(*n)++] = (unsigned char)i;
            }
            p->s_ident[d][sex] = 1;
            for (i = 0; def && !p->generic[d][sex] && i < (size_t)def->n_criteria; i++) {
                int n = p->n[d][sex][i];
                const mt_plan_rule *pr = n ? &p->rule[d][p->row[d][sex][i][0]] : NULL;
                if (n == 1 && pr->cond == COND_NONE) {
                    unsigned char k = p->nsimple[d][sex]++;
                    p->s_ident[d][sex] &= k == i;
                    p->s_crit[d][sex][k] = (unsigned char)i;
                    p->s_measure[d][sex][k] = pr->measure;
                    p->s_unable[d][sex][k] = pr->unable == 1 ? -1 : 0;
                    p->s_lo[d][sex][k] = pr->lo;
                    p->s_hi[d][sex][k] = pr->hi;
                } else if (n) {
                    p->cond[d][sex][p->ncond[d][sex]++] = (unsigned char)i;
                }
            }
            if (p->nsimple[d][sex] % 2) { /* the pair's other half: never met */
                unsigned char k = p->nsimple[d][sex];
                p->s_measure[d][sex][k] = 0;
                p->s_unable[d][sex][k] = 0;
                p->s_lo[d][sex][k] = INFINITY;
                p->s_hi[d][sex][k] = -INFINITY;
            }
        }
    }
}

/* met_of, with the row's comparison as its interval (mt_plan_rule). */
static inline signed char met_planned(const mt_plan_rule *pr, const mt_q *q)
{
    return verdict((q->v >= pr->lo) & (q->v <= pr->hi), pr->unable, q);
}

/* Each criterion on its own, its rows in table order: the first is shown
 * (with its measure's state and value), the first whose condition holds is
 * applied. The interpreter's outcome, since rows of one criterion never touch
 * another's; every field is written once, none read back. */
void mt_definition_evaluate_planned(const mt_rule_plan *p, size_t d, const mt_input *in,
                                    const mt_q *m, mt_def_result *res)
{
    const mt_definition *def;
    int sex = in->sex == MT_MALE, c, i;

    if (d >= MT_PLAN_MAX_DEFS || (in->sex != MT_MALE && in->sex != MT_FEMALE) ||
        p->generic[d][sex]) {
        if (d < mt_n_definitions)
            mt_definition_evaluate(mt_definitions[d], in, m, res);
        return;
    }
    def = mt_definitions[d];
    for (c = 0; c < def->n_criteria; c++) {
        const unsigned char *rows = p->row[d][sex][c];
        const mt_plan_rule *pr = p->rule[d], *at;
        int n = p->n[d][sex][c];
        mt_crit *cr = &res->crit[c];
        cr->rule = NULL;
        cr->met = -1;
        if (!n) {
            cr->shown = NULL;
            continue;
        }
        at = &pr[rows[0]];
        cr->shown = at->r;
        cr->state = m[at->measure].state;
        cr->value = m[at->measure].v;
        for (i = 0; i < n; i++) {
            at = &pr[rows[i]];
            if (at->cond == COND_NONE || condition(at->r, in, m) == 1) {
                cr->rule = at->r;
                cr->shown = at->r;
                cr->met = met_planned(at, &m[at->measure]);
                break;
            }
        }
    }
}

int mt_mets_scalar = 0;
int mt_mets_flat_skew = 0;

_Static_assert(MT_PLAN_MAX_DEFS <= MT_FLAT_WORDS * (64 / MT_MAX_CRIT), "every definition fits");

/* Entries are kept in blocks of 8, entry (bit) i of a block in slot
 * slot8[i]: 0 1 4 5 2 3 6 7 (its own inverse). So slots 0-3 and 4-7, four
 * at a time (AVX2), give entries 0 1 4 5 and 2 3 6 7, which one shuffle of
 * their masks' halves puts back in order (flat_avx2); two at a time (SSE2),
 * slot pair q holds entries slot8[2q] and slot8[2q] + 1. */
static const unsigned char slot8[8] = {0, 1, 4, 5, 2, 3, 6, 7};

static inline int slot_of(int k)
{
    return (k & ~7) | slot8[k & 7];
}
_Static_assert(sizeof(mt_q) == 16 && offsetof(mt_q, v) == 8, "state, then v: 16 bytes");

void mt_mets_flat_init(const mt_rule_plan *p, unsigned defs, int sex, mt_mets_flat *f)
{
    size_t d;
    int k, w = 0, i, nco = 0;

    memset(f, 0, sizeof(*f));
    for (k = 0; k < MT_FLAT_MAX; k++) { /* the completing entries: measure 0, never met */
        f->lo[k] = INFINITY;
        f->hi[k] = -INFINITY;
    }
    k = mt_mets_flat_skew;
    f->sex = sex;
    for (d = 0; d < MT_PLAN_MAX_DEFS && d < mt_n_definitions; d++) {
        int ns;
        if (!(defs >> d & 1u) || p->generic[d][sex])
            continue;
        f->defs |= 1u << d;
        ns = p->nsimple[d][sex];
        if (k + ns > 64 * (w + 1)) { /* the next word: a definition never spans two */
            f->end[w] = (k + 7) & ~7;
            k = 64 * ++w;
        }
        f->def[f->nd].d = (unsigned char)d;
        f->def[f->nd].word = (unsigned char)w;
        f->def[f->nd].off = (unsigned char)(k - 64 * w);
        f->def[f->nd].ns = (unsigned char)ns;
        f->def[f->nd].mask = (1u << ns) - 1;
        f->def[f->nd].ident = p->s_ident[d][sex];
        f->def[f->nd].co = (unsigned char)nco;
        f->def[f->nd].nco = p->ncond[d][sex];
        for (i = 0; i < p->ncond[d][sex]; i++, nco++) {
            int c = p->cond[d][sex][i], n = p->n[d][sex][c], mu, r;
            f->co[nco].c = (unsigned char)c;
            f->co[nco].by_method = 1;
            for (r = 0; r < n; r++) {
                int cond = p->rule[d][p->row[d][sex][c][r]].cond;
                f->co[nco].by_method &= cond == COND_NONE || cond == COND_DXA || cond == COND_BIA;
            }
            for (mu = 0; mu < 4; mu++) { /* condition() with asm_method(in) == mu */
                f->co[nco].sel[mu] = -1;
                for (r = 0; r < n; r++) {
                    int row = p->row[d][sex][c][r], cond = p->rule[d][row].cond;
                    if (cond == COND_NONE || (cond == COND_DXA && mu == MT_ASM_DXA) ||
                        (cond == COND_BIA && mu == MT_ASM_BIA)) {
                        f->co[nco].sel[mu] = (signed char)row;
                        break;
                    }
                }
            }
        }
        f->nd++;
        for (i = 0; i < ns; i++, k++) {
            f->idx[slot_of(k)] = 2 * p->s_measure[d][sex][i];
            f->lo[slot_of(k)] = p->s_lo[d][sex][i];
            f->hi[slot_of(k)] = p->s_hi[d][sex][i];
            f->su[slot_of(k)] = p->s_unable[d][sex][i];
        }
    }
    f->end[w] = (k + 7) & ~7;
    f->nw = w + 1;
#if MT_METS_WIDE
    /* no __builtin_cpu_init: the runtime's constructor has run (this is never
     * called before main), and a row object per thread may get here at once */
    f->wide = !__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") ? 0
              : __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") ? 2
                                                                                         : 1;
#endif
}

/* The entries of each word one at a time: met_planned's met 1 is h (a value
 * inside [lo, hi], or "unable" where su says it meets), its 0 is l (a value
 * outside), -1 neither. The way without SSE2, and the one the others are
 * tested against (mt_mets_scalar). */
static void flat_scalar(const mt_mets_flat *f, const mt_q *m, unsigned long long *h,
                        unsigned long long *l)
{
    int w, k;

    for (w = 0; w < f->nw; w++) {
        unsigned long long hh = 0, ll = 0;
        for (k = 64 * w; k < f->end[w]; k++) {
            const mt_q *q = &m[f->idx[k] / 2];
            unsigned inside = (unsigned)(q->v >= f->lo[k]) & (unsigned)(q->v <= f->hi[k]),
                     isv = q->state == MT_Q_VALUE, isu = q->state == MT_Q_UNABLE;
            int bit = slot_of(k) - 64 * w; /* the entry in slot k */
            hh |= (unsigned long long)((isv & inside) | (isu & (f->su[k] != 0))) << bit;
            ll |= (unsigned long long)(isv & !inside) << bit;
        }
        h[w] = hh;
        l[w] = ll;
    }
}

#if defined(__SSE2__)
/* The same, two at a time. A measure's state is its mt_q's first byte (the
 * padding after it masked off), its value the second 8 bytes. */
static void flat_sse2(const mt_mets_flat *f, const mt_q *m, unsigned long long *h,
                      unsigned long long *l)
{
    const __m128i ff = _mm_set1_epi64x(0xff), one = _mm_set1_epi64x(MT_Q_VALUE),
                  two = _mm_set1_epi64x(MT_Q_UNABLE);
    const double *base = (const double *)(const void *)m;
    int w, k;

    for (w = 0; w < f->nw; w++) {
        unsigned long long hh = 0, ll = 0;
        for (k = 64 * w; k < f->end[w]; k += 2) {
            __m128d qa = _mm_loadu_pd(base + f->idx[k]), qb = _mm_loadu_pd(base + f->idx[k + 1]);
            __m128d v = _mm_unpackhi_pd(qa, qb);
            __m128i st = _mm_and_si128(_mm_castpd_si128(_mm_unpacklo_pd(qa, qb)), ff);
            __m128d in = _mm_and_pd(_mm_cmple_pd(_mm_load_pd(f->lo + k), v),
                                    _mm_cmple_pd(v, _mm_load_pd(f->hi + k)));
            /* the state's low 32 bits compared, spread over its 64 */
            __m128d isv = _mm_castsi128_pd(
                _mm_shuffle_epi32(_mm_cmpeq_epi32(st, one), _MM_SHUFFLE(2, 2, 0, 0)));
            __m128d isu = _mm_castsi128_pd(
                _mm_shuffle_epi32(_mm_cmpeq_epi32(st, two), _MM_SHUFFLE(2, 2, 0, 0)));
            __m128d met1 = _mm_or_pd(_mm_and_pd(isv, in),
                                     _mm_and_pd(isu, _mm_load_pd((const double *)(f->su + k))));
            int bit = slot_of(k) - 64 * w; /* slots k, k + 1: entries bit, bit + 1 */
            hh |= (unsigned long long)_mm_movemask_pd(met1) << bit;
            ll |= (unsigned long long)_mm_movemask_pd(_mm_andnot_pd(in, isv)) << bit;
        }
        h[w] = hh;
        l[w] = ll;
    }
}
#endif

#if MT_METS_WIDE
/* The same, four at a time (AVX2; the CPU is asked once, mt_mets_flat_init).
 * Each measure is read as one 16-byte load (its state's byte and padding,
 * then its value), measures 0 and 2 into one register's halves, 1 and 3
 * into another's, whose unpacked halves are then the four values and the
 * four states in order (the padding masked off, as flat_sse2 does): 7
 * instructions a quad where a double and a byte each took 17 (~80 a row
 * fewer, bench/README eleventh round); two gathers cost ~2.5% more CPU in
 * all (seventh round). */
static inline __attribute__((always_inline, target("avx2"))) __m256d
quad_avx2(const mt_mets_flat *f, const double *base, int k, __m256d *lmask)
{
    const __m256i one = _mm256_set1_epi64x(MT_Q_VALUE), two = _mm256_set1_epi64x(MT_Q_UNABLE);
    /* each measure's mt_q as two doubles' room (flat_sse2's reading) */
    __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(base + f->idx[k])),
                                     _mm_loadu_pd(base + f->idx[k + 2]), 1),
            b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(base + f->idx[k + 1])),
                                     _mm_loadu_pd(base + f->idx[k + 3]), 1);
    __m256d v = _mm256_unpackhi_pd(a, b); /* v0 v1 | v2 v3 */
    __m256i st = _mm256_and_si256(_mm256_castpd_si256(_mm256_unpacklo_pd(a, b)),
                                  _mm256_set1_epi64x(0xff));
    __m256d isv = _mm256_castsi256_pd(_mm256_cmpeq_epi64(st, one)),
            isu = _mm256_castsi256_pd(_mm256_cmpeq_epi64(st, two));
    __m256d in = _mm256_and_pd(_mm256_cmp_pd(_mm256_loadu_pd(f->lo + k), v, _CMP_LE_OQ),
                               _mm256_cmp_pd(v, _mm256_loadu_pd(f->hi + k), _CMP_LE_OQ));

    *lmask = _mm256_andnot_pd(in, isv);
    return _mm256_or_pd(
        _mm256_and_pd(isv, in),
        _mm256_and_pd(isu, _mm256_loadu_pd((const double *)(const void *)(f->su + k))));
}

/* The same, eight at a time: slots k to k + 3 and k + 4 to k + 7 (entries
 * 0 1 4 5 and 2 3 6 7 of the block) four at a time; the masks' low halves
 * shuffled to entries 0 1 2 3 | 4 5 6 7 (AVX2; the CPU is asked once,
 * mt_mets_flat_init). */
static inline __attribute__((always_inline, target("avx2"))) void
flat_avx2(const mt_mets_flat *f, const mt_q *m, unsigned long long *h, unsigned long long *l)
{
    const double *base = (const double *)(const void *)m;
    int w, k;

    for (w = 0; w < f->nw; w++) {
        unsigned long long hh = 0, ll = 0;
        for (k = 64 * w; k < f->end[w]; k += 8) {
            __m256d la, lb, ha = quad_avx2(f, base, k, &la), hb = quad_avx2(f, base, k + 4, &lb);
            hh |= (unsigned long long)_mm256_movemask_ps(_mm256_shuffle_ps(
                      _mm256_castpd_ps(ha), _mm256_castpd_ps(hb), _MM_SHUFFLE(2, 0, 2, 0)))
                  << (k - 64 * w);
            ll |= (unsigned long long)_mm256_movemask_ps(_mm256_shuffle_ps(
                      _mm256_castpd_ps(la), _mm256_castpd_ps(lb), _MM_SHUFFLE(2, 0, 2, 0)))
                  << (k - 64 * w);
        }
        h[w] = hh;
        l[w] = ll;
    }
}
#endif

/* met[c] = -1 + 2 h_c + l_c for all MT_MAX_CRITERIA criteria; scalar: one at
 * a time even with SSE2 (mt_mets_scalar). */
static inline void store_mets(signed char *met, unsigned h, unsigned l, int scalar)
{
    _Static_assert(MT_MAX_CRITERIA == 16, "met[d] is one 16-byte store");
    (void)scalar;
#if defined(__SSE2__)
    const __m128i minus1 = _mm_set1_epi8(-1),
                  bits = _mm_set_epi8(-128, 64, 32, 16, 8, 4, 2, 1, -128, 64, 32, 16, 8, 4, 2, 1);
    __m128i vh = _mm_cvtsi32_si128((int)h), vl = _mm_cvtsi32_si128((int)l), mh, ml;

    if (!scalar) {                      /* bit c of h and l as byte c */
        vh = _mm_unpacklo_epi8(vh, vh); /* h0 h0 h1 h1 */
        vl = _mm_unpacklo_epi8(vl, vl);
        vh = _mm_unpacklo_epi16(vh, vh); /* h0 x4, h1 x4 */
        vl = _mm_unpacklo_epi16(vl, vl);
        vh = _mm_unpacklo_epi32(vh, vh); /* h0 x8, h1 x8 */
        vl = _mm_unpacklo_epi32(vl, vl);
        mh = _mm_cmpeq_epi8(_mm_and_si128(vh, bits), bits); /* -1 where h_c */
        ml = _mm_cmpeq_epi8(_mm_and_si128(vl, bits), bits);
        _mm_storeu_si128((__m128i *)(void *)met,
                         _mm_sub_epi8(_mm_sub_epi8(_mm_sub_epi8(minus1, mh), mh), ml));
        return;
    }
#endif
    {
        int c;
        for (c = 0; c < MT_MAX_CRITERIA; c++)
            met[c] = (signed char)(-1 + 2 * (int)(h >> c & 1u) + (int)(l >> c & 1u));
    }
}

/* Bit i of the simple criteria's bits b to bit to[i]. */
static __attribute__((noinline)) unsigned scatter(const unsigned char *to, int ns, unsigned b)
{
    unsigned out = 0;
    int i;

    for (i = 0; i < ns; i++)
        out |= (b >> i & 1u) << to[i];
    return out;
}

/* Criterion c of (d, sex): the met_planned of the first row whose condition
 * holds, -1 when none does. */
static __attribute__((noinline)) signed char cond_met(const mt_rule_plan *p, size_t d, int sex,
                                                      int c, const mt_input *in, const mt_q *m)
{
    const mt_plan_rule *pr = p->rule[d];
    const unsigned char *rows = p->row[d][sex][c];
    int i, n = p->n[d][sex][c];

    for (i = 0; i < n; i++) {
        const mt_plan_rule *at = &pr[rows[i]];
        if (at->cond == COND_NONE || condition(at->r, in, m) == 1)
            return met_planned(at, &m[at->measure]);
    }
    return -1;
}

/* Each definition's met and code from the entries' bits (H, L): its simple
 * criteria cut from its word, then its other criteria. */
static inline __attribute__((always_inline)) void
defs_mets(const mt_rule_plan *p, const mt_mets_flat *f, const mt_input *in, const mt_q *m,
          const unsigned long long *H, const unsigned long long *L,
          signed char (*met)[MT_MAX_CRITERIA], unsigned *codes, int scalar)
{
    int sex = f->sex, k, method = asm_method(in),
        mu = method >= MT_ASM_NONE && method <= MT_ASM_BIA ? method : 3;

    for (k = 0; k < f->nd; k++) {
        size_t d = f->def[k].d;
        unsigned h = (unsigned)(H[f->def[k].word] >> f->def[k].off) & f->def[k].mask,
                 l = (unsigned)(L[f->def[k].word] >> f->def[k].off) & f->def[k].mask;
        int j;
        if (!f->def[k].ident) {
            h = scatter(p->s_crit[d][sex], f->def[k].ns, h);
            l = scatter(p->s_crit[d][sex], f->def[k].ns, l);
        }
        for (j = f->def[k].co; j < f->def[k].co + f->def[k].nco; j++) {
            int c = f->co[j].c;
            if (f->co[j].by_method) {
                /* condition() of a row with no condition, DXA or BIA reads
                 * asm_method(in) alone: sel is its first row that holds */
                int r = f->co[j].sel[mu];
                if (r >= 0) {
                    signed char v = met_planned(&p->rule[d][r], &m[p->rule[d][r].measure]);
                    h |= (unsigned)(v == 1) << c;
                    l |= (unsigned)(v == 0) << c;
                }
            } else {
                signed char v = cond_met(p, d, sex, c, in, m);
                h |= (unsigned)(v == 1) << c;
                l |= (unsigned)(v == 0) << c;
            }
        }
        if (scalar >= 0) /* (-1: the caller stores them from the codes) */
            store_mets(met[d], h, l, scalar);
        codes[d] = h | l << 12;
    }
}

#if MT_METS_WIDE
/* The whole of it compiled for AVX2 and BMI2 (f->wide), the entries four at
 * a time. */
static __attribute__((noinline, target("avx2,bmi2"))) void
mets_wide(const mt_rule_plan *p, const mt_mets_flat *f, const mt_input *in, const mt_q *m,
          signed char (*met)[MT_MAX_CRITERIA], unsigned *codes)
{
    unsigned long long H[MT_FLAT_WORDS], L[MT_FLAT_WORDS];

    flat_avx2(f, m, H, L);
    defs_mets(p, f, in, m, H, L, met, codes, 0);
}

/* The same where the CPU has AVX-512 BW and VL too (f->wide 2): each
 * definition's met bytes from its code's two masks, -1 with 0 where l and 1
 * where h (two masked moves, where store_mets spreads each mask's bits to
 * bytes: ~56 instructions a row fewer). */
static __attribute__((noinline, target("avx2,bmi2,avx512f,avx512bw,avx512vl"))) void
mets_wide512(const mt_rule_plan *p, const mt_mets_flat *f, const mt_input *in, const mt_q *m,
             signed char (*met)[MT_MAX_CRITERIA], unsigned *codes)
{
    unsigned long long H[MT_FLAT_WORDS], L[MT_FLAT_WORDS];
    int k;

    flat_avx2(f, m, H, L);
    defs_mets(p, f, in, m, H, L, met, codes, -1);
    for (k = 0; k < f->nd; k++) {
        size_t d = f->def[k].d;
        __m128i v = _mm_maskz_mov_epi8((__mmask16)~(codes[d] >> 12), _mm_set1_epi8(-1));
        _mm_storeu_si128((__m128i *)(void *)met[d],
                         _mm_mask_mov_epi8(v, (__mmask16)(codes[d] & 0xfffu), _mm_set1_epi8(1)));
    }
}
#endif

/* Each criterion's met as mt_definition_evaluate_planned gives it (the same
 * rows, in the same order, the same condition() == 1 and met_planned), and
 * nothing else: no shown row, state or value. A simple criterion's met is
 * its entry's in the flat list (flat_scalar: met_planned's own arithmetic),
 * cut from its definition's bits of the word; the others as the planned
 * evaluation does. */
void mt_definition_mets_flat(const mt_rule_plan *p, const mt_mets_flat *f, const mt_input *in,
                             const mt_q *m, signed char (*met)[MT_MAX_CRITERIA], unsigned *codes)
{
    _Static_assert(MT_MAX_CRIT <= 12, "12 bits each");
    unsigned long long H[MT_FLAT_WORDS], L[MT_FLAT_WORDS];
    int scalar = mt_mets_scalar == 1; /* read once: met's stores may alias it */

#if MT_METS_WIDE
    if (f->wide && (!mt_mets_scalar || mt_mets_scalar == 3)) {
        if (f->wide == 2 && !mt_mets_scalar)
            mets_wide512(p, f, in, m, met, codes);
        else
            mets_wide(p, f, in, m, met, codes);
        return;
    }
#endif
#if defined(__SSE2__)
    if (!scalar)
        flat_sse2(f, m, H, L);
    else
#endif
        flat_scalar(f, m, H, L);
    defs_mets(p, f, in, m, H, L, met, codes, scalar);
}

void mt_definition_mets(const mt_rule_plan *p, unsigned defs, const mt_input *in, const mt_q *m,
                        signed char (*met)[MT_MAX_CRITERIA], unsigned *codes)
{
    mt_mets_flat f;

    mt_mets_flat_init(p, defs, in->sex == MT_MALE, &f);
    mt_definition_mets_flat(p, &f, in, m, met, codes);
}

const char *mt_op_str(int op)
{
    static const char *const s[] = {"<", "<=", ">", ">=", "between", "is"};
    return op >= 0 && op <= OP_IS ? s[op] : "?";
}

const char *mt_status_str(int status)
{
    static const char *const s[] = {"confirmed", "to_confirm", "convention"};
    return status >= 0 && status <= ST_CONVENTION ? s[status] : "?";
}

static const struct {
    const char *name, *unit;
} measures[M_N] = {
    [M_GRIP] = {"grip", "kg"},
    [M_CHAIR5X] = {"chair_stand_5x", "s"},
    [M_ASM] = {"asm", "kg"},
    [M_ASMI] = {"asmi", "kg/m2"},
    [M_GAIT] = {"gait_speed", "m/s"},
    [M_SPPB] = {"sppb", "points"},
    [M_TUG] = {"tug", "s"},
    [M_W400] = {"walk_400m", "s"},
    [M_SIX_MW] = {"six_minute_walk", "m"},
    [M_CALF] = {"calf", "cm"},
    [M_SARCF] = {"sarc_f", "points"},
    [M_SARCCALF] = {"sarc_calf", "points"},
    [M_ISHII] = {"ishii", "points"},
    [M_GRIP_BMI] = {"grip_bmi", "kg/(kg/m2)"},
    [M_ALM_BMI] = {"alm_bmi", "kg/(kg/m2)"},
    [M_BMI] = {"bmi", "kg/m2"},
    [M_AGE] = {"age", "years"},
    [M_WEIGHT_LOSS_6M] = {"weight_loss_6_months", "%"},
    [M_WEIGHT_LOSS_12M] = {"weight_loss_12_months", "%"},
    [M_CK_ULN] = {"ck_times_uln", "x ULN"},
    [M_CRP] = {"crp", "mg/L"},
    [M_HEMOGLOBIN] = {"hemoglobin", "g/dL"},
    [M_ALBUMIN] = {"albumin", "g/dL"},
    [M_EGFR] = {"egfr", "mL/min/1.73 m2"},
    [M_INTAKE] = {"intake_percent_of_usual", "%"},
    [M_SESSIONS] = {"exercise_sessions_per_week", "sessions/week"},
    [M_ILLNESS] = {"chronic_illness", "yes/no"},
    [M_CANCER] = {"cancer", "yes/no"},
    [M_ANOREXIA] = {"appetite_reduced", "yes/no"},
    [M_FATIGUE] = {"fatigue", "yes/no"},
    [M_PAIN] = {"pain", "of 10"},
    [M_EFFORT] = {"effort", "of 10"},
    [M_REPS_OVER_TARGET] = {"reps_over_target", "repetitions"},
    [M_LOAD_INCREASE] = {"load_increase", "%"},
    [M_HOLD] = {"hold_seconds", "s"},
    [M_FUNCTION_DROP] = {"function_test_drop", "%"},
};

int mt_measure_is_flag(int m)
{
    return m >= M_ILLNESS && m <= M_FATIGUE;
}

const char *mt_measure_name(int m)
{
    return m >= 0 && m < M_N ? measures[m].name : "?";
}

const char *mt_measure_unit(int m)
{
    return m >= 0 && m < M_N ? measures[m].unit : "?";
}
