/*
 * testjson.h - read one value of the engine's JSON output by dotted path,
 * for the unit tests that check outputs (test_rules.c, test_measures.c).
 */
#ifndef MT_TESTJSON_H
#define MT_TESTJSON_H

#include <stdio.h>
#include <string.h>

#include <jansson.h>

enum { JV_MISSING, JV_NULL, JV_BOOL, JV_NUM, JV_STR };
typedef struct jv {
    int type;
    double num;
    char str[64];
} jv;

static inline jv json_at(json_t *root, const char *path)
{
    jv out;
    char buf[160], *save = NULL, *tok;
    json_t *cur = root;

    memset(&out, 0, sizeof out);
    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
        cur = json_is_object(cur) ? json_object_get(cur, tok) : NULL;
    if (!cur)
        return out;
    if (json_is_null(cur)) {
        out.type = JV_NULL;
    } else if (json_is_boolean(cur)) {
        out.type = JV_BOOL;
        out.num = json_is_true(cur);
    } else if (json_is_number(cur)) {
        out.type = JV_NUM;
        out.num = json_number_value(cur);
    } else if (json_is_string(cur)) {
        out.type = JV_STR;
        snprintf(out.str, sizeof out.str, "%s", json_string_value(cur));
    }
    return out;
}

#endif
