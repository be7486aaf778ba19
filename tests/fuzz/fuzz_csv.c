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
 * cutter (csv_cut_record) with room for the most fields, and so does the
 * index's (csv_index_record, do_block's) with room for the most or for 3;
 * every field lies inside the block; each row is held to fuzz_row.h's
 * contract (classified with valid categories, or one line starting with the
 * field it names); csv_record_general and csv_boundary cut as the byte-by-byte
 * reference below does. Any violation aborts.
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

/* ---- the reference: RFC 4180 read byte by byte, as csv.c first did ---------
 * csv_record_general and csv_boundary now jump from quote to quote (memchr)
 * and leave a quoted field without a doubled quote unwritten; each must cut
 * exactly as these plain loops do. */

static void ref_skip(char **pos, char *end, size_t *lines)
{
    char *s = *pos;
    int quoted = 0;

    for (; s < end; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == '\n') {
            ++*lines;
            if (!quoted) {
                s++;
                break;
            }
        }
    }
    *pos = s;
}

static int ref_record(char **pos, char *end, csv_field *out, size_t max, size_t *n, size_t *lines)
{
    char *s = *pos;
    size_t k = 0;

    for (;;) {
        csv_field f;
        if (k == max) {
            ref_skip(&s, end, lines);
            *pos = s;
            return CSV_TOO_MANY;
        }
        if (s < end && *s == '"') {
            char *w = ++s, *start = s;
            for (;;) {
                if (s == end) {
                    *pos = end;
                    return CSV_OPEN_QUOTE;
                }
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        *w++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                if (*s == '\n')
                    ++*lines;
                *w++ = *s++;
            }
            f.p = start;
            f.len = (size_t)(w - start);
            if (s < end && *s == '\r' && (s + 1 == end || s[1] == '\n'))
                s++;
            if (s < end && *s != ',' && *s != '\n') {
                ref_skip(&s, end, lines);
                *pos = s;
                return CSV_BAD_QUOTE;
            }
        } else {
            char *e = s;
            while (e < end && *e != ',' && *e != '\n')
                e++;
            f.p = s;
            f.len = (size_t)(e - s);
            if (f.len && s[f.len - 1] == '\r' && (e == end || *e == '\n'))
                f.len--;
            s = e;
        }
        out[k++] = f;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end) {
            s++;
            ++*lines;
        }
        break;
    }
    *n = k;
    *pos = s;
    return CSV_OK;
}

static const char *ref_record_end(const char *s, const char *end)
{
    for (;;) {
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s == end || (*s == '"' && s + 1 == end))
                    return NULL;
                if (*s == '"') {
                    if (s[1] == '"') {
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                s++;
            }
            if (s < end && *s == '\r' && (s + 1 < end && s[1] == '\n'))
                s++;
            if (s < end && *s != ',' && *s != '\n') {
                int quoted = 0;
                for (; s < end; s++) {
                    if (*s == '"')
                        quoted = !quoted;
                    else if (*s == '\n' && !quoted)
                        return s + 1;
                }
                return NULL;
            }
        } else {
            while (s < end && *s != ',' && *s != '\n')
                s++;
        }
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        return s < end ? s + 1 : NULL;
    }
}

static size_t ref_boundary(const char *buf, size_t len)
{
    const char *s = buf, *e;
    size_t i;

    if (!memchr(buf, '"', len)) {
        for (i = len; i > 0; i--)
            if (buf[i - 1] == '\n')
                return i;
        return 0;
    }
    while (s < buf + len && (e = ref_record_end(s, buf + len)) != NULL)
        s = e;
    return (size_t)(s - buf);
}

/* Two cutters' record from their own copies a and b of the input: the same
 * result and, when it is a record, the same fields (count, places, bytes). */
static void same_record(int ra, int rb, const char *a, const csv_field *f, size_t na,
                        const char *b, const csv_field *g, size_t nb)
{
    size_t i;

    if (ra != rb)
        abort();
    if (ra != CSV_OK)
        return;
    if (na != nb)
        abort();
    for (i = 0; i < na; i++)
        if (f[i].len != g[i].len || f[i].p - a != g[i].p - b ||
            memcmp(f[i].p, g[i].p, f[i].len) != 0)
            abort();
}

