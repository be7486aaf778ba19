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
#include <stdio.h>
#include <stdlib.h>

#include "engine/result.h"

/* A small deterministic generator: the same cases on every run. */
static unsigned long long lcg = 20261121u;

static unsigned next(void)
{
    return (unsigned)mt_test_lcg(&lcg);
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
    in->asm_method = (int)(next() % 4); /* none, DXA, BIA, and a value that is none of them */
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

/* mt_definition_mets (what a cohort row's memo is keyed on and returns)
 * gives every criterion the interpreter's met, and its code is those mets:
 * with d alone and with every definition in one flat list, laid from bit 0
 * and from bit 45 (so that definitions fall in the next word), each way
 * (AVX2 where the CPU has it, with AVX-512 where it has that, SSE2, scalar). */
static void mets_same(const mt_rule_plan *plan, size_t d, const mt_definition *def,
                      const mt_input *in, const mt_q *m, const mt_def_result *a)
{
    signed char met[MT_PLAN_MAX_DEFS][MT_MAX_CRITERIA];
    unsigned code[MT_PLAN_MAX_DEFS], want = 0, all = (1u << mt_n_definitions) - 1;
    int c, way, skew, many;

    if (plan->generic[d][in->sex == MT_MALE])
        return;
    for (c = 0; c < def->n_criteria; c++)
        want |= (unsigned)(a->crit[c].met == 1) << c | (unsigned)(a->crit[c].met == 0) << (12 + c);
    for (skew = 0; skew < 2; skew++)
        for (many = 0; many < 2; many++)
            for (way = 0; way < 4; way++) {
                mt_mets_scalar = way;
                mt_mets_flat_skew = skew ? 45 : 0;
                memset(met, 0x5a, sizeof(met)); /* every one written */
                mt_definition_mets(plan, many ? all : 1u << d, in, m, met, code);
                for (c = 0; c < def->n_criteria; c++)
                    assert_int_equal(met[d][c], a->crit[c].met);
                for (; c < MT_MAX_CRITERIA; c++)
                    assert_int_equal(met[d][c], -1);
                assert_int_equal(code[d], want);
            }
    mt_mets_scalar = 0;
    mt_mets_flat_skew = 0;
}

static void plan_equals_interpreter(void **state)
{
    static mt_rule_plan plan, scattered;
    size_t d, i;
    long compared = 0, met = 0;
    int sex, rep, at;

    (void)state;
    mt_rule_plan_init(&plan);
    /* the same plan through mt_definition_mets' general way (simple
     * criterion i to its criterion), which no table of today needs */
    scattered = plan;
    memset(scattered.s_ident, 0, sizeof(scattered.s_ident));
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
                        mets_same(&plan, d, def, &in, m, &a);
                        mets_same(&scattered, d, def, &in, m, &a);
                        compared++;
                        met += a.crit[r->crit].met == 1;
                    }
            }
    }
    /* the skewed flat list does spread over more than one word */
    {
        static mt_mets_flat f;
        mt_mets_flat_skew = 45;
        mt_mets_flat_init(&plan, (1u << mt_n_definitions) - 1, 1, &f);
        mt_mets_flat_skew = 0;
        assert_true(f.nw >= 2 && f.nd >= 4 && f.def[f.nd - 1].word >= 1);
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

/* The ASM method a DXA or BIA condition reads (asm_method in rule.c, made
 * without a jump): the method as given, else BIA when BIA readings are, else
 * none. A row with its inputs varied, against the same row with that method
 * given outright and no readings, in the interpreter and in the plan's met:
 * every criterion the same. */
static void asm_method_as_given_else_bia(void **state)
{
    mt_rule_plan *plan = calloc(1, sizeof(*plan));
    size_t d;
    int sex, rep, c, decided = 0;

    (void)state;
    assert_non_null(plan);
    mt_rule_plan_init(plan);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        for (sex = MT_FEMALE; sex <= MT_MALE; sex++)
            for (rep = 0; rep < 400; rep++) {
                mt_input in, as;
                mt_q m[M_N];
                signed char met_in[MT_PLAN_MAX_DEFS][MT_MAX_CRITERIA],
                    met_as[MT_PLAN_MAX_DEFS][MT_MAX_CRITERIA];
                unsigned codes_in[MT_PLAN_MAX_DEFS], codes_as[MT_PLAN_MAX_DEFS];
                random_case(&in, m, sex);
                as = in;
                as.asm_method = in.asm_method != MT_ASM_NONE ? in.asm_method
                                : in.bia.given               ? MT_ASM_BIA
                                                             : MT_ASM_NONE;
                as.bia.given = 0;
                for (c = 0; c < def->n_criteria; c++) {
                    int a = mt_definition_criterion(def, c, &in, m);
                    assert_int_equal(a, mt_definition_criterion(def, c, &as, m));
                    decided += a >= 0;
                }
                if (d >= MT_PLAN_MAX_DEFS)
                    continue;
                mt_definition_mets(plan, 1u << d, &in, m, met_in, codes_in);
                mt_definition_mets(plan, 1u << d, &as, m, met_as, codes_as);
                assert_memory_equal(met_in[d], met_as[d], sizeof(met_in[d]));
                assert_int_equal(codes_in[d], codes_as[d]);
            }
    }
    free(plan);
    assert_true(decided > 1000);
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

/* ---- the memo of mt_row_classify (engine/assess.c) -------------------- */

/* A person's input besides the measures, at random: what the categorize
 * functions read of it (engine/assess.c, the memo's argument). */
static void random_input(mt_input *in, mt_q *m, int sex)
{
    random_case(in, m, sex);
    in->setting = next() % 2 ? MT_COMMUNITY : MT_HOSPITAL;
    in->asm_kg.state = next() % 2 ? MT_Q_VALUE : MT_Q_ABSENT;
    in->height.state = next() % 2 ? MT_Q_VALUE : MT_Q_ABSENT;
    in->weight.state = next() % 2 ? MT_Q_VALUE : MT_Q_ABSENT;
    in->grip.state = next() % 3 ? (next() % 2 ? MT_Q_VALUE : MT_Q_UNABLE) : MT_Q_ABSENT;
}

/* The memo of mt_row_classify keys a definition's category on its criteria's
 * met and, of what categorize reads besides, only awgs2019's setting
 * (cat_read in engine/assess.c): every other read shapes only the missing
 * lists. Here every categorize gets the same criteria with two unrelated
 * inputs and measures (the same setting for awgs2019 alone): the same
 * category, or the memo would be wrong. The criteria come from an evaluation
 * or, half the time, at random (every met in {-1, 0, 1}). */
static void categorize_reads_only_met_and_setting(void **state)
{
    static mt_q m1[M_N], m2[M_N];
    mt_input in1, in2;
    size_t d;
    int i, c, differs = 0;

    (void)state;
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        for (i = 0; i < 20000; i++) {
            mt_def_result r1, r2;
            /* the sex too may differ: the direct tables' index leaves it out
             * (assess.c) */
            random_input(&in1, m1, next() % 2 ? MT_MALE : MT_FEMALE);
            random_input(&in2, m2, next() % 2 ? MT_MALE : MT_FEMALE);
            if (d == DEF_AWGS2019)
                in2.setting = in1.setting;
            memset(&r1, 0, sizeof(r1));
            mt_definition_evaluate(def, &in1, m1, &r1);
            if (next() % 2)
                for (c = 0; c < def->n_criteria; c++)
                    r1.crit[c].met = (signed char)((int)(next() % 3) - 1);
            r2 = r1;
            r1.category = r2.category = NULL;
            /* nothing of a criterion but its met: mt_row_classify gives a
             * categorize a previous row's rows, state and value */
            for (c = 0; c < MT_MAX_CRIT; c++) {
                r2.crit[c].rule = r2.crit[c].shown = NULL;
                r2.crit[c].state = (unsigned char)(next() % 3);
                r2.crit[c].value = pick(-100, 400);
            }
            def->categorize(&in1, m1, &r1);
            def->categorize(&in2, m2, &r2);
            assert_non_null(r1.category);
            assert_string_equal(r1.category, r2.category);
            /* the missing lists do differ (the reads the key leaves out are
             * real): the test is not vacuous */
            differs += r1.n_missing != r2.n_missing;
        }
    }
    assert_true(differs > 0);
}

