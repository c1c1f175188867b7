// One training round taken apart for teaching: each phase's picture, its key number and its
// sentences in two wordings (school: no formulas; university: with them), with the round's own
// numbers. Every text of the explanation comes from the string tables (phase.*) through this file.
// Pure except for drawing on the Plane it is given.
import { COLORS, unitScale, valueCss } from '../views/plane.js';
import { EXTENT } from '../limits.js';
import { tturLr, optionLabel } from '../state.js';
import { t, fmt } from '../i18n.js';

/** The wordings, in the order the toggle shows them; the first is the default. */
export const WORDINGS = ['school', 'university'];

const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
/**
 * A number for the picture and the text: `d` decimals unless it is small (then 2 significant
 * digits), written for the page's language. Rounded by JS first (Intl rounds 1.2345 up, toFixed down).
 */
function f(x, d = 2) {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 0.1) {
    const tiny = Math.abs(x) < 1e-6 ? { notation: 'scientific' } : {};
    return fmt(Number(x.toPrecision(2)), { minimumSignificantDigits: 2, maximumSignificantDigits: 2, ...tiny });
  }
  return fmt(Number(x.toFixed(d)), { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** D's value at a point, read from a heatmap grid (rows from the top, cell centres) by bilinear interpolation. */
export function atGrid(grid, x, y) {
  const side = Math.round(Math.sqrt(grid.length));
  if (!side) return NaN;
  const cell = (2 * EXTENT) / side;
  const clamp = (v) => Math.max(0, Math.min(side - 1, v));
  const fc = clamp((x + EXTENT) / cell - 0.5);
  const fr = clamp((EXTENT - y) / cell - 0.5);
  const c0 = Math.floor(fc);
  const r0 = Math.floor(fr);
  const c1 = Math.min(side - 1, c0 + 1);
  const r1 = Math.min(side - 1, r0 + 1);
  const tc = fc - c0;
  const tr = fr - r0;
  const v = (r, c) => grid[r * side + c];
  return (1 - tr) * ((1 - tc) * v(r0, c0) + tc * v(r0, c1)) + tr * ((1 - tc) * v(r1, c0) + tc * v(r1, c1));
}

/** D (a heatmap grid) at each of the points `xy`. */
const gridAt = (grid, xy) => Array.from({ length: xy.length / 2 }, (_, i) => atGrid(grid, xy[2 * i], xy[2 * i + 1]));

function meanDist(a, b) {
  let s = 0;
  const n = Math.min(a.length, b.length) / 2;
  for (let i = 0; i < n; i++) s += Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
  return n ? s / n : NaN;
}

function latentXY(e) {
  const n = e.z.length / e.latentDim;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = e.z[i * e.latentDim];
    out[2 * i + 1] = e.latentDim > 1 ? e.z[i * e.latentDim + 1] : 0;
  }
  return out;
}

/** How much each point costs D, in [0, 1]: 1 − D(x) for real points, D(G(z)) for generated ones. */
function costs(e) {
  let scale = 1;
  let shift = 0;
  if (!e.heatmapProbability) {
    // Scores: map them into [0, 1] over the batch.
    const all = [...e.dReal, ...e.dFake];
    shift = Math.min(...all);
    scale = Math.max(Math.max(...all) - shift, 1e-9);
  }
  const norm = (v) => Math.max(0, Math.min(1, (v - shift) / scale));
  return [Array.from(e.dReal, (v) => 1 - norm(v)), Array.from(e.dFake, (v) => norm(v))];
}

/**
 * Everything the texts and pictures use, worked out once per explained round: `e` is the engine's
 * explained round, `s` the run's state. Values read from the heatmap grid (marked ≈ in the texts)
 * are what the engine does not return: D's output at points after its update.
 */
export function context(e, s) {
  const shown = e.real.length / 2;
  const fakeAfterD = gridAt(e.heatAfter, e.fakeAfter);
  return {
    e,
    s,
    shown,
    batch: Math.max(shown, s.batch ?? shown),
    prob: e.heatmapProbability,
    unitBefore: unitScale(e.heatBefore, e.heatmapProbability),
    unitAfter: unitScale(e.heatAfter, e.heatmapProbability),
    z: latentXY(e),
    dReal: mean(e.dReal),
    dFake: mean(e.dFake),
    dFakeAfter: mean(e.dFakeAfter),
    // D(x) before and after D's step, both from the grid so that their difference is D's change.
    dRealGrid: [mean(gridAt(e.heatBefore, e.real)), mean(gridAt(e.heatAfter, e.real))],
    // D after its step at the generated points, before and after G's step (both from the grid).
    dFakeMoved: [mean(gridAt(e.heatAfter, e.fake)), mean(fakeAfterD)],
    fakeAfterD,
    moved: meanDist(e.fake, e.fakeAfter),
    // The largest change of D's map in D's step.
    change: Array.from(e.heatAfter, (v, k) => Math.abs(v - e.heatBefore[k])).reduce((a, d) => (Number.isFinite(d) ? Math.max(a, d) : a), 0),
    costs: costs(e),
  };
}

// ---- The words: every sentence is in the string tables (phase.*); formulas keep their symbols ----

/** The scale of D's output, for the picture's caption. */
const scaleCaption = (c) => t(c.prob ? 'phase.caption.probability' : 'phase.caption.score');

/** Each objective's D and G losses, as the university wording writes them. */
const LOSS = {
  non_saturating: () => [t('phase.loss.non_saturating.d'), t('phase.loss.non_saturating.g')],
  minimax: () => [t('phase.loss.minimax.d'), t('phase.loss.minimax.g')],
  least_squares: () => [t('phase.loss.least_squares.d'), t('phase.loss.least_squares.g')],
  hinge: () => [t('phase.loss.hinge.d'), t('phase.loss.hinge.g')],
  wasserstein: () => [t('phase.loss.wasserstein.d'), t('phase.loss.wasserstein.g')],
  wasserstein_gp: () => [t('phase.loss.wasserstein_gp.d'), t('phase.loss.wasserstein_gp.g')],
};
const loss = (objective, i) => (Object.hasOwn(LOSS, objective) ? LOSS[objective]()[i] : ['L_D', 'L_G'][i]);
const SMOOTHED = ['non_saturating', 'minimax', 'least_squares'];

/** The D loss formula with this run's extras (smoothing, λ). */
function dLossFormula(c) {
  const { objective, smooth, gp } = c.s;
  let text = loss(objective, 0);
  if (smooth > 0 && SMOOTHED.includes(objective)) text = t('phase.loss.smoothed', { loss: text, target: 1 - smooth });
  if (objective === 'wasserstein_gp') text = t('phase.loss.penalty', { loss: text, gp });
  return text;
}

/** One optimiser step on the weights `w` of a network with loss `L`, as a formula. */
function stepFormula(kind, w, L, lr, momentum) {
  if (kind === 'sgd') return momentum > 0 ? t('phase.step.sgdMomentum', { w, L, lr, momentum }) : t('phase.step.sgd', { w, L, lr });
  if (kind === 'rmsprop') return t('phase.step.rmsprop', { w, L, lr });
  return t('phase.step.adam', { w, L, lr });
}
const dLr = (s) => (s.ttur ? tturLr(s) : s.dLr);

/**
 * The phases: { title, heat ('before' | 'after' | 'change' | undefined: the background), number(c)
 * → the key number's lines, caption(c), school(c), university(c), draw(plane, c, { bottom }) }.
 */
export const PHASES = [
  {
    title: t('phase.real.title'),
    number: (c) => [t('phase.real.number', { n: c.shown })],
    caption: () => t('phase.real.caption'),
    school: (c) => t('phase.real.school', { n: c.batch, shown: c.shown }),
    university: (c) => t('phase.real.university', { batch: c.batch, shown: c.shown }),
    draw: (p, c) => p.marks(c.e.real, { fill: () => COLORS.real }),
  },
  {
    title: t('phase.noise.title'),
    number: (c) => [t('phase.noise.number', { n: c.shown })],
    caption: (c) => t(c.e.latentDim > 1 ? 'phase.noise.caption' : 'phase.noise.captionOne'),
    school: (c) => t(c.e.latentDim > 2 ? 'phase.noise.schoolMany' : 'phase.noise.school', { n: c.e.latentDim }),
    university: (c) =>
      t('phase.noise.university', { noise: optionLabel('noise', c.s.noise ?? 'gaussian'), dim: String(c.e.latentDim), z: c.e.latentDim > 1 ? '(z₁, z₂)' : '(z, 0)' }),
    draw: (p, c) => p.marks(c.z, { fill: () => COLORS.z, radius: () => 3.5 }),
  },
  {
    title: t('phase.generate.title'),
    number: (c) => [t('phase.generate.number', { n: c.shown })],
    caption: () => t('phase.generate.caption'),
    school: () => t('phase.generate.school'),
    university: () => t('phase.generate.university'),
    draw: (p, c) => {
      p.links(c.z, c.e.fake, 'rgba(134,142,150,0.5)');
      p.marks(c.z, { fill: () => COLORS.z, radius: () => 2.5, stroke: 'rgba(0,0,0,0)' });
      p.marks(c.e.fake, { shape: 'diamond', fill: () => COLORS.fake });
    },
  },
  {
    title: t('phase.discriminate.title'),
    heat: 'before',
    number: (c) => [t('phase.discriminate.real', { v: f(c.dReal) }), t('phase.discriminate.fake', { v: f(c.dFake) })],
    caption: scaleCaption,
    school: (c) => t(c.prob ? 'phase.discriminate.school' : 'phase.discriminate.schoolScore', { real: f(c.dReal), fake: f(c.dFake) }),
    university: (c) => t(c.prob ? 'phase.discriminate.university' : 'phase.discriminate.universityScore', { real: f(c.dReal, 4), fake: f(c.dFake, 4) }),
    draw: (p, c) => {
      p.marks(c.e.real, { fill: (i) => valueCss(c.unitBefore(c.e.dReal[i])) });
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitBefore(c.e.dFake[i])) });
    },
  },
  {
    title: t('phase.dLoss.title'),
    heat: 'before',
    number: (c) => [t('phase.dLoss.number', { v: f(c.e.dLoss, 3) })],
    caption: () => t('phase.dLoss.caption'),
    school: (c) => t('phase.dLoss.school', { loss: f(c.e.dLoss, 3) }),
    university: (c) => t('phase.dLoss.university', { formula: dLossFormula(c), loss: f(c.e.dLoss, 4) }),
    draw: (p, c) => {
      const [real, fake] = c.costs;
      const size = (v) => 2.5 + 7 * v;
      p.marks(c.e.real, { fill: (i) => valueCss(c.unitBefore(c.e.dReal[i])), radius: (i) => size(real[i]) });
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitBefore(c.e.dFake[i])), radius: (i) => size(fake[i]) });
    },
  },
  {
    title: t('phase.dStep.title'),
    heat: 'change',
    number: (c) => [`D(G(z)) ${f(c.dFake)} → ${f(c.dFakeAfter)}`, `D(x) ≈ ${f(c.dRealGrid[0])} → ${f(c.dRealGrid[1])}`],
    caption: (c) => t('phase.dStep.caption', { change: f(c.change) }),
    school: (c) => t('phase.dStep.school', { before: f(c.dFake), after: f(c.dFakeAfter) }),
    university: (c) =>
      t(c.s.objective === 'wasserstein' ? 'phase.dStep.universityClip' : 'phase.dStep.university', {
        step: stepFormula(c.s.dOpt, 'φ', 'L_D', dLr(c.s), c.s.dMom),
        clip: c.s.clip,
        change: f(c.change, 3),
        fake: f(c.dFake, 4),
        fakeAfter: f(c.dFakeAfter, 4),
        real: f(c.dRealGrid[0], 4),
        realAfter: f(c.dRealGrid[1], 4),
      }),
    draw: (p, c, { bottom }) => {
      const side = 0.2 * p.size;
      const gap = 0.02 * p.size;
      const top = bottom - gap - side;
      p.marks(c.e.real, { fill: () => COLORS.paper, radius: () => 3.5 });
      p.marks(c.e.fake, { shape: 'diamond', fill: () => COLORS.paper, radius: () => 3.5 });
      p.inset(c.e.heatBefore, c.prob, [p.size - 2 * side - 2 * gap, top, side], t('phase.dStep.before'));
      p.inset(c.e.heatAfter, c.prob, [p.size - side - gap, top, side], t('phase.dStep.after'));
    },
  },
  {
    title: t('phase.gLoss.title'),
    heat: 'after',
    number: (c) => [t('phase.gLoss.number', { v: f(c.e.gLoss, 3) })],
    caption: () => t('phase.gLoss.caption'),
    school: (c) => t('phase.gLoss.school', { loss: f(c.e.gLoss, 3) }),
    university: (c) =>
      t(c.s.trueScale ? 'phase.gLoss.universityTrue' : 'phase.gLoss.university', { formula: loss(c.s.objective, 1), loss: f(c.e.gLoss, 4), fake: f(c.dFakeAfter, 4) }),
    draw: (p, c) => {
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitAfter(c.e.dFakeAfter[i])) });
      p.arrows(c.e.fake, c.e.arrows);
    },
  },
  {
    title: t('phase.gStep.title'),
    heat: 'after',
    number: (c) => [t('phase.gStep.number', { v: f(c.moved, 3) })],
    caption: () => t('phase.gStep.caption'),
    school: (c) => t('phase.gStep.school', { moved: f(c.moved, 3), before: f(c.dFakeMoved[0]), after: f(c.dFakeMoved[1]), round: c.e.iteration }),
    university: (c) =>
      t('phase.gStep.university', {
        step: stepFormula(c.s.gOpt, 'θ', 'L_G', c.s.gLr, c.s.gMom),
        moved: f(c.moved, 4),
        before: f(c.dFakeMoved[0], 4),
        after: f(c.dFakeMoved[1], 4),
        round: c.e.iteration,
      }),
    draw: (p, c) => {
      p.marks(c.e.fake, { shape: 'diamond', fill: () => 'rgba(123,63,196,0.3)', stroke: 'rgba(29,29,41,0.3)', radius: () => 3.5 });
      p.links(c.e.fake, c.e.fakeAfter, COLORS.fake);
      p.marks(c.e.fakeAfter, { shape: 'diamond', fill: (i) => valueCss(c.unitAfter(c.fakeAfterD[i])) });
    },
  },
];

