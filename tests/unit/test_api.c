/*
 * test_api.c - the public API as a contract: NULL arguments, the _free
 * functions, version and disclaimer, categories and criteria by id, the
 * rendered buffers (NUL-terminated, len == strlen), the JSON keys of
 * docs/output.md, the text report's frame, determinism, and thread safety
 * (four threads parsing, assessing and rendering at once must produce the
 * same bytes as one thread does).
 *
 * mt_quantity_parse has its own suite (test_units.c); the document parser
 * has test_document.c.
 */
#include "testutil.h"
#include "testjson.h"

#include "definitions/definition.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- documents ---------------------------------------------------------- */

/* Every measurement the engine takes, BIA for the mass. */
static const char doc_full[] =
    "{\"person\":{\"sex\":\"female\",\"age\":78,\"height\":158,\"weight\":61},"
    "\"setting\":\"hospital\","
    "\"sarc_f\":{\"strength\":1,\"walking\":1,\"chair\":1,\"stairs\":2,\"falls\":1},"
    "\"measurements\":{\"grip_trials\":[14.5,15.0,\"33 lb\",13.8],\"chair_stand_5x\":16.4,"
    "\"gait_speed\":0.72,\"tug\":14.2,\"walk_400m\":410,\"six_minute_walk\":320,"
    "\"sppb\":{\"side_by_side\":10,\"semi_tandem\":10,\"tandem\":4.2,\"walk_4m\":6.1,"
    "\"chair_5x\":16.4},\"calf\":31.5,"
    "\"bia\":{\"resistance\":560,\"reactance\":52,\"equation\":\"sergi2015\"}}}";

/* The README's man: probable sarcopenia under EWGSOP2. */
static const char doc_probable[] =
    "{\"person\":{\"sex\":\"male\",\"age\":76,\"height\":175,\"weight\":78},"
    "\"measurements\":{\"grip\":24,\"asm\":22.7,\"asm_method\":\"dxa\"}}";

static const char doc_minimal[] = "{\"person\":{\"sex\":\"female\",\"age\":70}}";

static const char doc_severe[] =
    "{\"person\":{\"sex\":\"male\",\"age\":84,\"height\":\"5 ft 8 in\",\"weight\":\"150 lb\"},"
    "\"sarc_f\":{\"total\":7},"
    "\"measurements\":{\"grip\":\"40 lb\",\"walk\":{\"distance\":\"13 ft\",\"time\":7.5},"
    "\"chair_stand_5x\":\"unable\",\"walk_400m\":\"not_completed\","
    "\"sppb\":{\"balance\":1,\"gait\":1,\"chair\":0},\"asm\":16.1,\"asm_method\":\"dxa\","
    "\"calf\":\"12 in\"}}";

static const char doc_janssen[] =
    "{\"person\":{\"sex\":\"male\",\"age\":67,\"height\":180},"
    "\"measurements\":{\"grip\":38,\"gait_speed\":1.2,"
    "\"bia\":{\"resistance\":480,\"equation\":\"janssen2000\"},"
    "\"sppb\":{\"side_by_side\":10,\"semi_tandem\":8,\"walk_3m\":3.1,\"chair_5x\":11}}}";

static const char *const documents[] = {doc_full, doc_probable, doc_minimal, doc_severe,
                                        doc_janssen};
#define N_DOCS (sizeof(documents) / sizeof(documents[0]))

static const char *const definition_ids[] = {"ewgsop2", "awgs2019", "fnih", "sdoc", "ewgsop1"};
#define N_DEFS (sizeof(definition_ids) / sizeof(definition_ids[0]))

/* ---- helpers -------------------------------------------------------------- */

static mt_input *parse(const char *doc)
{
    mt_input *in = NULL;
    mt_error err;

    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, doc, strlen(doc), &err) != MT_OK)
        fail_msg("document rejected: %s", err.message);
    return in;
}

static mt_result *assess(const char *doc)
{
    mt_input *in = parse(doc);
    mt_result *res = NULL;

    assert_int_equal(mt_assess(&res, in, NULL), MT_OK);
    assert_non_null(res);
    mt_input_free(in);
    return res;
}

