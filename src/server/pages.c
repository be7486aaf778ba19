/*
 * pages.c - the web app's files (web/, compiled in by tools/embed): GET or
 * HEAD of "/" is index.html, of "/NAME" the file NAME. The pages call the
 * API; nothing here knows about patients.
 */
#include <stddef.h>
#include <string.h>

#include "server/assets.h"
#include "server/routes.h"

const mt_asset *mt_asset_find(const char *path)
{
    size_t i;

    for (i = 0; i < mt_asset_count; i++)
        if (strcmp(mt_assets[i].path, path) == 0)
            return &mt_assets[i];
    return NULL;
}

int page_serve(req *r)
{
    static const char missing[] = "<!doctype html><html lang=\"en\"><title>Not found</title>"
                                  "<h1>Not found</h1><p><a href=\"/\">myotrack</a></p></html>\n";
    const mt_asset *a;
    int head = strcmp(r->method, "HEAD") == 0;

    if (!head && strcmp(r->method, "GET") != 0) {
        const char *h[] = {"Allow", "GET, HEAD", NULL};
        return http_send(r, 405, "text/plain; charset=utf-8", "method not allowed\n", 19, h);
    }
    a = mt_asset_find(strcmp(r->path, "/") == 0 ? "/index.html" : r->path);
    if (!a)
        return http_send(r, 404, "text/html; charset=utf-8", missing, sizeof(missing) - 1, NULL);
    return http_send(r, 200, a->content_type, (const char *)a->data, a->len, NULL);
}
