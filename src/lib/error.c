/*
 * error.c - fill an mt_error. Messages quote the document (keys, values, JSON
 * error texts), so control bytes are replaced here: every error stays one
 * line, whichever part of the library reports it.
 */
#include <stdio.h>

#include "error.h"

static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

int mt_error_setv(mt_error *err, int code, const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    one_line(err->field);
    one_line(err->message);
    return code;
}

int mt_error_set(mt_error *err, int code, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mt_error_setv(err, code, field, fmt, ap);
    va_end(ap);
    return code;
}
