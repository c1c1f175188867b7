// Seeded random-input tests of the page's own parsers: the URL hash and its settings' values
// (www/js/state.js), the compressed points of a link, the quoting of input in messages, and the CSV
// / paste importer (www/js/playground/csv.js). All are pure modules, so they run here in Node.
//
// Every input must either be accepted with a valid result or be refused with a short message;
// nothing may throw anything else, and nothing may take long. Inputs are random text biased
// towards each format's own characters, valid inputs damaged by random edits, numbers spelled in
// every way, long strings (up to about 1 MB) and floods (tens of thousands of unknown settings).
//
//   node tests/fuzz.mjs [cases]      prints one line per target (./build.sh fuzz runs 10,000)
//   tests/fuzz.test.mjs              the same with fewer cases, in ./build.sh test
import {
  PROPS, PROP, fromHash, toHash, parseValue, formatValue, defaults, MAX_POINTS, MAX_LINK_POINTS, MAX_PACKED,
  encodePoints, packPoints, unpackPoints,
} from '../www/js/state.js';
import { excerpt, quote, clipMessage, QUOTE_CHARS, MESSAGE_CHARS } from '../www/js/text.js';
import { PointsReader, SLICE_LINES, fitToPlane } from '../www/js/playground/csv.js';
// The gallery's seeded uniform generator: a failing input is reproduced from its seed.
import { uniform as rng } from '../www/js/gallery/latent.js';

/** The longest one input may take before it counts as a hang, in ms. */
const HANG_MS = 1000;
/** What the page aims at: no input holds its main thread longer than this, in ms. */
export const BLOCK_MS = 50;
/** The longest notice or refusal a parser may write (a sentence and a short excerpt of the input). */
const NOTICE_CHARS = 300;

/**
 * The longest stretch of parser work in the current input, in ms: what would hold the page's main
 * thread (making the input is not counted). Each target runs its parser calls through `timed`.
 */
let block = 0;
function timed(fn) {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    block = Math.max(block, performance.now() - t0);
  }
}
async function timedAsync(fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    block = Math.max(block, performance.now() - t0);
  }
}

export const pick = (r, list) => list[Math.floor(r() * list.length)];
export const int = (r, n) => Math.floor(r() * n);

/** Random text from `alphabet`, with a few arbitrary code points (lone surrogates included). */
export function text(r, alphabet, max) {
  let s = '';
  const n = int(r, max);
  for (let i = 0; i < n; i++) s += r() < 0.05 ? String.fromCharCode(int(r, 0x10000)) : pick(r, alphabet);
  return s;
}

/** A long string (up to `max` characters): one piece repeated, or random text repeated. */
function long(r, alphabet, max) {
  const piece = r() < 0.5 ? pick(r, alphabet) : text(r, alphabet, 40) || 'x';
  return piece.repeat(Math.ceil((1 + int(r, max)) / piece.length)).slice(0, max);
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

const NUMBERS = ['0', '1', '-1', '0.5', '1e3', '1e400', '-1e-400', 'NaN', 'Infinity', '-0', '.5', '5.', '+2', '0x10', '1_000', '٣', '1,5', ' 7 ', '99999999999999', '3e-7',
  '4096.0', '1.5e1', '+0', '00012', '1E+2', '10e-1', '2.50', '1e-1', '-0.0e5', '.0', '4096.0000001', '1e', 'e3', '.', '+', '--1', '1..2', '١٢'];

/** A number spelled one of many ways: sign, leading zeros, a point, trailing zeros, an exponent. */
function spelling(r) {
  const digits = (n) => Array.from({ length: n }, () => (r() < 0.3 ? '0' : String(int(r, 10)))).join('');
  let s = pick(r, ['', '', '+', '-']) + digits(int(r, 12));
  if (r() < 0.5) s += '.' + (r() < 0.5 ? '0'.repeat(int(r, 5)) : digits(int(r, 6)));
  if (r() < 0.4) s += pick(r, ['e', 'E']) + pick(r, ['', '+', '-']) + (r() < 0.1 ? digits(1 + int(r, 30)) : String(int(r, 12)));
  if (r() < 0.1) s = pick(r, [' ', '\t', '']) + s + pick(r, [' ', '']);
  if (r() < 0.05) s = damage(r, s, [...'0123456789.eE+-x_ ']);
  return s;
}

// ------------------------------------------------------------------ the URL hash

const HASH_ALPHABET = [...'&=%#,.-+_:0123456789eE abcxyz', ...PROPS.map((p) => p.key), 'pts', 'ptz', 'edits', ...NUMBERS, '%ZZ', '%E0%A4%A', '%26', '%3D', '%2C'];

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
  // Changes while training, of live settings, at rising iterations.
  const live = PROPS.filter((p) => p.change === 'live');
  const edits = [];
  for (let i = 0, at = 0, n = r() < 0.5 ? 0 : int(r, 6); i < n; i++) {
    const p = pick(r, live);
    at += int(r, 3) * int(r, 500);
    const value = p.type === 'int' ? p.min + int(r, p.max - p.min + 1) : p.type === 'float' ? Number((p.min + r() * (p.max - p.min)).toPrecision(3)) : p.type === 'enum' ? pick(r, p.options) : r() < 0.5;
    edits.push({ at, key: p.key, value });
  }
  return toHash(state, points, null, edits);
}

