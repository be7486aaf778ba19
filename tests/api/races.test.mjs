// Races: the same request many times at once gets the one answer the rules allow.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { API, rawRequest } from './lib/harness.mjs';
import { world, checkinBody, sessionBody } from './lib/world.mjs';

const w = await world({ tag: 'races', args: ['--quiet'] });
after(() => w.server.kill9());

const tally = (rs) => {
    const t = {};
    for (const r of rs) t[r.status] = (t[r.status] || 0) + 1;
    return t;
};
const many = (n, f) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

test('12 clinicians clearing the same alert at once: one 200, eleven 409', async () => {
    const f = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ fall: true }));
    assert.equal(f.status, 201);
    const al = (await w.clin1.get('/alerts')).json.find((a) => a.kind === 'fall' && !a.cleared_at);
    const rs = await many(12, () => w.clin1.post(`/alerts/${al.id}/clear`, {}));
    assert.deepEqual(tally(rs), { 200: 1, 409: 11 });
});

test('12 admins creating the same username at once: one 201, eleven 409', async () => {
    const rs = await many(12, () => w.admin.post('/users', { username: 'twin', password: 'twin-password-1', role: 'clinician', patient_id: null }));
    assert.deepEqual(tally(rs), { 201: 1, 409: 11 });
    assert.equal((await w.admin.get('/users')).json.filter((u) => u.username === 'twin').length, 1);
});

test('10 fall check-ins at once: each stored, each with its own alert', async () => {
    const rs = await many(10, () => w.pat_b.post(`/patients/${w.B}/checkins`, checkinBody({ fall: true })));
    assert.deepEqual(tally(rs), { 201: 10 });
    assert.ok(rs.every((r) => r.json.alerts.length === 1 && r.json.alerts[0].kind === 'fall'), 'each answer names its own fall');
    const falls = (await w.clin1.get('/alerts')).json.filter((a) => String(a.patient_id) === String(w.B) && a.kind === 'fall');
    assert.equal(falls.length, 10);
    assert.equal(new Set(falls.map((a) => a.key)).size, 10);
});

test('20 sessions at once from the patient and the clinician: all stored with distinct ids', async () => {
    const rs = await many(20, (i) => (i % 2 ? w.pat_a : w.clin1).post(`/patients/${w.A}/sessions`, sessionBody({ note: `race-${i}` })));
    assert.deepEqual(tally(rs), { 201: 20 });
    const ids = new Set(rs.map((r) => String(r.json.id)));
    assert.equal(ids.size, 20);
    const list = (await w.clin1.get(`/patients/${w.A}/sessions`)).json;
    for (let i = 0; i < 20; i++) assert.ok(list.some((s) => s.note === `race-${i}`), `race-${i}`);
});

test('a burst of 30 parallel wrong passwords gets at most 5 checked (401), the rest 429', async () => {
    const c = w.server.client();
    const rs = await many(30, (i) => c.req('POST', `${API}/session`, { json: { username: 'clin2', password: `guess-${i}` }, cookie: false, csrf: false }));
    const t = tally(rs);
    assert.equal((t[401] || 0) + (t[429] || 0), 30, JSON.stringify(t));
    assert.ok((t[401] || 0) <= 5, `${t[401]} wrong passwords were checked (401) in one burst; the limit is 5: ${JSON.stringify(t)}`);
});

test('slow clients do not block others (a half-sent request and an idle connection)', async () => {
    // One connection sends half its headers and stalls; another sends nothing. Others still get answers.
    const stall = rawRequest(w.server.port, `GET ${API}/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: mt_`, [], { timeoutMs: 3000 });
    const idle = rawRequest(w.server.port, '', [], { timeoutMs: 3000 });
    const rs = await many(8, () => w.clin1.get('/patients'));
    assert.deepEqual(tally(rs), { 200: 8 });
    await Promise.all([stall, idle]);
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
