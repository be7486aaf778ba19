/*
 * summary.c - percents and intervals for every group and statistic
 * (summary.h), with the estimators of stats.c (docs/statistics.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "screen/stats.h"
#include "screen/summary.h"
#include "text.h"

typedef struct est {
    long long evaluated, met;
    sv_est plain, weighted;
    /* with weights: Kish's effective n of the rows evaluated; under a design
     * also the weighted percent's standard error (Taylor) and the degrees of
     * freedom of its interval (the domain's, sv_taylor_df); NAN otherwise */
    double n_eff, se, df;
} est;

#define SUMMARY_DISCLAIMER "myotrack informs research and does not diagnose anyone."

/* Percents are shown to 4 decimals: the last digits of a weighted sum may
 * differ with the order the threads added it in, the rounded figure not. */
static double r4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

/* A domain's figures: its rows (evaluated: their count, sums of w and of
 * w * w) and those of them that met (met, w_met); under a design each PSU's
 * sums of w over the two are in wx and wy. */
typedef struct domain {
    long long evaluated, met;
    double w_eval, w_met, w2_eval;
} domain;

static void estimate_domain(const summary_in *s, const domain *x, est *e, const double *wx,
                            const double *wy, const int *stratum)
{
    e->evaluated = x->evaluated;
    e->met = x->met;
    e->plain = sv_wilson((double)x->met, (double)x->evaluated);
    e->weighted.percent = e->weighted.lo = e->weighted.hi = NAN;
    e->n_eff = e->se = e->df = NAN;
    if (!s->spec->weighted || x->evaluated == 0)
        return;
    if (x->w2_eval > 0)
        e->n_eff = x->w_eval * x->w_eval / x->w2_eval;
    if (s->spec->design) {
        sv_design d = {s->psus->n, stratum, (int)s->n_strata};
        long df;
        /* at 0 % or 100 % the logit has no interval: a Wilson one with t, at
         * the group's Kish effective n (docs/statistics.md; none: NAN bounds) */
        e->weighted = sv_taylor_n(&d, wx, wy, e->n_eff, &e->se);
        if (isfinite(e->weighted.percent) && (df = sv_taylor_df(&d, wx, wy)) >= 0)
            e->df = (double)df;
        else
            e->se = NAN;
    } else {
        e->weighted = sv_kish(x->w_met, x->w_eval, x->w2_eval);
    }
}

/* The statistic whose evaluated side is `ev` and met side `stat` (the same
 * for a criterion; a definition's rows and the category for a category). */
static void estimate(const summary_in *s, const tgroup *g, size_t ev, size_t stat, est *e,
                     double *wx, double *wy, const int *stratum)
{
    const tcell *c = &g->cells[ev], *m = &g->cells[stat];
    domain x = {c->evaluated, m->met, c->w_eval, m->w_met, c->w2_eval};
    size_t i;

    for (i = 0; s->spec->design && i < s->psus->n; i++) {
        int in = i < g->psu_cap;
        wx[i] = in ? tally_psu(g, s->spec, i, ev, 0) : 0;
        wy[i] = in ? tally_psu(g, s->spec, i, stat, 1) : 0;
        x.w_eval += wx[i]; /* under a design, the PSUs' sum (tally.c keeps no other) */
    }
    estimate_domain(s, &x, e, wx, wy, stratum);
}

/* The index of definition d's insufficient_data among its categories, or
 * -1 when it has none. */
static int insufficient_index(const summary_in *s, size_t d)
{
    size_t k;

    for (k = 0; k < s->view[d].n_categories; k++)
        if (strcmp(s->view[d].categories[k], "insufficient_data") == 0)
            return (int)k;
    return -1;
}

/* Category k of definition d among the group's classified rows (those
 * given any of its categories but insufficient_data, ins) as the evaluated
 * side: the prevalence a paper reports of the people the definition could
 * classify. The sums are the categories' own (a category's w_met, w2_eval
 * and PSU sums: tally.c) added up, never a difference of two sums, so a
 * domain without rows or weight is exactly 0; under a design a category's
 * w_met is its PSUs' sum. */
static void estimate_classified(const summary_in *s, const tgroup *g, size_t d, size_t k,
                                size_t ins, est *e, double *wx, double *wy, const int *stratum)
{
    const tally_spec *sp = s->spec;
    size_t b = sp->base[d] + 1, j, i;
    domain x = {0, g->cells[b + k].met, 0, g->cells[b + k].w_met, 0};

    for (j = 0; j < sp->n_cat[d]; j++) {
        if (j == ins)
            continue;
        x.evaluated += g->cells[b + j].met;
        x.w_eval += g->cells[b + j].w_met;
        x.w2_eval += g->cells[b + j].w2_eval;
    }
    if (sp->design) {
        x.w_eval = x.w_met = 0;
        for (i = 0; i < s->psus->n; i++) {
            int in = i < g->psu_cap;
            wx[i] = 0;
            for (j = 0; in && j < sp->n_cat[d]; j++)
                if (j != ins)
                    wx[i] += tally_psu(g, sp, i, b + j, 1);
            wy[i] = in ? tally_psu(g, sp, i, b + k, 1) : 0;
            x.w_eval += wx[i];
            x.w_met += wy[i];
        }
    }
    estimate_domain(s, &x, e, wx, wy, stratum);
}