static char *render_json(const mt_result *res, size_t *len)
{
    char *out = NULL;

    assert_int_equal(mt_result_render_json(res, &out, len), MT_OK);
    assert_non_null(out);
    return out;
}

static char *render_text(const mt_result *res, unsigned flags, size_t *len)
{
    char *out = NULL;

    assert_int_equal(mt_result_render_text(res, flags, &out, len), MT_OK);
    assert_non_null(out);
    return out;
}

/* A scalar of the JSON output, failing the test if it is missing or of another type. */
static jv must(json_t *root, const char *path, int type)
{
    jv v = json_at(root, path);

    if (v.type != type)
        fail_msg("JSON output: %s has type %d, expected %d (0 missing, 1 null, 3 number, 4 "
                 "string)",
                 path, v.type, type);
    return v;
}

/* An object or list member of the output, by one key. */
static json_t *member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        fail_msg("JSON output lacks %s", key);
    return v;
}

static json_t *load_json(const char *text, size_t len)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

    if (!root)
        fail_msg("output is not JSON: line %d: %s", je.line, je.text);
    return root;
}

/* ---- version and disclaimer ----------------------------------------------- */

static void version_is_major_minor_patch(void **state)
{
    const char *v = mt_version();
    int parts = 0;

    (void)state;
    assert_non_null(v);
    while (*v) {
        if (!isdigit((unsigned char)*v))
            fail_msg("version \"%s\" is not digits.digits.digits", mt_version());
        while (isdigit((unsigned char)*v))
            v++;
        parts++;
        if (*v == '.' && parts < 3)
            v++;
        else
            break;
    }
    assert_int_equal(parts, 3);
    assert_int_equal(*v, '\0');
#ifdef MT_VERSION
    assert_string_equal(mt_version(), MT_VERSION);
#endif
}

static void disclaimer_is_one_line(void **state)
{
    const char *d = mt_disclaimer();

    (void)state;
    assert_non_null(d);
    assert_true(strlen(d) > 20);
    assert_null(strchr(d, '\n'));
    assert_null(strchr(d, '\r'));
    assert_non_null(strstr(d, "not diagnose"));
}

/* ---- NULL arguments ---------------------------------------------------------- */

static void parse_null_out_is_usage_error(void **state)
{
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(NULL, doc_minimal, strlen(doc_minimal), &err), MT_EUSAGE);
    assert_int_equal(mt_input_parse_json(NULL, doc_minimal, strlen(doc_minimal), NULL), MT_EUSAGE);
}

static void parse_null_json_is_usage_error(void **state)
{
    mt_input *in = (mt_input *)(uintptr_t)1;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, NULL, 10, &err), MT_EUSAGE);
    assert_int_equal(mt_input_parse_json(&in, NULL, 10, NULL), MT_EUSAGE);
    /* NULL with no bytes is an empty document: an error, never a crash */
    in = (mt_input *)(uintptr_t)1;
    assert_true(mt_input_parse_json(&in, NULL, 0, &err) < 0);
    assert_null(in);
}

/* The header: "out ... set to NULL on failure" - a usage error is a failure. */
static void parse_usage_error_sets_out_to_null(void **state)
{
    mt_input *in = (mt_input *)(uintptr_t)1;
    int rc;

    (void)state;
    rc = mt_input_parse_json(&in, NULL, 10, NULL);
    if (rc != MT_EUSAGE || in != NULL)
        fail_msg("mt_input_parse_json(&in, NULL, 10, NULL): rc %d, *out %p; expected "
                 "MT_EUSAGE and *out NULL",
                 rc, (void *)in);
}

/* The header: "err optional; filled on failure" - a usage error is a failure. */
static void parse_usage_error_fills_err(void **state)
{
    mt_input *in = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_input_parse_json(&in, NULL, 10, &err), MT_EUSAGE);
    if (err.code != MT_EUSAGE || !err.message[0])
        fail_msg("mt_input_parse_json(&in, NULL, 10, &err): err.code %d, message \"%s\"; "
                 "expected MT_EUSAGE (-4) and a message",
                 err.code, err.message);
}