/** The other lines of the panel and the readouts while a round is explained. */
export const TEXT = {
  /** What this explanation does of a round with k_D and k_G. */
  steps: {
    school: ({ kd = 1, kg = 1 }) =>
      kd === 1 && kg === 1
        ? t('phase.steps.school')
        : t('phase.steps.schoolMore', { d: t('phase.steps.d', { n: kd }), g: t('phase.steps.g', { n: kg }) }),
    university: ({ kd = 1, kg = 1 }) => t('phase.steps.university', { d: t('phase.steps.kd', { n: kd }), g: t('phase.steps.kg', { n: kg }) }),
  },
  /** A phase's text when the round's losses are not finite. */
  diverged: (text) => t('phase.diverged', { text }),
  /** The "This round" readout. */
  round: (e, phase) =>
    phase === PHASES.length - 1 ? t('phase.round.done', { n: e.iteration }) : t('phase.round.at', { n: e.iteration, phase: phase + 1, of: PHASES.length, title: PHASES[phase].title }),
  /** A loss readout before its phase. */
  pending: (phase) => t('phase.pending', { phase: phase + 1 }),
  /** The plane's label for screen readers. */
  plane: (phase, lines) => t('phase.plane', { phase: phase + 1, title: PHASES[phase].title, lines: lines.join(t('phase.plane.join')) }),
};

