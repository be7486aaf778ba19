/*
 * test_document.c - the assessment-document parser, through the public API
 * only (mt_input_parse_json, then mt_assess where the parsed value matters).
 *
 * Three parts:
 *   - every plausibility limit of REFERENCE §2, one table row per field:
 *     accepted at its minimum and maximum, rejected just outside with
 *     MT_EINVAL, the dotted path in err.field and a one-line message naming
 *     the path, the value and the accepted range;
 *   - the rules that tie fields together (SPPB forms, SARC-F items, grip
 *     trials, walk, asm/asm_method, BIA) and the "did you mean" answers;
 *   - the byte level: empty, oversized, deeply nested, invalid UTF-8, NUL
 *     bytes and buffers that are not NUL-terminated.
 *
 * Documents are written with single quotes for readability; jq() turns them
 * into JSON. Tests that need exact bytes build their buffers by hand.
 */
#include "testutil.h"
#include "testjson.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- helpers ------------------------------------------------------------ */

#define PERSON    "'person':{'sex':'male','age':70}"
#define PERSON_HW "'person':{'sex':'male','age':70,'height':170,'weight':70}"
/* A document with the default person and these measurements. */
#define M(x) "{" PERSON ",'measurements':{" x "}}"
/* The same with height and weight (BIA, mass indices). */
#define MHW(x) "{" PERSON_HW ",'measurements':{" x "}}"

/* A malloc'd copy of `s` with every ' turned into ". */
static char *jq(const char *s)
{
    size_t n = strlen(s), i;
    char *d = malloc(n + 1);

    assert_non_null(d);
    for (i = 0; i <= n; i++)
        d[i] = s[i] == '\'' ? '"' : s[i];
    return d;
}

/* `tmpl` with "$V" replaced by `v`, then jq(). */
static char *subst(const char *tmpl, const char *v)
{
    const char *at = strstr(tmpl, "$V");
    char buf[1024];

    assert_non_null(at);
    snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - tmpl), tmpl, v, at + 2);
    return jq(buf);
}

/* Parse a document written with single quotes. */
static int parse_q(const char *doc, mt_input **in, mt_error *err)
{
    char *j = jq(doc);
    int rc;

    memset(err, 0, sizeof(*err));
    *in = (mt_input *)(uintptr_t)1; /* must be reset to NULL on failure */
    rc = mt_input_parse_json(in, j, strlen(j), err);
    free(j);
    return rc;
}

/* The message is one line: no CR or LF, NUL-terminated within its array. */
static void assert_one_line(const mt_error *err)
{
    assert_non_null(memchr(err->message, '\0', sizeof(err->message)));
    assert_true(err->message[0] != '\0');
    if (strchr(err->message, '\n') || strchr(err->message, '\r'))
        fail_msg("message spans lines: \"%s\"", err->message);
}

