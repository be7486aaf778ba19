/*
 * api_records.c - a patient's clinical records: assessments, exercise
 * sessions, check-ins, and what the engine makes of them over time
 * (progress, today's plan, the printable report).
 *
 * Writing a record: the engine validates it (and assesses an assessment),
 * the store keeps it in one transaction, then the engine tracks the
 * patient's history and the alerts it finds are stored by their stable keys,
 * so raising them again changes nothing. The answer carries the alerts this
 * record raised and, for a check-in, the triage of its symptoms at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myotrack.h"
#include "server/routes.h"

/* The patient's history tracked by the engine, as text: the sections in
 * `parts` (MT_TRACK_*). NULL on failure with *rc set (a store code, or
 * TRACK_FAILED), nothing answered yet. Either the records between from and
 * to ("YYYY-MM-DD" or NULL), or, with `since`, only what a new record of that
 * date (and assessment id, or 0) can change. Free with mt_free(). */
enum { TRACK_FAILED = -100 };
static char *track_text(req *r, int64_t pid, unsigned parts, const char *from, const char *to,
                        const char *since, int64_t aid, size_t *out_len, int *rc)
{
    char today[11];
    char *history = NULL, *out = NULL;
    mt_error err;

    http_today(today);
    *rc = since ? st_history_since(r->st, &r->actor, pid, today, since, aid, &history)
                : st_history(r->st, &r->actor, pid, today, from, to, &history);
    if (*rc != ST_OK)
        return NULL;
    if (mt_track_json_select(history, strlen(history), parts, &out, out_len, &err) != MT_OK) {
        /* Every stored record passed the same engine: this is a bug, not bad input. */
        fprintf(stderr,
                "myotrack: tracking patient %lld failed at '%s' (the log keeps no "
                "clinical values)\n",
                (long long)pid, err.field);
        *rc = TRACK_FAILED;
    }
    free(history);
    return out;
}

/* The same, parsed. */
static json_t *track_history(req *r, int64_t pid, unsigned parts, const char *from, const char *to,
                             const char *since, int64_t aid, int *rc)
{
    size_t len = 0;
    char *out = track_text(r, pid, parts, from, to, since, aid, &len, rc);
    json_error_t je;
    json_t *v;

    if (!out)
        return NULL;
    v = json_loadb(out, len, 0, &je);
    mt_free(out);
    if (!v)
        *rc = ST_NOMEM;
    return v;
}

static int track_error(req *r, int rc)
{
    if (rc == TRACK_FAILED)
        return http_error(r, 500, "internal", NULL, "the history could not be tracked");
    return http_store_error(r, rc);
}

/* The alerts of a tracking answer that `record` ("s12", "c3", "a7") raised:
 * the store wrote them with the record (tracker.c); the answer shows them. */
static json_t *record_alerts(const json_t *tracked, const char *record)
{
    json_t *mine = json_array(), *a;
    size_t i;

    json_array_foreach(json_object_get(tracked, "alerts"), i, a)
    {
        const char *rec = json_string_value(json_object_get(a, "record"));
        if (rec && strcmp(rec, record) == 0)
            json_array_append(mine, a);
    }
    return mine;
}

static int created(req *r, const char *kind, int64_t pid, int64_t id, json_t *answer)
{
    char loc[96];
    const char *h[] = {"Location", loc, NULL};
    char *text;
    int ok;

    snprintf(loc, sizeof(loc), "/api/v1/patients/%lld/%s/%lld", (long long)pid, kind,
             (long long)id);
    text = answer ? json_dumps(answer, JSON_DUMP_FLAGS) : NULL;
    json_decref(answer);
    if (!text)
        return http_error(r, 500, "internal", NULL, "out of memory");
    ok = http_send(r, 201, "application/json; charset=utf-8", text, strlen(text), h);
    free(text);
    return ok;
}

/* --- assessments ------------------------------------------------------------- */

