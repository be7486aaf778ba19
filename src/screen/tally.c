/*
 * tally.c - counting rows into groups and statistics (tally.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "screen/tally.h"
#if TALLY_WIDE
#include <immintrin.h>
#endif

int keys_init(keys *k, size_t max)
{
    memset(k, 0, sizeof(*k));
    k->max = max;
    return pthread_mutex_init(&k->mu, NULL) ? -1 : 0;
}

void keys_free(keys *k)
{
    size_t i;

    for (i = 0; i < k->n; i++)
        free(k->name[i]);
    free(k->name);
    free(k->aux);
    pthread_mutex_destroy(&k->mu);
}

int keys_intern(keys *k, const char *name, size_t len, int aux)
{
    size_t i;
    int at = TALLY_OVER;

    pthread_mutex_lock(&k->mu);
    for (i = 0; i < k->n; i++)
        if (strlen(k->name[i]) == len && memcmp(k->name[i], name, len) == 0) {
            at = (int)i;
            goto done;
        }
    if (k->n == k->max)
        goto done;
    at = TALLY_NOMEM; /* unless all goes well below */
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 16;
        char **nn = realloc(k->name, cap * sizeof(*nn));
        int *na;
        if (!nn)
            goto done;
        k->name = nn;
        if (!(na = realloc(k->aux, cap * sizeof(*na))))
            goto done;
        k->aux = na;
        k->cap = cap;
    }
    if (!(k->name[k->n] = malloc(len + 1)))
        goto done;
    memcpy(k->name[k->n], name, len);
    k->name[k->n][len] = '\0';
    k->aux[k->n] = aux;
    at = (int)k->n++;
done:
    pthread_mutex_unlock(&k->mu);
    return at;
}

void tally_spec_init(tally_spec *s, const int *defs, size_t n_defs, int weighted, int design)
{
    size_t d;

    memset(s, 0, sizeof(*s));
    s->n_defs = n_defs;
    s->weighted = weighted;
    s->design = design;
    /* every definition's criteria first, each from a multiple of 4 (the
     * statistics up to the next one are padding, never counted: tally.c adds
     * a definition's criteria four at a time), then each definition's rows
     * and categories */
    for (d = 0; d < n_defs; d++) {
        mt_definition_view v;
        mt_definition_at((size_t)defs[d], &v);
        s->def[d] = defs[d];
        s->n_cat[d] = v.n_categories;
        s->n_crit[d] = v.n_criteria;
        s->crit[d] = s->n_crits;
        s->n_crits += (v.n_criteria + 3) & ~(size_t)3;
    }
    s->n_stats = s->n_crits;
    for (d = 0; d < n_defs; d++) {
        s->base[d] = s->n_stats;
        s->n_stats += 1 + s->n_cat[d]; /* the rows, the categories */
    }
    s->stride = s->n_stats;
    s->wide = tally_wide_available();
}

void tally_init(tally *t, const tally_spec *spec)
{
    memset(t, 0, sizeof(*t));
    memset(t->n_parents, -1, sizeof(t->n_parents));
    t->spec = spec;
}

/* What the memory limit counts, as it always has: a group's head (three
 * words), its cells, and per PSU two sums per statistic. The padding and the
 * sums kept as rows come are not counted. */
#define GROUP_HEAD (3 * sizeof(void *))

