/*
 * result.js - one assessment's result (result.html?patient=N&assessment=M),
 * in the text report's order (docs/output.md): what to do now (triage)
 * first, then the likely cause, the plan, the tests, every definition side
 * by side with each criterion's measured value against its threshold and
 * source, the full citations and the engine's disclaimer.
 */
import {
    api, requireSession, el, $, idParam, showPageError, levelBadge, isSevere, humanize, fmtNumber,
    fmtRange, fmtDate, table, renderDisclaimer,
} from './app.js';
import { triageBox, exerciseCard } from './render.js';

function renderTriage(t) {
    const body = $('#triage-body');
    body.append(triageBox(t, { heading: 'h3', id: 'triage-advice' }));
    if (t.results_secondary || isSevere(t.level)) {
        body.append(el('p', { class: 'secondary-note' },
            '!! Act on the advice above first: everything below is secondary.'));
    }
}

function renderDifferential(list) {
    const body = $('#differential-body');
    if (!list || !list.length) {
        body.append(el('p', null, 'No cause stands out from these answers.'));
        return;
    }
    for (const d of list) {
        const card = el('article', { class: 'card', 'data-cause': d.cause },
            el('h3', null, humanize(d.cause), el('span', { class: 'muted' }, ` (${d.likelihood} likelihood)`)));
        const part = (title, items) => {
            if (items && items.length) card.append(el('p', null, el('strong', null, title)), el('ul', null, items.map((x) => el('li', null, x))));
        };
        part('For:', d.supporting);
        part('Against:', d.against);
        part('Next steps:', d.next_steps);
        if (d.source) card.append(el('p', { class: 'muted' }, 'Source: ' + d.source));
        body.append(card);
    }
}

function renderPlan(plan) {
    const body = $('#plan-body');
    if (!plan) return;
    const ex = plan.exercise;
    if (ex) {
        body.append(el('h3', null, 'Exercise'));
        body.append(el('p', null, el('strong', null, 'Status: '), humanize(ex.status),
            ex.sessions_per_week ? ` · ${fmtRange(ex.sessions_per_week)} sessions a week` : '',
            ex.rest_hours_between ? ` · at least ${ex.rest_hours_between} hours between sessions` : ''));
        for (const x of ex.exercises || []) body.append(exerciseCard(x, { heading: 'h4' }));
        if (ex.progression_rule) body.append(el('p', null, el('strong', null, 'When to make it harder: '), ex.progression_rule));
        if (ex.precautions && ex.precautions.length) {
            body.append(el('h4', null, 'Precautions'), el('ul', null, ex.precautions.map((p) =>
                el('li', null, p.text, ' ', el('span', { class: 'muted' }, `(${p.reason} [${p.source}])`)))));
        }
    }
    const n = plan.nutrition;
    if (n) {
        body.append(el('h3', null, 'Protein and energy'));
        const dl = el('dl', { class: 'details' });
        const row = (k, v) => dl.append(el('dt', null, k), el('dd', null, v));
        row('Protein per kg of body weight', fmtRange(n.protein_g_per_kg) + ' g a day');
        row('Protein per day', n.protein_g_per_day ? fmtRange(n.protein_g_per_day) + ' g' : '— (needs your weight)');
        row('Protein per meal', n.per_meal_g ? fmtRange(n.per_meal_g) + ' g' : '—');
        row('Energy', n.energy_kcal_per_day ? fmtNumber(n.energy_kcal_per_day) + ' kcal a day' : '—');
        row('Why', `${n.reason || ''} [${n.source}]`);
        body.append(dl);
        if (n.warnings && n.warnings.length) {
            body.append(el('ul', null, n.warnings.map((w) => el('li', { class: 'message' }, w.text, ' ', el('span', { class: 'muted' }, `(${w.reason} [${w.source}])`)))));
        }
    }
    if (plan.referrals && plan.referrals.length) {
        body.append(el('h3', null, 'Who to see'), el('ul', null, plan.referrals.map((r) =>
            el('li', null, el('strong', null, r.to), ' ', r.reason, ' ', el('span', { class: 'muted' }, `[${r.source}]`)))));
    }
    if (plan.tests_to_request && plan.tests_to_request.length) {
        body.append(el('h3', null, 'Tests to ask about'), el('ul', null, plan.tests_to_request.map((t) =>
            el('li', null, el('strong', null, t.test), ': ', t.reason, ' ', el('span', { class: 'muted' }, `[${t.source}]`)))));
    }
    const f = plan.follow_up;
    if (f) {
        body.append(el('h3', null, 'Follow-up'), el('p', null,
            f.re_measure_in_weeks ? `Measure again in ${f.re_measure_in_weeks} weeks` : 'Measure again when your clinician advises',
            f.measures && f.measures.length ? ': ' + f.measures.map(humanize).join(', ') + '. ' : '. ',
            f.reason || '', ' ', el('span', { class: 'muted' }, `[${f.source}]`)));
    }
}

