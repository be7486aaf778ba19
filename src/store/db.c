/*
 * db.c - opening the database, the connections, transactions, the
 * checkpointer, the statement helpers and the mapping from SQLite's errors to
 * ST_* codes.
 *
 * Every connection gets the same settings: WAL, foreign keys on, extended
 * result codes, the busy timeout, synchronous FULL or NORMAL, and, with a size
 * limit, max_page_count computed from its page size. A store holds:
 *
 *   - one writer connection, used by every write transaction in turn (the
 *     writers' mutex): its page cache stays valid from one write to the next,
 *     where a pool of connections taking turns would each find their cache
 *     stale and read the pages again;
 *   - a pool of reader connections, a stack of idle ones under a mutex; a
 *     thread wanting one waits on a condition variable until one comes back;
 *   - a checkpointer thread with its own connection. No connection checkpoints
 *     inside a commit (wal_autocheckpoint is off): the writer's WAL hook wakes
 *     the checkpointer when the log has grown by CKPT_FRAMES pages, and it
 *     copies them into the database (PASSIVE: it never waits or blocks) and
 *     syncs the database file. When the log passes CKPT_RESTART_FRAMES it
 *     catches up, then copies the last few pages in the writers' turn, so the
 *     next write starts the log again from its beginning. If the writers
 *     outrun it past the hard bound, the next writer copies the log itself
 *     before it writes, so the WAL file never grows without bound.
 *
 * A connection is used by one thread at a time, so SQLite's own
 * per-connection mutex is not needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"

/* The log grows by CKPT_FRAMES pages between two checkpoints (SQLite's own
 * wal_autocheckpoint default). Past CKPT_RESTART_FRAMES (64 MiB of 4 KiB
 * pages) the checkpointer starts the log again from its beginning: it catches
 * up with PASSIVE checkpoints (no lock taken) until at most CKPT_TAIL pages
 * committed since its last copy are left, and only then copies those in the
 * writers' turn, so that the next write finds the whole log copied. That copy
 * syncs the WAL and the database while every writer waits, so everything else
 * is synced before it, with no lock held: it is kept short rather than rare.
 * When the writers outrun the catching up (a disk slower than the commits),
 * the log grows on, and past CKPT_HARD_FACTOR times the threshold (256 MiB) the
 * next writer copies the whole log before it writes (writer_turn): writers
 * wait for the disk rather than the WAL growing, so its length stays bounded
 * by the hard bound plus one batch. (No journal_size_limit: truncating a long
 * WAL inside a writer's commit cost more than the file's space.) The tests
 * lower these with st__wal_limits. */
#define CKPT_FRAMES 1000
#define CKPT_RESTART_FRAMES 16384
#define CKPT_HARD_FACTOR 4
#define CKPT_TAIL 256
#define CKPT_CATCHUP_ROUNDS 8
/* A batch of writes holds at most this many jobs: the last of them waits for
 * all the others' work, so a batch stays short. */
#define WRITE_BATCH_MAX 16

struct st_store {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 **all;  /* every reader connection, for st_close */
    sqlite3 **idle; /* the stack of readers not in use */
    int n, nidle;
    int busy_timeout_ms;
    int version;
    st_raise_fn raise;
    st_release_fn release;
    /* Writers take turns here before BEGIN IMMEDIATE on the one writer
     * connection: in one process a mutex queues them fairly, where SQLite's
     * busy handler would have them sleep and retry (tens of milliseconds of
     * tail latency under load). Another process holding the lock is still met
     * by the busy timeout. */
    pthread_mutex_t wmu;
    sqlite3 *wdb;
    /* The checkpointer: its connection, and what the writer's WAL hook tells
     * it (under ckmu): the log's length at the last wake-up, and whether to
     * run or stop. */
    sqlite3 *cdb;
    pthread_t ck;
    int ck_started;
    /* With a size limit (st_options.max_db_bytes), the PRAGMAs setting it for
     * the audit trail and, short of its reserve, for everything else. */
    char max_pages_all[48], max_pages_records[48];
    st__results *results; /* results.c: their dictionaries and zstd's contexts */
    pthread_mutex_t ckmu;
    pthread_cond_t ckcv;
    /* Checkpoints run one at a time (the checkpointer's and a writer's past
     * the hard bound): SQLite answers a second one SQLITE_BUSY at once. Taken
     * after wmu, never before it. */
    pthread_mutex_t ckptmu;
    int ck_seen, ck_frames, ck_want, ck_stop;
    int ck_now; /* the log's length after the writer's last commit (ckmu) */
    /* pages: between wake-ups, the restart's threshold, its hard bound, and
     * the most it copies in the writers' turn (ckmu; st__wal_limits) */
    int ck_step, ck_restart, ck_hard, ck_tail;
    int ck_delay_us; /* a slow disk, for the tests (st__checkpointer_delay) */
    int wal_frames; /* the same, for the trace (wmu) */
    /* The group commits (group.c) of audit rows (st__audit_commit) and of
     * writes (st__write_job). */
    st__gq aq, wq;
};

static _Thread_local char errmsg[256];

static void audit_batch(void *ctx, st__gq_item *batch);
static void write_batch(void *ctx, st__gq_item *batch);

