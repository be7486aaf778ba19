#!/usr/bin/env python3
"""screentest.py - the Python halves of tests/screen/run (standard library only).

    screentest.py boundary-rows OUT.csv          rows at and around the rule tables' cut-offs
    screentest.py differential IN.csv ROWS.csv REJECTS MYOTRACK [SAMPLE]
    screentest.py summary-small SUMMARY.json MODE  (MODE: plain, kish, taylor)
    screentest.py nhanes EXTRACT.csv SUMMARY.json

Each subcommand prints what it checked and exits 1 (after saying why) on a mismatch.
Nothing here imports the program's code: every expected number is computed from the
data with the formulas written out below.
"""
import concurrent.futures
import csv
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import time

MISSING = ("", "NA", ".")
# A JSON number, as the document parser reads one.
JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|ThreadSanitizer")

CANONICAL = ["sex", "age", "height", "weight", "grip", "chair_stand_5x", "gait_speed", "tug",
             "walk_400m", "six_minute_walk", "sppb_total", "calf", "asm", "asm_method",
             "bia_resistance", "bia_reactance", "bia_equation", "sarc_f_total", "setting"]


class Failed(Exception):
    pass


def records(path):
    """(start line, record) for each record of a CSV file, the header first."""
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        r = csv.reader(f)
        last = 0
        for rec in r:
            yield last + 1, rec
            last = r.line_num


# ---- 1. the differential test: screen against assess ------------------------

def cell(text):
    """A cell as a JSON value: None when missing, a number when it is one, else the text."""
    t = text.strip(" \t")
    if t in MISSING:
        return None
    if JSON_NUMBER.match(t):
        return json.loads(t)
    return t


def document(row):
    """The assessment document equivalent to one canonical row (a dict by column)."""
    v = {k: cell(row[k]) for k in CANONICAL if k in row}
    doc = {"person": {k: v[k] for k in ("sex", "age", "height", "weight") if v.get(k) is not None}}
    if v.get("setting") is not None:
        doc["setting"] = v["setting"]
    if v.get("sarc_f_total") is not None:
        doc["sarc_f"] = {"total": v["sarc_f_total"]}
    m = {}
    for k in ("grip", "chair_stand_5x", "gait_speed", "tug", "walk_400m", "six_minute_walk",
              "calf", "asm", "asm_method"):
        if v.get(k) is not None:
            m[k] = v[k]
    if v.get("sppb_total") is not None:
        m["sppb"] = {"total": v["sppb_total"]}
    bia = {k: v["bia_" + k] for k in ("resistance", "reactance", "equation")
           if v.get("bia_" + k) is not None}
    if bia:
        m["bia"] = bia
    if m:
        doc["measurements"] = m
    return doc


def assess(myotrack, doc):
    p = subprocess.run([myotrack, "assess", "-", "--format", "json"], input=json.dumps(doc),
                       capture_output=True, text=True, timeout=120)
    if SANITIZER.search(p.stderr):
        raise Failed("assess: sanitizer report:\n" + p.stderr[-3000:])
    return p.returncode, p.stdout, p.stderr


