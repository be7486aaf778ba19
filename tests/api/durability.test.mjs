// Durability: acknowledged writes survive kill -9; a locked database answers 503 busy
// and writes nothing; a full database answers 507 storage_full and keeps serving reads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { Server, have, integrityCheck, sql, sleep, day } from './lib/harness.mjs';
import { world, assessmentDoc, sessionBody, checkinBody, createdId, assertError, PW } from './lib/world.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.kill9(); });
const NO_SQLITE = !have('sqlite3') && 'needs the sqlite3 CLI (Debian package sqlite3)';

/** The database is sound: PRAGMA integrity_check says ok, and no assessment lacks its result:
 * each is a compressed blob naming a stored dictionary, or JSON text with its triage (the
 * server's reads, checked by assertWholeAssessments, decompress them). */
function assertSound(db) {
    assert.equal(integrityCheck(db), 'ok');
    assert.equal(sql(db, "SELECT count(*) FROM assessments WHERE result IS NULL OR length(result) = 0" +
        " OR (result_dictionary IS NULL AND (json_valid(result) = 0 OR json_extract(result, '$.triage.level') IS NULL))" +
        " OR (result_dictionary IS NOT NULL AND (typeof(result) <> 'blob'" +
        "     OR result_dictionary NOT IN (SELECT id FROM result_dictionaries)));"), '0',
        'an assessment without its result');
    assert.equal(sql(db, 'SELECT count(*) > 0 FROM result_dictionaries;'), '1', 'no result dictionary');
}

/** Another process (the sqlite3 CLI) holds an exclusive lock on `db`; the answer releases it. */
async function lockDatabase(db) {
    const locker = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    locker.stdout.on('data', (d) => { out += d; });
    locker.stderr.on('data', (d) => { out += d; });
    locker.stdin.write(".timeout 5000\nBEGIN EXCLUSIVE;\nSELECT 'locked-now';\n");
    for (let i = 0; i < 500 && !out.includes('locked-now'); i++) await sleep(10);
    assert.match(out, /locked-now/, `the lock was not taken: ${out}`);
    return async () => {
        locker.stdin.end('ROLLBACK;\n.quit\n');
        await new Promise((r) => locker.on('exit', r));
    };
}

/** Every stored assessment of `pid` reads back with its document and its result. */
async function assertWholeAssessments(client, pid) {
    const l = await client.get(`/patients/${pid}/assessments`);
    assert.equal(l.status, 200, l.text.slice(0, 200));
    for (const a of l.json) {
        const g = await client.get(`/patients/${pid}/assessments/${a.id}`);
        assert.equal(g.status, 200, `assessment ${a.id}: ${g.status}`);
        assert.ok(g.json.document?.measurements, `assessment ${a.id} has no document`);
        assert.ok(g.json.result?.triage?.level, `assessment ${a.id} has no result`);
    }
    return l.json;
}

