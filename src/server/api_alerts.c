/*
 * api_alerts.c - the alerts of every patient the caller reaches (open first,
 * red flags first) and a clinician clearing one: a cleared fall lets the
 * exercise progression resume (docs/tracking.md).
 */

#include "server/routes.h"

int api_alert_list(req *r)
{
    int rc;
    char *json = NULL;

    rc = st_alert_list(r->st, &r->actor, 0, &json);
    return api_store_json(r, rc, json);
}

int api_alert_clear(req *r)
{
    char *json = NULL;
    int64_t id;
    int rc;

    if (route_id(r, 0, &id) < 0)
        return ANSWERED;
    rc = st_alert_clear(r->st, &r->actor, id);
    if (rc == ST_CONFLICT)
        return http_error(r, 409, "conflict", NULL, "this alert is cleared already");
    if (rc != ST_OK)
        return http_store_error(r, rc);
    rc = st_alert_get(r->st, &r->actor, id, &json);
    return api_store_json(r, rc, json);
}