/* The message contains `needle`. */
static void assert_mentions(const mt_error *err, const char *needle)
{
    if (!strstr(err->message, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err->message, needle);
}

/* Accepted; the input is returned for the caller to free. */
static mt_input *expect_ok(const char *doc)
{
    mt_input *in;
    mt_error err;
    int rc = parse_q(doc, &in, &err);

    if (rc != MT_OK)
        fail_msg("rejected (rc %d): %s\n  document: %s", rc, err.message, doc);
    assert_non_null(in);
    return in;
}

static void accepted(const char *doc)
{
    mt_input_free(expect_ok(doc));
}

/* Rejected with MT_EINVAL, err.field == field, a one-line message naming the
 * field (when there is one) and holding `needle` (when given); *out NULL. */
static void rejected(const char *doc, const char *field, const char *needle)
{
    mt_input *in;
    mt_error err;
    int rc = parse_q(doc, &in, &err);

    if (rc != MT_EINVAL)
        fail_msg("rc %d, expected MT_EINVAL (%s)\n  document: %s", rc, err.message, doc);
    assert_null(in);
    assert_int_equal(err.code, MT_EINVAL);
    if (strcmp(err.field, field) != 0)
        fail_msg("field \"%s\", expected \"%s\" (%s)", err.field, field, err.message);
    assert_one_line(&err);
    if (field[0])
        assert_mentions(&err, field);
    if (needle)
        assert_mentions(&err, needle);
}

/* Parse and assess; the result is returned for the caller to free. */
static mt_result *assess_q(const char *doc)
{
    mt_input *in = expect_ok(doc);
    mt_result *res = NULL;
    mt_error err;

    assert_int_equal(mt_assess(&res, in, &err), MT_OK);
    mt_input_free(in);
    assert_non_null(res);
    return res;
}

static mt_criterion_view criterion(const mt_result *res, const char *def, const char *crit)
{
    mt_criterion_view v;

    memset(&v, 0, sizeof(v));
    if (mt_result_criterion(res, def, crit, &v) != MT_OK)
        fail_msg("criterion %s.%s not found", def, crit);
    return v;
}

/* The JSON rendering of a result, loaded by jansson. */
static json_t *result_json(const mt_result *res)
{
    char *out = NULL;
    size_t len = 0;
    json_error_t je;
    json_t *root;

    assert_int_equal(mt_result_render_json(res, &out, &len), MT_OK);
    root = json_loadb(out, len, 0, &je);
    if (!root)
        fail_msg("render is not JSON: %s", je.text);
    mt_free(out);
    return root;
}

/* ---- REFERENCE §2: every limit, one row per field -------------------------- */

typedef struct range_case {
    const char *path;          /* err.field expected when out of range */
    const char *tmpl;          /* the document, "$V" where the value goes */
    const char *lo, *hi;       /* accepted (JSON literals) */
    const char *below, *above; /* rejected; printed the same way in the message */
    const char *range;         /* the accepted range as the message states it */
} range_case;

#define SARCF(s, w, c, st, f)                                                                      \
    "{" PERSON ",'sarc_f':{'strength':" s ",'walking':" w ",'chair':" c ",'stairs':" st            \
    ",'falls':" f "}}"
#define SPPB_ITEMS(b, g, c) M("'sppb':{'balance':" b ",'gait':" g ",'chair':" c "}")
#define SPPB_TIMES(sbs, semi, tan, walk, chair)                                                    \
    M("'sppb':{'side_by_side':" sbs ",'semi_tandem':" semi ",'tandem':" tan "," walk               \
      ",'chair_5x':" chair "}")

static const range_case ranges[] = {
    {"person.age", "{'person':{'sex':'male','age':$V}}", "18", "120", "17.99", "120.01",
     "18 to 120 years"},
    {"person.height", "{'person':{'sex':'male','age':70,'height':$V}}", "100", "230", "99.99",
     "230.01", "100 to 230 cm"},
    {"person.weight", "{'person':{'sex':'male','age':70,'weight':$V}}", "25", "300", "24.99",
     "300.01", "25 to 300 kg"},
    {"measurements.grip", M("'grip':$V"), "0", "100", "-0.01", "100.01", "0 to 100 kg"},
    {"measurements.grip_trials[0]", M("'grip_trials':[$V, 20]"), "0", "100", "-0.01", "100.01",
     "0 to 100 kg"},
    {"measurements.chair_stand_5x", M("'chair_stand_5x':$V"), "3", "120", "2.99", "120.01",
     "3 to 120 s"},
    {"measurements.gait_speed", M("'gait_speed':$V"), "0.05", "3", "0.049", "3.01",
     "0.05 to 3 m/s"},
    {"measurements.tug", M("'tug':$V"), "3", "300", "2.99", "300.01", "3 to 300 s"},
    {"measurements.walk_400m", M("'walk_400m':$V"), "120", "3600", "119.99", "3600.01",
     "120 to 3600 s"},
    {"measurements.six_minute_walk", M("'six_minute_walk':$V"), "0", "1000", "-0.01", "1000.01",
     "0 to 1000 m"},
    {"measurements.calf", M("'calf':$V"), "15", "70", "14.99", "70.01", "15 to 70 cm"},
    {"measurements.asm", MHW("'asm':$V,'asm_method':'dxa'"), "3", "60", "2.99", "60.01",
     "3 to 60 kg"},
    {"measurements.bia.resistance", MHW("'bia':{'resistance':$V,'reactance':50}"), "200", "1200",
     "199.99", "1200.01", "200 to 1200 ohm"},
    {"measurements.bia.reactance", MHW("'bia':{'resistance':500,'reactance':$V}"), "10", "150",
     "9.99", "150.01", "10 to 150 ohm"},
    {"sarc_f.strength", SARCF("$V", "0", "0", "0", "0"), "0", "2", "-1", "3", "0 to 2"},
    {"sarc_f.walking", SARCF("0", "$V", "0", "0", "0"), "0", "2", "-1", "3", "0 to 2"},
    {"sarc_f.chair", SARCF("0", "0", "$V", "0", "0"), "0", "2", "-1", "3", "0 to 2"},
    {"sarc_f.stairs", SARCF("0", "0", "0", "$V", "0"), "0", "2", "-1", "3", "0 to 2"},
    {"sarc_f.falls", SARCF("0", "0", "0", "0", "$V"), "0", "2", "-1", "3", "0 to 2"},
    {"sarc_f.total", "{" PERSON ",'sarc_f':{'total':$V}}", "0", "10", "-1", "11", "0 to 10"},
    {"measurements.sppb.balance", SPPB_ITEMS("$V", "2", "2"), "0", "4", "-1", "5", "0 to 4"},
    {"measurements.sppb.gait", SPPB_ITEMS("2", "$V", "2"), "0", "4", "-1", "5", "0 to 4"},
    {"measurements.sppb.chair", SPPB_ITEMS("2", "2", "$V"), "0", "4", "-1", "5", "0 to 4"},
    {"measurements.sppb.total", M("'sppb':{'total':$V}"), "0", "12", "-1", "13", "0 to 12"},
    {"measurements.sppb.side_by_side", SPPB_TIMES("$V", "10", "5", "'walk_4m':5", "12"), "0", "10",
     "-0.01", "10.01", "0 to 10 s"},
    {"measurements.sppb.semi_tandem", SPPB_TIMES("10", "$V", "5", "'walk_4m':5", "12"), "0", "10",
     "-0.01", "10.01", "0 to 10 s"},
    {"measurements.sppb.tandem", SPPB_TIMES("10", "10", "$V", "'walk_4m':5", "12"), "0", "10",
     "-0.01", "10.01", "0 to 10 s"},
    /* 4 m at 3 m/s is 1.3333... s, which is not a 4-decimal value: 1.3334 s is the
     * smallest time the 4-decimal rounding lets through. */
    {"measurements.sppb.walk_4m", SPPB_TIMES("10", "10", "5", "'walk_4m':$V", "12"), "1.3334", "80",
     "1.33", "80.01", "to 80 s"},
    {"measurements.sppb.walk_3m", SPPB_TIMES("10", "10", "5", "'walk_3m':$V", "12"), "1", "60",
     "0.99", "60.01", "1 to 60 s"},
    {"measurements.sppb.chair_5x", SPPB_TIMES("10", "10", "5", "'walk_4m':5", "$V"), "3", "120",
     "2.99", "120.01", "3 to 120 s"},
};

static void limit_accepted_and_rejected(void **state)
{
    const range_case *rc = *state;
    const char *const outside[] = {rc->below, rc->above};
    const char *const inside[] = {rc->lo, rc->hi};
    int i;

    for (i = 0; i < 2; i++) {
        char *doc = subst(rc->tmpl, inside[i]);
        mt_input *in = NULL;
        mt_error err;
        int r;
        memset(&err, 0, sizeof(err));
        r = mt_input_parse_json(&in, doc, strlen(doc), &err);
        if (r != MT_OK)
            fail_msg("%s = %s rejected: %s", rc->path, inside[i], err.message);
        mt_input_free(in);
        free(doc);
    }
    for (i = 0; i < 2; i++) {
        char *doc = subst(rc->tmpl, outside[i]);
        mt_input *in = (mt_input *)(uintptr_t)1;
        mt_error err;
        int r;
        memset(&err, 0, sizeof(err));
        r = mt_input_parse_json(&in, doc, strlen(doc), &err);
        free(doc);
        if (r != MT_EINVAL)
            fail_msg("%s = %s: rc %d, expected MT_EINVAL", rc->path, outside[i], r);
        assert_null(in);
        assert_int_equal(err.code, MT_EINVAL);
        assert_string_equal(err.field, rc->path);
        assert_one_line(&err);
        assert_mentions(&err, rc->path);
        assert_mentions(&err, outside[i]);
        assert_mentions(&err, rc->range);
    }
}

/* The walk fields cannot share one template: the speed they give is checked too. */
static void walk_distance_limits(void **state)
{
    (void)state;
    accepted(M("'walk':{'distance':1,'time':1}"));
    accepted(M("'walk':{'distance':1000,'time':1000}"));
    rejected(M("'walk':{'distance':0.99,'time':1}"), "measurements.walk.distance", "1 to 1000 m");
    rejected(M("'walk':{'distance':1000.01,'time':1000}"), "measurements.walk.distance", "1000.01");
}

static void walk_time_limits(void **state)
{
    (void)state;
    accepted(M("'walk':{'distance':180,'time':3600}"));
    rejected(M("'walk':{'distance':180,'time':3600.01}"), "measurements.walk.time",
             "0.1 to 3600 s");
    rejected(M("'walk':{'distance':1,'time':0.09}"), "measurements.walk.time", "0.09");
}

/* 0.1 s passes the field limit but no accepted distance gives a plausible speed. */
static void walk_time_minimum_is_bounded_by_speed(void **state)
{
    (void)state;
    rejected(M("'walk':{'distance':1,'time':0.1}"), "measurements.walk", "10 m/s");
}

static void walk_speed_checked_against_gait_limits(void **state)
{
    (void)state;
    accepted(M("'walk':{'distance':4,'time':80}")); /* 0.05 m/s */
    accepted(M("'walk':{'distance':6,'time':2}"));  /* 3.0 m/s */
    rejected(M("'walk':{'distance':4,'time':80.5}"), "measurements.walk", "0.05 to 3 m/s");
    rejected(M("'walk':{'distance':6,'time':1.99}"), "measurements.walk", "0.05 to 3 m/s");
}

static void walk_gives_the_gait_speed(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q(M("'grip':30,'walk':{'distance':4,'time':5}"));
    v = criterion(res, "ewgsop2", "slow_gait");
    assert_int_equal(v.has_value, 1);
    assert_close(v.value, 0.8, 1e-12);
    assert_int_equal(v.met, 1); /* <= 0.8 */
    mt_result_free(res);
}

static void walk_needs_distance_and_time(void **state)
{
    (void)state;
    rejected(M("'walk':{'distance':4}"), "measurements.walk.time", "distance");
    rejected(M("'walk':{'time':4}"), "measurements.walk.distance", "time");
}

static void gait_speed_and_walk_together_rejected(void **state)
{
    (void)state;
    rejected(M("'gait_speed':1,'walk':{'distance':4,'time':4}"), "measurements.walk", "not both");
}

/* Values are kept to 4 decimals, and the limits apply to the stored value. */
static void limits_apply_to_the_value_rounded_to_4_decimals(void **state)
{
    (void)state;
    accepted(M("'gait_speed':3.00004"));
    rejected(M("'gait_speed':3.00006"), "measurements.gait_speed", "0.05 to 3 m/s");
}

/* ---- did you mean, and fields in the wrong object --------------------------- */

static void did_you_mean_grip(void **state)
{
    (void)state;
    rejected(M("'gripp':24"), "measurements.gripp", "did you mean grip?");
}

static void did_you_mean_age(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','agee':70}}", "person.agee", "did you mean age?");
}

static void did_you_mean_measurements_at_top_level(void **state)
{
    (void)state;
    rejected("{" PERSON ",'measurement':{'grip':24}}", "measurement", "did you mean measurements?");
}

static void unknown_field_lists_accepted_names(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':70,'zzzzzz':1}}", "person.zzzzzz",
             "sex, age, height, weight");
}

