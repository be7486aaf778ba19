/*
 * store_cli.c - what the commands working on the database share: finding it
 * (--db or the default path), opening it with a one-line error, and turning
 * the store's codes into exit statuses (one table).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const struct {
    int st;
    int ex;
} exits[] = {
    {ST_OK, EX_OK},           {ST_NOTFOUND, EX_DATAERR}, {ST_CONFLICT, EX_DATAERR},
    {ST_INVALID, EX_DATAERR}, {ST_FORBIDDEN, EX_NOPERM}, {ST_BUSY, EX_TEMPFAIL},
    {ST_FULL, EX_IOERR},      {ST_NOMEM, EX_OSERR},      {ST_ERROR, EX_SOFTWARE},
};

int cli_store_exit(int st_rc)
{
    size_t i;

    for (i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
        if (exits[i].st == st_rc)
            return exits[i].ex;
    return EX_SOFTWARE;
}

int cli_store_open(const char *db, int must_exist, st_store **out)
{
    static const st_options opt = {1, 5000, 0, 1, NULL, NULL};
    char path[PATH_MAX];
    struct stat sb;
    int rc;

    *out = NULL;
    if (db) {
        if (!db[0]) {
            cli_error("--db: an empty path");
            return EX_USAGE;
        }
        if (strlen(db) >= sizeof(path)) {
            cli_error("--db: the path is too long");
            return EX_USAGE;
        }
        memcpy(path, db, strlen(db) + 1);
    } else if (st_default_path(path, sizeof(path)) != ST_OK) {
        cli_error("no database: %s; name one with --db FILE", st_errmsg());
        return EX_USAGE;
    }
    if (must_exist && stat(path, &sb) != 0) {
        cli_error("no database at '%s': %s", path, strerror(errno));
        return EX_NOINPUT;
    }
    rc = st_open(out, path, &opt);
    if (rc == ST_BUSY) {
        cli_error("the database '%s' is busy; try again", path);
        return EX_TEMPFAIL;
    }
    if (rc != ST_OK) {
        cli_error("cannot open the database '%s': %s", path, st_errmsg());
        return EX_CANTCREAT;
    }
    return EX_OK;
}

int cli_parse_id(const char *s, int64_t *out)
{
    char *end = NULL;
    long long v;

    if (!s || !*s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0)
        return -1;
    *out = (int64_t)v;
    return 0;
}

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* The option named a, or NULL. */
static const cli_option *find_option(const cli_option *opts, const char *a)
{
    const cli_option *o;

    for (o = opts; o && o->name; o++)
        if (strcmp(a, o->name) == 0)
            return o;
    return NULL;
}

int cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts,
                      const char **positional, int max_positional, int *npositional,
                      const char *usage)
{
    int i, n = 0, ended = 0; /* ended: after "--", every argument is positional */
    const char *given[CLI_MAX_OPTIONS] = {NULL}; /* each value option's value so far */

    *npositional = 0;
    for (i = 0; opts && opts[i].name; i++)
        if (i == CLI_MAX_OPTIONS) { /* a table too long for `given`: the program's own error */
            cli_error("%s: internal error: more than %d options", cmd, CLI_MAX_OPTIONS);
            return EX_SOFTWARE;
        }
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *o;
        size_t k;
        if (!ended && strcmp(a, "--") == 0) { /* the end of the options: `-- -odd-name.csv` */
            ended = 1;
            continue;
        }
        if (!ended && is_help(a)) {
            fputs(usage, stdout);
            return CLI_HELP;
        }
        if (!ended && a[0] == '-' && a[1] != '\0') {
            if (!(o = find_option(opts, a))) {
                cli_error("%s: unknown option '%s'; see 'myotrack %s --help'", cmd, a, cmd);
                return EX_USAGE;
            }
            if (o->flag) {
                *o->flag = 1;
            } else if (i + 1 >= argc || is_help(argv[i + 1]) || find_option(opts, argv[i + 1])) {
                /* no value, or another option in its place: `--threads --by x` */
                cli_error("%s: %s needs a value; see 'myotrack %s --help'", cmd, a, cmd);
                return EX_USAGE;
            } else if (given[k = (size_t)(o - opts)]) {
                /* the second would silently replace the first: `--by sex --by age` */
                cli_error("%s: %s given twice ('%s', then '%s'); give it once; see 'myotrack %s "
                          "--help'", cmd, a, given[k], argv[i + 1], cmd);
                return EX_USAGE;
            } else {
                *o->value = argv[++i];
                given[k] = *o->value;
            }
        } else if (n >= max_positional) {
            cli_error("%s: unexpected argument '%s'; see 'myotrack %s --help'", cmd, a, cmd);
            return EX_USAGE;
        } else {
            positional[n++] = a;
        }
    }
    for (i = 0; opts && opts[i].name; i++) /* once the whole line is read, as the checks above */
        if (opts[i].takes && given[i] && !*given[i]) {
            cli_error("%s: %s: empty; accepted: %s", cmd, opts[i].name, opts[i].takes);
            return EX_USAGE;
        }
    *npositional = n;
    return EX_OK;
}
