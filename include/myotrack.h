/*
 * myotrack.h - the public API of the myotrack engine.
 *
 * myotrack turns one person's measurements (an "assessment document", JSON)
 * into the answers clinicians look up by hand: screening scores, performance
 * test scores, muscle-mass indices and the category under every consensus
 * sarcopenia definition, each conclusion with its evidence trace (the value,
 * the operator, the threshold and the source it comes from).
 *
 * This is the only header a user of the library includes. The library:
 *   - never prints, never exits, and keeps no global state;
 *   - is thread-safe: distinct objects may be used from distinct threads at
 *     once, and a const object (a parsed input, a result) may be read from
 *     several threads at once;
 *   - reports failure as a negative MT_E* code, with the detail in an
 *     mt_error the caller provides.
 *
 * Ownership: a function that fills an `**out` gives the caller an object to
 * release with the matching _free (every _free accepts NULL). Strings
 * returned as `const char *` are borrowed from their parent object and live as
 * long as it does. Buffers returned as `char **` are released with mt_free().
 *
 * The engine informs; it does not diagnose.
 */
#ifndef MYOTRACK_H
#define MYOTRACK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MT_EXTERN __attribute__((visibility("default")))
#else
#define MT_EXTERN
#endif

/** Return codes. 0 is success; failures are negative. */
enum {
    MT_OK = 0,
    MT_EINVAL = -1,  /**< the document is invalid: field, value or range (exit 65) */
    MT_ENOMEM = -2,  /**< allocation failed */
    MT_ETOOBIG = -3, /**< the input is larger than MT_MAX_INPUT bytes */
    MT_EUSAGE = -4,  /**< the call itself was wrong (NULL where not allowed) */
    MT_EINTERNAL = -5
};

/** Largest assessment document accepted, in bytes (1 MiB). */
#define MT_MAX_INPUT (1024u * 1024u)

/**
 * The detail of a failure. `field` is the dotted path of the offending field
 * ("measurements.grip") or "" when the failure is not about one field;
 * `message` is one line that names the field, the value and the accepted
 * range, ready to print.
 */
typedef struct mt_error {
    int code;
    char field[96];
    char message[320];
} mt_error;

/** Opaque: a validated assessment document, in canonical units. */
typedef struct mt_input mt_input;
/** Opaque: the outcome of one assessment, with every evidence trace. */
typedef struct mt_result mt_result;

/** The engine's version, "MAJOR.MINOR.PATCH". */
MT_EXTERN const char *mt_version(void);

/** The one-line medical disclaimer every human-facing output carries. */
MT_EXTERN const char *mt_disclaimer(void);

/* --- input ------------------------------------------------------------- */

/**
 * Parse and validate one assessment document.
 *
 * @param out  receives the new input on success (free with mt_input_free);
 *             set to NULL on failure
 * @param json the document, `len` bytes, need not be NUL-terminated; must be
 *             UTF-8 JSON, at most MT_MAX_INPUT bytes
 * @param err  optional; filled on failure
 * @return MT_OK, MT_EINVAL (bad document), MT_ETOOBIG, MT_ENOMEM or MT_EUSAGE
 *         (out NULL, or json NULL with len > 0)
 *
 * Syntax errors (invalid JSON or UTF-8, nesting deeper than 64) are reported
 * before content errors; of content errors the first in document order is
 * reported.
 *
 * Numbers are taken in the canonical unit of their field (kg, cm, s, m/s, m,
 * ohm, years); strings may carry a unit ("40 lb", "5 ft 3 in", "2.5 km/h").
 * Unknown fields, wrong types, values outside the plausibility limits and
 * duplicate keys are errors. Nothing is half-applied: on failure no input is
 * returned.
 */
MT_EXTERN int mt_input_parse_json(mt_input **out, const char *json, size_t len, mt_error *err);

/** Release an input. Accepts NULL. */
MT_EXTERN void mt_input_free(mt_input *in);

