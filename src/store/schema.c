/*
 * schema.c - the schema as a list of migrations, applied in order by st_open.
 *
 * PRAGMA user_version holds how many have been applied. A migration is never
 * edited once released: a change is a new row at the end. All missing
 * migrations run in one transaction with the version bump, so a database is
 * never left between two versions. A database from a newer build (a version
 * this build does not know) is refused rather than guessed at.
 *
 * Constraints live here rather than only in C: the database itself refuses a
 * patient without a name, an impossible date or a stored document that is not
 * JSON, whichever code writes it. The audit table refuses UPDATE and DELETE.
 * A date is real when date(x, '+0 days') gives it back unchanged: SQLite 3.40's
 * date(x) alone returns "2026-02-30" as given; the modifier normalises it.
 */
#include <stdio.h>

#include "store/internal.h"

static const char *const migrations[] = {
    /* 1: accounts, patients, care teams, clinical records, alerts, audit. */
    "CREATE TABLE patients ("
    "  id           INTEGER PRIMARY KEY,"
    "  display_name TEXT NOT NULL CONSTRAINT patient_name_1_to_100_characters"
    "                 CHECK (length(display_name) BETWEEN 1 AND 100),"
    "  sex          TEXT NOT NULL CONSTRAINT patient_sex_male_or_female"
    "                 CHECK (sex IN ('male', 'female')),"
    "  birth_date   TEXT CONSTRAINT patient_birth_date_a_real_date"
    "                 CHECK (birth_date IS NULL OR date(birth_date, '+0 days') IS birth_date),"
    "  created_at   TEXT NOT NULL,"
    "  created_by   INTEGER REFERENCES users(id)"
    ");"
    "CREATE TABLE users ("
    "  id            INTEGER PRIMARY KEY,"
    "  username      TEXT NOT NULL COLLATE NOCASE UNIQUE CONSTRAINT username_1_to_63_bytes"
    "                  CHECK (length(CAST(username AS BLOB)) BETWEEN 1 AND 63),"
    "  role          TEXT NOT NULL CONSTRAINT user_role_known"
    "                  CHECK (role IN ('admin', 'clinician', 'patient')),"
    "  patient_id    INTEGER REFERENCES patients(id),"
    "  password_hash TEXT NOT NULL CONSTRAINT user_password_hash_present"
    "                  CHECK (length(password_hash) BETWEEN 1 AND 159),"
    "  created_at    TEXT NOT NULL,"
    "  CONSTRAINT user_patient_id_only_for_patients"
    "    CHECK ((role = 'patient') = (patient_id IS NOT NULL))"
    ");"
    "CREATE INDEX users_patient ON users(patient_id) WHERE patient_id IS NOT NULL;"
    "CREATE TABLE sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf_token TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX sessions_expires ON sessions(expires_at);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE login_attempts ("
    "  id       INTEGER PRIMARY KEY,"
    "  username TEXT NOT NULL COLLATE NOCASE,"
    "  at       INTEGER NOT NULL,"
    "  ok       INTEGER NOT NULL CHECK (ok IN (0, 1))"
    ");"
    "CREATE INDEX login_attempts_username_at ON login_attempts(username, at);"
    "CREATE INDEX login_attempts_at ON login_attempts(at);"
    "CREATE TABLE care_team ("
    "  patient_id   INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,"
    "  clinician_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  assigned_at  TEXT NOT NULL,"
    "  PRIMARY KEY (patient_id, clinician_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX care_team_clinician ON care_team(clinician_id, patient_id);"
    "CREATE TABLE assessments ("
    "  id             INTEGER PRIMARY KEY,"
    "  patient_id     INTEGER NOT NULL REFERENCES patients(id),"
    "  measured_on    TEXT NOT NULL CONSTRAINT assessment_measured_on_a_real_date"
    "                   CHECK (date(measured_on, '+0 days') IS measured_on),"
    "  created_at     TEXT NOT NULL,"
    "  created_by     INTEGER REFERENCES users(id),"
    "  engine_version TEXT NOT NULL,"
    "  triage_level   TEXT,"
    "  document       TEXT NOT NULL CONSTRAINT assessment_document_is_json"
    "                   CHECK (json_valid(document)),"
    "  result         TEXT NOT NULL CONSTRAINT assessment_result_is_json"
    "                   CHECK (json_valid(result))"
    ");"
    "CREATE INDEX assessments_patient ON assessments(patient_id, measured_on, id);"
    "CREATE TABLE exercise_sessions ("
    "  id         INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  date       TEXT NOT NULL CONSTRAINT session_date_a_real_date"
    "               CHECK (date(date, '+0 days') IS date),"
    "  created_at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users(id),"
    "  data       TEXT NOT NULL CONSTRAINT session_is_a_json_object"
    "               CHECK (json_valid(data) AND json_type(data) = 'object')"
    ");"
    "CREATE INDEX exercise_sessions_patient ON exercise_sessions(patient_id, date, id);"
    "CREATE TABLE checkins ("
    "  id         INTEGER PRIMARY KEY,"
    "  patient_id INTEGER NOT NULL REFERENCES patients(id),"
    "  date       TEXT NOT NULL CONSTRAINT checkin_date_a_real_date"
    "               CHECK (date(date, '+0 days') IS date),"
    "  created_at TEXT NOT NULL,"
    "  created_by INTEGER REFERENCES users(id),"
    "  data       TEXT NOT NULL CONSTRAINT checkin_is_a_json_object"
    "               CHECK (json_valid(data) AND json_type(data) = 'object')"
    ");"
    "CREATE INDEX checkins_patient ON checkins(patient_id, date, id);"
    "CREATE TABLE alerts ("
    "  id          INTEGER PRIMARY KEY,"
    "  patient_id  INTEGER NOT NULL REFERENCES patients(id),"
    "  key         TEXT NOT NULL CONSTRAINT alert_key_present CHECK (length(key) > 0),"
    "  kind        TEXT NOT NULL,"
    "  level       TEXT NOT NULL,"
    "  date        TEXT,"
    "  explanation TEXT NOT NULL,"
    "  source      TEXT,"
    "  created_at  TEXT NOT NULL,"
    "  created_by  INTEGER REFERENCES users(id),"
    "  cleared_at  TEXT,"
    "  cleared_by  INTEGER REFERENCES users(id),"
    "  UNIQUE (patient_id, key)"
    ");"
    "CREATE INDEX alerts_open ON alerts(cleared_at, patient_id);"
    "CREATE TABLE audit ("
    "  id         INTEGER PRIMARY KEY,"
    "  at         TEXT NOT NULL,"
    "  user_id    INTEGER,"
    "  user       TEXT NOT NULL,"
    "  action     TEXT NOT NULL CHECK (action IN ('read', 'write')),"
    "  patient_id INTEGER,"
    "  object     TEXT NOT NULL,"
    "  object_id  INTEGER"
    ");"
    "CREATE INDEX audit_patient ON audit(patient_id, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    /* 2: each patient's history version, bumped by the database itself on
     * every change to their records or alerts, whichever process makes it:
     * what a cache of answers computed from the history is checked against. */
    "ALTER TABLE patients ADD COLUMN history_version INTEGER NOT NULL DEFAULT 0;"
    "CREATE TRIGGER assessments_history_insert AFTER INSERT ON assessments"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = NEW.patient_id; END;"
    "CREATE TRIGGER assessments_history_update AFTER UPDATE ON assessments"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id IN (OLD.patient_id, NEW.patient_id); END;"
    "CREATE TRIGGER assessments_history_delete AFTER DELETE ON assessments"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = OLD.patient_id; END;"
    "CREATE TRIGGER exercise_sessions_history_insert AFTER INSERT ON exercise_sessions"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = NEW.patient_id; END;"
    "CREATE TRIGGER exercise_sessions_history_update AFTER UPDATE ON exercise_sessions"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id IN (OLD.patient_id, NEW.patient_id); END;"
    "CREATE TRIGGER exercise_sessions_history_delete AFTER DELETE ON exercise_sessions"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = OLD.patient_id; END;"
    "CREATE TRIGGER checkins_history_insert AFTER INSERT ON checkins"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = NEW.patient_id; END;"
    "CREATE TRIGGER checkins_history_update AFTER UPDATE ON checkins"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id IN (OLD.patient_id, NEW.patient_id); END;"
    "CREATE TRIGGER checkins_history_delete AFTER DELETE ON checkins"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = OLD.patient_id; END;"
    "CREATE TRIGGER alerts_history_insert AFTER INSERT ON alerts"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = NEW.patient_id; END;"
    "CREATE TRIGGER alerts_history_update AFTER UPDATE ON alerts"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id IN (OLD.patient_id, NEW.patient_id); END;"
    "CREATE TRIGGER alerts_history_delete AFTER DELETE ON alerts"
    "  BEGIN UPDATE patients SET history_version = history_version + 1"
    "  WHERE id = OLD.patient_id; END;",
    /* 3: the result column loses its json_valid CHECK: a result is the
     * engine's own rendering (mt_result_render_json), never outside text, and
     * re-parsing its 38 KB inside every write transaction cost about 40 us of
     * the writers' turn. The document (outside text) keeps its CHECK. Removing
     * a CHECK changes nothing on disk, so this is the edit of the stored
     * CREATE TABLE text that SQLite documents for such changes (ALTER TABLE,
     * "making other kinds of table schema changes"), not a copy of the table;
     * st__migrate then bumps schema_version so every connection re-reads the
     * schema, and refuses the migration if the text was not found. */
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql, ' CONSTRAINT assessment_result_is_json"
    "                   CHECK (json_valid(result))', '')"
    "  WHERE type = 'table' AND name = 'assessments';"
    "PRAGMA writable_schema = OFF;",
    /* 4: results kept compressed (results.c): the dictionaries they are
     * compressed against, never changed or deleted while a result may name
     * them, and each assessment's (NULL: its result is text). */
    "CREATE TABLE result_dictionaries ("
    "  id         INTEGER PRIMARY KEY,"
    "  created_at TEXT NOT NULL,"
    "  content    BLOB NOT NULL"
    ");"
    "CREATE TRIGGER result_dictionaries_no_update BEFORE UPDATE ON result_dictionaries"
    "  BEGIN SELECT RAISE(ABORT, 'a result dictionary is never changed'); END;"
    "CREATE TRIGGER result_dictionaries_no_delete BEFORE DELETE ON result_dictionaries"
    "  BEGIN SELECT RAISE(ABORT, 'a result dictionary is never deleted'); END;"
    "ALTER TABLE assessments ADD COLUMN result_dictionary INTEGER"
    "  REFERENCES result_dictionaries(id);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int st__schema_latest(void)
{
    return N_MIGRATIONS;
}

/* Migration 3 edited the schema's text: check that it took, and bump
 * schema_version (computed here, like user_version in st__migrate) so that
 * this connection reads the new text before a later migration alters the
 * table (ALTER TABLE ADD COLUMN edits the text at an offset it took from the
 * text it read) and other connections see it. */
static int schema_text_edited(sqlite3 *db)
{
    int64_t left = 1, sv = 0;
    char sql[48];
    int rc = st__int(db, &left,
                     "SELECT instr(sql, 'assessment_result_is_json') FROM sqlite_schema"
                     " WHERE type = 'table' AND name = 'assessments'",
                     "");

    if (rc == ST_OK && left != 0)
        rc = st__error(ST_ERROR, "migration 3: the assessments table is not as expected");
    if (rc == ST_OK)
        rc = st__int(db, &sv, "PRAGMA schema_version", "");
    if (rc == ST_OK) {
        snprintf(sql, sizeof(sql), "PRAGMA schema_version = %lld", (long long)sv + 1);
        int src = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = st__fail(db, src, "migrating the schema");
    }
    return rc;
}

int st__migrate(sqlite3 *db, int *version)
{
    return st__migrate_to(db, N_MIGRATIONS, version);
}

int st__migrate_to(sqlite3 *db, int target, int *version)
{
    int64_t v = 0;
    char sql[48];
    int rc, i;

    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return st__fail(db, rc, "beginning the migration");
    rc = st__int(db, &v, "PRAGMA user_version", "");
    if (rc == ST_OK && v > N_MIGRATIONS)
        rc = st__error(ST_ERROR, "the database has schema version %lld; this build knows %d",
                       (long long)v, N_MIGRATIONS);
    for (i = (int)v; rc == ST_OK && i < target; i++) {
        int src = sqlite3_exec(db, migrations[i], NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = st__fail(db, src, "migrating the schema");
        if (rc == ST_OK && i == 2)
            rc = schema_text_edited(db);
    }
    if (rc == ST_OK && v < target) {
        /* PRAGMA takes no parameter; the number is this build's own. */
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", target);
        int src = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = st__fail(db, src, "recording the schema version");
    }
    if (rc == ST_OK) {
        int src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = st__fail(db, src, "committing the migration");
    }
    if (rc != ST_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (rc == ST_OK)
        *version = v > target ? (int)v : target;
    return rc;
}
