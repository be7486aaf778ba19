#!/usr/bin/env python3
"""bench/screen_pandas.py - the pandas peer of `myotrack screen` (bench/screen).

    screen_pandas.py FILE [--variant apply|vectorised|both] [--json OUT]

A straightforward pandas implementation of the four sarcopenia definitions
(EWGSOP2, AWGS 2019, FNIH, SDOC): the tool a researcher would otherwise write.
It reads the canonical cohort CSV (tools/gen_cohort writes one) with read_csv,
rejects the rows the engine rejects (the accepted ranges and words of
../shared/clinical/REFERENCE.md section 2 and the screen command's spec),
classifies every person, and computes unweighted and survey-weighted
prevalence of every category and criterion, overall and by sex.

Two classifiers, same answers:
  apply       one Python function per row, df.apply(..., axis=1): the
              straightforward way researchers write the missing-value logic
              ("if grip is missing, look at the chair stand...").
              bench/screen judges its floor (>= 50x) against this one.
  vectorised  the same rules with numpy masks and three-valued int8 arrays;
              timed and printed as well, for honesty.

Output: one line per variant with its phases (read_csv, validate, classify,
prevalence) on stdout; with --json, the counts for the agreement check, in the
shape of `myotrack screen --summary` (rows_read, rows_rejected, groups: all,
sex=female, sex=male, each with n, definitions.<def>.categories.<cat> and
criteria."<def>.<crit>", each {evaluated, met, percent, weighted_percent}).
For categories, "evaluated" is the group's n (insufficient_data is a
category); for criteria, the persons whose criterion could be decided.

Every threshold carries its source ID (REFERENCE.md section 14), and the
category logic mirrors src/lib/definitions/{ewgsop2,awgs2019,fnih,sdoc}.c:
"alternatives are OR-ed" (REFERENCE section 1: a domain is low if any measured
test is low, not low if one was measured and none is low, else unknown),
"unable" meets slow_chair_stand and "not_completed" meets slow_400m, and
inputs and derived values (BMI, ASMI, ALM/BMI, grip/BMI, BIA estimates) are
rounded to 4 decimals half away from zero, as the engine stores them
(mt_round4), so that values on a cut-off compare the same doubles.

Not handled (tools/gen_cohort never writes them, and the row is then judged
by pandas' number parser, not the engine's): exponents, leading '+' or
spaces, units in cells, other missing-value spellings than empty, NA and '.'.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import pandas as pd

MISSING = ["", "NA", "."]

# Accepted ranges (REFERENCE section 2); rows outside are rejected.
RANGES = {
    "age": (18, 120),
    "height": (100, 230),
    "weight": (25, 300),
    "grip": (0, 100),
    "chair_stand_5x": (3, 120),
    "gait_speed": (0.05, 3.0),
    "tug": (3, 300),
    "walk_400m": (120, 3600),
    "six_minute_walk": (0, 1000),
    "sppb_total": (0, 12),
    "calf": (15, 70),
    "asm": (3, 60),
    "sarc_f_total": (0, 10),
    "bia_resistance": (200, 1200),
    "bia_reactance": (10, 150),
}
INTEGER = ("sppb_total", "sarc_f_total")
WORDS = {"chair_stand_5x": "unable", "walk_400m": "not_completed"}
BIA_COLUMNS = ("bia_resistance", "bia_reactance", "bia_equation")
BIA_EQUATIONS = ("sergi2015", "kim2014", "yoshida2014", "janssen2000")

# BIA equations (REFERENCE section 6; h in cm, R and Xc in ohm, sex 1 men):
# (h2/R, weight, sex, age, Xc, constant), as src/lib/measures/body.c.
BIA_COEF = {
    "sergi2015": (0.227, 0.095, 1.384, 0, 0.064, -3.964),  # SERGI
    "kim2014": (0.104, 0.055, 2.954, -0.050, 0, 5.663),  # KIM
    "yoshida2014_men": (0.197, 0.179, 0, 0, 0, -0.019),  # YOSHIDA
    "yoshida2014_women": (0.221, 0.117, 0, 0, 0, 0.881),  # YOSHIDA
}

DEFINITIONS = {
    "ewgsop2": ["no_sarcopenia", "probable", "confirmed", "severe", "insufficient_data"],
    "awgs2019": ["no_sarcopenia", "possible", "sarcopenia", "severe", "insufficient_data"],
    "fnih": ["no_sarcopenia", "weakness_low_lean_mass", "weakness_slowness_low_lean_mass",
             "insufficient_data"],
    "sdoc": ["no_sarcopenia", "sarcopenia", "insufficient_data"],
}
CRITERIA = [
    "ewgsop2.low_grip", "ewgsop2.slow_chair_stand", "ewgsop2.low_asm", "ewgsop2.low_asmi",
    "ewgsop2.slow_gait", "ewgsop2.low_sppb", "ewgsop2.slow_tug", "ewgsop2.slow_400m",
    "ewgsop2.low_calf_proxy",
    "awgs2019.low_calf", "awgs2019.positive_sarc_f", "awgs2019.positive_sarc_calf",
    "awgs2019.low_grip", "awgs2019.slow_chair_stand", "awgs2019.slow_gait", "awgs2019.low_sppb",
    "awgs2019.low_asmi",
    "fnih.weakness", "fnih.intermediate_grip", "fnih.weakness_bmi", "fnih.low_alm_bmi",
    "fnih.low_alm", "fnih.slowness",
    "sdoc.weakness", "sdoc.slowness", "sdoc.weakness_bmi",
]
CATEGORY_COLUMNS = ["cat_" + d for d in DEFINITIONS]


def round4(x):
    """C's round(x * 10000) / 10000 (half away from zero), as mt_round4."""
    y = x * 10000.0
    r = math.floor(y)
    if y - r >= 0.5:
        r += 1
    return r / 10000.0