/** The phases (0-based) from which each loss of the round is known (the readouts show it from then on). */
export const D_LOSS_PHASE = 4;
export const G_LOSS_PHASE = 6;

/** The texts of phase `i` in a wording: { title, text, steps, number (lines), caption }. */
export function phaseText(c, i, wording) {
  const phase = PHASES[i];
  const w = WORDINGS.includes(wording) ? wording : WORDINGS[0];
  const broken = !Number.isFinite(c.e.dLoss) || !Number.isFinite(c.e.gLoss);
  const text = broken ? TEXT.diverged(phase[w](c)) : phase[w](c);
  return { title: `${i + 1}. ${phase.title}`, text, steps: TEXT.steps[w](c.s), number: phase.number(c), caption: phase.caption(c) };
}

/** Paints phase `i` of an explained round (context `c`) with its key number and caption; returns which background it drew. */
export function drawPhase(plane, c, i) {
  const phase = PHASES[i];
  plane.clear();
  if (phase.heat === 'before') plane.heatmap(c.e.heatBefore, c.prob);
  if (phase.heat === 'after') plane.heatmap(c.e.heatAfter, c.prob);
  if (phase.heat === 'change') plane.changeMap(c.e.heatBefore, c.e.heatAfter);
  plane.grid();
  const caption = { y: 0.98 * plane.size, size: 0.03, weight: 500, align: 'bottom' };
  // The caption sits at the bottom; what a phase draws in a corner goes above it.
  const bottom = plane.label([phase.caption(c)], { ...caption, dry: true }).top;
  phase.draw(plane, c, { bottom });
  plane.label(phase.number(c));
  plane.label([phase.caption(c)], caption);
  return phase.heat ?? 'none';
}
