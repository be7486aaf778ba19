/*
 * admin.js - admin.html: the accounts, adding one (a patient account is tied
 * to a patient record), and assigning a clinician to a patient. An admin
 * sees patients' names only, never clinical data.
 */
import { api, requireSession, el, clear, $, showPageError, humanize, fmtTime, table, markInvalid, clearInvalid } from './app.js';

let users = [];
let patients = [];

function fill(select, items, blank) {
    const keep = select.value;
    clear(select);
    if (blank) select.append(el('option', { value: '' }, blank));
    for (const [value, text] of items) select.append(el('option', { value }, text));
    if (items.some(([v]) => v === keep)) select.value = keep;
}

async function load() {
    [users, patients] = await Promise.all([api('GET', '/users'), api('GET', '/patients')]);
    const byId = new Map(patients.map((p) => [String(p.id), p.display_name]));
    const box = $('#users');
    clear(box);
    box.append(table('Accounts', ['Username', 'Role', 'Patient record', 'Created'], users.map((u) => [
        u.username, humanize(u.role),
        u.patient_id ? `${byId.get(String(u.patient_id)) || 'Patient'} (#${u.patient_id})` : '—', fmtTime(u.created_at)])));
    const patientItems = patients.map((p) => [String(p.id), `${p.display_name} (#${p.id})`]);
    fill($('#u-patient'), patientItems, 'Choose a patient…');
    fill($('#t-patient'), patientItems, 'Choose a patient…');
    fill($('#t-clinician'), users.filter((u) => u.role === 'clinician').map((u) => [u.username, u.username]), 'Choose a clinician…');
}

function fieldError(form, status, e) {
    const f = e.field && form.querySelector(`[data-path="${CSS.escape(e.field)}"]`);
    if (f) {
        markInvalid(f, e.message);
        f.focus();
    } else {
        status.append(el('p', { class: 'message error' }, e.message));
        status.setAttribute('tabindex', '-1');
        status.focus();
    }
}

function setup() {
    const role = $('#u-role');
    const sync = () => { $('#u-patient-field').hidden = role.value !== 'patient'; };
    role.addEventListener('change', sync);
    sync();

    const form = $('#user-form');
    const status = $('#user-status');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearInvalid(form);
        clear(status);
        const body = { username: $('#u-name').value.trim(), password: $('#u-password').value, role: role.value };
        if (!body.username) return markInvalid($('#u-name'), 'Please enter a username.').focus();
        if (body.password.length < 8 || body.password.length > 128) return markInvalid($('#u-password'), 'The password needs 8 to 128 characters.').focus();
        if (body.role === 'patient') {
            if (!$('#u-patient').value) return markInvalid($('#u-patient'), 'Choose the patient record this account belongs to.').focus();
            body.patient_id = Number($('#u-patient').value);
        }
        try {
            await api('POST', '/users', body);
            form.reset();
            sync();
            await load();
            status.append(el('p', { class: 'message ok' }, `User ${body.username} added.`));
        } catch (e) {
            fieldError(form, status, e);
        }
    });

    const team = $('#team-form');
    const tstatus = $('#team-status');
    team.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearInvalid(team);
        clear(tstatus);
        const pid = $('#t-patient').value;
        const username = $('#t-clinician').value;
        if (!pid) return markInvalid($('#t-patient'), 'Choose a patient.').focus();
        if (!username) return markInvalid($('#t-clinician'), 'Choose a clinician.').focus();
        try {
            await api('POST', `/patients/${encodeURIComponent(pid)}/care-team`, { username });
            tstatus.append(el('p', { class: 'message ok' }, `${username} now cares for patient #${pid}.`));
        } catch (e) {
            fieldError(team, tstatus, e);
        }
    });
}

async function main() {
    await requireSession(['admin']);
    setup();
    await load();
}

main().catch((e) => showPageError(e));
