// Seeded random-input tests of the gallery's model-list checks (www/js/gallery/manifest.js, a pure
// module the worker and the page share), run here in Node.
//
// Every input must be accepted with a valid result or refused with a short message; nothing may
// throw anything else, and nothing may take long. Inputs: the shipped manifest with fields forged
// (wrong types, numeric spellings, long strings up to ~1 MB, prototype keys, path tricks), damaged
// manifest text, and random file names and strings. The time of an input is that of its check
// (for the model list: what the worker does, JSON.parse included), the better of two runs when over
// 5 ms.
//
//   node tests/fuzz-gallery.mjs [cases]   prints one line per target (10,000 each by default)
//   tests/fuzz-gallery.test.mjs           the same with fewer cases, in ./build.sh test
import { readFileSync } from 'node:fs';
import { readManifest, checkEntry, modelFileUrl, MAX_ENTRIES, MAX_MODEL_BYTES, MAX_CLASSES, MAX_MANIFEST_BYTES } from '../www/js/gallery/manifest.js';
import { excerpt } from '../www/js/text.js';
// The page fuzzer's random-input helpers (its main run only starts when it is run itself).
import { pick, int, text } from './fuzz.mjs';
import { uniform as rng } from '../www/js/gallery/latent.js';

/** The longest one input may take before it counts as a hang, in ms. */
const HANG_MS = 1000;
/** The longest message an input may get (the excerpts keep them short, whatever the input). */
const MAX_MESSAGE = 400;
const MODELS = 'https://ganplay.example/site/models/';
const SHIPPED = JSON.parse(readFileSync(new URL('../www/models/manifest.json', import.meta.url), 'utf8'));
const FIELDS = ['id', 'label', 'file', 'bytes', 'preview', 'size', 'channels', 'latent_dim', 'classes', 'dataset', 'licence', 'steps', 'metrics'];
const KEYS = new Set([...FIELDS, 'index']);
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A long string, up to about 1 MB: a repeated piece (fast to make), sometimes with a tail. */
function long(r) {
  const piece = pick(r, ['x', 'ab', '../', '%2e%2e/', '\u202e', '\n', '\u0000', '😀', 'digits', '\\', '/', '"']);
  const n = pick(r, [61, 200, 201, 4096, 100_000, 1_000_000]);
  return piece.repeat(Math.ceil(n / piece.length)).slice(0, n) + (r() < 0.5 ? '.gpk' : '');
}

