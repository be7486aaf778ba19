/*
 * test_tracking.c - the tracking engine (mt_track_json, mt_session_check,
 * mt_checkin_check; docs/tracking.md) through the public API, its JSON read
 * back with jansson.
 *
 * The numbers below are written by hand from /work/shared/clinical/
 * REFERENCE.md §11 and §12, never read from the engine's tables: meaningful
 * change (gait 0.05 / 0.10 m/s, SPPB 0.5 / 1.0, 6MWD 20 / 50 m, grip 5.0 kg,
 * the lower end of 5.0-6.5), a drop of 20 % in a function test, pain >= 7,
 * 2-3 sessions a week, 1-2 repetitions over the target at the planned effort
 * (RPE 5-7) in two sessions in a row, 2-10 % more load. Every one is tested
 * at, just below and just above its value, in both directions where it has
 * two. The first test checks that the engine's `tracking` rule rows are
 * exactly the ones listed here (test_rules.c leaves them to this file).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

/* ---- REFERENCE §11, §12, by hand ------------------------------------------------ */

typedef struct ref_row {
    const char *crit, *op;
    double value;
    const char *source;
} ref_row;

static const ref_row reference[] = {
    {"gait_speed_small_change", ">=", 0.05, "PERERA"},
    {"gait_speed_substantial_change", ">=", 0.10, "PERERA"},
    {"sppb_small_change", ">=", 0.5, "PERERA"},
    {"sppb_substantial_change", ">=", 1.0, "PERERA"},
    {"six_minute_walk_small_change", ">=", 20, "PERERA"},
    {"six_minute_walk_substantial_change", ">=", 50, "PERERA"},
    {"grip_meaningful_change", ">=", 5.0, "BOHANNON"},
    {"function_test_drop", ">=", 20, "TRACKING"},
    {"pain_alert", ">=", 7, "TRACKING"},
    {"pain_step_back", ">=", 7, "ACSM"},
    {"adhering", ">=", 2, "ACSM"},
    {"missed_session_hold", "<", 2, "ACSM"},
    {"progress_reps_over_target", ">=", 1, "ACSM"},
    {"progress_effort", "<=", 7, "ACSM"},
    {"load_increase_min", ">=", 2, "ACSM"},
    {"load_increase_max", "<=", 10, "ACSM"},
    {"progress_balance_hold", ">=", 10, "SPPB"}, /* the balance test's 10 s (§4) */
};
#define N_REF (sizeof(reference) / sizeof(reference[0]))

/* ---- running the engine ------------------------------------------------------------- */

#if defined(__GNUC__)
#define MT_TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MT_TEST_PRINTF(f, a)
#endif

#define DOC_CAP  32768
#define MAX_LIVE 32
static json_t *live[MAX_LIVE];
static int n_live;

static int release(void **state)
{
    (void)state;
    while (n_live > 0)
        json_decref(live[--n_live]);
    return 0;
}

static json_t *track_doc(const char *doc)
{
    char *out = NULL;
    size_t len = 0;
    mt_error err;
    json_error_t je;
    json_t *root;
    int rc;

    memset(&err, 0, sizeof err);
    rc = mt_track_json(doc, strlen(doc), &out, &len, &err);
    if (rc != MT_OK)
        fail_msg("mt_track_json failed (%d): %s\ndocument: %s", rc, err.message, doc);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &je);
    mt_free(out);
    if (!root)
        fail_msg("output is not JSON: %s", je.text);
    assert_true(n_live < MAX_LIVE);
    live[n_live++] = root;
    return root;
}

static json_t *track(const char *fmt, ...) MT_TEST_PRINTF(1, 2);

static json_t *track(const char *fmt, ...)
{
    static char doc[DOC_CAP];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(doc, sizeof doc, fmt, ap);
    va_end(ap);
    return track_doc(doc);
}

/* The document must be refused: err.field is `field`, the message starts with
 * it and contains `word`. */
static void refused(const char *doc, const char *field, const char *word)
{
    char *out = (char *)1;
    mt_error err;
    int rc;

    memset(&err, 0, sizeof err);
    rc = mt_track_json(doc, strlen(doc), &out, NULL, &err);
    if (rc != MT_EINVAL)
        fail_msg("expected MT_EINVAL for %s, got %d", doc, rc);
    assert_null(out);
    if (strcmp(err.field, field) != 0)
        fail_msg("field \"%s\", expected \"%s\" (%s)", err.field, field, err.message);
    if (strncmp(err.message, field, strlen(field)) != 0 || !strstr(err.message, word))
        fail_msg("message \"%s\" should start with %s and contain \"%s\"", err.message, field,
                 word);
    assert_null(strchr(err.message, '\n'));
}

/* Follow "a.b.0.c" (numbers index lists). */
static json_t *at(json_t *root, const char *path)
{
    char buf[256], *save = NULL, *tok;
    json_t *cur = root;

    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
        if (json_is_array(cur)) {
            char *end;
            long i = strtol(tok, &end, 10);
            cur = *end == '\0' && i >= 0 ? json_array_get(cur, (size_t)i) : NULL;
        } else {
            cur = json_object_get(cur, tok);
        }
    }
    return cur;
}

static const char *str_at(json_t *root, const char *path)
{
    json_t *v = at(root, path);
    if (!v)
        fail_msg("%s: missing", path);
    return json_is_string(v) ? json_string_value(v) : json_is_null(v) ? "(null)" : "(not a string)";
}

static double num_at(json_t *root, const char *path)
{
    json_t *v = at(root, path);
    if (!json_is_number(v))
        fail_msg("%s: not a number", path);
    return json_number_value(v);
}

#define assert_str_at(root, path, want)                                                            \
    do {                                                                                           \
        const char *got_ = str_at(root, path);                                                     \
        if (strcmp(got_, want) != 0)                                                               \
            fail_msg("%s is \"%s\", expected \"%s\"", path, got_, want);                           \
    } while (0)

/* The measure object named `id` of progress.measures. */
static json_t *measure(json_t *root, const char *id)
{
    json_t *list = at(root, "progress.measures"), *m;
    size_t i;

    json_array_foreach(list, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "measure")), id) == 0)
            return m;
    }
    fail_msg("no measure %s", id);
    return NULL;
}

/* The alert with this key, or NULL. */
static json_t *alert(json_t *root, const char *key)
{
    json_t *list = at(root, "alerts"), *a;
    size_t i;

    json_array_foreach(list, i, a)
    {
        if (strcmp(json_string_value(json_object_get(a, "key")), key) == 0)
            return a;
    }
    return NULL;
}

/* The prescribed exercise with this id. */
static json_t *exercise(json_t *root, const char *id)
{
    json_t *list = at(root, "prescription.exercises"), *e;
    size_t i;

    json_array_foreach(list, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
            return e;
    }
    fail_msg("no prescribed exercise %s", id);
    return NULL;
}

/* ---- documents ------------------------------------------------------------------------ */

/* An assessment document: a woman of 70 who exercises 3 times a week (so the
 * plan's target is 8-12 repetitions, REFERENCE §11), with `meas` as her
 * measurements. */
