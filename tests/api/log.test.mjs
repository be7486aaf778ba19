// The request log on stderr: one line per request with method, path, status and
// duration; never a password, a token, a cookie, a body, a query string or a clinical value.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from './lib/harness.mjs';
import { world, assessmentDoc, sessionBody, PW } from './lib/world.mjs';

const w = await world({ tag: 'log' });
after(() => w.server.kill9());

const GRIP = 41.2873; // four decimals: no duration looks like it
const NOTE = 'secret-note-kneecap-7731';
const MEASURED = '2024-07-19';

// A failed login with a distinctive password, a login, and clinical writes and reads.
const failed = await w.server.client().req('POST', '/api/v1/session', {
    json: { username: 'clin1', password: 'Wr0ng-But-Distinctive-Pw!' }, cookie: false, csrf: false,
});
const c = w.server.client();
await c.login('clin1', PW.clin1);
const post = await c.post(`/patients/${w.A}/assessments?measured_on=${MEASURED}`, assessmentDoc({ grip: GRIP }));
const sess = await c.post(`/patients/${w.A}/sessions`, sessionBody({ note: NOTE, pain: 4 }));
const get = await c.get(`/patients/${w.A}/progress?from=${MEASURED}`);
const missing = await c.get('/no/such/thing');
await sleep(200); // let the last lines reach the pipe
const lines = w.server.stderr.split('\n').filter(Boolean);

test('the requests answered as expected (control)', () => {
    assert.equal(failed.status, 401);
    assert.equal(post.status, 201, post.text.slice(0, 200));
    assert.equal(sess.status, 201, sess.text.slice(0, 200));
    assert.equal(get.status, 200);
    assert.equal(missing.status, 404);
});

function lineFor(method, path, status) {
    return lines.find((l) => l.includes(method) && new RegExp(`${path.replace(/[/.?]/g, '\\$&')}(\\s|$)`).test(l) && new RegExp(`\\b${status}\\b`).test(l));
}

test('each request has one log line with time, method, path, status and duration', () => {
    const want = [
        ['POST', '/api/v1/session', 401],
        ['POST', '/api/v1/session', 200],
        ['POST', `/api/v1/patients/${w.A}/assessments`, 201],
        ['POST', `/api/v1/patients/${w.A}/sessions`, 201],
        ['GET', `/api/v1/patients/${w.A}/progress`, 200],
        ['GET', '/no/such/thing', 404],
    ];
    for (const [m, p, s] of want) {
        const l = lineFor(m, p, s);
        assert.ok(l, `no log line for ${m} ${p} ${s} in:\n${lines.join('\n')}`);
        assert.match(l, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|\d\d:\d\d:\d\d/, `no time: ${l}`);
        assert.match(l, /\d+(\.\d+)? ?ms\b/, `no duration in ms: ${l}`);
    }
});

test('the log never holds a password, token, cookie, CSRF token, body, query string or clinical value', () => {
    const log = w.server.stderr;
    const secrets = {
        'wrong password': 'Wr0ng-But-Distinctive-Pw!',
        'right password': PW.clin1,
        'session token': c.token,
        'CSRF token': c.csrf,
        'grip value': String(GRIP),
        'session note': NOTE,
        'query string (measured_on)': MEASURED,
        'query string marker': '?measured_on',
        'patient name': 'Alice Example',
        'cookie name': 'mt_session=',
    };
    const leaks = Object.entries(secrets).filter(([, v]) => log.includes(v)).map(([k]) => k);
    assert.deepEqual(leaks, [], `the log holds: ${leaks.join(', ')}`);
});

test('--quiet writes no request log', async () => {
    const { Server } = await import('./lib/harness.mjs');
    const s = await Server.start({ db: w.db, args: ['--quiet'] });
    try {
        const q = s.client();
        await q.login('clin2', PW.clin2);
        await q.get('/patients');
        await sleep(100);
        assert.doesNotMatch(s.stderr, /\/api\/v1\/patients/, s.stderr);
    } finally {
        assert.deepEqual(await s.stop(), { code: 0, signal: null });
    }
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
});
