// CSRF: every state-changing request needs the session's X-CSRF-Token, and a refused
// one writes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { world, assessmentDoc, sessionBody, checkinBody, createdId, assertError } from './lib/world.mjs';

const w = await world({ tag: 'csrf' });
after(() => w.server.kill9());
const { A } = w;

// An open alert to (not) clear.
const fall = await w.clin1.post(`/patients/${A}/checkins`, checkinBody({ fall: true }));
assert.equal(fall.status, 201, fall.text);
const alert = (await w.clin1.get('/alerts')).json.find((x) => x.kind === 'fall' && String(x.patient_id) === String(A));
assert.ok(alert, 'a fall alert to clear');

/** What could change, read back by the people allowed to read it. */
async function snapshot() {
    const g = async (c, p) => {
        const r = await c.get(p);
        assert.equal(r.status, 200, `${p}: ${r.text}`);
        return r.json;
    };
    return {
        patients: await g(w.clin1, '/patients'),
        patientA: await g(w.clin1, `/patients/${A}`),
        assessments: await g(w.clin1, `/patients/${A}/assessments`),
        sessions: await g(w.clin1, `/patients/${A}/sessions`),
        checkins: await g(w.clin1, `/patients/${A}/checkins`),
        alerts: await g(w.clin1, '/alerts'),
        users: await g(w.admin, '/users'),
        session: await g(w.clin1, '/session'),
    };
}

// [who, method, path, body]
const writes = () => [
    [w.clin1, 'POST', '/patients', { display_name: 'CSRF Victim', sex: 'female', birth_date: '1950-01-01' }],
    [w.clin1, 'POST', `/patients/${A}/assessments`, assessmentDoc()],
    [w.clin1, 'POST', `/patients/${A}/sessions`, sessionBody()],
    [w.clin1, 'POST', `/patients/${A}/checkins`, checkinBody({ fall: true })],
    [w.pat_a, 'POST', `/patients/${A}/sessions`, sessionBody()],
    [w.clin1, 'POST', `/alerts/${alert.id}/clear`, {}],
    [w.admin, 'POST', '/users', { username: 'csrf_made', password: 'csrf-password-1', role: 'clinician', patient_id: null }],
    [w.admin, 'POST', `/patients/${A}/care-team`, { username: 'clin2' }],
    [w.admin, 'DELETE', `/patients/${A}/care-team/clin1`, undefined],
    [w.clin1, 'DELETE', '/session', undefined],
    [w.clin1, 'POST', '/triage', { symptoms: { breathing_trouble: true } }],
];

for (const [label, csrf] of [
    ['without X-CSRF-Token', false],
    ['with a wrong X-CSRF-Token', 'f'.repeat(64)],
    ['with an empty X-CSRF-Token', ''],
    ['with another session\'s X-CSRF-Token', 'OTHER'],
]) {
    test(`every state-changing endpoint ${label} answers 403 csrf and writes nothing`, async () => {
        const before = await snapshot();
        const bad = [];
        for (const [who, method, p, body] of writes()) {
            const token = csrf === 'OTHER' ? w.clin2.csrf : csrf;
            // An empty header is sent as such; `false` sends none.
            const opts = token === '' ? { csrf: false, headers: { 'x-csrf-token': '' } } : { csrf: token };
            const r = await who.req(method, p, body === undefined ? opts : { json: body, ...opts });
            if (r.status !== 403 || r.json?.error?.code !== 'csrf') bad.push(`${who.me.username} ${method} ${p} -> ${r.status} ${r.text.slice(0, 120)}`);
        }
        assert.deepEqual(bad, []);
        assert.deepEqual(await snapshot(), before, 'something changed');
    });
}

test('the CSRF token is compared exactly (case, prefix, one extra character)', async () => {
    const t = w.clin1.csrf;
    for (const bad of [t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase(), t.slice(0, -1), `${t}0`, `0${t}`, t.slice(0, 32)]) {
        if (bad === t) continue;
        const r = await w.clin1.post(`/patients/${A}/sessions`, sessionBody(), { csrf: false, headers: { 'x-csrf-token': bad } });
        assertError(r, 403, 'csrf', JSON.stringify(bad));
    }
});

test('GET needs no CSRF token; login needs none', async () => {
    const r = await w.clin1.get('/patients', { csrf: false });
    assert.equal(r.status, 200);
    const c = w.server.client();
    await c.login('clin2', 'clin2-Passw0rd-c2');
});

test('with the right token the same writes go through (control)', async () => {
    const r = await w.clin1.post(`/patients/${A}/sessions`, sessionBody());
    assert.equal(r.status, 201, r.text);
    assert.ok(createdId(r) !== undefined);
    const c = await w.clin1.post(`/alerts/${alert.id}/clear`, {});
    assert.equal(c.status, 200, c.text);
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
