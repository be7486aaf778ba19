/*
 * test_rule_plan.c - the plan a cohort row evaluates its definitions through
 * (mt_rule_plan, evidence/rule.c) gives exactly what the interpreter gives
 * (mt_definition_evaluate): for every definition, both sexes, each of its
 * rows' measures at the row's threshold, just below and just above it,
 * absent and "unable", with the conditions' inputs (ASM method, BIA, BMI,
 * age) varied, every criterion's applied row, shown row, met, state and value
 * are the same. The categories follow from these (tests/screen/run compares
 * whole rows with `myotrack assess`).
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include "engine/result.h"

/* A small deterministic generator: the same cases on every run. */
static unsigned long long lcg = 20261121u;

static unsigned next(void)
{
    lcg = lcg * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(lcg >> 33);
}

static double pick(double lo, double hi)
{
    return lo + (hi - lo) * (double)(next() % 10001) / 10000.0;
}

/* Random measures, then the conditions' inputs. */
static void random_case(mt_input *in, mt_q *m, int sex)
{
    int k;

    memset(in, 0, sizeof(*in));
    in->sex = sex;
    for (k = 0; k < M_N; k++) {
        unsigned r = next() % 6;
        m[k].state = r == 0 ? MT_Q_ABSENT : r == 1 ? MT_Q_UNABLE : MT_Q_VALUE;
        m[k].v = m[k].state == MT_Q_VALUE ? pick(0, 400) : 0;
    }
    m[M_BMI].state = next() % 4 ? MT_Q_VALUE : MT_Q_ABSENT;
    m[M_BMI].v = pick(15, 40);
    m[M_AGE].state = MT_Q_VALUE;
    m[M_AGE].v = pick(18, 100);
    in->asm_method = (int)(next() % 3); /* none, DXA, BIA */
    in->bia.given = (int)(next() % 2);
}

static void same(const mt_definition *def, const mt_def_result *a, const mt_def_result *b)
{
    int c;

    for (c = 0; c < def->n_criteria; c++) {
        assert_ptr_equal(a->crit[c].rule, b->crit[c].rule);
        assert_ptr_equal(a->crit[c].shown, b->crit[c].shown);
        assert_int_equal(a->crit[c].met, b->crit[c].met);
        if (a->crit[c].shown) {
            assert_int_equal(a->crit[c].state, b->crit[c].state);
            assert_true(a->crit[c].value == b->crit[c].value ||
                        (isnan(a->crit[c].value) && isnan(b->crit[c].value)));
        }
    }
}

/* The doubles where a comparison turns: the threshold's neighbours, the
 * upper bound's, and what is no ordinary number. */
static double edge(const mt_rule *r, int k)
{
    switch (k) {
    case 0:
        return nextafter(r->threshold, -INFINITY);
    case 1:
        return nextafter(r->threshold, INFINITY);
    case 2:
        return r->threshold_high;
    case 3:
        return nextafter(r->threshold_high, -INFINITY);
    case 4:
        return NAN;
    case 5:
        return -0.0;
    case 6:
        return INFINITY;
    default:
        return -INFINITY;
    }
}

static void plan_equals_interpreter(void **state)
{
    static mt_rule_plan plan;
    size_t d, i;
    long compared = 0, met = 0;
    int sex, rep, at;

    (void)state;
    mt_rule_plan_init(&plan);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        for (sex = MT_FEMALE; sex <= MT_MALE; sex++)
            for (i = 0; i < def->n_rules; i++) {
                const mt_rule *r = &def->rules[i];
                for (rep = 0; rep < 8; rep++)
                    for (at = 0; at < 13; at++) {
                        mt_input in;
                        mt_q m[M_N];
                        mt_def_result a, b;
                        random_case(&in, m, sex);
                        m[r->measure].state = at == 3   ? MT_Q_ABSENT
                                              : at == 4 ? MT_Q_UNABLE
                                                        : MT_Q_VALUE;
                        m[r->measure].v = at < 3 ? r->threshold + (at - 1) * 0.0001 : 0;
                        if (at >= 5) /* the plan's intervals at their very edges */
                            m[r->measure].v = edge(r, at - 5);
                        memset(&a, 0x5a, sizeof(a)); /* what neither may read */
                        memset(&b, 0x5a, sizeof(b));
                        mt_definition_evaluate(def, &in, m, &a);
                        mt_definition_evaluate_planned(&plan, d, &in, m, &b);
                        same(def, &a, &b);
                        compared++;
                        met += a.crit[r->crit].met == 1;
                    }
            }
    }
    /* the cases reach both sides of the rows */
    assert_true(compared > 1000);
    assert_true(met > 100 && met < compared);
}