def round4_array(x):
    y = x * 10000.0
    r = np.floor(y)
    return (r + (y - r >= 0.5)) / 10000.0


# ---- reading and validation (shared by both variants) --------------------

def read(path):
    text_columns = {c: str for c in ("sex", "setting", "asm_method", "chair_stand_5x",
                                     "walk_400m", "bia_equation")}
    return pd.read_csv(path, keep_default_na=False, na_values=MISSING, dtype=text_columns)


CANONICAL = ("sex", "age", "height", "weight", "grip", "chair_stand_5x", "gait_speed", "tug",
             "walk_400m", "six_minute_walk", "sppb_total", "calf", "asm", "asm_method",
             "bia_resistance", "bia_reactance", "bia_equation", "sarc_f_total", "setting")


def validate(df):
    """Numeric columns as float (rounded to 4 decimals), the words kept; the mask
    of rejected rows. A canonical column the file lacks is all missing."""
    for c in CANONICAL:
        if c not in df:
            df[c] = np.nan
    bad = pd.Series(False, index=df.index)
    sex = df["sex"]
    bad |= ~sex.isin(["female", "male"])
    bad |= df["setting"].notna() & ~df["setting"].isin(["community", "hospital"])
    for col, (lo, hi) in RANGES.items():
        raw = df[col]
        given = raw.notna()
        if col in WORDS:
            word = raw == WORDS[col]
            df[col + "_word"] = word
            raw = raw.where(~word)
            given &= ~word
        num = pd.to_numeric(raw, errors="coerce")
        bad |= given & ~(np.isfinite(num) & (num >= lo) & (num <= hi))
        if col in INTEGER:
            bad |= given & (num != np.floor(num))
        df[col] = round4_array(num.astype(float))
    bad |= df["age"].isna()
    has_asm = df["asm"].notna()
    method = df["asm_method"]
    bad |= method.notna() & ~method.isin(["dxa", "bia"])
    bad |= has_asm != method.notna()  # asm needs its method and the method its asm
    # BIA readings: any of the three cells given (src/lib/input/document.c's checks).
    eq = df["bia_equation"]
    bia = df["bia_resistance"].notna() | df["bia_reactance"].notna() | eq.notna()
    bad |= eq.notna() & ~eq.isin(BIA_EQUATIONS)
    eq = eq.fillna("sergi2015")  # the default equation
    df["bia_equation"] = eq
    bad |= bia & (has_asm | df["bia_resistance"].isna() | df["height"].isna())
    bad |= bia & (eq == "sergi2015") & df["bia_reactance"].isna()
    bad |= bia & (eq != "janssen2000") & df["weight"].isna()
    df["bia_given"] = bia
    if "survey_weight" in df:
        w = pd.to_numeric(df["survey_weight"], errors="coerce")
        bad |= ~(w > 0)
        df["survey_weight"] = w
    else:
        df["survey_weight"] = 1.0
    return bad


