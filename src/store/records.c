/*
 * records.c - the clinical records: assessments, exercise sessions and
 * check-ins, and the history document the tracking engine reads.
 *
 * Documents are stored as the text given (the schema refuses text that is not
 * JSON) and embedded back with json(), so a stored value comes back as it was
 * written; an assessment's result is compressed (results.c) and read back
 * through st_result(). Each add is one transaction: the access check, the row, its audit
 * row and the alerts it raises. Each read is a read transaction (the access
 * check and the read), then its audit row through the group commit. Sessions and check-ins share one table shape, so one pair of
 * functions serves both through a row of `kinds`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "myotrack.h"
#include "render/buf.h"
#include "store/internal.h"

/* What follows a record's INSERT (rc its result) in its job's savepoint: its
 * id, its audit row, and the alerts it raises (an assessment's own id counts
 * in its history; a session or check-in is after every visit of its day). */
static int record_written(int rc, sqlite3 *db, st_store *st, const st_actor *who,
                          int64_t patient_id, const char *object, const char *date,
                          int is_assessment, int64_t *id)
{
    if (rc == ST_OK) {
        *id = sqlite3_last_insert_rowid(db);
        rc = st__audit(db, who, "write", patient_id, object, *id);
    }
    if (rc == ST_OK)
        rc = st__raise_for(st, db, who, patient_id, date, is_assessment ? *id : 0);
    return rc;
}

/* An assessment's write, run as a job of the group commit of writes. */
typedef struct assessment_job {
    st_store *st;
    const st_actor *who;
    int64_t patient_id;
    const char *measured_on, *document, *engine_version, *triage_level;
    size_t document_len;
    st__packed result;
    int64_t id;
} assessment_job;

static int assessment_write(sqlite3 *db, void *arg)
{
    assessment_job *a = arg;
    int rc = st__reach(db, a->who, a->patient_id, 1);

    if (rc == ST_OK)
        rc = st__run(db,
                     "INSERT INTO assessments (patient_id, measured_on, created_at, created_by,"
                     " engine_version, triage_level, document, result, result_dictionary)"
                     " VALUES (?1, ?2, " ST__NOW ", ?3, ?4, ?5, ?6, ?7, ?8)",
                     a->result.dictionary ? "isisstbn" : "isissttn", a->patient_id, a->measured_on,
                     a->who->user_id, a->engine_version, a->triage_level, a->document,
                     a->document_len, a->result.data, a->result.len, a->result.dictionary);
    return record_written(rc, db, a->st, a->who, a->patient_id, "assessment", a->measured_on, 1,
                          &a->id);
}

int st_assessment_add(st_store *st, const st_actor *who, int64_t patient_id,
                      const char *measured_on, const char *document, size_t document_len,
                      const char *result, size_t result_len, const char *engine_version,
                      const char *triage_level, int64_t *id_out)
{
    assessment_job a = {st, who, patient_id, measured_on, document, engine_version, triage_level,
                        document_len, {0}, 0};
    st__job job;
    int rc;

    if (!measured_on || !document || !result || !engine_version)
        return st__error(ST_INVALID, "an assessment needs its date, document, result and engine");
    /* compressed here, in the caller's thread, not in the writers' turn */
    if ((rc = st__result_pack(st__results_of(st), result, result_len, &a.result)) != ST_OK)
        return rc;
    memset(&job, 0, sizeof(job));
    job.run = assessment_write;
    job.arg = &a;
    rc = st__write_job(st, &job);
    st__packed_free(&a.result);
    if (rc == ST_OK && id_out)
        *id_out = a.id;
    return rc;
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
                      " 'result', json(st_result(a.result, a.result_dictionary)))"
                      " FROM assessments a"
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

/* A session's or check-in's write, run as a job of the group commit. */
typedef struct record_job {
    st_store *st;
    const record_kind *k;
    const st_actor *who;
    int64_t patient_id;
    const char *date, *json;
    size_t len;
    int64_t id;
} record_job;

static int record_write(sqlite3 *db, void *arg)
{
    record_job *r = arg;
    int rc = st__reach(db, r->who, r->patient_id, 1);

    if (rc == ST_OK)
        rc = st__run(db, r->k->insert, "isit", r->patient_id, r->date, r->who->user_id, r->json,
                     r->len);
    return record_written(rc, db, r->st, r->who, r->patient_id, r->k->object, r->date, 0, &r->id);
}

static int record_add(st_store *st, const record_kind *k, const st_actor *who, int64_t patient_id,
                      const char *date, const char *json, size_t len, int64_t *id_out)
{
    record_job r = {st, k, who, patient_id, date, json, len, 0};
    st__job job;
    int rc;

    if (!date || !json)
        return st__error(ST_INVALID, "a %s needs its date and its JSON", k->object);
    memset(&job, 0, sizeof(job));
    job.run = record_write;
    job.arg = &r;
    rc = st__write_job(st, &job);
    if (rc == ST_OK && id_out)
        *id_out = r.id;
    return rc;
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
 * The part of the history a new record can change (st_history_since), built
 * here from plain indexed queries: the assessments from the one before the
 * new point onwards (never fewer than the last two), so every consecutive pair
 * the engine compares is a real one; the sessions and check-ins from the
 * earliest of those visits, the new record's date and four weeks before
 * today; and every check-in whose fall alert is still open. `date` is the new
 * record's date, `aid` its assessment id (a huge id for a session or check-in:
 * every visit that day counts as before it). Each query is answered by the
 * (patient_id, date, id) indexes without a scan, whatever the history's
 * length. It runs inside the writers' turn (st__raise_for), where the same
 * document built with SQLite's JSON functions (json() re-parsing every stored
 * document, ephemeral tables for the UNIONs) cost most of the alerts' time:
 * the stored documents are valid JSON (their CHECK) and go in as they are;
 * sessions and check-ins keep json_set for their "id" and "date" (small
 * objects, and a key the stored object already has must be replaced, not
 * repeated). The document is the one of docs/tracking.md, like st_history's.
 */
