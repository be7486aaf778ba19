/*
 * dictionary.c - what the store compresses results against: the engine's own
 * compact results for a few reference documents (the five of examples/),
 * rendered by this build, so the dictionary holds this engine version's
 * definitions, criteria, sources and plan texts, which every result repeats.
 * A new engine version gives a new dictionary; the store keeps the old ones
 * for the results stored with them (src/store/results.c).
 */
#include <stdlib.h>
#include <string.h>

#include "myotrack.h"
#include "render/buf.h"
#include "server/server.h"

/* The documents of examples/, compact: a community clinic visit, a hospital patient with
 * BIA and an SPPB, a home screen, the weeks after a cast, a red flag. */
static const char *const documents[] = {
    "{\"person\":{\"sex\":\"female\",\"age\":81,\"height\":\"5 ft 1 in\",\"weight\":\"115 lb\"},"
    "\"setting\":\"community\",\"sarc_f\":{\"strength\":1,\"walking\":1,\"chair\":1,\"stairs\":2,"
    "\"falls\":1},\"measurements\":{\"grip_trials\":[12.5,13.0,11.8,12.2,13.4,12.9],"
    "\"chair_stand_5x\":18.4,\"walk\":{\"distance\":4,\"time\":6.1},\"tug\":14.2,"
    "\"six_minute_walk\":310,\"calf\":\"12 in\",\"asm\":11.0,\"asm_method\":\"dxa\"}}",
    "{\"person\":{\"sex\":\"male\",\"age\":79,\"height\":165,\"weight\":60},\"setting\":\"hospital\","
    "\"measurements\":{\"grip\":26,\"sppb\":{\"side_by_side\":10,\"semi_tandem\":10,\"tandem\":2.1,"
    "\"walk_4m\":5.6,\"chair_5x\":\"unable\"},\"bia\":{\"resistance\":560,\"reactance\":52,"
    "\"equation\":\"sergi2015\"}}}",
    "{\"person\":{\"sex\":\"male\",\"age\":74,\"height\":\"5'9\\\"\",\"weight\":\"172 lb\"},"
    "\"sarc_f\":{\"strength\":1,\"walking\":0,\"chair\":1,\"stairs\":1,\"falls\":1},"
    "\"measurements\":{\"grip\":\"58 lb\",\"chair_stand_5x\":\"0 min 13.2 s\",\"calf\":35.5}}",
    "{\"person\":{\"sex\":\"male\",\"age\":46,\"height\":\"5 ft 10 in\",\"weight\":\"176 lb\"},"
    "\"measurements\":{\"grip\":38,\"chair_stand_5x\":11.2,\"gait_speed\":1.2,\"calf\":35},"
    "\"symptoms\":{\"onset\":\"weeks\",\"side\":\"one\",\"worsening\":false,\"numbness\":false,"
    "\"fasciculations\":false,\"muscle_pain\":false},\"history\":{\"immobilization_weeks\":6,"
    "\"immobilized_part\":\"right lower leg\",\"conditions\":[],\"medications\":[],"
    "\"exercise_sessions_per_week\":0},\"preferences\":{\"equipment\":[\"chair\",\"bands\"],"
    "\"location\":\"home\"}}",
    "{\"person\":{\"sex\":\"female\",\"age\":52,\"weight\":64},\"symptoms\":{\"onset\":\"days\","
    "\"ascending\":true,\"reflexes\":\"reduced\",\"recent_infection\":true,"
    "\"breathing_trouble\":false,\"swallowing_trouble\":false},\"measurements\":{\"grip\":18}}",
};

int srv_result_dictionary(st_store *st)
{
    mt_buf all = {NULL, 0, 0, 0};
    size_t i;
    int rc = ST_OK;

    for (i = 0; rc == ST_OK && i < sizeof(documents) / sizeof(documents[0]); i++) {
        mt_input *in = NULL;
        mt_result *res = NULL;
        char *json = NULL;
        size_t len = 0;
        if (mt_input_parse_json(&in, documents[i], strlen(documents[i]), NULL) != MT_OK ||
            mt_assess(&res, in, NULL) != MT_OK ||
            mt_result_render_json_flags(res, MT_JSON_COMPACT, &json, &len) != MT_OK)
            rc = ST_ERROR;
        else
            mt_buf_put(&all, json, len);
        mt_free(json);
        mt_result_free(res);
        mt_input_free(in);
    }
    if (rc == ST_OK && all.failed)
        rc = ST_NOMEM;
    if (rc == ST_OK)
        rc = st_result_dictionary(st, all.p, all.len);
    free(all.p);
    return rc;
}
