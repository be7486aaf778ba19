/*
 * cmd_track.c - `myotrack track FILE|-`: read one tracking document (a
 * person's assessments, exercise sessions, check-ins and cleared alerts;
 * docs/tracking.md) and print the answer as JSON: the triage now, the alerts,
 * each measure's progress and today's exercise prescription.
 *
 * The input is read whole (at most MT_MAX_TRACK bytes, refused beyond
 * without reading on) and the answer is built before anything is written, so
 * a failure never leaves half an answer on stdout. Errors are one line on
 * stderr: 64 usage, 65 bad data, 66 cannot open, 74 cannot read or write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: myotrack track FILE|-\n"
    "  FILE   a tracking document (JSON, docs/tracking.md); '-' reads standard input\n"
    "  prints the triage now, the alerts, each measure's progress and today's\n"
    "  exercise prescription, as JSON\n";

int cmd_track(int argc, char **argv)
{
    const char *path = NULL;
    FILE *f = stdin;
    char *doc = NULL, *out = NULL;
    size_t doc_len = 0, out_len = 0;
    mt_error err = {0, "", ""};
    int i, rc, status;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EX_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("track: unknown option '%s'; see 'myotrack track --help'", a);
            return EX_USAGE;
        } else if (path) {
            cli_error("track: one document at a time ('%s' and '%s')", path, a);
            return EX_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        cli_error("track: a FILE (or - for standard input) is required; see 'myotrack track "
                  "--help'");
        return EX_USAGE;
    }
    if (strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            cli_error("cannot open '%s': %s", path, strerror(errno));
            return EX_NOINPUT;
        }
    }
    rc = cli_read_all(f, MT_MAX_TRACK, &doc, &doc_len);
    if (f != stdin)
        fclose(f);
    if (rc == -1) {
        cli_error("out of memory reading the input");
        return EX_OSERR;
    }
    if (rc == -2) {
        cli_error("cannot read '%s'", strcmp(path, "-") ? path : "standard input");
        return EX_IOERR;
    }
    rc = mt_track_json(doc, doc_len, &out, &out_len, &err);
    switch (rc) {
    case MT_OK:
        status = cli_write_stdout(out, out_len);
        break;
    case MT_EINVAL:
    case MT_ETOOBIG:
        cli_error("%s", err.message[0] ? err.message : "invalid tracking document");
        status = EX_DATAERR;
        break;
    case MT_ENOMEM:
        cli_error("out of memory");
        status = EX_OSERR;
        break;
    default:
        cli_error("%s", err.message[0] ? err.message : "cannot track the document");
        status = EX_SOFTWARE;
        break;
    }
    mt_free(out);
    free(doc);
    return status;
}