static void grip_under_person_belongs_in_measurements(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':70,'grip':24}}", "person.grip",
             "belongs in measurements");
}

static void age_under_measurements_belongs_in_person(void **state)
{
    (void)state;
    rejected(M("'age':70"), "measurements.age", "belongs in person");
}

static void resistance_outside_bia_belongs_in_bia(void **state)
{
    (void)state;
    rejected(MHW("'resistance':500"), "measurements.resistance", "belongs in measurements.bia");
}

/* ---- JSON types ---------------------------------------------------------- */

static void quantity_of_wrong_type_names_the_type(void **state)
{
    (void)state;
    rejected(M("'grip':true"), "measurements.grip", "got true");
    rejected(M("'grip':false"), "measurements.grip", "got false");
    rejected(M("'grip':[24]"), "measurements.grip", "got a list");
    rejected(M("'grip':{'value':24}"), "measurements.grip", "got an object");
    rejected(M("'tug':[]"), "measurements.tug", "3 to 300 s");
}

static void age_takes_a_number_only(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':'70'}}", "person.age", "got a string");
    rejected("{'person':{'sex':'male','age':'70 years'}}", "person.age", "18 to 120 years");
    rejected("{'person':{'sex':'male','age':true}}", "person.age", "got true");
}

static void integer_item_of_wrong_type_rejected(void **state)
{
    (void)state;
    rejected(SARCF("'1'", "0", "0", "0", "0"), "sarc_f.strength", "got a string");
    rejected(SARCF("true", "0", "0", "0", "0"), "sarc_f.strength", "got true");
    rejected(M("'sppb':{'total':[8]}"), "measurements.sppb.total", "got a list");
}

static void integer_item_must_be_whole(void **state)
{
    (void)state;
    rejected(SARCF("1.5", "0", "0", "0", "0"), "sarc_f.strength", "1.5");
    rejected(M("'sppb':{'total':8.5}"), "measurements.sppb.total", "whole number");
    accepted(M("'sppb':{'total':8.0}"));
}

static void enum_of_wrong_type_rejected(void **state)
{
    (void)state;
    rejected("{'person':{'sex':1,'age':70}}", "person.sex", "female, male");
    rejected("{" PERSON ",'setting':true}", "setting", "community, hospital");
    rejected(MHW("'asm':20,'asm_method':2"), "measurements.asm_method", "dxa, bia");
}

static void enum_unknown_word_rejected(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'m','age':70}}", "person.sex", "\"m\"");
    rejected("{" PERSON ",'setting':'home'}", "setting", "community, hospital");
    rejected(MHW("'asm':20,'asm_method':'ct'"), "measurements.asm_method", "dxa, bia");
    rejected(MHW("'bia':{'resistance':500,'reactance':50,'equation':'x'}"),
             "measurements.bia.equation", "sergi2015");
}

static void enum_words_ignore_case(void **state)
{
    (void)state;
    accepted("{'person':{'sex':'Male','age':70},'setting':'HOSPITAL'}");
}

static void object_of_wrong_type_rejected(void **state)
{
    (void)state;
    rejected("{'person':5}", "person", "expected an object");
    rejected("{" PERSON ",'measurements':'none'}", "measurements", "got a string");
    rejected(M("'sppb':[]"), "measurements.sppb", "got a list");
    rejected(M("'walk':4"), "measurements.walk", "got a number");
    rejected(MHW("'bia':true"), "measurements.bia", "got true");
    rejected("{" PERSON ",'sarc_f':4}", "sarc_f", "got a number");
}

