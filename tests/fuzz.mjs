// Seeded random-input tests of the page's own parsers: the URL hash (www/js/state.js) and the
// CSV / paste importer (www/js/playground/csv.js). Both are pure modules, so they run here in Node.
//
// Every input must either be accepted with a valid result or be refused with a message; nothing may
// throw anything else, and nothing may take long. Inputs are random text biased towards each
// format's own characters, and valid inputs damaged by random edits.
//
//   node tests/fuzz.mjs [cases]      prints one line per target (./build.sh fuzz runs 10,000)
//   tests/fuzz.test.mjs              the same with fewer cases, in ./build.sh test
import { PROPS, PROP, fromHash, toHash, parseValue, formatValue, defaults, MAX_POINTS, encodePoints } from '../www/js/state.js';
import { parsePoints, fitToPlane } from '../www/js/playground/csv.js';
// The gallery's seeded uniform generator: a failing input is reproduced from its seed.
import { uniform as rng } from '../www/js/gallery/latent.js';

/** The longest one input may take before it counts as a hang, in ms. */
const HANG_MS = 1000;

const pick = (r, list) => list[Math.floor(r() * list.length)];
const int = (r, n) => Math.floor(r() * n);

/** Random text from `alphabet`, with a few arbitrary code points (lone surrogates included). */
function text(r, alphabet, max) {
  let s = '';
  const n = int(r, max);
  for (let i = 0; i < n; i++) s += r() < 0.05 ? String.fromCharCode(int(r, 0x10000)) : pick(r, alphabet);
  return s;
}

/** Random edits of a valid input: flip, delete, duplicate, insert. */
function damage(r, s, alphabet) {
  let out = s;
  for (let k = 1 + int(r, 4); k > 0; k--) {
    const i = int(r, out.length + 1);
    const j = Math.min(out.length, i + int(r, 12));
    switch (int(r, 4)) {
      case 0: out = out.slice(0, i) + pick(r, alphabet) + out.slice(i + 1); break;
      case 1: out = out.slice(0, i) + out.slice(j); break;
      case 2: out = out.slice(0, j) + out.slice(i, j) + out.slice(j); break;
      default: out = out.slice(0, i) + text(r, alphabet, 8) + out.slice(i);
    }
  }
  return out;
}

const NUMBERS = ['0', '1', '-1', '0.5', '1e3', '1e400', '-1e-400', 'NaN', 'Infinity', '-0', '.5', '5.', '+2', '0x10', '1_000', '٣', '1,5', ' 7 ', '99999999999999', '3e-7'];

// ------------------------------------------------------------------ the URL hash

const HASH_ALPHABET = [...'&=%#,.-+_0123456789eE abcxyz', ...PROPS.map((p) => p.key), 'pts', ...NUMBERS, '%ZZ', '%E0%A4%A', '%26', '%3D'];

function validHash(r) {
  const state = defaults();
  for (const p of PROPS) {
    if (r() < 0.5) continue;
    if (p.type === 'int') state[p.key] = p.min + int(r, p.max - p.min + 1);
    else if (p.type === 'float') state[p.key] = Number((p.min + r() * (p.max - p.min)).toPrecision(3));
    else if (p.type === 'enum') state[p.key] = pick(r, p.options);
    else if (p.type === 'bool') state[p.key] = r() < 0.5;
  }
  if (r() < 0.2) state.dataset = 'points';
  const points = Float32Array.from({ length: 2 * (1 + int(r, 40)) }, () => r() * 8 - 4);
  return toHash(state, points);
}

/** A state is valid when every property's value would be accepted again as it stands. */
function checkState(state) {
  for (const p of PROPS) {
    const again = parseValue(p, formatValue(p, state[p.key]));
    if (again.error) throw new Error(`the parsed state holds an invalid ${p.key}: ${JSON.stringify(state[p.key])} (${again.error})`);
  }
}