/* One criterion alone (mt_definition_criterion, what a cohort row asks of
 * the screening rows) gives the interpreter's met, for every definition and
 * the screening rows, both sexes, at, below and above each row's threshold. */
static void criterion_equals_interpreter(void **state)
{
    size_t d, i;
    long compared = 0, met = 0;
    int sex, rep, at, c;

    (void)state;
    for (d = 0; d <= mt_n_definitions; d++) {
        const mt_definition *def = d < mt_n_definitions ? mt_definitions[d] : &mt_screening_rules;
        for (sex = MT_FEMALE; sex <= MT_MALE; sex++)
            for (i = 0; i < def->n_rules; i++) {
                const mt_rule *r = &def->rules[i];
                for (rep = 0; rep < 8; rep++)
                    for (at = 0; at < 5; at++) {
                        mt_input in;
                        mt_q m[M_N];
                        mt_def_result a;
                        random_case(&in, m, sex);
                        m[r->measure].state = at == 3   ? MT_Q_ABSENT
                                              : at == 4 ? MT_Q_UNABLE
                                                        : MT_Q_VALUE;
                        m[r->measure].v = at < 3 ? r->threshold + (at - 1) * 0.0001 : 0;
                        mt_definition_evaluate(def, &in, m, &a);
                        for (c = 0; c < def->n_criteria; c++)
                            assert_int_equal(mt_definition_criterion(def, c, &in, m),
                                             a.crit[c].met);
                        compared++;
                        met += a.crit[r->crit].met == 1;
                    }
            }
    }
    assert_true(compared > 1000);
    assert_true(met > 100 && met < compared);
}

/* Every definition's table fits the plan, so no row goes the generic way. */
static void every_table_fits_the_plan(void **state)
{
    static mt_rule_plan plan;
    size_t d;
    int sex;

    (void)state;
    mt_rule_plan_init(&plan);
    assert_true(mt_n_definitions <= MT_PLAN_MAX_DEFS);
    for (d = 0; d < mt_n_definitions; d++)
        for (sex = 0; sex < 2; sex++) {
            int c, rows = 0;
            assert_false(plan.generic[d][sex]);
            for (c = 0; c < mt_definitions[d]->n_criteria; c++)
                rows += plan.n[d][sex][c];
            assert_true(rows > 0);
        }
}

/* mt_domains (one walk, the maximum) gives mt_domain (the OR with its early
 * return) for every definition and role, over every pattern of verdicts of up
 * to 8 criteria and random ones beyond. */
static void domains_equal_domain(void **state)
{
    size_t d;
    long compared = 0;

    (void)state;
    srand(7);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        int n = def->n_criteria, all = 1, k, c, role;
        for (k = 0; k < n && k < 8; k++)
            all *= 3;
        for (k = 0; k < all + 3000; k++) {
            mt_def_result r;
            int dom[MT_N_ROLES];
            memset(&r, 0, sizeof(r));
            for (c = 0, role = k; c < n; c++) {
                r.crit[c].met = (signed char)(k < all && c < 8 ? role % 3 - 1 : rand() % 3 - 1);
                role = c < 8 ? role / 3 : role;
            }
            mt_domains(def, &r, dom);
            for (role = 0; role < MT_N_ROLES; role++) {
                assert_int_equal(dom[role], mt_domain(def, &r, role));
                compared++;
            }
        }
    }
    assert_true(compared > 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_equals_interpreter),
        cmocka_unit_test(criterion_equals_interpreter),
        cmocka_unit_test(every_table_fits_the_plan),
        cmocka_unit_test(domains_equal_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
