/*
 * assess.js - the questionnaire (assess.html?patient=N), in the terminal
 * questionnaire's order (docs/questionnaire.md): the warning signs first,
 * triaged by the server (POST /api/v1/triage) before anything else is asked;
 * an emergency or urgent answer stops here with the advice. Then about you,
 * SARC-F, test results typed with their units as people write them ("53 lb",
 * "5 ft 7 in", "6:30"), symptoms, health story and exercise plans.
 *
 * The page decides nothing: values go to the server as typed, and the
 * engine's 422 message is shown next to the field it names.
 */
import {
    api, request, requireSession, el, clear, $, $all, idParam, showPageError, hidePageError,
    markInvalid, clearInvalid, isSevere,
} from './app.js';
import { triageBox } from './render.js';

/* --- the questions, as data ------------------------------------------------ */

const WARNING_SIGNS = [
    ['face_droop', 'Is one side of your face drooping?'],
    ['speech_trouble', 'Do you have trouble speaking, or do your words come out slurred?'],
    ['vision_trouble', 'Did you suddenly have trouble seeing, or start seeing double?'],
    ['sudden_balance_loss', 'Did you suddenly lose your balance?'],
    ['one_side_weak', 'Did one side of your body suddenly become weak?'],
    ['breathing_trouble', 'Do you have trouble breathing, or is your cough weak?'],
    ['swallowing_trouble', 'Do you have trouble swallowing?'],
    ['ascending', 'Is the weakness spreading upward, starting in your feet or legs?'],
    ['saddle_numbness', 'Is the skin numb between your legs or around your bottom?'],
    ['bladder_bowel_change', 'Is it newly hard to control your pee or poo?'],
    ['dark_urine', 'Is your pee dark, like tea or cola?'],
];

const SARC_F = [
    ['strength', 'How much difficulty do you have lifting and carrying 10 pounds (4.5 kg)?',
        ['None', 'Some', 'A lot, or unable']],
    ['walking', 'How much difficulty do you have walking across a room?',
        ['None', 'Some', 'A lot, use aids, or unable']],
    ['chair', 'How much difficulty do you have getting up from a chair or bed?',
        ['None', 'Some', 'A lot, or unable without help']],
    ['stairs', 'How much difficulty do you have climbing a flight of 10 stairs?',
        ['None', 'Some', 'A lot, or unable']],
    ['falls', 'How many times have you fallen in the past year?',
        ['None', '1 to 3 falls', '4 or more falls']],
];

/* [path, label, hint, kind]: kind "unit" is sent as typed (a plain number as
 * a number), "num" as a number when it is one. */
const MEASUREMENTS = [
    ['measurements.grip', 'Grip strength, best reading', 'In kg unless you type a unit: for example 24 kg or 53 lb.', 'unit'],
    ['measurements.chair_stand_5x', 'Five chair stands: time', 'In seconds: for example 14.2 s, or type “unable”.', 'unit'],
    ['measurements.gait_speed', 'Usual walking speed', 'In m/s: for example 1.1 m/s or 2 mph. If you timed a walk instead, give its distance and time below.', 'unit'],
    ['measurements.walk.distance', 'Timed walk: distance', 'In metres: for example 4 m or 13 ft.', 'unit'],
    ['measurements.walk.time', 'Timed walk: time', 'In seconds: for example 4.8 s.', 'unit'],
    ['measurements.tug', 'Timed Up and Go', 'In seconds: for example 11 s.', 'unit'],
    ['measurements.calf', 'Calf circumference', 'In cm: for example 33 cm or 13 in.', 'unit'],
    ['measurements.six_minute_walk', 'Six-minute walk distance', 'In metres: for example 400 m or 1300 ft.', 'unit'],
    ['measurements.sppb.total', 'SPPB total score', 'A whole number from 0 to 12.', 'num'],
];