static const char *person(char *buf, size_t cap, const char *sex, const char *meas)
{
    snprintf(buf, cap,
             "{\"person\": {\"sex\": \"%s\", \"age\": 70, \"height\": 160, \"weight\": 60}, "
             "\"measurements\": {%s}, \"history\": {\"exercise_sessions_per_week\": 3}}",
             sex, meas);
    return buf;
}

#define BASE_MEAS "\"grip\": 22, \"gait_speed\": 1.1, \"chair_stand_5x\": 10"

/* Two assessments, a1 on 2026-01-05 and a2 on 2026-03-02 (8 weeks later),
 * then `rest` (more members, starting with a comma, or ""). */
static json_t *two_visits(const char *m1, const char *m2, const char *rest)
{
    char d1[1024], d2[1024];

    person(d1, sizeof d1, "female", m1);
    person(d2, sizeof d2, "female", m2);
    return track("{\"today\": \"2026-03-10\", \"assessments\": ["
                 "{\"id\": \"a1\", \"date\": \"2026-01-05\", \"document\": %s}, "
                 "{\"id\": \"a2\", \"date\": \"2026-03-02\", \"document\": %s}]%s}",
                 d1, d2, rest);
}

/* One assessment (a1, 2026-01-05, the base measurements) and `rest`. */
static json_t *one_visit(const char *rest)
{
    char d1[1024];

    person(d1, sizeof d1, "female", BASE_MEAS);
    return track("{\"today\": \"2026-03-10\", \"assessments\": ["
                 "{\"id\": \"a1\", \"date\": \"2026-01-05\", \"document\": %s}]%s}",
                 d1, rest);
}

/* ---- the rule rows ---------------------------------------------------------------------- */

static void tracking_rows_are_exactly_the_reference(void **state)
{
    size_t i, k, n = mt_rule_count(), seen = 0;
    int problems = 0;

    (void)state;
    for (i = 0; i < n; i++) {
        mt_rule_view v;
        int found = 0;
        assert_int_equal(mt_rule_at(i, &v), MT_OK);
        if (strcmp(v.definition, "tracking") != 0)
            continue;
        seen++;
        for (k = 0; k < N_REF; k++) {
            if (strcmp(reference[k].crit, v.criterion) != 0)
                continue;
            found = 1;
            if (strcmp(reference[k].op, v.op) != 0 ||
                fabs(reference[k].value - v.threshold) > 1e-9 ||
                strcmp(reference[k].source, v.source) != 0) {
                print_error("tracking.%s: engine %s %g (%s), REFERENCE %s %g (%s)\n", v.criterion,
                            v.op, v.threshold, v.source, reference[k].op, reference[k].value,
                            reference[k].source);
                problems++;
            }
        }
        if (!found) {
            print_error("tracking.%s has no row (and no boundary test) here\n", v.criterion);
            problems++;
        }
        assert_non_null(mt_source_citation(v.source));
    }
    if (seen != N_REF) {
        print_error("the engine has %zu tracking rows, this file %zu\n", seen, N_REF);
        problems++;
    }
    assert_non_null(mt_source_citation("TRACKING"));
    if (problems)
        fail_msg("%d problem(s) with the tracking rows", problems);
}

/* ---- meaningful change ------------------------------------------------------------------ */

typedef struct change_case {
    const char *measure; /* progress id */
    const char *field;   /* measurements field */
    double base;
    double small, big; /* REFERENCE §12; big 0 when one value */
    double eps;
    const char *up_small, *up_big, *down_small, *down_big;
} change_case;

static const change_case change_cases[] = {
    {"gait_speed", "gait_speed", 1.0, 0.05, 0.10, 0.001, "small_improvement",
     "substantial_improvement", "small_decline", "substantial_decline"},
    {"six_minute_walk", "six_minute_walk", 300, 20, 50, 0.01, "small_improvement",
     "substantial_improvement", "small_decline", "substantial_decline"},
    {"grip", "grip", 30, 5.0, 0, 0.01, "meaningful_improvement", NULL, "meaningful_decline", NULL},
};

/* The label of the second point when the value moves by `delta`. */
static const char *label_for(const change_case *c, double delta, json_t **root)
{
    char m1[128], m2[128];

    snprintf(m1, sizeof m1, "\"%s\": %.4f", c->field, c->base);
    snprintf(m2, sizeof m2, "\"%s\": %.4f", c->field, c->base + delta);
    *root = two_visits(m1, m2, "");
    return str_at(measure(*root, c->measure), "series.1.label");
}

static void expect_label(const change_case *c, double delta, const char *want)
{
    json_t *root;
    const char *got = label_for(c, delta, &root);
    char key[64];

    if (strcmp(got, want) != 0)
        fail_msg("%s change %+.4f: label %s, expected %s", c->measure, delta, got, want);
    assert_true(fabs(num_at(measure(root, c->measure), "series.1.change") - delta) < 1e-9);
    /* a decline label and a decline alert go together */
    snprintf(key, sizeof key, "decline:%s:a2", c->measure);
    if ((strstr(want, "decline") != NULL) != (alert(root, key) != NULL))
        fail_msg("%s change %+.4f: label %s but the decline alert is %s", c->measure, delta, want,
                 alert(root, key) ? "there" : "missing");
}

static void meaningful_change_boundaries(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(change_cases) / sizeof(change_cases[0]); i++) {
        const change_case *c = &change_cases[i];
        /* below, at and above the small (or only) value, both ways */
        expect_label(c, c->small - c->eps, "no_meaningful_change");
        expect_label(c, c->small, c->up_small);
        expect_label(c, c->small + c->eps, c->up_small);
        expect_label(c, -(c->small - c->eps), "no_meaningful_change");
        expect_label(c, -c->small, c->down_small);
        expect_label(c, -(c->small + c->eps), c->down_small);
        expect_label(c, 0, "no_meaningful_change");
        if (c->big > 0) {
            expect_label(c, c->big - c->eps, c->up_small);
            expect_label(c, c->big, c->up_big);
            expect_label(c, c->big + c->eps, c->up_big);
            expect_label(c, -(c->big - c->eps), c->down_small);
            expect_label(c, -c->big, c->down_big);
            expect_label(c, -(c->big + c->eps), c->down_big);
        }
        release(NULL);
    }
}

/* SPPB totals are whole points: a change of 0 is no change, 1 point already
 * reaches the substantial 1.0 (the small 0.5 lies between whole points). */
static void sppb_change_in_whole_points(void **state)
{
    json_t *r;
    (void)state;

    r = two_visits("\"sppb\": {\"total\": 8}", "\"sppb\": {\"total\": 8}", "");
    assert_str_at(measure(r, "sppb_total"), "series.1.label", "no_meaningful_change");
    r = two_visits("\"sppb\": {\"total\": 8}", "\"sppb\": {\"total\": 9}", "");
    assert_str_at(measure(r, "sppb_total"), "series.1.label", "substantial_improvement");
    r = two_visits("\"sppb\": {\"total\": 8}", "\"sppb\": {\"total\": 7}", "");
    assert_str_at(measure(r, "sppb_total"), "series.1.label", "substantial_decline");
    assert_non_null(alert(r, "decline:sppb_total:a2"));
    /* the engine's total from the item scores */
    r = two_visits("\"sppb\": {\"balance\": 4, \"gait\": 3, \"chair\": 3}",
                   "\"sppb\": {\"balance\": 4, \"gait\": 4, \"chair\": 3}", "");
    assert_close(num_at(measure(r, "sppb_total"), "series.0.value"), 10, 1e-9);
    assert_close(num_at(measure(r, "sppb_total"), "series.1.value"), 11, 1e-9);
    assert_close(num_at(measure(r, "sppb_total"), "meaningful_change.small"), 0.5, 1e-9);
    assert_close(num_at(measure(r, "sppb_total"), "meaningful_change.substantial"), 1.0, 1e-9);
}

