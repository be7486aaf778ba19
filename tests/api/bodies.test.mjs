// Request bodies and routing: malformed JSON, rule violations with their field, size
// limits, content types, unknown paths and methods.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { API, rawRequest, day } from './lib/harness.mjs';
import { world, assessmentDoc, sessionBody, checkinBody, assertError } from './lib/world.mjs';

const w = await world({ tag: 'bodies' });
after(() => w.server.kill9());
const { A } = w;

async function counts() {
    const g = async (p) => (await w.clin1.get(p)).json.length;
    return {
        patients: await g('/patients'),
        assessments: await g(`/patients/${A}/assessments`),
        sessions: await g(`/patients/${A}/sessions`),
        checkins: await g(`/patients/${A}/checkins`),
    };
}
const initial = await counts();
// The writes the tests below mean to succeed, counted as they are acknowledged.
const made = { patients: 0, assessments: 0, sessions: 0, checkins: 0 };

const posts = [
    ['/patients', { display_name: 'Body Test', sex: 'male', birth_date: '1950-01-01' }],
    [`/patients/${A}/assessments`, assessmentDoc()],
    [`/patients/${A}/sessions`, sessionBody()],
    [`/patients/${A}/checkins`, checkinBody()],
    ['/triage', { symptoms: { muscle_pain: true } }],
];

const MALFORMED = ['{"display_name": ', '{bad json}', '[1,2', '{"a":1}}', '\u00ff\u00fe', "{'single': 'quotes'}", ''];

async function malformed(paths) {
    const bad = [];
    for (const p of paths) {
        for (const body of MALFORMED) {
            const r = await w.clin1.req('POST', p, { body, type: 'application/json' });
            if (body === '' && r.status === 400 && ['malformed_json', 'bad_request'].includes(r.json?.error?.code)) continue;
            if (r.status !== 400 || r.json?.error?.code !== 'malformed_json') bad.push(`${p} ${JSON.stringify(body)} -> ${r.status} ${r.text.slice(0, 100)}`);
        }
    }
    return bad;
}

test('malformed JSON to POST /patients answers 400 malformed_json with line and column', async () => {
    assert.deepEqual(await malformed(['/patients']), []);
    const r = await w.clin1.req('POST', '/patients', { body: '{\n  "display_name": "x",\n  "sex": "male",,\n', type: 'application/json' });
    assertError(r, 400, 'malformed_json');
    assert.match(r.json.error.message, /line 3/i, `no line number: ${r.json.error.message}`);
    assert.match(r.json.error.message, /col(umn)?\.? ?\d+/i, `no column: ${r.json.error.message}`);
});

test('malformed JSON to assessments, sessions, check-ins and triage answers 400 malformed_json', async () => {
    assert.deepEqual(await malformed(posts.slice(1).map(([p]) => p)), []);
    const r = await w.clin1.req('POST', `/patients/${A}/assessments`, { body: '{\n  "person": {\n    "sex": "female",,\n', type: 'application/json' });
    assertError(r, 400, 'malformed_json');
    assert.match(r.json.error.message, /line 3/i, `no line number: ${r.json.error.message}`);
});

test('malformed JSON on login answers 400 malformed_json', async () => {
    const r = await w.server.client().req('POST', `${API}/session`, { body: '{"username":', type: 'application/json', cookie: false });
    assertError(r, 400, 'malformed_json');
});

test('grip 250 answers 422 invalid_field with field measurements.grip', async () => {
    const r = await w.clin1.post(`/patients/${A}/assessments`, assessmentDoc({ grip: 250 }));
    const e = assertError(r, 422, 'invalid_field');
    assert.equal(e.field, 'measurements.grip');
    assert.match(e.message, /measurements\.grip/);
    assert.match(e.message, /250/);
});

test('assessment rule violations name their field (unknown key, wrong unit, missing sex)', async () => {
    const cases = [
        [assessmentDoc({ measurements: { gripp: 20 } }), 'measurements.gripp'],
        [assessmentDoc({ measurements: { grip: '30 stone' } }), 'measurements.grip'],
        [{ ...assessmentDoc(), person: { age: 70 } }, 'person.sex'],
        [assessmentDoc({ person: { age: 12 } }), 'person.age'],
        [{}, null],
    ];
    for (const [doc, field] of cases) {
        const r = await w.clin1.post(`/patients/${A}/assessments`, doc);
        const e = assertError(r, 422, 'invalid_field', JSON.stringify(doc).slice(0, 80));
        if (field) assert.equal(e.field, field, e.message);
    }
});