const YES_NO_SYMPTOMS = [
    ['worsening', 'Is it getting worse now?'],
    ['numbness', 'Numbness or tingling?'],
    ['fasciculations', 'Twitching under the skin?'],
    ['cramps', 'Cramps?'],
    ['muscle_pain', 'Muscle pain?'],
    ['fatigable', 'Weakness that gets worse with use and better with rest?'],
    ['drooping_eyelids', 'Drooping eyelids?'],
    ['double_vision', 'Double vision?'],
    ['proximal', 'Trouble rising from a chair or lifting your arms?'],
    ['recent_infection', 'An infection in the last few weeks?'],
    ['fever', 'Fever?'],
    ['fatigue', 'Tired most days?'],
];

const CONDITIONS = [
    ['cancer', 'Cancer'], ['copd', 'COPD (lung disease)'], ['heart_failure', 'Heart failure'],
    ['ckd', 'Kidney disease'], ['diabetes', 'Diabetes'], ['rheumatoid_arthritis', 'Rheumatoid arthritis'],
    ['hiv', 'HIV'], ['multiple_sclerosis', 'Multiple sclerosis'], ['stroke', 'Stroke'],
    ['parkinsons', 'Parkinson’s disease'], ['liver_disease', 'Liver disease'], ['other', 'Another long-term illness'],
];

const MEDICATIONS = [
    ['corticosteroid', 'Steroid tablets (corticosteroids)'], ['statin', 'Statin (for cholesterol)'],
    ['fluoroquinolone', 'Fluoroquinolone antibiotic'], ['chemotherapy', 'Chemotherapy'],
    ['anticonvulsant', 'Anti-seizure medicine'], ['other', 'Another medicine that may affect muscles'],
];

const EQUIPMENT = [
    ['none', 'Nothing'], ['chair', 'A sturdy chair'], ['bands', 'Resistance bands'],
    ['dumbbells', 'Dumbbells'], ['gym', 'A gym'], ['pool', 'A pool'],
];

/* --- building the form ------------------------------------------------------- */

function idFor(path) {
    return 'q-' + path.replace(/[^a-zA-Z0-9_]+/g, '-');
}

function textField(path, label, hint, kind, extra = {}) {
    const input = el('input', {
        type: 'text', name: path, 'data-path': path, 'data-kind': kind,
        autocomplete: 'off', spellcheck: 'false', inputmode: extra.inputmode || null, class: extra.short ? 'short' : null,
    });
    const id = idFor(path);
    input.id = id;
    const wrap = el('div', { class: 'field' }, el('label', { for: id }, label));
    if (hint) {
        wrap.append(el('p', { class: 'hint', id: id + '-hint' }, hint));
        input.setAttribute('aria-describedby', id + '-hint');
    }
    wrap.append(input);
    return wrap;
}

function selectField(path, label, options, kind, hint) {
    const id = idFor(path);
    const select = el('select', { id, name: path, 'data-path': path, 'data-kind': kind });
    for (const [value, text] of options) select.append(el('option', { value }, text));
    const wrap = el('div', { class: 'field' }, el('label', { for: id }, label));
    if (hint) {
        wrap.append(el('p', { class: 'hint', id: id + '-hint' }, hint));
        select.setAttribute('aria-describedby', id + '-hint');
    }
    wrap.append(select);
    return wrap;
}

const YN = [['', 'Not answered'], ['yes', 'Yes'], ['no', 'No']];

function yesNo(path, label) {
    return selectField(path, label, YN, 'bool');
}

function checkList(path, legend, items) {
    const fs = el('fieldset', { 'data-path': path, 'data-kind': 'list', class: 'field' }, el('legend', null, legend));
    const ul = el('ul', { class: 'choice-list' });
    for (const [value, text] of items) {
        const id = idFor(path + '-' + value);
        ul.append(el('li', { class: 'choice' },
            el('input', { type: 'checkbox', id, name: path, value }), el('label', { for: id }, text)));
    }
    fs.append(ul);
    return fs;
}

function warningQuestion([key, text], i) {
    const name = 'ws-' + key;
    const fs = el('fieldset', { 'data-warning': key, 'data-path': key === 'one_side_weak' ? null : 'symptoms.' + key });
    fs.append(el('legend', null, `${i + 1}. ${text}`));
    const ul = el('ul', { class: 'choice-list' });
    for (const [value, label] of [['yes', 'Yes'], ['no', 'No'], ['unsure', 'Not sure']]) {
        const id = name + '-' + value;
        ul.append(el('li', { class: 'choice' },
            el('input', { type: 'radio', id, name, value, required: true }), el('label', { for: id }, label)));
    }
    fs.append(ul);
    return el('div', { class: 'field', id: name + '-group' }, fs);
}

