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
    int at = -1;

    pthread_mutex_lock(&k->mu);
    for (i = 0; i < k->n; i++)
        if (strlen(k->name[i]) == len && memcmp(k->name[i], name, len) == 0) {
            at = (int)i;
            goto done;
        }
    if (k->n == k->max)
        goto done;
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
    for (d = 0; d < n_defs; d++) {
        mt_definition_view v;
        mt_definition_at((size_t)defs[d], &v);
        s->def[d] = defs[d];
        s->base[d] = s->n_stats;
        s->n_cat[d] = v.n_categories;
        s->n_crit[d] = v.n_criteria;
        s->n_stats += 1 + v.n_categories + v.n_criteria; /* the rows, categories, criteria */
    }
}

void tally_init(tally *t, const tally_spec *spec)
{
    memset(t, 0, sizeof(*t));
    memset(t->n_parents, -1, sizeof(t->n_parents));
    t->spec = spec;
}

static tgroup *group_at(tally *t, int g, int psu)
{
    const tally_spec *s = t->spec;
    tgroup *gr = t->group[g];

    if (!gr) {
        size_t bytes = sizeof(*gr) + s->n_stats * sizeof(tcell);
        if (t->bytes + bytes > TALLY_MAX_BYTES || !(gr = calloc(1, sizeof(*gr))))
            return NULL;
        if (!(gr->cells = calloc(s->n_stats, sizeof(tcell)))) {
            free(gr);
            return NULL;
        }
        t->bytes += bytes;
        t->group[g] = gr;
    }
    if (s->design && (size_t)psu >= gr->psu_cap) {
        size_t cap = gr->psu_cap ? gr->psu_cap : 32, per = s->n_stats * 2 * sizeof(double);
        double *np;
        while (cap <= (size_t)psu)
            cap *= 2;
        if (t->bytes + (cap - gr->psu_cap) * per > TALLY_MAX_BYTES)
            return NULL;
        if (!(np = realloc(gr->psu, cap * per)))
            return NULL;
        memset((char *)np + gr->psu_cap * per, 0, (cap - gr->psu_cap) * per);
        t->bytes += (cap - gr->psu_cap) * per;
        gr->psu = np;
        gr->psu_cap = cap;
    }
    return gr;
}

/* One row into a statistic: evaluated (0 or 1) and met (0 or 1, only when
 * evaluated). Without branches on the row's values, which no predictor
 * guesses: a row not evaluated adds 0 and 0.0 (x + 0.0 is x exactly). */
static inline void count(tcell *c, double *p, int evaluated, int met, double w)
{
    double we = w * evaluated, wm = w * met;

    c->evaluated += evaluated;
    c->w_eval += we;
    c->w2_eval += we * w;
    c->met += met;
    c->w_met += wm;
    if (p) { /* the same for every row of a run */
        p[0] += we;
        p[1] += wm;
    }
}

#if defined(__SSE2__)
/* A definition's criteria, each as count() with its verdict v (1, 0, -1):
 * (evaluated, met) as a pair from a table by v, and (w_eval, w_met) and the
 * PSU's pair as one mulpd and one addpd each. These are, lane by lane, the
 * same IEEE multiplications and additions as count()'s scalar ones (x86-64
 * does those in SSE2 registers too), in the same order, so every count and
 * sum is bit-identical; test_tally holds the two to each other. */
_Static_assert(offsetof(tcell, met) == offsetof(tcell, evaluated) + 8 &&
                   offsetof(tcell, w_met) == offsetof(tcell, w_eval) + 8,
               "(evaluated, met) and (w_eval, w_met) are added as pairs");
static const struct {
    int64_t n[2];
    double f[2];
} verdict_pair[3] = {{{0, 0}, {0.0, 0.0}}, {{1, 0}, {1.0, 0.0}}, {{1, 1}, {1.0, 1.0}}};

/* One criterion's verdict (met + 1) into its cell; returns its pair of
 * weighted sums (w_eval, w_met), which the PSU's sums take too. */
static inline __m128d count_one(tcell *c, int v, __m128d ww, double w)
{
    __m128d wm = _mm_mul_pd(ww, _mm_loadu_pd(verdict_pair[v].f));
    __m128i *cn = (__m128i *)(void *)&c->evaluated;
    __m128i n2 = _mm_loadu_si128((const __m128i *)(const void *)verdict_pair[v].n);

    _mm_storeu_si128(cn, _mm_add_epi64(_mm_loadu_si128(cn), n2));
    _mm_storeu_pd(&c->w_eval, _mm_add_pd(_mm_loadu_pd(&c->w_eval), wm));
    c->w2_eval += _mm_cvtsd_f64(wm) * w;
    return wm;
}