int api_assessment_create(req *r)
{
    const char *measured_on = http_query(r, "measured_on");
    char today[11], loc[96];
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_triage_view tv;
    mt_error err;
    char *json = NULL;
    size_t len = 0;
    int64_t pid, id;
    int rc;

    if (route_id(r, 0, &pid) < 0)
        return ANSWERED;
    http_today(today);
    if (measured_on && api_date_check(measured_on, today) != 0)
        return http_error(r, 400, "bad_request", "measured_on",
                          "measured_on: expected a date YYYY-MM-DD from 1900-01-01 to today");
    if (!http_is_json(r))
        return http_error(r, 415, "unsupported_media_type", NULL,
                          "send the assessment document as application/json");
    rc = mt_input_parse_json(&in, r->body ? r->body : "", r->body_len, &err);
    if (rc != MT_OK)
        return api_engine_error(r, rc, &err);
    rc = mt_assess(&res, in, &err);
    mt_input_free(in);
    if (rc != MT_OK)
        return api_engine_error(r, rc, &err);
    /* stored and answered without the indentation `myotrack assess` prints */
    rc = mt_result_render_json_flags(res, MT_JSON_COMPACT, &json, &len);
    if (rc == MT_OK)
        rc = mt_result_triage(res, &tv);
    mt_result_free(res);
    if (rc != MT_OK) {
        mt_free(json);
        return http_error(r, 500, "internal", NULL, "out of memory");
    }
    rc = st_assessment_add(r->st, &r->actor, pid, measured_on ? measured_on : today, r->body,
                           r->body_len, json, len, mt_version(), tv.level, &id);
    if (rc != ST_OK) {
        mt_free(json);
        return http_store_error(r, rc);
    }
    snprintf(loc, sizeof(loc), "/api/v1/patients/%lld/assessments/%lld", (long long)pid,
             (long long)id);
    {
        const char *h[] = {"Location", loc, NULL};
        /* the 24 KB result is sent from its own buffer, not copied; freed by MHD
         * (mt_free is free) */
        return http_send_owned(r, 201, "application/json; charset=utf-8", json, len, h);
    }
}

int api_assessment_list(req *r)
{
    return api_patient_read(r, st_assessment_list);
}

int api_assessment_get(req *r)
{
    int rc;
    char *json = NULL;
    int64_t pid, id;

    if (route_id(r, 0, &pid) < 0 || route_id(r, 1, &id) < 0)
        return ANSWERED;
    rc = st_assessment_get(r->st, &r->actor, pid, id, &json);
    return api_store_json(r, rc, json);
}

/* --- sessions and check-ins ------------------------------------------------------ */

typedef int (*store_add)(st_store *, const st_actor *, int64_t, const char *, const char *, size_t,
                         int64_t *);

/* Validate (the caller did), store, track, answer {"id", "alerts", extra...}. */
static int add_record(req *r, int64_t pid, store_add add, char prefix, const char *kind,
                      json_t *extra)
{
    json_t *body, *tracked, *answer;
    json_error_t je;
    const char *d;
    char record[32], date[11];
    int64_t id;
    int rc;

    body = json_loadb(r->body, r->body_len, 0, &je); /* valid: checked by the engine */
    d = body ? json_string_value(json_object_get(body, "date")) : NULL;
    if (!d || strlen(d) != 10) {
        json_decref(body);
        json_decref(extra);
        return http_error(r, 500, "internal", NULL, "out of memory");
    }
    memcpy(date, d, 11);
    json_decref(body);
    rc = add(r->st, &r->actor, pid, date, r->body, r->body_len, &id);
    if (rc != ST_OK) {
        json_decref(extra);
        return http_store_error(r, rc);
    }
    snprintf(record, sizeof(record), "%c%lld", prefix, (long long)id);
    answer = extra ? extra : json_object();
    json_object_set_new(answer, "id", json_integer(id));
    tracked =
        track_history(r, pid, MT_TRACK_ALERTS | MT_TRACK_PRESCRIPTION, NULL, NULL, date, 0, &rc);
    if (tracked) {
        json_object_set_new(answer, "alerts", record_alerts(tracked, record));
        if (prefix == 's')
            json_object_set(answer, "plan", json_object_get(tracked, "prescription"));
        json_decref(tracked);
    } else { /* stored with its alerts; only this answer's copy is missing */
        fprintf(stderr, "myotrack: %s stored; its answer has no alerts (%d)\n", record, rc);
        json_object_set_new(answer, "alerts", json_array());
    }
    return created(r, kind, pid, id, answer);
}