/* The design's degrees of freedom as the intervals of the whole file take
 * them (R's degf(): the PSUs holding some weight, less their strata; 0 when
 * none does), into *df, and how many strata have a single PSU in the design
 * (whatever its weights: a certainty unit, which the variance takes as adding
 * nothing, sv_taylor) into *single. wx has room for every PSU. */
static void design_counts(const summary_in *s, double *wx, long *df, long *single)
{
    const tgroup *all = s->t->group[0]; /* "all" (NULL: no row counted) */
    sv_design d = {s->psus->n, s->psus->aux, (int)s->n_strata};
    size_t i, j;

    for (i = 0; i < s->psus->n; i++)
        wx[i] = all && i < all->psu_cap ? tally_psu(all, s->spec, i, s->spec->base[0], 0) : 0;
    *df = all && s->spec->n_defs ? sv_taylor_df(&d, wx, wx) : 0;
    if (*df < 0)
        *df = 0;
    *single = 0;
    for (j = 0; j < s->n_strata; j++) { /* (at most 4096 PSUs) */
        size_t k = 0;
        for (i = 0; i < s->psus->n && k < 2; i++)
            k += s->psus->aux[i] == (int)j;
        *single += k == 1;
    }
}

int summary_design_note(const summary_in *s, char *buf, size_t n)
{
    double *wx;
    long df, single;

    buf[0] = '\0';
    if (!s->spec->design || !s->t->group[0] || !(wx = calloc(s->psus->n + 1, sizeof(double))))
        return 0;
    design_counts(s, wx, &df, &single);
    free(wx);
    if (df < 1)
        snprintf(buf, n, "the design has %ld degrees of freedom (PSUs holding some weight, less "
                         "their strata): no weighted interval%s", df,
                 single == (long)s->n_strata ? " (is every stratum one PSU? check that --strata "
                                               "and --psu name the design's columns)"
                                             : "");
    else if (single > 0)
        snprintf(buf, n, "%ld of %zu strata hold a single PSU: counted as certainty units, they "
                         "add nothing to the variance (docs/statistics.md)", single, s->n_strata);
    return buf[0] != '\0';
}

/* ---- categories the data cannot reach -------------------------------------
 *
 * A category no row of a group could have been given, whatever its values,
 * because a criterion it needs was evaluated for nobody in the group (EWGSOP2
 * "confirmed" without muscle mass) or because of the setting (AWGS 2019's
 * community pathway ends at "possible"), has 0 rows; that 0 is not a finding,
 * so its percents are null and it says why (docs/screen.md). Which ones:
 * mt_definition_reachable, with the group's never-evaluated criteria, in the
 * settings its rows can be in (group_settings). */

#define REACH_SLOTS 4096 /* a power of two */

/* mt_definition_reachable's answers, kept (open addressing on the question):
 * a summary asks the same ones for every group, twice (the JSON and the
 * table), and a reason asks a few more. Past half full, answers are computed
 * each time. The main thread's alone. */
static struct {
    unsigned long long key; /* 0: empty */
    unsigned reach;
} reach_cache[REACH_SLOTS];
static size_t reach_cached;

static unsigned reach_of(size_t def, unsigned never, unsigned settings)
{
    unsigned long long key = 1ull << 63 | (unsigned long long)def << 40 |
                             (unsigned long long)settings << 32 | never;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 52) & (REACH_SLOTS - 1);
    unsigned r;

    for (; reach_cache[i].key; i = (i + 1) & (REACH_SLOTS - 1))
        if (reach_cache[i].key == key)
            return reach_cache[i].reach;
    if (mt_definition_reachable(def, never, settings, &r) != MT_OK)
        r = ~0u; /* nothing claimed */
    if (reach_cached < REACH_SLOTS / 2) {
        reach_cache[i].key = key;
        reach_cache[i].reach = r;
        reach_cached++;
    }
    return r;
}

/* The criteria of chosen definition d that no row of group gr had evaluated. */
static unsigned never_evaluated(const summary_in *s, const tgroup *gr, size_t d)
{
    unsigned never = 0;
    size_t k;

    for (k = 0; k < s->view[d].n_criteria && k < 32; k++)
        never |= (unsigned)(gr->cells[s->spec->crit[d] + k].evaluated == 0) << k;
    return never;
}

/* The settings group gr's rows can be in: those its rows were marked with
 * (screen.c, where a column gives the setting and it matters), else the
 * run's. */
static unsigned group_settings(const summary_in *s, const tgroup *gr)
{
    return gr && gr->settings ? gr->settings : s->settings;
}

/* The categories of chosen definition d that group gr's rows can reach (all
 * for a group of nobody: its figures are null already). */
static unsigned group_reach(const summary_in *s, const tgroup *gr, size_t d)
{
    if (!gr || gr->cells[s->spec->base[0]].evaluated == 0)
        return ~0u;
    return reach_of((size_t)s->spec->def[d], never_evaluated(s, gr, d), group_settings(s, gr));
}

/* Is category k within `reach` (group_reach's)? One past the 32 the bits
 * hold is taken as reached. */
static int reached(unsigned reach, size_t k)
{
    return k >= 32 || (reach >> k & 1u);
}

/* A list of criteria (bits of some) into buf: "a", "a or b", "a, b or c"
 * (conj "or"), or with "and". */
