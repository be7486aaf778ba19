/*
 * test_render.c - the renderers' formatting primitives (render/buf.c): JSON
 * string escaping, checked against a byte-by-byte reference on every short
 * string over an alphabet of the bytes that matter (quotes, backslashes,
 * control bytes, UTF-8, DEL) and on random longer ones, so the word-at-a-time
 * scan can never skip a byte that needs escaping; the plain-string test the
 * JSON writer relies on for engine text (mt_json_plain); and number
 * formatting, through the buffer and in place (mt_put_num, mt_put_int);
 * and the compact JSON rendering (MT_JSON_COMPACT): byte for byte the
 * indented rendering with every byte of whitespace outside strings removed,
 * on the examples and on user text full of spaces, quotes and escapes.
 */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "myotrack.h"
#include "render/buf.h"

/* The reference: RFC 8259 escaping, one byte at a time. */
static void reference_escape(const char *s, char *out, size_t cap)
{
    size_t k = 0;

    out[k++] = '"';
    for (; *s && k + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c < 0x20) {
            k += (size_t)snprintf(out + k, cap - k, "\\u%04x", c);
        } else {
            out[k++] = (char)c;
        }
    }
    out[k++] = '"';
    out[k] = '\0';
}

static void check_escape(const char *s)
{
    char want[512], *got = NULL;
    mt_buf b = {0};
    size_t n;

    reference_escape(s, want, sizeof(want));
    mt_buf_json_str(&b, s);
    assert_int_equal(mt_buf_finish(&b, &got, &n), MT_OK);
    if (strcmp(got, want) != 0) {
        print_error("escaped \"%s\" as %s, expected %s\n", s, got, want);
        free(got);
        fail();
    }
    free(got);
}

static const char alphabet[] = {'a', '"', '\\', '\n', '\x01', '\x1f', ' ', '\x7f', '\xc3', '\xa9'};
#define ALPHA (sizeof(alphabet))

static void escapes_every_string_of_up_to_three_bytes(void **state)
{
    char s[4];
    size_t a, b, c;

    (void)state;
    check_escape("");
    for (a = 0; a < ALPHA; a++) {
        s[0] = alphabet[a];
        s[1] = '\0';
        check_escape(s);
        for (b = 0; b < ALPHA; b++) {
            s[1] = alphabet[b];
            s[2] = '\0';
            check_escape(s);
            for (c = 0; c < ALPHA; c++) {
                s[2] = alphabet[c];
                s[3] = '\0';
                check_escape(s);
            }
        }
    }
}

/* One special byte at every position of strings 1-40 bytes long: each word
 * boundary of the 8-byte scan is crossed. */
static void escapes_a_special_byte_at_every_position(void **state)
{
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f'};
    char s[41];
    size_t len, pos, k;

    (void)state;
    for (len = 1; len <= 40; len++) {
        for (pos = 0; pos < len; pos++) {
            for (k = 0; k < sizeof(specials); k++) {
                memset(s, 'x', len);
                s[len] = '\0';
                s[pos] = specials[k];
                check_escape(s);
            }
        }
    }
}

static void escapes_random_long_strings(void **state)
{
    char s[200];
    unsigned seed = 12345;
    int t;

    (void)state;
    for (t = 0; t < 20000; t++) {
        size_t len = (size_t)(rand_r(&seed) % 199), i;
        for (i = 0; i < len; i++)
            s[i] = rand_r(&seed) % 8 ? (char)('a' + rand_r(&seed) % 26)
                                     : alphabet[(size_t)rand_r(&seed) % ALPHA];
        s[len] = '\0';
        check_escape(s);
    }
}

/* A string is plain exactly when escaping it only adds the quotes. */
static void check_plain(const char *s)
{
    char want[512];
    size_t n = strlen(s);
    int plain;

    reference_escape(s, want, sizeof(want));
    plain = strlen(want) == n + 2 && memcmp(want + 1, s, n) == 0;
    if (mt_json_plain(s) != plain) {
        print_error("mt_json_plain(\"%s\") gave %d, expected %d\n", s, !plain, plain);
        fail();
    }
}