static void assess_null_arguments_are_usage_errors(void **state)
{
    mt_input *in = parse(doc_minimal);
    mt_result *res = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_assess(NULL, in, &err), MT_EUSAGE);
    assert_int_equal(mt_assess(&res, NULL, &err), MT_EUSAGE);
    assert_null(res);
    assert_int_equal(mt_assess(NULL, NULL, NULL), MT_EUSAGE);
    mt_input_free(in);
}

/* Like mt_quantity_parse, which names the NULL argument in err->message. */
static void assess_usage_error_fills_err(void **state)
{
    mt_result *res = NULL;
    mt_error err;

    (void)state;
    memset(&err, 0, sizeof(err));
    assert_int_equal(mt_assess(&res, NULL, &err), MT_EUSAGE);
    if (err.code != MT_EUSAGE || !err.message[0])
        fail_msg("mt_assess(&res, NULL, &err): err.code %d, message \"%s\"; expected "
                 "MT_EUSAGE (-4) and a message",
                 err.code, err.message);
}

static void render_null_arguments_are_usage_errors(void **state)
{
    mt_result *res = assess(doc_minimal);
    char *out = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(mt_result_render_json(NULL, &out, &len), MT_EUSAGE);
    assert_int_equal(mt_result_render_json(res, NULL, &len), MT_EUSAGE);
    assert_int_equal(mt_result_render_text(NULL, 0, &out, &len), MT_EUSAGE);
    assert_int_equal(mt_result_render_text(res, 0, NULL, &len), MT_EUSAGE);
    assert_null(out);
    mt_result_free(res);
}

static void category_with_null_arguments_is_null(void **state)
{
    mt_result *res = assess(doc_minimal);

    (void)state;
    assert_null(mt_result_category(NULL, "ewgsop2"));
    assert_null(mt_result_category(res, NULL));
    mt_result_free(res);
}

static void criterion_null_result_or_out_is_usage_error(void **state)
{
    mt_result *res = assess(doc_probable);
    mt_criterion_view v;
    int no_result, no_out;

    (void)state;
    no_result = mt_result_criterion(NULL, "ewgsop2", "low_grip", &v);
    no_out = mt_result_criterion(res, "ewgsop2", "low_grip", NULL);
    mt_result_free(res);
    if (no_result != MT_EUSAGE || no_out != MT_EUSAGE)
        fail_msg("mt_result_criterion: NULL result gives %d, NULL out gives %d; expected "
                 "MT_EUSAGE (-4) for both",
                 no_result, no_out);
}

static void criterion_null_ids_are_errors(void **state)
{
    mt_result *res = assess(doc_probable);
    mt_criterion_view v;

    (void)state;
    assert_true(mt_result_criterion(res, NULL, "low_grip", &v) < 0);
    assert_true(mt_result_criterion(res, "ewgsop2", NULL, &v) < 0);
    mt_result_free(res);
}

static void rule_tables_null_and_out_of_range(void **state)
{
    mt_rule_view v;

    (void)state;
    assert_true(mt_rule_count() > 0);
    assert_int_equal(mt_rule_at(0, NULL), MT_EUSAGE);
    assert_int_equal(mt_rule_at(mt_rule_count(), &v), MT_EINVAL);
    assert_int_equal(mt_rule_at((size_t)-1, &v), MT_EINVAL);
    assert_null(mt_source_citation(NULL));
    assert_null(mt_source_citation("NOPE"));
}

static void every_free_accepts_null(void **state)
{
    (void)state;
    mt_input_free(NULL);
    mt_result_free(NULL);
    mt_free(NULL);
}

/* ---- categories and criteria ------------------------------------------------- */

static void every_definition_has_a_category(void **state)
{
    size_t d, i;

    (void)state;
    for (i = 0; i < N_DOCS; i++) {
        mt_result *res = assess(documents[i]);
        for (d = 0; d < N_DEFS; d++) {
            const char *c = mt_result_category(res, definition_ids[d]);
            if (!c || !c[0])
                fail_msg("document %zu: no category for %s", i, definition_ids[d]);
        }
        assert_null(mt_result_category(res, "nope"));
        assert_null(mt_result_category(res, ""));
        assert_null(mt_result_category(res, "EWGSOP2")); /* ids are lower case */
        mt_result_free(res);
    }
}

static void categories_of_the_probable_man(void **state)
{
    mt_result *res = assess(doc_probable);

    (void)state;
    assert_string_equal(mt_result_category(res, "ewgsop2"), "probable");
    mt_result_free(res);
}