static void criteria_list(const mt_definition_view *v, unsigned some, const char *conj, char *buf,
                          size_t n)
{
    size_t c, len = 0;
    int left = __builtin_popcount(some);

    buf[0] = '\0';
    for (c = 0; c < v->n_criteria && c < 32 && len < n; c++) {
        if (!(some >> c & 1u))
            continue;
        left--;
        len += (size_t)snprintf(buf + len, n - len, "%s%s%s", v->criteria[c],
                                left > 1 ? ", " : left == 1 ? " " : "", left == 1 ? conj : "");
        if (left == 1 && len < n)
            len += (size_t)snprintf(buf + len, n - len, " ");
    }
}

/* The criteria of definition def a cohort row can evaluate at all
 * (mt_definition_row_informed), asked once a run per definition: the others
 * read an assessment document's history alone. */
static unsigned row_informed(size_t def)
{
    static unsigned known, informed[MT_MAX_DEFINITIONS];

    if (def >= MT_MAX_DEFINITIONS)
        return ~0u;
    if (!(known >> def & 1u)) {
        if (mt_definition_row_informed(def, &informed[def]) != MT_OK)
            informed[def] = ~0u; /* nothing claimed */
        known |= 1u << def;
    }
    return informed[def];
}

/* After a reason naming the criteria `named` of definition def (view v),
 * appended to buf at len: the ones no cohort column can give (they read an
 * assessment document's history alone, row_informed), so that a reader
 * does not look for a column that would do ("and no cohort column can give
 * them" when it is all of them). */
static void history_only(const mt_definition_view *v, size_t def, unsigned named, char *buf,
                         size_t len, size_t n)
{
    unsigned none = named & ~row_informed(def);
    char list[400];
    int one = !(none & (none - 1));

    if (!none || len >= n)
        return;
    if (none == named) {
        snprintf(buf + len, n - len,
                 ", and no cohort column can give %s (%s an assessment document's history)",
                 one ? "it" : "them", one ? "it reads" : "they read");
        return;
    }
    criteria_list(v, none, "and", list, sizeof(list));
    snprintf(buf + len, n - len,
             "; no cohort column can give %s (%s an assessment document's history)", list,
             one ? "it reads" : "they read");
}

/* The ways criterion c of definition def gets a verdict, as sets of row
 * fields (mt_definition_criterion_fields), asked once a run per criterion. */
#define WAYS_MAX 16
static size_t field_ways(size_t def, size_t c, const unsigned **sets)
{
    static unsigned known[MT_MAX_DEFINITIONS], ways[MT_MAX_DEFINITIONS][32][WAYS_MAX];
    static size_t n_ways[MT_MAX_DEFINITIONS][32];

    *sets = NULL;
    if (def >= MT_MAX_DEFINITIONS || c >= 32)
        return 0;
    if (!(known[def] >> c & 1u)) {
        if (mt_definition_criterion_fields(def, (int)c, ways[def][c], WAYS_MAX,
                                           &n_ways[def][c]) != MT_OK)
            n_ways[def][c] = 0; /* nothing said */
        known[def] |= 1u << c;
    }
    *sets = ways[def][c];
    return n_ways[def][c];
}

/* After a reason naming groups of criteria of definition def, each group's
 * criteria any one of which would do and the groups needed together
 * (group[0, ng)), appended to buf at len: the columns the file lacks for
 * them, where that is why ("; to evaluate them the file needs a column for
 * asm and asm_method, or for bia_resistance and bia_reactance, or for
 * bia_resistance and bia_equation"). Each criterion's ways to a verdict are
 * sets of fields (field_ways); a way the file has every column of (`missing`:
 * the fields without one) leaves its group out, since its cells, not its
 * columns, were empty; the fields each other way lacks are said, the
 * smallest of them. A criterion with no way (it reads an assessment
 * document's history: history_only says so) adds none; nothing is said when
 * no group is left, or when a group's criteria have no way at all. */
static void columns_needed(size_t def, const unsigned *group, int ng, unsigned missing, char *buf,
                           size_t len, size_t n)
{
    enum { LACKS = 64 };
    unsigned lack[MT_MAX_CRITERIA][LACKS];
    size_t nl[MT_MAX_CRITERIA];
    int j, kept = 0, one = 1, groups_said = 0;

    if (!missing || len >= n || ng > MT_MAX_CRITERIA)
        return;
    for (j = 0; j < ng; j++) {
        unsigned t;
        int complete = 0;
        nl[j] = 0;
        for (t = group[j]; t; t &= t - 1) {
            const unsigned *sets;
            size_t c = (size_t)__builtin_ctz(t), n_sets = field_ways(def, c, &sets), w;
            for (w = 0; w < n_sets; w++) { /* (none: a history criterion, history_only's) */
                complete |= !(sets[w] & missing);
                if (nl[j] < LACKS)
                    lack[j][nl[j]++] = sets[w] & missing;
            }
        }
        if (!nl[j])
            return; /* no column would give this group */
        if (complete)
            nl[j] = 0; /* its columns are there */
        else
            kept++;
        if (group[j] & (group[j] - 1) || j)
            one = 0;
    }
    if (!kept)
        return;
    len += (size_t)snprintf(buf + len, n - len, "; to evaluate %s the file needs ",
                            one ? "it" : "them");
    for (j = 0; j < ng && len < n; j++) {
        size_t w, o, said = 0;
        if (!nl[j])
            continue;
        if (groups_said++)
            len += (size_t)snprintf(buf + len, n - len, ", and ");
        for (w = 0; w < nl[j] && len < n; w++) {
            int f, left = __builtin_popcount(lack[j][w]);
            /* the least lacks only: none other within it (of two the same, the first) */
            for (o = 0; o < nl[j]; o++)
                if (o != w && (lack[j][o] & lack[j][w]) == lack[j][o] &&
                    (lack[j][o] != lack[j][w] || o < w))
                    break;
            if (o < nl[j])
                continue;
            len += (size_t)snprintf(buf + len, n - len, "%s",
                                    said++ ? ", or for " : "a column for ");
            for (f = 0; f < MT_FIELD_COUNT && len < n; f++)
                if (lack[j][w] >> f & 1u) {
                    left--;
                    len += (size_t)snprintf(buf + len, n - len, "%s%s", mt_field_name(f),
                                            left > 1 ? ", " : left == 1 ? " and " : "");
                }
        }
    }
}