# ---- the straightforward classifier: one Python function per row ---------

def missing(v):
    return v is None or v != v  # NaN


def lt(v, t):
    """Three-valued criterion: 1 met, 0 not met, -1 not measured."""
    return -1 if missing(v) else int(v < t)


def le(v, t):
    return -1 if missing(v) else int(v <= t)


def gt(v, t):
    return -1 if missing(v) else int(v > t)


def ge(v, t):
    return -1 if missing(v) else int(v >= t)


def any_low(*crits):
    """REFERENCE section 1: alternatives are OR-ed."""
    if 1 in crits:
        return 1
    if 0 in crits:
        return 0
    return -1


def body(row):
    """BMI, ASM (measured or BIA), ASMI, ALM/BMI, grip/BMI and the ASM method, as
    src/lib/measures/body.c computes them."""
    male = row["sex"] == "male"
    h, w, asm = row["height"], row["weight"], row["asm"]
    method = row["asm_method"]
    hm = h / 100.0
    bmi = None if (missing(h) or missing(w)) else round4(w / (hm * hm))
    if missing(asm) and row["bia_given"]:
        eq = row["bia_equation"]
        method = "bia"
        if eq != "janssen2000":  # whole-body muscle: never an ASM
            if eq == "yoshida2014":
                eq = "yoshida2014_men" if male else "yoshida2014_women"
            c = BIA_COEF[eq]
            xc = row["bia_reactance"]
            xc = 0.0 if missing(xc) else xc
            v = round4(c[0] * h * h / row["bia_resistance"] + c[1] * w + c[2] * male
                       + c[3] * row["age"] + c[4] * xc + c[5])
            asm = round4(v) if v > 0 else None
    asmi = None if (missing(asm) or missing(h)) else round4(asm / (hm * hm))
    alm_bmi = None if (missing(asm) or bmi is None) else round4(asm / bmi)
    grip_bmi = None if (missing(row["grip"]) or bmi is None) else round4(row["grip"] / bmi)
    return asm, asmi, alm_bmi, grip_bmi, method