static tgroup *group_at(tally *t, int g, int psu)
{
    const tally_spec *s = t->spec;
    tgroup *gr = t->group[g];

    if (!gr) {
        size_t bytes = GROUP_HEAD + s->n_stats * sizeof(tcell);
        if (t->bytes + bytes > TALLY_MAX_BYTES)
            return NULL;
        if (!(gr = calloc(1, sizeof(*gr))) || !(gr->cells = calloc(s->n_stats, sizeof(tcell))) ||
            !(gr->hot = calloc(3 * s->stride, sizeof(double))) ||
            !(gr->pend = calloc(s->n_defs ? s->n_defs : 1, 32))) {
            if (gr) {
                free(gr->cells);
                free(gr->hot);
                free(gr);
            }
            t->nomem = 1;
            return NULL;
        }
        t->bytes += bytes;
        t->group[g] = gr;
    }
    if (s->design && (size_t)psu >= gr->psu_cap) {
        size_t cap = gr->psu_cap ? gr->psu_cap : 32, counted = s->n_stats * 2 * sizeof(double),
               per = s->stride * 2 * sizeof(double);
        double *np;
        while (cap <= (size_t)psu)
            cap *= 2;
        if (t->bytes + (cap - gr->psu_cap) * counted > TALLY_MAX_BYTES)
            return NULL;
        if (!(np = realloc(gr->psu, cap * per))) {
            t->nomem = 1;
            return NULL;
        }
        memset((char *)np + gr->psu_cap * per, 0, (cap - gr->psu_cap) * per);
        t->bytes += (cap - gr->psu_cap) * counted;
        gr->psu = np;
        gr->psu_cap = cap;
    }
    return gr;
}

/* ---- counting a row ----------------------------------------------------------
 *
 * The arithmetic is, for each statistic a row touches, with e and m its
 * evaluated and met (0 or 1): evaluated += e, met += m, w_eval += w * e,
 * w_met += w * m, w2_eval += (w * e) * w, and under a design the row's PSU's
 * two sums += w * e and w * m (test_tally writes it out and holds tally_add
 * to it, bit for bit). The sums are kept by statistic in rows of doubles
 * (hot, and the PSU's), so two criteria side by side take one SSE2 addition;
 * each lane adds what that arithmetic adds, or a zero where it adds w * 0,
 * and a zero changes no sum: w is finite (screen.c takes plain finite
 * numbers >= 0), so w * 0 is +0 or -0, a sum starts at +0 and never becomes
 * -0 (in round-to-nearest x + y is -0 only when x and y are), and s + 0 is s
 * for every other s. Where e = 1, w * e is w and (w * e) * w is w * w
 * exactly. So each sum gets the same additions of the same values in the
 * same row order as the scalar arithmetic: bit-identical. Each definition's
 * criteria start at a multiple of 4 (tally_spec_init) and are added where
 * the classification has them, lanes past the last criterion cleared: a
 * pair or quad past it adds zeros to the padding before the next
 * definition's: again no change, and never counted.
 * The counts of the criteria are integers, added in any order the same:
 * bytes, moved into the cells every 255 rows (spill); each definition's
 * 32 (pend_of): their evaluated counts, then their met counts. */

/* The counts' bytes of the d-th definition's criteria (at most 16):
 * evaluated at [0, 16), met at [16, 32). */
static inline unsigned char *pend_of(unsigned char *pend, size_t d)
{
    return pend + 32 * d;
}


/* How a run's sums are kept: without weights none (the summary shows no
 * weighted figure); without a design w_eval, w_met, w2_eval; with one
 * w2_eval and the PSU's two: a statistic's w_eval and w_met are then the
 * sums of its PSUs' (summary.c), one addition a criterion a row fewer
 * (bench/README "sixteenth round"). A category's w2_eval, with weights, is
 * its own rows' sum of w * w (add_rows_and_categories). */
enum { KEEP_NONE, KEEP_PLAIN, KEEP_DESIGN };

#define ALWAYS_INLINE inline __attribute__((always_inline))

#if defined(__SSE2__)
/* Two criteria: their masks (all ones where evaluated, met) in em, mm; the
 * sums' rows at e, m, q (w_eval, w_met, w2_eval) and the PSU's at a, b. */
static ALWAYS_INLINE void add_pair(double *e, double *m, double *q, double *a, double *b,
                                   __m128i em, __m128i mm, __m128d w2, __m128d ww2, int keep)
{
    __m128d we = _mm_and_pd(w2, _mm_castsi128_pd(em)), wm = _mm_and_pd(w2, _mm_castsi128_pd(mm));

    _mm_storeu_pd(q, _mm_add_pd(_mm_loadu_pd(q), _mm_and_pd(ww2, _mm_castsi128_pd(em))));
    if (keep == KEEP_PLAIN) {
        _mm_storeu_pd(e, _mm_add_pd(_mm_loadu_pd(e), we));
        _mm_storeu_pd(m, _mm_add_pd(_mm_loadu_pd(m), wm));
    } else {
        _mm_storeu_pd(a, _mm_add_pd(_mm_loadu_pd(a), we));
        _mm_storeu_pd(b, _mm_add_pd(_mm_loadu_pd(b), wm));
    }
}

