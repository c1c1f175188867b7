// Records the traces the diagnosis tests read (tests/traces/*.json): the real engine (the CPU wasm
// module, loaded in node) trains a run from a link's settings and every EVERY rounds the readout the
// page would get is reduced to the numbers the detectors read (readingOf). The engine is
// deterministic per seed, so a trace is re-recorded exactly by:
//
//   node tests/record-trace.mjs            every trace in TRACES
//   node tests/record-trace.mjs healthy    one of them
//   node tests/record-trace.mjs --try 'objective=minimax&kd=5' [rounds] [every]   a summary every 250
//                                          (or `every`) rounds, to look for settings (nothing is written)
//
// Needs www/pkg/cpu (built by ./build.sh).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHash, toConfig, toHash } from '../www/js/state.js';
import { readingOf, contextOf, diagnose } from '../www/js/playground/diagnose.js';

const PKG = new URL('../www/pkg/cpu/', import.meta.url);
export const OUT = fileURLToPath(new URL('./traces/', import.meta.url));
/** Rounds between two recorded readings. */
export const EVERY = 10;
/** Points per readout, as the page's worker reads them. */
export const SAMPLES = 1024;

let engine;
/** The page's CPU engine (www/pkg/cpu), loaded in node once; the measuring scripts share it. */
export async function cpuEngine() {
  if (!engine) {
    engine = await import(new URL('ganplay.js', PKG));
    await engine.default({ module_or_path: readFileSync(new URL('ganplay_bg.wasm', PKG)) });
  }
  return engine;
}

/**
 * The recorded runs: a link's settings (unnamed ones take their defaults), rounds, and what it shows.
 * The settings were found by trying (see --try); the comment says what each run does.
 */
export const TRACES = {
  // The reference run: ring, every default. No detector may fire on it.
  healthy: { hash: '', rounds: 5000, about: 'ring, defaults: the healthy reference run' },
  collapse: { hash: 'zdim=1', rounds: 4000, about: 'ring, latent dimension 1: G settles on 2–3 of the 8 modes' },
  oscillation: { hash: 'dLr=0.0001', rounds: 3000, about: 'ring, D 10× slower than G: G’s points bunch up and are chased around the plane' },
  dwins: { hash: 'objective=minimax&gOpt=sgd&dOpt=sgd&kd=5', rounds: 3000, about: 'ring, minimax, plain SGD, 5 D steps per round: D wins and G’s gradient vanishes' },
  stuck: { hash: 'gOpt=sgd&dOpt=sgd', rounds: 3000, about: 'ring, plain SGD at 0.001: nothing moves for thousands of rounds' },
  wgan: { hash: 'objective=wasserstein', rounds: 3000, about: 'ring, WGAN with weight clipping 0.01: the critic is too weak to lead G anywhere' },
};

const round = (v, digits) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : null);

/** Trains a run and yields its readings every EVERY rounds. */
export async function* readings(hash, rounds) {
  const { state, notices } = fromHash(hash);
  if (notices.length) throw new Error(`bad settings ${JSON.stringify(hash)}: ${notices.join('; ')}`);
  const { Playground } = await cpuEngine();
  const pg = await Playground.create('cpu', JSON.stringify(toConfig(state)), undefined);
  try {
    for (let i = 0; i <= rounds; i += EVERY) {
      if (i > 0) pg.train(EVERY);
      const frame = await pg.readout(SAMPLES, 0, 0, 0, true);
      if (!frame.finite) throw new Error(`the run diverged at iteration ${frame.iteration}`);
      yield { state, reading: readingOf(frame) };
    }
  } finally {
    pg.free();
  }
}

/** A reading as a trace row: fields in FIELDS order, a few significant digits. */
export const FIELDS = ['iteration', 'dLoss', 'gLoss', 'js', 'covered', 'total', 'hq', 'gradNorm', 'cx', 'cy', 'spread', 'realSpread'];
export const row = (r) => FIELDS.map((f) => (f === 'iteration' || f === 'covered' || f === 'total' ? r[f] : round(r[f], 4)));

async function record(name) {
  const t = TRACES[name];
  const rows = [];
  let state;
  for await (const x of readings(t.hash, t.rounds)) {
    state = x.state;
    rows.push(row(x.reading));
  }
  const trace = { about: t.about, settings: toHash(state), context: contextOf(state), every: EVERY, samples: SAMPLES, fields: FIELDS, rows };
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}${name}.json`;
  writeFileSync(file, JSON.stringify(trace) + '\n');
  const fired = diagnose(rowsToReadings(trace), trace.context).map((f) => `${f.kind}@${f.iteration}`);
  console.log(`${name}: ${rows.length} readings, ${(JSON.stringify(trace).length / 1024).toFixed(0)} kB, fires: ${fired.join(', ') || 'nothing'}`);
}

/** A trace's rows back as readings. */
export function rowsToReadings(trace) {
  return trace.rows.map((r) => Object.fromEntries(trace.fields.map((f, i) => [f, r[i] ?? (f === 'gradNorm' ? undefined : NaN)])));
}

async function explore(hash, rounds, print) {
  const seen = [];
  for await (const { state, reading: r } of readings(hash, rounds)) {
    seen.push(r);
    if (r.iteration % print === 0) {
      const f = (v) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
      console.log(`${r.iteration}\tD ${f(r.dLoss)}\tG ${f(r.gLoss)}\tJS ${f(r.js)}\tmodes ${r.covered}/${r.total}\thq ${f(r.hq)}\t|∇| ${f(r.gradNorm)}\tc (${f(r.cx)}, ${f(r.cy)})\tspread ${f(r.spread)}/${f(r.realSpread)}`);
    }
    if (r.iteration === rounds) {
      const fired = diagnose(seen, contextOf(state)).map((x) => `${x.kind}@${x.iteration}`);
      console.log('fires:', fired.join(', ') || 'nothing');
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--try') await explore(args[1] ?? '', Number(args[2] ?? 3000), Number(args[3] ?? 250));
  else for (const name of args.length ? args : Object.keys(TRACES)) await record(name);
}
