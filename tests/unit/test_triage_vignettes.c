/*
 * test_triage_vignettes.c - the triage vignette suite (tests/triage/vignettes.json).
 *
 * Each vignette is one assessment document with the triage level and the
 * reason id that REFERENCE.md section 9 (and the engine's agreed reading of it)
 * gives; the expectations were derived by hand from the reference, never from
 * the engine's output. Every vignette is its own cmocka test:
 *
 *   - the document is parsed, assessed and triaged (mt_result_triage);
 *   - emergency, urgent and prompt vignettes must get exactly the expected
 *     level: a lower level is a missed red flag and fails;
 *   - routine and self_care ("benign") vignettes fail when the level is less
 *     urgent than expected; a more urgent level is recorded as an
 *     over-escalation and counted by the summary test (at most 10 %);
 *   - the expected reason id is listed in the JSON output's triage.reasons;
 *   - "triage" is the first key of the JSON output;
 *   - at emergency or urgent level, the text report leads with the triage
 *     action: at most a title line comes before it, and it comes before the
 *     sarcopenia results (the first "EWGSOP2").
 *
 * Summary tests follow: the suite has at least 40 vignettes covering every
 * row of section 9, every emergency and urgent vignette was caught ("red flags
 * caught: x/y"), the benign over-escalation rate ("benign over-escalation:
 * k/n = p %") is at most 10 %, and the reasons are listed most urgent first.
 *
 * The file is read relative to the repository root, where tests/run runs
 * every suite.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#define VIGNETTES_PATH              "tests/triage/vignettes.json"
#define MIN_VIGNETTES               40
#define MIN_BENIGN                  15
#define MAX_OVER_ESCALATION_PERCENT 10.0
#define MAX_REASONS                 16

/* Levels, most urgent first: the index is the rank. */
static const char *const levels[] = {"emergency", "urgent", "prompt", "routine", "self_care"};
#define N_LEVELS (sizeof(levels) / sizeof(levels[0]))
enum { RANK_EMERGENCY = 0, RANK_URGENT = 1, RANK_PROMPT = 2, RANK_ROUTINE = 3 };

/* The rows of REFERENCE.md section 9, as named in the vignettes' "row". */
static const char *const rows[] = {
    "stroke",           "breathing",    "bulbar",           "guillain_barre", "spinal_cord",
    "rhabdomyolysis",   "motor_neuron", "neuropathy",       "myopathy",       "myasthenic",
    "unexplained_loss", "worsening",    "sarcopenia_found", "disuse",
};
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static const char *const reason_ids[] = {
    "stroke_signs",     "breathing_involvement", "bulbar_involvement",   "ascending_weakness",
    "spinal_cord",      "rhabdomyolysis",        "motor_neuron_pattern", "neuropathy_pattern",
    "myopathy_pattern", "myasthenic_pattern",    "unexplained_loss",     "worsening_weakness",
    "sarcopenia_found", "disuse_clear_cause",    "no_warning_signs",
};
#define N_REASON_IDS (sizeof(reason_ids) / sizeof(reason_ids[0]))

/* One vignette, with what the engine said once its test has run. */
typedef struct vignette {
    const char *name, *row, *expect_level, *expect_reason; /* borrowed from the file's tree */
    json_t *document;
    int expected_rank; /* -1 when expect_level is not a level */
    int got_rank;      /* -1 until the engine gave a known level */
    char got_level[32];
    char reasons[256];   /* the JSON output's reason ids, "a, b, c" */
    int reasons_ordered; /* 1: reasons[0].level is triage.level and no reason outranks an earlier
                            one */
    char order_problem[200];
} vignette;

static json_t *vignettes_root;
static vignette *vignettes;
static size_t n_vignettes;
static char load_error[512];

static int rank_of(const char *level)
{
    size_t i;

    if (!level)
        return -1;
    for (i = 0; i < N_LEVELS; i++)
        if (strcmp(level, levels[i]) == 0)
            return (int)i;
    return -1;
}

