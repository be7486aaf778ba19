// Text that looks like SQL, quotes, LIKE wildcards, unicode and emoji is stored and
// returned verbatim (prepared statements only), and nothing is dropped.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { world, assessmentDoc, sessionBody, checkinBody, createdId } from './lib/world.mjs';

const w = await world({ tag: 'inject' });
after(() => w.server.kill9());

const NASTY = [
    "Robert'); DROP TABLE patients;--",
    "O'Brien \"the quote\" `back` \\backslash\\",
    '100% _under_ %% __ [a-z]* ? ^$',
    "'; DELETE FROM users WHERE '1'='1",
    '" OR ""="',
    'Zoë Ångström-Łukasiewicz 山田 太郎 Ωμέγα עברית العربية',
    'emoji 💪🏽🧓🏻👩‍⚕️ and ZWJ',
    '<script>alert(1)</script> &amp; </textarea>',
    "x'||(SELECT password_hash FROM users LIMIT 1)||'",
    'json "}], "role": "admin", "x": ["',
    '\u00a0no-break\u2028line-sep\u2029para',
];

test('display_name with SQL metacharacters, quotes, %, _, unicode and emoji is stored verbatim', async () => {
    const ids = [];
    for (const name of NASTY) {
        const r = await w.clin1.post('/patients', { display_name: name, sex: 'female', birth_date: '1950-02-03' });
        assert.equal(r.status, 201, `${JSON.stringify(name)}: ${r.text}`);
        const id = createdId(r);
        ids.push([id, name]);
        const g = await w.clin1.get(`/patients/${id}`);
        assert.equal(g.status, 200);
        assert.equal(g.json.display_name, name);
    }
    const list = await w.clin1.get('/patients');
    for (const [id, name] of ids) {
        const p = list.json.find((x) => String(x.id) === String(id));
        assert.ok(p, `patient ${id} in the list`);
        assert.equal(p.display_name, name);
    }
    // Still every table there: the seeded people still work.
    assert.equal((await w.clin1.get(`/patients/${w.A}`)).status, 200);
    assert.equal((await w.admin.get('/users')).json.length, 5);
});

test('session and check-in notes with SQL metacharacters and emoji come back verbatim', async () => {
    for (const note of NASTY) {
        const s = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ note }));
        assert.equal(s.status, 201, `${JSON.stringify(note)}: ${s.text}`);
        const c = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ note }));
        assert.equal(c.status, 201, `${JSON.stringify(note)}: ${c.text}`);
    }
    const s = await w.clin1.get(`/patients/${w.A}/sessions`);
    const c = await w.clin1.get(`/patients/${w.A}/checkins`);
    assert.equal(s.status, 200);
    const sNotes = s.json.map((x) => x.note ?? x.data?.note);
    const cNotes = c.json.map((x) => x.note ?? x.data?.note);
    for (const note of NASTY) {
        assert.ok(sNotes.includes(note), `session note ${JSON.stringify(note)} not returned verbatim: ${JSON.stringify(sNotes)}`);
        assert.ok(cNotes.includes(note), `check-in note ${JSON.stringify(note)} not returned verbatim`);
    }
});

test('a multi-line note with tabs (a text area\'s text) is stored verbatim', async () => {
    const note = 'Line one\nline two\twith a tab\nline three';
    const s = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ note }));
    assert.equal(s.status, 201, `a session note with newlines: ${s.text}`);
    const c = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ note }));
    assert.equal(c.status, 201, `a check-in note with newlines: ${c.text}`);
    const list = (await w.clin1.get(`/patients/${w.A}/sessions`)).json;
    assert.ok(list.some((x) => (x.note ?? x.data?.note) === note));
});

test('a note with CRLF line ends is stored verbatim', async () => {
    const note = 'Line one\r\nline two';
    const s = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ note }));
    assert.equal(s.status, 201, `a session note with CRLF: ${s.text}`);
    const c = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ note }));
    assert.equal(c.status, 201, `a check-in note with CRLF: ${c.text}`);
});

test('a 500-character note of 4-byte emoji is accepted (characters, not bytes)', async () => {
    const note = '💪'.repeat(500);
    const s = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ note }));
    assert.equal(s.status, 201, s.text.slice(0, 200));
    const over = await w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ note: note + '💪' }));
    assert.equal(over.status, 422, over.text.slice(0, 200));
    assert.equal(over.json.error.field, 'note');
});

test('an assessment document\'s free text with SQL and emoji is stored and returned verbatim', async () => {
    const part = "left leg'); DROP TABLE assessments;-- 💪 Zoë";
    const doc = assessmentDoc({ history: { immobilization_weeks: 4, immobilized_part: part, conditions: [], medications: [] } });
    const r = await w.clin1.post(`/patients/${w.A}/assessments`, doc);
    assert.equal(r.status, 201, r.text.slice(0, 300));
    const loc = r.headers.get('location');
    const g = await w.clin1.get(loc);
    assert.equal(g.status, 200, g.text.slice(0, 300));
    assert.deepEqual(g.json.document, doc);
    assert.equal(g.json.document.history.immobilized_part, part);
});

test('path ids and query values with SQL are refused as bad requests, never run', async () => {
    const bad = [];
    for (const p of [`/patients/1%20OR%201=1`, `/patients/1;DROP%20TABLE%20patients`, `/patients/'1'`, '/patients/-1', '/patients/1e3', '/patients/0x10']) {
        const r = await w.clin1.get(p);
        if (![400, 404].includes(r.status) || !r.json?.error) bad.push(`${p} -> ${r.status} ${r.text.slice(0, 80)}`);
    }
    const q = await w.admin.get("/audit?patient_id=1%20OR%201%3D1");
    if (q.status !== 400) bad.push(`/audit?patient_id=1 OR 1=1 -> ${q.status} ${q.text.slice(0, 80)}`);
    assert.deepEqual(bad, []);
    assert.equal((await w.clin1.get(`/patients/${w.A}`)).status, 200);
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
