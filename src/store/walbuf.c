/*
 * walbuf.c - a VFS over the default one that gathers a transaction's WAL
 * writes into one pwrite.
 *
 * SQLite writes each WAL frame as two writes, its 24-byte header and then its
 * page: a POST's commit of some 15 frames was 30 pwrite calls, and since a
 * frame is 4120 bytes each page write straddles two of the kernel's 4 KiB
 * page-cache pages (the header a third): about 45 trips through ext4's
 * write_begin/write_end for 60 KB. Here the writes that follow each other in
 * the WAL file are kept in a buffer and written as one when the transaction's
 * commit frame has been written: one call, each page-cache page touched once.
 *
 * What makes it safe: other connections find frames through the wal-index
 * (shared memory), which SQLite updates only after the last frame's write has
 * returned; this VFS has written the buffer by then, because the commit
 * frame's page completes it (a frame header whose "database size after
 * commit" field is not zero marks the commit frame). Every other operation on
 * the file (read, sync, truncate, size, file control, close, lock) and every
 * write that does not follow the buffered ones writes the buffer first, so
 * SQLite never sees the file other than as it wrote it, and a sync (FULL)
 * syncs it all. A failing write of the buffer fails the write that triggered
 * it, so the transaction fails and is not acknowledged. A kill -9 after the
 * commit returned loses nothing (the bytes are in the kernel); a crash before
 * loses only an unacknowledged transaction, whose frames SQLite would ignore
 * anyway. Files other than WALs are the default VFS's own.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"

#define WALBUF_MAX (1024 * 1024) /* a longer transaction is written in pieces */
#define FRAME_HEADER 24

typedef struct wb_file {
    sqlite3_file base;
    sqlite3_file *real; /* the default VFS's file, just after this struct */
    char *buf;          /* bytes not yet written, for the file at `off` */
    size_t len, cap;
    sqlite3_int64 off;
    int commit_next; /* the last write was a commit frame's header */
} wb_file;

static sqlite3_vfs *real_vfs;

/* The buffer written, in pieces: the unix VFS writes at most 128 KiB - 1
 * bytes per call (seekAndWriteFd masks the length with 0x1ffff). */
#define WRITE_PIECE 0x1f000
static int wb_flush(wb_file *f)
{
    size_t at = 0;
    int rc = SQLITE_OK;

    while (at < f->len && rc == SQLITE_OK) {
        size_t n = f->len - at < WRITE_PIECE ? f->len - at : WRITE_PIECE;
        rc = f->real->pMethods->xWrite(f->real, f->buf + at, (int)n,
                                       f->off + (sqlite3_int64)at);
        at += n;
    }
    f->len = 0;
    return rc;
}

static int wb_write(sqlite3_file *file, const void *p, int amt, sqlite3_int64 off)
{
    wb_file *f = (wb_file *)file;
    int commit_page = f->commit_next, rc;

    f->commit_next = 0;
    if (amt == FRAME_HEADER) {
        const unsigned char *h = p;
        f->commit_next = (h[4] | h[5] | h[6] | h[7]) != 0;
    }
    if (f->len && off != f->off + (sqlite3_int64)f->len) {
        if ((rc = wb_flush(f)) != SQLITE_OK)
            return rc;
    }
    if (f->len + (size_t)amt > WALBUF_MAX) {
        if ((rc = wb_flush(f)) != SQLITE_OK)
            return rc;
        if ((size_t)amt > WRITE_PIECE)
            return f->real->pMethods->xWrite(f->real, p, amt, off); /* as SQLite asked */
    }
    if (f->len + (size_t)amt > f->cap) {
        size_t cap = f->cap ? f->cap : 64 * 1024;
        char *b;
        while (cap < f->len + (size_t)amt)
            cap *= 2;
        if (!(b = realloc(f->buf, cap))) {
            if ((rc = wb_flush(f)) != SQLITE_OK)
                return rc;
            return f->real->pMethods->xWrite(f->real, p, amt, off);
        }
        f->buf = b;
        f->cap = cap;
    }
    if (!f->len)
        f->off = off;
    memcpy(f->buf + f->len, p, (size_t)amt);
    f->len += (size_t)amt;
    return commit_page ? wb_flush(f) : SQLITE_OK;
}