def boundary_rows(out):
    """Rows at, just below and just above the cut-offs of `myotrack rules` for the five
    definitions, both sexes, with the other measurements drawn around them (seeded)."""
    rng = random.Random(7)
    header = ["id"] + CANONICAL + ["survey_weight", "strata", "psu"]
    cuts = {
        "grip": [16, 17, 17.3, 18, 20, 21, 26, 27, 28, 29, 30, 32, 35.5],
        "chair_stand_5x": [12, 15],
        "gait_speed": [0.8, 1.0],
        "tug": [20],
        "walk_400m": [360],
        "sppb_total": [8, 9],
        "calf": [31, 33, 34],
        "asm": [15, 15.02, 19.75, 20],
        "sarc_f_total": [4],
        "age": [18, 60, 65, 120],
    }
    step = {"gait_speed": 0.01, "sppb_total": 1, "sarc_f_total": 1, "age": 1, "walk_400m": 1,
            "asm": 0.01}
    rows = []

    def base(sex):
        h = rng.choice([150.0, 160.0, 170.0, 180.0, 200.0])
        r = {"sex": sex, "age": str(rng.randint(60, 90)), "height": "%.1f" % h,
             "weight": "%.1f" % rng.choice([45.0, 60.0, 64.0, 72.25, 100.0]),
             "grip": "%.1f" % rng.uniform(10, 40), "chair_stand_5x": "%.2f" % rng.uniform(8, 20),
             "gait_speed": "%.2f" % rng.uniform(0.4, 1.4), "tug": "%.1f" % rng.uniform(6, 25),
             "walk_400m": str(rng.randint(250, 500)), "six_minute_walk": str(rng.randint(200, 600)),
             "sppb_total": str(rng.randint(4, 12)), "calf": "%.1f" % rng.uniform(28, 38),
             "asm": "", "asm_method": "", "bia_resistance": "", "bia_reactance": "",
             "bia_equation": "", "sarc_f_total": str(rng.randint(0, 8)),
             "setting": rng.choice(["community", "community", "hospital"]),
             "survey_weight": "%.2f" % rng.uniform(100, 3000), "strata": str(rng.randint(1, 15))}
        r["psu"] = r["strata"] + rng.choice(["01", "02"])
        if rng.random() < 0.5:
            r["asm"] = "%.2f" % rng.uniform(12, 26)
            r["asm_method"] = rng.choice(["dxa", "bia"])
        elif rng.random() < 0.3:
            r["bia_resistance"] = str(rng.randint(350, 700))
            r["bia_reactance"] = str(rng.randint(30, 70))
            r["bia_equation"] = rng.choice(["sergi2015", "kim2014", "yoshida2014"])
        for k in ("grip", "chair_stand_5x", "gait_speed", "tug", "walk_400m", "sppb_total",
                  "calf", "sarc_f_total", "six_minute_walk", "height", "weight"):
            if rng.random() < 0.15:
                r[k] = rng.choice(MISSING)
        return r

    for field, values in cuts.items():
        d = step.get(field, 0.1)
        for x in values:
            for delta in (-d, 0, d):
                for sex in ("male", "female"):
                    r = base(sex)
                    y = x + delta
                    if field in ("sppb_total", "sarc_f_total", "age", "walk_400m"):
                        r[field] = str(int(round(y)))
                    else:
                        r[field] = ("%.2f" % y).rstrip("0").rstrip(".")
                    if field == "asm" and not r["asm_method"]:
                        r["asm_method"] = "dxa"
                        r["bia_resistance"] = r["bia_reactance"] = r["bia_equation"] = ""
                    rows.append(r)
    # ASMI exactly at 7.0 / 5.5 / 5.4 / 5.7 kg/m2 (height 200 cm: h^2 = 4), grip/BMI at
    # 1.0 and 0.56 (BMI 25), the words and units a cell may hold.
    for sex, asm_ in (("male", "28.00"), ("male", "27.96"), ("female", "22.00"),
                      ("female", "21.60"), ("female", "22.80"), ("male", "28.04")):
        for method in ("dxa", "bia"):
            r = base(sex)
            r.update(height="200.0", weight="100.0", asm=asm_, asm_method=method,
                     bia_resistance="", bia_reactance="", bia_equation="")
            rows.append(r)
    for sex, grip in (("male", "25"), ("male", "26.25"), ("female", "14"), ("female", "13.9")):
        r = base(sex)
        r.update(height="200.0", weight="100.0", grip=grip)
        rows.append(r)
    for word_row in ({"chair_stand_5x": "unable"}, {"walk_400m": "not_completed"},
                     {"grip": "59.5 lb"}, {"grip": "61 lb"}, {"height": "5 ft 7 in"},
                     {"weight": "150 lb"}, {"calf": "12 in"}, {"gait_speed": " 0.80 "},
                     {"grip": "27.0"}, {"grip": "2.7e1"}, {"age": "70.0"}):
        for sex in ("male", "female"):
            r = base(sex)
            r.update(word_row)
            rows.append(r)
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for i, r in enumerate(rows):
            r["id"] = "b%d" % (i + 1)
            w.writerow([r[k] for k in header])
    print("%d boundary rows" % len(rows))


