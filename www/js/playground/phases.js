// One training round taken apart for teaching: each phase's picture, its key number and its
// sentences in two wordings (school: no formulas; university: with them), with the round's own
// numbers. Every text of the explanation is in this file. Pure except for drawing on the Plane it is given.
import { COLORS, EXTENT, unitScale, valueCss } from '../views/plane.js';
import { tturLr } from '../state.js';

/** The wordings, in the order the toggle shows them; the first is the default. */
export const WORDINGS = ['school', 'university'];

const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
/** A number for the picture and the text: `d` decimals unless it is small (then 2 significant digits). */
function f(x, d = 2) {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 0.1) return x.toPrecision(2);
  return x.toFixed(d);
}
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

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

// ---- The words ----------------------------------------------------------------------------

/** The scale of D's output, for the picture's caption. */
const scaleCaption = (c) =>
  c.prob ? 'point colour = D’s output: purple 0 “generated” · white 0.5 · green 1 “real”' : 'point colour = D’s score: purple low · green high (scaled to this picture)';

const LOSS = {
  non_saturating: ['L_D = −mean log D(x) − mean log(1 − D(G(z)))', 'L_G = −mean log D(G(z))  (non-saturating)'],
  minimax: ['L_D = −mean log D(x) − mean log(1 − D(G(z)))', 'L_G = mean log(1 − D(G(z)))  (the original minimax game: its gradient vanishes when D(G(z)) ≈ 0)'],
  least_squares: ['L_D = ½ mean (D(x) − 1)² + ½ mean D(G(z))²', 'L_G = ½ mean (D(G(z)) − 1)²'],
  hinge: ['L_D = mean max(0, 1 − D(x)) + mean max(0, 1 + D(G(z)))', 'L_G = −mean D(G(z))'],
  wasserstein: ['L_D = mean D(G(z)) − mean D(x)', 'L_G = −mean D(G(z))'],
  wasserstein_gp: ['L_D = mean D(G(z)) − mean D(x) + λ · mean (‖∇D(x̂)‖ − 1)²', 'L_G = −mean D(G(z))'],
};
const SMOOTHED = ['non_saturating', 'minimax', 'least_squares'];

/** The D loss formula with this run's extras (smoothing, λ). */
function dLossFormula(c) {
  const { objective, smooth, gp } = c.s;
  let t = LOSS[objective]?.[0] ?? 'L_D';
  if (smooth > 0 && SMOOTHED.includes(objective)) t += `, with the real target 1 smoothed to ${1 - smooth}`;
  if (objective === 'wasserstein_gp') t += ` (x̂ between real and generated points, λ = ${gp})`;
  return t;
}

/** One optimiser step on the weights `w` of a network with loss `L`, as a formula. */
function stepFormula(kind, w, L, lr, momentum) {
  const eta = `η = ${lr}`;
  if (kind === 'sgd') return `${w} ← ${w} − η ∇_${w} ${L} (plain gradient descent${momentum > 0 ? `, momentum ${momentum}` : ''}; ${eta})`;
  if (kind === 'rmsprop') return `${w} ← ${w} − η ∇_${w} ${L} / √(v + ε), v a running mean of (∇_${w} ${L})² (RMSProp; ${eta})`;
  return `${w} ← ${w} − η m̂ / (√v̂ + ε), m̂ and v̂ running means of ∇_${w} ${L} and its square (Adam; ${eta})`;
}
const dLr = (s) => (s.ttur ? tturLr(s) : s.dLr);

/**
 * The phases: { title, heat ('before' | 'after' | 'change' | undefined: the background), number(c)
 * → the key number's lines, caption(c), school(c), university(c), draw(plane, c, { bottom }) }.
 */