static void criterion_unknown_ids_are_einval(void **state)
{
    mt_result *res = assess(doc_probable);
    mt_criterion_view v;

    (void)state;
    assert_int_equal(mt_result_criterion(res, "nope", "low_grip", &v), MT_EINVAL);
    assert_int_equal(mt_result_criterion(res, "ewgsop2", "nope", &v), MT_EINVAL);
    assert_int_equal(mt_result_criterion(res, "sdoc", "low_asmi", &v), MT_EINVAL);
    assert_int_equal(mt_result_criterion(res, "", "", &v), MT_EINVAL);
    mt_result_free(res);
}

static void criterion_view_carries_the_evidence(void **state)
{
    mt_result *res = assess(doc_probable);
    mt_criterion_view v;

    (void)state;
    memset(&v, 0, sizeof(v));
    assert_int_equal(mt_result_criterion(res, "ewgsop2", "low_grip", &v), MT_OK);
    assert_int_equal(v.met, 1);
    assert_int_equal(v.has_value, 1);
    assert_close(v.value, 24, 1e-12);
    assert_string_equal(v.op, "<");
    assert_close(v.threshold, 27, 1e-12);
    assert_close(v.threshold_high, v.threshold, 0);
    assert_string_equal(v.unit, "kg");
    assert_string_equal(v.source, "EWGSOP2");
    assert_string_equal(v.status, "confirmed");
    assert_non_null(mt_source_citation(v.source));
    mt_result_free(res);
}

static void criterion_view_between(void **state)
{
    mt_result *res = assess(doc_full); /* a woman, grip 15.2 */
    mt_criterion_view v;

    (void)state;
    assert_int_equal(mt_result_criterion(res, "fnih", "intermediate_grip", &v), MT_OK);
    assert_string_equal(v.op, "between");
    assert_close(v.threshold, 16, 1e-12);
    assert_close(v.threshold_high, 20, 1e-12);
    assert_int_equal(v.met, 0);
    mt_result_free(res);
}

static void criterion_not_measured_is_unknown(void **state)
{
    mt_result *res = assess(doc_minimal);
    mt_criterion_view v;

    (void)state;
    assert_int_equal(mt_result_criterion(res, "ewgsop2", "low_grip", &v), MT_OK);
    assert_int_equal(v.met, -1);
    assert_int_equal(v.has_value, 0);
    mt_result_free(res);
}

static void every_rule_row_is_complete_and_cited(void **state)
{
    size_t i, n = mt_rule_count();

    (void)state;
    for (i = 0; i < n; i++) {
        mt_rule_view r;
        assert_int_equal(mt_rule_at(i, &r), MT_OK);
        assert_true(r.definition && r.definition[0]);
        assert_true(r.criterion && r.criterion[0]);
        assert_true(r.measure && r.measure[0]);
        assert_true(r.op && r.op[0]);
        assert_true(r.unit && r.unit[0]);
        assert_non_null(r.condition);
        assert_true(!strcmp(r.sex, "male") || !strcmp(r.sex, "female") || !strcmp(r.sex, "any"));
        assert_true(!strcmp(r.status, "confirmed") || !strcmp(r.status, "to_confirm") ||
                    !strcmp(r.status, "convention"));
        if (!mt_source_citation(r.source))
            fail_msg("row %zu (%s.%s) cites unknown source %s", i, r.definition, r.criterion,
                     r.source);
    }
}

/* ---- rendering ----------------------------------------------------------------- */

static void rendered_buffers_are_nul_terminated(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_DOCS; i++) {
        mt_result *res = assess(documents[i]);
        size_t len = 0;
        char *j = render_json(res, &len);
        assert_int_equal(len, strlen(j));
        mt_free(j);
        j = render_text(res, 0, &len);
        assert_int_equal(len, strlen(j));
        mt_free(j);
        j = render_text(res, MT_TEXT_COLOR, &len);
        assert_int_equal(len, strlen(j));
        mt_free(j);
        j = render_json(res, NULL); /* len may be NULL */
        mt_free(j);
        mt_result_free(res);
    }
}

