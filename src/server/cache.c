/*
 * cache.c - the answers cache (cache.h): a direct-mapped table of slots
 * under one mutex. A key hashes to one slot; putting a key replaces what the
 * slot held. Texts are counted references, so a replaced or evicted text
 * lives until its last reader gives it back. When a new text would pass the
 * byte budget, slots are emptied in turn (a clock hand) until it fits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "server/cache.h"

struct cache_text {
    size_t refs; /* under the cache's mutex */
    size_t len;
    char data[]; /* len bytes and a NUL */
};

typedef struct slot {
    cache_key key;
    int64_t version;
    cache_text *text; /* NULL: empty */
} slot;

struct cache {
    pthread_mutex_t mu;
    slot *slots;
    size_t n, hand;
    size_t bytes, max_bytes;
};

cache *cache_new(size_t slots, size_t max_bytes)
{
    cache *c = calloc(1, sizeof(*c));

    if (!c || slots == 0 || !(c->slots = calloc(slots, sizeof(*c->slots)))) {
        free(c);
        return NULL;
    }
    c->n = slots;
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void cache_free(cache *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->n; i++)
        free(c->slots[i].text);
    pthread_mutex_destroy(&c->mu);
    free(c->slots);
    free(c);
}

static int copy_date(char out[11], const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n > 10)
        return -1;
    memcpy(out, s ? s : "", n);
    out[n] = '\0';
    return 0;
}

int cache_key_make(cache_key *k, int64_t patient_id, unsigned parts, const char *today,
                   const char *from, const char *to)
{
    memset(k, 0, sizeof(*k)); /* compared with memcmp: no stray bytes */
    k->patient_id = patient_id;
    k->parts = parts;
    if (copy_date(k->today, today) < 0 || copy_date(k->from, from) < 0 || copy_date(k->to, to) < 0)
        return -1;
    return 0;
}

static uint64_t mix(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3u; /* FNV-1a */
    return h;
}

static slot *slot_of(cache *c, const cache_key *k)
{
    uint64_t h = ((uint64_t)k->patient_id * 0x9E3779B97F4A7C15u) ^ k->parts;

    h = mix(mix(h, k->from), k->to);
    return &c->slots[(h >> 17) % c->n];
}

/* Drop a slot's text (a reference of its own). Under the mutex. */
static void empty(cache *c, slot *s)
{
    if (!s->text)
        return;
    c->bytes -= s->text->len;
    if (--s->text->refs == 0)
        free(s->text);
    s->text = NULL;
}

cache_text *cache_get(cache *c, const cache_key *k, int64_t *version)
{
    cache_text *t = NULL;
    slot *s;

    *version = -1;
    if (!c)
        return NULL;
    pthread_mutex_lock(&c->mu);
    s = slot_of(c, k);
    if (s->text && memcmp(&s->key, k, sizeof(*k)) == 0) {
        t = s->text;
        t->refs++;
        *version = s->version;
    }
    pthread_mutex_unlock(&c->mu);
    return t;
}

void cache_put(cache *c, const cache_key *k, int64_t version, const char *text, size_t len)
{
    cache_text *t;
    slot *s;
    size_t tries;

    if (!c || len > c->max_bytes || !(t = malloc(sizeof(*t) + len + 1)))
        return;
    t->refs = 1;
    t->len = len;
    memcpy(t->data, text, len);
    t->data[len] = '\0';
    pthread_mutex_lock(&c->mu);
    s = slot_of(c, k);
    empty(c, s);
    for (tries = 0; c->bytes + len > c->max_bytes && tries < c->n; tries++) {
        empty(c, &c->slots[c->hand]);
        c->hand = (c->hand + 1) % c->n;
    }
    s->key = *k;
    s->version = version;
    s->text = t;
    c->bytes += len;
    pthread_mutex_unlock(&c->mu);
}

const char *cache_text_data(const cache_text *t, size_t *len)
{
    *len = t->len;
    return t->data;
}

void cache_release(cache *c, cache_text *t)
{
    int last;

    if (!t)
        return;
    pthread_mutex_lock(&c->mu);
    last = --t->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (last)
        free(t);
}
