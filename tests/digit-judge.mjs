// A rough judge of digit grids, for the gallery's tests and the benchmark's in-tab training figure:
// the shipped digits generator's own samples (one digit per column of its 10 × 4 grid) give a
// prototype per digit, and an image is the digit whose prototype is nearest.

/** The 40 cells of a 10 × 4 image grid canvas (`selector`) as grey pixel vectors, row by row. */
export const gridCells = (page, selector) =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const cw = Math.floor(c.width / 10), ch = Math.floor(c.height / 4);
    const ctx = c.getContext('2d');
    return Array.from({ length: 40 }, (_, k) => {
      const d = ctx.getImageData((k % 10) * cw, Math.floor(k / 10) * ch, cw, ch).data;
      const v = [];
      for (let i = 0; i < d.length; i += 4) v.push((d[i] + d[i + 1] + d[i + 2]) / 3);
      return v;
    });
  }, selector);

const dist = (a, b) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);

/** From the cells of a grid with every class (column c holds digit c): `nearest(cell)` → the digit. */
export function digitJudge(samples) {
  const proto = Array.from({ length: 10 }, (_, c) => samples[c].map((_, i) => [0, 1, 2, 3].reduce((s, r) => s + samples[r * 10 + c][i], 0) / 4));
  return (v) => proto.reduce((best, p, c) => (dist(v, p) < dist(v, proto[best]) ? c : best), 0);
}
