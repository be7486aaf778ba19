/*
 * assets.h - the web app's static files (web/), compiled into the binary by
 * tools/embed so that `myotrack serve` needs nothing beside it.
 */
#ifndef MT_ASSETS_H
#define MT_ASSETS_H

#include <stddef.h>

typedef struct mt_asset {
    const char *path;         /* "/login.html" */
    const char *content_type; /* "text/html; charset=utf-8" */
    const unsigned char *data;
    size_t len;
} mt_asset;

extern const mt_asset mt_assets[];
extern const size_t mt_asset_count;

/* The asset at `path` (exact match), or NULL. */
const mt_asset *mt_asset_find(const char *path);

#endif /* MT_ASSETS_H */
