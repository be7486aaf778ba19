/*
 * routes.h - the route table (routes.c) and the handlers it names, one file
 * per resource: api_session.c, api_patients.c, api_records.c, api_alerts.c,
 * api_admin.c; pages.c serves web/.
 */
#ifndef MT_ROUTES_H
#define MT_ROUTES_H

#include "server/http.h"

/* Route one complete request and answer it. Returns the MHD result. */
int route_request(req *r);

/* What a handler returns when it has already answered (MHD_YES). */
#define ANSWERED 1

/* The path parameter at `i` as a row id; answers 400 and returns -1 if it is
 * not a positive integer. */
int route_id(req *r, int i, int64_t *out);

/* Shared by the handlers: an engine error as 400 (JSON syntax), 413 or 422
 * (the document's rules, with the field); a triage view as JSON. */
struct mt_error;
struct mt_triage_view;
int api_engine_error(req *r, int rc, const struct mt_error *err);
json_t *api_triage_json(const struct mt_triage_view *t);
/* Answer with the JSON text of a store read (taken), or the store's error. */
int api_store_json(req *r, int rc, char *json);
/* Answer one read of the patient named by the path's first id (st_patient_get,
 * st_assessment_list...). */
typedef int (*st_patient_read)(st_store *, const st_actor *, int64_t, char **);
int api_patient_read(req *r, st_patient_read read);
/* A date "YYYY-MM-DD": 0 ok, -1 malformed or not a real date, -2 after
 * `today` (when given), -3 before 1900. */
int api_date_check(const char *s, const char *today);

/* Handlers (answer the request; return the MHD result). */
int api_login(req *r);
int api_session_get(req *r);
int api_logout(req *r);
int api_triage(req *r);

int api_patient_create(req *r);
int api_patient_list(req *r);
int api_patient_get(req *r);
int api_care_team_add(req *r);
int api_care_team_remove(req *r);

int api_assessment_create(req *r);
int api_assessment_list(req *r);
int api_assessment_get(req *r);
int api_exsession_create(req *r);
int api_exsession_list(req *r);
int api_checkin_create(req *r);
int api_checkin_list(req *r);
int api_progress(req *r);
int api_plan(req *r);
int api_report(req *r);

int api_alert_list(req *r);
int api_alert_clear(req *r);

int api_user_create(req *r);
int api_user_list(req *r);
int api_audit(req *r);

int page_serve(req *r);

#endif /* MT_ROUTES_H */