def differential(inp, rows_csv, rejects, myotrack, sample=None):
    recs = list(records(inp))
    header = recs[0][1]
    data = [(line, dict(zip(header, rec))) for line, rec in recs[1:] if len(rec) == len(header)]
    if len(data) != len(recs) - 1:
        raise Failed("the generated file has ragged rows: the test expects whole rows")
    out = {}
    with open(rows_csv, newline="") as f:
        r = csv.DictReader(f)
        cols = r.fieldnames
        for row in r:
            out[int(row["line"])] = row
    rejected = {}
    with open(rejects, encoding="utf-8", errors="replace") as f:
        for ln in f:
            m = re.match(r"line (\d+): (.+)$", ln.rstrip("\n"))
            if not m:
                raise Failed("rejects: a line not of the form 'line N: reason': %r" % ln)
            rejected[int(m.group(1))] = m.group(2)
    lines = {line for line, _ in data}
    if set(out) & set(rejected):
        raise Failed("lines both written and rejected: %s" % sorted(set(out) & set(rejected))[:10])
    if set(out) | set(rejected) != lines:
        miss = sorted(lines - set(out) - set(rejected))[:10]
        extra = sorted((set(out) | set(rejected)) - lines)[:10]
        raise Failed("rows neither written nor rejected: %s; lines that are no row: %s" % (miss, extra))
    defs = []
    for c in cols:
        if c.endswith(".category"):
            defs.append(c[:-len(".category")])
    crits = {d: [c.split(".", 1)[1] for c in cols if c.startswith(d + ".") and
                 not c.endswith(".category")] for d in defs}

    def one(item):
        """Assess one row's document; the mismatches with screen's verdict."""
        line, row = item
        rc, stdout, stderr = assess(myotrack, document(row))
        if line in rejected:
            if rc != 65:
                return ["line %d: screen rejected it (%s) but assess exits %d" %
                        (line, rejected[line], rc)]
            return []
        if rc != 0:
            return ["line %d: screen classified it but assess exits %d: %s" %
                    (line, rc, stderr.strip()[:300])]
        res = json.loads(stdout)["definitions"]
        got = out[line]
        bad = []
        for d in defs:
            if res[d]["category"] != got[d + ".category"]:
                bad.append("%s.category: screen %s, assess %s" %
                           (d, got[d + ".category"], res[d]["category"]))
            for c in crits[d]:
                met = res[d]["criteria"].get(c, {}).get("met")
                want = "" if met is None else "1" if met else "0"
                if got[d + "." + c] != want:
                    bad.append("%s.%s: screen %r, assess %r" % (d, c, got[d + "." + c], met))
            for c in res[d]["criteria"]:
                if c not in crits[d]:
                    bad.append("%s.%s: in assess's output, not a column of screen's" % (d, c))
        if bad:
            return ["line %d (%s): %s" % (line, json.dumps(document(row)), "; ".join(bad))]
        return []

    # Every row when assess is quick enough (about a minute at most), else every rejected
    # row and a seeded sample of 1000 others (SAMPLE forces a sample of that size).
    rng = random.Random(11)
    rng.shuffle(data)
    workers = max(2, 2 * (os.cpu_count() or 1))
    problems = []
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    t0 = time.monotonic()
    first = data[:64]
    for p in ex.map(one, first):
        problems.extend(p)
    per_row = (time.monotonic() - t0) / len(first)
    rest = data[64:]
    if sample is None and per_row * len(rest) > 50:
        sample = 1000
        print("differential: %.1f ms per assess: a sample of %d rows" % (1000 * per_row, sample))
    if sample is not None and sample < len(rest):
        rest = [x for x in rest if x[0] in rejected] + \
               [x for x in rest if x[0] not in rejected][:sample]
    for p in ex.map(one, rest):
        problems.extend(p)
    ex.shutdown()
    todo = first + rest
    n_rej = sum(1 for line, _ in todo if line in rejected)
    print("differential: %d rows compared with assess (%d classified, %d rejected), %d definitions"
          % (len(todo), len(todo) - n_rej, n_rej, len(defs)))
    if not n_rej or n_rej == len(todo):
        raise Failed("the comparison needs both classified and rejected rows")
    if problems:
        problems.sort(key=lambda p: int(re.match(r"line (\d+)", p).group(1)))
        raise Failed("%d mismatches; the first ones:\n  %s" % (len(problems), "\n  ".join(problems[:15])))


# ---- 3. summary arithmetic on tests/screen/data/summary_small.csv -------------

Z95 = statistics.NormalDist().inv_cdf(0.975)


def t975(df):
    """Student's t quantile at 0.975 in closed form for the small df of the toy design."""
    p = 0.975
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    raise Failed("the toy design only has df 1 or 2, not %r" % df)


