/*
 * test_store.c - the store against a real SQLite file: one fresh database in
 * a mkdtemp directory per test.
 *
 * What is checked goes through a second, raw sqlite3 connection where it
 * matters (row counts, the audit trail, integrity), so a test cannot pass by
 * trusting the code it tests. Failure paths are provoked for real: a size
 * limit the write cannot fit in (SQLITE_FULL) and another connection holding
 * the write lock (SQLITE_BUSY).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "testutil.h"

#include "myotrack.h"
#include "store/internal.h"
#include "store/store.h"

#define FAKE_HASH "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"

typedef struct fx {
    char dir[64];
    char path[128];
    st_store *st;
    int64_t admin, doc, doc2, pat_user, pat_user2; /* user ids */
    int64_t p1, p2;                                /* patients: p1 (doc), p2 (doc2) */
} fx;

/* --- helpers ------------------------------------------------------------------ */

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

static st_actor actor(int64_t uid, st_role role, int64_t pid)
{
    st_actor a = {uid, role, pid, 0};
    return a;
}

static st_actor local_actor(void)
{
    st_actor a = {0, ST_ADMIN, 0, 1};
    return a;
}

/* A count (or any integer) through a raw connection of our own. */
static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static int64_t audit_rows(fx *f)
{
    return raw_int(f->path, "SELECT count(*) FROM audit");
}

static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *j;

    assert_non_null(text);
    j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("not JSON (%s at %d): %s", err.text, err.position, text);
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("\"%s\" is not a string", key);
    return json_string_value(v);
}

static int64_t jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer", key);
    return (int64_t)json_integer_value(v);
}

static int64_t add_user(st_store *st, const char *name, st_role role, int64_t pid)
{
    int64_t id = 0;
    int rc = st_user_add(st, name, role, FAKE_HASH, pid, &id);
    if (rc != ST_OK)
        fail_msg("st_user_add(%s): %d %s", name, rc, st_errmsg());
    assert_true(id > 0);
    return id;
}

static int64_t add_assessment(fx *f, int64_t uid, int64_t pid, const char *date, const char *doc)
{
    static const char result[] = "{\"triage\":{\"level\":\"routine\"}}";
    st_actor a = actor(uid, ST_CLINICIAN, 0);
    int64_t id = 0;
    int rc = st_assessment_add(f->st, &a, pid, date, doc, strlen(doc), result, strlen(result),
                               "0.1.0", "routine", &id);
    if (rc != ST_OK)
        fail_msg("st_assessment_add: %d %s", rc, st_errmsg());
    return id;
}

static int open_store(fx *f, const st_options *opt)
{
    return st_open(&f->st, f->path, opt);
}

/* A fresh database with an admin, two clinicians each with a patient, and a
 * patient user for each patient. */
static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    st_actor a;

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/mt-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/db/myotrack.db", f->dir);
    if (open_store(f, NULL) != ST_OK)
        fail_msg("st_open: %s", st_errmsg());
    f->admin = add_user(f->st, "admin", ST_ADMIN, 0);
    f->doc = add_user(f->st, "dr_who", ST_CLINICIAN, 0);
    f->doc2 = add_user(f->st, "dr_no", ST_CLINICIAN, 0);
    a = actor(f->doc, ST_CLINICIAN, 0);
    assert_int_equal(st_patient_create(f->st, &a, "Ada", "female", "1948-03-02", &f->p1), ST_OK);
    a = actor(f->doc2, ST_CLINICIAN, 0);
    assert_int_equal(st_patient_create(f->st, &a, "Bob", "male", NULL, &f->p2), ST_OK);
    f->pat_user = add_user(f->st, "ada", ST_PATIENT, f->p1);
    f->pat_user2 = add_user(f->st, "bob", ST_PATIENT, f->p2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    st_close(f->st);
    rm_tree(f->dir);
    free(f);
    return 0;
}

/* --- schema -------------------------------------------------------------------- */

static void migrations_create_the_schema_and_reopening_changes_nothing(void **state)
{
    fx *f = *state;
    static const char *const tables[] = {
        "users",       "sessions",          "login_attempts", "patients", "care_team",
        "assessments", "exercise_sessions", "checkins",       "alerts",   "audit"};
    int64_t objects, version;
    size_t i;
    char sql[128];

    version = st_schema_version(f->st);
    assert_true(version >= 1);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), version);
    for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
                 tables[i]);
        if (raw_int(f->path, sql) != 1)
            fail_msg("table %s missing", tables[i]);
    }
    objects = raw_int(f->path, "SELECT count(*) FROM sqlite_schema");

    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, NULL), ST_OK);
    assert_int_equal(st_schema_version(f->st), version);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema"), objects);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 5);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* Run `sql` on the database at `path` through a connection of our own: SQLITE_OK or its code. */
static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The "result" member of an assessment read back with st_assessment_get. */
static json_t *stored_result(fx *f, int64_t id)
{
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    char *out = NULL;
    json_t *a, *r;

    if (st_assessment_get(f->st, &doc, f->p1, id, &out) != ST_OK)
        fail_msg("st_assessment_get(%lld): %s", (long long)id, st_errmsg());
    a = parse(out);
    free(out);
    r = json_incref(json_object_get(a, "result"));
    json_decref(a);
    assert_non_null(r);
    return r;
}

/* A database made at schema version 2 by the migrations themselves, holding
 * the fixture's accounts and patients and one assessment with its result as
 * text, is brought to this build's version: migration 3 takes the json_valid
 * CHECK off assessments.result (the engine's own rendering) and keeps the
 * document's; migration 4 adds the result dictionaries. The old result reads
 * back as it was. */
static void a_version_2_database_is_migrated_and_its_results_read_back(void **state)
{
    static const char old_result[] = "{\"triage\":{\"level\":\"urgent\"},\"n\":[1,2.5]}";
    fx *f = *state;
    sqlite3 *db = NULL;
    char v2[sizeof(f->path)], sql[1024];
    int64_t id = 0;
    int version = 0;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    json_t *want, *got;

    snprintf(v2, sizeof(v2), "%s/v2.db", f->dir);
    assert_int_equal(sqlite3_open(v2, &db), SQLITE_OK);
    assert_int_equal(st__migrate_to(db, 2, &version), ST_OK);
    assert_int_equal(version, 2);
    snprintf(sql, sizeof(sql),
             "ATTACH '%s' AS cur;"
             "INSERT INTO patients SELECT * FROM cur.patients;"
             "INSERT INTO users SELECT * FROM cur.users;"
             "INSERT INTO care_team SELECT * FROM cur.care_team;"
             "INSERT INTO assessments (patient_id, measured_on, created_at, created_by,"
             " engine_version, triage_level, document, result)"
             " VALUES (%lld, '2026-01-05', '2026-01-05T10:00:00Z', %lld, '0.0.9', 'urgent',"
             " '{\"a\":1}', '%s');",
             f->path, (long long)f->p1, (long long)f->doc, old_result);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_true(raw_int(v2, "SELECT instr(sql, 'assessment_result_is_json') FROM"
                            " sqlite_schema WHERE name = 'assessments'") > 0);
    assert_int_equal(raw_int(v2, "SELECT count(*) FROM sqlite_schema"
                                 " WHERE name = 'result_dictionaries'"),
                     0);

    st_close(f->st);
    f->st = NULL;
    snprintf(f->path, sizeof(f->path), "%s", v2);
    assert_int_equal(open_store(f, NULL), ST_OK);
    assert_int_equal(st_schema_version(f->st), 4);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 4);
    assert_int_equal(raw_int(f->path, "SELECT instr(sql, 'assessment_result_is_json') FROM"
                                      " sqlite_schema WHERE name = 'assessments'"),
                     0);
    assert_true(raw_int(f->path, "SELECT instr(sql, 'assessment_document_is_json') FROM"
                                 " sqlite_schema WHERE name = 'assessments'") > 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"
                                      " WHERE result_dictionary IS NULL AND typeof(result) = 'text'"),
                     1);
    want = parse(old_result);
    id = raw_int(f->path, "SELECT id FROM assessments");
    got = stored_result(f, id);
    assert_true(json_equal(want, got));
    json_decref(got);
    json_decref(want);
    /* the document is still checked; the result is the caller's (the engine's) */
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-01", "{nope", 5, "{}", 2,
                                       "0.1.0", NULL, &id),
                     ST_INVALID);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-02", "{}", 2, "{}", 2,
                                       "0.1.0", NULL, &id),
                     ST_OK);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* A result like the engine's: its fixed text, and the values of one person. */
static char *engine_like_result(int person)
{
    char *r = malloc(20000);
    size_t len;
    int i;

    assert_non_null(r);
    len = (size_t)sprintf(r, "{\"triage\":{\"level\":\"routine\"},\"criteria\":[");
    for (i = 0; i < 60; i++)
        len += (size_t)sprintf(r + len,
                               "%s{\"definition\":\"def%d\",\"criterion\":\"low_grip\","
                               "\"value\":%d.%d,\"threshold\":27,\"source\":\"Cruz-Jentoft"
                               " 2019, Age Ageing 48:16\"}",
                               i ? "," : "", i % 12, person + i, (person * 7 + i) % 10);
    strcpy(r + len, "]}");
    return r;
}

/* With a dictionary, results are kept compressed, name their dictionary and
 * read back the same (one by one and in the export); the same dictionary given
 * again is stored once; a new one is used from then on while the results
 * compressed with the old one still read back, after a reopen too; and the
 * dictionaries cannot be changed or deleted. */
static void results_are_kept_compressed_and_read_back_the_same(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    char *dict1 = engine_like_result(1000), *dict2 = engine_like_result(2000), *r[4], *list = NULL;
    int64_t ids[4], plain;
    json_t *want, *got, *all;
    int i;

    /* without a dictionary: text */
    r[0] = engine_like_result(1);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-01", "{}", 2, r[0],
                                       strlen(r[0]), "0.1.0", "routine", &plain),
                     ST_OK);
    assert_int_equal(st_result_dictionary(f->st, dict1, strlen(dict1)), ST_OK);
    assert_int_equal(st_result_dictionary(f->st, dict1, strlen(dict1)), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM result_dictionaries"), 1);
    for (i = 0; i < 4; i++) {
        if (i == 2)
            assert_int_equal(st_result_dictionary(f->st, dict2, strlen(dict2)), ST_OK);
        if (i > 0)
            r[i] = engine_like_result(i + 1);
        assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-03", "{}", 2, r[i],
                                           strlen(r[i]), "0.1.0", "routine", &ids[i]),
                         ST_OK);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM result_dictionaries"), 2);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"
                                      " WHERE result_dictionary IS NULL"),
                     1);
    {
        char sql[200];
        for (i = 0; i < 4; i++) {
            snprintf(sql, sizeof(sql),
                     "SELECT result_dictionary * (typeof(result) = 'blob')"
                     " * (length(result) * 8 < %zu) FROM assessments WHERE id = %lld",
                     strlen(r[i]), (long long)ids[i]);
            assert_int_equal(raw_int(f->path, sql), i < 2 ? 1 : 2);
        }
    }
    /* read back after a reopen, with no dictionary given this time */
    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, NULL), ST_OK);
    for (i = 0; i < 4; i++) {
        want = parse(r[i]);
        got = stored_result(f, ids[i]);
        if (!json_equal(want, got))
            fail_msg("assessment %d's result did not read back the same", i);
        json_decref(got);
        json_decref(want);
    }
    assert_int_equal(st_export_patient(f->st, &doc, f->p1, &list), ST_OK);
    all = parse(list);
    assert_int_equal(json_array_size(json_object_get(all, "assessments")), 5);
    for (i = 0; i < 5; i++) {
        json_t *a = json_array_get(json_object_get(all, "assessments"), (size_t)i);
        int64_t id = jint(a, "id");
        int k = id == plain ? 0 : -1, j;
        for (j = 0; j < 4; j++)
            if (id == ids[j])
                k = j;
        assert_true(k >= 0);
        want = parse(r[k]);
        assert_true(json_equal(want, json_object_get(a, "result")));
        json_decref(want);
    }
    json_decref(all);
    free(list);
    assert_int_not_equal(raw_exec(f->path, "UPDATE result_dictionaries SET content = x'00'"),
                         SQLITE_OK);
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM result_dictionaries"), SQLITE_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM result_dictionaries"), 2);
    assert_int_equal(st_check(f->st), ST_OK);
    for (i = 0; i < 4; i++)
        free(r[i]);
    free(dict1);
    free(dict2);
}