/* --- the trace (MYOTRACK_TRACE=FILE) -------------------------------------------
 *
 * A diagnostic for bench/load: with MYOTRACK_TRACE naming a file, the store
 * appends one line per write batch, audit batch and checkpoint (and the server
 * one per request) with their times, so that slow requests can be matched with
 * what the writer and the checkpointer were doing. Off, it costs a test of a
 * pointer. Opened once per process, at the first st_open. */
static FILE *trace_file;
static pthread_once_t trace_once = PTHREAD_ONCE_INIT;

static void trace_open(void)
{
    const char *path = getenv("MYOTRACK_TRACE");

    if (path && path[0]) {
        trace_file = fopen(path, "a");
        if (trace_file)
            setvbuf(trace_file, NULL, _IOFBF, 1 << 16);
    }
}

int64_t st_trace_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int st_trace_on(void)
{
    return trace_file != NULL;
}

void st_trace(const char *fmt, ...)
{
    va_list ap;

    if (!trace_file)
        return;
    va_start(ap, fmt);
    flockfile(trace_file);
    vfprintf(trace_file, fmt, ap);
    funlockfile(trace_file);
    va_end(ap);
}

const char *st_errmsg(void)
{
    return errmsg[0] ? errmsg : "no error";
}

int st__error(int code, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
    va_end(ap);
    for (s = errmsg; *s; s++) /* one line in the log, whatever SQLite said */
        if ((unsigned char)*s < 0x20)
            *s = ' ';
    return code;
}

