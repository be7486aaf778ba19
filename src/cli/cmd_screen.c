/*
 * cmd_screen.c - `myotrack screen FILE|- [options]`: every definition over a
 * whole cohort file (src/screen/, docs/screen.md). This file reads the
 * options; the pipeline is screen_run().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "screen/columns.h"
#include "screen/screen.h"

static const char usage_text[] =
    "usage: myotrack screen FILE|- [options]\n"
    "  FILE                 a cohort as CSV (RFC 4180; empty, NA and . are missing);\n"
    "                       '-' reads standard input\n"
    "  --columns MAP.json   which columns make each field, with units, code tables,\n"
    "                       max_of, sum_of or constants (docs/screen.md)\n"
    "  --preset NAME        a built-in map: nhanes\n"
    "  --definitions LIST   some of ewgsop2, awgs2019, fnih, sdoc, ewgsop1, fearon2011,\n"
    "                       evans2008, glim (default: every one the columns can inform)\n"
    "  --setting community|hospital   for a file without a setting column\n"
    "  --id COL             passed through to the per-row results\n"
    "  --survey-weight COL  weighted percents (Kish effective-n Wilson intervals)\n"
    "  --strata COL --psu COL   the survey design: Taylor-linearised intervals\n"
    "                       (--psu alone: PSUs, clusters, in one stratum)\n"
    "  --unweighted         leave out the map's or preset's weight, strata and PSU\n"
    "  --by COL[,COL...]    summary groups: a field (sex, setting...) or a column\n"
    "  --age-groups 60,70,80    age bands, as the group 'age' (--by age)\n"
    "  -o OUT.csv|OUT.jsonl|-   per-row results (line, id, categories, criteria\n"
    "                       1/0/empty)\n"
    "  --summary OUT.json|-     the prevalence summary as JSON\n"
    "  --rejects FILE|-     every rejected row with its line and reason (else the\n"
    "                       first 20 on standard error)\n"
    "  --threads N          worker threads, 1 to 64 (default: one per core, at most 64)\n"
    "  --strict             stop at the first bad row (exit 65, nothing written)\n"
    "  --progress / --no-progress   the progress bar (default: on a terminal)\n"
    "  --table              print the table even when standard output is not a terminal\n"
    "fields (canonical column names, canonical units):\n"
    "  sex age height weight grip chair_stand_5x gait_speed tug walk_400m\n"
    "  six_minute_walk sppb_total calf asm asm_method bia_resistance bia_reactance\n"
    "  bia_equation sarc_f_total setting\n"
    "exit: 0 done (rejected rows are counted, not an error), 64 usage, 65 bad data,\n"
    "  66 cannot open the file, 71 out of memory, 73 cannot create an output,\n"
    "  74 read/write error\n";

int cmd_screen(int argc, char **argv)
{
    screen_opts o;
    const char *columns_path = NULL, *preset = NULL, *threads = NULL, *pos[1];
    int strict = 0, unweighted = 0, progress_on = 0, progress_off = 0, table = 0, npos = 0, rc;
    char *map = NULL;
    size_t map_len = 0;
    /* `takes`: what an empty value is refused with (cli_parse_options);
     * --definitions and --by say it themselves, naming the list (screen.c) */
    const cli_option opts[] = {
        {"--columns", &columns_path, NULL, "a column map file (docs/screen.md)"},
        {"--preset", &preset, NULL, columns_preset_names()},
        {"--definitions", &o.definitions, NULL, NULL},
        {"--setting", &o.setting, NULL, "community or hospital"},
        {"--id", &o.id, NULL, "a column of the file"},
        {"--survey-weight", &o.weight, NULL, "a column of the file"},
        {"--strata", &o.strata, NULL, "a column of the file"},
        {"--psu", &o.psu, NULL, "a column of the file"},
        {"--by", &o.by, NULL, NULL},
        {"--age-groups", &o.age_groups, NULL, "rising whole ages, such as 60,70,80"},
        {"-o", &o.out, NULL, "a file name ending in .csv or .jsonl, or - for standard output"},
        {"--summary", &o.summary, NULL, "a file name, or - for standard output"},
        {"--rejects", &o.rejects, NULL, "a file name, or - for standard output"},
        {"--threads", &threads, NULL, "a whole number 1 to 64"},
        {"--strict", NULL, &strict, NULL},
        {"--unweighted", NULL, &unweighted, NULL},
        {"--progress", NULL, &progress_on, NULL},
        {"--no-progress", NULL, &progress_off, NULL},
        {"--table", NULL, &table, NULL},
        {NULL, NULL, NULL, NULL},
    };

    memset(&o, 0, sizeof(o));
    rc = cli_parse_options("screen", argc - 1, argv + 1, opts, pos, 1, &npos, usage_text);
    if (rc == CLI_HELP)
        return EX_OK;
    if (rc != EX_OK)
        return rc;
    if (npos != 1) {
        cli_error("screen: a FILE (or - for standard input) is required; see 'myotrack screen "
                  "--help'");
        return EX_USAGE;
    }
    o.input = pos[0];
    o.strict = strict;
    o.unweighted = unweighted;
    if (progress_on && progress_off) {
        cli_error("screen: give --progress or --no-progress, not both");
        return EX_USAGE;
    }
    o.progress = progress_on ? 1 : progress_off ? 0 : -1;
    o.table = table ? 1 : -1;
    if (threads) {
        char *e;
        long n = strtol(threads, &e, 10);
        /* digits only: not " 2" or "+2", which strtol would take */
        if (*e || e == threads || threads[strspn(threads, "0123456789")] || n < 1 || n > 64) {
            cli_error("screen: --threads: expected a whole number 1 to 64, got '%s'", threads);
            return EX_USAGE;
        }
        o.threads = (int)n;
    }
    if (columns_path && preset) {
        cli_error("screen: give --columns or --preset, not both");
        return EX_USAGE;
    }
    if (preset) {
        o.map_json = columns_preset(preset);
        o.map_name = "preset";
        if (!o.map_json) {
            cli_error("screen: --preset: unknown preset '%s'; accepted: %s", preset,
                      columns_preset_names());
            return EX_USAGE;
        }
    } else if (columns_path) {
        FILE *f = fopen(columns_path, "rb");
        if (!f) {
            cli_error("screen: cannot open '%s': %s", columns_path, strerror(errno));
            return EX_NOINPUT;
        }
        {
            struct stat st;
            if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
                fclose(f);
                cli_error("screen: cannot read '%s': a directory (--columns takes a map file)",
                          columns_path);
                return EX_NOINPUT;
            }
        }
        rc = cli_read_all(f, 1u << 20, &map, &map_len);
        fclose(f);
        if (rc != 0 || map_len > (1u << 20)) {
            free(map);
            cli_error("screen: cannot read '%s'%s", columns_path,
                      rc == 0 ? ": larger than 1 MiB" : "");
            return rc == -1 ? EX_OSERR : rc == -2 ? EX_IOERR : EX_DATAERR;
        }
        {
            char *m2 = realloc(map, map_len + 1);
            if (!m2) {
                free(map);
                return EX_OSERR;
            }
            map = m2;
            map[map_len] = '\0';
        }
        o.map_json = map;
        o.map_name = columns_path;
        o.map_path = columns_path;
    }
    rc = screen_run(&o);
    free(map);
    return rc;
}
