// The authorisation matrix of docs/api.md ("Sessions, roles and CSRF").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { API } from './lib/harness.mjs';
import { world, assessmentDoc, sessionBody, checkinBody, createdId, assertError, PW } from './lib/world.mjs';

const w = await world({ tag: 'authz' });
after(() => w.server.kill9());
const { A, B, C } = w;
const NOPE = 987654;

// Records to reach: an assessment and a fall alert on each of A and B.
async function seedRecords(client, pid) {
    const a = await client.post(`/patients/${pid}/assessments`, assessmentDoc());
    assert.equal(a.status, 201, a.text);
    const c = await client.post(`/patients/${pid}/checkins`, checkinBody({ fall: true }));
    assert.equal(c.status, 201, c.text);
    return { aid: createdId(a), alerts: c.json.alerts };
}
const recA = await seedRecords(w.clin1, A);
const recB = await seedRecords(w.clin1, B);
const alertsNow = await w.clin1.get('/alerts');
const alertA = alertsNow.json.find((x) => String(x.patient_id) === String(A) && x.kind === 'fall');

/** Every protected endpoint, with a body where it takes one. */
function endpoints(pid, aid, alertId) {
    return [
        ['GET', '/session'],
        ['DELETE', '/session'],
        ['POST', '/triage', { symptoms: { muscle_pain: true } }],
        ['GET', '/patients'],
        ['POST', '/patients', { display_name: 'X', sex: 'male' }],
        ['GET', `/patients/${pid}`],
        ['GET', `/patients/${pid}/assessments`],
        ['POST', `/patients/${pid}/assessments`, assessmentDoc()],
        ['GET', `/patients/${pid}/assessments/${aid}`],
        ['GET', `/patients/${pid}/sessions`],
        ['POST', `/patients/${pid}/sessions`, sessionBody()],
        ['GET', `/patients/${pid}/checkins`],
        ['POST', `/patients/${pid}/checkins`, checkinBody()],
        ['GET', `/patients/${pid}/progress`],
        ['GET', `/patients/${pid}/plan`],
        ['GET', `/patients/${pid}/report`],
        ['GET', '/alerts'],
        ['POST', `/alerts/${alertId}/clear`, {}],
        ['GET', '/users'],
        ['POST', '/users', { username: 'zed', password: 'zed-password-1', role: 'clinician', patient_id: null }],
        ['POST', `/patients/${pid}/care-team`, { username: 'clin2' }],
        ['DELETE', `/patients/${pid}/care-team/clin2`],
        ['GET', '/audit'],
    ];
}

function send(client, [method, p, body], opts = {}) {
    return body === undefined ? client.req(method, p, opts) : client.req(method, p, { json: body, ...opts });
}

// The same body for "exists but not yours" and "does not exist": the requested id
// may appear in the message, so it is masked before comparing.
function same404(r, other, pidR, pidO, label) {
    assertError(r, 404, 'not_found', label);
    assertError(other, 404, 'not_found', `${label} (nonexistent)`);
    const norm = (t, id) => t.split(String(id)).join('{id}');
    assert.equal(norm(r.text, pidR), norm(other.text, pidO), `${label}: body differs from a nonexistent id's`);
}

test('no session: every protected endpoint answers 401 unauthenticated', async () => {
    const anon = w.server.client();
    const bad = [];
    for (const e of endpoints(A, recA.aid, alertA.id)) {
        const r = await send(anon, e);
        if (r.status !== 401 || r.json?.error?.code !== 'unauthenticated') bad.push(`${e[0]} ${e[1]} -> ${r.status} ${r.text.slice(0, 120)}`);
    }
    assert.deepEqual(bad, []);
});

test('no session: 401 even with a CSRF token from a real session', async () => {
    const anon = w.server.client();
    const r = await anon.post(`/patients/${A}/sessions`, sessionBody(), { csrf: w.clin1.csrf });
    assertError(r, 401, 'unauthenticated');
});

