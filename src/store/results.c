/*
 * results.c - how an assessment's result is kept: compressed with zstd
 * against a dictionary, when the store has one.
 *
 * A result is the engine's full rendering (about 24 KB of compact JSON), and
 * most of it is the same from one assessment to the next: the definitions'
 * names, criteria, thresholds and sources, the plan's texts. As text it took
 * six overflow pages of every assessment's row, most of what each write put
 * through the WAL and then the checkpoints (6.9 pages per POST in bench/load).
 * Compressed with zstd against the engine's own results for a few reference
 * documents (the caller gives them: st_result_dictionary), a result takes
 * 1-1.5 KB and fits in its row.
 *
 * The dictionaries are rows of result_dictionaries, never changed or deleted
 * (the schema's triggers), and each assessment names the one its result was
 * compressed with (result_dictionary; NULL: kept as text, as before migration
 * 4 or without a dictionary). So a result reads back the same whatever the
 * dictionary is now, after an engine upgrade too. It is read inside SQL
 * through the function st_result(result, result_dictionary), registered on
 * every connection, so the JSON the store answers is still built by SQLite.
 *
 * Compression runs in the caller's thread, before its write joins a batch, so
 * the writers' turn does not wait for it. zstd's contexts are kept in small
 * pools (one takes a few hundred KB to make); each dictionary's digested forms
 * are made once, shared by every thread (zstd: read-only once made), and kept
 * until the store is closed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* For ZSTD_c_forceAttachDict only: an experimental parameter, set through
 * the stable ZSTD_CCtx_setParameter; a zstd that does not know it refuses it
 * and compression goes on as by default. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "store/internal.h"

/* zstd's fastest level: about 1.3 GB/s with the dictionary here, results 23x
 * smaller (level 3: 30x, at a quarter of the speed). */
#define RESULT_LEVEL 1
/* A stored result claiming more than this is refused on reading: a damaged
 * frame's size is not trusted with an allocation. */
#define RESULT_MAX_BYTES ((unsigned long long)64 << 20)
/* The contexts kept between uses; more are made when more threads need one at
 * once, and freed when they come back to a full pool. */
#define POOL_MAX 16

typedef struct dict {
    int64_t id;
    ZSTD_CDict *cd; /* for compressing (the dictionary in use only) */
    ZSTD_DDict *dd; /* for reading back */
    struct dict *next;
} dict;

struct st__results {
    pthread_mutex_t mu;
    dict *current; /* what results are compressed with now (NULL: none) */
    dict *dicts;   /* every dictionary met, by id */
    ZSTD_CCtx *cctx[POOL_MAX];
    ZSTD_DCtx *dctx[POOL_MAX];
    int ncctx, ndctx;
};

st__results *st__results_new(void)
{
    st__results *r = calloc(1, sizeof(*r));

    if (r)
        pthread_mutex_init(&r->mu, NULL);
    return r;
}

