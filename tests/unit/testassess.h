/*
 * testassess.h - assess a document through the public API and read the JSON
 * output back with jansson: shared by the plan and care-definition suites.
 * Outputs are held until the test's teardown (release_outputs), so a failing
 * assertion leaks nothing.
 */
#ifndef MT_TESTASSESS_H
#define MT_TESTASSESS_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"

#define DOC_MAX 4096

/*
 * Every output assessed during a test is also held here, so that a failing test (cmocka
 * leaves the test function with longjmp) leaks nothing: the teardown drops these.
 */
#define MAX_LIVE 64
static json_t *live[MAX_LIVE];
static int n_live;

static int release_outputs(void **state)
{
    (void)state;
    while (n_live > 0)
        json_decref(live[--n_live]);
    return 0;
}

/* Release an output of assess() (a test's normal end). */
static void done(json_t *r)
{
    int i;

    for (i = 0; i < n_live; i++)
        if (live[i] == r) {
            live[i] = live[--n_live];
            json_decref(r);
            return;
        }
    fail_msg("done() on an output that is not held");
}

/* Assess `doc` and return the JSON output (release with done()); *raw gets the text. */
static json_t *assess_raw(const char *doc, char **raw)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    char *out = NULL;
    size_t len = 0;
    json_error_t je;
    json_t *root;

    memset(&err, 0, sizeof(err));
    if (mt_input_parse_json(&in, doc, strlen(doc), &err) != MT_OK)
        fail_msg("document rejected: %s\n%s", err.message, doc);
    if (mt_assess(&res, in, &err) != MT_OK)
        fail_msg("assess failed: %s", err.message);
    mt_input_free(in);
    assert_int_equal(mt_result_render_json(res, &out, &len), MT_OK);
    mt_result_free(res);
    root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        fail_msg("output is not JSON: line %d: %s", je.line, je.text);
    if (n_live == MAX_LIVE)
        fail_msg("more than %d outputs held at once", MAX_LIVE);
    live[n_live++] = root;
    if (raw)
        *raw = out;
    else
        mt_free(out);
    return root;
}

static json_t *assess(const char *doc)
{
    return assess_raw(doc, NULL);
}

__attribute__((format(printf, 1, 2))) static json_t *assessf(const char *fmt, ...)
{
    char doc[DOC_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(doc, sizeof(doc), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && n < (int)sizeof(doc));
    return assess(doc);
}

/* Follow a dotted path; a numeric part indexes a list ("plan.nutrition.protein_g_per_kg.1"). */
static json_t *at(json_t *root, const char *path)
{
    char buf[256], *save = NULL, *tok;
    json_t *cur = root;

    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
        if (json_is_array(cur)) {
            char *end;
            long i = strtol(tok, &end, 10);
            cur = (*end == '\0' && i >= 0) ? json_array_get(cur, (size_t)i) : NULL;
        } else {
            cur = json_object_get(cur, tok);
        }
    }
    return cur;
}

/* A compact dump of v; four rotating buffers, so one message may hold several. */
static const char *dump(json_t *v)
{
    static char bufs[4][512];
    static int next;
    char *buf = bufs[next++ & 3];
    char *s;

    if (!v)
        return "(missing)";
    s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, 512, "%s", s ? s : "?");
    free(s);
    return buf;
}

static void expect_num(json_t *root, const char *path, double want)
{
    json_t *v = at(root, path);

    if (!json_is_number(v) || fabs(json_number_value(v) - want) > 1e-6)
        fail_msg("%s = %s, expected %.4f", path, dump(v), want);
}

static void expect_str(json_t *root, const char *path, const char *want)
{
    json_t *v = at(root, path);

    if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0)
        fail_msg("%s = %s, expected \"%s\"", path, dump(v), want);
}

static void expect_bool(json_t *root, const char *path, int want)
{
    json_t *v = at(root, path);

    if (!json_is_boolean(v) || json_is_true(v) != !!want)
        fail_msg("%s = %s, expected %s", path, dump(v), want ? "true" : "false");
}

static void expect_null(json_t *root, const char *path)
{
    json_t *v = at(root, path);

    if (!json_is_null(v))
        fail_msg("%s = %s, expected null", path, dump(v));
}

/* The element of the list at `list` whose "id" is `id`, or NULL. */
static json_t *by_id(json_t *root, const char *list, const char *id)
{
    json_t *arr = at(root, list), *e;
    size_t i;

    if (!json_is_array(arr))
        fail_msg("%s is %s, expected a list", list, dump(arr));
    json_array_foreach(arr, i, e)
    {
        json_t *v = json_object_get(e, "id");
        if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            return e;
    }
    return NULL;
}

static void ids_of(json_t *root, const char *list, char *buf, size_t n)
{
    json_t *arr = at(root, list), *e;
    size_t i, o = 0;

    buf[0] = '\0';
    json_array_foreach(arr, i, e)
    {
        int w = snprintf(buf + o, n - o, "%s%s", i ? "," : "",
                         json_string_value(json_object_get(e, "id")));
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

static json_t *must_have(json_t *root, const char *list, const char *id)
{
    json_t *e = by_id(root, list, id);
    char ids[1024];

    if (!e) {
        ids_of(root, list, ids, sizeof(ids));
        fail_msg("%s has no \"%s\"; it has [%s]", list, id, ids);
    }
    return e;
}

static const char *get_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v))
        fail_msg("%s = %s, expected a string", key, dump(v));
    return json_string_value(v);
}

#endif
