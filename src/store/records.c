/*
 * records.c - the clinical records: assessments, exercise sessions and
 * check-ins, and the history document the tracking engine reads.
 *
 * Documents are stored as the text given (the schema refuses text that is not
 * JSON) and embedded back with json(), so a stored value comes back as it was
 * written. Each add is one transaction: the access check, the row, its audit
 * row and the alerts it raises. Each read is a read transaction (the access
 * check and the read), then its audit row through the group commit. Sessions and check-ins share one table shape, so one pair of
 * functions serves both through a row of `kinds`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"

int st_assessment_add(st_store *st, const st_actor *who, int64_t patient_id,
                      const char *measured_on, const char *document, size_t document_len,
                      const char *result, size_t result_len, const char *engine_version,
                      const char *triage_level, int64_t *id_out)
{
    sqlite3 *db = NULL;
    int64_t id = 0;
    int rc;

    if (!measured_on || !document || !result || !engine_version)
        return st__error(ST_INVALID, "an assessment needs its date, document, result and engine");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 1);
    if (rc == ST_OK)
        rc = st__run(db,
                     "INSERT INTO assessments (patient_id, measured_on, created_at, created_by,"
                     " engine_version, triage_level, document, result)"
                     " VALUES (?1, ?2, " ST__NOW ", ?3, ?4, ?5, ?6, ?7)",
                     "isisstt", patient_id, measured_on, who->user_id, engine_version, triage_level,
                     document, document_len, result, result_len);
    if (rc == ST_OK) {
        id = sqlite3_last_insert_rowid(db);
        rc = st__audit(db, who, "write", patient_id, "assessment", id);
    }
    if (rc == ST_OK)
        rc = st__raise_for(st, db, who, patient_id, measured_on, id);
    if (rc == ST_OK && id_out)
        *id_out = id;
    return st__end(st, db, rc);
}

int st_assessment_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__text(
            db, json_out,
            "SELECT json_group_array(json(j)) FROM (SELECT json_object(" ST__ASSESSMENT_FIELDS
            ") AS j FROM assessments a WHERE a.patient_id = ?1"
            " ORDER BY a.measured_on DESC, a.id DESC)",
            "i", patient_id);
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, "assessment", 0, rc, json_out);
}

int st_assessment_get(st_store *st, const st_actor *who, int64_t patient_id, int64_t id,
                      char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK) {
        rc = st__text(db, json_out,
                      "SELECT json_object(" ST__ASSESSMENT_FIELDS ", 'document', json(a.document),"
                      " 'result', json(a.result)) FROM assessments a"
                      " WHERE a.id = ?1 AND a.patient_id = ?2",
                      "ii", id, patient_id);
        if (rc == ST_NOTFOUND)
            rc = st__error(ST_NOTFOUND, "no such assessment");
    }
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, "assessment", id, rc, json_out);
}

/* --- sessions and check-ins ---------------------------------------------------- */

typedef struct record_kind {
    const char *object; /* the audit's object name */
    const char *insert;
    const char *list;
} record_kind;

/* A stored record as its JSON object with "id", "date" and "created_at" set. */
#define RECORD_OBJECT                                                                              \
    "json_set(r.data, '$.id', r.id, '$.date', r.date, '$.created_at', r.created_at,"               \
    " '$.created_by', (SELECT username FROM users WHERE id = r.created_by))"

static const record_kind kinds[] = {
    {"session",
     "INSERT INTO exercise_sessions (patient_id, date, created_at, created_by, data)"
     " VALUES (?1, ?2, " ST__NOW ", ?3, ?4)",
     "SELECT json_group_array(json(j)) FROM (SELECT " RECORD_OBJECT " AS j"
     " FROM exercise_sessions r WHERE r.patient_id = ?1 ORDER BY r.date DESC, r.id DESC)"},
    {"checkin",
     "INSERT INTO checkins (patient_id, date, created_at, created_by, data)"
     " VALUES (?1, ?2, " ST__NOW ", ?3, ?4)",
     "SELECT json_group_array(json(j)) FROM (SELECT " RECORD_OBJECT " AS j"
     " FROM checkins r WHERE r.patient_id = ?1 ORDER BY r.date DESC, r.id DESC)"},
};