/* The index of a definition's category by name (-1: none). */
static int cat_of(const mt_definition *def, const char *name)
{
    int k;

    for (k = 0; def->categories[k]; k++)
        if (strcmp(def->categories[k], name) == 0)
            return k;
    return -1;
}

static unsigned criteria_bits(const mt_definition *def, const char *const *names)
{
    unsigned bits = 0;
    int c;

    for (; *names; names++)
        for (c = 0; c < def->n_criteria; c++)
            if (strcmp(def->criteria[c], *names) == 0)
                bits |= 1u << c;
    return bits;
}

/* mt_definition_reachable is sound: a row fully evaluated (random measures,
 * some missing, both settings) gets a category the function says its
 * not-evaluated criteria and its setting can reach. And with every criterion
 * evaluated somewhere and both settings, every category of every definition
 * can be reached but the one no rule gives. */
static void reachable_holds_every_evaluated_row(void **state)
{
    static mt_q m[M_N];
    mt_input in;
    size_t d;
    int i, c, pruned = 0;

    (void)state;
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        unsigned every, all;
        int n_cat = 0;
        while (def->categories[n_cat])
            n_cat++;
        all = (1u << n_cat) - 1;
        assert_int_equal(mt_definition_reachable(d, 0, 0, &every), MT_OK);
        /* Fearon 2011's refractory cachexia is a clinician's judgement the
         * document does not hold: named in a note, never given */
        if (strcmp(def->id, "fearon2011") == 0)
            all &= ~(1u << cat_of(def, "refractory"));
        if (every != all)
            fail_msg("%s: categories 0x%x of 0x%x reachable with every criterion", def->id, every,
                     all);
        for (i = 0; i < 3000; i++) {
            mt_def_result r;
            unsigned never = 0, reach;
            int sex = next() % 2 ? MT_MALE : MT_FEMALE;
            random_input(&in, m, sex);
            memset(&r, 0, sizeof(r));
            mt_definition_evaluate(def, &in, m, &r);
            def->categorize(&in, m, &r);
            for (c = 0; c < def->n_criteria; c++)
                never |= (unsigned)(r.crit[c].met < 0) << c;
            assert_int_equal(mt_definition_reachable(d, never,
                                                     in.setting == MT_COMMUNITY
                                                         ? MT_REACH_COMMUNITY
                                                         : MT_REACH_HOSPITAL,
                                                     &reach),
                             MT_OK);
            c = cat_of(def, r.category);
            assert_true(c >= 0);
            if (!(reach >> c & 1u))
                fail_msg("%s: a row of category %s, which its criteria (never 0x%x) cannot reach",
                         def->id, r.category, never);
            pruned += reach != all;
        }
    }
    assert_true(pruned > 0); /* some rows' data do leave categories out: not vacuous */
}

