/*
 * input.h - the validated assessment document, in canonical units.
 *
 * The document parser (document.c) fills an mt_input; the engine reads it and
 * nothing else. Every quantity carries an explicit state, so "not measured"
 * is never confused with zero, and "unable" (chair stand) or "not completed"
 * (400 m walk) are kept apart from a timed value.
 *
 * Canonical units: kg, cm (height, calf), m (distances), s, m/s, ohm, years.
 * Every quantity is rounded to 4 decimal places of its canonical unit when it
 * is stored (mt_round4), so the value shown in a report is exactly the value
 * the rules compared.
 */
#ifndef MT_INPUT_H
#define MT_INPUT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "myotrack.h"

enum { MT_Q_ABSENT = 0, MT_Q_VALUE = 1, MT_Q_UNABLE = 2 };

/** One quantity: absent, a value, or "unable / not completed". */
typedef struct mt_q {
    unsigned char state;
    double v;
} mt_q;

#define MT_HAS(q) ((q).state == MT_Q_VALUE)

typedef enum { MT_FEMALE = 0, MT_MALE = 1 } mt_sex;
typedef enum { MT_COMMUNITY = 0, MT_HOSPITAL = 1 } mt_setting;
typedef enum { MT_ASM_NONE = 0, MT_ASM_DXA = 1, MT_ASM_BIA = 2 } mt_asm_method;
typedef enum {
    MT_BIA_SERGI2015 = 0,
    MT_BIA_KIM2014,
    MT_BIA_YOSHIDA2014,
    MT_BIA_JANSSEN2000,
    MT_BIA_N
} mt_bia_equation;
typedef enum { MT_SPPB_NONE = 0, MT_SPPB_ITEMS, MT_SPPB_TOTAL, MT_SPPB_TIMES } mt_sppb_form;
typedef enum { MT_SARCF_NONE = 0, MT_SARCF_ITEMS, MT_SARCF_TOTAL } mt_sarcf_form;

/* Symptoms, history and preferences (triage, differential, plan). */
typedef signed char mt_flag; /* -1 not asked, 0 no, 1 yes */
#define MT_YES(f) ((f) == 1)

/* The yes/no symptoms, in document order: one list for the parser's field
 * table, the struct below and the echo in the output. */
#define MT_SYMPTOM_FLAGS(X)                                                                        \
    X(worsening)                                                                                   \
    X(face_droop)                                                                                  \
    X(speech_trouble)                                                                              \
    X(vision_trouble)                                                                              \
    X(sudden_balance_loss)                                                                         \
    X(breathing_trouble)                                                                           \
    X(swallowing_trouble)                                                                          \
    X(ascending)                                                                                   \
    X(recent_infection)                                                                            \
    X(numbness)                                                                                    \
    X(saddle_numbness)                                                                             \
    X(bladder_bowel_change)                                                                        \
    X(fasciculations)                                                                              \
    X(cramps)                                                                                      \
    X(muscle_pain)                                                                                 \
    X(dark_urine)                                                                                  \
    X(fatigable)                                                                                   \
    X(drooping_eyelids)                                                                            \
    X(double_vision)                                                                               \
    X(proximal)                                                                                    \
    X(fever)                                                                                       \
    X(fatigue)

/* The words of the enumerated and list fields, index = the enum value
 * (input/words.c), NULL-terminated. */
extern const char *const mt_onset_words[], *const mt_side_words[], *const mt_reflex_words[],
    *const mt_condition_words[], *const mt_medication_words[], *const mt_equipment_words[],
    *const mt_location_words[];

enum { ONSET_SUDDEN, ONSET_DAYS, ONSET_WEEKS, ONSET_MONTHS, ONSET_YEARS };
enum { SIDE_ONE, SIDE_BOTH };
enum { REFLEX_ABSENT, REFLEX_REDUCED, REFLEX_NORMAL, REFLEX_BRISK };
enum {
    HX_CANCER,
    HX_COPD,
    HX_HEART_FAILURE,
    HX_CKD,
    HX_DIABETES,
    HX_RHEUMATOID_ARTHRITIS,
    HX_HIV,
    HX_MULTIPLE_SCLEROSIS,
    HX_STROKE,
    HX_PARKINSONS,
    HX_LIVER_DISEASE,
    HX_OTHER_CONDITION,
    HX_N_CONDITIONS
};
enum { RX_CORTICOSTEROID, RX_STATIN, RX_FLUOROQUINOLONE, RX_CHEMOTHERAPY, RX_ANTICONVULSANT,
       RX_OTHER };