def wilson(met, n, k=Z95):
    """Wilson's score interval, in percent: centre (p + k^2/2n)/(1 + k^2/n), half-width
    k/(1 + k^2/n) * sqrt(p(1-p)/n + k^2/4n^2)."""
    p = met / n
    den = 1 + k * k / n
    centre = (p + k * k / (2 * n)) / den
    half = k / den * math.sqrt(p * (1 - p) / n + k * k / (4 * n * n))
    return 100 * p, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


# The hand classification of the twelve rows (EWGSOP2; see the file): category, then
# low_grip, slow_gait, low_asm as 1 / 0 / None (not evaluated).
SMALL = {
    "p01": ("no_sarcopenia", 0, 0, None),
    "p02": ("probable", 1, 0, None),
    "p03": ("severe", 1, 1, 1),
    "p04": ("probable", 1, 0, 0),
    "p05": ("insufficient_data", None, 1, None),
    "p06": ("confirmed", 1, 0, 1),
    "p07": ("no_sarcopenia", 0, 1, None),
    "p08": ("probable", 1, 1, None),
    "p09": ("no_sarcopenia", 0, None, None),
    "p10": ("severe", 1, 1, 1),
    "p11": ("insufficient_data", None, None, None),
    "p12": ("probable", 1, 0, None),
}
CATS = ["no_sarcopenia", "probable", "confirmed", "severe", "insufficient_data"]
CRITS = ["low_grip", "slow_gait", "low_asm"]
# Counted by hand from the table above: (evaluated, met) per group and statistic.
HAND = {
    "all": {"n": 12, "no_sarcopenia": (12, 3), "probable": (12, 4), "confirmed": (12, 1),
            "severe": (12, 2), "insufficient_data": (12, 2),
            "low_grip": (10, 7), "slow_gait": (10, 5), "low_asm": (4, 3)},
    "sex=male": {"n": 5, "no_sarcopenia": (5, 1), "probable": (5, 2), "confirmed": (5, 0),
                 "severe": (5, 1), "insufficient_data": (5, 1),
                 "low_grip": (4, 3), "slow_gait": (5, 2), "low_asm": (2, 1)},
    "sex=female": {"n": 7, "no_sarcopenia": (7, 2), "probable": (7, 2), "confirmed": (7, 1),
                   "severe": (7, 1), "insufficient_data": (7, 1),
                   "low_grip": (6, 4), "slow_gait": (5, 3), "low_asm": (2, 2)},
}


def close(a, b, what, tol=1.5e-4):
    if a is None or b is None or abs(a - b) > tol:
        raise Failed("%s: summary says %r, expected %r" % (what, a, b))