static int record_add(st_store *st, const record_kind *k, const st_actor *who, int64_t patient_id,
                      const char *date, const char *json, size_t len, int64_t *id_out)
{
    sqlite3 *db = NULL;
    int64_t id = 0;
    int rc;

    if (!date || !json)
        return st__error(ST_INVALID, "a %s needs its date and its JSON", k->object);
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 1);
    if (rc == ST_OK)
        rc = st__run(db, k->insert, "isit", patient_id, date, who->user_id, json, len);
    if (rc == ST_OK) {
        id = sqlite3_last_insert_rowid(db);
        rc = st__audit(db, who, "write", patient_id, k->object, id);
    }
    if (rc == ST_OK)
        rc = st__raise_for(st, db, who, patient_id, date, 0);
    if (rc == ST_OK && id_out)
        *id_out = id;
    return st__end(st, db, rc);
}

static int record_list(st_store *st, const record_kind *k, const st_actor *who, int64_t patient_id,
                       char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__text(db, json_out, k->list, "i", patient_id);
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, k->object, 0, rc, json_out);
}

int st_exsession_add(st_store *st, const st_actor *who, int64_t patient_id, const char *date,
                     const char *json, size_t len, int64_t *id_out)
{
    return record_add(st, &kinds[0], who, patient_id, date, json, len, id_out);
}

int st_exsession_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    return record_list(st, &kinds[0], who, patient_id, json_out);
}

int st_checkin_add(st_store *st, const st_actor *who, int64_t patient_id, const char *date,
                   const char *json, size_t len, int64_t *id_out)
{
    return record_add(st, &kinds[1], who, patient_id, date, json, len, id_out);
}

int st_checkin_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    return record_list(st, &kinds[1], who, patient_id, json_out);
}

/* --- history -------------------------------------------------------------------- */

/* ?1 patient, ?2 today, ?3 from, ?4 to (NULL: open-ended). Ids are prefixed
 * (a12, s3, c7) so the engine's alert keys name their record stably. The
 * patient's sex is not repeated here: the engine reads it from the documents. */
/* clang-format off */
#define IN_RANGE(col) " AND (?3 IS NULL OR " col " >= ?3) AND (?4 IS NULL OR " col " <= ?4)"

static const char history_sql[] =
    "SELECT json_object('today', ?2,"
    " 'assessments', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
    "   'id', 'a' || a.id, 'date', a.measured_on, 'document', json(a.document)) AS j"
    "   FROM assessments a WHERE a.patient_id = ?1" IN_RANGE("a.measured_on")
    "   ORDER BY a.measured_on, a.id))),"
    " 'sessions', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 's' || r.id, '$.date', r.date) AS j"
    "   FROM exercise_sessions r WHERE r.patient_id = ?1" IN_RANGE("r.date")
    "   ORDER BY r.date, r.id))),"
    " 'checkins', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 'c' || r.id, '$.date', r.date) AS j"
    "   FROM checkins r WHERE r.patient_id = ?1" IN_RANGE("r.date")
    "   ORDER BY r.date, r.id))),"
    " 'cleared', json((SELECT json_group_array(key) FROM (SELECT l.key FROM alerts l"
    "   WHERE l.patient_id = ?1 AND l.cleared_at IS NOT NULL ORDER BY l.key))))";
/* clang-format on */

/*
 * The part of the history a new record can change (st_history_since): the
 * assessments from the one before the new point onwards (never fewer than the
 * last two), so every consecutive pair the engine compares is a real one; the
 * sessions and check-ins from the earliest of those visits, the new record's
 * date and four weeks before today; and every check-in whose fall alert is
 * still open. ?3 is the new record's date, ?4 its assessment id (a huge id for
 * a session or check-in: every visit that day counts as before it). Each
 * part is written so the (patient_id, measured_on, id) index answers it
 * without a scan, whatever the history's length.
 */