test('patient A reading patient B gets 404 with the same body as a nonexistent id', async () => {
    const cases = [
        ['GET', (p) => `/patients/${p}`],
        ['GET', (p) => `/patients/${p}/assessments`],
        ['GET', (p) => `/patients/${p}/assessments/${recB.aid}`],
        ['GET', (p) => `/patients/${p}/sessions`],
        ['GET', (p) => `/patients/${p}/checkins`],
        ['GET', (p) => `/patients/${p}/progress`],
        ['GET', (p) => `/patients/${p}/plan`],
        ['GET', (p) => `/patients/${p}/report`],
        ['POST', (p) => `/patients/${p}/sessions`, sessionBody()],
        ['POST', (p) => `/patients/${p}/checkins`, checkinBody()],
        ['POST', (p) => `/patients/${p}/assessments`, assessmentDoc()],
    ];
    for (const [m, f, body] of cases) {
        const r = await send(w.pat_a, [m, f(B), body]);
        const n = await send(w.pat_a, [m, f(NOPE), body]);
        same404(r, n, B, NOPE, `pat_a ${m} ${f('{B}')}`);
    }
});

test('patient A writing to patient B stores nothing there', async () => {
    const s = await w.clin1.get(`/patients/${B}/sessions`);
    const c = await w.clin1.get(`/patients/${B}/checkins`);
    const a = await w.clin1.get(`/patients/${B}/assessments`);
    assert.equal(s.status, 200);
    assert.equal(s.json.length, 0, `B has sessions: ${s.text}`);
    assert.equal(c.json.length, 1, `B's check-ins: ${c.text}`);
    assert.equal(a.json.length, 1, `B's assessments: ${a.text}`);
});

test('patient reading another patient\'s assessment under their own id gets 404', async () => {
    // B's assessment id under A's path: not A's, so not found.
    const r = await w.pat_a.get(`/patients/${A}/assessments/${recB.aid}`);
    const n = await w.pat_a.get(`/patients/${A}/assessments/${NOPE}`);
    same404(r, n, recB.aid, NOPE, 'pat_a GET A/assessments/{B\'s aid}');
});

test('patient sees only their own record in GET /patients and GET /alerts', async () => {
    const r = await w.pat_a.get('/patients');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.map((p) => String(p.id)), [String(A)]);
    const al = await w.pat_a.get('/alerts');
    assert.equal(al.status, 200, al.text);
    assert.ok(al.json.length >= 1, 'pat_a sees their own fall alert');
    assert.ok(al.json.every((x) => String(x.patient_id) === String(A)), `pat_a sees others' alerts: ${al.text}`);
    const own = await w.pat_a.get(`/patients/${A}`);
    assert.equal(own.status, 200, own.text);
});

test('clinician reading an unassigned patient gets 404 like a nonexistent one', async () => {
    for (const sfx of ['', '/assessments', '/sessions', '/checkins', '/progress', '/plan', '/report']) {
        const r = await w.clin1.get(`/patients/${C}${sfx}`);
        const n = await w.clin1.get(`/patients/${NOPE}${sfx}`);
        same404(r, n, C, NOPE, `clin1 GET C${sfx}`);
    }
    const p = await w.clin1.post(`/patients/${C}/sessions`, sessionBody());
    const pn = await w.clin1.post(`/patients/${NOPE}/sessions`, sessionBody());
    same404(p, pn, C, NOPE, 'clin1 POST C/sessions');
    const l = await w.clin1.get('/patients');
    assert.deepEqual(l.json.map((x) => String(x.id)).sort(), [String(A), String(B)].sort(), l.text);
    const al = await w.clin2.get('/alerts');
    assert.ok(al.json.every((x) => String(x.patient_id) === String(C)), `clin2 sees alerts of others: ${al.text}`);
});

test('clinician cannot clear an alert of an unassigned patient (404)', async () => {
    const r = await w.clin2.post(`/alerts/${alertA.id}/clear`, {});
    const n = await w.clin2.post(`/alerts/${NOPE}/clear`, {});
    same404(r, n, alertA.id, NOPE, 'clin2 clear A\'s alert');
});

