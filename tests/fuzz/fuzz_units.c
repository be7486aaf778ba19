/*
 * fuzz_units.c - libFuzzer target for mt_quantity_parse.
 *
 * Feeds the raw bytes to the quantity parser for every target unit and checks
 * the contract: on MT_OK the value is finite and >= 0 and the error is left
 * untouched; on failure the code is MT_EINVAL, the field is empty and the
 * message is one non-empty, NUL-terminated line. The same call without an
 * mt_error must give the same answer. Any violation aborts.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "myotrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fu_check_one(const char *s, size_t size, mt_unit unit)
{
    mt_error err, sentinel;
    double v = -1.0, v2 = -1.0;
    int rc, rc2;

    memset(&sentinel, 0xA5, sizeof sentinel);
    memcpy(&err, &sentinel, sizeof err);
    rc = mt_quantity_parse(s, size, unit, &v, &err);
    rc2 = mt_quantity_parse(s, size, unit, &v2, NULL);
    if (rc != rc2)
        abort();
    if (rc == MT_OK) {
        if (!isfinite(v) || v < 0.0 || memcmp(&v, &v2, sizeof v) != 0)
            abort();
        if (memcmp(&err, &sentinel, sizeof err) != 0)
            abort();
        return;
    }
    if (rc != MT_EINVAL || err.code != MT_EINVAL || err.field[0] != '\0')
        abort();
    if (memchr(err.message, '\0', sizeof err.message) == NULL)
        abort();
    if (err.message[0] == '\0' || strchr(err.message, '\n') != NULL ||
        strchr(err.message, '\r') != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int u;
    for (u = MT_UNIT_KG; u <= MT_UNIT_OHM; u++)
        fu_check_one((const char *)data, size, (mt_unit)u);
    return 0;
}
