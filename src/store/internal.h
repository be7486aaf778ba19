/*
 * internal.h - what the store's files share and nothing outside src/store sees:
 * the connection pool, the transaction bracket, the error mapping, small
 * statement helpers that bind values by a type string (never by formatting
 * SQL), the actor and row-level access checks, and the audit writer.
 *
 * Every public st_* function that writes has the same shape:
 *
 *     sqlite3 *db = NULL;
 *     int rc = st__begin(st, &db, ST__WRITE);   // the writer connection, BEGIN IMMEDIATE
 *     if (rc == ST_OK) rc = ...work...;         // checks, reads, writes, audit
 *     return st__end(st, db, rc);               // COMMIT if ST_OK else ROLLBACK; give back
 *
 * so that a check, the write it guards and the audit row describing it commit
 * together or not at all. A read of one patient's data is a read transaction
 * on a pooled reader, then its audit row through the group commit:
 *
 *     int rc = st__begin(st, &db, ST__READ);    // a reader, BEGIN
 *     if (rc == ST_OK) rc = ...check, read...;
 *     rc = st__end(st, db, rc);
 *     return st__audited(st, who, patient, "object", id, rc, &json);  // committed, or no data
 *
 * so no data leaves the store before its audit row has committed.
 */
#ifndef MT_STORE_INTERNAL_H
#define MT_STORE_INTERNAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>

#include <sqlite3.h>

#include "store/store.h"

/* Transaction kinds for st__begin. */
enum { ST__READ = 0, ST__WRITE = 1 };

/* --- db.c ------------------------------------------------------------------ */

/* Record `fmt` as this thread's st_errmsg(); returns `code`. */
int st__error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Map an SQLite result code to an ST_* code, recording "what: SQLite's
 * message" as st_errmsg(). SQLITE_BUSY/LOCKED -> ST_BUSY, SQLITE_FULL ->
 * ST_FULL, a unique or primary key constraint -> ST_CONFLICT, a foreign key
 * -> ST_NOTFOUND, other constraints (CHECK, NOT NULL) -> ST_INVALID. */
int st__fail(sqlite3 *db, int sqlite_rc, const char *what);

/* Take a connection from the pool (waiting for one) and begin a transaction:
 * BEGIN IMMEDIATE for ST__WRITE (the write lock first, so the transaction
 * never has to upgrade), BEGIN for ST__READ. On failure the connection is
 * already given back and *db is NULL. */
int st__begin(st_store *st, sqlite3 **db, int kind);

/* walbuf.c: the name of the VFS that writes a transaction's WAL frames in one
 * write (registered on first use), or NULL if it could not be (the default
 * VFS then serves). */
#define ST__WALBUF_VFS "myotrack-walbuf"
const char *st__walbuf_vfs(void);

/* Commit when rc is ST_OK, else roll back; give the connection back.
 * Returns rc, or the commit's failure. Accepts db == NULL (returns rc). */
int st__end(st_store *st, sqlite3 *db, int rc);

/* --- group.c: group commit ---------------------------------------------------- */

/* An item of a group-commit queue, inside the caller's own struct. */
typedef struct st__gq_item {
    struct st__gq_item *next;
    sem_t sem;
    int done;
} st__gq_item;

/* A queue whose leader runs batches of at most `max` items (0: every item
 * queued) through `run`, which sets their results. */
typedef struct st__gq {
    pthread_mutex_t mu;
    st__gq_item *head, **tail;
    int leading;
    int max;
    void (*run)(void *ctx, st__gq_item *batch);
    void *ctx;
} st__gq;

void st__gq_init(st__gq *q, int max, void (*run)(void *ctx, st__gq_item *batch), void *ctx);
void st__gq_destroy(st__gq *q);
/* Queue `it` and return once a batch holding it has run: in this thread (it
 * leads) or another's. */
void st__gq_submit(st__gq *q, st__gq_item *it);

/* A write run by the group commit of writes (st__write_job): `run` does the
 * work on the writer connection inside the batch's transaction (its own
 * SAVEPOINT), returning ST_OK or a code after st__error/st__fail. */
typedef struct st__job {
    int (*run)(sqlite3 *db, void *arg);
    void *arg;
    /* the group commit's own: the batch's chain, the result, the queue's item */
    struct st__job *next;
    int rc;
    char msg[256];
    st__gq_item gq;
} st__job;

/* Run `job` in a batch with other threads' jobs: one BEGIN IMMEDIATE ...
 * COMMIT for the batch, each job in its own SAVEPOINT so that a failing job
 * is rolled back alone. Returns only after the batch's COMMIT: ST_OK (the
 * job's writes are committed) or the job's failure (nothing of it written;
 * st_errmsg says why). */
int st__write_job(st_store *st, st__job *job);

/* Run a chain of jobs (linked by `next`) as one batch, in the calling thread:
 * what st__write_job's leader does. Sets each job's rc and msg. */
void st__write_batch(st_store *st, st__job *batch);

