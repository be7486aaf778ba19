/*
 * exercise.c - the exercise part of the plan (REFERENCE §11).
 *
 * The ladder of each movement (regressions to progressions) is a table; the
 * level is chosen from what was measured: the chair stand decides the
 * sit-to-stand level, the SPPB balance score the balance level, a slow gait
 * drops step-ups and keeps heel raises supported, and any sign that standing
 * is unsafe (unable to rise from a chair, no side-by-side stand, unable to
 * walk the SPPB course) gives the seated set instead. Equipment and location
 * choose among variants (bodyweight first, then bands, then weights). A
 * result with nothing measured starts at the easiest level.
 */
#include <math.h>
#include <string.h>

#include "definitions/screening.h"
#include "differential/differential.h"
#include "engine/result.h"
#include "plan/plan.h"

const char *const mt_progression_rule =
    "When you can do 1-2 more repetitions than the target on the last set, at the planned "
    "effort, in two sessions in a row, make it a little harder: add 2-10 % load or move to the "
    "next harder exercise. After a missed session, keep the same load. Step back one level after "
    "pain of 7 out of 10 or more, a fall, or any warning sign.";

const char *const mt_effort_text =
    "moderate: 5-7 out of 10, stopping with 2-4 repetitions still in you; slow and controlled";

#define L(name, how, needs)                                                                        \
    {                                                                                              \
        name, how, needs                                                                           \
    }

static const mt_level sit_to_stand[] = {
    L("Sit to stand from a chair with arms",
      "Sit near the front of a sturdy chair with arms, feet flat. Push with your hands to stand "
      "up, then sit down slowly.",
      0),
    L("Sit to stand without using your arms",
      "Cross your arms over your chest, stand up, then sit down slowly without dropping.", 0),
    L("Sit to stand from a lower chair",
      "As before, from a lower seat, which makes your legs work harder.", 0),
    L("Sit to stand holding a weight",
      "Hold a dumbbell or a full water bottle at your chest while you stand up and sit down.",
      NEEDS(EQ_DUMBBELLS) | NEEDS(EQ_GYM)),
};
static const mt_level push[] = {
    L("Wall push-up",
      "Stand an arm's length from a wall, hands on it at shoulder height. Bend your elbows to "
      "bring your chest to the wall, then push back.",
      0),
    L("Counter push-up",
      "The same with your hands on a kitchen counter or sturdy table, feet further back.", 0),
    L("Floor push-up", "On the floor, on your knees or toes, lower your chest and push back up.",
      0),
};
static const mt_level row[] = {
    L("Band row",
      "Loop a band around something sturdy at chest height. Pull the ends towards you, elbows "
      "close to your sides, squeezing your shoulder blades.",
      NEEDS(EQ_BANDS) | NEEDS(EQ_GYM)),
    L("Dumbbell row",
      "One hand and knee on a bench or chair, pull a dumbbell up towards your hip, then lower "
      "it.",
      NEEDS(EQ_DUMBBELLS) | NEEDS(EQ_GYM)),
};
static const mt_level hinge[] = {
    L("Supported hip hinge",
      "Hold a counter. With a straight back, push your hips back and lean forward a little, then "
      "stand tall by squeezing your buttocks.",
      0),
    L("Deadlift with a light weight",
      "Hold light dumbbells in front of your thighs, push your hips back with a straight back to "
      "lower them to your knees, then stand tall.",
      NEEDS(EQ_DUMBBELLS) | NEEDS(EQ_GYM)),
};
static const mt_level plank[] = {
    L("Plank against a wall or counter",
      "Lean on your forearms against a counter, body straight from head to heels. Hold "
      "while you keep that shape, breathing normally.",
      0),
    L("Plank on your knees", "On the floor on your forearms and knees, body straight. Hold.", 0),
    L("Full plank", "On your forearms and toes, body straight. Hold.", 0),
};
static const mt_level heel_raise[] = {
    L("Heel raises holding on",
      "Hold a counter or chair back. Rise up onto your toes, then lower slowly.", 0),
    L("Heel raises without support", "The same without holding on.", 0),
};
static const mt_level step_up[] = {
    L("Step-ups", "Step up onto a low step with one foot, holding a rail, bring the other foot "
                  "up, then step down. Change the leading foot.",
      0),
};
static const mt_level balance[] = {
    L("Standing with feet together",
      "Stand with your feet side by side, next to a counter you can hold if you need to. Hold "
      "it steadily for up to 10 seconds, as in the balance test.",
      0),
    L("Semi-tandem stand",
      "Stand with the side of one heel against the big toe of the other foot, next to a counter. "
      "Hold it steadily for up to 10 seconds, as in the balance test.",
      0),
    L("Tandem stand",
      "Stand with one heel directly in front of the other toes, next to a counter. Hold it "
      "steadily for up to 10 seconds, as in the balance test.",
      0),
};
static const mt_level water[] = {
    L("Water walking and exercise",
      "Walk and do leg and arm exercises in chest-deep water: the water takes weight off sore "
      "joints.",
      NEEDS(EQ_POOL)),
};
/* Standing is unsafe: everything seated. */
static const mt_level seated_knee[] = {
    L("Seated knee straightening",
      "Sit tall on a sturdy chair. Straighten one knee slowly, hold for a moment, lower. Change "
      "legs.",
      0),
};
static const mt_level seated_march[] = {
    L("Seated marching", "Sit tall and lift one knee, then the other, as if marching.", 0),
};
static const mt_level seated_heel[] = {
    L("Seated heel and toe raises",
      "Sitting, feet flat: lift your heels, lower, then lift your toes, lower.", 0),
};
static const mt_level seated_arms[] = {
    L("Seated arm raises", "Sitting tall, lift your arms forward to shoulder height, then lower.",
      0),
    L("Seated band row",
      "Sitting, loop a band around your feet and pull the ends towards you, elbows close to your "
      "sides.",
      NEEDS(EQ_BANDS) | NEEDS(EQ_GYM)),
};
/* Neurogenic wasting: assisted range of motion (REFERENCE §11). */
static const mt_level rom_arms[] = {
    L("Assisted range of motion: arms",
      "Move each joint of the arms (shoulder, elbow, wrist, fingers) gently through its full "
      "range, with help from the other arm or a helper, as a physiotherapist shows you.",
      0),
};
static const mt_level rom_legs[] = {
    L("Assisted range of motion: legs",
      "Move the hip, knee and ankle gently through their full range, with a helper if needed, as "
      "a physiotherapist shows you.",
      0),
};