/* A stored result that no longer decompresses (damaged on the disk) fails
 * its read with an error; it is never answered as something else. */
static void a_damaged_result_fails_its_read(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    char *dict = engine_like_result(1000), *r = engine_like_result(5), *out = NULL, sql[160];
    int64_t id = 0;

    assert_int_equal(st_result_dictionary(f->st, dict, strlen(dict)), ST_OK);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-03", "{}", 2, r, strlen(r),
                                       "0.1.0", "routine", &id),
                     ST_OK);
    snprintf(sql, sizeof(sql),
             "UPDATE assessments SET result = substr(result, 1, length(result) - 3) || x'000000'"
             " WHERE id = %lld",
             (long long)id);
    assert_int_equal(raw_exec(f->path, sql), SQLITE_OK);
    assert_int_not_equal(st_assessment_get(f->st, &doc, f->p1, id, &out), ST_OK);
    assert_null(out);
    assert_non_null(strstr(st_errmsg(), "damaged"));
    snprintf(sql, sizeof(sql), "UPDATE assessments SET result = x'28b52ffd' WHERE id = %lld",
             (long long)id);
    assert_int_equal(raw_exec(f->path, sql), SQLITE_OK);
    assert_int_not_equal(st_export_patient(f->st, &doc, f->p1, &out), ST_OK);
    assert_null(out);
    free(dict);
    free(r);
}

static void database_is_wal_private_and_in_a_created_directory(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    struct stat sb;
    char dir[160];

    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);

    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(dir, sizeof(dir), "%s/db", f->dir);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
}

static void a_database_from_a_newer_build_is_refused(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;

    st_close(f->st);
    f->st = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(open_store(f, NULL), ST_ERROR);
    assert_null(f->st);
    assert_non_null(strstr(st_errmsg(), "999"));
}

static void default_path_follows_xdg_then_home(void **state)
{
    char buf[256], small[8];
    char *old_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

    (void)state;
    setenv("XDG_DATA_HOME", "/data/x", 1);
    setenv("HOME", "/home/h", 1);
    assert_int_equal(st_default_path(buf, sizeof(buf)), ST_OK);
    assert_string_equal(buf, "/data/x/myotrack/myotrack.db");
    unsetenv("XDG_DATA_HOME");
    assert_int_equal(st_default_path(buf, sizeof(buf)), ST_OK);
    assert_string_equal(buf, "/home/h/.local/share/myotrack/myotrack.db");
    setenv("XDG_DATA_HOME", "relative", 1);
    assert_int_equal(st_default_path(buf, sizeof(buf)), ST_OK);
    assert_string_equal(buf, "/home/h/.local/share/myotrack/myotrack.db");
    assert_int_equal(st_default_path(small, sizeof(small)), ST_INVALID);
    unsetenv("HOME");
    unsetenv("XDG_DATA_HOME");
    assert_int_equal(st_default_path(buf, sizeof(buf)), ST_INVALID);

    if (old_xdg)
        setenv("XDG_DATA_HOME", old_xdg, 1);
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_xdg);
    free(old_home);
}

/* --- accounts -------------------------------------------------------------------- */

static void users_are_added_read_back_and_names_are_unique(void **state)
{
    fx *f = *state;
    st_user u;
    int64_t id = 0;

    assert_int_equal(st_user_get(f->st, "ada", &u), ST_OK);
    assert_int_equal(u.id, f->pat_user);
    assert_string_equal(u.username, "ada");
    assert_int_equal(u.role, ST_PATIENT);
    assert_int_equal(u.patient_id, f->p1);
    assert_string_equal(u.password_hash, FAKE_HASH);
    assert_int_equal(st_user_get(f->st, "dr_who", &u), ST_OK);
    assert_int_equal(u.role, ST_CLINICIAN);
    assert_int_equal(u.patient_id, 0);

    assert_int_equal(st_user_add(f->st, "dr_who", ST_CLINICIAN, FAKE_HASH, 0, &id), ST_CONFLICT);
    assert_int_equal(st_user_add(f->st, "DR_WHO", ST_ADMIN, FAKE_HASH, 0, &id), ST_CONFLICT);
    assert_int_equal(st_user_add(f->st, "carol", ST_PATIENT, FAKE_HASH, 0, &id), ST_INVALID);
    assert_int_equal(st_user_add(f->st, "carol", ST_CLINICIAN, FAKE_HASH, f->p1, &id), ST_INVALID);
    assert_int_equal(st_user_add(f->st, "carol", ST_PATIENT, FAKE_HASH, 9999, &id), ST_NOTFOUND);
    assert_int_equal(st_user_add(f->st, "", ST_ADMIN, FAKE_HASH, 0, &id), ST_INVALID);
    assert_int_equal(st_user_add(f->st, "a\nb", ST_ADMIN, FAKE_HASH, 0, &id), ST_INVALID);
    assert_int_equal(st_user_get(f->st, "carol", &u), ST_NOTFOUND);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 5);
}

static void only_an_admin_lists_users(void **state)
{
    fx *f = *state;
    st_actor adm = actor(f->admin, ST_ADMIN, 0), doc = actor(f->doc, ST_CLINICIAN, 0);
    st_actor liar = actor(f->doc, ST_ADMIN, 0), cli = local_actor();
    char *out = NULL;
    json_t *j, *first;

    assert_int_equal(st_user_list(f->st, &doc, &out), ST_FORBIDDEN);
    assert_null(out);
    assert_int_equal(st_user_list(f->st, &liar, &out), ST_FORBIDDEN); /* the row says clinician */
    assert_int_equal(st_user_list(f->st, &adm, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 5);
    first = json_array_get(j, 0);
    assert_string_equal(jstr(first, "username"), "admin");
    assert_string_equal(jstr(first, "role"), "admin");
    assert_true(json_is_null(json_object_get(first, "patient_id")));
    assert_non_null(json_object_get(first, "created_at"));
    assert_null(json_object_get(first, "password_hash"));
    assert_int_equal(jint(json_array_get(j, 3), "patient_id"), f->p1);
    json_decref(j);
    free(out);
    assert_int_equal(st_user_list(f->st, &cli, &out), ST_OK);
    free(out);
}

static void sessions_are_found_until_they_expire_and_are_deleted_and_purged(void **state)
{
    fx *f = *state;
    st_session s;

    assert_int_equal(st_session_create(f->st, "h1", f->doc, "c1", 1000, 2000), ST_OK);
    assert_int_equal(st_session_create(f->st, "h2", f->pat_user, "c2", 1000, 1500), ST_OK);
    assert_int_equal(st_session_create(f->st, "h1", f->doc, "c3", 1000, 2000), ST_CONFLICT);
    assert_int_equal(st_session_create(f->st, "h9", 4242, "c9", 1000, 2000), ST_NOTFOUND);

    assert_int_equal(st_session_get(f->st, "h1", 1999, &s), ST_OK);
    assert_int_equal(s.user_id, f->doc);
    assert_string_equal(s.username, "dr_who");
    assert_int_equal(s.role, ST_CLINICIAN);
    assert_string_equal(s.csrf_token, "c1");
    assert_int_equal(s.expires_at, 2000);
    assert_int_equal(st_session_get(f->st, "h1", 2000, &s), ST_NOTFOUND);
    assert_int_equal(st_session_get(f->st, "h2", 1200, &s), ST_OK);
    assert_int_equal(s.role, ST_PATIENT);
    assert_int_equal(s.patient_id, f->p1);
    assert_int_equal(st_session_get(f->st, "nope", 1200, &s), ST_NOTFOUND);

    assert_int_equal(st_session_purge(f->st, 1600), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(st_session_delete(f->st, "h1"), ST_OK);
    assert_int_equal(st_session_get(f->st, "h1", 1200, &s), ST_NOTFOUND);
    assert_int_equal(st_session_delete(f->st, "h1"), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 0);
}

static void login_failures_count_only_failures_of_that_name_in_the_window(void **state)
{
    fx *f = *state;
    int n = -1, allowed = 0;
    int64_t attempt = 0;

    /* Each attempt is recorded as a failure when it begins; the one at 250
     * then succeeds. */
    assert_int_equal(st_login_begin(f->st, "ada", 100, 0, 100, &allowed, &attempt), ST_OK);
    assert_true(allowed);
    assert_int_equal(st_login_begin(f->st, "ada", 200, 0, 100, &allowed, &attempt), ST_OK);
    assert_int_equal(st_login_begin(f->st, "ada", 250, 0, 100, &allowed, &attempt), ST_OK);
    assert_int_equal(st_login_succeeded(f->st, attempt), ST_OK);
    assert_int_equal(st_login_begin(f->st, "ada", 300, 0, 100, &allowed, &attempt), ST_OK);
    assert_int_equal(st_login_begin(f->st, "bob", 300, 0, 100, &allowed, &attempt), ST_OK);
    assert_int_equal(st_login_failures(f->st, "ada", 0, &n), ST_OK);
    assert_int_equal(n, 3);
    assert_int_equal(st_login_failures(f->st, "ada", 200, &n), ST_OK);
    assert_int_equal(n, 2);
    assert_int_equal(st_login_failures(f->st, "ada", 301, &n), ST_OK);
    assert_int_equal(n, 0);
    assert_int_equal(st_login_failures(f->st, "nobody", 0, &n), ST_OK);
    assert_int_equal(n, 0);
    /* Purging keeps a day of attempts. */
    assert_int_equal(st_session_purge(f->st, 86400 + 250), ST_OK);
    assert_int_equal(st_login_failures(f->st, "ada", 0, &n), ST_OK);
    assert_int_equal(n, 1);
}

/* --- patients and access ---------------------------------------------------------- */

static void a_clinician_creates_a_patient_and_is_assigned(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0), pat = actor(f->pat_user, ST_PATIENT, f->p1);
    st_actor adm = actor(f->admin, ST_ADMIN, 0), cli = local_actor();
    int64_t id = 0;
    char *out = NULL;
    json_t *j;

    assert_int_equal(st_patient_create(f->st, &doc, "Cy", "male", "1950-01-31", &id), ST_OK);
    assert_int_equal(st_patient_get(f->st, &doc, id, &out), ST_OK);
    j = parse(out);
    assert_int_equal(jint(j, "id"), id);
    assert_string_equal(jstr(j, "display_name"), "Cy");
    assert_string_equal(jstr(j, "sex"), "male");
    assert_string_equal(jstr(j, "birth_date"), "1950-01-31");
    assert_int_equal(json_array_size(json_object_get(j, "clinicians")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "clinicians"), 0)),
                        "dr_who");
    assert_true(json_is_null(json_object_get(j, "last_assessment_at")));
    assert_int_equal(jint(j, "open_alerts"), 0);
    json_decref(j);
    free(out);

    assert_int_equal(st_patient_create(f->st, &pat, "X", "male", NULL, &id), ST_FORBIDDEN);
    assert_int_equal(st_patient_create(f->st, &adm, "X", "male", NULL, &id), ST_FORBIDDEN);
    assert_int_equal(st_patient_create(f->st, &cli, "X", "male", NULL, &id), ST_FORBIDDEN);
    assert_int_equal(st_patient_create(f->st, &doc, "", "male", NULL, &id), ST_INVALID);
    assert_int_equal(st_patient_create(f->st, &doc, "X", "other", NULL, &id), ST_INVALID);
    assert_int_equal(st_patient_create(f->st, &doc, "X", "male", "1950-02-30", &id), ST_INVALID);
    assert_int_equal(st_patient_create(f->st, &doc, "X", "male", "yesterday", &id), ST_INVALID);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients"), 3);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM care_team"), 3);
}

