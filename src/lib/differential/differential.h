/*
 * differential.h - the likely cause of muscle loss (REFERENCE §10).
 */
#ifndef MT_DIFFERENTIAL_H
#define MT_DIFFERENTIAL_H

enum {
    CAUSE_DISUSE,
    CAUSE_SARCOPENIA,
    CAUSE_NEUROGENIC,
    CAUSE_MYOPATHY,
    CAUSE_CACHEXIA,
    CAUSE_MALNUTRITION,
    CAUSE_GENETIC,
    CAUSE_N
};

enum { LIKELY_HIGH, LIKELY_MODERATE, LIKELY_LOW };

#define MT_MAX_FEATURES 12
#define MT_MAX_STEPS    4

typedef struct mt_cause {
    int cause;
    int score; /* sum of the weights of the features for (+) and against (-) */
    int likelihood;
    int n_for, n_against;
    unsigned char features_for[MT_MAX_FEATURES], features_against[MT_MAX_FEATURES];
} mt_cause;

typedef struct mt_differential {
    int n;
    mt_cause causes[CAUSE_N]; /* most likely first */
} mt_differential;

struct mt_result;
void mt_differential_assess(struct mt_result *r);

const char *mt_cause_id(int cause);
const char *mt_likelihood_str(int likelihood);
const char *mt_feature_text(int feature);
/* The next steps of a cause: NULL-terminated list of plain sentences. */
const char *const *mt_cause_steps(int cause);

/** Is `cause` in the differential at `likelihood` or more likely? */
int mt_cause_at_least(const struct mt_result *r, int cause, int likelihood);

#endif