#define MV(id, why, src, lv)                                                                       \
    {                                                                                              \
        id, why, src, (int)(sizeof(lv) / sizeof((lv)[0])), lv, DOSE_REPS                           \
    }
#define HOLD(id, why, src, lv)                                                                     \
    {                                                                                              \
        id, why, src, (int)(sizeof(lv) / sizeof((lv)[0])), lv, DOSE_HOLD                           \
    }
#define ASSISTED(id, why, src, lv)                                                                 \
    {                                                                                              \
        id, why, src, (int)(sizeof(lv) / sizeof((lv)[0])), lv, DOSE_NONE                           \
    }

static const mt_movement MV_SIT_TO_STAND = MV(
    "sit_to_stand", "Strong thighs make standing up, stairs and walking easier.", "ICFSR",
    sit_to_stand);
static const mt_movement MV_PUSH =
    MV("push_up", "Chest and arm strength for pushing up from a chair or bed.", "ACSM", push);
static const mt_movement MV_ROW =
    MV("row", "Back and arm strength for pulling, lifting and good posture.", "ACSM", row);
static const mt_movement MV_HINGE =
    MV("hip_hinge", "Hip and back strength for bending and lifting safely.", "ACSM", hinge);
static const mt_movement MV_PLANK =
    HOLD("plank", "A strong trunk keeps you steady on your feet.", "ACSM", plank);
static const mt_movement MV_HEEL_RAISE =
    MV("heel_raise", "Calf strength for walking and balance.", "ACSM", heel_raise);
static const mt_movement MV_STEP_UP =
    MV("step_up", "Leg strength for stairs and kerbs.", "ACSM", step_up);
static const mt_movement MV_BALANCE =
    HOLD("balance", "Better balance means fewer falls.", "ICFSR", balance);
static const mt_movement MV_WATER =
    MV("water", "Exercise with less load on painful joints.", "ICFSR", water);
static const mt_movement MV_SEATED_KNEE =
    MV("seated_knee_extension", "Thigh strength, safely seated.", "ACSM", seated_knee);
static const mt_movement MV_SEATED_MARCH =
    MV("seated_march", "Hip strength, safely seated.", "ACSM", seated_march);
static const mt_movement MV_SEATED_HEEL =
    MV("seated_heel_toe_raise", "Ankle and calf strength, safely seated.", "ACSM", seated_heel);
static const mt_movement MV_SEATED_ARMS =
    MV("seated_arms", "Arm and shoulder strength, safely seated.", "ACSM", seated_arms);
static const mt_movement MV_ROM_ARMS =
    ASSISTED("range_of_motion_arms", "Keeps the joints moving and the muscles from tightening.",
       "CAUSES", rom_arms);