/* The two cases the summary must not show as measured zeros, and their
 * bounds: EWGSOP2 without muscle mass cannot confirm; AWGS 2019's community
 * pathway ends at "possible"; a single criterion back is enough. */
static void reachable_named_cases(void **state)
{
    static const char *const mass[] = {"low_asm", "low_asmi", NULL};
    static const char *const asmi[] = {"low_asmi", NULL};
    static const char *const grip[] = {"low_grip", NULL};
    const mt_definition *e = mt_definitions[DEF_EWGSOP2], *a = mt_definitions[DEF_AWGS2019];
    unsigned r;

    (void)state;
    assert_int_equal(mt_definition_reachable(DEF_EWGSOP2, criteria_bits(e, mass), 0, &r), MT_OK);
    assert_false(r >> cat_of(e, "confirmed") & 1u);
    assert_false(r >> cat_of(e, "severe") & 1u);
    assert_true(r >> cat_of(e, "probable") & 1u);
    assert_true(r >> cat_of(e, "no_sarcopenia") & 1u);
    assert_true(r >> cat_of(e, "insufficient_data") & 1u);
    /* ASM alone (no ASMI) confirms */
    assert_int_equal(mt_definition_reachable(DEF_EWGSOP2, criteria_bits(e, asmi), 0, &r), MT_OK);
    assert_true(r >> cat_of(e, "confirmed") & 1u);
    assert_true(r >> cat_of(e, "severe") & 1u);
    /* the chair stand alone assesses strength */
    assert_int_equal(mt_definition_reachable(DEF_EWGSOP2, criteria_bits(e, grip), 0, &r), MT_OK);
    assert_true(r >> cat_of(e, "confirmed") & 1u);

    assert_int_equal(mt_definition_reachable(DEF_AWGS2019, 0, MT_REACH_COMMUNITY, &r), MT_OK);
    assert_false(r >> cat_of(a, "sarcopenia") & 1u);
    assert_false(r >> cat_of(a, "severe") & 1u);
    assert_true(r >> cat_of(a, "possible") & 1u);
    assert_int_equal(mt_definition_reachable(DEF_AWGS2019, 0, MT_REACH_HOSPITAL, &r), MT_OK);
    assert_true(r >> cat_of(a, "sarcopenia") & 1u);
    assert_true(r >> cat_of(a, "severe") & 1u);
    assert_int_equal(mt_definition_reachable(DEF_AWGS2019, criteria_bits(a, asmi),
                                             MT_REACH_HOSPITAL, &r),
                     MT_OK);
    assert_false(r >> cat_of(a, "sarcopenia") & 1u);

    assert_int_equal(mt_definition_reachable(mt_n_definitions, 0, 0, &r), MT_EINVAL);
    assert_int_equal(mt_definition_reachable(0, 0, 0, NULL), MT_EINVAL);
}