function build() {
    $('#warning-questions').append(...WARNING_SIGNS.map(warningQuestion));

    $('#about').append(el('div', { class: 'form-grid' },
        selectField('person.sex', 'Sex', [['', 'Choose…'], ['female', 'Female'], ['male', 'Male']], 'enum'),
        textField('person.age', 'Age in years', 'From 18 to 120.', 'num', { inputmode: 'numeric', short: true }),
        textField('person.height', 'Height', 'In cm unless you type a unit: for example 170 cm or 5 ft 7 in.', 'unit'),
        textField('person.weight', 'Weight', 'In kg unless you type a unit: for example 70 kg or 154 lb.', 'unit')));

    $('#sarcf').append(...SARC_F.map(([key, text, answers]) =>
        selectField('sarc_f.' + key, text, [['', 'Not answered'], ...answers.map((a, i) => [String(i), `${i}: ${a}`])], 'num')));

    $('#measurements').append(el('div', { class: 'form-grid' },
        MEASUREMENTS.map(([path, label, hint, kind]) => textField(path, label, hint, kind))));

    $('#symptoms').append(el('div', { class: 'form-grid' },
        selectField('symptoms.onset', 'When did the weakness or muscle loss begin?',
            [['', 'Not answered'], ['sudden', 'Suddenly'], ['days', 'Over days'], ['weeks', 'Over weeks'], ['months', 'Over months'], ['years', 'Over years']], 'enum'),
        selectField('symptoms.side', 'Is it one side of your body, or both?', [['', 'Not answered'], ['one', 'One side'], ['both', 'Both sides']], 'enum'),
        YES_NO_SYMPTOMS.map(([key, text]) => yesNo('symptoms.' + key, text))));

    const labs = el('details', { class: 'card' }, el('summary', null, 'Blood test results (if you have them)'),
        el('div', { class: 'form-grid' },
            textField('history.labs.ck', 'CK (creatine kinase), U/L', null, 'num', { inputmode: 'decimal' }),
            textField('history.labs.ck_uln', 'The lab’s upper limit of normal for CK, U/L', 'CK needs it.', 'num', { inputmode: 'decimal' }),
            textField('history.labs.egfr', 'eGFR, mL/min/1.73 m²', null, 'num', { inputmode: 'decimal' }),
            yesNo('history.labs.on_dialysis', 'On dialysis?'),
            textField('history.labs.crp', 'CRP, mg/L', null, 'num', { inputmode: 'decimal' }),
            textField('history.labs.hemoglobin', 'Hemoglobin, g/dL', '120 g/L is 12 g/dL.', 'num', { inputmode: 'decimal' }),
            textField('history.labs.albumin', 'Albumin, g/dL', '35 g/L is 3.5 g/dL.', 'num', { inputmode: 'decimal' }),
            textField('history.labs.vitamin_d', 'Vitamin D (25-hydroxy), ng/mL', 'nmol/L ÷ 2.5.', 'num', { inputmode: 'decimal' })));

    $('#history').append(
        el('div', { class: 'form-grid' },
            textField('history.immobilization_weeks', 'Weeks in a cast, brace or splint', null, 'num', { inputmode: 'decimal' }),
            textField('history.immobilized_part', 'Which part was in the cast, brace or splint?', 'For example “left leg”.', 'text'),
            textField('history.bed_rest_days', 'Days mostly in bed', null, 'num', { inputmode: 'numeric' }),
            textField('history.weight_6_months_ago', 'Weight 6 months ago', 'For example 72 kg or 160 lb.', 'unit'),
            textField('history.weight_12_months_ago', 'Weight 12 months ago', null, 'unit'),
            yesNo('history.appetite_reduced', 'Is your appetite smaller than usual?'),
            textField('history.intake_percent_of_usual', 'How much of your usual amount do you eat now (%)?', 'For example 75 or 75%.', 'num', { inputmode: 'decimal' }),
            yesNo('history.childhood_onset', 'Weakness since childhood?'),
            yesNo('history.family_history_neuromuscular', 'Family history of a muscle or nerve disease?'),
            textField('history.falls_past_year', 'Falls in the past year (number)', null, 'num', { inputmode: 'numeric' }),
            textField('history.exercise_sessions_per_week', 'Strength or other exercise sessions a week now', null, 'num', { inputmode: 'numeric' })),
        checkList('history.conditions', 'Long-term illnesses (tick all that apply)', CONDITIONS),
        checkList('history.medications', 'Medicines (tick all that apply)', MEDICATIONS),
        labs);

    $('#preferences').append(
        checkList('preferences.equipment', 'What can you use for exercise? (tick all that apply)', EQUIPMENT),
        selectField('preferences.location', 'Where will you exercise?', [['', 'Not answered'], ['home', 'At home'], ['gym', 'At a gym'], ['clinic', 'At a clinic']], 'enum'));
}