def small_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def summary_small(data_csv, summary_json, mode):
    """mode: plain, kish, taylor (the statistics strictly between 0 and 100 %) or
    taylor-edge (those at 0 % or 100 %)."""
    s = json.load(open(summary_json))
    rows = small_rows(data_csv)
    if s["rows_read"] != 12 or s["rows_rejected"] != 0:
        raise Failed("rows_read %r, rows_rejected %r: expected 12 and 0" %
                     (s["rows_read"], s["rows_rejected"]))
    if s["definitions"] != ["ewgsop2"]:
        raise Failed("definitions %r" % s["definitions"])
    # the per-row table agrees with the hand counts (a check of the test itself)
    for g, want in HAND.items():
        sel = [r for r in rows if g == "all" or "sex=" + r["sex"] == g]
        assert len(sel) == want["n"], g
        for c in CATS:
            assert (len(sel), sum(SMALL[r["id"]][0] == c for r in sel)) == want[c], (g, c)
        for i, c in enumerate(CRITS):
            ev = [r for r in sel if SMALL[r["id"]][1 + i] is not None]
            assert (len(ev), sum(SMALL[r["id"]][1 + i] for r in ev)) == want[c], (g, c)
    if set(s["groups"]) != {"all", "sex=female", "sex=male"}:
        raise Failed("groups %r" % sorted(s["groups"]))
    psus = sorted({(r["stratum"], r["psu"]) for r in rows})
    strata = sorted({r["stratum"] for r in rows})
    if mode == "plain" and "weights" in s:
        raise Failed("an unweighted summary has a weights block: %r" % s["weights"])
    if mode == "kish" and s.get("weights") != {"survey_weight": "w", "interval": "kish_wilson"}:
        raise Failed("weights block %r" % s.get("weights"))
    if mode.startswith("taylor") and s.get("weights") != {
            "survey_weight": "w", "interval": "taylor_logit", "strata": 2, "psus": 4, "design_df": 2,
            "single_psu_strata": 0}:
        raise Failed("weights block %r" % s.get("weights"))
    checked = 0
    problems = []
    for g, want in HAND.items():
        G = s["groups"][g]
        if G["n"] != want["n"]:
            raise Failed("%s.n: %r, expected %r" % (g, G["n"], want["n"]))
        # each category also among the classified rows (of_classified: those
        # the hand table does not mark insufficient_data)
        classified = ["classified:" + c for c in CATS if c != "insufficient_data"]
        for stat in CATS + CRITS + classified:
            if stat in CATS:
                S = G["definitions"]["ewgsop2"]["categories"][stat]
                k = None
            elif stat in classified:
                S = G["definitions"]["ewgsop2"]["categories"][stat[11:]].get("of_classified")
                k = "classified"
                if S is None:
                    problems.append("%s %s: no of_classified" % (g, stat))
                    continue
            else:
                S = G["criteria"]["ewgsop2." + stat]
                k = 1 + CRITS.index(stat)
            where = "%s %s" % (g, stat)
            sel = [r for r in rows if g == "all" or "sex=" + r["sex"] == g]
            # x: evaluated (1/0), y: met (1/0), w: the survey weight
            xy = []
            for r in sel:
                v = SMALL[r["id"]]
                if k is None:
                    xy.append((1, 1 if v[0] == stat else 0, float(r["w"]), r))
                elif k == "classified":
                    if v[0] != "insufficient_data":
                        xy.append((1, 1 if v[0] == stat[11:] else 0, float(r["w"]), r))
                elif v[k] is not None:
                    xy.append((1, v[k], float(r["w"]), r))
            if k == "classified": # the hand counts: the classified rows, those of the category
                ev, met = len(xy), sum(y for _, y, _, _ in xy)
                assert ev == want["n"] - want["insufficient_data"][1], (g, stat)
            else:
                ev, met = want[stat]
            sw = sum(w for _, _, w, _ in xy)
            swy = sum(w * y for _, y, w, _ in xy)
            sw2 = sum(w * w for _, _, w, _ in xy)
            try:
                if (S["evaluated"], S["met"]) != (ev, met):
                    raise Failed("%s: evaluated/met %r/%r, counted by hand %r/%r" %
                                 (where, S["evaluated"], S["met"], ev, met))
                if mode == "taylor" and swy in (0, sw) or mode == "taylor-edge" and swy not in (0, sw):
                    continue
                p, lo, hi = wilson(met, ev)
                close(S["percent"], p, where + " percent")
                close(S["ci95"][0], lo, where + " ci95 low")
                close(S["ci95"][1], hi, where + " ci95 high")
                if mode == "plain":
                    if S["weighted_percent"] is not None or S["weighted_ci95"] is not None:
                        raise Failed("%s: weighted figures without weights" % where)
                    checked += 1
                    continue
                wp = 100 * swy / sw
                close(S["weighted_percent"], wp, where + " weighted percent (sum w*met / sum w)")
                if mode == "kish":
                    n_eff = sw * sw / sw2
                    _, lo, hi = wilson(swy / sw * n_eff, n_eff)
                    if S["weighted_ci95"] is None:
                        raise Failed("%s: no weighted interval" % where)
                    close(S["weighted_ci95"][0], lo, where + " Kish interval low (n_eff %.4f)" % n_eff)
                    close(S["weighted_ci95"][1], hi, where + " Kish interval high (n_eff %.4f)" % n_eff)
                else:
                    taylor_check(S, where, xy, psus, strata, sw, swy, sw2)
                checked += 1
            except Failed as e:
                problems.append(str(e))
    # every figure rounded to 4 decimals; statistics nothing evaluated are null
    for g, G in s["groups"].items():
        if "of_classified" in G["definitions"]["ewgsop2"]["categories"]["insufficient_data"]:
            problems.append("%s insufficient_data: of_classified (it is not a classification)" % g)
        stats = [(g + " " + c, S) for c, S in G["criteria"].items()]
        stats += [(g + " " + c, S) for c, S in G["definitions"]["ewgsop2"]["categories"].items()]
        stats += [(g + " " + c + " of_classified", S["of_classified"])
                  for c, S in G["definitions"]["ewgsop2"]["categories"].items()
                  if "of_classified" in S]
        for where, S in stats:
            for k in ("percent", "weighted_percent"):
                if S[k] is not None and round(S[k], 4) != S[k]:
                    problems.append("%s %s: %r is not rounded to 4 decimals" % (where, k, S[k]))
            for k in ("ci95", "weighted_ci95"):
                for x in S[k] or []:
                    if round(x, 4) != x:
                        problems.append("%s %s: %r is not rounded to 4 decimals" % (where, k, x))
            if S["evaluated"] == 0 and any(S[k] is not None for k in (
                    "percent", "ci95", "weighted_percent", "weighted_ci95")):
                problems.append("%s: nothing evaluated, yet figures: %r" % (where, S))
            elif S["evaluated"] == 0:
                checked += 1
    print("summary (%s): %d statistics in 3 groups checked" % (mode, checked))
    if problems:
        raise Failed("%d wrong:\n  %s" % (len(problems), "\n  ".join(problems)))
    if not checked:
        raise Failed("nothing was checked")


