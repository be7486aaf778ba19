/*
 * example.c - using libmyotrack from a program of your own.
 *
 * Parses one assessment document, assesses it, prints the category under
 * every consensus definition, then reads one criterion's evidence: the
 * measured value, the operator, the threshold and the source it comes from.
 *
 *   cc example.c $(pkg-config --cflags --libs myotrack) -o example && ./example
 *
 * Prints, among other lines:
 *   ewgsop2: probable
 */
#include <stdio.h>
#include <string.h>

#include <myotrack.h>

/* A 76-year-old man: grip 24 kg, appendicular lean mass 22.7 kg by DXA. */
static const char document[] = "{"
                               "  \"person\": {\"sex\": \"male\", \"age\": 76,"
                               "              \"height\": 175, \"weight\": 78},"
                               "  \"measurements\": {\"grip\": 24,"
                               "                   \"asm\": 22.7, \"asm_method\": \"dxa\"}"
                               "}";

/* The definitions the engine computes, side by side. */
static const char *const definitions[] = {"ewgsop2", "awgs2019", "fnih", "sdoc", "ewgsop1"};

int main(void)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_criterion_view grip;
    mt_error err;
    size_t i;
    int rc, status = 0;

    /* 1. Parse. The buffer need not be NUL-terminated: pass its length. On
     *    failure err.message is one printable line naming the field, the
     *    value and the accepted range; 65 is the sysexits code for bad data. */
    rc = mt_input_parse_json(&in, document, strlen(document), &err);
    if (rc != MT_OK) {
        fprintf(stderr, "example: %s\n", err.message);
        return rc == MT_EINVAL || rc == MT_ETOOBIG ? 65 : 70;
    }

    /* 2. Assess. Pure: the same input always gives the same result. */
    rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        fprintf(stderr, "example: %s\n", err.message);
        status = 70;
        goto done;
    }

    /* 3. One category per definition. The strings belong to `res`. */
    for (i = 0; i < sizeof(definitions) / sizeof(definitions[0]); i++)
        printf("%s: %s\n", definitions[i], mt_result_category(res, definitions[i]));

    /* 4. The evidence behind one criterion: EWGSOP2's low grip strength. */
    if (mt_result_criterion(res, "ewgsop2", "low_grip", &grip) == MT_OK) {
        printf("\newgsop2 low_grip: ");
        if (grip.has_value)
            printf("%g %s", grip.value, grip.unit);
        else
            printf("not measured");
        printf(" %s %g %s -> %s (%s, %s)\n", grip.op, grip.threshold, grip.unit,
               grip.met == 1   ? "met"
               : grip.met == 0 ? "not met"
                               : "unknown",
               grip.source, grip.status);
        printf("source %s: %s\n", grip.source, mt_source_citation(grip.source));
    }

    /* Every human-facing output carries the disclaimer. */
    printf("\n%s\n", mt_disclaimer());

done:
    /* Every _free accepts NULL, so one exit path frees everything. */
    mt_result_free(res);
    mt_input_free(in);
    return status;
}
