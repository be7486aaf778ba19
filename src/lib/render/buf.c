/*
 * buf.c - output buffer and number formatting for the renderers.
 *
 * Numbers are formatted by hand (integer arithmetic on the value scaled to 4
 * decimals) rather than with printf: it is several times faster, which the
 * throughput target of the JSON renderer needs, and it cannot print "nan",
 * "inf" or a locale's decimal comma. mt_put_num and mt_put_int write into
 * room the caller reserved, so the JSON writer reserves once per member.
 *
 * The buffer starts at 64 KiB: a full JSON result (about 37 KB) is written
 * without a realloc (untouched pages cost nothing).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "myotrack.h"
#include "render/buf.h"

int mt_buf_grow(mt_buf *b, size_t need)
{
    size_t cap;
    char *p;

    if (b->failed)
        return 0;
    if (b->len + need + 1 <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 65536; /* a full JSON result fits: one allocation */
    while (cap < b->len + need + 1)
        cap *= 2;
    if (cap > MT_BUF_MAX) {
        b->failed = 1;
        return 0;
    }
    p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void mt_buf_put(mt_buf *b, const char *s, size_t n)
{
    if (!mt_buf_grow(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void mt_buf_puts(mt_buf *b, const char *s)
{
    mt_buf_put(b, s, strlen(s));
}

char *mt_put_int(char *o, long long v)
{
    char tmp[20];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    if (v < 0)
        *o++ = '-';
    if (u < 10) { /* most scores, counts and thresholds */
        *o++ = (char)('0' + u);
        return o;
    }
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *o++ = tmp[--n];
    return o;
}

void mt_buf_int(mt_buf *b, long long v)
{
    if (mt_buf_room(b, MT_NUM_MAX))
        b->len = (size_t)(mt_put_int(b->p + b->len, v) - b->p);
}

/* v rounded to `decimals` (0-4) decimals; trailing zeros dropped if `trim`. */
static char *put_scaled(char *o, double v, int decimals, int trim)
{
    static const long long scale[] = {1, 10, 100, 1000, 10000};
    long long n, fp;
    char frac[4];
    int k, nf;

    if (!isfinite(v) || fabs(v) >= 1e12) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    n = llround(v * scale[decimals]);
    if (n < 0) {
        *o++ = '-';
        n = -n;
    }
    fp = n % scale[decimals];
    o = mt_put_int(o, n / scale[decimals]);
    for (k = decimals - 1; k >= 0; k--) {
        frac[k] = (char)('0' + fp % 10);
        fp /= 10;
    }
    nf = decimals;
    if (trim)
        while (nf > 0 && frac[nf - 1] == '0')
            nf--;
    if (nf > 0) {
        *o++ = '.';
        for (k = 0; k < nf; k++)
            *o++ = frac[k];
    }
    return o;
}

char *mt_put_num(char *o, double v)
{
    long long n, fp;
    int nf, k;

    if (!isfinite(v) || fabs(v) >= 1e12) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    if (v == (double)(long long)v) /* whole: most thresholds and scores */
        return mt_put_int(o, (long long)v);
    /* put_scaled(v, 4, 1) with the scale a constant: no division instruction */
    n = llround(v * 10000);
    if (n < 0) {
        *o++ = '-';
        n = -n;
    }
    o = mt_put_int(o, n / 10000);
    fp = n % 10000;
    if (!fp)
        return o;
    for (nf = 4; fp % 10 == 0; nf--) /* trailing zeros dropped */
        fp /= 10;
    o[0] = '.';
    for (k = nf; k > 0; k--) {
        o[k] = (char)('0' + fp % 10);
        fp /= 10;
    }
    return o + 1 + nf;
}

void mt_buf_num(mt_buf *b, double v)
{
    if (mt_buf_room(b, MT_NUM_MAX))
        b->len = (size_t)(mt_put_num(b->p + b->len, v) - b->p);
}

void mt_buf_fixed(mt_buf *b, double v, int decimals)
{
    decimals = decimals < 0 ? 0 : decimals > 4 ? 4 : decimals;
    if (mt_buf_room(b, MT_NUM_MAX))
        b->len = (size_t)(put_scaled(b->p + b->len, v, decimals, 0) - b->p);
}

/* Bytes a JSON string holds as they are: not NUL, not control, not '"' or '\\'. */
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char plain[256] = {
    R16(0), R16(0), /* 0x00-0x1f */
    1,      1,      0,      1,      1,      1,      1,      1,      1,      1,
    1,      1,      1,      1,      1,      1, /* 0x20-0x2f: '"' */
    R16(1), R16(1), 1,      1,      1,      1,      1,      1,      1,      1,
    1,      1,      1,      1,      0,      1,      1,      1, /* 0x50-0x5f: '\\' */
    R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
};

int mt_json_plain(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (plain[*p])
        p++;
    return !*p;
}

/* One pass over the string: plain bytes are copied into room reserved a
 * chunk at a time, so there is no strlen and no call per short string (the
 * renderers write hundreds of them: keys' values, units, source IDs). */
void mt_buf_json_str(mt_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    mt_buf_putc(b, '"');
    for (;;) {
        char *o, *stop;
        if (!mt_buf_room(b, 64))
            return;
        o = b->p + b->len;
        stop = o + 64;
        while (o < stop && plain[*p])
            *o++ = (char)*p++;
        b->len = (size_t)(o - b->p);
        if (plain[*p])
            continue; /* the chunk filled up: reserve the next */
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            mt_buf_put(b, e, 2);
        } else {
            char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            mt_buf_put(b, e, 6);
        }
        p++;
    }
    mt_buf_putc(b, '"');
}

void mt_buf_pad_to(mt_buf *b, size_t line_start, size_t col)
{
    size_t i, width = 0;

    if (b->failed)
        return;
    for (i = line_start; i < b->len; i++)
        width += ((unsigned char)b->p[i] & 0xC0) != 0x80; /* count UTF-8 lead bytes */
    if (width >= col) {
        mt_buf_putc(b, ' ');
        return;
    }
    while (width++ < col)
        mt_buf_putc(b, ' ');
}

int mt_buf_finish(mt_buf *b, char **out, size_t *len)
{
    if (!b->failed && mt_buf_grow(b, 0))
        b->p[b->len] = '\0';
    if (b->failed) {
        free(b->p);
        b->p = NULL;
        return MT_ENOMEM;
    }
    *out = b->p;
    if (len)
        *len = b->len;
    b->p = NULL;
    return MT_OK;
}

void mt_free(void *p)
{
    free(p);
}
