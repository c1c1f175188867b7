// Replays lessons with the CPU engine in node, as a student who presses every button and runs every
// question in order, and prints the readouts after each action: the numbers a lesson's claims rest
// on (docs/lessons-measured.md). Not a test: it trains every round the lessons train (minutes).
//
//   node tests/lesson-measure.mjs [lesson-id …]      (needs the built www/pkg/cpu)
//
// The page's settings become the engine's config through state.js, as in the page. An optimiser
// setting is applied live (retune); a change of data, seed or networks starts a new run. A `draw`
// action trains on a stand-in drawing, two blobs far apart (a student's own points cannot be replayed).
import { readFileSync } from 'node:fs';
import { PROP, defaults, toConfig, fromConfig } from '../www/js/state.js';

const WWW = new URL('../www/', import.meta.url);
const PKG = new URL('pkg/cpu/', WWW);
const SAMPLES = 1024; // as the page's worker reads
/** Settings whose change needs new networks (the engine's retune refuses them). */
const NEW_RUN = ['dataset', 'seed', 'zdim', 'noise', 'gLayers', 'gWidth', 'gAct', 'dLayers', 'dWidth', 'dAct'];

const engine = await import(new URL('ganplay.js', PKG));
await engine.default({ module_or_path: readFileSync(new URL('ganplay_bg.wasm', PKG)) });

/** Two round blobs at (−1.5, 0.5) and (1.5, −0.5), 300 points each, from a fixed sequence. */
function standInDrawing() {
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

const fmt = (x, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '–');

async function readouts(pg) {
  const r = await pg.readout(SAMPLES, 0, 0, 0, true);
  const m = r.metrics.modes;
  return {
    iteration: r.iteration,
    modes: m ? `${m.covered} / ${m.total}` : 'n/a',
    quality: m ? `${(100 * m.high_quality).toFixed(1)} %` : 'n/a',
    js: fmt(r.metrics.js, 3),
    'd-loss': fmt(r.dLoss),
    'g-loss': fmt(r.gLoss),
    'grad-norm': fmt(r.gradNorm),
  };
}

class Replay {
  async open(lesson) {
    const { settings = {}, model } = lesson.setup ?? {};
    this.points = null;
    if (model) {
      this.pg = await engine.Playground.create('cpu', JSON.stringify(toConfig(defaults())));
      this.pg.import(readFileSync(new URL(model, WWW), 'utf8'));
      this.state = fromConfig(JSON.parse(this.pg.config())).state;
      await this.act({ settings });
    } else {
      this.state = { ...defaults(), ...settings };
      this.pg = await engine.Playground.create('cpu', JSON.stringify(toConfig(this.state)));
    }
  }

  async act(a) {
    const changed = Object.entries(a.settings ?? {}).filter(([k, v]) => PROP[k] && this.state[k] !== v);
    if (changed.length) {
      Object.assign(this.state, Object.fromEntries(changed));
      const config = JSON.stringify(toConfig(this.state));
      if (changed.some(([k]) => NEW_RUN.includes(k))) this.pg.reset(config, this.points ?? undefined);
      else this.pg.retune(config);
    }
    if (a.draw) {
      this.points = standInDrawing();
      this.state.dataset = 'points';
      this.pg.reset(JSON.stringify(toConfig(this.state)), this.points);
    }
    if (a.rounds) this.pg.train(a.rounds);
  }
}

const ids = process.argv.slice(2).length ? process.argv.slice(2) : JSON.parse(readFileSync(new URL('lessons/index.json', WWW), 'utf8')).lessons;
for (const id of ids) {
  const lesson = JSON.parse(readFileSync(new URL(`lessons/${id}.json`, WWW), 'utf8'));
  const replay = new Replay();
  await replay.open(lesson);
  console.log(`\n${id}: setup →`, JSON.stringify(await readouts(replay.pg)));
  for (const [i, step] of lesson.steps.entries()) {
    for (const [what, a] of [['do', step.do], ['ask', step.ask?.run]]) {
      if (!a) continue;
      const before = await readouts(replay.pg);
      const t0 = performance.now();
      await replay.act(a);
      const after = await readouts(replay.pg);
      const watch = what === 'ask' ? step.ask.watch ?? [] : Object.keys(after);
      const shown = watch.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ');
      const answer = what === 'ask' ? ` [answer: ${step.ask.choices[step.ask.answer]}]` : '';
      console.log(`  step ${i + 1} ${what} ${JSON.stringify(a)} (${((performance.now() - t0) / 1000).toFixed(1)} s): it ${before.iteration} → ${after.iteration}; ${shown}${answer}`);
    }
  }
  replay.pg.free();
}