static void grip_trials_of_wrong_type_rejected(void **state)
{
    (void)state;
    rejected(M("'grip_trials':24"), "measurements.grip_trials", "got a number");
    rejected(M("'grip_trials':{'a':1}"), "measurements.grip_trials", "got an object");
    rejected(M("'grip_trials':[20,true]"), "measurements.grip_trials[1]", "got true");
    rejected(M("'grip_trials':['abc']"), "measurements.grip_trials[0]", "\"abc\"");
}

static void empty_string_value_rejected(void **state)
{
    (void)state;
    rejected(M("'grip':''"), "measurements.grip", "0 to 100 kg");
}

/* ---- null, words, units ---------------------------------------------------- */

static void null_means_not_measured(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q(M("'grip':null,'gait_speed':null,'calf':null"));
    v = criterion(res, "ewgsop2", "low_grip");
    assert_int_equal(v.met, -1);
    assert_int_equal(v.has_value, 0);
    assert_string_equal(mt_result_category(res, "ewgsop2"), "insufficient_data");
    mt_result_free(res);
}

static void null_objects_mean_absent(void **state)
{
    (void)state;
    accepted("{" PERSON ",'measurements':null,'sarc_f':null,'setting':null}");
    accepted(M("'sppb':null,'walk':null,'bia':null,'grip_trials':null"));
    rejected("{'person':null}", "person.sex", "required"); /* null: sex and age absent */
}

static void person_sex_and_age_required(void **state)
{
    (void)state;
    rejected("{}", "person", "required");
    rejected("{'measurements':{'grip':24}}", "person", "required");
    rejected("{'person':{'age':70}}", "person.sex", "female, male");
    rejected("{'person':{'sex':'female'}}", "person.age", "18 to 120 years");
    rejected("{'person':{'sex':'female','age':null}}", "person.age", "required");
}

static void under_18_gets_a_clear_error(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'female','age':16}}", "person.age", "18 to 120 years");
}

static void chair_stand_unable_is_slow(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q(M("'chair_stand_5x':'unable'"));
    v = criterion(res, "ewgsop2", "slow_chair_stand");
    assert_int_equal(v.met, 1);
    assert_int_equal(v.has_value, 0);
    assert_string_equal(mt_result_category(res, "ewgsop2"), "probable");
    mt_result_free(res);
}

static void walk_400m_not_completed_is_slow(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q(M("'walk_400m':'not_completed'"));
    v = criterion(res, "ewgsop2", "slow_400m");
    assert_int_equal(v.met, 1);
    mt_result_free(res);
}

static void words_belong_to_their_fields(void **state)
{
    (void)state;
    rejected(M("'walk_400m':'unable'"), "measurements.walk_400m", "not_completed");
    rejected(M("'chair_stand_5x':'not_completed'"), "measurements.chair_stand_5x", "unable");
    rejected(M("'tug':'unable'"), "measurements.tug", "3 to 300 s");
    rejected(M("'gait_speed':'unable'"), "measurements.gait_speed", "0.05 to 3 m/s");
}

static void words_ignore_case_but_not_extra_text(void **state)
{
    (void)state;
    accepted(M("'chair_stand_5x':'Unable','walk_400m':'NOT_COMPLETED'"));
    rejected(M("'chair_stand_5x':'unable '"), "measurements.chair_stand_5x", "unable");
    rejected(M("'walk_400m':'not completed'"), "measurements.walk_400m", "not_completed");
}

static void unit_strings_are_converted(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q("{'person':{'sex':'male','age':70,'height':'5 ft 9 in','weight':'170 lb'},"
                   "'measurements':{'grip':'40 lb','gait_speed':'2.88 km/h'}}");
    v = criterion(res, "ewgsop2", "low_grip");
    assert_close(v.value, 18.1437, 1e-9); /* 40 x 0.45359237, to 4 decimals */
    v = criterion(res, "ewgsop2", "slow_gait");
    assert_close(v.value, 0.8, 1e-9);
    mt_result_free(res);
}

static void unit_string_out_of_range_shows_the_converted_value(void **state)
{
    (void)state;
    rejected(M("'grip':'250 lb'"), "measurements.grip", "(113.3981 kg)");
    rejected(M("'grip':'250 lb'"), "measurements.grip", "\"250 lb\"");
}

static void unit_of_the_wrong_kind_rejected(void **state)
{
    (void)state;
    rejected(M("'grip':'40 cm'"), "measurements.grip", "0 to 100 kg");
    rejected(M("'tug':'10 furlongs'"), "measurements.tug", "\"10 furlongs\"");
}

/* ---- SPPB forms ---------------------------------------------------------- */

static void sppb_items_accepted(void **state)
{
    mt_result *res;
    json_t *root;

    (void)state;
    res = assess_q(SPPB_ITEMS("3", "2", "1"));
    root = result_json(res);
    assert_close(json_at(root, "tests.sppb.total").num, 6, 0);
    json_decref(root);
    mt_result_free(res);
}

static void sppb_items_need_all_three(void **state)
{
    (void)state;
    rejected(M("'sppb':{'balance':2}"), "measurements.sppb.gait", "required");
    rejected(M("'sppb':{'balance':2,'gait':2}"), "measurements.sppb.chair", "required");
    rejected(M("'sppb':{'gait':2,'chair':2}"), "measurements.sppb.balance", "required");
}

static void sppb_total_accepted(void **state)
{
    (void)state;
    accepted(M("'sppb':{'total':7}"));
}

static void sppb_raw_times_are_scored(void **state)
{
    mt_result *res;
    json_t *root;

    (void)state;
    res = assess_q(SPPB_TIMES("10", "10", "6.5", "'walk_4m':5.0", "12.5"));
    root = result_json(res);
    assert_close(json_at(root, "tests.sppb.total").num, 9, 0);
    assert_close(json_at(root, "tests.sppb.walk_course_m").num, 4, 0);
    json_decref(root);
    mt_result_free(res);
}

static void sppb_raw_times_need_side_by_side(void **state)
{
    (void)state;
    rejected(M("'sppb':{'walk_4m':5,'chair_5x':12}"), "measurements.sppb.side_by_side", "required");
}