/* Which of the never-evaluated criteria category k of definition def
 * (view v) needs, in the settings given, into buf: the ones any one of which
 * would reach it ("no row has low_asm or low_asmi evaluated"); else a
 * smallest set needed together (the first of the fewest: the whole set
 * reaches it, as the caller checked), each with the others that would stand
 * in for it, when no two of those lists share a criterion ("needs (low_asm
 * or low_asmi) and (slow_gait, low_sppb, slow_tug or slow_400m) evaluated: no
 * row has them"); else the set alone (Evans 2008's "three of five" makes
 * lists that overlap). */
static void criteria_why(const mt_definition_view *v, size_t def, unsigned never,
                         unsigned settings, size_t k, unsigned missing, char *buf, size_t n)
{
    unsigned some = 0, need = never, t, sub, alts[32], seen = 0, overlap = 0;
    int m, size = __builtin_popcount(never), j = 0;
    size_t c, len = 0;
    char list[400];

    for (c = 0; c < v->n_criteria && c < 32; c++)
        if ((never >> c & 1u) && (reach_of(def, never & ~(1u << c), settings) >> k & 1u))
            some |= 1u << c;
    if (some) { /* any one of them would do */
        criteria_list(v, some, "or", list, sizeof(list));
        len = (size_t)snprintf(buf, n, "no row has %s evaluated", list);
        history_only(v, def, some, buf, len, n);
        columns_needed(def, &some, 1, missing, buf, strlen(buf), n);
        return;
    }
    for (m = 2; m < size && need == never; m++)
        for (sub = never; sub; sub = (sub - 1) & never)
            if (__builtin_popcount(sub) == m && (reach_of(def, never & ~sub, settings) >> k & 1u)) {
                need = sub;
                break;
            }
    for (t = need; t; t &= t - 1, j++) {
        size_t at = (size_t)__builtin_ctz(t), o;
        alts[j] = 1u << at;
        for (o = 0; o < v->n_criteria && o < 32; o++)
            if ((never >> o & 1u) && !(need >> o & 1u) &&
                (reach_of(def, never & ~((need & ~(1u << at)) | 1u << o), settings) >> k & 1u))
                alts[j] |= 1u << o;
        overlap |= seen & alts[j];
        seen |= alts[j];
    }
    len += (size_t)snprintf(buf, n, "needs ");
    if (overlap) {
        criteria_list(v, need, "and", list, sizeof(list));
        len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s (or others in their place)",
                                list);
    } else {
        for (m = 0; m < j && len < n; m++) {
            criteria_list(v, alts[m], "or", list, sizeof(list));
            len += (size_t)snprintf(buf + len, n - len, "%s%s%s%s", m ? " and " : "",
                                    alts[m] & (alts[m] - 1) ? "(" : "", list,
                                    alts[m] & (alts[m] - 1) ? ")" : "");
        }
    }
    if (len < n)
        len += (size_t)snprintf(buf + len, n - len, " evaluated: no row has them");
    history_only(v, def, overlap ? need : seen, buf, len, n);
    if (!overlap)
        columns_needed(def, alts, j, missing, buf, strlen(buf), n);
}

/* Why category k of chosen definition d is out of group gr's reach, into buf:
 * the setting, when the group's rows are in one and the other's pathway
 * would reach it with their criteria, or every criterion would not in theirs
 * but would in the other's (and then what the other pathway would need);
 * no verdict, when none gives it; else the criteria (criteria_why). No
 * pronoun for the category: a line may give the reason of several. */
static void reach_why(const summary_in *s, const tgroup *gr, size_t d, size_t k, char *buf,
                      size_t n)
{
    const mt_definition_view *v = &s->view[d];
    size_t def = (size_t)s->spec->def[d], len;
    unsigned never = never_evaluated(s, gr, d), gs = group_settings(s, gr),
             both = MT_REACH_COMMUNITY | MT_REACH_HOSPITAL;

    if (gs != both && ((reach_of(def, never, both) >> k & 1u) ||
                       (!(reach_of(def, 0, gs) >> k & 1u) && (reach_of(def, 0, both) >> k & 1u)))) {
        int community = gs == MT_REACH_COMMUNITY;
        len = (size_t)snprintf(buf, n, "not given by the %s setting's pathway, %s",
                               community ? "community" : "hospital",
                               s->setting_from == 0
                                   ? "which every row is taken in (no setting column)"
                               : s->setting_from == 1 ? "the setting given for every row"
                                                      : "the setting of every row here");
        if (len < n && !(reach_of(def, never, both & ~gs) >> k & 1u)) {
            len += (size_t)snprintf(buf + len, n - len, "; the %s pathway too: ",
                                    community ? "hospital" : "community");
            if (len < n)
                criteria_why(v, def, never, both & ~gs, k, s->no_source, buf + len, n - len);
        }
        return;
    }
    if (!(reach_of(def, 0, both) >> k & 1u)) {
        snprintf(buf, n, "not given by myotrack from a cohort's measurements");
        return;
    }
    criteria_why(v, def, never, gs, k, s->no_source, buf, n);
}

