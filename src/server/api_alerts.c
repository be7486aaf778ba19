/*
 * api_alerts.c - the alerts of every patient the caller reaches (open first,
 * red flags first) and a clinician clearing one: a cleared fall lets the
 * exercise progression resume (docs/tracking.md).
 */
#include <stdio.h>

#include "server/routes.h"

int api_alert_list(req *r)
{
    char *json = NULL;

    return api_store_json(r, st_alert_list(r->st, &r->actor, 0, &json), json);
}

int api_alert_clear(req *r)
{
    char text[64];
    int64_t id;
    int rc, n;

    if (route_id(r, 0, &id) < 0)
        return ANSWERED;
    rc = st_alert_clear(r->st, &r->actor, id);
    if (rc == ST_CONFLICT)
        return http_error(r, 409, "conflict", NULL, "this alert is cleared already");
    if (rc != ST_OK)
        return http_store_error(r, rc);
    n = snprintf(text, sizeof(text), "{\"id\":%lld,\"cleared\":true}", (long long)id);
    return http_json(r, 200, text, (size_t)n);
}