export const PHASES = [
  {
    title: 'Sample real data',
    number: (c) => [`${c.shown} real points`],
    caption: () => '● real points, picked at random from the dataset',
    school: (c) => `Each round starts with real examples. ${c.batch} points are picked at random from the dataset; ${c.shown} of them are drawn here as green dots. These are what G must learn to imitate.`,
    university: (c) => `Sample a minibatch x₁ … x_m ~ p_data with m = ${c.batch} (the first ${c.shown} are shown, green).`,
    draw: (p, c) => p.marks(c.e.real, { fill: () => COLORS.real }),
  },
  {
    title: 'Sample noise',
    number: (c) => [`${c.shown} noise vectors z`],
    caption: (c) => (c.e.latentDim > 1 ? '● noise z: its first two numbers as x and y' : '● noise z: one number each, on the x-axis'),
    school: (c) =>
      `G never sees the real points. It starts from random numbers instead, called noise. Each grey dot is one noise vector z of ${plural(c.e.latentDim, 'number', 'numbers')}${c.e.latentDim > 2 ? ' (the picture shows the first two)' : ''}.`,
    university: (c) => `Sample z₁ … z_m ~ p_z (${c.s.noise ?? 'gaussian'}), z ∈ ℝ^${c.e.latentDim}; grey: ${c.e.latentDim > 1 ? '(z₁, z₂)' : '(z, 0)'} of each z.`,
    draw: (p, c) => p.marks(c.z, { fill: () => COLORS.z, radius: () => 3.5 }),
  },
  {
    title: 'Generate: G(z)',
    number: (c) => [`${c.shown} generated points`],
    caption: () => '◆ generated points G(z) · grey lines: from each z to its point',
    school: () => 'G turns each noise vector into a point on the plane: the purple diamonds. A grey line joins each noise dot to the point G made from it. These are G’s fakes.',
    university: () => 'Forward pass x̃ᵢ = G_θ(zᵢ): G maps p_z onto its distribution p_g. Lines join each zᵢ to G(zᵢ).',
    draw: (p, c) => {
      p.links(c.z, c.e.fake, 'rgba(134,142,150,0.5)');
      p.marks(c.z, { fill: () => COLORS.z, radius: () => 2.5, stroke: 'rgba(0,0,0,0)' });
      p.marks(c.e.fake, { shape: 'diamond', fill: () => COLORS.fake });
    },
  },
  {
    title: 'Discriminate both',
    heat: 'before',
    number: (c) => [`D(x) mean ${f(c.dReal)}`, `D(G(z)) mean ${f(c.dFake)}`],
    caption: scaleCaption,
    school: (c) =>
      c.prob
        ? `D looks at every point and gives it a number from 0 (“generated”) to 1 (“real”). Each point is coloured by its number, on the same scale as the background (D’s answer everywhere on the plane). On average D gives the real points ● ${f(c.dReal)} and the generated ones ◆ ${f(c.dFake)}.`
        : `The critic D gives every point a score: higher means “more real”. Each point is coloured by its score, on the same scale as the background. On average the real points ● score ${f(c.dReal)} and the generated ones ◆ ${f(c.dFake)}.`,
    university: (c) =>
      (c.prob ? 'D_φ(x) ∈ [0, 1] on both batches' : 'Critic scores D_φ(x) ∈ ℝ on both batches (no sigmoid; colours scaled to this heatmap’s range)') +
      `: mean D(xᵢ) = ${f(c.dReal, 4)} over real points, mean D(G(zᵢ)) = ${f(c.dFake, 4)} over generated ones. Point colour and background: D’s output.`,
    draw: (p, c) => {
      p.marks(c.e.real, { fill: (i) => valueCss(c.unitBefore(c.e.dReal[i])) });
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitBefore(c.e.dFake[i])) });
    },
  },
  {
    title: 'Discriminator loss',
    heat: 'before',
    number: (c) => [`D loss ${f(c.e.dLoss, 3)}`],
    caption: () => 'bigger = a worse mistake for D (costs D more)',
    school: (c) =>
      `D gets a score for how well it told real from fake: its loss, ${f(c.e.dLoss, 3)}. Lower is better for D. The big shapes are D’s worst mistakes: real points it thought were fake, and fake points it thought were real.`,
    university: (c) => `${dLossFormula(c)} = ${f(c.e.dLoss, 4)}. Marker size ∝ each point’s cost: 1 − D(x) for real points, D(G(z)) for generated ones.`,
    draw: (p, c) => {
      const [real, fake] = c.costs;
      const size = (v) => 2.5 + 7 * v;
      p.marks(c.e.real, { fill: (i) => valueCss(c.unitBefore(c.e.dReal[i])), radius: (i) => size(real[i]) });
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitBefore(c.e.dFake[i])), radius: (i) => size(fake[i]) });
    },
  },
  {
    title: 'Update the discriminator',
    heat: 'change',
    number: (c) => [`D(G(z)) ${f(c.dFake)} → ${f(c.dFakeAfter)}`, `D(x) ≈ ${f(c.dRealGrid[0])} → ${f(c.dRealGrid[1])}`],
    caption: (c) => `background: how D changed · green: “more real” than before · purple: “less real” (largest change ${f(c.change)})`,
    school: (c) =>
      `D learns from its mistakes: all its settings are nudged a little to lower its loss. The background now shows how D changed its mind: green where it now says “more real” than before, purple where it says “less real”. The small maps show D before and after. On the generated points D’s average went from ${f(c.dFake)} to ${f(c.dFakeAfter)}.`,
    university: (c) =>
      `One optimiser step on D’s weights φ: ${stepFormula(c.s.dOpt, 'φ', 'L_D', dLr(c.s), c.s.dMom)}${c.s.objective === 'wasserstein' ? `, then every weight clipped to [−${c.s.clip}, ${c.s.clip}]` : ''}. Background: D_new(x) − D_old(x), max |Δ| = ${f(c.change, 3)}. Mean D(G(z)): ${f(c.dFake, 4)} → ${f(c.dFakeAfter, 4)}; mean D(x) ≈ ${f(c.dRealGrid[0], 4)} → ${f(c.dRealGrid[1], 4)} (read from the heatmap grid).`,
    draw: (p, c, { bottom }) => {
      const side = 0.2 * p.size;
      const gap = 0.02 * p.size;
      const top = bottom - gap - side;
      p.marks(c.e.real, { fill: () => COLORS.paper, radius: () => 3.5 });
      p.marks(c.e.fake, { shape: 'diamond', fill: () => COLORS.paper, radius: () => 3.5 });
      p.inset(c.e.heatBefore, c.prob, [p.size - 2 * side - 2 * gap, top, side], 'D before');
      p.inset(c.e.heatAfter, c.prob, [p.size - side - gap, top, side], 'D after');
    },
  },
  {
    title: 'Generator loss',
    heat: 'after',
    number: (c) => [`G loss ${f(c.e.gLoss, 3)}`],
    caption: () => '◆ coloured by the new D · arrows: the way each point should move',
    school: (c) =>
      `Now it is G’s turn. G gets a score for how well its points fool the new D: its loss, ${f(c.e.gLoss, 3)}. Lower is better for G. The orange arrows show which way each generated point should move to look more real to D.`,
    university: (c) =>
      `${LOSS[c.s.objective]?.[1] ?? 'L_G'} = ${f(c.e.gLoss, 4)}, with D after its step (mean D(G(z)) = ${f(c.dFakeAfter, 4)}). Arrows: −∂L_G/∂x̃ at each x̃ = G(z)${c.s.trueScale ? '' : ', scaled so that the longest is 8 % of the plane'}.`,
    draw: (p, c) => {
      p.marks(c.e.fake, { shape: 'diamond', fill: (i) => valueCss(c.unitAfter(c.e.dFakeAfter[i])) });
      p.arrows(c.e.fake, c.e.arrows);
    },
  },
  {
    title: 'Update the generator',
    heat: 'after',
    number: (c) => [`G moved ${f(c.moved, 3)}`],
    caption: () => 'faded ◆: before G’s step · solid ◆: after · lines: each point’s move',
    school: (c) =>
      `G learns too: its settings are nudged so that its points move along the arrows. The same noise now gives the solid diamonds; the lines show each move (${f(c.moved, 3)} on average). D’s average for them went from about ${f(c.dFakeMoved[0])} to ${f(c.dFakeMoved[1])}. Round ${c.e.iteration} is done.`,
    university: (c) =>
      `One optimiser step on G’s weights θ, the gradient flowing back through D and G: ${stepFormula(c.s.gOpt, 'θ', 'L_G', c.s.gLr, c.s.gMom)}. Mean ‖G_new(z) − G_old(z)‖ = ${f(c.moved, 4)}; mean D(G(z)) ≈ ${f(c.dFakeMoved[0], 4)} → ${f(c.dFakeMoved[1], 4)} (from the grid). Round ${c.e.iteration} done.`,
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
        ? 'A round is one D step and then one G step, as shown here.'
        : `This shows one D step and one G step. When you press Play, each round does ${plural(kd, 'D step', 'D steps')} and ${plural(kg, 'G step', 'G steps')} (your k_D and k_G).`,
    university: ({ kd = 1, kg = 1 }) =>
      `Shown: one D step, then one G step on the same z. Each training round does k_D = ${kd} ${kd === 1 ? 'D step' : 'D steps'}, then k_G = ${kg} ${kg === 1 ? 'G step' : 'G steps'}, each on a fresh batch.`,
  },
  diverged: ' These numbers are not finite: the model has diverged. Lower the learning rate and reset.',
  /** The "This round" readout. */
  round: (e, phase) => (phase === PHASES.length - 1 ? `round ${e.iteration} done` : `round ${e.iteration}, phase ${phase + 1} of ${PHASES.length}: ${PHASES[phase].title}`),
  /** A loss readout before its phase. */
  pending: (phase) => `– (phase ${phase + 1})`,
  /** The plane's label for screen readers. */
  plane: (phase, lines) => `the plane, phase ${phase + 1} of the explained round: ${PHASES[phase].title}. ${lines.join(', ')}`,
};

/** The phases (0-based) from which each loss of the round is known (the readouts show it from then on). */
export const D_LOSS_PHASE = 4;
export const G_LOSS_PHASE = 6;

/** The texts of phase `i` in a wording: { title, text, steps, number (lines), caption }. */
export function phaseText(c, i, wording) {
  const phase = PHASES[i];
  const w = WORDINGS.includes(wording) ? wording : WORDINGS[0];
  const broken = !Number.isFinite(c.e.dLoss) || !Number.isFinite(c.e.gLoss) ? TEXT.diverged : '';
  return { title: `${i + 1}. ${phase.title}`, text: phase[w](c) + broken, steps: TEXT.steps[w](c.s), number: phase.number(c), caption: phase.caption(c) };
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