static int in_list(const char *s, const char *const *list, size_t n)
{
    size_t i;

    for (i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static int is_benign(const vignette *v)
{
    return v->expected_rank >= RANK_ROUTINE;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "(null)");
}

/* ---- what the engine says about one document --------------------------------------- */

typedef struct outcome {
    char problem[400]; /* a failure before the checks could run, else "" */
    char level[32];
    char action[400];
    char view_reason[64];
    int n_reasons;
    char first_key[64];
    char json_level[32];
    size_t n_json_reasons;
    char reason_id[MAX_REASONS][48];
    char reason_level[MAX_REASONS][32];
    int text_checked;    /* the text report was searched */
    long action_pos;     /* offset of the action in the whitespace-folded text, -1 absent */
    long ewgsop2_pos;    /* offset of the first "EWGSOP2" there, -1 absent */
    int lines_before;    /* non-blank lines of the report before the action's line */
    char text_head[300]; /* the report's first lines, for messages */
} outcome;

/*
 * Fold every run of white space to one space (the report may wrap the action).
 * With `from`, (*from)[k] is the offset in `s` of the folded text's byte k.
 */
static char *fold_space(const char *s, size_t **from)
{
    size_t n = strlen(s), i, j = 0;
    char *out = malloc(n + 1);
    size_t *map = from ? malloc((n + 1) * sizeof *map) : NULL;
    int space = 0;

    if (!out || (from && !map)) {
        free(out);
        free(map);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            space = 1;
            continue;
        }
        if (space && j > 0) {
            if (map)
                map[j] = i - 1;
            out[j++] = ' ';
        }
        space = 0;
        if (map)
            map[j] = i;
        out[j++] = s[i];
    }
    out[j] = '\0';
    if (map)
        map[j] = n;
    if (from)
        *from = map;
    return out;
}

/* Non-blank lines of `text` that end before offset `at`. */
static int lines_before(const char *text, size_t at)
{
    size_t i;
    int n = 0, blank = 1;

    for (i = 0; i < at && text[i]; i++) {
        if (text[i] == '\n') {
            n += !blank;
            blank = 1;
        } else if (!isspace((unsigned char)text[i])) {
            blank = 0;
        }
    }
    return n;
}

/* Offset of needle in hay, ignoring case; -1 when absent. */
static long find_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle), i, k;

    if (n == 0)
        return -1;
    for (i = 0; hay[i]; i++) {
        for (k = 0; k < n && hay[i + k]; k++)
            if (tolower((unsigned char)hay[i + k]) != tolower((unsigned char)needle[k]))
                break;
        if (k == n)
            return (long)i;
    }
    return -1;
}

/* The first key of the JSON object in `text`, read from the bytes themselves. */
static void first_key_of(const char *text, char *out, size_t size)
{
    const char *p = text, *end;

    out[0] = '\0';
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '{')
        return;
    p++;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '"')
        return;
    p++;
    end = strchr(p, '"');
    if (!end)
        return;
    snprintf(out, size, "%.*s", (int)(end - p), p);
}

static void read_json_triage(const char *text, size_t len, outcome *o)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_t *triage, *reasons, *r;
    size_t i;

    if (!root) {
        snprintf(o->problem, sizeof o->problem, "JSON output is not JSON: line %d: %s", je.line,
                 je.text);
        return;
    }
    first_key_of(text, o->first_key, sizeof o->first_key);
    triage = json_object_get(root, "triage");
    reasons = triage ? json_object_get(triage, "reasons") : NULL;
    if (!json_is_object(triage) || !json_is_array(reasons)) {
        snprintf(o->problem, sizeof o->problem,
                 "JSON output lacks the object \"triage\" with the array \"reasons\"");
        json_decref(root);
        return;
    }
    copy_str(o->json_level, sizeof o->json_level,
             json_string_value(json_object_get(triage, "level")));
    o->n_json_reasons = json_array_size(reasons);
    for (i = 0; i < o->n_json_reasons && i < MAX_REASONS; i++) {
        r = json_array_get(reasons, i);
        copy_str(o->reason_id[i], sizeof o->reason_id[i],
                 json_string_value(json_object_get(r, "id")));
        copy_str(o->reason_level[i], sizeof o->reason_level[i],
                 json_string_value(json_object_get(r, "level")));
    }
    json_decref(root);
}

