// Measures the live diagnosis out of sample (docs/lessons-measured.md, "Diagnosis"): the page's CPU
// engine in node trains runs the detectors were not tuned on, the same detectors as the page read
// them every 10 rounds, and a table says how often they cry wolf on healthy runs and how soon they
// name a provoked fault. Not a test (it trains about half a million rounds: about
// half an hour here); tests/diagnose.test.mjs reads a few of these runs, saved with --save.
//
//   node tests/diagnosis-measure.mjs [options] [run …]
//
//   --seeds N     seeds per run (default 10)
//   --from S      the first seed (default 11: seeds 1-10 were looked at while the detectors were tuned)
//   --save        also write each run's first seed as tests/traces/<run>-<seed>.json
//   --help        this text
//
// Runs: healthy-<dataset> (the defaults on each of the eight datasets, 5,000 rounds) and the faults
// in FAULTS (settings changed mid-run at `onset`, as a student would, or a faulty run from the start).
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHash, toConfig, toHash } from '../www/js/state.js';
import { readingOf, contextOf, Diagnoser } from '../www/js/playground/diagnose.js';
import { cpuEngine, row, FIELDS, EVERY, SAMPLES, OUT } from './record-trace.mjs';

/** A fault counts as named when its finding fires within this many rounds of its onset. */
export const WITHIN = 1000;

export const DATASETS = ['ring', 'grid', 'spiral', 'moons', 'circles', 'disjoint', 'line', 'gaussian'];

/**
 * Provoked faults: a link's settings (unnamed ones take their defaults; the seed is added), rounds,
 * the live changes `edits` ({ round: settings }) and the round the fault starts (`onset`), and the
 * finding that should name it (`kind`).
 */
export const FAULTS = {
  // Lesson 4's cause on a run that found its modes: G's learning rate 20× D's.
  'collapse-ring': { hash: 'dataset=ring', rounds: 5000, edits: { 3000: { gLr: 0.02 } }, onset: 3000, kind: 'mode-collapse', about: 'ring: 3,000 healthy rounds, then G’s learning rate 0.02' },
  'collapse-grid': { hash: 'dataset=grid', rounds: 5000, edits: { 3000: { gLr: 0.02 } }, onset: 3000, kind: 'mode-collapse', about: 'grid: 3,000 healthy rounds, then G’s learning rate 0.02' },
  // D wins from the start (the run tests/traces/dwins.json was tuned on, on other seeds). Switched on
  // mid-run it is no fault: a D cannot win against a G that already sits on the data (seeds 1-10:
  // D(G(z)) stayed about 0.4 with G frozen and 5 D steps a round).
  'd-wins': { hash: 'dataset=ring&objective=minimax&gOpt=sgd&dOpt=sgd&kd=5', rounds: 3000, edits: {}, onset: 0, kind: 'd-wins', about: 'ring: minimax, plain SGD, 5 D steps a round, from the start' },
  // Lesson 6's too-slow D, from the start (as tests/traces/oscillation.json, other seeds) and switched on mid-run.
  oscillation: { hash: 'dataset=ring&dLr=0.0001', rounds: 3000, edits: {}, onset: 0, kind: 'oscillation', about: 'ring: D 10× slower than G, from the start' },
  'oscillation-late': { hash: 'dataset=ring', rounds: 4000, edits: { 2000: { dLr: 0.0001 } }, onset: 2000, kind: 'oscillation', about: 'ring: 2,000 healthy rounds, then D 10× slower than G' },
};

/** Every run by name: the healthy ones and the faults. */
export const RUNS = {
  ...Object.fromEntries(DATASETS.map((d) => [`healthy-${d}`, { hash: `dataset=${d}`, rounds: 5000, edits: {}, onset: null, kind: null, about: `${d}, the defaults` }])),
  ...FAULTS,
};

