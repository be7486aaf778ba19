/*
 * cmd_backup.c - `myotrack backup FILE [--db FILE] [--force]`: a consistent
 * copy of the whole database while the server keeps running (SQLite's online
 * backup), written beside FILE and renamed into place.
 *
 * An existing FILE is kept unless --force: an earlier backup is not thrown
 * away by a typo. The database must exist; backing up nothing is an error.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char usage_text[] =
    "usage: myotrack backup FILE [--db FILE] [--force]\n"
    "  FILE     where to write the copy (mode 0600); refused if it exists\n"
    "  --force  replace an existing FILE\n"
    "  --db FILE  the database (default $XDG_DATA_HOME/myotrack/myotrack.db, else\n"
    "             ~/.local/share/myotrack/myotrack.db)\n";

int cmd_backup(int argc, char **argv)
{
    const char *db = NULL, *pos[1] = {NULL};
    int force = 0, npos, rc;
    const cli_option opts[] = {{"--db", &db, NULL, NULL},
                               {"--force", NULL, &force, NULL},
                               {NULL, NULL, NULL, NULL}};
    st_store *st = NULL;
    struct stat sb;

    rc = cli_parse_options("backup", argc - 1, argv + 1, opts, pos, 1, &npos, usage_text);
    if (rc != EX_OK)
        return rc == CLI_HELP ? EX_OK : rc;
    if (npos != 1) {
        cli_error("backup: name the file to write; see 'myotrack backup --help'");
        return EX_USAGE;
    }
    if (!force && stat(pos[0], &sb) == 0) {
        cli_error("backup: '%s' exists; --force replaces it", pos[0]);
        return EX_CANTCREAT;
    }
    if ((rc = cli_store_open(db, 1, &st)) != EX_OK)
        return rc;
    rc = st_backup(st, pos[0]);
    if (rc == ST_OK) {
        printf("backed up to %s\n", pos[0]);
        rc = fflush(stdout) == 0 ? EX_OK : EX_IOERR;
    } else {
        cli_error("backup: %s", st_errmsg());
        rc = rc == ST_BUSY ? EX_TEMPFAIL : rc == ST_INVALID ? EX_USAGE : EX_CANTCREAT;
    }
    st_close(st);
    return rc;
}