static void json_has_the_contract_keys(void **state)
{
    static const char *const numbers[] = {
        "screening.sarc_f.score", "tests.sppb.total", "tests.six_minute_walk.predicted",
        "tests.gait_speed",       "tests.bmi",        "tests.asmi",
        "tests.alm_bmi",
    };
    static const char *const strings[] = {"engine.version", "disclaimer", "tests.grip.centile_band",
                                          "tests.asm.method", "input.person.sex"};
    mt_result *res = assess(doc_full);
    size_t len, i;
    char *out = render_json(res, &len);
    json_t *root = load_json(out, len);

    (void)state;
    for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        must(root, numbers[i], JV_NUM);
    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        must(root, strings[i], JV_STR);
    assert_string_equal(must(root, "engine.version", JV_STR).str, mt_version());
    assert_string_equal(json_string_value(member(root, "disclaimer")), mt_disclaimer());
    assert_string_equal(must(root, "tests.asm.method", JV_STR).str, "bia");
    assert_string_equal(must(root, "input.person.sex", JV_STR).str, "female");
    for (i = 0; i < N_DEFS; i++) {
        json_t *def = member(member(root, "definitions"), definition_ids[i]);
        assert_true(json_is_string(json_object_get(def, "category")));
        assert_string_equal(json_string_value(json_object_get(def, "category")),
                            mt_result_category(res, definition_ids[i]));
        assert_true(json_is_array(json_object_get(def, "missing")));
        assert_true(json_is_object(json_object_get(def, "criteria")));
        assert_true(json_object_size(json_object_get(def, "criteria")) > 0);
    }
    json_decref(root);
    mt_free(out);
    mt_result_free(res);
}

/* Not measured is null, never 0. */
static void json_unmeasured_values_are_null(void **state)
{
    static const char *const nulls[] = {"tests.gait_speed", "tests.bmi", "tests.asmi",
                                        "input.person.height"};
    mt_result *res = assess(doc_minimal);
    size_t len, i;
    char *out = render_json(res, &len);
    json_t *root = load_json(out, len);

    (void)state;
    for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        must(root, nulls[i], JV_NULL);
    assert_string_equal(must(root, "definitions.ewgsop2.category", JV_STR).str,
                        "insufficient_data");
    assert_true(json_array_size(member(member(member(root, "definitions"), "ewgsop2"), "missing")) >
                0);
    json_decref(root);
    mt_free(out);
    mt_result_free(res);
}

static void every_document_renders_valid_json(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_DOCS; i++) {
        mt_result *res = assess(documents[i]);
        size_t len;
        char *out = render_json(res, &len);
        json_decref(load_json(out, len));
        mt_free(out);
        mt_result_free(res);
    }
}

static void text_report_frame(void **state)
{
    mt_result *res = assess(doc_full);
    char *out = NULL;
    const char *nl;
    char first[256];
    size_t n;

    (void)state;
    assert_int_equal(mt_result_render_text(res, 0, &out, NULL), MT_OK);
    nl = strchr(out, '\n');
    assert_non_null(nl);
    n = (size_t)(nl - out);
    assert_true(n < sizeof(first));
    memcpy(first, out, n);
    first[n] = '\0';
    if (!strstr(first, "myotrack"))
        fail_msg("first line \"%s\" lacks \"myotrack\"", first);
    {
        /* the disclaimer is a line of its own */
        const char *d = strstr(out, mt_disclaimer());
        assert_non_null(d);
        assert_true(d == out || d[-1] == '\n');
        assert_int_equal(d[strlen(mt_disclaimer())], '\n');
    }
    assert_non_null(strstr(out, "SOURCES"));
    assert_null(strchr(out, '\x1b'));
    mt_free(out);
    mt_result_free(res);
}

static void text_colour_only_when_asked(void **state)
{
    mt_result *res = assess(doc_full);
    char *out = render_text(res, MT_TEXT_COLOR, NULL);

    (void)state;
    assert_non_null(strstr(out, "\x1b["));
    assert_non_null(strstr(out, mt_disclaimer()));
    mt_free(out);
    mt_result_free(res);
}

