/*
 * tracker.c - the store's alert hook (st_options.raise): the tracking engine
 * reads the history a new record can change and answers its alerts, which the
 * store writes in the record's own transaction. So an acknowledged fall,
 * pain score or red flag always has its alert, even if the server is killed
 * the moment after.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "myotrack.h"
#include "server/server.h"

typedef struct raised {
    json_t *tracked;
    st_alert *rows;
} raised;

void srv_track_release(void *handle)
{
    raised *r = handle;

    if (!r)
        return;
    json_decref(r->tracked);
    free(r->rows);
    free(r);
}

int srv_track_raise(const char *history, size_t len, const st_alert **alerts, int *n, void **handle)
{
    raised *r = calloc(1, sizeof(*r));
    json_t *list, *a;
    json_error_t je;
    mt_error err;
    char *out = NULL;
    size_t out_len = 0, i;
    int rc;

    *alerts = NULL;
    *n = 0;
    *handle = r;
    if (!r)
        return ST_NOMEM;
    rc = mt_track_json_select(history, len, MT_TRACK_ALERTS | MT_TRACK_BARE, &out, &out_len, &err);
    if (rc != MT_OK) {
        /* Every stored record passed the same engine: a bug, not bad input. */
        fprintf(stderr, "myotrack: tracking failed at '%s' (the log keeps no clinical values)\n",
                err.field);
        return rc == MT_ENOMEM ? ST_NOMEM : ST_ERROR;
    }
    r->tracked = json_loadb(out, out_len, 0, &je); /* the alerts, as a list */
    mt_free(out);
    list = r->tracked;
    if (!r->tracked || !(r->rows = calloc(json_array_size(list) + 1, sizeof(*r->rows))))
        return ST_NOMEM;
    json_array_foreach(list, i, a)
    {
        st_alert *row = &r->rows[i];
        row->key = json_string_value(json_object_get(a, "key"));
        row->kind = json_string_value(json_object_get(a, "kind"));
        row->level = json_string_value(json_object_get(a, "level"));
        row->date = json_string_value(json_object_get(a, "date"));
        row->explanation = json_string_value(json_object_get(a, "explanation"));
        row->source = json_string_value(json_object_get(a, "source"));
    }
    *alerts = r->rows;
    *n = (int)json_array_size(list);
    return ST_OK;
}