static void each_role_reaches_exactly_its_patients(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0), pat = actor(f->pat_user, ST_PATIENT, f->p1);
    st_actor adm = actor(f->admin, ST_ADMIN, 0);
    st_actor forged = actor(f->pat_user, ST_PATIENT, f->p2); /* claims Bob's record */
    char *out = NULL;
    json_t *j;

    assert_int_equal(st_patient_get(f->st, &doc, f->p1, &out), ST_OK);
    free(out);
    assert_int_equal(st_patient_get(f->st, &doc, f->p2, &out), ST_NOTFOUND);
    assert_null(out);
    assert_int_equal(st_patient_get(f->st, &doc, 4242, &out), ST_NOTFOUND);
    assert_int_equal(st_patient_get(f->st, &pat, f->p1, &out), ST_OK);
    free(out);
    assert_int_equal(st_patient_get(f->st, &pat, f->p2, &out), ST_NOTFOUND);
    assert_int_equal(st_patient_get(f->st, &forged, f->p2, &out), ST_FORBIDDEN);
    assert_int_equal(st_patient_get(f->st, &adm, f->p1, &out), ST_FORBIDDEN);
    assert_int_equal(st_assessment_list(f->st, &adm, f->p1, &out), ST_FORBIDDEN);
    assert_int_equal(st_history(f->st, &adm, f->p1, "2026-01-01", NULL, NULL, &out), ST_FORBIDDEN);

    assert_int_equal(st_patient_list(f->st, &doc, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(jint(json_array_get(j, 0), "id"), f->p1);
    assert_string_equal(jstr(json_array_get(j, 0), "sex"), "female");
    json_decref(j);
    free(out);
    assert_int_equal(st_patient_list(f->st, &pat, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(jint(json_array_get(j, 0), "id"), f->p1);
    json_decref(j);
    free(out);

    /* The admin sees names and care teams, nothing clinical. */
    assert_int_equal(st_patient_list(f->st, &adm, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 2);
    assert_string_equal(jstr(json_array_get(j, 0), "display_name"), "Ada");
    assert_int_equal(json_object_size(json_array_get(j, 0)), 3);
    assert_null(json_object_get(json_array_get(j, 0), "sex"));
    assert_null(json_object_get(json_array_get(j, 0), "birth_date"));
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_array_get(j, 1), "clinicians"), 0)),
        "dr_no");
    json_decref(j);
    free(out);
}

static void an_admin_assigns_and_unassigns_clinicians(void **state)
{
    fx *f = *state;
    st_actor adm = actor(f->admin, ST_ADMIN, 0), doc = actor(f->doc, ST_CLINICIAN, 0);
    char *out = NULL;

    assert_int_equal(st_patient_get(f->st, &doc, f->p2, &out), ST_NOTFOUND);
    assert_int_equal(st_assign(f->st, &doc, "dr_who", f->p2), ST_FORBIDDEN);
    assert_int_equal(st_assign(f->st, &adm, "dr_who", f->p2), ST_OK);
    assert_int_equal(st_assign(f->st, &adm, "dr_who", f->p2), ST_OK); /* already: no change */
    assert_int_equal(st_patient_get(f->st, &doc, f->p2, &out), ST_OK);
    free(out);
    out = NULL;
    assert_int_equal(st_assign(f->st, &adm, "ada", f->p2), ST_INVALID);
    assert_int_equal(st_assign(f->st, &adm, "nobody", f->p2), ST_NOTFOUND);
    assert_int_equal(st_assign(f->st, &adm, "dr_who", 4242), ST_NOTFOUND);
    assert_int_equal(st_unassign(f->st, &adm, "dr_who", f->p2), ST_OK);
    assert_int_equal(st_unassign(f->st, &adm, "dr_who", f->p2), ST_NOTFOUND);
    assert_int_equal(st_patient_get(f->st, &doc, f->p2, &out), ST_NOTFOUND);
    assert_null(out);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM care_team"), 2);
}

/* --- clinical records ---------------------------------------------------------------- */

static void assessments_are_stored_listed_newest_first_and_read_back(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0), pat = actor(f->pat_user, ST_PATIENT, f->p1);
    const char *d1 = "{\"person\": {\"sex\": \"female\", \"age\": 78}, \"x\": 1.50}";
    int64_t a1, a2, a3 = 0;
    char *out = NULL;
    json_t *j, *doc_json;

    a1 = add_assessment(f, f->doc, f->p1, "2026-03-01", d1);
    a2 = add_assessment(f, f->doc, f->p1, "2026-05-01", "{\"person\":{\"age\":79}}");
    assert_int_equal(
        st_assessment_add(f->st, &doc, f->p1, "2026-02-30", "{}", 2, "{}", 2, "0.1.0", NULL, &a3),
        ST_INVALID);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-01", "{nope", 5, "{}", 2,
                                       "0.1.0", NULL, &a3),
                     ST_INVALID);
    assert_int_equal(
        st_assessment_add(f->st, &doc, f->p2, "2026-02-01", "{}", 2, "{}", 2, "0.1.0", NULL, &a3),
        ST_NOTFOUND);
    assert_int_equal(
        st_assessment_add(f->st, &pat, f->p1, "2026-02-01", "{}", 2, "{}", 2, "0.1.0", NULL, &a3),
        ST_OK); /* a self-assessment */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), 3);

    assert_int_equal(st_assessment_list(f->st, &pat, f->p1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 3);
    assert_int_equal(jint(json_array_get(j, 0), "id"), a2);
    assert_int_equal(jint(json_array_get(j, 1), "id"), a1);
    assert_int_equal(jint(json_array_get(j, 2), "id"), a3);
    assert_string_equal(jstr(json_array_get(j, 0), "measured_on"), "2026-05-01");
    assert_string_equal(jstr(json_array_get(j, 0), "created_by"), "dr_who");
    assert_string_equal(jstr(json_array_get(j, 2), "created_by"), "ada");
    assert_string_equal(jstr(json_array_get(j, 0), "engine_version"), "0.1.0");
    assert_string_equal(jstr(json_array_get(j, 0), "triage_level"), "routine");
    assert_null(json_object_get(json_array_get(j, 0), "document"));
    json_decref(j);
    free(out);

    assert_int_equal(st_assessment_get(f->st, &doc, f->p1, a1, &out), ST_OK);
    j = parse(out);
    doc_json = json_object_get(j, "document");
    assert_true(json_is_object(doc_json));
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(doc_json, "person"), "age")), 78);
    assert_true(json_is_object(json_object_get(j, "result")));
    json_decref(j);
    free(out);
    out = NULL;
    assert_int_equal(st_assessment_get(f->st, &doc, f->p2, a1, &out), ST_NOTFOUND);
    assert_int_equal(st_assessment_get(f->st, &doc, f->p1, 4242, &out), ST_NOTFOUND);
    assert_null(out);

    /* The patient list shows the latest by the date measured. */
    assert_int_equal(st_patient_get(f->st, &doc, f->p1, &out), ST_OK);
    j = parse(out);
    assert_string_equal(jstr(j, "last_assessment_at"), "2026-05-01");
    assert_string_equal(jstr(j, "triage_level"), "routine");
    json_decref(j);
    free(out);
}