function hashTarget(r) {
  const k = r();
  const input = k < 0.35 ? text(r, HASH_ALPHABET, 30) : k < 0.9 ? damage(r, validHash(r), HASH_ALPHABET) : validHash(r);
  const { state, points, notices } = fromHash(input);
  checkState(state);
  if (!Array.isArray(notices) || notices.some((n) => typeof n !== 'string' || n.length < 8)) throw new Error('a notice is not a sentence');
  if (state.dataset === 'points' && !(points instanceof Float32Array && points.length >= 2 && points.length % 2 === 0)) throw new Error('drawn points without points');
  if (points && !points.every(Number.isFinite)) throw new Error('a non-finite point');
  // What the page writes back must read the same, with nothing to complain about.
  const again = fromHash(toHash(state, points));
  if (again.notices.length) throw new Error(`its own link gets notices: ${again.notices.join('; ')}`);
  for (const p of PROPS) if (formatValue(p, again.state[p.key]) !== formatValue(p, state[p.key])) throw new Error(`${p.key} does not round-trip`);
  return notices.length === 0;
}

// ------------------------------------------------------------------ the CSV / paste importer

const CSV_ALPHABET = [...NUMBERS, ',', ';', '\t', ' ', '\n', '\r\n', '\r', '#', 'x', 'y', '"', 'x,y\n', '\u00a0', '\ufeff'];

function validCsv(r) {
  const rows = Array.from({ length: 1 + int(r, 30) }, () => `${(r() * 10 - 5).toFixed(int(r, 6))}${pick(r, [',', ';', '\t', ' ', ', '])}${(r() * 10 - 5).toExponential(int(r, 4))}`);
  if (r() < 0.3) rows.unshift('x,y');
  if (r() < 0.2) rows.splice(int(r, rows.length), 0, '# a comment', '');
  return rows.join(pick(r, ['\n', '\r\n', '\r']));
}

function csvTarget(r) {
  const k = r();
  const input = k < 0.3 ? text(r, CSV_ALPHABET, 60) : k < 0.9 ? damage(r, validCsv(r), CSV_ALPHABET) : validCsv(r);
  let parsed;
  try {
    parsed = parsePoints(input);
  } catch (e) {
    if (!(e instanceof Error) || e.message.length < 8) throw new Error(`an unclear refusal: ${e}`);
    return false;
  }
  const { points } = parsed;
  if (!(points instanceof Float32Array) || points.length < 2 || points.length % 2 || points.length > 2 * MAX_POINTS) throw new Error(`bad points (${points?.length})`);
  // Float32 rounds huge finite doubles to Infinity: the importer must not pass those on.
  if (!points.every(Number.isFinite)) throw new Error('a non-finite point was accepted');
  const fitted = fitToPlane(points).points;
  if (!fitted.every((v) => Math.abs(v) <= 3)) throw new Error('fitToPlane left a point outside the plane');
  return true;
}

/** The point link on its own: random base64url text. */
function pointsTarget(r) {
  const input = r() < 0.5 ? text(r, [...'ABCDEFabcdef0123456789-_=+/'], 40) : damage(r, encodePoints(Float32Array.from({ length: 2 * (1 + int(r, 20)) }, () => r() * 6 - 3)), ['A', '_', '-', '=']);
  const { state, points, notices } = fromHash(`dataset=points&pts=${input}`);
  if (state.dataset === 'points' && (!points || points.length % 2)) throw new Error('points dataset without whole points');
  return notices.length === 0;
}

export const TARGETS = { 'url-hash': hashTarget, 'csv-import': csvTarget, 'link-points': pointsTarget };

/** Runs `cases` inputs of one target; returns the tally, or throws with the seed of the first failure. */
export function fuzz(name, cases, seed = 1) {
  const target = TARGETS[name];
  const tally = { target: name, inputs: 0, accepted: 0, rejected: 0, slowestMs: 0 };
  for (let i = 0; i < cases; i++) {
    const s = (seed * 1_000_003 + i) >>> 0;
    const t0 = performance.now();
    let ok;
    try {
      ok = target(rng(s));
    } catch (e) {
      throw new Error(`${name}: input seed ${s} (case ${i}): ${e.message}`);
    }
    const ms = performance.now() - t0;
    if (ms > HANG_MS) throw new Error(`${name}: input seed ${s} took ${ms.toFixed(0)} ms`);
    tally.inputs++;
    tally.slowestMs = Math.max(tally.slowestMs, ms);
    ok ? tally.accepted++ : tally.rejected++;
  }
  return tally;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = Number(process.argv[2] ?? 10_000);
  for (const name of Object.keys(TARGETS)) {
    const t = fuzz(name, cases);
    console.log(`fuzz ${name}: ${t.inputs} inputs, ${t.accepted} accepted, ${t.rejected} refused with a message, 0 exceptions, slowest ${t.slowestMs.toFixed(1)} ms`);
  }
}