static void sppb_semi_tandem_needed_when_side_by_side_reached_10(void **state)
{
    (void)state;
    rejected(M("'sppb':{'side_by_side':10,'walk_4m':5,'chair_5x':12}"),
             "measurements.sppb.semi_tandem", "side_by_side reached 10 s");
    accepted(M("'sppb':{'side_by_side':9.5,'walk_4m':5,'chair_5x':12}"));
}

static void sppb_tandem_needed_when_semi_tandem_reached_10(void **state)
{
    (void)state;
    rejected(M("'sppb':{'side_by_side':10,'semi_tandem':10,'walk_4m':5,'chair_5x':12}"),
             "measurements.sppb.tandem", "semi_tandem reached 10 s");
    accepted(M("'sppb':{'side_by_side':10,'semi_tandem':7,'walk_4m':5,'chair_5x':12}"));
}

static void sppb_raw_times_need_a_walk(void **state)
{
    (void)state;
    rejected(M("'sppb':{'side_by_side':5,'chair_5x':12}"), "measurements.sppb.walk_4m", "walk_3m");
}

static void sppb_raw_times_need_chair_5x(void **state)
{
    (void)state;
    rejected(M("'sppb':{'side_by_side':5,'walk_4m':5}"), "measurements.sppb.chair_5x", "required");
}

static void sppb_walk_3m_course_is_recorded(void **state)
{
    mt_result *res;
    json_t *root;

    (void)state;
    res = assess_q(M("'sppb':{'side_by_side':5,'walk_3m':3,'chair_5x':12}"));
    root = result_json(res);
    assert_close(json_at(root, "tests.sppb.walk_course_m").num, 3, 0);
    json_decref(root);
    mt_result_free(res);
}

static void sppb_walk_4m_and_3m_together_rejected(void **state)
{
    (void)state;
    rejected(M("'sppb':{'side_by_side':5,'walk_4m':5,'walk_3m':3,'chair_5x':12}"),
             "measurements.sppb", "not both");
}

static void sppb_unable_words_accepted(void **state)
{
    (void)state;
    accepted(M("'sppb':{'side_by_side':3,'walk_4m':'unable','chair_5x':'unable'}"));
    accepted(M("'sppb':{'side_by_side':3,'walk_3m':'unable','chair_5x':20}"));
}

static void sppb_mixed_forms_rejected(void **state)
{
    (void)state;
    rejected(M("'sppb':{'balance':2,'gait':2,'chair':2,'total':6}"), "measurements.sppb",
             "not a mix");
    rejected(M("'sppb':{'total':6,'walk_4m':5}"), "measurements.sppb", "not a mix");
    rejected(M("'sppb':{'balance':2,'gait':2,'chair':2,'side_by_side':5,'walk_4m':5,"
               "'chair_5x':12}"),
             "measurements.sppb", "not a mix");
}

static void sppb_empty_object_rejected(void **state)
{
    (void)state;
    rejected(M("'sppb':{}"), "measurements.sppb", "empty");
}

/* ---- SARC-F ----------------------------------------------------------------- */

static void sarc_f_items_are_summed(void **state)
{
    mt_result *res;
    json_t *root;

    (void)state;
    res = assess_q(SARCF("1", "2", "0", "1", "1"));
    root = result_json(res);
    assert_close(json_at(root, "screening.sarc_f.score").num, 5, 0);
    json_decref(root);
    mt_result_free(res);
}

static void sarc_f_partial_items_rejected(void **state)
{
    (void)state;
    rejected("{" PERSON ",'sarc_f':{'strength':1,'walking':1}}", "sarc_f.chair",
             "required when any SARC-F item is given");
    rejected("{" PERSON ",'sarc_f':{'falls':2}}", "sarc_f.strength", "0 to 2");
    rejected(SARCF("1", "1", "1", "1", "null"), "sarc_f.falls", "required");
}

static void sarc_f_items_and_total_rejected(void **state)
{
    (void)state;
    rejected("{" PERSON ",'sarc_f':{'strength':1,'walking':1,'chair':1,'stairs':1,'falls':1,"
             "'total':5}}",
             "sarc_f", "not both");
}

static void sarc_f_total_alone_accepted(void **state)
{
    (void)state;
    accepted("{" PERSON ",'sarc_f':{'total':4}}");
}

/* An object given but holding nothing is a mistake, not "not measured". */
static void empty_objects_rejected(void **state)
{
    (void)state;
    rejected("{" PERSON ",'sarc_f':{}}", "sarc_f", "empty");
    rejected(M("'walk':{}"), "measurements.walk", "empty");
    rejected(MHW("'bia':{}"), "measurements.bia.resistance", "required");
    accepted("{" PERSON ",'measurements':{}}");
}

/* ---- grip trials ------------------------------------------------------------ */

static void grip_trials_maximum_counts(void **state)
{
    mt_result *res;
    mt_criterion_view v;

    (void)state;
    res = assess_q(M("'grip_trials':[24, 27.5, '60 lb', 26]"));
    v = criterion(res, "ewgsop2", "low_grip");
    assert_close(v.value, 27.5, 1e-12); /* 60 lb = 27.2155 kg < 27.5 */
    assert_int_equal(v.met, 0);
    mt_result_free(res);
}

static void grip_trials_empty_list_rejected(void **state)
{
    (void)state;
    rejected(M("'grip_trials':[]"), "measurements.grip_trials", "1 to 12 readings");
}

static void grip_trials_twelve_accepted_thirteen_rejected(void **state)
{
    (void)state;
    accepted(M("'grip_trials':[1,2,3,4,5,6,7,8,9,10,11,12]"));
    rejected(M("'grip_trials':[1,2,3,4,5,6,7,8,9,10,11,12,13]"), "measurements.grip_trials",
             "got 13");
}

static void grip_trials_null_reading_rejected(void **state)
{
    (void)state;
    rejected(M("'grip_trials':[20,null,22]"), "measurements.grip_trials[1]", "null");
}

static void grip_and_grip_trials_together_rejected(void **state)
{
    (void)state;
    rejected(M("'grip':24,'grip_trials':[24]"), "measurements.grip_trials", "not both");
    accepted(M("'grip':null,'grip_trials':[24]"));
}

/* ---- muscle mass ------------------------------------------------------------ */

static void asm_needs_asm_method(void **state)
{
    (void)state;
    rejected(MHW("'asm':20"), "measurements.asm_method", "dxa, bia");
}

static void asm_method_needs_asm(void **state)
{
    (void)state;
    rejected(MHW("'asm_method':'dxa'"), "measurements.asm", "3 to 60 kg");
}

