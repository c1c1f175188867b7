// Frame drawing: the newest frame from the worker goes on the plane, into the readouts and onto the
// two charts, on demand and in short pieces (see requestRender).
import { Chart } from '../views/chart.js';
import { t, fmt } from '../i18n.js';
import { $ } from './page.js';
import { offPlane } from './describe.js';

/** Charts redraw at most this often, one per animation frame. */
const CHART_MS = 250;

/** The colour of each kind of mark on the charts: a change made while training, a diagnosis. */
export const MARK_COLORS = { edit: '#495057', diagnosis: '#c2255c' };

/** A readout's number: `digits` decimals, no grouping (tests and people compare it with the hover's full value). */
function num(x, digits = 4) {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 ? x.toExponential(3) : fmt(x, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
}

/** `x` to `n` significant digits, no grouping. */
const significant = (x, n) => fmt(x, { minimumSignificantDigits: n, maximumSignificantDigits: n, useGrouping: false });

/** A gradient norm: three significant digits, whatever its size (it spans 1e-6..100). */
const fmtNorm = (x) => (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4) ? x.toExponential(2) : significant(x, 3));

/** A count as the readouts show it: no grouping (the iteration readout is read as a plain number). */
const count = (n) => fmt(n, { useGrouping: false });

/** Writes only what changed: each write to the page makes the browser lay out and repaint it. */
function setText(id, text) {
  setProp(id, 'textContent', String(text));
}
function setProp(id, key, value) {
  const el = $(id);
  if (el[key] !== value) el[key] = value;
}
/** A data attribute of the body (what tests read), written only when it changes. */
function setData(key, value) {
  if (document.body.dataset[key] !== value) document.body.dataset[key] = value;
}

export class Frames {
  /**
   * `plane`: the Plane; `covered()`: true while something else (explanation, drawing) owns it;
   * `held()`: true while the explanation shows its round in the iteration and loss readouts; `state()`: the run's.
   */
  constructor({ plane, covered, held = () => false, state }) {
    Object.assign(this, { plane, covered, held, state });
    this.latest = null; // the newest frame, drawn on the next animation frame
    this.shown = null; // the last frame drawn
    this.queued = false;
    this.chartsAt = 0;
    // G's gradient norm spans 1e-3..10: its own log axis, on the right of the losses.
    this.loss = new Chart($('chart-loss'), t('pg.chart.losses'), [
      { label: t('pg.chart.dLoss'), color: '#1a9850' },
      { label: t('pg.chart.gLoss'), color: '#7b3fc4' },
      { label: t('pg.chart.gradNorm'), color: '#e67700', scale: 'grad', dash: [5, 3] },
    ], { log: ['grad'], axes: { x: t('pg.chart.iteration'), y: t('pg.chart.loss'), grad: t('pg.chart.gradient') } });
    this.quality = new Chart($('chart-quality'), t('pg.chart.quality'), [
      { label: t('pg.chart.js'), color: '#d9480f' },
      { label: t('pg.chart.modes'), color: '#1c7ed6', scale: 'share' },
    ], { ranges: { y: [0, 1], share: [0, 1] }, axes: { x: t('pg.chart.iteration'), y: t('pg.chart.js'), share: t('pg.chart.modeShare') } });
  }

  /** The iteration of the newest frame (drawn or about to be). */
  get iteration() {
    return (this.latest ?? this.shown)?.iteration ?? 0;
  }

  /** A mark on every chart at `iteration`: `kind` 'edit' (a change while training) or 'diagnosis'. */
  mark(iteration, label, kind = 'edit') {
    for (const chart of this.charts) chart.mark(iteration, label, MARK_COLORS[kind] ?? MARK_COLORS.edit);
    this.requestRender();
  }

  get charts() {
    return [this.loss, this.quality];
  }

  /**
   * A frame from the worker: drawn on the next animation frame (a newer one replaces it). The
   * round count is written at once: the worker posts a reset's or an explained round's frame
   * before its reply, so whoever acts on the reply reads the new count (on a loaded machine the
   * next animation frame can come after that).
   */
  push(frame) {
    this.latest = frame;
    if (!this.held()) setText('iteration', count(frame.iteration));
    this.requestRender();
  }

  /** Puts the last frame back on the plane and in the readouts (after the explanation or the drawing). */
  redraw() {
    if (!this.shown) return;
    this.plane.draw(this.shown, this.state());
    this.show(this.shown);
  }

  resetCharts() {
    this.loss.reset();
    this.quality.reset();
    this.requestRender();
  }

  /** Drops chart points after `iteration` (a rollback, a restore). */
  truncate(iteration) {
    this.loss.truncate(iteration);
    this.quality.truncate(iteration);
    this.requestRender();
  }

  /** Both charts' points, for the autosave. */
  chartData() {
    return { loss: this.loss.data(), quality: this.quality.data() };
  }

  loadCharts(charts) {
    this.loss.load(charts?.loss);
    this.quality.load(charts?.quality);
    this.requestRender();
  }

  /** A heavy round (seconds each): how far through it the worker is. */
  showProgress(step, of) {
    for (const el of document.querySelectorAll('.round-progress')) el.hidden = false;
    $('round-progress').textContent = t('pg.progress', { step, of });
    document.body.dataset.progress = `${step}/${of}`;
  }

  hideProgress() {
    for (const el of document.querySelectorAll('.round-progress')) el.hidden = true;
  }