static void chair_stand_and_weight_have_no_reference(void **state)
{
    json_t *r;
    (void)state;

    r = two_visits("\"chair_stand_5x\": 12", "\"chair_stand_5x\": 13.5", "");
    assert_str_at(measure(r, "chair_stand_5x"), "series.1.label", "no_reference");
    assert_close(num_at(measure(r, "chair_stand_5x"), "series.1.change"), 1.5, 1e-9);
    assert_str_at(measure(r, "chair_stand_5x"), "better", "lower");
    assert_true(json_is_null(at(measure(r, "chair_stand_5x"), "meaningful_change")));
    assert_null(alert(r, "decline:chair_stand_5x:a2"));
    assert_str_at(measure(r, "weight"), "series.1.label", "no_reference");
    assert_close(num_at(measure(r, "weight"), "series.1.change"), 0, 1e-9);
    assert_true(json_is_null(at(measure(r, "weight"), "series.1.drop_20_percent")));
}

/* Grip is the best of the trials, gait speed may come from the SPPB walk. */
static void values_are_the_engines(void **state)
{
    json_t *r;
    (void)state;

    r = two_visits("\"grip_trials\": [18, 21.5, 20]", "\"walk\": {\"distance\": 4, \"time\": 5}",
                   "");
    assert_close(num_at(measure(r, "grip"), "series.0.value"), 21.5, 1e-9);
    assert_int_equal(json_array_size(at(measure(r, "grip"), "series")), 1);
    assert_close(num_at(measure(r, "gait_speed"), "series.0.value"), 0.8, 1e-9);
    assert_str_at(measure(r, "gait_speed"), "series.0.assessment", "a2");
    assert_true(json_is_null(at(measure(r, "gait_speed"), "series.0.change")));
    assert_true(json_is_null(at(measure(r, "gait_speed"), "series.0.label")));
}

/* ---- the 20 % drop --------------------------------------------------------------------- */

static void expect_drop(const char *field, const char *id, double before, double after, int want)
{
    char m1[128], m2[128], key[64];
    json_t *r;

    snprintf(m1, sizeof m1, "\"%s\": %.4f", field, before);
    snprintf(m2, sizeof m2, "\"%s\": %.4f", field, after);
    r = two_visits(m1, m2, "");
    snprintf(key, sizeof key, "drop20:%s:a2", id);
    if ((alert(r, key) != NULL) != want)
        fail_msg("%s %g -> %g: drop alert %s, expected %s", id, before, after,
                 alert(r, key) ? "raised" : "not raised", want ? "raised" : "none");
    if (json_is_true(at(measure(r, id), "series.1.drop_20_percent")) != want)
        fail_msg("%s %g -> %g: drop_20_percent disagrees", id, before, after);
    if (want)
        assert_str_at(alert(r, key), "kind", "drop_20_percent");
}

static void drop_of_20_percent(void **state)
{
    (void)state;
    /* higher is better: a fall of 20 % (at), 19.99 % (below), 20.01 % (above) */
    expect_drop("gait_speed", "gait_speed", 1.0, 0.8, 1);
    expect_drop("gait_speed", "gait_speed", 1.0, 0.8001, 0);
    expect_drop("gait_speed", "gait_speed", 1.0, 0.7999, 1);
    expect_drop("grip", "grip", 20, 16, 1);
    expect_drop("grip", "grip", 20, 16.002, 0);
    expect_drop("grip", "grip", 20, 15.998, 1);
    expect_drop("six_minute_walk", "six_minute_walk", 300, 240, 1);
    expect_drop("six_minute_walk", "six_minute_walk", 300, 240.03, 0);
    expect_drop("six_minute_walk", "six_minute_walk", 300, 239.97, 1);
    /* chair stand: lower is better, so a rise of 20 % is the drop */
    expect_drop("chair_stand_5x", "chair_stand_5x", 10, 12, 1);
    expect_drop("chair_stand_5x", "chair_stand_5x", 10, 11.999, 0);
    expect_drop("chair_stand_5x", "chair_stand_5x", 10, 12.001, 1);
    expect_drop("chair_stand_5x", "chair_stand_5x", 12, 9.6, 0); /* faster: better */
    /* a rise of a higher-is-better test is no drop */
    expect_drop("gait_speed", "gait_speed", 0.8, 1.0, 0);
}

/* ---- pain, falls, red flags --------------------------------------------------------------- */

static void pain_alert_at_7(void **state)
{
    static const int pains[] = {6, 7, 8};
    size_t i;
    (void)state;

    for (i = 0; i < 3; i++) {
        json_t *r;
        char rest[512];
        int want = pains[i] >= 7;
        snprintf(rest, sizeof rest,
                 ", \"sessions\": [{\"id\": \"s7\", \"date\": \"2026-03-01\", \"effort\": 5, "
                 "\"pain\": %d, \"exercises\": [{\"id\": \"sit_to_stand\", \"level\": 1, "
                 "\"sets\": 2, \"reps\": 10}]}], \"checkins\": [{\"id\": \"c3\", \"date\": "
                 "\"2026-03-02\", \"pain\": %d}]",
                 pains[i], pains[i]);
        r = one_visit(rest);
        if ((alert(r, "pain:s7") != NULL) != want || (alert(r, "pain:c3") != NULL) != want)
            fail_msg("pain %d: alerts %s", pains[i], want ? "missing" : "raised");
        if (want) {
            assert_str_at(alert(r, "pain:s7"), "kind", "pain");
            assert_str_at(alert(r, "pain:s7"), "level", "review");
            assert_str_at(alert(r, "pain:c3"), "record", "c3");
            assert_true(json_is_null(at(alert(r, "pain:c3"), "measure")));
            assert_str_at(r, "prescription.status", "step_back");
        } else {
            assert_string_not_equal(str_at(r, "prescription.status"), "step_back");
        }
        release(NULL);
    }
    /* pain is whole points of 0-10 */
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\", "
            "\"pain\": 7.5}]}",
            "checkins[0].pain", "whole number 0 to 10");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\", "
            "\"pain\": 11}]}",
            "checkins[0].pain", "0 to 10");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\", "
            "\"pain\": -1}]}",
            "checkins[0].pain", "0 to 10");
}

#define SIT(level, reps)                                                                           \
    "{\"id\": \"sit_to_stand\", \"level\": " #level ", \"sets\": 2, \"reps\": " #reps "}"

