/*
 * cmd_serve.c - `myotrack serve`: open (or create) the store, optionally make
 * the demo accounts, and serve the web app and its API until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "cli.h"
#include "server/demo.h"
#include "server/server.h"
#include "store/store.h"

static const char usage[] =
    "usage: myotrack serve [--db FILE] [--listen ADDR:PORT] [--demo] [options]\n"
    "\n"
    "Serve the web app and its JSON API (docs/api.md).\n"
    "\n"
    "  --db FILE            the database (default $XDG_DATA_HOME/myotrack/myotrack.db,\n"
    "                       else ~/.local/share/myotrack/myotrack.db); created if missing\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --demo               make a demo clinician and patient with sample records if\n"
    "                       they do not exist, printing their passwords once\n"
    "  --threads N          a pool of N request threads (default: one per connection)\n"
    "  --session-hours H    how long a login lasts (default 8, 1 to 720)\n"
    "  --busy-timeout MS    how long a write waits for a lock before 503 (default 5000)\n"
    "  --max-db-mb N        refuse writes beyond N MiB of database (507)\n"
    "  --sync full|normal   full: every commit survives power loss (default: normal,\n"
    "                       every commit survives a crash or kill of the server)\n"
    "  --tls-cert FILE --tls-key FILE   serve HTTPS (cookies are then Secure)\n"
    "  --quiet              no request log on stderr\n";

/* A whole number in [lo, hi] from an option's value; -1 (after a message) if not. */
static int number(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;

    errno = 0;
    *out = v ? strtol(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || *out < lo || *out > hi) {
        cli_error("%s: expected a whole number from %ld to %ld", opt, lo, hi);
        return -1;
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    srv_config cfg = {"127.0.0.1:8080", 0, 0, NULL, NULL, 0};
    st_options so = {0, 0, 0, 0, srv_track_raise, srv_track_release};
    char path[4096];
    const char *db = NULL;
    st_store *st = NULL;
    int demo = 0, i, rc;
    long n;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return EX_OK;
        } else if (strcmp(a, "--demo") == 0) {
            demo = 1;
            takes = 0;
        } else if (strcmp(a, "--quiet") == 0) {
            cfg.quiet = 1;
            takes = 0;
        } else if (!v) {
            cli_error("%s: %s; see myotrack serve --help",
                      strncmp(a, "--", 2) == 0 ? "unknown option or missing value"
                                               : "unexpected argument",
                      a);
            return EX_USAGE;
        } else if (strcmp(a, "--db") == 0) {
            db = v;
        } else if (strcmp(a, "--listen") == 0) {
            cfg.listen = v;
        } else if (strcmp(a, "--tls-cert") == 0) {
            cfg.tls_cert = v;
        } else if (strcmp(a, "--tls-key") == 0) {
            cfg.tls_key = v;
        } else if (strcmp(a, "--threads") == 0) {
            if (number(a, v, 1, 256, &n) < 0)
                return EX_USAGE;
            cfg.threads = (int)n;
        } else if (strcmp(a, "--session-hours") == 0) {
            if (number(a, v, 1, 720, &n) < 0)
                return EX_USAGE;
            cfg.session_seconds = (int)n * 3600;
        } else if (strcmp(a, "--busy-timeout") == 0) {
            if (number(a, v, 1, 600000, &n) < 0)
                return EX_USAGE;
            so.busy_timeout_ms = (int)n;
        } else if (strcmp(a, "--max-db-mb") == 0) {
            if (number(a, v, 1, 1048576, &n) < 0)
                return EX_USAGE;
            so.max_db_bytes = (int64_t)n * 1024 * 1024;
        } else if (strcmp(a, "--sync") == 0) {
            if (strcmp(v, "full") != 0 && strcmp(v, "normal") != 0) {
                cli_error("--sync: expected full or normal");
                return EX_USAGE;
            }
            so.sync_full = strcmp(v, "full") == 0;
        } else {
            cli_error("%s: unknown option; see myotrack serve --help", a);
            return EX_USAGE;
        }
        i += takes;
    }
    if (!db) {
        if (st_default_path(path, sizeof(path)) != ST_OK) {
            cli_error("--db: no default place for the database (set XDG_DATA_HOME or HOME)");
            return EX_USAGE;
        }
        db = path;
    }
    if (auth_init() != 0) {
        cli_error("cannot initialise libsodium");
        return EX_SOFTWARE;
    }
    /* A reader connection for each request thread: none waits for one. */
    if (cfg.threads == 0)
        cfg.threads = srv_default_threads();
    so.connections = cfg.threads;
    /* Before any thread exists: the pool's threads inherit the blocked signals
     * and the main thread waits for them with sigwait. */
    srv_block_signals();
    rc = st_open(&st, db, &so);
    if (rc != ST_OK) {
        cli_error("%s: cannot open the database: %s", db, st_errmsg());
        return rc == ST_BUSY ? EX_TEMPFAIL : EX_CANTCREAT;
    }
    if ((rc = srv_result_dictionary(st)) != ST_OK) {
        cli_error("%s: cannot store the result dictionary: %s", db, st_errmsg());
        st_close(st);
        return rc == ST_BUSY ? EX_TEMPFAIL : EX_SOFTWARE;
    }
    if (demo && srv_demo_seed(st, stdout) != 0) {
        cli_error("cannot make the demo accounts: %s", st_errmsg());
        st_close(st);
        return EX_SOFTWARE;
    }
    fflush(stdout);
    rc = srv_run(&cfg, st);
    st_close(st);
    return rc;
}
