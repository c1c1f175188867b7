// The pictures in words, for screen readers: the plane ("8 of 8 modes covered; D is unsure almost
// everywhere") and the two charts, from the frames the page already gets. The words are coarse on
// purpose (shares in tens of per cent), so they change when the picture changes in a way a person
// would notice, not with every frame; live.js keeps each to one write every few seconds.
import { t, fmt } from '../i18n.js';
import { LiveText } from '../live.js';
import { $ } from './page.js';
import { EXTENT } from '../limits.js';

/** D counts as unsure where its guess is within this of ½; "almost everywhere" is this share of the plane. */
const UNSURE = 0.1;
const ALMOST = 0.9;

/** Rounded to tens of per cent, so that small drifts say nothing new. */
const tens = (share) => Math.round(share * 10) * 10;

/**
 * What D's map says, from a probability heatmap: unsure almost everywhere, or how much of the plane
 * it calls real and generated. Null for a critic's score (no level means "unsure") or no map.
 */
export function describeD(heatmap, probability) {
  if (!probability || !heatmap?.length) return null;
  let unsure = 0;
  let real = 0;
  let fake = 0;
  for (const p of heatmap) {
    if (!Number.isFinite(p)) continue;
    if (Math.abs(p - 0.5) < UNSURE) unsure++;
    else if (p > 0.5) real++;
    else fake++;
  }
  const n = Math.max(1, unsure + real + fake);
  if (unsure / n >= ALMOST) return t('a11y.plane.unsure');
  return t('a11y.plane.split', { real: tens(real / n), fake: tens(fake / n) });
}

/** Share of generated points (`[x0, y0, …]`) outside the plane shown, [−EXTENT, EXTENT]²; the readouts say it too. */
export function offPlane(fake) {
  let out = 0;
  for (let i = 0; i < fake.length; i += 2) if (!(Math.abs(fake[i]) <= EXTENT && Math.abs(fake[i + 1]) <= EXTENT)) out++;
  return out / Math.max(1, fake.length / 2);
}

/** How well G covers the data: modes for a mixture, else the Jensen–Shannon divergence. */
function coverage(m) {
  if (m?.modes) return t('a11y.plane.modes', { covered: m.modes.covered, total: m.modes.total });
  return Number.isFinite(m?.js) ? t('a11y.plane.js', { js: fmt(m.js, { maximumFractionDigits: 2 }) }) : null;
}

/** The plane in one sentence: coverage, D's map (`d`: describeD's words), points off the picture. */
export function describePlane(frame, d) {
  const off = offPlane(frame.fake ?? []);
  const parts = [coverage(frame.metrics), d, off >= 0.1 ? t('a11y.plane.off', { n: tens(off) }) : null];
  return parts.filter(Boolean).join(t('a11y.join'));
}

const trained = (frame) => !(frame.iteration === 0 && !Number.isFinite(frame.dLoss));
const num = (x) => (Number.isFinite(x) ? fmt(x, { maximumSignificantDigits: 3 }) : '–');

/** The loss chart's newest values. */
export function describeLoss(frame) {
  if (!trained(frame)) return t('a11y.chart.empty');
  return t('a11y.chart.loss', { n: frame.iteration, d: num(frame.dLoss), g: num(frame.gLoss) });
}

/** The quality chart's newest values. */
export function describeQuality(frame) {
  if (!trained(frame)) return t('a11y.chart.empty');
  const m = frame.metrics ?? {};
  const modes = m.modes ? t('a11y.chart.modes', { covered: m.modes.covered, total: m.modes.total }) : '';
  return t('a11y.chart.quality', { n: frame.iteration, js: num(m.js), modes });
}

export class Descriptions {
  /** `covered()`: true while the explanation or the drawing owns the plane (they say what it shows); `state()`: the run's. */
  constructor({ covered, state }) {
    Object.assign(this, { covered, state });
    this.d = null; // D's words from the last heatmap (frames between two heatmaps carry none)
    this.plane = new LiveText($('plane-desc'));
    this.loss = new LiveText($('chart-loss-desc'));
    this.quality = new LiveText($('chart-quality-desc'));
  }

  /** A frame from the worker. */
  push(frame) {
    if (!this.state().heatmap) this.d = null;
    else if (frame.heatmap?.length) this.d = describeD(frame.heatmap, frame.heatmapProbability);
    if (!this.covered()) this.plane.set(describePlane(frame, this.d));
    this.loss.set(describeLoss(frame));
    this.quality.set(describeQuality(frame));
  }
}