test('every write acknowledged before kill -9 is there after a restart, whole, and the database is sound', { skip: NO_SQLITE, timeout: 120000 }, async (t) => {
    const w = await world({ tag: 'crash' });
    servers.push(w.server);
    const acked = { assessments: [], sessions: [], falls: [] };
    let n = 0;
    let stop = false;
    let failures = 0;
    const errors = [];
    async function worker(k) {
        while (!stop) {
            const i = n++;
            try {
                if (i % 3 === 2) {
                    const r = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ fall: true, note: `fall-${i}` }));
                    if (r.status === 201) acked.falls.push({ id: createdId(r), keys: r.json.alerts.map((a) => a.key) });
                    else if (!stop) throw new Error(`check-in ${r.status} ${r.text.slice(0, 200)}`);
                } else if (i % 3 === 0) {
                    const grip = 10 + (i % 700) / 10;
                    const r = await w.clin1.post(`/patients/${w.A}/assessments?measured_on=${day(-(i % 300))}`, assessmentDoc({ grip }));
                    if (r.status === 201) acked.assessments.push({ id: createdId(r), grip });
                    else if (!stop) throw new Error(`assessment ${r.status} ${r.text.slice(0, 200)}`);
                } else {
                    const note = `burst-${k}-${i}`;
                    const r = await w.clin1.post(`/patients/${w.B}/sessions`, sessionBody({ note, date: day(-(i % 300)) }));
                    if (r.status === 201) acked.sessions.push({ id: createdId(r), note });
                    else if (!stop) throw new Error(`session ${r.status} ${r.text.slice(0, 200)}`);
                }
            } catch (e) {
                if (!stop) { errors.push(String(e.message || e)); return; }
                failures++; // a request cut by the kill: not acknowledged
            }
        }
    }
    const workers = Array.from({ length: 16 }, (_, k) => worker(k));
    const t0 = Date.now();
    while (acked.assessments.length + acked.sessions.length + acked.falls.length < 90 && Date.now() - t0 < 20000) await sleep(10);
    stop = true;
    await w.server.kill9(); // in the middle of the burst: 16 requests in flight
    await Promise.allSettled(workers);
    assert.deepEqual(errors, [], 'writes failed before the kill');
    const total = acked.assessments.length + acked.sessions.length + acked.falls.length;
    assert.ok(total >= 20, `only ${total} writes acknowledged before the kill`);
    t.diagnostic(`kill -9 after ${total} acknowledged writes (${acked.assessments.length} assessments, ${acked.sessions.length} sessions, ${acked.falls.length} fall check-ins) in ${Date.now() - t0} ms; ${failures} requests cut by the kill`);

    const s2 = await Server.start({ db: w.db });
    servers.push(s2);
    const c = s2.client();
    await c.login('clin1', PW.clin1);
    const missing = [];
    for (const a of acked.assessments) {
        const g = await c.get(`/patients/${w.A}/assessments/${a.id}`);
        if (g.status !== 200 || g.json.document?.measurements?.grip !== a.grip || !g.json.result?.triage) missing.push(`assessment ${a.id}: ${g.status}`);
    }
    const sessions = (await c.get(`/patients/${w.B}/sessions`)).json;
    const byId = new Map(sessions.map((s) => [String(s.id), s]));
    for (const s of acked.sessions) {
        const got = byId.get(String(s.id));
        if (!got || (got.note ?? got.data?.note) !== s.note) missing.push(`session ${s.id}`);
    }
    const checkins = (await c.get(`/patients/${w.A}/checkins`)).json;
    const alertKeys = new Set((await c.get('/alerts')).json.map((a) => a.key));
    for (const f of acked.falls) {
        if (!checkins.some((x) => String(x.id) === String(f.id))) missing.push(`check-in ${f.id}`);
        if (f.keys.length !== 1) missing.push(`check-in ${f.id} answered with alerts ${JSON.stringify(f.keys)}`);
        for (const k of f.keys) if (!alertKeys.has(k)) missing.push(`fall alert ${k}`);
    }
    // Every stored fall check-in, acknowledged or not, has its alert: no record without it.
    const falls = [...alertKeys].filter((k) => k.startsWith('fall:')).length;
    if (falls !== checkins.length) missing.push(`${checkins.length} fall check-ins stored but ${falls} fall alerts`);
    assert.deepEqual(missing, [], `acknowledged writes lost after kill -9 (${total} acknowledged, ${failures} cut)`);
    const stored = await assertWholeAssessments(c, w.A);
    assert.ok(stored.length >= acked.assessments.length);
    t.diagnostic(`after the restart: ${stored.length} assessments stored (${acked.assessments.length} acknowledged), ${sessions.length} sessions (${acked.sessions.length} acknowledged), ${checkins.length} fall check-ins (${acked.falls.length} acknowledged) each with its alert; all whole`);
    assert.deepEqual(await s2.stop(), { code: 0, signal: null });
    assertSound(w.db);
});

