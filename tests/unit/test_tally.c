/*
 * test_tally.c - the counting of `myotrack screen` (src/screen/tally.c).
 *
 * tally_add keeps its sums by statistic and adds two criteria at a time in
 * SSE2 lanes (four in AVX2's where the CPU has it: both ways run), counts the criteria in bytes, and keeps every definition's
 * rows once (tally.c says why each is exact). This holds every count and
 * every sum, bit for bit, to the plain scalar arithmetic written out here:
 * for each row in order, evaluated += e, met += m, w_eval += w * e,
 * w_met += w * m, w2_eval += (w * e) * w (a category's: w * w over its own
 * rows), and under a design the PSU's two sums += w * e and w * m; then tally_merge and tally_roll_up as sums of
 * groups, dst += src, statistic by statistic. Weights are random doubles
 * with all their bits, so a different operation or order of additions would
 * differ in the last bits somewhere over thousands of rows. The sums a run
 * does not keep (tally.h: under a design w_eval and w_met, its PSUs' sums
 * adding up to them) are checked to be 0.
 */
#include "testutil.h"

#include <stdlib.h>

#include "screen/tally.h"

#define ROWS   5000
#define PSUS   7
#define GROUPS 3 /* 0: all; 1 and 2 the finest, 0 their parent */

typedef struct ref {
    int64_t evaluated[GROUPS][512], met[GROUPS][512];
    double w_eval[GROUPS][512], w_met[GROUPS][512], w2_eval[GROUPS][512];
    double psu[GROUPS][PSUS][512][2];
} ref;

static uint64_t rng = 88172645463325252u;

static void ref_count(ref *r, int g, size_t i, int psu, int e, int m, double w)
{
    double we = w * e, wm = w * m;

    r->evaluated[g][i] += e;
    r->met[g][i] += m;
    r->w_eval[g][i] += we;
    r->w_met[g][i] += wm;
    r->w2_eval[g][i] += we * w;
    r->psu[g][psu][i][0] += we;
    r->psu[g][psu][i][1] += wm;
}

/* dst group += src group, as tally.c's add_group */
static void ref_add(ref *dst, int gd, const ref *src, int gs, size_t n_stats)
{
    size_t i, k;

    for (i = 0; i < n_stats; i++) {
        dst->evaluated[gd][i] += src->evaluated[gs][i];
        dst->met[gd][i] += src->met[gs][i];
        dst->w_eval[gd][i] += src->w_eval[gs][i];
        dst->w_met[gd][i] += src->w_met[gs][i];
        dst->w2_eval[gd][i] += src->w2_eval[gs][i];
        for (k = 0; k < PSUS; k++) {
            dst->psu[gd][k][i][0] += src->psu[gs][k][i][0];
            dst->psu[gd][k][i][1] += src->psu[gs][k][i][1];
        }
    }
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof(a)) == 0;
}

/* n rows into t (group 1 or 2 at random) and into r by the scalar arithmetic. */
static void add_rows(tally *t, ref *r, const tally_spec *spec, size_t n, int junk)
{
    size_t i, d, k;

    for (i = 0; i < n; i++) {
        mt_classification c;
        int psu = (int)(mt_test_xorshift(&rng) % PSUS), g = 1 + (int)(mt_test_xorshift(&rng) % 2), groups[2] = {0, g};
        /* a weight with random mantissa bits over several binades; some exact zeros */
        double w = (mt_test_xorshift(&rng) % 17 == 0) ? 0.0 : (double)(mt_test_xorshift(&rng) >> 11) / 9007199254740992.0 * 15000.0;
        /* past a definition's criteria: the engine's -1, or "met" (junk), which
         * must not count anywhere */
        memset(&c, junk ? 1 : 0xff, sizeof(c));
        for (d = 0; d < spec->n_defs; d++) {
            c.category[spec->def[d]] = (int)(mt_test_xorshift(&rng) % spec->n_cat[d]);
            for (k = 0; k < spec->n_crit[d]; k++)
                c.met[spec->def[d]][k] = (signed char)((int)(mt_test_xorshift(&rng) % 3) - 1);
        }
        assert_int_equal(tally_add(t, groups, 2, psu, w, &c), 0);
        for (d = 0; d < spec->n_defs; d++) {
            size_t b = spec->base[d], cat = b + 1 + (size_t)c.category[spec->def[d]];
            ref_count(r, g, b, psu, 1, 0, w);
            r->met[g][cat] += 1;
            r->w_met[g][cat] += w;
            r->w2_eval[g][cat] += w * w; /* a category's: its own rows' */
            r->psu[g][psu][cat][1] += w;
            for (k = 0; k < spec->n_crit[d]; k++) {
                int v = c.met[spec->def[d]][k];
                ref_count(r, g, spec->crit[d] + k, psu, v >= 0, v == 1, w);
            }
        }
    }
}