static void read_text_report(const mt_result *res, outcome *o)
{
    char *text = NULL, *folded, *action;
    size_t *from = NULL;
    const char *ew;
    size_t len = 0, i, line = 0, j = 0;

    if (mt_result_render_text(res, 0, &text, &len) != MT_OK || !text) {
        snprintf(o->problem, sizeof o->problem, "mt_result_render_text failed");
        return;
    }
    /* The first three lines, for the failure message. */
    for (i = 0; text[i] && line < 3 && j + 1 < sizeof o->text_head; i++) {
        o->text_head[j++] = text[i];
        if (text[i] == '\n')
            line++;
    }
    o->text_head[j] = '\0';
    folded = fold_space(text, &from);
    action = fold_space(o->action, NULL);
    if (folded && action) {
        o->text_checked = 1;
        o->action_pos = find_nocase(folded, action);
        ew = strstr(folded, "EWGSOP2");
        o->ewgsop2_pos = ew ? (long)(ew - folded) : -1;
        if (o->action_pos >= 0)
            o->lines_before = lines_before(text, from[o->action_pos]);
    } else {
        snprintf(o->problem, sizeof o->problem, "out of memory reading the text report");
    }
    free(from);
    free(folded);
    free(action);
    mt_free(text);
}

/* Parse, assess, triage and render one document; everything is released before returning. */
static void run_engine(const vignette *v, outcome *o)
{
    char *doc = NULL, *out = NULL;
    size_t len = 0;
    mt_input *in = NULL;
    mt_result *res = NULL;
    mt_error err;
    mt_triage_view view;
    int rc;

    memset(o, 0, sizeof *o);
    o->action_pos = o->ewgsop2_pos = -1;
    memset(&err, 0, sizeof err);
    doc = json_dumps(v->document, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!doc) {
        snprintf(o->problem, sizeof o->problem, "cannot serialise the document");
        return;
    }
    rc = mt_input_parse_json(&in, doc, strlen(doc), &err);
    if (rc != MT_OK) {
        snprintf(o->problem, sizeof o->problem, "document rejected (%d): %s", rc, err.message);
        goto done;
    }
    rc = mt_assess(&res, in, &err);
    if (rc != MT_OK) {
        snprintf(o->problem, sizeof o->problem, "mt_assess failed (%d): %s", rc, err.message);
        goto done;
    }
    memset(&view, 0, sizeof view);
    rc = mt_result_triage(res, &view);
    if (rc != MT_OK) {
        snprintf(o->problem, sizeof o->problem, "mt_result_triage failed (%d)", rc);
        goto done;
    }
    copy_str(o->level, sizeof o->level, view.level);
    copy_str(o->action, sizeof o->action, view.action);
    copy_str(o->view_reason, sizeof o->view_reason, view.reason);
    o->n_reasons = view.n_reasons;
    if (mt_result_render_json(res, &out, &len) != MT_OK || !out) {
        snprintf(o->problem, sizeof o->problem, "mt_result_render_json failed");
        goto done;
    }
    read_json_triage(out, len, o);
    if (!o->problem[0] && rank_of(o->level) >= 0 && rank_of(o->level) <= RANK_URGENT)
        read_text_report(res, o);
done:
    mt_free(out);
    mt_result_free(res);
    mt_input_free(in);
    free(doc);
}

/* Keep what the summary tests need from one outcome. */
static void record(vignette *v, const outcome *o)
{
    size_t i, n = o->n_json_reasons < MAX_REASONS ? o->n_json_reasons : MAX_REASONS;
    size_t used = 0;
    int prev = -1, r;

    v->got_rank = rank_of(o->level);
    copy_str(v->got_level, sizeof v->got_level, o->level);
    v->reasons[0] = '\0';
    for (i = 0; i < n; i++) {
        int w = snprintf(v->reasons + used, sizeof v->reasons - used, "%s%s", i ? ", " : "",
                         o->reason_id[i]);
        if (w < 0 || (size_t)w >= sizeof v->reasons - used)
            break;
        used += (size_t)w;
    }
    v->reasons_ordered = 1;
    v->order_problem[0] = '\0';
    if (n == 0) {
        v->reasons_ordered = 0;
        snprintf(v->order_problem, sizeof v->order_problem, "no reasons listed");
        return;
    }
    if (strcmp(o->reason_level[0], o->level) != 0) {
        v->reasons_ordered = 0;
        snprintf(v->order_problem, sizeof v->order_problem,
                 "first reason %s has level %s, triage.level is %s", o->reason_id[0],
                 o->reason_level[0], o->level);
        return;
    }
    if (strcmp(o->reason_id[0], o->view_reason) != 0 || (size_t)o->n_reasons != o->n_json_reasons) {
        v->reasons_ordered = 0;
        snprintf(v->order_problem, sizeof v->order_problem,
                 "mt_triage_view says reason %s and %d reasons; the JSON lists %s first and %zu",
                 o->view_reason, o->n_reasons, o->reason_id[0], o->n_json_reasons);
        return;
    }
    for (i = 0; i < n; i++) {
        r = rank_of(o->reason_level[i]);
        if (r < 0 || r < prev) {
            v->reasons_ordered = 0;
            snprintf(v->order_problem, sizeof v->order_problem,
                     "reason %zu (%s) has level %s after a less urgent one", i, o->reason_id[i],
                     o->reason_level[i]);
            return;
        }
        prev = r;
    }
}