/* Room for the longest reason: AWGS 2019's severe, the other pathway's needs
 * and the columns for them, some 470 bytes, Evans 2008's some 250 */
#define REASON_MAX 800

/* The categories of chosen definition d out of group gr's reach, one line
 * per reason ("confirmed, severe: no row has low_asm or low_asmi evaluated"),
 * each after `lead` and ending '\n', appended to buf at *len (n bytes).
 * How many lines. */
static int reach_lines(const summary_in *s, const tgroup *gr, size_t d, const char *lead,
                       char *buf, size_t n, size_t *len)
{
    const mt_definition_view *v = &s->view[d];
    unsigned reach = group_reach(s, gr, d), done = 0;
    char why[REASON_MAX], other[REASON_MAX];
    size_t k, j;
    int lines = 0;

    for (k = 0; k < v->n_categories && k < 32; k++) {
        if (reached(reach, k) || (done >> k & 1u))
            continue;
        reach_why(s, gr, d, k, why, sizeof(why));
        if (*len < n)
            *len += (size_t)snprintf(buf + *len, n - *len, "%s%s", lead, v->categories[k]);
        for (j = k + 1; j < v->n_categories && j < 32; j++) {
            if (reached(reach, j) || (done >> j & 1u))
                continue;
            reach_why(s, gr, d, j, other, sizeof(other));
            if (strcmp(why, other) != 0)
                continue;
            done |= 1u << j;
            if (*len < n)
                *len += (size_t)snprintf(buf + *len, n - *len, ", %s", v->categories[j]);
        }
        if (*len < n)
            *len += (size_t)snprintf(buf + *len, n - *len, ": %s\n", why);
        lines++;
    }
    return lines;
}

int summary_reach_notes(const summary_in *s, char *buf, size_t n)
{
    const tgroup *all = s->t->group[0];
    size_t d, len = 0;
    int lines = 0;

    if (!n)
        return 0;
    buf[0] = '\0';
    for (d = 0; all && d < s->spec->n_defs; d++) {
        char lead[80];
        snprintf(lead, sizeof(lead), "%s not assessable: ", s->view[d].name);
        lines += reach_lines(s, all, d, lead, buf, n, &len);
    }
    if (len >= n) { /* cut: not a line half said */
        buf[0] = '\0';
        lines = 0;
    }
    return lines;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(r4(x)) : json_null();
}

static json_t *pair(double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi))
        return json_null();
    return json_pack("[oo]", num(lo), num(hi));
}

/* With weights, what a reader needs to judge a weighted figure's
 * reliability (as NCHS's presentation standards do): n_eff, and under a
 * design its standard error and degrees of freedom; null where not defined. */
static void reliability_json(const summary_in *s, json_t *S, const est *e)
{
    if (!s->spec->weighted)
        return;
    json_object_set_new(S, "n_eff", num(e->n_eff));
    if (!s->spec->design)
        return;
    json_object_set_new(S, "weighted_se", num(e->se));
    json_object_set_new(S, "weighted_df",
                        isfinite(e->df) ? json_integer((json_int_t)e->df) : json_null());
}

/* Counts without figures: a category the group's data cannot reach (met
 * 0): no percent nor interval. */
static json_t *no_figures_json(const summary_in *s, const est *e)
{
    json_t *S = json_pack("{sIsIsnsnsnsn}", "evaluated", (json_int_t)e->evaluated, "met",
                          (json_int_t)e->met, "percent", "ci95", "weighted_percent",
                          "weighted_ci95");
    est none = *e;

    none.se = none.df = NAN; /* no estimate: no standard error (n_eff is the rows') */
    reliability_json(s, S, &none);
    return S;
}

/* The same, and why. */
static json_t *unreachable_json(const summary_in *s, const est *e, const char *why)
{
    json_t *S = no_figures_json(s, e);

    json_object_set_new(S, "not_assessable", json_string(why));
    return S;
}

static json_t *stat_json(const summary_in *s, const est *e)
{
    json_t *S = json_pack("{sIsIsosososo}", "evaluated", (json_int_t)e->evaluated, "met",
                          (json_int_t)e->met, "percent", num(e->plain.percent), "ci95",
                          pair(e->plain.lo, e->plain.hi), "weighted_percent",
                          num(e->weighted.percent), "weighted_ci95",
                          pair(e->weighted.lo, e->weighted.hi));
    reliability_json(s, S, e);
    return S;
}

/* Group order: "all", then one dimension at a time, then the crossed groups;
 * values in numeric order when they are numbers or age bands ("<60", "60-69",
 * "80+"), else in byte order. */
static double value_rank(const char *v, int *numeric)
{
    char *e;
    double x;

    *numeric = 1;
    if (v[0] == '<')
        return strtod(v + 1, NULL) - 0.5;
    x = strtod(v, &e);
    if (e != v)
        return x;
    *numeric = 0;
    return 0;
}