test('session pain 11 answers 422 with field pain; other session rules name their field', async () => {
    const cases = [
        [sessionBody({ pain: 11 }), 'pain'],
        [sessionBody({ pain: -1 }), 'pain'],
        [sessionBody({ effort: 0 }), 'effort'],
        [sessionBody({ effort: 11 }), 'effort'],
        [sessionBody({ date: day(3) }), 'date'],
        [sessionBody({ date: '2026-02-30' }), 'date'],
        [sessionBody({ note: 'x'.repeat(501) }), 'note'],
        [sessionBody({ exercises: [] }), 'exercises'],
        [sessionBody({ exercises: [{ id: 'juggling', level: 1, sets: 1, reps: 5 }] }), 'exercises[0].id'],
        [sessionBody({ exercises: [{ id: 'sit_to_stand', level: 7, sets: 1, reps: 5 }] }), 'exercises[0].level'],
        [sessionBody({ exercises: [{ id: 'sit_to_stand', level: 1, sets: 11, reps: 5 }] }), 'exercises[0].sets'],
        [sessionBody({ exercises: [{ id: 'sit_to_stand', level: 1, sets: 1, reps: 5, load_kg: 301 }] }), 'exercises[0].load_kg'],
        [{ ...sessionBody(), bogus: 1 }, 'bogus'],
    ];
    for (const [body, field] of cases) {
        const r = await w.pat_a.post(`/patients/${A}/sessions`, body);
        const e = assertError(r, 422, 'invalid_field', `${field}:`);
        assert.equal(e.field, field, `${JSON.stringify(body).slice(0, 100)}: ${e.message}`);
    }
});

test('check-in pain 11 answers 422 with field pain; fall must be a boolean', async () => {
    const r = await w.pat_a.post(`/patients/${A}/checkins`, checkinBody({ pain: 11 }));
    assert.equal(assertError(r, 422, 'invalid_field').field, 'pain');
    const f = await w.pat_a.post(`/patients/${A}/checkins`, { ...checkinBody(), fall: 'yes' });
    assert.equal(assertError(f, 422, 'invalid_field').field, 'fall');
    const s = await w.pat_a.post(`/patients/${A}/checkins`, checkinBody({ symptoms: { breathing_troubles: true } }));
    assert.equal(assertError(s, 422, 'invalid_field').field, 'symptoms.breathing_troubles');
    // docs/input.md: an empty object is refused as a likely mistake.
    const e = await w.pat_a.post(`/patients/${A}/checkins`, checkinBody({ symptoms: {} }));
    assert.equal(assertError(e, 422, 'invalid_field').field, 'symptoms');
});

test('patient rules: name 1-100, sex male|female, birth date real, not future, not before 1900', async () => {
    const ok = { display_name: 'Valid Name', sex: 'female', birth_date: '1950-01-01' };
    const cases = [
        [{ ...ok, display_name: '' }, 'display_name'],
        [{ ...ok, display_name: 'x'.repeat(101) }, 'display_name'],
        [{ ...ok, sex: 'other' }, 'sex'],
        [{ ...ok, sex: undefined }, 'sex'],
        [{ ...ok, birth_date: '1950-02-30' }, 'birth_date'],
        [{ ...ok, birth_date: day(2) }, 'birth_date'],
        [{ ...ok, birth_date: '1899-12-31' }, 'birth_date'],
        [{ ...ok, birth_date: '01/02/1950' }, 'birth_date'],
        [{ ...ok, display_name: 42 }, 'display_name'],
    ];
    for (const [body, field] of cases) {
        const r = await w.clin1.post('/patients', body);
        const e = assertError(r, 422, 'invalid_field', JSON.stringify(body));
        assert.equal(e.field, field, e.message);
    }
    const nobirth = await w.clin1.post('/patients', { display_name: 'No Birthdate', sex: 'male' });
    if (nobirth.status === 201) made.patients++;
    assert.equal(nobirth.status, 201, `birth_date is optional: ${nobirth.text}`);
});

test('a display name of 100 characters is accepted however many bytes they take', async () => {
    for (const name of ['x'.repeat(100), 'é'.repeat(100), '山'.repeat(100)]) {
        const r = await w.clin1.post('/patients', { display_name: name, sex: 'female' });
        if (r.status === 201) made.patients++;
        assert.equal(r.status, 201, `100 characters, ${Buffer.byteLength(name)} bytes: ${r.text}`);
    }
});

