/*
 * test_cli_store.c - the commands on the database (`myotrack user`, `backup`,
 * `export`) run as a user runs them: the real binary in a child process, with
 * its standard input, output, error and exit status captured.
 *
 * What a command did is checked through the store itself (the user exists and
 * the password verifies, the backup opens and passes integrity_check, the
 * export left an audit row as "cli"), and every failure must be exactly one
 * line on standard error, nothing on standard output, and the documented exit
 * status. The binary is found beside this suite's directory (BUILD/myotrack).
 */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"

#include "auth/auth.h"
#include "store/store.h"

static char binary[512];

typedef struct fx {
    char dir[64];
    char db[128];
    int status;
    char out[16384];
    char err[4096];
} fx;

typedef struct run_env {
    const char *input; /* standard input's text, or NULL for /dev/null */
    const char *xdg;   /* XDG_DATA_HOME, or NULL to leave it unset */
} run_env;

static void slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got = 0;

    if (f) {
        got = fread(buf, 1, n - 1, f);
        fclose(f);
    }
    buf[got] = '\0';
}

/* Run the binary with args (NULL-terminated, without argv[0]). */
static void run(fx *f, const run_env *env, const char *const *args)
{
    char in[160], out[160], err[160];
    const char *argv[16];
    pid_t pid;
    int i, st = 0;

    snprintf(in, sizeof(in), "%s/stdin", f->dir);
    snprintf(out, sizeof(out), "%s/stdout", f->dir);
    snprintf(err, sizeof(err), "%s/stderr", f->dir);
    if (env && env->input) {
        FILE *w = fopen(in, "w");
        assert_non_null(w);
        fputs(env->input, w);
        fclose(w);
    }
    argv[0] = binary;
    for (i = 0; args[i] && i < 14; i++)
        argv[i + 1] = args[i];
    argv[i + 1] = NULL;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd0 = open(env && env->input ? in : "/dev/null", O_RDONLY);
        int fd1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fd2 = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd0 < 0 || fd1 < 0 || fd2 < 0)
            _exit(127);
        dup2(fd0, 0);
        dup2(fd1, 1);
        dup2(fd2, 2);
        if (env && env->xdg)
            setenv("XDG_DATA_HOME", env->xdg, 1);
        else
            unsetenv("XDG_DATA_HOME");
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    f->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    slurp(out, f->out, sizeof(f->out));
    slurp(err, f->err, sizeof(f->err));
}

/* A failure: the exit status, nothing on stdout, one "myotrack: " line on stderr. */
static void expect_error(fx *f, int status, const char *needle)
{
    const char *nl = strchr(f->err, '\n');

    if (f->status != status)
        fail_msg("exit %d, expected %d; stderr: %s", f->status, status, f->err);
    assert_string_equal(f->out, "");
    assert_ptr_equal(strstr(f->err, "myotrack: "), f->err);
    if (!nl || nl[1] != '\0')
        fail_msg("not exactly one line on stderr: [%s]", f->err);
    if (needle && !strstr(f->err, needle))
        fail_msg("stderr lacks \"%s\": %s", needle, f->err);
}

static void expect_ok(fx *f)
{
    if (f->status != 0)
        fail_msg("exit %d; stderr: %s", f->status, f->err);
    assert_string_equal(f->err, "");
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (unlink(p) != 0)
            rm_tree(p);
    }
    closedir(d);
    rmdir(dir);
}

static void write_file(fx *f, const char *name, const char *text)
{
    char p[160];
    FILE *w;

    snprintf(p, sizeof(p), "%s/%s", f->dir, name);
    w = fopen(p, "w");
    assert_non_null(w);
    fputs(text, w);
    fclose(w);
}

/* A clinician and one patient record, made through the store; the patient's id. */
static int64_t seed_patient(fx *f)
{
    st_store *st = NULL;
    int64_t doc = 0, pid = 0;
    st_actor a;

    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_user_add(st, "dr_seed", ST_CLINICIAN, "$argon2id$x", 0, &doc), ST_OK);
    a = (st_actor){doc, ST_CLINICIAN, 0, 0};
    assert_int_equal(st_patient_create(st, &a, "Ada O'Hara", "female", "1947-05-06", &pid), ST_OK);
    st_close(st);
    return pid;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/mt-cli-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/my.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    rm_tree(f->dir);
    free(f);
    return 0;
}

/* --- user ----------------------------------------------------------------------- */

