/*
 * store.h - persistence: the only code in myotrack that touches SQL.
 *
 * One SQLite file in WAL mode, foreign keys on, a busy timeout, prepared
 * statements only, every write in one transaction (BEGIN IMMEDIATE ... COMMIT)
 * and versioned schema migrations applied by st_open(). A store handle holds a
 * writer connection, a small pool of readers and a checkpointer thread, so it
 * may be shared by every server thread; each st_* call takes a connection,
 * runs one transaction and gives it back.
 *
 * Access to patient data goes through an actor (who is asking). The store
 * checks the row-level rule (a clinician reaches only the patients assigned to
 * them, a patient only their own record; an admin no clinical data at all)
 * and writes the audit row in the same transaction as a write, or, for a read,
 * commits it (batched with other threads' reads) before the read returns:
 * there is no way to read patient data without leaving a trace. A patient the
 * actor may not reach is ST_NOTFOUND, exactly like one that does not exist.
 *
 * Reads return JSON text built by SQLite's JSON functions, malloc'd and
 * NUL-terminated: the caller frees it with free(). Timestamps are ISO 8601
 * UTC text ("2026-11-21T10:00:00Z"); dates "YYYY-MM-DD".
 */
#ifndef MT_STORE_H
#define MT_STORE_H

#include <stddef.h>
#include <stdint.h>

/* Return codes: 0 ok, negative failures. */
enum {
    ST_OK = 0,
    ST_NOTFOUND = -1, /* no such row, or the actor may not reach it */
    ST_CONFLICT = -2, /* a unique value taken (username), or a state conflict */
    ST_FORBIDDEN = -3,/* the actor's role may not do this at all (admin reading clinical data) */
    ST_BUSY = -4,     /* the database stayed locked beyond the busy timeout */
    ST_FULL = -5,     /* the disk or the size limit is full: nothing was written */
    ST_INVALID = -6,  /* a bad argument (empty name, unknown role...) */
    ST_NOMEM = -7,
    ST_ERROR = -8     /* anything else from SQLite (corruption, I/O) */
};

typedef struct st_store st_store;

struct st_alert;

/* Raising alerts in the same transaction as the record that raises them:
 * after a record is inserted, the store reads the history that record can
 * change (the document of st_history_since, with today's local date) and
 * passes it to `raise`, which answers the alerts to store (ST_OK), or fails
 * the whole write (any other code: nothing of it is kept). `*alerts` and their
 * strings stay valid until `release(*handle)`. The server passes the tracking
 * engine here, so an acknowledged fall is never without its alert. */
typedef int (*st_raise_fn)(const char *history, size_t len, const struct st_alert **alerts,
                           int *n, void **handle);
typedef void (*st_release_fn)(void *handle);

typedef struct st_options {
    int connections;      /* pool size; 0 means 4 */
    int busy_timeout_ms;  /* 0 means 5000 */
    int64_t max_db_bytes; /* 0: no limit; else writes beyond it fail with ST_FULL, and
                           * all but the audit trail's stop a sixteenth short of it (8 to
                           * 1024 pages), so reads go on a while when it is full */
    int sync_full;        /* 1: synchronous=FULL (survives power loss); 0: NORMAL */
    st_raise_fn raise;    /* NULL: records raise no alerts by themselves */
    st_release_fn release;
} st_options;

/* Roles. */
typedef enum st_role { ST_ADMIN = 0, ST_CLINICIAN = 1, ST_PATIENT = 2 } st_role;

/* Who is asking. user_id 0 with role ST_ADMIN and local = 1 is the local
 * operator at the command line (myotrack export/backup): audited as "cli". */
typedef struct st_actor {
    int64_t user_id;
    st_role role;
    int64_t patient_id; /* the patient's own record, for ST_PATIENT; else 0 */
    int local;          /* 1: the command line, may read any patient (export) */
} st_actor;

/* A user row, as the server needs it to log someone in. */
typedef struct st_user {
    int64_t id;
    char username[64];
    st_role role;
    int64_t patient_id;     /* 0 unless role is patient */
    char password_hash[160]; /* libsodium's argon2id string */
} st_user;

/* A live session, looked up by the hash of its token. */
typedef struct st_session {
    int64_t user_id;
    char username[64];
    st_role role;
    int64_t patient_id;
    char csrf_token[65];   /* 64 hex characters */
    int64_t expires_at;    /* unix seconds */
} st_session;

/* The last error's text for the log (thread-local; never contains clinical
 * values or secrets). */
const char *st_errmsg(void);

const char *st_role_name(st_role r);
int st_role_parse(const char *s, st_role *out);

/* --- opening ------------------------------------------------------------- */

/* The default database path: $XDG_DATA_HOME/myotrack/myotrack.db, else
 * $HOME/.local/share/myotrack/myotrack.db (a relative XDG_DATA_HOME is
 * ignored, as the XDG spec says). ST_INVALID when neither is usable or the
 * path does not fit in `n` bytes. */