test('a body over 1 MiB with Content-Length answers 413 too_large', async () => {
    const size = 2 * 1024 * 1024;
    const head = `POST ${API}/patients/${A}/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Cookie: mt_session=${w.clin1.token}\r\nX-CSRF-Token: ${w.clin1.csrf}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const r = await rawRequest(w.server.port, head, Array(size / chunk.length).fill(chunk), { gapMs: 5 });
    assert.equal(r.status, 413, `got ${r.status} ${r.body.slice(0, 200)} (${r.error}, sent ${r.sent})`);
    assert.equal(r.json?.error?.code, 'too_large', r.body);
    assert.ok(r.sent < size, `refused only after the whole body was sent (${r.sent} bytes)`);
});

test('a Content-Length over 1 MiB is refused from the header alone', async () => {
    const head = `POST ${API}/patients/${A}/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Cookie: mt_session=${w.clin1.token}\r\nX-CSRF-Token: ${w.clin1.csrf}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${1024 * 1024 * 1024}\r\nConnection: close\r\n\r\n`;
    const r = await rawRequest(w.server.port, head, [], { timeoutMs: 5000 });
    assert.equal(r.status, 413, `got ${r.status} ${r.body.slice(0, 200)} (${r.error})`);
});

test('a chunked body over 1 MiB answers 413 too_large', async () => {
    const head = `POST ${API}/patients/${A}/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Cookie: mt_session=${w.clin1.token}\r\nX-CSRF-Token: ${w.clin1.csrf}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const data = Buffer.alloc(64 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(data.length.toString(16) + '\r\n'), data, Buffer.from('\r\n')]);
    const chunks = Array(40).fill(chunk).concat([Buffer.from('0\r\n\r\n')]); // 2.5 MiB
    const r = await rawRequest(w.server.port, head, chunks, { gapMs: 5 });
    assert.equal(r.status, 413, `got ${r.status} ${r.body.slice(0, 200)} (${r.error}, sent ${r.sent})`);
    assert.equal(r.json?.error?.code, 'too_large', r.body);
});

test('a body just under 1 MiB is read (not 413)', async () => {
    // A valid session with padding whitespace up to 1 MiB - 1 KiB: read and stored.
    const json = JSON.stringify(sessionBody({ note: 'padded' }));
    const body = json + ' '.repeat(1024 * 1024 - 1024 - json.length);
    const r = await w.pat_a.req('POST', `/patients/${A}/sessions`, { body, type: 'application/json' });
    if (r.status === 201) made.sessions++;
    assert.equal(r.status, 201, `${r.status} ${r.text.slice(0, 200)}`);
});

test('the server still answers after the oversized bodies', async () => {
    assert.equal((await w.clin1.get(`/patients/${A}`)).status, 200);
});

test('wrong content types answer 415: text/plain, form-encoded, none, multipart, json-ish', async () => {
    const bad = [];
    for (const [p, body] of posts) {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined, 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json']) {
            const r = await w.clin1.req('POST', p, { body: JSON.stringify(body), type });
            if (r.status !== 415 || r.json?.error?.code !== 'unsupported_media_type') bad.push(`${p} ${type} -> ${r.status} ${r.text.slice(0, 100)}`);
        }
    }
    const login = await w.server.client().req('POST', `${API}/session`, { body: 'username=clin1&password=x', type: 'application/x-www-form-urlencoded', cookie: false });
    if (login.status !== 415) bad.push(`login form-encoded -> ${login.status} ${login.text.slice(0, 100)}`);
    assert.deepEqual(bad, []);
});

test('application/json with a charset=utf-8 parameter (any case) is accepted', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
        const r = await w.pat_a.req('POST', `/patients/${A}/checkins`, { body: JSON.stringify(checkinBody()), type });
        if (r.status === 201) made.checkins++;
        assert.equal(r.status, 201, `${type}: ${r.status} ${r.text}`);
    }
});

test('refused bodies wrote nothing', async () => {
    const now = await counts();
    // Only the writes meant to succeed, and acknowledged, are there.
    assert.deepEqual(now, {
        patients: initial.patients + made.patients,
        assessments: initial.assessments + made.assessments,
        sessions: initial.sessions + made.sessions,
        checkins: initial.checkins + made.checkins,
    });
});

