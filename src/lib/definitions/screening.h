/*
 * screening.h - criterion indexes of the screening rows (screening.c).
 */
#ifndef MT_SCREENING_H
#define MT_SCREENING_H

enum {
    SCR_SARC_F,
    SCR_SARC_CALF_CALF,
    SCR_SARC_CALF,
    SCR_ISHII,
    SCR_TUG_FALL_RISK,
    SCR_SCWD_6MW,
    SCR_SCWD_GAIT,
    SCR_N
};

#endif
