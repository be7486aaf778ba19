/* demo.h - the demo accounts and records of `myotrack serve --demo` (demo.c). */
#ifndef MT_DEMO_H
#define MT_DEMO_H

#include <stdio.h>

#include "store/store.h"

/* Make the demo clinician, patient and records unless they exist; print the
 * passwords once to `out`. 0 ok, -1 failure (st_errmsg() says why). */
int srv_demo_seed(st_store *st, FILE *out);

#endif /* MT_DEMO_H */
