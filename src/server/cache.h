/*
 * cache.h - answers made from a patient's history (progress, plan), kept in
 * memory by the version of the history they were made from.
 *
 * The database bumps a patient's history version on every change to their
 * records or alerts (st_history_cached, store.h). A request looks its answer
 * up here, asks the store whether that version is still current (the store
 * still checks the access and writes the audit row), and answers the copy
 * without reading or tracking the history again when it is. Entries are
 * shared and counted: one may be replaced while another thread still sends
 * it. The cache is bounded in entries and in bytes.
 */
#ifndef MT_CACHE_H
#define MT_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cache cache;
typedef struct cache_text cache_text;

/* What an answer depends on besides the history: the patient, the sections
 * (MT_TRACK_*), today's date and the from/to range ("" when absent). */
typedef struct cache_key {
    int64_t patient_id;
    unsigned parts;
    char today[11], from[11], to[11];
} cache_key;

/* A cache of at most `slots` answers and `max_bytes` of text. NULL when out
 * of memory (the server then runs without one: every lookup misses). */
cache *cache_new(size_t slots, size_t max_bytes);
void cache_free(cache *c); /* accepts NULL; no entry may still be held */

/* Fill `k` (from and to may be NULL); 0, or -1 when a value does not fit. */
int cache_key_make(cache_key *k, int64_t patient_id, unsigned parts, const char *today,
                   const char *from, const char *to);

/* The answer kept for `k` and the history version it was made from, holding a
 * reference (give it back with cache_release); NULL when none. */
cache_text *cache_get(cache *c, const cache_key *k, int64_t *version);
/* Keep a copy of `len` bytes of `text` for `k`, made from `version`,
 * replacing what was kept for it. Does nothing without room or memory. */
void cache_put(cache *c, const cache_key *k, int64_t version, const char *text, size_t len);
/* The text of an entry; valid while the reference is held. */
const char *cache_text_data(const cache_text *t, size_t *len);
void cache_release(cache *c, cache_text *t); /* accepts NULL */

#endif /* MT_CACHE_H */