static int cmp_groups(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int dx = (int)(strchr(x, ',') != NULL), dy = (int)(strchr(y, ',') != NULL), nx, ny;

    if (strcmp(x, "all") == 0 || strcmp(y, "all") == 0)
        return strcmp(x, "all") == 0 ? (strcmp(y, "all") == 0 ? 0 : -1) : 1;
    if (dx != dy)
        return dx - dy;
    while (*x && *y) {
        const char *ex = strchr(x, '='), *ey = strchr(y, '=');
        size_t lx = (size_t)(ex - x), ly = (size_t)(ey - y);
        double vx, vy;
        int c;
        if (!ex || !ey)
            return strcmp(x, y);
        if (lx != ly || memcmp(x, y, lx) != 0)
            return strcmp(x, y);
        vx = value_rank(ex + 1, &nx);
        vy = value_rank(ey + 1, &ny);
        if (nx && ny && vx != vy)
            return vx < vy ? -1 : 1;
        {
            const char *cx = strchr(ex, ','), *cy = strchr(ey, ',');
            size_t px = cx ? (size_t)(cx - ex) : strlen(ex), py = cy ? (size_t)(cy - ey) : strlen(ey);
            c = strncmp(ex, ey, px < py ? px : py);
            if (c || px != py)
                return c ? c : (px < py ? -1 : 1);
            x = cx ? cx + 1 : ex + px;
            y = cy ? cy + 1 : ey + py;
        }
    }
    return strcmp(x, y);
}

static const char **sorted_groups(const summary_in *s)
{
    const char **names = malloc((s->groups->n + 1) * sizeof(*names));
    size_t i;

    if (!names)
        return NULL;
    for (i = 0; i < s->groups->n; i++)
        names[i] = s->groups->name[i];
    qsort(names, s->groups->n, sizeof(*names), cmp_groups);
    return names;
}

static int group_index(const summary_in *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->groups->n; i++)
        if (s->groups->name[i] == name)
            return (int)i;
    return -1;
}

/* Each criterion's rows of the threshold tables ("<def>.<criterion>": the
 * sex, measure, operator, threshold, unit, condition, source and status of
 * each), the chosen definitions' alone, and the citation of every source they
 * name: what each figure of the summary was judged by. */
static int rules_json(const summary_in *s, json_t *root)
{
    json_t *rules = json_object(), *sources = json_object();
    size_t i, d, n = mt_rule_count();
    char key[300];

    if (!rules || !sources) {
        json_decref(rules);
        json_decref(sources);
        return -1;
    }
    for (d = 0; d < s->spec->n_defs; d++) {
        const char *c = mt_source_citation(s->view[d].source);
        json_object_set_new(sources, s->view[d].source, c ? json_string(c) : json_null());
    }
    for (i = 0; i < n; i++) {
        mt_rule_view v;
        json_t *row, *list;
        const char *c;
        if (mt_rule_at(i, &v) != MT_OK)
            continue;
        for (d = 0; d < s->spec->n_defs && strcmp(s->view[d].id, v.definition) != 0; d++)
            ;
        if (d == s->spec->n_defs)
            continue;
        snprintf(key, sizeof(key), "%s.%s", v.definition, v.criterion);
        if (!(list = json_object_get(rules, key))) {
            json_object_set_new(rules, key, json_array());
            list = json_object_get(rules, key);
        }
        row = json_pack("{ss ss ss}", "sex", v.sex, "measure", v.measure, "operator", v.op);
        if (!row || !list)
            continue;
        json_object_set_new(row, "threshold", json_real(v.threshold));
        if (strcmp(v.op, "between") == 0) /* [threshold, threshold_high), as `myotrack rules` */
            json_object_set_new(row, "threshold_high", json_real(v.threshold_high));
        json_object_set_new(row, "unit", json_string(v.unit));
        json_object_set_new(row, "condition", json_string(v.condition ? v.condition : ""));
        json_object_set_new(row, "source", json_string(v.source));
        json_object_set_new(row, "status", json_string(v.status));
        json_array_append_new(list, row);
        if (!json_object_get(sources, v.source)) {
            c = mt_source_citation(v.source);
            json_object_set_new(sources, v.source, c ? json_string(c) : json_null());
        }
    }
    json_object_set_new(root, "rules", rules);
    json_object_set_new(root, "sources", sources);
    return 0;
}

/* Each line of text (ending '\n'; NULL: none) as a string of the list (a
 * file's name in it may not be UTF-8: shown as messages show it). */
static void notes_lines(json_t *list, const char *text)
{
    const char *p, *nl;
    char line[2400];

    for (p = text; p && (nl = strchr(p, '\n')); p = nl + 1) {
        mt_text_shown(line, sizeof(line), p, (size_t)(nl - p), 0);
        json_array_append_new(list, json_string(line));
    }
}

