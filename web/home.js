/*
 * home.js - the patient's home (home.html): today's exercises with how to do
 * them (GET /patients/{id}/plan), a form to log a session, and a check-in
 * (pain, a fall, new symptoms) whose triage advice is shown at once, at the
 * top of the page when it is urgent.
 */
import {
    api, requireSession, el, clear, $, $all, showPageError, isSevere, today, humanize,
    markInvalid, clearInvalid, numberOptions, renderDisclaimer, levelText,
} from './app.js';
import { triageBox, prescriptionView, splitPlan } from './render.js';

const CHECKIN_SYMPTOMS = [
    ['breathing_trouble', 'Trouble breathing, or a weak cough'],
    ['swallowing_trouble', 'Trouble swallowing'],
    ['face_droop', 'One side of my face is drooping'],
    ['speech_trouble', 'Trouble speaking, or slurred words'],
    ['ascending', 'Weakness spreading up from my feet or legs'],
    ['dark_urine', 'Dark pee, like tea or cola'],
    ['bladder_bowel_change', 'New trouble controlling pee or poo'],
    ['sudden_balance_loss', 'I suddenly lost my balance'],
    ['worsening', 'My weakness is getting worse'],
    ['muscle_pain', 'Muscle pain'],
    ['cramps', 'Cramps'],
    ['numbness', 'Numbness or tingling'],
    ['fever', 'Fever'],
];

let patientId = null;
let plan = { rx: {}, triage: null };

function exerciseRows() {
    const box = $('#session-exercises');
    clear(box);
    const list = plan.rx.exercises || [];
    if (!list.length) {
        box.append(el('p', null, 'There are no exercises to log today.'));
        return;
    }
    box.append(el('p', { class: 'hint' }, 'For each exercise you did, give the sets and the repetitions (or seconds held) in your last set. Leave the sets blank for an exercise you skipped.'));
    for (const ex of list) {
        const base = 'x-' + ex.id;
        const isHold = !ex.reps;
        const sets = numberOptions(el('select', { 'data-field': 'sets' }), 1, 10, 'Skipped');
        const reps = el('input', { type: 'text', inputmode: 'numeric', class: 'short', 'data-field': isHold ? 'hold_seconds' : 'reps' });
        const load = el('input', { type: 'text', inputmode: 'decimal', class: 'short', 'data-field': 'load_kg' });
        const fs = el('fieldset', { class: 'exercise-log', 'data-exercise': ex.id, 'data-level': ex.level || 1 },
            el('legend', null, ex.name || humanize(ex.id)),
            el('div', { class: 'inline-fields' },
                el('div', { class: 'field' }, el('label', { for: base + '-sets' }, 'Sets done'), sets),
                el('div', { class: 'field' }, el('label', { for: base + '-reps' }, isHold ? 'Seconds held (last set)' : 'Repetitions in the last set'), reps),
                el('div', { class: 'field' }, el('label', { for: base + '-load' }, 'Weight used, kg (optional)'), load)));
        sets.id = base + '-sets';
        reps.id = base + '-reps';
        load.id = base + '-load';
        box.append(fs);
    }
}

function toNumber(v) {
    const s = v.trim();
    if (s === '') return null;
    return /^[0-9]*\.?[0-9]+$/.test(s) ? Number(s) : s;
}

function sessionBody() {
    const exercises = [];
    for (const fs of $all('#session-exercises fieldset')) {
        const sets = fs.querySelector('[data-field="sets"]').value;
        if (!sets) continue;
        const item = { id: fs.dataset.exercise, level: Number(fs.dataset.level), sets: Number(sets) };
        const reps = fs.querySelector('[data-field="reps"], [data-field="hold_seconds"]');
        const v = toNumber(reps.value);
        if (v !== null) item[reps.dataset.field] = v;
        else if (reps.dataset.field === 'reps') item.reps = 0;
        const load = toNumber(fs.querySelector('[data-field="load_kg"]').value);
        if (load !== null) item.load_kg = load;
        exercises.push(item);
    }
    const body = {
        date: $('#s-date').value,
        effort: Number($('#s-effort').value),
        pain: Number($('#s-pain').value),
        exercises,
    };
    const note = $('#s-note').value.trim();
    if (note) body.note = note;
    return body;
}

/* "exercises[1].reps" -> that row's field; "effort" -> the effort select. */
function fieldFor(form, path) {
    if (!path) return null;
    const m = path.match(/^exercises\[(\d+)\]\.?(\w+)?/);
    if (m) {
        const done = $all('#session-exercises fieldset').filter((fs) => fs.querySelector('[data-field="sets"]').value);
        const fs = done[Number(m[1])];
        if (!fs) return null;
        return fs.querySelector(`[data-field="${m[2] || 'sets'}"]`) || fs.querySelector('select');
    }
    return form.querySelector(`[data-path="${CSS.escape(path.split('.')[0])}"]`);
}

function showFormError(form, statusBox, e) {
    const f = fieldFor(form, e.field);
    if (f) {
        markInvalid(f, e.message);
        f.focus();
    } else {
        clear(statusBox);
        statusBox.append(el('p', { class: 'message error' }, e.message));
    }
}