static void asm_with_method_accepted(void **state)
{
    (void)state;
    accepted(MHW("'asm':20,'asm_method':'dxa'"));
    accepted(MHW("'asm':20,'asm_method':'bia'"));
}

static void bia_needs_resistance(void **state)
{
    (void)state;
    rejected(MHW("'bia':{'reactance':50}"), "measurements.bia.resistance", "200 to 1200 ohm");
}

static void bia_sergi2015_needs_reactance(void **state)
{
    (void)state;
    rejected(MHW("'bia':{'resistance':500}"), "measurements.bia.reactance", "sergi2015");
    rejected(MHW("'bia':{'resistance':500,'equation':'sergi2015'}"), "measurements.bia.reactance",
             "10 to 150 ohm");
}

static void bia_other_equations_need_no_reactance(void **state)
{
    (void)state;
    accepted(MHW("'bia':{'resistance':500,'equation':'kim2014'}"));
    accepted(MHW("'bia':{'resistance':500,'equation':'yoshida2014'}"));
}

static void bia_needs_height(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':70,'weight':70},"
             "'measurements':{'bia':{'resistance':500,'reactance':50}}}",
             "person.height", "100 to 230 cm");
}

static void bia_needs_weight_except_janssen2000(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':70,'height':170},"
             "'measurements':{'bia':{'resistance':500,'reactance':50}}}",
             "person.weight", "25 to 300 kg");
    accepted("{'person':{'sex':'male','age':70,'height':170},"
             "'measurements':{'bia':{'resistance':500,'equation':'janssen2000'}}}");
}

static void bia_and_asm_together_rejected(void **state)
{
    (void)state;
    rejected(MHW("'asm':20,'asm_method':'dxa','bia':{'resistance':500,'reactance':50}"),
             "measurements.bia", "not both");
}

static void bia_gives_the_asm(void **state)
{
    mt_result *res;
    mt_criterion_view v;
    double h2r = 170.0 * 170.0 / 500.0;

    (void)state;
    res = assess_q(MHW("'grip':20,'bia':{'resistance':500,'reactance':50}"));
    v = criterion(res, "ewgsop2", "low_asm");
    /* sergi2015: -3.964 + 0.227 h2/R + 0.095 weight + 1.384 sex + 0.064 Xc */
    assert_close(v.value, -3.964 + 0.227 * h2r + 0.095 * 70 + 1.384 + 0.064 * 50, 1e-4);
    mt_result_free(res);
}

/* ---- JSON syntax and bytes --------------------------------------------------- */

static void duplicate_keys_rejected(void **state)
{
    (void)state;
    rejected("{" PERSON "," PERSON "}", "person", "duplicate");
    rejected(M("'grip':24,'grip':25"), "measurements.grip", "duplicate");
    rejected("{'person':{'sex':'male','sex':'female','age':70}}", "person.sex", "duplicate");
}

static void empty_input_rejected(void **state)
{
    mt_input *in = (mt_input *)(uintptr_t)1;
    mt_error err;
    char one = '{';

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, &one, 0, &err), MT_EINVAL);
    assert_null(in);
    assert_string_equal(err.field, "");
    assert_one_line(&err);
    assert_mentions(&err, "empty");
    rejected("", "", "empty");
}

static void whitespace_only_rejected(void **state)
{
    (void)state;
    rejected(" \t\r\n  \n", "", "empty");
}

static void top_level_must_be_an_object(void **state)
{
    (void)state;
    rejected("["
             "{" PERSON "}"
             "]",
             "", "JSON object");
    rejected("'person'", "", "JSON object");
    rejected("42", "", "JSON object");
    rejected("null", "", "JSON object");
}

static void invalid_json_gives_position(void **state)
{
    (void)state;
    rejected("{'person':{'sex':'male','age':70}", "", "line 1");
    rejected("{'person':{'sex':'male','age':70}} {}", "", "invalid JSON");
    rejected("{'person':{'sex':'male','age':70,}}", "", "invalid JSON");
}

static void invalid_utf8_rejected(void **state)
{
    static const char doc[] = "{\"person\":{\"sex\":\"ma\xffle\",\"age\":70}}";
    static const char key[] = "{\"person\":{\"sex\":\"male\",\"age\":70},\"\xc3\x28\":1}";
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, doc, sizeof(doc) - 1, &err), MT_EINVAL);
    assert_null(in);
    assert_string_equal(err.field, "");
    assert_one_line(&err);
    assert_mentions(&err, "UTF-8");
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, key, sizeof(key) - 1, &err), MT_EINVAL);
    assert_mentions(&err, "UTF-8");
}

static void utf8_byte_order_mark_accepted(void **state)
{
    static const char doc[] = "\xEF\xBB\xBF{\"person\":{\"sex\":\"male\",\"age\":70}}";
    static const char bom_only[] = "\xEF\xBB\xBF";
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, doc, sizeof(doc) - 1, &err) != MT_OK)
        fail_msg("rejected: %s", err.message);
    mt_input_free(in);
    assert_int_equal(mt_input_parse_json(&in, bom_only, sizeof(bom_only) - 1, &err), MT_EINVAL);
    assert_null(in);
    assert_mentions(&err, "empty");
}

static void nan_and_infinity_literals_rejected(void **state)
{
    (void)state;
    rejected(M("'grip':NaN"), "", "invalid JSON");
    rejected(M("'grip':Infinity"), "", "invalid JSON");
    rejected(M("'grip':-Infinity"), "", "invalid JSON");
    rejected(M("'grip':1e400"), "measurements.grip", "\"1e400\" is too large, or too close");
    /* not 0, but below a normal double: not read as the 0 it would round to */
    rejected(M("'grip':1e-400"), "measurements.grip", "\"1e-400\" is too large, or too close");
    rejected(M("'grip':-1e-310"), "measurements.grip", "too close to 0 without being 0");
    rejected(M("'grip':'NaN'"), "measurements.grip", "0 to 100 kg");
    rejected(M("'grip':'inf'"), "measurements.grip", "0 to 100 kg");
}

/* `doc` padded with spaces to exactly `total` bytes, in a buffer of exactly that size. */
static char *padded(const char *doc, size_t total)
{
    char *j = jq(doc);
    size_t n = strlen(j);
    char *buf = malloc(total);

    assert_non_null(buf);
    assert_true(n <= total);
    memcpy(buf, j, n);
    memset(buf + n, ' ', total - n);
    free(j);
    return buf;
}