static void sessions_and_checkins_are_stored_and_listed(void **state)
{
    fx *f = *state;
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1), doc = actor(f->doc, ST_CLINICIAN, 0);
    const char *s1 = "{\"date\":\"2026-03-03\",\"effort\":6,\"pain\":2,\"exercises\":[]}";
    const char *c1 = "{\"date\":\"2026-03-04\",\"pain\":1,\"fall\":true,\"note\":\"tripped\"}";
    int64_t sid = 0, cid = 0, bad = 0;
    char *out = NULL;
    json_t *j;

    assert_int_equal(st_exsession_add(f->st, &pat, f->p1, "2026-03-03", s1, strlen(s1), &sid),
                     ST_OK);
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-04", c1, strlen(c1), &cid), ST_OK);
    assert_int_equal(st_checkin_add(f->st, &pat, f->p2, "2026-03-04", c1, strlen(c1), &bad),
                     ST_NOTFOUND);
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-04", "[1]", 3, &bad), ST_INVALID);
    assert_int_equal(st_exsession_add(f->st, &pat, f->p1, "March", s1, strlen(s1), &bad),
                     ST_INVALID);

    assert_int_equal(st_exsession_list(f->st, &doc, f->p1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(jint(json_array_get(j, 0), "id"), sid);
    assert_int_equal(jint(json_array_get(j, 0), "effort"), 6);
    assert_string_equal(jstr(json_array_get(j, 0), "created_by"), "ada");
    json_decref(j);
    free(out);
    assert_int_equal(st_checkin_list(f->st, &doc, f->p1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(jint(json_array_get(j, 0), "id"), cid);
    assert_true(json_is_true(json_object_get(json_array_get(j, 0), "fall")));
    assert_string_equal(jstr(json_array_get(j, 0), "note"), "tripped");
    json_decref(j);
    free(out);
    assert_int_equal(st_checkin_list(f->st, &doc, f->p2, &out), ST_NOTFOUND);
}

/* The SQL definition st_history_since had (version 2 of the store), kept here
 * as the reference the C builder in records.c must agree with. */
/* clang-format off */
#define REF_SINCE_KEEP                                                                             \
    "keep AS (SELECT id FROM assessments WHERE patient_id = ?1 AND measured_on > ?3"               \
    " UNION SELECT id FROM assessments WHERE patient_id = ?1 AND measured_on = ?3 AND id >= ?4"    \
    " UNION SELECT id FROM (SELECT id FROM assessments WHERE patient_id = ?1"                      \
    "   AND (measured_on, id) < (?3, ?4) ORDER BY measured_on DESC, id DESC LIMIT 1)"              \
    " UNION SELECT id FROM (SELECT id FROM assessments WHERE patient_id = ?1"                      \
    "   ORDER BY measured_on DESC, id DESC LIMIT 2)),"                                             \
    "start AS (SELECT min(d) AS d FROM (SELECT measured_on AS d FROM assessments"                  \
    "   WHERE id IN (SELECT id FROM keep) UNION ALL SELECT ?3"                                     \
    "   UNION ALL SELECT date(?2, '-28 days')))"
static const char ref_history_since_sql[] =
    "WITH " REF_SINCE_KEEP " SELECT json_object('today', ?2,"
    " 'assessments', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
    "   'id', 'a' || a.id, 'date', a.measured_on, 'document', json(a.document)) AS j"
    "   FROM assessments a WHERE a.id IN (SELECT id FROM keep)"
    "   ORDER BY a.measured_on, a.id))),"
    " 'sessions', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 's' || r.id, '$.date', r.date) AS j"
    "   FROM exercise_sessions r WHERE r.patient_id = ?1 AND r.date >= (SELECT d FROM start)"
    "   ORDER BY r.date, r.id))),"
    " 'checkins', json((SELECT json_group_array(json(j)) FROM (SELECT"
    "   json_set(r.data, '$.id', 'c' || r.id, '$.date', r.date) AS j"
    "   FROM checkins r WHERE r.patient_id = ?1 AND (r.date >= (SELECT d FROM start)"
    "   OR 'fall:c' || r.id IN (SELECT l.key FROM alerts l WHERE l.patient_id = ?1"
    "     AND l.cleared_at IS NULL))"
    "   ORDER BY r.date, r.id))),"
    " 'cleared', json((SELECT json_group_array(key) FROM (SELECT l.key FROM alerts l"
    "   WHERE l.patient_id = ?1 AND l.cleared_at IS NOT NULL ORDER BY l.key))))";
/* clang-format on */

static json_t *ref_history_since(const char *path, int64_t pid, const char *today,
                                 const char *date, int64_t aid)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    json_t *j = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, ref_history_since_sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_text(s, 2, today, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, aid > 0 ? aid : INT64_MAX);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    j = parse((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return j;
}

/* st_history_since is built in C from plain queries (records.c); it must be
 * the document the SQL definition gave, over a history with visits on the same
 * day, sessions inside and outside the window, stored objects that already
 * carry "id" and "date", an open and a cleared fall, and escaped text. */
static void history_since_agrees_with_its_sql_definition(void **state)
{
    fx *f = *state;
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1), doc = actor(f->doc, ST_CLINICIAN, 0);
    static const char *const days[] = {"2025-11-02", "2026-01-10", "2026-01-10", "2026-02-20",
                                       "2026-03-01", "2026-03-01", "2026-03-01", "2026-04-15",
                                       "2026-04-16", "2026-04-17"};
    const char *sess[] = {"{\"date\":\"2025-12-01\",\"effort\":5}",
                          "{\"id\":\"x\",\"date\":\"2026-02-25\",\"note\":\"a \\\"quoted\\\" \\u00e9\"}",
                          "{\"effort\":7,\"date\":\"2026-03-26\"}",
                          "{\"date\":\"2026-04-14\",\"pain\":2}"};
    const char *chk[] = {"{\"date\":\"2025-10-01\",\"fall\":true}",
                         "{\"date\":\"2025-10-05\",\"fall\":true}",
                         "{\"date\":\"2026-03-02\",\"pain\":4}"};
    int64_t aids[10], cids[3], id, alert_id;
    char key1[32], key2[32], *out = NULL;
    st_alert al[2] = {{key1, "fall", "review", "2025-10-01", "A fall.", "TRACKING"},
                      {key2, "fall", "review", "2025-10-05", "A fall.", "TRACKING"}};
    struct {
        const char *today, *date;
        int a; /* index into aids, or -1 for a session or check-in */
    } cases[] = {{"2026-04-20", "2026-04-15", 7}, {"2026-04-20", "2026-03-01", 5},
                 {"2026-04-20", "2026-03-01", 4}, {"2026-04-20", "2026-03-01", -1},
                 {"2026-04-20", "2026-01-10", 1}, {"2026-04-20", "2025-11-02", 0},
                 {"2026-04-20", "2025-06-01", -1}, {"2026-05-30", "2026-05-30", -1},
                 {"2026-04-20", "2026-04-17", 9},  {"2026-04-20", "2026-04-16", -1},
                 {"2026-03-05", "2026-02-20", 3}, {"2026-04-20", "2026-01-10", -1},
                 /* the four weeks' edge: the 2026-03-26 session is 28 days before, then 29 */
                 {"2026-04-23", "2026-04-23", -1}, {"2026-04-24", "2026-04-24", -1}};
    size_t i;
    int ins = 0;

    for (i = 0; i < 10; i++) {
        char d[64];
        snprintf(d, sizeof(d), "{\"visit\":%d, \"t\" : \"tab\\there\"}", (int)i);
        aids[i] = add_assessment(f, f->doc, f->p1, days[i], d);
    }
    add_assessment(f, f->doc2, f->p2, "2026-03-01", "{\"other\":1}");
    for (i = 0; i < 4; i++)
        assert_int_equal(st_exsession_add(f->st, &pat, f->p1, i == 1 ? "2026-02-25"
                                                               : i == 0 ? "2025-12-01"
                                                               : i == 2 ? "2026-03-26"
                                                                        : "2026-04-14",
                                          sess[i], strlen(sess[i]), &id),
                         ST_OK);
    for (i = 0; i < 3; i++)
        assert_int_equal(st_checkin_add(f->st, &pat, f->p1, i == 0 ? "2025-10-01"
                                                            : i == 1 ? "2025-10-05"
                                                                     : "2026-03-02",
                                        chk[i], strlen(chk[i]), &cids[i]),
                         ST_OK);
    snprintf(key1, sizeof(key1), "fall:c%lld", (long long)cids[0]);
    snprintf(key2, sizeof(key2), "fall:c%lld", (long long)cids[1]);
    assert_int_equal(st_alerts_raise(f->st, &pat, f->p1, al, 2, &ins), ST_OK);
    alert_id = raw_int(f->path, "SELECT id FROM alerts WHERE key = (SELECT min(key) FROM alerts)");
    assert_int_equal(st_alert_clear(f->st, &doc, alert_id), ST_OK); /* one open, one cleared */

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t aid = cases[i].a >= 0 ? aids[cases[i].a] : 0;
        json_t *want = ref_history_since(f->path, f->p1, cases[i].today, cases[i].date, aid), *got;
        assert_int_equal(
            st_history_since(f->st, &doc, f->p1, cases[i].today, cases[i].date, aid, &out), ST_OK);
        got = parse(out);
        if (!json_equal(want, got)) {
            char *w = json_dumps(want, JSON_SORT_KEYS), *g = json_dumps(got, JSON_SORT_KEYS);
            fail_msg("case %zu (%s, %s, %d):\nwant %s\ngot  %s", i, cases[i].today,
                     cases[i].date, cases[i].a, w, g);
        }
        json_decref(want);
        json_decref(got);
        free(out);
        out = NULL;
    }
}

static void history_is_the_tracking_document_oldest_first(void **state)
{
    fx *f = *state;
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1), doc = actor(f->doc, ST_CLINICIAN, 0);
    const char *s = "{\"date\":\"2026-03-03\",\"effort\":6,\"pain\":2}";
    const char *c = "{\"date\":\"2026-02-10\",\"pain\":3,\"fall\":false}";
    st_alert al[] = {{"fall:c1", "fall", "review", "2026-02-10", "A fall.", "TRACKING"},
                     {"pain:s1", "pain", "review", "2026-03-03", "Pain.", "TRACKING"}};
    int64_t a1, a2, sid = 0, cid = 0, aid;
    char *out = NULL, key[32];
    json_t *j, *arr;
    int ins = 0;

    a2 = add_assessment(f, f->doc, f->p1, "2026-04-01", "{\"n\":2}");
    a1 = add_assessment(f, f->doc, f->p1, "2026-01-01", "{\"n\":1}");
    assert_int_equal(st_exsession_add(f->st, &pat, f->p1, "2026-03-03", s, strlen(s), &sid), ST_OK);
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-02-10", c, strlen(c), &cid), ST_OK);
    assert_int_equal(st_alerts_raise(f->st, &pat, f->p1, al, 2, &ins), ST_OK);
    aid = raw_int(f->path, "SELECT id FROM alerts WHERE key = 'fall:c1'");
    assert_int_equal(st_alert_clear(f->st, &doc, aid), ST_OK);

    assert_int_equal(st_history(f->st, &doc, f->p1, "2026-05-01", NULL, NULL, &out), ST_OK);
    j = parse(out);
    assert_string_equal(jstr(j, "today"), "2026-05-01");
    assert_null(json_object_get(j, "sex"));
    arr = json_object_get(j, "assessments");
    assert_int_equal(json_array_size(arr), 2);
    snprintf(key, sizeof(key), "a%lld", (long long)a1);
    assert_string_equal(jstr(json_array_get(arr, 0), "id"), key);
    assert_string_equal(jstr(json_array_get(arr, 0), "date"), "2026-01-01");
    assert_int_equal(json_integer_value(
                         json_object_get(json_object_get(json_array_get(arr, 0), "document"), "n")),
                     1);
    snprintf(key, sizeof(key), "a%lld", (long long)a2);
    assert_string_equal(jstr(json_array_get(arr, 1), "id"), key);
    arr = json_object_get(j, "sessions");
    assert_int_equal(json_array_size(arr), 1);
    snprintf(key, sizeof(key), "s%lld", (long long)sid);
    assert_string_equal(jstr(json_array_get(arr, 0), "id"), key);
    assert_int_equal(jint(json_array_get(arr, 0), "effort"), 6);
    arr = json_object_get(j, "checkins");
    snprintf(key, sizeof(key), "c%lld", (long long)cid);
    assert_string_equal(jstr(json_array_get(arr, 0), "id"), key);
    assert_string_equal(jstr(json_array_get(arr, 0), "date"), "2026-02-10");
    arr = json_object_get(j, "cleared");
    assert_int_equal(json_array_size(arr), 1);
    assert_string_equal(json_string_value(json_array_get(arr, 0)), "fall:c1");
    json_decref(j);
    free(out);

    /* A window keeps the records inside it, and the cleared keys. */
    assert_int_equal(st_history(f->st, &doc, f->p1, "2026-05-01", "2026-02-01", "2026-03-31", &out),
                     ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(json_object_get(j, "assessments")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "sessions")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "checkins")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "cleared")), 1);
    json_decref(j);
    free(out);
    assert_int_equal(st_history(f->st, &doc, f->p2, "2026-05-01", NULL, NULL, &out), ST_NOTFOUND);
}

/* --- alerts --------------------------------------------------------------------------- */

