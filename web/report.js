/*
 * report.js - report.html?patient=N&from=&to=: everything a follow-up visit
 * needs on paper (GET /patients/{id}/report): the latest triage first, the
 * definitions over time, progress with thresholds, today's prescription,
 * alerts, sessions and check-ins. The print stylesheet hides the form,
 * navigation and buttons.
 */
import {
    api, requireSession, el, $, idParam, param, showPageError, levelBadge, humanize, fmtNumber, fmtDate, fmtTime,
    table, renderDisclaimer,
} from './app.js';
import { triageBox, prescriptionView, splitPlan, alertSummary } from './render.js';
import { lineChart } from './chart.js';
import { labelText, measureTitle } from './progress-labels.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function section(id, title, ...content) {
    return el('section', { id, 'aria-labelledby': id + '-h' }, el('h2', { id: id + '-h' }, title), content);
}

function definitionsOverTime(assessments) {
    const withResult = assessments.filter((a) => a.result && a.result.definitions);
    if (!withResult.length) return el('p', null, 'No assessments in this period.');
    const ids = Object.keys(withResult[0].result.definitions);
    const heads = ['Definition', ...withResult.map((a) => fmtDate(a.measured_on))];
    const rows = ids.map((id) => [withResult[0].result.definitions[id].name || id,
        ...withResult.map((a) => humanize((a.result.definitions[id] || {}).category || '—'))]);
    rows.unshift(['Triage', ...withResult.map((a) => levelBadge(a.result.triage && a.result.triage.level))]);
    return table('Categories at each assessment', heads, rows);
}

function progressPart(progress) {
    const out = [];
    for (const m of (progress && progress.measures) || []) {
        if (!m.series || !m.series.length) continue;
        const title = measureTitle(m.measure);
        out.push(el('div', { class: 'card' }, el('h3', null, title),
            lineChart({ title, measure: m.measure, unit: m.unit, series: m.series, thresholds: m.thresholds, better: m.better }),
            table(`${title} (${m.unit})`, ['Date', 'Value', 'Change', 'Meaning'], m.series.map((p) => [
                fmtDate(p.date), fmtNumber(p.value) + ' ' + (m.unit || ''),
                p.change === null || p.change === undefined ? '—' : (p.change > 0 ? '+' : '') + fmtNumber(p.change),
                labelText(p)]))));
    }
    return out.length ? out : [el('p', null, 'No measurements in this period.')];
}

async function main() {
    const s = await requireSession(['clinician', 'patient']);
    const patient = idParam('patient') || (s.role === 'patient' ? String(s.patient_id) : null);
    if (!patient) return showPageError(new Error('No patient was chosen.'));
    $('#range-patient').value = patient;
    $('#print-button').addEventListener('click', () => window.print());
    const q = new URLSearchParams();
    for (const k of ['from', 'to']) {
        const v = param(k);
        if (v && DATE.test(v)) {
            q.set(k, v);
            $('#' + k).value = v;
        }
    }
    const r = await api('GET', `/patients/${patient}/report${q.toString() ? '?' + q : ''}`);
    const p = r.patient || {};
    $('#report-title').textContent = 'Report: ' + (p.display_name || 'patient ' + patient);
    document.title = 'Report: ' + (p.display_name || patient) + ' · myotrack';
    const out = $('#report');
    const assessments = (r.assessments || []).slice().sort((a, b) => String(b.measured_on).localeCompare(String(a.measured_on)));
    const latest = assessments.find((a) => a.result);

    out.append(el('p', null, el('strong', null, 'Period: '), r.from ? fmtDate(r.from) : 'the start', ' to ', r.to ? fmtDate(r.to) : 'today',
        ' · printed ', fmtTime(new Date().toISOString().slice(0, 19) + 'Z')));
    out.append(section('r-patient', 'Patient', el('dl', { class: 'details' },
        el('dt', null, 'Name'), el('dd', null, p.display_name || '—'),
        el('dt', null, 'Sex'), el('dd', null, humanize(p.sex) || '—'),
        el('dt', null, 'Born'), el('dd', null, fmtDate(p.birth_date)),
        el('dt', null, 'Care team'), el('dd', null, (p.clinicians || []).join(', ') || '—'))));
    /* the current triage (the latest assessment's, raised by any red flag
     * or decline since), else the latest assessment's */
    const current = r.triage || (latest && latest.result.triage);
    if (current) {
        out.append(section('r-triage', 'What to do now', triageBox(current, { heading: 'h3' })));
    }
    out.append(section('r-definitions', 'Definitions over time', definitionsOverTime(assessments)));
    out.append(section('r-progress', 'Progress', progressPart(r.progress && (r.progress.progress || r.progress))));
    const { rx, triage } = splitPlan(r.prescription || {});
    out.append(section('r-plan', 'Today’s exercise prescription', triage && !r.triage ? triageBox(triage, { heading: 'h3' }) : null, prescriptionView(rx, { heading: 'h3' })));
    const alerts = r.alerts || [];
    out.append(section('r-alerts', 'Alerts', alerts.length ? el('ul', { class: 'alert-list' }, alerts.map(alertSummary)) : el('p', null, 'None.')));
    const sessions = r.sessions || [];
    out.append(section('r-sessions', 'Exercise sessions', sessions.length
        ? table('Sessions logged', ['Date', 'Effort (1–10)', 'Pain (0–10)', 'Exercises', 'Note'], sessions.map((x) => [
            fmtDate(x.date), String(x.effort ?? '—'), String(x.pain ?? '—'),
            (x.exercises || []).map((e) => `${humanize(e.id)} ${e.sets}×${e.reps ?? '—'}${e.load_kg ? ' @' + e.load_kg + ' kg' : ''}`).join('; '),
            x.note || '']))
        : el('p', null, 'None.')));
    const checkins = r.checkins || [];
    out.append(section('r-checkins', 'Check-ins', checkins.length
        ? table('Check-ins', ['Date', 'Pain (0–10)', 'Fall', 'New symptoms', 'Note'], checkins.map((c) => [
            fmtDate(c.date), String(c.pain ?? '—'), c.fall ? 'Yes' : 'No',
            Object.entries(c.symptoms || {}).filter(([, v]) => v === true).map(([k]) => humanize(k)).join(', ') || '—', c.note || '']))
        : el('p', null, 'None.')));
    renderDisclaimer(r.disclaimer || (latest && latest.result.disclaimer));
}

main().catch((e) => showPageError(e));
