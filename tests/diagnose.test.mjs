// The live diagnosis's detectors on recorded runs of the real engine (tests/traces/, written by
// tests/record-trace.mjs): each fires on the run that shows its condition, at a sensible round, and
// none cries wolf on the healthy reference run. Pure: no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  readingOf, verdicts, period, diagnose, Diagnoser, DETECTORS, SAMPLE_EVERY,
  modeCollapse, dWins, oscillation, noProgress, divergence,
} from '../www/js/playground/diagnose.js';
import { rowsToReadings } from './record-trace.mjs';

function load(name) {
  const trace = JSON.parse(readFileSync(new URL(`./traces/${name}.json`, import.meta.url), 'utf8'));
  return { ...trace, readings: rowsToReadings(trace) };
}
const TRACES = Object.fromEntries(['healthy', 'collapse', 'oscillation', 'dwins', 'stuck', 'wgan'].map((n) => [n, load(n)]));

/** The same run as the page sees it when frames come every `k` recorded readings. */
const every = (readings, k) => readings.filter((_, i) => i % k === 0);
/** The same run without the gradient norm (a worker that does not measure it). */
const withoutGrad = (readings) => readings.map(({ gradNorm, ...r }) => r);

const DETECT = { modeCollapse, dWins, oscillation, noProgress };
const fires = (name, trace, readings = trace.readings) => DETECT[name](readings, trace.context);

test('the traces are the runs they claim: the healthy one is 5,000 rounds of the ring with defaults', () => {
  const h = TRACES.healthy;
  assert.equal(h.readings.at(-1).iteration, 5000);
  assert.equal(h.context.objective, 'non_saturating');
  assert.match(h.settings, /dataset=ring/);
  for (const t of Object.values(TRACES)) assert.ok(JSON.stringify(t).length < 300_000);
});

test('no detector fires on the healthy run over all 5,000 rounds, however often frames come and with or without the gradient norm', () => {
  const h = TRACES.healthy;
  const ways = [['every 10', h.readings], ['every 30', every(h.readings, 3)], ['every 50', every(h.readings, 5)], ['every 100', every(h.readings, 10)], ['every 200', every(h.readings, 20)], ['no gradient norm', withoutGrad(h.readings)]];
  for (const [label, readings] of ways) {
    assert.deepEqual(diagnose(readings, h.context), [], `${label}: a detector fired on the healthy run`);
  }
});

test('mode collapse fires on the collapsing run, once G has settled on a few modes', () => {
  const t = TRACES.collapse;
  const f = fires('modeCollapse', t);
  assert.ok(f, 'mode collapse did not fire');
  assert.equal(f.lesson, 'mode-collapse');
  // It fires once the modes covered have stayed low, not before G first reached them.
  const at = t.readings.find((r) => r.iteration === f.iteration);
  assert.ok(at.covered <= at.total / 2, `fired at ${f.iteration} with ${at.covered}/${at.total} covered`);
  assert.match(f.sentence, new RegExp(`only ${at.covered} of the 8 kinds.*mode collapse`));
  assert.ok(fires('modeCollapse', t, every(t.readings, 5)), 'not seen with a frame every 50 rounds');
});

test('D wins fires on the strong-D minimax run, with and without the gradient norm', () => {
  const t = TRACES.dwins;
  const f = fires('dWins', t);
  assert.ok(f, 'D wins did not fire');
  assert.equal(f.lesson, 'saturating');
  const r = t.readings.find((x) => x.iteration === f.iteration);
  assert.ok(verdicts(r, t.context).fake < 0.1, 'fired while D(G(z)) was not near 0');
  assert.ok(fires('dWins', t, withoutGrad(t.readings)), 'minimax: D(G(z)) → 0 alone should be enough');
  assert.ok(fires('dWins', t, every(t.readings, 5)), 'not seen with a frame every 50 rounds');
});

test('oscillation fires on the run whose D is too slow for G, however often frames come', () => {
  const t = TRACES.oscillation;
  const f = fires('oscillation', t);
  assert.ok(f, 'oscillation did not fire');
  assert.equal(f.lesson, 'learning-rates');
  assert.ok(f.iteration <= 2000, `fired only at ${f.iteration}`);
  assert.match(f.sentence, /points/);
  for (const k of [5, 10]) assert.ok(fires('oscillation', t, every(t.readings, k)), `not seen with a frame every ${10 * k} rounds`);
});