function setupSessionForm() {
    const form = $('#session-form');
    const status = $('#session-status');
    $('#s-date').value = today();
    $('#s-date').max = today();
    numberOptions($('#s-effort'), 1, 10);
    $('#s-effort').value = '5';
    numberOptions($('#s-pain'), 0, 10);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearInvalid(form);
        clear(status);
        const body = sessionBody();
        if (!body.exercises.length) {
            const first = form.querySelector('[data-field="sets"]');
            if (first) {
                markInvalid(first, 'Give the sets for at least one exercise you did.');
                first.focus();
            }
            return;
        }
        try {
            const res = await api('POST', `/patients/${patientId}/sessions`, body);
            status.append(el('p', { class: 'message ok' }, `Session of ${body.date} saved. Well done.`));
            for (const a of (res && res.alerts) || []) {
                status.append(el('p', { class: 'message' }, a.explanation || humanize(a.kind)));
            }
            if (res && res.plan) {
                plan = splitPlan(res.plan);
                renderPlan();
            }
            form.reset();
            $('#s-date').value = today();
            $('#s-effort').value = '5';
        } catch (e) {
            showFormError(form, status, e);
        }
    });
}

function setupCheckinForm() {
    const form = $('#checkin-form');
    const status = $('#checkin-status');
    $('#c-date').value = today();
    $('#c-date').max = today();
    numberOptions($('#c-pain'), 0, 10);
    const ul = $('#c-symptoms');
    for (const [key, text] of CHECKIN_SYMPTOMS) {
        const id = 'c-sym-' + key;
        ul.append(el('li', { class: 'choice' }, el('input', { type: 'checkbox', id, value: key }), el('label', { for: id }, text)));
    }
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearInvalid(form);
        clear(status);
        const body = {
            date: $('#c-date').value,
            pain: Number($('#c-pain').value),
            fall: $('#c-fall-yes').checked,
        };
        const symptoms = {};
        for (const c of $all('#c-symptoms input:checked')) symptoms[c.value] = true;
        if (Object.keys(symptoms).length) body.symptoms = symptoms;
        const note = $('#c-note').value.trim();
        if (note) body.note = note;
        try {
            const res = await api('POST', `/patients/${patientId}/checkins`, body);
            showCheckinAdvice(res, body);
            form.reset();
            $('#c-date').value = today();
            status.append(el('p', { class: 'message ok' }, `Check-in of ${body.date} sent.`));
        } catch (e) {
            showFormError(form, status, e);
        }
    });
}

/* The re-triage of a check-in, at the top of the page at once. */
function showCheckinAdvice(res, body) {
    const box = $('#checkin-advice');
    clear(box);
    const t = res && res.triage;
    const wrap = el('div', { role: 'alert' });
    if (t) {
        wrap.append(triageBox(t, { heading: 'h2', id: 'checkin-triage' }));
    }
    const alerts = (res && res.alerts) || [];
    if (body.fall || alerts.some((a) => a.kind === 'fall')) {
        wrap.append(el('p', { class: 'message' }, 'Your clinician has been told about your fall. Your exercises stay at the same level until they have looked at it.'));
    }
    for (const a of alerts.filter((x) => x.kind !== 'fall')) wrap.append(el('p', { class: 'message' }, a.explanation || humanize(a.kind)));
    box.append(wrap);
    if (t && isSevere(t.level)) {
        box.scrollIntoView({ block: 'start' });
        box.focus();
    }
}

function renderPlan() {
    const top = $('#plan-triage');
    clear(top);
    if (plan.triage && isSevere(plan.triage.level)) top.append(triageBox(plan.triage, { heading: 'h2' }));
    const box = $('#today');
    clear(box);
    if (plan.triage && !isSevere(plan.triage.level) && plan.triage.level) {
        box.append(el('p', null, el('strong', null, 'Current advice: '), levelText(plan.triage.level), plan.triage.action ? ': ' + plan.triage.action : ''));
    }
    box.append(prescriptionView(plan.rx, { heading: 'h3' }));
    exerciseRows();
}

async function main() {
    const s = await requireSession(['patient']);
    patientId = s.patient_id;
    if (!patientId) return showPageError(new Error('Your account is not linked to a patient record yet. Ask your clinic.'));
    $('#home-links').append(
        el('a', { class: 'button secondary', href: 'progress.html?patient=' + patientId }, 'My progress'),
        el('a', { class: 'button secondary', href: 'assess.html?patient=' + patientId }, 'Self-assessment'),
        el('a', { class: 'button secondary', href: 'report.html?patient=' + patientId }, 'My report'));
    setupSessionForm();
    setupCheckinForm();
    renderDisclaimer();
    try {
        plan = splitPlan(await api('GET', `/patients/${patientId}/plan`));
        if (plan.disclaimer) renderDisclaimer(plan.disclaimer);
    } catch (e) {
        if (e.status !== 404) showPageError(e);
    }
    renderPlan();
}

main().catch((e) => showPageError(e));
