/*
 * test_text.c - user text as one-line messages show it (src/lib/text.h):
 * printable ASCII and well-formed UTF-8 kept, every other byte as \xHH, '"'
 * and '\\' escaped between quotes, a long text cut after a whole character
 * with "...". Fixed cases, then random byte strings and room, each output
 * read back (unescaped) to the input or, when cut, to a prefix of it.
 */
#include "testutil.h"

#include <stdio.h>

#include "text.h"

static void shown_is(const char *s, size_t len, int quoted, size_t cap, const char *want)
{
    char buf[256];
    size_t n;

    memset(buf, 'Z', sizeof(buf));
    n = mt_text_shown(buf, cap, s, len, quoted);
    if (strcmp(buf, want) != 0 || n != strlen(want))
        fail_msg("shown \"%s\" (%zu bytes), want \"%s\"", buf, n, want);
}

static void fixed_cases(void **state)
{
    (void)state;
    shown_is("grip", 4, 0, 64, "grip");
    shown_is("grip", 4, 1, 64, "\"grip\"");
    shown_is("", 0, 1, 64, "\"\"");
    shown_is("a\"b\\c", 5, 1, 64, "\"a\\\"b\\\\c\"");
    shown_is("a\"b\\c", 5, 0, 64, "a\"b\\c"); /* a name, unquoted: as it is */
    shown_is("2\n9", 3, 1, 64, "\"2\\x0a9\"");
    shown_is("a\0b\tc\x7f", 6, 1, 64, "\"a\\x00b\\x09c\\x7f\"");
    shown_is("Jos\xe9", 4, 1, 64, "\"Jos\\xe9\"");                  /* Latin-1 */
    shown_is("Jos\xc3\xa9", 5, 1, 64, "\"Jos\xc3\xa9\"");           /* UTF-8 */
    shown_is("\xf0\x9f\x98\x80", 4, 0, 64, "\xf0\x9f\x98\x80");     /* U+1F600 */
    shown_is("\xc0\x80", 2, 0, 64, "\\xc0\\x80");                   /* overlong */
    shown_is("\xed\xa0\x80", 3, 0, 64, "\\xed\\xa0\\x80");          /* a surrogate */
    shown_is("\xf4\x90\x80\x80", 4, 0, 64, "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    shown_is("x\xe2\x82", 3, 0, 64, "x\\xe2\\x82");                 /* cut short */
    /* cut: cap 12 keeps 7 bytes of text, then ..." */
    shown_is("abcdefghijklmnop", 16, 1, 12, "\"abcdef...\"");
    shown_is("abcdefghijklmnop", 16, 0, 12, "abcdefg...");
    shown_is("abcdefg", 7, 0, 12, "abcdefg"); /* fits: no dots */
    /* never half a character or half an escape */
    shown_is("abcde\xc3\xa9z", 8, 1, 12, "\"abcde...\"");
    shown_is("abcd\x01zzzz", 9, 1, 12, "\"abcd...\"");
    shown_is("abc", 3, 1, 11, "");
    shown_is("abc", 3, 1, 1, "");
}

/* Read a quoted `out` back: \xHH, \" and \\ to their bytes; with `cut`,
 * the "..." before the closing quote left out. -1 when it is not what
 * mt_text_shown writes. */
static long unshow(const char *out, int cut, unsigned char *back)
{
    size_t n = strlen(out), i = 1, o = 0;

    if (n < 2 || out[0] != '"' || out[n - 1] != '"')
        return -1;
    n--;
    if (cut) {
        if (n < 4 || memcmp(out + n - 3, "...", 3) != 0)
            return -1;
        n -= 3;
    }
    while (i < n) {
        unsigned char c = (unsigned char)out[i];
        unsigned h;
        if (c < 0x20 || c == 0x7f || c == '"')
            return -1; /* a control byte or a quote left as it is */
        if (c != '\\') {
            back[o++] = c;
            i++;
        } else if (i + 1 < n && (out[i + 1] == '"' || out[i + 1] == '\\')) {
            back[o++] = (unsigned char)out[i + 1];
            i += 2;
        } else if (i + 3 < n && out[i + 1] == 'x' && sscanf(out + i + 2, "%2x", &h) == 1) {
            back[o++] = (unsigned char)h;
            i += 4;
        } else {
            return -1;
        }
    }
    return (long)o;
}

static void random_round_trip(void **state)
{
    static const unsigned char alphabet[] = {'a',  '0',  '"',  '\\', 'x',  '.',  0,    '\t',
                                             '\n', 0x7f, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x82,
                                             0xac, 0xed, 0xf0, 0x9f, 0x98, 0xf4, 0xff, 0xc0};
    uint64_t rng = 0x51ed270b27f1a5c3u;
    int t;

    (void)state;
    for (t = 0; t < 200000; t++) {
        unsigned char in[40], back[256];
        char out[200];
        size_t len = mt_test_xorshift(&rng) % sizeof(in), cap = 12 + mt_test_xorshift(&rng) % 60, i,
               o;
        int quoted = (int)(mt_test_xorshift(&rng) & 1);
        long got;
        for (i = 0; i < len; i++)
            in[i] = alphabet[mt_test_xorshift(&rng) % sizeof(alphabet)];
        o = mt_text_shown(out, cap, (const char *)in, len, quoted);
        if (o != strlen(out) || o >= cap)
            fail_msg("case %d: %zu bytes written, strlen %zu, cap %zu", t, o, strlen(out), cap);
        /* valid UTF-8 throughout */
        for (i = 0; i < o;) {
            size_t k = mt_utf8_char((const unsigned char *)out + i, o - i);
            if (!k)
                fail_msg("case %d: byte %zu of \"%s\" is not text", t, i, out);
            i += k;
        }
        if (!quoted) /* a name's '\\' is as it is: "\\x41" would read back as 'A' */
            continue;
        got = unshow(out, 0, back);
        if (got == (long)len && memcmp(back, in, len) == 0)
            continue; /* whole */
        /* cut: a proper prefix of the text, and every whole character that
         * fits kept: the next would not (5 bytes are kept for the dots, the
         * closing quote and the NUL) */
        if ((got = unshow(out, 1, back)) < 0 || (size_t)got >= len ||
            memcmp(back, in, (size_t)got) != 0)
            fail_msg("case %d: \"%s\" is neither the text nor a cut of it", t, out);
        {
            size_t k = mt_utf8_char(in + got, len - (size_t)got), w, kept = o - 4;
            unsigned char c = in[got];
            w = !k ? 4 : (c == '"' || c == '\\') ? 2 : k;
            if (kept + w <= cap - 5)
                fail_msg("case %d: \"%s\" cut with room for the next character", t, out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_cases),
        cmocka_unit_test(random_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
