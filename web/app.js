/*
 * app.js - what every page of the myotrack web app shares: the API client
 * (JSON in and out, the session's CSRF token on every state-changing request,
 * errors as ApiError with the server's code, message and field), DOM building
 * with textContent only (data never goes through innerHTML), the navigation
 * for each role, and the small formatters the pages agree on.
 *
 * Nothing secret is stored in the browser: the session cookie is HttpOnly and
 * the CSRF token is kept in memory, re-read from GET /api/v1/session.
 */

export const API = '/api/v1';

/* The engine's one-line disclaimer (docs/output.md `disclaimer`). Pages use
 * the engine's own text when they have a result; this copy is for pages
 * that have none yet (a patient's home before any assessment). */
export const DISCLAIMER =
    'myotrack informs and does not diagnose: discuss these results with a clinician, and seek ' +
    'care at once for sudden weakness or trouble speaking, swallowing or breathing.';

export const HOME_BY_ROLE = {
    clinician: 'dashboard.html',
    patient: 'home.html',
    admin: 'admin.html',
};

export class ApiError extends Error {
    constructor(status, code, message, field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field || null;
    }
}

let csrfToken = null;
let currentSession = null;

async function readJson(res) {
    if (res.status === 204) return null;
    const type = res.headers.get('Content-Type') || '';
    if (!type.includes('application/json')) return null;
    try {
        return await res.json();
    } catch {
        return null;
    }
}

/* One API call. Returns {data, res}; throws ApiError for any non-2xx answer. */
export async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    const changing = !['GET', 'HEAD'].includes(method);
    const isLogin = method === 'POST' && path === '/session';
    if (changing && !isLogin) {
        if (!csrfToken) await getSession();
        if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    }
    let res;
    try {
        res = await fetch(API + path, init);
    } catch {
        throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.', null);
    }
    const data = await readJson(res);
    if (!res.ok) {
        const e = (data && data.error) || {};
        let message = e.message || `The server answered ${res.status}.`;
        /* one "field: " prefix is enough (the server may add one to an
         * engine message that already starts with it) */
        if (e.field) {
            const prefix = e.field + ': ';
            while (message.startsWith(prefix + prefix)) message = message.slice(prefix.length);
        }
        if (res.status === 429) {
            const wait = res.headers.get('Retry-After');
            if (wait) message += ` Try again in ${Math.ceil(Number(wait) / 60)} minute(s).`;
        }
        throw new ApiError(res.status, e.code || 'http_' + res.status, message, e.field || null);
    }
    return { data, res };
}

export async function api(method, path, body) {
    return (await request(method, path, body)).data;
}

/* The current session, or null when nobody is logged in. */
export async function getSession() {
    try {
        const s = await api('GET', '/session');
        currentSession = s;
        csrfToken = s && s.csrf_token;
        return s;
    } catch (e) {
        if (e.status === 401) {
            currentSession = null;
            csrfToken = null;
            return null;
        }
        throw e;
    }
}

export async function login(username, password) {
    const s = await api('POST', '/session', { username, password });
    currentSession = s;
    csrfToken = s.csrf_token;
    return s;
}

export async function logout() {
    try {
        await api('DELETE', '/session');
    } catch {
        /* logged out already */
    }
    csrfToken = null;
    currentSession = null;
    location.assign('index.html');
}

/*
 * Every page but the login page starts here: the session (or back to the
 * login page), a check that the role may use this page (or to the role's own
 * home), then the navigation. Returns the session.
 */
export async function requireSession(roles) {
    let s;
    try {
        s = await getSession();
    } catch (e) {
        showPageError(e);
        throw e;
    }
    if (!s) {
        location.replace('index.html');
        return new Promise(() => {}); /* the page is going away */
    }
    if (roles && !roles.includes(s.role)) {
        location.replace(HOME_BY_ROLE[s.role] || 'index.html');
        return new Promise(() => {});
    }
    renderNav(s);
    return s;
}

/* --- DOM -------------------------------------------------------------- */

/*
 * el('p', {class: 'x', for: 'id'}, 'text', child, ...) - attributes are set
 * with setAttribute (never an on* handler or a style), text with text nodes.
 */
export function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
        for (const [k, v] of Object.entries(attrs)) {
            if (v === null || v === undefined || v === false) continue;
            if (k.startsWith('on') || k === 'style') throw new Error('el: ' + k + ' is not allowed');
            if (k === 'text') node.textContent = String(v);
            else node.setAttribute(k, v === true ? '' : String(v));
        }
    }
    append(node, children);
    return node;
}

export function append(node, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false) continue;
        node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
}

export function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
}

export function $(sel, root = document) {
    return root.querySelector(sel);
}

export function $all(sel, root = document) {
    return Array.from(root.querySelectorAll(sel));
}

export function param(name) {
    return new URLSearchParams(location.search).get(name);
}

/* A positive whole-number id from the query string, or null. */
export function idParam(name) {
    const v = param(name);
    return v && /^[1-9][0-9]{0,17}$/.test(v) ? v : null;
}

/* A message in the page's status region (role=alert for errors). */
export function showPageError(err, where) {
    const box = where || $('#page-error');
    if (!box) return;
    clear(box);
    box.hidden = false;
    box.append(el('p', null, err && err.message ? err.message : String(err)));
    box.focus();
}

export function hidePageError(where) {
    const box = where || $('#page-error');
    if (box) {
        clear(box);
        box.hidden = true;
    }
}