/** Canonical units a typed quantity can be converted to (mt_quantity_parse). */
typedef enum mt_unit {
    MT_UNIT_KG = 0,  /**< mass: kg, g, lb, lbs, pound(s) */
    MT_UNIT_CM = 1,  /**< body length: cm, mm, m, in, ft, "5 ft 3 in", 5'3" */
    MT_UNIT_M = 2,   /**< distance: m, km, ft, yd, mi */
    MT_UNIT_S = 3,   /**< time: s, min, h, "6 min 30 s", "6:30" */
    MT_UNIT_MPS = 4, /**< speed: m/s, km/h, mph, ft/s, cm/s */
    MT_UNIT_OHM = 5  /**< impedance: ohm, ohms, Ω */
} mt_unit;

/**
 * Convert a typed quantity ("40 lb", "5'3\"", "6 min 30 s") to `unit`.
 * A bare number is taken to be in `unit` already. The string is `len` bytes
 * and need not be NUL-terminated.
 *
 * @return MT_OK with *out set, or MT_EINVAL with err->message saying why
 *         (unknown unit, a unit of the wrong kind, trailing text...).
 *         err->field is left empty for the caller to fill.
 */
MT_EXTERN int mt_quantity_parse(const char *s, size_t len, mt_unit unit, double *out,
                                mt_error *err);

/* --- assessment -------------------------------------------------------- */

/**
 * Assess one input: triage, screening, tests, muscle mass, every definition,
 * the likely cause and the care plan (read them with the renderers, or the
 * triage with mt_result_triage()).
 * Pure: the same input always gives the same result.
 *
 * @param out receives the result (free with mt_result_free); NULL on failure
 * @param err optional; filled on failure
 * @return MT_OK, MT_ENOMEM or MT_EUSAGE (out or in NULL)
 */
MT_EXTERN int mt_assess(mt_result **out, const mt_input *in, mt_error *err);

/** Release a result. Accepts NULL. */
MT_EXTERN void mt_result_free(mt_result *res);

/**
 * The category one definition gives, e.g. mt_result_category(r, "ewgsop2")
 * -> "probable". Definitions: "ewgsop2", "ewgsop1", "awgs2019", "fnih",
 * "sdoc" (sarcopenia), "fearon2011", "evans2008" (cachexia), "glim"
 * (malnutrition). Returns NULL for an unknown definition id. Borrowed from `res`.
 */
MT_EXTERN const char *mt_result_category(const mt_result *res, const char *definition);

/** The state of one criterion, as read by mt_result_criterion(). */
typedef struct mt_criterion_view {
    int met;               /**< 1 met, 0 not met, -1 unknown (not measured) */
    int has_value;         /**< 1 if `value` holds the measured value */
    double value;          /**< the measured (or derived) value compared */
    const char *op;        /**< "<", "<=", ">", ">=", "between" */
    double threshold;      /**< the cut-off (lower bound for "between") */
    double threshold_high; /**< upper bound for "between", else equal to threshold */
    const char *unit;      /**< "kg", "s", "m/s", "kg/m2", "points", ... */
    const char *source;    /**< source ID, e.g. "EWGSOP2" (see mt_source_citation) */
    const char *status;    /**< "confirmed", "to_confirm" or "convention" */
} mt_criterion_view;

/**
 * Read one criterion of one definition, e.g. ("ewgsop2", "low_grip").
 * @return MT_OK; MT_EINVAL if the definition or criterion is unknown or does
 *         not apply to this person (a men-only criterion for a woman);
 *         MT_EUSAGE if res or out is NULL.
 */
MT_EXTERN int mt_result_criterion(const mt_result *res, const char *definition,
                                  const char *criterion, mt_criterion_view *out);

/* --- triage ------------------------------------------------------------ */

/** The triage of a result or of a partial document (mt_triage_check). */
typedef struct mt_triage_view {
    const char *level;       /**< "emergency", "urgent", "prompt", "routine" or "self_care" */
    const char *action;      /**< what to do, one plain sentence for the person */
    const char *reason;      /**< id of the most urgent reason, e.g. "stroke_signs" */
    const char *explanation; /**< that reason in plain language */
    const char *source;      /**< its source ID */
    int n_reasons;           /**< how many reasons matched (at least 1) */
} mt_triage_view;

/** The triage of an assessed result. All strings borrowed (static). */
MT_EXTERN int mt_result_triage(const mt_result *res, mt_triage_view *out);

