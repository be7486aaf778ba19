/*
 * http.h - what a route handler sees: one request (method, path, body,
 * the session, path parameters) and the ways to answer it. Every answer goes
 * through http_send so the security headers and the log line are never
 * forgotten.
 */
#ifndef MT_HTTP_H
#define MT_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/cache.h"
#include "store/store.h"

/* jansson's output: compact, and doubles as the engine wrote them (it rounds
 * to 4 decimals; 17 digits would show 0.05 as 0.050000000000000003). */
#define JSON_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

#define HTTP_MAX_BODY   (1024u * 1024u) /* larger bodies are 413 */
#define HTTP_MAX_PARAMS 3

struct MHD_Connection;

typedef struct srv srv; /* the running server: store, settings */

typedef struct req {
    srv *srv;
    st_store *st;
    struct MHD_Connection *conn;
    const char *method;
    const char *path; /* without the query string */
    char *body;       /* NUL-terminated, body_len bytes */
    size_t body_len, body_cap;
    int too_large;   /* the body went over HTTP_MAX_BODY */
    unsigned status; /* what was answered, for the log */
    int64_t t0_ns;
    /* set by the router */
    const char *params[HTTP_MAX_PARAMS]; /* the {id} parts of the path */
    int n_params;
    int authed;
    st_session session;
    st_actor actor;
} req;

/* Answer with `len` bytes of `body` (copied) and a content type. Extra headers
 * as NULL-terminated name/value pairs (may be NULL). Returns the MHD result. */
int http_send(req *r, unsigned status, const char *type, const char *body, size_t len,
              const char *const *headers);
/* The same with a malloc'd body that is not copied: MHD sends it and frees it
 * (free()), also when the answer cannot be queued. For large answers. */
int http_send_owned(req *r, unsigned status, const char *type, char *body, size_t len,
                    const char *const *headers);
/* JSON answers: text, or a jansson value (taken: decref'd here). */
int http_json(req *r, unsigned status, const char *json, size_t len);
int http_jsonv(req *r, unsigned status, json_t *v);
/* {"error":{"code","message","field"}}; field may be NULL. */
int http_error(req *r, unsigned status, const char *code, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The store's failure as an answer: 404, 403, 409, 503, 507 or 500. */
int http_store_error(req *r, int st_rc);

/* A request header, cookie or query argument (NULL when absent). */
const char *http_header(req *r, const char *name);
const char *http_cookie(req *r, const char *name);
const char *http_query(req *r, const char *name);

/* The body as a JSON object (jansson); on failure answers 415/400/413 itself
 * and returns NULL with *answered set to the MHD result. */
json_t *http_body_object(req *r, int *answered);
/* 1 when the request declares a JSON body (Content-Type application/json). */
int http_is_json(req *r);

/* Today's date, "YYYY-MM-DD", in the server's local time. */
void http_today(char out[11]);
int64_t http_now(void); /* unix seconds */
/* 1 when the server speaks TLS (cookies are Secure). */
int http_tls(const req *r);
int http_session_seconds(const req *r);
/* The server's cache of answers made from a history (NULL: none). */
cache *http_answers(const req *r);

#endif /* MT_HTTP_H */