const NUMBERS = ['28', ' 28', '28 ', '2.8e1', '0x1c', '028', '28.0', '+28', '-28', '1e400', 'NaN', 'Infinity', '١٢', '1_000', '1,205,903', '', '0', '-0'];
const NUMERIC = [0, -0, 1, -1, 0.5, 28, 28.000001, 32, 3, 2, 64, 1e21, 2e6, 2e6 + 1, 1205903, Number.MAX_SAFE_INTEGER, 2 ** 53, -1e-300, 1e308];
const PATHS = [
  'digits.gpk', 'sub/x.gpk', 'x.GPK', '../x.gpk', '..\\x.gpk', '%2e%2e/x.gpk', '%2E%2E%2Fx.gpk', '.%2e/x.gpk', '/models/x.gpk', '//host/x.gpk',
  'http://127.0.0.1:8099/x.gpk', 'https:x.gpk', 'data:,x.gpk', 'blob:x.gpk', 'javascript:x.gpk', 'x.gpk?v=1', 'x.gpk#a', 'a//b.gpk', './x.gpk',
  'a/./b.gpk', 'a/../b.gpk', ' x.gpk', 'x.gpk ', 'x\u0000.gpk', 'x\n.gpk', 'ⅹ.gpk', 'x.png', 'x.gpk.png', 'C:\\x.gpk', '\\\\host\\x.gpk', 'x', '', '.gpk',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Any value: the wrong types, numeric spellings, long strings, objects with prototype keys. */
function value(r, field) {
  switch (int(r, 10)) {
    case 0: return pick(r, [null, true, false, [], {}, [[]], [null], { length: 3 }]);
    case 1: return pick(r, NUMBERS);
    case 2: return pick(r, NUMERIC);
    case 3: return long(r);
    case 4: return pick(r, PATHS);
    case 5: return JSON.parse(`{"${pick(r, PROTO_KEYS)}": ${JSON.stringify(Object.hasOwn(SHIPPED.models[0], field) ? SHIPPED.models[0][field] : 1)}}`);
    case 6: return Array.from({ length: pick(r, [0, 1, 10, MAX_CLASSES, MAX_CLASSES + 1]) }, (_, i) => (r() < 0.97 ? `c${i}` : pick(r, [7, null, '', long(r)])));
    case 7: return text(r, [...'abc09-_./%\\:?#', '..', '\u202e', ' '], 30);
    case 8: return undefined;
    default: {
      const m = pick(r, SHIPPED.models);
      const f = pick(r, FIELDS);
      return structuredClone(m[f]);
    }
  }
}

/** A shipped entry with a few fields forged, removed, or joined by prototype keys. */
function entry(r) {
  const e = structuredClone(pick(r, SHIPPED.models));
  for (let k = int(r, 4); k >= 0; k--) {
    const f = r() < 0.9 ? pick(r, FIELDS) : pick(r, PROTO_KEYS);
    let v = value(r, f);
    // Quality figures with one of them forged (the others as the list has them).
    if (f === 'metrics' && r() < 0.5) v = { ...e.metrics, [pick(r, ['requested_class_share', 'real_requested_class_share', 'frechet_ratio', 'samples', 'per_class', 'reference'])]: r() < 0.2 ? pick(r, ['held_out', 'other_styles', 'Held_out', '']) : value(r, f) };
    if (v === undefined) delete e[f];
    else Object.defineProperty(e, f, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return e;
}

/** A manifest's text: the shipped one forged, sometimes damaged as text, sometimes a prototype trick. */
function manifestText(r) {
  const k = r();
  if (k < 0.05) return pick(r, ['', 'null', '[]', '{}', '{"models": null}', '{"models": {}}', '{"models": []}', '{"__proto__": {"models": [{}]}}', '{"constructor": {"models": []}}', '"models"', '1e400']);
  const n = r() < 0.03 ? pick(r, [MAX_ENTRIES, MAX_ENTRIES + 1, 2000]) : 1 + int(r, 6);
  // A long list is of plain entries with their own ids (and a forged one here and there).
  const models = n > 6
    ? Array.from({ length: n }, (_, i) => (r() < 0.1 ? { ...pick(r, SHIPPED.models), id: pick(r, ['x', `m${i - 1}`, 7]) } : { ...pick(r, SHIPPED.models), id: `m${i}` }))
    : Array.from({ length: n }, () => (r() < 0.85 ? entry(r) : value(r, 'id') ?? null));
  let s = JSON.stringify({ models });
  if (r() < 0.15) {
    // Damage the text: the worker refuses what JSON.parse refuses.
    for (let j = 1 + int(r, 3); j > 0; j--) {
      const i = int(r, s.length);
      s = s.slice(0, i) + pick(r, ['"', '{', '}', ',', ']', '\\', '1e999', '']) + s.slice(i + 1 + int(r, 4));
    }
  }
  return s;
}

function checkMessage(m, what) {
  if (typeof m !== 'string' || m.length < 8) throw new Error(`${what}: an unclear message ${JSON.stringify(m)}`);
  if (m.length > MAX_MESSAGE) throw new Error(`${what}: a message of ${m.length} characters: ${m.slice(0, 80)}…`);
  if (UNSAFE.test(m)) throw new Error(`${what}: a message with an unescaped control character: ${JSON.stringify(m.slice(0, 80))}`);
}

/** An accepted entry must be what the page and the worker rely on. */
function checkAccepted(e) {
  for (const k of Object.keys(e)) if (!KEYS.has(k)) throw new Error(`an accepted entry has the field "${k}"`);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(e.id)) throw new Error(`an accepted id ${JSON.stringify(excerpt(e.id))}`);
  if (typeof e.label !== 'string' || !e.label.trim() || e.label.length > 60) throw new Error('an accepted label');
  for (const [f, endings] of [['file', ['.gpk']], ['preview', ['.png', '.jpg', '.jpeg', '.webp']]]) {
    if (f === 'preview' && e.preview === undefined) continue;
    const url = modelFileUrl(e[f], MODELS, endings);
    if (url.origin !== 'https://ganplay.example' || !url.pathname.startsWith('/site/models/') || url.pathname.includes('..') || url.search || url.hash) {
      throw new Error(`an accepted ${f} leads to ${url.href}`);
    }
  }
  if (!Number.isInteger(e.bytes) || e.bytes < 1 || e.bytes > MAX_MODEL_BYTES) throw new Error(`accepted bytes ${e.bytes}`);
  for (const f of ['size', 'channels', 'latent_dim', 'steps']) if (!Number.isInteger(e[f]) || e[f] < 0) throw new Error(`accepted ${f} ${e[f]}`);
  if (![1, 3].includes(e.channels)) throw new Error(`accepted channels ${e.channels}`);
  if (!Array.isArray(e.classes) || e.classes.length > MAX_CLASSES || !e.classes.every((c) => typeof c === 'string' && c && c.length <= 60)) throw new Error('accepted classes');
  if (typeof e.dataset !== 'string' || typeof e.licence !== 'string') throw new Error('accepted dataset or licence');
  if (e.metrics !== undefined) {
    const m = e.metrics;
    const shares = [m.requested_class_share, m.real_requested_class_share];
    const fine = shares.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) && m.frechet_ratio > 0 && m.frechet_ratio < 1e6 && Number.isInteger(m.samples) && m.samples > 0
      && Number.isInteger(m.per_class) && m.per_class > 0 && m.per_class <= m.samples && ['held_out', 'other_styles'].includes(m.reference);
    if (Object.keys(m).length !== 6 || !fine) {
      throw new Error(`accepted metrics ${excerpt(JSON.stringify(m))}`);
    }
  }
  // The worker checks the page's copy again: an accepted entry must pass a second time, unchanged.
  const { index, ...rest } = e;
  const again = checkEntry(rest, MODELS);
  if (JSON.stringify(again) !== JSON.stringify(rest)) throw new Error('an accepted entry changes when checked again');
}

const count = { entriesAccepted: 0, entriesRefused: 0 };

function manifestTarget(input) {
  // As the worker: a list over 4 MB is not read, so not parsed.
  if (input.length > MAX_MANIFEST_BYTES || Buffer.byteLength(input) > MAX_MANIFEST_BYTES) return false;
  let data;
  try {
    data = JSON.parse(input);
  } catch {
    return false; // the worker's "is not valid JSON"
  }
  let list;
  try {
    list = readManifest(data, MODELS);
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${e}`);
    checkMessage(e.message, 'the list');
    return false;
  }
  const { entries, refused, ignored, total } = list;
  if (entries.length + refused.length !== Math.min(total, MAX_ENTRIES) || ignored !== total - Math.min(total, MAX_ENTRIES)) throw new Error('entries are lost or counted twice');
  if (new Set(entries.map((e) => e.id)).size !== entries.length) throw new Error('two accepted entries share an id');
  entries.forEach(checkAccepted);
  for (const x of refused) {
    checkMessage(x.reason, `entry ${x.index + 1}`);
    checkMessage(x.short, `entry ${x.index + 1}'s short reason`);
    if (x.short.length > 90) throw new Error(`a short reason of ${x.short.length} characters`);
    if (x.name.length > 70 || x.label.length > 70 || (x.id !== null && x.id.length > 41)) throw new Error(`a long name for a refused entry: ${x.name.slice(0, 80)}`);
  }
  count.entriesAccepted += entries.length;
  count.entriesRefused += refused.length;
  return entries.length > 0;
}

/** A file name alone: random path text, biased to the tricks. */
function pathInput(r) {
  const k = r();
  return k < 0.3 ? pick(r, PATHS) : k < 0.9 ? text(r, [...'ab./\\%2eE:?#@ ', '..', '%2e', '%2f', '%5c', '//', 'gpk', '.gpk', 'http:', '\u0000'], 24) + (r() < 0.5 ? '.gpk' : '') : long(r);
}

function pathTarget(input) {
  let url;
  try {
    url = modelFileUrl(input, MODELS);
  } catch (e) {
    checkMessage(e.message, 'a file name');
    return false;
  }
  let decoded;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    throw new Error(`an accepted path does not decode: ${url.pathname}`);
  }
  if (url.origin !== 'https://ganplay.example' || !url.pathname.startsWith('/site/models/') || /(^|\/)\.\.?(\/|$)|\\/.test(decoded) || url.search || url.hash) {
    throw new Error(`${JSON.stringify(input)} was accepted as ${url.href}`);
  }
  return true;
}

