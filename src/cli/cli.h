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
#include "store/store.h"

int cmd_assess(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_track(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_screen(int argc, char **argv);

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

/** Read a whole input of at most `max` bytes (max + 1 are read, so that a
 * larger one shows as too big). 0 ok (*out malloc'd), -1 out of memory,
 * -2 a read error. */
int cli_read_all(FILE *f, size_t max, char **out, size_t *len);

/** Write all of buf to stdout and flush; EX_IOERR (with a message) on failure. */
int cli_write_stdout(const char *buf, size_t len);

/*
 * The commands working on the database (store_cli.c). cli_store_open opens
 * `db`, or st_default_path() when NULL (creating its directory, 0700); with
 * must_exist, a missing file is EX_NOINPUT instead of a new database. It
 * prints its own one-line error and returns a sysexits code.
 */
int cli_store_open(const char *db, int must_exist, st_store **out);
/** The exit status for a store code (ST_CONFLICT -> EX_DATAERR, ST_BUSY -> EX_TEMPFAIL...). */
int cli_store_exit(int st_rc);
/** A positive decimal id; -1 for anything else. */
int cli_parse_id(const char *s, int64_t *out);

/** One option of a command: a value option (`value`) or a flag (`flag`). */
typedef struct cli_option {
    const char *name; /**< "--db"; NULL ends the table */
    const char **value;
    int *flag;
    /** What a value option takes ("a file name"): given, an empty value is
     *  refused saying so (`--summary "$OUT"` with OUT unset); NULL leaves an
     *  empty value to the command. */
    const char *takes;
} cli_option;

/** cli_parse_options printed the usage (--help): the command exits EX_OK. */
#define CLI_HELP (-1)

/** The options a table may have (cli_parse_options tells a repeated one). */
#define CLI_MAX_OPTIONS 32

/**
 * Parse argv[0..argc) against the table `opts` (at most CLI_MAX_OPTIONS);
 * the other arguments go to `positional` (at most max_positional), and every
 * one after "--" (a file named "-x.csv"). A value option given twice is
 * refused, not replaced, and one with `takes` given an empty value. Returns EX_OK, CLI_HELP after
 * printing `usage`, or EX_USAGE after a one-line error naming `cmd`.
 */
int cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts,
                      const char **positional, int max_positional, int *npositional,
                      const char *usage);

#endif