/* --- navigation --------------------------------------------------------- */

function navLinks(s) {
    if (s.role === 'clinician') return [['dashboard.html', 'Dashboard']];
    if (s.role === 'admin') return [['admin.html', 'Accounts']];
    const p = s.patient_id;
    return [
        ['home.html', 'Home'],
        ['progress.html?patient=' + p, 'My progress'],
        ['assess.html?patient=' + p, 'Self-assessment'],
    ];
}

export function renderNav(s) {
    const nav = $('#site-nav');
    if (!nav) return;
    clear(nav);
    const list = el('ul', { class: 'nav-list' });
    const here = location.pathname.split('/').pop() || 'index.html';
    for (const [href, label] of navLinks(s)) {
        const a = el('a', { href }, label);
        if (href.split('?')[0] === here) a.setAttribute('aria-current', 'page');
        list.append(el('li', null, a));
    }
    const out = el('button', { type: 'button', class: 'link-button' }, 'Log out');
    out.addEventListener('click', logout);
    list.append(el('li', { class: 'nav-user' }, el('span', { class: 'who' }, s.username + ' (' + s.role + ')'), out));
    nav.append(list);
}

/* --- formatting ----------------------------------------------------------- */

export const LEVEL_TEXT = {
    emergency: 'Emergency',
    urgent: 'Urgent',
    prompt: 'Prompt',
    routine: 'Routine',
    self_care: 'Self-care',
    review: 'Review',
};

export const LEVEL_RANK = { emergency: 0, urgent: 1, prompt: 2, review: 3, routine: 4, self_care: 5 };

export function isSevere(level) {
    return level === 'emergency' || level === 'urgent';
}

/* "!! Emergency" for the levels that need action now: the marks carry the
 * meaning without colour. */
export function levelText(level) {
    if (!level) return 'None yet';
    const t = LEVEL_TEXT[level] || humanize(level);
    return isSevere(level) ? '!! ' + t : t;
}

export function levelBadge(level) {
    return el('span', { class: 'level level-' + (level || 'none') }, levelText(level));
}

export function humanize(id) {
    if (id === null || id === undefined) return '';
    const s = String(id).replace(/_/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
}

export function fmtNumber(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number') return String(Math.round(v * 100) / 100);
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    return String(v);
}

export function fmtRange(r) {
    if (r === null || r === undefined) return '—';
    if (!Array.isArray(r)) return fmtNumber(r);
    const [lo, hi] = r;
    if (lo === null || lo === undefined) return 'up to ' + fmtNumber(hi);
    if (lo === hi) return fmtNumber(lo);
    return fmtNumber(lo) + '–' + fmtNumber(hi);
}

export function fmtDate(d) {
    if (!d) return '—';
    return String(d).slice(0, 10);
}

export function fmtTime(ts) {
    if (!ts) return '—';
    return String(ts).replace('T', ' ').replace(/:\d\dZ$/, ' UTC').replace(/Z$/, ' UTC');
}

export function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/* The medical disclaimer, the engine's exact text when known. */
export function renderDisclaimer(text) {
    const box = $('#disclaimer');
    if (!box) return;
    clear(box);
    box.append(el('p', null, el('strong', null, 'Please note: '), text || DISCLAIMER));
}

/* A table from column headings and rows of cells (strings or nodes). */
export function table(caption, headings, rows, cls) {
    const t = el('table', { class: cls || null });
    if (caption) t.append(el('caption', null, caption));
    const thead = el('thead', null, el('tr', null, headings.map((h) => el('th', { scope: 'col' }, h))));
    const tbody = el('tbody');
    for (const r of rows) {
        tbody.append(el('tr', null, r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', null, c)))));
    }
    t.append(thead, tbody);
    return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || headings.join(', ') }, t);
}

/* Marks a form field invalid with a message right after it; returns the
 * field so callers can focus it. */
export function markInvalid(field, message) {
    const id = (field.id || 'field') + '-error';
    let msg = document.getElementById(id);
    if (!msg) {
        msg = el('p', { id, class: 'field-error' });
        const anchor = field.closest('.field') || field;
        anchor.append(msg);
    }
    msg.textContent = message;
    field.setAttribute('aria-invalid', 'true');
    const described = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!described.includes(id)) described.push(id);
    field.setAttribute('aria-describedby', described.join(' '));
    return field;
}

export function clearInvalid(form) {
    for (const f of $all('[aria-invalid="true"]', form)) {
        f.removeAttribute('aria-invalid');
        const id = (f.id || 'field') + '-error';
        const rest = (f.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
        if (rest.length) f.setAttribute('aria-describedby', rest.join(' '));
        else f.removeAttribute('aria-describedby');
    }
    for (const m of $all('.field-error', form)) m.remove();
}

/* A labelled form field: <div class="field"><label for>..</label><input>..</div> */
export function field(id, label, control, hint) {
    control.id = id;
    const wrap = el('div', { class: 'field' }, el('label', { for: id }, label));
    if (hint) {
        const hid = id + '-hint';
        wrap.append(el('p', { class: 'hint', id: hid }, hint));
        control.setAttribute('aria-describedby', hid);
    }
    wrap.append(control);
    return wrap;
}

export function numberOptions(select, lo, hi, blankLabel) {
    if (blankLabel !== undefined) select.append(el('option', { value: '' }, blankLabel));
    for (let i = lo; i <= hi; i++) select.append(el('option', { value: String(i) }, String(i)));
    return select;
}