static void input_of_exactly_max_bytes_accepted(void **state)
{
    char *buf = padded(M("'grip':24"), MT_MAX_INPUT);
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, buf, MT_MAX_INPUT, &err) != MT_OK)
        fail_msg("rejected: %s", err.message);
    assert_non_null(in);
    mt_input_free(in);
    free(buf);
}

static void input_one_byte_over_max_is_too_big(void **state)
{
    char *buf = padded(M("'grip':24"), MT_MAX_INPUT + 1);
    mt_input *in = (mt_input *)(uintptr_t)1;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, buf, MT_MAX_INPUT + 1, &err), MT_ETOOBIG);
    assert_null(in);
    assert_int_equal(err.code, MT_ETOOBIG);
    assert_string_equal(err.field, "");
    assert_one_line(&err);
    assert_mentions(&err, "1 MiB");
    free(buf);
}

static void deep_nesting_rejected(void **state)
{
    const size_t depth = 100000;
    char *buf = malloc(depth * 2 + 16);
    size_t o = 0, i;
    mt_input *in = (mt_input *)(uintptr_t)1;
    mt_error err;

    (void)state;
    assert_non_null(buf);
    memcpy(buf, "{\"person\":", 10);
    o = 10;
    for (i = 0; i < depth; i++)
        buf[o++] = '[';
    for (i = 0; i < depth; i++)
        buf[o++] = ']';
    buf[o++] = '}';
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, buf, o, &err), MT_EINVAL);
    assert_null(in);
    assert_string_equal(err.field, "");
    assert_one_line(&err);
    assert_mentions(&err, "nested too deeply");
    free(buf);
}

/* Nesting within the parser's limit reaches the field tables. */
static void moderate_nesting_is_a_type_error(void **state)
{
    (void)state;
    rejected(M("'grip':[[[[[[[[[[[[[[[[[[[[24]]]]]]]]]]]]]]]]]]]]"), "measurements.grip",
             "got a list");
}

static void nul_byte_inside_buffer_rejected(void **state)
{
    static const char in_string[] = "{\"person\":{\"sex\":\"ma\0le\",\"age\":70}}";
    static const char after[] = "{\"person\":{\"sex\":\"male\",\"age\":70}}\0";
    static const char escaped[] = "{\"person\":{\"sex\":\"ma\\u0000le\",\"age\":70}}";
    const char *const docs[] = {in_string, after, escaped};
    const size_t lens[] = {sizeof(in_string) - 1, sizeof(after) - 1, sizeof(escaped) - 1};
    /* raw NUL bytes are bad JSON; an escaped one is valid JSON but no accepted word */
    const char *const fields[] = {"", "", "person.sex"};
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        mt_input *in = (mt_input *)(uintptr_t)1;
        mt_error err;
        memset(&err, 0, sizeof(err));
        if (mt_input_parse_json(&in, docs[i], lens[i], &err) != MT_EINVAL)
            fail_msg("document %zu with a NUL byte was not rejected", i);
        assert_null(in);
        assert_string_equal(err.field, fields[i]);
        assert_one_line(&err);
    }
}

/* Exactly len bytes, no terminator: ASan reports any read past the end. */
static void buffer_without_nul_terminator_parsed_to_len(void **state)
{
    char *j = jq(M("'grip':24,'calf':33.5"));
    size_t n = strlen(j);
    char *buf = malloc(n);
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    assert_non_null(buf);
    memcpy(buf, j, n);
    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, buf, n, &err) != MT_OK)
        fail_msg("rejected: %s", err.message);
    mt_input_free(in);

    /* and a failing document, so the error path reads no further either */
    memcpy(buf, j, n);
    buf[n - 1] = ' '; /* drop the closing brace */
    in = (mt_input *)(uintptr_t)1;
    assert_int_equal(mt_input_parse_json(&in, buf, n, &err), MT_EINVAL);
    assert_null(in);
    assert_one_line(&err);
    free(buf);
    free(j);
}

static void bytes_after_len_are_not_read(void **state)
{
    char *doc = jq(M("'grip':24"));
    size_t n = strlen(doc);
    char buf[256];
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    snprintf(buf, sizeof(buf), "%s} garbage [", doc);
    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, buf, n, &err) != MT_OK)
        fail_msg("rejected: %s", err.message);
    mt_input_free(in);
    free(doc);
}

static void trailing_text_within_len_rejected(void **state)
{
    (void)state;
    rejected(M("'grip':24") " x", "", "unexpected text after the document");
}

/* ---- the API around the parser ------------------------------------------------ */

static void failure_leaves_out_null(void **state)
{
    mt_input *in = (mt_input *)(uintptr_t)1;
    mt_error err;

    (void)state;
    assert_int_equal(parse_q(M("'grip':500"), &in, &err), MT_EINVAL);
    assert_null(in);
    assert_int_equal(parse_q("[", &in, &err), MT_EINVAL);
    assert_null(in);
    assert_int_equal(parse_q(M("'sppb':{}"), &in, &err), MT_EINVAL); /* a post-check */
    assert_null(in);
}

static void err_is_optional(void **state)
{
    mt_input *in = (mt_input *)(uintptr_t)1;
    char *doc = jq(M("'grip':500"));

    (void)state;
    assert_int_equal(mt_input_parse_json(&in, doc, strlen(doc), NULL), MT_EINVAL);
    assert_null(in);
    free(doc);
    doc = jq(M("'grip':50"));
    assert_int_equal(mt_input_parse_json(&in, doc, strlen(doc), NULL), MT_OK);
    mt_input_free(in);
    free(doc);
}

static void input_free_accepts_null(void **state)
{
    (void)state;
    mt_input_free(NULL);
}

static void full_document_accepted(void **state)
{
    (void)state;
    accepted("{'person':{'sex':'female','age':78,'height':158,'weight':61},"
             "'setting':'hospital',"
             "'sarc_f':{'strength':1,'walking':1,'chair':1,'stairs':2,'falls':1},"
             "'measurements':{'grip_trials':[14.5,15.0,'33 lb',13.8],'chair_stand_5x':16.4,"
             "'gait_speed':0.72,'tug':14.2,'walk_400m':410,'six_minute_walk':320,"
             "'sppb':{'side_by_side':10,'semi_tandem':10,'tandem':4.2,'walk_4m':6.1,"
             "'chair_5x':16.4},'calf':31.5,"
             "'bia':{'resistance':560,'reactance':52,'equation':'sergi2015'}}}");
}

/* A key with a control character (a JSON escape) must not break the message
 * into two lines: err.message is documented as one line, ready to print. */