test('a small cloud chased about the plane is named within 1,000 rounds; one that travels to the data once, or spreads over it, is not', () => {
  const ctx = { objective: 'non_saturating', smoothing: 0 };
  const run = (at) => Array.from({ length: 301 }, (_, k) => {
    const i = 10 * k;
    return { iteration: i, dLoss: 1.38, gLoss: 0.7, js: 1, covered: 0, total: 8, hq: 0, realSpread: 2, ...at(i) };
  });
  // Bunched (0.3 against the data's 2) and swung round the ring every 400 rounds from round 100.
  const chased = run((i) => ({ cx: i < 100 ? 0 : 1.8 * Math.cos((2 * Math.PI * i) / 400), cy: i < 100 ? 0 : 1.8 * Math.sin((2 * Math.PI * i) / 400), spread: 0.3 }));
  const f = oscillation(chased, ctx);
  assert.ok(f && f.iteration <= 1100, `named at ${f?.iteration}`);
  assert.match(f.sentence, /points/);
  // The same small cloud travelling once from far away to the centre, then growing over the data.
  const travels = run((i) => ({ cx: Math.max(0, 3 - i / 300), cy: 0, spread: i < 1200 ? 0.3 : 2 }));
  assert.equal(oscillation(travels, ctx), null);
  // A cloud as big as the data whose centre swings as much: the settling rounds still hold it back.
  const wide = run((i) => ({ cx: 1.8 * Math.cos((2 * Math.PI * i) / 400), cy: 0, spread: 2 }));
  assert.ok(!(oscillation(wide, ctx)?.iteration <= 1500));
});

test('oscillation fires on losses that swing back and forth, not on losses as noisy without a rhythm', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const run = (loss) => Array.from({ length: 301 }, (_, k) => {
    const i = 10 * k;
    const [d, g] = loss(i);
    return { iteration: i, dLoss: d, gLoss: g, js: 0.3, covered: 8, total: 8, hq: 0.9, cx: 0.01 * rand(), cy: 0.01 * rand(), spread: 2 };
  });
  const ctx = { objective: 'non_saturating', smoothing: 0 };
  const swing = (i) => Math.sin((2 * Math.PI * i) / 400);
  const f = oscillation(run((i) => [1.2 + 0.5 * swing(i), 0.9 - 0.6 * swing(i)]), ctx);
  assert.ok(f, 'a 400-round swing of the losses was not seen');
  assert.match(f.sentence, /losses/);
  assert.equal(oscillation(run(() => [1.2 + 1.5 * rand(), 0.9 + 1.5 * rand()]), ctx), null);
});

test('no progress fires on the stuck runs and names the lesson that fits each', () => {
  for (const [run, lesson] of [['stuck', 'learning-rates'], ['wgan', 'wasserstein']]) {
    const t = TRACES[run];
    const f = fires('noProgress', t);
    assert.ok(f, `no progress did not fire on the ${run} run`);
    assert.ok(f.iteration >= 1500, `fired at ${f.iteration}, before it could know`);
    assert.equal(f.lesson, lesson);
  }
});

test('each detector stays silent on the other conditions’ runs where that is true', () => {
  // Which detectors may also fire on a run: a collapsed G makes no progress either, say.
  const ALSO = { collapse: ['modeCollapse'], oscillation: ['oscillation', 'noProgress'], dwins: ['dWins', 'noProgress'], stuck: ['noProgress'], wgan: ['noProgress'] };
  for (const [run, allowed] of Object.entries(ALSO)) {
    for (const name of Object.keys(DETECT)) {
      if (allowed.includes(name)) continue;
      const f = fires(name, TRACES[run]);
      assert.equal(f, null, `${name} fired on the ${run} run at ${f?.iteration}`);
    }
  }
});

test('the diagnosis names the most urgent finding and lets go of it only after it is gone for a while', () => {
  const t = TRACES.collapse;
  const d = new Diagnoser();
  let named = null;
  for (const r of t.readings) {
    d.see(r, t.context);
    if (d.current) named ??= d.current;
  }
  assert.equal(named?.kind, 'mode-collapse');
  // A mode dip as long as the healthy run's worst (a few hundred rounds) is not a collapse; one that lasts is.
  const dip = (rounds) => {
    const d = new Diagnoser(['modeCollapse']);
    const fired = [];
    for (let i = 0; i <= 4000; i += SAMPLE_EVERY) {
      const low = i >= 2000 && i < 2000 + rounds;
      fired.push(...d.see({ iteration: i, dLoss: 1.3, gLoss: 0.7, js: 0.3, covered: low ? 2 : 7, total: 8, hq: 0.9, cx: 0, cy: 0, spread: 2 }, { objective: 'non_saturating', smoothing: 0 }));
    }
    return fired;
  };
  assert.deepEqual(dip(500), []);
  assert.equal(dip(1200).length, 1);
});