int api_exsession_create(req *r)
{
    char today[11];
    mt_error err;
    int64_t pid;
    int rc;

    if (route_id(r, 0, &pid) < 0)
        return ANSWERED;
    if (!http_is_json(r))
        return http_error(r, 415, "unsupported_media_type", NULL,
                          "send the session as application/json");
    http_today(today);
    rc = mt_session_check(r->body ? r->body : "", r->body_len, today, &err);
    if (rc != MT_OK)
        return api_engine_error(r, rc, &err);
    return add_record(r, pid, st_exsession_add, 's', "sessions", NULL);
}

int api_checkin_create(req *r)
{
    char today[11];
    mt_triage_view tv;
    mt_error err;
    int64_t pid;
    int rc;

    if (route_id(r, 0, &pid) < 0)
        return ANSWERED;
    if (!http_is_json(r))
        return http_error(r, 415, "unsupported_media_type", NULL,
                          "send the check-in as application/json");
    http_today(today);
    rc = mt_checkin_check(r->body ? r->body : "", r->body_len, today, &tv, &err);
    if (rc != MT_OK)
        return api_engine_error(r, rc, &err);
    /* The triage leads the answer: a red flag's advice is shown at once. */
    return add_record(r, pid, st_checkin_add, 'c', "checkins",
                      json_pack("{s:o}", "triage", api_triage_json(&tv)));
}

int api_exsession_list(req *r)
{
    return api_patient_read(r, st_exsession_list);
}

int api_checkin_list(req *r)
{
    return api_patient_read(r, st_checkin_list);
}

/* --- what the engine makes of the history ---------------------------------------- */

/* The optional from/to query parameters; answers 400 on a bad one. */
static int date_range(req *r, const char **from, const char **to)
{
    *from = http_query(r, "from");
    *to = http_query(r, "to");
    if (*from && !**from)
        *from = NULL;
    if (*to && !**to)
        *to = NULL;
    if (*from && api_date_check(*from, NULL) != 0) {
        http_error(r, 400, "bad_request", "from", "from: expected a date YYYY-MM-DD");
        return -1;
    }
    if (*to && api_date_check(*to, NULL) != 0) {
        http_error(r, 400, "bad_request", "to", "to: expected a date YYYY-MM-DD");
        return -1;
    }
    if (*from && *to && strcmp(*from, *to) > 0) {
        http_error(r, 400, "bad_request", "from", "from: must not be after to");
        return -1;
    }
    return 0;
}

/* Answer the tracking text of `parts` as it is: no re-reading. An answer made
 * from the same history version, for the same day and range, is answered from
 * the cache; the store still checks the access and audits the read. */
static int answer_track(req *r, unsigned parts, const char *from, const char *to)
{
    cache *c = http_answers(r);
    cache_text *hit = NULL;
    cache_key key;
    char today[11], *history = NULL, *out = NULL;
    const char *text;
    size_t len = 0;
    int64_t pid, known = -1, version = -1;
    mt_error err;
    int rc;

    if (route_id(r, 0, &pid) < 0)
        return ANSWERED;
    http_today(today);
    if (cache_key_make(&key, pid, parts, today, from, to) == 0)
        hit = cache_get(c, &key, &known);
    rc = st_history_cached(r->st, &r->actor, pid, today, from, to, known, &version, &history);
    if (rc != ST_OK) {
        cache_release(c, hit);
        return http_store_error(r, rc);
    }
    if (!history) { /* the cached answer is current */
        text = cache_text_data(hit, &len);
        rc = http_json(r, 200, text, len);
        cache_release(c, hit);
        return rc;
    }
    cache_release(c, hit);
    rc = mt_track_json_select(history, strlen(history), parts, &out, &len, &err);
    free(history);
    if (rc != MT_OK) {
        /* Every stored record passed the same engine: this is a bug, not bad input. */
        fprintf(stderr,
                "myotrack: tracking patient %lld failed at '%s' (the log keeps no "
                "clinical values)\n",
                (long long)pid, err.field);
        return track_error(r, TRACK_FAILED);
    }
    cache_put(c, &key, version, out, len);
    rc = http_json(r, 200, out, len);
    mt_free(out);
    return rc;
}