test('admin reading or writing clinical data gets 403 forbidden', async () => {
    const bad = [];
    const cases = [
        ['GET', `/patients/${A}`], ['GET', `/patients/${A}/assessments`],
        ['GET', `/patients/${A}/assessments/${recA.aid}`], ['GET', `/patients/${A}/sessions`],
        ['GET', `/patients/${A}/checkins`], ['GET', `/patients/${A}/progress`],
        ['GET', `/patients/${A}/plan`], ['GET', `/patients/${A}/report`], ['GET', '/alerts'],
        ['POST', `/patients/${A}/assessments`, assessmentDoc()],
        ['POST', `/patients/${A}/sessions`, sessionBody()],
        ['POST', `/patients/${A}/checkins`, checkinBody()],
        ['POST', `/alerts/${alertA.id}/clear`, {}],
        ['GET', `/patients/${NOPE}`],
    ];
    for (const e of cases) {
        const r = await send(w.admin, e);
        if (r.status !== 403 || r.json?.error?.code !== 'forbidden') bad.push(`${e[0]} ${e[1]} -> ${r.status} ${r.text.slice(0, 120)}`);
    }
    assert.deepEqual(bad, []);
});

test('admin GET /patients lists names only, no clinical data', async () => {
    const r = await w.admin.get('/patients');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.length, 3);
    for (const p of r.json) {
        assert.equal(typeof p.display_name, 'string');
        for (const k of ['triage_level', 'open_alerts', 'last_assessment_at', 'birth_date', 'sex'])
            assert.ok(!(k in p), `admin list shows ${k}: ${r.text}`);
    }
});

test('patient or admin creating a patient gets 403 forbidden', async () => {
    for (const c of [w.pat_a, w.admin]) {
        const r = await c.post('/patients', { display_name: 'Nope', sex: 'male', birth_date: '1950-01-01' });
        assertError(r, 403, 'forbidden', c.me.username);
    }
    const l = await w.clin1.get('/patients');
    assert.equal(l.json.length, 2);
});

test('patient clearing an alert gets 403 forbidden', async () => {
    const own = (await w.pat_a.get('/alerts')).json[0];
    const r = await w.pat_a.post(`/alerts/${own.id}/clear`, {});
    assertError(r, 403, 'forbidden');
});

test('clinicians and patients get 403 on /users, care teams and /audit', async () => {
    const bad = [];
    for (const c of [w.clin1, w.pat_a]) {
        for (const e of [
            ['GET', '/users'],
            ['POST', '/users', { username: 'zz', password: 'zz-password-1', role: 'clinician', patient_id: null }],
            ['POST', `/patients/${A}/care-team`, { username: 'clin2' }],
            ['DELETE', `/patients/${A}/care-team/clin1`],
            ['GET', '/audit'],
        ]) {
            const r = await send(c, e);
            if (r.status !== 403 || r.json?.error?.code !== 'forbidden') bad.push(`${c.me.username} ${e[0]} ${e[1]} -> ${r.status} ${r.text.slice(0, 100)}`);
        }
    }
    assert.deepEqual(bad, []);
    const p = await w.clin1.get(`/patients/${A}`);
    assert.deepEqual(p.json.clinicians, ['clin1'], 'care team unchanged');
});

test('admin assigns a clinician, who can then read (200); unassigned, 404 again', async () => {
    assert.equal((await w.clin2.get(`/patients/${A}`)).status, 404);
    const as = await w.admin.post(`/patients/${A}/care-team`, { username: 'clin2' });
    assert.equal(as.status, 204, as.text);
    for (const sfx of ['', '/assessments', `/assessments/${recA.aid}`, '/progress', '/plan', '/report']) {
        const r = await w.clin2.get(`/patients/${A}${sfx}`);
        assert.equal(r.status, 200, `clin2 GET A${sfx} after assignment: ${r.status} ${r.text.slice(0, 200)}`);
    }
    const p = await w.clin2.get(`/patients/${A}`);
    assert.deepEqual([...p.json.clinicians].sort(), ['clin1', 'clin2']);
    assert.ok((await w.clin2.get('/patients')).json.some((x) => String(x.id) === String(A)));
    const un = await w.admin.del(`/patients/${A}/care-team/clin2`);
    assert.equal(un.status, 204, un.text);
    const r = await w.clin2.get(`/patients/${A}`);
    const n = await w.clin2.get(`/patients/${NOPE}`);
    same404(r, n, A, NOPE, 'clin2 GET A after unassignment');
    assert.ok(!(await w.clin2.get('/patients')).json.some((x) => String(x.id) === String(A)));
});

