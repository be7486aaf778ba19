/*
 * tracking.h - the insides of the tracking engine (docs/tracking.md): one
 * person's history read into records (parse.c), the numbers it compares as
 * rule rows (rules.c), and the answer built from them (track.c: progress,
 * alerts, triage; prescription.c: today's exercise).
 *
 * Dates are kept as days since 1970-01-01, so "7 days before today" and
 * "sessions a week" are integer arithmetic.
 */
#ifndef MT_TRACKING_H
#define MT_TRACKING_H

#include "plan/plan.h"
#include "render/buf.h"
#include "triage/triage.h"

#define TR_ID_MAX      32    /* characters of a record id */
#define TR_KEY_MAX     80    /* characters of an alert key in `cleared` */
#define TR_NOTE_MAX    500   /* characters of a note */
#define TR_MAX_EX      12    /* exercises in one session */
#define TR_MAX_ASSESS  1000  /* assessments in one document */
#define TR_MAX_RECORDS 5000  /* sessions, and check-ins, in one document */
#define TR_MAX_CLEARED 20000 /* cleared alert keys */

/* The criteria of the tracking rule table (rules.c), in its order. */
enum {
    TR_GAIT_SMALL,
    TR_GAIT_SUBSTANTIAL,
    TR_SPPB_SMALL,
    TR_SPPB_SUBSTANTIAL,
    TR_SIX_MW_SMALL,
    TR_SIX_MW_SUBSTANTIAL,
    TR_GRIP_MEANINGFUL,
    TR_FUNCTION_DROP,
    TR_PAIN_ALERT,
    TR_PAIN_STEP_BACK,
    TR_ADHERING,
    TR_MISSED_SESSION,
    TR_REPS_OVER_TARGET,
    TR_EFFORT,
    TR_LOAD_MIN,
    TR_LOAD_MAX,
    TR_BALANCE_HOLD,
    TR_N
};

extern const mt_definition mt_tracking_rules;

/** The row of criterion `crit` (TR_*) of the tracking table. */
const mt_rule *tr_rule(int crit);

/** One exercise of a logged session. */
typedef struct tr_exercise {
    const mt_movement *mv;
    int level;      /* 1-based, as logged */
    int sets, reps; /* reps -1: not given */
    double load_kg; /* NAN: not given (null or absent) */
    double hold_s;  /* NAN: not given */
} tr_exercise;

typedef struct tr_session {
    char id[TR_ID_MAX + 1];
    int order; /* position in the document's list */
    int date;
    int effort, pain;
    int n_ex;
    tr_exercise ex[TR_MAX_EX];
} tr_session;

typedef struct tr_checkin {
    char id[TR_ID_MAX + 1];
    int order;
    int date;
    int pain; /* -1: not reported */
    int fall; /* 1 a fall was reported */
    int has_symptoms;
    int level; /* LEVEL_* of the symptoms' triage (LEVEL_SELF_CARE without) */
    int n_reasons;
    unsigned char reasons[RF_N]; /* RF_*, most urgent first */
} tr_checkin;

typedef struct tr_assessment {
    char id[TR_ID_MAX + 1];
    int order;
    int date;
    mt_input *in; /* the parsed document */
} tr_assessment;

typedef struct tr_doc {
    int today; /* -1 until read */
    int sex;   /* top-level "sex" (MT_FEMALE, MT_MALE), -1 not given */
    tr_assessment *a;
    size_t n_a, cap_a;
    tr_session *s;
    size_t n_s, cap_s;
    tr_checkin *c;
    size_t n_c, cap_c;
    char (*cleared)[TR_KEY_MAX + 1]; /* sorted once parsed (tr_cleared searches it) */
    size_t n_cleared, cap_cleared;
} tr_doc;

/**
 * Parse and validate a tracking document into `d` (zeroed by the caller);
 * the records are then sorted by date (stable). On failure `err` names the
 * path; release with tr_doc_free() either way.
 */
int tr_parse(tr_doc *d, const char *json, size_t len, mt_error *err);

/** Parse one session (`s`) or check-in (`c`) object without an id. today: days, or -1. */
int tr_parse_session(tr_session *s, const char *json, size_t len, int today, mt_error *err);
int tr_parse_checkin(tr_checkin *c, const char *json, size_t len, int today, mt_error *err);

void tr_doc_free(tr_doc *d);

/** "YYYY-MM-DD" (exactly `len` bytes) to days since 1970-01-01; -1 if not a real date. */
int tr_date_parse(const char *s, size_t len);
/** Days to "YYYY-MM-DD" (11 bytes with the NUL). */
void tr_date_str(int days, char out[11]);

/** Has a clinician cleared the alert `key`? */
int tr_cleared(const tr_doc *d, const char *key);

/* ---- the answer's JSON (track.c): 2-space indented, keys in a fixed order ---- */

typedef struct tr_w {
    mt_buf b;
    int depth;
    int first; /* no member written yet at this depth */
} tr_w;

/* `key` NULL inside a list. Strings are escaped; NULL writes null, as does a NAN number. */
void tr_w_open(tr_w *w, const char *key, char bracket);
void tr_w_close(tr_w *w, char bracket);
void tr_w_str(tr_w *w, const char *key, const char *s);
void tr_w_num(tr_w *w, const char *key, double v);
void tr_w_int(tr_w *w, const char *key, long long v);
void tr_w_bool(tr_w *w, const char *key, int v);
void tr_w_null(tr_w *w, const char *key);

/** A number as text for an explanation (4 decimals at most, trailing zeros dropped). */
const char *tr_num(char buf[32], double v);

/* What today's prescription is decided from (track.c fills it). */
typedef struct tr_state {
    const tr_doc *d;
    const tr_assessment *latest_a;  /* the latest assessment, NULL when there is none */
    const struct mt_result *latest; /* its result (the plan) */
    int level;                      /* the answer's triage level (LEVEL_*) */
    const tr_checkin *fall;         /* the latest fall not cleared, or NULL */
    const tr_checkin *red_flag;     /* the latest red flag not cleared since the latest
                                       assessment, or NULL */
} tr_state;

/** Write the "prescription" member (prescription.c). */
void tr_prescription(tr_w *w, const tr_state *st);

#endif
