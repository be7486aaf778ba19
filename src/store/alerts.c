/*
 * alerts.c - alerts raised by the tracking engine, listed for clinicians and
 * patients, cleared by clinicians.
 *
 * An alert's key is unique per patient ("fall:c12"), so raising the same
 * alert twice stores it once: the engine may be run over the whole history
 * after every record and only what is new is inserted. A cleared alert keeps
 * its row (when and by whom), and its key goes back to the engine in the
 * history's "cleared" list.
 */
#include <stdlib.h>

#include "store/internal.h"

int st__insert_alerts(sqlite3 *db, const st_actor *who, int64_t patient_id,
                      const st_alert *alerts, int n, int *count)
{
    int rc = ST_OK, i, added = 0;

    for (i = 0; i < n; i++)
        if (!alerts[i].key || !alerts[i].key[0] || !alerts[i].kind || !alerts[i].level)
            return st__error(ST_INVALID, "alert %d needs a key, a kind and a level", i);
    for (i = 0; rc == ST_OK && i < n; i++) {
        const st_alert *a = &alerts[i];
        rc = st__run(
            db,
            "INSERT INTO alerts (patient_id, key, kind, level, date, explanation, source,"
            " created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ''), ?7, " ST__NOW
            ", ?8) ON CONFLICT (patient_id, key) DO NOTHING",
            "issssssi", patient_id, a->key, a->kind, a->level, a->date, a->explanation, a->source,
            who->user_id);
        if (rc == ST_OK && sqlite3_changes(db) > 0) {
            added++;
            rc = st__audit(db, who, "write", patient_id, "alert", sqlite3_last_insert_rowid(db));
        }
    }
    if (rc == ST_OK && count)
        *count = added;
    return rc;
}

int st_alerts_raise(st_store *st, const st_actor *who, int64_t patient_id, const st_alert *alerts,
                    int n, int *inserted)
{
    sqlite3 *db = NULL;
    int rc;

    if (inserted)
        *inserted = 0;
    if (n < 0 || (n > 0 && !alerts))
        return st__error(ST_INVALID, "no alerts given");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 1);
    if (rc == ST_OK)
        rc = st__insert_alerts(db, who, patient_id, alerts, n, inserted);
    return st__end(st, db, rc);
}

int st_alert_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    sqlite3 *db = NULL;
    int64_t own;
    int rc;

    *json_out = NULL;
    if (patient_id != 0) { /* one patient: a read, then its audit row */
        if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
            return rc;
        rc = st__reach(db, who, patient_id, 0);
        if (rc == ST_OK)
            rc = st__text(db, json_out,
                          "SELECT json_group_array(json(j)) FROM (SELECT " ST__ALERT_OBJECT " AS j"
                          " FROM alerts l JOIN patients p ON p.id = l.patient_id"
                          " WHERE l.patient_id = ?1" ST__ALERT_ORDER ")",
                          "i", patient_id);
        rc = st__end(st, db, rc);
        return st__audited(st, who, patient_id, "alert", 0, rc, json_out);
    }
    /* every reachable patient: one audit row per patient, from the same rows */
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && (who->local || who->role == ST_ADMIN))
        rc = st__error(ST_FORBIDDEN, "an admin reads no clinical data");
    if (rc != ST_OK)
        goto done;
    own = who->role == ST_PATIENT ? who->patient_id : 0;
    rc = st__text(db, json_out,
                  "SELECT json_group_array(json(j)) FROM (SELECT " ST__ALERT_OBJECT " AS j"
                  " FROM alerts l JOIN patients p ON p.id = l.patient_id"
                  " WHERE l.patient_id IN " ST__REACHED ST__ALERT_ORDER ")",
                  "ii", who->user_id, own);
    /* One audit row per patient whose alerts were read. */
    if (rc == ST_OK)
        rc = st__run(db,
                     "INSERT INTO audit (at, user_id, user, action, patient_id, object, object_id)"
                     " SELECT " ST__NOW ", ?1, (SELECT username FROM users WHERE id = ?1), 'read',"
                     " l.patient_id, 'alert', NULL FROM alerts l"
                     " WHERE l.patient_id IN " ST__REACHED " GROUP BY l.patient_id",
                     "ii", who->user_id, own);
done:
    if (rc != ST_OK) {
        free(*json_out);
        *json_out = NULL;
    }
    return st__end(st, db, rc);
}

/* The alert's patient, after checking the actor reaches it: a missing alert
 * and one out of reach are both ST_NOTFOUND; an admin is ST_FORBIDDEN either way. */
static int alert_reach(sqlite3 *db, const st_actor *who, int64_t alert_id, int write,
                       int64_t *patient_id)
{
    int rc = st__int(db, patient_id, "SELECT patient_id FROM alerts WHERE id = ?1", "i", alert_id);

    if (rc == ST_OK) {
        rc = st__reach(db, who, *patient_id, write);
    } else if (rc == ST_NOTFOUND) {
        rc = st__actor_check(db, who);
        if (rc == ST_OK && !who->local && who->role == ST_ADMIN)
            rc = st__error(ST_FORBIDDEN, "an admin reads no clinical data");
        else if (rc == ST_OK)
            rc = ST_NOTFOUND;
    }
    if (rc == ST_NOTFOUND)
        rc = st__error(ST_NOTFOUND, "no such alert, or not one this user reaches");
    return rc;
}

int st_alert_get(st_store *st, const st_actor *who, int64_t alert_id, char **json_out)
{
    sqlite3 *db = NULL;
    int64_t pid = 0;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = alert_reach(db, who, alert_id, 0, &pid);
    if (rc == ST_OK)
        rc = st__text(db, json_out,
                      "SELECT " ST__ALERT_OBJECT " FROM alerts l JOIN patients p"
                      " ON p.id = l.patient_id WHERE l.id = ?1",
                      "i", alert_id);
    rc = st__end(st, db, rc);
    return st__audited(st, who, pid, "alert", alert_id, rc, json_out);
}

int st_alert_clear(st_store *st, const st_actor *who, int64_t alert_id)
{
    sqlite3 *db = NULL;
    int64_t pid = 0;
    int rc;

    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && (who->local || who->role != ST_CLINICIAN))
        rc = st__error(ST_FORBIDDEN, "only a clinician clears alerts");
    if (rc == ST_OK)
        rc = alert_reach(db, who, alert_id, 1, &pid);
    if (rc == ST_OK)
        rc = st__run(db,
                     "UPDATE alerts SET cleared_at = " ST__NOW ", cleared_by = ?2"
                     " WHERE id = ?1 AND cleared_at IS NULL",
                     "ii", alert_id, who->user_id);
    if (rc == ST_OK && sqlite3_changes(db) == 0)
        rc = st__error(ST_CONFLICT, "the alert is already cleared");
    if (rc == ST_OK)
        rc = st__audit(db, who, "write", pid, "alert", alert_id);
    return st__end(st, db, rc);
}