enum { EQ_NONE, EQ_CHAIR, EQ_BANDS, EQ_DUMBBELLS, EQ_GYM, EQ_POOL };
enum { LOC_HOME, LOC_GYM, LOC_CLINIC };

/* The chronic illnesses that waste muscle (cachexia and GLIM's disease burden):
 * cancer, COPD, heart failure, CKD, rheumatoid arthritis, HIV, liver disease. */
#define HX_WASTING_ILLNESSES                                                                       \
    ((1u << HX_CANCER) | (1u << HX_COPD) | (1u << HX_HEART_FAILURE) | (1u << HX_CKD) |            \
     (1u << HX_RHEUMATOID_ARTHRITIS) | (1u << HX_HIV) | (1u << HX_LIVER_DISEASE))

/** A list of words as a set of bits; `known` is 0 when the list was not given. */
typedef struct mt_set {
    signed char known;
    unsigned bits;
} mt_set;
#define MT_SET_HAS(s, i) ((s).known && (((s).bits >> (i)) & 1u))

#define MT_TEXT_MAX 80 /* characters of a free-text field */

#define MT_MAX_GRIP_TRIALS 12
#define MT_SARCF_ITEMS_N   5

struct mt_input {
    int sex;
    mt_q age, height, weight;
    int setting;

    int sarc_f_form;
    int sarc_f[MT_SARCF_ITEMS_N]; /* strength, walking, chair, stairs, falls */
    int sarc_f_total;

    mt_q grip; /* the best reading: given, or the maximum of grip_trials */
    int n_grip_trials;
    double grip_trials[MT_MAX_GRIP_TRIALS];

    mt_q chair_stand_5x; /* UNABLE = "unable" */
    mt_q gait_speed;     /* as given */
    mt_q walk_distance;  /* walk {distance m, time s} */
    mt_q walk_time;
    mt_q tug;
    mt_q walk_400m; /* UNABLE = "not_completed" */
    mt_q six_minute_walk;
    mt_q calf;

    struct {
        int form;
        int balance, gait, chair, total;        /* ITEMS / TOTAL forms */
        mt_q side_by_side, semi_tandem, tandem; /* TIMES form, seconds held */
        mt_q walk;                              /* UNABLE = "unable" */
        int walk_course_m;                      /* 4 or 3 */
        mt_q chair_5x;                          /* UNABLE = "unable" */
    } sppb;

    mt_q asm_kg;
    int asm_method;
    struct {
        int given;
        mt_q resistance, reactance;
        int equation;
    } bia;

    struct {
        int onset, side, reflexes; /* ONSET_*, SIDE_*, REFLEX_*; -1 not given */
#define MT_FLAG_MEMBER(name) mt_flag name;
        MT_SYMPTOM_FLAGS(MT_FLAG_MEMBER)
#undef MT_FLAG_MEMBER
    } sym;

    struct {
        mt_q immobilization_weeks, bed_rest_days;
        char immobilized_part[MT_TEXT_MAX * 4 + 1]; /* UTF-8; "" when not given */
        mt_set conditions;                          /* HX_* */
        mt_set medications;                         /* RX_* */
        mt_q weight_6m, weight_12m;                 /* kg */
        mt_flag appetite_reduced, childhood_onset, family_history_neuromuscular;
        mt_q intake_percent;
        int falls_past_year, exercise_sessions; /* -1 not given */
        struct {
            mt_q ck, ck_uln, egfr, crp, hemoglobin, albumin, vitamin_d;
            mt_flag on_dialysis;
        } labs;
    } hx;

