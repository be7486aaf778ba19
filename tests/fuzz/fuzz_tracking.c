/*
 * fuzz_tracking.c - libFuzzer target for the tracking parser and engine:
 * mt_track_json on the whole input, and mt_session_check / mt_checkin_check
 * on the same bytes as one record.
 *
 * The contract checked on every input (any violation aborts):
 *   - mt_track_json accepted: the answer is NUL-terminated at len, valid JSON
 *     (jansson, duplicate keys refused) with the disclaimer, a known triage
 *     level, a prescription status, and alert keys that are unique strings;
 *   - rejected (by any of the three): *out is NULL; err.code is the return
 *     code, one of MT_EINVAL, MT_ETOOBIG, MT_ENOMEM; err.message is one
 *     non-empty line; err.field is "" or the start of the message, followed
 *     by ':';
 *   - the same call without an mt_error gives the same return code;
 *   - a check-in that passes has a triage view with a known level.
 *
 * tests/fuzz/corpus_main.c replays tests/fuzz/corpus/tracking through this
 * file as a plain regression test; build the fuzzer itself with `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "myotrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FT_REQUIRE(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static const char *const ft_levels[] = {"emergency", "urgent", "prompt", "routine", "self_care"};

static int ft_level(const char *s)
{
    size_t i;

    for (i = 0; s && i < sizeof(ft_levels) / sizeof(ft_levels[0]); i++)
        if (strcmp(s, ft_levels[i]) == 0)
            return 1;
    return 0;
}

static void ft_check_error(int rc, const mt_error *err)
{
    size_t n;

    FT_REQUIRE(rc == MT_EINVAL || rc == MT_ETOOBIG || rc == MT_ENOMEM);
    FT_REQUIRE(err->code == rc);
    FT_REQUIRE(memchr(err->field, '\0', sizeof(err->field)) != NULL);
    FT_REQUIRE(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    FT_REQUIRE(err->message[0] != '\0' && !strchr(err->message, '\n') &&
               !strchr(err->message, '\r'));
    n = strlen(err->field);
    if (n && n < sizeof(err->field) - 1)
        FT_REQUIRE(strncmp(err->message, err->field, n) == 0 && err->message[n] == ':');
}

static void ft_check_answer(const char *out, size_t len)
{
    json_error_t je;
    json_t *root, *alerts, *a, *seen;
    size_t i;

    FT_REQUIRE(out != NULL && strlen(out) == len);
    root = json_loadb(out, len, JSON_REJECT_DUPLICATES, &je);
    FT_REQUIRE(root != NULL);
    FT_REQUIRE(json_is_string(json_object_get(root, "disclaimer")) &&
               strcmp(json_string_value(json_object_get(root, "disclaimer")), mt_disclaimer()) ==
                   0);
    FT_REQUIRE(
        ft_level(json_string_value(json_object_get(json_object_get(root, "triage"), "level"))));
    FT_REQUIRE(json_is_string(json_object_get(json_object_get(root, "prescription"), "status")));
    alerts = json_object_get(root, "alerts");
    FT_REQUIRE(json_is_array(alerts));
    seen = json_object();
    FT_REQUIRE(seen != NULL);
    json_array_foreach(alerts, i, a)
    {
        const char *key = json_string_value(json_object_get(a, "key"));
        FT_REQUIRE(key != NULL && json_object_get(seen, key) == NULL);
        json_object_set_new(seen, key, json_true());
    }
    json_decref(seen);
    json_decref(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json = (const char *)data;
    char *out = (char *)(uintptr_t)1; /* any non-NULL value: must be reset */
    size_t len = 0;
    mt_error err;
    mt_triage_view v;
    int rc;

    memset(&err, 0x5A, sizeof(err));
    rc = mt_track_json(json, size, &out, &len, &err);
    {
        char *again = NULL; /* without err: the same code, and (pure) the same answer */
        FT_REQUIRE(mt_track_json(json, size, &again, NULL, NULL) == rc);
        FT_REQUIRE(rc != MT_OK || (again && strcmp(again, out) == 0));
        mt_free(again);
    }
    if (rc == MT_OK) {
        ft_check_answer(out, len);
        mt_free(out);
    } else {
        FT_REQUIRE(out == NULL);
        ft_check_error(rc, &err);
    }

    memset(&err, 0x5A, sizeof(err));
    rc = mt_session_check(json, size, "2026-03-10", &err);
    FT_REQUIRE(mt_session_check(json, size, "2026-03-10", NULL) == rc);
    if (rc != MT_OK)
        ft_check_error(rc, &err);

    memset(&err, 0x5A, sizeof(err));
    memset(&v, 0, sizeof(v));
    rc = mt_checkin_check(json, size, NULL, &v, &err);
    if (rc != MT_OK)
        ft_check_error(rc, &err);
    else
        FT_REQUIRE(ft_level(v.level) && v.action && v.reason && v.explanation && v.source);
    return 0;
}