def taylor_check(S, where, xy, psus, strata, sw, swy, sw2):
    """The ratio's Taylor linearisation over the 2 x 2 design: with X = sum w x and
    p = sum w y / X over the domain, each PSU's z_hi = (sum_PSU w y - p sum_PSU w x) / X
    (a PSU outside the domain has z = 0: domain estimation), var = sum_h n_h/(n_h - 1)
    sum_i (z_hi - zbar_h)^2, the interval logit(p) +- t * se / (p (1 - p)) mapped back,
    t at df = PSUs holding some of the domain - strata holding them (stats.h). At 0 % or
    100 % stats.h documents a Wilson interval with t in place of z at the domain's Kish
    effective n, or its row count."""
    X = sw
    p = swy / X
    z = {}
    for pk in psus:
        z[pk] = sum(w * y - p * w * x for x, y, w, r in xy if (r["stratum"], r["psu"]) == pk) / X
    var = 0.0
    active = {}
    for h in strata:
        zs = [z[pk] for pk in psus if pk[0] == h]
        n_h = len(zs)
        mean = sum(zs) / n_h
        if n_h > 1:
            var += n_h / (n_h - 1) * sum((v - mean) ** 2 for v in zs)
        active[h] = len({(r["stratum"], r["psu"]) for _, _, _, r in xy if r["stratum"] == h})
    df = sum(a - 1 for a in active.values() if a > 0)
    got = S["weighted_ci95"]
    wp = 100 * p
    if df < 1:
        if got is not None:
            raise Failed("%s: df %d: expected no interval, got %r" % (where, df, got))
        return
    t = t975(df)
    if p in (0.0, 1.0):
        if got is None:
            raise Failed("%s: weighted %g %%, df %d: stats.h documents a df-adjusted Wilson "
                         "interval at 0 %%/100 %% (sv_taylor_n), the summary has none" %
                         (where, wp, df))
        cands = [wilson(p * n, n, t)[1:] for n in (sw * sw / sw2, float(len(xy)))]
        if not any(abs(got[0] - lo) <= 1.5e-4 and abs(got[1] - hi) <= 1.5e-4 for lo, hi in cands):
            raise Failed("%s: interval %r, expected one of %r" % (where, got, cands))
        return
    se = math.sqrt(var)
    logit = math.log(p / (1 - p))
    half = t * se / (p * (1 - p))
    lo = 100 / (1 + math.exp(-(logit - half)))
    hi = 100 / (1 + math.exp(-(logit + half)))
    if got is None:
        raise Failed("%s: no weighted interval (df %d)" % (where, df))
    if not (got[0] <= S["weighted_percent"] <= got[1]):
        raise Failed("%s: interval %r does not hold the percent %r" % (where, got,
                                                                       S["weighted_percent"]))
    close(got[0], lo, where + " Taylor/logit interval low (se %.6f, df %d)" % (se, df))
    close(got[1], hi, where + " Taylor/logit interval high (se %.6f, df %d)" % (se, df))


# ---- 6. the NHANES preset ----------------------------------------------------

TRIALS = ["MGXH1T1", "MGXH1T2", "MGXH1T3", "MGXH2T1", "MGXH2T2", "MGXH2T3"]


def num(t):
    t = t.strip()
    return None if t in MISSING else float(t)