#define MEMO_MAX_CANDIDATES 96

typedef struct {
    int n;
    char v[MEMO_MAX_CANDIDATES][24];
} candidates;

static void add_text(candidates *c, const char *text)
{
    int i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->v[i], text) == 0)
            return;
    if (c->n < MEMO_MAX_CANDIDATES)
        snprintf(c->v[c->n++], sizeof(c->v[0]), "%s", text);
}

/* x, and just below and just above it, when the field accepts them. */
static void add_around(candidates *c, int field, double x, double step)
{
    double lo, hi;
    const char *unit;
    char text[32];
    int k;

    if (mt_field_range(field, &lo, &hi, &unit) != MT_OK || !isfinite(x))
        return;
    for (k = -1; k <= 1; k++) {
        double v = x + k * step;
        if (v < lo || v > hi)
            continue;
        snprintf(text, sizeof(text), "%.4f", v);
        add_text(c, text);
    }
}

/* The input field a rule's measure comes from directly, or -1. */
static int field_of(int measure)
{
    switch (measure) {
    case M_GRIP:
        return MT_FIELD_GRIP;
    case M_CHAIR5X:
        return MT_FIELD_CHAIR_STAND_5X;
    case M_GAIT:
        return MT_FIELD_GAIT_SPEED;
    case M_TUG:
        return MT_FIELD_TUG;
    case M_W400:
        return MT_FIELD_WALK_400M;
    case M_SIX_MW:
        return MT_FIELD_SIX_MINUTE_WALK;
    case M_SPPB:
        return MT_FIELD_SPPB_TOTAL;
    case M_CALF:
        return MT_FIELD_CALF;
    case M_SARCF:
        return MT_FIELD_SARC_F_TOTAL;
    case M_ASM:
        return MT_FIELD_ASM;
    case M_AGE:
        return MT_FIELD_AGE;
    }
    return -1;
}

/* Every field's values worth trying: not given, the words it takes, and
 * every definition's thresholds (and conditions' bounds) on it, at, just
 * below and just above; thresholds on a ratio (ASMI, BMI, grip/BMI, ALM/BMI)
 * as the input that reaches them at the height and BMI of `h` cm, `bmi`. */
static void memo_candidates(candidates *c, double h, double bmi)
{
    double h2 = (h / 100) * (h / 100);
    size_t d, i;
    int f, k;

    for (f = 0; f < MT_FIELD_COUNT; f++) {
        const char *const *words = mt_field_words(f);
        c[f].n = 0;
        add_text(&c[f], "");
        for (k = 0; words && words[k]; k++)
            add_text(&c[f], words[k]);
    }
    for (d = 0; d < mt_n_definitions; d++)
        for (i = 0; i < mt_definitions[d]->n_rules; i++) {
            const mt_rule *r = &mt_definitions[d]->rules[i];
            double t[2] = {r->threshold, r->threshold_high};
            for (k = 0; k < 2; k++) {
                int fd = field_of(r->measure);
                double step = r->measure == M_SPPB || r->measure == M_SARCF ? 1 : 0.0001;
                if (fd >= 0)
                    add_around(&c[fd], fd, t[k], step);
                else if (r->measure == M_ASMI)
                    add_around(&c[MT_FIELD_ASM], MT_FIELD_ASM, t[k] * h2, 0.001);
                else if (r->measure == M_BMI)
                    add_around(&c[MT_FIELD_WEIGHT], MT_FIELD_WEIGHT, t[k] * h2, 0.001);
                else if (r->measure == M_GRIP_BMI)
                    add_around(&c[MT_FIELD_GRIP], MT_FIELD_GRIP, t[k] * bmi, 0.001);
                else if (r->measure == M_ALM_BMI)
                    add_around(&c[MT_FIELD_ASM], MT_FIELD_ASM, t[k] * bmi, 0.001);
            }
            if (r->cond == COND_BMI_MAX)
                add_around(&c[MT_FIELD_WEIGHT], MT_FIELD_WEIGHT, r->cond_value * h2, 0.001);
            if (r->cond == COND_AGE_LT || r->cond == COND_AGE_GE)
                add_around(&c[MT_FIELD_AGE], MT_FIELD_AGE, r->cond_value, 1);
        }
    add_around(&c[MT_FIELD_BIA_RESISTANCE], MT_FIELD_BIA_RESISTANCE, 500, 40);
    add_around(&c[MT_FIELD_BIA_REACTANCE], MT_FIELD_BIA_REACTANCE, 50, 5);
}

