/*
 * access.c - who may reach which patient, decided inside the caller's
 * transaction from the database's own rows, not from what the caller claims.
 *
 * The actor comes from a session (the server) or the command line; the store
 * checks that the user row still has the role the actor claims, then applies
 * the row-level rule: admins see no clinical data, clinicians reach the
 * patients on whose care team they are, patients their own record. A patient
 * out of reach is ST_NOTFOUND, exactly like a missing one, so that ids cannot
 * be probed.
 */
#include "store/internal.h"

int st__actor_check(sqlite3 *db, const st_actor *who)
{
    int64_t ok = 0;
    int rc;

    if (!who)
        return st__error(ST_INVALID, "no actor");
    if (who->local) {
        if (who->user_id != 0 || who->role != ST_ADMIN)
            return st__error(ST_FORBIDDEN, "the local actor is the command line's admin");
        return ST_OK;
    }
    rc = st__int(db, &ok,
                 "SELECT 1 FROM users WHERE id = ?1 AND role = ?2"
                 " AND coalesce(patient_id, 0) = ?3",
                 "isi", who->user_id, st_role_name(who->role),
                 who->role == ST_PATIENT ? who->patient_id : (int64_t)0);
    if (rc == ST_NOTFOUND)
        return st__error(ST_FORBIDDEN, "the actor (user %lld) does not match a user row",
                         (long long)who->user_id);
    return rc;
}

int st__reach(sqlite3 *db, const st_actor *who, int64_t patient_id, int write)
{
    int64_t one = 0;
    int rc = st__actor_check(db, who);

    if (rc != ST_OK)
        return rc;
    if (who->local) {
        if (write)
            return st__error(ST_FORBIDDEN, "the command line does not write clinical records");
        rc = st__int(db, &one, "SELECT 1 FROM patients WHERE id = ?1", "i", patient_id);
    } else if (who->role == ST_ADMIN) {
        return st__error(ST_FORBIDDEN, "an admin reads no clinical data");
    } else {
        rc = st__int(db, &one, "SELECT 1 FROM patients WHERE id = ?3 AND id IN " ST__REACHED, "iii",
                     who->user_id, who->role == ST_PATIENT ? who->patient_id : (int64_t)0,
                     patient_id);
    }
    if (rc == ST_NOTFOUND)
        return st__error(ST_NOTFOUND, "no such patient, or not one this user reaches");
    return rc;
}