int api_progress(req *r)
{
    const char *from, *to;

    if (date_range(r, &from, &to) < 0)
        return ANSWERED;
    return answer_track(r, MT_TRACK_PROGRESS | MT_TRACK_BARE, from, to);
}

/* The triage comes first: a red flag since the last visit leads the plan. */
int api_plan(req *r)
{
    return answer_track(r, MT_TRACK_TRIAGE | MT_TRACK_PRESCRIPTION, NULL, NULL);
}

/* A store list, parsed, keeping the items whose `key` date is in [from, to]. */
static json_t *load_list(int rc, char *json, const char *key, const char *from, const char *to)
{
    json_t *list, *out, *item;
    json_error_t je;
    size_t i;

    if (rc != ST_OK)
        return NULL;
    list = json_loads(json, 0, &je);
    free(json);
    if (!list)
        return NULL;
    out = json_array();
    json_array_foreach(list, i, item)
    {
        const char *d = json_string_value(json_object_get(item, key));
        if (d && ((from && strncmp(d, from, 10) < 0) || (to && strncmp(d, to, 10) > 0)))
            continue;
        json_array_append(out, item);
    }
    json_decref(list);
    return out;
}

int api_report(req *r)
{
    const char *from, *to;
    json_t *tracked = NULL, *answer = NULL, *patient, *list, *item, *full;
    json_error_t je;
    char *json = NULL;
    int64_t pid;
    size_t i;
    int rc;

    if (route_id(r, 0, &pid) < 0 || date_range(r, &from, &to) < 0)
        return ANSWERED;
    rc = st_patient_get(r->st, &r->actor, pid, &json);
    if (rc != ST_OK)
        return http_store_error(r, rc);
    patient = json_loads(json, 0, &je);
    free(json);
    tracked = track_history(r, pid, MT_TRACK_ALL, from, to, NULL, 0, &rc);
    if (!tracked) {
        json_decref(patient);
        return track_error(r, rc);
    }
    answer = json_pack("{s:o,s:s?,s:s?,s:O,s:O,s:O,s:O}", "patient", patient, "from", from, "to",
                       to, "triage", json_object_get(tracked, "triage"), "progress",
                       json_object_get(tracked, "progress"), "prescription",
                       json_object_get(tracked, "prescription"), "disclaimer",
                       json_object_get(tracked, "disclaimer"));
    json_decref(tracked);
    if (!answer)
        return http_error(r, 500, "internal", NULL, "out of memory");

    rc = st_assessment_list(r->st, &r->actor, pid, &json);
    list = load_list(rc, json, "measured_on", from, to);
    if (!list)
        goto fail;
    json_array_foreach(list, i, item)
    { /* with each result */
        int64_t aid = json_integer_value(json_object_get(item, "id"));
        rc = st_assessment_get(r->st, &r->actor, pid, aid, &json);
        if (rc != ST_OK || !(full = json_loads(json, 0, &je))) {
            if (rc == ST_OK)
                free(json);
            json_decref(list);
            goto fail;
        }
        free(json);
        json_array_set_new(list, i, full);
    }
    json_object_set_new(answer, "assessments", list);
    rc = st_exsession_list(r->st, &r->actor, pid, &json);
    if (!(list = load_list(rc, json, "date", from, to)))
        goto fail;
    json_object_set_new(answer, "sessions", list);
    rc = st_checkin_list(r->st, &r->actor, pid, &json);
    if (!(list = load_list(rc, json, "date", from, to)))
        goto fail;
    json_object_set_new(answer, "checkins", list);
    rc = st_alert_list(r->st, &r->actor, pid, &json);
    if (!(list = load_list(rc, json, "date", from, to)))
        goto fail;
    json_object_set_new(answer, "alerts", list);
    return http_jsonv(r, 200, answer);
fail:
    json_decref(answer);
    return rc != ST_OK ? http_store_error(r, rc)
                       : http_error(r, 500, "internal", NULL, "out of memory");
}
