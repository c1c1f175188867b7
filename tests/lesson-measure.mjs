// Measures what the lessons promise (docs/lessons-measured.md): replays a lesson with the page's CPU
// engine in node, as a student who presses every step's button and runs every question in order,
// on one seed or many, and checks each question's `expect` (what must happen for its right answer
// to be right). Not a test (it trains every round the lessons train: minutes); the lesson-claims
// test runs the same replays on a few seeds.
//
//   node tests/lesson-measure.mjs [options] [lesson-id …]      (needs the built www/pkg/cpu)
//
//   --seeds N     replay on N seeds besides the lesson's own run (default 0), then print one table row per question
//   --from S      the first seed (default 1); a lesson that starts from a model keeps its weights and
//                 takes the seed as the stream its training batches are drawn from
//   --steps       print the readouts before → after every action of every replay
//   --help        this text
//
// The page's settings become the engine's config through state.js, as in the page. An optimiser
// setting is applied live (retune); a change of data, seed or networks starts a new run. A `draw`
// action trains on a stand-in drawing, two blobs far apart (a student's own points cannot be replayed).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROP, defaults, toConfig, fromConfig } from '../www/js/state.js';
import { checkLesson, pickText } from '../www/js/lesson-format.js';
import { cpuEngine } from './record-trace.mjs';

const WWW = new URL('../www/', import.meta.url);
const SAMPLES = 1024; // as the page's worker reads
const ARROWS = 256; // as the page draws
const MESH = 16; // the manifold's grid side, as the page draws it
/** Rounds between two readings during a question's run (the page's charts take one per frame). */
const EVERY = 10;


/** Two round blobs at (−1.5, 0.5) and (1.5, −0.5), 300 points each, from a fixed sequence. */
export function standInDrawing() {
  const pts = [];
  let s = 7;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [cx, cy] of [[-1.5, 0.5], [1.5, -0.5]]) {
    for (let i = 0; i < 300; i++) {
      const r = 0.35 * Math.sqrt(next()), t = 2 * Math.PI * next();
      pts.push(cx + r * Math.cos(t), cy + r * Math.sin(t));
    }
  }
  return Float32Array.from(pts);
}

/** A lesson file, checked as the page checks it (in English). */
export function lessonFile(id) {
  const raw = JSON.parse(readFileSync(new URL(`lessons/${id}.json`, WWW), 'utf8'));
  const { lesson, problems } = checkLesson(raw, id);
  if (problems) throw new Error(`lesson ${id}: ${problems.join('; ')}`);
  return { raw, lesson };
}

/** Root-mean-square distance of the points `[x0, y0, …]` from their centre. */
function spread(xy) {
  let sx = 0, sy = 0, ss = 0;
  const n = xy.length / 2;
  for (let i = 0; i < xy.length; i += 2) (sx += xy[i]), (sy += xy[i + 1]), (ss += xy[i] * xy[i] + xy[i + 1] * xy[i + 1]);
  return Math.sqrt(Math.max(0, ss / n - (sx / n) ** 2 - (sy / n) ** 2));
}

/** The share of generated points farther than `r` from every real point: points off the data, "between" its parts. */
function between(fake, real, r = 0.35) {
  let off = 0;
  for (let i = 0; i < fake.length; i += 2) {
    let near = false;
    for (let j = 0; j < real.length && !near; j += 2) near = (fake[i] - real[j]) ** 2 + (fake[i + 1] - real[j + 1]) ** 2 <= r * r;
    if (!near) off++;
  }
  return off / (fake.length / 2);
}

/**
 * The real data's separate parts (points closer than `r` joined, parts of under 2 % of the points
 * dropped) on which at least `least` of G's points lie (a share, or 1: any): how many pieces of the
 * data G reaches. Of the manifold's crossings (`mesh-parts`): how many the mesh G draws reaches.
 */
