// Live diagnosis, the pure half: detectors that name what a run is doing (mode collapse, D winning,
// oscillation, no progress, divergence) from its readouts. No DOM: the page's room is diagnosis.js;
// tests feed recorded traces (tests/traces/) through the same code.
//
// A detector reads "readings" (readingOf: the few numbers of a frame it needs), at most one every
// SAMPLE_EVERY rounds, so it behaves the same whatever the frame rate. Each says, per reading, whether
// its condition clearly holds ('on'), clearly does not ('off') or is in between (null); it fires only
// after ON_FOR rounds of 'on' and lets go only after OFF_FOR rounds of 'off' (hysteresis), so a noisy
// readout does not make it flicker. The healthy reference run (ring, defaults, 5,000 rounds) must
// never make one fire: tests/diagnose.test.mjs holds them to it. The sentences are in the string tables (diag.*).
import { t } from '../i18n.js';

/** Rounds between two readings a detector looks at. */
export const SAMPLE_EVERY = 10;
/** The longest look back any detector takes, in rounds. */
const WINDOW = 2000;
/** Rounds at the start of a run that oscillation does not judge (measured: tests/diagnosis-measure.mjs, seeds 1–10). */
const SETTLING = 500;

/** The objectives whose D outputs a logit (σ(D) is a probability of "real"). */
const LOGIT = new Set(['minimax', 'non_saturating']);

const finite = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The numbers of a frame the detectors read. `frame`: a readout as the worker posts it (iteration,
 * dLoss, gLoss, metrics, gradNorm, fake). Traces store readings, not frames.
 */
export function readingOf(frame) {
  const m = frame.metrics ?? {};
  const modes = m.modes ?? null;
  const [cx, cy, spread] = cloud(frame.fake);
  return {
    iteration: frame.iteration,
    dLoss: frame.dLoss,
    gLoss: frame.gLoss,
    js: m.js,
    covered: modes ? modes.covered : null,
    total: modes ? modes.total : null,
    hq: modes ? modes.high_quality : null,
    gradNorm: finite(frame.gradNorm), // absent or NaN when the worker did not measure it
    cx,
    cy,
    spread,
    realSpread: cloud(frame.real)[2],
    ...(frame.rolledBack ? { rolledBack: true } : {}),
  };
}

/** Centre and spread (root-mean-square distance from the centre) of the finite points of `[x0, y0, …]`; NaN for none. */
function cloud(xy) {
  let sx = 0;
  let sy = 0;
  let ss = 0;
  let n = 0;
  for (let i = 0; xy && i + 1 < xy.length; i += 2) {
    const x = xy[i];
    const y = xy[i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) (sx += x), (sy += y), (ss += x * x + y * y), n++;
  }
  if (!n) return [NaN, NaN, NaN];
  const [cx, cy] = [sx / n, sy / n];
  return [cx, cy, Math.sqrt(Math.max(0, ss / n - cx * cx - cy * cy))];
}

/** What a detector is told of the run besides its readings: from the run's state. */
export function contextOf(state) {
  return { objective: state?.objective ?? 'non_saturating', smoothing: Number(state?.smooth) || 0 };
}

// ------------------------------------------------------------------ helpers over a window

/** Readings of the last `span` rounds (the window's tail), oldest first. */
function since(win, span) {
  const from = win.at(-1).iteration - span;
  let i = win.length - 1;
  while (i > 0 && win[i - 1].iteration >= from) i--;
  return win.slice(i);
}

/** Rounds the window covers. */
const spanOf = (win) => (win.length ? win.at(-1).iteration - win[0].iteration : 0);

