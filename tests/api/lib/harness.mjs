// harness.mjs - start a real `myotrack serve` on a temporary database and talk to it.
//
// The binary is $MYOTRACK (default build/myotrack, relative to the repository root).
// Every server listens on 127.0.0.1:0 and announces its port on stdout
// ("myotrack: serving on http://127.0.0.1:PORT/"); its stderr (the request log)
// is kept for the log tests. stop() sends SIGTERM and reports the exit status.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MYOTRACK = path.resolve(ROOT, process.env.MYOTRACK || 'build/myotrack');
export const API = '/api/v1';

/** A fresh temporary directory, removed at exit unless KEEP_TMP is set. */
export function tempDir(tag = 'api') {
    const dir = mkdtempSync(path.join(tmpdir(), `myotrack-${tag}-`));
    if (!process.env.KEEP_TMP) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
}

let pwCounter = 0;

/** `myotrack user add NAME --role ROLE [--patient ID] --password-file F --db DB`. */
export function userAdd(db, name, role, password, patientId = null) {
    const file = path.join(path.dirname(db), `pw-${process.pid}-${++pwCounter}`);
    writeFileSync(file, password + '\n', { mode: 0o600 });
    const args = ['user', 'add', name, '--role', role, '--password-file', file, '--db', db];
    if (patientId !== null) args.push('--patient', String(patientId));
    const r = spawnSync(MYOTRACK, args, { encoding: 'utf8', timeout: 30000 });
    rmSync(file, { force: true });
    if (r.status !== 0)
        throw new Error(`myotrack ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.error || ''}`);
    return r.stdout;
}

/** Is a program on PATH? */
export function have(prog) {
    return spawnSync('sh', ['-c', `command -v ${prog}`]).status === 0;
}

/** `PRAGMA integrity_check` on the database: "ok" when sound. */
export function integrityCheck(db) {
    const r = spawnSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8', timeout: 60000 });
    if (r.error) throw r.error;
    return (r.stdout + r.stderr).trim();
}

/** One SQL statement through the sqlite3 CLI; its output, trimmed. */
export function sql(db, statement) {
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, statement], { encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    return r.stdout.trim();
}

export class Server {
    /**
     * Start `myotrack serve --db DB --listen 127.0.0.1:0 ...args`.
     * @param {object} o  { db, args: [] }
     */
    static async start({ db, args = [], timeoutMs = 15000 } = {}) {
        if (!existsSync(MYOTRACK)) throw new Error(`no binary at ${MYOTRACK} (set MYOTRACK or run make)`);
        const s = new Server();
        s.db = db;
        s.args = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args];
        s.proc = spawn(MYOTRACK, s.args, { stdio: ['ignore', 'pipe', 'pipe'] });
        s.stdout = '';
        s.stderr = '';
        s.exited = new Promise((resolve) => {
            s.proc.on('exit', (code, signal) => resolve({ code, signal }));
        });
        s.proc.stderr.setEncoding('utf8');
        s.proc.stderr.on('data', (d) => { s.stderr += d; });
        s.proc.stdout.setEncoding('utf8');
        const url = await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(
                `server did not announce its port within ${timeoutMs} ms; stdout: ${s.stdout} stderr: ${s.stderr}`)), timeoutMs);
            s.proc.stdout.on('data', (d) => {
                s.stdout += d;
                const m = s.stdout.match(/serving on (http:\/\/127\.0\.0\.1:(\d+))\/?/);
                if (m) { clearTimeout(timer); resolve(m[1]); }
            });
            s.exited.then(({ code, signal }) => {
                clearTimeout(timer);
                reject(new Error(`server exited (${code ?? signal}) before serving: ${s.stderr}`));
            });
        });
        s.url = url;
        s.port = Number(url.split(':').pop());
        s.pid = s.proc.pid;
        process.on('exit', () => { try { s.proc.kill('SIGKILL'); } catch { /* gone */ } });
        return s;
    }

    get running() { return this.proc.exitCode === null && this.proc.signalCode === null; }

    /** A sanitizer's first report in the server's stderr, or null. */
    sanitizerReport() {
        const lines = this.stderr.split('\n');
        const at = lines.findIndex((l) => /runtime error:|ERROR: (Address|Leak|Thread)Sanitizer/.test(l));
        return at >= 0 ? lines.slice(at, at + 20).join('\n') : null;
    }

    /** SIGTERM and wait: { code, signal }. */
    async stop(timeoutMs = 15000) {
        if (!this.running) return this.exited;
        this.proc.kill('SIGTERM');
        const t = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
        const r = await this.exited;
        clearTimeout(t);
        return r;
    }

    /** kill -9, and wait for it. */
    async kill9() {
        if (this.running) this.proc.kill('SIGKILL');
        return this.exited;
    }

    /** Peak resident memory (VmHWM) in KiB, while running. */
    vmHWM() {
        try {
            const s = spawnSync('cat', [`/proc/${this.pid}/status`], { encoding: 'utf8' }).stdout;
            const m = s.match(/VmHWM:\s+(\d+) kB/);
            return m ? Number(m[1]) : null;
        } catch { return null; }
    }

    client() { return new Client(this.url, this); }

    /** Why a request failed, when the server died under it. */
    async deathNote() {
        await Promise.race([this.exited, sleep(200)]);
        if (this.running) return null;
        const { code, signal } = await this.exited;
        const lines = this.stderr.split('\n');
        // A sanitizer's report, when there is one, else the last lines of the log.
        const at = lines.findIndex((l) => /runtime error:|ERROR: (Address|Leak|Thread)Sanitizer/.test(l));
        const shown = at >= 0 ? lines.slice(at, at + 14) : lines.slice(-8);
        return `the server died (${signal || `exit ${code}`}); its log:\n${shown.join('\n')}`;
    }
}

