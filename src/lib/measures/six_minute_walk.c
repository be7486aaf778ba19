/*
 * six_minute_walk.c - predicted six-minute walk distance and its lower limit
 * of normal (Enright & Sherrill 1998), REFERENCE §4. Height cm, weight kg,
 * age years.
 */
#include "engine/result.h"

typedef struct {
    double height, weight, age, constant;
    double lower_limit_offset; /* predicted minus this = lower limit [to_confirm] */
} enright_row;

static const enright_row enright[2] = {
    [MT_MALE] = {7.57, -1.76, -5.02, -309, 153},  /* ENRIGHT */
    [MT_FEMALE] = {2.11, -2.29, -5.78, 667, 139}, /* ENRIGHT */
};

double mt_six_mw_predicted(int sex, double height_cm, double weight_kg, double age)
{
    const enright_row *e = &enright[sex == MT_MALE];
    return mt_round4(e->height * height_cm + e->weight * weight_kg + e->age * age + e->constant);
}

double mt_six_mw_lower_limit_offset(int sex)
{
    return enright[sex == MT_MALE].lower_limit_offset;
}
