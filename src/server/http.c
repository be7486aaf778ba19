/*
 * http.c - the libmicrohttpd daemon: one request's life (headers, a body of
 * at most 1 MiB, routing, the answer with its security headers, one log
 * line), the listening address, TLS and a clean stop on SIGINT/SIGTERM.
 *
 * The daemon runs a thread pool with its own polling; each request is handled
 * start to finish on one pool thread, which takes a store connection only for
 * the length of each store call.
 */
#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <dlfcn.h>
#include <microhttpd.h>

/* libmicrohttpd is loaded by srv_run (mhd_load), not linked: linked, it and
 * GnuTLS behind it (p11-kit, nettle, gmp, tasn1, ...: nine libraries) were
 * loaded and initialised by every command, about 1.8 ms of CPU per process
 * (a program doing nothing but linked to it: 2.7 ms against 0.9), which
 * `myotrack screen` and the other commands never use. The calls below go
 * through these pointers (same prototypes: __typeof__ of the header's). */
static struct {
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
    __typeof__(MHD_create_response_from_buffer_with_free_callback)
        *create_response_from_buffer_with_free_callback;
    __typeof__(MHD_destroy_response) *destroy_response;
    __typeof__(MHD_get_connection_info) *get_connection_info;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_is_feature_supported) *is_feature_supported;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
} mhd;

#define MHD_add_response_header                         (*mhd.add_response_header)
#define MHD_create_response_from_buffer                 (*mhd.create_response_from_buffer)
#define MHD_create_response_from_buffer_with_free_callback                                          \
    (*mhd.create_response_from_buffer_with_free_callback)
#define MHD_destroy_response                            (*mhd.destroy_response)
#define MHD_get_connection_info                         (*mhd.get_connection_info)
#define MHD_get_daemon_info                             (*mhd.get_daemon_info)
#define MHD_is_feature_supported                        (*mhd.is_feature_supported)
#define MHD_lookup_connection_value                     (*mhd.lookup_connection_value)
#define MHD_queue_response                              (*mhd.queue_response)
#define MHD_start_daemon                                (*mhd.start_daemon)
#define MHD_stop_daemon                                 (*mhd.stop_daemon)

/* Load libmicrohttpd and every function above (once, before the daemon
 * starts; the pool threads only read the pointers). 0, or -1 with a message. */
static int mhd_load(void)
{
    static const char *const libs[] = {"libmicrohttpd.so.12", "libmicrohttpd.so"};
    struct {
        const char *name;
        void *slot; /* a function pointer of mhd, written with memcpy (ISO C has
                     * no conversion from dlsym's void *) */
    } fn[] = {
        {"MHD_add_response_header", &mhd.add_response_header},
        {"MHD_create_response_from_buffer", &mhd.create_response_from_buffer},
        {"MHD_create_response_from_buffer_with_free_callback",
         &mhd.create_response_from_buffer_with_free_callback},
        {"MHD_destroy_response", &mhd.destroy_response},
        {"MHD_get_connection_info", &mhd.get_connection_info},
        {"MHD_get_daemon_info", &mhd.get_daemon_info},
        {"MHD_is_feature_supported", &mhd.is_feature_supported},
        {"MHD_lookup_connection_value", &mhd.lookup_connection_value},
        {"MHD_queue_response", &mhd.queue_response},
        {"MHD_start_daemon", &mhd.start_daemon},
        {"MHD_stop_daemon", &mhd.stop_daemon},
    };
    void *h = NULL;
    size_t i;

    for (i = 0; !h && i < sizeof(libs) / sizeof(libs[0]); i++)
        h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "myotrack: cannot load libmicrohttpd: %s\n", dlerror());
        return -1;
    }
    for (i = 0; i < sizeof(fn) / sizeof(fn[0]); i++) {
        void *f = dlsym(h, fn[i].name);
        if (!f) {
            fprintf(stderr, "myotrack: libmicrohttpd has no %s\n", fn[i].name);
            return -1; /* h stays loaded: the process ends with EX_UNAVAILABLE */
        }
        memcpy(fn[i].slot, &f, sizeof(f));
    }
    return 0;
}

#include "server/http.h"
#include "server/routes.h"
#include "server/server.h"

#include <sysexits.h>

