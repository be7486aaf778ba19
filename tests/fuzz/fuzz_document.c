/*
 * fuzz_document.c - libFuzzer target for the whole pipeline of one document:
 * mt_input_parse_json, then mt_assess and both renderers.
 *
 * The contract checked on every input (any violation aborts):
 *   - accepted: the assessment succeeds; every definition has a category;
 *     every criterion view is well formed; the JSON rendering is valid JSON
 *     (jansson, duplicate keys refused) carrying the disclaimer; the text
 *     report contains the disclaimer; both buffers are NUL-terminated at len.
 *   - rejected: *out is NULL; err.code is the return code; err.message is
 *     one non-empty line; err.field is "" or a dotted path the message starts
 *     with, whose every proper prefix names an object of the document (or a
 *     null given in its place; control bytes of keys shown as '?') - the
 *     field points into what was sent.
 * The same call without an mt_error gives the same return code.
 *
 * tests/fuzz/corpus_main.c replays the corpus through this file as a plain
 * regression test; build the fuzzer itself with `make fuzz`.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "myotrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FD_REQUIRE(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static const char *const fd_definitions[] = {"ewgsop2", "awgs2019", "fnih", "sdoc", "ewgsop1"};

/* One line, non-empty, NUL-terminated within `cap` bytes. */
static int fd_one_line(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL && s[0] != '\0' && strchr(s, '\n') == NULL &&
           strchr(s, '\r') == NULL;
}

/* Does `path` start with `key` as the error shows it (control bytes as '?')? */
static int fd_starts_with_key(const char *path, const char *key)
{
    for (; *key; key++, path++) {
        unsigned char k = (unsigned char)*key;
        char shown = (k < 0x20 || k == 0x7f) ? '?' : *key;
        if (*path != shown)
            return 0;
    }
    return 1;
}

/*
 * Does `path` lead into `obj`? Each dotted segment must be a key of the
 * object at that level (keys may themselves hold dots, so every key that is
 * a prefix is tried), the last may be absent (a required field not given) or
 * carry an index into a list ("grip_trials[1]"), and a segment that leads
 * further must hold an object or null.
 */
static int fd_path_in(const json_t *obj, const char *path)
{
    const char *key;
    json_t *v;

    if (!strchr(path, '.') && !strchr(path, '['))
        return 1; /* the last segment: present or not */
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t n = strlen(key);
        const char *rest = path + n;

        if (!fd_starts_with_key(path, key))
            continue;
        if (*rest == '\0')
            return 1; /* a key holding dots, named whole */
        if (*rest == '.' && (json_is_null(v) || (json_is_object(v) && fd_path_in(v, rest + 1))))
            return 1;
        if (*rest == '[' && json_is_array(v)) {
            char *end = NULL;
            unsigned long i = strtoul(rest + 1, &end, 10);
            if (end != rest + 1 && end[0] == ']' && end[1] == '\0' && i < json_array_size(v))
                return 1;
        }
    }
    return 0;
}

static void fd_check_field(const uint8_t *data, size_t size, const mt_error *err)
{
    size_t n = strlen(err->field);
    json_error_t je;
    json_t *root;

    if (n == 0)
        return;
    /* the message names the field first */
    FD_REQUIRE(strncmp(err->message, err->field, n) == 0);
    if (n == sizeof(err->field) - 1)
        return; /* truncated: the tail cannot be followed */
    FD_REQUIRE(err->message[n] == ':');
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3; /* the parser skips a byte-order mark */
        size -= 3;
    }
    /* The field must lead into the document as an independent reader sees it.
     * jansson refuses some JSON that the library's yajl accepts and checks
     * itself (a huge number, an escaped NUL): then there is nothing to follow.
     * Nor with duplicate keys: the library reports the first problem in
     * document order, and a tree keeps only one of the copies. */
    root = json_loadb((const char *)data, size,
                      JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &je);
    if (!root)
        return;
    FD_REQUIRE(json_is_object(root));
    FD_REQUIRE(fd_path_in(root, err->field));
    json_decref(root);
}