/** The excerpt helper: short, and no control or direction characters, whatever it is given. */
function excerptInput(r) {
  const input = r() < 0.3 ? long(r) : r() < 0.5 ? text(r, ['a', '\n', '\u202e', '\ud83d', '\ude00', '😀', '\u0000', '\u2028', 'é'], 150) : value(r, 'label');
  return { input, max: pick(r, [1, 20, 60, 160]) };
}

function excerptTarget({ input, max }) {
  const out = excerpt(input, max);
  if (typeof out !== 'string') throw new Error('not a string');
  if (UNSAFE.test(out)) throw new Error(`an unescaped character in ${JSON.stringify(out)}`);
  // At most `max` characters (escapes included), plus the "…"; a type name for what is not text.
  if (typeof input === 'string' && out.length > max + 1) throw new Error(`${out.length} characters for a maximum of ${max}`);
  if (typeof input === 'string' && out.length <= max && out !== input && !UNSAFE.test(input) && !/[\u00ad\u061c\u200b-\u200f\u2060-\u2065\ufeff\ud800-\udfff]/.test(input)) throw new Error('a short, plain input was changed');
  return typeof input === 'string' && !out.endsWith('…');
}

/**
 * Each target: `make(r)` an input from a seeded generator (not timed), `run(input)` checks it (timed:
 * for the manifest this is what the worker does, JSON.parse included) and says whether it was
 * accepted; `words` name the two outcomes.
 */
