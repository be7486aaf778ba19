// The tracking flow: assessments over time, sessions, check-ins, alerts, progress, plan.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { MYOTRACK, day } from './lib/harness.mjs';
import { world, assessmentDoc, sessionBody, checkinBody, createdId, createPatient, assertError } from './lib/world.mjs';

const w = await world({ tag: 'track' });
after(() => w.server.kill9());
const T = await createPatient(w.clin1, 'Tracked Person', 'female', '1947-03-04');
// A has a plan to pause: an assessment from two weeks ago.
const seedA = await w.clin1.post(`/patients/${w.A}/assessments?measured_on=${day(-14)}`, assessmentDoc({ grip: 19 }));
assert.equal(seedA.status, 201, seedA.text.slice(0, 200));

function cliResult(doc) {
    const r = spawnSync(MYOTRACK, ['assess', '-', '--format', 'json'], { input: JSON.stringify(doc), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
}
const prescriptionOf = (j) => j?.prescription ?? j?.plan ?? j;
const alertsOf = async (client, pid) => (await client.get('/alerts')).json.filter((a) => String(a.patient_id) === String(pid));

const doc1 = assessmentDoc({ grip: 22 });
const doc2 = assessmentDoc({ grip: 15 }); // 7 kg (32 %) less: a meaningful decline and a 20 % drop
const d1 = day(-60);
const d2 = day(-30);
let a1, a2, res1;

test('POST assessment with an earlier measured_on answers 201, Location, the engine result with triage first', async () => {
    const r = await w.clin1.post(`/patients/${T}/assessments?measured_on=${d1}`, doc1);
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.equal(Object.keys(r.json)[0], 'triage', 'triage is the first key');
    assert.match(r.text.trimStart(), /^\{\s*"triage"/);
    const loc = r.headers.get('location');
    assert.match(loc || '', new RegExp(`^/api/v1/patients/${T}/assessments/\\d+$`), `Location: ${loc}`);
    a1 = createdId(r);
    res1 = r.json;
    const r2 = await w.clin1.post(`/patients/${T}/assessments?measured_on=${d2}`, doc2);
    assert.equal(r2.status, 201, r2.text.slice(0, 300));
    a2 = createdId(r2);
    assert.notEqual(a1, a2);
});

test('an assessment is answered and stored compact: the same result as the engine renders, without its indentation', async () => {
    const P = await createPatient(w.clin1, 'Compact Result', 'female', '1949-06-01');
    const doc = assessmentDoc();
    const r = await w.clin1.post(`/patients/${P}/assessments`, doc);
    assert.equal(r.status, 201, r.text.slice(0, 200));
    assert.ok(!/\n|": |, "/.test(r.text), 'the answer holds no whitespace between tokens');
    const engine = spawnSync(MYOTRACK, ['assess', '-', '--format', 'json'], { input: JSON.stringify(doc), encoding: 'utf8' });
    assert.equal(engine.status, 0, engine.stderr);
    const rendered = cliResult(doc);
    // The engine's version and the date of the assessment are the only things that may differ.
    assert.deepEqual(Object.keys(r.json), Object.keys(rendered));
    assert.deepEqual(r.json.definitions, rendered.definitions);
    assert.deepEqual(r.json.plan, rendered.plan);
    const id = r.headers.get('location').split('/').pop();
    const g = await w.clin1.get(`/patients/${P}/assessments/${id}`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json.result, r.json);
    assert.ok(r.text.length < engine.stdout.length * 0.75, `${r.text.length} bytes against ${engine.stdout.length}`);
});

test('the stored result is exactly what `myotrack assess --format json` prints', () => {
    assert.deepEqual(res1, cliResult(doc1));
});

test('assessments list is newest first with measured_on, created_by, engine_version, triage_level', async () => {
    const r = await w.clin1.get(`/patients/${T}/assessments`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.map((x) => String(x.id)), [String(a2), String(a1)]);
    assert.deepEqual(r.json.map((x) => x.measured_on), [d2, d1]);
    for (const x of r.json) {
        assert.match(x.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(x.created_by, 'created_by');
        assert.equal(x.engine_version, res1.engine.version);
        assert.equal(x.triage_level, res1.triage.level);
        assert.ok(!('document' in x) && !('result' in x), 'the list carries no documents');
    }
});

test('GET one assessment returns its document and result as stored', async () => {
    const r = await w.clin1.get(`/patients/${T}/assessments/${a1}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.document, doc1);
    assert.deepEqual(r.json.result, res1);
    assert.equal(r.json.measured_on, d1);
});

test('measured_on defaults to today', async () => {
    const P = await createPatient(w.clin1, 'Today Person');
    const r = await w.clin1.post(`/patients/${P}/assessments`, assessmentDoc());
    assert.equal(r.status, 201);
    const l = await w.clin1.get(`/patients/${P}/assessments`);
    assert.ok([day(0), day(-1)].includes(l.json[0].measured_on), l.json[0].measured_on);
});

test('a meaningful grip decline between two assessments raises a decline alert', async () => {
    const al = await alertsOf(w.clin1, T);
    const decline = al.find((a) => a.kind === 'decline' || /^decline/.test(a.key));
    assert.ok(decline, `no decline alert: ${JSON.stringify(al)}`);
    assert.equal(decline.level, 'review');
    assert.equal(decline.cleared_at, null);
    assert.ok(decline.explanation.length > 10);
    assert.ok(al.some((a) => a.kind === 'drop_20_percent'), `32 % grip drop: ${JSON.stringify(al.map((a) => a.key))}`);
    const p = await w.clin1.get(`/patients/${T}`);
    assert.ok(p.json.open_alerts >= 1, `open_alerts ${p.json.open_alerts}`);
});

test('progress has the grip series with its change labelled and the thresholds', async () => {
    const r = await w.clin1.get(`/patients/${T}/progress`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const prog = r.json.progress ?? r.json;
    const grip = prog.measures.find((m) => m.measure === 'grip');
    assert.ok(grip, 'grip series');
    assert.equal(grip.unit, 'kg');
    assert.deepEqual(grip.series.map((p) => p.value), [22, 15]);
    assert.deepEqual(grip.series.map((p) => p.date), [d1, d2]);
    assert.equal(grip.series[0].change, null);
    assert.equal(grip.series[1].change, -7);
    assert.match(grip.series[1].label, /decline/);
    assert.ok(Array.isArray(grip.thresholds) && grip.thresholds.length > 0);
    assert.ok(grip.meaningful_change && grip.meaningful_change.small > 0);
});

test('progress ?from= limits the series', async () => {
    const r = await w.clin1.get(`/patients/${T}/progress?from=${day(-45)}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const grip = (r.json.progress ?? r.json).measures.find((m) => m.measure === 'grip');
    assert.deepEqual(grip.series.map((p) => p.value), [15]);
});

test('POST session answers 201 with id, alerts and plan; pain 6 raises no alert', async () => {
    const r = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ pain: 6, date: day(-1) }));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.ok(createdId(r) !== undefined);
    assert.ok(Array.isArray(r.json.alerts));
    assert.deepEqual(r.json.alerts, []);
    assert.ok(r.json.plan && typeof r.json.plan === 'object', 'plan');
    assert.equal((await alertsOf(w.clin1, w.A)).filter((a) => a.kind === 'pain').length, 0);
});

test('a session with pain 7 raises a pain alert', async () => {
    const r = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ pain: 7 }));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.equal(r.json.alerts.length, 1, JSON.stringify(r.json.alerts));
    assert.equal(r.json.alerts[0].kind, 'pain');
    const al = await alertsOf(w.clin1, w.A);
    assert.equal(al.filter((a) => a.kind === 'pain').length, 1);
    const list = await w.clin1.get(`/patients/${w.A}/sessions`);
    assert.equal(list.json.length, 2);
    assert.deepEqual(list.json.map((s) => s.pain), [7, 6], 'newest first');
    for (const s of list.json) for (const k of ['id', 'date', 'created_at', 'created_by', 'effort', 'exercises']) assert.ok(k in s, `session.${k}`);
});

