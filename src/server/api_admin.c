/*
 * api_admin.c - what an admin does: accounts and the audit trail. An admin
 * reads no clinical data; the routes that carry it refuse the role (403).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "server/routes.h"

/* 1 to 64 characters from [A-Za-z0-9._-]. */
static int username_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int api_user_create(req *r)
{
    json_t *body, *pid_v;
    const char *username, *password, *role_name, *why = NULL;
    char hash[AUTH_HASH_MAX], text[64];
    st_role role;
    int64_t patient_id = 0, id;
    int answered = 0, rc, n;

    body = http_body_object(r, &answered);
    if (!body)
        return answered;
    username = json_string_value(json_object_get(body, "username"));
    password = json_string_value(json_object_get(body, "password"));
    role_name = json_string_value(json_object_get(body, "role"));
    pid_v = json_object_get(body, "patient_id");
    if (!username_ok(username)) {
        rc = http_error(r, 422, "invalid_field", "username",
                        "username: expected 1 to 64 letters, digits, '.', '_' or '-'");
        goto done;
    }
    if (!password || auth_password_ok(password, &why) != 0) {
        rc = http_error(r, 422, "invalid_field", "password", "password: %s",
                        why ? why : "expected a string");
        goto done;
    }
    if (!role_name || st_role_parse(role_name, &role) != 0) {
        rc = http_error(r, 422, "invalid_field", "role",
                        "role: expected \"clinician\", \"patient\" or \"admin\"");
        goto done;
    }
    if (role == ST_PATIENT) {
        if (!json_is_integer(pid_v) || json_integer_value(pid_v) <= 0) {
            rc = http_error(r, 422, "invalid_field", "patient_id",
                            "patient_id: a patient's account needs the id of their record");
            goto done;
        }
        patient_id = json_integer_value(pid_v);
    } else if (pid_v && !json_is_null(pid_v)) {
        rc = http_error(r, 422, "invalid_field", "patient_id",
                        "patient_id: only a patient's account has one");
        goto done;
    }
    if (auth_hash_password(password, hash) != 0) {
        rc = http_error(r, 500, "internal", NULL, "out of memory");
        goto done;
    }
    rc = st_user_add(r->st, username, role, hash, patient_id, &id);
    if (rc == ST_CONFLICT)
        rc = http_error(r, 409, "conflict", "username", "username: '%s' is taken", username);
    else if (rc == ST_NOTFOUND)
        rc = http_error(r, 422, "invalid_field", "patient_id", "patient_id: no such patient");
    else if (rc != ST_OK)
        rc = http_store_error(r, rc);
    else {
        n = snprintf(text, sizeof(text), "{\"id\":%lld}", (long long)id);
        rc = http_send(r, 201, "application/json; charset=utf-8", text, (size_t)n, NULL);
    }
done:
    json_decref(body);
    return rc;
}

int api_user_list(req *r)
{
    int rc;
    char *json = NULL;

    rc = st_user_list(r->st, &r->actor, &json);
    return api_store_json(r, rc, json);
}

int api_audit(req *r)
{
    int rc;
    const char *p = http_query(r, "patient_id"), *l = http_query(r, "limit");
    char *json = NULL, *end;
    long long pid = 0, limit = 200;

    if (p && *p) {
        pid = strtoll(p, &end, 10);
        if (*end || pid <= 0)
            return http_error(r, 400, "bad_request", "patient_id",
                              "patient_id: expected a positive integer");
    }
    if (l && *l) {
        limit = strtoll(l, &end, 10);
        if (*end || limit < 1 || limit > 10000)
            return http_error(r, 400, "bad_request", "limit", "limit: expected 1 to 10000");
    }
    rc = st_audit_list(r->st, &r->actor, pid, (int)limit, &json);
    return api_store_json(r, rc, json);
}