/* The checkpointer's thresholds, for the tests: the log is started again from
 * its beginning past `restart` pages (default 16384), by the next writer
 * whatever the tail past four times that; the checkpointer wakes every
 * min(1000, restart/4) pages and copies at most min(256, restart/8) of them
 * in the writers' turn. */
void st__wal_limits(st_store *st, int restart);

/* For the tests: the checkpointer sleeps `usec` after each wake-up's copy, as
 * on a disk slower than the writers (0: not at all). */
void st__checkpointer_delay(st_store *st, int usec);

/* --- results.c: results kept compressed against a dictionary -------------------- */

typedef struct st__results st__results;
st__results *st__results_new(void); /* NULL: out of memory */
void st__results_free(st__results *r); /* accepts NULL */

/* Register st_result(result, result_dictionary) on `db`: a stored result as
 * its text, read back with the dictionary it names (NULL: it is the text). */
int st__results_attach(st__results *r, sqlite3 *db);

/* Compress results from now on with dictionary `id` (a committed row of
 * result_dictionaries holding `content`). */
int st__results_use(st__results *r, int64_t id, const char *content, size_t len);

/* A result as it is stored: `data` and `len` to bind, as a blob compressed
 * with dictionary `dictionary`, or (dictionary 0) as the text given. */
typedef struct st__packed {
    const void *data;
    size_t len;
    int64_t dictionary;
    void *owned; /* st__packed_free */
} st__packed;
int st__result_pack(st__results *r, const char *result, size_t len, st__packed *out);
void st__packed_free(st__packed *p);

/* db.c: the store's results. */
st__results *st__results_of(st_store *st);

/* Borrow a connection without a transaction (st_backup) and give it back. */
int st__acquire(st_store *st, sqlite3 **db);
void st__release(st_store *st, sqlite3 *db);
int st__busy_timeout(const st_store *st);
/* The alert hook of st_options (both NULL when none). */
void st__raiser(const st_store *st, st_raise_fn *raise, st_release_fn *release);

/*
 * Statement helpers. `types` names each bound value in order:
 *   'i'  int64_t
 *   'n'  int64_t, bound as NULL when 0 (optional ids)
 *   's'  const char *, NUL-terminated text; NULL binds NULL
 *   't'  const char *, size_t: text of that length (documents)
 *   'b'  const void *, size_t: a blob of that length (compressed results)
 * Parameters are bound by position (?1, ?2...), so SQL may reuse one.
 */
int st__prepare(sqlite3 *db, sqlite3_stmt **out, const char *sql, const char *types, ...);
/* The same with the values in a va_list. */
int st__preparev(sqlite3 *db, sqlite3_stmt **out, const char *sql, const char *types, va_list ap);
/* Give a statement of st__prepare back (reset for its next use; it stays
 * prepared on the connection). Accepts NULL. */
void st__done(sqlite3_stmt *s);
/* Run a statement to completion (INSERT, UPDATE, DELETE). */
int st__run(sqlite3 *db, const char *sql, const char *types, ...);
/* Run a query, calling row(s, arg) on each row: ST_OK to go on, else the code
 * to stop with (and return). */
int st__rows(sqlite3 *db, int (*row)(sqlite3_stmt *s, void *arg), void *arg, const char *sql,
             const char *types, ...);
/* The first column of the first row as an integer; ST_NOTFOUND without a row. */
int st__int(sqlite3 *db, int64_t *out, const char *sql, const char *types, ...);
/* The first column of the first row as malloc'd text; ST_NOTFOUND without a
 * row or when it is NULL. */
int st__text(sqlite3 *db, char **out, const char *sql, const char *types, ...);

/* --- schema.c -------------------------------------------------------------- */

/* Bring the schema up to date in one transaction; *version receives the
 * schema version after it. */
int st__migrate(sqlite3 *db, int *version);
/* The same up to migration `target` only: the tests' databases of an older
 * version. */
int st__migrate_to(sqlite3 *db, int target, int *version);
/* The number of migrations this build knows. */
int st__schema_latest(void);

/* --- access.c -------------------------------------------------------------- */

/* The actor as the database knows them: a local actor must be the command
 * line's admin (user_id 0); any other must be a user whose row has the role
 * (and, for a patient, the patient record) the actor claims. ST_FORBIDDEN
 * otherwise, ST_INVALID for NULL. */
int st__actor_check(sqlite3 *db, const st_actor *who);

/* Row-level access to one patient's clinical data, inside the caller's
 * transaction. Admins: ST_FORBIDDEN. Clinicians: assigned, else ST_NOTFOUND.
 * Patients: their own record, else ST_NOTFOUND. The local actor may read any
 * existing patient (write == 0) and write none (ST_FORBIDDEN). */
int st__reach(sqlite3 *db, const st_actor *who, int64_t patient_id, int write);

/* The subquery naming the patients a clinician or patient actor reaches, with
 * ?1 the actor's user id and ?2 their own patient id (0 for clinicians). */
#define ST__REACHED                                                                                \
    "(SELECT patient_id FROM care_team WHERE clinician_id = ?1 UNION ALL SELECT ?2 WHERE ?2 > 0)"