static const signed char lanes[17][16] = {
    {0}, {-1}, {-1, -1}, {-1, -1, -1}, {-1, -1, -1, -1}, {-1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
    {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}};

/* One definition's criteria, 16 or fewer (n of them, their statistics from
 * st, their bytes at met, their counts' bytes at pend: pend_of). */
static ALWAYS_INLINE void add_criteria(double *hot, double *p0, size_t S, unsigned char *pend,
                                       size_t st, size_t n, const signed char *met, __m128d w2,
                                       __m128d ww2, int keep)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)met),
            lane = _mm_loadu_si128((const __m128i *)(const void *)lanes[n]),
            e8 = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-1)), lane),
            m8 = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(1)), lane);
    __m128i *pe = (__m128i *)(void *)pend, *pm = (__m128i *)(void *)(pend + 16);
    double *e = hot + st, *m = e + S, *q = m + S, *a = p0 ? p0 + st : e, *b = p0 ? a + S : e;
    size_t i, pairs = (n + 1) / 2;

    /* a byte of e8, m8 is 0 or 0xFF (-1): subtracting it counts 1 */
    _mm_storeu_si128(pe, _mm_sub_epi8(_mm_loadu_si128(pe), e8));
    _mm_storeu_si128(pm, _mm_sub_epi8(_mm_loadu_si128(pm), m8));
    if (keep == KEEP_NONE)
        return;
    for (i = 0; i < pairs; i += 4) { /* criteria 0-7, then 8-15 */
        __m128i e16 = i ? _mm_unpackhi_epi8(e8, e8) : _mm_unpacklo_epi8(e8, e8),
                m16 = i ? _mm_unpackhi_epi8(m8, m8) : _mm_unpacklo_epi8(m8, m8),
                e4 = _mm_unpacklo_epi16(e16, e16), m4 = _mm_unpacklo_epi16(m16, m16);
        size_t o = 2 * i;
#define PAIR(o, E4, M4, hi)                                                                        \
    add_pair(e + (o), m + (o), q + (o), a + (o), b + (o),                                         \
             hi ? _mm_unpackhi_epi32(E4, E4) : _mm_unpacklo_epi32(E4, E4),                         \
             hi ? _mm_unpackhi_epi32(M4, M4) : _mm_unpacklo_epi32(M4, M4), w2, ww2, keep)
        PAIR(o, e4, m4, 0);
        if (pairs - i > 1)
            PAIR(o + 2, e4, m4, 1);
        if (pairs - i > 2) {
            e4 = _mm_unpackhi_epi16(e16, e16);
            m4 = _mm_unpackhi_epi16(m16, m16);
            PAIR(o + 4, e4, m4, 0);
            if (pairs - i > 3)
                PAIR(o + 6, e4, m4, 1);
        }
#undef PAIR
    }
}
#else
static ALWAYS_INLINE void add_criteria(double *hot, double *p0, size_t S, unsigned char *pend,
                                       size_t st, size_t n, const signed char *met, double w,
                                       double ww, int keep)
{
    double *e = hot + st, *m = e + S, *q = m + S;
    size_t k;

    for (k = 0; k < n; k++) {
        if (met[k] >= 0) {
            pend[k]++;
            if (keep == KEEP_PLAIN)
                e[k] += w;
            if (keep != KEEP_NONE)
                q[k] += ww;
            if (keep == KEEP_DESIGN)
                p0[st + k] += w;
        }
        if (met[k] == 1) {
            pend[16 + k]++;
            if (keep == KEEP_PLAIN)
                m[k] += w;
            if (keep == KEEP_DESIGN)
                p0[S + st + k] += w;
        }
    }
}
#endif

