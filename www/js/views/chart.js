// A line chart over training iterations, drawn by uPlot. `new Chart(el, series)`, `.add(x, ys)`,
// `.mark(x, label, color)`, `.reset()`, `.data()` / `.load(data)` for autosave. Redraws at most
// once per animation frame.
import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { fmt } from '../i18n.js';

/** Whole-number steps for the iteration axis. */
const INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];

/** Axis labels that stay short for huge or tiny values. */
const compact = (u, values) => values.map((v) => (v == null ? '' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : fmt(+v.toPrecision(3))));

/** The iteration axis's numbers in the page's language (uPlot's own follow the browser's). */
const counts = (u, values) => values.map((v) => (v == null ? '' : fmt(v)));

/** An axis's title, small, when it has one. */
const axisTitle = (label) => (label ? { label, labelSize: 16, labelFont: '11px system-ui, sans-serif', labelGap: 0 } : {});

/** Points kept per series; beyond this every other point is dropped. */
const KEEP = 2000;
/** Marks kept; beyond this the oldest go. */
const KEEP_MARKS = 200;
/** The longest mark label drawn, in characters. */
const MARK_CHARS = 28;

const isMark = (m) => m && Number.isFinite(m.x) && typeof m.label === 'string' && typeof m.color === 'string';

export class Chart {
  /**
   * `series`: [{ label, color, scale?, dash? }]; a second scale gets an axis on the right. `ranges`:
   * fixed ranges by scale; `log`: scales drawn on a log axis (their values ≤ 0 are left out); `axes`:
   * each axis's title by scale ({ x, y, share }), already in the page's language.
   */
  constructor(el, title, series, { width = 340, height = 170, ranges = {}, log = [], axes: titles = {} } = {}) {
    this.series = series;
    this.cols = [[], ...series.map(() => [])];
    this.marks = []; // [{ x, label, color }]: vertical lines at iterations where something happened
    this.positive = series.map((s) => log.includes(s.scale ?? 'y'));
    this.dirty = false;
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    const scaleOpts = Object.fromEntries(scales.map((k) => [k, { ...(ranges[k] ? { range: ranges[k] } : {}), ...(log.includes(k) ? { distr: 3 } : {}) }]));
    this.plot = new uPlot(
      {
        title,
        width,
        height,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: false }, ...scaleOpts },
        axes: [
          { size: 28, incrs: INCRS, values: counts, ...axisTitle(titles.x) },
          { scale: scales[0], size: 44, values: compact, ...axisTitle(titles[scales[0]]) },
          ...(scales[1] ? [{ scale: scales[1], side: 1, size: 40, values: compact, grid: { show: false }, ...axisTitle(titles[scales[1]]) }] : []),
        ],
        series: [{ label: titles.x ?? '' }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, scale: s.scale ?? 'y', spanGaps: true, ...(s.dash ? { dash: s.dash } : {}) }))],
        hooks: { draw: [(u) => this.drawMarks(u)] },
      },
      this.cols,
      el,
    );
  }

  add(x, ys) {
    const last = this.cols[0].at(-1);
    if (last !== undefined && x <= last) return;
    this.cols[0].push(x);
    ys.forEach((y, i) => this.cols[i + 1].push(Number.isFinite(y) && (!this.positive[i] || y > 0) ? y : null));
    if (this.cols[0].length > KEEP) this.cols = this.cols.map((c) => c.filter((_, i) => i % 2 === 0));
    this.dirty = true;
  }

  /** A vertical line at iteration `x` with a short `label`, in `color` (the same mark twice is drawn once). */
  mark(x, label, color) {
    const m = { x, label: String(label), color };
    if (!isMark(m) || this.marks.some((o) => o.x === x && o.label === m.label)) return;
    this.marks.push(m);
    this.marks.sort((a, b) => a.x - b.x);
    if (this.marks.length > KEEP_MARKS) this.marks.shift();
    this.dirty = true;
  }

  /** Draws the marks inside the plot area, their labels in two rows so that neighbours do not overlap. */
  drawMarks(u) {
    const { ctx, bbox } = u;
    const dpr = uPlot.pxRatio;
    const right = bbox.left + bbox.width;
    let row = 0;
    ctx.save();
    ctx.font = `${10 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    ctx.lineWidth = dpr;
    for (const m of this.marks) {
      const px = u.valToPos(m.x, 'x', true);
      if (!Number.isFinite(px) || px < bbox.left - 1 || px > right + 1) continue;
      ctx.strokeStyle = ctx.fillStyle = m.color;
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(px, bbox.top);
      ctx.lineTo(px, bbox.top + bbox.height);
      ctx.stroke();
      const text = m.label.length > MARK_CHARS ? `${m.label.slice(0, MARK_CHARS - 1)}…` : m.label;
      const w = ctx.measureText(text).width;
      // Right of the line, or left of it where it would run out of the plot.
      const tx = px + 3 * dpr + w > right ? px - 3 * dpr - w : px + 3 * dpr;
      ctx.fillText(text, Math.max(bbox.left, tx), bbox.top + 2 * dpr + row * 12 * dpr);
      row = 1 - row;
    }
    ctx.restore();
  }

  /** Redraws if anything changed since the last call. */
  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    this.plot.setData(this.cols);
  }

  /** Drops every point and mark after iteration `x` (after a rollback). */
  truncate(x) {
    const marks = this.marks.filter((m) => m.x <= x);
    if (marks.length !== this.marks.length) {
      this.marks = marks;
      this.dirty = true;
    }
    const keep = this.cols[0].findIndex((v) => v > x);
    if (keep < 0) return;
    this.cols = this.cols.map((c) => c.slice(0, keep));
    this.dirty = true;
  }

  reset() {
    this.cols = this.cols.map(() => []);
    this.marks = [];
    this.dirty = true;
  }

  /** The points and marks, for the autosave: { cols, marks }. */
  data() {
    return { cols: this.cols.map((c) => [...c]), marks: this.marks.map((m) => ({ ...m })) };
  }

  /**
   * Restores what data() gave (or the bare columns an older autosave kept, perhaps without the
   * newest series); ignores anything that is not a list of equally long number lists, and any
   * mark that is not one.
   */
  load(saved) {
    const cols = Array.isArray(saved) ? saved : saved?.cols;
    const ok = Array.isArray(cols) && cols.length >= 2 && cols.length <= this.cols.length && cols.every((c) => Array.isArray(c) && c.length === cols[0].length && c.every((v) => v === null || typeof v === 'number'));
    if (!ok) return false;
    // A series added since the autosave has no points yet.
    const missing = Array.from({ length: this.cols.length - cols.length }, () => cols[0].map(() => null));
    this.cols = [...cols, ...missing].map((c) => c.slice(-KEEP));
    const marks = Array.isArray(saved?.marks) ? saved.marks : [];
    this.marks = marks.filter(isMark).slice(-KEEP_MARKS).map(({ x, label, color }) => ({ x, label, color }));
    this.dirty = true;
    return true;
  }

  get length() {
    return this.cols[0].length;
  }

  /** The iteration of the first point kept. */
  get first() {
    return this.cols[0][0];
  }
}
