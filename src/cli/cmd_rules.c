/*
 * cmd_rules.c - `myotrack rules [--format text|json]`: every threshold the
 * engine applies, one row each, with its source and status, read from the
 * engine's own tables (mt_rule_at) so the listing cannot drift from the code.
 */
#include <string.h>

#include "cli.h"

static void print_num(double v)
{
    printf("%.6g", v);
}

int cmd_rules(int argc, char **argv)
{
    int json = 0, i;
    size_t r, n = mt_rule_count();

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0)
                json = 1;
            else if (strcmp(f, "text") != 0) {
                cli_error("--format: '%s' is not accepted; accepted: text, json", f);
                return EX_USAGE;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            puts("usage: myotrack rules [--format text|json]");
            return EX_OK;
        } else {
            cli_error("rules: unknown option '%s'; usage: myotrack rules [--format text|json]",
                      argv[i]);
            return EX_USAGE;
        }
    }
    if (json)
        fputs("[\n", stdout);
    else
        printf("%-10s %-22s %-6s %-26s %-8s %-16s %-14s %-11s %s\n", "definition", "criterion",
               "sex", "measure", "operator", "threshold", "unit", "source", "status / condition");
    for (r = 0; r < n; r++) {
        mt_rule_view v;
        if (mt_rule_at(r, &v) != MT_OK)
            return EX_SOFTWARE;
        if (json) {
            printf("  {\"definition\": \"%s\", \"criterion\": \"%s\", \"sex\": \"%s\", "
                   "\"measure\": \"%s\", \"operator\": \"%s\", \"threshold\": ",
                   v.definition, v.criterion, v.sex, v.measure, v.op);
            print_num(v.threshold);
            if (strcmp(v.op, "between") == 0) {
                fputs(", \"threshold_high\": ", stdout);
                print_num(v.threshold_high);
            }
            printf(", \"unit\": \"%s\", \"condition\": \"%s\", \"source\": \"%s\", "
                   "\"status\": \"%s\"}%s\n",
                   v.unit, v.condition, v.source, v.status, r + 1 < n ? "," : "");
        } else {
            char thr[48];
            if (strcmp(v.op, "between") == 0)
                snprintf(thr, sizeof(thr), "%.6g to <%.6g", v.threshold, v.threshold_high);
            else
                snprintf(thr, sizeof(thr), "%.6g", v.threshold);
            printf("%-10s %-22s %-6s %-26s %-8s %-16s %-14s %-11s %s%s%s\n", v.definition,
                   v.criterion, v.sex, v.measure, v.op, thr, v.unit, v.source, v.status,
                   v.condition[0] ? ", if " : "", v.condition);
        }
    }
    if (json)
        fputs("]\n", stdout);
    return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}