def nhanes(extract, summary_json):
    s = json.load(open(summary_json))
    rows = list(csv.DictReader(open(extract, newline="")))
    want_rej = 0
    kept = []
    for r in rows:
        age = num(r["RIDAGEYR"])
        ht, wt = num(r["BMXHT"]), num(r["BMXWT"])
        grips = [g for g in (num(r[t]) for t in TRIALS) if g is not None]
        grip = max(grips) if grips else None
        bad = (age is None or not 18 <= age <= 120 or r["RIAGENDR"] not in ("1", "2") or
               (ht is not None and not 100 <= ht <= 230) or
               (wt is not None and not 25 <= wt <= 300) or
               (grip is not None and not 0 <= grip <= 100) or
               num(r["WTMEC2YR"]) is None or r["SDMVSTRA"].strip() == "" or
               r["SDMVPSU"].strip() == "")
        if bad:
            want_rej += 1
        else:
            kept.append((r, grip))
    if s["rows_read"] != len(rows):
        raise Failed("rows_read %r, the extract has %d rows" % (s["rows_read"], len(rows)))
    if s["rows_rejected"] != want_rej:
        raise Failed("rows_rejected %r, expected %d (children and invalid values)" %
                     (s["rows_rejected"], want_rej))
    w = s.get("weights") or {}
    if w.get("survey_weight") != "WTMEC2YR":
        raise Failed("the weights block does not name WTMEC2YR: %r" % w)
    if w.get("interval") != "taylor_logit":
        raise Failed("the preset's design (SDMVSTRA/SDMVPSU) is not used: %r" % w)
    # EWGSOP2 low grip: < 27 kg men, < 16 kg women (REFERENCE.md section 7, source EWGSOP2:
    # Cruz-Jentoft AJ et al. Age Ageing 2019;48:16-31), on the best of the six trials.
    for g, sexcode in (("all", None), ("sex=male", "1"), ("sex=female", "2")):
        sel = [(r, grip) for r, grip in kept if sexcode is None or r["RIAGENDR"] == sexcode]
        ev = [(r, grip) for r, grip in sel if grip is not None]
        met = sum(1 for r, grip in ev if grip < (27 if r["RIAGENDR"] == "1" else 16))
        if g not in s["groups"]:
            if g == "all":
                raise Failed("no group 'all'")
            continue
        S = s["groups"][g]["criteria"]["ewgsop2.low_grip"]
        if s["groups"][g]["n"] != len(sel):
            raise Failed("%s: n %r, expected %d" % (g, s["groups"][g]["n"], len(sel)))
        if (S["evaluated"], S["met"]) != (len(ev), met):
            raise Failed("%s ewgsop2.low_grip: evaluated/met %r/%r, recounted %d/%d" %
                         (g, S["evaluated"], S["met"], len(ev), met))
        print("nhanes %s: n %d, low grip %d of %d" % (g, len(sel), met, len(ev)))
    print("nhanes: %d rows, %d rejected" % (len(rows), want_rej))


# ---- 4. the summary against R's survey package (tests/screen/survey.R) ---------


def survey_stats(summary_json, out_tsv):
    """The statistics of the summary's "all" group, as survey.R reads them."""
    g = json.load(open(summary_json))["groups"]["all"]
    with open(out_tsv, "w") as f:
        for d, v in g["definitions"].items():
            for c, S in v["categories"].items():
                f.write("category\t%s\t%s\n" % (d, c))
                if "of_classified" in S:
                    f.write("classified\t%s\t%s\n" % (d, c))
        for c in g["criteria"]:
            f.write("criterion\t%s\n" % c)