/* --- reading the answers ---------------------------------------------------- */

function setPath(doc, path, value) {
    const keys = path.split('.');
    let o = doc;
    for (const k of keys.slice(0, -1)) o = o[k] || (o[k] = {});
    o[keys[keys.length - 1]] = value;
}

const NUMBER = /^\s*[0-9]*\.?[0-9]+\s*$/;

function readValue(node) {
    const kind = node.dataset.kind;
    if (kind === 'list') {
        const v = $all('input:checked', node).map((c) => c.value);
        return v.length ? v : undefined;
    }
    const raw = node.value.trim();
    if (raw === '') return undefined;
    if (kind === 'bool') return raw === 'yes';
    if (kind === 'num') {
        const s = raw.replace(/\s*%$/, '');
        return NUMBER.test(s) ? Number(s) : raw;
    }
    if (kind === 'unit') return NUMBER.test(raw) ? Number(raw) : raw;
    return raw;
}

/* The warning signs as the symptoms section: yes true, no false, not sure
 * null (not asked); a sudden one-sided weakness or sudden vision trouble
 * sets the onset and side the engine's stroke pattern reads. */
function warningSymptoms() {
    const symptoms = {};
    let unanswered = null;
    for (const [key] of WARNING_SIGNS) {
        const checked = $(`input[name="ws-${key}"]:checked`);
        if (!checked) {
            unanswered = unanswered || key;
            continue;
        }
        const v = checked.value === 'yes' ? true : checked.value === 'no' ? false : null;
        if (key === 'one_side_weak') {
            if (v === true) {
                symptoms.onset = 'sudden';
                symptoms.side = 'one';
            }
            continue;
        }
        symptoms[key] = v;
        if (key === 'vision_trouble' && v === true) symptoms.onset = 'sudden';
    }
    return { symptoms, unanswered };
}

function readDocument() {
    const doc = {};
    for (const node of $all('#rest [data-path]')) {
        const v = readValue(node);
        if (v !== undefined) setPath(doc, node.dataset.path, v);
    }
    const { symptoms } = warningSymptoms();
    doc.symptoms = Object.assign(doc.symptoms || {}, symptoms);
    return doc;
}

/* --- errors next to their field ---------------------------------------------- */

function fieldFor(path) {
    if (!path) return null;
    let p = path.replace(/\[\d+\]/g, '');
    while (p) {
        const exact = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
        const node = exact || document.querySelector(`[data-path^="${CSS.escape(p + '.')}"]`);
        if (node) {
            if (node.tagName === 'FIELDSET') return node.querySelector('input');
            return node;
        }
        p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
    }
    return null;
}

function showFieldError(err) {
    const f = fieldFor(err.field);
    if (!f) {
        showPageError(err, $('#form-error'));
        return;
    }
    const details = f.closest('details');
    if (details) details.open = true;
    markInvalid(f, err.field ? `${err.message}` : err.message);
    f.focus();
}

/* --- the flow ------------------------------------------------------------------ */

