// Unit: the sliders' names (www/js/gallery/directions.js): the measures follow what changes in a
// picture, and a direction is named only after a clear effect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, effects, names, nameDirections, PROBES } from '../www/js/gallery/directions.js';

const S = 28;
/** A grey image (light ink on black) with a bar from (x0, 4) to (x1, 24), `w` pixels wide. */
function bar(x0, x1, w) {
  const img = new Float32Array(S * S).fill(-1);
  for (let y = 4; y < 24; y++) {
    const cx = x0 + ((x1 - x0) * (y - 4)) / 20;
    for (let x = 0; x < S; x++) if (Math.abs(x - cx) <= w / 2) img[y * S + x] = 1;
  }
  return img;
}
const shape = { size: S, channels: 1 };
const of = (img) => measure(img, 0, shape);

test('the measures follow thickness, slant and position', () => {
  const thin = of(bar(14, 14, 2)), thick = of(bar(14, 14, 6));
  assert.ok(thick.ink > 2 * thin.ink, 'a thick bar has more ink');
  assert.ok(Math.abs(thin.slant) < 0.01, 'an upright bar has no slant');
  assert.ok(of(bar(8, 20, 2)).slant > 0.4, 'a bar leaning to the right at the bottom slants one way');
  assert.ok(of(bar(20, 8, 2)).slant < -0.4, 'and the other bar the other way');
  assert.ok(of(bar(20, 20, 2)).x > of(bar(8, 8, 2)).x);
  assert.equal(thin.colour, 0);
  // A colour image: dark red ink on white is warm; blue is cool.
  const rgb = (r, g, b) => {
    const img = new Float32Array(3 * S * S).fill(1);
    for (let i = 300; i < 400; i++) [img[i], img[S * S + i], img[2 * S * S + i]] = [r, g, b];
    return img;
  };
  assert.ok(measure(rgb(1, -1, -1), 0, { size: S, channels: 3 }).colour > 0.5);
  assert.ok(measure(rgb(-1, -1, 1), 0, { size: S, channels: 3 }).colour < -0.5);
});

test('a direction is named after the measure it moves clearly, each measure once', () => {
  // Direction 0 thickens, direction 1 slants, direction 2 barely does anything.
  const lo = [[], [], []], hi = [[], [], []];
  for (let i = 0; i < 8; i++) {
    const x = 10 + i;
    lo[0].push(of(bar(x, x, 2))); hi[0].push(of(bar(x, x, 6)));
    lo[1].push(of(bar(x - 3, x + 3, 3))); hi[1].push(of(bar(x + 3, x - 3, 3)));
    lo[2].push(of(bar(x, x, 3))); hi[2].push(of(bar(x, x, 3)));
  }
  const e = effects(lo, hi);
  assert.deepEqual(names(e, ['colour']), ['ink', 'slant', null]);
  // Two directions that both thicken: only the stronger is called so.
  assert.deepEqual(names([e[0], e[0]].map((x, j) => (j ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v / 2])) : x)), ['colour']).filter((n) => n === 'ink').length, 1);
});

test('nameDirections moves noises along each direction, measures what the generator draws and names it', async () => {
  // A toy generator: a bar whose column follows z[0] and whose lean follows z[1]; z[2] changes
  // nothing. Directions along z[0], z[1], z[2] are position, slant and nothing.
  const dim = 3;
  const generate = async (z, classes) => {
    assert.equal(classes.length, z.length / dim, 'one class per row');
    const n = z.length / dim;
    const out = new Float32Array(n * S * S);
    for (let r = 0; r < n; r++) {
      const x = 14 + 2 * z[r * dim], lean = 2 * z[r * dim + 1];
      out.set(bar(x - lean, x + lean, 3), r * S * S);
    }
    return out;
  };
  const vectors = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const { measures, change } = await nameDirections(vectors, 3, { dim, classes: 10, image: shape }, generate);
  assert.deepEqual(measures, ['x', 'slant', null]);
  assert.equal(change.length, 3);
  assert.ok(change[0] > 0.05 && change[1] > 0.05, `the first two move pixels (${change})`);
  assert.equal(change[2], 0, 'the third moves none');
  // An unconditional model gets no classes.
  let seen;
  await nameDirections(vectors, 1, { dim, classes: 0, image: shape }, async (z, c) => ((seen = c), new Float32Array((z.length / dim) * S * S).fill(-1)));
  assert.equal(seen.length, 0);
  assert.equal(PROBES * 2, 24);
});