/**
 * Triage a document that may be incomplete: the red-flag questions are asked
 * before anything else, so `person` may be missing here. The document is
 * validated exactly like mt_input_parse_json() except that person.sex and
 * person.age are not required; only the red flags that need nothing else are
 * read (symptoms and history; a weight loss needs person.weight).
 * @return MT_OK with *out filled, MT_EINVAL (err says why), MT_ETOOBIG,
 *         MT_ENOMEM or MT_EUSAGE.
 */
MT_EXTERN int mt_triage_check(const char *json, size_t len, mt_triage_view *out, mt_error *err);

/* --- rendering --------------------------------------------------------- */

/** Flags for mt_result_render_text(). */
enum {
    MT_TEXT_COLOR = 1 /**< ANSI colours for a terminal */
};

/**
 * Render the result as JSON (the output contract documented in
 * docs/output.md). `*out` is NUL-terminated, `*len` bytes (len may be NULL);
 * release it with mt_free().
 * @return MT_OK or MT_ENOMEM
 */
MT_EXTERN int mt_result_render_json(const mt_result *res, char **out, size_t *len);

/** Flags for mt_result_render_json_flags(). */
enum {
    MT_JSON_COMPACT = 1 /**< no whitespace outside strings, no final newline */
};

/**
 * mt_result_render_json() with options: 0 gives exactly its output;
 * MT_JSON_COMPACT the same JSON with no newline, indentation or space after
 * ':' (no whitespace outside strings, nor a final newline), about two thirds
 * of the size: for storing and sending rather than reading.
 * @return MT_OK, MT_ENOMEM, or MT_EUSAGE (res or out NULL, an unknown flag)
 */
MT_EXTERN int mt_result_render_json_flags(const mt_result *res, unsigned flags, char **out,
                                          size_t *len);

/**
 * Render the result as the report a clinician reads: verdicts, the
 * measured-value-versus-threshold table for every criterion, what is missing,
 * the sources, the to_confirm marks and the disclaimer.
 * @return MT_OK or MT_ENOMEM
 */
MT_EXTERN int mt_result_render_text(const mt_result *res, unsigned flags, char **out, size_t *len);

/** Release a buffer returned by a render function. Accepts NULL. */
MT_EXTERN void mt_free(void *p);

/* --- tracking ----------------------------------------------------------- */

/**
 * Track one person over time (docs/tracking.md): from their assessments,
 * logged exercise sessions, check-ins and the alerts a clinician has cleared,
 * compute each measure's series with its change labelled against the
 * meaningful-change values (REFERENCE §12), the alerts (§12), the re-triage of
 * new symptoms, and today's exercise prescription by the progression rule
 * (§11).
 *
 * The answer's members: triage (the most urgent of the latest assessment's
 * and the check-ins' since, with `since` the record that set it), engine,
 * disclaimer, today, alerts (red flags first; each with a stable `key` made
 * from record ids, e.g. "fall:c3", and `cleared`), progress (one series per
 * measure with change, percent_change and label, and the definitions'
 * thresholds for the person's sex) and prescription (status, reason, and the
 * plan's exercises with their change). Pure: the same document always gives
 * the same answer.
 *
 * @param json the tracking document, `len` bytes (docs/tracking.md); at most
 *             MT_MAX_TRACK bytes; each embedded assessment document at most
 *             MT_MAX_INPUT
 * @param out  receives the tracking result as JSON (NUL-terminated; free with
 *             mt_free()); NULL on failure
 * @param out_len optional; receives the answer's length
 * @param err  optional; names the field on failure ("sessions[2].pain",
 *             "assessments[1].document.measurements.grip"), the message says
 *             what is accepted
 * @return MT_OK, MT_EINVAL, MT_ETOOBIG, MT_ENOMEM or MT_EUSAGE (out NULL, or
 *         json NULL with len > 0)
 */
MT_EXTERN int mt_track_json(const char *json, size_t len, char **out, size_t *out_len,
                            mt_error *err);

/** Sections of the tracking answer, for mt_track_json_select(). */
enum {
    MT_TRACK_TRIAGE = 1,       /**< triage, engine, disclaimer and today */
    MT_TRACK_ALERTS = 2,       /**< alerts */
    MT_TRACK_PROGRESS = 4,     /**< progress */
    MT_TRACK_PRESCRIPTION = 8, /**< prescription */
    MT_TRACK_ALL = 15,         /**< everything: what mt_track_json() writes */
    MT_TRACK_BARE = 16         /**< with one of alerts, progress or prescription: that
                                    section's value alone, not an object holding it */
};