/* What mt_row_classify gives, the long way: every measure a row computes,
 * then every definition through the interpreter and its categorize. */
static void reference_classify(const mt_input *in, mt_classification *out)
{
    static mt_result res;
    size_t d;
    int c;

    memset(&res, 0, sizeof(res));
    res.in = *in;
    mt_measures_body(&res);
    mt_measures_performance(&res, 1);
    mt_measures_screening(&res, 0);
    mt_measures_history(&res);
    memset(out, -1, sizeof(*out));
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        mt_def_result *dr = &res.defs[d];
        mt_definition_evaluate(def, &res.in, res.m, dr);
        def->categorize(&res.in, res.m, dr);
        for (c = 0; def->categories[c]; c++)
            if (strcmp(def->categories[c], dr->category) == 0)
                out->category[d] = c;
        for (c = 0; c < def->n_criteria; c++)
            out->met[d][c] = dr->crit[c].shown ? dr->crit[c].met : -1;
    }
}

/* Classify the row with the memo and without it: the same outcome, and the
 * long way's. */
static int memo_compare(mt_row *row, long *compared)
{
    mt_classification a, b;
    mt_error ea, eb;
    int rca, rcb;
    size_t d;

    memset(&a, 0x5a, sizeof(a));
    memset(&b, 0x5a, sizeof(b));
    mt_classify_memo = 1;
    rca = mt_row_classify(row, 0, &a, &ea);
    mt_classify_memo = 0;
    rcb = mt_row_classify(row, 0, &b, &eb);
    mt_classify_memo = 1;
    assert_int_equal(rca, rcb);
    if (rca != MT_OK)
        return 0;
    for (d = 0; d < mt_n_definitions; d++) {
        int c;
        assert_int_equal(a.category[d], b.category[d]);
        for (c = 0; c < MT_MAX_CRITERIA; c++)
            assert_int_equal(a.met[d][c], b.met[d][c]);
    }
    reference_classify(row->in, &b);
    for (d = 0; d < mt_n_definitions; d++) {
        int c;
        assert_int_equal(a.category[d], b.category[d]);
        for (c = 0; c < MT_MAX_CRITERIA; c++)
            assert_int_equal(a.met[d][c], b.met[d][c]);
    }
    /* one definition asked alone (what it needs computed, the rest -1) */
    d = next() % mt_n_definitions;
    assert_int_equal(mt_row_classify(row, 1u << d, &b, &eb), MT_OK);
    {
        size_t e;
        int c;
        for (e = 0; e < mt_n_definitions; e++) {
            assert_int_equal(b.category[e], e == d ? a.category[e] : -1);
            for (c = 0; c < MT_MAX_CRITERIA; c++)
                assert_int_equal(b.met[e][c], e == d ? a.met[e][c] : -1);
        }
    }
    (*compared)++;
    return 1;
}

/* mt_definition_row_informed leaves out exactly the criteria whose every
 * row reads a history measure other than age (weight loss, labs, intake,
 * illnesses: what a cohort row never has), computed its own way here from
 * the tables; and GLIM's reduced_intake is out, EWGSOP2's low_grip in. */
static void row_informed_is_the_history(void **state)
{
    size_t d, i;
    int c, outs = 0;

    (void)state;
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        unsigned informed = 0;
        assert_int_equal(mt_definition_row_informed(d, &informed), MT_OK);
        for (c = 0; c < def->n_criteria; c++) {
            int history = 1;
            for (i = 0; i < def->n_rules; i++)
                if (def->rules[i].crit == c &&
                    !(def->rules[i].measure > M_AGE && def->rules[i].measure <= M_FATIGUE))
                    history = 0;
            if (history == (int)(informed >> c & 1u))
                fail_msg("%s.%s: informed %u, history alone %d", def->id, def->criteria[c],
                         informed >> c & 1u, history);
            outs += history;
        }
    }
    assert_true(outs > 0);
    {
        unsigned glim = 0, ewgsop2 = 0;
        assert_int_equal(mt_definition_row_informed(DEF_GLIM, &glim), MT_OK);
        assert_int_equal(mt_definition_row_informed(DEF_EWGSOP2, &ewgsop2), MT_OK);
        for (c = 0; c < mt_definitions[DEF_GLIM]->n_criteria; c++)
            if (strcmp(mt_definitions[DEF_GLIM]->criteria[c], "reduced_intake") == 0)
                assert_false(glim >> c & 1u);
        for (c = 0; c < mt_definitions[DEF_EWGSOP2]->n_criteria; c++)
            if (strcmp(mt_definitions[DEF_EWGSOP2]->criteria[c], "low_grip") == 0)
                assert_true(ewgsop2 >> c & 1u);
    }
    {
        unsigned x = 0;
        assert_int_equal(mt_definition_row_informed(mt_n_definitions, &x), MT_EINVAL);
        assert_int_equal(mt_definition_row_informed(0, NULL), MT_EINVAL);
    }
}