def survey_compare(summary_json, r_csv, min_taylor):
    """Every count, percent and interval of the summary against survey.R's, group by group
    (the same groups on both sides); min_taylor: how many design-based intervals between 0 %
    and 100 % at least were compared (so that the comparison cannot pass on NAs alone)."""
    s = json.load(open(summary_json))
    want = {}
    for r in csv.DictReader(open(r_csv, newline="")):
        want.setdefault(r["group"], {})[r["stat"]] = r
    if set(s["groups"]) != set(want):
        raise Failed("groups: the summary has %s, R made %s" %
                     (sorted(s["groups"]), sorted(want)))
    figures = taylor = unreached = reliability = 0
    for gname, g in s["groups"].items():
        mine = {}
        for d, v in g["definitions"].items():
            for c, S in v["categories"].items():
                mine["%s:%s" % (d, c)] = S
                if "of_classified" in S: # judged as its category: not assessable alike
                    mine["%s:%s/classified" % (d, c)] = dict(S["of_classified"], **(
                        {"not_assessable": S["not_assessable"]} if "not_assessable" in S else {}))
        mine.update(g["criteria"])
        if set(mine) != set(want[gname]):
            raise Failed("%s: statistics differ: %s" %
                         (gname, sorted(set(mine) ^ set(want[gname]))[:5]))
        for stat, S in mine.items():
            R = want[gname][stat]
            where = "%s %s" % (gname, stat)
            for k in ("evaluated", "met"):
                if S[k] != int(float(R[k])):
                    raise Failed("%s: %s %r, R counts %s" % (where, k, S[k], R[k]))
            if "not_assessable" in S:
                # a category the group's data cannot reach: R counts its 0 rows as 0 %, the
                # summary says it is no finding (no percent, no interval) and why
                if S["met"] != 0 or not S["not_assessable"] or any(
                        S[k] is not None for k in
                        ("percent", "ci95", "weighted_percent", "weighted_ci95")):
                    raise Failed("%s: not assessable, yet %r" % (where, S))
                unreached += 1
                continue
            pairs = [("percent", S["percent"], R["percent"]),
                     ("ci95[0]", (S["ci95"] or [None, None])[0], R["lo"]),
                     ("ci95[1]", (S["ci95"] or [None, None])[1], R["hi"]),
                     ("weighted_percent", S.get("weighted_percent"), R["wpercent"]),
                     ("weighted_ci95[0]", (S.get("weighted_ci95") or [None, None])[0], R["wlo"]),
                     ("weighted_ci95[1]", (S.get("weighted_ci95") or [None, None])[1], R["whi"])]
            for k, a, b in pairs:
                b = None if b == "NA" else float(b)
                if (a is None) != (b is None):
                    raise Failed("%s: %s is %r, R gives %r" % (where, k, a, b))
                if a is not None:
                    close(a, b, "%s %s (R: survey)" % (where, k))
                    figures += 1
            # what a reader judges a weighted figure's reliability by: n_eff (with
            # weights), the standard error and the degrees of freedom (with a design)
            def both(k, a, b, tol=1.5e-4):
                b = None if b == "NA" else float(b)
                if (a is None) != (b is None):
                    raise Failed("%s: %s is %r, R gives %r" % (where, k, a, b))
                if a is not None:
                    close(a, b, "%s %s (R)" % (where, k), tol)
                    return 1
                return 0
            if "n_eff" in S:
                reliability += both("n_eff", S["n_eff"], R["neff"],
                                    1.5e-4 * max(1.0, S["n_eff"] or 1.0))
            if "weighted_df" in S:
                reliability += both("weighted_df", S["weighted_df"],
                                    R["wdf"] if S["weighted_percent"] is not None else "NA", 0)
                reliability += both("weighted_se", S["weighted_se"], R["wse"])
            w = S.get("weighted_percent")
            if S.get("weighted_ci95") and w is not None and 0 < w < 100:
                taylor += 1
    if taylor < min_taylor:
        raise Failed("only %d weighted intervals strictly between 0 %% and 100 %% compared, "
                     "expected at least %d" % (taylor, min_taylor))
    if s.get("weights") and not reliability:
        raise Failed("weighted, yet no n_eff, standard error or df compared")
    print("survey: %d groups, %d figures equal to R's (within 1.5e-4), %d weighted intervals "
          "inside (0, 100), %d categories not assessable, %d n_eff/SE/df checks" %
          (len(want), figures, taylor, unreached, reliability))


def main(argv):
    try:
        cmd = argv[1]
        if cmd == "boundary-rows":
            boundary_rows(argv[2])
        elif cmd == "differential":
            differential(argv[2], argv[3], argv[4], argv[5],
                         int(argv[6]) if len(argv) > 6 else None)
        elif cmd == "summary-small":
            summary_small(argv[2], argv[3], argv[4])
        elif cmd == "nhanes":
            nhanes(argv[2], argv[3])
        elif cmd == "survey-stats":
            survey_stats(argv[2], argv[3])
        elif cmd == "survey-compare":
            survey_compare(argv[2], argv[3], int(argv[4]))
        else:
            raise Failed("unknown subcommand %r" % cmd)
    except Failed as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
