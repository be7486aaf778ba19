/*
 * cmd_user.c - `myotrack user add NAME --role ROLE [--patient ID]
 * [--password-file FILE] [--db FILE]` and `myotrack user list [--db FILE]`:
 * accounts for the web app, made by whoever runs the command line (the first
 * admin has to come from somewhere).
 *
 * The password comes from the first line of --password-file, else from the
 * terminal (asked twice, without echo), else from one line of standard input,
 * so scripts never put a password on a command line. It is checked against
 * the policy and hashed (argon2id) before the database is opened, and wiped
 * from memory once hashed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "auth/auth.h"
#include "cli.h"

static const char usage_text[] =
    "usage: myotrack user add NAME --role clinician|patient|admin [--patient ID]\n"
    "                         [--password-file FILE] [--db FILE]\n"
    "       myotrack user list [--db FILE]\n"
    "  add    add an account; the password is the first line of --password-file, else\n"
    "         asked twice on a terminal, else one line of standard input (8 to 128\n"
    "         characters)\n"
    "  --role      clinician, patient or admin\n"
    "  --patient   the patient record a patient account opens (required for patients)\n"
    "  list   every account: id, role, patient record, name\n"
    "  --db FILE   the database (default $XDG_DATA_HOME/myotrack/myotrack.db, else\n"
    "              ~/.local/share/myotrack/myotrack.db; created if missing)\n";

#define LINE_MAX_BYTES 1024

/* Overwrite a secret in a way the compiler may not drop. */
static void wipe(char *s, size_t n)
{
    volatile char *p = s;

    while (n--)
        *p++ = 0;
}

/* Read one line (without its end) into buf; -1 at end of input, -2 when too long. */
static int read_line(FILE *f, char *buf, size_t n)
{
    size_t len;

    if (!fgets(buf, (int)n, f))
        return -1;
    len = strlen(buf);
    if (len == n - 1 && buf[len - 1] != '\n' && !feof(f))
        return -2;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return 0;
}