/* csv_record_general against the reference, each on its own copy: the same
 * results, cuts, line counts and fields' bytes. */
static void general_equals_ref(const uint8_t *data, size_t size)
{
    enum { MAX = 64 };
    char *a = malloc(size ? size : 1), *b = malloc(size ? size : 1), *pa, *pb;
    csv_field f[MAX], g[MAX];
    size_t la = 0, lb = 0, na = 0, nb = 0;

    if (!a || !b)
        abort();
    memcpy(a, data, size);
    memcpy(b, data, size);
    for (pa = a, pb = b; pa < a + size;) {
        int ra = csv_record_general(&pa, a + size, f, MAX, &na, &la),
            rb = ref_record(&pb, b + size, g, MAX, &nb, &lb);
        if (pa - a != pb - b || la != lb)
            abort();
        same_record(ra, rb, a, f, na, b, g, nb);
    }
    free(a);
    free(b);
}

/* The input cut by csv_cut_record (as do_block does, 4096 fields) and by
 * csv_record_general, each in its own copy: the same cuts. */
static void cut_all(const uint8_t *data, size_t size)
{
    enum { MAX = 4096 };
    char *a = malloc(size ? size : 1), *b = malloc(size ? size : 1), *pa, *pb;
    csv_field *f = malloc(MAX * sizeof(*f)), *g = malloc(MAX * sizeof(*g));
    size_t la = 0, lb = 0, na = 0, nb = 0;
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
        if (pa <= before || pa > a + size || pa - a != pb - b || la != lb)
            abort();
        same_record(ra, rb, a, f, na, b, g, nb);
    }
    free(a);
    free(b);
    free(f);
    free(g);
}

/* The input cut by csv_index_record (expecting as many fields as the first
 * byte says, 0 to 15: the header's count in do_block; at most 4096 or 3
 * fields; its AVX2 way or AVX-512 way) and by csv_record_general, each in
 * its own copy: the same cuts. */
static void index_all(const uint8_t *data, size_t size, size_t max, int way)
{
    char *a = malloc(size ? size : 1), *b = malloc(size ? size : 1), *pa, *pb;
    csv_field *f = malloc(4096 * sizeof(*f)), *g = malloc(4096 * sizeof(*g));
    size_t la = 0, lb = 0, na = 0, nb = 0, expect = size ? data[0] % 16 : 0;
    csv_index ix;

    if (!a || !b || !f || !g || csv_index_init(&ix) != 0)
        abort();
    memcpy(a, data, size);
    memcpy(b, data, size);
    ix.on = way;
    csv_index_block(&ix, a, a + size);
    for (pa = a, pb = b; pa < a + size;) {
        char *before = pa;
        int ra = csv_index_record(&ix, &pa, a + size, f, max, &na, &la, expect),
            rb = csv_record_general(&pb, b + size, g, max, &nb, &lb);
        if (pa <= before || pa > a + size || pa - a != pb - b || la != lb)
            abort();
        same_record(ra, rb, a, f, na, b, g, nb);
    }
    csv_index_free(&ix);
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
    if (cut > size || (cut && buf[cut - 1] != '\n') || cut != ref_boundary(buf, size))
        abort();
    general_equals_ref(data, size);
    if (csv_count_lines(buf, size) > size)
        abort();
    cut_all(data, size);
    for (int way = 1; way <= csv_index_available(); way++) { /* AVX2, then AVX-512 */
        index_all(data, size, 4096, way);
        index_all(data, size, 3, way);
    }
    memset(&cols, 0, sizeof(cols));
    pos = buf;
    end = buf + size;
    if (mt_row_new(&row) != MT_OK)
        abort();
    while (pos < end) {
        char *before = pos, *rpos = ref + (pos - buf);
        size_t rn = 0, rlines = lines;
        int rrc = csv_record_general(&rpos, ref + size, g, FC_MAX_FIELDS, &rn, &rlines);
        rc = csv_record(&pos, end, f, FC_MAX_FIELDS, &n, &lines);
        if (pos <= before || pos > end)
            abort();
        /* the same cut as the general way's on the copy */
        if (rpos - ref != pos - buf || rlines != lines)
            abort();
        same_record(rc, rrc, buf, f, n, ref, g, rn);
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
