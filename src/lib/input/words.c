/*
 * words.c - the accepted words of the enumerated and list fields of the
 * document; the index of a word is its enum value in input.h. The parser
 * accepts them and the renderers echo them.
 */
#include "input/input.h"

const char *const mt_onset_words[] = {"sudden", "days", "weeks", "months", "years", NULL};
const char *const mt_side_words[] = {"one", "both", NULL};
const char *const mt_reflex_words[] = {"absent", "reduced", "normal", "brisk", NULL};
const char *const mt_condition_words[] = {"cancer",
                                          "copd",
                                          "heart_failure",
                                          "ckd",
                                          "diabetes",
                                          "rheumatoid_arthritis",
                                          "hiv",
                                          "multiple_sclerosis",
                                          "stroke",
                                          "parkinsons",
                                          "liver_disease",
                                          "other",
                                          NULL};
const char *const mt_medication_words[] = {"corticosteroid", "statin",         "fluoroquinolone",
                                           "chemotherapy",   "anticonvulsant", "other",
                                           NULL};
const char *const mt_equipment_words[] = {"none", "chair", "bands", "dumbbells",
                                          "gym",  "pool",  NULL};
const char *const mt_location_words[] = {"home", "gym", "clinic", NULL};
