/*
 * suggest.h - "did you mean": the closest known name to a mistyped one.
 */
#ifndef MT_SUGGEST_H
#define MT_SUGGEST_H

#include <stddef.h>

/**
 * The name in `names` closest to `word` (case-insensitive optimal string
 * alignment distance: insertions, deletions, substitutions, transpositions),
 * or NULL when none is close enough to be a likely typo: at most 1 edit for
 * names up to 4 letters, at most 2 for longer ones.
 */
const char *mt_suggest(const char *word, const char *const *names, size_t n);

#endif