/* Ask on the terminal without echo. */
static int ask_hidden(const char *prompt, char *buf, size_t n)
{
    struct termios old, quiet;
    int rc, restore;

    fputs(prompt, stderr);
    fflush(stderr);
    restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    rc = read_line(stdin, buf, n);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

/* The password as the usage says; returns a sysexits code after one error line. */
static int get_password(const char *file, const char *name, char *pw, size_t n)
{
    char again[LINE_MAX_BYTES];
    int rc;

    if (file) {
        FILE *f = fopen(file, "r");
        if (!f) {
            cli_error("user: cannot read '%s': %s", file, strerror(errno));
            return EX_NOINPUT;
        }
        rc = read_line(f, pw, n);
        fclose(f);
    } else if (isatty(STDIN_FILENO)) {
        char prompt[128];
        snprintf(prompt, sizeof(prompt), "password for %s: ", name);
        rc = ask_hidden(prompt, pw, n);
        if (rc == 0) {
            rc = ask_hidden("the same password again: ", again, sizeof(again));
            if (rc == 0 && strcmp(pw, again) != 0) {
                wipe(again, sizeof(again));
                cli_error("user: the two passwords differ");
                return EX_DATAERR;
            }
            wipe(again, sizeof(again));
        }
    } else {
        rc = read_line(stdin, pw, n);
    }
    if (rc == -1)
        pw[0] = '\0'; /* no line at all: the policy names what is missing */
    if (rc == -2) {
        cli_error("user: the password must be 8 to 128 characters");
        return EX_DATAERR;
    }
    return EX_OK;
}

static int user_add(int argc, char **argv)
{
    const char *role_s = NULL, *patient_s = NULL, *pwfile = NULL, *db = NULL, *why = NULL;
    const char *pos[1] = {NULL};
    const cli_option opts[] = {{"--role", &role_s, NULL, NULL},
                               {"--patient", &patient_s, NULL, NULL},
                               {"--password-file", &pwfile, NULL, NULL},
                               {"--db", &db, NULL, NULL},
                               {NULL, NULL, NULL, NULL}};
    char pw[LINE_MAX_BYTES], hash[AUTH_HASH_MAX];
    st_store *st = NULL;
    st_role role;
    int64_t patient = 0, id = 0;
    int npos, rc;

    rc = cli_parse_options("user", argc, argv, opts, pos, 1, &npos, usage_text);
    if (rc != EX_OK)
        return rc == CLI_HELP ? EX_OK : rc;
    if (npos != 1) {
        cli_error("user add: name the user; see 'myotrack user --help'");
        return EX_USAGE;
    }
    if (!role_s) {
        cli_error("user add: --role is required (clinician, patient or admin)");
        return EX_USAGE;
    }
    if (st_role_parse(role_s, &role) != ST_OK) {
        cli_error("--role: '%s' is not accepted; accepted: clinician, patient, admin", role_s);
        return EX_USAGE;
    }
    if (role == ST_PATIENT && !patient_s) {
        cli_error("user add: a patient account needs --patient ID (the patient's record)");
        return EX_USAGE;
    }
    if (role != ST_PATIENT && patient_s) {
        cli_error("user add: --patient is only for role patient");
        return EX_USAGE;
    }
    if (patient_s && cli_parse_id(patient_s, &patient) != 0) {
        cli_error("--patient: '%s' is not a patient id (a positive number)", patient_s);
        return EX_USAGE;
    }

    if ((rc = get_password(pwfile, pos[0], pw, sizeof(pw))) != EX_OK)
        goto done;
    if (auth_password_ok(pw, &why) != 0) {
        cli_error("user: the password %s", why);
        rc = EX_DATAERR;
        goto done;
    }
    if (auth_init() != 0 || auth_hash_password(pw, hash) != 0) {
        cli_error("user: cannot hash the password (out of memory?)");
        rc = EX_OSERR;
        goto done;
    }
    wipe(pw, sizeof(pw));
    if ((rc = cli_store_open(db, 0, &st)) != EX_OK)
        goto done;
    rc = st_user_add(st, pos[0], role, hash, patient, &id);
    if (rc == ST_CONFLICT)
        cli_error("user add: the name '%s' is taken", pos[0]);
    else if (rc == ST_NOTFOUND)
        cli_error("user add: no patient with id %lld", (long long)patient);
    else if (rc != ST_OK)
        cli_error("user add: %s", st_errmsg());
    if (rc != ST_OK) {
        rc = cli_store_exit(rc);
        goto done;
    }
    printf("added user %s (%s, id %lld)\n", pos[0], st_role_name(role), (long long)id);
    rc = fflush(stdout) == 0 ? EX_OK : EX_IOERR;
done:
    wipe(pw, sizeof(pw));
    st_close(st);
    return rc;
}

static int user_list(int argc, char **argv)
{
    const char *db = NULL;
    const cli_option opts[] = {{"--db", &db, NULL, NULL}, {NULL, NULL, NULL, NULL}};
    const st_actor cli = {0, ST_ADMIN, 0, 1};
    st_store *st = NULL;
    char *out = NULL;
    json_t *list = NULL, *u;
    size_t i;
    int npos, rc;

    rc = cli_parse_options("user", argc, argv, opts, NULL, 0, &npos, usage_text);
    if (rc != EX_OK)
        return rc == CLI_HELP ? EX_OK : rc;
    if ((rc = cli_store_open(db, 1, &st)) != EX_OK)
        return rc;
    rc = st_user_list(st, &cli, &out);
    if (rc != ST_OK) {
        cli_error("user list: %s", st_errmsg());
        rc = cli_store_exit(rc);
        goto done;
    }
    list = json_loads(out, 0, NULL);
    if (!json_is_array(list)) {
        cli_error("user list: the store answered something other than a list");
        rc = EX_SOFTWARE;
        goto done;
    }
    json_array_foreach(list, i, u)
    {
        json_t *pid = json_object_get(u, "patient_id");
        char patient[24] = "-";
        if (json_is_integer(pid))
            snprintf(patient, sizeof(patient), "%lld", (long long)json_integer_value(pid));
        printf("%-6lld %-10s %-8s %s\n", (long long)json_integer_value(json_object_get(u, "id")),
               json_string_value(json_object_get(u, "role")), patient,
               json_string_value(json_object_get(u, "username")));
    }
    rc = fflush(stdout) == 0 ? EX_OK : EX_IOERR;
done:
    json_decref(list);
    free(out);
    st_close(st);
    return rc;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    {"add", user_add},
    {"list", user_list},
};

int cmd_user(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        cli_error("user: add or list? see 'myotrack user --help'");
        return EX_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        return EX_OK;
    }
    for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 2, argv + 2);
    cli_error("user: unknown subcommand '%s'; accepted: add, list", argv[1]);
    return EX_USAGE;
}
