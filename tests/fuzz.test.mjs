// The seeded random-input tests of tests/fuzz.mjs, fewer cases (./build.sh fuzz runs 10,000 each),
// and the inputs they found, kept as regression tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { fuzz, TARGETS, BLOCK_MS } from './fuzz.mjs';
import { parsePoints, readPoints } from '../www/js/playground/csv.js';
import { PROP, parseValue, fromHash, toHash, defaults, decodePoints, packPoints, unpackPoints } from '../www/js/state.js';
import { excerpt, quote, clipMessage } from '../www/js/text.js';

for (const name of Object.keys(TARGETS)) {
  test(`fuzz ${name}: 1,000 seeded inputs, each accepted validly or refused with a message`, async () => {
    const t = await fuzz(name, 1000, 7);
    assert.equal(t.inputs, 1000);
    // Both outcomes occur: a generator that only makes garbage (or only valid input) tests little.
    assert.ok(t.accepted > 20 && t.rejected > 20, JSON.stringify(t));
    // No input holds the parser long (the page aims at BLOCK_MS; this leaves room for a loaded machine).
    assert.ok(t.slowestMs < 5 * BLOCK_MS, `seed ${t.slowestSeed} took ${t.slowestMs.toFixed(0)} ms`);
  });
}

test('found by fuzzing: a number beyond the 32-bit float range is refused, not stored as infinity', () => {
  assert.throws(() => parsePoints('1e39,0'), /line 1: "1e39" is too large/);
  assert.throws(() => parsePoints('0,0\n0,-5e300'), /line 2: "-5e300" is too large/);
  assert.deepEqual(Array.from(parsePoints('3e38,-3e38').points).map(Number.isFinite), [true, true]);
});

test('whole-number settings take every spelling of a whole number, and call a fraction what it is', () => {
  assert.deepEqual(parseValue(PROP.batch, '4096.0'), { value: 4096 });
  for (const [text, value] of [['1e3', 1000], ['+2', 2], ['1.5e1', 15], ['00012', 12], ['10e-1', 1], ['-0', 0], ['.0e5', 0]]) assert.deepEqual(parseValue(PROP.seed, text), { value }, text);
  assert.ok(Object.is(parseValue(PROP.seed, '-0').value, 0), '-0 is read as 0');
  for (const text of ['2.5', '1e-1', '4096.0000001', '0x10', '1_000', '', 'abc']) assert.deepEqual(parseValue(PROP.batch, text), { error: 'Batch size must be a whole number' }, text);
  for (const text of ['4097', '1e4', '0', '1e400']) assert.deepEqual(parseValue(PROP.batch, text), { error: 'Batch size must be in 1–4096' }, text);
  assert.deepEqual(fromHash('#batch=4096.0&seed=1e3&kd=+2').notices, []);
});

test('found with long inputs: a long run of digits no longer takes quadratic time to refuse', () => {
  // The old pattern /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/ split a digit run two ways: 20,000 digits took 0.5 s.
  const t0 = performance.now();
  assert.ok(parseValue(PROP.seed, `${'1'.repeat(64_000)}x`).error);
  assert.throws(() => parsePoints(`${'1'.repeat(1_000_000)}x,1`), /is not a finite number/);
  assert.ok(performance.now() - t0 < 200, `${performance.now() - t0} ms`);
});

test('a flood of unknown settings is one notice that counts them and names a few', () => {
  const keys = Array.from({ length: 32_700 }, (_, i) => `k${i}`);
  const { notices } = fromHash(keys.join('&').slice(0, 64 * 1024));
  assert.equal(notices.length, 1);
  assert.match(notices[0], /^ignored [\d,]+ unknown settings: "k0", "k1", "k2", "k3", "k4" and [\d,]+ more$/);
  assert.deepEqual(fromHash('#x=1&seed=2').notices, ['ignored unknown setting "x"']);
  // The same setting wrong many times: one notice, the last wrong value's.
  assert.deepEqual(fromHash(Array.from({ length: 1000 }, () => 'seed=x').join('&')).notices, ['ignored seed: Seed must be a whole number']);
  assert.deepEqual(fromHash(`${Array.from({ length: 500 }, () => '%ZZ').join('&')}`).notices, ['ignored a malformed part of the link: "%ZZ" (and 499 more)']);
});

