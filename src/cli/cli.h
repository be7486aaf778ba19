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
int cmd_track(int argc, char **argv);
int cmd_version(int argc, char **argv);

/** How the questionnaire shows its report and where it saves the answers. */
typedef struct cli_questionnaire_options {
    const char *save_path; /**< write the answers there (atomically), or NULL */
    int json;              /**< render the report as JSON instead of text */
    unsigned text_flags;   /**< flags for mt_result_render_text (MT_TEXT_COLOR) */
    int stderr_color;      /**< colours in the questions (on standard error) */
} cli_questionnaire_options;

/**
 * The interactive questionnaire (questionnaire.c; docs/questionnaire.md):
 * questions on stderr, answers from stdin, the report on stdout. Returns a
 * sysexits code: EX_OK also after an early stop on a warning sign,
 * EX_NOINPUT when the answers end early, EX_CANTCREAT when --save fails.
 */
int cli_questionnaire(const cli_questionnaire_options *opt);

/** Print "myotrack: <message>" on stderr, one line. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Write all of buf to stdout and flush; EX_IOERR (with a message) on failure. */
int cli_write_stdout(const char *buf, size_t len);

#endif
