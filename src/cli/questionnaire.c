/*
 * questionnaire.c - `myotrack assess --interactive`: ask the questions one by
 * one, in plain words, and show the report at the end.
 *
 * The warning signs come first: after each one the partial document goes to
 * mt_triage_check(), and an "emergency" or "urgent" answer stops everything
 * at once with the engine's advice. Then the person, SARC-F, the measurements
 * the person has, the other symptoms, the history and the preferences.
 *
 * Nothing clinical is decided here. Each answer is checked by building the
 * assessment document from the answers so far plus the new one and handing it
 * to the engine (mt_input_parse_json, or mt_triage_check while sex or age is
 * still unknown); when the engine refuses the field just asked, its message
 * is shown and the question asked again. Units are passed through as typed
 * ("150 lb", "5 ft 7 in"): the engine converts them. The only things this file
 * knows are how to ask: the wording, which answers mean yes or no, the menus
 * of accepted words (numbers pick a word), and which questions go together
 * (no time is asked for a walk without a distance).
 *
 * Questions go to standard error and the report to standard output, so
 * `myotrack assess --interactive > report.txt` still shows the questions.
 * The questions table is in asking order; the field table is in document
 * order (each section contiguous), which is also the order of the --save file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "cli.h"

/* --- the document's fields, in document order --------------------------- */

typedef enum field_id {
    F_NONE = 0, /* "no field": the default of the question table's links */
    F_SEX,
    F_AGE,
    F_HEIGHT,
    F_WEIGHT,
    F_SF_STRENGTH,
    F_SF_WALKING,
    F_SF_CHAIR,
    F_SF_STAIRS,
    F_SF_FALLS,
    F_GRIP,
    F_CHAIR5,
    F_GAIT,
    F_WALK_DIST,
    F_WALK_TIME,
    F_TUG,
    F_SIX_MW,
    F_SPPB_TOTAL,
    F_CALF,
    F_ONSET,
    F_WORSENING,
    F_SIDE,
    F_FACE,
    F_SPEECH,
    F_VISION,
    F_BALANCE,
    F_BREATHING,
    F_SWALLOWING,
    F_ASCENDING,
    F_INFECTION,
    F_NUMBNESS,
    F_SADDLE,
    F_BLADDER,
    F_FASCICULATIONS,
    F_CRAMPS,
    F_PAIN,
    F_FEVER,
    F_DARK_URINE,
    F_FATIGABLE,
    F_EYELIDS,
    F_DOUBLE_VISION,
    F_PROXIMAL,
    F_FATIGUE,
    F_IMMOB_WEEKS,
    F_IMMOB_PART,
    F_BED_REST,
    F_CONDITIONS,
    F_MEDICATIONS,
    F_WEIGHT_6,
    F_WEIGHT_12,
    F_APPETITE,
    F_INTAKE,
    F_CHILDHOOD,
    F_FAMILY,
    F_FALLS,
    F_EXERCISE,
    F_CK,
    F_CK_ULN,
    F_EGFR,
    F_DIALYSIS,
    F_CRP,
    F_HEMOGLOBIN,
    F_ALBUMIN,
    F_VITAMIN_D,
    F_EQUIPMENT,
    F_LOCATION,
    F_LABS_GATE, /* "do you have blood test results?": not in the document */
    F_COUNT
} field_id;

/* The dotted path of each field in the document (NULL: not written). */
static const char *const field_path[F_COUNT] = {
    [F_SEX] = "person.sex",
    [F_AGE] = "person.age",
    [F_HEIGHT] = "person.height",
    [F_WEIGHT] = "person.weight",
    [F_SF_STRENGTH] = "sarc_f.strength",
    [F_SF_WALKING] = "sarc_f.walking",
    [F_SF_CHAIR] = "sarc_f.chair",
    [F_SF_STAIRS] = "sarc_f.stairs",
    [F_SF_FALLS] = "sarc_f.falls",
    [F_GRIP] = "measurements.grip",
    [F_CHAIR5] = "measurements.chair_stand_5x",
    [F_GAIT] = "measurements.gait_speed",
    [F_WALK_DIST] = "measurements.walk.distance",
    [F_WALK_TIME] = "measurements.walk.time",
    [F_TUG] = "measurements.tug",
    [F_SIX_MW] = "measurements.six_minute_walk",
    [F_SPPB_TOTAL] = "measurements.sppb.total",
    [F_CALF] = "measurements.calf",
    [F_ONSET] = "symptoms.onset",
    [F_WORSENING] = "symptoms.worsening",
    [F_SIDE] = "symptoms.side",
    [F_FACE] = "symptoms.face_droop",
    [F_SPEECH] = "symptoms.speech_trouble",
    [F_VISION] = "symptoms.vision_trouble",
    [F_BALANCE] = "symptoms.sudden_balance_loss",
    [F_BREATHING] = "symptoms.breathing_trouble",
    [F_SWALLOWING] = "symptoms.swallowing_trouble",
    [F_ASCENDING] = "symptoms.ascending",
    [F_INFECTION] = "symptoms.recent_infection",
    [F_NUMBNESS] = "symptoms.numbness",
    [F_SADDLE] = "symptoms.saddle_numbness",
    [F_BLADDER] = "symptoms.bladder_bowel_change",
    [F_FASCICULATIONS] = "symptoms.fasciculations",
    [F_CRAMPS] = "symptoms.cramps",
    [F_PAIN] = "symptoms.muscle_pain",
    [F_FEVER] = "symptoms.fever",
    [F_DARK_URINE] = "symptoms.dark_urine",
    [F_FATIGABLE] = "symptoms.fatigable",
    [F_EYELIDS] = "symptoms.drooping_eyelids",
    [F_DOUBLE_VISION] = "symptoms.double_vision",
    [F_PROXIMAL] = "symptoms.proximal",
    [F_FATIGUE] = "symptoms.fatigue",
    [F_IMMOB_WEEKS] = "history.immobilization_weeks",
    [F_IMMOB_PART] = "history.immobilized_part",
    [F_BED_REST] = "history.bed_rest_days",
    [F_CONDITIONS] = "history.conditions",
    [F_MEDICATIONS] = "history.medications",
    [F_WEIGHT_6] = "history.weight_6_months_ago",
    [F_WEIGHT_12] = "history.weight_12_months_ago",
    [F_APPETITE] = "history.appetite_reduced",
    [F_INTAKE] = "history.intake_percent_of_usual",
    [F_CHILDHOOD] = "history.childhood_onset",
    [F_FAMILY] = "history.family_history_neuromuscular",
    [F_FALLS] = "history.falls_past_year",
    [F_EXERCISE] = "history.exercise_sessions_per_week",
    [F_CK] = "history.labs.ck",
    [F_CK_ULN] = "history.labs.ck_uln",
    [F_EGFR] = "history.labs.egfr",
    [F_DIALYSIS] = "history.labs.on_dialysis",
    [F_CRP] = "history.labs.crp",
    [F_HEMOGLOBIN] = "history.labs.hemoglobin",
    [F_ALBUMIN] = "history.labs.albumin",
    [F_VITAMIN_D] = "history.labs.vitamin_d",
    [F_EQUIPMENT] = "preferences.equipment",
    [F_LOCATION] = "preferences.location",
};

