/*
 * suggest.c - "did you mean" for unknown field names.
 *
 * Optimal string alignment distance (Damerau-Levenshtein restricted to
 * adjacent transpositions), case-insensitive, on names of at most 63 bytes.
 * Written here because it is twenty lines and no JSON library offers it.
 */
#include <ctype.h>
#include <string.h>

#include "input/suggest.h"

#define MAXLEN 63

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[MAXLEN + 1][MAXLEN + 1];
    size_t i, j;

    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca != cb;
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

const char *mt_suggest(const char *word, const char *const *names, size_t n)
{
    size_t lw = strlen(word), best_d = (size_t)-1, i;
    const char *best = NULL;

    if (lw == 0 || lw > MAXLEN)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t ln = strlen(names[i]), dist, limit;
        if (ln > MAXLEN)
            continue;
        dist = osa_distance(word, lw, names[i], ln);
        limit = ln <= 4 ? 1 : 2;
        if (dist <= limit && dist < best_d) {
            best_d = dist;
            best = names[i];
        }
    }
    return best;
}
