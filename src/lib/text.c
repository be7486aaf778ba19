/*
 * text.c - user text as one-line messages show it (text.h).
 */
#include <string.h>

#include "text.h"

size_t mt_utf8_char(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, i;

    if (c >= 0x20 && c < 0x7F)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

size_t mt_hex_byte(char *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";

    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

size_t mt_text_shown(char *dst, size_t cap, const char *s, size_t len, int quoted)
{
    /* room kept for "...", the closing quote and the NUL */
    size_t i = 0, o = 0, room = cap - 5;

    if (cap < 12) {
        if (cap)
            dst[0] = '\0';
        return 0;
    }
    if (quoted)
        dst[o++] = '"';
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t k = mt_utf8_char((const unsigned char *)s + i, len - i), w;
        char esc[4];
        const char *from = s + i;
        if (k && quoted && (c == '"' || c == '\\')) { /* \" or \\ */
            esc[0] = '\\';
            esc[1] = (char)c;
            from = esc;
            w = 2;
        } else if (k) {
            w = k;
        } else { /* one byte as \xHH */
            w = mt_hex_byte(esc, c);
            from = esc;
            k = 1;
        }
        if (o + w > room)
            break;
        memcpy(dst + o, from, w);
        o += w;
        i += k;
    }
    if (i < len) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    if (quoted)
        dst[o++] = '"';
    dst[o] = '\0';
    return o;
}
