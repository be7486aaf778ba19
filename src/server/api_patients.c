/*
 * api_patients.c - patients and their care teams (docs/api.md). Who may
 * reach which patient is decided by the store, in the same transaction as
 * the read and its audit row; a patient out of reach is 404 like a missing one.
 */
#include <stdlib.h>
#include <string.h>

#include "server/routes.h"

int api_date_check(const char *s, const char *today)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, i, leap;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
        return -1;
    if (y < 1900)
        return -3;
    if (today && strcmp(s, today) > 0)
        return -2;
    return 0;
}

/* 1 to max characters (not bytes: jansson has checked the UTF-8) of text with
 * no control characters. */
static int text_ok(const char *s, size_t max)
{
    size_t chars = 0;

    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return chars <= max;
}

int api_patient_create(req *r)
{
    json_t *body, *bd;
    const char *name, *sex, *birth = NULL;
    char today[11], loc[64], id_text[40];
    int64_t id;
    int answered = 0, rc;

    body = http_body_object(r, &answered);
    if (!body)
        return answered;
    name = json_string_value(json_object_get(body, "display_name"));
    sex = json_string_value(json_object_get(body, "sex"));
    bd = json_object_get(body, "birth_date");
    http_today(today);
    if (!text_ok(name, 100)) {
        rc = http_error(r, 422, "invalid_field", "display_name",
                        "display_name: expected 1 to 100 characters, no control characters");
        goto done;
    }
    if (!sex || (strcmp(sex, "male") != 0 && strcmp(sex, "female") != 0)) {
        rc = http_error(r, 422, "invalid_field", "sex", "sex: expected \"male\" or \"female\"");
        goto done;
    }
    if (bd && !json_is_null(bd)) {
        birth = json_string_value(bd);
        if (!birth || api_date_check(birth, today) != 0) {
            rc = http_error(r, 422, "invalid_field", "birth_date",
                            "birth_date: expected a date YYYY-MM-DD from 1900-01-01 to today");
            goto done;
        }
    }
    {
        const char *known[] = {"display_name", "sex", "birth_date"};
        const char *key;
        json_t *value;
        json_object_foreach(body, key, value)
        {
            size_t i;
            for (i = 0; i < 3 && strcmp(key, known[i]) != 0; i++)
                ;
            if (i == 3) {
                rc = http_error(r, 422, "invalid_field", key,
                                "%s: unknown field; accepted: display_name, sex, birth_date", key);
                goto done;
            }
        }
    }
    rc = st_patient_create(r->st, &r->actor, name, sex, birth, &id);
    if (rc != ST_OK) {
        rc = http_store_error(r, rc);
        goto done;
    }
    snprintf(loc, sizeof(loc), "/api/v1/patients/%lld", (long long)id);
    {
        const char *h[] = {"Location", loc, NULL};
        int n = snprintf(id_text, sizeof(id_text), "{\"id\":%lld}", (long long)id);
        rc = http_send(r, 201, "application/json; charset=utf-8", id_text, (size_t)n, h);
    }
done:
    json_decref(body);
    return rc;
}

/* Answer with the JSON text a store read returned, or its error. */
int api_store_json(req *r, int rc, char *json)
{
    int ok;

    if (rc != ST_OK)
        return http_store_error(r, rc);
    ok = http_json(r, 200, json, strlen(json));
    free(json);
    return ok;
}

int api_patient_list(req *r)
{
    int rc;
    char *json = NULL;
    rc = st_patient_list(r->st, &r->actor, &json);

    return api_store_json(r, rc, json);
}

int api_patient_read(req *r, st_patient_read read)
{
    char *json = NULL;
    int64_t id;
    int rc;

    if (route_id(r, 0, &id) < 0)
        return ANSWERED;
    rc = read(r->st, &r->actor, id, &json);
    return api_store_json(r, rc, json);
}

int api_patient_get(req *r)
{
    return api_patient_read(r, st_patient_get);
}

int api_care_team_add(req *r)
{
    json_t *body;
    const char *clinician;
    int64_t id;
    int answered = 0, rc;

    if (route_id(r, 0, &id) < 0)
        return ANSWERED;
    body = http_body_object(r, &answered);
    if (!body)
        return answered;
    clinician = json_string_value(json_object_get(body, "username"));
    if (!text_ok(clinician, 64))
        rc = http_error(r, 422, "invalid_field", "username",
                        "username: expected a clinician's name");
    else if ((rc = st_assign(r->st, &r->actor, clinician, id)) != ST_OK)
        rc = http_store_error(r, rc);
    else
        rc = http_send(r, 204, NULL, "", 0, NULL);
    json_decref(body);
    return rc;
}

int api_care_team_remove(req *r)
{
    char name[65];
    size_t n = strlen(r->params[1]);
    int64_t id;
    int rc;

    if (route_id(r, 0, &id) < 0)
        return ANSWERED;
    if (n == 0 || n >= sizeof(name))
        return http_error(r, 400, "bad_request", NULL, "expected a username in the path");
    memcpy(name, r->params[1], n + 1);
    rc = st_unassign(r->st, &r->actor, name, id);
    if (rc != ST_OK)
        return http_store_error(r, rc);
    return http_send(r, 204, NULL, "", 0, NULL);
}