/**
 * mt_track_json() writing only the sections in `parts` (MT_TRACK_*), in the
 * same order and form: what a front end answering one question (the progress
 * chart, today's plan, the alerts of a new record) needs, without reading the
 * rest back.
 * @return as mt_track_json(); MT_EUSAGE for parts naming no section
 */
MT_EXTERN int mt_track_json_select(const char *json, size_t len, unsigned parts, char **out,
                                   size_t *out_len, mt_error *err);

/** The largest tracking document mt_track_json() accepts (bytes). */
#define MT_MAX_TRACK (64u * 1024u * 1024u)

/**
 * Validate one exercise-session log (docs/tracking.md), as a front end
 * receives it before storing it: the same rules as a session of the tracking
 * document, without `id` (refused: the store gives it); at most MT_MAX_INPUT
 * bytes.
 * @param today "YYYY-MM-DD"; a date after it is an error. NULL: not checked.
 * @return MT_OK or MT_EINVAL (err names the field, "exercises[0].reps", and
 *         the accepted range), MT_ETOOBIG, MT_ENOMEM, MT_EUSAGE (json NULL
 *         with len > 0, or today not a date)
 */
MT_EXTERN int mt_session_check(const char *json, size_t len, const char *today, mt_error *err);

/**
 * Validate one check-in (pain, falls, new symptoms) and triage its symptoms at
 * once, so a front end can show the advice before anything else. The same
 * rules as a check-in of the tracking document, without `id`; the symptoms are
 * validated and triaged as mt_triage_check() does.
 * @param out  the triage of the check-in's symptoms ("self_care" when none);
 *             its strings are static
 * @return as mt_session_check(); MT_EUSAGE also when out is NULL
 */
MT_EXTERN int mt_checkin_check(const char *json, size_t len, const char *today,
                               mt_triage_view *out, mt_error *err);

/* --- cohort rows (myotrack screen) ----------------------------------------- */

/**
 * The flat fields of one person in a cohort file: the assessment document's
 * fields that a study table holds, one column each, in canonical units.
 * Add, never renumber.
 */
typedef enum mt_field {
    MT_FIELD_SEX = 0,       /**< female, male */
    MT_FIELD_AGE,           /**< years */
    MT_FIELD_HEIGHT,        /**< cm */
    MT_FIELD_WEIGHT,        /**< kg */
    MT_FIELD_GRIP,          /**< kg, the best reading */
    MT_FIELD_CHAIR_STAND_5X, /**< s, or "unable" */
    MT_FIELD_GAIT_SPEED,    /**< m/s */
    MT_FIELD_TUG,           /**< s */
    MT_FIELD_WALK_400M,     /**< s, or "not_completed" */
    MT_FIELD_SIX_MINUTE_WALK, /**< m */
    MT_FIELD_SPPB_TOTAL,    /**< points 0-12 */
    MT_FIELD_CALF,          /**< cm */
    MT_FIELD_ASM,           /**< kg */
    MT_FIELD_ASM_METHOD,    /**< dxa, bia */
    MT_FIELD_BIA_RESISTANCE, /**< ohm */
    MT_FIELD_BIA_REACTANCE, /**< ohm */
    MT_FIELD_BIA_EQUATION,  /**< sergi2015, kim2014, yoshida2014, janssen2000 */
    MT_FIELD_SARC_F_TOTAL,  /**< points 0-10 */
    MT_FIELD_SETTING,       /**< community, hospital */
    MT_FIELD_COUNT
} mt_field;

/** The flat name of a field ("chair_stand_5x"), or NULL out of range. */
MT_EXTERN const char *mt_field_name(int field);

/** The field's path in the assessment document ("measurements.chair_stand_5x"), or NULL. */
MT_EXTERN const char *mt_field_path(int field);

/** The field named `name` (`len` bytes), or -1. */
MT_EXTERN int mt_field_lookup(const char *name, size_t len);

/** Opaque: one person's flat fields, reused row after row. Not thread-safe:
 *  one per thread. */
typedef struct mt_row mt_row;

