/*
 * buf.h - a growable output buffer with a hard maximum, and the number and
 * string formatting every renderer shares. An allocation failure or the
 * maximum is remembered (`failed`) and checked once at the end.
 */
#ifndef MT_BUF_H
#define MT_BUF_H

#include <stddef.h>

#define MT_BUF_MAX (16u * 1024u * 1024u)

typedef struct mt_buf {
    char *p;
    size_t len, cap;
    int failed;
} mt_buf;

void mt_buf_put(mt_buf *b, const char *s, size_t n);
void mt_buf_puts(mt_buf *b, const char *s);
/** Make room for `need` more bytes (and a NUL); 0 once the buffer has failed. */
int mt_buf_grow(mt_buf *b, size_t need);

/* Room for `need` more bytes: inline when there is room already. */
static inline int mt_buf_room(mt_buf *b, size_t need)
{
    return b->len + need + 1 <= b->cap || mt_buf_grow(b, need);
}

/* One byte: inline, the renderers' most frequent call. */
static inline void mt_buf_putc(mt_buf *b, char c)
{
    if (b->len + 2 <= b->cap || mt_buf_grow(b, 1))
        b->p[b->len++] = c;
}
/** A number rounded to 4 decimals, trailing zeros dropped: 18, 0.789, 513.51. */
void mt_buf_num(mt_buf *b, double v);

/* The longest mt_put_num or mt_put_int writes: "-9223372036854775808". */
#define MT_NUM_MAX 24
/** mt_buf_num's and mt_buf_int's text written at `o`, in room the caller has
 * reserved (MT_NUM_MAX bytes); returns the end. For writers that reserve once
 * for a whole member. */
char *mt_put_num(char *o, double v);
char *mt_put_int(char *o, long long v);
/** A number with exactly `decimals` decimals (0-4), for aligned text. */
void mt_buf_fixed(mt_buf *b, double v, int decimals);
void mt_buf_int(mt_buf *b, long long v);
/** `s` as a JSON string, quoted and escaped. */
void mt_buf_json_str(mt_buf *b, const char *s);
/** 1 when `s` holds no byte JSON escapes ('"', '\\', control bytes): its
 * quoted copy is then its JSON string. */
int mt_json_plain(const char *s);
/** Pad with spaces until the current line is `col` characters wide (UTF-8 aware). */
void mt_buf_pad_to(mt_buf *b, size_t line_start, size_t col);
/** Hand the NUL-terminated contents to the caller; MT_ENOMEM if anything failed. */
int mt_buf_finish(mt_buf *b, char **out, size_t *len);

#endif