static void user_add_takes_the_password_file_and_prints_one_line(void **state)
{
    fx *f = *state;
    char pwfile[160];
    st_store *st = NULL;
    st_user u;

    write_file(f, "pw", "correct horse\nsecond line ignored\n");
    snprintf(pwfile, sizeof(pwfile), "%s/pw", f->dir);
    run(f, NULL,
        (const char *[]){"user", "add", "root", "--role", "admin", "--password-file", pwfile,
                         "--db", f->db, NULL});
    expect_ok(f);
    assert_string_equal(f->out, "added user root (admin, id 1)\n");

    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_user_get(st, "root", &u), ST_OK);
    assert_int_equal(u.role, ST_ADMIN);
    assert_true(auth_verify_password(u.password_hash, "correct horse"));
    assert_false(auth_verify_password(u.password_hash, "second line ignored"));
    st_close(st);
}

static void user_add_reads_one_line_of_standard_input(void **state)
{
    fx *f = *state;
    run_env env = {"longenough\r\n", NULL};
    st_store *st = NULL;
    st_user u;

    run(f, &env,
        (const char *[]){"user", "add", "doc", "--role", "clinician", "--db", f->db, NULL});
    expect_ok(f);
    assert_string_equal(f->out, "added user doc (clinician, id 1)\n");
    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_user_get(st, "doc", &u), ST_OK);
    assert_true(auth_verify_password(u.password_hash, "longenough"));
    st_close(st);
}

static void user_add_links_a_patient_account_to_its_record(void **state)
{
    fx *f = *state;
    run_env env = {"patient password\n", NULL};
    int64_t pid = seed_patient(f);
    char id[24], expect[64];
    st_store *st = NULL;
    st_user u;

    snprintf(id, sizeof(id), "%lld", (long long)pid);
    run(f, &env,
        (const char *[]){"user", "add", "ada", "--role", "patient", "--patient", id, "--db", f->db,
                         NULL});
    expect_ok(f);
    snprintf(expect, sizeof(expect), "added user ada (patient, id 2)\n");
    assert_string_equal(f->out, expect);
    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_user_get(st, "ada", &u), ST_OK);
    assert_int_equal(u.patient_id, pid);
    st_close(st);
}

static void user_add_refuses_a_taken_name_with_65(void **state)
{
    fx *f = *state;
    run_env env = {"longenough\n", NULL};

    run(f, &env,
        (const char *[]){"user", "add", "doc", "--role", "clinician", "--db", f->db, NULL});
    expect_ok(f);
    run(f, &env, (const char *[]){"user", "add", "doc", "--role", "admin", "--db", f->db, NULL});
    expect_error(f, 65, "'doc' is taken");
    run(f, &env, (const char *[]){"user", "add", "DOC", "--role", "admin", "--db", f->db, NULL});
    expect_error(f, 65, "is taken");
}

static void user_add_usage_errors_are_64(void **state)
{
    fx *f = *state;
    run_env env = {"longenough\n", NULL};

    run(f, &env, (const char *[]){"user", "add", "x", "--role", "nurse", "--db", f->db, NULL});
    expect_error(f, 64, "'nurse' is not accepted");
    run(f, &env, (const char *[]){"user", "add", "x", "--role", "patient", "--db", f->db, NULL});
    expect_error(f, 64, "--patient");
    run(f, &env,
        (const char *[]){"user", "add", "x", "--role", "clinician", "--patient", "1", "--db", f->db,
                         NULL});
    expect_error(f, 64, "--patient");
    run(f, &env,
        (const char *[]){"user", "add", "x", "--role", "patient", "--patient", "1x", "--db", f->db,
                         NULL});
    expect_error(f, 64, "not a patient id");
    run(f, &env, (const char *[]){"user", "add", "x", "--db", f->db, NULL});
    expect_error(f, 64, "--role");
    run(f, &env, (const char *[]){"user", "add", "--role", "admin", "--db", f->db, NULL});
    expect_error(f, 64, "name the user");
    run(f, &env, (const char *[]){"user", "add", "x", "--role", "admin", "--frobnicate", NULL});
    expect_error(f, 64, "unknown option");
    run(f, &env, (const char *[]){"user", "add", "x", "--role", NULL});
    expect_error(f, 64, "needs a value");
    run(f, &env, (const char *[]){"user", "remove", NULL});
    expect_error(f, 64, "unknown subcommand");
    /* Nothing was created by any of them. */
    assert_int_equal(access(f->db, F_OK), -1);
}

static void user_add_refuses_an_unknown_patient_with_65(void **state)
{
    fx *f = *state;
    run_env env = {"longenough\n", NULL};

    seed_patient(f);
    run(f, &env,
        (const char *[]){"user", "add", "eve", "--role", "patient", "--patient", "999", "--db",
                         f->db, NULL});
    expect_error(f, 65, "no patient with id 999");
}