/* --- the questions, in asking order ------------------------------------- */

typedef enum qkind {
    Q_FLAG,   /* a warning sign: yes, no or "not sure"; must be answered */
    Q_YESNO,  /* yes or no */
    Q_VALUE,  /* a number or a quantity with its unit, passed as typed */
    Q_CHOICE, /* one word of a menu */
    Q_LIST,   /* words of a menu, separated by commas */
    Q_TEXT    /* free text */
} qkind;

enum {
    Q_REQUIRED = 1, /* Enter asks again */
    Q_PAIR = 2,     /* skipping this drops the answer of `needs` (the two go together) */
    Q_PERCENT = 4,  /* a trailing '%' is dropped */
    Q_SUDDEN = 8,   /* the question asks about something sudden: yes also sets
                       symptoms.onset "sudden", the engine's word for it */
    Q_YES_ONLY = 16 /* no leaves the field out (no to "suddenly weak on one side"
                       does not mean "both sides") */
};

enum { S_WARNING = 1, S_ABOUT, S_TASKS, S_TESTS, S_SYMPTOMS, S_HISTORY, S_PLAN, S_COUNT = S_PLAN };

static const char *const section_title[] = {
    [S_WARNING] = "Warning signs",
    [S_ABOUT] = "About you",
    [S_TASKS] = "Everyday tasks (the SARC-F questions)",
    [S_TESTS] = "Your test results",
    [S_SYMPTOMS] = "How your muscles feel",
    [S_HISTORY] = "Your health story",
    [S_PLAN] = "Exercise plans",
};

static const char *const section_intro[] = {
    [S_WARNING] = "Answer about how you feel now or in the last few days.\n"
                  "Type y for yes or n for no. If you really cannot tell, type not sure.",
    [S_ABOUT] = "Height and weight can be skipped: press Enter.",
    [S_TASKS] = "Five questions about everyday tasks. Type the number of the answer that fits.\n"
                "Press Enter at the first one to skip all five.",
    [S_TESTS] = "Only the tests you have done. Type the result with its unit, as on your sheet.\n"
                "Press Enter to skip a test you have not done.",
    [S_SYMPTOMS] = "Type y or n, or pick from the list. Press Enter to skip a question.",
    [S_HISTORY] = "Press Enter to skip any question.",
    [S_PLAN] = "Press Enter to skip.",
};

typedef struct question {
    int section;
    field_id field;
    qkind kind;
    unsigned flags;
    field_id needs;  /* ask only when this field has an answer that is not no/0/none */
    field_id unless; /* ask only when this field has no answer */
    const char *text;
    const char *hint;          /* accepted answers and how to skip */
    const char *yes;           /* Q_FLAG: the JSON a yes gives (default true) */
    const char *const *words;  /* Q_CHOICE and Q_LIST: the accepted words... */
    const char *const *labels; /* ...and what the menu shows for each; NULL-terminated */
} question;

static const char *const w_sex[] = {"female", "male", NULL};
static const char *const w_onset[] = {"sudden", "days", "weeks", "months", "years", NULL};
static const char *const l_onset[] = {"suddenly (within minutes or hours)",
                                      "over a few days",
                                      "over a few weeks",
                                      "over a few months",
                                      "slowly, over years",
                                      NULL};