static void plain_strings_are_exactly_those_escaping_leaves_alone(void **state)
{
    char s[200];
    unsigned seed = 777;
    size_t a, b, c;
    int t;

    (void)state;
    check_plain("");
    for (a = 0; a < ALPHA; a++)
        for (b = 0; b < ALPHA; b++)
            for (c = 0; c < ALPHA; c++) {
                s[0] = alphabet[a];
                s[1] = alphabet[b];
                s[2] = alphabet[c];
                s[3] = '\0';
                check_plain(s);
                s[1] = '\0';
                check_plain(s);
            }
    for (c = 1; c < 256; c++) { /* every byte, alone and after plain text */
        s[0] = (char)c;
        s[1] = '\0';
        check_plain(s);
        memcpy(s, "Strength training", 17);
        s[17] = (char)c;
        s[18] = '\0';
        check_plain(s);
    }
    for (t = 0; t < 5000; t++) {
        size_t len = (size_t)(rand_r(&seed) % 199), i;
        for (i = 0; i < len; i++)
            s[i] = rand_r(&seed) % 50 ? (char)(' ' + rand_r(&seed) % 95)
                                      : alphabet[(size_t)rand_r(&seed) % ALPHA];
        s[len] = '\0';
        check_plain(s);
    }
}

static void check_num(double v, const char *want)
{
    mt_buf b = {0};
    char *got = NULL;

    mt_buf_num(&b, v);
    assert_int_equal(mt_buf_finish(&b, &got, NULL), MT_OK);
    if (strcmp(got, want) != 0) {
        print_error("mt_buf_num(%.17g) gave %s, expected %s\n", v, got, want);
        free(got);
        fail();
    }
    free(got);
}

static void numbers_keep_four_decimals_and_drop_trailing_zeros(void **state)
{
    (void)state;
    check_num(0, "0");
    check_num(27, "27");
    check_num(-3, "-3");
    check_num(0.8, "0.8");
    check_num(0.789, "0.789");
    check_num(513.51, "513.51");
    check_num(18.14369, "18.1437");
    check_num(1.00004, "1");
    check_num(-0.00004, "0");
    check_num(-2.5, "-2.5");
    check_num(999999999999.0, "999999999999");
}

static void numbers_never_print_nan_or_infinity(void **state)
{
    (void)state;
    check_num(NAN, "null");
    check_num(INFINITY, "null");
    check_num(-INFINITY, "null");
    check_num(1e13, "null");
}

/* The formatting rule spelled out: 4 decimals rounded half away from zero,
 * trailing zeros and a bare point dropped; whole values as integers; null
 * when not finite or 1e12 and beyond. */
static void reference_num(double v, char *out, size_t cap)
{
    long long n;
    size_t k;

    if (!isfinite(v) || fabs(v) >= 1e12) {
        snprintf(out, cap, "null");
        return;
    }
    if (v == (double)(long long)v) {
        snprintf(out, cap, "%lld", (long long)v);
        return;
    }
    n = llround(v * 10000);
    snprintf(out, cap, "%s%lld.%04lld", n < 0 ? "-" : "", llabs(n) / 10000, llabs(n) % 10000);
    k = strlen(out);
    while (out[k - 1] == '0')
        out[--k] = '\0';
    if (out[k - 1] == '.')
        out[--k] = '\0';
}

/* mt_put_num and mt_buf_num against the reference, mt_put_int against printf. */
static void check_num_in_place(double v)
{
    char want[64], got[MT_NUM_MAX + 1];
    char *end;

    reference_num(v, want, sizeof(want));
    end = mt_put_num(got, v);
    assert_true(end > got && end - got <= MT_NUM_MAX);
    *end = '\0';
    if (strcmp(got, want) != 0) {
        print_error("mt_put_num(%.17g) gave %s, expected %s\n", v, got, want);
        fail();
    }
    check_num(v, want);
}

static void numbers_written_in_place_match_the_rule(void **state)
{
    static const double fixed[] = {
        0.5,      -0.5,       0.00005, -0.00005, 0.00004999,     1.99995,
        -1.99995, 12.3456789, 1e-9,    -1e-9,    999999999999.9, -999999999999.9,
        1e12,     123456.05,  0.1,     0.7,      2.675};
    static const long long ints[] = {
        0, 1, -1, 9, 10, -10, 99, 100, 12345, -98765, 999999999999LL, LLONG_MAX, LLONG_MIN};
    unsigned seed = 4242;
    char want[32], got[MT_NUM_MAX + 1];
    size_t i;
    int t;

    (void)state;
    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        check_num_in_place(fixed[i]);
    for (t = 0; t < 100000; t++) {
        double scale = pow(10, rand_r(&seed) % 16 - 6);
        double v = ((double)rand_r(&seed) / RAND_MAX - 0.5) * scale;
        if (t % 4 == 0)
            v = round(v * 10000) / 10000 + (rand_r(&seed) % 2 ? 0.00005 : -0.00005);
        if (t % 7 == 0)
            v = round(v);
        check_num_in_place(v);
    }
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        snprintf(want, sizeof(want), "%lld", ints[i]);
        *mt_put_int(got, ints[i]) = '\0';
        assert_string_equal(got, want);
    }
}