static void fall_pauses_until_cleared(void **state)
{
    static const char sessions[] =
        ", \"sessions\": ["
        "{\"id\": \"s1\", \"date\": \"2026-03-03\", \"effort\": 6, \"pain\": 1, \"exercises\": "
        "[" SIT(3, 13) "]},"
                       "{\"id\": \"s2\", \"date\": \"2026-03-05\", \"effort\": 6, \"pain\": 1, "
                       "\"exercises\": [" SIT(
                           3, 13) "]},"
                                  "{\"id\": \"s3\", \"date\": \"2026-03-08\", \"effort\": 6, "
                                  "\"pain\": 1, \"exercises\": [" SIT(2, 10) "]}]";
    char rest[2048];
    json_t *r;
    (void)state;

    /* a fall on 03-06: paused, one level below the level in use that day (3),
     * whatever was logged at the easier level since */
    snprintf(rest, sizeof rest,
             "%s, \"checkins\": [{\"id\": \"c3\", \"date\": \"2026-03-06\", \"fall\": true}]",
             sessions);
    r = one_visit(rest);
    assert_str_at(r, "prescription.status", "paused");
    assert_str_at(r, "prescription.source", "TRACKING");
    assert_true(json_is_false(at(r, "prescription.load_progression")));
    assert_str_at(exercise(r, "sit_to_stand"), "change", "step_back");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 2, 1e-9);
    assert_str_at(alert(r, "fall:c3"), "kind", "fall");
    assert_true(json_is_false(at(alert(r, "fall:c3"), "cleared")));

    /* cleared by a clinician: progression resumes (two sessions at level 3 with
     * 13 > 12 were before; the latest is at level 2: keep) */
    snprintf(rest, sizeof rest,
             "%s, \"checkins\": [{\"id\": \"c3\", \"date\": \"2026-03-06\", \"fall\": true}], "
             "\"cleared\": [\"fall:c3\"]",
             sessions);
    r = one_visit(rest);
    assert_string_not_equal(str_at(r, "prescription.status"), "paused");
    assert_true(json_is_true(at(alert(r, "fall:c3"), "cleared")));
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 2, 1e-9);

    /* no fall: no alert, no pause */
    snprintf(rest, sizeof rest,
             "%s, \"checkins\": [{\"id\": \"c3\", \"date\": \"2026-03-06\", \"fall\": false}]",
             sessions);
    r = one_visit(rest);
    assert_null(alert(r, "fall:c3"));
    assert_string_not_equal(str_at(r, "prescription.status"), "paused");
}

static void red_flag_check_in_means_not_until_seen(void **state)
{
    json_t *r;
    (void)state;

    r = one_visit(", \"checkins\": [{\"id\": \"c5\", \"date\": \"2026-03-01\", "
                  "\"symptoms\": {\"breathing_trouble\": true}}, "
                  "{\"id\": \"c6\", \"date\": \"2026-03-02\", \"fall\": true}]");
    assert_str_at(r, "triage.level", "emergency");
    assert_str_at(r, "triage.since", "c5");
    assert_str_at(r, "triage.reasons.0.id", "breathing_involvement");
    assert_str_at(r, "alerts.0.key", "red_flag:c5"); /* red flags first, before newer alerts */
    assert_str_at(r, "alerts.0.level", "emergency");
    assert_str_at(r, "alerts.1.key", "fall:c6");
    assert_str_at(r, "prescription.status", "not_until_seen");
    assert_int_equal(json_array_size(at(r, "prescription.exercises")), 0);
    assert_true(json_is_null(at(r, "prescription.sessions_per_week")));

    /* seen and cleared by a clinician: the check-in no longer sets the triage */
    r = one_visit(", \"checkins\": [{\"id\": \"c5\", \"date\": \"2026-03-01\", "
                  "\"symptoms\": {\"breathing_trouble\": true}}], \"cleared\": [\"red_flag:c5\"]");
    assert_string_not_equal(str_at(r, "triage.level"), "emergency");
    assert_true(json_is_true(at(alert(r, "red_flag:c5"), "cleared")));
    assert_string_not_equal(str_at(r, "prescription.status"), "not_until_seen");

    /* before the latest assessment: that assessment re-triaged */
    r = one_visit(", \"checkins\": [{\"id\": \"c5\", \"date\": \"2026-01-04\", "
                  "\"symptoms\": {\"breathing_trouble\": true}}]");
    assert_string_not_equal(str_at(r, "triage.level"), "emergency");
    assert_str_at(r, "triage.since", "a1");

    /* a prompt-level sign (twitching): prompt, and one level easier */
    r = one_visit(", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-02-27\", \"effort\": 5, "
                  "\"pain\": 0, \"exercises\": [" SIT(
                      3, 10) "]}], "
                             "\"checkins\": [{\"id\": \"c5\", \"date\": \"2026-03-01\", "
                             "\"symptoms\": {\"fasciculations\": true}}]");
    assert_str_at(r, "triage.level", "prompt");
    assert_str_at(r, "alerts.0.kind", "red_flag");
    assert_str_at(r, "prescription.status", "step_back");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 2, 1e-9);

    /* symptoms without a warning sign: no alert */
    r = one_visit(", \"checkins\": [{\"id\": \"c5\", \"date\": \"2026-03-01\", "
                  "\"symptoms\": {\"cramps\": true}}]");
    assert_null(alert(r, "red_flag:c5"));
}

/* ---- prescription ----------------------------------------------------------------------- */

/* Sessions on 03-06 and 03-09 with sit_to_stand at `level`, the last set's
 * reps and the efforts given, and `load` ("null" or kg). */
static json_t *two_sessions(int level, int reps0, int reps1, int eff0, int eff1, const char *load)
{
    char rest[2048];

    snprintf(rest, sizeof rest,
             ", \"sessions\": ["
             "{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": %d, \"pain\": 1, "
             "\"exercises\": [{\"id\": \"sit_to_stand\", \"level\": %d, \"sets\": 2, \"reps\": %d, "
             "\"load_kg\": %s}]},"
             "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": %d, \"pain\": 1, "
             "\"exercises\": [{\"id\": \"sit_to_stand\", \"level\": %d, \"sets\": 2, \"reps\": %d, "
             "\"load_kg\": %s}]}]",
             eff0, level, reps0, load, eff1, level, reps1, load);
    return one_visit(rest);
}

static void progression_needs_two_sessions_over_the_target(void **state)
{
    json_t *r, *e;
    (void)state;

    /* target 8-12 (exercising 3 times a week): 13 = top + 1, at effort 7 */
    r = two_sessions(1, 13, 13, 7, 7, "null");
    assert_str_at(r, "prescription.status", "progress");
    e = exercise(r, "sit_to_stand");
    assert_str_at(e, "change", "next_level");
    assert_close(num_at(e, "level"), 2, 1e-9);
    assert_close(num_at(e, "reps.1"), 12, 1e-9);
    assert_true(json_is_null(at(e, "load_kg")));
    assert_str_at(e, "name", "Sit to stand without using your arms");
    assert_str_at(e, "easier", "Sit to stand from a chair with arms");
    /* 12 = the top, not over it: the same */
    r = two_sessions(1, 13, 12, 7, 7, "null");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    assert_str_at(r, "prescription.status", "keep");
    r = two_sessions(1, 12, 14, 6, 6, "null");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    /* effort 8, above the planned 5-7 */
    r = two_sessions(1, 13, 13, 7, 8, "null");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    r = two_sessions(1, 13, 13, 8, 6, "null");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    /* a session is still missing for the others */
    assert_str_at(exercise(r, "push_up"), "change", "same");
}

