/*
 * fuzz_row.h - what the two cohort targets (fuzz_csv.c, fuzz_columns.c) hold
 * every row and message of `myotrack screen` to, in one place: a message is
 * one non-empty line; a row of the header's width either classifies, with
 * every category a valid index, or fails with one line that starts with the
 * field it names ("grip: ..."). A violation aborts.
 */
#ifndef MT_FUZZ_ROW_H
#define MT_FUZZ_ROW_H

#include <stdlib.h>
#include <string.h>

#include "myotrack.h"
#include "screen/columns.h"
#include "screen/csv.h"

static int fuzz_one_line(const char *s)
{
    return s[0] && !strchr(s, '\n');
}

/* A record of n fields, cut from a block ending at `end`, through the
 * resolved columns into row, then classified. */
static void fuzz_check_row(const columns *cols, mt_row *row, const csv_field *f, size_t n,
                           const char *end)
{
    mt_classification c;
    mt_error err;
    size_t d, k;

    if (n != cols->n_header)
        return;
    memset(&err, 0, sizeof(err));
    mt_row_reset(row);
    if (columns_fill(cols, row, f, n, end, &err) == 0 &&
        mt_row_classify(row, 0, &c, &err) == MT_OK) {
        for (d = 0; d < mt_definition_count(); d++) {
            mt_definition_view v;
            mt_definition_at(d, &v);
            if (c.category[d] < 0 || (size_t)c.category[d] >= v.n_categories)
                abort();
        }
        return;
    }
    k = strlen(err.field);
    if (!fuzz_one_line(err.message) || !k || strncmp(err.message, err.field, k) != 0 ||
        err.message[k] != ':')
        abort();
}

/* A record of n fields cut from the block [start, end): every field inside
 * the block; the first (*have_header 0) resolves cols against it, the others
 * go through fuzz_check_row. -1 when the header did not resolve (its message
 * held to one line): the file is done; else 0. */
static int fuzz_take_record(columns *cols, mt_row *row, const csv_field *f, size_t n,
                            const char *start, const char *end, int *have_header)
{
    char msg[600];
    size_t i;

    for (i = 0; i < n; i++)
        if (f[i].p < start || f[i].p + f[i].len > end)
            abort();
    if (!*have_header) {
        *have_header = 1;
        msg[0] = '\0';
        if (columns_resolve(cols, f, n, msg, sizeof(msg)) != 0) {
            if (!fuzz_one_line(msg))
                abort();
            return -1;
        }
        return 0;
    }
    fuzz_check_row(cols, row, f, n, end);
    return 0;
}

#endif