#define SINCE_KEEP                                                                                 \
    "keep AS (SELECT id FROM assessments WHERE patient_id = ?1 AND measured_on > ?3"               \
    " UNION SELECT id FROM assessments WHERE patient_id = ?1 AND measured_on = ?3 AND id >= ?4"    \
    " UNION SELECT id FROM (SELECT id FROM assessments WHERE patient_id = ?1"                      \
    "   AND (measured_on, id) < (?3, ?4) ORDER BY measured_on DESC, id DESC LIMIT 1)"              \
    " UNION SELECT id FROM (SELECT id FROM assessments WHERE patient_id = ?1"                      \
    "   ORDER BY measured_on DESC, id DESC LIMIT 2)),"                                             \
    "start AS (SELECT min(d) AS d FROM (SELECT measured_on AS d FROM assessments"                  \
    "   WHERE id IN (SELECT id FROM keep) UNION ALL SELECT ?3"                                     \
    "   UNION ALL SELECT date(?2, '-28 days')))"

static const char history_since_sql[] =
    "WITH " SINCE_KEEP " SELECT json_object('today', ?2,"
    " 'assessments', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
    "   'id', 'a' || a.id, 'date', a.measured_on, 'document', json(a.document)) AS j"
    "   FROM assessments a WHERE a.id IN (SELECT id FROM keep)"
    "   ORDER BY a.measured_on, a.id))),"
    " 'sessions', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 's' || r.id, '$.date', r.date) AS j"
    "   FROM exercise_sessions r WHERE r.patient_id = ?1 AND r.date >= (SELECT d FROM start)"
    "   ORDER BY r.date, r.id))),"
    " 'checkins', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 'c' || r.id, '$.date', r.date) AS j"
    "   FROM checkins r WHERE r.patient_id = ?1 AND (r.date >= (SELECT d FROM start)"
    "   OR 'fall:c' || r.id IN (SELECT l.key FROM alerts l WHERE l.patient_id = ?1"
    "     AND l.cleared_at IS NULL))"
    "   ORDER BY r.date, r.id))),"
    " 'cleared', json((SELECT json_group_array(key) FROM (SELECT l.key FROM alerts l"
    "   WHERE l.patient_id = ?1 AND l.cleared_at IS NOT NULL ORDER BY l.key))))";

int st__raise_for(st_store *st, sqlite3 *db, const st_actor *who, int64_t patient_id,
                  const char *date, int64_t assessment_id)
{
    st_raise_fn raise;
    st_release_fn release;
    const st_alert *alerts = NULL;
    void *handle = NULL;
    char *history = NULL, today[11];
    time_t now = time(NULL);
    struct tm tm;
    int rc, n = 0;

    st__raiser(st, &raise, &release);
    if (!raise)
        return ST_OK;
    localtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    rc = st__text(db, &history, history_since_sql, "issi", patient_id, today, date,
                  assessment_id > 0 ? assessment_id : INT64_MAX);
    if (rc == ST_OK)
        rc = raise(history, strlen(history), &alerts, &n, &handle);
    if (rc == ST_OK)
        rc = st__insert_alerts(db, who, patient_id, alerts, n, NULL);
    if (release)
        release(handle);
    free(history);
    return rc;
}

int st_history_since(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
                     const char *date, int64_t assessment_id, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if (!today || !date)
        return st__error(ST_INVALID, "the history needs today's date and the record's");
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__text(db, json_out, history_since_sql, "issi", patient_id, today, date,
                      assessment_id > 0 ? assessment_id : INT64_MAX);
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, "history", 0, rc, json_out);
}

int st_history_cached(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
                      const char *from, const char *to, int64_t known, int64_t *version,
                      char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    *version = -1;
    if (!today)
        return st__error(ST_INVALID, "the history needs today's date");
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__int(db, version, "SELECT history_version FROM patients WHERE id = ?1", "i",
                     patient_id);
    if (rc == ST_OK && (known < 0 || *version != known))
        rc = st__text(db, json_out, history_sql, "isss", patient_id, today, from, to);
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, "history", 0, rc, json_out);
}

int st_history(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
               const char *from, const char *to, char **json_out)
{
    int64_t version;

    return st_history_cached(st, who, patient_id, today, from, to, -1, &version, json_out);
}