test('a database locked by another process answers writes 503 busy with Retry-After, writes nothing, and recovers', { skip: NO_SQLITE, timeout: 60000 }, async (t) => {
    const w = await world({ tag: 'busy', args: ['--busy-timeout', '200'] });
    servers.push(w.server);
    const before = {
        assessments: (await w.clin1.get(`/patients/${w.A}/assessments`)).json.length,
        sessions: (await w.clin1.get(`/patients/${w.A}/sessions`)).json.length,
        checkins: (await w.clin1.get(`/patients/${w.A}/checkins`)).json.length,
        patients: (await w.clin1.get('/patients')).json.length,
        alerts: (await w.clin1.get('/alerts')).json.length,
    };

    const unlock = await lockDatabase(w.db);
    try {
        const writes = [
            ['assessment', () => w.clin1.post(`/patients/${w.A}/assessments`, assessmentDoc({ grip: 12 }))],
            ['session', () => w.pat_a.post(`/patients/${w.A}/sessions`, sessionBody({ pain: 9 }))],
            ['check-in', () => w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ fall: true }))],
            ['patient', () => w.clin1.post('/patients', { display_name: 'Locked Out', sex: 'male' })],
        ];
        for (const [what, send] of writes) {
            const t0 = Date.now();
            const r = await send();
            const ms = Date.now() - t0;
            assertError(r, 503, 'busy', what);
            assert.equal(r.headers.get('retry-after'), '1', `${what}: Retry-After`);
            assert.ok(ms >= 150, `${what}: answered in ${ms} ms, before the 200 ms busy timeout`);
            assert.ok(ms < 3000, `${what}: answered in ${ms} ms with --busy-timeout 200`);
            t.diagnostic(`${what}: 503 busy in ${ms} ms, Retry-After ${r.headers.get('retry-after')}`);
        }
    } finally {
        await unlock();
    }
    const afterLock = {
        assessments: (await w.clin1.get(`/patients/${w.A}/assessments`)).json.length,
        sessions: (await w.clin1.get(`/patients/${w.A}/sessions`)).json.length,
        checkins: (await w.clin1.get(`/patients/${w.A}/checkins`)).json.length,
        patients: (await w.clin1.get('/patients')).json.length,
        alerts: (await w.clin1.get('/alerts')).json.length,
    };
    assert.deepEqual(afterLock, before, 'a 503 left something written');
    const r = await w.clin1.post(`/patients/${w.A}/assessments`, assessmentDoc({ grip: 12 }));
    assert.equal(r.status, 201, `after the lock is released: ${r.status} ${r.text.slice(0, 200)}`);
    const s = await w.pat_a.post(`/patients/${w.A}/checkins`, checkinBody({ fall: true }));
    assert.equal(s.status, 201, s.text.slice(0, 200));
    assert.deepEqual(s.json.alerts.map((a) => a.kind), ['fall']);
    await assertWholeAssessments(w.clin1, w.A);
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
    assertSound(w.db);
});

/** GET `path` on the one keep-alive connection of `agent`: the status. */
function getOn(agent, port, path) {
    return new Promise((resolve, reject) => {
        const rq = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
        });
        rq.on('error', reject);
    });
}

