/*
 * fuzz_csv.c - libFuzzer target for the cohort path of `myotrack screen`:
 * the CSV record cutter (src/screen/csv.c), the column map's resolution of a
 * header and the filling and classifying of each row (columns.c, mt_row_*).
 *
 * The input is a CSV file: its first record is the header (canonical names
 * map themselves), every later record a row. Contract: csv_boundary ends on a
 * line break within the block; csv_record always advances and stays inside,
 * and cuts every record exactly as csv_record_general (without the fast way
 * for plain records) cuts it in a copy of the input; so does the block's
 * cutter (csv_cut_record, do_block's) with room for the most fields;
 * every field lies inside the block; each row is held to fuzz_row.h's
 * contract (classified with valid categories, or one line starting with the
 * field it names). Any violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_row.h"
#include "myotrack.h"
#include "screen/columns.h"
#include "screen/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FC_MAX_FIELDS 64

/* The input cut by csv_cut_record (as do_block does, 4096 fields) and by
 * csv_record_general, each in its own copy: the same cuts. */
static void cut_all(const uint8_t *data, size_t size)
{
    enum { MAX = 4096 };
    char *a = malloc(size ? size : 1), *b = malloc(size ? size : 1), *pa, *pb;
    csv_field *f = malloc(MAX * sizeof(*f)), *g = malloc(MAX * sizeof(*g));
    size_t la = 0, lb = 0, na = 0, nb = 0, i;
    csv_cut k;

    if (!a || !b || !f || !g)
        abort();
    memcpy(a, data, size);
    memcpy(b, data, size);
    csv_cut_init(&k);
    for (pa = a, pb = b; pa < a + size;) {
        char *before = pa;
        int ra = csv_cut_record(&k, &pa, a + size, f, MAX, &na, &la),
            rb = csv_record_general(&pb, b + size, g, MAX, &nb, &lb);
        if (pa <= before || pa > a + size || ra != rb || pa - a != pb - b || la != lb)
            abort();
        if (ra == CSV_OK) {
            if (na != nb)
                abort();
            for (i = 0; i < na; i++)
                if (f[i].len != g[i].len || f[i].p - a != g[i].p - b ||
                    memcmp(f[i].p, g[i].p, f[i].len) != 0)
                    abort();
        }
    }
    free(a);
    free(b);
    free(f);
    free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1), *ref = malloc(size ? size : 1), *pos, *end;
    csv_field f[FC_MAX_FIELDS + 1], g[FC_MAX_FIELDS + 1];
    columns cols;
    mt_row *row = NULL;
    size_t n = 0, lines = 0, cut;
    int rc, have_cols = 0;

    if (!buf || !ref) {
        free(buf);
        free(ref);
        return 0;
    }
    memcpy(buf, data, size);
    memcpy(ref, data, size);
    cut = csv_boundary(buf, size);
    if (cut > size || (cut && buf[cut - 1] != '\n'))
        abort();
    if (csv_count_lines(buf, size) > size)
        abort();
    cut_all(data, size);
    memset(&cols, 0, sizeof(cols));
    pos = buf;
    end = buf + size;
    if (mt_row_new(&row) != MT_OK)
        abort();
    while (pos < end) {
        char *before = pos, *rpos = ref + (pos - buf);
        size_t i, rn = 0, rlines = lines;
        int rrc = csv_record_general(&rpos, ref + size, g, FC_MAX_FIELDS, &rn, &rlines);
        rc = csv_record(&pos, end, f, FC_MAX_FIELDS, &n, &lines);
        if (pos <= before || pos > end)
            abort();
        /* the same cut as the general way's on the copy */
        if (rc != rrc || rpos - ref != pos - buf || rlines != lines)
            abort();
        if (rc == CSV_OK) {
            if (rn != n)
                abort();
            for (i = 0; i < n; i++)
                if (g[i].len != f[i].len || g[i].p - ref != f[i].p - buf ||
                    memcmp(g[i].p, f[i].p, f[i].len) != 0)
                    abort();
        }
        if (rc != CSV_OK) {
            if (!csv_problem(rc)[0])
                abort();
            continue;
        }
        if (n == 0 || n > FC_MAX_FIELDS)
            abort();
        if (fuzz_take_record(&cols, row, f, n, buf, end, &have_cols) != 0)
            break;
    }
    if (lines > size)
        abort();
    columns_free(&cols);
    mt_row_free(row);
    free(buf);
    free(ref);
    return 0;
}