test('a finding fires only after its condition has held a while, and lets go only after it has gone a while', () => {
  // A stand-in detector whose verdict each reading carries.
  DETECTORS.standIn = { kind: 'stand-in', lesson: 'game', onFor: 100, offFor: 200, start: () => ({}), judge: (mem, win) => win.at(-1).verdict, say: () => 'a stand-in' };
  try {
    const d = new Diagnoser(['standIn']);
    const feed = (from, to, verdict) => {
      const fired = [];
      for (let i = from; i < to; i += SAMPLE_EVERY) fired.push(...d.see({ iteration: i, verdict }, {}));
      return fired;
    };
    // 'on' for less than onFor, then unsure: nothing; 'on' long enough: fires once, at onFor after it began.
    assert.deepEqual(feed(0, 90, 'on'), []);
    assert.deepEqual(feed(90, 200, null), []);
    const fired = feed(200, 400, 'on');
    assert.deepEqual(fired.map((f) => [f.iteration, f.since]), [[300, 200]]);
    // Unsure or briefly 'off' keeps it; 'off' for offFor lets go.
    feed(400, 600, null);
    feed(600, 750, 'off');
    feed(750, 760, 'on');
    assert.equal(d.current?.kind, 'stand-in');
    feed(760, 950, 'off');
    assert.equal(d.current?.kind, 'stand-in');
    feed(950, 980, 'off');
    assert.equal(d.current, null);
  } finally {
    delete DETECTORS.standIn;
  }
});

test('a divergence is named, and a rollback starts the detectors over without losing it', () => {
  const d = new Diagnoser();
  const ctx = { objective: 'non_saturating', smoothing: 0 };
  for (let i = 0; i <= 800; i += 10) d.see({ iteration: i, dLoss: 1.3, gLoss: 0.7, js: 0.3, covered: 8, total: 8, hq: 0.9, cx: 0, cy: 0 }, ctx);
  const f = d.diverged(500);
  assert.equal(f.lesson, 'learning-rates');
  d.see({ iteration: 500, dLoss: 1.3, gLoss: 0.7, js: 0.3, covered: 8, total: 8, hq: 0.9, cx: 0, cy: 0 }, ctx);
  assert.equal(d.current?.kind, 'divergence');
  assert.equal(d.win.length, 1, 'the detectors did not start over');
  d.see({ iteration: 800, dLoss: 1.3, gLoss: 0.7, js: 0.3, covered: 8, total: 8, hq: 0.9, cx: 0, cy: 0 }, ctx);
  assert.equal(d.current, null, 'still named after training went well past it');
  assert.equal(divergence([{ iteration: 0, dLoss: NaN, gLoss: NaN }, { iteration: 10, dLoss: 1, gLoss: 1 }]), null);
  assert.equal(divergence([{ iteration: 10, dLoss: 1, gLoss: 1 }, { iteration: 20, dLoss: Infinity, gLoss: 1 }]).iteration, 20);
});

test('a reading takes what the detectors need from a frame', () => {
  const fake = new Float32Array([1, 2, 3, 4, NaN, 0]);
  const r = readingOf({ iteration: 7, dLoss: 1, gLoss: 2, gradNorm: NaN, fake, metrics: { js: 0.5, modes: { covered: 3, total: 8, high_quality: 0.4, missing: [] } } });
  assert.deepEqual(r, { iteration: 7, dLoss: 1, gLoss: 2, js: 0.5, covered: 3, total: 8, hq: 0.4, gradNorm: undefined, cx: 2, cy: 3, spread: Math.sqrt(2), realSpread: NaN });
  const s = readingOf({ iteration: 7, dLoss: 1, gLoss: 2, gradNorm: 0.25, fake, metrics: { js: 0.5, modes: null } });
  assert.equal(s.covered, null);
  assert.equal(s.gradNorm, 0.25);
});

test('D’s verdicts come back out of the losses', () => {
  // D(x) = 0.9 and D(G(z)) = 0.2 for every point.
  const dLoss = -Math.log(0.9) - Math.log(0.8);
  const ns = verdicts({ dLoss, gLoss: -Math.log(0.2) }, { objective: 'non_saturating', smoothing: 0 });
  assert.ok(Math.abs(ns.fake - 0.2) < 1e-9 && Math.abs(ns.realGap + Math.log(0.9)) < 1e-9);
  const mm = verdicts({ dLoss, gLoss: Math.log(0.8) }, { objective: 'minimax', smoothing: 0 });
  assert.ok(Math.abs(mm.fake - 0.2) < 1e-9);
  assert.equal(verdicts({ dLoss: 1, gLoss: 1 }, { objective: 'wasserstein', smoothing: 0 }), null);
});

test('a period is found in a swing, not in noise or a trend', () => {
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const n = 120;
  assert.equal(period(Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / 30) + 0.3 * rand())) > 20, true);
  assert.equal(period(Array.from({ length: n }, () => rand())), 0);
  assert.equal(period(Array.from({ length: n }, (_, i) => i / n + 0.1 * rand())), 0);
});

