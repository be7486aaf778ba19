/*
 * text.h - user text (a cell, a key, a column's name) as one-line messages
 * show it, the same way in every part of the library and its front ends.
 */
#ifndef MT_TEXT_H
#define MT_TEXT_H

#include <stddef.h>

/** The bytes of the character at s[0, n) that shown text keeps as it is: 1
 *  for printable ASCII, 2 to 4 for a well-formed UTF-8 sequence (no overlong
 *  form, surrogate or code point past U+10FFFF); 0 for anything else (a
 *  control byte, DEL, a Latin-1 byte, a sequence cut short). */
size_t mt_utf8_char(const unsigned char *s, size_t n);

/** Byte c as the four characters \xHH at out (not NUL-terminated): 4. */
size_t mt_hex_byte(char *out, unsigned char c);

/** s[0, len) into dst (cap bytes, NUL-terminated) for a one-line message:
 *  printable ASCII and well-formed UTF-8 as they are, every other byte as
 *  the four characters \xHH (a NUL, a tab, a line break, Latin-1's
 *  "M\xe1laga"), so that the message is one line of valid UTF-8 and two
 *  texts that differ show differently. With `quoted`, between double quotes,
 *  with '"' and '\\' as \" and \\. A text that does not fit is cut after a
 *  whole character and ends in "..." (inside the quotes). The bytes written;
 *  cap < 12 writes "" (or nothing when 0). */
size_t mt_text_shown(char *dst, size_t cap, const char *s, size_t len, int quoted);

#endif
