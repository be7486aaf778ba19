/*
 * api_session.c - logging in and out (docs/api.md, "Sessions, roles and
 * CSRF"), and the red-flag check the questionnaire calls first.
 *
 * A login answers the same 401 for an unknown name and a wrong password, and
 * takes as long for both (the unknown name is checked against a dummy hash).
 * Five failures for one name within 15 minutes lock that name out with 429
 * until the window has passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "myotrack.h"
#include "server/routes.h"

enum { THROTTLE_FAILURES = 5, THROTTLE_WINDOW = 15 * 60 };

static void iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *session_json(const st_session *s)
{
    char expires[32];

    iso_time(s->expires_at, expires);
    return json_pack("{s:s,s:s,s:s,s:o,s:s}", "username", s->username, "role",
                     st_role_name(s->role), "csrf_token", s->csrf_token, "patient_id",
                     s->patient_id ? json_integer(s->patient_id) : json_null(), "expires_at",
                     expires);
}

int api_login(req *r)
{
    json_t *body;
    const char *username, *password;
    st_user user;
    char token[AUTH_TOKEN_HEX], hash[AUTH_TOKEN_HEX], cookie[160];
    st_session s;
    int answered = 0, allowed = 0, found, ok, rc;
    int64_t attempt = 0;
    int64_t now = http_now();

    body = http_body_object(r, &answered);
    if (!body)
        return answered;
    username = json_string_value(json_object_get(body, "username"));
    password = json_string_value(json_object_get(body, "password"));
    if (!username || !*username || strlen(username) > 64) {
        json_decref(body);
        return http_error(r, 422, "invalid_field", "username",
                          "username: expected 1 to 64 characters");
    }
    if (!password || strlen(password) > AUTH_PASSWORD_MAX) {
        json_decref(body);
        return http_error(r, 422, "invalid_field", "password",
                          "password: expected a string of at most %d characters",
                          AUTH_PASSWORD_MAX);
    }
    /* Counting the failures and recording this attempt as one are a single
     * write: a burst of parallel guesses sees each other at once. */
    rc = st_login_begin(r->st, username, now, now - THROTTLE_WINDOW, THROTTLE_FAILURES, &allowed,
                        &attempt);
    if (rc != ST_OK) {
        json_decref(body);
        return http_store_error(r, rc);
    }
    if (!allowed) {
        const char *h[] = {"Retry-After", "900", NULL};
        static const char text[] =
            "{\"error\":{\"code\":\"too_many_attempts\",\"message\":\"too many failed logins "
            "for this name; try again in 15 minutes\",\"field\":null}}";
        json_decref(body);
        return http_send(r, 429, "application/json; charset=utf-8", text, sizeof(text) - 1, h);
    }
    found = st_user_get(r->st, username, &user) == ST_OK;
    ok = auth_verify_password(found ? user.password_hash : auth_dummy_hash(), password) && found;
    json_decref(body);
    if (!ok)
        return http_error(r, 401, "unauthenticated", NULL, "wrong username or password");
    rc = st_login_succeeded(r->st, attempt);
    if (rc != ST_OK)
        return http_store_error(r, rc);

    auth_random_token(token);
    auth_token_hash(token, hash);
    memset(&s, 0, sizeof(s));
    s.user_id = user.id;
    snprintf(s.username, sizeof(s.username), "%s", user.username);
    s.role = user.role;
    s.patient_id = user.patient_id;
    auth_random_token(s.csrf_token);
    s.expires_at = now + http_session_seconds(r);
    rc = st_session_create(r->st, hash, user.id, s.csrf_token, now, s.expires_at);
    if (rc != ST_OK)
        return http_store_error(r, rc);
    snprintf(cookie, sizeof(cookie),
             "mt_session=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%d%s",
             token, http_session_seconds(r), http_tls(r) ? "; Secure" : "");
    {
        const char *h[] = {"Set-Cookie", cookie, NULL};
        json_t *v = session_json(&s);
        char *text = v ? json_dumps(v, JSON_DUMP_FLAGS) : NULL;
        json_decref(v);
        if (!text)
            return http_error(r, 500, "internal", NULL, "out of memory");
        rc = http_send(r, 200, "application/json; charset=utf-8", text, strlen(text), h);
        free(text);
        return rc;
    }
}

int api_session_get(req *r)
{
    return http_jsonv(r, 200, session_json(&r->session));
}

int api_logout(req *r)
{
    const char *token = http_cookie(r, "mt_session");
    char hash[AUTH_TOKEN_HEX];
    const char *h[] = {"Set-Cookie", "mt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                       NULL};
    int rc;

    auth_token_hash(token, hash); /* authenticated: the token is well formed */
    rc = st_session_delete(r->st, hash);
    if (rc != ST_OK && rc != ST_NOTFOUND)
        return http_store_error(r, rc);
    return http_send(r, 204, NULL, "", 0, h);
}

/* An engine error as an answer: a body that is not JSON is 400 (the position
 * from jansson, which the engine's own checks of the top level come before),
 * content 422. */
int api_engine_error(req *r, int rc, const mt_error *err)
{
    if (rc == MT_ETOOBIG)
        return http_error(r, 413, "too_large", NULL, "the document is larger than 1 MiB");
    if (rc == MT_ENOMEM)
        return http_error(r, 500, "internal", NULL, "out of memory");
    if (err->field[0] == '\0') { /* about the whole body: is it JSON at all? */
        json_error_t je;
        json_t *v = json_loadb(r->body ? r->body : "", r->body_len, JSON_DECODE_ANY, &je);
        json_decref(v);
        if (!v)
            return http_error(r, 400, "malformed_json", NULL,
                              "invalid JSON at line %d, column %d: %s", je.line, je.column,
                              je.text);
    }
    /* The engine's message already starts with the field's path. */
    return http_error(r, 422, "invalid_field", err->field[0] ? err->field : NULL, "%s",
                      err->message);
}

json_t *api_triage_json(const mt_triage_view *t)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i}", "level", t->level, "action", t->action, "reason",
                     t->reason, "explanation", t->explanation, "source", t->source, "reasons",
                     t->n_reasons);
}

int api_triage(req *r)
{
    mt_triage_view t;
    mt_error err;
    int rc;

    if (!http_is_json(r))
        return http_error(r, 415, "unsupported_media_type", NULL,
                          "send the body as application/json");
    rc = mt_triage_check(r->body ? r->body : "", r->body_len, &t, &err);
    if (rc != MT_OK)
        return api_engine_error(r, rc, &err);
    return http_jsonv(r, 200, api_triage_json(&t));
}