/* ---- one test per vignette ------------------------------------------------------------ */

static void vignette_test(void **state)
{
    vignette *v = *state;
    outcome o;
    size_t i;
    int got, found = 0;

    if (v->expected_rank < 0)
        fail_msg("%s: expect_level \"%s\" is not a triage level", v->name, v->expect_level);
    run_engine(v, &o);
    if (rank_of(o.level) >= 0)
        record(v, &o);
    if (o.problem[0])
        fail_msg("%s: %s", v->name, o.problem);
    got = rank_of(o.level);
    if (got < 0)
        fail_msg("%s: mt_result_triage gave level \"%s\", not one of the five levels", v->name,
                 o.level);

    /* (c) the JSON output leads with the triage */
    if (strcmp(o.first_key, "triage") != 0)
        fail_msg("%s: the JSON output's first key is \"%s\", expected \"triage\"", v->name,
                 o.first_key);
    if (strcmp(o.json_level, o.level) != 0)
        fail_msg("%s: JSON triage.level is \"%s\" but mt_result_triage says \"%s\"", v->name,
                 o.json_level, o.level);

    /* (a) the level */
    if (got > v->expected_rank)
        fail_msg("%s: %s%s expected, the engine gave %s (reasons: %s) [%s]", v->name,
                 v->expected_rank <= RANK_URGENT ? "MISSED RED FLAG: " : "", v->expect_level,
                 o.level, v->reasons, v->row);
    if (got < v->expected_rank) {
        if (!is_benign(v))
            fail_msg("%s: %s expected, the engine escalated to %s (reasons: %s) [%s]", v->name,
                     v->expect_level, o.level, v->reasons, v->row);
        print_message("note: %s over-escalated: %s expected, the engine gave %s (reasons: %s)\n",
                      v->name, v->expect_level, o.level, v->reasons);
    }

    /* (b) the expected reason is listed; "no_warning_signs" cannot be once something matched */
    for (i = 0; i < o.n_json_reasons && i < MAX_REASONS; i++)
        if (strcmp(o.reason_id[i], v->expect_reason) == 0)
            found = 1;
    if (!found && !(got < v->expected_rank && strcmp(v->expect_reason, "no_warning_signs") == 0))
        fail_msg("%s: reason %s is not among the JSON output's triage.reasons (%s)", v->name,
                 v->expect_reason, v->reasons);

    /* (d) emergency and urgent advice comes before the sarcopenia results */
    if (got <= RANK_URGENT) {
        if (!o.action[0] || strcmp(o.action, "(null)") == 0)
            fail_msg("%s: level %s but mt_triage_view.action is empty", v->name, o.level);
        if (!o.text_checked || o.action_pos < 0)
            fail_msg("%s: the text report does not show the triage action \"%s\"; it begins:\n%s",
                     v->name, o.action, o.text_head);
        if (o.ewgsop2_pos >= 0 && o.action_pos > o.ewgsop2_pos)
            fail_msg("%s: the text report shows the sarcopenia results (EWGSOP2) before the %s "
                     "advice \"%s\"",
                     v->name, o.level, o.action);
        if (o.lines_before > 1)
            fail_msg("%s: the text report has %d lines before the %s advice \"%s\"; at most a "
                     "title line may come first. It begins:\n%s",
                     v->name, o.lines_before, o.level, o.action, o.text_head);
    }
}