    struct {
        mt_set equipment; /* EQ_* */
        int location;     /* LOC_*; -1 not given */
    } pref;
};

/** Round to 4 decimal places: the precision every stored value is kept at.
 *  round(y) inline for |y| < 2^52 (y = x * 10000): t, |y| truncated by the
 *  conversion to an integer, is floor(|y|); |y| - t is exact (t <= |y| <
 *  2 t for t >= 1, else t = 0), so "t + 1 when |y| - t >= 0.5" is |y|
 *  rounded half away from zero, and t + 1 < 2^53 is exact; the sign is y's,
 *  -0 included (round(-0.3) is -0). From 2^52 every double is an integer, so
 *  round(y) is y; infinities and NaN (a product, never signalling) go to
 *  libm's round as before. test_measures `round4_equals_libm` holds it bit
 *  for bit to round(). */
static inline double mt_round4(double x)
{
    double y = x * 10000.0, a = fabs(y);

    if (a < 4503599627370496.0) { /* 2^52 */
        double t = (double)(long long)a;
        t += a - t >= 0.5 ? 1.0 : 0.0;
        return copysign(t, y) / 10000.0;
    }
    return round(y) / 10000.0;
}

/** Gait speed (m/s) of a timed walk, rounded like every stored value. */
static inline double mt_walk_speed(double distance_m, double time_s)
{
    return mt_round4(distance_m / time_s);
}

/** mt_input_parse_json without requiring person.sex and person.age: for the
 *  red-flag check of a questionnaire that has not asked them yet. */
int mt_input_parse_partial(mt_input **out, const char *json, size_t len, mt_error *err);

/** The one-line message for the syntax error a yajl handle (`yajl`) stopped on
 * in `json`: line and column (in characters), trailing text, bad UTF-8. Both
 * JSON readers (the assessment document, the tracking document) word it alike. */
void mt_json_syntax_message(void *yajl, const char *json, size_t len, char *out, size_t n);

/** JSON number text (grammar already checked by yajl) to a double, whatever
 *  the locale; infinite for huge exponents, NaN for a number that is not 0
 *  but too close to it for a normal double (document.c). */
double mt_json_number(const char *s, size_t len);

/* What a message says of such a number, after its text. */
#define MT_NUMBER_BEYOND "is too large, or too close to 0 without being 0, to be read"

/* A cohort row (mt_row_*, document.c): its input and the document parser's
 * bookkeeping, and the engine's scratch result (engine/classify.c). */
typedef struct parser parser;
typedef struct row_memo row_memo;
struct mt_rule_plan;
struct mt_row {
    mt_input *in; /* &res->in: mt_row_classify reads the input where it is, not a copy */
    parser *p;
    mt_result *res; /* made with the row (calloc), so res->screening stays zero */
    struct mt_rule_plan *plan; /* its definitions' rows by sex, made at the first classify */
    struct row_memo *memo;     /* the cells already read, what reset restores (document.c) */
};

/* ---- a row's memo of cells (document.c has the whole argument) ------------
 * Here so that a cell the memo holds can be written where it is read
 * (mt_row_memo_replay, inline: screen's columns_fill); everything else about
 * the memo, and every miss, stays in document.c. */
#define MT_MEMO_BITS    13 /* 8192 entries a field (4096 left ~0.12 misses a row on 1M) */
#define MT_MEMO_MAX_LEN 15 /* the longest text kept (mt_cell_key) */

/* An entry: a text's key and what the slow way left in the field's slot for
 * it, as two pieces of the slot's bytes (memo_keep): `low`, its first 4 bytes
 * (an int: F_INT, F_ENUM; an mt_q: its state and the padding after it), and
 * `high`, an mt_q's v (0 for an int); and the given bits it sets (the
 * field's bit; 0 for a missing cell's entry, document.c). */
typedef struct mt_memo_entry {
    uint64_t a, b; /* mt_cell_key of the text; b == 0: empty (a key's b is never 0) */
    uint32_t low;
    unsigned given;
    uint64_t high; /* the double's bytes, as they are */
} mt_memo_entry; /* 32 bytes: a set of two is 64 */