function parts(fake, real, r = 0.35, least = 0.05) {
  const n = real.length / 2;
  const part = new Int32Array(n).fill(-1);
  let k = 0;
  const sizes = [];
  for (let s = 0; s < n; s++) {
    if (part[s] >= 0) continue;
    const stack = [s];
    part[s] = k;
    let size = 0;
    while (stack.length) {
      const i = stack.pop();
      size++;
      for (let j = 0; j < n; j++) {
        if (part[j] < 0 && (real[2 * i] - real[2 * j]) ** 2 + (real[2 * i + 1] - real[2 * j + 1]) ** 2 <= r * r) (part[j] = k), stack.push(j);
      }
    }
    sizes.push(size);
    k++;
  }
  const hits = new Array(k).fill(0);
  for (let i = 0; i < fake.length; i += 2) {
    let best = -1, bd = r * r;
    for (let j = 0; j < n; j++) {
      const d = (fake[i] - real[2 * j]) ** 2 + (fake[i + 1] - real[2 * j + 1]) ** 2;
      if (d <= bd) (bd = d), (best = j);
    }
    if (best >= 0) hits[part[best]]++;
  }
  return hits.filter((h, p) => sizes[p] >= 0.02 * n && h >= (least >= 1 ? least : least * (fake.length / 2))).length;
}

/** A frame as the page reads it, reduced to the numbers lessons talk about. */
async function read(pg, { arrows = false } = {}) {
  const r = await pg.readout(SAMPLES, 0, MESH, arrows ? ARROWS : 0, true);
  const m = r.metrics.modes;
  return {
    iteration: r.iteration,
    modes: m ? m.covered : NaN,
    total: m ? m.total : NaN,
    quality: m ? m.high_quality : NaN,
    js: r.metrics.js,
    'd-loss': r.dLoss,
    'g-loss': r.gLoss,
    'grad-norm': r.gradNorm,
    spread: spread(r.fake),
    between: between(r.fake, r.real),
    parts: parts(r.fake, r.real),
    'mesh-parts': parts(r.manifold, r.real, 0.35, 1),
    fake: r.fake,
    arrows: r.arrows,
  };
}

/** Mean distance G's points moved from `a` to `b`, and the share that moved the way their arrow in `a` pointed. */
function movement(a, b) {
  let moved = 0, along = 0;
  const n = a.fake.length / 2;
  for (let i = 0; i < n; i++) {
    const dx = b.fake[2 * i] - a.fake[2 * i], dy = b.fake[2 * i + 1] - a.fake[2 * i + 1];
    moved += Math.hypot(dx, dy) / n;
  }
  const k = a.arrows.length / 2;
  for (let i = 0; i < k; i++) {
    const dx = b.fake[2 * i] - a.fake[2 * i], dy = b.fake[2 * i + 1] - a.fake[2 * i + 1];
    if (dx * a.arrows[2 * i] + dy * a.arrows[2 * i + 1] > 0) along++;
  }
  return { moved, 'along-arrows': k ? along / k : NaN };
}

/** How often `xs` rose by at least `by` and then fell by at least `by` (or fell, then rose): a swing each time it turns. */
export function swings(xs, by) {
  let n = 0, dir = 0, hi = xs[0], lo = xs[0];
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    hi = Math.max(hi, x);
    lo = Math.min(lo, x);
    if (dir >= 0 && hi - x >= by) { if (dir > 0) n++; dir = -1; lo = x; }
    else if (dir <= 0 && x - lo >= by) { if (dir < 0) n++; dir = 1; hi = x; }
  }
  return n;
}

/** The number a condition reads from a question's measurement. */
export function value(c, m) {
  const k = c.readout;
  if (k === 'moved' || k === 'along-arrows') return m.movement[k];
  switch (c.of) {
    case 'after': return m.after[k];
    case 'change': return m.after[k] - m.before[k];
    case 'ratio': return m.after[k] / m.before[k];
    case 'switched-ratio': return m.switched[k] / m.before[k];
  }
  const xs = m.series.filter((r) => r.iteration - m.before.iteration >= c.from).map((r) => r[k]);
  if (c.of === 'lowest') return Math.min(...xs);
  if (c.of === 'highest') return Math.max(...xs);
  return swings(xs, c.by);
}

export const holds = (c, m) => {
  const v = value(c, m);
  return c.is === '>=' ? v >= c.value : v <= c.value;
};

