/*
 * case_runner.c - runs every JSON case file in tests/cases/ against the real
 * `myotrack` binary, one cmocka test per file.
 *
 * A case file holds:
 *   "name"            what it shows
 *   "input"           the assessment document (any JSON value), or
 *   "input_raw"       the document as a literal string (for malformed JSON), or
 *   "input_hex"       the document as hex bytes (for invalid UTF-8), or
 *   "input_repeat"    {"prefix", "text", "count", "suffix"}: prefix + text x count + suffix
 *   "command"         the subcommand run on the document (default "assess")
 *   "args"            extra arguments after `COMMAND FILE` (default for assess:
 *                     ["--format", "json"]; for other commands none)
 *   "stdin"           true: pipe the document on standard input instead of a file
 *   "expect"          {dotted.path: value}: numbers compare to 0.01, others exactly;
 *                     a path may index lists: "definitions.ewgsop2.missing.0"
 *   "stdout_contains" [strings] the output must contain (text reports)
 *   "expect_error"    {"exit": N, "stderr_contains": "word"}: the run must fail with
 *                     that code, one line on stderr containing the word, nothing on stdout
 *
 * Usage: case_runner MYOTRACK_BINARY CASE_DIR
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

extern char **environ;

static const char *binary;
static char tmpdir[256];

typedef struct output {
    char *out, *err;
    size_t out_len, err_len;
    int status;
} output;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The document bytes a case describes; caller frees. */
static char *document_of(json_t *c, size_t *len)
{
    json_t *v;

    if ((v = json_object_get(c, "input")) != NULL) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s)
            *len = strlen(s);
        return s;
    }
    if ((v = json_object_get(c, "input_raw")) != NULL) {
        *len = json_string_length(v);
        char *s = malloc(*len + 1);
        if (s) {
            memcpy(s, json_string_value(v), *len);
            s[*len] = '\0';
        }
        return s;
    }
    if ((v = json_object_get(c, "input_hex")) != NULL) {
        const char *h = json_string_value(v);
        size_t n = strlen(h) / 2, i;
        char *s = malloc(n + 1);
        if (!s)
            return NULL;
        for (i = 0; i < n; i++)
            s[i] = (char)(hexval(h[2 * i]) * 16 + hexval(h[2 * i + 1]));
        s[n] = '\0';
        *len = n;
        return s;
    }
    if ((v = json_object_get(c, "input_repeat")) != NULL) {
        const char *pre = json_string_value(json_object_get(v, "prefix"));
        const char *txt = json_string_value(json_object_get(v, "text"));
        const char *suf = json_string_value(json_object_get(v, "suffix"));
        size_t count = (size_t)json_integer_value(json_object_get(v, "count"));
        size_t lp = pre ? strlen(pre) : 0, lt = txt ? strlen(txt) : 0, ls = suf ? strlen(suf) : 0;
        size_t o = 0, i;
        char *s = malloc(lp + lt * count + ls + 1);
        if (!s)
            return NULL;
        memcpy(s + o, pre ? pre : "", lp);
        o += lp;
        for (i = 0; i < count; i++, o += lt)
            memcpy(s + o, txt, lt);
        memcpy(s + o, suf ? suf : "", ls);
        o += ls;
        s[o] = '\0';
        *len = o;
        return s;
    }
    return NULL;
}

/* Run the binary with argv, stdin from `in_path` (or /dev/null). */
static int run(char *const argv[], const char *in_path, output *o)
{
    char out_path[300], err_path[300];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int rc, st;

    snprintf(out_path, sizeof(out_path), "%s/stdout", tmpdir);
    snprintf(err_path, sizeof(err_path), "%s/stderr", tmpdir);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    o->out = slurp(out_path, &o->out_len);
    o->err = slurp(err_path, &o->err_len);
    return (o->out && o->err) ? 0 : -1;
}

/* Follow a dotted path ("a.b.0.c") through a JSON value. */
static json_t *at_path(json_t *root, const char *path)
{
    char buf[256], *save = NULL, *tok;
    json_t *cur = root;

    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save)) {
        if (json_is_array(cur)) {
            char *end;
            long i = strtol(tok, &end, 10);
            cur = (*end == '\0' && i >= 0) ? json_array_get(cur, (size_t)i) : NULL;
        } else {
            cur = json_object_get(cur, tok);
        }
    }
    return cur;
}

static void check_expect(json_t *result, json_t *expect, const char *stdout_text)
{
    const char *path;
    json_t *want;
    int failures = 0;

    json_object_foreach(expect, path, want)
    {
        json_t *got = at_path(result, path);
        int ok;
        if (!got) {
            print_error("  %s: missing from the output\n", path);
            failures++;
            continue;
        }
        if (json_is_number(want) && json_is_number(got))
            ok = fabs(json_number_value(want) - json_number_value(got)) <= 0.01 + 1e-9;
        else
            ok = json_equal(want, got);
        if (!ok) {
            char *w = json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT);
            char *g = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
            print_error("  %s: expected %s, got %s\n", path, w, g);
            free(w);
            free(g);
            failures++;
        }
    }
    if (failures)
        fail_msg("%d expectation(s) not met; output starts: %.200s", failures, stdout_text);
}