/* ---- summary tests ------------------------------------------------------------------- */

static void suite_covers_every_row(void **state)
{
    size_t i, j, r, n_benign = 0, count[N_ROWS];
    int bad = 0;

    (void)state;
    memset(count, 0, sizeof count);
    print_message("vignettes: %zu\n", n_vignettes);
    for (i = 0; i < n_vignettes; i++) {
        const vignette *v = &vignettes[i];

        if (!in_list(v->row, rows, N_ROWS) && strcmp(v->row, "benign") != 0) {
            print_error("%s: row \"%s\" is not a row of REFERENCE section 9 nor \"benign\"\n",
                        v->name, v->row);
            bad = 1;
        }
        if (v->expected_rank < 0) {
            print_error("%s: expect_level \"%s\" is not a level\n", v->name, v->expect_level);
            bad = 1;
        }
        if (!in_list(v->expect_reason, reason_ids, N_REASON_IDS)) {
            print_error("%s: expect_reason \"%s\" is not a reason id\n", v->name, v->expect_reason);
            bad = 1;
        }
        for (j = 0; j < i; j++)
            if (strcmp(vignettes[j].name, v->name) == 0) {
                print_error("%s: name used twice\n", v->name);
                bad = 1;
            }
        for (r = 0; r < N_ROWS; r++)
            if (strcmp(v->row, rows[r]) == 0)
                count[r]++;
        if (is_benign(v))
            n_benign++;
    }
    for (r = 0; r < N_ROWS; r++) {
        print_message("  %-18s %zu\n", rows[r], count[r]);
        if (count[r] == 0) {
            print_error("no vignette for the section 9 row %s\n", rows[r]);
            bad = 1;
        }
    }
    print_message("  benign (routine or self_care expected): %zu\n", n_benign);
    if (n_vignettes < MIN_VIGNETTES)
        fail_msg("%zu vignettes; at least %d are required", n_vignettes, MIN_VIGNETTES);
    if (n_benign < MIN_BENIGN)
        fail_msg("%zu benign vignettes; at least %d are required", n_benign, MIN_BENIGN);
    if (bad)
        fail_msg("the vignette file has the problems listed above");
}

static void red_flags_all_caught(void **state)
{
    size_t i, x = 0, y = 0;

    (void)state;
    for (i = 0; i < n_vignettes; i++) {
        const vignette *v = &vignettes[i];

        if (v->expected_rank < 0 || v->expected_rank > RANK_URGENT)
            continue;
        y++;
        if (v->got_rank >= 0 && v->got_rank <= v->expected_rank)
            x++;
        else
            print_message("  missed: %s: %s expected, got %s (reasons: %s)\n", v->name,
                          v->expect_level, v->got_rank >= 0 ? v->got_level : "no level",
                          v->reasons);
    }
    printf("red flags caught: %zu/%zu\n", x, y);
    fflush(stdout);
    assert_true(y > 0);
    if (x != y)
        fail_msg("%zu of %zu emergency and urgent vignettes missed", y - x, y);
}

static void benign_over_escalation_at_most_10_percent(void **state)
{
    size_t i, k = 0, n = 0, not_run = 0;
    double p;

    (void)state;
    for (i = 0; i < n_vignettes; i++) {
        const vignette *v = &vignettes[i];

        if (!is_benign(v))
            continue;
        n++;
        if (v->got_rank < 0) {
            not_run++;
            print_message("  no level: %s\n", v->name);
        } else if (v->got_rank < v->expected_rank) {
            k++;
            print_message("  over-escalated: %s: %s expected, got %s (reasons: %s)\n", v->name,
                          v->expect_level, v->got_level, v->reasons);
        }
    }
    assert_true(n > 0);
    p = 100.0 * (double)k / (double)n;
    printf("benign over-escalation: %zu/%zu = %.1f %%\n", k, n, p);
    fflush(stdout);
    if (not_run)
        fail_msg("%zu benign vignettes got no level", not_run);
    if (p > MAX_OVER_ESCALATION_PERCENT)
        fail_msg("benign over-escalation %.1f %% is above %.0f %%", p, MAX_OVER_ESCALATION_PERCENT);
}