test('POST check-in answers 201 with id, triage and alerts', async () => {
    const r = await w.pat_b.post(`/patients/${w.B}/checkins`, checkinBody({ pain: 1, symptoms: { muscle_pain: true } }));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.ok(createdId(r) !== undefined);
    assert.equal(Object.keys(r.json)[0], 'triage', 'triage first');
    assert.equal(typeof r.json.triage.level, 'string');
    assert.deepEqual(r.json.alerts, []);
    assert.equal((await w.pat_b.get(`/patients/${w.B}/checkins`)).json.length, 1);
});

let fallAlert;
test('a check-in with a fall raises a fall alert the clinician sees in GET /alerts', async () => {
    const r = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ fall: true, pain: 3 }));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.deepEqual(r.json.alerts.map((a) => a.kind), ['fall']);
    const al = await alertsOf(w.clin1, w.A);
    fallAlert = al.find((a) => a.kind === 'fall');
    assert.ok(fallAlert, JSON.stringify(al));
    assert.equal(fallAlert.cleared_at, null);
    assert.equal(fallAlert.cleared_by, null);
    assert.equal(fallAlert.patient, 'Alice Example');
    for (const k of ['id', 'patient_id', 'patient', 'key', 'kind', 'level', 'date', 'explanation', 'source', 'created_at', 'cleared_at', 'cleared_by'])
        assert.ok(k in fallAlert, `alert field ${k}`);
});

