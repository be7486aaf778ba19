// Logging in and out: one answer for every failure, throttling, the cookie, expiry.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { API, Server, tempDir, userAdd, sessionCookie, have, sql } from './lib/harness.mjs';
import { assertError } from './lib/world.mjs';

const dir = tempDir('login');
const db = path.join(dir, 'login.db');
const users = { ann: 'ann-Passw0rd-1', ben: 'ben-Passw0rd-2', cat: 'cat-Passw0rd-3', dan: 'dan-Passw0rd-4', eve: 'eve-Passw0rd-5' };
for (const [u, p] of Object.entries(users)) userAdd(db, u, 'clinician', p);
const server = await Server.start({ db });
after(() => server.kill9());

const login = (username, password, o = {}) =>
    server.client().req('POST', `${API}/session`, { json: { username, password }, cookie: false, csrf: false, ...o });

test('login answers 200 with csrf_token, role, username, patient_id null, expires_at in 8 hours', async () => {
    const r = await login('ann', users.ann);
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.csrf_token, /^[0-9a-f]{32,}$/i);
    assert.equal(r.json.role, 'clinician');
    assert.equal(r.json.username, 'ann');
    assert.equal(r.json.patient_id, null);
    assert.match(r.json.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const dt = Date.parse(r.json.expires_at) - Date.now();
    assert.ok(Math.abs(dt - 8 * 3600e3) < 5 * 60e3, `expires_at ${r.json.expires_at} is not ~8 h from now`);
    assert.match(r.headers.get('content-type'), /^application\/json; ?charset=utf-8$/i);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
});

test('session cookie is a 256-bit hex token with HttpOnly, SameSite=Strict, Path=/ and no Secure over http', async () => {
    const r = await login('ann', users.ann);
    const c = sessionCookie(r.headers);
    assert.ok(c, 'no mt_session cookie');
    assert.match(c.value, /^[0-9a-f]{64}$/);
    const attrs = c.raw.split(';').slice(1).map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), c.raw);
    assert.ok(attrs.includes('samesite=strict'), c.raw);
    assert.ok(attrs.includes('path=/'), c.raw);
    assert.ok(!attrs.includes('secure'), `Secure over plain http: ${c.raw}`);
    assert.notEqual(c.value, r.json.csrf_token, 'CSRF token differs from the session token');
    assert.ok(!r.text.includes(c.value), 'the session token is not in the body');
});

test('two logins get different tokens', async () => {
    const a = sessionCookie((await login('ann', users.ann)).headers).value;
    const b = sessionCookie((await login('ann', users.ann)).headers).value;
    assert.notEqual(a, b);
});

test('user names ignore ASCII case at login', async () => {
    const r = await login('ANN', users.ann);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.username, 'ann');
});

test('GET /session reads the current session and recovers its CSRF token', async () => {
    const c = server.client();
    await c.login('ben', users.ben);
    const r = await c.get('/session');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.username, 'ben');
    assert.equal(r.json.role, 'clinician');
    assert.equal(r.json.csrf_token, c.csrf);
    assert.equal(r.json.expires_at, c.me.expires_at);
    assert.ok('patient_id' in r.json);
});

test('wrong password and unknown user get the same 401 body', async () => {
    const wrong = await login('ben', 'not-the-password');
    const unknown = await login('nobody-like-this', 'not-the-password');
    assertError(wrong, 401, 'unauthenticated');
    assert.equal(wrong.text, unknown.text);
    assert.equal(unknown.status, 401);
    assert.equal(sessionCookie(wrong.headers), null, 'no cookie on a failed login');
});

test('username lookup with SQL metacharacters is just a wrong login (401)', async () => {
    for (const u of ["' OR '1'='1", "ann'--", 'ann" OR ""="', '%', '_nn']) {
        const r = await login(u, "' OR '1'='1");
        assertError(r, 401, 'unauthenticated', u);
    }
});

test('login with missing or mistyped fields is refused (400/401/422), never 200', async () => {
    for (const body of [{}, { username: 'ann' }, { password: users.ann }, { username: 'ann', password: 12345678 }, { username: ['ann'], password: users.ann }]) {
        const r = await login(body.username, body.password, { json: body });
        assert.ok([400, 401, 422].includes(r.status), `${JSON.stringify(body)} -> ${r.status} ${r.text}`);
        assert.ok(r.json?.error, r.text);
    }
});

