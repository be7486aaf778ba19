/*
 * server.h - `myotrack serve`: the web app and its JSON API (docs/api.md)
 * on libmicrohttpd, over the store (src/store) and the engine
 * (include/myotrack.h). The server decides nothing clinical: it parses,
 * calls the engine, stores and renders.
 */
#ifndef MT_SERVER_H
#define MT_SERVER_H

#include <stdint.h>

#include "store/store.h"

typedef struct srv_config {
    const char *listen;   /* "127.0.0.1:8080", "[::1]:8080" or ":8080" */
    int threads;          /* thread-pool size; 0: srv_default_threads() (0: one per connection) */
    int session_seconds;  /* session lifetime; 0: 8 hours */
    const char *tls_cert; /* PEM files: serve HTTPS (cookies get Secure) */
    const char *tls_key;
    int quiet; /* 1: no request log */
} srv_config;

/* Serve until SIGINT or SIGTERM, then stop cleanly. The caller has opened the
 * store and blocked SIGINT/SIGTERM in every thread (srv_block_signals) before
 * any thread starts. Returns a sysexits code; errors go to stderr. */
int srv_run(const srv_config *cfg, st_store *st);

/* The request threads when none are asked for: 0, a thread per connection. */
int srv_default_threads(void);

/* The store's alert hook (st_options.raise/release; tracker.c): the tracking
 * engine's alerts for the history a new record can change. */
int srv_track_raise(const char *history, size_t len, const st_alert **alerts, int *n,
                    void **handle);
void srv_track_release(void *handle);

/* Give the store its result dictionary (dictionary.c): this build's results
 * for the reference documents. An ST_* code. */
int srv_result_dictionary(st_store *st);

/* Block SIGINT and SIGTERM in the calling thread and the threads it creates. */
void srv_block_signals(void);

#endif /* MT_SERVER_H */