int st__fail(sqlite3 *db, int sqlite_rc, const char *what)
{
    int code;

    switch (sqlite_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ST_BUSY;
        break;
    case SQLITE_FULL:
        code = ST_FULL;
        break;
    case SQLITE_NOMEM:
        code = ST_NOMEM;
        break;
    case SQLITE_CONSTRAINT:
        if (sqlite_rc == SQLITE_CONSTRAINT_UNIQUE || sqlite_rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            code = ST_CONFLICT;
        else if (sqlite_rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            code = ST_NOTFOUND;
        else
            code = ST_INVALID;
        break;
    default:
        code = ST_ERROR;
    }
    return st__error(code, "%s: %s (%d)", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(sqlite_rc),
                     sqlite_rc);
}

/* --- roles ------------------------------------------------------------------ */

static const char *const role_names[] = {"admin", "clinician", "patient"};

const char *st_role_name(st_role r)
{
    return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ? role_names[r] : "unknown";
}

int st_role_parse(const char *s, st_role *out)
{
    size_t i;

    for (i = 0; s && i < sizeof(role_names) / sizeof(role_names[0]); i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (st_role)i;
            return ST_OK;
        }
    return st__error(ST_INVALID, "unknown role (accepted: admin, clinician, patient)");
}

/* --- paths ------------------------------------------------------------------- */

int st_default_path(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int len;

    /* The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored. */
    if (xdg && xdg[0] == '/')
        len = snprintf(buf, n, "%s/myotrack/myotrack.db", xdg);
    else if (home && home[0] == '/')
        len = snprintf(buf, n, "%s/.local/share/myotrack/myotrack.db", home);
    else
        return st__error(ST_INVALID, "neither XDG_DATA_HOME nor HOME is set to an absolute path");
    if (len < 0 || (size_t)len >= n)
        return st__error(ST_INVALID, "the default database path is too long");
    return ST_OK;
}

/* Create the directories above `path` (mode 0700), like mkdir -p `dirname path`. */
static int make_parents(const char *path)
{
    char *dir = strdup(path), *p;
    int rc = ST_OK;

    if (!dir)
        return st__error(ST_NOMEM, "out of memory");
    for (p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            rc = st__error(ST_ERROR, "cannot create the directory %s: %s", dir, strerror(errno));
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

/* --- connections ----------------------------------------------------------- */

/* With a size limit, the last pages up to it are kept for the audit trail:
 * every other write stops short of them (ST_FULL), so that reads, each of
 * which must commit its audit row before it answers, go on for a while
 * after the store is full. A sixteenth of the limit, 8 to 1024 pages. */
static int64_t audit_reserve(int64_t pages)
{
    int64_t r = pages / 16;

    return r < 8 ? 8 : r > 1024 ? 1024 : r;
}

static int configure(st_store *st, sqlite3 *db, const st_options *opt, int busy_ms)
{
    sqlite3_stmt *s = NULL;
    int rc;

    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_ms);
    /* Fixed SQL: PRAGMAs take no bound parameters, and nothing here is a
     * user's value. (trusted_schema stays on: SQLite 3.40 does not mark the
     * JSON functions innocuous, and the schema's CHECKs use json_valid.) */
    rc = sqlite3_exec(db,
                      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                      " PRAGMA wal_autocheckpoint = 0;",
                      NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(
            db, opt->sync_full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;",
            NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return st__fail(db, rc, "configuring the connection");
    if (opt->max_db_bytes > 0) {
        int64_t page = 4096, pages;
        rc = sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, NULL);
        if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            page = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        pages = opt->max_db_bytes / (page > 0 ? page : 4096);
        if (pages < 1)
            pages = 1;
        snprintf(st->max_pages_all, sizeof(st->max_pages_all), "PRAGMA max_page_count = %lld",
                 (long long)pages);
        pages = pages > audit_reserve(pages) ? pages - audit_reserve(pages) : 1;
        snprintf(st->max_pages_records, sizeof(st->max_pages_records),
                 "PRAGMA max_page_count = %lld", (long long)pages);
        rc = sqlite3_exec(db, st->max_pages_records, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return st__fail(db, rc, "setting the size limit");
    }
    return ST_OK;
}

static int open_one(st_store *st, const char *path, const st_options *opt, sqlite3 **out)
{
    sqlite3 *db = NULL;
    int rc;

    rc = sqlite3_open_v2(path, &db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                         st__walbuf_vfs());
    if (rc != SQLITE_OK) {
        rc = st__fail(db, rc, "opening the database");
        sqlite3_close(db);
        return rc == ST_BUSY ? rc : ST_ERROR;
    }
    rc = configure(st, db, opt, st->busy_timeout_ms);
    if (rc == ST_OK)
        rc = st__results_attach(st->results, db);
    if (rc != ST_OK) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return ST_OK;
}

static void stmt_index_forget(sqlite3 *db);

static void close_one(sqlite3 *db)
{
    sqlite3_stmt *s;

    if (db)
        stmt_index_forget(db);
    while (db && (s = sqlite3_next_stmt(db, NULL)) != NULL)
        sqlite3_finalize(s); /* the statement cache */
    sqlite3_close(db);       /* accepts NULL */
}

static int writers_lock(st_store *st);

/* The writer's WAL hook, after each commit (the writers' mutex held): wake the
 * checkpointer each time the log has grown by ck_step pages. */
static int wal_grew(void *arg, sqlite3 *db, const char *name, int frames)
{
    st_store *st = arg;

    (void)db;
    (void)name;
    st->wal_frames = frames;
    pthread_mutex_lock(&st->ckmu);
    st->ck_now = frames;
    if (frames < st->ck_seen) /* the log started again */
        st->ck_seen = 0;
    if (frames - st->ck_seen >= st->ck_step) {
        st->ck_seen = frames;
        st->ck_frames = frames;
        st->ck_want = 1;
        pthread_cond_signal(&st->ckcv);
    }
    pthread_mutex_unlock(&st->ckmu);
    return SQLITE_OK;
}

/* The log's length after the last commit, as the writer's WAL hook saw it. */
static int wal_now(st_store *st)
{
    int n;

    pthread_mutex_lock(&st->ckmu);
    n = st->ck_now;
    pthread_mutex_unlock(&st->ckmu);
    return n;
}

/* Write the database file's pages to the disk: the sync a checkpoint does,
 * on the checkpointer's own connection's file through SQLite's VFS (the same
 * call, flags and file descriptor SQLite would use). It only makes durable
 * sooner what SQLite would sync later. */
static void sync_db(st_store *st)
{
    sqlite3_file *f = NULL;
    int64_t t0 = trace_file ? st_trace_now() : 0;
    int rc = sqlite3_file_control(st->cdb, "main", SQLITE_FCNTL_FILE_POINTER, &f);

    if (rc == SQLITE_OK && f && f->pMethods)
        rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
    if (trace_file)
        st_trace("%lld dbsync rc=%d dur=%lld\n", (long long)t0, rc,
                 (long long)(st_trace_now() - t0));
}

static void ckpt_on(st_store *st, sqlite3 *db, const char *what, int *log, int *done)
{
    int64_t t0 = trace_file ? st_trace_now() : 0;
    int rc;

    pthread_mutex_lock(&st->ckptmu);
    rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, log, done);
    pthread_mutex_unlock(&st->ckptmu);
    if (trace_file)
        st_trace("%lld ckpt %s rc=%d log=%d done=%d dur=%lld\n", (long long)t0, what, rc, *log,
                 *done, (long long)(st_trace_now() - t0));
}

static void ckpt(st_store *st, const char *what, int *log, int *done)
{
    ckpt_on(st, st->cdb, what, log, done);
}

/* Copy the log into the database off the requests' path. A PASSIVE
 * checkpoint takes no lock that a writer or a reader waits for; it copies what
 * was committed when it started (`log` pages; `done` copied, all of them
 * unless another connection is still reading an older snapshot), syncing the
 * WAL first. SQLite syncs the database file only when a checkpoint has copied
 * the whole log, which under constant writes is only the restart's copy in the
 * writers' turn below: left to it, that sync wrote every page copied since the
 * last restart (tens of MiB, 30-40 ms here) while all writers waited. So the
 * database is synced after each wake-up's checkpoint instead (sync_db), a few
 * MiB at a time and with no lock held.
 *
 * Once the log is longer than ck_restart pages, it is started again from its
 * beginning: more PASSIVE rounds catch up, each copying what was committed
 * during the one before, until at most ck_tail pages are left beyond the
 * copied part (the writer's hook tells the log's current length); then one
 * more runs in the writers' turn and copies those with no writer adding any,
 * so the next write finds the whole log copied and starts it again from its
 * beginning (as SQLite does when no reader is still on the old log; else a
 * later round does). Its syncs write only that tail. If the rounds do not get
 * there (writers committing faster than the disk takes the copies), the log
 * grows on and the next wake-up tries again; past ck_hard the next writer
 * copies it (writer_turn). Nothing here sleeps or waits
 * on a reader, and a checkpoint that cannot finish (another process) is tried
 * again at the next wake-up: nothing depends on it but the WAL's length. */
static void *checkpointer(void *arg)
{
    st_store *st = arg;
    int frames, log, done, round, now, restart, tail, delay;

    pthread_mutex_lock(&st->ckmu);
    for (;;) {
        while (!st->ck_want && !st->ck_stop)
            pthread_cond_wait(&st->ckcv, &st->ckmu);
        if (st->ck_stop)
            break;
        st->ck_want = 0;
        frames = st->ck_frames;
        restart = st->ck_restart;
        tail = st->ck_tail;
        delay = st->ck_delay_us;
        pthread_mutex_unlock(&st->ckmu);
        log = done = 0;
        ckpt(st, "passive", &log, &done);
        sync_db(st);
        if (delay > 0)
            nanosleep(&(struct timespec){delay / 1000000, delay % 1000000 * 1000L}, NULL);
        if (frames >= restart) {
            for (round = 0; round < CKPT_CATCHUP_ROUNDS; round++) {
                now = wal_now(st);
                if (now < log || now - done <= tail)
                    break;
                ckpt(st, "catchup", &log, &done);
            }
            now = wal_now(st);
            /* now < log: the log started again meanwhile, nothing to do */
            if (now >= log && now - done <= tail) {
                int64_t t0 = trace_file ? st_trace_now() : 0;
                if (writers_lock(st) == ST_OK) {
                    if (trace_file)
                        st_trace("%lld turn wait=%lld left=%d\n", (long long)t0,
                                 (long long)(st_trace_now() - t0), now - done);
                    ckpt(st, "tail", &log, &done);
                    pthread_mutex_unlock(&st->wmu);
                }
            }
        }
        pthread_mutex_lock(&st->ckmu);
    }
    pthread_mutex_unlock(&st->ckmu);
    return NULL;
}

void st__wal_limits(st_store *st, int restart)
{
    pthread_mutex_lock(&st->ckmu);
    st->ck_restart = restart;
    st->ck_hard = CKPT_HARD_FACTOR * restart;
    st->ck_step = restart / 4 < CKPT_FRAMES ? (restart / 4 > 0 ? restart / 4 : 1) : CKPT_FRAMES;
    st->ck_tail = restart / 8 < CKPT_TAIL ? restart / 8 : CKPT_TAIL;
    pthread_mutex_unlock(&st->ckmu);
}

void st__checkpointer_delay(st_store *st, int usec)
{
    pthread_mutex_lock(&st->ckmu);
    st->ck_delay_us = usec;
    pthread_mutex_unlock(&st->ckmu);
}

int st_open(st_store **out, const char *path, const st_options *opt)
{
    static const st_options defaults = {0, 0, 0, 1, NULL, NULL};
    st_store *st = NULL;
    int rc, fd, i;

    *out = NULL;
    if (!opt)
        opt = &defaults;
    pthread_once(&trace_once, trace_open);
    if (!path || !path[0])
        return st__error(ST_INVALID, "no database path");
    if ((rc = make_parents(path)) != ST_OK)
        return rc;
    /* Create the file ourselves so that it (and SQLite's -wal and -shm files,
     * which copy its mode) is readable by its owner only. */
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return st__error(ST_ERROR, "cannot open %s: %s", path, strerror(errno));
    close(fd);

    st = calloc(1, sizeof(*st));
    if (!st)
        return st__error(ST_NOMEM, "out of memory");
    st->n = opt->connections > 0 ? opt->connections : 4;
    st->busy_timeout_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    st->raise = opt->raise;
    st->release = opt->release;
    st->all = calloc((size_t)st->n, sizeof(*st->all));
    st->idle = calloc((size_t)st->n, sizeof(*st->idle));
    st->results = st__results_new();
    if (!st->all || !st->idle || !st->results) {
        st__results_free(st->results);
        free(st->all);
        free(st->idle);
        free(st);
        return st__error(ST_NOMEM, "out of memory");
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    pthread_mutex_init(&st->wmu, NULL);
    pthread_mutex_init(&st->ckmu, NULL);
    pthread_cond_init(&st->ckcv, NULL);
    pthread_mutex_init(&st->ckptmu, NULL);
    st__wal_limits(st, CKPT_RESTART_FRAMES);
    st__gq_init(&st->aq, 0, audit_batch, st);
    st__gq_init(&st->wq, WRITE_BATCH_MAX, write_batch, st);

    rc = open_one(st, path, opt, &st->wdb);
    if (rc == ST_OK)
        rc = st__migrate(st->wdb, &st->version);
    for (i = 0; rc == ST_OK && i < st->n; i++) {
        rc = open_one(st, path, opt, &st->all[i]);
        if (rc == ST_OK)
            st->idle[st->nidle++] = st->all[i];
    }
    if (rc == ST_OK)
        rc = open_one(st, path, opt, &st->cdb);
    if (rc != ST_OK)
        goto fail;
    if (pthread_create(&st->ck, NULL, checkpointer, st) != 0) {
        rc = st__error(ST_ERROR, "cannot start the checkpointer thread");
        goto fail;
    }
    st->ck_started = 1;
    sqlite3_wal_hook(st->wdb, wal_grew, st);
    *out = st;
    return ST_OK;

fail:
    st_close(st);
    return rc;
}

void st_close(st_store *st)
{
    int i;

    if (!st)
        return;
    if (st->ck_started) {
        pthread_mutex_lock(&st->ckmu);
        st->ck_stop = 1;
        pthread_cond_signal(&st->ckcv);
        pthread_mutex_unlock(&st->ckmu);
        pthread_join(st->ck, NULL);
    }
    for (i = 0; i < st->n; i++)
        close_one(st->all[i]);
    close_one(st->cdb);
    close_one(st->wdb); /* the last: SQLite checkpoints and removes the WAL */
    st__results_free(st->results);
    if (trace_file)
        fflush(trace_file);
    pthread_cond_destroy(&st->cv);
    pthread_mutex_destroy(&st->mu);
    pthread_mutex_destroy(&st->wmu);
    pthread_cond_destroy(&st->ckcv);
    pthread_mutex_destroy(&st->ckmu);
    pthread_mutex_destroy(&st->ckptmu);
    st__gq_destroy(&st->aq);
    st__gq_destroy(&st->wq);
    free(st->all);
    free(st->idle);
    free(st);
}

st__results *st__results_of(st_store *st)
{
    return st->results;
}

int st_schema_version(st_store *st)
{
    return st ? st->version : 0;
}

void st__raiser(const st_store *st, st_raise_fn *raise, st_release_fn *release)
{
    *raise = st->raise;
    *release = st->release;
}

int st__busy_timeout(const st_store *st)
{
    return st->busy_timeout_ms;
}

int st__acquire(st_store *st, sqlite3 **db)
{
    *db = NULL;
    if (!st)
        return st__error(ST_INVALID, "no store");
    pthread_mutex_lock(&st->mu);
    while (st->nidle == 0)
        pthread_cond_wait(&st->cv, &st->mu);
    *db = st->idle[--st->nidle];
    pthread_mutex_unlock(&st->mu);
    return ST_OK;
}

void st__release(st_store *st, sqlite3 *db)
{
    if (!db)
        return;
    pthread_mutex_lock(&st->mu);
    st->idle[st->nidle++] = db;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* Take the writers' turn, waiting at most the busy timeout. */
static int writers_lock(st_store *st)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += st->busy_timeout_ms / 1000;
    until.tv_nsec += (long)(st->busy_timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    if (pthread_mutex_timedlock(&st->wmu, &until) != 0)
        return st__error(ST_BUSY, "the database stayed locked by other writers");
    return ST_OK;
}

/* A writer's turn. Past the hard bound (the checkpointer outrun), the writer
 * first copies the whole log into the database itself, every other writer
 * waiting, so that its own commit starts the log again from its beginning.
 * A copy that cannot finish (a reader on an old snapshot, another process's
 * checkpoint) does not stop the write: the next writer tries again. */
static int writer_turn(st_store *st)
{
    int rc = writers_lock(st), now, hard, log = 0, done = 0;

    if (rc != ST_OK)
        return rc;
    pthread_mutex_lock(&st->ckmu);
    now = st->ck_now;
    hard = st->ck_hard;
    pthread_mutex_unlock(&st->ckmu);
    if (now >= hard)
        ckpt_on(st, st->wdb, "hard", &log, &done);
    return ST_OK;
}

/* Run one of the fixed transaction statements, prepared once per connection. */
static int exec_cached(sqlite3 *db, const char *sql, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = st__prepare(db, &s, sql, "");

    if (rc != ST_OK)
        return rc;
    rc = sqlite3_step(s);
    rc = rc == SQLITE_DONE ? ST_OK : st__fail(db, rc, what);
    st__done(s);
    return rc;
}

/* Give a connection back: the writer's turn ends, a reader goes to the pool. */
static void give_back(st_store *st, sqlite3 *db)
{
    if (db == st->wdb)
        pthread_mutex_unlock(&st->wmu);
    else
        st__release(st, db);
}

int st__begin(st_store *st, sqlite3 **db, int kind)
{
    int rc;

    *db = NULL;
    if (!st)
        return st__error(ST_INVALID, "no store");
    if (kind == ST__WRITE) {
        if ((rc = writer_turn(st)) != ST_OK)
            return rc;
        *db = st->wdb;
    } else if ((rc = st__acquire(st, db)) != ST_OK) {
        return rc;
    }
    rc = exec_cached(*db, kind == ST__WRITE ? "BEGIN IMMEDIATE" : "BEGIN",
                     "beginning a transaction");
    if (rc != ST_OK) {
        give_back(st, *db);
        *db = NULL;
    }
    return rc;
}

int st__end(st_store *st, sqlite3 *db, int rc)
{
    if (!db)
        return rc;
    if (rc == ST_OK)
        rc = exec_cached(db, "COMMIT", "committing");
    /* Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) roll the
     * transaction back by themselves; roll back whatever is left. */
    if (rc != ST_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    give_back(st, db);
    return rc;
}

/* --- the group commit of audit rows ------------------------------------------------ */

/* Set the writer's page limit (one of st's max_pages_* PRAGMAs). A limit below
 * the database's size holds it at that size. */
static int page_limit(sqlite3 *db, const char *pragma)
{
    sqlite3_stmt *s = NULL;
    int rc = st__prepare(db, &s, pragma, "");

    if (rc != ST_OK)
        return rc;
    rc = sqlite3_step(s);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? ST_OK : st__fail(db, rc, "setting the size limit");
    st__done(s);
    return rc;
}

#define ROW_OF(item) ((st__audit_row *)((char *)(item) - offsetof(st__audit_row, gq)))

/* One transaction for a batch of rows (the audit queue's run): all of them
 * commit, or none (each then gets the failure). */
static void audit_batch(void *ctx, st__gq_item *batch)
{
    st_store *st = ctx;
    sqlite3 *db = NULL;
    st__gq_item *x;
    int64_t t0 = trace_file ? st_trace_now() : 0, t1 = 0, t2 = 0;
    int rc = st__begin(st, &db, ST__WRITE), n = 0;

    if (trace_file)
        t1 = st_trace_now();
    /* the audit trail may use the reserve (audit_reserve); nothing else */
    if (rc == ST_OK && st->max_pages_all[0])
        rc = page_limit(db, st->max_pages_all);
    for (x = batch; rc == ST_OK && x; x = x->next, n++) {
        st__audit_row *r = ROW_OF(x);
        rc = st__audit(db, r->who, r->action, r->patient_id, r->object, r->object_id);
    }
    if (db && st->max_pages_all[0]) {
        int lrc = page_limit(db, st->max_pages_records);
        if (rc == ST_OK)
            rc = lrc;
    }
    if (trace_file)
        t2 = st_trace_now();
    rc = st__end(st, db, rc);
    if (trace_file)
        st_trace("%lld audit n=%d wait=%lld run=%lld commit=%lld\n", (long long)t0, n,
                 (long long)(t1 - t0), (long long)(t2 - t1), (long long)(st_trace_now() - t2));
    for (x = batch; x; x = x->next) {
        st__audit_row *r = ROW_OF(x);
        r->rc = rc;
        if (rc != ST_OK)
            snprintf(r->msg, sizeof(r->msg), "%s", errmsg);
    }
}

/* A batch of audit rows shares one BEGIN IMMEDIATE ... COMMIT (group.c), and
 * no row is acknowledged before the transaction holding it has committed. */
int st__audit_commit(st_store *st, st__audit_row *row)
{
    row->rc = ST_OK;
    row->msg[0] = '\0';
    st__gq_submit(&st->aq, &row->gq);
    if (row->rc != ST_OK)
        return st__error(row->rc, "%s", row->msg);
    return ST_OK;
}

/* --- the group commit of writes ------------------------------------------------------ */


static void job_result(st__job *j, int rc)
{
    j->rc = rc;
    if (rc != ST_OK)
        snprintf(j->msg, sizeof(j->msg), "%s", errmsg);
}

/* Run a batch in one transaction on the writer connection: each job inside
 * its own SAVEPOINT, so a job that fails is rolled back alone and the others
 * go on; one COMMIT for the batch. A job whose failure ended the whole
 * transaction (SQLite rolls back by itself on SQLITE_FULL, SQLITE_IOERR,
 * SQLITE_NOMEM...) takes the jobs run before it in the batch down with it
 * (they get its code: nothing of theirs was written), and the rest start a
 * new transaction. A failing COMMIT fails every job it held. Results go into
 * the jobs; the caller wakes their threads. */
void st__write_batch(st_store *st, st__job *batch)
{
    sqlite3 *db = NULL;
    st__job *first = batch, *j;
    int rc = ST_OK, open = 0, n = 0;
    int64_t t0 = trace_file ? st_trace_now() : 0, t1 = 0, t2 = 0;

    if ((rc = writer_turn(st)) != ST_OK) {
        for (j = batch; j; j = j->next)
            job_result(j, rc);
        return;
    }
    db = st->wdb;
    if (trace_file)
        t1 = st_trace_now();
    for (j = batch; j; j = j->next) {
        n++;
        if (!open) {
            rc = exec_cached(db, "BEGIN IMMEDIATE", "beginning a transaction");
            if (rc != ST_OK) {
                job_result(j, rc);
                continue;
            }
            open = 1;
            first = j;
        }
        rc = exec_cached(db, "SAVEPOINT job", "beginning a job");
        if (rc == ST_OK)
            rc = j->run(db, j->arg);
        if (rc == ST_OK) {
            rc = exec_cached(db, "RELEASE job", "ending a job");
            job_result(j, rc);
            continue;
        }
        job_result(j, rc);
        if (sqlite3_get_autocommit(db)) { /* the whole transaction is gone */
            st__job *k;
            for (k = first; k != j; k = k->next)
                if (k->rc == ST_OK) {
                    k->rc = rc;
                    snprintf(k->msg, sizeof(k->msg), "%s", j->msg);
                }
            open = 0;
            continue;
        }
        /* this job alone: back to its savepoint, which stays open until RELEASE */
        sqlite3_exec(db, "ROLLBACK TO job; RELEASE job", NULL, NULL, NULL);
    }
    if (trace_file)
        t2 = st_trace_now();
    if (open) {
        rc = exec_cached(db, "COMMIT", "committing");
        if (rc != ST_OK) {
            if (!sqlite3_get_autocommit(db))
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            for (j = first; j; j = j->next)
                if (j->rc == ST_OK)
                    job_result(j, rc);
        }
    }
    if (trace_file) {
        int64_t t3 = st_trace_now();
        st_trace("%lld write n=%d wait=%lld run=%lld commit=%lld wal=%d\n", (long long)t0, n,
                 (long long)(t1 - t0), (long long)(t2 - t1), (long long)(t3 - t2), st->wal_frames);
    }
    pthread_mutex_unlock(&st->wmu);
}

#define JOB_OF(item) ((st__job *)((char *)(item) - offsetof(st__job, gq)))

/* The write queue's run: the batch's jobs chained by `next`, run as one. */
static void write_batch(void *ctx, st__gq_item *batch)
{
    st__job *first = NULL, **tail = &first;
    st__gq_item *x;

    for (x = batch; x; x = x->next) {
        *tail = JOB_OF(x);
        tail = &(*tail)->next;
    }
    *tail = NULL;
    st__write_batch(ctx, first);
}

/* A thread queues its job; the leader (group.c) runs up to WRITE_BATCH_MAX
 * queued jobs in one transaction. No job's result is handed back before the
 * COMMIT of its batch has returned, so an acknowledged write is as durable as
 * one committed alone. */
int st__write_job(st_store *st, st__job *job)
{
    job->next = NULL;
    job->rc = ST_OK;
    job->msg[0] = '\0';
    if (!st)
        return st__error(ST_INVALID, "no store");
    st__gq_submit(&st->wq, &job->gq);
    if (job->rc != ST_OK)
        return st__error(job->rc, "%s", job->msg);
    return ST_OK;
}

/* --- statements ---------------------------------------------------------------- */

static int bind_all(sqlite3_stmt *s, const char *types, va_list ap)
{
    int i, rc = SQLITE_OK;

    for (i = 0; types && types[i] && rc == SQLITE_OK; i++) {
        int pos = i + 1;
        switch (types[i]) {
        case 'i':
            rc = sqlite3_bind_int64(s, pos, va_arg(ap, int64_t));
            break;
        case 'n': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? sqlite3_bind_int64(s, pos, v) : sqlite3_bind_null(s, pos);
            break;
        }
        case 's': {
            const char *v = va_arg(ap, const char *);
            rc = v ? sqlite3_bind_text(s, pos, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, pos);
            break;
        }
        case 't': {
            const char *v = va_arg(ap, const char *);
            size_t len = va_arg(ap, size_t);
            rc = v ? sqlite3_bind_text64(s, pos, v, len, SQLITE_TRANSIENT, SQLITE_UTF8)
                   : sqlite3_bind_null(s, pos);
            break;
        }
        case 'b': {
            const void *v = va_arg(ap, const void *);
            size_t len = va_arg(ap, size_t);
            rc = v ? sqlite3_bind_blob64(s, pos, v, len, SQLITE_TRANSIENT) : sqlite3_bind_null(s, pos);
            break;
        }
        default:
            rc = SQLITE_MISUSE;
        }
    }
    return rc;
}

/*
 * Statements stay prepared on their connection and are reused: preparing
 * costs more than most of the store's queries. A connection is used by one
 * thread at a time, and no statement is prepared twice at once, so a
 * statement not yet stepped is free; st__done() resets it for the next use
 * instead of finalizing it, and st_close() finalizes them all.
 *
 * A statement is found again through an index keyed by its connection and the
 * address of its SQL text (the store's SQL is constant text), checked against
 * the statement's own text (so SQL at a reused address is never mistaken for
 * another); only a miss, or a statement already running, looks through the
 * connection's statements by text (strcmp against each: a few dozen, with
 * long common prefixes, about 3% of a POST's CPU before the index). The
 * index is shared by every connection of the process under one mutex, held
 * for a few probes; a connection's entries are dropped before it closes.
 */
#define STMT_SLOTS 1024 /* a power of two; a full index only means more scans */
static struct stmt_slot {
    sqlite3 *db; /* NULL: never used; TOMBSTONE: dropped */
    const char *sql;
    sqlite3_stmt *s;
} stmt_index[STMT_SLOTS];
static pthread_mutex_t stmt_index_mu = PTHREAD_MUTEX_INITIALIZER;
static char tombstone;
#define TOMBSTONE ((sqlite3 *)(void *)&tombstone)

static size_t stmt_hash(const sqlite3 *db, const char *sql)
{
    uint64_t h = (uint64_t)(uintptr_t)db * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)sql;

    h *= 0xff51afd7ed558ccdu;
    return (size_t)(h >> 32) & (STMT_SLOTS - 1);
}

/* The indexed statement for (db, sql), or NULL. */
static sqlite3_stmt *stmt_index_find(sqlite3 *db, const char *sql)
{
    size_t i = stmt_hash(db, sql), n;
    sqlite3_stmt *s = NULL;

    pthread_mutex_lock(&stmt_index_mu);
    for (n = 0; n < STMT_SLOTS && stmt_index[i].db; n++, i = (i + 1) & (STMT_SLOTS - 1))
        if (stmt_index[i].db == db && stmt_index[i].sql == sql) {
            s = stmt_index[i].s;
            break;
        }
    pthread_mutex_unlock(&stmt_index_mu);
    return s;
}

static void stmt_index_add(sqlite3 *db, const char *sql, sqlite3_stmt *s)
{
    size_t i = stmt_hash(db, sql), n;

    pthread_mutex_lock(&stmt_index_mu);
    for (n = 0; n < STMT_SLOTS; n++, i = (i + 1) & (STMT_SLOTS - 1)) {
        struct stmt_slot *e = &stmt_index[i];
        if (e->db == db && e->sql == sql) {
            e->s = s; /* the same address, other text: this statement now */
            break;
        }
        if (!e->db || e->db == TOMBSTONE) {
            e->db = db;
            e->sql = sql;
            e->s = s;
            break;
        }
    }
    pthread_mutex_unlock(&stmt_index_mu);
}

static void stmt_index_forget(sqlite3 *db)
{
    size_t i;

    pthread_mutex_lock(&stmt_index_mu);
    for (i = 0; i < STMT_SLOTS; i++)
        if (stmt_index[i].db == db)
            stmt_index[i].db = TOMBSTONE;
    pthread_mutex_unlock(&stmt_index_mu);
}

static sqlite3_stmt *cached(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = stmt_index_find(db, sql);

    if (s && !sqlite3_stmt_busy(s) && strcmp(sqlite3_sql(s), sql) == 0)
        return s;
    s = NULL;
    while ((s = sqlite3_next_stmt(db, s)) != NULL)
        if (!sqlite3_stmt_busy(s) && strcmp(sqlite3_sql(s), sql) == 0)
            break;
    if (s)
        stmt_index_add(db, sql, s);
    return s;
}

void st__done(sqlite3_stmt *s)
{
    if (!s)
        return;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static int vprepare(sqlite3 *db, sqlite3_stmt **out, const char *sql, const char *types, va_list ap)
{
    int rc;

    *out = cached(db, sql);
    if (!*out) {
        rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
        if (rc != SQLITE_OK)
            return st__fail(db, rc, "preparing a statement");
        stmt_index_add(db, sql, *out);
    }
    rc = bind_all(*out, types, ap);
    if (rc != SQLITE_OK) {
        rc = st__fail(db, rc, "binding a value");
        st__done(*out);
        *out = NULL;
    }
    return rc;
}

int st__preparev(sqlite3 *db, sqlite3_stmt **out, const char *sql, const char *types, va_list ap)
{
    return vprepare(db, out, sql, types, ap);
}

int st__prepare(sqlite3 *db, sqlite3_stmt **out, const char *sql, const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = vprepare(db, out, sql, types, ap);
    va_end(ap);
    return rc;
}

/* The statement run to completion, row() called on each row it gives (none
 * when NULL); `what` names a failure of SQLite's for st_errmsg. */
static int rows_v(sqlite3 *db, int (*row)(sqlite3_stmt *s, void *arg), void *arg,
                  const char *what, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *s = NULL;
    int rc = vprepare(db, &s, sql, types, ap), src = SQLITE_DONE;

    if (rc != ST_OK)
        return rc;
    while (rc == ST_OK && (src = sqlite3_step(s)) == SQLITE_ROW)
        if (row)
            rc = row(s, arg); /* ST_OK to go on, else the code to stop with */
    if (rc == ST_OK && src != SQLITE_DONE)
        rc = st__fail(db, src, what);
    st__done(s);
    return rc;
}

int st__rows(sqlite3 *db, int (*row)(sqlite3_stmt *s, void *arg), void *arg, const char *sql,
             const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = rows_v(db, row, arg, "reading", sql, types, ap);
    va_end(ap);
    return rc;
}

int st__run(sqlite3 *db, const char *sql, const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = rows_v(db, NULL, NULL, "writing", sql, types, ap);
    va_end(ap);
    return rc;
}

int st__int(sqlite3 *db, int64_t *out, const char *sql, const char *types, ...)
{
    sqlite3_stmt *s = NULL;
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = vprepare(db, &s, sql, types, ap);
    va_end(ap);
    if (rc != ST_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = ST_OK;
    } else if (rc == SQLITE_DONE) {
        rc = ST_NOTFOUND;
    } else {
        rc = st__fail(db, rc, "reading");
    }
    st__done(s);
    return rc;
}

int st__text(sqlite3 *db, char **out, const char *sql, const char *types, ...)
{
    sqlite3_stmt *s = NULL;
    va_list ap;
    int rc;

    *out = NULL;
    va_start(ap, types);
    rc = vprepare(db, &s, sql, types, ap);
    va_end(ap);
    if (rc != ST_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0);
        if (!t || !(*out = malloc(n + 1))) {
            rc = st__error(ST_NOMEM, "out of memory");
        } else {
            memcpy(*out, t, n);
            (*out)[n] = '\0';
            rc = ST_OK;
        }
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        rc = ST_NOTFOUND;
    } else {
        rc = st__fail(db, rc, "reading");
    }
    st__done(s);
    return rc;
}

/* --- checks -------------------------------------------------------------------- */

int st_check(st_store *st)
{
    sqlite3 *db = NULL;
    char *res = NULL;
    int rc = st__begin(st, &db, ST__READ);

    if (rc == ST_OK) {
        rc = st__text(db, &res, "PRAGMA integrity_check", "");
        if (rc == ST_OK && strcmp(res, "ok") != 0)
            rc = st__error(ST_ERROR, "integrity check failed");
    }
    free(res);
    return st__end(st, db, rc);
}
