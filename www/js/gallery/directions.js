// Names for the sliders' directions: what moving along one changes in the images, measured. Each
// image gets a few plain measures of its ink (how much, where, how wide, how slanted, what
// colour); a direction is named after the measure it moves most, in standard deviations, when
// that is clear. Pure functions on Float32Arrays [n, c, s, s] in [−1, 1]; the gallery worker runs
// them (nameDirections), so the page's main thread only draws.
import { uniform, normals } from './latent.js';

/** Measures per image, in this order. Grey images have light ink on black; colour ones dark ink on white. */
export const MEASURES = ['ink', 'x', 'y', 'width', 'height', 'slant', 'colour'];

/** A direction is named when it moves one measure by at least this many standard deviations… */
export const CLEAR = 1;
/** …and by this factor more than any other still unnamed measure. */
const AHEAD = 1.3;

/** `{ ink, x, y, width, height, slant, colour }` for image `k` (colour is 0 for grey images). */
export function measure(images, k, { size, channels }) {
  const hw = size * size;
  const at = images.subarray(k * channels * hw, (k + 1) * channels * hw);
  let sum = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, warm = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let w, rb = 0;
      if (channels === 1) w = (at[i] + 1) / 2;
      else {
        const [r, g, b] = [at[i], at[hw + i], at[2 * hw + i]];
        w = Math.max(0, 1 - (r + g + b + 3) / 6);
        rb = (r - b) / 2;
      }
      sum += w;
      sx += w * x;
      sy += w * y;
      sxx += w * x * x;
      syy += w * y * y;
      sxy += w * x * y;
      warm += w * rb;
    }
  }
  const m = Math.max(sum, 1e-6);
  const cx = sx / m, cy = sy / m;
  const vx = Math.max(sxx / m - cx * cx, 0), vy = Math.max(syy / m - cy * cy, 1e-6);
  return {
    ink: sum / hw,
    x: cx / size,
    y: cy / size,
    width: Math.sqrt(vx) / size,
    height: Math.sqrt(vy) / size,
    // x moves this much per row down: positive leans left at the top (like "\"), negative like "/".
    slant: (sxy / m - cx * cy) / vy,
    colour: warm / m,
  };
}

/**
 * The effect of each direction on each measure: `lo[j]`, `hi[j]` are the measures of the same
 * images moved back and forth along direction j. Returns effects[j][measure] in standard
 * deviations of that measure (over all the images).
 */
export function effects(lo, hi) {
  const all = [...lo.flat(), ...hi.flat()];
  const spread = {};
  for (const m of MEASURES) {
    const v = all.map((r) => r[m]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    spread[m] = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) || 1;
  }
  return lo.map((rows, j) => {
    const out = {};
    for (const m of MEASURES) {
      const d = rows.reduce((acc, r, i) => acc + hi[j][i][m] - r[m], 0) / rows.length;
      out[m] = spread[m] > 1e-9 ? d / spread[m] : 0;
    }
    return out;
  });
}

/**
 * One measure (or null) per direction: the strongest clear effects first, each measure naming at
 * most one direction. `skip` lists measures that mean nothing for these images ('colour' for grey ones).
 */
export function names(effectsByDir, skip = []) {
  const pairs = [];
  effectsByDir.forEach((e, j) => MEASURES.filter((m) => !skip.includes(m)).forEach((m) => pairs.push({ j, m, v: Math.abs(e[m]) })));
  pairs.sort((a, b) => b.v - a.v);
  const out = effectsByDir.map(() => null);
  const used = new Set();
  for (const { j, m, v } of pairs) {
    if (out[j] !== null || used.has(m) || v < CLEAR) continue;
    const next = pairs.filter((p) => p.j === j && p.m !== m && !used.has(p.m)).reduce((a, p) => Math.max(a, p.v), 0);
    if (v < AHEAD * next) continue;
    out[j] = m;
    used.add(m);
  }
  return out;
}

/** How far the probes move along each direction, back and forth (latent units)… */
export const PROBE = 3;
/** …and how many noises are moved: 2·PROBES images per direction. */
export const PROBES = 12;

/**
 * What each of the `k` directions (`vectors`, [k, dim]) changes: the same PROBES noises moved by
 * −PROBE and +PROBE along it, drawn by `generate(z, classes)` (classes: a Uint32Array, empty for an
 * unconditional model) and measured. Resolves to `{ measures, change }`: per direction the measure
 * it names (or null), and the mean change of a pixel between its two ends on the 0–1 scale.
 */
export async function nameDirections(vectors, k, { dim, classes, image }, generate) {
  const base = normals(uniform(4242), PROBES * dim);
  const rows = 2 * k * PROBES;
  const z = new Float32Array(rows * dim);
  const cls = new Uint32Array(classes ? rows : 0);
  let row = 0;
  for (let j = 0; j < k; j++) {
    for (const sign of [-1, 1]) {
      for (let i = 0; i < PROBES; i++, row++) {
        for (let q = 0; q < dim; q++) z[row * dim + q] = base[i * dim + q] + sign * PROBE * vectors[j * dim + q];
        if (classes) cls[row] = i % classes;
      }
    }
  }
  const images = await generate(z, cls);
  const m = (r) => measure(images, r, image);
  const lo = [], hi = [], change = new Float32Array(k);
  const per = image.channels * image.size * image.size;
  for (let j = 0; j < k; j++) {
    const at = 2 * j * PROBES;
    lo.push(Array.from({ length: PROBES }, (_, i) => m(at + i)));
    hi.push(Array.from({ length: PROBES }, (_, i) => m(at + PROBES + i)));
    let sum = 0;
    for (let i = 0; i < PROBES * per; i++) sum += Math.abs(images[(at + PROBES) * per + i] - images[at * per + i]) / 2;
    change[j] = sum / (PROBES * per);
  }
  return { measures: names(effects(lo, hi), image.channels === 1 ? ['colour'] : []), change };
}