/** A new, empty row (free with mt_row_free). @return MT_OK or MT_ENOMEM. */
MT_EXTERN int mt_row_new(mt_row **out);

/** Release a row. Accepts NULL. */
MT_EXTERN void mt_row_free(mt_row *row);

/** Empty a row for the next person. */
MT_EXTERN void mt_row_reset(mt_row *row);

/**
 * Set one field from a cell's text: a number in the field's canonical unit
 * ("27.5"), a quantity with a unit ("61 lb"), or a word ("male", "unable").
 * An empty text (len 0) is "not measured". The checks and the message are the
 * document's for that field (mt_input_parse_json), naming the flat field:
 * "grip: 250 kg is outside the accepted range 0 to 100 kg".
 *
 * @return MT_OK, MT_EINVAL (err filled) or MT_EUSAGE (row NULL, field out of range)
 */
MT_EXTERN int mt_row_set(mt_row *row, int field, const char *text, size_t len, mt_error *err);

/** The same with a number already in the field's canonical unit. */
MT_EXTERN int mt_row_set_number(mt_row *row, int field, double value, mt_error *err);

/** A field's value once set: the number in its canonical unit, or for a
 *  field of words the position of its word in mt_field_words().
 *  @return MT_OK, or MT_EINVAL when the field holds no value. */
MT_EXTERN int mt_row_get(const mt_row *row, int field, double *value);

/** As mt_row_get, but a field of words the row leaves out gives the word the
 *  assessment takes in its place: setting's default, community; bia_equation's,
 *  sergi2015, on a row whose BIA readings were given (once mt_row_classify has
 *  checked the row). @return MT_OK, or MT_EINVAL when the assessment takes none. */
MT_EXTERN int mt_row_get_used(const mt_row *row, int field, double *value);

#define MT_MAX_DEFINITIONS 16
#define MT_MAX_CRITERIA    16

/** Every definition's verdict on one row (mt_row_classify). */
typedef struct mt_classification {
    /** Index into the definition's categories (mt_definition_view). */
    int category[MT_MAX_DEFINITIONS];
    /** Each criterion: 1 met, 0 not met, -1 not evaluated. */
    signed char met[MT_MAX_DEFINITIONS][MT_MAX_CRITERIA];
} mt_classification;

/**
 * Check the row as a whole (sex and age required, asm with its method, bia
 * readings with height and weight...) and evaluate every definition on it,
 * exactly as mt_assess() does for the same document, without the triage,
 * cause and plan a cohort table does not show. `definitions` is a set of bits,
 * bit i for definition i (mt_definition_at), 0 for all; the others are left
 * out: their category is -1 and every criterion -1.
 *
 * @return MT_OK, MT_EINVAL (err filled; out untouched) or MT_EUSAGE
 */
MT_EXTERN int mt_row_classify(mt_row *row, unsigned definitions, mt_classification *out,
                              mt_error *err);

/** One definition, as listed by mt_definition_at(). */
typedef struct mt_definition_view {
    const char *id;     /**< "ewgsop2" */
    const char *name;   /**< "EWGSOP2" */
    const char *title;  /**< one line */
    const char *source; /**< its source ID */
    size_t n_criteria;
    const char *const *criteria;   /**< criterion IDs, in the order of mt_classification.met */
    size_t n_categories;
    const char *const *categories; /**< category names, in the order of its indexes */
} mt_definition_view;

/** Number of definitions (mt_definition_at). */
MT_EXTERN size_t mt_definition_count(void);

/** Definition `i`, in report order. @return MT_OK or MT_EINVAL. */
MT_EXTERN int mt_definition_at(size_t i, mt_definition_view *out);

/** The settings mt_definition_reachable() considers (bits; 0: both). */
#define MT_REACH_COMMUNITY 1u
#define MT_REACH_HOSPITAL  2u