def classify(row):
    male = row["sex"] == "male"
    grip, gait, sppb, tug = row["grip"], row["gait_speed"], row["sppb_total"], row["tug"]
    calf, sarcf = row["calf"], row["sarc_f_total"]
    chair = row["chair_stand_5x"]
    chair_unable = row["chair_stand_5x_word"]
    w400 = row["walk_400m"]
    w400_not_completed = row["walk_400m_word"]
    asm, asmi, alm_bmi, grip_bmi, method = body(row)

    # EWGSOP2 (Cruz-Jentoft 2019)
    e_grip = lt(grip, 27 if male else 16)  # EWGSOP2
    e_chair = 1 if chair_unable else gt(chair, 15)  # EWGSOP2: > 15 s or unable
    e_asm = lt(asm, 20 if male else 15)  # EWGSOP2
    e_asmi = lt(asmi, 7.0 if male else 5.5)  # EWGSOP2
    e_gait = le(gait, 0.8)  # EWGSOP2
    e_sppb = le(sppb, 8)  # EWGSOP2
    e_tug = ge(tug, 20)  # EWGSOP2
    e_400 = 1 if w400_not_completed else ge(w400, 360)  # EWGSOP2: >= 360 s or not completed
    e_calf = lt(calf, 31)  # EWGSOP2 [to confirm]; reported, never in the category
    strength = any_low(e_grip, e_chair)
    mass = any_low(e_asm, e_asmi)
    perf = any_low(e_gait, e_sppb, e_tug, e_400)
    if strength == -1:
        ewgsop2 = "insufficient_data"
    elif strength == 0:
        ewgsop2 = "no_sarcopenia"
    elif mass != 1:
        ewgsop2 = "probable"  # mass not low, or not measured
    elif perf == 1:
        ewgsop2 = "severe"
    else:
        ewgsop2 = "confirmed"

    # AWGS 2019 (Chen 2020)
    a_calf = lt(calf, 34 if male else 33)  # AWGS2019
    a_sarcf = ge(sarcf, 4)  # AWGS2019
    if missing(sarcf) or missing(calf):
        a_sarccalf = -1
    else:  # SARC-CalF: SARC-F + 10 below calf 34 / 33 cm (SARCCALF)
        a_sarccalf = int(sarcf + (10 if calf < (34 if male else 33) else 0) >= 11)  # AWGS2019
    a_grip = lt(grip, 28 if male else 18)  # AWGS2019
    a_chair = 1 if chair_unable else ge(chair, 12)  # AWGS2019: >= 12 s or unable
    a_gait = lt(gait, 1.0)  # AWGS2019
    a_sppb = le(sppb, 9)  # AWGS2019
    if missing(method):
        a_asmi = -1  # the cut-off depends on the method
    elif method == "dxa":
        a_asmi = lt(asmi, 7.0 if male else 5.4)  # AWGS2019, DXA
    else:
        a_asmi = lt(asmi, 7.0 if male else 5.7)  # AWGS2019, BIA
    setting = row["setting"]
    if missing(setting) or setting == "community":  # the default setting
        s = any_low(a_grip, a_chair)
        awgs = "possible" if s == 1 else "no_sarcopenia" if s == 0 else "insufficient_data"
    elif a_asmi == -1:  # hospital without ASMI: the community pathway, wider
        s = any_low(a_grip, a_chair, a_gait, a_sppb)
        awgs = "possible" if s == 1 else "no_sarcopenia" if s == 0 else "insufficient_data"
    elif a_asmi == 0:
        awgs = "no_sarcopenia"
    else:
        perf = any_low(a_gait, a_chair, a_sppb)
        if a_grip == 1 and perf == 1:
            awgs = "severe"
        elif a_grip == 1 or perf == 1:
            awgs = "sarcopenia"
        elif a_grip == 0 and perf == 0:
            awgs = "no_sarcopenia"
        else:
            awgs = "insufficient_data"

    # FNIH (Studenski 2014)
    f_weak = lt(grip, 26 if male else 16)  # FNIH
    if missing(grip):
        f_inter = -1
    elif male:
        f_inter = int(26 <= grip < 32)  # FNIH: 26-31.9 kg
    else:
        f_inter = int(16 <= grip < 20)  # FNIH: 16-19.9 kg
    f_weak_bmi = lt(grip_bmi, 1.0 if male else 0.56)  # FNIH
    f_lean = lt(alm_bmi, 0.789 if male else 0.512)  # FNIH
    f_alm = lt(asm, 19.75 if male else 15.02)  # FNIH
    f_slow = lt(gait, 0.8)  # FNIH
    if f_weak == -1:
        fnih = "insufficient_data"
    elif f_weak == 0:
        fnih = "no_sarcopenia"
    elif f_lean == -1:
        fnih = "insufficient_data"
    elif f_lean == 0:
        fnih = "no_sarcopenia"
    elif f_slow == 1:
        fnih = "weakness_slowness_low_lean_mass"
    else:
        fnih = "weakness_low_lean_mass"

    # SDOC (Bhasin 2020)
    s_weak = lt(grip, 35.5 if male else 20)  # SDOC
    s_slow = lt(gait, 0.8)  # SDOC
    s_weak_bmi = le(grip_bmi, 1.05) if male else -1  # SDOC, men only
    if s_weak == 1 and s_slow == 1:
        sdoc = "sarcopenia"
    elif s_weak == 0 or s_slow == 0:
        sdoc = "no_sarcopenia"
    else:
        sdoc = "insufficient_data"

    return (ewgsop2, awgs, fnih, sdoc,
            e_grip, e_chair, e_asm, e_asmi, e_gait, e_sppb, e_tug, e_400, e_calf,
            a_calf, a_sarcf, a_sarccalf, a_grip, a_chair, a_gait, a_sppb, a_asmi,
            f_weak, f_inter, f_weak_bmi, f_lean, f_alm, f_slow,
            s_weak, s_slow, s_weak_bmi)