static void key_with_control_character_gives_one_line_message(void **state)
{
    (void)state;
    {
        mt_input *in;
        mt_error err;
        assert_int_equal(parse_q("{" PERSON ",'a\\nb':1}", &in, &err), MT_EINVAL);
        assert_null(in);
        assert_one_line(&err);
        assert_null(strchr(err.field, '\n'));
    }
    {
        mt_input *in;
        mt_error err;
        assert_int_equal(parse_q(M("'gr\\nip':1"), &in, &err), MT_EINVAL);
        assert_one_line(&err);
    }
}

/* jansson's "near '...'" text quotes the raw token, which may end in a newline
 * (a backslash before a line break); the message must still be one line. */
static void json_syntax_error_gives_one_line_message(void **state)
{
    static const char doc[] = "{\"person\":{\"sex\":\"ma\\\nle\",\"age\":70}}";
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, doc, sizeof(doc) - 1, &err), MT_EINVAL);
    assert_null(in);
    assert_string_equal(err.field, "");
    assert_one_line(&err);
}

/* ---- runner ------------------------------------------------------------------ */

#define T(f) cmocka_unit_test(f)

static const struct CMUnitTest fixed_tests[] = {
    T(walk_distance_limits),
    T(walk_time_limits),
    T(walk_time_minimum_is_bounded_by_speed),
    T(walk_speed_checked_against_gait_limits),
    T(walk_gives_the_gait_speed),
    T(walk_needs_distance_and_time),
    T(gait_speed_and_walk_together_rejected),
    T(limits_apply_to_the_value_rounded_to_4_decimals),
    T(did_you_mean_grip),
    T(did_you_mean_age),
    T(did_you_mean_measurements_at_top_level),
    T(unknown_field_lists_accepted_names),
    T(grip_under_person_belongs_in_measurements),
    T(age_under_measurements_belongs_in_person),
    T(resistance_outside_bia_belongs_in_bia),
    T(quantity_of_wrong_type_names_the_type),
    T(age_takes_a_number_only),
    T(integer_item_of_wrong_type_rejected),
    T(integer_item_must_be_whole),
    T(enum_of_wrong_type_rejected),
    T(enum_unknown_word_rejected),
    T(enum_words_ignore_case),
    T(object_of_wrong_type_rejected),
    T(grip_trials_of_wrong_type_rejected),
    T(empty_string_value_rejected),
    T(null_means_not_measured),
    T(null_objects_mean_absent),
    T(person_sex_and_age_required),
    T(under_18_gets_a_clear_error),
    T(chair_stand_unable_is_slow),
    T(walk_400m_not_completed_is_slow),
    T(words_belong_to_their_fields),
    T(words_ignore_case_but_not_extra_text),
    T(unit_strings_are_converted),
    T(unit_string_out_of_range_shows_the_converted_value),
    T(unit_of_the_wrong_kind_rejected),
    T(sppb_items_accepted),
    T(sppb_items_need_all_three),
    T(sppb_total_accepted),
    T(sppb_raw_times_are_scored),
    T(sppb_raw_times_need_side_by_side),
    T(sppb_semi_tandem_needed_when_side_by_side_reached_10),
    T(sppb_tandem_needed_when_semi_tandem_reached_10),
    T(sppb_raw_times_need_a_walk),
    T(sppb_raw_times_need_chair_5x),
    T(sppb_walk_3m_course_is_recorded),
    T(sppb_walk_4m_and_3m_together_rejected),
    T(sppb_unable_words_accepted),
    T(sppb_mixed_forms_rejected),
    T(sppb_empty_object_rejected),
    T(sarc_f_items_are_summed),
    T(sarc_f_partial_items_rejected),
    T(sarc_f_items_and_total_rejected),
    T(sarc_f_total_alone_accepted),
    T(empty_objects_rejected),
    T(grip_trials_maximum_counts),
    T(grip_trials_empty_list_rejected),
    T(grip_trials_twelve_accepted_thirteen_rejected),
    T(grip_trials_null_reading_rejected),
    T(grip_and_grip_trials_together_rejected),
    T(asm_needs_asm_method),
    T(asm_method_needs_asm),
    T(asm_with_method_accepted),
    T(bia_needs_resistance),
    T(bia_sergi2015_needs_reactance),
    T(bia_other_equations_need_no_reactance),
    T(bia_needs_height),
    T(bia_needs_weight_except_janssen2000),
    T(bia_and_asm_together_rejected),
    T(bia_gives_the_asm),
    T(duplicate_keys_rejected),
    T(empty_input_rejected),
    T(whitespace_only_rejected),
    T(top_level_must_be_an_object),
    T(invalid_json_gives_position),
    T(invalid_utf8_rejected),
    T(utf8_byte_order_mark_accepted),
    T(nan_and_infinity_literals_rejected),
    T(input_of_exactly_max_bytes_accepted),
    T(input_one_byte_over_max_is_too_big),
    T(deep_nesting_rejected),
    T(moderate_nesting_is_a_type_error),
    T(nul_byte_inside_buffer_rejected),
    T(buffer_without_nul_terminator_parsed_to_len),
    T(bytes_after_len_are_not_read),
    T(trailing_text_within_len_rejected),
    T(failure_leaves_out_null),
    T(err_is_optional),
    T(input_free_accepts_null),
    T(full_document_accepted),
    T(key_with_control_character_gives_one_line_message),
    T(json_syntax_error_gives_one_line_message),
};

#define N_FIXED  (sizeof(fixed_tests) / sizeof(fixed_tests[0]))
#define N_RANGES (sizeof(ranges) / sizeof(ranges[0]))

int main(void)
{
    /* One named test per §2 field: "limit_person_age", "limit_measurements_sppb_tandem"... */
    static char names[N_RANGES][80];
    static struct CMUnitTest tests[N_FIXED + N_RANGES];
    size_t i, n = 0;

    for (i = 0; i < N_RANGES; i++) {
        char *c;
        snprintf(names[i], sizeof(names[i]), "limit_%s", ranges[i].path);
        for (c = names[i]; *c; c++)
            if (*c == '.' || *c == '[' || *c == ']')
                *c = '_';
        tests[n].name = names[i];
        tests[n].test_func = limit_accepted_and_rejected;
        tests[n].setup_func = NULL;
        tests[n].teardown_func = NULL;
        tests[n].initial_state = (void *)(uintptr_t)&ranges[i];
        n++;
    }
    for (i = 0; i < N_FIXED; i++)
        tests[n++] = fixed_tests[i];
    return _cmocka_run_group_tests("document", tests, n, NULL, NULL);
}
