// The pictures' palette under colour-vision deficiencies: real, generated and the heatmap's two ends
// stay apart (CIEDE2000) for normal vision and simulated protanopia, deuteranopia and tritanopia
// (Machado, Oliveira and Fernandes 2009, severity 1), in the light and the dark scheme; the point
// colours read as text on the plane's paper (4.5:1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PALETTES, COLORS, HEAT_STRENGTH, rgb } from '../www/js/views/palette.js';
import { valueColor } from '../www/js/views/plane.js';

/** The least ΔE2000 between any two of real, generated and the heatmap's ends. */
const MIN_DE = 20;

/** Machado 2009's matrices for full dichromacy, applied to linear RGB. */
const MACHADO = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

const linear = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const encode = (c) => 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const clamp = (x) => Math.max(0, Math.min(1, x));

/** An sRGB colour as a person with `deficiency` (a MACHADO key, or null) sees it. */
function simulate(c, deficiency) {
  const m = MACHADO[deficiency];
  if (!m) return c;
  const l = c.map(linear);
  return m.map((row) => encode(clamp(row[0] * l[0] + row[1] * l[1] + row[2] * l[2])));
}

/** sRGB → CIELAB (D65). */
function lab(c) {
  const [r, g, b] = c.map(linear);
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIEDE2000 (Sharma, Wu and Dalal 2005). */
function deltaE2000([L1, a1, b1], [L2, a2, b2]) {
  const rad = Math.PI / 180;
  const pow7 = (c) => Math.sqrt(c ** 7 / (c ** 7 + 25 ** 7));
  const G = 0.5 * (1 - pow7((Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2));
  const [A1, A2] = [(1 + G) * a1, (1 + G) * a2];
  const [C1, C2] = [Math.hypot(A1, b1), Math.hypot(A2, b2)];
  const hue = (b, a) => (b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const [h1, h2] = [hue(b1, A1), hue(b2, A2)];
  let dh = C1 * C2 === 0 ? 0 : h2 - h1;
  if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dH = 2 * Math.sqrt(C1 * C2) * Math.sin((dh / 2) * rad);
  const L = (L1 + L2) / 2;
  const C = (C1 + C2) / 2;
  let H = h1 + h2;
  if (C1 * C2 !== 0) H = (Math.abs(h1 - h2) > 180 ? H + (H < 360 ? 360 : -360) : H) / 2;
  const T = 1 - 0.17 * Math.cos((H - 30) * rad) + 0.24 * Math.cos(2 * H * rad) + 0.32 * Math.cos((3 * H + 6) * rad) - 0.2 * Math.cos((4 * H - 63) * rad);
  const SL = 1 + (0.015 * (L - 50) ** 2) / Math.sqrt(20 + (L - 50) ** 2);
  const SC = 1 + 0.045 * C;
  const SH = 1 + 0.015 * C * T;
  const RT = -Math.sin(2 * 30 * Math.exp(-(((H - 275) / 25) ** 2)) * rad) * 2 * pow7(C);
  const [l, c, h] = [(L2 - L1) / SL, (C2 - C1) / SC, dH / SH];
  return Math.sqrt(l * l + c * c + h * h + RT * c * h);
}

/** WCAG 2 contrast ratio of two sRGB colours. */
function contrast(a, b) {
  const lum = (c) => c.map(linear).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The four colours that must stay apart, as [r, g, b]: the heatmap's ends as the plane paints them under palette `p`. */
function meaningful(p) {
  const kept = { ...COLORS };
  Object.assign(COLORS, p);
  const ends = { 'heatmap "real" end': valueColor(1, HEAT_STRENGTH), 'heatmap "generated" end': valueColor(0, HEAT_STRENGTH) };
  Object.assign(COLORS, kept);
  return { real: rgb(p.real), generated: rgb(p.fake), ...ends };
}

/** The closest pair of the four under each kind of vision: [{ vision, a, b, dE }]. */
function closest(p) {
  const colours = Object.entries(meaningful(p));
  return [null, ...Object.keys(MACHADO)].map((vision) => {
    let best = { vision: vision ?? 'normal', dE: Infinity };
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const dE = deltaE2000(lab(simulate(colours[i][1], vision)), lab(simulate(colours[j][1], vision)));
        if (dE < best.dE) best = { vision: vision ?? 'normal', a: colours[i][0], b: colours[j][0], dE };
      }
    }
    return best;
  });
}

test('CIEDE2000 agrees with Sharma, Wu and Dalal’s test pairs', () => {
  for (const [a, b, want] of [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, -1, 2], [50, 0, 0], 2.3669],
    [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
  ]) assert.ok(Math.abs(deltaE2000(a, b) - want) < 1e-4, `${deltaE2000(a, b)} ≠ ${want}`);
});

test('the simulation keeps greys grey and moves red towards yellow for protanopia', () => {
  for (const v of Object.keys(MACHADO)) for (const c of simulate([128, 128, 128], v)) assert.ok(Math.abs(c - 128) < 1.5, `${v}: ${c}`);
  const [r, g] = simulate([255, 0, 0], 'protanopia');
  assert.ok(g > 0.6 * r, 'red seen by a protanope has about as much green as red');
});

for (const [scheme, p] of Object.entries(PALETTES)) {
  test(`${scheme} scheme: real, generated and the heatmap's ends stay ΔE2000 ≥ ${MIN_DE} apart for every vision`, (t) => {
    for (const { vision, a, b, dE } of closest(p)) {
      t.diagnostic(`${vision}: closest ${a} / ${b}, ΔE2000 ${dE.toFixed(1)}`);
      assert.ok(dE >= MIN_DE, `${scheme}, ${vision}: ${a} and ${b} are only ΔE2000 ${dE.toFixed(1)} apart`);
    }
  });

  test(`${scheme} scheme: the point colours read on the paper (4.5:1), as points and as words`, () => {
    for (const key of ['real', 'fake', 'ink']) {
      const ratio = contrast(rgb(p[key]), rgb(p.paper));
      assert.ok(ratio >= 4.5, `${key} ${p[key]} on ${p.paper}: ${ratio.toFixed(2)}:1`);
    }
  });
}

test('the palette before this one (green #1a9850, purple #7b3fc4) fails the check: the test can fail', () => {
  const old = { ...PALETTES.light, real: '#1a9850', fake: '#7b3fc4' };
  assert.ok(closest(old).some(({ dE }) => dE < MIN_DE));
});