/**
 * Which categories of definition `i` (mt_definition_at) a cohort row can be
 * given when the criteria in `never` (bit c: criterion c of its view) are
 * evaluated for nobody, in the settings `settings` (MT_REACH_*; 0: both):
 * bit k of *reachable for category k. A category's prevalence is then
 * measured only where its bit is set; where it is not, no row of such data
 * could have reached it (EWGSOP2 "confirmed" with no muscle mass measured,
 * AWGS 2019 "sarcopenia" in the community pathway), so a count of 0 is not a
 * finding. Every verdict (met, not met, not evaluated) of every other
 * criterion is tried with the definition's own categorize, which reads
 * nothing else for the category but the setting (test_rule_plan): a bit left
 * out is sound. Past 2,000,000 combinations every bit is set (nothing is
 * claimed). @return MT_OK, MT_EINVAL (no such definition, reachable NULL) or
 * MT_ENOMEM (then every bit is set).
 */
MT_EXTERN int mt_definition_reachable(size_t i, unsigned never, unsigned settings,
                                      unsigned *reachable);

/**
 * Which criteria of definition `i` (mt_definition_at) a cohort row can
 * evaluate at all: bit c of *informed when some row of the row fields
 * (MT_FIELD_*, each given) gives criterion c a verdict, tried with every
 * sex, setting, ASM method or BIA equation and the youngest, middle and
 * oldest accepted age. A criterion whose bit is clear reads only what an
 * assessment document's `history` gives (weight loss, laboratory values,
 * intake, illnesses), which no column of a cohort file can: GLIM's
 * `reduced_intake`, Evans 2008's `high_crp`. @return MT_OK, MT_EINVAL (no
 * such definition, informed NULL) or MT_ENOMEM (then every bit is set).
 */
MT_EXTERN int mt_definition_row_informed(size_t i, unsigned *informed);

/**
 * The row fields criterion `c` of definition `i` (mt_definition_at) reads:
 * the ways a cohort row can give it a verdict, each a set of fields (bit f
 * for MT_FIELD_f) in sets[0, *n), at most `max` of them, the fewest fields
 * first. A set evaluates it, with sex and age (every row has them, and no
 * set names them), in some sex, setting, ASM method or BIA equation; and
 * with one, two or three of its fields left out it no longer does (fields
 * read together, as an ASM and its method, are left out together). Found as
 * mt_definition_row_informed tries rows, leaving fields out: EWGSOP2's
 * `low_asmi`, say, {asm, asm_method, height} and {height, weight,
 * bia_resistance, bia_reactance, bia_equation}. A criterion that reads an
 * assessment document's history alone has none (*n 0). @return MT_OK,
 * MT_EINVAL (no such definition or criterion, n NULL, or sets NULL with max
 * > 0) or MT_ENOMEM.
 */
MT_EXTERN int mt_definition_criterion_fields(size_t i, int c, unsigned *sets, size_t max,
                                             size_t *n);

/**
 * The accepted range of a numeric field, in its canonical unit, and the unit's
 * label ("kg", "points", "years").
 * @return MT_OK, or MT_EINVAL for a field of words (sex, asm_method, ...)
 */
MT_EXTERN int mt_field_range(int field, double *min, double *max, const char **unit);

/** The words a field accepts: all of a word field's ("female", "male"), or the
 *  one a timed test takes instead of a number ("unable"); NULL-terminated.
 *  NULL when the field takes numbers only. */
MT_EXTERN const char *const *mt_field_words(int field);

/* --- the rule tables --------------------------------------------------- */

/** One row of the threshold tables, as read by mt_rule_at(). */
typedef struct mt_rule_view {
    const char *definition; /**< "ewgsop2", ... */
    const char *criterion;  /**< "low_grip", ... */
    const char *sex;        /**< "male", "female" or "any" */
    const char *measure;    /**< the field compared, e.g. "grip", "asmi" */
    const char *condition;  /**< extra condition ("asm_method=dxa", "bmi<=24") or "" */
    const char *op;
    double threshold;
    double threshold_high;
    const char *unit;
    const char *source;
    const char *status;
} mt_rule_view;

/** Number of rows in the threshold tables. */
MT_EXTERN size_t mt_rule_count(void);

/** Read row `i` (0 <= i < mt_rule_count()). @return MT_OK or MT_EINVAL. */
MT_EXTERN int mt_rule_at(size_t i, mt_rule_view *out);

/** The full citation of a source ID ("EWGSOP2" -> "Cruz-Jentoft AJ et al. ..."), or NULL. */
MT_EXTERN const char *mt_source_citation(const char *source_id);

#ifdef __cplusplus
}
#endif

#endif /* MYOTRACK_H */
