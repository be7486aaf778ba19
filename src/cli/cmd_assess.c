/*
 * cmd_assess.c - `myotrack assess [FILE|-] [--format text|json] [--color
 * auto|always|never]`: read one assessment document, print the result.
 * `myotrack assess` with no FILE on a terminal, or with --interactive, asks
 * the questions instead (questionnaire.c).
 *
 * The input is read whole (at most 1 MiB, refused beyond without reading
 * on), parsed and assessed before anything is written, so a failure never
 * leaves half a report on stdout. Text is the default on a terminal, JSON
 * otherwise; the questionnaire's report is text unless --format json.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: myotrack assess [FILE|-] [--format text|json] [--color auto|always|never]\n"
    "       myotrack assess [--interactive] [--save FILE] [--format text|json] [--color ...]\n"
    "  FILE   an assessment document (JSON); '-' reads standard input, as does no FILE\n"
    "         when standard input is not a terminal\n"
    "  --format  text (the report; default on a terminal) or json (default otherwise)\n"
    "  --interactive  ask the questions one by one (the default with no FILE on a\n"
    "         terminal); questions on stderr, the report (text) on stdout\n"
    "  --save FILE  with the questions: write the answers to FILE as a document\n";

static int exit_for(int rc)
{
    switch (rc) {
    case MT_EINVAL:
    case MT_ETOOBIG:
        return EX_DATAERR;
    case MT_ENOMEM:
        return EX_OSERR;
    default:
        return EX_SOFTWARE;
    }
}

int cmd_assess(int argc, char **argv)
{
    const char *path = NULL, *format = NULL, *color = "auto", *save = NULL;
    FILE *f = stdin;
    char *doc = NULL, *out = NULL;
    size_t doc_len = 0, out_len = 0;
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err = {0, "", ""};
    int i, rc, status = EX_OK, interactive = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EX_OK;
        } else if (strcmp(a, "--interactive") == 0) {
            interactive = 1;
        } else if (strcmp(a, "--format") == 0 || strcmp(a, "--color") == 0 ||
                   strcmp(a, "--save") == 0) {
            if (i + 1 >= argc) {
                cli_error("assess: %s needs a value; see 'myotrack assess --help'", a);
                return EX_USAGE;
            }
            if (a[2] == 'f')
                format = argv[++i];
            else if (a[2] == 'c')
                color = argv[++i];
            else
                save = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("assess: unknown option '%s'; see 'myotrack assess --help'", a);
            return EX_USAGE;
        } else if (path) {
            cli_error("assess: one document at a time ('%s' and '%s')", path, a);
            return EX_USAGE;
        } else {
            path = a;
        }
    }
    if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("--format: '%s' is not accepted; accepted: text, json", format);
        return EX_USAGE;
    }
    if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 && strcmp(color, "never") != 0) {
        cli_error("--color: '%s' is not accepted; accepted: auto, always, never", color);
        return EX_USAGE;
    }
    if (interactive && path) {
        cli_error("assess: --interactive asks the questions; it takes no FILE ('%s')", path);
        return EX_USAGE;
    }
    if (save && path) {
        cli_error("assess: --save writes the questionnaire's answers; it takes no FILE ('%s')",
                  path);
        return EX_USAGE;
    }
    if (interactive || (!path && isatty(STDIN_FILENO))) {
        cli_questionnaire_options opt = {save, format && strcmp(format, "json") == 0, 0, 0};
        int no_color = getenv("NO_COLOR") != NULL;
        if (strcmp(color, "always") == 0 ||
            (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) && !no_color))
            opt.text_flags = MT_TEXT_COLOR;
        opt.stderr_color = strcmp(color, "always") == 0 ||
                           (strcmp(color, "auto") == 0 && isatty(STDERR_FILENO) && !no_color);
        return cli_questionnaire(&opt);
    }
    if (save) {
        cli_error("assess: --save writes the questionnaire's answers; use it with "
                  "--interactive");
        return EX_USAGE;
    }
    if (!format)
        format = isatty(STDOUT_FILENO) ? "text" : "json";

    if (path && strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            cli_error("cannot open '%s': %s", path, strerror(errno));
            return EX_NOINPUT;
        }
    }
    rc = cli_read_all(f, MT_MAX_INPUT, &doc, &doc_len);
    if (f != stdin)
        fclose(f);
    if (rc == -1) {
        cli_error("out of memory reading the input");
        return EX_OSERR;
    }
    if (rc == -2) {
        cli_error("cannot read '%s'", path ? path : "standard input");
        return EX_IOERR;
    }

    rc = mt_input_parse_json(&in, doc, doc_len, &err);
    if (rc == MT_OK)
        rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        cli_error("%s", err.message[0] ? err.message : "cannot assess the document");
        status = exit_for(rc);
        goto done;
    }
    if (strcmp(format, "json") == 0)
        rc = mt_result_render_json(res, &out, &out_len);
    else
        rc = mt_result_render_text(
            res,
            strcmp(color, "always") == 0 ||
                    (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"))
                ? MT_TEXT_COLOR
                : 0,
            &out, &out_len);
    if (rc != MT_OK) {
        cli_error("out of memory rendering the result");
        status = EX_OSERR;
        goto done;
    }
    status = cli_write_stdout(out, out_len);
done:
    mt_free(out);
    mt_result_free(res);
    mt_input_free(in);
    free(doc);
    return status;
}