/* --- alerts.c / records.c --------------------------------------------------- */

/* Insert the alerts not stored yet (by key) with an audit row each, inside the
 * caller's transaction; *count receives how many were new (may be NULL). */
int st__insert_alerts(sqlite3 *db, const st_actor *who, int64_t patient_id,
                      const st_alert *alerts, int n, int *count);
/* Call the store's alert hook for a record just inserted (records.c). */
int st__raise_for(st_store *st, sqlite3 *db, const st_actor *who, int64_t patient_id,
                  const char *date, int64_t assessment_id);

/* --- audit.c --------------------------------------------------------------- */

/* Append one audit row: who (their username, or "cli" for the local actor),
 * "read" or "write", the patient, the kind of object and its id (0: none). */
int st__audit(sqlite3 *db, const st_actor *who, const char *action, int64_t patient_id,
              const char *object, int64_t object_id);

/* A read's audit row, committed by st__audit_commit (db.c) in a batch with
 * those of other threads: the caller fills the first five fields. */
typedef struct st__audit_row {
    const st_actor *who;
    const char *action;
    int64_t patient_id;
    const char *object;
    int64_t object_id;
    /* the group commit's own: the result and the queue's item */
    int rc;
    char msg[256];
    st__gq_item gq;
} st__audit_row;

/* Append `row` to the audit trail in a transaction of its own or shared with
 * other threads' rows, returning only once that transaction has committed
 * (ST_OK) or failed (its code, nothing of the batch written). For reads: the
 * read runs in a plain read transaction, then its row is committed here
 * before the answer leaves the store. */
int st__audit_commit(st_store *st, st__audit_row *row);
/* A read's audit row ("read", the patient, the object and its id) through
 * st__audit_commit (audit.c). */
int st__audit_read(st_store *st, const st_actor *who, int64_t patient_id, const char *object,
                   int64_t object_id);
/* The end of a read of patient data, after its read transaction ended with
 * `rc`: when the read succeeded, its audit row is committed (st__audit_read)
 * before the data is handed out; on any failure *json_out is freed and set to
 * NULL. Returns rc or the audit's failure. */
int st__audited(st_store *st, const st_actor *who, int64_t patient_id, const char *object,
                int64_t object_id, int rc, char **json_out);

/* --- shared SQL ------------------------------------------------------------ */

/* SQL is laid out by clause, not by the formatter. */
/* clang-format off */

/* Now as ISO 8601 UTC text. */
#define ST__NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* The latest assessment of patient p (by the date measured, then by id). */
#define ST__LATEST(col)                                                                            \
    "(SELECT " col " FROM assessments a WHERE a.patient_id = p.id"                                 \
    " ORDER BY a.measured_on DESC, a.id DESC LIMIT 1)"

/* One patient row `p` as the JSON object of st_patient_get. */
#define ST__PATIENT_OBJECT \
    "json_object('id', p.id, 'display_name', p.display_name, 'sex', p.sex," \
    " 'birth_date', p.birth_date, 'created_at', p.created_at," \
    " 'clinicians', json((SELECT json_group_array(name) FROM (SELECT u.username AS name" \
    "   FROM care_team c JOIN users u ON u.id = c.clinician_id WHERE c.patient_id = p.id" \
    "   ORDER BY u.username)))," \
    " 'last_assessment_at', " ST__LATEST("a.measured_on") "," \
    " 'triage_level', " ST__LATEST("a.triage_level") "," \
    " 'open_alerts', (SELECT count(*) FROM alerts l WHERE l.patient_id = p.id" \
    "   AND l.cleared_at IS NULL))"

/* One assessment row `a` without its document and result. */
#define ST__ASSESSMENT_FIELDS                                                                      \
    "'id', a.id, 'measured_on', a.measured_on, 'created_at', a.created_at,"                        \
    " 'created_by', (SELECT username FROM users WHERE id = a.created_by),"                         \
    " 'engine_version', a.engine_version, 'triage_level', a.triage_level"

/* One alert row `l` with its patient `p`. */
#define ST__ALERT_OBJECT                                                                           \
    "json_object('id', l.id, 'patient_id', l.patient_id, 'patient', p.display_name,"               \
    " 'key', l.key, 'kind', l.kind, 'level', l.level, 'date', l.date,"                             \
    " 'explanation', l.explanation, 'source', l.source, 'created_at', l.created_at,"               \
    " 'cleared_at', l.cleared_at,"                                                                 \
    " 'cleared_by', (SELECT username FROM users WHERE id = l.cleared_by))"

/* Alert order: open first, red flags first, then by level, newest first. */
#define ST__ALERT_ORDER                                                                            \
    " ORDER BY (l.cleared_at IS NULL) DESC, (l.kind = 'red_flag') DESC,"                           \
    " CASE l.level WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 WHEN 'prompt' THEN 2"              \
    " WHEN 'review' THEN 3 ELSE 4 END, l.date DESC, l.id DESC"
/* clang-format on */

#endif /* MT_STORE_INTERNAL_H */