_Static_assert(offsetof(mt_q, v) >= 4 && sizeof(double) == 8 && sizeof(uint32_t) == 4,
               "an mt_q's state and padding, then its v");

/* One field of a row, its constants in one place: where its slot and its
 * given bit are, and its memo. */
typedef struct mt_row_field {
    const mt_memo_entry *tab; /* its memo: 1 << MT_MEMO_BITS entries (a static empty table
                                 until made) */
    size_t own;               /* 1 when tab is the row's own (made), 0 until then */
    size_t off;               /* the field's mt_q or int in mt_input */
    void *slot;               /* the row's own: (char *)row->in + off */
    void *high;               /* an mt_q: its v; an int: the memo's sink */
    unsigned *given;          /* &p->given[its object's id]: the given bit is *given & bit */
    unsigned bit;
    unsigned char is_q;    /* 1: an mt_q; 0: an int (F_INT, F_ENUM) */
    unsigned char is_enum; /* F_ENUM (mt_row_get: its value only when given) */
    unsigned char shift;   /* mt_row_get's value is the int less this: asm_method's "" word */
} mt_row_field;

struct row_memo {
    unsigned touched; /* fields written since the last reset (1u << field) */
    unsigned stale;   /* fields whose slot the last reset has not restored yet */
    mt_row_field f[MT_FIELD_COUNT];
    unsigned misses[MT_FIELD_COUNT]; /* texts kept before the table was made */
    double sink;                     /* an int field's `high`: written, never read */
    mt_input pristine;               /* init_input's: what a reset restores */
    char *arena;    /* the fields' tables, one mapping (document.c's memo_table) */
    unsigned made;  /* tables made in it */
    int no_arena;   /* it could not be mapped: no table is made */
};

/* x as read from memory, byte i at bits 8i, whatever the byte order. */
static inline uint64_t mt_le64(uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(x);
#else
    return x;
#endif
}

/* The key of a text of 0 to MT_MEMO_MAX_LEN bytes: its bytes, then zeros up
 * to byte 14, then the length + 1 in byte 15, sixteen bytes read as two
 * little-endian words (a: bytes 0 to 7, b: 8 to 15). A one-to-one function of
 * the bytes and the length; b's top byte is the length + 1, so b is never 0
 * (an empty entry's). */
static inline void mt_cell_key(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
    unsigned char k[16] = {0};
    uint64_t x, y;

    memcpy(k, s, len);
    k[15] = (unsigned char)(len + 1);
    memcpy(&x, k, 8);
    memcpy(&y, k + 8, 8);
    *a = mt_le64(x);
    *b = mt_le64(y);
}

/* mt_cell_key_wide's masks by length (document.c): [0] the text's bytes
 * kept, [1] the length + 1 in byte 15. */
#if defined(__GNUC__) /* the library's own (-fvisibility=hidden): no GOT load where it is read */
__attribute__((visibility("hidden")))
#endif
extern const unsigned char mt_cell_key_masks[MT_MEMO_MAX_LEN + 1][2][16];

#if defined(__SSE2__) && defined(__x86_64__)
/* The key of a text with 16 bytes readable from s (the text and what follows
 * it), in one register: one load, the bytes past the length cleared and the
 * length put in (a in its low half, b in its high half). */
static inline __m128i mt_cell_key_vec(const char *s, size_t len)
{
    const __m128i *m = (const __m128i *)(const void *)mt_cell_key_masks[len];

    return _mm_or_si128(_mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)s),
                                      _mm_load_si128(m)),
                        _mm_load_si128(m + 1));
}
#endif

/* mt_cell_key for a text with 16 bytes readable from s (the text and what
 * follows it): mt_cell_key_vec's words. The same key as mt_cell_key
 * (test_row `wide_key_equals_key`). */
static inline void mt_cell_key_wide(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
#if defined(__SSE2__) && defined(__x86_64__)
    __m128i x = mt_cell_key_vec(s, len);

    *a = (uint64_t)_mm_cvtsi128_si64(x);
    *b = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x));
#else
    mt_cell_key(s, len, a, b);