static void run_case(void **state)
{
    const char *case_path = *state;
    json_error_t je;
    json_t *c = json_load_file(case_path, JSON_REJECT_DUPLICATES, &je);
    json_t *expect, *experr, *args, *contains;
    const char *command;
    char doc_path[300], *doc = NULL;
    char *argv[16];
    size_t doc_len = 0, i;
    int argc = 0, use_stdin;
    output o = {0};

    if (!c)
        fail_msg("%s: case file is not valid JSON: %s (line %d)", case_path, je.text, je.line);
    expect = json_object_get(c, "expect");
    experr = json_object_get(c, "expect_error");
    contains = json_object_get(c, "stdout_contains");
    if (!expect && !experr && !contains)
        fail_msg("%s: a case must expect something", case_path);
    doc = document_of(c, &doc_len);
    if (!doc)
        fail_msg("%s: no input, input_raw, input_hex or input_repeat", case_path);
    snprintf(doc_path, sizeof(doc_path), "%s/doc.json", tmpdir);
    assert_int_equal(write_file(doc_path, doc, doc_len), 0);
    free(doc);

    use_stdin = json_is_true(json_object_get(c, "stdin"));
    command = json_string_value(json_object_get(c, "command"));
    if (!command)
        command = "assess";
    argv[argc++] = (char *)binary;
    argv[argc++] = (char *)command;
    argv[argc++] = use_stdin ? "-" : doc_path;
    args = json_object_get(c, "args");
    if (args) {
        for (i = 0; i < json_array_size(args) && argc < 15; i++)
            argv[argc++] = (char *)json_string_value(json_array_get(args, i));
    } else if (strcmp(command, "assess") == 0) {
        argv[argc++] = "--format";
        argv[argc++] = "json";
    }
    argv[argc] = NULL;
    if (run(argv, use_stdin ? doc_path : NULL, &o) != 0)
        fail_msg("%s: could not run %s", case_path, binary);

    if (strstr(o.err, "Sanitizer") || strstr(o.err, "runtime error"))
        fail_msg("sanitizer report:\n%s", o.err);
    if (experr) {
        long want = (long)json_integer_value(json_object_get(experr, "exit"));
        const char *word = json_string_value(json_object_get(experr, "stderr_contains"));
        const char *nl = strchr(o.err, '\n');
        if (o.status != want)
            fail_msg("exit %d, expected %ld; stderr: %s", o.status, want, o.err);
        if (word && !strstr(o.err, word))
            fail_msg("stderr does not contain \"%s\": %s", word, o.err);
        if (!nl || nl[1] != '\0')
            fail_msg("stderr must be exactly one line: %s", o.err);
        if (o.out_len != 0)
            fail_msg("stdout must be empty on error, got %zu bytes", o.out_len);
    } else {
        if (o.status != 0)
            fail_msg("exit %d, expected 0; stderr: %s", o.status, o.err);
        if (o.err_len != 0)
            fail_msg("stderr must be empty on success: %s", o.err);
        if (expect) {
            json_t *result = json_loads(o.out, 0, &je);
            if (!result)
                fail_msg("output is not JSON: %s", je.text);
            check_expect(result, expect, o.out);
            json_decref(result);
        }
        for (i = 0; contains && i < json_array_size(contains); i++) {
            const char *s = json_string_value(json_array_get(contains, i));
            if (!strstr(o.out, s))
                fail_msg("output does not contain \"%s\"", s);
        }
    }
    free(o.out);
    free(o.err);
    json_decref(c);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct CMUnitTest *)a)->name, ((const struct CMUnitTest *)b)->name);
}

int main(int argc, char **argv)
{
    struct CMUnitTest *tests = NULL;
    size_t n = 0, cap = 0, i;
    DIR *d;
    struct dirent *e;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: case_runner MYOTRACK_BINARY CASE_DIR\n");
        return 2;
    }
    binary = argv[1];
    snprintf(tmpdir, sizeof(tmpdir), "%s/mt-cases-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    d = opendir(argv[2]);
    if (!d) {
        perror(argv[2]);
        return 2;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char *path;
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            tests = realloc(tests, cap * sizeof(*tests));
            if (!tests)
                return 2;
        }
        path = malloc(strlen(argv[2]) + len + 2);
        if (!path)
            return 2;
        snprintf(path, strlen(argv[2]) + len + 2, "%s/%s", argv[2], e->d_name);
        memset(&tests[n], 0, sizeof(tests[n]));
        tests[n].name = strdup(e->d_name);
        tests[n].test_func = run_case;
        tests[n].initial_state = path;
        n++;
    }
    closedir(d);
    qsort(tests, n, sizeof(*tests), by_name);
    rc = _cmocka_run_group_tests("cases", tests, n, NULL, NULL);
    for (i = 0; i < n; i++) {
        free((void *)tests[i].name);
        free(tests[i].initial_state);
    }
    free(tests);
    {
        char p[300];
        snprintf(p, sizeof(p), "%s/doc.json", tmpdir);
        unlink(p);
        snprintf(p, sizeof(p), "%s/stdout", tmpdir);
        unlink(p);
        snprintf(p, sizeof(p), "%s/stderr", tmpdir);
        unlink(p);
        rmdir(tmpdir);
    }
    return rc;
}