/** A hash with many unknown names, long names or long values, up to a little over the 64 kB a link may hold. */
function floodHash(r) {
  switch (int(r, 4)) {
    case 0: {
      const parts = [];
      for (let n = 0, max = int(r, 70_000); n < max; n += parts.at(-1).length + 1) parts.push(r() < 0.02 ? pick(r, PROPS).key + '=' + pick(r, NUMBERS) : `k${int(r, 1e6).toString(36)}${r() < 0.5 ? '=1' : ''}`);
      return parts.join('&');
    }
    case 1: return `${pick(r, PROPS).key}=${long(r, [...'0123456789.e+-', ...NUMBERS], 70_000)}`;
    case 2: return `${long(r, HASH_ALPHABET, 70_000)}=1&seed=2`;
    default: return Array.from({ length: 1 + int(r, 2000) }, () => `${pick(r, PROPS).key}=${r() < 0.5 ? spelling(r) : pick(r, NUMBERS)}`).join('&');
  }
}

/** A state is valid when every property's value would be accepted again as it stands. */
function checkState(state) {
  for (const p of PROPS) {
    const again = parseValue(p, formatValue(p, state[p.key]));
    if (again.error) throw new Error(`the parsed state holds an invalid ${p.key}: ${JSON.stringify(state[p.key])} (${again.error})`);
  }
}

/** Few notices, each a short sentence, whatever the input. */
function checkNotices(notices) {
  if (!Array.isArray(notices) || notices.some((n) => typeof n !== 'string' || n.length < 8)) throw new Error('a notice is not a sentence');
  if (notices.length > PROPS.length + 4) throw new Error(`${notices.length} notices`);
  const longest = notices.find((n) => n.length > NOTICE_CHARS);
  if (longest) throw new Error(`a notice of ${longest.length} characters`);
}

function hashTarget(r) {
  const k = r();
  const input = k < 0.3 ? text(r, HASH_ALPHABET, 30) : k < 0.8 ? damage(r, validHash(r), HASH_ALPHABET) : k < 0.9 ? validHash(r) : floodHash(r);
  const { state, points, packed, edits, notices } = timed(() => fromHash(input));
  checkState(state);
  for (const e of edits) {
    if (!Number.isSafeInteger(e.at) || e.at < 0 || PROP[e.key]?.change !== 'live' || parseValue(PROP[e.key], formatValue(PROP[e.key], e.value)).error) throw new Error(`an invalid change: ${JSON.stringify(e)}`);
  }
  checkNotices(notices);
  if (state.dataset === 'points' && !packed && !(points instanceof Float32Array && points.length >= 2 && points.length % 2 === 0)) throw new Error('drawn points without points');
  if (packed !== null && (state.dataset !== 'points' || points || typeof packed !== 'string' || packed.length > MAX_PACKED)) throw new Error('a packed point list it should not have');
  if (points && !points.every(Number.isFinite)) throw new Error('a non-finite point');
  // What the page writes back must read the same, with nothing to complain about.
  const again = fromHash(toHash(state, points, packed, edits));
  if (again.notices.length) throw new Error(`its own link gets notices: ${again.notices.join('; ')}`);
  for (const p of PROPS) if (formatValue(p, again.state[p.key]) !== formatValue(p, state[p.key])) throw new Error(`${p.key} does not round-trip`);
  if (JSON.stringify(again.edits) !== JSON.stringify(edits)) throw new Error('the changes while training do not round-trip');
  return notices.length === 0;
}

