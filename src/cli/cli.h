/*
 * cli.h - what the subcommands of the `myotrack` command share.
 *
 * Each subcommand is one file (cmd_<name>.c) and one row in main.c's table.
 * They use only the public API (myotrack.h). Exit codes follow sysexits.h.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdio.h>
#include <sysexits.h>

#include "myotrack.h"

int cmd_assess(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_version(int argc, char **argv);

/** Print "myotrack: <message>" on stderr, one line. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Write all of buf to stdout and flush; EX_IOERR (with a message) on failure. */
int cli_write_stdout(const char *buf, size_t len);

#endif
