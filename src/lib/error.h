/*
 * error.h - the one way the library fills an mt_error.
 */
#ifndef MT_ERROR_H
#define MT_ERROR_H

#include <stdarg.h>

#include "myotrack.h"

#if defined(__GNUC__)
#define MT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MT_PRINTF(f, a)
#endif

/**
 * Fill `err` (may be NULL) with `code`, the dotted `field` ("" or NULL when
 * the failure is not about one field) and the formatted message, both kept to
 * one line whatever text they quote. Returns `code`.
 */
int mt_error_set(mt_error *err, int code, const char *field, const char *fmt, ...) MT_PRINTF(4, 5);
int mt_error_setv(mt_error *err, int code, const char *field, const char *fmt, va_list ap)
    MT_PRINTF(4, 0);

#endif