/* A row of the fields `given` (and sex and age), as mt_definition_criterion_fields
 * says it tries them: the numbers at the middle of their ranges, the words of
 * the indexes (sex, setting, the ASM method or, with bia, the BIA equation,
 * whose readings then stand for the ASM). Does it give criterion c of
 * definition d a verdict? */
static int fields_evaluate(mt_row *row, size_t d, int c, unsigned given, int sex, int setting,
                           int bia, int word)
{
    mt_error err;
    mt_classification out;
    int f;

    given |= 1u << MT_FIELD_SEX | 1u << MT_FIELD_AGE;
    mt_row_reset(row);
    for (f = 0; f < MT_FIELD_COUNT; f++) {
        const char *const *words = mt_field_words(f);
        const char *unit;
        double lo, hi;
        int pick_at = f == MT_FIELD_SEX ? sex : f == MT_FIELD_SETTING ? setting : word;
        if (!(given >> f & 1u) ||
            (bia ? f == MT_FIELD_ASM || f == MT_FIELD_ASM_METHOD
                 : f == MT_FIELD_BIA_RESISTANCE || f == MT_FIELD_BIA_REACTANCE ||
                       f == MT_FIELD_BIA_EQUATION))
            continue;
        if (mt_field_range(f, &lo, &hi, &unit) == MT_OK) {
            if (mt_row_set_number(row, f, (lo + hi) / 2, &err) != MT_OK)
                return 0;
        } else if (words && words[0]) {
            if (f != MT_FIELD_SEX && f != MT_FIELD_SETTING && f != MT_FIELD_ASM_METHOD &&
                f != MT_FIELD_BIA_EQUATION)
                pick_at = 0;
            if (mt_row_set(row, f, words[pick_at], strlen(words[pick_at]), &err) != MT_OK)
                return 0;
        }
    }
    return mt_row_classify(row, 1u << d, &out, &err) == MT_OK && out.met[d][c] != -1;
}

static int n_words(int f)
{
    const char *const *w = mt_field_words(f);
    int n = 0;

    while (w && w[n])
        n++;
    return n;
}

/* In any sex, setting, ASM method or BIA equation? */
static int fields_evaluate_any(mt_row *row, size_t d, int c, unsigned given)
{
    int sex, setting, bia, word;

    for (sex = 0; sex < n_words(MT_FIELD_SEX); sex++)
        for (setting = 0; setting < n_words(MT_FIELD_SETTING); setting++)
            for (bia = 0; bia < 2; bia++)
                for (word = 0; word < n_words(bia ? MT_FIELD_BIA_EQUATION : MT_FIELD_ASM_METHOD);
                     word++)
                    if (fields_evaluate(row, d, c, given, sex, setting, bia, word))
                        return 1;
    return 0;
}

/* mt_definition_criterion_fields: each set evaluates its criterion and no
 * smaller part of it does (every subset tried, since fields read together,
 * as an ASM and its method, are only dropped together); a row of random
 * fields that evaluates it holds one of the sets; a criterion of the
 * history alone (mt_definition_row_informed) has none; and the named ones. */