static void one_session_is_not_enough(void **state)
{
    json_t *r;
    (void)state;

    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-08\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            1,
            15) "]}, "
                "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": 5, \"pain\": 0, "
                "\"exercises\": [{\"id\": \"push_up\", \"level\": 1, \"sets\": 1, \"reps\": 9}]}]");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    assert_str_at(r, "prescription.status", "keep");
}

static void levels_must_match(void **state)
{
    json_t *r;
    (void)state;

    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            1, 15) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": 5, \"pain\": 0, "
                   "\"exercises\": [" SIT(2, 15) "]}]");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 2, 1e-9); /* the latest's */
}

static void load_rises_2_to_10_percent(void **state)
{
    json_t *r, *e;
    (void)state;

    r = two_sessions(2, 13, 13, 6, 6, "20");
    e = exercise(r, "sit_to_stand");
    assert_str_at(e, "change", "more_load");
    assert_close(num_at(e, "level"), 2, 1e-9);
    assert_close(num_at(e, "load_kg.0"), 20.4, 1e-9); /* 20 kg + 2 % */
    assert_close(num_at(e, "load_kg.1"), 22.0, 1e-9); /* 20 kg + 10 % */
    /* 0.1 kg steps inside the band: 2.5 kg -> 2.6 to 2.7 (2.55 up, 2.75 down) */
    r = two_sessions(2, 13, 13, 6, 6, "2.5");
    e = exercise(r, "sit_to_stand");
    assert_close(num_at(e, "load_kg.0"), 2.6, 1e-9);
    assert_close(num_at(e, "load_kg.1"), 2.7, 1e-9);
    /* no 0.1 kg step between 0.51 and 0.55 kg: the next level instead */
    r = two_sessions(2, 13, 13, 6, 6, "0.5");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "next_level");
    /* same level, a different load in the two sessions: the same */
    r = one_visit(", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
                  "\"pain\": 0, \"exercises\": [{\"id\": \"sit_to_stand\", \"level\": 2, \"sets\": "
                  "2, \"reps\": 13, \"load_kg\": 5}]}, "
                  "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": 5, \"pain\": 0, "
                  "\"exercises\": [{\"id\": \"sit_to_stand\", \"level\": 2, \"sets\": 2, \"reps\": "
                  "13, \"load_kg\": 6}]}]");
    e = exercise(r, "sit_to_stand");
    assert_str_at(e, "change", "same");
    assert_close(num_at(e, "load_kg.0"), 6, 1e-9);
}

static void hardest_level_the_equipment_allows(void **state)
{
    json_t *r;
    (void)state;

    /* level 4 (holding a weight) needs dumbbells; she has none */
    r = two_sessions(3, 13, 13, 6, 6, "null");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 3, 1e-9);
}

static void balance_hold_of_10_seconds(void **state)
{
    static const double holds[] = {9.99, 10, 10.01};
    size_t i;
    (void)state;

    for (i = 0; i < 3; i++) {
        char rest[1024];
        json_t *r;
        snprintf(rest, sizeof rest,
                 ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
                 "\"pain\": 0, \"exercises\": [{\"id\": \"balance\", \"level\": 1, \"sets\": 2, "
                 "\"hold_seconds\": %.2f}]}, {\"id\": \"s2\", \"date\": \"2026-03-09\", "
                 "\"effort\": 5, \"pain\": 0, \"exercises\": [{\"id\": \"balance\", \"level\": 1, "
                 "\"sets\": 2, \"hold_seconds\": %.2f}]}]",
                 holds[i], holds[i]);
        r = one_visit(rest);
        assert_str_at(exercise(r, "balance"), "change", holds[i] >= 10 ? "next_level" : "same");
        release(NULL);
    }
}

static void missed_session_holds(void **state)
{
    json_t *r;
    (void)state;

    /* one session in the 7 days ending today (03-10): 03-04 is 6 days back */
    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-02-20\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            1, 13) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-04\", \"effort\": 5, \"pain\": 0, "
                   "\"exercises\": [" SIT(1, 13) "]}]");
    assert_str_at(r, "prescription.status", "hold");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    /* two: 03-04 and 03-10 (today counts) */
    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-04\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            1, 13) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-10\", \"effort\": 5, \"pain\": 0, "
                   "\"exercises\": [" SIT(1, 13) "]}]");
    assert_str_at(r, "prescription.status", "progress");
    /* 03-03 is 7 days back: outside the week */
    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-03\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            1, 13) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-10\", \"effort\": 5, \"pain\": 0, "
                   "\"exercises\": [" SIT(1, 13) "]}]");
    assert_str_at(r, "prescription.status", "hold");
    /* nothing logged yet: keep the plan */
    r = one_visit("");
    assert_str_at(r, "prescription.status", "keep");
    assert_str_at(r, "prescription.based_on", "a1");
}

static void pain_steps_back_one_level(void **state)
{
    json_t *r;
    (void)state;

    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
        "\"pain\": 0, \"exercises\": [" SIT(
            3, 13) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": 5, \"pain\": 7, "
                   "\"exercises\": [" SIT(3, 13) "]}]");
    assert_str_at(r, "prescription.status", "step_back");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "step_back");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 2, 1e-9);
    /* at the easiest level (heel raises start there without a balance score): it stays */
    assert_str_at(exercise(r, "heel_raise"), "change", "same");
    assert_close(num_at(exercise(r, "heel_raise"), "level"), 1, 1e-9);
    /* a later session without pain: over */
    r = one_visit(
        ", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
        "\"pain\": 8, \"exercises\": [" SIT(
            3, 13) "]}, "
                   "{\"id\": \"s2\", \"date\": \"2026-03-09\", \"effort\": 5, \"pain\": 6, "
                   "\"exercises\": [" SIT(2, 13) "]}]");
    assert_string_not_equal(str_at(r, "prescription.status"), "step_back");
    assert_non_null(alert(r, "pain:s1"));
    assert_null(alert(r, "pain:s2"));
}

static void neurogenic_plan_is_assisted(void **state)
{
    json_t *r;
    (void)state;

    r = track("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
              "\"2026-03-01\", \"document\": {\"person\": {\"sex\": \"male\", \"age\": 60, "
              "\"weight\": 80}, \"symptoms\": {\"fasciculations\": true, \"reflexes\": "
              "\"reduced\"}}}], \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", "
              "\"effort\": 5, \"pain\": 0, \"exercises\": [{\"id\": \"range_of_motion_arms\", "
              "\"level\": 1, \"sets\": 1}]}]}");
    assert_str_at(r, "prescription.status", "assisted");
    assert_true(json_is_false(at(r, "prescription.load_progression")));
    assert_str_at(exercise(r, "range_of_motion_arms"), "change", "same");
    assert_str_at(r, "triage.level", "prompt");
}

