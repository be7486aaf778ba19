// world.mjs - the people and documents the API tests share.
//
// world() makes a temporary database with an admin and two clinicians (through
// `myotrack user add`), starts a server on it, and through the API creates
//   A and B: patients of clin1, each with a patient account (pat_a, pat_b),
//   C: a patient of clin2 only.
// Every account is logged in and ready (cookie + CSRF token).
import assert from 'node:assert/strict';
import path from 'node:path';
import { Server, tempDir, userAdd, day } from './harness.mjs';

export const PW = {
    admin: 'admin-Passw0rd-a1',
    clin1: 'clin1-Passw0rd-c1',
    clin2: 'clin2-Passw0rd-c2',
    pat_a: 'patA-Passw0rd-pa',
    pat_b: 'patB-Passw0rd-pb',
};

/** A realistic assessment document (docs/input.md); `over` replaces measurements. */
export function assessmentDoc({ sex = 'female', age = 78, grip = 20, measurements = {}, symptoms, history, person = {} } = {}) {
    return {
        person: { sex, age, height: 160, weight: 58, ...person },
        sarc_f: { strength: 1, walking: 1, chair: 1, stairs: 1, falls: 0 },
        measurements: { grip, chair_stand_5x: 14.2, gait_speed: 0.9, calf: 32, tug: 11.5, six_minute_walk: 380, ...measurements },
        symptoms: symptoms ?? { onset: 'months', worsening: false, side: 'both', fatigue: true },
        history: history ?? {
            conditions: ['diabetes'], medications: ['statin'], falls_past_year: 1,
            exercise_sessions_per_week: 1, weight_6_months_ago: 60,
        },
        preferences: { equipment: ['chair', 'bands'], location: 'home' },
    };
}

/** A logged exercise session (docs/tracking.md). */
export function sessionBody({ date = day(0), effort = 5, pain = 2, note = 'felt fine', exercises } = {}) {
    return {
        date, effort, pain, note,
        exercises: exercises ?? [
            { id: 'sit_to_stand', level: 1, sets: 2, reps: 12, load_kg: null },
            { id: 'heel_raise', level: 1, sets: 2, reps: 15, load_kg: null },
            { id: 'balance', level: 1, sets: 2, reps: 0, hold_seconds: 10 },
        ],
    };
}

/** A check-in (docs/tracking.md); `symptoms` left out unless given (an empty object is refused). */
export function checkinBody({ date = day(0), pain = 2, fall = false, symptoms, note = '' } = {}) {
    return symptoms === undefined ? { date, pain, fall, note } : { date, pain, fall, symptoms, note };
}

/** The id of a 201's resource: body.id, else the last segment of Location. */
export function createdId(r) {
    if (r.json && (typeof r.json.id === 'number' || typeof r.json.id === 'string')) return r.json.id;
    const loc = r.headers.get ? r.headers.get('location') : r.headers.location;
    if (loc) return loc.replace(/\/+$/, '').split('/').pop();
    return undefined;
}

/** POST /patients as `client`; the new id. */
export async function createPatient(client, display_name, sex = 'female', birth_date = '1946-05-17') {
    const r = await client.post('/patients', { display_name, sex, birth_date });
    assert.equal(r.status, 201, `create patient ${display_name}: ${r.status} ${r.text}`);
    const id = createdId(r);
    assert.ok(id !== undefined, `create patient: no id in ${r.text}`);
    return id;
}

export async function world({ args = [], tag = 'api' } = {}) {
    const dir = tempDir(tag);
    const db = path.join(dir, 'myotrack.db');
    userAdd(db, 'admin', 'admin', PW.admin);
    userAdd(db, 'clin1', 'clinician', PW.clin1);
    userAdd(db, 'clin2', 'clinician', PW.clin2);
    const server = await Server.start({ db, args });
    const w = { dir, db, server };
    for (const n of ['admin', 'clin1', 'clin2']) {
        w[n] = server.client();
        await w[n].login(n, PW[n]);
    }
    w.A = await createPatient(w.clin1, 'Alice Example', 'female', '1946-05-17');
    w.B = await createPatient(w.clin1, 'Bob Example', 'male', '1940-01-02');
    w.C = await createPatient(w.clin2, 'Carol Example', 'female', '1950-09-30');
    userAdd(db, 'pat_a', 'patient', PW.pat_a, w.A);
    userAdd(db, 'pat_b', 'patient', PW.pat_b, w.B);
    w.pat_a = server.client();
    await w.pat_a.login('pat_a', PW.pat_a);
    w.pat_b = server.client();
    await w.pat_b.login('pat_b', PW.pat_b);
    return w;
}

/** The error body's shape: {"error":{"code","message","field"}}. */
export function assertError(r, status, code, msg = '') {
    assert.equal(r.status, status, `${msg} expected ${status} ${code}, got ${r.status} ${r.text}`);
    assert.ok(r.json && typeof r.json.error === 'object' && r.json.error !== null,
        `${msg} error body is not {"error":{...}}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code, `${msg} error code: ${r.text}`);
    assert.equal(typeof r.json.error.message, 'string', `${msg} error.message: ${r.text}`);
    assert.ok('field' in r.json.error, `${msg} error.field missing: ${r.text}`);
    return r.json.error;
}