test('throttling: after 5 failures, 429 with Retry-After even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
        const r = await login('cat', `wrong-password-${i}`);
        assertError(r, 401, 'unauthenticated', `failure ${i}`);
    }
    const r = await login('cat', users.cat);
    assertError(r, 429, 'too_many_attempts', 'right password after 5 failures');
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra > 0 && ra <= 15 * 60, `Retry-After: ${r.headers.get('retry-after')}`);
    assert.equal(sessionCookie(r.headers), null, 'no cookie while throttled');
    const again = await login('cat', 'wrong-again');
    assert.equal(again.status, 429);
});

test('throttling is per username: another account still logs in', async () => {
    const r = await login('dan', users.dan);
    assert.equal(r.status, 200, r.text);
});

test('throttling counts failures across letter case of the username', async () => {
    for (let i = 0; i < 5; i++) await login(i % 2 ? 'EVE' : 'eve', 'wrong-password');
    const r = await login('eve', users.eve);
    assert.equal(r.status, 429, `after 5 failures as eve/EVE: ${r.status} ${r.text}`);
});

test('logout answers 204, clears the cookie, and the old token no longer works', async () => {
    const c = server.client();
    await c.login('ann', users.ann);
    const old = c.token;
    const r = await c.del('/session');
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    const cleared = sessionCookie(r.headers);
    assert.ok(cleared, 'logout sets a clearing cookie');
    assert.ok(cleared.value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cleared.raw), `not cleared: ${cleared.raw}`);
    const after1 = await c.get('/session', { cookie: old });
    assertError(after1, 401, 'unauthenticated', 'old token after logout');
    const after2 = await c.get('/patients', { cookie: old });
    assertError(after2, 401, 'unauthenticated');
});

test('logout of one session leaves the user\'s other sessions alone', async () => {
    const a = server.client();
    const b = server.client();
    await a.login('ann', users.ann);
    await b.login('ann', users.ann);
    assert.equal((await a.del('/session')).status, 204);
    assert.equal((await b.get('/session')).status, 200);
});

test('garbage and forged session tokens get 401', async () => {
    const c = server.client();
    const bad = [];
    for (const tok of [randomBytes(32).toString('hex'), 'garbage', '', 'x'.repeat(5000), "' OR 1=1 --", '0'.repeat(64), randomBytes(32).toString('hex').toUpperCase()]) {
        const r = await c.get('/patients', { cookie: tok });
        if (r.status !== 401 || r.json?.error?.code !== 'unauthenticated') bad.push(`${tok.slice(0, 20)}… -> ${r.status} ${r.text.slice(0, 80)}`);
    }
    assert.deepEqual(bad, []);
});

test('a CSRF token used as the session cookie does not authenticate', async () => {
    const c = server.client();
    await c.login('ben', users.ben);
    const r = await c.get('/patients', { cookie: c.csrf });
    assertError(r, 401, 'unauthenticated');
});

test('--session-hours 1 sets expires_at one hour ahead', async () => {
    const s = await Server.start({ db, args: ['--session-hours', '1'] });
    try {
        const c = s.client();
        await c.login('ben', users.ben);
        const dt = Date.parse(c.me.expires_at) - Date.now();
        assert.ok(Math.abs(dt - 3600e3) < 5 * 60e3, `expires_at ${c.me.expires_at}`);
    } finally {
        assert.deepEqual(await s.stop(), { code: 0, signal: null });
    }
});

test('an expired session gets 401 (expiry moved into the past in the database)', { skip: !have('sqlite3') && 'needs the sqlite3 CLI' }, async () => {
    const c = server.client();
    await c.login('dan', users.dan);
    assert.equal((await c.get('/patients')).status, 200);
    const n = sql(db, "UPDATE sessions SET expires_at = CAST(strftime('%s','now') AS INTEGER) - 1; SELECT changes();");
    assert.ok(Number(n) >= 1, `no session row updated (${n})`);
    const r = await c.get('/patients');
    assertError(r, 401, 'unauthenticated', 'expired session');
    const s = await c.get('/session');
    assert.equal(s.status, 401);
});

test('sessions survive a server restart', async () => {
    const c = server.client();
    await c.login('dan', users.dan);
    const s2 = await Server.start({ db });
    try {
        const r = await s2.client().get('/session', { cookie: c.token });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.username, 'dan');
    } finally {
        assert.deepEqual(await s2.stop(), { code: 0, signal: null });
    }
});

test('the database keeps only a hash of the session token', { skip: !have('sqlite3') && 'needs the sqlite3 CLI' }, async () => {
    const c = server.client();
    await c.login('ann', users.ann);
    const dump = sql(db, '.dump');
    assert.ok(!dump.includes(c.token), 'the raw token is in the database');
    assert.ok(!dump.includes(users.ann), 'the password is in the database');
});

test('server shuts down cleanly on SIGTERM (exit 0)', async () => {
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
});