static void treating_team_plan_never_progresses(void **state)
{
    json_t *r;
    (void)state;

    /* a hospital setting: exercise with the treating team (the plan's status) */
    r = track("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
              "\"2026-03-01\", \"document\": {\"person\": {\"sex\": \"female\", \"age\": 70}, "
              "\"setting\": \"hospital\", \"measurements\": {\"grip\": 22, \"gait_speed\": 1.1, "
              "\"chair_stand_5x\": 10}, \"history\": {\"exercise_sessions_per_week\": 3}}}], "
              "\"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
              "\"pain\": 0, \"exercises\": [" SIT(
                  2, 13) "]}, {\"id\": \"s2\", \"date\": "
                         "\"2026-03-09\", \"effort\": 5, \"pain\": %d, \"exercises\": [" SIT(
                             2, 13) "]}]}",
              0);
    assert_str_at(r, "prescription.status", "with_treating_team");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "same");
    assert_true(json_is_false(at(r, "prescription.load_progression")));
    /* pain still steps back */
    r = track("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
              "\"2026-03-01\", \"document\": {\"person\": {\"sex\": \"female\", \"age\": 70}, "
              "\"setting\": \"hospital\", \"measurements\": {\"grip\": 22, \"gait_speed\": 1.1, "
              "\"chair_stand_5x\": 10}, \"history\": {\"exercise_sessions_per_week\": 3}}}], "
              "\"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-06\", \"effort\": 5, "
              "\"pain\": 0, \"exercises\": [" SIT(
                  2, 13) "]}, {\"id\": \"s2\", \"date\": "
                         "\"2026-03-09\", \"effort\": 5, \"pain\": %d, \"exercises\": [" SIT(
                             2, 13) "]}]}",
              8);
    assert_str_at(r, "prescription.status", "with_treating_team");
    assert_str_at(exercise(r, "sit_to_stand"), "change", "step_back");
    assert_close(num_at(exercise(r, "sit_to_stand"), "level"), 1, 1e-9);
}

/* ---- decline while adhering -------------------------------------------------------------------
 */

/* `n` sessions between the two visits (01-05 .. 03-01, 55 days), evenly. */
static json_t *decline_with_sessions(int n, const char *cleared)
{
    static char rest[16384];
    char m1[128], m2[128];
    size_t o = 0;
    int i;

    o += (size_t)snprintf(rest + o, sizeof rest - o, ", \"sessions\": [");
    for (i = 0; i < n; i++) {
        int day = 5 + i * 55 / (n ? n : 1); /* 2026-01-05 + i*55/n days */
        int month = day <= 31 ? 1 : day <= 59 ? 2 : 3;
        int dom = month == 1 ? day : month == 2 ? day - 31 : day - 59;
        o += (size_t)snprintf(rest + o, sizeof rest - o,
                              "%s{\"id\": \"s%d\", \"date\": \"2026-%02d-%02d\", \"effort\": 5, "
                              "\"pain\": 0, \"exercises\": [" SIT(1, 10) "]}",
                              i ? ", " : "", i, month, dom);
    }
    o += (size_t)snprintf(rest + o, sizeof rest - o, "]%s", cleared);
    snprintf(m1, sizeof m1, "\"grip\": 22, \"gait_speed\": 1.0");
    snprintf(m2, sizeof m2, "\"grip\": 22, \"gait_speed\": 0.9");
    return two_visits(m1, m2, rest);
}

static void decline_while_adhering_raises_triage(void **state)
{
    json_t *r;
    (void)state;

    /* a1 01-05, a2 03-02: 56 days = 8 weeks; 16 sessions = 2 a week (at) */
    r = decline_with_sessions(16, "");
    assert_non_null(alert(r, "decline:gait_speed:a2"));
    assert_str_at(alert(r, "decline_adhering:a2"), "kind", "decline_while_adhering");
    assert_str_at(r, "triage.level", "prompt");
    assert_str_at(r, "triage.reasons.0.id", "decline_while_adhering");
    assert_str_at(r, "triage.since", "a2");
    /* 15 sessions: 1.875 a week, not adhering */
    r = decline_with_sessions(15, "");
    assert_null(alert(r, "decline_adhering:a2"));
    assert_string_not_equal(str_at(r, "triage.level"), "prompt");
    /* 17: above */
    r = decline_with_sessions(17, "");
    assert_non_null(alert(r, "decline_adhering:a2"));
    /* cleared by a clinician: the triage is the assessment's again */
    r = decline_with_sessions(16, ", \"cleared\": [\"decline_adhering:a2\"]");
    assert_true(json_is_true(at(alert(r, "decline_adhering:a2"), "cleared")));
    assert_string_not_equal(str_at(r, "triage.level"), "prompt");
}

/* ---- ordering, thresholds, errors ---------------------------------------------------------------
 */

static void series_sorted_by_date(void **state)
{
    char d1[512], d2[512], d3[512];
    json_t *r;
    (void)state;

    person(d1, sizeof d1, "female", "\"grip\": 20");
    person(d2, sizeof d2, "female", "\"grip\": 22");
    person(d3, sizeof d3, "female", "\"grip\": 24");
    r = track("{\"today\": \"2026-06-01\", \"assessments\": ["
              "{\"id\": \"late\", \"date\": \"2026-05-01\", \"document\": %s}, "
              "{\"id\": \"early\", \"date\": \"2025-12-31\", \"document\": %s}, "
              "{\"id\": \"mid\", \"date\": \"2026-02-28\", \"document\": %s}]}",
              d3, d1, d2);
    assert_str_at(measure(r, "grip"), "series.0.assessment", "early");
    assert_str_at(measure(r, "grip"), "series.1.assessment", "mid");
    assert_str_at(measure(r, "grip"), "series.2.assessment", "late");
    assert_str_at(measure(r, "grip"), "series.1.date", "2026-02-28");
    assert_close(num_at(measure(r, "grip"), "series.2.change"), 2, 1e-9);
    assert_close(num_at(measure(r, "grip"), "series.2.percent_change"), 9.0909, 1e-4);
    assert_str_at(r, "prescription.based_on", "late");
    assert_str_at(r, "triage.since", "late");
}

/* The threshold `value` of definition.criterion in a measure's lines, or NAN. */
static double line(json_t *m, const char *def, const char *crit)
{
    json_t *list = json_object_get(m, "thresholds"), *t;
    size_t i;

    json_array_foreach(list, i, t)
    {
        if (!strcmp(json_string_value(json_object_get(t, "definition")), def) &&
            !strcmp(json_string_value(json_object_get(t, "criterion")), crit))
            return json_number_value(json_object_get(t, "value"));
    }
    return NAN;
}