static void output_is_deterministic(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_DOCS; i++) {
        mt_result *a = assess(documents[i]), *b = assess(documents[i]);
        size_t la, lb;
        char *ja = render_json(a, &la), *jb = render_json(b, &lb);
        char *ta, *tb;
        assert_int_equal(la, lb);
        assert_memory_equal(ja, jb, la);
        mt_free(ja);
        mt_free(jb);
        ta = render_text(a, 0, &la);
        tb = render_text(b, 0, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ta, tb, la);
        mt_free(ta);
        mt_free(tb);
        /* and rendering the same result twice */
        ja = render_json(a, &la);
        jb = render_json(a, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ja, jb, la);
        mt_free(ja);
        mt_free(jb);
        mt_result_free(a);
        mt_result_free(b);
    }
}

/* The result keeps what it needs: the input may be freed first. */
static void result_outlives_its_input(void **state)
{
    mt_input *in = parse(doc_full);
    mt_result *res = NULL, *ref = assess(doc_full);
    size_t la, lb;
    char *a, *b;

    (void)state;
    assert_int_equal(mt_assess(&res, in, NULL), MT_OK);
    mt_input_free(in);
    a = render_json(res, &la);
    b = render_json(ref, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    mt_free(a);
    mt_free(b);
    mt_result_free(res);
    mt_result_free(ref);
}

/* ---- threads ------------------------------------------------------------------ */

#define N_THREADS  4
#define PER_THREAD 2000

typedef struct reference {
    char *json, *text;
    size_t json_len, text_len;
} reference;

typedef struct worker {
    int id;
    const reference *ref;        /* one per document */
    const mt_input *shared_in;   /* read by every thread at once */
    const mt_result *shared_res; /* likewise */
    const reference *shared_ref; /* what shared_in renders to */
    long mismatches, failures;
    char first_problem[160];
} worker;

static void note(worker *w, const char *what, size_t doc)
{
    if (!w->first_problem[0])
        snprintf(w->first_problem, sizeof(w->first_problem), "thread %d: %s (document %zu)", w->id,
                 what, doc);
}

static int same(const char *a, size_t la, const char *b, size_t lb)
{
    return la == lb && memcmp(a, b, la) == 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    int i;

    for (i = 0; i < PER_THREAD; i++) {
        size_t d = (size_t)(i + w->id) % N_DOCS;
        const reference *r = &w->ref[d];
        mt_input *in = NULL;
        mt_result *res = NULL;
        char *json = NULL, *text = NULL;
        size_t jl = 0, tl = 0;

        if (mt_input_parse_json(&in, documents[d], strlen(documents[d]), NULL) != MT_OK ||
            mt_assess(&res, in, NULL) != MT_OK || mt_result_render_json(res, &json, &jl) != MT_OK ||
            mt_result_render_text(res, 0, &text, &tl) != MT_OK) {
            w->failures++;
            note(w, "a call failed", d);
        } else {
            if (!same(json, jl, r->json, r->json_len)) {
                w->mismatches++;
                note(w, "JSON differs", d);
            }
            if (!same(text, tl, r->text, r->text_len)) {
                w->mismatches++;
                note(w, "text differs", d);
            }
        }
        mt_free(json);
        mt_free(text);
        mt_result_free(res);
        mt_input_free(in);

        /* the const objects every thread reads at once */
        if (i % 8 == 0) {
            res = NULL;
            json = NULL;
            if (mt_assess(&res, w->shared_in, NULL) != MT_OK ||
                mt_result_render_json(res, &json, &jl) != MT_OK ||
                !same(json, jl, w->shared_ref->json, w->shared_ref->json_len)) {
                w->mismatches++;
                note(w, "shared input gave other bytes", 0);
            }
            mt_free(json);
            mt_result_free(res);
            json = NULL;
            if (mt_result_render_json(w->shared_res, &json, &jl) != MT_OK ||
                !same(json, jl, w->shared_ref->json, w->shared_ref->json_len)) {
                w->mismatches++;
                note(w, "shared result rendered other bytes", 0);
            }
            mt_free(json);
        }
    }
    return NULL;
}

static void threads_give_the_single_threaded_bytes(void **state)
{
    reference ref[N_DOCS];
    worker w[N_THREADS];
    pthread_t t[N_THREADS];
    mt_input *shared_in = parse(documents[0]);
    mt_result *shared_res = NULL;
    size_t d;
    int i;

    (void)state;
    for (d = 0; d < N_DOCS; d++) {
        mt_result *res = assess(documents[d]);
        ref[d].json = render_json(res, &ref[d].json_len);
        ref[d].text = render_text(res, 0, &ref[d].text_len);
        mt_result_free(res);
    }
    assert_int_equal(mt_assess(&shared_res, shared_in, NULL), MT_OK);

    for (i = 0; i < N_THREADS; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].id = i;
        w[i].ref = ref;
        w[i].shared_in = shared_in;
        w[i].shared_res = shared_res;
        w[i].shared_ref = &ref[0];
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);

    for (d = 0; d < N_DOCS; d++) {
        mt_free(ref[d].json);
        mt_free(ref[d].text);
    }
    mt_result_free(shared_res);
    mt_input_free(shared_in);
    for (i = 0; i < N_THREADS; i++)
        if (w[i].mismatches || w[i].failures)
            fail_msg("%ld mismatches, %ld failures; first: %s", w[i].mismatches, w[i].failures,
                     w[i].first_problem);
}