test('writes waiting for a lock held by another process leave every other connection answered, and then all commit', { skip: NO_SQLITE, timeout: 90000 }, async (t) => {
    // A waiting write holds its request thread. With a fixed pool of threads (four per
    // core before), each serving the connections it accepted, the other connections of a
    // thread holding a waiting write were not answered until the lock went away or the
    // write failed 503 at the busy timeout. Here the lock is released only once every
    // idle connection has been answered, so that failure shows as writes answered (503)
    // before the pages.
    const w = await world({ tag: 'hold', args: ['--busy-timeout', '10000'] });
    servers.push(w.server);
    const n = Math.min(8 * os.availableParallelism() + 16, 200);
    const agents = Array.from({ length: n }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    try {
        for (const s of await Promise.all(agents.map((a) => getOn(a, w.server.port, '/'))))
            assert.equal(s, 200);
        const unlock = await lockDatabase(w.db);
        const settled = [];
        let writes;
        try {
            writes = Array.from({ length: n }, (_, i) =>
                w.clin1.post(`/patients/${w.A}/assessments`, assessmentDoc({ grip: 10 + (i % 20) }))
                    .then((r) => { settled.push(i); return r; }));
            await sleep(500); // let them reach the server and wait for the lock
            for (const s of await Promise.all(agents.map((a) => getOn(a, w.server.port, '/'))))
                assert.equal(s, 200);
            assert.deepEqual(settled, [], `${settled.length} of ${n} writes had answered before the pages`);
            t.diagnostic(`${n} idle connections were answered while ${n} writes waited for the lock`);
        } finally {
            await unlock();
        }
        const rs = await Promise.all(writes);
        for (const r of rs) assert.equal(r.status, 201, `${r.status} ${r.text.slice(0, 200)}`);
        const l = await w.clin1.get(`/patients/${w.A}/assessments`);
        assert.equal(l.json.length, n);
    } finally {
        for (const a of agents) a.destroy();
    }
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
    assertSound(w.db);
});

test('with --max-db-mb 1, writes end in 507 storage_full; earlier writes stay readable and reads keep working', { skip: NO_SQLITE, timeout: 180000 }, async (t) => {
    const w = await world({ tag: 'full', args: ['--max-db-mb', '1'] });
    servers.push(w.server);
    const acked = [];
    const ackedSessions = [];
    // Until an assessment is refused (a session's longer note may be refused first, while a
    // compressed result still fits).
    let full = null, fullPath = null, fullDoc = null;
    for (let i = 0; i < 2000 && !(full && fullDoc); i++) {
        const session = i % 4 === 3;
        const path = session ? `/patients/${w.A}/sessions` : `/patients/${w.A}/assessments?measured_on=${day(-(i % 200))}`;
        const doc = session ? sessionBody({ note: `full-${i}-` + 'n'.repeat(480) }) : assessmentDoc({ grip: 10 + i / 10 });
        const r = await w.clin1.post(path, doc);
        if (r.status === 201) (session ? ackedSessions : acked).push(createdId(r));
        else if (r.status === 507) {
            full = r;
            if (!session) [fullPath, fullDoc] = [path, doc];
        } else assert.fail(`write ${i}: expected 201 or 507, got ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.ok(full, `no 507 after ${acked.length} assessments and ${ackedSessions.length} sessions`);
    assertError(full, 507, 'storage_full');
    t.diagnostic(`507 storage_full after ${acked.length} assessments and ${ackedSessions.length} sessions: ${full.json.error.message}`);
    assert.ok(acked.length > 5, `only ${acked.length} assessments fit in 1 MiB`);

    // The same write again: still 507, nothing written.
    assert.ok(fullDoc, 'no assessment was refused');
    const again = await w.clin1.post(fullPath, fullDoc);
    assertError(again, 507, 'storage_full', 'second write while full');

    // Reads go on: lists, every acknowledged record, the session.
    assert.equal((await w.clin1.get('/session')).status, 200);
    assert.equal((await w.clin1.get('/patients')).status, 200);
    assert.equal((await w.clin1.get(`/patients/${w.A}`)).status, 200);
    const stored = await assertWholeAssessments(w.clin1, w.A);
    const ids = new Set(stored.map((a) => String(a.id)));
    assert.deepEqual(acked.filter((id) => !ids.has(String(id))), [], 'acknowledged assessments missing');
    assert.equal(stored.length, acked.length, 'an assessment stored despite a 507');
    const sess = (await w.clin1.get(`/patients/${w.A}/sessions`)).json.map((s) => String(s.id));
    assert.deepEqual(ackedSessions.filter((id) => !sess.includes(String(id))), []);
    assert.equal((await w.clin1.get(`/patients/${w.A}/progress`)).status, 200);
    assert.equal((await w.clin1.get('/alerts')).status, 200);
    assert.deepEqual(await w.server.stop(), { code: 0, signal: null });
    assertSound(w.db);
});