static void thresholds_for_the_sex(void **state)
{
    char d[512];
    json_t *r, *g;
    (void)state;

    person(d, sizeof d, "male", "\"grip\": 30");
    r = track("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
              "\"2026-03-01\", \"document\": %s}]}",
              d);
    assert_str_at(r, "progress.sex", "male");
    g = measure(r, "grip");
    assert_close(line(g, "ewgsop2", "low_grip"), 27, 1e-9); /* REFERENCE §7 */
    assert_close(line(g, "awgs2019", "low_grip"), 28, 1e-9);
    assert_close(line(g, "fnih", "weakness"), 26, 1e-9);
    assert_close(line(g, "sdoc", "weakness"), 35.5, 1e-9);
    assert_close(line(measure(r, "gait_speed"), "ewgsop2", "slow_gait"), 0.8, 1e-9);
    assert_close(line(measure(r, "chair_stand_5x"), "ewgsop2", "slow_chair_stand"), 15, 1e-9);
    assert_close(line(measure(r, "sppb_total"), "awgs2019", "low_sppb"), 9, 1e-9);

    person(d, sizeof d, "female", "\"grip\": 30");
    r = track("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
              "\"2026-03-01\", \"document\": %s}]}",
              d);
    g = measure(r, "grip");
    assert_close(line(g, "ewgsop2", "low_grip"), 16, 1e-9);
    assert_close(line(g, "awgs2019", "low_grip"), 18, 1e-9);
    assert_close(line(g, "sdoc", "weakness"), 20, 1e-9);
    assert_true(isnan(line(g, "fnih", "intermediate_grip"))); /* a band, not a line */
    /* no assessment: the document's sex, if given */
    r = track("{\"today\": \"2026-03-10\", \"sex\": \"male\"}");
    assert_str_at(r, "progress.sex", "male");
    assert_close(line(measure(r, "grip"), "ewgsop2", "low_grip"), 27, 1e-9);
    assert_str_at(r, "prescription.status", "no_plan");
}

static void errors_name_the_path(void **state)
{
    (void)state;
    refused(
        "{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
        "\"effort\": 5, \"pain\": 1, \"exercises\": [" SIT(
            1, 1) "]}, {\"id\": \"s2\", "
                  "\"date\": \"2026-03-01\", \"effort\": 5, \"pain\": 1, \"exercises\": [" SIT(
                      1,
                      1) "]},"
                         " {\"id\": \"s3\", \"date\": \"2026-03-01\", \"effort\": 5, \"pain\": 11, "
                         "\"exercises\": [" SIT(1, 1) "]}]}",
        "sessions[2].pain", "11 is outside the accepted range 0 to 10");
    refused("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
            "\"2026-03-01\", \"document\": {\"person\": {\"sex\": \"male\", \"age\": 70}}}, "
            "{\"id\": \"a2\", \"date\": \"2026-03-02\", \"document\": {\"person\": {\"sex\": "
            "\"male\", \"age\": 70}, \"measurements\": {\"grip\": 101}}}]}",
            "assessments[1].document.measurements.grip", "0 to 100 kg");
    refused("{\"today\": \"2026-03-10\", \"assessments\": [{\"id\": \"a1\", \"date\": "
            "\"2026-03-01\", \"document\": {}}]}",
            "assessments[0].document.person", "required");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\", "
            "\"symptoms\": {\"fever\": \"yes\"}}]}",
            "checkins[0].symptoms.fever", "true or false");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-11\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [" SIT(1, 1) "]}]}",
            "sessions[0].date", "after today");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-02-30\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [" SIT(1, 1) "]}]}",
            "sessions[0].date", "not a real date");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"effort\": 0, \"pain\": 1, \"exercises\": [" SIT(1, 1) "]}]}",
            "sessions[0].effort", "1 to 10");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": []}]}",
            "sessions[0].exercises", "1 to 12");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [{\"id\": \"sit_to_stand\", \"level\": 5, "
            "\"sets\": 1, \"reps\": 3}]}]}",
            "sessions[0].exercises[0].level", "1 to 4");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [{\"id\": \"squat\", \"level\": 1, "
            "\"sets\": 1, \"reps\": 3}]}]}",
            "sessions[0].exercises[0].id", "sit_to_stand");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [{\"id\": \"row\", \"level\": 1, "
            "\"sets\": 1, \"reps\": 3, \"load_kg\": 301}]}]}",
            "sessions[0].exercises[0].load_kg", "0 to 300");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"s1\", \"date\": \"2026-03-01\", "
            "\"pain\": 1, \"exercises\": [" SIT(1, 1) "]}]}",
            "sessions[0].effort", "required");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\"},"
            " {\"id\": \"c1\", \"date\": \"2026-03-02\"}]}",
            "checkins[1].id", "already");
    refused("{\"today\": \"2026-03-10\", \"sessions\": [{\"id\": \"x\", \"date\": \"2026-03-01\", "
            "\"effort\": 5, \"pain\": 1, \"exercises\": [" SIT(
                1, 1) "]}], \"checkins\": "
                      "[{\"id\": \"x\", \"date\": \"2026-03-02\"}]}",
            "checkins[0].id", "session");
    refused(
        "{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c/1\", \"date\": \"2026-03-01\"}]}",
        "checkins[0].id", "letters, digits");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": "
            "\"c123456789012345678901234567890123\", \"date\": \"2026-03-01\"}]}",
            "checkins[0].id", "1 to 32");
    refused("{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"date\": \"2026-03-01\", "
            "\"fall\": 1}]}",
            "checkins[0].fall", "true or false");
    refused(
        "{\"today\": \"2026-03-10\", \"checkins\": [{\"id\": \"c1\", \"dat\": \"2026-03-01\"}]}",
        "checkins[0].dat", "did you mean date");
    refused("{\"today\": \"2026-03-10\", \"today\": \"2026-03-10\"}", "today", "duplicate");
    refused("{\"assessments\": []}", "today", "required");
    refused("{\"today\": \"2026-03-10\", \"cleared\": [\"fall:c1\", 5]}", "cleared[1]", "string");
    refused("{\"today\": \"2026-03-10\", \"sessions\": {}}", "sessions", "a list");
    refused("[]", "", "JSON object");
    refused("{\"today\": \"2026-03-10\",}", "", "invalid JSON");
}

static void dates_are_real_calendar_dates(void **state)
{
    (void)state;
    track("{\"today\": \"2024-02-29\"}"); /* leap year */
    track("{\"today\": \"2000-02-29\"}"); /* divisible by 400 */
    refused("{\"today\": \"2023-02-29\"}", "today", "not a real date");
    refused("{\"today\": \"1900-02-29\"}", "today", "not a real date"); /* divisible by 100 */
    refused("{\"today\": \"2026-13-01\"}", "today", "not a real date");
    refused("{\"today\": \"2026-04-31\"}", "today", "not a real date");
    refused("{\"today\": \"2026-4-01\"}", "today", "not a real date");
    refused("{\"today\": \"2026-04-01T00:00\"}", "today", "not a real date");
    refused("{\"today\": 20260401}", "today", "date");
}

static void usage_errors(void **state)
{
    char *out = NULL;
    mt_error err;
    (void)state;

    assert_int_equal(mt_track_json("{}", 2, NULL, NULL, &err), MT_EUSAGE);
    assert_int_equal(mt_track_json(NULL, 3, &out, NULL, &err), MT_EUSAGE);
    assert_null(out);
    assert_int_equal(mt_session_check(NULL, 3, NULL, &err), MT_EUSAGE);
    assert_int_equal(mt_session_check("{}", 2, "2026-3-1", &err), MT_EUSAGE);
    assert_int_equal(mt_checkin_check("{}", 2, NULL, NULL, &err), MT_EUSAGE);
    /* an empty document is refused, not crashed on */
    assert_int_equal(mt_track_json(NULL, 0, &out, NULL, NULL), MT_EINVAL);
}