static void reasons_listed_most_urgent_first(void **state)
{
    size_t i, bad = 0;

    (void)state;
    for (i = 0; i < n_vignettes; i++) {
        const vignette *v = &vignettes[i];

        if (v->got_rank < 0)
            continue;
        if (!v->reasons_ordered) {
            print_error("%s: %s (reasons: %s)\n", v->name, v->order_problem, v->reasons);
            bad++;
        }
    }
    if (bad)
        fail_msg("%zu vignettes list their reasons out of order or inconsistently", bad);
}

/* ---- loading ---------------------------------------------------------------------------- */

static const char *member_string(json_t *obj, const char *key, size_t i, int *ok)
{
    const char *s = json_string_value(json_object_get(obj, key));

    if (!s || !*s) {
        snprintf(load_error, sizeof load_error, "%s: vignette %zu: \"%s\" is not a string",
                 VIGNETTES_PATH, i, key);
        *ok = 0;
        return "";
    }
    return s;
}

static int load_vignettes(void)
{
    json_error_t je;
    json_t *item;
    size_t i;
    int ok = 1;

    vignettes_root = json_load_file(VIGNETTES_PATH, JSON_REJECT_DUPLICATES, &je);
    if (!vignettes_root) {
        snprintf(load_error, sizeof load_error,
                 "%s: line %d: %s (run the tests from the repository root, as tests/run does)",
                 VIGNETTES_PATH, je.line, je.text);
        return 0;
    }
    if (!json_is_array(vignettes_root) || json_array_size(vignettes_root) == 0) {
        snprintf(load_error, sizeof load_error, "%s: not a non-empty array", VIGNETTES_PATH);
        return 0;
    }
    n_vignettes = json_array_size(vignettes_root);
    vignettes = calloc(n_vignettes, sizeof *vignettes);
    if (!vignettes) {
        snprintf(load_error, sizeof load_error, "out of memory");
        return 0;
    }
    json_array_foreach(vignettes_root, i, item)
    {
        vignette *v = &vignettes[i];

        if (!json_is_object(item)) {
            snprintf(load_error, sizeof load_error, "%s: vignette %zu is not an object",
                     VIGNETTES_PATH, i);
            return 0;
        }
        v->name = member_string(item, "name", i, &ok);
        v->row = member_string(item, "row", i, &ok);
        v->expect_level = member_string(item, "expect_level", i, &ok);
        v->expect_reason = member_string(item, "expect_reason", i, &ok);
        v->document = json_object_get(item, "document");
        if (!json_is_object(v->document)) {
            snprintf(load_error, sizeof load_error,
                     "%s: vignette %zu: \"document\" is not an object", VIGNETTES_PATH, i);
            return 0;
        }
        if (!ok)
            return 0;
        v->expected_rank = rank_of(v->expect_level);
        v->got_rank = -1;
    }
    return 1;
}

static void vignettes_load(void **state)
{
    (void)state;
    fail_msg("%s", load_error);
}

int main(void)
{
    struct CMUnitTest *tests;
    size_t i, n;
    int rc;

    if (!load_vignettes()) {
        const struct CMUnitTest failed[] = {cmocka_unit_test(vignettes_load)};

        rc = cmocka_run_group_tests_name("triage_vignettes", failed, NULL, NULL);
        free(vignettes);
        json_decref(vignettes_root);
        return rc;
    }
    n = n_vignettes + 4;
    tests = calloc(n, sizeof *tests);
    if (!tests)
        return 1;
    for (i = 0; i < n_vignettes; i++) {
        tests[i].name = vignettes[i].name;
        tests[i].test_func = vignette_test;
        tests[i].initial_state = &vignettes[i];
    }
    tests[i].name = "suite_covers_every_row";
    tests[i++].test_func = suite_covers_every_row;
    tests[i].name = "red_flags_all_caught";
    tests[i++].test_func = red_flags_all_caught;
    tests[i].name = "benign_over_escalation_at_most_10_percent";
    tests[i++].test_func = benign_over_escalation_at_most_10_percent;
    tests[i].name = "reasons_listed_most_urgent_first";
    tests[i++].test_func = reasons_listed_most_urgent_first;
    rc = _cmocka_run_group_tests("triage_vignettes", tests, n, NULL, NULL);
    free(tests);
    free(vignettes);
    json_decref(vignettes_root);
    return rc;
}
