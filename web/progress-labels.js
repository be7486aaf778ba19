/* progress-labels.js - the words for a measure and a change label (docs/tracking.md,
 * progress.measures[].series[].label), shared by the progress page and the
 * report. */
import { humanize } from './app.js';

const LABEL_TEXT = {
    no_reference: 'No published meaningful change to compare with',
    no_meaningful_change: 'No meaningful change',
};

export function labelText(pt) {
    let s = pt.label ? LABEL_TEXT[pt.label] || humanize(pt.label) : '—';
    if (pt.drop_20_percent) s += '; a drop of 20 % or more';
    return s;
}

const TITLES = {
    grip: 'Grip strength',
    gait_speed: 'Gait speed',
    chair_stand_5x: 'Five chair stands',
    sppb_total: 'SPPB score',
    sppb: 'SPPB score',
    weight: 'Weight',
    six_minute_walk: 'Six-minute walk',
    tug: 'Timed Up and Go',
    calf: 'Calf circumference',
};

export function measureTitle(id) {
    return TITLES[id] || humanize(id);
}
