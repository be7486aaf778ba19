/*
 * bench_engine.c - single-core throughput of the engine, through the public
 * API only. Prints figures; asserts nothing (bench/run adds the CLI's peak
 * memory, bench/README.md says how to read them).
 *
 *   bench_engine [SECONDS]    time each figure for at least SECONDS (default 2)
 *   bench_engine --document   print the benchmark document and exit
 *
 * The document carries every measurement the engine reads (grip trials,
 * chair stand, gait speed, TUG, 400 m, 6-minute walk, SPPB raw times, calf,
 * BIA, SARC-F items), so every rule row and every renderer branch runs.
 *
 *   engine               mt_assess + mt_result_free on an input parsed once
 *   parse+assess+json    mt_input_parse_json + mt_assess + mt_result_render_json + frees
 *   parse+assess+text    the same with mt_result_render_text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "myotrack.h"

static const char document[] =
    "{\n"
    "  \"person\": {\"sex\": \"female\", \"age\": 78, \"height\": 158, \"weight\": 61},\n"
    "  \"setting\": \"hospital\",\n"
    "  \"sarc_f\": {\"strength\": 1, \"walking\": 1, \"chair\": 1, \"stairs\": 2, \"falls\": 1},\n"
    "  \"measurements\": {\n"
    "    \"grip_trials\": [14.5, 15.0, \"33 lb\", 13.8, 14.9, 15.2],\n"
    "    \"chair_stand_5x\": 16.4,\n"
    "    \"gait_speed\": 0.72,\n"
    "    \"tug\": 14.2,\n"
    "    \"walk_400m\": \"6 min 50 s\",\n"
    "    \"six_minute_walk\": 320,\n"
    "    \"sppb\": {\"side_by_side\": 10, \"semi_tandem\": 10, \"tandem\": 4.2,\n"
    "             \"walk_4m\": 6.1, \"chair_5x\": 16.4},\n"
    "    \"calf\": \"12.4 in\",\n"
    "    \"bia\": {\"resistance\": 560, \"reactance\": 52, \"equation\": \"sergi2015\"}\n"
    "  }\n"
    "}\n";

/* Work results fold into this so the compiler cannot drop the loops. */
static volatile size_t sink;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const mt_error *err)
{
    fprintf(stderr, "bench_engine: %s failed%s%s\n", what, err ? ": " : "",
            err ? err->message : "");
    exit(70);
}

/* ---- the three loops; each returns after `n` iterations ------------------- */

static void run_engine(const mt_input *in, long n)
{
    long i;

    for (i = 0; i < n; i++) {
        mt_result *res = NULL;
        if (mt_assess(&res, in, NULL) != MT_OK)
            die("mt_assess", NULL);
        sink += (size_t)mt_result_category(res, "ewgsop2")[0];
        mt_result_free(res);
    }
}

static void run_pipeline(const mt_input *unused, long n, int json)
{
    size_t len = strlen(document);
    long i;

    (void)unused;
    for (i = 0; i < n; i++) {
        mt_input *in = NULL;
        mt_result *res = NULL;
        mt_error err;
        char *out = NULL;
        size_t out_len = 0;
        int rc;

        if (mt_input_parse_json(&in, document, len, &err) != MT_OK)
            die("mt_input_parse_json", &err);
        if (mt_assess(&res, in, &err) != MT_OK)
            die("mt_assess", &err);
        rc = json ? mt_result_render_json(res, &out, &out_len)
                  : mt_result_render_text(res, 0, &out, &out_len);
        if (rc != MT_OK)
            die("render", NULL);
        sink += out_len;
        mt_free(out);
        mt_result_free(res);
        mt_input_free(in);
    }
}

static void run_json(const mt_input *in, long n)
{
    run_pipeline(in, n, 1);
}

static void run_text(const mt_input *in, long n)
{
    run_pipeline(in, n, 0);
}

/* ---- timing ----------------------------------------------------------------- */

typedef struct bench {
    const char *name;
    void (*run)(const mt_input *in, long n);
    long target; /* per second; 0: none */
} bench;

static const bench benches[] = {
    {"engine", run_engine, 500000},
    {"parse+assess+json", run_json, 50000},
    {"parse+assess+text", run_text, 0},
};

/* Warm up, then run batches until `seconds` have passed; print one line. */
static void measure(const bench *b, const mt_input *in, double seconds)
{
    long batch = 64, total = 0;
    double start, elapsed;

    b->run(in, batch); /* warm the caches and the allocator */
    start = now();
    do {
        b->run(in, batch);
        total += batch;
        elapsed = now() - start;
        if (elapsed < seconds / 20 && batch < (1L << 24))
            batch *= 2; /* keep the clock reads rare */
    } while (elapsed < seconds);

    printf("%s: %.0f per second (%.0f ns each)", b->name, (double)total / elapsed,
           elapsed * 1e9 / (double)total);
    if (b->target)
        printf("   [target >= %ld per second]", b->target);
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    mt_input *in = NULL;
    mt_error err;
    size_t i;

    if (argc > 1 && strcmp(argv[1], "--document") == 0) {
        fputs(document, stdout);
        return 0;
    }
    if (argc > 1) {
        char *end = NULL;
        seconds = strtod(argv[1], &end);
        if (!end || *end || !(seconds > 0)) {
            fprintf(stderr, "usage: bench_engine [SECONDS] | --document\n");
            return 64;
        }
    }
    if (mt_input_parse_json(&in, document, strlen(document), &err) != MT_OK)
        die("mt_input_parse_json", &err);

    printf("myotrack %s, %zu-byte document, >= %.1f s per figure, one thread\n", mt_version(),
           strlen(document), seconds);
    for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
        measure(&benches[i], in, seconds);
    mt_input_free(in);
    return sink == 0; /* never true; reads the sink */
}