static void criterion_fields_are_the_smallest_ways(void **state)
{
    const unsigned always = 1u << MT_FIELD_SEX | 1u << MT_FIELD_AGE,
                   all = ((1u << MT_FIELD_COUNT) - 1) & ~always;
    mt_row *row;
    size_t d, k, n;
    int c, sets_seen = 0, sampled = 0;

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    for (d = 0; d < mt_n_definitions; d++) {
        const mt_definition *def = mt_definitions[d];
        unsigned informed = 0;
        assert_int_equal(mt_definition_row_informed(d, &informed), MT_OK);
        for (c = 0; c < def->n_criteria; c++) {
            unsigned sets[16];
            int t;
            assert_int_equal(mt_definition_criterion_fields(d, c, sets, 16, &n), MT_OK);
            assert_true(n <= 16);
            if ((n > 0) != (int)(informed >> c & 1u))
                fail_msg("%s.%s: %zu ways, informed %u", def->id, def->criteria[c], n,
                         informed >> c & 1u);
            for (k = 0; k < n; k++) {
                unsigned sub;
                assert_int_equal(sets[k] & ~all, 0);
                if (k && (__builtin_popcount(sets[k - 1]) > __builtin_popcount(sets[k]) ||
                          (__builtin_popcount(sets[k - 1]) == __builtin_popcount(sets[k]) &&
                           !(sets[k - 1] >> __builtin_ctz(sets[k - 1] ^ sets[k]) & 1u))))
                    fail_msg("%s.%s: %#x before %#x: not the fewest fields, then the first "
                             "field, first", def->id, def->criteria[c], sets[k - 1], sets[k]);
                if (!fields_evaluate_any(row, d, c, sets[k]))
                    fail_msg("%s.%s: set %#x does not evaluate it", def->id, def->criteria[c],
                             sets[k]);
                for (sub = (sets[k] - 1) & sets[k];; sub = (sub - 1) & sets[k]) {
                    if (fields_evaluate_any(row, d, c, sub))
                        fail_msg("%s.%s: %#x, within %#x, evaluates it too", def->id,
                                 def->criteria[c], sub, sets[k]);
                    if (!sub)
                        break;
                }
                sets_seen++;
            }
            for (t = 0; t < 60 && n; t++) { /* random rows: each that evaluates it holds a set */
                unsigned given = next() & all;
                int bia = (int)(next() % 2);
                if (!fields_evaluate(row, d, c, given, (int)(next() % 2), (int)(next() % 2), bia,
                                     (int)(next() % (unsigned)n_words(bia ? MT_FIELD_BIA_EQUATION
                                                                          : MT_FIELD_ASM_METHOD))))
                    continue;
                for (k = 0; k < n && (sets[k] & given) != sets[k]; k++)
                    ;
                if (k == n)
                    fail_msg("%s.%s: %#x evaluates it and holds no set", def->id,
                             def->criteria[c], given);
                sampled++;
            }
        }
    }
    printf("criterion fields: %d sets, %d random rows that evaluate\n", sets_seen, sampled);
    assert_true(sampled > 200);
    { /* the named ways */
        unsigned sets[16];
        const unsigned mass = 1u << MT_FIELD_ASM | 1u << MT_FIELD_ASM_METHOD,
                       h = 1u << MT_FIELD_HEIGHT, w = 1u << MT_FIELD_WEIGHT;
        for (c = 0; c < mt_definitions[DEF_EWGSOP2]->n_criteria; c++) {
            const char *id = mt_definitions[DEF_EWGSOP2]->criteria[c];
            assert_int_equal(mt_definition_criterion_fields(DEF_EWGSOP2, c, sets, 16, &n), MT_OK);
            if (strcmp(id, "low_grip") == 0) {
                assert_int_equal(n, 1);
                assert_int_equal(sets[0], 1u << MT_FIELD_GRIP);
            } else if (strcmp(id, "low_asmi") == 0) {
                assert_int_equal(n, 3);
                assert_int_equal(sets[0], mass | h);
                assert_int_equal(sets[1], h | w | 1u << MT_FIELD_BIA_RESISTANCE |
                                              1u << MT_FIELD_BIA_REACTANCE);
                assert_int_equal(sets[2], h | w | 1u << MT_FIELD_BIA_RESISTANCE |
                                              1u << MT_FIELD_BIA_EQUATION);
            }
        }
        for (c = 0; c < mt_definitions[DEF_GLIM]->n_criteria; c++)
            if (strcmp(mt_definitions[DEF_GLIM]->criteria[c], "reduced_intake") == 0) {
                assert_int_equal(mt_definition_criterion_fields(DEF_GLIM, c, sets, 16, &n),
                                 MT_OK);
                assert_int_equal(n, 0);
            }
        /* at most max of them, the first ones */
        for (c = 0; c < mt_definitions[DEF_EWGSOP2]->n_criteria; c++)
            if (strcmp(mt_definitions[DEF_EWGSOP2]->criteria[c], "low_asm") == 0) {
                assert_int_equal(mt_definition_criterion_fields(DEF_EWGSOP2, c, sets, 1, &n),
                                 MT_OK);
                assert_int_equal(n, 1);
                assert_int_equal(sets[0], mass);
            }
        assert_int_equal(mt_definition_criterion_fields(mt_n_definitions, 0, sets, 16, &n),
                         MT_EINVAL);
        assert_int_equal(mt_definition_criterion_fields(0, -1, sets, 16, &n), MT_EINVAL);
        assert_int_equal(mt_definition_criterion_fields(0, mt_definitions[0]->n_criteria, sets, 16,
                                                        &n),
                         MT_EINVAL);
        assert_int_equal(mt_definition_criterion_fields(0, 0, NULL, 16, &n), MT_EINVAL);
        assert_int_equal(mt_definition_criterion_fields(0, 0, sets, 16, NULL), MT_EINVAL);
    }
    mt_row_free(row);
}