/* The row's statistics but its criteria's: the rows and categories of each
 * definition. Every definition's first statistic (its rows) gets the same
 * additions, row after row: they are kept once, on the first definition's,
 * and copied to the others' by flush_group (the same sums). A category
 * keeps, with weights, its rows' w * w in its w2_eval as well (its
 * evaluated side is its definition's rows, whose w2_eval is their own): the
 * classified rows' Kish n, summed over the categories but insufficient_data
 * (summary.c, "of_classified"). */
static ALWAYS_INLINE void add_rows_and_categories(const tally_spec *s, tgroup *gr, double *p0,
                                                  double w, const mt_classification *cl, int keep)
{
    size_t d, S = s->stride, b0 = s->base[0];
    double *E = gr->hot, *M = E + S, *Q = M + S, ww = w * w;

    if (keep == KEEP_PLAIN)
        E[b0] += w;
    if (keep != KEEP_NONE)
        Q[b0] += ww;
    if (keep == KEEP_DESIGN)
        p0[b0] += w;
    for (d = 0; d < s->n_defs; d++) {
        size_t c = s->base[d] + 1 + (size_t)cl->category[s->def[d]];
        /* the category: m = 1 */
        gr->cells[c].met++;
        if (keep != KEEP_NONE)
            Q[c] += ww;
        if (keep == KEEP_PLAIN)
            M[c] += w;
        if (keep == KEEP_DESIGN)
            p0[S + c] += w;
    }
}

/* The rest of the row: each definition's criteria, read where the
 * classification has them (add_criteria). */
static ALWAYS_INLINE void add_row(const tally_spec *s, tgroup *gr, double *p0, double w,
                                  const mt_classification *cl, int keep)
{
    size_t d, S = s->stride;
    double ww = w * w;
#if defined(__SSE2__)
    __m128d w2 = _mm_set1_pd(w), ww2 = _mm_set1_pd(ww);
#endif

    add_rows_and_categories(s, gr, p0, w, cl, keep);
    for (d = 0; d < s->n_defs; d++)
#if defined(__SSE2__)
        add_criteria(gr->hot, p0, S, pend_of(gr->pend, d), s->crit[d], s->n_crit[d],
                     cl->met[s->def[d]], w2, ww2, keep);
#else
        add_criteria(gr->hot, p0, S, pend_of(gr->pend, d), s->crit[d], s->n_crit[d],
                     cl->met[s->def[d]], w, ww, keep);
#endif
}

/* add_row's three ways, a function of their own as add_row4 is (tally_add,
 * which calls one of them, then needs no room for their work) */
static __attribute__((noinline)) void add_row2(const tally_spec *s, tgroup *gr, double *p0,
                                               double w, const mt_classification *cl)
{
    if (s->design)
        add_row(s, gr, p0, w, cl, KEEP_DESIGN);
    else if (s->weighted)
        add_row(s, gr, NULL, w, cl, KEEP_PLAIN);
    else
        add_row(s, gr, NULL, w, cl, KEEP_NONE);
}

#if TALLY_WIDE
/* The same with AVX2, where the CPU has it (tally_spec_init asks): a
 * definition's criteria's bytes read as one 16-byte load of the
 * classification (where the engine's own 16-byte store put them: no
 * gathering into a buffer first, whose wider load the CPU could not take
 * from its stores in flight), their sums four criteria per addition, the
 * masks widened from the bytes (vpmovsxbq of 4). Lane by lane the same
 * additions of the same values as add_criteria's (and the scalar
 * arithmetic's): a criterion's byte is -1 (not evaluated: e = m = 0), 0 or
 * 1, and the lanes past the definition's last criterion are cleared, so a
 * quad's lanes past it add zeros to its padding statistics (tally_spec_init:
 * each definition's criteria from a multiple of 4). */