/** A session cookie from a response's Set-Cookie headers, or null. */
export function sessionCookie(headers) {
    // getSetCookie() is node 19.7+; before it, get() joins the cookies with ", ".
    const all = headers.getSetCookie ? headers.getSetCookie() : (headers.get('set-cookie') || '').split(/, (?=[A-Za-z0-9_-]+=)/).filter(Boolean);
    for (const c of all) {
        const m = c.match(/^mt_session=([^;]*)/);
        if (m) return { value: m[1], raw: c };
    }
    return null;
}

/** An HTTP client keeping one session (cookie + CSRF token). */
export class Client {
    constructor(base, server = null) {
        this.base = base;
        this.server = server;
        this.token = null; // the mt_session cookie's value
        this.csrf = null;
        this.me = null;
    }

    /**
     * One request. opts: json (an object, sent as application/json), body (raw string or
     * Buffer), type (Content-Type), headers, csrf (true: send this session's token; a string:
     * send that; false: none), cookie (true: this session's; a string: that value; false: none).
     * Answers { status, headers, text, json, ms }.
     */
    async req(method, p, opts = {}) {
        const headers = { ...(opts.headers || {}) };
        let body;
        if (opts.json !== undefined) {
            body = Buffer.from(JSON.stringify(opts.json));
            headers['content-type'] = opts.type ?? 'application/json';
        } else if (opts.body !== undefined) {
            body = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
            if (opts.type) headers['content-type'] = opts.type;
        }
        const cookie = opts.cookie === undefined ? true : opts.cookie;
        const tok = cookie === true ? this.token : cookie || null;
        if (tok !== null) headers.cookie = `mt_session=${tok}`;
        const csrf = opts.csrf === undefined ? true : opts.csrf;
        const ctok = csrf === true ? this.csrf : csrf || null;
        if (ctok && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = ctok;
        // '/patients' means '/api/v1/patients'; '/api/...' and (with opts.raw) any path as given.
        const url = p.startsWith('http') ? p : this.base + (p.startsWith('/api/') || opts.raw ? p : API + p);
        const t0 = performance.now();
        let res;
        try {
            res = await fetch(url, { method, headers, body, redirect: 'manual' });
        } catch (e) {
            const note = this.server && await this.server.deathNote();
            if (note) throw new Error(`${method} ${p}: ${note}`);
            throw e;
        }
        const text = await res.text();
        const ms = performance.now() - t0;
        let json;
        try { json = text.length ? JSON.parse(text) : undefined; } catch { json = undefined; }
        return { status: res.status, headers: res.headers, text, json, ms };
    }

    get(p, o) { return this.req('GET', p, o); }
    post(p, json, o = {}) { return this.req('POST', p, { json, ...o }); }
    del(p, o) { return this.req('DELETE', p, o); }

    /** Log in; throws unless 200. */
    async login(username, password) {
        const r = await this.req('POST', `${API}/session`, { json: { username, password }, cookie: false, csrf: false });
        if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
        const c = sessionCookie(r.headers);
        if (!c) throw new Error(`login ${username}: no mt_session cookie`);
        this.token = c.value;
        this.csrf = r.json.csrf_token;
        this.me = r.json;
        return r;
    }
}

/** A raw HTTP/1.1 exchange over TCP, for what fetch will not send (Content-Length lies,
 * chunked bodies). `chunks` are written one by one, stopping as soon as an answer
 * arrives. Resolves { status, headers, body, json, sent, error }. */
export function rawRequest(port, head, chunks = [], { timeoutMs = 15000, gapMs = 0 } = {}) {
    return new Promise((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        let data = Buffer.alloc(0);
        let done = false;
        let sent = 0;
        const finish = (error) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            resolve({ ...parseResponse(data), sent, error: error ? String(error.code || error) : null });
        };
        const timer = setTimeout(() => finish(new Error('timeout')), timeoutMs);
        sock.on('data', (d) => {
            data = Buffer.concat([data, d]);
            if (responseComplete(data)) finish();
        });
        sock.on('end', () => finish());
        sock.on('close', () => finish());
        sock.on('error', (e) => { if (data.length) finish(); else finish(e); });
        sock.on('connect', async () => {
            sock.write(head);
            for (const c of chunks) {
                if (done || data.length) break;
                const ok = sock.write(c);
                sent += c.length;
                if (!ok) await new Promise((r) => { sock.once('drain', r); sock.once('close', r); });
                if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
            }
        });
    });
}