static void alerts_are_deduplicated_by_key_and_listed_open_and_red_flags_first(void **state)
{
    fx *f = *state;
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1), doc = actor(f->doc, ST_CLINICIAN, 0);
    st_actor adm = actor(f->admin, ST_ADMIN, 0), doc2 = actor(f->doc2, ST_CLINICIAN, 0);
    st_alert first[] = {{"pain:s1", "pain", "review", "2026-03-01", "Pain 8/10.", "TRACKING"},
                        {"fall:c2", "fall", "review", "2026-03-05", "A fall.", "TRACKING"}};
    st_alert again[] = {{"fall:c2", "fall", "review", "2026-03-05", "A fall.", "TRACKING"},
                        {"red_flag:c3", "red_flag", "urgent", "2026-03-02", "Weakness.", "T"},
                        {"decline:grip:a4", "decline", "review", "2026-03-09", NULL, NULL}};
    st_alert bob[] = {{"fall:c9", "fall", "review", "2026-03-05", "A fall.", "TRACKING"}};
    int ins = -1;
    int64_t pain_id;
    char *out = NULL;
    json_t *j;

    assert_int_equal(st_alerts_raise(f->st, &pat, f->p1, first, 2, &ins), ST_OK);
    assert_int_equal(ins, 2);
    assert_int_equal(st_alerts_raise(f->st, &doc, f->p1, again, 3, &ins), ST_OK);
    assert_int_equal(ins, 2);
    assert_int_equal(st_alerts_raise(f->st, &doc, f->p2, bob, 1, &ins), ST_NOTFOUND);
    assert_int_equal(st_alerts_raise(f->st, &doc2, f->p2, bob, 1, &ins), ST_OK);
    assert_int_equal(st_alerts_raise(f->st, &adm, f->p1, bob, 1, &ins), ST_FORBIDDEN);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alerts"), 5);

    pain_id = raw_int(f->path, "SELECT id FROM alerts WHERE key = 'pain:s1'");
    assert_int_equal(st_alert_clear(f->st, &pat, pain_id), ST_FORBIDDEN);
    assert_int_equal(st_alert_clear(f->st, &adm, pain_id), ST_FORBIDDEN);
    assert_int_equal(st_alert_clear(f->st, &doc2, pain_id), ST_NOTFOUND);
    assert_int_equal(st_alert_clear(f->st, &doc, 4242), ST_NOTFOUND);
    assert_int_equal(st_alert_clear(f->st, &doc, pain_id), ST_OK);
    assert_int_equal(st_alert_clear(f->st, &doc, pain_id), ST_CONFLICT);

    assert_int_equal(st_alert_list(f->st, &doc, 0, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 4); /* Bob's is not dr_who's */
    assert_string_equal(jstr(json_array_get(j, 0), "key"), "red_flag:c3");
    assert_string_equal(jstr(json_array_get(j, 0), "level"), "urgent");
    assert_string_equal(jstr(json_array_get(j, 0), "patient"), "Ada");
    assert_string_equal(jstr(json_array_get(j, 1), "key"), "decline:grip:a4"); /* newest open */
    assert_string_equal(jstr(json_array_get(j, 1), "explanation"), "");
    assert_true(json_is_null(json_object_get(json_array_get(j, 1), "source")));
    assert_string_equal(jstr(json_array_get(j, 2), "key"), "fall:c2");
    assert_string_equal(jstr(json_array_get(j, 3), "key"), "pain:s1"); /* cleared: last */
    assert_string_equal(jstr(json_array_get(j, 3), "cleared_by"), "dr_who");
    assert_true(json_is_string(json_object_get(json_array_get(j, 3), "cleared_at")));
    assert_true(json_is_null(json_object_get(json_array_get(j, 0), "cleared_at")));
    json_decref(j);
    free(out);

    assert_int_equal(st_alert_list(f->st, &pat, f->p1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 4);
    json_decref(j);
    free(out);
    out = NULL;
    assert_int_equal(st_alert_list(f->st, &pat, f->p2, &out), ST_NOTFOUND);
    assert_int_equal(st_alert_list(f->st, &adm, 0, &out), ST_FORBIDDEN);
    assert_null(out);

    assert_int_equal(st_alert_get(f->st, &doc, pain_id, &out), ST_OK);
    j = parse(out);
    assert_int_equal(jint(j, "id"), pain_id);
    assert_int_equal(jint(j, "patient_id"), f->p1);
    json_decref(j);
    free(out);
    out = NULL;
    assert_int_equal(st_alert_get(f->st, &doc2, pain_id, &out), ST_NOTFOUND);
    assert_int_equal(st_alert_get(f->st, &adm, pain_id, &out), ST_FORBIDDEN);

    /* The patient list puts patients with open alerts first. */
    assert_int_equal(st_patient_get(f->st, &doc, f->p1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(jint(j, "open_alerts"), 3);
    json_decref(j);
    free(out);
}

/* --- audit ------------------------------------------------------------------------------ */

/* Each call below must add exactly the audit rows named, whoever asks. */
static void every_read_and_write_of_patient_data_is_audited(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0), pat = actor(f->pat_user, ST_PATIENT, f->p1);
    st_actor adm = actor(f->admin, ST_ADMIN, 0), cli = local_actor();
    st_alert al[] = {{"fall:c1", "fall", "review", "2026-03-05", "A fall.", "TRACKING"}};
    const char *c = "{\"pain\":1}";
    int64_t before, id = 0, aid, pid = 0;
    char *out = NULL;
    int ins;

#define AUDITED(n, call)                                                                           \
    do {                                                                                           \
        before = audit_rows(f);                                                                    \
        assert_int_equal((call), ST_OK);                                                           \
        free(out);                                                                                 \
        out = NULL;                                                                                \
        if (audit_rows(f) != before + (n))                                                         \
            fail_msg("%s: %lld audit rows, expected %d", #call,                                    \
                     (long long)(audit_rows(f) - before), (n));                                    \
    } while (0)

    AUDITED(1, st_patient_create(f->st, &doc, "Cy", "male", NULL, &pid));
    AUDITED(2, st_patient_list(f->st, &doc, &out)); /* Ada and Cy */
    AUDITED(3, st_patient_list(f->st, &adm, &out)); /* every patient's name */
    AUDITED(1, st_patient_get(f->st, &pat, f->p1, &out));
    id = add_assessment(f, f->doc, f->p1, "2026-03-01", "{}");
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE object = 'assessment'"
                                      " AND action = 'write'"),
                     1);
    AUDITED(1, st_assessment_list(f->st, &doc, f->p1, &out));
    AUDITED(1, st_assessment_get(f->st, &doc, f->p1, id, &out));
    AUDITED(1, st_checkin_add(f->st, &pat, f->p1, "2026-03-02", c, strlen(c), &id));
    AUDITED(1, st_checkin_list(f->st, &pat, f->p1, &out));
    AUDITED(1, st_exsession_add(f->st, &pat, f->p1, "2026-03-02", c, strlen(c), &id));
    AUDITED(1, st_exsession_list(f->st, &doc, f->p1, &out));
    AUDITED(1, st_history(f->st, &doc, f->p1, "2026-04-01", NULL, NULL, &out));
    AUDITED(1, st_alerts_raise(f->st, &pat, f->p1, al, 1, &ins));
    AUDITED(0, st_alerts_raise(f->st, &pat, f->p1, al, 1, &ins)); /* nothing new */
    AUDITED(1, st_alert_list(f->st, &doc, f->p1, &out));
    AUDITED(1, st_alert_list(f->st, &doc, 0, &out)); /* only Ada has alerts */
    aid = raw_int(f->path, "SELECT id FROM alerts");
    AUDITED(1, st_alert_get(f->st, &doc, aid, &out));
    AUDITED(1, st_alert_clear(f->st, &doc, aid));
    AUDITED(1, st_assign(f->st, &adm, "dr_no", f->p1));
    AUDITED(1, st_unassign(f->st, &adm, "dr_no", f->p1));
    AUDITED(1, st_export_patient(f->st, &cli, f->p1, &out));
    AUDITED(0, st_audit_list(f->st, &adm, 0, 10, &out)); /* not patient data */
#undef AUDITED

    /* Refused access writes nothing, not even an audit row. */
    before = audit_rows(f);
    assert_int_equal(st_patient_get(f->st, &doc, f->p2, &out), ST_NOTFOUND);
    assert_int_equal(audit_rows(f), before);

    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE user = 'cli'"
                                      " AND object = 'export' AND user_id IS NULL"),
                     1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE user = 'ada'"
                                      " AND action = 'write' AND object = 'checkin'"),
                     1);
}

static void the_audit_trail_is_listed_for_admins_and_cannot_be_rewritten(void **state)
{
    fx *f = *state;
    st_actor adm = actor(f->admin, ST_ADMIN, 0), doc = actor(f->doc, ST_CLINICIAN, 0);
    char *out = NULL;
    sqlite3 *db = NULL;
    json_t *j;

    assert_int_equal(st_patient_get(f->st, &doc, f->p1, &out), ST_OK);
    free(out);
    assert_int_equal(st_audit_list(f->st, &doc, 0, 10, &out), ST_FORBIDDEN);
    assert_int_equal(st_audit_list(f->st, &adm, f->p1, 1, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(jstr(json_array_get(j, 0), "user"), "dr_who");
    assert_string_equal(jstr(json_array_get(j, 0), "action"), "read");
    assert_string_equal(jstr(json_array_get(j, 0), "object"), "patient");
    assert_int_equal(jint(json_array_get(j, 0), "patient_id"), f->p1);
    json_decref(j);
    free(out);
    assert_int_equal(st_audit_list(f->st, &adm, f->p2, 100, &out), ST_OK);
    j = parse(out);
    assert_int_equal(json_array_size(j), 1); /* dr_no created Bob */
    assert_string_equal(jstr(json_array_get(j, 0), "action"), "write");
    json_decref(j);
    free(out);

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET user = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
    assert_true(audit_rows(f) >= 3);
}

/* --- hostile values ------------------------------------------------------------------- */

static void sql_metacharacters_and_unicode_are_stored_verbatim(void **state)
{
    fx *f = *state;
    static const char *const names[] = {"'; DROP TABLE users; --", "O'Brien \"Jr\" \\ %_ ?1",
                                        "Zoë Ægir 東京 🌿", "Robert'); DELETE FROM patients;--"};
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    char note[256], *out = NULL;
    int64_t pid = 0, cid = 0, uid;
    st_user u;
    json_t *j;
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        assert_int_equal(st_patient_create(f->st, &doc, names[i], "female", NULL, &pid), ST_OK);
        assert_int_equal(st_patient_get(f->st, &doc, pid, &out), ST_OK);
        j = parse(out);
        assert_string_equal(jstr(j, "display_name"), names[i]);
        json_decref(j);
        free(out);

        uid = add_user(f->st, names[i], ST_PATIENT, pid);
        assert_int_equal(st_user_get(f->st, names[i], &u), ST_OK);
        assert_int_equal(u.id, uid);
        assert_string_equal(u.username, names[i]);

        j = json_pack("{s:s, s:i}", "note", names[i], "pain", 1);
        out = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        snprintf(note, sizeof(note), "%s", out);
        free(out);
        assert_int_equal(st_checkin_add(f->st, &doc, pid, "2026-01-02", note, strlen(note), &cid),
                         ST_OK);
        assert_int_equal(st_checkin_list(f->st, &doc, pid, &out), ST_OK);
        j = parse(out);
        assert_string_equal(jstr(json_array_get(j, 0), "note"), names[i]);
        json_decref(j);
        free(out);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 5 + 4);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients"), 2 + 4);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* --- failures on purpose ------------------------------------------------------------------ */

static void a_full_database_fails_with_st_full_and_writes_nothing(void **state)
{
    fx *f = *state;
    st_options opt = {2, 1000, 0, 1, NULL, NULL};
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    int64_t before_a, before_audit, pages, psize, id = 0;
    size_t big = 2 * 1024 * 1024, i;
    char *doc_text = malloc(big + 16);

    assert_non_null(doc_text);
    add_assessment(f, f->doc, f->p1, "2026-01-01", "{\"small\":true}");
    st_close(f->st);
    f->st = NULL;
    pages = raw_int(f->path, "PRAGMA page_count");
    psize = raw_int(f->path, "PRAGMA page_size");
    opt.max_db_bytes = (pages + 8) * psize; /* room for small writes, not for 2 MB */
    assert_int_equal(open_store(f, &opt), ST_OK);

    before_a = raw_int(f->path, "SELECT count(*) FROM assessments");
    before_audit = audit_rows(f);
    memcpy(doc_text, "{\"pad\":\"", 8);
    for (i = 8; i < big + 8; i++)
        doc_text[i] = (char)('a' + i % 26);
    memcpy(doc_text + big + 8, "\"}", 3);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-01", doc_text, strlen(doc_text),
                                       "{}", 2, "0.1.0", NULL, &id),
                     ST_FULL);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), before_a);
    assert_int_equal(audit_rows(f), before_audit);
    assert_int_equal(st_check(f->st), ST_OK);
    /* A small write still fits. */
    assert_int_equal(
        st_assessment_add(f->st, &doc, f->p1, "2026-02-01", "{}", 2, "{}", 2, "0.1.0", NULL, &id),
        ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), before_a + 1);
    free(doc_text);
}

/* Filled with records up to its limit, the store keeps the last pages for the
 * audit trail: reads, each committing its audit row, go on being answered,
 * and records stay refused. */