static inline __attribute__((always_inline, target("avx2"))) void
add_row4_body(const tally_spec *s, tgroup *gr, double *p0, double w, const mt_classification *cl,
              int keep)
{
    size_t d, k, S = s->stride;
    double ww = w * w;
    __m256d w4 = _mm256_set1_pd(w), ww4 = _mm256_set1_pd(ww);

    add_rows_and_categories(s, gr, p0, w, cl, keep);
    for (d = 0; d < s->n_defs; d++) {
        size_t n = s->n_crit[d], st = s->crit[d];
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)cl->met[s->def[d]]),
                lane = _mm_loadu_si128((const __m128i *)(const void *)lanes[n]),
                e8 = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-1)), lane),
                m8 = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(1)), lane);
        __m256i *pc = (__m256i *)(void *)pend_of(gr->pend, d);
        double *e = gr->hot + st, *m = e + S, *q = m + S, *a = p0 ? p0 + st : e,
               *b = p0 ? a + S : e;
        /* a byte of e8, m8 is 0 or 0xFF (-1): subtracting it counts 1 */
        _mm256_storeu_si256(pc, _mm256_sub_epi8(_mm256_loadu_si256(pc),
                                                _mm256_set_m128i(m8, e8)));
        if (keep == KEEP_NONE)
            continue;
        for (k = 0; k < n; k += 4) {
            __m256d em = _mm256_castsi256_pd(_mm256_cvtepi8_epi64(e8)),
                    mm = _mm256_castsi256_pd(_mm256_cvtepi8_epi64(m8)),
                    we = _mm256_and_pd(w4, em), wm = _mm256_and_pd(w4, mm);
            _mm256_storeu_pd(q + k,
                             _mm256_add_pd(_mm256_loadu_pd(q + k), _mm256_and_pd(ww4, em)));
            if (keep == KEEP_PLAIN) {
                _mm256_storeu_pd(e + k, _mm256_add_pd(_mm256_loadu_pd(e + k), we));
                _mm256_storeu_pd(m + k, _mm256_add_pd(_mm256_loadu_pd(m + k), wm));
            } else {
                _mm256_storeu_pd(a + k, _mm256_add_pd(_mm256_loadu_pd(a + k), we));
                _mm256_storeu_pd(b + k, _mm256_add_pd(_mm256_loadu_pd(b + k), wm));
            }
            e8 = _mm_srli_si128(e8, 4); /* the next four criteria's bytes first */
            m8 = _mm_srli_si128(m8, 4);
        }
    }
}

static __attribute__((noinline, target("avx2"))) void
add_row4(const tally_spec *s, tgroup *gr, double *p0, double w, const mt_classification *cl)
{
    if (s->design)
        add_row4_body(s, gr, p0, w, cl, KEEP_DESIGN);
    else if (s->weighted)
        add_row4_body(s, gr, NULL, w, cl, KEEP_PLAIN);
    else
        add_row4_body(s, gr, NULL, w, cl, KEEP_NONE);
}

int tally_wide_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}
#else
int tally_wide_available(void)
{
    return 0;
}
#endif

static void spill(const tally_spec *s, tgroup *gr)
{
    size_t d, k;

    for (d = 0; d < s->n_defs; d++)
        gr->cells[s->base[d]].evaluated += gr->pending; /* every row: e = 1 */
    for (d = 0; d < s->n_defs; d++) { /* a definition's counts: evaluated, then met */
        unsigned char *e = pend_of(gr->pend, d), *m = e + 16;
        for (k = 0; k < s->n_crit[d]; k++) {
            gr->cells[s->crit[d] + k].evaluated += e[k];
            gr->cells[s->crit[d] + k].met += m[k];
        }
        memset(e, 0, 32);
    }
    gr->pending = 0;
}