test('after a fall the plan shows progression paused', async () => {
    const r = await w.clin1.get(`/patients/${w.A}/plan`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal(Object.keys(r.json)[0], 'triage', 'the triage leads the plan');
    for (const k of ['prescription', 'disclaimer']) assert.ok(k in r.json, `plan field ${k}`);
    const p = prescriptionOf(r.json);
    assert.notEqual(p.status, 'progress', `status after a fall: ${p.status}`);
    assert.equal(p.load_progression, false);
    assert.match(JSON.stringify(p), /fall/i);
});

test('clearing an alert answers 200 with it, a second clear 409; the plan resumes', async () => {
    const r = await w.clin1.post(`/alerts/${fallAlert.id}/clear`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(String(r.json.id), String(fallAlert.id));
    assert.match(r.json.cleared_at, /^\d{4}-\d\d-\d\dT/);
    assert.ok(r.json.cleared_by, 'cleared_by');
    const again = await w.clin1.post(`/alerts/${fallAlert.id}/clear`, {});
    assertError(again, 409, 'conflict');
    const al = await alertsOf(w.clin1, w.A);
    assert.ok(al.find((a) => a.id === fallAlert.id).cleared_at);
    const plan = prescriptionOf((await w.clin1.get(`/patients/${w.A}/plan`)).json);
    assert.doesNotMatch(plan.reason || '', /fall/i, `still paused for the fall: ${plan.reason}`);
});

test('tracking the same history again never duplicates an alert', async () => {
    const before = await alertsOf(w.clin1, w.A);
    for (let i = 0; i < 3; i++) {
        await w.clin1.get(`/patients/${w.A}/plan`);
        await w.clin1.get(`/patients/${w.A}/progress`);
    }
    const s = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ pain: 3 }));
    assert.equal(s.status, 201);
    const after = await alertsOf(w.clin1, w.A);
    assert.deepEqual(after.map((a) => a.key).sort(), before.map((a) => a.key).sort());
    assert.equal(new Set(after.map((a) => a.key)).size, after.length, 'duplicate keys');
});

test('alerts are listed open first', async () => {
    const al = await alertsOf(w.clin1, w.A);
    const firstCleared = al.findIndex((a) => a.cleared_at);
    assert.ok(firstCleared >= 0);
    assert.ok(al.slice(firstCleared).every((a) => a.cleared_at), al.map((a) => `${a.kind}:${a.cleared_at}`).join(' '));
});

test('a check-in with a red-flag symptom answers triage emergency at once and raises a red_flag alert first', async () => {
    const r = await w.pat_b.post(`/patients/${w.B}/checkins`, checkinBody({ symptoms: { breathing_trouble: true } }));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.equal(r.json.triage.level, 'emergency');
    assert.ok(r.json.triage.action.length > 0);
    assert.ok(r.json.alerts.some((a) => a.kind === 'red_flag' && a.level === 'emergency'), JSON.stringify(r.json.alerts));
    const al = await w.clin1.get('/alerts');
    assert.equal(al.json[0].kind, 'red_flag', 'red flags first');
    assert.equal(String(al.json[0].patient_id), String(w.B));
    const pl = await w.clin1.get('/patients');
    const open = pl.json.map((p) => p.open_alerts > 0);
    assert.deepEqual(open, [...open].sort((x, y) => y - x), 'patients with open alerts first');
});