/* The memo gives, for every definition, what the full evaluation gives: on
 * people whose fields each sit at, just below or just above a threshold of
 * some definition (or are not given, or a word: "unable", a method, a
 * setting), both sexes, with and without BIA readings. Each person is
 * followed by the same person with one field changed to each of its values,
 * so that a key which left out anything the outcome depends on would take
 * the outcome of the person before: the test then fails. */
static void memo_equals_full_evaluation(void **state)
{
    static candidates c[MT_FIELD_COUNT];
    const char *base[MT_FIELD_COUNT];
    mt_row *row;
    long compared = 0;
    int person, f, k, g, cats[MT_MAX_DEFINITIONS][8] = {{0}};

    (void)state;
    assert_int_equal(mt_row_new(&row), MT_OK);
    for (person = 0; person < 1000; person++) {
        double h = pick(140, 195), bmi = pick(17, 35);
        memo_candidates(c, h, bmi);
        for (f = 0; f < MT_FIELD_COUNT; f++) /* mostly given, a few not */
            base[f] = c[f].v[c[f].n > 1 && next() % 5 ? 1 + next() % (unsigned)(c[f].n - 1) : 0];
        {
            static char height[24], weight[24];
            snprintf(height, sizeof(height), "%.1f", h);
            snprintf(weight, sizeof(weight), "%.1f", bmi * (h / 100) * (h / 100));
            base[MT_FIELD_HEIGHT] = next() % 8 ? height : "";
            if (next() % 3)
                base[MT_FIELD_WEIGHT] = next() % 8 ? weight : "";
            base[MT_FIELD_SEX] = next() % 2 ? "male" : "female";
            if (next() % 2) /* BIA readings, or none */
                base[MT_FIELD_BIA_RESISTANCE] = base[MT_FIELD_BIA_REACTANCE] =
                    base[MT_FIELD_BIA_EQUATION] = "";
        }
        for (f = 0; f < MT_FIELD_COUNT; f++)
            for (k = 0; k < c[f].n; k++) {
                mt_error err;
                size_t d;
                mt_row_reset(row);
                for (g = 0; g < MT_FIELD_COUNT; g++) {
                    const char *text = g == f ? c[f].v[k] : base[g];
                    (void)mt_row_set(row, g, text, strlen(text), &err);
                }
                if (memo_compare(row, &compared)) {
                    mt_classification a;
                    (void)mt_row_classify(row, 0, &a, &err);
                    for (d = 0; d < mt_n_definitions; d++)
                        if (a.category[d] >= 0 && a.category[d] < 8)
                            cats[d][a.category[d]]++;
                }
            }
    }
    /* enough people were classified, the memo answered most of them, and
     * every sarcopenia definition gave more than one category (the cachexia
     * and malnutrition ones read the history, which a cohort row has not) */
    printf("memo: %ld rows compared, %lu outcomes from the memo\n", compared,
           mt_row_memo_hits(row));
    assert_true(compared > 40000);
    assert_true(mt_row_memo_hits(row) > (unsigned long)compared);
    for (k = DEF_EWGSOP2; k <= DEF_EWGSOP1; k++) {
        int seen = 0;
        for (g = 0; g < 8; g++)
            seen += cats[k][g] > 0;
        assert_true(seen >= 2);
    }
    mt_row_free(row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_equals_interpreter),
        cmocka_unit_test(criterion_equals_interpreter),
        cmocka_unit_test(asm_method_as_given_else_bia),
        cmocka_unit_test(every_table_fits_the_plan),
        cmocka_unit_test(domains_equal_domain),
        cmocka_unit_test(categorize_reads_only_met_and_setting),
        cmocka_unit_test(reachable_holds_every_evaluated_row),
        cmocka_unit_test(reachable_named_cases),
        cmocka_unit_test(memo_equals_full_evaluation),
        cmocka_unit_test(row_informed_is_the_history),
        cmocka_unit_test(criterion_fields_are_the_smallest_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