/* The reference for MT_JSON_COMPACT: the indented text with whitespace outside
 * strings dropped, one byte at a time. */
static char *reference_squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    int in_str = 0;

    assert_non_null(out);
    for (; *s; s++) {
        if (in_str) {
            *o++ = *s;
            if (*s == '\\')
                *o++ = *++s;
            else if (*s == '"')
                in_str = 0;
        } else if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t') {
            *o++ = *s;
            in_str = *s == '"';
        }
    }
    *o = '\0';
    return out;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;

    assert_non_null(f);
    p = malloc(1 << 16);
    assert_non_null(p);
    *len = fread(p, 1, (1 << 16) - 1, f);
    fclose(f);
    p[*len] = '\0';
    return p;
}

static void check_compact(const char *doc, size_t doc_len)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    char *pretty = NULL, *same = NULL, *compact = NULL, *want;
    size_t pretty_len = 0, same_len = 0, compact_len = 0;

    assert_int_equal(mt_input_parse_json(&in, doc, doc_len, NULL), MT_OK);
    assert_int_equal(mt_assess(&res, in, NULL), MT_OK);
    assert_int_equal(mt_result_render_json(res, &pretty, &pretty_len), MT_OK);
    /* flags 0: the indented output, byte for byte */
    assert_int_equal(mt_result_render_json_flags(res, 0, &same, &same_len), MT_OK);
    assert_int_equal(same_len, pretty_len);
    assert_memory_equal(same, pretty, pretty_len);
    assert_int_equal(mt_result_render_json_flags(res, MT_JSON_COMPACT, &compact, &compact_len),
                     MT_OK);
    want = reference_squeeze(pretty);
    assert_int_equal(compact_len, strlen(compact));
    assert_string_equal(compact, want);
    assert_true(compact_len < pretty_len * 3 / 4);
    free(want);
    mt_free(pretty);
    mt_free(same);
    mt_free(compact);
    mt_result_free(res);
    mt_input_free(in);
}

static void compact_json_is_the_indented_json_without_whitespace(void **state)
{
    static const char *const examples[] = {"examples/after-cast.json", "examples/clinic-visit.json",
                                           "examples/home-screen.json",
                                           "examples/hospital-bia.json", "examples/red-flag.json"};
    /* the user's own text, escaped: spaces, a quote, a backslash, JSON punctuation */
    static const char quoted[] =
        "{\"person\":{\"sex\":\"female\",\"age\":81,\"height\":155,\"weight\":52},"
        "\"measurements\":{\"grip\":14,\"gait_speed\":0.7},"
        "\"history\":{\"immobilization_weeks\":3,"
        "\"immobilized_part\":\" left \\\" arm \\\\ and , : {wrist}  \"}}";
    size_t i, len;
    char *doc;
    mt_result *res = NULL;
    mt_input *in = NULL;
    char *out = NULL;

    (void)state;
    for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        doc = read_file(examples[i], &len);
        check_compact(doc, len); /* twice: the criteria cache built, then used */
        check_compact(doc, len);
        free(doc);
    }
    check_compact(quoted, strlen(quoted));

    assert_int_equal(mt_input_parse_json(&in, quoted, strlen(quoted), NULL), MT_OK);
    assert_int_equal(mt_assess(&res, in, NULL), MT_OK);
    assert_int_equal(mt_result_render_json_flags(res, 2, &out, &len), MT_EUSAGE);
    assert_int_equal(mt_result_render_json_flags(NULL, MT_JSON_COMPACT, &out, &len), MT_EUSAGE);
    assert_int_equal(mt_result_render_json_flags(res, MT_JSON_COMPACT, NULL, &len), MT_EUSAGE);
    mt_result_free(res);
    mt_input_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_every_string_of_up_to_three_bytes),
        cmocka_unit_test(escapes_a_special_byte_at_every_position),
        cmocka_unit_test(escapes_random_long_strings),
        cmocka_unit_test(plain_strings_are_exactly_those_escaping_leaves_alone),
        cmocka_unit_test(numbers_keep_four_decimals_and_drop_trailing_zeros),
        cmocka_unit_test(numbers_never_print_nan_or_infinity),
        cmocka_unit_test(numbers_written_in_place_match_the_rule),
        cmocka_unit_test(compact_json_is_the_indented_json_without_whitespace),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