/* A kept assessment: its id, date and stored document (copied). */
typedef struct kept {
    int64_t id;
    char date[11];
    char *doc;
    size_t len;
} kept;

typedef struct keeps {
    kept *v;
    int n, cap;
} keeps;

/* st__rows: a row of (id, measured_on, document) kept. */
static int keep_row(sqlite3_stmt *s, void *arg)
{
    keeps *k = arg;
    const char *date = (const char *)sqlite3_column_text(s, 1);
    const void *doc = sqlite3_column_text(s, 2);
    size_t len = (size_t)sqlite3_column_bytes(s, 2);
    kept *e;

    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 8;
        kept *v = realloc(k->v, (size_t)cap * sizeof(*v));
        if (!v)
            return st__error(ST_NOMEM, "out of memory");
        k->v = v;
        k->cap = cap;
    }
    e = &k->v[k->n];
    e->id = sqlite3_column_int64(s, 0);
    snprintf(e->date, sizeof(e->date), "%s", date ? date : "");
    if (!doc || !(e->doc = malloc(len + 1)))
        return st__error(ST_NOMEM, "out of memory");
    memcpy(e->doc, doc, len);
    e->doc[len] = '\0';
    e->len = len;
    k->n++;
    return ST_OK;
}

static int kept_order(const void *a, const void *b)
{
    const kept *x = a, *y = b;
    int c = strcmp(x->date, y->date);

    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* st__rows: the first column appended, after a comma unless first: as it is
 * (JSON) or, with `as_string`, as a JSON string. */
typedef struct put_list {
    mt_buf *b;
    int as_string, n;
} put_list;

static int put_row(sqlite3_stmt *s, void *arg)
{
    put_list *l = arg;
    const char *t = (const char *)sqlite3_column_text(s, 0);

    if (l->n++)
        mt_buf_putc(l->b, ',');
    if (l->as_string)
        mt_buf_json_str(l->b, t ? t : "");
    else
        mt_buf_put(l->b, t ? t : "null", t ? (size_t)sqlite3_column_bytes(s, 0) : 4);
    return ST_OK;
}

/* The sessions' and check-ins' start: the earliest of ?2 (the kept visits'
 * and the record's dates) and four weeks before today (?3; today itself when
 * it is not a date). */
#define SINCE_START "min(?2, coalesce(date(?3, '-28 days'), ?3))"

static int history_since_json(sqlite3 *db, int64_t patient_id, const char *today,
                              const char *date, int64_t aid, char **out)
{
    keeps k = {NULL, 0, 0};
    mt_buf b = {NULL, 0, 0, 0};
    put_list list = {&b, 0, 0};
    char id[24];
    const char *start = date;
    int rc, i, n;

    *out = NULL;
    /* the assessments: from the new point on, the one before it, the last two */
    rc = st__rows(db, keep_row, &k,
                  "SELECT id, measured_on, document FROM assessments"
                  " WHERE patient_id = ?1 AND measured_on = ?2 AND id >= ?3",
                  "isi", patient_id, date, aid);
    if (rc == ST_OK)
        rc = st__rows(db, keep_row, &k,
                      "SELECT id, measured_on, document FROM assessments"
                      " WHERE patient_id = ?1 AND measured_on > ?2",
                      "is", patient_id, date);
    if (rc == ST_OK) {
        n = k.n;
        rc = st__rows(db, keep_row, &k,
                      "SELECT id, measured_on, document FROM assessments"
                      " WHERE patient_id = ?1 AND measured_on = ?2 AND id < ?3"
                      " ORDER BY id DESC LIMIT 1",
                      "isi", patient_id, date, aid);
        if (rc == ST_OK && k.n == n)
            rc = st__rows(db, keep_row, &k,
                          "SELECT id, measured_on, document FROM assessments"
                          " WHERE patient_id = ?1 AND measured_on < ?2"
                          " ORDER BY measured_on DESC, id DESC LIMIT 1",
                          "is", patient_id, date);
    }
    if (rc == ST_OK)
        rc = st__rows(db, keep_row, &k,
                      "SELECT id, measured_on, document FROM assessments WHERE patient_id = ?1"
                      " ORDER BY measured_on DESC, id DESC LIMIT 2",
                      "i", patient_id);
    if (rc != ST_OK)
        goto done;
    if (k.n > 1) /* qsort's array must not be NULL, even empty */
        qsort(k.v, (size_t)k.n, sizeof(*k.v), kept_order);
    if (k.n > 0 && strcmp(k.v[0].date, start) < 0)
        start = k.v[0].date;

    mt_buf_puts(&b, "{\"today\":");
    mt_buf_json_str(&b, today);
    mt_buf_puts(&b, ",\"assessments\":[");
    for (i = 0; i < k.n; i++) {
        if (i > 0 && k.v[i].id == k.v[i - 1].id)
            continue; /* kept twice (the last two) */
        if (b.len && b.p[b.len - 1] != '[')
            mt_buf_putc(&b, ',');
        snprintf(id, sizeof(id), "a%lld", (long long)k.v[i].id);
        mt_buf_puts(&b, "{\"id\":");
        mt_buf_json_str(&b, id);
        mt_buf_puts(&b, ",\"date\":");
        mt_buf_json_str(&b, k.v[i].date);
        mt_buf_puts(&b, ",\"document\":");
        mt_buf_put(&b, k.v[i].doc, k.v[i].len);
        mt_buf_putc(&b, '}');
    }
    mt_buf_puts(&b, "],\"sessions\":[");
    rc = st__rows(db, put_row, &list,
                  "SELECT json_set(r.data, '$.id', 's' || r.id, '$.date', r.date)"
                  " FROM exercise_sessions r WHERE r.patient_id = ?1 AND r.date >= " SINCE_START
                  " ORDER BY r.date, r.id",
                  "iss", patient_id, start, today);
    mt_buf_puts(&b, "],\"checkins\":[");
    list.n = 0;
    if (rc == ST_OK)
        rc = st__rows(db, put_row, &list,
                      "SELECT json_set(r.data, '$.id', 'c' || r.id, '$.date', r.date)"
                      " FROM checkins r WHERE r.patient_id = ?1 AND (r.date >= " SINCE_START
                      " OR 'fall:c' || r.id IN (SELECT l.key FROM alerts l"
                      "   WHERE l.patient_id = ?1 AND l.cleared_at IS NULL))"
                      " ORDER BY r.date, r.id",
                      "iss", patient_id, start, today);
    mt_buf_puts(&b, "],\"cleared\":[");
    list.n = 0;
    list.as_string = 1;
    if (rc == ST_OK)
        rc = st__rows(db, put_row, &list,
                      "SELECT key FROM alerts WHERE patient_id = ?1 AND cleared_at IS NOT NULL"
                      " ORDER BY key",
                      "i", patient_id);
    mt_buf_puts(&b, "]}");
    if (rc == ST_OK && mt_buf_finish(&b, out, NULL) != MT_OK)
        rc = st__error(ST_NOMEM, "the history is too long (over 16 MiB) or out of memory");
done:
    for (i = 0; i < k.n; i++)
        free(k.v[i].doc);
    free(k.v);
    free(b.p);
    return rc;
}

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
    rc = history_since_json(db, patient_id, today, date,
                            assessment_id > 0 ? assessment_id : INT64_MAX, &history);
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
        rc = history_since_json(db, patient_id, today, date,
                                assessment_id > 0 ? assessment_id : INT64_MAX, json_out);
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