char *summary_json(const summary_in *s)
{
    const tally_spec *sp = s->spec;
    json_t *root = json_object(), *groups = json_object(), *defs = json_array();
    const char **order = sorted_groups(s);
    double *wx = calloc(s->psus->n + 1, sizeof(double)), *wy = calloc(s->psus->n + 1, sizeof(double));
    char *text = NULL, key[600];
    size_t gi, d, k;
    tgroup zero_group;
    const tgroup *zero = &zero_group;

    memset(&zero_group, 0, sizeof(zero_group));
    zero_group.cells = calloc(sp->n_stats + 1, sizeof(tcell));

    if (!root || !groups || !defs || !order || !wx || !wy || !zero_group.cells)
        goto done;
    for (d = 0; d < sp->n_defs; d++)
        json_array_append_new(defs, json_string(s->view[d].id));
    json_object_set_new(root, "myotrack", json_string(mt_version()));
    json_object_set_new(root, "disclaimer", json_string(SUMMARY_DISCLAIMER));
    {
        /* what limits the figures, before them: the notes said on stderr, and
         * the design's */
        json_t *notes = json_array();
        char reach[16384];
        notes_lines(notes, s->notes);
        if (summary_design_note(s, key, sizeof(key)))
            json_array_append_new(notes, json_string(key));
        if (summary_reach_notes(s, reach, sizeof(reach)))
            notes_lines(notes, reach);
        json_object_set_new(root, "notes", notes);
    }
    json_object_set_new(root, "rows_read", json_integer((json_int_t)s->rows_read));
    json_object_set_new(root, "rows_rejected", json_integer((json_int_t)s->rows_rejected));
    json_object_set_new(root, "definitions", defs);
    defs = NULL;
    if (sp->weighted) {
        json_t *w = json_pack("{ss}", "survey_weight", s->weight_column);
        json_object_set_new(w, "interval",
                            json_string(sp->design ? "taylor_logit" : "kish_wilson"));
        if (sp->design) {
            json_object_set_new(w, "strata", json_integer((json_int_t)s->n_strata));
            json_object_set_new(w, "psus", json_integer((json_int_t)s->psus->n));
            long df, single;
            design_counts(s, wx, &df, &single);
            json_object_set_new(w, "design_df", json_integer((json_int_t)df));
            json_object_set_new(w, "single_psu_strata", json_integer((json_int_t)single));
        }
        json_object_set_new(root, "weights", w);
    }
    for (gi = 0; gi < s->groups->n; gi++) {
        int g = group_index(s, order[gi]);
        const tgroup *gr = s->t->group[g];
        json_t *G, *D, *C;
        long long n = 0;
        if (!gr && g == 0)
            gr = zero;
        if (!gr)
            continue;
        D = json_object();
        C = json_object();
        if (sp->n_defs)
            n = gr->cells[sp->base[0]].evaluated; /* every row has a category */
        G = json_pack("{sI}", "n", (json_int_t)n);
        for (d = 0; d < sp->n_defs; d++) {
            const mt_definition_view *v = &s->view[d];
            json_t *cats = json_object();
            unsigned reach = group_reach(s, gr, d);
            int ins = insufficient_index(s, d);
            for (k = 0; k < v->n_categories; k++) {
                est e, ec;
                json_t *S;
                int in_reach = reached(reach, k);
                estimate(s, gr, sp->base[d], sp->base[d] + 1 + k, &e, wx, wy, s->psus->aux);
                if (!in_reach) {
                    reach_why(s, gr, d, k, key, sizeof(key));
                    S = unreachable_json(s, &e, key);
                } else {
                    S = stat_json(s, &e);
                }
                if (ins >= 0 && k != (size_t)ins) { /* among the rows it classified */
                    estimate_classified(s, gr, d, k, (size_t)ins, &ec, wx, wy, s->psus->aux);
                    json_object_set_new(S, "of_classified",
                                        in_reach ? stat_json(s, &ec) : no_figures_json(s, &ec));
                }
                json_object_set_new(cats, v->categories[k], S);
            }
            json_object_set_new(D, v->id, json_pack("{so}", "categories", cats));
            for (k = 0; k < v->n_criteria; k++) {
                est e;
                size_t at = sp->crit[d] + k;
                estimate(s, gr, at, at, &e, wx, wy, s->psus->aux);
                snprintf(key, sizeof(key), "%s.%s", v->id, v->criteria[k]);
                json_object_set_new(C, key, stat_json(s, &e));
            }
        }
        json_object_set_new(G, "definitions", D);
        json_object_set_new(G, "criteria", C);
        if (json_object_set_new(groups, order[gi], G) != 0) /* (names are UTF-8: escape_part) */
            goto done;
    }
    json_object_set_new(root, "groups", groups);
    groups = NULL;
    if (rules_json(s, root) != 0)
        goto done;
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
done:
    json_decref(root);
    json_decref(groups);
    json_decref(defs);
    free(order);
    free(wx);
    free(wy);
    free(zero_group.cells);
    return text;
}

/* x (a percent, 0 to 100) with dec decimals (1 to 3), as the JSON's figure
 * (r4) rounded half up: the JSON's 1.85 is the table's 1.9 (%.1f of the
 * double would give 1.8, its binary value being just below). */
static void fixed_text(char *out, size_t n, double x, int dec)
{
    long long m = llround(x * 10000.0), q = dec == 1 ? 1000 : dec == 2 ? 100 : 10,
              p = 10000 / q, v = (m + q / 2) / q;

    snprintf(out, n, "%lld.%0*lld", v / p, dec, v % p);
}

/* A percent and its interval for the table, each "-" for what the JSON has
 * as null: one decimal, or up to three when the interval is narrower than
 * one decimal can show (0 of 300,000: "0.000-0.001", not "0.0-0.0"), the
 * percent with as many as its interval (so that, rounded alike, it stays
 * within it: 0.55 in 0.52-0.59, not 0.6). */