/** A condition in words: "modes ≤ 3", "lowest modes from round 500 ≥ 4", "grad-norm switched-ratio ≥ 100". */
export function conditionText(c) {
  const of = c.of === 'after' || c.readout === 'moved' || c.readout === 'along-arrows' ? '' : `${c.of} `;
  const from = c.from ? ` from round ${c.from}` : '';
  const by = c.of === 'swings' ? ` by ${c.by}` : '';
  return `${of}${c.readout}${by}${from} ${c.is === '>=' ? '≥' : '≤'} ${c.value}`;
}

/** One student's run through a lesson. */
class Replay {
  async open(raw, lesson, seed) {
    const { Playground } = await cpuEngine();
    const setup = raw.setup ?? {};
    this.points = null;
    if (setup.model) {
      const file = JSON.parse(readFileSync(new URL(setup.model, WWW), 'utf8'));
      // The stream of training batches: the seed's, as Rng::new(seed) starts it (the checksum covers weights only).
      if (seed !== undefined) file.rng = { state: String(BigInt(seed) ^ 0x9e3779b97f4a7c15n), spare_normal: null };
      this.pg = await Playground.create('cpu', JSON.stringify(toConfig(defaults())));
      this.pg.import(JSON.stringify(file));
      this.state = fromConfig(JSON.parse(this.pg.config())).state;
      await this.act({ settings: setup.settings ?? {} });
    } else {
      this.state = { ...defaults(), ...(setup.settings ?? {}), ...(seed !== undefined ? { seed } : {}) };
      this.pg = await Playground.create('cpu', JSON.stringify(toConfig(this.state)));
    }
  }

  /** Applies an action's settings (and drawing); returns whether anything changed. */
  apply(a) {
    const changed = Object.entries(a.settings ?? {}).filter(([k, v]) => PROP[k] && this.state[k] !== v);
    if (changed.length) {
      Object.assign(this.state, Object.fromEntries(changed));
      const config = JSON.stringify(toConfig(this.state));
      // A setting whose change needs new networks (the engine's retune refuses it): a new run, as on the page.
      if (changed.some(([k]) => PROP[k].change === 'new')) this.pg.reset(config, this.points ?? undefined);
      else this.pg.retune(config);
    }
    if (a.draw) {
      this.points = standInDrawing();
      this.state.dataset = 'points';
      this.pg.reset(JSON.stringify(toConfig(this.state)), this.points);
    }
  }

  async act(a) {
    this.apply(a);
    if (a.rounds) this.pg.train(a.rounds);
  }

  /**
   * Runs a question's action and measures it: before, once its settings apply, after, and with
   * `series` every EVERY rounds on the way (only then: a readout costs as much as several rounds).
   */
  async measure(a, along) {
    const before = await read(this.pg, { arrows: true });
    this.apply(a);
    const switched = await read(this.pg);
    const series = [switched];
    const step = along ? EVERY : Infinity;
    for (let done = 0; done < (a.rounds ?? 0); done += step) {
      this.pg.train(Math.min(step, a.rounds - done));
      series.push(await read(this.pg));
    }
    const after = series.at(-1);
    return { before, switched, after, series, movement: movement(before, after) };
  }
}

/**
 * Replays lesson `id` on `seed` (undefined: the lesson's own) and returns one result per question:
 * { step, question, answer, expect, watch, m, held: [bool per condition] }. `log(line)` hears every action.
 */
export async function replay(id, seed, log = () => {}) {
  const { raw, lesson } = lessonFile(id);
  const r = new Replay();
  await r.open(raw, lesson, seed);
  const out = [];
  try {
    for (const [i, step] of lesson.steps.entries()) {
      if (step.do) {
        await r.act(step.do);
        log(`  step ${i + 1} do: it ${r.pg.iteration()}`);
      }
      if (step.ask?.run) {
        const m = await r.measure(step.ask.run, step.ask.expect.some((c) => ['lowest', 'highest', 'swings'].includes(c.of)));
        const held = step.ask.expect.map((c) => holds(c, m));
        out.push({ step: i + 1, question: step.ask.question, answer: step.ask.choices[step.ask.answer], expect: step.ask.expect, watch: step.ask.watch, m, held });
        const shown = [...new Set([...step.ask.watch, ...step.ask.expect.map((c) => c.readout)])].map((k) => `${k} ${fmt(m.before[k] ?? m.movement[k])} → ${fmt(m.after[k] ?? m.movement[k])}`);
        log(`  step ${i + 1} ask: it ${m.before.iteration} → ${m.after.iteration}; ${shown.join(', ')}; expect ${step.ask.expect.map((c, k) => `${conditionText(c)} ${held[k] ? 'yes' : 'NO'} (${fmt(value(c, m))})`).join(', ') || 'nothing'}`);
      }
    }
  } finally {
    r.pg.free();
  }
  return out;
}