  show(frame) {
    const fresh = frame.iteration === 0 && !Number.isFinite(frame.dLoss);
    setText('ips', frame.itersPerSec >= 100 ? fmt(frame.itersPerSec, { maximumFractionDigits: 0, useGrouping: false }) : significant(frame.itersPerSec, 2));
    // A network not yet updated has no loss (NaN from the engine): a dash, not "NaN".
    const loss = (v) => (fresh || (Number.isNaN(v) && frame.iteration === 0) ? '–' : num(v));
    if (!this.held()) {
      setText('iteration', count(frame.iteration));
      setText('d-loss', loss(frame.dLoss));
      setText('g-loss', loss(frame.gLoss));
      // Full precision on hover (and for tests that compare runs exactly).
      setProp('d-loss', 'title', String(frame.dLoss));
      setProp('g-loss', 'title', String(frame.gLoss));
    }
    // Measured at most at the pictures' rate; NaN before it is (and at iteration 0, with no D step yet, it means little).
    setText('grad-norm', Number.isFinite(frame.gradNorm) ? fmtNorm(frame.gradNorm) : '–');
    setProp('grad-norm', 'title', String(frame.gradNorm));
    const m = frame.metrics;
    setText('modes', m.modes ? `${count(m.modes.covered)} / ${count(m.modes.total)}` : t('pg.modes.none'));
    setText('quality', m.modes ? t('pg.percent', { p: fmt(100 * m.modes.high_quality, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }) : t('pg.na'));
    setText('js', num(m.js, 3));
    setText('samples-from', frame.ema ? t('pg.samples.ema') : 'G');
    const off = offPlane(frame.fake);
    setProp('offplane', 'hidden', off < 0.5);
    setText('offplane', t('pg.offplane', { p: Math.round(100 * off) }));
    this.legend(frame);
  }

  /**
   * The legend under the plane: an entry for each layer shown, and the heatmap's colour bar, whose
   * ends are D's probabilities (0 "generated", 1 "real") or, for a critic's unbounded score, this
   * frame's lowest and highest.
   */
  legend(frame) {
    const show = this.state();
    const missing = frame.metrics?.modes?.missing;
    setProp('legend-manifold', 'hidden', !show.manifold);
    setProp('legend-arrows', 'hidden', !show.arrows);
    setText('legend-arrows-scale', t(show.trueScale ? 'pg.arrows.true' : 'pg.arrows.scaled'));
    setProp('legend-missing', 'hidden', !Array.isArray(missing));
    setText('legend-missing-count', Array.isArray(missing) ? (missing.length ? t('pg.legend.missingNow', { n: missing.length }) : t('pg.legend.missingNone')) : '');
    setProp('colorbar', 'hidden', !show.heatmap);
    const p = frame.heatmapProbability;
    setData('heatmap', p ? 'probability' : 'score');
    setText('legend-bg', t(p ? 'pg.bg.probability' : 'pg.bg.score'));
    setText('colorbar-lo', t(p ? 'pg.bar.lo' : 'pg.bar.lowest'));
    setText('colorbar-mid', t(p ? 'pg.bar.mid' : 'pg.bar.middle'));
    setText('colorbar-hi', t(p ? 'pg.bar.hi' : 'pg.bar.highest'));
  }

  addToCharts(frame) {
    if (frame.iteration === 0 && !Number.isFinite(frame.dLoss)) return;
    this.loss.add(frame.iteration, [frame.dLoss, frame.gLoss, frame.gradNorm]);
    const m = frame.metrics;
    this.quality.add(frame.iteration, [m.js, m.modes ? m.modes.covered / m.modes.total : null]);
  }

  /**
   * Draws on demand: an animation frame is requested only when a worker frame arrives or a chart has
   * points to show, and one callback does one of the two, so no frame paints the plane and both charts.
   * On a two-core machine whose other core trains, that keeps every main-thread task short.
   */
  requestRender() {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => this.render());
  }

  render() {
    this.queued = false;
    const now = performance.now();
    const charts = [this.loss, this.quality];
    if (this.latest) {
      const frame = this.latest;
      this.latest = null;
      this.shown = frame;
      if (!this.covered()) {
        this.plane.draw(frame, this.state());
        // The drawn scale, for tests: the mean and the longest arrow on a 480-pixel plane.
        setData('arrowPx', this.plane.arrowPx.mean.toFixed(3));
        setData('arrowMaxPx', this.plane.arrowPx.max.toFixed(3));
      }
      this.show(frame);
      this.addToCharts(frame);
    } else if (now - this.chartsAt > CHART_MS) {
      // Charts redraw a few times a second, one per animation frame: enough to watch, cheap to draw.
      const chart = charts.find((c) => c.dirty);
      if (chart) chart.flush();
      if (!charts.some((c) => c.dirty)) {
        this.chartsAt = now;
        // What the charts hold, for tests: how many points, from which iteration, and where the marks are.
        document.body.dataset.chartPoints = this.loss.length;
        document.body.dataset.chartFrom = this.loss.first ?? '';
        document.body.dataset.chartMarks = this.loss.marks.map((m) => m.x).join(',');
      }
    }
    if (this.latest || this.loss.dirty || this.quality.dirty) {
      // Charts wait for their slot; poll for it with a timer rather than every animation frame.
      if (this.latest) this.requestRender();
      else setTimeout(() => this.requestRender(), Math.max(0, CHART_MS - (performance.now() - this.chartsAt)));
    }
  }
}
