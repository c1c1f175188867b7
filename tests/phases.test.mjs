// The explained round's texts and numbers (www/js/playground/phases.js), without a browser: every
// phase has a key number and both wordings for every objective, school words carry no formula,
// university words do, and the numbers read from the heatmap grid are right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHASES, WORDINGS, TEXT, atGrid, context, phaseText } from '../www/js/playground/phases.js';
import { defaults, OBJECTIVES } from '../www/js/state.js';

const SIDE = 48;
/** A heatmap grid of f(x, y) at the cell centres, rows from the top (as the engine makes it). */
function grid(fn) {
  const cell = 6 / SIDE;
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) for (let c = 0; c < SIDE; c++) out[r * SIDE + c] = fn(-3 + (c + 0.5) * cell, 3 - (r + 0.5) * cell);
  return out;
}

/** A made-up explained round: D rises to the right, its step adds 0.1 everywhere, G moves every point by (0.03, 0.04). */
function round({ probability = true } = {}) {
  const real = Float32Array.from([1, 0, 1.5, 0.5, 2, -1, 0.5, 1]);
  const fake = Float32Array.from([-1, 0, -1.5, 0.5, -0.5, -1, 0, 0]);
  const d = (x) => 0.5 + 0.1 * x;
  return {
    iteration: 3,
    real,
    z: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
    latentDim: 2,
    fake,
    dReal: Float32Array.from([0.6, 0.65, 0.7, 0.55]),
    dFake: Float32Array.from([0.4, 0.35, 0.45, 0.55]),
    dLoss: 1.2345,
    heatBefore: grid((x) => d(x)),
    heatAfter: grid((x) => d(x) + 0.1),
    heatmap: SIDE,
    heatmapProbability: probability,
    dFakeAfter: Float32Array.from([0.5, 0.45, 0.55, 0.62]),
    gLoss: 0.6931,
    arrows: new Float32Array(8).fill(1),
    fakeAfter: fake.map((v, i) => v + (i % 2 ? 0.04 : 0.03)),
  };
}

const FORMULA = /[=←∇∂∈≈∝²√]|\blog\b|mean\s*\(|L_[DG]/;

test('every phase has a title, a key number, a caption and both wordings, for every objective', () => {
  assert.equal(PHASES.length, 8);
  for (const objective of OBJECTIVES) {
    const c = context(round({ probability: !objective.startsWith('wasserstein') && objective !== 'hinge' }), { ...defaults(), objective });
    for (let i = 0; i < PHASES.length; i++) {
      for (const w of WORDINGS) {
        const t = phaseText(c, i, w);
        assert.match(t.title, new RegExp(`^${i + 1}\\. \\w`));
        assert.ok(t.number.length >= 1 && t.number.every((l) => l.length > 3), `${objective} phase ${i + 1}: no key number`);
        for (const text of [t.text, t.steps, t.caption, ...t.number]) assert.doesNotMatch(text, /NaN|undefined|null|\[object/, `${objective} ${w} phase ${i + 1}: ${text}`);
      }
    }
  }
});

test('school words carry no formula; university words carry one in every phase from D on', () => {
  const c = context(round(), defaults());
  for (let i = 0; i < PHASES.length; i++) {
    const school = phaseText(c, i, 'school');
    assert.doesNotMatch(school.text, FORMULA, `school phase ${i + 1}: ${school.text}`);
    assert.doesNotMatch(school.steps, FORMULA);
    const uni = phaseText(c, i, 'university').text;
    assert.notEqual(uni, school.text);
    if (i >= 3) assert.match(uni, FORMULA, `university phase ${i + 1}: ${uni}`);
  }
  // The two updates are gradient steps, the losses the objective's own.
  assert.match(phaseText(c, 5, 'university').text, /φ ← φ − η/);
  assert.match(phaseText(c, 7, 'university').text, /θ ← θ − η/);
  assert.match(phaseText(c, 4, 'university').text, /L_D = −mean log D\(x\) − mean log\(1 − D\(G\(z\)\)\) = 1\.2345/);
  const minimax = context(round(), { ...defaults(), objective: 'minimax', gOpt: 'sgd', gLr: 0.05 });
  assert.match(phaseText(minimax, 6, 'university').text, /L_G = mean log\(1 − D\(G\(z\)\)\)/);
  assert.match(phaseText(minimax, 7, 'university').text, /θ ← θ − η ∇_θ L_G .*η = 0\.05/);
  // An unknown wording falls back to school.
  assert.equal(phaseText(c, 4, 'nonsense').text, phaseText(c, 4, 'school').text);
});

test('each phase names its key number: D(x), the D loss, D’s change, the G loss, G’s move', () => {
  const c = context(round(), defaults());
  const n = (i) => phaseText(c, i, 'school').number.join(' · ');
  assert.equal(n(3), 'D(x) mean 0.63 · D(G(z)) mean 0.44');
  assert.equal(n(4), 'D loss 1.234');
  assert.match(n(5), /^D\(G\(z\)\) 0\.44 → 0\.53 · D\(x\) ≈ 0\.63 → 0\.73$/);
  assert.equal(n(6), 'G loss 0.693');
  assert.equal(n(7), 'G moved 0.050');
});

test('D at a point comes from the heatmap grid, exact for a plane-shaped D', () => {
  const g = grid((x, y) => 0.3 + 0.05 * x - 0.02 * y);
  for (const [x, y] of [[0, 0], [1.234, -0.77], [-2.5, 2.5], [2.9, 0.1]]) {
    assert.ok(Math.abs(atGrid(g, x, y) - (0.3 + 0.05 * Math.min(x, 3 - 3 / SIDE) - 0.02 * y)) < 1e-5, `${x}, ${y}`);
  }
  // Off the plane it takes the edge's value.
  assert.ok(Math.abs(atGrid(g, 10, 0) - atGrid(g, 3, 0)) < 1e-6);
  const c = context(round(), defaults());
  assert.ok(Math.abs(c.change - 0.1) < 1e-6);
  assert.ok(Math.abs(c.dRealGrid[1] - c.dRealGrid[0] - 0.1) < 1e-5);
  assert.ok(Math.abs(c.moved - 0.05) < 1e-6);
  // After G's step its points sit 0.03 further right, where D is 0.003 higher.
  assert.ok(Math.abs(c.dFakeMoved[1] - c.dFakeMoved[0] - 0.003) < 1e-5);
});

test('the explanation says plainly that it shows one D step and one G step', () => {
  assert.match(TEXT.steps.school({ kd: 1, kg: 1 }), /one D step and then one G step/);
  assert.match(TEXT.steps.school({ kd: 5, kg: 1 }), /one D step and one G step.*5 D steps and 1 G step/);
  assert.match(TEXT.steps.university({ kd: 3, kg: 2 }), /k_D = 3 .*k_G = 2/);
  assert.equal(TEXT.round({ iteration: 7 }, 3), 'round 7, phase 4 of 8: Discriminate both');
  assert.equal(TEXT.round({ iteration: 7 }, 7), 'round 7 done');
});
