/*
 * cmd_export.c - `myotrack export --patient ID [--db FILE]`: everything the
 * store holds about one patient, as one JSON document on standard output (a
 * person's copy of their data, or a move to another system).
 *
 * The command line is the local operator: it may read any patient, and the
 * export is audited as "cli" like every other read of patient data.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: myotrack export --patient ID [--db FILE]\n"
    "  --patient ID  the patient record to export (JSON on standard output:\n"
    "                patient, assessments with documents and results, sessions,\n"
    "                check-ins, alerts)\n"
    "  --db FILE     the database (default $XDG_DATA_HOME/myotrack/myotrack.db, else\n"
    "                ~/.local/share/myotrack/myotrack.db)\n";

int cmd_export(int argc, char **argv)
{
    const char *db = NULL, *patient_s = NULL;
    const cli_option opts[] = {
        {"--patient", &patient_s, NULL, NULL}, {"--db", &db, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    const st_actor cli = {0, ST_ADMIN, 0, 1};
    st_store *st = NULL;
    int64_t patient = 0;
    char *out = NULL;
    int npos, rc;

    rc = cli_parse_options("export", argc - 1, argv + 1, opts, NULL, 0, &npos, usage_text);
    if (rc != EX_OK)
        return rc == CLI_HELP ? EX_OK : rc;
    if (!patient_s) {
        cli_error("export: --patient ID is required; see 'myotrack export --help'");
        return EX_USAGE;
    }
    if (cli_parse_id(patient_s, &patient) != 0) {
        cli_error("--patient: '%s' is not a patient id (a positive number)", patient_s);
        return EX_USAGE;
    }
    if ((rc = cli_store_open(db, 1, &st)) != EX_OK)
        return rc;
    rc = st_export_patient(st, &cli, patient, &out);
    if (rc == ST_NOTFOUND)
        cli_error("export: no patient with id %lld", (long long)patient);
    else if (rc != ST_OK)
        cli_error("export: %s", st_errmsg());
    if (rc == ST_OK) {
        rc = cli_write_stdout(out, strlen(out));
        if (rc == EX_OK)
            rc = cli_write_stdout("\n", 1);
    } else {
        rc = cli_store_exit(rc);
    }
    free(out);
    st_close(st);
    return rc;
}
