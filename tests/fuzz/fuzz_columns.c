/*
 * fuzz_columns.c - libFuzzer target for `myotrack screen --columns MAP.json`:
 * the column map's reader (columns_load: fields, units, code tables, max_of,
 * sum_of, constants, methods, optional, the design keys), its resolution
 * against a header and the filling of each row through it (columns.c), then
 * the engine's row classification.
 *
 * The input is the map, a NUL byte, then a CSV file whose first record is the
 * header (no NUL: the whole input is the map, read against a fixed file of
 * NHANES-like columns). Contract: the map is read or refused with one
 * non-empty line; so is its resolution against the header; each row is held
 * to fuzz_row.h's contract. Any violation aborts; ASan and UBSan catch the
 * rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_row.h"
#include "myotrack.h"
#include "screen/columns.h"
#include "screen/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_FIELDS 64

static const char fixed_csv[] =
    "SEQN,RIAGENDR,RIDAGEYR,BMXHT,BMXWT,g1,g2,g3,la,ra,ll,rl,sex,age,grip,asm,w,st,psu\n"
    "1,1,70,170.2,70.5,30,31.5,,2000,2100,7000.5,7100,male,70,27,18.2,1000.5,1,1\n"
    "2,2,65,,NA,12,.,19.99,1500,,5000,5000,female,65,,,2000,1,2\n"
    "3,1,80,165,60,unable,abc,5.,-1,2,3,4,male,80,16,10,0,2,1\n"
    "4,2,61,155.5,45,100.1,0,1e1,1500.,1500,5000,5e3,female,61,15.9,12.99,1,2,2\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t map_len = nul ? (size_t)(nul - data) : size,
           csv_len = nul ? size - map_len - 1 : sizeof(fixed_csv) - 1;
    char *map = malloc(map_len ? map_len : 1), *csv = malloc(csv_len ? csv_len : 1), *pos, *end,
         msg[600];
    csv_field f[FZ_MAX_FIELDS + 1];
    columns cols;
    mt_row *row = NULL;
    size_t n = 0, lines = 0;
    int have_header = 0;

    if (!map || !csv) {
        free(map);
        free(csv);
        return 0;
    }
    memcpy(map, data, map_len); /* a buffer of exactly its size: reads past it are caught */
    memcpy(csv, nul ? (const char *)nul + 1 : fixed_csv, csv_len);
    memset(&cols, 0, sizeof(cols));
    msg[0] = '\0';
    if (columns_load(&cols, map, map_len, "map.json", msg, sizeof(msg)) != 0) {
        if (!fuzz_one_line(msg))
            abort();
        goto out;
    }
    if (mt_row_new(&row) != MT_OK)
        abort();
    for (pos = csv, end = csv + csv_len; pos < end;) {
        char *before = pos;
        int rc = csv_record(&pos, end, f, FZ_MAX_FIELDS, &n, &lines);
        if (pos <= before || pos > end)
            abort();
        if (rc != CSV_OK)
            continue;
        if (fuzz_take_record(&cols, row, f, n, csv, end, &have_header) != 0)
            break;
    }
    mt_row_free(row);
out:
    columns_free(&cols);
    free(map);
    free(csv);
    return 0;
}