function mean(xs) {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Whether `xs` (evenly spaced) swings back and forth: its autocorrelation dips to ≤ −`dip` at some lag
 * (half a period) and comes back to ≥ `peak` at a later one (a whole period). Noise has neither; a
 * trend or a drift has no dip. Returns the period in samples, or 0.
 */
export function period(xs, { dip = 0.3, peak = 0.3 } = {}) {
  const n = xs.length;
  const mu = mean(xs);
  const d = xs.map((x) => x - mu);
  let v = 0;
  for (const x of d) v += x * x;
  if (!(v > 0)) return 0;
  const ac = (lag) => {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += d[i] * d[i + lag];
    return s / v;
  };
  let dipped = false;
  // At least two whole periods fit the window: lags up to n / 2.
  for (let lag = 2; lag <= n >> 1; lag++) {
    const a = ac(lag);
    if (!dipped && a <= -dip) dipped = true;
    else if (dipped && a >= peak) return lag;
  }
  return 0;
}

/** Entropy floor of the logit D's real-point loss under one-sided label smoothing `s`. */
function realFloor(s) {
  return s > 0 ? -(1 - s) * Math.log(1 - s) - s * Math.log(s) : 0;
}

/**
 * D's verdicts estimated from the losses, which every frame has (the heatmap may be off):
 * `fake` ≈ D(G(z)) and `realGap`: how far D's real-point loss is above its best (0 when D(x) → 1).
 * Null for the score objectives (WGAN, hinge), whose outputs are not probabilities.
 */
export function verdicts(r, { objective, smoothing }) {
  const { dLoss, gLoss } = r;
  if (!Number.isFinite(dLoss) || !Number.isFinite(gLoss)) return null;
  if (LOGIT.has(objective)) {
    // minimax: L_G = mean log(1 − D(G(z))); non-saturating: L_G = −mean log D(G(z)) (geometric means).
    const fake = objective === 'minimax' ? 1 - Math.exp(gLoss) : Math.exp(-gLoss);
    const fakeTerm = -Math.log(Math.max(1e-12, 1 - fake));
    return { fake, realGap: Math.max(0, dLoss - fakeTerm - realFloor(smoothing)) };
  }
  if (objective === 'least_squares') {
    // L_G = ½ mean (D(G(z)) − 1)², L_D = ½ (mean (D(x) − t)² + mean D(G(z))²).
    const fake = 1 - Math.sqrt(Math.max(0, 2 * gLoss));
    return { fake, realGap: Math.max(0, dLoss - 0.5 * fake * fake) };
  }
  return null;
}

// ------------------------------------------------------------------ the detectors

/**
 * Each detector: `kind`, `lesson`, rounds its condition must hold to fire (`onFor`) and be gone to
 * let go (`offFor`), `start()` its memory, `judge(mem, win, ctx)` → 'on' | 'off' | null for the
 * newest reading (`win`: the readings of the last WINDOW rounds, newest last) and `say(mem, win, ctx)`
 * its sentence when it fires.
 */
export const DETECTORS = {
  /** Modes dropped: G's points sit on a few of the real modes and stay there. */
  modeCollapse: {
    kind: 'mode-collapse',
    lesson: 'mode-collapse',
    onFor: 400,
    offFor: 300,
    start: () => ({ peak: 0 }),
    judge(mem, win) {
      const r = win.at(-1);
      if (!(r.total >= 3)) return 'off'; // one or two modes: nothing to drop
      const recent = since(win, 300).filter((x) => x.covered !== null);
      if (spanOf(recent) < 200) return null;
      const best = Math.max(...recent.map((x) => x.covered));
      // The most modes covered for 300 rounds on end, so far: what G has shown it can do.
      mem.peak = Math.max(mem.peak, Math.min(...recent.map((x) => x.covered)));
      const hq = median(recent.map((x) => x.hq));
      const dropped = mem.peak - best >= Math.max(2, Math.ceil(r.total / 4));
      // Even the best reading of the last 300 rounds covers at most half the modes, and G has shown
      // it can cover more, or its points already sit on modes (it has settled on the few).
      if (best <= r.total / 2 && (dropped || hq >= 0.5)) return 'on';
      if (best > (3 * r.total) / 4 || (hq < 0.3 && !dropped)) return 'off';
      return null;
    },
    say(mem, win) {
      const r = win.at(-1);
      return t('diag.modeCollapse', { covered: r.covered, total: r.total });
    },
  },

  /**
   * D wins: D(x) → 1 and D(G(z)) → 0, and G's gradient vanishes. Under minimax the vanishing follows
   * from D(G(z)) → 0 (the loss's slope is D(G(z)) itself); under non-saturating and least squares it
   * does not, so there the measured gradient norm must show it. WGAN and hinge scores have no "→ 1"
   * and their G gradient does not vanish with a confident critic: not judged.
   */
  dWins: {
    kind: 'd-wins',
    lesson: 'saturating',
    onFor: 300,
    offFor: 300,
    start: () => ({ gradPeak: 0 }),
    judge(mem, win, ctx) {
      const recent = since(win, 200);
      const v = recent.map((x) => verdicts(x, ctx)).filter(Boolean);
      if (v.length < recent.length / 2 || spanOf(recent) < 100) return v.length ? null : 'off';
      const fake = median(v.map((x) => x.fake));
      const gap = median(v.map((x) => x.realGap));
      const norms = recent.map((x) => x.gradNorm).filter((g) => g !== undefined);
      let vanished = ctx.objective === 'minimax' ? true : null;
      if (norms.length >= recent.length / 2) {
        const g = median(norms);
        mem.gradPeak = Math.max(mem.gradPeak, g);
        vanished = g <= 0.3 * mem.gradPeak;
      }
      if (fake <= 0.05 && gap <= 0.1 && vanished) return 'on';
      if (fake >= 0.15 || gap >= 0.3 || vanished === false) return 'off';
      return null;
    },
    say: () => t('diag.dWins'),
  },

  /**
   * Losses or G's points swinging back and forth, over a long window and in both of its halves (a
   * new run's first swings die down by themselves). G's points count as swinging when their centre
   * moves by more than their own size, and keeps coming back: the cloud as a whole is chased around.
   * A cloud far smaller than the data that is chased about (chased()) is named sooner: a healthy
   * G's points spread over the data, so that one needs no settling rounds.
   */
  oscillation: {
    kind: 'oscillation',
    lesson: 'learning-rates',
    onFor: 300,
    offFor: 500,
    start: () => ({ at: -Infinity, last: null }),
    judge(mem, win) {
      const r = win.at(-1);
      // Judged every 50 rounds over 1,500 (an autocorrelation costs a window's length squared), held in between.
      if (r.iteration - mem.at < 50) return mem.last;
      mem.at = r.iteration;
      // G's points bunched in a cloud much smaller than the data and chased about the plane: plain
      // within a few hundred rounds, so not held back by the settling rounds below.
      if (chased(since(win, 600))) {
        mem.what = 'points';
        return (mem.last = 'on');
      }
      // Not over a run's first rounds: G's cloud travelling to the data swings as well, and stops.
      const w = since(win, 1500).filter((x) => x.iteration >= SETTLING);
      if (spanOf(w) < 1000 || w.length < 6) return (mem.last = null);
      const mid = w[0].iteration + spanOf(w) / 2;
      const halves = [w.filter((x) => x.iteration <= mid), w.filter((x) => x.iteration > mid)];
      const body = halves.map((h) => {
        const swing = Math.sqrt(variance(h.map((x) => x.cx)) + variance(h.map((x) => x.cy)));
        const size = median(h.map((x) => (Number.isFinite(x.spread) ? x.spread : 0)));
        return { swing, chased: swing / Math.max(size, 1e-9) };
      });
      const returns = Math.max(crossings(w.map((x) => x.cx)), crossings(w.map((x) => x.cy)));
      const moving = body.every((b) => b.swing >= 0.3 && b.chased >= 0.5) && returns >= 4;
      let cycling = false;
      if (w.length >= 30) {
        const dl = w.map((x) => x.dLoss);
        const gl = w.map((x) => x.gLoss);
        const wide = halves.every((h) => Math.sqrt(variance(h.map((x) => x.dLoss))) >= 0.25);
        cycling = wide && period(dl, { dip: 0.4, peak: 0.4 }) > 0 && period(gl, { dip: 0.4, peak: 0.4 }) > 0;
      }
      if (moving || cycling) {
        mem.what = moving ? 'points' : 'losses';
        return (mem.last = 'on');
      }
      const still = body.every((b) => b.swing < 0.2 || b.chased < 0.25);
      return (mem.last = still ? 'off' : null);
    },
    say: (mem) =>
      t(mem.what === 'points' ? 'diag.oscillation.points' : 'diag.oscillation.losses'),
  },

  /** Nothing improves for a long time: JS high and flat, not already close to the data. */
  noProgress: {
    kind: 'no-progress',
    lesson: 'learning-rates',
    onFor: 500,
    offFor: 300,
    start: () => ({}),
    judge(mem, win) {
      const w = since(win, WINDOW);
      if (spanOf(w) < 1500) return null;
      const js = w.map((x) => x.js).filter(Number.isFinite);
      if (js.length < 20) return null;
      const third = Math.max(1, Math.floor(js.length / 3));
      const before = median(js.slice(0, third));
      const now = median(js.slice(-third));
      if (now >= 0.6 && before - now < 0.05) return 'on';
      if (now < 0.45 || before - now >= 0.1) return 'off';
      return null;
    },
    say: (mem, win, ctx) =>
      t(ctx.objective === 'wasserstein' ? 'diag.noProgress.clipped' : 'diag.noProgress'),
  },
};

/** The lesson that explains a finding best for this run: a WGAN's stalls and swings are the critic's (its clipping). */
function lessonFor(det, ctx) {
  const wgan = ctx.objective === 'wasserstein' || ctx.objective === 'wasserstein_gp';
  return wgan && (det.kind === 'no-progress' || det.kind === 'oscillation') ? 'wasserstein' : det.lesson;
}

/**
 * Whether G's whole cloud is being chased: over both halves of the readings (at least 500 rounds) its
 * points sit in a cloud under a third of the data's size, its centre moves by more than half the
 * data's size, and it keeps coming back (the centre crosses its mean at least 3 times). A cloud that
 * travels to the data goes one way; a healthy G spreads over the data.
 */
function chased(w) {
  if (spanOf(w) < 500 || w.length < 20) return false;
  const mid = w[0].iteration + spanOf(w) / 2;
  const halves = [w.filter((x) => x.iteration <= mid), w.filter((x) => x.iteration > mid)];
  const bunched = halves.every((h) => {
    const data = median(h.map((x) => (Number.isFinite(x.realSpread) ? x.realSpread : NaN)));
    const size = median(h.map((x) => (Number.isFinite(x.spread) ? x.spread : Infinity)));
    const swing = Math.sqrt(variance(h.map((x) => x.cx)) + variance(h.map((x) => x.cy)));
    return data > 0 && size < data / 3 && swing > data / 2;
  });
  return bunched && Math.max(crossings(w.map((x) => x.cx)), crossings(w.map((x) => x.cy))) >= 3;
}

/**
 * How often `xs` swings from one side of its mean to the other: a swing counts only when it goes
 * past half a standard deviation on the far side (a Schmitt trigger), so noise around the mean does not.
 */
function crossings(xs) {
  const ok = xs.filter(Number.isFinite);
  if (ok.length < 3) return 0;
  const mu = mean(ok);
  const h = 0.5 * Math.sqrt(variance(ok));
  let side = 0;
  let n = 0;
  for (const x of ok) {
    const now = x - mu > h ? 1 : x - mu < -h ? -1 : side;
    if (side !== 0 && now !== side) n++;
    side = now;
  }
  return n;
}

function variance(xs) {
  const ok = xs.filter(Number.isFinite);
  if (ok.length < 2) return 0;
  const mu = mean(ok);
  let s = 0;
  for (const x of ok) s += (x - mu) * (x - mu);
  return s / ok.length;
}

/** Divergence is seen by the worker (a non-finite loss or weight: it rolls back and says so). */
export const DIVERGENCE = {
  kind: 'divergence',
  lesson: 'learning-rates',
  sentence: (at) => t('diag.divergence', { at }),
};

/** Which finding the one-line diagnosis names when several hold: the most urgent first. */
export const PRIORITY = ['divergence', 'd-wins', 'mode-collapse', 'oscillation', 'no-progress'];

// ------------------------------------------------------------------ the diagnoser

/**
 * Runs every detector over a run's readings as they come. `see(reading, ctx)` returns the findings
 * that fired at this reading; `current` is the finding the page names now (or null). Readings closer
 * than SAMPLE_EVERY rounds to the last one seen are skipped; a reading from an earlier iteration than
 * the last (a rollback, a restored run) starts the detectors over.
 */
export class Diagnoser {
  constructor(names = Object.keys(DETECTORS)) {
    this.names = names;
    this.reset();
  }

  reset() {
    this.win = [];
    this.last = -Infinity;
    this.mem = Object.fromEntries(this.names.map((n) => [n, { own: DETECTORS[n].start(), on: null, off: null, active: null }]));
    this.divergence = null;
  }

  /** The findings in force now, most urgent first. */
  get active() {
    const all = [this.divergence, ...this.names.map((n) => this.mem[n].active)].filter(Boolean);
    return all.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  }

  get current() {
    return this.active[0] ?? null;
  }

  /** The worker rolled back at `iteration` after a divergence. */
  diverged(iteration) {
    this.divergence = { kind: DIVERGENCE.kind, iteration, sentence: DIVERGENCE.sentence(iteration), lesson: DIVERGENCE.lesson };
    return this.divergence;
  }

  see(r, ctx) {
    if (r.iteration < this.last) {
      const d = this.divergence;
      this.reset();
      this.divergence = d;
    }
    // A divergence is let go once training has gone well past where it happened.
    if (this.divergence && r.iteration > this.divergence.iteration + 200) this.divergence = null;
    if (r.iteration - this.last < SAMPLE_EVERY) return [];
    this.last = r.iteration;
    this.win.push(r);
    while (this.win.length > 1 && this.win[0].iteration < r.iteration - WINDOW) this.win.shift();
    const fired = [];
    for (const n of this.names) {
      const f = this.step(n, r, ctx);
      if (f) fired.push(f);
    }
    return fired;
  }

  step(name, r, ctx) {
    const det = DETECTORS[name];
    const m = this.mem[name];
    const verdict = det.judge(m.own, this.win, ctx);
    m.on = verdict === 'on' ? (m.on ?? r.iteration) : null;
    m.off = verdict === 'off' ? (m.off ?? r.iteration) : null;
    if (m.active && m.off !== null && r.iteration - m.off >= det.offFor) m.active = null;
    if (!m.active && m.on !== null && r.iteration - m.on >= det.onFor) {
      const lesson = lessonFor(det, ctx);
      m.active = { kind: det.kind, iteration: r.iteration, since: m.on, sentence: det.say(m.own, this.win, ctx), lesson };
      return m.active;
    }
    return null;
  }
}

/**
 * Every firing over a whole run's readings, in order: [{ kind, iteration, since, sentence, lesson }].
 * `names`: the detectors to run (all by default).
 */
export function diagnose(readings, ctx, names) {
  const d = new Diagnoser(names);
  return readings.flatMap((r) => d.see(r, ctx));
}

/** One detector over a whole run: its first firing, or null. */
const first = (name) => (readings, ctx) => diagnose(readings, ctx, [name])[0] ?? null;
export const modeCollapse = first('modeCollapse');
export const dWins = first('dWins');
export const oscillation = first('oscillation');
export const noProgress = first('noProgress');

/** Divergence over a whole run: the first frame the worker rolled back or with a non-finite loss. */
export function divergence(readings) {
  const r = readings.find((x) => x.rolledBack || (x.iteration > 0 && !(Number.isFinite(x.dLoss) && Number.isFinite(x.gLoss))));
  return r ? { kind: DIVERGENCE.kind, iteration: r.iteration, sentence: DIVERGENCE.sentence(r.iteration), lesson: DIVERGENCE.lesson } : null;
}