/* ---- one session, one check-in
 * --------------------------------------------------------------------- */

static void session_check(void **state)
{
    static const char ok[] =
        "{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, \"exercises\": "
        "[" SIT(1, 12) "], \"note\": \"felt fine\"}";
    mt_error err;
    (void)state;

    assert_int_equal(mt_session_check(ok, strlen(ok), "2026-03-01", &err), MT_OK);
    assert_int_equal(mt_session_check(ok, strlen(ok), NULL, &err), MT_OK);
    assert_int_equal(mt_session_check(ok, strlen(ok), "2026-02-28", &err), MT_EINVAL);
    assert_string_equal(err.field, "date");
    assert_non_null(strstr(err.message, "after today"));
#define BAD_SESSION(doc, fld, word)                                                                \
    do {                                                                                           \
        memset(&err, 0, sizeof err);                                                               \
        assert_int_equal(mt_session_check(doc, strlen(doc), NULL, &err), MT_EINVAL);               \
        assert_string_equal(err.field, fld);                                                       \
        if (!strstr(err.message, word))                                                            \
            fail_msg("\"%s\" lacks \"%s\"", err.message, word);                                    \
    } while (0)
    BAD_SESSION("{\"id\": \"s1\", \"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, "
                "\"exercises\": [" SIT(1, 12) "]}",
                "id", "not accepted here");
    BAD_SESSION("{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 7.5, \"exercises\": "
                "[" SIT(1, 12) "]}",
                "pain", "whole number");
    BAD_SESSION("{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, \"exercises\": [" SIT(
                    1, 12) ", " SIT(2, 10) "]}",
                "exercises[1].id", "already logged");
    BAD_SESSION(
        "{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, \"exercises\": [" SIT(1, 101) "]}",
        "exercises[0].reps", "0 to 100");
    BAD_SESSION("{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, \"exercises\": [{\"id\": "
                "\"plank\", \"level\": 1, \"sets\": 1}]}",
                "exercises[0].hold_seconds", "required");
    BAD_SESSION("{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2}", "exercises", "required");
    BAD_SESSION("{}", "date", "required");
    {
        static const char head[] = "{\"date\": \"2026-03-01\", \"effort\": 6, \"pain\": 2, "
                                   "\"exercises\": [" SIT(1, 1) "], \"note\": \"";
        char note[1024];
        size_t n = strlen(head);
        memcpy(note, head, n);
        memset(note + n, 'a', 501); /* one character more than 500 */
        memcpy(note + n + 501, "\"}", 3);
        BAD_SESSION(note, "note", "500");
        note[n + 500] = '"'; /* 500: accepted */
        memcpy(note + n + 501, "}", 2);
        assert_int_equal(mt_session_check(note, strlen(note), NULL, &err), MT_OK);
    }
#undef BAD_SESSION
}

static void checkin_check_triages(void **state)
{
    static const char calm[] = "{\"date\": \"2026-03-01\", \"pain\": 3, \"fall\": false}";
    static const char stroke[] = "{\"date\": \"2026-03-01\", \"symptoms\": {\"face_droop\": true}}";
    static const char twitch[] = "{\"date\": \"2026-03-01\", \"symptoms\": {\"fasciculations\": "
                                 "true}, \"note\": \"\"}";
    mt_triage_view v;
    mt_error err;
    (void)state;

    memset(&v, 0, sizeof v);
    assert_int_equal(mt_checkin_check(calm, strlen(calm), "2026-03-01", &v, &err), MT_OK);
    assert_string_equal(v.level, "self_care");
    assert_int_equal(mt_checkin_check(stroke, strlen(stroke), NULL, &v, &err), MT_OK);
    assert_string_equal(v.level, "emergency");
    assert_string_equal(v.reason, "stroke_signs");
    assert_non_null(v.action);
    assert_int_equal(mt_checkin_check(twitch, strlen(twitch), NULL, &v, &err), MT_OK);
    assert_string_equal(v.level, "prompt");
    assert_int_equal(mt_checkin_check(stroke, strlen(stroke), "2026-02-28", &v, &err), MT_EINVAL);
    assert_string_equal(err.field, "date");
    {
        static const char bad[] = "{\"date\": \"2026-03-01\", \"symptoms\": {\"face_drop\": true}}";
        assert_int_equal(mt_checkin_check(bad, strlen(bad), NULL, &v, &err), MT_EINVAL);
        assert_string_equal(err.field, "symptoms.face_drop");
        assert_non_null(strstr(err.message, "face_droop"));
    }
    {
        static const char bad[] = "{\"pain\": 3}";
        assert_int_equal(mt_checkin_check(bad, strlen(bad), NULL, &v, &err), MT_EINVAL);
        assert_string_equal(err.field, "date");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(tracking_rows_are_exactly_the_reference, release),
        cmocka_unit_test_teardown(meaningful_change_boundaries, release),
        cmocka_unit_test_teardown(sppb_change_in_whole_points, release),
        cmocka_unit_test_teardown(chair_stand_and_weight_have_no_reference, release),
        cmocka_unit_test_teardown(values_are_the_engines, release),
        cmocka_unit_test_teardown(drop_of_20_percent, release),
        cmocka_unit_test_teardown(pain_alert_at_7, release),
        cmocka_unit_test_teardown(fall_pauses_until_cleared, release),
        cmocka_unit_test_teardown(red_flag_check_in_means_not_until_seen, release),
        cmocka_unit_test_teardown(progression_needs_two_sessions_over_the_target, release),
        cmocka_unit_test_teardown(one_session_is_not_enough, release),
        cmocka_unit_test_teardown(levels_must_match, release),
        cmocka_unit_test_teardown(load_rises_2_to_10_percent, release),
        cmocka_unit_test_teardown(hardest_level_the_equipment_allows, release),
        cmocka_unit_test_teardown(balance_hold_of_10_seconds, release),
        cmocka_unit_test_teardown(missed_session_holds, release),
        cmocka_unit_test_teardown(pain_steps_back_one_level, release),
        cmocka_unit_test_teardown(neurogenic_plan_is_assisted, release),
        cmocka_unit_test_teardown(treating_team_plan_never_progresses, release),
        cmocka_unit_test_teardown(decline_while_adhering_raises_triage, release),
        cmocka_unit_test_teardown(series_sorted_by_date, release),
        cmocka_unit_test_teardown(thresholds_for_the_sex, release),
        cmocka_unit_test_teardown(errors_name_the_path, release),
        cmocka_unit_test_teardown(dates_are_real_calendar_dates, release),
        cmocka_unit_test_teardown(usage_errors, release),
        cmocka_unit_test_teardown(session_check, release),
        cmocka_unit_test_teardown(checkin_check_triages, release),
    };
    return cmocka_run_group_tests_name("tracking", tests, NULL, NULL);
}