static const mt_movement MV_ROM_LEGS =
    ASSISTED("range_of_motion_legs", "Keeps the joints moving and the muscles from tightening.",
       "CAUSES", rom_legs);

/* Every movement, for the tracking engine's look-up of a logged exercise id. */
static const mt_movement *const movements[] = {
    &MV_SIT_TO_STAND, &MV_PUSH,        &MV_ROW,          &MV_HINGE,       &MV_PLANK,
    &MV_HEEL_RAISE,   &MV_STEP_UP,     &MV_BALANCE,      &MV_WATER,       &MV_SEATED_KNEE,
    &MV_SEATED_MARCH, &MV_SEATED_HEEL, &MV_SEATED_ARMS,  &MV_ROM_ARMS,    &MV_ROM_LEGS,
};

const mt_movement *mt_movement_find(const char *id, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(movements) / sizeof(movements[0]); i++)
        if (strlen(movements[i]->id) == len && memcmp(movements[i]->id, id, len) == 0)
            return movements[i];
    return NULL;
}

void mt_movement_ids(char *dst, size_t cap)
{
    size_t i, o = 0;

    if (cap)
        dst[0] = '\0';
    for (i = 0; i < sizeof(movements) / sizeof(movements[0]); i++) {
        size_t n = strlen(movements[i]->id);
        if (o + n + 3 > cap)
            break;
        if (o) {
            memcpy(dst + o, ", ", 2);
            o += 2;
        }
        memcpy(dst + o, movements[i]->id, n + 1);
        o += n;
    }
}

/* Equipment the person can use: given, or implied by the location (a gym has weights). */
static unsigned equipment(const mt_input *in)
{
    unsigned e = in->pref.equipment.known ? in->pref.equipment.bits : 0;

    if (in->pref.location == LOC_GYM)
        e |= NEEDS(EQ_GYM);
    return e;
}

static int usable(const mt_level *lv, unsigned have)
{
    return lv->needs == 0 || (lv->needs & have) != 0;
}

int mt_level_usable(const mt_input *in, const mt_movement *mv, int level)
{
    return level >= 0 && level < mv->n_levels && usable(&mv->levels[level], equipment(in));
}

/* The level of mv nearest to `want` that the equipment allows: easier first,
 * else harder (a band row without a band, but with dumbbells, is a dumbbell row); -1 if none. */
static int nearest_usable(const mt_movement *mv, int want, unsigned have)
{
    int lv = want < mv->n_levels ? want : mv->n_levels - 1, up;

    for (up = lv; lv >= 0 && !usable(&mv->levels[lv], have); lv--)
        ;
    if (lv >= 0)
        return lv;
    for (up++; up < mv->n_levels; up++)
        if (usable(&mv->levels[up], have))
            return up;
    return -1;
}

/* Add movement mv at `want`, or the nearest level the equipment allows. */
static int add(mt_result *r, const mt_movement *mv, int want, unsigned have)
{
    mt_plan *p = &r->plan;
    mt_prescribed *x;
    int lv = nearest_usable(mv, want, have);

    if (lv < 0 || p->exercise.n >= MT_MAX_EXERCISES)
        return 0;
    x = &p->exercise.ex[p->exercise.n++];
    x->mv = mv;
    x->level = lv;
    if (mv->dose != DOSE_NONE) {
        x->sets[0] = 1;
        x->sets[1] = 3;
    }
    if (mv->dose == DOSE_REPS) {
        x->reps[0] = p->exercise.beginner ? 10 : 8;
        x->reps[1] = p->exercise.beginner ? 15 : 12;
    }
    return 1;
}

static void precaution(mt_result *r, const char *id, const char *text, const char *reason,
                       const char *source)
{
    mt_item_add(r->plan.exercise.precautions, &r->plan.exercise.n_precautions, MT_MAX_ITEMS, id,
                text, reason, source);
}

/* Standing exercise is unsafe: cannot rise from a chair, hold feet together, or walk the
 * SPPB course. */
static int standing_unsafe(const mt_result *r)
{
    const mt_input *in = &r->in;
    return in->chair_stand_5x.state == MT_Q_UNABLE || in->sppb.chair_5x.state == MT_Q_UNABLE ||
           in->sppb.walk.state == MT_Q_UNABLE || r->sppb.balance == 0 || r->sppb.chair == 0 ||
           r->sppb.gait == 0;
}

