/*
 * test_questionnaire.c - the interactive questionnaire (`myotrack assess`
 * with no FILE on a terminal, or --interactive) driven end to end: the real
 * binary runs on a pseudo-terminal (forkpty), the test waits for each
 * question and types the answer, as a person would.
 *
 * Every child gets 10 seconds in all; past that it is killed and the test
 * fails, so nothing can hang. Questions go to the terminal (stderr); where a
 * test reads the report it captures stdout through a pipe of its own, which
 * also proves the report never mixes with the questions.
 *
 * Run from the repository root (tests/run does); the binary is
 * $BUILD/myotrack, build/myotrack by default.
 */
#define _DEFAULT_SOURCE /* forkpty */
#include "testutil.h"
#include "testjson.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_SECONDS  10
#define EXIT_NOINPUT   66 /* EX_NOINPUT: the answers ended early */
#define EXIT_CANTCREAT 73 /* EX_CANTCREAT: --save cannot write */

static char bin[256];
static char tmpdir[] = "/tmp/mt-questionnaire-XXXXXX";

/* ---- a growable byte buffer ---------------------------------------------- */

typedef struct bytes {
    char *p;
    size_t len, cap;
} bytes;

static void bytes_add(bytes *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static const char *bytes_str(bytes *b)
{
    if (!b->p)
        bytes_add(b, "", 0);
    return b->p;
}

/* ---- one child on a pseudo-terminal -------------------------------------- */

typedef struct child {
    pid_t pid;
    int pty;       /* master side: the questions and the echo of the answers */
    int out;       /* stdout through a pipe, or -1 when it is the terminal too */
    bytes term;    /* everything the terminal showed */
    bytes stdout_; /* what stdout got (when piped) */
    size_t mark;   /* expect() searches from here */
    time_t deadline;
    int status; /* exit code, 128+signal, or -1 while running */
} child;

static int ms_left(const child *c)
{
    time_t now = time(NULL);
    return now >= c->deadline ? 0 : (int)(c->deadline - now) * 1000;
}

/* Start `argv` (bin is argv[0]) on a new pseudo-terminal. */
static void spawn(child *c, const char *const *argv, int pipe_stdout)
{
    int p[2] = {-1, -1};
    struct winsize ws = {.ws_row = 50, .ws_col = 120};

    memset(c, 0, sizeof(*c));
    c->out = -1;
    c->status = -1;
    if (pipe_stdout)
        assert_int_equal(pipe(p), 0);
    c->pid = forkpty(&c->pty, NULL, NULL, &ws);
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        if (pipe_stdout) {
            dup2(p[1], STDOUT_FILENO);
            close(p[0]);
            close(p[1]);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (pipe_stdout) {
        close(p[1]);
        c->out = p[0];
    }
    c->deadline = time(NULL) + CHILD_SECONDS;
}

/* Read what is there (waiting at most `ms`). 0 once both sides are closed. */
static int pump(child *c, int ms)
{
    struct pollfd fds[2];
    int n = 0, i;
    char buf[4096];

    if (c->pty >= 0)
        fds[n++] = (struct pollfd){.fd = c->pty, .events = POLLIN};
    if (c->out >= 0)
        fds[n++] = (struct pollfd){.fd = c->out, .events = POLLIN};
    if (n == 0)
        return 0;
    if (poll(fds, (nfds_t)n, ms) <= 0)
        return 1;
    for (i = 0; i < n; i++) {
        ssize_t got;
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        got = read(fds[i].fd, buf, sizeof(buf));
        if (got > 0) {
            bytes_add(fds[i].fd == c->pty ? &c->term : &c->stdout_, buf, (size_t)got);
        } else if (got == 0 || errno != EINTR) {
            /* EOF, or EIO on the master once the child has closed the terminal. */
            close(fds[i].fd);
            if (fds[i].fd == c->pty)
                c->pty = -1;
            else
                c->out = -1;
        }
    }
    return 1;
}

static void kill_child(child *c)
{
    int st;
    if (c->status >= 0 || c->pid <= 0)
        return;
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &st, 0);
    c->status = 128 + SIGKILL;
}

static void fail_child(child *c, const char *what)
{
    kill_child(c);
    fail_msg("%s\n--- terminal so far ---\n%s\n--- end ---", what, bytes_str(&c->term));
}

/* Wait until the terminal shows `needle` after the mark; move the mark past it. */
static void expect(child *c, const char *needle)
{
    for (;;) {
        const char *hit = strstr(bytes_str(&c->term) + c->mark, needle);
        if (hit) {
            c->mark = (size_t)(hit - c->term.p) + strlen(needle);
            return;
        }
        if (ms_left(c) == 0 || (c->pty < 0 && c->out < 0)) {
            char msg[300];
            snprintf(msg, sizeof(msg), "never saw \"%s\"", needle);
            fail_child(c, msg);
            return;
        }
        pump(c, ms_left(c) < 200 ? ms_left(c) : 200);
    }
}

/* Wait for the next prompt; 0 when the child ended instead. */
static int next_prompt(child *c)
{
    for (;;) {
        const char *hit = strstr(bytes_str(&c->term) + c->mark, "\n> ");
        if (hit) {
            c->mark = (size_t)(hit - c->term.p) + 3;
            return 1;
        }
        if (c->pty < 0)
            return 0;
        if (ms_left(c) == 0) {
            fail_child(c, "no prompt and no exit in time");
            return 0;
        }
        pump(c, 200);
    }
}

/* Type one line. */
static void type(child *c, const char *line)
{
    size_t n = strlen(line);
    assert_int_equal(write(c->pty, line, n), (ssize_t)n);
    assert_int_equal(write(c->pty, "\n", 1), 1);
}

/* Wait for the question containing `question`, then answer it. */
static void answer(child *c, const char *question, const char *line)
{
    expect(c, question);
    expect(c, "\n> ");
    type(c, line);
}

/* Read to the end and reap the child; returns its exit code. */
static int finish(child *c)
{
    int st;
    while (c->pty >= 0 || c->out >= 0) {
        if (ms_left(c) == 0) {
            fail_child(c, "the child did not finish in time");
            return -1;
        }
        pump(c, 200);
    }
    for (;;) {
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid)
            break;
        if (ms_left(c) == 0) {
            fail_child(c, "the child did not exit in time");
            return -1;
        }
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return c->status;
}

static void child_free(child *c)
{
    kill_child(c);
    if (c->pty >= 0)
        close(c->pty);
    if (c->out >= 0)
        close(c->out);
    free(c->term.p);
    free(c->stdout_.p);
}

/* Answer every remaining prompt with Enter until the child exits. */
static void skip_rest(child *c)
{
    while (next_prompt(c))
        type(c, "");
}

/* ---- a child on pipes (no terminal at all) ------------------------------- */

/* Run argv with `input` on stdin; collect stdout and stderr. Exit code. */
static int run_piped(const char *const *argv, const char *input, bytes *out, bytes *err)
{
    int in_p[2], out_p[2], err_p[2], st;
    size_t off = 0, n = input ? strlen(input) : 0;
    pid_t pid;
    time_t deadline = time(NULL) + CHILD_SECONDS;

    assert_int_equal(pipe(in_p), 0);
    assert_int_equal(pipe(out_p), 0);
    assert_int_equal(pipe(err_p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_p[0], STDIN_FILENO);
        dup2(out_p[1], STDOUT_FILENO);
        dup2(err_p[1], STDERR_FILENO);
        close(in_p[0]), close(in_p[1]), close(out_p[0]), close(out_p[1]);
        close(err_p[0]), close(err_p[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in_p[0]), close(out_p[1]), close(err_p[1]);
    fcntl(in_p[1], F_SETFL, O_NONBLOCK);
    if (n == 0) {
        close(in_p[1]);
        in_p[1] = -1;
    }
    while (in_p[1] >= 0 || out_p[0] >= 0 || err_p[0] >= 0) {
        struct pollfd fds[3] = {{.fd = in_p[1], .events = POLLOUT},
                                {.fd = out_p[0], .events = POLLIN},
                                {.fd = err_p[0], .events = POLLIN}};
        int i;
        if (time(NULL) >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("%s did not finish in %d s", argv[0], CHILD_SECONDS);
        }
        if (poll(fds, 3, 200) <= 0)
            continue;
        if (in_p[1] >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(in_p[1], input + off, n - off);
            if (w > 0)
                off += (size_t)w;
            if (w < 0 && errno != EAGAIN && errno != EINTR)
                off = n; /* the child stopped reading: fine */
            if (off == n) {
                close(in_p[1]);
                in_p[1] = -1;
            }
        }
        for (i = 1; i < 3; i++) {
            char buf[4096];
            ssize_t got;
            int *fd = i == 1 ? &out_p[0] : &err_p[0];
            if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(*fd, buf, sizeof(buf));
            if (got > 0)
                bytes_add(i == 1 ? out : err, buf, (size_t)got);
            else if (got == 0 || errno != EINTR) {
                close(*fd);
                *fd = -1;
            }
        }
    }
    waitpid(pid, &st, 0);
    bytes_str(out);
    bytes_str(err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- helpers -------------------------------------------------------------- */

static const char *save_path(const char *name)
{
    static char path[4][300];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
    unlink(p);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static const char *const red_flags[] = {
    "face drooping",          "trouble speaking",  "trouble seeing",     "lose your balance",
    "suddenly become weak",   "trouble breathing", "trouble swallowing", "spreading upward",
    "numb between your legs", "control your pee",  "dark, like tea"};
#define N_FLAGS (sizeof(red_flags) / sizeof(red_flags[0]))

static void answer_no_red_flags(child *c)
{
    size_t i;
    for (i = 0; i < N_FLAGS; i++)
        answer(c, red_flags[i], "n");
}

/* ---- the cases ------------------------------------------------------------ */

static int setup_all(void **state)
{
    const char *b = getenv("BUILD");
    (void)state;
    snprintf(bin, sizeof(bin), "%s/myotrack", b && *b ? b : "build");
    signal(SIGPIPE, SIG_IGN);
    return access(bin, X_OK) == 0 && mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_all(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* (1) `myotrack assess` on a terminal starts the questions by itself; face
 * droop is an emergency: the advice, then nothing else, exit 0, no file. */
static void emergency_red_flag_stops_at_once_and_saves_nothing(void **state)
{
    const char *save = save_path("emergency.json");
    const char *argv[] = {bin, "assess", "--save", save, "--color", "never", NULL};
    child c;
    (void)state;

    spawn(&c, argv, 0);
    answer(&c, "face drooping", "y");
    assert_int_equal(finish(&c), 0);
    assert_non_null(strstr(c.term.p, "EMERGENCY: "));
    assert_non_null(strstr(c.term.p, "emergency number"));
    assert_non_null(strstr(c.term.p, "Your answers were not saved."));
    assert_null(strstr(c.term.p, "words come out slurred")); /* not one more question */
    assert_null(strstr(c.term.p, "How hard is it"));         /* no SARC-F */
    assert_false(exists(save));
    child_free(&c);
}

/* (2) Dark urine (possible muscle breakdown) is urgent: the same early stop. */
static void urgent_red_flag_dark_urine_stops_at_once(void **state)
{
    const char *save = save_path("urgent.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, "--color", "never", NULL};
    child c;
    size_t i;
    (void)state;

    spawn(&c, argv, 0);
    for (i = 0; i + 1 < N_FLAGS; i++)
        answer(&c, red_flags[i], "n");
    answer(&c, "dark, like tea", "y");
    assert_int_equal(finish(&c), 0);
    assert_non_null(strstr(c.term.p, "URGENT: "));
    assert_null(strstr(c.term.p, "female or male"));
    assert_null(strstr(c.term.p, "How hard is it"));
    assert_false(exists(save));
    child_free(&c);
}

/* Each warning sign alone stops the questions, before "female or male";
 * answers piped for speed. The sudden vision question also tells the engine
 * the trouble was sudden (its stroke pattern needs that). */
static void every_warning_sign_alone_stops_the_questions(void **state)
{
    const char *argv[] = {bin, "assess", "--interactive", NULL};
    size_t k, i;
    (void)state;

    for (k = 0; k < N_FLAGS; k++) {
        bytes out = {0}, err = {0}, input = {0};
        for (i = 0; i < N_FLAGS; i++)
            bytes_add(&input, i == k ? "y\n" : "n\n", 2);
        bytes_add(&input, "f\n70\n", 6);
        assert_int_equal(run_piped(argv, input.p, &out, &err), 0);
        if (!strstr(err.p, "EMERGENCY: ") && !strstr(err.p, "URGENT: "))
            fail_msg("\"%s\": no early stop\n%s", red_flags[k], err.p);
        if (strstr(err.p, "female or male"))
            fail_msg("\"%s\": asked on after the stop", red_flags[k]);
        /* Standard output is not the terminal: the advice is there too. */
        assert_non_null(strstr(out.p, "Why: "));
        free(out.p), free(err.p), free(input.p);
    }
}

/* The answers of a full run: (part of the question, what is typed). */
static const char *const full_run[][2] = {
    {"female or male", "m"},
    {"How old", "76"},
    {"How tall", "5 ft 7 in"},
    {"How much do you weigh", "150 lb"},
    {"lift and carry", "1"},
    {"walk across a room", "1"},
    {"get up from a chair or out of bed", "1"},
    {"climb 10 stairs", "2"},
    {"fall in the past year?", "1"},
    {"Grip strength", "28 kg"},
    {"Chair test", "12.5 s"},
    {"Walking speed", ""},
    {"Timed walk", "4 m"},
    {"How long did that walk take", "5 s"},
    {"Timed Up and Go", "11 s"},
    {"Calf size", "34 cm"},
    {"Six-minute walk", "400 m"},
    {"SPPB", "10"},
    {"When did the weakness", "4"},
    {"getting worse", "n"},
    {"one side of your body or on both", "both"},
    {"numbness or tingling", "n"},
    {"twitches", "n"},
    {"cramps", "y"},
    {"ache or hurt", "n"},
    {"better after a rest", "n"},
    {"eyelids droop", "n"},
    {"see double", "n"},
    {"lift your arms", "y"},
    {"infection", "n"},
    {"fever", "n"},
    {"very tired", "y"},
    {"cast, brace or splint", "6"},
    {"Which part", "left leg \"below the knee\""},
    {"mostly in bed", "10"},
    {"long-term illnesses", "2, diabetes"},
    {"medicines", "statin"},
    {"6 months ago", "155 lb"},
    {"12 months ago", "160 lb"},
    {"less hungry", "y"},
    {"usual amount of food", "75%"},
    {"when you were a child", "n"},
    {"family", "n"},
    {"The exact number", "2"},
    {"times a week", "1"},
    {"blood test results", "y"},
    {"CK (creatine kinase)", "300"},
    {"upper limit of normal", "200"},
    {"eGFR", "65"},
    {"dialysis", "n"},
    {"CRP", "4"},
    {"Hemoglobin", "13.5"},
    {"Albumin", "3.9"},
    {"Vitamin D", "30"},
    {"use for exercise", "2, bands"},
    {"Where would you like", "home"},
};

/* (3) Everything answered, units as typed: the report on stdout (with the
 * EWGSOP2 verdict), the questions only on the terminal; the saved document
 * parses, keeps what was typed, and `assess FILE` accepts it and gives the
 * same report, byte for byte. */
static void full_run_reports_and_saves_a_document_that_round_trips(void **state)
{
    const char *save = save_path("full.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, NULL};
    const char *json_argv[] = {bin, "assess", "--format", "json", save, NULL};
    const char *text_argv[] = {bin, "assess", "--format", "text", "--color", "never", save, NULL};
    bytes out = {0}, err = {0}, out2 = {0}, err2 = {0};
    json_error_t jerr;
    json_t *doc;
    child c;
    size_t i;
    (void)state;

    spawn(&c, argv, 1);
    answer_no_red_flags(&c);
    for (i = 0; i < sizeof(full_run) / sizeof(full_run[0]); i++)
        answer(&c, full_run[i][0], full_run[i][1]);
    assert_int_equal(finish(&c), 0);
    assert_null(strstr(c.term.p, "Sorry")); /* every answer was accepted at once */
    assert_non_null(strstr(bytes_str(&c.stdout_), "\n  EWGSOP2 "));
    assert_null(strstr(c.term.p, "VERDICTS"));   /* the report is not on stderr */
    assert_null(strstr(c.stdout_.p, "How old")); /* and no question on stdout */
    assert_non_null(strstr(c.term.p, "Your answers were saved to"));

    doc = json_load_file(save, 0, &jerr);
    if (!doc)
        fail_msg("%s: %s (line %d)", save, jerr.text, jerr.line);
    assert_string_equal(json_at(doc, "person.sex").str, "male");
    assert_int_equal((int)json_at(doc, "person.age").num, 76);
    assert_string_equal(json_at(doc, "person.height").str, "5 ft 7 in");
    assert_string_equal(json_at(doc, "person.weight").str, "150 lb");
    assert_string_equal(json_at(doc, "measurements.grip").str, "28 kg");
    assert_string_equal(json_at(doc, "measurements.chair_stand_5x").str, "12.5 s");
    assert_string_equal(json_at(doc, "measurements.walk.distance").str, "4 m");
    assert_int_equal(json_at(doc, "measurements.sppb.total").num, 10);
    assert_int_equal(json_at(doc, "symptoms.face_droop").type, JV_BOOL);
    assert_int_equal(json_at(doc, "symptoms.face_droop").num, 0);
    assert_string_equal(json_at(doc, "symptoms.onset").str, "months");
    assert_string_equal(json_at(doc, "history.immobilized_part").str,
                        "left leg \"below the knee\"");
    assert_int_equal(json_at(doc, "history.intake_percent_of_usual").num, 75);
    assert_int_equal(json_at(doc, "history.labs.ck_uln").num, 200);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(doc, "history"), "conditions")), 2);
    assert_string_equal(json_at(doc, "preferences.location").str, "home");
    json_decref(doc);

    assert_int_equal(run_piped(json_argv, NULL, &out, &err), 0);
    assert_int_equal(run_piped(text_argv, NULL, &out2, &err2), 0);
    assert_string_equal(out2.p, c.stdout_.p);

    free(out.p), free(err.p), free(out2.p), free(err2.p);
    child_free(&c);
}

/* (4) "30 stone" is not a weight unit: the engine's reason is shown and the
 * question asked again; "150 lb" then goes through. */
static void bad_unit_is_asked_again_with_the_reason(void **state)
{
    const char *save = save_path("unit.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, "--color", "never", NULL};
    json_t *doc;
    child c;
    (void)state;

    spawn(&c, argv, 1);
    answer_no_red_flags(&c);
    answer(&c, "female or male", "f");
    answer(&c, "How old", "81");
    answer(&c, "How tall", "");
    answer(&c, "How much do you weigh", "30 stone");
    expect(&c, "unknown unit 'stone'");
    expect(&c, "accepted: kg, g, lb");
    expect(&c, "Please try again.");
    expect(&c, "\n> ");
    type(&c, "150 lb");
    expect(&c, "lift and carry"); /* accepted: on to SARC-F */
    expect(&c, "\n> ");
    type(&c, "");
    skip_rest(&c);
    assert_int_equal(finish(&c), 0);
    doc = json_load_file(save, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_at(doc, "person.weight").str, "150 lb");
    json_decref(doc);
    child_free(&c);
}

/* (5) Age 17 is outside 18-120: asked again, with the range. */
static void age_out_of_range_is_asked_again_with_the_range(void **state)
{
    const char *argv[] = {bin, "assess", "--interactive", "--color", "never", NULL};
    child c;
    (void)state;

    spawn(&c, argv, 1);
    answer_no_red_flags(&c);
    answer(&c, "female or male", "male");
    answer(&c, "How old", "17");
    expect(&c, "17 years is outside the accepted range 18 to 120 years");
    expect(&c, "\n> ");
    type(&c, "seventy");
    expect(&c, "expected a number of years");
    expect(&c, "\n> ");
    type(&c, "70");
    expect(&c, "How tall");
    expect(&c, "\n> ");
    type(&c, "");
    skip_rest(&c);
    assert_int_equal(finish(&c), 0);
    assert_non_null(strstr(bytes_str(&c.stdout_), "70 y"));
    child_free(&c);
}

/* (6) Enter skips every optional question (a warning sign is asked again);
 * the report still comes, and the saved document holds only the answers. */
static void skipping_every_optional_question_works(void **state)
{
    const char *save = save_path("skip.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, "--color", "never", NULL};
    json_t *doc;
    child c;
    size_t i;
    (void)state;

    spawn(&c, argv, 1);
    answer(&c, red_flags[0], "");
    expect(&c, "This one needs an answer");
    expect(&c, "\n> ");
    type(&c, "N");
    for (i = 1; i < N_FLAGS; i++)
        answer(&c, red_flags[i], i % 2 ? "no" : "NO");
    answer(&c, "female or male", "");
    expect(&c, "This one needs an answer");
    expect(&c, "\n> ");
    type(&c, "F");
    answer(&c, "How old", "70");
    skip_rest(&c);
    assert_int_equal(finish(&c), 0);
    assert_null(strstr(c.term.p, "walk across a room")); /* SARC-F skipped whole */
    assert_null(strstr(c.term.p, "How long did that walk take"));
    assert_null(strstr(c.term.p, "6 months ago")); /* no weight now: no past weight */
    assert_null(strstr(c.term.p, "Which part"));
    assert_null(strstr(c.term.p, "eGFR"));
    assert_non_null(strstr(bytes_str(&c.stdout_), "EWGSOP2"));
    doc = json_load_file(save, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(json_object_size(doc), 2); /* person and symptoms */
    assert_string_equal(json_at(doc, "person.sex").str, "female");
    assert_int_equal(json_object_size(json_object_get(doc, "symptoms")), N_FLAGS - 1);
    json_decref(doc);
    child_free(&c);
}

/* (7) Ctrl-D at a question: one line saying so, exit 66, nothing saved. */
static void end_of_input_mid_way_stops_with_exit_66(void **state)
{
    const char *save = save_path("eof.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, "--color", "never", NULL};
    child c;
    (void)state;

    spawn(&c, argv, 1);
    answer_no_red_flags(&c);
    answer(&c, "female or male", "f");
    expect(&c, "How old");
    expect(&c, "\n> ");
    assert_int_equal(write(c.pty, "\x04", 1), 1); /* VEOF at the start of a line */
    assert_int_equal(finish(&c), EXIT_NOINPUT);
    assert_non_null(strstr(c.term.p, "myotrack: questionnaire stopped: the answers ended"));
    assert_string_equal(bytes_str(&c.stdout_), "");
    assert_false(exists(save));
    child_free(&c);
}

/* (8) --interactive with answers piped in (no terminal): works as a script;
 * the answers are echoed after the questions; a "not sure" on a warning sign
 * is named again after the report. */
static void interactive_with_piped_answers_works(void **state)
{
    const char *save = save_path("piped.json");
    const char *argv[] = {bin, "assess", "--interactive", "--save", save, NULL};
    bytes out = {0}, err = {0}, input = {0};
    json_t *doc;
    size_t i;
    (void)state;

    bytes_add(&input, "not sure\n", 9);
    for (i = 1; i < N_FLAGS; i++)
        bytes_add(&input, "n\n", 2);
    bytes_add(&input, "f\n79\n160 cm\n58 kg\n", 18);
    for (i = 0; i < 80; i++)
        bytes_add(&input, "\n", 1);
    assert_int_equal(run_piped(argv, input.p, &out, &err), 0);
    assert_non_null(strstr(err.p, "face drooping"));
    assert_non_null(strstr(err.p, "> 160 cm\n"));
    assert_non_null(strstr(out.p, "\n  EWGSOP2 "));
    assert_null(strstr(out.p, "\033[")); /* not a terminal: no colour */
    assert_non_null(strstr(out.p, "You were not sure about these warning signs"));
    assert_non_null(strstr(out.p, "  - Is one side of your face drooping"));
    assert_non_null(strstr(err.p, "  - Is one side of your face drooping")); /* stdout apart */
    doc = json_load_file(save, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(json_at(doc, "symptoms.face_droop").type, JV_NULL);
    json_decref(doc);
    free(out.p), free(err.p), free(input.p);
}

/* A later answer can raise the triage too (CK 6 times the lab's upper
 * limit): the report comes, then the advice, last on the terminal. */
static void urgent_lab_result_is_shown_after_the_report(void **state)
{
    const char *argv[] = {bin, "assess", "--interactive", NULL};
    bytes out = {0}, err = {0}, input = {0};
    size_t i;
    const char *advice;
    (void)state;

    for (i = 0; i < N_FLAGS; i++)
        bytes_add(&input, "n\n", 2);
    for (i = 0; i < sizeof(full_run) / sizeof(full_run[0]); i++) {
        const char *a = strstr(full_run[i][0], "CK (") ? "1200" : full_run[i][1];
        bytes_add(&input, a, strlen(a));
        bytes_add(&input, "\n", 1);
    }
    assert_int_equal(run_piped(argv, input.p, &out, &err), 0);
    assert_non_null(strstr(out.p, "\n  EWGSOP2 "));
    advice = strstr(err.p, "URGENT: ");
    assert_non_null(advice);
    assert_true(advice > strstr(err.p, "Here is your report"));
    free(out.p), free(err.p), free(input.p);
}

/* --save into a directory that does not exist fails before the first
 * question, with the path; so does --save with a FILE to assess. */
static void save_that_cannot_happen_fails_before_any_question(void **state)
{
    const char *argv[] = {bin, "assess", "--interactive", "--save", "/nonexistent-dir/a.json",
                          NULL};
    const char *both[] = {bin, "assess", "x.json", "--save", "a.json", NULL};
    bytes out = {0}, err = {0}, out2 = {0}, err2 = {0};
    (void)state;

    assert_int_equal(run_piped(argv, "n\n", &out, &err), EXIT_CANTCREAT);
    assert_non_null(strstr(err.p, "myotrack: cannot save to '/nonexistent-dir/a.json'"));
    assert_null(strstr(err.p, "face drooping"));
    assert_int_equal(run_piped(both, NULL, &out2, &err2), 64);
    free(out.p), free(err.p), free(out2.p), free(err2.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emergency_red_flag_stops_at_once_and_saves_nothing),
        cmocka_unit_test(urgent_red_flag_dark_urine_stops_at_once),
        cmocka_unit_test(every_warning_sign_alone_stops_the_questions),
        cmocka_unit_test(full_run_reports_and_saves_a_document_that_round_trips),
        cmocka_unit_test(bad_unit_is_asked_again_with_the_reason),
        cmocka_unit_test(age_out_of_range_is_asked_again_with_the_range),
        cmocka_unit_test(skipping_every_optional_question_works),
        cmocka_unit_test(end_of_input_mid_way_stops_with_exit_66),
        cmocka_unit_test(interactive_with_piped_answers_works),
        cmocka_unit_test(urgent_lab_result_is_shown_after_the_report),
        cmocka_unit_test(save_that_cannot_happen_fails_before_any_question),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