test('every detector has a kind, a lesson and a sentence', () => {
  for (const d of Object.values(DETECTORS)) {
    assert.ok(d.kind && d.lesson && d.onFor > 0 && d.offFor > 0);
  }
});

// Runs the detectors were not tuned on (seed 11; written by `node tests/diagnosis-measure.mjs --save`,
// docs/lessons-measured.md#diagnosis): the defaults of every dataset, 5,000 rounds each.
const HELD_OUT = ['ring', 'grid', 'spiral', 'moons', 'circles', 'disjoint', 'line', 'gaussian'].map((d) => [d, load(`healthy-${d}-11`)]);

test('nothing fires on the defaults of any dataset, on a seed the detectors were not tuned on', () => {
  for (const [dataset, t] of HELD_OUT) {
    assert.match(t.settings, new RegExp(`dataset=${dataset}&seed=11`));
    assert.equal(t.readings.at(-1).iteration, 5000);
    for (const [label, readings] of [['every 10', t.readings], ['every 50', every(t.readings, 5)]]) {
      assert.deepEqual(diagnose(readings, t.context).map((f) => `${f.kind}@${f.iteration}`), [], `${dataset}, ${label}: a detector fired on the defaults`);
    }
  }
});

test("a new run's first swings, which die down by themselves, are not called oscillation (on seeds 1–10 they were, at round 1,300)", () => {
  // G's cloud swings about while it finds the data over the first 1,100 rounds, then stays put.
  const run = Array.from({ length: 301 }, (_, k) => {
    const i = 10 * k;
    const a = i < 1100 ? Math.sin((2 * Math.PI * i) / 200) : 0;
    return { iteration: i, dLoss: 1.3, gLoss: 0.7, js: 0.3, covered: 8, total: 8, hq: 0.9, cx: 0.8 * a, cy: 0.8 * a, spread: 1 };
  });
  assert.equal(oscillation(run, { objective: 'non_saturating', smoothing: 0 }), null);
  // The same swings later in a run are oscillation.
  const late = run.map((r) => {
    const a = r.iteration > 1500 ? Math.sin((2 * Math.PI * r.iteration) / 200) : 0;
    return { ...r, cx: 0.8 * a, cy: 0.8 * a };
  });
  assert.ok(oscillation(late, { objective: 'non_saturating', smoothing: 0 }), 'swings from round 1,500 on were not seen');
});

test('provoked faults on a held-out seed (11) are named within 1,000 rounds of their onset: a collapse of found modes, D wins and oscillation', () => {
  const c = load('collapse-ring-11');
  // Provoked once G had covered more than half the modes for 500 rounds (diagnosis-measure.mjs's found()).
  assert.deepEqual(c.edits.map((e) => [e.at, e.settings]), [[c.onset, { gLr: 0.02 }]]);
  const before = c.readings.filter((r) => r.iteration >= c.onset - 500 && r.iteration < c.onset);
  assert.ok(before.every((r) => r.covered > 4), `modes not found before the change: ${before.map((r) => r.covered).join('')}`);
  const found = diagnose(c.readings, c.context);
  assert.deepEqual(found.filter((f) => f.iteration < c.onset).map((f) => `${f.kind}@${f.iteration}`), [], 'a finding before the change');
  const named = found.find((f) => f.kind === 'mode-collapse');
  assert.ok(named && named.iteration - c.onset <= 1000, `mode collapse named at ${named?.iteration}, the change at ${c.onset}`);
  // Faults from the start: the onset is where the symptom first shows for 200 rounds.
  for (const [name, kind] of [['d-wins-11', 'd-wins'], ['oscillation-11', 'oscillation']]) {
    const t = load(name);
    assert.ok(t.onset > 0 && t.onset < 1000, `${name}: onset ${t.onset}`);
    const f = diagnose(t.readings, t.context).find((x) => x.kind === kind);
    assert.ok(f && f.iteration >= t.onset && f.iteration - t.onset <= 1000, `${kind} named at ${f?.iteration} on ${name}, its onset at ${t.onset}`);
  }
});

test("a D made 10× slower mid-run, on a run that sits on the data, is no fault and nothing calls it one (seed 11)", () => {
  const t = load('oscillation-late-11');
  assert.deepEqual(t.edits.map((e) => [e.at, e.settings]), [[2000, { dLr: 0.0001 }]]);
  const after = t.readings.filter((r) => r.iteration > 2200);
  const wander = Math.max(...after.map((r) => Math.hypot(r.cx - after[0].cx, r.cy - after[0].cy)));
  assert.ok(wander < 0.3, `G's points moved ${wander.toFixed(2)} after the change`);
  assert.deepEqual(diagnose(t.readings, t.context).map((f) => `${f.kind}@${f.iteration}`), []);
});
