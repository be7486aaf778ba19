/*
 * chart.js - a small hand-written SVG line chart for one measure over time:
 * the values as a line with a point per assessment (each point focusable,
 * with a <title> and an aria-label giving date, value and change), and each
 * definition's threshold as a labelled dashed line. Written by hand because
 * it is this small and the app loads nothing from other origins.
 */

const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 300;
const M = { top: 16, right: 16, bottom: 44, left: 56 };

let chartCount = 0;

function svg(tag, attrs, text) {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v !== null && v !== undefined) n.setAttribute(k, String(v));
    }
    if (text !== undefined) n.textContent = text;
    return n;
}

function num(v) {
    return Math.round(v * 100) / 100;
}

function dayValue(date) {
    const t = Date.parse(String(date).slice(0, 10) + 'T00:00:00Z');
    return Number.isFinite(t) ? t : 0;
}

/* About five round ticks covering [lo, hi]. */
function ticks(lo, hi) {
    const span = hi - lo || 1;
    const raw = span / 5;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => span / s <= 6) || mag * 10;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(num(v));
    return out;
}

/**
 * lineChart({title, unit, series: [{date, value, label, change}], thresholds:
 * [{definition, criterion, op, value, unit, source}], better}) -> <figure>.
 * Points whose value is not a number ("unable") are listed, not drawn.
 */
export function lineChart(opts) {
    const id = 'chart-' + ++chartCount;
    const unit = opts.unit || '';
    const points = (opts.series || []).filter((p) => typeof p.value === 'number');
    const thresholds = (opts.thresholds || []).filter((t) => typeof t.value === 'number' && (!t.unit || !unit || t.unit === unit));

    const fig = document.createElement('figure');
    fig.className = 'chart';
    fig.dataset.measure = opts.measure || '';
    const root = svg('svg', {
        viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-labelledby': id + '-title', 'data-points': points.length,
        preserveAspectRatio: 'xMidYMid meet', focusable: 'false',
    });
    root.append(svg('title', { id: id + '-title' }, `${opts.title} over time${unit ? ', in ' + unit : ''}`));

    const values = points.map((p) => p.value).concat(thresholds.map((t) => t.value));
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    const pad = (hi - lo) * 0.12 || Math.abs(hi) * 0.1 || 1;
    lo = Math.max(0, lo - pad);
    hi += pad;
    const yTicks = ticks(lo, hi);
    lo = Math.min(lo, yTicks[0]);
    hi = Math.max(hi, yTicks[yTicks.length - 1]);

    const times = points.map((p) => dayValue(p.date));
    const t0 = times.length ? Math.min(...times) : 0;
    const t1 = times.length ? Math.max(...times) : 1;
    const pw = W - M.left - M.right;
    const ph = H - M.top - M.bottom;
    const x = (t) => (t1 === t0 ? M.left + pw / 2 : M.left + 24 + ((t - t0) / (t1 - t0)) * (pw - 48));
    const y = (v) => M.top + ph - ((v - lo) / (hi - lo)) * ph;

    const axes = svg('g', { 'aria-hidden': 'true' });
    for (const v of yTicks) {
        axes.append(svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
        axes.append(svg('text', { class: 'tick', x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
    }
    axes.append(svg('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: M.top + ph }));
    axes.append(svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: M.top + ph, y2: M.top + ph }));
    axes.append(svg('text', { class: 'unit-label', x: 4, y: M.top + 4 }, unit));
    const shown = new Set();
    const labelEvery = Math.max(1, Math.ceil(points.length / 5));
    points.forEach((p, i) => {
        const d = String(p.date).slice(0, 10);
        if (shown.has(d) || (i % labelEvery !== 0 && i !== points.length - 1)) return;
        shown.add(d);
        axes.append(svg('text', { class: 'tick', x: x(times[i]), y: H - M.bottom + 18, 'text-anchor': 'middle' }, d));
    });
    root.append(axes);

    /* thresholds: one dashed line per value and operator, the definitions that share it in one label */
    const byValue = new Map();
    for (const t of thresholds) {
        const key = `${t.value}|${t.op || ''}`;
        if (!byValue.has(key)) byValue.set(key, []);
        byValue.get(key).push(t);
    }
    const tg = svg('g', { class: 'thresholds' });
    const labels = [];
    for (const group of byValue.values()) {
        const v = group[0].value;
        const names = [...new Set(group.map((t) => (t.definition || '').toUpperCase()))].join(', ');
        const text = `${names} ${group[0].op || ''} ${num(v)} ${group[0].unit || unit}`.replace(/\s+/g, ' ').trim();
        const g = svg('g', { class: 'threshold-group', 'data-value': v });
        g.append(svg('title', null, `Threshold: ${group.map((t) => `${(t.definition || '').toUpperCase()} ${t.criterion || ''} ${t.op || ''} ${num(t.value)} ${t.unit || unit}${t.source ? ' [' + t.source + ']' : ''}`).join('; ')}`));
        g.append(svg('line', { class: 'threshold', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), 'stroke-dasharray': '6 4' }));
        const label = svg('text', { class: 'threshold-label', x: W - M.right - 4, y: y(v) - 4, 'text-anchor': 'end' }, text);
        labels.push(label);
        g.append(label);
        tg.append(g);
    }
    labels.sort((a, b) => Number(a.getAttribute('y')) - Number(b.getAttribute('y')));
    for (let i = 1; i < labels.length; i++) {
        const prev = Number(labels[i - 1].getAttribute('y'));
        if (Number(labels[i].getAttribute('y')) - prev < 13) labels[i].setAttribute('y', prev + 13);
    }
    root.append(tg);

    if (points.length > 1) {
        const d = points.map((p, i) => `${i ? 'L' : 'M'}${num(x(times[i]))},${num(y(p.value))}`).join(' ');
        root.append(svg('path', { class: 'series', d, 'aria-hidden': 'true' }));
    }
    const pg = svg('g', { class: 'points' });
    points.forEach((p, i) => {
        const change = p.change === null || p.change === undefined ? '' : `, change ${p.change > 0 ? '+' : ''}${num(p.change)} ${unit}`;
        const label = `${opts.title} ${num(p.value)} ${unit} on ${String(p.date).slice(0, 10)}${change}${p.label ? ' (' + String(p.label).replace(/_/g, ' ') + ')' : ''}`;
        const c = svg('circle', {
            class: 'point', cx: num(x(times[i])), cy: num(y(p.value)), r: 6, tabindex: 0, role: 'img', 'aria-label': label,
            'data-date': String(p.date).slice(0, 10), 'data-value': p.value,
        });
        c.append(svg('title', null, label));
        pg.append(c);
    });
    root.append(pg);

    const cap = document.createElement('figcaption');
    cap.textContent = `${opts.title}${unit ? ' (' + unit + ')' : ''}: ${points.length} measurement(s)` +
        (opts.better ? `; ${opts.better} is better` : '') + (thresholds.length ? `; ${byValue.size} threshold line(s)` : '');
    fig.append(cap, root);
    return fig;
}