static int wb_close(sqlite3_file *file)
{
    wb_file *f = (wb_file *)file;
    int rc = wb_flush(f), rc2 = f->real->pMethods->xClose(f->real);

    free(f->buf);
    f->buf = NULL;
    f->cap = 0;
    return rc != SQLITE_OK ? rc : rc2;
}

/* The other methods write the buffer first, then do what the real file does. */
#define REAL(f) (((wb_file *)(f))->real)
#define FLUSH_OR_RETURN(f)                                                                         \
    do {                                                                                           \
        int frc_ = wb_flush((wb_file *)(f));                                                       \
        if (frc_ != SQLITE_OK)                                                                     \
            return frc_;                                                                           \
    } while (0)

static int wb_read(sqlite3_file *f, void *p, int amt, sqlite3_int64 off)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xRead(REAL(f), p, amt, off);
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int wb_size(sqlite3_file *f, sqlite3_int64 *size)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int wb_lock(sqlite3_file *f, int lock)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int wb_unlock(sqlite3_file *f, int lock)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int wb_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int wb_control(sqlite3_file *f, int op, void *arg)
{
    FLUSH_OR_RETURN(f);
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int wb_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int wb_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

/* A WAL has no shared memory and is never memory-mapped: versions 2 and 3
 * of the methods are not offered. */
static const sqlite3_io_methods wb_methods = {
    1,         wb_close,   wb_read,       wb_write,     wb_truncate, wb_sync, wb_size,
    wb_lock,   wb_unlock,  wb_check_lock, wb_control,   wb_sector,   wb_device,
    NULL,      NULL,       NULL,          NULL,         NULL,        NULL,
};

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                   int *out_flags)
{
    wb_file *f = (wb_file *)file;
    int rc;

    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL))
        return real_vfs->xOpen(real_vfs, name, file, flags, out_flags);
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods)
            f->real->pMethods->xClose(f->real);
        file->pMethods = NULL;
        return rc;
    }
    if (f->real->pMethods->iVersion < 1) {
        f->real->pMethods->xClose(f->real);
        file->pMethods = NULL;
        return SQLITE_CANTOPEN;
    }
    file->pMethods = &wb_methods;
    return SQLITE_OK;
}

/* Everything but opening is the default VFS's. */
static int wb_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, name, sync);
}
static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int wb_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *wb_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return real_vfs->xDlOpen(real_vfs, name);
}
static void wb_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    real_vfs->xDlError(real_vfs, n, out);
}
static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return real_vfs->xDlSym(real_vfs, h, sym);
}
static void wb_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    real_vfs->xDlClose(real_vfs, h);
}
static int wb_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}
static int wb_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}
static int wb_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs wb_vfs = {
    2,    0,           0,        NULL,       ST__WALBUF_VFS, NULL,      wb_open,
    wb_delete, wb_access, wb_fullpath, wb_dlopen, wb_dlerror, wb_dlsym, wb_dlclose,
    wb_random, wb_sleep, wb_time, wb_last_error, wb_time64, NULL, NULL, NULL,
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered = SQLITE_ERROR;

static void wb_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs || real_vfs->iVersion < 2 || !real_vfs->xCurrentTimeInt64)
        return;
    wb_vfs.szOsFile = (int)sizeof(wb_file) + real_vfs->szOsFile;
    wb_vfs.mxPathname = real_vfs->mxPathname;
    registered = sqlite3_vfs_register(&wb_vfs, 0);
}

const char *st__walbuf_vfs(void)
{
    pthread_once(&once, wb_register);
    return registered == SQLITE_OK ? ST__WALBUF_VFS : NULL;
}
