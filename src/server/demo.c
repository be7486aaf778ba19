/*
 * demo.c - `myotrack serve --demo`: a demo clinician and a demo patient with
 * three visits over twelve weeks and a few logged sessions, so the web app
 * has something to show on first start. Passwords are random and printed
 * once, when the accounts are made; a later start finds them and says so.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "myotrack.h"
#include "server/demo.h"

/* A woman of 78 regaining strength after a hospital stay: three visits. */
static const struct {
    int days_ago;
    const char *document;
} visits[] = {
    {84, "{\"person\":{\"sex\":\"female\",\"age\":78,\"height\":160,\"weight\":57.5},"
         "\"setting\":\"community\","
         "\"sarc_f\":{\"strength\":1,\"walking\":1,\"chair\":2,\"stairs\":2,\"falls\":1},"
         "\"measurements\":{\"grip_trials\":[14.5,15.0,14.0],\"chair_stand_5x\":17.2,"
         "\"walk\":{\"distance\":4,\"time\":5.9},"
         "\"sppb\":{\"balance\":3,\"gait\":2,\"chair\":1}},"
         "\"history\":{\"bed_rest_days\":12,\"exercise_sessions_per_week\":0},"
         "\"preferences\":{\"equipment\":[\"chair\",\"bands\"],\"location\":\"home\"}}"},
    {42, "{\"person\":{\"sex\":\"female\",\"age\":78,\"height\":160,\"weight\":58.0},"
         "\"setting\":\"community\","
         "\"measurements\":{\"grip_trials\":[16.5,17.0,16.0],\"chair_stand_5x\":15.6,"
         "\"walk\":{\"distance\":4,\"time\":5.1},"
         "\"sppb\":{\"balance\":3,\"gait\":3,\"chair\":2}},"
         "\"history\":{\"exercise_sessions_per_week\":2},"
         "\"preferences\":{\"equipment\":[\"chair\",\"bands\"],\"location\":\"home\"}}"},
    {7, "{\"person\":{\"sex\":\"female\",\"age\":78,\"height\":160,\"weight\":58.6},"
        "\"setting\":\"community\","
        "\"measurements\":{\"grip_trials\":[18.5,19.0,18.0],\"chair_stand_5x\":14.1,"
        "\"walk\":{\"distance\":4,\"time\":4.6},"
        "\"sppb\":{\"balance\":4,\"gait\":3,\"chair\":2}},"
        "\"history\":{\"exercise_sessions_per_week\":3},"
        "\"preferences\":{\"equipment\":[\"chair\",\"bands\"],\"location\":\"home\"}}"},
};

/* Sessions logged since the last visit (days ago, reps on the last set). */
static const struct {
    int days_ago, reps, effort, pain;
} sessions[] = {{6, 12, 6, 1}, {4, 13, 6, 1}, {2, 14, 6, 2}};

static void date_ago(int days, char out[11])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void password(char out[17])
{
    char token[AUTH_TOKEN_HEX];

    auth_random_token(token);
    memcpy(out, token, 16);
    out[16] = '\0';
}

static int add_visit(st_store *st, const st_actor *who, int64_t pid, int days_ago, const char *doc)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_triage_view tv;
    char *json = NULL, day[11];
    size_t len = 0;
    int64_t id;
    int rc = -1;

    date_ago(days_ago, day);
    if (mt_input_parse_json(&in, doc, strlen(doc), NULL) != MT_OK ||
        mt_assess(&res, in, NULL) != MT_OK ||
        mt_result_render_json_flags(res, MT_JSON_COMPACT, &json, &len) != MT_OK ||
        mt_result_triage(res, &tv) != MT_OK)
        goto done;
    rc = st_assessment_add(st, who, pid, day, doc, strlen(doc), json, len, mt_version(), tv.level,
                           &id);
done:
    mt_free(json);
    mt_result_free(res);
    mt_input_free(in);
    return rc;
}

int srv_demo_seed(st_store *st, FILE *out)
{
    st_user existing;
    st_actor clinician = {0, ST_CLINICIAN, 0, 0};
    char pw_c[17], pw_p[17], hash[AUTH_HASH_MAX], day[11], doc[512];
    int64_t pid, sid;
    size_t i;
    int rc;

    if (st_user_get(st, "demo-clinician", &existing) == ST_OK) {
        fprintf(out, "myotrack: demo accounts demo-clinician and demo-patient exist; their "
                     "passwords were printed when they were made\n");
        return 0;
    }
    password(pw_c);
    password(pw_p);
    if (auth_hash_password(pw_c, hash) != 0 ||
        (rc = st_user_add(st, "demo-clinician", ST_CLINICIAN, hash, 0, &clinician.user_id)) !=
            ST_OK)
        return -1;
    if ((rc = st_patient_create(st, &clinician, "Demo Patient (Ada)", "female", "1948-03-14",
                                &pid)) != ST_OK)
        return -1;
    for (i = 0; i < sizeof(visits) / sizeof(visits[0]); i++)
        if (add_visit(st, &clinician, pid, visits[i].days_ago, visits[i].document) != ST_OK)
            return -1;
    for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++) {
        int n;
        date_ago(sessions[i].days_ago, day);
        n = snprintf(doc, sizeof(doc),
                     "{\"date\":\"%s\",\"effort\":%d,\"pain\":%d,\"exercises\":[{\"id\":"
                     "\"sit_to_stand\",\"level\":1,\"sets\":2,\"reps\":%d,\"load_kg\":0}]}",
                     day, sessions[i].effort, sessions[i].pain, sessions[i].reps);
        if (mt_session_check(doc, (size_t)n, NULL, NULL) != MT_OK ||
            st_exsession_add(st, &clinician, pid, day, doc, (size_t)n, &sid) != ST_OK)
            return -1;
    }
    if (auth_hash_password(pw_p, hash) != 0 ||
        st_user_add(st, "demo-patient", ST_PATIENT, hash, pid, &sid) != ST_OK)
        return -1;
    fprintf(out,
            "myotrack: demo accounts made (shown once, keep them):\n"
            "  clinician  demo-clinician  %s\n"
            "  patient    demo-patient    %s\n",
            pw_c, pw_p);
    return 0;
}