test('unknown endpoints answer 404 not_found', async () => {
    const bad = [];
    for (const [m, p] of [['GET', `${API}/nope`], ['GET', `${API}/patients/${A}/nope`], ['POST', `${API}/nope`],
        ['GET', `${API}/patients/${A}/assessments/1/extra`], ['GET', '/api/v2/patients'], ['GET', `${API}/`]]) {
        const r = await w.clin1.req(m, p, m === 'POST' ? { json: {} } : {});
        if (r.status !== 404 || r.json?.error?.code !== 'not_found') bad.push(`${m} ${p} -> ${r.status} ${r.text.slice(0, 80)}`);
    }
    assert.deepEqual(bad, []);
});

test('wrong method answers 405 method_not_allowed with Allow', async () => {
    const bad = [];
    const cases = [
        ['PUT', '/patients', ['GET', 'POST']],
        ['DELETE', '/patients', ['GET', 'POST']],
        ['PATCH', `/patients/${A}`, ['GET']],
        ['POST', `/patients/${A}`, ['GET']],
        ['DELETE', `/patients/${A}/assessments`, ['GET', 'POST']],
        ['PUT', `/patients/${A}/sessions`, ['GET', 'POST']],
        ['POST', `/patients/${A}/progress`, ['GET']],
        ['POST', `/patients/${A}/plan`, ['GET']],
        ['POST', `/patients/${A}/report`, ['GET']],
        ['DELETE', '/alerts', ['GET']],
        ['GET', '/alerts/1/clear', ['POST']],
        ['GET', '/triage', ['POST']],
        ['PUT', '/session', ['GET', 'POST', 'DELETE']],
        ['GET', `/patients/${A}/care-team`, ['POST']],
    ];
    for (const [m, p, allow] of cases) {
        const r = await w.clin1.req(m, p, m === 'GET' ? {} : { json: {} });
        const got = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
        const want = [...allow].sort();
        const okAllow = want.every((x) => got.includes(x)) && got.every((x) => x === 'HEAD' || want.includes(x));
        if (r.status !== 405 || r.json?.error?.code !== 'method_not_allowed' || !okAllow)
            bad.push(`${m} ${p} -> ${r.status} Allow: ${r.headers.get('allow')} ${r.text.slice(0, 80)}`);
    }
    assert.deepEqual(bad, []);
});

test('malformed path ids and query parameters answer 400 bad_request', async () => {
    const bad = [];
    for (const p of ['/patients/abc', `/patients/${A}/assessments/xyz`, '/alerts/abc/clear',
        `/patients/${A}/progress?from=2026-13-01`, `/patients/${A}/report?to=yesterday`, '/audit?limit=lots']) {
        const r = await w.clin1.req(p.includes('clear') ? 'POST' : 'GET', p, p.includes('clear') ? { json: {} } : {});
        const r2 = p.startsWith('/audit') ? await w.admin.get(p) : r;
        if (r2.status !== 400 || r2.json?.error?.code !== 'bad_request') bad.push(`${p} -> ${r2.status} ${r2.text.slice(0, 80)}`);
    }
    const m = await w.clin1.post(`/patients/${A}/assessments?measured_on=2026-02-30`, assessmentDoc());
    if (m.status !== 400 || m.json?.error?.code !== 'bad_request') bad.push(`measured_on=2026-02-30 -> ${m.status} ${m.text.slice(0, 80)}`);
    const f = await w.clin1.post(`/patients/${A}/assessments?measured_on=${day(2)}`, assessmentDoc());
    if (![400, 422].includes(f.status)) bad.push(`measured_on in the future -> ${f.status} ${f.text.slice(0, 80)}`);
    assert.deepEqual(bad, []);
});

test('every answer carries no-store, nosniff and no-referrer, errors included', async () => {
    for (const r of [await w.clin1.get('/patients'), await w.clin1.get('/nope'), await w.server.client().get('/patients')]) {
        assert.equal(r.headers.get('cache-control'), 'no-store');
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
        assert.match(r.headers.get('content-type') || '', /^application\/json/);
    }
});

test('pages carry a Content-Security-Policy allowing only this origin (no inline script, no third party)', async () => {
    const r = await fetch(w.server.url + '/');
    await r.text();
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/, csp);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/, csp);
    const script = csp.match(/script-src ([^;]*)/);
    assert.ok(!script || script[1].trim() === "'self'", csp);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
