/*
 * audit.c - the audit trail: one row for every read and write of patient data,
 * committed by the store before the access it records is answered.
 *
 * A row names when, who (the username, or "cli" for the command line), read or
 * write, the patient, the kind of object and its id; never a clinical value.
 * A write's row commits in the write's transaction; a read's row commits
 * through the group commit (st__audit_read) before the read returns.
 * The table refuses UPDATE and DELETE (triggers in schema.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int st__audit(sqlite3 *db, const st_actor *who, const char *action, int64_t patient_id,
              const char *object, int64_t object_id)
{
    int64_t uid = who->local ? 0 : who->user_id;

    return st__run(db,
                   "INSERT INTO audit (at, user_id, user, action, patient_id, object, object_id)"
                   " VALUES (" ST__NOW ", ?1,"
                   "  coalesce((SELECT username FROM users WHERE id = ?1), 'cli'), ?2, ?3, ?4, ?5)",
                   "nsnsn", uid, action, patient_id, object, object_id);
}

int st__audit_read(st_store *st, const st_actor *who, int64_t patient_id, const char *object,
                   int64_t object_id)
{
    st__audit_row row;

    memset(&row, 0, sizeof(row));
    row.who = who;
    row.action = "read";
    row.patient_id = patient_id;
    row.object = object;
    row.object_id = object_id;
    return st__audit_commit(st, &row);
}

int st__audited(st_store *st, const st_actor *who, int64_t patient_id, const char *object,
                int64_t object_id, int rc, char **json_out)
{
    if (rc == ST_OK)
        rc = st__audit_read(st, who, patient_id, object, object_id);
    if (rc != ST_OK) {
        free(*json_out);
        *json_out = NULL;
    }
    return rc;
}

int st_audit_list(st_store *st, const st_actor *who, int64_t patient_id, int limit, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if (limit <= 0)
        limit = 100;
    if (limit > 10000)
        limit = 10000;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && who->role != ST_ADMIN)
        rc = st__error(ST_FORBIDDEN, "only an admin reads the audit trail");
    if (rc == ST_OK)
        rc = st__text(db, json_out,
                      "SELECT json_group_array(json(j)) FROM (SELECT json_object('id', id,"
                      "  'at', at, 'user', user, 'action', action, 'patient_id', patient_id,"
                      "  'object', object, 'object_id', object_id) AS j FROM audit"
                      "  WHERE ?1 = 0 OR patient_id = ?1 ORDER BY id DESC LIMIT ?2)",
                      "ii", patient_id, (int64_t)limit);
    return st__end(st, db, rc);
}
