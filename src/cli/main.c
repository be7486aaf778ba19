/*
 * main.c - the `myotrack` command: dispatch to one subcommand per row.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"assess", cmd_assess, "assess one document: definitions, screening, tests, evidence"},
    {"rules", cmd_rules, "list every threshold with its source and status"},
    {"serve", cmd_serve, "serve the web app and its JSON API (SQLite store)"},
    {"screen", cmd_screen, "every definition over a cohort file: per-row results, prevalence"},
    {"track", cmd_track, "follow one person over time: progress, alerts, today's exercise"},
    {"version", cmd_version, "print the engine version"},
    {"user", cmd_user, "add or list the web app's accounts"},
    {"backup", cmd_backup, "copy the database while it is in use"},
    {"export", cmd_export, "one patient's records as JSON"},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("myotrack: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_write_stdout(const char *buf, size_t len)
{
    if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write the output");
        return EX_IOERR;
    }
    return EX_OK;
}

/* Read at most max + 1 bytes: one more than allowed proves "too big". */
int cli_read_all(FILE *f, size_t max, char **out, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);

    if (!buf)
        return -1;
    for (;;) {
        size_t want, got;
        if (n == cap) {
            char *p;
            if (cap > max)
                break;
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            p = realloc(buf, cap);
            if (!p) {
                free(buf);
                return -1;
            }
            buf = p;
        }
        want = cap - n;
        got = fread(buf + n, 1, want, f);
        n += got;
        if (got < want) {
            if (ferror(f)) {
                free(buf);
                return -2;
            }
            break;
        }
    }
    *out = buf;
    *len = n;
    return 0;
}

static void usage(FILE *f)
{
    size_t i;

    fputs("usage: myotrack <command> [options]\n\ncommands:\n", f);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nmyotrack <command> --help for a command's options. See also man myotrack.\n", f);
}

/* A standard descriptor the shell closed (`>&-`) would be the next file
 * opened (an output's temporary, the database) and take the table or
 * messages meant for it. Each is held by /dev/null opened the wrong way
 * round, so that using it fails as a closed one does (EBADF): a write to
 * standard output still says it cannot write, with exit 74. */
static void hold_closed_descriptors(void)
{
    int fd;

    for (fd = 0; fd <= 2; fd++)
        /* the lowest free descriptor: this one, the lower ones held already */
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
            open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) < 0)
            break;
}

int main(int argc, char **argv)
{
    size_t i;

    hold_closed_descriptors();
    if (argc < 2) {
        usage(stderr);
        return EX_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EX_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'; try 'myotrack --help'", argv[1]);
    return EX_USAGE;
}