static void a_full_database_still_answers_reads(void **state)
{
    fx *f = *state;
    st_options opt = {2, 1000, 0, 1, NULL, NULL};
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    char d[160], *out = NULL;
    int64_t pages, psize, id = 0, last = 0, audit;
    int i, rc = ST_OK;

    st_close(f->st);
    f->st = NULL;
    pages = raw_int(f->path, "PRAGMA page_count");
    psize = raw_int(f->path, "PRAGMA page_size");
    opt.max_db_bytes = (pages + 40) * psize; /* a reserve of 8 pages */
    assert_int_equal(open_store(f, &opt), ST_OK);
    for (i = 0; i < 100000 && rc == ST_OK; i++) {
        snprintf(d, sizeof(d), "{\"n\":%d,\"pad\":\"%0100d\"}", i, i);
        rc = st_assessment_add(f->st, &doc, f->p1, "2026-02-01", d, strlen(d), "{}", 2, "0.1.0",
                               NULL, &id);
        if (rc == ST_OK)
            last = id;
    }
    assert_int_equal(rc, ST_FULL);
    assert_true(last > 0);
    audit = audit_rows(f);
    for (i = 0; i < 300; i++) {
        if (st_assessment_get(f->st, &doc, f->p1, last, &out) != ST_OK)
            fail_msg("read %d after the store filled: %s", i, st_errmsg());
        free(out);
        out = NULL;
    }
    assert_int_equal(audit_rows(f), audit + 300);
    assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-02-01", d, strlen(d), "{}", 2,
                                       "0.1.0", NULL, &id),
                     ST_FULL);
    assert_true(raw_int(f->path, "PRAGMA page_count") <= pages + 40);
    assert_int_equal(st_check(f->st), ST_OK);
}

static void a_locked_database_fails_with_st_busy_and_writes_nothing(void **state)
{
    fx *f = *state;
    st_options opt = {2, 100, 0, 0, NULL, NULL};
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    int64_t before_p, before_audit, id = 0;
    char *out = NULL;
    sqlite3 *db = NULL;

    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, &opt), ST_OK);
    before_p = raw_int(f->path, "SELECT count(*) FROM patients");
    before_audit = audit_rows(f);

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(st_patient_create(f->st, &doc, "Dee", "female", NULL, &id), ST_BUSY);
    assert_int_equal(st_patient_get(f->st, &doc, f->p1, &out), ST_BUSY); /* its audit row waits */
    assert_null(out);
    assert_non_null(strstr(st_errmsg(), "locked"));
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients"), before_p);
    assert_int_equal(audit_rows(f), before_audit);
    assert_int_equal(st_patient_create(f->st, &doc, "Dee", "female", NULL, &id), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients"), before_p + 1);
}

/* --- the group commit of writes -------------------------------------------------------- */

/* Jobs of a batch run by st__write_batch directly: each inserts one audit-free
 * row of its own (a patient, by SQL on the writer connection) unless told to
 * break a constraint; one checks that it runs inside the batch's transaction
 * and sees the rows of the jobs before it. */
typedef struct batch_arg {
    const char *name; /* NULL: violate the sex CHECK */
    int64_t seen;     /* patients named 'Batch%' visible when the job ran */
    int in_txn;
} batch_arg;

static int batch_run(sqlite3 *db, void *arg)
{
    batch_arg *b = arg;
    sqlite3_stmt *s = NULL;
    int rc;

    b->in_txn = !sqlite3_get_autocommit(db);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*) FROM patients WHERE display_name LIKE 'Batch%'",
                           -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    b->seen = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (!b->name) /* a first write that succeeds, then one that fails */
        assert_int_equal(sqlite3_exec(db,
                                      "INSERT INTO patients (display_name, sex, created_at)"
                                      " VALUES ('Batch partial', 'male', '2026-01-01T00:00:00Z')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO patients (display_name, sex, created_at, created_by)"
                            " VALUES (?1, ?2, '2026-01-01T00:00:00Z', NULL)",
                            -1, &s, NULL);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_bind_text(s, 1, b->name ? b->name : "Batch broken", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, b->name ? "female" : "neither", -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? ST_OK : st__error(ST_INVALID, "the job broke a CHECK");
}

/* One batch, one transaction: the job that fails is rolled back alone (its
 * SAVEPOINT), the jobs before and after it commit, and each job sees the
 * writes of those before it. */
static void a_failing_job_in_a_batch_is_rolled_back_alone(void **state)
{
    fx *f = *state;
    batch_arg a[4] = {{"Batch one", 0, 0}, {NULL, 0, 0}, {"Batch three", 0, 0}, {"Batch four", 0, 0}};
    st__job j[4];
    int i;

    memset(j, 0, sizeof(j));
    for (i = 0; i < 4; i++) {
        j[i].run = batch_run;
        j[i].arg = &a[i];
        j[i].next = i < 3 ? &j[i + 1] : NULL;
    }
    st__write_batch(f->st, &j[0]);
    assert_int_equal(j[0].rc, ST_OK);
    assert_int_equal(j[1].rc, ST_INVALID);
    assert_non_null(strstr(j[1].msg, "CHECK"));
    assert_int_equal(j[2].rc, ST_OK);
    assert_int_equal(j[3].rc, ST_OK);
    for (i = 0; i < 4; i++)
        assert_true(a[i].in_txn);
    assert_int_equal(a[0].seen, 0);
    assert_int_equal(a[1].seen, 1);
    assert_int_equal(a[2].seen, 1); /* the broken job's first row is gone */
    assert_int_equal(a[3].seen, 2);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients WHERE display_name LIKE 'Batch%'"),
                     3);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM patients WHERE sex = 'neither'"), 0);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* Through the public calls: while another connection holds the write lock,
 * writers of several threads queue up behind the first (which waits in
 * BEGIN IMMEDIATE), so they commit as one batch once it is released. One of
 * them sends a document that is not JSON: it alone fails (ST_INVALID), and
 * every other assessment is stored, with its audit row, after a reopen. */
typedef struct adder {
    st_store *st;
    st_actor who;
    int64_t pid, id;
    const char *doc;
    int rc;
} adder;

static void *adder_run(void *arg)
{
    adder *a = arg;

    a->rc = st_assessment_add(a->st, &a->who, a->pid, "2026-02-01", a->doc, strlen(a->doc), "{}",
                              2, "0.1.0", "routine", &a->id);
    return NULL;
}

static void a_batch_of_writes_commits_all_but_the_failing_one_with_their_audit_rows(void **state)
{
    fx *f = *state;
    adder ad[6];
    pthread_t t[6];
    sqlite3 *db = NULL;
    int64_t before_audit = audit_rows(f), n_ok = 0,
            before_a = raw_int(f->path, "SELECT count(*) FROM assessments");
    char sql[160];
    int i;

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    for (i = 0; i < 6; i++) {
        ad[i].st = f->st;
        ad[i].who = actor(f->doc, ST_CLINICIAN, 0);
        ad[i].pid = f->p1;
        ad[i].id = 0;
        ad[i].doc = i == 3 ? "{not json" : "{\"n\":1}";
        ad[i].rc = -99;
        assert_int_equal(pthread_create(&t[i], NULL, adder_run, &ad[i]), 0);
    }
    {
        struct timespec pause = {0, 300 * 1000 * 1000};
        nanosleep(&pause, NULL); /* let them queue (the outcome does not depend on it) */
    }
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    for (i = 0; i < 6; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);

    st_close(f->st); /* what was acknowledged is on disk */
    f->st = NULL;
    assert_int_equal(open_store(f, NULL), ST_OK);
    for (i = 0; i < 6; i++) {
        if (i == 3) {
            assert_int_equal(ad[i].rc, ST_INVALID);
            continue;
        }
        assert_int_equal(ad[i].rc, ST_OK);
        n_ok++;
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM assessments WHERE id = %lld",
                 (long long)ad[i].id);
        assert_int_equal(raw_int(f->path, sql), 1);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM audit WHERE action = 'write' AND object = 'assessment'"
                 " AND object_id = %lld",
                 (long long)ad[i].id);
        assert_int_equal(raw_int(f->path, sql), 1);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), before_a + n_ok);
    assert_int_equal(audit_rows(f), before_audit + n_ok);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* --- alerts raised with their record ---------------------------------------------------- */

/* A hook standing in for the tracking engine: it raises one alert keyed by
 * the newest check-in in the history it is given, and checks that history is
 * the st_history_since document (the new record inside). hook_fail makes it
 * refuse, as a tracking bug would. */
static int hook_fail;
static char hook_key[64];
static const st_alert hook_alert = {hook_key, "fall", "review", "2026-03-09", "a fall", "TRACKING"};

static int hook_raise(const char *history, size_t len, const st_alert **alerts, int *n,
                      void **handle)
{
    json_error_t je;
    json_t *h = json_loadb(history, len, 0, &je), *c;
    size_t k;

    *handle = NULL;
    *alerts = NULL;
    *n = 0;
    if (!h || hook_fail) {
        json_decref(h);
        return ST_ERROR;
    }
    hook_key[0] = '\0';
    json_array_foreach(json_object_get(h, "checkins"), k, c) snprintf(
        hook_key, sizeof(hook_key), "fall:%s", json_string_value(json_object_get(c, "id")));
    json_decref(h);
    if (hook_key[0]) {
        *alerts = &hook_alert;
        *n = 1;
    }
    return ST_OK;
}

static void alerts_raised_by_a_record_commit_with_it_or_not_at_all(void **state)
{
    fx *f = *state;
    st_options opt = {2, 1000, 0, 1, hook_raise, NULL};
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1);
    const char *c = "{\"fall\":true}";
    int64_t id = 0, checkins, audit;

    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, &opt), ST_OK);
    hook_fail = 0;
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-09", c, strlen(c), &id), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alerts WHERE key = 'fall:c' || "
                                      "(SELECT max(id) FROM checkins)"),
                     1);
    /* The same history again raises nothing new (the key is stored). */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alerts"), 1);

    checkins = raw_int(f->path, "SELECT count(*) FROM checkins");
    audit = audit_rows(f);
    hook_fail = 1;
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-10", c, strlen(c), &id), ST_ERROR);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM checkins"), checkins);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM alerts"), 1);
    assert_int_equal(audit_rows(f), audit);
    hook_fail = 0;
}

/* --- concurrency ------------------------------------------------------------------------- */

enum { THREADS = 6, PER_THREAD = 20, PER_READER = 40 };

typedef struct worker {
    fx *f;
    int n;
    int failures;
} worker;

static void *write_checkins(void *arg)
{
    worker *w = arg;
    st_actor pat = actor(w->f->pat_user, ST_PATIENT, w->f->p1);
    char json[64];
    int64_t id;
    char *out;
    int i;

    for (i = 0; i < PER_THREAD; i++) {
        snprintf(json, sizeof(json), "{\"worker\":%d,\"i\":%d}", w->n, i);
        if (st_checkin_add(w->f->st, &pat, w->f->p1, "2026-01-03", json, strlen(json), &id) !=
            ST_OK)
            w->failures++;
        out = NULL;
        if (i % 5 == 0 && st_checkin_list(w->f->st, &pat, w->f->p1, &out) != ST_OK)
            w->failures++;
        free(out);
    }
    return NULL;
}