static void fd_check_criteria(const mt_result *res)
{
    size_t i, n = mt_rule_count();

    for (i = 0; i < n; i++) {
        mt_rule_view r;
        mt_criterion_view v;
        int rc;

        FD_REQUIRE(mt_rule_at(i, &r) == MT_OK);
        rc = mt_result_criterion(res, r.definition, r.criterion, &v);
        FD_REQUIRE(rc == MT_OK || rc == MT_EINVAL);
        if (rc != MT_OK)
            continue;
        FD_REQUIRE(v.met >= -1 && v.met <= 1);
        FD_REQUIRE(v.op && v.unit && v.source && v.status);
        FD_REQUIRE(!v.has_value || isfinite(v.value));
    }
}

static void fd_check_json(const mt_result *res)
{
    char *out = NULL;
    size_t len = 0, i;
    json_error_t je;
    json_t *root, *d;

    FD_REQUIRE(mt_result_render_json(res, &out, &len) == MT_OK);
    FD_REQUIRE(out != NULL && strlen(out) == len);
    root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &je);
    FD_REQUIRE(root != NULL);
    d = json_object_get(root, "disclaimer");
    FD_REQUIRE(json_is_string(d) && strcmp(json_string_value(d), mt_disclaimer()) == 0);
    for (i = 0; i < sizeof(fd_definitions) / sizeof(fd_definitions[0]); i++) {
        json_t *c = json_object_get(
            json_object_get(json_object_get(root, "definitions"), fd_definitions[i]), "category");
        FD_REQUIRE(json_is_string(c) &&
                   strcmp(json_string_value(c), mt_result_category(res, fd_definitions[i])) == 0);
    }
    json_decref(root);
    mt_free(out);
}

static void fd_check_text(const mt_result *res, unsigned flags)
{
    char *out = NULL;
    size_t len = 0;

    FD_REQUIRE(mt_result_render_text(res, flags, &out, &len) == MT_OK);
    FD_REQUIRE(out != NULL && strlen(out) == len);
    FD_REQUIRE(strstr(out, mt_disclaimer()) != NULL);
    mt_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json = (const char *)data;
    mt_input *in = (mt_input *)(uintptr_t)1; /* any non-NULL value: must be reset */
    mt_input *again = NULL;
    mt_result *res = NULL;
    mt_error err;
    size_t i;
    int rc;

    memset(&err, 0x5A, sizeof(err));
    rc = mt_input_parse_json(&in, json, size, &err);
    FD_REQUIRE(mt_input_parse_json(&again, json, size, NULL) == rc);
    mt_input_free(again);

    if (rc != MT_OK) {
        FD_REQUIRE(rc == MT_EINVAL || rc == MT_ETOOBIG || rc == MT_ENOMEM);
        FD_REQUIRE(rc != MT_ETOOBIG || size > MT_MAX_INPUT);
        FD_REQUIRE(in == NULL);
        FD_REQUIRE(err.code == rc);
        FD_REQUIRE(memchr(err.field, '\0', sizeof(err.field)) != NULL);
        FD_REQUIRE(fd_one_line(err.message, sizeof(err.message)));
        fd_check_field(data, size, &err);
        return 0;
    }

    FD_REQUIRE(in != NULL);
    FD_REQUIRE(mt_assess(&res, in, &err) == MT_OK && res != NULL);
    for (i = 0; i < sizeof(fd_definitions) / sizeof(fd_definitions[0]); i++) {
        const char *c = mt_result_category(res, fd_definitions[i]);
        FD_REQUIRE(c != NULL && c[0] != '\0');
    }
    fd_check_criteria(res);
    fd_check_json(res);
    fd_check_text(res, 0);
    fd_check_text(res, MT_TEXT_COLOR);
    mt_result_free(res);
    mt_input_free(in);
    return 0;
}