function renderTests(r) {
    const body = $('#tests-body');
    const t = r.tests || {};
    const s = r.screening || {};
    const rows = [];
    const val = (v) => (v && typeof v === 'object' ? v.value ?? v.total ?? v.score : v);
    const add = (name, v, unit, extra) => {
        if (v === null || v === undefined) return;
        rows.push([name, fmtNumber(v), unit || '', extra || '']);
    };
    add('Grip (best)', val(t.grip), 'kg', t.grip && t.grip.centile_band ? 'centile ' + t.grip.centile_band + ' [' + t.grip.source + ']' : '');
    add('Gait speed', t.gait_speed, 'm/s', t.gait_speed_source ? 'from ' + t.gait_speed_source : '');
    add('Five chair stands', val(t.chair_stand_5x), 's', '');
    add('SPPB total', t.sppb && t.sppb.total, 'points', '');
    add('Timed Up and Go', val(t.tug), 's', t.tug && t.tug.fall_risk ? 'higher fall risk [' + t.tug.source + ']' : '');
    add('Six-minute walk', val(t.six_minute_walk), 'm', t.six_minute_walk && t.six_minute_walk.percent_predicted ? fmtNumber(t.six_minute_walk.percent_predicted) + ' % of predicted' : '');
    add('BMI', t.bmi, 'kg/m²', '');
    add('ASM', val(t.asm), 'kg', t.asm && t.asm.method ? t.asm.method.toUpperCase() : '');
    add('ASMI', t.asmi, 'kg/m²', '');
    add('SARC-F', s.sarc_f && s.sarc_f.score, 'points', s.sarc_f && s.sarc_f.positive !== null ? (s.sarc_f.positive ? 'positive' : 'negative') + ` (${s.sarc_f.operator} ${s.sarc_f.threshold}) [${s.sarc_f.source}]` : '');
    add('Calf', s.calf && s.calf.value, 'cm', s.calf && s.calf.low !== null && s.calf.low !== undefined ? (s.calf.low ? 'low' : 'not low') + ` (${s.calf.operator} ${s.calf.threshold}) [${s.calf.source}]` : '');
    if (!rows.length) body.append(el('p', null, 'No measurements were given.'));
    else body.append(table('Measurements and screening', ['Measure', 'Value', 'Unit', 'Notes'], rows));
}

function operatorText(c) {
    if (c.operator === 'between') return 'between';
    return c.operator || '';
}

function thresholdText(c) {
    if (c.threshold === null || c.threshold === undefined) return '— (cannot be decided)';
    if (c.operator === 'between') return `${fmtNumber(c.threshold)} and ${fmtNumber(c.threshold_high)}`;
    return fmtNumber(c.threshold);
}

function metText(c) {
    if (c.met === true) return 'Yes';
    if (c.met === false) return 'No';
    return 'Not measured';
}

function renderDefinitions(defs) {
    const body = $('#definitions-body');
    const ids = Object.keys(defs || {});
    if (!ids.length) return;
    body.append(table('Verdict of every definition', ['Definition', 'Category', 'Missing to decide'],
        ids.map((id) => [defs[id].name || id, el('strong', { 'data-category': defs[id].category }, humanize(defs[id].category)),
            (defs[id].missing || []).join('; ') || '—']), 'definitions-summary'));

    for (const id of ids) {
        const d = defs[id];
        const rows = Object.entries(d.criteria || {}).map(([cid, c]) => [
            humanize(cid) + (c.role === 'case_finding' ? ' (case finding)' : c.role === 'extra' ? ' (extra)' : ''),
            metText(c),
            c.unable ? 'unable' : fmtNumber(c.value),
            operatorText(c) + (c.operator === 'is' ? '' : ''),
            thresholdText(c),
            c.unit || '',
            c.source || '',
            c.status === 'confirmed' ? 'confirmed' : c.status === 'to_confirm' ? 'to confirm' : c.status || '',
        ]);
        const section = el('div', { class: 'definition', 'data-definition': id });
        section.append(el('h3', null, `${d.name || id}: `, humanize(d.category),
            d.setting ? el('span', { class: 'muted' }, ` (${d.setting} setting)`) : null));
        section.append(table(`${d.name || id} criteria`,
            ['Criterion', 'Met', 'Measured', 'Operator', 'Threshold', 'Unit', 'Source', 'Status'], rows, 'criteria'));
        for (const note of d.notes || []) section.append(el('p', { class: 'muted' }, note));
        body.append(section);
    }
}

function renderSources(sources) {
    const body = $('#sources-body');
    const dl = el('dl', { class: 'details' });
    for (const [id, text] of Object.entries(sources || {})) dl.append(el('dt', { id: 'source-' + id }, id), el('dd', null, text));
    body.append(dl);
}

async function main() {
    const s = await requireSession(['clinician', 'patient']);
    const patient = idParam('patient') || (s.role === 'patient' ? String(s.patient_id) : null);
    const aid = idParam('assessment');
    if (!patient || !aid) return showPageError(new Error('No assessment was chosen.'));
    const a = await api('GET', `/patients/${patient}/assessments/${aid}`);
    const r = a.result || a;
    $('#result-meta').append('Measured on ', fmtDate(a.measured_on), a.created_by ? ' · entered by ' + a.created_by : '',
        ' · ', levelBadge(r.triage && r.triage.level),
        r.engine ? ` · ${r.engine.name} ${r.engine.version}` : '');
    renderTriage(r.triage || {});
    renderDifferential(r.differential);
    renderPlan(r.plan);
    renderTests(r);
    renderDefinitions(r.definitions);
    renderSources(r.sources);
    renderDisclaimer(r.disclaimer);
    const links = $('#result-links');
    if (s.role === 'clinician') links.append(el('a', { href: 'patient.html?id=' + patient }, 'Back to the patient'));
    else links.append(el('a', { href: 'home.html' }, 'Back to your exercises'));
    links.append(el('a', { href: 'progress.html?patient=' + patient }, 'Progress over time'),
        el('a', { href: 'report.html?patient=' + patient }, 'Printable report'));
}

main().catch((e) => showPageError(e));