test('admin assigning an unknown user (404/422) or a patient account (422) fails without assigning', async () => {
    const r = await w.admin.post(`/patients/${A}/care-team`, { username: 'nobody-here' });
    assert.ok([404, 422].includes(r.status), `unknown clinician: ${r.status} ${r.text}`);
    const p = await w.admin.post(`/patients/${A}/care-team`, { username: 'pat_b' });
    assertError(p, 422, 'invalid_field', 'a patient account as clinician');
    const a = await w.admin.post(`/patients/${A}/care-team`, { username: 'admin' });
    assertError(a, 422, 'invalid_field', 'an admin as clinician');
    const q = await w.admin.post(`/patients/${NOPE}/care-team`, { username: 'clin2' });
    assertError(q, 404, 'not_found', 'assign to a nonexistent patient');
    assert.deepEqual((await w.clin1.get(`/patients/${A}`)).json.clinicians, ['clin1']);
});

test('assigning twice changes nothing (204); removing someone not assigned is 404', async () => {
    assert.equal((await w.admin.post(`/patients/${B}/care-team`, { username: 'clin1' })).status, 204);
    assert.equal((await w.admin.post(`/patients/${B}/care-team`, { username: 'clin1' })).status, 204);
    assert.deepEqual((await w.clin1.get(`/patients/${B}`)).json.clinicians, ['clin1']);
    const r = await w.admin.del(`/patients/${B}/care-team/clin2`);
    assertError(r, 404, 'not_found', 'removing an unassigned clinician');
});

test('admin creates users (201, 409 when taken); the new patient account reads its own record', async () => {
    const r = await w.admin.post('/users', { username: 'pat_c', password: 'patC-Passw0rd-pc', role: 'patient', patient_id: Number(C) });
    assert.equal(r.status, 201, r.text);
    assert.ok(r.json.id !== undefined);
    const dup = await w.admin.post('/users', { username: 'pat_c', password: 'another-password', role: 'patient', patient_id: Number(C) });
    assertError(dup, 409, 'conflict');
    const short = await w.admin.post('/users', { username: 'shorty', password: 'short', role: 'clinician', patient_id: null });
    assertError(short, 422, 'invalid_field');
    assert.equal(short.json.error.field, 'password');
    const nopid = await w.admin.post('/users', { username: 'nopid', password: 'nopid-password', role: 'patient', patient_id: null });
    assertError(nopid, 422, 'invalid_field');
    const users = await w.admin.get('/users');
    assert.equal(users.status, 200);
    const names = users.json.map((u) => u.username);
    assert.ok(names.includes('pat_c') && !names.includes('shorty') && !names.includes('nopid'), users.text);
    for (const u of users.json) assert.ok(!('password_hash' in u) && !('password' in u), 'no password in /users');
    const pc = w.server.client();
    await pc.login('pat_c', 'patC-Passw0rd-pc');
    assert.equal(pc.me.role, 'patient');
    assert.equal(String(pc.me.patient_id), String(C));
    assert.equal((await pc.get(`/patients/${C}`)).status, 200);
    assert.equal((await pc.get(`/patients/${A}`)).status, 404);
});

test('admin reads the audit trail, which records who read a patient', async () => {
    const r = await w.admin.get(`/audit?patient_id=${A}&limit=500`);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json) && r.json.length > 0, r.text.slice(0, 200));
    assert.ok(r.json.some((e) => e.user === 'pat_a' && e.action === 'read'), 'pat_a\'s reads of A are audited');
    assert.ok(r.json.every((e) => e.patient_id === null || String(e.patient_id) === String(A)), 'filtered by patient');
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    const r = await w.server.stop();
    assert.deepEqual(r, { code: 0, signal: null });
});

void PW;
void API;
