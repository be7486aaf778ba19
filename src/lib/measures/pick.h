/*
 * pick.h - selects without a jump, for what a cohort row derives (the
 * measures of mt_row_classify, the forms mt_row_check stores): its cells are
 * given or not at random, row by row, so a jump on one is mispredicted about
 * as often as not. gcc makes a jump of `c ? a : b` here, not of this mask.
 */
#ifndef MT_MEASURES_PICK_H
#define MT_MEASURES_PICK_H

/* c ? a : b, for c 0 or 1. */
static inline int mt_pick_int(int c, int a, int b)
{
    unsigned mask = 0u - (unsigned)c;

    return (int)(((unsigned)a & mask) | ((unsigned)b & ~mask));
}

#endif
