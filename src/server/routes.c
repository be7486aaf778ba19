/*
 * routes.c - the API's routes as one table: method, path pattern, who may
 * call it, the handler. The checks run in one order for every route: a body
 * too large (413), the session (401), the role (403), the CSRF token on a
 * state-changing request (403), then the handler. A path that exists with
 * another method is 405 with Allow; anything not under /api/ is a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "auth/auth.h"
#include "server/routes.h"

enum {
    ADMIN = 1 << ST_ADMIN,
    CLINICIAN = 1 << ST_CLINICIAN,
    PATIENT = 1 << ST_PATIENT,
    ANYONE = ADMIN | CLINICIAN | PATIENT,
    PUBLIC = 0 /* no session needed */
};

typedef struct route {
    const char *method;
    const char *pattern; /* "{}" matches one path segment, kept as a parameter */
    unsigned who;
    int (*handler)(req *r);
} route;

#define P "/api/v1/patients/{}"
static const route routes[] = {
    {"POST", "/api/v1/session", PUBLIC, api_login},
    {"GET", "/api/v1/session", ANYONE, api_session_get},
    {"DELETE", "/api/v1/session", ANYONE, api_logout},
    {"POST", "/api/v1/triage", ANYONE, api_triage},
    {"POST", "/api/v1/patients", CLINICIAN, api_patient_create},
    {"GET", "/api/v1/patients", ANYONE, api_patient_list},
    {"GET", P, CLINICIAN | PATIENT, api_patient_get},
    {"POST", P "/assessments", CLINICIAN | PATIENT, api_assessment_create},
    {"GET", P "/assessments", CLINICIAN | PATIENT, api_assessment_list},
    {"GET", P "/assessments/{}", CLINICIAN | PATIENT, api_assessment_get},
    {"POST", P "/sessions", CLINICIAN | PATIENT, api_exsession_create},
    {"GET", P "/sessions", CLINICIAN | PATIENT, api_exsession_list},
    {"POST", P "/checkins", CLINICIAN | PATIENT, api_checkin_create},
    {"GET", P "/checkins", CLINICIAN | PATIENT, api_checkin_list},
    {"GET", P "/progress", CLINICIAN | PATIENT, api_progress},
    {"GET", P "/plan", CLINICIAN | PATIENT, api_plan},
    {"GET", P "/report", CLINICIAN | PATIENT, api_report},
    {"POST", P "/care-team", ADMIN, api_care_team_add},
    {"DELETE", P "/care-team/{}", ADMIN, api_care_team_remove},
    {"GET", "/api/v1/alerts", CLINICIAN | PATIENT, api_alert_list},
    {"POST", "/api/v1/alerts/{}/clear", CLINICIAN, api_alert_clear},
    {"POST", "/api/v1/users", ADMIN, api_user_create},
    {"GET", "/api/v1/users", ADMIN, api_user_list},
    {"GET", "/api/v1/audit", ADMIN, api_audit},
};
#undef P

/* Match `path` against `pattern`, collecting the {} segments. */
static int match(const char *pattern, const char *path, req *r)
{
    int n = 0;

    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            if (len == 0 || n >= HTTP_MAX_PARAMS)
                return 0;
            if (r)
                r->params[n] = path;
            n++;
            path += len;
            pattern += 2;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return 0;
    if (r)
        r->n_params = n;
    return 1;
}

int route_id(req *r, int i, int64_t *out)
{
    const char *s = r->params[i];
    int64_t v = 0;
    int digits = 0;

    for (; *s && *s != '/'; s++, digits++) {
        if (*s < '0' || *s > '9' || digits >= 15)
            goto bad;
        v = v * 10 + (*s - '0');
    }
    if (v <= 0)
        goto bad;
    *out = v;
    return 0;
bad:
    http_error(r, 400, "bad_request", NULL, "the id in the path must be a positive integer");
    return -1;
}

/* The session from the cookie, or 0. */
static int authenticate(req *r)
{
    const char *token = http_cookie(r, "mt_session");
    char hash[AUTH_TOKEN_HEX];
    size_t i;

    if (!token || strlen(token) != AUTH_TOKEN_HEX - 1)
        return 0;
    for (i = 0; token[i]; i++)
        if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
            return 0;
    auth_token_hash(token, hash);
    if (st_session_get(r->st, hash, http_now(), &r->session) != ST_OK)
        return 0;
    r->authed = 1;
    r->actor.user_id = r->session.user_id;
    r->actor.role = r->session.role;
    r->actor.patient_id = r->session.patient_id;
    r->actor.local = 0;
    return 1;
}

static int changes_state(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int run(req *r, const route *rt)
{
    if (rt->who != PUBLIC) {
        const char *csrf;
        if (!authenticate(r))
            return http_error(r, 401, "unauthenticated", NULL,
                              "log in first (POST /api/v1/session)");
        if (!(rt->who & (1u << r->actor.role)))
            return http_error(r, 403, "forbidden", NULL, "a %s may not do this",
                              st_role_name(r->actor.role));
        csrf = http_header(r, "X-CSRF-Token");
        if (changes_state(r->method) && (!csrf || strlen(csrf) != strlen(r->session.csrf_token) ||
                                         !auth_equal(csrf, r->session.csrf_token)))
            return http_error(r, 403, "csrf", NULL,
                              "send the session's csrf_token in the X-CSRF-Token header");
    }
    return rt->handler(r);
}

int route_request(req *r)
{
    char allow[64] = "";
    size_t i;

    if (strncmp(r->path, "/api/", 5) != 0)
        return page_serve(r);
    for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (!match(routes[i].pattern, r->path, NULL))
            continue;
        if (strcmp(routes[i].method, r->method) == 0) {
            match(routes[i].pattern, r->path, r);
            return run(r, &routes[i]);
        }
        {
            size_t used = strlen(allow);
            snprintf(allow + used, sizeof(allow) - used, "%s%s", used ? ", " : "",
                     routes[i].method);
        }
    }
    if (allow[0]) {
        const char *h[] = {"Allow", allow, NULL};
        char text[160];
        int n = snprintf(text, sizeof(text),
                         "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use %s\","
                         "\"field\":null}}",
                         allow);
        return http_send(r, 405, "application/json; charset=utf-8", text, (size_t)n, h);
    }
    return http_error(r, 404, "not_found", NULL, "no such endpoint");
}