// ------------------------------------------------------------------ one setting's value

/** The exact value of a decimal spelling, by BigInt arithmetic: { whole, value (BigInt) } or { whole, huge }. */
function exact(s) {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(s);
  const mant = BigInt(m[2] + (m[3] ?? '') || '0');
  const sign = m[1] === '-' ? -1n : 1n;
  const exp = BigInt(m[4] ?? '0') - BigInt((m[3] ?? '').length);
  if (mant === 0n) return { whole: true, value: 0n };
  if (exp >= 0n) return exp > 40n ? { whole: true, huge: true } : { whole: true, value: sign * mant * 10n ** exp };
  if (-exp > BigInt(String(mant).length)) return { whole: false };
  const p = 10n ** -exp;
  return mant % p === 0n ? { whole: true, value: sign * (mant / p) } : { whole: false };
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * parseValue against an oracle: a whole-number setting takes a spelling exactly when it denotes a
 * whole number in range (worked out digit by digit, not with floats), with that value; a fraction
 * is "not a whole number"; a real-valued one takes any finite decimal in range.
 */
function valueTarget(r) {
  const p = pick(r, PROPS.filter((q) => q.type === 'int' || q.type === 'float'));
  const k = r();
  const s = k < 0.7 ? spelling(r) : k < 0.85 ? pick(r, NUMBERS) : k < 0.97 ? text(r, [...'0123456789.eE+- ', ...NUMBERS], 20) : long(r, [...'0123456789', '.', 'e', '1e', '0.'], 1_000_000);
  const got = timed(() => parseValue(p, s));
  if (got.error && (typeof got.error !== 'string' || got.error.length > NOTICE_CHARS)) throw new Error(`an unclear refusal: ${got.error}`);
  const t = s.trim();
  const [lo, hi] = [Math.min(p.min, p.off ?? p.min), Math.max(p.max, p.off ?? p.max)];
  if (p.type === 'int') {
    const e = NUMBER.test(t) ? exact(t) : { whole: false };
    if (!e.whole) {
      if (got.error !== `${p.label} must be a whole number`) throw new Error(`${JSON.stringify(s.slice(0, 80))} for ${p.key}: ${JSON.stringify(got)}, expected "must be a whole number"`);
      return false;
    }
    const inside = !e.huge && e.value >= BigInt(lo) && e.value <= BigInt(hi);
    if (inside !== !got.error) throw new Error(`${JSON.stringify(s.slice(0, 80))} for ${p.key}: ${JSON.stringify(got)}, expected ${inside ? Number(e.value) : 'out of range'}`);
    if (inside && !Object.is(got.value, Number(e.value))) throw new Error(`${JSON.stringify(s)} for ${p.key} read as ${got.value}, not ${e.value}`);
    if (!inside && !got.error.includes('must be')) throw new Error(`a whole number out of range: ${got.error}`);
    return inside;
  }
  const v = NUMBER.test(t) ? Number(t) : NaN;
  const ok = Number.isFinite(v) && v >= lo && v <= hi && (v === p.off || (v >= p.min && v <= p.max));
  if (ok !== !got.error || (ok && got.value !== v)) throw new Error(`${JSON.stringify(s.slice(0, 80))} for ${p.key}: ${JSON.stringify(got)}, expected ${ok ? v : 'a refusal'}`);
  return ok;
}

// ------------------------------------------------------------------ quoting input in messages

const QUOTE_ALPHABET = [...'abc xyz"\\,.:{}0123456789', '\u0000', '\n', '\t', '\u202e', '\u2066', '\u200b', '\ufeff', '\u2028', '\u0085', '\ud83d\ude00', '\ud800', '\udfff', 'é', '中'];
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/;

/** Whether `s` has a lone surrogate. */
function loneSurrogate(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      if ((s.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * excerpt, quote and clipMessage: short whatever the input (1 MB included), nothing hidden or
 * direction-changing left in, and a faithful start of the input.
 */
function quoteTarget(r) {
  const s = r() < 0.9 ? text(r, QUOTE_ALPHABET, 200) : long(r, QUOTE_ALPHABET, 1_000_000);
  const max = r() < 0.5 ? QUOTE_CHARS : 1 + int(r, 200);
  const out = timed(() => excerpt(s, max));
  if (out.length > max + 1) throw new Error(`an excerpt of ${out.length} characters (at most ${max})`);
  if (HIDDEN.test(out) || loneSurrogate(out)) throw new Error(`a hidden character left in ${JSON.stringify(out)}`);
  const cut = out.endsWith('…') && !(s.length <= max && s.endsWith('…') && out === s);
  const shown = out.replace(/…$/, (m) => (cut ? '' : m)).replace(/\\u\{([0-9a-f]+)\}/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
  if (!s.includes('\\u{') && !s.startsWith(shown)) throw new Error(`${JSON.stringify(out)} is not the start of the input`);
  if (!HIDDEN.test(s) && !loneSurrogate(s) && s.length <= max && out !== s) throw new Error(`a short plain input changed: ${JSON.stringify(out)}`);
  if (quote(s, max) !== `"${out}"`) throw new Error('quote is not the excerpt in quotes');
  const message = `the file: ${s}. The model stays.`;
  const line = timed(() => clipMessage(message));
  if (line.length > MESSAGE_CHARS + 1) throw new Error(`a message line of ${line.length} characters`);
  if (HIDDEN.test(line) || loneSurrogate(line)) throw new Error(`a hidden character left in a message line: ${JSON.stringify(line.slice(0, 80))}`);
  for (const run of line.split('"').filter((_, i) => i % 2 === 1)) {
    if (run.replace(/\\u\{[0-9a-f]+\}/g, '.').length > QUOTE_CHARS + 1) throw new Error(`a quoted run of ${run.length} characters`);
  }
  if (clipMessage(line) !== line && line.length <= MESSAGE_CHARS) throw new Error(`clipping twice changes ${JSON.stringify(line.slice(0, 80))}`);
  return !cut;
}

// ------------------------------------------------------------------ the CSV / paste importer

const CSV_ALPHABET = [...NUMBERS, ',', ';', '\t', ' ', '\n', '\r\n', '\r', '#', 'x', 'y', '"', '""', '"1.5"', '"x"', 'x,y\n', '"x","y"\n', '\u00a0', '\ufeff'];

/** A valid CSV text and the points it holds (quoted cells some of the time). */
function validCsv(r) {
  const points = [];
  const quoted = r() < 0.4;
  const q = (c) => (quoted && r() < 0.7 ? `"${pick(r, ['', ' '])}${c}${pick(r, ['', ' '])}"` : c);
  const rows = Array.from({ length: 1 + int(r, 30) }, () => {
    const x = (r() * 10 - 5).toFixed(int(r, 6));
    const y = (r() * 10 - 5).toExponential(int(r, 4));
    points.push(Number(x), Number(y));
    return `${q(x)}${pick(r, [',', ';', '\t', ' ', ', '])}${q(y)}`;
  });
  const header = r() < 0.3 ? pick(r, ['x,y', '"x","y"', 'a;b', '"first x" "first y"']) : null;
  if (header) rows.unshift(header);
  if (r() < 0.2) rows.splice(int(r, rows.length) + 1, 0, '# a comment', '');
  return { text: rows.join(pick(r, ['\n', '\r\n', '\r'])), points, header };
}

/** A large CSV input: a long line, many rows, or many cells in one row. */
function longCsv(r) {
  switch (int(r, 4)) {
    case 0: return long(r, CSV_ALPHABET, 1_000_000);
    case 1: return '1' + ' '.repeat(int(r, 1_000_000)) + pick(r, ['2', '"2"', 'x']);
    case 2: return pick(r, ['1,', '"1",', '1;', '"']).repeat(int(r, 300_000));
    default: return Array.from({ length: int(r, 20_000) }, () => `${spelling(r)},${spelling(r)}`).join('\n');
  }
}

function csvTarget(r) {
  const k = r();
  const valid = k >= 0.3 && k < 0.95 ? validCsv(r) : null;
  const input = k < 0.3 ? text(r, CSV_ALPHABET, 60) : k < 0.85 ? damage(r, valid.text, CSV_ALPHABET) : k < 0.95 ? valid.text : longCsv(r);
  let parsed;
  try {
    // As the page reads it: a slice of lines at a time (see readPoints), each slice one stretch of work.
    const reader = timed(() => new PointsReader(input));
    while (!timed(() => reader.read(SLICE_LINES)));
    parsed = timed(() => reader.result());
  } catch (e) {
    if (!(e instanceof Error) || e.message.length < 8) throw new Error(`an unclear refusal: ${e}`);
    if (e.message.length > NOTICE_CHARS) throw new Error(`a refusal of ${e.message.length} characters`);
    if (input === valid?.text) throw new Error(`a valid CSV refused: ${e.message}`);
    return false;
  }
  const { points, header } = parsed;
  if (!(points instanceof Float32Array) || points.length < 2 || points.length % 2 || points.length > 2 * MAX_POINTS) throw new Error(`bad points (${points?.length})`);
  // Float32 rounds huge finite doubles to Infinity: the importer must not pass those on.
  if (!points.every(Number.isFinite)) throw new Error('a non-finite point was accepted');
  if (input === valid?.text) {
    // Undamaged: exactly its points, and its header named.
    const want = Float32Array.from(valid.points);
    if (want.length !== points.length || want.some((v, i) => !Object.is(v, points[i]))) throw new Error('a valid CSV read as other points');
    if (header !== valid.header) throw new Error(`header ${JSON.stringify(header)}, expected ${JSON.stringify(valid.header)}`);
  }
  const fitted = fitToPlane(points).points;
  if (!fitted.every((v) => Math.abs(v) <= 3)) throw new Error('fitToPlane left a point outside the plane');
  return true;
}

// ------------------------------------------------------------------ points in links

/** The plain point link on its own: random base64url text. */
function pointsTarget(r) {
  const input = r() < 0.5 ? text(r, [...'ABCDEFabcdef0123456789-_=+/'], 40) : damage(r, encodePoints(Float32Array.from({ length: 2 * (1 + int(r, 20)) }, () => r() * 6 - 3)), ['A', '_', '-', '=']);
  const { state, points, notices } = timed(() => fromHash(`dataset=points&pts=${input}`));
  if (state.dataset === 'points' && (!points || points.length % 2)) throw new Error('points dataset without whole points');
  if (points && !points.every((v) => Math.abs(v) <= 3)) throw new Error('a point outside the plane');
  checkNotices(notices);
  return notices.length === 0;
}

/** Base64url of raw deflate data that inflates to `n` zero bytes (a "zip bomb" when n is large). */
async function zeros(n) {
  const deflated = await new Response(new Blob([new Uint8Array(n)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
  return Buffer.from(deflated).toString('base64url');
}

/**
 * The compressed point link (`ptz=`): a cloud packs and unpacks to itself (within the 16-bit
 * quantisation) or is too large to pack; damaged or random text is refused with a reason; text that
 * inflates past the limit stops there.
 */
async function packedTarget(r) {
  const k = r();
  if (k < 0.35) {
    const n = 1 + int(r, r() < 0.9 ? 6000 : 40_000);
    const clustered = r() < 0.5;
    const points = Float32Array.from({ length: 2 * n }, (_, i) => (clustered ? Math.round((r() * 6 - 3) * 20) / 20 + (i % 2) * 0.01 : r() * 7 - 3.5));
    const packed = await timedAsync(() => packPoints(points));
    if (packed === null) {
      // Even incompressible, 11,000 points (44 kB, 58.7 k characters of base64) fit in MAX_PACKED.
      if (n <= 11_000) throw new Error(`${n} points do not pack`);
      return false;
    }
    if (packed.length > MAX_PACKED || !/^[A-Za-z0-9_-]+$/.test(packed)) throw new Error('a packed text unfit for a link');
    const back = await timedAsync(() => unpackPoints(packed));
    if (!back.points || back.points.length !== points.length) throw new Error(`packed points came back as ${back.error ?? back.points.length}`);
    for (let i = 0; i < points.length; i++) {
      if (Math.abs(back.points[i] - Math.max(-3, Math.min(3, points[i]))) > 3 / 32767) throw new Error(`point ${i} moved: ${points[i]} → ${back.points[i]}`);
    }
    const { points: fromLink, packed: again } = fromHash(toHash({ ...defaults(), dataset: 'points' }, points, packed));
    if (n > MAX_LINK_POINTS ? again !== packed : !fromLink) throw new Error('the link lost its points');
    return true;
  }
  const input =
    k < 0.55 ? text(r, [...'ABCDEFabcdef0123456789-_=+/'], 200)
      : k < 0.85 ? damage(r, await packPoints(Float32Array.from({ length: 2 * (1 + int(r, 300)) }, () => r() * 6 - 3)), ['A', '_', '-', '=', 'z'])
        : await zeros(pick(r, [0, 3, 4, 4 * MAX_POINTS, 4 * MAX_POINTS + 4, 8 * MAX_POINTS, 10 * 1024 * 1024]));
  const got = await timedAsync(() => unpackPoints(input));
  if (got.error) {
    if (typeof got.error !== 'string' || got.error.length < 8 || got.error.length > NOTICE_CHARS) throw new Error(`an unclear refusal: ${got.error}`);
    return false;
  }
  if (!(got.points instanceof Float32Array) || got.points.length < 2 || got.points.length % 2 || got.points.length > 2 * MAX_POINTS) throw new Error(`bad points (${got.points?.length})`);
  if (!got.points.every((v) => Math.abs(v) <= 3)) throw new Error('a point outside the plane');
  return true;
}

export const TARGETS = {
  'url-hash': hashTarget,
  'setting-value': valueTarget,
  'message-quote': quoteTarget,
  'csv-import': csvTarget,
  'link-points': pointsTarget,
  'link-packed': packedTarget,
};

/**
 * Runs `cases` inputs of one target; resolves to the tally (with the longest stretch of parser
 * work any input caused, and that input's seed), or rejects with the seed of the first failure.
 */
export async function fuzz(name, cases, seed = 1) {
  const target = TARGETS[name];
  const tally = { target: name, inputs: 0, accepted: 0, rejected: 0, slowestMs: 0, slowestSeed: null };
  for (let i = 0; i < cases; i++) {
    const s = (seed * 1_000_003 + i) >>> 0;
    block = 0;
    let ok;
    try {
      ok = await target(rng(s));
    } catch (e) {
      throw new Error(`${name}: input seed ${s} (case ${i}): ${e.message}`);
    }
    const ms = block;
    if (ms > HANG_MS) throw new Error(`${name}: input seed ${s} took ${ms.toFixed(0)} ms`);
    tally.inputs++;
    if (ms > tally.slowestMs) Object.assign(tally, { slowestMs: ms, slowestSeed: s });
    ok ? tally.accepted++ : tally.rejected++;
  }
  return tally;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = Number(process.argv[2] ?? 10_000);
  let worst = { slowestMs: 0 };
  for (const name of Object.keys(TARGETS)) {
    const t = await fuzz(name, cases);
    if (t.slowestMs > worst.slowestMs) worst = t;
    console.log(`fuzz ${name}: ${t.inputs} inputs, ${t.accepted} accepted, ${t.rejected} refused with a message, 0 exceptions, longest block ${t.slowestMs.toFixed(1)} ms (seed ${t.slowestSeed})`);
  }
  console.log(`fuzz: the longest stretch of parser work any input caused: ${worst.slowestMs.toFixed(1)} ms (${worst.target}, seed ${worst.slowestSeed}); the page's aim is under ${BLOCK_MS} ms`);
}