export const fmt = (x) => (x === undefined ? '–' : !Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 || Number.isInteger(x) ? String(Math.round(x * 10) / 10) : Number(x.toPrecision(3)).toString());

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The table of docs/lessons-measured.md: a row per question over the seeds, and on the lesson's own run. */
function table(rows, seeds) {
  const lines = [
    `| lesson | step | question | right answer | on the lesson's own run | seeds where it happened | what was checked: median [lowest–highest] over the seeds (the lesson's own run) |`,
    '|---|---|---|---|---|---|---|',
  ];
  const yes = (r) => r.held.length > 0 && r.held.every(Boolean);
  for (const { id, own, results } of rows) {
    for (const [q, first] of own.entries()) {
      const runs = results.map((r) => r[q]);
      const ok = runs.filter(yes).length;
      const figures = first.expect.map((c) => {
        const vs = runs.map((r) => value(c, r.m));
        const over = vs.length ? `${fmt(median(vs))} [${fmt(Math.min(...vs))}–${fmt(Math.max(...vs))}] ` : '';
        return `${conditionText(c)}: ${over}(${fmt(value(c, first.m))})`;
      });
      const q1 = first.question.length > 70 ? `${first.question.slice(0, 67)}…` : first.question;
      const checked = first.expect.length > 0;
      lines.push(`| ${id} | ${first.step} | ${q1} | ${first.answer} | ${checked ? (yes(first) ? 'yes' : '**no**') : '–'} | ${!checked ? 'nothing to check' : seeds.length ? `${ok} of ${seeds.length}` : '–'} | ${figures.join('; ')} |`);
    }
  }
  return lines.join('\n');
}

function usage() {
  return readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(5, 13).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const ids = [];
  let n = 0, from = 1, steps = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = () => {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a whole number ≥ 1, not ${args[i] ?? 'nothing'}`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (a === '--seeds') n = num();
    else if (a === '--from') from = num();
    else if (a === '--steps') steps = true;
    else if (a.startsWith('-')) {
      console.error(`lesson-measure: unknown option ${a}\n\n${usage()}`);
      process.exit(2);
    } else ids.push(a);
  }
  const all = JSON.parse(readFileSync(new URL('lessons/index.json', WWW), 'utf8')).lessons;
  const unknown = ids.filter((id) => !all.includes(id));
  if (unknown.length) {
    console.error(`lesson-measure: no lesson ${unknown.join(', ')} (the lessons are ${all.join(', ')})`);
    process.exit(2);
  }
  const seeds = Array.from({ length: n || 0 }, (_, k) => from + k);
  const rows = [];
  for (const id of ids.length ? ids : all) {
    const log = steps ? (l) => console.log(l) : () => {};
    const timed = async (seed) => {
      const t0 = performance.now();
      if (steps) console.log(`${id}, ${seed === undefined ? "the lesson's own run" : `seed ${seed}`}:`);
      const r = await replay(id, seed, log);
      console.error(`${id} ${seed === undefined ? 'own run' : `seed ${seed}`}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return r;
    };
    const own = await timed(undefined);
    const results = [];
    for (const seed of seeds) results.push(await timed(seed));
    rows.push({ id, own, results });
  }
  console.log(`\n${n ? `Seeds ${from}–${from + n - 1}` : 'No other seeds (--seeds N)'}, and each lesson's own run (its seed, or its model's own stream). A question counts where every condition of its expect held.\n`);
  console.log(table(rows, seeds));
}