static inline void count_criteria(tcell *c, double *p, const signed char *met, size_t n, double w)
{
    __m128d ww = _mm_set1_pd(w);
    size_t k;

    /* two loops, so the design's test is not made per criterion */
    if (p)
        for (k = 0; k < n; k++, p += 2)
            _mm_storeu_pd(p, _mm_add_pd(_mm_loadu_pd(p), count_one(c + k, met[k] + 1, ww, w)));
    else
        for (k = 0; k < n; k++)
            count_one(c + k, met[k] + 1, ww, w);
}
#else
static inline void count_criteria(tcell *c, double *p, const signed char *met, size_t n, double w)
{
    size_t k;

    for (k = 0; k < n; k++)
        count(c + k, p ? p + 2 * k : NULL, met[k] >= 0, met[k] == 1, w);
}
#endif

int tally_add(tally *t, const int *groups, int ng, int psu, double w, const mt_classification *cl)
{
    const tally_spec *s = t->spec;
    int g = groups[ng - 1], i;

    if (t->n_parents[g] < 0) {
        if (ng - 1 > TALLY_MAX_PARENTS)
            return -1;
        for (i = 0; i + 1 < ng; i++)
            t->parent[g][i] = (short)groups[i];
        t->n_parents[g] = (signed char)(ng - 1);
    }
    {
        tgroup *gr = group_at(t, g, psu);
        tcell *cells;
        size_t d, k;
        if (!gr)
            return -1;
        cells = gr->cells;
        for (d = 0; d < s->n_defs; d++) {
            int def = s->def[d];
            size_t b = s->base[d];
            double *p = s->design ? gr->psu + ((size_t)psu * s->n_stats + b) * 2 : NULL;
            /* every row has one category: the evaluated side is counted once, on
             * the definition's first statistic, the met side on the category's */
            count(&cells[b], p, 1, 0, w);
            k = (size_t)cl->category[def];
            cells[b + 1 + k].met++;
            cells[b + 1 + k].w_met += w;
            if (p)
                p[2 * (1 + k) + 1] += w;
            b += 1 + s->n_cat[d];
            if (p)
                p += 2 * (1 + s->n_cat[d]);
            count_criteria(cells + b, p, cl->met[def], s->n_crit[d], w);
        }
    }
    return 0;
}

/* Add group `from` into group g of dst. */
static int add_group(tally *dst, int g, const tgroup *from)
{
    const tally_spec *s = dst->spec;
    tgroup *to = group_at(dst, g, from->psu_cap ? (int)from->psu_cap - 1 : 0);
    size_t i;

    if (!to)
        return -1;
    for (i = 0; i < s->n_stats; i++) {
        tcell *a = &to->cells[i];
        const tcell *b = &from->cells[i];
        a->evaluated += b->evaluated;
        a->met += b->met;
        a->w_eval += b->w_eval;
        a->w_met += b->w_met;
        a->w2_eval += b->w2_eval;
    }
    for (i = 0; s->design && i < from->psu_cap * s->n_stats * 2; i++)
        to->psu[i] += from->psu[i];
    return 0;
}

int tally_merge(tally *dst, const tally *src)
{
    size_t g;

    for (g = 0; g < TALLY_MAX_GROUPS; g++) {
        if (dst->n_parents[g] < 0 && src->n_parents[g] >= 0) {
            dst->n_parents[g] = src->n_parents[g];
            memcpy(dst->parent[g], src->parent[g], sizeof(dst->parent[g]));
        }
        if (src->group[g] && add_group(dst, (int)g, src->group[g]) != 0)
            return -1;
    }
    return 0;
}

int tally_roll_up(tally *t)
{
    size_t g;
    int i;

    for (g = 0; g < TALLY_MAX_GROUPS; g++)
        for (i = 0; t->group[g] && i < t->n_parents[g]; i++)
            if (add_group(t, t->parent[g][i], t->group[g]) != 0)
                return -1;
    return 0;
}

void tally_free(tally *t)
{
    size_t g;

    for (g = 0; g < TALLY_MAX_GROUPS; g++)
        if (t->group[g]) {
            free(t->group[g]->cells);
            free(t->group[g]->psu);
            free(t->group[g]);
        }
    memset(t->group, 0, sizeof(t->group));
    t->bytes = 0;
}
