/*
 * csv.h - RFC 4180 records, read from memory a block at a time.
 *
 * The reader (screen.c) cuts the input into blocks that end on a record
 * boundary (csv_boundary); any thread can then cut a block into records and
 * fields (csv_record) on its own. Quoted fields may hold commas, quotes ("")
 * and line breaks; CRLF and LF both end a record; a UTF-8 byte-order mark at
 * the start of the file is the reader's to skip. Fields are unquoted in place,
 * so a block is writable memory.
 */
#ifndef MT_SCREEN_CSV_H
#define MT_SCREEN_CSV_H

#include <stddef.h>

/** One field: `len` bytes at `p`, not NUL-terminated. */
typedef struct csv_field {
    char *p;
    size_t len;
} csv_field;

/**
 * The end of the last complete record in buf[0, len): the offset just past its
 * line break, or 0 when the block holds no complete record. A block always
 * starts outside quotes (on a record boundary).
 */
size_t csv_boundary(const char *buf, size_t len);

/** Line breaks in buf[0, len) (those inside quoted fields too). */
size_t csv_count_lines(const char *buf, size_t len);

enum {
    CSV_OK = 0,
    CSV_TOO_MANY,      /* more fields than `max` */
    CSV_BAD_QUOTE,     /* text after a closing quote */
    CSV_OPEN_QUOTE     /* a quoted field still open at the end of the input */
};

/**
 * Cut one record from *pos (< end): up to `max` fields into `out`, their count
 * in *n. Advances *pos past the record's line break and adds the line breaks
 * it crossed to *lines. Quoted fields are unquoted in place. Returns CSV_OK or
 * a CSV_* problem (the record is still skipped whole; *n is then meaningless).
 */
int csv_record(char **pos, char *end, csv_field *out, size_t max, size_t *n, size_t *lines);

/** csv_record without its fast way for plain records (no quote, no '\r'):
 *  the reference that fast way is fuzzed against (tests/fuzz/fuzz_csv.c). */
int csv_record_general(char **pos, char *end, csv_field *out, size_t max, size_t *n,
                       size_t *lines);

/** A one-line description of a CSV_* problem. */
const char *csv_problem(int code);

#endif
