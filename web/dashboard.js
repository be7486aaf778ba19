/*
 * dashboard.js - the clinician's start page: open alerts first (red flags
 * first), then the patient list (open alerts first), then a new-patient form.
 */
import {
    api, requireSession, el, clear, $, showPageError, hidePageError, levelBadge, isSevere,
    fmtDate, fmtTime, humanize, table, markInvalid, clearInvalid, LEVEL_RANK,
} from './app.js';

function isRedFlag(a) {
    return a.kind === 'red_flag' || isSevere(a.level);
}

/* The server sends open first, red flags first, newest first; keep that
 * order and make sure of the first two keys whatever it sends. */
function sortAlerts(list) {
    return list
        .map((a, i) => ({ a, i }))
        .sort((x, y) =>
            (x.a.cleared_at ? 1 : 0) - (y.a.cleared_at ? 1 : 0) ||
            (isRedFlag(y.a) ? 1 : 0) - (isRedFlag(x.a) ? 1 : 0) ||
            (LEVEL_RANK[x.a.level] ?? 9) - (LEVEL_RANK[y.a.level] ?? 9) ||
            x.i - y.i)
        .map((x) => x.a);
}

async function loadAlerts() {
    const box = $('#alerts');
    const status = $('#alerts-status');
    const all = await api('GET', '/alerts');
    const open = sortAlerts(all.filter((a) => !a.cleared_at));
    clear(box);
    clear(status);
    status.append(open.length ? `${open.length} open alert(s).` : 'No open alerts.');
    for (const a of open) {
        const severe = isRedFlag(a);
        const hid = 'alert-' + a.id + '-title';
        const button = el('button', { type: 'button', class: 'secondary', 'aria-describedby': hid }, 'Mark reviewed');
        button.addEventListener('click', () => clearAlert(a, button));
        box.append(el('li', { class: 'alert-item' + (severe ? ' severe' : ''), 'data-alert-id': a.id, 'data-kind': a.kind },
            el('h3', { id: hid }, levelBadge(a.level), ' ', humanize(a.kind), ': ',
                el('a', { href: 'patient.html?id=' + encodeURIComponent(a.patient_id) }, a.patient || 'Patient ' + a.patient_id)),
            el('p', null, a.explanation || ''),
            el('p', { class: 'muted' }, 'Date: ', fmtDate(a.date), a.source ? ' · Source: ' + a.source : '',
                ' · Raised ', fmtTime(a.created_at)),
            button));
    }
}

async function clearAlert(a, button) {
    button.disabled = true;
    hidePageError();
    try {
        await api('POST', '/alerts/' + encodeURIComponent(a.id) + '/clear');
        await Promise.all([loadAlerts(), loadPatients()]);
        $('#alerts-status').append(' Alert marked reviewed.');
        $('#alerts-heading').setAttribute('tabindex', '-1');
        $('#alerts-heading').focus();
    } catch (e) {
        button.disabled = false;
        showPageError(e);
    }
}

async function loadPatients() {
    const box = $('#patients');
    const list = await api('GET', '/patients');
    const sorted = list
        .map((p, i) => ({ p, i }))
        .sort((x, y) => ((y.p.open_alerts || 0) > 0) - ((x.p.open_alerts || 0) > 0) || x.i - y.i)
        .map((x) => x.p);
    clear(box);
    if (!sorted.length) {
        box.append(el('p', null, 'No patients yet: create one below.'));
        return;
    }
    box.append(table('Patients, those with open alerts first',
        ['Name', 'Open alerts', 'Triage', 'Last assessment', 'Sex', 'Born'],
        sorted.map((p) => [
            el('a', { href: 'patient.html?id=' + encodeURIComponent(p.id) }, p.display_name),
            el('span', { class: p.open_alerts ? 'level level-urgent' : null }, String(p.open_alerts || 0)),
            levelBadge(p.triage_level),
            fmtDate(p.last_assessment_at),
            humanize(p.sex),
            fmtDate(p.birth_date),
        ]), 'patients-table'));
}

function setupForm() {
    const form = $('#new-patient');
    const err = $('#new-patient-error');
    $('#np-birth').max = new Date().toISOString().slice(0, 10);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearInvalid(form);
        hidePageError(err);
        const body = {
            display_name: $('#np-name').value.trim(),
            sex: $('#np-sex').value,
        };
        if ($('#np-birth').value) body.birth_date = $('#np-birth').value;
        if (!body.display_name) return markInvalid($('#np-name'), 'Please enter a name.').focus();
        if (!body.sex) return markInvalid($('#np-sex'), 'Please choose female or male.').focus();
        try {
            const res = await api('POST', '/patients', body);
            location.assign('patient.html?id=' + encodeURIComponent(res.id));
        } catch (e) {
            const f = e.field && form.querySelector(`[data-path="${CSS.escape(e.field)}"]`);
            if (f) markInvalid(f, e.message).focus();
            else showPageError(e, err);
        }
    });
}

async function main() {
    await requireSession(['clinician']);
    setupForm();
    try {
        await loadAlerts();
        await loadPatients();
    } catch (e) {
        showPageError(e);
    }
}

main();