static void check(const tally *t, const ref *r, const tally_spec *spec)
{
    int g;
    size_t i, k;

    for (g = 0; g < GROUPS; g++) {
        assert_non_null(t->group[g]);
        for (i = 0; i < spec->n_stats; i++) {
            const tcell *c = &t->group[g]->cells[i];
            /* what the run keeps (tally.h); the rest is 0 */
            double w_eval = spec->weighted && !spec->design ? r->w_eval[g][i] : 0,
                   w2_eval = spec->weighted ? r->w2_eval[g][i] : 0,
                   w_met = spec->weighted && !spec->design ? r->w_met[g][i] : 0;
            if (c->evaluated != r->evaluated[g][i] || c->met != r->met[g][i])
                fail_msg("group %d, statistic %zu: counts %lld %lld, expected %lld %lld", g, i,
                         (long long)c->evaluated, (long long)c->met,
                         (long long)r->evaluated[g][i], (long long)r->met[g][i]);
            if (!same_double(c->w_eval, w_eval) || !same_double(c->w_met, w_met) ||
                !same_double(c->w2_eval, w2_eval))
                fail_msg("group %d, statistic %zu: sums %.17g %.17g %.17g, expected %.17g %.17g "
                         "%.17g",
                         g, i, c->w_eval, c->w_met, c->w2_eval, w_eval, w_met, w2_eval);
            for (k = 0; spec->design && k < PSUS; k++) {
                double p0 = tally_psu(t->group[g], spec, k, i, 0),
                       p1 = tally_psu(t->group[g], spec, k, i, 1);
                if (!same_double(p0, r->psu[g][k][i][0]) || !same_double(p1, r->psu[g][k][i][1]))
                    fail_msg("group %d, statistic %zu, PSU %zu: %.17g %.17g, expected %.17g %.17g",
                             g, i, k, p0, p1, r->psu[g][k][i][0], r->psu[g][k][i][1]);
            }
        }
    }
}

/* Two workers' tallies (of every definition, or of a few in another order),
 * merged, then rolled up into "all": each step as the scalar arithmetic. */
static void run1(int design, int weighted, int all_defs, int wide)
{
    int defs[MT_MAX_DEFINITIONS];
    size_t n_defs = mt_definition_count(), d;
    tally_spec spec;
    tally t, u;
    ref *r = calloc(1, sizeof(*r)), *q = calloc(1, sizeof(*q));

    assert_non_null(r);
    assert_non_null(q);
    if (all_defs) {
        for (d = 0; d < n_defs; d++)
            defs[d] = (int)d;
    } else { /* the last three, backwards: the definitions' and the statistics' orders differ */
        for (d = 0; d < 3; d++)
            defs[d] = (int)(n_defs - 1 - d);
        n_defs = 3;
    }
    tally_spec_init(&spec, defs, n_defs, weighted, design);
    spec.wide = wide;
    assert_true(spec.n_stats <= 512);
    tally_init(&t, &spec);
    tally_init(&u, &spec);
    add_rows(&t, r, &spec, ROWS, 0);
    add_rows(&u, q, &spec, ROWS / 2 + 77, 1); /* a count of rows not a multiple of 255 */
    assert_int_equal(tally_merge(&t, &u), 0);
    ref_add(r, 1, q, 1, spec.n_stats);
    ref_add(r, 2, q, 2, spec.n_stats);
    assert_int_equal(tally_roll_up(&t), 0);
    ref_add(r, 0, r, 1, spec.n_stats);
    ref_add(r, 0, r, 2, spec.n_stats);
    check(&t, r, &spec);
    tally_free(&t);
    tally_free(&u);
    free(r);
    free(q);
}

/* Both ways: SSE2's pairs, and AVX2's quads where this CPU has AVX2 (a
 * machine without it runs the first only, as myotrack screen would). */
static void run(int design, int weighted, int all_defs)
{
    run1(design, weighted, all_defs, 0);
    if (tally_wide_available())
        run1(design, weighted, all_defs, 1);
    else
        print_message("no AVX2 here: the SSE2 way only\n");
}

/* The cells of a tally only tally_add-ed, once tally_flush has run. */
static void flush_alone(void **state)
{
    int defs[MT_MAX_DEFINITIONS], groups[2] = {0, 1};
    size_t d, n_defs = mt_definition_count();
    tally_spec spec;
    tally t;
    mt_classification c;

    (void)state;
    for (d = 0; d < n_defs; d++)
        defs[d] = (int)d;
    tally_spec_init(&spec, defs, n_defs, 1, 0);
    tally_init(&t, &spec);
    memset(&c, 0, sizeof(c)); /* every criterion evaluated, not met; category 0 */
    for (d = 0; d < 300; d++)
        assert_int_equal(tally_add(&t, groups, 2, 0, 0.5, &c), 0);
    tally_flush(&t);
    for (d = 0; d < n_defs; d++) {
        const tcell *rows = &t.group[1]->cells[spec.base[d]],
                    *crit = &t.group[1]->cells[spec.crit[d]];
        assert_true(rows->evaluated == 300 && crit->evaluated == 300 && crit->met == 0);
        assert_true(rows->w_eval == 150.0 && rows->w2_eval == 75.0 && crit->w_eval == 150.0);
        assert_true(t.group[1]->cells[spec.base[d] + 1].met == 300);
    }
    tally_free(&t);
}

static void sums_equal_scalar_with_design(void **state)
{
    (void)state;
    run(1, 1, 1);
    run(1, 1, 0);
}

static void sums_equal_scalar_without_design(void **state)
{
    (void)state;
    run(0, 1, 1);
    run(0, 1, 0);
}

static void counts_equal_scalar_unweighted(void **state)
{
    (void)state;
    run(0, 0, 1);
    run(0, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums_equal_scalar_with_design),
        cmocka_unit_test(sums_equal_scalar_without_design),
        cmocka_unit_test(counts_equal_scalar_unweighted),
        cmocka_unit_test(flush_alone),
    };
    return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
