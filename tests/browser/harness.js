/*
 * harness.js - what the browser tests share: a real `myotrack serve` on a
 * free port with a fresh database and seeded accounts, a chromium per user
 * (Debian's /usr/bin/chromium driven by playwright-core, a fresh profile
 * each), an API client for setting up data, and a watch on every page for
 * requests that leave the origin, CSP violations and console errors.
 *
 * It builds nothing: MYOTRACK names the binary (default build/myotrack,
 * relative to the repository root).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const ARTIFACTS = path.join(here, 'artifacts');
export const MYOTRACK = path.resolve(ROOT, process.env.MYOTRACK || 'build/myotrack');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const ACCOUNTS = {
    admin: { username: 'admin', password: 'admin-pass-1234', role: 'admin' },
    clinician: { username: 'dr_lee', password: 'clinician-pass-1234', role: 'clinician' },
};

const CHROME_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
];

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.unref();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Starts the server; returns {origin, dir, db, log(), stop()}. */
export async function startServer() {
    if (!fs.existsSync(MYOTRACK)) throw new Error(`${MYOTRACK} not found: run make first (or set MYOTRACK)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'myotrack-browser-'));
    const db = path.join(dir, 'myotrack.db');
    for (const a of Object.values(ACCOUNTS)) {
        const pw = path.join(dir, a.username + '.pw');
        fs.writeFileSync(pw, a.password + '\n', { mode: 0o600 });
        execFileSync(MYOTRACK, ['user', 'add', a.username, '--role', a.role, '--password-file', pw, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    }
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    let output = '';
    const child = spawn(MYOTRACK, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    const deadline = Date.now() + 15000;
    for (;;) {
        if (exited) throw new Error(`myotrack serve exited (${JSON.stringify(exited)}):\n${output}`);
        try {
            const res = await fetch(origin + '/', { signal: AbortSignal.timeout(1000) });
            if (res.status === 200) break;
        } catch {
            /* not listening yet */
        }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error('myotrack serve did not answer within 15 s:\n' + output);
        }
        await sleep(100);
    }
    return {
        origin,
        dir,
        db,
        log: () => output,
        async stop() {
            if (!exited) {
                child.kill('SIGTERM');
                for (let i = 0; i < 50 && !exited; i++) await sleep(100);
                if (!exited) child.kill('SIGKILL');
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/*
 * A browser for one user: a persistent context on a fresh profile directory.
 * Every page it opens is watched: requests to another origin, CSP violations
 * (a listener injected before any page script) and console errors are kept
 * in `watch` for the tests to check.
 */
export async function openBrowser(server, opts = {}) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'myotrack-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROME_ARGS,
        viewport: opts.viewport || { width: 1100, height: 900 },
        baseURL: server.origin,
    });
    const watch = { foreign: [], csp: [], consoleErrors: [], requests: 0 };
    await context.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
            window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
    });
    const onPage = (page) => {
        page.on('request', (req) => {
            watch.requests++;
            const url = req.url();
            if (!url.startsWith(server.origin + '/')) watch.foreign.push(url);
        });
        page.on('console', (msg) => {
            const text = msg.text();
            if (/Content Security Policy|Content-Security-Policy/i.test(text)) watch.csp.push(text);
            else if (msg.type() === 'error' && !/status of 4\d\d/.test(text)) watch.consoleErrors.push(text);
        });
        page.on('pageerror', (err) => watch.consoleErrors.push(String(err)));
    };
    context.on('page', onPage);
    for (const p of context.pages()) onPage(p);
    const page = context.pages()[0] || (await context.newPage());
    return {
        context,
        page,
        watch,
        async cspViolations() {
            return page.evaluate(() => window.__cspViolations || []);
        },
        async close() {
            await context.close();
            fs.rmSync(profile, { recursive: true, force: true });
        },
    };
}

/* Logs in through the form on index.html and waits for the role's page. */
export async function loginUi(page, account) {
    await page.goto('/');
    await page.fill('#username', account.username);
    await page.fill('#password', account.password);
    await Promise.all([
        page.waitForURL(/\/(dashboard|home|admin)\.html/),
        page.click('#login-button'),
    ]);
}

/* A small API client for setting up data from Node (cookie and CSRF token
 * carried by hand). */
export class ApiClient {
    constructor(server) {
        this.origin = server.origin;
        this.cookie = null;
        this.csrf = null;
    }

    async login(account) {
        const res = await fetch(this.origin + '/api/v1/session', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ username: account.username, password: account.password }),
        });
        if (res.status !== 200) throw new Error(`login ${account.username}: ${res.status} ${await res.text()}`);
        const set = res.headers.get('set-cookie') || '';
        const m = set.match(/mt_session=([^;]+)/);
        if (!m) throw new Error('login: no mt_session cookie in ' + set);
        this.cookie = 'mt_session=' + m[1];
        this.csrf = (await res.json()).csrf_token;
        return this;
    }

    async call(method, p, body) {
        const headers = { Cookie: this.cookie };
        if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const res = await fetch(this.origin + '/api/v1' + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        let data = null;
        try {
            data = text ? JSON.parse(text) : null;
        } catch {
            data = text;
        }
        if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
        return { status: res.status, data, headers: res.headers };
    }
}

export const VISIT_DOCUMENT = {
    person: { sex: 'female', age: 81, height: '5 ft 1 in', weight: '115 lb' },
    sarc_f: { strength: 1, walking: 1, chair: 1, stairs: 2, falls: 1 },
    measurements: { grip: 15.5, chair_stand_5x: 17.0, gait_speed: 0.75, tug: 13.0, calf: '12 in', sppb: { total: 8 } },
};

/* A patient with `n` assessments (the first dated `earlier`), and a patient
 * account; returns {id, account}. */
export async function seedPatient(server, name, opts = {}) {
    const clin = await new ApiClient(server).login(ACCOUNTS.clinician);
    const { data } = await clin.call('POST', '/patients', { display_name: name, sex: 'female', birth_date: '1944-05-06' });
    const id = data.id;
    const dates = opts.dates || ['2026-01-10', null];
    for (const [i, d] of dates.entries()) {
        const doc = structuredClone(VISIT_DOCUMENT);
        doc.measurements.grip = 15.5 + i * 2;
        doc.measurements.gait_speed = 0.75 + i * 0.05;
        await clin.call('POST', `/patients/${id}/assessments${d ? '?measured_on=' + d : ''}`, doc);
    }
    const account = { username: 'pt' + id + '_' + name.toLowerCase().replace(/[^a-z]/g, ''), password: 'patient-pass-' + id, role: 'patient' };
    const admin = await new ApiClient(server).login(ACCOUNTS.admin);
    await admin.call('POST', '/users', { ...account, patient_id: id });
    return { id, account, clinician: clin };
}

export function screenshotPath(name) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return path.join(ARTIFACTS, name + '.png');
}