def classify_apply(df):
    out = df.apply(classify, axis=1)
    return pd.DataFrame(out.tolist(), index=df.index, columns=CATEGORY_COLUMNS + CRITERIA)


# ---- the same rules with numpy masks -------------------------------------

def classify_vectorised(df):
    male = (df["sex"] == "male").to_numpy()
    n = len(df)

    def col(name):
        return df[name].to_numpy(dtype=float)

    def crit(v, met):
        return np.where(np.isnan(v), -1, met).astype(np.int8)

    def by_sex(m, w):
        return np.where(male, m, w)

    def or3(*crits):  # REFERENCE section 1: alternatives are OR-ed
        low = np.zeros(n, bool)
        known = np.zeros(n, bool)
        for c in crits:
            low |= c == 1
            known |= c == 0
        return np.where(low, 1, np.where(known, 0, -1)).astype(np.int8)

    grip, gait, sppb, tug = col("grip"), col("gait_speed"), col("sppb_total"), col("tug")
    calf, sarcf, h, w, asm = col("calf"), col("sarc_f_total"), col("height"), col("weight"), col("asm")
    chair, w400 = col("chair_stand_5x"), col("walk_400m")
    chair_unable = df["chair_stand_5x_word"].to_numpy(dtype=bool)
    w400_nc = df["walk_400m_word"].to_numpy(dtype=bool)
    method = df["asm_method"].to_numpy(dtype=object)
    hm = h / 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = round4_array(w / (hm * hm))
        bia = df["bia_given"].to_numpy(dtype=bool) & np.isnan(asm)
        if bia.any():
            eq = df["bia_equation"].to_numpy(dtype=object)
            r, xc, age = col("bia_resistance"), col("bia_reactance"), col("age")
            xc = np.where(np.isnan(xc), 0.0, xc)
            est = np.full(n, np.nan)
            for name in ("sergi2015", "kim2014", "yoshida2014"):
                for is_male in (True, False):
                    key = name
                    if name == "yoshida2014":
                        key = "yoshida2014_men" if is_male else "yoshida2014_women"
                    sel = bia & (eq == name) & (male == is_male)
                    c = BIA_COEF[key]
                    v = round4_array(c[0] * h * h / r + c[1] * w + c[2] * male + c[3] * age
                                     + c[4] * xc + c[5])
                    est = np.where(sel, np.where(v > 0, round4_array(v), np.nan), est)
            asm = np.where(bia, est, asm)
            method = np.where(bia, "bia", method)
        asmi = round4_array(asm / (hm * hm))
        alm_bmi = round4_array(asm / bmi)
        grip_bmi = round4_array(grip / bmi)

    out = {}
    # EWGSOP2
    e_grip = crit(grip, grip < by_sex(27, 16))  # EWGSOP2
    e_chair = np.where(chair_unable, 1, crit(chair, chair > 15)).astype(np.int8)  # EWGSOP2
    e_asm = crit(asm, asm < by_sex(20, 15))  # EWGSOP2
    e_asmi = crit(asmi, asmi < by_sex(7.0, 5.5))  # EWGSOP2
    e_gait = crit(gait, gait <= 0.8)  # EWGSOP2
    e_sppb = crit(sppb, sppb <= 8)  # EWGSOP2
    e_tug = crit(tug, tug >= 20)  # EWGSOP2
    e_400 = np.where(w400_nc, 1, crit(w400, w400 >= 360)).astype(np.int8)  # EWGSOP2
    e_calf = crit(calf, calf < 31)  # EWGSOP2 [to confirm]
    strength, mass = or3(e_grip, e_chair), or3(e_asm, e_asmi)
    perf = or3(e_gait, e_sppb, e_tug, e_400)
    out["cat_ewgsop2"] = np.select(
        [strength == -1, strength == 0, mass != 1, perf == 1],
        ["insufficient_data", "no_sarcopenia", "probable", "severe"], "confirmed")
    out.update({"ewgsop2.low_grip": e_grip, "ewgsop2.slow_chair_stand": e_chair,
                "ewgsop2.low_asm": e_asm, "ewgsop2.low_asmi": e_asmi,
                "ewgsop2.slow_gait": e_gait, "ewgsop2.low_sppb": e_sppb,
                "ewgsop2.slow_tug": e_tug, "ewgsop2.slow_400m": e_400,
                "ewgsop2.low_calf_proxy": e_calf})
    # AWGS 2019
    calf_low = calf < by_sex(34, 33)  # AWGS2019; SARC-CalF's calf points (SARCCALF)
    a_calf = crit(calf, calf_low)
    a_sarcf = crit(sarcf, sarcf >= 4)  # AWGS2019
    a_sarccalf = crit(sarcf + calf, sarcf + np.where(calf_low, 10, 0) >= 11)  # AWGS2019
    a_grip = crit(grip, grip < by_sex(28, 18))  # AWGS2019
    a_chair = np.where(chair_unable, 1, crit(chair, chair >= 12)).astype(np.int8)  # AWGS2019
    a_gait = crit(gait, gait < 1.0)  # AWGS2019
    a_sppb = crit(sppb, sppb <= 9)  # AWGS2019
    dxa, biam = method == "dxa", method == "bia"
    a_asmi = np.where(dxa, crit(asmi, asmi < by_sex(7.0, 5.4)),  # AWGS2019, DXA
                      np.where(biam, crit(asmi, asmi < by_sex(7.0, 5.7)), -1)  # AWGS2019, BIA
                      ).astype(np.int8)
    hospital = df["setting"].to_numpy(dtype=object) == "hospital"

    def possible(s):
        return np.select([s == 1, s == 0], ["possible", "no_sarcopenia"], "insufficient_data")

    community = possible(or3(a_grip, a_chair))
    fallback = possible(or3(a_grip, a_chair, a_gait, a_sppb))
    a_perf = or3(a_gait, a_chair, a_sppb)
    hosp = np.select(
        [a_asmi == -1, a_asmi == 0, (a_grip == 1) & (a_perf == 1), (a_grip == 1) | (a_perf == 1),
         (a_grip == 0) & (a_perf == 0)],
        [fallback, "no_sarcopenia", "severe", "sarcopenia", "no_sarcopenia"], "insufficient_data")
    out["cat_awgs2019"] = np.where(hospital, hosp, community)
    out.update({"awgs2019.low_calf": a_calf, "awgs2019.positive_sarc_f": a_sarcf,
                "awgs2019.positive_sarc_calf": a_sarccalf, "awgs2019.low_grip": a_grip,
                "awgs2019.slow_chair_stand": a_chair, "awgs2019.slow_gait": a_gait,
                "awgs2019.low_sppb": a_sppb, "awgs2019.low_asmi": a_asmi})
    # FNIH
    f_weak = crit(grip, grip < by_sex(26, 16))  # FNIH
    f_inter = crit(grip, np.where(male, (grip >= 26) & (grip < 32),  # FNIH: 26-31.9 kg
                                  (grip >= 16) & (grip < 20)))  # FNIH: 16-19.9 kg
    f_weak_bmi = crit(grip_bmi, grip_bmi < by_sex(1.0, 0.56))  # FNIH
    f_lean = crit(alm_bmi, alm_bmi < by_sex(0.789, 0.512))  # FNIH
    f_alm = crit(asm, asm < by_sex(19.75, 15.02))  # FNIH
    f_slow = crit(gait, gait < 0.8)  # FNIH
    out["cat_fnih"] = np.select(
        [f_weak == -1, f_weak == 0, f_lean == -1, f_lean == 0, f_slow == 1],
        ["insufficient_data", "no_sarcopenia", "insufficient_data", "no_sarcopenia",
         "weakness_slowness_low_lean_mass"], "weakness_low_lean_mass")
    out.update({"fnih.weakness": f_weak, "fnih.intermediate_grip": f_inter,
                "fnih.weakness_bmi": f_weak_bmi, "fnih.low_alm_bmi": f_lean,
                "fnih.low_alm": f_alm, "fnih.slowness": f_slow})
    # SDOC
    s_weak = crit(grip, grip < by_sex(35.5, 20))  # SDOC
    s_slow = crit(gait, gait < 0.8)  # SDOC
    s_weak_bmi = np.where(male, crit(grip_bmi, grip_bmi <= 1.05), -1).astype(np.int8)  # SDOC
    out["cat_sdoc"] = np.select(
        [(s_weak == 1) & (s_slow == 1), (s_weak == 0) | (s_slow == 0)],
        ["sarcopenia", "no_sarcopenia"], "insufficient_data")
    out.update({"sdoc.weakness": s_weak, "sdoc.slowness": s_slow, "sdoc.weakness_bmi": s_weak_bmi})
    return pd.DataFrame(out, index=df.index)[CATEGORY_COLUMNS + CRITERIA]