void st__results_free(st__results *r)
{
    dict *d, *next;
    int i;

    if (!r)
        return;
    for (d = r->dicts; d; d = next) {
        next = d->next;
        ZSTD_freeCDict(d->cd);
        ZSTD_freeDDict(d->dd);
        free(d);
    }
    for (i = 0; i < r->ncctx; i++)
        ZSTD_freeCCtx(r->cctx[i]);
    for (i = 0; i < r->ndctx; i++)
        ZSTD_freeDCtx(r->dctx[i]);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* The entry for dictionary `id` (r->mu held), or NULL. */
static dict *find(st__results *r, int64_t id)
{
    dict *d;

    for (d = r->dicts; d && d->id != id; d = d->next)
        ;
    return d;
}

/* Add `id`'s entry with its digested forms for reading and, when `compress`,
 * for compressing, unless it has them already (r->mu held). */
static dict *digest(st__results *r, int64_t id, const void *content, size_t len, int compress)
{
    dict *d = find(r, id);

    if (!d) {
        if (!(d = calloc(1, sizeof(*d))))
            return NULL;
        d->id = id;
        d->next = r->dicts;
        r->dicts = d;
    }
    if (!d->dd)
        d->dd = ZSTD_createDDict(content, len);
    if (compress && !d->cd)
        d->cd = ZSTD_createCDict(content, len, RESULT_LEVEL);
    return d->dd && (!compress || d->cd) ? d : NULL;
}

int st__results_use(st__results *r, int64_t id, const char *content, size_t len)
{
    dict *d;

    pthread_mutex_lock(&r->mu);
    d = digest(r, id, content, len, 1);
    if (d)
        r->current = d;
    pthread_mutex_unlock(&r->mu);
    return d ? ST_OK : st__error(ST_NOMEM, "out of memory for the result dictionary");
}

/* --- compressing ----------------------------------------------------------------- */

int st__result_pack(st__results *r, const char *result, size_t len, st__packed *out)
{
    ZSTD_CCtx *cx = NULL;
    dict *d;
    size_t cap, n;
    void *buf;

    memset(out, 0, sizeof(*out));
    out->data = result;
    out->len = len;
    pthread_mutex_lock(&r->mu);
    d = r->current;
    if (d && r->ncctx > 0)
        cx = r->cctx[--r->ncctx];
    pthread_mutex_unlock(&r->mu);
    if (!d)
        return ST_OK; /* no dictionary: kept as text */
    if (!cx) {
        if (!(cx = ZSTD_createCCtx()))
            return st__error(ST_NOMEM, "out of memory compressing a result");
        /* Compress against the dictionary's tables where they are, rather
         * than copying them into the context first, as zstd does by default
         * for inputs over 8 KB: 20-30 % less time per result here. */
        ZSTD_CCtx_setParameter(cx, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
    }
    cap = ZSTD_compressBound(len);
    buf = malloc(cap);
    n = buf ? ZSTD_CCtx_refCDict(cx, d->cd) : 0;
    if (buf && !ZSTD_isError(n))
        n = ZSTD_compress2(cx, buf, cap, result, len);
    pthread_mutex_lock(&r->mu);
    if (r->ncctx < POOL_MAX)
        r->cctx[r->ncctx++] = cx, cx = NULL;
    pthread_mutex_unlock(&r->mu);
    ZSTD_freeCCtx(cx); /* accepts NULL */
    if (!buf)
        return st__error(ST_NOMEM, "out of memory compressing a result");
    if (ZSTD_isError(n) || n >= len) { /* kept as text: nothing gained */
        free(buf);
        return ZSTD_isError(n) ? st__error(ST_ERROR, "compressing a result: %s",
                                           ZSTD_getErrorName(n))
                               : ST_OK;
    }
    out->data = buf;
    out->len = n;
    out->dictionary = d->id;
    out->owned = buf;
    return ST_OK;
}

void st__packed_free(st__packed *p)
{
    free(p->owned);
    p->owned = NULL;
}

/* --- reading back: st_result(result, result_dictionary) -------------------------- */

/* Dictionary `id`'s entry, read from the database on first use. */
static dict *dictionary(st__results *r, sqlite3 *db, int64_t id)
{
    sqlite3_stmt *s = NULL;
    dict *d;

    pthread_mutex_lock(&r->mu);
    d = find(r, id);
    pthread_mutex_unlock(&r->mu);
    if (d && d->dd)
        return d;
    if (sqlite3_prepare_v2(db, "SELECT content FROM result_dictionaries WHERE id = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const void *content = sqlite3_column_blob(s, 0);
        int len = sqlite3_column_bytes(s, 0);
        pthread_mutex_lock(&r->mu);
        d = content ? digest(r, id, content, (size_t)len, 0) : NULL;
        pthread_mutex_unlock(&r->mu);
    }
    sqlite3_finalize(s);
    return d;
}

static void st_result_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    st__results *r = sqlite3_user_data(ctx);
    const void *blob;
    unsigned long long size;
    ZSTD_DCtx *dx = NULL;
    dict *d;
    char *out;
    size_t n;
    int len;

    (void)argc;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) { /* kept as text */
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    d = dictionary(r, sqlite3_context_db_handle(ctx), sqlite3_value_int64(argv[1]));
    if (!d) {
        sqlite3_result_error(ctx, "a stored result's dictionary is missing", -1);
        return;
    }
    blob = sqlite3_value_blob(argv[0]);
    len = sqlite3_value_bytes(argv[0]);
    size = blob ? ZSTD_getFrameContentSize(blob, (size_t)len) : ZSTD_CONTENTSIZE_ERROR;
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > RESULT_MAX_BYTES) {
        sqlite3_result_error(ctx, "a stored result is damaged", -1);
        return;
    }
    if (!(out = malloc((size_t)size + 1))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    pthread_mutex_lock(&r->mu);
    if (r->ndctx > 0)
        dx = r->dctx[--r->ndctx];
    pthread_mutex_unlock(&r->mu);
    if (!dx)
        dx = ZSTD_createDCtx();
    n = dx ? ZSTD_decompress_usingDDict(dx, out, (size_t)size, blob, (size_t)len, d->dd) : 0;
    pthread_mutex_lock(&r->mu);
    if (dx && r->ndctx < POOL_MAX)
        r->dctx[r->ndctx++] = dx, dx = NULL;
    pthread_mutex_unlock(&r->mu);
    ZSTD_freeDCtx(dx); /* accepts NULL */
    if (ZSTD_isError(n) || n != size) {
        free(out);
        sqlite3_result_error(ctx, "a stored result is damaged", -1);
        return;
    }
    sqlite3_result_text64(ctx, out, n, free, SQLITE_UTF8);
}

int st__results_attach(st__results *r, sqlite3 *db)
{
    int rc = sqlite3_create_function_v2(db, "st_result", 2,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, r,
                                        st_result_fn, NULL, NULL, NULL);

    return rc == SQLITE_OK ? ST_OK : st__fail(db, rc, "registering st_result");
}

/* --- the public call ------------------------------------------------------------- */

int st_result_dictionary(st_store *st, const char *content, size_t len)
{
    sqlite3 *db = NULL;
    int64_t id = 0;
    int rc;

    if (!st || !content || len == 0)
        return st__error(ST_INVALID, "a result dictionary needs its content");
    if ((rc = st__begin(st, &db, ST__WRITE)) != ST_OK)
        return rc;
    rc = st__int(db, &id, "SELECT id FROM result_dictionaries WHERE content = ?1", "b", content,
                 len);
    if (rc == ST_NOTFOUND) {
        rc = st__run(db,
                     "INSERT INTO result_dictionaries (created_at, content)"
                     " VALUES (" ST__NOW ", ?1)",
                     "b", content, len);
        id = sqlite3_last_insert_rowid(db);
    }
    rc = st__end(st, db, rc);
    return rc == ST_OK ? st__results_use(st__results_of(st), id, content, len) : rc;
}
