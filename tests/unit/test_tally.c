/*
 * test_tally.c - the counting of `myotrack screen` (src/screen/tally.c).
 *
 * tally_add counts a definition's criteria as pairs in SSE2 lanes (where the
 * build has SSE2); this holds every count and every sum, bit for bit, to the
 * plain scalar arithmetic written out here: for each row in order,
 * evaluated += e, met += m, w_eval += w * e, w_met += w * m, w2_eval += (w * e) * w,
 * and under a design the PSU's two sums += w * e and w * m. Weights are random
 * doubles with all their bits, so a different operation or order of additions
 * would differ in the last bits somewhere over thousands of rows.
 */
#include "testutil.h"

#include <stdlib.h>

#include "screen/tally.h"

#define ROWS 5000
#define PSUS 7

typedef struct ref {
    int64_t evaluated[512], met[512];
    double w_eval[512], w_met[512], w2_eval[512];
    double psu[PSUS][512][2];
} ref;

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void ref_count(ref *r, size_t i, int psu, int design, int e, int m, double w)
{
    double we = w * e, wm = w * m;

    r->evaluated[i] += e;
    r->met[i] += m;
    r->w_eval[i] += we;
    r->w_met[i] += wm;
    r->w2_eval[i] += we * w;
    if (design) {
        r->psu[psu][i][0] += we;
        r->psu[psu][i][1] += wm;
    }
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof(a)) == 0;
}

static void run(int design, int weighted)
{
    int defs[MT_MAX_DEFINITIONS];
    size_t n_defs = mt_definition_count(), d, i, k;
    tally_spec spec;
    tally t;
    ref *r = calloc(1, sizeof(*r));
    int groups[1] = {0};

    assert_non_null(r);
    for (d = 0; d < n_defs; d++)
        defs[d] = (int)d;
    tally_spec_init(&spec, defs, n_defs, weighted, design);
    assert_true(spec.n_stats <= 512);
    tally_init(&t, &spec);
    for (i = 0; i < ROWS; i++) {
        mt_classification c;
        int psu = (int)(next() % PSUS);
        /* a weight with random mantissa bits over several binades; some exact zeros */
        double w = (next() % 17 == 0) ? 0.0 : (double)(next() >> 11) / 9007199254740992.0 * 15000.0;
        memset(&c, 0, sizeof(c));
        for (d = 0; d < n_defs; d++) {
            c.category[d] = (int)(next() % spec.n_cat[d]);
            for (k = 0; k < spec.n_crit[d]; k++)
                c.met[d][k] = (signed char)((int)(next() % 3) - 1);
        }
        assert_int_equal(tally_add(&t, groups, 1, psu, w, &c), 0);
        for (d = 0; d < n_defs; d++) {
            size_t b = spec.base[d], cat = b + 1 + (size_t)c.category[d];
            ref_count(r, b, psu, design, 1, 0, w);
            r->met[cat] += 1;
            r->w_met[cat] += w;
            if (design)
                r->psu[psu][cat][1] += w;
            for (k = 0; k < spec.n_crit[d]; k++) {
                int v = c.met[d][k];
                ref_count(r, b + 1 + spec.n_cat[d] + k, psu, design, v >= 0, v == 1, w);
            }
        }
    }
    for (i = 0; i < spec.n_stats; i++) {
        const tcell *c = &t.group[0]->cells[i];
        assert_true(c->evaluated == r->evaluated[i]);
        assert_true(c->met == r->met[i]);
        if (!same_double(c->w_eval, r->w_eval[i]) || !same_double(c->w_met, r->w_met[i]) ||
            !same_double(c->w2_eval, r->w2_eval[i]))
            fail_msg("statistic %zu: sums %.17g %.17g %.17g, expected %.17g %.17g %.17g", i,
                     c->w_eval, c->w_met, c->w2_eval, r->w_eval[i], r->w_met[i], r->w2_eval[i]);
        for (k = 0; design && k < PSUS; k++) {
            const double *p = t.group[0]->psu + (k * spec.n_stats + i) * 2;
            if (!same_double(p[0], r->psu[k][i][0]) || !same_double(p[1], r->psu[k][i][1]))
                fail_msg("statistic %zu, PSU %zu: %.17g %.17g, expected %.17g %.17g", i, k, p[0],
                         p[1], r->psu[k][i][0], r->psu[k][i][1]);
        }
    }
    tally_free(&t);
    free(r);
}

static void sums_equal_scalar_with_design(void **state)
{
    (void)state;
    run(1, 1);
}

static void sums_equal_scalar_without_design(void **state)
{
    (void)state;
    run(0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums_equal_scalar_with_design),
        cmocka_unit_test(sums_equal_scalar_without_design),
    };
    return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