void mt_plan_exercise(mt_result *r)
{
    mt_plan *p = &r->plan;
    const mt_input *in = &r->in;
    unsigned have = equipment(in);
    int level = r->triage.level;

    p->exercise.beginner = !mt_plan_row_met(r, PLAN_EXERCISING);
    p->exercise.load_progression = 1;
    if (level <= LEVEL_URGENT) {
        p->exercise.status = EX_NOT_UNTIL_SEEN;
        p->exercise.load_progression = 0;
        precaution(r, "see_care_first", "No exercise until you have been seen.",
                   "A warning sign needs medical care before any exercise.", "REDFLAGS");
        return;
    }
    if (mt_neurogenic_plan(r)) {
        p->exercise.status = EX_ASSISTED;
        p->exercise.load_progression = 0;
        add(r, &MV_ROM_ARMS, 0, have);
        add(r, &MV_ROM_LEGS, 0, have);
        precaution(r, "no_load_progression", "Do not add load on your own.",
                   "Nerve-related weakness is not trained like disuse: a physiotherapist guides "
                   "what to add.",
                   "CAUSES");
        precaution(r, "electrical_stimulation",
                   "Electrical muscle stimulation (FES/NMES) is for a clinician to decide.",
                   "It can help some nerve-related weakness but needs a clinician's choice.",
                   "CAUSES");
        return;
    }
    p->exercise.status = mt_serious_illness(r) || in->setting == MT_HOSPITAL ? EX_WITH_TEAM
                                                                           : EX_ACTIVE;
    if (standing_unsafe(r)) {
        p->exercise.seated = 1;
        add(r, &MV_SEATED_KNEE, 0, have);
        add(r, &MV_SEATED_MARCH, 0, have);
        add(r, &MV_SEATED_HEEL, 0, have);
        add(r, &MV_SEATED_ARMS, 1, have);
        add(r, &MV_SIT_TO_STAND, 0, have);
        precaution(r, "seated", "Do these seated; stand up only with someone beside you.",
                   "Rising from a chair, standing with feet together or walking the test course "
                   "was not possible, so standing exercise is not safe yet.",
                   "ICFSR");
    } else {
        int slow_chair = r->found.slow_chair, slow_gait = r->found.slow_gait;
        int bal = r->sppb.balance; /* 1: feet together, 2: semi-tandem, 3-4: tandem */
        int fit = !p->exercise.beginner;

        /* eight movements for the major muscle groups (ACSM: 8-10) */
        add(r, &MV_SIT_TO_STAND, slow_chair == 0 ? 1 + fit : 0, have);
        add(r, &MV_PUSH, fit, have);
        int pulling = add(r, &MV_ROW, fit, have);
        add(r, &MV_HINGE, fit, have);
        add(r, &MV_PLANK, fit, have);
        add(r, &MV_HEEL_RAISE, slow_gait == 0 && bal >= 3 ? 1 : 0, have);
        if (slow_gait == 0) /* step-ups only with a gait known not to be slow */
            add(r, &MV_STEP_UP, 0, have);
        else
            add(r, &MV_SEATED_KNEE, 0, have);
        add(r, &MV_BALANCE, bal >= 3 ? 2 : bal == 2 ? 1 : 0, have);
        if (!pulling) {
            add(r, &MV_SEATED_ARMS, 0, have); /* shoulders, in place of the row */
            precaution(r, "no_pulling_exercise",
                       "A resistance band (inexpensive) would add a pulling exercise for the "
                       "back.",
                       "Without a band or weights there is no safe pulling exercise at home.",
                       "ACSM");
        }
    }
    if (have & NEEDS(EQ_POOL))
        add(r, &MV_WATER, 0, have);
    if (p->exercise.status == EX_WITH_TEAM)
        precaution(r, "treating_team", "Agree this plan with your treating team before you start.",
                   in->setting == MT_HOSPITAL
                       ? "In hospital, exercise is planned with the team caring for you."
                       : "With cachexia or serious illness, exercise is done only with the "
                         "treating team's agreement.",
                   mt_serious_illness(r) ? "FEARON" : "ICFSR");
    if (level == LEVEL_PROMPT)
        precaution(r, "until_seen_easy",
                   "Until you have seen a doctor, keep to the easiest level and stop if pain or "
                   "weakness gets worse.",
                   "A sign that needs checking was found.", "REDFLAGS");
    if (r->screening.crit[SCR_TUG_FALL_RISK].met == 1 ||
        (in->hx.falls_past_year > 0) || (r->in.sarc_f_form && r->in.sarc_f[4] > 0))
        precaution(r, "fall_risk",
                   "Hold on to a counter or sturdy chair for standing exercises, with someone "
                   "nearby.",
                   "A fall in the past year or a slow Timed Up and Go means a higher risk of "
                   "falling.",
                   "SHUMWAY");
    if (MT_YES(in->sym.muscle_pain))
        precaution(r, "pain", "Stop an exercise that causes pain of 7 out of 10 or more.",
                   "Pain that strong means stepping back one level.", "ACSM");
}
