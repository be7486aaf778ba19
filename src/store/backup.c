/*
 * backup.c - copies that leave the store: an online backup of the whole
 * database and the export of one patient.
 *
 * The backup uses SQLite's online backup API on a pooled connection, so the
 * server keeps running while it is taken. It is written to a temporary file
 * beside the destination, synced, and renamed over it: the destination is
 * either the old file or the complete new one, never half a database. The
 * directory is synced too, so the rename itself survives a power cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"

/* fsync a file or directory by path. */
static int sync_path(const char *path, int directory)
{
    int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* 1 when both paths name one existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Copy the whole database into the open connection `to`. */
static int copy_into(sqlite3 *from, sqlite3 *to, int busy_ms)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    int rc, waited = 0;

    if (!b)
        return st__fail(to, sqlite3_errcode(to), "starting the backup");
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (waited >= busy_ms)
                break;
            sqlite3_sleep(50);
            waited += 50;
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? ST_OK : st__fail(to, rc, "copying the database");
}

int st_backup(st_store *st, const char *dest)
{
    sqlite3 *src = NULL, *out = NULL;
    char *tmp = NULL, *dir = NULL, *slash;
    size_t n;
    int rc, fd;

    if (!dest || !dest[0])
        return st__error(ST_INVALID, "no backup file named");
    n = strlen(dest);
    tmp = malloc(n + 16);
    dir = malloc(n + 2);
    if (!tmp || !dir) {
        rc = st__error(ST_NOMEM, "out of memory");
        goto done;
    }
    snprintf(tmp, n + 16, "%s.tmp-XXXXXX", dest);
    memcpy(dir, dest, n + 1);
    slash = strrchr(dir, '/');
    if (!slash)
        memcpy(dir, ".", 2);
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';

    fd = mkstemp(tmp); /* mode 0600: a backup holds everything */
    if (fd < 0) {
        rc = st__error(ST_ERROR, "cannot create a file beside %s: %s", dest, strerror(errno));
        tmp[0] = '\0';
        goto done;
    }
    close(fd);
    if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = st__fail(out, sqlite3_errcode(out), "opening the backup file");
        goto done;
    }
    if ((rc = st__acquire(st, &src)) != ST_OK)
        goto done;
    if (same_file(sqlite3_db_filename(src, "main"), dest))
        rc = st__error(ST_INVALID, "the backup would replace the database itself");
    else
        rc = copy_into(src, out, st__busy_timeout(st));
    st__release(st, src);
    if (rc != ST_OK)
        goto done;
    /* The copy keeps the source's WAL setting; fold it into one file. */
    if (sqlite3_exec(out, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;", NULL,
                     NULL, NULL) != SQLITE_OK) {
        rc = st__fail(out, sqlite3_errcode(out), "finishing the backup file");
        goto done;
    }
    if (sqlite3_close(out) != SQLITE_OK) {
        rc = st__error(ST_ERROR, "closing the backup file");
        out = NULL;
        goto done;
    }
    out = NULL;
    if (sync_path(tmp, 0) != 0) {
        rc = st__error(ST_ERROR, "cannot sync the backup: %s", strerror(errno));
        goto done;
    }
    if (rename(tmp, dest) != 0) {
        rc = st__error(ST_ERROR, "cannot rename the backup to %s: %s", dest, strerror(errno));
        goto done;
    }
    tmp[0] = '\0'; /* renamed: nothing to remove */
    if (sync_path(dir, 1) != 0)
        rc = st__error(ST_ERROR, "cannot sync the backup's directory: %s", strerror(errno));

done:
    sqlite3_close(out);
    if (tmp && tmp[0])
        unlink(tmp);
    free(tmp);
    free(dir);
    return rc;
}

/* --- export ------------------------------------------------------------------------ */

static const char export_sql[] =
    "SELECT json_object("
    " 'patient', json((SELECT " ST__PATIENT_OBJECT " FROM patients p WHERE p.id = ?1)),"
    " 'assessments', json((SELECT json_group_array(json(j)) FROM (SELECT "
    "json_object(" ST__ASSESSMENT_FIELDS
    ", 'document', json(a.document), 'result',"
    " json(st_result(a.result, a.result_dictionary))) AS j"
    "   FROM assessments a WHERE a.patient_id = ?1 ORDER BY a.measured_on, a.id))),"
    " 'sessions', json((SELECT json_group_array(json(j)) FROM (SELECT json_object('id', r.id,"
    "   'date', r.date, 'created_at', r.created_at, 'created_by', (SELECT username FROM users"
    "   WHERE id = r.created_by), 'session', json(r.data)) AS j FROM exercise_sessions r"
    "   WHERE r.patient_id = ?1 ORDER BY r.date, r.id))),"
    " 'checkins', json((SELECT json_group_array(json(j)) FROM (SELECT json_object('id', r.id,"
    "   'date', r.date, 'created_at', r.created_at, 'created_by', (SELECT username FROM users"
    "   WHERE id = r.created_by), 'checkin', json(r.data)) AS j FROM checkins r"
    "   WHERE r.patient_id = ?1 ORDER BY r.date, r.id))),"
    " 'alerts', json((SELECT json_group_array(json(j)) FROM (SELECT " ST__ALERT_OBJECT " AS j"
    "   FROM alerts l JOIN patients p ON p.id = l.patient_id WHERE l.patient_id = ?1"
    "   ORDER BY l.id))))";

int st_export_patient(st_store *st, const st_actor *who, int64_t patient_id, char **json_out)
{
    sqlite3 *db = NULL;
    int rc;

    *json_out = NULL;
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__reach(db, who, patient_id, 0);
    if (rc == ST_OK)
        rc = st__audit(db, who, "read", patient_id, "export", 0);
    if (rc == ST_OK)
        rc = st__text(db, json_out, export_sql, "i", patient_id);
    if (rc != ST_OK) {
        free(*json_out);
        *json_out = NULL;
    }
    return st__end(st, db, rc);
}