static void user_add_enforces_the_password_policy(void **state)
{
    fx *f = *state;
    run_env shortpw = {"1234567\n", NULL}, empty = {"", NULL};
    st_store *st = NULL;
    st_user u;
    char pwfile[160];

    run(f, &shortpw, (const char *[]){"user", "add", "x", "--role", "admin", "--db", f->db, NULL});
    expect_error(f, 65, "8 to 128 characters");
    run(f, &empty, (const char *[]){"user", "add", "x", "--role", "admin", "--db", f->db, NULL});
    expect_error(f, 65, "8 to 128 characters");
    snprintf(pwfile, sizeof(pwfile), "%s/missing", f->dir);
    run(f, NULL,
        (const char *[]){"user", "add", "x", "--role", "admin", "--password-file", pwfile, "--db",
                         f->db, NULL});
    expect_error(f, 66, "cannot read");
    run(f, &shortpw, (const char *[]){"user", "add", "y", "--role", "admin", "--db", f->db, NULL});
    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_user_get(st, "x", &u), ST_NOTFOUND);
    st_close(st);
}

static void the_default_database_is_under_xdg_data_home(void **state)
{
    fx *f = *state;
    char xdg[160], db[200];
    run_env env = {"longenough\n", xdg};
    struct stat sb;

    snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
    run(f, &env, (const char *[]){"user", "add", "root", "--role", "admin", NULL});
    expect_ok(f);
    snprintf(db, sizeof(db), "%s/myotrack/myotrack.db", xdg);
    assert_int_equal(stat(db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(db, sizeof(db), "%s/myotrack", xdg);
    assert_int_equal(stat(db, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);

    run(f, &env, (const char *[]){"user", "list", NULL});
    expect_ok(f);
    assert_non_null(strstr(f->out, "admin"));
    assert_non_null(strstr(f->out, "root"));
}

static void user_list_names_every_account(void **state)
{
    fx *f = *state;
    run_env env = {"longenough\n", NULL};

    run(f, &env, (const char *[]){"user", "list", "--db", f->db, NULL});
    expect_error(f, 66, "no database");
    seed_patient(f);
    run(f, &env,
        (const char *[]){"user", "add", "ada", "--role", "patient", "--patient", "1", "--db", f->db,
                         NULL});
    expect_ok(f);
    run(f, NULL, (const char *[]){"user", "list", "--db", f->db, NULL});
    expect_ok(f);
    assert_non_null(strstr(f->out, "clinician"));
    assert_non_null(strstr(f->out, "dr_seed\n"));
    assert_non_null(strstr(f->out, "patient    1        ada\n"));
}

/* --- backup ------------------------------------------------------------------------ */

static void backup_writes_a_copy_that_opens_and_passes_integrity(void **state)
{
    fx *f = *state;
    char dest[160], expect[200];
    st_store *st = NULL;
    st_user u;
    struct stat sb;

    seed_patient(f);
    snprintf(dest, sizeof(dest), "%s/copy.db", f->dir);
    run(f, NULL, (const char *[]){"backup", dest, "--db", f->db, NULL});
    expect_ok(f);
    snprintf(expect, sizeof(expect), "backed up to %s\n", dest);
    assert_string_equal(f->out, expect);
    assert_int_equal(stat(dest, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    assert_int_equal(st_open(&st, dest, NULL), ST_OK);
    assert_int_equal(st_check(st), ST_OK);
    assert_int_equal(st_user_get(st, "dr_seed", &u), ST_OK);
    st_close(st);
}

static void backup_refuses_to_overwrite_without_force(void **state)
{
    fx *f = *state;
    char dest[160], content[64];

    seed_patient(f);
    write_file(f, "old.db", "an earlier backup\n");
    snprintf(dest, sizeof(dest), "%s/old.db", f->dir);
    run(f, NULL, (const char *[]){"backup", dest, "--db", f->db, NULL});
    expect_error(f, 73, "--force");
    slurp(dest, content, sizeof(content));
    assert_string_equal(content, "an earlier backup\n");

    run(f, NULL, (const char *[]){"backup", dest, "--db", f->db, "--force", NULL});
    expect_ok(f);
    slurp(dest, content, sizeof(content));
    assert_memory_equal(content, "SQLite format 3", 15);

    run(f, NULL, (const char *[]){"backup", f->db, "--db", f->db, "--force", NULL});
    expect_error(f, 64, "the database itself");
}

static void backup_needs_an_existing_database_and_a_file(void **state)
{
    fx *f = *state;
    char dest[160];

    snprintf(dest, sizeof(dest), "%s/copy.db", f->dir);
    run(f, NULL, (const char *[]){"backup", dest, "--db", f->db, NULL});
    expect_error(f, 66, "no database");
    assert_int_equal(access(dest, F_OK), -1);
    run(f, NULL, (const char *[]){"backup", "--db", f->db, NULL});
    expect_error(f, 64, "name the file");
    run(f, NULL, (const char *[]){"backup", "a.db", "b.db", "--db", f->db, NULL});
    expect_error(f, 64, "unexpected argument");
}

/* --- export ------------------------------------------------------------------------- */

static void export_prints_the_patient_and_is_audited_as_cli(void **state)
{
    fx *f = *state;
    const st_actor cli = {0, ST_ADMIN, 0, 1};
    int64_t pid = seed_patient(f);
    char id[24], *audit = NULL;
    st_store *st = NULL;
    json_t *j, *a;

    snprintf(id, sizeof(id), "%lld", (long long)pid);
    run(f, NULL, (const char *[]){"export", "--patient", id, "--db", f->db, NULL});
    expect_ok(f);
    assert_int_equal(f->out[strlen(f->out) - 1], '\n');
    j = json_loads(f->out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "patient"), "display_name")),
        "Ada O'Hara");
    assert_true(json_is_array(json_object_get(j, "assessments")));
    assert_true(json_is_array(json_object_get(j, "sessions")));
    assert_true(json_is_array(json_object_get(j, "checkins")));
    assert_true(json_is_array(json_object_get(j, "alerts")));
    json_decref(j);

    assert_int_equal(st_open(&st, f->db, NULL), ST_OK);
    assert_int_equal(st_audit_list(st, &cli, pid, 1, &audit), ST_OK);
    a = json_array_get(j = json_loads(audit, 0, NULL), 0);
    assert_string_equal(json_string_value(json_object_get(a, "user")), "cli");
    assert_string_equal(json_string_value(json_object_get(a, "object")), "export");
    assert_string_equal(json_string_value(json_object_get(a, "action")), "read");
    json_decref(j);
    free(audit);
    st_close(st);
}

static void export_errors_are_one_line(void **state)
{
    fx *f = *state;

    run(f, NULL, (const char *[]){"export", "--patient", "1", "--db", f->db, NULL});
    expect_error(f, 66, "no database");
    seed_patient(f);
    run(f, NULL, (const char *[]){"export", "--patient", "999", "--db", f->db, NULL});
    expect_error(f, 65, "no patient with id 999");
    run(f, NULL, (const char *[]){"export", "--db", f->db, NULL});
    expect_error(f, 64, "--patient");
    run(f, NULL, (const char *[]){"export", "--patient", "-3", "--db", f->db, NULL});
    expect_error(f, 64, "not a patient id");
}

static void each_command_has_help_on_stdout(void **state)
{
    fx *f = *state;
    static const char *const cmds[] = {"user", "backup", "export"};
    size_t i;

    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        run(f, NULL, (const char *[]){cmds[i], "--help", NULL});
        expect_ok(f);
        assert_ptr_equal(strstr(f->out, "usage: myotrack "), f->out);
        assert_non_null(strstr(f->out, cmds[i]));
    }
    run(f, NULL, (const char *[]){"--help", NULL});
    expect_ok(f);
    assert_non_null(strstr(f->out, "  backup "));
}

int main(int argc, char **argv)
{
    char self[512];
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(user_add_takes_the_password_file_and_prints_one_line),
        T(user_add_reads_one_line_of_standard_input),
        T(user_add_links_a_patient_account_to_its_record),
        T(user_add_refuses_a_taken_name_with_65),
        T(user_add_usage_errors_are_64),
        T(user_add_refuses_an_unknown_patient_with_65),
        T(user_add_enforces_the_password_policy),
        T(the_default_database_is_under_xdg_data_home),
        T(user_list_names_every_account),
        T(backup_writes_a_copy_that_opens_and_passes_integrity),
        T(backup_refuses_to_overwrite_without_force),
        T(backup_needs_an_existing_database_and_a_file),
        T(export_prints_the_patient_and_is_audited_as_cli),
        T(export_errors_are_one_line),
        T(each_command_has_help_on_stdout),
#undef T
    };

    (void)argc;
    /* BUILD/tests/test_cli_store -> BUILD/myotrack */
    snprintf(self, sizeof(self), "%s", argv[0]);
    snprintf(binary, sizeof(binary), "%s/../myotrack", dirname(self));
    if (access(binary, X_OK) != 0 || auth_init() != 0) {
        printf("[  FAILED  ] 1 test(s), listed below:\n[  FAILED  ] no binary at %s\n", binary);
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