static const char *const w_side[] = {"one", "both", NULL};
static const char *const l_side[] = {"one side of the body", "both sides", NULL};
static const char *const w_conditions[] = {"cancer",
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
static const char *const l_conditions[] = {"cancer",
                                           "COPD (a long-term lung disease)",
                                           "heart failure",
                                           "long-term kidney disease (CKD)",
                                           "diabetes",
                                           "rheumatoid arthritis",
                                           "HIV",
                                           "multiple sclerosis (MS)",
                                           "a stroke in the past",
                                           "Parkinson's disease",
                                           "liver disease",
                                           "another long-term illness",
                                           NULL};
static const char *const w_medications[] = {
    "corticosteroid", "statin", "fluoroquinolone", "chemotherapy", "anticonvulsant", "other", NULL};
static const char *const l_medications[] = {
    "steroid tablets (for example prednisone)",
    "a statin for cholesterol (for example atorvastatin)",
    "a fluoroquinolone antibiotic (for example ciprofloxacin)",
    "chemotherapy",
    "medicine for seizures (epilepsy)",
    "another medicine taken every day",
    NULL};
static const char *const w_equipment[] = {"none", "chair", "bands", "dumbbells",
                                          "gym",  "pool",  NULL};
static const char *const l_equipment[] = {"nothing",
                                          "a sturdy chair",
                                          "elastic bands",
                                          "dumbbells or hand weights",
                                          "a gym",
                                          "a swimming pool",
                                          NULL};
static const char *const w_location[] = {"home", "gym", "clinic", NULL};
static const char *const l_location[] = {"at home", "at a gym", "at a clinic", NULL};

#define HINT_FLAG  "y or n, or not sure"
#define HINT_YESNO "y or n; Enter to skip"

static const question questions[] = {
    /* Warning signs (REFERENCE §9): each must be answered. */
    {.section = S_WARNING,
     .field = F_FACE,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Is one side of your face drooping (hanging lower than the other side)?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_SPEECH,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Do you have trouble speaking, or do your words come out slurred?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_VISION,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED | Q_SUDDEN,
     .text = "Did you suddenly have trouble seeing, or start seeing double?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_BALANCE,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Did you suddenly lose your balance?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_SIDE,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED | Q_SUDDEN | Q_YES_ONLY,
     .yes = "\"one\"",
     .text = "Did one side of your body (an arm, a leg, or both on one side) suddenly become weak?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_BREATHING,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Do you have trouble breathing, or is your cough weak?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_SWALLOWING,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Do you have trouble swallowing (food or drink gets stuck, or you choke)?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_ASCENDING,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Is the weakness spreading upward, starting in your feet or legs?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_SADDLE,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Is the skin numb between your legs or around your bottom?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_BLADDER,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Is it newly hard to control your pee or poo (bladder or bowel)?",
     .hint = HINT_FLAG},
    {.section = S_WARNING,
     .field = F_DARK_URINE,
     .kind = Q_FLAG,
     .flags = Q_REQUIRED,
     .text = "Is your pee (urine) dark, like tea or cola?",
     .hint = HINT_FLAG},

    /* About you */
    {.section = S_ABOUT,
     .field = F_SEX,
     .kind = Q_CHOICE,
     .flags = Q_REQUIRED,
     .text = "Are you female or male? (The muscle norms differ.)",
     .hint = "type f or m",
     .words = w_sex},
    {.section = S_ABOUT,
     .field = F_AGE,
     .kind = Q_VALUE,
     .flags = Q_REQUIRED,
     .text = "How old are you, in years?",
     .hint = "for example 72"},
    {.section = S_ABOUT,
     .field = F_HEIGHT,
     .kind = Q_VALUE,
     .text = "How tall are you?",
     .hint = "for example 165 cm or 5 ft 5 in; a number alone means cm; Enter to skip"},
    {.section = S_ABOUT,
     .field = F_WEIGHT,
     .kind = Q_VALUE,
     .text = "How much do you weigh?",
     .hint = "for example 70 kg or 154 lb; a number alone means kg; Enter to skip"},

    /* SARC-F (Malmstrom & Morley 2013, REFERENCE §3): the published items in plain words. */
    {.section = S_TASKS,
     .field = F_SF_STRENGTH,
     .kind = Q_VALUE,
     .text = "How hard is it for you to lift and carry 10 pounds (4.5 kg, about a full bag of "
             "shopping)?\n  0 = not hard   1 = a bit hard   2 = very hard, or I can't",
     .hint = "0, 1 or 2; Enter skips all five"},
    {.section = S_TASKS,
     .field = F_SF_WALKING,
     .kind = Q_VALUE,
     .flags = Q_REQUIRED,
     .needs = F_SF_STRENGTH,
     .text = "How hard is it for you to walk across a room?\n  0 = not hard   1 = a bit hard   2 = "
             "very hard, I need a walking aid, or I can't",
     .hint = "0, 1 or 2"},
    {.section = S_TASKS,
     .field = F_SF_CHAIR,
     .kind = Q_VALUE,
     .flags = Q_REQUIRED,
     .needs = F_SF_STRENGTH,
     .text = "How hard is it for you to get up from a chair or out of bed?\n  0 = not hard   1 = a "
             "bit hard   2 = very hard, or I can't without help",
     .hint = "0, 1 or 2"},
    {.section = S_TASKS,
     .field = F_SF_STAIRS,
     .kind = Q_VALUE,
     .flags = Q_REQUIRED,
     .needs = F_SF_STRENGTH,
     .text = "How hard is it for you to climb 10 stairs?\n  0 = not hard   1 = a bit hard   2 = "
             "very hard, or I can't",
     .hint = "0, 1 or 2"},
    {.section = S_TASKS,
     .field = F_SF_FALLS,
     .kind = Q_VALUE,
     .flags = Q_REQUIRED,
     .needs = F_SF_STRENGTH,
     .text = "How many times did you fall in the past year?\n  0 = never   1 = 1 to 3 times   2 = "
             "4 times or more",
     .hint = "0, 1 or 2"},

    /* Measurements the person has */
    {.section = S_TESTS,
     .field = F_GRIP,
     .kind = Q_VALUE,
     .text = "Grip strength: your best squeeze on a hand-grip meter.",
     .hint = "for example 28 kg or 62 lb; Enter to skip"},
    {.section = S_TESTS,
     .field = F_CHAIR5,
     .kind = Q_VALUE,
     .text =
         "Chair test: how long it took to stand up from a chair 5 times with your arms crossed.",
     .hint = "for example 12.5 s, or type unable if you could not; Enter to skip"},
    {.section = S_TESTS,
     .field = F_GAIT,
     .kind = Q_VALUE,
     .text = "Walking speed: your usual walking speed, if you know it.",
     .hint = "for example 0.9 m/s or 2 mph; Enter to skip and give a timed walk instead"},
    {.section = S_TESTS,
     .field = F_WALK_DIST,
     .kind = Q_VALUE,
     .unless = F_GAIT,
     .text = "Timed walk: how far did you walk at your usual pace?",
     .hint = "for example 4 m or 13 ft; Enter to skip"},
    {.section = S_TESTS,
     .field = F_WALK_TIME,
     .kind = Q_VALUE,
     .flags = Q_PAIR,
     .needs = F_WALK_DIST,
     .text = "How long did that walk take?",
     .hint = "for example 5.2 s; Enter to leave the walk out"},
    {.section = S_TESTS,
     .field = F_TUG,
     .kind = Q_VALUE,
     .text = "Timed Up and Go: how long it took to stand up, walk 3 metres (10 feet), turn, walk "
             "back and sit down.",
     .hint = "for example 11.5 s; Enter to skip"},
    {.section = S_TESTS,
     .field = F_CALF,
     .kind = Q_VALUE,
     .text = "Calf size: the distance around the widest part of your lower leg.",
     .hint = "for example 34 cm or 13.5 in; Enter to skip"},
    {.section = S_TESTS,
     .field = F_SIX_MW,
     .kind = Q_VALUE,
     .text = "Six-minute walk: how far you walked in 6 minutes.",
     .hint = "for example 400 m or 1300 ft; Enter to skip"},
    {.section = S_TESTS,
     .field = F_SPPB_TOTAL,
     .kind = Q_VALUE,
     .text = "SPPB: your total score on the Short Physical Performance Battery.",
     .hint = "a whole number from 0 to 12; Enter to skip"},

    /* The other symptoms */
    {.section = S_SYMPTOMS,
     .field = F_ONSET,
     .kind = Q_CHOICE,
     .unless = F_ONSET,
     .text = "When did the weakness or muscle loss start?",
     .hint = "type a number or a word; Enter to skip",
     .words = w_onset,
     .labels = l_onset},
    {.section = S_SYMPTOMS,
     .field = F_WORSENING,
     .kind = Q_YESNO,
     .text = "Is it getting worse now?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_SIDE,
     .kind = Q_CHOICE,
     .unless = F_SIDE,
     .text = "Is the weakness on one side of your body or on both sides?",
     .hint = "type one or both; Enter to skip",
     .words = w_side,
     .labels = l_side},
    {.section = S_SYMPTOMS,
     .field = F_NUMBNESS,
     .kind = Q_YESNO,
     .text = "Do you have numbness or tingling (pins and needles)?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_FASCICULATIONS,
     .kind = Q_YESNO,
     .text = "Do you see small twitches under your skin, like a muscle flickering?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_CRAMPS,
     .kind = Q_YESNO,
     .text = "Do you get muscle cramps?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_PAIN,
     .kind = Q_YESNO,
     .text = "Do your muscles ache or hurt?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_FATIGABLE,
     .kind = Q_YESNO,
     .text = "Does the weakness get worse when you use the muscle, and better after a rest?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_EYELIDS,
     .kind = Q_YESNO,
     .text = "Do your eyelids droop (hang down)?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_DOUBLE_VISION,
     .kind = Q_YESNO,
     .text = "Do you sometimes see double (two of everything), for example when you are tired?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_PROXIMAL,
     .kind = Q_YESNO,
     .text = "Is it hard to get up from a chair or to lift your arms above your head?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_INFECTION,
     .kind = Q_YESNO,
     .text = "Have you had an infection (like the flu or a stomach bug) in the last few weeks?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_FEVER,
     .kind = Q_YESNO,
     .text = "Do you have a fever (a high temperature)?",
     .hint = HINT_YESNO},
    {.section = S_SYMPTOMS,
     .field = F_FATIGUE,
     .kind = Q_YESNO,
     .text = "Do you feel very tired most days?",
     .hint = HINT_YESNO},

    /* History */
    {.section = S_HISTORY,
     .field = F_IMMOB_WEEKS,
     .kind = Q_VALUE,
     .text =
         "Has part of your body been in a cast, brace or splint lately? If so, for how many weeks?",
     .hint = "for example 6; 0 if not; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_IMMOB_PART,
     .kind = Q_TEXT,
     .needs = F_IMMOB_WEEKS,
     .text = "Which part of your body was it?",
     .hint = "for example left leg; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_BED_REST,
     .kind = Q_VALUE,
     .text = "How many days have you spent mostly in bed lately (for example in hospital)?",
     .hint = "for example 10; 0 if none; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_CONDITIONS,
     .kind = Q_LIST,
     .text = "Do you have any of these long-term illnesses?",
     .hint = "numbers or words with commas, for example 2, 5; none if none; Enter to skip",
     .words = w_conditions,
     .labels = l_conditions},
    {.section = S_HISTORY,
     .field = F_MEDICATIONS,
     .kind = Q_LIST,
     .text = "Do you take any of these medicines?",
     .hint = "numbers or words with commas, for example 1, 2; none if none; Enter to skip",
     .words = w_medications,
     .labels = l_medications},
    {.section = S_HISTORY,
     .field = F_WEIGHT_6,
     .kind = Q_VALUE,
     .needs = F_WEIGHT,
     .text = "What did you weigh 6 months ago?",
     .hint = "for example 75 kg or 165 lb; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_WEIGHT_12,
     .kind = Q_VALUE,
     .needs = F_WEIGHT,
     .text = "What did you weigh 12 months ago?",
     .hint = "for example 76 kg or 168 lb; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_APPETITE,
     .kind = Q_YESNO,
     .text = "Are you less hungry than usual?",
     .hint = HINT_YESNO},
    {.section = S_HISTORY,
     .field = F_INTAKE,
     .kind = Q_VALUE,
     .flags = Q_PERCENT,
     .text = "How much of your usual amount of food do you eat now, in percent?",
     .hint = "for example 50 for half, 100 for all of it; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_CHILDHOOD,
     .kind = Q_YESNO,
     .text = "Did the muscle weakness start when you were a child?",
     .hint = HINT_YESNO},
    {.section = S_HISTORY,
     .field = F_FAMILY,
     .kind = Q_YESNO,
     .text = "Does anyone in your family have a muscle or nerve disease?",
     .hint = HINT_YESNO},
    {.section = S_HISTORY,
     .field = F_FALLS,
     .kind = Q_VALUE,
     .text = "How many times did you fall in the past year? (The exact number this time.)",
     .hint = "for example 2; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_EXERCISE,
     .kind = Q_VALUE,
     .text = "How many times a week do you exercise now (for example strength training)?",
     .hint = "for example 3; 0 if none; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_LABS_GATE,
     .kind = Q_YESNO,
     .text = "Do you have blood test results you want to enter?",
     .hint = HINT_YESNO},
    {.section = S_HISTORY,
     .field = F_CK,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "CK (creatine kinase), in U/L:",
     .hint = "for example 180; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_CK_ULN,
     .kind = Q_VALUE,
     .flags = Q_PAIR,
     .needs = F_CK,
     .text = "The lab's upper limit of normal for CK, in U/L (printed next to the result):",
     .hint = "for example 200; Enter to leave CK out"},
    {.section = S_HISTORY,
     .field = F_EGFR,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "eGFR (kidney function), in mL/min/1.73 m2:",
     .hint = "for example 65; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_DIALYSIS,
     .kind = Q_YESNO,
     .needs = F_LABS_GATE,
     .text = "Are you on dialysis?",
     .hint = HINT_YESNO},
    {.section = S_HISTORY,
     .field = F_CRP,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "CRP, in mg/L:",
     .hint = "for example 4; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_HEMOGLOBIN,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "Hemoglobin, in g/dL (120 g/L is 12 g/dL):",
     .hint = "for example 13.5; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_ALBUMIN,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "Albumin, in g/dL (35 g/L is 3.5 g/dL):",
     .hint = "for example 3.9; Enter to skip"},
    {.section = S_HISTORY,
     .field = F_VITAMIN_D,
     .kind = Q_VALUE,
     .needs = F_LABS_GATE,
     .text = "Vitamin D (25-hydroxy), in ng/mL (nmol/L divided by 2.5):",
     .hint = "for example 30; Enter to skip"},

    /* Preferences */
    {.section = S_PLAN,
     .field = F_EQUIPMENT,
     .kind = Q_LIST,
     .text = "What can you use for exercise?",
     .hint = "numbers or words with commas, for example 2, 3; Enter to skip",
     .words = w_equipment,
     .labels = l_equipment},
    {.section = S_PLAN,
     .field = F_LOCATION,
     .kind = Q_CHOICE,
     .text = "Where would you like to exercise?",
     .hint = "type a number or a word; Enter to skip",
     .words = w_location,
     .labels = l_location},
};
#define N_QUESTIONS (sizeof(questions) / sizeof(questions[0]))

/* --- a small bounded buffer and the JSON writer ------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
    int oom; /* set once an append failed; later appends do nothing */
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > MT_MAX_INPUT || !(p = realloc(b->p, cap))) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes (UTF-8) as they are - the engine checks they are valid UTF-8. */
static void buf_json_string(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    buf_add(b, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            buf_add(b, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, e, 6);
        } else {
            buf_add(b, s + i, 1);
        }
    }
    buf_add(b, "\"", 1);
}