struct srv {
    st_store *st;
    cache *answers; /* progress and plan by history version (cache.h); may be NULL */
    int tls;
    int session_seconds;
    int quiet;
};

/* The answers cache: enough slots for every patient a practice follows, and
 * a byte budget well inside the server's memory floor. */
enum { ANSWER_SLOTS = 1024, ANSWER_BYTES = 16u << 20 };

/* Pages may load only this origin's files; nothing inline, no frames. */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                          "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                          "form-action 'self'";

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t http_now(void)
{
    return (int64_t)time(NULL);
}

void http_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int http_tls(const req *r)
{
    return r->srv->tls;
}

int http_session_seconds(const req *r)
{
    return r->srv->session_seconds;
}

cache *http_answers(const req *r)
{
    return r->srv->answers;
}

/* --- answering ------------------------------------------------------------ */

static int queue(req *r, unsigned status, const char *type, struct MHD_Response *res,
                 const char *const *headers)
{
    enum MHD_Result ok;
    size_t i;

    if (!res)
        return MHD_NO;
    if (type)
        MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "Content-Security-Policy", csp);
    for (i = 0; headers && headers[i]; i += 2)
        MHD_add_response_header(res, headers[i], headers[i + 1]);
    ok = MHD_queue_response(r->conn, status, res);
    MHD_destroy_response(res);
    r->status = status;
    return ok;
}

int http_send(req *r, unsigned status, const char *type, const char *body, size_t len,
              const char *const *headers)
{
    return queue(r, status, type,
                 MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
                                                 MHD_RESPMEM_MUST_COPY),
                 headers);
}

int http_send_owned(req *r, unsigned status, const char *type, char *body, size_t len,
                    const char *const *headers)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer_with_free_callback(len, body, free);

    if (!res)
        free(body);
    return queue(r, status, type, res, headers);
}

int http_json(req *r, unsigned status, const char *json, size_t len)
{
    return http_send(r, status, "application/json; charset=utf-8", json, len, NULL);
}

int http_jsonv(req *r, unsigned status, json_t *v)
{
    char *text;
    int ok;

    if (!v)
        return http_error(r, 500, "internal", NULL, "out of memory");
    text = json_dumps(v, JSON_DUMP_FLAGS);
    json_decref(v);
    if (!text)
        return http_error(r, 500, "internal", NULL, "out of memory");
    ok = http_json(r, status, text, strlen(text));
    free(text);
    return ok;
}

int http_error(req *r, unsigned status, const char *code, const char *field, const char *fmt, ...)
{
    char message[512];
    const char *retry[] = {"Retry-After", "1", NULL};
    json_t *v;
    char *text;
    va_list ap;
    int ok;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    v = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message", message, "field", field);
    text = v ? json_dumps(v, JSON_DUMP_FLAGS) : NULL;
    json_decref(v);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}";
        return http_send(r, 500, "application/json; charset=utf-8", oom, sizeof(oom) - 1, NULL);
    }
    ok = http_send(r, status, "application/json; charset=utf-8", text, strlen(text),
                   status == 503 ? retry : NULL);
    free(text);
    return ok;
}

int http_store_error(req *r, int rc)
{
    switch (rc) {
    case ST_NOTFOUND:
        return http_error(r, 404, "not_found", NULL, "no such record");
    case ST_FORBIDDEN:
        return http_error(r, 403, "forbidden", NULL, "your role may not do this");
    case ST_CONFLICT:
        return http_error(r, 409, "conflict", NULL, "this conflicts with what is stored");
    case ST_BUSY:
        return http_error(r, 503, "busy", NULL,
                          "the database is busy; nothing was written, try again");
    case ST_FULL:
        return http_error(r, 507, "storage_full", NULL, "the storage is full; nothing was written");
    case ST_INVALID:
        return http_error(r, 422, "invalid_field", NULL, "%s", st_errmsg());
    default:
        fprintf(stderr, "myotrack: store: %s\n", st_errmsg());
        return http_error(r, 500, "internal", NULL, "internal error; nothing was written");
    }
}

/* --- reading the request ---------------------------------------------------- */