/* The engine reads definitions by position (DEF_* in definition.h): the
 * registry's order must match, and every id must answer a category. */
static void definition_positions_match_the_registry(void **state)
{
    static const char *const ids[] = {"ewgsop2",    "awgs2019",  "fnih", "sdoc", "ewgsop1",
                                      "fearon2011", "evans2008", "glim"};
    const char *doc = "{\"person\": {\"sex\": \"female\", \"age\": 70}}";
    mt_input *in = NULL;
    mt_result *res = NULL;
    size_t i;

    (void)state;
    assert_int_equal(sizeof(ids) / sizeof(ids[0]), DEF_N);
    for (i = 0; i < DEF_N; i++)
        assert_string_equal(mt_definitions[i]->id, ids[i]);
    assert_int_equal(mt_n_definitions, DEF_N);
    assert_int_equal(mt_input_parse_json(&in, doc, strlen(doc), NULL), MT_OK);
    assert_int_equal(mt_assess(&res, in, NULL), MT_OK);
    for (i = 0; i < DEF_N; i++)
        assert_non_null(mt_result_category(res, ids[i]));
    mt_result_free(res);
    mt_input_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_is_major_minor_patch),
        cmocka_unit_test(disclaimer_is_one_line),
        cmocka_unit_test(parse_null_out_is_usage_error),
        cmocka_unit_test(parse_null_json_is_usage_error),
        cmocka_unit_test(parse_usage_error_sets_out_to_null),
        cmocka_unit_test(parse_usage_error_fills_err),
        cmocka_unit_test(assess_null_arguments_are_usage_errors),
        cmocka_unit_test(assess_usage_error_fills_err),
        cmocka_unit_test(render_null_arguments_are_usage_errors),
        cmocka_unit_test(category_with_null_arguments_is_null),
        cmocka_unit_test(criterion_null_result_or_out_is_usage_error),
        cmocka_unit_test(criterion_null_ids_are_errors),
        cmocka_unit_test(rule_tables_null_and_out_of_range),
        cmocka_unit_test(every_free_accepts_null),
        cmocka_unit_test(every_definition_has_a_category),
        cmocka_unit_test(categories_of_the_probable_man),
        cmocka_unit_test(criterion_unknown_ids_are_einval),
        cmocka_unit_test(criterion_view_carries_the_evidence),
        cmocka_unit_test(criterion_view_between),
        cmocka_unit_test(criterion_not_measured_is_unknown),
        cmocka_unit_test(every_rule_row_is_complete_and_cited),
        cmocka_unit_test(rendered_buffers_are_nul_terminated),
        cmocka_unit_test(json_has_the_contract_keys),
        cmocka_unit_test(json_unmeasured_values_are_null),
        cmocka_unit_test(every_document_renders_valid_json),
        cmocka_unit_test(text_report_frame),
        cmocka_unit_test(text_colour_only_when_asked),
        cmocka_unit_test(output_is_deterministic),
        cmocka_unit_test(result_outlives_its_input),
        cmocka_unit_test(threads_give_the_single_threaded_bytes),
        cmocka_unit_test(definition_positions_match_the_registry),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
