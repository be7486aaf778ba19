/*
 * main.c - the `myotrack` command: dispatch to one subcommand per row.
 */
#include <stdarg.h>
#include <string.h>

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

static void usage(FILE *f)
{
    size_t i;

    fputs("usage: myotrack <command> [options]\n\ncommands:\n", f);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\nmyotrack <command> --help for a command's options. See also man myotrack.\n", f);
}

int main(int argc, char **argv)
{
    size_t i;

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
