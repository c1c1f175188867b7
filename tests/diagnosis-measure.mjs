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
//   --keep DIR    keep every run's readings in DIR and read them from there next time (judge again
//                 after a change to the detectors without training again)
//   --help        this text
//
// Runs: healthy-<dataset> (the defaults on each of the eight datasets, 5,000 rounds) and the faults
// in FAULTS (settings changed mid-run, as a student would, or a faulty run from the start).
import { writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHash, toConfig, toHash } from '../www/js/state.js';
import { readingOf, contextOf, verdicts, Diagnoser } from '../www/js/playground/diagnose.js';
import { cpuEngine, row, FIELDS, EVERY, SAMPLES, OUT } from './record-trace.mjs';

/** A fault counts as named when its finding fires within this many rounds of its onset. */
export const WITHIN = 1000;

export const DATASETS = ['ring', 'grid', 'spiral', 'moons', 'circles', 'disjoint', 'line', 'gaussian'];

/** What a student waits for before provoking a collapse: G has found the modes (more than half covered for the last 500 rounds on end). */
export function found(readings) {
  const end = readings.at(-1).iteration;
  const last = readings.filter((r) => r.iteration > end - 500);
  return end >= 500 && last.every((r) => r.total >= 3 && r.covered > r.total / 2);
}

/**
 * Where a fault present from round 0 starts: it has no round of change, so its onset is the first
 * round from which its symptom shows plainly in the readings for 200 rounds on end.
 */
export const SYMPTOMS = {
  // G's points on at most half the modes.
  'mode-collapse': (r) => r.covered !== null && r.total >= 3 && r.covered <= r.total / 2,
  // D rejects 9 of 10 of G's points (D(G(z)) below 0.1, from the losses).
  'd-wins': (r, ctx) => (verdicts(r, ctx)?.fake ?? 1) < 0.1,
  // G's points bunched in a cloud under a third of the data's size, away from the data's centre (0, 0) by more than the cloud's size.
  oscillation: (r) => r.spread < r.realSpread / 3 && Math.hypot(r.cx, r.cy) > r.spread,
};

/**
 * Provoked faults, judged by the finding that should name them (`kind`). Either provoked mid-run, as
 * a student would: `provoke` changes settings live once `when(readings)` holds (not before round
 * `after`; a seed where it has not held by round `by` is not judged) and the run goes on for `rounds`
 * more; or a faulty run from the start (`hash`, `rounds`), whose onset is its symptom's (SYMPTOMS).
 */
export const FAULTS = {
  // Lesson 4's cause on a run that has found its modes: G's learning rate raised to 20× D's.
  'collapse-ring': { hash: 'dataset=ring', provoke: { settings: { gLr: 0.02 }, when: found, after: 500, by: 4000 }, rounds: 2000, kind: 'mode-collapse', about: 'ring: once G covers 5 of 8 modes for 500 rounds, G’s learning rate 0.02' },
  'collapse-grid': { hash: 'dataset=grid', provoke: { settings: { gLr: 0.02 }, when: found, after: 500, by: 8000 }, rounds: 2000, kind: 'mode-collapse', about: 'grid: once G covers 13 of 25 modes for 500 rounds, G’s learning rate 0.02' },
  // D wins from the start (the run tests/traces/dwins.json was tuned on, on other seeds). Switched on
  // mid-run it is no fault: a D cannot win against a G that already sits on the data (seeds 1-10:
  // D(G(z)) stayed about 0.4 with G frozen and 5 D steps a round).
  'd-wins': { hash: 'dataset=ring&objective=minimax&gOpt=sgd&dOpt=sgd&kd=5', rounds: 3000, kind: 'd-wins', about: 'ring: minimax, plain SGD, 5 D steps a round, from the start' },
  // Lesson 6's too-slow D, from the start (as tests/traces/oscillation.json, other seeds).
  oscillation: { hash: 'dataset=ring&dLr=0.0001', rounds: 3000, kind: 'oscillation', about: 'ring: D 10× slower than G, from the start' },
  // The same switched on mid-run, on a run that sits on the data.
  'oscillation-late': { hash: 'dataset=ring', provoke: { settings: { dLr: 0.0001 }, after: 2000 }, rounds: 2000, kind: 'oscillation', about: 'ring: 2,000 healthy rounds, then D 10× slower than G' },
};
/** Every run by name: the healthy ones and the faults. */
export const RUNS = {
  ...Object.fromEntries(DATASETS.map((d) => [`healthy-${d}`, { hash: `dataset=${d}`, rounds: 5000, kind: null, about: `${d}, the defaults` }])),
  ...FAULTS,
};

