/*
 * patient.js - one patient's page for their clinician: details, links to a
 * new assessment, progress and the report, alerts, the assessments and the
 * current plan.
 */
import {
    api, requireSession, el, clear, $, idParam, showPageError, levelBadge, fmtDate, fmtTime, humanize, table,
} from './app.js';
import { prescriptionView, splitPlan, alertSummary, triageBox } from './render.js';

async function main() {
    await requireSession(['clinician']);
    const id = idParam('id');
    if (!id) return showPageError(new Error('No patient was chosen. Go back to the dashboard and pick one.'));
    const base = '/patients/' + id;
    let p;
    try {
        p = await api('GET', base);
    } catch (e) {
        return showPageError(e.status === 404 ? new Error('There is no such patient, or they are not in your care.') : e);
    }
    document.title = p.display_name + ' · myotrack';
    $('#patient-name').textContent = p.display_name;

    const links = $('#patient-links');
    links.append(
        el('a', { class: 'button', href: 'assess.html?patient=' + id }, 'New assessment'),
        el('a', { class: 'button secondary', href: 'progress.html?patient=' + id }, 'Progress'),
        el('a', { class: 'button secondary', href: 'report.html?patient=' + id }, 'Printable report'));

    $('#details').append(el('dl', { class: 'details' },
        el('dt', null, 'Sex'), el('dd', null, humanize(p.sex)),
        el('dt', null, 'Born'), el('dd', null, fmtDate(p.birth_date)),
        el('dt', null, 'Triage at last assessment'), el('dd', null, levelBadge(p.triage_level)),
        el('dt', null, 'Last assessment'), el('dd', null, fmtDate(p.last_assessment_at)),
        el('dt', null, 'Open alerts'), el('dd', null, String(p.open_alerts || 0)),
        el('dt', null, 'Care team'), el('dd', null, (p.clinicians || []).join(', ') || '—'),
        el('dt', null, 'Record created'), el('dd', null, fmtTime(p.created_at))));

    const [alerts, assessments, plan] = await Promise.allSettled([
        api('GET', '/alerts'), api('GET', base + '/assessments'), api('GET', base + '/plan')]);

    const abox = $('#alerts');
    if (alerts.status === 'fulfilled') {
        const mine = alerts.value.filter((a) => String(a.patient_id) === String(id));
        if (!mine.length) abox.append(el('p', null, 'No alerts.'));
        else abox.append(el('ul', { class: 'alert-list' }, mine.map(alertSummary)),
            el('p', null, el('a', { href: 'dashboard.html' }, 'Review open alerts on the dashboard')));
    } else abox.append(el('p', { class: 'message error' }, alerts.reason.message));

    const list = $('#assessments');
    if (assessments.status === 'fulfilled') {
        const rows = assessments.value;
        if (!rows.length) list.append(el('p', null, 'No assessments yet.'));
        else list.append(table('Assessments, newest first', ['Measured on', 'Triage', 'Entered by', 'Engine'],
            rows.map((a) => [
                el('a', { href: `result.html?patient=${id}&assessment=${encodeURIComponent(a.id)}` }, 'Result of ' + fmtDate(a.measured_on)),
                levelBadge(a.triage_level), a.created_by || '—', a.engine_version || '—'])));
    } else list.append(el('p', { class: 'message error' }, assessments.reason.message));

    const pbox = $('#plan');
    clear(pbox);
    if (plan.status === 'fulfilled') {
        const { rx, triage } = splitPlan(plan.value);
        if (triage) pbox.append(triageBox(triage));
        pbox.append(prescriptionView(rx));
    } else if (plan.reason.status === 404 || plan.reason.status === 409) {
        pbox.append(el('p', null, 'No plan yet: it comes from the first assessment.'));
    } else pbox.append(el('p', { class: 'message error' }, plan.reason.message));
}

main().catch((e) => showPageError(e));