function splitHead(buf) {
    const i = buf.indexOf('\r\n\r\n');
    if (i < 0) return null;
    const lines = buf.subarray(0, i).toString('latin1').split('\r\n');
    const m = lines[0].match(/^HTTP\/1\.[01] (\d{3})/);
    const headers = {};
    for (const l of lines.slice(1)) {
        const k = l.indexOf(':');
        if (k > 0) headers[l.slice(0, k).trim().toLowerCase()] = l.slice(k + 1).trim();
    }
    return { status: m ? Number(m[1]) : 0, headers, rest: buf.subarray(i + 4) };
}

function responseComplete(buf) {
    const h = splitHead(buf);
    if (!h) return false;
    if (h.headers['content-length'] !== undefined) return h.rest.length >= Number(h.headers['content-length']);
    if (/chunked/i.test(h.headers['transfer-encoding'] || '')) return h.rest.includes('\r\n0\r\n\r\n') || h.rest.toString().startsWith('0\r\n\r\n');
    return false;
}

function dechunk(buf) {
    let out = '';
    let s = buf.toString('utf8');
    for (;;) {
        const i = s.indexOf('\r\n');
        if (i < 0) break;
        const n = parseInt(s.slice(0, i), 16);
        if (!n) break;
        out += s.slice(i + 2, i + 2 + n);
        s = s.slice(i + 2 + n + 2);
    }
    return out;
}

function parseResponse(buf) {
    const h = splitHead(buf);
    if (!h) return { status: 0, headers: {}, body: buf.toString('utf8'), json: undefined };
    const body = /chunked/i.test(h.headers['transfer-encoding'] || '') ? dechunk(h.rest) : h.rest.toString('utf8');
    let json;
    try { json = JSON.parse(body); } catch { json = undefined; }
    return { status: h.status, headers: h.headers, body, json };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Today in UTC, YYYY-MM-DD, shifted by `days`. */
export function day(days = 0) {
    const d = new Date(Date.now() + days * 86400000);
    return d.toISOString().slice(0, 10);
}