static void threads_share_one_store_and_every_write_lands(void **state)
{
    fx *f = *state;
    pthread_t t[THREADS];
    worker w[THREADS];
    int i, failures = 0;
    char sql[128];

    for (i = 0; i < THREADS; i++) {
        w[i] = (worker){f, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, write_checkins, &w[i]), 0);
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += w[i].failures;
    }
    assert_int_equal(failures, 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM checkins"), THREADS * PER_THREAD);
    for (i = 0; i < THREADS; i++) {
        snprintf(sql, sizeof(sql),
                 "SELECT count(DISTINCT json_extract(data, '$.i')) FROM checkins"
                 " WHERE json_extract(data, '$.worker') = %d",
                 i);
        assert_int_equal(raw_int(f->path, sql), PER_THREAD);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE object = 'checkin'"),
                     THREADS * PER_THREAD + THREADS * (PER_THREAD / 5));
}

/* --- reads: audited by group commit; the history version ---------------------------------- */

typedef struct reader {
    fx *f;
    st_actor who;
    int64_t patient;
    int bad; /* reads whose audit row was not committed when the read returned */
    int failures;
} reader;

/* Read the history again and again; after each read, count this reader's
 * history rows through a raw connection of its own: every read that returned
 * must already have its row committed, batched with other threads' or not. */
static void *read_histories(void *arg)
{
    reader *r = arg;
    char sql[160];
    int i;

    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE user_id = %lld AND action = 'read'"
             " AND object = 'history'",
             (long long)r->who.user_id);
    for (i = 1; i <= PER_READER; i++) {
        char *out = NULL;
        if (st_history(r->f->st, &r->who, r->patient, "2026-03-10", NULL, NULL, &out) != ST_OK ||
            !out)
            r->failures++;
        free(out);
        if (raw_int(r->f->path, sql) != i)
            r->bad++;
    }
    return NULL;
}

static void every_read_has_its_audit_row_committed_before_it_returns(void **state)
{
    fx *f = *state;
    reader r[4] = {
        {f, actor(f->doc, ST_CLINICIAN, 0), f->p1, 0, 0},
        {f, actor(f->pat_user, ST_PATIENT, f->p1), f->p1, 0, 0},
        {f, actor(f->doc2, ST_CLINICIAN, 0), f->p2, 0, 0},
        {f, actor(f->pat_user2, ST_PATIENT, f->p2), f->p2, 0, 0},
    };
    pthread_t t[4];
    int i;

    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_histories, &r[i]), 0);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].failures, 0);
        assert_int_equal(r[i].bad, 0);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE object = 'history'"),
                     4 * PER_READER);
}

static void a_read_whose_audit_row_cannot_commit_returns_no_data(void **state)
{
    fx *f = *state;
    st_options opt = {2, 100, 0, 0, NULL, NULL};
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    int64_t before, version = 0;
    char *out = NULL;
    sqlite3 *db = NULL;

    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, &opt), ST_OK);
    add_assessment(f, f->doc, f->p1, "2026-01-01", "{\"person\":{\"age\":80}}");
    before = audit_rows(f);
    /* Another connection holds the write lock: reads still read (WAL), but
     * their audit rows cannot commit, so nothing is handed out. */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(st_history(f->st, &doc, f->p1, "2026-03-10", NULL, NULL, &out), ST_BUSY);
    assert_null(out);
    assert_int_equal(st_history_cached(f->st, &doc, f->p1, "2026-03-10", NULL, NULL, -1, &version,
                                       &out),
                     ST_BUSY);
    assert_null(out);
    assert_int_equal(st_assessment_list(f->st, &doc, f->p1, &out), ST_BUSY);
    assert_null(out);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(audit_rows(f), before);
    assert_int_equal(st_history(f->st, &doc, f->p1, "2026-03-10", NULL, NULL, &out), ST_OK);
    free(out);
    assert_int_equal(audit_rows(f), before + 1);
}

static void the_history_version_changes_with_every_change_to_the_history(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0), pat = actor(f->pat_user, ST_PATIENT, f->p1);
    st_actor doc2 = actor(f->doc2, ST_CLINICIAN, 0);
    st_alert al[] = {{"fall:c1", "fall", "review", "2026-03-05", "A fall.", "TRACKING"}};
    const char *c = "{\"pain\":2}";
    int64_t v0, v, v2, id, alert;
    int64_t audit;
    char *out = NULL, sql[200];
    sqlite3 *db = NULL;
    int ins;

#define VERSION(who, pid, known, outp)                                                             \
    st_history_cached(f->st, &(who), (pid), "2026-03-10", NULL, NULL, (known), &v, (outp))
    /* Unknown: the history comes with its version. */
    assert_int_equal(VERSION(doc, f->p1, -1, &out), ST_OK);
    assert_non_null(out);
    free(out);
    v0 = v;
    /* Known and current: no history, but still checked and audited. */
    audit = audit_rows(f);
    assert_int_equal(VERSION(doc, f->p1, v0, &out), ST_OK);
    assert_null(out);
    assert_int_equal(v, v0);
    assert_int_equal(audit_rows(f), audit + 1);
    assert_int_equal(VERSION(doc2, f->p1, v0, &out), ST_NOTFOUND); /* out of reach */
    assert_null(out);
    assert_int_equal(audit_rows(f), audit + 1);

    /* Each kind of change moves it on: an assessment, a session, a check-in,
     * an alert raised, an alert cleared. */
    add_assessment(f, f->doc, f->p1, "2026-01-01", "{}");
    assert_int_equal(VERSION(doc, f->p1, v0, &out), ST_OK);
    assert_non_null(out);
    free(out);
    assert_true(v != v0);
    v2 = v;
    assert_int_equal(st_exsession_add(f->st, &pat, f->p1, "2026-03-06", c, strlen(c), &id), ST_OK);
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_non_null(out);
    free(out);
    assert_true(v != v2);
    v2 = v;
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-06", c, strlen(c), &id), ST_OK);
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_non_null(out);
    free(out);
    assert_true(v != v2);
    v2 = v;
    assert_int_equal(st_alerts_raise(f->st, &pat, f->p1, al, 1, &ins), ST_OK);
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_non_null(out);
    free(out);
    assert_true(v != v2);
    v2 = v;
    alert = raw_int(f->path, "SELECT max(id) FROM alerts");
    assert_int_equal(st_alert_clear(f->st, &doc, alert), ST_OK);
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_non_null(out);
    free(out);
    assert_true(v != v2);
    v2 = v;
    /* Another patient's record leaves it alone. */
    add_assessment(f, f->doc2, f->p2, "2026-01-01", "{}");
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_null(out);
    /* So does a change made by another process: the database bumps it. */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    snprintf(sql, sizeof(sql),
             "INSERT INTO checkins (patient_id, date, created_at, data)"
             " VALUES (%lld, '2026-03-07', '2026-03-07T10:00:00Z', '{}')",
             (long long)f->p1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(VERSION(doc, f->p1, v2, &out), ST_OK);
    assert_non_null(out);
    assert_non_null(strstr(out, "2026-03-07"));
    free(out);
    assert_true(v != v2);
#undef VERSION
}

/* --- backup and export ------------------------------------------------------------------ */

static void a_backup_is_a_complete_consistent_copy(void **state)
{
    fx *f = *state;
    char dest[160], other[160], sql[64];
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    DIR *d;
    struct dirent *e;
    int files = 0;

    add_assessment(f, f->doc, f->p1, "2026-01-01", "{\"kept\":true}");
    snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
    assert_int_equal(st_backup(f->st, dest), ST_OK);

    assert_int_equal(sqlite3_open_v2(dest, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_int_equal(raw_int(dest, "SELECT count(*) FROM users"), 5);
    assert_int_equal(raw_int(dest, "SELECT count(*) FROM assessments WHERE json_extract(document,"
                                   " '$.kept') = 1"),
                     1);
    assert_int_equal(raw_int(dest, "PRAGMA user_version"), st_schema_version(f->st));
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit");
    assert_int_equal(raw_int(dest, sql), audit_rows(f));

    /* Replacing an older backup leaves no temporary file behind. */
    add_assessment(f, f->doc, f->p1, "2026-01-02", "{}");
    assert_int_equal(st_backup(f->st, dest), ST_OK);
    assert_int_equal(raw_int(dest, "SELECT count(*) FROM assessments"), 2);
    assert_non_null(d = opendir(f->dir));
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-"))
            files++;
    closedir(d);
    assert_int_equal(files, 0);

    snprintf(other, sizeof(other), "%s/no/such/dir/backup.db", f->dir);
    assert_int_equal(st_backup(f->st, other), ST_ERROR);
    /* Never over the live database, by whatever name. */
    snprintf(other, sizeof(other), "%s/db/../db/myotrack.db", f->dir);
    assert_int_equal(st_backup(f->st, other), ST_INVALID);
    assert_int_equal(st_check(f->st), ST_OK);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), 2);
}

static void export_holds_everything_about_one_patient(void **state)
{
    fx *f = *state;
    st_actor cli = local_actor(), doc = actor(f->doc, ST_CLINICIAN, 0);
    st_actor pat = actor(f->pat_user, ST_PATIENT, f->p1), adm = actor(f->admin, ST_ADMIN, 0);
    st_alert al[] = {{"fall:c1", "fall", "review", "2026-03-05", "A fall.", "TRACKING"}};
    const char *c = "{\"pain\":2,\"fall\":true}";
    char *out = NULL;
    int64_t id;
    json_t *j, *a;
    int ins;

    add_assessment(f, f->doc, f->p1, "2026-01-01", "{\"person\":{\"age\":80}}");
    assert_int_equal(st_checkin_add(f->st, &pat, f->p1, "2026-03-05", c, strlen(c), &id), ST_OK);
    assert_int_equal(st_exsession_add(f->st, &pat, f->p1, "2026-03-06", c, strlen(c), &id), ST_OK);
    assert_int_equal(st_alerts_raise(f->st, &pat, f->p1, al, 1, &ins), ST_OK);

    assert_int_equal(st_export_patient(f->st, &cli, f->p1, &out), ST_OK);
    j = parse(out);
    assert_string_equal(jstr(json_object_get(j, "patient"), "display_name"), "Ada");
    a = json_object_get(j, "assessments");
    assert_int_equal(json_array_size(a), 1);
    assert_true(json_is_object(json_object_get(json_array_get(a, 0), "document")));
    assert_true(json_is_object(json_object_get(json_array_get(a, 0), "result")));
    assert_int_equal(json_array_size(json_object_get(j, "sessions")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "checkins")), 1);
    assert_true(json_is_true(json_object_get(
        json_object_get(json_array_get(json_object_get(j, "checkins"), 0), "checkin"), "fall")));
    assert_int_equal(json_array_size(json_object_get(j, "alerts")), 1);
    json_decref(j);
    free(out);
    out = NULL;

    assert_int_equal(st_export_patient(f->st, &cli, 4242, &out), ST_NOTFOUND);
    assert_int_equal(st_export_patient(f->st, &doc, f->p2, &out), ST_NOTFOUND);
    assert_int_equal(st_export_patient(f->st, &adm, f->p1, &out), ST_FORBIDDEN);
    assert_null(out);
    /* The command line reads; it writes no clinical record. */
    assert_int_equal(st_checkin_add(f->st, &cli, f->p1, "2026-03-05", c, strlen(c), &id),
                     ST_FORBIDDEN);
}

/* Statements are found again by the address of their SQL text (db.c), checked
 * against the text: another text at the same address, the same text while its
 * statement is still running, and a connection closed and opened again (its
 * address may be reused) all get the right statement. */
