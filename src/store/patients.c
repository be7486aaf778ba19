/*
 * patients.c - patient records and care teams.
 *
 * A clinician creates a patient and joins their care team in the same
 * transaction. Lists are built by SQLite (json_object, json_group_array) over
 * the patients the actor reaches, and every patient listed gets its audit row
 * from the same query's rows (INSERT ... SELECT), so the trail names each
 * patient whose data left the store. An admin's list carries names and care
 * teams only: what managing accounts needs, no clinical data.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int st_patient_create(st_store *st, const st_actor *who, const char *display_name, const char *sex,
                      const char *birth_date, int64_t *id_out)
{
    sqlite3 *db = NULL;
    int64_t id = 0;
    int rc;

    if (!display_name || !sex)
        return st__error(ST_INVALID, "a patient needs a name and a sex");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && (who->local || who->role != ST_CLINICIAN))
        rc = st__error(ST_FORBIDDEN, "only a clinician creates patients");
    if (rc == ST_OK)
        rc = st__run(db,
                     "INSERT INTO patients (display_name, sex, birth_date, created_at, created_by)"
                     " VALUES (?1, ?2, ?3, " ST__NOW ", ?4)",
                     "sssi", display_name, sex, birth_date, who->user_id);
    if (rc == ST_OK) {
        id = sqlite3_last_insert_rowid(db);
        rc = st__run(db,
                     "INSERT INTO care_team (patient_id, clinician_id, assigned_at)"
                     " VALUES (?1, ?2, " ST__NOW ")",
                     "ii", id, who->user_id);
    }
    if (rc == ST_OK)
        rc = st__audit(db, who, "write", id, "patient", id);
    if (rc == ST_OK && id_out)
        *id_out = id;
    return st__end(st, db, rc);
}

int st_patient_list(st_store *st, const st_actor *who, char **json_out)
{
    sqlite3 *db = NULL;
    int64_t own;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc != ST_OK)
        goto done;
    if (who->role == ST_ADMIN) {
        rc = st__text(
            db, json_out,
            "SELECT json_group_array(json(j)) FROM (SELECT json_object('id', p.id,"
            "  'display_name', p.display_name, 'clinicians', json((SELECT"
            "  json_group_array(name) FROM (SELECT u.username AS name FROM care_team c"
            "  JOIN users u ON u.id = c.clinician_id WHERE c.patient_id = p.id"
            "  ORDER BY u.username)))) AS j FROM patients p ORDER BY p.display_name, p.id)",
            "");
        if (rc == ST_OK)
            rc = st__run(db,
                         "INSERT INTO audit (at, user_id, user, action, patient_id, object,"
                         " object_id) SELECT " ST__NOW ", ?1, coalesce((SELECT username FROM users"
                         " WHERE id = ?1), 'cli'), 'read', p.id, 'patient_name', p.id"
                         " FROM patients p",
                         "n", who->local ? (int64_t)0 : who->user_id);
        goto done;
    }
    own = who->role == ST_PATIENT ? who->patient_id : 0;
    rc = st__text(db, json_out,
                  "SELECT json_group_array(json(j)) FROM (SELECT " ST__PATIENT_OBJECT " AS j,"
                  "  (SELECT count(*) FROM alerts l WHERE l.patient_id = p.id"
                  "   AND l.cleared_at IS NULL) AS open FROM patients p WHERE p.id IN " ST__REACHED
                  "  ORDER BY open > 0 DESC, p.display_name, p.id)",
                  "ii", who->user_id, own);
    if (rc == ST_OK)
        rc = st__run(db,
                     "INSERT INTO audit (at, user_id, user, action, patient_id, object, object_id)"
                     " SELECT " ST__NOW ", ?1, (SELECT username FROM users WHERE id = ?1), 'read',"
                     " p.id, 'patient', p.id FROM patients p WHERE p.id IN " ST__REACHED,
                     "ii", who->user_id, own);
done:
    if (rc != ST_OK) {
        free(*json_out);
        *json_out = NULL;
    }
    return st__end(st, db, rc);
}

int st_patient_get(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__text(db, json_out, "SELECT " ST__PATIENT_OBJECT " FROM patients p WHERE p.id = ?1",
                      "i", patient_id);
    rc = st__end(st, db, rc);
    return st__audited(st, who, patient_id, "patient", patient_id, rc, json_out);
}

/* Assign (add = 1) or unassign a clinician, as an admin. */
static int care_team(st_store *st, const st_actor *who, const char *clinician, int64_t patient_id,
                     int add)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t uid = 0, one = 0;
    int rc;

    if (!clinician)
        return st__error(ST_INVALID, "no clinician named");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && who->role != ST_ADMIN)
        rc = st__error(ST_FORBIDDEN, "only an admin changes care teams");
    if (rc == ST_OK) {
        rc = st__int(db, &one, "SELECT 1 FROM patients WHERE id = ?1", "i", patient_id);
        if (rc == ST_NOTFOUND)
            rc = st__error(ST_NOTFOUND, "no such patient");
    }
    if (rc == ST_OK)
        rc = st__prepare(db, &s, "SELECT id, role FROM users WHERE username = ?1", "s", clinician);
    if (rc == ST_OK) {
        int src = sqlite3_step(s);
        if (src == SQLITE_DONE)
            rc = st__error(ST_NOTFOUND, "no such user");
        else if (src != SQLITE_ROW)
            rc = st__fail(db, src, "reading a user");
        else if (sqlite3_column_type(s, 1) != SQLITE_TEXT ||
                 strcmp((const char *)sqlite3_column_text(s, 1), "clinician") != 0)
            rc = st__error(ST_INVALID, "the user is not a clinician");
        else
            uid = sqlite3_column_int64(s, 0);
    }
    st__done(s);
    if (rc == ST_OK && add) {
        rc = st__run(db,
                     "INSERT INTO care_team (patient_id, clinician_id, assigned_at)"
                     " VALUES (?1, ?2, " ST__NOW ") ON CONFLICT DO NOTHING",
                     "ii", patient_id, uid);
    } else if (rc == ST_OK) {
        rc = st__run(db, "DELETE FROM care_team WHERE patient_id = ?1 AND clinician_id = ?2", "ii",
                     patient_id, uid);
        if (rc == ST_OK && sqlite3_changes(db) == 0)
            rc = st__error(ST_NOTFOUND, "the clinician is not on the patient's care team");
    }
    if (rc == ST_OK)
        rc = st__audit(db, who, "write", patient_id, "care_team", uid);
    return st__end(st, db, rc);
}

int st_assign(st_store *st, const st_actor *who, const char *clinician, int64_t patient_id)
{
    return care_team(st, who, clinician, patient_id, 1);
}

int st_unassign(st_store *st, const st_actor *who, const char *clinician, int64_t patient_id)
{
    return care_team(st, who, clinician, patient_id, 0);
}