test('messages quote input as a short excerpt, with hidden characters shown', () => {
  assert.equal(excerpt('a'.repeat(100)), `${'a'.repeat(60)}…`);
  assert.equal(quote('x\u202ey\u0000'), '"x\\u{202e}y\\u{0}"');
  assert.equal(excerpt('\ud83d\ude00'.repeat(40), 5), '\ud83d\ude00\ud83d\ude00…', 'a surrogate pair is never cut in half');
  assert.equal(excerpt('\ud800x'), '\\u{d800}x');
  const huge = `not a ganplay model file: its format is "${'A'.repeat(10 * 1024 * 1024)}" (expected "ganplay-2d")`;
  const t0 = performance.now();
  assert.equal(clipMessage(huge), `not a ganplay model file: its format is "${'A'.repeat(60)}…" (expected "ganplay-2d")`);
  assert.ok(performance.now() - t0 < 50);
  assert.equal(clipMessage('x'.repeat(5000)).length, 601);
  assert.throws(() => parsePoints(`1,2\n${'z'.repeat(1e6)},3`), (e) => e.message === `line 2: "${'z'.repeat(30)}…" is not a finite number`);
});

test('CSV: quoted cells are read as numbers, and a header row is reported', async () => {
  assert.deepEqual(parsePoints('"1.5","2"\n3,4'), { points: Float32Array.from([1.5, 2, 3, 4]), header: null });
  assert.deepEqual(parsePoints('"x","y"\n1,2'), { points: Float32Array.from([1, 2]), header: '"x","y"' });
  assert.deepEqual(parsePoints('x;y\r\n" 1 "; "-2"'), { points: Float32Array.from([1, -2]), header: 'x;y' });
  assert.throws(() => parsePoints('"1,5",2'), /line 1: "1,5" is not a finite number \(write decimals with a point/);
  assert.throws(() => parsePoints('"1.5,2'), /line 1: a quote mark is not closed/);
  assert.throws(() => parsePoints('1"5,2'), /line 1: a quote mark in the middle of a value/);
  assert.throws(() => parsePoints('x,y'), /no points found after the header "x,y"/);
  // The page reads in slices: the same result.
  const rows = Array.from({ length: 30_000 }, (_, i) => `"${i % 7}",${i % 5}`).join('\n');
  assert.deepEqual(await readPoints(rows), parsePoints(rows));
});

test('found by fuzzing: the 16-bit code -32768 is read as -3, inside the plane', () => {
  assert.deepEqual(Array.from(decodePoints('AIAAgA').points), [-3, -3]);
});

test('compressed points in links: a cloud over 2,000 points travels as ptz=, and comes back within the quantisation', async () => {
  const points = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i * 12.9898) * 2.9);
  const packed = await packPoints(points);
  const hash = toHash({ ...defaults(), dataset: 'points' }, points, packed);
  assert.match(hash, /&ptz=[A-Za-z0-9_-]+$/);
  assert.doesNotMatch(hash, /pts=/);
  const read = fromHash(hash);
  assert.equal(read.packed, packed);
  assert.equal(read.state.dataset, 'points');
  assert.deepEqual(read.notices, []);
  const back = await unpackPoints(read.packed);
  assert.equal(back.points.length, points.length);
  assert.ok(back.points.every((v, i) => Math.abs(v - points[i]) <= 3 / 32767));
  // Too many to fit: no ptz, and packPoints says so with null.
  assert.equal(await packPoints(Float32Array.from({ length: 200_000 }, (_, i) => Math.sin(i * 12.9898) * 2.9)), null);
  assert.match(toHash({ ...defaults(), dataset: 'points' }, new Float32Array(6000), null), /dataset=points(?!.*pt[sz]=)/);
  // Inflating stops at the limit: 10 MB of zeros deflate to a few kB.
  const bomb = deflateRawSync(new Uint8Array(10 * 1024 * 1024)).toString('base64url');
  assert.ok(bomb.length < 20_000);
  assert.deepEqual(await unpackPoints(bomb), { error: 'more than 100,000 points' });
  assert.deepEqual(await unpackPoints('AAAA'), { error: 'not compressed points' });
});