# ---- prevalence ----------------------------------------------------------

def stat(evaluated, met, w_evaluated, w_met):
    return {
        "evaluated": int(evaluated),
        "met": int(met),
        "percent": round(100.0 * met / evaluated, 4) if evaluated else None,
        "weighted_percent": round(100.0 * w_met / w_evaluated, 4) if w_evaluated else None,
    }


def prevalence(res, weight, sex):
    groups = {}
    for name, mask in (("all", None), ("sex=female", sex == "female"), ("sex=male", sex == "male")):
        r = res if mask is None else res[mask.to_numpy()]
        w = weight if mask is None else weight[mask.to_numpy()]
        n, wsum = len(r), float(w.sum())
        g = {"n": n, "definitions": {}, "criteria": {}}
        for d, cats in DEFINITIONS.items():
            counts = r["cat_" + d].value_counts()
            wcounts = w.groupby(r["cat_" + d]).sum()
            g["definitions"][d] = {"categories": {
                c: stat(n, counts.get(c, 0), wsum, wcounts.get(c, 0.0)) for c in cats}}
        for c in CRITERIA:
            v = r[c]
            known, met = v != -1, v == 1
            g["criteria"][c] = stat(known.sum(), met.sum(), w[known].sum(), w[met].sum())
        groups[name] = g
    return groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--variant", choices=("apply", "vectorised", "both"), default="both")
    ap.add_argument("--json", help="write the counts (agreement check) here")
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = read(args.file)
    t1 = time.perf_counter()
    rows_read = len(df)
    bad = validate(df)
    ok = df[~bad.to_numpy()]
    t2 = time.perf_counter()
    variants = ["apply", "vectorised"] if args.variant == "both" else [args.variant]
    results = {}
    for v in variants:
        t3 = time.perf_counter()
        res = classify_apply(ok) if v == "apply" else classify_vectorised(ok)
        t4 = time.perf_counter()
        groups = prevalence(res, ok["survey_weight"], ok["sex"])
        t5 = time.perf_counter()
        results[v] = groups
        total = (t1 - t0) + (t2 - t1) + (t4 - t3) + (t5 - t4)
        print(f"pandas-{v}: {rows_read} rows, {int(bad.sum())} rejected, {total:.3f} s "
              f"(read_csv {t1 - t0:.3f} s, validate {t2 - t1:.3f} s, classify {t4 - t3:.3f} s, "
              f"prevalence {t5 - t4:.3f} s; pandas {pd.__version__}, numpy {np.__version__})",
              flush=True)
    if len(results) == 2 and results["apply"] != results["vectorised"]:
        print("pandas: the apply and vectorised classifiers DISAGREE", file=sys.stderr)
        return 1
    if args.json:
        doc = {"rows_read": rows_read, "rows_rejected": int(bad.sum()),
               "groups": results[variants[0]]}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