/**
 * Trains a run on one seed: its readings every EVERY rounds, the context in force at each, its start
 * link, and the provoking change (`edit`: { at, settings }) if one was made.
 */
export async function record(run, seed) {
  const { state, notices } = fromHash(`${run.hash}&seed=${seed}`);
  if (notices.length) throw new Error(`bad settings ${run.hash}: ${notices.join('; ')}`);
  const { Playground } = await cpuEngine();
  const pg = await Playground.create('cpu', JSON.stringify(toConfig(state)), undefined);
  const readings = [];
  const contexts = [];
  const s = { ...state };
  const p = run.provoke;
  let ctx = contextOf(s);
  let edit = null;
  try {
    // Without a provoking change: `rounds`; with one, `rounds` after it, or up to `by` if it never came.
    for (let i = 0; i <= (p ? (edit ? edit.at + run.rounds : (p.by ?? p.after)) : run.rounds); i += EVERY) {
      if (p && !edit && i >= p.after && (!p.when || p.when(readings))) {
        edit = { at: i, settings: p.settings };
        Object.assign(s, p.settings);
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
  return { readings, contexts, settings: toHash(state), edit };
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


/** Writes a run as a trace file the diagnosis tests read (the format of tests/record-trace.mjs, with the edit and the onset). */
function save(name, run, seed, rec, onset) {
  const rows = rec.readings.map(row);
  const edits = rec.edit ? [{ ...rec.edit, context: contextOf({ ...fromHash(run.hash).state, ...rec.edit.settings }) }] : [];
  const trace = { about: `${run.about}; seed ${seed}`, settings: rec.settings, context: rec.contexts[0], edits, onset, kind: run.kind, every: EVERY, samples: SAMPLES, fields: FIELDS, rows };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}${name}-${seed}.json`, JSON.stringify(trace) + '\n');
}

/** The first round from which `holds(reading, context)` is true for 200 rounds on end, at or after round `from`; null if never. */
export function showsFrom(rec, holds, from = 0) {
  let start = null;
  for (let i = 0; i < rec.readings.length; i++) {
    const r = rec.readings[i];
    if (r.iteration < from) continue;
    if (!holds(r, rec.contexts[i])) start = null;
    else if ((start ??= r.iteration) <= r.iteration - 200) return start;
  }
  return null;
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

/**
 * What a run on one seed showed: { falseAlarms: [findings], trueFindings, named: finding | null,
 * delay, onset, shown: whether the fault happened }. A fault's onset is its provoking change, or for a
 * fault from the start its symptom's first round; a fault happened when its symptom showed after the onset.
 */
export function judge(run, rec) {
  const all = findings(rec.readings, rec.contexts);
  if (!run.kind) {
    // A mode collapse the run really shows is a finding, not an alarm.
    const real = collapsed(rec.readings);
    return { falseAlarms: all.filter((f) => !(real && f.kind === 'mode-collapse')), trueFindings: all.filter((f) => real && f.kind === 'mode-collapse'), named: null, delay: null };
  }
  const symptom = SYMPTOMS[run.kind];
  const onset = run.provoke ? (rec.edit?.at ?? null) : showsFrom(rec, symptom);
  if (onset === null) return { falseAlarms: [], named: null, delay: null, onset, shown: false, others: [] };
  const early = run.provoke ? all.filter((f) => f.iteration < onset) : [];
  // A fault from the start shows by its onset's definition; a provoked one must show after the change.
  const shown = !run.provoke || showsFrom(rec, symptom, onset) !== null;
  const named = all.find((f) => f.kind === run.kind && f.iteration >= onset) ?? null;
  return { falseAlarms: early, named, delay: named ? named.iteration - onset : null, onset, shown, others: all.filter((f) => f.iteration >= onset && f.kind !== run.kind) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function usage() {
  return readFileSync(fileURLToPath(import.meta.url), 'utf8').split("\n").slice(6, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

/** Why a fault on one seed is not judged, or null when it is: the run was not healthy at the onset, or the fault did not happen. */
export function unjudged(run, r) {
  if (r.onset === null) return run.provoke ? `never ${run.provoke.when === found ? 'found its modes' : 'reached the change'} by round ${(run.provoke.by ?? run.provoke.after).toLocaleString('en')}` : 'no symptom';
  if (r.falseAlarms.length) return `${r.falseAlarms[0].kind} before the change`;
  if (!r.shown) return `no ${run.kind} after the change`;
  return null;
}

const ONSET = { 'd-wins': 'D(G(z)) < 0.1', oscillation: 'G’s points bunched, off the data' };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let n = 10, from = 11, saving = false, keep = null;
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
    else if (a === '--keep' && args[i + 1]) keep = args[++i].replace(/\/?$/, '/');
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
      const kept = keep && `${keep}${name}-${seed}.json`;
      const rec = kept && existsSync(kept) ? JSON.parse(readFileSync(kept, 'utf8')) : await record(run, seed);
      if (kept && !existsSync(kept)) mkdirSync(keep, { recursive: true }), writeFileSync(kept, JSON.stringify(rec));
      const j = judge(run, rec);
      if (saving && seed === seeds[0]) save(name, run, seed, rec, j.onset ?? null);
      res.push({ seed, ...j });
      const said = [...j.falseAlarms.map((f) => `${f.kind}@${f.iteration}`), ...(j.trueFindings ?? []).map((f) => `${f.kind}@${f.iteration} (true: the run covers at most half the modes at its end)`), ...(j.named ? [`named ${j.named.kind}@${j.named.iteration}`] : []), ...(j.others ?? []).map((f) => `also ${f.kind}@${f.iteration}`)];
      const why = run.kind ? unjudged(run, j) : null;
      console.error(`${name} seed ${seed} (${((performance.now() - t0) / 1000).toFixed(0)} s): ${said.join(', ') || 'nothing'}${run.kind ? `; onset ${j.onset ?? '–'}` : ''}${why ? ` (not judged: ${why})` : ''}`);
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
    // A fault is judged on the seeds where the run was healthy at its onset (nothing had fired before a
    // change; a collapse came once the modes were found) and where it happened (its symptom showed after).
    console.log(`| provoked fault | finding | onset | seeds judged | of those, named within ${WITHIN.toLocaleString('en')} rounds of the onset | delay: median [range] | other findings after the onset |`);
    console.log('|---|---|---|---|---|---|---|');
    for (const { name, run, res } of faults) {
      const fair = res.filter((r) => !unjudged(run, r));
      const inTime = fair.filter((r) => r.delay !== null && r.delay <= WITHIN).length;
      const delays = fair.map((r) => r.delay).filter((d) => d !== null);
      const onsets = fair.map((r) => r.onset);
      const others = [...new Set(fair.flatMap((r) => r.others.map((f) => f.kind)))];
      const skipped = res.filter((r) => !fair.includes(r)).map((r) => `${r.seed}: ${unjudged(run, r)}`);
      const onset = `${run.provoke ? (run.provoke.when ? 'the change' : `the change (round ${run.provoke.after.toLocaleString('en')})`) : `${ONSET[run.kind]} for 200 rounds`}${onsets.length ? `: rounds ${Math.min(...onsets).toLocaleString('en')}–${Math.max(...onsets).toLocaleString('en')}` : ''}`;
      console.log(`| ${run.about} | ${run.kind} | ${onset} | ${fair.length} of ${res.length}${skipped.length ? ` (not ${skipped.join('; ')})` : ''} | ${inTime} of ${fair.length} | ${delays.length ? `${median(delays)} [${Math.min(...delays)}–${Math.max(...delays)}]` : 'never'}${delays.length < fair.length ? ` (never on ${fair.length - delays.length})` : ''} | ${others.join(', ') || '–'} |`);
    }
  }
}
