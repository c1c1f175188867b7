// One training round taken apart for teaching: each phase's picture and its sentences, with the
// round's own numbers. Pure except for drawing on the Plane it is given.
import { COLORS } from '../views/plane.js';

const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const f = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** How D's output reads for an objective. */
function dWords(e, obj) {
  if (obj === 'least_squares') return 'D(x), trained towards 1 on real points and 0 on generated ones';
  return e.heatmapProbability ? 'D(x), the probability D gives that x is real' : 'the critic’s score D(x) (higher means "more real")';
}

const LOSS_TEXT = {
  non_saturating: ['L_D = −mean log D(x) − mean log(1 − D(G(z)))', 'L_G = −mean log D(G(z)) (non-saturating)'],
  minimax: ['L_D = −mean log D(x) − mean log(1 − D(G(z)))', 'L_G = mean log(1 − D(G(z))) (the original minimax game)'],
  least_squares: ['L_D = ½ mean (D(x) − 1)² + ½ mean D(G(z))²', 'L_G = ½ mean (D(G(z)) − 1)²'],
  hinge: ['L_D = mean max(0, 1 − D(x)) + mean max(0, 1 + D(G(z)))', 'L_G = −mean D(G(z))'],
  wasserstein: ['L_D = mean D(G(z)) − mean D(x), then weights clipped', 'L_G = −mean D(G(z))'],
  wasserstein_gp: ['L_D = mean D(G(z)) − mean D(x) + λ·gradient penalty', 'L_G = −mean D(G(z))'],
};

/** The eight phases: { title, text(e, objective), draw(plane, e) }. */
export const PHASES = [
  {
    title: 'Sample real data',
    text: (e) => `A batch of real points is drawn from the dataset. ${e.real.length / 2} of them are shown, in green.`,
    draw: (p, e) => p.points(e.real, COLORS.real, 3),
  },
  {
    title: 'Sample noise',
    text: (e) => `The same number of noise vectors z are drawn (latent dimension ${e.latentDim}). Grey dots show the first ${e.latentDim > 1 ? 'two coordinates' : 'coordinate'} of each z, drawn on the same axes.`,
    draw: (p, e) => p.points(latentXY(e), COLORS.z, 3),
  },
  {
    title: 'Generate: G(z)',
    text: () => 'The generator maps each z to a point G(z) in the plane (purple). Grey lines join each z to its image, so you can see how G bends and stretches the noise.',
    draw: (p, e) => {
      p.links(latentXY(e), e.fake, 'rgba(134,142,150,0.5)');
      p.points(latentXY(e), COLORS.z, 2);
      p.points(e.fake, COLORS.fake, 3);
    },
  },
  {
    title: 'Discriminate both',
    text: (e, obj) => `D looks at real and generated points. The background shows, over the whole plane, ${dWords(e, obj)}. Mean D(x) on real points: ${f(mean(e.dReal))}; on generated points D(G(z)): ${f(mean(e.dFake))}.`,
    heat: 'before',
    draw: (p, e) => {
      p.points(e.real, COLORS.real, 3);
      p.points(e.fake, COLORS.fake, 3);
    },
  },
  {
    title: 'Discriminator loss',
    text: (e, obj, smooth) => `${LOSS_TEXT[obj]?.[0] ?? ''}${smooth > 0 && ['non_saturating', 'minimax', 'least_squares'].includes(obj) ? `, with the real target smoothed to ${1 - smooth}` : ''}. This round: L_D = ${f(e.dLoss, 4)}. D wants high outputs on green points and low ones on purple points; the larger a point is drawn, the more it costs D.`,
    heat: 'before',
    draw: (p, e) => {
      const [real, fake] = costs(e);
      sized(p, e.real, real, COLORS.real);
      sized(p, e.fake, fake, COLORS.fake);
    },
  },
  {
    title: 'Update the discriminator',
    text: (e) => `One optimiser step on D's weights lowers L_D. The background is D after the step: mean D(G(z)) went from ${f(mean(e.dFake))} to ${f(mean(e.dFakeAfter))}.`,
    heat: 'after',
    draw: (p, e) => {
      p.points(e.real, COLORS.real, 3);
      p.points(e.fake, COLORS.fake, 3);
    },
  },
  {
    title: 'Generator loss',
    text: (e, obj) => `${LOSS_TEXT[obj]?.[1] ?? ''}. This round: L_G = ${f(e.gLoss, 4)}. The orange arrows show −∂L_G/∂G(z): where the loss pushes each generated point (towards where D says "real").`,
    heat: 'after',
    draw: (p, e) => {
      p.points(e.fake, COLORS.fake, 3);
      p.arrows(e.fake, e.arrows);
    },
  },
  {
    title: 'Update the generator',
    text: (e) => `One optimiser step on G's weights follows those gradients back through G. The same z now map to the dark points; lines show each point's move (mean ${f(meanDist(e.fake, e.fakeAfter), 4)}). Round ${e.iteration} is done.`,
    heat: 'after',
    draw: (p, e) => {
      p.points(e.fake, 'rgba(123,63,196,0.35)', 3);
      p.links(e.fake, e.fakeAfter, COLORS.fake);
      p.points(e.fakeAfter, '#3b1f66', 3);
    },
  },
];

/** How much each point costs D, in [0, 1]: 1 − D(x) for real points, D(G(z)) for generated ones. */
function costs(e) {
  let scale = 1;
  let shift = 0;
  if (!e.heatmapProbability) {
    // Scores: map them into [0, 1] over the batch.
    const all = [...e.dReal, ...e.dFake];
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    shift = lo;
    scale = Math.max(hi - lo, 1e-9);
  }
  const norm = (v) => (v - shift) / scale;
  return [Array.from(e.dReal, (v) => 1 - norm(v)), Array.from(e.dFake, (v) => norm(v))];
}

function sized(plane, xy, cost, color) {
  for (let i = 0; i < cost.length; i++) plane.points(xy.subarray(2 * i, 2 * i + 2), color, 1.5 + 5 * Math.max(0, Math.min(1, cost[i])));
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

function meanDist(a, b) {
  let s = 0;
  const n = Math.min(a.length, b.length) / 2;
  for (let i = 0; i < n; i++) s += Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
  return n ? s / n : NaN;
}

/** Paints phase `i` of an explained round. */
export function drawPhase(plane, e, i) {
  const phase = PHASES[i];
  plane.clear();
  if (phase.heat) plane.heatmap(phase.heat === 'before' ? e.heatBefore : e.heatAfter, e.heatmapProbability);
  plane.grid();
  phase.draw(plane, e);
}