test('POST /triage answers the triage of partial symptoms and stores nothing', async () => {
    const r = await w.pat_a.post('/triage', { symptoms: { face_droop: true } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.level, 'emergency');
    for (const k of ['level', 'action', 'reason', 'explanation', 'source', 'reasons']) assert.ok(k in r.json, `triage.${k}`);
    const none = await w.pat_a.post('/triage', {});
    assert.equal(none.status, 200, none.text);
});

test('the report has everything the printable report needs', async () => {
    const r = await w.clin1.get(`/patients/${T}/report?from=${day(-90)}&to=${day(0)}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    for (const k of ['patient', 'from', 'to', 'triage', 'progress', 'prescription', 'disclaimer', 'assessments', 'sessions', 'checkins', 'alerts'])
        assert.ok(k in r.json, `report.${k}`);
    assert.equal(r.json.from, day(-90));
    assert.equal(r.json.to, day(0));
    assert.equal(r.json.assessments.length, 2);
    assert.ok(r.json.assessments.every((a) => a.result && a.result.triage && a.document && a.document.measurements), 'each with its document and result');
    const narrow = await w.clin1.get(`/patients/${T}/report?from=${day(-45)}&to=${day(0)}`);
    assert.equal(narrow.status, 200);
    assert.deepEqual(narrow.json.assessments.map((a) => a.measured_on), [d2], 'limited to the date range');
    assert.equal(r.json.patient.display_name, 'Tracked Person');
});

test('a patient logs their own session and reads their own plan and progress', async () => {
    assert.equal((await w.pat_a.get(`/patients/${w.A}/plan`)).status, 200);
    assert.equal((await w.pat_a.get(`/patients/${w.A}/progress`)).status, 200);
    const s = await w.pat_a.post(`/patients/${w.A}/assessments`, assessmentDoc({ grip: 21 }));
    assert.equal(s.status, 201, 'a self-assessment');
});

test('a repeated progress or plan is answered from the cache until a record changes the history, and every read is audited', async () => {
    const U = await createPatient(w.clin1, 'Cached Person', 'male', '1945-06-07');
    const reads = async () => (await w.admin.get(`/audit?patient_id=${U}&limit=10000`)).json
        .filter((e) => e.action === 'read' && e.object === 'history').length;
    const gripValues = (r) => (r.json.progress ?? r.json).measures.find((m) => m.measure === 'grip').series.map((p) => p.value);
    assert.equal((await w.clin1.post(`/patients/${U}/assessments?measured_on=${day(-40)}`, assessmentDoc({ grip: 30 }))).status, 201);
    const before = await reads();
    const r1 = await w.clin1.get(`/patients/${U}/progress`);
    const r2 = await w.clin1.get(`/patients/${U}/progress`);
    const p1 = await w.clin1.get(`/patients/${U}/plan`);
    const p2 = await w.clin1.get(`/patients/${U}/plan`);
    for (const r of [r1, r2, p1, p2]) assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r2.text, r1.text, 'the same history, the same progress');
    assert.equal(p2.text, p1.text, 'the same history, the same plan');
    assert.deepEqual(gripValues(r1), [30]);
    assert.equal(await reads(), before + 4, 'an answer from the cache is audited like any read');
    // A new record shows at once, whoever wrote it and whoever reads.
    assert.equal((await w.clin1.post(`/patients/${U}/assessments?measured_on=${day(-20)}`, assessmentDoc({ grip: 27 }))).status, 201);
    assert.deepEqual(gripValues(await w.clin1.get(`/patients/${U}/progress`)), [30, 27]);
    assert.equal((await w.clin1.post(`/patients/${U}/assessments?measured_on=${day(-5)}`, assessmentDoc({ grip: 25 }))).status, 201);
    assert.deepEqual(gripValues(await w.clin1.get(`/patients/${U}/progress`)), [30, 27, 25]);
    // A range is its own answer; the cache never serves one range for another.
    assert.deepEqual(gripValues(await w.clin1.get(`/patients/${U}/progress?from=${day(-25)}`)), [27, 25]);
    assert.deepEqual(gripValues(await w.clin1.get(`/patients/${U}/progress`)), [30, 27, 25]);
    // Access is checked every time: a cached answer is no way in for another clinician.
    assertError(await w.clin2.get(`/patients/${U}/progress`), 404, 'not_found');
    assert.equal(await reads(), before + 8);
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