int st_default_path(char *buf, size_t n);

/* Open (creating if needed, with its directory) and migrate the database.
 * A new database file and its directories are private to their owner (0600,
 * 0700). opt NULL: the defaults, with synchronous=FULL.
 * @return ST_OK, or a failure with st_errmsg() saying why. */
int st_open(st_store **out, const char *path, const st_options *opt);
void st_close(st_store *st); /* accepts NULL */

/* The schema version after migration. */
int st_schema_version(st_store *st);

/* PRAGMA integrity_check: ST_OK when "ok". */
int st_check(st_store *st);

/* The trace: with the environment variable MYOTRACK_TRACE naming a file when
 * the first store is opened, the store appends a line per write batch, audit
 * batch and checkpoint to it (bench/README.md describes them); st_trace adds
 * the caller's (printf format), st_trace_now is the trace's clock
 * (CLOCK_MONOTONIC, microseconds). Off, st_trace_on() is 0 and st_trace does
 * nothing. */
int st_trace_on(void);
int64_t st_trace_now(void);
void st_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Compress the results stored from now on (st_assessment_add) with zstd
 * against `content`: the engine's results for a few reference documents,
 * which most of any result repeats (the server's srv_result_dictionary). It
 * is kept in the database, once however often it is given, and every stored
 * result names its dictionary, so results read back the same after the
 * dictionary changes (an engine upgrade). Without one, results are kept as
 * text. Reads give the result's JSON either way. */
int st_result_dictionary(st_store *st, const char *content, size_t len);

/* Online backup (sqlite3_backup) to a new file at `dest`, atomically: written
 * beside it and renamed. */
int st_backup(st_store *st, const char *dest);

/* --- accounts ------------------------------------------------------------ */

/* Add a user. `password_hash` is already hashed (src/auth). A patient user
 * needs an existing patient_id; other roles need 0. ST_CONFLICT when the name
 * is taken. */
int st_user_add(st_store *st, const char *username, st_role role, const char *password_hash,
                int64_t patient_id, int64_t *id_out);
int st_user_get(st_store *st, const char *username, st_user *out); /* ST_NOTFOUND */
/* Every user as [{"id","username","role","patient_id","created_at"}] (admin only). */
int st_user_list(st_store *st, const st_actor *who, char **json_out);

/* Login throttling, race-free: in one write transaction, count the failures
 * for `username` since `since`; when there are fewer than `max`, record this
 * attempt as a failure at once (so parallel attempts count it) and set
 * *allowed and *attempt; st_login_succeeded() turns it into a success when the
 * password matched. */
int st_login_begin(st_store *st, const char *username, int64_t now, int64_t since, int max,
                   int *allowed, int64_t *attempt);
int st_login_succeeded(st_store *st, int64_t attempt);

/* The failures for `username` since `since` (unix seconds). */
int st_login_failures(st_store *st, const char *username, int64_t since, int *count);

/* Sessions: `token_hash` is the hex hash of the cookie's token (the token
 * itself is never stored). st_session_get fails with ST_NOTFOUND when the
 * session is missing or expired at `now`. */
int st_session_create(st_store *st, const char *token_hash, int64_t user_id,
                      const char *csrf_token, int64_t now, int64_t expires_at);
int st_session_get(st_store *st, const char *token_hash, int64_t now, st_session *out);
int st_session_delete(st_store *st, const char *token_hash); /* ST_OK also when absent */
/* Drop expired sessions, and login attempts more than a day old. */
int st_session_purge(st_store *st, int64_t now);

/* --- patients and care teams --------------------------------------------- */

/* A clinician creates a patient and is assigned to them, in one transaction.
 * sex "male"|"female"; birth_date "YYYY-MM-DD" or NULL. */
int st_patient_create(st_store *st, const st_actor *who, const char *display_name,
                      const char *sex, const char *birth_date, int64_t *id_out);
/* The patients the actor reaches: [{"id","display_name","sex","birth_date",
 * "created_at","last_assessment_at","triage_level","open_alerts"}], patients
 * with open alerts first. Admin: [{"id","display_name","clinicians":[names]}]
 * only (no clinical data). */
int st_patient_list(st_store *st, const st_actor *who, char **json_out);
/* One patient: {"id","display_name","sex","birth_date","created_at",
 * "clinicians":[...],"last_assessment_at","triage_level","open_alerts"}. */
int st_patient_get(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);
/* Admin: assign or unassign a clinician (by username). ST_NOTFOUND for an
 * unknown clinician or patient, ST_INVALID when the user is not a clinician. */
int st_assign(st_store *st, const st_actor *who, const char *clinician, int64_t patient_id);
int st_unassign(st_store *st, const st_actor *who, const char *clinician, int64_t patient_id);

/* --- clinical records ---------------------------------------------------- */

/* Store an assessment: the input document as given, the engine's result JSON,
 * the engine version, the triage level, who and when (measured_on: the date
 * the measurements were taken, "YYYY-MM-DD"). */
int st_assessment_add(st_store *st, const st_actor *who, int64_t patient_id,
                      const char *measured_on, const char *document, size_t document_len,
                      const char *result, size_t result_len, const char *engine_version,
                      const char *triage_level, int64_t *id_out);
/* [{"id","measured_on","created_at","created_by","engine_version","triage_level"}], newest first. */
int st_assessment_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);
/* {"id","measured_on","created_at","created_by","engine_version","triage_level",
 *  "document":{...},"result":{...}} */