/** Trains a run on one seed and returns its readings every EVERY rounds, its context and its start link. */
export async function record(run, seed) {
  const { state, notices } = fromHash(`${run.hash}&seed=${seed}`);
  if (notices.length) throw new Error(`bad settings ${run.hash}: ${notices.join('; ')}`);
  const { Playground } = await cpuEngine();
  const pg = await Playground.create('cpu', JSON.stringify(toConfig(state)), undefined);
  const readings = [];
  const s = { ...state };
  let ctx = contextOf(s);
  const contexts = [];
  try {
    for (let i = 0; i <= run.rounds; i += EVERY) {
      if (run.edits[i]) {
        Object.assign(s, run.edits[i]);
        pg.retune(JSON.stringify(toConfig(s)));
        ctx = contextOf(s);
      }
      if (i > 0) pg.train(EVERY);
      const frame = await pg.readout(SAMPLES, 0, 0, 0, true);
      if (!frame.finite) throw new Error(`${run.hash} seed ${seed} diverged at iteration ${frame.iteration}`);
      readings.push(readingOf(frame));
      contexts.push(ctx);
    }
  } finally {
    pg.free();
  }
  return { readings, contexts, settings: toHash(state) };
}

/** Every firing over a run whose context changes mid-run (a live edit): the detectors see each reading with the context in force. */
export function findings(readings, contexts) {
  // diagnose() takes one context; split where it changes, carrying one Diagnoser through.
  const out = [];
  let from = 0;
  const d = new Diagnoser();
  for (let i = 0; i <= readings.length; i++) {
    if (i === readings.length || (i > from && contexts[i] !== contexts[from])) {
      for (let k = from; k < i; k++) out.push(...d.see(readings[k], contexts[from]));
      from = i;
    }
  }
  return out;
}