export const TARGETS = {
  'gallery-manifest': { make: manifestText, run: manifestTarget, words: ['accepted (one usable entry or more)', 'refused with a message'] },
  'gallery-file-path': { make: pathInput, run: pathTarget, words: ['accepted', 'refused with a message'] },
  'gallery-excerpt': { make: excerptInput, run: excerptTarget, words: ['quoted whole', 'cut or escaped'] },
};

/** Runs `cases` inputs of one target; returns the tally, or throws with the seed of the first failure. */
export function fuzz(name, cases, seed = 1) {
  const target = TARGETS[name];
  const tally = { target: name, inputs: 0, accepted: 0, rejected: 0, slowestMs: 0 };
  count.entriesAccepted = count.entriesRefused = 0;
  for (let i = 0; i < cases; i++) {
    const s = (seed * 1_000_003 + i) >>> 0;
    let ok, ms;
    try {
      const input = target.make(rng(s));
      let t0 = performance.now();
      ok = target.run(input);
      ms = performance.now() - t0;
      // A slow one runs again: a pause of the garbage collector is not the input's doing.
      if (ms > 5) {
        const kept = { ...count };
        t0 = performance.now();
        target.run(input);
        ms = Math.min(ms, performance.now() - t0);
        Object.assign(count, kept);
      }
    } catch (e) {
      throw new Error(`${name}: input seed ${s} (case ${i}): ${e.message}`);
    }
    if (ms > HANG_MS) throw new Error(`${name}: input seed ${s} took ${ms.toFixed(0)} ms`);
    tally.inputs++;
    tally.slowestMs = Math.max(tally.slowestMs, ms);
    ok ? tally.accepted++ : tally.rejected++;
  }
  if (name === 'gallery-manifest') Object.assign(tally, count);
  return tally;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = Number(process.argv[2] ?? 10_000);
  for (const name of Object.keys(TARGETS)) {
    const t = fuzz(name, cases);
    const entries = t.entriesAccepted === undefined ? '' : ` (entries: ${t.entriesAccepted} accepted, ${t.entriesRefused} refused)`;
    const [yes, no] = TARGETS[name].words;
    console.log(`fuzz ${name}: ${t.inputs} inputs, ${t.accepted} ${yes}, ${t.rejected} ${no}${entries}, 0 exceptions, slowest ${t.slowestMs.toFixed(1)} ms`);
  }
}