int st_assessment_get(st_store *st, const st_actor *who, int64_t patient_id, int64_t id,
                      char **json_out);

/* Exercise sessions and check-ins: the validated JSON as given, its date. */
int st_exsession_add(st_store *st, const st_actor *who, int64_t patient_id, const char *date,
                     const char *json, size_t len, int64_t *id_out);
int st_exsession_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);
int st_checkin_add(st_store *st, const st_actor *who, int64_t patient_id, const char *date,
                   const char *json, size_t len, int64_t *id_out);
int st_checkin_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);

/* The patient's history as the engine's tracking document (docs/tracking.md):
 * {"today","sex","assessments":[{"id","date","document"}],"sessions":[{"id",...}],
 *  "checkins":[{"id",...}],"cleared":[alert keys]}, oldest first. `from`/`to`
 * ("YYYY-MM-DD" or NULL) limit the records by date. */
int st_history(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
               const char *from, const char *to, char **json_out);

/* st_history through the caller's cache of what it made of the history:
 * *version receives the patient's history version, which the database bumps
 * on every change to their records or alerts (whichever process makes it).
 * When it equals `known` (>= 0), *json_out is left NULL: the caller's copy,
 * made from the history at that version, is current. Either way the access is
 * checked and audited as by st_history. */
int st_history_cached(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
                      const char *from, const char *to, int64_t known, int64_t *version,
                      char **json_out);

/* The part of the history a record dated `date` can change, in the same shape
 * (what the server tracks after each write to raise alerts, in time that does
 * not grow with the history): the assessments from the one before the record
 * onwards (at least the last two), sessions and check-ins from the earliest of
 * those, the record's date and 28 days before today, and check-ins with an open
 * fall alert. `assessment_id`: the new assessment's id, or 0 for a session or
 * check-in. */
int st_history_since(st_store *st, const st_actor *who, int64_t patient_id, const char *today,
                     const char *date, int64_t assessment_id, char **json_out);

/* --- alerts ---------------------------------------------------------------- */

/* One alert from the engine's tracking output. */
typedef struct st_alert {
    const char *key;         /* stable: "fall:c12", "decline:grip:a7" */
    const char *kind;        /* "fall", "pain", "decline", "drop_20_percent", "red_flag", ... */
    const char *level;       /* a triage level for red flags, else "review" */
    const char *date;        /* the record's date */
    const char *explanation; /* plain language */
    const char *source;      /* source ID */
} st_alert;

/* Insert the alerts not stored yet (by key), in one transaction; *inserted
 * receives how many were new. The writer is the actor whose record raised them. */
int st_alerts_raise(st_store *st, const st_actor *who, int64_t patient_id, const st_alert *alerts,
                    int n, int *inserted);
/* Open and cleared alerts of the patients the actor reaches:
 * [{"id","patient_id","patient","key","kind","level","date","explanation",
 *   "source","created_at","cleared_at","cleared_by"}], open first, red flags first,
 * newest first. patient_id 0: every reachable patient. */
int st_alert_list(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);
/* A clinician clears an alert (a reviewed fall lets progression resume).
 * ST_CONFLICT if it is already cleared. */
int st_alert_clear(st_store *st, const st_actor *who, int64_t alert_id);
/* One alert as in st_alert_list (what POST /alerts/{id}/clear answers); an
 * alert of a patient out of reach is ST_NOTFOUND. */
int st_alert_get(st_store *st, const st_actor *who, int64_t alert_id, char **json_out);

/* Admin: the audit trail, newest first, at most `limit` rows:
 * [{"id","at","user","action","patient_id","object","object_id"}]. patient_id 0: all. */
int st_audit_list(st_store *st, const st_actor *who, int64_t patient_id, int limit,
                  char **json_out);

/* --- export ------------------------------------------------------------------ */

/* Everything about one patient as one JSON document (myotrack export):
 * {"patient":{...},"assessments":[...with document and result],"sessions":[...],
 *  "checkins":[...],"alerts":[...]}. */
int st_export_patient(st_store *st, const st_actor *who, int64_t patient_id, char **json_out);

#endif /* MT_STORE_H */
