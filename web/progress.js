/*
 * progress.js - progress.html?patient=N: a chart per measure (grip, gait
 * speed, chair stand, SPPB, weight, then any other the server tracks) with
 * each definition's thresholds, and a table of the values and their change
 * labels (docs/tracking.md, `progress`).
 */
import { api, requireSession, el, $, idParam, param, showPageError, fmtNumber, fmtDate, table } from './app.js';
import { lineChart } from './chart.js';
import { labelText, measureTitle } from './progress-labels.js';

const ORDER = ['grip', 'gait_speed', 'chair_stand_5x', 'sppb_total', 'sppb', 'weight'];

function changeText(p, unit) {
    if (p.change === null || p.change === undefined) return '—';
    const sign = p.change > 0 ? '+' : '';
    let s = `${sign}${fmtNumber(p.change)} ${unit}`;
    if (p.percent_change !== null && p.percent_change !== undefined) s += ` (${sign}${fmtNumber(p.percent_change)} %)`;
    return s;
}

async function main() {
    const s = await requireSession(['clinician', 'patient']);
    const patient = idParam('patient') || (s.role === 'patient' ? String(s.patient_id) : null);
    if (!patient) return showPageError(new Error('No patient was chosen.'));
    const q = new URLSearchParams();
    if (param('from')) q.set('from', param('from'));
    if (param('to')) q.set('to', param('to'));
    const qs = q.toString() ? '?' + q : '';
    const [data, p] = await Promise.all([
        api('GET', `/patients/${patient}/progress${qs}`),
        api('GET', `/patients/${patient}`).catch(() => null),
    ]);
    if (p && s.role === 'clinician') {
        $('#progress-title').textContent = 'Progress: ' + p.display_name;
        document.title = 'Progress: ' + p.display_name + ' · myotrack';
    } else if (s.role === 'patient') {
        $('#progress-title').textContent = 'Your progress';
    }
    const links = $('#progress-links');
    if (s.role === 'clinician') links.append(el('a', { href: 'patient.html?id=' + patient }, 'Back to the patient'),
        el('a', { href: 'report.html?patient=' + patient }, 'Printable report'));
    else links.append(el('a', { href: 'home.html' }, 'Back to your exercises'));

    const progress = (data && (data.progress || data)) || {};
    const measures = (progress.measures || []).slice().sort((a, b) => {
        const ia = ORDER.indexOf(a.measure);
        const ib = ORDER.indexOf(b.measure);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    const charts = $('#charts');
    const values = $('#values');
    let any = false;
    for (const m of measures) {
        const series = m.series || [];
        if (!series.length) continue;
        any = true;
        const title = measureTitle(m.measure);
        const section = el('section', { 'aria-labelledby': 'h-' + m.measure, 'data-measure': m.measure },
            el('h2', { id: 'h-' + m.measure }, title));
        section.append(lineChart({ title, measure: m.measure, unit: m.unit, series, thresholds: m.thresholds, better: m.better }));
        if (m.meaningful_change && m.meaningful_change.small !== null && m.meaningful_change.small !== undefined) {
            section.append(el('p', { class: 'muted' }, `A meaningful change: ${fmtNumber(m.meaningful_change.small)} ${m.unit}` +
                (m.meaningful_change.substantial ? ` (substantial: ${fmtNumber(m.meaningful_change.substantial)} ${m.unit})` : '') +
                (m.meaningful_change.source ? ` [${m.meaningful_change.source}]` : '')));
        }
        charts.append(section);
        values.append(table(`${title} (${m.unit || ''})`, ['Date', 'Value', 'Change', 'Meaning'],
            series.map((pt) => [fmtDate(pt.date), `${fmtNumber(pt.value)} ${m.unit || ''}`, changeText(pt, m.unit || ''),
                labelText(pt)])));
    }
    if (!any) charts.append(el('p', null, 'No measurements yet: progress appears after the first assessment.'));
}

main().catch((e) => showPageError(e));
