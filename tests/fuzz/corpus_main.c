/*
 * corpus_main.c - the fuzz corpora replayed as regression tests, without
 * libFuzzer: every file of CORPUS_ROOT/document goes through the document
 * target, every file of CORPUS_ROOT/units through the units target and every
 * file of CORPUS_ROOT/tracking through the tracking target, every file of
 * CORPUS_ROOT/csv through the cohort CSV target, every file of
 * CORPUS_ROOT/columns through the column map target, one
 * named cmocka test per file ("document/bia-kim2014.json").
 *
 *   fuzz_corpus CORPUS_ROOT          (tests/run: fuzz_corpus tests/fuzz/corpus)
 *
 * The targets abort() on a contract violation, so each file runs in a child
 * process: a violation, a crash or a sanitizer report fails that one test
 * and the others still run. The input is handed over in a buffer of exactly
 * its size, as libFuzzer does, so a sanitizer build catches reads past it.
 * To debug a failing file: build-fuzz/fuzz_document FILE (after make fuzz).
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_document_one
#include "fuzz/fuzz_document.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_units_one
#include "fuzz/fuzz_units.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_tracking_one
#include "fuzz/fuzz_tracking.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_columns_one
#include "fuzz/fuzz_columns.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_target)(const uint8_t *data, size_t size);

typedef struct corpus {
    const char *dir; /* under CORPUS_ROOT, also the test-name prefix */
    fuzz_target target;
} corpus;

static const corpus corpora[] = {
    {"document", fuzz_document_one},
    {"units", fuzz_units_one},
    {"tracking", fuzz_tracking_one},
    {"csv", fuzz_csv_one},
    {"columns", fuzz_columns_one},
};

typedef struct seed {
    char name[300]; /* "document/<file>" */
    char path[4096];
    fuzz_target target;
} seed;

/* The whole file in a buffer of exactly its size (1 byte for an empty file). */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc(n ? (size_t)n : 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static void replay(void **state)
{
    const seed *s = *state;
    size_t len = 0;
    uint8_t *data = slurp(s->path, &len);
    pid_t pid;
    int status = 0;

    if (!data)
        fail_msg("%s: cannot read", s->path);
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        free(data);
        fail_msg("%s: fork failed", s->path);
    }
    if (pid == 0) {
        /* cmocka's handlers would resume the test runner in this child */
        static const int sigs[] = {SIGSEGV, SIGFPE, SIGILL, SIGBUS, SIGSYS, SIGABRT};
        size_t i;
        for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
            signal(sigs[i], SIG_DFL);
        s->target(data, len);
        free(data);
        exit(0); /* not _exit: a sanitizer build checks for leaks here */
    }
    free(data);
    if (waitpid(pid, &status, 0) != pid)
        fail_msg("%s: waitpid failed", s->path);
    if (WIFSIGNALED(status))
        fail_msg("%s: killed by signal %d (a contract violation aborts); replay it with the "
                 "fuzzer binary for a trace",
                 s->path, WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("%s: exited with status %d (see the sanitizer report above)", s->path,
                 WEXITSTATUS(status));
}

static void corpus_is_missing(void **state)
{
    const seed *s = *state;
    fail_msg("corpus directory %s is missing or empty", s->path);
}

static int visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Append one test; a NULL target stands for a corpus directory not found. */
static int add(seed **seeds, size_t *n, size_t *cap, const char *name, const char *path,
               fuzz_target target)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        seed *p = realloc(*seeds, ncap * sizeof(**seeds));
        if (!p)
            return -1;
        *seeds = p;
        *cap = ncap;
    }
    snprintf((*seeds)[*n].name, sizeof((*seeds)[*n].name), "%s", name);
    snprintf((*seeds)[*n].path, sizeof((*seeds)[*n].path), "%s", path);
    (*seeds)[*n].target = target;
    (*n)++;
    return 0;
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = NULL;
    seed *seeds = NULL;
    size_t n = 0, cap = 0, c, i;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_ROOT\n", argv[0]);
        return 64;
    }
    for (c = 0; c < sizeof(corpora) / sizeof(corpora[0]); c++) {
        struct dirent **list = NULL;
        char dir[2048], name[300], path[4096];
        int k, m;

        snprintf(dir, sizeof(dir), "%s/%s", argv[1], corpora[c].dir);
        m = scandir(dir, &list, visible, alphasort);
        for (k = 0; k < m; k++) {
            snprintf(name, sizeof(name), "%s/%s", corpora[c].dir, list[k]->d_name);
            snprintf(path, sizeof(path), "%s/%s", dir, list[k]->d_name);
            if (add(&seeds, &n, &cap, name, path, corpora[c].target))
                return 70;
            free(list[k]);
        }
        free(list);
        if (m <= 0) { /* a corpus that vanished must not pass silently */
            snprintf(name, sizeof(name), "%s/(missing)", corpora[c].dir);
            if (add(&seeds, &n, &cap, name, dir, NULL))
                return 70;
        }
    }

    tests = calloc(n, sizeof(*tests));
    if (!tests)
        return 70;
    for (i = 0; i < n; i++) {
        tests[i].name = seeds[i].name;
        tests[i].test_func = seeds[i].target ? replay : corpus_is_missing;
        tests[i].initial_state = &seeds[i];
    }
    rc = _cmocka_run_group_tests("fuzz_corpus", tests, n, NULL, NULL);
    free(tests);
    free(seeds);
    return rc;
}