#endif
}

/* The first entry of a key's set of two: the top bits of a multiplicative
 * hash (they depend on every bit of the key), times two. */
static inline size_t mt_memo_at(uint64_t a, uint64_t b)
{
    return (size_t)(((a ^ b) * 0x9E3779B97F4A7C15ull) >> (64 - MT_MEMO_BITS + 1)) << 1;
}

/* The entry of field f's memo that holds the key (a, b), or NULL: the
 * first whose key is (a, b), as a walk of the set would find it. Both
 * entries' keys are compared and the entry chosen without a branch; the only
 * branch on the loaded keys is hit or miss (nearly always a hit), so no
 * mispredicted choice of entry waits for this set, which is mostly in L2
 * (bench/README.md "Cell memo prefetch": ~5% less CPU time a row). */
static inline const mt_memo_entry *mt_row_memo_find(const mt_row_field *f, uint64_t a, uint64_t b)
{
    const mt_memo_entry *e = &f->tab[mt_memo_at(a, b)];
    uint64_t x0 = (e[0].a ^ a) | (e[0].b ^ b), x1 = (e[1].a ^ a) | (e[1].b ^ b);
    uint64_t least = x0 < x1 ? x0 : x1; /* 0 when either matches */
    const mt_memo_entry *r = x0 ? e + 1 : e;

#if defined(__GNUC__) /* one flag, not two branches (which GCC would make of it) */
    __asm__("" : "+r"(least));
#endif
    return least ? NULL : r;
}

/* mt_cell_key_wide, then mt_row_memo_find: the entry of field f's memo that
 * holds the text s[0, len) (len <= MT_MEMO_MAX_LEN, 16 bytes readable from
 * s), or NULL. With SSE2 the key stays in its register and each entry's is
 * compared whole (pcmpeqb, pmovmskb): half the loads of comparing its two
 * words, and the shorter chain a cell's lookup waits on (bench/README.md,
 * "Whole-key compares": 4-8% less CPU time a row, where callgrind counted 16
 * more instructions a row and the change was once dropped on that count).
 * The same entry (test_row `find_text_equals_find`). */
static inline const mt_memo_entry *mt_row_memo_find_text(const mt_row_field *f, const char *s,
                                                         size_t len)
{
#if defined(__SSE2__) && defined(__x86_64__)
    __m128i x = mt_cell_key_vec(s, len);
    const mt_memo_entry *e =
        &f->tab[mt_memo_at((uint64_t)_mm_cvtsi128_si64(x),
                           (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x)))];
    /* an entry's key is its first 16 bytes (a, b), 16-aligned in the table */
    unsigned m0 = (unsigned)_mm_movemask_epi8(
                 _mm_cmpeq_epi8(_mm_load_si128((const __m128i *)(const void *)e), x)),
             m1 = (unsigned)_mm_movemask_epi8(
                 _mm_cmpeq_epi8(_mm_load_si128((const __m128i *)(const void *)(e + 1)), x));
    /* a mask is 0xffff exactly when its + 1 reaches bit 16: either does */
    unsigned hit = ((m0 + 1) | (m1 + 1)) >> 16;
    const mt_memo_entry *r = m0 == 0xffffu ? e : e + 1;

    return hit ? r : NULL;
#else
    uint64_t a, b;

    mt_cell_key_wide(s, len, &a, &b);
    return mt_row_memo_find(f, a, b);
#endif
}

_Static_assert(offsetof(mt_memo_entry, a) == 0 && offsetof(mt_memo_entry, b) == 8 &&
                   offsetof(mt_memo_entry, low) == 16 && offsetof(mt_memo_entry, given) == 20 &&
                   offsetof(mt_memo_entry, high) == 24 && sizeof(mt_memo_entry) == 32,
               "an entry: its key's 16 bytes, then low, given and high's (one load each half), "
               "16-aligned in a 64-aligned table");