static void statements_are_found_by_address_and_checked_by_text(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *outer = NULL, *inner = NULL;
    char sql[64];
    int64_t v = 0;
    int round;

    for (round = 0; round < 3; round++) {
        assert_int_equal(st__begin(f->st, &db, ST__READ), ST_OK);
        snprintf(sql, sizeof(sql), "SELECT 1 + %d", 0);
        assert_int_equal(st__int(db, &v, sql, ""), ST_OK);
        assert_int_equal(v, 1);
        snprintf(sql, sizeof(sql), "SELECT 2 + %d", 0); /* same address, other text */
        assert_int_equal(st__int(db, &v, sql, ""), ST_OK);
        assert_int_equal(v, 2);
        snprintf(sql, sizeof(sql), "SELECT 1 + %d", 0); /* and back */
        assert_int_equal(st__int(db, &v, sql, ""), ST_OK);
        assert_int_equal(v, 1);
        /* the same SQL while its statement is running: a second statement */
        assert_int_equal(st__prepare(db, &outer, "SELECT ?1", "i", (int64_t)7), ST_OK);
        assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
        assert_int_equal(st__prepare(db, &inner, "SELECT ?1", "i", (int64_t)8), ST_OK);
        assert_ptr_not_equal(inner, outer);
        assert_int_equal(sqlite3_step(inner), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int64(inner, 0), 8);
        assert_int_equal(sqlite3_column_int64(outer, 0), 7);
        st__done(inner);
        st__done(outer);
        assert_int_equal(st__end(f->st, db, ST_OK), ST_OK);
        /* closed and opened again: no statement of the old connections is used */
        st_close(f->st);
        f->st = NULL;
        assert_int_equal(open_store(f, NULL), ST_OK);
    }
}

/* The WAL's writes are gathered per transaction (walbuf.c) and must be in the
 * file when the commit returns: another process's connection (plain SQLite,
 * the default VFS) reads each write at once, for results from one page to
 * well past the 128 KiB the unix VFS writes per call and the 1 MiB buffer;
 * the database stays whole and the log restarts on the way (sessions and an
 * assessment in one batch's worth of writes). */
static void wal_writes_are_in_the_file_when_the_commit_returns(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    static const size_t sizes[] = {10, 3000, 20000, 140000, 700000, 1500000, 50};
    const char *d = "{\"person\":{\"sex\":\"female\",\"age\":80}}";
    char sql[128];
    size_t i;
    int round;

    st__wal_limits(f->st, 256);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            char *result = malloc(sizes[i] + 16);
            int64_t id = 0;
            assert_non_null(result);
            memset(result, 'a' + (int)((i + (size_t)round) % 26), sizes[i] + 16);
            result[0] = '"';
            result[sizes[i] + 1] = '"';
            result[sizes[i] + 2] = '\0';
            assert_int_equal(st_assessment_add(f->st, &doc, f->p1, "2026-03-01", d, strlen(d),
                                               result, sizes[i] + 2, "0.1.0", "routine", &id),
                             ST_OK);
            snprintf(sql, sizeof(sql),
                     "SELECT length(result) + (substr(result, 2, 1) = '%c') FROM assessments"
                     " WHERE id = %lld",
                     result[1], (long long)id);
            assert_int_equal(raw_int(f->path, sql), (int64_t)sizes[i] + 3);
            free(result);
        }
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"), 21);
    assert_int_equal(st_check(f->st), ST_OK);
}

/* --- the checkpointer and the trace ------------------------------------------------ */

static char trace_path[64]; /* MYOTRACK_TRACE, set by main before the first st_open */

static int64_t file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

typedef struct bigwriter {
    fx *f;
    int n, failures;
    const char *result;
} bigwriter;

static void *write_big_assessments(void *arg)
{
    bigwriter *w = arg;
    st_actor doc = actor(w->f->doc, ST_CLINICIAN, 0);
    const char *d = "{\"person\":{\"sex\":\"female\",\"age\":80}}";
    int64_t id;
    int i;

    for (i = 0; i < w->n; i++)
        if (st_assessment_add(w->f->st, &doc, w->f->p1, "2026-03-01", d, strlen(d), w->result,
                              strlen(w->result), "0.1.0", "routine", &id) != ST_OK)
            w->failures++;
    return NULL;
}

/* How many times the log was started again from its beginning: the WAL
 * header's checkpoint sequence number (bytes 12-15, big-endian), which SQLite
 * increments at each restart. */
static int wal_restarts(const char *wal)
{
    unsigned char h[16];
    FILE *fp = fopen(wal, "rb");
    int n = -1;

    if (fp && fread(h, 1, sizeof(h), fp) == sizeof(h))
        n = (int)((unsigned)h[12] << 24 | (unsigned)h[13] << 16 | (unsigned)h[14] << 8 | h[15]);
    if (fp)
        fclose(fp);
    return n;
}

/* A JSON result of about `n` bytes. */
static char *big_result(size_t n)
{
    char *r = malloc(n + 64);
    size_t len;

    assert_non_null(r);
    len = (size_t)sprintf(r, "{\"triage\":{\"level\":\"routine\"},\"pad\":\"");
    for (; len < n; len++)
        r[len] = (char)('a' + len % 26);
    strcpy(r + len, "\"}");
    return r;
}

/* Under constant writes the log is copied by the checkpointer and started
 * again from its beginning: the WAL file (which keeps the longest length the
 * log reached) stays far shorter than everything written through it, and
 * nothing is lost or damaged on the way. The thresholds are lowered (restart
 * past 256 pages, whatever the tail past 1024) so that it happens many times. */
static void a_long_log_is_started_again_and_every_write_lands(void **state)
{
    enum { WRITERS = 2, EACH = 600 };
    fx *f = *state;
    pthread_t t[WRITERS];
    bigwriter w[WRITERS];
    char *result = big_result(20000), wal[160];
    int64_t before = raw_int(f->path, "SELECT count(*) FROM assessments"), wal_bytes;
    int i, failures = 0, restarts;

    st__wal_limits(f->st, 256);
    st__checkpointer_delay(f->st, 20000); /* a disk slower than the writers */
    for (i = 0; i < WRITERS; i++) {
        w[i] = (bigwriter){f, EACH, 0, result};
        assert_int_equal(pthread_create(&t[i], NULL, write_big_assessments, &w[i]), 0);
    }
    for (i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        failures += w[i].failures;
    }
    assert_int_equal(failures, 0);
    snprintf(wal, sizeof(wal), "%s-wal", f->path);
    wal_bytes = file_size(wal);
    restarts = wal_restarts(wal);
    /* about 7 pages per write went through the log: 8400 pages, 34 MiB; it is
     * started again past 256 pages, and with the checkpointer outrun, by the
     * writers at 1024: the log never holds more than that and one batch (at
     * most 16 writes of 7 pages, and the audit rows') past it. Without the
     * writers' copy it reached 6600 pages on a slow disk. */
    if (restarts < 3 || wal_bytes <= 0 || wal_bytes > 32 + (int64_t)(1024 + 16 * 8) * (4096 + 24))
        fail_msg("after %d writes of 20 KB the log was started again %d times and the WAL file "
                 "is %lld bytes",
                 WRITERS * EACH, restarts, (long long)wal_bytes);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessments"),
                     before + WRITERS * EACH);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE object = 'assessment'"),
                     WRITERS * EACH);
    assert_int_equal(st_check(f->st), ST_OK);
    free(result);
}

/* Count the lines of the trace from `offset` that contain `what`. */
static int trace_lines(long offset, const char *what)
{
    FILE *fp = fopen(trace_path, "r");
    char line[512];
    int n = 0;

    assert_non_null(fp);
    fseek(fp, offset, SEEK_SET);
    while (fgets(line, sizeof(line), fp))
        if (strstr(line, what))
            n++;
    fclose(fp);
    return n;
}

/* With MYOTRACK_TRACE set (main sets it), the store writes a line per write
 * batch, audit batch, checkpoint and database sync, flushed by st_close. */
static void the_trace_has_a_line_per_batch_and_checkpoint(void **state)
{
    fx *f = *state;
    st_actor doc = actor(f->doc, ST_CLINICIAN, 0);
    bigwriter w = {f, 40, 0, NULL};
    long offset;
    char *out = NULL;

    assert_true(st_trace_on());
    st_close(f->st); /* flushes what the set-up wrote */
    f->st = NULL;
    offset = (long)file_size(trace_path);
    assert_true(offset >= 0);
    assert_int_equal(open_store(f, NULL), ST_OK);
    st__wal_limits(f->st, 64);
    w.result = big_result(8000);
    write_big_assessments(&w);
    assert_int_equal(w.failures, 0);
    assert_int_equal(st_assessment_list(f->st, &doc, f->p1, &out), ST_OK);
    free(out);
    st_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, NULL), ST_OK);
    assert_true(trace_lines(offset, " write n=") >= 1);
    assert_true(trace_lines(offset, " audit n=1 ") >= 1);
    assert_true(trace_lines(offset, " ckpt passive rc=0 ") >= 1);
    assert_true(trace_lines(offset, " dbsync rc=0 ") >= 1);
    free((void *)w.result);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(migrations_create_the_schema_and_reopening_changes_nothing),
        T(a_version_2_database_is_migrated_and_its_results_read_back),
        T(results_are_kept_compressed_and_read_back_the_same),
        T(a_damaged_result_fails_its_read),
        T(database_is_wal_private_and_in_a_created_directory),
        T(a_database_from_a_newer_build_is_refused),
        cmocka_unit_test(default_path_follows_xdg_then_home),
        T(users_are_added_read_back_and_names_are_unique),
        T(only_an_admin_lists_users),
        T(sessions_are_found_until_they_expire_and_are_deleted_and_purged),
        T(login_failures_count_only_failures_of_that_name_in_the_window),
        T(a_clinician_creates_a_patient_and_is_assigned),
        T(each_role_reaches_exactly_its_patients),
        T(an_admin_assigns_and_unassigns_clinicians),
        T(assessments_are_stored_listed_newest_first_and_read_back),
        T(sessions_and_checkins_are_stored_and_listed),
        T(history_is_the_tracking_document_oldest_first),
        T(history_since_agrees_with_its_sql_definition),
        T(statements_are_found_by_address_and_checked_by_text),
        T(wal_writes_are_in_the_file_when_the_commit_returns),
        T(alerts_are_deduplicated_by_key_and_listed_open_and_red_flags_first),
        T(every_read_and_write_of_patient_data_is_audited),
        T(the_audit_trail_is_listed_for_admins_and_cannot_be_rewritten),
        T(sql_metacharacters_and_unicode_are_stored_verbatim),
        T(a_full_database_fails_with_st_full_and_writes_nothing),
        T(a_full_database_still_answers_reads),
        T(a_locked_database_fails_with_st_busy_and_writes_nothing),
        T(a_failing_job_in_a_batch_is_rolled_back_alone),
        T(a_batch_of_writes_commits_all_but_the_failing_one_with_their_audit_rows),
        T(alerts_raised_by_a_record_commit_with_it_or_not_at_all),
        T(threads_share_one_store_and_every_write_lands),
        T(every_read_has_its_audit_row_committed_before_it_returns),
        T(a_read_whose_audit_row_cannot_commit_returns_no_data),
        T(the_history_version_changes_with_every_change_to_the_history),
        T(a_backup_is_a_complete_consistent_copy),
        T(export_holds_everything_about_one_patient),
        T(a_long_log_is_started_again_and_every_write_lands),
        T(the_trace_has_a_line_per_batch_and_checkpoint),
#undef T
    };
    int rc, fd;

    /* The trace is opened by the first st_open of the process. */
    snprintf(trace_path, sizeof(trace_path), "/tmp/mt-trace-XXXXXX");
    fd = mkstemp(trace_path);
    if (fd < 0)
        return 1;
    close(fd);
    setenv("MYOTRACK_TRACE", trace_path, 1);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(trace_path);
    return rc;
}
