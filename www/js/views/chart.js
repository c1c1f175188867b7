// A line chart over training iterations, drawn by uPlot. `new Chart(el, series)`, `.add(x, ys)`,
// `.reset()`, `.data()` / `.load(data)` for autosave. Redraws at most once per animation frame.
import uPlot from '../../vendor/uplot/uPlot.esm.js';

/** Whole-number steps for the iteration axis. */
const INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];

/** Axis labels that stay short for huge or tiny values. */
const compact = (u, values) => values.map((v) => (v == null ? '' : Math.abs(v) >= 1e4 ? v.toExponential(0) : String(+v.toPrecision(3))));

/** An axis's title, small, when it has one. */
const axisTitle = (label) => (label ? { label, labelSize: 16, labelFont: '11px system-ui, sans-serif', labelGap: 0 } : {});

/** Points kept per series; beyond this every other point is dropped. */
const KEEP = 2000;

export class Chart {
  /**
   * `series`: [{ label, color, scale? }] ; a second scale gets an axis on the right. `axes`: each
   * axis's title by scale ({ x: 'iteration', y: 'loss', share: 'share' }).
   */
  constructor(el, title, series, { width = 340, height = 170, ranges = {}, axes: titles = {} } = {}) {
    this.series = series;
    this.cols = [[], ...series.map(() => [])];
    this.dirty = false;
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    this.plot = new uPlot(
      {
        title,
        width,
        height,
        legend: { live: false },
        cursor: { show: false },
        scales: { x: { time: false }, ...Object.fromEntries(Object.entries(ranges).map(([k, r]) => [k, { range: r }])) },
        axes: [
          { size: 28, incrs: INCRS, ...axisTitle(titles.x) },
          { scale: scales[0], size: 44, values: compact, ...axisTitle(titles[scales[0]]) },
          ...(scales[1] ? [{ scale: scales[1], side: 1, size: 40, values: compact, grid: { show: false }, ...axisTitle(titles[scales[1]]) }] : []),
        ],
        series: [{ label: 'iteration' }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, scale: s.scale ?? 'y', spanGaps: true }))],
      },
      this.cols,
      el,
    );
  }

  add(x, ys) {
    const last = this.cols[0].at(-1);
    if (last !== undefined && x <= last) return;
    this.cols[0].push(x);
    ys.forEach((y, i) => this.cols[i + 1].push(Number.isFinite(y) ? y : null));
    if (this.cols[0].length > KEEP) this.cols = this.cols.map((c) => c.filter((_, i) => i % 2 === 0));
    this.dirty = true;
  }

  /** Redraws if anything changed since the last call. */
  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    this.plot.setData(this.cols);
  }

  /** Drops every point after iteration `x` (after a rollback). */
  truncate(x) {
    const keep = this.cols[0].findIndex((v) => v > x);
    if (keep < 0) return;
    this.cols = this.cols.map((c) => c.slice(0, keep));
    this.dirty = true;
  }

  reset() {
    this.cols = this.cols.map(() => []);
    this.dirty = true;
  }

  data() {
    return this.cols.map((c) => [...c]);
  }

  /** Restores saved columns; ignores anything that is not a list of equally long number lists. */
  load(cols) {
    const ok = Array.isArray(cols) && cols.length === this.cols.length && cols.every((c) => Array.isArray(c) && c.length === cols[0].length && c.every((v) => v === null || typeof v === 'number'));
    if (!ok) return false;
    this.cols = cols.map((c) => c.slice(-KEEP));
    this.dirty = true;
    return true;
  }

  get length() {
    return this.cols[0].length;
  }
}