/* Write what the slow way wrote for the text of entry e of field f (the whole
 * slot) and its given bits. The caller then owes the row the field's marks,
 * mt_row_memo_mark(row, 1u << i), before anything else reads or writes the
 * row (another mt_row_* call): until then only other fields' replays may
 * run, which touch only their own slots and bits. No branch on the kind of
 * field or of entry: `low` goes to the slot's first 4 bytes and `high` to
 * f->high (an mt_q's v; for an int the memo's sink, never read). An mt_q's
 * padding from byte 4 to v is not written: it is the pristine's in every
 * slot (see document.c). */
static inline void mt_row_memo_write(mt_row *row, const mt_row_field *f, const mt_memo_entry *e)
{
    (void)row;
#if defined(__SSE2__) && defined(__x86_64__)
    { /* the entry's second 16 bytes (low, given, high) in one load */
        __m128i pay = _mm_load_si128((const __m128i *)(const void *)&e->low);
        int low = _mm_cvtsi128_si32(pay);
        *f->given |= (unsigned)_mm_cvtsi128_si32(_mm_srli_si128(pay, 4));
        memcpy(f->slot, &low, 4);
        _mm_storeh_pd((double *)f->high, _mm_castsi128_pd(pay)); /* high: an mt_q's v, or the sink */
    }
#else
    *f->given |= e->given;
    memcpy(f->slot, &e->low, 4);
    memcpy(f->high, &e->high, 8);
#endif
}

/* mt_row_set's usual way, for a caller that knows the row and field (f is
 * &row->memo->f[i]) and a text of 1 to MT_MEMO_MAX_LEN bytes: when the text
 * is in the field's memo (and not as a missing cell's entry, which only a
 * cohort file's reader takes: document.c), write it (mt_row_memo_write, whose
 * marks the caller owes) and return 1; else write nothing and return 0 (the
 * caller then calls mt_row_set). */
static inline int mt_row_memo_replay(mt_row *row, const mt_row_field *f, const char *text,
                                     size_t len)
{
    const mt_memo_entry *e;
    uint64_t a, b;

    mt_cell_key(text, len, &a, &b);
    if (!(e = mt_row_memo_find(f, a, b)) || !e->given) /* not a missing cell's entry */
        return 0;
    mt_row_memo_write(row, f, e);
    return 1;
}

/* The marks of the fields replayed (a mask of 1u << field): written since the
 * last reset, and their slots whole again (no longer stale). */
static inline void mt_row_memo_mark(mt_row *row, unsigned fields)
{
    row->memo->touched |= fields;
    row->memo->stale &= ~fields;
}

/** The whole-row checks of a document (sex and age, asm with its method...). */
int mt_row_check(mt_row *row, mt_error *err);

/* mt_row_classify in two parts, for a caller with other work of the row to
 * do between them (screen's do_block: the row's survey weight, PSU and
 * group, while the measures' divisions are under way): _start checks the row
 * and computes its measures (MT_OK, or the error mt_row_classify gives);
 * after MT_OK, _finish with the same definitions gives every definition's
 * verdicts and category (out as mt_row_classify writes it), reading only
 * the row as _start left it. */
int mt_row_classify_start(mt_row *row, unsigned definitions, mt_error *err);
void mt_row_classify_finish(mt_row *row, unsigned definitions, mt_classification *out);

/* 1 when field i is a quantity holding a word ("unable"), which mt_row_get
 * gives as 0; else 0 (a number, absent, or not a quantity). */
int mt_row_holds_word(const mt_row *row, int i);

/* For the tests (test_row's memo_and_quick_checks_equal_the_slow_path): the
 * paths mt_row_set, mt_row_reset and mt_row_check take their shortcuts from. */

/** mt_row_set without the memo: the field's slot restored, then read from the text. */
int mt_row_set_cold(mt_row *row, int i, const char *text, size_t len, mt_error *err);

/** mt_row_check's three document checks, without the flat row's shortcut. */
int mt_row_check_full(mt_row *row, mt_error *err);

/** 1 when two rows hold the same input (every byte) and the same given fields. */
int mt_row_same(mt_row *a, mt_row *b);

/** The id of a BIA equation ("sergi2015", ...). */
const char *mt_bia_equation_id(int eq);

#endif
