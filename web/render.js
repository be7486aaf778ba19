/*
 * render.js - pieces several pages show the same way: the triage advice,
 * an exercise with its how-to, today's prescription, a list of alerts.
 * The words are the engine's; this file only lays them out.
 */
import { el, levelBadge, levelText, isSevere, humanize, fmtRange, fmtNumber, fmtDate, LEVEL_TEXT } from './app.js';

/*
 * The triage advice box: level and action in large type, then the reasons.
 * Emergency and urgent get the red box and the "!!" marks; `alert` makes it
 * a live region (role=alert) for advice that arrives after an action.
 */
export function triageBox(t, opts = {}) {
    const severe = isSevere(t.level);
    const h = opts.heading || 'h3';
    const box = el('div', {
        class: 'advice' + (severe ? ' severe' : ''),
        role: opts.alert ? 'alert' : null,
        'data-level': t.level,
        id: opts.id || null,
        tabindex: opts.focusable ? '-1' : null,
    });
    box.append(el(h, { class: 'advice-title' }, levelText(t.level)));
    if (t.action) box.append(el('p', { class: 'advice-action' }, t.action));
    const reasons = Array.isArray(t.reasons) ? t.reasons : [];
    if (reasons.length) {
        const ul = el('ul');
        for (const r of reasons) {
            if (typeof r === 'string') {
                ul.append(el('li', null, r));
                continue;
            }
            ul.append(el('li', null,
                r.level && r.level !== t.level ? [levelBadge(r.level), ' '] : null,
                r.explanation || humanize(r.id),
                r.source ? el('span', { class: 'muted' }, ' [' + r.source + ']') : null));
        }
        box.append(ul);
    } else if (t.explanation || t.reason) {
        box.append(el('p', null, 'Why: ', t.explanation || t.reason,
            t.source ? el('span', { class: 'muted' }, ' [' + t.source + ']') : null));
    }
    return box;
}

const CHANGE_TEXT = {
    next_level: 'Today: the next harder level',
    more_load: 'Today: a little more weight',
    same: 'Today: the same as last time',
    step_back: 'Today: one step easier',
};

const STATUS_TEXT = {
    no_plan: 'No plan yet',
    no_assessment: 'No plan yet',
    not_until_seen: '!! No exercise until a clinician has seen you',
    paused: 'Paused',
    assisted: 'Assisted exercises',
    with_treating_team: 'With your treating team',
    step_back: 'One step easier',
    hold: 'Same as last time',
    progress: 'Ready for more',
    keep: 'Keep going',
};

export function doseText(ex) {
    const parts = [];
    if (ex.sets) parts.push(fmtRange(ex.sets) + ' sets');
    if (ex.reps) parts.push(fmtRange(ex.reps) + ' repetitions');
    else if (ex.hold_seconds) parts.push('hold ' + fmtRange(ex.hold_seconds) + ' s');
    if (ex.load_kg !== null && ex.load_kg !== undefined) parts.push(fmtNumber(ex.load_kg) + ' kg');
    return parts.join(' × ') || 'as your clinician showed you';
}

export function exerciseCard(ex, opts = {}) {
    const h = opts.heading || 'h3';
    const card = el('article', { class: 'exercise', 'data-exercise': ex.id });
    card.append(el(h, null, ex.name || humanize(ex.id), ex.level ? el('span', { class: 'muted' }, ' (level ' + ex.level + ')') : null));
    card.append(el('p', { class: 'dose' }, doseText(ex)));
    if (ex.change) card.append(el('p', null, CHANGE_TEXT[ex.change] || humanize(ex.change)));
    if (ex.effort) card.append(el('p', null, el('strong', null, 'How hard: '), ex.effort));
    if (ex.how) card.append(el('p', null, el('strong', null, 'How: '), ex.how));
    /* In an assessment's plan `why` is what the exercise is for; in today's
     * prescription that is `purpose`, and `why` explains today's dose. */
    if (ex.purpose) card.append(el('p', null, el('strong', null, 'Why: '), ex.purpose));
    if (ex.why) card.append(el('p', null, el('strong', null, ex.purpose ? 'Today’s dose: ' : 'Why: '), ex.why));
    if (ex.easier) card.append(el('p', null, el('strong', null, 'Easier: '), ex.easier));
    if (ex.harder) card.append(el('p', null, el('strong', null, 'Harder: '), ex.harder));
    if (ex.source) card.append(el('p', { class: 'muted' }, 'Source: ' + ex.source));
    return card;
}

/* GET /patients/{id}/plan may answer the prescription itself or an object
 * holding it beside the current triage: accept both. */
export function splitPlan(data) {
    const rx = (data && (data.prescription || data)) || {};
    const triage = (data && data.triage) || rx.triage || null;
    const disclaimer = (data && data.disclaimer) || null;
    return { rx, triage, disclaimer };
}

export function prescriptionView(rx, opts = {}) {
    const box = el('div', { class: 'prescription' });
    const status = STATUS_TEXT[rx.status] || (rx.status ? humanize(rx.status) : 'No plan yet');
    box.append(el('p', null, el('strong', null, 'Status: '), status,
        rx.reason ? ': ' + rx.reason : '', rx.source ? el('span', { class: 'muted' }, ' [' + rx.source + ']') : null));
    if (rx.sessions_per_week) box.append(el('p', null, el('strong', null, 'Sessions a week: '), fmtRange(rx.sessions_per_week)));
    const list = Array.isArray(rx.exercises) ? rx.exercises : [];
    if (!list.length) box.append(el('p', null, 'No exercises are prescribed right now.'));
    for (const ex of list) box.append(exerciseCard(ex, opts));
    return box;
}

export function alertSummary(a) {
    return el('li', { class: 'alert-item' + (isSevere(a.level) || a.kind === 'red_flag' ? ' severe' : ''), 'data-kind': a.kind },
        el('p', null, levelBadge(a.level), ' ', el('strong', null, humanize(a.kind)), ' · ', fmtDate(a.date),
            a.cleared_at ? ' · reviewed' + (a.cleared_by ? ' by ' + a.cleared_by : '') : ' · open'),
        el('p', null, a.explanation || ''));
}

export { LEVEL_TEXT };