/** Writes a run as a trace file the diagnosis tests read (the format of tests/record-trace.mjs, with the edits). */
function save(name, run, seed, rec) {
  const rows = rec.readings.map(row);
  const edits = Object.entries(run.edits).map(([at, settings]) => ({ at: Number(at), settings, context: contextOf({ ...fromHash(run.hash).state, ...settings }) }));
  const trace = { about: `${run.about}; seed ${seed}`, settings: rec.settings, context: rec.contexts[0], edits, onset: run.onset, kind: run.kind, every: EVERY, samples: SAMPLES, fields: FIELDS, rows };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}${name}-${seed}.json`, JSON.stringify(trace) + '\n');
}

/**
 * Whether a mode-collapse finding on a run with the defaults is true: the run's own readings over
 * its last 1,000 rounds cover at most half the modes (the defaults dropped modes on that seed).
 * Other findings on a healthy run have no such check and count as false alarms.
 */
export function collapsed(readings) {
  const end = readings.at(-1).iteration;
  const tail = readings.filter((r) => r.iteration > end - 1000 && r.covered !== null);
  return tail.length > 0 && median(tail.map((r) => r.covered)) <= tail[0].total / 2;
}

/** What a run on one seed showed: { falseAlarms: [findings], named: finding | null, delay, before: modes at onset }. */
export function judge(run, rec) {
  const all = findings(rec.readings, rec.contexts);
  if (!run.kind) {
    // A mode collapse the run really shows is a finding, not an alarm.
    const real = collapsed(rec.readings);
    return { falseAlarms: all.filter((f) => !(real && f.kind === 'mode-collapse')), trueFindings: all.filter((f) => real && f.kind === 'mode-collapse'), named: null, delay: null };
  }
  const early = all.filter((f) => f.iteration < run.onset);
  const named = all.find((f) => f.kind === run.kind && f.iteration >= run.onset) ?? null;
  // The state the fault was provoked in: the last reading before the change.
  const atOnset = run.onset ? rec.readings.find((r) => r.iteration === run.onset - EVERY) : null;
  return { falseAlarms: early, named, delay: named ? named.iteration - run.onset : null, atOnset, others: all.filter((f) => f.iteration >= run.onset && f.kind !== run.kind) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function usage() {
  return readFileSync(fileURLToPath(import.meta.url), 'utf8').split("\n").slice(6, 15).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let n = 10, from = 11, saving = false;
  const names = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = () => {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a whole number ≥ 1`);
      return v;
    };
    if (a === '--help' || a === '-h') (console.log(usage()), process.exit(0));
    else if (a === '--seeds') n = num();
    else if (a === '--from') from = num();
    else if (a === '--save') saving = true;
    else if (a.startsWith('-') || !RUNS[a]) {
      console.error(`diagnosis-measure: ${a.startsWith('-') ? `unknown option ${a}` : `no run ${a} (the runs are ${Object.keys(RUNS).join(', ')})`}\n\n${usage()}`);
      process.exit(2);
    } else names.push(a);
  }
  const seeds = Array.from({ length: n }, (_, k) => from + k);
  const healthy = [];
  const faults = [];
  for (const name of names.length ? names : Object.keys(RUNS)) {
    const run = RUNS[name];
    const res = [];
    for (const seed of seeds) {
      const t0 = performance.now();
      const rec = await record(run, seed);
      if (saving && seed === seeds[0]) save(name, run, seed, rec);
      const j = judge(run, rec);
      res.push({ seed, ...j });
      const said = [...j.falseAlarms.map((f) => `${f.kind}@${f.iteration}`), ...(j.trueFindings ?? []).map((f) => `${f.kind}@${f.iteration} (true: the run covers at most half the modes at its end)`), ...(j.named ? [`named ${j.named.kind}@${j.named.iteration}`] : []), ...(j.others ?? []).map((f) => `also ${f.kind}@${f.iteration}`)];
      console.error(`${name} seed ${seed} (${((performance.now() - t0) / 1000).toFixed(0)} s): ${said.join(', ') || 'nothing'}${j.atOnset ? `; at onset ${j.atOnset.covered}/${j.atOnset.total} modes` : ''}`);
    }
    (run.kind ? faults : healthy).push({ name, run, res });
  }
  console.log(`\nSeeds ${from}–${from + n - 1}; readings every ${EVERY} rounds of ${SAMPLES} points, as the page's detectors take them.\n`);
  if (healthy.length) {
    console.log('| healthy run (the defaults) | rounds | seeds with no false alarm | false alarms per 10,000 rounds | false alarms | true findings: the defaults collapsed |');
    console.log('|---|---|---|---|---|---|');
    let alarms = 0, rounds = 0;
    for (const { name, run, res } of healthy) {
      const quiet = res.filter((r) => !r.falseAlarms.length).length;
      const k = res.reduce((s, r) => s + r.falseAlarms.length, 0);
      alarms += k;
      rounds += run.rounds * res.length;
      const which = res.flatMap((r) => r.falseAlarms.map((f) => `${f.kind}@${f.iteration} (seed ${r.seed})`));
      const real = res.flatMap((r) => r.trueFindings.map((f) => `${f.kind}@${f.iteration} (seed ${r.seed})`));
      console.log(`| ${name.replace('healthy-', '')} | ${run.rounds.toLocaleString('en')} | ${quiet} of ${res.length} | ${((10_000 * k) / (run.rounds * res.length)).toFixed(2)} | ${which.join(', ') || '–'} | ${real.join(', ') || '–'} |`);
    }
    console.log(`| all | ${rounds.toLocaleString('en')} | | ${((10_000 * alarms) / rounds).toFixed(2)} | | |\n`);
  }
  if (faults.length) {
    // A fault provoked mid-run is judged on the seeds where the run was healthy when it came: nothing had fired
    // yet, and for a collapse the modes had been found (more than half covered), so that they could be dropped.
    console.log(`| provoked fault | finding | seeds healthy at the onset | of those, named within ${WITHIN.toLocaleString('en')} rounds | delay: median [range] | other findings after it |`);
    console.log('|---|---|---|---|---|---|');
    for (const { name, run, res } of faults) {
      const fair = res.filter((r) => !r.falseAlarms.length && (run.kind !== 'mode-collapse' || !r.atOnset || r.atOnset.covered > r.atOnset.total / 2));
      const inTime = fair.filter((r) => r.delay !== null && r.delay <= WITHIN).length;
      const delays = fair.map((r) => r.delay).filter((d) => d !== null);
      const others = [...new Set(fair.flatMap((r) => r.others.map((f) => f.kind)))];
      const skipped = res.filter((r) => !fair.includes(r)).map((r) => r.seed);
      console.log(`| ${run.about} | ${run.kind} | ${fair.length} of ${res.length}${skipped.length ? ` (not ${skipped.join(', ')})` : ''} | ${inTime} of ${fair.length} | ${delays.length ? `${median(delays)} [${Math.min(...delays)}–${Math.max(...delays)}]` : 'never'}${delays.length < fair.length ? ` (never on ${fair.length - delays.length})` : ''} | ${others.join(', ') || '–'} |`);
    }
  }
}