static void buf_indent(buf *b, int depth)
{
    int i;
    for (i = 0; i < depth; i++)
        buf_add(b, "  ", 2);
}

/* --- the answers --------------------------------------------------------- */

#define MAX_ANSWER 1000 /* longer lines are refused before the engine sees them */

typedef struct qn {
    char *ans[F_COUNT];        /* each answer as JSON text ("true", "70", "\"150 lb\""), or NULL */
    int not_sure[N_QUESTIONS]; /* warning signs answered "not sure" */
    int color;                 /* colours on standard error */
    int echo;                  /* standard input is not a terminal: echo answers */
    int stdout_apart;          /* standard output is not where the questions go */
    int fail;                  /* the exit code after ASK_FAIL */
    char line[MAX_ANSWER + 2]; /* the answer being read */
} qn;

/*
 * The document of the answers, pretty-printed, sections in document order.
 * Fields whose path is NULL (the labs question) are left out. NULL on out of
 * memory.
 */
static char *document(const qn *q, size_t *len)
{
    buf b = {NULL, 0, 0, 0};
    char open[3][32];
    int depth = 0, first = 1, f;

    buf_add(&b, "{", 1);
    for (f = 1; f < F_COUNT; f++) {
        const char *path = field_path[f], *p;
        char part[3][32];
        int n = 0, same = 0, i;

        if (!path || !q->ans[f])
            continue;
        /* Split "history.labs.ck" into its parts. */
        for (p = path; n < 3;) {
            const char *dot = strchr(p, '.');
            size_t k = dot ? (size_t)(dot - p) : strlen(p);
            memcpy(part[n], p, k);
            part[n][k] = '\0';
            n++;
            if (!dot)
                break;
            p = dot + 1;
        }
        /* Close the objects this field is not in, open the ones it is. */
        while (same < depth && same < n - 1 && strcmp(open[same], part[same]) == 0)
            same++;
        while (depth > same) {
            buf_add(&b, "\n", 1);
            buf_indent(&b, depth);
            buf_add(&b, "}", 1);
            depth--;
            first = 0;
        }
        for (i = depth; i < n; i++) {
            buf_add(&b, first ? "\n" : ",\n", first ? 1 : 2);
            buf_indent(&b, i + 1);
            buf_json_string(&b, part[i], strlen(part[i]));
            buf_add(&b, ": ", 2);
            if (i < n - 1) {
                buf_add(&b, "{", 1);
                memcpy(open[i], part[i], sizeof(open[i]));
                depth = i + 1;
                first = 1;
            } else {
                buf_puts(&b, q->ans[f]);
                first = 0;
            }
        }
    }
    while (depth > 0) {
        buf_add(&b, "\n", 1);
        buf_indent(&b, depth);
        buf_add(&b, "}", 1);
        depth--;
    }
    buf_add(&b, "\n}\n", 3);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

/* Does an answer count as a "yes" for the questions that depend on it? */
static int answered_yes(const qn *q, field_id f)
{
    const char *a = q->ans[f];
    return a && strcmp(a, "null") != 0 && strcmp(a, "false") != 0 && strcmp(a, "0") != 0 &&
           strcmp(a, "[]") != 0;
}

/* Is `field` (a dotted path, maybe with "[i]") the same as or inside or
 * around `path`? "measurements.walk" relates to "measurements.walk.time". */
static int path_related(const char *field, const char *path)
{
    size_t a = strlen(field), b = strlen(path);
    if (a == b)
        return strcmp(field, path) == 0;
    if (a > b)
        return strncmp(field, path, b) == 0 && (field[b] == '.' || field[b] == '[');
    return strncmp(field, path, a) == 0 && path[a] == '.';
}

/* The field an error is about, or F_NONE. */
static field_id field_of_error(const char *err_field)
{
    int f;
    if (!err_field[0])
        return F_NONE;
    for (f = 1; f < F_COUNT; f++)
        if (field_path[f] && strcmp(field_path[f], err_field) == 0)
            return (field_id)f;
    for (f = 1; f < F_COUNT; f++)
        if (field_path[f] && path_related(err_field, field_path[f]))
            return (field_id)f;
    return F_NONE;
}

/*
 * Check the document of the answers so far with the engine. Until sex and
 * age are known that is mt_triage_check (which also gives the triage of the
 * warning signs in `tv`); from then on mt_input_parse_json. `tv` may be NULL.
 */
static int check(const qn *q, mt_triage_view *tv, mt_error *err)
{
    size_t len = 0;
    char *doc = document(q, &len);
    mt_triage_view dummy;
    int rc;

    if (!doc)
        return MT_ENOMEM;
    if (tv || !q->ans[F_SEX] || !q->ans[F_AGE]) {
        rc = mt_triage_check(doc, len, tv ? tv : &dummy, err);
    } else {
        mt_input *in = NULL;
        rc = mt_input_parse_json(&in, doc, len, err);
        mt_input_free(in);
    }
    free(doc);
    return rc;
}

/* --- terminal output ------------------------------------------------------ */

static void say(const qn *q, const char *style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Write to standard error, the text between its leading and trailing
 * newlines in `style` (an ANSI SGR code such as "1") when colours are on. */
static void say(const qn *q, const char *style, const char *fmt, ...)
{
    char text[2048];
    size_t a = 0, b;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    b = strlen(text);
    if (!q->color || !style) {
        fputs(text, stderr);
    } else {
        while (a < b && text[a] == '\n')
            a++;
        while (b > a && text[b - 1] == '\n')
            b--;
        fprintf(stderr, "%.*s\033[%sm%.*s\033[0m%s", (int)a, text, style, (int)(b - a), text + a,
                text + b);
    }
    fflush(stderr);
}

/* The engine's message without the "field.path: " it starts with. */
static const char *plain_message(const mt_error *err)
{
    size_t n = strlen(err->field);
    if (n && strncmp(err->message, err->field, n) == 0 && err->message[n] == ':' &&
        err->message[n + 1] == ' ')
        return err->message + n + 2;
    return err->message[0] ? err->message : "that answer was not accepted";
}

static void print_menu(const qn *q, const question *qu)
{
    size_t i;
    if (!qu->labels)
        return;
    for (i = 0; qu->labels[i]; i++)
        say(q, NULL, "  %2zu  %s\n", i + 1, qu->labels[i]);
}

/* --- reading one answer --------------------------------------------------- */

enum { READ_OK = 0, READ_EOF = -1, READ_ERROR = -2 };

/*
 * Show the prompt and read one line into q->line, trimmed of the newline and
 * of spaces at both ends. READ_EOF at end of input, READ_ERROR on a read error.
 */
static int read_answer(qn *q, const char **out, size_t *len)
{
    size_t a = 0, b = 0;
    int c, any = 0;

    say(q, NULL, "> ");
    /* At most MAX_ANSWER + 1 bytes are kept: one more than allowed proves
     * "too long"; the rest of such a line is read and dropped. */
    while ((c = getc(stdin)) != EOF) {
        any = 1;
        if (c == '\n')
            break;
        if (b < sizeof(q->line) - 1)
            q->line[b++] = (char)c;
    }
    if (c == EOF && ferror(stdin))
        return READ_ERROR;
    if (c == EOF && !any)
        return READ_EOF;
    while (b > 0 && isspace((unsigned char)q->line[b - 1]))
        b--;
    while (a < b && isspace((unsigned char)q->line[a]))
        a++;
    q->line[b] = '\0';
    if (q->echo)
        say(q, NULL, "%s\n", q->line + a);
    *out = q->line + a;
    *len = b - a;
    return READ_OK;
}

/* Lower-case copy of s[0..n) into dst (size cap), internal spaces as one '_'
 * when `underscores`. */
static void lower_copy(char *dst, size_t cap, const char *s, size_t n, int underscores)
{
    size_t i, j = 0;
    int space = 0;
    for (i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (underscores && (c == ' ' || c == '\t')) {
            space = 1;
            continue;
        }
        if (space && j + 1 < cap) {
            dst[j++] = '_';
            space = 0;
        }
        if (j + 1 < cap)
            dst[j++] = (char)tolower(c);
    }
    dst[j] = '\0';
}

static int is_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static const char *const yes_words[] = {"y", "yes", NULL};
static const char *const no_words[] = {"n", "no", NULL};
static const char *const unsure_words[] = {"not sure",   "not_sure",  "notsure", "unsure", "?",
                                           "don't know", "dont know", "idk",     NULL};

/* Is s[0..n) a JSON number (RFC 8259 grammar)? */
static int is_json_number(const char *s, size_t n)
{
    size_t i = 0, d;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        for (d = ++i; i < n && isdigit((unsigned char)s[i]); i++)
            ;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        for (d = i; i < n && isdigit((unsigned char)s[i]); i++)
            ;
        if (i == d)
            return 0;
    }
    return i == n;
}

/* The menu word a typed token means: its number in the menu, the word
 * itself, or the start of exactly one word ("f" -> "female"); else NULL. */
static const char *menu_word(const question *qu, const char *tok)
{
    const char *found = NULL;
    size_t i, n = strlen(tok), count = 0;
    char *end;
    long k;

    if (!n)
        return NULL;
    if (isdigit((unsigned char)tok[0])) {
        k = strtol(tok, &end, 10);
        for (i = 0; qu->words[i]; i++)
            ;
        return *end == '\0' && k >= 1 && (size_t)k <= i ? qu->words[k - 1] : NULL;
    }
    for (i = 0; qu->words[i]; i++) {
        if (strcmp(qu->words[i], tok) == 0)
            return qu->words[i];
        if (strncmp(qu->words[i], tok, n) == 0) {
            found = qu->words[i];
            count++;
        }
    }
    return count == 1 ? found : NULL;
}

/*
 * Turn a typed answer into its JSON text in `out`. Returns 1 with *out set
 * (malloc'd), 0 with *why set when the answer cannot be read as that kind of
 * answer at all (the engine then never sees it), -1 out of memory.
 */
static int to_json(const question *qu, const char *s, size_t n, char **out, const char **why)
{
    buf b = {NULL, 0, 0, 0};
    char low[MAX_ANSWER + 1];

    lower_copy(low, sizeof(low), s, n, 0);
    switch (qu->kind) {
    case Q_FLAG:
    case Q_YESNO:
        if (is_one_of(low, yes_words))
            buf_puts(&b, "true");
        else if (is_one_of(low, no_words))
            buf_puts(&b, "false");
        else {
            *why = qu->kind == Q_FLAG ? "please type y for yes, n for no, or not sure"
                                      : "please type y for yes or n for no";
            return 0;
        }
        break;
    case Q_VALUE:
        if ((qu->flags & Q_PERCENT) && n > 0 && s[n - 1] == '%') {
            n--;
            while (n > 0 && s[n - 1] == ' ')
                n--;
        }
        if (is_json_number(s, n))
            buf_add(&b, s, n);
        else
            buf_json_string(&b, s, n);
        break;
    case Q_CHOICE: {
        const char *w;
        lower_copy(low, sizeof(low), s, n, 1);
        w = menu_word(qu, low);
        buf_json_string(&b, w ? w : low, strlen(w ? w : low));
        break;
    }
    case Q_LIST: {
        const char *p = s, *end = s + n;
        int items = 0;
        lower_copy(low, sizeof(low), s, n, 0);
        if (strcmp(low, "none") == 0 && !is_one_of("none", qu->words)) {
            buf_puts(&b, "[]");
            break;
        }
        buf_add(&b, "[", 1);
        while (p < end) {
            const char *comma = memchr(p, ',', (size_t)(end - p)), *e = comma ? comma : end;
            const char *a = p, *w;
            while (a < e && isspace((unsigned char)*a))
                a++;
            while (e > a && isspace((unsigned char)e[-1]))
                e--;
            if (e > a) {
                lower_copy(low, sizeof(low), a, (size_t)(e - a), 1);
                w = menu_word(qu, low);
                if (items++)
                    buf_add(&b, ", ", 2);
                buf_json_string(&b, w ? w : low, strlen(w ? w : low));
            }
            p = comma ? comma + 1 : end;
        }
        buf_add(&b, "]", 1);
        break;
    }
    case Q_TEXT:
        buf_json_string(&b, s, n);
        break;
    }
    if (b.oom || !b.p) {
        free(b.p);
        return -1;
    }
    *out = b.p;
    return 1;
}

static int set_answer(qn *q, field_id f, const char *json)
{
    char *copy = NULL;
    if (json) {
        size_t n = strlen(json) + 1;
        if (!(copy = malloc(n)))
            return -1;
        memcpy(copy, json, n);
    }
    free(q->ans[f]);
    q->ans[f] = copy;
    return 0;
}

/* --- the early stop ------------------------------------------------------- */

static void upper_copy(char *dst, size_t cap, const char *s)
{
    size_t j = 0;
    for (; *s && j + 1 < cap; s++)
        dst[j++] = *s == '_' ? ' ' : (char)toupper((unsigned char)*s);
    dst[j] = '\0';
}

/* The advice of a triage, framed so that it cannot be missed. */
static void print_alert(FILE *f, int color, const mt_triage_view *tv)
{
    char level[32];
    static const char rule[] =
        "========================================================================\n";

    upper_copy(level, sizeof(level), tv->level ? tv->level : "");
    fputs("\n", f);
    if (color)
        fputs("\033[1;31m", f);
    fputs(rule, f);
    fprintf(f, "%s: %s\n", level, tv->action ? tv->action : "");
    if (color)
        fputs("\033[0m", f);
    if (tv->explanation && tv->explanation[0])
        fprintf(f, "Why: %s\n", tv->explanation);
    if (color)
        fputs("\033[1;31m", f);
    fputs(rule, f);
    if (color)
        fputs("\033[0m", f);
    fflush(f);
}

static int is_alarm(const mt_triage_view *tv)
{
    return tv->level && (strcmp(tv->level, "emergency") == 0 || strcmp(tv->level, "urgent") == 0);
}

/* --- asking one question --------------------------------------------------- */

enum { ASK_OK = 0, ASK_STOP = 1, ASK_EOF = 2, ASK_FAIL = 3 };

/*
 * Ask one question until it has an acceptable answer (or is skipped). On a
 * warning sign whose triage is emergency or urgent: fill *alarm and return
 * ASK_STOP. ASK_EOF at end of input; ASK_FAIL on a read error or out of
 * memory, with a message printed and q->fail set to the exit code.
 */
static int ask(qn *q, size_t qi, mt_triage_view *alarm)
{
    const question *qu = &questions[qi];

    say(q, "1", "\n%s\n", qu->text);
    print_menu(q, qu);
    say(q, "2", "(%s)\n", qu->hint);
    for (;;) {
        const char *s, *why = NULL;
        size_t n;
        char *json = NULL;
        char low[16];
        mt_error err = {0, "", ""};
        mt_triage_view tv;
        int rc = read_answer(q, &s, &n), set_onset;
        field_id bad;

        if (rc == READ_EOF)
            return ASK_EOF;
        if (rc == READ_ERROR) {
            cli_error("cannot read the answers: %s", strerror(errno));
            q->fail = EX_IOERR;
            return ASK_FAIL;
        }
        if (n > MAX_ANSWER || memchr(s, '\0', n)) {
            say(q, "33",
                "That answer is too long or has a character that cannot be used. "
                "Please try again.\n");
            continue;
        }
        lower_copy(low, sizeof(low), s, n < sizeof(low) ? n : 0, 0);
        if (qu->kind == Q_FLAG && n < sizeof(low) && is_one_of(low, unsure_words)) {
            /* Not sure: left unanswered (null), mentioned again at the end. */
            q->not_sure[qi] = 1;
            if (!(qu->flags & Q_YES_ONLY) && set_answer(q, qu->field, "null") != 0)
                goto oom;
            return ASK_OK;
        }
        if (n == 0 ||
            (n < sizeof(low) &&
             (strcmp(low, "skip") == 0 || (qu->kind == Q_YESNO && is_one_of(low, unsure_words))))) {
            if (qu->flags & Q_REQUIRED) {
                say(q, "33", "This one needs an answer (%s).\n", qu->hint);
                continue;
            }
            if ((qu->flags & Q_PAIR) && q->ans[qu->needs]) {
                say(q, NULL,
                    "Without this answer, the one before it is left out too: the two go "
                    "together.\n");
                set_answer(q, qu->needs, NULL);
            }
            set_answer(q, qu->field, NULL);
            return ASK_OK;
        }
        rc = to_json(qu, s, n, &json, &why);
        if (rc < 0)
            goto oom;
        if (rc == 0) {
            say(q, "33", "Sorry, %s.\n", why);
            continue;
        }
        /* Try the answer in the document. */
        set_onset = 0;
        if (qu->kind == Q_FLAG) {
            int yes = strcmp(json, "true") == 0;
            free(json);
            set_onset = yes && (qu->flags & Q_SUDDEN) && !q->ans[F_ONSET];
            if (set_answer(q, qu->field,
                           yes ? (qu->yes ? qu->yes : "true")
                               : (qu->flags & Q_YES_ONLY ? NULL : "false")) != 0 ||
                (set_onset && set_answer(q, F_ONSET, "\"sudden\"") != 0))
                goto oom;
        } else {
            free(q->ans[qu->field]);
            q->ans[qu->field] = json;
        }
        if (!field_path[qu->field])
            return ASK_OK; /* the labs question: not in the document */
        rc = check(q, qu->kind == Q_FLAG ? &tv : NULL, &err);
        if (rc == MT_ENOMEM || rc == MT_ETOOBIG)
            goto oom;
        if (rc == MT_OK) {
            if (qu->kind == Q_FLAG && is_alarm(&tv)) {
                *alarm = tv;
                return ASK_STOP;
            }
            return ASK_OK;
        }
        if (rc != MT_EINVAL) {
            cli_error("cannot check the answer: %s", err.message);
            q->fail = EX_SOFTWARE;
            return ASK_FAIL;
        }
        /* An error about a field still to be asked (a walk's time after its
         * distance, the other SARC-F items) is the engine waiting for it. */
        bad = field_of_error(err.field);
        if (bad != F_NONE && bad != qu->field && !q->ans[bad] && !(set_onset && bad == F_ONSET))
            return ASK_OK;
        say(q, "33", "Sorry, %s.\nPlease try again.\n", plain_message(&err));
        set_answer(q, qu->field, NULL);
        if (set_onset)
            set_answer(q, F_ONSET, NULL);
    }
oom:
    cli_error("out of memory");
    q->fail = EX_OSERR;
    return ASK_FAIL;
}

/* --- saving --------------------------------------------------------------- */

/* The directory part of a path ("." when it has none), in dst. */
static int dir_of(const char *path, char *dst, size_t cap)
{
    const char *slash = strrchr(path, '/');
    size_t n;
    if (!slash) {
        if (cap < 2)
            return -1;
        dst[0] = '.';
        dst[1] = '\0';
        return 0;
    }
    n = slash == path ? 1 : (size_t)(slash - path);
    if (n + 1 > cap)
        return -1;
    memcpy(dst, path, n);
    dst[n] = '\0';
    return 0;
}

/* A new temporary file next to `path` (so the rename stays on one file
 * system): its name in tmp, the open descriptor returned, -1 with errno. */
static int temp_beside(const char *path, char *tmp, size_t cap)
{
    const char *base = strrchr(path, '/');
    char dir[4096];
    int n;

    base = base ? base + 1 : path;
    if (dir_of(path, dir, sizeof(dir)) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    n = snprintf(tmp, cap, "%s/.%s.XXXXXX", dir, base);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkstemp(tmp);
}

/*
 * Write `doc` to `path` atomically: a temporary file in the same directory,
 * written whole, fsync'd, then renamed over `path`, then the directory
 * fsync'd. On failure nothing is left behind; returns -1 with errno.
 */
static int save_atomically(const char *path, const char *doc, size_t len)
{
    char tmp[4200], dir[4096];
    size_t off = 0;
    int fd = temp_beside(path, tmp, sizeof(tmp)), e, dfd;

    if (fd < 0)
        return -1;
    while (off < len) {
        ssize_t w = write(fd, doc + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    /* Make the rename itself durable; a failure here loses nothing written. */
    if (dir_of(path, dir, sizeof(dir)) == 0 && (dfd = open(dir, O_RDONLY)) >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
fail:
    e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = e;
    return -1;
}

/* Can a file be created next to `path`? Tried before the first question, so
 * nobody answers fifty questions for a save that cannot happen. */
static int can_save(const char *path)
{
    char tmp[4200];
    struct stat st;
    int fd;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    fd = temp_beside(path, tmp, sizeof(tmp));
    if (fd < 0)
        return -1;
    close(fd);
    unlink(tmp);
    return 0;
}

/* --- the whole questionnaire ---------------------------------------------- */

static int same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int should_ask(const qn *q, const question *qu)
{
    if (qu->needs != F_NONE && !answered_yes(q, qu->needs))
        return 0;
    if (qu->unless != F_NONE && q->ans[qu->unless])
        return 0;
    return 1;
}

/* The warning signs answered "not sure", after the report. */
static void print_not_sure(const qn *q, FILE *f)
{
    size_t i;
    int any = 0;

    for (i = 0; i < N_QUESTIONS; i++)
        if (q->not_sure[i])
            any = 1;
    if (!any)
        return;
    fputs("\nYou were not sure about these warning signs, so this report could not count "
          "them:\n",
          f);
    for (i = 0; i < N_QUESTIONS; i++)
        if (q->not_sure[i])
            fprintf(f, "  - %s\n", questions[i].text);
    fputs("If any of them is happening now, get medical help at once (call the emergency "
          "number if it came on suddenly). If not, tell a doctor about it soon.\n",
          f);
    fflush(f);
}

/* Assess the final document and write the report to standard output. */
static int report(qn *q, const cli_questionnaire_options *opt, const char *doc, size_t len)
{
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err = {0, "", ""};
    mt_triage_view tv;
    char *out = NULL;
    size_t out_len = 0;
    int rc, status;

    rc = mt_input_parse_json(&in, doc, len, &err);
    if (rc == MT_OK)
        rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        /* Every answer was checked on the way, so this is a bug here. */
        cli_error("the answers do not make a valid document: %s", err.message);
        status = rc == MT_ENOMEM ? EX_OSERR : EX_SOFTWARE;
        goto done;
    }
    if (opt->json)
        rc = mt_result_render_json(res, &out, &out_len);
    else
        rc = mt_result_render_text(res, opt->text_flags, &out, &out_len);
    if (rc != MT_OK) {
        cli_error("out of memory rendering the result");
        status = EX_OSERR;
        goto done;
    }
    say(q, "1", "\nThank you. Here is your report.\n\n");
    status = cli_write_stdout(out, out_len);
    if (status != EX_OK)
        goto done;
    /* Text: the note goes with the report. JSON: stdout stays one document.
     * On the terminal too when the report went elsewhere. */
    if (!opt->json)
        print_not_sure(q, stdout);
    if (opt->json || q->stdout_apart)
        print_not_sure(q, stderr);
    if (mt_result_triage(res, &tv) == MT_OK && is_alarm(&tv)) {
        /* A later answer (a lab result) can raise the triage too: the advice
         * goes last on the terminal, whether or not the report went there. */
        print_alert(stderr, q->color, &tv);
    }
done:
    mt_free(out);
    mt_result_free(res);
    mt_input_free(in);
    return status;
}

int cli_questionnaire(const cli_questionnaire_options *opt)
{
    qn q;
    size_t i;
    int section = 0, status = EX_OK, rc;
    char *doc = NULL;
    size_t doc_len = 0;
    mt_triage_view alarm;

    memset(&q, 0, sizeof(q));
    q.color = opt->stderr_color;
    q.echo = !isatty(STDIN_FILENO);
    q.stdout_apart = !same_file(STDOUT_FILENO, STDERR_FILENO);
    if (opt->save_path && can_save(opt->save_path) != 0) {
        cli_error("cannot save to '%s': %s", opt->save_path, strerror(errno));
        return EX_CANTCREAT;
    }

    say(&q, "1", "myotrack questionnaire\n");
    say(&q, NULL, "%s\n", mt_disclaimer());
    say(&q, NULL, "Answer each question and press Enter. Press Ctrl-D to stop at any time.\n");
    for (i = 0; i < N_QUESTIONS; i++) {
        const question *qu = &questions[i];
        if (!should_ask(&q, qu))
            continue;
        if (qu->section != section) {
            section = qu->section;
            say(&q, "1;4", "\nPart %d of %d: %s\n", section, S_COUNT, section_title[section]);
            say(&q, NULL, "%s\n", section_intro[section]);
        }
        rc = ask(&q, i, &alarm);
        if (rc == ASK_STOP) {
            print_alert(stderr, q.color, &alarm);
            say(&q, "1", "The questions stop here so that you can get help now.%s\n",
                opt->save_path ? " Your answers were not saved." : "");
            if (q.stdout_apart)
                print_alert(stdout, 0, &alarm);
            goto done;
        }
        if (rc == ASK_EOF) {
            fputs("\n", stderr);
            cli_error("questionnaire stopped: the answers ended before the last question; "
                      "nothing was saved");
            status = EX_NOINPUT;
            goto done;
        }
        if (rc == ASK_FAIL) {
            status = q.fail;
            goto done;
        }
    }

    doc = document(&q, &doc_len);
    if (!doc) {
        cli_error("out of memory");
        status = EX_OSERR;
        goto done;
    }
    status = report(&q, opt, doc, doc_len);
    if (status == EX_OK && opt->save_path) {
        if (save_atomically(opt->save_path, doc, doc_len) != 0) {
            cli_error("cannot save the answers to '%s': %s", opt->save_path, strerror(errno));
            status = EX_CANTCREAT;
        } else {
            say(&q, NULL, "Your answers were saved to %s.\n", opt->save_path);
        }
    }
done:
    free(doc);
    for (i = 0; i < F_COUNT; i++)
        free(q.ans[i]);
    return status;
}