function stopWith(triage) {
    const stop = $('#stop');
    clear(stop);
    stop.hidden = false;
    stop.append(triageBox(triage, { heading: 'h2', alert: true, id: 'stop-advice', focusable: true }),
        el('p', { class: 'advice-action' },
            'The questions stop here so that you can get help now. Your answers were not saved.'));
    $('#assess-form').hidden = true;
    $('#stop-advice').focus();
}

async function checkWarningSigns(patientId) {
    const form = $('#assess-form');
    clearInvalid(form);
    hidePageError($('#form-error'));
    const { symptoms, unanswered } = warningSymptoms();
    if (unanswered) {
        const first = $(`input[name="ws-${unanswered}"]`);
        markInvalid(first, 'Please answer this question: Yes, No or Not sure.');
        first.focus();
        return;
    }
    const button = $('#warning-next');
    button.disabled = true;
    let t;
    try {
        t = await api('POST', '/triage', { symptoms });
    } catch (e) {
        button.disabled = false;
        showFieldError(e);
        return;
    }
    button.disabled = false;
    if (isSevere(t.level)) {
        stopWith(t);
        return;
    }
    button.hidden = true;
    const note = $('#triage-note');
    clear(note);
    if (t.level === 'prompt') note.append(triageBox(t, { heading: 'h3' }));
    else note.append(el('p', { class: 'message ok' }, 'No warning sign so far. Please go on.'));
    $('#rest').hidden = false;
    prefill(patientId);
    $('#about-heading').setAttribute('tabindex', '-1');
    $('#about-heading').focus();
}

let prefilled = false;

async function prefill(patientId) {
    if (prefilled) return;
    prefilled = true;
    try {
        const p = await api('GET', '/patients/' + patientId);
        const sex = $('#' + idFor('person.sex'));
        if (p.sex && !sex.value) sex.value = p.sex;
        const age = $('#' + idFor('person.age'));
        if (p.birth_date && !age.value) {
            const b = new Date(p.birth_date + 'T00:00:00');
            const now = new Date();
            let years = now.getFullYear() - b.getFullYear();
            if (now.getMonth() < b.getMonth() || (now.getMonth() === b.getMonth() && now.getDate() < b.getDate())) years--;
            if (years > 0) age.value = String(years);
        }
        $('#assess-title-name').textContent = ' for ' + p.display_name;
    } catch {
        /* the form works without it */
    }
}

async function submit(patientId) {
    const form = $('#assess-form');
    clearInvalid(form);
    hidePageError($('#form-error'));
    const button = $('#submit-assessment');
    button.disabled = true;
    const doc = readDocument();
    try {
        const { data, res } = await request('POST', `/patients/${patientId}/assessments`, doc);
        let aid = null;
        const loc = res.headers.get('Location') || '';
        const m = loc.match(/assessments\/([0-9]+)/);
        if (m) aid = m[1];
        if (!aid && data && data.id) aid = data.id;
        if (!aid) {
            const list = await api('GET', `/patients/${patientId}/assessments`);
            if (list.length) aid = list[0].id;
        }
        location.assign(`result.html?patient=${patientId}&assessment=${encodeURIComponent(aid)}`);
    } catch (e) {
        button.disabled = false;
        if (e.status === 422 || e.field) showFieldError(e);
        else showPageError(e, $('#form-error'));
    }
}

async function main() {
    const s = await requireSession(['clinician', 'patient']);
    const patientId = idParam('patient') || (s.role === 'patient' ? String(s.patient_id) : null);
    if (!patientId) return showPageError(new Error('No patient was chosen. Open a patient first.'));
    const h1 = $('h1');
    h1.append(el('span', { id: 'assess-title-name' }));
    build();
    $('#warning-next').addEventListener('click', () => checkWarningSigns(patientId));
    $('#assess-form').addEventListener('submit', (ev) => {
        ev.preventDefault();
        if ($('#rest').hidden) checkWarningSigns(patientId);
        else submit(patientId);
    });
    if (s.role === 'patient') {
        const intro = el('p', null, 'This self-assessment takes about ten minutes. Your clinician will see the result.');
        h1.after(intro);
    }
}

main().catch((e) => showPageError(e));