const char *http_header(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_is_json(req *r)
{
    const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = strlen("application/json");

    if (!ct || strncasecmp(ct, "application/json", n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

json_t *http_body_object(req *r, int *answered)
{
    json_error_t e;
    json_t *v;

    if (!http_is_json(r)) {
        *answered =
            http_error(r, 415, "unsupported_media_type", NULL, "send the body as application/json");
        return NULL;
    }
    v = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!v) {
        *answered = http_error(r, 400, "malformed_json", NULL,
                               "invalid JSON at line %d, column %d: %s", e.line, e.column, e.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        *answered = http_error(r, 422, "invalid_field", NULL, "expected a JSON object");
        return NULL;
    }
    return v;
}

/* --- the request's life ------------------------------------------------------- */

static int append_body(req *r, const char *data, size_t n)
{
    if (r->too_large)
        return 0;
    if (r->body_len + n > HTTP_MAX_BODY) {
        r->too_large = 1;
        free(r->body);
        r->body = NULL;
        r->body_len = r->body_cap = 0;
        return 0;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 4096;
        char *p;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        p = realloc(r->body, cap);
        if (!p)
            return -1;
        r->body = p;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    srv *s = cls;
    req *r = *con_cls;

    (void)version;
    if (!r) {
        const char *cl;
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->st = s->st;
        r->conn = conn;
        r->method = method;
        r->path = url;
        r->t0_ns = now_ns();
        *con_cls = r;
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
            r->too_large = 1; /* refused before it is read */
            return (enum MHD_Result)http_error(r, 413, "too_large", NULL,
                                               "the body is larger than 1 MiB");
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->status && append_body(r, upload, *upload_size) < 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status) /* answered already */
        return MHD_YES;
    if (r->too_large)
        return (enum MHD_Result)http_error(r, 413, "too_large", NULL,
                                           "the body is larger than 1 MiB");
    return (enum MHD_Result)route_request(r);
}

/* One line per request: time, method, path, status, duration. Never a body,
 * a query string, a header or a cookie. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    srv *s = cls;
    req *r = *con_cls;

    (void)toe;
    if (!r)
        return;
    if (st_trace_on()) {
        static atomic_int threads_seen;
        static _Thread_local int thread_no;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!thread_no)
            thread_no = atomic_fetch_add(&threads_seen, 1) + 1;
        st_trace("%lld req %s %s %u dur=%lld thr=%d fd=%d\n", (long long)(r->t0_ns / 1000),
                 r->method, r->path, r->status, (long long)((now_ns() - r->t0_ns) / 1000),
                 thread_no, ci ? (int)ci->connect_fd : -1);
    }
    if (!s->quiet) {
        char when[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(stderr, "%s %s %s %u %.1fms\n", when, r->method, r->path, r->status ? r->status : 0,
                (double)(now_ns() - r->t0_ns) / 1e6);
    }
    free(r->body);
    free(r);
    *con_cls = NULL;
}

/* --- starting and stopping ------------------------------------------------------ */

void srv_block_signals(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* "ADDR:PORT", "[v6]:PORT" or ":PORT" to a socket address. */
static int parse_listen(const char *spec, struct sockaddr_storage *out, socklen_t *len, int *v6)
{
    char host[256];
    const char *colon, *port;
    struct addrinfo hints, *ai = NULL;
    size_t hl;
    char *end;
    long p;

    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':')
            return -1;
        hl = (size_t)(close - spec - 1);
        if (hl >= sizeof(host))
            return -1;
        memcpy(host, spec + 1, hl);
        port = close + 2;
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            return -1;
        hl = (size_t)(colon - spec);
        if (hl >= sizeof(host))
            return -1;
        memcpy(host, spec, hl);
        port = colon + 1;
    }
    host[hl] = '\0';
    errno = 0;
    p = strtol(port, &end, 10);
    if (errno || end == port || *end || p < 0 || p > 65535)
        return -1;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if (getaddrinfo(hl ? host : NULL, port, &hints, &ai) != 0 || !ai)
        return -1;
    memcpy(out, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 1 << 20 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* Request threads: by default one per connection (0). A request blocks its
 * thread while it waits for its commit (a write's batch, a read's audit
 * batch), and a pool thread (--threads N) serves none of its other
 * connections meanwhile. Worse, a pool thread accepts up to ten connections
 * in a row when it wakes, so wrk's 64 connections landed 27, 22, 7, 6, 3, 1
 * and 0 to a thread: those behind the crowded threads waited for each of
 * their neighbours' requests in turn, the POST's p99 (35-39 ms at p50 9 ms,
 * bench/README.md). A thread of its own per connection leaves the waiting to
 * the store's queues and the kernel's scheduler. */
int srv_default_threads(void)
{
    return 0;
}

int srv_run(const srv_config *cfg, st_store *st)
{
    struct sockaddr_storage addr;
    socklen_t addr_len = 0;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    char *cert = NULL, *key = NULL;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    unsigned threads = (unsigned)(cfg->threads > 0 ? cfg->threads : srv_default_threads());
    struct MHD_OptionItem pool[] = {{MHD_OPTION_THREAD_POOL_SIZE, threads, NULL},
                                    {MHD_OPTION_END, 0, NULL}};
    srv s;
    sigset_t set;
    int sig = 0, v6 = 0, rc = EX_OK;

    memset(&s, 0, sizeof(s));
    s.st = st;
    if (mhd_load() != 0)
        return EX_UNAVAILABLE;
#if defined(__GLIBC__)
    /* Every request mallocs and frees buffers of 16 KB to 1 MB (the 64 KiB
     * render buffer, a 38 KB result, the tracking engine's answer). With
     * glibc's defaults the heap's top was given back (brk) after most of
     * them and faulted in again, page by page, by the next: about a tenth of
     * the writers' turn under load. Keep up to 8 MiB of free top per arena and
     * serve blocks under 1 MiB from the heap; what is resident at the peak
     * (bench/load's VmHWM) does not change. */
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    s.session_seconds = cfg->session_seconds > 0 ? cfg->session_seconds : 8 * 3600;
    s.quiet = cfg->quiet;
    s.answers = cache_new(ANSWER_SLOTS, ANSWER_BYTES); /* NULL: no cache, still correct */
    if (parse_listen(cfg->listen, &addr, &addr_len, &v6) < 0) {
        fprintf(stderr, "myotrack: --listen: '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)\n",
                cfg->listen);
        return EX_USAGE;
    }
    if (v6)
        flags |= MHD_USE_IPv6;
    if (threads == 0) /* a thread per connection (poll on its socket), no pool */
        flags |= MHD_USE_THREAD_PER_CONNECTION;
    if (cfg->tls_cert || cfg->tls_key) {
        if (!cfg->tls_cert || !cfg->tls_key) {
            fprintf(stderr, "myotrack: --tls-cert and --tls-key go together\n");
            return EX_USAGE;
        }
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            fprintf(stderr, "myotrack: this libmicrohttpd has no TLS support\n");
            return EX_UNAVAILABLE;
        }
        cert = read_file(cfg->tls_cert);
        key = read_file(cfg->tls_key);
        if (!cert || !key) {
            fprintf(stderr, "myotrack: cannot read %s\n", cert ? cfg->tls_key : cfg->tls_cert);
            rc = EX_NOINPUT;
            goto done;
        }
        flags |= MHD_USE_TLS;
        s.tls = 1;
    }
    {
        /* The certificate and key only when serving TLS: the list then starts at END. */
        struct MHD_OptionItem tls[] = {{MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
                                       {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
                                       {MHD_OPTION_END, 0, NULL}};
        d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &s, MHD_OPTION_SOCK_ADDR, &addr,
                             MHD_OPTION_ARRAY, threads ? pool : pool + 1, MHD_OPTION_NOTIFY_COMPLETED,
                             on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_ARRAY,
                             s.tls ? tls : tls + 2, MHD_OPTION_END);
    }
    if (!d) {
        fprintf(stderr, "myotrack: cannot listen on %s: %s\n", cfg->listen,
                errno ? strerror(errno) : "libmicrohttpd refused to start");
        rc = EX_UNAVAILABLE;
        goto done;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    {
        char host[256] = "127.0.0.1";
        getnameinfo((struct sockaddr *)&addr, addr_len, host, sizeof(host), NULL, 0,
                    NI_NUMERICHOST);
        printf("myotrack: serving on %s://%s%s%s:%u/\n", s.tls ? "https" : "http", v6 ? "[" : "",
               host, v6 ? "]" : "", info ? (unsigned)info->port : 0);
        fflush(stdout);
    }
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "myotrack: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d);
done:
    cache_free(s.answers);
    free(cert);
    free(key);
    return rc;
}