static void percent_text(char *pct, char *ci, size_t n, const sv_est *e)
{
    int has_ci = isfinite(e->lo) && isfinite(e->hi);
    int dec = !has_ci || e->hi - e->lo >= 0.1 ? 1 : e->hi - e->lo >= 0.01 ? 2 : 3;

    snprintf(pct, n, "-");
    snprintf(ci, n, "-");
    if (isfinite(e->percent))
        fixed_text(pct, n, e->percent, dec);
    if (has_ci) {
        char lo[24], hi[24];
        fixed_text(lo, sizeof(lo), e->lo, dec);
        fixed_text(hi, sizeof(hi), e->hi, dec);
        snprintf(ci, n, "%s-%s", lo, hi);
    }
}

/* Definition d's category lines of group gr in the table; with ins >= 0,
 * among the classified rows (estimate_classified), insufficient_data (ins)
 * left out, two more spaces in. */
static void table_categories(FILE *f, const summary_in *s, const tgroup *gr, size_t d,
                             unsigned reach, int ins, double *wx, double *wy)
{
    const tally_spec *sp = s->spec;
    const mt_definition_view *v = &s->view[d];
    int in = ins >= 0 ? 2 : 0;
    size_t k;

    for (k = 0; k < v->n_categories; k++) {
        est e;
        char pct[48], ci[48], wpct[48], wci[48];
        if (ins >= 0 && k == (size_t)ins)
            continue;
        if (!reached(reach, k)) { /* its 0 is not a finding: why, below */
            fprintf(f, "    %*s%-*s %9s %8s  %s\n", in, "", 32 - in, v->categories[k], "-", "-",
                    "not assessable");
            continue;
        }
        if (ins >= 0)
            estimate_classified(s, gr, d, k, (size_t)ins, &e, wx, wy, s->psus->aux);
        else
            estimate(s, gr, sp->base[d], sp->base[d] + 1 + k, &e, wx, wy, s->psus->aux);
        percent_text(pct, ci, sizeof(pct), &e.plain);
        percent_text(wpct, wci, sizeof(wpct), &e.weighted);
        fprintf(f, "    %*s%-*s %9lld %8s  %-17s", in, "", 32 - in, v->categories[k], e.met, pct,
                ci);
        if (sp->weighted)
            fprintf(f, "  %10s  %s", wpct, wci);
        fputc('\n', f);
    }
}

void summary_table(FILE *f, const summary_in *s)
{
    char note[300];
    const tally_spec *sp = s->spec;
    const char **order = sorted_groups(s);
    double *wx = calloc(s->psus->n + 1, sizeof(double)), *wy = calloc(s->psus->n + 1, sizeof(double));
    size_t gi, d;

    if (!order || !wx || !wy)
        goto done;
    fprintf(f, "myotrack screen: %llu row%s read, %llu rejected%s\n", s->rows_read,
            s->rows_read == 1 ? "" : "s", s->rows_rejected,
            sp->weighted ? (sp->design ? "; weighted, Taylor-linearised intervals"
                                       : "; weighted, Kish effective-n intervals")
                         : "");
    /* what limits every figure below comes before them */
    if (summary_design_note(s, note, sizeof(note)))
        fprintf(f, "Note: %s.\n", note);
    for (gi = 0; gi < s->groups->n; gi++) {
        int g = group_index(s, order[gi]);
        const tgroup *gr = s->t->group[g];
        if (!gr && g == 0) { /* "all", always there (as in the JSON), of nobody */
            fprintf(f, "\n%s (n = 0)\n  nobody was screened: %s\n", order[gi],
                    s->rows_read ? "every row was rejected" : "the file has no rows");
            continue;
        }
        if (!gr || !sp->n_defs)
            continue;
        fprintf(f, "\n%s (n = %lld)\n", order[gi], (long long)gr->cells[sp->base[0]].evaluated);
        fprintf(f, "  %-34s %9s %8s  %-17s%s\n", "definition / category", "n", "%", "95% CI",
                sp->weighted ? "  weighted %  95% CI" : "");
        for (d = 0; d < sp->n_defs; d++) {
            const mt_definition_view *v = &s->view[d];
            unsigned reach = group_reach(s, gr, d);
            char why[8192];
            size_t len = 0;
            int ins = insufficient_index(s, d);
            long long n_ins = ins >= 0 ? gr->cells[sp->base[d] + 1 + (size_t)ins].met : 0,
                      n_all = gr->cells[sp->base[d]].evaluated;
            fprintf(f, "  %s\n", v->name);
            table_categories(f, s, gr, d, reach, -1, wx, wy);
            /* where some rows were not classified, the prevalence among those
             * that were, as papers report it (the JSON's of_classified) */
            if (n_ins > 0 && n_ins < n_all) {
                fprintf(f, "    of the %lld classified (insufficient_data left out):\n",
                        n_all - n_ins);
                table_categories(f, s, gr, d, reach, ins, wx, wy);
            }
            if (reach_lines(s, gr, d, "      not assessable: ", why, sizeof(why), &len) &&
                len < sizeof(why))
                fputs(why, f);
        }
    }
    fprintf(f, "\nThresholds and their sources: the summary's \"rules\", or 'myotrack rules'.\n");
    fprintf(f, "%s\n", SUMMARY_DISCLAIMER);
done:
    free(order);
    free(wx);
    free(wy);
}
