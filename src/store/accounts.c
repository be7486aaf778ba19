/*
 * accounts.c - users, login attempts and sessions: what logging in needs.
 *
 * Passwords arrive already hashed (src/auth) and session tokens arrive as the
 * hash of the cookie's token: neither a password nor a live token is ever
 * stored. Usernames are unique without regard to ASCII case, so "Alice" and
 * "alice" cannot be two people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Copy a column's text into a fixed buffer; ST_ERROR when it does not fit. */
static int copy_text(sqlite3_stmt *s, int col, char *buf, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    size_t len = (size_t)sqlite3_column_bytes(s, col);

    if (!t || len >= n)
        return st__error(ST_ERROR, "a stored value does not fit its field");
    memcpy(buf, t, len);
    buf[len] = '\0';
    return ST_OK;
}

static int valid_username(const char *s)
{
    size_t n;

    if (!s)
        return 0;
    for (n = 0; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
            return 0;
    return n >= 1 && n <= 63;
}

int st_user_add(st_store *st, const char *username, st_role role, const char *password_hash,
                int64_t patient_id, int64_t *id_out)
{
    sqlite3 *db = NULL;
    int64_t one = 0;
    int rc;

    if (!valid_username(username))
        return st__error(ST_INVALID, "a username is 1 to 63 bytes without control characters");
    if ((unsigned)role > ST_PATIENT)
        return st__error(ST_INVALID, "unknown role");
    if (!password_hash || !password_hash[0] || strlen(password_hash) >= 160)
        return st__error(ST_INVALID, "no password hash");
    if ((role == ST_PATIENT) != (patient_id > 0))
        return st__error(ST_INVALID, role == ST_PATIENT
                                         ? "a patient user needs a patient record"
                                         : "only a patient user has a patient record");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    if (role == ST_PATIENT) {
        rc = st__int(db, &one, "SELECT 1 FROM patients WHERE id = ?1", "i", patient_id);
        if (rc == ST_NOTFOUND)
            rc = st__error(ST_NOTFOUND, "no patient with id %lld", (long long)patient_id);
    }
    if (rc == ST_OK) {
        rc = st__run(db,
                     "INSERT INTO users (username, role, patient_id, password_hash, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, " ST__NOW ")",
                     "ssns", username, st_role_name(role), patient_id, password_hash);
        if (rc == ST_CONFLICT)
            rc = st__error(ST_CONFLICT, "the username is taken");
    }
    if (rc == ST_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(db);
    return st__end(st, db, rc);
}

int st_user_get(st_store *st, const char *username, st_user *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!username)
        return st__error(ST_INVALID, "no username");
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__prepare(db, &s,
                     "SELECT id, username, role, coalesce(patient_id, 0), password_hash"
                     " FROM users WHERE username = ?1",
                     "s", username);
    if (rc == ST_OK) {
        int src = sqlite3_step(s);
        if (src == SQLITE_ROW) {
            out->id = sqlite3_column_int64(s, 0);
            out->patient_id = sqlite3_column_int64(s, 3);
            rc = copy_text(s, 1, out->username, sizeof(out->username));
            if (rc == ST_OK)
                rc = st_role_parse((const char *)sqlite3_column_text(s, 2), &out->role);
            if (rc == ST_OK)
                rc = copy_text(s, 4, out->password_hash, sizeof(out->password_hash));
        } else if (src == SQLITE_DONE) {
            rc = st__error(ST_NOTFOUND, "no such user");
        } else {
            rc = st__fail(db, src, "reading a user");
        }
    }
    st__done(s);
    if (rc != ST_OK)
        memset(out, 0, sizeof(*out));
    return st__end(st, db, rc);
}

int st_user_list(st_store *st, const st_actor *who, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__actor_check(db, who);
    if (rc == ST_OK && who->role != ST_ADMIN)
        rc = st__error(ST_FORBIDDEN, "only an admin lists the users");
    if (rc == ST_OK)
        rc = st__text(db, json_out,
                      "SELECT json_group_array(json(j)) FROM (SELECT json_object('id', id,"
                      "  'username', username, 'role', role, 'patient_id', patient_id,"
                      "  'created_at', created_at) AS j FROM users ORDER BY id)",
                      "");
    return st__end(st, db, rc);
}

/* --- login throttling ------------------------------------------------------- */

int st_login_begin(st_store *st, const char *username, int64_t now, int64_t since, int max,
                   int *allowed, int64_t *attempt)
{
    sqlite3 *db = NULL;
    int64_t n = 0;
    int rc;

    *allowed = 0;
    *attempt = 0;
    if (!username)
        return st__error(ST_INVALID, "no username");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__int(db, &n,
                 "SELECT count(*) FROM login_attempts WHERE username = ?1 AND at >= ?2 AND ok = 0",
                 "si", username, since);
    if (rc == ST_OK && n < max) {
        rc = st__run(db, "INSERT INTO login_attempts (username, at, ok) VALUES (?1, ?2, 0)", "si",
                     username, now);
        if (rc == ST_OK) {
            *allowed = 1;
            *attempt = sqlite3_last_insert_rowid(db);
        }
    }
    return st__end(st, db, rc);
}

int st_login_succeeded(st_store *st, int64_t attempt)
{
    sqlite3 *db = NULL;
    int rc;

    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__run(db, "UPDATE login_attempts SET ok = 1 WHERE id = ?1", "i", attempt);
    if (rc == ST_OK && sqlite3_changes(db) != 1)
        rc = st__error(ST_NOTFOUND, "no such login attempt");
    return st__end(st, db, rc);
}

int st_login_failures(st_store *st, const char *username, int64_t since, int *count)
{
    sqlite3 *db = NULL;
    int64_t n = 0;
    int rc;

    *count = 0;
    if (!username)
        return st__error(ST_INVALID, "no username");
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__int(db, &n,
                 "SELECT count(*) FROM login_attempts WHERE username = ?1 AND at >= ?2 AND ok = 0",
                 "si", username, since);
    if (rc == ST_OK)
        *count = (int)n;
    return st__end(st, db, rc);
}

/* --- sessions ----------------------------------------------------------------- */

int st_session_create(st_store *st, const char *token_hash, int64_t user_id, const char *csrf_token,
                      int64_t now, int64_t expires_at)
{
    sqlite3 *db = NULL;
    int rc;

    if (!token_hash || !token_hash[0] || !csrf_token || !csrf_token[0] || strlen(csrf_token) > 64)
        return st__error(ST_INVALID, "a session needs a token hash and a CSRF token");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__run(db,
                 "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5)",
                 "sisii", token_hash, user_id, csrf_token, now, expires_at);
    if (rc == ST_NOTFOUND)
        rc = st__error(ST_NOTFOUND, "no such user");
    return st__end(st, db, rc);
}

int st_session_get(st_store *st, const char *token_hash, int64_t now, st_session *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!token_hash)
        return st__error(ST_INVALID, "no token hash");
    if ((rc = st__begin(st, &db, ST__READ)) != ST_OK)
        return rc;
    rc = st__prepare(db, &s,
                     "SELECT u.id, u.username, u.role, coalesce(u.patient_id, 0), s.csrf_token,"
                     " s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
                     " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                     "si", token_hash, now);
    if (rc == ST_OK) {
        int src = sqlite3_step(s);
        if (src == SQLITE_ROW) {
            out->user_id = sqlite3_column_int64(s, 0);
            out->patient_id = sqlite3_column_int64(s, 3);
            out->expires_at = sqlite3_column_int64(s, 5);
            rc = copy_text(s, 1, out->username, sizeof(out->username));
            if (rc == ST_OK)
                rc = st_role_parse((const char *)sqlite3_column_text(s, 2), &out->role);
            if (rc == ST_OK)
                rc = copy_text(s, 4, out->csrf_token, sizeof(out->csrf_token));
        } else if (src == SQLITE_DONE) {
            rc = st__error(ST_NOTFOUND, "no such session, or it has expired");
        } else {
            rc = st__fail(db, src, "reading a session");
        }
    }
    st__done(s);
    if (rc != ST_OK)
        memset(out, 0, sizeof(*out));
    return st__end(st, db, rc);
}

int st_session_delete(st_store *st, const char *token_hash)
{
    sqlite3 *db = NULL;
    int rc;

    if (!token_hash)
        return st__error(ST_INVALID, "no token hash");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__run(db, "DELETE FROM sessions WHERE token_hash = ?1", "s", token_hash);
    return st__end(st, db, rc);
}

int st_session_purge(st_store *st, int64_t now)
{
    sqlite3 *db = NULL;
    int rc;

    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__run(db, "DELETE FROM sessions WHERE expires_at <= ?1", "i", now);
    /* Throttling looks back 15 minutes; a day of attempts is plenty to keep. */
    if (rc == ST_OK)
        rc = st__run(db, "DELETE FROM login_attempts WHERE at < ?1", "i", now - 86400);
    return st__end(st, db, rc);
}