int tally_add(tally *t, const int *groups, int ng, int psu, double w, const mt_classification *cl)
{
    const tally_spec *s = t->spec;
    int g = groups[ng - 1], i;
    tgroup *gr;
    double *p0;

    if (t->n_parents[g] < 0) {
        if (ng - 1 > TALLY_MAX_PARENTS)
            return -1;
        for (i = 0; i + 1 < ng; i++)
            t->parent[g][i] = (short)groups[i];
        t->n_parents[g] = (signed char)(ng - 1);
    }
    gr = t->group[g];
    if ((!gr || (s->design && (size_t)psu >= gr->psu_cap)) && !(gr = group_at(t, g, psu)))
        return t->nomem ? TALLY_NOMEM : TALLY_OVER;
    p0 = s->design ? gr->psu + (size_t)psu * 2 * s->stride : NULL;
#if TALLY_WIDE
    if (s->wide)
        add_row4(s, gr, p0, w, cl);
    else
#endif
        add_row2(s, gr, p0, w, cl);
    if (++gr->pending == 255)
        spill(s, gr);
    return 0;
}

static void flush_group(const tally_spec *s, tgroup *gr)
{
    size_t i, d, S = s->stride;

    spill(s, gr);
    for (d = 1; d < s->n_defs; d++) { /* every definition's rows: the same sums (add_row) */
        size_t b = s->base[d], b0 = s->base[0], p;
        gr->hot[b] = gr->hot[b0];
        gr->hot[2 * S + b] = gr->hot[2 * S + b0];
        for (p = 0; s->design && p < gr->psu_cap; p++)
            gr->psu[p * 2 * S + b] = gr->psu[p * 2 * S + b0];
    }
    /* the cells' sums are 0 until now (+0 + x is x: x is never -0) */
    for (i = 0; i < s->n_stats; i++) {
        gr->cells[i].w_eval += gr->hot[i];
        gr->cells[i].w_met += gr->hot[S + i];
        gr->cells[i].w2_eval += gr->hot[2 * S + i];
    }
    memset(gr->hot, 0, 3 * S * sizeof(double));
}

void tally_flush(tally *t)
{
    size_t g;

    for (g = 0; g < TALLY_MAX_GROUPS; g++)
        if (t->group[g])
            flush_group(t->spec, t->group[g]);
}

/* Add group `from` into group g of dst. */
static int add_group(tally *dst, int g, const tgroup *from)
{
    const tally_spec *s = dst->spec;
    tgroup *to = group_at(dst, g, from->psu_cap ? (int)from->psu_cap - 1 : 0);
    size_t i;

    if (!to)
        return dst->nomem ? TALLY_NOMEM : TALLY_OVER;
    for (i = 0; i < s->n_stats; i++) {
        tcell *a = &to->cells[i];
        const tcell *b = &from->cells[i];
        a->evaluated += b->evaluated;
        a->met += b->met;
        a->w_eval += b->w_eval;
        a->w_met += b->w_met;
        a->w2_eval += b->w2_eval;
    }
    for (i = 0; s->design && i < from->psu_cap * s->stride * 2; i++)
        to->psu[i] += from->psu[i];
    to->settings |= from->settings;
    return 0;
}

int tally_merge(tally *dst, tally *src)
{
    size_t g;

    tally_flush(dst);
    tally_flush(src);
    for (g = 0; g < TALLY_MAX_GROUPS; g++) {
        if (dst->n_parents[g] < 0 && src->n_parents[g] >= 0) {
            dst->n_parents[g] = src->n_parents[g];
            memcpy(dst->parent[g], src->parent[g], sizeof(dst->parent[g]));
        }
        int rc;
        if (src->group[g] && (rc = add_group(dst, (int)g, src->group[g])) != 0)
            return rc;
    }
    return 0;
}

int tally_roll_up(tally *t)
{
    size_t g;
    int i;

    tally_flush(t);
    for (g = 0; g < TALLY_MAX_GROUPS; g++)
        for (i = 0; t->group[g] && i < t->n_parents[g]; i++) {
            int rc = add_group(t, t->parent[g][i], t->group[g]);
            if (rc != 0)
                return rc;
        }
    return 0;
}

void tally_free(tally *t)
{
    size_t g;

    for (g = 0; g < TALLY_MAX_GROUPS; g++)
        if (t->group[g]) {
            free(t->group[g]->cells);
            free(t->group[g]->hot);
            free(t->group[g]->pend);
            free(t->group[g]->psu);
            free(t->group[g]);
        }
    memset(t->group, 0, sizeof(t->group));
    t->bytes = 0;
}
